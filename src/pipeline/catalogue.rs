//! The rule catalogue: `apelint rules` lists the rules (or writes a page each), `apelint explain`
//! prints one rule's documentation, `apelint init` writes a commented `apelint.toml`.

use super::settings::{ExplainSettings, InitSettings, Listing, RulesSettings};
use super::{Exit, Failure, load, root, write};
use crate::diag::{Problem, did_you_mean};
use crate::rule::{self, Family, Rule};

/// `apelint rules`: every code pattern checked, then the rules of a family (or all) listed.
pub fn rules(settings: &RulesSettings) -> Result<Exit, Failure> {
    let root = root(&settings.inputs.path)?;
    let (_, rules) = load(&root, &settings.inputs, None)?;
    rule::validate_patterns(&rules)?;
    let family = match &settings.family {
        Some(name) => Some(Family::parse(name).ok_or_else(|| {
            let help = did_you_mean(name, Family::ALL.iter().map(|family| family.as_str()))
                .unwrap_or_else(|| format!("families: {}", Family::ALL.map(Family::as_str).join(", ")));
            Failure::from(Problem::usage(format!("no family named `{name}`")).with_help(help))
        })?),
        None => None,
    };
    let mut listed: Vec<&Rule> =
        rules.iter().filter(|rule| family.is_none_or(|family| rule.family == family)).collect();
    listed.sort_by(|a, b| (a.family, &a.id).cmp(&(b.family, &b.id)));
    let text = match &settings.listing {
        Listing::Pages(dir) => {
            write::create_dir(dir)?;
            for rule in &listed {
                write::write_file(&dir.join(format!("{}.md", rule.id)), &crate::docs::rule_page(rule))?;
            }
            return Ok(Exit::Clean);
        }
        Listing::Table => crate::docs::rules_table(&listed),
        Listing::Json => crate::docs::rules_json(&listed),
        Listing::Markdown => crate::docs::rules_markdown(&listed),
    };
    write::emit(&text, None)?;
    Ok(Exit::Clean)
}

/// `apelint explain ID`.
pub fn explain(settings: &ExplainSettings) -> Result<Exit, Failure> {
    let root = root(&settings.inputs.path)?;
    let (_, rules) = load(&root, &settings.inputs, None)?;
    let Some(rule) = rules.iter().find(|rule| rule.id == settings.id) else {
        let help = did_you_mean(&settings.id, rules.iter().map(|rule| rule.id.as_str()))
            .unwrap_or_else(|| "`apelint rules` lists every rule".to_string());
        return Err(Problem::usage(format!("no rule with id `{}`", settings.id)).with_help(help).into());
    };
    write::emit(&crate::docs::explain(rule), None)?;
    Ok(Exit::Clean)
}

/// `apelint init`: the built-in rules' defaults, commented, in a new `apelint.toml`.
pub fn init(settings: &InitSettings) -> Result<Exit, Failure> {
    let root = root(&settings.path)?;
    let target = root.join("apelint.toml");
    if target.exists() && !settings.force {
        return Err(Problem::usage(format!("`{}` already exists", target.display()))
            .with_help("pass --force to overwrite it")
            .into());
    }
    let rules = rule::load(&rule::builtin_sources(), &Default::default())?;
    let text = crate::docs::init_config(&rules);
    write::write_file(&target, &text)?;
    eprintln!("wrote {}", target.display());
    Ok(Exit::Clean)
}
