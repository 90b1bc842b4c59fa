//! The concise format: `path:line:col: severity[rule]: message`, one diagnostic a line,
//! for editor problem matchers and `grep`.

use std::io::{self, Write};

use super::FileReport;

/// Writes one line per diagnostic.
pub fn write(out: &mut dyn Write, files: &[FileReport]) -> io::Result<()> {
    for file in files {
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
    }
    Ok(())
}

/// Messages stay on one line so that each diagnostic is one line.
fn one_line(message: &str) -> String {
    message.replace(['\r', '\n'], " ")
}
