//! Judging commits from git objects: `--commit`, `--new-since` (the findings a change brings, with
//! the ones it fixes), bare repositories, and `apelint trend`. Histories are built with the
//! history helper; the change is the last commit, its base the commit tagged `base`.

mod common;

use common::{apelint, findings, history, tree};
use std::path::{Path, PathBuf};

const SWALLOW: &str = "try:\n    run()\nexcept Exception:\n    pass\n";

/// A module long enough that git still finds it alike after a rename with a small edit.
fn module(name: &str) -> String {
    let mut text = format!("\"\"\"The {name} module.\"\"\"\n\n");
    for n in 0..12 {
        text.push_str(&format!("def step_{n}(value):\n    return value + {n}\n\n"));
    }
    text.push_str(SWALLOW);
    text
}

fn with_history(files: &[(&str, &str)], description: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tree(files);
    let table: toml::Table = description.parse().unwrap();
    let root = history::build(dir.path(), &table).unwrap_or_else(|| dir.path().to_path_buf());
    (dir, root)
}

/// `apelint check` with `args` at the helper's "now": exit code, JSON report, standard error.
fn check(root: &Path, args: &[&str]) -> (Option<i32>, serde_json::Value, String) {
    let output = apelint()
        .arg(root)
        .env("APELINT_NOW", history::DEFAULT_NOW)
        .args(["--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let report = serde_json::from_slice(&output.stdout).unwrap_or(serde_json::Value::Null);
    (output.status.code(), report, stderr)
}

fn paths(report: &serde_json::Value) -> Vec<String> {
    findings(report).iter().map(|finding| finding["location"]["path"].as_str().unwrap().to_string()).collect()
}

fn fixed(report: &serde_json::Value) -> Vec<String> {
    let fixed = report["baseline"]["fixed"].as_array().cloned().unwrap_or_default();
    fixed.iter().map(|entry| entry["path"].as_str().unwrap().to_string()).collect()
}

const SELECT: [&str; 2] = ["--select", "error-swallowed"];

#[test]
fn a_change_is_judged_on_the_findings_it_brings_and_fixes() {
    let files = [("README.md", "# app\n"), ("a.py", SWALLOW), ("b.py", SWALLOW), ("c.py", module("c").leak())];
    // The change moves a.py's finding down, fixes b.py, renames c.py (with an edit), adds d.py.
    let change = format!(
        r#"
[[commit]]
date = "2026-05-01"
tag = "base"

[[commit]]
date = "2026-05-10"
remove = ["c.py"]
write = {{ "a.py" = "import os\n\n\n{swallow}", "b.py" = "run()\n", "lib/c.py" = "{renamed}", "d.py" = "{swallow}" }}
"#,
        swallow = SWALLOW.replace('\n', "\\n"),
        renamed =
            module("c").replacen("The c module", "The c module, moved", 1).replace('\n', "\\n").replace('"', "\\\""),
    );
    let (_dir, root) = with_history(&files, &change);
    let (code, report, stderr) =
        check(&root, &[&SELECT[..], &["--new-since", "base", "--fail-on", "warning"]].concat());
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(paths(&report), ["d.py"], "{report:#}");
    assert_eq!(fixed(&report), ["b.py"]);
    assert_eq!(report["baseline"]["known"], 2, "a.py moved and lib/c.py renamed are unchanged: {report:#}");
    assert_eq!(report["baseline"]["new-since"]["reference"], "base");
    assert_eq!(report["summary"]["warning"], 1);

    // The human report says what was compared, with the counts.
    let human = apelint()
        .arg(&root)
        .env("APELINT_NOW", history::DEFAULT_NOW)
        .args(SELECT)
        .args(["--new-since", "base"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("new since base (merge base "), "{text}");
    assert!(text.contains("): 1 new, 1 fixed, 2 unchanged not shown"), "{text}");
    assert!(text.contains("fixed: error-swallowed b.py"), "{text}");
}

#[test]
fn a_change_that_only_moves_code_brings_nothing() {
    let files = [("README.md", "# app\n"), ("a.py", SWALLOW)];
    let change = format!(
        "[[commit]]\ndate = \"2026-05-01\"\ntag = \"base\"\n\n[[commit]]\ndate = \"2026-05-10\"\nwrite = {{ \"a.py\" = \"import os\\nimport sys\\n\\n\\n{}\" }}\n",
        SWALLOW.replace('\n', "\\n")
    );
    let (_dir, root) = with_history(&files, &change);
    let (code, report, stderr) =
        check(&root, &[&SELECT[..], &["--new-since", "base", "--fail-on", "warning"]].concat());
    assert_eq!(code, Some(0), "{stderr}");
    assert!(paths(&report).is_empty() && fixed(&report).is_empty(), "{report:#}");
    assert_eq!(report["baseline"]["known"], 1);
    // Without the comparison the finding is there.
    let (code, _, _) = check(&root, &[&SELECT[..], &["--fail-on", "warning"]].concat());
    assert_eq!(code, Some(1));
}

#[test]
fn a_repository_level_finding_is_new_only_when_the_change_causes_it() {
    let select = ["--select", "readme-missing"];
    // The change deletes the README: the finding is the change's.
    let (_dir, root) = with_history(
        &[("README.md", "# app\n"), ("app.py", "x = 1\n")],
        "[[commit]]\ndate = \"2026-05-01\"\ntag = \"base\"\n\n[[commit]]\ndate = \"2026-05-10\"\nremove = [\"README.md\"]\n",
    );
    let (code, report, stderr) = check(&root, &[&select[..], &["--new-since", "base"]].concat());
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(paths(&report), ["README.md"]);

    // The README was missing before the change too: not the change's.
    let (_dir, root) = with_history(
        &[("app.py", "x = 1\n")],
        "[[commit]]\ndate = \"2026-05-01\"\ntag = \"base\"\n\n[[commit]]\ndate = \"2026-05-10\"\nwrite = { \"more.py\" = \"y = 2\\n\" }\n",
    );
    let (code, report, _) = check(&root, &[&select[..], &["--new-since", "base"]].concat());
    assert_eq!(code, Some(0));
    assert!(paths(&report).is_empty());
    assert_eq!(report["baseline"]["known"], 1);
    // Uncommitted work counts: the working tree is what is judged.
    std::fs::write(root.join("README.md"), "# app\n").unwrap();
    let (_, report, _) = check(&root, &[&select[..], &["--new-since", "base"]].concat());
    assert_eq!(fixed(&report), ["README.md"]);
}

#[test]
fn the_clock_and_the_history_do_not_make_a_finding_new() {
    // The merge base is more than a year before "now" (a dormant repository, where the rule holds
    // back); the change's own commit is not. Only a change to the files can make a finding new.
    let files = [
        ("README.md", "# app\n"),
        ("apelint.toml", "profile = [\"service\"]\n"),
        ("a.py", "x = 1\n"),
        ("b.py", "y = 2\n"),
        ("c.py", "z = 3\n"),
    ];
    let (_dir, root) = with_history(
        &files,
        "[[commit]]\ndate = \"2025-05-01\"\ntag = \"base\"\n\n[[commit]]\ndate = \"2025-06-05\"\nwrite = { \"d.py\" = \"w = 4\\n\" }\n",
    );
    let (_, report, stderr) = check(&root, &["--select", "ci-missing"]);
    assert_eq!(paths(&report).len(), 1, "the rule fires at HEAD: {stderr} {report:#}");
    let (code, report, stderr) = check(&root, &["--select", "ci-missing", "--new-since", "base"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(paths(&report).is_empty(), "{report:#}");
    assert_eq!(report["baseline"]["known"], 1);
}

#[test]
fn a_change_that_edits_a_released_migration_brings_the_finding() {
    let migration = "db/migrate/20240301120000_create_users.rb";
    let files = [
        ("Gemfile", "source \"https://rubygems.org\"\ngem \"rails\", \"~> 7.1\"\n"),
        (
            migration,
            "class CreateUsers < ActiveRecord::Migration[7.1]\n  def change\n    create_table :users\n  end\nend\n",
        ),
    ];
    let (_dir, root) = with_history(
        &files,
        &format!(
            "[[commit]]\ndate = \"2026-03-01\"\n\n[[commit]]\ndate = \"2026-03-10\"\ntag = \"v1.1.0\"\n\n[[commit]]\ndate = \"2026-03-20\"\ntag = \"base\"\n\n[[commit]]\ndate = \"2026-04-01\"\nwrite = {{ \"{migration}\" = \"class CreateUsers < ActiveRecord::Migration[7.1]\\n  def change\\n    create_table :users do |t|\\n      t.string :email\\n    end\\n  end\\nend\\n\" }}\n"
        ),
    );
    let (_, plain, _) = check(&root, &["--select", "migration-edited"]);
    assert_eq!(paths(&plain), [migration], "{plain:#}");
    // The edit is the change's own: new, although the cadence is read up to HEAD on both sides.
    let (_, report, stderr) = check(&root, &["--select", "migration-edited", "--new-since", "base"]);
    assert_eq!(paths(&report), [migration], "{stderr} {report:#}");
    assert_eq!(report["baseline"]["known"], 0);
}

#[test]
fn a_commit_is_judged_from_objects_with_its_own_configuration() {
    let (_dir, root) = with_history(
        &[("README.md", "# app\n"), ("a.py", SWALLOW)],
        "[[commit]]\ndate = \"2026-05-01\"\ntag = \"first\"\n\n[[commit]]\ndate = \"2026-05-10\"\nwrite = { \"b.py\" = \"try:\\n    run()\\nexcept Exception:\\n    pass\\n\", \"apelint.toml\" = \"select = [\\n\" }\n",
    );
    // The working tree changes after the commits; the commit's tree does not.
    std::fs::write(root.join("a.py"), "run()\n").unwrap();
    std::fs::write(root.join("apelint.toml"), "exclude = [\"b.py\"]\n").unwrap();
    let (code, report, stderr) = check(&root, &[&SELECT[..], &["--commit", "first"]].concat());
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(paths(&report), ["a.py"]);
    assert!(report["git"]["commit"].as_str().is_some_and(|id| id.len() == 12), "{:#}", report["git"]);
    // HEAD's tree holds a broken apelint.toml: judged with the current one, which says so.
    let (code, report, stderr) = check(&root, &[&SELECT[..], &["--commit", "HEAD"]].concat());
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("the configuration in commit") && stderr.contains("current configuration"), "{stderr}");
    assert!(stderr.contains("unclosed array"), "{stderr}");
    assert_eq!(paths(&report), ["a.py"], "b.py is excluded by the current configuration");
}

#[cfg(unix)]
#[test]
fn a_commit_s_links_out_of_the_repository_are_never_read() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "TOKEN_abc123 [x](nowhere.md)\n").unwrap();
    let dir = tree(&[("app.py", SWALLOW), ("docs/guide.md", "# Guide\n\nRead [the app](../app.py).\n")]);
    std::os::unix::fs::symlink(outside.path().join("secret.md"), dir.path().join("README.md")).unwrap();
    std::os::unix::fs::symlink(".git/config", dir.path().join("CONFIG.md")).unwrap();
    std::os::unix::fs::symlink("docs/guide.md", dir.path().join("GUIDE.md")).unwrap();
    let table: toml::Table = "[[commit]]\ndate = \"2026-05-01\"\n".parse().unwrap();
    let root = history::build(dir.path(), &table).unwrap_or_else(|| dir.path().to_path_buf());
    let (code, report, stderr) = check(&root, &["--preview", "--commit", "HEAD"]);
    assert!(matches!(code, Some(0 | 1)), "{stderr}");
    let text = report.to_string();
    assert!(!text.contains("TOKEN_abc123") && !text.contains("nowhere.md"), "{report:#}");
    let skipped: Vec<(&str, &str)> = report["skipped_files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|skip| (skip["path"].as_str().unwrap(), skip["reason"].as_str().unwrap()))
        .collect();
    assert!(skipped.contains(&("README.md", "link out of the repository")), "{skipped:?}");
    assert!(skipped.contains(&("CONFIG.md", "link out of the repository")), "{skipped:?}");
}

/// The findings of `--commit HEAD` and of the working tree at HEAD, places with their paths.
fn commit_and_worktree(root: &Path, args: &[&str]) -> (Vec<String>, Vec<String>) {
    let (_, worktree, stderr) = check(root, args);
    assert!(worktree.is_object(), "{stderr}");
    let (_, commit, stderr) = check(root, &[args, &["--commit", "HEAD"]].concat());
    assert!(commit.is_object(), "{stderr}");
    (paths(&commit), paths(&worktree))
}

#[cfg(unix)]
#[test]
fn a_subfolder_is_judged_alike_from_objects_and_on_disk() {
    // A monorepo package: a link to a file outside it, a submodule, and links in its README.
    let dir = tree(&[
        ("lib/shared.py", SWALLOW),
        ("packages/x/app.py", SWALLOW),
        ("packages/x/README.md", "# x\n\nSee [the vendored lib](vendor/lib/README.md) and [shared](shared.py).\n"),
    ]);
    std::os::unix::fs::symlink("../../lib/shared.py", dir.path().join("packages/x/shared.py")).unwrap();
    let table: toml::Table = "[[commit]]\ndate = \"2026-05-01\"\n".parse().unwrap();
    let root = history::build(dir.path(), &table).unwrap_or_else(|| dir.path().to_path_buf());
    // A submodule entry in the tree (a commit of another repository), checked out on disk.
    let repository = git2::Repository::open(&root).unwrap();
    let head = repository.head().unwrap().peel_to_commit().unwrap();
    let mut index = repository.index().unwrap();
    let entry = git2::IndexEntry {
        ctime: git2::IndexTime::new(0, 0),
        mtime: git2::IndexTime::new(0, 0),
        dev: 0,
        ino: 0,
        mode: 0o160_000,
        uid: 0,
        gid: 0,
        file_size: 0,
        id: head.id(),
        flags: 0,
        flags_extended: 0,
        path: b"packages/x/vendor/lib".to_vec(),
    };
    index.add(&entry).unwrap();
    index.write().unwrap();
    let tree = repository.find_tree(index.write_tree().unwrap()).unwrap();
    let signature = git2::Signature::now("A", "a@example.com").unwrap();
    repository.commit(Some("HEAD"), &signature, &signature, "submodule", &tree, &[&head]).unwrap();
    std::fs::create_dir_all(root.join("packages/x/vendor/lib/.git")).unwrap();
    std::fs::write(root.join("packages/x/vendor/lib/README.md"), "# lib\n").unwrap();
    let package = root.join("packages/x");
    let (commit, worktree) = commit_and_worktree(&package, &["--select", "error-swallowed,broken-link"]);
    assert_eq!(commit, worktree);
    assert_eq!(commit, ["app.py", "shared.py"], "the link leaves the package: its text is judged there");
}

#[test]
fn unknown_refs_and_missing_merge_bases_are_said() {
    let (_dir, root) = with_history(
        &[("README.md", "# app\n"), ("a.py", SWALLOW)],
        "[[commit]]\ndate = \"2026-05-01\"\ntag = \"base\"\n\n[[commit]]\ndate = \"2026-05-10\"\n",
    );
    for args in [["--new-since", "no-such-branch"], ["--commit", "no-such-branch"]] {
        let (code, _, stderr) = check(&root, &[&SELECT[..], &args[..]].concat());
        assert_eq!(code, Some(2), "{stderr}");
        assert!(stderr.contains("`no-such-branch` names no commit in this repository"), "{stderr}");
    }
    // A branch with a history of its own shares no commit: every finding, with a warning.
    let repository = git2::Repository::open(&root).unwrap();
    let signature = git2::Signature::now("A", "a@example.com").unwrap();
    let empty = repository.find_tree(repository.treebuilder(None).unwrap().write().unwrap()).unwrap();
    let orphan = repository.commit(None, &signature, &signature, "orphan", &empty, &[]).unwrap();
    repository.reference("refs/heads/orphan", orphan, false, "test").unwrap();
    let (code, report, stderr) = check(&root, &[&SELECT[..], &["--new-since", "orphan"]].concat());
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("every finding is reported, not only the new ones: no merge base"), "{stderr}");
    assert_eq!(paths(&report), ["a.py"]);
    assert!(report["baseline"].is_null());
    // Outside git, --new-since has nothing to compare with.
    let plain = tree(&[("a.py", SWALLOW)]);
    if git2::Repository::discover(plain.path()).is_err() {
        let (code, _, stderr) = check(plain.path(), &[&SELECT[..], &["--new-since", "main"]].concat());
        assert_eq!(code, Some(2), "{stderr}");
        assert!(stderr.contains("not a git repository"), "{stderr}");
    }
}

#[test]
fn a_ref_outside_a_shallow_clone_is_named_with_the_fix() {
    let (_dir, root) = with_history(
        &[("README.md", "# app\n"), ("a.py", SWALLOW)],
        "shallow = 1\n\n[[commit]]\ndate = \"2026-05-01\"\ntag = \"base\"\n\n[[commit]]\ndate = \"2026-05-10\"\n",
    );
    let base = git2::Repository::open(root.with_extension("").as_path())
        .ok()
        .and_then(|repository| repository.revparse_single("base").ok().map(|object| object.id().to_string()))
        .expect("the tag in the full repository");
    let (code, _, stderr) = check(&root, &[&SELECT[..], &["--new-since", &base]].concat());
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("shallow clone") && stderr.contains("fetch-depth: 0"), "{stderr}");
}

#[test]
fn a_bare_repository_is_judged_at_head() {
    let (dir, root) = with_history(
        &[("README.md", "# app\n"), ("a.py", SWALLOW)],
        "[[commit]]\ndate = \"2026-05-01\"\ntag = \"base\"\n\n[[commit]]\ndate = \"2026-05-10\"\nwrite = { \"apelint.toml\" = \"exclude = [\\\"skip/\\\"]\\n\", \"skip/b.py\" = \"try:\\n    run()\\nexcept Exception:\\n    pass\\n\" }\n",
    );
    let bare = dir.path().with_extension("git");
    let status = std::process::Command::new("git")
        .args(["clone", "--quiet", "--bare"])
        .arg(&root)
        .arg(&bare)
        .status()
        .expect("the git command runs");
    assert!(status.success());
    let (_, worktree, _) = check(&root, &SELECT);
    let (code, report, stderr) = check(&bare, &SELECT);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(paths(&report), ["a.py"], "HEAD's apelint.toml excludes skip/: {report:#}");
    assert_eq!(paths(&report), paths(&worktree));
    assert_eq!(report["git"]["bare"], true);
    // Rules about files judge HEAD's tree: none is skipped for want of a working tree.
    let (_, report, _) = check(&bare, &["--select", "docs,shipping"]);
    let skipped = report["skipped_rules"].as_array().unwrap();
    assert!(skipped.iter().all(|skip| !skip["reason"].as_str().unwrap().contains("bare")), "{skipped:#?}");
    assert!(!skipped.iter().any(|skip| skip["rule"] == "readme-missing"), "{skipped:#?}");
    let (_, report, _) = check(&bare, &[&SELECT[..], &["--new-since", "base"]].concat());
    assert!(paths(&report).is_empty() && report["baseline"]["known"] == 1, "{report:#}");
    std::fs::remove_dir_all(&bare).unwrap();
}

#[test]
fn the_trend_judges_the_first_parent_line_at_each_point() {
    // One more swallowed error each month from January; nothing before December.
    let mut description = String::from("[[commit]]\ndate = \"2025-12-15\"\n");
    for (month, name) in ["01", "02", "03", "04", "05"].iter().enumerate() {
        description.push_str(&format!(
            "\n[[commit]]\ndate = \"2026-{name}-10\"\nwrite = {{ \"m{month}.py\" = \"{}\" }}\n",
            SWALLOW.replace('\n', "\\n")
        ));
    }
    // The last commit's own configuration leaves the first file out: that point is judged with it.
    description.push_str(
        "\n[[commit]]\ndate = \"2026-05-20\"\nwrite = { \"apelint.toml\" = \"exclude = [\\\"m0.py\\\"]\\n\" }\n",
    );
    let (_dir, root) = with_history(&[("README.md", "# app\n")], &description);
    std::fs::remove_file(root.join("apelint.toml")).unwrap();
    let output = apelint()
        .args(["trend", "--since", "8mo", "--every", "1mo", "--format", "json", "--select", "error-swallowed"])
        .arg(&root)
        .env("APELINT_NOW", history::DEFAULT_NOW)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let trend: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let dates: Vec<&str> = trend["points"].as_array().unwrap().iter().map(|p| p["date"].as_str().unwrap()).collect();
    assert_eq!(dates, ["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01", "2026-05-01", "2026-06-01"]);
    let warnings: Vec<u64> =
        trend["points"].as_array().unwrap().iter().map(|p| p["counts"]["warning"].as_u64().unwrap()).collect();
    assert_eq!(warnings, [0, 1, 2, 3, 4, 4], "{trend:#}");
    assert_eq!(trend["before-history"], 2, "2025-11-01 and 2025-12-01 are before the first commit");
    assert_eq!(trend["points"][5]["families"]["observability"]["warning"], 4);
    assert_eq!(trend["points"][0]["commit-date"], "2025-12-15");
    // Each point says what a run on that day would have said of that commit, the caches the points
    // share (commits, texts, syntax matches) notwithstanding.
    for point in trend["points"].as_array().unwrap() {
        let output = apelint()
            .arg(&root)
            .env("APELINT_NOW", point["date"].as_str().unwrap())
            .args(["--format", "json", "--select", "error-swallowed", "--commit", point["commit"].as_str().unwrap()])
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(findings(&report).len() as u64, point["counts"]["warning"].as_u64().unwrap(), "{point:#}");
    }

    // The table: a row per point, then per family with a sparkline, and the total.
    let output = apelint()
        .args(["trend", "--since", "8mo", "--select", "error-swallowed"])
        .arg(&root)
        .env("APELINT_NOW", history::DEFAULT_NOW)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("apelint trend: 6 points, every 1mo over 8mo"), "{text}");
    assert!(text.contains("2 earlier points fall before the first commit"), "{text}");
    assert!(text.contains("observability     _.-+##"), "{text}");
    assert!(text.lines().last().unwrap().starts_with("total") && text.contains("+4"), "{text}");
}

#[test]
fn the_trend_refuses_what_it_cannot_judge() {
    let plain = tree(&[("a.py", SWALLOW)]);
    let run = |path: &Path, args: &[&str]| apelint().arg("trend").args(args).arg(path).output().unwrap();
    if git2::Repository::discover(plain.path()).is_err() {
        let output = run(plain.path(), &[]);
        assert_eq!(output.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&output.stderr).contains("not a git repository"));
    }
    let unborn = tree(&[("a.py", SWALLOW)]);
    git2::Repository::init(unborn.path()).unwrap();
    let output = run(unborn.path(), &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("the repository has no commits yet"));
    for bad in ["0mo", "1fortnight", "soon"] {
        let output = run(plain.path(), &["--every", bad]);
        assert_eq!(output.status.code(), Some(2), "{bad}");
        assert!(String::from_utf8_lossy(&output.stderr).contains("--every"), "{bad}");
    }
}
