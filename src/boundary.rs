//! What apelint may read of a repository it checks: files whose real path (symbolic links resolved)
//! lies inside the repository's working tree and outside its `.git` folders.
//!
//! A repository is hostile input: `ln -s /etc/passwd README.md`, or a link to `.git/config` (where
//! `actions/checkout` keeps a token), would otherwise put that file's lines in a code frame, a CI
//! annotation or a SARIF upload. Every read of a repository file, and of a configuration or rule
//! file found in the repository, goes through [`Boundary::read`]; a link that leaves is reported
//! as a skipped file ([`Skip::LinkOutside`]) and never opened.
//!
//! The boundary is the top of the git working tree that holds the checked folder (a monorepo
//! package may link to the LICENSE at its top), or the checked folder itself outside git.

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
        let top = real_root.as_ref().map(|real| {
            git2::Repository::discover(real)
                .ok()
                .and_then(|repository| repository.workdir().and_then(|dir| dir.canonicalize().ok()))
                .filter(|top| real.starts_with(top))
                .unwrap_or_else(|| real.clone())
        });
        Boundary { root: root.to_path_buf(), real_root, top }
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

    /// Whether `path` (absolute, or relative to the checked folder) lies inside the boundary as
    /// written, before links are resolved: paths that a repository's configuration names must.
    pub fn contains_lexically(&self, path: &Path) -> bool {
        let joined = if path.is_absolute() { path.to_path_buf() } else { self.root.join(path) };
        let Some(top) = &self.top else { return false };
        let Some(real_root) = &self.real_root else { return false };
        // Resolve `..` by hand from the real root, so that `../../elsewhere` is caught before any
        // link is followed.
        let relative = match joined.strip_prefix(&self.root) {
            Ok(relative) => relative.to_path_buf(),
            Err(_) => return false,
        };
        let mut resolved = real_root.clone();
        for part in relative.components() {
            match part {
                Component::Normal(name) => resolved.push(name),
                Component::ParentDir => {
                    if !resolved.pop() {
                        return false;
                    }
                }
                Component::CurDir => {}
                Component::RootDir | Component::Prefix(_) => return false,
            }
        }
        resolved.starts_with(top)
    }
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
        git2::Repository::init(dir.path()).unwrap();
        std::fs::create_dir_all(dir.path().join("apps/web")).unwrap();
        std::fs::write(dir.path().join("LICENSE"), "MIT").unwrap();
        let boundary = Boundary::of(&dir.path().join("apps/web"));
        assert_eq!(boundary.read(Path::new("../../LICENSE"), 100).as_deref(), Ok("MIT"));
        assert!(boundary.contains_lexically(Path::new("../../rules")));
        assert!(!boundary.contains_lexically(Path::new("../../../elsewhere")));
        assert!(!boundary.contains_lexically(Path::new("/srv/elsewhere")));
    }
}
