//! Runs rules over facts: settles what the tree alone can tell, reads every selected file once for all
//! checks that need it, then turns hits into sorted findings.

use crate::check::{Check, Compiled, FileCtx, Gathered, Pre, ScanCx};
use crate::diag::Problems;
use crate::facts::Facts;
use crate::facts::generated::Kind as Written;
use crate::facts::text::Skip;
use crate::finding::{Finding, Hit, Location, Place, Scope, finalise};
use crate::rule::{Level, Rule};
use crate::suppress;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeSet, HashSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// A rule that was not judged, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedRule {
    pub rule: String,
    pub reason: String,
    /// `not-applicable` (the rule does not fit this repository) or `cannot-judge` (it fits, but the
    /// facts it needs are missing).
    pub kind: SkipKind,
    /// What would let apelint judge the rule (`git fetch --unshallow`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SkipKind {
    NotApplicable,
    CannotJudge,
}

#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    /// Findings silenced by inline `apelint-ignore` comments.
    pub suppressed: usize,
    pub skipped: Vec<SkippedRule>,
    /// Rules that were judged.
    pub ran: usize,
}

/// How a check will be settled.
enum Plan {
    Done(Vec<Hit>),
    /// Waits for the scan; the index is into the list of scanned checks.
    Scan(usize),
    Any(Vec<Plan>),
}

/// Runs `rules` (already filtered by selection and severity) over `facts`; `known` is every rule id
/// loaded, active or not, against which inline suppressions are checked.
pub fn run(
    rules: &[&Rule],
    known: &[&str],
    facts: &Facts,
    configured: &[crate::config::ConfigSuppression],
) -> Result<Outcome, Problems> {
    let mut outcome = Outcome::default();
    let mut plans: Vec<(&Rule, Plan)> = Vec::new();
    let mut scanned: Vec<&dyn Compiled> = Vec::new();
    // The rule that reports bad suppressions is judged after every other rule.
    let mut hygiene = None;
    for rule in rules {
        let check = rule.check_for(&facts.profile().profiles);
        if matches!(check, Check::Suppressions) {
            hygiene = Some(*rule);
            continue;
        }
        if let Some((kind, reason, hint)) = skip_reason(rule, check, facts) {
            outcome.skipped.push(SkippedRule { rule: rule.id.clone(), reason, kind, hint });
            continue;
        }
        let plan = plan(check, facts, &mut scanned);
        plans.push((rule, plan));
    }
    outcome.ran = plans.len();

    let (mut results, mut suppressions) = scan(&scanned, facts)?;
    let ran: HashSet<&str> = plans.iter().map(|(rule, _)| rule.id.as_str()).collect();
    for (rule, plan) in plans {
        let mut hits = settle(plan, &scanned, &mut results, facts);
        // Generated and vendored trees are not the repository's writing: nothing there is judged,
        // and the files are listed as skipped, with the reason.
        hits.retain(|hit| match &hit.place {
            Place::File(location) => match facts.generated().kind(&location.path) {
                Some(kind) => {
                    facts.skip(
                        &location.path,
                        match kind {
                            Written::Generated => Skip::Generated,
                            Written::Vendored => Skip::Vendored,
                        },
                    );
                    false
                }
                None => true,
            },
            Place::Repository { .. } => true,
        });
        let level = rule.level_for(&facts.profile().profiles);
        let wording = Wording::of(rule);
        outcome.findings.extend(hits.into_iter().map(|hit| finding(&wording, level, hit, facts)));
    }
    // Findings in files the scan did not read (a repository-level finding anchored at README.md)
    // may still be silenced by a comment there.
    let unread: BTreeSet<&str> = outcome
        .findings
        .iter()
        .map(|finding| finding.location.path.as_str())
        .filter(|path| !suppressions.read.contains(*path) && facts.tree().exists(path) && !facts.tree().is_dir(path))
        .collect();
    for path in unread {
        if let Some(text) = facts.read(path) {
            suppressions.found.extend(suppress::parse(path, &text));
        }
    }
    let (suppressed, mut bad) = suppress::apply(&mut outcome.findings, &suppressions.found, known, &ran);
    let (by_config, bad_config) =
        suppress::apply_configured(&mut outcome.findings, configured, known, &ran, facts.now());
    bad.extend(bad_config);
    outcome.suppressed = suppressed + by_config;
    if let Some(rule) = hygiene {
        outcome.ran += 1;
        let level = rule.level_for(&facts.profile().profiles);
        let wording = Wording::of(rule);
        outcome.findings.extend(bad.into_iter().map(|hit| finding(&wording, level, hit, facts)));
    }
    finalise(&mut outcome.findings);
    outcome.skipped.sort_by(|a, b| a.rule.cmp(&b.rule));
    Ok(outcome)
}

