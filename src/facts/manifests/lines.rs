//! Lines of declarations, found through indexes built once per manifest.
//!
//! A hostile repository may commit a manifest of a mebibyte with tens of thousands of
//! dependencies, so finding the line of each must not scan the text (issue 12: every check is
//! linear in the bytes it reads). Each index here is built in one pass over the text and answers
//! a lookup with a binary search.

use crate::facts::text::LineIndex;

/// 1-based line numbers of byte offsets in one text, from its line starts indexed once: a lookup
/// per dependency costs a binary search, not a count of the newlines before it.
pub(super) struct Lines(LineIndex);

impl Lines {
    pub(super) fn new(text: &str) -> Self {
        Lines(LineIndex::new(text))
    }

    /// The 1-based line holding byte `offset` (the last line past the end).
    pub(super) fn line(&self, offset: usize) -> usize {
        self.0.line_of(offset) + 1
    }
}

/// Offsets of one byte in a text, for the next one after each of many positions without a scan
/// from each.
pub(super) struct Occurrences(Vec<usize>);

impl Occurrences {
    pub(super) fn new(text: &str, byte: u8) -> Self {
        Occurrences(text.bytes().enumerate().filter(|&(_, b)| b == byte).map(|(at, _)| at).collect())
    }

    /// The first offset at or after `from`.
    pub(super) fn next(&self, from: usize) -> Option<usize> {
        self.0.get(self.0.partition_point(|&at| at < from)).copied()
    }
}

/// The 0-based lines on which tokens occur: `(token, line)` pairs, sorted for binary search.
pub(super) struct TokenLines<'t>(Vec<(&'t str, usize)>);

