//! `schema`: questions about the repository's migrations and schema files (the schema fact), and
//! for two of them about their history.

use super::config::{FromKey, Read, config, word};
use super::{Needs, Pre, Primitive};
use crate::diag::Problems;
use crate::escape::code;
use crate::facts::Facts;
use crate::facts::history::{ChangeKind, PathChange};
use crate::facts::schema::{Framework, MigrationSet, Schema, dialect};
use crate::facts::text::LineIndex;
use crate::finding::{Hit, Location};
use crate::spanned::Fields;
use std::collections::{BTreeMap, BTreeSet, HashMap};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaQuestion {
    /// No migration set and no schema file: one repository-level hit.
    Missing,
    /// Two migrations of one set share a version (Alembic: more than one head).
    VersionConflict,
    /// A migration without its way back, where the framework pairs them.
    DownMissing,
    /// A schema dump older than the newest migration, or a schema changed after it.
    DumpStale,
    /// A migration changed by a commit after the one that added it.
    Edited,
}

const QUESTIONS: [(&str, SchemaQuestion); 5] = [
    ("missing", SchemaQuestion::Missing),
    ("version-conflict", SchemaQuestion::VersionConflict),
    ("down-missing", SchemaQuestion::DownMissing),
    ("dump-stale", SchemaQuestion::DumpStale),
    ("edited", SchemaQuestion::Edited),
];

#[derive(Debug)]
pub struct SchemaCheck {
    question: SchemaQuestion,
    /// `edited`: a commit that changes more existing migrations than this is a sweep (a formatter,
    /// a licence header, a framework upgrade), not an edit of applied migrations.
    sweep_over: usize,
}

config! {
    /// The `[check]` table of `schema`: whether the schema and its migrations are kept honestly.
    pub struct SchemaConfig {
        /// `edited`: a commit that changes more existing migrations than this is a sweep (a formatter, a licence
        /// header, a framework upgrade), not an edit (default 3).
        "sweep-over" => sweep_over: usize,
        /// The question, below.
        required "report" => report: SchemaQuestion,
    }
}

impl FromKey for SchemaQuestion {
    const SHAPE: &'static str = "schema report";

    fn from_key(fields: &mut Fields<'_>, key: &'static str, problems: &mut Problems) -> Read<Self> {
        word(fields, key, problems, &QUESTIONS, |file, span, text| {
            crate::diag::unknown(file, span, "schema report", text, QUESTIONS.iter().map(|(name, _)| *name))
        })
    }
}

impl Primitive for SchemaCheck {
    const KIND: &'static str = "schema";
    type Config = SchemaConfig;
    type Acc = ();

    fn compile(config: SchemaConfig, _: &Fields<'_>, _: &mut Problems) -> Option<SchemaCheck> {
        Some(SchemaCheck { question: config.report.value()?, sweep_over: config.sweep_over.or_lenient(3) })
    }

    fn needs(&self) -> Needs {
        // `dump-stale` reads the history for Prisma and Diesel schemas when it can, and judges Rails
        // dumps from the tree alone; `edited` cannot be judged without it.
        Needs { worktree: true, history: self.question == SchemaQuestion::Edited }
    }

    fn repository_level(&self) -> bool {
        // Its finding is about the repository when there is no schema anywhere.
        self.question == SchemaQuestion::Missing
    }

    fn pre(&self, facts: &Facts) -> Pre {
        Pre::Done(self.evaluate(facts))
    }

    fn post(&self, _: &Facts, (): ()) -> Vec<Hit> {
        Vec::new()
    }
}

impl SchemaCheck {
    pub fn evaluate(&self, facts: &Facts) -> Vec<Hit> {
        let schema = facts.schema();
        match self.question {
            SchemaQuestion::Missing => missing(schema),
            SchemaQuestion::VersionConflict => schema.sets.iter().flat_map(|set| conflicts(facts, set)).collect(),
            SchemaQuestion::DownMissing => down_missing(facts, schema),
            SchemaQuestion::DumpStale => dump_stale(facts, schema),
            SchemaQuestion::Edited => self.edited(facts, schema),
        }
    }

