//! Syntax: the one module that touches tree-sitter. It knows the languages, compiles the query
//! patterns of every active rule into one query per language, and parses each file at most once,
//! dropping its tree as soon as the matches are taken.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;
use streaming_iterator::StreamingIterator;
use tree_sitter::{Language, Parser, Query, QueryCursor};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    Rust,
    Python,
    JavaScript,
    TypeScript,
    Tsx,
    Go,
    Java,
    Ruby,
    CSharp,
}

impl Lang {
    pub const ALL: [Lang; 9] = [
        Lang::Rust,
        Lang::Python,
        Lang::JavaScript,
        Lang::TypeScript,
        Lang::Tsx,
        Lang::Go,
        Lang::Java,
        Lang::Ruby,
        Lang::CSharp,
    ];

    /// The language of a file, from its extension.
    pub fn of(path: &str) -> Option<Lang> {
        let extension = path.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match extension.as_str() {
            "rs" => Lang::Rust,
            "py" | "pyi" => Lang::Python,
            "js" | "mjs" | "cjs" | "jsx" => Lang::JavaScript,
            "ts" | "mts" | "cts" => Lang::TypeScript,
            "tsx" => Lang::Tsx,
            "go" => Lang::Go,
            "java" => Lang::Java,
            "rb" | "rake" => Lang::Ruby,
            "cs" => Lang::CSharp,
            _ => return None,
        })
    }

    /// The language of a file from its extension or, for a script without one, its shebang line
    /// (`#!/usr/bin/env python3`, `#!/usr/bin/node`, `#!/usr/bin/env -S deno run`).
    pub fn detect(path: &str, text: &str) -> Option<Lang> {
        if let Some(lang) = Lang::of(path) {
            return Some(lang);
        }
        if !might_be_script(path) {
            return None;
        }
        let first = text.lines().next()?.strip_prefix("#!")?;
        let mut words = first.split_whitespace();
        let mut program = words.next()?.rsplit('/').next()?;
        if program == "env" {
            program = words.find(|word| !word.starts_with('-'))?;
        }
        let program = program.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
        Some(match program {
            "python" | "pypy" | "uv" => Lang::Python,
            "node" | "nodejs" | "bun" => Lang::JavaScript,
            "deno" | "ts-node" | "tsx" => Lang::TypeScript,
            "ruby" | "jruby" => Lang::Ruby,
            _ => return None,
        })
    }

    /// The name rule files use.
    pub fn name(self) -> &'static str {
        match self {
            Lang::Rust => "rust",
            Lang::Python => "python",
            Lang::JavaScript => "javascript",
            Lang::TypeScript => "typescript",
            Lang::Tsx => "tsx",
            Lang::Go => "go",
            Lang::Java => "java",
            Lang::Ruby => "ruby",
            Lang::CSharp => "c-sharp",
        }
    }

    pub fn parse(name: &str) -> Option<Lang> {
        match name {
            "js" | "jsx" => Some(Lang::JavaScript),
            "ts" => Some(Lang::TypeScript),
            "csharp" | "c#" | "cs" => Some(Lang::CSharp),
            "rs" => Some(Lang::Rust),
            "py" => Some(Lang::Python),
            "rb" => Some(Lang::Ruby),
            other => Lang::ALL.into_iter().find(|lang| lang.name() == other),
        }
    }

    fn grammar(self) -> Language {
        match self {
            Lang::Rust => tree_sitter_rust::LANGUAGE.into(),
            Lang::Python => tree_sitter_python::LANGUAGE.into(),
            Lang::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            Lang::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Lang::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
            Lang::Go => tree_sitter_go::LANGUAGE.into(),
            Lang::Java => tree_sitter_java::LANGUAGE.into(),
            Lang::Ruby => tree_sitter_ruby::LANGUAGE.into(),
            Lang::CSharp => tree_sitter_c_sharp::LANGUAGE.into(),
        }
    }

    /// How a comment starts, for rules that treat a commented body as handled.
    pub fn comment_markers(self) -> &'static [&'static str] {
        match self {
            Lang::Python | Lang::Ruby => &["#"],
            _ => &["//", "/*"],
        }
    }
}

