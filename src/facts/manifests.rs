//! Package manifests: recognising them by file name and extracting dependencies and profile facts.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value as Json;
use toml::{Table, Value as Toml};

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
            private: false,
        }
    }

    fn add_dep(&mut self, name: &str, dev: bool, line: usize) {
        let name = normalise(self.ecosystem, name);
        if !name.is_empty() {
            let ecosystem = self.ecosystem;
            let line = line.max(1);
            self.dependencies.push(Dependency { name, ecosystem, dev, line, optional: false });
        }
    }

    fn add_binary(&mut self, name: &str) {
        let name = name.trim();
        if !name.is_empty() && !self.binaries.iter().any(|b| b == name) {
            self.binaries.push(name.to_string());
        }
    }

    fn set_name(&mut self, name: Option<&str>) {
        if let Some(n) = name.map(str::trim).filter(|n| !n.is_empty()) {
            self.name = Some(n.to_string());
        }
    }

    // Sort by declaration line, then keep the first of each (name, dev) pair.
    fn finish(mut self) -> Self {
        self.dependencies.sort_by_key(|d| d.line);
        let mut seen = HashSet::new();
        self.dependencies.retain(|d| seen.insert((d.name.clone(), d.dev)));
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
            message: format!("`{path}` is not a recognised package manifest"),
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

// ---------------------------------------------------------------------------
// Shared helpers: positions, TOML/JSON access, line lookup.

fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() + 1
}

fn position_of(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line_of(text, end), before[line_start..].chars().count() + 1)
}

fn parse_toml(text: &str) -> Result<Table, ManifestError> {
    toml::from_str::<Table>(text).map_err(|e| {
        let pos = e.span().map(|s| position_of(text, s.start));
        ManifestError {
            message: format!("invalid TOML: {}", e.message().trim()),
            line: pos.map(|p| p.0),
            column: pos.map(|p| p.1),
        }
    })
}

fn parse_json(text: &str) -> Result<Json, ManifestError> {
    serde_json::from_str(text).map_err(|e| ManifestError {
        // serde_json appends " at line L column C"; the position has its own fields.
        message: format!("invalid JSON: {}", e.to_string().split(" at line ").next().unwrap_or_default()),
        line: Some(e.line()).filter(|&l| l > 0),
        column: Some(e.column()).filter(|&c| c > 0),
    })
}

fn toml_at<'a>(table: &'a Table, path: &[&str]) -> Option<&'a Toml> {
    let (first, rest) = path.split_first()?;
    rest.iter().try_fold(table.get(*first)?, |v, k| v.as_table()?.get(*k))
}

fn table_at<'a>(table: &'a Table, path: &[&str]) -> Option<&'a Table> {
    toml_at(table, path)?.as_table()
}

fn str_at<'a>(table: &'a Table, path: &[&str]) -> Option<&'a str> {
    toml_at(table, path)?.as_str()
}

fn toml_strings(value: Option<&Toml>) -> impl Iterator<Item = &str> {
    value.and_then(Toml::as_array).into_iter().flatten().filter_map(Toml::as_str)
}

/// Header path of a `[table]` / `[[array]]` line with quotes and spaces dropped.
fn toml_header(line: &str) -> Option<String> {
    let t = line.trim();
    let t = t.split_once('#').map_or(t, |(h, _)| h).trim_end();
    if !t.starts_with('[') || !t.ends_with(']') {
        return None;
    }
    let inner = t.trim_matches(['[', ']']);
    Some(inner.chars().filter(|c| !c.is_whitespace() && *c != '"' && *c != '\'').collect())
}

fn header_index(lines: &[&str], section: &str) -> Option<usize> {
    lines.iter().position(|l| toml_header(l).as_deref() == Some(section))
}

/// A dependency value of a sensible type: a version string, a table or a list of constraints.
fn is_spec(value: &Toml) -> bool {
    matches!(value, Toml::String(_) | Toml::Table(_) | Toml::Array(_))
}

/// Line of `key` inside the TOML table at `section` (or a `[section.key]` header).
fn toml_key_line(lines: &[&str], section: &[&str], key: &str) -> usize {
    let sec = section.join(".");
    let full = format!("{sec}.{key}");
    let start = header_index(lines, &sec);
    for (i, line) in lines.iter().enumerate().skip(start.unwrap_or(0)) {
        if toml_header(line).as_deref() == Some(full.as_str()) {
            return i + 1;
        }
        let t = line.trim_start().trim_start_matches(['"', '\'']);
        if let Some(rest) = t.strip_prefix(key) {
            let rest = rest.trim_start_matches(['"', '\'']);
            if rest.starts_with(|c: char| c.is_whitespace() || c == '=' || c == '.') {
                return i + 1;
            }
        }
    }
    text_line(lines, start.unwrap_or(0), key)
}

/// First line at or after `start` (0-based) containing `needle`, else anywhere, else 1.
fn text_line(lines: &[&str], start: usize, needle: &str) -> usize {
    let hit = |i: &usize| lines.get(*i).is_some_and(|l| l.contains(needle));
    (start..lines.len()).find(hit).or_else(|| (0..lines.len()).find(hit)).map_or(1, |i| i + 1)
}

/// Line of `"key"` after the `"section"` object opens (a script may share the section's name).
fn json_key_line(lines: &[&str], section: &str, key: &str) -> usize {
    let quoted = format!("\"{section}\"");
    let opens = |l: &&str| l.contains(&quoted) && l.contains('{');
    let start = lines.iter().position(opens).or_else(|| lines.iter().position(|l| l.contains(&quoted)));
    text_line(lines, start.unwrap_or(0), &format!("\"{key}\""))
}

fn json_keys<'a>(doc: &'a Json, key: &str) -> impl Iterator<Item = (&'a String, &'a Json)> {
    doc.get(key).and_then(Json::as_object).into_iter().flatten()
}

fn json_strings(value: Option<&Json>) -> impl Iterator<Item = &str> {
    value.and_then(Json::as_array).into_iter().flatten().filter_map(Json::as_str)
}

/// Replaces everything between `open` and `close` with spaces, keeping newlines (and thus line numbers).
fn blank_comments(text: &str, open: &str, close: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(open) {
        out.push_str(&rest[..start]);
        let after = &rest[start + open.len()..];
        let end = after.find(close).map_or(rest.len(), |e| start + open.len() + e + close.len());
        out.extend(rest[start..end].chars().map(|c| if c == '\n' { '\n' } else { ' ' }));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("literal regex compiles")
}

macro_rules! regexes {
    ($($name:ident = $pattern:expr;)+) => {
        $(static $name: LazyLock<Regex> = LazyLock::new(|| regex(&$pattern));)+
    };
}

fn first_capture<'a>(re: &Regex, text: &'a str) -> Option<&'a str> {
    Some(re.captures(text)?.get(1)?.as_str())
}

fn start_of(caps: &regex::Captures<'_>) -> usize {
    caps.get(0).map_or(0, |g| g.start())
}

fn toml_entries<'a>(doc: &'a Table, path: &[&str]) -> impl Iterator<Item = (&'a String, &'a Toml)> {
    table_at(doc, path).into_iter().flatten()
}

// ---------------------------------------------------------------------------
// Cargo

