//! Helpers shared by the parsers: positions, TOML/JSON access, line lookup, regexes and XML tags.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value as Json;
use toml::{Table, Value as Toml};

use super::ManifestError;

pub(super) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() + 1
}

fn position_of(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line_of(text, end), before[line_start..].chars().count() + 1)
}

pub(super) fn parse_toml(text: &str) -> Result<Table, ManifestError> {
    toml::from_str::<Table>(text).map_err(|e| {
        let pos = e.span().map(|s| position_of(text, s.start));
        ManifestError {
            message: format!("invalid TOML: {}", e.message().trim()),
            line: pos.map(|p| p.0),
            column: pos.map(|p| p.1),
        }
    })
}

pub(super) fn parse_json(text: &str) -> Result<Json, ManifestError> {
    serde_json::from_str(text).map_err(|e| ManifestError {
        // serde_json appends " at line L column C"; the position has its own fields.
        message: format!("invalid JSON: {}", e.to_string().split(" at line ").next().unwrap_or_default()),
        line: Some(e.line()).filter(|&l| l > 0),
        column: Some(e.column()).filter(|&c| c > 0),
    })
}

pub(super) fn toml_at<'a>(table: &'a Table, path: &[&str]) -> Option<&'a Toml> {
    let (first, rest) = path.split_first()?;
    rest.iter().try_fold(table.get(*first)?, |v, k| v.as_table()?.get(*k))
}

pub(super) fn table_at<'a>(table: &'a Table, path: &[&str]) -> Option<&'a Table> {
    toml_at(table, path)?.as_table()
}

pub(super) fn str_at<'a>(table: &'a Table, path: &[&str]) -> Option<&'a str> {
    toml_at(table, path)?.as_str()
}

pub(super) fn toml_strings(value: Option<&Toml>) -> impl Iterator<Item = &str> {
    value.and_then(Toml::as_array).into_iter().flatten().filter_map(Toml::as_str)
}

/// Header path of a `[table]` / `[[array]]` line with quotes and spaces dropped.
fn toml_header(line: &str) -> Option<String> {
    let t = line.trim();
    let t = t.split_once('#').map_or(t, |(h, _)| h).trim_end();
    if !t.starts_with('[') || !t.ends_with(']') {
        return None;
    }
    let inner = t.trim_matches(['[', ']']);
    Some(inner.chars().filter(|c| !c.is_whitespace() && *c != '"' && *c != '\'').collect())
}

pub(super) fn header_index(lines: &[&str], section: &str) -> Option<usize> {
    lines.iter().position(|l| toml_header(l).as_deref() == Some(section))
}

/// A dependency value of a sensible type: a version string, a table or a list of constraints.
pub(super) fn is_spec(value: &Toml) -> bool {
    matches!(value, Toml::String(_) | Toml::Table(_) | Toml::Array(_))
}

/// Line of `key` inside the TOML table at `section` (or a `[section.key]` header).
pub(super) fn toml_key_line(lines: &[&str], section: &[&str], key: &str) -> usize {
    let sec = section.join(".");
    let full = format!("{sec}.{key}");
    let start = header_index(lines, &sec);
    for (i, line) in lines.iter().enumerate().skip(start.unwrap_or(0)) {
        if toml_header(line).as_deref() == Some(full.as_str()) {
            return i + 1;
        }
        let t = line.trim_start().trim_start_matches(['"', '\'']);
        if let Some(rest) = t.strip_prefix(key) {
            let rest = rest.trim_start_matches(['"', '\'']);
            if rest.starts_with(|c: char| c.is_whitespace() || c == '=' || c == '.') {
                return i + 1;
            }
        }
    }
    text_line(lines, start.unwrap_or(0), key)
}

/// First line at or after `start` (0-based) containing `needle`, else anywhere, else 1.
pub(super) fn text_line(lines: &[&str], start: usize, needle: &str) -> usize {
    let hit = |i: &usize| lines.get(*i).is_some_and(|l| l.contains(needle));
    (start..lines.len()).find(hit).or_else(|| (0..lines.len()).find(hit)).map_or(1, |i| i + 1)
}

/// Line of `"key"` after the `"section"` object opens (a script may share the section's name).
pub(super) fn json_key_line(lines: &[&str], section: &str, key: &str) -> usize {
    let quoted = format!("\"{section}\"");
    let opens = |l: &&str| l.contains(&quoted) && l.contains('{');
    let start = lines.iter().position(opens).or_else(|| lines.iter().position(|l| l.contains(&quoted)));
    text_line(lines, start.unwrap_or(0), &format!("\"{key}\""))
}

pub(super) fn json_keys<'a>(doc: &'a Json, key: &str) -> impl Iterator<Item = (&'a String, &'a Json)> {
    doc.get(key).and_then(Json::as_object).into_iter().flatten()
}

pub(super) fn json_strings(value: Option<&Json>) -> impl Iterator<Item = &str> {
    value.and_then(Json::as_array).into_iter().flatten().filter_map(Json::as_str)
}

/// Replaces everything between `open` and `close` with spaces, keeping newlines (and thus line numbers).
pub(super) fn blank_comments(text: &str, open: &str, close: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(open) {
        out.push_str(&rest[..start]);
        let after = &rest[start + open.len()..];
        let end = after.find(close).map_or(rest.len(), |e| start + open.len() + e + close.len());
        out.extend(rest[start..end].chars().map(|c| if c == '\n' { '\n' } else { ' ' }));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

pub(super) fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("literal regex compiles")
}

/// Declares lazily compiled regex statics: `regexes! { NAME = pattern; pub(super) OTHER = pattern; }`.
macro_rules! regexes {
    ($($vis:vis $name:ident = $pattern:expr;)+) => {
        $($vis static $name: LazyLock<Regex> = LazyLock::new(|| regex(&$pattern));)+
    };
}
pub(super) use regexes;

pub(super) fn first_capture<'a>(re: &Regex, text: &'a str) -> Option<&'a str> {
    Some(re.captures(text)?.get(1)?.as_str())
}

pub(super) fn start_of(caps: &regex::Captures<'_>) -> usize {
    caps.get(0).map_or(0, |g| g.start())
}

pub(super) fn toml_entries<'a>(doc: &'a Table, path: &[&str]) -> impl Iterator<Item = (&'a String, &'a Toml)> {
    table_at(doc, path).into_iter().flatten()
}

pub(super) fn xml_tag<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&format!("</{tag}>"))? + start;
    Some(xml[start..end].trim())
}

// A single- or double-quoted string on one line; setup.py, gemspec and Gradle settings read lists of them.
regexes! {
    pub(super) QUOTED_RE = r#"["']([^"'\n]+)["']"#;
}

#[cfg(test)]
mod tests {
    use super::super::parse;

    #[test]
    fn malformed_toml_and_json_report_positions() {
        let err = parse("Cargo.toml", "[package]\nname = \"x\"\nversion = \n").unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        assert!(err.column.is_some());
        assert!(err.to_string().contains("line 3"));
        let json = "{\n  \"name\": \"x\",\n  \"dependencies\": {,}\n}";
        let err = parse("package.json", json).unwrap_err();
        assert_eq!((err.line, err.column), (Some(3), Some(20)), "{err}");
        assert!(!err.message.contains("line"));
        assert!(parse("pyproject.toml", "[project\n").is_err());
        assert!(parse("composer.json", "").is_err());
    }
}