/// A file with no extension may be a script whose shebang names its language.
pub fn might_be_script(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    !name.contains('.')
        && !matches!(
            name,
            "Makefile"
                | "Dockerfile"
                | "LICENSE"
                | "LICENCE"
                | "COPYING"
                | "Gemfile"
                | "Rakefile"
                | "Procfile"
                | "Justfile"
                | "justfile"
                | "Jenkinsfile"
                | "Vagrantfile"
                | "Brewfile"
                | "CODEOWNERS"
                | "AUTHORS"
                | "NOTICE"
                | "VERSION"
                | "Containerfile"
        )
}

/// A query that failed to compile: where in the pattern text, and why.
#[derive(Debug, Clone)]
pub struct PatternError {
    /// Byte offset in the pattern text.
    pub offset: usize,
    pub message: String,
}

/// Compiles one rule's patterns for one language, on its own (for `apelint rules`, which checks
/// every pattern of every language), returning how many patterns they hold.
pub fn check_patterns(lang: Lang, source: &str) -> Result<usize, PatternError> {
    Query::new(&lang.grammar(), source).map(|query| query.pattern_count()).map_err(|error| PatternError {
        offset: error.offset,
        message: format!("{:?}: {}", error.kind, error.message.trim()),
    })
}

/// One capture of a match.
#[derive(Debug, Clone)]
pub struct Capture {
    /// The capture's name, shared by every match (names are few, and a match is made per node).
    pub name: &'static str,
    pub range: Range<usize>,
    /// How many named children the captured node has (comments are named, so a body holding only
    /// a comment is not empty).
    pub children: usize,
    /// For `@params` and `@args` captures, each named child of the node.
    pub items: Vec<Item>,
}

/// A match of one rule's pattern in a file.
#[derive(Debug, Clone)]
pub struct Match {
    /// Index of the rule's query among all the rules' queries for the language.
    pub owner: usize,
    pub captures: Vec<Capture>,
}

/// The rules' patterns for one language, compiled as one query.
#[derive(Debug)]
struct Combined {
    query: Query,
    /// The query's capture names, kept for the whole run.
    names: Vec<&'static str>,
    /// The owners (query checks) of each pattern: those of the byte range of the combined source
    /// that holds its start, found once when the query compiles.
    owners: Vec<Vec<usize>>,
}

/// A pattern that did not compile: whose it was, in which language, and where in its text.
#[derive(Debug, Clone)]
pub struct PlanError {
    pub owner: usize,
    /// Which of the owner's parts for this language (in the order given to [`Plan::new`]).
    pub part_in_lang: usize,
    pub lang: Lang,
    pub error: PatternError,
}

/// Every active rule's patterns, one combined query per language, compiled when the first file of
/// that language is parsed: a language the repository does not hold costs nothing. (Query
/// compilation analyses every pattern and is the most expensive thing apelint does at start.)
pub struct Plan {
    by_lang: HashMap<Lang, Parts>,
    /// Matches already found with the same patterns in the same text, by other runs (the points of
    /// a trend, where most files are the same from one point to the next).
    cache: Option<std::sync::Arc<MatchCache>>,
}

/// The matches of files, by the patterns that found them and the text: shared by the runs of one
/// command (`apelint trend`). The key holds the whole text, so a hit is never a different file; the
/// texts kept are bounded ([`MatchCache::MAX_TEXT_BYTES`]), past which nothing more is kept.
#[derive(Debug, Default)]
pub struct MatchCache {
    /// Each entry is filled by the first run that asks; another asking meanwhile waits for it
    /// rather than parse the same file again (the points of a trend walk the same files at once).
    entries: std::sync::Mutex<(HashMap<MatchKey, MatchCell>, usize)>,
    /// Compiled queries, by language and patterns.
    queries: std::sync::Mutex<HashMap<(Lang, u64), QueryCell>>,
}

type MatchKey = (u64, bool, Lang, std::sync::Arc<str>);

type MatchCell = std::sync::Arc<std::sync::OnceLock<CachedMatches>>;

type CachedMatches = std::sync::Arc<Result<(Vec<Match>, bool), NotParsed>>;

/// One language's parts, `(owner, part, text)`, and their query once compiled.
type Parts = (Vec<(usize, usize, String)>, OnceLock<Compiled>);

/// A language's combined query, or why it did not compile; shared by plans of the same patterns.
type Compiled = std::sync::Arc<Result<Combined, PlanError>>;

/// A compiled query in the cache, filled by the first plan that needs it.
type QueryCell = std::sync::Arc<OnceLock<Compiled>>;

