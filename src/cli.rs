//! The command line: argument parsing, and the wiring from configuration to facts, engine and
//! reporters. Only `main` picks the exit code.

use crate::config::Config;
use crate::diag::{Problem, Problems, did_you_mean};
use crate::engine;
use crate::facts::history::HistorySettings;
use crate::facts::{FactSettings, Facts, text::DEFAULT_MAX_FILE_SIZE};
use crate::finding::Severity;
use crate::report::{self, Report, human::Style};
use crate::rule::{self, Family, Level, Rule};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// A fast linter for product-engineering health.
#[derive(Debug, Parser)]
#[command(name = "apelint", version, about, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    check: CheckArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a repository (the default command).
    Check(CheckArgs),
    /// List the rules with their family, severity and summary.
    Rules(RulesArgs),
    /// Print a rule's documentation.
    Explain(ExplainArgs),
    /// Write a commented apelint.toml with the defaults.
    Init(InitArgs),
    /// Write the current findings' fingerprints to a baseline file (default
    /// `.apelint-baseline.json` at the root, or `--output`), for `--baseline`.
    Baseline(CheckArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
    /// A Markdown job summary, for `$GITHUB_STEP_SUMMARY`.
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RulesFormat {
    Human,
    Json,
    Markdown,
}

/// Which findings `--format github` annotates in pull-request mode (reviewdog's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum FilterMode {
    /// Findings on lines the change adds or rewrites.
    Added,
    /// Findings within the change's hunks, context lines included.
    DiffContext,
    /// Findings in files the change touches.
    File,
    /// Every finding.
    Nofilter,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
    /// Exit 0 whatever is found (a configuration or rule error still exits 2).
    Never,
}

/// `--report FORMAT=FILE`: one more rendering of the same run, written to a file.
#[derive(Debug, Clone)]
struct ExtraReport {
    format: Format,
    path: PathBuf,
}

fn parse_extra_report(value: &str) -> Result<ExtraReport, String> {
    let (format, path) = value
        .split_once('=')
        .ok_or_else(|| format!("expected FORMAT=FILE (for example `sarif=apelint.sarif`), found `{value}`"))?;
    let format = Format::from_str(format, true).map_err(|_| {
        let names: Vec<String> = Format::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value())
            .map(|v| v.get_name().to_string())
            .collect();
        format!("no format named `{format}` (formats: {})", names.join(", "))
    })?;
    if path.is_empty() {
        return Err(format!("no file after `{}=`", value.split_once('=').map_or("", |(f, _)| f)));
    }
    Ok(ExtraReport { format, path: PathBuf::from(path) })
}

#[derive(Debug, Args)]
struct CommonArgs {
    /// Configuration file (default: apelint.toml or .apelint.toml at the repository root).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// A folder of extra rules; repeatable. Rules with a built-in's id replace it.
    #[arg(long = "rules", value_name = "DIR")]
    rule_dirs: Vec<PathBuf>,
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// The repository to check.
    #[arg(value_name = "PATH", default_value = ".")]
    path: PathBuf,
    #[command(flatten)]
    common: CommonArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Also write the same run in another format to a file: `sarif=apelint.sarif`; repeatable.
    /// One analysis feeds every report (the GitHub Action writes annotations, summary and SARIF).
    #[arg(long = "report", value_name = "FORMAT=FILE", value_parser = parse_extra_report)]
    reports: Vec<ExtraReport>,
    /// Exit with 1 when a finding is at or above this severity [default: error, or fail-on in apelint.toml].
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// Run only these rules or families (comma-separated or repeated); replaces `select` in apelint.toml.
    #[arg(long, value_delimiter = ',', value_name = "ID|FAMILY")]
    select: Vec<String>,
    /// Skip these rules or families (comma-separated or repeated); adds to `ignore` in apelint.toml.
    #[arg(long, value_delimiter = ',', value_name = "ID|FAMILY")]
    ignore: Vec<String>,
    /// Print findings only: no summary.
    #[arg(long, short)]
    quiet: bool,
    /// Also list the rules that did not apply, and why.
    #[arg(long, short)]
    verbose: bool,
    /// When to use colors (NO_COLOR is honoured by `auto`).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Report only findings that are not in this baseline (see `apelint baseline`), and list the
    /// baselined ones that were fixed. SARIF keeps every finding, marked new or unchanged.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Pull-request mode for `--format github`: annotate only findings in the change since the
    /// merge base with REF [default in GitHub Actions: the pull request's base branch]; the
    /// Markdown summary marks them. Repository-level findings go to the summary; other formats
    /// keep every finding.
    #[arg(long, value_name = "REF")]
    diff_base: Option<String>,
    /// Which findings pull-request mode annotates.
    #[arg(long, value_enum, default_value_t = FilterMode::Added)]
    filter_mode: FilterMode,
}

