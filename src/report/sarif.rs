//! SARIF 2.1.0 for GitHub code scanning: the subset GitHub reads, as plain serde structs. One run;
//! every rule that ran is described; every result has a level, a message and a location (a
//! repository-level finding is anchored at line 1 of the file where its fix belongs) and a stable
//! `primaryLocationLineHash` (the finding's fingerprint). Columns count UTF-16 code units, as the
//! run's `columnKind` says.

use super::{Rendered, Reporter, Run};
use crate::finding::{Finding, Scope, Severity};
use crate::rule::Rule;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The project's home, from `repository` in Cargo.toml; the rules' pages are `docs/rules/<id>.md`
/// in it.
const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [SarifRun<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRun<'a> {
    tool: Tool<'a>,
    /// Present when results were left out to stay within GitHub's limits, saying so.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    invocations: Vec<Invocation>,
    automation_details: AutomationDetails,
    column_kind: &'static str,
    original_uri_base_ids: BTreeMap<&'static str, UriBase>,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
}

#[derive(Serialize)]
struct UriBase {
    description: Text,
}

#[derive(Serialize)]
struct AutomationDetails {
    id: String,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Descriptor<'a>>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor<'a> {
    id: &'a str,
    /// Omitted when it would only repeat the id (`stale`), as SARIF asks.
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    short_description: Text,
    full_description: Text,
    help: Help,
    help_uri: String,
    default_configuration: Configuration,
    properties: DescriptorProperties,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct DescriptorProperties {
    tags: Vec<String>,
    precision: &'static str,
    #[serde(rename = "problem.severity")]
    problem_severity: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location<'a>; 1],
    /// A grouped finding's places (its first, the primary location, among them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<RelatedLocation<'a>>,
    partial_fingerprints: Fingerprints<'a>,
    /// With `--baseline`: `new`, or `unchanged` for a finding the baseline knows.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Fingerprints<'a> {
    primary_location_line_hash: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RelatedLocation<'a> {
    id: usize,
    physical_location: PhysicalLocation<'a>,
    message: Text,
}

/// Related locations GitHub keeps per result.
pub const MAX_RELATED: usize = 1_000;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation<'a>,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation<'a> {
    uri: String,
    uri_base_id: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A rule's name in the PascalCase GitHub shows: `readme-missing` → `ReadmeMissing`.
fn pascal(id: &str) -> String {
    id.split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map(|first| first.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect()
}

fn descriptor<'a>(rule: &'a Rule) -> Descriptor<'a> {
    let severity = match rule.default_level {
        crate::rule::Level::On(severity) => severity,
        crate::rule::Level::Off => Severity::Info,
    };
    // GitHub renders a rule's help as Markdown: a rule from the repository's own rule folder is
    // repository text, escaped like a message; apelint's own rules are its documentation.
    let builtin = rule.origin == "built-in";
    let md = |text: &str| if builtin { text.trim().to_string() } else { crate::escape::markdown(text.trim()) };
    let mut text = format!("{}\n\nFix: {}", rule.docs.why.trim(), rule.docs.fix.trim());
    let mut markdown = format!("{}\n\n**Fix.** {}", md(&rule.docs.why), md(&rule.docs.fix));
    if let Some(fails) = &rule.docs.fails {
        text.push_str(&format!("\n\nFails: {}", fails.trim()));
        markdown.push_str(&format!("\n\n**Fails:** {}", md(fails)));
    }
    if let Some(passes) = &rule.docs.passes {
        text.push_str(&format!("\n\nPasses: {}", passes.trim()));
        markdown.push_str(&format!("\n\n**Passes:** {}", md(passes)));
    }
    let mut tags = vec![rule.family.as_str().to_string()];
    if rule.check.repository_level() {
        tags.push("repository-level".to_string());
    }
    Descriptor {
        id: &rule.id,
        name: Some(pascal(&rule.id)).filter(|name| !name.eq_ignore_ascii_case(&rule.id)),
        short_description: Text { text: rule.summary.clone() },
        full_description: Text { text: rule.docs.why.split_whitespace().collect::<Vec<_>>().join(" ") },
        help: Help { text, markdown },
        help_uri: format!("{INFORMATION_URI}/blob/main/docs/rules/{}.md", rule.id),
        default_configuration: Configuration { level: level(severity) },
        properties: DescriptorProperties {
            tags,
            // Heuristic rules ship at `info` (see the design brief): their precision is lower.
            precision: if severity == Severity::Info { "medium" } else { "high" },
            problem_severity: match severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "recommendation",
            },
        },
    }
}

/// Percent-encodes what a relative URI reference cannot hold as is (spaces, `%`, `#`, `?`,
/// non-ASCII), and `:`, which in a first segment would make `a:b/README.md` a URI of scheme `a`.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=@".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn result<'a>(finding: &'a Finding, rule_index: usize, run: &Run<'_>) -> SarifResult<'a> {
    let related_locations = finding
        .members
        .iter()
        .take(MAX_RELATED)
        .enumerate()
        .map(|(id, member)| RelatedLocation {
            id,
            physical_location: physical(&member.location, Scope::File, run),
            message: Text { text: member.message.clone() },
        })
        .collect();
    let known = |fingerprint: &str| run.baseline.is_some_and(|(_, known)| known.contains(fingerprint));
    // A group is unchanged when the baseline knows every place of it.
    let unchanged = if finding.members.is_empty() {
        known(&finding.fingerprint)
    } else {
        finding.members.iter().all(|member| known(&member.fingerprint))
    };
    SarifResult {
        rule_id: &finding.rule,
        rule_index,
        level: level(finding.severity),
        message: Text { text: finding.message.clone() },
        locations: [Location { physical_location: physical(&finding.location, finding.scope, run) }],
        related_locations,
        partial_fingerprints: Fingerprints { primary_location_line_hash: &finding.fingerprint },
        baseline_state: run.baseline.map(|_| if unchanged { "unchanged" } else { "new" }),
    }
}

