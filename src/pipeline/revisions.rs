//! Judging commits from git objects: the merge base of a change, for `--new-since`, whose findings
//! are matched with the working tree's by fingerprint, so that a pull request is judged on what it
//! brings and not on what was there before it.

use super::diff::Base;
use super::{Failure, Prepared};
use crate::baseline::{Applied, Baseline, MergeBase};
use crate::diag::Problem;
use crate::engine::Outcome;
use crate::facts::Facts;
use crate::facts::history::Unavailable;
use crate::facts::source::{self, CommitTree};
use std::collections::{HashMap, HashSet};

/// The comparison with the merge base: what it hid and found fixed, with the fingerprints it knows
/// (as for a baseline file), and the new findings.
pub type Compared = ((Applied, HashSet<String>), Outcome);

/// Judges the merge base of HEAD and `since` with the same rules, configuration and clock, and
/// keeps of `outcome` the findings it did not have. `None` when the comparison cannot be made and
/// every finding is reported (said on standard error); an unknown ref named on the command line
/// is an error.
pub fn compare(
    prepared: &Prepared,
    facts: &Facts,
    outcome: &Outcome,
    since: &Base,
) -> Result<Option<Compared>, Failure> {
    let (Base::Named(reference) | Base::PullRequest(reference)) = since;
    let merge_base = match merge_base(prepared, facts, reference) {
        Ok(found) => found,
        Err(Missing::Reference(unavailable)) if matches!(since, Base::Named(_)) => {
            return Err(Problem::usage(format!("--new-since: {}", unavailable.reason))
                .with_help(unavailable.hint)
                .into());
        }
        Err(Missing::Reference(unavailable) | Missing::MergeBase(unavailable)) => {
            eprintln!(
                "apelint: warning: every finding is reported, not only the new ones: {} ({})",
                unavailable.reason, unavailable.hint
            );
            return Ok(None);
        }
    };
    let MergeBaseFound { tree, head, renames } = merge_base;
    let commit = tree.id().to_string()[..12].to_string();
    // The merge base's tree, with the cadence of HEAD's history: what the cadence says (a dormant
    // repository, the commits per week) is the same on both sides, so a finding is new only when
    // the change brings it, not because the clock or the commit count moved. What changed under a
    // path (an edited migration) is read up to the merge base: the change's own edits are new.
    let mut settings = facts.settings().clone();
    settings.history.cadence_at = Some(head);
    let mut base = prepared.judge_commit(settings, tree)?;
    for finding in &mut base.findings {
        if let Some(renamed) = renames.get(&finding.location.path) {
            // The fingerprint hashes the key too, which may name the file (`{path} {commit}`).
            let old = std::mem::replace(&mut finding.location.path, renamed.clone());
            if finding.key == old {
                finding.key.clone_from(renamed);
            } else if let Some(rest) = finding.key.strip_prefix(&format!("{old} ")) {
                finding.key = format!("{renamed} {rest}");
            }
        }
    }
    crate::finding::finalise(&mut base.findings);
    let known: HashSet<String> = base.findings.iter().map(|finding| finding.fingerprint.clone()).collect();
    let mut shown = outcome.clone();
    let mut applied = Baseline::of(&base.findings).apply(std::path::Path::new(""), &mut shown.findings);
    applied.file.clear();
    applied.new_since = Some(MergeBase { reference: reference.clone(), commit });
    Ok(Some(((applied, known), shown)))
}

enum Missing {
    /// The ref names nothing this repository holds.
    Reference(Unavailable),
    /// The ref is known, but where the change began cannot be found or read.
    MergeBase(Unavailable),
}

struct MergeBaseFound {
    tree: CommitTree,
    /// The commit the change is judged at (HEAD, or the commit judged from objects).
    head: git2::Oid,
    /// Paths (relative to the checked folder) that the change renamed, old to new.
    renames: HashMap<String, String>,
}

fn merge_base(prepared: &Prepared, facts: &Facts, reference: &str) -> Result<MergeBaseFound, Missing> {
    let (repository, prefix) = source::repository_of(&prepared.root).map_err(Missing::Reference)?;
    let other = source::find_commit(&repository, reference).map_err(Missing::Reference)?;
    let head = match facts.commit() {
        Some(commit) => commit.id(),
        None => repository.head().and_then(|head| head.peel_to_commit()).map(|commit| commit.id()).map_err(|_| {
            Missing::MergeBase(Unavailable {
                reason: "HEAD names no commit yet".to_string(),
                hint: "commit the work first".to_string(),
            })
        })?,
    };
    let shallow = if repository.is_shallow() {
        "the clone is shallow: fetch the history back to where the change began (`fetch-depth: 0` in actions/checkout)"
    } else {
        "the two histories share no commit"
    };
    let found = repository.merge_base(head, other).map_err(|error| {
        Missing::MergeBase(Unavailable {
            reason: format!(
                "no merge base of HEAD and `{}` was found ({})",
                crate::escape::printable(reference),
                error.message()
            ),
            hint: shallow.to_string(),
        })
    })?;
    let tree = CommitTree::new(&repository, found, &prefix).map_err(Missing::MergeBase)?;
    let renames = renames(&repository, found, facts.commit().map(CommitTree::id), &prefix);
    Ok(MergeBaseFound { tree, head, renames })
}

/// The files renamed between commit `base` and `head` (the working tree and index when `None`), as
/// git detects renames (content at least 50% alike), relative to the checked folder. A diff that
/// cannot be made finds no rename: a moved file's findings then count as new.
fn renames(
    repository: &git2::Repository,
    base: git2::Oid,
    head: Option<git2::Oid>,
    prefix: &str,
) -> HashMap<String, String> {
    let mut found = HashMap::new();
    let Ok(base_tree) = repository.find_commit(base).and_then(|commit| commit.tree()) else { return found };
    let mut options = git2::DiffOptions::new();
    options.include_untracked(true).recurse_untracked_dirs(true);
    let diff = match head {
        Some(head) => repository
            .find_commit(head)
            .and_then(|commit| commit.tree())
            .and_then(|tree| repository.diff_tree_to_tree(Some(&base_tree), Some(&tree), Some(&mut options))),
        None => repository.diff_tree_to_workdir_with_index(Some(&base_tree), Some(&mut options)),
    };
    let Ok(mut diff) = diff else { return found };
    let mut similar = git2::DiffFindOptions::new();
    similar.renames(true).for_untracked(true);
    if diff.find_similar(Some(&mut similar)).is_err() {
        return found;
    }
    for delta in diff.deltas().filter(|delta| delta.status() == git2::Delta::Renamed) {
        let path = |file: git2::DiffFile<'_>| {
            file.path().and_then(|path| path.to_str()).and_then(|path| path.strip_prefix(prefix)).map(str::to_string)
        };
        if let (Some(old), Some(new)) = (path(delta.old_file()), path(delta.new_file())) {
            found.insert(old, new);
        }
    }
    found
}
