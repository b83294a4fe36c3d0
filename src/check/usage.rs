//! `unused-dependency`: packages that the manifests declare and no file uses. Each package pattern
//! comes with a regex of what a use looks like (an import, a macro path, a command in a Dockerfile),
//! in which `{name}` stands for the declared name and `{module}` for it with `-` as `_`.

use super::dependency::{Package, package};
use super::{FileCtx, Pre, ScanOut, globs};
use crate::diag::{Problem, Problems};
use crate::escape::code;
use crate::facts::Facts;
use crate::finding::{Hit, Location, Position};
use crate::pattern::Globs;
use crate::spanned::Fields;
use regex::Regex;
use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;
use toml::Spanned;

#[derive(Debug)]
pub struct UsageCheck {
    files: Globs,
    exclude: Globs,
    uses: Vec<(Package, String)>,
    /// The declared packages this check looks for, found once per run.
    declared: OnceLock<Vec<Declared>>,
}

/// A declared package and what a use of it looks like.
#[derive(Debug)]
struct Declared {
    name: String,
    manifest: String,
    line: usize,
    used: Regex,
}

impl UsageCheck {
    pub fn compile(fields: &mut Fields<'_>, problems: &mut Problems) -> Option<UsageCheck> {
        let files = globs(fields, "files", true, problems);
        let exclude = globs(fields, "exclude", false, problems);
        let mut uses = Vec::new();
        let mut ok = true;
        match fields.get_with_file::<BTreeMap<Spanned<String>, Spanned<String>>>("uses", problems) {
            None => {
                if fields.raw("uses").is_none() {
                    fields.missing("uses", problems);
                }
                ok = false;
            }
            Some((file, table)) => {
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
            }
        }
        let (files, exclude) = (files?, exclude?);
        ok.then_some(UsageCheck { files, exclude, uses, declared: OnceLock::new() })
    }

    fn declared(&self, facts: &Facts) -> &[Declared] {
        self.declared.get_or_init(|| {
            let mut found = Vec::new();
            let mut seen = HashSet::new();
            for manifest in &facts.manifests().list {
                for dependency in &manifest.dependencies {
                    // A Cargo dependency declared with features may be there only to switch them on
                    // for another crate (`tracing = { features = ["log"] }` for lettre's logs).
                    if dependency.dev || dependency.optional || dependency.indirect || dependency.features {
                        continue;
                    }
                    let Some((_, template)) = self.uses.iter().find(|(package, _)| package.matches(dependency)) else {
                        continue;
                    };
                    // One finding per package and manifest (a name may be declared in two sections).
                    if !seen.insert((manifest.path.clone(), dependency.name.clone())) {
                        continue;
                    }
                    let Ok(used) = Regex::new(&fill(template, &dependency.name)) else { continue };
                    found.push(Declared {
                        name: dependency.name.clone(),
                        manifest: manifest.path.clone(),
                        line: dependency.line.max(1),
                        used,
                    });
                }
            }
            found
        })
    }

    pub fn pre(&self, facts: &Facts) -> Pre {
        if self.declared(facts).is_empty() { Pre::Done(Vec::new()) } else { Pre::Scan }
    }

    pub fn selects(&self, path: &str) -> bool {
        self.files.is_match(path) && !self.exclude.is_match(path)
    }

    /// Records, as hits whose subject is the package's index, the declared packages this file uses.
    pub fn scan(&self, file: &FileCtx<'_>, facts: &Facts, out: &mut ScanOut) {
        for (at, declared) in self.declared(facts).iter().enumerate() {
            if declared.used.is_match(file.text) {
                out.hits.push(Hit::repository(String::new()).with_subject(at.to_string()));
            }
        }
    }

    pub fn post(&self, facts: &Facts, out: ScanOut) -> Vec<Hit> {
        let used: HashSet<usize> = out.hits.iter().filter_map(|hit| hit.subject.parse().ok()).collect();
        // npm scripts (`node -r dd-trace/init server.js`) live in the manifest, which is not scanned.
        let scripts: Vec<&str> =
            facts.manifests().list.iter().flat_map(|manifest| manifest.scripts.values().map(String::as_str)).collect();
        self.declared(facts)
            .iter()
            .enumerate()
            .filter(|(at, declared)| !used.contains(at) && !scripts.iter().any(|script| declared.used.is_match(script)))
            .map(|(_, declared)| {
                let at = Position { line: declared.line, column: 1 };
                let location = Location { path: declared.manifest.clone(), start: at, end: at };
                Hit::at(
                    location,
                    format!("{} is declared in {} but nothing uses it", code(&declared.name), code(&declared.manifest)),
                    declared.name.clone(),
                )
            })
            .collect()
    }
}

/// The template with `{name}` and `{module}` filled in, each escaped for a regex.
fn fill(template: &str, name: &str) -> String {
    template.replace("{name}", &regex::escape(name)).replace("{module}", &regex::escape(&name.replace('-', "_")))
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn templates_take_the_declared_name() {
        assert_eq!(fill(r"\b{module}::", "tracing-subscriber"), r"\btracing_subscriber::");
        assert_eq!(fill(r#"['"]{name}['"/]"#, "@sentry/node"), r#"['"]@sentry/node['"/]"#);
        assert_eq!(fill(r"{name}", "a.b"), r"a\.b");
    }
}
