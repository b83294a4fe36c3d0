//! Where the facts read a repository from: the working tree on disk, or the tree of one commit read
//! from git objects, with no checkout and no `git` process. Every fact asks through [`Facts`]
//! (paths, texts, links, `.gitignore`), and `Facts` asks the source it was made with: one walker per
//! source, and the same rules judge either.
//!
//! A commit's tree is what git stores: its files, its symbolic links (a blob holding the target)
//! and its submodules (a commit of another repository, never entered). A link is followed inside
//! the tree, as a checkout would resolve it; one that leaves the repository or enters `.git` is
//! never read ([`Skip::LinkOutside`]), like on disk.
//!
//! [`Facts`]: super::Facts

use super::history::Unavailable;
use super::text::{self, Skip};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// How many links one path may go through before it counts as unreadable (a loop).
const MAX_LINKS: usize = 16;

/// A link's target is a path; a blob larger than this is not one.
const MAX_LINK_SIZE: u64 = 4096;

/// Folders nested deeper than this are refused, as git refuses them (`core.maxTreeDepth`): a tree
/// object can nest without end at no cost to whoever made it.
const MAX_DEPTH: usize = 4096;

/// Entries (files, links, submodules, folders) a commit's tree may hold, and bytes of their paths:
/// a few tree objects that name one another many times (a "git bomb") list millions of paths.
/// The largest real repositories hold a few hundred thousand files.
const MAX_ENTRIES: usize = 2_000_000;
const MAX_PATH_BYTES: usize = 512 * 1024 * 1024;

/// What the facts read.
pub enum Source {
    /// The files on disk under the checked folder.
    WorkTree,
    /// One commit's tree, from git objects.
    Commit(Box<CommitTree>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    File,
    Link,
    Submodule,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    id: git2::Oid,
    kind: Kind,
}

/// The tree of one commit, listed once, its blobs read on demand.
pub struct CommitTree {
    git_dir: PathBuf,
    id: git2::Oid,
    time: i64,
    /// Where the checked folder lies in the repository (`apps/web/`), or empty at its top.
    prefix: String,
    /// Every file, link and submodule of the whole tree, by path from the repository's top.
    entries: HashMap<String, Entry>,
    /// Every folder of the whole tree.
    dirs: HashSet<String>,
    /// Open handles to the repository, one per thread reading at a time (a `git2::Repository` is
    /// not shared between threads).
    pool: Mutex<Vec<git2::Repository>>,
    /// Texts already read, shared with the trees of other commits of the same repository.
    blobs: Option<std::sync::Arc<BlobCache>>,
}

/// The texts of blobs read, by id, shared by the commits judged in one command (the points of a
/// trend, where most files are the same blob from one point to the next). Bounded: past
/// [`BlobCache::MAX_BYTES`] of text, nothing more is kept.
#[derive(Debug, Default)]
pub struct BlobCache {
    /// Each blob read (by id and the size limit it was read with), and the bytes kept.
    texts: Mutex<(BlobTexts, usize)>,
}

type BlobTexts = HashMap<(git2::Oid, u64), Result<std::sync::Arc<str>, Skip>>;

impl BlobCache {
    pub const MAX_BYTES: usize = 256 * 1024 * 1024;
}

/// The entries of a commit's tree under the checked folder, relative to it.
#[derive(Debug, Default)]
pub struct Listing {
    pub files: Vec<String>,
    pub dirs: Vec<String>,
    pub links: Vec<String>,
    pub submodules: Vec<String>,
}

fn unavailable(reason: String, hint: &str) -> Unavailable {
    Unavailable { reason, hint: hint.to_string() }
}

impl CommitTree {
    /// The tree of commit `id` of `repository`, the checked folder being `prefix` (empty, or ending
    /// in `/`) inside it.
    pub fn new(repository: &git2::Repository, id: git2::Oid, prefix: &str) -> Result<CommitTree, Unavailable> {
        CommitTree::bounded(repository, id, prefix, (MAX_ENTRIES, MAX_PATH_BYTES, MAX_DEPTH))
    }

