//! Reporters: one [`Reporter`] per output format, each a function of a finished [`Run`], one file
//! per format. A reporter knows nothing of the command line, of checks or of the disk: the run
//! carries everything it shows, the text of the files with findings included.

pub mod cadence;
pub mod change;
pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod source;
pub mod trend;

use crate::engine::Outcome;
use crate::facts::git::GitState;
use crate::facts::profile::ProfileFact;
use crate::facts::text::Skip;
use crate::finding::Counts;
use std::collections::BTreeMap;
use std::path::PathBuf;

pub use change::{Change, FilterMode};
pub use source::Sources;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
    /// A Markdown job summary, for `$GITHUB_STEP_SUMMARY`.
    Markdown,
}

impl Format {
    /// The format's name, as `--format` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::Markdown => "markdown",
        }
    }

    /// The reporter of this format; `style` is how the human format draws (the others ignore it).
    pub fn reporter(self, style: human::Style) -> Box<dyn Reporter> {
        match self {
            Format::Human => Box::new(human::Human { style }),
            Format::Json => Box::new(json::Json),
            Format::Sarif => Box::new(sarif::Sarif),
            Format::Github => Box::new(github::Github),
            Format::Markdown => Box::new(markdown::Markdown),
        }
    }
}

/// One output format: renders a finished run into text.
pub trait Reporter {
    /// The run as this format shows it.
    fn render(&self, run: &Run<'_>) -> Rendered;

    /// Whether this format shows the text of the files with findings (code frames, UTF-16
    /// columns): the pipeline reads them only when some reporter does.
    fn reads_sources(&self) -> bool {
        false
    }
}

/// A reporter's text, and a note for standard error when it had to leave something out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub text: String,
    pub note: Option<String>,
}

impl From<String> for Rendered {
    fn from(text: String) -> Self {
        Rendered { text, note: None }
    }
}

/// A finished run: everything a reporter may show.
#[derive(Debug, Clone)]
pub struct Run<'a> {
    pub root: PathBuf,
    /// The findings to show: with `--baseline`, the new ones only.
    pub outcome: &'a Outcome,
    /// Every finding, the baseline's included: SARIF keeps them all (a result missing from an
    /// upload closes its alert), marked new or unchanged.
    pub everything: &'a Outcome,
    /// The text of the files with findings, and which anchors of repository-level findings exist.
    pub sources: &'a Sources,
    pub profile: &'a ProfileFact,
    pub git: &'a GitState,
    /// Files the walk saw.
    pub files: usize,
    pub source_files: usize,
    pub skipped_files: BTreeMap<String, Skip>,
    /// Manifests that could not be parsed: (path, reason).
    pub broken_manifests: Vec<(String, String)>,
    /// The commit history, when a rule read it.
    pub history: Option<Result<&'a crate::facts::history::History, &'a crate::facts::history::Unavailable>>,
    /// The migration sets and schema files, when a rule read them.
    pub schema: Option<&'a crate::facts::schema::Schema>,
    /// What `--baseline` hid and what it found fixed, with the fingerprints it knows.
    pub baseline: Option<&'a (crate::baseline::Applied, std::collections::HashSet<String>)>,
    /// Pull-request mode for annotations: the filter and the changed lines per path.
    pub change: Option<&'a Change>,
    /// The rules that ran (selected, on, and not skipped), in their listing order.
    pub rules: Vec<&'a crate::rule::Rule>,
    /// Where the checked folder sits in its git repository (`services/api/`, or empty): annotations
    /// and SARIF locations are relative to the repository's top, as GitHub reads them.
    pub repository_prefix: String,
    /// Preview rules a run without a selection left out (`--preview` runs them), by id.
    pub preview_not_run: Vec<String>,
}

impl Run<'_> {
    pub fn counts(&self) -> Counts {
        Counts::of(&self.outcome.findings)
    }

    /// Whether `finding` is in the pull request's change, as `--filter-mode` reads it; every
    /// finding is when there is no change to compare with.
    pub fn in_change(&self, finding: &crate::finding::Finding) -> bool {
        self.change.is_none_or(|change| change.holds(finding))
    }

    /// Skipped files counted by reason, in a stable order.
    pub fn skip_counts(&self) -> BTreeMap<Skip, usize> {
        let mut counts = BTreeMap::new();
        for skip in self.skipped_files.values() {
            *counts.entry(*skip).or_insert(0) += 1;
        }
        counts
    }
}

