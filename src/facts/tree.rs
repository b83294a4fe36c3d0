//! The file tree: one parallel walk of the repository with the `ignore` crate, `.gitignore` honoured.

use crate::pattern::Globs;
use ignore::{WalkBuilder, WalkState, overrides::OverrideBuilder};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

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
    /// Lookups built the first time they are asked for (each in one pass over the tree).
    index: OnceLock<Index>,
}

/// Lookups over the tree's paths, so that a question per link or per path in a document costs
/// about the length of that path, not the size of the tree.
#[derive(Debug, Default)]
struct Index {
    /// Lowercased (ASCII) path to the first file spelled that way, in sorted order.
    files_by_case: HashMap<String, usize>,
    /// The same for folders.
    dirs_by_case: HashMap<String, usize>,
    /// Every file and folder path with its bytes reversed, sorted: the paths ending in a suffix
    /// are a range of it.
    reversed: Vec<Box<[u8]>>,
    unreadable: HashSet<String>,
}

/// Whether a path (a folder when asked so) lies in an excluded folder or matches an exclude pattern;
/// `None` when the patterns cannot be built (they were validated with the configuration).
fn excluder(root: &Path, excludes: &[String]) -> Option<impl Fn(&str, bool) -> bool> {
    let mut overrides = OverrideBuilder::new(root);
    for pattern in DEFAULT_EXCLUDES.iter().copied().map(str::to_string).chain(excludes.iter().cloned()) {
        // Patterns were validated by `walk`; one that fails here only widens what is kept.
        let _ = overrides.add(&format!("!{pattern}"));
    }
    let overrides = overrides.build().ok()?;
    Some(move |path: &str, dir: bool| {
        let mut prefix = String::new();
        for part in path.split('/') {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(part);
            let is_dir = dir || prefix.len() < path.len();
            if overrides.matched(&prefix, is_dir).is_ignore() {
                return true;
            }
        }
        false
    })
}

