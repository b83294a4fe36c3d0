//! Checks: the primitives a rule's `[check]` table is compiled into.
//!
//! A check is evaluated in up to three steps so that the engine can read each file once for all
//! rules: [`Check::pre`] settles what the tree and manifests alone can tell; a check that needs file
//! contents selects files ([`Check::selects`]) and sees each one in [`Check::scan`]; [`Check::post`]
//! turns what the scan gathered into hits.

pub(crate) mod code;
mod content;
mod dependency;
mod files;
mod history;
mod implementations;
mod links;
mod proportion;
mod query;
mod references;
mod schema;
mod usage;

use crate::diag::{Problem, Problems};
use crate::facts::Facts;
use crate::facts::text::LineIndex;
use crate::finding::{Hit, Location};
use crate::pattern::Pattern;
use crate::pattern::{self, Globs};
use crate::spanned::{Fields, value};
use std::cell::OnceCell;
use toml::Spanned;
use toml::de::DeValue;

pub use content::ContentCheck;
pub use dependency::DependencyCheck;
pub use files::FilesCheck;
pub use history::{HistoryCheck, Metric, measure};
pub use implementations::ImplementationsCheck;
pub use links::LinksCheck;
pub use proportion::ProportionCheck;
pub use query::{PatternSpec, QueryCheck};
pub use references::ReferencesCheck;
pub use schema::SchemaCheck;
pub use usage::UsageCheck;

/// The primitive names a `[check]` table's `kind` may take.
pub const KINDS: &[&str] = &[
    "files",
    "content",
    "dependency",
    "markdown-links",
    "stale-references",
    "proportion",
    "history",
    "query",
    "implementations",
    "unused-dependency",
    "schema",
    "suppressions",
    "any",
];

#[derive(Debug)]
pub enum Check {
    Files(FilesCheck),
    Content(ContentCheck),
    Dependency(DependencyCheck),
    Links(LinksCheck),
    References(ReferencesCheck),
    Proportion(ProportionCheck),
    History(HistoryCheck),
    Query(QueryCheck),
    Implementations(ImplementationsCheck),
    Usage(UsageCheck),
    Schema(SchemaCheck),
    /// Inline `apelint-ignore` comments that are unused, unknown or unexplained; the engine judges
    /// it after every other rule.
    Suppressions,
    /// Passes when any of its checks passes; fails with one repository-level hit otherwise.
    Any(Vec<Check>),
}

/// What a check can tell before any file is read.
#[derive(Debug)]
pub enum Pre {
    Done(Vec<Hit>),
    Scan,
}

/// What a check gathered from the files it selected.
#[derive(Debug, Default)]
pub struct ScanOut {
    pub hits: Vec<Hit>,
    /// Files that matched, for checks that count.
    pub count: usize,
    /// Definitions and implementations, for checks that join them across files.
    pub symbols: Vec<implementations::Symbol>,
}

impl ScanOut {
    pub fn merge(&mut self, other: ScanOut) {
        self.hits.extend(other.hits);
        self.count += other.count;
        self.symbols.extend(other.symbols);
    }

    pub fn is_empty(&self) -> bool {
        self.hits.is_empty() && self.count == 0 && self.symbols.is_empty()
    }
}

/// A file being scanned: its text, read once, and a line index built when first needed.
pub struct FileCtx<'a> {
    pub path: &'a str,
    pub text: &'a str,
    index: OnceCell<LineIndex>,
    syntax: Option<&'a crate::syntax::Plan>,
    /// The file's matches for every query check, parsed once however many checks ask.
    matches: OnceCell<SyntaxMatches>,
    generated_too: bool,
}

type SyntaxMatches = Result<(Vec<crate::syntax::Match>, bool), crate::syntax::NotParsed>;

impl<'a> FileCtx<'a> {
    pub fn new(path: &'a str, text: &'a str, syntax: Option<&'a crate::syntax::Plan>) -> Self {
        FileCtx { path, text, index: OnceCell::new(), syntax, matches: OnceCell::new(), generated_too: false }
    }

    /// Parses generated files too (an implementations check reads what they implement).
    pub fn with_generated(mut self, generated_too: bool) -> Self {
        self.generated_too = generated_too;
        self
    }

    /// Whether the file says it is generated.
    pub fn is_generated(&self) -> bool {
        crate::syntax::is_generated(self.text)
    }

    /// Every query check's matches in this file, from one parse; the tree is already dropped.
    pub fn syntax_matches(&self, lang: crate::syntax::Lang) -> &SyntaxMatches {
        self.matches.get_or_init(|| match self.syntax {
            Some(plan) => plan.matches(lang, self.text, self.generated_too),
            None => Ok((Vec::new(), false)),
        })
    }

    pub fn index(&self) -> &LineIndex {
        self.index.get_or_init(|| LineIndex::new(self.text))
    }

    pub fn location(&self, start: usize, end: usize) -> Location {
        self.index().location(self.path, self.text, start, end)
    }

    /// The location of the file's first line: where a finding about the whole file points.
    pub fn first_line(&self) -> Location {
        let end = self.text.find(['\n', '\r']).unwrap_or(self.text.len());
        self.location(0, end)
    }

