//! Each built-in rule's patterns against its snippets, as ast-grep tests a rule's `valid` and
//! `invalid` code: `rules/<family>/<id>/tests.toml` beside the rule's `.scm` files holds
//!
//! ```toml
//! [[patterns]]
//! lang = "javascript+typescript+tsx"   # a language, or languages joined by `+` as `.scm` files are named
//! capture = "define"                   # optional: the capture a match must have (default `match`)
//! invalid = ["console.log(user)"]      # each must give at least one match, in every language named
//! valid = ["logger.info(user)"]        # each must give none
//!
//! [[mocks]]                            # also `[[exempt]]`: a regex of `[check]` that names an abstraction
//! text = "Mock<IMailer>"               # some regex must match it...
//! name = "IMailer"                     # ...and its group 1 must read this
//!
//! [exclude]                            # the `exclude` globs of `[check]`
//! excluded = ["scripts/seed.py"]       # each must match a glob
//! judged = ["src/app.py"]              # each must match none
//! ```
//!
//! A match is a match of the rule's patterns for the language, before the check's excuses
//! (`unless`, `empty`, `forwards`), which the fixtures test; a query check's `prefilter-regex` must
//! also admit each `invalid` snippet, since a file it refuses is never parsed. Every language the rule has patterns
//! for needs at least one `valid` and one `invalid` snippet, and every mock regex, exempt regex and
//! exclude glob at least one case that it matches.

use apelint::pattern::Globs;
use apelint::syntax::{Lang, Plan};
use libtest_mimic::{Failed, Trial};
use std::path::{Path, PathBuf};

/// One `[[patterns]]` table.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Snippets {
    lang: String,
    #[serde(default = "default_capture")]
    capture: String,
    #[serde(default)]
    valid: Vec<String>,
    #[serde(default)]
    invalid: Vec<String>,
}

fn default_capture() -> String {
    "match".to_string()
}

/// One `[[mocks]]` or `[[exempt]]` table.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Named {
    text: String,
    name: String,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Exclude {
    #[serde(default)]
    excluded: Vec<String>,
    #[serde(default)]
    judged: Vec<String>,
}

/// A rule's `tests.toml`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Tests {
    #[serde(default)]
    patterns: Vec<Snippets>,
    #[serde(default)]
    mocks: Vec<Named>,
    #[serde(default)]
    exempt: Vec<Named>,
    exclude: Option<Exclude>,
}

/// A built-in rule whose patterns are in `.scm` files, with what the tests need of it.
struct Rule {
    name: String,
    folder: PathBuf,
    /// (language, pattern text), as the loader read them.
    patterns: Vec<(Lang, String)>,
    /// The rule's `[check]` table, for its regexes and globs.
    check: toml::Table,
    /// The check's kind: `query` or `implementations`.
    kind: String,
}

/// The trials: for each rule with pattern files, one per language its patterns serve, and one
/// each for its mocks, exempt regexes and exclude globs when it has them.
pub fn trials() -> Vec<Trial> {
    let loaded = apelint::rule::load(&apelint::rule::builtin_sources(), &Default::default())
        .unwrap_or_else(|problems| panic!("the built-in rules load: {:?}", problems.problems));
    let mut trials = Vec::new();
    for rule in loaded {
        let folder = super::root().join("rules").join(rule.family.as_str()).join(&rule.id);
        if !has_pattern_files(&folder) {
            continue;
        }
        let text = std::fs::read_to_string(folder.with_extension("toml")).expect("the rule file is readable");
        let table: toml::Table = text.parse().expect("the rule file is TOML");
        let check = table["check"].as_table().expect("a [check] table").clone();
        let patterns = rule.check.patterns().iter().map(|spec| (spec.lang, spec.text.clone())).collect();
        let kind = rule.check.kind().to_string();
        let name = format!("{}/{}", rule.family, rule.id);
        let rule = std::sync::Arc::new(Rule { name, folder, patterns, check, kind });
        let mut langs: Vec<Lang> = rule.patterns.iter().map(|(lang, _)| *lang).collect();
        langs.dedup();
        for lang in langs {
            let each = rule.clone();
            trials.push(Trial::test(format!("{}/snippets/{}", rule.name, lang.name()), move || snippets(&each, lang)));
        }
        for (key, group) in [("mocks", "mocks"), ("exempt", "exempt")] {
            if rule.check.contains_key(key) {
                let each = rule.clone();
                trials.push(Trial::test(format!("{}/snippets/{key}", rule.name), move || named(&each, group)));
            }
        }
        if rule.check.contains_key("exclude") {
            let each = rule.clone();
            trials.push(Trial::test(format!("{}/snippets/exclude", rule.name), move || exclude(&each)));
        }
    }
    trials
}

fn has_pattern_files(folder: &Path) -> bool {
    std::fs::read_dir(folder)
        .map(|entries| entries.flatten().any(|entry| entry.path().extension().is_some_and(|ext| ext == "scm")))
        .unwrap_or(false)
}

fn tests_of(rule: &Rule) -> Result<Tests, Failed> {
    let path = rule.folder.join("tests.toml");
    let text = std::fs::read_to_string(&path).map_err(|error| format!("{}: {error}", path.display()))?;
    toml::from_str(&text).map_err(|error| format!("{}: {error}", path.display()).into())
}

