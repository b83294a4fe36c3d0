//! Baselines in the pipeline: `apelint baseline` writes the fingerprints of every finding, and
//! `--baseline` hides the findings a baseline file knows.

use super::settings::BaselineSettings;
use super::{Exit, Failure, Prepared, write};
use crate::baseline::{Applied, Baseline};
use crate::engine::Outcome;
use crate::facts::Facts;
use std::collections::HashSet;
use std::path::Path;

/// `apelint baseline`: runs the analysis and writes every finding's fingerprint.
pub fn baseline(settings: &BaselineSettings) -> Result<Exit, Failure> {
    let analysis = Prepared::new(&settings.analysis)?.analyse()?;
    let target = settings.file.clone().unwrap_or_else(|| analysis.prepared.root.join(".apelint-baseline.json"));
    let baseline = Baseline::of(&analysis.outcome.findings);
    write::write_file(&target, &baseline.to_json())?;
    eprintln!("apelint: {} findings written to {}", baseline.findings.len(), target.display());
    Ok(Exit::Clean)
}

/// `outcome` without the findings the baseline `file` knows; with what it hid and found fixed, and
/// every fingerprint it knows (SARIF marks each result new or unchanged).
pub(super) fn compare(
    file: &Path,
    facts: &Facts,
    outcome: &Outcome,
) -> Result<((Applied, HashSet<String>), Outcome), Failure> {
    let inside = facts.boundary().holds(file).then(|| facts.boundary());
    let read = Baseline::read(file, inside).map_err(Failure::from)?;
    let known: HashSet<String> = read.findings.iter().map(|entry| entry.fingerprint.clone()).collect();
    let mut shown = outcome.clone();
    let applied = read.apply(file, &mut shown.findings);
    Ok(((applied, known), shown))
}
