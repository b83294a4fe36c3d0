//! The state of the repository's git metadata. Not being a git repository, an unborn HEAD or a
//! shallow clone are states that rules can be skipped for, never errors.

use serde::Serialize;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "state")]
pub enum GitState {
    /// No git repository at or above the path.
    NotRepository,
    /// A repository with no commit yet.
    Unborn { bare: bool },
    Repository {
        shallow: bool,
        bare: bool,
        /// The branch HEAD points at; `None` for a detached HEAD.
        branch: Option<String>,
        /// The commit judged from git objects (short id), when it is not the working tree.
        #[serde(skip_serializing_if = "Option::is_none")]
        commit: Option<String>,
    },
    /// A repository git2 could not open (corrupt, or a newer format).
    Unreadable { reason: String },
}

impl GitState {
    pub fn detect(root: &Path) -> Self {
        let repository = match git2::Repository::discover(root) {
            Ok(repository) => repository,
            Err(error) if error.code() == git2::ErrorCode::NotFound => return GitState::NotRepository,
            Err(error) => return GitState::Unreadable { reason: error.message().to_string() },
        };
        match repository.head() {
            Ok(head) => GitState::Repository {
                shallow: repository.is_shallow(),
                bare: repository.is_bare() || super::source::is_bare(root),
                branch: head.is_branch().then(|| head.shorthand().unwrap_or_default().to_string()),
                commit: None,
            },
            Err(error)
                if error.code() == git2::ErrorCode::UnbornBranch || error.code() == git2::ErrorCode::NotFound =>
            {
                GitState::Unborn { bare: repository.is_bare() }
            }
            Err(error) => GitState::Unreadable { reason: error.message().to_string() },
        }
    }

    /// The state when commit `id` is judged from objects: the branch is named only when HEAD is
    /// that commit (`at_head`).
    pub fn at_commit(self, id: git2::Oid, at_head: bool) -> Self {
        match self {
            GitState::Repository { shallow, bare, branch, .. } => GitState::Repository {
                shallow,
                bare,
                branch: branch.filter(|_| at_head),
                commit: Some(id.to_string()[..12].to_string()),
            },
            other => other,
        }
    }

    /// Whether this is a bare repository: history without a working tree.
    pub fn is_bare(&self) -> bool {
        matches!(self, GitState::Unborn { bare: true } | GitState::Repository { bare: true, .. })
    }

    pub fn describe(&self) -> String {
        match self {
            GitState::NotRepository => "not a git repository".to_string(),
            GitState::Unborn { bare: false } => "git repository with no commits".to_string(),
            GitState::Unborn { bare: true } => "bare git repository with no commits".to_string(),
            GitState::Repository { shallow, branch, commit, .. } => {
                let head = match (branch, commit) {
                    (Some(branch), Some(commit)) => format!("{branch} at commit {commit}"),
                    (Some(branch), None) => branch.clone(),
                    (None, Some(commit)) => format!("commit {commit}"),
                    (None, None) => "detached HEAD".to_string(),
                };
                match (shallow, self.is_bare()) {
                    (_, true) => format!("bare repository, {head}"),
                    (true, false) => format!("shallow clone, {head}"),
                    (false, false) => head,
                }
            }
            GitState::Unreadable { reason } => format!("unreadable git repository: {reason}"),
        }
    }
}

/// Where `root` sits inside its git repository's working tree, as a path prefix with `/` separators
/// (`services/api/`, or empty at the top or outside a repository): GitHub reads annotation and
/// SARIF paths from the repository's top.
pub fn prefix_in_repository(root: &Path) -> String {
    git2::Repository::discover(root).map(|repository| prefix_of(&repository, root)).unwrap_or_default()
}

fn prefix_of(repository: &git2::Repository, root: &Path) -> String {
    let inside = crate::facts::history::root_in_repository(repository, root);
    let parts: Vec<String> = inside.components().map(|part| part.as_os_str().to_string_lossy().into_owned()).collect();
    if parts.is_empty() { String::new() } else { format!("{}/", parts.join("/")) }
}

/// Files git tracks under `root`, relative to it; `None` outside a repository with an index. A
/// tracked file stays part of the repository even when a `.gitignore` pattern matches it.
pub fn tracked_files(root: &Path) -> Option<Vec<String>> {
    let repository = git2::Repository::discover(root).ok()?;
    repository.workdir()?;
    let prefix = prefix_of(&repository, root);
    let index = repository.index().ok()?;
    let files = index
        .iter()
        .filter_map(|entry| String::from_utf8(entry.path).ok())
        .filter_map(|path| path.strip_prefix(&prefix).map(str::to_string))
        .collect();
    Some(files)
}

/// Files git tracks in the folders that enclose `root` inside its repository (the top, and each
/// folder between it and `root`), each relative to its enclosing folder: `.github/workflows/ci.yml`
/// from the top, `AGENTS.md` from `apps/`. Files inside `root` are not listed; empty when `root`
/// is the top, or outside a repository with an index.
pub fn enclosing_files(root: &Path) -> Vec<String> {
    let Ok(repository) = git2::Repository::discover(root) else { return Vec::new() };
    let prefix = prefix_of(&repository, root);
    if prefix.is_empty() {
        return Vec::new();
    }
    let Ok(index) = repository.index() else { return Vec::new() };
    // "", "apps/", ... : every enclosing folder, as a prefix.
    let enclosing: Vec<&str> = std::iter::once("")
        .chain(prefix.match_indices('/').map(|(at, _)| &prefix[..=at]))
        .filter(|folder| *folder != prefix)
        .collect();
    let mut files = Vec::new();
    for entry in index.iter() {
        let Ok(path) = String::from_utf8(entry.path) else { continue };
        if path.starts_with(&prefix) {
            continue;
        }
        for folder in &enclosing {
            if let Some(relative) = path.strip_prefix(folder) {
                files.push(relative.to_string());
            }
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_plain_folders_and_unborn_repositories() {
        let dir = tempfile::tempdir().unwrap();
        // A temp dir may sit inside some repository on a developer's machine; only assert when not.
        if git2::Repository::discover(dir.path()).is_err() {
            assert_eq!(GitState::detect(dir.path()), GitState::NotRepository);
        }
        git2::Repository::init(dir.path()).unwrap();
        assert_eq!(GitState::detect(dir.path()), GitState::Unborn { bare: false });
    }
}