fn physical<'a>(location: &crate::finding::Location, scope: Scope, run: &Run<'_>) -> PhysicalLocation<'a> {
    let (start_line, start_column, end_line, end_column) = match scope {
        // Where the fix belongs, line 1 (the file may not exist yet).
        Scope::Repository => (1, 1, 1, 1),
        Scope::File => {
            let file = run.sources.text(&location.path);
            // Columns count UTF-16 code units; without the file, chars are the best guess.
            let utf16 = |line: usize, column: usize| file.map_or(column, |file| file.utf16_column(line, column));
            let start_line = location.start.line.max(1);
            let end_line = location.end.line.max(start_line);
            let start_column = utf16(start_line, location.start.column.max(1));
            let mut end_column = utf16(end_line, location.end.column.max(1));
            if end_line == start_line && end_column < start_column {
                end_column = start_column;
            }
            (start_line, start_column, end_line, end_column)
        }
    };
    PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri: uri(&format!("{}{}", run.repository_prefix, location.path)),
            uri_base_id: "%SRCROOT%",
        },
        region: Region { start_line, start_column, end_line, end_column },
    }
}

/// Results GitHub stores per run: it accepts up to 25,000 but keeps 5,000, so apelint chooses
/// which (the most severe), rather than leaving the choice to the upload.
pub const MAX_RESULTS: usize = 5_000;

/// GitHub refuses a SARIF file over 10 MB (gzip-compressed); apelint keeps the file itself under
/// it, which holds whatever the compression.
pub const MAX_BYTES: usize = 10_000_000;

/// The sarif format: a SARIF 2.1.0 log of every finding, the baseline's included, for code scanning.
#[derive(Debug, Clone, Copy)]
pub struct Sarif;

impl Reporter for Sarif {
    fn render(&self, run: &Run<'_>) -> Rendered {
        let (text, note) = render(run);
        Rendered { text, note }
    }

    fn reads_sources(&self) -> bool {
        true
    }
}

/// The SARIF log, and a warning when results were left out to stay within GitHub's limits.
fn render(run: &Run<'_>) -> (String, Option<String>) {
    let index: HashMap<&str, usize> = run.rules.iter().enumerate().map(|(at, rule)| (rule.id.as_str(), at)).collect();
    let mut findings: Vec<&Finding> =
        run.everything.findings.iter().filter(|finding| index.contains_key(finding.rule.as_str())).collect();
    let total = findings.len();
    // Most severe first; the sort is stable, so the report's order holds within a severity.
    findings.sort_by_key(|finding| std::cmp::Reverse(finding.severity));
    let mut keep = total.min(MAX_RESULTS);
    loop {
        let results: Vec<SarifResult<'_>> =
            findings[..keep].iter().map(|finding| result(finding, index[finding.rule.as_str()], run)).collect();
        let note = (keep < total).then(|| {
            format!(
                "SARIF holds the {keep} most severe of {total} findings: GitHub stores at most {MAX_RESULTS} per run and \
                 refuses files over 10 MB; `--format json` has them all"
            )
        });
        let text = log(run, results, note.as_deref());
        if text.len() <= MAX_BYTES || keep == 0 {
            return (text, note);
        }
        // Too large: keep fewer, in proportion, and try again.
        keep = (keep as u128 * MAX_BYTES as u128 * 9 / 10 / text.len() as u128) as usize;
    }
}

fn log(run: &Run<'_>, results: Vec<SarifResult<'_>>, note: Option<&str>) -> String {
    let rules: Vec<Descriptor<'_>> = run.rules.iter().map(|rule| descriptor(rule)).collect();
    let mut bases = BTreeMap::new();
    bases.insert("%SRCROOT%", UriBase { description: Text { text: "The top of the git repository".to_string() } });
    let invocations = note
        .map(|note| Invocation {
            execution_successful: true,
            tool_execution_notifications: vec![Notification {
                level: "warning",
                message: Text { text: note.to_string() },
            }],
        })
        .into_iter()
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [SarifRun {
            tool: Tool {
                driver: Driver {
                    name: "apelint",
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFORMATION_URI,
                    rules,
                },
            },
            invocations,
            // One category per checked folder, so two runs in one repository keep their alerts apart.
            automation_details: AutomationDetails { id: format!("apelint/{}", run.repository_prefix) },
            column_kind: "utf16CodeUnits",
            original_uri_base_ids: bases,
            results,
        }],
    };
    let mut text = serde_json::to_string_pretty(&log).expect("the SARIF log serialises");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_a_small_run() {
        let sample = crate::report::sample::Sample::new();
        let rendered = Sarif.render(&sample.run());
        insta::assert_snapshot!(rendered.text.replace(env!("CARGO_PKG_VERSION"), "[version]"));
    }

    #[test]
    fn names_and_uris() {
        assert_eq!(pascal("readme-missing"), "ReadmeMissing");
        assert_eq!(uri("docs/a b#c.md"), "docs/a%20b%23c.md");
        assert_eq!(uri("src/ü.rs"), "src/%C3%BC.rs");
        assert_eq!(uri("a:b/README.md"), "a%3Ab/README.md");
    }
}
