//! The concise format: `path:line:col: severity[rule]: message`, one diagnostic a line,
//! for editor problem matchers and `grep`.

use std::io::{self, Write};

use super::{FileReport, Reporter, Summary, one_line};

/// Writes one line per diagnostic.
pub struct Concise;

impl Reporter for Concise {
    fn file(
        &mut self,
        out: &mut dyn Write,
        file: &FileReport,
        _: Option<String>,
    ) -> io::Result<()> {
        for d in &file.diagnostics {
            writeln!(
                out,
                "{}:{}:{}: {}[{}]: {}",
                file.path,
                d.start.line,
                d.start.column,
                d.severity,
                d.rule,
                one_line(&d.message)
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, _: &mut dyn Write, _: &Summary) -> io::Result<()> {
        Ok(())
    }
}
