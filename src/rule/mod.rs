//! Rules: TOML files compiled into checked rules. Built-in rules are embedded in the binary; user
//! rule folders add rules or replace built-ins by id.

mod patterns;
mod select;
mod validate;
mod when;

use crate::check::Check;
use crate::diag::{Problem, Problems, SourceFile, did_you_mean, unknown};
use crate::facts::profile::Profile;
use crate::finding::Severity;
use crate::spanned::{Fields, Layer, Table, parse_document};
pub use patterns::PatternFile;
pub use select::{Selection, Selector, select};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use toml::Spanned;
use toml::de::DeValue;
pub use validate::validate_patterns;
pub use when::When;

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));
include!(concat!(env!("OUT_DIR"), "/builtin_patterns.rs"));

/// The practice a rule belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    Docs,
    Shipping,
    Care,
    Observability,
    Data,
    Design,
    Tradeoffs,
    Efficiency,
}

impl Family {
    pub const ALL: [Family; 8] = [
        Family::Docs,
        Family::Shipping,
        Family::Care,
        Family::Observability,
        Family::Data,
        Family::Design,
        Family::Tradeoffs,
        Family::Efficiency,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Family::Docs => "docs",
            Family::Shipping => "shipping",
            Family::Care => "care",
            Family::Observability => "observability",
            Family::Data => "data",
            Family::Design => "design",
            Family::Tradeoffs => "tradeoffs",
            Family::Efficiency => "efficiency",
        }
    }

    pub fn parse(text: &str) -> Option<Family> {
        Family::ALL.into_iter().find(|family| family.as_str() == text)
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rule's severity, or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Off,
    On(Severity),
}

impl Level {
    pub fn parse(text: &str) -> Option<Level> {
        if text == "off" { Some(Level::Off) } else { Severity::parse(text).map(Level::On) }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::On(severity) => severity.as_str(),
        }
    }

    /// Reads a level from a spanned string, reporting anything else.
    pub fn read(file: &SourceFile, text: &Spanned<String>, problems: &mut Problems) -> Option<Level> {
        let level = Level::parse(text.get_ref());
        if level.is_none() {
            problems.push(unknown(file, text.span(), "severity", text.get_ref(), ["error", "warning", "info", "off"]));
        }
        level
    }
}

/// A rule's user documentation, printed by `apelint explain`.
#[derive(Debug, Clone, Default)]
pub struct Docs {
    pub why: String,
    pub fix: String,
    /// An example that fails the rule.
    pub fails: Option<String>,
    /// An example that passes it.
    pub passes: Option<String>,
}

#[derive(Debug)]
pub struct Rule {
    pub id: String,
    pub family: Family,
    /// The severity in force: the rule file's, or the user's override.
    pub level: Level,
    /// The severity the rule file gives.
    pub default_level: Level,
    pub summary: String,
    /// A message template: `{detail}` is what the check found, `{subject}` the thing it found (written
    /// as a code span).
    pub message: Option<String>,
    /// `None` applies to every profile.
    pub applies_to: Option<Vec<Profile>>,
    /// Where a repository-level finding is anchored: the file where the fix belongs.
    pub anchor: String,
    pub when: When,
    pub check: Check,
    pub docs: Docs,
    /// `[group]`: which of its findings share a cause and are shown as one.
    pub grouping: crate::group::Grouping,
    /// A rule not yet precise enough to run by default (CONTRIBUTING.md, "Severity policy"): it
    /// runs when selected by its id, when the configuration sets its severity, or with `--preview` /
    /// `preview = true`.
    pub preview: bool,
    /// Where the rule came from: `built-in` or a file path.
    pub origin: String,
    /// The `[check]` options (all keys but `kind` and nested checks), for `explain` and `init`.
    pub options: Vec<(String, toml::Value)>,
    /// `[profiles.<profile>]`: another severity and options for repositories of that profile, so
    /// that a finished library is not judged like an abandoned service. When several match, the
    /// first in profile order (library, cli, service, web-app, monorepo, prototype) wins.
    pub variants: Vec<Variant>,
}

#[derive(Debug)]
pub struct Variant {
    pub profile: Profile,
    pub level: Level,
    pub check: Check,
    /// The options the profile changes, for the documentation.
    pub options: Vec<(String, toml::Value)>,
}

