//! Markdown facts: parses a document once and extracts the headings, anchors, links, code
//! and prose word count that the rules need, keeping no reference to the text.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};
use regex::Regex;

/// A 1-based place in the text; `column` counts chars, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// A stretch of the text: `end` is exclusive, `offset`/`len` are in bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub start: Position,
    pub end: Position,
    pub offset: usize,
    pub len: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    Link,
    Image,
    /// An `href`/`src` attribute in inline or block HTML.
    Html,
}

/// A link destination; `span` covers the destination itself when it is written out in the
/// source, else the whole link (for reference links, the use site `[text][ref]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub dest: String,
    pub kind: LinkKind,
    pub span: Span,
}

/// A heading; `slug` is the anchor GitHub gives it, with `-1`, `-2`… for duplicates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub slug: String,
    pub span: Span,
}

/// A code block (`block`, with its info-string language) or an inline code span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    pub text: String,
    pub lang: Option<String>,
    pub block: bool,
    pub span: Span,
}

/// Everything the rules need from one Markdown document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MarkdownDoc {
    pub headings: Vec<Heading>,
    /// Every fragment a link may target here (heading slugs, `{#id}`s, HTML `id`/`name`),
    /// already passed through [`normalise_fragment`].
    pub anchors: HashSet<String>,
    pub links: Vec<Link>,
    pub code: Vec<Code>,
    /// Prose words: runs holding a letter or digit, outside code blocks, HTML, link
    /// destinations and image alt text (so badges add none); inline code counts as one.
    pub words: usize,
    /// Labels of reference definitions (`[label]: https://...`), lowercased.
    pub references: HashSet<String>,
    /// The anchors and heading texts through [`collapse_fragment`], for site generators' own slugs.
    collapsed_anchors: HashSet<String>,
}

impl MarkdownDoc {
    /// The anchors and headings as sluggers that turn every run of spaces and punctuation into one
    /// hyphen write them (see [`collapse_fragment`]).
    pub fn collapsed_anchors(&self) -> &HashSet<String> {
        &self.collapsed_anchors
    }
}

/// A fragment with every run of characters other than letters and digits turned into one hyphen,
/// lowercased and trimmed: site generators slug headings their own way (VitePress turns
/// `koel:storage` into `koel-storage`, GitHub into `koelstorage`; composer's site `install / i`
/// into `install-i`, GitHub into `install--i`), and this is the form they agree on.
pub fn collapse_fragment(fragment: &str) -> String {
    let mut out = String::with_capacity(fragment.len());
    for c in fragment.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    if out.ends_with('-') {
        out.pop();
    }
    out
}

/// Parses `text` once and extracts everything; never panics.
pub fn parse(text: &str) -> MarkdownDoc {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut builder = Builder::new(text);
    let mut events = Parser::new_ext(text, options).into_offset_iter();
    for (event, range) in events.by_ref() {
        builder.event(event, range);
    }
    let references = events.reference_definitions().iter().map(|(label, _)| label.to_lowercase()).collect();
    let mut doc = builder.finish();
    doc.references = references;
    doc.anchors.extend(autodoc_anchors(text));
    let headings = doc.headings.iter().map(|heading| heading.text.as_str());
    doc.collapsed_anchors = doc.anchors.iter().map(String::as_str).chain(headings).map(collapse_fragment).collect();
    doc
}

/// mkdocstrings and similar generators document an API item where a line says `::: name`, and
/// give the generated section the item's name as its anchor.
fn autodoc_anchors(text: &str) -> Vec<String> {
    let mut anchors = Vec::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix(":::") else { continue };
        // The item's name, without a signature: `::: print(format_string<T...>, T&&...)`.
        let rest = rest.trim_start();
        let end = rest.find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | ':' | '.'))).unwrap_or(rest.len());
        let name = rest[..end].trim_end_matches([':', '.']);
        if name.is_empty() || !rest[end..].trim().is_empty() && !rest[end..].starts_with(['(', '<', ' ']) {
            continue;
        }
        anchors.push(normalise_fragment(name));
        if let Some(last) = name.rsplit([':', '.']).next().filter(|last| !last.is_empty()) {
            anchors.push(normalise_fragment(last));
        }
    }
    anchors
}