    pub fn line_text(&self, offset: usize) -> &'a str {
        self.index().line_text(self.text, offset)
    }

    /// What identifies a hit at `start..end` apart from its line number, for its fingerprint: its
    /// line, trimmed; on a long (minified) line, only the hit and a little around it, so that many
    /// hits on one line do not each copy the whole line.
    pub fn line_key(&self, start: usize, end: usize) -> String {
        const LONG: usize = 512;
        const AROUND: usize = 64;
        let line = self.line_text(start);
        if line.len() <= LONG {
            return line.trim().to_string();
        }
        let floor = |mut at: usize| {
            while !self.text.is_char_boundary(at) {
                at -= 1;
            }
            at
        };
        let line_start = line.as_ptr() as usize - self.text.as_ptr() as usize;
        let from = floor(start.saturating_sub(AROUND).max(line_start));
        let to = floor((end.max(start) + AROUND).min(line_start + line.len()));
        self.text[from..to].trim().to_string()
    }
}

impl Check {
    /// Compiles a `[check]` table (with the user's options layered on top).
    pub fn compile(mut fields: Fields<'_>, problems: &mut Problems) -> Option<Check> {
        let file = fields.file();
        let kind: Spanned<String> = fields.required("kind", problems)?;
        let check = match kind.get_ref().as_str() {
            "files" => FilesCheck::compile(&mut fields, problems).map(Check::Files),
            "content" => ContentCheck::compile(&mut fields, problems).map(Check::Content),
            "dependency" => DependencyCheck::compile(&mut fields, problems).map(Check::Dependency),
            "markdown-links" => LinksCheck::compile(&mut fields, problems).map(Check::Links),
            "stale-references" => ReferencesCheck::compile(&mut fields, problems).map(Check::References),
            "proportion" => ProportionCheck::compile(&mut fields, problems).map(Check::Proportion),
            "history" => HistoryCheck::compile(&mut fields, problems).map(Check::History),
            "query" => QueryCheck::compile(&mut fields, problems).map(Check::Query),
            "implementations" => ImplementationsCheck::compile(&mut fields, problems).map(Check::Implementations),
            "unused-dependency" => UsageCheck::compile(&mut fields, problems).map(Check::Usage),
            "schema" => SchemaCheck::compile(&mut fields, problems).map(Check::Schema),
            "suppressions" => Some(Check::Suppressions),
            "any" => compile_any(&mut fields, problems).map(Check::Any),
            other => {
                problems.push(crate::diag::unknown(file, kind.span(), "check kind", other, KINDS.iter().copied()));
                None
            }
        };
        fields.finish(problems);
        check
    }

    pub fn pre(&self, facts: &Facts) -> Pre {
        match self {
            Check::Files(check) => check.pre(facts),
            Check::Content(check) => check.pre(facts),
            Check::Dependency(check) => Pre::Done(check.evaluate(facts)),
            // History questions are asked only when the history could be read (see `needs_history`).
            Check::Schema(check) => Pre::Done(check.evaluate(facts)),
            Check::Links(check) => check.pre(facts),
            Check::References(check) => check.pre(facts),
            Check::Proportion(check) => check.pre(facts),
            Check::Query(check) => check.pre(facts),
            Check::Usage(check) => check.pre(facts),
            Check::Implementations(check) => check.pre(facts),
            // The engine judges history rules only when the history could be read.
            Check::History(check) => {
                Pre::Done(facts.history().map(|history| check.evaluate(history)).unwrap_or_default())
            }
            Check::Any(_) | Check::Suppressions => unreachable!("the engine plans `any` and `suppressions` itself"),
        }
    }

    /// Whether the scan should show this check the file at `path`.
    pub fn selects(&self, path: &str) -> bool {
        match self {
            Check::Files(check) => check.selects(path),
            Check::Content(check) => check.selects(path),
            Check::Links(check) => check.selects(path),
            Check::References(check) => check.selects(path),
            Check::Proportion(check) => check.selects(path),
            Check::Query(check) => check.selects(path),
            Check::Usage(check) => check.selects(path),
            Check::Implementations(check) => check.selects(path),
            Check::Dependency(_) | Check::History(_) | Check::Schema(_) | Check::Any(_) | Check::Suppressions => false,
        }
    }

    /// Tree-sitter patterns per language, for the combined query.
    pub fn patterns(&self) -> &[PatternSpec] {
        match self {
            Check::Query(check) => &check.patterns,
            Check::Implementations(check) => &check.patterns,
            _ => &[],
        }
    }

    /// Whether the check reads the commit history.
    pub fn needs_history(&self) -> bool {
        match self {
            Check::History(_) => true,
            Check::Schema(check) => check.needs_history(),
            Check::Any(checks) => checks.iter().any(Check::needs_history),
            _ => false,
        }
    }

    /// Whether the check reads the working tree (every kind but `history`).
    pub fn needs_worktree(&self) -> bool {
        match self {
            Check::History(_) => false,
            Check::Any(checks) => checks.iter().any(Check::needs_worktree),
            _ => true,
        }
    }

