//! Reading TOML into typed values while keeping spans, so that every problem in a configuration or
//! rule file is reported at once, each pointing at the key or value it is about.
//!
//! A table can be read through *layers*: a rule's `[check]` table with the user's `[rules.<id>]`
//! options on top. A value comes from the first layer that has it, and a problem with it points at
//! the file it came from.

use crate::diag::{Problem, Problems, SourceFile, did_you_mean};
use serde::de::DeserializeOwned;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

pub type Table = DeTable<'static>;
pub type Value = Spanned<DeValue<'static>>;

/// Parses a whole file, reporting every syntax error it can recover from.
pub fn parse_document(file: &SourceFile, problems: &mut Problems) -> Option<Spanned<Table>> {
    let (table, errors) = DeTable::parse_recoverable(file.text);
    if errors.is_empty() {
        return Some(table);
    }
    for error in errors {
        let span = error.span().unwrap_or(0..0);
        problems.push(Problem::at(file, span, format!("invalid TOML: {}", error.message().trim()), "here"));
    }
    None
}

/// Deserialises one value, turning a serde error into a problem at the value's span.
pub fn value<T: DeserializeOwned>(file: &SourceFile, value: &Value, problems: &mut Problems) -> Option<Spanned<T>> {
    let span = value.span();
    match T::deserialize(ValueDeserializer::from(value.clone())) {
        Ok(parsed) => Some(Spanned::new(span, parsed)),
        Err(error) => {
            let at = error.span().unwrap_or_else(|| span.clone());
            problems.push(Problem::at(file, at, error.message().trim().to_string(), "here"));
            None
        }
    }
}

/// One table being read, with the file it came from.
#[derive(Clone, Copy)]
pub struct Layer<'a> {
    pub file: &'a SourceFile,
    pub table: &'a Table,
    pub span: (usize, usize),
    /// How the table is named in messages, e.g. "the rule" or "[check]".
    pub what: &'a str,
}

/// The keys of one table (and its override layers), read one at a time; keys never asked for are
/// reported as unknown, in whichever layer they appear.
pub struct Fields<'a> {
    layers: Vec<Layer<'a>>,
    known: Vec<&'static str>,
}

/// Where a value came from.
pub struct Found<'a> {
    pub file: &'a SourceFile,
    pub value: &'a Value,
}

impl<'a> Fields<'a> {
    pub fn new(file: &'a SourceFile, table: &'a Table, span: Range<usize>, what: &'a str) -> Self {
        Fields { layers: vec![Layer { file, table, span: (span.start, span.end), what }], known: Vec::new() }
    }

    /// Puts `layer` on top: its values win.
    pub fn with_override(mut self, layer: Layer<'a>) -> Self {
        self.layers.insert(0, layer);
        self
    }

