//! Property tests over arbitrary input (issue 12): the configuration loader, the rule loader, the
//! Markdown fact, code frames and every reporter's escaping are fed random bytes and shaped
//! inputs, and must neither panic nor let a control character, a workflow command or Markdown
//! syntax through. Each property runs a fixed number of cases (`CASES`, or `PROPTEST_CASES` in the
//! environment), so the time CI spends is bounded; proptest keeps failures it found in
//! `tests/fuzz.proptest-regressions` and replays them first.

mod common;

use apelint::config::Config;
use apelint::diag::SourceFile;
use apelint::escape;
use apelint::facts::text::LineIndex;
use apelint::report::github;
use apelint::rule::{self, RuleSource};
use apelint::snippet::Snippet;
use proptest::prelude::*;
use std::path::PathBuf;

const CASES: u32 = 256;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|cases| cases.parse().ok()).unwrap_or(CASES);
    ProptestConfig { cases, max_shrink_iters: 2_000, ..ProptestConfig::default() }
}

/// Text with a fair share of what breaks parsers and outputs: control characters, bidi overrides,
/// backticks, brackets, quotes, TOML and Markdown syntax, long runs.
fn hostile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        any::<String>(),
        Just("\r".to_string()),
        Just("\n".to_string()),
        Just("\u{1b}]0;x\u{7}".to_string()),
        Just("\u{202E}".to_string()),
        Just("::error::x".to_string()),
        Just("```".to_string()),
        Just("`".to_string()),
        Just("[a](b)".to_string()),
        Just("![i](https://t.example/p.png)".to_string()),
        Just("<img src=x>".to_string()),
        Just("@team".to_string()),
        Just("www.x.example".to_string()),
        Just("\"".to_string()),
        Just("'''".to_string()),
        Just("[rules.stale]".to_string()),
        Just("[[suppress]]".to_string()),
        Just("[history]".to_string()),
        Just(" = ".to_string()),
        Just("nan".to_string()),
        Just("{ a = 1 }".to_string()),
        "[a-z-]{1,12}",
        "x{100,300}",
    ];
    proptest::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

/// Whether `text` holds a character a terminal or a CI runner would act on (line breaks aside).
fn has_control(text: &str) -> bool {
    text.chars().any(|c| c != '\n' && escape::is_unsafe(c))
}

fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

fn rendered(problem: impl miette::Diagnostic + Send + Sync + 'static) -> String {
    format!("{:?}", miette::Report::new(problem))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_configuration_loader_never_panics_and_escapes_what_it_quotes(text in hostile_text()) {
        let file = SourceFile::new("apelint.toml", leak(text));
        let (_, problems) = Config::parse(file, PathBuf::from("apelint.toml"), None);
        for problem in problems.problems {
            let shown = rendered(problem);
            prop_assert!(!has_control(&shown), "{shown:?}");
        }
    }

    #[test]
    fn the_rule_loader_never_panics_and_escapes_what_it_quotes(text in hostile_text(), id in "[a-z-]{1,8}") {
        let body = format!("id = \"{id}\"\nfamily = \"docs\"\nseverity = \"info\"\nsummary = \"s\"\n{text}\n");
        for text in [text.clone(), body] {
            let source = RuleSource {
                file: SourceFile::new(format!("{id}.toml"), leak(text)),
                stem: id.clone(),
                builtin: false,
                patterns: Vec::new(),
            };
            if let Err(problems) = rule::load(&[source], &Default::default()) {
                for problem in problems.problems {
                    let shown = rendered(problem);
                    prop_assert!(!has_control(&shown), "{shown:?}");
                }
            }
        }
    }

    #[test]
    fn the_markdown_fact_never_panics_and_its_places_are_in_the_text(text in hostile_text()) {
        let doc = apelint::markdown::parse(&text);
        let lines = text.split('\n').count() + text.matches('\r').count();
        for link in &doc.links {
            prop_assert!(link.span.offset + link.span.len <= text.len());
            prop_assert!(link.span.start.line >= 1 && link.span.start.line <= lines + 1);
        }
        for heading in &doc.headings {
            prop_assert!(heading.span.offset + heading.span.len <= text.len());
        }
    }

    #[test]
    fn code_frames_are_short_and_show_no_control_character(
        text in hostile_text(),
        start in 0usize..4_000,
        len in 0usize..400,
    ) {
        let index = LineIndex::new(&text);
        let snippet = Snippet::new("f\r::x", &text, &index, start..start + len, 1, None);
        let span = snippet.span();
        let shown = rendered(FrameProblem { snippet, span });
        prop_assert!(!has_control(&shown), "{shown:?}");
    }

    #[test]
    fn printable_text_is_safe_and_code_spans_hold_their_text(text in hostile_text()) {
        prop_assert!(!escape::printable(&text).chars().any(escape::is_unsafe));
        let span = escape::code(&text);
        let pieces = escape::pieces(&span);
        let expected = escape::printable(&text.replace(['\r', '\n'], " ")).into_owned();
        let expected = if expected.is_empty() { " ".to_string() } else { expected };
        prop_assert_eq!(pieces, vec![escape::Piece::Code(expected.into())]);
    }

    #[test]
    fn markdown_messages_render_as_text_only(prose in hostile_text(), quoted in hostile_text()) {
        let message = format!("{prose} {} {prose}", escape::code(&quoted));
        let summary = escape::markdown(&message);
        prop_assert!(!summary.contains('\n') && !has_control(&summary), "{summary:?}");
        if let Some(node) = non_text_node(&summary) {
            prop_assert!(false, "{node} in {summary:?} from {message:?}");
        }
    }

    #[test]
    fn workflow_commands_carry_no_line_break_or_control_character(text in hostile_text()) {
        for escaped in [github::data(&text), github::property(&text)] {
            prop_assert!(!escaped.contains(['\r', '\n']) && !has_control(&escaped), "{escaped:?}");
        }
        prop_assert!(!github::property(&text).contains([',', ':']));
    }
}

/// A problem whose only content is a code frame, to render one through miette.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("frame")]
struct FrameProblem {
    #[source_code]
    snippet: Snippet,
    #[label("here")]
    span: miette::SourceSpan,
}

/// The first node of GitHub-flavoured Markdown that is not text.
fn non_text_node(markdown: &str) -> Option<String> {
    use comrak::nodes::NodeValue;
    common::gfm::nodes(markdown).into_iter().find_map(|value| match value {
        NodeValue::Document | NodeValue::Paragraph | NodeValue::Text(_) | NodeValue::Code(_) => None,
        NodeValue::SoftBreak | NodeValue::LineBreak => None,
        other => Some(format!("{other:?}")),
    })
}
