//! `proportion`: files of one kind (infrastructure, say) out of proportion to the source files.

use super::{Count, FileCtx, Key, Pre, Primitive, ScanCx, globs, regex};
use crate::diag::Problems;
use crate::facts::Facts;
use crate::finding::Hit;
use crate::pattern::Globs;
use crate::pattern::Pattern;
use crate::spanned::Fields;
use toml::Spanned;

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

impl Primitive for ProportionCheck {
    const KIND: &'static str = "proportion";
    const KEYS: &'static [Key] = &[
        Key::required("files", "globs"),
        Key::optional("pattern", "regex"),
        Key::optional("min-files", "integer"),
        Key::optional("max-ratio", "number"),
        Key::optional("label", "string"),
    ];
    type Acc = Count;

    fn compile(fields: &mut Fields<'_>, problems: &mut Problems) -> Option<ProportionCheck> {
        let files = globs(fields, "files", true, problems);
        let pattern = regex(fields, "pattern", problems);
        let min_files = fields.get::<usize>("min-files", problems).map_or(1, Spanned::into_inner);
        let max_ratio = fields.number("max-ratio", problems).map_or(1.0, Spanned::into_inner);
        let label =
            fields.get::<String>("label", problems).map_or_else(|| "matching files".to_string(), Spanned::into_inner);
        Some(ProportionCheck { files: files?, pattern: pattern?, min_files, max_ratio, label })
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
