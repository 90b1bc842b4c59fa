//! The text view: a document's text with inline markup removed, mapped back to the source.
//!
//! Rules match against the view, so `<u>https://…</u>`, `**Citation**:`, `&amp;` or a
//! Markdown link do not get in the way of a pattern; every span found in the view is
//! mapped back to the exact bytes of the source. Line breaks are always kept, so the
//! view has the same lines as the source. What the view does, by format:
//!
//! - every format: HTML tags and comments are dropped (`<a href="U">text</a>` shows as
//!   `text (U)`, or just `U` when the text is the URL itself), entities are decoded;
//! - Markdown: front matter and fenced or indented code blocks are blanked, heading and
//!   block-quote markers dropped, `**`/`__`/`*`/`_` emphasis markers dropped, `` ` ``
//!   dropped around inline code, `[text](url)` shows as `text (url)` (or `url`), and
//!   `<https://…>` autolinks as the bare URL.

use std::sync::LazyLock;

use regex::Regex;

use super::Format;
use crate::position::Span;

/// A contiguous piece of the view and the source bytes it stands for.
#[derive(Debug, Clone, PartialEq)]
struct Segment {
    /// Where the piece starts in the view.
    view_start: usize,
    /// The source bytes it stands for.
    source: Span,
    /// Whether the view copies the source byte for byte (otherwise it is a replacement,
    /// such as a decoded entity, and maps to its source range as a whole).
    verbatim: bool,
}

impl Segment {
    /// The source offset of view offset `at` in a verbatim piece (at or after its start).
    fn source_at(&self, at: usize) -> usize {
        self.source.start + (at - self.view_start)
    }
}

/// The marked-up-free text of a document and its map back to the source.
#[derive(Debug, Clone)]
pub struct TextView {
    text: String,
    segments: Vec<Segment>,
    source_len: usize,
}

impl TextView {
    /// The view's text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Maps a span of the view to the span of the source it came from.
    pub fn to_source(&self, span: Span) -> Span {
        // A span within one verbatim piece (most are) moves by the piece's offset: one
        // search for the piece, not one for each end.
        if span.start < span.end && span.end <= self.text.len() {
            let i = self
                .segments
                .partition_point(|s| s.view_start <= span.start)
                - 1;
            let segment = &self.segments[i];
            if segment.verbatim && span.end <= self.segment_end(i) {
                return segment.source_at(span.start)..segment.source_at(span.end);
            }
        }
        self.to_source_by_ends(span)
    }

    /// [`to_source`](Self::to_source), each end mapped on its own.
    fn to_source_by_ends(&self, span: Span) -> Span {
        let start = self.source_start(span.start);
        let end = if span.end <= span.start {
            start
        } else {
            self.source_end(span.end).max(start)
        };
        start..end
    }

    fn segment_end(&self, i: usize) -> usize {
        self.segments
            .get(i + 1)
            .map_or(self.text.len(), |s| s.view_start)
    }

    /// The source offset of the character starting at view offset `at`.
    fn source_start(&self, at: usize) -> usize {
        if at >= self.text.len() {
            return self
                .segments
                .last()
                .map_or(self.source_len, |s| s.source.end);
        }
        let i = self.segments.partition_point(|s| s.view_start <= at) - 1;
        let segment = &self.segments[i];
        if segment.verbatim {
            segment.source_at(at)
        } else {
            segment.source.start
        }
    }

    /// The source offset just after the character ending at view offset `at`.
    fn source_end(&self, at: usize) -> usize {
        if at == 0 {
            return self.segments.first().map_or(0, |s| s.source.start);
        }
        let i = self.segments.partition_point(|s| s.view_start < at) - 1;
        let segment = &self.segments[i];
        if segment.verbatim {
            segment.source_at(at)
        } else if at >= self.segment_end(i) {
            segment.source.end
        } else {
            segment.source.start
        }
    }
}

/// Builds a view piece by piece, merging adjacent verbatim copies.
struct Builder<'a> {
    source: &'a str,
    text: String,
    segments: Vec<Segment>,
}

impl<'a> Builder<'a> {
    fn copy(&mut self, span: Span) {
        if span.is_empty() {
            return;
        }
        if let Some(last) = self.segments.last_mut()
            && last.verbatim
            && last.source.end == span.start
        {
            last.source.end = span.end;
        } else {
            self.segments.push(Segment {
                view_start: self.text.len(),
                source: span.clone(),
                verbatim: true,
            });
        }
        self.text.push_str(&self.source[span]);
    }

    fn replace(&mut self, span: Span, with: &str) {
        if with.is_empty() {
            return;
        }
        if with == &self.source[span.clone()] {
            return self.copy(span);
        }
        self.segments.push(Segment {
            view_start: self.text.len(),
            source: span,
            verbatim: false,
        });
        self.text.push_str(with);
    }

