//! `implementations`: a cross-file join of abstractions and their implementations.
//!
//! Each file's tree-sitter matches (from the one combined query per language) give, by capture
//! name: `@define` an abstraction (an interface, trait, abstract class, ABC); `@define-structural`
//! one that code may satisfy without naming it (a TypeScript interface, a Java interface with one
//! method), never reported as unimplemented; `@implement` the name of an abstraction a type
//! implements or extends, with `@implementor` the type; `@exempt` a name never judged (a marker or
//! blanket-implemented trait); `@public` marks a definition as exported; `@method` beside a
//! `@define` lists an interface's methods, and beside `@receiver` a type's methods, so that Go's
//! implicit interfaces are joined by method set, not by name. Regexes add what a query cannot see:
//! `mocks` (group 1 names an abstraction with a test double: `Mock<IFoo>`, gomock's generated
//! `MockFoo`) and `exempt` (group 1 names an abstraction that must not be judged: one registered with
//! a dependency-injection container, a trait implemented inside `macro_rules!`).
//!
//! After the walk, names are joined: a name defined twice is skipped rather than guessed, test
//! files only implement, and a library's exported definitions are exempt.

use super::code::{self, PatternSpec, Queries, Scope};
use super::config::{
    FromKey, LangRegexes, LangWords, Read, Regexes, config, languages, not_one_of, read, with_file, word,
};
use super::{FileCtx, Pre, Primitive, ScanCx};
use crate::diag::{Problem, Problems};
use crate::escape::code;
use crate::facts::Facts;
use crate::facts::profile::Profile;
use crate::facts::roles::is_test_path;
use crate::finding::{Hit, Location};
use crate::pattern::{Globs, Pattern};
use crate::spanned::Fields;
use crate::syntax::{Lang, NotParsed};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use toml::Spanned;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cardinality {
    /// Abstractions with exactly one implementation.
    Single,
    /// Abstractions nothing implements.
    Never,
}

#[derive(Debug)]
pub struct ImplementationsCheck {
    pub patterns: Vec<PatternSpec>,
    report: Cardinality,
    scope: Scope,
    /// Also judge what code outside the product defines (examples, docs, tools…): by default it
    /// implements, but defines nothing to judge.
    non_product: bool,
    mocks: Vec<Pattern>,
    exempt: Vec<Pattern>,
    /// Per language, a regex a defined name must match to count as exported (Go's capitals).
    exported: Vec<(Lang, Pattern)>,
    /// More findings than this in one folder are one finding about the folder (a layer of
    /// dependency-injection seams is a decision, not a dozen separate mistakes).
    collapse_over: usize,
    /// Per language, words without which a file defines nothing (`NotImplementedError` in Ruby):
    /// the files holding one are parsed first, and then only the files that mention a name they
    /// define.
    define_words: Vec<(Lang, Vec<String>)>,
    /// Per language (with `define-words`), a regex for what comes right before a name a file
    /// implements (`<\s*` for a Ruby superclass): the file is parsed only if a candidate name
    /// follows it, instead of whenever one is mentioned.
    implement_context: Vec<(Lang, Pattern)>,
    /// Per language, the names the defining files hold, found before the scan.
    candidates: std::sync::OnceLock<Candidates>,
    /// `mocks` and `exempt` together, to skip a file where none matches in one pass.
    any_regex: std::sync::OnceLock<Option<regex::RegexSet>>,
}

type Candidates = std::sync::Arc<HashMap<Lang, Filter>>;

/// Which files of a language the join needs, found before the scan.
#[derive(Debug)]
enum Filter {
    /// Files that hold a define word or mention one of these names (`None`: nothing is defined).
    Names(Option<regex::Regex>),
    /// Go, joined by method set: files that may define an interface, and files that declare a
    /// method one of the repository's interfaces lists (the other methods cannot complete a set).
    Methods(HashSet<String>),
}

/// What one file contributes to the join.
#[derive(Debug, Clone)]
pub enum Symbol {
    Define {
        name: Name,
        location: Location,
        structural: bool,
        public: bool,
        methods: BTreeSet<String>,
    },
    /// `literal`: an object literal typed as the interface, which satisfies it without making it an
    /// abstraction (a data shape with one value is not a seam).
    Implement {
        name: Name,
        implementor: String,
        path: String,
        test: bool,
        literal: bool,
    },
    Method {
        receiver: Name,
        method: String,
        test: bool,
        path: String,
    },
    Mock {
        name: Name,
    },
    Exempt {
        name: Name,
    },
    /// A type the repository defines (a Rust struct, enum or union): a trait whose one
    /// implementation is for any other type is an extension trait.
    LocalType {
        name: Name,
    },
}

/// A name within a language: a Python `Clock` and a Go `Clock` are not one abstraction. JavaScript,
/// TypeScript and TSX share names.
pub type Name = (u8, String);

fn named(lang: Lang, name: &str) -> Name {
    let group = match lang {
        Lang::JavaScript | Lang::TypeScript | Lang::Tsx => 0,
        other => other as u8 + 1,
    };
    (group, name.to_string())
}

