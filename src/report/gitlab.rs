//! GitLab Code Quality JSON: an array of issues with `description`, `check_name`, a
//! unique and stable `fingerprint`, `severity` and `location` (path and begin/end).

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{
    FileReport, READ_ERROR_RULE, Reporter, Summary, clean_path, fingerprints,
    read_error_fingerprint,
};
use crate::diagnostic::Severity;

/// Streams the array's items.
#[derive(Default)]
pub struct Gitlab {
    written: usize,
}

impl Gitlab {
    /// Writes one issue of the array, opening the array before the first.
    fn write_issue(&mut self, out: &mut dyn Write, issue: &Value) -> io::Result<()> {
        out.write_all(if self.written == 0 {
            b"[\n  "
        } else {
            b",\n  "
        })?;
        serde_json::to_writer(&mut *out, issue)?;
        self.written += 1;
        Ok(())
    }
}

impl Reporter for Gitlab {
    fn file(
        &mut self,
        out: &mut dyn Write,
        file: &FileReport,
        _: Option<String>,
    ) -> io::Result<()> {
        let path = clean_path(&file.path);
        if let Some(error) = &file.error {
            // Code Quality needs a line: the file's first when the error has no place.
            let issue = json!({
                "type": "issue",
                "description": error.to_string(),
                "check_name": READ_ERROR_RULE,
                "fingerprint": read_error_fingerprint(&file.path),
                "severity": "major",
                "categories": ["Bug Risk"],
                "location": {
                    "path": path,
                    "lines": {"begin": error.position.map_or(1, |at| at.line)},
                }
            });
            self.write_issue(out, &issue)?;
        }
        for (d, print) in file
            .diagnostics
            .iter()
            .zip(fingerprints(&file.path, &file.diagnostics))
        {
            let severity = match d.severity {
                Severity::Error => "major",
                Severity::Warning => "minor",
                Severity::Info => "info",
            };
            let issue: Value = json!({
                "type": "issue",
                "description": d.message,
                "check_name": d.rule,
                "fingerprint": print,
                "severity": severity,
                "categories": ["Style"],
                "location": {
                    "path": path,
                    "positions": {
                        "begin": {"line": d.start.line, "column": d.start.column},
                        "end": {"line": d.end.line, "column": d.end.column},
                    }
                }
            });
            self.write_issue(out, &issue)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _: &Summary) -> io::Result<()> {
        out.write_all(if self.written == 0 { b"[]\n" } else { b"\n]\n" })
    }
}