    /// Keeps only the line breaks of `span`, so blanked text keeps the document's lines.
    fn blank(&mut self, span: Span) {
        let start = span.start;
        for i in memchr::memchr2_iter(b'\n', b'\r', self.source[span].as_bytes()) {
            self.copy(start + i..start + i + 1);
        }
    }

    fn finish(self) -> TextView {
        TextView {
            text: self.text,
            segments: self.segments,
            source_len: self.source.len(),
        }
    }
}

static INLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?s)(?P<comment><!--.*?-->)",
        r#"|<a\s[^<>]*?href\s*=\s*["']?(?P<href>[^"'\s<>]+)["']?[^<>]*>(?P<atext>[^<>]*)</a\s*>"#,
        r"|(?P<tag></?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>)",
        r"|(?P<entity>&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)",
    ))
    .expect("inline markup pattern is valid")
});

/// The inline markup of Markdown, as [`next_markdown_markup`] reads it by hand: the
/// reference its tests compare it with.
#[cfg(test)]
static MARKDOWN_INLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?P<autolink><(?P<auto>https?://[^<>\s]+)>)",
        r"|(?P<image>!)?\[(?P<ltext>[^\[\]\n]*)\]\((?P<lurl>[^()\s]+)(?:\s+[^()]*)?\)",
        r"|(?P<emph>\*\*|__|\*|_)",
        r"|(?P<code>`+)",
    ))
    .expect("markdown markup pattern is valid")
});

/// The bytes that may start inline markup in Markdown (what [`next_markdown_markup`]
/// and [`INLINE`] can find first), in the groups [`MarkupBytes`] looks for them by.
const MARKUP_BYTES: [&[u8]; 3] = [b"<&[", b"!*_", b"`"];

/// Finds the next byte of a text that may start Markdown inline markup, as successive
/// calls ask for it from further on. Each group of [`MARKUP_BYTES`] is looked for with
/// memchr (a pass over the text in steps of 32 bytes, where a byte class costs the regex
/// crate a step a byte), and where each group's next byte lies is kept until a call
/// passes it, so the text is read once per group however many lines have markup.
struct MarkupBytes<'t> {
    text: &'t [u8],
    /// For each group, where its next byte at or after the last search is (`None`: not
    /// looked for yet, or the text's end when there is none).
    next: [Option<usize>; 3],
}

