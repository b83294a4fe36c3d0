//! `unused-dependency`: packages that the manifests declare and no file uses. Each package pattern
//! comes with a regex of what a use looks like (an import, a macro path, a command in a Dockerfile),
//! in which `{name}` stands for the declared name and `{module}` for it with `-` as `_`.

use super::config::{FromKey, Read, config, read, with_file};
use super::dependency::{Package, package};
use super::{FileCtx, Pre, Primitive, ScanCx};
use crate::diag::{Problem, Problems};
use crate::escape::code;
use crate::facts::Facts;
use crate::facts::manifests::Ecosystem;
use crate::facts::text::{ceil_char_boundary, floor_char_boundary};
use crate::finding::{Hit, Location, Position};
use crate::pattern::Globs;
use crate::spanned::Fields;
use aho_corasick::AhoCorasick;
use regex_automata::{Input, meta};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;
use toml::Spanned;

#[derive(Debug)]
pub struct UsageCheck {
    files: Globs,
    exclude: Globs,
    uses: Vec<(Package, String)>,
    /// The declared packages this check looks for, found once per run.
    declared: OnceLock<Declared>,
}

/// The declared packages and what a use of each looks like.
#[derive(Debug, Default)]
struct Declared {
    packages: Vec<DeclaredPackage>,
    finder: Finder,
}

/// A declared package; `used` indexes the finder's patterns (packages declared twice share one).
#[derive(Debug)]
struct DeclaredPackage {
    name: String,
    manifest: String,
    line: usize,
    used: usize,
}

config! {
    /// The `[check]` table of `unused-dependency`: packages the manifests declare and no file uses.
    pub struct UsageConfig {
        /// The files in which a use counts.
        required "files" => files: Globs,
        /// Files to leave out (manifests declare; they do not use).
        "exclude" => exclude: Globs,
        /// `[check.uses]`: package pattern (as in `dependency`) = regex of what a use looks like; the most specific pattern that matches a package decides.
        required "uses" => uses: Uses,
    }
}

/// Package patterns, each with the regex of a use.
#[derive(Debug)]
pub struct Uses(Vec<(Package, String)>);

impl FromKey for Uses {
    const SHAPE: &'static str = "table of package = use regex";

    /// Every entry is checked, so that all their problems are reported.
    fn from_key(fields: &mut Fields<'_>, key: &'static str, problems: &mut Problems) -> Read<Self> {
        let (file, table) = read!(with_file::<BTreeMap<Spanned<String>, Spanned<String>>>(fields, key, problems));
        let mut uses = Vec::new();
        let mut ok = true;
        for (name, template) in table.into_inner() {
            let compiled = match package(name.get_ref()) {
                Ok(compiled) => compiled,
                Err(message) => {
                    problems.push(Problem::at(file, name.span(), message, "this package"));
                    ok = false;
                    continue;
                }
            };
            // The template must be a valid regex whatever name fills it.
            let sample = Spanned::new(template.span(), fill(template.get_ref(), "sample-name"));
            if crate::pattern::regex(file, &sample, problems).is_none() {
                ok = false;
                continue;
            }
            uses.push((compiled, template.into_inner()));
        }
        if ok { Read::Value(Uses(uses)) } else { Read::Invalid }
    }
}

impl Primitive for UsageCheck {
    const KIND: &'static str = "unused-dependency";
    type Config = UsageConfig;
    /// The finder's patterns that some file used (see [`Declared`]).
    type Acc = Vec<usize>;

    fn compile(config: UsageConfig, _: &Fields<'_>, _: &mut Problems) -> Option<UsageCheck> {
        let (files, exclude) = (config.files.value()?, config.exclude.or(Globs::empty())?);
        Some(UsageCheck { files, exclude, uses: config.uses.value()?.0, declared: OnceLock::new() })
    }

    fn repository_level(&self) -> bool {
        false
    }

    fn pre(&self, facts: &Facts) -> Pre {
        if self.declared(facts).packages.is_empty() { Pre::Done(Vec::new()) } else { Pre::Scan }
    }

    fn selects(&self, path: &str) -> bool {
        self.files.is_match(path) && !self.exclude.is_match(path)
    }

