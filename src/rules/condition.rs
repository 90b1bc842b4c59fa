//! Conditions: `when` (does a rule run on this document, given its fields) and
//! `applies_to` (does a pack or rule apply to this file at all).

use crate::rules::table::{LazyRegex, Precompile};
use globset::{Glob, GlobMatcher};

use super::error::{RuleError, suggestion};
use super::field::{Binding, FieldRef, Fields, Schema};
use super::line_scan::LazyLines;
use super::regex_facts::{minimal_literals, most_selective};
use super::table::{Table, scalar, strings};
use crate::document::{Document, Format};
use crate::yaml::{Node, NodeValue};

/// A precondition on a document's fields; a rule runs only where all of its hold.
#[derive(Debug)]
pub enum When {
    /// The field (part) was found.
    Present(FieldRef),
    /// The field (part) was not found.
    Absent(FieldRef),
    /// At least one of the fields (parts) was found.
    AnyPresent(Vec<FieldRef>),
    /// The field's text matches the regex.
    Matches(FieldRef, LazyRegex),
    /// The field was found and its text does not match the regex.
    NotMatches(FieldRef, LazyRegex),
}

impl When {
    /// Calls `f` on the condition's regex, if it has one.
    pub fn regexes<'a>(&'a self, f: &mut dyn FnMut(&'a dyn Precompile)) {
        if let When::Matches(_, regex) | When::NotMatches(_, regex) = self {
            f(regex);
        }
    }

    /// Reads a `when:` list (or a single condition).
    pub fn compile_list(node: Option<&Node>, schema: &Schema) -> Result<Vec<When>, RuleError> {
        let Some(node) = node else {
            return Ok(Vec::new());
        };
        let items = match &node.value {
            NodeValue::Seq(items) => items.iter().collect(),
            _ => vec![node],
        };
        items
            .into_iter()
            .map(|n| When::compile(n, schema))
            .collect()
    }

    fn compile(node: &Node, schema: &Schema) -> Result<When, RuleError> {
        let mut table = Table::new(node, "condition")?;
        let when = if let Some(field) = table.string("present")? {
            When::Present(schema.resolve(&field)?)
        } else if let Some(field) = table.string("absent")? {
            When::Absent(schema.resolve(&field)?)
        } else if let Some(node) = table.get("any_present") {
            let fields = strings(node, "any_present")?;
            When::AnyPresent(
                fields
                    .iter()
                    .map(|f| schema.resolve(f))
                    .collect::<Result<_, _>>()?,
            )
        } else if let Some(field) = table.string("field")? {
            let field = schema.resolve(&field)?;
            if let Some(regex) = table.regex("matches")? {
                When::Matches(field, regex.value)
            } else if let Some(regex) = table.regex("not_matches")? {
                When::NotMatches(field, regex.value)
            } else {
                return Err(RuleError::at(
                    node.loc,
                    "a `field` condition needs `matches` or `not_matches`",
                ));
            }
        } else {
            return Err(RuleError::at(
                node.loc,
                "a condition is {present: F}, {absent: F}, {any_present: [F, G]} or {field: F, matches|not_matches: REGEX}",
            ));
        };
        table.finish()?;
        Ok(when)
    }

    /// Whether the condition holds.
    pub fn holds(&self, fields: &Fields, binding: Binding) -> bool {
        match self {
            When::Present(f) => fields.part(*f, binding).is_some(),
            When::Absent(f) => fields.part(*f, binding).is_none(),
            When::AnyPresent(list) => list.iter().any(|f| fields.part(*f, binding).is_some()),
            When::Matches(f, re) => fields
                .part(*f, binding)
                .is_some_and(|p| re.is_match(p.text)),
            When::NotMatches(f, re) => fields
                .part(*f, binding)
                .is_some_and(|p| !re.is_match(p.text)),
        }
    }
}

