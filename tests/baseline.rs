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

#[test]
fn one_run_writes_several_reports_each_with_its_own_findings() {
    let dir = tree(&[("a.py", SWALLOW), ("b.py", SWALLOW)]);
    let base = dir.path().join("base.json");
    let written =
        apelint().arg("baseline").arg(dir.path()).args(["--select", "error-swallowed", "-o"]).arg(&base).output();
    assert!(written.unwrap().status.success());
    std::fs::write(dir.path().join("c.py"), SWALLOW).unwrap();
    let out = tempfile::tempdir().unwrap();
    let (sarif, summary, json_file) = (out.path().join("x.sarif"), out.path().join("s.md"), out.path().join("r.json"));
    let output = apelint()
        .arg(dir.path())
        .args(["--select", "error-swallowed", "--format", "github", "--fail-on", "warning", "--baseline"])
        .arg(&base)
        .arg(format!("--report=sarif={}", sarif.display()))
        .arg("--report")
        .arg(format!("MARKDOWN={}", summary.display()))
        .arg("--report")
        .arg(format!("json={}", json_file.display()))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    // Annotations, the summary and JSON show the new finding; SARIF keeps both, marked.
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("file=c.py") && !stdout.contains("file=a.py"), "{stdout}");
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json_file).unwrap()).unwrap();
    assert_eq!(report["summary"]["warning"], 1, "{report:#}");
    let markdown = std::fs::read_to_string(&summary).unwrap();
    assert!(markdown.contains("c.py") && !markdown.contains("a.py"), "{markdown}");
    let log: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    // The three share a folder: one result with every place; new, since one place is.
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{log:#}");
    assert_eq!(results[0]["relatedLocations"].as_array().unwrap().len(), 3);
    assert_eq!(results[0]["baselineState"], "new");

    // `--fail-on never` exits 0 with findings; bad `--report` values are usage errors.
    let never = apelint().arg(dir.path()).args(["--select", "error-swallowed", "--fail-on", "never", "-q"]).output();
    assert_eq!(never.unwrap().status.code(), Some(0));
    for (value, expected) in [
        ("sarif", "expected FORMAT=FILE"),
        ("xml=out.xml", "no format named `xml`"),
        ("json=", "no file after `json=`"),
    ] {
        let bad = apelint().arg(dir.path()).args(["--report", value]).output().unwrap();
        assert_eq!(bad.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&bad.stderr).contains(expected), "{value}: {:?}", bad.stderr);
    }
    let twice = apelint()
        .arg(dir.path())
        .arg("-o")
        .arg(&sarif)
        .arg(format!("--report=json={}", sarif.display()))
        .output()
        .unwrap();
    assert_eq!(twice.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&twice.stderr).contains("target of two reports"));
}
