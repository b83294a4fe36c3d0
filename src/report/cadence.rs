//! The cadence at a glance: the numbers behind the shipping verdicts and a sparkline of commits per
//! week, shared by the human and JSON reports.

use crate::facts::history::{DAY, History, Metric, WEEK, measure};
use serde::Serialize;

/// The metrics of a history, as the JSON report carries them.
#[derive(Debug, Clone, Serialize)]
pub struct Cadence {
    pub window_days: i64,
    pub head_date: String,
    pub commits: usize,
    pub bot_commits: usize,
    pub active_weeks: usize,
    pub weeks: usize,
    pub longest_gap_days: i64,
    pub days_since_last_commit: Option<i64>,
    pub tags: usize,
    pub latest_tag: Option<LatestTag>,
    pub shallow: bool,
    /// The date of the first commit, when the whole history fits in the window; `None` when the
    /// history is longer, since the walk never reads past the window to find its root.
    pub first_commit_date: Option<String>,
    /// Commits the walk read (the window and a few past its edge).
    pub commits_walked: usize,
    /// Commits by people per week, oldest first; the last week ends at HEAD.
    pub weekly: Vec<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LatestTag {
    pub name: String,
    pub date: String,
    pub days_since: i64,
    pub commits_since: usize,
    /// Whether the tag is older than the window, so that `commits_since` is a lower bound.
    pub before_window: bool,
}

impl Cadence {
    pub fn of(history: &History) -> Cadence {
        let weekly = history.weekly();
        let value = |metric| measure(history, metric, 52).map_or(0.0, |measure| measure.value);
        let human: Vec<i64> = history.human().map(|commit| commit.time).collect();
        #[allow(clippy::cast_possible_truncation, reason = "the values are whole numbers of days")]
        let longest_gap_days = value(Metric::LongestGapDays) as i64;
        Cadence {
            window_days: (history.head_time - history.window_start) / DAY,
            head_date: crate::date::format(history.head_time),
            commits: human.len(),
            bot_commits: history.commits.len() - human.len(),
            active_weeks: weekly.iter().filter(|count| **count > 0).count(),
            weeks: weekly.len(),
            longest_gap_days,
            days_since_last_commit: human.first().map(|last| (history.now - last).max(0) / DAY),
            tags: history.tags.len(),
            latest_tag: history.latest_tag().map(|tag| LatestTag {
                name: tag.name.clone(),
                date: crate::date::format(tag.time),
                days_since: (history.now - tag.time).max(0) / DAY,
                commits_since: human.iter().filter(|time| **time > tag.time).count(),
                before_window: tag.time < history.window_start,
            }),
            shallow: history.shallow,
            first_commit_date: (!history.extends_before_window).then(|| crate::date::format(history.oldest_time)),
            commits_walked: history.walked,
            weekly,
        }
    }

    /// A line of the weekly counts, one character a week, with the latest tag's week marked on a
    /// second line when it falls in the window.
    pub fn sparkline(&self, history: &History, unicode: bool) -> (String, Option<String>) {
        let levels: &[char] = if unicode {
            &[' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█']
        } else {
            &[' ', '.', ':', '-', '=', '+', '*', '#', '@']
        };
        let most = self.weekly.iter().copied().max().unwrap_or(0).max(1);
        let line: String = self
            .weekly
            .iter()
            .map(|count| if *count == 0 { levels[0] } else { levels[1 + (count * (levels.len() - 2)) / most] })
            .collect();
        let marker = history.latest_tag().and_then(|tag| {
            // A tag made after HEAD's commit (an annotated tag's own date) marks HEAD's week.
            let back = usize::try_from((history.head_time - tag.time).max(0) / WEEK).ok()?;
            let at = self.weekly.len().checked_sub(1 + back)?;
            Some(format!("{}^ {}", " ".repeat(at), crate::escape::printable(&tag.name)))
        });
        (line, marker)
    }

    /// The numbers in one line.
    pub fn describe(&self) -> String {
        let mut parts = vec![
            format!("{} by people in {} days to {}", commits(self.commits), self.window_days, self.head_date),
            format!("{} of {} weeks active", self.active_weeks, self.weeks),
            format!("longest gap {} days", self.longest_gap_days),
        ];
        if let Some(days) = self.days_since_last_commit {
            parts.push(format!("last commit {days} days ago"));
        }
        match &self.latest_tag {
            Some(tag) => {
                let at_least = if tag.before_window { "at least " } else { "" };
                parts.push(format!(
                    "latest tag {} {} days ago, {at_least}{} since",
                    crate::escape::code(&tag.name),
                    tag.days_since,
                    commits(tag.commits_since)
                ));
            }
            None => parts.push("no tags".to_string()),
        }
        if self.bot_commits > 0 {
            parts.push(format!("{} bot commits not counted", self.bot_commits));
        }
        parts.join(" · ")
    }
}

fn commits(count: usize) -> String {
    if count == 1 { "1 commit".to_string() } else { format!("{count} commits") }
}