/// When a pack or a rule applies to a file.
#[derive(Debug)]
pub enum AppliesTo {
    /// Any of these.
    Any(Vec<AppliesTo>),
    /// All of these.
    All(Vec<AppliesTo>),
    /// Not this.
    Not(Box<AppliesTo>),
    /// The text view matches the regex.
    Content(LazyRegex),
    /// The text as written (markup included) matches the regex.
    RawContent(LazyRegex),
    /// Several `content` (or, with `raw`, `raw_content`) conditions of one `any`, searched
    /// as one regex (`union`); `each` is kept to say which matched.
    Patterns {
        /// Whether the patterns match the text as written rather than the view.
        raw: bool,
        /// A regex matching wherever one of `each` does.
        union: LazyRegex,
        /// The patterns as written.
        each: Vec<LazyRegex>,
    },
    /// The path matches one of the globs.
    Path(Vec<(String, GlobMatcher)>),
    /// The front matter has the key.
    FrontMatter(String),
    /// The document has one of these formats.
    Format(Vec<Format>),
}

const APPLIES_KEYS: &[&str] = &[
    "any",
    "all",
    "not",
    "content",
    "path",
    "front_matter",
    "format",
];

impl AppliesTo {
    /// Reads an `applies_to` node; a list means `any`.
    pub fn compile(node: &Node) -> Result<AppliesTo, RuleError> {
        if let NodeValue::Seq(items) = &node.value {
            return Ok(AppliesTo::any(
                items
                    .iter()
                    .map(AppliesTo::compile)
                    .collect::<Result<_, _>>()?,
            ));
        }
        let mut table = Table::new(node, "applies_to")?;
        let keys: Vec<_> = table.keys().cloned().collect();
        let [key] = keys.as_slice() else {
            return Err(RuleError::at(
                node.loc,
                format!(
                    "an applies_to condition has exactly one of: {}",
                    APPLIES_KEYS.join(", ")
                ),
            ));
        };
        let list = |node: &Node| -> Result<Vec<AppliesTo>, RuleError> {
            match &node.value {
                NodeValue::Seq(items) => items.iter().map(AppliesTo::compile).collect(),
                _ => Err(RuleError::at(
                    node.loc,
                    format!("`{}` takes a list of conditions", key.name),
                )),
            }
        };
        let condition = match &*key.name {
            "any" => AppliesTo::any(list(table.require("any")?)?),
            "all" => AppliesTo::All(list(table.require("all")?)?),
            "not" => AppliesTo::Not(Box::new(AppliesTo::compile(table.require("not")?)?)),
            "content" => AppliesTo::Content(table.require_regex("content")?.value),
            "raw_content" => AppliesTo::RawContent(table.require_regex("raw_content")?.value),
            "path" => {
                let globs = strings(table.require("path")?, "path")?;
                let mut matchers = Vec::new();
                for glob in globs {
                    let matcher = Glob::new(&glob.value)
                        .map_err(|e| {
                            RuleError::at(glob.loc, format!("invalid glob `{}`: {e}", glob.value))
                        })?
                        .compile_matcher();
                    matchers.push((glob.value, matcher));
                }
                AppliesTo::Path(matchers)
            }
            "front_matter" => AppliesTo::FrontMatter(
                scalar(table.require("front_matter")?, "front_matter")?.value,
            ),
            "format" => {
                let mut formats = Vec::new();
                for name in strings(table.require("format")?, "format")? {
                    formats.push(super::table::format(&name)?);
                }
                AppliesTo::Format(formats)
            }
            other => {
                return Err(RuleError::at(
                    key.loc,
                    format!("unknown applies_to condition `{other}`"),
                )
                .with_help(suggestion(other, APPLIES_KEYS)));
            }
        };
        table.finish()?;
        Ok(condition)
    }

