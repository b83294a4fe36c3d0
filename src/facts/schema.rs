//! The schema fact: which migration systems and schema files the repository uses, where, and the
//! ordered migrations of each set with their versions.
//!
//! Every detection is a path shape (`db/migrate/<timestamp>_<name>.rb`) backed by a dependency or a
//! config file where the framework has one (`rails` in a Gemfile, `diesel.toml`), so that a folder
//! that merely looks like migrations is not taken for the application's. Paths inside tests,
//! fixtures, generator templates, examples, vendored code and archives are never migrations.

use super::Facts;
use super::manifests::{Ecosystem, normalise};
use super::roles::{Reason, is_application_path, is_application_path_allowing};
use crate::escape::code;
use regex::Regex;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Framework {
    Rails,
    Django,
    Alembic,
    Prisma,
    Drizzle,
    Knex,
    Typeorm,
    Sequelize,
    Sqlx,
    Diesel,
    Refinery,
    SeaOrm,
    Goose,
    GolangMigrate,
    Pop,
    Flyway,
    Liquibase,
    Ecto,
    Laravel,
    EntityFramework,
}

impl Framework {
    pub fn name(self) -> &'static str {
        match self {
            Framework::Rails => "Rails",
            Framework::Django => "Django",
            Framework::Alembic => "Alembic",
            Framework::Prisma => "Prisma",
            Framework::Drizzle => "Drizzle",
            Framework::Knex => "Knex",
            Framework::Typeorm => "TypeORM",
            Framework::Sequelize => "Sequelize",
            Framework::Sqlx => "sqlx",
            Framework::Diesel => "Diesel",
            Framework::Refinery => "refinery",
            Framework::SeaOrm => "SeaORM",
            Framework::Goose => "goose",
            Framework::GolangMigrate => "golang-migrate",
            Framework::Pop => "pop",
            Framework::Flyway => "Flyway",
            Framework::Liquibase => "Liquibase",
            Framework::Ecto => "Ecto",
            Framework::Laravel => "Laravel",
            Framework::EntityFramework => "Entity Framework",
        }
    }

    /// Whether a migration's version is its identity, so that two migrations sharing one is an
    /// error (Laravel, Knex, Sequelize, TypeORM, Prisma and EF order by the whole name instead).
    pub fn unique_versions(self) -> bool {
        matches!(
            self,
            Framework::Rails
                | Framework::Django
                | Framework::Drizzle
                | Framework::Sqlx
                | Framework::Diesel
                | Framework::Refinery
                | Framework::Goose
                | Framework::GolangMigrate
                | Framework::Pop
                | Framework::Flyway
                | Framework::Ecto
        )
    }
}

/// One migration.
#[derive(Debug, Clone, Serialize)]
pub struct Migration {
    /// The migration's file (Diesel and Prisma: the file inside its folder).
    pub path: String,
    /// Its version: a timestamp, a number, or (Alembic) a revision id.
    pub version: String,
    pub name: String,
    /// For frameworks that pair each migration with a way back: whether it has one (a `down.sql`
    /// that holds more than comments, a `down` function). `None` where nothing pairs them.
    pub down: Option<bool>,
    /// Alembic: the revisions this one follows (`down_revision`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parents: Vec<String>,
}

/// The migrations of one framework in one folder, ordered by version.
#[derive(Debug, Clone, Serialize)]
pub struct MigrationSet {
    pub framework: Framework,
    pub dir: String,
    /// Why this is the application's: the dependency or config file that backs it.
    pub evidence: String,
    pub migrations: Vec<Migration>,
}

/// A schema file: a dump the framework writes (`db/schema.rb`), or the schema migrations are made
/// from (`schema.prisma`, Diesel's `schema.rs`).
#[derive(Debug, Clone, Serialize)]
pub struct SchemaFile {
    pub path: String,
    pub framework: Framework,
    /// The migration folder it belongs to.
    pub dir: String,
    /// The newest migration version the dump records (`define(version: ...)`), when it says.
    pub version: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Schema {
    pub sets: Vec<MigrationSet>,
    pub files: Vec<SchemaFile>,
}

/// What backs the detections: the dependencies of every manifest and a few config files.
struct Backing<'a> {
    facts: &'a Facts,
}

impl Backing<'_> {
    /// The first manifest that declares one of `names` (in `ecosystem`; a trailing `*` is a prefix).
    fn dependency(&self, ecosystem: Ecosystem, names: &[&str]) -> Option<String> {
        for manifest in &self.facts.manifests().list {
            for dependency in &manifest.dependencies {
                if dependency.ecosystem != ecosystem {
                    continue;
                }
                let hit = names.iter().any(|name| match name.strip_suffix('*') {
                    Some(prefix) => dependency.name.starts_with(&normalise(ecosystem, prefix)),
                    None => dependency.name == normalise(ecosystem, name),
                });
                if hit {
                    return Some(format!("{} in {}", code(&dependency.name), code(&manifest.path)));
                }
            }
        }
        None
    }

    /// The first file whose name is one of `names`.
    fn file(&self, names: &[&str]) -> Option<String> {
        self.facts
            .tree()
            .files
            .iter()
            .find(|path| {
                let name = path.rsplit('/').next().unwrap_or(path);
                names.contains(&name) && is_application_path(path)
            })
            .cloned()
    }

    fn either(&self, dependency: Option<String>, file: &[&str]) -> Option<String> {
        dependency.or_else(|| self.file(file))
    }
}