/// Why a rule is not judged here, in the order a reader needs it: off for this profile, no working
/// tree, a profile it does not fit (whatever the history), no readable history, an unmet gate.
fn skip_reason(rule: &Rule, check: &Check, facts: &Facts) -> Option<(SkipKind, String, Option<String>)> {
    if rule.level_for(&facts.profile().profiles) == Level::Off {
        return Some((SkipKind::NotApplicable, format!("off for {} repositories", facts.profile().describe()), None));
    }
    // A bare repository is judged at HEAD's tree; one with no commit has no tree at all.
    if facts.git().is_bare() && facts.commit().is_none() && check.needs_worktree() {
        let reason = "a bare repository with no commit has no tree to check".to_string();
        return Some((SkipKind::CannotJudge, reason, None));
    }
    if let Some(reason) = wrong_profile(rule, facts) {
        return Some((SkipKind::NotApplicable, reason, None));
    }
    if check.needs_history() || rule.when.needs_history() {
        if let Err(unavailable) = facts.history() {
            let hint = Some(unavailable.hint.clone()).filter(|hint| !hint.is_empty());
            return Some((SkipKind::CannotJudge, unavailable.reason.clone(), hint));
        }
    }
    not_applicable(rule, facts).map(|reason| (SkipKind::NotApplicable, reason, None))
}

fn wrong_profile(rule: &Rule, facts: &Facts) -> Option<String> {
    let profile = facts.profile();
    (rule.applies_to.is_some() && !rule.applies(&profile.profiles))
        .then(|| format!("applies to {}; this repository is {}", rule.applies_to_text(), profile.describe()))
}

fn not_applicable(rule: &Rule, facts: &Facts) -> Option<String> {
    rule.when.unmet(facts)
}

fn plan<'r>(check: &'r Check, facts: &Facts, scanned: &mut Vec<&'r dyn Compiled>) -> Plan {
    match check {
        Check::Any(children) => {
            // Settle every child that needs no file first: one that passes makes the scan unnecessary.
            let mut settled: Vec<Option<Vec<Hit>>> = Vec::new();
            for child in children {
                settled.push(match child {
                    Check::One(one) => match one.pre(facts) {
                        Pre::Done(hits) => Some(hits),
                        Pre::Scan => None,
                    },
                    Check::Any(_) | Check::Suppressions => None,
                });
            }
            if settled.iter().any(|hits| hits.as_ref().is_some_and(Vec::is_empty)) {
                return Plan::Done(Vec::new());
            }
            let plans = children
                .iter()
                .zip(settled)
                .map(|(child, hits)| match hits {
                    Some(hits) => Plan::Done(hits),
                    None => plan(child, facts, scanned),
                })
                .collect();
            Plan::Any(plans)
        }
        Check::One(one) => match one.pre(facts) {
            Pre::Done(hits) => Plan::Done(hits),
            Pre::Scan => {
                scanned.push(one.as_ref());
                Plan::Scan(scanned.len() - 1)
            }
        },
        Check::Suppressions => unreachable!("the engine judges `suppressions` after every other rule"),
    }
}

/// The inline suppressions of the files the scan read, and which files those were.
#[derive(Default)]
struct Suppressions {
    found: Vec<suppress::Suppression>,
    read: HashSet<String>,
}