    /// `any` of `items`, its content patterns searched as one regex where that is faster
    /// (see [`LazyRegex::any_of`]).
    fn any(items: Vec<AppliesTo>) -> AppliesTo {
        let mut items = items;
        for raw in [false, true] {
            let patterns: Vec<&LazyRegex> = items
                .iter()
                .filter_map(|c| match (c, raw) {
                    (AppliesTo::Content(regex), false) | (AppliesTo::RawContent(regex), true)
                        if regex.unionable() =>
                    {
                        Some(regex)
                    }
                    _ => None,
                })
                .collect();
            let Some(union) = LazyRegex::any_of(&patterns) else {
                continue;
            };
            let mut each = Vec::new();
            let mut merged = Vec::with_capacity(items.len());
            let mut at = None;
            for item in items {
                match (item, raw) {
                    (AppliesTo::Content(regex), false) | (AppliesTo::RawContent(regex), true)
                        if regex.unionable() =>
                    {
                        at.get_or_insert(merged.len());
                        each.push(regex);
                    }
                    (item, _) => merged.push(item),
                }
            }
            let at = at.unwrap_or(merged.len());
            merged.insert(at, AppliesTo::Patterns { raw, union, each });
            items = merged;
        }
        AppliesTo::Any(items)
    }

    /// Whether the condition holds for `doc` (the fast path; [`explain`](Self::explain)
    /// also says why).
    pub fn matches(&self, doc: &Document) -> bool {
        self.matches_in(doc, None)
    }

    /// [`matches`](Self::matches), searching each content regex that takes part in its
    /// pack's line scan only on the `lines` of `doc` that scan found (see
    /// [`LineScan`](super::line_scan::LineScan)).
    pub fn matches_in(&self, doc: &Document, lines: Option<&LazyLines>) -> bool {
        // `None`: the regex is not searched by lines.
        let on_lines = |regex: &LazyRegex| lines?.is_match(regex);
        match self {
            AppliesTo::Any(items) => items.iter().any(|c| c.matches_in(doc, lines)),
            AppliesTo::All(items) => items.iter().all(|c| c.matches_in(doc, lines)),
            AppliesTo::Not(inner) => !inner.matches_in(doc, lines),
            AppliesTo::Content(regex) => LazyLines::view_matches(lines, regex, doc.view().text()),
            AppliesTo::Patterns {
                raw: false, each, ..
            } if lines.is_some() && each.iter().all(|r| r.line_literals() != 0) => {
                each.iter().any(|r| on_lines(r) == Some(true))
            }
            AppliesTo::RawContent(regex) => regex.is_match_gated(doc.text()),
            AppliesTo::Patterns { raw, union, each } => {
                let text = if *raw { doc.text() } else { doc.view().text() };
                if !union.may_match(text) {
                    return false;
                }
                match union.try_regex() {
                    Some(union) => union.is_match(text),
                    None => each.iter().any(|r| r.is_match(text)),
                }
            }
            // (Tested in place: `explain` would write out why.)
            AppliesTo::Path(globs) => {
                let path = doc.path().trim_start_matches("./");
                globs.iter().any(|(_, matcher)| matcher.is_match(path))
            }
            AppliesTo::FrontMatter(key) => doc.front_matter().is_some_and(|f| f.get(key).is_some()),
            AppliesTo::Format(formats) => formats.contains(&doc.format()),
        }
    }

    /// Literals one of which a document's text view must contain for the condition to
    /// hold, if the condition implies a few: every `content` pattern of an `any` requires
    /// some, or one condition of an `all` does. `None` when something else can make it
    /// hold (front matter, a path, a format, raw content, a negation).
    pub fn required_literals(&self) -> Option<Vec<Vec<u8>>> {
        match self {
            AppliesTo::Any(items) => {
                let sets = items
                    .iter()
                    .map(AppliesTo::required_literals)
                    .collect::<Option<Vec<_>>>()?;
                minimal_literals(sets.concat())
            }
            // Any one condition's literals will do; the most selective are taken (not a
            // lone byte where a word is required too).
            AppliesTo::All(items) => {
                most_selective(items.iter().filter_map(AppliesTo::required_literals))
            }
            AppliesTo::Content(regex) => regex.required_literals().map(<[_]>::to_vec),
            AppliesTo::Patterns {
                raw: false, union, ..
            } => union.required_literals().map(<[_]>::to_vec),
            _ => None,
        }
    }

