//! The one pipeline every command that checks a repository shares: the root, its configuration and
//! rules, the rules selected, the facts and the engine's outcome. `check` finishes the outcome into
//! a report for each output; `baseline` writes its fingerprints. The rule catalogue (`rules`,
//! `explain`, `init`) loads configuration and rules the same way. Only `main` picks the exit code.

mod baseline;
mod catalogue;
mod check;
mod diff;
mod github;
mod revisions;
pub mod settings;
mod sources;
mod terminal;
mod trend;
mod write;

pub use baseline::baseline;
pub use catalogue::{explain, init, rules};
pub use check::check;
pub use trend::trend;

use crate::config::Config;
use crate::diag::{Problem, Problems};
use crate::engine::{self, Outcome};
use crate::facts::history::HistorySettings;
use crate::facts::source::CommitTree;
use crate::facts::{FactSettings, Facts, text::DEFAULT_MAX_FILE_SIZE};
use crate::rule::{self, Rule, Selection, Selector};
use settings::{AnalysisSettings, Inputs};
use std::path::{Path, PathBuf};

/// What a command asks `main` to do when it returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Clean,
    Findings,
}

/// A failure that stops the run with exit code 2.
#[derive(Debug)]
pub enum Failure {
    Problems(Problems),
    /// Standard output was closed by the reader (`apelint | head`): not an error.
    BrokenPipe,
}

impl From<Problems> for Failure {
    fn from(problems: Problems) -> Self {
        Failure::Problems(problems)
    }
}

impl From<Problem> for Failure {
    fn from(problem: Problem) -> Self {
        Failure::Problems(Problems::one(problem))
    }
}

/// The repository folder at `path`, once it is known to be a folder apelint can list.
fn root(path: &Path) -> Result<PathBuf, Problem> {
    if !path.exists() {
        return Err(Problem::usage(format!("path `{}` does not exist", path.display())));
    }
    if !path.is_dir() {
        return Err(Problem::usage(format!("path `{}` is not a folder", path.display()))
            .with_help("apelint checks a whole repository: give its root folder"));
    }
    // A folder that cannot be listed would look empty, and every rule about what is missing would
    // fire on it.
    if let Err(error) = std::fs::read_dir(path) {
        return Err(Problem::io(format!("cannot read the folder `{}`: {error}", path.display())));
    }
    Ok(path.to_path_buf())
}

/// Configuration and rules for the repository at `root`; for a bare repository (`head`), the
/// configuration is the one in HEAD's tree.
fn load(root: &Path, inputs: &Inputs, head: Option<&CommitTree>) -> Result<(Config, Vec<Rule>), Failure> {
    let boundary = crate::boundary::Boundary::of(root);
    let in_commit =
        head.filter(|_| inputs.config.is_none()).and_then(|tree| Some((tree, config_in_commit(root, tree)?)));
    let (config, mut problems) = match in_commit {
        Some((_, (config, problems))) if problems.is_empty() => (config, problems),
        Some((tree, (_, problems))) => {
            // A commit's broken configuration does not stop the run: the commit is judged with
            // the current one, and the problems are shown, as warnings.
            eprintln!(
                "apelint: warning: the configuration in commit {} cannot be used; it is judged with the current configuration:",
                &tree.id().to_string()[..12]
            );
            for problem in problems.problems.into_iter().take(3) {
                eprintln!("{:?}", miette::Report::new(problem));
            }
            Config::discover(root, inputs.config.as_deref(), &boundary)
        }
        None => Config::discover(root, inputs.config.as_deref(), &boundary),
    };
    let mut sources = rule::builtin_sources();
    let repository = config.from_repository.then_some(&boundary);
    // A `--rules` folder inside the repository is the repository's: read within its boundary.
    let dirs = config
        .rule_dirs
        .iter()
        .map(|dir| (dir, repository))
        .chain(inputs.rule_dirs.iter().map(|dir| (dir, boundary.holds(dir).then_some(&boundary))));
    for (dir, repository) in dirs {
        match rule::dir_sources(dir, repository) {
            Ok(found) => sources.extend(found),
            Err(problem) => problems.push(problem),
        }
    }
    match rule::load(&sources, &config.rules) {
        Ok(rules) => problems.finish((config, rules)).map_err(Failure::from),
        Err(more) => {
            problems.problems.extend(more.problems);
            Err(problems.into())
        }
    }
}

