//! The files the findings point at, read once for every reporter: the text of each file with a
//! finding in it, through the repository's `Boundary`, and whether each repository-level finding's
//! anchor is a file.

use crate::facts::Facts;
use crate::facts::text::SNIPPET_MAX_SIZE;
use crate::finding::{Finding, Scope};
use crate::report::Sources;
use std::collections::HashSet;

/// What reporters may show of the files `findings` point at; their texts only when `texts` (some
/// reporter shows them). A file is read up to [`SNIPPET_MAX_SIZE`], past the run's own limit, and
/// not through `Facts::read`: a file shown without its lines is not a file the checks skipped.
pub fn read(facts: &Facts, findings: &[Finding], texts: bool) -> Sources {
    let mut sources = Sources::default();
    let mut seen: HashSet<(Scope, &str)> = HashSet::new();
    for finding in findings {
        let path = finding.location.path.as_str();
        if !seen.insert((finding.scope, path)) {
            continue;
        }
        match finding.scope {
            Scope::File if texts => {
                if let Ok(text) = facts.read_up_to(path, SNIPPET_MAX_SIZE) {
                    sources.add_text(path, text);
                }
            }
            Scope::File => {}
            Scope::Repository => {
                if facts.is_file_inside(path) {
                    sources.add_file(path);
                }
            }
        }
    }
    sources
}
