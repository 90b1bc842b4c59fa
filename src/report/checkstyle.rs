//! Checkstyle XML: `<checkstyle version="4.3"><file name><error line column severity
//! message source/></file></checkstyle>`, read by Jenkins' warnings plugin and reviewdog.

use std::io::{self, Write};

use quick_xml::escape::escape;

use super::{FileReport, READ_ERROR_RULE, Reporter, Summary, clean_path};

/// Streams a `<file>` element per file with diagnostics.
#[derive(Default)]
pub struct Checkstyle {
    started: bool,
}

impl Checkstyle {
    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if !self.started {
            self.started = true;
            writeln!(
                out,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">"
            )?;
        }
        Ok(())
    }
}

impl Reporter for Checkstyle {
    fn file(
        &mut self,
        out: &mut dyn Write,
        file: &FileReport,
        _: Option<String>,
    ) -> io::Result<()> {
        self.start(out)?;
        if file.diagnostics.is_empty() && file.error.is_none() {
            return Ok(());
        }
        writeln!(
            out,
            "  <file name=\"{}\">",
            escape(clean_path(&file.path).as_str())
        )?;
        if let Some(error) = &file.error {
            // Checkstyle needs a line: the file's first when the error has no place.
            let place = match error.position {
                Some(at) => format!("line=\"{}\" column=\"{}\"", at.line, at.column),
                None => "line=\"1\"".to_string(),
            };
            writeln!(
                out,
                "    <error {place} severity=\"error\" message=\"{}\" source=\"{READ_ERROR_RULE}\"/>",
                escape(error.message.as_str())
            )?;
        }
        for d in &file.diagnostics {
            writeln!(
                out,
                "    <error line=\"{}\" column=\"{}\" severity=\"{}\" message=\"{}\" source=\"{}\"/>",
                d.start.line,
                d.start.column,
                d.severity,
                escape(d.message.as_str()),
                escape(d.rule.as_str())
            )?;
        }
        writeln!(out, "  </file>")
    }

    fn finish(&mut self, out: &mut dyn Write, _: &Summary) -> io::Result<()> {
        self.start(out)?;
        writeln!(out, "</checkstyle>")
    }
}