/// GitHub's heading anchor algorithm: lowercase, drop every char but letters, numbers, `-`,
/// `_` and spaces (so emoji and punctuation go), then turn each space into `-`.
pub fn slug(heading_text: &str) -> String {
    heading_text
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|&c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// Anchor name as GitHub compares it: percent-decoded and lowercased. A leading `#` and
/// GitHub's `user-content-` id prefix are dropped, since GitHub resolves either form.
pub fn normalise_fragment(fragment: &str) -> String {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let lower = percent_decode(fragment).to_lowercase();
    match lower.strip_prefix("user-content-") {
        Some(rest) if !rest.is_empty() => rest.to_owned(),
        _ => lower,
    }
}

/// Decodes `%XX` escapes; anything else, malformed escapes included, stays as written.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let hex = |i: usize| bytes.get(i).and_then(|&b| char::from(b).to_digit(16));
    let (mut out, mut i) = (Vec::with_capacity(bytes.len()), 0);
    while let Some(&byte) = bytes.get(i) {
        match (byte, hex(i + 1), hex(i + 2)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            _ => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `href`, `src`, `id` and `name` attributes, quoted either way or unquoted.
static ATTR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(?:^|\s)(href|src|id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))"#).expect("valid regex")
});

/// HTML comments, also unterminated ones (a commented-out link is no link).
static COMMENT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)<!--.*?(?:-->|\z)").expect("valid regex"));

/// Emoji shortcodes like `:rocket:`, which GitHub renders as emoji and so leaves out of slugs.
static SHORTCODE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r":[a-z0-9_+-]+:").expect("valid regex"));

/// Turns byte offsets into line/column positions.
#[derive(Default)]
struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// Last (line index, offset, column): nearby positions on a huge line are counted from it.
    last: Option<(usize, usize, usize)>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            let lone_cr = b == b'\r' && bytes.get(i + 1) != Some(&b'\n');
            if b == b'\n' || lone_cr {
                starts.push(i + 1);
            }
        }
        Self { text, starts, last: None }
    }

    fn position(&mut self, offset: usize) -> Position {
        let offset = floor_boundary(self.text, offset);
        let line = self.starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let line_start = self.starts[line];
        let column = match self.last {
            Some((l, o, c)) if l == line && o <= offset => c + self.text[o..offset].chars().count(),
            Some((l, o, c)) if l == line && o - offset < offset - line_start => {
                c - self.text[offset..o].chars().count()
            }
            _ => 1 + self.text[line_start..offset].chars().count(),
        };
        self.last = Some((line, offset, column));
        Position { line: line + 1, column }
    }

    fn span(&mut self, range: Range<usize>) -> Span {
        let start = floor_boundary(self.text, range.start);
        let end = floor_boundary(self.text, range.end).max(start);
        Span { start: self.position(start), end: self.position(end), offset: start, len: end - start }
    }

    /// A block's span without its trailing line ending.
    fn block_span(&mut self, range: Range<usize>) -> Span {
        let slice = self.text.get(range.clone()).unwrap_or("");
        let trimmed = slice.trim_end_matches(['\r', '\n']).len();
        self.span(range.start..range.start + trimmed)
    }
}

fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Counts maximal runs of non-space chars that hold at least one alphanumeric char.
#[derive(Default)]
struct WordCounter {
    count: usize,
    in_run: bool,
    has_alnum: bool,
}

impl WordCounter {
    fn feed(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_whitespace() {
                self.boundary();
            } else {
                self.in_run = true;
                self.has_alnum |= c.is_alphanumeric();
            }
        }
    }

    fn boundary(&mut self) {
        if self.in_run && self.has_alnum {
            self.count += 1;
        }
        self.in_run = false;
        self.has_alnum = false;
    }

    fn whole_word(&mut self) {
        self.boundary();
        self.count += 1;
    }
}

struct OpenHeading {
    level: u8,
    id: Option<String>,
    text: String,
    /// The text outside inline HTML elements (`repositories <span>(root-only)</span>`): generators
    /// that slug the heading's own words drop a trailing label.
    own_text: String,
    /// Inline HTML elements open at this point of the heading.
    html_depth: usize,
    range: Range<usize>,
}

