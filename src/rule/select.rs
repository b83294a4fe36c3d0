//! Which rules run: `select` and `ignore` (rule ids or families, from `apelint.toml` and the command
//! line) applied to the loaded rules, rules that are off dropped, and every unknown name reported
//! at once.

use super::{Family, Level, Rule};
use crate::diag::{Problem, Problems, SourceFile, did_you_mean};
use std::collections::BTreeSet;
use std::ops::Range;

/// A rule id or family named by the user, with its span when `apelint.toml` named it.
#[derive(Debug, Clone)]
pub struct Selector {
    pub text: String,
    pub span: Option<Range<usize>>,
}

/// The names to select and to ignore, in the order they are checked.
#[derive(Debug, Clone, Default)]
pub struct Selection<'a> {
    /// The configuration file the spanned names come from.
    pub file: Option<&'a SourceFile>,
    /// Only these rules or families; every rule when empty.
    pub select: Vec<Selector>,
    /// Not these rules or families.
    pub ignore: Vec<Selector>,
    /// Run preview rules too, not only those selected by id.
    pub preview: bool,
}

/// The rules of `rules` that `selection` keeps and that are not off (nor preview rules it does
/// not ask for), in their order; an unknown
/// name is a problem, with the closest rule or family as help.
pub fn select<'r>(rules: &'r [Rule], selection: &Selection<'_>) -> Result<Vec<&'r Rule>, Problems> {
    let mut problems = Problems::new();
    let ids: Vec<&str> = rules.iter().map(|rule| rule.id.as_str()).collect();
    for name in selection.select.iter().chain(&selection.ignore) {
        if Family::parse(&name.text).is_some() || ids.contains(&name.text.as_str()) {
            continue;
        }
        let candidates = ids.iter().copied().chain(Family::ALL.iter().map(|family| family.as_str()));
        let help = did_you_mean(&name.text, candidates)
            .unwrap_or_else(|| "`apelint rules` lists every rule and family".to_string());
        let message = format!("no rule or family named `{}`", name.text);
        let problem = match (&name.span, selection.file) {
            (Some(span), Some(file)) => Problem::at(file, span.clone(), message, "unknown"),
            _ => Problem::usage(message),
        };
        problems.push(problem.with_help(help));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let selected: Vec<&str> = selection.select.iter().map(|name| name.text.as_str()).collect();
    let ignored: BTreeSet<&str> = selection.ignore.iter().map(|name| name.text.as_str()).collect();
    let named = |rule: &Rule, name: &str| name == rule.id || name == rule.family.as_str();
    Ok(rules
        .iter()
        .filter(|rule| rule.level != Level::Off)
        // A preview rule runs when asked for by its id (a family does not ask for it), or with
        // `--preview`.
        .filter(|rule| !rule.preview || selection.preview || selected.contains(&rule.id.as_str()))
        .filter(|rule| selected.is_empty() || selected.iter().any(|name| named(rule, name)))
        .filter(|rule| !ignored.iter().any(|name| named(rule, name)))
        .collect())
}