/// A rule file, not yet compiled.
#[derive(Debug, Clone)]
pub struct RuleSource {
    pub file: SourceFile,
    /// The file name without `.toml`, which must equal the id.
    pub stem: String,
    pub builtin: bool,
    /// The `.scm` files in the folder beside the rule file (`<id>/python.scm`).
    pub patterns: Vec<PatternFile>,
}

/// A user's `[rules.<id>]` table from `apelint.toml`.
#[derive(Debug, Clone)]
pub struct Override {
    pub file: SourceFile,
    pub id_span: std::ops::Range<usize>,
    pub level: Option<Level>,
    /// Everything but `severity`: options laid over the rule's `[check]`.
    pub options: Table,
    pub span: std::ops::Range<usize>,
}

/// The built-in rules.
pub fn builtin_sources() -> Vec<RuleSource> {
    BUILTIN_RULES
        .iter()
        .map(|(path, text)| RuleSource {
            file: SourceFile::builtin(format!("rules/{path}"), text),
            stem: stem(path),
            builtin: true,
            patterns: patterns::builtin(path),
        })
        .collect()
}

/// Every `*.toml` file under `dir`, recursively, with the `.scm` pattern files beside it (a `.toml`
/// file in a rule's pattern folder named `tests.toml` is the rule's snippets, not a rule). A folder that a
/// repository's own configuration names is repository content: its links are not followed, and
/// each file is read within `repository`.
pub fn dir_sources(dir: &Path, repository: Option<&crate::boundary::Boundary>) -> Result<Vec<RuleSource>, Problem> {
    if !dir.is_dir() {
        return Err(Problem::plain(format!("rule folder `{}` does not exist", dir.display())));
    }
    let mut sources = Vec::new();
    let walk = ignore::WalkBuilder::new(dir).standard_filters(false).follow_links(repository.is_none()).build();
    for entry in walk {
        let entry =
            entry.map_err(|error| Problem::io(format!("cannot read rule folder `{}`: {error}", dir.display())))?;
        let path = entry.path();
        if entry.file_type().is_some_and(|kind| kind.is_file())
            && path.extension().is_some_and(|extension| extension == "toml")
            && !patterns::is_companion(path)
        {
            let file = SourceFile::read(path, repository)?;
            let name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
            let patterns = patterns::beside(path, repository)?;
            sources.push(RuleSource { file, stem: stem(&name), builtin: false, patterns });
        }
    }
    sources.sort_by(|a, b| a.file.name.cmp(&b.file.name));
    Ok(sources)
}

fn stem(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".toml").unwrap_or(name).to_string()
}

/// Compiles rule sources into rules. User sources replace built-ins with the same id; any other
/// repeated id is an error. `overrides` are the user's `[rules.<id>]` tables.
pub fn load(sources: &[RuleSource], overrides: &BTreeMap<String, Override>) -> Result<Vec<Rule>, Problems> {
    let mut problems = Problems::new();
    let mut chosen: BTreeMap<String, (&RuleSource, Spanned<Table>, std::ops::Range<usize>)> = BTreeMap::new();
    for source in sources {
        let Some(table) = parse_document(&source.file, &mut problems) else { continue };
        let id = table.get_ref().iter().find(|(key, _)| key.get_ref().as_ref() == "id").map(|(_, value)| value);
        let Some((id, span)) = id.and_then(|value| match value.get_ref() {
            DeValue::String(text) => Some((text.to_string(), value.span())),
            _ => None,
        }) else {
            problems.push(Problem::at(&source.file, 0..0, "a rule file needs `id = \"...\"`, a string", "here"));
            continue;
        };
        if let Some((previous, _, previous_span)) = chosen.get(&id) {
            if previous.builtin && !source.builtin {
                chosen.insert(id, (source, table, span));
                continue;
            }
            let first = Problem::at(
                &previous.file,
                previous_span.clone(),
                format!("rule id `{id}` is defined twice"),
                "first here",
            );
            problems.push(first);
            problems.push(
                Problem::at(&source.file, span, format!("rule id `{id}` is defined twice"), "again here").with_help(
                    format!("rule ids are unique; rename one of them (also defined in {})", previous.file.name),
                ),
            );
            continue;
        }
        chosen.insert(id, (source, table, span));
    }
    let mut suggestions = Suggestions::new(chosen.keys().map(String::as_str));
    for (id, rule_override) in overrides {
        if !chosen.contains_key(id) {
            let help = suggestions.for_name(id).unwrap_or_else(|| "`apelint rules` lists every rule".to_string());
            problems.push(
                Problem::at(
                    &rule_override.file,
                    rule_override.id_span.clone(),
                    format!("no rule with id `{id}`"),
                    "unknown rule",
                )
                .with_help(help),
            );
        }
    }
    let mut rules = Vec::new();
    for (source, table, _) in chosen.values() {
        let id_override = overrides.get(stem_id(table.get_ref()).as_str());
        let like = |id: &str| {
            chosen.get(id).map(|(source, table, _)| (&source.file, table.get_ref(), source.patterns.as_slice()))
        };
        if let Some(rule) = compile(source, table, id_override, &like, &mut problems) {
            rules.push(rule);
        }
    }
    problems.finish(rules)
}