/// Whether the rule's patterns for `lang` give a match holding `capture` in `code`.
fn matches(rule: &Rule, lang: Lang, capture: &str, code: &str) -> Result<bool, Failed> {
    let parts: Vec<(usize, Lang, &str)> =
        rule.patterns.iter().filter(|(wanted, _)| *wanted == lang).map(|(_, text)| (0, lang, text.as_str())).collect();
    let plan = Plan::new(&parts);
    let (found, _) = plan
        .matches(lang, code, true)
        .map_err(|why| format!("{} patterns for {} do not run: {why:?}", rule.name, lang.name()))?;
    Ok(found.iter().any(|each| each.captures.iter().any(|found| found.name == capture)))
}

/// The `[[patterns]]` snippets for one language: each `invalid` matches, each `valid` does not,
/// and there is at least one of each.
fn snippets(rule: &Rule, lang: Lang) -> Result<(), Failed> {
    let tests = tests_of(rule)?;
    let mut failures = Vec::new();
    let (mut valid, mut invalid) = (0, 0);
    // A query check parses only the files its `prefilter-regex` admits: each finding it is meant to
    // make must get past it.
    let prefilter = match rule.check.get("prefilter-regex").filter(|_| rule.kind == "query") {
        Some(pattern) => Some(regex::Regex::new(pattern.as_str().expect("a regex string"))?),
        None => None,
    };
    for snippets in &tests.patterns {
        let langs: Vec<Option<Lang>> = snippets.lang.split('+').map(Lang::parse).collect();
        if langs.contains(&None) {
            failures.push(format!("unknown language in `lang = {:?}`", snippets.lang));
            continue;
        }
        if !langs.contains(&Some(lang)) {
            continue;
        }
        for code in &snippets.invalid {
            invalid += 1;
            if !matches(rule, lang, &snippets.capture, code)? {
                failures.push(format!("no @{} match in this invalid snippet:\n{code}", snippets.capture));
            }
            if !prefilter.as_ref().is_none_or(|prefilter| prefilter.is_match(code)) {
                failures.push(format!(
                    "`prefilter-regex` does not admit this invalid snippet (no file like it is parsed):\n{code}"
                ));
            }
        }
        for code in &snippets.valid {
            valid += 1;
            if matches(rule, lang, &snippets.capture, code)? {
                failures.push(format!("a @{} match in this valid snippet:\n{code}", snippets.capture));
            }
        }
    }
    if valid == 0 || invalid == 0 {
        failures.push(format!("needs at least one valid and one invalid snippet (has {valid} and {invalid})"));
    }
    report(rule, lang.name(), failures)
}

/// `[[mocks]]` or `[[exempt]]`: each text is matched by a regex whose group 1 reads the name, and
/// each regex matches some text.
fn named(rule: &Rule, key: &str) -> Result<(), Failed> {
    let tests = tests_of(rule)?;
    let cases = if key == "mocks" { &tests.mocks } else { &tests.exempt };
    let regexes: Vec<regex::Regex> = rule.check[key]
        .as_array()
        .expect("a list of regexes")
        .iter()
        .map(|pattern| regex::Regex::new(pattern.as_str().expect("a regex string")).expect("a valid regex"))
        .collect();
    let mut failures = Vec::new();
    let mut used = vec![false; regexes.len()];
    for case in cases {
        let mut named = false;
        for (at, regex) in regexes.iter().enumerate() {
            let names: Vec<&str> =
                regex.captures_iter(&case.text).filter_map(|found| found.get(1)).map(|name| name.as_str()).collect();
            if names.contains(&case.name.as_str()) {
                used[at] = true;
                named = true;
            }
        }
        if !named {
            failures.push(format!("no regex names `{}` in:\n{}", case.name, case.text));
        }
    }
    for (regex, used) in regexes.iter().zip(used) {
        if !used {
            failures.push(format!("no case for the regex {}", regex.as_str()));
        }
    }
    report(rule, key, failures)
}

/// `[exclude]`: each `excluded` path matches the globs, each `judged` path none, and each glob
/// matches some `excluded` path.
fn exclude(rule: &Rule) -> Result<(), Failed> {
    let tests = tests_of(rule)?;
    let cases = tests.exclude.unwrap_or_default();
    let globs: Vec<&str> =
        rule.check["exclude"].as_array().expect("a list of globs").iter().map(|glob| glob.as_str().unwrap()).collect();
    let all = Globs::fixed(&globs);
    let mut failures = Vec::new();
    for path in &cases.excluded {
        if !all.is_match(path) {
            failures.push(format!("`{path}` is listed as excluded but no glob matches it"));
        }
    }
    for path in &cases.judged {
        if all.is_match(path) {
            failures.push(format!("`{path}` is listed as judged but a glob matches it"));
        }
    }
    for glob in &globs {
        let one = Globs::fixed(&[glob]);
        if !cases.excluded.iter().any(|path| one.is_match(path)) {
            failures.push(format!("no excluded path for the glob `{glob}`"));
        }
    }
    if cases.judged.is_empty() {
        failures.push("needs at least one judged path".to_string());
    }
    report(rule, "exclude", failures)
}

fn report(rule: &Rule, what: &str, failures: Vec<String>) -> Result<(), Failed> {
    if failures.is_empty() {
        return Ok(());
    }
    let path = rule.folder.join("tests.toml");
    Err(format!("{} ({what}), {}:\n\n{}", rule.name, path.display(), failures.join("\n\n")).into())
}
