//! Front matter: the `---` YAML or `+++` TOML block at the top of a Markdown file, read
//! into flat `key.path = value` entries, each with the span of its value in the document.

use std::collections::HashMap;

use crate::position::Span;

/// The language of a front matter block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrontMatterSyntax {
    /// `---` fenced YAML.
    Yaml,
    /// `+++` fenced TOML.
    Toml,
}

/// A parsed front matter block.
#[derive(Debug, Clone)]
pub struct FrontMatter {
    /// YAML or TOML.
    pub syntax: FrontMatterSyntax,
    /// The whole block, fences included.
    pub span: Span,
    /// Scalar values by dotted key path, in source order; list items repeat their key.
    pub entries: Vec<FrontMatterEntry>,
    /// A syntax error in the block: where and what.
    pub error: Option<(Span, String)>,
}

/// One scalar value of the front matter.
#[derive(Debug, Clone)]
pub struct FrontMatterEntry {
    /// Dotted key path, such as `source_url` or `image.credit`.
    pub key: String,
    /// The value as text (quotes removed).
    pub value: String,
    /// The value's span in the document (inside any quotes).
    pub span: Span,
}

impl FrontMatter {
    /// The first entry with key `key`.
    pub fn get(&self, key: &str) -> Option<&FrontMatterEntry> {
        self.entries.iter().find(|e| e.key == key)
    }
}

/// Finds and parses front matter at the start of `text`.
pub fn parse(text: &str) -> Option<FrontMatter> {
    let (syntax, fence) = if text.starts_with("---") {
        (FrontMatterSyntax::Yaml, "---")
    } else if text.starts_with("+++") {
        (FrontMatterSyntax::Toml, "+++")
    } else {
        return None;
    };
    let first_end = line_end(text, 0);
    if text[fence.len()..first_end].trim() != "" {
        return None;
    }
    let inner_start = next_line(text, first_end);
    let mut at = inner_start;
    while at < text.len() {
        let end = line_end(text, at);
        let line = text[at..end].trim_end();
        if line == fence || (syntax == FrontMatterSyntax::Yaml && line == "...") {
            let inner = inner_start..at;
            let span = 0..next_line(text, end);
            let mut front = FrontMatter {
                syntax,
                span,
                entries: Vec::new(),
                error: None,
            };
            match syntax {
                FrontMatterSyntax::Yaml => read_yaml(text, inner, &mut front),
                FrontMatterSyntax::Toml => read_toml(text, inner, &mut front),
            }
            return Some(front);
        }
        at = next_line(text, end);
    }
    None
}

fn line_end(text: &str, from: usize) -> usize {
    crate::position::next_line_break(text, from)
}

fn next_line(text: &str, line_end: usize) -> usize {
    if text[line_end..].starts_with("\r\n") {
        line_end + 2
    } else if line_end < text.len() {
        line_end + 1
    } else {
        line_end
    }
}

/// The most values front matter may expand to through YAML aliases: a hostile block
/// (`a: &a [x, x]`, `b: &b [*a, *a]`, …) could otherwise grow without bound.
const MAX_FRONT_MATTER_VALUES: usize = 10_000;

/// Reads YAML front matter from the events of serde-saphyr's own parser (granit-parser).
///
/// Front matter is read for every Markdown file and only its scalars and their spans are
/// kept, so the serde layer (which builds a whole spanned tree) is skipped here; rule files
/// still go through serde-saphyr. Scalars keep their text as written (`1.0` stays `1.0`);
/// plain `~`, `null` and empty values are absent. Aliases repeat the values of their anchor,
/// within [`MAX_FRONT_MATTER_VALUES`].
fn read_yaml(text: &str, inner: Span, front: &mut FrontMatter) {
    let source = &text[inner.clone()];
    if let Some(entries) = simple_yaml(source, inner.start) {
        front.entries = entries;
        return;
    }
    if let Err((offset, message)) = flatten_yaml(source, inner.start, &mut front.entries) {
        let at = inner.start + offset.min(source.len());
        front.entries.clear();
        front.error = Some((at..at, format!("front matter is not valid YAML: {message}")));
    }
}

