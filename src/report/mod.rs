//! Reporters: turn the diagnostics of a run into one output format. Each format is one
//! file; none reads files or knows about rules beyond what a diagnostic carries.
//!
//! Reports stream: the driver hands each file's results over in path order and drops
//! them, so a clean corpus of any size costs no memory here. What needs the document
//! itself (source snippets) is rendered by [`Reporter::render`], in parallel, before the
//! document is dropped.

mod checkstyle;
mod concise;
mod gcc;
mod github;
mod gitlab;
mod human;
mod json;
mod junit;
mod rdjson;
mod sarif;

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
    /// `path:line:col: severity: message [rule]`, one per line, as gcc writes (for Emacs,
    /// Vim and other readers of compiler output).
    Gcc,
    /// A stable JSON object (for programs); see the README for its schema.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// JUnit XML: a test suite per file, a test case per rule checked.
    Junit,
    /// GitLab Code Quality JSON.
    Gitlab,
    /// reviewdog's rdjson.
    Rdjson,
    /// Checkstyle XML.
    Checkstyle,
}

/// The rule id under which formats that list findings (JUnit, Checkstyle, SARIF,
/// GitLab, rdjson, GitHub) show a file that could not be read.
pub const READ_ERROR_RULE: &str = "citelint/read";

/// Why a file could not be checked, and where in it when a place is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    /// What went wrong, without the place.
    pub message: String,
    /// Where: the first byte that is not UTF-8, for instance.
    pub position: Option<crate::position::Position>,
}

impl FileError {
    /// An error about the file as a whole.
    pub fn new(message: impl Into<String>) -> FileError {
        FileError {
            message: message.into(),
            position: None,
        }
    }

    /// The error with its file, as compilers write it: `path:line:column: message`, or
    /// `path: message` without a place.
    pub fn located(&self, path: &str) -> String {
        // The place, when there is one, leads the display: it follows the path's colon.
        match self.position {
            Some(_) => format!("{path}:{self}"),
            None => format!("{path}: {self}"),
        }
    }
}

impl From<String> for FileError {
    fn from(message: String) -> FileError {
        FileError::new(message)
    }
}

impl From<crate::document::DocumentError> for FileError {
    fn from(error: crate::document::DocumentError) -> FileError {
        FileError {
            message: error.reason().to_string(),
            position: error.position(),
        }
    }
}

/// `line:column: message`, or the message alone without a place.
impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.position {
            Some(at) => write!(f, "{}:{}: {}", at.line, at.column, self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// What happened to one file.
#[derive(Debug, Clone, Default)]
pub struct FileReport {
    /// The path as given on the command line (or found under it).
    pub path: String,
    /// Its diagnostics, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// Why it could not be checked.
    pub error: Option<FileError>,
    /// Which packs applied and why (filled with `--show-packs`).
    pub packs: Vec<PackDecision>,
    /// The rules that ran on the file (filled for reporters that ask).
    pub checked_rules: Vec<String>,
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

    /// Whether [`FileReport::checked_rules`] must be filled in.
    fn wants_checked_rules(&self) -> bool {
        false
    }

    /// Markdown for a CI job's summary page (GitHub's `GITHUB_STEP_SUMMARY`).
    fn step_summary(&self) -> Option<String> {
        None
    }
}

/// What a report says about a rule (SARIF lists every rule it may mention).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleInfo {
    /// `pack/name`.
    pub id: String,
    /// One line.
    pub summary: String,
    /// The full documentation.
    pub description: String,
    /// The level the rule file gives it.
    pub level: Severity,
    /// Where to read more, when the rule says.
    pub url: Option<String>,
}

impl RuleInfo {
    /// Every rule of `rules`, citelint's own included.
    pub fn catalog(rules: &crate::RuleSet) -> Vec<RuleInfo> {
        let mut catalog: Vec<RuleInfo> = rules
            .rules()
            .map(|(pack, rule)| RuleInfo {
                id: rule.id.clone(),
                summary: rule.summary.clone(),
                description: rule
                    .doc
                    .clone()
                    .unwrap_or_else(|| rule.summary.clone())
                    .trim()
                    .to_string(),
                level: rule.level,
                url: rule.url.clone().or_else(|| pack.url.clone()),
            })
            .collect();
        catalog.extend(rules.meta_rules().iter().map(|m| RuleInfo {
            id: m.id.to_string(),
            summary: m.summary.to_string(),
            description: m.summary.to_string(),
            level: m.level,
            url: None,
        }));
        catalog
    }
}

/// Options that shape a report.
#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    /// Colour the human format.
    pub color: bool,
    /// The rules the run may report (for formats that describe them).
    pub rules: Vec<RuleInfo>,
    /// The `file://` URL of the directory paths are relative to (SARIF's `SRCROOT`).
    pub base_uri: Option<String>,
}

