//! The schema fact: every framework's migrations are found where it keeps them, backed by its
//! dependency or config file, and look-alikes (tests, templates, archives, unbacked folders) are not.

mod common;

use common::{json, tree};

/// The frameworks and folders of the sets apelint found, as `framework dir count latest`.
fn sets(files: &[(&str, &str)]) -> Vec<String> {
    let dir = tree(files);
    let report = json(dir.path(), &["--select", "migration-version-conflict"]);
    report["schema"]["sets"]
        .as_array()
        .expect("the report holds the schema fact")
        .iter()
        .map(|set| {
            format!(
                "{} {} {} {}",
                set["framework"].as_str().unwrap(),
                set["dir"].as_str().unwrap(),
                set["migrations"],
                set["latest"].as_str().unwrap()
            )
        })
        .collect()
}

/// A framework's name, its files, and the set expected.
type Case = (&'static str, Vec<(&'static str, &'static str)>, &'static str);

const UP: &str = "CREATE TABLE t (id int);\n";

#[test]
fn every_framework_is_detected_where_it_keeps_its_migrations() {
    let cases: Vec<Case> = vec![
        (
            "rails",
            vec![
                ("Gemfile", "gem \"rails\"\n"),
                ("db/migrate/20240101000000_a.rb", ""),
                ("db/migrate/20240201000000_b.rb", ""),
            ],
            "rails db/migrate 2 20240201000000",
        ),
        (
            "django",
            vec![
                ("requirements.txt", "django\n"),
                ("blog/migrations/0001_initial.py", ""),
                ("blog/migrations/0002_b.py", ""),
            ],
            "django blog/migrations 2 0002",
        ),
        (
            "alembic",
            vec![
                ("alembic.ini", "[alembic]\n"),
                ("migrations/env.py", ""),
                ("migrations/versions/x1_a.py", "revision = 'x1'\ndown_revision = None\n"),
                ("migrations/versions/a2_b.py", "revision = 'a2'\ndown_revision = 'x1'\n"),
            ],
            "alembic migrations/versions 2 a2",
        ),
        (
            "prisma",
            vec![
                ("package.json", r#"{"dependencies": {"@prisma/client": "5"}}"#),
                ("prisma/schema.prisma", "model A { id Int @id }\n"),
                ("prisma/migrations/20240101000000_init/migration.sql", UP),
            ],
            "prisma prisma/migrations 1 20240101000000",
        ),
        (
            "drizzle",
            vec![
                ("package.json", r#"{"dependencies": {"drizzle-orm": "0.30"}}"#),
                ("drizzle/0000_init.sql", UP),
                ("drizzle/0001_more.sql", UP),
            ],
            "drizzle drizzle 2 0001",
        ),
        (
            "knex",
            vec![
                ("package.json", r#"{"dependencies": {"knex": "3"}}"#),
                ("migrations/20240101000000_init.js", "exports.up = () => {};\nexports.down = () => {};\n"),
            ],
            "knex migrations 1 20240101000000",
        ),
        (
            "typeorm",
            vec![
                ("package.json", r#"{"dependencies": {"typeorm": "0.3"}}"#),
                (
                    "src/migration/1704067200000-Init.ts",
                    "export class Init implements MigrationInterface { async up() {} async down() {} }\n",
                ),
            ],
            "typeorm src/migration 1 1704067200000",
        ),
        (
            "sequelize",
            vec![
                ("package.json", r#"{"dependencies": {"sequelize": "6"}}"#),
                ("migrations/20240101000000-create-user.js", "module.exports = { up() {}, down() {} };\n"),
            ],
            "sequelize migrations 1 20240101000000",
        ),
        (
            "sqlx",
            vec![
                ("Cargo.toml", "[package]\nname = \"a\"\nversion = \"0.1.0\"\n\n[dependencies]\nsqlx = \"0.7\"\n"),
                ("migrations/20240101000000_init.sql", UP),
            ],
            "sqlx migrations 1 20240101000000",
        ),
        (
            "diesel",
            vec![
                ("Cargo.toml", "[package]\nname = \"a\"\nversion = \"0.1.0\"\n\n[dependencies]\ndiesel = \"2\"\n"),
                ("migrations/2024-01-01-000000_init/up.sql", UP),
                ("migrations/2024-01-01-000000_init/down.sql", "DROP TABLE t;\n"),
                ("migrations/2024-02-01-000000_add-email/up.sql", UP),
            ],
            "diesel migrations 2 20240201000000",
        ),
        (
            "refinery",
            vec![
                ("Cargo.toml", "[package]\nname = \"a\"\nversion = \"0.1.0\"\n\n[dependencies]\nrefinery = \"0.8\"\n"),
                ("migrations/V1__init.sql", UP),
                ("migrations/V2__more.sql", UP),
            ],
            "refinery migrations 2 2",
        ),
        (
            "sea-orm",
            vec![
                (
                    "migration/Cargo.toml",
                    "[package]\nname = \"migration\"\nversion = \"0.1.0\"\n\n[dependencies]\nsea-orm-migration = \"1\"\n",
                ),
                ("migration/src/m20240101_000001_create_user.rs", "fn down() {}\n"),
            ],
            "sea-orm migration/src 1 20240101_000001",
        ),
        (
            "goose",
            vec![
                ("go.mod", "module a\n\ngo 1.22\n\nrequire github.com/pressly/goose/v3 v3.20.0\n"),
                (
                    "db/migrations/00001_init.sql",
                    "-- +goose Up\nCREATE TABLE t (id int);\n-- +goose Down\nDROP TABLE t;\n",
                ),
            ],
            "goose db/migrations 1 00001",
        ),
        (
            "golang-migrate",
            vec![
                ("go.mod", "module a\n\ngo 1.22\n"),
                ("migrations/000001_init.up.sql", UP),
                ("migrations/000001_init.down.sql", "DROP TABLE t;\n"),
            ],
            "golang-migrate migrations 1 000001",
        ),
        (
            "flyway",
            vec![
                (
                    "pom.xml",
                    "<project><dependencies><dependency><groupId>org.flywaydb</groupId><artifactId>flyway-core</artifactId></dependency></dependencies></project>\n",
                ),
                ("src/main/resources/db/migration/V1__init.sql", UP),
                ("src/main/resources/db/migration/V1_1__more.sql", UP),
            ],
            "flyway src/main/resources/db/migration 2 1.1",
        ),
        (
            "liquibase",
            vec![
                (
                    "pom.xml",
                    "<project><dependencies><dependency><groupId>org.liquibase</groupId><artifactId>liquibase-core</artifactId></dependency></dependencies></project>\n",
                ),
                ("src/main/resources/db/changelog/db.changelog-master.yaml", "databaseChangeLog: []\n"),
            ],
            "liquibase src/main/resources/db/changelog 1 ",
        ),
        (
            "ecto",
            vec![
                ("mix.exs", "defmodule A.MixProject do\n  defp deps do\n    [{:ecto_sql, \"~> 3.10\"}]\n  end\nend\n"),
                ("priv/repo/migrations/20240101000000_create_users.exs", ""),
            ],
            "ecto priv/repo/migrations 1 20240101000000",
        ),
        (
            "laravel",
            vec![
                ("composer.json", r#"{"require": {"laravel/framework": "^11.0"}}"#),
                ("database/migrations/2024_01_01_000000_create_users_table.php", "<?php\n"),
                ("database/migrations/2024_02_01_000000_playlist-user.php", "<?php\n"),
            ],
            "laravel database/migrations 2 20240201000000",
        ),
        (
            "a Django app called docs",
            vec![("requirements.txt", "django\n"), ("docs/models.py", ""), ("docs/migrations/0001_initial.py", "")],
            "django docs/migrations 1 0001",
        ),
        (
            "unbacked pairs",
            vec![
                ("clickhouse/migrations/0001_init.up.sql", UP),
                ("clickhouse/migrations/0001_init.down.sql", "DROP TABLE t;\n"),
            ],
            "golang-migrate clickhouse/migrations 1 0001",
        ),
        (
            "entity-framework",
            vec![
                (
                    "src/App/App.csproj",
                    "<Project><ItemGroup><PackageReference Include=\"Microsoft.EntityFrameworkCore\" Version=\"8.0.0\" /></ItemGroup></Project>\n",
                ),
                ("src/App/Migrations/20240101000000_Init.cs", "public partial class Init : Migration\n{\n}\n"),
                // The application's own routines beside them are not EF's.
                (
                    "src/App/Migrations/20240102000000_Backfill.cs",
                    "internal class Backfill : IMigrationRoutine\n{\n}\n",
                ),
                ("src/App/Migrations/20240101000000_Init.Designer.cs", ""),
                ("src/App/Migrations/AppDbContextModelSnapshot.cs", ""),
            ],
            "entity-framework src/App/Migrations 1 20240101000000",
        ),
    ];
    for (name, files, expected) in cases {
        assert_eq!(sets(&files), [expected], "{name}");
    }
}

#[test]
fn look_alikes_are_not_the_applications_migrations() {
    // No dependency or config file backs the folder.
    let unbacked =
        [("db/migrate/20240101000000_a.rb", ""), ("blog/migrations/0001_initial.py", ""), ("sql/0001_a.up.sql", UP)];
    assert!(sets(&unbacked).is_empty());
    // Tests, generator templates, archives and vendored code.
    let files = [
        ("Gemfile", "gem \"rails\"\n"),
        ("db/migrate/20240101000000_a.rb", ""),
        ("test/dummy/db/migrate/20240101000000_a.rb", ""),
        ("lib/generators/templates/db/migrate/20240101000000_a.rb", ""),
        ("db/old_migrations/20200101000000_a.rb", ""),
        ("archive/db/migrate/20200101000000_a.rb", ""),
        ("vendor/engine/db/migrate/20200101000000_a.rb", ""),
    ];
    assert_eq!(sets(&files), ["rails db/migrate 1 20240101000000"]);
}

#[test]
fn schema_dumps_are_found_beside_their_migrations() {
    let dir = tree(&[
        ("Gemfile", "gem \"rails\"\n"),
        ("db/migrate/20240101000000_a.rb", ""),
        ("db/schema.rb", "ActiveRecord::Schema[7.1].define(version: 2024_01_01_000000) do\nend\n"),
        ("db/analytics_migrate/20240301000000_b.rb", ""),
        ("db/analytics_structure.sql", "INSERT INTO \"schema_migrations\" (version) VALUES\n('20240301000000');\n"),
    ]);
    let report = json(dir.path(), &["--select", "schema-dump-stale"]);
    let files: Vec<String> = report["schema"]["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| format!("{} {}", file["path"].as_str().unwrap(), file["version"].as_str().unwrap_or("-")))
        .collect();
    assert_eq!(files, ["db/analytics_structure.sql 20240301000000", "db/schema.rb 20240101000000"]);
    assert_eq!(report["findings"].as_array().unwrap().len(), 0, "{report:#}");
}