#[derive(Debug, Args)]
struct RulesArgs {
    /// Only rules of this family.
    #[arg(long)]
    family: Option<String>,
    #[arg(long, value_enum, default_value_t = RulesFormat::Human)]
    format: RulesFormat,
    /// Write one Markdown page per rule (`<id>.md`) into this folder instead of listing them.
    #[arg(long, value_name = "DIR")]
    pages: Option<PathBuf>,
    /// The repository whose apelint.toml and rule folders apply.
    #[arg(long, value_name = "PATH", default_value = ".")]
    path: PathBuf,
    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Debug, Args)]
struct ExplainArgs {
    /// The rule id.
    id: String,
    #[arg(long, value_name = "PATH", default_value = ".")]
    path: PathBuf,
    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Debug, Args)]
struct InitArgs {
    /// The repository to write apelint.toml into.
    #[arg(value_name = "PATH", default_value = ".")]
    path: PathBuf,
    /// Overwrite an existing apelint.toml.
    #[arg(long)]
    force: bool,
}

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

pub fn run(cli: Cli) -> Result<Exit, Failure> {
    match cli.command {
        None => check(cli.check),
        Some(Command::Check(args)) => check(args),
        Some(Command::Rules(args)) => rules(args),
        Some(Command::Explain(args)) => explain(args),
        Some(Command::Init(args)) => init(args),
        Some(Command::Baseline(args)) => baseline(args),
    }
}

fn root(path: &Path) -> Result<PathBuf, Problem> {
    if !path.exists() {
        return Err(Problem::plain(format!("path `{}` does not exist", path.display())));
    }
    if !path.is_dir() {
        return Err(Problem::plain(format!("path `{}` is not a folder", path.display()))
            .with_help("apelint checks a whole repository: give its root folder"));
    }
    // A folder that cannot be listed would look empty, and every rule about what is missing would
    // fire on it.
    if let Err(error) = std::fs::read_dir(path) {
        return Err(Problem::plain(format!("cannot read the folder `{}`: {error}", path.display())));
    }
    Ok(path.to_path_buf())
}

/// Configuration and rules for the repository at `root`.
fn load(root: &Path, common: &CommonArgs) -> Result<(Config, Vec<Rule>), Failure> {
    let boundary = crate::boundary::Boundary::of(root);
    let (config, mut problems) = Config::discover(root, common.config.as_deref(), &boundary);
    let mut sources = rule::builtin_sources();
    let repository = config.from_repository.then_some(&boundary);
    // A `--rules` folder inside the repository is the repository's: read within its boundary.
    let dirs = config
        .rule_dirs
        .iter()
        .map(|dir| (dir, repository))
        .chain(common.rule_dirs.iter().map(|dir| (dir, boundary.holds(dir).then_some(&boundary))));
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

/// `apelint baseline`: runs the check and writes every finding's fingerprint.
fn baseline(args: CheckArgs) -> Result<Exit, Failure> {
    let root = root(&args.path)?;
    let (config, rules) = load(&root, &args.common)?;
    let active = select(&rules, &config, &args)?;
    let facts = Facts::new(root.clone(), fact_settings(&config)?);
    let known: Vec<&str> = rules.iter().map(|rule| rule.id.as_str()).collect();
    let outcome = engine::run(&active, &known, &facts, &config.suppress).map_err(Failure::from)?;
    let target = args.output.clone().unwrap_or_else(|| root.join(".apelint-baseline.json"));
    let baseline = crate::baseline::Baseline::of(&outcome.findings);
    write_file(&target, &baseline.to_json())?;
    eprintln!("apelint: {} findings written to {}", baseline.findings.len(), target.display());
    Ok(Exit::Clean)
}

fn fact_settings(config: &Config) -> Result<FactSettings, Failure> {
    let now = crate::date::now().map_err(|message| Failure::from(Problem::plain(message)))?;
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
    })
}