/// The configuration in a commit's tree (`apelint.toml` or `.apelint.toml` at the checked folder),
/// with the problems found in it; `None` when the tree holds none. Rule folders it names are not
/// read: they would be read from disk, not from the commit (said on standard error).
fn config_in_commit(root: &Path, tree: &CommitTree) -> Option<(Config, Problems)> {
    let short = &tree.id().to_string()[..12];
    let (name, text) = crate::config::FILE_NAMES
        .iter()
        .find_map(|name| tree.read(name, crate::diag::MAX_SOURCE_SIZE).ok().map(|text| (*name, text)))?;
    let file = crate::diag::SourceFile::new(format!("{name} (commit {short})"), Box::leak(text.into_boxed_str()));
    let (mut config, problems) = Config::parse(file, root.join(name), None);
    if !config.rule_dirs.is_empty() {
        eprintln!(
            "apelint: warning: the rule folders that {name} of commit {short} names are not read: a commit is judged with the built-in rules and those given with --rules"
        );
        config.rule_dirs.clear();
    }
    Some((config, problems))
}

/// The first half of the pipeline: the root checked, configuration and rules loaded, and the
/// rules to run selected. A command may check what it will write before the facts are computed.
pub struct Prepared {
    pub root: PathBuf,
    pub config: Config,
    /// Every rule loaded, active or not (inline suppressions may name any of them).
    pub rules: Vec<Rule>,
    /// Indexes into `rules` of the rules to run, in their order.
    active: Vec<usize>,
    /// A bare repository (or a mirror) has no working tree: HEAD's tree is judged instead.
    head: Option<CommitTree>,
}

impl Prepared {
    pub fn new(settings: &AnalysisSettings) -> Result<Prepared, Failure> {
        let root = root(&settings.inputs.path)?;
        let head = match &settings.commit {
            Some(revision) => Some(commit_tree(&root, revision)?),
            None => bare_head(&root)?,
        };
        Prepared::with_head(settings, root, head)
    }

    /// The configuration and rules in `tree`, a commit's tree already read, to judge it.
    pub fn of_commit(settings: &AnalysisSettings, tree: CommitTree) -> Result<Prepared, Failure> {
        Prepared::with_head(settings, root(&settings.inputs.path)?, Some(tree))
    }

    fn with_head(settings: &AnalysisSettings, root: PathBuf, head: Option<CommitTree>) -> Result<Prepared, Failure> {
        let (config, rules) = load(&root, &settings.inputs, head.as_ref())?;
        let active = {
            let selection = selection(&config, settings);
            // The selection keeps the rules' order: one walk pairs each with its index.
            let mut selected = rule::select(&rules, &selection)?.into_iter().peekable();
            rules
                .iter()
                .enumerate()
                .filter_map(|(at, rule)| selected.next_if(|chosen| std::ptr::eq(rule, *chosen)).map(|_| at))
                .collect()
        };
        Ok(Prepared { root, config, rules, active, head })
    }

    /// The rules to run.
    pub fn active(&self) -> Vec<&Rule> {
        self.active.iter().map(|at| &self.rules[*at]).collect()
    }

    /// The second half: the facts, and the engine's outcome over them.
    pub fn analyse(self) -> Result<Analysis, Failure> {
        self.analyse_with(|_| {})
    }

