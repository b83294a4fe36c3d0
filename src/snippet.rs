//! Code frames for miette: the few lines around a span, each cut to a window around it, with every
//! char that a terminal or a CI runner would act on shown escaped ([`crate::escape::visible`]).
//!
//! The frame is built from the span outward and never from the whole file, so that a finding on
//! a megabyte-long line costs as much as one on a short line, the terminal shows a line of
//! [`WIDTH`] chars rather than the megabyte, and miette (which panics on columns past 65,535) only
//! ever sees short lines.

use crate::escape::{is_unsafe, visible};
use crate::facts::text::LineIndex;
use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

/// Lines shown before and after a span's own (as miette's handlers are set).
pub const CONTEXT_LINES: usize = 1;

/// Most chars of a line shown.
pub const WIDTH: usize = 160;
/// Bytes of a line shown before the span when the line must be cut on the left.
const LEAD: usize = 40;
/// Most lines of one span shown; a longer span is shown to the end of its first lines.
const SPAN_LINES: usize = 8;

/// The frame of one span, ready for miette.
#[derive(Debug, Clone)]
pub struct Snippet {
    name: String,
    text: String,
    /// 0-based number of the frame's first line in the file.
    first_line: usize,
    /// The span, in the frame's text.
    span: (usize, usize),
    /// 0-based line and char column of the span's start in the file, for miette's header.
    origin: (usize, usize),
}

impl Snippet {
    /// The frame of `text[span]` in the file called `name`, with `context` lines before and after;
    /// `lines` indexes `text`, and `column` is the span's 0-based char column when the caller knows
    /// it (counted otherwise).
    pub fn new(
        name: &str,
        text: &str,
        lines: &LineIndex,
        span: Range<usize>,
        context: usize,
        column: Option<usize>,
    ) -> Snippet {
        let start = floor_boundary(text, span.start.min(text.len()));
        let mut end = ceil_boundary(text, span.end.clamp(start, text.len()));
        let first = lines.line_of(start);
        let mut last = if end > start { lines.line_of(end - 1) } else { first };
        if last >= first + SPAN_LINES {
            last = first + SPAN_LINES - 1;
            end = end.min(line_end(text, lines, last));
        }
        let line_start = lines.start_of(first).unwrap_or(0);
        let column = column.unwrap_or_else(|| text[line_start..start].chars().count());
        let from = first.saturating_sub(context);
        // The empty "line" after a final newline is not shown.
        let line_count = lines.line_count() - usize::from(text.ends_with('\n'));
        let to = (last + context).min(line_count.saturating_sub(1)).max(last);
        // Every line is shown from the same distance past its start, so that columns line up.
        let skip = if start - line_start + LEAD < WIDTH { 0 } else { start - line_start - LEAD };
        let mut out = String::new();
        let (mut span_start, mut span_end) = (None, None);
        for line in from..=to {
            if line > from {
                out.push('\n');
            }
            let begin = lines.start_of(line).unwrap_or(text.len());
            let stop = line_end(text, lines, line);
            let shown_from = floor_boundary(text, (begin + skip).min(stop));
            if line == first && shown_from > start {
                span_start.get_or_insert(out.len());
            }
            if shown_from > begin {
                out.push('…');
            }
            let mut at = shown_from;
            for (count, c) in text[shown_from..stop].chars().enumerate() {
                if count == WIDTH {
                    break;
                }
                if at == start {
                    span_start.get_or_insert(out.len());
                }
                if at == end && span_start.is_some() {
                    span_end.get_or_insert(out.len());
                }
                if is_unsafe(c) {
                    out.push_str(&visible(c));
                } else {
                    out.push(c);
                }
                at += c.len_utf8();
            }
            // A span that starts or ends past what is shown of its line is drawn to the cut.
            if (at..=stop).contains(&start) || (line == first && span_start.is_none()) {
                span_start.get_or_insert(out.len());
            }
            if ((at..=stop).contains(&end) || line == last) && span_start.is_some() {
                span_end.get_or_insert(out.len());
            }
            if at < stop {
                out.push('…');
            }
        }
        let span_start = span_start.unwrap_or(0);
        let span_end = span_end.unwrap_or(out.len()).max(span_start);
        Snippet {
            name: crate::escape::printable(name).into_owned(),
            text: out,
            first_line: from,
            span: (span_start, span_end - span_start),
            origin: (first, column),
        }
    }

