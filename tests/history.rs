//! The history as a state, not an error: no repository, no commits, shallow clones that do or do
//! not cover the window, bare repositories and detached HEADs.

mod common;

use common::{findings, history, json, json_at, tree};

const SERVICE: &[(&str, &str)] = &[
    ("package.json", "{\"name\":\"api\",\"private\":true,\"dependencies\":{\"express\":\"4\"}}"),
    ("src/index.js", "1\n"),
];

fn skipped(report: &serde_json::Value, id: &str) -> Option<serde_json::Value> {
    report["skipped_rules"].as_array().unwrap().iter().find(|skip| skip["rule"] == id).cloned()
}

fn with_history(description: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tree(SERVICE);
    let table: toml::Table = description.parse().unwrap();
    let root = history::build(dir.path(), &table).unwrap_or_else(|| dir.path().to_path_buf());
    (dir, root)
}

#[test]
fn outside_git_history_rules_are_skipped_with_a_hint() {
    let dir = tree(SERVICE);
    if git2::Repository::discover(dir.path()).is_ok() {
        return;
    }
    let report = json(dir.path(), &["--select", "shipping"]);
    let stale = skipped(&report, "stale").expect("stale is skipped");
    assert_eq!(stale["kind"], "cannot-judge");
    assert_eq!(stale["reason"], "not a git repository");
    assert_eq!(report["history"]["state"], "unavailable");
}

#[test]
fn a_repository_without_commits_is_skipped() {
    let dir = tree(SERVICE);
    git2::Repository::init(dir.path()).unwrap();
    let report = json(dir.path(), &["--select", "stale"]);
    assert_eq!(skipped(&report, "stale").unwrap()["reason"], "the repository has no commits yet");
}

#[test]
fn a_shallow_clone_that_stops_inside_the_window_cannot_be_judged() {
    let (_dir, root) =
        with_history("shallow = 1\n\n[[commits]]\nfrom = \"2025-06-01\"\nto = \"2026-05-25\"\nevery-days = 7\n");
    let report = json(&root, &["--select", "shipping"]);
    let stale = skipped(&report, "stale").expect("stale is skipped");
    assert_eq!(stale["kind"], "cannot-judge");
    assert!(stale["reason"].as_str().unwrap().starts_with("shallow clone"), "{stale}");
    assert!(stale["hint"].as_str().unwrap().contains("git fetch --unshallow"), "{stale}");
    assert!(stale["hint"].as_str().unwrap().contains("fetch-depth: 0"), "{stale}");
    assert!(findings(&report).is_empty());
    // The human report says so too, with the hint.
    let output = common::apelint()
        .arg(&root)
        .env("APELINT_NOW", history::DEFAULT_NOW)
        .args(["--select", "shipping"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("shallow clone") && text.contains("hint: run `git fetch --unshallow`"), "{text}");
}

#[test]
fn a_shallow_clone_that_covers_the_window_is_judged() {
    let (_dir, root) =
        with_history("shallow = 80\n\n[[commits]]\nfrom = \"2023-01-01\"\nto = \"2025-06-01\"\nevery-days = 7\n");
    let report = json(&root, &["--select", "stale"]);
    assert!(skipped(&report, "stale").is_none(), "{report:#}");
    let found = findings(&report);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0]["message"].as_str().unwrap().contains("days ago"));
    assert_eq!(report["history"]["shallow"], true);
}

#[test]
fn bots_do_not_count_and_history_metrics_are_reported() {
    let (_dir, root) = with_history(
        "[[commits]]\nfrom = \"2026-03-02\"\nto = \"2026-05-25\"\nevery-days = 7\n\n[[commits]]\nfrom = \"2026-05-26\"\nto = \"2026-05-30\"\nevery-days = 1\nauthor = \"renovate[bot] <bot@renovateapp.com>\"\n\n[[commit]]\ndate = \"2026-05-31\"\ntag = \"v2.0.0\"\nannotated = true\n",
    );
    let report = json_at(&root, "2026-06-01", &["--select", "stale"]);
    let history = &report["history"];
    assert_eq!(history["state"], "available");
    assert_eq!(history["bot_commits"], 5);
    assert_eq!(history["latest_tag"]["name"], "v2.0.0");
    // The last commit, at noon the day before `now`, is less than a day old.
    assert_eq!(history["days_since_last_commit"], 0);
    assert_eq!(history["weekly"].as_array().unwrap().len(), 52);
}

