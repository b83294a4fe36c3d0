//! Embeds the built-in rules (`rules/<family>/<id>.toml`) and their pattern files
//! (`rules/<family>/<id>/<languages>.scm`) in the binary. Other files in a rule's folder (its
//! `tests.toml` snippets) are for the tests, not the binary.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let rules = root.join("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut files = Vec::new();
    collect(&rules, &mut files);
    files.sort();
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let is_rule = |file: &&PathBuf| {
        // As `rule::patterns::is_companion` reads it: change the two together.
        file.extension().is_some_and(|extension| extension == "toml")
            && !(file.file_name().is_some_and(|name| name == "tests.toml")
                && file.parent().is_some_and(|folder| folder.with_extension("toml").is_file()))
    };
    let is_pattern = |file: &&PathBuf| file.extension().is_some_and(|extension| extension == "scm");
    let rule_files: Vec<&PathBuf> = files.iter().filter(is_rule).collect();
    let pattern_files: Vec<&PathBuf> = files.iter().filter(is_pattern).collect();
    let rules_table = table(&rules, "Built-in rules: (path under `rules/`, text).", "BUILTIN_RULES", &rule_files);
    std::fs::write(out.join("builtin_rules.rs"), rules_table).expect("OUT_DIR is writable");
    let doc = "Built-in rules' pattern files: (path under `rules/`, text).";
    let patterns_table = table(&rules, doc, "BUILTIN_PATTERNS", &pattern_files);
    std::fs::write(out.join("builtin_patterns.rs"), patterns_table).expect("OUT_DIR is writable");
}

/// A static array of (path under `rules/`, text) for `files`.
fn table(rules: &Path, doc: &str, name: &str, files: &[&PathBuf]) -> String {
    let mut out = format!("/// {doc}\npub static {name}: &[(&str, &str)] = &[\n");
    for file in files {
        let relative = file.strip_prefix(rules).expect("collected under rules/").to_string_lossy().replace('\\', "/");
        println!("cargo:rerun-if-changed={}", file.display());
        writeln!(out, "    ({relative:?}, include_str!({:?})),", file.display().to_string())
            .expect("writing to a String");
    }
    out.push_str("];\n");
    out
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|extension| extension == "toml" || extension == "scm") {
            files.push(path);
        }
    }
}
