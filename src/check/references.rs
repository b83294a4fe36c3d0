//! `stale-references`: paths and commands named in instruction files (AGENTS.md, CLAUDE.md, ...)
//! that no longer exist in the repository.
//!
//! Precision over recall: a path is judged only when it is clearly about this repository (its first
//! folder exists here, it is not ignored by git, it holds no placeholder or glob), and a command
//! only when the repository defines that kind of command at all.

use super::config::config;
use super::{FileCtx, Pre, Primitive, ScanCx};
use crate::diag::Problems;
use crate::escape::code;
use crate::facts::Facts;
use crate::finding::Hit;
use crate::paths;
use crate::pattern::Globs;
use crate::spanned::Fields;

#[derive(Debug)]
pub struct ReferencesCheck {
    files: Globs,
    check_paths: bool,
    check_commands: bool,
}

/// `yarn` and `pnpm` subcommands that are not scripts.
const PACKAGE_MANAGER_BUILTINS: &[&str] = &[
    "add",
    "audit",
    "autoclean",
    "bin",
    "cache",
    "check",
    "config",
    "create",
    "dedupe",
    "dlx",
    "exec",
    "explain",
    "global",
    "help",
    "import",
    "info",
    "init",
    "install",
    "i",
    "licenses",
    "link",
    "list",
    "ls",
    "login",
    "logout",
    "node",
    "outdated",
    "owner",
    "pack",
    "patch",
    "plugin",
    "prune",
    "publish",
    "rebuild",
    "remove",
    "rm",
    "run",
    "search",
    "set",
    "setup",
    "store",
    "tag",
    "team",
    "unlink",
    "unplug",
    "up",
    "update",
    "upgrade",
    "upgrade-interactive",
    "version",
    "versions",
    "why",
    "workspace",
    "workspaces",
    "env",
    "approve-builds",
    "fetch",
    "deploy",
    "doctor",
    "self-update",
    "x",
    "start",
    "test",
];

config! {
    /// The `[check]` table of `stale-references`: paths and commands named in instruction files that
    /// no longer exist.
    pub struct ReferencesConfig {
        /// The instruction files to read.
        required "files" => files: Globs,
        /// Check paths (default `true`).
        "paths" => paths: bool,
        /// Check commands (default `true`).
        "commands" => commands: bool,
    }
}

impl Primitive for ReferencesCheck {
    const KIND: &'static str = "stale-references";
    type Config = ReferencesConfig;
    type Acc = Vec<Hit>;

    fn compile(config: ReferencesConfig, _: &Fields<'_>, _: &mut Problems) -> Option<ReferencesCheck> {
        Some(ReferencesCheck {
            files: config.files.value()?,
            check_paths: config.paths.or_lenient(true),
            check_commands: config.commands.or_lenient(true),
        })
    }

    fn repository_level(&self) -> bool {
        false
    }

    fn selects(&self, path: &str) -> bool {
        self.files.is_match(path)
    }

    fn pre(&self, facts: &Facts) -> Pre {
        if facts.tree().files.iter().any(|path| self.selects(path)) { Pre::Scan } else { Pre::Done(Vec::new()) }
    }

    fn scan(&self, file: &FileCtx<'_>, cx: &ScanCx<'_>, out: &mut Vec<Hit>) {
        let facts = cx.facts;
        let Some(doc) = facts.markdown(file.path, Some(file.text)) else { return };
        let made = made_by_the_workflow(file.text);
        // Whether the last source line asked about speaks of the past, by where it starts: many
        // code spans on one long line ask once.
        let mut past: Option<(*const u8, bool)> = None;
        for code in &doc.code {
            let mut search_from = code.span.offset;
            let code_end = (code.span.offset + code.span.len).min(file.text.len());
            for line in code.text.lines() {
                let wanted = line.trim();
                // Lines of code follow one another in the source, apart from the indentation and
                // container markers (`> `, list indents) between them: look a bounded way ahead
                // inside the span, never to the end of the file, so a line that is not found
                // costs its own length.
                let window = crate::facts::text::ceil_char_boundary(
                    file.text,
                    (search_from + 2 * wanted.len() + 256).min(code_end),
                );
                let Some(relative) = file.text.get(search_from..window).and_then(|rest| rest.find(wanted)) else {
                    continue;
                };
                let offset = search_from + relative;
                search_from = offset + wanted.len();
                let mut problems = Vec::new();
                if self.check_commands {
                    problems.extend(command_problems(line, facts));
                }
                if self.check_paths && !code.block {
                    let source_line = file.line_text(offset);
                    let start = source_line.as_ptr();
                    let in_the_past = match past {
                        Some((at, known)) if at == start => known,
                        _ => speaks_of_the_past(source_line),
                    };
                    past = Some((start, in_the_past));
                    if !in_the_past && !made.contains(wanted.trim_matches(|c| c == '`' || c == '"' || c == '\'')) {
                        problems.extend(path_problem(wanted, file.path, facts));
                    }
                }
                for (problem, subject) in problems {
                    let location = file.location(offset, offset + line.trim().len());
                    out.push(Hit::at(location, problem, subject).with_key(line.trim()));
                }
            }
        }
    }

