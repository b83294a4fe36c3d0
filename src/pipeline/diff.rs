//! Pull-request mode: the lines changed since the merge base with the base ref, computed when an
//! output annotates them (`--format github`, or the job summary that marks them).

use super::Failure;
use crate::diag::Problem;
use crate::report::{Change, FilterMode};
use std::path::Path;

/// The ref whose merge base with HEAD starts the change, and who named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    /// `--diff-base`: it must work.
    Named(String),
    /// The pull request's base, found in the environment: it may be missing from a shallow
    /// checkout, and then every finding is reported, with a warning.
    PullRequest(String),
}

/// The change to annotate, or `None` when nothing asks for one (no base, no annotating output, or
/// `--filter-mode nofilter`).
/// `judged` is the commit judged from objects, when it is not the working tree.
pub fn change(
    root: &Path,
    base: Option<Base>,
    mode: FilterMode,
    annotating: bool,
    judged: Option<git2::Oid>,
) -> Result<Option<Change>, Failure> {
    let Some(base) = base.filter(|_| annotating && mode != FilterMode::Nofilter) else { return Ok(None) };
    let (Base::Named(reference) | Base::PullRequest(reference)) = &base;
    match crate::facts::history::changed_lines(root, reference, judged) {
        Ok(lines) => Ok(Some(Change::new(mode, lines))),
        Err(unavailable) if matches!(base, Base::PullRequest(_)) => {
            eprintln!(
                "apelint: warning: pull-request mode is off, every finding is annotated: {} ({})",
                unavailable.reason, unavailable.hint
            );
            Ok(None)
        }
        Err(unavailable) => {
            Err(Problem::usage(format!("--diff-base: {}", unavailable.reason)).with_help(unavailable.hint).into())
        }
    }
}
