//! A YAML tree whose every node remembers where it was written.
//!
//! Rule files and front matter are parsed with `serde-saphyr` into [`Node`]s so that
//! every later complaint (a bad regex, an unknown key, an invalid date) can name the
//! exact line and column it is about.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

/// Where a YAML node starts: 1-based line and column, and its byte range when known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Loc {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Byte offset of the node in the YAML source, when known.
    pub offset: Option<usize>,
    /// Byte length of the node in the YAML source, when known.
    pub len: Option<usize>,
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

impl From<serde_saphyr::Location> for Loc {
    fn from(location: serde_saphyr::Location) -> Self {
        let span = location.span();
        Loc {
            line: location.line() as usize,
            column: location.column() as usize,
            offset: span.byte_offset().map(|o| o as usize),
            len: span.byte_len().map(|l| l as usize),
        }
    }
}

/// A YAML node with its location.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Where the node was written.
    pub loc: Loc,
    /// The node itself.
    pub value: NodeValue,
}

/// The text of a scalar or key: borrowed from the built-in packs' static trees, owned
/// when read from a file.
pub type Text = std::borrow::Cow<'static, str>;

/// The shape of a YAML node. Scalars keep their text; typing is left to the reader.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeValue {
    /// `~`, `null` or an empty value.
    Null,
    /// Any scalar other than null, as written (booleans and numbers included).
    Scalar(Text),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in source order, keys as strings.
    Map(Vec<(Key, Node)>),
}

/// A mapping key with its location.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    /// The key's text.
    pub name: Text,
    /// Where the key was written.
    pub loc: Loc,
}

/// Why a YAML text could not be read.
#[derive(Debug, Clone)]
pub struct YamlError {
    /// Where the problem is, when the parser knows.
    pub loc: Option<Loc>,
    /// What the parser said, on one line.
    pub message: String,
}

/// A [`Node`] as static data. The built-in packs are parsed when citelint is built
/// (`build.rs`) and embedded as Rust, so a run reads no YAML for them, nor anything else;
/// locations are kept, so their errors and examples still point into the YAML.
#[derive(Debug)]
pub enum StaticNode {
    /// A null node.
    Null(StaticLoc),
    /// A scalar, as text.
    Scalar(StaticLoc, &'static str),
    /// A sequence.
    Seq(StaticLoc, &'static [StaticNode]),
    /// A mapping: key, key location, value.
    Map(StaticLoc, &'static [(&'static str, StaticLoc, StaticNode)]),
}

/// A [`Loc`] as static data: line, column, offset, length.
pub type StaticLoc = (usize, usize, Option<usize>, Option<usize>);

fn static_loc((line, column, offset, len): StaticLoc) -> Loc {
    Loc {
        line,
        column,
        offset,
        len,
    }
}

impl From<&StaticNode> for Node {
    fn from(node: &StaticNode) -> Node {
        let (loc, value) = match node {
            StaticNode::Null(loc) => (loc, NodeValue::Null),
            StaticNode::Scalar(loc, text) => (loc, NodeValue::Scalar(Text::Borrowed(text))),
            StaticNode::Seq(loc, items) => {
                (loc, NodeValue::Seq(items.iter().map(Node::from).collect()))
            }
            StaticNode::Map(loc, entries) => (
                loc,
                NodeValue::Map(
                    entries
                        .iter()
                        .map(|(name, key_loc, value)| {
                            let key = Key {
                                name: Text::Borrowed(name),
                                loc: static_loc(*key_loc),
                            };
                            (key, value.into())
                        })
                        .collect(),
                ),
            ),
        };
        Node {
            loc: static_loc(*loc),
            value,
        }
    }
}

impl Node {
    /// Writes the node as a Rust expression building the same [`StaticNode`] (what
    /// `build.rs` embeds), with `StaticNode` named `N`.
    pub fn to_static_rust(&self, out: &mut String) {
        use std::fmt::Write as _;
        fn loc(loc: Loc) -> String {
            format!(
                "({}, {}, {:?}, {:?})",
                loc.line, loc.column, loc.offset, loc.len
            )
        }
        let at = loc(self.loc);
        match &self.value {
            NodeValue::Null => write!(out, "N::Null({at})"),
            NodeValue::Scalar(text) => write!(out, "N::Scalar({at}, {text:?})"),
            NodeValue::Seq(items) => {
                write!(out, "N::Seq({at}, &[").expect("writing to a string");
                for item in items {
                    item.to_static_rust(out);
                    out.push_str(", ");
                }
                write!(out, "])")
            }
            NodeValue::Map(entries) => {
                write!(out, "N::Map({at}, &[").expect("writing to a string");
                for (key, value) in entries {
                    write!(out, "({:?}, {}, ", key.name, loc(key.loc))
                        .expect("writing to a string");
                    value.to_static_rust(out);
                    out.push_str("), ");
                }
                write!(out, "])")
            }
        }
        .expect("writing to a string");
    }
}

impl Node {
    /// Parses one YAML document. Aliases and nesting are bounded by serde-saphyr's budget,
    /// so a hostile file cannot exhaust memory.
    pub fn parse(text: &str) -> Result<Node, YamlError> {
        // Keep scalars close to how they were written: YAML 1.1 booleans (`y`, `on`) and
        // numbers with leading zeros or underscores stay text.
        let options = serde_saphyr::options! {
            with_snippet: false,
            strict_booleans: true,
            leading_zero_numbers_as_strings: true,
            underscored_numbers_as_strings: true,
        };
        match serde_saphyr::from_str_with_options::<Option<Node>>(text, options) {
            Ok(Some(node)) => Ok(node),
            Ok(None) => Ok(Node {
                loc: Loc {
                    line: 1,
                    column: 1,
                    offset: Some(0),
                    len: Some(0),
                },
                value: NodeValue::Null,
            }),
            Err(error) => Err(YamlError {
                loc: error.location().map(Loc::from),
                message: first_line(&error.to_string()),
            }),
        }
    }

