//! Errors a user can fix: problems in `apelint.toml` and rule files, each pointing at its file and span,
//! gathered so that every problem is reported at once.

use crate::escape::printable;
use crate::facts::text::LineIndex;
use crate::snippet::{CONTEXT_LINES, Snippet};
use miette::{Diagnostic, SourceSpan};
use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use thiserror::Error;

/// Configuration, rule and baseline files larger than this are refused: a real one is a few
/// kilobytes, and each is held in memory for the whole run.
pub const MAX_SOURCE_SIZE: u64 = 1024 * 1024;

/// The text of a configuration or rule file, shared by every problem found in it.
///
/// The text is `'static`: built-in rules are embedded in the binary, and the few small files a user
/// gives are leaked once per process, so that parsed tables can borrow from them for the whole run
/// without lifetimes threading through every rule and check.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub text: &'static str,
    /// Embedded in apelint (its regexes are known to compile, see `pattern::regex`).
    pub builtin: bool,
    lines: Arc<OnceLock<LineIndex>>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: &'static str) -> Self {
        SourceFile { name: name.into(), text, builtin: false, lines: Arc::default() }
    }

    /// A rule file embedded in apelint.
    pub fn builtin(name: impl Into<String>, text: &'static str) -> Self {
        SourceFile { builtin: true, ..SourceFile::new(name, text) }
    }

    /// Reads a user's file; its text lives until the process ends. A file found in the checked
    /// repository is read only when `boundary` admits it (a link out of the repository is
    /// refused, without a word of its content).
    pub fn read(path: &Path, boundary: Option<&crate::boundary::Boundary>) -> Result<Self, Problem> {
        use crate::facts::text::Skip;
        let shown = path.display().to_string();
        let read = match boundary {
            Some(boundary) => boundary.read_given(path, MAX_SOURCE_SIZE),
            None => crate::facts::text::read(path, MAX_SOURCE_SIZE),
        };
        match read {
            Ok(text) => Ok(SourceFile::new(shown, Box::leak(text.into_boxed_str()))),
            Err(skip) => Err(match skip {
                Skip::LinkOutside => Problem::plain(format!(
                    "`{shown}` is a symbolic link out of the repository (or into `.git`); apelint does not read it"
                )),
                Skip::TooLarge => Problem::plain(format!("`{shown}` is larger than {} KiB", MAX_SOURCE_SIZE / 1024)),
                Skip::NotUtf8 | Skip::Binary => Problem::plain(format!("`{shown}` is not UTF-8 text")),
                _ => Problem::io(match std::fs::metadata(path) {
                    Err(error) => format!("cannot read `{shown}`: {error}"),
                    Ok(_) => format!("cannot read `{shown}`"),
                }),
            }),
        }
    }

    /// The file's line index, built on first use.
    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(self.text))
    }
}

/// What kind of problem stopped the run: the `apelint::…` code shown beside it, so that a script
/// (or a person) tells a mistake in a file from a mistake on the command line or a full disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// `apelint.toml`, a rule file, a pattern file or a baseline says something that cannot be.
    Config,
    /// The command line asks for what cannot be: a path that does not exist, an unknown rule id,
    /// two reports into one file, a file `init` would overwrite.
    Usage,
    /// A file or folder could not be read or written (permissions, a full disk).
    Io,
    /// apelint itself failed: a bug.
    Internal,
}

impl Code {
    /// The code as miette shows it.
    pub fn name(self) -> &'static str {
        match self {
            Code::Config => "apelint::config",
            Code::Usage => "apelint::usage",
            Code::Io => "apelint::io",
            Code::Internal => "apelint::internal",
        }
    }
}

/// One problem, in one file with the span it is about, or about the run itself.
#[derive(Debug, Error)]
#[error("{message}")]
pub struct Problem {
    pub message: String,
    pub code: Code,
    source_code: Option<Snippet>,
    span: Option<SourceSpan>,
    label: String,
    pub help: Option<String>,
}

impl Diagnostic for Problem {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(self.code.name()))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help.as_ref().map(|help| Box::new(help) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source_code.as_ref().map(|snippet| snippet as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let span = self.span?;
        Some(Box::new(std::iter::once(miette::LabeledSpan::new_with_span(Some(self.label.clone()), span))))
    }
}

impl Problem {
    /// A problem in the configuration with no file to point at (a missing rule folder, say).
    pub fn plain(message: impl Into<String>) -> Self {
        Problem {
            message: printable(&message.into()).into_owned(),
            code: Code::Config,
            source_code: None,
            span: None,
            label: String::new(),
            help: None,
        }
    }

    /// A problem at `span` (byte range) of `file`.
    pub fn at(file: &SourceFile, span: Range<usize>, message: impl Into<String>, label: impl Into<String>) -> Self {
        let len = file.text.len();
        let start = span.start.min(len);
        let end = span.end.clamp(start, len);
        let snippet = Snippet::new(&file.name, file.text, file.lines(), start..end, CONTEXT_LINES, None);
        Problem {
            message: printable(&message.into()).into_owned(),
            code: Code::Config,
            span: Some(snippet.span()),
            source_code: Some(snippet),
            label: printable(&label.into()).into_owned(),
            help: None,
        }
    }

    /// A mistake on the command line.
    pub fn usage(message: impl Into<String>) -> Self {
        Problem { code: Code::Usage, ..Problem::plain(message) }
    }

    /// A file or folder that could not be read or written.
    pub fn io(message: impl Into<String>) -> Self {
        Problem { code: Code::Io, ..Problem::plain(message) }
    }

    /// A bug in apelint.
    pub fn internal(message: impl Into<String>) -> Self {
        Problem { code: Code::Internal, ..Problem::plain(message) }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(printable(&help.into()).into_owned());
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
    /// What identifies each problem pushed, so that a repeated one is said once.
    seen: std::collections::HashSet<ProblemKey>,
}

type ProblemKey = (String, Option<(usize, usize)>, Option<(String, (usize, usize))>);

fn summary(problems: &[Problem]) -> String {
    // Configuration problems are the usual many; others are said as what they are.
    let what = if problems.iter().all(|problem| problem.code == Code::Config) { "invalid configuration: " } else { "" };
    match problems {
        [one] => format!("{what}{}", one.message),
        many => format!("{what}{} problems", many.len()),
    }
}

impl Problems {
    pub fn new() -> Self {
        Problems { problems: Vec::new(), seen: Default::default() }
    }

    /// Adds a problem, once: a rule whose `[check]` is `like` another reads the other's table
    /// again, and its problems need saying only once.
    pub fn push(&mut self, problem: Problem) {
        let key = (
            problem.message.clone(),
            problem.span.map(|span| (span.offset(), span.len())),
            problem.source_code.as_ref().map(|snippet| (snippet.name().to_string(), snippet.origin())),
        );
        if self.seen.insert(key) {
            self.problems.push(problem);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.problems.is_empty()
    }

    /// Just this problem.
    pub fn one(problem: Problem) -> Self {
        let mut problems = Problems::new();
        problems.push(problem);
        problems
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
    // A word whose length differs from a candidate's by more than the distance allowed cannot be
    // close to it: skipping those keeps a megabyte-long word from costing a megabyte per candidate.
    let allowed = |candidate: &str| (candidate.len() / 3).max(2);
    let length = word.chars().count();
    candidates
        .into_iter()
        .filter(|candidate| length.abs_diff(candidate.chars().count()) <= allowed(candidate))
        .map(|candidate| (edit_distance(word, candidate), candidate))
        .filter(|(distance, candidate)| *distance <= allowed(candidate))
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
        assert_eq!(problem.span, Some((3, 2).into()));
    }
}