impl<'t> MarkupBytes<'t> {
    fn new(text: &'t str) -> MarkupBytes<'t> {
        MarkupBytes {
            text: text.as_bytes(),
            next: [None; 3],
        }
    }

    /// Where the first markup byte at or after `at` is, or the text's end.
    fn find_from(&mut self, at: usize) -> usize {
        let text = self.text;
        let mut first = text.len();
        for (next, bytes) in self.next.iter_mut().zip(MARKUP_BYTES) {
            let found = match *next {
                Some(found) if found >= at => found,
                _ => {
                    let rest = text.get(at..).unwrap_or_default();
                    let found = match *bytes {
                        [a, b, c] => memchr::memchr3(a, b, c, rest),
                        [a] => memchr::memchr(a, rest),
                        _ => unreachable!("groups of one or three bytes"),
                    };
                    found.map_or(text.len(), |i| at + i)
                }
            };
            *next = Some(found);
            first = first.min(found);
        }
        first
    }
}

/// Compiles the markup pattern now rather than on first use: when `text` is given, only
/// if reading it will use the pattern. (Markdown's own markup is read without one.)
pub(super) fn precompile(only_for: Option<&str>) {
    if only_for.is_none_or(has_html_markup) {
        LazyLock::force(&INLINE);
    }
}

/// Whether `text` holds a byte HTML markup starts with (`<` or `&`): without one,
/// [`INLINE`] cannot match.
fn has_html_markup(text: &str) -> bool {
    memchr::memchr2(b'<', b'&', text.as_bytes()).is_some()
}

/// Builds the view of `source`; `hidden` spans (front matter, code blocks) are blanked.
pub fn build(source: &str, format: Format, hidden: &[Span]) -> TextView {
    let mut builder = Builder {
        source,
        text: String::with_capacity(source.len()),
        // Room for the pieces of a text with a few tags or links.
        segments: Vec::with_capacity(16),
    };
    let mut at = 0;
    for span in hidden {
        visible(&mut builder, at..span.start, format);
        builder.blank(span.clone());
        at = span.end;
    }
    visible(&mut builder, at..source.len(), format);
    builder.finish()
}

fn visible(builder: &mut Builder, span: Span, format: Format) {
    if format != Format::Markdown {
        return html_inline(builder, span);
    }
    // Markdown is handled line by line for its block markers and inline markup. Most
    // lines have neither: they are found with one search for markup bytes and one for
    // line breaks, and copied together as they are.
    let source = builder.source;
    let mut at = span.start;
    let mut markup_bytes = MarkupBytes::new(&source[..span.end]);
    let mut markup = markup_bytes.find_from(at);
    while at < span.end {
        let plain_end = plain_lines_end(source, at, span.end, markup);
        if plain_end > at {
            builder.copy(at..plain_end);
            at = plain_end;
            continue;
        }
        let line_end = crate::position::next_line_break(source, at).min(span.end);
        let content = at + block_marker_len(&source[at..line_end]);
        if markup < line_end {
            markdown_inline(builder, content..line_end);
            markup = markup_bytes.find_from(line_end);
        } else {
            builder.copy(content..line_end);
        }
        let mut next = line_end;
        if next < span.end {
            next += if source[next..].starts_with("\r\n") {
                2
            } else {
                1
            };
            builder.copy(line_end..next);
        }
        at = next;
    }
}

/// Where the lines of `source` from `from` (a line start) on that are copied as they are
/// end, before `end`: at the start of the first line that may begin with a block marker
/// (`#` or `>` after at most four spaces) or that holds `markup` (the next byte that may
/// start inline markup), or at `end`. A line that may begin with a marker holds a `#` or
/// `>`, so those bytes are looked for (one search, rare in prose) rather than each line
/// break, and each is told a marker or not from the at most five bytes before it.
fn plain_lines_end(source: &str, from: usize, end: usize, markup: usize) -> usize {
    let bytes = &source.as_bytes()[..end];
    let before = markup.min(end);
    for offset in memchr::memchr2_iter(b'#', b'>', &bytes[from..before]) {
        let at = from + offset;
        let spaces = bytes[from..at]
            .iter()
            .rev()
            .take(5)
            .take_while(|&&b| b == b' ')
            .count();
        let line_start = at - spaces;
        if spaces <= 4 && (line_start == from || matches!(bytes[line_start - 1], b'\n' | b'\r')) {
            return line_start;
        }
    }
    if markup < end {
        // The start of the line that holds the markup.
        memchr::memrchr2(b'\n', b'\r', &bytes[from..markup]).map_or(from, |i| from + i + 1)
    } else {
        end
    }
}

/// Length of a leading `#` heading marker or `>` quote marker (with its space).
fn block_marker_len(line: &str) -> usize {
    let trimmed = line.trim_start_matches(' ');
    let indent = line.len() - trimmed.len();
    if indent > 3 {
        return 0;
    }
    let hashes = trimmed.bytes().take_while(|&b| b == b'#').count();
    if (1..=6).contains(&hashes) && trimmed[hashes..].chars().next().is_none_or(|c| c == ' ') {
        let rest = &trimmed[hashes..];
        return indent + hashes + (rest.len() - rest.trim_start_matches(' ').len());
    }
    let quotes = trimmed
        .bytes()
        .take_while(|&b| b == b'>' || b == b' ')
        .count();
    if trimmed.starts_with('>') {
        return indent + quotes;
    }
    0
}

fn html_inline(builder: &mut Builder, span: Span) {
    let source = builder.source;
    let mut at = span.start;
    // Matching is cheap; capture groups are resolved only for links, on the link alone.
    for (start, end) in inline_markup(&source[span.clone()]) {
        let whole = &source[span.start + start..span.start + end];
        let (start, end) = (span.start + start, span.start + end);
        builder.copy(at..start);
        let link_groups = is_link_tag(whole)
            .then(|| INLINE.captures(whole))
            .flatten()
            .and_then(|caps| Some((caps.name("href")?.range(), caps.name("atext")?.range())));
        if whole.starts_with('&') {
            let decoded = html_escape::decode_html_entities(whole);
            builder.replace(start..end, &decoded);
        } else if let Some((href, text)) = link_groups {
            let href = start + href.start..start + href.end;
            let text = start + text.start..start + text.end;
            builder.blank(start..text.start);
            // In HTML the URL comes before the text: the view's closing `)` stands for
            // the end of `</a>`, so a match ending there covers the whole link.
            link(builder, text.clone(), href, end);
            builder.blank(text.end..end);
        } else {
            // A tag or comment: dropped, but a line break inside it is kept.
            builder.blank(start..end);
        }
        at = end;
    }
    builder.copy(at..span.end);
}

/// The spans of the inline markup in `text`, as `INLINE.find_iter` finds them. A tag
/// without attributes (`<u>`, `</u>`, `<br/>`), the commonest markup in scraped text, is
/// read here; the regex looks from any other `<` or `&` on. (A search with the regex
/// costs about 600 instructions a match, most of it to find where the match ends.)
fn inline_markup(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = at + memchr::memchr2(b'<', b'&', bytes.get(at..)?)?;
        let (start, end) = match bare_tag_len(&bytes[start..]) {
            Some(len) => (start, start + len),
            None => {
                let found = INLINE.find_at(text, start)?;
                (found.start(), found.end())
            }
        };
        at = end;
        Some((start, end))
    })
}