fn parse_cargo(m: &mut Manifest, text: &str) -> Result<(), ManifestError> {
    let doc = parse_toml(text)?;
    let lines: Vec<&str> = text.lines().collect();
    m.set_name(str_at(&doc, &["package", "name"]));
    m.has_library = doc.get("lib").is_some_and(Toml::is_table);
    let bins = doc.get("bin").and_then(Toml::as_array).into_iter().flatten();
    for name in bins.filter_map(|b| b.get("name")?.as_str()) {
        m.add_binary(name);
    }
    let members = toml_strings(toml_at(&doc, &["workspace", "members"]));
    m.workspace_members = members.map(String::from).collect();
    let kinds = [("dependencies", false), ("dev-dependencies", true), ("build-dependencies", true)];
    for (kind, dev) in kinds {
        cargo_deps(m, &lines, &doc, &[kind], dev);
    }
    // `[workspace.dependencies]` declares versions for members to pick; a member that uses one
    // lists it again, so here each is only a possibility.
    let declared = m.dependencies.len();
    cargo_deps(m, &lines, &doc, &["workspace", "dependencies"], false);
    for dependency in &mut m.dependencies[declared..] {
        dependency.optional = true;
    }
    for (cfg, _) in toml_entries(&doc, &["target"]) {
        for (kind, dev) in kinds {
            cargo_deps(m, &lines, &doc, &["target", cfg, kind], dev);
        }
    }
    Ok(())
}

