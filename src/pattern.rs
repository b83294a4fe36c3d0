//! Globs and regexes written in configuration and rule files, compiled once with their errors
//! reported at the span where they were written.

use crate::diag::{Problem, Problems, SourceFile};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use regex::Regex;
use toml::Spanned;

/// A list of globs matched against repository-relative paths (`/`-separated).
///
/// `*` never crosses a `/`, so `README.*` matches only at the root and `**/README.md` anywhere;
/// matching ignores case, because `readme.md`, `Readme.md` and `README.MD` all exist in the wild.
#[derive(Debug, Clone)]
pub struct Globs {
    patterns: Vec<String>,
    set: GlobSet,
}

impl Globs {
    /// Compiles globs from a rule or configuration file; every invalid glob becomes a problem.
    pub fn compile(file: &SourceFile, items: &[Spanned<String>], problems: &mut Problems) -> Option<Globs> {
        let mut builder = GlobSetBuilder::new();
        let mut ok = true;
        for item in items {
            match glob(item.get_ref()) {
                Ok(compiled) => {
                    builder.add(compiled);
                }
                Err(error) => {
                    ok = false;
                    problems.push(Problem::at(
                        file,
                        item.span(),
                        format!("invalid glob `{}`", item.get_ref()),
                        error.kind().to_string(),
                    ));
                }
            }
        }
        let set = builder.build().ok()?;
        ok.then(|| Globs { patterns: items.iter().map(|item| item.get_ref().clone()).collect(), set })
    }

    /// Compiles globs written in apelint's own source; they are known to be valid.
    pub fn fixed(patterns: &[&str]) -> Globs {
        let mut builder = GlobSetBuilder::new();
        for pattern in patterns {
            builder.add(glob(pattern).expect("apelint's own globs are valid"));
        }
        Globs {
            patterns: patterns.iter().map(|pattern| (*pattern).to_string()).collect(),
            set: builder.build().expect("apelint's own globs are valid"),
        }
    }

    pub fn empty() -> Globs {
        Globs { patterns: Vec::new(), set: GlobSet::empty() }
    }

    pub fn is_match(&self, path: &str) -> bool {
        self.set.is_match(path)
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }
}

fn glob(pattern: &str) -> Result<globset::Glob, globset::Error> {
    GlobBuilder::new(pattern).literal_separator(true).case_insensitive(true).backslash_escape(true).build()
}

/// Compiles a regex from a rule or configuration file, reporting an invalid one at its span.
pub fn regex(file: &SourceFile, item: &Spanned<String>, problems: &mut Problems) -> Option<Regex> {
    match Regex::new(item.get_ref()) {
        Ok(regex) => Some(regex),
        Err(error) => {
            let detail = match &error {
                regex::Error::Syntax(text) => text.lines().last().unwrap_or("syntax error").trim().to_string(),
                other => other.to_string(),
            };
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
    fn star_stays_in_one_folder_and_case_is_ignored() {
        let globs = Globs::fixed(&["README.*", "**/*_test.go"]);
        assert!(globs.is_match("readme.md"));
        assert!(!globs.is_match("docs/README.md"));
        assert!(globs.is_match("pkg/a/b_test.go"));
        assert!(globs.is_match("b_test.go"));
    }
}
