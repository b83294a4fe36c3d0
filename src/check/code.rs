//! What the two code checks (`query` and `implementations`) share: their tree-sitter patterns, read
//! from `[check.patterns]` or from the rule's `.scm` files, and which files they read (`files` and
//! `exclude` globs, and the languages their patterns are written for).
//!
//! A rule's `.scm` files reach its `[check]` table through a layer the rule loader puts on it
//! (`crate::rule`): one layer per file, whose table holds the file's text under a key per language
//! ([`file_key`]) and an empty `patterns` table that marks where in the layers the files stand. So
//! a rule's patterns come, as any other option does, from the topmost layer that gives them: the
//! user's `[rules.<id>]` options over a profile's over the rule's own over the rule it is `like`.

use super::config::{FromKey, Read};
use crate::diag::{Problem, Problems, SourceFile};
use crate::facts::Facts;
use crate::facts::roles::is_product_path;
use crate::pattern::Globs;
use crate::spanned::{Fields, Found};
use crate::syntax::{self, Lang};
use toml::de::DeValue;

/// One language's pattern text from a rule, kept with where it was written (the rule file, or the
/// `.scm` file) so that a pattern that does not compile is reported at its line.
#[derive(Debug, Clone)]
pub struct PatternSpec {
    pub lang: Lang,
    pub text: String,
    pub file: SourceFile,
    /// Where the text starts in its file, and where the string ends.
    pub start: usize,
    pub end: usize,
}

impl PatternSpec {
    /// The problem for an error at `offset` in the text.
    pub fn problem(&self, error: &syntax::PatternError) -> Problem {
        let mut at = (self.start + error.offset).min(self.end);
        // A `.scm` file ends where its text does: an error at its very end points at its last byte.
        if is_pattern_file(&self.file) {
            at = at.min(self.end.saturating_sub(1).max(self.start));
        }
        Problem::at(&self.file, at..at + 1, format!("invalid {} query: {}", self.lang.name(), error.message), "here")
            .with_help("patterns use tree-sitter's query syntax; `docs/checks.md` lists the captures each kind reads")
    }

    /// Compiles the pattern on its own (`apelint rules` checks every language this way; a run
    /// compiles only the languages the repository holds, all rules' patterns together).
    pub fn validate(&self) -> Option<Problem> {
        syntax::check_patterns(self.lang, &self.text).err().map(|error| self.problem(&error))
    }
}

/// Whether some pattern is written for `lang`.
pub fn has(patterns: &[PatternSpec], lang: Lang) -> bool {
    patterns.iter().any(|pattern| pattern.lang == lang)
}

/// The `files` and `exclude` globs of a code check: which of the files its languages cover it reads.
#[derive(Debug)]
pub struct Scope {
    files: Globs,
    exclude: Globs,
}

impl Scope {
    pub fn new(files: Globs, exclude: Globs) -> Scope {
        Scope { files, exclude }
    }

    /// The globs as written: what makes two scopes read the same files.
    pub fn key(&self) -> (Vec<String>, Vec<String>) {
        (self.files.patterns().to_vec(), self.exclude.patterns().to_vec())
    }

    /// Whether the globs let the check read `path`: it matches `files` (when given) and no `exclude`.
    pub fn admits(&self, path: &str) -> bool {
        (self.files.is_empty() || self.files.is_match(path)) && !self.exclude.is_match(path)
    }
}

/// Whether a code file is outside the product's own code, which the code checks leave out unless a
/// rule asks for it (`non-product`): it lies in a folder that holds no product code (examples, docs,
/// tools…: [`is_product_path`]), or is the module file of such a folder (Ruby's and Rust's
/// `generators.rb` beside `generators/`), or lies in a command-line tool's package
/// ([`Facts::in_tool_package`]).
pub fn outside_product(facts: &Facts, path: &str) -> bool {
    if !is_product_path(path) || facts.in_tool_package(path) {
        return true;
    }
    let name_at = path.rfind('/').map_or(0, |slash| slash + 1);
    let Some(dot) = path[name_at..].rfind('.').filter(|dot| *dot > 0) else { return false };
    let module = &path[..name_at + dot];
    !is_product_path(&format!("{module}/x")) && facts.tree().is_dir(module)
}