/// Names compared with candidates by [`Suggestions`] before it stops suggesting: a "did you mean"
/// compares a name with every candidate, so a thousand unknown names against a thousand rules
/// would make a million comparisons. Only a configuration that names some thousands of unknown
/// rules reaches it; those past it are reported without a suggestion.
const SUGGESTION_BUDGET: usize = 1_000_000;

/// "Did you mean" for many unknown names against one list of candidates: each distinct name is
/// looked up once, and comparisons stop at [`SUGGESTION_BUDGET`].
pub(crate) struct Suggestions<'c> {
    candidates: Vec<&'c str>,
    compared: usize,
    known: std::collections::HashMap<String, Option<String>>,
}

impl<'c> Suggestions<'c> {
    pub(crate) fn new(candidates: impl IntoIterator<Item = &'c str>) -> Self {
        Suggestions { candidates: candidates.into_iter().collect(), compared: 0, known: Default::default() }
    }

    /// The closest candidate to `name`, as [`did_you_mean`] words it.
    pub(crate) fn for_name(&mut self, name: &str) -> Option<String> {
        if let Some(known) = self.known.get(name) {
            return known.clone();
        }
        if self.compared + self.candidates.len() > SUGGESTION_BUDGET {
            return None;
        }
        self.compared += self.candidates.len();
        let suggestion = did_you_mean(name, self.candidates.iter().copied());
        self.known.insert(name.to_string(), suggestion.clone());
        suggestion
    }
}

fn stem_id(table: &Table) -> String {
    table
        .iter()
        .find(|(key, _)| key.get_ref().as_ref() == "id")
        .and_then(|(_, value)| value.get_ref().as_str().map(str::to_string))
        .unwrap_or_default()
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Another rule's source file, table and pattern files, by id, for `[check] like = "<id>"`.
type Lookup<'s> = dyn Fn(&str) -> Option<(&'s SourceFile, &'s Table, &'s [PatternFile])> + 's;