macro_rules! regex {
    ($text:expr) => {{
        static RE: LazyLock<Regex> = LazyLock::new(|| Regex::new($text).expect("a valid built-in regex"));
        &*RE
    }};
}

/// A migration file seen in the tree, before it is grouped.
struct Seen {
    framework: Framework,
    dir: String,
    path: String,
    version: String,
    name: String,
}

impl Schema {
    pub fn detect(facts: &Facts) -> Schema {
        let backing = Backing { facts };
        let files = &facts.tree().files;
        let mut seen: Vec<Seen> = Vec::new();
        let mut schema = Schema::default();

        // What each framework's backing is, computed once.
        let rails = backing.dependency(Ecosystem::Ruby, &["rails", "activerecord", "sequel-rails"]);
        let django = backing.either(backing.dependency(Ecosystem::Python, &["django"]), &["manage.py"]);
        let alembic =
            backing.either(backing.dependency(Ecosystem::Python, &["alembic", "flask-migrate"]), &["alembic.ini"]);
        let prisma = backing.dependency(Ecosystem::Npm, &["prisma", "@prisma/client"]);
        let drizzle = backing.either(
            backing.dependency(Ecosystem::Npm, &["drizzle-kit", "drizzle-orm"]),
            &["drizzle.config.ts", "drizzle.config.js", "drizzle.config.mjs", "drizzle.config.json"],
        );
        let knex = backing.dependency(Ecosystem::Npm, &["knex"]);
        let typeorm = backing.dependency(Ecosystem::Npm, &["typeorm"]);
        let sequelize =
            backing.either(backing.dependency(Ecosystem::Npm, &["sequelize", "sequelize-cli"]), &[".sequelizerc"]);
        let sqlx = backing.dependency(Ecosystem::Cargo, &["sqlx", "sqlx-*"]);
        let diesel =
            backing.either(backing.dependency(Ecosystem::Cargo, &["diesel", "diesel_migrations"]), &["diesel.toml"]);
        let refinery = backing.dependency(Ecosystem::Cargo, &["refinery", "refinery-*"]);
        let sea_orm = backing.dependency(Ecosystem::Cargo, &["sea-orm-migration"]);
        let goose = backing.dependency(Ecosystem::Go, &["github.com/pressly/goose*"]);
        // A Go module alone is no backing: hand-written runners read `NNNN_name.up.sql` too, by
        // their own rules (shiori's), and are judged only when the pairs are complete.
        let migrate = backing.dependency(Ecosystem::Go, &["github.com/golang-migrate/migrate*"]);
        // gobuffalo/pop and Ory's fork (popx runs its SQL migrations): a file per dialect, a
        // generic one where no dialect's is written.
        let pop = backing.dependency(Ecosystem::Go, &["github.com/gobuffalo/pop*", "github.com/ory/pop*"]);
        let flyway = backing
            .dependency(Ecosystem::Maven, &["org.flywaydb:*"])
            .or_else(|| backing.dependency(Ecosystem::Gradle, &["org.flywaydb:*"]))
            .or_else(|| backing.file(&["flyway.conf", "flyway.toml"]));
        let liquibase = backing
            .dependency(Ecosystem::Maven, &["org.liquibase:*"])
            .or_else(|| backing.dependency(Ecosystem::Gradle, &["org.liquibase:*"]))
            .or_else(|| backing.file(&["liquibase.properties"]));
        let ecto = backing.dependency(Ecosystem::Hex, &["ecto_sql", "ecto"]);
        let laravel = backing.either(
            backing.dependency(Ecosystem::Composer, &["laravel/framework", "illuminate/database"]),
            &["artisan"],
        );
        let entity = backing.dependency(Ecosystem::Nuget, &["microsoft.entityframeworkcore*"]);

        let mut evidence: BTreeMap<Framework, String> = BTreeMap::new();
        let mut back = |framework: Framework, found: &Option<String>| -> bool {
            match found {
                Some(why) => {
                    evidence.entry(framework).or_insert_with(|| why.clone());
                    true
                }
                None => false,
            }
        };
        let rails_on = back(Framework::Rails, &rails);
        let django_on = back(Framework::Django, &django);
        let alembic_on = back(Framework::Alembic, &alembic);
        let prisma_on = back(Framework::Prisma, &prisma);
        let drizzle_on = back(Framework::Drizzle, &drizzle);
        let knex_on = back(Framework::Knex, &knex);
        let typeorm_on = back(Framework::Typeorm, &typeorm);
        let sequelize_on = back(Framework::Sequelize, &sequelize);
        let sqlx_on = back(Framework::Sqlx, &sqlx);
        let diesel_on = back(Framework::Diesel, &diesel);
        let refinery_on = back(Framework::Refinery, &refinery);
        let sea_orm_on = back(Framework::SeaOrm, &sea_orm);
        let goose_on = back(Framework::Goose, &goose);
        let migrate_on = back(Framework::GolangMigrate, &migrate);
        let pop_on = back(Framework::Pop, &pop);
        let flyway_on = back(Framework::Flyway, &flyway);
        let liquibase_on = back(Framework::Liquibase, &liquibase);
        let ecto_on = back(Framework::Ecto, &ecto);
        let laravel_on = back(Framework::Laravel, &laravel);
        let entity_on = back(Framework::EntityFramework, &entity);

        let mut push = |framework: Framework, dir: &str, path: &str, version: &str, name: &str| {
            seen.push(Seen {
                framework,
                dir: dir.to_string(),
                path: path.to_string(),
                version: version.to_string(),
                name: name.to_string(),
            });
        };
        // Folders where some `.up.sql` has its `.down.sql`: a migrate-style set even without a
        // dependency that says so (every `.up.sql` in them is a migration).
        let paired_dirs: std::collections::HashSet<&str> = files
            .iter()
            .filter_map(|path| {
                let up = path.strip_suffix(".up.sql")?;
                let (dir, file) = path.rsplit_once('/').unwrap_or(("", path));
                (regex!(r"^\d+_").is_match(file) && facts.tree().exists(&format!("{up}.down.sql"))).then_some(dir)
            })
            .collect();
        for path in files {
            let (dir, file) = path.rsplit_once('/').unwrap_or(("", path));
            let parent = dir.rsplit('/').next().unwrap_or(dir);
            if !is_application_path(path) {
                // A Django app may be called `docs` (djangoproject.com's documentation app).
                let app = dir.strip_suffix("/migrations").unwrap_or("");
                let django_app = django_on
                    && parent == "migrations"
                    && (facts.tree().exists(&format!("{app}/models.py"))
                        || facts.tree().exists(&format!("{app}/apps.py")));
                if !(django_app && is_application_path_allowing(path, &[Reason::Docs])) {
                    continue;
                }
            }
            if rails_on && let Some(found) = regex!(r"^(?:(.*)/)?db/(\w+_)?migrate/(\d+)_([^/]+?)\.rb$").captures(path)
            {
                push(Framework::Rails, dir, path, &found[3], &found[4]);
                continue;
            }
            if django_on && parent == "migrations" && file.ends_with(".py") && file != "__init__.py" {
                if let Some(found) = regex!(r"^(\d{4})_(\w+)\.py$").captures(file) {
                    push(Framework::Django, dir, path, &found[1], &found[2]);
                    continue;
                }
                // Django takes any module that defines a `Migration` (`fix_empty_data_in_lines.py`).
                if facts.read(path).is_some_and(|text| text.contains("class Migration(")) {
                    let stem = file.trim_end_matches(".py");
                    push(Framework::Django, dir, path, stem, stem);
                    continue;
                }
            }
            if alembic_on && parent == "versions" && file.ends_with(".py") && file != "__init__.py" {
                let base = dir.rsplit_once('/').map_or("", |(base, _)| base);
                let env = if base.is_empty() { "env.py".to_string() } else { format!("{base}/env.py") };
                if facts.tree().exists(&env) {
                    push(Framework::Alembic, dir, path, "", file.trim_end_matches(".py"));
                    continue;
                }
            }
            if prisma_on
                && file == "migration.sql"
                && let Some(found) = regex!(r"(?:^|/)migrations/(\d{8,14})_?([^/]*)/migration\.sql$").captures(path)
            {
                let set = dir.rsplit_once('/').map_or("", |(set, _)| set);
                push(Framework::Prisma, set, path, &found[1], &found[2]);
                continue;
            }
            if diesel_on
                && (file == "up.sql" || file == "down.sql")
                && let Some(found) =
                    regex!(r"(?:^|/)migrations/(?:[\w.-]+/)?(\d[\d_-]*)_([^/]+)/(?:up|down)\.sql$").captures(path)
            {
                if file == "up.sql" {
                    let set = dir.rsplit_once('/').map_or("", |(set, _)| set);
                    let version: String = found[1].chars().filter(char::is_ascii_digit).collect();
                    push(Framework::Diesel, set, path, &version, &found[2]);
                }
                continue;
            }
            if sea_orm_on && let Some(found) = regex!(r"^m(\d{8}_\d{6})_(\w+)\.rs$").captures(file) {
                push(Framework::SeaOrm, dir, path, &found[1], &found[2]);
                continue;
            }
            if refinery_on && let Some(found) = regex!(r"^[VU](\d+)__(\w+)\.(?:sql|rs)$").captures(file) {
                push(Framework::Refinery, dir, path, &found[1], &found[2]);
                continue;
            }
            if flyway_on && let Some(found) = regex!(r"^V(\d+(?:[._]\d+)*)__([^/]+)\.(?:sql|java|kt)$").captures(file) {
                push(Framework::Flyway, dir, path, &found[1].replace('_', "."), &found[2]);
                continue;
            }
            if ecto_on && let Some(found) = regex!(r"(?:^|/)priv/\w+/migrations/(\d+)_(\w+)\.exs$").captures(path) {
                push(Framework::Ecto, dir, path, &found[1], &found[2]);
                continue;
            }
            if laravel_on
                && let Some(found) =
                    regex!(r"(?:^|/)database/migrations/(?:.*/)?(\d{4}_\d{2}_\d{2}_\d{6})_([^/]+)\.php$").captures(path)
            {
                push(Framework::Laravel, dir, path, &found[1].replace('_', ""), &found[2]);
                continue;
            }
            if entity_on
                && regex!(r"(?i)(?:^|/)migrations(?:/|$)").is_match(dir)
                && !file.ends_with(".Designer.cs")
                && let Some(found) = regex!(r"^(\d{14})_(\w+)\.cs$").captures(file)
                // An EF migration derives from `Migration`; an application's own routines under
                // `Migrations/` (jellyfin's `IMigrationRoutine`s) are named alike but are not EF's.
                && facts.read(path).is_some_and(|text| {
                    regex!(r"\bclass\s+\w+\s*:\s*(?:Microsoft\.EntityFrameworkCore\.Migrations\.)?Migration\b")
                        .is_match(&text)
                })
            {
                push(Framework::EntityFramework, dir, path, &found[1], &found[2]);
                continue;
            }
            let sql_pair = regex!(r"^(\d+)_([^/]+?)\.(up|down)\.sql$").captures(file);
            if let Some(found) = &sql_pair {
                // `.up.sql` / `.down.sql` pairs: sqlx in a Rust crate, golang-migrate in a Go module.
                // Without either, the pairs speak for themselves (the migrate CLI, a ClickHouse
                // folder in a Node monorepo) when both halves are there.
                let paired = || paired_dirs.contains(dir);
                let framework = if sqlx_on {
                    Some(Framework::Sqlx)
                } else if pop_on {
                    Some(Framework::Pop)
                } else if migrate_on {
                    Some(Framework::GolangMigrate)
                } else if paired() {
                    evidence
                        .entry(Framework::GolangMigrate)
                        .or_insert_with(|| "paired `.up.sql` and `.down.sql` files".to_string());
                    Some(Framework::GolangMigrate)
                } else {
                    None
                };
                if let Some(framework) = framework {
                    if &found[3] == "up" {
                        push(framework, dir, path, &found[1], &found[2]);
                    }
                    continue;
                }
            }
            if (sqlx_on || goose_on)
                && let Some(found) = regex!(r"^(\d+)_(\w+)\.sql$").captures(file)
            {
                let framework = if goose_on { Framework::Goose } else { Framework::Sqlx };
                push(framework, dir, path, &found[1], &found[2]);
                continue;
            }
            if goose_on
                && let Some(found) = regex!(r"^(\d+)_(\w+)\.go$").captures(file)
                && regex!(r"(?i)migrations?").is_match(dir)
            {
                push(Framework::Goose, dir, path, &found[1], &found[2]);
                continue;
            }
            if drizzle_on && let Some(found) = regex!(r"^(\d{4})_(\w+)\.sql$").captures(file) {
                push(Framework::Drizzle, dir, path, &found[1], &found[2]);
                continue;
            }
            let script = regex!(r"^(\d{13,14})[_-]([\w.-]+?)\.(?:js|ts|cjs|mjs)$").captures(file);
            if let Some(found) = script
                && regex!(r"(?i)migrations?$").is_match(parent)
            {
                let digits = found[1].len();
                let framework = if typeorm_on && digits == 13 {
                    Some(Framework::Typeorm)
                } else if knex_on && file.as_bytes()[digits] == b'_' {
                    Some(Framework::Knex)
                } else if sequelize_on && file.as_bytes()[digits] == b'-' {
                    Some(Framework::Sequelize)
                } else if typeorm_on {
                    Some(Framework::Typeorm)
                } else {
                    None
                };
                if let Some(framework) = framework {
                    push(framework, dir, path, &found[1], &found[2]);
                    continue;
                }
            }
            if liquibase_on && regex!(r"(?i)^db\.changelog.*\.(?:xml|ya?ml|json|sql)$").is_match(file) {
                push(Framework::Liquibase, dir, path, "", file);
            }
        }

        // Group by (framework, folder), read what the frameworks need from the files.
        let mut groups: BTreeMap<(Framework, String), Vec<Seen>> = BTreeMap::new();
        for each in seen {
            groups.entry((each.framework, each.dir.clone())).or_default().push(each);
        }
        for ((framework, dir), members) in groups {
            // pop: the migrations whose up changes schema (and so needs a way back).
            let mut needs: std::collections::HashSet<String> = std::collections::HashSet::new();
            let mut migrations: Vec<Migration> = members
                .into_iter()
                .map(|each| {
                    let text = facts.read(&each.path).unwrap_or_default();
                    if framework == Framework::Pop && changes_schema(&text) {
                        needs.insert(each.path.clone());
                    }
                    let mut migration = Migration {
                        down: down(facts, framework, &each.path, &text),
                        path: each.path,
                        version: each.version,
                        name: each.name,
                        parents: Vec::new(),
                    };
                    if framework == Framework::Alembic {
                        read_alembic(&text, &mut migration);
                    }
                    migration
                })
                .collect();
            if framework == Framework::Alembic {
                migrations.retain(|migration| !migration.version.is_empty());
            }
            migrations.sort_by(|a, b| numeric_order(&a.version, &b.version).then_with(|| a.path.cmp(&b.path)));
            if framework == Framework::Pop {
                pop_changes(&mut migrations, &needs);
            }
            if framework == Framework::Alembic {
                // Revision ids are random: the order is the `down_revision` chain.
                let depths = chain_depths(&migrations);
                migrations
                    .sort_by(|a, b| depths[&a.version].cmp(&depths[&b.version]).then_with(|| a.path.cmp(&b.path)));
            }
            if migrations.is_empty() {
                continue;
            }
            let why = evidence.get(&framework).cloned().unwrap_or_default();
            schema.sets.push(MigrationSet { framework, dir, evidence: why, migrations });
        }
        schema.files = schema_files(facts, &schema.sets);
        schema
    }
}

