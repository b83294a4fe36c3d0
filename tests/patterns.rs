//! A rule's tree-sitter patterns in `.scm` files beside it (`<id>/<languages>.scm`): read for user
//! rules as for built-ins, shared by a group of languages, taken by a rule `like` it, and a pattern
//! that does not compile is reported at its line in its `.scm` file.

mod common;

use common::{apelint, findings, json, tree};

const RULE: &str = "id = \"my-print\"\nfamily = \"observability\"\nseverity = \"info\"\nsummary = \"s\"\n\n[check]\nkind = \"query\"\n\n[docs]\nwhy = \"w\"\nfix = \"f\"\n";

const PYTHON: &str = "; print calls\n(call function: (identifier) @fn (#eq? @fn \"print\")) @match\n";

const SCRIPTS: &str =
    "(call_expression\n  function: (member_expression object: (identifier) @o)\n  (#eq? @o \"console\")) @match\n";

fn stderr_of(dir: &std::path::Path, args: &[&str]) -> String {
    let output = apelint().arg(dir).args(args).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "stdout: {}", String::from_utf8_lossy(&output.stdout));
    String::from_utf8(output.stderr).unwrap()
}

#[test]
fn a_user_rule_reads_its_patterns_from_the_scm_files_beside_it() {
    let dir = tree(&[
        ("rules/my-print.toml", RULE),
        ("rules/my-print/python.scm", PYTHON),
        ("rules/my-print/javascript+typescript+tsx.scm", SCRIPTS),
        // The snippets file beside the patterns is not a rule.
        ("rules/my-print/tests.toml", "[[patterns]]\nlang = \"python\"\ninvalid = [\"print(1)\"]\n"),
        ("repo/app.py", "print(1)\n"),
        ("repo/web/app.ts", "console.log(1);\n"),
        ("repo/web/view.tsx", "console.log(2);\n"),
        ("repo/web/old.js", "console.log(3);\n"),
        ("repo/main.go", "package main\n\nfunc main() { println(1) }\n"),
    ]);
    let rules = dir.path().join("rules");
    let report = json(&dir.path().join("repo"), &["--rules", rules.to_str().unwrap(), "--select", "my-print"]);
    let mut paths: Vec<String> =
        findings(&report).iter().map(|finding| finding["location"]["path"].as_str().unwrap().to_string()).collect();
    paths.sort();
    assert_eq!(paths, ["app.py", "web/app.ts", "web/old.js", "web/view.tsx"], "{report:#}");
}

#[test]
fn a_rule_in_a_folder_named_like_another_rule_is_still_a_rule() {
    // Rule folders held `<name>/` subfolders of rules before rules had pattern folders: only the
    // snippets file `tests.toml` there is not a rule.
    let other =
        RULE.replace("my-print", "my-other").replace("kind = \"query\"", "kind = \"files\"\npaths = [\"NOPE\"]");
    let dir = tree(&[
        ("rules/my-print.toml", RULE),
        ("rules/my-print/python.scm", PYTHON),
        ("rules/my-print/my-other.toml", &other),
        ("repo/app.py", "print(1)\n"),
    ]);
    let rules = dir.path().join("rules");
    let report = json(&dir.path().join("repo"), &["--rules", rules.to_str().unwrap(), "--select", "my-print,my-other"]);
    let mut ids: Vec<String> =
        findings(&report).iter().map(|finding| finding["rule"].as_str().unwrap().to_string()).collect();
    ids.sort();
    assert_eq!(ids, ["my-other", "my-print"], "{report:#}");
}

#[test]
fn a_pattern_that_does_not_compile_is_reported_at_its_line_in_its_scm_file() {
    let broken = "; the second pattern names a node Python does not have\n(call) @match\n(call\n  function: (nosuchnode) @f) @match\n";
    let dir = tree(&[
        ("rules/my-print.toml", RULE),
        ("rules/my-print/python.scm", broken),
        ("rules/my-print/go.scm", "(call_expression) @match\n"),
        ("python/app.py", "print(1)\n"),
        ("go/main.go", "package main\n\nfunc main() {}\n"),
    ]);
    let rules = dir.path().join("rules");
    let rules = rules.to_str().unwrap();
    let stderr = stderr_of(&dir.path().join("python"), &["--rules", rules, "--select", "my-print"]);
    assert!(stderr.contains("invalid python query"), "{stderr}");
    assert!(stderr.contains("my-print/python.scm:4:"), "{stderr}");
    // A repository without Python never compiles the Python pattern.
    let report = json(&dir.path().join("go"), &["--rules", rules, "--select", "my-print"]);
    assert_eq!(report["summary"]["rules_run"], 1, "{report:#}");
    // `apelint rules` compiles every pattern of every language.
    let output = apelint().args(["rules", "--rules", rules]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("my-print/python.scm:4:"));
}

