//! A rule's tree-sitter patterns kept in `.scm` files beside it: `rules/<family>/<id>.toml` reads
//! them from the folder `rules/<family>/<id>/`, one file per language or group of languages.
//!
//! A file is named for the languages it serves, joined by `+`: `python.scm`, `c-sharp.scm`,
//! `typescript+tsx.scm`, `javascript+typescript+tsx.scm` (names as `[check.patterns]` takes them;
//! TypeScript and TSX are two grammars, so a pattern meant for `.tsx` files names `tsx`). Each
//! language takes its patterns from one file. A rule keeps its patterns either in `.scm` files or
//! in `[check.patterns]`, not both; a rule `like` another takes the other's files unless it gives
//! patterns of its own. Other files in the folder (`tests.toml`, the patterns' snippets) are not
//! read here.

use crate::check::code::file_key;
use crate::diag::{Problem, Problems, SourceFile, unknown};
use crate::spanned::{Layer, Table};
use crate::syntax::Lang;
use std::borrow::Cow;
use std::path::Path;
use toml::Spanned;
use toml::de::DeValue;

/// One `.scm` file of a rule, not yet read for its languages.
#[derive(Debug, Clone)]
pub struct PatternFile {
    pub file: SourceFile,
    /// The file name without `.scm`: the languages it serves, joined by `+`.
    pub stem: String,
}

/// The built-in rules' pattern files, from `build.rs`: (path under `rules/`, text).
pub fn builtin(rule_path: &str) -> Vec<PatternFile> {
    let Some(folder) = rule_path.strip_suffix(".toml") else { return Vec::new() };
    super::BUILTIN_PATTERNS
        .iter()
        .filter_map(|(path, text)| {
            let name = path.strip_prefix(folder)?.strip_prefix('/')?;
            let stem = name.strip_suffix(".scm").filter(|stem| !stem.contains('/'))?;
            Some(PatternFile { file: SourceFile::builtin(format!("rules/{path}"), text), stem: stem.to_string() })
        })
        .collect()
}

/// The `.scm` files in the folder beside a user's rule file (`lint/my-rule.toml` reads
/// `lint/my-rule/*.scm`). In a folder the repository's own configuration names, links are not
/// followed (as `rule::dir_sources` does not follow them) and each file is read within `repository`.
pub fn beside(rule: &Path, repository: Option<&crate::boundary::Boundary>) -> Result<Vec<PatternFile>, Problem> {
    let folder = rule.with_extension("");
    let follow = repository.is_none();
    let linked = |path: &Path| path.symlink_metadata().is_ok_and(|meta| meta.file_type().is_symlink());
    if !folder.is_dir() || (!follow && linked(&folder)) {
        return Ok(Vec::new());
    }
    let entries = std::fs::read_dir(&folder)
        .map_err(|error| Problem::io(format!("cannot read pattern folder `{}`: {error}", folder.display())))?;
    let mut files = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(stem) = path.file_name().and_then(|name| name.to_str()).and_then(|name| name.strip_suffix(".scm"))
        else {
            continue;
        };
        if entry.file_type().is_ok_and(|kind| kind.is_file() || (follow && kind.is_symlink() && path.is_file())) {
            let stem = stem.to_string();
            files.push(PatternFile { file: SourceFile::read(&path, repository)?, stem });
        }
    }
    files.sort_by(|a, b| a.file.name.cmp(&b.file.name));
    Ok(files)
}

/// Whether a `.toml` file is a rule's companion, not a rule: the snippets file `tests.toml` in the
/// folder of a rule's patterns (`<id>/tests.toml` beside `<id>.toml`). Any other `.toml` file there
/// is a rule, as it was before rules had pattern folders. `build.rs` reads it the same way.
pub fn is_companion(path: &Path) -> bool {
    path.file_name().is_some_and(|name| name == "tests.toml")
        && path.parent().is_some_and(|folder| folder.with_extension("toml").is_file())
}

/// One file's languages, from its name; every unknown name is a problem at the file.
fn languages(pattern: &PatternFile, problems: &mut Problems) -> Option<Vec<Lang>> {
    let mut langs = Vec::new();
    let mut ok = true;
    for name in pattern.stem.split('+') {
        match Lang::parse(name) {
            Some(lang) => langs.push(lang),
            None => {
                let names = Lang::ALL.map(Lang::name);
                let problem = unknown(&pattern.file, 0..0, "language", name, names).with_help(format!(
                    "a pattern file is named for its languages, joined by `+`: `python.scm`, `typescript+tsx.scm` \
                     (languages: {})",
                    names.join(", ")
                ));
                problems.push(problem);
                ok = false;
            }
        }
    }
    ok.then_some(langs)
}

/// Each pattern file as a table laid over a `[check]` table: its text under the key of each of its
/// languages, and an empty `patterns` that marks where the files stand among the layers. A language
/// served by two files is a problem at the second.
pub fn layers<'a>(files: &'a [PatternFile], problems: &mut Problems) -> Option<Vec<(&'a SourceFile, Table)>> {
    let mut seen: Vec<(Lang, &str)> = Vec::new();
    let mut layers = Vec::new();
    let mut ok = true;
    for pattern in files {
        let Some(langs) = languages(pattern, problems) else {
            ok = false;
            continue;
        };
        let mut table = Table::new();
        let key = |name: &'static str| Spanned::new(0..0, Cow::Borrowed(name));
        table.insert(key("patterns"), Spanned::new(0..0, DeValue::Table(Table::new())));
        for lang in langs {
            if let Some((_, first)) = seen.iter().find(|(known, _)| *known == lang) {
                let message = format!("{} patterns are in two files: `{first}` and this one", lang.name());
                problems.push(
                    Problem::at(&pattern.file, 0..0, message, "here")
                        .with_help("each language takes its patterns from one `.scm` file"),
                );
                ok = false;
                continue;
            }
            seen.push((lang, &pattern.file.name));
            let text = DeValue::String(Cow::Borrowed(pattern.file.text));
            table.insert(key(file_key(lang)), Spanned::new(0..pattern.file.text.len(), text));
        }
        layers.push((&pattern.file, table));
    }
    ok.then_some(layers)
}

