//! Helpers shared by the parsers: TOML/JSON access, regexes and XML tags (line lookup is in `lines`).

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value as Json;
use toml::{Table, Value as Toml};

use super::ManifestError;
use crate::facts::text::LineIndex;

pub(super) fn parse_toml(text: &str) -> Result<Table, ManifestError> {
    toml::from_str::<Table>(text).map_err(|e| {
        let pos = e.span().map(|s| LineIndex::new(text).position(text, s.start));
        ManifestError {
            message: format!("invalid TOML: {}", e.message().trim()),
            line: pos.map(|p| p.line),
            column: pos.map(|p| p.column),
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

/// A dependency value of a sensible type: a version string, a table or a list of constraints.
pub(super) fn is_spec(value: &Toml) -> bool {
    matches!(value, Toml::String(_) | Toml::Table(_) | Toml::Array(_))
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
