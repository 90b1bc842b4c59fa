//! reviewdog's rdjson (`DiagnosticResult`): columns are 1-based UTF-8 byte offsets
//! within the line, as its specification says, so they are computed from the document.

use std::io::{self, Write};

use serde_json::json;

use super::{FileReport, READ_ERROR_RULE, ReportOptions, Reporter, Summary, clean_path};
use crate::diagnostic::Severity;
use crate::document::Document;
use crate::position::Position;

/// Renders each file's diagnostics with byte columns; streams them.
pub struct Rdjson {
    options: ReportOptions,
    written: usize,
}

impl Rdjson {
    /// An rdjson reporter; rule URLs come from `options.rules`.
    pub fn new(options: ReportOptions) -> Rdjson {
        Rdjson {
            options,
            written: 0,
        }
    }
}

fn byte_position(doc: &Document, offset: usize, at: Position) -> serde_json::Value {
    let line_start = doc.lines().line_start(at.line).unwrap_or(0);
    json!({"line": at.line, "column": offset.saturating_sub(line_start) + 1})
}

impl Reporter for Rdjson {
    fn render(&self, file: &FileReport, doc: &Document) -> Option<String> {
        let path = clean_path(&file.path);
        let items: Vec<String> = file
            .diagnostics
            .iter()
            .map(|d| {
                let mut code = json!({"value": d.rule});
                if let Some(url) = self
                    .options
                    .rules
                    .iter()
                    .find(|r| r.id == d.rule)
                    .and_then(|r| r.url.clone())
                {
                    code["url"] = json!(url);
                }
                let severity = match d.severity {
                    Severity::Error => "ERROR",
                    Severity::Warning => "WARNING",
                    Severity::Info => "INFO",
                };
                json!({
                    "message": d.message,
                    "location": {
                        "path": path,
                        "range": {
                            "start": byte_position(doc, d.span.start, d.start),
                            "end": byte_position(doc, d.span.end, d.end),
                        }
                    },
                    "severity": severity,
                    "code": code,
                })
                .to_string()
            })
            .collect();
        (!items.is_empty()).then(|| items.join(",\n  "))
    }

    fn file(
        &mut self,
        out: &mut dyn Write,
        file: &FileReport,
        rendered: Option<String>,
    ) -> io::Result<()> {
        // A file that could not be read has no document: its error is an item of its own,
        // at the line of the fault when known (rdjson's byte column is then unknown).
        let rendered = rendered.or_else(|| {
            let error = file.error.as_ref()?;
            let mut location = json!({ "path": clean_path(&file.path) });
            if let Some(at) = error.position {
                location["range"] = json!({"start": {"line": at.line}});
            }
            Some(
                json!({
                    "message": error.message,
                    "location": location,
                    "severity": "ERROR",
                    "code": {"value": READ_ERROR_RULE},
                })
                .to_string(),
            )
        });
        if self.written == 0 {
            write!(
                out,
                "{{\"source\": {{\"name\": \"citelint\", \"url\": \"{}\"}},\n\"diagnostics\": [",
                env!("CARGO_PKG_REPOSITORY")
            )?;
        }
        if let Some(items) = rendered {
            out.write_all(if self.written <= 1 { b"\n  " } else { b",\n  " })?;
            out.write_all(items.as_bytes())?;
            self.written = 2;
        } else if self.written == 0 {
            self.written = 1;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _: &Summary) -> io::Result<()> {
        if self.written == 0 {
            write!(
                out,
                "{{\"source\": {{\"name\": \"citelint\", \"url\": \"{}\"}},\n\"diagnostics\": [",
                env!("CARGO_PKG_REPOSITORY")
            )?;
        }
        writeln!(out, "\n]}}")
    }
}
