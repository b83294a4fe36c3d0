//! `--format markdown`: the job summary for `$GITHUB_STEP_SUMMARY`.

mod common;

use common::{apelint, tree};

fn summary(path: &std::path::Path, args: &[&str]) -> String {
    let output = apelint().arg(path).args(["--format", "markdown"]).args(args).output().expect("apelint runs");
    assert!(matches!(output.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn counts_by_family_findings_by_rule_and_repository_findings() {
    let dir = tree(&[
        ("a.py", "try:\n    run()\nexcept Exception:\n    pass\n"),
        ("b.py", "try:\n    run()\nexcept Exception:\n    pass\n"),
        ("notes/x.md", "See <b>[the page](gone.md)</b> | now.\n"),
    ]);
    let text = summary(dir.path(), &[]);
    assert!(text.starts_with("## apelint\n"), "{text}");
    assert!(text.contains("| family | errors | warnings | info |"), "{text}");
    assert!(text.contains("| observability | 0 | 2 | 0 |"), "{text}");
    assert!(text.contains("### ⚠️ `error-swallowed` (2)"), "{text}");
    assert!(text.contains("- `a.py:3:1` error swallowed"), "{text}");
    // Repository-level findings have a section of their own (no README here).
    assert!(text.contains("### About the repository") && text.contains("`readme-missing`"), "{text}");
    // Text from the repository cannot inject HTML.
    assert!(!text.contains("<b>"), "{text}");
}

#[test]
fn a_summary_over_a_mebibyte_is_cut_with_a_note() {
    let line = "try { run(); } catch (e) {}\n";
    let big = line.repeat(14_000);
    let dir = tree(&[("src/a/deeply/nested/folder/with/a/rather/long/name/for/the/module.js", &big)]);
    let text = summary(dir.path(), &["--select", "error-swallowed"]);
    assert!(text.len() <= 1024 * 1024, "{} bytes", text.len());
    assert!(text.contains("more findings are not listed"), "{}", &text[text.len() - 300..]);
}
