//! `content`: a regex that must, or must not, match in the files a glob selects.

use super::{Expect, FileCtx, Pre, ScanOut, expect, globs, regex};
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

impl ContentCheck {
    pub fn compile(fields: &mut Fields<'_>, problems: &mut Problems) -> Option<ContentCheck> {
        let files = globs(fields, "files", true, problems);
        let exclude = globs(fields, "exclude", false, problems);
        let expect = expect(fields, Expect::Absent, problems);
        let pattern = match regex(fields, "pattern", problems) {
            Some(Some(pattern)) => Some(pattern),
            Some(None) => {
                fields.missing("pattern", problems);
                None
            }
            None => None,
        };
        Some(ContentCheck { files: files?, exclude: exclude?, pattern: pattern?, expect: expect? })
    }

    pub fn wants_presence(&self) -> bool {
        self.expect == Expect::Present
    }

    pub fn selects(&self, path: &str) -> bool {
        self.files.is_match(path) && !self.exclude.is_match(path)
    }

    pub fn pre(&self, facts: &Facts) -> Pre {
        let any = facts.tree().files.iter().any(|path| self.selects(path));
        match (any, self.expect) {
            (true, _) => Pre::Scan,
            (false, Expect::Absent) => Pre::Done(Vec::new()),
            (false, Expect::Present) => Pre::Done(vec![Hit::repository(String::new())]),
        }
    }

    pub fn scan(&self, file: &FileCtx<'_>, out: &mut ScanOut) {
        match self.expect {
            Expect::Present => {
                if self.pattern.is_match(file.text) {
                    out.count += 1;
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

    pub fn post(&self, out: ScanOut) -> Vec<Hit> {
        match self.expect {
            Expect::Present if out.count == 0 => vec![Hit::repository(String::new())],
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