    /// The span to label, in the frame's text.
    pub fn span(&self) -> SourceSpan {
        self.span.into()
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// 0-based line and char column of the span's start in the file.
    pub fn origin(&self) -> (usize, usize) {
        self.origin
    }
}

/// The end of `line`'s content: before its `\n`, and before a `\r` that ends it.
fn line_end(text: &str, lines: &LineIndex, line: usize) -> usize {
    let begin = lines.start_of(line).unwrap_or(text.len());
    let mut end = lines.start_of(line + 1).map_or(text.len(), |next| next - 1);
    if end > begin && text.as_bytes()[end - 1] == b'\r' {
        end -= 1;
    }
    end
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        if span.offset() + span.len() > self.text.len() {
            return Err(MietteError::OutOfBounds);
        }
        // miette asks without context for the header's `file:line:column`: the file's own.
        if context_lines_before == 0 && context_lines_after == 0 {
            let data = &self.text.as_bytes()[span.offset()..span.offset() + span.len()];
            return Ok(Box::new(MietteSpanContents::new_named(
                self.name.clone(),
                data,
                *span,
                self.origin.0,
                self.origin.1,
                1,
            )));
        }
        let line_count = self.text.split('\n').count();
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            self.text.as_bytes(),
            (0, self.text.len()).into(),
            self.first_line,
            0,
            line_count,
        )))
    }
}

/// A file's text with its line index, shared by every finding in it. A finding's line and char
/// column become a byte offset (for the frame) or UTF-16 units (for SARIF) by counting from the
/// line's start; on a long line, from the nearest of the marks left every [`STEP`] chars, so that
/// thousands of findings along a megabyte-long line cost the line's length once, not once each.
#[derive(Debug, Clone)]
pub struct FileText {
    text: Arc<str>,
    index: Arc<LineIndex>,
    /// For each long line: the byte offset and UTF-16 units at every [`STEP`]th char.
    marks: RefCell<HashMap<usize, Marks>>,
}

/// A long line's marks: the byte offset and UTF-16 units at every [`STEP`]th char.
type Marks = Arc<Vec<(usize, usize)>>;

/// Chars between two marks on a long line.
const STEP: usize = 256;
/// Lines longer than this many bytes get marks.
const LONG_LINE: usize = 4 * 1024;

impl FileText {
    pub fn new(text: Arc<str>) -> Self {
        let index = Arc::new(LineIndex::new(&text));
        FileText { text, index, marks: RefCell::default() }
    }

    /// The byte offset and the 1-based UTF-16 column of a 1-based line and char column; a column
    /// past the line's end stays past it (clamped for the offset).
    fn locate(&self, line: usize, column: usize) -> (usize, usize) {
        let line = line.saturating_sub(1);
        let Some(start) = self.index.start_of(line) else { return (self.text.len(), column) };
        let stop = line_end(&self.text, &self.index, line);
        let wanted = column.saturating_sub(1);
        let (mut chars, mut byte, mut units) = (0, start, 0);
        if stop - start > LONG_LINE {
            let marks = self.marks(line, start, stop);
            if let Some(&(mark_byte, mark_units)) = marks.get((wanted / STEP).min(marks.len().saturating_sub(1))) {
                chars = (wanted / STEP).min(marks.len().saturating_sub(1)) * STEP;
                (byte, units) = (mark_byte, mark_units);
            }
        }
        for c in self.text[byte..stop].chars() {
            if chars == wanted {
                break;
            }
            chars += 1;
            byte += c.len_utf8();
            units += c.len_utf16();
        }
        (byte, units + (wanted - chars) + 1)
    }

    fn marks(&self, line: usize, start: usize, stop: usize) -> Marks {
        self.marks
            .borrow_mut()
            .entry(line)
            .or_insert_with(|| {
                let mut marks = vec![(start, 0)];
                let (mut byte, mut units) = (start, 0);
                for (count, c) in self.text[start..stop].chars().enumerate() {
                    if count > 0 && count % STEP == 0 {
                        marks.push((byte, units));
                    }
                    byte += c.len_utf8();
                    units += c.len_utf16();
                }
                Arc::new(marks)
            })
            .clone()
    }

    /// Byte offset of a 1-based line and char column, clamped to the line.
    pub fn offset(&self, line: usize, column: usize) -> usize {
        self.locate(line, column).0
    }

    /// The 1-based column in UTF-16 code units of a 1-based line and char column.
    pub fn utf16_column(&self, line: usize, column: usize) -> usize {
        self.locate(line, column).1
    }

