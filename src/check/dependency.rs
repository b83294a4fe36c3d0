//! `dependency`: any of some packages among the dependencies of the repository's manifests.

use super::config::{FromKey, Read, config, string_list};
use super::{Expect, Pre, Primitive};
use crate::diag::{Problem, Problems};
use crate::escape::code;
use crate::facts::Facts;
use crate::facts::manifests::{Dependency, Ecosystem, normalise};
use crate::finding::{Hit, Location, Position};
use crate::spanned::Fields;
use globset::{GlobBuilder, GlobMatcher};

#[derive(Debug)]
pub struct DependencyCheck {
    packages: Vec<Package>,
    expect: Expect,
    include_dev: bool,
}

/// One name pattern, optionally limited to an ecosystem: `sentry-sdk`, `npm:@sentry/*`.
#[derive(Debug)]
pub(super) struct Package {
    text: String,
    ecosystem: Option<Ecosystem>,
    matcher: GlobMatcher,
}

config! {
    /// The `[check]` table of `dependency`: packages among the dependencies of the manifests.
    pub struct DependencyConfig {
        /// `"present"` (default) or `"absent"` (a finding at each declaration).
        "expect" => expect: Expect,
        /// Also count dev, test and build dependencies (default `false`).
        "include-dev" => include_dev: bool,
        /// Names or globs, optionally limited to an ecosystem: `sentry-sdk`, `npm:@sentry/*`, `cargo:tracing`.
        required "packages" => packages: Packages,
    }
}

/// Package patterns, each checked.
#[derive(Debug)]
pub struct Packages(Vec<Package>);

impl FromKey for Packages {
    const SHAPE: &'static str = "package names or globs";

    fn from_key(fields: &mut Fields<'_>, key: &'static str, problems: &mut Problems) -> Read<Self> {
        let Some(found) = fields.raw(key) else { return Read::Absent };
        let Some(items) = string_list(found.file, found.value, problems) else { return Read::Invalid };
        let compiled: Vec<Package> = items
            .iter()
            .filter_map(|item| match package(item.get_ref()) {
                Ok(package) => Some(package),
                Err(message) => {
                    problems.push(Problem::at(found.file, item.span(), message, "this package"));
                    None
                }
            })
            .collect();
        if compiled.len() == items.len() { Read::Value(Packages(compiled)) } else { Read::Invalid }
    }
}

impl Primitive for DependencyCheck {
    const KIND: &'static str = "dependency";
    type Config = DependencyConfig;
    type Acc = ();

    fn compile(config: DependencyConfig, _: &Fields<'_>, _: &mut Problems) -> Option<DependencyCheck> {
        Some(DependencyCheck {
            packages: config.packages.value()?.0,
            expect: config.expect.or_lenient(Expect::Present),
            include_dev: config.include_dev.or_lenient(false),
        })
    }

    fn repository_level(&self) -> bool {
        self.expect == Expect::Present
    }

    fn pre(&self, facts: &Facts) -> Pre {
        Pre::Done(self.evaluate(facts))
    }

    fn post(&self, _: &Facts, (): ()) -> Vec<Hit> {
        Vec::new()
    }
}

impl DependencyCheck {
    /// A check that some of `items` are dependencies, for a rule's `when` gate.
    pub fn present(
        file: &crate::diag::SourceFile,
        items: &[toml::Spanned<String>],
        problems: &mut Problems,
    ) -> Option<DependencyCheck> {
        let mut packages = Vec::new();
        for item in items {
            match package(item.get_ref()) {
                Ok(package) => packages.push(package),
                Err(message) => problems.push(Problem::at(file, item.span(), message, "this package")),
            }
        }
        (packages.len() == items.len()).then_some(DependencyCheck {
            packages,
            expect: Expect::Present,
            include_dev: false,
        })
    }

    /// The packages, as written.
    pub fn describe(&self) -> String {
        // A long list (every SQL client of every ecosystem) is named by its first few.
        const SHOWN: usize = 6;
        let mut names: Vec<String> = self.packages.iter().take(SHOWN).map(|package| code(&package.text)).collect();
        if self.packages.len() > SHOWN {
            names.push(format!("{} more", self.packages.len() - SHOWN));
        }
        names.join(", ")
    }

    fn matches(&self, dependency: &Dependency) -> Option<&Package> {
        // A requirement only another dependency needs (Go's `// indirect`, a gem a lockfile resolved
        // for another gem) says nothing of what the code uses: Caddy's go.mod lists pgx for a
        // module it builds with, and Caddy has no database.
        if (dependency.dev && !self.include_dev) || dependency.indirect {
            return None;
        }
        self.packages.iter().find(|package| package.matches(dependency))
    }

    pub fn evaluate(&self, facts: &Facts) -> Vec<Hit> {
        let manifests = &facts.manifests().list;
        let mut hits = Vec::new();
        for manifest in manifests {
            for dependency in &manifest.dependencies {
                if self.matches(dependency).is_some() {
                    let at = Position { line: dependency.line.max(1), column: 1 };
                    let location = Location { path: manifest.path.clone(), start: at, end: at };
                    hits.push(
                        Hit::at(
                            location,
                            format!("{} is a dependency in {}", code(&dependency.name), code(&manifest.path)),
                            dependency.name.clone(),
                        )
                        .with_key(format!(
                            "{}:{}",
                            dependency.ecosystem.as_str(),
                            dependency.name
                        )),
                    );
                }
            }
        }
        match self.expect {
            Expect::Absent => hits,
            Expect::Present if hits.is_empty() => {
                let anchor = manifests.first().map(|manifest| manifest.path.clone());
                let hit = Hit::repository(format!("none of {} is a dependency", self.describe()));
                vec![match anchor {
                    Some(path) => hit.anchored(path),
                    None => hit,
                }]
            }
            Expect::Present => Vec::new(),
        }
    }
}

impl Package {
    /// How narrow the pattern is: its characters that are not wildcards.
    pub(super) fn specificity(&self) -> usize {
        self.text.chars().filter(|c| !matches!(c, '*' | '?' | '[' | ']' | '{' | '}')).count()
    }

    pub(super) fn matches(&self, dependency: &Dependency) -> bool {
        self.ecosystem.is_none_or(|ecosystem| ecosystem == dependency.ecosystem)
            && self.matcher.is_match(normalised(self, dependency))
    }
}

fn normalised(package: &Package, dependency: &Dependency) -> String {
    match package.ecosystem {
        Some(_) => dependency.name.clone(),
        None => dependency.name.to_ascii_lowercase(),
    }
}

pub(super) fn package(text: &str) -> Result<Package, String> {
    let (ecosystem, name) = match text.split_once(':') {
        Some((prefix, rest)) if Ecosystem::parse(prefix).is_some() => (Ecosystem::parse(prefix), rest),
        _ => (None, text),
    };
    if name.trim().is_empty() {
        return Err(format!("empty package name in `{text}`"));
    }
    let name = match ecosystem {
        Some(ecosystem) => normalise(ecosystem, name),
        None => name.to_ascii_lowercase(),
    };
    let matcher = GlobBuilder::new(&name)
        .case_insensitive(true)
        .build()
        .map_err(|error| format!("invalid package pattern `{text}`: {}", error.kind()))?
        .compile_matcher();
    Ok(Package { text: text.to_string(), ecosystem, matcher })
}
