//! The commit history: the one module that walks commits with git2. Commits reachable from HEAD
//! within a window before HEAD's commit date, tags peeled to commits, and the states in which the
//! history cannot be judged (no repository, no commits, a shallow clone that stops inside the
//! window). The walk stops at the window's edge: it never walks a long history to its root.

use regex::Regex;
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

pub const DAY: i64 = 86_400;
pub const WEEK: i64 = 7 * DAY;

/// Settings for reading the history.
#[derive(Debug, Clone)]
pub struct HistorySettings {
    /// Days before HEAD's commit date that windowed metrics look at.
    pub window_days: u32,
    /// Authors matching any of these regexes (case-insensitive, against "name <email>") are bots.
    /// Each was checked when the configuration loaded; they are compiled, as one, only when the
    /// history is read.
    pub bots: Vec<String>,
    /// "Now", in seconds since the epoch: the reference for days since the last commit or tag.
    pub now: i64,
    /// The commit judged, when not HEAD: the history is read up to it.
    pub at: Option<git2::Oid>,
    /// The commit whose history the cadence is read from, when not `at`: the merge base of a change
    /// is judged with the cadence of the change's head, so that the clock or a commit count cannot
    /// make a finding new (`--new-since`). What changed under a path is still read up to `at`.
    pub cadence_at: Option<git2::Oid>,
    /// Commits and tags already read, shared by runs over one repository (the points of a trend):
    /// each commit is read from git objects once however many windows hold it.
    pub graph: Option<std::sync::Arc<CommitGraph>>,
}

/// What the history needs of a commit, read once.
#[derive(Debug)]
struct CommitInfo {
    /// Committer time, kept in range (see [`seconds`]).
    time: i64,
    /// Committer time as git stores it: the walk's order.
    raw_time: i64,
    /// "name <email>" of the author.
    who: String,
    parents: Vec<git2::Oid>,
    /// Whether the subject reads like a release dump (see [`RELEASE_DUMP_RE`]).
    release: bool,
}

/// The commits (and the tags) of one repository read so far; see [`HistorySettings::graph`].
#[derive(Debug, Default)]
pub struct CommitGraph {
    commits: std::sync::Mutex<HashMap<git2::Oid, std::sync::Arc<CommitInfo>>>,
    tags: std::sync::OnceLock<Vec<Tag>>,
}

impl CommitGraph {
    /// The commit `id`, read from `repository` the first time; `None` when it is not there.
    fn commit(&self, repository: &git2::Repository, id: git2::Oid) -> Result<std::sync::Arc<CommitInfo>, git2::Error> {
        if let Some(found) = self.commits.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(&id) {
            return Ok(found.clone());
        }
        let commit = repository.find_commit(id)?;
        let author = commit.author();
        let info = std::sync::Arc::new(CommitInfo {
            time: seconds(commit.time()),
            raw_time: commit.time().seconds(),
            who: format!("{} <{}>", author.name().unwrap_or_default(), author.email().unwrap_or_default()),
            parents: commit.parent_ids().collect(),
            release: RELEASE_DUMP_RE.is_match(commit.summary().unwrap_or_default().unwrap_or_default()),
        });
        self.commits.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(id, info.clone());
        Ok(info)
    }

    fn tags(&self, repository: &git2::Repository) -> Vec<Tag> {
        self.tags.get_or_init(|| tags(repository)).clone()
    }
}

/// Bot authors that do not count toward cadence.
pub const DEFAULT_BOTS: &[&str] = &[
    r"\[bot\]",
    r"\bdependabot\b",
    r"\brenovate\b",
    r"\bgithub-actions\b",
    r"\bgreenkeeper\b",
    r"\bsnyk-bot\b",
    r"\bpre-commit-ci\b",
    r"\ballcontributors\b",
    r"\bsemantic-release-bot\b",
    r"\bmergify\b",
    r"\bimgbot\b",
    r"\bweblate\b",
    r"noreply@github\.com>$",
    // A name that ends in bot (`release-bot`, `Build Bot`, `ci.bot`); `Talbot` is a person.
    r"[-_.\s]bot\s*<",
];

/// A commit that only dumps a release: `Bump version to 1.2.0`, `Release v2.0`, `chore(release): 1.2.0`,
/// `v1.2.3`. An account whose commits in the window are all such dumps is a release pipeline's (a
/// public export of a private repository), not a person working here.
static RELEASE_DUMP_RE: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:bump(?:ed)?\s+(?:the\s+)?version\b|(?:prepare\s+)?release\s+v?\d|\[release\]|chore\(release\)|v?\d+\.\d+(?:\.\d+)?(?:[-+][\w.]+)?\s*$|(?:set|update)\s+version\s+to\b)")
        .expect("valid regex")
});

pub const DEFAULT_WINDOW_DAYS: u32 = 365;

/// The longest window `[history] window-days` may ask for: ten years, one slot a week.
pub const MAX_WINDOW_DAYS: u32 = 3_653;

/// A commit's or tag's time, kept between 1970 and the year 9999: a repository can write any
/// number there, and arithmetic on days and weeks must not overflow.
fn seconds(time: git2::Time) -> i64 {
    time.seconds().clamp(0, 253_402_300_799)
}

impl HistorySettings {
    pub fn default_bots() -> Vec<String> {
        DEFAULT_BOTS.iter().map(|pattern| (*pattern).to_string()).collect()
    }

