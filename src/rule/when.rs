//! A rule's `[when]` gate: facts the repository must have for the rule to be judged at all.

use crate::check::DependencyCheck;
use crate::diag::{Problem, Problems};
use crate::facts::Facts;
use crate::facts::status::StatusKind;
use crate::pattern::Globs;
use crate::spanned::Fields;
use toml::Spanned;

#[derive(Debug, Default)]
pub struct When {
    /// Any of these packages is a dependency.
    dependency: Option<DependencyCheck>,
    /// Any of these paths exists.
    paths: Option<Globs>,
    /// None of these paths exists.
    no_paths: Option<Globs>,
    min_source_files: Option<usize>,
    max_source_files: Option<usize>,
    /// Source files of the product itself: no tests, examples, benchmarks, docs or tools
    /// (see `Facts::product_source_file_count`).
    min_product_files: Option<usize>,
    /// Commits by people within the history window.
    min_commits: Option<usize>,
    /// Days from the oldest commit seen to HEAD.
    min_history_days: Option<i64>,
    min_tags: Option<usize>,
    /// `generated-project = false`: not a project generator's output (see `Facts::generated_project`).
    generated_project: Option<bool>,
    /// `active = true`: someone still works on it (see `History::dormant`).
    active: Option<bool>,
    /// `project-template = false`: not the source of a project template (see `Facts::project_template`).
    project_template: Option<bool>,
    /// `retired = false`: the README does not say the repository is retired (see `facts::status`).
    retired: Option<bool>,
    /// `maintenance-mode = false`: the README does not say it is in maintenance mode.
    maintenance_mode: Option<bool>,
    /// `mirror = false`: not a read-only split or mirror of a main repository.
    mirror: Option<bool>,
    /// `companion = false`: not the code of a book, a course or a tutorial (see `facts::status`).
    companion: Option<bool>,
    /// `prototype = false`: more than a prototype (see `ProfileFact::prototype_only`).
    prototype: Option<bool>,
    /// `developed-here = true`: the repository is where a team works on the product, so a habit
    /// can be asked of it: not retired, not a read-only split or mirror, not the code of a book, a
    /// course or a tutorial, more than a prototype, not a project generator's output, and someone
    /// still works on it. Every repository-habit rule asks for all of these at once, so what one
    /// rule learns about where nobody works, all of them know.
    developed_here: Option<bool>,
    /// `documentation-project = false`: the product is not documentation (see
    /// `Facts::documentation_project`).
    documentation_project: Option<bool>,
    /// `convention-since = "YYYY-MM-DD"`: the habit the rule asks for was not a convention before
    /// that day, so a repository judged as of an earlier day (a pinned commit, a point of a trend)
    /// is not asked for it.
    convention_since: Option<i64>,
}

/// The gates `developed-here = true` stands for.
fn developed_here_gates() -> When {
    When {
        retired: Some(false),
        mirror: Some(false),
        companion: Some(false),
        prototype: Some(false),
        generated_project: Some(false),
        active: Some(true),
        ..When::default()
    }
}

impl When {
    pub fn compile(mut fields: Fields<'_>, problems: &mut Problems) -> Option<When> {
        let file = fields.file();
        let before = problems.problems.len();
        let dependency = fields
            .get::<Vec<Spanned<String>>>("dependency", problems)
            .and_then(|items| DependencyCheck::present(file, items.get_ref(), problems));
        let paths = fields
            .get::<Vec<Spanned<String>>>("paths", problems)
            .and_then(|items| Globs::compile(file, items.get_ref(), problems));
        let no_paths = fields
            .get::<Vec<Spanned<String>>>("no-paths", problems)
            .and_then(|items| Globs::compile(file, items.get_ref(), problems));
        let min_source_files = fields.get::<usize>("min-source-files", problems).map(Spanned::into_inner);
        let max_source_files = fields.get::<usize>("max-source-files", problems).map(Spanned::into_inner);
        let min_product_files = fields.get::<usize>("min-product-files", problems).map(Spanned::into_inner);
        let min_commits = fields.get::<usize>("min-commits", problems).map(Spanned::into_inner);
        let min_history_days = fields.get::<i64>("min-history-days", problems).map(Spanned::into_inner);
        let min_tags = fields.get::<usize>("min-tags", problems).map(Spanned::into_inner);
        let generated_project = fields.get::<bool>("generated-project", problems).map(Spanned::into_inner);
        let active = fields.get::<bool>("active", problems).map(Spanned::into_inner);
        let project_template = fields.get::<bool>("project-template", problems).map(Spanned::into_inner);
        let retired = fields.get::<bool>("retired", problems).map(Spanned::into_inner);
        let maintenance_mode = fields.get::<bool>("maintenance-mode", problems).map(Spanned::into_inner);
        let mirror = fields.get::<bool>("mirror", problems).map(Spanned::into_inner);
        let companion = fields.get::<bool>("companion", problems).map(Spanned::into_inner);
        let prototype = fields.get::<bool>("prototype", problems).map(Spanned::into_inner);
        let developed_here = fields.get::<bool>("developed-here", problems).map(Spanned::into_inner);
        let documentation_project = fields.get::<bool>("documentation-project", problems).map(Spanned::into_inner);
        let convention_since = fields.get::<String>("convention-since", problems).and_then(|day| {
            let parsed = crate::date::parse_day(day.get_ref());
            if parsed.is_none() {
                problems.push(Problem::at(
                    file,
                    day.span(),
                    "`convention-since` must be a day",
                    "expected `YYYY-MM-DD`",
                ));
            }
            parsed
        });
        fields.finish(problems);
        (problems.problems.len() == before).then_some(When {
            dependency,
            paths,
            no_paths,
            min_source_files,
            max_source_files,
            min_product_files,
            min_commits,
            min_history_days,
            min_tags,
            generated_project,
            active,
            project_template,
            retired,
            maintenance_mode,
            mirror,
            companion,
            prototype,
            developed_here,
            documentation_project,
            convention_since,
        })
    }

