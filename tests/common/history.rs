//! Builds a git history for a fixture from a compact description in its `fixture.toml`, with git2
//! and fixed dates, so that no `.git` folder is committed and results are deterministic.
//!
//! ```toml
//! now = "2026-06-01"                 # APELINT_NOW for the run (default 2026-06-01)
//! shallow = 1                        # clone with this depth (needs the git command)
//!
//! [[commit]]                         # one commit
//! date = "2026-05-20"
//! author = "Ann <ann@example.com>"   # default "Dev <dev@example.com>"
//! tag = "v1.0.0"                     # optional; `annotated = true` for an annotated tag
//! message = "Fix the users migration" # optional commit message
//! write = { "db/migrate/1_a.rb" = "..." } # optional; files written (or replaced) by this commit
//! remove = ["old.py"]                # optional; files this commit deletes (a rename is a write and a remove)
//!
//! [[commits]]                        # a series, one commit every `every-days` days
//! from = "2025-06-01"
//! to = "2026-05-01"
//! every-days = 7
//! ```

use git2::{Repository, Signature, Time};
use std::path::Path;

pub const DEFAULT_NOW: &str = "2026-06-01";

fn seconds(date: &str) -> i64 {
    let mut parts = date.splitn(3, '-').map(|part| part.parse::<i64>().expect("a YYYY-MM-DD date"));
    let (year, month, day) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
    // Days from civil (Howard Hinnant), noon UTC so that week boundaries are unambiguous.
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    (era * 146_097 + day_of_era - 719_468) * 86_400 + 12 * 3600
}

struct Planned {
    time: i64,
    author: String,
    tag: Option<(String, bool)>,
    message: Option<String>,
    write: Vec<(String, String)>,
    remove: Vec<String>,
}

fn plan(table: &toml::Table) -> Vec<Planned> {
    let mut planned = Vec::new();
    let author_of = |entry: &toml::Value| {
        entry.get("author").and_then(|a| a.as_str()).unwrap_or("Dev <dev@example.com>").to_string()
    };
    for series in table.get("commits").and_then(|v| v.as_array()).into_iter().flatten() {
        let from = seconds(series["from"].as_str().expect("commits.from"));
        let to = seconds(series["to"].as_str().expect("commits.to"));
        let step = series.get("every-days").and_then(|v| v.as_integer()).unwrap_or(7) * 86_400;
        let mut time = from;
        while time <= to {
            planned.push(Planned {
                time,
                author: author_of(series),
                tag: None,
                message: None,
                write: Vec::new(),
                remove: Vec::new(),
            });
            time += step;
        }
    }
    for commit in table.get("commit").and_then(|v| v.as_array()).into_iter().flatten() {
        let tag = commit
            .get("tag")
            .and_then(|t| t.as_str())
            .map(|name| (name.to_string(), commit.get("annotated").and_then(|a| a.as_bool()).unwrap_or(false)));
        let write = commit
            .get("write")
            .and_then(|w| w.as_table())
            .map(|table| {
                table
                    .iter()
                    .map(|(path, text)| (path.clone(), text.as_str().expect("write holds text").to_string()))
                    .collect()
            })
            .unwrap_or_default();
        planned.push(Planned {
            time: seconds(commit["date"].as_str().expect("commit.date")),
            author: author_of(commit),
            tag,
            message: commit.get("message").and_then(|m| m.as_str()).map(str::to_string),
            write,
            remove: commit
                .get("remove")
                .and_then(|r| r.as_array())
                .map(|paths| paths.iter().map(|path| path.as_str().expect("remove holds paths").to_string()).collect())
                .unwrap_or_default(),
        });
    }
    planned.sort_by_key(|planned| planned.time);
    planned
}

fn signature(author: &str, time: i64) -> Signature<'static> {
    let (name, email) =
        author.split_once(" <").map_or((author, "dev@example.com"), |(name, rest)| (name, rest.trim_end_matches('>')));
    Signature::new(name, email, &Time::new(time, 0)).expect("a valid signature")
}

/// Builds the history described in `table` in `dir` (whose files are all in the first commit).
/// Returns the folder to run apelint on (a shallow clone when `shallow` is set).
pub fn build(dir: &Path, table: &toml::Table) -> Option<std::path::PathBuf> {
    let planned = plan(table);
    if planned.is_empty() {
        return None;
    }
    let repository = Repository::init(dir).expect("git init");
    let mut parent: Option<git2::Oid> = None;
    for (n, commit) in planned.iter().enumerate() {
        // Each commit changes a log file, so that every commit has a tree of its own.
        std::fs::write(dir.join("activity.log"), format!("{n}\n")).expect("write activity.log");
        for (path, text) in &commit.write {
            let target = dir.join(path);
            std::fs::create_dir_all(target.parent().expect("a parent")).expect("mkdir");
            std::fs::write(target, text).expect("write a planned file");
        }
        let mut index = repository.index().expect("index");
        for path in &commit.remove {
            std::fs::remove_file(dir.join(path)).expect("remove a planned file");
            index.remove_path(Path::new(path)).expect("git rm");
        }
        index.add_all(["*"], git2::IndexAddOption::DEFAULT, None).expect("git add");
        index.write().expect("write index");
        let tree = repository.find_tree(index.write_tree().expect("write tree")).expect("tree");
        let who = signature(&commit.author, commit.time);
        let message = commit.message.clone().unwrap_or_else(|| format!("change {n}"));
        let parents: Vec<git2::Commit> =
            parent.map(|id| repository.find_commit(id).expect("parent")).into_iter().collect();
        let parent_refs: Vec<&git2::Commit> = parents.iter().collect();
        let id = repository.commit(Some("HEAD"), &who, &who, &message, &tree, &parent_refs).expect("commit");
        if let Some((name, annotated)) = &commit.tag {
            let object = repository.find_object(id, None).expect("object");
            if *annotated {
                repository.tag(name, &object, &who, name, false).expect("annotated tag");
            } else {
                repository.tag_lightweight(name, &object, false).expect("lightweight tag");
            }
        }
        parent = Some(id);
    }
    let depth = table.get("shallow").and_then(|v| v.as_integer())?;
    let clone = dir.with_extension("shallow");
    let status = std::process::Command::new("git")
        .args(["clone", "--quiet", "--no-local", "--depth", &depth.to_string()])
        .arg(format!("file://{}", dir.display()))
        .arg(&clone)
        .status()
        .expect("the git command runs");
    assert!(status.success(), "git clone --depth failed");
    Some(clone)
}