fn check(args: CheckArgs) -> Result<Exit, Failure> {
    let root = root(&args.path)?;
    let (config, rules) = load(&root, &args.common)?;
    let active = select(&rules, &config, &args)?;
    let fail_on = match args.fail_on {
        Some(FailOn::Error) => Some(Severity::Error),
        Some(FailOn::Warning) => Some(Severity::Warning),
        Some(FailOn::Info) => Some(Severity::Info),
        Some(FailOn::Never) => None,
        None => Some(config.fail_on.unwrap_or(Severity::Error)),
    };
    // Every report of this run: the main one, then each `--report`.
    let outputs: Vec<(Format, Option<&Path>)> = std::iter::once((args.format, args.output.as_deref()))
        .chain(args.reports.iter().map(|extra| (extra.format, Some(extra.path.as_path()))))
        .collect();
    // Two reports into one file would leave only the last: compare where the files really are
    // (`x.json` and `./x.json` are one file).
    let mut targets: Vec<PathBuf> = Vec::new();
    for (_, path) in &outputs {
        let Some(path) = path else { continue };
        let target = real_target(path)?;
        if targets.contains(&target) {
            return Err(Problem::plain(format!("`{}` is the target of two reports", path.display()))
                .with_help("give each `--output` and `--report` its own file")
                .into());
        }
        targets.push(target);
    }
    if outputs.iter().any(|(_, path)| path.is_none()) && stdout_closed() {
        eprintln!(
            "apelint: warning: standard output is closed (or a /dev/null opened for reading too): the {} report is discarded; write it with `--output FILE`",
            format_name(args.format)
        );
    }
    let facts = Facts::new(root.clone(), fact_settings(&config)?);
    let known: Vec<&str> = rules.iter().map(|rule| rule.id.as_str()).collect();
    let outcome = engine::run(&active, &known, &facts, &config.suppress).map_err(Failure::from)?;
    // With a baseline, `shown` holds the new findings only; SARIF keeps every finding (a result
    // missing from an upload closes its alert), marked new or unchanged.
    let (baseline, shown) = match &args.baseline {
        Some(file) => {
            let inside = facts.boundary().holds(file).then(|| facts.boundary());
            let read = crate::baseline::Baseline::read(file, inside).map_err(Failure::from)?;
            let known: std::collections::HashSet<String> =
                read.findings.iter().map(|entry| entry.fingerprint.clone()).collect();
            let mut shown = outcome.clone();
            let applied = read.apply(file, &mut shown.findings);
            (Some((applied, known)), Some(shown))
        }
        None => (None, None),
    };
    let shown = shown.as_ref().unwrap_or(&outcome);
    let report = Report {
        root: root.clone(),
        boundary: facts.boundary().clone(),
        outcome: shown,
        profile: facts.profile(),
        git: facts.git(),
        files: facts.tree().files.len(),
        source_files: facts.source_file_count(),
        skipped_files: facts.skipped(),
        broken_manifests: facts.manifests().broken.clone(),
        history: facts.history_if_read(),
        schema: facts.schema_if_read(),
        baseline: baseline.as_ref(),
        diff: None,
        rules: active
            .iter()
            .copied()
            .filter(|rule| !outcome.skipped.iter().any(|skipped| skipped.rule == rule.id))
            .collect(),
        repository_prefix: crate::facts::git::prefix_in_repository(&root),
    };
    // Pull-request mode: the lines of the change, for annotations.
    let base = args.diff_base.clone().or_else(|| {
        let on_actions = std::env::var("GITHUB_ACTIONS").is_ok_and(|value| value == "true");
        let base = std::env::var("GITHUB_BASE_REF").ok().filter(|base| !base.is_empty())?;
        on_actions.then(|| format!("origin/{base}"))
    });
    // Annotations keep only the change; the job summary marks it.
    let annotating = outputs.iter().any(|(format, _)| matches!(format, Format::Github | Format::Markdown));
    let diff = match &base {
        Some(base) if annotating && args.filter_mode != FilterMode::Nofilter => {
            match crate::facts::history::changed_lines(&root, base) {
                Ok(mut lines) => {
                    for changed in lines.values_mut() {
                        crate::report::merge_ranges(&mut changed.added);
                        crate::report::merge_ranges(&mut changed.hunks);
                    }
                    Some((args.filter_mode, lines))
                }
                // A base the user named must work; the pull request's, found in the environment,
                // may be missing from a shallow checkout: then every finding is reported.
                Err(unavailable) if args.diff_base.is_none() => {
                    eprintln!(
                        "apelint: warning: pull-request mode is off, every finding is annotated: {} ({})",
                        unavailable.reason, unavailable.hint
                    );
                    None
                }
                Err(unavailable) => {
                    return Err(Problem::plain(format!("--diff-base: {}", unavailable.reason))
                        .with_help(unavailable.hint)
                        .into());
                }
            }
        }
        _ => None,
    };
    let report = Report { diff: diff.as_ref(), ..report };
    let mut failed = Vec::new();
    for (format, output) in outputs {
        let to_terminal = output.is_none() && std::io::stdout().is_terminal();
        let color = match args.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty()),
        };
        let report = match format {
            Format::Sarif => Report { outcome: &outcome, ..report.clone() },
            _ => report.clone(),
        };
        let render = |format: Format| match format {
            Format::Json => (report::json::render(&report), None),
            Format::Sarif => report::sarif::render_noted(&report),
            Format::Github => (report::github::render(&report), None),
            Format::Markdown => (report::markdown::render(&report), None),
            Format::Human => {
                let style = Style { color, unicode: to_terminal, width: 100, verbose: args.verbose, quiet: args.quiet };
                (report::human::render(&report, style), None)
            }
        };
        // A reporter that fails (a bug) must not take the other reports down: each is written or
        // said to have failed, and the run then exits with 2.
        let rendered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            // Debug builds only: the tests make one reporter fail to see the others written.
            #[cfg(debug_assertions)]
            if std::env::var("APELINT_DEBUG_FAIL_REPORT").is_ok_and(|name| name == format_name(format)) {
                panic!("a reporter failure injected by APELINT_DEBUG_FAIL_REPORT");
            }
            render(format)
        }));
        match rendered {
            Ok((text, note)) => {
                if let Some(note) = note {
                    eprintln!("apelint: warning: {note}");
                }
                emit(&text, output)?;
            }
            Err(_) => failed.push(Problem::plain(format!(
                "the {} report could not be written: apelint failed while rendering it (a bug; please report it)",
                format_name(format)
            ))),
        }
    }
    if !failed.is_empty() {
        let mut problems = Problems::new();
        for problem in failed {
            problems.push(problem);
        }
        return Err(problems.into());
    }
    let failing = fail_on.map_or(0, |level| report.counts().at_or_above(level));
    Ok(if failing > 0 { Exit::Findings } else { Exit::Clean })
}

