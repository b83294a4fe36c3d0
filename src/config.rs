//! `apelint.toml`: validated into [`Config`], every problem reported with its span.

use crate::boundary::Boundary;
use crate::diag::{Problem, Problems, SourceFile};
use crate::facts::profile::Profile;
use crate::finding::Severity;
use crate::rule::{Level, Override};
use crate::spanned::{Fields, Table, parse_document};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;
use toml::de::DeValue;

/// The largest `max-file-size` accepted.
pub const MAX_FILE_SIZE_LIMIT: u64 = 64 * 1024 * 1024;

/// File names looked for at the repository root, in order.
pub const FILE_NAMES: &[&str] = &["apelint.toml", ".apelint.toml"];

#[derive(Debug, Default)]
pub struct Config {
    /// The file the configuration came from, if any.
    pub path: Option<PathBuf>,
    /// Whether it was found in the repository (not named with `--config`): then what it names must
    /// stay inside the repository, and its rule folders are read as repository content.
    pub from_repository: bool,
    pub file: Option<SourceFile>,
    pub exclude: Vec<String>,
    pub rule_dirs: Vec<PathBuf>,
    pub select: Vec<Spanned<String>>,
    pub ignore: Vec<Spanned<String>>,
    pub fail_on: Option<Severity>,
    /// `preview = true`: run the preview rules too.
    pub preview: bool,
    pub profile: Option<Vec<Profile>>,
    pub max_file_size: Option<u64>,
    /// `[history] window-days`.
    pub window_days: Option<u32>,
    /// `[history] bots`: author regexes added to the built-in list.
    pub bots: Vec<String>,
    pub rules: BTreeMap<String, Override>,
    /// `[[suppress]]`: findings of a rule silenced in some paths, with a reason and maybe an expiry.
    pub suppress: Vec<ConfigSuppression>,
}

/// A `[[suppress]]` table of apelint.toml.
#[derive(Debug, Clone)]
pub struct ConfigSuppression {
    pub rule: String,
    /// Globs of the paths it covers; empty for the whole repository.
    pub paths: Vec<String>,
    pub reason: String,
    /// The last day it applies (`until = "2026-12-31"`), as written and in seconds at its start.
    pub until: Option<(String, i64)>,
    /// Where the table's `rule` is in apelint.toml, where a bad or expired one is reported.
    pub location: crate::finding::Location,
}

impl Config {
    /// Finds the configuration for `root`: `explicit` when given, else the first of
    /// [`FILE_NAMES`] at the root, else the defaults. Problems come back beside what could be read,
    /// so that the caller can go on to find the problems in rule files too and report them all.
    /// A file named on the command line outside the repository is trusted; one found (or named) in
    /// the repository is read within `boundary`, and the folders it names must stay inside it.
    pub fn discover(root: &Path, explicit: Option<&Path>, boundary: &Boundary) -> (Config, Problems) {
        let path = match explicit {
            Some(path) => {
                if !path.is_file() {
                    let mut problems = Problems::new();
                    problems.push(Problem::usage(format!("configuration file `{}` does not exist", path.display())));
                    return (Config::default(), problems);
                }
                path.to_path_buf()
            }
            None => match FILE_NAMES.iter().map(|name| root.join(name)).find(|path| path.is_file()) {
                Some(path) => path,
                None => return (Config::default(), Problems::new()),
            },
        };
        // A file named on the command line but inside the repository is the repository's.
        let repository = explicit.is_none_or(|path| boundary.holds(path)).then_some(boundary);
        match SourceFile::read(&path, repository) {
            Ok(file) => Config::parse(file, path, repository),
            Err(problem) => (Config::default(), Problems::one(problem)),
        }
    }

