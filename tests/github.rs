//! `--format github`: workflow commands GitHub Actions turns into annotations.

mod common;

use common::{apelint, tree};

fn annotations(path: &std::path::Path, args: &[&str]) -> Vec<String> {
    let output = apelint().arg(path).args(["--format", "github"]).args(args).output().expect("apelint runs");
    assert!(matches!(output.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap().lines().map(str::to_string).collect()
}

#[test]
fn findings_become_escaped_annotations_most_severe_first() {
    // A file name and a message that try to start commands of their own.
    let dir = tree(&[
        ("a%b,c.py", "try:\n    run()\nexcept Exception:\n    pass\n"),
        ("docs/guide.md", "# Guide\n\nSee [this](no%0A::error::x.md).\n"),
    ]);
    let lines = annotations(dir.path(), &["--preview"]);
    // Every line is one command; no text from the repository starts a line.
    assert!(
        lines.iter().all(|line| line.starts_with("::error ")
            || line.starts_with("::warning ")
            || line.starts_with("::notice ")),
        "{lines:#?}"
    );
    let swallowed = lines.iter().find(|line| line.contains("error-swallowed")).expect("error-swallowed");
    assert!(swallowed.starts_with("::warning file=a%25b%2Cc.py,line=3,endLine=4,title="), "{swallowed}");
    assert!(swallowed.contains("%0A%0ALog the error"), "the help follows the message: {swallowed}");
    assert!(swallowed.contains("title=apelint error-swallowed (observability)::"), "{swallowed}");
    // Severity order: errors, then warnings, then notices; a closing notice counts them.
    let rank = |line: &String| {
        if line.starts_with("::error") {
            0
        } else if line.starts_with("::warning") {
            1
        } else {
            2
        }
    };
    assert!(lines.windows(2).all(|pair| rank(&pair[0]) <= rank(&pair[1])), "{lines:#?}");
    assert!(lines.last().unwrap().starts_with("::notice title=apelint::apelint: "), "{lines:#?}");
    // A repository-level finding whose file does not exist yet is the run's annotation, and says
    // where the fix goes.
    let readme = lines.iter().find(|line| line.contains("readme-missing")).expect("readme-missing");
    assert!(readme.starts_with("::error title=apelint readme-missing (docs)::"), "{readme}");
    assert!(readme.contains("(fix in `README.md`)"), "{readme}");
}

#[test]
fn at_most_ten_of_each_kind_then_a_pointer_to_the_summary() {
    let swallow = "try:\n    run()\nexcept Exception:\n    pass\n";
    // A folder each: findings of their own, not one group.
    let files: Vec<(String, &str)> = (0..14).map(|n| (format!("m{n}/run.py"), swallow)).collect();
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(path, text)| (path.as_str(), *text)).collect();
    let dir = tree(&borrowed);
    let lines = annotations(dir.path(), &["--select", "error-swallowed"]);
    assert_eq!(lines.iter().filter(|line| line.starts_with("::warning")).count(), 10, "{lines:#?}");
    let last = lines.last().unwrap();
    assert!(last.contains("14 findings; 4 more than GitHub shows"), "{last}");
}

fn git(dir: &std::path::Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .args(["-c", "user.name=Dev", "-c", "user.email=dev@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

#[test]
fn pull_request_mode_annotates_the_change_only() {
    let swallow = "try:\n    run()\nexcept Exception:\n    pass\n";
    let dir = tree(&[("a.py", swallow), ("README.md", "# x\n")]);
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "base"]);
    git(dir.path(), &["checkout", "-q", "-b", "feature"]);
    std::fs::write(dir.path().join("a.py"), format!("{swallow}\n{swallow}")).unwrap();
    std::fs::write(dir.path().join("b.py"), swallow).unwrap();
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "change"]);
    let annotated = |mode: &str| -> Vec<String> {
        annotations(dir.path(), &["--select", "error-swallowed", "--diff-base", "main", "--filter-mode", mode])
            .into_iter()
            .filter(|line| line.starts_with("::warning"))
            .map(|line| line.split(",endLine").next().unwrap().trim_start_matches("::warning file=").to_string())
            .collect()
    };
    // The new handler in a.py (line 8) and b.py's; not a.py's old one (line 3).
    assert_eq!(annotated("added"), ["a.py,line=8", "b.py,line=3"]);
    assert_eq!(annotated("file"), ["a.py,line=3", "a.py,line=8", "b.py,line=3"]);
    let last = annotations(dir.path(), &["--select", "error-swallowed", "--diff-base", "main"]);
    assert!(last.last().unwrap().contains("apelint: 2 findings in this change (3 in all)"), "{last:#?}");
    // A base that names nothing is an error with a hint.
    let output =
        apelint().arg(dir.path()).args(["--format", "github", "--diff-base", "no-such-branch"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("fetch-depth"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_file_name_cannot_start_a_workflow_command_in_any_format() {
    // GitHub reads every line a step prints; a line break in a file name must stay inside its line.
    let dir = tree(&[("a\n::error title=forged::pwned\n.py", "try:\n    run()\nexcept Exception:\n    pass\n")]);
    for format in ["human", "github", "markdown"] {
        let output = apelint().arg(dir.path()).args(["--format", format, "--select", "error-swallowed"]).output();
        let stdout = String::from_utf8(output.unwrap().stdout).unwrap();
        assert!(stdout.contains("pwned"), "{format}: the finding is reported: {stdout}");
        assert!(!stdout.lines().any(|line| line.starts_with("::error title=forged")), "{format}: {stdout}");
    }
}

#[test]
fn a_subfolder_reports_paths_from_the_top_of_the_repository() {
    // GitHub resolves annotation and SARIF paths from the repository's top, not the checked folder.
    let dir = tree(&[("svc/a.py", "try:\n    run()\nexcept Exception:\n    pass\n"), ("README.md", "# x\n")]);
    git(dir.path(), &["init", "-q"]);
    let svc = dir.path().join("svc");
    let lines = annotations(&svc, &["--select", "error-swallowed"]);
    assert!(lines[0].starts_with("::warning file=svc/a.py,line=3,"), "{lines:#?}");
    let output = apelint().arg(&svc).args(["--format", "sarif", "--select", "error-swallowed"]).output().unwrap();
    let log: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let run = &log["runs"][0];
    assert_eq!(run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "svc/a.py");
    assert_eq!(run["automationDetails"]["id"], "apelint/svc/");
    // The JSON report keeps paths relative to the checked folder.
    let json = apelint().arg(&svc).args(["--format", "json", "--select", "error-swallowed"]).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["findings"][0]["location"]["path"], "a.py");
}
