//! Human output: one miette diagnostic per finding (with the source lines for findings in a file),
//! then a summary of counts.

use super::{Rendered, Reporter, Run};
use crate::engine::SkipKind;
use crate::escape::printable;
use crate::finding::{Finding, Scope, Severity};
use crate::snippet::{CONTEXT_LINES, Snippet};
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use std::fmt::{self, Write as _};

/// How to draw the output.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// Unicode box drawing; plain ASCII otherwise.
    pub unicode: bool,
    pub width: usize,
    /// Also list rules that did not apply to this repository.
    pub verbose: bool,
    /// Findings only, no summary.
    pub quiet: bool,
    pub detail: Detail,
}

struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    source: Option<Snippet>,
    /// Whether to show the rule's code and help (the grouped view prints them once per rule).
    help: bool,
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FindingDiagnostic").field("rule", &self.finding.rule).finish()
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&printable(&self.finding.message))
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        if !self.help {
            return None;
        }
        Some(Box::new(format!("{}/{}", self.finding.family, self.finding.rule)))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        if !self.help {
            return None;
        }
        self.finding
            .help
            .as_ref()
            .map(|help| Box::new(printable(&first_paragraph(help)).into_owned()) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|source| source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.source.as_ref()?.span();
        Some(Box::new(std::iter::once(LabeledSpan::new(None, span.offset(), span.len()))))
    }
}

fn first_paragraph(text: &str) -> String {
    text.trim().split("\n\n").next().unwrap_or_default().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The human format: a miette diagnostic per finding, drawn in a [`Style`].
#[derive(Debug, Clone, Copy)]
pub struct Human {
    pub style: Style,
}

impl Reporter for Human {
    fn render(&self, run: &Run<'_>) -> Rendered {
        render(run, self.style).into()
    }

    fn reads_sources(&self) -> bool {
        true
    }
}

/// How much the human format shows of each finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Detail {
    /// By rule: its severity, count and help once, a code frame for the first few findings and a
    /// line for the others; a group's first places.
    #[default]
    Grouped,
    /// A diagnostic with its code frame for every place (`--full`).
    Full,
    /// One grep-able line per place: `path:line:col: severity[rule] message` (`--concise`).
    Concise,
}

/// Code frames per rule in the grouped view (for errors and warnings; info findings get a line).
const FRAMES: usize = 2;
/// Findings listed per rule in the grouped view.
const ENTRIES: usize = 10;
/// Places listed under a group in the grouped view.
const PLACES: usize = 3;

