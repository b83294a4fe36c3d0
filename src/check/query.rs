//! `query`: tree-sitter patterns per language; each match of the `@match` capture is a finding.
//! The engine compiles the patterns of every active query check into one query per language
//! (`crate::syntax::Plan`) and hands each check the matches of its own patterns.

use super::code::PatternSpec;
use super::code::{self, Queries, Scope};
use super::config::{CaptureRegexes, Regexes, config};
use super::{FileCtx, Pre, Primitive, ScanCx};
use crate::diag::Problems;
use crate::escape::code;
use crate::facts::Facts;
use crate::facts::roles::{is_product_path, is_test_path};
use crate::facts::text::Skip;
use crate::finding::Hit;
use crate::pattern::{Globs, Pattern};
use crate::spanned::Fields;
use crate::syntax::{self, Lang, NotParsed};

#[derive(Debug)]
pub struct QueryCheck {
    /// Pattern text per language.
    pub patterns: Vec<PatternSpec>,
    scope: Scope,
    /// Also judge test code (tests are left out by default).
    tests: bool,
    /// Also judge code outside the product: examples, docs, tools… (left out by default).
    non_product: bool,
    /// Report a match only when this capture's node has no named children (an empty `catch`
    /// block; a comment inside counts as handling, by policy).
    empty: Option<String>,
    /// Words at least one of which a file must contain to be parsed at all: a cheap filter.
    prefilter: Vec<String>,
    /// A regex a file must match to be parsed at all, when words are too coarse (Ruby's `p x`).
    prefilter_regex: Option<crate::pattern::Pattern>,
    /// `capture = regex`: a match is not reported when that capture's text matches (a `try` whose
    /// body only closes or cancels something is best-effort cleanup, not a swallowed error).
    unless: Vec<(String, crate::pattern::Pattern)>,
    /// A match followed, on the next non-blank line, by a comment is excused (Ruby keeps a comment
    /// after `rescue` outside any body node).
    comment_after: bool,
    /// Files whose text matches one of these are not judged (a script's `__main__` guard).
    exclude_content: Vec<crate::pattern::Pattern>,
    /// A match whose line, or the line above, matches this is excused (another linter's
    /// suppression: `# noqa: T201`, `// eslint-disable-next-line no-console`).
    unless_line: Option<crate::pattern::Pattern>,
    /// Report only a function that forwards its parameters, all and in order, to one call: the
    /// names of the `@params` node's children must read the same as the `@args` node's children,
    /// each a bare identifier.
    forwards: bool,
}

/// The lines of a text that start, after blanks, with a comment marker, each known by the newline
/// before it: for every match's range at once, whether a line after its first is a comment.
struct CommentLines {
    /// Per such line, in order: the offset of the newline before it, and where its (shortest)
    /// marker ends.
    lines: Vec<(usize, usize)>,
}

impl CommentLines {
    fn new(text: &str, markers: &[&str]) -> Self {
        let mut lines = Vec::new();
        for (newline, _) in text.match_indices('\n') {
            let rest = &text[newline + 1..];
            let blank = rest.len() - rest.trim_start_matches(|c: char| c != '\n' && c.is_whitespace()).len();
            let first = newline + 1 + blank;
            let marker = markers.iter().filter(|marker| text[first..].starts_with(**marker)).map(|marker| marker.len());
            if let Some(length) = marker.min() {
                lines.push((newline, first + length));
            }
        }
        CommentLines { lines }
    }

    /// Whether `text[range].lines().skip(1)` holds a line that starts, after blanks, with a marker:
    /// a newline inside the range followed by such a line whose marker ends within the range.
    fn inside(&self, range: std::ops::Range<usize>) -> bool {
        // Both offsets grow from line to line: the first newline in the range decides.
        let first = self.lines.partition_point(|(newline, _)| *newline < range.start);
        self.lines.get(first).is_some_and(|(newline, marker_end)| *newline < range.end && *marker_end <= range.end)
    }
}

/// The 0-based numbers of a text's lines that hold more than blanks, in order.
struct NonBlankLines {
    lines: Vec<usize>,
}

impl NonBlankLines {
    fn new(text: &str, index: &crate::facts::text::LineIndex) -> Self {
        let lines = (0..index.line_count())
            .filter(|line| index.start_of(*line).is_some_and(|start| !index.line_text(text, start).trim().is_empty()))
            .collect();
        NonBlankLines { lines }
    }

    /// The first line after `line` that is not blank.
    fn after(&self, line: usize) -> Option<usize> {
        self.lines.get(self.lines.partition_point(|at| *at <= line)).copied()
    }
}

