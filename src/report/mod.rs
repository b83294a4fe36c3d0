//! Reporters: functions of a finished run, one file per output format.

pub mod cadence;
pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
pub mod sarif;

use crate::engine::Outcome;
use crate::facts::git::GitState;
use crate::facts::profile::ProfileFact;
use crate::facts::text::Skip;
use crate::finding::Counts;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Everything a reporter may show about one run.
#[derive(Debug, Clone)]
pub struct Report<'a> {
    pub root: PathBuf,
    /// What reporters may read again of the repository (the lines around a finding).
    pub boundary: crate::boundary::Boundary,
    pub outcome: &'a Outcome,
    pub profile: &'a ProfileFact,
    pub git: &'a GitState,
    /// Files the walk saw.
    pub files: usize,
    pub source_files: usize,
    pub skipped_files: BTreeMap<String, Skip>,
    /// Manifests that could not be parsed: (path, reason).
    pub broken_manifests: Vec<(String, String)>,
    /// The commit history, when a rule read it.
    pub history: Option<Result<&'a crate::facts::history::History, &'a crate::facts::history::Unavailable>>,
    /// The migration sets and schema files, when a rule read them.
    pub schema: Option<&'a crate::facts::schema::Schema>,
    /// What `--baseline` hid and what it found fixed, with the fingerprints it knows.
    pub baseline: Option<&'a (crate::baseline::Applied, std::collections::HashSet<String>)>,
    /// Pull-request mode for annotations: the filter and the changed lines per path.
    pub diff:
        Option<&'a (crate::cli::FilterMode, std::collections::HashMap<String, crate::facts::history::ChangedLines>)>,
    /// The rules that ran (selected, on, and not skipped), in their listing order.
    pub rules: Vec<&'a crate::rule::Rule>,
    /// Where the checked folder sits in its git repository (`services/api/`, or empty): annotations
    /// and SARIF locations are relative to the repository's top, as GitHub reads them.
    pub repository_prefix: String,
}

impl Report<'_> {
    pub fn counts(&self) -> Counts {
        Counts::of(&self.outcome.findings)
    }

    /// Whether `finding` is in the pull request's change, as `--filter-mode` reads it; every
    /// finding is when there is no change to compare with.
    pub fn in_change(&self, finding: &crate::finding::Finding) -> bool {
        use crate::cli::FilterMode;
        let Some((mode, changed)) = self.diff else { return true };
        if finding.scope == crate::finding::Scope::Repository {
            // No line to annotate: the job summary lists it.
            return *mode == FilterMode::Nofilter;
        }
        let Some(lines) = changed.get(&finding.location.path) else { return *mode == FilterMode::Nofilter };
        let (start, end) = (finding.location.start.line, finding.location.end.line.max(finding.location.start.line));
        // The ranges are sorted and disjoint (see [`merge_ranges`]): the first that does not end
        // before the finding starts is the only one that may overlap it.
        let overlaps = |ranges: &[std::ops::RangeInclusive<usize>]| {
            let at = ranges.partition_point(|range| *range.end() < start);
            ranges.get(at).is_some_and(|range| *range.start() <= end)
        };
        match mode {
            FilterMode::Added => overlaps(&lines.added),
            FilterMode::DiffContext => overlaps(&lines.hunks),
            FilterMode::File | FilterMode::Nofilter => true,
        }
    }

    /// Skipped files counted by reason, in a stable order.
    pub fn skip_counts(&self) -> BTreeMap<Skip, usize> {
        let mut counts = BTreeMap::new();
        for skip in self.skipped_files.values() {
            *counts.entry(*skip).or_insert(0) += 1;
        }
        counts
    }
}

/// Sorts `ranges` and joins those that overlap or touch, so that [`Report::in_change`] can find the
/// one a finding falls in by binary search (a change of many thousand added lines stays cheap).
pub fn merge_ranges(ranges: &mut Vec<std::ops::RangeInclusive<usize>>) {
    ranges.sort_unstable_by_key(|range| (*range.start(), *range.end()));
    let mut merged: Vec<std::ops::RangeInclusive<usize>> = Vec::with_capacity(ranges.len());
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
