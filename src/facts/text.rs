//! Reading a repository file as text: binary, non-UTF-8, unreadable and very large files are skipped
//! and counted, never fatal.

use crate::finding::{Location, Position};
use serde::Serialize;
use std::io::Read;
use std::path::Path;

/// Files larger than this are skipped unless `max-file-size` says otherwise: a linter of habits learns
/// nothing from a 50 MB data dump, and reading one costs more than the rest of the run.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 2 * 1024 * 1024;

/// Reporters read a file again to show the lines of its findings; past this size they show none.
pub const SNIPPET_MAX_SIZE: u64 = 64 * 1024 * 1024;

/// Why a file was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Skip {
    Binary,
    NotUtf8,
    TooLarge,
    Unreadable,
    /// A symbolic link whose target leaves the repository or enters `.git`: never read.
    LinkOutside,
    /// A folder holding a repository of its own (a git submodule, a nested clone): not this
    /// repository's files.
    NestedRepository,
    /// Not parsed for code rules: generated (`@generated`, `DO NOT EDIT`).
    Generated,
    /// Not parsed for code rules: minified (very long lines).
    Minified,
    /// Not judged: vendored (`.gitattributes` `linguist-vendored`).
    Vendored,
    /// Parsed, but the query hit its match limit: some matches were dropped.
    MatchLimit,
}

impl Skip {
    pub fn as_str(self) -> &'static str {
        match self {
            Skip::Binary => "binary",
            Skip::NotUtf8 => "not UTF-8",
            Skip::TooLarge => "too large",
            Skip::Unreadable => "unreadable",
            Skip::LinkOutside => "link out of the repository",
            Skip::NestedRepository => "nested repository",
            Skip::Generated => "generated",
            Skip::Minified => "minified",
            Skip::Vendored => "vendored",
            Skip::MatchLimit => "match limit reached",
        }
    }
}

/// Reads `path` as UTF-8 text, or says why not.
pub fn read(path: &Path, max_size: u64) -> Result<String, Skip> {
    // Look before opening: opening a FIFO or a device would block or never end.
    let metadata = std::fs::metadata(path).map_err(|_| Skip::Unreadable)?;
    if !metadata.is_file() {
        return Err(Skip::Unreadable);
    }
    let file = std::fs::File::open(path).map_err(|_| Skip::Unreadable)?;
    if metadata.len() > max_size {
        return Err(Skip::TooLarge);
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    // `take` guards against a file that grows while it is read.
    file.take(max_size + 1).read_to_end(&mut bytes).map_err(|_| Skip::Unreadable)?;
    if bytes.len() as u64 > max_size {
        return Err(Skip::TooLarge);
    }
    decode(bytes)
}

/// A file's bytes as text: a NUL in the first 8 KiB means binary, and text must be UTF-8.
pub fn decode(bytes: Vec<u8>) -> Result<String, Skip> {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Err(Skip::Binary);
    }
    String::from_utf8(bytes).map_err(|_| Skip::NotUtf8)
}

/// Byte offsets of line starts, for turning byte ranges into lines and columns quickly. A column is
/// counted from the last position asked for when it is on the same line, so that many positions
/// in order along one long (minified) line cost its length once, not once each.
#[derive(Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// The last (0-based line, byte offset, 0-based char column) computed.
    last: std::sync::Mutex<(usize, usize, usize)>,
}

impl Clone for LineIndex {
    fn clone(&self) -> Self {
        LineIndex { starts: self.starts.clone(), last: std::sync::Mutex::new((usize::MAX, 0, 0)) }
    }
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.bytes().enumerate().filter(|(_, byte)| *byte == b'\n').map(|(at, _)| at + 1));
        LineIndex { starts, last: std::sync::Mutex::new((usize::MAX, 0, 0)) }
    }

    /// The 0-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|start| *start <= offset).saturating_sub(1)
    }

    /// Byte offset where 0-based `line` starts.
    pub fn start_of(&self, line: usize) -> Option<usize> {
        self.starts.get(line).copied()
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 1-based position of byte `offset` in `text`, counting columns in characters.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.starts[line];
        let mut last = self.last.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (last_line, last_offset, last_column) = *last;
        let column = if last_line != line {
            text[start..offset].chars().count()
        } else if last_offset <= offset {
            last_column + text[last_offset..offset].chars().count()
        } else if last_offset - offset < offset - start {
            last_column - text[offset..last_offset].chars().count()
        } else {
            text[start..offset].chars().count()
        };
        *last = (line, offset, column);
        Position { line: line + 1, column: column + 1 }
    }

    /// The location of byte range `start..end` in the file at `path`.
    pub fn location(&self, path: &str, text: &str, start: usize, end: usize) -> Location {
        Location { path: path.to_string(), start: self.position(text, start), end: self.position(text, end.max(start)) }
    }

    /// The text of the line holding byte `offset`, without its line ending.
    pub fn line_text<'t>(&self, text: &'t str, offset: usize) -> &'t str {
        let line = self.line_of(offset.min(text.len()));
        let start = self.starts[line];
        let end = self.starts.get(line + 1).copied().unwrap_or(text.len());
        text[start..end].trim_end_matches(['\n', '\r'])
    }
}

/// The last char boundary of `text` at or before `offset` (at most its length).
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The first char boundary of `text` at or after `offset` (at most its length).
pub fn ceil_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let text = "ab\nçé x\n";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(index.position(text, x), Position { line: 2, column: 4 });
        assert_eq!(index.line_text(text, x), "çé x");
        assert_eq!(index.position(text, 0), Position { line: 1, column: 1 });
    }

    #[test]
    fn positions_along_a_line_agree_in_any_order() {
        let text = "aé😀b".repeat(50) + "\nxy";
        let index = LineIndex::new(&text);
        let boundaries: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
        let fresh = |offset: usize| LineIndex::new(&text).position(&text, offset);
        for &offset in boundaries.iter().rev().step_by(3).chain(boundaries.iter().step_by(7)) {
            assert_eq!(index.position(&text, offset), fresh(offset), "offset {offset}");
        }
    }

    #[test]
    fn classifies_unreadable_binary_and_large_files() {
        let dir = tempfile::tempdir().unwrap();
        let binary = dir.path().join("a.bin");
        std::fs::write(&binary, b"abc\0def").unwrap();
        assert_eq!(read(&binary, 100), Err(Skip::Binary));
        let latin1 = dir.path().join("b.txt");
        std::fs::write(&latin1, b"caf\xe9").unwrap();
        assert_eq!(read(&latin1, 100), Err(Skip::NotUtf8));
        let large = dir.path().join("c.txt");
        std::fs::write(&large, "x".repeat(200)).unwrap();
        assert_eq!(read(&large, 100), Err(Skip::TooLarge));
        assert_eq!(read(&dir.path().join("missing"), 100), Err(Skip::Unreadable));
        assert_eq!(read(dir.path(), 100), Err(Skip::Unreadable));
    }
}