/// Whether a match is a function that passes its parameters, all and in order, to one call: the
/// names of `@params`' children read the same as `@args`' children, which are all bare identifiers.
fn forwards(each: &syntax::Match, text: &str) -> bool {
    let items = |name: &str| each.captures.iter().find(|capture| capture.name == name).map(|capture| &capture.items);
    let (Some(params), Some(args)) = (items("params"), items("args")) else { return false };
    !params.is_empty()
        && params.len() == args.len()
        // A parameter with a default (`b=1`) gives the call something of its own.
        && params.iter().all(|param| !text[param.range.clone()].contains('='))
        && params.iter().zip(args).all(|(param, arg)| arg.bare && text[param.name.clone()] == text[arg.name.clone()])
}

/// Where a Rust file's unit tests start: the first `#[cfg(test)]` item or bare `#[test]` function.
/// A `#[cfg(test)]` that declares a module kept in another file (`mod testutil;`) or imports
/// something is not where the tests start: the code after it is still the product's.
fn rust_tests_from(text: &str) -> Option<usize> {
    let declares_elsewhere = |after: &str| {
        let item = after.trim_start();
        let item = item.strip_prefix("pub ").unwrap_or(item).trim_start();
        item.starts_with("use ")
            || item.strip_prefix("mod ").is_some_and(|rest| {
                rest.trim_start().trim_start_matches(|c: char| c.is_alphanumeric() || c == '_').starts_with(';')
            })
    };
    let cfg_test = text
        .match_indices("#[cfg(test)]")
        .map(|(at, marker)| (at, &text[at + marker.len()..]))
        .find(|(_, after)| !declares_elsewhere(after))
        .map(|(at, _)| at);
    cfg_test.into_iter().chain(text.find("#[test]")).min()
}

config! {
    /// The `[check]` table of `query`: tree-sitter patterns per language; each match of `@match` is
    /// a finding.
    pub struct QueryConfig {
        /// Globs that narrow the files (default: every file of a language a pattern is written for).
        "files" => files: Globs,
        /// Files to leave out.
        "exclude" => exclude: Globs,
        /// Also judge test code (default `false`: test folders, `*_test.*`, `*.spec.*`, Rust `#[cfg(test)]` modules are
        /// left out).
        "tests" => tests: bool,
        /// Also judge code that is not the product's (default `false`: examples, samples, playgrounds, docs and the
        /// code they include, benchmarks, templates and generators, tools such as `xtask`, built output, vendored code
        /// and archives are left out, with the module file beside such a folder (`generators.rb`) and the packages of
        /// command-line tools below the root: a program, no library, named `*tool`, `*cli`, `*ctl` or `create-*`).
        "non-product" => non_product: bool,
        /// Report only when this capture's node has no named children (comments are named: a commented body is a
        /// decision written down).
        "empty" => empty: String,
        /// Words of which a file must contain one to be parsed at all.
        "prefilter" => prefilter: Vec<String>,
        /// A regex a file must match to be parsed at all, where words are too coarse.
        "prefilter-regex" => prefilter_regex: Pattern,
        /// A comment inside the match or on the next line excuses it.
        "comment-after" => comment_after: bool,
        /// Report only a function whose `@params` node's children (by name) are, in order and all of them, its `@args`
        /// node's children, each a bare identifier, and which declares no default.
        "forwards" => forwards: bool,
        /// A match whose line, or the line above, matches is excused (another linter's suppression: `# noqa: T201`).
        "unless-line" => unless_line: Pattern,
        /// A file whose text matches one is not judged (a script's `__main__` guard, `/* eslint-disable no-console
        /// */`).
        "exclude-content" => exclude_content: Regexes,
        /// `{ capture = "regex" }`: a match is excused when that capture's text matches.
        "unless" => unless: CaptureRegexes,
        /// `[check.patterns]`: language = pattern text, or the rule's `.scm` pattern files (below).
        required "patterns" => patterns: Queries,
    }
}

impl Primitive for QueryCheck {
    const KIND: &'static str = "query";
    type Config = QueryConfig;
    type Acc = Vec<Hit>;

    fn compile(config: QueryConfig, _: &Fields<'_>, _: &mut Problems) -> Option<Self> {
        Some(QueryCheck {
            patterns: config.patterns.value()?.0,
            scope: Scope::new(config.files.or(Globs::empty())?, config.exclude.or(Globs::empty())?),
            tests: config.tests.or_lenient(false),
            non_product: config.non_product.or_lenient(false),
            empty: config.empty.value(),
            prefilter: config.prefilter.or_lenient(Vec::new()),
            prefilter_regex: config.prefilter_regex.value(),
            unless: config.unless.or_lenient(CaptureRegexes::default()).0,
            comment_after: config.comment_after.or_lenient(false),
            forwards: config.forwards.or_lenient(false),
            exclude_content: config.exclude_content.or_lenient(Regexes::default()).0,
            unless_line: config.unless_line.value(),
        })
    }