    /// The frame of a finding at 1-based `(line, column)` to `(end_line, end_column)`.
    pub fn snippet(&self, name: &str, start: (usize, usize), end: (usize, usize), context: usize) -> Snippet {
        let from = self.offset(start.0, start.1);
        let to = self.offset(end.0, end.1).max(from);
        Snippet::new(name, &self.text, &self.index, from..to, context, Some(start.1.saturating_sub(1)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(text: &str, span: Range<usize>) -> Snippet {
        Snippet::new("f", text, &LineIndex::new(text), span, 1, None)
    }

    fn labelled(snippet: &Snippet) -> &str {
        &snippet.text[snippet.span.0..snippet.span.0 + snippet.span.1]
    }

    #[test]
    fn short_lines_are_shown_whole_with_context() {
        let text = "one\ntwo three\nfour\nfive\n";
        let snippet = frame(text, 8..13);
        assert_eq!(snippet.text, "one\ntwo three\nfour");
        assert_eq!(labelled(&snippet), "three");
        assert_eq!((snippet.first_line, snippet.origin), (0, (1, 4)));
    }

    #[test]
    fn a_long_line_is_cut_to_a_window_around_the_span() {
        let text = format!("{} [a](missing.md) {}\n", "0".repeat(70_000), "9".repeat(70_000));
        let start = text.find("missing").unwrap();
        let snippet = frame(&text, start..start + 10);
        assert!(snippet.text.chars().count() <= WIDTH + 2, "{}", snippet.text);
        assert!(snippet.text.starts_with('…') && snippet.text.ends_with('…'));
        assert_eq!(labelled(&snippet), "missing.md");
        assert_eq!(snippet.origin, (0, 70_005));
    }

    #[test]
    fn control_characters_are_shown_escaped_and_spans_follow() {
        let text = "a = \"\x1b]0;title\x07\r::error::x\" # z\n";
        let start = text.find('#').unwrap();
        let snippet = frame(text, start..start + 3);
        assert!(!snippet.text.chars().any(|c| c != '\n' && is_unsafe(c)), "{:?}", snippet.text);
        assert!(snippet.text.contains("\\e]0;title\\u{7}\\r::error::x"));
        assert_eq!(labelled(&snippet), "# z");
    }

    #[test]
    fn spans_at_the_end_of_a_line_or_file_and_empty_text() {
        let text = "abc\r\ndef";
        assert_eq!(labelled(&frame(text, 3..5)), "");
        assert_eq!(frame(text, 3..5).text, "abc\ndef");
        assert_eq!(labelled(&frame(text, 5..8)), "def");
        assert_eq!(labelled(&frame(text, 8..8)), "");
        assert_eq!(frame("", 0..10).text, "");
        assert_eq!(labelled(&frame("αβγ", 1..3)), "αβ");
    }

    #[test]
    fn a_span_over_many_lines_is_cut() {
        let text = "x\n".repeat(100);
        let snippet = frame(&text, 0..text.len());
        assert_eq!(snippet.text.lines().count(), SPAN_LINES + 1);
    }

    #[test]
    fn offsets_and_utf16_columns() {
        let file = FileText::new(Arc::from("é".repeat(10) + "\na😀b"));
        assert_eq!(file.offset(1, 3), 4);
        assert_eq!(file.offset(1, 5), 8);
        assert_eq!(file.offset(1, 2), 2);
        assert_eq!(file.offset(2, 2), 22);
        assert_eq!(file.offset(9, 1), 27);
        assert_eq!(file.utf16_column(2, 3), 4);
        assert_eq!(file.utf16_column(2, 2), 2);
        assert_eq!(file.utf16_column(2, 6), 7);
    }

    #[test]
    fn long_lines_agree_with_counting_from_the_start() {
        let line: String = (0..20_000).map(|at| if at % 7 == 0 { '😀' } else { 'x' }).collect();
        let file = FileText::new(Arc::from(format!("{line}\nend")));
        for column in [1, 2, 255, 256, 257, 5_000, 19_999, 20_000, 20_001, 20_050] {
            let prefix: String = line.chars().take(column - 1).collect();
            assert_eq!(file.offset(1, column), prefix.len(), "column {column}");
            let beyond = (column - 1).saturating_sub(20_000);
            assert_eq!(file.utf16_column(1, column), prefix.encode_utf16().count() + beyond + 1, "column {column}");
        }
    }
}
