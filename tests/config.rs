//! Bad configuration and rule files: every problem reported together, with its file, line and span,
//! and exit code 2.

mod common;

use common::{apelint, findings, json, json_at, tree};
use predicates::prelude::*;

fn stderr_of(dir: &std::path::Path, args: &[&str]) -> String {
    let output = apelint().arg(dir).args(args).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "stdout: {}", String::from_utf8_lossy(&output.stdout));
    String::from_utf8(output.stderr).unwrap()
}

#[test]
fn malformed_toml_in_the_configuration_points_at_the_line() {
    let dir = tree(&[("apelint.toml", "exclude = [\"a\"\nfail-on = \"error\"\n")]);
    let stderr = stderr_of(dir.path(), &[]);
    assert!(stderr.contains("invalid TOML"), "{stderr}");
    assert!(stderr.contains("apelint.toml:"), "{stderr}");
}

#[test]
fn every_problem_in_the_configuration_is_reported_at_once() {
    let dir = tree(&[(
        "apelint.toml",
        "fail-on = \"sometimes\"\nexlude = [\"x\"]\nprofile = [\"webapp\"]\n\n[rules.readme-thin]\nseverity = \"loud\"\nmin-wrds = 3\n\n[rules.no-such-rule]\nseverity = \"off\"\n",
    )]);
    let stderr = stderr_of(dir.path(), &[]);
    for expected in [
        "`fail-on` must be error, warning or info",
        "unknown key `exlude`",
        "did you mean `exclude`?",
        "unknown profile `webapp`",
        "unknown severity `loud`",
        "unknown key `min-wrds`",
        "did you mean `min-words`?",
        "no rule with id `no-such-rule`",
    ] {
        assert!(stderr.contains(expected), "missing {expected:?} in:\n{stderr}");
    }
    // Each problem points at its line of apelint.toml.
    assert!(stderr.contains("apelint.toml:1:"), "{stderr}");
    assert!(stderr.contains("apelint.toml:7:"), "{stderr}");
}

#[test]
fn a_wrong_type_for_an_option_is_reported_at_the_value() {
    let dir = tree(&[("apelint.toml", "[rules.readme-thin]\nmin-words = \"many\"\n")]);
    let stderr = stderr_of(dir.path(), &[]);
    assert!(stderr.contains("apelint.toml:2:"), "{stderr}");
}

#[test]
fn options_and_severities_from_the_configuration_apply() {
    let dir = tree(&[
        (
            "README.md",
            "# x\n\nA tool that does one thing well, explained in enough words to pass by default.\n\n```sh\nx run\n```\n",
        ),
        ("src/main.py", "print(1)\n"),
        (
            "apelint.toml",
            "[rules.readme-thin]\nseverity = \"error\"\nmin-words = 500\n\n[rules]\nci-missing = \"off\"\n",
        ),
    ]);
    let report = json(dir.path(), &[]);
    let thin =
        findings(&report).into_iter().find(|finding| finding["rule"] == "readme-thin").expect("readme-thin fires");
    assert_eq!(thin["severity"], "error");
    assert!(thin["message"].as_str().unwrap().contains("at least 500"));
    assert!(findings(&report).iter().all(|finding| finding["rule"] != "ci-missing"));
}

#[test]
fn excludes_and_profile_from_the_configuration_apply() {
    let dir = tree(&[
        ("README.md", "# x\n\n[gone](legacy/old.md)\n"),
        ("legacy/notes.md", "[also gone](nowhere.md)\n"),
        ("apelint.toml", "exclude = [\"legacy/\"]\nprofile = [\"library\"]\n"),
    ]);
    let report = json(dir.path(), &["--select", "broken-link,license-missing"]);
    let paths: Vec<String> =
        findings(&report).iter().map(|f| f["location"]["path"].as_str().unwrap().to_string()).collect();
    assert!(!paths.iter().any(|path| path == "legacy/notes.md"), "{paths:?}");
    assert_eq!(report["profile"]["profiles"], serde_json::json!(["library"]));
    assert!(findings(&report).iter().any(|finding| finding["rule"] == "license-missing"));
}

#[test]
fn an_explicit_config_that_does_not_exist_is_an_error() {
    let dir = tree(&[("README.md", "# x\n")]);
    apelint()
        .arg(dir.path())
        .args(["--config", "/no/such/apelint.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does not exist"));
}

const RULE: &str = r#"id = "todo-comment"
family = "care"
severity = "warning"
summary = "A TODO comment was left in the code"
message = "{detail}"