    fn edited(&self, facts: &Facts, schema: &Schema) -> Vec<Hit> {
        if schema.sets.is_empty() {
            return Vec::new();
        }
        let changes = facts.path_changes(&watched(schema));
        let Ok(changes) = changes.as_ref() else { return Vec::new() };
        let sets: BTreeMap<&str, &MigrationSet> = schema
            .sets
            .iter()
            .flat_map(|set| set.migrations.iter().map(move |migration| (migration.path.as_str(), set)))
            .collect();
        // Edits of current migrations, by commit, across every set.
        let mut by_commit: BTreeMap<usize, Vec<&PathChange>> = BTreeMap::new();
        for change in changes.iter().filter(|change| {
            change.kind == ChangeKind::Modified && change.substantive && sets.contains_key(change.path.as_str())
        }) {
            by_commit.entry(change.order).or_default().push(change);
        }
        // A repository that tags releases: a migration counts as applied once a release shipped
        // it (a tag after it was added); an edit before that fixes work in progress. Without
        // tags, every commit on the main line may have been deployed.
        // Tags made for CI or experiments (`1.0.0-test-arm-qemu.0`) are not releases, nor are
        // pre-releases (`v10.11.0-rc1`, `1.0.0-alpha.2`, `4.2b1`, `0.20.0-beta`): a migration fixed
        // before the stable release that ships it has not reached the databases that matter.
        static NOT_RELEASE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new(
                r"(?i)(?:^|[-_./+])(?:test|tmp|temp|wip|ci|experiment|nightly|snapshot)|(?:[-_./+~]|\d)(?:rc|alpha|beta|pre|preview|dev|a|b)(?:[-_.]?\d+)*(?:$|[-_./+])",
            )
            .expect("a valid regex")
        });
        let tags: Vec<crate::facts::history::Tag> = facts
            .history()
            .map(|history| history.tags.iter().filter(|tag| !NOT_RELEASE.is_match(&tag.name)).cloned().collect())
            .unwrap_or_default();
        // When each path was last added.
        let mut added: HashMap<&str, i64> = HashMap::new();
        for change in changes.iter().filter(|change| change.kind == ChangeKind::Added) {
            let time = added.entry(change.path.as_str()).or_insert(change.time);
            *time = (*time).max(change.time);
        }
        // Every edit outside mechanical sweeps, then the release that shipped each one's file first.
        let edits: Vec<&PathChange> = by_commit
            .values()
            .filter(|edits| {
                edits.len() <= self.sweep_over && !mechanical(&edits[0].summary) && !fixes_a_failure(&edits[0].summary)
            })
            .flatten()
            .copied()
            .collect();
        let releases: Vec<Option<Option<String>>> = if tags.is_empty() {
            vec![Some(None); edits.len()]
        } else {
            let queries: Vec<(String, i64, i64)> = edits
                .iter()
                .map(|edit| (edit.path.clone(), added.get(edit.path.as_str()).copied().unwrap_or(i64::MIN), edit.time))
                .collect();
            facts.shipped_by(&tags, &queries).into_iter().map(|tag| tag.map(Some)).collect()
        };
        // The newest edit of each file after its release.
        let mut newest: BTreeMap<&str, (&PathChange, usize, Option<String>)> = BTreeMap::new();
        for (edit, release) in edits.into_iter().zip(releases) {
            let Some(release) = release else { continue };
            let entry = newest.entry(edit.path.as_str()).or_insert((edit, 0, release.clone()));
            entry.1 += 1;
            if edit.order < entry.0.order {
                entry.0 = edit;
                entry.2 = release;
            }
        }
        let mut hits = Vec::new();
        for (path, (edit, count, release)) in newest {
            let times = match count {
                0 | 1 => String::new(),
                2 => " (and once more)".to_string(),
                _ => format!(" (and {} more times)", count - 1),
            };
            let after = match release {
                Some(tag) => format!("after release {} shipped it", code(&tag)),
                None => "after the commit that added it".to_string(),
            };
            let message = format!(
                "{} migration {} was changed by commit {} on {} ({}){times}, {after}",
                sets[path].framework.name(),
                code(path),
                code(&edit.commit),
                crate::date::format(edit.time),
                code(&edit.summary),
            );
            hits.push(Hit::at(first_line(facts, path), message, path).with_key(format!("{path} {}", edit.commit)));
        }
        hits
    }
}

