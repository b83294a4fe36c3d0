//! A primitive's `[check]` table as written: a typed struct, one field per key, read key by key
//! with spans and then compiled into the check (cargo-deny's `cfg.rs` → `ValidConfig` is the model).
//!
//! A configuration struct is declared with [`config!`]: each field names its key, whether it is
//! required, its type and, in its doc comment, what it means. The same declaration reads the table
//! (in the order the fields are written, so that problems are reported in that order), reports keys
//! nobody asked for as unknown, and documents the keys ([`Key`]), so that the documentation cannot
//! drift from what is read.
//!
//! A value is validated as it is read ([`FromKey`]): a glob or a regex that does not compile is a
//! problem at its span, whichever file (the rule, or the user's `[rules.<id>]`) it came from. What
//! needs several keys at once is the primitive's `compile`.

use super::Expect;
use crate::diag::{Problem, Problems, SourceFile};
use crate::pattern::{self, Globs, Pattern};
use crate::spanned::{Fields, value};
use crate::syntax::Lang;
use std::collections::BTreeMap;
use toml::Spanned;
use toml::de::DeValue;

/// One key of a configuration, for its documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub name: &'static str,
    /// What it holds: "globs", "regex", "boolean", ...
    pub shape: &'static str,
    pub required: bool,
    /// What it means, from the field's doc comment.
    pub doc: &'static str,
}

impl Key {
    /// Its doc comment on one line.
    pub fn meaning(&self) -> String {
        self.doc.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// The Markdown table of a primitive's keys, as `docs/checks.md` shows it.
pub fn key_table(keys: &[Key]) -> String {
    let mut table = String::from("| key | value | meaning |\n|---|---|---|\n");
    for key in keys {
        let required = if key.required { " (required)" } else { "" };
        let cell = |text: &str| text.replace('|', "\\|");
        table.push_str(&format!("| `{}`{required} | {} | {} |\n", key.name, cell(key.shape), cell(&key.meaning())));
    }
    table
}

/// What reading one key gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Read<T> {
    /// The key is not in the table (a required one has been reported missing).
    Absent,
    /// The key is there but its value is not valid; the problem has been reported.
    Invalid,
    Value(T),
}

impl<T> Read<T> {
    /// The value; `None` when absent or invalid (a required key, or an optional one whose
    /// invalid value must not silently fall back to its default).
    pub fn value(self) -> Option<T> {
        match self {
            Read::Value(value) => Some(value),
            Read::Absent | Read::Invalid => None,
        }
    }

    /// The value or `default` when absent; `None` when invalid.
    pub fn or(self, default: T) -> Option<T> {
        match self {
            Read::Value(value) => Some(value),
            Read::Absent => Some(default),
            Read::Invalid => None,
        }
    }

    /// The value, or `default` when absent or invalid (its problem is reported either way).
    pub fn or_lenient(self, default: T) -> T {
        match self {
            Read::Value(value) => value,
            Read::Absent | Read::Invalid => default,
        }
    }

    /// Like [`Read::or_lenient`], with a default made only when needed.
    pub fn or_lenient_with(self, default: impl FnOnce() -> T) -> T {
        match self {
            Read::Value(value) => value,
            Read::Absent | Read::Invalid => default(),
        }
    }

    pub fn is_absent(&self) -> bool {
        matches!(self, Read::Absent)
    }

    fn from_option(option: Option<T>) -> Read<T> {
        option.map_or(Read::Invalid, Read::Value)
    }
}

/// A type a key's value can be read as, validated as it is read.
pub trait FromKey: Sized {
    /// What the value looks like, for the documentation.
    const SHAPE: &'static str;

    /// Reads `key` from the top layer of `fields` that has it.
    fn from_key(fields: &mut Fields<'_>, key: &'static str, problems: &mut Problems) -> Read<Self>;
}

/// Reads one key; a required key that is absent is reported missing.
pub fn read_key<T: FromKey>(
    fields: &mut Fields<'_>,
    key: &'static str,
    required: bool,
    problems: &mut Problems,
) -> Read<T> {
    let read = T::from_key(fields, key, problems);
    if required && read.is_absent() {
        fields.missing(key, problems);
    }
    read
}

/// A configuration struct declared with [`config!`].
pub trait Config: Sized {
    /// Its keys, in the order they are read.
    const KEYS: &'static [Key];

