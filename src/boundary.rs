//! What apelint may read of a repository it checks: files whose real path (symbolic links resolved)
//! lies inside the repository's working tree and outside its `.git` folders.
//!
//! A repository is hostile input: `ln -s /etc/passwd README.md`, or a link to `.git/config` (where
//! `actions/checkout` keeps a token), would otherwise put that file's lines in a code frame, a CI
//! annotation or a SARIF upload. Every read of a repository file, and of a configuration or rule
//! file found in the repository, goes through [`Boundary::read`]; a link that leaves is reported
//! as a skipped file ([`Skip::LinkOutside`]) and never opened.
//!
//! The boundary is the top of the git working tree that holds the checked folder as part of it (a
//! monorepo package may link to the LICENSE at its top), or the checked folder itself. The top is
//! the nearest folder above that holds a `.git`, never what a repository's configuration says
//! (`core.worktree = /` would make it the whole disk), and it counts only when its index tracks
//! files in the checked folder: a project inside a home directory kept in git is not part of it.
//!
//! Paths given on the command line (`--config`, `--rules`, `--baseline`) are the user's, and
//! trusted, unless they lie inside the repository: `--config ci/apelint.toml` names a file that a
//! pull request can replace with a link, so it is read within the boundary like the rest.

use crate::facts::text::{self, Skip};
use std::path::{Component, Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Boundary {
    /// The checked folder, as given.
    root: PathBuf,
    /// The checked folder, symbolic links resolved.
    real_root: Option<PathBuf>,
    /// The real path of the working tree's top (or of the checked folder outside git).
    top: Option<PathBuf>,
}

impl Boundary {
    /// The boundary for a check of `root`.
    pub fn of(root: &Path) -> Boundary {
        let real_root = root.canonicalize().ok();
        let top = real_root.as_ref().map(|real| work_tree_top(real).unwrap_or_else(|| real.clone()));
        Boundary { root: root.to_path_buf(), real_root, top }
    }

    /// Whether `path`, as given on the command line (relative to the current folder), lies inside
    /// the repository, before links are resolved: then it is repository content.
    pub fn holds(&self, path: &Path) -> bool {
        let Ok(path) = std::path::absolute(path) else { return false };
        let path = normalise(&path);
        let given = std::path::absolute(&self.root).map(|root| normalise(&root)).ok();
        [given.as_ref(), self.real_root.as_ref(), self.top.as_ref()]
            .into_iter()
            .flatten()
            .any(|base| path.starts_with(base))
            || path
                .parent()
                .and_then(|parent| parent.canonicalize().ok())
                .zip(self.top.as_ref())
                .is_some_and(|(parent, top)| parent.starts_with(top))
    }

    /// The real path of `path` (absolute, or relative to the checked folder) when it may be read:
    /// inside the boundary and not inside a `.git` folder.
    pub fn admit(&self, path: &Path) -> Result<PathBuf, Skip> {
        let joined = if path.is_absolute() { path.to_path_buf() } else { self.root.join(path) };
        let real = joined.canonicalize().map_err(|_| Skip::Unreadable)?;
        let top = self.top.as_ref().ok_or(Skip::Unreadable)?;
        let inside = real.strip_prefix(top).map_err(|_| Skip::LinkOutside)?;
        if inside.components().any(|part| matches!(part, Component::Normal(name) if name.eq_ignore_ascii_case(".git")))
        {
            return Err(Skip::LinkOutside);
        }
        Ok(real)
    }

    /// Reads `path` (relative to the checked folder, or absolute) as text when the boundary admits
    /// it; see [`text::read`] for what else is skipped.
    pub fn read(&self, path: &Path, max_size: u64) -> Result<String, Skip> {
        text::read(&self.admit(path)?, max_size)
    }

    /// Reads a file named the way a command line names it: relative to the current folder.
    pub fn read_given(&self, path: &Path, max_size: u64) -> Result<String, Skip> {
        text::read(&self.admit_given(path)?, max_size)
    }

    /// [`Boundary::admit`] for a path relative to the current folder.
    pub fn admit_given(&self, path: &Path) -> Result<PathBuf, Skip> {
        self.admit(&std::path::absolute(path).map_err(|_| Skip::Unreadable)?)
    }
}

/// The top of the git working tree that `real` (a real path) is part of: the nearest folder at or
/// above it holding a `.git` entry, when it is `real` itself or its index tracks files under `real`.
fn work_tree_top(real: &Path) -> Option<PathBuf> {
    let top = real.ancestors().find(|dir| dir.join(".git").symlink_metadata().is_ok())?;
    if top == real {
        return Some(top.to_path_buf());
    }
    let inside = real.strip_prefix(top).ok()?;
    let prefix: Vec<String> = inside.components().map(|part| part.as_os_str().to_string_lossy().into_owned()).collect();
    let prefix = format!("{}/", prefix.join("/"));
    let repository = git2::Repository::open(top).ok()?;
    let index = repository.index().ok()?;
    let tracked = index.iter().any(|entry| entry.path.starts_with(prefix.as_bytes()));
    tracked.then(|| top.to_path_buf())
}

/// `path` with `.` and `..` resolved by hand, without looking at the disk.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_repository_or_into_git_are_refused() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "TOKEN_abc123").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        git2::Repository::init(root).unwrap();
        std::fs::write(root.join("a.md"), "hello").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret"), root.join("out.md")).unwrap();
        std::os::unix::fs::symlink(root.join(".git/config"), root.join("config.md")).unwrap();
        std::os::unix::fs::symlink("a.md", root.join("in.md")).unwrap();
        let boundary = Boundary::of(root);
        assert_eq!(boundary.read(Path::new("a.md"), 100).as_deref(), Ok("hello"));
        assert_eq!(boundary.read(Path::new("in.md"), 100).as_deref(), Ok("hello"));
        assert_eq!(boundary.read(Path::new("out.md"), 100), Err(Skip::LinkOutside));
        assert_eq!(boundary.read(Path::new("config.md"), 100), Err(Skip::LinkOutside));
        assert_eq!(boundary.read(Path::new(".git/config"), 100), Err(Skip::LinkOutside));
        assert_eq!(boundary.read(Path::new("missing.md"), 100), Err(Skip::Unreadable));
    }

    #[test]
    fn a_subfolder_may_read_its_repository_but_not_beyond() {
        let dir = tempfile::tempdir().unwrap();
        let repository = git2::Repository::init(dir.path()).unwrap();
        std::fs::create_dir_all(dir.path().join("apps/web")).unwrap();
        std::fs::write(dir.path().join("LICENSE"), "MIT").unwrap();
        std::fs::write(dir.path().join("apps/web/index.js"), "x").unwrap();
        // Untracked, the folder is a project of its own inside someone's repository.
        assert_eq!(
            Boundary::of(&dir.path().join("apps/web")).read(Path::new("../../LICENSE"), 100),
            Err(Skip::LinkOutside)
        );
        let mut index = repository.index().unwrap();
        index.add_path(Path::new("apps/web/index.js")).unwrap();
        index.write().unwrap();
        let boundary = Boundary::of(&dir.path().join("apps/web"));
        assert_eq!(boundary.read(Path::new("../../LICENSE"), 100).as_deref(), Ok("MIT"));
        assert!(boundary.holds(&dir.path().join("apps/web/../../rules")));
        assert!(!boundary.holds(&dir.path().join("apps/web/../../../elsewhere")));
        assert!(!boundary.holds(Path::new("/srv/elsewhere")));
    }

    #[test]
    fn core_worktree_does_not_move_the_top() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "TOKEN").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let repository = git2::Repository::init(dir.path()).unwrap();
        repository.config().unwrap().set_str("core.worktree", "/").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(outside.path().join("secret"), dir.path().join("README.md")).unwrap();
            assert_eq!(Boundary::of(dir.path()).read(Path::new("README.md"), 100), Err(Skip::LinkOutside));
        }
    }

    #[test]
    fn paths_on_the_command_line_inside_the_repository_are_its_content() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("ci")).unwrap();
        let boundary = Boundary::of(dir.path());
        assert!(boundary.holds(&dir.path().join("ci/apelint.toml")));
        assert!(boundary.holds(&dir.path().join("ci/../apelint.toml")));
        assert!(!boundary.holds(&dir.path().join("../elsewhere.toml")));
        assert!(!boundary.holds(Path::new("/etc/apelint.toml")));
    }
}
