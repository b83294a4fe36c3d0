//! What apelint reads of the GitHub Actions environment: the pull request's base branch, which
//! turns on pull-request mode when `--diff-base` does not name a base.

/// The base to compare with in a pull request's workflow run (`origin/<GITHUB_BASE_REF>`), when
/// apelint runs in GitHub Actions for a pull request.
pub fn pull_request_base() -> Option<String> {
    let on_actions = std::env::var("GITHUB_ACTIONS").is_ok_and(|value| value == "true");
    let base = std::env::var("GITHUB_BASE_REF").ok().filter(|base| !base.is_empty())?;
    on_actions.then(|| format!("origin/{base}"))
}