    /// Reads every key, reporting each problem at its span.
    fn read(fields: &mut Fields<'_>, problems: &mut Problems) -> Self;
}

/// Declares a configuration struct: each field is `key: Type` after its doc comment, with
/// `required` in front when the table must have it. Fields are read in the order written.
macro_rules! config {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            $(
                $(#[doc = $field_doc:literal])*
                $($required:ident)? $key:literal => $field:ident : $ty:ty,
            )*
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug)]
        pub struct $name {
            $(
                $(#[doc = $field_doc])*
                pub $field: $crate::check::config::Read<$ty>,
            )*
        }

        impl $crate::check::config::Config for $name {
            const KEYS: &'static [$crate::check::config::Key] = &[$(
                $crate::check::config::Key {
                    name: $key,
                    shape: <$ty as $crate::check::config::FromKey>::SHAPE,
                    required: config!(@required $($required)?),
                    doc: concat!($($field_doc, "\n"),*),
                },
            )*];

            fn read(
                fields: &mut $crate::spanned::Fields<'_>,
                problems: &mut $crate::diag::Problems,
            ) -> Self {
                $name {
                    $(
                        $field: $crate::check::config::read_key::<$ty>(
                            fields,
                            $key,
                            config!(@required $($required)?),
                            problems,
                        ),
                    )*
                }
            }
        }
    };
    (@required required) => { true };
    (@required) => { false };
}
pub(crate) use config;

/// Keys serde reads as they are.
macro_rules! typed_keys {
    ($($type:ty => $shape:literal),* $(,)?) => {$(
        impl FromKey for $type {
            const SHAPE: &'static str = $shape;

            fn from_key(fields: &mut Fields<'_>, key: &'static str, problems: &mut Problems) -> Read<Self> {
                typed(fields, key, problems)
            }
        }
    )*};
}

typed_keys! { bool => "boolean", usize => "integer", u32 => "integer", String => "string" }

impl FromKey for Vec<String> {
    const SHAPE: &'static str = "list of strings";

    fn from_key(fields: &mut Fields<'_>, key: &'static str, problems: &mut Problems) -> Read<Self> {
        typed(fields, key, problems)
    }
}

/// Any value serde can read, with its span and the file it came from.
pub fn with_file<'a, T: serde::de::DeserializeOwned>(
    fields: &mut Fields<'a>,
    key: &'static str,
    problems: &mut Problems,
) -> Read<(&'a SourceFile, Spanned<T>)> {
    let Some(found) = fields.raw(key) else { return Read::Absent };
    Read::from_option(value::<T>(found.file, found.value, problems).map(|parsed| (found.file, parsed)))
}

/// The value of a [`Read`], or returns the key's absence or invalidity from the enclosing `from_key`.
macro_rules! read {
    ($read:expr) => {
        match $read {
            $crate::check::config::Read::Value(value) => value,
            $crate::check::config::Read::Absent => return $crate::check::config::Read::Absent,
            $crate::check::config::Read::Invalid => return $crate::check::config::Read::Invalid,
        }
    };
}
pub(crate) use read;

/// Any value serde can read, without its span.
fn typed<T: serde::de::DeserializeOwned>(
    fields: &mut Fields<'_>,
    key: &'static str,
    problems: &mut Problems,
) -> Read<T> {
    let Some(found) = fields.raw(key) else { return Read::Absent };
    Read::from_option(value::<T>(found.file, found.value, problems).map(Spanned::into_inner))
}

/// A value with its span, for a check that validates it later.
impl<T: serde::de::DeserializeOwned + Shape> FromKey for Spanned<T> {
    const SHAPE: &'static str = T::SHAPE;

    fn from_key(fields: &mut Fields<'_>, key: &'static str, problems: &mut Problems) -> Read<Self> {
        let Some(found) = fields.raw(key) else { return Read::Absent };
        Read::from_option(value::<T>(found.file, found.value, problems))
    }
}

/// How a type read with its span or file reads in the documentation.
pub trait Shape {
    const SHAPE: &'static str;
}

impl Shape for String {
    const SHAPE: &'static str = "string";
}

impl Shape for Vec<Spanned<String>> {
    const SHAPE: &'static str = "list of strings";
}

/// An array of tables (`[[check.sections]]`), each read as its own configuration.
#[derive(Debug)]
pub struct Tables<T>(pub Vec<T>);

