//! `apelint baseline` and `--baseline FILE`: only new findings are reported, fixed ones are listed,
//! and fingerprints survive unrelated edits above a finding.

mod common;

use common::{apelint, json, tree};

const SWALLOW: &str = "try:\n    run()\nexcept Exception:\n    pass\n";

#[test]
fn only_new_findings_are_reported_and_fixed_ones_are_listed() {
    let dir = tree(&[("a.py", SWALLOW), ("b.py", SWALLOW)]);
    let file = dir.path().join("base.json");
    let written = apelint()
        .arg("baseline")
        .arg(dir.path())
        .args(["--select", "error-swallowed", "--output"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(written.status.success(), "{}", String::from_utf8_lossy(&written.stderr));
    let baseline: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(baseline["findings"].as_array().unwrap().len(), 2);

    // An unrelated edit above a.py's finding, b.py fixed, c.py new.
    std::fs::write(dir.path().join("a.py"), format!("import os\n\n\n{SWALLOW}")).unwrap();
    std::fs::write(dir.path().join("b.py"), "run()\n").unwrap();
    std::fs::write(dir.path().join("c.py"), SWALLOW).unwrap();
    let path = file.to_str().unwrap();
    let report = json(dir.path(), &["--select", "error-swallowed", "--baseline", path]);
    let findings: Vec<&str> =
        report["findings"].as_array().unwrap().iter().map(|f| f["location"]["path"].as_str().unwrap()).collect();
    assert_eq!(findings, ["c.py"], "{report:#}");
    assert_eq!(report["baseline"]["known"], 1);
    let fixed = report["baseline"]["fixed"].as_array().unwrap();
    assert_eq!(fixed.len(), 1);
    assert_eq!(fixed[0]["path"], "b.py");

    // SARIF keeps every finding, marked; the exit code follows the new ones only.
    let sarif = apelint()
        .arg(dir.path())
        .args(["--select", "error-swallowed", "--format", "sarif", "--fail-on", "warning", "--baseline", path])
        .output()
        .unwrap();
    assert_eq!(sarif.status.code(), Some(1));
    let log: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let states: Vec<(&str, &str)> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap(),
                r["baselineState"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(states, [("a.py", "unchanged"), ("c.py", "new")]);

    // Nothing new: exit 0 even at --fail-on warning.
    std::fs::write(dir.path().join("c.py"), "run()\n").unwrap();
    let clean = apelint()
        .arg(dir.path())
        .args(["--select", "error-swallowed", "--fail-on", "warning", "--baseline", path])
        .output()
        .unwrap();
    assert_eq!(clean.status.code(), Some(0), "{}", String::from_utf8_lossy(&clean.stdout));
}

#[test]
fn a_broken_baseline_is_an_error_that_says_where() {
    let dir = tree(&[("a.py", SWALLOW), ("base.json", "{\n  \"version\": 1,\n  \"findings\": [oops]\n}\n")]);
    let output = apelint().arg(dir.path()).arg("--baseline").arg(dir.path().join("base.json")).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("invalid baseline") && stderr.contains("base.json:3:"), "{stderr}");
    let missing = apelint().arg(dir.path()).args(["--baseline", "/nonexistent/base.json"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read the baseline"));
}
