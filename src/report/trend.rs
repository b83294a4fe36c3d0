//! `apelint trend`: the findings at points in time, rendered as a small table with a sparkline per
//! family (people) or as JSON (tools). The points are computed by the pipeline; this only renders.

use crate::escape::printable;
use crate::finding::Counts;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The version of the JSON document; it changes when a field changes meaning.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Trend {
    pub version: u32,
    /// How far back, and how often, as given (`1y`, `1mo`).
    pub since: String,
    pub every: String,
    /// The branch HEAD points at, or `HEAD` when detached.
    pub head: String,
    /// Oldest first.
    pub points: Vec<Point>,
    /// Points before the first commit of the first-parent line: nothing to judge.
    pub before_history: usize,
    /// Whether the repository is a shallow clone, whose history stops early.
    pub shallow: bool,
    /// Every family a rule run belongs to, in order (a family with no finding is a row of zeros).
    pub families: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Point {
    /// The day of the point (`YYYY-MM-DD`).
    pub date: String,
    /// The newest commit of the first-parent line made by then (its full id) and its date.
    pub commit: String,
    pub commit_date: String,
    /// Places found, by severity, in total and per family.
    pub counts: Counts,
    pub families: BTreeMap<String, Counts>,
    /// Why the point could not be judged, when it could not (then its counts are zero).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed: Option<String>,
}

impl Point {
    fn total(&self, family: Option<&str>) -> Option<usize> {
        if self.failed.is_some() {
            return None;
        }
        let counts = match family {
            Some(family) => self.families.get(family).copied().unwrap_or_default(),
            None => self.counts,
        };
        Some(counts.error + counts.warning + counts.info)
    }
}

pub fn json(trend: &Trend) -> String {
    let mut text = serde_json::to_string_pretty(trend).expect("a trend serialises");
    text.push('\n');
    text
}

/// One character per point, higher for more places; `?` where a point failed.
pub fn sparkline(values: &[Option<usize>], unicode: bool) -> String {
    let levels: &[char] = if unicode {
        &['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█']
    } else {
        &['_', '.', ':', '-', '=', '+', '*', '#']
    };
    let (least, most) = values.iter().flatten().fold((usize::MAX, 0), |(low, high), v| (low.min(*v), high.max(*v)));
    values
        .iter()
        .map(|value| match value {
            None => '?',
            Some(_) if most == least => levels[if most == 0 { 0 } else { levels.len() / 2 }],
            Some(value) => levels[(value - least) * (levels.len() - 1) / (most - least)],
        })
        .collect()
}

/// The table people read.
pub fn human(trend: &Trend, unicode: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "apelint trend: {} points, every {} over {}, on the first-parent line of {}",
        trend.points.len(),
        printable(&trend.every),
        printable(&trend.since),
        printable(&trend.head)
    );
    if trend.before_history > 0 {
        let first = if trend.shallow {
            "the first commit of this shallow clone (`git fetch --unshallow` brings the rest)"
        } else {
            "the first commit"
        };
        let _ = writeln!(out, "{} earlier points fall before {first}", trend.before_history);
    }
    if trend.points.is_empty() {
        out.push_str("no commit to judge\n");
        return out;
    }
    out.push('\n');
    out.push_str("places found at each point (a grouped finding counts each of its places)\n\n");
    let _ = writeln!(out, "{:<10}  {:<12}  {:>6}  {:>8}  {:>6}", "date", "commit", "errors", "warnings", "info");
    for point in &trend.points {
        let short = &point.commit[..point.commit.len().min(12)];
        match &point.failed {
            Some(why) => {
                let _ = writeln!(out, "{:<10}  {short:<12}  not judged: {}", point.date, printable(why));
            }
            None => {
                let counts = point.counts;
                let _ = writeln!(
                    out,
                    "{:<10}  {short:<12}  {:>6}  {:>8}  {:>6}",
                    point.date, counts.error, counts.warning, counts.info
                );
            }
        }
    }
    out.push('\n');
    let width = trend.points.len().max(5);
    let _ = writeln!(
        out,
        "{:<16}  {:<width$}  {:>6}  {:>8}  {:>6}  {:>7}",
        "family", "trend", "errors", "warnings", "info", "change"
    );
    let last = trend.points.iter().rev().find(|point| point.failed.is_none());
    let rows = trend.families.iter().map(|family| Some(family.as_str())).chain(std::iter::once(None));
    for family in rows {
        let values: Vec<Option<usize>> = trend.points.iter().map(|point| point.total(family)).collect();
        let latest = last.map(|point| match family {
            Some(family) => point.families.get(family).copied().unwrap_or_default(),
            None => point.counts,
        });
        let judged: Vec<usize> = values.iter().flatten().copied().collect();
        let change = match (judged.first(), judged.last()) {
            (Some(first), Some(last)) => format!("{:+}", *last as i64 - *first as i64),
            _ => "?".to_string(),
        };
        let counts = latest.unwrap_or_default();
        let _ = writeln!(
            out,
            "{:<16}  {:<width$}  {:>6}  {:>8}  {:>6}  {:>7}",
            family.map_or_else(|| "total".to_string(), |family| printable(family).into_owned()),
            sparkline(&values, unicode),
            counts.error,
            counts.warning,
            counts.info,
            change
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(date: &str, care: Counts, failed: Option<&str>) -> Point {
        Point {
            date: date.to_string(),
            commit: "0123456789abcdef0123".to_string(),
            commit_date: date.to_string(),
            counts: care,
            families: BTreeMap::from([("care".to_string(), care)]),
            failed: failed.map(str::to_string),
        }
    }

    #[test]
    fn sparklines_scale_between_the_least_and_the_most() {
        assert_eq!(sparkline(&[Some(0), Some(7), Some(14)], false), "_-#");
        assert_eq!(sparkline(&[Some(3), Some(3)], true), "▅▅");
        assert_eq!(sparkline(&[Some(0), None], true), "▁?");
    }

    #[test]
    fn the_table_has_a_row_per_point_and_per_family() {
        let trend = Trend {
            version: VERSION,
            since: "1y".to_string(),
            every: "6mo".to_string(),
            head: "main".to_string(),
            points: vec![
                point("2026-01-01", Counts { error: 0, warning: 1, info: 0 }, None),
                point("2026-07-01", Counts { error: 1, warning: 3, info: 2 }, None),
                point("2026-08-01", Counts::default(), Some("the tree cannot be read")),
            ],
            before_history: 1,
            shallow: false,
            families: vec!["care".to_string(), "docs".to_string()],
        };
        let text = human(&trend, false);
        assert!(text.contains("2026-07-01  0123456789ab       1         3       2"), "{text}");
        assert!(text.contains("2026-08-01  0123456789ab  not judged: the tree cannot be read"), "{text}");
        assert!(text.contains("care              _#?"), "{text}");
        assert!(text.contains("docs              __?"), "{text}");
        assert!(text.lines().last().unwrap().starts_with("total") && text.contains("+5"), "{text}");
    }
}
