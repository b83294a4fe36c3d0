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
        ("jobs/c.py", "try:\n    run()\nexcept Exception:\n    pass\n"),
        ("jobs/d.py", "try:\n    run()\nexcept Exception:\n    pass\n"),
        ("jobs/e.py", "try:\n    run()\nexcept Exception:\n    pass\n"),
        ("notes/x.md", "See <b>[the page](gone.md)</b> | now.\n"),
    ]);
    let text = summary(dir.path(), &["--preview"]);
    assert!(text.starts_with("## apelint\n"), "{text}");
    assert!(text.contains("| family | errors | warnings | info |"), "{text}");
    // Three in one folder are one grouped finding, its places folded under it.
    assert!(text.contains("| observability | 0 | 3 | 0 |"), "{text}");
    assert!(text.contains("### ⚠️ `error-swallowed` (3)"), "{text}");
    assert!(text.contains("- `a.py:3:1` error swallowed"), "{text}");
    assert!(
        text.contains("- `jobs/c.py:3:1` An error is caught and silently dropped\\: 3 places in `jobs/`"),
        "{text}"
    );
    assert!(text.contains("<details><summary>3 places</summary>\n\n  - `jobs/c.py:3:1` error swallowed\\: `except Exception:`\n  - `jobs/d.py:3:1`"), "{text}");
    // Repository-level findings have a section of their own (no README here).
    assert!(text.contains("### About the repository") && text.contains("`readme-missing`"), "{text}");
    // Text from the repository cannot inject HTML.
    assert!(!text.contains("<b>"), "{text}");
}

#[test]
fn a_summary_over_a_mebibyte_is_cut_with_a_note() {
    let line = "try { run(); } catch (e) {}\n";
    let big = line.repeat(14_000);
    // A rule that never groups: 14,000 findings of their own.
    let rule = "id = \"catch-all\"\nfamily = \"care\"\nseverity = \"warning\"\nsummary = \"s\"\n\n[check]\nkind = \"content\"\nfiles = [\"**/*.js\"]\npattern = 'catch'\n\n[group]\nby = \"none\"\n\n[docs]\nwhy = \"w\"\nfix = \"f\"\n";
    let dir = tree(&[
        ("rules/catch-all.toml", rule),
        ("repo/src/a/deeply/nested/folder/with/a/rather/long/name/for/the/module.js", &big),
    ]);
    let rules = dir.path().join("rules");
    let text = summary(&dir.path().join("repo"), &["--rules", rules.to_str().unwrap(), "--select", "catch-all"]);
    assert!(text.len() <= 1024 * 1024, "{} bytes", text.len());
    assert!(text.contains("more findings are not listed"), "{}", &text[text.len() - 300..]);
}
