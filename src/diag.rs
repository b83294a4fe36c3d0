//! Errors a user can fix: problems in `apelint.toml` and rule files, each pointing at its file and span,
//! gathered so that every problem is reported at once.

use miette::{Diagnostic, NamedSource, SourceSpan};
use std::ops::Range;
use std::path::Path;
use thiserror::Error;

/// The text of a configuration or rule file, shared by every problem found in it.
#[derive(Debug, Clone)]
///
/// The text is `'static`: built-in rules are embedded in the binary, and the few small files a user
/// gives are leaked once per process, so that parsed tables can borrow from them for the whole run
/// without lifetimes threading through every rule and check.
pub struct SourceFile {
    pub name: String,
    pub text: &'static str,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: &'static str) -> Self {
        SourceFile { name: name.into(), text }
    }

    /// Reads a user's file; its text lives until the process ends.
    pub fn read(path: &Path) -> Result<Self, Problem> {
        match std::fs::read_to_string(path) {
            Ok(text) => Ok(SourceFile::new(path.display().to_string(), Box::leak(text.into_boxed_str()))),
            Err(err) => Err(Problem::plain(format!("cannot read {}: {err}", path.display()))),
        }
    }

    fn named(&self) -> NamedSource<&'static str> {
        NamedSource::new(self.name.clone(), self.text).with_language("toml")
    }
}

/// One problem in one file, with the span it is about.
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(apelint::config))]
pub struct Problem {
    pub message: String,
    #[source_code]
    source_code: Option<NamedSource<&'static str>>,
    #[label("{label}")]
    span: Option<SourceSpan>,
    label: String,
    #[help]
    pub help: Option<String>,
}

impl Problem {
    /// A problem with no file to point at (a missing directory, say).
    pub fn plain(message: impl Into<String>) -> Self {
        Problem { message: message.into(), source_code: None, span: None, label: String::new(), help: None }
    }

    /// A problem at `span` (byte range) of `file`.
    pub fn at(file: &SourceFile, span: Range<usize>, message: impl Into<String>, label: impl Into<String>) -> Self {
        let len = file.text.len();
        let start = span.start.min(len);
        let end = span.end.clamp(start, len);
        Problem {
            message: message.into(),
            source_code: Some(file.named()),
            span: Some((start, end - start).into()),
            label: label.into(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Every problem found while loading configuration and rules; reported together, then the run stops
/// with exit code 2.
#[derive(Debug, Error, Diagnostic)]
#[error("{}", summary(.problems))]
#[diagnostic(code(apelint::invalid))]
pub struct Problems {
    #[related]
    pub problems: Vec<Problem>,
}

fn summary(problems: &[Problem]) -> String {
    match problems {
        [one] => format!("invalid configuration: {}", one.message),
        many => format!("invalid configuration: {} problems", many.len()),
    }
}

impl Problems {
    pub fn new() -> Self {
        Problems { problems: Vec::new() }
    }

    /// Adds a problem, once: a rule whose `[check]` is `like` another reads the other's table
    /// again, and its problems need saying only once.
    pub fn push(&mut self, problem: Problem) {
        let same = |other: &Problem| {
            other.message == problem.message
                && other.span == problem.span
                && other.source_code.as_ref().map(NamedSource::name)
                    == problem.source_code.as_ref().map(NamedSource::name)
        };
        if !self.problems.iter().any(same) {
            self.problems.push(problem);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.problems.is_empty()
    }

    /// `Ok(value)` when nothing went wrong, else every problem collected so far.
    pub fn finish<T>(self, value: T) -> Result<T, Problems> {
        if self.problems.is_empty() { Ok(value) } else { Err(self) }
    }
}

impl Default for Problems {
    fn default() -> Self {
        Self::new()
    }
}

/// "unknown profile `webapp`", pointing at the name, with the closest candidate or the whole list.
pub fn unknown<'a>(
    file: &SourceFile,
    span: Range<usize>,
    what: &str,
    name: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> Problem {
    let help = did_you_mean(name, candidates.clone())
        .unwrap_or_else(|| format!("{what}s: {}", candidates.into_iter().collect::<Vec<_>>().join(", ")));
    Problem::at(file, span, format!("unknown {what} `{name}`"), format!("not a {what}")).with_help(help)
}

/// Suggests the closest of `candidates` to a misspelt `word`, for "did you mean" help.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(word, candidate), candidate))
        .filter(|(distance, candidate)| *distance <= (candidate.len() / 3).max(2))
        .min()
        .map(|(_, candidate)| format!("did you mean `{candidate}`?"))
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(
            did_you_mean("readme-mising", ["readme-missing", "ci-missing"]).as_deref(),
            Some("did you mean `readme-missing`?")
        );
        assert_eq!(did_you_mean("zzzzzz", ["readme-missing"]), None);
    }

    #[test]
    fn spans_are_clamped_to_the_text() {
        let file = SourceFile::new("x.toml", "a = 1\n");
        let problem = Problem::at(&file, 3..99, "m", "l");
        assert_eq!(problem.span, Some((3, 3).into()));
    }
}
