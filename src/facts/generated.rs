//! Trees the repository did not write by hand: what `.gitattributes` marks `linguist-generated` or
//! `linguist-vendored` (GitHub's own convention: such files are folded in diffs and left out of
//! the language statistics), and the output folders of code generators that leave a marker beside
//! what they wrote (OpenAPI Generator's `.openapi-generator/`, Swagger Codegen's
//! `.swagger-codegen/`). No rule judges a file in them: a finding there is the generator's or the
//! upstream project's, and is fixed by regenerating or upgrading, not by editing.

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::path::Path;

/// Why a file is not the repository's own writing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Generated,
    Vendored,
}

/// The folders generators mark as their output, by the marker they leave inside.
const GENERATOR_MARKERS: &[&str] = &[".openapi-generator", ".openapi-generator-ignore", ".swagger-codegen"];

/// Linguist's vendored folders, as gitignore patterns.
const VENDORED_BY_CONVENTION: &[&str] = &["/deps/", "3rdparty/", "3rd_party/", "3rd-party/", "thirdparty/", "extern/"];

/// The generated and vendored trees of a repository.
#[derive(Debug, Default)]
pub struct Generated {
    /// `.gitattributes` patterns with `linguist-generated` (set, not unset).
    generated: Option<Gitignore>,
    vendored: Option<Gitignore>,
    /// Folders (with a trailing `/`) that a generator marked as its output.
    folders: Vec<String>,
}

impl Generated {
    /// Reads every `.gitattributes` of the tree (each applies under its folder) and finds the
    /// generators' markers. `read` gives a file's text.
    pub fn new<'a>(
        root: &Path,
        files: impl IntoIterator<Item = &'a str>,
        dirs: impl IntoIterator<Item = &'a str>,
        read: impl Fn(&str) -> Option<String>,
    ) -> Generated {
        let mut generated = GitignoreBuilder::new(root);
        let mut vendored = GitignoreBuilder::new(root);
        // GitHub Linguist's vendored-path conventions (its `vendor.yml`) that the walk does not
        // already leave out: a C project's `deps/` at the root, `3rdparty/` and its spellings.
        // `.gitattributes` can take any of them back with `-linguist-vendored`.
        for convention in VENDORED_BY_CONVENTION {
            vendored.add_line(None, convention).expect("valid pattern");
        }
        let (mut any_generated, mut any_vendored) = (false, true);
        let mut folders = Vec::new();
        for path in files.into_iter().chain(dirs) {
            let (folder, name) = path.rsplit_once('/').map_or(("", path), |(folder, name)| (folder, name));
            if GENERATOR_MARKERS.contains(&name) {
                folders.push(if folder.is_empty() { String::new() } else { format!("{folder}/") });
                continue;
            }
            if name != ".gitattributes" {
                continue;
            }
            let Some(text) = read(path) else { continue };
            for line in text.lines().take(10_000) {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                let mut parts = line.split_whitespace();
                let Some(pattern) = parts.next() else { continue };
                // A pattern of a nested `.gitattributes` is relative to its folder.
                let pattern = match (folder.is_empty(), pattern.strip_prefix('/')) {
                    (true, _) => pattern.to_string(),
                    (false, Some(anchored)) => format!("/{folder}/{anchored}"),
                    (false, None) if pattern.contains('/') => format!("/{folder}/{pattern}"),
                    (false, None) => format!("/{folder}/**/{pattern}"),
                };
                for attribute in parts {
                    let set = |name: &str| attribute == name || attribute == format!("{name}=true");
                    if set("linguist-generated") && generated.add_line(None, &pattern).is_ok() {
                        any_generated = true;
                    }
                    if set("linguist-vendored") && vendored.add_line(None, &pattern).is_ok() {
                        any_vendored = true;
                    }
                    if attribute == "-linguist-vendored" || attribute == "linguist-vendored=false" {
                        let _ = vendored.add_line(None, &format!("!{pattern}"));
                    }
                }
            }
        }
        folders.sort();
        folders.dedup();
        Generated {
            generated: any_generated.then(|| generated.build().ok()).flatten(),
            vendored: any_vendored.then(|| vendored.build().ok()).flatten(),
            folders,
        }
    }

    /// Whether the file at `path` lies in a generated or vendored tree, and which.
    pub fn kind(&self, path: &str) -> Option<Kind> {
        if self.folders.iter().any(|folder| path.starts_with(folder.as_str())) {
            return Some(Kind::Generated);
        }
        let hit = |matcher: &Option<Gitignore>| {
            matcher.as_ref().is_some_and(|m| m.matched_path_or_any_parents(path, false).is_ignore())
        };
        if hit(&self.generated) {
            Some(Kind::Generated)
        } else if hit(&self.vendored) {
            Some(Kind::Vendored)
        } else {
            None
        }
    }
}

