//! GitHub Actions annotations: one workflow command per finding
//! (`::warning file=src/a.py,line=3,endLine=3,col=5,endColumn=9,title=…::message`), escaped as
//! the runner requires so that no text from the repository can start a command of its own. GitHub
//! shows at most ten annotations of each kind per step: the most severe come first, and one notice
//! says how many were left out and where to read them.

use super::{Rendered, Reporter, Run};
use crate::finding::{Finding, Scope, Severity};
use std::fmt::Write as _;

/// Annotations GitHub shows per kind and step.
const PER_KIND: usize = 10;

/// Escapes a command's message: `%`, CR and LF as the runner reads them, and every other control
/// character shown escaped (an ESC in the log starts a terminal sequence in the log viewer).
pub fn data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if crate::escape::is_unsafe(c) => out.push_str(&crate::escape::visible(c)),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a property value: as a message, and `:` and `,` too.
pub fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

fn annotation(run: &Run<'_>, finding: &Finding) -> String {
    let location = &finding.location;
    let mut properties = Vec::new();
    let mut message = finding.message.clone();
    // A repository-level finding is anchored where its fix belongs; when that file does not exist
    // yet (no ADR folder), the annotation is the run's, and the message names the file.
    if finding.scope == Scope::File || run.sources.is_file(&location.path) {
        properties.push(format!("file={}", property(&format!("{}{}", run.repository_prefix, location.path))));
    } else {
        let _ = write!(message, " (fix in `{}{}`)", run.repository_prefix, location.path);
    }
    if finding.scope == Scope::File {
        properties.push(format!("line={}", location.start.line));
        properties.push(format!("endLine={}", location.end.line.max(location.start.line)));
        if location.end.line == location.start.line {
            properties.push(format!("col={}", location.start.column));
            properties.push(format!("endColumn={}", location.end.column.max(location.start.column)));
        }
    }
    properties.push(format!("title={}", property(&format!("apelint {} ({})", finding.rule, finding.family))));
    if let Some(help) = &finding.help {
        message.push_str("\n\n");
        message.push_str(help);
    }
    format!("::{} {}::{}", command(finding.severity), properties.join(","), data(&message))
}

/// The github format: workflow commands that annotate the pull request.
#[derive(Debug, Clone, Copy)]
pub struct Github;

impl Reporter for Github {
    fn render(&self, run: &Run<'_>) -> Rendered {
        render(run).into()
    }
}

fn render(run: &Run<'_>) -> String {
    // In a pull request, each place of a group that the change touches is annotated where it is;
    // otherwise a group is one annotation at its first place, its message counting the others.
    let places: Vec<Finding> = match run.change {
        Some(_) => run.outcome.findings.iter().flat_map(Finding::split).collect(),
        None => run.outcome.findings.clone(),
    };
    let mut findings: Vec<&Finding> = places.iter().filter(|finding| run.in_change(finding)).collect();
    // Most severe first; within a severity, the report's order (family, path, position).
    findings.sort_by_key(|finding| std::cmp::Reverse(finding.severity));
    let mut out = String::new();
    let mut shown = [0usize; 3];
    let mut left_out = 0;
    for finding in &findings {
        let kind = match finding.severity {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Info => 2,
        };
        // Keep one notice for the closing line.
        let room = if kind == 2 { PER_KIND - 1 } else { PER_KIND };
        if shown[kind] >= room {
            left_out += 1;
            continue;
        }
        shown[kind] += 1;
        out.push_str(&annotation(run, finding));
        out.push('\n');
    }
    let total = findings.len();
    let everywhere: usize = run.outcome.findings.iter().map(Finding::count).sum();
    let noun = if total == 1 { "finding" } else { "findings" };
    let total = if run.change.is_some() {
        format!("{total} {noun} in this change ({everywhere} in all)")
    } else {
        format!("{total} {noun}")
    };
    let closing = if left_out > 0 {
        format!(
            "apelint: {total}; {left_out} more than GitHub shows as annotations are in the job summary (`--format markdown`) and the SARIF upload"
        )
    } else {
        format!("apelint: {total}")
    };
    let _ = writeln!(out, "::notice title=apelint::{}", data(&closing));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_a_small_run() {
        let sample = crate::report::sample::Sample::new();
        let rendered = Github.render(&sample.run());
        insta::assert_snapshot!(rendered.text.replace(env!("CARGO_PKG_VERSION"), "[version]"));
    }

    #[test]
    fn text_from_the_repository_cannot_start_a_command() {
        assert_eq!(data("50% done\r\n::error::pwned"), "50%25 done%0D%0A::error::pwned");
        assert_eq!(property("a,b:c\nd"), "a%2Cb%3Ac%0Ad");
        assert_eq!(property("a\u{1b}[2J.md"), "a\\e[2J.md");
    }
}
