//! Checks: the primitives a rule's `[check]` table is compiled into, one file each, all behind the
//! [`Primitive`] trait and listed in [`PRIMITIVES`]. `any` and `suppressions` are not primitives but
//! what the engine settles itself: a combination of checks, and a judgement of every other rule's
//! suppressions.

pub(crate) mod code;
pub mod config;
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

use crate::diag::Problems;
use crate::facts::Facts;
use crate::facts::text::LineIndex;
use crate::finding::{Hit, Location};
use crate::spanned::Fields;
pub use config::{Config, Key};
use std::cell::OnceCell;
use toml::Spanned;

pub use code::PatternSpec;
pub use content::ContentCheck;
pub use dependency::DependencyCheck;
pub use files::FilesCheck;
pub use history::HistoryCheck;
pub use implementations::ImplementationsCheck;
pub use links::LinksCheck;
pub use proportion::ProportionCheck;
pub use query::QueryCheck;
pub use references::ReferencesCheck;
pub use schema::SchemaCheck;
pub use usage::UsageCheck;

/// One check primitive: the type a `[check]` table with its `kind` compiles into.
///
/// A primitive is settled in up to three steps, so that the engine reads each file once for all
/// rules: [`Primitive::pre`] settles what the tree, the manifests and the history alone can tell; a
/// primitive that needs file contents says so with [`Pre::Scan`], is shown each file it
/// [`selects`](Primitive::selects) in [`Primitive::scan`], gathering into its own
/// [`Accumulator`], and turns what it gathered into hits in [`Primitive::post`].
///
/// Adding a primitive is one file implementing this trait and one line in [`PRIMITIVES`]; the
/// compiler names every item without a default.
pub trait Primitive: Sized + std::fmt::Debug + Send + Sync + 'static {
    /// The name a `[check]` table's `kind` gives it.
    const KIND: &'static str;
    /// Its `[check]` table as written, read key by key (see [`config`]).
    type Config: Config;
    /// What the scan gathers from the files it selects; one per file, merged across threads.
    type Acc: Accumulator;

    /// Compiles what its `[check]` table (with the user's options layered on top) said, reporting
    /// what needs several keys at once; `table` is where the table is, for a problem about all of it.
    fn compile(config: Self::Config, table: &Fields<'_>, problems: &mut Problems) -> Option<Self>;

    /// What it asks of the repository beyond the working tree's files.
    fn needs(&self) -> Needs {
        Needs::WORKTREE
    }

    /// Whether it reports about the repository rather than at text in a file (a missing README, a
    /// cadence, a dependency that is absent), so that its findings anchor where the fix belongs.
    fn repository_level(&self) -> bool;

    /// What can be told before any file is read.
    fn pre(&self, facts: &Facts) -> Pre;

    /// Whether the scan should show it the file at `path`; asked only after [`Pre::Scan`].
    fn selects(&self, _path: &str) -> bool {
        false
    }

    /// Tree-sitter patterns per language, compiled with every other check's into one query.
    fn patterns(&self) -> &[PatternSpec] {
        &[]
    }

    /// Whether files that say they are generated are parsed for it too.
    fn reads_generated(&self) -> bool {
        false
    }

    /// Looks at one selected file.
    fn scan(&self, _file: &FileCtx<'_>, _cx: &ScanCx<'_>, _acc: &mut Self::Acc) {}

    /// Whether what one file gave settles the check, so that the scan stops feeding it.
    fn settled(&self, _acc: &Self::Acc) -> bool {
        false
    }

    /// Turns what the scan gathered into hits.
    fn post(&self, facts: &Facts, acc: Self::Acc) -> Vec<Hit>;
}

/// What a primitive gathers during the scan.
pub trait Accumulator: Default + Send + 'static {
    /// Adds what another file (or thread) gathered.
    fn merge(&mut self, other: Self);
    /// Whether nothing was gathered (then there is nothing to merge).
    fn is_empty(&self) -> bool;
}

impl<T: Send + 'static> Accumulator for Vec<T> {
    fn merge(&mut self, other: Self) {
        self.extend(other);
    }

    fn is_empty(&self) -> bool {
        Vec::is_empty(self)
    }
}

/// How many selected files matched, for primitives that count.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Count(pub usize);

impl Accumulator for Count {
    fn merge(&mut self, other: Self) {
        self.0 += other.0;
    }

    fn is_empty(&self) -> bool {
        self.0 == 0
    }
}

/// Nothing: for primitives that are settled before the scan.
impl Accumulator for () {
    fn merge(&mut self, (): Self) {}

    fn is_empty(&self) -> bool {
        true
    }
}

/// What a check asks of the repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Needs {
    /// The working tree's files (every primitive but `history`).
    pub worktree: bool,
    /// The commit history.
    pub history: bool,
}

impl Needs {
    pub const WORKTREE: Needs = Needs { worktree: true, history: false };
    pub const HISTORY: Needs = Needs { worktree: false, history: true };
}

