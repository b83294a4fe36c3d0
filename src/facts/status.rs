//! What the repository says of itself at the top of its README: that it is retired (no longer
//! maintained, archived, deprecated, moved to another repository), in maintenance mode (fixes only),
//! or a read-only split or mirror of a main repository that takes the issues and pull requests.
//! Rules that ask for a team's habits (decision records, agent instructions, a weekly cadence,
//! releases, CI) hold back where the README has said so.

use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;

/// What the README says of the repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StatusKind {
    /// No longer maintained, archived, deprecated, or moved to another repository.
    Retired,
    /// In maintenance mode: fixes, no new work.
    Maintenance,
    /// A read-only split or mirror: issues and pull requests go to a main repository.
    Mirror,
    /// The code of a book, a course or a tutorial: it follows the text, nobody develops it.
    Companion,
}

impl StatusKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StatusKind::Retired => "retired",
            StatusKind::Maintenance => "in maintenance mode",
            StatusKind::Mirror => "a read-only split or mirror",
            StatusKind::Companion => "the code of a book, a course or a tutorial",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Status {
    pub kind: StatusKind,
    /// The README and the words that say so.
    pub evidence: String,
}

/// The root READMEs read.
const READMES: &[&str] = &["README.md", "README.markdown", "README.rst", "README.adoc", "README.txt", "README"];

/// How much of the README's opening is read for a notice.
const OPENING_CHARS: usize = 1500;

/// `[text](url)` and `[text][ref]` links read as their text; images, HTML tags and emphasis dropped.
static LINK_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"!?\[([^\]\n]*)\](?:\([^)\n]*\)|\[[^\]\n]*\])").expect("valid regex"));
static TAG_RE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[^>\n]*>|\[![A-Za-z]+\]").expect("valid regex"));

/// A status said of a subject: `<subject> is no longer maintained`, `<subject> has moved to <url>`.
static RETIRED_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:is|are|has been|have been|has|have)\s+(?:now\s+)?(?:no\s+longer\s+(?:being\s+)?(?:actively\s+)?(?:maintained|supported|developed|updated|under\s+(?:active\s+)?development)|(?:an?\s+)?(?:officially\s+)?(?:(?:very\s+)?\w+\s+and\s+)?(?:deprecated|archived|unmaintained|abandoned|discontinued|retired|sunset|end[- ]of[- ]life)\b|(?:\w+\s+and\s+)?moved\s+(?:to|into)\s+(?:https?://|github\.com/|gitlab\.com/|codeberg\.org/|(?:a|the)\s+new\s+repository|another\s+repository))",
    )
    .expect("valid regex")
});
static MAINTENANCE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:is|are)\s+(?:now\s+)?in\s+(?:a\s+)?maintenance(?:[- ]only)?\s+mode\b|\b(?:will|do|does)\s+not\s+(?:be\s+)?(?:add|accept|get|receive)(?:ing|ed)?\s+(?:any\s+)?(?:more\s+)?new\s+features\b|\bno\s+(?:more\s+)?new\s+features\s+will\s+be\s+(?:added|accepted)\b").expect("valid regex")
});
/// A notice line on its own (a bold line, a heading, an admonition's title): `⚠️ Maintenance Mode`,
/// `DEPRECATED`, `No longer maintained`.
static NOTICE_LINE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[^\w]*(?:warning\W+)?(?:(maintenance[- ]mode)|(deprecated|archived|unmaintained|no\s+longer\s+(?:actively\s+)?maintained|end[- ]of[- ]life|this\s+(?:repository|project)\s+(?:is|has\s+been)\s+archived))[^\w]*$")
        .expect("valid regex")
});
/// A repostatus.org badge that says the project is abandoned, moved, unsupported or suspended.
static BADGE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)repostatus\.org/badges/[^)\s]*/(abandoned|moved|unsupported|suspended)\.svg").expect("valid regex")
});
/// The repository presented as the code of a book, a course or a tutorial: `This repository contains
/// the source code examples for … my book`, `This is an example application featured in my Flask
/// Mega-Tutorial`, `This repository serves as supplementary material for the book`, or an opening
/// that is itself a tutorial (`A complete beginners step-by-step tutorial for …`). A course
/// management app (`This is a course platform`) does not say it.
static COMPANION_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:(?:this\s+(?:repository|repo|project|codebase)\s+(?:contains|hosts|holds|has|is|serves\s+as)|this\s+is)\b[^.\n]{0,120}?\b(?:for|of|in|to|from|accompanying|featured\s+in)\s+(?:the\s+|my\s+|our\s+|an?\s+)?(?:[\w'’:+-]+\s+){0,5}?(?:book|course|class|tutorial|mega-tutorial|video\s+series|workshop)\b|an?\s+(?:[\w-]+\s+){0,4}?(?:step-by-step|beginners?['’]?)\s+tutorial\b)")
        .expect("valid regex")
});
/// A split or mirror: issues and pull requests sent to the main repository, or a read-only split.
static MIRROR_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:issues|bugs)\b[^.\n]{0,80}\bpull\s+requests\b[^.\n]{0,40}?\b(?:in|to|at|on|against)\s+the\s+(?:main|parent|upstream|central|monorepo)\b[^.\n]{0,40}?\brepository|\bread[- ]only\s+(?:\w+\s+)?(?:split|mirror|subtree\s+split)\b|\bthis\s+(?:repository|repo)\s+is\s+(?:an?\s+)?(?:automatic(?:ally\s+\w+)?\s+)?(?:read[- ]only\s+)?(?:mirror|subtree\s+split)\s+of\b")
        .expect("valid regex")
});