/// Reads each file that some check selects, once, and shows it to every check that selects it.
fn scan(checks: &[&dyn Compiled], facts: &Facts) -> Result<(Vec<Option<Gathered>>, Suppressions), Problems> {
    if checks.is_empty() {
        return Ok((Vec::new(), Suppressions::default()));
    }
    // Every code check's patterns, compiled into one query per language when the first file of that
    // language is parsed.
    let parts: Vec<(usize, crate::syntax::Lang, &str)> = checks
        .iter()
        .enumerate()
        .flat_map(|(at, check)| check.patterns().iter().map(move |pattern| (at, pattern.lang, pattern.text.as_str())))
        .collect();
    let plan =
        (!parts.is_empty()).then(|| crate::syntax::Plan::new(&parts).with_cache(facts.settings().matches.clone()));
    let outs: Vec<Mutex<Gathered>> = checks.iter().map(|check| Mutex::new(check.start())).collect();
    let settled: Vec<AtomicBool> = checks.iter().map(|_| AtomicBool::new(false)).collect();
    let suppressions = Mutex::new(Suppressions::default());
    facts.tree().files.par_iter().for_each(|path| {
        let wanted: Vec<usize> =
            (0..checks.len()).filter(|at| !settled[*at].load(Ordering::Relaxed) && checks[*at].selects(path)).collect();
        if wanted.is_empty() || facts.is_link_within(path) {
            return;
        }
        let Some(text) = facts.read(path) else { return };
        let found = suppress::parse(path, &text);
        {
            let mut suppressions = suppressions.lock().expect("no panics while holding the lock");
            suppressions.read.insert(path.clone());
            suppressions.found.extend(found);
        }
        let generated_too = wanted.iter().any(|at| checks[*at].reads_generated());
        let file = FileCtx::new(path, &text, plan.as_ref()).with_generated(generated_too);
        for at in wanted {
            let check = checks[at];
            let mut out = check.start();
            check.scan(&file, &ScanCx { facts, owner: at }, &mut out);
            if check.settled(&out) {
                settled[at].store(true, Ordering::Relaxed);
            }
            if !check.is_empty(&out) {
                check.merge(&mut outs[at].lock().expect("no panics while holding the lock"), out);
            }
        }
    });
    // A pattern that does not compile is a broken rule: reported at its line, and the run stops.
    let errors = plan.as_ref().map(crate::syntax::Plan::errors).unwrap_or_default();
    if !errors.is_empty() {
        let mut problems = Problems::new();
        for error in errors {
            let spec = checks.get(error.owner).and_then(|check| {
                check.patterns().iter().filter(|pattern| pattern.lang == error.lang).nth(error.part_in_lang)
            });
            if let Some(spec) = spec {
                problems.push(spec.problem(&error.error));
            }
        }
        return Err(problems);
    }
    let outs = outs.into_iter().map(|out| Some(out.into_inner().expect("scan threads have finished"))).collect();
    Ok((outs, suppressions.into_inner().expect("scan threads have finished")))
}

fn settle(plan: Plan, scanned: &[&dyn Compiled], results: &mut [Option<Gathered>], facts: &Facts) -> Vec<Hit> {
    match plan {
        Plan::Done(hits) => hits,
        Plan::Scan(at) => scanned[at].post(facts, results[at].take().expect("each scanned result is settled once")),
        Plan::Any(children) => {
            // Every child must be settled, so that each scanned result is taken exactly once.
            let mut passed = false;
            let mut details = Vec::new();
            // The first file an alternative anchored its failure at (a manifest) is where the fix goes.
            let mut anchor = None;
            for child in children {
                let hits = settle(child, scanned, results, facts);
                passed |= hits.is_empty();
                for hit in hits {
                    if let Place::Repository { anchor: Some(path) } = &hit.place {
                        anchor.get_or_insert_with(|| path.clone());
                    }
                    details.push(hit.message);
                }
            }
            // Why every alternative failed, when each says it in words; else the rule's summary.
            let message =
                if details.iter().all(|detail| !detail.is_empty()) { details.join("; ") } else { String::new() };
            let hit = Hit::repository(message);
            match (passed, anchor) {
                (true, _) => Vec::new(),
                (false, Some(path)) => vec![hit.anchored(path)],
                (false, None) => vec![hit],
            }
        }
    }
}

