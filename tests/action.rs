//! The GitHub Action, run here without GitHub. A small runner reads `action.yml` and runs each
//! step as the Actions runner does: its `run:` script under `bash --noprofile --norc -eo pipefail`,
//! in the workspace, with the step's `env:` (inputs and earlier steps' outputs substituted), and
//! fake `GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY`, `GITHUB_PATH`, `GITHUB_WORKSPACE` and `RUNNER_TEMP`.
//! The install step takes a release archive made by `scripts/package.sh` from the binary under
//! test, served from a `file://` folder (the runner's `GITHUB_SERVER_URL`, which only a test can
//! point at files), and verifies its build provenance with a fake GitHub CLI (`gh`) that records
//! its arguments.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use yaml_rust2::{Yaml, YamlLoader};

const SWALLOW: &str = "def load():\n    try:\n        run()\n    except Exception:\n        pass\n";

struct Step {
    id: String,
    env: Vec<(String, String)>,
    run: String,
}

struct Action {
    inputs: Vec<(String, String)>,
    outputs: Vec<(String, String)>,
    steps: Vec<Step>,
}

fn text(yaml: &Yaml) -> String {
    match yaml {
        Yaml::String(text) => text.clone(),
        Yaml::Integer(n) => n.to_string(),
        Yaml::Boolean(b) => b.to_string(),
        other => panic!("expected a string in action.yml, found {other:?}"),
    }
}

fn pairs(yaml: &Yaml) -> Vec<(String, Yaml)> {
    yaml.as_hash().map(|hash| hash.iter().map(|(key, value)| (text(key), value.clone())).collect()).unwrap_or_default()
}

fn action() -> Action {
    let source = std::fs::read_to_string(common::root().join("action.yml")).expect("action.yml");
    let doc = YamlLoader::load_from_str(&source).expect("action.yml is YAML").remove(0);
    let inputs = pairs(&doc["inputs"]).into_iter().map(|(name, spec)| (name, text(&spec["default"]))).collect();
    let outputs = pairs(&doc["outputs"]).into_iter().map(|(name, spec)| (name, text(&spec["value"]))).collect();
    assert_eq!(text(&doc["runs"]["using"]), "composite");
    let steps = doc["runs"]["steps"]
        .as_vec()
        .expect("steps")
        .iter()
        .map(|step| {
            assert_eq!(text(&step["shell"]), "bash", "every step runs under bash");
            assert!(step["uses"].is_badvalue() && step["if"].is_badvalue(), "the runner here knows `run` steps only");
            Step {
                id: text(&step["id"]),
                env: pairs(&step["env"]).into_iter().map(|(name, value)| (name, text(&value))).collect(),
                run: text(&step["run"]),
            }
        })
        .collect();
    Action { inputs, outputs, steps }
}

/// The workflow's token (`${{ github.token }}`) in these runs.
const TOKEN: &str = "ghs_token-of-the-workflow";

/// `${{ inputs.x }}`, `${{ steps.id.outputs.x }}` and `${{ github.token }}`: all the action's
/// expressions may be.
fn evaluate(
    expression: &str,
    inputs: &HashMap<String, String>,
    steps: &HashMap<String, HashMap<String, String>>,
) -> String {
    let Some(inner) = expression.strip_prefix("${{").and_then(|rest| rest.strip_suffix("}}")) else {
        assert!(!expression.contains("${{"), "an expression inside text: {expression}");
        return expression.to_string();
    };
    let path: Vec<&str> = inner.trim().split('.').collect();
    match path.as_slice() {
        ["inputs", name] => inputs.get(*name).unwrap_or_else(|| panic!("no input `{name}`")).clone(),
        ["github", "token"] => TOKEN.to_string(),
        ["steps", id, "outputs", name] => {
            steps.get(*id).and_then(|outputs| outputs.get(*name)).cloned().unwrap_or_default()
        }
        _ => panic!("an expression the runner here does not know: {expression}"),
    }
}

/// `name=value` lines and `name<<DELIMITER` blocks, as the runner reads `GITHUB_OUTPUT`.
fn read_outputs(file: &Path) -> HashMap<String, String> {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    let mut outputs = HashMap::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let heredoc = line.split_once("<<").filter(|(name, _)| !name.contains('='));
        if let Some((name, delimiter)) = heredoc {
            let value: Vec<&str> = lines.by_ref().take_while(|line| *line != delimiter).collect();
            outputs.insert(name.to_string(), value.join("\n"));
        } else if let Some((name, value)) = line.split_once('=') {
            outputs.insert(name.to_string(), value.to_string());
        }
    }
    outputs
}

#[derive(Debug)]
struct Run {
    /// The step that failed and its exit code.
    failed: Option<(String, i32)>,
    outputs: HashMap<String, String>,
    steps: HashMap<String, HashMap<String, String>>,
    stdout: String,
    stderr: String,
    summary: String,
    path: String,
    /// The fake `gh`'s calls: `GH_TOKEN=...`, then its arguments, one a line, then an empty line.
    gh: String,
    /// The runner's temp folder (the installed binary lives there) for as long as the run.
    runner: tempfile::TempDir,
}

impl Run {
    fn lines(&self, prefix: &str) -> Vec<&str> {
        self.stdout.lines().filter(|line| line.starts_with(prefix)).collect()
    }
}

