//! apelint: a fast linter for product-engineering health.
//!
//! Data flow: the [`cli`] parses arguments into settings; the [`pipeline`] validates [`config`] and
//! [`rule`] files into rules and selects them; [`facts`] about the repository are computed lazily
//! and shared; the [`engine`] runs each rule's [`check`] over the facts into [`finding`]s; the
//! pipeline finishes them into a run, and [`report`]ers turn the run into text.

pub mod baseline;
pub mod boundary;
pub mod check;
pub mod cli;
pub mod config;
pub mod date;
pub mod diag;
pub mod docs;
pub mod engine;
pub mod escape;
pub mod facts;
pub mod finding;
pub mod group;
pub mod markdown;
pub mod paths;
pub mod pattern;
pub mod pipeline;
pub mod report;
pub mod rule;
pub mod snippet;
pub mod spanned;
pub mod suppress;
pub mod syntax;