impl ImplementationsCheck {
    /// For the languages with `define-words`: the names that files holding those words define
    /// (parsed here with this check's own patterns), as one regex of whole words; `None` when no
    /// file defines anything.
    fn find_candidates(&self, facts: &Facts) -> HashMap<Lang, Filter> {
        use rayon::prelude::*;
        let mut found = HashMap::new();
        if self.method_sets(Lang::Go) {
            let paths: Vec<&String> = facts
                .tree()
                .files
                .iter()
                .filter(|path| Lang::of(path) == Some(Lang::Go) && self.selects(path))
                .collect();
            let methods: HashSet<String> = paths
                .par_iter()
                .filter_map(|path| facts.read(path))
                .flat_map_iter(|text| go::interface_methods(&text).into_iter().map(str::to_string).collect::<Vec<_>>())
                .collect();
            found.insert(Lang::Go, Filter::Methods(methods));
        }
        for (lang, words) in &self.define_words {
            let parts: Vec<(usize, Lang, &str)> = self
                .patterns
                .iter()
                .filter(|pattern| pattern.lang == *lang)
                .map(|pattern| (0, pattern.lang, pattern.text.as_str()))
                .collect();
            let plan = crate::syntax::Plan::new(&parts).with_cache(facts.settings().matches.clone());
            let paths: Vec<&String> =
                facts.tree().files.iter().filter(|path| Lang::of(path) == Some(*lang) && self.selects(path)).collect();
            let defined: BTreeSet<String> = paths
                .par_iter()
                .filter_map(|path| facts.read(path))
                .filter(|text| words.iter().any(|word| text.contains(word.as_str())))
                .flat_map_iter(|text| {
                    let matches = plan.cached_matches(*lang, &text, true);
                    let matches = matches.as_ref().as_ref().map(|(matches, _)| matches.as_slice()).unwrap_or_default();
                    matches
                        .iter()
                        .flat_map(|each| each.captures.iter())
                        .filter(|capture| capture.name == "define" || capture.name == "define-structural")
                        .map(|capture| text[capture.range.clone()].trim().to_string())
                        .collect::<Vec<_>>()
                })
                .collect();
            // A pattern that does not compile is reported by the scan, which compiles it again.
            let alternation: Vec<String> = defined.iter().map(|name| regex::escape(name)).collect();
            let context = self.context(*lang).map_or(r"\b".to_string(), |pattern| format!("(?:{})", pattern.as_str()));
            let pattern = match alternation.is_empty() {
                true => None,
                false => match regex::Regex::new(&format!(r"{context}(?:{})\b", alternation.join("|"))) {
                    Ok(pattern) => Some(pattern),
                    // Too many names for one regex: no filter, every file of the language is read
                    // (slower, never wrong).
                    Err(_) => continue,
                },
            };
            found.insert(*lang, Filter::Names(pattern));
        }
        found
    }

    fn context(&self, lang: Lang) -> Option<&Pattern> {
        self.implement_context.iter().find(|(wanted, _)| *wanted == lang).map(|(_, pattern)| pattern)
    }

    /// Whether the language's patterns join types to interfaces by method set (`@receiver` with
    /// `@method`), for the languages whose method declarations can be found without a parse.
    fn method_sets(&self, lang: Lang) -> bool {
        lang == Lang::Go
            && self.patterns.iter().any(|pattern| {
                pattern.lang == lang && pattern.text.contains("@receiver") && pattern.text.contains("@method")
            })
    }

    /// Whether the join needs this file: it may define an abstraction, or names one.
    fn needs(&self, lang: Lang, text: &str) -> bool {
        match self.candidates.get().and_then(|found| found.get(&lang)) {
            None => true,
            Some(Filter::Names(candidates)) => {
                let Some((_, words)) = self.define_words.iter().find(|(wanted, _)| *wanted == lang) else {
                    return true;
                };
                words.iter().any(|word| text.contains(word.as_str()))
                    || candidates.as_ref().is_some_and(|pattern| pattern.is_match(text))
            }
            Some(Filter::Methods(methods)) => {
                go::may_define_interface(text)
                    || go::declared_methods(text).is_none_or(|names| names.iter().any(|name| methods.contains(*name)))
            }
        }
    }

    /// Over `collapse_over` findings with one implementing type become one, at the first of them:
    /// a composition root (a registry, a container) that implements many narrow interfaces, each
    /// an accessor its consumers declare, is one decision. Then over `collapse_over` of the rest in
    /// one folder become one.
    fn collapse(&self, hits: Vec<(String, Hit)>) -> Vec<Hit> {
        let mut by_cause: BTreeMap<String, Vec<(String, Hit)>> = BTreeMap::new();
        let mut rest = Vec::new();
        for (folder, hit) in hits {
            match (&hit.cause, self.report) {
                (Some(cause), Cardinality::Single) => by_cause.entry(cause.clone()).or_default().push((folder, hit)),
                _ => rest.push((folder, hit)),
            }
        }
        let mut out = Vec::new();
        for (cause, mut hits) in by_cause {
            if hits.len() <= self.collapse_over {
                rest.extend(hits);
                continue;
            }
            hits.sort_by(|a, b| a.1.subject.cmp(&b.1.subject));
            let names: Vec<String> = hits.iter().take(4).map(|(_, hit)| code(&hit.subject)).collect();
            let message = format!(
                "{} implements {} abstractions that nothing else implements ({}, …): a composition root's accessors, one decision",
                code(&cause),
                hits.len(),
                names.join(", ")
            );
            let (_, first) = hits
                .into_iter()
                .min_by_key(|(_, hit)| match &hit.place {
                    crate::finding::Place::File(location) => Some(location.clone()),
                    crate::finding::Place::Repository { .. } => None,
                })
                .expect("more than collapse_over hits");
            out.push(Hit { message, key: format!("{cause} implements"), ..first });
        }
        let mut by_folder: BTreeMap<String, Vec<Hit>> = BTreeMap::new();
        for (folder, hit) in rest {
            by_folder.entry(folder).or_default().push(hit);
        }
        for (folder, mut hits) in by_folder {
            if hits.len() <= self.collapse_over {
                out.extend(hits);
                continue;
            }
            hits.sort_by(|a, b| a.subject.cmp(&b.subject));
            let names: Vec<String> = hits.iter().take(4).map(|hit| code(&hit.subject)).collect();
            let what = match self.report {
                Cardinality::Single => "have one implementation each",
                Cardinality::Never => "are never implemented",
            };
            let where_ = if folder.is_empty() { "the top folder".to_string() } else { code(&format!("{folder}/")) };
            let message = format!(
                "{} abstractions in {where_} {what} ({}, …): a deliberate layer?",
                hits.len(),
                names.join(", ")
            );
            let first = hits
                .into_iter()
                .min_by_key(|hit| match &hit.place {
                    crate::finding::Place::File(location) => Some(location.clone()),
                    crate::finding::Place::Repository { .. } => None,
                })
                .expect("more than collapse_over hits");
            out.push(Hit { message, key: format!("{folder} {what}"), cause: None, ..first });
        }
        out
    }
}