/// Applies `select` and `ignore` (ids or families) and drops rules that are off.
fn select<'r>(rules: &'r [Rule], config: &Config, args: &CheckArgs) -> Result<Vec<&'r Rule>, Failure> {
    let mut problems = Problems::new();
    let ids: Vec<&str> = rules.iter().map(|rule| rule.id.as_str()).collect();
    let mut validate = |name: &str, span: Option<std::ops::Range<usize>>| {
        if Family::parse(name).is_some() || ids.contains(&name) {
            return;
        }
        let candidates = ids.iter().copied().chain(Family::ALL.iter().map(|family| family.as_str()));
        let help =
            did_you_mean(name, candidates).unwrap_or_else(|| "`apelint rules` lists every rule and family".to_string());
        let message = format!("no rule or family named `{name}`");
        let problem = match (span, &config.file) {
            (Some(span), Some(file)) => Problem::at(file, span, message, "unknown"),
            _ => Problem::plain(message),
        };
        problems.push(problem.with_help(help));
    };
    let selected: Vec<String> = if args.select.is_empty() {
        for item in &config.select {
            validate(item.get_ref(), Some(item.span()));
        }
        config.select.iter().map(|item| item.get_ref().clone()).collect()
    } else {
        for item in &args.select {
            validate(item, None);
        }
        args.select.clone()
    };
    for item in &config.ignore {
        validate(item.get_ref(), Some(item.span()));
    }
    for item in &args.ignore {
        validate(item, None);
    }
    let ignored: BTreeSet<String> =
        config.ignore.iter().map(|item| item.get_ref().clone()).chain(args.ignore.iter().cloned()).collect();
    if !problems.is_empty() {
        return Err(problems.into());
    }
    let named = |rule: &Rule, name: &String| *name == rule.id || name == rule.family.as_str();
    Ok(rules
        .iter()
        .filter(|rule| rule.level != Level::Off)
        .filter(|rule| selected.is_empty() || selected.iter().any(|name| named(rule, name)))
        .filter(|rule| !ignored.iter().any(|name| named(rule, name)))
        .collect())
}