/// A commit whose message says it only reformats, lints, renames or upgrades tooling: its edits to
/// migrations do not change what they do.
fn mechanical(summary: &str) -> bool {
    static WORDS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?i)\b(?:re-?format\w*|format(?:ting|ted)?|fmt|lint\w*|prettier|black|isort|ruff|rubocop|eslint|clippy|standardrb|autopep8|pyupgrade|style|whitespace|typos?|spelling|imports|license|licence|header|copyright|upgrade\w*|bump\w*|pre-commit|auto-?fix\w*|codemod)\b",
        )
        .expect("a valid regex")
    });
    // Conventional commits that say no behaviour changes: `chore:`, `style(db):`, `refactor!:`.
    static KINDS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?i)^(?:chore|style|refactor|build|ci|docs|test)(?:\([^)]*\))?!?:").expect("a valid regex")
    });
    WORDS.is_match(summary) || KINDS.is_match(summary)
}

/// A commit whose message says it fixes a migration that failed (a crash, a bug, an error on
/// upgrade): making a migration run is not changing shipped schema, and the advice to revert it
/// and write a new one does not fit.
fn fixes_a_failure(summary: &str) -> bool {
    static WORDS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?i)\b(?:fix\w*|hotfix\w*|crash\w*|bugs?|bugfix\w*|broken|fail\w*|errors?)\b")
            .expect("a valid regex")
    });
    WORDS.is_match(summary)
}

/// Every migration folder and schema file: one walk of the history serves `edited` and
/// `dump-stale` (the list is the key under which the walk is shared).
fn watched(schema: &Schema) -> Vec<String> {
    let mut paths: Vec<String> = schema.sets.iter().map(|set| set.dir.clone()).collect();
    paths.extend(schema.files.iter().map(|file| file.path.clone()));
    paths.sort();
    paths.dedup();
    paths
}

fn first_line(facts: &Facts, path: &str) -> Location {
    let text = facts.read(path).unwrap_or_default();
    let end = text.find(['\n', '\r']).unwrap_or(text.len());
    // The first line is all the location needs: no index of the whole file.
    let line = &text[..end];
    LineIndex::new(line).location(path, line, 0, end)
}

fn missing(schema: &Schema) -> Vec<Hit> {
    if schema.sets.is_empty() && schema.files.is_empty() {
        vec![Hit::repository("no migrations and no schema file were found")]
    } else {
        Vec::new()
    }
}

fn conflicts(facts: &Facts, set: &MigrationSet) -> Vec<Hit> {
    let mut hits = Vec::new();
    if set.framework == Framework::Alembic {
        // More than one head: revisions that no other revision follows.
        let followed: BTreeSet<&str> =
            set.migrations.iter().flat_map(|migration| migration.parents.iter().map(String::as_str)).collect();
        let heads: Vec<_> =
            set.migrations.iter().filter(|migration| !followed.contains(migration.version.as_str())).collect();
        if heads.len() > 1 {
            let names: Vec<String> = heads.iter().map(|head| code(&head.version)).collect();
            let first = heads[0];
            let message = format!(
                "Alembic revisions in {} have {} heads ({}): merge them with `alembic merge heads`",
                code(&set.dir),
                heads.len(),
                names.join(", ")
            );
            hits.push(Hit::at(first_line(facts, &first.path), message, set.dir.clone()));
        }
        return hits;
    }
    if !set.framework.unique_versions() {
        return hits;
    }
    if set.framework == Framework::Django {
        return django_leaves(facts, set).into_iter().collect();
    }
    // One version written once per database (`1_users.mysql.up.sql`, `1_users.postgres.up.sql`) is
    // one migration: versions must be unique per dialect.
    let mut by_version: BTreeMap<(&str, Option<&str>), Vec<&crate::facts::schema::Migration>> = BTreeMap::new();
    for migration in &set.migrations {
        by_version.entry((migration.version.as_str(), dialect(&migration.path))).or_default().push(migration);
    }
    for ((version, _), same) in by_version.into_iter().filter(|(_, same)| same.len() > 1) {
        let names: Vec<String> = same.iter().map(|migration| code(file_name(&migration.path))).collect();
        let message = format!(
            "{} migrations {} share version {} in {}",
            set.framework.name(),
            names.join(" and "),
            code(version),
            code(&set.dir)
        );
        let second = same[1];
        hits.push(Hit::at(first_line(facts, &second.path), message, version.to_string()));
    }
    hits
}

