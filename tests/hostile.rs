//! Hostile repositories (issue 12): every reproduction of the probe, as a test. A repository is
//! written by strangers; nothing in it may make apelint read outside it, write control sequences
//! or workflow commands, render links or images in a summary, panic, or run without bound.

mod common;

use common::{apelint, tree};
use std::path::Path;
use std::process::Output;
use std::time::Duration;

/// Every output format, run on `root`: (format, stdout, stderr, exit code).
fn every_format(root: &Path, args: &[&str]) -> Vec<(&'static str, String, String, Option<i32>)> {
    ["human", "json", "sarif", "github", "markdown"]
        .into_iter()
        .map(|format| {
            let output = apelint().arg(root).args(["--format", format]).args(args).output().expect("apelint runs");
            (
                format,
                String::from_utf8_lossy(&output.stdout).into_owned(),
                String::from_utf8_lossy(&output.stderr).into_owned(),
                output.status.code(),
            )
        })
        .collect()
}

fn git(root: &Path, args: &[&str]) {
    git_on(root, "2026-05-01", args);
}

/// Runs git with author and committer dates on `day` (noon UTC).
fn git_on(root: &Path, day: &str, args: &[&str]) {
    let date = format!("{day}T12:00:00Z");
    let status = std::process::Command::new("git")
        .args(["-c", "user.name=Dev", "-c", "user.email=dev@example.com", "-c", "commit.gpgsign=false"])
        .args(["-c", "tag.gpgsign=false"])
        .args(args)
        .current_dir(root)
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

fn commit_all(root: &Path, message: &str) {
    commit_on(root, "2026-05-01", message);
}

fn commit_on(root: &Path, day: &str, message: &str) {
    git_on(root, day, &["add", "-A"]);
    git_on(root, day, &["commit", "-q", "--allow-empty", "-m", message]);
}

/// Lines as a CI runner reads them: split at LF and at a lone CR.
fn runner_lines(text: &str) -> impl Iterator<Item = &str> {
    text.split(['\n', '\r'])
}

fn assert_no_control(text: &str, what: &str) {
    let bad: Vec<char> = text.chars().filter(|c| c.is_control() && !matches!(c, '\n' | '\t')).collect();
    assert!(bad.is_empty(), "{what} holds control characters {bad:?}:\n{text}");
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

// ---- Reads outside the repository ----

#[cfg(unix)]
#[test]
fn a_link_out_of_the_repository_is_never_read() {
    let outside = tree(&[("secret.md", "# Secret\n\nroot:x:0:0 [token](TOKEN_abc123)\n")]);
    let dir = tree(&[("src/main.rs", "fn main() {}\n")]);
    std::os::unix::fs::symlink(outside.path().join("secret.md"), dir.path().join("README.md")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.md"), dir.path().join("docs.md")).unwrap();
    git(dir.path(), &["init", "-q"]);
    for (format, stdout, stderr, code) in every_format(dir.path(), &["--preview"]) {
        assert!(matches!(code, Some(0 | 1)), "{format}: {stderr}");
        for leak in ["TOKEN_abc123", "root:x:0:0"] {
            assert!(!stdout.contains(leak) && !stderr.contains(leak), "{format} leaks {leak}:\n{stdout}{stderr}");
        }
    }
    let report = common::json(dir.path(), &["--preview"]);
    let skipped = report["skipped_files"].as_array().unwrap();
    for path in ["README.md", "docs.md"] {
        assert!(
            skipped.iter().any(|entry| entry["path"] == path && entry["reason"] == "link out of the repository"),
            "{skipped:?}"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_link_into_git_is_never_read() {
    let dir = tree(&[("src/main.rs", "fn main() {}\n")]);
    git(dir.path(), &["init", "-q"]);
    // `actions/checkout` keeps its token in `.git/config`; any file under `.git` is as private.
    std::fs::write(dir.path().join(".git/description"), "[x](TOKEN_in_git)\nextraheader = AUTHORIZATION\n").unwrap();
    std::os::unix::fs::symlink(".git/description", dir.path().join("README.md")).unwrap();
    // A manifest whose dependency line would be quoted in a code frame (`tracing` declared, unused).
    let manifest =
        "[package]\nname = \"x\"\nversion = \"0.1.0\"\n\n[dependencies]\ntracing = \"TOKEN_in_git\"\naxum = \"0.7\"\n";
    std::fs::write(dir.path().join(".git/manifest.toml"), manifest).unwrap();
    std::os::unix::fs::symlink(".git/manifest.toml", dir.path().join("Cargo.toml")).unwrap();
    std::os::unix::fs::symlink(dir.path().join(".git/config"), dir.path().join("CONTRIBUTING.md")).unwrap();
    commit_all(dir.path(), "links");
    for (format, stdout, stderr, _) in every_format(dir.path(), &[]) {
        for leak in ["TOKEN_in_git", "AUTHORIZATION", "repositoryformatversion"] {
            assert!(!stdout.contains(leak) && !stderr.contains(leak), "{format} leaks {leak}:\n{stdout}{stderr}");
        }
    }
}

#[test]
fn rule_folders_named_by_the_repository_stay_inside_it() {
    let elsewhere = tree(&[("leak.toml", "token = \"TOKEN_rules\"\nid = 3\n")]);
    let absolute = format!("rule-dirs = [{:?}]\n", elsewhere.path().to_str().unwrap());
    let escaping =
        "rule-dirs = [\"../../../../../../../../..".to_string() + elsewhere.path().to_str().unwrap() + "\"]\n";
    for config in [absolute, escaping] {
        let dir = tree(&[("apelint.toml", &config), ("README.md", "# x\n")]);
        let output = apelint().arg(dir.path()).output().unwrap();
        let text = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{text}");
        assert!(text.contains("a rule folder must be inside the repository"), "{text}");
        assert!(text.contains("apelint.toml:1:"), "the error points at its span:\n{text}");
        assert!(!text.contains("TOKEN_rules"), "{text}");
    }
    // The same folder given on the command line is the user's choice, and is read.
    let dir = tree(&[("README.md", "# x\n")]);
    let output = apelint().arg(dir.path()).args(["--rules", elsewhere.path().to_str().unwrap()]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("leak.toml"), "{}", stderr(&output));
}

#[cfg(unix)]
#[test]
fn configuration_and_rule_files_that_link_out_are_refused() {
    let elsewhere = tree(&[("secret.toml", "token = \"TOKEN_config\"\n")]);
    let dir = tree(&[("README.md", "# x\n"), ("rules/.keep", "")]);
    std::os::unix::fs::symlink(elsewhere.path().join("secret.toml"), dir.path().join("apelint.toml")).unwrap();
    let output = apelint().arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("symbolic link out of the repository"), "{}", stderr(&output));
    assert!(!stderr(&output).contains("TOKEN_config"));
    // A rule folder inside the repository whose file links out: the link is not followed.
    std::fs::remove_file(dir.path().join("apelint.toml")).unwrap();
    std::fs::write(dir.path().join("apelint.toml"), "rule-dirs = [\"rules\"]\n").unwrap();
    std::os::unix::fs::symlink(elsewhere.path().join("secret.toml"), dir.path().join("rules/leak.toml")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), dir.path().join("rules/away")).unwrap();
    let output = apelint().arg(dir.path()).output().unwrap();
    assert!(matches!(output.status.code(), Some(0 | 1)), "{}", stderr(&output));
    assert!(!stderr(&output).contains("TOKEN_config"));
}

// ---- Injection into the CI log, the terminal and the job summary ----

#[test]
fn a_configuration_error_cannot_forge_a_workflow_command() {
    for key in ["\"x\\r::error title=INJECTED::pwned\" = 1", "\"x\\n::error title=INJECTED::pwned\" = 1"] {
        let dir = tree(&[("apelint.toml", &format!("{key}\n")), ("README.md", "# x\n")]);
        let output = apelint().arg(dir.path()).output().unwrap();
        let text = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{text}");
        assert!(text.contains("unknown key"), "{text}");
        assert_no_control(&text, "stderr");
        assert!(runner_lines(&text).all(|line| !line.trim_start().starts_with("::")), "{text:?}");
    }
}

#[test]
fn code_frames_show_control_sequences_escaped() {
    // A broken link on a line holding CR, ESC, an OSC title sequence and a bidi override.
    let line = "[a](gone.md) \u{1b}]0;pwned\u{7}\u{1b}[2J\r::error title=INJECTED::x \u{202E}txt\n";
    let dir = tree(&[("docs/page.md", line), ("README.md", "# x\n")]);
    let output = apelint().arg(dir.path()).args(["--select", "broken-link"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(stdout.contains("gone.md"), "{stdout}");
    assert!(stdout.contains("\\e]0;pwned"), "{stdout}");
    assert_no_control(&stdout, "the human report");
    assert!(!stdout.contains('\u{202E}'), "{stdout}");
    assert!(runner_lines(&stdout).all(|line| !line.trim_start().starts_with("::")), "{stdout:?}");
}

/// What GitHub-flavoured Markdown makes of a summary: no link, autolink, image, HTML, footnote,
/// math or mention.
fn assert_plain_markdown(summary: &str) {
    use comrak::nodes::NodeValue;
    for value in common::gfm::nodes(summary) {
        let value = &value;
        match value {
            NodeValue::Link(_)
            | NodeValue::Image(_)
            | NodeValue::HtmlInline(_)
            | NodeValue::HtmlBlock(_)
            | NodeValue::FootnoteReference(_)
            | NodeValue::Math(_) => panic!("{value:?} in the summary:\n{summary}"),
            NodeValue::Text(text) => {
                let mention = text.char_indices().any(|(at, c)| {
                    c == '@' && text[at + 1..].chars().next().is_some_and(|next| next.is_ascii_alphanumeric())
                });
                assert!(!mention, "a mention in {text:?}");
            }
            _ => {}
        }
    }
}

#[test]
fn the_job_summary_renders_repository_text_as_text() {
    let dir = tree(&[
        ("README.md", "# x\n\n[a](we`ird](https://evil.example)`.md) ![i](`x`.png)\n"),
        ("docs/a`b<img src=x>.md", "[b](gone.md)\n"),
        ("Gemfile", "source \"https://rubygems.org\"\ngem \"rails\", \"~> 7.1\"\n"),
        ("db/migrate/20240301120000_create_users.rb", "class CreateUsers < ActiveRecord::Migration[7.1]\nend\n"),
    ]);
    git(dir.path(), &["init", "-q"]);
    commit_on(dir.path(), "2026-04-01", "Create users");
    git_on(dir.path(), "2026-04-02", &["tag", "-a", "-m", "release", "v1``<img_src=x>`@team`www.evil.example"]);
    std::fs::write(
        dir.path().join("db/migrate/20240301120000_create_users.rb"),
        "class CreateUsers < ActiveRecord::Migration[7.1]\n  def change\n  end\nend\n",
    )
    .unwrap();
    commit_on(
        dir.path(),
        "2026-04-20",
        "![pixel](https://t.example/p.png) @team [click](https://evil.example) <b>x</b>",
    );
    let output = apelint()
        .arg(dir.path())
        .env("APELINT_NOW", "2026-05-02")
        .args(["--format", "markdown", "--select", "broken-link,migration-edited,unreleased-work"])
        .output()
        .unwrap();
    let summary = String::from_utf8(output.stdout).unwrap();
    assert!(summary.contains("migration-edited"), "{summary}");
    assert!(summary.contains("broken-link"), "{summary}");
    assert!(summary.contains("@team") || summary.contains("@&#8203;team"), "{summary}");
    assert_plain_markdown(&summary);
    assert_no_control(&summary, "the summary");
}

#[test]
fn escape_characters_in_file_names_stay_out_of_annotations_and_summaries() {
    let dir = tree(&[("docs/a\u{1b}[31mred.md", "[b](gone.md)\n"), ("README.md", "# x\n")]);
    for format in ["github", "markdown", "human"] {
        let output = apelint().arg(dir.path()).args(["--format", format, "--select", "broken-link"]).output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(stdout.contains("gone.md"), "{format}: {stdout}");
        assert_no_control(&stdout, format);
    }
}

// ---- Crashes and unbounded cost ----

#[test]
fn a_finding_past_column_65535_is_shown_in_a_window() {
    let line = format!("{} [a](missing.md) {}\n", "0".repeat(70_000), "9".repeat(70_000));
    let dir = tree(&[("README.md", &line)]);
    let output = apelint().arg(dir.path()).args(["--select", "broken-link"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout.contains("missing.md"), "{stdout}");
    assert!(stdout.contains("README.md:1:70006"), "the frame names the real column:\n{stdout}");
    assert!(stdout.lines().all(|line| line.chars().count() < 300), "a line over 300 chars:\n{stdout}");
}

#[test]
fn a_configuration_error_past_column_65535_is_shown_in_a_window() {
    let config = format!("exclude = [\"{}\"]; nope = 1\n", "x".repeat(70_000));
    let dir = tree(&[("apelint.toml", &config)]);
    let output = apelint().arg(dir.path()).output().unwrap();
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.lines().all(|line| line.chars().count() < 300), "a line over 300 chars:\n{text}");
}

#[test]
fn a_failing_reporter_does_not_take_the_others_down() {
    let dir = tree(&[("README.md", "# x\n\n[a](gone.md)\n")]);
    let out = tempfile::tempdir().unwrap();
    let (json, sarif) = (out.path().join("a.json"), out.path().join("a.sarif"));
    let output = apelint()
        .arg(dir.path())
        .env("APELINT_DEBUG_FAIL_REPORT", "human")
        // Preview rules too: the thin README and its broken link give every report a finding.
        .arg("--preview")
        .args(["--report", &format!("json={}", json.display()), "--report", &format!("sarif={}", sarif.display())])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("the human report could not be written"), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert!(!json["findings"].as_array().unwrap().is_empty());
    let sarif: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
}

#[test]
fn the_history_window_is_bounded() {
    let dir = tree(&[("apelint.toml", "[history]\nwindow-days = 4294967295\n"), ("README.md", "# x\n")]);
    let output = apelint().arg(dir.path()).args(["--format", "json"]).output().unwrap();
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.contains("`window-days` must be between 1 and 3653") && text.contains("apelint.toml:2:15"), "{text}");
    assert!(output.stdout.is_empty());
}

#[test]
fn markdown_costs_its_length_not_its_length_times_its_links() {
    // The probe's inputs: 30,000 links on one line took 12 s, a 1.9 MB README over 300 s. The
    // timeout is a guard against a hang, not a speed target (scripts/bench-hostile.sh measures).
    let links = "[a](b) ".repeat(30_000);
    let big = "[a](b) ".repeat(270_000);
    for (text, args) in
        [(&links, vec!["--format", "human"]), (&big, vec!["--select", "readme-thin", "--format", "json"])]
    {
        let dir = tree(&[("README.md", text)]);
        let output = apelint().arg(dir.path()).args(&args).timeout(Duration::from_secs(120)).output().unwrap();
        assert!(matches!(output.status.code(), Some(0 | 1)), "{args:?}: {:?} {}", output.status, stderr(&output));
    }
}

#[test]
fn checks_cost_their_input_not_its_square() {
    // Each of these took minutes before (a docs-site page of 20,000 near-miss anchors: 100 s; a
    // manifest declaring 20,000 `@opentelemetry/*` packages beside 10 MB of code: 590 s). The
    // timeout is a guard against that, not a speed target (scripts/bench-hostile.sh measures).
    let n = 20_000;
    let mut page: String = (0..n).map(|at| format!("## Heading {at}\n")).collect();
    page.extend((0..n).map(|at| format!("[a](#heading-x{at})\n")));
    // (Outside a site: a site's anchors are the generator's and no longer judged.)
    let site = tree(&[("README.md", "# x\n"), ("docs/page.md", &page)]);
    let dependencies: Vec<String> = (0..n).map(|at| format!("\"@opentelemetry/pkg{at}\": \"1\"")).collect();
    let manifest = format!("{{\"name\": \"x\", \"dependencies\": {{{}}}}}\n", dependencies.join(",\n"));
    let code: String =
        (0..100_000).map(|at| format!("const x{at} = require('lib{at}'); // @opentelemetry/pkg\n")).collect();
    let used = "import { trace } from '@opentelemetry/pkg7';\n";
    let app =
        tree(&[("README.md", "# x\n"), ("package.json", &manifest), ("src/app.js", &code), ("src/used.js", used)]);
    // Manifests: each dependency's line was found by a scan of the text (a Cargo.toml of 40,000
    // dependencies: 29 s; a pyproject.toml of 30,000 requirements: 24 s).
    let mut cargo = String::from("[package]\nname = \"x\"\nversion = \"0.1.0\"\n\n[dependencies]\n");
    cargo.extend((0..2 * n).map(|at| format!("dep{at} = \"1\"\n")));
    cargo.push_str("tracing = \"1\"\n");
    let mut pyproject = String::from("[project]\nname = \"x\"\ndependencies = [\n");
    pyproject.extend((0..n).map(|at| format!("  \"dep{at}>=1\",\n")));
    pyproject.push_str("  \"structlog\",\n]\n");
    let manifests = tree(&[("README.md", "# x\n"), ("Cargo.toml", &cargo), ("py/pyproject.toml", &pyproject)]);
    for (dir, rule, expected) in
        [(&site, "broken-link", n), (&app, "observability-unused", n - 1), (&manifests, "observability-unused", 2)]
    {
        let output = apelint()
            .arg(dir.path())
            .args(["--select", rule, "--format", "json"])
            .timeout(Duration::from_secs(120))
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_default();
        let found = common::findings(&report).len();
        assert_eq!(found, expected, "{rule}: {:?} {}", output.status, stderr(&output));
    }
}

// ---- Lost or wrong output ----

#[cfg(unix)]
#[test]
fn reports_are_written_whole_by_renaming() {
    let dir = tree(&[("README.md", "# x\n")]);
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("report.json");
    std::fs::write(&target, "old").unwrap();
    // A second name for the old file: written in place, it would change too.
    std::fs::hard_link(&target, out.path().join("other-name")).unwrap();
    let output = apelint().arg(dir.path()).args(["--format", "json", "-o"]).arg(&target).output().unwrap();
    assert!(matches!(output.status.code(), Some(0 | 1)), "{}", stderr(&output));
    assert_eq!(std::fs::read_to_string(out.path().join("other-name")).unwrap(), "old");
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
    assert_eq!(report["version"], 1);
    let leftovers: Vec<_> =
        std::fs::read_dir(out.path()).unwrap().filter_map(Result::ok).map(|e| e.file_name()).collect();
    assert_eq!(leftovers.len(), 2, "{leftovers:?}");
}

#[test]
fn two_reports_into_one_file_are_refused_however_it_is_spelled() {
    let dir = tree(&[("README.md", "# x\n")]);
    let out = tempfile::tempdir().unwrap();
    let output = apelint()
        .arg(dir.path())
        .current_dir(out.path())
        .args(["--format", "json", "-o", "x.json", "--report", "sarif=./x.json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("is the target of two reports"), "{}", stderr(&output));
    assert!(!out.path().join("x.json").exists());
}

/// Rust reopens a closed descriptor 1 on `/dev/null` before `main` runs: `apelint >&-` writes its
/// report there, keeps its exit code, and warns that the report is discarded. A report that must
/// not be lost goes to `--output`, which works whatever standard output is.
#[cfg(unix)]
#[test]
fn a_closed_standard_output_is_discarded_output_and_output_files_still_work() {
    let dir = tree(&[("README.md", "# x\n\n[a](gone.md)\n")]);
    let binary = assert_cmd::cargo::cargo_bin("apelint");
    let out = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg("exec \"$0\" \"$1\" --preview --format json --fail-on warning >&-")
        .arg(&binary)
        .arg(dir.path())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1), "findings still decide the exit code");
    // Closed, it is said on standard error (on Linux, which tells how descriptor 1 was opened);
    // `>/dev/null` is a choice, and says nothing.
    let said = |redirect: &str| {
        let output = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("exec \"$0\" \"$1\" --format json {redirect}"))
            .arg(&binary)
            .arg(dir.path())
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stderr).contains("standard output is closed")
    };
    assert!(!said(">/dev/null"));
    if cfg!(target_os = "linux") {
        assert!(said(">&-"));
    }
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg("exec \"$0\" \"$1\" --preview --format json -o \"$2\" >&-")
        .arg(&binary)
        .arg(dir.path())
        .arg(out.path().join("r.json"))
        .status()
        .unwrap();
    assert!(matches!(status.code(), Some(0 | 1)));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("r.json")).unwrap()).unwrap();
    assert!(!report["findings"].as_array().unwrap().is_empty());
}

#[test]
fn sarif_keeps_the_most_severe_within_githubs_limits() {
    // 6,000 warnings of a rule that never groups, beside the error-level findings of a repository
    // with no CI.
    let rule = "id = \"gone\"\nfamily = \"docs\"\nseverity = \"warning\"\nsummary = \"s\"\n\n[check]\nkind = \"content\"\nfiles = [\"**/*.txt\"]\npattern = 'gone'\n\n[group]\nby = \"none\"\n\n[docs]\nwhy = \"w\"\nfix = \"f\"\n";
    let dir = tree(&[
        ("rules/gone.toml", rule),
        ("repo/notes.txt", &"gone\n".repeat(6_000)),
        ("repo/README.md", "# x\n"),
        ("repo/src/main.rs", "fn main() {}\n"),
    ]);
    let rules = dir.path().join("rules");
    let output = apelint()
        .arg(dir.path().join("repo"))
        .args(["--rules", rules.to_str().unwrap(), "--format", "sarif"])
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 5_000);
    // The error-level finding (no CI, say) is kept before the 6,000 warnings.
    let levels: Vec<&str> = results.iter().map(|result| result["level"].as_str().unwrap()).collect();
    assert!(levels.windows(2).all(|pair| rank(pair[0]) >= rank(pair[1])), "most severe first");
    let note = &sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert!(note["message"]["text"].as_str().unwrap().contains("5000 most severe of"), "{note}");
    assert!(stderr(&output).contains("SARIF holds the 5000 most severe"), "{}", stderr(&output));
}