/// The answers a project generator keeps at the root of a project it wrote, so that it can update
/// it later: Yeoman's `.yo-rc.json` (under a `generator-*` key), Copier's answers, cruft's state.
const PROJECT_GENERATOR_MARKERS: &[&str] =
    &[".yo-rc.json", ".copier-answers.yml", ".copier-answers.yaml", ".cruft.json"];

/// The root READMEs a generator writes.
const READMES: &[&str] = &["README.md", "README.markdown", "README.rst", "README.adoc", "README.txt", "README"];

/// Whether the whole repository is a project generator's output rather than a project written by
/// hand: a generator's answers file at the root (`.yo-rc.json`) *and* a README whose opening still
/// says the project was generated ("This application was generated using JHipster"). A sample or
/// skeleton refreshed by the generator's updates; a team that rewrote the README owns the project.
/// Gives the marker's path.
pub fn project_generator<'a>(
    files: impl IntoIterator<Item = &'a str>,
    read: impl Fn(&str) -> Option<String>,
) -> Option<String> {
    let files: Vec<&str> = files.into_iter().filter(|path| !path.contains('/')).collect();
    let marker = files.iter().find(|path| PROJECT_GENERATOR_MARKERS.contains(path))?;
    if *marker == ".yo-rc.json" && !read(marker).is_some_and(|text| text.contains("\"generator-")) {
        return None;
    }
    let readme = READMES.iter().find(|name| files.contains(name))?;
    let text = read(readme)?;
    let opening: String = text.chars().take(600).collect::<String>().to_lowercase();
    let says = ["was generated", "were generated", "has been generated", "is generated"].iter().any(|phrase| {
        opening.split(phrase).nth(1).is_some_and(|rest| {
            let rest = rest.trim_start();
            rest.starts_with("using ")
                || rest.starts_with("with ")
                || rest.starts_with("by ")
                || rest.starts_with("from ")
        })
    });
    says.then(|| marker.to_string())
}

