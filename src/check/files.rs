//! `files`: presence or absence of paths, and for present Markdown files a minimum of prose, required
//! sections and tell-tale template text.

use super::{Expect, FileCtx, Key, Pre, Primitive, ScanCx, expect, globs};
use crate::diag::{Problem, Problems};
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
}

/// Which entries of the tree a glob may match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entries {
    Any,
    Files,
    Dirs,
}

/// A section a document must have: a heading that matches one of `headings`, or, when
/// `code-block` is true, a code block anywhere (a README whose only guidance is a code block of
/// commands still guides).
#[derive(Debug)]
struct Section {
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
struct Boilerplate {
    name: String,
    pattern: Pattern,
}

impl Primitive for FilesCheck {
    const KIND: &'static str = "files";
    const KEYS: &'static [Key] = &[
        Key::required("paths", "globs"),
        Key::optional("expect", "\"present\" or \"absent\""),
        Key::optional("type", "\"any\", \"file\" or \"dir\""),
        Key::optional("min-words", "integer"),
        Key::optional("repository-wide", "boolean"),
        Key::optional("sections", "array of tables"),
        Key::optional("boilerplate", "array of tables"),
    ];
    type Acc = Vec<Hit>;

    fn compile(fields: &mut Fields<'_>, problems: &mut Problems) -> Option<FilesCheck> {
        let paths = globs(fields, "paths", true, problems);
        let expect = expect(fields, Expect::Present, problems);
        let entries = match fields.get_with_file::<String>("type", problems) {
            None => Some(Entries::Any),
            Some((file, kind)) => match kind.get_ref().as_str() {
                "any" => Some(Entries::Any),
                "file" => Some(Entries::Files),
                "dir" => Some(Entries::Dirs),
                other => {
                    problems.push(Problem::at(
                        file,
                        kind.span(),
                        format!("`type` must be \"file\", \"dir\" or \"any\", found \"{other}\""),
                        "here",
                    ));
                    None
                }
            },
        };
        let min_words = fields.get::<usize>("min-words", problems).map(Spanned::into_inner);
        let repository_wide = fields.get::<bool>("repository-wide", problems).is_some_and(Spanned::into_inner);
        let sections = sections(fields, problems);
        let boilerplate = boilerplate(fields, problems);
        Some(FilesCheck {
            paths: paths?,
            expect: expect?,
            entries: entries?,
            min_words,
            sections: sections?,
            boilerplate: boilerplate?,
            repository_wide,
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
                            && section.headings.is_match(line)
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

impl FilesCheck {
    fn inspects_content(&self) -> bool {
        self.expect == Expect::Present
            && (self.min_words.is_some() || !self.sections.is_empty() || !self.boilerplate.is_empty())
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

fn sections(fields: &mut Fields<'_>, problems: &mut Problems) -> Option<Vec<Section>> {
    fields.tables("sections", "a section", problems, |mut table, file, problems| {
        let name = table.required::<String>("name", problems);
        let headings = table.required::<Vec<Spanned<String>>>("headings", problems);
        let code_block = table.get::<bool>("code-block", problems).is_some_and(Spanned::into_inner);
        let link_lines = table.get::<bool>("link-lines", problems).is_some_and(Spanned::into_inner);
        let index_links = table.get::<usize>("index-links", problems).map(Spanned::into_inner);
        table.finish(problems);
        let (name, headings) = (name?, headings?);
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
        Some(Section { name: name.into_inner(), headings: compiled, code_block, link_lines, index_links })
    })
}

fn boilerplate(fields: &mut Fields<'_>, problems: &mut Problems) -> Option<Vec<Boilerplate>> {
    fields.tables("boilerplate", "a boilerplate entry", problems, |mut table, file, problems| {
        let name = table.required::<String>("name", problems);
        let text = table.required::<String>("pattern", problems);
        table.finish(problems);
        let pattern = pattern::regex(file, &text?, problems)?;
        Some(Boilerplate { name: name?.into_inner(), pattern })
    })
}
