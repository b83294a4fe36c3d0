//! What reporters know of the files findings point at, read once by the pipeline (through the
//! repository's `Boundary`) and handed to every reporter: reporters never open a file.

use crate::snippet::FileText;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// The line-indexed text of each file with a finding in it (for code frames and SARIF's UTF-16
/// columns), and which files anchoring a repository-level finding exist (an annotation names a
/// file only when it is there).
#[derive(Debug, Clone, Default)]
pub struct Sources {
    texts: HashMap<String, FileText>,
    files: HashSet<String>,
}

impl Sources {
    /// Keeps the text of `path`, indexed by line.
    pub fn add_text(&mut self, path: &str, text: String) {
        self.texts.insert(path.to_string(), FileText::new(Arc::from(text)));
    }

    /// Records that `path`, a repository-level finding's anchor, is a file.
    pub fn add_file(&mut self, path: &str) {
        self.files.insert(path.to_string());
    }

    /// The text of `path`, when it was read.
    pub fn text(&self, path: &str) -> Option<&FileText> {
        self.texts.get(path)
    }

    /// Whether `path` was recorded as a file.
    pub fn is_file(&self, path: &str) -> bool {
        self.files.contains(path)
    }
}
