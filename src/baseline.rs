//! Baselines: the fingerprints of the findings a repository accepted at some point. With
//! `--baseline FILE`, only findings that are not in it are reported, and the baselined ones that
//! are gone are listed as fixed. Fingerprints hash the rule, the path and the normalised text found,
//! not line numbers, so an unrelated edit above a finding keeps it baselined.

use crate::diag::{Problem, SourceFile};
use crate::finding::Finding;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::Path;

pub const VERSION: u32 = 1;

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub fingerprint: String,
    pub rule: String,
    pub path: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

/// What a baseline did to a run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Applied {
    pub file: String,
    /// Findings hidden because the baseline knows them.
    pub known: usize,
    /// Baselined findings no longer found.
    pub fixed: Vec<Entry>,
}

impl Baseline {
    pub fn of(findings: &[Finding]) -> Baseline {
        let mut entries: Vec<Entry> = findings
            .iter()
            .map(|finding| Entry {
                fingerprint: finding.fingerprint.clone(),
                rule: finding.rule.clone(),
                path: finding.location.path.clone(),
                message: finding.message.clone(),
            })
            .collect();
        entries.sort_by(|a, b| (&a.rule, &a.path, &a.fingerprint).cmp(&(&b.rule, &b.path, &b.fingerprint)));
        Baseline { version: VERSION, findings: entries }
    }

    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a baseline serialises");
        text.push('\n');
        text
    }

    /// Reads a baseline file; a file that is missing, not JSON or not a baseline is an error that
    /// says where.
    pub fn read(path: &Path) -> Result<Baseline, Problem> {
        let text = std::fs::read_to_string(path).map_err(|error| {
            Problem::plain(format!("cannot read the baseline `{}`: {error}", path.display()))
                .with_help("write one with `apelint baseline`")
        })?;
        serde_json::from_str::<Baseline>(&text).map_err(|error| {
            // serde_json counts lines and columns from 1.
            let offset = text.lines().take(error.line().saturating_sub(1)).map(|line| line.len() + 1).sum::<usize>()
                + error.column().saturating_sub(1);
            let file = SourceFile::new(path.display().to_string(), Box::leak(text.into_boxed_str()));
            Problem::at(&file, offset..offset + 1, format!("invalid baseline: {error}"), "here")
                .with_help("write a fresh one with `apelint baseline`")
        })
    }

    /// Keeps the findings the baseline does not know; returns what it hid and what was fixed.
    pub fn apply(&self, file: &Path, findings: &mut Vec<Finding>) -> Applied {
        let known: HashSet<&str> = self.findings.iter().map(|entry| entry.fingerprint.as_str()).collect();
        let found: HashSet<String> = findings.iter().map(|finding| finding.fingerprint.clone()).collect();
        let before = findings.len();
        findings.retain(|finding| !known.contains(finding.fingerprint.as_str()));
        let fixed = self.findings.iter().filter(|entry| !found.contains(&entry.fingerprint)).cloned().collect();
        Applied { file: file.display().to_string(), known: before - findings.len(), fixed }
    }
}
