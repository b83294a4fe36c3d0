//! Pull-request mode: the lines a change adds or touches, and which findings fall in it, as
//! `--filter-mode` reads it. Annotations keep only the change; the job summary marks it.

use crate::facts::history::ChangedLines;
use crate::finding::{Finding, Scope};
use std::collections::HashMap;
use std::ops::RangeInclusive;

/// Which findings `--format github` annotates in pull-request mode (reviewdog's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum FilterMode {
    /// Findings on lines the change adds or rewrites.
    Added,
    /// Findings within the change's hunks, context lines included.
    DiffContext,
    /// Findings in files the change touches.
    File,
    /// Every finding.
    Nofilter,
}

/// The change since the merge base: the filter, and the changed lines of each path, their ranges
/// sorted and joined (see [`merge_ranges`]).
#[derive(Debug, Clone)]
pub struct Change {
    pub mode: FilterMode,
    lines: HashMap<String, ChangedLines>,
}

impl Change {
    /// The change of `lines` read with `mode`; the ranges are sorted and joined here, once.
    pub fn new(mode: FilterMode, mut lines: HashMap<String, ChangedLines>) -> Self {
        for changed in lines.values_mut() {
            merge_ranges(&mut changed.added);
            merge_ranges(&mut changed.hunks);
        }
        Change { mode, lines }
    }

    /// Whether `finding` is in the change, as the filter reads it.
    pub fn holds(&self, finding: &Finding) -> bool {
        // A group is in the change when one of its places is.
        if !finding.members.is_empty() {
            return finding.split().iter().any(|place| self.holds(place));
        }
        if finding.scope == Scope::Repository {
            // No line to annotate: the job summary lists it.
            return self.mode == FilterMode::Nofilter;
        }
        let Some(lines) = self.lines.get(&finding.location.path) else { return self.mode == FilterMode::Nofilter };
        let (start, end) = (finding.location.start.line, finding.location.end.line.max(finding.location.start.line));
        // The ranges are sorted and disjoint (see [`merge_ranges`]): the first that does not end
        // before the finding starts is the only one that may overlap it.
        let overlaps = |ranges: &[RangeInclusive<usize>]| {
            let at = ranges.partition_point(|range| *range.end() < start);
            ranges.get(at).is_some_and(|range| *range.start() <= end)
        };
        match self.mode {
            FilterMode::Added => overlaps(&lines.added),
            FilterMode::DiffContext => overlaps(&lines.hunks),
            FilterMode::File | FilterMode::Nofilter => true,
        }
    }
}

/// Sorts `ranges` and joins those that overlap or touch, so that [`Change::holds`] can find the
/// one a finding falls in by binary search (a change of many thousand added lines stays cheap).
pub fn merge_ranges(ranges: &mut Vec<RangeInclusive<usize>>) {
    ranges.sort_unstable_by_key(|range| (*range.start(), *range.end()));
    let mut merged: Vec<RangeInclusive<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges.drain(..) {
        match merged.last_mut() {
            Some(last) if *range.start() <= last.end().saturating_add(1) => {
                if range.end() > last.end() {
                    *last = *last.start()..=*range.end();
                }
            }
            _ => merged.push(range),
        }
    }
    *ranges = merged;
}

#[cfg(test)]
mod tests {
    use super::merge_ranges;

    #[test]
    fn ranges_are_sorted_and_joined() {
        let mut ranges = vec![9..=9, 1..=3, 4..=4, 2..=2, 20..=25, 7..=8, 22..=30];
        merge_ranges(&mut ranges);
        assert_eq!(ranges, vec![1..=4, 7..=9, 20..=30]);
        let mut empty = Vec::new();
        merge_ranges(&mut empty);
        assert!(empty.is_empty());
    }
}