    /// Records the patterns of the declared packages this file uses.
    fn scan(&self, file: &FileCtx<'_>, cx: &ScanCx<'_>, used: &mut Vec<usize>) {
        used.extend(self.declared(cx.facts).finder.used_in(file.text));
    }

    fn post(&self, facts: &Facts, used: Vec<usize>) -> Vec<Hit> {
        let declared = self.declared(facts);
        let mut used: HashSet<usize> = used.into_iter().collect();
        // npm scripts (`node -r dd-trace/init server.js`) live in the manifest, which is not scanned.
        for manifest in &facts.manifests().list {
            for script in manifest.scripts.values() {
                used.extend(declared.finder.used_in(script));
            }
        }
        declared
            .packages
            .iter()
            .filter(|package| !used.contains(&package.used))
            .map(|package| {
                let at = Position { line: package.line, column: 1 };
                let location = Location { path: package.manifest.clone(), start: at, end: at };
                Hit::at(
                    location,
                    format!("{} is declared in {} but nothing uses it", code(&package.name), code(&package.manifest)),
                    package.name.clone(),
                )
            })
            .collect()
    }
}

impl UsageCheck {
    fn declared(&self, facts: &Facts) -> &Declared {
        self.declared.get_or_init(|| {
            let mut found = Declared::default();
            let mut seen = HashSet::new();
            for manifest in &facts.manifests().list {
                for dependency in &manifest.dependencies {
                    // A Cargo dependency declared with features may be there only to switch them on
                    // for another crate (`tracing = { features = ["log"] }` for lettre's logs).
                    if dependency.dev || dependency.optional || dependency.indirect || dependency.features {
                        continue;
                    }
                    // The most specific pattern decides (`go.opentelemetry.io/proto/*` over
                    // `go.opentelemetry.io/*`); between equals, the first.
                    let Some((_, template)) = self.uses.iter().filter(|(package, _)| package.matches(dependency)).fold(
                        None,
                        |best: Option<&(Package, String)>, candidate| match best {
                            Some(best) if best.0.specificity() >= candidate.0.specificity() => Some(best),
                            _ => Some(candidate),
                        },
                    ) else {
                        continue;
                    };
                    // A package another declared package needs beside it (a peer dependency in
                    // the lockfile: `pino-http` for `nestjs-pino`) is used through that package. Asked only of the packages the rule watches: the
                    // lockfiles are read then, not for every project with npm dependencies.
                    if dependency.ecosystem == Ecosystem::Npm
                        && manifest.dependencies.iter().any(|wrapper| {
                            wrapper.name != dependency.name
                                && facts.npm_peers().requires(&wrapper.name, &dependency.name)
                        })
                    {
                        continue;
                    }
                    // One finding per package and manifest (a name may be declared in two sections).
                    if !seen.insert((manifest.path.clone(), dependency.name.clone())) {
                        continue;
                    }
                    let used = found.finder.add(template, &dependency.name);
                    found.packages.push(DeclaredPackage {
                        name: dependency.name.clone(),
                        manifest: manifest.path.clone(),
                        line: dependency.line.max(1),
                        used,
                    });
                }
            }
            found.finder.build();
            found
        })
    }
}

/// How far around a package's name a use is looked for: an import statement or a command line.
const AROUND: usize = 1024;

/// Finds which of many use patterns a text matches, in one pass over it: a hostile manifest may
/// declare tens of thousands of packages that a wildcard (`@opentelemetry/*`) selects, and one
/// regex per package over every file would cost packages × bytes.
///
/// A pattern whose every alternative holds the package's name (the built-in ones) is tried only
/// around the places where that name occurs, found for all packages at once by Aho-Corasick, and
/// compiled only then; any other pattern runs over the whole text.
#[derive(Debug, Default)]
struct Finder {
    patterns: Vec<UsePattern>,
    by_text: HashMap<String, usize>,
    /// The names patterns require, and for each, the patterns that hold it.
    literals: Vec<(String, Vec<usize>)>,
    literal_ids: HashMap<String, usize>,
    names: Option<AhoCorasick>,
    /// Patterns that may match without a name: run over every text.
    everywhere: Vec<usize>,
}

#[derive(Debug)]
struct UsePattern {
    text: String,
    regex: OnceLock<Option<meta::Regex>>,
}