/// Chars of a message kept: a finding quoting a minified line says enough in its first thousand.
const MAX_MESSAGE: usize = 1_000;
/// Chars of a `{subject}` kept in a message.
const MAX_SUBJECT: usize = 200;
/// Bytes of a message written before it is cut: past this it holds more than [`MAX_MESSAGE`] chars,
/// whatever they are, and the cut keeps the same first ones whatever follows.
const MAX_MESSAGE_BYTES: usize = 4 * (MAX_MESSAGE + 1);

/// What every finding of a rule shares, worked out once per rule rather than once per finding: its
/// message template cut into pieces, and its help on one line.
struct Wording<'r> {
    rule: &'r Rule,
    template: Option<Vec<Piece<'r>>>,
    help: Option<String>,
}

/// A piece of a message template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece<'t> {
    Text(&'t str),
    /// `{detail}`, this many times in a row.
    Detail(usize),
    Subject,
}

impl<'r> Wording<'r> {
    fn of(rule: &'r Rule) -> Self {
        Wording { rule, template: rule.message.as_deref().map(pieces), help: one_line_help(&rule.docs.fix) }
    }
}

/// A template's text and its `{detail}` and `{subject}` placeholders, read in one pass: a `{` that
/// starts neither is text. Text that follows text is one piece, and so are repeated `{detail}`s.
fn pieces(template: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    // Where the text not yet in a piece starts, and where to look for the next `{`.
    let (mut text_from, mut at) = (0, 0);
    while let Some(found) = template[at..].find('{') {
        let brace = at + found;
        let tail = &template[brace..];
        let placeholder = if tail.starts_with("{detail}") {
            Some((Piece::Detail(1), "{detail}".len()))
        } else if tail.starts_with("{subject}") {
            Some((Piece::Subject, "{subject}".len()))
        } else {
            None
        };
        let Some((piece, length)) = placeholder else {
            at = brace + 1;
            continue;
        };
        if text_from < brace {
            pieces.push(Piece::Text(&template[text_from..brace]));
        }
        match (pieces.last_mut(), piece) {
            (Some(Piece::Detail(count)), Piece::Detail(_)) => *count += 1,
            _ => pieces.push(piece),
        }
        at = brace + length;
        text_from = at;
    }
    if text_from < template.len() {
        pieces.push(Piece::Text(&template[text_from..]));
    }
    pieces
}