    /// Validates a configuration file; `repository` is the boundary of the repository it was found
    /// in (`None` for a file named on the command line).
    pub fn parse(file: SourceFile, path: PathBuf, repository: Option<&Boundary>) -> (Config, Problems) {
        let mut problems = Problems::new();
        let Some(table) = parse_document(&file, &mut problems) else { return (Config::default(), problems) };
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut fields = Fields::new(&file, table.get_ref(), table.span(), "apelint.toml");
        let exclude =
            fields.get::<Vec<Spanned<String>>>("exclude", &mut problems).map(Spanned::into_inner).unwrap_or_default();
        for pattern in &exclude {
            if let Err(error) = ignore::overrides::OverrideBuilder::new(&base).add(&format!("!{}", pattern.get_ref())) {
                problems.push(Problem::at(
                    &file,
                    pattern.span(),
                    format!("invalid exclude pattern `{}`", pattern.get_ref()),
                    error.to_string(),
                ));
            }
        }
        let rule_dirs: Vec<PathBuf> = fields
            .get::<Vec<Spanned<String>>>("rule-dirs", &mut problems)
            .map(Spanned::into_inner)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|dir| {
                let joined = base.join(dir.get_ref());
                let Some(boundary) = repository else { return Some(joined) };
                // A repository's configuration names folders of that repository, nothing else:
                // checked as written, then with links resolved.
                let escapes = Path::new(dir.get_ref()).is_absolute()
                    || !boundary.holds(&joined)
                    || joined.exists() && boundary.admit_given(&joined).is_err();
                if escapes {
                    problems.push(
                        Problem::at(&file, dir.span(), "a rule folder must be inside the repository", "outside it")
                            .with_help(
                                "give a path relative to apelint.toml, inside the repository; rule folders \
                                 elsewhere are passed on the command line with `--rules`",
                            ),
                    );
                    return None;
                }
                Some(joined)
            })
            .collect();
        let select =
            fields.get::<Vec<Spanned<String>>>("select", &mut problems).map(Spanned::into_inner).unwrap_or_default();
        let ignore =
            fields.get::<Vec<Spanned<String>>>("ignore", &mut problems).map(Spanned::into_inner).unwrap_or_default();
        let preview = fields.get::<bool>("preview", &mut problems).is_some_and(Spanned::into_inner);
        let fail_on = fields.get::<String>("fail-on", &mut problems).and_then(|text| {
            let level = Severity::parse(text.get_ref());
            if level.is_none() {
                problems.push(Problem::at(
                    &file,
                    text.span(),
                    format!("`fail-on` must be error, warning or info, found `{}`", text.get_ref()),
                    "here",
                ));
            }
            level
        });
        let profile = fields.get::<Vec<Spanned<String>>>("profile", &mut problems).map(|items| {
            items
                .get_ref()
                .iter()
                .filter_map(|item| {
                    let profile = Profile::parse(item.get_ref());
                    if profile.is_none() {
                        problems.push(crate::diag::unknown(
                            &file,
                            item.span(),
                            "profile",
                            item.get_ref(),
                            Profile::names(),
                        ));
                    }
                    profile
                })
                .collect::<Vec<_>>()
        });
        let max_file_size = fields.get::<u64>("max-file-size", &mut problems).and_then(|size| {
            // Every file read is held in memory, one per thread: a repository may not lift that
            // to gigabytes.
            if *size.get_ref() > MAX_FILE_SIZE_LIMIT {
                problems.push(Problem::at(
                    &file,
                    size.span(),
                    format!("`max-file-size` must be at most {MAX_FILE_SIZE_LIMIT} (64 MiB)"),
                    "too large",
                ));
                return None;
            }
            Some(size.into_inner())
        });
        let mut window_days = None;
        let mut bots = Vec::new();
        if let Some(mut history) = fields.table("history", "[history]", &mut problems) {
            let days = history.get::<u32>("window-days", &mut problems);
            let max = crate::facts::history::MAX_WINDOW_DAYS;
            match days {
                Some(days) if *days.get_ref() == 0 || *days.get_ref() > max => problems.push(Problem::at(
                    &file,
                    days.span(),
                    format!("`window-days` must be between 1 and {max} (ten years)"),
                    "out of range",
                )),
                days => window_days = days.map(Spanned::into_inner),
            }
            for pattern in
                history.get::<Vec<Spanned<String>>>("bots", &mut problems).map(Spanned::into_inner).unwrap_or_default()
            {
                let insensitive = Spanned::new(pattern.span(), format!("(?i){}", pattern.get_ref()));
                if crate::pattern::regex(&file, &insensitive, &mut problems).is_some() {
                    bots.push(pattern.into_inner());
                }
            }
            history.finish(&mut problems);
        }
        let mut rules = BTreeMap::new();
        if let Some(found) = fields.raw("rules") {
            match found.value.get_ref() {
                DeValue::Table(table) => {
                    for (key, value) in table.iter() {
                        if let Some(rule_override) =
                            read_override(&file, key.get_ref(), key.span(), value, &mut problems)
                        {
                            rules.insert(key.get_ref().to_string(), rule_override);
                        }
                    }
                }
                other => problems.push(Problem::at(
                    &file,
                    found.value.span(),
                    format!("`rules` must be a table, found {}", other.type_str()),
                    "here",
                )),
            }
        }
        let suppress = fields
            .tables("suppress", "[[suppress]]", &mut problems, |mut table, file, problems| {
                let rule = table.required::<String>("rule", problems);
                let reason = table.required::<String>("reason", problems);
                if let Some(reason) = reason.as_ref().filter(|reason| reason.get_ref().trim().is_empty()) {
                    problems.push(Problem::at(file, reason.span(), "a suppression needs a reason", "empty"));
                }
                let paths =
                    table.get::<Vec<Spanned<String>>>("paths", problems).map(Spanned::into_inner).unwrap_or_default();
                let mut paths_ok = true;
                for path in &paths {
                    if let Err(error) = globset::Glob::new(path.get_ref()) {
                        problems.push(Problem::at(
                            file,
                            path.span(),
                            format!("invalid glob `{}`", path.get_ref()),
                            error.to_string(),
                        ));
                        paths_ok = false;
                    }
                }
                let until = match table.get::<String>("until", problems) {
                    Some(text) => match crate::date::parse_day(text.get_ref()) {
                        Some(day) => Some((text.get_ref().clone(), day)),
                        None => {
                            problems.push(Problem::at(
                                file,
                                text.span(),
                                "`until` must be a calendar day, YYYY-MM-DD",
                                "not a day",
                            ));
                            return None;
                        }
                    },
                    None => None,
                };
                table.finish(problems);
                let (rule, reason) = (rule?, reason?);
                let name =
                    Path::new(&file.name).file_name().map_or("apelint.toml".into(), |name| name.to_string_lossy());
                let location = file.lines().location(&name, file.text, rule.span().start, rule.span().end);
                paths_ok.then(|| ConfigSuppression {
                    rule: rule.into_inner(),
                    paths: paths.into_iter().map(Spanned::into_inner).collect(),
                    reason: reason.into_inner(),
                    until,
                    location,
                })
            })
            .unwrap_or_default();
        fields.finish(&mut problems);
        let config = Config {
            path: Some(path),
            from_repository: repository.is_some(),
            file: Some(file.clone()),
            exclude: exclude.into_iter().map(Spanned::into_inner).collect(),
            rule_dirs,
            select,
            ignore,
            fail_on,
            preview,
            profile,
            max_file_size,
            window_days,
            bots,
            rules,
            suppress,
        };
        (config, problems)
    }
}