    /// The bot patterns, compiled: the built-in ones as one regex, each added one on its own, so
    /// that no added pattern can switch the built-in list off. Every added pattern compiled when
    /// the configuration loaded. The added ones are then joined, each in a group of its own, into
    /// as few regexes as compile, so that an author is read once or a few times however many
    /// patterns there are, not once per pattern.
    fn bot_matcher(&self) -> Bots {
        let (builtin, added): (Vec<&String>, Vec<&String>) =
            self.bots.iter().partition(|pattern| DEFAULT_BOTS.contains(&pattern.as_str()));
        let joined = builtin.iter().map(|pattern| format!("(?:{pattern})")).collect::<Vec<_>>().join("|");
        let builtin = Some(joined).filter(|joined| !joined.is_empty()).and_then(|joined| insensitive(&joined).ok());
        let mut alone = Vec::new();
        let groups: Vec<String> = added
            .into_iter()
            .filter_map(|pattern| match own_group(pattern) {
                Some(group) => Some(group),
                None => {
                    alone.extend(insensitive(pattern).ok());
                    None
                }
            })
            .collect();
        let mut added = alone;
        compile_joined(&groups, &mut added);
        Bots { builtin, added }
    }
}

fn insensitive(pattern: &str) -> Result<Regex, regex::Error> {
    Regex::new(&format!("(?i){pattern}"))
}

/// `(?i)pattern` as a group that ends where it seems to, so that it can be one alternative among
/// others and mean what it means alone: its flags end with the group, and a verbose-mode comment
/// at its end (`(?x) bot # the CI`), which would run on past the `)`, is ended by a newline, which
/// verbose mode ignores. `None` when neither form is one group.
fn own_group(pattern: &str) -> Option<String> {
    [format!("(?:(?i){pattern})"), format!("(?:(?i){pattern}\n)")].into_iter().find(|group| {
        regex_syntax::ast::parse::Parser::new().parse(group).is_ok_and(|ast| {
            matches!(&ast, regex_syntax::ast::Ast::Group(found) if found.span.start.offset == 0 && found.span.end.offset == group.len())
        })
    })
}

/// Compiles the groups as alternatives of one regex; when that is too large, each half on its own,
/// and so on. A group that does not compile even alone is left out, as a pattern that does not
/// compile would be.
fn compile_joined(groups: &[String], out: &mut Vec<Regex>) {
    if groups.is_empty() {
        return;
    }
    match Regex::new(&groups.join("|")) {
        Ok(joined) => out.push(joined),
        Err(_) if groups.len() == 1 => {}
        Err(_) => {
            let (first, second) = groups.split_at(groups.len() / 2);
            compile_joined(first, out);
            compile_joined(second, out);
        }
    }
}

/// Bot authors, as patterns compiled once for the whole walk.
struct Bots {
    builtin: Option<Regex>,
    /// The added patterns, joined as far as they compile together.
    added: Vec<Regex>,
}