/// Go's method sets, indexed by method name: the types that may implement an interface are those
/// that declare its rarest method, so an interface is compared with a few types, not with all.
struct Receivers<'a> {
    by_method: HashMap<&'a str, Vec<Receiver<'a>>>,
}

/// A type, its methods, and whether it is test code.
type Receiver<'a> = (&'a Name, &'a BTreeSet<&'a str>, bool);

impl<'a> Receivers<'a> {
    fn new(methods: &'a HashMap<&'a Name, (BTreeSet<&'a str>, bool)>) -> Self {
        let mut by_method: HashMap<&str, Vec<Receiver<'_>>> = HashMap::new();
        for (receiver, (have, test)) in methods {
            for method in have {
                by_method.entry(method).or_default().push((receiver, have, *test));
            }
        }
        Receivers { by_method }
    }

    /// Up to `limit` types of the language group `group` whose methods include every one of
    /// `wanted` (which is not empty), with whether each is test code; the same types, in some
    /// order, as comparing `wanted` with every type's methods.
    fn implementing(&self, group: u8, wanted: &BTreeSet<String>, limit: usize) -> Vec<(String, bool)> {
        let rarest = wanted.iter().map(|method| self.by_method.get(method.as_str()).map_or(&[][..], Vec::as_slice));
        let Some(candidates) = rarest.min_by_key(|candidates| candidates.len()) else { return Vec::new() };
        candidates
            .iter()
            .filter(|(receiver, have, _)| {
                receiver.0 == group && wanted.iter().all(|method| have.contains(method.as_str()))
            })
            .take(limit)
            .map(|(receiver, _, test)| (receiver.1.clone(), *test))
            .collect()
    }
}

/// Whether a file is a package's manifest: the folder holding it is one unit of build or
/// publication (a crate, a project, a workspace package).
fn is_package_manifest(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    matches!(
        name,
        "Cargo.toml"
            | "package.json"
            | "pyproject.toml"
            | "setup.py"
            | "setup.cfg"
            | "go.mod"
            | "pom.xml"
            | "build.gradle"
            | "build.gradle.kts"
            | "composer.json"
            | "mix.exs"
    ) || [".gemspec", ".csproj", ".fsproj", ".vbproj"].iter().any(|end| lower.ends_with(end))
}

/// Whether a manifest says its package is published for others to use: a .NET project with a
/// package id, or marked packable (`IsPackable`, `GeneratePackageOnBuild`).
fn publishes(manifest: &str) -> bool {
    manifest.contains("<PackageId>")
        || manifest.contains("<IsPackable>true</IsPackable>")
        || manifest.contains("<GeneratePackageOnBuild>true</GeneratePackageOnBuild>")
}

/// The package a file belongs to: its own folder for Go (a package is a folder), else the nearest
/// folder above it that holds a package manifest (`""`, the top, when none does).
fn package_of<'a>(path: &'a str, packages: &HashSet<&str>) -> &'a str {
    let mut folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
    if path.ends_with(".go") {
        return folder;
    }
    loop {
        if packages.contains(folder) || folder.is_empty() {
            return folder;
        }
        folder = folder.rsplit_once('/').map_or("", |(parent, _)| parent);
    }
}

/// The name at the head of a type: `Select` for `&mut sea_orm::Select<Entity>`.
fn head(ty: &str) -> &str {
    let ty = ty.trim_start_matches(['&', ' ']);
    let ty = ty.strip_prefix("mut ").unwrap_or(ty).trim_start();
    let ty = ty.strip_prefix("dyn ").unwrap_or(ty).trim_start();
    let ty = ty.split(['<', ' ', '(', '[']).next().unwrap_or(ty);
    ty.rsplit("::").next().unwrap_or(ty)
}