/// What the GitHub CLI on the runner's PATH does with `gh attestation verify`.
#[derive(Clone, Copy, PartialEq)]
enum Gh {
    /// A fake that finds the attestation good (exit 0).
    Verifies,
    /// A fake that finds none (exit 1).
    Refuses,
    /// No `gh` on PATH at all.
    Missing,
}

/// Runs the action in `workspace` with these inputs and extra environment variables, with a `gh`
/// that verifies every attestation.
fn run_action(workspace: &Path, with: &[(&str, &str)], env: &[(&str, &str)]) -> Run {
    run_action_with(workspace, with, env, Gh::Verifies)
}

fn run_action_with(workspace: &Path, with: &[(&str, &str)], env: &[(&str, &str)], gh: Gh) -> Run {
    let action = action();
    // Defaults are evaluated too (`token` is the workflow's).
    let mut inputs: HashMap<String, String> = action
        .inputs
        .iter()
        .map(|(name, default)| (name.clone(), evaluate(default, &HashMap::new(), &HashMap::new())))
        .collect();
    for (name, value) in with {
        assert!(inputs.contains_key(*name), "action.yml has no input `{name}`");
        inputs.insert(name.to_string(), value.to_string());
    }
    let runner = tempfile::tempdir().unwrap();
    let base = runner.path().to_path_buf();
    let temp = base.join("temp");
    std::fs::create_dir_all(&temp).unwrap();
    let path_file = base.join("path");
    let gh_log = base.join("gh.log");
    // The PATH the runner starts with: the test's, with the fake `gh` before it, or without any.
    let start =
        env.iter().find(|(name, _)| *name == "PATH").map_or(std::env::var("PATH").unwrap(), |(_, v)| v.to_string());
    let start = match gh {
        Gh::Missing => without_gh(&start, &base.join("bin-without-gh")),
        Gh::Verifies | Gh::Refuses => {
            let bin = base.join("bin-gh");
            std::fs::create_dir_all(&bin).unwrap();
            let script = format!(
                "#!/usr/bin/env bash\n{{ echo \"GH_TOKEN=${{GH_TOKEN-}}\"; printf '%s\\n' \"$@\"; echo; }} >>'{log}'\n{refuse}",
                log = gh_log.display(),
                refuse = if gh == Gh::Refuses {
                    "echo 'Error: verifying with issuer \"sigstore.dev\": no matching attestation' >&2\nexit 1\n"
                } else {
                    "echo 'Verification succeeded!'\n"
                },
            );
            executable(&bin.join("gh"), &script);
            format!("{}:{start}", bin.display())
        }
    };
    let mut run = Run {
        runner,
        failed: None,
        outputs: HashMap::new(),
        steps: HashMap::new(),
        stdout: String::new(),
        stderr: String::new(),
        summary: String::new(),
        path: String::new(),
        gh: String::new(),
    };
    for (n, step) in action.steps.iter().enumerate() {
        assert!(!step.run.contains("${{"), "step `{}` interpolates an expression into its script", step.id);
        let script = base.join(format!("step-{n}.sh"));
        std::fs::write(&script, &step.run).unwrap();
        let (output, summary) = (base.join(format!("output-{n}")), base.join(format!("summary-{n}")));
        let mut command = Command::new("bash");
        command
            .args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&script)
            .current_dir(workspace)
            .env_remove("GITHUB_BASE_REF")
            .env_remove("APELINT_DOWNLOAD_URL")
            .env_remove("GH_TOKEN")
            .env_remove("GITHUB_TOKEN")
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_ACTION_PATH", common::root())
            .env("GITHUB_WORKSPACE", workspace)
            .env("GITHUB_OUTPUT", &output)
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("GITHUB_PATH", &path_file)
            .env("RUNNER_TEMP", &temp)
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("GITHUB_ACTION_REF", concat!("v", env!("CARGO_PKG_VERSION")))
            .env("GITHUB_ACTION_REPOSITORY", "apelint/apelint")
            .env("GITHUB_SERVER_URL", format!("file://{}", server().display()));
        for (name, value) in env {
            command.env(name, value);
        }
        // Folders earlier steps added to GITHUB_PATH come first, as on a runner.
        let added = std::fs::read_to_string(&path_file).unwrap_or_default();
        let mut folders: Vec<&str> = added.lines().rev().collect();
        folders.push(&start);
        command.env("PATH", folders.join(":"));
        for (name, value) in &step.env {
            command.env(name, evaluate(value, &inputs, &run.steps));
        }
        let result = command.output().expect("bash runs");
        run.stdout.push_str(&String::from_utf8_lossy(&result.stdout));
        run.stderr.push_str(&String::from_utf8_lossy(&result.stderr));
        run.summary.push_str(&std::fs::read_to_string(&summary).unwrap_or_default());
        run.steps.insert(step.id.clone(), read_outputs(&output));
        if !result.status.success() {
            run.failed = Some((step.id.clone(), result.status.code().unwrap_or(-1)));
            break;
        }
    }
    for (name, expression) in &action.outputs {
        run.outputs.insert(name.clone(), evaluate(expression, &inputs, &run.steps));
    }
    run.path = std::fs::read_to_string(&path_file).unwrap_or_default();
    run.gh = std::fs::read_to_string(&gh_log).unwrap_or_default();
    run
}