impl Bots {
    fn is_match(&self, who: &str) -> bool {
        self.builtin.as_ref().is_some_and(|builtin| builtin.is_match(who))
            || self.added.iter().any(|pattern| pattern.is_match(who))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Commit {
    /// Committer time, seconds since the epoch.
    pub time: i64,
    pub author: String,
    pub merge: bool,
    pub bot: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tag {
    pub name: String,
    /// The tagger's time for an annotated tag, the commit's time for a lightweight one.
    pub time: i64,
}

/// The history within the window, newest commit first.
#[derive(Debug, Clone, Default, Serialize)]
pub struct History {
    pub head_time: i64,
    pub window_start: i64,
    pub now: i64,
    pub commits: Vec<Commit>,
    /// Every tag that points (through annotated tags) at a commit, newest first.
    pub tags: Vec<Tag>,
    /// Whether some commit is older than the window: the history is at least a window long.
    pub extends_before_window: bool,
    /// The oldest commit the walk saw.
    pub oldest_time: i64,
    pub shallow: bool,
    /// Commits the walk read: those in the window and a few past its edge, never the whole history.
    pub walked: usize,
}

/// Why the history cannot be judged, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unavailable {
    pub reason: String,
    pub hint: String,
}

/// A repository whose objects cannot be read.
fn corrupt(what: &str, error: &git2::Error) -> Unavailable {
    Unavailable {
        reason: format!("{what}: {}", error.message()),
        hint: "the repository may be corrupt or incomplete: `git fsck` tells; a fresh clone mends it".to_string(),
    }
}

impl History {
    /// Reads the history of the repository at or above `root`.
    pub fn read(root: &Path, settings: &HistorySettings) -> Result<History, Unavailable> {
        // apelint only reads the history; re-hashing every object read to verify it (libgit2's
        // default) costs more than the walk itself on a packed repository.
        git2::opts::strict_hash_verification(false);
        let repository = git2::Repository::discover(root).map_err(|error| match error.code() {
            git2::ErrorCode::NotFound => Unavailable {
                reason: "not a git repository".to_string(),
                hint: "run apelint inside a git clone to judge the history".to_string(),
            },
            _ => Unavailable {
                reason: format!("the git repository cannot be read: {}", error.message()),
                hint: String::new(),
            },
        })?;
        let head = match settings.cadence_at.or(settings.at).map(|at| repository.find_commit(at)) {
            Some(found) => found.map_err(|error| corrupt("the judged commit cannot be read", &error))?,
            None => match repository.head() {
                Ok(head) => head.peel_to_commit().map_err(|error| corrupt("HEAD's commit cannot be read", &error))?,
                Err(error) if matches!(error.code(), git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound) => {
                    return Err(Unavailable {
                        reason: "the repository has no commits yet".to_string(),
                        hint: "commit something first".to_string(),
                    });
                }
                Err(error) => return Err(corrupt("HEAD cannot be read", &error)),
            },
        };
        let head_time = seconds(head.time());
        let window_start = head_time - i64::from(settings.window_days) * DAY;
        let shallow = repository.is_shallow();
        let mut history = History {
            head_time,
            window_start,
            now: settings.now,
            shallow,
            oldest_time: head_time,
            ..History::default()
        };
        let graph = settings.graph.clone().unwrap_or_default();
        // Git's default order, read incrementally: the newest commit not yet walked comes next
        // (a queue by committer time, each commit's parents added when it is walked).
        // Among commits of one time, the first queued comes first, as in libgit2's walk.
        let mut queue: std::collections::BinaryHeap<(i64, std::cmp::Reverse<usize>, git2::Oid)> =
            std::collections::BinaryHeap::new();
        let mut queued: std::collections::HashSet<git2::Oid> = std::collections::HashSet::from([head.id()]);
        queue.push((head.time().seconds(), std::cmp::Reverse(0), head.id()));
        // Commits come newest first, but a skewed clock can put an older date before a newer one;
        // like git's own `--since`, the walk ends only after a few commits in a row before the window.
        const SLOP: usize = 5;
        let mut older_in_a_row = 0;
        // Authors whose commits in the window only dump releases, so far.
        let mut release_only: HashMap<String, bool> = HashMap::new();
        let bots = settings.bot_matcher();
        while let Some((_, _, id)) = queue.pop() {
            // A commit the walk cannot read (a corrupt pack, a missing object) leaves a history
            // with holes: say so rather than judge what is left.
            let commit = graph.commit(&repository, id).map_err(|error| corrupt("a commit cannot be read", &error))?;
            for parent in &commit.parents {
                if !queued.insert(*parent) {
                    continue;
                }
                match graph.commit(&repository, *parent) {
                    Ok(read) => queue.push((read.raw_time, std::cmp::Reverse(queued.len()), *parent)),
                    // A shallow clone's history ends at its boundary: what is missing is said below.
                    Err(_) if shallow => {}
                    Err(error) => return Err(corrupt("the history cannot be walked to the window's start", &error)),
                }
            }
            history.walked += 1;
            let time = commit.time;
            history.oldest_time = history.oldest_time.min(time);
            if time < window_start {
                history.extends_before_window = true;
                older_in_a_row += 1;
                if older_in_a_row >= SLOP {
                    break;
                }
                continue;
            }
            older_in_a_row = 0;
            let who = commit.who.clone();
            let bot = bots.is_match(&who);
            if !bot {
                *release_only.entry(who.clone()).or_insert(true) &= commit.release;
            }
            history.commits.push(Commit { time, author: who, merge: commit.parents.len() > 1, bot });
        }
        // A shallow clone that ends inside the window has lost commits the metrics need.
        if shallow && !history.extends_before_window {
            return Err(Unavailable {
                reason: format!(
                    "shallow clone: its history stops {} days before HEAD, inside the {}-day window",
                    (head_time - history.oldest_time) / DAY,
                    settings.window_days
                ),
                hint: "run `git fetch --unshallow`, or set `fetch-depth: 0` on actions/checkout".to_string(),
            });
        }
        for commit in &mut history.commits {
            if release_only.get(&commit.author) == Some(&true) {
                commit.bot = true;
            }
        }
        history.commits.sort_by_key(|commit| std::cmp::Reverse(commit.time));
        history.tags = graph.tags(&repository);
        if settings.at.is_some() {
            // Judging a commit as of a day (a trend's point): a tag made after that day was not
            // there yet. A tag made after the commit but by then was (a release tagged later).
            history.tags.retain(|tag| tag.time <= settings.now);
        }
        Ok(history)
    }

    /// Human commits (not bots), newest first.
    pub fn human(&self) -> impl Iterator<Item = &Commit> {
        self.commits.iter().filter(|commit| !commit.bot)
    }

    /// Why nobody seems to work on the repository any more, or `None`: no commit by a person in
    /// the year before now, or an old history (longer than the window) with at most one commit by a
    /// person in its window (a lone fix after years of quiet).
    pub fn dormant(&self) -> Option<String> {
        let year = 365 * DAY;
        let human: Vec<i64> = self.human().map(|commit| commit.time).collect();
        match human.first() {
            Some(last) if self.now - last > year => {
                Some(format!("dormant: the last commit by a person was {} days ago", (self.now - last) / DAY))
            }
            None if self.extends_before_window || self.now - self.head_time > year => {
                Some(format!("dormant: no commit by a person since {}", crate::date::format(self.window_start)))
            }
            _ if self.extends_before_window && human.len() <= 1 => Some(format!(
                "dormant: {} commit by a person in the {} days before HEAD of a longer history",
                human.len(),
                (self.head_time - self.window_start) / DAY
            )),
            _ => None,
        }
    }

    pub fn latest_tag(&self) -> Option<&Tag> {
        self.tags.first()
    }

    /// Commits per week over the window, oldest week first; the last week ends at HEAD.
    pub fn weekly(&self) -> Vec<usize> {
        let longest = i64::from(MAX_WINDOW_DAYS) * DAY / WEEK + 1;
        let weeks = usize::try_from(((self.head_time - self.window_start) / WEEK).clamp(1, longest)).unwrap_or(1);
        let mut counts = vec![0; weeks];
        for commit in self.human() {
            let back = usize::try_from((self.head_time - commit.time) / WEEK).unwrap_or(0);
            if back < weeks {
                counts[weeks - 1 - back] += 1;
            }
        }
        counts
    }
}

fn tags(repository: &git2::Repository) -> Vec<Tag> {
    let mut tags = Vec::new();
    let Ok(names) = repository.tag_names(None) else { return tags };
    for name in names.iter() {
        let Ok(Some(name)) = name else { continue };
        let Ok(reference) = repository.find_reference(&format!("refs/tags/{name}")) else { continue };
        let Ok(object) = reference.peel(git2::ObjectType::Any) else { continue };
        let annotated_time = reference
            .peel(git2::ObjectType::Tag)
            .ok()
            .and_then(|tag| tag.into_tag().ok())
            .and_then(|tag| tag.tagger().map(|tagger| seconds(tagger.when())));
        let Ok(commit) = object.peel_to_commit() else { continue };
        tags.push(Tag { name: name.to_string(), time: annotated_time.unwrap_or_else(|| seconds(commit.time())) });
    }
    tags.sort_by(|a, b| b.time.cmp(&a.time).then_with(|| a.name.cmp(&b.name)));
    tags
}

/// How a commit changed a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    Added,
    Modified,
    Deleted,
}

/// A change to a watched path, by one commit of the first-parent line.
#[derive(Debug, Clone, Serialize)]
pub struct PathChange {
    /// Position on the first-parent line: 0 is HEAD, larger is older.
    pub order: usize,
    /// The commit's short id.
    pub commit: String,
    /// Committer time, seconds since the epoch.
    pub time: i64,
    pub path: String,
    pub kind: ChangeKind,
    /// Whether the change altered more than whitespace and comment lines (always true unless
    /// `Modified`).
    pub substantive: bool,
    /// The first line of the commit message.
    pub summary: String,
}

/// The changes that commits on HEAD's first-parent line, within the window, made under `watched`
/// paths (folders or files). A merge commit counts as the change it brought to the first parent
/// (a pull request's net effect), so work in progress inside a branch is not seen. The walk
/// compares each watched path's tree id between a commit and its parent and diffs only what
/// changed, so a long history of unrelated commits costs one lookup per path per commit.
pub fn path_changes(
    root: &Path,
    watched: &[String],
    settings: &HistorySettings,
) -> Result<Vec<PathChange>, Unavailable> {
    let unavailable = |error: git2::Error| Unavailable {
        reason: format!("the history cannot be read: {}", error.message()),
        hint: String::new(),
    };
    let repository = git2::Repository::discover(root).map_err(unavailable)?;
    let head = match settings.at {
        Some(at) => repository.find_commit(at),
        None => repository.head().and_then(|head| head.peel_to_commit()),
    }
    .map_err(unavailable)?;
    // The repository may be above `root`: watched paths are relative to `root`.
    let prefix = root_in_repository(&repository, root);
    let in_repo = |path: &str| prefix.join(path);
    let window_start = seconds(head.time()) - i64::from(settings.window_days) * DAY;
    let mut changes = Vec::new();
    let mut commit = head;
    let mut order = 0;
    loop {
        let time = seconds(commit.time());
        if time < window_start {
            break;
        }
        // A parent that cannot be read is a hole in the history, not a root commit.
        let parent = if commit.parent_count() == 0 { None } else { Some(commit.parent(0).map_err(unavailable)?) };
        let tree = commit.tree().map_err(unavailable)?;
        let parent_tree = match &parent {
            Some(parent) => Some(parent.tree().map_err(unavailable)?),
            None => None,
        };
        let id = |tree: Option<&git2::Tree>, path: &str| {
            tree.and_then(|tree| tree.get_path(&in_repo(path)).ok()).map(|entry| entry.id())
        };
        for path in watched {
            let (old, new) = (id(parent_tree.as_ref(), path), id(Some(&tree), path));
            if old == new {
                continue;
            }
            let short = commit.id().to_string()[..7].to_string();
            let summary = String::from_utf8_lossy(commit.summary_bytes().unwrap_or_default()).into_owned();
            let as_tree = |oid: Option<git2::Oid>| oid.and_then(|oid| repository.find_tree(oid).ok());
            let (old_tree, new_tree) = (as_tree(old), as_tree(new));
            if old_tree.is_none() && new_tree.is_none() {
                // A file.
                let kind = match (old, new) {
                    (None, _) => ChangeKind::Added,
                    (_, None) => ChangeKind::Deleted,
                    _ => ChangeKind::Modified,
                };
                let substantive = kind != ChangeKind::Modified || differs(&repository, path, old, new);
                changes.push(PathChange { order, commit: short, time, path: path.clone(), kind, substantive, summary });
                continue;
            }
            let diff = repository.diff_tree_to_tree(old_tree.as_ref(), new_tree.as_ref(), None).map_err(unavailable)?;
            for delta in diff.deltas() {
                let kind = match delta.status() {
                    git2::Delta::Added | git2::Delta::Copied => ChangeKind::Added,
                    git2::Delta::Deleted => ChangeKind::Deleted,
                    git2::Delta::Modified | git2::Delta::Typechange => ChangeKind::Modified,
                    _ => continue,
                };
                let Some(file) = delta.new_file().path().or_else(|| delta.old_file().path()) else { continue };
                let full = format!("{path}/{}", file.to_string_lossy());
                let substantive = kind != ChangeKind::Modified
                    || differs(&repository, &full, Some(delta.old_file().id()), Some(delta.new_file().id()));
                changes.push(PathChange {
                    order,
                    commit: short.clone(),
                    time,
                    path: full,
                    kind,
                    substantive,
                    summary: summary.clone(),
                });
            }
        }
        let Some(parent) = parent else { break };
        commit = parent;
        order += 1;
    }
    Ok(changes)
}

/// Whether two blobs differ in more than whitespace and whole-line comments (and, in a Prisma
/// schema, more than its `generator` and `datasource` blocks, which no migration follows).
fn differs(repository: &git2::Repository, path: &str, old: Option<git2::Oid>, new: Option<git2::Oid>) -> bool {
    // A blob too large to compare in memory counts as changed; its size is read from the object's
    // header, before anything is inflated (a small compressed blob can inflate to gigabytes).
    let too_large = |oid: Option<git2::Oid>| {
        oid.and_then(|oid| repository.odb().ok()?.read_header(oid).ok())
            .is_some_and(|(size, _)| size > crate::facts::text::DEFAULT_MAX_FILE_SIZE as usize)
    };
    if too_large(old) || too_large(new) {
        return true;
    }
    let [old, new] = [old, new].map(|oid| oid.and_then(|oid| repository.find_blob(oid).ok()));
    let text = |blob: Option<git2::Blob<'_>>| {
        blob.map(|blob| {
            let text = String::from_utf8_lossy(blob.content()).into_owned();
            let text = if path.ends_with(".prisma") { without_prisma_settings(&text) } else { text };
            normalised(&text)
        })
    };
    text(old) != text(new)
}