/// Reads the most common front matter, one `key: value` a line, without the YAML parser;
/// `None` for anything else (nesting, lists, multi-line or escaped values, anchors, flow
/// collections, tabs, comments after a value), which the parser then reads. What it
/// returns is what the parser gives for the same text (a property test holds it to that).
///
/// A value is plain (not starting with a YAML indicator, no `: ` or ` #` inside), or in
/// double quotes without `\` or in single quotes without `''`. Plain `~` and `null` are
/// absent, as with the parser.
fn simple_yaml(source: &str, base: usize) -> Option<Vec<FrontMatterEntry>> {
    let mut entries = Vec::new();
    // The lines as `split_inclusive('\n')` has them, their breaks found with memchr.
    let ends = memchr::memchr_iter(b'\n', source.as_bytes())
        .map(|at| at + 1)
        .chain((!source.ends_with('\n')).then_some(source.len()));
    let mut next_start = 0;
    for end in ends {
        let start = std::mem::replace(&mut next_start, end);
        let line = &source[start..end];
        let line = line.strip_suffix('\n').unwrap_or(line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        // Printable as YAML defines it (so the parser would not refuse it), tabs aside.
        let printable = |c: char| {
            matches!(c, ' '..='~' | '\u{85}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
                && c != '\u{FEFF}'
        };
        // Most lines are printable ASCII, tested without decoding in one pass that needs no
        // branch per byte.
        let ascii = line
            .bytes()
            .fold(0u8, |seen, b| seen | u8::from(!(b' '..=b'~').contains(&b)))
            == 0;
        if !ascii && !line.chars().all(printable) {
            return None;
        }
        let trimmed = line.trim_start_matches(' ');
        if trimmed.is_empty() || (trimmed.starts_with('#') && trimmed.len() == line.len()) {
            continue;
        }
        let key_len = line
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
            .count();
        if key_len == 0 || !line.as_bytes()[0].is_ascii_alphabetic() && line.as_bytes()[0] != b'_' {
            return None;
        }
        let rest = line[key_len..].strip_prefix(": ")?;
        let value_start = start + line.len() - rest.trim_start_matches(' ').len();
        let rest = rest.trim_matches(' ');
        if rest.is_empty() {
            return None;
        }
        let (value, span) = match rest.as_bytes()[0] {
            quote @ (b'"' | b'\'') => {
                let inside = rest[1..].strip_suffix(quote as char)?;
                // No quote inside, nor a backslash in double quotes (in single ones, it is text).
                let escape = if quote == b'"' { b'\\' } else { quote };
                if memchr::memchr2(quote, escape, inside.as_bytes()).is_some() {
                    return None;
                }
                (inside, value_start + 1..value_start + 1 + inside.len())
            }
            b'-' | b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!'
            | b'|' | b'>' | b'%' | b'@' | b'`' => return None,
            _ => {
                if rest.ends_with(':') || holds_key_or_comment(rest.as_bytes()) {
                    return None;
                }
                if matches!(rest, "~" | "null" | "Null" | "NULL") {
                    continue;
                }
                (rest, value_start..value_start + rest.len())
            }
        };
        entries.push(FrontMatterEntry {
            key: line[..key_len].to_string(),
            value: value.to_string(),
            span: base + span.start..base + span.end,
        });
    }
    Some(entries)
}

/// Whether a plain value holds `: ` (a key) or ` #` (a comment): each `:` or `#`, found
/// with one memchr, is told by the byte after or before it.
fn holds_key_or_comment(value: &[u8]) -> bool {
    memchr::memchr2_iter(b':', b'#', value).any(|at| match value[at] {
        b':' => value.get(at + 1) == Some(&b' '),
        _ => at > 0 && value[at - 1] == b' ',
    })
}

/// An open collection while reading front matter events.
enum Open {
    /// A mapping: the length of the key path before it, and whether a key comes next.
    Map { path_len: usize, key_next: bool },
    /// A sequence: its items repeat the key the sequence is under.
    Seq,
}

/// A collection with an anchor, while it is read: its anchor id, where its entries start,
/// the length of the key path it sits under, and how many collections enclose it.
struct Anchored {
    id: usize,
    first_entry: usize,
    path_len: usize,
    depth: usize,
}

/// Flattens YAML `source` (starting at byte `base` of the document) into entries, or says
/// where (a byte offset in `source`) and why it is not valid YAML.
fn flatten_yaml(
    source: &str,
    base: usize,
    out: &mut Vec<FrontMatterEntry>,
) -> Result<(), (usize, String)> {
    use granit_parser::{Event, ScalarStyle};

    let byte_offset = |marker: &granit_parser::Marker| {
        marker.byte_offset().unwrap_or_else(|| {
            source
                .char_indices()
                .nth(marker.index())
                .map_or(source.len(), |(i, _)| i)
        })
    };
    let mut parser = granit_parser::Parser::new_from_str(source);
    let mut path = String::new();
    let mut open: Vec<Open> = Vec::new();
    let mut anchoring: Vec<Anchored> = Vec::new();
    // Each anchor's entries, with keys relative to the anchored node.
    let mut anchors: HashMap<usize, Vec<FrontMatterEntry>> = HashMap::new();
    let mut documents = 0;
    while let Some(event) = parser.next_event() {
        let (event, span) = event.map_err(|e| (byte_offset(e.marker()), e.info()))?;
        let at = byte_offset(&span.start);
        let key_next = matches!(open.last(), Some(Open::Map { key_next: true, .. }));
        match event {
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    return Err((at, "more than one YAML document".to_string()));
                }
                continue;
            }
            Event::Scalar(key, ..) if key_next => {
                if let Some(Open::Map { path_len, key_next }) = open.last_mut() {
                    path.truncate(*path_len);
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(&key);
                    *key_next = false;
                }
                continue;
            }
            Event::SequenceStart(..) | Event::MappingStart(..) | Event::Alias(_) if key_next => {
                return Err((at, "mapping keys must be scalars".to_string()));
            }
            Event::Scalar(value, style, anchor, _) => {
                let first_entry = out.len();
                let null = style == ScalarStyle::Plain
                    && matches!(value.as_ref(), "" | "~" | "null" | "Null" | "NULL");
                if !null {
                    let end = byte_offset(&span.end).min(source.len());
                    out.push(FrontMatterEntry {
                        key: path.clone(),
                        value: value.into_owned(),
                        span: unquote(source, at..end),
                    });
                }
                if anchor != 0 {
                    anchors.insert(anchor, relative(&out[first_entry..], path.len()));
                }
            }
            Event::Alias(id) => {
                let Some(entries) = anchors.get(&id) else {
                    return Err((at, "alias to an unknown anchor".to_string()));
                };
                if out.len() + entries.len() > MAX_FRONT_MATTER_VALUES {
                    return Err((
                        at,
                        format!("aliases expand to more than {MAX_FRONT_MATTER_VALUES} values"),
                    ));
                }
                out.extend(entries.iter().map(|entry| FrontMatterEntry {
                    key: join(&path, &entry.key),
                    value: entry.value.clone(),
                    span: entry.span.clone(),
                }));
            }
            Event::MappingStart(_, anchor, _) | Event::SequenceStart(_, anchor, _) => {
                if anchor != 0 {
                    anchoring.push(Anchored {
                        id: anchor,
                        first_entry: out.len(),
                        path_len: path.len(),
                        depth: open.len(),
                    });
                }
                open.push(if matches!(event, Event::MappingStart(..)) {
                    Open::Map {
                        path_len: path.len(),
                        key_next: true,
                    }
                } else {
                    Open::Seq
                });
                continue;
            }
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some(Open::Map { path_len, .. }) = open.pop() {
                    path.truncate(path_len);
                }
                if anchoring.last().is_some_and(|a| a.depth == open.len()) {
                    let anchored = anchoring.pop().expect("just looked at it");
                    let entries = relative(&out[anchored.first_entry..], anchored.path_len);
                    anchors.insert(anchored.id, entries);
                }
            }
            _ => continue,
        }
        // A value is complete: in a mapping, a key comes next.
        if let Some(Open::Map { key_next, .. }) = open.last_mut() {
            *key_next = true;
        }
    }
    for entry in out.iter_mut() {
        entry.span = base + entry.span.start..base + entry.span.end;
    }
    Ok(())
}

