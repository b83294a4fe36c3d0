//! Cargo: `Cargo.toml`, with workspace, renamed, target-specific and optional dependencies.

use toml::{Table, Value as Toml};

use super::lines::TomlLines;
use super::shared::{parse_toml, str_at, table_at, toml_at, toml_entries, toml_strings};
use super::{Manifest, ManifestError};

pub(super) fn parse_cargo(m: &mut Manifest, text: &str) -> Result<(), ManifestError> {
    let doc = parse_toml(text)?;
    let lines = TomlLines::new(text);
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

fn cargo_deps(m: &mut Manifest, lines: &TomlLines<'_>, doc: &Table, path: &[&str], dev: bool) {
    let Some(entries) = table_at(doc, path) else {
        return;
    };
    let section = lines.section(path);
    for (key, value) in entries {
        let real = match value {
            Toml::String(_) => key.as_str(),
            Toml::Table(t) => t.get("package").and_then(Toml::as_str).unwrap_or(key),
            _ => continue, // not a valid dependency spec
        };
        m.add_dep(real, dev, lines.key_line(&section, key));
        if let Toml::Table(t) = value {
            if let Some(last) = m.dependencies.last_mut() {
                last.optional |= t.get("optional").and_then(Toml::as_bool) == Some(true);
                last.features |= t.get("features").and_then(Toml::as_array).is_some_and(|list| !list.is_empty());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{ok, summary};

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
}