    /// Adds every regex of the condition that is searched over the text view (`content`)
    /// to `out`: the candidates for its pack's line scan.
    pub fn view_regexes_mut<'a>(&'a mut self, out: &mut Vec<&'a mut LazyRegex>) {
        match self {
            AppliesTo::Any(items) | AppliesTo::All(items) => {
                items.iter_mut().for_each(|c| c.view_regexes_mut(out))
            }
            AppliesTo::Not(inner) => inner.view_regexes_mut(out),
            AppliesTo::Content(regex) => out.push(regex),
            AppliesTo::Patterns {
                raw: false, each, ..
            } => out.extend(each.iter_mut()),
            _ => {}
        }
    }

    /// The regexes [`view_regexes_mut`](Self::view_regexes_mut) adds, read-only.
    #[cfg(test)]
    pub(crate) fn view_regexes<'a>(&'a self, out: &mut Vec<&'a LazyRegex>) {
        match self {
            AppliesTo::Any(items) | AppliesTo::All(items) => {
                items.iter().for_each(|c| c.view_regexes(out))
            }
            AppliesTo::Not(inner) => inner.view_regexes(out),
            AppliesTo::Content(regex) => out.push(regex),
            AppliesTo::Patterns {
                raw: false, each, ..
            } => out.extend(each.iter()),
            _ => {}
        }
    }

    /// Calls `f` on every content regex of the condition.
    pub fn for_each_regex<'a>(&'a self, f: &mut dyn FnMut(&'a dyn Precompile)) {
        match self {
            AppliesTo::Any(items) | AppliesTo::All(items) => {
                items.iter().for_each(|c| c.for_each_regex(f))
            }
            AppliesTo::Not(inner) => inner.for_each_regex(f),
            AppliesTo::Content(regex) | AppliesTo::RawContent(regex) => f(regex),
            AppliesTo::Patterns { union, .. } => f(union),
            _ => {}
        }
    }

    /// The content regexes of the condition, as written.
    pub fn regexes(&self, out: &mut Vec<String>) {
        match self {
            AppliesTo::Any(items) | AppliesTo::All(items) => {
                items.iter().for_each(|c| c.regexes(out))
            }
            AppliesTo::Not(inner) => inner.regexes(out),
            AppliesTo::Content(regex) | AppliesTo::RawContent(regex) => {
                out.push(regex.source().to_string())
            }
            AppliesTo::Patterns { each, .. } => {
                out.extend(each.iter().map(|r| r.source().to_string()))
            }
            _ => {}
        }
    }

    /// `Some(reason)` when the condition holds for `doc`, saying why in a few words.
    pub fn explain(&self, doc: &Document) -> Option<String> {
        match self {
            AppliesTo::Any(items) => items.iter().find_map(|c| c.explain(doc)),
            AppliesTo::All(items) => {
                let reasons: Option<Vec<String>> = items.iter().map(|c| c.explain(doc)).collect();
                reasons.map(|r| r.join(" and "))
            }
            AppliesTo::Not(inner) => match inner.explain(doc) {
                Some(_) => None,
                None => Some("the excluding condition does not hold".to_string()),
            },
            AppliesTo::Content(regex) => content_reason(doc, regex, false),
            AppliesTo::RawContent(regex) => content_reason(doc, regex, true),
            AppliesTo::Patterns { raw, each, .. } => {
                each.iter().find_map(|r| content_reason(doc, r, *raw))
            }
            AppliesTo::Path(globs) => {
                let path = doc.path().trim_start_matches("./");
                globs
                    .iter()
                    .find(|(_, m)| m.is_match(path))
                    .map(|(glob, _)| format!("path matches `{glob}`"))
            }
            AppliesTo::FrontMatter(key) => doc
                .front_matter()
                .and_then(|f| f.get(key))
                .map(|_| format!("front matter has `{key}`")),
            AppliesTo::Format(formats) => formats
                .contains(&doc.format())
                .then(|| format!("format is {}", doc.format().name())),
        }
    }
}

