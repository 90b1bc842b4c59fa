//! Baselines: `--write-baseline FILE` records the current diagnostics; `--baseline FILE`
//! reports only the ones not recorded. Entries match by path, rule and the offending
//! text (white space collapsed), counted, so they survive lines moving around them.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use citelint::Diagnostic;

#[derive(Serialize, Deserialize)]
struct BaselineFile {
    version: u32,
    entries: Vec<Entry>,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    path: String,
    rule: String,
    text: String,
    count: usize,
}

type Key = (String, String, String);

/// Recorded diagnostics, by (path, rule, offending text), with how many of each.
#[derive(Default)]
pub struct Baseline {
    counts: BTreeMap<Key, usize>,
}

/// Paths are recorded without a leading `./`, with `/` separators.
fn normal_path(path: &str) -> String {
    path.trim_start_matches("./").replace('\\', "/")
}

fn key(path: &str, d: &Diagnostic) -> Key {
    (normal_path(path), d.rule.clone(), d.excerpt.clone())
}

impl Baseline {
    /// Reads a baseline file.
    pub fn read(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: cannot read baseline: {e}", path.display()))?;
        let file: BaselineFile = serde_json::from_str(&text).map_err(|e| {
            format!(
                "{}:{}:{}: not a citelint baseline: {e}",
                path.display(),
                e.line(),
                e.column()
            )
        })?;
        if file.version != 1 {
            return Err(format!(
                "{}: unsupported baseline version {}",
                path.display(),
                file.version
            ));
        }
        let mut baseline = Baseline::default();
        for entry in file.entries {
            *baseline
                .counts
                .entry((normal_path(&entry.path), entry.rule, entry.text))
                .or_default() += entry.count;
        }
        Ok(baseline)
    }

    /// Records `diagnostics` of `path`.
    pub fn record(&mut self, path: &str, diagnostics: &[Diagnostic]) {
        for d in diagnostics {
            *self.counts.entry(key(path, d)).or_default() += 1;
        }
    }

    /// Drops the diagnostics of `path` the baseline still has room for.
    pub fn filter(&mut self, path: &str, diagnostics: &mut Vec<Diagnostic>) {
        diagnostics.retain(|d| match self.counts.get_mut(&key(path, d)) {
            Some(count) if *count > 0 => {
                *count -= 1;
                false
            }
            _ => true,
        });
    }

    /// Writes the baseline atomically (a temporary file renamed into place).
    pub fn write(&self, path: &Path) -> Result<usize, String> {
        let entries: Vec<Entry> = self
            .counts
            .iter()
            .map(|((path, rule, text), count)| Entry {
                path: path.clone(),
                rule: rule.clone(),
                text: text.clone(),
                count: *count,
            })
            .collect();
        let total = entries.iter().map(|e| e.count).sum();
        let file = BaselineFile {
            version: 1,
            entries,
        };
        let mut text = serde_json::to_string_pretty(&file).map_err(|e| e.to_string())?;
        text.push('\n');
        let temporary = path.with_extension("citelint-tmp");
        std::fs::write(&temporary, text)
            .map_err(|e| format!("{}: cannot write baseline: {e}", temporary.display()))?;
        std::fs::rename(&temporary, path)
            .map_err(|e| format!("{}: cannot write baseline: {e}", path.display()))?;
        Ok(total)
    }
}