fn executable(path: &Path, script: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, script).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// A PATH of one folder, `bin`, linking every program of `path` but `gh`.
fn without_gh(path: &str, bin: &Path) -> String {
    std::fs::create_dir_all(bin).unwrap();
    for folder in path.split(':').filter(|folder| !folder.is_empty()) {
        for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
            let link = bin.join(entry.file_name());
            if entry.file_name() != "gh" && !link.exists() {
                let _ = std::os::unix::fs::symlink(entry.path(), link);
            }
        }
    }
    bin.display().to_string()
}

/// The fake GitHub server's folder: a release (`apelint/apelint/releases/download/v<version>/`,
/// `apelint-<version>-<target>.tar.gz` and its `.sha256`) holding the binary under test, made once
/// by `scripts/package.sh`.
fn server() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        let status = Command::new("bash")
            .arg(common::root().join("scripts/package.sh"))
            .arg("x86_64-unknown-linux-musl")
            .arg(env!("CARGO_BIN_EXE_apelint"))
            .arg(dir.join(release_folder()))
            .output()
            .unwrap();
        assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
        dir
    })
}

/// Where a server keeps the release of the version under test.
fn release_folder() -> String {
    format!("apelint/apelint/releases/download/v{}", env!("CARGO_PKG_VERSION"))
}

fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args(["-c", "user.name=Dev", "-c", "user.email=dev@example.com", "-c", "init.defaultBranch=main"])
        .args(["-c", "protocol.file.allow=always"])
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", "2026-11-01T12:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-11-01T12:00:00Z")
        .output()
        .expect("git runs");
    let said = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "git {args:?}: {said}");
}

/// A repository `origin` with a README and one file that swallows an error, and a clone of it.
fn repository() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let origin = dir.path().join("origin");
    std::fs::create_dir_all(&origin).unwrap();
    std::fs::write(origin.join("README.md"), "# shop\n\nA shop.\n").unwrap();
    std::fs::write(origin.join("a.py"), SWALLOW).unwrap();
    git(&origin, &["init", "-q"]);
    git(&origin, &["add", "."]);
    git(&origin, &["commit", "-qm", "start"]);
    git(&origin, &["tag", "v0.1.0"]);
    for n in 1..4 {
        std::fs::write(origin.join("notes.txt"), format!("{n}\n")).unwrap();
        git(&origin, &["add", "notes.txt"]);
        git(&origin, &["commit", "-qm", &format!("change {n}")]);
    }
    let work = dir.path().join("work");
    git(dir.path(), &["clone", "-q", "--no-local", &format!("file://{}", origin.display()), "work"]);
    (dir, work)
}

const SELECT: &str = "--select error-swallowed,readme-missing";

#[test]
fn one_run_writes_annotations_the_summary_sarif_and_outputs() {
    let (_dir, work) = repository();
    let run = run_action(&work, &[("args", SELECT)], &[]);
    assert_eq!(run.failed, None, "{run:#?}");
    assert!(
        run.stdout.contains("release binary for x86_64-unknown-linux-musl, SHA-256 and build provenance verified"),
        "{}",
        run.stdout
    );
    assert_eq!(run.steps["install"]["from"], "release");
    assert_eq!(run.gh, verification(&run, TOKEN));
    let binary = &run.steps["install"]["path"];
    assert!(Path::new(binary).is_file(), "{binary}");
    assert_eq!(run.path.trim(), Path::new(binary).parent().unwrap().to_str().unwrap());

    let annotations = run.lines("::warning ");
    assert_eq!(annotations.len(), 1, "{}", run.stdout);
    assert!(annotations[0].starts_with("::warning file=a.py,line=4,"), "{}", annotations[0]);
    assert_eq!((run.outputs["findings"].as_str(), run.outputs["errors"].as_str()), ("1", "0"));
    assert_eq!(run.outputs["sarif-file"], "apelint.sarif");
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(work.join("apelint.sarif")).unwrap()).unwrap();
    assert_eq!(log["runs"][0]["results"][0]["ruleId"], "error-swallowed");
    assert!(run.summary.contains("error-swallowed") && run.summary.contains("a.py"), "{}", run.summary);

    // At fail-on warning the step fails, after writing every output; without annotations and a
    // summary the log has apelint's human report.
    let failing = run_action(
        &work,
        &[("args", SELECT), ("fail-on", "warning"), ("annotations", "false"), ("summary", "false"), ("sarif-file", "")],
        &[],
    );
    assert_eq!(failing.failed, Some(("run".to_string(), 1)), "{failing:#?}");
    assert_eq!(failing.outputs["findings"], "1");
    assert_eq!(failing.outputs["sarif-file"], "");
    assert!(failing.lines("::warning").is_empty() && failing.summary.is_empty());
    assert!(failing.stdout.contains("error-swallowed") && failing.stdout.contains("a.py:4"), "{}", failing.stdout);
    assert!(failing.stdout.contains("apelint: 0 errors, 1 warnings, 0 info (fail-on: warning)"), "{}", failing.stdout);
    assert_eq!(failing.outputs["warnings"], "1");
    // The human report quotes the repository: the runner reads no commands inside it.
    let stop = failing.stdout.lines().find_map(|line| line.strip_prefix("::stop-commands::")).expect("stop-commands");
    assert!(stop.len() == 32 && failing.stdout.contains(&format!("\n::{stop}::\n")), "{}", failing.stdout);

    // An empty fail-on leaves it to apelint.toml.
    std::fs::write(work.join("apelint.toml"), "fail-on = \"warning\"\n").unwrap();
    let configured = run_action(&work, &[("args", SELECT)], &[]);
    assert_eq!(configured.failed, Some(("run".to_string(), 1)), "{configured:#?}");
    assert!(configured.stdout.contains("(fail-on: from apelint.toml, else error)"));
}

