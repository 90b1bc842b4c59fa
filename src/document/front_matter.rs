//! Front matter: the `---` YAML or `+++` TOML block at the top of a Markdown file, read
//! into flat `key.path = value` entries, each with the span of its value in the document.

use crate::position::Span;
use crate::yaml::{Node, NodeValue};

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

fn read_yaml(text: &str, inner: Span, front: &mut FrontMatter) {
    let source = &text[inner.clone()];
    match Node::parse(source) {
        Ok(node) => flatten_yaml(text, inner.start, "", &node, &mut front.entries),
        Err(error) => {
            let at = error
                .loc
                .and_then(|loc| loc.offset)
                .map_or(inner.start, |o| inner.start + o.min(source.len()));
            front.error = Some((
                at..at,
                format!("front matter is not valid YAML: {}", error.message),
            ));
        }
    }
}

fn flatten_yaml(
    text: &str,
    base: usize,
    prefix: &str,
    node: &Node,
    out: &mut Vec<FrontMatterEntry>,
) {
    match &node.value {
        NodeValue::Map(entries) => {
            for (key, value) in entries {
                let path = join(prefix, &key.name);
                flatten_yaml(text, base, &path, value, out);
            }
        }
        NodeValue::Seq(items) => {
            for item in items {
                flatten_yaml(text, base, prefix, item, out);
            }
        }
        NodeValue::Scalar(value) => {
            let start = base + node.loc.offset.unwrap_or(0);
            let end = start + node.loc.len.unwrap_or(0);
            out.push(FrontMatterEntry {
                key: prefix.to_string(),
                value: value.clone(),
                span: unquote(text, start..end.min(text.len())),
            });
        }
        NodeValue::Null => {}
    }
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
    if prefix.is_empty() {
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