/// The length of the tag without attributes that `markup` starts with, if it does:
/// `</?[A-Za-z][A-Za-z0-9-]*/?>`. [`INLINE`] matches such a tag, and only as a tag: a
/// comment starts `<!`, a link `<a` and a space.
fn bare_tag_len(markup: &[u8]) -> Option<usize> {
    let name_at = if markup.get(1) == Some(&b'/') { 2 } else { 1 };
    if markup.first() != Some(&b'<') || !markup.get(name_at)?.is_ascii_alphabetic() {
        return None;
    }
    let name_len = markup[name_at..]
        .iter()
        .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'-')
        .count();
    let close_at = name_at + name_len;
    match markup.get(close_at..)? {
        [b'>', ..] => Some(close_at + 1),
        [b'/', b'>', ..] => Some(close_at + 2),
        _ => None,
    }
}

/// Whether a piece of markup is an `<a …>` link (the only one whose groups are needed).
fn is_link_tag(markup: &str) -> bool {
    markup
        .strip_prefix("<a")
        .and_then(|rest| rest.chars().next())
        .is_some_and(char::is_whitespace)
}

/// Writes a link as `text (url)`, or as `url` when the text is a URL itself; `close` is
/// the source offset the view's closing `)` maps to (the end of the link as written).
fn link(builder: &mut Builder, text: Span, url: Span, close: usize) {
    let source = builder.source;
    let shown = source[text.clone()].trim();
    if shown.starts_with("http://") || shown.starts_with("https://") || shown.is_empty() {
        if shown.is_empty() {
            builder.copy(url);
        } else {
            html_inline(builder, text);
        }
        return;
    }
    html_inline(builder, text);
    let view_start = builder.text.len();
    builder.text.push_str(" (");
    builder.segments.push(Segment {
        view_start,
        source: url.start..url.start,
        verbatim: false,
    });
    builder.copy(url.clone());
    let view_start = builder.text.len();
    builder.text.push(')');
    builder.segments.push(Segment {
        view_start,
        source: url.end.max(close)..url.end.max(close),
        verbatim: false,
    });
}

fn markdown_inline(builder: &mut Builder, span: Span) {
    let source = builder.source;
    let line = &source[span.clone()];
    let mut at = span.start;
    let mut search = 0;
    // HTML tags and entities are atomic: a `_` inside `target="_blank"` is no emphasis.
    let html: Vec<Span> = if has_html_markup(line) {
        INLINE.find_iter(line).map(|m| m.range()).collect()
    } else {
        Vec::new()
    };
    while let Some(whole) = next_markdown_markup(line, search) {
        search = whole.end;
        if let Some(tag) = html
            .iter()
            .find(|t| t.start < whole.start && whole.start < t.end)
        {
            search = tag.end;
            continue;
        }
        let (start, end) = (span.start + whole.start, span.start + whole.end);
        let marker = &line[whole.clone()];
        if marker.starts_with(['*', '_']) && !is_emphasis(line, whole.start, whole.end) {
            continue;
        }
        html_inline(builder, at..start);
        at = end;
        if marker.starts_with('`') {
            // Inline code is quoted, not article text: hidden up to the closing backticks.
            if let Some(close) = closing_backticks(line, whole.end, marker.len()) {
                at = span.start + close;
                search = close;
            }
            continue;
        }
        if !marker.starts_with(['<', '[', '!']) {
            // An emphasis marker or code backticks: dropped.
            continue;
        }
        let offset = |r: Span| start + r.start..start + r.end;
        match markdown_link(marker) {
            MarkdownLink::Auto(url) => builder.copy(offset(url)),
            MarkdownLink::Image(text) => html_inline(builder, offset(text)),
            MarkdownLink::Link(text, url) => {
                let url = offset(url);
                let close = (url.end + 1).min(end);
                link(builder, offset(text), url, close);
            }
        }
    }
    html_inline(builder, at..span.end);
}

/// The first inline markup of a Markdown `line` that starts at or after `from`: an
/// autolink `<(https?://[^<>\s]+)>`, a link or image `!?\[([^\[\]\n]*)\]\(([^()\s]+)(?:\s+[^()]*)?\)`,
/// an emphasis marker `\*\*|__|\*|_` or a run of backticks, as a regex of those four
/// alternatives finds it. Each kind is told by its first byte and read by hand: a regex
/// search costs more than a thousand instructions on a line with a long link, most of it
/// to find where the match begins again, backwards.
fn next_markdown_markup(line: &str, from: usize) -> Option<Span> {
    let bytes = line.as_bytes();
    let mut at = from;
    loop {
        let rest = bytes.get(at..)?;
        let start = match (
            memchr::memchr3(b'<', b'!', b'[', rest),
            memchr::memchr3(b'*', b'_', b'`', rest),
        ) {
            (Some(a), Some(b)) => at + a.min(b),
            (Some(a), None) | (None, Some(a)) => at + a,
            (None, None) => return None,
        };
        let run = |byte: u8| bytes[start..].iter().take_while(|&&b| b == byte).count();
        let end = match bytes[start] {
            // `**` or `__` before `*` or `_`.
            marker @ (b'*' | b'_') => Some(start + run(marker).min(2)),
            b'`' => Some(start + run(b'`')),
            b'<' => autolink_end(line, start),
            b'!' if bytes.get(start + 1) == Some(&b'[') => link_end(line, start + 1),
            b'[' => link_end(line, start),
            _ => None,
        };
        match end {
            Some(end) => return Some(start..end),
            None => at = start + 1,
        }
    }
}

