//! Every code pattern of every rule compiled, for every language: a run compiles only the languages
//! the repository holds, so `apelint rules` is where a rule author sees them all checked.

use super::Rule;
use crate::check::{Check, PatternSpec};
use crate::diag::{Problem, Problems};
use rayon::prelude::*;
use std::collections::HashSet;

/// Compiles each distinct pattern of `rules` once, in parallel; every one that does not compile is
/// a problem at its line.
pub fn validate_patterns(rules: &[Rule]) -> Result<(), Problems> {
    let mut specs: Vec<&PatternSpec> = Vec::new();
    let mut seen = HashSet::new();
    for rule in rules {
        let checks = std::iter::once(&rule.check).chain(rule.variants.iter().map(|variant| &variant.check));
        for spec in checks.flat_map(Check::patterns) {
            if seen.insert((spec.lang, spec.text.as_str())) {
                specs.push(spec);
            }
        }
    }
    let found: Vec<Problem> = specs.par_iter().filter_map(|spec| spec.validate()).collect();
    let mut problems = Problems::new();
    for problem in found {
        problems.push(problem);
    }
    problems.finish(())
}