impl std::fmt::Debug for Plan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plan").field("languages", &self.by_lang.keys().collect::<Vec<_>>()).finish()
    }
}

impl MatchCache {
    /// Bytes of text the cache keeps at most.
    /// Bytes of text and matches the cache keeps at most.
    pub const MAX_TEXT_BYTES: usize = 256 * 1024 * 1024;

    /// Whether `bytes` more would fit.
    fn has_room(&self, bytes: usize) -> bool {
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner).1 + bytes <= Self::MAX_TEXT_BYTES
    }

    /// Counts `bytes` of matches kept.
    fn charge(&self, bytes: usize) {
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner).1 += bytes;
    }

    /// The cell for `key`, when the cache holds it or has room for it.
    fn cell(&self, key: MatchKey) -> Option<MatchCell> {
        let mut entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(cell) = entries.0.get(&key) {
            return Some(cell.clone());
        }
        if entries.1 + key.3.len() > Self::MAX_TEXT_BYTES {
            return None;
        }
        entries.1 += key.3.len();
        Some(entries.0.entry(key).or_default().clone())
    }
}

/// Most matches the query may hold in progress at once (tree-sitter's match limit); past it, the
/// earliest is dropped and the file is reported as `match limit reached`, never silently. The query
/// visits every in-progress match at every node, so the limit bounds the work per node: a file of
/// thousands of nested `try` blocks costs its length times the limit, not its length squared.
/// Real code stays far below it (none of 30,000 files of nine languages reached 32).
const MATCH_LIMIT: u32 = 256;

/// How deep in the syntax tree a pattern may start. Matches that wait for a later child stay in
/// progress at every node below their start, so depth bounds the work per node too; and past
/// 65,535 levels tree-sitter's query loses count of depth and never lets them go. Real code stays
/// far above it (the deepest of 30,000 files, a generated table, reached 741; most stay under 50);
/// a deeper file is reported as `match limit reached`, its matches below this depth dropped.
const MAX_START_DEPTH: u32 = 2_000;

/// Why a file produced no matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotParsed {
    Generated,
    Minified,
    Failed,
    /// A pattern for the language did not compile (reported once, by the engine).
    BadPattern,
}

impl Plan {
    /// Takes `(owner, language, pattern text)` parts; nothing is compiled yet.
    pub fn new(parts: &[(usize, Lang, &str)]) -> Plan {
        let mut by_lang: HashMap<Lang, Parts> = HashMap::new();
        let mut seen: HashMap<(usize, Lang), usize> = HashMap::new();
        for (owner, lang, source) in parts {
            let part = seen.entry((*owner, *lang)).or_default();
            by_lang.entry(*lang).or_default().0.push((*owner, *part, (*source).to_string()));
            *part += 1;
        }
        Plan { by_lang, cache: None }
    }

    /// Finds matches in `cache` first, and keeps there what it finds.
    pub fn with_cache(mut self, cache: Option<std::sync::Arc<MatchCache>>) -> Plan {
        self.cache = cache;
        self
    }