[check]
kind = "content"
files = ["**/*.py"]
pattern = 'TODO'

[docs]
why = "TODOs rot."
fix = "Do it or file an issue."
"#;

#[test]
fn a_user_rule_runs_beside_the_built_ins() {
    let dir = tree(&[("rules/todo-comment.toml", RULE), ("repo/app.py", "x = 1  # TODO: remove\n")]);
    let report = json(
        &dir.path().join("repo"),
        &["--rules", dir.path().join("rules").to_str().unwrap(), "--select", "todo-comment"],
    );
    let found = findings(&report);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["location"]["line"], 1);
    assert_eq!(found[0]["location"]["column"], 10);
    assert_eq!(found[0]["message"], "`TODO` found");
}

#[test]
fn rule_dirs_in_the_configuration_are_relative_to_it() {
    let dir = tree(&[
        ("tools/rules/todo-comment.toml", RULE),
        ("app.py", "# TODO\n"),
        ("apelint.toml", "rule-dirs = [\"tools/rules\"]\n"),
    ]);
    let report = json(dir.path(), &["--select", "todo-comment"]);
    assert_eq!(findings(&report).len(), 1);
}

#[test]
fn a_user_rule_with_a_built_in_id_replaces_it() {
    let replacement = "id = \"readme-missing\"\nfamily = \"docs\"\nseverity = \"info\"\nsummary = \"No README (team rule)\"\n\n[check]\nkind = \"files\"\npaths = [\"README.md\"]\n\n[docs]\nwhy = \"w\"\nfix = \"f\"\n";
    let dir = tree(&[("rules/readme-missing.toml", replacement), ("repo/README.rst", "x\n")]);
    let report = json(
        &dir.path().join("repo"),
        &["--rules", dir.path().join("rules").to_str().unwrap(), "--select", "readme-missing"],
    );
    let found = findings(&report);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["severity"], "info");
    assert_eq!(found[0]["message"], "No README (team rule)");
}

#[test]
fn broken_rule_files_are_reported_with_spans() {
    let bad_regex = RULE.replace("pattern = 'TODO'", "pattern = 'TODO(('");
    let bad_glob = RULE.replace("todo-comment", "todo-glob").replace("[\"**/*.py\"]", "[\"**/[.py\"]");
    let bad_stem = RULE.replace("todo-comment", "todo-other");
    let bad_kind = RULE.replace("todo-comment", "todo-kind").replace("kind = \"content\"", "kind = \"contents\"");
    let dir = tree(&[
        ("rules/todo-comment.toml", &bad_regex),
        ("rules/todo-glob.toml", &bad_glob),
        ("rules/todo-mismatch.toml", &bad_stem),
        ("rules/todo-kind.toml", &bad_kind),
        ("rules/broken.toml", "id = \"broken\"\nfamily = \n"),
        (
            "rules/fields.toml",
            "id = \"fields\"\nfamily = \"doc\"\nseverity = \"warning\"\nsummary = \"s\"\ncolour = 1\n[check]\nkind = \"files\"\npaths = [\"x\"]\n[docs]\nwhy = \"w\"\nfix = \"f\"\n",
        ),
        (
            "rules/todo-nopattern.toml",
            &RULE.replace("todo-comment", "todo-nopattern").replace("pattern = 'TODO'\n", ""),
        ),
        (
            "rules/todo-any.toml",
            &RULE.replace("todo-comment", "todo-any").replace(
                "kind = \"content\"\nfiles = [\"**/*.py\"]\npattern = 'TODO'",
                "kind = \"any\"\n\n[[check.of]]\nkind = \"files\"\n",
            ),
        ),
        ("repo/README.md", "# x\n"),
    ]);
    let stderr = stderr_of(&dir.path().join("repo"), &["--rules", dir.path().join("rules").to_str().unwrap()]);
    for expected in [
        "invalid regex",
        "todo-comment.toml:",
        "invalid glob `**/[.py`",
        "rule id `todo-other` differs from its file name `todo-mismatch.toml`",
        "unknown check kind `contents`",
        "did you mean `content`?",
        "invalid TOML",
        "broken.toml:",
        "unknown family `doc`",
        "unknown key `colour`",
        "[check] needs `pattern`",
        "[[check.of]] needs `paths`",
    ] {
        assert!(stderr.contains(expected), "missing {expected:?} in:\n{stderr}");
    }
}