fn rank(level: &str) -> u8 {
    match level {
        "error" => 2,
        "warning" => 1,
        _ => 0,
    }
}

#[test]
fn a_corrupt_history_is_said_not_truncated() {
    let dir = tree(&[("README.md", "# x\n"), ("apelint.toml", "profile = [\"library\"]\n")]);
    git(dir.path(), &["init", "-q"]);
    for n in 0..3 {
        std::fs::write(dir.path().join("n.txt"), n.to_string()).unwrap();
        commit_all(dir.path(), &format!("commit {n}"));
    }
    // Remove the middle commit's object: the walk can no longer reach the first.
    let middle = String::from_utf8(
        std::process::Command::new("git")
            .args(["rev-parse", "HEAD~1"])
            .current_dir(dir.path())
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let middle = middle.trim();
    std::fs::remove_file(dir.path().join(".git/objects").join(&middle[..2]).join(&middle[2..])).unwrap();
    let report = common::json_at(dir.path(), "2026-05-02", &["--select", "shipping"]);
    assert_eq!(report["history"]["state"], "unavailable", "{report:#}");
    let reason = report["history"]["reason"].as_str().unwrap();
    assert!(reason.contains("cannot be walked") && reason.contains("not found"), "{reason}");
    // HEAD itself missing is a corrupt repository, not one without commits.
    let head = String::from_utf8(
        std::process::Command::new("git").args(["rev-parse", "HEAD"]).current_dir(dir.path()).output().unwrap().stdout,
    )
    .unwrap();
    let head = head.trim();
    std::fs::remove_file(dir.path().join(".git/objects").join(&head[..2]).join(&head[2..])).unwrap();
    let report = common::json_at(dir.path(), "2026-05-02", &["--select", "shipping"]);
    let reason = report["history"]["reason"].as_str().unwrap();
    assert!(reason.contains("HEAD's commit cannot be read"), "{reason}");
}

#[cfg(unix)]
#[test]
fn unreadable_folders_are_reported_not_judged() {
    use std::os::unix::fs::PermissionsExt;
    // As root, permissions do not stop reads: apelint runs as `nobody` then (setpriv, util-linux).
    let as_root = std::process::Command::new("id").arg("-u").output().map(|out| out.stdout == b"0\n").unwrap_or(false);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    std::fs::create_dir_all(root.join("docs/private")).unwrap();
    std::fs::write(root.join("README.md"), "# x\n\nSee [the guide](docs/private/guide.md).\n").unwrap();
    std::fs::write(root.join("docs/private/guide.md"), "# Guide\n").unwrap();
    for path in [dir.path(), &root, &root.join("docs")] {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    std::fs::set_permissions(root.join("README.md"), std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(root.join("docs/private"), std::fs::Permissions::from_mode(0o700)).unwrap();
    let binary = assert_cmd::cargo::cargo_bin("apelint");
    let run = |path: &Path| {
        let mut command = if as_root {
            let mut command = std::process::Command::new("setpriv");
            command.args(["--reuid=65534", "--regid=65534", "--clear-groups"]).arg(&binary);
            command
        } else {
            std::process::Command::new(&binary)
        };
        command.arg(path).args(["--format", "json"]).env("NO_COLOR", "1").output().expect("apelint runs")
    };
    if as_root && std::process::Command::new("setpriv").arg("--version").output().is_err() {
        panic!("running as root needs setpriv (util-linux) to run apelint without root's rights");
    }
    let output = run(&root);
    assert!(matches!(output.status.code(), Some(0 | 1)), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let broken: Vec<_> = common::findings(&report).into_iter().filter(|f| f["rule"] == "broken-link").collect();
    assert!(broken.is_empty(), "a link into an unreadable folder is not known to be broken: {broken:?}");
    let skipped = report["skipped_files"].as_array().unwrap();
    assert!(
        skipped.iter().any(|entry| entry["path"] == "docs/private" && entry["reason"] == "unreadable"),
        "{skipped:?}"
    );
    // A root that cannot be read at all is an error, not "the repository has no README".
    std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o700)).unwrap();
    let output = run(&root);
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stdout));
    assert!(stderr(&output).contains("cannot read the folder"), "{}", stderr(&output));
}

