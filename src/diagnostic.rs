//! What a check reports: a rule id, a severity, a message and exact positions.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::position::{Position, Span};

/// How serious a diagnostic is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never a compliance failure on its own.
    Info,
    /// Probably wrong; review it.
    Warning,
    /// A violation.
    Error,
}

impl Severity {
    /// Parses `error`, `warning` or `info`.
    pub fn from_name(name: &str) -> Option<Severity> {
        Some(match name {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            "info" => Severity::Info,
            _ => return None,
        })
    }

    /// The lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// The names accepted in rule files and on the command line.
    pub const NAMES: &'static [&'static str] = &["error", "warning", "info"];
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A secondary place a diagnostic points at ("headline is here").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    /// What the place is.
    pub message: String,
    /// Byte span in the document text.
    #[serde(skip)]
    pub span: Span,
    /// Where the span starts.
    #[serde(flatten, serialize_with = "start_fields")]
    pub start: Position,
    /// Where the span ends (exclusive).
    #[serde(flatten, serialize_with = "end_fields")]
    pub end: Position,
}

/// One violation of one rule at one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule's id, `pack/name`.
    pub rule: String,
    /// The rule's effective severity.
    pub severity: Severity,
    /// What is wrong, with the document's own values filled in.
    pub message: String,
    /// How to fix it, when the rule says.
    pub help: Option<String>,
    /// Byte span in the document text (after any BOM).
    pub span: Span,
    /// Where the span starts.
    pub start: Position,
    /// Where the span ends (exclusive).
    pub end: Position,
    /// Other places involved.
    pub labels: Vec<Label>,
    /// The offending text, white space collapsed (the line's text for a missing
    /// element). Baselines and fingerprints match on it, so they survive line shifts.
    pub excerpt: String,
}

fn start_fields<S: serde::Serializer>(p: &Position, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(2))?;
    map.serialize_entry("line", &p.line)?;
    map.serialize_entry("column", &p.column)?;
    map.end()
}

fn end_fields<S: serde::Serializer>(p: &Position, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(2))?;
    map.serialize_entry("end_line", &p.line)?;
    map.serialize_entry("end_column", &p.column)?;
    map.end()
}