#[test]
fn a_broken_pattern_in_a_group_file_is_reported_in_that_file_for_each_language() {
    // Laid out as the built-in rules are: rules/<family>/<id>.toml and rules/<family>/<id>/.
    let broken = "(call_expression\n  function: (member_expression object: (identifier) @o)\n  (#eq? @o \"console\")) @match\n(nosuchnode) @match\n";
    let dir = tree(&[
        ("rules/observability/my-print.toml", RULE),
        ("rules/observability/my-print/javascript+typescript+tsx.scm", broken),
        ("repo/app.ts", "console.log(1);\n"),
    ]);
    let rules = dir.path().join("rules");
    let output = apelint().args(["rules", "--rules", rules.to_str().unwrap()]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    for lang in ["javascript", "typescript", "tsx"] {
        assert!(stderr.contains(&format!("invalid {lang} query")), "{lang}: {stderr}");
    }
    assert!(stderr.contains("my-print/javascript+typescript+tsx.scm:4:"), "{stderr}");
    let stderr = stderr_of(&dir.path().join("repo"), &["--rules", rules.to_str().unwrap(), "--select", "my-print"]);
    assert!(stderr.contains("invalid typescript query"), "{stderr}");
    assert!(stderr.contains("my-print/javascript+typescript+tsx.scm:4:"), "{stderr}");
}

#[test]
fn pattern_files_are_named_for_known_languages_each_once_and_never_beside_inline_patterns() {
    let inline = RULE.replace("[docs]", "[check.patterns]\ngo = \"(call_expression) @match\"\n\n[docs]");
    let dir = tree(&[
        ("unknown/my-print.toml", RULE),
        ("unknown/my-print/cobol+python.scm", PYTHON),
        ("twice/my-print.toml", RULE),
        ("twice/my-print/python.scm", PYTHON),
        ("twice/my-print/python+ruby.scm", PYTHON),
        ("both/my-print.toml", &inline),
        ("both/my-print/python.scm", PYTHON),
        ("files/my-print.toml", &RULE.replace("kind = \"query\"", "kind = \"files\"\npaths = [\"README.md\"]")),
        ("files/my-print/python.scm", PYTHON),
        ("repo/app.py", "print(1)\n"),
    ]);
    let run =
        |folder: &str| stderr_of(&dir.path().join("repo"), &["--rules", dir.path().join(folder).to_str().unwrap()]);
    let stderr = run("unknown");
    assert!(stderr.contains("unknown language `cobol`"), "{stderr}");
    assert!(stderr.contains("cobol+python.scm"), "{stderr}");
    let stderr = run("twice");
    assert!(stderr.contains("python patterns are in two files"), "{stderr}");
    let stderr = run("both");
    assert!(stderr.contains("writes `[check.patterns]` and has pattern files"), "{stderr}");
    let stderr = run("files");
    assert!(stderr.contains("pattern files are read by `query` and `implementations`"), "{stderr}");
    assert!(stderr.contains("files/my-print/python.scm"), "{stderr}");
}

#[test]
fn a_rule_like_another_takes_its_pattern_files_unless_it_has_its_own() {
    let like = |id: &str| {
        RULE.replace("id = \"my-print\"", &format!("id = \"{id}\""))
            .replace("kind = \"query\"", "like = \"my-print\"\nexclude = [\"skip/**\"]")
    };
    let dir = tree(&[
        ("rules/my-print.toml", RULE),
        ("rules/my-print/python.scm", PYTHON),
        ("rules/print-too.toml", &like("print-too")),
        ("rules/console-too.toml", &like("console-too")),
        ("rules/console-too/javascript.scm", SCRIPTS),
        ("repo/app.py", "print(1)\n"),
        ("repo/skip/app.py", "print(1)\n"),
        ("repo/app.js", "console.log(1);\n"),
    ]);
    let rules = dir.path().join("rules");
    let rules = rules.to_str().unwrap();
    let found = |id: &str| {
        let report = json(&dir.path().join("repo"), &["--rules", rules, "--select", id]);
        findings(&report)
            .iter()
            .map(|finding| finding["location"]["path"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(found("my-print"), ["app.py", "skip/app.py"]);
    assert_eq!(found("print-too"), ["app.py"]);
    assert_eq!(found("console-too"), ["app.js"]);
}

#[test]
fn a_users_inline_patterns_replace_a_rules_pattern_files() {
    let dir = tree(&[
        ("rules/my-print.toml", RULE),
        ("rules/my-print/python.scm", PYTHON),
        ("repo/app.py", "print(1)\nlen(x)\n"),
        (
            "repo/apelint.toml",
            "[rules.my-print]\npatterns = { python = '(call function: (identifier) @fn (#eq? @fn \"len\")) @match' }\n",
        ),
    ]);
    let rules = dir.path().join("rules");
    let report = json(&dir.path().join("repo"), &["--rules", rules.to_str().unwrap(), "--select", "my-print"]);
    let lines: Vec<i64> =
        findings(&report).iter().map(|finding| finding["location"]["line"].as_i64().unwrap()).collect();
    assert_eq!(lines, [2], "{report:#}");
}