/// `entries` with the first `path_len` bytes of their keys (and the dot after) removed.
fn relative(entries: &[FrontMatterEntry], path_len: usize) -> Vec<FrontMatterEntry> {
    entries
        .iter()
        .map(|e| FrontMatterEntry {
            key: e.key[path_len.min(e.key.len())..]
                .trim_start_matches('.')
                .to_string(),
            value: e.value.clone(),
            span: e.span.clone(),
        })
        .collect()
}

fn read_toml(text: &str, inner: Span, front: &mut FrontMatter) {
    let source = &text[inner.clone()];
    match toml::de::DeTable::parse(source) {
        Ok(table) => {
            for (key, value) in table.get_ref() {
                flatten_toml(text, inner.start, key.get_ref(), value, &mut front.entries);
            }
        }
        Err(error) => {
            let at = inner.start + error.span().map_or(0, |s| s.start.min(source.len()));
            let message = error
                .message()
                .lines()
                .next()
                .unwrap_or("syntax error")
                .to_string();
            front.error = Some((at..at, format!("front matter is not valid TOML: {message}")));
        }
    }
}

fn flatten_toml(
    text: &str,
    base: usize,
    path: &str,
    value: &toml::Spanned<toml::de::DeValue>,
    out: &mut Vec<FrontMatterEntry>,
) {
    use toml::de::DeValue;
    let span = value.span();
    let span = base + span.start..base + span.end;
    let scalar = match value.get_ref() {
        DeValue::String(s) => s.to_string(),
        DeValue::Integer(i) => i.as_str().to_string(),
        DeValue::Float(f) => f.as_str().to_string(),
        DeValue::Boolean(b) => b.to_string(),
        DeValue::Datetime(d) => d.to_string(),
        DeValue::Array(items) => {
            for item in items {
                flatten_toml(text, base, path, item, out);
            }
            return;
        }
        DeValue::Table(table) => {
            for (key, item) in table {
                flatten_toml(text, base, &join(path, key.get_ref()), item, out);
            }
            return;
        }
    };
    out.push(FrontMatterEntry {
        key: path.to_string(),
        value: scalar,
        span: unquote(text, span),
    });
}

