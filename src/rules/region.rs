//! Regions (where in a document to look) and anchors (where to report what is missing).
//!
//! Line counts skip blank lines: `first_lines: 3` is the first three lines with text, so
//! leading blank lines or a front matter block do not shift a region.

use super::error::{RuleError, suggestion};
use super::field::{Binding, FieldRef, Fields, Schema};
use super::table::{Table, scalar};
use crate::document::Document;
use crate::position::Span;
use crate::yaml::{Node, NodeValue};

/// A part of a document's text view.
#[derive(Debug, Clone)]
pub enum Region {
    /// The first N non-blank lines.
    FirstLines(usize),
    /// The last N non-blank lines.
    LastLines(usize),
    /// Everything after a field.
    After(FieldRef),
    /// Everything before a field.
    Before(FieldRef),
    /// The field's own text.
    Within(FieldRef),
}

const REGION_KEYS: &[&str] = &["first_lines", "last_lines", "after", "before", "within"];

impl Region {
    /// Reads `{first_lines: N}`, `{last_lines: N}`, `{after: F}`, `{before: F}` or `{within: F}`.
    pub fn compile(node: &Node, schema: &Schema) -> Result<Region, RuleError> {
        let mut table = Table::new(node, "region")?;
        let keys: Vec<_> = table.keys().cloned().collect();
        let [key] = keys.as_slice() else {
            return Err(RuleError::at(
                node.loc,
                format!("a region has exactly one of: {}", REGION_KEYS.join(", ")),
            ));
        };
        let region = match &*key.name {
            "first_lines" => Region::FirstLines(table.number("first_lines")?.unwrap_or(0)),
            "last_lines" => Region::LastLines(table.number("last_lines")?.unwrap_or(0)),
            "after" => Region::After(schema.resolve(&table.require_string("after")?)?),
            "before" => Region::Before(schema.resolve(&table.require_string("before")?)?),
            "within" => Region::Within(schema.resolve(&table.require_string("within")?)?),
            other => {
                return Err(RuleError::at(key.loc, format!("unknown region `{other}`"))
                    .with_help(suggestion(other, REGION_KEYS)));
            }
        };
        table.finish()?;
        Ok(region)
    }

    /// The view span of the region in `doc`, or `None` when the field it hangs on is absent.
    pub fn resolve(&self, doc: &Document, fields: &Fields, binding: Binding) -> Option<Span> {
        let len = doc.view().text().len();
        let field_view =
            |field: &FieldRef| fields.part(*field, binding).and_then(|p| p.view.clone());
        // A document with fewer than `n` lines is a region in full.
        Some(match self {
            Region::FirstLines(n) => match n.checked_sub(1) {
                None => 0..0,
                Some(i) => doc.view_lines().nth(i).map_or(0..len, |line| 0..line.end),
            },
            Region::LastLines(n) => match n.checked_sub(1) {
                None => len..len,
                Some(i) => doc
                    .view_lines()
                    .rev()
                    .nth(i)
                    .map_or(0..len, |line| line.start..len),
            },
            Region::After(field) => field_view(field)?.end..len,
            Region::Before(field) => 0..field_view(field)?.start,
            Region::Within(field) => field_view(field)?,
        })
    }
}

/// Where a missing element is reported.
#[derive(Debug, Clone)]
pub enum Anchor {
    /// Just before the first line with text.
    Start,
    /// Just after the last line with text.
    End,
    /// Just before a field.
    Before(FieldRef),
    /// Just after a field.
    After(FieldRef),
    /// On a field.
    At(FieldRef),
}

impl Anchor {
    /// Reads a `report_at` list: `start`, `end`, `{before: F}`, `{after: F}`, `{at: F}`;
    /// the first anchor that exists in a document is used.
    pub fn compile_list(node: Option<&Node>, schema: &Schema) -> Result<Vec<Anchor>, RuleError> {
        let Some(node) = node else {
            return Ok(vec![Anchor::End]);
        };
        let items = match &node.value {
            NodeValue::Seq(items) => items.iter().collect(),
            _ => vec![node],
        };
        items
            .into_iter()
            .map(|n| Anchor::compile(n, schema))
            .collect()
    }

    fn compile(node: &Node, schema: &Schema) -> Result<Anchor, RuleError> {
        const NAMES: &[&str] = &["start", "end", "before", "after", "at"];
        if let NodeValue::Scalar(name) = &node.value {
            return match &**name {
                "start" => Ok(Anchor::Start),
                "end" => Ok(Anchor::End),
                other => Err(RuleError::at(node.loc, format!("unknown anchor `{other}`"))
                    .with_help(suggestion(other, NAMES))),
            };
        }
        let NodeValue::Map(entries) = &node.value else {
            return Err(RuleError::at(
                node.loc,
                "an anchor is `start`, `end` or {before|after|at: FIELD}",
            ));
        };
        let [(key, value)] = entries.as_slice() else {
            return Err(RuleError::at(
                node.loc,
                "an anchor has exactly one key: before, after or at",
            ));
        };
        let field = schema.resolve(&scalar(value, &key.name)?)?;
        match &*key.name {
            "before" => Ok(Anchor::Before(field)),
            "after" => Ok(Anchor::After(field)),
            "at" => Ok(Anchor::At(field)),
            other => Err(RuleError::at(key.loc, format!("unknown anchor `{other}`"))
                .with_help(suggestion(other, NAMES))),
        }
    }

    /// The document span this anchor stands for, if it exists in `doc`.
    pub fn resolve(&self, doc: &Document, fields: &Fields, binding: Binding) -> Option<Span> {
        let view = doc.view();
        let point = |at: usize| at..at;
        match self {
            Anchor::Start => Some(point(
                view.to_source(doc.view_lines().next().map_or(0..0, |l| l.start..l.start))
                    .start,
            )),
            Anchor::End => {
                let last = doc.view_lines().next_back().map_or(0..0, |l| l.end..l.end);
                Some(point(view.to_source(last).end))
            }
            Anchor::Before(field) => fields.part(*field, binding).map(|p| point(p.span.start)),
            Anchor::After(field) => fields.part(*field, binding).map(|p| point(p.span.end)),
            Anchor::At(field) => fields.part(*field, binding).map(|p| p.span.clone()),
        }
    }

    /// The first anchor of `anchors` that exists in `doc` (the document start otherwise).
    pub fn first(anchors: &[Anchor], doc: &Document, fields: &Fields, binding: Binding) -> Span {
        anchors
            .iter()
            .find_map(|a| a.resolve(doc, fields, binding))
            .unwrap_or(0..0)
    }
}