/// Go's syntax, read without a parse to decide which files the method-set join must parse. Each
/// answer errs towards parsing: a file is skipped only when it surely adds nothing.
mod go {
    /// Whether the text may declare an interface with a member (`interface {` followed by anything
    /// but `}`); `interface{}` alone declares nothing.
    pub fn may_define_interface(text: &str) -> bool {
        bodies(text).any(|body| !body.trim().is_empty())
    }

    /// The bodies of the text's outermost interface types, from after `{` to the matching `}` (to
    /// the end of the text when unbalanced). An interface inside another's body (`interface {
    /// F(interface{ G() }) }`) lies within it: each byte is read once, however deep the nesting.
    fn bodies(text: &str) -> impl Iterator<Item = &str> {
        let mut covered = 0;
        text.match_indices("interface").filter_map(move |(at, word)| {
            if at < covered {
                return None;
            }
            let before = text[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                return None;
            }
            let rest = text[at + word.len()..].trim_start();
            let rest = rest.strip_prefix('{')?;
            let start = text.len() - rest.len();
            let mut depth = 1usize;
            for (offset, byte) in rest.bytes().enumerate() {
                match byte {
                    b'{' => depth += 1,
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            covered = start + offset;
                            return Some(&rest[..offset]);
                        }
                    }
                    _ => {}
                }
            }
            covered = text.len();
            Some(rest)
        })
    }

    /// Every name an interface body may list as a method: each identifier followed by `(`, so
    /// more than the methods (parameter types such as `func(`), never fewer. A nested interface's
    /// names are its enclosing body's too: the name before a `(` ends at the `{` that opens a body
    /// at the latest, so it reads the same in either.
    pub fn interface_methods(text: &str) -> Vec<&str> {
        let mut names = Vec::new();
        for body in bodies(text) {
            names.extend(called(body));
        }
        names
    }

    /// Identifiers followed (after spaces) by `(`.
    fn called(text: &str) -> impl Iterator<Item = &str> {
        text.match_indices('(').filter_map(move |(at, _)| {
            let before = text[..at].trim_end();
            let start = before.rfind(|c: char| !(c.is_alphanumeric() || c == '_')).map_or(0, |i| i + 1);
            let name = &before[start..];
            (!name.is_empty() && !name.starts_with(|c: char| c.is_ascii_digit())).then_some(name)
        })
    }

    /// The names of the methods the text declares (`func (r *T) Name(`), plus any name that
    /// follows a function literal's parameters; `None` when a declaration cannot be read (a
    /// comment between the receiver and the name), so the file is parsed.
    pub fn declared_methods(text: &str) -> Option<Vec<&str>> {
        let mut names = Vec::new();
        // The `(` after each `func`, then where each closes, all found in one pass.
        let opens: Vec<usize> = text
            .match_indices("func")
            .filter(|(at, _)| !text[..*at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_'))
            .filter_map(|(at, word)| {
                let rest = text[at + word.len()..].trim_start().strip_prefix('(')?;
                Some(text.len() - rest.len() - 1)
            })
            .collect();
        for end in closing_parens(text, &opens) {
            let after = text[end? + 1..].trim_start();
            if after.starts_with('/') {
                return None;
            }
            let length = after.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(after.len());
            if length > 0 {
                names.push(&after[..length]);
            }
        }
        Some(names)
    }

    /// Where the `(` at each of `opens` (ascending offsets of `(`) is closed: the first `)` after
    /// it at which as many `)` as `(` have followed it; `None` when none does. One pass, however
    /// deeply they nest.
    pub(super) fn closing_parens(text: &str, opens: &[usize]) -> Vec<Option<usize>> {
        let mut closing = vec![None; opens.len()];
        let mut wanted = opens.iter().enumerate().peekable();
        // `(` not yet closed, and of those the wanted ones with how many were open before each.
        let mut depth = 0usize;
        let mut waiting: Vec<(usize, usize)> = Vec::new();
        for (at, byte) in text.bytes().enumerate() {
            match byte {
                b'(' => {
                    if wanted.peek().is_some_and(|(_, open)| **open == at) {
                        let (index, _) = wanted.next().expect("peeked");
                        waiting.push((depth, index));
                    }
                    depth += 1;
                }
                b')' if depth > 0 => {
                    depth -= 1;
                    if waiting.last().is_some_and(|(opened_at, _)| *opened_at == depth) {
                        let (_, index) = waiting.pop().expect("checked");
                        closing[index] = Some(at);
                    }
                }
                _ => {}
            }
        }
        closing
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn interfaces_and_their_methods_are_read_without_a_parse() {
            let text = "type Store interface {\n\t// Get(x) in a comment\n\tGet(ctx context.Context, f func(int) error) (T, error)\n\tio.Closer\n}\nvar x interface{}\n";
            assert!(may_define_interface(text));
            let methods = interface_methods(text);
            assert!(methods.contains(&"Get") && methods.contains(&"func"), "{methods:?}");
            assert!(!may_define_interface("var x interface{}\nfunc f(v interface{ }) {}\nvar superinterface { }"));
            assert!(may_define_interface("type S interface{ String() string }"));
        }

        #[test]
        fn nested_interfaces_are_read_once_with_the_same_names() {
            let text = "type A interface { F(x interface { G() }) H() }\nvar y interface{}\ntype B interface { K() }\n";
            assert_eq!(bodies(text).count(), 3, "the inner interface lies within A's body");
            let names: std::collections::BTreeSet<&str> = interface_methods(text).into_iter().collect();
            assert_eq!(names, ["F", "G", "H", "K"].into());
            // Thousands of nested, unclosed interfaces: one body, read once.
            let deep = "interface { f(".repeat(5_000);
            assert_eq!(bodies(&deep).count(), 1);
            assert_eq!(interface_methods(&deep).len(), 5_000);
            assert!(may_define_interface(&deep));
        }

        #[test]
        fn parentheses_close_where_counting_closes_them() {
            // The first `)` after each `(` at which as many `)` as `(` have followed it.
            let naive = |text: &str, open: usize| {
                let mut depth = 0usize;
                for (at, byte) in text.bytes().enumerate().skip(open) {
                    match byte {
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                return Some(at);
                            }
                        }
                        _ => {}
                    }
                }
                None
            };
            for text in ["()", "(()", "())(", "a(b(c)d)(e", ")((x)(y))z(", "((((", "))))(()())", "(a)(b)((c)(d))"] {
                let opens: Vec<usize> = text.match_indices('(').map(|(at, _)| at).collect();
                let expected: Vec<Option<usize>> = opens.iter().map(|open| naive(text, *open)).collect();
                assert_eq!(closing_parens(text, &opens), expected, "{text}");
                let some: Vec<usize> = opens.iter().copied().step_by(2).collect();
                let expected: Vec<Option<usize>> = some.iter().map(|open| naive(text, *open)).collect();
                assert_eq!(closing_parens(text, &some), expected, "{text}, every other");
            }
            let deep = format!("{}{}", "func (".repeat(5_000), ")".repeat(5_000));
            assert_eq!(declared_methods(&deep), Some(vec![]));
        }

        #[test]
        fn method_declarations_are_read_without_a_parse() {
            let text = "func (s *Store[K, V]) Get(k K) V { return nil }\nfunc (Store) Put() {}\nfunc free() {}\nvar f = func(x int) error { return nil }\n";
            assert_eq!(declared_methods(text), Some(vec!["Get", "Put", "error"]));
            assert_eq!(declared_methods("func (s *T) /* odd */ Get() {}"), None);
            assert_eq!(declared_methods("myfunc (x)"), Some(vec![]));
        }
    }
}