/// How many revisions precede each one along its `down_revision` chain (the longest way back);
/// a cycle or a missing parent ends the walk.
fn chain_depths(migrations: &[Migration]) -> std::collections::HashMap<String, usize> {
    use std::collections::HashMap;
    let parents: HashMap<&str, &[String]> =
        migrations.iter().map(|migration| (migration.version.as_str(), migration.parents.as_slice())).collect();
    // Longest way back by topological order (Kahn): a revision's depth is known once all its
    // parents' are, so every revision and parent link is visited once.
    let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut waiting: HashMap<&str, usize> = HashMap::new();
    for (&version, found) in &parents {
        let known: Vec<&str> = found.iter().map(String::as_str).filter(|parent| parents.contains_key(parent)).collect();
        waiting.insert(version, known.len());
        for parent in known {
            children.entry(parent).or_default().push(version);
        }
    }
    let mut depths: HashMap<&str, usize> = HashMap::new();
    let mut ready: Vec<&str> = waiting.iter().filter(|(_, count)| **count == 0).map(|(version, _)| *version).collect();
    for &version in &ready {
        depths.insert(version, 0);
    }
    while let Some(version) = ready.pop() {
        let depth = depths[version];
        for &child in children.get(version).map_or(&[][..], Vec::as_slice) {
            let known = depths.entry(child).or_insert(0);
            *known = (*known).max(depth + 1);
            let count = waiting.get_mut(child).expect("every child is a revision");
            *count -= 1;
            if *count == 0 {
                ready.push(child);
            }
        }
    }
    // A revision on a cycle, or behind one, has no way back to a start: it gets more than any
    // real chain can have.
    migrations
        .iter()
        .map(|migration| {
            let version = migration.version.as_str();
            let depth = if waiting[version] == 0 { depths[version] } else { migrations.len() + 1 };
            (migration.version.clone(), depth)
        })
        .collect()
}

