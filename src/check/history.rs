//! `history`: a metric of the commit history compared with a threshold.

use super::config::{Finite, FromKey, Read, config, word};
use super::{Needs, Pre, Primitive};
use crate::diag::{Problems, unknown};
use crate::facts::Facts;
use crate::facts::history::{History, Metric, measure};
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
        word(fields, key, problems, &Metric::ALL, |file, span, name| {
            unknown(file, span, "metric", name, Metric::ALL.map(|(name, _)| name))
        })
    }
}

impl Primitive for HistoryCheck {
    const KIND: &'static str = "history";
    type Config = HistoryConfig;
    type Acc = ();

    fn compile(config: HistoryConfig, table: &Fields<'_>, problems: &mut Problems) -> Option<HistoryCheck> {
        let min = config.min.value().map(|min| min.0);
        let max = config.max.value().map(|max| max.0);
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
