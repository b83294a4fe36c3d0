//! What the folders of a repository are for: one table of the folders that hold no product code
//! (tests, examples, docs, vendored code, archives…), each with the reason it is not the product,
//! and the questions the facts and the checks ask of it.
//!
//! Like ripgrep's `default_types.rs`, [`FOLDERS`] is the one place that says a folder is not the
//! product. A [`Question`] leaves out the folders of some [`Reason`]s and says why: a manifest in an
//! example is not the repository's package, but the code of a test is still source code.
//!
//! The four questions were four lists before, and they did not agree. Where a question leaves out a
//! reason but not every folder of it (the migrations ignore `e2e/`, the tests `__fixtures__/`), the
//! folder's entry names that question in `but_not`, so that every question answers as it did. Each
//! such exception is a precision question to settle on its own, with its fixtures.

use crate::pattern::Globs;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{LazyLock, OnceLock};

/// Why a folder holds no product code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    /// Tests, their data, fixtures and doubles, and end-to-end suites.
    Test,
    /// Examples, samples, demos and playgrounds.
    Example,
    /// Documentation, and the code of its site.
    Docs,
    /// Benchmarks.
    Benchmark,
    /// Templates, generators and their stubs: code that makes code.
    Template,
    /// Scripts and tools that work on the repository.
    Tooling,
    /// Built output committed to the repository.
    Build,
    /// Other projects' code, copied in or installed.
    Vendored,
    /// Old, archived, backed-up and scratch copies.
    Archive,
}

/// A question asked of [`FOLDERS`] about the folders above a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Question {
    /// Is a manifest not the repository's own package ([`is_auxiliary`])?
    Manifest,
    /// Is a code file not the product's source ([`is_source`])?
    Source,
    /// Is a migration or schema file not the application's ([`is_application_path`])?
    Migration,
    /// Is a file test code ([`is_test_path`])?
    Test,
    /// Is a code file outside the product's own code ([`is_product_path`])?
    Product,
}

/// How a question compares folder names with the table's, which are written in lower case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    /// As written: `Docs/` is not `docs/`.
    Exact,
    /// ASCII letters folded.
    Ascii,
    /// Every letter folded, as apelint's globs fold them.
    Unicode,
}

impl Question {
    pub const ALL: [Question; 5] =
        [Question::Manifest, Question::Source, Question::Migration, Question::Test, Question::Product];

    /// The reasons whose folders this question leaves out (less the entries that say `but_not`).
    ///
    /// - A **manifest** beside the product's own is a test app, an example, a docs site, a benchmark
    ///   harness, a template or a tool: a Rust library whose docs site is a React app is not a web app.
    ///   Built, vendored and archived packages are not left out.
    /// - **Source** code counts what the product is written in: built bundles, the docs site's code
    ///   and examples are not it. Tests are: test code is code. Tool configuration written in a
    ///   programming language is told by its file name ([`is_source`]).
    /// - A **migration** of the application is none of a test's, an example's, the docs', a
    ///   generator's template, vendored code's or an archive's. Benchmarks and tools are not left out.
    /// - **Test** code is what lives under test folders, or is named like a test ([`is_test_path`]).
    /// - **Product** code is what the code rules judge: every reason but tests, which the `query`
    ///   checks leave out on their own (their `tests` option), is not the product's code.
    pub fn reasons(self) -> &'static [Reason] {
        use Reason::*;
        match self {
            Question::Manifest => &[Test, Example, Docs, Benchmark, Template, Tooling],
            Question::Source => &[Build, Docs, Example],
            Question::Migration => &[Test, Example, Docs, Template, Vendored, Archive],
            Question::Test => &[Test],
            Question::Product => &[Example, Docs, Benchmark, Template, Tooling, Build, Vendored, Archive],
        }
    }

    /// How this question compares names. The three cases are kept from the old lists: source folders
    /// were matched as written, manifests and migrations with ASCII case folded, test folders by
    /// globs, which fold every letter.
    fn case(self) -> Case {
        match self {
            Question::Source => Case::Exact,
            Question::Manifest | Question::Migration | Question::Product => Case::Ascii,
            Question::Test => Case::Unicode,
        }
    }

    /// Whether a folder above the file `path` is one this question leaves out. The file's own name
    /// is not looked at.
    pub fn leaves_out(self, path: &str) -> bool {
        self.leaves_out_unless(path, &[])
    }

    /// Like [`Question::leaves_out`], with the folders of the `allowed` reasons kept (a Django app
    /// called `docs` that holds models).
    pub fn leaves_out_unless(self, path: &str, allowed: &[Reason]) -> bool {
        let path: Cow<'_, str> = match self.case() {
            Case::Exact => Cow::Borrowed(path),
            Case::Ascii => Cow::Owned(path.to_ascii_lowercase()),
            // As `crate::pattern::Globs` folds a path: only when some letter is upper case.
            Case::Unicode if path.chars().any(char::is_uppercase) => Cow::Owned(path.to_lowercase()),
            Case::Unicode => Cow::Borrowed(path),
        };
        let index = &INDEXES[self as usize];
        let mut folders = path.split('/');
        folders.next_back();
        folders.any(|folder| index.reasons(folder).any(|reason| !allowed.contains(&reason)))
    }
}