/// Renders the whole run.
fn render(run: &Run<'_>, style: Style) -> String {
    let theme = match (style.unicode, style.color) {
        (true, true) => GraphicalTheme::unicode(),
        (true, false) => GraphicalTheme::unicode_nocolor(),
        (false, true) => GraphicalTheme::ascii(),
        (false, false) => GraphicalTheme::none(),
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .with_context_lines(CONTEXT_LINES);
    let mut out = String::new();
    match style.detail {
        Detail::Full => {
            for finding in run.outcome.findings.iter().flat_map(Finding::split) {
                diagnostic(run, &handler, &finding, true, &mut out);
            }
        }
        Detail::Concise => {
            for finding in run.outcome.findings.iter().flat_map(Finding::split) {
                let _ = writeln!(out, "{}", concise(&finding));
            }
        }
        Detail::Grouped => grouped(run, style, &handler, &mut out),
    }
    if !style.quiet {
        summary(run, style, &mut out);
    }
    out
}

/// One finding as a miette diagnostic with its code frame; its help only when `help`.
fn diagnostic(run: &Run<'_>, handler: &GraphicalReportHandler, finding: &Finding, help: bool, out: &mut String) {
    let source = match finding.scope {
        Scope::Repository => None,
        Scope::File => {
            let path = finding.location.path.as_str();
            run.sources.text(path).map(|file| {
                let location = &finding.location;
                file.snippet(
                    path,
                    (location.start.line, location.start.column),
                    (location.end.line, location.end.column),
                    CONTEXT_LINES,
                )
            })
        }
    };
    let diagnostic = FindingDiagnostic { finding, source, help };
    let mut rendered = String::new();
    if handler.render_report(&mut rendered, &diagnostic).is_err() {
        rendered = format!("{}: {} [{}]\n", finding.severity, printable(&finding.message), finding.rule);
    }
    out.push_str(&rendered);
    if !rendered.ends_with('\n') {
        out.push('\n');
    }
    // A repository-level finding has no source line to show: say where its fix belongs.
    if finding.scope == Scope::Repository && !finding.location.path.is_empty() {
        out.push_str(&format!("  where: {}\n", printable(&finding.location.path)));
    }
}

/// `path:line:col: severity[rule] message`, the shape compilers and grep-based tools read.
fn concise(finding: &Finding) -> String {
    let location = &finding.location;
    let place = match finding.scope {
        Scope::File => format!("{}:{}:{}", location.path, location.start.line, location.start.column),
        Scope::Repository => location.path.clone(),
    };
    format!("{}: {}[{}] {}", printable(&place), finding.severity, finding.rule, printable(&finding.message))
}

/// The default view: findings by rule, most severe rules first.
fn grouped(run: &Run<'_>, style: Style, handler: &GraphicalReportHandler, out: &mut String) {
    let mut rules: Vec<(&str, Vec<&Finding>)> = Vec::new();
    for finding in &run.outcome.findings {
        match rules.iter_mut().find(|(rule, _)| *rule == finding.rule) {
            Some((_, list)) => list.push(finding),
            None => rules.push((&finding.rule, vec![finding])),
        }
    }
    rules.sort_by_key(|(_, list)| std::cmp::Reverse(list.iter().map(|finding| finding.severity).max()));
    let paint =
        |code: &str, text: &str| if style.color { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() };
    for (index, (rule, list)) in rules.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let first = list[0];
        let severity = list.iter().map(|finding| finding.severity).max().unwrap_or(first.severity);
        let colour = match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        };
        let summary = run.rules.iter().find(|known| known.id == *rule).map(|known| known.summary.as_str());
        let places: usize = list.iter().map(|finding| finding.count()).sum();
        let count = match (list.len(), places) {
            (1, 1) => "1 finding".to_string(),
            (findings, places) if places == findings => format!("{findings} findings"),
            (1, places) => format!("1 finding, {places} places"),
            (findings, places) => format!("{findings} findings, {places} places"),
        };
        let _ = writeln!(
            out,
            "{} {} · {count}",
            paint(colour, &format!("{severity}[{}/{rule}]", first.family)),
            paint("1", summary.map_or(*rule, |summary| summary)),
        );
        if let Some(help) = &first.help {
            let _ = writeln!(out, "  help: {}", printable(&first_paragraph(help)));
        }
        let mut frames = 0;
        for finding in list.iter().take(ENTRIES) {
            let framed = frames < FRAMES
                && finding.severity >= Severity::Warning
                && finding.scope == Scope::File
                && run.sources.text(&finding.location.path).is_some();
            if framed {
                frames += 1;
                diagnostic(run, handler, finding, false, out);
            } else {
                let _ = writeln!(out, "  {}  {}", place(finding), printable(&finding.message));
            }
            if !finding.members.is_empty() {
                for member in finding.members.iter().take(PLACES) {
                    let location = &member.location;
                    let at = format!("{}:{}:{}", location.path, location.start.line, location.start.column);
                    let _ = writeln!(out, "    {}  {}", printable(&at), printable(&member.message));
                }
                match finding.count().saturating_sub(PLACES) {
                    0 => {}
                    1 => out.push_str("    ... and 1 more place (--full shows it)\n"),
                    more => {
                        let _ = writeln!(out, "    ... and {more} more places (--full shows them)");
                    }
                }
            }
        }
        if list.len() > ENTRIES {
            let _ = writeln!(
                out,
                "  ... and {} more findings of this rule (--full shows them, --concise lists them)",
                list.len() - ENTRIES
            );
        }
    }
}

/// Where a finding is, for a one-line entry: `path:line:col`, or the file where a repository-level
/// finding's fix belongs.
fn place(finding: &Finding) -> String {
    let location = &finding.location;
    printable(&match finding.scope {
        Scope::File => format!("{}:{}:{}", location.path, location.start.line, location.start.column),
        Scope::Repository => format!("where: {}", location.path),
    })
    .into_owned()
}

