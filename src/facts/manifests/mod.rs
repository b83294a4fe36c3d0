//! Package manifests: recognising them by file name and extracting dependencies and profile facts.

mod cargo;
mod dotnet;
mod elixir;
mod go;
mod jvm;
mod lines;
mod node;
mod python;
mod ruby;
mod shared;

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use cargo::parse_cargo;
use dotnet::{PACKAGE_VERSION_RE, PACKAGES_CONFIG_RE, parse_msbuild_project, parse_nuget_list};
use elixir::parse_mix;
use go::parse_go;
use jvm::{parse_gradle_build, parse_gradle_settings, parse_pom, parse_version_catalog};
use node::{parse_composer, parse_npm};
use python::{parse_pipfile, parse_pyproject, parse_requirements, parse_setup_cfg, parse_setup_py};
use ruby::{parse_gemfile, parse_gemfile_lock, parse_gemspec};

/// The package ecosystem a manifest belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ecosystem {
    Cargo,
    Npm,
    Python,
    Go,
    Ruby,
    Maven,
    Gradle,
    Composer,
    Nuget,
    /// Elixir's Hex packages, from `mix.exs`.
    Hex,
}

impl Ecosystem {
    pub fn as_str(self) -> &'static str {
        match self {
            Ecosystem::Cargo => "cargo",
            Ecosystem::Npm => "npm",
            Ecosystem::Python => "python",
            Ecosystem::Go => "go",
            Ecosystem::Ruby => "ruby",
            Ecosystem::Maven => "maven",
            Ecosystem::Gradle => "gradle",
            Ecosystem::Composer => "composer",
            Ecosystem::Nuget => "nuget",
            Ecosystem::Hex => "hex",
        }
    }

    /// Parses an ecosystem name, accepting common aliases ("pypi", "gem", "dotnet", ...).
    pub fn parse(name: &str) -> Option<Ecosystem> {
        Some(match name.trim().to_ascii_lowercase().as_str() {
            "cargo" | "crates" => Ecosystem::Cargo,
            "npm" => Ecosystem::Npm,
            "python" | "pypi" | "pip" => Ecosystem::Python,
            "go" => Ecosystem::Go,
            "ruby" | "gem" | "rubygems" => Ecosystem::Ruby,
            "maven" => Ecosystem::Maven,
            "gradle" => Ecosystem::Gradle,
            "composer" | "php" => Ecosystem::Composer,
            "nuget" | "dotnet" => Ecosystem::Nuget,
            "hex" | "mix" | "elixir" => Ecosystem::Hex,
            _ => return None,
        })
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One declared dependency.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Dependency {
    /// Normalised name (see [`normalise`]).
    pub name: String,
    pub ecosystem: Ecosystem,
    /// Dev, test or build-only dependency.
    pub dev: bool,
    /// 1-based line of the declaration (best effort; 1 if unknown).
    pub line: usize,
    /// Only built when a feature asks for it (Cargo's `optional = true`).
    pub optional: bool,
    /// Required by another dependency, not by the code (Go's `// indirect`).
    pub indirect: bool,
    /// Declared with features (Cargo's `features = [...]`): perhaps only to turn them on for
    /// other dependencies, through feature unification, with no use in the code.
    pub features: bool,
}

/// Facts extracted from one manifest file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Manifest {
    /// Repo-relative path with '/' separators, as given to [`parse`].
    pub path: String,
    pub ecosystem: Ecosystem,
    /// Package, module or project name when declared.
    pub name: Option<String>,
    /// Declaration order, one entry per (name, dev) pair.
    pub dependencies: Vec<Dependency>,
    /// Declares a library target (Cargo `[lib]`, npm `main`/`exports`, a Python package, ...).
    pub has_library: bool,
    /// Declared executables / CLI entry points.
    pub binaries: Vec<String>,
    /// Workspace member globs or paths, as written.
    pub workspace_members: Vec<String>,
    /// npm and Composer scripts; empty otherwise.
    pub scripts: BTreeMap<String, String>,
    /// A web SDK or framework: ASP.NET / Razor / Blazor SDK, Spring Boot parent or plugin.
    pub web_sdk: bool,
    /// npm `"private": true`.
    pub private: bool,
    /// An application people install on a phone: an Android `com.android.application` module.
    pub mobile_app: bool,
}

impl Default for Manifest {
    fn default() -> Self {
        Manifest::new("", Ecosystem::Cargo)
    }
}

