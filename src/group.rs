//! Grouping: the findings of one rule that share a cause (one folder's convention, one file, one
//! type implementing a dozen interfaces) become one finding with a count and every place, so that a
//! rule that fires dozens of times in a repository says so once. A rule's `[group]` table says what
//! a shared cause is; grouping runs after suppressions and the baseline, which judge each place.

use crate::diag::Problems;
use crate::finding::{Finding, Member, Scope, fnv1a};
use crate::spanned::Fields;
use std::collections::HashMap;
use toml::Spanned;

/// What findings of a rule have in common when they come from one cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// The folder of the file (a docs tree, a migrations folder, a scripts folder).
    Folder,
    /// The file.
    File,
    /// The cause the check names (`Hit::cause`); the folder for hits that name none.
    Cause,
    /// Never grouped: each finding is its own cause.
    None,
}

impl By {
    const ALL: [(&'static str, By); 4] =
        [("folder", By::Folder), ("file", By::File), ("cause", By::Cause), ("none", By::None)];

    pub fn as_str(self) -> &'static str {
        By::ALL.iter().find(|(_, by)| *by == self).map_or("folder", |(name, _)| name)
    }
}

/// A rule's `[group]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grouping {
    pub by: By,
    /// The fewest findings that make a group; fewer are shown one by one.
    pub min: usize,
    /// The group's message: `{count}` places, `{where}` the folder, file or cause (as a code span),
    /// `{summary}` the rule's summary.
    pub message: String,
}

impl Default for Grouping {
    fn default() -> Self {
        Grouping { by: By::Folder, min: 3, message: "{summary}: {count} places in {where}".to_string() }
    }
}

impl Grouping {
    /// Reads a rule's `[group]` table: `by`, `min` and `message`, each optional.
    pub fn read(mut fields: Fields<'_>, problems: &mut Problems) -> Option<Grouping> {
        let file = fields.file();
        let before = problems.problems.len();
        let mut grouping = Grouping::default();
        if let Some(by) = fields.get::<String>("by", problems) {
            match By::ALL.iter().find(|(name, _)| *name == by.get_ref()) {
                Some((_, found)) => grouping.by = *found,
                None => problems.push(crate::diag::Problem::at(
                    file,
                    by.span(),
                    format!(
                        "`by` must be one of {}; not `{}`",
                        By::ALL.map(|(name, _)| format!("`{name}`")).join(", "),
                        by.get_ref()
                    ),
                    "here",
                )),
            }
        }
        if let Some(min) = fields.get::<usize>("min", problems) {
            if *min.get_ref() < 2 {
                problems.push(crate::diag::Problem::at(file, min.span(), "`min` must be 2 or more", "here"));
            }
            grouping.min = min.into_inner();
        }
        if let Some(message) = fields.get::<String>("message", problems) {
            grouping.message = Spanned::into_inner(message);
        }
        fields.finish(problems);
        (problems.problems.len() == before).then_some(grouping)
    }
}

