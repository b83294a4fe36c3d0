//! The peer dependencies npm lockfiles record: which packages a package needs its user to
//! install beside it (`nestjs-pino` needs `pino-http`). A project declares such a package only
//! because the wrapper asks for it, and uses it through the wrapper, never by name.
//!
//! Read from `pnpm-lock.yaml` (any version), Yarn Berry's `yarn.lock` and `package-lock.json` /
//! `npm-shrinkwrap.json` (versions 2 and 3); Yarn 1's lockfile records no peers. The YAML ones are
//! read line by line, by indentation, which is all their regular shape needs.

use std::collections::{HashMap, HashSet};

/// Peer dependencies by the (lowercased) name of the package that asks for them.
#[derive(Debug, Default)]
pub struct Peers {
    by_owner: HashMap<String, HashSet<String>>,
}

impl Peers {
    /// Whether the lockfiles say `owner` needs `peer` installed beside it.
    pub fn requires(&self, owner: &str, peer: &str) -> bool {
        self.by_owner.get(&owner.to_ascii_lowercase()).is_some_and(|peers| peers.contains(&peer.to_ascii_lowercase()))
    }

    /// Whether `path` names a lockfile this reads.
    pub fn is_lockfile(path: &str) -> bool {
        let name = path.rsplit('/').next().unwrap_or(path);
        matches!(name, "pnpm-lock.yaml" | "yarn.lock" | "package-lock.json" | "npm-shrinkwrap.json")
    }

    /// Adds what the lockfile at `path` records.
    pub fn read(&mut self, path: &str, text: &str) {
        if path.ends_with(".json") {
            self.read_json(text);
        } else {
            self.read_yaml(text);
        }
    }

    fn add(&mut self, owner: &str, peer: &str) {
        self.by_owner.entry(owner.to_ascii_lowercase()).or_default().insert(peer.to_ascii_lowercase());
    }

    /// `package-lock.json`: `"packages": {"node_modules/nestjs-pino": {"peerDependencies": {...}}}`.
    fn read_json(&mut self, text: &str) {
        let Ok(serde_json::Value::Object(lock)) = serde_json::from_str::<serde_json::Value>(text) else { return };
        let Some(serde_json::Value::Object(packages)) = lock.get("packages") else { return };
        for (key, package) in packages {
            let Some(owner) = key.rsplit("node_modules/").next().filter(|owner| !owner.is_empty() && key != owner)
            else {
                continue;
            };
            let Some(serde_json::Value::Object(peers)) = package.get("peerDependencies") else { continue };
            for peer in peers.keys() {
                self.add(owner, peer);
            }
        }
    }

    /// pnpm (`nestjs-pino@4.6.1:` with a `peerDependencies:` map below it) and Yarn Berry
    /// (`"nestjs-pino@npm:^4.1.0":` likewise).
    fn read_yaml(&mut self, text: &str) {
        // The keys that open a map, outermost first, with their indentation.
        let mut keys: Vec<(usize, &str)> = Vec::new();
        // Inside a `peerDependencies:` map: its indentation and its owner.
        let mut block: Option<(usize, String)> = None;
        for line in text.lines() {
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let indent = line.len() - trimmed.len();
            if let Some((at, owner)) = &block {
                if indent > *at {
                    if let Some((peer, _)) = trimmed.split_once(':') {
                        let owner = owner.clone();
                        self.add(&owner, unquote(peer));
                    }
                    continue;
                }
                block = None;
            }
            while keys.last().is_some_and(|(at, _)| *at >= indent) {
                keys.pop();
            }
            let trimmed = trimmed.trim_end();
            if trimmed == "peerDependencies:" {
                if let Some(owner) = keys.last().and_then(|(_, key)| package_name(key)) {
                    block = Some((indent, owner.to_string()));
                }
            } else if let Some(key) = trimmed.strip_suffix(':') {
                keys.push((indent, key));
            }
        }
    }
}

fn unquote(text: &str) -> &str {
    text.trim().trim_matches(|c| c == '\'' || c == '"')
}

/// The package a lockfile key names: `nestjs-pino@4.6.1(…)`, `'@nestjs/common@10.0.0'`, pnpm 5's
/// `/nestjs-pino/4.6.1`, Yarn's `"nestjs-pino@npm:^4.1.0, nestjs-pino@npm:^4.2.0"`.
fn package_name(key: &str) -> Option<&str> {
    let key = unquote(key);
    let key = key.strip_prefix('/').unwrap_or(key);
    let key = key.split(',').next()?.trim();
    let scope = if key.starts_with('@') { key.find('/')? + 1 } else { 0 };
    let rest = &key[scope..];
    let end = rest.find(['@', '/', '(']).unwrap_or(rest.len());
    Some(&key[..scope + end]).filter(|name| !name.is_empty() && scope + end > scope)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_lockfile_keys() {
        assert_eq!(package_name("nestjs-pino@4.6.1(pino@10.1.0)"), Some("nestjs-pino"));
        assert_eq!(package_name("'@nestjs/common@10.0.0'"), Some("@nestjs/common"));
        assert_eq!(package_name("/nestjs-pino/4.6.1"), Some("nestjs-pino"));
        assert_eq!(package_name("/@sentry/node@7.0.0"), Some("@sentry/node"));
        assert_eq!(package_name("\"nestjs-pino@npm:^4.1.0, nestjs-pino@npm:^4.2.0\""), Some("nestjs-pino"));
        assert_eq!(package_name("@scope"), None);
        assert_eq!(package_name("''"), None);
    }

    #[test]
    fn pnpm_and_yarn_berry_peers() {
        let pnpm = "lockfileVersion: '9.0'\n\npackages:\n\n  nestjs-pino@4.6.1:\n    resolution: {integrity: x}\n    peerDependencies:\n      '@nestjs/common': ^11.0.0\n      pino-http: ^6.4.0 || ^11.0.0\n    peerDependenciesMeta:\n      rxjs:\n        optional: true\n\n  pino@10.1.0:\n    resolution: {integrity: y}\n";
        let mut peers = Peers::default();
        peers.read("pnpm-lock.yaml", pnpm);
        assert!(peers.requires("nestjs-pino", "pino-http"));
        assert!(peers.requires("nestjs-pino", "@nestjs/common"));
        assert!(!peers.requires("nestjs-pino", "rxjs"));
        assert!(!peers.requires("pino", "pino-http"));

        let berry = "__metadata:\n  version: 8\n\n\"express-winston@npm:^4.2.0\":\n  version: 4.2.0\n  dependencies:\n    chalk: \"npm:^2.4.2\"\n  peerDependencies:\n    winston: \">=3.x <4\"\n  checksum: abc\n";
        let mut peers = Peers::default();
        peers.read("yarn.lock", berry);
        assert!(peers.requires("express-winston", "winston"));
        assert!(!peers.requires("express-winston", "chalk"));
    }

    #[test]
    fn package_lock_peers() {
        let lock = r#"{"lockfileVersion": 3, "packages": {"": {"dependencies": {"winston": "^3"}},
            "node_modules/express-winston": {"peerDependencies": {"winston": ">=3.x <4"}},
            "node_modules/a/node_modules/@x/y": {"peerDependencies": {"z": "1"}}}}"#;
        let mut peers = Peers::default();
        peers.read("package-lock.json", lock);
        assert!(peers.requires("express-winston", "winston"));
        assert!(peers.requires("@x/y", "z"));
        peers.read("package-lock.json", "not json [");
    }
}