    /// [`CommitTree::new`] with its bounds: entries, bytes of paths, depth.
    fn bounded(
        repository: &git2::Repository,
        id: git2::Oid,
        prefix: &str,
        (max_entries, max_path_bytes, max_depth): (usize, usize, usize),
    ) -> Result<CommitTree, Unavailable> {
        // Objects are only read; re-hashing each one to verify it (libgit2's default) costs more
        // than inflating it.
        git2::opts::strict_hash_verification(false);
        let short = &id.to_string()[..12];
        let commit = repository
            .find_commit(id)
            .map_err(|error| unavailable(format!("commit {short} cannot be read: {}", error.message()), CORRUPT))?;
        let tree = commit.tree().map_err(|error| {
            unavailable(format!("the tree of {short} cannot be read: {}", error.message()), CORRUPT)
        })?;
        let mut entries = HashMap::new();
        let mut dirs = HashSet::new();
        let mut unreadable = None;
        let (mut count, mut bytes, mut too_large) = (0usize, 0usize, None);
        let walked = tree.walk(git2::TreeWalkMode::PreOrder, |folder, entry| {
            count += 1;
            bytes += folder.len() + entry.name_bytes().len();
            if count > max_entries || bytes > max_path_bytes {
                too_large = Some(format!("more than {max_entries} entries or {} MiB of paths", max_path_bytes >> 20));
                return git2::TreeWalkResult::Abort;
            }
            if folder.bytes().filter(|byte| *byte == b'/').count() >= max_depth {
                too_large = Some(format!("folders nested more than {max_depth} deep"));
                return git2::TreeWalkResult::Abort;
            }
            // A name that is not UTF-8 cannot be a path in any report; like a folder the walk
            // cannot read, what it holds is left out.
            let Ok(name) = entry.name() else { return git2::TreeWalkResult::Skip };
            if name.eq_ignore_ascii_case(".git") {
                return git2::TreeWalkResult::Skip;
            }
            let path = format!("{folder}{name}");
            let kind = match entry.kind() {
                Some(git2::ObjectType::Tree) => {
                    dirs.insert(path);
                    return git2::TreeWalkResult::Ok;
                }
                Some(git2::ObjectType::Commit) => Kind::Submodule,
                Some(git2::ObjectType::Blob) if entry.filemode() == 0o120_000 => Kind::Link,
                Some(git2::ObjectType::Blob) => Kind::File,
                _ => {
                    unreadable = Some(path);
                    return git2::TreeWalkResult::Abort;
                }
            };
            entries.insert(path, Entry { id: entry.id(), kind });
            git2::TreeWalkResult::Ok
        });
        if let Some(what) = too_large {
            return Err(unavailable(
                format!("the tree of {short} holds {what}"),
                "apelint judges trees of real repositories; this one was built to be too large to list",
            ));
        }
        let error = match (walked, unreadable) {
            (Err(error), _) => Some(error.message().to_string()),
            (_, Some(path)) => Some(format!("`{}` is an entry of no known kind", crate::escape::printable(&path))),
            _ => None,
        };
        if let Some(error) = error {
            return Err(unavailable(format!("the tree of {short} cannot be walked: {error}"), CORRUPT));
        }
        let git_dir = repository.path().to_path_buf();
        Ok(CommitTree {
            git_dir,
            id,
            time: commit.time().seconds(),
            prefix: prefix.to_string(),
            entries,
            dirs,
            pool: Mutex::new(Vec::new()),
            blobs: None,
        })
    }

    /// Reads blobs through `cache`, shared with other commits' trees.
    pub fn with_blobs(mut self, cache: Option<std::sync::Arc<BlobCache>>) -> CommitTree {
        self.blobs = cache;
        self
    }

    /// The commit judged.
    pub fn id(&self) -> git2::Oid {
        self.id
    }

    /// Its committer time, in seconds since the epoch.
    pub fn time(&self) -> i64 {
        self.time
    }