struct OpenCode {
    lang: Option<String>,
    text: String,
    range: Range<usize>,
}

/// A link whose end has not been seen yet.
struct OpenLink {
    index: usize,
    link_type: LinkType,
    /// Where the link text ends, so the destination is looked for after it.
    text_end: usize,
}

#[derive(Default)]
struct Builder<'a> {
    index: LineIndex<'a>,
    doc: MarkdownDoc,
    words: WordCounter,
    slug_counts: HashMap<String, usize>,
    heading: Option<OpenHeading>,
    code_block: Option<OpenCode>,
    open_links: Vec<OpenLink>,
    image_depth: usize,
    autolink_depth: usize,
}

impl<'a> Builder<'a> {
    fn new(text: &'a str) -> Self {
        let index = LineIndex::new(text);
        Self { index, ..Self::default() }
    }

    fn finish(mut self) -> MarkdownDoc {
        self.words.boundary();
        self.doc.words = self.words.count;
        self.doc
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        if !matches!(event, Event::End(TagEnd::Link | TagEnd::Image)) {
            self.extend_link_text(range.end);
        }
        if breaks_words(&event) {
            self.words.boundary();
        }
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(TagEnd::Heading(_)) => self.close_heading(),
            Event::End(TagEnd::CodeBlock) => self.close_code_block(),
            Event::End(TagEnd::Link | TagEnd::Image) => self.close_link(range),
            Event::End(TagEnd::HtmlBlock) => self.html(range),
            Event::Text(text) => self.text(&text),
            Event::Code(code) => self.inline_code(&code, range),
            Event::InlineHtml(html) => {
                self.heading_html(&html);
                self.html(range);
            }
            Event::SoftBreak | Event::HardBreak => self.heading_text(" "),
            _ => {}
        }
    }

    fn extend_link_text(&mut self, end: usize) {
        if let Some(open) = self.open_links.last_mut() {
            open.text_end = open.text_end.max(end);
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) {
        match tag {
            Tag::Heading { level, id, .. } => {
                let id = id.map(|id| id.to_string());
                let (level, text, own_text) = (level as u8, String::new(), String::new());
                self.heading = Some(OpenHeading { level, id, text, own_text, html_depth: 0, range });
            }
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info_lang(&info),
                    CodeBlockKind::Indented => None,
                };
                let text = String::new();
                self.code_block = Some(OpenCode { lang, text, range });
            }
            Tag::Link { link_type, dest_url, .. } => {
                self.open_link(LinkKind::Link, link_type, &dest_url, range);
            }
            Tag::Image { link_type, dest_url, .. } => {
                self.open_link(LinkKind::Image, link_type, &dest_url, range);
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        if let Some(code) = &mut self.code_block {
            code.text.push_str(text);
            return;
        }
        if self.image_depth == 0 {
            self.heading_text(text);
            if self.autolink_depth == 0 {
                self.words.feed(text);
            }
        }
    }

    fn heading_text(&mut self, text: &str) {
        if let Some(heading) = &mut self.heading {
            heading.text.push_str(text);
            if heading.html_depth == 0 {
                heading.own_text.push_str(text);
            }
        }
    }

    /// Follows the inline HTML elements opened and closed inside a heading.
    fn heading_html(&mut self, html: &str) {
        let Some(heading) = &mut self.heading else { return };
        let tag = html.trim();
        if tag.starts_with("</") {
            heading.html_depth = heading.html_depth.saturating_sub(1);
        } else if tag.starts_with('<') && !tag.starts_with("<!") && !tag.ends_with("/>") && !is_void_element(tag) {
            heading.html_depth += 1;
        }
    }

    fn inline_code(&mut self, code: &str, range: Range<usize>) {
        if self.image_depth == 0 {
            self.words.whole_word();
            self.heading_text(code);
        }
        let span = self.index.span(range);
        let (text, lang, block) = (code.to_owned(), None, false);
        self.doc.code.push(Code { text, lang, block, span });
    }

    fn close_code_block(&mut self) {
        if let Some(OpenCode { lang, text, range }) = self.code_block.take() {
            let (span, block) = (self.index.block_span(range), true);
            self.doc.code.push(Code { text, lang, block, span });
        }
    }

    fn close_heading(&mut self) {
        let Some(open) = self.heading.take() else {
            return;
        };
        let base = slug(&open.text);
        let unique = self.unique_slug(&base);
        self.add_anchor(&unique);
        if let Some(id) = &open.id {
            self.add_anchor(id);
        }
        let without_emoji = SHORTCODE.replace_all(&open.text, "");
        if without_emoji != open.text {
            let suffix = &unique[base.len()..];
            self.add_anchor(&format!("{}{suffix}", slug(&without_emoji)));
        }
        let own_text = open.own_text.trim();
        if !own_text.is_empty() && own_text != open.text.trim() {
            self.add_anchor(&slug(own_text));
        }
        let (level, text, span) = (open.level, open.text, self.index.block_span(open.range));
        self.doc.headings.push(Heading { level, text, slug: unique, span });
    }

    /// github-slugger's de-duplication: `foo`, `foo-1`, `foo-2`, …
    fn unique_slug(&mut self, base: &str) -> String {
        let mut candidate = base.to_owned();
        while self.slug_counts.contains_key(&candidate) {
            let count = self.slug_counts.entry(base.to_owned()).or_default();
            *count += 1;
            candidate = format!("{base}-{count}");
        }
        self.slug_counts.insert(candidate.clone(), 0);
        candidate
    }

    fn add_anchor(&mut self, anchor: &str) {
        let anchor = normalise_fragment(anchor);
        if !anchor.is_empty() {
            self.doc.anchors.insert(anchor);
        }
    }

    fn open_link(&mut self, kind: LinkKind, link_type: LinkType, dest: &str, range: Range<usize>) {
        self.image_depth += usize::from(kind == LinkKind::Image);
        self.autolink_depth += usize::from(is_autolink(link_type));
        let (index, text_end) = (self.doc.links.len(), range.start);
        let (dest, span) = (dest.to_owned(), self.index.span(range));
        self.doc.links.push(Link { dest, kind, span });
        self.open_links.push(OpenLink { index, link_type, text_end });
    }

    /// Narrows the link's span to its destination when that is written out in the source.
    fn close_link(&mut self, range: Range<usize>) {
        let Some(open) = self.open_links.pop() else {
            return;
        };
        self.extend_link_text(range.end);
        let Some(link) = self.doc.links.get(open.index) else {
            return;
        };
        if link.kind == LinkKind::Image {
            self.image_depth = self.image_depth.saturating_sub(1);
        }
        if is_autolink(open.link_type) {
            self.autolink_depth = self.autolink_depth.saturating_sub(1);
        }
        let search_from = match open.link_type {
            LinkType::Inline => open.text_end.clamp(range.start, range.end),
            LinkType::Autolink | LinkType::Email => range.start,
            _ => return,
        };
        let dest = link.dest.as_str();
        let haystack = self.index.text.get(search_from..range.end).unwrap_or("");
        if let Some(at) = haystack.find(dest).filter(|_| !dest.is_empty()) {
            let start = search_from + at;
            let span = self.index.span(start..start + dest.len());
            self.doc.links[open.index].span = span;
        }
    }

    /// Reads links and anchors out of raw HTML, skipping comments.
    fn html(&mut self, range: Range<usize>) {
        let Some(source) = self.index.text.get(range.clone()) else {
            return;
        };
        let mut from = 0;
        let end = source.len()..source.len();
        for comment in COMMENT.find_iter(source).map(|m| m.range()).chain([end]) {
            self.html_attributes(&source[from..comment.start], range.start + from);
            from = comment.end;
        }
    }

    fn html_attributes(&mut self, html: &str, base: usize) {
        for caps in ATTR.captures_iter(html) {
            let Some(value) = caps.get(2).or_else(|| caps.get(3)).or_else(|| caps.get(4)) else {
                continue;
            };
            let name = caps[1].to_ascii_lowercase();
            if name == "id" || name == "name" {
                self.add_anchor(value.as_str());
                continue;
            }
            let start = base + value.start();
            let span = self.index.span(start..start + value.len());
            let (dest, kind) = (value.as_str().to_owned(), LinkKind::Html);
            self.doc.links.push(Link { dest, kind, span });
        }
    }
}