fn cargo_deps(m: &mut Manifest, lines: &[&str], doc: &Table, path: &[&str], dev: bool) {
    for (key, value) in toml_entries(doc, path) {
        let real = match value {
            Toml::String(_) => key.as_str(),
            Toml::Table(t) => t.get("package").and_then(Toml::as_str).unwrap_or(key),
            _ => continue, // not a valid dependency spec
        };
        m.add_dep(real, dev, toml_key_line(lines, path, key));
        if let Toml::Table(t) = value {
            if t.get("optional").and_then(Toml::as_bool) == Some(true) {
                if let Some(last) = m.dependencies.last_mut() {
                    last.optional = true;
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Elixir

static MIX_DEP_RE: LazyLock<Regex> = LazyLock::new(|| regex(r#"\{\s*:([a-z_][a-z0-9_]*)\s*,([^}\n]*)"#));
static MIX_APP_RE: LazyLock<Regex> = LazyLock::new(|| regex(r"\bapp:\s*:([a-z_][a-z0-9_]*)"));
static MIX_ESCRIPT_RE: LazyLock<Regex> = LazyLock::new(|| regex(r"\bescript:"));
static MIX_MOD_RE: LazyLock<Regex> = LazyLock::new(|| regex(r"\bmod:\s*\{"));

/// `mix.exs` is Elixir code; its `deps` list is read with patterns: `{:phoenix, "~> 1.7"}`,
/// `{:credo, "~> 1.7", only: [:dev, :test]}`.
fn parse_mix(m: &mut Manifest, text: &str) {
    if let Some(app) = MIX_APP_RE.captures(text) {
        m.name = Some(app[1].to_string());
    }
    for (index, line) in text.lines().enumerate() {
        let code = line.split('#').next().unwrap_or_default();
        for captures in MIX_DEP_RE.captures_iter(code) {
            let options = &captures[2];
            let dev = options.contains("only:") && !options.contains(":prod");
            m.add_dep(&captures[1], dev, index + 1);
        }
    }
    if MIX_ESCRIPT_RE.is_match(text) {
        let name = m.name.clone().unwrap_or_else(|| "escript".to_string());
        m.add_binary(&name);
    }
    // An OTP application with a `mod:` callback runs as a service; a plain library has none.
    m.has_library = !MIX_MOD_RE.is_match(text);
}

// ---------------------------------------------------------------------------
// npm and Composer

fn parse_npm(m: &mut Manifest, text: &str) -> Result<(), ManifestError> {
    let doc = parse_json(text)?;
    let lines: Vec<&str> = text.lines().collect();
    m.set_name(doc.get("name").and_then(Json::as_str));
    let sections = [
        ("dependencies", false),
        ("optionalDependencies", false),
        ("peerDependencies", false),
        ("devDependencies", true),
    ];
    for (section, dev) in sections {
        for (key, _) in json_keys(&doc, section) {
            m.add_dep(key, dev, json_key_line(&lines, section, key));
        }
    }
    match doc.get("bin") {
        Some(Json::String(file)) => {
            // A string `bin` installs a command named after the package (scope dropped).
            let pkg = m.name.as_deref().map(|n| n.rsplit('/').next().unwrap_or(n).to_string());
            m.add_binary(&pkg.unwrap_or_else(|| file_stem(file).to_string()));
        }
        Some(Json::Object(map)) => map.keys().for_each(|k| m.add_binary(k)),
        _ => {}
    }
    let lib_keys = ["main", "module", "exports", "types", "typings"];
    m.has_library = lib_keys.iter().any(|k| doc.get(k).is_some_and(|v| !v.is_null()));
    let workspaces = doc.get("workspaces");
    let packages = workspaces.filter(|w| w.is_array()).or_else(|| workspaces?.get("packages"));
    m.workspace_members = json_strings(packages).map(String::from).collect();
    m.scripts = json_scripts(&doc);
    m.private = doc.get("private").and_then(Json::as_bool) == Some(true);
    Ok(())
}

fn json_scripts(doc: &Json) -> BTreeMap<String, String> {
    let mut scripts = BTreeMap::new();
    for (key, value) in json_keys(doc, "scripts") {
        let command = match value {
            Json::String(s) => s.clone(),
            Json::Array(items) => items.iter().filter_map(Json::as_str).collect::<Vec<_>>().join(" && "),
            _ => continue,
        };
        scripts.insert(key.clone(), command);
    }
    scripts
}

fn parse_composer(m: &mut Manifest, text: &str) -> Result<(), ManifestError> {
    let doc = parse_json(text)?;
    let lines: Vec<&str> = text.lines().collect();
    m.set_name(doc.get("name").and_then(Json::as_str));
    for (section, dev) in [("require", false), ("require-dev", true)] {
        // Platform packages (php, ext-*, lib-*, composer-plugin-api) have no vendor prefix.
        for (key, _) in json_keys(&doc, section).filter(|(k, _)| k.contains('/')) {
            m.add_dep(key, dev, json_key_line(&lines, section, key));
        }
    }
    json_strings(doc.get("bin")).for_each(|b| m.add_binary(file_name(b)));
    m.has_library = doc.get("type").and_then(Json::as_str) == Some("library");
    m.scripts = json_scripts(&doc);
    Ok(())
}

// ---------------------------------------------------------------------------
// Python

const PY_DEV_GROUPS: [&str; 6] = ["test", "tests", "dev", "lint", "docs", "typing"];

/// The distribution name at the start of a PEP 508 requirement, if it looks like one.
fn pep508_name(req: &str) -> Option<&str> {
    let req = req.trim();
    let end = req.find(|c: char| "[<>=!~;@(,".contains(c) || c.is_whitespace()).unwrap_or(req.len());
    let name = &req[..end];
    let valid = name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    let edges =
        name.starts_with(|c: char| c.is_ascii_alphanumeric()) && name.ends_with(|c: char| c.is_ascii_alphanumeric());
    (valid && edges).then_some(name)
}

fn add_requirements<'a>(
    m: &mut Manifest,
    lines: &[&str],
    start: usize,
    reqs: impl Iterator<Item = &'a str>,
    dev: bool,
) {
    for req in reqs {
        if let Some(name) = pep508_name(req) {
            // TOML escapes can make the decoded string differ from the source text.
            let written = lines.iter().any(|l| l.contains(req));
            m.add_dep(name, dev, text_line(lines, start, if written { req } else { name }));
        }
    }
}

fn parse_pyproject(m: &mut Manifest, text: &str) -> Result<(), ManifestError> {
    let doc = parse_toml(text)?;
    let lines: Vec<&str> = text.lines().collect();
    m.set_name(str_at(&doc, &["project", "name"]).or(str_at(&doc, &["tool", "poetry", "name"])));
    m.has_library = doc.contains_key("build-system") || doc.contains_key("project");

    let project_deps = toml_strings(toml_at(&doc, &["project", "dependencies"]));
    let start = header_index(&lines, "project").unwrap_or(0);
    add_requirements(m, &lines, start, project_deps, false);
    // Optional-dependency groups are dev only when named so; PEP 735 and PDM groups always are.
    // PEP 735 `{include-group = "x"}` entries are tables, which toml_strings skips.
    let groups: [(&[&str], bool); 3] = [
        (&["project", "optional-dependencies"], false),
        (&["dependency-groups"], true),
        (&["tool", "pdm", "dev-dependencies"], true),
    ];
    for (path, always_dev) in groups {
        let start = header_index(&lines, &path.join(".")).unwrap_or(0);
        for (group, reqs) in toml_entries(&doc, path) {
            let dev = always_dev || PY_DEV_GROUPS.contains(&group.to_lowercase().as_str());
            add_requirements(m, &lines, start, toml_strings(Some(reqs)), dev);
        }
    }

    let mut poetry_tables = vec![(vec!["tool", "poetry", "dependencies"], false)];
    poetry_tables.push((vec!["tool", "poetry", "dev-dependencies"], true));
    for (group, _) in toml_entries(&doc, &["tool", "poetry", "group"]) {
        poetry_tables.push((vec!["tool", "poetry", "group", group, "dependencies"], true));
    }
    for (path, dev) in poetry_tables {
        for (key, spec) in toml_entries(&doc, &path) {
            if key != "python" && is_spec(spec) {
                m.add_dep(key, dev, toml_key_line(&lines, &path, key));
            }
        }
    }
    let script_tables = [&["project", "scripts"][..], &["project", "gui-scripts"], &["tool", "poetry", "scripts"]];
    for path in script_tables {
        toml_entries(&doc, path).for_each(|(k, _)| m.add_binary(k));
    }
    Ok(())
}

fn parse_pipfile(m: &mut Manifest, text: &str) -> Result<(), ManifestError> {
    let doc = parse_toml(text)?;
    let lines: Vec<&str> = text.lines().collect();
    for (section, dev) in [("packages", false), ("dev-packages", true)] {
        for (key, _) in toml_entries(&doc, &[section]).filter(|(_, v)| is_spec(v)) {
            m.add_dep(key, dev, toml_key_line(&lines, &[section], key));
        }
    }
    Ok(())
}

fn parse_requirements(m: &mut Manifest, text: &str) {
    let lower = file_name(&m.path).to_lowercase();
    let dev = lower.contains("dev") || lower.contains("test");
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split(" #").next().unwrap_or(raw);
        let line = line.split("\t#").next().unwrap_or(line).trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with('-') {
            continue;
        }
        let name = if line.contains("://") || line.starts_with("git+") {
            match line.split_once("#egg=") {
                Some((_, egg)) => pep508_name(egg.split('&').next().unwrap_or(egg)),
                // PEP 508 direct reference: `name @ https://...`.
                None => line.split_once('@').and_then(|(n, _)| pep508_name(n)),
            }
        } else {
            pep508_name(line)
        };
        if let Some(name) = name {
            m.add_dep(name, dev, i + 1);
        }
    }
}

struct IniEntry {
    section: String,
    key: String,
    /// Value lines with their 1-based line numbers (first line plus indented continuations).
    values: Vec<(usize, String)>,
}

fn parse_ini(text: &str) -> Vec<IniEntry> {
    let mut entries: Vec<IniEntry> = Vec::new();
    let mut section = String::new();
    let mut continuing = false;
    for (i, raw) in text.lines().enumerate() {
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        let last = entries.last_mut().filter(|_| continuing);
        if let Some(last) = last.filter(|_| raw.starts_with([' ', '\t'])) {
            last.values.push((i + 1, trimmed.to_string()));
        } else if trimmed.starts_with('[') && trimmed.ends_with(']') {
            section = trimmed.trim_matches(['[', ']']).trim().to_string();
            continuing = false;
        } else if let Some(sep) = trimmed.find(['=', ':']) {
            continuing = true;
            let value = trimmed[sep + 1..].trim();
            let values = if value.is_empty() { vec![] } else { vec![(i + 1, value.to_string())] };
            let key = trimmed[..sep].trim().to_string();
            entries.push(IniEntry { section: section.clone(), key, values });
        }
    }
    entries
}

fn parse_setup_cfg(m: &mut Manifest, text: &str) {
    for entry in parse_ini(text) {
        let values = entry.values.iter().map(|(l, v)| (*l, v.as_str()));
        match (entry.section.as_str(), entry.key.as_str()) {
            ("metadata", "name") => m.set_name(entry.values.first().map(|v| v.1.as_str())),
            ("options", "install_requires") => setup_cfg_reqs(m, values, false),
            ("options", "tests_require" | "setup_requires") => setup_cfg_reqs(m, values, true),
            ("options.extras_require", group) => {
                let dev = PY_DEV_GROUPS.contains(&group.to_lowercase().as_str());
                setup_cfg_reqs(m, values, dev);
            }
            ("options.entry_points", "console_scripts" | "gui_scripts") => {
                for (_, v) in values {
                    m.add_binary(v.split('=').next().unwrap_or(v));
                }
            }
            _ => {}
        }
        if entry.section == "metadata" || entry.section.starts_with("options") {
            m.has_library = true;
        }
    }
}

fn setup_cfg_reqs<'a>(m: &mut Manifest, values: impl Iterator<Item = (usize, &'a str)>, dev: bool) {
    for (line, value) in values {
        if let Some(name) = pep508_name(value) {
            m.add_dep(name, dev, line);
        }
    }
}

regexes! {
    QUOTED_RE = r#"["']([^"'\n]+)["']"#;
    SETUP_NAME_RE = r#"\bname\s*=\s*["']([^"'\n]+)["']"#;
    SETUP_LIST_RE = r#"\b(install_requires|tests_require|setup_requires)\s*=\s*(?:\[([^\]]*)\]|([A-Za-z_]\w*))"#;
    CONSOLE_SCRIPTS_RE = r#"["'](?:console|gui)_scripts["']\s*:\s*\[([^\]]*)\]"#;
}

fn parse_setup_py(m: &mut Manifest, text: &str) {
    let text = &blank_comments(text, "#", "\n");
    m.has_library = true;
    m.set_name(first_capture(&SETUP_NAME_RE, text));
    for caps in SETUP_LIST_RE.captures_iter(text) {
        let dev = &caps[1] != "install_requires";
        let list = match (caps.get(2), caps.get(3)) {
            (Some(list), _) => list,
            // `install_requires=requires`: follow the module-level list assignment.
            (None, Some(var)) => {
                let pattern = format!(r"(?m)^{}\s*=\s*\[([^\]]*)\]", regex::escape(var.as_str()));
                let found = Regex::new(&pattern).ok().and_then(|re| re.captures(text)?.get(1));
                let Some(list) = found else { continue };
                list
            }
            _ => continue,
        };
        for q in QUOTED_RE.captures_iter(list.as_str()) {
            let (Some(whole), Some(req)) = (q.get(0), q.get(1)) else {
                continue;
            };
            if let Some(name) = pep508_name(req.as_str()) {
                m.add_dep(name, dev, line_of(text, list.start() + whole.start()));
            }
        }
    }
    for caps in CONSOLE_SCRIPTS_RE.captures_iter(text) {
        for q in QUOTED_RE.captures_iter(&caps[1]) {
            m.add_binary(q[1].split('=').next().unwrap_or_default());
        }
    }
}

// ---------------------------------------------------------------------------
// Go

fn parse_go(m: &mut Manifest, text: &str) {
    let unquote = |s: &str| s.trim().trim_matches(['"', '`']).to_string();
    let mut block: Option<String> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split("//").next().unwrap_or(raw).trim();
        if line.is_empty() {
            continue;
        }
        let (directive, rest) = match &block {
            Some(_) if line == ")" => {
                block = None;
                continue;
            }
            Some(b) => (b.clone(), line),
            None => {
                let end = line.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(line.len());
                let (d, rest) = line.split_at(end);
                if rest.trim() == "(" {
                    block = Some(d.to_string());
                    continue;
                }
                (d.to_string(), rest.trim())
            }
        };
        let first = rest.split_whitespace().next().unwrap_or("");
        match directive.as_str() {
            "module" => m.set_name(Some(&unquote(rest))),
            "require" if !first.is_empty() => m.add_dep(&unquote(first), false, i + 1),
            "use" if !first.is_empty() => m.workspace_members.push(unquote(first)),
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------
// Ruby

regexes! {
    GEM_RE = r#"^gem\s*\(?\s*["']([^"']+)["']"#;
    BLOCK_START_RE = r"(?:\bdo\s*(?:\|[^|]*\|)?\s*$|^(?:if|unless|case|while|until|begin|def|class|module)\b)";
}

fn parse_gemfile(m: &mut Manifest, text: &str) {
    // One entry per open block: whether it (or an enclosing block) is a dev/test group.
    let mut stack: Vec<bool> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split(" #").next().unwrap_or(raw).trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let inherited = stack.last().copied().unwrap_or(false);
        if line == "end" || line.starts_with("end ") || line.starts_with("end.") {
            stack.pop();
        } else if let Some(caps) = GEM_RE.captures(line) {
            let rest = &line[start_of(&caps)..];
            let inline = rest.contains("group") && (rest.contains("development") || rest.contains("test"));
            let dev = inherited || inline;
            m.add_dep(&caps[1], dev, i + 1);
        } else if BLOCK_START_RE.is_match(line) {
            let dev_group = line.starts_with("group") && (line.contains("development") || line.contains("test"));
            stack.push(inherited || dev_group);
        }
    }
}

fn parse_gemfile_lock(m: &mut Manifest, text: &str) {
    let mut section = "";
    let mut in_specs = false;
    for (i, line) in text.lines().enumerate() {
        if !line.starts_with(' ') {
            section = line.trim();
            in_specs = false;
            continue;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        let first = line.split_whitespace().next().unwrap_or("");
        let name = first.trim_end_matches('!');
        match (section, indent) {
            ("GEM" | "GIT" | "PATH", 2) => in_specs = first == "specs:",
            ("GEM" | "GIT" | "PATH", 4) if in_specs => m.add_dep(name, false, i + 1),
            ("DEPENDENCIES", 2) => m.add_dep(name, false, i + 1),
            _ => {}
        }
    }
}

regexes! {
    GEMSPEC_NAME_RE = r#"\.name\s*=\s*["']([^"'\n]+)["']"#;
    GEMSPEC_DEP_RE = r#"\.add_(runtime_|development_)?dependency\s*\(?\s*["']([^"'\n]+)["']"#;
    GEMSPEC_EXE_RE = r#"\.executables\s*=\s*(?:%w[\[(\{]([^\])\}]*)[\])\}]|\[([^\]]*)\])"#;
}

fn parse_gemspec(m: &mut Manifest, text: &str) {
    let text = &blank_comments(text, "#", "\n");
    m.has_library = true;
    m.set_name(first_capture(&GEMSPEC_NAME_RE, text));
    for caps in GEMSPEC_DEP_RE.captures_iter(text) {
        let dev = caps.get(1).is_some_and(|g| g.as_str() == "development_");
        let start = start_of(&caps);
        m.add_dep(&caps[2], dev, line_of(text, start));
    }
    if let Some(caps) = GEMSPEC_EXE_RE.captures(text) {
        if let Some(words) = caps.get(1) {
            words.as_str().split_whitespace().for_each(|w| m.add_binary(w));
        } else if let Some(list) = caps.get(2) {
            QUOTED_RE.captures_iter(list.as_str()).for_each(|q| m.add_binary(&q[1]));
        }
    }
}

// ---------------------------------------------------------------------------
// Maven

regexes! {
    DEPENDENCY_RE = r"(?s)<dependency\s*>(.*?)</dependency\s*>";
    MODULE_RE = r"<module>\s*([^<]+?)\s*</module>";
    PLUGIN_RE = r"(?s)<plugin\s*>(.*?)</plugin\s*>";
    PARENT_RE = r"(?s)<parent\s*>(.*?)</parent\s*>";
}
// Blocks removed before reading the project's own coordinates; outer blocks first.
static POM_NOISE_RE: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    ["profiles", "build", "reporting", "dependencyManagement", "parent", "dependencies"]
        .iter()
        .map(|tag| regex(&format!(r"(?s)<{tag}\s*>.*?</{tag}\s*>")))
        .collect()
});

fn xml_tag<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&format!("</{tag}>"))? + start;
    Some(xml[start..end].trim())
}

fn maven_coords(xml: &str) -> Option<String> {
    let artifact = xml_tag(xml, "artifactId").filter(|a| !a.is_empty())?;
    Some(match xml_tag(xml, "groupId") {
        Some(group) if !group.is_empty() => format!("{group}:{artifact}"),
        _ => artifact.to_string(),
    })
}

fn parse_pom(m: &mut Manifest, text: &str) {
    let text = &blank_comments(text, "<!--", "-->");
    for caps in DEPENDENCY_RE.captures_iter(text) {
        let (Some(whole), Some(body)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        if let Some(name) = maven_coords(body.as_str()) {
            let dev = matches!(xml_tag(body.as_str(), "scope"), Some("test" | "provided"));
            m.add_dep(&name, dev, line_of(text, whole.start()));
        }
    }
    m.workspace_members = MODULE_RE.captures_iter(text).map(|c| c[1].to_string()).collect();
    let boot = |xml: &str| xml_tag(xml, "groupId") == Some("org.springframework.boot");
    let parent = PARENT_RE.captures(text).map(|c| c[1].to_string());
    m.web_sdk = parent.as_deref().is_some_and(boot) || PLUGIN_RE.captures_iter(text).any(|c| boot(&c[1]));
    let mut own = text.to_string();
    for re in POM_NOISE_RE.iter() {
        own = re.replace_all(&own, "").into_owned();
    }
    m.name = match (xml_tag(&own, "artifactId"), xml_tag(&own, "groupId")) {
        (Some(a), Some(g)) => Some(format!("{g}:{a}")),
        (Some(a), None) => match parent.as_deref().and_then(|p| xml_tag(p, "groupId")) {
            Some(g) => Some(format!("{g}:{a}")),
            None => Some(a.to_string()),
        },
        _ => None,
    };
    m.has_library = matches!(xml_tag(&own, "packaging"), None | Some("jar"));
}

// ---------------------------------------------------------------------------
// Gradle

const GRADLE_CONFIGS: &str = "implementation|api|compileOnly|runtimeOnly|testImplementation|\
testRuntimeOnly|testCompileOnly|androidTestImplementation|kapt|ksp|annotationProcessor|compile|\
testCompile|debugImplementation";

regexes! {
    GRADLE_DEP_RE = format!(r#"\b({GRADLE_CONFIGS})\s*\(?\s*(?:(enforcedPlatform|platform|kotlin)\s*\(\s*)?["']([^"'\n]+)["']"#);
    GRADLE_MAP_DEP_RE = format!(r#"\b({GRADLE_CONFIGS})\s*\(?\s*group\s*[:=]\s*["']([^"']+)["']\s*,\s*name\s*[:=]\s*["']([^"']+)["']"#);
    SPRING_BOOT_PLUGIN_RE = r#"(?:\bid\s*\(?\s*|apply\s+plugin\s*:\s*)["']org\.springframework\.boot["']|(?i)alias\s*\(\s*libs\.plugins\.spring[._-]?boot\b"#;
    APPLICATION_RE = r#"(?m)\bid\s*\(?\s*["']application["']|^\s*application\s*$|apply\s+plugin\s*:\s*["']application["']|\bmainClass"#;
    GRADLE_LIBRARY_RE = r#"["'`](?:java-library|com\.android\.library)["'`]|`java-library`"#;
    GRADLE_INCLUDE_RE = r"\binclude\b\s*(?:\(([^)]*)\)|([^\n]*))";
    ROOT_PROJECT_NAME_RE = r#"rootProject\.name\s*=\s*["']([^"'\n]+)["']"#;
}

fn gradle_code(text: &str) -> String {
    let text = blank_comments(text, "/*", "*/");
    let lines = text.lines().map(|l| if l.trim_start().starts_with("//") { "" } else { l });
    lines.collect::<Vec<_>>().join("\n")
}

fn parse_gradle_build(m: &mut Manifest, text: &str) {
    let code = &gradle_code(text);
    let is_dev = |conf: &str| ["test", "androidTest", "debug"].iter().any(|p| conf.starts_with(p));
    for caps in GRADLE_DEP_RE.captures_iter(code) {
        let start = start_of(&caps);
        let coords = &caps[3];
        let name = match caps.get(2).map(|g| g.as_str()) {
            Some("kotlin") => format!("org.jetbrains.kotlin:kotlin-{coords}"),
            _ => match coords.split(':').collect::<Vec<_>>()[..] {
                [group, artifact, ..] if !group.is_empty() && !artifact.is_empty() => {
                    format!("{group}:{artifact}")
                }
                _ => continue,
            },
        };
        m.add_dep(&name, is_dev(&caps[1]), line_of(code, start));
    }
    for caps in GRADLE_MAP_DEP_RE.captures_iter(code) {
        let start = start_of(&caps);
        m.add_dep(&format!("{}:{}", &caps[2], &caps[3]), is_dev(&caps[1]), line_of(code, start));
    }
    m.web_sdk = SPRING_BOOT_PLUGIN_RE.is_match(code);
    m.has_library = GRADLE_LIBRARY_RE.is_match(code);
    if APPLICATION_RE.is_match(code) {
        m.add_binary("application");
    }
}

fn parse_gradle_settings(m: &mut Manifest, text: &str) {
    let code = &gradle_code(text);
    m.set_name(first_capture(&ROOT_PROJECT_NAME_RE, code));
    for caps in GRADLE_INCLUDE_RE.captures_iter(code) {
        let Some(args) = caps.get(1).or(caps.get(2)) else {
            continue;
        };
        for q in QUOTED_RE.captures_iter(args.as_str()) {
            m.workspace_members.push(q[1].to_string());
        }
    }
}

fn parse_version_catalog(m: &mut Manifest, text: &str) -> Result<(), ManifestError> {
    let doc = parse_toml(text)?;
    let lines: Vec<&str> = text.lines().collect();
    for (key, value) in toml_entries(&doc, &["libraries"]) {
        let name = match value {
            Toml::String(s) => {
                let mut parts = s.split(':');
                match (parts.next(), parts.next()) {
                    (Some(g), Some(a)) => format!("{g}:{a}"),
                    _ => continue,
                }
            }
            Toml::Table(t) => match (t.get("module"), t.get("group"), t.get("name")) {
                (Some(Toml::String(module)), _, _) => module.clone(),
                (_, Some(Toml::String(g)), Some(Toml::String(a))) => format!("{g}:{a}"),
                _ => continue,
            },
            _ => continue,
        };
        m.add_dep(&name, false, toml_key_line(&lines, &["libraries"], key));
    }
    let plugins = table_at(&doc, &["plugins"]).into_iter().flat_map(|t| t.values());
    m.web_sdk = plugins.into_iter().any(|p| {
        let id = p.as_str().or_else(|| p.get("id").and_then(Toml::as_str)).unwrap_or("");
        id.split(':').next() == Some("org.springframework.boot")
    });
    Ok(())
}

// ---------------------------------------------------------------------------
// NuGet / MSBuild

regexes! {
    PACKAGE_REFERENCE_RE = r#"(?i)<PackageReference\b[^>]*?\b(?:Include|Update)\s*=\s*"([^"]+)""#;
    PACKAGE_VERSION_RE = r#"(?i)<PackageVersion\b[^>]*?\bInclude\s*=\s*"([^"]+)""#;
    PACKAGES_CONFIG_RE = r#"(?i)<package\b[^>]*?\bid\s*=\s*"([^"]+)"[^>]*>"#;
    WEB_SDK_RE = r#"(?i)"Microsoft\.NET\.Sdk\.(?:Web|Razor|Blazor)|Name\s*=\s*"Microsoft\.NET\.Sdk\.Web"#;
    OUTPUT_EXE_RE = r"(?i)<OutputType>\s*(?:Exe|WinExe)\s*</OutputType>";
    TEST_PROJECT_RE = r#"(?i)<IsTestProject>\s*true\s*</IsTestProject>|Include\s*=\s*"Microsoft\.NET\.Test\.Sdk""#;
}

fn parse_nuget_list(m: &mut Manifest, text: &str, re: &Regex) {
    let text = &blank_comments(text, "<!--", "-->");
    for caps in re.captures_iter(text) {
        let Some(whole) = caps.get(0) else { continue };
        let dev = whole.as_str().to_lowercase().contains("developmentdependency=\"true\"");
        m.add_dep(&caps[1], dev, line_of(text, whole.start()));
    }
}

fn parse_msbuild_project(m: &mut Manifest, text: &str) {
    let text = &blank_comments(text, "<!--", "-->");
    // Everything a test project references only serves its tests.
    let test_project = TEST_PROJECT_RE.is_match(text);
    for caps in PACKAGE_REFERENCE_RE.captures_iter(text) {
        let start = start_of(&caps);
        m.add_dep(&caps[1], test_project, line_of(text, start));
    }
    let declared = xml_tag(text, "PackageId").or_else(|| xml_tag(text, "AssemblyName"));
    let stem = file_stem(&m.path).to_string();
    m.set_name(declared.filter(|n| !n.contains("$(")).or(Some(stem.as_str())));
    m.web_sdk = WEB_SDK_RE.is_match(text);
    if OUTPUT_EXE_RE.is_match(text) {
        m.add_binary(&stem);
    } else {
        m.has_library = !m.web_sdk;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(path: &str, text: &str) -> Manifest {
        parse(path, text).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// `name@line` per dependency, `+` marking dev ones, in manifest order.
    fn summary(m: &Manifest) -> String {
        let one = |d: &Dependency| format!("{}{}@{}", if d.dev { "+" } else { "" }, d.name, d.line);
        m.dependencies.iter().map(one).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn mix_exs_deps_dev_and_optional_cargo() {
        let mix = "defmodule Hexpm.MixProject do\n  def project, do: [app: :hexpm, deps: deps()]\n  def application, do: [mod: {Hexpm.Application, []}]\n  defp deps do\n    [\n      {:phoenix, \"~> 1.6\"},\n      {:credo, \"~> 1.7\", only: [:dev, :test]},\n      # {:old, \"1.0\"}\n    ]\n  end\nend\n";
        let m = parse("mix.exs", mix).unwrap();
        assert_eq!(m.name.as_deref(), Some("hexpm"));
        let names: Vec<(&str, bool)> = m.dependencies.iter().map(|d| (d.name.as_str(), d.dev)).collect();
        assert_eq!(names, [("phoenix", false), ("credo", true)]);
        assert!(!m.has_library);
        let cargo = parse(
            "Cargo.toml",
            "[package]\nname = \"x\"\n[dependencies]\naxum = { version = \"0.7\", optional = true }\nserde = \"1\"\n",
        )
        .unwrap();
        assert!(cargo.dependencies.iter().any(|d| d.name == "axum" && d.optional));
        assert!(cargo.dependencies.iter().any(|d| d.name == "serde" && !d.optional));
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
    fn cargo_workspace_renames_and_targets() {
        let text = r#"[package]
name = "apelint"

[lib]
path = "src/lib.rs"

[[bin]]
name = "ape"

[workspace]
members = ["crates/*", "xtask"]

[workspace.dependencies]
anyhow = "1"

[dependencies]
serde = { version = "1", features = ["derive"] }
toml_edit = "0.22"
weird = 3
json = { package = "serde_json", version = "1" }

[dev-dependencies]
insta = "1"

[build-dependencies.cc]
version = "1"

[target.'cfg(unix)'.dependencies]
libc = "0.2"

[target."cfg(windows)".dev-dependencies]
winapi = "0.3"
"#;
        let m = ok("Cargo.toml", text);
        assert_eq!(m.name.as_deref(), Some("apelint"));
        assert!(m.has_library);
        assert_eq!(m.binaries, ["ape"]);
        assert_eq!(m.workspace_members, ["crates/*", "xtask"]);
        let want = "anyhow@14 serde@17 toml-edit@18 serde-json@20 +insta@23 +cc@25 libc@29 +winapi@32";
        assert_eq!(summary(&m), want);
    }

    #[test]
    fn malformed_toml_and_json_report_positions() {
        let err = parse("Cargo.toml", "[package]\nname = \"x\"\nversion = \n").unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        assert!(err.column.is_some());
        assert!(err.to_string().contains("line 3"));
        let json = "{\n  \"name\": \"x\",\n  \"dependencies\": {,}\n}";
        let err = parse("package.json", json).unwrap_err();
        assert_eq!((err.line, err.column), (Some(3), Some(20)), "{err}");
        assert!(!err.message.contains("line"));
        assert!(parse("pyproject.toml", "[project\n").is_err());
        assert!(parse("composer.json", "").is_err());
    }

    #[test]
    fn npm_workspaces_bin_and_scripts() {
        let text = r#"{
  "name": "@acme/tool",
  "private": true,
  "bin": "./bin/tool.js",
  "main": "dist/index.js",
  "workspaces": { "packages": ["packages/*", "apps/web"] },
  "scripts": { "build": "tsc -b", "test": "vitest" },
  "dependencies": { "React": "^18.0.0", "zod": "3" },
  "peerDependencies": { "react-dom": "*" },
  "devDependencies": { "typescript": "^5" },
  "optionalDependencies": 5
}"#;
        let m = ok("packages/tool/package.json", text);
        assert_eq!(m.name.as_deref(), Some("@acme/tool"));
        assert!(m.private && m.has_library);
        assert_eq!(m.binaries, ["tool"]);
        assert_eq!(m.workspace_members, ["packages/*", "apps/web"]);
        assert_eq!(m.scripts.get("build").map(String::as_str), Some("tsc -b"));
        assert_eq!(summary(&m), "react@8 zod@8 react-dom@9 +typescript@10");

        let m = ok("package.json", r#"{"bin": {"a": "x.js"}, "workspaces": ["p/*"]}"#);
        assert_eq!((&m.binaries[..], &m.workspace_members[..]), (&["a".into()][..], &["p/*".into()][..]));
        assert!(!m.has_library && !m.private);
        let weird = r#"{"dependencies": [1, 2], "bin": 7, "scripts": "x", "name": 3}"#;
        let m = ok("package.json", weird);
        assert!(m.dependencies.is_empty() && m.binaries.is_empty() && m.name.is_none());
    }

    #[test]
    fn composer_json() {
        let text = r#"{
    "name": "acme/blog",
    "type": "library",
    "bin": ["bin/blog"],
    "require": { "php": ">=8.1", "ext-json": "*", "Symfony/Console": "^6.0" },
    "require-dev": { "phpunit/phpunit": "^10" },
    "scripts": { "test": "phpunit", "check": ["@cs", "@test"] }
}"#;
        let m = ok("composer.json", text);
        assert_eq!(m.name.as_deref(), Some("acme/blog"));
        assert!(m.has_library);
        assert_eq!(m.binaries, ["blog"]);
        assert_eq!(summary(&m), "symfony/console@5 +phpunit/phpunit@6");
        assert_eq!(m.scripts.get("check").map(String::as_str), Some("@cs && @test"));
    }

    #[test]
    fn django_requirements_txt() {
        let text = "-r base.txt
# pinned
Django==4.2.7  # LTS
celery[redis]>=5

--index-url https://pypi.org/simple
-e git+https://github.com/x/y.git#egg=My_Lib
https://example.com/pkg.tar.gz
psycopg2-binary ; python_version < '3.12'
requests @ https://example.com/requests.whl
./local/pkg
    --hash=sha256:abc
";
        let m = ok("requirements.txt", text);
        assert_eq!(summary(&m), "django@3 celery@4 psycopg2-binary@9 requests@10");
        let m = ok("requirements/dev.txt", "-r base.txt\npytest-django\n");
        assert_eq!(summary(&m), "+pytest-django@2");
        let m = ok("requirements-test.txt", "git+https://x/y#egg=foo&subdirectory=a\n");
        assert_eq!(summary(&m), "+foo@1");
        let m = ok("requirements.txt", "flask\nFlask>=2\nflask_cors\n");
        assert_eq!(summary(&m), "flask@1 flask-cors@3", "duplicates keep the first line");
    }

    #[test]
    fn poetry_pyproject() {
        let text = r#"[tool.poetry]
name = "acme-api"

[tool.poetry.dependencies]
python = "^3.11"
fastapi = "^0.110"
SQLAlchemy = { version = "^2", extras = ["asyncio"] }

[tool.poetry.group.dev.dependencies]
pytest = "^8"

[tool.poetry.dev-dependencies]
black = "*"

[tool.poetry.scripts]
acme = "acme.cli:main"

[build-system]
requires = ["poetry-core"]
"#;
        let m = ok("pyproject.toml", text);
        assert_eq!(m.name.as_deref(), Some("acme-api"));
        assert!(m.has_library);
        assert_eq!(m.binaries, ["acme"]);
        assert_eq!(summary(&m), "fastapi@6 sqlalchemy@7 +pytest@10 +black@13");
    }

    #[test]
    fn pep621_pyproject() {
        let text = r#"[project]
name = "My.Tool"
dependencies = [
    "httpx>=0.27",
    "rich[jupyter]",
    "tomli; python_version < \"3.11\"",
]

[project.optional-dependencies]
postgres = ["psycopg>=3"]
test = ["pytest", "pytest-cov"]

[project.scripts]
mytool = "my_tool.__main__:main"

[dependency-groups]
lint = ["ruff", {include-group = "typing"}]

[tool.pdm.dev-dependencies]
docs = ["mkdocs"]
"#;
        let m = ok("tools/pyproject.toml", text);
        assert_eq!(m.name.as_deref(), Some("My.Tool"));
        assert!(m.has_library);
        assert_eq!(m.binaries, ["mytool"]);
        let want = "httpx@4 rich@5 tomli@6 psycopg@10 +pytest@11 +pytest-cov@11 +ruff@17 +mkdocs@20";
        assert_eq!(summary(&m), want);
        assert!(!ok("pyproject.toml", "[tool.ruff]\nline-length = 100\n").has_library);
    }

    #[test]
    fn setup_cfg() {
        let text = "[metadata]
name = acme

[options]
packages = find:
install_requires =
    requests>=2
    click

[options.extras_require]
test =
    pytest
yaml = PyYAML

[options.entry_points]
console_scripts =
    acme = acme.cli:main

[flake8]
max-line-length = 100
";
        let m = ok("setup.cfg", text);
        assert_eq!(m.name.as_deref(), Some("acme"));
        assert!(m.has_library);
        assert_eq!(m.binaries, ["acme"]);
        assert_eq!(summary(&m), "requests@7 click@8 +pytest@12 pyyaml@13");
        assert!(!ok("setup.cfg", "[flake8]\nignore = E501\n").has_library);
    }

    #[test]
    fn pipfile_and_setup_py() {
        let text = r#"[[source]]
url = "https://pypi.org/simple"

[packages]
flask = "*"
"Flask-Login" = {version = "*"}

[dev-packages]
pytest = "*"
"#;
        assert_eq!(summary(&ok("Pipfile", text)), "flask@5 flask-login@6 +pytest@9");

        let text = r#"from setuptools import setup
# install_requires=['fake']
TESTS = ['pytest']
setup(
    name='acme',
    install_requires=[
        'numpy>=1.20',
        "pandas",
    ],
    tests_require=TESTS,
    entry_points={'console_scripts': ['acme=acme.cli:main']},
)
"#;
        let m = ok("setup.py", text);
        assert_eq!(m.name.as_deref(), Some("acme"));
        assert_eq!(m.binaries, ["acme"]);
        assert_eq!(summary(&m), "+pytest@3 numpy@7 pandas@8");
    }

    #[test]
    fn go_mod_and_go_work() {
        let text = "module github.com/acme/svc

go 1.22

require github.com/spf13/cobra v1.8.0

require (
\tgithub.com/Acme/Lib v0.1.0
\tgolang.org/x/sys v0.20.0 // indirect
)

replace github.com/acme/lib => ../lib
exclude (
\texample.com/bad v1.0.0
)
";
        let m = ok("svc/go.mod", text);
        assert_eq!(m.name.as_deref(), Some("github.com/acme/svc"));
        let want = "github.com/spf13/cobra@5 github.com/Acme/Lib@8 golang.org/x/sys@9";
        assert_eq!(summary(&m), want);
        let m = ok("go.work", "go 1.22\n\nuse (\n\t./svc\n\t./lib // shared\n)\nuse ./tools\n");
        assert_eq!(m.ecosystem, Ecosystem::Go);
        assert_eq!(m.workspace_members, ["./svc", "./lib", "./tools"]);
    }

    #[test]
    fn rails_gemfile_with_groups() {
        let text = r#"source "https://rubygems.org"
ruby "3.3.0"

gem "rails", "~> 7.1"
gem 'pg', '~> 1.1'
# gem "redis"
gem "bootsnap", require: false

group :development, :test do
  gem "debug", platforms: %i[ mri windows ]
  if ENV["CI"]
    gem "simplecov"
  end
end

group :development do
  gem "web-console"
end

group :production do
  gem "lograge"
end
gem "rspec-rails", group: [:development, :test]
gem "Puma"
"#;
        let want = "rails@4 pg@5 bootsnap@7 +debug@10 +simplecov@12 +web-console@17 lograge@21 \
            +rspec-rails@23 puma@24";
        assert_eq!(summary(&ok("Gemfile", text)), want.split_whitespace().collect::<Vec<_>>().join(" "));
    }

    #[test]
    fn gemfile_lock_and_gemspec() {
        let text = "GEM
  remote: https://rubygems.org/
  specs:
    actionpack (7.1.0)
      rack (>= 2.2.4)
    rack (3.0.8)

PLATFORMS
  ruby

DEPENDENCIES
  rails (~> 7.1)
  my_gem!

BUNDLED WITH
   2.5.3
";
        assert_eq!(summary(&ok("Gemfile.lock", text)), "actionpack@4 rack@6 rails@12 my_gem@13");

        let text = r#"Gem::Specification.new do |spec|
  spec.name          = "acme-cli"
  spec.executables   = %w[acme acme-admin]
  spec.add_dependency "thor", "~> 1.3"
  spec.add_runtime_dependency("zeitwerk")
  spec.add_development_dependency "rspec", "~> 3.12"
  # spec.add_dependency "fake"
end
"#;
        let m = ok("acme-cli.gemspec", text);
        assert_eq!(m.name.as_deref(), Some("acme-cli"));
        assert!(m.has_library);
        assert_eq!(m.binaries, ["acme", "acme-admin"]);
        assert_eq!(summary(&m), "thor@4 zeitwerk@5 +rspec@6");
        assert_eq!(ok("x.gemspec", "s.executables = [\"a\", 'b']\n").binaries, ["a", "b"]);
    }

    #[test]
    fn pom_with_spring_boot_parent() {
        let text = r#"<?xml version="1.0" encoding="UTF-8"?>
<project>
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-starter-parent</artifactId>
  </parent>
  <groupId>com.acme</groupId>
  <artifactId>orders</artifactId>
  <modules>
    <module>orders-api</module>
  </modules>
  <dependencies>
    <dependency>
      <groupId>org.springframework.boot</groupId>
      <artifactId>spring-boot-starter-web</artifactId>
    </dependency>
    <!-- <dependency><groupId>fake</groupId><artifactId>fake</artifactId></dependency> -->
    <dependency>
      <groupId>org.junit.jupiter</groupId>
      <artifactId>junit-jupiter</artifactId>
      <scope>test</scope>
    </dependency>
    <dependency>
      <groupId>jakarta.servlet</groupId>
      <artifactId>jakarta.servlet-api</artifactId>
      <scope>provided</scope>
    </dependency>
  </dependencies>
</project>
"#;
        let m = ok("orders/pom.xml", text);
        assert_eq!(m.name.as_deref(), Some("com.acme:orders"));
        assert!(m.web_sdk && m.has_library);
        assert_eq!(m.workspace_members, ["orders-api"]);
        let want = "org.springframework.boot:spring-boot-starter-web@14 \
            +org.junit.jupiter:junit-jupiter@19 +jakarta.servlet:jakarta.servlet-api@24";
        assert_eq!(summary(&m), want.split_whitespace().collect::<Vec<_>>().join(" "));
        let text = "<project><parent><groupId>g</groupId></parent>\
            <artifactId>a</artifactId><packaging>pom</packaging></project>";
        let m = ok("pom.xml", text);
        assert_eq!((m.name.as_deref(), m.has_library, m.web_sdk), (Some("g:a"), false, false));
    }

    #[test]
    fn gradle_kotlin_dsl() {
        let text = r#"plugins {
    id("org.springframework.boot") version "3.2.0"
    application
}

dependencies {
    implementation("org.springframework.boot:spring-boot-starter-web")
    implementation(platform("org.jetbrains.kotlin:kotlin-bom:1.9.0"))
    implementation(project(":core"))
    // implementation("fake:fake:1")
    runtimeOnly("org.postgresql:postgresql:42.7.1")
    testImplementation("io.mockk:mockk:1.13.8")
}
"#;
        let m = ok("app/build.gradle.kts", text);
        assert!(m.web_sdk);
        assert_eq!(m.binaries, ["application"]);
        let want = "org.springframework.boot:spring-boot-starter-web@7 org.jetbrains.kotlin:kotlin-bom@8 \
            org.postgresql:postgresql@11 +io.mockk:mockk@12";
        assert_eq!(summary(&m), want.split_whitespace().collect::<Vec<_>>().join(" "));
    }

    #[test]
    fn gradle_groovy_dsl() {
        let text = r#"plugins {
    id 'java-library'
}

dependencies {
    api 'com.google.guava:guava:33.0.0-jre'
    compileOnly group: 'org.projectlombok', name: 'lombok', version: '1.18.30'
    testImplementation "junit:junit:$junitVersion"
    androidTestImplementation 'androidx.test:runner:1.5.2'
}
"#;
        let m = ok("lib/build.gradle", text);
        assert!(m.has_library && !m.web_sdk && m.binaries.is_empty());
        let want = "com.google.guava:guava@6 org.projectlombok:lombok@7 +junit:junit@8 \
            +androidx.test:runner@9";
        assert_eq!(summary(&m), want.split_whitespace().collect::<Vec<_>>().join(" "));
    }

    #[test]
    fn gradle_settings_and_version_catalog() {
        let text = "rootProject.name = \"shop\"\ninclude(\":app\", \":core\")\n\
            include(\n    \":lib\"\n)\nincludeBuild(\"build-logic\")\n";
        let m = ok("settings.gradle.kts", text);
        assert_eq!(m.name.as_deref(), Some("shop"));
        assert_eq!(m.workspace_members, [":app", ":core", ":lib"]);
        let m = ok("settings.gradle", "include ':app', ':web'\n");
        assert_eq!(m.workspace_members, [":app", ":web"]);

        let text = r#"[versions]
kotlin = "1.9.0"

[libraries]
guava = "com.google.guava:guava:33.0.0-jre"
okhttp = { module = "com.squareup.okhttp3:okhttp", version = "4.12.0" }
junit = { group = "junit", name = "junit", version.ref = "junit" }
bad = 7

[plugins]
spring-boot = { id = "org.springframework.boot", version = "3.2.0" }
"#;
        let m = ok("gradle/libs.versions.toml", text);
        assert!(m.web_sdk);
        let want = "com.google.guava:guava@5 com.squareup.okhttp3:okhttp@6 junit:junit@7";
        assert_eq!(summary(&m), want);
    }

    #[test]
    fn dotnet_web_project() {
        let text = "\u{feff}<Project Sdk=\"Microsoft.NET.Sdk.Web\">
  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include=\"Serilog.AspNetCore\" Version=\"8.0.0\" />
    <!-- <PackageReference Include=\"Fake\" /> -->
    <PackageReference Update=\"Swashbuckle.AspNetCore\" />
  </ItemGroup>
</Project>
";
        let m = ok("src/Shop.Api/Shop.Api.csproj", text);
        assert!(m.web_sdk && !m.has_library);
        assert_eq!(m.name.as_deref(), Some("Shop.Api"));
        assert_eq!(summary(&m), "serilog.aspnetcore@6 swashbuckle.aspnetcore@8");
    }

    #[test]
    fn dotnet_exe_tests_and_central_packages() {
        let exe = "<Project Sdk=\"Microsoft.NET.Sdk\"><OutputType>Exe</OutputType></Project>";
        let m = ok("Tool.fsproj", exe);
        assert_eq!(m.binaries, ["Tool"]);
        assert!(!m.has_library && !m.web_sdk);
        let tests = "<Project Sdk=\"Microsoft.NET.Sdk\">\n<PackageReference Include=\"xunit\" />\n\
            <PackageReference Include=\"Microsoft.NET.Test.Sdk\" />\n</Project>";
        let m = ok("Lib.Tests.csproj", tests);
        assert!(m.has_library && m.dependencies.iter().all(|d| d.dev));
        let props = "<Project>\n  <ItemGroup>\n    <PackageVersion Include=\"Polly\" Version=\"8.2.0\" />";
        assert_eq!(summary(&ok("Directory.Packages.props", props)), "polly@3");
        let config = "<packages>\n  <package id=\"NUnit\" version=\"3\" />\n  \
            <package id=\"StyleCop\" developmentDependency=\"true\" />\n</packages>";
        assert_eq!(summary(&ok("packages.config", config)), "nunit@2 +stylecop@3");
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
