//! `--format sarif`: valid against the official SARIF 2.1.0 schema, and what the schema cannot
//! say: exactly one run, every result located in a file, `ruleIndex` pointing at its rule,
//! columns in UTF-16 code units, stable fingerprints.

mod common;

use common::{apelint, root, tree};
use serde_json::Value;

fn sarif(path: &std::path::Path, args: &[&str]) -> Value {
    let output = apelint().arg(path).args(["--format", "sarif"]).args(args).output().expect("apelint runs");
    assert!(matches!(output.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("SARIF is JSON")
}

fn assert_valid(log: &Value) {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("tests/data/sarif-2.1.0.json")).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let errors: Vec<String> =
        validator.iter_errors(log).map(|error| format!("{} at {}", error, error.instance_path())).collect();
    assert!(errors.is_empty(), "SARIF schema errors: {errors:#?}");
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1, "exactly one run");
    let rules = runs[0]["tool"]["driver"]["rules"].as_array().expect("rules");
    for result in runs[0]["results"].as_array().expect("results") {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"], "{result:#}");
        let location = &result["locations"][0]["physicalLocation"];
        assert!(!location["artifactLocation"]["uri"].as_str().unwrap_or("").is_empty(), "{result:#}");
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(!result["partialFingerprints"]["primaryLocationLineHash"].as_str().unwrap().is_empty());
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
    }
}

#[test]
fn the_log_is_valid_sarif_with_every_result_located() {
    let dir = tree(&[
        ("package.json", r#"{"name": "api", "private": true, "dependencies": {"express": "4"}}"#),
        ("src/server.js", "const app = require('express')();\napp.listen(3000);\n"),
        // A non-BMP character before the finding: columns count UTF-16 code units.
        ("src/a.js", "try { run(); } catch (e) {}\nconst s = '😀'; try { run(); } catch (e) {}\n"),
        ("docs/guide.md", "# Guide\n\nSee [the missing page](missing.md).\n"),
    ]);
    let log = sarif(dir.path(), &["--preview"]);
    assert_valid(&log);
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "apelint");
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    let results = run["results"].as_array().unwrap();
    // A repository-level finding (no README) is anchored at line 1 of where its fix belongs.
    let readme = results.iter().find(|result| result["ruleId"] == "readme-missing").expect("readme-missing");
    assert_eq!(readme["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "README.md");
    assert_eq!(readme["locations"][0]["physicalLocation"]["region"]["startLine"], 1);
    // `catch (e) {}` on line 2 comes after a character that takes two UTF-16 code units.
    let swallowed: Vec<&Value> = results
        .iter()
        .filter(|result| result["ruleId"] == "error-swallowed")
        .filter(|result| result["locations"][0]["physicalLocation"]["region"]["startLine"] == 2)
        .collect();
    assert_eq!(swallowed.len(), 1, "{results:#?}");
    let region = &swallowed[0]["locations"][0]["physicalLocation"]["region"];
    let line = "const s = '😀'; try { run(); } catch (e) {}";
    let at = line.find("catch").unwrap();
    assert_eq!(region["startColumn"].as_u64().unwrap() as usize, line[..at].encode_utf16().count() + 1);
    // Every rule that ran is described, with its help and page.
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let readme_rule = rules.iter().find(|rule| rule["id"] == "readme-missing").unwrap();
    assert!(readme_rule["help"]["markdown"].as_str().unwrap().contains("**Fix.**"));
    assert!(readme_rule["helpUri"].as_str().unwrap().ends_with("/docs/rules/readme-missing.md"));
    assert!(readme_rule["properties"]["tags"].as_array().unwrap().contains(&Value::from("repository-level")));
    assert!(
        rules
            .iter()
            .all(|rule| rule.get("name").is_none_or(|name| name.as_str().unwrap().to_lowercase() != rule["id"]))
    );
}

#[test]
fn fingerprints_survive_unrelated_edits_above_a_finding() {
    let before = tree(&[("a.py", "try:\n    run()\nexcept Exception:\n    pass\n")]);
    let after = tree(&[("a.py", "import os\n\n\ntry:\n    run()\nexcept Exception:\n    pass\n")]);
    let hash = |log: &Value| {
        log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|result| result["ruleId"] == "error-swallowed")
            .map(|result| result["partialFingerprints"]["primaryLocationLineHash"].clone())
            .expect("error-swallowed")
    };
    let (a, b) =
        (sarif(before.path(), &["--select", "error-swallowed"]), sarif(after.path(), &["--select", "error-swallowed"]));
    assert_valid(&a);
    assert_eq!(hash(&a), hash(&b));
}
