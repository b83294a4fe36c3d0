//! The file tree: one parallel walk of the repository with the `ignore` crate, `.gitignore` honoured.

use crate::pattern::Globs;
use ignore::{WalkBuilder, WalkState, overrides::OverrideBuilder};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Folders that are never the repository's own work: version control internals, caches, virtual
/// environments and installed dependencies. They are skipped even when no `.gitignore` says so, the
/// way ruff and ripgrep users expect; `exclude` in `apelint.toml` adds to this list.
pub const DEFAULT_EXCLUDES: &[&str] = &[
    ".git/",
    ".hg/",
    ".svn/",
    ".jj/",
    "node_modules/",
    "bower_components/",
    ".venv/",
    "venv/",
    ".tox/",
    ".nox/",
    "__pycache__/",
    ".mypy_cache/",
    ".pytest_cache/",
    ".ruff_cache/",
    "site-packages/",
    ".eggs/",
    ".direnv/",
    ".bundle/",
    ".gradle/",
    ".terraform/",
    ".next/",
    ".nuxt/",
    ".svelte-kit/",
    ".cache/",
    ".idea/",
    "vendor/",
    "third_party/",
    "third-party/",
];

/// Every file and folder the walk saw, as sorted repository-relative paths.
#[derive(Debug, Default)]
pub struct Tree {
    pub files: Vec<String>,
    pub dirs: Vec<String>,
    all: HashSet<String>,
    dir_set: HashSet<String>,
    /// Folders the walk could not read.
    pub unreadable: Vec<String>,
    /// Folders holding a repository of their own (submodules, nested clones), not walked.
    pub nested: Vec<String>,
    /// Entries that are symbolic links (not followed by the walk).
    symlinks: HashSet<String>,
}

impl Tree {
    /// Walks `root` in parallel. `excludes` are gitignore-style patterns.
    pub fn walk(root: &Path, excludes: &[String]) -> Result<Tree, String> {
        let mut overrides = OverrideBuilder::new(root);
        for pattern in DEFAULT_EXCLUDES.iter().copied().map(str::to_string).chain(excludes.iter().cloned()) {
            overrides
                .add(&format!("!{pattern}"))
                .map_err(|error| format!("invalid exclude pattern `{pattern}`: {error}"))?;
        }
        let overrides = overrides.build().map_err(|error| error.to_string())?;
        // `.gitignore` files are read by apelint (see `ignores`), not by the walker, which would
        // follow a link to `/dev/zero` and read forever.
        let ignores = std::sync::Arc::new(super::ignores::GitIgnores::new(root));
        let walker = WalkBuilder::new(root)
            .hidden(false)
            .ignore(false)
            .parents(false)
            .git_global(false)
            .git_ignore(false)
            .git_exclude(false)
            .require_git(false)
            .follow_links(false)
            .overrides(overrides)
            .filter_entry(move |entry| {
                entry.depth() == 0
                    || !ignores.is_ignored(entry.path(), entry.file_type().is_some_and(|kind| kind.is_dir()))
            })
            .build_parallel();

        let found: Mutex<Vec<(String, Kind)>> = Mutex::new(Vec::new());
        let unreadable: Mutex<Vec<String>> = Mutex::new(Vec::new());
        walker.run(|| {
            let mut local = Batch { entries: Vec::new(), sink: &found };
            let root = root.to_path_buf();
            let unreadable = &unreadable;
            Box::new(move |entry| {
                match entry {
                    Ok(entry) => {
                        if entry.depth() == 0 {
                            return WalkState::Continue;
                        }
                        let kind = match entry.file_type() {
                            // A submodule or a nested clone: another repository's files.
                            Some(kind) if kind.is_dir() && entry.path().join(".git").symlink_metadata().is_ok() => {
                                if let Some(relative) = relative(&root, entry.path()) {
                                    local.entries.push((relative, Kind::Nested));
                                }
                                return WalkState::Skip;
                            }
                            Some(kind) if kind.is_dir() => Kind::Dir,
                            Some(kind) if kind.is_symlink() => Kind::Symlink,
                            _ => Kind::File,
                        };
                        if let Some(relative) = relative(&root, entry.path()) {
                            local.entries.push((relative, kind));
                        }
                    }
                    // Only the path is kept: an error's text can quote a file's content (a line
                    // of a `.gitignore` that links elsewhere), which must not reach the report.
                    Err(error) => {
                        if let Some(path) = error_path(&error).and_then(|path| relative(&root, &path)) {
                            unreadable.lock().expect("no panics while holding the lock").push(path);
                        }
                    }
                }
                WalkState::Continue
            })
        });
        let mut tree = Tree::default();
        for (path, kind) in found.into_inner().expect("walk threads have finished") {
            match kind {
                Kind::Dir => tree.dirs.push(path),
                Kind::Nested => tree.nested.push(path),
                Kind::File => tree.files.push(path),
                Kind::Symlink => {
                    tree.symlinks.insert(path.clone());
                    tree.files.push(path);
                }
            }
        }
        tree.files.sort_unstable();
        tree.dirs.sort_unstable();
        tree.all = tree.files.iter().chain(&tree.dirs).cloned().collect();
        tree.dir_set = tree.dirs.iter().cloned().collect();
        tree.unreadable = unreadable.into_inner().expect("walk threads have finished");
        tree.unreadable.sort_unstable();
        tree.nested.sort_unstable();
        Ok(tree)
    }