/// What the engine tells a check about the file it is scanning beyond the file itself.
pub struct ScanCx<'a> {
    pub facts: &'a Facts,
    /// The check's place among the scanned checks, which the syntax plan knows its patterns by.
    pub owner: usize,
}

/// A compiled primitive, whatever its type: what the engine and rules hold. Implemented for every
/// [`Primitive`]; its accumulator travels as [`Gathered`].
pub trait Compiled: std::fmt::Debug + Send + Sync {
    fn kind(&self) -> &'static str;
    fn needs(&self) -> Needs;
    fn repository_level(&self) -> bool;
    fn pre(&self, facts: &Facts) -> Pre;
    fn selects(&self, path: &str) -> bool;
    fn patterns(&self) -> &[PatternSpec];
    fn reads_generated(&self) -> bool;
    /// An empty accumulator of this check's type.
    fn start(&self) -> Gathered;
    fn scan(&self, file: &FileCtx<'_>, cx: &ScanCx<'_>, acc: &mut Gathered);
    fn settled(&self, acc: &Gathered) -> bool;
    fn is_empty(&self, acc: &Gathered) -> bool;
    fn merge(&self, into: &mut Gathered, from: Gathered);
    fn post(&self, facts: &Facts, acc: Gathered) -> Vec<Hit>;
}

/// A primitive's accumulator, boxed so that the engine can hold every check's in one list.
pub type Gathered = Box<dyn std::any::Any + Send>;

fn own<P: Primitive>(acc: &Gathered) -> &P::Acc {
    acc.downcast_ref().expect("a check is only given the accumulator it started")
}

fn own_mut<P: Primitive>(acc: &mut Gathered) -> &mut P::Acc {
    acc.downcast_mut().expect("a check is only given the accumulator it started")
}

fn owned<P: Primitive>(acc: Gathered) -> P::Acc {
    *acc.downcast().expect("a check is only given the accumulator it started")
}

impl<P: Primitive> Compiled for P {
    fn kind(&self) -> &'static str {
        P::KIND
    }

    fn needs(&self) -> Needs {
        Primitive::needs(self)
    }

    fn repository_level(&self) -> bool {
        Primitive::repository_level(self)
    }

    fn pre(&self, facts: &Facts) -> Pre {
        Primitive::pre(self, facts)
    }

    fn selects(&self, path: &str) -> bool {
        Primitive::selects(self, path)
    }

    fn patterns(&self) -> &[PatternSpec] {
        Primitive::patterns(self)
    }

    fn reads_generated(&self) -> bool {
        Primitive::reads_generated(self)
    }

    fn start(&self) -> Gathered {
        Box::new(P::Acc::default())
    }

    fn scan(&self, file: &FileCtx<'_>, cx: &ScanCx<'_>, acc: &mut Gathered) {
        Primitive::scan(self, file, cx, own_mut::<P>(acc));
    }

    fn settled(&self, acc: &Gathered) -> bool {
        Primitive::settled(self, own::<P>(acc))
    }

    fn is_empty(&self, acc: &Gathered) -> bool {
        own::<P>(acc).is_empty()
    }

    fn merge(&self, into: &mut Gathered, from: Gathered) {
        own_mut::<P>(into).merge(owned::<P>(from));
    }

    fn post(&self, facts: &Facts, acc: Gathered) -> Vec<Hit> {
        Primitive::post(self, facts, owned::<P>(acc))
    }
}

/// A primitive as the registry knows it: its name, keys, and how to compile it.
pub struct Entry {
    pub kind: &'static str,
    pub keys: &'static [Key],
    compile: fn(&mut Fields<'_>, &mut Problems) -> Option<Box<dyn Compiled>>,
}

impl Entry {
    const fn of<P: Primitive>() -> Entry {
        Entry { kind: P::KIND, keys: P::Config::KEYS, compile: |fields, problems| compile_boxed::<P>(fields, problems) }
    }
}

fn compile_boxed<P: Primitive>(fields: &mut Fields<'_>, problems: &mut Problems) -> Option<Box<dyn Compiled>> {
    let config = P::Config::read(fields, problems);
    P::compile(config, fields, problems).map(|check| Box::new(check) as Box<dyn Compiled>)
}

/// Every primitive, in the order the documentation lists them.
pub const PRIMITIVES: &[Entry] = &[
    Entry::of::<FilesCheck>(),
    Entry::of::<ContentCheck>(),
    Entry::of::<DependencyCheck>(),
    Entry::of::<LinksCheck>(),
    Entry::of::<ReferencesCheck>(),
    Entry::of::<ProportionCheck>(),
    Entry::of::<HistoryCheck>(),
    Entry::of::<QueryCheck>(),
    Entry::of::<ImplementationsCheck>(),
    Entry::of::<UsageCheck>(),
    Entry::of::<SchemaCheck>(),
];

/// `suppressions`: inline `apelint-ignore` comments that are unused, unknown or unexplained. Not a
/// primitive: it judges what the engine learnt applying every other rule's suppressions.
pub const SUPPRESSIONS: &str = "suppressions";
/// `any`: passes when any of its `[[check.of]]` checks passes.
pub const ANY: &str = "any";

/// The names a `[check]` table's `kind` may take.
pub fn kinds() -> impl Iterator<Item = &'static str> + Clone {
    PRIMITIVES.iter().map(|entry| entry.kind).chain([SUPPRESSIONS, ANY])
}

