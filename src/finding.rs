//! Findings: the plain data every check produces and every reporter consumes.

use serde::Serialize;
use std::fmt;

/// How loudly a finding is reported. Ordered so that `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A 1-based line and column; columns count Unicode scalar values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    pub const START: Position = Position { line: 1, column: 1 };
}

/// Whether a finding is about a place in a file or about the repository as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// The finding points at text inside the file.
    File,
    /// The finding is about the repository; its location is the file where the fix belongs,
    /// which may not exist yet (`README.md` for a missing README).
    Repository,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    /// Repository-relative path with `/` separators.
    pub path: String,
    pub start: Position,
    /// Exclusive end: the column just after the last character.
    pub end: Position,
}

impl Location {
    pub fn anchor(path: impl Into<String>) -> Self {
        Location { path: path.into(), start: Position::START, end: Position::START }
    }
}

/// Where a hit is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// About the repository; anchored at `anchor` when given, else at the rule's anchor file.
    Repository { anchor: Option<String> },
    /// At a span of a file.
    File(Location),
}

/// What a check reports before the engine attaches the rule's identity to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub place: Place,
    /// What the check found, in a sentence; empty when the rule's summary says it all.
    pub message: String,
    /// The thing found (a matched text, a link, a path), for `{subject}` in a rule's message.
    pub subject: String,
    /// Text that identifies the hit independently of line numbers, for the fingerprint.
    pub key: String,
    /// What several hits have in common when they come from one decision (the type that implements
    /// a dozen interfaces), for rules grouped `by = "cause"`.
    pub cause: Option<String>,
}

impl Hit {
    pub fn repository(message: impl Into<String>) -> Self {
        Hit {
            place: Place::Repository { anchor: None },
            message: message.into(),
            subject: String::new(),
            key: String::new(),
            cause: None,
        }
    }

    pub fn at(location: Location, message: impl Into<String>, subject: impl Into<String>) -> Self {
        let subject = subject.into();
        Hit { place: Place::File(location), message: message.into(), key: subject.clone(), subject, cause: None }
    }

    pub fn anchored(mut self, path: impl Into<String>) -> Self {
        self.place = Place::Repository { anchor: Some(path.into()) };
        self
    }

    pub fn with_subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = subject.into();
        self
    }

    pub fn with_key(mut self, key: impl Into<String>) -> Self {
        self.key = key.into();
        self
    }

    pub fn with_cause(mut self, cause: impl Into<String>) -> Self {
        self.cause = Some(cause.into());
        self
    }
}

/// One problem found in the repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: String,
    pub family: String,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub scope: Scope,
    pub location: Location,
    /// Stable across line moves: rule + path + normalised content.
    pub fingerprint: String,
    #[serde(skip)]
    pub key: String,
    /// The hit's cause, for grouping (`Hit::cause`).
    #[serde(skip)]
    pub cause: Option<String>,
    /// A grouped finding's places, its own first among them; empty for a finding of one place.
    #[serde(skip)]
    pub members: Vec<Member>,
}

/// One place of a grouped finding: what a finding of its own would have said there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub location: Location,
    pub message: String,
    pub fingerprint: String,
}

impl Finding {
    /// How many places the finding stands for.
    pub fn count(&self) -> usize {
        self.members.len().max(1)
    }

    /// The finding of each place, as it would be without grouping: the members of a group, or the
    /// finding itself.
    pub fn split(&self) -> Vec<Finding> {
        if self.members.is_empty() {
            return vec![self.clone()];
        }
        self.members
            .iter()
            .map(|member| Finding {
                location: member.location.clone(),
                message: member.message.clone(),
                fingerprint: member.fingerprint.clone(),
                members: Vec::new(),
                ..self.clone()
            })
            .collect()
    }

    /// Every place of the finding with its message and fingerprint: the members of a group, or the
    /// finding itself.
    pub fn places(&self) -> Vec<Member> {
        if self.members.is_empty() {
            vec![Member {
                location: self.location.clone(),
                message: self.message.clone(),
                fingerprint: self.fingerprint.clone(),
            }]
        } else {
            self.members.clone()
        }
    }
}

/// Sorts findings the way every reporter shows them (family, path, position, rule) and gives each a
/// fingerprint that survives line moves. Identical keys get an occurrence suffix.
pub fn finalise(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (&a.family, &a.location.path, a.location.start, &a.rule, &a.message).cmp(&(
            &b.family,
            &b.location.path,
            b.location.start,
            &b.rule,
            &b.message,
        ))
    });
    let mut seen = std::collections::HashMap::<u64, usize>::new();
    for finding in findings.iter_mut() {
        let normalised: String = finding.key.split_whitespace().collect::<Vec<_>>().join(" ");
        let hash = fnv1a(&[finding.rule.as_bytes(), finding.location.path.as_bytes(), normalised.as_bytes()]);
        let count = seen.entry(hash).or_insert(0);
        finding.fingerprint = if *count == 0 { format!("{hash:016x}") } else { format!("{hash:016x}:{count}") };
        *count += 1;
    }
}

/// FNV-1a, 64 bit: tiny, and unlike `DefaultHasher` it is stable across Rust releases, which a
/// fingerprint stored in a baseline needs.
pub(crate) fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.iter().chain(std::iter::once(&0u8)) {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

/// Counts of findings by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

impl Counts {
    pub fn of(findings: &[Finding]) -> Self {
        let mut counts = Counts::default();
        for finding in findings {
            match finding.severity {
                Severity::Error => counts.error += 1,
                Severity::Warning => counts.warning += 1,
                Severity::Info => counts.info += 1,
            }
        }
        counts
    }

    pub fn at_or_above(&self, level: Severity) -> usize {
        match level {
            Severity::Error => self.error,
            Severity::Warning => self.error + self.warning,
            Severity::Info => self.error + self.warning + self.info,
        }
    }
}

#[cfg(test)]
impl Finding {
    /// A warning of `rule` at `path:line`, for unit tests to adjust with `..Finding::sample(...)`.
    pub(crate) fn sample(rule: &str, path: &str, line: usize) -> Finding {
        Finding {
            rule: rule.into(),
            family: "docs".into(),
            severity: Severity::Warning,
            message: "m".into(),
            help: None,
            scope: Scope::File,
            location: Location {
                path: path.into(),
                start: Position { line, column: 1 },
                end: Position { line, column: 2 },
            },
            fingerprint: String::new(),
            key: String::new(),
            cause: None,
            members: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: &str, path: &str, line: usize, key: &str) -> Finding {
        Finding { key: key.into(), ..Finding::sample(rule, path, line) }
    }

    #[test]
    fn fingerprints_ignore_line_numbers_and_whitespace() {
        let mut a = [finding("r", "a.md", 3, "see  [x](y.md)")];
        let mut b = [finding("r", "a.md", 40, "see [x](y.md)")];
        finalise(&mut a);
        finalise(&mut b);
        assert_eq!(a[0].fingerprint, b[0].fingerprint);
    }

    #[test]
    fn identical_keys_get_distinct_fingerprints() {
        let mut many = [finding("r", "a.md", 3, "k"), finding("r", "a.md", 9, "k")];
        finalise(&mut many);
        assert_ne!(many[0].fingerprint, many[1].fingerprint);
        assert!(many[1].fingerprint.ends_with(":1"));
    }
}