/// Django refuses to migrate an app whose migration graph has more than one leaf (two branches
/// that each added a migration, with no merge migration depending on both). A migration is not a
/// leaf when another one depends on it or replaces it (a squashed migration).
fn django_leaves(facts: &Facts, set: &MigrationSet) -> Option<Hit> {
    static TUPLE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"\(\s*(?:u?['"][\w.]+['"]|\w+(?:\.\w+)*)\s*,\s*u?['"]([\w-]+)['"]\s*,?\s*\)"#)
            .expect("a valid regex")
    });
    let stem = |path: &str| file_name(path).trim_end_matches(".py").to_string();
    let names: BTreeSet<String> = set.migrations.iter().map(|migration| stem(&migration.path)).collect();
    // Each migration's `replaces` (a squashed migration) and the migrations it names elsewhere.
    let mut read: Vec<(String, BTreeSet<String>, BTreeSet<String>)> = Vec::new();
    for migration in &set.migrations {
        let text = facts.read(&migration.path)?;
        let (replaces, rest) = split_replaces(&text);
        let tuples =
            |text: &str| -> BTreeSet<String> { TUPLE.captures_iter(text).map(|found| found[1].to_string()).collect() };
        read.push((stem(&migration.path), tuples(replaces), tuples(&rest)));
    }
    let mut followed: BTreeSet<String> = BTreeSet::new();
    for (own, replaces, depends) in &read {
        for name in replaces.iter().chain(depends) {
            if name != own && names.contains(name) {
                followed.insert(name.clone());
            }
        }
    }
    // Django remaps a dependency on a replaced migration to the squashed one that replaces it: a
    // squash is followed when a migration outside it depends on any migration it replaces.
    for (squash, replaces, _) in read.iter().filter(|(_, replaces, _)| !replaces.is_empty()) {
        let outside = |other: &str| other != squash && !replaces.contains(other);
        let remapped =
            read.iter().any(|(other, _, depends)| outside(other) && depends.iter().any(|name| replaces.contains(name)));
        if remapped {
            followed.insert(squash.clone());
        }
    }
    let leaves: Vec<&crate::facts::schema::Migration> =
        set.migrations.iter().filter(|migration| !followed.contains(&stem(&migration.path))).collect();
    if leaves.len() < 2 {
        return None;
    }
    let listed: Vec<String> = leaves.iter().map(|leaf| code(file_name(&leaf.path))).collect();
    let message = format!(
        "Django migrations in {} have {} leaves ({}): two branches each added a migration; add a merge migration (`makemigrations --merge`)",
        code(&set.dir),
        leaves.len(),
        listed.join(", ")
    );
    let last = leaves[leaves.len() - 1];
    Some(Hit::at(first_line(facts, &last.path), message, set.dir.clone()))
}

/// A Django migration's `replaces = [...]` list, and the text without it.
fn split_replaces(text: &str) -> (&str, String) {
    static REPLACES: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"(?m)^\s*replaces\s*=\s*[\[(]").expect("a valid regex"));
    let Some(found) = REPLACES.find(text) else { return ("", text.to_string()) };
    // The list ends where its brackets balance.
    let mut depth = 0usize;
    let mut end = text.len();
    for (at, byte) in text.bytes().enumerate().skip(found.end() - 1) {
        match byte {
            b'[' | b'(' => depth += 1,
            b']' | b')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    end = at + 1;
                    break;
                }
            }
            _ => {}
        }
    }
    (&text[found.start()..end], format!("{}{}", &text[..found.start()], &text[end..]))
}

/// A migration's name as people say it: its file, or its folder when the file is always named
/// alike (Diesel's `up.sql`, Prisma's `migration.sql`).
fn file_name(path: &str) -> &str {
    let mut parts = path.rsplit('/');
    let file = parts.next().unwrap_or(path);
    match file {
        "up.sql" | "migration.sql" => parts.next().unwrap_or(file),
        _ => file,
    }
}

fn down_missing(facts: &Facts, schema: &Schema) -> Vec<Hit> {
    let mut hits = Vec::new();
    for set in &schema.sets {
        for migration in set.migrations.iter().filter(|migration| migration.down == Some(false)) {
            let how = match set.framework {
                Framework::Diesel => "its `down.sql` is missing or holds no statement nor a comment saying why",
                Framework::Sqlx | Framework::GolangMigrate => {
                    "its `.down.sql` is missing or holds no statement nor a comment saying why"
                }
                Framework::Pop => {
                    "no down file of its change (for its dialect, or the generic one) holds a statement or a comment saying why"
                }
                Framework::Goose => "it has no `-- +goose Down` statements",
                Framework::Alembic => "its `downgrade()` does nothing",
                _ => "it has no `down` method",
            };
            let message = format!("{} migration {}: {how}", set.framework.name(), code(file_name(&migration.path)));
            hits.push(Hit::at(first_line(facts, &migration.path), message, migration.path.clone()));
        }
    }
    hits
}

