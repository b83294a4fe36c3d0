//! The command line as a user meets it: exit codes, output formats, and bad input.

mod common;

use common::{apelint, findings, json, tree};
use predicates::prelude::*;
use std::io::Read;
use std::process::Stdio;

const README: &str = "# demo\n\nDemo is a small tool that shows how apelint reports what it finds in a repository, with\nenough prose that the README is not thin: it explains what the project does, for whom, and how to\nstart using it on a machine that has nothing installed yet.\n\n## Usage\n\n```sh\ndemo run\n```\n";

#[test]
fn a_path_that_does_not_exist_is_a_usage_error() {
    apelint()
        .arg("/no/such/folder")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("path `/no/such/folder` does not exist"));
}

#[test]
fn each_kind_of_problem_has_its_own_code() {
    let dir = tree(&[("README.md", README), ("apelint.toml", "select = 3\n")]);
    // A mistake in a file the user wrote, on the command line, and in writing.
    apelint().arg(dir.path()).assert().code(2).stderr(predicate::str::contains("apelint::config"));
    let clean = tree(&[("README.md", README)]);
    apelint()
        .arg(clean.path())
        .args(["--select", "no-such-rule"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("apelint::usage").and(predicate::str::contains("apelint::config").not()));
    let out = clean.path().join("no-such-folder").join("report.json");
    apelint()
        .arg(clean.path())
        .args(["--format", "json", "--output"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("apelint::io").and(predicate::str::contains("apelint::config").not()));
}

#[test]
fn a_file_instead_of_a_folder_is_a_usage_error() {
    let dir = tree(&[("README.md", README)]);
    apelint().arg(dir.path().join("README.md")).assert().code(2).stderr(predicate::str::contains("is not a folder"));
}

#[test]
fn an_unknown_flag_is_a_usage_error() {
    apelint().arg("--no-such-flag").assert().code(2);
}

#[test]
fn a_folder_that_is_not_a_git_repository_still_gets_file_rules() {
    // A package (a manifest makes it more than a prototype) with code and no tests.
    let dir = tree(&[
        ("pyproject.toml", "[project]\nname = \"shop\"\n"),
        ("src/main.py", "print(1)\n"),
        ("src/a.py", "a = 1\n"),
        ("src/b.py", "b = 1\n"),
    ]);
    // tests-missing is a preview rule: `--preview` runs it with the default ones.
    let report = json(dir.path(), &["--preview"]);
    assert_eq!(report["version"], 1);
    let rules: Vec<String> =
        findings(&report).iter().map(|finding| finding["rule"].as_str().unwrap().to_string()).collect();
    assert!(rules.iter().any(|rule| rule == "readme-missing"), "{rules:?}");
    assert!(rules.iter().any(|rule| rule == "tests-missing"), "{rules:?}");
    if git2::Repository::discover(dir.path()).is_err() {
        assert_eq!(report["git"]["state"], "not-repository");
    }
}

#[test]
fn exit_codes_follow_the_fail_level() {
    // Only warnings: clean at the default level, findings at `warning`.
    let dir = tree(&[
        ("pyproject.toml", "[project]\nname = \"shop\"\n"),
        ("README.md", README),
        ("src/main.py", "print(1)\n"),
        ("src/a.py", "a = 1\n"),
        ("src/b.py", "b = 1\n"),
    ]);
    apelint().arg(dir.path()).assert().code(0);
    apelint().arg(dir.path()).args(["--fail-on", "warning"]).assert().code(1);
    // An error: exit 1 by default.
    let bare = tree(&[("src/main.py", "print(1)\n")]);
    apelint().arg(bare.path()).assert().code(1);
}

#[test]
fn fail_on_can_come_from_the_configuration() {
    let dir = tree(&[
        ("pyproject.toml", "[project]\nname = \"shop\"\n"),
        ("README.md", README),
        ("src/main.py", "print(1)\n"),
        ("apelint.toml", "fail-on = \"info\"\n"),
    ]);
    apelint().arg(dir.path()).assert().code(1);
}

#[test]
fn select_and_ignore_take_ids_and_families() {
    let dir = tree(&[("src/main.py", "print(1)\n")]);
    let only_docs = json(dir.path(), &["--select", "docs"]);
    assert!(findings(&only_docs).iter().all(|finding| finding["family"] == "docs"));
    let without = json(dir.path(), &["--ignore", "readme-missing,care"]);
    assert!(
        findings(&without).iter().all(|finding| finding["rule"] != "readme-missing" && finding["family"] != "care")
    );
    apelint().arg(dir.path()).args(["--select", "readme-mising"]).assert().code(2).stderr(
        predicate::str::contains("no rule or family named `readme-mising`")
            .and(predicate::str::contains("readme-missing")),
    );
}

#[test]
fn output_goes_to_a_file_when_asked() {
    let dir = tree(&[("src/main.py", "print(1)\n")]);
    let out = dir.path().join("report.json");
    apelint().arg(dir.path()).args(["--format", "json", "--output"]).arg(&out).assert().code(1).stdout("");
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    assert_eq!(report["version"], 1);
}

#[test]
fn plain_text_without_a_terminal() {
    let dir = tree(&[("README.md", "# x\n\n[gone](missing.md)\n"), ("src/main.py", "print(1)\n")]);
    let output = apelint().arg(dir.path()).arg("--preview").env_remove("NO_COLOR").output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(!text.contains('\u{1b}'), "ANSI escapes in piped output: {text}");
    assert!(text.contains("broken link: `missing.md` does not exist"), "{text}");
}

#[test]
fn human_output_shows_the_source_line_of_a_finding() {
    let dir = tree(&[("README.md", "# x\n\nsee [the guide](docs/guide.md) first\n"), ("src/main.py", "print(1)\n")]);
    let output = apelint().arg(dir.path()).args(["--select", "broken-link"]).output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    insta::assert_snapshot!("human_broken_link", text.replace(&dir.path().display().to_string(), "<tmp>"));
}

#[test]
fn quiet_drops_the_summary() {
    let dir = tree(&[("src/main.py", "print(1)\n")]);
    let output = apelint().arg(dir.path()).arg("--quiet").output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("readme-missing"));
    assert!(!text.contains("apelint: "), "{text}");
}

#[test]
fn a_closed_pipe_exits_cleanly() {
    // Enough findings that the report outgrows the pipe buffer, so that writing hits the closed pipe.
    let mut readme = String::from("# x\n\n");
    for n in 0..3000 {
        readme.push_str(&format!("[link {n}](missing-{n}.md)\n\n"));
    }
    let dir = tree(&[("README.md", &readme)]);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("apelint"))
        .arg(dir.path())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    let _ = stdout.read(&mut first);
    drop(stdout);
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert_eq!(status.code(), Some(0), "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn rules_lists_every_rule_and_filters_by_family() {
    apelint()
        .arg("rules")
        .assert()
        .success()
        .stdout(predicate::str::contains("readme-missing").and(predicate::str::contains("tests-missing")));
    let output = apelint().args(["rules", "--family", "care"]).output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("tests-missing") && !text.contains("readme-missing"), "{text}");
    apelint()
        .args(["rules", "--family", "doc"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `docs`?"));
}

#[test]
fn explain_prints_a_rules_documentation() {
    apelint().args(["explain", "readme-thin"]).assert().success().stdout(
        predicate::str::contains("Why")
            .and(predicate::str::contains("Fix"))
            .and(predicate::str::contains("min-words = 25")),
    );
    apelint()
        .args(["explain", "readme-thn"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `readme-thin`?"));
}

#[test]
fn init_writes_a_configuration_that_loads() {
    let dir = tree(&[("README.md", README), ("src/main.py", "print(1)\n")]);
    apelint().arg("init").arg(dir.path()).assert().success();
    let written = std::fs::read_to_string(dir.path().join("apelint.toml")).unwrap();
    assert!(written.contains("# [rules.readme-thin]"));
    apelint().arg(dir.path()).assert().code(0);
    apelint().arg("init").arg(dir.path()).assert().code(2).stderr(predicate::str::contains("already exists"));
    apelint().arg("init").arg(dir.path()).arg("--force").assert().success();
    // Uncommenting every line gives a valid configuration too.
    let uncommented: String = written
        .lines()
        .map(|line| {
            line.strip_prefix("# ").filter(|rest| rest.starts_with('[') || rest.contains(" = ")).unwrap_or(line)
        })
        .filter(|line| !line.starts_with("exclude") && !line.starts_with("rule-dirs") && !line.starts_with("profile"))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dir.path().join("apelint.toml"), uncommented).unwrap();
    apelint().arg(dir.path()).assert().code(0);
}

#[test]
fn the_json_report_keeps_its_shape() {
    let dir = tree(&[
        ("README.md", "# demo\n\nSee [the guide](docs/guide.md).\n"),
        ("Cargo.toml", "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n"),
        ("src/lib.rs", "pub fn one() -> u8 { 1 }\n"),
        ("assets/logo.png", "\u{0}PNG"),
    ]);
    let output = apelint().arg(dir.path()).args(["--format", "json", "--preview"]).output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap().replace(&dir.path().display().to_string(), "<tmp>");
    let mut report: serde_json::Value = serde_json::from_str(&text).unwrap();
    // The git state depends on where the temp dir lives; the rest must not change unnoticed.
    report["git"] = serde_json::json!("<git>");
    report["history"] = serde_json::json!("<history>");
    for skipped in report["skipped_rules"].as_array_mut().unwrap() {
        if skipped["kind"] == "cannot-judge" {
            skipped["reason"] = serde_json::json!("<history>");
            skipped["hint"] = serde_json::json!("<hint>");
        }
    }
    report["tool"]["version"] = serde_json::json!("<version>");
    insta::assert_snapshot!("json_report", serde_json::to_string_pretty(&report).unwrap());
}

#[test]
fn rules_show_the_default_beside_a_configured_severity() {
    let dir = tree(&[("apelint.toml", "[rules]\nci-missing = \"off\"\n")]);
    let output = apelint().arg("rules").arg("--path").arg(dir.path()).output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let line = text.lines().find(|line| line.starts_with("ci-missing")).unwrap();
    assert!(line.contains("off (default warning)"), "{line}");
}

#[test]
fn a_file_level_suppression_silences_a_repository_level_finding_anchored_there() {
    let thin = "# demo\n\nA tool.\n";
    let dir = tree(&[("README.md", thin)]);
    let report = json(dir.path(), &["--select", "readme-thin,bad-suppression"]);
    assert_eq!(findings(&report).len(), 1, "{report:#}");
    let silenced = format!("{thin}<!-- apelint-ignore-file: readme-thin -- the real docs live on the website -->\n");
    let dir = tree(&[("README.md", &silenced)]);
    let report = json(dir.path(), &["--select", "readme-thin,bad-suppression"]);
    assert!(findings(&report).is_empty(), "{report:#}");
    assert_eq!(report["summary"]["suppressed"], 1);
}

#[test]
fn human_output_says_where_a_repository_level_fix_belongs() {
    let dir = tree(&[("app.py", "print(1)\n")]);
    apelint()
        .arg(dir.path())
        .args(["--select", "readme-missing", "--color", "never"])
        .assert()
        .stdout(predicate::str::contains("where: README.md"));
}

#[test]
fn a_repository_level_finding_is_anchored_at_the_file_as_the_repository_spells_it() {
    // The rule's anchor is README.md; this repository's README is readme.md.
    let code = "def run(x):\n    return x * 2\n";
    let dir = tree(&[
        ("pyproject.toml", "[project]\nname = \"shop\"\n"),
        ("readme.md", "# shop\n"),
        ("a.py", code),
        ("b.py", code),
        ("c.py", code),
    ]);
    let report = json(dir.path(), &["--select", "tests-missing"]);
    assert_eq!(report["findings"][0]["location"]["path"], "readme.md", "{report:#}");
}

/// Three broken links in one folder share a cause: one finding with its count and every place in
/// JSON and SARIF; the human report lists its first places, `--full` frames every place and
/// `--concise` gives a line each.
#[test]
fn findings_that_share_a_folder_are_one_grouped_finding_in_every_format() {
    let dir = tree(&[
        ("README.md", "# x\n\nsee [a](docs/a.md)\n"),
        ("guide/one.md", "[x](gone-1.md)\n[y](gone-2.md)\n"),
        ("guide/two.md", "[z](gone-3.md)\n"),
        ("guide/three.md", "[w](gone-4.md)\n"),
    ]);
    let run = |args: &[&str]| {
        let output = apelint().arg(dir.path()).args(["--select", "broken-link"]).args(args).output().unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let report: serde_json::Value = serde_json::from_str(&run(&["--format", "json"])).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 2, "{report:#}");
    let group = findings.iter().find(|f| f["count"] == 4).expect("a group of four");
    assert_eq!(group["message"], "A relative link or anchor in a Markdown file leads nowhere: 4 places in `guide/`");
    let places: Vec<(&str, u64)> = group["locations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|place| (place["path"].as_str().unwrap(), place["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(places, [("guide/one.md", 1), ("guide/one.md", 2), ("guide/three.md", 1), ("guide/two.md", 1)]);
    assert!(group["locations"][1]["message"].as_str().unwrap().contains("gone-2.md"));
    assert_eq!(report["summary"]["warning"], 2);

    let sarif: serde_json::Value = serde_json::from_str(&run(&["--format", "sarif"])).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let related = results.iter().find_map(|r| r["relatedLocations"].as_array()).expect("related locations");
    assert_eq!(related.len(), 4);
    assert_eq!(related[3]["physicalLocation"]["artifactLocation"]["uri"], "guide/two.md");

    let human = run(&[]);
    assert!(human.contains("warning[docs/broken-link] A relative link or anchor in a Markdown file leads nowhere · 2 findings, 5 places"), "{human}");
    assert!(human.contains("    guide/one.md:2:5  broken link: `gone-2.md` does not exist"), "{human}");
    assert!(human.contains("    ... and 1 more place (--full shows it)"), "{human}");
    assert_eq!(human.matches("help:").count(), 1, "{human}");

    let full = run(&["--full"]);
    assert_eq!(full.matches("help:").count(), 5, "{full}");
    assert!(full.contains("guide/two.md:1:5"), "{full}");

    let concise = run(&["--concise", "--quiet"]);
    let lines: Vec<&str> = concise.lines().collect();
    assert_eq!(lines.len(), 5, "{concise}");
    assert!(
        lines.contains(&"guide/two.md:1:5: warning[broken-link] broken link: `gone-3.md` does not exist"),
        "{concise}"
    );
    assert!(apelint().arg(dir.path()).args(["--full", "--concise"]).output().unwrap().status.code() == Some(2));
}

/// What apelint says, on standard error, when it refuses the custom rule `rule` (exit code 2).
fn refused_rule(rule: &str) -> String {
    let dir = tree(&[("rules/x.toml", rule), ("repo/README.md", "# x\n")]);
    let output = apelint()
        .arg(dir.path().join("repo"))
        .args(["--rules", dir.path().join("rules").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_rule_with_a_bad_group_table_is_an_error_at_its_span() {
    let rule = "id = \"x\"\nfamily = \"care\"\nseverity = \"info\"\nsummary = \"s\"\n\n[check]\nkind = \"content\"\nfiles = [\"*.txt\"]\npattern = 'a'\n\n[group]\nby = \"tree\"\nmin = 1\n\n[docs]\nwhy = \"w\"\nfix = \"f\"\n";
    let stderr = refused_rule(rule);
    assert!(stderr.contains("`by` must be one of `folder`, `file`, `cause`, `none`; not `tree`"), "{stderr}");
    assert!(stderr.contains("`min` must be 2 or more"), "{stderr}");
    assert!(stderr.contains("x.toml:12"), "{stderr}");
}

#[test]
fn a_rule_with_a_bad_convention_day_is_an_error_at_its_span() {
    let rule = "id = \"x\"\nfamily = \"care\"\nseverity = \"info\"\nsummary = \"s\"\n\n[when]\nconvention-since = \"2024-13-45\"\n\n[check]\nkind = \"content\"\nfiles = [\"*.txt\"]\npattern = 'a'\n\n[docs]\nwhy = \"w\"\nfix = \"f\"\n";
    let stderr = refused_rule(rule);
    assert!(stderr.contains("`convention-since` must be a day"), "{stderr}");
    assert!(stderr.contains("x.toml:7"), "{stderr}");
}

/// A preview rule runs only when asked for: by its id, `--preview` or `preview = true`; selecting
/// its family does not run it.
#[test]
fn preview_rules_run_only_when_asked_for() {
    let rule = "id = \"todo-left\"\nfamily = \"care\"\nseverity = \"warning\"\nsummary = \"A TODO is left\"\npreview = true\n\n[check]\nkind = \"content\"\nfiles = [\"*.txt\"]\npattern = 'TODO'\n\n[docs]\nwhy = \"w\"\nfix = \"f\"\n";
    let dir = tree(&[("rules/todo-left.toml", rule), ("repo/README.md", "# x\n"), ("repo/notes.txt", "TODO\n")]);
    let rules = dir.path().join("rules");
    let found = |args: &[&str]| -> bool {
        let output = apelint()
            .arg(dir.path().join("repo"))
            .args(["--rules", rules.to_str().unwrap(), "--format", "json"])
            .args(args)
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        common::findings(&report).iter().any(|finding| finding["rule"] == "todo-left")
    };
    assert!(!found(&[]));
    // The human summary says which preview rules were left out, unless the run selected rules.
    let human = |args: &[&str]| {
        let output = apelint()
            .arg(dir.path().join("repo"))
            .args(["--rules", rules.to_str().unwrap()])
            .args(args)
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let summary = human(&[]);
    let line = summary.lines().find(|line| line.contains("preview rules not run")).expect("the preview line");
    assert!(line.contains("(--preview runs them)") && line.contains("todo-left"), "{summary}");
    assert!(!human(&["--select", "care"]).contains("preview rule"));
    assert!(!found(&["--select", "care"]));
    assert!(found(&["--select", "todo-left"]));
    assert!(found(&["--preview"]));
    std::fs::write(dir.path().join("repo/apelint.toml"), "preview = true\n").unwrap();
    assert!(found(&[]));
    let listed = apelint().args(["rules", "--rules", rules.to_str().unwrap()]).output().unwrap();
    let listed = String::from_utf8(listed.stdout).unwrap();
    assert!(listed.lines().any(|line| line.starts_with("todo-left") && line.contains("warning (preview)")), "{listed}");
}
