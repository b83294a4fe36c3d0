//! Text from the repository in apelint's outputs. A file name, a quoted line of code, a tag name or a
//! commit subject is written by whoever wrote the repository, and apelint runs on strangers' pull
//! requests: nothing they write may reach a terminal as a control sequence, a CI log as a workflow
//! command, or a Markdown page as a link, an image, a mention or HTML.
//!
//! Messages follow one convention, so that every output can treat them alike: apelint's own prose,
//! with each piece of repository text inside a code span made by [`code`]. The Markdown reporter
//! keeps those spans ([`markdown`]) and escapes the prose around them; the terminal and the CI log
//! show the message as it is, with control characters made visible ([`printable`]).

use std::borrow::Cow;

/// Whether `c` must not reach a terminal or a log as it is: control characters (C0 but the tab,
/// DEL, C1) and the bidirectional controls that reorder what a reader sees (Trojan Source).
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\t') || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// How an unsafe char is shown: `\n`, `\r`, `\e` (the escape that starts terminal sequences), or
/// `\u{…}`.
pub fn visible(c: char) -> Cow<'static, str> {
    match c {
        '\n' => Cow::Borrowed("\\n"),
        '\r' => Cow::Borrowed("\\r"),
        '\u{1b}' => Cow::Borrowed("\\e"),
        c => Cow::Owned(c.escape_unicode().to_string()),
    }
}

/// `text` with its unsafe chars shown escaped: a line break in a file name must not start a line of
/// its own, where a terminal or a CI runner (GitHub's `::command::` lines) would read it.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            out.push_str(&visible(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` as a CommonMark code span, fenced with more backticks than any run inside it (and padded
/// when it starts or ends with one), so that no text can close the span early. Line breaks become
/// spaces, as they would inside a span, and other control characters are shown escaped.
pub fn code(text: &str) -> String {
    let text: Cow<'_, str> =
        if text.contains(['\n', '\r']) { Cow::Owned(text.replace(['\r', '\n'], " ")) } else { Cow::Borrowed(text) };
    let text = match printable(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(escaped) => Cow::Owned(escaped),
    };
    if text.is_empty() {
        return "` `".to_string();
    }
    let fence = "`".repeat(longest_run(&text, '`') + 1);
    // A span that starts or ends with a backtick needs a space between it and the fence; one that
    // starts and ends with a space loses one on each side when read, so it gets one more.
    let pad = text.starts_with('`')
        || text.ends_with('`')
        || (text.starts_with(' ') && text.ends_with(' ') && !text.trim().is_empty());
    if pad { format!("{fence} {text} {fence}") } else { format!("{fence}{text}{fence}") }
}

