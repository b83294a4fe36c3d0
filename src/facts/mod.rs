//! Facts about the repository, each computed at most once and only when an enabled rule asks for it,
//! then lent to every check. Checks never open files or the git repository themselves.

pub mod commands;
pub mod generated;
pub mod git;
pub mod history;
pub mod ignores;
pub mod manifests;
pub mod peers;
pub mod profile;
pub mod roles;
pub mod schema;
pub mod source;
pub mod status;
pub mod text;
pub mod tree;

use crate::markdown::{self, MarkdownDoc};
use history::{History, HistorySettings, Unavailable};
use manifests::Manifest;
use profile::{Profile, ProfileFact};
use roles::is_auxiliary;
pub use roles::is_source;
use std::any::{Any, TypeId};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use text::Skip;
use tree::Tree;

/// One file's parsed Markdown, filled by whichever check asks first; `None` when unreadable.
type MarkdownCell = OnceLock<Option<Arc<MarkdownDoc>>>;

/// Settings that shape the facts.
#[derive(Debug, Clone, Default)]
pub struct FactSettings {
    /// Gitignore-style patterns excluded from the walk, on top of the defaults.
    pub excludes: Vec<String>,
    pub max_file_size: u64,
    /// Profiles given in `apelint.toml`, replacing detection.
    pub profile: Option<Vec<Profile>>,
    pub history: HistorySettings,
    /// Tree-sitter matches found by other runs of the same command (the points of a trend).
    pub matches: Option<Arc<crate::syntax::MatchCache>>,
}

impl Default for HistorySettings {
    fn default() -> Self {
        HistorySettings {
            window_days: history::DEFAULT_WINDOW_DAYS,
            bots: HistorySettings::default_bots(),
            now: crate::date::clock(),
            at: None,
            cadence_at: None,
            graph: None,
        }
    }
}

pub struct Facts {
    root: PathBuf,
    settings: FactSettings,
    /// Where paths and texts are read: the working tree, or a commit's tree.
    source: source::Source,
    boundary: OnceLock<crate::boundary::Boundary>,
    tree: OnceLock<Tree>,
    manifests: OnceLock<Manifests>,
    peers: OnceLock<peers::Peers>,
    profile: OnceLock<ProfileFact>,
    git: OnceLock<git::GitState>,
    commands: OnceLock<commands::Commands>,
    gitignore: OnceLock<ignore::gitignore::Gitignore>,
    sites: OnceLock<Vec<String>>,
    generated: OnceLock<generated::Generated>,
    generated_project: OnceLock<Option<String>>,
    project_template: OnceLock<Option<String>>,
    documentation_project: OnceLock<Option<String>>,
    status: OnceLock<Option<status::Status>>,
    tool_packages: OnceLock<Vec<String>>,
    sites_set: OnceLock<HashSet<String>>,
    dependency_names: OnceLock<HashSet<String>>,
    history: OnceLock<Result<History, Unavailable>>,
    schema: OnceLock<schema::Schema>,
    source_count: OnceLock<usize>,
    product_source_count: OnceLock<usize>,
    enclosing: OnceLock<Vec<String>>,
    markdown: Mutex<HashMap<String, Arc<MarkdownCell>>>,
    skipped: Mutex<BTreeMap<String, Skip>>,
    /// Values a check computes once per run and shares with another check built alike (two rules
    /// whose `[check]` is `like` the same one), by a typed key (see [`Facts::shared`]).
    shared: Mutex<HashMap<SharedKey, Arc<dyn Any + Send + Sync>>>,
}

/// A key of [`Facts::shared`], any type that can be hashed and compared, seen through this trait so
/// that keys of many types live in one map. Two keys are equal only when they are of one type and
/// equal as that type.
trait AnyKey: Send + Sync {
    fn as_any(&self) -> &dyn Any;
    fn equals(&self, other: &dyn AnyKey) -> bool;
    fn hash_into(&self, state: &mut dyn Hasher);
}

impl<K: Hash + Eq + Send + Sync + 'static> AnyKey for K {
    fn as_any(&self) -> &dyn Any {
        self
    }

    fn equals(&self, other: &dyn AnyKey) -> bool {
        other.as_any().downcast_ref::<K>() == Some(self)
    }

    fn hash_into(&self, mut state: &mut dyn Hasher) {
        TypeId::of::<K>().hash(&mut state);
        self.hash(&mut state);
    }
}