#[test]
fn pull_requests_annotate_the_change_and_sarif_keeps_everything() {
    let (_dir, work) = repository();
    git(&work, &["checkout", "-q", "-b", "feature"]);
    std::fs::write(work.join("b.py"), SWALLOW).unwrap();
    git(&work, &["add", "b.py"]);
    git(&work, &["commit", "-qm", "add b"]);
    // The gate: only the finding the change brings is reported, and the step fails on it alone.
    let run = run_action(&work, &[("args", SELECT), ("fail-on", "warning")], &[("GITHUB_BASE_REF", "main")]);
    assert_eq!(run.failed, Some(("run".to_string(), 1)), "{run:#?}");
    let annotated: Vec<&str> = run.lines("::warning ");
    assert_eq!(annotated.len(), 1, "{}", run.stdout);
    assert!(annotated[0].starts_with("::warning file=b.py,"), "{}", run.stdout);
    assert_eq!(run.outputs["findings"], "1");
    assert!(run.stdout.contains("1 warnings, 0 info new in this change"), "{}", run.stdout);
    assert!(
        run.summary.contains("**New since `refs/remotes/origin/main`**")
            && run.summary.contains("**1 new**, 0 fixed, 1 unchanged"),
        "{}",
        run.summary
    );
    assert!(run.summary.contains("- 🆕 `b.py:4:5`") && !run.summary.contains("`a.py:4:5`"), "{}", run.summary);
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(work.join("apelint.sarif")).unwrap()).unwrap();
    let states: Vec<&str> =
        log["runs"][0]["results"].as_array().unwrap().iter().map(|r| r["baselineState"].as_str().unwrap()).collect();
    assert_eq!(states, ["unchanged", "new"]);

    // A change that fixes a finding and brings none passes, and says what it fixed.
    git(&work, &["checkout", "-q", "-b", "fix", "main"]);
    std::fs::write(work.join("a.py"), "run()\n").unwrap();
    git(&work, &["commit", "-qam", "fix a"]);
    let fixed = run_action(&work, &[("args", SELECT), ("fail-on", "warning")], &[("GITHUB_BASE_REF", "main")]);
    assert_eq!(fixed.failed, None, "{fixed:#?}");
    assert_eq!(fixed.outputs["findings"], "0");
    assert!(
        fixed.summary.contains("**0 new**, 1 fixed, 0 unchanged") && fixed.summary.contains("Fixed by this change")
    );
    git(&work, &["checkout", "-q", "feature"]);

    // gate: all reports every finding, the change's marked.
    let run = run_action(&work, &[("args", SELECT), ("gate", "all")], &[("GITHUB_BASE_REF", "main")]);
    assert_eq!(run.failed, None, "{run:#?}");
    assert_eq!(run.outputs["findings"], "2");
    assert!(run.summary.contains("**1 in this change**") && !run.summary.contains("New since"), "{}", run.summary);
    assert!(run.summary.contains("- 🆕 `b.py:4:5`") && run.summary.contains("- `a.py:4:5`"), "{}", run.summary);
    let bad = run_action(&work, &[("args", SELECT), ("gate", "some")], &[("GITHUB_BASE_REF", "main")]);
    assert_eq!(bad.failed, Some(("run".to_string(), 2)), "{bad:#?}");

    // A baseline file in `args` is the comparison: the gate adds nothing that would conflict.
    let written = common::apelint()
        .args(["baseline", "--select", "error-swallowed,readme-missing", "--output"])
        .arg(work.join("base.json"))
        .arg(&work)
        .output()
        .unwrap();
    assert!(written.status.success(), "{}", String::from_utf8_lossy(&written.stderr));
    let args = format!("{SELECT} --baseline base.json");
    let run = run_action(&work, &[("args", args.as_str()), ("fail-on", "warning")], &[("GITHUB_BASE_REF", "main")]);
    assert_eq!(run.failed, None, "{run:#?}");
    assert_eq!(run.outputs["findings"], "0");
    assert!(run.summary.contains("Baseline `base.json`"), "{}", run.summary);

    // Without the base branch (and fetch-history none, so it is not fetched) every finding is
    // annotated, with a warning that says so.
    git(&work, &["update-ref", "-d", "refs/remotes/origin/main"]);
    let run = run_action(&work, &[("args", SELECT), ("fetch-history", "none")], &[("GITHUB_BASE_REF", "main")]);
    assert_eq!(run.failed, None, "{run:#?}");
    assert!(run.stdout.contains("::warning title=apelint::the change cannot be compared with `origin/main`"));
    assert_eq!(run.lines("::warning file=").len(), 2, "{}", run.stdout);
    // The same with only the summary on: a warning, not a failure.
    let run = run_action(
        &work,
        &[("args", SELECT), ("fetch-history", "none"), ("annotations", "false")],
        &[("GITHUB_BASE_REF", "main")],
    );
    assert_eq!(run.failed, None, "{run:#?}");
    assert!(
        run.stdout.contains("::warning title=apelint::the change cannot be compared") && !run.summary.contains("🆕")
    );
    // With fetch-history auto it is fetched again.
    let run = run_action(&work, &[("args", SELECT)], &[("GITHUB_BASE_REF", "main")]);
    assert_eq!(run.lines("::warning file=").len(), 1, "{}", run.stdout);
}

