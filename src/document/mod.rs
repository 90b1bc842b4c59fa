//! A document: one article's text, its line index, front matter, code blocks and text view.
//!
//! This module knows nothing of rules. It turns bytes into a [`Document`] (or a clear
//! [`DocumentError`]) and answers "where is byte N" for everything that reports.

mod directives;
mod front_matter;
mod view;

use std::fmt;
use std::path::Path;

pub use directives::{Directive, DirectiveKind};
pub use front_matter::{FrontMatter, FrontMatterEntry, FrontMatterSyntax};
pub use view::TextView;

use crate::position::{LineIndex, Position, Span};

/// How a document's markup is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain text (HTML-ish tags and entities are still tolerated).
    Text,
    /// Markdown, with optional front matter.
    Markdown,
    /// HTML or HTML fragments.
    Html,
}

impl Format {
    /// The format implied by a file name's extension (plain text when unknown).
    pub fn from_path(path: &Path) -> Format {
        let Some(extension) = path.extension().and_then(|e| e.to_str()) else {
            return Format::Text;
        };
        let is = |names: &[&str]| names.iter().any(|n| n.eq_ignore_ascii_case(extension));
        if is(&["md", "markdown", "mdx"]) {
            Format::Markdown
        } else if is(&["html", "htm", "xhtml"]) {
            Format::Html
        } else {
            Format::Text
        }
    }

    /// The names rule files use.
    pub const NAMES: &'static [&'static str] = &["text", "markdown", "html"];

    /// The format called `name` in rule files.
    pub fn from_name(name: &str) -> Option<Format> {
        Some(match name {
            "text" => Format::Text,
            "markdown" => Format::Markdown,
            "html" => Format::Html,
            _ => return None,
        })
    }

    /// The format's name as used in rule files (`text`, `markdown`, `html`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
        }
    }
}

/// Why bytes could not become a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentError {
    /// The bytes look binary (a NUL byte near the start).
    Binary,
    /// The bytes are not UTF-8; the position of the first bad byte.
    NotUtf8(Position),
}

impl DocumentError {
    /// What is wrong, without the place.
    pub fn reason(&self) -> &'static str {
        match self {
            DocumentError::Binary => "binary file (contains NUL bytes); not checked",
            DocumentError::NotUtf8(_) => {
                "invalid UTF-8; citelint reads UTF-8 text only (convert with iconv)"
            }
        }
    }

    /// Where, when the error has a place.
    pub fn position(&self) -> Option<Position> {
        match self {
            DocumentError::Binary => None,
            DocumentError::NotUtf8(at) => Some(*at),
        }
    }
}

/// `line:column: reason`, or the reason alone.
impl fmt::Display for DocumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position() {
            Some(at) => write!(f, "{}:{}: {}", at.line, at.column, self.reason()),
            None => f.write_str(self.reason()),
        }
    }
}

/// One article, ready to be checked.
#[derive(Debug, Clone)]
pub struct Document {
    path: String,
    text: String,
    format: Format,
    /// Built on first use: a clean document never needs a position.
    lines: std::sync::OnceLock<LineIndex>,
    front_matter: Option<FrontMatter>,
    directives: Vec<Directive>,
    view: TextView,
}

const BOM: &str = "\u{feff}";

/// How many leading bytes are searched for a NUL, which marks a binary file (as git
/// does): [`Document::from_bytes`] refuses such a file, and a reader need not read on.
pub const BINARY_PROBE: usize = 8192;