/// A Prisma schema without its `generator` and `datasource` blocks.
fn without_prisma_settings(text: &str) -> String {
    let mut kept = String::new();
    let mut skipping = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if !skipping && (trimmed.starts_with("generator ") || trimmed.starts_with("datasource ")) {
            skipping = !trimmed.trim_end().ends_with('}');
            continue;
        }
        if skipping {
            skipping = !trimmed.starts_with('}');
            continue;
        }
        kept.push_str(line);
        kept.push('\n');
    }
    kept
}

fn normalised(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|line| !["#", "--", "//", "/*", "*", "///"].iter().any(|marker| line.starts_with(marker)))
        .flat_map(|line| line.chars().filter(|c| !c.is_whitespace()))
        .collect()
}

/// For each `(path, since, before)`: the oldest tag made in `[since, before)` whose tree holds
/// `path` (a release that shipped the file), if any. A tag on a release branch that never had the
/// file does not count, whatever its date. `tags` come newest first, as [`History::tags`] holds them.
///
/// The tags are read once each, oldest first, for all the questions at once: each path (with its
/// `since`) is looked for from the first tag made after `since` until a tag holds it, by name in
/// its folder's tree (or, when the folder holds fewer entries than names are sought in it, by
/// reading those entries), and a question then only compares that tag's date with its `before`.
pub fn shipped_by(root: &Path, tags: &[Tag], queries: &[(String, i64, i64)]) -> Vec<Option<String>> {
    let Ok(repository) = git2::Repository::discover(root) else { return vec![None; queries.len()] };
    let prefix = root_in_repository(&repository, root);
    // Oldest first: the first tag found to hold a path is the oldest one after `since` that does.
    let ordered: Vec<&Tag> = tags.iter().rev().collect();
    let mut searches: Vec<Search> = Vec::new();
    let mut search_of: HashMap<(&str, i64), usize> = HashMap::new();
    let mut asked: Vec<Option<usize>> = Vec::with_capacity(queries.len());
    for (path, since, before) in queries {
        let full = prefix.join(path);
        let split = full.file_name().map(|name| (full.parent().unwrap_or(Path::new("")).to_path_buf(), name));
        // A path that is not plain folders and a name is looked up as written, tag by tag.
        let plain = full.components().all(|part| matches!(part, std::path::Component::Normal(_)));
        let Some((dir, name)) = split.filter(|_| plain) else {
            asked.push(None);
            continue;
        };
        let at = *search_of.entry((path.as_str(), *since)).or_insert_with(|| {
            searches.push(Search {
                dir,
                name: name.as_encoded_bytes().to_vec(),
                since: *since,
                until: *before,
                found: None,
            });
            searches.len() - 1
        });
        searches[at].until = searches[at].until.max(*before);
        asked.push(Some(at));
    }
    let mut by_since: Vec<usize> = (0..searches.len()).collect();
    by_since.sort_by_key(|at| searches[*at].since);
    let mut by_until = by_since.clone();
    by_until.sort_by_key(|at| searches[*at].until);
    let (mut started, mut ended) = (0, 0);
    // The searches under way: by folder, then by name.
    let mut active: HashMap<std::path::PathBuf, HashMap<Vec<u8>, Vec<usize>>> = HashMap::new();
    for (index, tag) in ordered.iter().enumerate() {
        while let Some(&at) = by_since.get(started).filter(|at| searches[**at].since <= tag.time) {
            started += 1;
            if searches[at].until > tag.time {
                let search = &searches[at];
                active.entry(search.dir.clone()).or_default().entry(search.name.clone()).or_default().push(at);
            }
        }
        // A search whose latest `before` has passed can no longer be answered.
        while let Some(&at) = by_until.get(ended).filter(|at| searches[**at].until <= tag.time) {
            ended += 1;
            let search = &searches[at];
            if let Some(names) = active.get_mut(&search.dir) {
                if let Some(waiting) = names.get_mut(&search.name) {
                    waiting.retain(|waiting| *waiting != at);
                    if waiting.is_empty() {
                        names.remove(&search.name);
                    }
                }
                if names.is_empty() {
                    active.remove(&search.dir);
                }
            }
        }
        if active.is_empty() {
            if started == searches.len() {
                break;
            }
            continue;
        }
        let Some(tree) = repository
            .find_reference(&format!("refs/tags/{}", tag.name))
            .ok()
            .and_then(|reference| reference.peel_to_commit().ok())
            .and_then(|commit| commit.tree().ok())
        else {
            continue;
        };
        let dirs: Vec<std::path::PathBuf> = active.keys().cloned().collect();
        for dir in dirs {
            let folder = if dir.as_os_str().is_empty() {
                Some(tree.clone())
            } else {
                tree.get_path(&dir)
                    .ok()
                    .and_then(|entry| entry.to_object(&repository).ok())
                    .and_then(|object| object.into_tree().ok())
            };
            let Some(folder) = folder else { continue };
            let Some(names) = active.get_mut(&dir) else { continue };
            let held: Vec<Vec<u8>> = if folder.len() < names.len() {
                folder.iter().map(|entry| entry.name_bytes().to_vec()).filter(|name| names.contains_key(name)).collect()
            } else {
                names.keys().filter(|name| folder.get_name_bytes(name).is_some()).cloned().collect()
            };
            for name in held {
                for at in names.remove(&name).unwrap_or_default() {
                    searches[at].found = Some(index);
                }
            }
            if names.is_empty() {
                active.remove(&dir);
            }
        }
    }
    queries
        .iter()
        .zip(asked)
        .map(|((path, since, before), search)| match search {
            Some(at) => searches[at]
                .found
                .map(|index| ordered[index])
                .filter(|tag| tag.time < *before)
                .map(|tag| tag.name.clone()),
            None => first_shipped(&repository, &prefix, tags, path, *since, *before),
        })
        .collect()
}

