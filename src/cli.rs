//! The command line: arguments parsed (clap) into plain values, resolved once into each command's
//! settings, and handed to the pipeline. Only `main` picks the exit code.

use crate::finding::Severity;
use crate::pipeline::settings::{
    AnalysisSettings, BaselineSettings, CheckSettings, ExplainSettings, FailLevel, InitSettings, Inputs, Listing,
    Output, RulesSettings, TrendSettings,
};
use crate::pipeline::{self, Exit, Failure};
use crate::report::human::Detail;
use crate::report::{FilterMode, Format};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

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
    /// Judge the commits of the first-parent line at regular points back in time (from git
    /// objects, no checkout) and print the findings by family and severity at each, with a
    /// sparkline.
    Trend(TrendArgs),
    /// Write the current findings' fingerprints to a baseline file (default
    /// `.apelint-baseline.json` at the root, or `--output`), for `--baseline`.
    Baseline(CheckArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RulesFormat {
    Human,
    Json,
    Markdown,
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
fn parse_report_output(value: &str) -> Result<Output, String> {
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
    Ok(Output { format, file: Some(PathBuf::from(path)) })
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
    #[arg(long = "report", value_name = "FORMAT=FILE", value_parser = parse_report_output)]
    reports: Vec<Output>,
    /// Exit with 1 when a finding is at or above this severity [default: error, or fail-on in apelint.toml].
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    #[command(flatten)]
    selection: SelectionArgs,
    /// Print findings only: no summary.
    #[arg(long, short)]
    quiet: bool,
    /// Also list the rules that did not apply, and why.
    #[arg(long, short)]
    verbose: bool,
    /// Human format: a diagnostic with its code frame for every place, instead of findings grouped
    /// by rule with frames for the first few.
    #[arg(long, conflicts_with = "concise")]
    full: bool,
    /// Human format: one grep-able line per place (`path:line:col: severity[rule] message`).
    #[arg(long)]
    concise: bool,
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
    /// Report only the findings the change since the merge base with REF brings, and list those
    /// it fixes; the exit code follows the new findings. The merge base is judged from git
    /// objects, with the same rules and configuration [default in GitHub Actions: the pull
    /// request's base branch].
    #[arg(long, value_name = "REF", conflicts_with_all = ["baseline", "all_findings"])]
    new_since: Option<String>,
    /// Report every finding, also in a pull request's workflow run (no `--new-since` default).
    #[arg(long)]
    all_findings: bool,
    /// Judge this commit (a branch, tag or commit id) from git objects instead of the working
    /// tree: no checkout. Its own apelint.toml applies; the history is read up to it.
    #[arg(long, value_name = "REV")]
    commit: Option<String>,
    /// Which findings pull-request mode annotates.
    #[arg(long, value_enum, default_value_t = FilterMode::Added)]
    filter_mode: FilterMode,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TrendFormat {
    Human,
    Json,
}

#[derive(Debug, Args)]
struct TrendArgs {
    /// The repository (a clone, a bare repository or a mirror).
    #[arg(value_name = "PATH", default_value = ".")]
    path: PathBuf,
    #[command(flatten)]
    common: CommonArgs,
    /// How far back: a number and d, w, mo or y.
    #[arg(long, value_name = "SPAN", default_value = "1y", value_parser = crate::date::Span::parse)]
    since: crate::date::Span,
    /// How far apart the points are.
    #[arg(long, value_name = "SPAN", default_value = "1mo", value_parser = crate::date::Span::parse)]
    every: crate::date::Span,
    #[arg(long, value_enum, default_value_t = TrendFormat::Human)]
    format: TrendFormat,
    #[command(flatten)]
    selection: SelectionArgs,
}

/// Which rules run, for `check`, `baseline` and `trend`.
#[derive(Debug, Args)]
struct SelectionArgs {
    /// Run only these rules or families (comma-separated or repeated); replaces `select` in apelint.toml.
    #[arg(long, value_delimiter = ',', value_name = "ID|FAMILY")]
    select: Vec<String>,
    /// Skip these rules or families (comma-separated or repeated); adds to `ignore` in apelint.toml.
    #[arg(long, value_delimiter = ',', value_name = "ID|FAMILY")]
    ignore: Vec<String>,
    /// Also run the preview rules: those not yet precise enough on real repositories to run by
    /// default (`--select ID` runs one of them).
    #[arg(long)]
    preview: bool,
}

impl SelectionArgs {
    /// The analysis of `inputs`' repository, with `commit` judged instead of the working tree.
    fn analysis(self, inputs: Inputs, commit: Option<String>) -> AnalysisSettings {
        AnalysisSettings { inputs, select: self.select, ignore: self.ignore, preview: self.preview, commit }
    }
}

impl From<TrendArgs> for TrendSettings {
    fn from(args: TrendArgs) -> Self {
        TrendSettings {
            analysis: args.selection.analysis(args.common.inputs(args.path), None),
            since: args.since,
            every: args.every,
            json: args.format == TrendFormat::Json,
        }
    }
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

/// Runs the command the arguments name (`check` when they name none).
pub fn run(cli: Cli) -> Result<Exit, Failure> {
    match cli.command {
        None => pipeline::check(&cli.check.into()),
        Some(Command::Check(args)) => pipeline::check(&args.into()),
        Some(Command::Rules(args)) => pipeline::rules(&args.into()),
        Some(Command::Explain(args)) => pipeline::explain(&args.into()),
        Some(Command::Init(args)) => pipeline::init(&args.into()),
        Some(Command::Baseline(args)) => pipeline::baseline(&args.into()),
        Some(Command::Trend(args)) => pipeline::trend(&args.into()),
    }
}

impl CommonArgs {
    fn inputs(self, path: PathBuf) -> Inputs {
        Inputs { path, config: self.config, rule_dirs: self.rule_dirs }
    }
}

impl CheckArgs {
    fn analysis(self) -> AnalysisSettings {
        self.selection.analysis(self.common.inputs(self.path), self.commit)
    }
}

impl From<CheckArgs> for CheckSettings {
    fn from(args: CheckArgs) -> Self {
        // Every report of this run: the main one, then each `--report`.
        let outputs = std::iter::once(Output { format: args.format, file: args.output.clone() })
            .chain(args.reports.iter().cloned())
            .collect();
        CheckSettings {
            outputs,
            fail_on: match args.fail_on {
                Some(FailOn::Error) => FailLevel::At(Severity::Error),
                Some(FailOn::Warning) => FailLevel::At(Severity::Warning),
                Some(FailOn::Info) => FailLevel::At(Severity::Info),
                Some(FailOn::Never) => FailLevel::Never,
                None => FailLevel::Configured,
            },
            quiet: args.quiet,
            verbose: args.verbose,
            detail: if args.full {
                Detail::Full
            } else if args.concise {
                Detail::Concise
            } else {
                Detail::Grouped
            },
            color: match args.color {
                ColorChoice::Auto => None,
                ColorChoice::Always => Some(true),
                ColorChoice::Never => Some(false),
            },
            baseline: args.baseline.clone(),
            diff_base: args.diff_base.clone(),
            new_since: args.new_since.clone(),
            all_findings: args.all_findings,
            filter_mode: args.filter_mode,
            analysis: args.analysis(),
        }
    }
}

impl From<CheckArgs> for BaselineSettings {
    fn from(args: CheckArgs) -> Self {
        BaselineSettings { file: args.output.clone(), analysis: args.analysis() }
    }
}

impl From<RulesArgs> for RulesSettings {
    fn from(args: RulesArgs) -> Self {
        let listing = match (args.pages, args.format) {
            (Some(dir), _) => Listing::Pages(dir),
            (None, RulesFormat::Human) => Listing::Table,
            (None, RulesFormat::Json) => Listing::Json,
            (None, RulesFormat::Markdown) => Listing::Markdown,
        };
        RulesSettings { inputs: args.common.inputs(args.path), family: args.family, listing }
    }
}

impl From<ExplainArgs> for ExplainSettings {
    fn from(args: ExplainArgs) -> Self {
        ExplainSettings { inputs: args.common.inputs(args.path), id: args.id }
    }
}

impl From<InitArgs> for InitSettings {
    fn from(args: InitArgs) -> Self {
        InitSettings { path: args.path, force: args.force }
    }
}