    fn post(&self, _: &Facts, hits: Vec<Hit>) -> Vec<Hit> {
        hits
    }
}

/// A shell line that names a file it makes: `NAME="path/with.ext"` (group 1), or a path after `>`,
/// `>>`, `touch` or `tee` (group 2). Only names with a folder or an extension, so that `X=1` and
/// `> Note` say nothing.
static SHELL_WRITES: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r#"(?:^|[\s;(])[A-Za-z_][A-Za-z0-9_]*=["']?([\w./-]*[\w-][./][\w.-]+)["']?(?:$|[\s;)])|\S\s*>>?\s*["']?([\w./-]*[\w-][./][\w.-]+)|\b(?:touch|tee(?:\s+-a)?)\s+["']?([\w./-]*[\w-][./][\w.-]+)"#,
    )
    .expect("literal regex")
});

/// The paths an instruction file says its workflow makes, or may find missing ("if `po/todo.json`
/// exists", "generate `po/git.pot`", "writes `out/report.json`"): scratch and output files, named
/// anywhere in the file, that are not meant to be in the repository.
fn made_by_the_workflow(text: &str) -> std::collections::HashSet<&str> {
    const WORDS: &[&str] =
        &["exist", "missing", "generate", "create", "produce", "output", "write to", "writes", "extract", "save"];
    let mut made = std::collections::HashSet::new();
    // A list item or sentence goes on over indented lines: judge it whole.
    let mut items: Vec<Vec<&str>> = Vec::new();
    for line in text.lines().take(100_000) {
        let trimmed = line.trim_start();
        let starts_item = trimmed.starts_with(['-', '*', '#', '>'])
            || trimmed.split_once(". ").is_some_and(|(number, _)| number.chars().all(|c| c.is_ascii_alphanumeric()));
        match items.last_mut() {
            Some(item) if line.starts_with([' ', '\t']) && !starts_item && !trimmed.is_empty() => item.push(line),
            _ => items.push(vec![line]),
        }
    }
    // The file's own shell snippets name what the workflow makes: a variable set to a path
    // (`BATCH_FILE="po/review-batch.txt"`), a redirection (`> out/report.json`), `touch` or `tee`.
    for line in text.lines().take(100_000) {
        for found in SHELL_WRITES.captures_iter(line) {
            if let Some(path) = found.get(1).or_else(|| found.get(2)).or_else(|| found.get(3)) {
                made.insert(path.as_str());
            }
        }
    }
    for item in items {
        let lower = item.join(" ").to_lowercase();
        if !WORDS.iter().any(|word| lower.contains(word)) {
            continue;
        }
        for line in item {
            // The code spans of the line: the text between pairs of backticks.
            for (at, span) in line.split('`').enumerate() {
                if at % 2 == 1 && !span.is_empty() {
                    made.insert(span.trim());
                }
            }
        }
    }
    made
}

/// Whether a line says that something is gone ("no longer registered in `app/Http/Kernel.php`"):
/// a path named there is not meant to exist.
fn speaks_of_the_past(line: &str) -> bool {
    let line = line.to_lowercase();
    [
        "no longer",
        "not ",
        "n't",
        "removed",
        "deprecated",
        "instead of",
        "was moved",
        "were moved",
        "moved from",
        "renamed",
        "used to",
        "formerly",
        "previously",
        "legacy",
        "deleted",
        "replaced",
    ]
    .iter()
    .any(|marker| line.contains(marker))
}