/// One path looked for in one tag after another: the oldest tag in `[since, before)` whose tree
/// holds it.
fn first_shipped(
    repository: &git2::Repository,
    prefix: &Path,
    tags: &[Tag],
    path: &str,
    since: i64,
    before: i64,
) -> Option<String> {
    tags.iter().rev().filter(|tag| tag.time >= since && tag.time < before).find_map(|tag| {
        let reference = repository.find_reference(&format!("refs/tags/{}", tag.name)).ok()?;
        let tree = reference.peel_to_commit().ok()?.tree().ok()?;
        tree.get_path(&prefix.join(path)).ok().map(|_| tag.name.clone())
    })
}

/// A path looked for in the tags made from `since` on, until one holds it or `until` (the latest
/// `before` asked with it) has passed.
struct Search {
    dir: std::path::PathBuf,
    name: Vec<u8>,
    since: i64,
    until: i64,
    /// The first tag, in the oldest-first order, that holds it.
    found: Option<usize>,
}

/// The lines a change touches in one file, 1-based, in the working tree's numbering.
#[derive(Debug, Clone, Default)]
pub struct ChangedLines {
    /// Lines the change adds or rewrites.
    pub added: Vec<std::ops::RangeInclusive<usize>>,
    /// The hunks the change makes, context lines included.
    pub hunks: Vec<std::ops::RangeInclusive<usize>>,
}