/// A small hand-built run for the reporters' snapshot tests: a repository-level finding anchored
/// at a README that exists, two findings in a file whose text the run carries, and one info.
#[cfg(test)]
pub(crate) mod sample {
    use super::{Run, Sources};
    use crate::engine::{Outcome, SkipKind, SkippedRule};
    use crate::facts::git::GitState;
    use crate::facts::profile::{Profile, ProfileFact};
    use crate::finding::{Finding, Location, Position, Scope, Severity, finalise};
    use crate::rule::Rule;
    use std::path::PathBuf;

    /// What a sample run borrows.
    pub struct Sample {
        pub outcome: Outcome,
        pub sources: Sources,
        pub profile: ProfileFact,
        pub git: GitState,
        pub rules: Vec<Rule>,
    }

    fn finding(rule: &Rule, severity: Severity, scope: Scope, location: Location, message: &str) -> Finding {
        Finding {
            rule: rule.id.clone(),
            family: rule.family.as_str().to_string(),
            severity,
            message: message.to_string(),
            help: Some(rule.docs.fix.split_whitespace().collect::<Vec<_>>().join(" ")),
            scope,
            location,
            fingerprint: String::new(),
            key: message.to_string(),
            cause: None,
            members: Vec::new(),
        }
    }

    fn at(path: &str, line: usize, column: usize, end_column: usize) -> Location {
        Location {
            path: path.to_string(),
            start: Position { line, column },
            end: Position { line, column: end_column },
        }
    }

    impl Sample {
        pub fn new() -> Self {
            let all = crate::rule::load(&crate::rule::builtin_sources(), &Default::default()).expect("built-ins load");
            let rules: Vec<Rule> = all
                .into_iter()
                .filter(|rule| ["readme-thin", "error-swallowed", "print-debugging"].contains(&rule.id.as_str()))
                .collect();
            let rule = |id: &str| rules.iter().find(|rule| rule.id == id).expect("a built-in rule");
            let mut findings = vec![
                finding(
                    rule("readme-thin"),
                    Severity::Warning,
                    Scope::Repository,
                    Location::anchor("README.md"),
                    "README.md has 3 words",
                ),
                finding(
                    rule("print-debugging"),
                    Severity::Warning,
                    Scope::File,
                    at("src/app.py", 2, 5, 17),
                    "`print(\"héllo\")` in service code",
                ),
                finding(
                    rule("error-swallowed"),
                    Severity::Info,
                    Scope::File,
                    at("src/app.py", 3, 7, 11),
                    "an error swallowed without a log",
                ),
            ];
            finalise(&mut findings);
            let outcome = Outcome {
                findings,
                suppressed: 1,
                skipped: vec![SkippedRule {
                    rule: "stale".to_string(),
                    reason: "no git repository".to_string(),
                    kind: SkipKind::CannotJudge,
                    hint: Some("run apelint in a clone".to_string()),
                }],
                ran: 3,
            };
            let mut sources = Sources::default();
            sources.add_text("src/app.py", "def main():\n    print(\"héllo\")\n    except: pass\n".to_string());
            sources.add_file("README.md");
            let profile = ProfileFact { profiles: [Profile::Service].into(), evidence: Vec::new(), configured: true };
            let git =
                GitState::Repository { shallow: false, bare: false, branch: Some("main".to_string()), commit: None };
            Sample { outcome, sources, profile, git, rules }
        }

        pub fn run(&self) -> Run<'_> {
            Run {
                root: PathBuf::from("/repo"),
                outcome: &self.outcome,
                everything: &self.outcome,
                sources: &self.sources,
                profile: &self.profile,
                git: &self.git,
                files: 4,
                source_files: 1,
                skipped_files: [("data.bin".to_string(), crate::facts::text::Skip::Binary)].into(),
                broken_manifests: Vec::new(),
                history: None,
                schema: None,
                baseline: None,
                change: None,
                rules: self.rules.iter().collect(),
                repository_prefix: String::new(),
                preview_not_run: Vec::new(),
            }
        }
    }
}