/// The end of the autolink `<(https?://[^<>\s]+)>` at `open` (a `<`) of `line`, if one is
/// there.
fn autolink_end(line: &str, open: usize) -> Option<usize> {
    let after = &line[open + 1..];
    let scheme = after.strip_prefix("http")?;
    let url = scheme
        .strip_prefix('s')
        .unwrap_or(scheme)
        .strip_prefix("://")?;
    let url_start = line.len() - url.len();
    let url_end = run_before(url, [b'<', b'>']).map_or(line.len(), |i| url_start + i);
    (url_end > url_start && line.as_bytes().get(url_end) == Some(&b'>')).then_some(url_end + 1)
}

/// The end of the link `\[([^\[\]\n]*)\]\(([^()\s]+)(?:\s+[^()]*)?\)` at `open` (a `[`) of
/// `line`, if one is there. (The URL runs to the first space or bracket; after a space,
/// the title runs to the first bracket, which must close the link.)
fn link_end(line: &str, open: usize) -> Option<usize> {
    let bytes = line.as_bytes();
    let text_end = open
        + 1
        + bytes[open + 1..]
            .iter()
            .position(|b| matches!(b, b'[' | b']' | b'\n'))?;
    if bytes[text_end] != b']' || bytes.get(text_end + 1) != Some(&b'(') {
        return None;
    }
    let url_start = text_end + 2;
    let url_end =
        run_before(&line[url_start..], [b'(', b')']).map_or(line.len(), |i| url_start + i);
    if url_end == url_start {
        return None;
    }
    let close = match line[url_end..].chars().next()? {
        ')' => url_end,
        c if c.is_whitespace() => url_end + line[url_end..].find(['(', ')'])?,
        _ => return None,
    };
    (bytes[close] == b')').then_some(close + 1)
}

/// Where the first of the two ASCII bytes `stops`, or the first whitespace character, is
/// in `text`: `text.find(|c| stops.contains(c) || c.is_whitespace())`. A URL is ASCII
/// without control bytes almost always, and then ends at the first stop or space, which
/// memchr finds; the bytes before it are checked in one pass that needs no branch per
/// byte. Otherwise the text is read a byte at a time, and a non-ASCII character decoded.
fn run_before(text: &str, [first, second]: [u8; 2]) -> Option<usize> {
    let bytes = text.as_bytes();
    let found = memchr::memchr3(first, second, b' ', bytes);
    let before = &bytes[..found.unwrap_or(bytes.len())];
    if before
        .iter()
        .fold(0u8, |seen, &b| seen | u8::from(!(b' '..0x80).contains(&b)))
        == 0
    {
        return found;
    }
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        if byte.is_ascii() {
            // ASCII's whitespace characters are tab to carriage return, and the space.
            if byte == first || byte == second || matches!(byte, b'\t'..=b'\r' | b' ') {
                return Some(at);
            }
            at += 1;
        } else {
            let c = text[at..].chars().next()?;
            if c.is_whitespace() {
                return Some(at);
            }
            at += c.len_utf8();
        }
    }
    None
}

/// The parts of a link [`next_markdown_markup`] found, as ranges of the match.
enum MarkdownLink {
    /// `<https://…>`: the URL.
    Auto(Span),
    /// `![alt](src)`: the alt text.
    Image(Span),
    /// `[text](url "title")`: the text and the URL.
    Link(Span, Span),
}

/// Splits a link [`next_markdown_markup`] found into its parts: the pattern fixes where
/// they are (the text holds no `]`; the URL runs to the first space
/// or `)`).
fn markdown_link(marker: &str) -> MarkdownLink {
    if marker.starts_with('<') {
        return MarkdownLink::Auto(1..marker.len().saturating_sub(1).max(1));
    }
    let open = usize::from(marker.starts_with('!'));
    let text_end = open + 1 + marker[open + 1..].find(']').unwrap_or(0);
    let text = open + 1..text_end;
    if open == 1 {
        return MarkdownLink::Image(text);
    }
    let url_start = (text_end + 2).min(marker.len());
    let url_end =
        run_before(&marker[url_start..], [b')'; 2]).map_or(marker.len(), |i| url_start + i);
    MarkdownLink::Link(text, url_start..url_end)
}

/// The end of the run of exactly `count` backticks that closes inline code opened before
/// `from`, if the line has one.
fn closing_backticks(line: &str, from: usize, count: usize) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut at = from;
    while let Some(offset) = memchr::memchr(b'`', &bytes[at..]) {
        let start = at + offset;
        let run = bytes[start..].iter().take_while(|&&b| b == b'`').count();
        if run == count {
            return Some(start + run);
        }
        at = start + run;
    }
    None
}