    fn repository_level(&self) -> bool {
        false
    }

    fn selects(&self, path: &str) -> bool {
        // A script without an extension is read to see its shebang.
        let known = match Lang::of(path) {
            Some(lang) => code::has(&self.patterns, lang),
            None => syntax::might_be_script(path),
        };
        known
            && self.scope.admits(path)
            && (self.tests || !is_test_path(path))
            && (self.non_product || is_product_path(path))
    }

    fn pre(&self, facts: &Facts) -> Pre {
        if facts.tree().files.iter().any(|path| self.selects(path)) { Pre::Scan } else { Pre::Done(Vec::new()) }
    }

    fn scan(&self, file: &FileCtx<'_>, cx: &ScanCx<'_>, out: &mut Vec<Hit>) {
        let ScanCx { facts, owner } = *cx;
        if self.prefilter_regex.as_ref().is_some_and(|pattern| !pattern.is_match(file.text)) {
            return;
        }
        if !self.prefilter.is_empty() && !self.prefilter.iter().any(|word| file.text.contains(word.as_str())) {
            return;
        }
        let Some(lang) = Lang::detect(file.path, file.text) else { return };
        if !code::has(&self.patterns, lang) {
            return;
        }
        if self.exclude_content.iter().any(|pattern| pattern.is_match(file.text)) {
            return;
        }
        // A command-line tool's package, or the module file of a folder that is not the product,
        // is not the product either.
        if !self.non_product && code::outside_product(facts, file.path) {
            return;
        }
        // Generated code is parsed only for the implementations join; a query does not judge it.
        if file.is_generated() {
            facts.skip(file.path, Skip::Generated);
            return;
        }
        let matches = match file.syntax_matches(lang) {
            Ok(matches) => matches,
            Err(not_parsed) => {
                let why = match not_parsed {
                    // The engine reports the pattern, at its line in the rule file.
                    NotParsed::BadPattern => return,
                    NotParsed::Generated => Skip::Generated,
                    NotParsed::Minified => Skip::Minified,
                    NotParsed::Failed => Skip::Unreadable,
                };
                facts.skip(file.path, why);
                return;
            }
        };
        if matches.1 {
            facts.skip(file.path, Skip::MatchLimit);
        }
        // Rust keeps unit tests at the end of a file, in a `#[cfg(test)]` module or as bare `#[test]`
        // functions.
        let test_code_from = (lang == Lang::Rust && !self.tests).then(|| rust_tests_from(file.text)).flatten();
        let mut reported_ranges = std::collections::HashSet::new();
        // What the excuses ask of the file's lines, found once for all its matches: matches nest
        // (a `try` in a `try`), and reading each one's text again would cost the file's length
        // once per match.
        let comments = std::cell::OnceCell::new();
        let comment_lines = || comments.get_or_init(|| CommentLines::new(file.text, lang.comment_markers()));
        let nonblank = std::cell::OnceCell::new();
        let nonblank_lines = || nonblank.get_or_init(|| NonBlankLines::new(file.text, file.index()));
        let mut line_excused: std::collections::HashMap<usize, bool> = std::collections::HashMap::new();
        // A node that several patterns match is excused when any match excuses it: one pattern may
        // capture what excuses it (a `try`'s `else` branch) where another sees only the handler.
        let excused_ranges: std::collections::HashSet<std::ops::Range<usize>> = matches
            .0
            .iter()
            .filter(|each| each.owner == owner)
            .filter(|each| {
                self.unless.iter().any(|(name, pattern)| {
                    each.captures
                        .iter()
                        .any(|capture| capture.name == name && pattern.is_match(&file.text[capture.range.clone()]))
                })
            })
            .filter_map(|each| each.captures.iter().find(|capture| capture.name == "match"))
            .map(|capture| capture.range.clone())
            .collect();
        for each in matches.0.iter().filter(|each| each.owner == owner) {
            let Some(reported) = each.captures.iter().find(|capture| capture.name == "match") else { continue };
            // Two patterns of one rule may match the same code; it is one finding.
            if !reported_ranges.insert(reported.range.clone()) {
                continue;
            }
            if test_code_from.is_some_and(|from| reported.range.start > from) {
                continue;
            }
            let excused = excused_ranges.contains(&reported.range);
            // The comment may fall inside the matched node's range (on a line after its first) or
            // be the first line that is not blank after the line the range ends on.
            let commented = self.comment_after && {
                let is_comment =
                    |line: &str| lang.comment_markers().iter().any(|marker| line.trim_start().starts_with(marker));
                let index = file.index();
                let inside = comment_lines().inside(reported.range.clone());
                let next = nonblank_lines()
                    .after(index.line_of(reported.range.end))
                    .and_then(|line| index.start_of(line))
                    .map(|start| file.line_text(start).trim());
                inside || next.is_some_and(is_comment)
            };
            // The match's line with the line above it: judged once per line.
            let suppressed_here = self.unless_line.as_ref().is_some_and(|pattern| {
                let index = file.index();
                let line = index.line_of(reported.range.start);
                *line_excused.entry(line).or_insert_with(|| {
                    let above = line.checked_sub(1).and_then(|above| index.start_of(above)).unwrap_or(0);
                    let end = index.start_of(line + 1).map_or(file.text.len(), |next| next - 1);
                    pattern.is_match(&file.text[above..end])
                })
            });
            if excused || commented || suppressed_here || (self.forwards && !forwards(each, file.text)) {
                continue;
            }
            if let Some(name) = &self.empty {
                if each.captures.iter().any(|capture| capture.name == name && capture.children > 0) {
                    continue;
                }
            }
            let text = &file.text[reported.range.clone()];
            let first = text.lines().next().unwrap_or_default().trim();
            let subject: String = if first.chars().count() > 60 {
                format!("{}…", first.chars().take(60).collect::<String>())
            } else {
                first.to_string()
            };
            let line = file.line_key(reported.range.start, reported.range.end);
            out.push(
                Hit::at(file.location(reported.range.start, reported.range.end), code(&subject), subject)
                    .with_key(line),
            );
        }
    }