impl UsePattern {
    fn regex(&self) -> Option<&meta::Regex> {
        self.regex.get_or_init(|| meta::Regex::new(&self.text).ok()).as_ref()
    }
}

impl Finder {
    /// Adds the pattern `template` gives for the package `name`; returns its index (a pattern
    /// already added is shared).
    fn add(&mut self, template: &str, name: &str) -> usize {
        let text = fill(template, name);
        if let Some(&at) = self.by_text.get(&text) {
            return at;
        }
        let at = self.patterns.len();
        self.patterns.push(UsePattern { text: text.clone(), regex: OnceLock::new() });
        self.by_text.insert(text, at);
        let module = name.replace('-', "_");
        let literals: Option<Vec<&str>> = required_placeholders(template).map(|placeholders| {
            placeholders.iter().map(|placeholder| if *placeholder == NAME { name } else { module.as_str() }).collect()
        });
        // Aho-Corasick folds ASCII case only: a name with other letters under `(?i)` is searched
        // for by its regex.
        let folds = template.contains("(?") && template.contains('i');
        match literals {
            Some(literals) if !literals.is_empty() && literals.iter().all(|literal| literal.is_ascii() || !folds) => {
                for literal in literals {
                    let id = *self.literal_ids.entry(literal.to_string()).or_insert_with(|| {
                        self.literals.push((literal.to_string(), Vec::new()));
                        self.literals.len() - 1
                    });
                    if !self.literals[id].1.contains(&at) {
                        self.literals[id].1.push(at);
                    }
                }
            }
            _ => self.everywhere.push(at),
        }
        at
    }

    fn build(&mut self) {
        if self.literals.is_empty() {
            return;
        }
        self.names = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(self.literals.iter().map(|(literal, _)| literal))
            .ok();
        if self.names.is_none() {
            // Too many names for the automaton's limits: every pattern runs over the whole text.
            self.everywhere.extend(self.literals.drain(..).flat_map(|(_, patterns)| patterns));
            self.everywhere.sort_unstable();
            self.everywhere.dedup();
        }
    }

    /// The indexes of the patterns `text` matches.
    fn used_in(&self, text: &str) -> Vec<usize> {
        let mut found = vec![false; self.patterns.len()];
        for &at in &self.everywhere {
            found[at] = self.patterns[at].regex().is_some_and(|regex| regex.is_match(text));
        }
        if let Some(names) = &self.names {
            for hit in names.find_overlapping_iter(text) {
                let window = floor_char_boundary(text, hit.start().saturating_sub(AROUND))
                    ..ceil_char_boundary(text, hit.end().saturating_add(AROUND));
                for &at in &self.literals[hit.pattern().as_usize()].1 {
                    if found[at] {
                        continue;
                    }
                    // The range keeps the text around it for `\b` and other assertions.
                    let input = Input::new(text).range(window.clone());
                    found[at] = self.patterns[at].regex().is_some_and(|regex| regex.is_match(input));
                }
            }
        }
        found.iter().enumerate().filter(|(_, found)| **found).map(|(at, _)| at).collect()
    }
}

const NAME: &str = "{name}";
const MODULE: &str = "{module}";

/// The placeholders a match of `template` must hold, one per top-level alternative: `None` when
/// some alternative holds none outside groups, classes and optional repetition (then a match may
/// not name the package at all).
fn required_placeholders(template: &str) -> Option<Vec<&'static str>> {
    let bytes = template.as_bytes();
    let (mut at, mut depth) = (0, 0usize);
    let mut required = Vec::new();
    let mut this_alternative: Option<&'static str> = None;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 1,
            b'[' => at = class_end(bytes, at),
            b'(' => depth += 1,
            b')' => depth = depth.saturating_sub(1),
            b'|' if depth == 0 => {
                required.push(this_alternative.take()?);
            }
            b'{' if depth == 0 && this_alternative.is_none() => {
                for placeholder in [NAME, MODULE] {
                    if template[at..].starts_with(placeholder) {
                        let after = &template[at + placeholder.len()..];
                        let optional = after.starts_with(['?', '*'])
                            || after
                                .strip_prefix('{')
                                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit() || c == ','));
                        if !optional {
                            this_alternative = Some(placeholder);
                        }
                    }
                }
            }
            _ => {}
        }
        at += 1;
    }
    required.push(this_alternative?);
    required.sort_unstable();
    required.dedup();
    Some(required)
}