/// Whether an emphasis run at `start..end` of `line` opens or closes emphasis (it touches
/// a word on one side and space or punctuation on the other), rather than sitting inside
/// a word such as `snake_case` or standing alone as in `2 * 3`.
fn is_emphasis(line: &str, start: usize, end: usize) -> bool {
    let before = line[..start].chars().next_back();
    let after = line[end..].chars().next();
    let word = |c: Option<char>| c.is_some_and(|c| !c.is_whitespace());
    let boundary =
        |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || c.is_ascii_punctuation());
    let underscore = line[start..end].starts_with('_');
    if underscore {
        // `_` inside words (snake_case, URLs) is never emphasis.
        (boundary(before) && word(after)) || (word(before) && boundary(after))
    } else {
        word(after) || word(before)
    }
}

/// The spans of fenced and indented code blocks in Markdown `text`, starting the scan at
/// `from` (after any front matter).
pub fn markdown_code_blocks(text: &str, from: usize) -> Vec<Span> {
    // A fence needs a backtick or a tilde, an indented line a tab or four spaces at its
    // start: a text with none of them (most prose) has no block, and is not read line by
    // line. (The spaces are looked for after a line break: memchr's search skips ahead on
    // the break, rare in prose, where on spaces alone it would stop at every one.)
    static INDENTED_LINE: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new(b"\n    "));
    let rest = text.as_bytes().get(from..).unwrap_or_default();
    if memchr::memchr3(b'`', b'~', b'\t', rest).is_none()
        && !rest.starts_with(b"    ")
        && INDENTED_LINE.find(rest).is_none()
    {
        return Vec::new();
    }
    code_blocks_by_lines(text, from)
}