impl<'t> TokenLines<'t> {
    pub(super) fn new(mut pairs: Vec<(&'t str, usize)>) -> Self {
        pairs.sort_unstable();
        pairs.dedup();
        TokenLines(pairs)
    }

    /// The first line at or after `from` where `token` occurs.
    pub(super) fn at_or_after(&self, token: &str, from: usize) -> Option<usize> {
        let i = self.0.partition_point(|&(t, line)| (t, line) < (token, from));
        self.0.get(i).filter(|(t, _)| *t == token).map(|&(_, line)| line)
    }

    /// The first line at or after `from` where `token` occurs, else the first anywhere.
    pub(super) fn nearest(&self, token: &str, from: usize) -> Option<usize> {
        self.at_or_after(token, from).or_else(|| self.at_or_after(token, 0))
    }
}

/// The contents of the quoted strings on one line, as written (escapes kept): `"..."` with
/// backslash escapes (JSON and TOML basic strings) and `'...'` without (TOML literal strings). An
/// unterminated string runs to the end of the line.
pub(super) fn quoted_strings(line: &str) -> impl Iterator<Item = &str> {
    let mut rest = line;
    std::iter::from_fn(move || {
        let open = rest.find(['"', '\''])?;
        let quote = rest.as_bytes()[open];
        let body = &rest[open + 1..];
        let mut end = body.len();
        let mut escaped = false;
        for (at, byte) in body.bytes().enumerate() {
            if escaped {
                escaped = false;
            } else if byte == b'\\' && quote == b'"' {
                escaped = true;
            } else if byte == quote {
                end = at;
                break;
            }
        }
        rest = body.get(end + 1..).unwrap_or("");
        Some(&body[..end])
    })
}

/// Bare words (TOML bare-key characters) outside quotes and the contents of quoted strings.
fn toml_words(line: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut rest = line;
    while !rest.is_empty() {
        let quote = rest.find(['"', '\'']).unwrap_or(rest.len());
        let bare = &rest[..quote];
        words.extend(
            bare.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')).filter(|w| !w.is_empty()),
        );
        rest = &rest[quote..];
        if let Some(string) = quoted_strings(rest).next() {
            words.push(string);
            // The string's contents, its opening quote and its closing one, if any.
            let end = (string.len() + 2).min(rest.len());
            rest = rest.get(end..).unwrap_or("");
        }
    }
    words
}

/// Header path of a `[table]` / `[[array]]` line with quotes and spaces dropped.
fn toml_header(line: &str) -> Option<String> {
    let t = line.trim();
    let t = t.split_once('#').map_or(t, |(h, _)| h).trim_end();
    if !t.starts_with('[') || !t.ends_with(']') {
        return None;
    }
    let inner = t.trim_matches(['[', ']']);
    Some(without_quotes_and_spaces(inner))
}

fn without_quotes_and_spaces(path: &str) -> String {
    path.chars().filter(|c| !c.is_whitespace() && *c != '"' && *c != '\'').collect()
}

const QUOTES: [char; 2] = ['"', '\''];

/// The keys a line may declare, for [`TomlLines::key_line`]: after its leading quotes, the text up
/// to the first space, `=` or `.`, with and without the quotes ending it, and, when the line starts
/// with a quote, the quoted key's contents if a space, `=` or `.` follows their closing quotes.
fn leading_keys(line: &str) -> impl Iterator<Item = &str> {
    let t = line.trim_start();
    let unquoted = t.trim_start_matches(QUOTES);
    let opener = t[..t.len() - unquoted.len()].chars().last();
    let ends = |c: char| c.is_whitespace() || c == '=' || c == '.';
    let bare = unquoted.find(ends).map(|end| &unquoted[..end]);
    let stripped = bare.map(|key| key.trim_end_matches(QUOTES)).filter(|key| Some(*key) != bare);
    let quoted = opener.and_then(|q| unquoted.find(q)).map(|end| &unquoted[..end]);
    let quoted = quoted.filter(|key| unquoted[key.len()..].trim_start_matches(QUOTES).starts_with(ends));
    let quoted = quoted.filter(|key| Some(*key) != bare && Some(*key) != stripped);
    [bare, stripped, quoted].into_iter().flatten()
}

/// A TOML table's place in the text, for [`TomlLines::key_line`].
pub(super) struct TomlSection {
    /// 0-based line of the table's first `[header]`, if it has one.
    start: Option<usize>,
    /// The range of [`TomlLines::headers`] whose path starts with the table's path and a dot.
    children: std::ops::Range<usize>,
    /// Length of that path and its dot.
    prefix: usize,
}

/// Where the keys and `[headers]` of one TOML text are.
///
/// The line of a key in a table is the first line, from the table's header on, that is either the
/// `[table.key]` header or starts with the key (bare or quoted) followed by a space, `=` or `.`;
/// from the first line when the table has no header line. Headers and table paths are compared
/// with quotes and spaces dropped.
pub(super) struct TomlLines<'t> {
    /// `(header path, 0-based line)`, sorted.
    headers: Vec<(String, usize)>,
    /// The keys each line may declare (see [`leading_keys`]).
    keys: TokenLines<'t>,
    /// Every bare word and quoted string by line, for keys found nowhere else; built on first use.
    words: std::cell::OnceCell<TokenLines<'t>>,
    text: &'t str,
}

impl<'t> TomlLines<'t> {
    pub(super) fn new(text: &'t str) -> Self {
        let mut headers = Vec::new();
        let mut keys = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if let Some(header) = toml_header(line) {
                headers.push((header, i));
            }
            keys.extend(leading_keys(line).map(|key| (key, i)));
        }
        headers.sort_unstable();
        TomlLines { headers, keys: TokenLines::new(keys), words: std::cell::OnceCell::new(), text }
    }

    /// 0-based line of the first `[header]` with this path (quotes and spaces dropped).
    pub(super) fn header(&self, path: &str) -> Option<usize> {
        let path = without_quotes_and_spaces(path);
        let i = self.headers.partition_point(|(h, _)| *h < path);
        self.headers.get(i).filter(|(h, _)| *h == path).map(|&(_, line)| line)
    }

    /// Finds the table at `path` once, for the lines of its keys.
    pub(super) fn section(&self, path: &[&str]) -> TomlSection {
        let joined = path.join(".");
        let prefix = format!("{}.", without_quotes_and_spaces(&joined));
        let lo = self.headers.partition_point(|(h, _)| *h < prefix);
        let hi = lo + self.headers[lo..].partition_point(|(h, _)| h.starts_with(&prefix));
        TomlSection { start: self.header(&joined), children: lo..hi, prefix: prefix.len() }
    }

    /// 1-based line of `key` in `section`; see [`TomlLines`]. A key found neither way (declared
    /// in an inline table or as a dotted key of a parent table) takes the first line from the
    /// table's start holding it as a whole word or quoted string, else the first anywhere, else
    /// the table's header line, else 1. (A search for the key as any substring would cost a scan
    /// of the text per key.)
    pub(super) fn key_line(&self, section: &TomlSection, key: &str) -> usize {
        let from = section.start.unwrap_or(0);
        self.declared(section, key)
            .or_else(|| self.words().nearest(key, from))
            .or(section.start)
            .map_or(1, |line| line + 1)
    }

    /// 0-based line of the `[section.key]` header or of a line starting with `key`, from the start.
    fn declared(&self, section: &TomlSection, key: &str) -> Option<usize> {
        let from = section.start.unwrap_or(0);
        let children = &self.headers[section.children.clone()];
        let i = children.partition_point(|(h, line)| (&h[section.prefix..], *line) < (key, from));
        let header = children.get(i).filter(|(h, _)| &h[section.prefix..] == key).map(|&(_, line)| line);
        match (header, self.keys.at_or_after(key, from)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn words(&self) -> &TokenLines<'t> {
        self.words.get_or_init(|| {
            let lines = self.text.lines().enumerate();
            TokenLines::new(lines.flat_map(|(i, line)| toml_words(line).into_iter().map(move |w| (w, i))).collect())
        })
    }
}