config! {
    /// The `[check]` table of `implementations`: interfaces with one implementation, or none.
    pub struct ImplementationsConfig {
        /// Globs that narrow the files (default: every file of a language a pattern is written for).
        "files" => files: Globs,
        /// Files to leave out.
        "exclude" => exclude: Globs,
        /// Also judge what code that is not the product's defines (default `false`: what examples, samples, docs,
        /// benchmarks, templates, tools and tool packages, built output, vendored code and archives define is not
        /// judged, as for `query`'s `non-product`; what they implement counts).
        "non-product" => non_product: bool,
        /// `"single"` (abstractions with exactly one implementation) or `"never"` (abstractions nothing implements).
        required "report" => report: Cardinality,
        /// Regexes whose group 1 names an abstraction that has a test double (`Mock<IFoo>`, gomock's generated
        /// `MockFoo`).
        "mocks" => mocks: Regexes,
        /// Regexes whose group 1 names an abstraction that must not be judged (`AddScoped<IFoo, Foo>`).
        "exempt" => exempt: Regexes,
        /// Per language, a regex a name must match to be exported: `{ go = '^[A-Z]' }`; a library's exported
        /// definitions are not judged.
        "exported" => exported: LangRegexes,
        /// More findings than this in one folder become one finding about the folder (default 5).
        "collapse-over" => collapse_over: usize,
        /// Per language, words without which a file defines nothing, e.g. `{ ruby = ["NotImplementedError"] }`: the
        /// files holding one are parsed first, and then only the files that name what they define.
        "define-words" => define_words: LangWords,
        /// Per language with `define-words`, a regex for what comes right before an implemented name, e.g. `{ ruby =
        /// '<\s*(?:::)?(?:\w+::)*' }` for a superclass: a file is then parsed only if a candidate name follows it.
        "implement-context" => implement_context: LangContexts,
        /// `[check.patterns]`: language = pattern text, or the rule's `.scm` pattern files, with the captures below.
        required "patterns" => patterns: Queries,
    }
}

impl FromKey for Cardinality {
    const SHAPE: &'static str = "\"single\" or \"never\"";

    fn from_key(fields: &mut Fields<'_>, key: &'static str, problems: &mut Problems) -> Read<Self> {
        let words = [("single", Cardinality::Single), ("never", Cardinality::Never)];
        word(fields, key, problems, &words, not_one_of("report", Self::SHAPE))
    }
}

/// `implement-context`: language = regex, each with where it is written: its regex is compiled
/// only for a language that has `define-words`, and one that has none is reported at its name.
#[derive(Debug, Default)]
pub struct LangContexts(Vec<(Lang, Spanned<String>, std::ops::Range<usize>, crate::diag::SourceFile)>);

impl FromKey for LangContexts {
    const SHAPE: &'static str = "table of language = regex";

    fn from_key(fields: &mut Fields<'_>, key: &'static str, problems: &mut Problems) -> Read<Self> {
        let (file, table) = read!(with_file::<BTreeMap<Spanned<String>, Spanned<String>>>(fields, key, problems));
        // An unknown language is reported; the others are still read.
        let (entries, _) = languages(file, table.into_inner(), problems);
        let all = entries.into_iter().map(|(lang, span, text)| (lang, text, span, file.clone())).collect();
        Read::Value(LangContexts(all))
    }
}

