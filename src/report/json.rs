//! The JSON format: `{"version": 1, "diagnostics": [...], "errors": [...], "summary": {...}}`.
//! Field names and meanings are stable within a version; see the README.

use std::io::{self, Write};

use serde::Serialize;

use super::{FileReport, Summary};
use crate::diagnostic::{Label, Severity};

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    errors: Vec<JsonError<'a>>,
    summary: Summary,
}

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
struct JsonError<'a> {
    path: &'a str,
    message: &'a str,
}

/// Writes the whole run as one JSON object.
pub fn write(out: &mut dyn Write, files: &[FileReport]) -> io::Result<()> {
    let output = Output {
        version: 1,
        diagnostics: files
            .iter()
            .flat_map(|f| {
                f.diagnostics.iter().map(move |d| JsonDiagnostic {
                    path: &f.path,
                    rule: &d.rule,
                    severity: d.severity,
                    message: &d.message,
                    help: d.help.as_deref(),
                    line: d.start.line,
                    column: d.start.column,
                    end_line: d.end.line,
                    end_column: d.end.column,
                    labels: &d.labels,
                })
            })
            .collect(),
        errors: files
            .iter()
            .filter_map(|f| {
                f.error.as_deref().map(|message| JsonError {
                    path: &f.path,
                    message,
                })
            })
            .collect(),
        summary: Summary::of(files),
    };
    serde_json::to_writer_pretty(&mut *out, &output)?;
    writeln!(out)
}