impl Document {
    /// Reads `bytes` as UTF-8 text (a BOM is dropped; positions never count it).
    pub fn from_bytes(
        path: impl Into<String>,
        bytes: Vec<u8>,
        format: Format,
    ) -> Result<Document, DocumentError> {
        let probe = &bytes[..bytes.len().min(BINARY_PROBE)];
        if memchr::memchr(0, probe).is_some() {
            return Err(DocumentError::Binary);
        }
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Document::new(path, text, format)),
            Err(error) => {
                let bytes = error.as_bytes();
                let good = error.utf8_error().valid_up_to();
                let prefix = std::str::from_utf8(&bytes[..good]).unwrap_or_default();
                let prefix = prefix.strip_prefix(BOM).unwrap_or(prefix);
                let index = LineIndex::new(prefix);
                Err(DocumentError::NotUtf8(index.position(prefix, prefix.len())))
            }
        }
    }

    /// Builds a document from text; `path` is how reports name it.
    pub fn new(path: impl Into<String>, mut text: String, format: Format) -> Document {
        if text.starts_with(BOM) {
            text.drain(..BOM.len());
        }
        let front_matter = match format {
            Format::Markdown => front_matter::parse(&text),
            _ => None,
        };
        let mut hidden = Vec::new();
        if let Some(front) = &front_matter {
            hidden.push(front.span.clone());
        }
        if format == Format::Markdown {
            let body = front_matter.as_ref().map_or(0, |f| f.span.end);
            hidden.extend(view::markdown_code_blocks(&text, body));
        }
        let directives = directives::find(&text, &hidden);
        // `citelint:` directive lines are instructions, not article text.
        hidden.extend(
            directives
                .iter()
                .filter(|d| d.is_line)
                .map(|d| d.span.clone()),
        );
        hidden.sort_by_key(|s| s.start);
        let view = view::build(&text, format, &hidden);
        Document {
            path: path.into(),
            text,
            format,
            lines: std::sync::OnceLock::new(),
            front_matter,
            directives,
            view,
        }
    }

    /// The path reports name the document by.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The text, without any BOM.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// How the markup is read.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The front matter, when the document has one.
    pub fn front_matter(&self) -> Option<&FrontMatter> {
        self.front_matter.as_ref()
    }

    /// The suppression directives written in the text, in order.
    pub fn directives(&self) -> &[Directive] {
        &self.directives
    }

    /// The text with markup removed, which rules match against.
    pub fn view(&self) -> &TextView {
        &self.view
    }

    /// The non-blank lines of the view, in order, as view spans (without line breaks).
    /// Lines are found as the iterator is advanced, from either end: the rules that read
    /// lines want the first few or the last one.
    pub fn view_lines(&self) -> NonBlankLines<'_> {
        NonBlankLines::new(self.view.text())
    }

    /// The position of byte `offset` of the text.
    pub fn position(&self, offset: usize) -> Position {
        self.lines().position(&self.text, offset)
    }

    /// The line index of the text.
    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }
}

/// Compiles the markup patterns documents are read with now, rather than when the first
/// document needs them: a run can do this while it loads its rules. (Directive patterns
/// are left to the rare document that mentions `citelint`.)
pub fn precompile_patterns() {
    view::precompile(None);
}

/// Compiles only the markup patterns reading `text` will use: what a run checking one
/// file does while it loads its rules.
pub fn precompile_patterns_for(text: &str) {
    view::precompile(Some(text));
}

/// The non-blank lines of a text, from either end, as spans without their line breaks.
/// A `\r` and a `\n` each end a line, as in [`crate::position::next_line_break`].
#[derive(Debug, Clone)]
pub struct NonBlankLines<'a> {
    text: &'a str,
    /// Start of the first line not yet taken from the front.
    front: usize,
    /// End of the last line not yet taken from the back.
    back: usize,
    /// Every line has been taken.
    finished: bool,
}

impl<'a> NonBlankLines<'a> {
    /// The non-blank lines of `text`.
    pub fn new(text: &'a str) -> Self {
        NonBlankLines {
            text,
            front: 0,
            back: text.len(),
            finished: false,
        }
    }

    fn non_blank(&self, line: Span) -> Option<Span> {
        // The first character that is not white space (most often the first) decides.
        self.text[line.clone()]
            .chars()
            .any(|c| !c.is_whitespace())
            .then_some(line)
    }
}

impl Iterator for NonBlankLines<'_> {
    type Item = Span;

    fn next(&mut self) -> Option<Span> {
        while !self.finished {
            let rest = &self.text.as_bytes()[self.front..self.back];
            let end = memchr::memchr2(b'\n', b'\r', rest).map_or(self.back, |i| self.front + i);
            let line = self.front..end;
            if end == self.back {
                self.finished = true;
            } else {
                self.front = end + 1;
            }
            if let Some(line) = self.non_blank(line) {
                return Some(line);
            }
        }
        None
    }
}

impl DoubleEndedIterator for NonBlankLines<'_> {
    fn next_back(&mut self) -> Option<Span> {
        while !self.finished {
            let rest = &self.text.as_bytes()[self.front..self.back];
            let start =
                memchr::memrchr2(b'\n', b'\r', rest).map_or(self.front, |i| self.front + i + 1);
            let line = start..self.back;
            if start == self.front {
                self.finished = true;
            } else {
                self.back = start - 1;
            }
            if let Some(line) = self.non_blank(line) {
                return Some(line);
            }
        }
        None
    }
}