/// A key of [`Facts::shared`] with the type of the value it names: values of two types never meet
/// under one key, whatever the keys hold.
struct SharedKey {
    value: TypeId,
    key: Box<dyn AnyKey>,
}

impl PartialEq for SharedKey {
    fn eq(&self, other: &SharedKey) -> bool {
        self.value == other.value && self.key.equals(other.key.as_ref())
    }
}

impl Eq for SharedKey {}

impl Hash for SharedKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.value.hash(state);
        self.key.hash_into(state);
    }
}

/// The key of [`Facts::path_changes`]: the watched paths.
#[derive(PartialEq, Eq, Hash)]
struct PathChangesUnder(Vec<String>);

/// The manifests of the repository's own packages, and those that could not be parsed.
#[derive(Debug, Default)]
pub struct Manifests {
    pub list: Vec<Manifest>,
    /// Manifests that exist but could not be parsed: (path, reason).
    pub broken: Vec<(String, String)>,
}

impl Facts {
    /// The facts of the working tree at `root`.
    pub fn new(root: impl Into<PathBuf>, settings: FactSettings) -> Self {
        Facts::of(root, settings, source::Source::WorkTree)
    }

    /// The facts of one commit's tree, read from git objects; the history is read up to it, unless
    /// the settings name another commit to read it up to (`history.at`).
    pub fn at_commit(root: impl Into<PathBuf>, mut settings: FactSettings, tree: source::CommitTree) -> Self {
        settings.history.at.get_or_insert(tree.id());
        Facts::of(root, settings, source::Source::Commit(Box::new(tree)))
    }

    fn of(root: impl Into<PathBuf>, settings: FactSettings, source: source::Source) -> Self {
        Facts {
            root: root.into(),
            settings,
            source,
            boundary: OnceLock::new(),
            tree: OnceLock::new(),
            enclosing: OnceLock::new(),
            manifests: OnceLock::new(),
            peers: OnceLock::new(),
            profile: OnceLock::new(),
            git: OnceLock::new(),
            commands: OnceLock::new(),
            gitignore: OnceLock::new(),
            sites: OnceLock::new(),
            generated: OnceLock::new(),
            generated_project: OnceLock::new(),
            project_template: OnceLock::new(),
            documentation_project: OnceLock::new(),
            status: OnceLock::new(),
            tool_packages: OnceLock::new(),
            sites_set: OnceLock::new(),
            dependency_names: OnceLock::new(),
            history: OnceLock::new(),
            schema: OnceLock::new(),
            source_count: OnceLock::new(),
            product_source_count: OnceLock::new(),
            markdown: Mutex::new(HashMap::new()),
            skipped: Mutex::new(BTreeMap::new()),
            shared: Mutex::new(HashMap::new()),
        }
    }

    /// The settings the facts were made with.
    pub fn settings(&self) -> &FactSettings {
        &self.settings
    }

