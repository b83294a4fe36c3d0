//! A line-indexed [`miette::SourceCode`]: finding the lines around a span is a binary search, so
//! rendering thousands of diagnostics in one file stays fast (miette's own `str` source scans the
//! text from the start for every span).

use crate::facts::text::LineIndex;
use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct IndexedSource {
    name: String,
    text: Arc<str>,
    index: Arc<LineIndex>,
}

impl IndexedSource {
    pub fn new(name: impl Into<String>, text: Arc<str>) -> Self {
        let index = Arc::new(LineIndex::new(&text));
        IndexedSource { name: name.into(), text, index }
    }

    /// Byte offset of a 1-based line and character column, clamped to the text.
    pub fn offset(&self, line: usize, column: usize) -> usize {
        let Some(start) = self.index.start_of(line.saturating_sub(1)) else { return self.text.len() };
        let rest = &self.text[start..];
        let line_end = rest.find('\n').unwrap_or(rest.len());
        let in_line: usize = rest[..line_end].chars().take(column.saturating_sub(1)).map(char::len_utf8).sum();
        start + in_line
    }
}

impl SourceCode for IndexedSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = self.text.as_bytes();
        let start = span.offset();
        let end = start + span.len();
        if end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first_line = self.index.line_of(start);
        let last_span_line = self.index.line_of(end.saturating_sub(1).max(start));
        let context_first = first_line.saturating_sub(context_lines_before);
        let context_last = (last_span_line + context_lines_after).min(self.index.line_count() - 1);
        let slice_start =
            if context_lines_before == 0 { start } else { self.index.start_of(context_first).unwrap_or(0) };
        let slice_end = self.index.start_of(context_last + 1).unwrap_or(text.len());
        let line_start = self.index.start_of(first_line).unwrap_or(0);
        let column = if context_lines_before == 0 { start - line_start } else { 0 };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &text[slice_start..slice_end],
            (slice_start, slice_end - slice_start).into(),
            if context_lines_before == 0 { first_line } else { context_first },
            column,
            context_last + 1,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_miette_on_context_lines() {
        let text = "one\ntwo\nthree three\nfour\nfive\n";
        let indexed = IndexedSource::new("x", Arc::from(text));
        let span: SourceSpan = (text.find("three").unwrap(), 5).into();
        let ours = indexed.read_span(&span, 1, 1).unwrap();
        let theirs = text.read_span(&span, 1, 1).unwrap();
        assert_eq!(ours.data(), theirs.data());
        assert_eq!(ours.line(), theirs.line());
        assert_eq!(ours.column(), theirs.column());
        assert_eq!(indexed.offset(3, 7), text.find("three three").unwrap() + 6);
    }
}