    /// [`Prepared::analyse`] with the fact settings adjusted: a trend's point is judged with "now"
    /// at its day, and with the commits the other points read.
    pub fn analyse_with(mut self, adjust: impl FnOnce(&mut FactSettings)) -> Result<Analysis, Failure> {
        let mut settings = fact_settings(&self.config)?;
        adjust(&mut settings);
        let facts = match self.head.take() {
            Some(head) => Facts::at_commit(self.root.clone(), settings, head),
            None => Facts::new(self.root.clone(), settings),
        };
        let outcome = self.run_engine(&facts)?;
        Ok(Analysis { prepared: self, facts, outcome })
    }

    /// The outcome of the rules on a commit's tree, with these rules and this configuration.
    pub fn judge_commit(&self, settings: FactSettings, tree: CommitTree) -> Result<Outcome, Failure> {
        let facts = Facts::at_commit(self.root.clone(), settings, tree);
        self.run_engine(&facts)
    }

    fn run_engine(&self, facts: &Facts) -> Result<Outcome, Failure> {
        let known: Vec<&str> = self.rules.iter().map(|rule| rule.id.as_str()).collect();
        engine::run(&self.active(), &known, facts, &self.config.suppress).map_err(Failure::from)
    }
}

/// The tree of the commit `revision` names (`--commit`), or a usage error that says why not.
fn commit_tree(root: &Path, revision: &str) -> Result<CommitTree, Failure> {
    let found = crate::facts::source::repository_of(root).and_then(|(repository, prefix)| {
        let id = crate::facts::source::find_commit(&repository, revision)?;
        CommitTree::new(&repository, id, &prefix)
    });
    found.map_err(|unavailable| {
        Problem::usage(format!("--commit: {}", unavailable.reason)).with_help(unavailable.hint).into()
    })
}

/// HEAD's tree when `root` is a bare repository or a mirror; `None` for a working tree.
fn bare_head(root: &Path) -> Result<Option<CommitTree>, Failure> {
    if !crate::facts::source::is_bare(root) {
        return Ok(None);
    }
    let head = crate::facts::source::repository_of(root).and_then(|(repository, prefix)| {
        // With no commit yet there is no tree: the rules that read one say so.
        let Ok(id) = crate::facts::source::find_commit(&repository, "HEAD") else { return Ok(None) };
        CommitTree::new(&repository, id, &prefix).map(Some)
    });
    match head {
        Ok(tree) => Ok(tree),
        Err(unavailable) => Err(Problem::usage(format!(
            "cannot judge the bare repository `{}`: {}",
            root.display(),
            unavailable.reason
        ))
        .with_help(unavailable.hint)
        .into()),
    }
}

/// A repository analysed: what was prepared, the facts, and every finding.
pub struct Analysis {
    pub prepared: Prepared,
    pub facts: Facts,
    pub outcome: Outcome,
}

/// `select` and `ignore`: the command line's `--select` replaces the configuration's, and its
/// `--ignore` adds to it.
fn selection<'c>(config: &'c Config, settings: &AnalysisSettings) -> Selection<'c> {
    let spanned = |items: &[toml::Spanned<String>]| -> Vec<Selector> {
        items.iter().map(|item| Selector { text: item.get_ref().clone(), span: Some(item.span()) }).collect()
    };
    let plain = |items: &[String]| -> Vec<Selector> {
        items.iter().map(|item| Selector { text: item.clone(), span: None }).collect()
    };
    let select = if settings.select.is_empty() { spanned(&config.select) } else { plain(&settings.select) };
    let mut ignore = spanned(&config.ignore);
    ignore.extend(plain(&settings.ignore));
    Selection { file: config.file.as_ref(), select, ignore, preview: settings.preview || config.preview }
}

fn fact_settings(config: &Config) -> Result<FactSettings, Failure> {
    let now = crate::date::now().map_err(|message| Failure::from(Problem::usage(message)))?;
    Ok(FactSettings {
        excludes: config.exclude.clone(),
        max_file_size: config.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE),
        profile: config.profile.clone(),
        history: {
            let mut history = HistorySettings { now, ..HistorySettings::default() };
            history.window_days = config.window_days.unwrap_or(history.window_days);
            history.bots.extend(config.bots.iter().cloned());
            history
        },
        matches: None,
    })
}