    /// Whether the check reports about the repository rather than at text in a file (a missing
    /// README, a cadence, a dependency that is absent), so its findings anchor where the fix belongs.
    pub fn repository_level(&self) -> bool {
        match self {
            Check::Files(_) | Check::History(_) | Check::Proportion(_) | Check::Any(_) => true,
            Check::Dependency(check) => check.expects_presence(),
            Check::Content(check) => check.wants_presence(),
            Check::Schema(check) => check.about_repository(),
            _ => false,
        }
    }

    /// Whether one matching file settles the check, so that the scan can stop feeding it.
    pub fn settled_by_first_match(&self) -> bool {
        matches!(self, Check::Content(check) if check.wants_presence())
    }

    /// `owner` is the check's index among the scanned checks, which the syntax plan knows it by.
    pub fn scan(&self, file: &FileCtx<'_>, facts: &Facts, owner: usize, out: &mut ScanOut) {
        match self {
            Check::Query(check) => check.scan(file, facts, owner, out),
            Check::Files(check) => check.scan(file, facts, out),
            Check::Content(check) => check.scan(file, out),
            Check::Links(check) => check.scan(file, facts, out),
            Check::References(check) => check.scan(file, facts, out),
            Check::Proportion(check) => check.scan(file, out),
            Check::Usage(check) => check.scan(file, facts, out),
            Check::Implementations(check) => check.scan(file, owner, out),
            Check::Dependency(_) | Check::History(_) | Check::Schema(_) | Check::Any(_) | Check::Suppressions => {}
        }
    }

    pub fn post(&self, facts: &Facts, out: ScanOut) -> Vec<Hit> {
        match self {
            Check::Content(check) => check.post(out),
            Check::Proportion(check) => check.post(facts, out),
            Check::Usage(check) => check.post(facts, out),
            Check::Implementations(check) => check.post(facts, out),
            _ => out.hits,
        }
    }

    /// The kinds of checks this one is made of, for documentation.
    pub fn kind(&self) -> &'static str {
        match self {
            Check::Files(_) => "files",
            Check::Content(_) => "content",
            Check::Dependency(_) => "dependency",
            Check::Links(_) => "markdown-links",
            Check::References(_) => "stale-references",
            Check::Proportion(_) => "proportion",
            Check::History(_) => "history",
            Check::Query(_) => "query",
            Check::Usage(_) => "unused-dependency",
            Check::Implementations(_) => "implementations",
            Check::Schema(_) => "schema",
            Check::Suppressions => "suppressions",
            Check::Any(_) => "any",
        }
    }
}

fn compile_any(fields: &mut Fields<'_>, problems: &mut Problems) -> Option<Vec<Check>> {
    if fields.raw("of").is_none() {
        fields.missing("[[check.of]] tables", problems);
        return None;
    }
    let checks =
        fields.tables("of", "[[check.of]]", problems, |fields, _, problems| Check::compile(fields, problems))?;
    if checks.is_empty() {
        fields.missing("at least one [[check.of]] table", problems);
        return None;
    }
    Some(checks)
}

/// Whether a check expects what it names to be present or absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    Present,
    Absent,
}

/// Reads `expect = "present" | "absent"`, with a default.
pub fn expect(fields: &mut Fields<'_>, default: Expect, problems: &mut Problems) -> Option<Expect> {
    let Some((file, text)) = fields.get_with_file::<String>("expect", problems) else {
        return Some(default);
    };
    match text.get_ref().as_str() {
        "present" => Some(Expect::Present),
        "absent" => Some(Expect::Absent),
        other => {
            problems.push(Problem::at(
                file,
                text.span(),
                format!("`expect` must be \"present\" or \"absent\", found \"{other}\""),
                "here",
            ));
            None
        }
    }
}

/// Reads a list of globs (a single string is accepted too).
pub fn globs(fields: &mut Fields<'_>, key: &'static str, required: bool, problems: &mut Problems) -> Option<Globs> {
    let Some(found) = fields.raw(key) else {
        if required {
            fields.missing(key, problems);
            return None;
        }
        return Some(Globs::empty());
    };
    let items = string_list(found.file, found.value, problems)?;
    Globs::compile(found.file, &items, problems)
}

/// Reads an optional regex.
pub fn regex(fields: &mut Fields<'_>, key: &'static str, problems: &mut Problems) -> Option<Option<Pattern>> {
    match fields.get_with_file::<String>(key, problems) {
        Some((file, text)) => pattern::regex(file, &text, problems).map(Some),
        None => Some(None).filter(|_| fields.raw(key).is_none()),
    }
}

/// A string or a list of strings, each with its span.
pub fn string_list(
    file: &crate::diag::SourceFile,
    found: &crate::spanned::Value,
    problems: &mut Problems,
) -> Option<Vec<Spanned<String>>> {
    if let DeValue::String(text) = found.get_ref() {
        return Some(vec![Spanned::new(found.span(), text.to_string())]);
    }
    value::<Vec<Spanned<String>>>(file, found, problems).map(Spanned::into_inner)
}