    fn patterns(&self) -> &[PatternSpec] {
        &self.patterns
    }

    fn post(&self, _: &Facts, hits: Vec<Hit>) -> Vec<Hit> {
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::{CommentLines, NonBlankLines, rust_tests_from};

    #[test]
    fn rust_tests_start_at_the_first_test_item_that_is_not_a_declaration() {
        assert_eq!(rust_tests_from("fn a() {}\n#[cfg(test)]\nmod tests {}\n"), Some(10));
        assert_eq!(rust_tests_from("fn a() {}\n#[test]\nfn b() {}\n"), Some(10));
        let declared = "#[cfg(test)]\nmod testutil;\n#[cfg(test)] pub use x::y;\nfn a() {}\n#[test]\nfn b() {}\n";
        assert_eq!(rust_tests_from(declared), declared.find("#[test]"));
        assert_eq!(rust_tests_from("fn a() {}\n"), None);
    }
    use crate::facts::text::LineIndex;

    const TEXTS: &[&str] = &[
        "try {\n  // why\n} catch {}\n\n   \n// after\nx\n",
        "a\r\n\t# c\r\n\r\n  \r\nb # not\n#\n",
        "x/\n/y\n /* z */\n\u{2003}//é\n\n",
        "",
        "\n\n//\n",
        "no newline // at all",
    ];

    #[test]
    fn comment_lines_inside_a_range_agree_with_reading_its_lines() {
        for markers in [&["//", "/*"][..], &["#"]] {
            for text in TEXTS {
                let lines = CommentLines::new(text, markers);
                let is_comment = |line: &str| markers.iter().any(|marker| line.trim_start().starts_with(marker));
                let bounds: Vec<usize> = (0..=text.len()).filter(|at| text.is_char_boundary(*at)).collect();
                for (at, start) in bounds.iter().enumerate() {
                    for end in &bounds[at..] {
                        let expected = text[*start..*end].lines().skip(1).any(is_comment);
                        assert_eq!(lines.inside(*start..*end), expected, "{text:?} {start}..{end} {markers:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_next_line_that_is_not_blank_agrees_with_reading_on() {
        for text in TEXTS {
            let index = LineIndex::new(text);
            let lines = NonBlankLines::new(text, &index);
            for end in (0..=text.len()).filter(|at| text.is_char_boundary(*at)) {
                let expected = text[end..].lines().skip(1).map(str::trim).find(|line| !line.is_empty());
                let found = lines
                    .after(index.line_of(end))
                    .and_then(|line| index.start_of(line))
                    .map(|start| index.line_text(text, start).trim());
                assert_eq!(found, expected, "{text:?} from {end}");
            }
        }
    }
}
