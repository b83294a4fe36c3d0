//! `apelint check`: the analysis finished into a [`Run`], rendered by each output's reporter and
//! written; the exit says whether findings reached the fail level.

use super::diff::{self, Base};
use super::settings::{CheckSettings, Output};
use super::{Analysis, Exit, Failure, Prepared, github, sources, terminal, write};
use crate::diag::{Problem, Problems};
use crate::engine::Outcome;
use crate::group::{Grouping, group};
use crate::report::human::Style;
use crate::report::{Format, Rendered, Reporter, Run};
use std::collections::HashMap;

/// Checks the repository and writes every output; a reporter that fails (a bug) does not take the
/// others down: each is written or said to have failed, and the run then fails.
pub fn check(settings: &CheckSettings) -> Result<Exit, Failure> {
    let prepared = Prepared::new(&settings.analysis)?;
    let fail_on = settings.fail_on.level(prepared.config.fail_on);
    write::distinct_targets(settings.outputs.iter().filter_map(|output| output.file.as_deref()))?;
    if let Some(output) = settings.outputs.iter().find(|output| output.file.is_none()) {
        if terminal::stdout_closed() {
            eprintln!(
                "apelint: warning: standard output is closed (or a /dev/null opened for reading too): the {} report is discarded; write it with `--output FILE`",
                output.format.name()
            );
        }
    }
    let Analysis { prepared, facts, outcome } = prepared.analyse()?;
    // With a baseline (a file, or the merge base of the change), `shown` holds the new findings
    // only; SARIF keeps every finding.
    let since = match &settings.new_since {
        Some(named) => Some(Base::Named(named.clone())),
        None if settings.all_findings || settings.baseline.is_some() => None,
        None => github::pull_request_base().map(Base::PullRequest),
    };
    let (baseline, shown) = match (&settings.baseline, since) {
        (Some(file), _) => {
            let (compared, shown) = super::baseline::compare(file, &facts, &outcome)?;
            (Some(compared), Some(shown))
        }
        (None, Some(since)) => match super::revisions::compare(&prepared, &facts, &outcome, &since)? {
            Some((compared, shown)) => (Some(compared), Some(shown)),
            None => (None, None),
        },
        (None, None) => (None, None),
    };
    let shown = shown.as_ref().unwrap_or(&outcome);
    let sources_needed =
        settings.outputs.iter().any(|output| output.format.reporter(style(settings, output)).reads_sources());
    let sources = sources::read(&facts, &shown.findings, sources_needed);
    // Suppressions and the baseline judged each place; now the places that share a cause are one
    // finding each.
    let active = prepared.active();
    let policies: HashMap<&str, (&Grouping, &str)> =
        active.iter().map(|rule| (rule.id.as_str(), (&rule.grouping, rule.summary.as_str()))).collect();
    let grouped = |outcome: &Outcome| Outcome {
        findings: group(outcome.findings.clone(), |id| policies.get(id).copied()),
        ..outcome.clone()
    };
    let (everything, shown) = (grouped(&outcome), grouped(shown));
    let reporters: Vec<Box<dyn Reporter>> =
        settings.outputs.iter().map(|output| output.format.reporter(style(settings, output))).collect();
    // Pull-request mode: the lines of the change, for annotations; the job summary marks them.
    let base = match &settings.diff_base {
        Some(named) => Some(Base::Named(named.clone())),
        None => github::pull_request_base().map(Base::PullRequest),
    };
    let annotating = settings.outputs.iter().any(|output| matches!(output.format, Format::Github | Format::Markdown));
    let judged = facts.commit().map(crate::facts::source::CommitTree::id);
    let change = diff::change(&prepared.root, base, settings.filter_mode, annotating, judged)?;
    let run = Run {
        root: prepared.root.clone(),
        outcome: &shown,
        everything: &everything,
        sources: &sources,
        profile: facts.profile(),
        git: facts.git(),
        files: facts.tree().files.len(),
        source_files: facts.source_file_count(),
        skipped_files: facts.skipped(),
        broken_manifests: facts.manifests().broken.clone(),
        history: facts.history_if_read(),
        schema: facts.schema_if_read(),
        baseline: baseline.as_ref(),
        change: change.as_ref(),
        rules: active
            .iter()
            .copied()
            .filter(|rule| !outcome.skipped.iter().any(|skipped| skipped.rule == rule.id))
            .collect(),
        repository_prefix: crate::facts::git::prefix_in_repository(&prepared.root),
        // Said only when nothing was selected: a `--select` run asked for what it wanted.
        preview_not_run: if settings.analysis.select.is_empty() && prepared.config.select.is_empty() {
            prepared
                .rules
                .iter()
                .filter(|rule| rule.preview && !active.iter().any(|ran| ran.id == rule.id))
                .map(|rule| rule.id.clone())
                .collect()
        } else {
            Vec::new()
        },
    };
    let mut failed = Problems::new();
    for (output, reporter) in settings.outputs.iter().zip(&reporters) {
        let rendered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            // Debug builds only: the tests make one reporter fail to see the others written.
            #[cfg(debug_assertions)]
            if std::env::var("APELINT_DEBUG_FAIL_REPORT").is_ok_and(|name| name == output.format.name()) {
                panic!("a reporter failure injected by APELINT_DEBUG_FAIL_REPORT");
            }
            reporter.render(&run)
        }));
        match rendered {
            Ok(Rendered { text, note }) => {
                if let Some(note) = note {
                    eprintln!("apelint: warning: {note}");
                }
                write::emit(&text, output.file.as_deref())?;
            }
            Err(_) => failed.push(Problem::internal(format!(
                "the {} report could not be written: apelint failed while rendering it (a bug; please report it)",
                output.format.name()
            ))),
        }
    }
    if !failed.is_empty() {
        return Err(failed.into());
    }
    let failing = fail_on.map_or(0, |level| run.counts().at_or_above(level));
    Ok(if failing > 0 { Exit::Findings } else { Exit::Clean })
}

/// How the human format draws into `output`: colour and box drawing on a terminal.
fn style(settings: &CheckSettings, output: &Output) -> Style {
    let to_terminal = output.file.is_none() && terminal::stdout_is_terminal();
    Style {
        color: terminal::colour(settings.color, to_terminal),
        unicode: to_terminal,
        width: 100,
        verbose: settings.verbose,
        quiet: settings.quiet,
        detail: settings.detail,
    }
}