/// The reporter for `format`.
pub fn reporter(format: OutputFormat, options: ReportOptions) -> Box<dyn Reporter> {
    match format {
        OutputFormat::Human => Box::new(human::Human::new(options.color)),
        OutputFormat::Concise => Box::new(concise::Concise),
        OutputFormat::Gcc => Box::new(gcc::Gcc),
        OutputFormat::Json => Box::new(json::Json::default()),
        OutputFormat::Sarif => Box::new(sarif::Sarif::new(options)),
        OutputFormat::Github => Box::new(github::Github::default()),
        OutputFormat::Junit => Box::new(junit::Junit::default()),
        OutputFormat::Gitlab => Box::new(gitlab::Gitlab::default()),
        OutputFormat::Rdjson => Box::new(rdjson::Rdjson::new(options)),
        OutputFormat::Checkstyle => Box::new(checkstyle::Checkstyle::default()),
    }
}

/// A message on one line, so that each diagnostic of a line format is one line.
pub(crate) fn one_line(message: &str) -> String {
    message.replace(['\r', '\n'], " ")
}

/// A path as CI tools want it: no leading `./`, `/` separators.
pub fn clean_path(path: &str) -> String {
    path.trim_start_matches("./").replace('\\', "/")
}

/// Stable fingerprints for the diagnostics of one file: a hash of the path, the rule, the
/// offending text and its occurrence among identical ones, so they survive edits
/// elsewhere in the file but stay unique.
pub fn fingerprints(path: &str, diagnostics: &[Diagnostic]) -> Vec<String> {
    let path = clean_path(path);
    let mut seen: std::collections::HashMap<(&str, &str), usize> = std::collections::HashMap::new();
    diagnostics
        .iter()
        .map(|d| {
            let occurrence = seen
                .entry((d.rule.as_str(), d.excerpt.as_str()))
                .or_default();
            let print = fingerprint(
                &[path.as_bytes(), d.rule.as_bytes(), d.excerpt.as_bytes()],
                Some(*occurrence),
            );
            *occurrence += 1;
            print
        })
        .collect()
}

/// The FNV hash of `parts` (each ended by a NUL byte), then of `occurrence`, in hex.
fn fingerprint(parts: &[&[u8]], occurrence: Option<usize>) -> String {
    use std::hash::Hasher;
    let mut hasher = fnv::FnvHasher::default();
    for part in parts {
        hasher.write(part);
        hasher.write_u8(0);
    }
    if let Some(occurrence) = occurrence {
        hasher.write_usize(occurrence);
    }
    format!("{:016x}", hasher.finish())
}

/// A stable fingerprint for a file that could not be read: one per file, whatever the
/// error says.
pub fn read_error_fingerprint(path: &str) -> String {
    fingerprint(
        &[clean_path(path).as_bytes(), READ_ERROR_RULE.as_bytes()],
        None,
    )
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

/// `n` and `word`, in the plural unless `n` is 1 ("1 file", "3 files").
pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}