#[test]
fn a_detached_head_is_judged_from_that_commit() {
    let (_dir, root) = with_history("[[commits]]\nfrom = \"2024-01-01\"\nto = \"2024-06-01\"\nevery-days = 7\n");
    let repository = git2::Repository::open(&root).unwrap();
    let head = repository.head().unwrap().peel_to_commit().unwrap().id();
    repository.set_head_detached(head).unwrap();
    let report = json(&root, &["--select", "stale"]);
    assert_eq!(report["git"]["branch"], serde_json::Value::Null);
    assert_eq!(findings(&report).len(), 1);
}

#[test]
fn a_bare_repository_with_commits_has_its_history_judged() {
    let (dir, root) = with_history("[[commits]]\nfrom = \"2024-01-01\"\nto = \"2024-06-01\"\nevery-days = 7\n");
    let bare = dir.path().join("bare.git");
    let status = std::process::Command::new("git")
        .args(["clone", "--quiet", "--bare"])
        .arg(&root)
        .arg(&bare)
        .status()
        .expect("git runs");
    assert!(status.success());
    // A bare repository is judged at HEAD's tree: its files (no README here) and its profile.
    let report = json(&bare, &[]);
    let reason = |id: &str| skipped(&report, id).map(|skip| skip["reason"].as_str().unwrap().to_string());
    assert!(reason("readme-missing").is_none(), "{report:#}");
    assert!(findings(&report).iter().any(|finding| finding["rule"] == "readme-missing"), "{report:#}");
    assert!(report["profile"]["profiles"].as_array().unwrap().iter().any(|p| p == "service"), "{report:#}");
    assert!(reason("stale").is_none(), "{report:#}");
    assert!(findings(&report).iter().any(|finding| finding["rule"] == "stale"), "{report:#}");
}

#[test]
fn the_walk_stops_at_the_edge_of_the_window() {
    // Ten years of commits every other day; the window holds the last year of them.
    let (_dir, root) = with_history("[[commits]]\nfrom = \"2016-06-01\"\nto = \"2026-05-31\"\nevery-days = 2\n");
    let report = json(&root, &["--select", "stale"]);
    let history = &report["history"];
    let commits = history["commits"].as_u64().unwrap();
    let walked = history["commits_walked"].as_u64().unwrap();
    assert!((180..=184).contains(&commits), "{history:#}");
    assert!(walked <= commits + 5, "walked {walked} commits for {commits} in the window");
}

#[test]
fn the_window_and_bots_come_from_the_configuration() {
    let (dir, root) = with_history(
        "[[commits]]\nfrom = \"2026-01-01\"\nto = \"2026-05-31\"\nevery-days = 7\nauthor = \"Release Robot <robot@example.com>\"\n",
    );
    let _ = dir;
    std::fs::write(
        root.join("apelint.toml"),
        "[history]\nwindow-days = 30\nbots = [\"release robot\"]\n\n[rules.stale]\nmax = 10\n",
    )
    .unwrap();
    let report = json(&root, &["--select", "stale"]);
    let history = &report["history"];
    assert_eq!(history["window_days"], 30);
    assert_eq!(history["commits"], 0, "{history:#}");
    assert!(history["bot_commits"].as_u64().unwrap() >= 4);
    let found = findings(&report);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0]["message"].as_str().unwrap().starts_with("no commit by a person since"));
}

#[test]
fn a_worktree_is_judged_like_its_repository() {
    let (dir, root) = with_history("[[commits]]\nfrom = \"2026-01-01\"\nto = \"2026-05-25\"\nevery-days = 7\n");
    let worktree = dir.path().join("second");
    let status = std::process::Command::new("git")
        .arg("-C")
        .arg(&root)
        .args(["worktree", "add", "--quiet", "--detach"])
        .arg(&worktree)
        .status()
        .expect("git runs");
    assert!(status.success());
    let report = json(&worktree, &["--select", "stale"]);
    assert_eq!(report["history"]["state"], "available", "{report:#}");
    assert_eq!(report["history"]["first_commit_date"], "2026-01-01");
    assert!(skipped(&report, "stale").is_none());
}
