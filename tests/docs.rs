//! Generated documentation stays in step with the rules: `docs/rules.md` is what
//! `apelint rules --format markdown` prints. Regenerate it with
//! `cargo run -- rules --format markdown > docs/rules.md`.

mod common;

use common::{apelint, root};

#[test]
fn the_rule_reference_has_not_drifted() {
    let output = apelint().args(["rules", "--format", "markdown"]).output().expect("apelint runs");
    assert!(output.status.success());
    let generated = String::from_utf8(output.stdout).expect("UTF-8");
    let committed = std::fs::read_to_string(root().join("docs/rules.md")).unwrap_or_default();
    assert!(
        generated == committed,
        "docs/rules.md is out of date: run `cargo run -- rules --format markdown > docs/rules.md`"
    );
}

#[test]
fn every_rule_is_documented_in_its_file() {
    let output = apelint().args(["rules", "--format", "json"]).output().expect("apelint runs");
    let listing: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    for rule in listing["rules"].as_array().unwrap() {
        let id = rule["id"].as_str().unwrap();
        let explained = apelint().args(["explain", id]).output().unwrap();
        let text = String::from_utf8(explained.stdout).unwrap();
        for section in ["Why\n", "Fix\n", "Fails\n", "Passes\n"] {
            assert!(text.contains(section), "`apelint explain {id}` has no {section:?} section");
        }
    }
}

#[test]
fn every_rule_has_its_page_and_no_page_is_stale() {
    let dir = tempfile::tempdir().unwrap();
    let output = apelint().args(["rules", "--pages"]).arg(dir.path()).output().expect("apelint runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let names = |path: &std::path::Path| {
        let mut names: Vec<String> = std::fs::read_dir(path)
            .map(|entries| entries.map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned()).collect())
            .unwrap_or_default();
        names.sort();
        names
    };
    let committed = root().join("docs/rules");
    let fix = "run `cargo run -- rules --pages docs/rules` (and delete pages of removed rules)";
    assert_eq!(names(dir.path()), names(&committed), "docs/rules/ holds other pages than the rules: {fix}");
    for name in names(dir.path()) {
        let generated = std::fs::read_to_string(dir.path().join(&name)).unwrap();
        let page = std::fs::read_to_string(committed.join(&name)).unwrap_or_default();
        assert!(generated == page, "docs/rules/{name} is out of date: {fix}");
    }
}