/// What changed between the merge base of `base` and HEAD and the working tree, per path relative
/// to `root`: the lines of a pull request.
/// `head` is the commit judged from objects, when it is not the working tree: its tree is the
/// change's end.
pub fn changed_lines(
    root: &Path,
    base: &str,
    judged: Option<git2::Oid>,
) -> Result<std::collections::HashMap<String, ChangedLines>, Unavailable> {
    let unavailable = |reason: String| Unavailable {
        reason,
        hint: "fetch the base branch too (`fetch-depth: 0` on actions/checkout, or `git fetch origin <base>`)"
            .to_string(),
    };
    let repository = git2::Repository::discover(root)
        .map_err(|error| unavailable(format!("not a git repository: {}", error.message())))?;
    let base_commit = repository
        .revparse_single(base)
        .and_then(|object| object.peel_to_commit())
        .map_err(|error| unavailable(format!("`{base}` names no commit here: {}", error.message())))?;
    let head = match judged {
        Some(id) => repository.find_commit(id),
        None => repository.head().and_then(|head| head.peel_to_commit()),
    }
    .map_err(|error| unavailable(format!("HEAD names no commit: {}", error.message())))?;
    let merge_base = repository
        .merge_base(base_commit.id(), head.id())
        .map_err(|error| unavailable(format!("`{base}` and HEAD share no history: {}", error.message())))?;
    let tree = repository
        .find_commit(merge_base)
        .and_then(|commit| commit.tree())
        .map_err(|error| unavailable(format!("the merge base cannot be read: {}", error.message())))?;
    let mut options = git2::DiffOptions::new();
    options.context_lines(3).include_untracked(true).recurse_untracked_dirs(true).show_untracked_content(true);
    let diff = match judged {
        Some(_) => {
            head.tree().and_then(|end| repository.diff_tree_to_tree(Some(&tree), Some(&end), Some(&mut options)))
        }
        None => repository.diff_tree_to_workdir_with_index(Some(&tree), Some(&mut options)),
    }
    .map_err(|error| unavailable(format!("the change cannot be read: {}", error.message())))?;
    let prefix = root_in_repository(&repository, root);
    let changed: std::cell::RefCell<std::collections::HashMap<String, ChangedLines>> = Default::default();
    let relative = |delta: &git2::DiffDelta<'_>| -> Option<String> {
        let path = delta.new_file().path()?;
        let path = path.strip_prefix(&prefix).ok()?;
        Some(path.to_string_lossy().replace('\\', "/"))
    };
    diff.foreach(
        &mut |_, _| true,
        None,
        Some(&mut |delta, hunk| {
            if let Some(path) = relative(&delta) {
                let start = hunk.new_start() as usize;
                let end = start + (hunk.new_lines() as usize).max(1) - 1;
                changed.borrow_mut().entry(path).or_default().hunks.push(start..=end);
            }
            true
        }),
        Some(&mut |delta, _, line| {
            if line.origin() == '+'
                && let (Some(path), Some(number)) = (relative(&delta), line.new_lineno())
            {
                let number = number as usize;
                changed.borrow_mut().entry(path).or_default().added.push(number..=number);
            }
            true
        }),
    )
    .map_err(|error| unavailable(format!("the change cannot be read: {}", error.message())))?;
    Ok(changed.into_inner())
}

