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
    let lines = annotations(dir.path(), &[]);
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
}

#[test]
fn at_most_ten_of_each_kind_then_a_pointer_to_the_summary() {
    let swallow = "try:\n    run()\nexcept Exception:\n    pass\n";
    let files: Vec<(String, &str)> = (0..14).map(|n| (format!("m{n}.py"), swallow)).collect();
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(path, text)| (path.as_str(), *text)).collect();
    let dir = tree(&borrowed);
    let lines = annotations(dir.path(), &["--select", "error-swallowed"]);
    assert_eq!(lines.iter().filter(|line| line.starts_with("::warning")).count(), 10, "{lines:#?}");
    let last = lines.last().unwrap();
    assert!(last.contains("14 findings; 4 more than GitHub shows"), "{last}");
}