#[test]
fn a_duplicate_rule_id_points_at_both_definitions() {
    let dir = tree(&[("a/todo-comment.toml", RULE), ("b/todo-comment.toml", RULE), ("repo/README.md", "# x\n")]);
    let stderr = stderr_of(
        &dir.path().join("repo"),
        &["--rules", dir.path().join("a").to_str().unwrap(), "--rules", dir.path().join("b").to_str().unwrap()],
    );
    assert!(stderr.contains("rule id `todo-comment` is defined twice"), "{stderr}");
    assert!(stderr.contains("first here") && stderr.contains("again here"), "{stderr}");
}

#[test]
fn a_missing_rule_folder_is_an_error() {
    let dir = tree(&[("README.md", "# x\n")]);
    apelint()
        .arg(dir.path())
        .args(["--rules", "/no/such/rules"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("rule folder `/no/such/rules` does not exist"));
}

#[test]
fn broken_code_and_history_rules_are_reported_with_spans() {
    let query = "id = \"bad-query\"\nfamily = \"observability\"\nseverity = \"info\"\nsummary = \"s\"\n\n[check]\nkind = \"query\"\nunless = { try = 'x(' }\n\n[check.patterns]\npython = '''\n(call\n  function: (nosuchnode) @f) @match\n'''\ncobol = \"(x) @match\"\n\n[docs]\nwhy = \"w\"\nfix = \"f\"\n";
    let history = "id = \"bad-history\"\nfamily = \"shipping\"\nseverity = \"info\"\nsummary = \"s\"\n\n[check]\nkind = \"history\"\nmetric = \"days-since-last-comit\"\nmax = 3\n\n[profiles.libary]\nmax = 4\n\n[docs]\nwhy = \"w\"\nfix = \"f\"\n";
    let dir = tree(&[
        ("rules/bad-query.toml", query),
        ("rules/bad-history.toml", history),
        ("repo/apelint.toml", "[history]\nwindow-days = 0\nbots = [\"(unclosed\"]\n"),
        ("repo/README.md", "# x\n"),
    ]);
    let stderr = stderr_of(&dir.path().join("repo"), &["--rules", dir.path().join("rules").to_str().unwrap()]);
    for expected in [
        "unknown language `cobol`",
        "invalid regex",
        "unknown metric `days-since-last-comit`",
        "did you mean `days-since-last-commit`?",
        "unknown profile `libary`",
        "did you mean `library`?",
        "`window-days` must be between 1 and 3653",
        "apelint.toml:2:",
        "apelint.toml:3:",
    ] {
        assert!(stderr.contains(expected), "missing {expected:?} in:\n{stderr}");
    }
}

#[test]
fn a_rule_can_start_from_another_rules_check_and_a_bad_like_is_reported() {
    let like = RULE.replace("id = \"todo-comment\"", "id = \"fixme-comment\"").replace(
        "kind = \"content\"\nfiles = [\"**/*.py\"]\npattern = 'TODO'",
        "like = \"todo-comment\"\npattern = 'FIXME'",
    );
    let dir = tree(&[
        ("rules/todo-comment.toml", RULE),
        ("rules/fixme-comment.toml", &like),
        ("repo/app.py", "x = 1  # FIXME: remove\ny = 2  # TODO: later\n"),
    ]);
    let rules = dir.path().join("rules");
    let report = json(&dir.path().join("repo"), &["--rules", rules.to_str().unwrap(), "--select", "fixme-comment"]);
    let found = findings(&report);
    assert_eq!(found.len(), 1, "{report:#}");
    assert_eq!(found[0]["location"]["line"], 1);

    let unknown = like.replace("like = \"todo-comment\"", "like = \"todo-coment\"");
    std::fs::write(rules.join("fixme-comment.toml"), unknown).unwrap();
    let stderr = stderr_of(&dir.path().join("repo"), &["--rules", rules.to_str().unwrap()]);
    assert!(stderr.contains("`like` names no rule `todo-coment`"), "{stderr}");
}

#[test]
fn a_pattern_that_does_not_compile_is_reported_at_its_line() {
    let query = "id = \"bad-query\"\nfamily = \"observability\"\nseverity = \"info\"\nsummary = \"s\"\n\n[check]\nkind = \"query\"\n\n[check.patterns]\ngo = \"(call_expression) @match\"\npython = '''\n(call\n  function: (nosuchnode) @f) @match\n'''\n\n[docs]\nwhy = \"w\"\nfix = \"f\"\n";
    let dir = tree(&[
        ("rules/bad-query.toml", query),
        ("python/app.py", "print(1)\n"),
        ("go/main.go", "package main\n\nfunc main() {}\n"),
    ]);
    let rules = dir.path().join("rules");
    let rules = rules.to_str().unwrap();
    // A run compiles the languages the repository holds: a Python file brings the error out...
    let stderr = stderr_of(&dir.path().join("python"), &["--rules", rules, "--select", "bad-query"]);
    assert!(stderr.contains("invalid python query"), "{stderr}");
    // ...pointing at its own line inside the rule file, not at the string's start.
    assert!(stderr.contains("bad-query.toml:13:"), "{stderr}");
    // A repository without Python never compiles the Python pattern.
    let report = json(&dir.path().join("go"), &["--rules", rules, "--select", "bad-query"]);
    assert!(report["summary"]["rules_run"] == 1, "{report:#}");
    // `apelint rules` compiles every pattern of every language.
    let output = apelint().args(["rules", "--rules", rules]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("bad-query.toml:13:"));
}

#[test]
fn an_implement_context_needs_define_words_and_a_valid_regex() {
    let rule = "id = \"seams\"\nfamily = \"design\"\nseverity = \"info\"\nsummary = \"s\"\n\n[check]\nkind = \"implementations\"\nreport = \"single\"\ndefine-words = { ruby = [\"NotImplementedError\"] }\nimplement-context = { ruby = '<(', python = '\\(' }\n\n[check.patterns]\nruby = \"(class name: (constant) @define)\"\n\n[docs]\nwhy = \"w\"\nfix = \"f\"\n";
    let dir = tree(&[("rules/seams.toml", rule), ("repo/a.rb", "class A; end\n")]);
    let rules = dir.path().join("rules");
    let output = apelint().args(["rules", "--rules", rules.to_str().unwrap()]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("`implement-context` for python needs `define-words` for it"), "{stderr}");
    assert!(stderr.contains("seams.toml:10:"), "{stderr}");
    assert!(stderr.contains("regex"), "{stderr}");
}

#[test]
fn suppressions_in_the_configuration_need_a_reason_and_expire() {
    let swallow = "try:\n    run()\nexcept Exception:\n    pass\n";
    let config = |until: &str| {
        format!(
            "[[suppress]]\nrule = \"error-swallowed\"\npaths = [\"importer/**\"]\nreason = \"the legacy importer is being replaced\"\nuntil = \"{until}\"\n"
        )
    };
    let select = ["--select", "error-swallowed,bad-suppression"];
    // Before its day ends: the legacy finding is silenced, the other one is not.
    let dir = tree(&[("importer/a.py", swallow), ("b.py", swallow), ("apelint.toml", &config("2026-06-01"))]);
    let report = json_at(dir.path(), "2026-06-01", &select);
    let paths: Vec<String> =
        findings(&report).iter().map(|f| f["location"]["path"].as_str().unwrap().to_string()).collect();
    assert_eq!(paths, ["b.py"], "{report:#}");
    assert_eq!(report["summary"]["suppressed"], 1);
    // Expired: reported again, and the suppression says so at its line in apelint.toml.
    let report = json_at(dir.path(), "2026-06-02", &select);
    let found: Vec<(String, String)> = findings(&report)
        .iter()
        .map(|f| (f["rule"].as_str().unwrap().to_string(), f["location"]["path"].as_str().unwrap().to_string()))
        .collect();
    assert!(found.contains(&("error-swallowed".into(), "importer/a.py".into())), "{found:?}");
    let expired = findings(&report).into_iter().find(|f| f["rule"] == "bad-suppression").expect("bad-suppression");
    assert_eq!(expired["location"]["path"], "apelint.toml");
    assert_eq!(expired["location"]["line"], 2);
    assert!(expired["message"].as_str().unwrap().contains("expired on 2026-06-01"), "{expired:#}");
    // No reason, or a date that is not one: configuration errors at their line.
    let bad = tree(&[("apelint.toml", "[[suppress]]\nrule = \"error-swallowed\"\nuntil = \"soon\"\n")]);
    let stderr = stderr_of(bad.path(), &[]);
    assert!(stderr.contains("`until` must be a calendar day"), "{stderr}");
    let bad = tree(&[("apelint.toml", "[[suppress]]\nrule = \"error-swallowed\"\n")]);
    let stderr = stderr_of(bad.path(), &[]);
    assert!(stderr.contains("reason"), "{stderr}");
}