/// Whether standard output was closed when apelint started (`apelint >&-`). Rust reopens a closed
/// descriptor 1 on `/dev/null`, for reading and writing, before `main`; a shell's `>/dev/null`
/// opens it for writing only. (Python's `stdout=DEVNULL` also opens it for both, and gets the
/// warning too.) Linux tells the open mode in `/proc/self/fdinfo`; elsewhere this says no.
fn stdout_closed() -> bool {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsFd;
        use std::os::unix::fs::MetadataExt;
        let Ok(fd) = std::io::stdout().as_fd().try_clone_to_owned() else { return true };
        let (Ok(out), Ok(null)) = (std::fs::File::from(fd).metadata(), std::fs::metadata("/dev/null")) else {
            return false;
        };
        if (out.dev(), out.rdev(), out.ino()) != (null.dev(), null.rdev(), null.ino()) {
            return false;
        }
        std::fs::read_to_string("/proc/self/fdinfo/1").is_ok_and(|info| {
            info.lines()
                .find_map(|line| line.strip_prefix("flags:"))
                .and_then(|flags| u32::from_str_radix(flags.trim(), 8).ok())
                .is_some_and(|flags| flags & 0o3 == 0o2)
        })
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}

fn format_name(format: Format) -> String {
    format.to_possible_value().map_or_else(|| format!("{format:?}"), |value| value.get_name().to_string())
}

/// Where an output file really is: its folder with links resolved, and its name.
fn real_target(path: &Path) -> Result<PathBuf, Failure> {
    let name = path.file_name().ok_or_else(|| {
        Failure::from(Problem::plain(format!("`{}` is not a file name to write a report to", path.display())))
    })?;
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let folder = folder.canonicalize().map_err(|error| {
        Failure::from(Problem::plain(format!("cannot write `{}`: its folder: {error}", path.display())))
    })?;
    Ok(folder.join(name))
}

/// Writes `text` to `path` whole or not at all: into a new file beside it, then renamed over it, so
/// that a reader (or another apelint writing the same file) never sees half a report.
fn write_file(path: &Path, text: &str) -> Result<(), Failure> {
    let cannot =
        |error: std::io::Error| Failure::from(Problem::plain(format!("cannot write `{}`: {error}", path.display())));
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut file = tempfile::Builder::new().prefix(".apelint-").suffix(".tmp").tempfile_in(folder).map_err(cannot)?;
    file.write_all(text.as_bytes()).map_err(cannot)?;
    // A report is read by others: the permissions of the file it replaces, or the usual ones.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |existing| existing.permissions().mode() & 0o7777);
        file.as_file().set_permissions(std::fs::Permissions::from_mode(mode)).map_err(cannot)?;
    }
    file.persist(path).map_err(|error| cannot(error.error))?;
    Ok(())
}