/// How a folder's name is matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FolderMatch {
    /// The whole name: `tests`.
    Is(&'static str),
    /// The start of the name: `old_` in `old_migrations`.
    Starts(&'static str),
    /// The end of the name: `_tests` in `api_tests`.
    Ends(&'static str),
}

/// One entry of the table: a folder name (or the start or end of one), why it is not product code,
/// and the questions that leave out its reason but, for now, not this folder.
#[derive(Debug, Clone, Copy)]
pub struct Folder {
    pub name: FolderMatch,
    pub reason: Reason,
    /// The questions that keep this folder although they leave out its reason: divergences kept from
    /// the lists this table replaced, each to be settled on its own.
    pub but_not: &'static [Question],
}

impl Folder {
    const fn is(name: &'static str, reason: Reason) -> Folder {
        Folder { name: FolderMatch::Is(name), reason, but_not: &[] }
    }

    const fn starts(prefix: &'static str, reason: Reason) -> Folder {
        Folder { name: FolderMatch::Starts(prefix), reason, but_not: &[] }
    }

    const fn ends(suffix: &'static str, reason: Reason) -> Folder {
        Folder { name: FolderMatch::Ends(suffix), reason, but_not: &[] }
    }

    const fn but_not(self, questions: &'static [Question]) -> Folder {
        Folder { but_not: questions, ..self }
    }

    /// Whether `question` leaves this folder out.
    pub fn asked_by(&self, question: Question) -> bool {
        question.reasons().contains(&self.reason) && !self.but_not.contains(&question)
    }
}

/// The folders that hold no product code, and why. Names are written in lower case.
pub const FOLDERS: &[Folder] = {
    use Question::{Manifest, Migration, Product, Source, Test as Tests};
    use Reason::*;
    &[
        // Tests, their data and doubles.
        Folder::is("test", Test),
        Folder::is("tests", Test),
        Folder::is("testing", Test).but_not(&[Manifest, Migration]),
        Folder::is("testdata", Test),
        Folder::is("test-data", Test).but_not(&[Migration]),
        Folder::is("test_data", Test).but_not(&[Manifest, Tests]),
        Folder::is("fixtures", Test),
        Folder::is("fixture", Test).but_not(&[Manifest, Tests]),
        Folder::is("__fixtures__", Test).but_not(&[Tests]),
        Folder::is("__tests__", Test),
        Folder::is("__mocks__", Test).but_not(&[Manifest, Migration]),
        Folder::is("spec", Test),
        Folder::is("specs", Test).but_not(&[Manifest]),
        Folder::starts("test_", Test).but_not(&[Manifest, Tests]),
        Folder::ends("_tests", Test),
        Folder::ends("-tests", Test).but_not(&[Migration]),
        Folder::ends("_test", Test).but_not(&[Tests]),
        Folder::ends("-test", Test).but_not(&[Tests]),
        // .NET test projects (`src/UnitTests/`, `src/IntegrationTests/`, `src/Acme.Tests/`,
        // `Acme.Api.IntegrationTests/`).
        Folder::is("unittests", Test),
        Folder::is("integrationtests", Test),
        Folder::ends(".tests", Test),
        Folder::ends(".test", Test),
        Folder::ends(".unittests", Test),
        Folder::ends(".integrationtests", Test),
        Folder::ends(".specs", Test),
        // A suite named by its kind (`tests_e2e/`, `tests_integration/`).
        Folder::starts("tests_", Test),
        // End-to-end suites.
        Folder::is("e2e", Test).but_not(&[Migration]),
        Folder::is("playwright", Test).but_not(&[Migration]),
        Folder::is("cypress", Test).but_not(&[Migration]),
        // Test helpers and doubles shared by tests (Go's `internal/testutil`, Rust's `test_helpers`).
        Folder::is("testutil", Test),
        Folder::is("testutils", Test),
        Folder::is("test_utils", Test),
        Folder::is("test_helpers", Test),
        Folder::is("testhelpers", Test),
        // Examples.
        Folder::is("example", Example),
        Folder::is("examples", Example),
        Folder::is("sample", Example).but_not(&[Source]),
        Folder::is("samples", Example).but_not(&[Source]),
        Folder::is("demo", Example).but_not(&[Source]),
        Folder::is("demos", Example).but_not(&[Source, Migration]),
        Folder::is("playground", Example).but_not(&[Source, Migration]),
        Folder::is("playgrounds", Example).but_not(&[Source, Migration]),
        Folder::ends("_examples", Example).but_not(&[Source, Migration]),
        Folder::ends("-examples", Example).but_not(&[Source, Migration]),
        // Course content: a course's exercises and their solutions are examples, not the product.
        Folder::is("exercises", Example).but_not(&[Source, Migration]),
        Folder::is("solutions", Example).but_not(&[Source, Migration]),
        // Documentation and its site.
        Folder::is("docs", Docs),
        Folder::is("doc", Docs),
        Folder::is("website", Docs).but_not(&[Migration]),
        Folder::is("site", Docs).but_not(&[Migration]),
        Folder::ends("_docs", Docs).but_not(&[Source, Migration]),
        Folder::ends("-docs", Docs).but_not(&[Source, Migration]),
        // A project's web site (tRPC's `www/`, with its social-card generator): its packages are
        // not the repository's, but a product may serve its own pages from a `www/` folder, which
        // stay source and product code.
        Folder::is("www", Docs).but_not(&[Source, Migration, Product]),
        // The code a documentation site includes: FastAPI's and Typer's `docs_src`, an mdBook's
        // `listings`, the guides of a framework.
        Folder::is("docs_src", Docs),
        Folder::is("listings", Docs),
        Folder::is("guides", Docs),
        // Benchmarks.
        Folder::is("benches", Benchmark),
        Folder::is("benchmarks", Benchmark),
        // Templates and generators.
        Folder::is("templates", Template),
        Folder::is("template", Template),
        Folder::is("generators", Template).but_not(&[Manifest]),
        Folder::is("generator", Template).but_not(&[Manifest]),
        Folder::is("stubs", Template).but_not(&[Manifest]),
        Folder::is("stub", Template).but_not(&[Manifest]),
        Folder::is("skeleton", Template).but_not(&[Manifest]),
        Folder::is("scaffold", Template).but_not(&[Manifest]),
        // Tools.
        Folder::is("tools", Tooling),
        Folder::is("hack", Tooling),
        // Cargo's `xtask` convention: the repository's own task runner, a crate beside the product.
        Folder::is("xtask", Tooling),
        // Built output.
        Folder::is("dist", Build),
        // Vendored code.
        Folder::is("vendor", Vendored),
        Folder::is("node_modules", Vendored),
        Folder::is("third_party", Vendored),
        // Old copies and scratch.
        Folder::is("archive", Archive),
        Folder::is("archived", Archive),
        Folder::is("old", Archive),
        Folder::is("legacy", Archive),
        Folder::is("deprecated", Archive),
        Folder::is("backup", Archive),
        Folder::is("tmp", Archive),
        Folder::starts("old_", Archive),
        Folder::starts("old-", Archive),
        Folder::ends("_old", Archive),
        Folder::ends(".old", Archive),
    ]
};

/// The table's entries that one question asks about, indexed: a folder's reasons cost one lookup
/// of its name and a look at each start and end.
#[derive(Debug, Default)]
struct Index {
    names: HashMap<&'static str, Reason>,
    starts: Vec<(&'static str, Reason)>,
    ends: Vec<(&'static str, Reason)>,
}

impl Index {
    fn of(question: Question) -> Index {
        let mut index = Index::default();
        for folder in FOLDERS.iter().filter(|folder| folder.asked_by(question)) {
            match folder.name {
                FolderMatch::Is(name) => {
                    index.names.insert(name, folder.reason);
                }
                FolderMatch::Starts(prefix) => index.starts.push((prefix, folder.reason)),
                FolderMatch::Ends(suffix) => index.ends.push((suffix, folder.reason)),
            }
        }
        index
    }

    /// The reasons of the entries that `folder` (folded as the question folds) matches.
    fn reasons<'a>(&'a self, folder: &'a str) -> impl Iterator<Item = Reason> + 'a {
        let starts = self.starts.iter().filter(move |(prefix, _)| folder.starts_with(prefix));
        let ends = self.ends.iter().filter(move |(suffix, _)| folder.ends_with(suffix));
        self.names.get(folder).copied().into_iter().chain(starts.chain(ends).map(|(_, reason)| *reason))
    }
}

/// One index per question, in the order of [`Question::ALL`].
static INDEXES: LazyLock<[Index; 5]> = LazyLock::new(|| Question::ALL.map(Index::of));

/// Whether a manifest at `path` is not the repository's own package: it lies in test data, an
/// example, a documentation site, a benchmark, a template or a tool ([`Question::Manifest`]).
pub fn is_auxiliary(path: &str) -> bool {
    Question::Manifest.leaves_out(path)
}

/// Whether a migration or schema file at `path` may be the application's: it lies in no test,
/// fixture, template, example, documentation, vendored code or archive ([`Question::Migration`]).
pub fn is_application_path(path: &str) -> bool {
    !Question::Migration.leaves_out(path)
}

/// Like [`is_application_path`], with the folders of the `allowed` reasons kept (a Django app
/// called `docs` that holds models).
pub fn is_application_path_allowing(path: &str, allowed: &[Reason]) -> bool {
    !Question::Migration.leaves_out_unless(path, allowed)
}

/// Whether a code file at `path` is the product's own code, which the code rules judge: it lies in no
/// example, documentation, benchmark, template, tool, built output, vendored code or archive
/// ([`Question::Product`]). Tests are told apart by [`is_test_path`].
pub fn is_product_path(path: &str) -> bool {
    !Question::Product.leaves_out(path)
}

/// Test files by name, wherever they are: the test folders are in [`FOLDERS`].
const TEST_FILES: &[&str] = &[
    "**/{test,tests,test_utils,test_helpers,testing,testutil,testutils}.rs",
    "**/*_test.*",
    "**/test_*.py",
    "**/tests.py",
    "**/conftest.py",
    "**/*.{test,spec}.*",
    "**/*_spec.rb",
];

/// Whether `path` is test code, left out of the `query` checks unless a rule asks for it: it lies
/// under a test folder ([`Question::Test`]) or is named like a test file.
pub fn is_test_path(path: &str) -> bool {
    static FILES: OnceLock<Globs> = OnceLock::new();
    // JVM and .NET test classes are named by a capitalised suffix (`OrderTest`, `OrderIT`), which
    // case-insensitive globs cannot tell from `Latest.java` or `Audit.cs`.
    static CLASSES: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r"(?:^|/)(?:[A-Za-z0-9_]*[a-z0-9_](?:Test|Tests|IT|Spec)|Test[A-Z][A-Za-z0-9_]*)\.(?:java|kt|cs)$",
        )
        .expect("a valid regex")
    });
    Question::Test.leaves_out(path)
        || FILES.get_or_init(|| Globs::fixed(TEST_FILES)).is_match(path)
        || CLASSES.is_match(path)
}

/// File extensions of programming languages. Markup, data, configuration and shell scripts are not
/// counted: a repository of dotfiles or YAML is not a codebase that needs tests.
const SOURCE_EXTENSIONS: &[&str] = &[
    "rs", "py", "pyi", "go", "rb", "js", "jsx", "mjs", "cjs", "ts", "tsx", "mts", "cts", "java", "kt", "kts", "scala",
    "groovy", "cs", "fs", "vb", "php", "c", "h", "cc", "cpp", "cxx", "hpp", "hh", "m", "mm", "swift", "ex", "exs",
    "erl", "hrl", "hs", "ml", "mli", "clj", "cljs", "cljc", "lua", "pl", "pm", "r", "jl", "dart", "zig", "nim", "cr",
    "vue", "svelte", "astro", "elm", "gleam", "sol", "rkt", "scm", "lisp", "el", "f90", "f", "d", "v", "sv", "vhd",
    "ada", "adb", "pas", "cob", "tcl",
];

/// Whether `path` is the product's source code: a file in a programming language, not generated, not
/// tool configuration, and in no folder that [`Question::Source`] leaves out.
pub fn is_source(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name.ends_with(".min.js") || name.ends_with(".d.ts") || name.ends_with(".pb.go") || name.ends_with("_pb2.py") {
        return false;
    }
    // Tool configuration written in a programming language is not the product's code, and neither
    // are built bundles committed under dist/.
    let lower = name.to_ascii_lowercase();
    if lower.starts_with('.')
        || lower.contains(".config.")
        || [
            "gulpfile.",
            "gruntfile.",
            "webpack.",
            "rollup.",
            "vite.",
            "babel.",
            "jest.",
            "karma.",
            "setup.py",
            "noxfile.py",
            "conftest.py",
        ]
        .iter()
        .any(|prefix| lower.starts_with(prefix))
        || Question::Source.leaves_out(path)
    {
        return false;
    }
    match name.rsplit_once('.') {
        Some((stem, extension)) if !stem.is_empty() => {
            SOURCE_EXTENSIONS.iter().any(|known| known.eq_ignore_ascii_case(extension))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_files_are_code_only() {
        assert!(is_source("src/main.rs"));
        assert!(is_source("app/models/user.rb"));
        assert!(!is_source("README.md"));
        assert!(!is_source("dist/app.min.js"));
        assert!(!is_source("scripts/deploy.sh"));
        assert!(!is_source(".rs"));
        assert!(!is_source("rollup.config.js"));
        assert!(!is_source("webpack.prod.js"));
        assert!(!is_source(".eslintrc.js"));
        assert!(!is_source("dist/bundle.js"));
        assert!(!is_source("website/pelicanconf.py"));
        assert!(!is_source("examples/hello/main.go"));
        assert!(!is_source("setup.py"));
    }

    #[test]
    fn manifests_in_examples_and_docs_sites_are_auxiliary() {
        assert!(is_auxiliary("examples/hello/Cargo.toml"));
        assert!(is_auxiliary("website/package.json"));
        assert!(is_auxiliary("api_tests/package.json"));
        assert!(is_auxiliary("dev-docs/package.json"));
        // A project's `www/` site is not its package; the pages a product serves from it are code.
        assert!(is_auxiliary("www/og-image/package.json"));
        assert!(is_source("www/app.js") && is_product_path("www/app.js"));
        assert!(!is_auxiliary("package.json"));
        assert!(!is_auxiliary("crates/core/Cargo.toml"));
    }

    #[test]
    fn tests_templates_and_archives_are_not_the_application() {
        assert!(is_application_path("db/migrate/20240101000000_a.rb"));
        assert!(is_application_path("apps/blog/migrations/0001_initial.py"));
        for path in [
            "test/fixtures/db/migrate/1_a.rb",
            "lib/generators/templates/migration.rb",
            "db/old_migrations/1_a.rb",
            "spec/dummy/db/migrate/1_a.rb",
            "archive/db/migrate/1_a.rb",
            "vendor/gems/x/db/migrate/1_a.rb",
        ] {
            assert!(!is_application_path(path), "{path}");
        }
        assert!(is_application_path_allowing("docs/migrations/0001_initial.py", &[Reason::Docs]));
        assert!(!is_application_path_allowing("docs/tests/migrations/0001_initial.py", &[Reason::Docs]));
    }

    #[test]
    fn product_code_is_none_of_examples_docs_tools_builds_or_vendored_code() {
        for product in ["src/lib.rs", "app/models/user.rb", "tests/x.py", "crates/core/src/scan.rs", "lib/Tools.rb"] {
            assert!(is_product_path(product), "{product}");
        }
        for outside in [
            "playground/hmr/main.js",
            "samples/guide/Main.java",
            "docs_src/tutorial/app.py",
            "listings/ch01/src/lib.rs",
            "xtask/src/tidy.rs",
            "lib/rails/generators/base.rb",
            "Vendor/lib/x.js",
            "dist/app.js",
            "benches/scan.rs",
        ] {
            assert!(!is_product_path(outside), "{outside}");
        }
    }

    #[test]
    fn test_classes_are_told_apart_by_case() {
        for test in ["src/OrderTest.java", "OrderIT.java", "a/OrderTests.cs", "TestOrder.kt", "tests/x.py", "a_test.go"]
        {
            assert!(is_test_path(test), "{test}");
        }
        for code in ["src/Latest.java", "Services/Audit.cs", "Submit.kt", "Contest.java", "Inspec.java"] {
            assert!(!is_test_path(code), "{code}");
        }
    }

    #[test]
    fn every_folder_is_written_once_in_lower_case() {
        let mut seen = std::collections::HashSet::new();
        for folder in FOLDERS {
            let text = match folder.name {
                FolderMatch::Is(text) | FolderMatch::Starts(text) | FolderMatch::Ends(text) => text,
            };
            assert_eq!(text, text.to_lowercase(), "{folder:?}");
            assert!(seen.insert(folder.name), "{folder:?} is written twice");
            // An exception names a question that would otherwise ask about the folder.
            for question in folder.but_not {
                assert!(question.reasons().contains(&folder.reason), "{folder:?}: {question:?} does not ask anyway");
            }
        }
    }

    /// The four functions as they were before the table (issue 13), kept as the oracle that the
    /// questions of the table answer alike for every path.
    mod before {
        use crate::pattern::Globs;

        /// Folders added to the table after the old lists (issue 14), each answered for by the old
        /// functions of the questions that ask about its reason: test helpers, an example folder,
        /// the code documentation includes, a task-runner crate.
        pub const ADDED_TESTS: &[&str] =
            &["testutil", "testutils", "test_utils", "test_helpers", "testhelpers", "unittests", "integrationtests"];
        pub const ADDED_EXAMPLES: &[&str] = &["playgrounds"];
        pub const ADDED_DOCS: &[&str] = &["docs_src", "listings", "guides"];
        pub const ADDED_TOOLS: &[&str] = &["xtask"];
        /// .NET test projects (`Acme.Tests`) and suites named by their kind (`tests_e2e`), added
        /// after the old lists (issue 14, batch G).
        pub const ADDED_TEST_ENDS: &[&str] = &[".tests", ".test", ".unittests", ".integrationtests", ".specs"];
        pub const ADDED_TEST_STARTS: &[&str] = &["tests_"];

        const AUXILIARY_DIRS: &[&str] = &[
            "test",
            "tests",
            "testdata",
            "test-data",
            "fixtures",
            "__fixtures__",
            "__tests__",
            "spec",
            "example",
            "examples",
            "samples",
            "sample",
            "demo",
            "demos",
            "e2e",
            "docs",
            "doc",
            "website",
            "site",
            "benches",
            "benchmarks",
            "templates",
            "template",
            "playground",
            "tools",
            "hack",
            "playwright",
            "cypress",
        ];

        pub fn is_auxiliary(path: &str) -> bool {
            let mut components: Vec<&str> = path.split('/').collect();
            components.pop();
            components.iter().any(|component| {
                let lower = component.to_ascii_lowercase();
                AUXILIARY_DIRS.contains(&lower.as_str())
                    || [ADDED_TESTS, ADDED_EXAMPLES, ADDED_DOCS, ADDED_TOOLS].concat().contains(&lower.as_str())
                    || ["-docs", "_docs", "-tests", "_tests", "-test", "_test", "-examples", "_examples"]
                        .iter()
                        .chain(ADDED_TEST_ENDS)
                        .any(|suffix| lower.ends_with(suffix))
                    || ADDED_TEST_STARTS.iter().any(|prefix| lower.starts_with(prefix))
            })
        }

        const NOT_PRODUCT_DIRS: &[&str] = &["dist", "docs", "doc", "website", "site", "examples", "example"];

        pub fn is_source(path: &str) -> bool {
            let name = path.rsplit('/').next().unwrap_or(path);
            if name.ends_with(".min.js")
                || name.ends_with(".d.ts")
                || name.ends_with(".pb.go")
                || name.ends_with("_pb2.py")
            {
                return false;
            }
            let lower = name.to_ascii_lowercase();
            if lower.starts_with('.')
                || lower.contains(".config.")
                || [
                    "gulpfile.",
                    "gruntfile.",
                    "webpack.",
                    "rollup.",
                    "vite.",
                    "babel.",
                    "jest.",
                    "karma.",
                    "setup.py",
                    "noxfile.py",
                    "conftest.py",
                ]
                .iter()
                .any(|prefix| lower.starts_with(prefix))
                || path.split('/').any(|part| NOT_PRODUCT_DIRS.contains(&part) || ADDED_DOCS.contains(&part))
            {
                return false;
            }
            match name.rsplit_once('.') {
                Some((stem, extension)) if !stem.is_empty() => {
                    super::SOURCE_EXTENSIONS.iter().any(|known| known.eq_ignore_ascii_case(extension))
                }
                _ => false,
            }
        }

        pub const NOT_APPLICATION: &[&str] = &[
            "test",
            "tests",
            "testdata",
            "test_data",
            "fixtures",
            "fixture",
            "__fixtures__",
            "__tests__",
            "spec",
            "specs",
            "templates",
            "template",
            "generators",
            "generator",
            "stubs",
            "stub",
            "skeleton",
            "scaffold",
            "example",
            "examples",
            "sample",
            "samples",
            "demo",
            "docs",
            "doc",
            "vendor",
            "node_modules",
            "third_party",
            "archive",
            "archived",
            "old",
            "legacy",
            "deprecated",
            "backup",
            "tmp",
        ];

        pub fn is_application_path_allowing(path: &str, allowed: &[&str]) -> bool {
            let parts: Vec<&str> = path.split('/').collect();
            parts[..parts.len().saturating_sub(1)].iter().all(|part| {
                let part = part.to_ascii_lowercase();
                let not_application = NOT_APPLICATION.contains(&part.as_str())
                    || ADDED_TESTS.contains(&part.as_str())
                    || ADDED_DOCS.contains(&part.as_str());
                (!not_application || allowed.contains(&part.as_str()))
                    && !part.starts_with("old_")
                    && !part.starts_with("old-")
                    && !part.ends_with("_old")
                    && !part.ends_with(".old")
                    && !part.starts_with("test_")
                    && !part.ends_with("_test")
                    && !part.ends_with("-test")
                    && !part.ends_with("_tests")
                    && !ADDED_TEST_ENDS.iter().any(|suffix| part.ends_with(suffix))
                    && !ADDED_TEST_STARTS.iter().any(|prefix| part.starts_with(prefix))
            })
        }

        pub const TEST_PATHS: &[&str] = &[
            "**/{test,tests,spec,specs,__tests__,__mocks__,e2e,testing,testdata,fixtures,test-data}/**",
            "**/*{_tests,-tests}/**",
            "**/{playwright,cypress}/**",
            "**/{test,tests,test_utils,test_helpers,testing,testutil,testutils}.rs",
            "**/{testutil,testutils,test_utils,test_helpers,testhelpers,unittests,integrationtests}/**",
            "**/*_test.*",
            "**/test_*.py",
            "**/tests.py",
            "**/conftest.py",
            "**/*.{test,spec}.*",
            "**/*_spec.rb",
            "**/src/test/**",
            "**/*.{tests,test,unittests,integrationtests,specs}/**",
            "**/tests_*/**",
        ];

        pub fn is_test_path(path: &str) -> bool {
            static TESTS: std::sync::OnceLock<Globs> = std::sync::OnceLock::new();
            static CLASSES: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
                regex::Regex::new(
                    r"(?:^|/)(?:[A-Za-z0-9_]*[a-z0-9_](?:Test|Tests|IT|Spec)|Test[A-Z][A-Za-z0-9_]*)\.(?:java|kt|cs)$",
                )
                .expect("a valid regex")
            });
            TESTS.get_or_init(|| Globs::fixed(TEST_PATHS)).is_match(path) || CLASSES.is_match(path)
        }

        /// Every word the four lists were written with: their names, starts and ends, the words of
        /// the test globs and of the source file rules.
        pub fn words() -> Vec<&'static str> {
            let mut words: Vec<&'static str> = Vec::new();
            words.extend(AUXILIARY_DIRS);
            words.extend(NOT_PRODUCT_DIRS);
            words.extend(NOT_APPLICATION);
            words.extend([ADDED_TESTS, ADDED_EXAMPLES, ADDED_DOCS, ADDED_TOOLS].concat());
            words.extend(["-docs", "_docs", "-tests", "_tests", "-test", "_test", "-examples", "_examples"]);
            words.extend(["old_", "old-", "_old", ".old", "test_"]);
            words.extend([ADDED_TEST_ENDS, ADDED_TEST_STARTS].concat());
            words.extend(["__mocks__", "testing", "playwright", "cypress", "test_utils", "test_helpers", "src"]);
            words.extend(["conftest", "setup", "noxfile", "gulpfile", "webpack", "vite", "jest", "karma", "babel"]);
            words.extend(["spec", "_spec", ".spec", ".test", ".config", "pb2", "min", "IT", "Test", "Tests", "Spec"]);
            words.extend(["app", "lib", "core", "Order", "Latest", "Contest", "Inspec", "Audit", ""]);
            words.sort_unstable();
            words.dedup();
            words
        }
    }

    /// The spellings of a word that the questions could tell apart: its case, and a Kelvin sign for
    /// its `k` (which Unicode, not ASCII, folds to `k`).
    fn spellings(word: &str) -> Vec<String> {
        let mut capital = word.to_string();
        if let Some(first) = capital.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        let mut spelt = vec![word.to_string(), word.to_ascii_uppercase(), capital, word.replace('k', "\u{212A}")];
        spelt.sort();
        spelt.dedup();
        spelt
    }

    /// Folder names made of the old lists' words: as written, in other cases, and inside longer names.
    fn folders() -> Vec<String> {
        let mut folders = Vec::new();
        for word in before::words() {
            for word in spellings(word) {
                for (before, after) in [
                    ("", ""),
                    ("x", ""),
                    ("", "x"),
                    ("my-", ""),
                    ("my_", ""),
                    ("", "-x"),
                    ("", "_x"),
                    ("", "s"),
                    ("", ".old"),
                    ("old_", ""),
                    ("test_", ""),
                    ("", "_tests"),
                    ("", "-docs"),
                    ("", "_test"),
                    (".", ""),
                ] {
                    folders.push(format!("{before}{word}{after}"));
                }
            }
        }
        folders.sort();
        folders.dedup();
        folders
    }

    /// File names that the questions tell apart by name.
    const FILES: &[&str] = &[
        "main.rs",
        "x.py",
        "index.ts",
        "package.json",
        "Cargo.toml",
        "0001_initial.py",
        "20240101000000_a.rb",
        "README.md",
        "deploy.sh",
        "app.min.js",
        "types.d.ts",
        "api.pb.go",
        "api_pb2.py",
        ".eslintrc.js",
        "rollup.config.js",
        "webpack.prod.js",
        "setup.py",
        "conftest.py",
        "tests.py",
        "test_x.py",
        "x_test.go",
        "x.test.ts",
        "x.spec.js",
        "x_spec.rb",
        "test.rs",
        "tests.rs",
        "testing.rs",
        "testutil.rs",
        "testutils.rs",
        "test_utils.rs",
        "test_helpers.rs",
        "OrderTest.java",
        "OrderIT.kt",
        "OrderTests.cs",
        "OrderSpec.java",
        "TestOrder.kt",
        "Latest.java",
        "Audit.cs",
        "Contest.java",
        "Inspec.java",
        "TEST_X.PY",
        "X.TEST.TS",
        "Makefile",
        "docs",
        "test",
    ];

    fn paths() -> Vec<String> {
        let folders = folders();
        let mut paths: Vec<String> = Vec::new();
        for (at, folder) in folders.iter().enumerate() {
            // Each folder at the top, in the middle and just above the file, with a few file names.
            for (step, file) in FILES.iter().enumerate().filter(|(step, _)| (step + at) % 7 == 0) {
                let other = &folders[(at * 31 + step * 17) % folders.len()];
                paths.push(format!("{folder}/{file}"));
                paths.push(format!("src/{folder}/lib/{file}"));
                paths.push(format!("{other}/{folder}/{file}"));
                paths.push(format!("{folder}/{other}/{file}"));
            }
            // Each folder's name as a file's.
            paths.push(folder.clone());
            paths.push(format!("src/{folder}"));
            paths.push(format!("src/{folder}.rs"));
            paths.push(format!("src/{folder}.py"));
            paths.push(format!("src/{folder}.java"));
            paths.push(format!("{folder}/"));
        }
        for file in FILES {
            paths.push((*file).to_string());
            paths.push(format!("src/{file}"));
            paths.push(format!("src/test/{file}"));
            paths.push(format!("a/src/test/b/{file}"));
            paths.push(format!("/test/{file}"));
            paths.push(format!("a//test/{file}"));
            paths.push(format!("./docs/{file}"));
        }
        paths.extend(["", "/", "//", "test/", "docs/", "a/b/c"].map(String::from));
        paths
    }

    #[test]
    fn each_question_answers_as_its_old_list_did() {
        let paths = paths();
        assert!(paths.len() > 50_000, "{}", paths.len());
        let mut wrong = Vec::new();
        for path in &paths {
            let answers = [
                ("is_auxiliary", is_auxiliary(path), before::is_auxiliary(path)),
                ("is_source", is_source(path), before::is_source(path)),
                ("is_application_path", is_application_path(path), before::is_application_path_allowing(path, &[])),
                (
                    "is_application_path_allowing docs",
                    is_application_path_allowing(path, &[Reason::Docs]),
                    before::is_application_path_allowing(path, &[&["docs", "doc"], before::ADDED_DOCS].concat()),
                ),
                ("is_test_path", is_test_path(path), before::is_test_path(path)),
            ];
            for (question, now, then) in answers {
                if now != then {
                    wrong.push(format!("{question}({path:?}) is {now}, was {then}"));
                }
            }
        }
        assert!(wrong.is_empty(), "{} differ:\n{}", wrong.len(), wrong[..wrong.len().min(40)].join("\n"));
    }
}