    /// What the tree holds under the checked folder, relative to it, sorted.
    pub fn listing(&self) -> Listing {
        let mut listing = Listing::default();
        for (path, entry) in &self.entries {
            let Some(inside) = path.strip_prefix(&self.prefix) else { continue };
            let list = match entry.kind {
                Kind::File => &mut listing.files,
                Kind::Link => &mut listing.links,
                Kind::Submodule => &mut listing.submodules,
            };
            list.push(inside.to_string());
        }
        listing.dirs = self.dirs.iter().filter_map(|dir| dir.strip_prefix(&self.prefix)).map(str::to_string).collect();
        listing.dirs.retain(|dir| !dir.is_empty());
        for list in [&mut listing.files, &mut listing.dirs, &mut listing.links, &mut listing.submodules] {
            list.sort_unstable();
        }
        listing
    }

    /// Files of the folders enclosing the checked folder (the top, and each folder between), each
    /// relative to its enclosing folder (see [`super::git::enclosing_files`]).
    pub fn enclosing_files(&self) -> Vec<String> {
        if self.prefix.is_empty() {
            return Vec::new();
        }
        let enclosing: Vec<&str> = std::iter::once("")
            .chain(self.prefix.match_indices('/').map(|(at, _)| &self.prefix[..=at]))
            .filter(|folder| *folder != self.prefix)
            .collect();
        let mut files = Vec::new();
        for path in self.entries.keys().filter(|path| !path.starts_with(&self.prefix)) {
            files.extend(enclosing.iter().filter_map(|folder| path.strip_prefix(folder)).map(str::to_string));
        }
        files.sort_unstable();
        files
    }

    /// Reads the file at `path` (relative to the checked folder; `..` may climb to the repository's
    /// top) as text, following links inside the tree.
    pub fn read(&self, path: &str, max_size: u64) -> Result<String, Skip> {
        let full = self.resolve(path)?;
        match self.entries.get(&full) {
            Some(Entry { id, kind: Kind::File }) => self.blob(*id, max_size),
            _ => Err(Skip::Unreadable),
        }
    }

    /// Whether a file or folder is at `path` (links followed).
    pub fn exists(&self, path: &str) -> bool {
        self.resolve(path).is_ok_and(|full| {
            full.is_empty() || self.entries.contains_key(&full) || self.dirs.contains(&full) || self.in_submodule(&full)
        })
    }

    /// Whether a folder is at `path` (links followed). A submodule is a folder, as in a checkout,
    /// and what lies inside it is not known here, so it is not said to be missing.
    pub fn is_dir(&self, path: &str) -> bool {
        self.resolve(path).is_ok_and(|full| {
            full.is_empty()
                || self.dirs.contains(&full)
                || matches!(self.entries.get(&full), Some(Entry { kind: Kind::Submodule, .. }))
                || self.in_submodule(&full)
        })
    }

    /// Whether `full` (from the top) lies inside a submodule: another repository's files.
    fn in_submodule(&self, full: &str) -> bool {
        full.match_indices('/')
            .any(|(at, _)| matches!(self.entries.get(&full[..at]), Some(Entry { kind: Kind::Submodule, .. })))
    }

    /// Whether `path` is a link to a file inside the checked folder: its text is checked there.
    pub fn is_link_to_file(&self, path: &str) -> bool {
        let full = format!("{}{path}", self.prefix);
        let inside = |target: &String| target.starts_with(&self.prefix);
        matches!(self.entries.get(&full), Some(Entry { kind: Kind::Link, .. }))
            && self.resolve(path).is_ok_and(|target| {
                inside(&target) && matches!(self.entries.get(&target), Some(Entry { kind: Kind::File, .. }))
            })
    }