/// A rule's check: one primitive, or a combination the engine settles itself.
#[derive(Debug)]
pub enum Check {
    One(Box<dyn Compiled>),
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

/// A file being scanned: its text, read once, and a line index built when first needed.
pub struct FileCtx<'a> {
    pub path: &'a str,
    pub text: &'a str,
    index: OnceCell<LineIndex>,
    syntax: Option<&'a crate::syntax::Plan>,
    /// The file's matches for every query check, parsed once however many checks ask.
    matches: OnceCell<std::sync::Arc<SyntaxMatches>>,
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
            Some(plan) => plan.cached_matches(lang, self.text, self.generated_too),
            None => std::sync::Arc::new(Ok((Vec::new(), false))),
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
            SUPPRESSIONS => Some(Check::Suppressions),
            ANY => compile_any(&mut fields, problems).map(Check::Any),
            name => match PRIMITIVES.iter().find(|entry| entry.kind == name) {
                Some(entry) => (entry.compile)(&mut fields, problems).map(Check::One),
                None => {
                    problems.push(crate::diag::unknown(file, kind.span(), "check kind", name, kinds()));
                    None
                }
            },
        };
        fields.finish(problems);
        check
    }

    /// Whether the check reads the commit history.
    pub fn needs_history(&self) -> bool {
        match self {
            Check::One(check) => check.needs().history,
            Check::Any(checks) => checks.iter().any(Check::needs_history),
            Check::Suppressions => false,
        }
    }

    /// Whether the check reads the working tree.
    pub fn needs_worktree(&self) -> bool {
        match self {
            Check::One(check) => check.needs().worktree,
            Check::Any(checks) => checks.iter().any(Check::needs_worktree),
            Check::Suppressions => true,
        }
    }

    /// Whether the check reports about the repository rather than at text in a file.
    pub fn repository_level(&self) -> bool {
        match self {
            Check::One(check) => check.repository_level(),
            Check::Any(_) => true,
            Check::Suppressions => false,
        }
    }

    /// Tree-sitter patterns per language (none but a code primitive's).
    pub fn patterns(&self) -> &[PatternSpec] {
        match self {
            Check::One(check) => check.patterns(),
            Check::Any(_) | Check::Suppressions => &[],
        }
    }

    /// The kind of check this is, for documentation.
    pub fn kind(&self) -> &'static str {
        match self {
            Check::One(check) => check.kind(),
            Check::Suppressions => SUPPRESSIONS,
            Check::Any(_) => ANY,
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

#[cfg(test)]
mod tests {
    use super::PRIMITIVES;
    use super::config::key_table;

    /// `docs/checks.md` with each primitive's table of keys made from its configuration struct.
    fn with_generated_tables(text: &str) -> String {
        let mut text = text.to_string();
        for entry in PRIMITIVES {
            let open = format!("<!-- keys: {} -->\n", entry.kind);
            let start =
                text.find(&open).unwrap_or_else(|| panic!("docs/checks.md has no `{}`", open.trim())) + open.len();
            let end = start + text[start..].find("<!-- /keys -->").expect("every keys block is closed");
            text.replace_range(start..end, &key_table(entry.keys));
        }
        text
    }

    /// The keys in `docs/checks.md` are the keys each primitive reads, with their doc comments:
    /// `APELINT_BLESS=1 cargo test --lib docs_checks` rewrites them.
    #[test]
    fn docs_checks_lists_the_keys_each_primitive_reads() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/checks.md");
        let text = std::fs::read_to_string(path).expect("docs/checks.md is readable");
        let generated = with_generated_tables(&text);
        if generated == text {
            return;
        }
        if std::env::var_os("APELINT_BLESS").is_some() {
            std::fs::write(path, generated).expect("docs/checks.md is writable");
            return;
        }
        panic!("docs/checks.md is out of date: run `APELINT_BLESS=1 cargo test --lib docs_checks` and read the diff");
    }

    #[test]
    fn every_primitive_has_its_own_kind_and_keys() {
        let mut kinds: Vec<&str> = PRIMITIVES.iter().map(|entry| entry.kind).collect();
        kinds.sort_unstable();
        kinds.dedup();
        assert_eq!(kinds.len(), PRIMITIVES.len(), "two primitives share a kind");
        for entry in PRIMITIVES {
            let mut names: Vec<&str> = entry.keys.iter().map(|key| key.name).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), entry.keys.len(), "{} reads a key twice", entry.kind);
            assert!(entry.keys.iter().all(|key| !key.doc.trim().is_empty()), "{} has an undocumented key", entry.kind);
        }
    }
}