    /// The bottom layer: the table this reading started from.
    fn base(&self) -> &Layer<'a> {
        self.layers.last().expect("Fields always has its base layer")
    }

    pub fn file(&self) -> &'a SourceFile {
        self.base().file
    }

    pub fn span(&self) -> Range<usize> {
        let (start, end) = self.base().span;
        start..end
    }

    /// The raw value of `key` from the topmost layer that has it, marking the key as known.
    pub fn raw(&mut self, key: &'static str) -> Option<Found<'a>> {
        if !self.known.contains(&key) {
            self.known.push(key);
        }
        self.layers.iter().find_map(|layer| {
            layer
                .table
                .iter()
                .find(|(k, _)| k.get_ref().as_ref() == key)
                .map(|(_, value)| Found { file: layer.file, value })
        })
    }

    /// An optional key.
    pub fn get<T: DeserializeOwned>(&mut self, key: &'static str, problems: &mut Problems) -> Option<Spanned<T>> {
        let found = self.raw(key)?;
        value(found.file, found.value, problems)
    }

    /// An optional number, which must be finite: TOML's `nan` and `inf` compare false with
    /// everything, so a threshold of either would silently judge nothing.
    pub fn number(&mut self, key: &'static str, problems: &mut Problems) -> Option<Spanned<f64>> {
        let found = self.raw(key)?;
        let number: Spanned<f64> = value(found.file, found.value, problems)?;
        if !number.get_ref().is_finite() {
            problems.push(Problem::at(found.file, number.span(), format!("`{key}` must be a finite number"), "here"));
            return None;
        }
        Some(number)
    }

    /// An optional key, with the file its value came from (for later problems about the value).
    pub fn get_with_file<T: DeserializeOwned>(
        &mut self,
        key: &'static str,
        problems: &mut Problems,
    ) -> Option<(&'a SourceFile, Spanned<T>)> {
        let found = self.raw(key)?;
        value(found.file, found.value, problems).map(|parsed| (found.file, parsed))
    }

    /// A key that must be present.
    pub fn required<T: DeserializeOwned>(&mut self, key: &'static str, problems: &mut Problems) -> Option<Spanned<T>> {
        if self.raw(key).is_none() {
            self.missing(key, problems);
            return None;
        }
        self.get(key, problems)
    }

    /// Reports that a check needs `key`, pointing at the start of the table.
    pub fn missing(&self, key: &str, problems: &mut Problems) {
        let base = *self.base();
        problems.push(Problem::at(
            base.file,
            base.span.0..base.span.0,
            format!("{} needs `{key}`", base.what),
            "in this table",
        ));
    }

    /// An array of tables (`[[check.sections]]`), each read by `read`; `None` when any is invalid,
    /// after every one has been read so that all their problems are reported.
    pub fn tables<T>(
        &mut self,
        key: &'static str,
        what: &'a str,
        problems: &mut Problems,
        mut read: impl FnMut(Fields<'a>, &'a SourceFile, &mut Problems) -> Option<T>,
    ) -> Option<Vec<T>> {
        let Some(found) = self.raw(key) else { return Some(Vec::new()) };
        let DeValue::Array(items) = found.value.get_ref() else {
            problems.push(Problem::at(
                found.file,
                found.value.span(),
                format!("`{key}` must be an array of tables"),
                format!("expected [[check.{key}]]"),
            ));
            return None;
        };
        let mut all = Vec::new();
        let mut ok = true;
        for item in items.iter() {
            match as_table(found.file, item, key, what, problems).and_then(|fields| read(fields, found.file, problems))
            {
                Some(value) => all.push(value),
                None => ok = false,
            }
        }
        ok.then_some(all)
    }

    /// A sub-table of the base layer, as fields of its own.
    pub fn table(&mut self, key: &'static str, what: &'a str, problems: &mut Problems) -> Option<Fields<'a>> {
        let found = self.raw(key)?;
        as_table(found.file, found.value, key, what, problems)
    }

    /// Reports every key that no `get`, `required`, `raw` or `table` call asked for.
    pub fn finish(self, problems: &mut Problems) {
        for layer in &self.layers {
            for (key, _) in layer.table.iter() {
                let name = key.get_ref().as_ref();
                if self.known.contains(&name) {
                    continue;
                }
                let help = match did_you_mean(name, self.known.iter().copied()) {
                    Some(suggestion) => suggestion,
                    None => format!("known keys: {}", self.known.join(", ")),
                };
                problems.push(
                    Problem::at(
                        layer.file,
                        key.span(),
                        format!("unknown key `{name}` in {}", layer.what),
                        "not a known key",
                    )
                    .with_help(help),
                );
            }
        }
    }
}

/// Reads a value that must be a table.
pub fn as_table<'a>(
    file: &'a SourceFile,
    value: &'a Value,
    key: &str,
    what: &'a str,
    problems: &mut Problems,
) -> Option<Fields<'a>> {
    match value.get_ref() {
        DeValue::Table(table) => Some(Fields::new(file, table, value.span(), what)),
        other => {
            problems.push(Problem::at(
                file,
                value.span(),
                format!("`{key}` must be a table, found {}", other.type_str()),
                "expected a table",
            ));
            None
        }
    }
}

/// Converts a 1-based line and column into a byte offset, for errors from parsers that report lines.
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    let rest = &text[line_start.min(text.len())..];
    let column_offset: usize = rest.chars().take(column.saturating_sub(1)).map(char::len_utf8).sum();
    (line_start + column_offset).min(text.len())
}