    /// A hash of the patterns for `lang` and their owners: two plans with the same find the same
    /// matches, numbered alike.
    fn fingerprint(&self, lang: Lang) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        if let Some((parts, _)) = self.by_lang.get(&lang) {
            parts.hash(&mut hasher);
        }
        hasher.finish()
    }

    /// [`Plan::matches`], from the cache when another run found them in the same text.
    pub fn cached_matches(&self, lang: Lang, text: &str, generated_too: bool) -> CachedMatches {
        let find = || std::sync::Arc::new(self.matches(lang, text, generated_too));
        let Some(cache) = self.cache.as_ref().filter(|cache| cache.has_room(text.len())) else { return find() };
        match cache.cell((self.fingerprint(lang), generated_too, lang, std::sync::Arc::<str>::from(text))) {
            Some(cell) => cell
                .get_or_init(|| {
                    let found = find();
                    let captures: usize = found
                        .as_ref()
                        .as_ref()
                        .map_or(0, |(matches, _)| matches.iter().map(|each| each.captures.len() + 1).sum());
                    cache.charge(captures * std::mem::size_of::<Capture>());
                    found
                })
                .clone(),
            None => find(),
        }
    }

    pub fn handles(&self, lang: Lang) -> bool {
        self.by_lang.contains_key(&lang)
    }

    fn combined(&self, lang: Lang) -> Option<&Result<Combined, PlanError>> {
        let (sources, compiled) = self.by_lang.get(&lang)?;
        let compiled = compiled.get_or_init(|| match &self.cache {
            // Another run with the same patterns compiled them already (query compilation is
            // the most expensive step of a run that parses little).
            Some(cache) => {
                let cell = {
                    let mut queries = cache.queries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                    queries.entry((lang, self.fingerprint(lang))).or_default().clone()
                };
                cell.get_or_init(|| std::sync::Arc::new(compile(lang, sources))).clone()
            }
            None => std::sync::Arc::new(compile(lang, sources)),
        });
        Some(compiled.as_ref())
    }

    /// The patterns that did not compile, among the languages some file needed.
    pub fn errors(&self) -> Vec<PlanError> {
        let mut errors: Vec<PlanError> = self
            .by_lang
            .values()
            .filter_map(|(_, compiled)| compiled.get().and_then(|result| result.as_ref().as_ref().err().cloned()))
            .collect();
        errors.sort_by_key(|error| (error.owner, error.part_in_lang));
        errors
    }

    /// Parses `text` once and runs the language's combined query; `Err` when the file was not
    /// parsed, and `Ok((matches, limited))` with `limited` set when the match limit was reached.
    ///
    /// A generated file is parsed only when `generated_too` (a join of implementations counts what
    /// generated code implements); its matches then come back as `Err(Generated)`-free output and
    /// the caller learns it is generated from [`is_generated`].
    pub fn matches(&self, lang: Lang, text: &str, generated_too: bool) -> Result<(Vec<Match>, bool), NotParsed> {
        let Some(combined) = self.combined(lang) else { return Ok((Vec::new(), false)) };
        let Ok(combined) = combined else { return Err(NotParsed::BadPattern) };
        if !generated_too && is_generated(text) {
            return Err(NotParsed::Generated);
        }
        if is_minified(text) {
            return Err(NotParsed::Minified);
        }
        PARSERS.with(|parsers| {
            let mut parsers = parsers.borrow_mut();
            let parser = parsers.entry(lang).or_insert_with(|| {
                let mut parser = Parser::new();
                // The grammars are compiled in; a version mismatch would fail every test.
                let _ = parser.set_language(&lang.grammar());
                parser
            });
            let tree = parser.parse(text, None).ok_or(NotParsed::Failed)?;
            let mut cursor = QueryCursor::new();
            cursor.set_match_limit(MATCH_LIMIT);
            cursor.set_max_start_depth(Some(MAX_START_DEPTH));
            let names = &combined.names;
            let owners = &combined.owners;
            let mut found = Vec::new();
            let mut matches = cursor.matches(&combined.query, tree.root_node(), text.as_bytes());
            while let Some(each) = matches.next() {
                let captures: Vec<Capture> = each
                    .captures()
                    .iter()
                    .map(|capture| Capture {
                        name: names[capture.index as usize],
                        range: capture.node.byte_range(),
                        children: capture.node.named_child_count(),
                        items: match names[capture.index as usize] {
                            "params" | "args" => items(capture.node),
                            _ => Vec::new(),
                        },
                    })
                    .collect();
                for owner in &owners[each.pattern_index] {
                    found.push(Match { owner: *owner, captures: captures.clone() });
                }
            }
            let limited = cursor.did_exceed_match_limit() || deeper_than(&tree, MAX_START_DEPTH);
            Ok((found, limited))
        })
    }
}

