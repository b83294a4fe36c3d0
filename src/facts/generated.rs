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

    #[test]
    fn a_generators_marker_makes_its_folder_generated() {
        let tree = of(&[("pkg/client/.openapi-generator-ignore", "")], &["pkg/client/.openapi-generator"]);
        assert_eq!(tree.kind("pkg/client/README.md"), Some(Kind::Generated));
        assert_eq!(tree.kind("pkg/clientx/README.md"), None);
        assert_eq!(tree.kind("pkg/other.go"), None);
    }
}
