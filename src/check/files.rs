//! `files`: presence or absence of paths, and for present Markdown files a minimum of prose, required
//! sections and tell-tale template text.

use super::config::{FromKey, FromTable, Read, Tables, config, not_one_of, word};
use super::{Expect, FileCtx, Pre, Primitive, ScanCx};
use crate::diag::{Problems, SourceFile};
use crate::escape::code;
use crate::facts::Facts;
use crate::finding::Hit;
use crate::pattern::{self, Globs, Pattern};
use crate::spanned::Fields;
use regex::Regex;
use toml::Spanned;

#[derive(Debug)]
pub struct FilesCheck {
    paths: Globs,
    expect: Expect,
    entries: Entries,
    min_words: Option<usize>,
    sections: Vec<Section>,
    boilerplate: Vec<Boilerplate>,
    /// `repository-wide`: when the checked folder is inside a repository, a file the anchored
    /// globs name at the repository's top (or in a folder between) counts as present too.
    repository_wide: bool,
    /// `judge-first`: only the first existing path, in the order of `paths`, is judged.
    judge_first: bool,
}

/// Which entries of the tree a glob may match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entries {
    Any,
    Files,
    Dirs,
}

/// A section a document must have: a heading that matches one of `headings`, or, when
/// `code-block` is true, a code block anywhere (a README whose only guidance is a code block of
/// commands still guides).
#[derive(Debug)]
pub struct Section {
    name: String,
    /// The alternatives of `headings`, joined into one case-insensitive regex.
    headings: Regex,
    code_block: bool,
    /// A line with a link that matches `headings` also satisfies the section ("see the user guide
    /// for installation").
    link_lines: bool,
    /// Links to at least this many other Markdown files satisfy it: an index of package READMEs.
    index_links: Option<usize>,
}

/// Text that marks a document as an untouched template.
#[derive(Debug)]
pub struct Boilerplate {
    name: String,
    pattern: Pattern,
}

config! {
    /// The `[check]` table of `files`: presence or absence of paths and, for present files, substance.
    pub struct FilesConfig {
        /// The paths to look for.
        required "paths" => paths: Globs,
        /// `"present"` (default: a finding when nothing matches) or `"absent"` (a finding per match).
        "expect" => expect: Expect,
        /// `"any"` (default), `"file"` or `"dir"`.
        "type" => entries: Entries,
        /// Each matched file needs this many words of prose (Markdown: code, HTML, badges and link targets do not
        /// count).
        "min-words" => min_words: usize,
        /// `true`: when apelint checks a folder inside a larger git repository (a package of a monorepo), files git
        /// tracks at the repository's top, or in a folder between, count as present when a glob that does not start
        /// with `**` names them (relative to that folder); for CI, licences, changelogs and agent files.
        "repository-wide" => repository_wide: bool,
        /// `true`: only the first path that exists, in the order of `paths`, has its content judged (the README a
        /// reader is shown: GitHub shows `.github/README.md` before the root's, and the root's before `docs/`'s);
        /// when none exists, nothing is reported (absence is another rule's finding).
        "judge-first" => judge_first: bool,
        /// `[[check.sections]]`: `name`, `headings` (case-insensitive regexes), `code-block` (a code block also
        /// satisfies it), `link-lines` (so does a line with a link that matches `headings`), `index-links` (so do links
        /// to at least this many Markdown files): each matched Markdown file needs a matching heading.
        "sections" => sections: Tables<Section>,
        /// `[[check.boilerplate]]`: `name`, `pattern`: a matched file whose text matches is an untouched template.
        "boilerplate" => boilerplate: Tables<Boilerplate>,
    }
}

config! {
    /// A `[[check.sections]]` table.
    pub struct SectionConfig {
        /// What the section is, in the message.
        required "name" => name: String,
        /// Case-insensitive regexes, one of which a heading must match.
        required "headings" => headings: Spanned<Vec<Spanned<String>>>,
        /// A code block also satisfies it.
        "code-block" => code_block: bool,
        /// So does a line with a link that matches `headings`.
        "link-lines" => link_lines: bool,
        /// So do links to at least this many Markdown files.
        "index-links" => index_links: usize,
    }
}

config! {
    /// A `[[check.boilerplate]]` table.
    pub struct BoilerplateConfig {
        /// What the template is, in the message.
        required "name" => name: String,
        /// A regex whose match marks the template.
        required "pattern" => pattern: Spanned<String>,
    }
}