/// Orders versions as numbers where both are digits (`9` before `10`), else as text.
pub fn numeric_order(a: &str, b: &str) -> std::cmp::Ordering {
    let digits = |text: &str| !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit());
    if digits(a) && digits(b) {
        let (a, b) = (a.trim_start_matches('0'), b.trim_start_matches('0'));
        a.len().cmp(&b.len()).then_with(|| a.cmp(b))
    } else {
        a.cmp(b)
    }
}

/// Whether a migration has a way back, for the frameworks that pair them.
fn down(facts: &Facts, framework: Framework, path: &str, text: &str) -> Option<bool> {
    let has = |pattern: &Regex| Some(pattern.is_match(text));
    match framework {
        Framework::Diesel => {
            let other = format!("{}/down.sql", path.rsplit_once('/').map_or("", |(dir, _)| dir));
            Some(sql_way_back(text, facts.read(&other).as_deref()))
        }
        // A sqlx "simple" migration (`0001_init.sql`, no `.up.sql`) is irreversible by design, and
        // sqlx refuses to mix simple and reversible ones in a folder: nothing is paired.
        Framework::Sqlx if !path.ends_with(".up.sql") => None,
        Framework::Sqlx | Framework::GolangMigrate => {
            let other = format!("{}.down.sql", path.strip_suffix(".up.sql").unwrap_or(path));
            Some(sql_way_back(text, facts.read(&other).as_deref()))
        }
        Framework::Pop => {
            // The dialect's own down file, else the generic one (`<version>_<name>.down.sql`).
            let stem = path.strip_suffix(".up.sql").unwrap_or(path);
            let down = facts.read(&format!("{stem}.down.sql")).or_else(|| {
                let (dir, file) = stem.rsplit_once('/').map_or(("", stem), |(dir, file)| (dir, file));
                let (version, name) = file.split_once('_')?;
                let generic = format!("{version}_{}", pop_name(name).0);
                let join = |file: String| if dir.is_empty() { file } else { format!("{dir}/{file}") };
                facts
                    .read(&join(format!("{generic}.down.sql")))
                    .or_else(|| facts.read(&join(format!("{generic}.autocommit.down.sql"))))
            });
            // Whether the up needs it is judged with the change's other files (`pop_changes`).
            Some(down.as_deref().is_some_and(|down| has_sql(down) || explains(down)))
        }
        Framework::Goose if path.ends_with(".sql") => {
            // The statements after `-- +goose Down`, if any.
            let after = text.split_once("+goose Down").map(|(_, rest)| rest);
            Some(after.is_some_and(has_sql))
        }
        Framework::Goose => has(regex!(r"\bAddMigration\w*\(\s*\w+\s*,\s*[A-Za-z_]\w*\s*\)")),
        Framework::Knex | Framework::Sequelize | Framework::Typeorm => {
            has(regex!(r"(?m)\bdown\s*[:=]|\b(?:async\s+)?down\s*\(|function\s+down\b|exports\.down\b"))
        }
        Framework::Laravel => has(regex!(r"function\s+down\s*\(")),
        Framework::EntityFramework => has(regex!(r"override\s+void\s+Down\s*\(")),
        Framework::SeaOrm => has(regex!(r"\bfn\s+down\b")),
        Framework::Alembic => {
            // `def downgrade():` whose body is only `pass` (or a docstring and `pass`).
            let body = regex!(r#"(?m)^def downgrade\([^)]*\)[^:]*:\s*\n((?:[ \t]+[^\n]*\n?|[ \t]*\n)*)"#)
                .captures(text)
                .map(|found| found[1].to_string());
            Some(body.is_some_and(|body| {
                body.lines().map(str::trim).any(|line| {
                    !line.is_empty() && line != "pass" && !line.starts_with('#') && !line.starts_with("\"\"\"")
                })
            }))
        }
        _ => None,
    }
}

/// Whether an `.up.sql` has its way back: a down file that holds a statement, or a comment that
/// says why nothing is undone (the generated placeholders say nothing); an up that changes no
/// schema (no statement, or only `UPDATE` and `DELETE` of data) needs none.
fn sql_way_back(up: &str, down: Option<&str>) -> bool {
    if !changes_schema(up) {
        return true;
    }
    down.is_some_and(|down| has_sql(down) || explains(down))
}

/// Whether SQL text holds a statement other than `UPDATE` and `DELETE` (a data fix has no schema
/// to undo).
fn changes_schema(text: &str) -> bool {
    let code: String = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n");
    code.split(';').map(str::trim).filter(|statement| !statement.is_empty()).any(|statement| {
        let word = statement.split(|c: char| !c.is_ascii_alphabetic()).next().unwrap_or("");
        !(word.eq_ignore_ascii_case("update") || word.eq_ignore_ascii_case("delete"))
    })
}

/// Whether a down file's comments say something: not empty, and not a tool's generated placeholder.
fn explains(text: &str) -> bool {
    const PLACEHOLDERS: &[&str] =
        &["this file should undo anything in", "add down migration script here", "add migration script here"];
    text.lines().map(str::trim).filter_map(|line| line.strip_prefix("--")).any(|comment| {
        let comment = comment.trim().to_ascii_lowercase();
        comment.chars().filter(char::is_ascii_alphabetic).count() >= 8
            && !PLACEHOLDERS.iter().any(|placeholder| comment.contains(placeholder))
    })
}

/// A pop migration's name without its dialect and `.autocommit` (`identities.mysql.autocommit`
/// → `identities`, `mysql`).
pub fn pop_name(name: &str) -> (&str, Option<&'static str>) {
    let name = name.strip_suffix(".autocommit").unwrap_or(name);
    if let Some((base, last)) = name.rsplit_once('.')
        && let Some(dialect) = DIALECTS.iter().find(|dialect| dialect.eq_ignore_ascii_case(last))
    {
        return (base, Some(dialect));
    }
    (name, None)
}

/// The databases a migration file may be written for (`.mysql.up.sql`, `.postgres.up.sql`).
const DIALECTS: &[&str] = &[
    "mysql",
    "mariadb",
    "postgres",
    "postgresql",
    "pg",
    "sqlite",
    "sqlite3",
    "cockroach",
    "cockroachdb",
    "crdb",
    "mssql",
    "sqlserver",
    "oracle",
    "clickhouse",
    "spanner",
];

/// The database a migration file is written for, when its name says so before the extension
/// (`20200101000001_users.mysql.up.sql`, `0001_init.postgres.sql`): tools that run one set of
/// migrations on several databases (gobuffalo/pop, Ory's, sql-migrate setups) keep a file per dialect
/// under one version.
pub fn dialect(path: &str) -> Option<&'static str> {
    let file = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let stem = [".up.sql", ".down.sql", ".sql"].iter().find_map(|suffix| file.strip_suffix(suffix))?;
    // pop marks a migration to run outside a transaction after its dialect: `.cockroach.autocommit`.
    let stem = stem.strip_suffix(".autocommit").unwrap_or(stem);
    let (_, last) = stem.rsplit_once('.')?;
    DIALECTS.iter().find(|dialect| **dialect == last).copied()
}