    /// The path from the repository's top that `path` (relative to the checked folder) names once
    /// every link on the way is followed; a path that leaves the tree or enters `.git` is refused.
    fn resolve(&self, path: &str) -> Result<String, Skip> {
        let mut pending = crate::paths::resolve("", &format!("{}{path}", self.prefix)).ok_or(Skip::LinkOutside)?;
        for _ in 0..MAX_LINKS {
            if pending.split('/').any(|part| part.eq_ignore_ascii_case(".git")) {
                return Err(Skip::LinkOutside);
            }
            let ends = pending.match_indices('/').map(|(at, _)| at).chain(std::iter::once(pending.len()));
            let link = ends.filter(|at| *at > 0).find_map(|at| match self.entries.get(&pending[..at]) {
                Some(Entry { id, kind: Kind::Link }) => Some((at, *id)),
                _ => None,
            });
            let Some((at, id)) = link else { return Ok(pending) };
            let target = self.blob(id, MAX_LINK_SIZE).map_err(|_| Skip::Unreadable)?;
            if target.starts_with('/') || target.contains('\\') && target.contains(':') {
                return Err(Skip::LinkOutside);
            }
            let folder = crate::paths::parent(&pending[..at]);
            let joined = if folder.is_empty() { target } else { format!("{folder}/{target}") };
            pending = crate::paths::resolve("", &format!("{joined}{}", &pending[at..])).ok_or(Skip::LinkOutside)?;
        }
        Err(Skip::Unreadable)
    }

    /// A blob's text, when it is at most `max_size` bytes and text.
    fn blob(&self, id: git2::Oid, max_size: u64) -> Result<String, Skip> {
        let Some(cache) = &self.blobs else { return self.read_blob(id, max_size) };
        let key = (id, max_size);
        if let Some(found) = cache.texts.lock().unwrap_or_else(std::sync::PoisonError::into_inner).0.get(&key) {
            return found.as_ref().map(|text| text.to_string()).map_err(|skip| *skip);
        }
        let read = self.read_blob(id, max_size);
        let mut texts = cache.texts.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let size = read.as_ref().map_or(0, String::len);
        if texts.1 + size <= BlobCache::MAX_BYTES {
            texts.1 += size;
            texts.0.insert(key, read.as_ref().map(|text| std::sync::Arc::from(text.as_str())).map_err(|skip| *skip));
        }
        read
    }

    fn read_blob(&self, id: git2::Oid, max_size: u64) -> Result<String, Skip> {
        self.with_repository(|repository| {
            let odb = repository.odb().map_err(|_| Skip::Unreadable)?;
            let (size, _) = odb.read_header(id).map_err(|_| Skip::Unreadable)?;
            if size as u64 > max_size {
                return Err(Skip::TooLarge);
            }
            let blob = repository.find_blob(id).map_err(|_| Skip::Unreadable)?;
            // A file kept in Git LFS is a pointer in the tree; its text is elsewhere.
            if blob.content().starts_with(b"version https://git-lfs.github.com/spec/v1\n") {
                return Err(Skip::Unreadable);
            }
            text::decode(blob.content().to_vec())
        })?
    }

