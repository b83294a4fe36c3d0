//! Files that cannot be read as text (binary, not UTF-8, unreadable, too large) and symlink loops are
//! skipped and counted, never fatal.

mod common;

use common::{findings, json, tree};

#[test]
fn unreadable_files_are_skipped_and_counted() {
    let dir = tree(&[
        ("README.md", "# x\n\n[ok](docs/a.md)\n"),
        ("docs/a.md", "# a\n"),
        ("docs/big.md", &"word ".repeat(400)),
        ("apelint.toml", "max-file-size = 1000\n"),
    ]);
    let root = dir.path();
    std::fs::write(root.join("docs/binary.md"), b"# bin\0\0\0").unwrap();
    std::fs::write(root.join("docs/latin1.md"), b"# caf\xe9\n").unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("nowhere.md", root.join("docs/dangling.md")).unwrap();
        std::os::unix::fs::symlink("loop-b.md", root.join("docs/loop-a.md")).unwrap();
        std::os::unix::fs::symlink("loop-a.md", root.join("docs/loop-b.md")).unwrap();
        std::os::unix::fs::symlink("..", root.join("docs/parent")).unwrap();
    }
    let report = json(root, &["--select", "broken-link"]);
    assert!(findings(&report).is_empty(), "{:#?}", findings(&report));
    let skipped = &report["summary"]["files_skipped"];
    assert_eq!(skipped["binary"], 1, "{report:#}");
    assert_eq!(skipped["not UTF-8"], 1, "{report:#}");
    assert_eq!(skipped["too large"], 1, "{report:#}");
    #[cfg(unix)]
    assert_eq!(skipped["unreadable"], 3, "{report:#}");
    let paths: Vec<&str> =
        report["skipped_files"].as_array().unwrap().iter().map(|file| file["path"].as_str().unwrap()).collect();
    assert!(paths.contains(&"docs/binary.md") && paths.contains(&"docs/big.md"), "{paths:?}");
}

#[cfg(unix)]
#[test]
fn a_fifo_is_not_opened() {
    let dir = tree(&[("README.md", "# x\n")]);
    let fifo = dir.path().join("notes.md");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !status.is_ok_and(|status| status.success()) {
        return;
    }
    let report = json(dir.path(), &["--select", "broken-link"]);
    assert_eq!(report["summary"]["files_skipped"]["unreadable"], 1, "{report:#}");
}

#[test]
fn a_manifest_that_does_not_parse_is_reported_not_fatal() {
    let dir = tree(&[("README.md", "# x\n"), ("package.json", "{ \"name\": \"x\", \n"), ("index.js", "1\n")]);
    let report = json(dir.path(), &[]);
    let broken = report["broken_manifests"].as_array().unwrap();
    assert_eq!(broken.len(), 1);
    assert_eq!(broken[0]["path"], "package.json");
}

#[cfg(unix)]
#[test]
fn a_symlink_to_another_file_is_checked_once() {
    let dir =
        tree(&[("AGENTS.md", "# Agents\n\nHandlers live in `src/handlers/orders.py`.\n"), ("src/app.py", "x = 1\n")]);
    std::os::unix::fs::symlink("AGENTS.md", dir.path().join("CLAUDE.md")).unwrap();
    let report = json(dir.path(), &["--select", "agent-instructions-stale"]);
    let found = findings(&report);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["location"]["path"], "AGENTS.md");
}

#[test]
fn files_git_tracks_count_even_when_gitignore_matches_them() {
    let dir = tree(&[
        (".gitignore", ".*\n!.gitignore\n"),
        (".github/workflows/ci.yml", "on: [push]\n"),
        ("README.md", "# x\n"),
        ("src/a.py", "a = 1\n"),
    ]);
    let repository = git2::Repository::init(dir.path()).unwrap();
    let mut index = repository.index().unwrap();
    index.add_path(std::path::Path::new(".github/workflows/ci.yml")).unwrap();
    index.add_path(std::path::Path::new("README.md")).unwrap();
    index.write().unwrap();
    let report = json(dir.path(), &["--select", "ci-missing"]);
    assert!(findings(&report).is_empty(), "{:#?}", findings(&report));
}

#[test]
fn a_bare_repository_is_skipped_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    git2::Repository::init_bare(dir.path()).unwrap();
    let report = json(dir.path(), &["--preview"]);
    assert!(findings(&report).is_empty(), "{:#?}", findings(&report));
    let skipped = report["skipped_rules"].as_array().unwrap();
    let reason = |id: &str| {
        skipped.iter().find(|skip| skip["rule"] == id).map(|skip| skip["reason"].as_str().unwrap().to_string())
    };
    assert!(reason("readme-missing").is_some_and(|reason| reason.contains("bare")), "{skipped:#?}");
    assert!(reason("broken-link").is_some_and(|reason| reason.contains("bare")), "{skipped:#?}");
    // History rules read the history, which a bare repository has: they are never skipped for it.
    assert!(reason("stale").is_some_and(|reason| !reason.contains("bare")), "{skipped:#?}");
}

#[test]
fn a_folder_of_a_larger_repository_counts_the_files_at_its_top() {
    let select = "ci-missing,agent-instructions-missing,license-missing,changelog-missing";
    let code = "def run(x):\n    return x * 2\n";
    let fired = |files: &[(&str, &str)]| -> Vec<String> {
        let dir = tree(files);
        for args in [&["init", "-q"][..], &["add", "."][..]] {
            let status = std::process::Command::new("git").args(args).current_dir(dir.path()).status().unwrap();
            assert!(status.success());
        }
        let report = json(&dir.path().join("apps/svc"), &["--select", select]);
        let mut rules: Vec<String> =
            report["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap().to_string()).collect();
        rules.sort();
        rules
    };
    let package = [
        ("apps/svc/a.py", code),
        ("apps/svc/b.py", code),
        ("apps/svc/c.py", code),
        ("apps/svc/apelint.toml", "profile = [\"library\"]\n"),
    ];
    // Only a sibling package has an AGENTS.md: it is not this folder's.
    let mut bare = package.to_vec();
    bare.push(("apps/web/AGENTS.md", "# Agents\n\nRun `make test`.\n"));
    let missing = fired(&bare);
    assert!(missing.contains(&"ci-missing".to_string()), "{missing:?}");
    assert_eq!(missing, ["agent-instructions-missing", "ci-missing", "license-missing"]);
    // The repository's CI, licence, changelog and agent file at its top (or in `apps/`) count.
    let mut covered = bare.clone();
    covered.extend([
        (".github/workflows/ci.yml", "on: push\n"),
        ("LICENSE", "MIT\n"),
        ("CHANGELOG.md", "# Changelog\n"),
        ("apps/AGENTS.md", "# Agents\n\nRun `make test`.\n"),
    ]);
    let left = fired(&covered);
    assert!(left.iter().all(|rule| !missing.contains(rule)), "{missing:?} then {left:?}");
}