/// One query from every owner's patterns for `lang`; a failure is traced to the owner whose text
/// holds the error.
fn compile(lang: Lang, sources: &[(usize, usize, String)]) -> Result<Combined, PlanError> {
    let mut text = String::new();
    let mut owners: Vec<(Vec<usize>, Range<usize>)> = Vec::new();
    let mut parts = Vec::new();
    let mut placed: HashMap<&str, usize> = HashMap::new();
    for (owner, part, source) in sources {
        // Two rules with the same patterns (`like`) share them: compiled and matched once.
        if let Some(&at) = placed.get(source.as_str()) {
            owners[at].0.push(*owner);
            continue;
        }
        let start = text.len();
        text.push_str(source);
        text.push('\n');
        placed.insert(source, owners.len());
        owners.push((vec![*owner], start..text.len()));
        parts.push((*owner, *part, start..text.len()));
    }
    Query::new(&lang.grammar(), &text)
        .map(|query| {
            // A handful of short names per language, leaked once per run so that matches share them.
            let names =
                query.capture_names().iter().map(|name| &*Box::leak(name.to_string().into_boxed_str())).collect();
            // Ranges come in order: each pattern's start is looked up among them.
            let owners = (0..query.pattern_count())
                .map(|index| {
                    let start = query.start_byte_for_pattern(index);
                    let at = owners.partition_point(|(_, range)| range.end <= start);
                    owners
                        .get(at)
                        .filter(|(_, range)| range.contains(&start))
                        .map_or_else(Vec::new, |(owners, _)| owners.clone())
                })
                .collect();
            Combined { query, names, owners }
        })
        .map_err(|error| {
            let (owner, part, range) = parts
                .iter()
                .find(|(_, _, range)| range.contains(&error.offset))
                .cloned()
                .unwrap_or((usize::MAX, 0, 0..0));
            PlanError {
                owner,
                part_in_lang: part,
                lang,
                error: PatternError {
                    offset: error.offset.saturating_sub(range.start),
                    message: format!("{:?}: {}", error.kind, error.message.trim()),
                },
            }
        })
}

/// Whether the tree has a node more than `depth` levels below its root (counted as the query
/// counts them, in nodes a cursor visits); the walk stops at the first.
fn deeper_than(tree: &tree_sitter::Tree, depth: u32) -> bool {
    let mut cursor = tree.walk();
    let mut at = 0;
    loop {
        if cursor.goto_first_child() {
            at += 1;
            if at > depth {
                return true;
            }
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return false;
            }
            at -= 1;
        }
    }
}

/// A parameter or an argument.
#[derive(Debug, Clone)]
pub struct Item {
    pub range: Range<usize>,
    /// Its name: the first named leaf (the `x` of `x: i32`).
    pub name: Range<usize>,
    /// Whether it is a bare identifier.
    pub bare: bool,
}

fn items(node: tree_sitter::Node<'_>) -> Vec<Item> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .map(|child| {
            let mut leaf = child;
            while let Some(first) = leaf.named_child(0) {
                leaf = first;
            }
            let bare = child.named_child_count() == 0 && child.kind().ends_with("identifier");
            Item { range: child.byte_range(), name: leaf.byte_range(), bare }
        })
        .collect()
}

thread_local! {
    /// One parser per language per worker thread.
    static PARSERS: RefCell<HashMap<Lang, Parser>> = RefCell::new(HashMap::new());
}

/// Generated code says so near its top (OpenAPI Generator's banner is ten lines down).
pub fn is_generated(text: &str) -> bool {
    const MARKERS: &[&str] = &[
        "@generated",
        "do not edit",
        "auto-generated",
        "autogenerated",
        "auto generated",
        "this file is generated",
        "this file was generated",
        "code generated by",
    ];
    let mut end = text.len().min(2048);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].lines().take(30).any(|line| {
        let line = line.to_ascii_lowercase();
        MARKERS.iter().any(|marker| line.contains(marker))
    })
}