    /// A short name of the node's shape, for messages ("a mapping", "a list", …).
    pub fn shape(&self) -> &'static str {
        match self.value {
            NodeValue::Null => "nothing",
            NodeValue::Scalar(_) => "a scalar",
            NodeValue::Seq(_) => "a list",
            NodeValue::Map(_) => "a mapping",
        }
    }

    /// The scalar text, if this is a scalar.
    pub fn as_scalar(&self) -> Option<&str> {
        match &self.value {
            NodeValue::Scalar(text) => Some(text),
            _ => None,
        }
    }
}

fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or(message).trim();
    // serde-saphyr prefixes some messages with their own position; ours is reported apart.
    match line.rsplit_once(" at line ") {
        Some((head, tail))
            if tail
                .chars()
                .all(|c| c.is_ascii_digit() || c == ' ' || c == ',' || c.is_alphabetic()) =>
        {
            head.to_string()
        }
        _ => line.to_string(),
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<NodeValue>::deserialize(deserializer)?;
        Ok(Node {
            loc: spanned.referenced.into(),
            value: spanned.value,
        })
    }
}

impl<'de> Deserialize<'de> for NodeValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = NodeValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<NodeValue, E> {
        Ok(NodeValue::Scalar(Text::Owned(v.to_string())))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<NodeValue, E> {
        Ok(NodeValue::Scalar(Text::Owned(v.to_string())))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<NodeValue, E> {
        Ok(NodeValue::Scalar(Text::Owned(v.to_string())))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<NodeValue, E> {
        Ok(NodeValue::Scalar(Text::Owned(v.to_string())))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<NodeValue, E> {
        Ok(NodeValue::Scalar(Text::Owned(v.to_string())))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<NodeValue, E> {
        Ok(NodeValue::Scalar(Text::Owned(v.to_string())))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<NodeValue, E> {
        Ok(NodeValue::Scalar(Text::Owned(v.to_string())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<NodeValue, E> {
        Ok(NodeValue::Scalar(Text::Owned(v)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<NodeValue, E> {
        Ok(NodeValue::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<NodeValue, E> {
        Ok(NodeValue::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<NodeValue, D::Error> {
        NodeValue::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<NodeValue, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(NodeValue::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NodeValue, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<KeyText>>()? {
            let value = map.next_value::<Node>()?;
            entries.push((
                Key {
                    name: key.value.0,
                    loc: key.referenced.into(),
                },
                value,
            ));
        }
        Ok(NodeValue::Map(entries))
    }
}

/// A mapping key read as text whatever its YAML type (`2024: x` has the key "2024").
struct KeyText(Text);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match NodeValue::deserialize(deserializer)? {
            NodeValue::Scalar(text) => Ok(KeyText(text)),
            NodeValue::Null => Ok(KeyText(Text::Borrowed(""))),
            _ => Err(de::Error::custom("mapping keys must be scalars")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_know_their_positions() {
        let text = "pack: demo\nrules:\n  - id: a\n    level: error\n";
        let node = Node::parse(text).unwrap();
        let NodeValue::Map(entries) = &node.value else {
            panic!("expected a mapping")
        };
        assert_eq!(entries[0].0.name, "pack");
        assert_eq!((entries[0].0.loc.line, entries[0].0.loc.column), (1, 1));
        assert_eq!(entries[0].1.loc.column, 7);
        let NodeValue::Seq(rules) = &entries[1].1.value else {
            panic!("expected a list")
        };
        let NodeValue::Map(rule) = &rules[0].value else {
            panic!("expected a mapping")
        };
        assert_eq!((rule[1].0.loc.line, rule[1].0.loc.column), (4, 5));
        assert_eq!(rule[1].1.as_scalar(), Some("error"));
        assert_eq!(rule[1].1.loc.offset, Some(text.find("error").unwrap()));
    }

    #[test]
    fn syntax_errors_have_positions() {
        let error = Node::parse("a: [1, 2\nb: c\n").unwrap_err();
        assert!(error.loc.is_some(), "{error:?}");
    }

    #[test]
    fn yaml_1_1_booleans_stay_text() {
        let node = Node::parse("a: y\nb: on\nc: 007\nd: true\n").unwrap();
        let NodeValue::Map(entries) = &node.value else {
            panic!("expected a mapping")
        };
        let values: Vec<&str> = entries
            .iter()
            .map(|(_, v)| v.as_scalar().unwrap())
            .collect();
        assert_eq!(values, ["y", "on", "007", "true"]);
    }

    #[test]
    fn static_trees_are_written_as_rust() {
        let node = Node::parse("pack: \"a\\\"b\"\ntags: [x, ~]\n").unwrap();
        let mut rust = String::new();
        node.to_static_rust(&mut rust);
        assert_eq!(
            rust,
            r#"N::Map((1, 1, Some(0), Some(0)), &[("pack", (1, 1, Some(0), Some(4)), N::Scalar((1, 7, Some(6), Some(6)), "a\"b")), ("tags", (2, 1, Some(13), Some(4)), N::Seq((2, 7, Some(19), Some(1)), &[N::Scalar((2, 8, Some(20), Some(1)), "x"), N::Null((2, 11, Some(23), Some(1))), ])), ])"#
        );
    }

    #[test]
    fn empty_document_is_null() {
        assert_eq!(Node::parse("").unwrap().value, NodeValue::Null);
    }
}
