//! `.gitignore` files, read by apelint itself rather than by the walker: a repository can hold a
//! `.gitignore` that is a symbolic link to `/dev/zero` (endless), to a huge file, or out of the
//! repository. Like git (which no longer follows a symlinked `.gitignore`), apelint reads only a
//! regular file of at most [`MAX_SIZE`]; anything else counts as no `.gitignore`.
//!
//! The semantics are the walker's: for an entry, the `.gitignore` of its own folder is asked first,
//! then each folder's up to the root, and the first that matches (ignoring or, with `!`,
//! re-including) decides; `.git/info/exclude` comes last. Matchers are built once per folder.

use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A `.gitignore` larger than this is not read (the largest seen in the wild are a few hundred KiB).
pub const MAX_SIZE: u64 = 1024 * 1024;

#[derive(Debug)]
pub struct GitIgnores {
    root: PathBuf,
    /// Each folder's matcher, `None` when it has no (readable, regular) `.gitignore`.
    folders: Mutex<HashMap<PathBuf, Option<Arc<Gitignore>>>>,
    exclude: Option<Gitignore>,
}

impl GitIgnores {
    pub fn new(root: &Path) -> GitIgnores {
        GitIgnores {
            root: root.to_path_buf(),
            folders: Mutex::new(HashMap::new()),
            exclude: matcher(root, &root.join(".git/info/exclude")),
        }
    }

    /// Whether the entry at `path` (under the root) is ignored.
    pub fn is_ignored(&self, path: &Path, is_dir: bool) -> bool {
        let mut folder = path.parent();
        while let Some(dir) = folder {
            if !dir.starts_with(&self.root) {
                break;
            }
            if let Some(gitignore) = self.folder(dir) {
                match gitignore.matched(path, is_dir) {
                    Match::Ignore(_) => return true,
                    Match::Whitelist(_) => return false,
                    Match::None => {}
                }
            }
            if dir == self.root {
                break;
            }
            folder = dir.parent();
        }
        self.exclude.as_ref().is_some_and(|exclude| exclude.matched(path, is_dir).is_ignore())
    }

    /// The root's own `.gitignore`, for asking about paths that may not exist.
    pub fn root(&self) -> Option<Arc<Gitignore>> {
        self.folder(&self.root.clone())
    }

    fn folder(&self, dir: &Path) -> Option<Arc<Gitignore>> {
        if let Some(found) = self.folders.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(dir) {
            return found.clone();
        }
        let built = matcher(dir, &dir.join(".gitignore")).map(Arc::new);
        self.folders.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(dir.to_path_buf(), built.clone());
        built
    }
}

/// The matcher of the ignore file at `file`, rooted at `dir`; `None` unless it is a regular file
/// (not a link, a device or a pipe) of at most [`MAX_SIZE`].
fn matcher(dir: &Path, file: &Path) -> Option<Gitignore> {
    let metadata = file.symlink_metadata().ok()?;
    if !metadata.file_type().is_file() || metadata.len() > MAX_SIZE {
        return None;
    }
    let text = super::text::read(file, MAX_SIZE).ok()?;
    from_text(dir, Some(file), &text)
}

/// The matcher of an ignore file's `text`, rooted at `dir`; `None` when it ignores nothing.
pub fn from_text(dir: &Path, file: Option<&Path>, text: &str) -> Option<Gitignore> {
    let mut builder = GitignoreBuilder::new(dir);
    for line in text.lines() {
        // A line that is not a valid pattern only means fewer paths count as ignored.
        let _ = builder.add_line(file.map(Path::to_path_buf), line);
    }
    builder.build().ok().filter(|gitignore| !gitignore.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_files_override_their_parents_and_negations_reinclude() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::write(root.join(".gitignore"), "*.log\nbuild/\n").unwrap();
        std::fs::write(root.join("a/.gitignore"), "!keep.log\n").unwrap();
        let ignores = GitIgnores::new(root);
        assert!(ignores.is_ignored(&root.join("x.log"), false));
        assert!(ignores.is_ignored(&root.join("a/b/x.log"), false));
        assert!(!ignores.is_ignored(&root.join("a/keep.log"), false));
        assert!(ignores.is_ignored(&root.join("a/build"), true));
        assert!(!ignores.is_ignored(&root.join("a/b/x.rs"), false));
    }

    #[cfg(unix)]
    #[test]
    fn a_gitignore_that_is_a_link_or_a_device_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::os::unix::fs::symlink("/dev/zero", root.join(".gitignore")).unwrap();
        let ignores = GitIgnores::new(root);
        assert!(!ignores.is_ignored(&root.join("x.log"), false));
        assert!(ignores.root().is_none());
    }
}
