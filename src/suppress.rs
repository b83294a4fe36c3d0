//! Inline suppressions: `apelint-ignore: <rule-id>[, <rule-id>] -- <reason>` in a comment silences
//! those rules on the comment's own line (a trailing comment) or on the line below it (a comment on
//! a line of its own); `apelint-ignore-file: <rule-id> -- <reason>` silences them in the whole file.
//! A suppression that silences nothing, names no known rule or gives no reason is reported by the
//! `bad-suppression` rule.

use crate::escape::code;
use crate::finding::{Finding, Hit, Location, Position, Scope};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// One rule named by one suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub rule: String,
    /// The comment's location (the rule id's span), where a bad suppression is reported.
    pub location: Location,
    /// The whole file, or the lines it covers.
    pub whole_file: bool,
    pub lines: std::ops::RangeInclusive<usize>,
    /// Shared by every rule the comment names.
    pub reason: Option<Arc<str>>,
}

/// Rule ids one comment may name; a comment naming more is not a suppression.
const MAX_IDS: usize = 64;
/// Chars of a reason kept.
const MAX_REASON: usize = 500;

const MARKER: &str = "apelint-ignore";

/// Comment openers: a suppression must follow one of them on its line, so that prose and string
/// literals that mention the syntax are not suppressions.
const COMMENT_OPENERS: &[&str] = &["//", "/*", "#", "<!--", "--", "*"];