/// `path` and every folder above it, longest first: `a/b/c`, `a/b`, `a`.
fn self_and_parents(path: &str) -> impl Iterator<Item = &str> {
    std::iter::once(path).chain(path.match_indices('/').rev().map(move |(at, _)| &path[..at]))
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
        let Some(excluded) = excluder(root, excludes) else { return };
        let mut added = false;
        let nested_set: HashSet<String> = self.nested.iter().cloned().collect();
        for path in tracked {
            let nested = self_and_parents(&path).skip(1).any(|folder| nested_set.contains(folder));
            if self.all.contains(&path) || nested || excluded(&path, false) || !root.join(&path).is_file() {
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
            self.index = OnceLock::new();
        }
    }

    /// The tree of a commit (see [`super::source::CommitTree::listing`]): every entry git stores,
    /// `.gitignore` or not (git tracks it), but for the excluded folders.
    pub fn from_listing(root: &Path, listing: super::source::Listing, excludes: &[String]) -> Tree {
        let excluded = excluder(root, excludes);
        let keep = |path: &String| excluded.as_ref().is_none_or(|excluded| !excluded(path, false));
        let keep_dir = |path: &String| excluded.as_ref().is_none_or(|excluded| !excluded(path, true));
        let mut tree = Tree {
            dirs: listing.dirs.into_iter().filter(keep_dir).collect(),
            nested: listing.submodules.into_iter().filter(keep_dir).collect(),
            symlinks: listing.links.iter().filter(|path| keep(path)).cloned().collect(),
            ..Tree::default()
        };
        tree.files = listing.files.into_iter().chain(listing.links).filter(keep).collect();
        tree.files.sort_unstable();
        tree.all = tree.files.iter().chain(&tree.dirs).cloned().collect();
        tree.dir_set = tree.dirs.iter().cloned().collect();
        tree
    }

    /// Whether a file or folder exists at this repository-relative path.
    pub fn exists(&self, path: &str) -> bool {
        path.is_empty() || self.all.contains(path.trim_end_matches('/'))
    }

    fn index(&self) -> &Index {
        self.index.get_or_init(|| {
            let by_case = |paths: &[String]| {
                let mut map = HashMap::with_capacity(paths.len());
                for (at, path) in paths.iter().enumerate() {
                    map.entry(path.to_ascii_lowercase()).or_insert(at);
                }
                map
            };
            let mut reversed: Vec<Box<[u8]>> = self
                .files
                .iter()
                .chain(&self.dirs)
                .map(|path| path.bytes().rev().collect::<Vec<u8>>().into_boxed_slice())
                .collect();
            reversed.sort_unstable();
            Index {
                files_by_case: by_case(&self.files),
                dirs_by_case: by_case(&self.dirs),
                reversed,
                unreadable: self.unreadable.iter().cloned().collect(),
            }
        })
    }

    /// Whether `path` lies in a folder the walk could not read (or is that folder): what it holds
    /// is unknown, not missing.
    pub fn in_unreadable(&self, path: &str) -> bool {
        if self.unreadable.is_empty() {
            return false;
        }
        let unreadable = &self.index().unreadable;
        self_and_parents(path.trim_end_matches('/')).any(|folder| unreadable.contains(folder))
    }

    /// The first file (in sorted order) whose path equals `path` but for ASCII case.
    pub fn file_in_any_case(&self, path: &str) -> Option<&str> {
        let at = *self.index().files_by_case.get(&path.to_ascii_lowercase())?;
        Some(&self.files[at])
    }

    /// The first folder (in sorted order) whose path equals `path` but for ASCII case.
    pub fn dir_in_any_case(&self, path: &str) -> Option<&str> {
        let at = *self.index().dirs_by_case.get(&path.to_ascii_lowercase())?;
        Some(&self.dirs[at])
    }

    /// Whether some file or folder path ends with `suffix` (compared byte for byte).
    pub fn any_ends_with(&self, suffix: &str) -> bool {
        let wanted: Vec<u8> = suffix.bytes().rev().collect();
        let reversed = &self.index().reversed;
        let at = reversed.partition_point(|path| **path < *wanted);
        reversed.get(at).is_some_and(|path| path.starts_with(&wanted))
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
        self.file_in_any_case(path)
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

    fn tree(files: &[&str], dirs: &[&str], unreadable: &[&str]) -> Tree {
        let mut tree = Tree {
            files: files.iter().map(|path| path.to_string()).collect(),
            dirs: dirs.iter().map(|path| path.to_string()).collect(),
            unreadable: unreadable.iter().map(|path| path.to_string()).collect(),
            ..Tree::default()
        };
        tree.files.sort_unstable();
        tree.dirs.sort_unstable();
        tree.all = tree.files.iter().chain(&tree.dirs).cloned().collect();
        tree
    }

    #[test]
    fn lookups_match_a_scan_of_the_tree() {
        let tree = tree(
            &["Docs/Guide.md", "docs/guide.md", "docs/api/index.md", "src/main.rs"],
            &["Docs", "docs", "docs/api", "src"],
            &["secret", "deep/locked"],
        );
        assert_eq!(tree.file_in_any_case("DOCS/GUIDE.MD"), Some("Docs/Guide.md"));
        assert_eq!(tree.file_in_any_case("docs/API/Index.md"), Some("docs/api/index.md"));
        assert_eq!(tree.file_in_any_case("docs"), None);
        assert_eq!(tree.dir_in_any_case("DOCS/Api"), Some("docs/api"));
        assert_eq!(tree.spelled("docs/guide.md"), None);
        assert_eq!(tree.spelled("DOCS/guide.md"), Some("Docs/Guide.md"));
        for (suffix, expected) in
            [("/index.md", true), ("/api/index.md", true), ("/api", true), ("/x/index.md", false), ("/main.r", false)]
        {
            let scanned = tree.files.iter().chain(&tree.dirs).any(|path| path.ends_with(suffix));
            assert_eq!(scanned, expected, "{suffix}");
            assert_eq!(tree.any_ends_with(suffix), expected, "{suffix}");
        }
        assert!(tree.in_unreadable("secret"));
        assert!(tree.in_unreadable("secret/"));
        assert!(tree.in_unreadable("secret/a/b.md"));
        assert!(tree.in_unreadable("deep/locked/x"));
        assert!(!tree.in_unreadable("deep"));
        assert!(!tree.in_unreadable("secretive/a.md"));
        assert!(!tree.in_unreadable("docs/secret"));
    }
}
