//! Globs and regexes written in configuration and rule files, compiled once with their errors
//! reported at the span where they were written.

use crate::diag::{Problem, Problems, SourceFile};
use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use regex::Regex;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use toml::Spanned;

/// A list of globs matched against repository-relative paths (`/`-separated).
///
/// `*` never crosses a `/`, so `README.*` matches only at the root and `**/README.md` anywhere;
/// matching ignores case, because `readme.md`, `Readme.md` and `README.MD` all exist in the wild.
/// A glob written with a leading `(?-i)` keeps its case: `(?-i)**/*Test.java` is `OrderTest.java`,
/// not `Latest.java`.
///
/// Each glob is checked when the rule loads; the matcher is built on first use, so rules that do not
/// apply to a repository cost nothing to run.
#[derive(Debug, Clone)]
pub struct Globs {
    patterns: Vec<String>,
    globs: Vec<Glob>,
    set: OnceLock<Arc<Sets>>,
}

/// The case-insensitive globs (matched against the lowercased path) and the case-sensitive ones.
#[derive(Debug)]
struct Sets {
    folded: GlobSet,
    exact: GlobSet,
}

/// The marker of a case-sensitive glob.
const KEEP_CASE: &str = "(?-i)";

/// Matchers already built, by their patterns: two rules that list the same globs (tests-missing
/// and testing-undocumented both look for test files) share one matcher.
static BUILT: OnceLock<Mutex<HashMap<Vec<String>, Arc<Sets>>>> = OnceLock::new();

impl Globs {
    /// Compiles globs from a rule or configuration file; every invalid glob becomes a problem.
    pub fn compile(file: &SourceFile, items: &[Spanned<String>], problems: &mut Problems) -> Option<Globs> {
        let mut globs = Vec::new();
        for item in items {
            match glob(item.get_ref()) {
                Ok(compiled) => globs.push(compiled),
                Err(error) => problems.push(Problem::at(
                    file,
                    item.span(),
                    format!("invalid glob `{}`", item.get_ref()),
                    error.kind().to_string(),
                )),
            }
        }
        (globs.len() == items.len()).then(|| Globs {
            patterns: items.iter().map(|item| item.get_ref().clone()).collect(),
            globs,
            set: OnceLock::new(),
        })
    }

    /// Compiles globs written in apelint's own source; they are known to be valid.
    pub fn fixed(patterns: &[&str]) -> Globs {
        Globs {
            patterns: patterns.iter().map(|pattern| (*pattern).to_string()).collect(),
            globs: patterns.iter().map(|pattern| glob(pattern).expect("apelint's own globs are valid")).collect(),
            set: OnceLock::new(),
        }
    }

    pub fn empty() -> Globs {
        Globs { patterns: Vec::new(), globs: Vec::new(), set: OnceLock::new() }
    }

    pub fn is_match(&self, path: &str) -> bool {
        let sets = self.set.get_or_init(|| self.build());
        sets.folded.is_match(lowercase(path).as_ref()) || (!sets.exact.is_empty() && sets.exact.is_match(path))
    }