/// What an array of tables holds: its own keys, compiled once its table is read.
pub trait FromTable: Sized {
    /// How one table is named in messages: "a section".
    const WHAT: &'static str;
    type Config: Config;

    /// Compiles one table; `file` is the file it came from.
    fn compile(config: Self::Config, file: &SourceFile, problems: &mut Problems) -> Option<Self>;
}

impl<T: FromTable> FromKey for Tables<T> {
    const SHAPE: &'static str = "array of tables";

    /// Every table is read, so that all their problems are reported; any invalid one makes the
    /// whole array invalid.
    fn from_key(fields: &mut Fields<'_>, key: &'static str, problems: &mut Problems) -> Read<Self> {
        if fields.raw(key).is_none() {
            return Read::Absent;
        }
        let all = fields.tables(key, T::WHAT, problems, |mut table, file, problems| {
            let config = T::Config::read(&mut table, problems);
            table.finish(problems);
            T::compile(config, file, problems)
        });
        Read::from_option(all.map(Tables))
    }
}

/// A finite number: TOML's `nan` and `inf` compare false with everything, so a threshold of either
/// would silently judge nothing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Finite(pub f64);

impl FromKey for Finite {
    const SHAPE: &'static str = "number";

    fn from_key(fields: &mut Fields<'_>, key: &'static str, problems: &mut Problems) -> Read<Self> {
        if fields.raw(key).is_none() {
            return Read::Absent;
        }
        Read::from_option(fields.number(key, problems).map(|number| Finite(number.into_inner())))
    }
}

/// A list of globs (a single string is accepted too), compiled.
impl FromKey for Globs {
    const SHAPE: &'static str = "globs";

    fn from_key(fields: &mut Fields<'_>, key: &'static str, problems: &mut Problems) -> Read<Self> {
        let Some(found) = fields.raw(key) else { return Read::Absent };
        Read::from_option(
            string_list(found.file, found.value, problems)
                .and_then(|items| Globs::compile(found.file, &items, problems)),
        )
    }
}

/// A regex, checked.
impl FromKey for Pattern {
    const SHAPE: &'static str = "regex";

    fn from_key(fields: &mut Fields<'_>, key: &'static str, problems: &mut Problems) -> Read<Self> {
        let (file, text) = read!(with_file::<String>(fields, key, problems));
        Read::from_option(pattern::regex(file, &text, problems))
    }
}

/// Regexes: one string or a list, each checked; one that does not compile makes the key invalid.
#[derive(Debug, Default)]
pub struct Regexes(pub Vec<Pattern>);

impl FromKey for Regexes {
    const SHAPE: &'static str = "regexes";

    fn from_key(fields: &mut Fields<'_>, key: &'static str, problems: &mut Problems) -> Read<Self> {
        let Some(found) = fields.raw(key) else { return Read::Absent };
        let Some(items) = string_list(found.file, found.value, problems) else { return Read::Invalid };
        let compiled: Vec<Pattern> =
            items.iter().filter_map(|item| pattern::regex(found.file, item, problems)).collect();
        if compiled.len() == items.len() { Read::Value(Regexes(compiled)) } else { Read::Invalid }
    }
}

/// A table of language = regex (`exported`, `implement-context`).
#[derive(Debug, Default)]
pub struct LangRegexes(pub Vec<(Lang, Pattern)>);

impl FromKey for LangRegexes {
    const SHAPE: &'static str = "table of language = regex";

    fn from_key(fields: &mut Fields<'_>, key: &'static str, problems: &mut Problems) -> Read<Self> {
        let (file, table) = read!(with_file::<BTreeMap<Spanned<String>, Spanned<String>>>(fields, key, problems));
        let (entries, mut ok) = languages(file, table.into_inner(), problems);
        let mut all = Vec::new();
        for (lang, _, text) in entries {
            match pattern::regex(file, &text, problems) {
                Some(pattern) => all.push((lang, pattern)),
                None => ok = false,
            }
        }
        if ok { Read::Value(LangRegexes(all)) } else { Read::Invalid }
    }
}

/// A table of language = list of words (`define-words`).
#[derive(Debug, Default)]
pub struct LangWords(pub Vec<(Lang, Vec<String>)>);

impl FromKey for LangWords {
    const SHAPE: &'static str = "table of language = list of words";