    /// Whether a condition reads the commit history.
    pub fn needs_history(&self) -> bool {
        self.min_commits.is_some() || self.min_history_days.is_some() || self.min_tags.is_some()
    }

    /// The conditions in words, for the documentation; empty when there are none.
    pub fn describe(&self) -> Vec<String> {
        let mut parts = Vec::new();
        if let Some(min) = self.min_source_files {
            parts.push(format!("at least {} (CI and tooling scripts alone do not count)", files(min)));
        }
        if let Some(max) = self.max_source_files {
            parts.push(format!("at most {}", files(max)));
        }
        if let Some(min) = self.min_product_files {
            parts.push(format!(
                "at least {} of the product's own (not tests, examples, benchmarks, docs or tools)",
                files(min)
            ));
        }
        if let Some(paths) = &self.paths {
            parts.push(format!("a path matching {}", quoted(paths.patterns())));
        }
        if let Some(no_paths) = &self.no_paths {
            parts.push(format!("no path matching {}", quoted(no_paths.patterns())));
        }
        if let Some(dependency) = &self.dependency {
            parts.push(format!("a dependency on {}", dependency.describe()));
        }
        if let Some(min) = self.min_commits {
            parts.push(format!("at least {min} commits by people in the history window"));
        }
        if let Some(min) = self.min_history_days {
            parts.push(format!("a history of at least {min} days"));
        }
        if let Some(min) = self.min_tags {
            parts.push(format!("at least {min} tag(s)"));
        }
        // Each yes/no gate in words: what it asks for when `true`, and when `false`.
        for (wanted, when_true, when_false) in [
            (
                self.project_template,
                "the source of a project template",
                "a repository that is not the source of a project template",
            ),
            (self.prototype, "a prototype and nothing more", "more than a prototype (a profile besides prototype)"),
            (
                self.active,
                "someone still working on it (a commit by a person in the last year, and more than one in the window of a longer history)",
                "a dormant repository",
            ),
            (
                self.generated_project,
                "a project generator's output",
                "a repository written by hand, not a project generator's output",
            ),
            (
                self.documentation_project,
                "a product that is documentation",
                "a product that is not documentation (a docs site or book whose generator is configured at the root, with at least 30 pages, at most 20 source files and ten pages for each)",
            ),
        ] {
            match wanted {
                Some(true) => parts.push(when_true.to_string()),
                Some(false) => parts.push(when_false.to_string()),
                None => {}
            }
        }
        for (wanted, what) in [
            (self.retired, "retired (no longer maintained, archived, deprecated or moved)"),
            (self.maintenance_mode, "in maintenance mode"),
            (self.mirror, "a read-only split or mirror of a main repository"),
            (self.companion, "the code of a book, a course or a tutorial"),
        ] {
            match wanted {
                Some(false) => parts.push(format!("a repository whose README does not say it is {what}")),
                Some(true) => parts.push(format!("a repository whose README says it is {what}")),
                None => {}
            }
        }
        if let Some(since) = self.convention_since {
            parts.push(format!(
                "a day of judgement on or after {}, when the habit had become a convention",
                crate::date::format(since)
            ));
        }
        match self.developed_here {
            Some(true) => parts.push(format!(
                "a repository where the product is developed: {}",
                developed_here_gates().describe().join(", ")
            )),
            Some(false) => parts.push("a repository where nobody develops the product".to_string()),
            None => {}
        }
        parts
    }