/// [`markdown_code_blocks`], reading every line.
fn code_blocks_by_lines(text: &str, from: usize) -> Vec<Span> {
    let mut blocks = Vec::new();
    let mut fence: Option<(u8, usize, usize)> = None; // (char, length, start)
    let mut indented: Option<(usize, usize)> = None; // (start, end of last code line)
    let mut previous_blank = true;
    let mut at = from;
    while at < text.len() {
        let end = memchr::memchr(b'\n', &text.as_bytes()[at..]).map_or(text.len(), |i| at + i + 1);
        let line = text[at..end].trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        let blank = line.trim().is_empty();
        if let Some((ch, len, start)) = fence {
            let run = trimmed.bytes().take_while(|&b| b == ch).count();
            if indent < 4 && run >= len && trimmed[run..].trim().is_empty() {
                blocks.push(start..end);
                fence = None;
            }
        } else if indent < 4 && (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
            if let Some((start, last)) = indented.take() {
                blocks.push(start..last);
            }
            let ch = trimmed.as_bytes()[0];
            let len = trimmed.bytes().take_while(|&b| b == ch).count();
            fence = Some((ch, len, at));
        } else if indent >= 4 || line.starts_with('\t') {
            if let Some((_, last)) = indented.as_mut() {
                *last = end;
            } else if previous_blank && !blank {
                indented = Some((at, end));
            }
        } else if !blank && let Some((start, last)) = indented.take() {
            blocks.push(start..last);
        }
        previous_blank = blank;
        at = end;
    }
    if let Some((_, _, start)) = fence {
        blocks.push(start..text.len());
    }
    if let Some((start, last)) = indented {
        blocks.push(start..last);
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(text: &str, format: Format) -> TextView {
        build(text, format, &[])
    }

    #[test]
    fn tags_are_dropped_and_spans_map_back() {
        let source = "from <u>https://phys.org/x.html</u>\n";
        let view = view(source, Format::Text);
        assert_eq!(view.text(), "from https://phys.org/x.html\n");
        let url = 5..28;
        assert_eq!(&view.text()[url.clone()], "https://phys.org/x.html");
        let mapped = view.to_source(url);
        assert_eq!(&source[mapped], "https://phys.org/x.html");
    }

    #[test]
    fn entities_are_decoded() {
        let source = "Tom &amp; Jerry&#39;s";
        let view = view(source, Format::Html);
        assert_eq!(view.text(), "Tom & Jerry's");
        assert_eq!(view.to_source(4..5), 4..9);
        assert_eq!(&source[view.to_source(0..13)], source);
    }

    /// The parts `markdown_link` reads, as the pattern's groups give them.
    fn groups(marker: &str) -> (Option<Span>, Option<Span>, Option<Span>, bool) {
        let caps = MARKDOWN_INLINE.captures(marker).expect("a link");
        let range = |name: &str| caps.name(name).map(|m| m.range());
        (
            range("auto"),
            range("ltext"),
            range("lurl"),
            caps.name("image").is_some(),
        )
    }

    fn read(marker: &str) -> (Option<Span>, Option<Span>, Option<Span>, bool) {
        match markdown_link(marker) {
            MarkdownLink::Auto(url) => (Some(url), None, None, false),
            MarkdownLink::Image(text) => (None, Some(text), groups(marker).2, true),
            MarkdownLink::Link(text, url) => (None, Some(text), Some(url), false),
        }
    }

    #[test]
    fn markdown_links_split_as_the_pattern_groups_them() {
        for marker in [
            "<https://a.org/x>",
            "[text](https://a.org)",
            "[](u)",
            "![alt text](img.png)",
            "[a link](https://a.org \"Title x\")",
            "[é](https://é.org/ü)",
            "[t](u\t\"x\")",
        ] {
            let whole = MARKDOWN_INLINE.find(marker).unwrap();
            assert_eq!(whole.range(), 0..marker.len(), "{marker}");
            assert_eq!(read(marker), groups(marker), "{marker}");
        }
    }

    proptest::proptest! {
        /// The markup found is what the inline pattern finds, tag for tag.
        #[test]
        fn inline_markup_is_what_the_pattern_finds(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "<", ">", "/", "u", "a", "br", "-", "1", " ", "\n", "&", "amp", ";", "#", "x",
                    "!--", "--", "href=", "\"", "'", "http://e.x", "<u>", "</u>", "<a href=u>",
                    "</a>", "<br/>", "<b-1>", "&amp;", "&#38;", "é", "text",
                ]),
                0..24,
            ),
        ) {
            let text = parts.concat();
            let expected: Vec<(usize, usize)> =
                INLINE.find_iter(&text).map(|m| (m.start(), m.end())).collect();
            proptest::prop_assert_eq!(inline_markup(&text).collect::<Vec<_>>(), expected);
        }

        /// A run before stop bytes or whitespace ends where the character search ends.
        #[test]
        fn runs_end_where_the_character_search_ends(
            text in "[a-z()<>\\t\\n\\x0B\\x0C\\r \\u{85}\\u{A0}\\u{1680}\\u{2000}-\\u{200B}\\u{2028}\\u{202F}\\u{3000}\\u{1C}-\\u{1F}é€😀]{0,12}",
        ) {
            for stops in [[b'<', b'>'], [b'(', b')'], [b')'; 2]] {
                let stop = |c: char| u8::try_from(c).is_ok_and(|b| stops.contains(&b));
                let expected = text.find(|c: char| stop(c) || c.is_whitespace());
                proptest::prop_assert_eq!(run_before(&text, stops), expected, "{:?}", stops);
            }
        }

        /// A span of the view maps to the source as its two ends, each mapped on its own,
        /// do: the span within one verbatim piece is only moved.
        #[test]
        fn spans_map_to_the_source_as_their_ends_do(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "é", " ", "\n", "\r\n", "<u>", "</u>", "<a href=u>t</a>", "&amp;",
                    "**", "`c`", "[t](u)", "<https://e.x>", "# ", "---\nk: v\n---\n",
                ]),
                0..14,
            ),
            markdown in proptest::bool::ANY,
        ) {
            let source = parts.concat();
            let format = if markdown { Format::Markdown } else { Format::Html };
            let view = view(&source, format);
            let text = view.text();
            let ends: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
            for (k, &start) in ends.iter().enumerate() {
                for &end in &ends[k..] {
                    proptest::prop_assert_eq!(
                        view.to_source(start..end),
                        view.to_source_by_ends(start..end),
                        "{:?} of {:?}", start..end, source
                    );
                }
            }
        }

        /// Markdown lines copied together are what reading each line alone makes of them,
        /// piece for piece.
        #[test]
        fn markdown_plain_lines_are_copied_as_each_line_alone_would_be(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "é", " ", "   ", "    ", "\n", "\r\n", "\r", "#", "# ", "##", ">",
                    "> ", "**", "_", "`", "[t](u)", "<u>", "&amp;", "!", "x#", "\t",
                ]),
                0..20,
            ),
        ) {
            let source = parts.concat();
            let view = view(&source, Format::Markdown);
            let mut builder = Builder {
                source: &source,
                text: String::new(),
                segments: Vec::new(),
            };
            let mut at = 0;
            while at < source.len() {
                let line_end = crate::position::next_line_break(&source, at);
                let content = at + block_marker_len(&source[at..line_end]);
                markdown_inline(&mut builder, content..line_end);
                let next = if source[line_end..].starts_with("\r\n") {
                    line_end + 2
                } else {
                    (line_end + 1).min(source.len())
                };
                builder.copy(line_end..next);
                at = next;
            }
            let alone = builder.finish();
            proptest::prop_assert_eq!(view.text(), alone.text(), "{:?}", source);
            proptest::prop_assert_eq!(&view.segments, &alone.segments, "{:?}", source);
        }

        /// Texts ruled out without reading their lines have no code block.
        #[test]
        fn code_blocks_are_those_read_line_by_line(
            text in "(```|~~~|    | |\t|\n|\r|a|`)*",
        ) {
            proptest::prop_assert_eq!(markdown_code_blocks(&text, 0), code_blocks_by_lines(&text, 0));
        }

        /// The markup bytes found from positions that only grow are the class's matches.
        #[test]
        fn markup_bytes_are_the_byte_class_found_further_on(
            text in "[a <&\\[!*_`é\n]{0,60}",
            steps in proptest::collection::vec(0usize..12, 0..12),
        ) {
            let class = regex::Regex::new(r"[<&\[!*_`]").expect("valid");
            let mut bytes = MarkupBytes::new(&text);
            let mut at = 0;
            for step in steps {
                at = (at + step).min(text.len());
                let expected = class.find_at(&text, at).map_or(text.len(), |m| m.start());
                proptest::prop_assert_eq!(bytes.find_from(at), expected);
            }
        }

        /// Markdown markup read by hand is what the pattern finds, from every place.
        #[test]
        fn markdown_markup_is_what_the_pattern_finds(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "<", ">", "!", "[", "]", "(", ")", "*", "**", "_", "`", "``", " ", "\t",
                    "\n", "\u{a0}", "\u{2003}", "\u{85}", "é", "a", "x y", "http", "https",
                    "://", "http://e.x", "<https://e.x>", "[t](u)", "![i](u \"t\")", "\"",
                    "[t", "](u", "](u ", "(x)", "t)",
                ]),
                0..16,
            ),
        ) {
            let line = parts.concat();
            for from in (0..=line.len()).filter(|&i| line.is_char_boundary(i)) {
                let expected = MARKDOWN_INLINE.find_at(&line, from).map(|m| m.range());
                proptest::prop_assert_eq!(next_markdown_markup(&line, from), expected, "from {}", from);
            }
        }

        #[test]
        fn markdown_links_split_like_the_pattern(
            marker in r#"!?\[[^\[\]\n]{0,6}\]\([^()\s]{1,6}(\s{1,2}[^()]{0,6})?\)|<https?://[^<>\s]{1,8}>"#
        ) {
            proptest::prop_assume!(MARKDOWN_INLINE.find(&marker).is_some_and(|m| m.range() == (0..marker.len())));
            proptest::prop_assert_eq!(read(&marker), groups(&marker));
        }
    }

    #[test]
    fn markdown_plain_lines_between_marked_up_ones() {
        let source = "# Plain heading\n\n> quoted plain\nText with *emphasis* and [a link](https://x.org)\r\nplain again\n## Last";
        let view = view(source, Format::Markdown);
        assert_eq!(
            view.text(),
            "Plain heading\n\nquoted plain\nText with emphasis and a link (https://x.org)\r\nplain again\nLast"
        );
        let again = view.text().find("again").unwrap();
        assert_eq!(&source[view.to_source(again..again + 5)], "again");
        let last = view.text().len() - 4;
        assert_eq!(&source[view.to_source(last..view.text().len())], "Last");
    }

    #[test]
    fn markdown_emphasis_links_and_headings() {
        let source = "# Title\n**Citation**: see [the article](https://a.org/x) and snake_case\n";
        let view = view(source, Format::Markdown);
        assert_eq!(
            view.text(),
            "Title\nCitation: see the article (https://a.org/x) and snake_case\n"
        );
        let at = view.text().find("https").unwrap();
        let mapped = view.to_source(at..at + 15);
        assert_eq!(&source[mapped], "https://a.org/x");
    }

    #[test]
    fn underscores_inside_tags_are_not_emphasis() {
        let source = "On the <a href=\"http://a.org/x_y\" target=\"_blank\">blog</a> _now_\n";
        let view = view(source, Format::Markdown);
        assert_eq!(view.text(), "On the blog (http://a.org/x_y) now\n");
    }

    #[test]
    fn inline_code_is_hidden() {
        let source = "See `Citation: x` and ``a ` b`` then `open\n";
        let view = view(source, Format::Markdown);
        assert_eq!(view.text(), "See  and  then open\n");
    }

    #[test]
    fn a_match_ending_after_an_html_link_covers_it() {
        let source = "on <a href=\"https://a.org\">The Site</a>. Next";
        let view = view(source, Format::Html);
        assert_eq!(view.text(), "on The Site (https://a.org). Next");
        let end = view.text().find(')').unwrap() + 1;
        assert_eq!(
            &source[view.to_source(0..end)],
            "on <a href=\"https://a.org\">The Site</a>"
        );
    }

    #[test]
    fn link_whose_text_is_the_url() {
        let source = "from [https://a.org/x](https://a.org/x).";
        let view = view(source, Format::Markdown);
        assert_eq!(view.text(), "from https://a.org/x.");
    }

    #[test]
    fn code_blocks_are_found() {
        let text = "para\n\n```\ncode\n```\ntext\n\n    indented\nafter\n";
        let blocks = markdown_code_blocks(text, 0);
        assert_eq!(blocks.len(), 2);
        assert_eq!(&text[blocks[0].clone()], "```\ncode\n```\n");
        assert_eq!(&text[blocks[1].clone()], "    indented\n");
    }
}