/// The suppressions in `text`; cheap when the file has none.
pub fn parse(path: &str, text: &str) -> Vec<Suppression> {
    if !text.contains(MARKER) {
        return Vec::new();
    }
    let mut found = Vec::new();
    let markdown = [".md", ".markdown", ".mdx"].iter().any(|extension| path.to_ascii_lowercase().ends_with(extension));
    let mut in_fence = false;
    for (index, line) in text.lines().enumerate() {
        // Markdown shows the syntax in code blocks and inline code; only a real comment counts.
        if markdown && (line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~")) {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let Some(at) = line.find(MARKER) else { continue };
        let before = &line[..at];
        let Some(opener) = COMMENT_OPENERS.iter().filter_map(|opener| before.find(opener)).min() else { continue };
        // An opener inside a string literal or inline code (`"// apelint-ignore: …"` in a test) is
        // text, not a comment.
        let quotes = |mark: char| before[..opener].chars().filter(|c| *c == mark).count() % 2 == 1;
        if quotes('"') || quotes('`') {
            continue;
        }
        let rest = &line[at + MARKER.len()..];
        let (whole_file, rest) = match rest.strip_prefix("-file") {
            Some(rest) => (true, rest),
            None => (false, rest),
        };
        let Some(rest) = rest.trim_start().strip_prefix(':') else { continue };
        let (ids, reason) = match rest.split_once("--") {
            Some((ids, reason)) => {
                (ids.to_string(), Some(clean_reason(reason)).filter(|reason| !reason.is_empty()).map(Arc::from))
            }
            None => (clean_reason(rest), None),
        };
        let ids: Vec<&str> = ids.split([',', ' ', '\t']).map(str::trim).filter(|id| !id.is_empty()).collect();
        if ids.is_empty()
            || ids.len() > MAX_IDS
            || !ids.iter().all(|id| {
                id.len() <= 100 && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            })
        {
            continue;
        }
        let number = index + 1;
        // A comment after code covers its own line; a comment alone on its line covers the next.
        let trailing = !before[..opener].trim().is_empty();
        let lines = if trailing { number..=number } else { number..=number + 1 };
        let ids_start = at + MARKER.len() + (line.len() - at - MARKER.len() - rest.len());
        // Each id is looked for after the one before, and its column counted on from there.
        let (mut from, mut column_of_from) = (ids_start, line[..ids_start].chars().count());
        for id in ids {
            let column = line[from..].find(id).map_or(from, |offset| from + offset);
            column_of_from += line[from..column].chars().count();
            from = column;
            let start = Position { line: number, column: column_of_from + 1 };
            let end = Position { line: number, column: start.column + id.chars().count() };
            found.push(Suppression {
                rule: id.to_string(),
                location: Location { path: path.to_string(), start, end },
                whole_file,
                lines: lines.clone(),
                reason: reason.clone(),
            });
        }
    }
    found
}

/// The reason without a closing comment marker, cut to [`MAX_REASON`] chars.
fn clean_reason(text: &str) -> String {
    let text = text.trim();
    let text = text.strip_suffix("-->").or_else(|| text.strip_suffix("*/")).unwrap_or(text);
    text.trim().chars().take(MAX_REASON).collect()
}

/// Drops the findings that a suppression covers and returns how many it dropped, with a hit for
/// every suppression that is bad: it names no known rule, gives no reason, or silenced nothing
/// although its rule ran (`ran`).
///
/// A suppression covers the findings of its rule in its file: all of them when it is for the whole
/// file, else those in the file's text on the lines it covers. The suppressions are indexed by
/// file, rule and line, so each finding is looked up, not compared with every suppression.
pub fn apply(
    findings: &mut Vec<Finding>,
    suppressions: &[Suppression],
    known: &[&str],
    ran: &HashSet<&str>,
) -> (usize, Vec<Hit>) {
    // Groups of suppressions that cover the same findings: a file's whole-file ones for a rule, or
    // those that cover one line of it for a rule.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut whole_file: HashMap<(&str, &str), usize> = HashMap::new();
    let mut by_line: HashMap<(&str, &str, usize), usize> = HashMap::new();
    for (at, suppression) in suppressions.iter().enumerate() {
        let (path, rule) = (suppression.location.path.as_str(), suppression.rule.as_str());
        let lines = if suppression.whole_file { 0..=0 } else { suppression.lines.clone() };
        for line in lines {
            let group = if suppression.whole_file {
                *whole_file.entry((path, rule)).or_insert(groups.len())
            } else {
                *by_line.entry((path, rule, line)).or_insert(groups.len())
            };
            if group == groups.len() {
                groups.push(Vec::new());
            }
            groups[group].push(at);
        }
    }
    let mut group_used = vec![false; groups.len()];
    let before = findings.len();
    findings.retain(|finding| {
        let (path, rule) = (finding.location.path.as_str(), finding.rule.as_str());
        let whole = whole_file.get(&(path, rule));
        let line =
            (finding.scope == Scope::File).then(|| by_line.get(&(path, rule, finding.location.start.line))).flatten();
        for group in whole.into_iter().chain(line) {
            group_used[*group] = true;
        }
        whole.is_none() && line.is_none()
    });
    let mut used = vec![false; suppressions.len()];
    for (members, _) in groups.iter().zip(&group_used).filter(|(_, group_used)| **group_used) {
        for at in members {
            used[*at] = true;
        }
    }
    let known_ids: HashSet<&str> = known.iter().copied().collect();
    let mut suggestions = crate::rule::Suggestions::new(known.iter().copied());
    let mut bad = Vec::new();
    for (suppression, used) in suppressions.iter().zip(used) {
        let form = if suppression.whole_file { "apelint-ignore-file" } else { "apelint-ignore" };
        let message = if !known_ids.contains(suppression.rule.as_str()) {
            let mut message = format!("`{form}: {}` names no known rule", suppression.rule);
            if let Some(close) = suggestions.for_name(&suppression.rule) {
                message.push_str(&format!("; {close}"));
            }
            message
        } else if !used && ran.contains(suppression.rule.as_str()) {
            format!("`{form}: {}` suppresses nothing here", suppression.rule)
        } else if suppression.reason.is_none() {
            format!("`{form}: {}` gives no reason; add `-- <why>`", suppression.rule)
        } else {
            continue;
        };
        let key = format!("{} {}", suppression.rule, message);
        bad.push(Hit::at(suppression.location.clone(), message, suppression.rule.clone()).with_key(key));
    }
    (before - findings.len(), bad)
}

/// Applies apelint.toml's `[[suppress]]` tables: drops the findings of each one's rule in its
/// paths, unless it has expired (after its `until` day), and returns how many it dropped, with a
/// hit for each that is expired, names no known rule, or silenced nothing although its rule ran.
pub fn apply_configured(
    findings: &mut Vec<Finding>,
    configured: &[crate::config::ConfigSuppression],
    known: &[&str],
    ran: &HashSet<&str>,
    now: i64,
) -> (usize, Vec<Hit>) {
    const DAY: i64 = 86_400;
    let mut bad = Vec::new();
    let before = findings.len();
    let mut active = Vec::new();
    let known_ids: HashSet<&str> = known.iter().copied().collect();
    let mut suggestions = crate::rule::Suggestions::new(known.iter().copied());
    for suppression in configured {
        let expired = suppression.until.as_ref().filter(|(_, day)| now >= day + DAY);
        if let Some((until, _)) = expired {
            let message = format!(
                "the suppression of {} in {} expired on {until} ({}): its findings are reported again; fix them or extend it",
                code(&suppression.rule),
                code(&suppression.location.path),
                code(&suppression.reason)
            );
            bad.push(Hit::at(suppression.location.clone(), message, suppression.rule.clone()));
            continue;
        }
        if !known_ids.contains(suppression.rule.as_str()) {
            let mut message =
                format!("{} names no known rule", code(&format!("[[suppress]] rule = {:?}", suppression.rule)));
            if let Some(close) = suggestions.for_name(&suppression.rule) {
                message.push_str(&format!("; {close}"));
            }
            bad.push(Hit::at(suppression.location.clone(), message, suppression.rule.clone()));
            continue;
        }
        active.push(suppression);
    }
    // One pass over the findings: each rule's suppressions as one glob list, a finding going to the
    // first suppression (in apelint.toml's order) that covers it, as if each were applied in turn.
    let mut by_rule: HashMap<&str, (FirstGlob, Vec<usize>, Option<usize>)> = HashMap::new();
    {
        // Per rule: its globs, the suppression each comes from, and the first without paths.
        type Listed = (Vec<globset::Glob>, Vec<usize>, Option<usize>);
        let mut lists: HashMap<&str, Listed> = HashMap::new();
        for (at, suppression) in active.iter().enumerate() {
            let entry = lists.entry(suppression.rule.as_str()).or_default();
            if suppression.paths.is_empty() {
                entry.2.get_or_insert(at);
            }
            for path in &suppression.paths {
                // Checked when the configuration was read.
                if let Ok(glob) = globset::Glob::new(path) {
                    entry.0.push(glob);
                    entry.1.push(at);
                }
            }
        }
        for (rule, (globs, owners, everywhere)) in lists {
            by_rule.insert(rule, (FirstGlob::new(&globs), owners, everywhere));
        }
    }
    let mut used = vec![false; active.len()];
    findings.retain(|finding| {
        let Some((globs, owners, everywhere)) = by_rule.get(finding.rule.as_str()) else { return true };
        // Globs are listed in the suppressions' order: the first that matches is the first owner's.
        let first = globs.first(&finding.location.path).map(|glob| owners[glob]).into_iter().chain(*everywhere).min();
        match first {
            Some(at) => {
                used[at] = true;
                false
            }
            None => true,
        }
    });
    for (suppression, used) in active.iter().zip(used) {
        if !used && ran.contains(suppression.rule.as_str()) {
            let message =
                format!("{} suppresses nothing", code(&format!("[[suppress]] rule = {:?}", suppression.rule)));
            bad.push(Hit::at(suppression.location.clone(), message, suppression.rule.clone()));
        }
    }
    (before - findings.len(), bad)
}

/// Globs this many or fewer are matched as one set, every match listed.
const GLOBS_PER_LEAF: usize = 32;

/// A list of globs that finds, for a path, the first of them that matches it with a few set queries
/// however long the list is: a set for each half of the list, each quarter, and so on, searched from
/// the top. A path that many globs match (a thousand `[[suppress]]` tables for `**`) costs the
/// depth of the halving, not one step per glob.
struct FirstGlob {
    set: globset::GlobSet,
    /// The halves and where the second starts, for a list longer than [`GLOBS_PER_LEAF`].
    halves: Option<Box<(FirstGlob, usize, FirstGlob)>>,
}

impl FirstGlob {
    fn new(globs: &[globset::Glob]) -> FirstGlob {
        // A list that does not compile as one set (past the regex size limit) matches nothing,
        // whatever its halves would.
        FirstGlob::build(globs).unwrap_or(FirstGlob { set: globset::GlobSet::empty(), halves: None })
    }

    fn build(globs: &[globset::Glob]) -> Option<FirstGlob> {
        let mut builder = globset::GlobSetBuilder::new();
        for glob in globs {
            builder.add(glob.clone());
        }
        let set = builder.build().ok()?;
        // Halves that do not compile (they would, being smaller) leave every match listed.
        let middle = globs.len() / 2;
        let halves = (globs.len() > GLOBS_PER_LEAF)
            .then(|| Some((FirstGlob::build(&globs[..middle])?, middle, FirstGlob::build(&globs[middle..])?)))
            .flatten()
            .map(Box::new);
        Some(FirstGlob { set, halves })
    }

    /// The index of the first glob that matches `path`.
    fn first(&self, path: &str) -> Option<usize> {
        let candidate = globset::Candidate::new(path);
        if !self.set.is_match_candidate(&candidate) {
            return None;
        }
        let mut node = self;
        let mut offset = 0;
        while let Some(halves) = &node.halves {
            let (left, middle, right) = halves.as_ref();
            if left.set.is_match_candidate(&candidate) {
                node = left;
            } else {
                node = right;
                offset += middle;
            }
        }
        node.set.matches_candidate(&candidate).into_iter().min().map(|glob| offset + glob)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: &str, line: usize) -> Finding {
        Finding {
            rule: rule.into(),
            family: "observability".into(),
            severity: crate::finding::Severity::Warning,
            message: String::new(),
            help: None,
            scope: Scope::File,
            location: Location {
                path: "a.py".into(),
                start: Position { line, column: 1 },
                end: Position { line, column: 2 },
            },
            fingerprint: String::new(),
            key: String::new(),
            cause: None,
            members: Vec::new(),
        }
    }

    #[test]
    fn comments_alone_cover_the_next_line_and_trailing_ones_their_own() {
        let text = "# apelint-ignore: print-debugging -- demo output\nprint(1)\nprint(2)  # apelint-ignore: print-debugging -- ok\nprint(3)\n";
        let found = parse("a.py", text);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].lines, 1..=2);
        assert_eq!(found[1].lines, 3..=3);
        assert_eq!(found[0].reason.as_deref(), Some("demo output"));
        let mut findings =
            vec![finding("print-debugging", 2), finding("print-debugging", 3), finding("print-debugging", 4)];
        let ran = HashSet::from(["print-debugging"]);
        let (dropped, bad) = apply(&mut findings, &found, &["print-debugging"], &ran);
        assert_eq!(dropped, 2);
        assert_eq!(findings.len(), 1);
        assert!(bad.is_empty(), "{bad:?}");
    }

    #[test]
    fn prose_and_strings_are_not_suppressions() {
        let text =
            "Use `apelint-ignore: <rule-id> -- <reason>` to silence a rule.\nx = \"apelint-ignore: print-debugging\"\n";
        assert!(parse("README.md", text).is_empty());
        assert_eq!(
            parse("a.md", "<!-- apelint-ignore-file: readme-thin -- generated -->\n")[0].reason.as_deref(),
            Some("generated")
        );
        // A comment opener inside a string literal, a Markdown code block or inline code is text.
        let code = "let t = \"// apelint-ignore: print-debugging -- typo\";\nlet u = \"<!-- apelint-ignore-file: readme-thin -->\";\n";
        assert!(parse("a.rs", code).is_empty());
        let markdown = "```python\nprint(x)  # apelint-ignore: print-debugging -- demo\n```\nSee `<!-- apelint-ignore-file: readme-thin -- why -->`.\n";
        assert!(parse("README.md", markdown).is_empty());
        assert_eq!(parse("a.py", "print(\"x\")  # apelint-ignore: print-debugging -- the output\n").len(), 1);
    }

    #[test]
    fn unused_unknown_and_reasonless_suppressions_are_reported() {
        let text = "// apelint-ignore: print-debuging -- typo\n// apelint-ignore: error-swallowed -- nothing here\n// apelint-ignore-file: print-debugging\n";
        let found = parse("a.py", text);
        let mut findings = vec![finding("print-debugging", 9)];
        let ran = HashSet::from(["print-debugging", "error-swallowed"]);
        let (dropped, bad) = apply(&mut findings, &found, &["print-debugging", "error-swallowed"], &ran);
        assert_eq!(dropped, 1);
        let messages: Vec<&str> = bad.iter().map(|hit| hit.message.as_str()).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].contains("did you mean `print-debugging`"));
        assert!(messages[1].contains("suppresses nothing"));
        assert!(messages[2].contains("gives no reason"));
    }

    #[test]
    fn the_first_matching_glob_is_found_in_a_long_list() {
        let patterns: Vec<String> = (0..300)
            .map(|at| match at % 4 {
                0 => format!("src/m{at}/**"),
                1 => format!("{{x{at},docs/**}}"),
                2 => "**/*.py".to_string(),
                _ => format!("a/b{at}.rs"),
            })
            .collect();
        let globs: Vec<globset::Glob> = patterns.iter().map(|pattern| globset::Glob::new(pattern).unwrap()).collect();
        let first = FirstGlob::new(&globs);
        for path in ["src/m8/x.rs", "docs/a.md", "app/a.py", "a/b7.rs", "a/b299.rs", "src/m296/y", "nothing.txt"] {
            let expected = globs.iter().position(|glob| glob.compile_matcher().is_match(path));
            assert_eq!(first.first(path), expected, "{path}");
        }
        assert!(first.halves.is_some(), "a long list is searched by halves");
    }

    #[test]
    fn suppressions_cover_their_lines_and_files_only() {
        let text = "x\n# apelint-ignore: print-debugging -- a\nprint(1)\nprint(2)  # apelint-ignore: print-debugging, error-swallowed -- b\n";
        let mut found = parse("a.py", text);
        found.extend(parse(
            "b.py",
            "# apelint-ignore-file: print-debugging -- c\n# apelint-ignore-file: print-debugging -- d\n",
        ));
        found.extend(parse("c.py", "# apelint-ignore-file: print-debugging -- e\n"));
        let mut findings = vec![
            finding("print-debugging", 1),
            finding("print-debugging", 2),
            finding("print-debugging", 3),
            finding("print-debugging", 4),
            finding("error-swallowed", 4),
            finding("error-swallowed", 3),
        ];
        let mut elsewhere = finding("print-debugging", 40);
        elsewhere.location.path = "b.py".into();
        elsewhere.scope = Scope::Repository;
        findings.push(elsewhere);
        let ran = HashSet::from(["print-debugging", "error-swallowed"]);
        let (dropped, bad) = apply(&mut findings, &found, &["print-debugging", "error-swallowed"], &ran);
        let kept: Vec<(&str, usize)> =
            findings.iter().map(|finding| (finding.rule.as_str(), finding.location.start.line)).collect();
        assert_eq!(kept, [("print-debugging", 1), ("error-swallowed", 3)]);
        assert_eq!(dropped, 5);
        // Both whole-file comments of b.py were used; c.py's silenced nothing.
        let messages: Vec<String> = bad
            .iter()
            .map(|hit| match &hit.place {
                crate::finding::Place::File(location) => format!("{} {}", location.path, hit.message),
                crate::finding::Place::Repository { .. } => hit.message.clone(),
            })
            .collect();
        assert_eq!(messages, ["c.py `apelint-ignore-file: print-debugging` suppresses nothing here"]);
    }

    #[test]
    fn a_rule_that_did_not_run_is_not_called_unused() {
        let found = parse("a.py", "x = 1  # apelint-ignore: error-swallowed -- legacy\n");
        let (_, bad) = apply(&mut Vec::new(), &found, &["error-swallowed"], &HashSet::new());
        assert!(bad.is_empty());
    }
}