fn join(prefix: &str, key: &str) -> String {
    if key.is_empty() {
        prefix.to_string()
    } else if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

/// Shrinks a span written as `"…"` or `'…'` to its inside.
fn unquote(text: &str, span: Span) -> Span {
    let written = &text[span.clone()];
    for quote in ['"', '\''] {
        if written.len() >= 2 && written.starts_with(quote) && written.ends_with(quote) {
            return span.start + 1..span.end - 1;
        }
    }
    span
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_front_matter_entries_have_spans() {
        let text = "---\ntitle: \"Hello\"\nsource_url: https://a.org/x\ntags: [a, b]\nimage:\n  credit: Jo\n---\nBody\n";
        let front = parse(text).unwrap();
        assert!(front.error.is_none());
        let title = front.get("title").unwrap();
        assert_eq!(&text[title.span.clone()], "Hello");
        let url = front.get("source_url").unwrap();
        assert_eq!(&text[url.span.clone()], "https://a.org/x");
        assert_eq!(front.get("image.credit").unwrap().value, "Jo");
        assert_eq!(front.entries.iter().filter(|e| e.key == "tags").count(), 2);
        assert_eq!(
            &text[front.span.clone()],
            &text[..text.find("Body").unwrap()]
        );
    }

    /// Entries as `(key, value, span)`.
    type Read = Vec<(String, String, Span)>;

    fn by_parser(source: &str) -> Result<Read, (usize, String)> {
        let mut entries = Vec::new();
        flatten_yaml(source, 0, &mut entries)?;
        Ok(entries
            .into_iter()
            .map(|e| (e.key, e.value, e.span))
            .collect())
    }

    fn by_fast_path(source: &str) -> Option<Read> {
        simple_yaml(source, 0).map(|entries| {
            entries
                .into_iter()
                .map(|e| (e.key, e.value, e.span))
                .collect()
        })
    }

    #[test]
    fn simple_front_matter_skips_the_parser_with_the_same_result() {
        let source = "title: \"Salt marsh: carbon\"\r\ndate: 2022-10-09\n# a comment\n\nsource_url:  https://phys.org/news/x.html  \nnote: 'it is'\ndraft: ~\nC: C# and F#\n";
        let fast = by_fast_path(source).expect("simple front matter");
        assert_eq!(fast.len(), 5);
        assert_eq!(Ok(fast), by_parser(source));
        // Anything else goes to the parser.
        for complex in [
            "tags:\n  - a\n",
            "a: [1, 2]\n",
            "a: \"x\\ty\"\n",
            "a: b # note\n",
            "a:\tb\n",
            "  a: b\n",
            "a: &x b\nc: *x\n",
            "a: b\n  continued\n",
            "a: 'it''s'\n",
            "a: b:\n",
        ] {
            assert!(by_fast_path(complex).is_none(), "{complex:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_fast_path_agrees_with_the_parser(
            lines in proptest::collection::vec(
                r#"([a-z_][a-z0-9_-]{0,5}: {1,2}([A-Za-z0-9 .,/:#@'!?-]{0,12}|"[^"\\\n\r]{0,8}"|'[^'\n\r]{0,8}'|"[a\\"' ]{0,4}"|'[a\\"' ]{0,4}'|~|null) {0,2}|# [a-z ]{0,5}| {0,2})(\r)?"#,
                0..6,
            )
        ) {
            let source: String = lines.iter().map(|l| format!("{l}\n")).collect();
            if let Some(fast) = by_fast_path(&source) {
                proptest::prop_assert_eq!(Ok(fast), by_parser(&source), "{:?}", source);
            }
        }

        #[test]
        fn the_fast_path_takes_plain_lines_as_the_parser_does(
            lines in proptest::collection::vec(r"[a-z][a-z_]{0,5}: [A-Za-z0-9][A-Za-z0-9 ./éü]{0,12}", 1..6)
        ) {
            let source: String = lines.iter().map(|l| format!("{l}\n")).collect();
            let fast = by_fast_path(&source);
            proptest::prop_assert!(fast.is_some(), "{:?}", source);
            proptest::prop_assert_eq!(Ok(fast.unwrap_or_default()), by_parser(&source), "{:?}", source);
        }
    }

    #[test]
    fn toml_front_matter_entries_have_spans() {
        let text = "+++\ntitle = 'Hi'\n[params]\nsource = \"https://b.org\"\n+++\n";
        let front = parse(text).unwrap();
        assert!(front.error.is_none(), "{:?}", front.error);
        assert_eq!(&text[front.get("title").unwrap().span.clone()], "Hi");
        assert_eq!(
            &text[front.get("params.source").unwrap().span.clone()],
            "https://b.org"
        );
    }

    #[test]
    fn yaml_values_as_written_nulls_absent_aliases_repeated() {
        let text = "---\nversion: 1.0\ndraft: ~\nempty:\nquoted: ''\nbase: &b\n  url: https://a.org\n  tags: [x, y]\ncopy: *b\nauthor: &a \"Jo\"\neditor: *a\n---\n";
        let front = parse(text).unwrap();
        assert!(front.error.is_none(), "{:?}", front.error);
        let keys: Vec<(&str, &str)> = front
            .entries
            .iter()
            .map(|e| (e.key.as_str(), e.value.as_str()))
            .collect();
        assert_eq!(
            keys,
            [
                ("version", "1.0"),
                ("quoted", ""),
                ("base.url", "https://a.org"),
                ("base.tags", "x"),
                ("base.tags", "y"),
                ("copy.url", "https://a.org"),
                ("copy.tags", "x"),
                ("copy.tags", "y"),
                ("author", "Jo"),
                ("editor", "Jo"),
            ]
        );
        // An alias points at the anchored value as written.
        assert_eq!(&text[front.get("editor").unwrap().span.clone()], "Jo");
        assert_eq!(
            &text[front.get("copy.url").unwrap().span.clone()],
            "https://a.org"
        );
    }

    #[test]
    fn alias_expansion_is_bounded() {
        let mut text = String::from("---\na: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (name, previous) in ["b", "c", "d", "e", "f"]
            .iter()
            .zip(["a", "b", "c", "d", "e"])
        {
            let items = vec![format!("*{previous}"); 10].join(", ");
            text.push_str(&format!("{name}: &{name} [{items}]\n"));
        }
        text.push_str("---\n");
        let front = parse(&text).unwrap();
        let (_, message) = front.error.expect("a billion laughs is refused");
        assert!(message.contains("aliases expand"), "{message}");
        assert!(front.entries.is_empty());
    }

    #[test]
    fn yaml_errors_say_where() {
        let text = "---\ntitle: ok\n? [a, b]\n: c\n---\n";
        let (span, message) = parse(text).unwrap().error.unwrap();
        assert!(
            message.contains("mapping keys must be scalars"),
            "{message}"
        );
        assert_eq!(span.start, text.find('[').unwrap());
        let text = "---\ntitle: \"unclosed\n---\n";
        let (span, message) = parse(text).unwrap().error.unwrap();
        assert!(
            message.starts_with("front matter is not valid YAML: "),
            "{message}"
        );
        assert!(span.start >= 4 && span.start <= text.len(), "{span:?}");
    }

    #[test]
    fn broken_yaml_is_an_error_not_a_panic() {
        let front = parse("---\ntitle: [unclosed\n---\n").unwrap();
        assert!(front.error.is_some());
    }

    #[test]
    fn no_front_matter() {
        assert!(parse("Title\n---\n").is_none());
        assert!(parse("---\nnever closed\n").is_none());
    }
}