impl Primitive for ImplementationsCheck {
    const KIND: &'static str = "implementations";
    type Config = ImplementationsConfig;
    /// Definitions and implementations, joined across files after the scan.
    type Acc = Vec<Symbol>;

    fn compile(config: ImplementationsConfig, _: &Fields<'_>, problems: &mut Problems) -> Option<Self> {
        let define_words = config.define_words.or_lenient(LangWords::default()).0;
        // Context for implementations is read only where definitions are counted by words.
        let mut implement_context = Vec::new();
        for (lang, text, span, file) in config.implement_context.or_lenient(LangContexts::default()).0 {
            if !define_words.iter().any(|(wanted, _)| *wanted == lang) {
                let message = format!("`implement-context` for {} needs `define-words` for it", lang.name());
                problems.push(Problem::at(&file, span, message, "no define-words for this language"));
                continue;
            }
            if let Some(pattern) = crate::pattern::regex(&file, &text, problems) {
                implement_context.push((lang, pattern));
            }
        }
        Some(ImplementationsCheck {
            patterns: config.patterns.value()?.0,
            report: config.report.value()?,
            scope: Scope::new(config.files.or(Globs::empty())?, config.exclude.or(Globs::empty())?),
            non_product: config.non_product.or_lenient(false),
            mocks: config.mocks.or(Regexes::default())?.0,
            exempt: config.exempt.or(Regexes::default())?.0,
            exported: config.exported.or_lenient(LangRegexes::default()).0,
            collapse_over: config.collapse_over.or_lenient(5),
            define_words,
            implement_context,
            candidates: std::sync::OnceLock::new(),
            any_regex: std::sync::OnceLock::new(),
        })
    }

    fn repository_level(&self) -> bool {
        false
    }

    fn pre(&self, facts: &Facts) -> Pre {
        if !facts.tree().files.iter().any(|path| self.selects(path)) {
            return Pre::Done(Vec::new());
        }
        self.candidates.get_or_init(|| {
            // Everything the candidates are found from: two checks that differ in any of it find
            // different candidates.
            let key = (
                self.define_words.clone(),
                self.patterns.iter().map(|pattern| (pattern.lang, pattern.text.clone())).collect::<Vec<_>>(),
                self.scope.key(),
                self.implement_context
                    .iter()
                    .map(|(lang, pattern)| (*lang, pattern.as_str().to_string()))
                    .collect::<Vec<_>>(),
            );
            facts.shared(key, || self.find_candidates(facts))
        });
        Pre::Scan
    }

    /// Test files are read too: their classes and mocks are implementations.
    fn selects(&self, path: &str) -> bool {
        let Some(lang) = Lang::of(path) else { return false };
        code::has(&self.patterns, lang) && self.scope.admits(path)
    }

    fn patterns(&self) -> &[PatternSpec] {
        &self.patterns
    }

    /// What a generated file implements counts: a generated client implements an interface too.
    fn reads_generated(&self) -> bool {
        true
    }

