//! Helpers shared by the integration tests: fixture copies in temp dirs and running the binary.

#![allow(dead_code, reason = "each test crate uses a different subset of these helpers")]

pub mod gfm;
pub mod history;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The apelint binary, with a clean environment: no colors, a fixed terminal width, and not in
/// GitHub Actions' pull-request mode even when the tests run in a pull request's CI.
pub fn apelint() -> Command {
    let mut command = Command::cargo_bin("apelint").expect("the binary is built");
    command
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env("COLUMNS", "100")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_BASE_REF");
    command
}

/// A fixture copied into a temp dir, ready to run apelint on.
pub struct Materialised {
    /// Holds the temp dir (and a shallow clone beside it) until the test ends.
    pub dir: tempfile::TempDir,
    /// The folder to run apelint on.
    pub root: PathBuf,
    /// `APELINT_NOW` for the run.
    pub now: String,
    /// Rules the fixture needs beside its own (`select = [...]` in `fixture.toml`).
    pub select: Vec<String>,
}

/// Copies a fixture folder into a fresh temp dir, then applies its `fixture.toml`:
/// `[[generate]]` tables write `count` files at `path` (with `{n}` numbered), holding `content`;
/// `[[commit]]` and `[[commits]]` build a git history (see `history.rs`); `select` names rules to run
/// beside the fixture's own.
pub fn materialise(fixture: &Path) -> Materialised {
    let dir = tempfile::tempdir().expect("temp dir");
    let work = dir.path().join("repo");
    std::fs::create_dir_all(&work).expect("mkdir");
    copy(fixture, &work);
    let mut root = work.clone();
    let mut now = history::DEFAULT_NOW.to_string();
    let mut select = Vec::new();
    let manifest = fixture.join("fixture.toml");
    if manifest.exists() {
        let text = std::fs::read_to_string(&manifest).expect("fixture.toml is readable");
        let table: toml::Table = text.parse().expect("fixture.toml is valid TOML");
        for generate in table.get("generate").and_then(|value| value.as_array()).into_iter().flatten() {
            let path = generate["path"].as_str().expect("generate.path");
            let count = generate["count"].as_integer().expect("generate.count");
            let content = generate.get("content").and_then(|value| value.as_str()).unwrap_or("");
            for n in 0..count {
                let target = work.join(path.replace("{n}", &n.to_string()));
                std::fs::create_dir_all(target.parent().expect("generated files have a parent")).expect("mkdir");
                std::fs::write(target, content).expect("write generated file");
            }
        }
        for id in table.get("select").and_then(|value| value.as_array()).into_iter().flatten() {
            select.push(id.as_str().expect("select holds rule ids").to_string());
        }
        if let Some(fixed) = table.get("now").and_then(|value| value.as_str()) {
            now = fixed.to_string();
        }
        if let Some(clone) = history::build(&work, &table) {
            root = clone;
        }
    }
    Materialised { dir, root, now, select }
}

fn copy(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("fixture folder is readable") {
        let entry = entry.expect("fixture entry");
        let name = entry.file_name();
        if name == "fixture.toml" {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().expect("file type").is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}

/// Writes `files` (path, content) under a fresh temp dir.
pub fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, content) in files {
        let target = dir.path().join(path);
        std::fs::create_dir_all(target.parent().expect("a parent")).expect("mkdir");
        std::fs::write(target, content).expect("write");
    }
    dir
}

/// Runs `apelint PATH --format json` with extra arguments and parses the report.
pub fn json(path: &Path, args: &[&str]) -> serde_json::Value {
    json_at(path, history::DEFAULT_NOW, args)
}

/// Like [`json`], with `APELINT_NOW` set to `now`.
pub fn json_at(path: &Path, now: &str, args: &[&str]) -> serde_json::Value {
    let output = apelint()
        .arg(path)
        .env("APELINT_NOW", now)
        .args(["--format", "json"])
        .args(args)
        .output()
        .expect("apelint runs");
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "apelint failed with {:?}: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the JSON report parses")
}

/// The findings of a JSON report, one per place: a grouped finding stands for each of its
/// `locations` with the message and fingerprint of that place, as it would without grouping.
pub fn findings(report: &serde_json::Value) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for finding in report["findings"].as_array().cloned().unwrap_or_default() {
        let mut finding = finding;
        let places = match finding["locations"].take() {
            serde_json::Value::Array(places) if places.len() > 1 => places,
            places => {
                finding["locations"] = places;
                out.push(finding);
                continue;
            }
        };
        for place in places {
            // The finding without its places, so that a copy per place costs one finding.
            let mut one = finding.clone();
            let keys = ["path", "line", "column", "end_line", "end_column"];
            one["location"] =
                serde_json::Value::Object(keys.iter().map(|key| (key.to_string(), place[*key].clone())).collect());
            one["message"] = place["message"].clone();
            one["fingerprint"] = place["fingerprint"].clone();
            one["count"] = 1.into();
            one["locations"] = serde_json::Value::Array(vec![place]);
            out.push(one);
        }
    }
    // In the order apelint sorts findings before grouping (family, path, position, rule).
    let key = |f: &serde_json::Value| {
        let at = &f["location"];
        (
            f["family"].as_str().unwrap_or_default().to_string(),
            at["path"].as_str().unwrap_or_default().to_string(),
            at["line"].as_u64(),
            at["column"].as_u64(),
            f["rule"].as_str().unwrap_or_default().to_string(),
            f["message"].as_str().unwrap_or_default().to_string(),
        )
    };
    out.sort_by_key(key);
    out
}

/// The findings of a JSON report as apelint groups them.
pub fn grouped_findings(report: &serde_json::Value) -> Vec<serde_json::Value> {
    report["findings"].as_array().cloned().unwrap_or_default()
}