    /// Why the rule does not apply here, or `None` when every condition holds.
    pub fn unmet(&self, facts: &Facts) -> Option<String> {
        if let Some(wanted) = self.developed_here {
            match developed_here_gates().unmet(facts) {
                Some(why) if wanted => return Some(why),
                None if !wanted => return Some("the product is developed in this repository".to_string()),
                _ => {}
            }
        }
        if let Some(min) = self.min_source_files {
            // CI and tooling scripts alone (a list of links with its linter) make no code project.
            if facts.only_tooling_code() {
                return Some(format!("needs at least {}; found only CI and tooling scripts", files(min)));
            }
            let count = facts.source_file_count();
            if count < min {
                return Some(format!("needs at least {}; found {count}", files(min)));
            }
        }
        if let Some(max) = self.max_source_files {
            let count = facts.source_file_count();
            if count > max {
                return Some(format!("applies to at most {}; found {count}", files(max)));
            }
        }
        if let Some(min) = self.min_product_files {
            let count = facts.product_source_file_count();
            if count < min {
                return Some(format!(
                    "needs at least {} of the product's own (not tests, examples, benchmarks, docs or tools); found {count}",
                    files(min)
                ));
            }
        }
        if let Some(paths) = &self.paths {
            if facts.tree().matching(paths).next().is_none() {
                return Some(format!("no path matches {}", paths.patterns().join(", ")));
            }
        }
        if let Some(no_paths) = &self.no_paths {
            if let Some(found) = facts.tree().matching(no_paths).next() {
                return Some(format!("`{found}` exists"));
            }
        }
        if let Some(since) = self.convention_since.filter(|since| facts.now() < *since) {
            return Some(format!(
                "judged as of {}, before the habit became a convention ({})",
                crate::date::format(facts.now()),
                crate::date::format(since)
            ));
        }
        if let Some(wanted) = self.documentation_project {
            match facts.documentation_project() {
                Some(why) if !wanted => return Some(why.to_string()),
                None if wanted => return Some("the product is not documentation".to_string()),
                _ => {}
            }
        }
        if let Some(wanted) = self.project_template {
            match facts.project_template() {
                Some(why) if !wanted => return Some(format!("the repository is a project template's source: {why}")),
                None if wanted => return Some("the repository is not a project template's source".to_string()),
                _ => {}
            }
        }
        let status = facts.status();
        for (wanted, kind) in [
            (self.retired, StatusKind::Retired),
            (self.maintenance_mode, StatusKind::Maintenance),
            (self.mirror, StatusKind::Mirror),
            (self.companion, StatusKind::Companion),
        ] {
            let Some(wanted) = wanted else { continue };
            match status.filter(|status| status.kind == kind) {
                Some(status) if !wanted => return Some(status.evidence.clone()),
                None if wanted => return Some(format!("the README does not say the repository is {}", kind.as_str())),
                _ => {}
            }
        }
        if let Some(wanted) = self.prototype {
            let profile = facts.profile();
            match profile.prototype_only() {
                true if !wanted => {
                    return Some(format!(
                        "the repository is a prototype and nothing more ({})",
                        profile.describe_evidence()
                    ));
                }
                false if wanted => return Some("the repository is more than a prototype".to_string()),
                _ => {}
            }
        }
        if let Some(wanted) = self.generated_project {
            match facts.generated_project() {
                Some(marker) if !wanted => {
                    return Some(format!(
                        "the repository is a project generator's output (`{marker}`, and the README says it was generated)"
                    ));
                }
                None if wanted => return Some("the repository is not a project generator's output".to_string()),
                _ => {}
            }
        }
        if let Some(dependency) = &self.dependency {
            if let Some(missing) = dependency.evaluate(facts).first() {
                return Some(missing.message.clone());
            }
        }
        // Whether someone still works on it is read from the history when there is one; without it
        // (not a git clone) the rule is judged as for an active repository, not skipped.
        if let Some(Ok(history)) = self.active.map(|_| facts.history()) {
            match (self.active, history.dormant()) {
                (Some(true), Some(why)) => return Some(why),
                (Some(false), None) => return Some("someone still works on the repository".to_string()),
                _ => {}
            }
        }
        // The engine asks only once the history could be read, and only for rules that need it.
        if let Some(Ok(history)) = self.needs_history().then(|| facts.history()) {
            let commits = history.human().count();
            if let Some(min) = self.min_commits.filter(|min| commits < *min) {
                return Some(format!("needs at least {min} commits by people in the window; found {commits}"));
            }
            let days = (history.head_time - history.oldest_time) / crate::facts::history::DAY;
            if let Some(min) = self.min_history_days.filter(|min| days < *min && !history.extends_before_window) {
                return Some(format!("needs a history of at least {min} days; it is {days} days long"));
            }
            if let Some(min) = self.min_tags.filter(|min| history.tags.len() < *min) {
                return Some(format!("needs at least {min} tag(s); found {}", history.tags.len()));
            }
        }
        None
    }
}

fn quoted(patterns: &[String]) -> String {
    patterns.iter().map(|pattern| format!("`{pattern}`")).collect::<Vec<_>>().join(", ")
}

fn files(count: usize) -> String {
    if count == 1 { "1 source file".to_string() } else { format!("{count} source files") }
}