/// `<br>`, `<img ...>`: elements that have no closing tag.
fn is_void_element(tag: &str) -> bool {
    let name: String = tag.trim_start_matches('<').chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
    matches!(
        name.to_ascii_lowercase().as_str(),
        "br" | "img" | "hr" | "input" | "wbr" | "meta" | "link" | "source" | "area" | "col" | "embed"
    )
}

/// Whether an event separates words: all but text and inline styling do.
fn breaks_words(event: &Event<'_>) -> bool {
    match event {
        Event::Text(_) => false,
        Event::Start(tag) => !matches!(tag, Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. }),
        Event::End(tag) => !matches!(tag, TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link),
        _ => true,
    }
}

fn is_autolink(link_type: LinkType) -> bool {
    matches!(link_type, LinkType::Autolink | LinkType::Email)
}

/// The language of a fence: the info string's first word (`rust,ignore` gives `rust`).
fn info_lang(info: &str) -> Option<String> {
    let word = info.split(|c: char| c.is_whitespace() || c == ',').next()?;
    (!word.is_empty()).then(|| word.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link<'d>(doc: &'d MarkdownDoc, dest: &str) -> &'d Link {
        doc.links.iter().find(|l| l.dest == dest).expect(dest)
    }

    fn at(link: &Link) -> (usize, usize) {
        (link.span.start.line, link.span.start.column)
    }

    fn end(span: &Span) -> (usize, usize) {
        (span.end.line, span.end.column)
    }

    #[test]
    fn autodoc_directives_are_anchors() {
        let doc =
            parse("# API\n\n::: basic_string_view\n\n::: fmt::format\n\n::: print(format_string<T...>, T&&...)\n");
        assert!(doc.anchors.contains("print"));
        assert!(doc.anchors.contains("basic_string_view"));
        assert!(doc.anchors.contains("format"));
        assert!(doc.anchors.contains("fmt::format"));
    }

    #[test]
    fn slugs_follow_github() {
        assert_eq!(slug("What's new in v2.0?"), "whats-new-in-v20");
        assert_eq!(slug("`apelint` — a linter"), "apelint--a-linter");
        assert_eq!(slug("Café 🚀 Ünïcode_x"), "café--ünïcode_x");
        let doc = parse("# `apelint` — a linter\n## Foo\n## Foo\n## Foo *bar*\n## Foo\n");
        let slugs: Vec<_> = doc.headings.iter().map(|h| h.slug.as_str()).collect();
        assert_eq!(slugs, ["apelint--a-linter", "foo", "foo-1", "foo-bar", "foo-2"]);
        assert_eq!(doc.headings[0].text, "apelint — a linter");
        assert!(doc.anchors.contains("foo-2"));
    }

    #[test]
    fn explicit_ids_and_html_anchors() {
        let doc = parse("## Install {#Custom-ID}\n\n<a name=\"x\"></a>\n\n<h2 id='y'>Y</h2>\n");
        for anchor in ["install", "custom-id", "x", "y"] {
            assert!(doc.anchors.contains(anchor), "{anchor}: {:?}", doc.anchors);
        }
        assert_eq!(doc.headings[0].text, "Install");
        assert!(parse("## :rocket: Go\n").anchors.contains("-go"));
    }

    #[test]
    fn fragments_normalise() {
        assert_eq!(normalise_fragment("#Caf%C3%A9-Notes"), "café-notes");
        assert_eq!(normalise_fragment("user-content-Install"), "install");
        assert_eq!(normalise_fragment("100%+1%zz%4"), "100%+1%zz%4");
    }

    #[test]
    fn link_positions() {
        let text = "See [a](docs/x.md) and [b][r].\n\n![pic](img.png)\n\n\
                    <a href=\"h.md\">h</a> <img src='s.png'>\n\n[r]: ref.md\n";
        let doc = parse(text);
        assert_eq!(at(link(&doc, "docs/x.md")), (1, 9));
        assert_eq!(link(&doc, "docs/x.md").span.len, 9);
        assert_eq!(at(link(&doc, "ref.md")), (1, 24));
        assert_eq!(at(link(&doc, "img.png")), (3, 8));
        assert_eq!(link(&doc, "img.png").kind, LinkKind::Image);
        let href = link(&doc, "h.md");
        assert_eq!((at(href), href.kind), ((5, 10), LinkKind::Html));
        assert_eq!(&text[href.span.offset..][..href.span.len], "h.md");
        assert_eq!(at(link(&doc, "s.png")), (5, 32));
    }

    #[test]
    fn positions_with_crlf_and_multibyte() {
        let doc = parse("# T\r\n\r\nÄ — 日本 [x](y.md) <https://e.org>\r\n");
        assert_eq!(at(link(&doc, "y.md")), (3, 12));
        assert_eq!(end(&link(&doc, "y.md").span), (3, 16));
        assert_eq!(at(link(&doc, "https://e.org")), (3, 19));
        assert_eq!(end(&doc.headings[0].span), (1, 4));
        let doc = parse("a\r\nb\r\n[l](z.md)\r\n");
        assert_eq!(at(link(&doc, "z.md")), (3, 5));
    }

    #[test]
    fn code_and_comments_hide_links() {
        let text = "```\n[a](code.md)\n```\n\n    [b](indented.md)\n\n`[c](inline.md)`\n\n\
                    <!--\n[d](block-comment.md) <a href=\"e.md\">\n-->\n\n\
                    x <!-- [f](inline-comment.md) --> [ok](ok.md)\n";
        let doc = parse(text);
        let dests: Vec<_> = doc.links.iter().map(|l| l.dest.as_str()).collect();
        assert_eq!(dests, ["ok.md"]);
    }

    #[test]
    fn words_skip_badges() {
        let badges = "# apelint\n\n[![CI](https://x/ci.svg)](https://x/ci) \
                      [![crates](https://x/c.svg)](https://x/c) [![docs](https://x/d.svg)](https://x/d)\n\
                      [![lic](https://x/l.svg)](LICENSE) [![msrv](https://x/m.svg)](https://x/m)\n";
        assert_eq!(parse(badges).words, 1);
        let prose = "# Title\n\nApelint checks *your* repo — fast. Run `apelint check` or see \
                     [the guide](docs/guide.md) at <https://e.org>.\n\n<p>html is not prose</p>\n\n\
                     ```sh\nnot prose either\n```\n";
        assert_eq!(parse(prose).words, 13);
    }

    #[test]
    fn code_blocks_and_spans() {
        let doc = parse("```rust,ignore extra\nfn main() {}\n```\n\n    indented\n\nuse `x`\n");
        let summary: Vec<_> =
            (doc.code.iter()).map(|c| (c.text.as_str(), c.lang.as_deref(), c.block, c.span.start.line)).collect();
        assert_eq!(summary[0], ("fn main() {}\n", Some("rust"), true, 1));
        assert_eq!(summary[1..], [("indented\n", None, true, 5), ("x", None, false, 7)]);
        assert_eq!((end(&doc.code[0].span), doc.code[2].span.start.column), ((3, 4), 5));
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        let deep = format!("{}x\n{}y", "> ".repeat(5000), "- ".repeat(5000));
        let huge = "[a](b) é ".repeat(20_000);
        let odd = ["", " \n\t", "\0[\0](\0)", "```\nunterminated", "a\rb\r[c](d)", &deep, &huge];
        for text in odd {
            parse(text);
        }
        assert_eq!(at(link(&parse("a\rb\r[c](d)"), "d")), (3, 5));
        let last = parse(&huge).links.last().map(|l| l.span.start.column);
        assert_eq!(last, Some(179_996));
    }

    #[test]
    fn pseudo_random_inputs_do_not_panic() {
        const PIECES: [&str; 24] = [
            "#", "*", "_", "`", "```", "[", "]", "(", ")", "!", "<", ">", "<!--", "-->", "\n", "\r\n", " ", "    ",
            "é", "日本", "🚀", "a", "href=\"", "|",
        ];
        const LCG: u64 = 6_364_136_223_846_793_005;
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..400 {
            let mut text = String::new();
            for _ in 0..60 {
                state = state.wrapping_mul(LCG).wrapping_add(1);
                text.push_str(PIECES[(state >> 33) as usize % PIECES.len()]);
            }
            let doc = parse(&text);
            for span in doc.links.iter().map(|l| &l.span) {
                assert!(text.get(span.offset..span.offset + span.len).is_some());
            }
        }
    }
}