/// Nouns that name the repository itself as a subject (`this repository`, `the project`, `eShop
/// sample applications`).
const SELF_NOUNS: &[&str] = &[
    "repository",
    "repositories",
    "repo",
    "project",
    "library",
    "package",
    "crate",
    "gem",
    "module",
    "app",
    "application",
    "applications",
    "sample",
    "samples",
    "codebase",
    "tool",
    "software",
];

/// Words that make a subject some other thing (`the old API`, `the legacy package`).
const OTHER_WORDS: &[&str] =
    &["old", "older", "legacy", "previous", "former", "deprecated", "original", "v1", "v2", "v3", "version"];

/// What the README at the root says of the repository's status, or `None`.
pub fn repository_status<'a>(
    files: impl IntoIterator<Item = &'a str>,
    read: impl Fn(&str) -> Option<String>,
) -> Option<Status> {
    let files: Vec<&str> = files.into_iter().filter(|path| !path.contains('/')).collect();
    let readme = READMES.iter().find(|name| files.contains(name))?;
    let text = read(readme)?;
    of_readme(readme, &text)
}

/// The status said by one README's text.
pub fn of_readme(readme: &str, text: &str) -> Option<Status> {
    let whole: String = text.chars().take(20_000).collect();
    let plain = plain(&whole);
    let opening = opening(&plain);
    let title = title(&plain);
    let found = |kind, words: &str| Some(Status { kind, evidence: format!("{readme} says \"{}\"", words.trim()) });
    if let Some(badge) = BADGE_RE.captures(&whole) {
        return found(StatusKind::Retired, &format!("project status: {}", &badge[1]));
    }
    for line in opening.lines() {
        if let Some(captures) = NOTICE_LINE_RE.captures(line) {
            let kind = if captures.get(1).is_some() { StatusKind::Maintenance } else { StatusKind::Retired };
            return found(kind, line.trim_matches(|c: char| !c.is_alphanumeric()));
        }
    }
    for sentence in sentences(&paragraphs(opening)) {
        for (regex, kind) in [(&*RETIRED_RE, StatusKind::Retired), (&*MAINTENANCE_RE, StatusKind::Maintenance)] {
            if let Some(said) = regex.find(sentence) {
                let subject = &sentence[..said.start()];
                // `We will not add new features`: the maintainers speak of their project.
                let maintainers = kind == StatusKind::Maintenance
                    && matches!(subject.trim().to_lowercase().as_str(), "we" | "it" | "we're" | "we are");
                if maintainers || names_the_repository(subject, title.as_deref()) {
                    return found(kind, sentence);
                }
            }
        }
    }
    for sentence in sentences(&paragraphs(opening)) {
        if COMPANION_RE.is_match(sentence) {
            return found(StatusKind::Companion, sentence);
        }
    }
    for paragraph in paragraphs(&plain).lines() {
        if let Some(said) = MIRROR_RE.find(paragraph) {
            return found(StatusKind::Mirror, said.as_str());
        }
    }
    None
}