fn dump_stale(facts: &Facts, schema: &Schema) -> Vec<Hit> {
    let mut hits = Vec::new();
    // Each schema file's migration set: the first of its folder and framework.
    let mut sets: HashMap<(&str, Framework), &MigrationSet> = HashMap::new();
    for set in &schema.sets {
        sets.entry((set.dir.as_str(), set.framework)).or_insert(set);
    }
    // The history is read, and indexed, when a schema file first needs it.
    let read = std::cell::OnceCell::new();
    let indexed = std::cell::OnceCell::new();
    let history = || {
        indexed
            .get_or_init(|| {
                let changes = read.get_or_init(|| facts.path_changes(&watched(schema)));
                changes.as_ref().as_ref().ok().map(|changes: &Vec<PathChange>| SchemaChanges::new(changes))
            })
            .as_ref()
    };
    for file in &schema.files {
        let Some(set) = sets.get(&(file.dir.as_str(), file.framework)).copied() else {
            continue;
        };
        let Some(newest) = set.migrations.last() else { continue };
        match (&file.version, file.framework) {
            (Some(version), Framework::Rails) => {
                if crate::facts::schema::numeric_order(version, &newest.version).is_lt() {
                    let text = facts.read(&file.path).unwrap_or_default();
                    let at = text.find(version.as_str()).or_else(|| {
                        // `define(version: 2024_05_01_120000)` is written with underscores.
                        text.find("version:").map(|at| at + "version:".len())
                    });
                    let index = LineIndex::new(&text);
                    let location = match at {
                        Some(at) => {
                            let end = text[at..].find(['\n', '\r', ')']).map_or(text.len(), |end| at + end);
                            index.location(&file.path, &text, at, end)
                        }
                        None => first_line(facts, &file.path),
                    };
                    let message = format!(
                        "{} is at version {}, older than the newest migration {} ({})",
                        code(&file.path),
                        code(&version.to_string()),
                        code(file_name(&newest.path)),
                        code(&newest.version.to_string())
                    );
                    hits.push(Hit::at(location, message, file.path.clone()));
                }
            }
            (None, Framework::Rails) => {}
            _ => hits.extend(changed_after_newest(facts, history(), set, &file.path)),
        }
    }
    hits
}

/// The watched paths' changes, indexed for `dump-stale`: built once, however many schema files ask.
struct SchemaChanges<'c> {
    /// Per path, the newest commit (smallest `order`) that added it.
    added: HashMap<&'c str, usize>,
    /// Per path, the change of the newest commit that changed it substantively (the first listed,
    /// of equals).
    changed: HashMap<&'c str, &'c PathChange>,
}

impl<'c> SchemaChanges<'c> {
    fn new(changes: &'c [PathChange]) -> Self {
        let mut added: HashMap<&str, usize> = HashMap::new();
        let mut changed: HashMap<&str, &PathChange> = HashMap::new();
        for change in changes {
            let path = change.path.as_str();
            if change.kind == ChangeKind::Added {
                let order = added.entry(path).or_insert(change.order);
                *order = (*order).min(change.order);
            }
            if change.kind == ChangeKind::Modified && change.substantive {
                let newest = changed.entry(path).or_insert(change);
                if change.order < newest.order {
                    *newest = change;
                }
            }
        }
        SchemaChanges { added, changed }
    }
}