/// A rule's message template with `{detail}` (the check's words) and `{subject}` (the thing found,
/// as a code span) filled in; text from the repository is never read as a placeholder. Written only
/// as far as [`MAX_MESSAGE_BYTES`]: a template of a megabyte costs each finding the part it keeps.
fn fill(template: &[Piece<'_>], detail: &str, subject: &str) -> String {
    let mut out = String::new();
    let mut subject_code: Option<String> = None;
    for piece in template {
        if out.len() >= MAX_MESSAGE_BYTES {
            break;
        }
        match piece {
            Piece::Text(text) => push_bounded(&mut out, text),
            Piece::Detail(count) => {
                for _ in 0..*count {
                    if detail.is_empty() || out.len() >= MAX_MESSAGE_BYTES {
                        break;
                    }
                    push_bounded(&mut out, detail);
                }
            }
            Piece::Subject => {
                let code = subject_code.get_or_insert_with(|| crate::escape::code(&cut(subject, MAX_SUBJECT)));
                push_bounded(&mut out, code);
            }
        }
    }
    out
}

/// Appends `text`, or of a long one enough to reach [`MAX_MESSAGE_BYTES`].
fn push_bounded(out: &mut String, text: &str) {
    let room = MAX_MESSAGE_BYTES.saturating_sub(out.len());
    if text.len() <= room {
        out.push_str(text);
        return;
    }
    let mut end = room;
    while !text.is_char_boundary(end) {
        end += 1;
    }
    out.push_str(&text[..end]);
}

/// Chars of a rule's fix that every finding carries as its help: a repository's rule may hold a
/// megabyte of it, which thousands of findings would each copy; the rule's documentation keeps it
/// whole (`apelint rules`, SARIF rule help).
const MAX_HELP: usize = 2_000;

/// The fix as one line (TOML's multi-line strings wrap where the rule file did), cut to [`MAX_HELP`].
fn one_line_help(fix: &str) -> Option<String> {
    let mut line = String::new();
    for word in fix.split_whitespace() {
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        if line.len() > 4 * (MAX_HELP + 1) {
            break;
        }
    }
    (!line.is_empty()).then(|| cut(&line, MAX_HELP))
}

/// `text` cut to `limit` chars, with an ellipsis when cut.
fn cut(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

fn finding(wording: &Wording<'_>, level: Level, hit: Hit, facts: &Facts) -> Finding {
    let rule = wording.rule;
    let Level::On(severity) = level else { unreachable!("rules that are off are not run") };
    let detail = if hit.message.is_empty() { rule.summary.as_str() } else { hit.message.as_str() };
    let message = match &wording.template {
        Some(template) => cut(&fill(template, detail, &hit.subject), MAX_MESSAGE),
        None => cut(detail, MAX_MESSAGE),
    };
    let (scope, location) = match hit.place {
        Place::File(location) => (Scope::File, location),
        Place::Repository { anchor } => {
            let anchor = anchor.unwrap_or_else(|| rule.anchor.clone());
            // The fix goes in the file the repository has: its `readme.md` for a rule's `README.md`.
            let anchor = facts.tree().spelled(&anchor).map_or(anchor, str::to_string);
            (Scope::Repository, Location::anchor(anchor))
        }
    };
    Finding {
        rule: rule.id.clone(),
        family: rule.family.as_str().to_string(),
        severity,
        message,
        help: wording.help.clone(),
        scope,
        location,
        fingerprint: String::new(),
        key: hit.key,
        cause: hit.cause,
        members: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The message as a whole template filled in one pass, then cut: what `fill` must equal.
    fn reference(template: &str, detail: &str, subject: &str) -> String {
        let mut out = String::new();
        let mut rest = template;
        while let Some(at) = rest.find('{') {
            out.push_str(&rest[..at]);
            let tail = &rest[at..];
            if let Some(after) = tail.strip_prefix("{detail}") {
                out.push_str(detail);
                rest = after;
            } else if let Some(after) = tail.strip_prefix("{subject}") {
                out.push_str(&crate::escape::code(&cut(subject, MAX_SUBJECT)));
                rest = after;
            } else {
                out.push('{');
                rest = &tail[1..];
            }
        }
        out.push_str(rest);
        cut(&out, MAX_MESSAGE)
    }

    #[test]
    fn long_templates_are_filled_as_far_as_the_message_keeps() {
        let long = "é".repeat(3_000);
        let templates = [
            String::new(),
            "{detail}".to_string(),
            "error swallowed: {subject}".to_string(),
            "{{detail}} {subject {subjec} {{{".to_string(),
            "{detail}".repeat(5_000),
            format!("{}{{subject}}", "{detail}".repeat(5_000)),
            format!("x{long}{{detail}}"),
            "{subject}".repeat(2_000),
            format!("{}😀{{detail}}", "a".repeat(MAX_MESSAGE_BYTES - 2)),
            "{detail}{subject}".repeat(700),
        ];
        let details = ["", "a `b` found", long.as_str(), "{subject}"];
        let subjects = ["", "print(x)", long.as_str()];
        for template in &templates {
            let parsed = pieces(template);
            for detail in details {
                for subject in subjects {
                    assert_eq!(
                        cut(&fill(&parsed, detail, subject), MAX_MESSAGE),
                        reference(template, detail, subject),
                        "{:.40} / {:.20} / {:.20}",
                        template,
                        detail,
                        subject
                    );
                }
            }
        }
        assert_eq!(pieces("{detail}{detail}ab{c"), [Piece::Detail(2), Piece::Text("ab{c")]);
        assert!(fill(&pieces(&"y".repeat(1_000_000)), "", "").len() <= MAX_MESSAGE_BYTES);
    }

    #[test]
    fn help_is_the_fix_on_one_line_and_bounded() {
        assert_eq!(one_line_help("Add a\n  README.\n").as_deref(), Some("Add a README."));
        assert_eq!(one_line_help(" \n "), None);
        let help = one_line_help(&"word ".repeat(1_000_000)).unwrap();
        assert_eq!(help.chars().count(), MAX_HELP + 1);
        assert!(help.ends_with('…'));
    }
}
