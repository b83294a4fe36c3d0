//! What each command was asked to do, as plain values: the command line resolved once (defaults
//! filled in, each `--report` paired with its file), with nothing of the argument parser left.

use crate::finding::Severity;
use crate::report::{FilterMode, Format};
use std::path::PathBuf;

/// Where a command reads from: the repository, its configuration file and extra rule folders.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// The repository's root folder, as given.
    pub path: PathBuf,
    /// `--config`: the configuration file (default: `apelint.toml` or `.apelint.toml` at the root).
    pub config: Option<PathBuf>,
    /// `--rules`: folders of extra rules, in order.
    pub rule_dirs: Vec<PathBuf>,
}

/// What the analysis shared by `check` and `baseline` needs: where to read, and which rules to run.
#[derive(Debug, Clone)]
pub struct AnalysisSettings {
    pub inputs: Inputs,
    /// `--select`: replaces `select` in `apelint.toml` when not empty.
    pub select: Vec<String>,
    /// `--ignore`: added to `ignore` in `apelint.toml`.
    pub ignore: Vec<String>,
    /// `--preview`: run the preview rules too.
    pub preview: bool,
    /// `--commit`: judge this commit's tree from git objects instead of the working tree.
    pub commit: Option<String>,
}

/// One rendering of a run: a format, written to a file or, without one, to standard output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub format: Format,
    pub file: Option<PathBuf>,
}

/// The severity at which findings make the run exit with 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailLevel {
    /// `fail-on` in `apelint.toml`, else errors.
    Configured,
    At(Severity),
    /// Exit 0 whatever is found.
    Never,
}

impl FailLevel {
    /// The level, `configured` being `fail-on` from `apelint.toml`; `None` never fails.
    pub fn level(self, configured: Option<Severity>) -> Option<Severity> {
        match self {
            FailLevel::Configured => Some(configured.unwrap_or(Severity::Error)),
            FailLevel::At(severity) => Some(severity),
            FailLevel::Never => None,
        }
    }
}

/// `apelint check`.
#[derive(Debug, Clone)]
pub struct CheckSettings {
    pub analysis: AnalysisSettings,
    /// Every rendering of the run: `--format` to `--output` (or standard output) first, then each
    /// `--report`.
    pub outputs: Vec<Output>,
    pub fail_on: FailLevel,
    /// Findings only, no summary (human format).
    pub quiet: bool,
    /// Also list the rules that did not apply (human format).
    pub verbose: bool,
    /// How much the human format shows of each finding.
    pub detail: crate::report::human::Detail,
    /// `--color always` (`Some(true)`) or `never` (`Some(false)`); `None` decides by the terminal.
    pub color: Option<bool>,
    /// `--baseline`: show only the findings this baseline file does not know.
    pub baseline: Option<PathBuf>,
    /// `--diff-base`: the ref whose merge base starts the pull request's change.
    pub diff_base: Option<String>,
    /// `--new-since`: the ref whose merge base is judged; only the findings it lacks are shown.
    pub new_since: Option<String>,
    /// `--all-findings`: no `--new-since` default in a pull request's workflow run.
    pub all_findings: bool,
    pub filter_mode: FilterMode,
}

/// `apelint trend`.
#[derive(Debug, Clone)]
pub struct TrendSettings {
    pub analysis: AnalysisSettings,
    /// How far back the points go, and how far apart they are.
    pub since: crate::date::Span,
    pub every: crate::date::Span,
    /// `--format json`.
    pub json: bool,
}

/// `apelint baseline`.
#[derive(Debug, Clone)]
pub struct BaselineSettings {
    pub analysis: AnalysisSettings,
    /// Where to write the fingerprints (default: `.apelint-baseline.json` at the root).
    pub file: Option<PathBuf>,
}

/// How `apelint rules` lists the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listing {
    Table,
    Json,
    Markdown,
    /// One Markdown page per rule (`<id>.md`) written into this folder.
    Pages(PathBuf),
}

/// `apelint rules`.
#[derive(Debug, Clone)]
pub struct RulesSettings {
    pub inputs: Inputs,
    /// Only rules of the family of this name.
    pub family: Option<String>,
    pub listing: Listing,
}

/// `apelint explain`.
#[derive(Debug, Clone)]
pub struct ExplainSettings {
    pub inputs: Inputs,
    /// The rule id.
    pub id: String,
}

/// `apelint init`.
#[derive(Debug, Clone)]
pub struct InitSettings {
    /// The repository to write `apelint.toml` into.
    pub path: PathBuf,
    /// Overwrite an existing `apelint.toml`.
    pub force: bool,
}