/// The text with links read as their words and HTML tags, emphasis and blockquote marks dropped.
fn plain(text: &str) -> String {
    let text = LINK_RE.replace_all(text, "$1");
    let text = TAG_RE.replace_all(&text, "");
    text.lines()
        .map(|line| {
            let line = line.trim_start().trim_start_matches('>').trim_start();
            line.replace(['*', '_'], "")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The README's opening: what comes before its first second-level heading (a title, badges, the
/// first paragraphs and any notice), at most `OPENING_CHARS` characters.
fn opening(plain: &str) -> &str {
    let mut end = 0;
    let mut previous = "";
    for line in plain.split_inclusive('\n') {
        // `---` under a line of text underlines a heading; after a blank line it is a thematic break
        // (a rule drawn around a notice), which does not end the opening.
        let underline = line.starts_with("---") && !previous.trim().is_empty();
        let heading = line.starts_with("## ") || underline && end > 0;
        if (heading && end > 0) || end + line.len() > OPENING_CHARS {
            break;
        }
        end += line.len();
        previous = line;
    }
    &plain[..end]
}

/// The project's name from the README's first heading (`# Maybe: the finance app` gives `maybe`).
fn title(plain: &str) -> Option<String> {
    let lines: Vec<&str> = plain.lines().collect();
    let heading = lines.iter().enumerate().find_map(|(index, line)| {
        if let Some(rest) = line.strip_prefix("# ") {
            return Some(rest.to_string());
        }
        let next = lines.get(index + 1)?;
        (!line.trim().is_empty() && next.len() >= 3 && next.chars().all(|c| c == '=')).then(|| line.trim().to_string())
    })?;
    // Badges and logos after the name (`# Logrus <img …> [![Build Status](…)](…)`) are not the name.
    let name = heading.split([':', '—', '–', '|', '(', '[', '!']).next()?.split(" - ").next()?.trim().to_lowercase();
    (!name.is_empty()).then_some(name)
}

/// Each paragraph on one line: a sentence or a list item broken over lines is read whole.
fn paragraphs(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with(['-', '*', '#']) {
            out.push('\n');
        } else if !out.is_empty() && !out.ends_with('\n') {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

fn sentences(text: &str) -> impl Iterator<Item = &str> {
    text.split(['\n', '!', ';']).flat_map(|part| part.split(". ")).map(str::trim).filter(|part| !part.is_empty())
}

/// Whether the words before a status name the repository itself: `this repository`, `the project`,
/// `eShop sample applications`, the README's title (`Papercups`), or nothing (`No longer maintained.`
/// opens the sentence). `The old API`, `Node 14` and `` the `foo` package `` are other things.
fn names_the_repository(subject: &str, title: Option<&str>) -> bool {
    let subject = subject
        .trim()
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim_end_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    let subject = ["note", "important", "warning", "update", "notice", "caution"]
        .iter()
        .find_map(|label| subject.strip_prefix(label).and_then(|rest| rest.strip_prefix(':')))
        .map_or(subject.as_str(), str::trim)
        .to_string();
    // `This is an archived snapshot of …`: the README speaks of its own repository.
    if subject.is_empty() || subject == "this" || title.is_some_and(|title| subject == title) {
        return true;
    }
    let words: Vec<&str> = subject.split_whitespace().collect();
    if words.len() > 4 || words.iter().any(|word| OTHER_WORDS.contains(word) || word.contains(['\'', '"', '`'])) {
        return false;
    }
    let Some(last) = words.last() else { return false };
    if !SELF_NOUNS.contains(last) {
        return false;
    }
    // `this repository`, `the project`, `our app`; or a name and a noun (`eShop sample applications`).
    // `this repository`, `our sample app`; `the project`, `the sample application` (a generic word
    // between: `the foo package` is another package); or the title's name and a noun (`eShop sample
    // applications` under `# eShopOnWeb Reference Application`).
    const GENERIC: &[&str] = &["sample", "example", "demo", "reference", "whole", "entire", "github", "main"];
    match words.as_slice() {
        [] => false,
        ["this" | "our", ..] => words.len() <= 3,
        ["the", middle @ .., _] => middle.len() <= 1 && middle.iter().all(|word| GENERIC.contains(word)),
        [first, ..] => {
            first.len() >= 3
                && !words.iter().any(|word| word.chars().any(|c| c.is_ascii_digit()))
                && title.is_some_and(|title| title.contains(first))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> Option<StatusKind> {
        of_readme("README.md", text).map(|status| status.kind)
    }

    #[test]
    fn a_notice_at_the_top_says_the_repository_is_retired() {
        let maybe = "<img src=\"hero.png\" />\n\n# Budget: the finance app\n\n> [!IMPORTANT]\n> This repository is no longer actively maintained. Read the [final release](https://x/y).\n\n## Hosting\n";
        assert_eq!(kind(maybe), Some(StatusKind::Retired));
        let moved = "# Shop Reference Application\n\n> Shop sample applications have been updated and moved to https://github.com/acme/shop. Active development will continue there.\n\nSample app.\n";
        assert_eq!(kind(moved), Some(StatusKind::Retired));
        assert_eq!(kind("# tool\n\nDEPRECATED\n\nA tool.\n"), Some(StatusKind::Retired));
        let snapshot =
            "# Shop\n\nThis is an archived snapshot of Shop's source code, made open source when it shut down.\n";
        assert_eq!(kind(snapshot), Some(StatusKind::Retired));
        assert_eq!(kind("# Shop\n\nThis is a shop. The old API is archived.\n"), None);
        let badge = "# x\n\n[![Project Status](https://www.repostatus.org/badges/latest/abandoned.svg)](https://www.repostatus.org/#abandoned)\n";
        assert_eq!(kind(badge), Some(StatusKind::Retired));
    }

    #[test]
    fn the_code_of_a_book_a_course_or_a_tutorial_is_a_companion() {
        for readme in [
            "Flasky\n======\n\nThis repository contains the source code examples for the second edition of my O'Reilly book [Flask Web Development](http://www.flaskbook.com).\n",
            "# Welcome to Microblog!\n\nThis is an example application featured in my [Flask Mega-Tutorial](https://example.com). See the tutorial.\n",
            "# Zero\n\nZero is an introduction to backend development.\n\nThis repository serves as supplementary material for [the book](https://example.com): it hosts snapshots.\n",
            "# Simple Bank\n\nThis repository contains the codes of the [Backend Master Class](https://example.com) course by Tech School.\n",
            "# Todo Tutorial\n\nA complete beginners step-by-step tutorial for building a Todo List in Phoenix.\n",
        ] {
            assert_eq!(kind(readme), Some(StatusKind::Companion), "{readme}");
        }
        for readme in [
            "# Campus\n\nThis is a course management system for universities.\n",
            "# Shop\n\nThis repository contains the shop's API. See the tutorial in docs/ to get started.\n",
            "# Lib\n\nA fast parser. Code examples for the book are in examples/.\n",
        ] {
            assert_eq!(kind(readme), None, "{readme}");
        }
    }

    #[test]
    fn maintenance_mode_is_said_by_a_notice_or_of_the_project() {
        let notice = "**:warning: Maintenance Mode**\n\n> _Chatter is in maintenance mode. We still fix bugs._\n\n# Chatter\n\nA chat app.\n";
        assert_eq!(kind(notice), Some(StatusKind::Maintenance));
        assert_eq!(kind("# Chatter\n\nChatter is in maintenance mode.\n"), Some(StatusKind::Maintenance));
        let frozen = "# chatter\n\nA learning resource. We will not add new features; use a full client instead.\n";
        assert_eq!(kind(frozen), Some(StatusKind::Maintenance));
        assert_eq!(kind("# chatter\n\nNo new features will be added.\n"), Some(StatusKind::Maintenance));
        assert_eq!(kind("# chatter\n\nThe v1 client does not accept new features.\n"), None);
        // Badges on the title's line are not part of the project's name.
        let badges = "# Chatter <img src=\"logo.png\" width=\"40\"/> [![Build Status](https://ci.example/badge.svg)](https://ci.example) [![Docs](https://docs.example/badge.svg)](https://docs.example)\n\nChatter is a chat server.\n\n**Chatter is in maintenance mode.** The project focuses on security and bug fixes.\n";
        assert_eq!(kind(badges), Some(StatusKind::Maintenance));
    }

    #[test]
    fn a_notice_between_thematic_breaks_is_in_the_opening() {
        let notice = "\n# chatter\n\n![logo](logo.png)\n\n---\n\nUpdate: chatter has a successor. chatter (this repo) is now very old and deprecated but stays up.\n\n---\n\nA chat app.\n";
        assert_eq!(kind(notice), Some(StatusKind::Retired));
        assert_eq!(kind("# chatter\n\nA chat app.\n\nStatus\n---\n\nThis project is deprecated.\n"), None);
    }

    #[test]
    fn a_split_sends_issues_and_pull_requests_to_the_main_repository() {
        let split = "Console Component\n=================\n\nBuild consoles.\n\nResources\n---------\n\n * [Report issues](https://x/issues) and\n   [send Pull Requests](https://x/pulls)\n   in the [main Acme repository](https://x)\n";
        assert_eq!(kind(split), Some(StatusKind::Mirror));
        assert_eq!(
            kind("# x\n\nThis repository is a read-only subtree split of acme/acme.\n"),
            Some(StatusKind::Mirror)
        );
        assert_eq!(kind("# x\n\nPlease report issues and send pull requests to this repository.\n"), None);
    }

    #[test]
    fn another_deprecated_thing_says_nothing_of_the_repository() {
        for text in [
            "# widget\n\nThe old v1 API is deprecated; use the v2 client.\n",
            "# widget\n\nNode 14 is no longer supported.\n",
            "# widget\n\nThe `widget-legacy` package is no longer maintained, use widget.\n",
            "# widget\n\nThe legacy plugin has been archived.\n",
            "# widget\n\nA widget.\n\n## History\n\nThis project is no longer maintained by its first author.\n",
            "# widget\n\nThe documentation has moved to https://docs.example.com.\n",
        ] {
            assert_eq!(kind(text), None, "{text}");
        }
    }
}
