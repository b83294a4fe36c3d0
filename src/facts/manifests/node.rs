//! npm and Composer: `package.json` and `composer.json`, which share their JSON handling.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use super::lines::JsonLines;
use super::shared::{json_keys, json_strings, parse_json};
use super::{Manifest, ManifestError, file_name, file_stem};

pub(super) fn parse_npm(m: &mut Manifest, text: &str) -> Result<(), ManifestError> {
    let doc = parse_json(text)?;
    let lines = JsonLines::new(text);
    m.set_name(doc.get("name").and_then(Json::as_str));
    let sections = [
        ("dependencies", false),
        ("optionalDependencies", false),
        ("peerDependencies", false),
        ("devDependencies", true),
    ];
    for (section, dev) in sections {
        let start = lines.section(section);
        for (key, _) in json_keys(&doc, section) {
            m.add_dep(key, dev, lines.key_line(start, key));
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
    // A package.json still at `npm init`'s defaults (an empty description and author) was never
    // set up to be published: a folder's scaffold (a lambda's), not a library.
    let blank = |key: &str| doc.get(key).and_then(Json::as_str).is_some_and(str::is_empty);
    m.has_library =
        lib_keys.iter().any(|k| doc.get(k).is_some_and(|v| !v.is_null())) && !(blank("description") && blank("author"));
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

pub(super) fn parse_composer(m: &mut Manifest, text: &str) -> Result<(), ManifestError> {
    let doc = parse_json(text)?;
    let lines = JsonLines::new(text);
    m.set_name(doc.get("name").and_then(Json::as_str));
    for (section, dev) in [("require", false), ("require-dev", true)] {
        let start = lines.section(section);
        // Platform packages (php, ext-*, lib-*, composer-plugin-api) have no vendor prefix.
        for (key, _) in json_keys(&doc, section).filter(|(k, _)| k.contains('/')) {
            m.add_dep(key, dev, lines.key_line(start, key));
        }
    }
    json_strings(doc.get("bin")).for_each(|b| m.add_binary(file_name(b)));
    m.has_library = doc.get("type").and_then(Json::as_str) == Some("library");
    m.scripts = json_scripts(&doc);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::tests::{ok, summary};

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
    fn a_package_json_at_npm_inits_defaults_is_no_library() {
        let scaffold = r#"{"name": "send-mail", "version": "1.0.0", "description": "", "main": "index.js", "author": "", "license": "ISC"}"#;
        assert!(!ok("scripts/send-mail/package.json", scaffold).has_library);
        let library = r#"{"name": "send-mail", "version": "1.0.0", "description": "Send mail", "main": "index.js", "author": ""}"#;
        assert!(ok("package.json", library).has_library);
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
}
