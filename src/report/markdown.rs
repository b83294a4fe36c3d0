//! A Markdown job summary for `$GITHUB_STEP_SUMMARY`: counts by family and severity, the findings
//! grouped by rule with the rule's help, the repository-level findings, and the commit cadence.
//! GitHub accepts at most 1 MiB per step summary: beyond that the list is cut, with a note.

use super::{Rendered, Reporter, Run};
use crate::escape::{code, markdown};
use crate::finding::{Finding, Scope, Severity};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// GitHub's limit for one step's summary, less room for the closing note.
const LIMIT: usize = 1024 * 1024 - 4 * 1024;

/// The places of a group listed under it; the SARIF upload and the JSON hold them all.
const PLACES: usize = 50;

fn icon(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "❌",
        Severity::Warning => "⚠️",
        Severity::Info => "ℹ️",
    }
}

/// The markdown format: a job summary for `$GITHUB_STEP_SUMMARY`.
#[derive(Debug, Clone, Copy)]
pub struct Markdown;

impl Reporter for Markdown {
    fn render(&self, run: &Run<'_>) -> Rendered {
        render(run).into()
    }
}

fn render(run: &Run<'_>) -> String {
    let mut out = String::from("## apelint\n\n");
    let counts = run.counts();
    let findings = &run.outcome.findings;
    let _ = writeln!(
        out,
        "**{} errors, {} warnings, {} info** · {} files · profile: {} · {} rules run, {} skipped\n",
        counts.error,
        counts.warning,
        counts.info,
        run.files,
        run.profile.describe(),
        run.outcome.ran,
        run.outcome.skipped.len()
    );
    // Pull-request mode: which findings the change brought (annotated on its lines).
    let in_change = |finding: &Finding| run.change.is_some() && run.in_change(finding);
    if run.change.is_some() {
        let new = findings.iter().filter(|finding| in_change(finding)).count();
        let _ = writeln!(
            out,
            "**{new} in this change**, marked 🆕 below; the others were there before it (or are about the whole repository).\n"
        );
    }
    if let Some((applied, _)) = run.baseline {
        let _ = match &applied.new_since {
            Some(base) => writeln!(
                out,
                "**New since {}** (merge base `{}`): **{} new**, {} fixed, {} unchanged (not shown).\n",
                code(&base.reference),
                base.commit,
                findings.iter().map(Finding::count).sum::<usize>(),
                applied.fixed.len(),
                applied.known
            ),
            None => writeln!(
                out,
                "Baseline {}: {} known findings not shown, {} fixed since.\n",
                code(&applied.file),
                applied.known,
                applied.fixed.len()
            ),
        };
        if applied.new_since.is_some() && !applied.fixed.is_empty() {
            out.push_str("<details><summary>Fixed by this change</summary>\n\n");
            for entry in &applied.fixed {
                let _ = writeln!(out, "- {} {}: {}", code(&entry.rule), code(&entry.path), markdown(&entry.message));
            }
            out.push_str("\n</details>\n\n");
        }
    }
    // Counts by family and severity.
    let mut by_family: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
    for finding in findings {
        let row = by_family.entry(finding.family.as_str()).or_default();
        row[match finding.severity {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Info => 2,
        }] += 1;
    }
    if !by_family.is_empty() {
        out.push_str("| family | errors | warnings | info |\n|---|---:|---:|---:|\n");
        for (family, [errors, warnings, info]) in &by_family {
            let _ = writeln!(out, "| {family} | {errors} | {warnings} | {info} |");
        }
        out.push('\n');
    }
    if let Some(Ok(history)) = run.history {
        let cadence = super::cadence::Cadence::of(history);
        let (line, marker) = cadence.sparkline(history, true);
        let _ = writeln!(out, "**Cadence.** {}\n", markdown(&cadence.describe()));
        let mut block = format!("|{line}|  commits per week\n");
        if let Some(marker) = marker {
            let _ = writeln!(block, " {marker}");
        }
        // A fence longer than any run of backticks in it (a tag may be named with some).
        let fence = "`".repeat(crate::escape::longest_run(&block, '`').max(2) + 1);
        let _ = write!(out, "{fence}text\n{block}{fence}\n\n");
    }
    // Repository-level findings first: they have no line to annotate.
    let repository: Vec<&Finding> = findings.iter().filter(|finding| finding.scope == Scope::Repository).collect();
    if !repository.is_empty() {
        out.push_str("### About the repository\n\n");
        for finding in &repository {
            let _ = writeln!(
                out,
                "- {} {} {} (fix in {})",
                icon(finding.severity),
                code(&finding.rule),
                markdown(&finding.message),
                code(&finding.location.path)
            );
        }
        out.push('\n');
    }
    // File findings, grouped by rule, most severe rules first.
    let mut by_rule: BTreeMap<(std::cmp::Reverse<Severity>, &str), Vec<&Finding>> = BTreeMap::new();
    for finding in findings.iter().filter(|finding| finding.scope == Scope::File) {
        by_rule.entry((std::cmp::Reverse(finding.severity), finding.rule.as_str())).or_default().push(finding);
    }
    let mut cut = 0;
    for ((severity, rule), list) in &by_rule {
        if out.len() > LIMIT {
            cut += list.len();
            continue;
        }
        let _ = writeln!(out, "### {} {} ({})\n", icon(severity.0), code(rule), list.len());
        if let Some(help) = list.first().and_then(|finding| finding.help.as_deref()) {
            let _ = writeln!(out, "{}\n", markdown(help));
        }
        for (shown, finding) in list.iter().enumerate() {
            if out.len() > LIMIT {
                cut += list.len() - shown;
                break;
            }
            // One list item: `path:line:col` and the message, marked when the change holds it.
            let item = |out: &mut String, indent: &str, finding: &Finding| {
                let at = &finding.location;
                let _ = writeln!(
                    out,
                    "{indent}- {}{} {}",
                    if in_change(finding) { "🆕 " } else { "" },
                    code(&format!("{}:{}:{}", at.path, at.start.line, at.start.column)),
                    markdown(&finding.message)
                );
            };
            item(&mut out, "", finding);
            // A group's places, folded: the summary stays short, the places one click away.
            if !finding.members.is_empty() {
                let _ = writeln!(out, "  <details><summary>{} places</summary>\n", finding.count());
                for place in finding.split().iter().take(PLACES) {
                    item(&mut out, "  ", place);
                }
                if finding.count() > PLACES {
                    let _ = writeln!(out, "  - and {} more", finding.count() - PLACES);
                }
                out.push_str("\n  </details>\n");
            }
        }
        out.push('\n');
    }
    if cut > 0 {
        let _ = writeln!(
            out,
            "_{cut} more findings are not listed: GitHub keeps 1 MiB of a step summary. The SARIF upload and `--format json` hold them all._"
        );
    }
    if findings.is_empty() {
        out.push_str("No findings.\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_a_small_run() {
        let sample = crate::report::sample::Sample::new();
        let rendered = Markdown.render(&sample.run());
        insta::assert_snapshot!(rendered.text.replace(env!("CARGO_PKG_VERSION"), "[version]"));
    }
}
