//! `apelint trend`: the commits of HEAD's first-parent line at regular points back in time, each
//! judged from git objects (no checkout) as a run on that day would have judged it, in parallel.

use super::settings::TrendSettings;
use super::{Exit, Failure, Prepared, write};
use crate::diag::Problem;
use crate::facts::FactSettings;
use crate::facts::history::CommitGraph;
use crate::facts::source;
use crate::finding::{Counts, Severity};
use crate::report::trend::{self, Point, Trend};
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the points share.
#[derive(Default)]
struct Shared {
    graph: Arc<CommitGraph>,
    matches: Arc<crate::syntax::MatchCache>,
    blobs: Arc<source::BlobCache>,
}

/// A point to judge: its time, and the commit of the first-parent line made by then.
struct Planned {
    time: i64,
    commit: git2::Oid,
    commit_time: i64,
}

pub fn trend(settings: &TrendSettings) -> Result<Exit, Failure> {
    let root = super::root(&settings.analysis.inputs.path)?;
    let now = crate::date::now().map_err(|message| Failure::from(Problem::usage(message)))?;
    let refuse = |unavailable: crate::facts::history::Unavailable| {
        Failure::from(Problem::usage(format!("apelint trend: {}", unavailable.reason)).with_help(unavailable.hint))
    };
    let (repository, _) = source::repository_of(&root).map_err(refuse)?;
    if repository.head().is_err_and(|error| error.code() == git2::ErrorCode::UnbornBranch) {
        return Err(refuse(crate::facts::history::Unavailable {
            reason: "the repository has no commits yet".to_string(),
            hint: "commit something first".to_string(),
        }));
    }
    let head = source::find_commit(&repository, "HEAD").map_err(refuse)?;
    let head_name = repository
        .head()
        .ok()
        .filter(git2::Reference::is_branch)
        .and_then(|head| head.shorthand().ok().map(str::to_string))
        .unwrap_or_else(|| "HEAD".to_string());
    let (planned, before_history) = plan(&repository, head, now, settings).map_err(refuse)?;
    let shallow = repository.is_shallow();
    drop(repository);

    // The rules and families of the current configuration name the rows, and judge every commit
    // that has no configuration of its own (or the same one).
    let current = Prepared::new(&settings.analysis)?;
    let mut families: Vec<String> = current.active().iter().map(|rule| rule.family.as_str().to_string()).collect();
    families.sort();
    families.dedup();

    let points = judge_all(&planned, settings, &current);
    let trend = Trend {
        version: trend::VERSION,
        since: settings.since.to_string(),
        every: settings.every.to_string(),
        head: head_name,
        points,
        before_history,
        shallow,
        families,
    };
    let text =
        if settings.json { trend::json(&trend) } else { trend::human(&trend, super::terminal::stdout_is_terminal()) };
    write::emit(&text, None)?;
    Ok(Exit::Clean)
}

/// The points, oldest first, from one walk of the first-parent line; and how many fall before its
/// first commit.
fn plan(
    repository: &git2::Repository,
    head: git2::Oid,
    now: i64,
    settings: &TrendSettings,
) -> Result<(Vec<Planned>, usize), crate::facts::history::Unavailable> {
    let times: Vec<i64> = (0..)
        .map(|step| settings.every.back(now, step))
        .take_while(|time| *time > settings.since.back(now, 1))
        .take(MAX_POINTS)
        .collect();
    let oldest = times.last().copied().unwrap_or(now);
    // The first-parent line, newest first, down to the first commit made before the oldest point.
    let mut line: Vec<(git2::Oid, i64)> = Vec::new();
    let mut commit = repository.find_commit(head).map_err(|error| crate::facts::history::Unavailable {
        reason: format!("HEAD's commit cannot be read: {}", error.message()),
        hint: String::new(),
    })?;
    loop {
        let time = commit.time().seconds();
        line.push((commit.id(), time));
        if time <= oldest {
            break;
        }
        // A shallow clone ends where its history does: earlier points have no commit.
        let Ok(parent) = commit.parent(0) else { break };
        commit = parent;
    }
    let mut planned = Vec::new();
    let mut before = 0;
    for time in times.into_iter().rev() {
        match line.iter().find(|(_, committed)| *committed <= time) {
            Some((id, committed)) => planned.push(Planned { time, commit: *id, commit_time: *committed }),
            None => before += 1,
        }
    }
    Ok((planned, before))
}

/// Points judged at once, at most.
const MAX_AT_ONCE: usize = 4;

/// More points than this are not judged (`--every 1d --since 10y` would be thousands of runs).
const MAX_POINTS: usize = 120;