/// Writes the report; a closed pipe is not an error.
fn emit(text: &str, output: Option<&Path>) -> Result<(), Failure> {
    match output {
        Some(path) => write_file(path, text),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
                Ok(()) => Ok(()),
                Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Err(Failure::BrokenPipe),
                Err(error) => Err(Problem::plain(format!("cannot write the report: {error}")).into()),
            }
        }
    }
}

fn rules(args: RulesArgs) -> Result<Exit, Failure> {
    let root = root(&args.path)?;
    let (_, rules) = load(&root, &args.common)?;
    validate_patterns(&rules)?;
    let family = match &args.family {
        Some(name) => Some(Family::parse(name).ok_or_else(|| {
            let help = did_you_mean(name, Family::ALL.iter().map(|family| family.as_str()))
                .unwrap_or_else(|| format!("families: {}", Family::ALL.map(Family::as_str).join(", ")));
            Failure::from(Problem::plain(format!("no family named `{name}`")).with_help(help))
        })?),
        None => None,
    };
    let mut listed: Vec<&Rule> =
        rules.iter().filter(|rule| family.is_none_or(|family| rule.family == family)).collect();
    listed.sort_by(|a, b| (a.family, &a.id).cmp(&(b.family, &b.id)));
    if let Some(dir) = &args.pages {
        let cannot = |error: std::io::Error, path: &Path| {
            Failure::from(Problem::plain(format!("cannot write `{}`: {error}", path.display())))
        };
        std::fs::create_dir_all(dir).map_err(|error| cannot(error, dir))?;
        for rule in &listed {
            let path = dir.join(format!("{}.md", rule.id));
            write_file(&path, &crate::docs::rule_page(rule))?;
        }
        return Ok(Exit::Clean);
    }
    let text = match args.format {
        RulesFormat::Human => crate::docs::rules_table(&listed),
        RulesFormat::Json => crate::docs::rules_json(&listed),
        RulesFormat::Markdown => crate::docs::rules_markdown(&listed),
    };
    emit(&text, None)?;
    Ok(Exit::Clean)
}

/// Compiles every code pattern of every rule, for every language: a run compiles only the
/// languages the repository holds, so `apelint rules` is where a rule author sees them all checked.
fn validate_patterns(rules: &[Rule]) -> Result<(), Failure> {
    use rayon::prelude::*;
    let mut specs: Vec<&crate::check::PatternSpec> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for rule in rules {
        let checks = std::iter::once(&rule.check).chain(rule.variants.iter().map(|variant| &variant.check));
        for spec in checks.flat_map(crate::check::Check::patterns) {
            if seen.insert((spec.lang, spec.text.as_str())) {
                specs.push(spec);
            }
        }
    }
    let found: Vec<Problem> = specs.par_iter().filter_map(|spec| spec.validate()).collect();
    let mut problems = Problems::new();
    for problem in found {
        problems.push(problem);
    }
    problems.finish(()).map_err(Failure::from)
}

fn explain(args: ExplainArgs) -> Result<Exit, Failure> {
    let root = root(&args.path)?;
    let (_, rules) = load(&root, &args.common)?;
    let Some(rule) = rules.iter().find(|rule| rule.id == args.id) else {
        let help = did_you_mean(&args.id, rules.iter().map(|rule| rule.id.as_str()))
            .unwrap_or_else(|| "`apelint rules` lists every rule".to_string());
        return Err(Problem::plain(format!("no rule with id `{}`", args.id)).with_help(help).into());
    };
    emit(&crate::docs::explain(rule), None)?;
    Ok(Exit::Clean)
}

fn init(args: InitArgs) -> Result<Exit, Failure> {
    let root = root(&args.path)?;
    let target = root.join("apelint.toml");
    if target.exists() && !args.force {
        return Err(Problem::plain(format!("`{}` already exists", target.display()))
            .with_help("pass --force to overwrite it")
            .into());
    }
    let rules = rule::load(&rule::builtin_sources(), &Default::default())?;
    let text = crate::docs::init_config(&rules);
    write_file(&target, &text)?;
    eprintln!("wrote {}", target.display());
    Ok(Exit::Clean)
}
