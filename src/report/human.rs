//! The human format: rustc/ruff-style source snippets with the span underlined, the rule
//! id in the title, labels on the other places involved, help, and a summary line.

use std::io::{self, Write};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use colored::Colorize;

use super::{FileReport, Summary};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;

/// Writes every diagnostic as a snippet, then the summary.
pub fn write(out: &mut dyn Write, files: &[FileReport], color: bool) -> io::Result<()> {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    for file in files {
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
        let Some(doc) = &file.document else {
            continue;
        };
        for d in &file.diagnostics {
            writeln!(out, "{}\n", render(&renderer, &file.path, doc, d))?;
        }
    }
    summary(out, &Summary::of(files))
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

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn summary(out: &mut dyn Write, s: &Summary) -> io::Result<()> {
    let checked = format!("{} checked", plural(s.files, "file"));
    if s.errors + s.warnings + s.infos == 0 {
        write!(out, "{} {checked}", "All clear:".green().bold())?;
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