    fn scan(&self, file: &FileCtx<'_>, cx: &ScanCx<'_>, out: &mut Vec<Symbol>) {
        let owner = cx.owner;
        let Some(lang) = Lang::of(file.path) else { return };
        // Where only method declarations or an implement context decide what a file adds, a file
        // that is not parsed may still hold a test double or register an abstraction with a
        // container (`instance_double(Store)`, `wire.Bind(new(Store), …)`): the regexes see it.
        let by_method_set = self.method_sets(lang) || self.context(lang).is_some();
        if !by_method_set && !self.needs(lang, file.text) {
            return;
        }
        let any_regex = self
            .any_regex
            .get_or_init(|| regex::RegexSet::new(self.mocks.iter().chain(&self.exempt).map(Pattern::as_str)).ok());
        let some_regex_matches = any_regex.as_ref().is_none_or(|set| set.is_match(file.text));
        for pattern in self.mocks.iter().filter(|_| some_regex_matches) {
            for captures in pattern.get().captures_iter(file.text) {
                if let Some(name) = captures.get(1) {
                    out.push(Symbol::Mock { name: named(lang, name.as_str()) });
                }
            }
        }
        for pattern in self.exempt.iter().filter(|_| some_regex_matches) {
            for captures in pattern.get().captures_iter(file.text) {
                if let Some(name) = captures.get(1) {
                    out.push(Symbol::Exempt { name: named(lang, name.as_str()) });
                }
            }
        }
        if by_method_set && !self.needs(lang, file.text) {
            return;
        }
        // Test files, generated code and code outside the product implement, but define nothing to judge.
        let test = is_test_path(file.path);
        let outside = !self.non_product && code::outside_product(cx.facts, file.path);
        let generated = file.is_generated();
        let matches = match file.syntax_matches(lang) {
            Ok((matches, _)) => matches,
            Err(NotParsed::Generated | NotParsed::Minified | NotParsed::Failed | NotParsed::BadPattern) => return,
        };
        // Rust keeps unit tests (and their test doubles) in a `#[cfg(test)]` module at the end.
        let test_module = (lang == Lang::Rust).then(|| file.text.find("#[cfg(test)]")).flatten();
        let in_test_module = |offset: usize| test_module.is_some_and(|from| offset > from);
        let exported = self.exported.iter().find(|(wanted, _)| *wanted == lang).map(|(_, pattern)| pattern);
        // One definition may come in several matches (one per method of a Go interface): each is
        // found again by its range, in the order first seen.
        let mut defines: Vec<Symbol> = Vec::new();
        let mut define_at: HashMap<std::ops::Range<usize>, usize> = HashMap::new();
        for each in matches.iter().filter(|each| each.owner == owner) {
            let text = |name: &str| {
                each.captures
                    .iter()
                    .find(|capture| capture.name == name)
                    .map(|capture| (capture.range.clone(), file.text[capture.range.clone()].trim().to_string()))
            };
            let methods: BTreeSet<String> = each
                .captures
                .iter()
                .filter(|capture| capture.name == "method")
                .map(|capture| file.text[capture.range.clone()].to_string())
                .collect();
            if let Some((_, name)) = text("local-type") {
                out.push(Symbol::LocalType { name: named(lang, &name) });
            } else if let Some((_, name)) = text("exempt") {
                out.push(Symbol::Exempt { name: named(lang, &name) });
            } else if let Some((range, name)) = text("define").or_else(|| text("define-structural")) {
                if test || generated || outside || in_test_module(range.start) {
                    continue;
                }
                let public = text("public").is_some() || exported.is_some_and(|pattern| pattern.is_match(&name));
                let structural = text("define").is_none();
                // Several patterns may see one definition: it is exported, or structural, if any says so.
                if let Some(define) = define_at.get(&range).map(|at| &mut defines[*at]) {
                    if let Symbol::Define { methods: known, public: was_public, structural: was_structural, .. } =
                        define
                    {
                        known.extend(methods);
                        *was_public |= public;
                        *was_structural |= structural;
                    }
                    continue;
                }
                let location = file.location(range.start, range.end);
                let name = named(lang, &name);
                define_at.insert(range, defines.len());
                defines.push(Symbol::Define { name, location, structural, public, methods });
            } else if let Some((range, name, literal)) = text("implement")
                .map(|(range, name)| (range, name, false))
                .or_else(|| text("implement-literal").map(|(range, name)| (range, name, true)))
            {
                let implementor = text("implementor").map(|(_, name)| name).unwrap_or_default();
                let test = test || in_test_module(range.start);
                let name = named(lang, &name);
                let path = file.path.to_string();
                out.push(Symbol::Implement { name, implementor, path, test, literal });
            } else if let Some((range, receiver)) = text("receiver") {
                let test = test || in_test_module(range.start);
                for method in methods {
                    let path = file.path.to_string();
                    out.push(Symbol::Method { receiver: named(lang, &receiver), method, test, path });
                }
            }
        }
        out.extend(defines);
    }

