//! The gcc format: `path:line:col: severity: message [rule]`, one diagnostic a line, as gcc
//! and clang print theirs. Editors that read compiler output take it as it is: Emacs's
//! compilation mode, Vim's quickfix list (`:set makeprg=citelint\ check\ --format\ gcc`),
//! the `$gcc` problem matcher of VS Code's C/C++ extension. The info level is written
//! `note`, gcc's word for it.

use std::io::{self, Write};

use super::{FileReport, Reporter, Summary, one_line};
use crate::diagnostic::Severity;

/// Writes one line per diagnostic.
pub struct Gcc;

impl Reporter for Gcc {
    fn file(
        &mut self,
        out: &mut dyn Write,
        file: &FileReport,
        _: Option<String>,
    ) -> io::Result<()> {
        for d in &file.diagnostics {
            let severity = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "note",
            };
            writeln!(
                out,
                "{}:{}:{}: {severity}: {} [{}]",
                file.path,
                d.start.line,
                d.start.column,
                one_line(&d.message),
                d.rule,
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, _: &mut dyn Write, _: &Summary) -> io::Result<()> {
        Ok(())
    }
}