/// Why `text`, written as a path, names nothing in the repository.
fn path_problem(text: &str, file: &str, facts: &Facts) -> Option<(String, String)> {
    let text = text.trim_matches(|c| c == '`' || c == '"' || c == '\'');
    let candidate = text.strip_prefix("./").unwrap_or(text);
    if !looks_like_path(candidate) {
        return None;
    }
    let tree = facts.tree();
    let first = candidate.split('/').next().unwrap_or_default();
    let from_file = paths::resolve(paths::parent(file), candidate);
    // Only paths that are clearly about this repository: their first folder exists here, at the
    // root or beside the instruction file.
    let beside = paths::resolve(paths::parent(file), first).is_some_and(|dir| tree.is_dir(&dir));
    if !(tree.is_dir(first) || beside) {
        return None;
    }
    // An import path (`prettier/plugins/typescript`) names a package, not a folder.
    if is_dependency(facts, first) {
        return None;
    }
    let exists = |path: &str| tree.exists(path) || facts.exists_inside(path);
    if exists(candidate)
        || from_file.as_deref().is_some_and(exists)
        || facts.is_ignored(candidate)
        || tree.in_unreadable(candidate)
    {
        return None;
    }
    // Named relative to a base the text gave earlier (`accounts/_tabs.html.erb` under `app/views/`).
    if tree.any_ends_with(&format!("/{}", candidate.trim_end_matches('/'))) {
        return None;
    }
    Some((format!("{} does not exist", code(candidate)), candidate.to_string()))
}

fn is_dependency(facts: &Facts, name: &str) -> bool {
    facts.declares(&name.to_ascii_lowercase())
}

/// Names a reader is meant to replace: `YourExtension/`, `my-app/`, `foo/`, `XX.po` (one letter
/// repeated, the translators' and templates' placeholder).
fn is_placeholder(part: &str) -> bool {
    let stem = part.split('.').next().unwrap_or_default();
    let mut letters = stem.chars();
    if let Some(first) = letters.next() {
        if first.is_ascii_alphabetic() && stem.len() >= 2 && letters.all(|c| c == first) {
            return true;
        }
    }
    // `PROVIDER_NAME.js`, `MONITORING_TYPE.vue`: a code file named in capitals and underscores is
    // the name to fill in, as code files are not named so.
    if let Some((stem, extension)) = part.rsplit_once('.') {
        let capitals = stem.contains('_') && stem.chars().all(|c| c.is_ascii_uppercase() || c == '_');
        let code = [
            "js", "mjs", "cjs", "ts", "tsx", "jsx", "vue", "svelte", "py", "go", "rs", "rb", "java", "kt", "cs", "php",
        ];
        if capitals && code.contains(&extension) {
            return true;
        }
    }
    let lower = part.to_ascii_lowercase();
    ["your", "my-", "my_", "<", "{", "xxx", "foo", "bar", "baz", "example.", "placeholder", "path-to", "path_to"]
        .iter()
        .any(|prefix| lower.starts_with(prefix))
        || (part.starts_with("My") && part.chars().nth(2).is_some_and(char::is_uppercase))
}

/// A relative path of at least two parts, of ordinary file-name characters only: no spaces, globs,
/// placeholders, URLs or options.
fn looks_like_path(text: &str) -> bool {
    let parts: Vec<&str> = text.trim_end_matches('/').split('/').collect();
    parts.len() >= 2
        && !parts.iter().any(|part| is_placeholder(part))
        // Go's package pattern (`./internal/...`) names every package under a folder, like a glob.
        && !parts.contains(&"...")
        && !text.starts_with('/')
        && parts.iter().all(|part| {
            !part.is_empty()
                && part != &".."
                && part.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@' | '+'))
        })
        && !parts[0].starts_with('@')
}