/// The index of the `]` that closes the class opened at `open` (the last index if none does).
fn class_end(bytes: &[u8], open: usize) -> usize {
    let mut at = open + 1;
    if bytes.get(at) == Some(&b'^') {
        at += 1;
    }
    if bytes.get(at) == Some(&b']') {
        at += 1;
    }
    let mut depth = 1;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 1,
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    return at;
                }
            }
            _ => {}
        }
        at += 1;
    }
    bytes.len().saturating_sub(1)
}

/// The template with `{name}` and `{module}` filled in, each escaped for a regex.
fn fill(template: &str, name: &str) -> String {
    template.replace("{name}", &regex::escape(name)).replace("{module}", &regex::escape(&name.replace('-', "_")))
}

#[cfg(test)]
mod tests {
    use super::{Finder, fill, required_placeholders};
    use regex::Regex;

    #[test]
    fn placeholders_every_match_holds() {
        assert_eq!(required_placeholders(r"\b{module}::|\buse\s+{module}\b"), Some(vec!["{module}"]));
        assert_eq!(required_placeholders(r#"['"]{name}(?:/[^'"]*)?['"]|\s{name}(?:/\S*)?"#), Some(vec!["{name}"]));
        assert_eq!(required_placeholders(r#"(?i)"{name}(?:/[^"]*)?""#), Some(vec!["{name}"]));
        assert_eq!(required_placeholders(r"{name}|{module}::"), Some(vec!["{module}", "{name}"]));
        // Alternatives or places where a match need not hold the name.
        assert_eq!(required_placeholders(r"\bstructlog\b"), None);
        assert_eq!(required_placeholders(r"{name}|\bother\b"), None);
        assert_eq!(required_placeholders(r"x(?:{name})?"), None);
        assert_eq!(required_placeholders(r"[{name}]"), None);
        assert_eq!(required_placeholders(r"{name}?"), None);
        assert_eq!(required_placeholders(r"{name}{0,1}"), None);
        assert_eq!(required_placeholders(r"\{name}"), None);
        assert_eq!(required_placeholders(r"[|]{name}"), Some(vec!["{name}"]));
    }

    #[test]
    fn the_finder_agrees_with_each_regex() {
        let templates = [
            r"\b{module}::|\buse\s+{module}\b",
            r#"['"]{name}(?:/[^'"]*)?['"]|\s{name}(?:/\S*)?"#,
            r#"(?i)"{name}(?:/[^"]*)?""#,
            r"\bstructlog\b",
            r"{name}|\bother\b",
        ];
        let names = ["tracing-subscriber", "@sentry/node", "go.uber.org/zap", "pino", "structlog", "pino-http"];
        let texts = [
            "use tracing_subscriber::fmt;",
            "tracing_subscriberx::fmt; use  tracing_subscriber2",
            "import x from '@sentry/node/tracing';",
            "node -r @sentry/node server.js",
            "import \"GO.UBER.ORG/ZAP\"",
            "import structlog\nother",
            "const p = require('pino-http')",
            "const p = require('pinot')",
            "",
            "é'pino'é",
        ];
        let mut finder = Finder::default();
        let mut expected = Vec::new();
        for template in templates {
            for name in names {
                let at = finder.add(template, name);
                expected.push((at, Regex::new(&fill(template, name)).unwrap()));
            }
        }
        finder.build();
        for text in texts {
            let mut want: Vec<usize> =
                expected.iter().filter(|(_, regex)| regex.is_match(text)).map(|(at, _)| *at).collect();
            want.sort_unstable();
            want.dedup();
            assert_eq!(finder.used_in(text), want, "{text}");
        }
        // A use far along a long line is found around its name.
        let long = format!("{}import x from 'pino';{}", "x".repeat(100_000), "y".repeat(100_000));
        assert!(!finder.used_in(&long).is_empty());
    }

    #[test]
    fn templates_take_the_declared_name() {
        assert_eq!(fill(r"\b{module}::", "tracing-subscriber"), r"\btracing_subscriber::");
        assert_eq!(fill(r#"['"]{name}['"/]"#, "@sentry/node"), r#"['"]@sentry/node['"/]"#);
        assert_eq!(fill(r"{name}", "a.b"), r"a\.b");
    }
}