#[test]
fn lax_dates_numbers_and_baselines_are_refused() {
    let suppress =
        |until: &str| format!("[[suppress]]\nrule = \"error-swallowed\"\nreason = \"r\"\nuntil = \"{until}\"\n");
    for (config, expected) in [
        (suppress("2026-02-31"), "`until` must be a calendar day"),
        (suppress("1700000000"), "`until` must be a calendar day"),
        ("[rules.infra-out-of-proportion]\nmax-ratio = nan\n".to_string(), "`max-ratio` must be a finite number"),
        ("[rules.stale]\nmax = inf\n".to_string(), "`max` must be a finite number"),
        ("[history]\nbots = [\"a{1000}{1000}\"]\n".to_string(), "regex too large"),
    ] {
        let dir = tree(&[("apelint.toml", &config), ("README.md", "# x\n")]);
        let output = apelint().arg(dir.path()).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{config}: {}", stderr(&output));
        assert!(stderr(&output).contains(expected) && stderr(&output).contains("apelint.toml:"), "{}", stderr(&output));
    }
    let dir = tree(&[("README.md", "# x\n"), ("base.json", "{\"version\": 99, \"findings\": []}\n")]);
    let output = apelint().arg(dir.path()).arg("--baseline").arg(dir.path().join("base.json")).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("baseline version 99"), "{}", stderr(&output));
    let output = apelint().arg(dir.path()).env("APELINT_NOW", "next tuesday").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("APELINT_NOW must be a day"), "{}", stderr(&output));
}

