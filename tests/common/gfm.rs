//! GitHub-flavoured Markdown as GitHub reads it, to check what a summary renders: comrak follows
//! cmark-gfm, with its autolink extension (bare `https://…`, `www.…` and e-mail addresses become
//! links), tables, strikethrough, footnotes and math.

use comrak::nodes::NodeValue;

/// Every node of `markdown`, in document order.
pub fn nodes(markdown: &str) -> Vec<NodeValue> {
    let mut options = comrak::Options::default();
    let extension = &mut options.extension;
    (extension.strikethrough, extension.table, extension.autolink) = (true, true, true);
    (extension.footnotes, extension.math_dollars, extension.math_code) = (true, true, true);
    let arena = comrak::Arena::new();
    let root = comrak::parse_document(&arena, markdown, &options);
    root.descendants().map(|node| node.data().value.clone()).collect()
}
