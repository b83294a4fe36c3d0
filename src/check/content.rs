//! `content`: a regex that must, or must not, match in the files a glob selects.

use super::config::config;
use super::{Expect, FileCtx, Pre, Primitive, ScanCx};
use crate::diag::Problems;
use crate::escape::code;
use crate::facts::Facts;
use crate::finding::Hit;
use crate::pattern::Globs;
use crate::pattern::Pattern;
use crate::spanned::Fields;

#[derive(Debug)]
pub struct ContentCheck {
    files: Globs,
    exclude: Globs,
    pattern: Pattern,
    expect: Expect,
}

/// Longest matched text quoted in a message.
const QUOTE_LIMIT: usize = 60;

/// What the scan gathers: the matches, when they are findings, or how many files matched.
#[derive(Debug, Default)]
pub struct Matches {
    hits: Vec<Hit>,
    files: usize,
}

config! {
    /// The `[check]` table of `content`: a regex in the files a glob selects.
    pub struct ContentConfig {
        /// The files to read.
        required "files" => files: Globs,
        /// Files to leave out.
        "exclude" => exclude: Globs,
        /// `"absent"` (default: a finding at each match, with line and column) or `"present"` (a finding when no
        /// selected file matches).
        "expect" => expect: Expect,
        /// What to look for.
        required "pattern" => pattern: Pattern,
    }
}

impl super::Accumulator for Matches {
    fn merge(&mut self, other: Self) {
        self.hits.extend(other.hits);
        self.files += other.files;
    }

    fn is_empty(&self) -> bool {
        self.hits.is_empty() && self.files == 0
    }
}

impl Primitive for ContentCheck {
    const KIND: &'static str = "content";
    type Config = ContentConfig;
    type Acc = Matches;

    fn compile(config: ContentConfig, _: &Fields<'_>, _: &mut Problems) -> Option<ContentCheck> {
        Some(ContentCheck {
            files: config.files.value()?,
            exclude: config.exclude.or(Globs::empty())?,
            pattern: config.pattern.value()?,
            expect: config.expect.or_lenient(Expect::Absent),
        })
    }

    fn repository_level(&self) -> bool {
        self.expect == Expect::Present
    }

    fn selects(&self, path: &str) -> bool {
        self.files.is_match(path) && !self.exclude.is_match(path)
    }

    fn pre(&self, facts: &Facts) -> Pre {
        let any = facts.tree().files.iter().any(|path| self.selects(path));
        match (any, self.expect) {
            (true, _) => Pre::Scan,
            (false, Expect::Absent) => Pre::Done(Vec::new()),
            (false, Expect::Present) => Pre::Done(vec![Hit::repository(String::new())]),
        }
    }

    fn scan(&self, file: &FileCtx<'_>, _: &ScanCx<'_>, out: &mut Matches) {
        match self.expect {
            Expect::Present => {
                if self.pattern.is_match(file.text) {
                    out.files += 1;
                }
            }
            Expect::Absent => {
                for found in self.pattern.get().find_iter(file.text) {
                    let matched = quote(found.as_str());
                    let line = file.line_key(found.start(), found.end());
                    out.hits.push(
                        Hit::at(
                            file.location(found.start(), found.end()),
                            format!("{} found", code(&matched)),
                            matched,
                        )
                        .with_key(line),
                    );
                }
            }
        }
    }

    /// One matching file settles a check that wants the pattern present.
    fn settled(&self, out: &Matches) -> bool {
        self.expect == Expect::Present && out.files > 0
    }

    fn post(&self, _: &Facts, out: Matches) -> Vec<Hit> {
        match self.expect {
            Expect::Present if out.files == 0 => vec![Hit::repository(String::new())],
            Expect::Present => Vec::new(),
            Expect::Absent => out.hits,
        }
    }
}

fn quote(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default().trim();
    if line.chars().count() > QUOTE_LIMIT {
        format!("{}…", line.chars().take(QUOTE_LIMIT).collect::<String>())
    } else {
        line.to_string()
    }
}
