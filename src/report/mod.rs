//! Reporters: turn the diagnostics of a run into one output format. Each format is one
//! file; none reads files or knows about rules beyond what a diagnostic carries.
//!
//! Reports stream: the driver hands each file's results over in path order and drops
//! them, so a clean corpus of any size costs no memory here. What needs the document
//! itself (source snippets) is rendered by [`Reporter::render`], in parallel, before the
//! document is dropped.

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
#[derive(Debug, Clone, Default)]
pub struct FileReport {
    /// The path as given on the command line (or found under it).
    pub path: String,
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
    /// Counts one more file.
    pub fn add(&mut self, file: &FileReport) {
        if file.error.is_some() {
            self.file_errors += 1;
            return;
        }
        self.files += 1;
        if !file.diagnostics.is_empty() {
            self.files_with_diagnostics += 1;
        }
        for d in &file.diagnostics {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
        }
    }

    /// Counts `files`.
    pub fn of<'a>(files: impl IntoIterator<Item = &'a FileReport>) -> Summary {
        let mut summary = Summary::default();
        for file in files {
            summary.add(file);
        }
        summary
    }
}

/// An output format.
pub trait Reporter: Send + Sync {
    /// Renders whatever needs the document (source snippets). Called in parallel, once
    /// per file that was read, before the document is dropped.
    fn render(&self, _file: &FileReport, _doc: &Document) -> Option<String> {
        None
    }

    /// Writes (or records) one file's results; called in path order.
    fn file(
        &mut self,
        out: &mut dyn Write,
        file: &FileReport,
        rendered: Option<String>,
    ) -> io::Result<()>;

    /// Writes the end of the report.
    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()>;
}

/// Options that shape a report.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReportOptions {
    /// Colour the human format.
    pub color: bool,
}

/// The reporter for `format`.
pub fn reporter(format: OutputFormat, options: ReportOptions) -> Box<dyn Reporter> {
    match format {
        OutputFormat::Human => Box::new(human::Human::new(options.color)),
        OutputFormat::Concise => Box::new(concise::Concise),
        OutputFormat::Json => Box::new(json::Json::default()),
    }
}

/// Writes a whole report for `files` (documents as given, for snippets) to `out`.
/// Convenient for tests and library users; the CLI streams instead.
pub fn write_all(
    out: &mut dyn Write,
    format: OutputFormat,
    options: ReportOptions,
    files: &[(FileReport, Option<&Document>)],
) -> io::Result<()> {
    let mut reporter = reporter(format, options);
    let mut summary = Summary::default();
    for (file, doc) in files {
        let rendered = doc.and_then(|doc| reporter.render(file, doc));
        reporter.file(out, file, rendered)?;
        summary.add(file);
    }
    reporter.finish(out, &summary)
}