fn compile<'s>(
    source: &'s RuleSource,
    table: &'s Spanned<Table>,
    rule_override: Option<&'s Override>,
    like: &Lookup<'s>,
    problems: &mut Problems,
) -> Option<Rule> {
    let file = &source.file;
    let mut fields = Fields::new(file, table.get_ref(), table.span(), "the rule");
    let before = problems.problems.len();

    let id = fields.required::<String>("id", problems);
    if let Some(id) = &id {
        if !is_kebab(id.get_ref()) {
            problems.push(
                Problem::at(file, id.span(), format!("rule id `{}` is not kebab-case", id.get_ref()), "here")
                    .with_help("use lowercase words joined by `-`, naming the problem: `readme-missing`"),
            );
        } else if id.get_ref() != &source.stem {
            problems.push(
                Problem::at(
                    file,
                    id.span(),
                    format!("rule id `{}` differs from its file name `{}.toml`", id.get_ref(), source.stem),
                    "here",
                )
                .with_help(format!(
                    "rename the file to `{}.toml` or the id to `{}`",
                    id.get_ref(),
                    source.stem
                )),
            );
        }
    }
    let family = fields.required::<String>("family", problems).and_then(|text| {
        let family = Family::parse(text.get_ref());
        if family.is_none() {
            problems.push(unknown(file, text.span(), "family", text.get_ref(), Family::ALL.map(Family::as_str)));
        }
        family
    });
    let default_level =
        fields.required::<String>("severity", problems).and_then(|text| Level::read(file, &text, problems));
    let summary = fields.required::<String>("summary", problems).map(Spanned::into_inner);
    let message = fields.get::<String>("message", problems).map(Spanned::into_inner);
    let preview = fields.get::<bool>("preview", problems).is_some_and(Spanned::into_inner);
    let anchor = fields.get::<String>("anchor", problems).map_or_else(|| "README.md".to_string(), Spanned::into_inner);
    let applies_to = read_profiles(&mut fields, problems);
    let when = match fields.table("when", "[when]", problems) {
        Some(when_fields) => When::compile(when_fields, problems),
        None => Some(When::default()),
    };
    let docs = read_docs(&mut fields, problems);
    let grouping = match fields.table("group", "[group]", problems) {
        Some(group_fields) => crate::group::Grouping::read(group_fields, problems),
        None => Some(crate::group::Grouping::default()),
    };

    let mut options = Vec::new();
    let mut variants = Vec::new();
    let check = match fields.raw("check") {
        None => {
            problems.push(Problem::at(file, 0..0, "the rule has no `[check]` table", "here"));
            None
        }
        Some(found) => match found.value.get_ref() {
            DeValue::Table(check_table) => {
                options = check_table
                    .iter()
                    .filter(|(key, _)| !matches!(key.get_ref().as_ref(), "kind" | "of"))
                    .filter_map(|(key, value)| {
                        let plain = <toml::Value as serde::Deserialize>::deserialize(
                            toml::de::ValueDeserializer::from(value.clone()),
                        );
                        plain.ok().map(|plain| (key.get_ref().to_string(), plain))
                    })
                    .collect();
                if let Some(value) = patterns::option(&source.patterns) {
                    let at = options.partition_point(|(key, _)| key.as_str() < "patterns");
                    options.insert(at, ("patterns".to_string(), value));
                }
                // `like = "<id>"` starts from another rule's [check] (two rules reading one join).
                let base = match check_table.iter().find(|(key, _)| key.get_ref().as_ref() == "like") {
                    None => None,
                    Some((_, value)) => match liked(file, value, like, problems) {
                        Some(base) => Some(base),
                        None => return None,
                    },
                };
                // The `.scm` files: the rule's own, or else (when it writes no patterns of its own)
                // those of the rule it is `like`.
                let inline = check_table.iter().any(|(key, _)| key.get_ref().as_ref() == "patterns");
                let kind = patterns::kind_of(check_table).or(base.and_then(|base| patterns::kind_of(base.1)));
                let own_files = patterns::own_layers(source, inline, kind, problems);
                let liked_files = match base {
                    Some((_, base_table, base_patterns)) if source.patterns.is_empty() && !inline => {
                        patterns::layers(base_patterns, problems)
                            .filter(|_| patterns::reads(patterns::kind_of(base_table)))
                    }
                    _ => None,
                }
                .unwrap_or_default();
                // Layers, lowest first: the liked rule's [check] and pattern files, the rule's
                // [check] and pattern files, a profile's options, the user's options.
                let compile_with = |profile_layer: Option<Layer<'_>>, problems: &mut Problems| {
                    let mut check_fields = match base {
                        Some((base_file, base_table, _)) => {
                            let mut fields = Fields::new(base_file, base_table, 0..0, "the liked rule's [check]");
                            for layer in &liked_files {
                                fields = fields.with_override(patterns::layer(layer));
                            }
                            fields.with_override(Layer {
                                file,
                                table: check_table,
                                span: (found.value.span().start, found.value.span().end),
                                what: "[check]",
                            })
                        }
                        None => Fields::new(file, check_table, found.value.span(), "[check]"),
                    };
                    for layer in &own_files {
                        check_fields = check_fields.with_override(patterns::layer(layer));
                    }
                    check_fields.raw("like");
                    if let Some(layer) = profile_layer {
                        check_fields = check_fields.with_override(layer);
                    }
                    if let Some(rule_override) = rule_override {
                        check_fields = check_fields.with_override(Layer {
                            file: &rule_override.file,
                            table: &rule_override.options,
                            span: (rule_override.span.start, rule_override.span.end),
                            what: "the rule's options in apelint.toml",
                        });
                    }
                    Check::compile(check_fields, problems)
                };
                let base = compile_with(None, problems);
                if let Some(found_profiles) = fields.raw("profiles") {
                    variants = read_variants(file, found_profiles.value, problems, |layer, problems| {
                        compile_with(Some(layer), problems)
                    });
                    // When several match, the first in the order library, cli, service, web-app,
                    // monorepo, prototype wins, whatever order the file lists them in.
                    variants.sort_by_key(|variant| variant.0);
                }
                base
            }
            _ => {
                problems.push(Problem::at(file, found.value.span(), "`check` must be a table", "here"));
                None
            }
        },
    };
    fields.finish(problems);
    if problems.problems.len() > before {
        return None;
    }
    let default_level = default_level?;
    Some(Rule {
        id: id?.into_inner(),
        family: family?,
        level: rule_override.and_then(|rule_override| rule_override.level).unwrap_or(default_level),
        default_level,
        summary: summary?,
        message,
        applies_to: applies_to?,
        anchor,
        when: when?,
        check: check?,
        docs: docs?,
        grouping: grouping?,
        // A severity the configuration sets (`[rules.readme-thin] severity = "error"`) asks for the
        // rule as `--select ID` does: it runs, preview or not.
        preview: preview && rule_override.and_then(|rule_override| rule_override.level).is_none(),
        origin: if source.builtin { "built-in".to_string() } else { file.name.clone() },
        options,
        variants: variants
            .into_iter()
            .map(|(profile, level, check, options)| Variant {
                profile,
                // The user's severity in apelint.toml wins over the rule's per-profile severity.
                level: rule_override.and_then(|rule_override| rule_override.level).or(level).unwrap_or(default_level),
                check,
                options,
            })
            .collect(),
    })
}

