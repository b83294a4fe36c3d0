//! `history`: a metric of the commit history compared with a threshold.

use super::config::{Finite, FromKey, Read, config};
use super::{Needs, Pre, Primitive};
use crate::diag::{Problems, unknown};
use crate::escape::code;
use crate::facts::Facts;
use crate::facts::history::{DAY, History, WEEK};
use crate::finding::Hit;
use crate::spanned::Fields;

#[derive(Debug)]
pub struct HistoryCheck {
    metric: Metric,
    min: Option<f64>,
    max: Option<f64>,
    /// For `active-weeks`: how many weeks before HEAD to look at.
    weeks: u32,
}

/// What can be measured in the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    DaysSinceLastCommit,
    ActiveWeeks,
    LongestGapDays,
    Commits,
    HistoryDays,
    Tags,
    DaysSinceLatestTag,
    CommitsSinceLatestTag,
}

impl Metric {
    pub const ALL: [(&'static str, Metric); 8] = [
        ("days-since-last-commit", Metric::DaysSinceLastCommit),
        ("active-weeks", Metric::ActiveWeeks),
        ("longest-gap-days", Metric::LongestGapDays),
        ("commits", Metric::Commits),
        ("history-days", Metric::HistoryDays),
        ("tags", Metric::Tags),
        ("days-since-latest-tag", Metric::DaysSinceLatestTag),
        ("commits-since-latest-tag", Metric::CommitsSinceLatestTag),
    ];

    pub fn parse(text: &str) -> Option<Metric> {
        Metric::ALL.iter().find(|(name, _)| *name == text).map(|(_, metric)| *metric)
    }
}

/// A measured value, with the words that explain it.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    pub value: f64,
    pub text: String,
}

/// Measures `metric`; `None` when it does not exist here (days since the latest tag, without tags).
pub fn measure(history: &History, metric: Metric, weeks: u32) -> Option<Measure> {
    let days = |seconds: i64| seconds.max(0) / DAY;
    let human: Vec<i64> = history.human().map(|commit| commit.time).collect();
    let measure = match metric {
        Metric::DaysSinceLastCommit => match human.first() {
            Some(last) => Measure {
                value: days(history.now - last) as f64,
                text: format!(
                    "the last commit by a person was {} days ago ({})",
                    days(history.now - last),
                    crate::date::format(*last)
                ),
            },
            None => Measure {
                value: days(history.now - history.window_start) as f64,
                text: format!("no commit by a person since {}", crate::date::format(history.window_start)),
            },
        },
        Metric::ActiveWeeks => {
            let since = history.head_time - i64::from(weeks) * WEEK;
            let mut active: Vec<i64> =
                human.iter().filter(|time| **time > since).map(|time| (history.head_time - time) / WEEK).collect();
            active.sort_unstable();
            active.dedup();
            Measure {
                value: active.len() as f64,
                text: format!("{} of the {weeks} weeks before the last commit had commits", active.len()),
            }
        }
        Metric::LongestGapDays => {
            let (gap, end) =
                human.windows(2).map(|pair| (pair[0] - pair[1], pair[0])).max().unwrap_or((0, history.head_time));
            Measure {
                value: days(gap) as f64,
                text: format!("{} days passed without a commit, until {}", days(gap), crate::date::format(end)),
            }
        }
        Metric::Commits => Measure {
            value: human.len() as f64,
            text: format!(
                "{} commits by people in the {} days before HEAD",
                human.len(),
                days(history.head_time - history.window_start)
            ),
        },
        Metric::HistoryDays => {
            let span = days(history.head_time - history.oldest_time);
            let text = if history.extends_before_window {
                format!("the history is more than {span} days long")
            } else {
                format!("the history is {span} days long")
            };
            Measure { value: span as f64, text }
        }
        Metric::Tags => Measure {
            value: history.tags.len() as f64,
            text: match history.tags.len() {
                0 => "no release tag, ever".to_string(),
                1 => "1 tag".to_string(),
                count => format!("{count} tags"),
            },
        },
        Metric::DaysSinceLatestTag => {
            let tag = history.latest_tag()?;
            Measure {
                value: days(history.now - tag.time) as f64,
                text: format!("the latest tag, {}, is {} days old", code(&tag.name), days(history.now - tag.time)),
            }
        }
        Metric::CommitsSinceLatestTag => {
            let tag = history.latest_tag()?;
            let count = human.iter().filter(|time| **time > tag.time).count();
            let at_least = if tag.time < history.window_start { "at least " } else { "" };
            Measure { value: count as f64, text: format!("{at_least}{count} commits since {}", code(&tag.name)) }
        }
    };
    Some(measure)
}

config! {
    /// The `[check]` table of `history`: a metric of the commit history compared with a threshold.
    pub struct HistoryConfig {
        /// One of the metrics above.
        required "metric" => metric: Metric,
        /// A finding when the metric is below this (`min`, `max` or both).
        "min" => min: Finite,
        /// A finding when the metric is above this.
        "max" => max: Finite,
        /// For `active-weeks`: how many weeks before HEAD to look at (default 12).
        "weeks" => weeks: u32,
    }
}

impl FromKey for Metric {
    const SHAPE: &'static str = "metric name";

    fn from_key(fields: &mut Fields<'_>, key: &'static str, problems: &mut Problems) -> Read<Self> {
        let Some((file, name)) = fields.get_with_file::<String>(key, problems) else {
            return if fields.raw(key).is_some() { Read::Invalid } else { Read::Absent };
        };
        match Metric::parse(name.get_ref()) {
            Some(metric) => Read::Value(metric),
            None => {
                let names = Metric::ALL.map(|(name, _)| name);
                problems.push(unknown(file, name.span(), "metric", name.get_ref(), names));
                Read::Invalid
            }
        }
    }
}

impl Primitive for HistoryCheck {
    const KIND: &'static str = "history";
    type Config = HistoryConfig;
    type Acc = ();

    fn compile(config: HistoryConfig, table: &Fields<'_>, problems: &mut Problems) -> Option<HistoryCheck> {
        let min = config.min.optional().map(|min| min.0);
        let max = config.max.optional().map(|max| max.0);
        if min.is_none() && max.is_none() {
            table.missing("min` or `max", problems);
            return None;
        }
        Some(HistoryCheck { metric: config.metric.value()?, min, max, weeks: config.weeks.or_lenient(12) })
    }

    /// Only the history: the engine judges it only when the history could be read.
    fn needs(&self) -> Needs {
        Needs::HISTORY
    }

    fn repository_level(&self) -> bool {
        true
    }

    fn pre(&self, facts: &Facts) -> Pre {
        Pre::Done(facts.history().map(|history| self.evaluate(history)).unwrap_or_default())
    }

    fn post(&self, _: &Facts, (): ()) -> Vec<Hit> {
        Vec::new()
    }
}

impl HistoryCheck {
    pub fn evaluate(&self, history: &History) -> Vec<Hit> {
        let Some(measure) = measure(history, self.metric, self.weeks) else { return Vec::new() };
        let below = self.min.is_some_and(|min| measure.value < min);
        let above = self.max.is_some_and(|max| measure.value > max);
        if below || above {
            let key = Metric::ALL.iter().find(|(_, metric)| *metric == self.metric).map_or("", |(name, _)| name);
            vec![Hit::repository(measure.text).with_key(key)]
        } else {
            Vec::new()
        }
    }
}