    fn from_key(fields: &mut Fields<'_>, key: &'static str, problems: &mut Problems) -> Read<Self> {
        let (file, table) = read!(with_file::<BTreeMap<Spanned<String>, Vec<String>>>(fields, key, problems));
        let (entries, ok) = languages(file, table.into_inner(), problems);
        let all = entries.into_iter().map(|(lang, _, words)| (lang, words)).collect();
        if ok { Read::Value(LangWords(all)) } else { Read::Invalid }
    }
}

/// A per-language table's entries: each key's language and span with its value; an unknown
/// language is reported at its key and left out (the `bool` says whether every key was known).
pub fn languages<V>(
    file: &SourceFile,
    table: BTreeMap<Spanned<String>, V>,
    problems: &mut Problems,
) -> (Vec<(Lang, std::ops::Range<usize>, V)>, bool) {
    let mut entries = Vec::new();
    let mut ok = true;
    for (key, value) in table {
        match language(file, &key, problems) {
            Some(lang) => entries.push((lang, key.span(), value)),
            None => ok = false,
        }
    }
    (entries, ok)
}

/// The language a per-language table's key names; an unknown one is reported at the key.
pub fn language(file: &SourceFile, key: &Spanned<String>, problems: &mut Problems) -> Option<Lang> {
    let parsed = Lang::parse(key.get_ref());
    if parsed.is_none() {
        let names = Lang::ALL.map(Lang::name);
        problems.push(crate::diag::unknown(file, key.span(), "language", key.get_ref(), names));
    }
    parsed
}

/// A table of capture = regex (`unless`).
#[derive(Debug, Default)]
pub struct CaptureRegexes(pub Vec<(String, Pattern)>);

impl FromKey for CaptureRegexes {
    const SHAPE: &'static str = "table of capture = regex";

    fn from_key(fields: &mut Fields<'_>, key: &'static str, problems: &mut Problems) -> Read<Self> {
        let (file, table) = read!(with_file::<BTreeMap<String, Spanned<String>>>(fields, key, problems));
        let mut all = Vec::new();
        let mut ok = true;
        for (capture, text) in table.into_inner() {
            match pattern::regex(file, &text, problems) {
                Some(compiled) => all.push((capture, compiled)),
                None => ok = false,
            }
        }
        if ok { Read::Value(CaptureRegexes(all)) } else { Read::Invalid }
    }
}

/// `expect = "present" | "absent"`.
impl FromKey for Expect {
    const SHAPE: &'static str = "\"present\" or \"absent\"";

    fn from_key(fields: &mut Fields<'_>, key: &'static str, problems: &mut Problems) -> Read<Self> {
        let words = [("present", Expect::Present), ("absent", Expect::Absent)];
        word(fields, key, problems, &words, not_one_of("expect", Self::SHAPE))
    }
}

/// A key whose value is one word of a few, each with what it reads as; a word not among them is
/// reported by `problem` (given the file, the word's span and the word).
pub fn word<T: Copy>(
    fields: &mut Fields<'_>,
    key: &'static str,
    problems: &mut Problems,
    words: &[(&str, T)],
    problem: impl FnOnce(&SourceFile, std::ops::Range<usize>, &str) -> Problem,
) -> Read<T> {
    let (file, text) = read!(with_file::<String>(fields, key, problems));
    match words.iter().find(|(word, _)| *word == text.get_ref()) {
        Some((_, value)) => Read::Value(*value),
        None => {
            problems.push(problem(file, text.span(), text.get_ref()));
            Read::Invalid
        }
    }
}

/// The problem for a word that is not one of `said` (`"present" or "absent"`), at its span.
pub fn not_one_of(key: &str, said: &str) -> impl FnOnce(&SourceFile, std::ops::Range<usize>, &str) -> Problem {
    move |file, span, other| Problem::at(file, span, format!("`{key}` must be {said}, found \"{other}\""), "here")
}

/// A string or a list of strings, each with its span.
pub fn string_list(
    file: &SourceFile,
    found: &crate::spanned::Value,
    problems: &mut Problems,
) -> Option<Vec<Spanned<String>>> {
    if let DeValue::String(text) = found.get_ref() {
        return Some(vec![Spanned::new(found.span(), text.to_string())]);
    }
    value::<Vec<Spanned<String>>>(file, found, problems).map(Spanned::into_inner)
}