#[test]
fn a_shallow_pull_request_checkout_of_a_subfolder() {
    // As actions/checkout leaves a pull request by default: one commit deep, no base branch.
    let dir = tempfile::tempdir().unwrap();
    let origin = dir.path().join("origin");
    std::fs::create_dir_all(origin.join("svc")).unwrap();
    std::fs::write(origin.join("README.md"), "# shop\n\nA shop.\n").unwrap();
    std::fs::write(origin.join("svc/a.py"), SWALLOW).unwrap();
    git(&origin, &["init", "-q"]);
    git(&origin, &["add", "."]);
    git(&origin, &["commit", "-qm", "start"]);
    git(&origin, &["checkout", "-q", "-b", "feature"]);
    std::fs::write(origin.join("svc/b.py"), SWALLOW).unwrap();
    git(&origin, &["add", "."]);
    git(&origin, &["commit", "-qm", "add b"]);
    let url = format!("file://{}", origin.display());
    // Checked out into a folder of the workspace (actions/checkout's `path`), which is no repository.
    let workspace = dir.path().join("workspace");
    std::fs::create_dir_all(&workspace).unwrap();
    git(&workspace, &["clone", "-q", "--depth", "1", "--branch", "feature", "--single-branch", &url, "repo"]);
    let work = workspace.join("repo");
    let args = ("args", "--select error-swallowed");
    let run = run_action(&workspace, &[("path", "repo/svc"), args], &[("GITHUB_BASE_REF", "main")]);
    assert_eq!(run.failed, None, "{run:#?}");
    assert!(run.stdout.contains("fetched the whole history"), "{}", run.stdout);
    let annotated = run.lines("::warning ");
    assert_eq!(annotated.len(), 1, "{}", run.stdout);
    assert!(annotated[0].starts_with("::warning file=svc/b.py,"), "{}", run.stdout);
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(workspace.join("apelint.sarif")).unwrap()).unwrap();
    assert!(work.join(".git").is_dir());
    let uris: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap())
        .collect();
    assert_eq!(uris, ["svc/a.py", "svc/b.py"]);
}

#[test]
fn a_shallow_checkout_is_deepened_or_warned_about() {
    let (dir, _work) = repository();
    let origin = format!("file://{}", dir.path().join("origin").display());
    let shallow = |name: &str| {
        git(dir.path(), &["clone", "-q", "--depth", "1", "--no-tags", &origin, name]);
        dir.path().join(name)
    };
    let is_shallow = |work: &Path| {
        let out = Command::new("git").args(["rev-parse", "--is-shallow-repository"]).current_dir(work).output();
        String::from_utf8(out.unwrap().stdout).unwrap().trim() == "true"
    };

    let none = shallow("none");
    let run = run_action(&none, &[("args", SELECT), ("fetch-history", "none")], &[]);
    assert_eq!(run.failed, None, "{run:#?}");
    assert!(run.stdout.contains("::warning title=apelint::the checkout is shallow and fetch-history is none"));
    assert!(is_shallow(&none));

    let auto = shallow("auto");
    let run = run_action(&auto, &[("args", SELECT)], &[]);
    assert_eq!(run.failed, None, "{run:#?}");
    assert!(!is_shallow(&auto) && tag_exists(&auto, "v0.1.0"), "{}", run.stdout);
    assert!(run.stdout.contains("fetched the whole history and the tags"));

    // An unreachable origin: auto warns and goes on, full fails.
    let lost = shallow("lost");
    git(&lost, &["remote", "set-url", "origin", "file:///nonexistent/origin"]);
    let run = run_action(&lost, &[("args", SELECT)], &[]);
    assert_eq!(run.failed, None, "{run:#?}");
    assert!(run.stdout.contains("::warning title=apelint::could not fetch the history"), "{}", run.stdout);
    let run = run_action(&lost, &[("args", SELECT), ("fetch-history", "full")], &[]);
    assert_eq!(run.failed, Some(("history".to_string(), 2)), "{run:#?}");
    assert!(run.stdout.contains("::error title=apelint::could not fetch the history"));
}

fn tag_exists(work: &Path, tag: &str) -> bool {
    Command::new("git")
        .args(["rev-parse", "--verify", "--quiet", tag])
        .current_dir(work)
        .output()
        .unwrap()
        .status
        .success()
}

#[test]
fn inputs_never_reach_a_shell() {
    let (_dir, work) = repository();
    // Each of these would create `pwned` if an input were pasted into a script.
    let run = run_action(&work, &[("path", "$(touch pwned)")], &[]);
    assert_eq!(run.failed, Some(("run".to_string(), 2)), "{run:#?}");
    assert!(run.stdout.contains("path `$(touch pwned)` does not exist"), "{}", run.stdout);
    let run = run_action(&work, &[("args", SELECT), ("sarif-file", "out/x;touch pwned`touch pwned`.sarif")], &[]);
    assert_eq!(run.failed, None, "{run:#?}");
    assert_eq!(run.outputs["sarif-file"], "out/x;touch pwned`touch pwned`.sarif");
    assert!(work.join("out/x;touch pwned`touch pwned`.sarif").is_file());
    // A multi-line input cannot start a workflow command of its own in the action's messages.
    let run = run_action(&work, &[("fail-on", "x\n::error title=forged::pwned")], &[]);
    assert!(run.stdout.contains("found `x%0A::error title=forged::pwned`"), "{}", run.stdout);
    assert!(!run.stdout.lines().any(|line| line.starts_with("::error title=forged")), "{}", run.stdout);
    let run = run_action(&work, &[("args", "--select \"$(touch pwned)\" --ignore '`touch pwned`'")], &[]);
    assert_eq!(run.failed, Some(("run".to_string(), 2)), "{run:#?}");
    assert!(run.stdout.contains("no rule or family named `$(touch pwned)`"), "{}", run.stdout);
    assert!(!work.join("pwned").exists() && !common::root().join("pwned").exists());

    // Quoted words in `args` stay whole.
    let run = run_action(&work, &[("args", "--select 'error-swallowed' --ignore \"readme-missing\"")], &[]);
    assert_eq!(run.failed, None, "{run:#?}");
    assert_eq!(run.outputs["findings"], "1");
}