    /// Adds files git tracks that the walk did not see because a `.gitignore` pattern matches them
    /// (a repository that ignores `.*` but tracks `.github/`). Excluded folders stay excluded, and
    /// files deleted from the work tree are left out.
    pub fn add_tracked(&mut self, root: &Path, tracked: Vec<String>, excludes: &[String]) {
        let mut overrides = OverrideBuilder::new(root);
        for pattern in DEFAULT_EXCLUDES.iter().copied().map(str::to_string).chain(excludes.iter().cloned()) {
            // Patterns were validated by `walk`; one that fails here only widens the list below.
            let _ = overrides.add(&format!("!{pattern}"));
        }
        let Ok(overrides) = overrides.build() else { return };
        let excluded = |path: &str| {
            let mut prefix = String::new();
            for part in path.split('/') {
                if !prefix.is_empty() {
                    prefix.push('/');
                }
                prefix.push_str(part);
                let is_dir = prefix.len() < path.len();
                if overrides.matched(&prefix, is_dir).is_ignore() {
                    return true;
                }
            }
            false
        };
        let mut added = false;
        for path in tracked {
            let nested = self
                .nested
                .iter()
                .any(|folder| path.strip_prefix(folder.as_str()).is_some_and(|rest| rest.starts_with('/')));
            if self.all.contains(&path) || nested || excluded(&path) || !root.join(&path).is_file() {
                continue;
            }
            let mut dir = path.as_str();
            while let Some((parent, _)) = dir.rsplit_once('/') {
                if self.dir_set.insert(parent.to_string()) {
                    self.dirs.push(parent.to_string());
                    self.all.insert(parent.to_string());
                }
                dir = parent;
            }
            self.all.insert(path.clone());
            self.files.push(path);
            added = true;
        }
        if added {
            self.files.sort_unstable();
            self.dirs.sort_unstable();
        }
    }

    /// Whether a file or folder exists at this repository-relative path.
    pub fn exists(&self, path: &str) -> bool {
        path.is_empty() || self.all.contains(path.trim_end_matches('/'))
    }

    /// Whether `path` lies in a folder the walk could not read (or is that folder): what it holds
    /// is unknown, not missing.
    pub fn in_unreadable(&self, path: &str) -> bool {
        let path = path.trim_end_matches('/');
        self.unreadable.iter().any(|folder| {
            path == folder || path.strip_prefix(folder.as_str()).is_some_and(|rest| rest.starts_with('/'))
        })
    }

    /// Whether the entry at `path` is a symbolic link.
    pub fn is_symlink(&self, path: &str) -> bool {
        self.symlinks.contains(path)
    }

    /// `path` as the tree spells it when only its case differs (`readme.md` for `README.md`).
    pub fn spelled(&self, path: &str) -> Option<&str> {
        if self.all.contains(path) {
            return None;
        }
        self.files.iter().map(String::as_str).find(|file| file.eq_ignore_ascii_case(path))
    }

    pub fn is_dir(&self, path: &str) -> bool {
        path.is_empty() || self.dir_set.contains(path.trim_end_matches('/'))
    }

    /// Files and folders whose path matches any of `globs`.
    pub fn matching<'a>(&'a self, globs: &'a Globs) -> impl Iterator<Item = &'a str> + 'a {
        self.files.iter().chain(&self.dirs).map(String::as_str).filter(|path| globs.is_match(path))
    }

    /// Files whose path matches any of `globs`.
    pub fn files_matching<'a>(&'a self, globs: &'a Globs) -> impl Iterator<Item = &'a str> + 'a {
        self.files.iter().map(String::as_str).filter(|path| globs.is_match(path))
    }
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    File,
    Dir,
    Symlink,
    Nested,
}

/// Collects one walker thread's entries and hands them over once, when the thread is done, so the
/// threads never contend for the shared list.
struct Batch<'s> {
    entries: Vec<(String, Kind)>,
    sink: &'s Mutex<Vec<(String, Kind)>>,
}

impl Drop for Batch<'_> {
    fn drop(&mut self) {
        if let Ok(mut sink) = self.sink.lock() {
            sink.append(&mut self.entries);
        }
    }
}

fn relative(root: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(root).ok()?;
    let mut text = String::new();
    for component in relative.components() {
        if !text.is_empty() {
            text.push('/');
        }
        text.push_str(&component.as_os_str().to_string_lossy());
    }
    (!text.is_empty()).then_some(text)
}

fn error_path(error: &ignore::Error) -> Option<PathBuf> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => error_path(err),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn walk_sees_dot_folders_and_honours_gitignore() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join(".github/workflows")).unwrap();
        fs::write(root.join(".github/workflows/ci.yml"), "on: push").unwrap();
        fs::write(root.join(".gitignore"), "build/\n").unwrap();
        fs::create_dir_all(root.join("build")).unwrap();
        fs::write(root.join("build/out.txt"), "x").unwrap();
        fs::create_dir_all(root.join("node_modules/x")).unwrap();
        fs::write(root.join("node_modules/x/index.js"), "x").unwrap();
        fs::write(root.join("main.rs"), "fn main() {}").unwrap();
        let tree = Tree::walk(root, &["*.txt".to_string()]).unwrap();
        assert_eq!(tree.files, vec![".github/workflows/ci.yml", ".gitignore", "main.rs"]);
        assert!(tree.is_dir(".github"));
        assert!(!tree.exists("build"));
    }
}