/// Problems with the commands on one line of a code block or inline code span.
fn command_problems(line: &str, facts: &Facts) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    let line = line.trim().trim_start_matches("$ ").trim_start_matches("> ");
    if line.starts_with('#') || line.starts_with("//") {
        return problems;
    }
    let line = strip_comment(line);
    let mut in_folder = false;
    for command in line.split(['&', ';', '|', '>', '<', '(', ')']).map(str::trim).filter(|command| !command.is_empty())
    {
        let words: Vec<&str> = command.split_whitespace().collect();
        match words.as_slice() {
            ["cd", dir, ..] => {
                in_folder = true;
                if let Some(problem) = folder_problem(dir, facts) {
                    problems.push(problem);
                }
            }
            // A command run in another folder is judged against that folder's files; skip it.
            _ if in_folder => {}
            ["make", rest @ ..] => problems.extend(make_problems(rest, facts)),
            ["just", rest @ ..] => problems.extend(just_problems(rest, facts)),
            ["npm", "run" | "run-script", script, ..] | ["pnpm" | "yarn" | "bun", "run", script, ..] => {
                problems.extend(script_problem(script, facts));
            }
            ["npm", "test" | "t", ..] => problems.extend(script_problem(&"test", facts)),
            // A bare `pnpm X` may run a binary from node_modules/.bin (`pnpm prettier`), so only a
            // script-like name (`pnpm db:reset`) must be a script.
            ["pnpm" | "yarn" | "bun", script, ..]
                if script.contains(':') && !script.starts_with('-') && !PACKAGE_MANAGER_BUILTINS.contains(script) =>
            {
                problems.extend(script_problem(script, facts));
            }
            ["cargo", rest @ ..] => problems.extend(cargo_problems(rest, facts)),
            _ => {}
        }
    }
    problems
}

/// The line without a trailing shell comment: from a `#` at the start or after whitespace, outside
/// quotes (`make lint  # ruff and mypy` names one target, not five).
fn strip_comment(line: &str) -> &str {
    let mut quote = None;
    let mut previous = ' ';
    for (at, c) in line.char_indices() {
        match (quote, c) {
            (Some(open), c) if c == open => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '#') if previous.is_whitespace() => return &line[..at],
            _ => {}
        }
        previous = c;
    }
    line
}

fn folder_problem(dir: &str, facts: &Facts) -> Option<(String, String)> {
    let dir = dir.trim_end_matches('/');
    if dir.is_empty()
        || dir.starts_with(['~', '$', '/', '-', '<', '{'])
        || dir.starts_with("..")
        || dir == "."
        || dir.contains('*')
    {
        return None;
    }
    let dir = dir.strip_prefix("./").unwrap_or(dir);
    let tree = facts.tree();
    let first = dir.split('/').next().unwrap_or_default();
    if tree.is_dir(dir) || facts.is_dir_inside(dir) || facts.is_ignored(dir) {
        return None;
    }
    // A single unknown name may be a folder the reader creates (`cd my-app`); a nested path whose
    // first folder exists is clearly about this repository.
    (dir.contains('/') && tree.is_dir(first))
        .then(|| (format!("{}: no such folder", code(&format!("cd {dir}"))), dir.to_string()))
}

fn targets<'w>(args: &[&'w str]) -> Vec<&'w str> {
    let mut out = Vec::new();
    let mut skip_next = false;
    for arg in args {
        if skip_next {
            skip_next = false;
            continue;
        }
        if matches!(*arg, "-C" | "-f" | "--directory" | "--file" | "--justfile" | "-d") {
            return Vec::new();
        }
        if arg.starts_with('-') {
            skip_next = matches!(*arg, "-j" | "-l" | "-o" | "-W");
            continue;
        }
        if arg.contains('=') || arg.contains(['$', '<', '{', '`']) {
            continue;
        }
        // Anything that does not look like a target name ends the list: prose after the command.
        if !arg.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/')) {
            break;
        }
        out.push(*arg);
    }
    out
}

/// Files from which a build system generates the Makefile.
const MAKEFILE_GENERATORS: &[&str] =
    &["Makefile.am", "Makefile.in", "configure.ac", "configure.in", "CMakeLists.txt", "Makefile.PL", "GNUmakefile.in"];

fn make_problems(args: &[&str], facts: &Facts) -> Vec<(String, String)> {
    let commands = facts.commands();
    if commands.makefiles.is_empty() {
        // Autotools, CMake, qmake and Perl's MakeMaker write the Makefile when the build is
        // configured (`./configure && make`): its targets are the generator's, not stale.
        if MAKEFILE_GENERATORS
            .iter()
            .any(|name| facts.tree().exists(name) || facts.tree().any_ends_with(&format!("/{name}")))
        {
            return Vec::new();
        }
        return vec![("`make` is named but the repository has no Makefile".to_string(), "make".to_string())];
    }
    if commands.make_dynamic {
        return Vec::new();
    }
    targets(args)
        .into_iter()
        .filter(|target| !commands.make_targets.contains(*target))
        .map(|target| {
            (
                format!("{}: no Makefile defines target {}", code(&format!("make {target}")), code(target)),
                format!("make {target}"),
            )
        })
        .collect()
}