impl Manifest {
    pub fn new(path: &str, ecosystem: Ecosystem) -> Self {
        Manifest {
            path: path.to_string(),
            ecosystem,
            name: None,
            dependencies: Vec::new(),
            has_library: false,
            binaries: Vec::new(),
            workspace_members: Vec::new(),
            scripts: BTreeMap::new(),
            web_sdk: false,
            mobile_app: false,
            private: false,
        }
    }

    fn add_dep(&mut self, name: &str, dev: bool, line: usize) {
        let name = normalise(self.ecosystem, name);
        if !name.is_empty() {
            let ecosystem = self.ecosystem;
            let line = line.max(1);
            self.dependencies.push(Dependency {
                name,
                ecosystem,
                dev,
                line,
                optional: false,
                indirect: false,
                features: false,
            });
        }
    }

    /// Duplicates are dropped in [`Manifest::finish`] (a check here would cost a scan per binary).
    fn add_binary(&mut self, name: &str) {
        let name = name.trim();
        if !name.is_empty() {
            self.binaries.push(name.to_string());
        }
    }

    fn set_name(&mut self, name: Option<&str>) {
        if let Some(n) = name.map(str::trim).filter(|n| !n.is_empty()) {
            self.name = Some(n.to_string());
        }
    }

    // Sort by declaration line, then keep the first of each (name, dev) pair, and the first of each
    // binary.
    fn finish(mut self) -> Self {
        self.dependencies.sort_by_key(|d| d.line);
        // A package declared directly anywhere (a lockfile's DEPENDENCIES after its specs) is direct.
        let direct: HashSet<(String, bool)> =
            self.dependencies.iter().filter(|d| !d.indirect).map(|d| (d.name.clone(), d.dev)).collect();
        let mut seen = HashSet::new();
        self.dependencies.retain(|d| seen.insert((d.name.clone(), d.dev)));
        for d in &mut self.dependencies {
            if d.indirect && direct.contains(&(d.name.clone(), d.dev)) {
                d.indirect = false;
            }
        }
        let mut seen = HashSet::new();
        self.binaries.retain(|b| seen.insert(b.clone()));
        self
    }
}

/// A syntax error in a manifest, with a 1-based position when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, " at line {l}, column {c}"),
            (Some(l), None) => write!(f, " at line {l}"),
            _ => Ok(()),
        }
    }
}

impl std::error::Error for ManifestError {}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn parent_dir(path: &str) -> &str {
    let mut parts = path.rsplit(['/', '\\']);
    parts.next();
    parts.next().unwrap_or("")
}