#[test]
fn bad_inputs_stop_with_an_error_annotation() {
    let (_dir, work) = repository();
    for (input, value, step, expected) in [
        ("fail-on", "sometimes", "run", "input `fail-on` must be error, warning, info or never"),
        ("annotations", "maybe", "run", "input `annotations` must be true or false"),
        ("summary", "2", "run", "input `summary` must be true or false"),
        ("fetch-history", "deep", "history", "input `fetch-history` must be auto, full or none"),
        ("args", "--select 'unclosed", "run", "input `args` cannot be split into words"),
        ("filter-mode", "lines", "run", "apelint stopped with exit code 2"),
        ("args", "--select docs --format json", "run", "input `args`: `--format` is the action's to set"),
        ("args", "-ox.txt", "run", "input `args`: `-ox.txt` is the action's to set"),
        ("version", "latest", "install", "input `version` must be a release such as 0.2.0, or source"),
        ("version", "9.9.9", "install", "apelint 9.9.9 has no release binary for x86_64-unknown-linux-musl"),
    ] {
        let run = run_action(&work, &[(input, value)], &[("GITHUB_BASE_REF", "main")]);
        assert_eq!(run.failed, Some((step.to_string(), 2)), "{input}: {run:#?}");
        assert!(run.stdout.contains(&format!("::error title=apelint::{expected}")), "{input}: {}", run.stdout);
    }
    // When apelint cannot run, the job summary says so.
    let run = run_action(&work, &[("filter-mode", "lines")], &[]);
    assert!(run.summary.contains("apelint could not run (exit code 2)"), "{}", run.summary);
}

#[test]
fn a_release_that_fails_its_checksum_is_refused() {
    let (_dir, work) = repository();
    let mirror = tempfile::tempdir().unwrap();
    let name = archive();
    let folder = mirror.path().join(release_folder());
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::copy(server().join(release_folder()).join(&name), folder.join(&name)).unwrap();
    let url = format!("file://{}", mirror.path().display());
    for published in [format!("{}  {name}\n", "0".repeat(64)), String::new()] {
        std::fs::write(folder.join(format!("{name}.sha256")), published).unwrap();
        let run = run_action(&work, &[], &[("GITHUB_SERVER_URL", &url)]);
        assert_eq!(run.failed, Some(("install".to_string(), 2)), "{run:#?}");
        assert!(run.stdout.contains("::error title=apelint::the checksum of"), "{}", run.stdout);
        assert!(!run.steps["install"].contains_key("path"));
        assert_eq!(run.gh, "", "the checksum is checked first");
    }
}

/// The release archive of the version under test for the runner here.
fn archive() -> String {
    format!("apelint-{}-x86_64-unknown-linux-musl.tar.gz", env!("CARGO_PKG_VERSION"))
}

/// The call of `gh` that verifies the archive the action downloaded in `run`, with its token.
fn verification(run: &Run, token: &str) -> String {
    let name = archive();
    let downloaded = run.runner.path().join("temp").join(name.trim_end_matches(".tar.gz")).join(&name);
    format!(
        "GH_TOKEN={token}\nattestation\nverify\n{}\n--repo\napelint/apelint\n--signer-workflow\n\
         apelint/apelint/.github/workflows/release.yml\n--source-ref\nrefs/tags/v{}\n\n",
        downloaded.display(),
        env!("CARGO_PKG_VERSION"),
    )
}

/// Whether the action unpacked the archive it downloaded in `run`.
fn unpacked(run: &Run) -> bool {
    let name = archive();
    let name = name.trim_end_matches(".tar.gz");
    run.runner.path().join("temp").join(name).join(name).exists()
}

#[test]
fn a_release_is_installed_only_once_its_build_provenance_is_verified() {
    let (_dir, work) = repository();
    let version = ("version", env!("CARGO_PKG_VERSION"));
    // Verified, with the workflow's token or the one given, at the release tag or by version.
    for (with, token) in [(vec![], TOKEN), (vec![("token", "ghp_another")], "ghp_another"), (vec![version], TOKEN)] {
        let run = run_action(&work, &with, &[]);
        assert_eq!(run.failed, None, "{run:#?}");
        assert_eq!(run.steps["install"]["from"], "release");
        assert_eq!(run.gh, verification(&run, token));
        assert!(run.stdout.contains("SHA-256 and build provenance verified"), "{}", run.stdout);
        assert!(!run.stdout.contains(token) && !run.stderr.contains(token), "{run:#?}");
    }
    // Refused: nothing unpacked, installed or put on PATH, and gh's reason in the log.
    for with in [vec![], vec![version]] {
        let run = run_action_with(&work, &with, &[], Gh::Refuses);
        assert_eq!(run.failed, Some(("install".to_string(), 2)), "{run:#?}");
        assert_eq!(run.gh, verification(&run, TOKEN));
        let expected = format!("::error title=apelint::the build provenance of {} cannot be verified", archive());
        assert!(run.stdout.contains(&expected), "{}", run.stdout);
        assert!(run.stdout.contains("no matching attestation"), "{}", run.stdout);
        assert!(!run.steps["install"].contains_key("path") && run.path.is_empty() && !unpacked(&run), "{run:#?}");
    }
}

