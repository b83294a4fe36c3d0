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

/// Baselines larger than this are refused (one of 100,000 findings is about 20 MiB).
pub const MAX_SIZE: u64 = 64 * 1024 * 1024;

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
    /// The baseline file; empty when the findings of a merge base were the baseline.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub file: String,
    /// With `--new-since`: the merge base whose findings were the baseline.
    #[serde(rename = "new-since", skip_serializing_if = "Option::is_none")]
    pub new_since: Option<MergeBase>,
    /// Findings hidden because the baseline knows them.
    pub known: usize,
    /// Baselined findings no longer found.
    pub fixed: Vec<Entry>,
}

/// The commit where a change began (`--new-since`), judged from git objects.
#[derive(Debug, Clone, Serialize)]
pub struct MergeBase {
    /// The ref the change is compared with, as given.
    pub reference: String,
    /// The merge base's short id.
    pub commit: String,
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
    /// Reads a baseline file; one inside the repository (`repository`) is read within its boundary.
    pub fn read(path: &Path, repository: Option<&crate::boundary::Boundary>) -> Result<Baseline, Problem> {
        let read = match repository {
            Some(boundary) => boundary.read_given(path, MAX_SIZE),
            None => crate::facts::text::read(path, MAX_SIZE),
        };
        let text = read.map_err(|skip| {
            let why = match skip {
                crate::facts::text::Skip::LinkOutside => {
                    "a symbolic link out of the repository (or into `.git`), not read".to_string()
                }
                crate::facts::text::Skip::TooLarge => format!("larger than {} MiB", MAX_SIZE / 1024 / 1024),
                crate::facts::text::Skip::Binary | crate::facts::text::Skip::NotUtf8 => "not UTF-8 text".to_string(),
                _ => std::fs::metadata(path).err().map_or_else(|| "unreadable".to_string(), |error| error.to_string()),
            };
            Problem::io(format!("cannot read the baseline `{}`: {why}", path.display()))
                .with_help("write one with `apelint baseline`")
        })?;
        let file = || SourceFile::new(path.display().to_string(), Box::leak(text.clone().into_boxed_str()));
        let baseline = serde_json::from_str::<Baseline>(&text).map_err(|error| {
            // serde_json counts lines and columns from 1.
            let offset = text.lines().take(error.line().saturating_sub(1)).map(|line| line.len() + 1).sum::<usize>()
                + error.column().saturating_sub(1);
            Problem::at(&file(), offset..offset + 1, format!("invalid baseline: {error}"), "here")
                .with_help("write a fresh one with `apelint baseline`")
        })?;
        if baseline.version != VERSION {
            let at = text.find("\"version\"").unwrap_or(0);
            return Err(Problem::at(
                &file(),
                at..at + "\"version\"".len(),
                format!("baseline version {} is not one this apelint reads (version {VERSION})", baseline.version),
                "this version",
            )
            .with_help("write a fresh one with `apelint baseline`"));
        }
        Ok(baseline)
    }

    /// Keeps the findings the baseline does not know; returns what it hid and what was fixed.
    pub fn apply(&self, file: &Path, findings: &mut Vec<Finding>) -> Applied {
        let known: HashSet<&str> = self.findings.iter().map(|entry| entry.fingerprint.as_str()).collect();
        let found: HashSet<String> = findings.iter().map(|finding| finding.fingerprint.clone()).collect();
        let before = findings.len();
        findings.retain(|finding| !known.contains(finding.fingerprint.as_str()));
        let fixed = self.findings.iter().filter(|entry| !found.contains(&entry.fingerprint)).cloned().collect();
        Applied { file: file.display().to_string(), new_since: None, known: before - findings.len(), fixed }
    }
}