fn file_stem(path: &str) -> &str {
    let name = file_name(path);
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

/// Which manifest kind a repo-relative path is, judged by its file name only.
pub fn manifest_kind(path: &str) -> Option<Ecosystem> {
    let name = file_name(path);
    let lower = name.to_ascii_lowercase();
    let eco = match name {
        "Cargo.toml" => Ecosystem::Cargo,
        "package.json" => Ecosystem::Npm,
        "pyproject.toml" | "setup.cfg" | "setup.py" | "Pipfile" => Ecosystem::Python,
        "go.mod" | "go.work" => Ecosystem::Go,
        "Gemfile" | "Gemfile.lock" => Ecosystem::Ruby,
        "pom.xml" => Ecosystem::Maven,
        "build.gradle" | "build.gradle.kts" | "settings.gradle" | "settings.gradle.kts" => Ecosystem::Gradle,
        "composer.json" => Ecosystem::Composer,
        "Directory.Packages.props" | "packages.config" => Ecosystem::Nuget,
        "mix.exs" => Ecosystem::Hex,
        _ if lower.ends_with(".gemspec") => Ecosystem::Ruby,
        _ if [".csproj", ".fsproj", ".vbproj"].iter().any(|e| lower.ends_with(e)) => Ecosystem::Nuget,
        _ if is_requirements_txt(path) => Ecosystem::Python,
        _ if parent_dir(path) == "gradle" && name.ends_with(".versions.toml") => Ecosystem::Gradle,
        _ => return None,
    };
    Some(eco)
}

fn is_requirements_txt(path: &str) -> bool {
    let name = file_name(path).to_ascii_lowercase();
    name.ends_with(".txt")
        && (name.starts_with("requirements") || parent_dir(path).eq_ignore_ascii_case("requirements"))
}

/// Parse one manifest. `path` is repo-relative ('/'-separated); `text` its UTF-8 content.
pub fn parse(path: &str, text: &str) -> Result<Manifest, ManifestError> {
    let Some(eco) = manifest_kind(path) else {
        return Err(ManifestError {
            message: format!("{} is not a recognised package manifest", crate::escape::code(path)),
            line: None,
            column: None,
        });
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut m = Manifest::new(path, eco);
    let name = file_name(path);
    match eco {
        Ecosystem::Cargo => parse_cargo(&mut m, text)?,
        Ecosystem::Npm => parse_npm(&mut m, text)?,
        Ecosystem::Composer => parse_composer(&mut m, text)?,
        Ecosystem::Python => match name {
            "pyproject.toml" => parse_pyproject(&mut m, text)?,
            "Pipfile" => parse_pipfile(&mut m, text)?,
            "setup.cfg" => parse_setup_cfg(&mut m, text),
            "setup.py" => parse_setup_py(&mut m, text),
            _ => parse_requirements(&mut m, text),
        },
        Ecosystem::Go => parse_go(&mut m, text),
        Ecosystem::Ruby => match name {
            "Gemfile" => parse_gemfile(&mut m, text),
            "Gemfile.lock" => parse_gemfile_lock(&mut m, text),
            _ => parse_gemspec(&mut m, text),
        },
        Ecosystem::Maven => parse_pom(&mut m, text),
        Ecosystem::Gradle => match name {
            "settings.gradle" | "settings.gradle.kts" => parse_gradle_settings(&mut m, text),
            "build.gradle" | "build.gradle.kts" => parse_gradle_build(&mut m, text),
            _ => parse_version_catalog(&mut m, text)?,
        },
        Ecosystem::Nuget => match name {
            "Directory.Packages.props" => parse_nuget_list(&mut m, text, &PACKAGE_VERSION_RE),
            "packages.config" => parse_nuget_list(&mut m, text, &PACKAGES_CONFIG_RE),
            _ => parse_msbuild_project(&mut m, text),
        },
        Ecosystem::Hex => parse_mix(&mut m, text),
    }
    Ok(m.finish())
}

/// Normalise a dependency name the way the ecosystem compares them.
pub fn normalise(ecosystem: Ecosystem, name: &str) -> String {
    let name = name.trim();
    match ecosystem {
        Ecosystem::Python => {
            let mut out = String::with_capacity(name.len());
            for c in name.chars() {
                if matches!(c, '-' | '_' | '.') {
                    if !out.ends_with('-') {
                        out.push('-');
                    }
                } else {
                    out.extend(c.to_lowercase());
                }
            }
            out
        }
        Ecosystem::Cargo => name.to_lowercase().replace('_', "-"),
        Ecosystem::Npm | Ecosystem::Composer | Ecosystem::Nuget | Ecosystem::Ruby | Ecosystem::Hex => {
            name.to_lowercase()
        }
        Ecosystem::Go | Ecosystem::Maven | Ecosystem::Gradle => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn ok(path: &str, text: &str) -> Manifest {
        parse(path, text).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// `name@line` per dependency, `+` marking dev ones, in manifest order.
    pub(super) fn summary(m: &Manifest) -> String {
        let one = |d: &Dependency| format!("{}{}@{}", if d.dev { "+" } else { "" }, d.name, d.line);
        m.dependencies.iter().map(one).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn kinds_ecosystems_and_normalisation() {
        let kinds = "a/b/Cargo.toml:cargo requirements/base.txt:python requirements-dev.txt:python \
            gradle/libs.versions.toml:gradle src/App/App.csproj:nuget foo.gemspec:ruby go.work:go \
            docs/notes.txt:- README.md:- libs.versions.toml:-";
        for pair in kinds.split_whitespace() {
            let (path, want) = pair.split_once(':').unwrap_or_default();
            assert_eq!(manifest_kind(path), Ecosystem::parse(want), "{path}");
        }
        let aliases = [("PyPI", "python"), ("dotnet", "nuget"), ("crates", "cargo"), ("gem", "ruby")];
        for (alias, name) in aliases {
            assert_eq!(Ecosystem::parse(alias).map(Ecosystem::as_str), Some(name));
        }
        assert_eq!(Ecosystem::parse("cobol"), None);
        let json = serde_json::to_string(&Ecosystem::Nuget).unwrap_or_default();
        assert_eq!(json, "\"nuget\"");
        let py = normalise(Ecosystem::Python, "Django_Rest.__Framework");
        assert_eq!(py, "django-rest-framework");
        assert_eq!(normalise(Ecosystem::Cargo, "Serde_JSON"), "serde-json");
        assert_eq!(normalise(Ecosystem::Nuget, "Newtonsoft.Json"), "newtonsoft.json");
        assert_eq!(normalise(Ecosystem::Go, "github.com/Foo/bar"), "github.com/Foo/bar");
        assert!(parse("README.md", "").is_err());
    }

    #[test]
    fn large_manifests_keep_their_lines() {
        // Thousands of dependencies, as a hostile repository may declare: each still has its line.
        let n = 3000;
        let mut cargo = String::from("[package]\nname = \"x\"\n\n[dependencies]\n");
        cargo.extend((0..n).map(|i| format!("dep{i} = \"1\"\n")));
        cargo.push_str("\n[target.'cfg(target_os = \"linux\")'.dev-dependencies]\n");
        cargo.extend((0..n).map(|i| format!("dep{i}.version = \"1\"\n")));
        let m = ok("Cargo.toml", &cargo);
        let line =
            |name: &str, dev: bool| m.dependencies.iter().find(|d| d.name == name && d.dev == dev).map(|d| d.line);
        assert_eq!(m.dependencies.len(), 2 * n);
        assert_eq!((line("dep0", false), line("dep2999", false)), (Some(5), Some(n + 4)));
        assert_eq!((line("dep0", true), line("dep2999", true)), (Some(n + 7), Some(2 * n + 6)));

        let mut npm = String::from("{\n  \"scripts\": { \"dep7\": \"x\" },\n  \"dependencies\": {\n");
        npm.extend((0..n).map(|i| format!("    \"dep{i}\": \"1\",\n")));
        npm.push_str("    \"last\": \"1\"\n  },\n  \"bin\": {");
        npm.push_str(&(0..n).map(|i| format!("\"b{}\": \"x.js\"", i % 10)).collect::<Vec<_>>().join(", "));
        npm.push_str("}\n}\n");
        let m = ok("package.json", &npm);
        assert_eq!(summary(&m).split(' ').nth(7), Some("dep7@11"), "not the script on line 2");
        assert_eq!(m.dependencies.last().map(|d| d.line), Some(n + 4));
        assert_eq!(m.binaries.len(), 10);

        let mut catalog = String::from("[versions]\nk = \"1\"\n\n[libraries]\n");
        catalog.extend((0..n).map(|i| format!("lib{i} = \"g:a{i}:1\"\n")));
        let m = ok("gradle/libs.versions.toml", &catalog);
        assert_eq!(m.dependencies.last().map(|d| (d.name.as_str(), d.line)), Some(("g:a2999", n + 4)));

        let settings = "include(\":a\"\n".repeat(n) + "include ':b'\n";
        let m = ok("settings.gradle", &settings);
        assert_eq!(m.workspace_members.len(), n + 1);
    }

    #[test]
    fn garbage_never_panics() {
        let paths = "Cargo.toml package.json composer.json pyproject.toml Pipfile setup.cfg setup.py \
            requirements.txt go.mod go.work Gemfile Gemfile.lock x.gemspec pom.xml build.gradle \
            settings.gradle gradle/libs.versions.toml a.csproj packages.config Directory.Packages.props";
        let tokens: [&[u8]; 16] = [
            b"[",
            b"]",
            b"\"",
            b"'",
            b"=",
            b"{",
            b"}",
            b"\n",
            b"dependencies",
            b"<dependency>",
            b"gem ",
            b"require (",
            b"end",
            b"#",
            b" ",
            b"\xff\xfe\x00\xc3",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..400 {
            let mut bytes = Vec::new();
            for _ in 0..(next() % 200) {
                if round % 2 == 0 {
                    bytes.push((next() % 256) as u8);
                } else {
                    bytes.extend_from_slice(tokens[(next() % 16) as usize]);
                }
            }
            let text = String::from_utf8_lossy(&bytes);
            for path in paths.split_whitespace() {
                let _ = parse(path, &text);
                let _ = parse(path, "");
            }
        }
        let deep_json = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let deep_toml = format!("a = {}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse("package.json", &deep_json).is_err());
        assert!(parse("Cargo.toml", &deep_toml).is_err());
    }
}
