//! The JSON format: `{"version": 1, "diagnostics": [...], "errors": [...], "summary": {...}}`.
//! Field names and meanings are stable within a version; see the README. Diagnostics are
//! written as they come, one object a line.

use std::io::{self, Write};

use serde::Serialize;

use super::{FileReport, Reporter, Summary};
use crate::diagnostic::{Label, Severity};

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    path: &'a str,
    rule: &'a str,
    severity: Severity,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    labels: &'a [Label],
}

#[derive(Serialize)]
struct JsonError {
    path: String,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
}

/// Streams diagnostics; keeps only file errors (few) until the end.
#[derive(Default)]
pub struct Json {
    started: bool,
    written: usize,
    errors: Vec<JsonError>,
}

impl Json {
    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if !self.started {
            self.started = true;
            write!(out, "{{\"version\": 1, \"diagnostics\": [")?;
        }
        Ok(())
    }
}

impl Reporter for Json {
    fn file(
        &mut self,
        out: &mut dyn Write,
        file: &FileReport,
        _: Option<String>,
    ) -> io::Result<()> {
        self.start(out)?;
        if let Some(error) = &file.error {
            self.errors.push(JsonError {
                path: file.path.clone(),
                message: error.message.clone(),
                line: error.position.map(|at| at.line),
                column: error.position.map(|at| at.column),
            });
        }
        for d in &file.diagnostics {
            let item = JsonDiagnostic {
                path: &file.path,
                rule: &d.rule,
                severity: d.severity,
                message: &d.message,
                help: d.help.as_deref(),
                line: d.start.line,
                column: d.start.column,
                end_line: d.end.line,
                end_column: d.end.column,
                labels: &d.labels,
            };
            out.write_all(if self.written == 0 { b"\n  " } else { b",\n  " })?;
            serde_json::to_writer(&mut *out, &item)?;
            self.written += 1;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        self.start(out)?;
        out.write_all(if self.written == 0 {
            b"],\n"
        } else {
            b"\n],\n"
        })?;
        write!(out, "\"errors\": ")?;
        serde_json::to_writer(&mut *out, &self.errors)?;
        write!(out, ",\n\"summary\": ")?;
        serde_json::to_writer(&mut *out, summary)?;
        writeln!(out, "}}")
    }
}