/// Where `root` is inside the repository's working tree (empty at its top), so that paths relative
/// to `root` can be looked up in the repository's trees.
pub(crate) fn root_in_repository(repository: &git2::Repository, root: &Path) -> std::path::PathBuf {
    // A git folder checked itself (a bare repository, a mirror with no `config`) has no working
    // tree, whatever libgit2 guesses for one.
    if crate::facts::source::is_bare(root) {
        return std::path::PathBuf::new();
    }
    repository
        .workdir()
        .and_then(|workdir| {
            root.canonicalize().ok()?.strip_prefix(workdir.canonicalize().ok()?).ok().map(Path::to_path_buf)
        })
        .unwrap_or_default()
}

/// What can be measured in the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    DaysSinceLastCommit,
    ActiveWeeks,
    LongestGapDays,
    Commits,
    HistoryDays,
    Tags,
    DaysSinceLatestTag,
    CommitsSinceLatestTag,
}

impl Metric {
    pub const ALL: [(&'static str, Metric); 8] = [
        ("days-since-last-commit", Metric::DaysSinceLastCommit),
        ("active-weeks", Metric::ActiveWeeks),
        ("longest-gap-days", Metric::LongestGapDays),
        ("commits", Metric::Commits),
        ("history-days", Metric::HistoryDays),
        ("tags", Metric::Tags),
        ("days-since-latest-tag", Metric::DaysSinceLatestTag),
        ("commits-since-latest-tag", Metric::CommitsSinceLatestTag),
    ];

    pub fn parse(text: &str) -> Option<Metric> {
        Metric::ALL.iter().find(|(name, _)| *name == text).map(|(_, metric)| *metric)
    }
}

/// A measured value, with the words that explain it.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    pub value: f64,
    pub text: String,
}

