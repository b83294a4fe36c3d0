//! JSON output: one versioned object, for scripts and agents. The schema is documented in
//! `docs/json.md`; `version` changes only when a field changes meaning or goes away.

use super::{Rendered, Reporter, Run};
use crate::engine::SkippedRule;
use crate::facts::git::GitState;
use crate::facts::profile::Evidence;
use crate::finding::{Counts, Finding};
use serde::Serialize;
use std::collections::BTreeMap;

pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    root: String,
    git: &'a GitState,
    profile: Profile<'a>,
    summary: Summary,
    findings: Vec<JsonFinding<'a>>,
    skipped_rules: &'a [SkippedRule],
    #[serde(skip_serializing_if = "Option::is_none")]
    history: Option<HistoryJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    schema: Option<SchemaJson<'a>>,
    /// Present with `--baseline`: the file, how many known findings it hid, and the fixed ones.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<&'a crate::baseline::Applied>,
    skipped_files: Vec<SkippedFile<'a>>,
    broken_manifests: Vec<BrokenManifest<'a>>,
}

/// The history's metrics, or why it could not be read; present when a rule read it.
#[derive(Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
enum HistoryJson {
    Available(super::cadence::Cadence),
    Unavailable { reason: String, hint: String },
}

/// The migration sets (without each migration, which can be thousands) and schema files; present
/// when a rule read them.
#[derive(Serialize)]
struct SchemaJson<'a> {
    sets: Vec<SetJson<'a>>,
    files: &'a [crate::facts::schema::SchemaFile],
}

#[derive(Serialize)]
struct SetJson<'a> {
    framework: crate::facts::schema::Framework,
    dir: &'a str,
    evidence: &'a str,
    migrations: usize,
    first: &'a str,
    latest: &'a str,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Profile<'a> {
    profiles: Vec<&'static str>,
    evidence: &'a [Evidence],
    configured: bool,
}

#[derive(Serialize)]
struct Summary {
    #[serde(flatten)]
    counts: Counts,
    files: usize,
    source_files: usize,
    rules_run: usize,
    rules_skipped: usize,
    suppressed: usize,
    files_skipped: BTreeMap<&'static str, usize>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    family: &'a str,
    severity: &'a str,
    message: &'a str,
    help: Option<&'a str>,
    scope: crate::finding::Scope,
    location: Location<'a>,
    fingerprint: &'a str,
    /// How many places the finding stands for: more than one when its rule groups the places that
    /// share a cause.
    count: usize,
    /// Every place, each with what a finding of its own would say and its own fingerprint (the one
    /// a baseline keeps); one place, the finding's own, when it is not grouped.
    locations: Vec<Place<'a>>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

impl<'a> Location<'a> {
    fn of(location: &'a crate::finding::Location) -> Self {
        Location {
            path: &location.path,
            line: location.start.line,
            column: location.start.column,
            end_line: location.end.line,
            end_column: location.end.column,
        }
    }
}

#[derive(Serialize)]
struct Place<'a> {
    #[serde(flatten)]
    location: Location<'a>,
    message: &'a str,
    fingerprint: &'a str,
}

#[derive(Serialize)]
struct SkippedFile<'a> {
    path: &'a str,
    reason: &'static str,
}

#[derive(Serialize)]
struct BrokenManifest<'a> {
    path: &'a str,
    reason: &'a str,
}

fn finding(finding: &Finding) -> JsonFinding<'_> {
    JsonFinding {
        rule: &finding.rule,
        family: &finding.family,
        severity: finding.severity.as_str(),
        message: &finding.message,
        help: finding.help.as_deref(),
        scope: finding.scope,
        location: Location::of(&finding.location),
        fingerprint: &finding.fingerprint,
        count: finding.count(),
        locations: if finding.members.is_empty() {
            vec![Place {
                location: Location::of(&finding.location),
                message: &finding.message,
                fingerprint: &finding.fingerprint,
            }]
        } else {
            finding
                .members
                .iter()
                .map(|member| Place {
                    location: Location::of(&member.location),
                    message: &member.message,
                    fingerprint: &member.fingerprint,
                })
                .collect()
        },
    }
}

/// The json format: one versioned document, for scripts and agents.
#[derive(Debug, Clone, Copy)]
pub struct Json;

impl Reporter for Json {
    fn render(&self, run: &Run<'_>) -> Rendered {
        render(run).into()
    }
}

fn render(run: &Run<'_>) -> String {
    let document = Document {
        version: VERSION,
        tool: Tool { name: "apelint", version: env!("CARGO_PKG_VERSION") },
        root: run.root.display().to_string(),
        git: run.git,
        profile: Profile {
            profiles: run.profile.profiles.iter().map(|profile| profile.as_str()).collect(),
            evidence: &run.profile.evidence,
            configured: run.profile.configured,
        },
        summary: Summary {
            counts: run.counts(),
            files: run.files,
            source_files: run.source_files,
            rules_run: run.outcome.ran,
            rules_skipped: run.outcome.skipped.len(),
            suppressed: run.outcome.suppressed,
            files_skipped: run.skip_counts().into_iter().map(|(skip, count)| (skip.as_str(), count)).collect(),
        },
        findings: run.outcome.findings.iter().map(finding).collect(),
        skipped_rules: &run.outcome.skipped,
        history: run.history.map(|history| match history {
            Ok(history) => HistoryJson::Available(super::cadence::Cadence::of(history)),
            Err(unavailable) => {
                HistoryJson::Unavailable { reason: unavailable.reason.clone(), hint: unavailable.hint.clone() }
            }
        }),
        baseline: run.baseline.map(|(applied, _)| applied),
        schema: run.schema.map(|schema| SchemaJson {
            sets: schema
                .sets
                .iter()
                .map(|set| SetJson {
                    framework: set.framework,
                    dir: &set.dir,
                    evidence: &set.evidence,
                    migrations: set.migrations.len(),
                    first: set.migrations.first().map_or("", |migration| migration.version.as_str()),
                    latest: set.migrations.last().map_or("", |migration| migration.version.as_str()),
                })
                .collect(),
            files: &schema.files,
        }),
        skipped_files: run
            .skipped_files
            .iter()
            .map(|(path, skip)| SkippedFile { path, reason: skip.as_str() })
            .collect(),
        broken_manifests: run.broken_manifests.iter().map(|(path, reason)| BrokenManifest { path, reason }).collect(),
    };
    let mut text = serde_json::to_string_pretty(&document).expect("the report serialises");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_a_small_run() {
        let sample = crate::report::sample::Sample::new();
        let rendered = Json.render(&sample.run());
        insta::assert_snapshot!(rendered.text.replace(env!("CARGO_PKG_VERSION"), "[version]"));
    }
}