    fn build(&self) -> Arc<Sets> {
        let cache = BUILT.get_or_init(|| Mutex::new(HashMap::new()));
        if let Some(built) = cache.lock().ok().and_then(|cache| cache.get(&self.patterns).cloned()) {
            return built;
        }
        let mut folded = GlobSetBuilder::new();
        let mut exact = GlobSetBuilder::new();
        for (glob, pattern) in self.globs.iter().zip(&self.patterns) {
            if pattern.starts_with(KEEP_CASE) {
                exact.add(glob.clone())
            } else {
                folded.add(glob.clone())
            };
        }
        // Every glob compiled on its own when the rule loaded; together they only fail past the
        // regex size limit, where matching nothing is the safe answer.
        let built = Arc::new(Sets {
            folded: folded.build().unwrap_or_else(|_| GlobSet::empty()),
            exact: exact.build().unwrap_or_else(|_| GlobSet::empty()),
        });
        if let Ok(mut cache) = cache.lock() {
            cache.insert(self.patterns.clone(), built.clone());
        }
        built
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// The position of the first glob, in the order they were written, that matches `path`.
    pub fn first_matching(&self, path: &str) -> Option<usize> {
        let folded = lowercase(path);
        self.globs.iter().zip(&self.patterns).position(|(glob, pattern)| {
            let matcher = glob.compile_matcher();
            if pattern.starts_with(KEEP_CASE) { matcher.is_match(path) } else { matcher.is_match(folded.as_ref()) }
        })
    }

    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    /// The globs that name a path from the folder's top (`LICENSE`, `.github/workflows/*.yml`),
    /// without those that match at any depth (`**/AGENTS.md`).
    pub fn anchored(&self) -> Globs {
        let kept: Vec<&str> = self
            .patterns
            .iter()
            .map(String::as_str)
            .filter(|pattern| !pattern.trim_start_matches(KEEP_CASE).starts_with("**"))
            .collect();
        // They compiled when the rule loaded.
        Globs::fixed(&kept)
    }
}

/// Globs ignore case by matching lowercased paths against lowercased patterns: the same answer as
/// globset's `case_insensitive`, without the Unicode case folding that makes large brace patterns
/// slow to compile.
fn glob(pattern: &str) -> Result<globset::Glob, globset::Error> {
    let pattern = match pattern.strip_prefix(KEEP_CASE) {
        Some(exact) => exact.to_string(),
        None => pattern.to_lowercase(),
    };
    GlobBuilder::new(&pattern).literal_separator(true).backslash_escape(true).build()
}

fn lowercase(path: &str) -> std::borrow::Cow<'_, str> {
    if path.chars().any(char::is_uppercase) {
        std::borrow::Cow::Owned(path.to_lowercase())
    } else {
        std::borrow::Cow::Borrowed(path)
    }
}

/// A regex from a rule or configuration file: its syntax is checked when the rule loads, and it is
/// compiled on first use, so that rules that do not run cost nothing.
#[derive(Debug)]
pub struct Pattern {
    source: String,
    compiled: OnceLock<Regex>,
}

impl Pattern {
    /// The compiled regex. A pattern whose syntax was valid fails to compile only past the size
    /// limit; it then matches nothing rather than stopping the run.
    pub fn get(&self) -> &Regex {
        self.compiled
            .get_or_init(|| Regex::new(&self.source).unwrap_or_else(|_| Regex::new(r"[^\s\S]").expect("a valid regex")))
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.get().is_match(text)
    }

    pub fn as_str(&self) -> &str {
        &self.source
    }
}

/// Checks a regex from a rule or configuration file, reporting an invalid one at its span. A
/// user's regex is compiled now, so that one past the size limit (`a{10000}{10000}`) is an error
/// at its span rather than a pattern that silently matches nothing; apelint's own are compiled on
/// first use (a test compiles them all).
pub fn regex(file: &SourceFile, item: &Spanned<String>, problems: &mut Problems) -> Option<Pattern> {
    match regex_syntax::ParserBuilder::new().build().parse(item.get_ref()) {
        Ok(_) if file.builtin => Some(Pattern { source: item.get_ref().clone(), compiled: OnceLock::new() }),
        Ok(_) => match Regex::new(item.get_ref()) {
            Ok(compiled) => Some(Pattern { source: item.get_ref().clone(), compiled: OnceLock::from(compiled) }),
            Err(error) => {
                let detail = match error {
                    regex::Error::CompiledTooBig(limit) => format!("it compiles to more than {limit} bytes"),
                    other => other.to_string().lines().last().unwrap_or("syntax error").trim().to_string(),
                };
                problems.push(
                    Problem::at(file, item.span(), format!("regex too large: {detail}"), "this regex")
                        .with_help("split it into smaller patterns, or use fewer repetitions"),
                );
                None
            }
        },
        Err(error) => {
            let text = error.to_string();
            let detail = text.lines().last().unwrap_or("syntax error").trim().to_string();
            problems.push(
                Problem::at(file, item.span(), format!("invalid regex: {detail}"), "this regex")
                    .with_help("regexes use the syntax of Rust's `regex` crate: no look-around, no backreferences"),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_glob_may_keep_its_case() {
        let globs = Globs::fixed(&["(?-i)**/*Test.java", "README.*"]);
        assert!(globs.is_match("src/OrderTest.java"));
        assert!(!globs.is_match("src/Latest.java"));
        assert!(globs.is_match("readme.md"));
    }

    #[test]
    fn star_stays_in_one_folder_and_case_is_ignored() {
        let globs = Globs::fixed(&["README.*", "**/*_test.go"]);
        assert!(globs.is_match("readme.md"));
        assert!(!globs.is_match("docs/README.md"));
        assert!(globs.is_match("pkg/a/b_test.go"));
        assert!(globs.is_match("b_test.go"));
    }
}