/// The `[check]` table of the rule that `like` names.
fn liked<'s>(
    file: &SourceFile,
    value: &crate::spanned::Value,
    like: &Lookup<'s>,
    problems: &mut Problems,
) -> Option<(&'s SourceFile, &'s Table, &'s [PatternFile])> {
    let Some(id) = value.get_ref().as_str() else {
        problems.push(Problem::at(file, value.span(), "`like` must be a rule id", "here"));
        return None;
    };
    let Some((other_file, other, other_patterns)) = like(id) else {
        problems.push(Problem::at(file, value.span(), format!("`like` names no rule `{id}`"), "here"));
        return None;
    };
    let check = other.iter().find(|(key, _)| key.get_ref().as_ref() == "check").map(|(_, value)| value.get_ref());
    match check {
        Some(DeValue::Table(table)) if !table.iter().any(|(key, _)| key.get_ref().as_ref() == "like") => {
            Some((other_file, table, other_patterns))
        }
        _ => {
            let message = format!("`like` must name a rule whose [check] is a table without `like`; `{id}` is not");
            problems.push(Problem::at(file, value.span(), message, "here"));
            None
        }
    }
}

/// A `[profiles.<profile>]` table read: its profile, severity, check and options as written.
type RawVariant = (Profile, Option<Level>, Check, Vec<(String, toml::Value)>);