#[test]
fn without_gh_the_source_is_built() {
    let (_dir, work) = repository();
    let cargo = FakeCargo::new();
    // At its release tag: a warning that says why, then the source.
    let run = run_action_with(&work, &[("args", SELECT)], &[("PATH", &cargo.path)], Gh::Missing);
    assert_eq!(run.failed, None, "{run:#?}");
    assert_eq!(run.steps["install"]["from"], "source", "{run:#?}");
    assert!(cargo.ran() && !unpacked(&run), "{run:#?}");
    let expected = "::warning title=apelint::GitHub CLI (gh) is not on this runner, so the build provenance of apelint";
    assert!(run.stdout.contains(expected), "{}", run.stdout);
    assert_eq!(run.outputs["findings"], "1");
    // A release asked for by version is that release or nothing.
    let with = [("version", env!("CARGO_PKG_VERSION"))];
    let run = run_action_with(&work, &with, &[("PATH", &cargo.path)], Gh::Missing);
    assert_eq!(run.failed, Some(("install".to_string(), 2)), "{run:#?}");
    assert!(run.stdout.contains("::error title=apelint::GitHub CLI (gh) is not on this runner"), "{}", run.stdout);
    assert!(run.stdout.contains("install gh, or set version to source"), "{}", run.stdout);
    assert!(!run.steps["install"].contains_key("path") && !unpacked(&run), "{run:#?}");
}

#[test]
fn releases_are_downloaded_over_https_only() {
    let (_dir, work) = repository();
    let cargo = FakeCargo::new();
    let files = format!("file://{}/apelint/apelint/releases/download", server().display());
    for (name, value, refused) in [
        ("GITHUB_SERVER_URL", "http://127.0.0.1:9", "http://127.0.0.1:9/apelint/apelint/releases/download"),
        ("APELINT_DOWNLOAD_URL", "http://127.0.0.1:9/releases", "http://127.0.0.1:9/releases"),
        ("APELINT_DOWNLOAD_URL", "ftp://127.0.0.1:9/releases", "ftp://127.0.0.1:9/releases"),
        // Files only from the runner's own server (a folder in these tests), never from a mirror.
        ("APELINT_DOWNLOAD_URL", &files, &files),
    ] {
        for with in [vec![("version", env!("CARGO_PKG_VERSION"))], vec![]] {
            let run = run_action(&work, &with, &[(name, value), ("PATH", &cargo.path)]);
            assert_eq!(run.failed, Some(("install".to_string(), 2)), "{name}={value}: {run:#?}");
            let expected =
                format!("::error title=apelint::apelint downloads its releases over https only, not from `{refused}`");
            assert!(run.stdout.contains(&expected), "{}", run.stdout);
            assert!(run.gh.is_empty() && !cargo.ran() && !unpacked(&run), "{run:#?}");
        }
    }
    // Each curl of the action keeps to https, redirects included.
    let script = std::fs::read_to_string(common::root().join("scripts/action.sh")).unwrap();
    let runs_curl =
        |line: &&str| line.split([' ', '(', '\t']).any(|word| word == "curl") && !line.trim().starts_with('#');
    let curls: Vec<&str> = script.lines().filter(runs_curl).collect();
    assert!(!curls.is_empty());
    for line in curls {
        assert!(line.contains("--proto \"$protocols\" --proto-redir \"$protocols\""), "{line}");
    }
}

/// A fake cargo on PATH: records its arguments and installs the binary under test where asked.
struct FakeCargo {
    _bin: tempfile::TempDir,
    log: PathBuf,
    /// PATH with the fake first.
    path: String,
}

impl FakeCargo {
    fn new() -> Self {
        let bin = tempfile::tempdir().unwrap();
        let log = bin.path().join("cargo.log");
        let script = format!(
            "#!/usr/bin/env bash\necho \"$@\" >>'{log}'\nwhile [ $# -gt 0 ]; do [ \"$1\" = --root ] && root=$2; shift; done\n\
             mkdir -p \"$root/bin\" && cp '{binary}' \"$root/bin/apelint\"\n",
            log = log.display(),
            binary = env!("CARGO_BIN_EXE_apelint"),
        );
        executable(&bin.path().join("cargo"), &script);
        let path = format!("{}:{}", bin.path().display(), std::env::var("PATH").unwrap());
        FakeCargo { _bin: bin, log, path }
    }

    /// Whether it ran (since the last call), as `cargo install` of the action's source.
    fn ran(&self) -> bool {
        let Ok(called) = std::fs::read_to_string(&self.log) else { return false };
        let _ = std::fs::remove_file(&self.log);
        assert!(called.starts_with(&format!("install --locked --quiet --path {} --root ", common::root().display())));
        true
    }
}