/// Where the quoted strings of one JSON text are.
pub(super) struct JsonLines<'t> {
    lines: Vec<&'t str>,
    strings: TokenLines<'t>,
}

impl<'t> JsonLines<'t> {
    pub(super) fn new(text: &'t str) -> Self {
        let lines: Vec<&str> = text.lines().collect();
        let strings = lines.iter().enumerate().flat_map(|(i, line)| quoted_strings(line).map(move |s| (s, i)));
        JsonLines { strings: TokenLines::new(strings.collect()), lines }
    }

    /// 0-based line where the `"section"` object opens (a script may share the section's name):
    /// the first line holding `"section"` and `{`, else the first holding `"section"`. Called once
    /// per section, never per key.
    pub(super) fn section(&self, section: &str) -> Option<usize> {
        let quoted = format!("\"{section}\"");
        let opens = |l: &&str| l.contains(&quoted) && l.contains('{');
        self.lines.iter().position(opens).or_else(|| self.lines.iter().position(|l| l.contains(&quoted)))
    }

    /// 1-based line of the string `"key"` at or after the section's line, else anywhere; else
    /// the section's line, else 1. A key written with escapes is not found as itself (a search
    /// for it as a substring would cost a scan of the text per key).
    pub(super) fn key_line(&self, section: Option<usize>, key: &str) -> usize {
        let found = self.strings.nearest(key, section.unwrap_or(0));
        found.or(section).map_or(1, |line| line + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_line(text: &str, path: &[&str], key: &str) -> usize {
        let index = TomlLines::new(text);
        index.key_line(&index.section(path), key)
    }

    #[test]
    fn line_numbers_of_offsets() {
        let text = "ab\ncd\n\nef";
        let lines = Lines::new(text);
        let got: Vec<usize> = (0..=text.len() + 2).map(|offset| lines.line(offset)).collect();
        assert_eq!(got, [1, 1, 1, 2, 2, 2, 3, 4, 4, 4, 4, 4]);
    }

    #[test]
    fn quoted_strings_keep_escapes_and_mix_quotes() {
        let line = r#"  "a\"b" = 'c"d', "e\\" "unterminated"#;
        assert_eq!(quoted_strings(line).collect::<Vec<_>>(), [r#"a\"b"#, r#"c"d"#, r"e\\", "unterminated"]);
        assert_eq!(quoted_strings("no strings").count(), 0);
        let words = toml_words(r#"libc = { version = "0.2", features = ["extra_traits"] } # 'x y'"#);
        assert_eq!(words, ["libc", "version", "0.2", "features", "extra_traits", "x y"]);
    }

    #[test]
    fn keys_in_their_tables() {
        let text = r#"[package]
name = "serde"

[dependencies]
serde = "1"
serde_json = { version = "1" }
"quoted" = "1"
'literal.dot' = "1"
dotted.workspace = true

[dev-dependencies]
serde = "1"
insta.version = "1"

[dependencies.tokio]
version = "1"

[target.'cfg(unix)'.dependencies]
libc = "0.2"
serde = "1"

[target.'cfg(target_os = "linux")'.dependencies]
serde = "1"

[target.'cfg(windows)'.dependencies.winapi]
version = "0.3"
"#;
        let deps = ["dependencies"];
        assert_eq!(key_line(text, &deps, "serde"), 5, "not the package name on line 2");
        assert_eq!(key_line(text, &deps, "serde_json"), 6);
        assert_eq!(key_line(text, &deps, "quoted"), 7);
        assert_eq!(key_line(text, &deps, "literal.dot"), 8);
        assert_eq!(key_line(text, &deps, "dotted"), 9);
        assert_eq!(key_line(text, &deps, "tokio"), 15, "a [dependencies.tokio] header");
        assert_eq!(key_line(text, &["dev-dependencies"], "serde"), 12, "the second table's own line");
        assert_eq!(key_line(text, &["dev-dependencies"], "insta"), 13);
        let unix = ["target", "cfg(unix)", "dependencies"];
        assert_eq!(key_line(text, &unix, "libc"), 19);
        assert_eq!(key_line(text, &unix, "serde"), 20);
        let linux = ["target", "cfg(target_os = \"linux\")", "dependencies"];
        assert_eq!(key_line(text, &linux, "serde"), 23, "quotes and spaces in the header are dropped");
        assert_eq!(key_line(text, &["target", "cfg(windows)", "dependencies"], "winapi"), 25);
        let index = TomlLines::new(text);
        assert_eq!(index.header("dependencies"), Some(3));
        assert_eq!(index.header("target.'cfg(unix)'.dependencies"), Some(17));
        assert_eq!(index.header("workspace"), None);
    }

    #[test]
    fn keys_without_a_line_of_their_own() {
        let text = r#"[package]
name = "x"
dependencies.anyhow = "1"

[target.'cfg(unix)']
dependencies = { libc = "0.2" }

[dev-dependencies]
"#;
        assert_eq!(key_line(text, &["dependencies"], "anyhow"), 3, "a dotted key in a parent table");
        let unix = ["target", "cfg(unix)", "dependencies"];
        assert_eq!(key_line(text, &unix, "libc"), 6, "an inline table");
        assert_eq!(key_line(text, &["dev-dependencies"], "gone"), 8, "the table's header line");
        assert_eq!(key_line(text, &["build-dependencies"], "gone"), 1);
        assert_eq!(key_line("", &["dependencies"], "a"), 1);
    }

    #[test]
    fn leading_keys_of_a_line() {
        let keys = |line| leading_keys(line).collect::<Vec<_>>();
        assert_eq!(keys("  serde = \"1\""), ["serde"]);
        assert_eq!(keys("serde.workspace = true"), ["serde"]);
        assert_eq!(keys("\"a.b\" = 1"), ["a", "a.b"]);
        assert_eq!(keys("'x y'.version = 1"), ["x", "x y"]);
        assert_eq!(keys("\"\" = 1"), [""]);
        assert_eq!(keys("\"serde\" = 1"), ["serde\"", "serde"]);
        assert_eq!(keys("'a\"b' = 1"), ["a\"b'", "a\"b"]);
        assert!(keys("serde").is_empty() && keys("\"serde\",").is_empty() && keys("").is_empty());
        assert!(keys("[dependencies]").is_empty());
    }

    #[test]
    fn json_keys_after_their_section() {
        let text = r#"{
  "scripts": {
    "dependencies": "npm ls",
    "react": "x"
  },
  "dependencies": {
    "react": "18",
    "a\"b": "1"
  },
  "devDependencies": { "react": "18" }
}"#;
        let index = JsonLines::new(text);
        let deps = index.section("dependencies");
        assert_eq!(deps, Some(5), "the object, not the script of the same name");
        assert_eq!(index.key_line(deps, "react"), 7);
        let dev = index.section("devDependencies");
        assert_eq!(index.key_line(dev, "react"), 10);
        assert_eq!(index.key_line(dev, "scripts"), 2, "else the first line anywhere");
        assert_eq!(index.key_line(deps, "a\"b"), 6, "escaped: the section's line");
        assert_eq!(index.key_line(index.section("peerDependencies"), "gone"), 1);
    }
}