    /// Runs `read` with a handle to the repository taken from the pool (or opened).
    fn with_repository<T>(&self, read: impl FnOnce(&git2::Repository) -> T) -> Result<T, Skip> {
        let taken = self.pool.lock().unwrap_or_else(std::sync::PoisonError::into_inner).pop();
        let repository = match taken {
            Some(repository) => repository,
            None => git2::Repository::open(&self.git_dir).map_err(|_| Skip::Unreadable)?,
        };
        let value = read(&repository);
        self.pool.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(repository);
        Ok(value)
    }
}

const CORRUPT: &str = "the repository may be corrupt or incomplete: `git fsck` tells; a fresh clone mends it";

/// The repository at or above `root` and where `root` lies in it (`apps/web/`, empty at the top or
/// for a bare repository).
pub fn repository_of(root: &Path) -> Result<(git2::Repository, String), Unavailable> {
    let repository = git2::Repository::discover(root).map_err(|error| match error.code() {
        git2::ErrorCode::NotFound => unavailable(
            "not a git repository".to_string(),
            "a commit can only be judged inside a git repository (a clone, a bare repository or a mirror)",
        ),
        _ => unavailable(format!("the git repository cannot be read: {}", error.message()), CORRUPT),
    })?;
    let inside = super::history::root_in_repository(&repository, root);
    let parts: Vec<String> = inside.components().map(|part| part.as_os_str().to_string_lossy().into_owned()).collect();
    let prefix = if parts.is_empty() { String::new() } else { format!("{}/", parts.join("/")) };
    Ok((repository, prefix))
}

/// The commit `revision` names in `repository`, or why not: an unknown name, or a commit a shallow
/// clone does not hold.
pub fn find_commit(repository: &git2::Repository, revision: &str) -> Result<git2::Oid, Unavailable> {
    let shallow_hint = if repository.is_shallow() {
        "this is a shallow clone: fetch more history (`git fetch --unshallow`, or `fetch-depth: 0` in actions/checkout)"
    } else {
        "give a branch, a tag or a commit id this repository holds (`git fetch` brings others)"
    };
    let object = repository.revparse_single(revision).map_err(|_| {
        unavailable(
            format!("`{}` names no commit in this repository", crate::escape::printable(revision)),
            shallow_hint,
        )
    })?;
    let commit = object.peel_to_commit().map_err(|_| {
        unavailable(format!("`{}` does not name a commit", crate::escape::printable(revision)), shallow_hint)
    })?;
    // A shallow clone knows the ids of the commits at its edge but not always their trees.
    commit.tree().map_err(|_| {
        unavailable(format!("the tree of `{}` is not in this clone", crate::escape::printable(revision)), shallow_hint)
    })?;
    Ok(commit.id())
}

/// Whether `root` is a bare repository (or a mirror): its files are in objects only. A git folder
/// with no `config` (some mirrors) is not marked bare, but it is one when `root` is the git folder.
pub fn is_bare(root: &Path) -> bool {
    let Ok(repository) = git2::Repository::open(root) else { return false };
    repository.is_bare()
        || matches!((repository.path().canonicalize(), root.canonicalize()), (Ok(git_dir), Ok(root)) if git_dir == root)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn commit(dir: &Path, files: &[(&str, &str)], links: &[(&str, &str)]) -> (git2::Repository, git2::Oid) {
        let repository = git2::Repository::init(dir).unwrap();
        for (path, text) in files {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        #[cfg(unix)]
        for (path, target) in links {
            std::os::unix::fs::symlink(target, dir.join(path)).unwrap();
        }
        let mut index = repository.index().unwrap();
        index.add_all(["*"], git2::IndexAddOption::DEFAULT, None).unwrap();
        index.write().unwrap();
        let tree = repository.find_tree(index.write_tree().unwrap()).unwrap();
        let signature = git2::Signature::now("A", "a@example.com").unwrap();
        let id = repository.commit(Some("HEAD"), &signature, &signature, "first", &tree, &[]).unwrap();
        drop(tree);
        (repository, id)
    }

    #[test]
    fn reads_files_and_folders_from_objects() {
        let dir = tempfile::tempdir().unwrap();
        let (repository, id) =
            commit(dir.path(), &[("README.md", "# hi\n"), ("apps/web/index.js", "x"), ("bin.dat", "a\0b")], &[]);
        // The working tree changes after the commit; the commit's tree does not.
        std::fs::write(dir.path().join("README.md"), "changed").unwrap();
        let tree = CommitTree::new(&repository, id, "").unwrap();
        assert_eq!(tree.read("README.md", 100).as_deref(), Ok("# hi\n"));
        assert_eq!(tree.read("README.md", 2), Err(Skip::TooLarge));
        assert_eq!(tree.read("bin.dat", 100), Err(Skip::Binary));
        assert_eq!(tree.read("missing", 100), Err(Skip::Unreadable));
        assert_eq!(tree.read("../x", 100), Err(Skip::LinkOutside));
        assert!(tree.is_dir("apps/web") && !tree.is_dir("README.md") && tree.exists("README.md"));
        let listing = tree.listing();
        assert_eq!(listing.files, ["README.md", "apps/web/index.js", "bin.dat"]);
        assert_eq!(listing.dirs, ["apps", "apps/web"]);
        let inside = CommitTree::new(&repository, id, "apps/web/").unwrap();
        assert_eq!(inside.listing().files, ["index.js"]);
        assert_eq!(inside.read("../../README.md", 100).as_deref(), Ok("# hi\n"));
        assert_eq!(inside.enclosing_files(), ["README.md", "bin.dat"]);
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_inside_the_tree_only() {
        let dir = tempfile::tempdir().unwrap();
        let (repository, id) = commit(
            dir.path(),
            &[("docs/guide.md", "guide"), ("secret/.keep", "")],
            &[
                ("GUIDE.md", "docs/guide.md"),
                ("alias", "docs"),
                ("out.md", "/etc/passwd"),
                ("up.md", "../outside"),
                ("config.md", ".git/config"),
                ("loop.md", "loop.md"),
            ],
        );
        let tree = CommitTree::new(&repository, id, "").unwrap();
        assert_eq!(tree.read("GUIDE.md", 100).as_deref(), Ok("guide"));
        assert_eq!(tree.read("alias/guide.md", 100).as_deref(), Ok("guide"));
        assert!(tree.is_link_to_file("GUIDE.md") && !tree.is_link_to_file("alias") && tree.is_dir("alias"));
        assert_eq!(tree.read("out.md", 100), Err(Skip::LinkOutside));
        assert_eq!(tree.read("up.md", 100), Err(Skip::LinkOutside));
        assert_eq!(tree.read("config.md", 100), Err(Skip::LinkOutside));
        assert_eq!(tree.read("loop.md", 100), Err(Skip::Unreadable));
        assert_eq!(tree.listing().links, ["GUIDE.md", "alias", "config.md", "loop.md", "out.md", "up.md"]);
    }

    #[test]
    fn unknown_revisions_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let (repository, id) = commit(dir.path(), &[("a", "a")], &[]);
        assert_eq!(find_commit(&repository, "HEAD").unwrap(), id);
        let missing = find_commit(&repository, "no-such-branch").unwrap_err();
        assert!(missing.reason.contains("`no-such-branch` names no commit"), "{missing:?}");
    }

    #[test]
    fn trees_built_to_be_too_large_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (repository, _) = commit(dir.path(), &[("a", "a")], &[]);
        let blob = repository.blob(b"x").unwrap();
        // Ten names for one folder, five levels deep: 100,000 paths from six tree objects.
        let mut level = {
            let mut builder = repository.treebuilder(None).unwrap();
            builder.insert("x", blob, 0o100_644).unwrap();
            builder.write().unwrap()
        };
        for _ in 0..5 {
            let mut builder = repository.treebuilder(None).unwrap();
            for n in 0..10 {
                builder.insert(format!("d{n}"), level, 0o040_000).unwrap();
            }
            level = builder.write().unwrap();
        }
        let signature = git2::Signature::now("A", "a@example.com").unwrap();
        let bomb_tree = repository.find_tree(level).unwrap();
        let bomb = repository.commit(None, &signature, &signature, "bomb", &bomb_tree, &[]).unwrap();
        let refused = CommitTree::bounded(&repository, bomb, "", (1000, 1 << 20, 100)).err().unwrap();
        assert!(refused.reason.contains("more than 1000 entries"), "{refused:?}");
        let refused = CommitTree::bounded(&repository, bomb, "", (1 << 20, 1 << 30, 3)).err().unwrap();
        assert!(refused.reason.contains("nested more than 3 deep"), "{refused:?}");
        let listed = CommitTree::bounded(&repository, bomb, "", (300_000, 1 << 30, 10)).unwrap();
        assert_eq!(listed.listing().files.len(), 100_000);
    }

    #[test]
    fn lfs_pointers_are_not_read_as_text() {
        let dir = tempfile::tempdir().unwrap();
        let pointer = "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a\nsize 12345\n";
        let (repository, id) = commit(dir.path(), &[("docs/big.md", pointer)], &[]);
        let tree = CommitTree::new(&repository, id, "").unwrap();
        assert_eq!(tree.read("docs/big.md", 1000), Err(Skip::Unreadable));
    }
}