/// `[profiles.<profile>]` tables: each may set `severity` and any option of `[check]`.
fn read_variants(
    file: &SourceFile,
    value: &crate::spanned::Value,
    problems: &mut Problems,
    mut compile: impl FnMut(Layer<'_>, &mut Problems) -> Option<Check>,
) -> Vec<RawVariant> {
    let DeValue::Table(table) = value.get_ref() else {
        problems.push(Problem::at(file, value.span(), "`profiles` must be a table of profile tables", "here"));
        return Vec::new();
    };
    let mut variants = Vec::new();
    for (key, item) in table.iter() {
        let Some(profile) = Profile::parse(key.get_ref()) else {
            problems.push(unknown(file, key.span(), "profile", key.get_ref(), Profile::names()));
            continue;
        };
        let DeValue::Table(options) = item.get_ref() else {
            problems.push(Problem::at(file, item.span(), format!("`profiles.{profile}` must be a table"), "here"));
            continue;
        };
        let mut level = None;
        let mut rest = Table::new();
        for (option, option_value) in options.iter() {
            if option.get_ref().as_ref() == "severity" {
                level = option_value
                    .get_ref()
                    .as_str()
                    .and_then(|text| Level::read(file, &Spanned::new(option_value.span(), text.to_string()), problems));
            } else {
                rest.insert(option.clone(), option_value.clone());
            }
        }
        let what = format!("[profiles.{profile}]");
        let what: &str = Box::leak(what.into_boxed_str());
        let layer = Layer { file, table: &rest, span: (item.span().start, item.span().end), what };
        if let Some(check) = compile(layer, problems) {
            let options = rest
                .iter()
                .filter_map(|(key, value)| {
                    let plain = <toml::Value as serde::Deserialize>::deserialize(toml::de::ValueDeserializer::from(
                        value.clone(),
                    ));
                    plain.ok().map(|plain| (key.get_ref().to_string(), plain))
                })
                .collect();
            variants.push((profile, level, check, options));
        }
    }
    variants
}

fn read_profiles(fields: &mut Fields<'_>, problems: &mut Problems) -> Option<Option<Vec<Profile>>> {
    let file = fields.file();
    let Some(items) = fields.get::<Vec<Spanned<String>>>("applies-to", problems) else {
        return Some(None).filter(|_| fields.raw("applies-to").is_none());
    };
    let mut profiles = Vec::new();
    for item in items.get_ref() {
        if item.get_ref() == "*" {
            return Some(None);
        }
        match Profile::parse(item.get_ref()) {
            Some(profile) => profiles.push(profile),
            None => {
                let names = std::iter::once("*").chain(Profile::names());
                problems.push(unknown(file, item.span(), "profile", item.get_ref(), names));
                return None;
            }
        }
    }
    Some(Some(profiles))
}

fn read_docs(fields: &mut Fields<'_>, problems: &mut Problems) -> Option<Docs> {
    let file = fields.file();
    let span = fields.span();
    let Some(mut docs) = fields.table("docs", "[docs]", problems) else {
        problems.push(Problem::at(file, span.start..span.start, "the rule has no `[docs]` table (why, fix)", "here"));
        return None;
    };
    let why = docs.required::<String>("why", problems);
    let fix = docs.required::<String>("fix", problems);
    let fails = docs.get::<String>("fails", problems).map(Spanned::into_inner);
    let passes = docs.get::<String>("passes", problems).map(Spanned::into_inner);
    docs.finish(problems);
    Some(Docs { why: why?.into_inner(), fix: fix?.into_inner(), fails, passes })
}

impl Rule {
    fn variant(&self, profiles: &std::collections::BTreeSet<Profile>) -> Option<&Variant> {
        self.variants.iter().find(|variant| profiles.contains(&variant.profile))
    }

    /// The check in force for a repository with these profiles.
    pub fn check_for(&self, profiles: &std::collections::BTreeSet<Profile>) -> &Check {
        self.variant(profiles).map_or(&self.check, |variant| &variant.check)
    }

    /// The severity in force for a repository with these profiles.
    pub fn level_for(&self, profiles: &std::collections::BTreeSet<Profile>) -> Level {
        self.variant(profiles).map_or(self.level, |variant| variant.level)
    }

    /// Whether the rule applies to a repository with these profiles.
    pub fn applies(&self, profiles: &std::collections::BTreeSet<Profile>) -> bool {
        match &self.applies_to {
            None => true,
            Some(wanted) => wanted.iter().any(|profile| profiles.contains(profile)),
        }
    }

    pub fn applies_to_text(&self) -> String {
        match &self.applies_to {
            None => "every profile".to_string(),
            Some(profiles) => profiles.iter().map(|profile| profile.as_str()).collect::<Vec<_>>().join(", "),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_those_of_did_you_mean_within_a_budget() {
        let candidates = ["readme-missing", "ci-missing", "error-swallowed"];
        let mut suggestions = Suggestions::new(candidates);
        for name in ["readme-mising", "ci-misng", "nothing-like-it", "readme-mising", "eror-swallowed"] {
            assert_eq!(suggestions.for_name(name), did_you_mean(name, candidates), "{name}");
        }
        // Names already seen cost nothing; new ones stop once the comparisons reach the budget.
        assert_eq!(suggestions.compared, 4 * candidates.len());
        suggestions.compared = SUGGESTION_BUDGET - 2;
        assert_eq!(suggestions.for_name("readme-mising").as_deref(), Some("did you mean `readme-missing`?"));
        assert_eq!(suggestions.for_name("ci-mising"), None);
    }
}
