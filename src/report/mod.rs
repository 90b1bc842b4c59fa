//! Reporters: turn the diagnostics of a run into one output format. Each format is one
//! file; none reads files or knows about rules beyond what a diagnostic carries.

mod concise;
mod human;
mod json;

use std::io::{self, Write};

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::engine::PackDecision;

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Source snippets with carets, rule ids and a summary (for people).
    Human,
    /// `path:line:col: severity[rule]: message`, one per line (for editors).
    Concise,
    /// A stable JSON object (for programs); see the README for its schema.
    Json,
}

/// What happened to one file.
#[derive(Debug)]
pub struct FileReport {
    /// The path as given on the command line (or found under it).
    pub path: String,
    /// The document, when it could be read (reporters quote it in snippets).
    pub document: Option<Document>,
    /// Its diagnostics, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// Why it could not be checked.
    pub error: Option<String>,
    /// Which packs applied and why (filled with `--show-packs`).
    pub packs: Vec<PackDecision>,
}

/// The counts that close a report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Files checked (read successfully).
    pub files: usize,
    /// Files with at least one diagnostic.
    pub files_with_diagnostics: usize,
    /// Diagnostics at error level.
    pub errors: usize,
    /// Diagnostics at warning level.
    pub warnings: usize,
    /// Diagnostics at info level.
    pub infos: usize,
    /// Files that could not be checked.
    pub file_errors: usize,
}

impl Summary {
    /// Counts `files`.
    pub fn of(files: &[FileReport]) -> Summary {
        let mut summary = Summary::default();
        for file in files {
            if file.error.is_some() {
                summary.file_errors += 1;
                continue;
            }
            summary.files += 1;
            if !file.diagnostics.is_empty() {
                summary.files_with_diagnostics += 1;
            }
            for d in &file.diagnostics {
                match d.severity {
                    Severity::Error => summary.errors += 1,
                    Severity::Warning => summary.warnings += 1,
                    Severity::Info => summary.infos += 1,
                }
            }
        }
        summary
    }
}

/// Writes `files` in `format`. `color` applies to the human format only.
pub fn write(
    out: &mut dyn Write,
    format: OutputFormat,
    files: &[FileReport],
    color: bool,
) -> io::Result<()> {
    match format {
        OutputFormat::Human => human::write(out, files, color),
        OutputFormat::Concise => concise::write(out, files),
        OutputFormat::Json => json::write(out, files),
    }
}