/// The key under which a `.scm` file's layer holds its text for `lang`. No rule file writes it: the
/// rule loader makes it, and a value under it from anywhere else is an unknown key.
pub fn file_key(lang: Lang) -> &'static str {
    match lang {
        Lang::Rust => "patterns from a rust .scm file",
        Lang::Python => "patterns from a python .scm file",
        Lang::JavaScript => "patterns from a javascript .scm file",
        Lang::TypeScript => "patterns from a typescript .scm file",
        Lang::Tsx => "patterns from a tsx .scm file",
        Lang::Go => "patterns from a go .scm file",
        Lang::Java => "patterns from a java .scm file",
        Lang::Ruby => "patterns from a ruby .scm file",
        Lang::CSharp => "patterns from a c-sharp .scm file",
    }
}

/// Whether a file is one of a rule's `.scm` pattern files.
pub fn is_pattern_file(file: &SourceFile) -> bool {
    file.name.ends_with(".scm")
}

/// `[check.patterns]`, or the rule's `.scm` files when their layer is the topmost that gives
/// patterns: language = query, each kept with where it is written. The text is compiled later, with
/// every other rule's, for the languages the repository holds.
#[derive(Debug)]
pub struct Queries(pub Vec<PatternSpec>);

impl FromKey for Queries {
    const SHAPE: &'static str = "table of language = query";

    fn from_key(fields: &mut Fields<'_>, key: &'static str, problems: &mut Problems) -> Read<Self> {
        let from_files: Vec<(Lang, Found<'_>)> =
            Lang::ALL.into_iter().filter_map(|lang| fields.raw(file_key(lang)).map(|found| (lang, found))).collect();
        let Some(found) = fields.raw(key) else { return Read::Absent };
        let mut ok = true;
        let mut patterns = Vec::new();
        for (lang, from_file) in from_files {
            let Some(text) = from_file.value.get_ref().as_str().filter(|_| is_pattern_file(from_file.file)) else {
                let message = format!("unknown key `{}`", file_key(lang));
                problems.push(Problem::at(from_file.file, from_file.value.span(), message, "not a known key"));
                ok = false;
                continue;
            };
            if is_pattern_file(found.file) {
                let span = from_file.value.span();
                patterns.push(PatternSpec {
                    lang,
                    text: text.to_string(),
                    file: from_file.file.clone(),
                    start: span.start,
                    end: span.end,
                });
            }
        }
        let patterns = if is_pattern_file(found.file) {
            // In the order `[check.patterns]` would give them: by language name.
            patterns.sort_by_key(|pattern| pattern.lang.name());
            Some(patterns)
        } else {
            read_table(found.file, found.value, problems)
        };
        match patterns {
            Some(patterns) if ok => Read::Value(Queries(patterns)),
            _ => Read::Invalid,
        }
    }
}

/// `[check.patterns]`: a table of language name → pattern text.
fn read_table(file: &SourceFile, value: &crate::spanned::Value, problems: &mut Problems) -> Option<Vec<PatternSpec>> {
    let DeValue::Table(table) = value.get_ref() else {
        problems.push(Problem::at(file, value.span(), "`patterns` must be a table of language = \"pattern\"", "here"));
        return None;
    };
    let mut patterns = Vec::new();
    let mut ok = true;
    for (key, item) in table.iter() {
        let Some(lang) = Lang::parse(key.get_ref()) else {
            let names = Lang::ALL.map(Lang::name);
            problems.push(crate::diag::unknown(file, key.span(), "language", key.get_ref(), names));
            ok = false;
            continue;
        };
        let Some(source) = item.get_ref().as_str() else {
            problems.push(Problem::at(file, item.span(), "a pattern must be a string", "here"));
            ok = false;
            continue;
        };
        patterns.push(PatternSpec {
            lang,
            text: source.to_string(),
            file: file.clone(),
            start: content_start(file.text, item.span()),
            end: item.span().end,
        });
    }
    ok.then_some(patterns)
}

/// Where the text of a TOML string starts, inside its quotes: `'''` strings drop a first newline.
fn content_start(text: &str, span: std::ops::Range<usize>) -> usize {
    let raw = text.get(span.clone()).unwrap_or_default();
    for quote in ["'''", "\"\"\""] {
        if let Some(rest) = raw.strip_prefix(quote) {
            let newline = if rest.starts_with("\r\n") { 2 } else { usize::from(rest.starts_with('\n')) };
            return span.start + quote.len() + newline;
        }
    }
    span.start + 1
}
