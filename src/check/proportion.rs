//! `proportion`: files of one kind (infrastructure, say) out of proportion to the source files.

use super::config::{Finite, Read, config};
use super::{Count, FileCtx, Pre, Primitive, ScanCx};
use crate::diag::Problems;
use crate::facts::Facts;
use crate::finding::Hit;
use crate::pattern::Globs;
use crate::pattern::Pattern;
use crate::spanned::Fields;

#[derive(Debug)]
pub struct ProportionCheck {
    files: Globs,
    /// When set, a selected file counts only if its text matches (a YAML file is a Kubernetes
    /// manifest only if it has `apiVersion:` and `kind:`).
    pattern: Option<Pattern>,
    /// Below this many files there is nothing out of proportion.
    min_files: usize,
    /// A finding when the files outnumber source files by more than this ratio.
    max_ratio: f64,
    /// What the files are, in the message: "infrastructure files".
    label: String,
}

config! {
    /// The `[check]` table of `proportion`: files of one kind out of proportion to the source files.
    pub struct ProportionConfig {
        /// The files to count.
        required "files" => files: Globs,
        /// A file counts only when its text matches.
        "pattern" => pattern: Pattern,
        /// No finding below this many files (default 1).
        "min-files" => min_files: usize,
        /// A finding when files > ratio × source files (default 1.0).
        "max-ratio" => max_ratio: Finite,
        /// What the files are, in the message (default "matching files").
        "label" => label: String,
    }
}

impl Primitive for ProportionCheck {
    const KIND: &'static str = "proportion";
    type Config = ProportionConfig;
    type Acc = Count;

    fn compile(config: ProportionConfig, _: &Fields<'_>, _: &mut Problems) -> Option<ProportionCheck> {
        Some(ProportionCheck {
            files: config.files.value()?,
            pattern: match config.pattern {
                Read::Value(pattern) => Some(pattern),
                Read::Absent => None,
                Read::Invalid => return None,
            },
            min_files: config.min_files.or_lenient(1),
            max_ratio: config.max_ratio.or_lenient(Finite(1.0)).0,
            label: config.label.or_lenient_with(|| "matching files".to_string()),
        })
    }

    fn repository_level(&self) -> bool {
        true
    }

    fn selects(&self, path: &str) -> bool {
        self.pattern.is_some() && self.files.is_match(path)
    }

    fn pre(&self, facts: &Facts) -> Pre {
        if self.pattern.is_some() {
            let any = facts.tree().files_matching(&self.files).next().is_some();
            return if any { Pre::Scan } else { Pre::Done(Vec::new()) };
        }
        let count = facts.tree().files_matching(&self.files).count();
        Pre::Done(self.judge(facts, count))
    }

    fn scan(&self, file: &FileCtx<'_>, _: &ScanCx<'_>, out: &mut Count) {
        if self.pattern.as_ref().is_some_and(|pattern| pattern.is_match(file.text)) {
            out.0 += 1;
        }
    }

    fn post(&self, facts: &Facts, out: Count) -> Vec<Hit> {
        self.judge(facts, out.0)
    }
}

impl ProportionCheck {
    fn judge(&self, facts: &Facts, count: usize) -> Vec<Hit> {
        let sources = facts.source_file_count();
        #[allow(clippy::cast_precision_loss, reason = "file counts are far below 2^52")]
        let out_of_proportion = count >= self.min_files && count as f64 > self.max_ratio * sources as f64;
        if !out_of_proportion {
            return Vec::new();
        }
        let first = facts.tree().files_matching(&self.files).next().map(str::to_string);
        let hit =
            Hit::repository(format!("{count} {} for {sources} source files", self.label)).with_key(self.label.clone());
        vec![match first {
            Some(path) => hit.anchored(path),
            None => hit,
        }]
    }
}