/// The longest run of `wanted` in `text`.
pub fn longest_run(text: &str, wanted: char) -> usize {
    let (mut longest, mut run) = (0, 0);
    for c in text.chars() {
        run = if c == wanted { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// One piece of a message: apelint's prose, or the content of a code span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    Prose(&'a str),
    Code(Cow<'a, str>),
}

/// Splits a message into prose and code spans as CommonMark reads it: a run of `n` backticks opens
/// a span that the next run of exactly `n` closes; a run that nothing closes is prose.
pub fn pieces(message: &str) -> Vec<Piece<'_>> {
    let bytes = message.as_bytes();
    let run_at = |at: usize| bytes[at..].iter().take_while(|byte| **byte == b'`').count();
    let mut pieces = Vec::new();
    // Lengths of runs that nothing after them closes: no later run of that length needs a scan.
    let mut unclosed = std::collections::HashSet::new();
    let (mut prose_start, mut at) = (0, 0);
    while at < bytes.len() {
        if bytes[at] != b'`' {
            at += 1;
            continue;
        }
        let open = run_at(at);
        if unclosed.contains(&open) {
            at += open;
            continue;
        }
        // The closing run: the next run of exactly `open` backticks.
        let mut scan = at + open;
        let mut close = None;
        while scan < bytes.len() {
            if bytes[scan] == b'`' {
                let run = run_at(scan);
                if run == open {
                    close = Some(scan);
                    break;
                }
                scan += run;
            } else {
                scan += 1;
            }
        }
        let Some(close) = close else {
            unclosed.insert(open);
            at += open;
            continue;
        };
        if prose_start < at {
            pieces.push(Piece::Prose(&message[prose_start..at]));
        }
        let inner = &message[at + open..close];
        let inner: Cow<'_, str> = if inner.contains(['\n', '\r']) {
            Cow::Owned(inner.replace(['\r', '\n'], " "))
        } else {
            Cow::Borrowed(inner)
        };
        let stripped = if inner.len() >= 2 && inner.starts_with(' ') && inner.ends_with(' ') && !inner.trim().is_empty()
        {
            match inner {
                Cow::Borrowed(text) => Cow::Borrowed(&text[1..text.len() - 1]),
                Cow::Owned(text) => Cow::Owned(text[1..text.len() - 1].to_string()),
            }
        } else {
            inner
        };
        pieces.push(Piece::Code(stripped));
        at = close + open;
        prose_start = at;
    }
    if prose_start < bytes.len() {
        pieces.push(Piece::Prose(&message[prose_start..]));
    }
    pieces
}

/// A message (or a rule's help) as GitHub-flavoured Markdown inline text, on one line: code spans
/// stay code spans, fenced anew, and the prose is escaped so that nothing in it renders as a link,
/// an autolink, an image, HTML, emphasis, math, a table cell break or a mention.
pub fn markdown(message: &str) -> String {
    let mut out = String::with_capacity(message.len() + 16);
    for piece in pieces(message.trim_start()) {
        match piece {
            Piece::Code(text) => out.push_str(&code(&text)),
            Piece::Prose(text) => prose(text, &mut out),
        }
    }
    // At the start of a line, `-`, `+`, `>`, `=` and `1.` would make a list, a quote or a heading.
    let digits = out.bytes().take_while(u8::is_ascii_digit).count();
    if out.starts_with(['-', '+', '>', '=']) {
        out.insert(0, '\\');
    } else if digits > 0 && out[digits..].starts_with(['.', ')']) {
        out.insert(digits, '\\');
    }
    out
}

fn prose(text: &str, out: &mut String) {
    let mut recent = String::new();
    for c in text.chars() {
        match c {
            '\r' | '\n' => out.push(' '),
            // Mentions (`@team`) and e-mail autolinks: a zero-width space after the `@`, the way
            // Dependabot quotes names without notifying anyone.
            '@' => out.push_str("@&#8203;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            // What opens inline syntax (emphasis, links, images, footnotes, strikethrough, math,
            // table cells, headings), and `:`, after which a scheme makes an autolink.
            '\\' | '`' | '*' | '_' | '[' | ']' | '!' | '|' | '~' | '#' | '$' | ':' | '^' => {
                out.push('\\');
                out.push(c);
            }
            // `www.` starts an autolink too.
            '.' if recent.eq_ignore_ascii_case("www") => out.push_str("\\."),
            c if is_unsafe(c) => out.push_str(&visible(c)),
            c => out.push(c),
        }
        if c.is_ascii_alphanumeric() {
            if recent.len() == 3 {
                recent.remove(0);
            }
            recent.push(c);
        } else {
            recent.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_shows_control_and_bidi_characters() {
        assert_eq!(printable("a\r::error::x\n\u{1b}]0;t\u{7}"), "a\\r::error::x\\n\\e]0;t\\u{7}");
        assert_eq!(printable("abc\u{202E}d"), "abc\\u{202e}d");
        assert!(matches!(printable("plain\ttext"), Cow::Borrowed(_)));
    }

    #[test]
    fn code_spans_cannot_be_closed_early() {
        assert_eq!(code("README.md"), "`README.md`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x`"), "`` `x` ``");
        assert_eq!(code(" a "), "`  a  `");
        assert_eq!(code("a\nb"), "`a b`");
        assert_eq!(code(""), "` `");
    }

    #[test]
    fn pieces_follow_commonmark_code_spans() {
        let message = format!("{} does not exist in {}", code("we`ird.md"), code("docs"));
        assert_eq!(
            pieces(&message),
            vec![Piece::Code("we`ird.md".into()), Piece::Prose(" does not exist in "), Piece::Code("docs".into())]
        );
        assert_eq!(pieces("a ` b"), vec![Piece::Prose("a ` b")]);
        assert_eq!(pieces(&code("`x`")), vec![Piece::Code("`x`".into())]);
    }

    /// What GitHub-flavoured Markdown (comrak, as cmark-gfm with its autolinks) makes of a line:
    /// its text, or the first node that is not text.
    fn rendered(markdown: &str) -> Result<String, String> {
        use comrak::nodes::NodeValue;
        let mut options = comrak::Options::default();
        let extension = &mut options.extension;
        (extension.strikethrough, extension.table, extension.autolink) = (true, true, true);
        (extension.footnotes, extension.math_dollars) = (true, true);
        let arena = comrak::Arena::new();
        let mut text = String::new();
        for node in comrak::parse_document(&arena, markdown, &options).descendants() {
            match &node.data().value {
                NodeValue::Text(part) => text.push_str(part),
                NodeValue::Code(code) => text.push_str(&code.literal),
                NodeValue::Document | NodeValue::Paragraph => {}
                other => return Err(format!("{other:?} in {markdown}")),
            }
        }
        Ok(text.replace('\u{200B}', ""))
    }

    #[test]
    fn markdown_prose_renders_nothing_but_text() {
        let hostile = "![x](https://t.example/p.png) <img src=x> @team www.evil.com *b* $x$ a|b ~~s~~ [^1] &amp; \\";
        assert_eq!(rendered(&markdown(hostile)), Ok(hostile.to_string()));
        // The oracle sees what escaping prevents.
        for raw in ["see https://t.example/x", "www.evil.example", "![i](x.png)", "<b>x</b>", "$x$"] {
            assert!(rendered(raw).is_err(), "{raw}");
        }
        let out = markdown(hostile);
        for autolink in ["https:", "www.", "@team"] {
            assert!(!out.contains(autolink), "{autolink} in {out}");
        }
        assert_eq!(markdown("`a`b`` c"), "`a`b\\`\\` c");
        for block in ["- item", "+ item", "> quote", "=== x", "1. first", "12) x", "  - indented"] {
            assert_eq!(rendered(&markdown(block)), Ok(block.trim_start().to_string()), "{block}");
        }
    }

    #[test]
    fn markdown_keeps_code_spans_and_refences_them() {
        let message = format!("broken link: {}", code("x`](y)"));
        assert_eq!(markdown(&message), "broken link\\: ``x`](y)``");
        assert_eq!(markdown("`a\u{1b}b`"), "`a\\eb`");
    }
}