/// A schema source (Prisma's `schema.prisma`, Diesel's `schema.rs`) changed by a commit after the
/// newest migration was added, with no migration since.
fn changed_after_newest(
    facts: &Facts,
    history: Option<&SchemaChanges<'_>>,
    set: &MigrationSet,
    schema_path: &str,
) -> Option<Hit> {
    let history = history?;
    // `order` grows into the past: the newest migration added has the smallest order.
    let newest_added =
        set.migrations.iter().filter_map(|migration| history.added.get(migration.path.as_str()).copied()).min();
    let schema_change = *history.changed.get(schema_path)?;
    // Changed in the same commit as the newest migration, or before it: in step.
    if newest_added.is_some_and(|added| added <= schema_change.order) {
        return None;
    }
    let message = format!(
        "{} was changed by commit {} on {}, after the newest migration, and no migration followed",
        code(schema_path),
        code(&schema_change.commit),
        crate::date::format(schema_change.time)
    );
    Some(Hit::at(first_line(facts, schema_path), message, schema_path.to_string()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_dialect_is_read_from_the_name_before_the_extension() {
        assert_eq!(crate::facts::schema::dialect("m/20200101000001_users.mysql.up.sql"), Some("mysql"));
        assert_eq!(crate::facts::schema::dialect("m/20200101000001_users.Postgres.down.sql"), Some("postgres"));
        assert_eq!(crate::facts::schema::dialect("0001_init.sqlite3.sql"), Some("sqlite3"));
        assert_eq!(crate::facts::schema::dialect("m/2025_ids.cockroach.autocommit.up.sql"), Some("cockroach"));
        assert_eq!(crate::facts::schema::dialect("m/2025_ids.autocommit.up.sql"), None);
        assert_eq!(crate::facts::schema::dialect("m/20200101000001_users.up.sql"), None);
        assert_eq!(crate::facts::schema::dialect("m/20200101000001_add.mysql_column.up.sql"), None);
        assert_eq!(crate::facts::schema::dialect("db/migrate/20240301120000_create_users.rb"), None);
    }

    use super::*;

    #[test]
    fn schema_changes_index_the_newest_of_each_path() {
        let change = |order: usize, path: &str, kind: ChangeKind, substantive: bool, commit: &str| PathChange {
            order,
            commit: commit.to_string(),
            time: 0,
            path: path.to_string(),
            kind,
            substantive,
            summary: String::new(),
        };
        let changes = vec![
            change(5, "db/1.sql", ChangeKind::Added, true, "a"),
            change(3, "db/1.sql", ChangeKind::Added, true, "b"),
            change(4, "schema.prisma", ChangeKind::Modified, true, "c"),
            change(2, "schema.prisma", ChangeKind::Modified, false, "d"),
            change(2, "schema.prisma", ChangeKind::Modified, true, "e"),
            change(2, "schema.prisma", ChangeKind::Modified, true, "f"),
            change(1, "db/1.sql", ChangeKind::Modified, true, "g"),
        ];
        let index = SchemaChanges::new(&changes);
        assert_eq!(index.added.get("db/1.sql"), Some(&3));
        assert_eq!(index.added.get("schema.prisma"), None);
        // The same as the first of the smallest `order`, in the listed order.
        let expected = changes
            .iter()
            .filter(|change| {
                change.path == "schema.prisma" && change.kind == ChangeKind::Modified && change.substantive
            })
            .min_by_key(|change| change.order)
            .unwrap();
        assert_eq!(index.changed["schema.prisma"].commit, expected.commit);
        assert_eq!(expected.commit, "e");
    }

    #[test]
    fn a_squash_replaces_list_is_read_apart() {
        let text = "class Migration:\n    replaces = [\n        (\"a\", \"0001_x\"),\n    ]\n    dependencies = [(\"a\", \"0002_y\")]\n";
        let (replaces, rest) = split_replaces(text);
        assert!(replaces.contains("0001_x") && !replaces.contains("0002_y"));
        assert!(rest.contains("0002_y") && !rest.contains("0001_x"));
        assert_eq!(split_replaces("dependencies = []\n"), ("", "dependencies = []\n".to_string()));
    }

    #[test]
    fn fixes_of_failing_migrations_are_known_by_their_message() {
        assert!(fixes_a_failure("Fix migration crash on PostgreSQL 16 (#123)"));
        assert!(fixes_a_failure("fix(db): migration fails when the table is empty"));
        assert!(fixes_a_failure("Migration deleted every item: bugfix"));
        assert!(!fixes_a_failure("Users need an email"));
        assert!(!fixes_a_failure("Add prefix to the table name"));
    }

    #[test]
    fn mechanical_commits_are_known_by_their_message() {
        assert!(mechanical("Upgrade pg_formatter to 5.9 (#6271)"));
        assert!(mechanical("chore: Restore type aware linting (#10138)"));
        assert!(mechanical("Fix linting issues in migration file"));
        assert!(mechanical("chore: Replace UUID package with standard module (#10351)"));
        assert!(!mechanical("Fix import migration (#1227)"));
        assert!(!mechanical("fix(db): drop the right index"));
        assert!(!mechanical("Fixing warn modlog_constraint migration (#6462)"));
    }
}