    /// "Now" for the run (`APELINT_NOW` in tests), in seconds since the epoch.
    pub fn now(&self) -> i64 {
        self.settings.history.now
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The commit judged, when the facts are of a commit's tree rather than the working tree.
    pub fn commit(&self) -> Option<&source::CommitTree> {
        match &self.source {
            source::Source::Commit(tree) => Some(tree),
            source::Source::WorkTree => None,
        }
    }

    pub fn tree(&self) -> &Tree {
        self.tree.get_or_init(|| {
            let tree = match &self.source {
                source::Source::Commit(commit) => {
                    Tree::from_listing(&self.root, commit.listing(), &self.settings.excludes)
                }
                source::Source::WorkTree => {
                    // Exclude patterns were validated with the configuration, so the walk cannot fail on them.
                    let mut tree = Tree::walk(&self.root, &self.settings.excludes).unwrap_or_default();
                    if let Some(tracked) = git::tracked_files(&self.root) {
                        tree.add_tracked(&self.root, tracked, &self.settings.excludes);
                    }
                    tree
                }
            };
            // Folders that could not be read, and repositories nested in this one, are said in
            // the report: findings about what is missing were judged without them.
            let mut skipped = self.skipped.lock().expect("no panics while holding the lock");
            for path in &tree.unreadable {
                skipped.insert(path.clone(), Skip::Unreadable);
            }
            for path in &tree.nested {
                skipped.insert(path.clone(), Skip::NestedRepository);
            }
            tree
        })
    }

    /// Whether `path` exists on disk inside the repository (an ignored or generated file the walk
    /// left out); what a link out of the repository names does not count, so that a repository
    /// cannot ask whether some file of the machine exists.
    pub fn exists_inside(&self, path: &str) -> bool {
        match &self.source {
            source::Source::Commit(commit) => commit.exists(path),
            source::Source::WorkTree => self.boundary().admit(Path::new(path)).is_ok(),
        }
    }

    /// Like [`Facts::exists_inside`], for a folder.
    pub fn is_dir_inside(&self, path: &str) -> bool {
        match &self.source {
            source::Source::Commit(commit) => commit.is_dir(path),
            source::Source::WorkTree => self.boundary().admit(Path::new(path)).is_ok_and(|real| real.is_dir()),
        }
    }

    /// Whether `path` is a file inside the repository (links followed).
    pub fn is_file_inside(&self, path: &str) -> bool {
        match &self.source {
            source::Source::Commit(commit) => commit.exists(path) && !commit.is_dir(path),
            source::Source::WorkTree => self.boundary().admit(Path::new(path)).is_ok_and(|real| real.is_file()),
        }
    }

    /// What may be read of the working tree (see [`crate::boundary`]): files the command line names.
    pub fn boundary(&self) -> &crate::boundary::Boundary {
        self.boundary.get_or_init(|| crate::boundary::Boundary::of(&self.root))
    }

    /// The value under `key`, computed by `make` the first time it is asked for in this run. A key is
    /// a value of any type that can be hashed and compared (a type of its own for each kind of value,
    /// or the settings the value is computed from); it finds only a value asked for with a key of
    /// the same type, equal to it, for a value of the same type.
    pub fn shared<K, T>(&self, key: K, make: impl FnOnce() -> T) -> Arc<T>
    where
        K: Hash + Eq + Send + Sync + 'static,
        T: Send + Sync + 'static,
    {
        let key = SharedKey { value: TypeId::of::<T>(), key: Box::new(key) };
        let mut shared = self.shared.lock().expect("no panics while holding the lock");
        if let Some(value) = shared.get(&key).and_then(|value| value.clone().downcast::<T>().ok()) {
            return value;
        }
        let value = Arc::new(make());
        shared.insert(key, value.clone());
        value
    }

    /// Reads a repository file as text; a file that cannot be read is recorded as skipped.
    pub fn read(&self, path: &str) -> Option<String> {
        match self.read_up_to(path, self.settings.max_file_size) {
            Ok(text) => Some(text),
            Err(skip) => {
                self.skipped.lock().expect("no panics while holding the lock").insert(path.to_string(), skip);
                None
            }
        }
    }

    /// Reads a repository file of at most `max_size` bytes as text, from the working tree within
    /// its boundary or from the commit's tree; nothing is recorded (a reporter showing lines, a
    /// file read for a hint only).
    pub fn read_up_to(&self, path: &str, max_size: u64) -> Result<String, Skip> {
        match &self.source {
            source::Source::Commit(commit) => commit.read(path, max_size),
            source::Source::WorkTree => self.boundary().read(Path::new(path), max_size),
        }
    }

    /// Whether `path` is a symbolic link to another file of the repository: its text is checked at
    /// the real file, and checking it again would report every finding twice.
    pub fn is_link_within(&self, path: &str) -> bool {
        if !self.tree().is_symlink(path) {
            return false;
        }
        if let source::Source::Commit(commit) = &self.source {
            return commit.is_link_to_file(path);
        }
        match (self.root.join(path).canonicalize(), self.root.canonicalize()) {
            (Ok(target), Ok(root)) => target.starts_with(root) && target.is_file(),
            _ => false,
        }
    }

    /// Folders that are the roots of documentation sites (Docusaurus, mkdocs, VitePress, mdBook,
    /// Jekyll, Hugo, Astro, VuePress, Nextra; ExDoc's guides), where links are routes a generator
    /// resolves.
    pub fn docs_sites(&self) -> &[String] {
        self.sites.get_or_init(|| {
            let mut sites: Vec<String> = self
                .tree()
                .files
                .iter()
                .chain(&self.tree().dirs)
                .filter(|path| is_site_marker(path.rsplit('/').next().unwrap_or(path)))
                .map(|path| path.rsplit_once('/').map_or(String::new(), |(dir, _)| dir.to_string()))
                .collect();
            for mix in self.tree().files.iter().filter(|path| path.rsplit('/').next() == Some("mix.exs")) {
                if let Some(text) = self.read(mix) {
                    sites.extend(exdoc_guides(crate::paths::parent(mix), &text));
                }
            }
            sites.sort();
            sites.dedup();
            sites
        })
    }

    /// The trees the repository did not write by hand (`.gitattributes` `linguist-generated` and
    /// `linguist-vendored`, generators' output folders): no rule judges a file in them.
    pub fn generated(&self) -> &generated::Generated {
        self.generated.get_or_init(|| {
            let tree = self.tree();
            generated::Generated::new(
                &self.root,
                tree.files.iter().map(String::as_str),
                tree.dirs.iter().map(String::as_str),
                |path| self.read(path),
            )
        })
    }

    /// The marker of a project generator (`.yo-rc.json`) when the whole repository is still that
    /// generator's output (its README says it was generated): a sample or skeleton that is
    /// regenerated, not written, so rules asking for hand-written process documents hold back.
    pub fn generated_project(&self) -> Option<&str> {
        self.generated_project
            .get_or_init(|| {
                generated::project_generator(self.tree().files.iter().map(String::as_str), |path| self.read(path))
            })
            .as_deref()
    }

    /// Why the repository is the source of a project template (a skeleton whose README every new
    /// project starts with), or `None`.
    pub fn project_template(&self) -> Option<&str> {
        self.project_template
            .get_or_init(|| {
                generated::project_template(self.tree().files.iter().map(String::as_str), |path| self.read(path))
            })
            .as_deref()
    }

    /// Why the repository's product is its documentation, or `None`: a site or a book whose
    /// generator is configured at the root (`hugo.toml`, `mkdocs.yml`, `book.toml`, Sphinx's
    /// `conf.py`), dozens of pages, and no more code than it takes to build them. Its users read
    /// it where it is published: there is no test suite to write, no release to tag or announce.
    pub fn documentation_project(&self) -> Option<&str> {
        const MIN_PAGES: usize = 30;
        const MAX_CODE: usize = 20;
        self.documentation_project
            .get_or_init(|| {
                if !self.docs_sites().iter().any(String::is_empty) {
                    return None;
                }
                let tree = self.tree();
                let marker = tree.files.iter().chain(&tree.dirs).find(|path| !path.contains('/') && is_site_marker(path))?;
                let pages = tree
                    .files
                    .iter()
                    .filter(|path| {
                        let extension = path.rsplit_once('.').map_or("", |(_, extension)| extension);
                        ["md", "mdx", "markdown", "rst", "adoc", "asciidoc"]
                            .iter()
                            .any(|known| extension.eq_ignore_ascii_case(known))
                    })
                    .count();
                let code = self.product_source_file_count();
                (pages >= MIN_PAGES && code <= MAX_CODE && pages >= 10 * code).then(|| {
                    format!(
                        "its product is documentation: a site generator configured at the root (`{marker}`), {pages} pages and {code} source file(s) of its own"
                    )
                })
            })
            .as_deref()
    }

    /// What the root README says of the repository's status (retired, in maintenance mode, a
    /// read-only split or mirror), or `None`.
    pub fn status(&self) -> Option<&status::Status> {
        self.status
            .get_or_init(|| {
                status::repository_status(self.tree().files.iter().map(String::as_str), |path| self.read(path))
            })
            .as_ref()
    }

    /// Whether `path` lies inside a documentation site.
    pub fn in_docs_site(&self, path: &str) -> bool {
        let sites = self.sites_set.get_or_init(|| self.docs_sites().iter().cloned().collect());
        // The folders above `path`, each looked up: a question per link costs its path's depth.
        sites.contains("") || path.match_indices('/').any(|(at, _)| sites.contains(&path[..at]))
    }

    /// Records that `path` was skipped (or only partly checked) by code rules.
    pub fn skip(&self, path: &str, why: Skip) {
        self.skipped.lock().expect("no panics while holding the lock").insert(path.to_string(), why);
    }

    /// Files that were not read, and why.
    pub fn skipped(&self) -> BTreeMap<String, Skip> {
        self.skipped.lock().expect("no panics while holding the lock").clone()
    }

    /// The peer dependencies the npm lockfiles record (see [`peers`]). A lockfile over the size
    /// limit is left out without a skip: it is read for this hint only, never checked.
    pub fn npm_peers(&self) -> &peers::Peers {
        self.peers.get_or_init(|| {
            let mut found = peers::Peers::default();
            for path in self.tree().files.iter().filter(|path| peers::Peers::is_lockfile(path)) {
                if let Ok(text) = self.read_up_to(path, self.settings.max_file_size) {
                    found.read(path, &text);
                }
            }
            found
        })
    }

    /// Whether any manifest declares a dependency of this (normalised) name.
    pub fn declares(&self, name: &str) -> bool {
        self.dependency_names
            .get_or_init(|| {
                let manifests = &self.manifests().list;
                manifests.iter().flat_map(|manifest| &manifest.dependencies).map(|dep| dep.name.clone()).collect()
            })
            .contains(name)
    }

    pub fn manifests(&self) -> &Manifests {
        self.manifests.get_or_init(|| {
            let mut found = Manifests::default();
            for path in &self.tree().files {
                if manifests::manifest_kind(path).is_none() || is_auxiliary(path) {
                    continue;
                }
                let Some(text) = self.read(path) else { continue };
                match manifests::parse(path, &text) {
                    Ok(manifest) => found.list.push(manifest),
                    Err(error) => found.broken.push((path.clone(), error.to_string())),
                }
            }
            found
        })
    }

    /// The folders (each ending in `/`) of the packages below the root that are command-line tools
    /// beside the product: a package that builds a program and no library (npm `bin` without `main`
    /// or `exports`, a .NET `Exe`, a Cargo crate with `src/main.rs` and no library) and whose name
    /// says it is a tool (`meilitool`, `foo-cli`, `fooctl`, npm's `create-foo` initialisers).
    pub fn tool_packages(&self) -> &[String] {
        self.tool_packages.get_or_init(|| {
            let tree = self.tree();
            let mut folders: Vec<String> = Vec::new();
            for manifest in &self.manifests().list {
                let Some((folder, _)) = manifest.path.rsplit_once('/') else { continue };
                let Some(name) = manifest.name.as_deref().map(str::to_ascii_lowercase) else { continue };
                let tool = ["tool", "tools", "cli", "ctl"].iter().any(|end| name.ends_with(end))
                    || name.starts_with("create-");
                let program = match manifest.ecosystem {
                    manifests::Ecosystem::Cargo => {
                        (!manifest.binaries.is_empty() || tree.exists(&format!("{folder}/src/main.rs")))
                            && !tree.exists(&format!("{folder}/src/lib.rs"))
                    }
                    _ => !manifest.binaries.is_empty(),
                };
                if tool && program && !manifest.has_library {
                    folders.push(format!("{folder}/"));
                }
            }
            folders
        })
    }

    /// Whether `path` lies in a command-line tool's package ([`Facts::tool_packages`]).
    pub fn in_tool_package(&self, path: &str) -> bool {
        self.tool_packages().iter().any(|folder| path.starts_with(folder.as_str()))
    }

    pub fn profile(&self) -> &ProfileFact {
        self.profile.get_or_init(|| match &self.settings.profile {
            Some(profiles) => ProfileFact::configured(profiles),
            None => profile::detect(self),
        })
    }

    /// The commit history within the window, or why it cannot be judged.
    pub fn history(&self) -> Result<&History, &Unavailable> {
        self.history.get_or_init(|| History::read(&self.root, &self.settings.history)).as_ref()
    }

    /// The history, if some rule already asked for it (reporters show it only then).
    pub fn history_if_read(&self) -> Option<Result<&History, &Unavailable>> {
        self.history.get().map(Result::as_ref)
    }

    /// The migration sets and schema files (see [`schema::Schema::detect`]).
    pub fn schema(&self) -> &schema::Schema {
        self.schema.get_or_init(|| schema::Schema::detect(self))
    }

    /// What the first-parent commits within the window changed under `watched` paths; computed
    /// once per run for a given list.
    pub fn path_changes(&self, watched: &[String]) -> Arc<Result<Vec<history::PathChange>, Unavailable>> {
        let key = PathChangesUnder(watched.to_vec());
        self.shared(key, || history::path_changes(&self.root, watched, &self.settings.history))
    }

    /// For each `(path, since, before)`, the oldest of `tags` in that span whose tree holds the
    /// path (see [`history::shipped_by`]).
    pub fn shipped_by(&self, tags: &[history::Tag], queries: &[(String, i64, i64)]) -> Vec<Option<String>> {
        history::shipped_by(&self.root, tags, queries)
    }

    /// The schema fact, when a rule asked for it.
    pub fn schema_if_read(&self) -> Option<&schema::Schema> {
        self.schema.get()
    }

    pub fn git(&self) -> &git::GitState {
        self.git.get_or_init(|| {
            let state = git::GitState::detect(&self.root);
            match self.commit() {
                Some(commit) => {
                    let head = git2::Repository::discover(&self.root)
                        .ok()
                        .and_then(|repository| repository.head().ok()?.peel_to_commit().ok().map(|head| head.id()));
                    state.at_commit(commit.id(), head == Some(commit.id()))
                }
                None => state,
            }
        })
    }

    /// When the checked folder is inside a repository, the files of the folders enclosing it,
    /// relative to each (see `git::enclosing_files`): a monorepo's CI and LICENSE at its top.
    pub fn enclosing_files(&self) -> &[String] {
        self.enclosing.get_or_init(|| match &self.source {
            source::Source::Commit(commit) => commit.enclosing_files(),
            source::Source::WorkTree => git::enclosing_files(&self.root),
        })
    }

    /// Make targets, npm scripts and the like that the repository defines.
    pub fn commands(&self) -> &commands::Commands {
        self.commands.get_or_init(|| commands::Commands::collect(self))
    }

    /// Whether the root `.gitignore` ignores `path` (a file a reader creates, like `config/master.key`).
    pub fn is_ignored(&self, path: &str) -> bool {
        if path.is_empty() || path.starts_with('/') {
            return false;
        }
        let gitignore = self.gitignore.get_or_init(|| match &self.source {
            source::Source::Commit(commit) => commit
                .read(".gitignore", ignores::MAX_SIZE)
                .ok()
                .and_then(|text| ignores::from_text(&self.root, None, &text))
                .unwrap_or_else(ignore::gitignore::Gitignore::empty),
            source::Source::WorkTree => ignores::GitIgnores::new(&self.root)
                .root()
                .map_or_else(ignore::gitignore::Gitignore::empty, |root| (*root).clone()),
        });
        let is_dir = match &self.source {
            source::Source::Commit(commit) => commit.is_dir(path),
            source::Source::WorkTree => self.root.join(path).is_dir(),
        };
        gitignore.matched_path_or_any_parents(path, is_dir).is_ignore()
    }

    /// The repository's source files: code in a programming language, not data, docs or config.
    pub fn source_files(&self) -> impl Iterator<Item = &str> {
        self.tree().files.iter().map(String::as_str).filter(|path| is_source(path))
    }

    pub fn source_file_count(&self) -> usize {
        *self.source_count.get_or_init(|| self.source_files().count())
    }

    /// Whether the repository's only code is its CI and tooling scripts (`scripts/`, `tools/`,
    /// `.github/`): a list, a book or a site kept with a linter script is not a code project.
    pub fn only_tooling_code(&self) -> bool {
        const TOOLING: &[&str] =
            &["scripts", "script", "tools", "tool", "hack", "ci", ".ci", ".github", ".circleci", ".gitlab", ".husky"];
        let mut any = false;
        for path in self.source_files() {
            let Some((first, _)) = path.split_once('/') else { return false };
            if !TOOLING.contains(&first.to_ascii_lowercase().as_str()) {
                return false;
            }
            any = true;
        }
        any
    }

    /// The source files of the product itself: not tests, examples, benchmarks, documentation,
    /// tools or vendored code (`roles::is_product_path`, `roles::is_test_path`). A large test suite
    /// does not make a small library a large codebase.
    pub fn product_source_file_count(&self) -> usize {
        *self.product_source_count.get_or_init(|| {
            self.source_files().filter(|path| roles::is_product_path(path) && !roles::is_test_path(path)).count()
        })
    }

    /// The parsed Markdown of `path`, parsed once however many rules ask. `text`, when the caller has
    /// already read the file, saves a second read.
    pub fn markdown(&self, path: &str, text: Option<&str>) -> Option<Arc<MarkdownDoc>> {
        let cell = {
            let mut cache = self.markdown.lock().expect("no panics while holding the lock");
            cache.entry(path.to_string()).or_default().clone()
        };
        cell.get_or_init(|| {
            let parse = |text: &str| Arc::new(markdown::parse(text));
            match text {
                Some(text) => Some(parse(text)),
                None => self.read(path).map(|text| parse(&text)),
            }
        })
        .clone()
    }
}

/// The folders of the guides ExDoc builds into a project's hexdocs (`docs: [extras: [...]]` in
/// `mix.exs`): ExDoc flattens them into one site, where `contexts.md` from another folder and
/// `Mix.Tasks.Phx.New.html` resolve. A guide at the project's root (its README) is not a site.
fn exdoc_guides(project: &str, mix_exs: &str) -> Vec<String> {
    static GUIDE: OnceLock<regex::Regex> = OnceLock::new();
    if !mix_exs.contains("extras") {
        return Vec::new();
    }
    let guide =
        GUIDE.get_or_init(|| regex::Regex::new(r#""([\w.-]+)/[^"\n]*\.(?:md|cheatmd|livemd)""#).expect("valid"));
    let mut folders: Vec<String> = guide
        .captures_iter(mix_exs)
        .filter_map(|found| found.get(1))
        .filter_map(|folder| crate::paths::resolve(project, folder.as_str()))
        .collect();
    folders.sort();
    folders.dedup();
    folders
}

/// Files and folders that mark the root of a documentation site.
/// Whether a file or folder name marks the root of a documentation site (`SITE_MARKERS`).
fn is_site_marker(name: &str) -> bool {
    SITE_MARKERS.iter().any(|marker| match marker.strip_suffix(".*") {
        Some(stem) => name.strip_prefix(stem).is_some_and(|rest| rest.starts_with('.')),
        None => name == *marker,
    })
}

const SITE_MARKERS: &[&str] = &[
    "docusaurus.config.*",
    "mkdocs.yml",
    "mkdocs.yaml",
    ".vitepress",
    ".vuepress",
    "book.toml",
    "_config.yml",
    "hugo.toml",
    "hugo.yaml",
    "astro.config.*",
    "theme.config.*",
    "conf.py",
    "antora.yml",
    // Hugo section pages: a tree of content whose pages are folders in the built site.
    "_index.md",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_values_are_found_by_key_type_and_value_type() {
        let facts = Facts::new(".", FactSettings::default());
        let made = std::sync::atomic::AtomicUsize::new(0);
        let count = || made.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let words = |list: &[&str]| list.iter().map(|word| (*word).to_string()).collect::<Vec<_>>();
        assert_eq!(*facts.shared(PathChangesUnder(words(&["a"])), || (count(), "first")), (0, "first"));
        // The same key again: computed once.
        assert_eq!(*facts.shared(PathChangesUnder(words(&["a"])), || (count(), "again")), (0, "first"));
        // Another key of the same type, the same value in a key of another type, and the same key for
        // a value of another type: each its own.
        assert_eq!(*facts.shared(PathChangesUnder(words(&["b"])), || (count(), "b")), (1, "b"));
        assert_eq!(*facts.shared(words(&["a"]), || (count(), "vec")), (2, "vec"));
        assert_eq!(*facts.shared(PathChangesUnder(words(&["a"])), count), 3);
        assert_eq!(*facts.shared(PathChangesUnder(words(&["a"])), || (count(), "last")), (0, "first"));
    }
}