#[test]
fn without_a_release_binary_the_source_is_built() {
    let (_dir, work) = repository();
    let cargo = FakeCargo::new();
    let built = |with: &[(&str, &str)], env: &[(&str, &str)]| {
        let mut all = vec![("PATH", cargo.path.as_str())];
        all.extend_from_slice(env);
        let run = run_action(&work, with, &all);
        assert_eq!(run.failed, None, "{run:#?}");
        assert_eq!(run.steps["install"]["from"], "source", "{run:#?}");
        assert!(cargo.ran(), "cargo ran");
        assert_eq!(run.outputs["findings"], "1");
        run
    };
    // At its release tag, without a release for the runner: a notice, then the source.
    let run = built(&[("args", SELECT)], &[("GITHUB_SERVER_URL", "file:///nonexistent/server")]);
    assert!(run.stdout.contains("::notice title=apelint::no apelint"), "{}", run.stdout);
    // At a branch: the source, whose flags the script knows, even when a release exists.
    let run = built(&[("args", SELECT)], &[("GITHUB_ACTION_REF", "main")]);
    assert!(run.stdout.contains("the action runs at `main`, not at its release tag"), "{}", run.stdout);
    // `version: source` builds at the release tag too.
    let run = built(&[("args", SELECT), ("version", "source")], &[]);
    assert!(!run.stdout.contains("SHA-256") && run.gh.is_empty(), "{}", run.stdout);
    // And the binary on PATH for later steps is the one installed.
    assert!(run.path.trim().ends_with("apelint-build/bin"), "{}", run.path);
}

/// What the runner makes of one stream of a step's log: the lines (split at CR and at LF, as it
/// splits them) that it reads as workflow commands, and the text outside every
/// `::stop-commands::TOKEN` … `::TOKEN::` block. Lines are taken with their leading blanks trimmed,
/// to be safe.
fn commands(stream: &str) -> (Vec<String>, String) {
    let (mut commands, mut outside, mut stopped) = (Vec::new(), String::new(), None::<String>);
    for line in stream.split(['\r', '\n']) {
        let trimmed = line.trim_start();
        if let Some(token) = &stopped {
            if trimmed == format!("::{token}::") {
                stopped = None;
            }
        } else if let Some(token) = trimmed.strip_prefix("::stop-commands::") {
            stopped = Some(token.to_string());
        } else {
            outside.push_str(line);
            outside.push('\n');
            if trimmed.starts_with("::") {
                commands.push(trimmed.to_string());
            }
        }
    }
    (commands, outside)
}

#[test]
fn the_repository_cannot_forge_a_workflow_command() {
    // apelint.toml's unknown key goes into apelint's diagnostic (standard error) as it is.
    for separator in ["\\r", "\\n"] {
        let (_dir, work) = repository();
        std::fs::write(work.join("apelint.toml"), format!("\"x{separator}::error title=INJECTED::pwned\" = 1\n"))
            .unwrap();
        for annotations in ["true", "false"] {
            let run = run_action(&work, &[("args", SELECT), ("annotations", annotations)], &[]);
            assert_eq!(run.failed, Some(("run".to_string(), 2)), "{run:#?}");
            // apelint's diagnostic reaches the log, but the runner reads no command in it, on
            // either stream: only the action's own error.
            let log = format!("{}{}", run.stdout, run.stderr);
            assert!(log.contains("unknown key `x") && log.contains("INJECTED"), "{run:#?}");
            let stopped = "::error title=apelint::apelint stopped with exit code 2 before it could report: the log above says why";
            for stream in [&run.stdout, &run.stderr] {
                let (found, outside) = commands(stream);
                assert!(!outside.contains("INJECTED"), "{separator}, annotations {annotations}: {stream}");
                assert!(found.iter().all(|line| line == stopped), "{separator}, annotations {annotations}: {found:?}");
            }
            assert!(run.stdout.contains(stopped), "{}", run.stdout);
        }
    }
    // A file name with a line break: apelint escapes it in the annotation, which reaches the runner
    // as it is, and the human report is quoted.
    for separator in ['\r', '\n'] {
        let (_dir, work) = repository();
        std::fs::write(work.join(format!("b{separator}::error title=INJECTED::pwned.py")), SWALLOW).unwrap();
        let args = ("args", "--select error-swallowed");
        let run = run_action(&work, &[args], &[]);
        assert_eq!(run.failed, None, "{run:#?}");
        let (stdout, _) = commands(&run.stdout);
        let annotations: Vec<&String> = stdout.iter().filter(|line| line.starts_with("::warning file=")).collect();
        assert_eq!(annotations.len(), 2, "{}", run.stdout);
        assert!(annotations.iter().any(|line| line.contains("::warning file=b%0")), "{}", run.stdout);
        let expected = |line: &String| {
            line.starts_with("::warning file=") || line == "::notice title=apelint::apelint: 2 findings"
        };
        assert!(stdout.iter().all(expected), "{}", run.stdout);
        assert!(commands(&run.stderr).0.is_empty(), "{}", run.stderr);
        let run = run_action(&work, &[args, ("annotations", "false")], &[]);
        assert_eq!(run.failed, None, "{run:#?}");
        let (stdout, outside) = commands(&run.stdout);
        assert!(stdout.is_empty() && !outside.contains("INJECTED"), "{}", run.stdout);
        assert!(run.stdout.contains("INJECTED"), "{}", run.stdout);
    }
}