    fn post(&self, facts: &Facts, symbols: Vec<Symbol>) -> Vec<Hit> {
        // A repository that is (or holds) a library: its exported definitions may be implemented by
        // its users, out of sight.
        let library = facts.profile().profiles.contains(&Profile::Library);
        let mut defined: HashMap<&Name, Vec<&Symbol>> = HashMap::new();
        let mut implementors: HashMap<&Name, Vec<(String, bool)>> = HashMap::new();
        let mut literals: HashSet<&Name> = HashSet::new();
        let mut in_plugins: HashSet<&Name> = HashSet::new();
        let mut mocked = HashSet::new();
        let mut exempt = HashSet::new();
        let mut local_types: HashSet<&Name> = HashSet::new();
        let mut methods: HashMap<&Name, (BTreeSet<&str>, bool)> = HashMap::new();
        // Where each implementing type is written (its declaration or its methods), by name.
        let mut written_in: HashMap<(u8, &str), BTreeSet<&str>> = HashMap::new();
        for symbol in &symbols {
            match symbol {
                Symbol::Define { name, .. } => defined.entry(name).or_default().push(symbol),
                Symbol::Implement { name, implementor, path, test, literal } => {
                    if path.split('/').any(|part| matches!(part, "plugins" | "plugin" | "extensions" | "addons")) {
                        in_plugins.insert(name);
                    }
                    if *literal {
                        literals.insert(name);
                    }
                    let who = if implementor.is_empty() { path.clone() } else { implementor.clone() };
                    let written = if implementor.is_empty() { path } else { implementor };
                    written_in.entry((name.0, written.as_str())).or_default().insert(path);
                    implementors.entry(name).or_default().push((who, *test));
                }
                Symbol::Method { receiver, method, test, path } => {
                    written_in.entry((receiver.0, &receiver.1)).or_default().insert(path);
                    let entry = methods.entry(receiver).or_default();
                    entry.0.insert(method);
                    entry.1 |= *test;
                }
                Symbol::Mock { name } => {
                    mocked.insert(name);
                }
                Symbol::Exempt { name } => {
                    exempt.insert(name);
                }
                Symbol::LocalType { name } => {
                    local_types.insert(name);
                }
            }
        }
        // The folders that hold a package's manifest: each is a unit another cannot always name.
        let packages: HashSet<&str> = facts
            .tree()
            .files
            .iter()
            .filter(|path| is_package_manifest(path))
            .map(|path| path.rsplit_once('/').map_or("", |(folder, _)| folder))
            .collect();
        // Packages published for others to build on (a NuGet package id): their public
        // abstractions are an SDK's extension points, like a library's.
        let published: HashSet<&str> = facts
            .tree()
            .files
            .iter()
            .filter(|path| path.ends_with("proj") && is_package_manifest(path))
            .filter(|path| facts.read(path).is_some_and(|text| publishes(&text)))
            .map(|path| path.rsplit_once('/').map_or("", |(folder, _)| folder))
            .collect();
        // The language groups the repository defines types in.
        let type_groups: HashSet<u8> = local_types.iter().map(|local| local.0).collect();
        let receivers = Receivers::new(&methods);
        let mut hits: Vec<(String, Hit)> = Vec::new();
        for (name, definitions) in &defined {
            // A name defined twice (two packages, two modules) cannot be joined by name.
            let [Symbol::Define { location, structural, public, methods: wanted, .. }] = definitions.as_slice() else {
                continue;
            };
            let sdk = *public && published.contains(package_of(&location.path, &packages));
            if exempt.contains(name) || (library && *public) || sdk {
                continue;
            }
            // An abstraction implemented by a plugin or an extension is a plugin contract.
            if in_plugins.contains(name) {
                continue;
            }
            let mut found: Vec<(String, bool)> = implementors.get(name).cloned().unwrap_or_default();
            // Go: the types whose methods include all of the interface's. Only whether there are
            // none, one or more is judged, so the search stops at two.
            if !wanted.is_empty() {
                let enough = 2usize.saturating_sub(found.len() + usize::from(mocked.contains(name)));
                found.extend(receivers.implementing(name.0, wanted, enough));
            }
            let doubles = usize::from(mocked.contains(name)) + found.iter().filter(|(_, test)| *test).count();
            let real: Vec<&str> = found.iter().filter(|(_, test)| !test).map(|(who, _)| who.as_str()).collect();
            let count = real.len() + doubles;
            let literal = literals.contains(name);
            let name_group = name.0;
            // Rust: one implementation for a type the repository does not define (`Option<&User>`,
            // an ORM's `Select<Entity>`) makes an extension trait, the only way to add methods.
            let knows_types = type_groups.contains(&name.0);
            let extension =
                knows_types && real.len() == 1 && !local_types.contains(&(name.0, head(real[0]).to_string()));
            // One implementation in another package (a Go package, a crate, a project, a
            // workspace package) is dependency inversion: the package that defines the abstraction
            // cannot name the one that implements it (a domain project and its infrastructure, a
            // consumer-side Go interface that a registry satisfies).
            let elsewhere = real.len() == 1
                && written_in.get(&(name.0, real[0])).is_some_and(|paths| {
                    let here = package_of(&location.path, &packages);
                    paths.iter().all(|path| package_of(path, &packages) != here)
                });
            let name = &name.1;
            let hit = match self.report {
                // A value typed as an interface makes the interface a data shape, not a seam.
                // One abstract implementor (`BaseAuditableEntity : BaseEntity`) has implementors of its own.
                Cardinality::Single
                    if count == 1
                        && doubles == 0
                        && !literal
                        && !extension
                        && !elsewhere
                        && !defined.contains_key(&(name_group, real[0].to_string())) =>
                {
                    let message = format!("{} has one implementation, {}", code(name), code(real[0]));
                    Hit::at(location.clone(), message, name.to_string()).with_cause(real[0])
                }
                Cardinality::Never if count == 0 && !structural => {
                    Hit::at(location.clone(), format!("{} is never implemented", code(name)), name.to_string())
                }
                _ => continue,
            };
            let folder = location.path.rsplit_once('/').map_or("", |(folder, _)| folder).to_string();
            hits.push((folder, hit));
        }
        self.collapse(hits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_joined_to_interfaces_through_their_rarest_method() {
        let set = |methods: &[&'static str]| -> BTreeSet<&'static str> { methods.iter().copied().collect() };
        let names: Vec<Name> = (0..6).map(|at| (if at == 5 { 9 } else { 4 }, format!("T{at}"))).collect();
        let mut methods: HashMap<&Name, (BTreeSet<&str>, bool)> = HashMap::new();
        methods.insert(&names[0], (set(&["Get", "Put"]), false));
        methods.insert(&names[1], (set(&["Get", "Put", "Close"]), true));
        methods.insert(&names[2], (set(&["Get"]), false));
        methods.insert(&names[3], (set(&["Close"]), false));
        methods.insert(&names[4], (set(&["Put", "Close", "Flush"]), false));
        // Another language group: never an implementation.
        methods.insert(&names[5], (set(&["Get", "Put"]), false));
        let receivers = Receivers::new(&methods);
        let wanted = |list: &[&str]| -> BTreeSet<String> { list.iter().map(|method| method.to_string()).collect() };
        let brute = |want: &BTreeSet<String>| -> BTreeSet<(String, bool)> {
            methods
                .iter()
                .filter(|(receiver, (have, _))| {
                    receiver.0 == 4 && want.iter().all(|method| have.contains(method.as_str()))
                })
                .map(|(receiver, (_, test))| (receiver.1.clone(), *test))
                .collect()
        };
        for list in [&["Get"][..], &["Get", "Put"], &["Close"], &["Put", "Close"], &["Flush", "Get"], &["Nope"]] {
            let want = wanted(list);
            let found: BTreeSet<(String, bool)> = receivers.implementing(4, &want, usize::MAX).into_iter().collect();
            assert_eq!(found, brute(&want), "{list:?}");
            let capped = receivers.implementing(4, &want, 2);
            assert_eq!(capped.len(), brute(&want).len().min(2), "{list:?}");
        }
    }
}