#[test]
fn an_oversized_regex_in_a_rule_is_an_error_at_its_span() {
    let rule = "id = \"huge\"\nfamily = \"care\"\nseverity = \"info\"\nsummary = \"s\"\n\n[check]\nkind = \"content\"\nfiles = [\"**/*.py\"]\npattern = 'a{1000}{1000}'\n\n[docs]\nwhy = \"w\"\nfix = \"f\"\n";
    let dir = tree(&[("rules/huge.toml", rule), ("repo/a.py", "a\n")]);
    let output = apelint()
        .arg(dir.path().join("repo"))
        .args(["--rules", dir.path().join("rules").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("regex too large") && stderr(&output).contains("huge.toml:9:"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_added_bot_keeps_the_built_in_ones() {
    let dir = tree(&[
        ("apelint.toml", "profile = [\"library\"]\n[history]\nbots = [\"^ci-robot\"]\n"),
        ("README.md", "# x\n"),
    ]);
    git(dir.path(), &["init", "-q"]);
    commit_all(dir.path(), "first");
    git(dir.path(), &["-c", "user.name=dependabot[bot]", "commit", "-q", "--allow-empty", "-m", "bump"]);
    let report = common::json_at(dir.path(), "2026-05-02", &["--select", "stale"]);
    assert_eq!(report["history"]["bot_commits"], 1, "{:#}", report["history"]);
}

#[test]
fn submodules_and_nested_clones_are_not_this_repositorys_files() {
    let dir = tree(&[
        ("README.md", "# x\n"),
        ("src/app.py", "print('ok')\n"),
        ("third/lib/sync.py", "try:\n    run()\nexcept Exception:\n    pass\n"),
    ]);
    git(&dir.path().join("third/lib"), &["init", "-q"]);
    let report = common::json(dir.path(), &["--select", "error-swallowed"]);
    assert!(common::findings(&report).is_empty(), "{:#}", report["findings"]);
    let skipped = report["skipped_files"].as_array().unwrap();
    assert!(
        skipped.iter().any(|entry| entry["path"] == "third/lib" && entry["reason"] == "nested repository"),
        "{skipped:?}"
    );
}

#[test]
fn sarif_uris_of_folders_holding_a_colon_are_relative() {
    let dir = tree(&[("svc:x/README.md", "# x\n\n[a](gone.md)\n")]);
    git(dir.path(), &["init", "-q"]);
    let output = apelint().arg(dir.path().join("svc:x")).args(["--preview", "--format", "sarif"]).output().unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let uris: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|result| result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap())
        .collect();
    assert!(!uris.is_empty() && uris.iter().all(|uri| uri.starts_with("svc%3Ax/")), "{uris:?}");
}

// ---- Found by a review of the first round ----

#[cfg(unix)]
#[test]
fn files_named_on_the_command_line_inside_the_repository_are_read_as_its_content() {
    let secrets = tree(&[("credentials.toml", "[registry]\ntoken = \"TOKEN_cli\"\n")]);
    let secret = secrets.path().join("credentials.toml");
    let dir = tree(&[("README.md", "# x\n"), ("rules/.keep", "")]);
    std::fs::create_dir_all(dir.path().join("ci")).unwrap();
    std::os::unix::fs::symlink(&secret, dir.path().join("ci/apelint.toml")).unwrap();
    std::os::unix::fs::symlink(&secret, dir.path().join(".apelint-baseline.json")).unwrap();
    std::os::unix::fs::symlink(&secret, dir.path().join("rules/leak.toml")).unwrap();
    for args in
        [vec!["--config", "ci/apelint.toml"], vec!["--baseline", ".apelint-baseline.json"], vec!["--rules", "rules"]]
    {
        let output = apelint().current_dir(dir.path()).arg(".").args(&args).output().unwrap();
        let text = stderr(&output);
        assert!(
            !text.contains("TOKEN_cli") && !String::from_utf8_lossy(&output.stdout).contains("TOKEN_cli"),
            "{args:?}: {text}"
        );
    }
    // A configuration named inside the repository is the repository's: its rule folders stay in it.
    std::fs::write(dir.path().join("ci/other.toml"), format!("rule-dirs = [{:?}]\n", secrets.path().to_str().unwrap()))
        .unwrap();
    let output = apelint().current_dir(dir.path()).args([".", "--config", "ci/other.toml"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("a rule folder must be inside the repository"), "{}", stderr(&output));
}

#[cfg(unix)]
#[test]
fn a_project_inside_someone_elses_repository_is_bounded_by_its_own_folder() {
    // A home directory kept in git, and a downloaded project inside it that git does not track.
    let home = tree(&[(".ssh/id_rsa", "-----BEGIN KEY----- TOKEN_home\n"), ("proj/src/main.rs", "fn main() {}\n")]);
    git(home.path(), &["init", "-q"]);
    git(home.path(), &["add", ".ssh"]);
    git(home.path(), &["commit", "-q", "-m", "dotfiles"]);
    std::os::unix::fs::symlink("../.ssh/id_rsa", home.path().join("proj/README.md")).unwrap();
    for (format, stdout, stderr, _) in every_format(&home.path().join("proj"), &[]) {
        assert!(!stdout.contains("TOKEN_home") && !stderr.contains("TOKEN_home"), "{format}:\n{stdout}{stderr}");
    }
}

#[cfg(unix)]
#[test]
fn a_gitignore_that_links_to_an_endless_file_is_not_read() {
    let dir = tree(&[("README.md", "# x\n"), ("src/a.py", "print('x')\n")]);
    std::os::unix::fs::symlink("/dev/zero", dir.path().join(".gitignore")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("src/.gitignore")).unwrap();
    let output =
        apelint().arg(dir.path()).args(["--format", "json"]).timeout(Duration::from_secs(60)).output().unwrap();
    assert!(matches!(output.status.code(), Some(0 | 1)), "{:?} {}", output.status, stderr(&output));
}

#[test]
fn huge_suppression_comments_and_names_cost_their_length() {
    let ids = vec!["a"; 100_000].join(",");
    let readme = format!("# x\n\n<!-- apelint-ignore: {ids} -- {} -->\n", "x".repeat(100_000));
    let name = "q".repeat(900_000);
    let dir = tree(&[("README.md", &readme)]);
    let output =
        apelint().arg(dir.path()).args(["--format", "json"]).timeout(Duration::from_secs(60)).output().unwrap();
    assert!(matches!(output.status.code(), Some(0 | 1)), "{:?} {}", output.status, stderr(&output));
    let dir = tree(&[("README.md", "# x\n"), ("apelint.toml", &format!("select = [\"{name}\"]\n"))]);
    let output = apelint().arg(dir.path()).timeout(Duration::from_secs(60)).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
}

#[test]
fn many_matches_on_one_long_line_cost_the_line_once() {
    let rule = "id = \"letter-a\"\nfamily = \"care\"\nseverity = \"info\"\nsummary = \"s\"\n\n[check]\nkind = \"content\"\nfiles = [\"**/*.txt\"]\npattern = 'a'\n\n[docs]\nwhy = \"w\"\nfix = \"f\"\n";
    let dir = tree(&[("rules/letter-a.toml", rule), ("repo/a.txt", &"a ".repeat(80_000)), ("repo/README.md", "# x\n")]);
    let output = apelint()
        .arg(dir.path().join("repo"))
        .args(["--rules", dir.path().join("rules").to_str().unwrap(), "--select", "letter-a", "--format", "json"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(common::findings(&report).len(), 80_000);
}

#[test]
fn a_baseline_cannot_write_control_characters_to_the_terminal() {
    let dir = tree(&[("README.md", "# x\n")]);
    let baseline = r#"{"version": 1, "findings": [{"fingerprint": "f", "rule": "x\n::error file=README.md::INJECTED\u001b]0;t\u0007", "path": "a\rb", "message": "m\u001b[2J"}]}"#;
    std::fs::write(dir.path().join("base.json"), baseline).unwrap();
    let output = apelint().arg(dir.path()).arg("--baseline").arg(dir.path().join("base.json")).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(stdout.contains("fixed:"), "{stdout}");
    assert_no_control(&stdout, "the human report");
    assert!(runner_lines(&stdout).all(|line| !line.trim_start().starts_with("::")), "{stdout:?}");
}

#[test]
fn the_repository_cannot_lift_the_file_size_limit_past_64_mib() {
    let dir = tree(&[("README.md", "# x\n"), ("apelint.toml", "max-file-size = 9223372036854775807\n")]);
    let output = apelint().arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("`max-file-size` must be at most"), "{}", stderr(&output));
}

#[test]
fn instruction_files_cannot_ask_whether_a_folder_of_the_machine_exists() {
    let outside = tempfile::tempdir().unwrap();
    let exists = outside.path().to_str().unwrap().trim_start_matches('/').to_string();
    let agents = format!(
        "# Agents\n\nRun `make test`.\n\n```sh\ncd docs/../../../../../../../../{exists}\ncd docs/../../../../../../../../{exists}-not-there\n```\n"
    );
    let dir = tree(&[("AGENTS.md", &agents), ("docs/index.md", "# Docs\n"), ("Makefile", "test:\n\ttrue\n")]);
    let report = common::json(dir.path(), &["--select", "agent-instructions-stale"]);
    let reported: Vec<String> =
        common::findings(&report).iter().map(|f| f["message"].as_str().unwrap().to_string()).collect();
    let said = |needle: &str| reported.iter().any(|message| message.contains(needle));
    assert_eq!(
        said("-not-there"),
        said(&format!("{exists}`")),
        "the answer must not depend on the machine: {reported:?}"
    );
}

#[test]
fn sarif_help_of_a_repository_rule_renders_as_text() {
    let rule = "id = \"pixel\"\nfamily = \"care\"\nseverity = \"info\"\nsummary = \"s\"\n\n[check]\nkind = \"files\"\npaths = [\"NOPE\"]\n\n[docs]\nwhy = \"![x](https://t.example/p.png) <img src=x>\"\nfix = \"[click](https://evil.example) @team\"\n";
    let dir =
        tree(&[("README.md", "# x\n"), ("apelint.toml", "rule-dirs = [\"rules\"]\n"), ("rules/pixel.toml", rule)]);
    let output = apelint().arg(dir.path()).args(["--format", "sarif", "--select", "pixel"]).output().unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let help = sarif["runs"][0]["tool"]["driver"]["rules"][0]["help"]["markdown"].as_str().unwrap();
    assert_plain_markdown(help);
}
