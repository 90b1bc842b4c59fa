//! GitHub Actions workflow commands: `::error file=…,line=…,col=…,endLine=…,endColumn=…,
//! title=…::message`, escaped as GitHub's toolkit escapes them, and a Markdown summary
//! for `GITHUB_STEP_SUMMARY` (GitHub shows only 10 annotations of each kind per step).

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::{FileReport, READ_ERROR_RULE, Reporter, Summary, clean_path, plural};
use crate::diagnostic::Severity;

/// Writes one workflow command per diagnostic; counts per rule for the step summary.
#[derive(Default)]
pub struct Github {
    per_rule: BTreeMap<String, (Severity, usize)>,
    summary: Summary,
}

/// Escapes a command's message (data).
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

impl Reporter for Github {
    fn file(
        &mut self,
        out: &mut dyn Write,
        file: &FileReport,
        _: Option<String>,
    ) -> io::Result<()> {
        let path = escape_property(&clean_path(&file.path));
        if let Some(error) = &file.error {
            let place = error
                .position
                .map(|at| format!(",line={},col={}", at.line, at.column))
                .unwrap_or_default();
            writeln!(
                out,
                "::error file={path}{place},title={READ_ERROR_RULE}::{}",
                escape_data(&error.message)
            )?;
        }
        for d in &file.diagnostics {
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            writeln!(
                out,
                "::{command} file={path},line={},col={},endLine={},endColumn={},title={}::{}",
                d.start.line,
                d.start.column,
                d.end.line,
                d.end.column,
                escape_property(&d.rule),
                escape_data(&d.message)
            )?;
            let entry = self
                .per_rule
                .entry(d.rule.clone())
                .or_insert((d.severity, 0));
            entry.1 += 1;
        }
        Ok(())
    }

    fn finish(&mut self, _: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        self.summary = *summary;
        Ok(())
    }

    fn step_summary(&self) -> Option<String> {
        let s = &self.summary;
        let mut text = String::from("## citelint\n\n");
        let files = plural(s.files, "file");
        let unread = (s.file_errors > 0).then(|| {
            format!(
                "{} could not be read: see the errors in the step's log.\n",
                plural(s.file_errors, "file")
            )
        });
        if self.per_rule.is_empty() {
            match unread {
                None => text.push_str(&format!("All clear: {files} checked.\n")),
                Some(unread) => text.push_str(&format!(
                    "No problems found in {files} checked.\n\n{unread}"
                )),
            }
            return Some(text);
        }
        text.push_str(&format!(
            "{}, {}, {} in {} of {files}.\n\n",
            plural(s.errors, "error"),
            plural(s.warnings, "warning"),
            plural(s.infos, "note"),
            s.files_with_diagnostics
        ));
        if let Some(unread) = unread {
            text.push_str(&unread);
            text.push('\n');
        }
        text.push_str("| rule | level | count |\n| --- | --- | ---: |\n");
        for (rule, (severity, count)) in &self.per_rule {
            text.push_str(&format!("| `{rule}` | {severity} | {count} |\n"));
        }
        if s.errors > 10 || s.warnings > 10 || s.infos > 10 {
            text.push_str("\nGitHub shows at most 10 annotations of each level per step; run `citelint check` locally (or use `--format sarif` with code scanning) for the full list.\n");
        }
        Some(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_toolkit() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