/// Whether the repository is the source of a project template, which people install by version and
/// start projects from rather than deploy: a `dotnet new` template (`.template.config/template.json`
/// at the root), a cookiecutter template (`cookiecutter.json` beside a `{{cookiecutter.…}}` folder),
/// a Copier or cargo-generate template (`copier.yml`, `cargo-generate.toml`), or a skeleton that
/// `composer create-project` copies: its manifest says it is a project to start from
/// (`composer.json` `"type": "project"`), and it keeps at least two files at the root that its
/// `.gitattributes` leaves out of the copies (`export-ignore`: the template's own changelog and
/// tooling), which a project made from it therefore lacks. Gives the evidence.
pub fn project_template<'a>(
    files: impl IntoIterator<Item = &'a str>,
    read: impl Fn(&str) -> Option<String>,
) -> Option<String> {
    let all: Vec<&str> = files.into_iter().collect();
    // A `dotnet new` template whose content is the repository (`.template.config/template.json` at
    // the root), released as a template package.
    if all.contains(&".template.config/template.json") {
        return Some("`.template.config/template.json` makes the repository a `dotnet new` template".to_string());
    }
    // A cookiecutter template: `cookiecutter.json` at the root beside the folder it copies, named
    // with a variable (`{{cookiecutter.project_slug}}/`).
    if all.contains(&"cookiecutter.json") && all.iter().any(|path| path.starts_with("{{cookiecutter.")) {
        return Some(
            "`cookiecutter.json` and a `{{cookiecutter.…}}` folder make the repository a cookiecutter template"
                .to_string(),
        );
    }
    // A Copier template (`copier.yml`; a project made from one keeps `.copier-answers.yml` instead)
    // and a cargo-generate template (`cargo-generate.toml`).
    for (marker, tool) in
        [("copier.yml", "Copier"), ("copier.yaml", "Copier"), ("cargo-generate.toml", "cargo-generate")]
    {
        if all.contains(&marker) {
            return Some(format!("`{marker}` makes the repository a {tool} template"));
        }
    }
    let files: Vec<&str> = all.into_iter().filter(|path| !path.contains('/')).collect();
    if !files.contains(&"composer.json") || !files.contains(&".gitattributes") {
        return None;
    }
    let manifest: serde_json::Value = serde_json::from_str(&read("composer.json")?).ok()?;
    if manifest.get("type").and_then(|kind| kind.as_str()) != Some("project") {
        return None;
    }
    let attributes = read(".gitattributes")?;
    let kept: Vec<&str> = attributes
        .lines()
        .take(10_000)
        .filter_map(|line| {
            let mut parts = line.split_whitespace();
            let pattern = parts.next()?.trim_start_matches('/');
            parts.any(|attribute| attribute == "export-ignore").then_some(pattern)
        })
        .filter(|pattern| !pattern.starts_with(".github") && !pattern.contains(['*', '?', '[', '/']))
        .filter(|pattern| files.contains(pattern))
        .collect();
    (kept.len() >= 2).then(|| {
        format!(
            "`composer.json` is a project to start from, and `.gitattributes` leaves {} out of its copies",
            kept.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(files: &[(&str, &str)], dirs: &[&str]) -> Generated {
        let paths: Vec<&str> = files.iter().map(|(path, _)| *path).collect();
        Generated::new(Path::new("/repo"), paths, dirs.iter().copied(), |path| {
            files.iter().find(|(p, _)| *p == path).map(|(_, text)| text.to_string())
        })
    }

    #[test]
    fn gitattributes_marks_generated_and_vendored_trees() {
        let tree = of(
            &[(
                ".gitattributes",
                "# comment\n*.pb.go linguist-generated=true\napi/client/** linguist-generated\nthird/** linguist-vendored\ndocs/** -linguist-generated\nweb/x.js linguist-generated=false\n",
            )],
            &[],
        );
        assert_eq!(tree.kind("pkg/a/b.pb.go"), Some(Kind::Generated));
        assert_eq!(tree.kind("api/client/README.md"), Some(Kind::Generated));
        assert_eq!(tree.kind("third/lib/x.c"), Some(Kind::Vendored));
        assert_eq!(tree.kind("docs/index.md"), None);
        assert_eq!(tree.kind("web/x.js"), None);
        assert_eq!(tree.kind("src/main.go"), None);
    }

    #[test]
    fn linguist_vendored_conventions_apply_unless_gitattributes_takes_them_back() {
        let tree = of(&[], &[]);
        assert_eq!(tree.kind("deps/hdr_histogram/README.md"), Some(Kind::Vendored));
        assert_eq!(tree.kind("src/3rdparty/lib.c"), Some(Kind::Vendored));
        assert_eq!(tree.kind("lib/deps/x.js"), None, "only the root `deps/` is C's convention");
        assert_eq!(tree.kind("src/main.c"), None);
        let tree = of(&[(".gitattributes", "deps/** -linguist-vendored\n")], &[]);
        assert_eq!(tree.kind("deps/own/README.md"), None);
    }

    #[test]
    fn a_nested_gitattributes_applies_under_its_folder() {
        let tree = of(&[("sdk/.gitattributes", "*.ts linguist-generated\n/gen/** linguist-vendored\n")], &[]);
        assert_eq!(tree.kind("sdk/src/a.ts"), Some(Kind::Generated));
        assert_eq!(tree.kind("web/a.ts"), None);
        assert_eq!(tree.kind("sdk/gen/x.c"), Some(Kind::Vendored));
    }

    fn project(files: &[(&str, &str)]) -> Option<String> {
        project_generator(files.iter().map(|(path, _)| *path), |path| {
            files.iter().find(|(p, _)| *p == path).map(|(_, text)| text.to_string())
        })
    }

    #[test]
    fn a_generators_answers_and_its_readme_make_a_generated_project() {
        let answers = (".yo-rc.json", r#"{ "generator-acme": { "baseName": "shop" } }"#);
        let generated = ("README.md", "# shop\n\nThis application was generated using Acme 2.1.\n");
        let rewritten = ("README.md", "# shop\n\nThe shop our team runs for the Paris stores.\n");
        assert_eq!(project(&[answers, generated]).as_deref(), Some(".yo-rc.json"));
        assert_eq!(project(&[answers, rewritten]), None);
        assert_eq!(project(&[generated]), None);
        assert_eq!(project(&[(".yo-rc.json", "{}"), generated]), None);
        assert_eq!(project(&[("app/.yo-rc.json", answers.1), generated]), None);
    }

    #[test]
    fn a_project_templates_source_keeps_what_its_copies_leave_out() {
        let template = |attributes: &str, extra: &[&str]| {
            let mut files = vec![
                ("composer.json", r#"{"name": "acme/skeleton", "type": "project"}"#),
                (".gitattributes", attributes),
            ];
            files.extend(extra.iter().map(|path| (*path, "")));
            project_template(files.iter().map(|(path, _)| *path), |path| {
                files.iter().find(|(p, _)| *p == path).map(|(_, text)| text.to_string())
            })
        };
        let attributes =
            "* text=auto\n/.github export-ignore\nCHANGELOG.md export-ignore\n.styleci.yml export-ignore\n";
        assert!(template(attributes, &["CHANGELOG.md", ".styleci.yml"]).is_some());
        // A project made from it: the left-out files are gone, or only one came back.
        assert!(template(attributes, &[]).is_none());
        assert!(template(attributes, &["CHANGELOG.md"]).is_none());
        assert!(template("/.github export-ignore\n", &[".github"]).is_none());
    }

    #[test]
    fn template_engines_mark_their_templates_source() {
        let of = |files: &[&str]| project_template(files.iter().copied(), |_| None);
        assert!(of(&[".template.config/template.json", "src/Web/Web.csproj"]).is_some());
        assert!(of(&["templates/api/.template.config/template.json"]).is_none());
        assert!(of(&["cookiecutter.json", "{{cookiecutter.project_slug}}/README.md"]).is_some());
        assert!(of(&["cookiecutter.json"]).is_none());
        assert!(of(&["copier.yml", "template/README.md.jinja"]).is_some());
        assert!(of(&[".copier-answers.yml"]).is_none());
        assert!(of(&["cargo-generate.toml", "Cargo.toml"]).is_some());
    }

    #[test]
    fn a_generators_marker_makes_its_folder_generated() {
        let tree = of(&[("pkg/client/.openapi-generator-ignore", "")], &["pkg/client/.openapi-generator"]);
        assert_eq!(tree.kind("pkg/client/README.md"), Some(Kind::Generated));
        assert_eq!(tree.kind("pkg/clientx/README.md"), None);
        assert_eq!(tree.kind("pkg/other.go"), None);
    }
}