fn read_override(
    file: &SourceFile,
    id: &str,
    id_span: std::ops::Range<usize>,
    value: &crate::spanned::Value,
    problems: &mut Problems,
) -> Option<Override> {
    let DeValue::Table(table) = value.get_ref() else {
        // `[rules] readme-thin = "off"` is a natural shorthand for a severity.
        if let DeValue::String(text) = value.get_ref() {
            let level = Level::read(file, &Spanned::new(value.span(), text.to_string()), problems)?;
            return Some(Override {
                file: file.clone(),
                id_span,
                level: Some(level),
                options: Table::new(),
                span: value.span(),
            });
        }
        problems.push(Problem::at(file, value.span(), format!("`rules.{id}` must be a table or a severity"), "here"));
        return None;
    };
    let mut level = None;
    let mut options = Table::new();
    for (key, item) in table.iter() {
        if key.get_ref().as_ref() == "severity" {
            match item.get_ref() {
                DeValue::String(text) => {
                    level = Level::read(file, &Spanned::new(item.span(), text.to_string()), problems)
                }
                other => problems.push(Problem::at(
                    file,
                    item.span(),
                    format!("`severity` must be a string, found {}", other.type_str()),
                    "here",
                )),
            }
        } else {
            options.insert(key.clone(), item.clone());
        }
    }
    Some(Override { file: file.clone(), id_span, level, options, span: value.span() })
}
