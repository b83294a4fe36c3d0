//! Commands the repository defines: Make targets, just recipes, npm scripts, Cargo packages, binaries
//! and aliases. Agent instructions that name a command are checked against these.

use super::Facts;
use super::manifests::Ecosystem;
use regex::Regex;
use std::collections::BTreeSet;
use std::sync::LazyLock;

#[derive(Debug, Default)]
pub struct Commands {
    pub makefiles: Vec<String>,
    pub make_targets: BTreeSet<String>,
    /// A Makefile with pattern rules or computed targets can build names no parser can list.
    pub make_dynamic: bool,
    pub justfiles: Vec<String>,
    pub just_recipes: BTreeSet<String>,
    pub package_jsons: usize,
    pub npm_scripts: BTreeSet<String>,
    pub cargo_manifests: usize,
    pub cargo_packages: BTreeSet<String>,
    pub cargo_bins: BTreeSet<String>,
    pub cargo_examples: BTreeSet<String>,
    pub cargo_aliases: BTreeSet<String>,
}

static MAKE_RULE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([^\s:=#][^:=#]*?)\s*::?(?:[^=]|$)").expect("literal regex"));
static JUST_RECIPE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^@?([A-Za-z0-9_][A-Za-z0-9_-]*)(?:\s[^:]*)?:(?:[^=]|$)").expect("literal regex"));
static JUST_ALIAS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^alias\s+([A-Za-z0-9_-]+)\s*:=").expect("literal regex"));

impl Commands {
    pub fn collect(facts: &Facts) -> Self {
        let mut commands = Commands::default();
        for path in &facts.tree().files {
            let name = path.rsplit('/').next().unwrap_or(path);
            let lower = name.to_ascii_lowercase();
            if lower == "makefile" || lower == "gnumakefile" || lower.ends_with(".mk") {
                commands.makefiles.push(path.clone());
                if let Some(text) = facts.read(path) {
                    commands.add_make(&text);
                }
            } else if lower == "justfile" || lower == ".justfile" {
                commands.justfiles.push(path.clone());
                if let Some(text) = facts.read(path) {
                    commands.add_just(&text);
                }
            } else if path.ends_with("src/main.rs") {
                // The package's default binary is named after the package; it is added below.
            } else if let Some(bin) = path.split("src/bin/").nth(1) {
                let bin = bin.trim_end_matches("/main.rs").trim_end_matches(".rs");
                commands.cargo_bins.insert(bin.to_string());
            } else if let Some(example) =
                path.split("examples/").nth(1).filter(|rest| path.ends_with(".rs") && !rest.is_empty())
            {
                let example = example.trim_end_matches("/main.rs").trim_end_matches(".rs");
                if !example.contains('/') {
                    commands.cargo_examples.insert(example.to_string());
                }
            } else if name == "package.json"
                && crate::facts::roles::is_auxiliary(path)
                && !path.split('/').any(|folder| folder == "node_modules")
            {
                // A test app's or tool's package is not the repository's own, but `npm run X -w
                // @scope/app-tests` runs its scripts all the same.
                if let Some(scripts) = facts
                    .read(path)
                    .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
                    .and_then(|doc| doc.get("scripts").and_then(|scripts| scripts.as_object().cloned()))
                {
                    commands.npm_scripts.extend(scripts.keys().cloned());
                }
            } else if path.ends_with(".cargo/config.toml") || path.ends_with(".cargo/config") {
                if let Some(aliases) =
                    facts.read(path).and_then(|text| text.parse::<toml::Table>().ok()).and_then(|table| {
                        table
                            .get("alias")
                            .and_then(|alias| alias.as_table())
                            .map(|alias| alias.keys().cloned().collect::<Vec<_>>())
                    })
                {
                    commands.cargo_aliases.extend(aliases);
                }
            }
        }
        for manifest in &facts.manifests().list {
            match manifest.ecosystem {
                Ecosystem::Npm => {
                    commands.package_jsons += 1;
                    commands.npm_scripts.extend(manifest.scripts.keys().cloned());
                }
                Ecosystem::Cargo => {
                    commands.cargo_manifests += 1;
                    if let Some(name) = &manifest.name {
                        commands.cargo_packages.insert(name.clone());
                        commands.cargo_bins.insert(name.clone());
                    }
                    commands.cargo_bins.extend(manifest.binaries.iter().cloned());
                }
                _ => {}
            }
        }
        commands
    }

    fn add_make(&mut self, text: &str) {
        for line in text.lines() {
            if line.starts_with('\t') || line.starts_with(' ') {
                continue;
            }
            let Some(captures) = MAKE_RULE.captures(line) else { continue };
            let targets = &captures[1];
            if targets == ".PHONY" {
                let listed = line[line.find(':').map_or(line.len(), |at| at + 1)..].split_whitespace();
                self.make_targets.extend(listed.map(str::to_string));
                continue;
            }
            for target in targets.split_whitespace() {
                if target.contains('%') || target.contains('$') {
                    self.make_dynamic = true;
                } else if !target.starts_with('.') {
                    self.make_targets.insert(target.to_string());
                }
            }
        }
    }

    fn add_just(&mut self, text: &str) {
        for line in text.lines() {
            if let Some(captures) = JUST_ALIAS.captures(line) {
                self.just_recipes.insert(captures[1].to_string());
            } else if let Some(captures) = JUST_RECIPE.captures(line) {
                self.just_recipes.insert(captures[1].to_string());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn make_targets_skip_assignments_and_note_pattern_rules() {
        let mut commands = Commands::default();
        commands.add_make(
            "CC := gcc\nall: build\n.PHONY: test lint\nbuild test:\n\tcc -o x\n%.o: %.c\n\ttouch $@\nVAR ?= 1\n",
        );
        assert_eq!(
            commands.make_targets.iter().map(String::as_str).collect::<Vec<_>>(),
            ["all", "build", "lint", "test"]
        );
        assert!(commands.make_dynamic);
    }

    #[test]
    fn just_recipes_and_aliases() {
        let mut commands = Commands::default();
        commands.add_just(
            "set shell := [\"bash\"]\nalias b := build\nbuild target='x':\n    cargo build\n@fmt:\n    cargo fmt\n",
        );
        assert_eq!(commands.just_recipes.iter().map(String::as_str).collect::<Vec<_>>(), ["b", "build", "fmt"]);
    }
}