fn just_problems(args: &[&str], facts: &Facts) -> Vec<(String, String)> {
    let commands = facts.commands();
    if commands.justfiles.is_empty() {
        return vec![("`just` is named but the repository has no justfile".to_string(), "just".to_string())];
    }
    targets(args)
        .into_iter()
        .take(1)
        .filter(|recipe| !commands.just_recipes.contains(*recipe))
        .map(|recipe| {
            (
                format!("{}: no justfile defines recipe {}", code(&format!("just {recipe}")), code(recipe)),
                format!("just {recipe}"),
            )
        })
        .collect()
}

fn script_problem(script: &&str, facts: &Facts) -> Option<(String, String)> {
    let script = script.trim_matches(|c| c == '"' || c == '\'');
    if script.starts_with('-') || script.contains(['$', '<', '{']) {
        return None;
    }
    let commands = facts.commands();
    if commands.package_jsons == 0 {
        return Some((
            format!("script {} is named but the repository has no package.json", code(script)),
            script.to_string(),
        ));
    }
    (!commands.npm_scripts.contains(script))
        .then(|| (format!("no package.json defines script {}", code(script)), script.to_string()))
}

fn cargo_problems(args: &[&str], facts: &Facts) -> Vec<(String, String)> {
    let commands = facts.commands();
    let Some(subcommand) = args.first() else { return Vec::new() };
    const BUILDS: &[&str] =
        &["build", "b", "check", "c", "test", "t", "run", "r", "bench", "clippy", "doc", "d", "fmt", "nextest"];
    if !BUILDS.contains(subcommand) {
        return Vec::new();
    }
    if commands.cargo_manifests == 0 {
        return vec![(
            format!("{} is named but the repository has no Cargo.toml", code(&format!("cargo {subcommand}"))),
            format!("cargo {subcommand}"),
        )];
    }
    let mut problems = Vec::new();
    let mut args = args.iter().skip(1).take_while(|arg| **arg != "--");
    while let Some(arg) = args.next() {
        let (flag, value) = match arg.split_once('=') {
            Some((flag, value)) => (flag, Some(value)),
            None => (*arg, None),
        };
        let known = match flag {
            "-p" | "--package" => &commands.cargo_packages,
            "--bin" => &commands.cargo_bins,
            "--example" => &commands.cargo_examples,
            _ => continue,
        };
        let Some(name) = value.or_else(|| args.next().copied()) else { break };
        if name.contains(['*', '$', '<', '{']) || name.starts_with('-') {
            continue;
        }
        if !known.contains(name) {
            problems.push((
                format!(
                    "{}: no such {} in this repository",
                    code(&format!("cargo {subcommand} {flag} {name}")),
                    noun(flag)
                ),
                format!("{flag} {name}"),
            ));
        }
    }
    problems
}

fn noun(flag: &str) -> &'static str {
    match flag {
        "--bin" => "binary",
        "--example" => "example",
        _ => "package",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_shapes() {
        assert!(looks_like_path("src/old/module.rs"));
        assert!(looks_like_path("docs/api/"));
        assert!(!looks_like_path("docs/"));
        assert!(!looks_like_path("README.md"));
        assert!(!looks_like_path("src/<name>.rs"));
        assert!(!looks_like_path("src/**/*.ts"));
        assert!(!looks_like_path("/usr/bin/env"));
        assert!(!looks_like_path("@scope/pkg"));
        assert!(!looks_like_path("https://x.y/z"));
        assert!(!looks_like_path("a b/c"));
        assert!(!looks_like_path("tests/functional/Extension/YourExtension/"));
        assert!(!looks_like_path("apps/my-app/src/index.ts"));
        assert!(!looks_like_path("src/MyComponent/index.ts"));
        assert!(looks_like_path("src/Mystery/index.ts"));
    }

    #[test]
    fn shell_comments_are_not_targets() {
        assert_eq!(strip_comment("make lint   # Ruff, djhtml"), "make lint   ");
        assert_eq!(strip_comment("echo '#not' # comment"), "echo '#not' ");
        assert_eq!(strip_comment("make build#1"), "make build#1");
        assert_eq!(targets(&["build-docs", "(stable)", "docs"]), ["build-docs"]);
    }

    #[test]
    fn make_targets_skip_options_and_variables() {
        assert_eq!(targets(&["-j4", "test", "V=1", "lint"]), ["test", "lint"]);
        assert!(targets(&["-C", "sub", "test"]).is_empty());
    }
}