/// A pattern file's table as a layer over a `[check]` table.
pub fn layer<'a>((file, table): &'a (&'a SourceFile, Table)) -> Layer<'a> {
    Layer { file, table, span: (0, 0), what: "the rule's pattern files" }
}

/// A `[check]` table's `kind`.
pub fn kind_of(table: &Table) -> Option<&str> {
    table.iter().find(|(key, _)| key.get_ref().as_ref() == "kind").and_then(|(_, kind)| kind.get_ref().as_str())
}

/// Whether a check of this kind reads tree-sitter patterns: its configuration has a key of
/// [`Queries`](crate::check::code::Queries).
pub fn reads(kind: Option<&str>) -> bool {
    use crate::check::config::FromKey;
    let shape = crate::check::code::Queries::SHAPE;
    crate::check::PRIMITIVES
        .iter()
        .any(|entry| Some(entry.kind) == kind && entry.keys.iter().any(|key| key.shape == shape))
}

/// A rule's own pattern files as layers for its `[check]`: none when it has none, and a problem
/// when it also writes `[check.patterns]` or its check reads no patterns.
pub fn own_layers<'s>(
    source: &'s super::RuleSource,
    inline: bool,
    kind: Option<&str>,
    problems: &mut Problems,
) -> Vec<(&'s SourceFile, Table)> {
    let Some(first) = source.patterns.first() else { return Vec::new() };
    if inline {
        let message = format!("the rule writes `[check.patterns]` and has pattern files (`{}`)", first.file.name);
        problems.push(
            Problem::at(&source.file, 0..0, message, "here")
                .with_help("keep the patterns in one place: the `.scm` files, or `[check.patterns]`"),
        );
        return Vec::new();
    }
    if !reads(kind) {
        let message =
            format!("pattern files are read by `query` and `implementations` checks, not `{}`", kind.unwrap_or("?"));
        problems.push(Problem::at(&first.file, 0..0, message, "here"));
        return Vec::new();
    }
    layers(&source.patterns, problems).unwrap_or_default()
}

/// The files' patterns as the `patterns` option reads in the documentation: language → text.
pub fn option(files: &[PatternFile]) -> Option<toml::Value> {
    let mut table = toml::Table::new();
    for pattern in files {
        for lang in pattern.stem.split('+').filter_map(Lang::parse) {
            table.insert(lang.name().to_string(), toml::Value::String(pattern.file.text.to_string()));
        }
    }
    (!table.is_empty()).then_some(toml::Value::Table(table))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::{RuleSource, load};

    fn rendered(problem: &Problem) -> String {
        let mut out = String::new();
        let handler = miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
        handler.render_report(&mut out, problem).expect("rendering to a String");
        out
    }

    #[test]
    fn a_built_in_rules_broken_pattern_is_reported_at_its_line_in_its_scm_file() {
        let rule = "id = \"bad\"\nfamily = \"design\"\nseverity = \"info\"\nsummary = \"s\"\n\n[check]\nkind = \"query\"\n\n[docs]\nwhy = \"w\"\nfix = \"f\"\n";
        let scm = "; fine, then broken\n(call) @match\n(call\n  function: (nosuchnode) @f) @match\n";
        let source = RuleSource {
            file: SourceFile::builtin("rules/design/bad.toml", rule),
            stem: "bad".to_string(),
            builtin: true,
            patterns: vec![PatternFile {
                file: SourceFile::builtin("rules/design/bad/python+ruby.scm", scm),
                stem: "python+ruby".to_string(),
            }],
        };
        let rules = load(&[source], &Default::default()).expect("the rule loads");
        let patterns = rules[0].check.patterns();
        assert_eq!(patterns.iter().map(|pattern| pattern.lang).collect::<Vec<_>>(), [Lang::Python, Lang::Ruby]);
        let problem = patterns[0].validate().expect("the Python pattern does not compile");
        let text = rendered(&problem);
        assert!(text.contains("invalid python query"), "{text}");
        assert!(text.contains("rules/design/bad/python+ruby.scm:4:"), "{text}");
        // The same text is no Ruby either, and says so in the same file.
        let text = rendered(&patterns[1].validate().expect("nor does the Ruby one"));
        assert!(text.contains("invalid ruby query") && text.contains("python+ruby.scm:"), "{text}");
    }

    #[test]
    fn built_in_pattern_files_are_found_beside_their_rule() {
        let found = builtin("observability/print-debugging.toml");
        let mut stems: Vec<&str> = found.iter().map(|pattern| pattern.stem.as_str()).collect();
        stems.sort();
        assert_eq!(stems, ["c-sharp", "go", "java", "javascript+typescript+tsx", "python", "ruby", "rust"]);
        assert!(found.iter().all(|pattern| pattern.file.name.starts_with("rules/observability/print-debugging/")));
        // A rule whose name starts another's takes none of the other's files.
        assert!(builtin("observability/print.toml").is_empty());
    }
}