fn summary(run: &Run<'_>, style: Style, out: &mut String) {
    let counts = run.counts();
    let plural =
        |count: usize, word: &str| if count == 1 { format!("{count} {word}") } else { format!("{count} {word}s") };
    if !run.outcome.findings.is_empty() {
        out.push('\n');
    }
    if let Some(Ok(history)) = run.history {
        let cadence = super::cadence::Cadence::of(history);
        let (line, marker) = cadence.sparkline(history, style.unicode);
        let _ = writeln!(out, "history: {}", printable(&cadence.describe()));
        let _ = writeln!(out, "  |{line}|  commits per week");
        if let Some(marker) = marker {
            let _ = writeln!(out, "   {marker}");
        }
    }
    let _ = writeln!(
        out,
        "apelint: {}, {}, {} · {} ({} source) · profile: {} · git: {}",
        plural(counts.error, "error"),
        plural(counts.warning, "warning"),
        format_args!("{} info", counts.info),
        plural(run.files, "file"),
        run.source_files,
        run.profile.describe(),
        printable(&run.git.describe()),
    );
    if let Some((applied, _)) = run.baseline {
        let _ = match &applied.new_since {
            Some(base) => writeln!(
                out,
                "new since {} (merge base {}): {} new, {} fixed, {} unchanged not shown",
                printable(&base.reference),
                base.commit,
                run.outcome.findings.iter().map(Finding::count).sum::<usize>(),
                applied.fixed.len(),
                applied.known,
            ),
            None => writeln!(
                out,
                "baseline {}: {} known {} not shown, {} fixed since",
                printable(&applied.file),
                applied.known,
                if applied.known == 1 { "finding" } else { "findings" },
                applied.fixed.len()
            ),
        };
        for entry in &applied.fixed {
            let _ = writeln!(
                out,
                "  fixed: {} {} {}",
                printable(&entry.rule),
                printable(&entry.path),
                printable(&entry.message)
            );
        }
    }
    // Rules that could not be judged, grouped by reason: one line for "a bare repository ..."
    // rather than one per rule.
    let mut cannot: Vec<(&str, Vec<&str>)> = Vec::new();
    for skip in run.outcome.skipped.iter().filter(|skip| skip.kind == SkipKind::CannotJudge) {
        match cannot.iter_mut().find(|(reason, _)| *reason == skip.reason) {
            Some((_, rules)) => rules.push(&skip.rule),
            None => cannot.push((&skip.reason, vec![&skip.rule])),
        }
    }
    for (reason, rules) in cannot {
        let _ = writeln!(out, "skipped {}: {}", rules.join(", "), printable(reason));
        if let Some(hint) =
            run.outcome.skipped.iter().find(|skip| skip.reason == reason).and_then(|skip| skip.hint.as_ref())
        {
            let _ = writeln!(out, "  hint: {}", printable(hint));
        }
    }
    let not_applicable: Vec<_> =
        run.outcome.skipped.iter().filter(|skip| skip.kind == SkipKind::NotApplicable).collect();
    if style.verbose {
        for skip in &not_applicable {
            let _ = writeln!(out, "not applicable {}: {}", skip.rule, printable(&skip.reason));
        }
    } else if !not_applicable.is_empty() {
        let _ = writeln!(
            out,
            "{} not applicable to this repository (--verbose lists them)",
            plural(not_applicable.len(), "rule")
        );
    }
    if !run.preview_not_run.is_empty() {
        let _ = writeln!(
            out,
            "{} not run, not yet precise enough on real repositories (--preview runs them): {}",
            plural(run.preview_not_run.len(), "preview rule"),
            printable(&run.preview_not_run.join(", "))
        );
    }
    let skips = run.skip_counts();
    if !skips.is_empty() {
        let parts: Vec<String> = skips.iter().map(|(skip, count)| format!("{count} {}", skip.as_str())).collect();
        let _ = writeln!(out, "{} not read: {}", plural(run.skipped_files.len(), "file"), parts.join(", "));
    }
    for (path, reason) in &run.broken_manifests {
        let _ = writeln!(out, "manifest {} could not be parsed: {}", printable(path), printable(reason));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_a_small_run() {
        let sample = crate::report::sample::Sample::new();
        let rendered = Human {
            style: Style {
                color: false,
                unicode: false,
                width: 100,
                verbose: false,
                quiet: false,
                detail: Detail::Full,
            },
        }
        .render(&sample.run());
        insta::assert_snapshot!(rendered.text.replace(env!("CARGO_PKG_VERSION"), "[version]"));
    }
}