/// Minified code has very long lines, wherever they are (a vendored bundle may start with a
/// readable licence header).
fn is_minified(text: &str) -> bool {
    text.len() > 2000 && text.lines().any(|line| line.len() > 2000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_combined_query_serves_several_owners() {
        let plan = Plan::new(&[
            (0, Lang::Python, r#"(call function: (identifier) @f (#eq? @f "print")) @match"#),
            (1, Lang::Python, "(except_clause) @match"),
        ]);
        let (matches, limited) =
            plan.matches(Lang::Python, "try:\n    print(1)\nexcept ValueError:\n    pass\n", false).unwrap();
        assert!(!limited);
        let owners: Vec<usize> = matches.iter().map(|each| each.owner).collect();
        assert_eq!(owners, [0, 1]);
    }

    #[test]
    fn deep_nesting_meets_the_match_limit() {
        // Each enclosing `try` waits for its handler while the query walks its body: past the
        // limit the outermost are given up (and reported), so each node costs at most the limit.
        let plan = Plan::new(&[(
            0,
            Lang::JavaScript,
            "(try_statement body: (statement_block) @try handler: (catch_clause) @match)",
        )]);
        let nested = |depth: usize| format!("{}{}", "try {\nx;\n".repeat(depth), "} catch (e) {}\n".repeat(depth));
        let (matches, limited) = plan.matches(Lang::JavaScript, &nested(50), false).unwrap();
        assert_eq!((matches.len(), limited), (50, false));
        let (matches, limited) = plan.matches(Lang::JavaScript, &nested(3_000), false).unwrap();
        assert!(limited && matches.len() < 3_000, "{} matches", matches.len());
    }

    #[test]
    fn patterns_start_no_deeper_than_the_limit() {
        // A pattern that captures late keeps a match in progress per enclosing `try` whatever the
        // match limit; the start depth bounds them, and a deeper file says it was cut.
        let plan = Plan::new(&[(0, Lang::JavaScript, "(try_statement handler: (catch_clause) @match)")]);
        let nested = |depth: usize| format!("{}{}", "try {\n".repeat(depth), "} catch (e) {}\n".repeat(depth));
        let (matches, limited) = plan.matches(Lang::JavaScript, &nested(100), false).unwrap();
        assert_eq!((matches.len(), limited), (100, false));
        let (matches, limited) = plan.matches(Lang::JavaScript, &nested(3_000), false).unwrap();
        assert!(limited && matches.len() < 3_000, "{} matches", matches.len());
    }

    #[test]
    fn bad_patterns_say_where() {
        let error = check_patterns(Lang::Rust, "(call_expression (nope)) @match").unwrap_err();
        assert!(error.offset > 0, "{error:?}");
        assert!(check_patterns(Lang::Go, "(call_expression) @match").is_ok());
    }

    #[test]
    fn generated_and_minified_files_are_not_parsed() {
        let plan = Plan::new(&[(0, Lang::JavaScript, "(call_expression) @match")]);
        assert!(matches!(plan.matches(Lang::JavaScript, "// @generated\nf();\n", false), Err(NotParsed::Generated)));
        let minified = format!("{}\n", "f();".repeat(800));
        assert!(matches!(plan.matches(Lang::JavaScript, &minified, false), Err(NotParsed::Minified)));
        assert!(Lang::of("a/b.tsx") == Some(Lang::Tsx) && Lang::of("x.md").is_none());
    }

    #[test]
    fn scripts_without_an_extension_are_known_by_their_shebang() {
        assert_eq!(Lang::detect("bin/deploy", "#!/usr/bin/env python3\nprint(1)\n"), Some(Lang::Python));
        assert_eq!(Lang::detect("bin/serve", "#!/usr/local/bin/node\n"), Some(Lang::JavaScript));
        assert_eq!(Lang::detect("bin/rails", "#!/usr/bin/env ruby\n"), Some(Lang::Ruby));
        assert_eq!(Lang::detect("tool", "#!/usr/bin/env -S deno run\n"), Some(Lang::TypeScript));
        assert_eq!(Lang::detect("bin/setup", "#!/bin/sh\n"), None);
        assert_eq!(Lang::detect("notes.txt", "#!/usr/bin/env python\n"), None);
        assert_eq!(Lang::detect("a.rb", ""), Some(Lang::Ruby));
    }

    #[test]
    fn cached_matches_are_the_matches_of_the_same_patterns_in_the_same_text() {
        let cache = std::sync::Arc::new(MatchCache::default());
        let parts = [(0, Lang::Python, "(call function: (identifier) @name) @match")];
        let other = [(0, Lang::Python, "(function_definition name: (identifier) @name) @match")];
        let text = "def f():\n    print(1)\n";
        let count = |plan: &Plan| plan.cached_matches(Lang::Python, text, false).as_ref().as_ref().unwrap().0.len();
        let first = Plan::new(&parts).with_cache(Some(cache.clone()));
        assert_eq!(count(&first), 1);
        // Another plan with the same patterns finds the cached matches; other patterns, their own.
        assert_eq!(count(&Plan::new(&parts).with_cache(Some(cache.clone()))), 1);
        assert_eq!(count(&Plan::new(&other).with_cache(Some(cache.clone()))), 1);
        let uncached = Plan::new(&other);
        let found = uncached.cached_matches(Lang::Python, text, false);
        assert_eq!(found.as_ref().as_ref().unwrap().0[0].captures.len(), 2);
        assert_eq!(cache.entries.lock().unwrap().0.len(), 2);
    }
}
