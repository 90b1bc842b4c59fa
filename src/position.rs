//! Maps byte offsets in a text to 1-based (line, column) positions and back.
//!
//! Lines end at `\n`, `\r\n` or a lone `\r`. Columns count Unicode scalar values from
//! the start of the line, starting at 1; end positions are exclusive (the column just
//! after the last character of a span).

use std::ops::Range;

/// A byte range into a document's text (after any BOM).
pub type Span = Range<usize>;

/// A 1-based line and column; the column counts Unicode scalar values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in Unicode scalar values.
    pub column: usize,
}

/// The byte offsets at which each line of a text starts.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    /// Indexes `text`; one pass over its bytes.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        // Room for lines of about 64 bytes (up to 4 096 lines, so that a huge file of
        // long lines does not reserve what it never uses), so that most texts never grow
        // the list.
        let mut starts = Vec::with_capacity((bytes.len() / 64 + 1).min(4096));
        starts.push(0);
        // One pass over the text for every line break; a `\r` before a `\n` is part of
        // the `\n`'s break.
        for at in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                continue;
            }
            starts.push(at + 1);
        }
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// Number of lines (a text ending in a line break has an empty last line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte offset at which 1-based `line` starts, if it exists.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line.checked_sub(1)?).copied()
    }

    /// The byte range of 1-based `line`, without its terminator.
    pub fn line_span(&self, text: &str, line: usize) -> Option<Span> {
        let start = self.line_start(line)?;
        let mut end = self.starts.get(line).copied().unwrap_or(self.len);
        let bytes = text.as_bytes();
        if end > start && bytes[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        Some(start..end)
    }

    /// The 0-based index of the line containing `offset`.
    fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Position of byte `offset` in `text` (clamped to the text and to a char boundary).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.starts[line];
        let column = text[start..offset].chars().count() + 1;
        Position {
            line: line + 1,
            column,
        }
    }

    /// Byte offset of `position` in `text`, if the line exists and the column lies within
    /// it (the column just after the last character is allowed).
    pub fn offset(&self, text: &str, position: Position) -> Option<usize> {
        let span = self.line_span(text, position.line)?;
        let wanted = position.column.checked_sub(1)?;
        let line = &text[span.clone()];
        if wanted == line.chars().count() {
            return Some(span.end);
        }
        line.char_indices()
            .nth(wanted)
            .map(|(at, _)| span.start + at)
    }
}

fn memchr_line_end(bytes: &[u8]) -> Option<usize> {
    memchr::memchr2(b'\n', b'\r', bytes)
}

/// The byte offset of the next line break (`\n` or `\r`) in `text` at or after `from`,
/// or the text's length.
pub fn next_line_break(text: &str, from: usize) -> usize {
    memchr_line_end(&text.as_bytes()[from..]).map_or(text.len(), |i| from + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_in_mixed_line_endings() {
        let text = "ab\r\ncé\rx\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        assert_eq!(index.position(text, 0), Position { line: 1, column: 1 });
        assert_eq!(index.position(text, 4), Position { line: 2, column: 1 });
        // 'é' is two bytes but one column.
        assert_eq!(index.position(text, 7), Position { line: 2, column: 3 });
        assert_eq!(index.position(text, 8), Position { line: 3, column: 1 });
        assert_eq!(index.line_span(text, 2), Some(4..7));
        assert_eq!(index.offset(text, Position { line: 2, column: 3 }), Some(7));
        assert_eq!(index.offset(text, Position { line: 2, column: 9 }), None);
    }

    proptest::proptest! {
        /// Every line starts after a `\n`, a `\r\n` or a lone `\r`, as `str::lines`
        /// splits on the first two once lone `\r`s are read as breaks too.
        #[test]
        fn lines_start_after_each_kind_of_break(text in "[a\r\né]{0,24}") {
            let index = LineIndex::new(&text);
            let unified = text.replace("\r\n", "\n").replace('\r', "\n");
            proptest::prop_assert_eq!(index.line_count(), unified.split('\n').count());
            let mut expected = vec![0];
            let bytes = text.as_bytes();
            for (i, &b) in bytes.iter().enumerate() {
                let crlf = b == b'\r' && bytes.get(i + 1) == Some(&b'\n');
                if (b == b'\n' || b == b'\r') && !crlf {
                    expected.push(i + 1);
                }
            }
            proptest::prop_assert_eq!(&index.starts, &expected);
        }
    }

    #[test]
    fn text_without_final_newline() {
        let text = "one\ntwo";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 2);
        assert_eq!(index.position(text, 7), Position { line: 2, column: 4 });
        assert_eq!(index.line_span(text, 2), Some(4..7));
    }
}
