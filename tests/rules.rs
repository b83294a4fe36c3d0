//! Every rule against its fixtures: `fixtures/<family>/<id>/pass-*` must give no finding of the rule,
//! `fail-*` at least one, and what a failing fixture reports is snapshotted. Every rule's patterns
//! against their snippets (`rules/<family>/<id>/tests.toml`, see `rules/snippets.rs`).
//!
//! A custom harness (libtest-mimic, `harness = false` in Cargo.toml) makes one trial per fixture
//! case, named `family/id/case`, so that a failure names its case and the other cases still run;
//! `cargo test --test rules print-debugging` runs one rule's cases and snippets.

mod common;
#[path = "rules/snippets.rs"]
mod snippets;

use common::{apelint, findings, json_at, materialise, root};
use libtest_mimic::{Arguments, Failed, Trial};
use std::collections::BTreeMap;
use std::fmt::Write as _;

fn main() {
    let arguments = Arguments::from_args();
    let mut trials = vec![
        Trial::test("every_rule_has_pass_and_fail_fixtures", || {
            every_rule_has_pass_and_fail_fixtures();
            Ok(())
        }),
        Trial::test("dump_fixture_reports", || {
            dump_fixture_reports();
            Ok(())
        })
        .with_ignored_flag(true),
    ];
    for ((family, id), cases) in fixtures() {
        for case in cases {
            let name = format!("{family}/{id}/{case}");
            let (family, id) = (family.clone(), id.clone());
            trials.push(Trial::test(name, move || fixture_case(&family, &id, &case)));
        }
    }
    trials.extend(snippets::trials());
    libtest_mimic::run(&arguments, trials).exit();
}

/// (family, id) → case folder names.
fn fixtures() -> BTreeMap<(String, String), Vec<String>> {
    let mut all = BTreeMap::new();
    for family in std::fs::read_dir(root().join("fixtures")).expect("fixtures/ exists").flatten() {
        if !family.path().is_dir() {
            continue;
        }
        for rule in std::fs::read_dir(family.path()).expect("family folder").flatten() {
            let mut cases: Vec<String> = std::fs::read_dir(rule.path())
                .expect("rule folder")
                .flatten()
                .map(|case| case.file_name().to_string_lossy().into_owned())
                .collect();
            cases.sort();
            let key =
                (family.file_name().to_string_lossy().into_owned(), rule.file_name().to_string_lossy().into_owned());
            all.insert(key, cases);
        }
    }
    all
}

fn builtin_rules() -> Vec<(String, String)> {
    let output = apelint().args(["rules", "--format", "json"]).output().expect("apelint rules runs");
    assert!(output.status.success());
    let listing: serde_json::Value = serde_json::from_slice(&output.stdout).expect("rules JSON");
    listing["rules"]
        .as_array()
        .expect("a rules array")
        .iter()
        .map(|rule| (rule["family"].as_str().unwrap().to_string(), rule["id"].as_str().unwrap().to_string()))
        .collect()
}

fn every_rule_has_pass_and_fail_fixtures() {
    let fixtures = fixtures();
    for (family, id) in builtin_rules() {
        let cases = fixtures.get(&(family.clone(), id.clone())).unwrap_or_else(|| panic!("no fixtures/{family}/{id}/"));
        assert!(cases.iter().any(|case| case.starts_with("pass-")), "fixtures/{family}/{id} has no pass-* case");
        assert!(cases.iter().any(|case| case.starts_with("fail-")), "fixtures/{family}/{id} has no fail-* case");
    }
    for (family, id) in fixtures.keys() {
        assert!(builtin_rules().contains(&(family.clone(), id.clone())), "fixtures/{family}/{id} belongs to no rule");
    }
}

/// One fixture case: a `pass-*` case gives no finding of its rule, a `fail-*` case at least one,
/// whose lines match the snapshot `tests/snapshots/rules__{id}__{case}.snap`.
fn fixture_case(family: &str, id: &str, case: &str) -> Result<(), Failed> {
    let fixture = root().join("fixtures").join(family).join(id).join(case);
    let copy = materialise(&fixture);
    let select = std::iter::once(id.to_string()).chain(copy.select.iter().cloned()).collect::<Vec<_>>().join(",");
    let report = json_at(&copy.root, &copy.now, &["--select", &select]);
    let mine: Vec<_> = findings(&report).into_iter().filter(|finding| finding["rule"] == id).collect();
    if case.starts_with("pass-") {
        if !mine.is_empty() {
            return Err(format!("{family}/{id}/{case} should pass but reported: {mine:#?}").into());
        }
        return Ok(());
    }
    if mine.is_empty() {
        let skipped = &report["skipped_rules"];
        return Err(format!("{family}/{id}/{case} should fail but reported nothing; skipped: {skipped}").into());
    }
    let mut text = String::new();
    for finding in &mine {
        let location = &finding["location"];
        let _ = writeln!(
            text,
            "{} {}:{}:{}-{}:{} [{}] {}",
            finding["severity"].as_str().unwrap(),
            location["path"].as_str().unwrap(),
            location["line"],
            location["column"],
            location["end_line"],
            location["end_column"],
            finding["scope"].as_str().unwrap(),
            finding["message"].as_str().unwrap(),
        );
    }
    // Called from this file's top module, insta names the snapshot `rules__{id}__{case}` as the
    // built-in harness did.
    insta::assert_snapshot!(format!("{id}__{case}"), text);
    Ok(())
}

/// Not a check but a tool for refactoring: with `APELINT_DUMP=<folder>`, writes every fixture's whole
/// report (all rules, and the fixture's own selection) as JSON, SARIF and human text into that folder,
/// so that the outputs before and after a change can be compared byte for byte (CONTRIBUTING.md).
/// An ignored trial: `APELINT_DUMP=<folder> cargo test --test rules dump -- --ignored`.
fn dump_fixture_reports() {
    let Some(to) = std::env::var_os("APELINT_DUMP") else { return };
    let to = std::path::PathBuf::from(to);
    for ((family, id), cases) in fixtures() {
        for case in cases {
            let fixture = root().join("fixtures").join(&family).join(&id).join(&case);
            let copy = materialise(&fixture);
            let select = std::iter::once(id.clone()).chain(copy.select.iter().cloned()).collect::<Vec<_>>().join(",");
            let where_ = copy.root.to_string_lossy().into_owned();
            for (name, args) in [
                ("selected.json", vec!["--format", "json", "--select", &select]),
                ("all.json", vec!["--format", "json"]),
                ("all.sarif", vec!["--format", "sarif"]),
                ("all.txt", vec!["--format", "human"]),
                ("all.md", vec!["--format", "markdown"]),
                ("all.github", vec!["--format", "github"]),
            ] {
                let output =
                    apelint().arg(&copy.root).env("APELINT_NOW", &copy.now).args(&args).output().expect("apelint runs");
                let text = format!(
                    "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
                    output.status.code(),
                    String::from_utf8_lossy(&output.stdout),
                    String::from_utf8_lossy(&output.stderr)
                )
                .replace(&where_, "<root>");
                let file = to.join(&family).join(&id).join(&case).join(name);
                std::fs::create_dir_all(file.parent().unwrap()).unwrap();
                std::fs::write(file, text).unwrap();
            }
        }
    }
}