impl FromKey for Entries {
    const SHAPE: &'static str = "\"file\", \"dir\" or \"any\"";

    fn from_key(fields: &mut Fields<'_>, key: &'static str, problems: &mut Problems) -> Read<Self> {
        let words = [("any", Entries::Any), ("file", Entries::Files), ("dir", Entries::Dirs)];
        word(fields, key, problems, &words, not_one_of("type", Self::SHAPE))
    }
}

impl Primitive for FilesCheck {
    const KIND: &'static str = "files";
    type Config = FilesConfig;
    type Acc = Vec<Hit>;

    fn compile(config: FilesConfig, _: &Fields<'_>, _: &mut Problems) -> Option<FilesCheck> {
        Some(FilesCheck {
            paths: config.paths.value()?,
            expect: config.expect.or_lenient(Expect::Present),
            entries: config.entries.or(Entries::Any)?,
            min_words: config.min_words.value(),
            sections: config.sections.or(Tables(Vec::new()))?.0,
            boilerplate: config.boilerplate.or(Tables(Vec::new()))?.0,
            repository_wide: config.repository_wide.or_lenient(false),
            judge_first: config.judge_first.or_lenient(false),
        })
    }

    fn repository_level(&self) -> bool {
        true
    }

    fn pre(&self, facts: &Facts) -> Pre {
        let matched = self.matched(facts);
        match self.expect {
            Expect::Absent => Pre::Done(
                matched
                    .into_iter()
                    .map(|path| {
                        Hit::repository(format!("{} exists", code(path)))
                            .anchored(path)
                            .with_subject(path)
                            .with_key(path)
                    })
                    .collect(),
            ),
            Expect::Present if matched.is_empty() && self.judge_first => Pre::Done(Vec::new()),
            // The rule's summary says what is missing better than a list of globs.
            Expect::Present if matched.is_empty() && !self.present_above(facts) => {
                Pre::Done(vec![Hit::repository(String::new())])
            }
            Expect::Present if matched.is_empty() => Pre::Done(Vec::new()),
            Expect::Present if self.inspects_content() => Pre::Scan,
            Expect::Present => Pre::Done(Vec::new()),
        }
    }

    fn selects(&self, path: &str) -> bool {
        self.inspects_content() && self.entries != Entries::Dirs && self.paths.is_match(path)
    }

    fn scan(&self, file: &FileCtx<'_>, cx: &ScanCx<'_>, out: &mut Vec<Hit>) {
        let facts = cx.facts;
        if self.judge_first && self.first(facts) != Some(file.path) {
            return;
        }
        let mut reasons = Vec::new();
        let markdown = is_markdown(file.path).then(|| facts.markdown(file.path, Some(file.text))).flatten();
        for boilerplate in &self.boilerplate {
            if boilerplate.pattern.is_match(file.text) {
                reasons.push(format!("is the untouched {} template", boilerplate.name));
            }
        }
        if let Some(min) = self.min_words {
            let words = match &markdown {
                Some(doc) => doc.words,
                None => file.text.split_whitespace().filter(|word| word.chars().any(char::is_alphanumeric)).count(),
            };
            if words < min {
                reasons.push(format!("has {words} words of prose (at least {min} expected)"));
            }
        }
        if let Some(doc) = &markdown {
            for section in &self.sections {
                let by_heading = doc.headings.iter().any(|heading| section.headings.is_match(&heading.text));
                let by_code = section.code_block && doc.code.iter().any(|code| code.block);
                // Badges (`[![Build](...)](...)`) are links too, but they guide nobody.
                // Each line is judged once, however many links it holds: a README of one long line
                // of links must cost its length, not its length times its links.
                let by_link = section.link_lines && {
                    let mut judged = std::collections::HashSet::new();
                    doc.links.iter().filter(|link| link.kind == crate::markdown::LinkKind::Link).any(|link| {
                        let line = file.line_text(link.span.offset);
                        judged.insert(line.as_ptr())
                            && !line.trim_start().starts_with("[![")
                            && (section.headings.is_match(line)
                                || introduced_by(file.text, line).is_some_and(|intro| section.headings.is_match(intro)))
                    })
                };
                let by_index = section.index_links.is_some_and(|wanted| {
                    doc.links
                        .iter()
                        .filter(|link| !crate::paths::is_external(&link.dest) && is_markdown(&link.dest))
                        .count()
                        >= wanted
                });
                if !(by_heading || by_code || by_link || by_index) {
                    reasons.push(format!("has no {} section", section.name));
                }
            }
        }
        if !reasons.is_empty() {
            let message = format!("{} {}", code(file.path), join_reasons(&reasons));
            out.push(Hit::at(file.first_line(), message, file.path).with_key(file.path));
        }
    }

