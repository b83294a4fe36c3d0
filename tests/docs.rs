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