/// Why a content (`raw`: text as written) pattern holds: where it first matches.
fn content_reason(doc: &Document, regex: &LazyRegex, raw: bool) -> Option<String> {
    let (what, text) = if raw {
        ("text", doc.text())
    } else {
        ("content", doc.view().text())
    };
    let found = regex.match_spans(text).next()?;
    let start = if raw {
        found.start
    } else {
        doc.view().to_source(found).start
    };
    let at = doc.position(start);
    Some(format!(
        "{what} matches `{}` at {}:{}",
        regex.source(),
        at.line,
        at.column
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn applies_to(yaml: &str) -> AppliesTo {
        AppliesTo::compile(&Node::parse(yaml).unwrap()).unwrap()
    }

    fn doc(text: &str) -> Document {
        Document::new("a.txt", text.to_string(), Format::Text)
    }

    #[test]
    fn content_patterns_with_literal_prefixes_are_searched_as_one() {
        let any = applies_to(
            "any:\n  - content: 'Republished from X'\n  - content: '(?i)first published in X'\n  - content: '^[ \\t]*Credit:'\n  - front_matter: source\n",
        );
        let AppliesTo::Any(items) = &any else {
            panic!("expected any")
        };
        assert!(
            matches!(&items[0], AppliesTo::Patterns { raw: false, each, .. } if each.len() == 2),
            "{items:?}"
        );
        // A pattern without a literal start stays on its own: a union would search slower.
        assert!(matches!(&items[1], AppliesTo::Content(_)));
        assert!(matches!(&items[2], AppliesTo::FrontMatter(_)));

        let text = "Story\n\nFIRST PUBLISHED IN X on Monday.\n";
        assert!(any.matches(&doc(text)));
        let reason = any.explain(&doc(text)).unwrap();
        assert!(
            reason.contains("(?i)first published in X") && reason.contains("3:1"),
            "{reason}"
        );
        assert!(any.matches(&doc("  Credit: Jo\n")));
        assert!(!any.matches(&doc("Nothing to see\n")));
        let mut written = Vec::new();
        any.regexes(&mut written);
        assert_eq!(written.len(), 3);
    }

    #[test]
    fn a_condition_holds_where_it_has_a_reason() {
        let condition = applies_to(
            "any:
  - all:
      - path: ['news/**', 'blog/*.md']
      - format: [markdown]
  - front_matter: source
  - all:
      - not:
          content: 'Draft'
      - format: [text]
",
        );
        let cases = [
            ("news/a/b.md", "x\n", Format::Markdown, true),
            ("./blog/a.md", "x\n", Format::Markdown, true),
            ("news/a.txt", "x\n", Format::Markdown, true),
            ("other/a.md", "x\n", Format::Markdown, false),
            (
                "other/a.md",
                "---\nsource: X\n---\nx\n",
                Format::Markdown,
                true,
            ),
            (
                "other/a.md",
                "---\ntitle: X\n---\nx\n",
                Format::Markdown,
                false,
            ),
            ("other/a.txt", "x\n", Format::Text, true),
            ("other/a.txt", "Draft\n", Format::Text, false),
        ];
        for (path, text, format, holds) in cases {
            let doc = Document::new(path, text.to_string(), format);
            assert_eq!(condition.matches(&doc), holds, "{path} {text:?}");
            assert_eq!(condition.explain(&doc).is_some(), holds, "{path} {text:?}");
        }
    }

    #[test]
    fn all_takes_the_most_selective_literals_of_its_conditions() {
        let all = applies_to(
            "all:
  - content: '[0-9]+/[0-9]+'
  - content: '(?:Citation|Credit):'
  - content: 'Source: X'
",
        );
        let literals = all.required_literals().expect("literals");
        assert_eq!(literals, [b"Source: X".to_vec()]);
        let lone = applies_to(
            "all:
  - content: '[0-9]+/[0-9]+'
  - front_matter: source
",
        );
        assert_eq!(lone.required_literals(), Some(vec![b"/".to_vec()]));
    }
}
