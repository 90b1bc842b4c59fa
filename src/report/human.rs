//! The human format: rustc/ruff-style source snippets with the span underlined, the rule
//! id in the title, labels on the other places involved, help, and a summary line.

use std::io::{self, Write};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use colored::Colorize;

use super::{FileReport, Reporter, Summary, plural};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;

/// Source snippets per diagnostic, pack decisions when asked, a summary line.
pub struct Human {
    renderer: Renderer,
}

impl Human {
    /// A human reporter; `color` styles snippets and the summary.
    pub fn new(color: bool) -> Human {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        Human { renderer }
    }
}

impl Reporter for Human {
    fn render(&self, file: &FileReport, doc: &Document) -> Option<String> {
        let mut text = String::new();
        for d in &file.diagnostics {
            text.push_str(&render(&self.renderer, &file.path, doc, d));
            text.push_str("\n\n");
        }
        (!text.is_empty()).then_some(text)
    }

    fn file(
        &mut self,
        out: &mut dyn Write,
        file: &FileReport,
        rendered: Option<String>,
    ) -> io::Result<()> {
        if !file.packs.is_empty() {
            writeln!(out, "{}", file.path.bold())?;
            for decision in &file.packs {
                let mark = if decision.applied {
                    "applied".green()
                } else {
                    "skipped".dimmed()
                };
                writeln!(out, "  {mark} {}: {}", decision.pack, decision.reason)?;
            }
        }
        if let Some(text) = rendered {
            out.write_all(text.as_bytes())?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        write_summary(out, summary)
    }
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    }
}

/// Renders one diagnostic on the lines it (and its labels) touch.
fn render(renderer: &Renderer, path: &str, doc: &Document, d: &Diagnostic) -> String {
    let text = doc.text();
    let lines = doc.lines();
    let first = d
        .labels
        .iter()
        .map(|l| l.start.line)
        .fold(d.start.line, usize::min);
    let last = d
        .labels
        .iter()
        .map(|l| l.end.line)
        .fold(d.end.line, usize::max);
    let start = lines.line_start(first).unwrap_or(0);
    let end = lines.line_span(text, last).map_or(text.len(), |s| s.end);
    let source = &text[start..end.max(start)];
    let clamp = |s: &std::ops::Range<usize>| {
        let a = s.start.saturating_sub(start).min(source.len());
        let b = s.end.saturating_sub(start).clamp(a, source.len());
        a..b
    };
    let mut snippet = Snippet::source(source)
        .line_start(first)
        .path(path)
        .fold(true)
        .annotation(AnnotationKind::Primary.span(clamp(&d.span)));
    for label in &d.labels {
        snippet = snippet.annotation(
            AnnotationKind::Context
                .span(clamp(&label.span))
                .label(label.message.as_str()),
        );
    }
    let mut group = level(d.severity)
        .primary_title(d.message.as_str())
        .id(d.rule.as_str())
        .element(snippet);
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    let report: [Group; 1] = [group];
    renderer.render(&report)
}

fn write_summary(out: &mut dyn Write, s: &Summary) -> io::Result<()> {
    let checked = format!("{} checked", plural(s.files, "file"));
    if s.errors + s.warnings + s.infos == 0 && s.file_errors == 0 {
        write!(out, "{} {checked}", "All clear:".green().bold())?;
    } else if s.errors + s.warnings + s.infos == 0 {
        // Not "all clear": some files went unchecked.
        write!(out, "No problems found; {checked}")?;
    } else {
        let mut parts = Vec::new();
        if s.errors > 0 {
            parts.push(plural(s.errors, "error").red().bold().to_string());
        }
        if s.warnings > 0 {
            parts.push(plural(s.warnings, "warning").yellow().bold().to_string());
        }
        if s.infos > 0 {
            parts.push(plural(s.infos, "info").cyan().to_string());
        }
        write!(
            out,
            "Found {} in {}; {checked}",
            parts.join(", "),
            plural(s.files_with_diagnostics, "file")
        )?;
    }
    if s.file_errors > 0 {
        write!(
            out,
            "; {}",
            plural(s.file_errors, "file").red().to_string() + " could not be read"
        )?;
    }
    writeln!(out, ".")
}