    fn post(&self, _: &Facts, hits: Vec<Hit>) -> Vec<Hit> {
        hits
    }
}

/// The line that introduces `line` (a slice of `text`): the previous non-blank line when it ends
/// with a colon (`Visit the website for a demo, info about setup and more:` above the link).
fn introduced_by<'t>(text: &'t str, line: &str) -> Option<&'t str> {
    let start = (line.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    let previous = text.get(..start)?.lines().rev().find(|line| !line.trim().is_empty())?;
    previous.trim_end().ends_with(':').then_some(previous)
}

impl FilesCheck {
    fn inspects_content(&self) -> bool {
        self.expect == Expect::Present
            && (self.min_words.is_some() || !self.sections.is_empty() || !self.boilerplate.is_empty())
    }

    /// The first path that exists, in the order of the globs (then by name).
    fn first<'a>(&'a self, facts: &'a Facts) -> Option<&'a str> {
        self.matched(facts)
            .into_iter()
            .min_by_key(|path| (self.paths.first_matching(path).unwrap_or(usize::MAX), *path))
    }

    fn matched<'a>(&'a self, facts: &'a Facts) -> Vec<&'a str> {
        let tree = facts.tree();
        match self.entries {
            Entries::Any => tree.matching(&self.paths).collect(),
            Entries::Files => tree.files_matching(&self.paths).collect(),
            Entries::Dirs => tree.dirs.iter().map(String::as_str).filter(|dir| self.paths.is_match(dir)).collect(),
        }
    }

    /// With `repository-wide`, whether a folder enclosing the checked one holds a file the
    /// anchored globs name (`**/` globs would reach into sibling folders).
    fn present_above(&self, facts: &Facts) -> bool {
        if !self.repository_wide || self.entries == Entries::Dirs {
            return false;
        }
        let anchored = self.paths.anchored();
        facts.enclosing_files().iter().any(|path| anchored.is_match(path))
    }
}

fn join_reasons(reasons: &[String]) -> String {
    match reasons {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

pub fn is_markdown(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".md", ".markdown", ".mdx", ".mdc", ".mkd"].iter().any(|extension| lower.ends_with(extension))
}

fn case_insensitive(
    file: &crate::diag::SourceFile,
    text: &Spanned<String>,
    problems: &mut Problems,
) -> Option<Pattern> {
    let pattern = Spanned::new(text.span(), format!("(?i){}", text.get_ref()));
    pattern::regex(file, &pattern, problems)
}

impl FromTable for Section {
    const WHAT: &'static str = "a section";
    type Config = SectionConfig;

    fn compile(config: SectionConfig, file: &SourceFile, problems: &mut Problems) -> Option<Section> {
        let (name, headings) = (config.name.value()?, config.headings.value()?);
        // One regex for all the alternatives; when it does not compile, each is compiled on its own
        // so that the error points at the one at fault.
        let joined =
            headings.get_ref().iter().map(|text| format!("(?:{})", text.get_ref())).collect::<Vec<_>>().join("|");
        let Ok(compiled) = Regex::new(&format!("(?i){joined}")) else {
            for text in headings.get_ref() {
                case_insensitive(file, text, problems);
            }
            return None;
        };
        Some(Section {
            name,
            headings: compiled,
            code_block: config.code_block.or_lenient(false),
            link_lines: config.link_lines.or_lenient(false),
            index_links: config.index_links.value(),
        })
    }
}

impl FromTable for Boilerplate {
    const WHAT: &'static str = "a boilerplate entry";
    type Config = BoilerplateConfig;

    fn compile(config: BoilerplateConfig, file: &SourceFile, problems: &mut Problems) -> Option<Boilerplate> {
        let pattern = pattern::regex(file, &config.pattern.value()?, problems)?;
        Some(Boilerplate { name: config.name.value()?, pattern })
    }
}