/// Measures `metric`; `None` when it does not exist here (days since the latest tag, without tags).
pub fn measure(history: &History, metric: Metric, weeks: u32) -> Option<Measure> {
    let days = |seconds: i64| seconds.max(0) / DAY;
    let human: Vec<i64> = history.human().map(|commit| commit.time).collect();
    let measure = match metric {
        Metric::DaysSinceLastCommit => match human.first() {
            Some(last) => Measure {
                value: days(history.now - last) as f64,
                text: format!(
                    "the last commit by a person was {} days ago ({})",
                    days(history.now - last),
                    crate::date::format(*last)
                ),
            },
            None => Measure {
                value: days(history.now - history.window_start) as f64,
                text: format!("no commit by a person since {}", crate::date::format(history.window_start)),
            },
        },
        Metric::ActiveWeeks => {
            let since = history.head_time - i64::from(weeks) * WEEK;
            let mut active: Vec<i64> =
                human.iter().filter(|time| **time > since).map(|time| (history.head_time - time) / WEEK).collect();
            active.sort_unstable();
            active.dedup();
            Measure {
                value: active.len() as f64,
                text: format!("{} of the {weeks} weeks before the last commit had commits", active.len()),
            }
        }
        Metric::LongestGapDays => {
            let (gap, end) =
                human.windows(2).map(|pair| (pair[0] - pair[1], pair[0])).max().unwrap_or((0, history.head_time));
            Measure {
                value: days(gap) as f64,
                text: format!("{} days passed without a commit, until {}", days(gap), crate::date::format(end)),
            }
        }
        Metric::Commits => Measure {
            value: human.len() as f64,
            text: format!(
                "{} commits by people in the {} days before HEAD",
                human.len(),
                days(history.head_time - history.window_start)
            ),
        },
        Metric::HistoryDays => {
            let span = days(history.head_time - history.oldest_time);
            let text = if history.extends_before_window {
                format!("the history is more than {span} days long")
            } else {
                format!("the history is {span} days long")
            };
            Measure { value: span as f64, text }
        }
        Metric::Tags => Measure {
            value: history.tags.len() as f64,
            text: match history.tags.len() {
                0 => "no release tag, ever".to_string(),
                1 => "1 tag".to_string(),
                count => format!("{count} tags"),
            },
        },
        Metric::DaysSinceLatestTag => {
            let tag = history.latest_tag()?;
            Measure {
                value: days(history.now - tag.time) as f64,
                text: format!(
                    "the latest tag, {}, is {} days old",
                    crate::escape::code(&tag.name),
                    days(history.now - tag.time)
                ),
            }
        }
        Metric::CommitsSinceLatestTag => {
            let tag = history.latest_tag()?;
            let count = human.iter().filter(|time| **time > tag.time).count();
            let at_least = if tag.time < history.window_start { "at least " } else { "" };
            Measure {
                value: count as f64,
                text: format!("{at_least}{count} commits since {}", crate::escape::code(&tag.name)),
            }
        }
    };
    Some(measure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bots_are_known_by_any_pattern_built_in_or_added() {
        let mut bots = HistorySettings::default_bots();
        bots.extend(
            ["^ci <", r"\bdeploy-bot\b", "(?-i)Robot", "(?x) hal \\x20 9000 # a comment", "(?x)ro bot #"]
                .map(str::to_string),
        );
        let settings = HistorySettings { window_days: 365, bots, now: 0, at: None, cadence_at: None, graph: None };
        let matcher = settings.bot_matcher();
        assert_eq!(matcher.added.len(), 1, "the added patterns are one regex");
        assert_eq!(own_group("(?x)ro bot #").as_deref(), Some("(?:(?i)(?x)ro bot #\n)"));
        assert_eq!(own_group("bot#1").as_deref(), Some("(?:(?i)bot#1)"));
        // Too large together: halves, as far as needed.
        let mut large = Vec::new();
        compile_joined(&[r"(?:\w{300}){300}".to_string(), "(?:a)".to_string(), "(?:b)".to_string()], &mut large);
        assert!(!large.is_empty() && large.iter().any(|pattern| pattern.is_match("b")));
        let each: Vec<Regex> = settings.bots.iter().map(|pattern| insensitive(pattern).unwrap()).collect();
        for who in [
            "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>",
            "Ada <ada@example.com>",
            "CI <ci@example.com>",
            "the Deploy-Bot <d@example.com>",
            "Robot <r@example.com>",
            "robot <r@example.com>",
            "Renovate Bot <bot@renovateapp.com>",
            "HAL 9000 <hal@example.com>",
            "a robot <r@example.com>",
        ] {
            assert_eq!(matcher.is_match(who), each.iter().any(|pattern| pattern.is_match(who)), "{who}");
        }
    }

    #[test]
    fn shipped_by_agrees_with_looking_tag_by_tag() {
        let dir = tempfile::tempdir().unwrap();
        let repository = git2::Repository::init(dir.path()).unwrap();
        let empty = repository.treebuilder(None).unwrap().write().unwrap();
        let commit = |files: &[&str], time: i64, parent: Option<git2::Oid>| -> git2::Oid {
            let mut update = git2::build::TreeUpdateBuilder::new();
            for file in files {
                let blob = repository.blob(file.as_bytes()).unwrap();
                update.upsert(*file, blob, git2::FileMode::Blob);
            }
            let base = repository.find_tree(empty).unwrap();
            let tree = repository.find_tree(update.create_updated(&repository, &base).unwrap()).unwrap();
            let who = git2::Signature::new("A", "a@example.com", &git2::Time::new(time, 0)).unwrap();
            let parents: Vec<git2::Commit<'_>> =
                parent.into_iter().map(|parent| repository.find_commit(parent).unwrap()).collect();
            let parents: Vec<&git2::Commit<'_>> = parents.iter().collect();
            repository.commit(None, &who, &who, "c", &tree, &parents).unwrap()
        };
        let first = commit(&["db/a.rb", "db/b.rb"], 100, None);
        let second = commit(&["db/a.rb", "db/b.rb", "db/c.rb", "x.txt"], 200, Some(first));
        // Tags of other branches: one with the folder but not the files, one without the folder.
        let other = commit(&["db/other.rb"], 150, None);
        let bare = commit(&["y.txt"], 250, None);
        for (name, target) in [("v1", first), ("v2", second), ("v3", second), ("o1", other), ("o2", bare)] {
            repository.reference(&format!("refs/tags/{name}"), target, false, "tag").unwrap();
        }
        let mut queries = Vec::new();
        let paths =
            ["db/a.rb", "db/b.rb", "db/c.rb", "x.txt", "db/other.rb", "y.txt", "db/none.rb", "db", "db/../x.txt"];
        for path in paths {
            for since in [0, 100, 101, 150, 200, 201] {
                for before in [100, 150, 200, 201, 300] {
                    queries.push((path.to_string(), since, before));
                }
            }
        }
        let tags = tags(&repository);
        assert_eq!(tags.len(), 5);
        let prefix = root_in_repository(&repository, dir.path());
        let expected: Vec<Option<String>> = queries
            .iter()
            .map(|(path, since, before)| first_shipped(&repository, &prefix, &tags, path, *since, *before))
            .collect();
        assert_eq!(shipped_by(dir.path(), &tags, &queries), expected);
        // Tags of equal date are taken in the order the list gives: `v3` before `v2`.
        assert!(expected.contains(&Some("v3".to_string())) && expected.contains(&Some("o1".to_string())));
        // Each question on its own gets the same answer.
        for (query, expected) in queries.iter().zip(&expected) {
            assert_eq!(&shipped_by(dir.path(), &tags, std::slice::from_ref(query))[0], expected, "{query:?}");
        }
    }
}