/// Folds the findings that share a cause into one finding each, in place of the first of them;
/// `grouping` gives each rule's policy (rules it does not name are not grouped) and `summary` each
/// rule's summary. Repository-level findings are never grouped.
pub fn group<'a>(findings: Vec<Finding>, grouping: impl Fn(&str) -> Option<(&'a Grouping, &'a str)>) -> Vec<Finding> {
    let mut keys: Vec<Option<(String, String, &'static str, String)>> = Vec::with_capacity(findings.len());
    let mut sizes: HashMap<(String, String, &'static str, String), usize> = HashMap::new();
    for finding in &findings {
        let key = grouping(&finding.rule)
            .and_then(|(policy, _)| cause(finding, policy.by))
            .map(|(kind, place)| (finding.rule.clone(), finding.severity.as_str().to_string(), kind, place));
        if let Some(key) = &key {
            *sizes.entry(key.clone()).or_insert(0) += 1;
        }
        keys.push(key);
    }
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    let mut slot: HashMap<(String, String, &'static str, String), usize> = HashMap::new();
    for (finding, key) in findings.into_iter().zip(keys) {
        let grouped = key.filter(|key| {
            grouping(&finding.rule).is_some_and(|(policy, _)| sizes.get(key).copied().unwrap_or(0) >= policy.min)
        });
        let Some(key) = grouped else {
            out.push(finding);
            continue;
        };
        let member = Member {
            location: finding.location.clone(),
            message: finding.message.clone(),
            fingerprint: finding.fingerprint.clone(),
        };
        match slot.get(&key) {
            Some(&at) => out[at].members.push(member),
            None => {
                let (policy, summary) = grouping(&finding.rule).expect("grouped findings have a policy");
                let count = sizes[&key];
                let (_, _, kind, place) = &key;
                let shown = if place.is_empty() { "the repository's top folder".to_string() } else { code(place) };
                let message = policy
                    .message
                    .replace("{count}", &count.to_string())
                    .replace("{where}", &shown)
                    .replace("{summary}", summary);
                let hash = fnv1a(&[finding.rule.as_bytes(), b"group", kind.as_bytes(), place.as_bytes()]);
                slot.insert(key.clone(), out.len());
                out.push(Finding {
                    message,
                    fingerprint: format!("{hash:016x}"),
                    key: format!("{kind} {place}"),
                    members: vec![member],
                    ..finding
                });
            }
        }
    }
    out
}

/// What a finding shares with others of its rule under `by`: the kind of cause and its name.
fn cause(finding: &Finding, by: By) -> Option<(&'static str, String)> {
    if finding.scope == Scope::Repository {
        return None;
    }
    let path = finding.location.path.as_str();
    let folder = || path.rsplit_once('/').map_or(String::new(), |(folder, _)| format!("{folder}/"));
    match by {
        By::None => None,
        By::File => Some(("file", path.to_string())),
        By::Folder => Some(("folder", folder())),
        By::Cause => Some(match &finding.cause {
            Some(cause) => ("cause", cause.clone()),
            None => ("folder", folder()),
        }),
    }
}

/// `text` as a Markdown code span, with a fence longer than any run of backticks inside.
fn code(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: &str, path: &str, line: usize) -> Finding {
        Finding {
            message: format!("at {path}:{line}"),
            fingerprint: format!("{path}{line}"),
            ..Finding::sample(rule, path, line)
        }
    }

    fn run(findings: Vec<Finding>, policy: &Grouping) -> Vec<Finding> {
        group(findings, |rule| (rule == "r").then_some((policy, "Something is off")))
    }

    #[test]
    fn findings_of_one_folder_fold_into_one_with_every_place() {
        let policy = Grouping::default();
        let out = run(
            vec![
                finding("r", "docs/a.md", 1),
                finding("r", "docs/b.md", 2),
                finding("r", "src/x.rs", 3),
                finding("r", "docs/c.md", 9),
                finding("other", "docs/d.md", 1),
            ],
            &policy,
        );
        assert_eq!(out.len(), 3);
        assert_eq!(out[0].message, "Something is off: 3 places in `docs/`");
        assert_eq!(out[0].count(), 3);
        let places: Vec<_> = out[0].members.iter().map(|m| (m.location.path.as_str(), m.message.as_str())).collect();
        assert_eq!(
            places,
            [("docs/a.md", "at docs/a.md:1"), ("docs/b.md", "at docs/b.md:2"), ("docs/c.md", "at docs/c.md:9")]
        );
        assert_eq!(out[0].location.path, "docs/a.md");
        assert_eq!(out[1].location.path, "src/x.rs");
        assert!(out[1].members.is_empty());
        assert_eq!(out[2].rule, "other");
    }

    #[test]
    fn fewer_than_min_stay_apart_and_none_never_groups() {
        let policy = Grouping { min: 4, ..Grouping::default() };
        let three = || (1..=3).map(|line| finding("r", "docs/a.md", line)).collect::<Vec<_>>();
        assert!(run(three(), &policy).iter().all(|f| f.members.is_empty()));
        let none = Grouping { by: By::None, min: 2, ..Grouping::default() };
        assert_eq!(run(three(), &none).len(), 3);
    }

    #[test]
    fn the_group_fingerprint_is_its_cause_not_its_members() {
        let policy = Grouping { by: By::Cause, min: 2, message: "{count} by {where}".into() };
        let with_cause = |path: &str, line| Finding { cause: Some("Registry".into()), ..finding("r", path, line) };
        let one = run(vec![with_cause("a/x.go", 1), with_cause("b/y.go", 2)], &policy);
        let two = run(vec![with_cause("a/x.go", 7), with_cause("c/z.go", 2), with_cause("b/y.go", 5)], &policy);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].message, "2 by `Registry`");
        assert_eq!(one[0].fingerprint, two[0].fingerprint);
        assert_eq!(two[0].count(), 3);
    }

    #[test]
    fn repository_level_findings_are_never_grouped() {
        let policy = Grouping { min: 2, ..Grouping::default() };
        let repo = |line| Finding { scope: Scope::Repository, ..finding("r", "README.md", line) };
        assert_eq!(run(vec![repo(1), repo(2)], &policy).len(), 2);
    }

    #[test]
    fn a_folder_name_with_backticks_stays_one_code_span() {
        assert_eq!(code("a`b/"), "``a`b/``");
        assert_eq!(code("`x"), "`` `x ``");
    }
}