/// pop writes one change as several numbered migrations: statements split over consecutive
/// versions of one name (`…000000_identities`, `…000001_identities`), or over the sequence digits
/// after one 14-digit timestamp, whose reverse may sit in any of their down files (the first
/// drops the table the next one indexed). A change has its way back, per dialect, when one of its
/// down files does something; a generic file serves every dialect.
fn pop_changes(migrations: &mut [Migration], needs: &std::collections::HashSet<String>) {
    let timestamp = |version: &str| if version.len() > 14 { version[..14].to_string() } else { version.to_string() };
    // Migrations are in version order: a new change starts where neither the name nor the
    // timestamp goes on.
    let mut change: Vec<usize> = Vec::with_capacity(migrations.len());
    let mut previous: Option<(&str, String, &str)> = None;
    let mut at = 0;
    for migration in migrations.iter() {
        let name = pop_name(&migration.name).0;
        let stamp = timestamp(&migration.version);
        if let Some((version, last_stamp, last_name)) = &previous
            && *version != migration.version
            && *last_name != name
            && *last_stamp != stamp
        {
            at += 1;
        }
        change.push(at);
        previous = Some((migration.version.as_str(), stamp, name));
    }
    let dialect_of = |migration: &Migration| pop_name(&migration.name).1;
    // Per change, the dialects with a way back (`None`: a generic file's).
    let mut back: std::collections::HashSet<(usize, Option<&'static str>)> = std::collections::HashSet::new();
    for (migration, change) in migrations.iter().zip(&change) {
        if migration.down == Some(true) {
            back.insert((*change, dialect_of(migration)));
        }
    }
    let any: std::collections::HashSet<usize> = back.iter().map(|(change, _)| *change).collect();
    for (migration, change) in migrations.iter_mut().zip(&change) {
        let served = match dialect_of(migration) {
            Some(dialect) => back.contains(&(*change, Some(dialect))) || back.contains(&(*change, None)),
            None => any.contains(change),
        };
        if served || !needs.contains(&migration.path) {
            migration.down = Some(true);
        }
    }
}

/// Whether SQL text holds a statement, not only comments and blank lines.
fn has_sql(text: &str) -> bool {
    text.lines().map(str::trim).any(|line| !line.is_empty() && !line.starts_with("--") && !line.starts_with("/*"))
}

/// Reads Alembic's `revision` and `down_revision` (a string, `None`, or a tuple of strings).
fn read_alembic(text: &str, migration: &mut Migration) {
    let quoted = regex!(r#"['"]([0-9A-Za-z_]+)['"]"#);
    if let Some(found) = regex!(r#"(?m)^revision\s*(?::[^=\n]*)?=\s*['"]([0-9A-Za-z_]+)['"]"#).captures(text) {
        migration.version = found[1].to_string();
    }
    if let Some(found) = regex!(r"(?m)^down_revision\s*(?::[^=\n]*)?=\s*([^\n]*)").captures(text) {
        migration.parents = quoted.captures_iter(&found[1]).map(|each| each[1].to_string()).collect();
    }
}

/// Whether the Rails app dumps its schema as SQL (`config.active_record.schema_format = :sql` in
/// `config/application.rb` or an environment's file).
fn rails_schema_format_is_sql(facts: &Facts, db: &str) -> bool {
    // The app's root is the folder that holds `db/`.
    let config = match db.rsplit_once('/') {
        Some((app, _)) => format!("{app}/config/"),
        None => "config/".to_string(),
    };
    facts
        .tree()
        .files
        .iter()
        .filter(|path| {
            path.strip_prefix(&config).is_some_and(|rest| rest == "application.rb" || rest.starts_with("environments/"))
        })
        .filter_map(|path| facts.read(path))
        .any(|text| regex!(r"(?m)^[^#\n]*\bschema_format\s*=\s*:sql\b").is_match(&text))
}

/// Schema dumps and schema sources beside the migration sets.
fn schema_files(facts: &Facts, sets: &[MigrationSet]) -> Vec<SchemaFile> {
    let tree = facts.tree();
    let mut files = Vec::new();
    for set in sets {
        match set.framework {
            Framework::Rails => {
                // `db/migrate` → `db/schema.rb`; `db/analytics_migrate` → `db/analytics_schema.rb`.
                let (db, folder) = set.dir.rsplit_once('/').unwrap_or(("", set.dir.as_str()));
                let prefix = folder.strip_suffix("migrate").unwrap_or("");
                let at = |name: String| if db.is_empty() { name } else { format!("{db}/{name}") };
                let (ruby, sql) = (at(format!("{prefix}schema.rb")), at(format!("{prefix}structure.sql")));
                // Both dumps committed: Rails writes and reads only the one its `schema_format`
                // names (`:ruby` unless set to `:sql`); the other is a leftover nobody runs.
                let only = (tree.exists(&ruby) && tree.exists(&sql)).then(|| rails_schema_format_is_sql(facts, db));
                for (path, is_sql) in [(ruby, false), (sql, true)] {
                    if !tree.exists(&path) || only.is_some_and(|sql_format| sql_format != is_sql) {
                        continue;
                    }
                    let text = facts.read(&path).unwrap_or_default();
                    let version = if is_sql {
                        regex!(r"\('(\d{14})'\)").captures_iter(&text).map(|found| found[1].to_string()).max()
                    } else {
                        regex!(r"define\(\s*version:\s*([\d_]+)\s*\)")
                            .captures(&text)
                            .map(|found| found[1].replace('_', ""))
                    };
                    files.push(SchemaFile { path, framework: Framework::Rails, dir: set.dir.clone(), version });
                }
            }
            Framework::Prisma => {
                let base = set.dir.rsplit_once('/').map_or("", |(base, _)| base);
                let candidates = [format!("{base}/schema.prisma"), "prisma/schema.prisma".to_string()];
                if let Some(path) = candidates.iter().find(|path| tree.exists(path.trim_start_matches('/'))) {
                    let path = path.trim_start_matches('/').to_string();
                    files.push(SchemaFile { path, framework: Framework::Prisma, dir: set.dir.clone(), version: None });
                }
            }
            Framework::Diesel => {
                // `diesel.toml` beside the migrations folder, or further up (per-backend folders
                // such as `migrations/sqlite`); its `[print_schema] file`, else `src/schema.rs`.
                let mut base = set.dir.rsplit_once('/').map_or("", |(base, _)| base);
                let join =
                    |base: &str, path: &str| if base.is_empty() { path.to_string() } else { format!("{base}/{path}") };
                let mut configured = None;
                loop {
                    if let Some(text) = facts.read(&join(base, "diesel.toml")) {
                        let file =
                            regex!(r#"(?m)^\s*file\s*=\s*"([^"]+)""#).captures(&text).map(|found| found[1].to_string());
                        configured = Some(join(base, file.as_deref().unwrap_or("src/schema.rs")));
                        break;
                    }
                    match base.rsplit_once('/') {
                        Some((up, _)) => base = up,
                        None if !base.is_empty() => base = "",
                        None => break,
                    }
                }
                let base = set.dir.rsplit_once('/').map_or("", |(base, _)| base);
                let join = |path: &str| join(base, path);
                let path = configured.unwrap_or_else(|| join("src/schema.rs"));
                if tree.exists(&path) {
                    files.push(SchemaFile { path, framework: Framework::Diesel, dir: set.dir.clone(), version: None });
                }
            }
            _ => {}
        }
    }
    // Per-backend migration folders share one schema file.
    let mut seen = std::collections::HashSet::new();
    files.retain(|file: &SchemaFile| seen.insert(file.path.clone()));
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_order_as_numbers() {
        let mut versions = vec!["10", "9", "0002", "1"];
        versions.sort_by(|a, b| numeric_order(a, b));
        assert_eq!(versions, ["1", "0002", "9", "10"]);
    }

    #[test]
    fn alembic_revisions_are_read() {
        let mut migration =
            Migration { path: String::new(), version: String::new(), name: String::new(), down: None, parents: vec![] };
        read_alembic("revision: str = 'abc123'\ndown_revision: Union[str, None] = ('x1', \"y2\")\n", &mut migration);
        assert_eq!(migration.version, "abc123");
        assert_eq!(migration.parents, ["x1", "y2"]);
    }

    #[test]
    fn chain_depths_are_the_longest_way_back() {
        let revision = |version: &str, parents: &[&str]| Migration {
            path: String::new(),
            version: version.to_string(),
            name: String::new(),
            down: None,
            parents: parents.iter().map(|parent| parent.to_string()).collect(),
        };
        let migrations = vec![
            revision("a", &[]),
            revision("b", &["a"]),
            revision("c", &["a"]),
            revision("d", &["b", "c", "c"]),
            revision("e", &["d", "a", "gone"]),
            revision("x", &["y"]),
            revision("y", &["x"]),
            revision("z", &["x"]),
            revision("s", &["s"]),
            revision("lone", &["gone"]),
        ];
        let depths = chain_depths(&migrations);
        let cycle = migrations.len() + 1;
        for (version, depth) in
            [("a", 0), ("b", 1), ("c", 1), ("d", 2), ("e", 3), ("x", cycle), ("y", cycle), ("z", cycle), ("s", cycle)]
        {
            assert_eq!(depths[version], depth, "{version}");
        }
        assert_eq!(depths["lone"], 0);
        let chain: Vec<Migration> = (0..2_000)
            .map(|at| {
                let parent = format!("r{}", at.max(1) - 1);
                let parents = if at == 0 { vec![] } else { vec![parent.as_str()] };
                revision(&format!("r{at}"), &parents)
            })
            .collect();
        assert_eq!(chain_depths(&chain)["r1999"], 1_999);
    }

    #[test]
    fn a_way_back_is_a_statement_or_a_reason() {
        let up = "ALTER TABLE t ADD COLUMN c TEXT;\n";
        assert!(sql_way_back(up, Some("ALTER TABLE t DROP COLUMN c;\n")));
        assert!(sql_way_back(up, Some("-- The column holds hashed secrets that cannot be restored.\n")));
        assert!(!sql_way_back(up, Some("-- Add down migration script here\n")));
        assert!(!sql_way_back(up, Some("")));
        assert!(!sql_way_back(up, None));
        assert!(sql_way_back("UPDATE t SET c = LOWER(c);\nDELETE FROM t WHERE c IS NULL;\n", None));
        assert!(sql_way_back("-- nothing on this database\n", None));
        assert!(!sql_way_back("UPDATE t SET c = 1; CREATE INDEX i ON t (c);", None));
    }

    #[test]
    fn pop_changes_share_their_way_back() {
        let migration = |version: &str, name: &str, down: bool| Migration {
            path: format!("m/{version}_{name}.up.sql"),
            version: version.to_string(),
            name: name.to_string(),
            down: Some(down),
            parents: vec![],
        };
        let mut migrations = vec![
            migration("20200101000000000000", "users.mysql", true),
            migration("20200101000000000001", "users.mysql", false),
            migration("20200101000000000001", "users.postgres", false),
            migration("20200102000000000000", "index", true),
            migration("20200102000000000001", "index.sqlite3.autocommit", false),
            migration("20200103000000000000", "other", false),
        ];
        let mut needs: std::collections::HashSet<String> =
            migrations.iter().map(|migration| migration.path.clone()).collect();
        let mut data_fix = migrations.clone();
        pop_changes(&mut migrations, &needs);
        let downs: Vec<bool> = migrations.iter().map(|migration| migration.down == Some(true)).collect();
        assert_eq!(downs, [true, true, false, true, true, false]);
        // An up that needs no way back has one, and lends it to no other file of its change.
        data_fix[0].down = Some(false);
        needs.remove(&data_fix[0].path);
        pop_changes(&mut data_fix, &needs);
        let downs: Vec<bool> = data_fix.iter().map(|migration| migration.down == Some(true)).collect();
        assert_eq!(downs, [true, false, false, true, true, false]);
        assert_eq!(pop_name("identities.cockroach.autocommit"), ("identities", Some("cockroach")));
        assert_eq!(pop_name("add_index"), ("add_index", None));
    }

    #[test]
    fn an_empty_way_back_is_no_way_back() {
        assert!(!has_sql("-- This file should undo anything in `up.sql`\n\n"));
        assert!(has_sql("DROP TABLE users;\n"));
    }
}