impl std::iter::FusedIterator for NonBlankLines<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_is_dropped_and_not_counted() {
        let doc = Document::new("a.txt", "\u{feff}Hi\nthere".into(), Format::Text);
        assert_eq!(doc.text(), "Hi\nthere");
        assert_eq!(doc.position(3), Position { line: 2, column: 1 });
    }

    #[test]
    fn invalid_utf8_names_the_position() {
        let error =
            Document::from_bytes("a.txt", b"ok\nab\xffc".to_vec(), Format::Text).unwrap_err();
        assert_eq!(
            error,
            DocumentError::NotUtf8(Position { line: 2, column: 3 })
        );
        assert_eq!(
            Document::from_bytes("b", b"a\0b".to_vec(), Format::Text).unwrap_err(),
            DocumentError::Binary
        );
    }

    #[test]
    fn a_nul_byte_in_the_first_8_kib_marks_a_binary_file() {
        let with_nul_at = |at: usize| {
            let mut bytes = vec![b'a'; 9000];
            bytes[at] = 0;
            Document::from_bytes("a.txt", bytes, Format::Text)
        };
        for at in [0, 4000, 8191] {
            assert_eq!(with_nul_at(at).unwrap_err(), DocumentError::Binary, "{at}");
        }
        // Past the probe, a NUL is a character like any other.
        assert!(with_nul_at(8192).is_ok());
    }

    #[test]
    fn markdown_front_matter_and_code_are_hidden_from_the_view() {
        let text = "---\ntitle: T\n---\n# Head\n\n```\nCitation: x\n```\nBody\n";
        let doc = Document::new("a.md", text.into(), Format::Markdown);
        assert_eq!(doc.front_matter().unwrap().get("title").unwrap().value, "T");
        assert!(!doc.view().text().contains("Citation"));
        assert!(!doc.view().text().contains("title"));
        let first = doc.view_lines().next().unwrap();
        assert_eq!(&doc.view().text()[first], "Head");
        assert_eq!(doc.view().text().lines().count(), text.lines().count());
    }

    #[test]
    fn crlf_lines() {
        let doc = Document::new("a.txt", "a\r\n\r\nb\r\n".into(), Format::Text);
        assert_eq!(doc.view_lines().count(), 2);
        assert_eq!(doc.position(5), Position { line: 3, column: 1 });
    }

    /// The lines of `text` split at every `\r` and `\n`, blank ones left out.
    fn split_lines(text: &str) -> Vec<Span> {
        let mut lines = Vec::new();
        let mut start = 0;
        for (at, c) in text.char_indices().chain([(text.len(), '\n')]) {
            if c == '\n' || c == '\r' {
                if !text[start..at].trim().is_empty() {
                    lines.push(start..at);
                }
                start = at + 1;
            }
        }
        lines
    }

    #[test]
    fn lines_from_both_ends() {
        let text = " \nfirst\r\n\t\nsecond\rthird\n";
        let lines: Vec<&str> = NonBlankLines::new(text).map(|l| &text[l]).collect();
        assert_eq!(lines, ["first", "second", "third"]);
        let mut both = NonBlankLines::new(text);
        assert_eq!(both.next_back().map(|l| &text[l]), Some("third"));
        assert_eq!(both.next().map(|l| &text[l]), Some("first"));
        assert_eq!(both.next_back().map(|l| &text[l]), Some("second"));
        assert_eq!((both.next(), both.next_back()), (None, None));
        assert_eq!(NonBlankLines::new("").next(), None);
        assert_eq!(NonBlankLines::new("x").next_back(), Some(0..1));
    }

    proptest::proptest! {
        #[test]
        fn lines_taken_from_either_end_are_the_split_lines(
            text in "[ab \t\r\né]{0,24}",
            from_back in proptest::collection::vec(proptest::bool::ANY, 0..16),
        ) {
            let expected = split_lines(&text);
            let mut lines = NonBlankLines::new(&text);
            let (mut front, mut back) = (Vec::new(), Vec::new());
            for take_back in from_back {
                match if take_back { lines.next_back() } else { lines.next() } {
                    Some(line) if take_back => back.push(line),
                    Some(line) => front.push(line),
                    None => break,
                }
            }
            front.extend(lines.by_ref());
            front.extend(back.into_iter().rev());
            proptest::prop_assert_eq!(front, expected);
            proptest::prop_assert_eq!(lines.next_back(), None);
        }
    }
}