/// Judges every point, on as many threads as the machine has cores; progress goes to standard
/// error when it is a terminal and the work takes more than a second.
fn judge_all(planned: &[Planned], settings: &TrendSettings, current: &Prepared) -> Vec<Point> {
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Point>>> = Mutex::new(vec![None; planned.len()]);
    let started = Instant::now();
    let progress = std::io::stderr().is_terminal();
    let shown = std::sync::atomic::AtomicBool::new(false);
    // The windows of the points overlap, and most files are the same from one point to the next:
    // each commit is read, and each file's syntax matched, once for all of them.
    let shared = Shared::default();
    // Each point in progress holds its tree and its facts: a few at a time, each using every core.
    let threads =
        std::thread::available_parallelism().map_or(1, usize::from).min(MAX_AT_ONCE).min(planned.len()).max(1);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let at = next.fetch_add(1, Ordering::SeqCst);
                    let Some(point) = planned.get(at) else { break };
                    let judged = judge(point, settings, current, &shared);
                    results.lock().unwrap_or_else(std::sync::PoisonError::into_inner)[at] = Some(judged);
                    let finished = done.fetch_add(1, Ordering::SeqCst) + 1;
                    if progress && started.elapsed() > Duration::from_secs(1) {
                        shown.store(true, Ordering::SeqCst);
                        eprint!("\rapelint trend: {finished} of {} points judged", planned.len());
                    }
                }
            });
        }
    });
    if shown.load(Ordering::SeqCst) {
        eprintln!();
    }
    results.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner).into_iter().flatten().collect()
}

/// One point: the commit judged with the rules and configuration of its own tree (the current ones
/// when it has none, or one that cannot be used), "now" being the point's day.
fn judge(planned: &Planned, settings: &TrendSettings, current: &Prepared, shared: &Shared) -> Point {
    let adjust = |facts: &mut FactSettings| {
        facts.history.now = planned.time;
        facts.history.graph = Some(shared.graph.clone());
        facts.matches = Some(shared.matches.clone());
    };
    let judged = match own_configuration(planned, settings, current, &shared.blobs) {
        Ok(Configured::Current(tree)) => super::fact_settings(&current.config).and_then(|mut facts| {
            adjust(&mut facts);
            current.judge_commit(facts, tree)
        }),
        Ok(Configured::Own(tree)) => Prepared::of_commit(&settings.analysis, tree)
            .and_then(|prepared| prepared.analyse_with(adjust))
            .map(|analysis| analysis.outcome),
        Err(failure) => Err(failure),
    };
    let mut point = Point {
        date: crate::date::format(planned.time),
        commit: planned.commit.to_string(),
        commit_date: crate::date::format(planned.commit_time),
        counts: Counts::default(),
        families: BTreeMap::new(),
        failed: None,
    };
    match judged {
        Ok(outcome) => {
            point.counts = Counts::of(&outcome.findings);
            for finding in &outcome.findings {
                let counts = point.families.entry(finding.family.clone()).or_default();
                match finding.severity {
                    Severity::Error => counts.error += 1,
                    Severity::Warning => counts.warning += 1,
                    Severity::Info => counts.info += 1,
                }
            }
        }
        Err(Failure::Problems(problems)) => {
            point.failed = Some(problems.problems.first().map_or_else(|| "failed".to_string(), |p| p.message.clone()));
        }
        Err(Failure::BrokenPipe) => point.failed = Some("failed".to_string()),
    }
    point
}

/// The point's tree, read once, and whether the current rules and configuration judge it as its own
/// would: it holds no configuration file, or the same text as the current one, or one was named
/// with `--config`.
fn own_configuration(
    planned: &Planned,
    settings: &TrendSettings,
    current: &Prepared,
    blobs: &Arc<source::BlobCache>,
) -> Result<Configured, Failure> {
    let refuse = |unavailable: crate::facts::history::Unavailable| {
        Failure::from(Problem::usage(unavailable.reason).with_help(unavailable.hint))
    };
    let (repository, prefix) = source::repository_of(&current.root).map_err(refuse)?;
    let tree =
        source::CommitTree::new(&repository, planned.commit, &prefix).map_err(refuse)?.with_blobs(Some(blobs.clone()));
    if settings.analysis.inputs.config.is_some() {
        return Ok(Configured::Current(tree));
    }
    let own = crate::config::FILE_NAMES.iter().find_map(|name| tree.read(name, crate::diag::MAX_SOURCE_SIZE).ok());
    let current_text = current.config.file.as_ref().map(|file| file.text);
    Ok(match own {
        None => Configured::Current(tree),
        Some(text) if Some(text.as_str()) == current_text => Configured::Current(tree),
        Some(_) => Configured::Own(tree),
    })
}

/// A point's tree, and which configuration judges it.
enum Configured {
    /// The current rules and configuration judge it as its own would.
    Current(source::CommitTree),
    /// Its tree holds a configuration of its own: the rules are loaded again with it.
    Own(source::CommitTree),
}
