//! Fields: named, typed values a pack extracts from each document before its rules run.
//!
//! A field kind says how to find the value (`headline`, `dateline`, `pattern`,
//! `copyright`, `front-matter`, `derived`); its parts are the typed pieces rules refer
//! to as `field.part` (`citation.url`, `credit.year`). Part 0 is the field itself.
//! Every part keeps the span it was found at, so rules never search the text again.

use std::sync::LazyLock;

use regex::Regex;

use super::error::{RuleError, suggestion};
use super::line_scan::LazyLines;
use super::notice::{self, Notice};
use super::region::Region;
use super::table::{LazyRegex, Located, Precompile, Table, scalar};
use crate::document::Document;
use crate::position::Span;
use crate::value::{
    DateError, PartialDate, TypeSpec, UrlComponent, Value, ValueType, parse_fitting_date,
    url_component_span,
};
use crate::yaml::{Loc, Node, NodeValue};

/// A reference to one part of one field, resolved when the rules are loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FieldRef {
    /// Index of the field in its pack.
    pub field: usize,
    /// Index of the part; 0 is the field's own value.
    pub part: usize,
}

/// A named, typed part of a field.
#[derive(Debug, Clone)]
pub struct PartDecl {
    /// The part's name (empty for part 0).
    pub name: String,
    /// How it is parsed.
    pub spec: TypeSpec,
}

/// How a field is found in a document.
#[derive(Debug)]
enum Extractor {
    Headline {
        skip: Option<LazyRegex>,
    },
    Dateline {
        formats: Vec<String>,
        /// Whether every format writes a number (so a line without a digit is no date).
        needs_digit: bool,
    },
    Pattern {
        regex: LazyRegex,
        raw: bool,
    },
    Copyright,
    FrontMatter {
        keys: Vec<String>,
    },
    Derived {
        from: FieldRef,
        component: Option<UrlComponent>,
        regex: LazyRegex,
    },
}

/// A field declaration, compiled.
#[derive(Debug)]
pub struct FieldSpec {
    /// The field's name.
    pub name: String,
    /// Where it was declared.
    pub loc: Loc,
    /// Its parts; part 0 is the field's own value.
    pub parts: Vec<PartDecl>,
    /// Whether every occurrence is collected (otherwise only the first).
    pub multiple: bool,
    extractor: Extractor,
    region: Option<Region>,
}

/// The field kinds and what they are for, as `citelint kinds` lists them.
pub const FIELD_KINDS: &[(&str, &str)] = &[
    (
        "headline",
        "the first non-blank line of the body (or of `region`), passing over lines that match `skip`",
    ),
    (
        "dateline",
        "a line that is only a date in one of `formats`, optionally `, by AUTHOR` (parts: author)",
    ),
    (
        "pattern",
        "the first (or, with `multiple`, every) match of `regex` in the text view (with `raw: true`, in the text as written, markup included); named groups become parts typed by `captures`",
    ),
    (
        "copyright",
        "a notice `© YEAR HOLDER`, `(c) YEAR HOLDER`, `Copyright YEAR HOLDER` or `Copyright HOLDER YEAR` (parts: year, year_end, holder)",
    ),
    (
        "front-matter",
        "the value of front matter `key` (dotted path), typed by `type`",
    ),
    (
        "derived",
        "`regex` applied to another field's part (`from`), or to one `url_part` of it",
    ),
];

const DEFAULT_DATELINE_FORMATS: &[&str] = &["%B %-d %Y", "%B %-d, %Y", "%-d %B %Y", "%Y-%m-%d"];

/// The fields of one pack, in declaration order.
#[derive(Debug, Default)]
pub struct Schema {
    /// The fields.
    pub fields: Vec<FieldSpec>,
}

impl Schema {
    /// Compiles the `fields:` mapping of a pack.
    pub fn compile(node: Option<&Node>) -> Result<Schema, RuleError> {
        let mut schema = Schema::default();
        let Some(node) = node else {
            return Ok(schema);
        };
        let NodeValue::Map(entries) = &node.value else {
            return Err(RuleError::at(
                node.loc,
                "`fields` must be a mapping of field names to declarations",
            ));
        };
        for (key, decl) in entries {
            if !valid_name(&key.name) {
                return Err(RuleError::at(
                    key.loc,
                    format!(
                        "invalid field name `{}`: use letters, digits and `_`",
                        key.name
                    ),
                ));
            }
            if schema.fields.iter().any(|f| f.name == key.name) {
                return Err(RuleError::at(
                    key.loc,
                    format!("field `{}` is declared twice", key.name),
                ));
            }
            let field = schema.compile_field(&key.name, key.loc, decl)?;
            schema.fields.push(field);
        }
        Ok(schema)
    }

    fn compile_field(&self, name: &str, loc: Loc, node: &Node) -> Result<FieldSpec, RuleError> {
        let what = format!("field `{name}`");
        let mut table = Table::new(node, &what)?;
        let kind = table.require_string("kind")?;
        let multiple = table.boolean("multiple")?.unwrap_or(false);
        let region = table
            .get("region")
            .map(|n| Region::compile(n, self))
            .transpose()?;
        let text = |name: &str| PartDecl {
            name: name.to_string(),
            spec: TypeSpec::text(),
        };
        let (extractor, parts) = match kind.value.as_str() {
            "headline" => {
                let skip = table.regex("skip")?.map(|r| r.value);
                (Extractor::Headline { skip }, vec![text("")])
            }
            "dateline" => {
                let mut formats: Vec<String> = table
                    .strings("formats")?
                    .into_iter()
                    .map(|s| s.value)
                    .collect();
                if formats.is_empty() {
                    formats = DEFAULT_DATELINE_FORMATS
                        .iter()
                        .map(|s| s.to_string())
                        .collect();
                }
                let date = PartDecl {
                    name: String::new(),
                    spec: TypeSpec {
                        ty: ValueType::Date,
                        formats: formats.clone(),
                    },
                };
                let needs_digit = formats.iter().all(|f| writes_number(f));
                (
                    Extractor::Dateline {
                        formats,
                        needs_digit,
                    },
                    vec![date, text("author")],
                )
            }
            "pattern" => {
                let regex = table.require_regex("regex")?;
                let parts = capture_parts(&regex, table.get("captures"))?;
                let raw = table.boolean("raw")?.unwrap_or(false);
                if raw && region.is_some() {
                    return Err(RuleError::at(
                        kind.loc,
                        "a `raw` pattern searches the whole text; it takes no `region`",
                    ));
                }
                (
                    Extractor::Pattern {
                        regex: regex.value,
                        raw,
                    },
                    parts,
                )
            }
            "copyright" => {
                let year = TypeSpec {
                    ty: ValueType::Year,
                    formats: vec![],
                };
                let parts = vec![
                    text(""),
                    PartDecl {
                        name: "year".into(),
                        spec: year.clone(),
                    },
                    PartDecl {
                        name: "year_end".into(),
                        spec: year,
                    },
                    text("holder"),
                ];
                (Extractor::Copyright, parts)
            }
            "front-matter" => {
                let keys: Vec<String> =
                    table.strings("key")?.into_iter().map(|k| k.value).collect();
                if keys.is_empty() {
                    return Err(RuleError::at(
                        kind.loc,
                        "a front-matter field needs `key`: a key (or a list of keys) such as source_url",
                    ));
                }
                let spec = type_spec(&mut table)?.unwrap_or_else(TypeSpec::text);
                (
                    Extractor::FrontMatter { keys },
                    vec![PartDecl {
                        name: String::new(),
                        spec,
                    }],
                )
            }
            "derived" => {
                let from = self.resolve(&table.require_string("from")?)?;
                let component = match table.string("url_part")? {
                    None => None,
                    Some(part) => Some(UrlComponent::from_name(&part.value).ok_or_else(|| {
                        RuleError::at(part.loc, format!("unknown url_part `{}`", part.value))
                            .with_help(suggestion(&part.value, UrlComponent::NAMES))
                    })?),
                };
                if component.is_some() && self.spec(from).ty != ValueType::Url {
                    return Err(RuleError::at(
                        kind.loc,
                        format!(
                            "`url_part` needs a url part, but `{}` is {}",
                            self.name(from),
                            self.spec(from).ty.name()
                        ),
                    ));
                }
                let mut regex = table.require_regex("regex")?;
                regex.value.set_searches_field_text();
                let parts = capture_parts(&regex, table.get("captures"))?;
                (
                    Extractor::Derived {
                        from,
                        component,
                        regex: regex.value,
                    },
                    parts,
                )
            }
            other => {
                let names: Vec<&str> = FIELD_KINDS.iter().map(|(n, _)| *n).collect();
                return Err(
                    RuleError::at(kind.loc, format!("unknown field kind `{other}`"))
                        .with_help(suggestion(other, &names)),
                );
            }
        };
        table.finish()?;
        Ok(FieldSpec {
            name: name.to_string(),
            loc,
            parts,
            multiple,
            extractor,
            region,
        })
    }

    /// Resolves `field` or `field.part`, suggesting the nearest name when it is unknown.
    pub fn resolve(&self, text: &Located<String>) -> Result<FieldRef, RuleError> {
        let (field_name, part_name) = match text.value.split_once('.') {
            Some((f, p)) => (f, Some(p)),
            None => (text.value.as_str(), None),
        };
        let Some(field) = self.fields.iter().position(|f| f.name == field_name) else {
            let names: Vec<&str> = self.fields.iter().map(|f| f.name.as_str()).collect();
            return Err(
                RuleError::at(text.loc, format!("unknown field `{field_name}`")).with_help(
                    if names.is_empty() {
                        "declare it under `fields:` first".to_string()
                    } else {
                        suggestion(field_name, &names)
                    },
                ),
            );
        };
        let spec = &self.fields[field];
        let part = match part_name {
            None => 0,
            Some(part_name) => spec
                .parts
                .iter()
                .position(|p| p.name == part_name && !p.name.is_empty())
                .ok_or_else(|| {
                    let names: Vec<&str> =
                        spec.parts.iter().skip(1).map(|p| p.name.as_str()).collect();
                    RuleError::at(
                        text.loc,
                        format!("field `{field_name}` has no part `{part_name}`"),
                    )
                    .with_help(if names.is_empty() {
                        format!("`{field_name}` has no parts")
                    } else {
                        suggestion(part_name, &names)
                    })
                })?,
        };
        Ok(FieldRef { field, part })
    }

    /// Resolves a reference that must have one of `types`.
    pub fn resolve_typed(
        &self,
        text: &Located<String>,
        types: &[ValueType],
    ) -> Result<FieldRef, RuleError> {
        let field = self.resolve(text)?;
        let ty = self.spec(field).ty;
        if !types.contains(&ty) {
            let wanted: Vec<&str> = types.iter().map(|t| t.name()).collect();
            return Err(RuleError::at(
                text.loc,
                format!(
                    "`{}` is {}, but this needs {}",
                    text.value,
                    ty.name(),
                    wanted.join(" or ")
                ),
            ));
        }
        Ok(field)
    }

    /// `field` or `field.part`.
    pub fn name(&self, field: FieldRef) -> String {
        let spec = &self.fields[field.field];
        match field.part {
            0 => spec.name.clone(),
            part => format!("{}.{}", spec.name, spec.parts[part].name),
        }
    }

    /// The type of a part.
    pub fn spec(&self, field: FieldRef) -> &TypeSpec {
        &self.fields[field.field].parts[field.part].spec
    }

    /// The regexes the fields search documents with, as written (derived fields search
    /// other fields, not documents, and are left out).
    pub fn regexes(&self) -> Vec<String> {
        self.fields
            .iter()
            .filter_map(|f| match &f.extractor {
                Extractor::Pattern { regex, .. } => Some(regex.source().to_string()),
                Extractor::Copyright => Some(notice::YEAR_FIRST.to_string()),
                _ => None,
            })
            .collect()
    }

    /// Calls `f` on every regex the fields are extracted with.
    pub fn for_each_regex<'a>(&'a self, f: &mut dyn FnMut(&'a dyn Precompile)) {
        for field in &self.fields {
            match &field.extractor {
                // A headline's skip pattern is left to compile on first use: it reads the
                // first lines only, and most of them never need it (see `extract`).
                Extractor::Pattern { regex, .. } | Extractor::Derived { regex, .. } => f(regex),
                // The byline pattern is compiled only for a dateline line that says `by`;
                // copyright notices are read without a regex.
                _ => {}
            }
        }
    }

    /// Whether a field reads copyright notices (whose starts the rule set's search of a
    /// document then looks for: see [`Shared::with_notice_lines`]).
    pub fn reads_copyright_notices(&self) -> bool {
        self.fields
            .iter()
            .any(|f| matches!(f.extractor, Extractor::Copyright))
    }

    /// Adds the regex of every pattern field searched over the whole text view to `out`:
    /// the candidates for its pack's line scan.
    pub fn view_regexes_mut<'a>(&'a mut self, out: &mut Vec<&'a mut LazyRegex>) {
        for field in &mut self.fields {
            if let (Extractor::Pattern { regex, raw: false }, None) =
                (&mut field.extractor, &field.region)
            {
                out.push(regex);
            }
        }
    }

    /// Extracts every field from `doc`, in declaration order. What another pack already
    /// read the same way from `doc` is taken from `shared`.
    pub fn extract<'d>(&self, doc: &'d Document, shared: &Shared) -> Fields<'d> {
        let mut fields = Fields::default();
        self.extract_into(doc, shared, None, &mut fields);
        fields
    }

    /// [`extract`](Self::extract) into `fields`, which is emptied first (one buffer serves
    /// every pack that checks a document). A pattern field whose regex takes part in the
    /// pack's line scan is searched on the `lines` of `doc` that scan found.
    pub fn extract_into<'d>(
        &self,
        doc: &'d Document,
        shared: &Shared,
        lines: Option<&LazyLines>,
        fields: &mut Fields<'d>,
    ) {
        fields.clear();
        // Room for one occurrence of each field, so that a first pack seldom grows them.
        let parts = self.fields.iter().map(|f| f.parts.len()).sum();
        fields.parts.reserve(parts);
        fields.occurrences.reserve(self.fields.len());
        fields.by_field.reserve(self.fields.len());
        fields.roots.reserve(self.fields.len());
        for (index, spec) in self.fields.iter().enumerate() {
            let first = fields.occurrences.len();
            spec.extract(doc, fields, shared, lines);
            fields.by_field.push(first..fields.occurrences.len());
            let root = match &spec.extractor {
                Extractor::Derived { from, .. } => fields.roots[from.field],
                _ => index,
            };
            fields.roots.push(root);
        }
    }
}

fn valid_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Reads `type:` and `formats:` of a part or front matter field.
fn type_spec(table: &mut Table) -> Result<Option<TypeSpec>, RuleError> {
    let Some(name) = table.string("type")? else {
        let formats = table.strings("formats")?;
        if let Some(first) = formats.first() {
            return Err(RuleError::at(first.loc, "`formats` needs `type: date`"));
        }
        return Ok(None);
    };
    let ty = ValueType::from_name(&name.value).ok_or_else(|| {
        RuleError::at(name.loc, format!("unknown type `{}`", name.value))
            .with_help(suggestion(&name.value, ValueType::NAMES))
    })?;
    let formats: Vec<String> = table
        .strings("formats")?
        .into_iter()
        .map(|s| s.value)
        .collect();
    if ty == ValueType::Date && formats.is_empty() {
        return Err(RuleError::at(
            name.loc,
            "a date needs `formats`, such as [\"%Y-%m-%d\"]",
        ));
    }
    if ty != ValueType::Date && !formats.is_empty() {
        return Err(RuleError::at(
            name.loc,
            "`formats` applies to `type: date` only",
        ));
    }
    Ok(Some(TypeSpec { ty, formats }))
}

/// The parts of a regex field: part 0, then each named group, typed by `captures`.
fn capture_parts(
    regex: &Located<LazyRegex>,
    captures: Option<&Node>,
) -> Result<Vec<PartDecl>, RuleError> {
    let mut parts = vec![PartDecl {
        name: String::new(),
        spec: TypeSpec::text(),
    }];
    let group_names = regex.value.group_names();
    for name in group_names {
        parts.push(PartDecl {
            name: name.to_string(),
            spec: TypeSpec::text(),
        });
    }
    let Some(node) = captures else {
        return Ok(parts);
    };
    let NodeValue::Map(entries) = &node.value else {
        return Err(RuleError::at(
            node.loc,
            "`captures` must map group names to types",
        ));
    };
    for (key, decl) in entries {
        let Some(part) = parts.iter_mut().skip(1).find(|p| p.name == key.name) else {
            let names: Vec<&str> = group_names.iter().map(String::as_str).collect();
            return Err(RuleError::at(
                key.loc,
                format!("the regex has no named group `{}`", key.name),
            )
            .with_help(if names.is_empty() {
                "name groups with (?P<name>…)".to_string()
            } else {
                suggestion(&key.name, &names)
            }));
        };
        part.spec = match &decl.value {
            NodeValue::Scalar(_) => {
                let name = scalar(decl, "type")?;
                let ty = ValueType::from_name(&name.value).ok_or_else(|| {
                    RuleError::at(name.loc, format!("unknown type `{}`", name.value))
                        .with_help(suggestion(&name.value, ValueType::NAMES))
                })?;
                if ty == ValueType::Date {
                    return Err(RuleError::at(
                        name.loc,
                        "a date needs formats: {type: date, formats: [\"%Y-%m-%d\"]}",
                    ));
                }
                TypeSpec {
                    ty,
                    formats: vec![],
                }
            }
            _ => {
                let what = format!("capture `{}`", key.name);
                let mut table = Table::new(decl, &what)?;
                let spec = type_spec(&mut table)?.unwrap_or_else(TypeSpec::text);
                table.finish()?;
                spec
            }
        };
    }
    Ok(parts)
}

/// One part of one occurrence of a field, as found in a document (whose text it borrows).
#[derive(Debug, Clone, PartialEq)]
pub struct Part<'d> {
    /// Its span in the document text.
    pub span: Span,
    /// Its span in the document's text view (none for front matter values).
    pub view: Option<Span>,
    /// The text as found (markup removed).
    pub text: &'d str,
    /// The typed value, or why the text is not one.
    pub value: Result<Value<'d>, String>,
}

/// One occurrence of a field: its parts, indexed like the field's part declarations,
/// `None` where an optional group did not match.
pub type Occurrence<'f, 'd> = &'f [Option<Part<'d>>];

/// What every pack reads the same way from one document, worked out by the first pack
/// that needs it and reused by the others. The Science X and wire-credit packs both read
/// the copyright notices of a reprinted AFP story, which are read once.
#[derive(Debug, Default)]
pub struct Shared {
    /// The copyright notices of the whole text view, as the copyright extractor finds them.
    copyright: std::cell::OnceCell<Vec<Notice>>,
    /// The lines of the text view that may hold a notice, if a search found them.
    notice_lines: Option<Vec<Span>>,
}

impl Shared {
    /// Shared readings of a document whose view lines that hold one of
    /// [`NOTICE_LITERALS`] are `lines` (in order): copyright notices are then looked for
    /// on those lines only.
    pub fn with_notice_lines(lines: Vec<Span>) -> Shared {
        Shared {
            copyright: std::cell::OnceCell::new(),
            notice_lines: Some(lines),
        }
    }

    /// The copyright notices of the whole text view `view`.
    fn notices(&self, view: &str) -> &Vec<Notice> {
        self.copyright.get_or_init(|| match &self.notice_lines {
            Some(lines) => notice::notices_on(view, lines),
            None => notice::notices(view),
        })
    }
}

/// The lists of a [`Fields`], emptied and kept from one document to the next, so that a
/// thread's next document starts with room for as many parts as its last had instead of
/// growing four lists again.
#[derive(Debug, Default)]
pub struct FieldsBuffer {
    parts: Vec<Option<Part<'static>>>,
    occurrences: Vec<std::ops::Range<usize>>,
    by_field: Vec<std::ops::Range<usize>>,
    roots: Vec<usize>,
}

impl FieldsBuffer {
    /// The most parts whose room is kept for the next document (about 100 KB).
    pub const MAX_KEPT: usize = 1024;
}

/// An empty list of parts borrowing from another document, in the same allocation: the
/// standard library collects a list's own iterator in place, and there is nothing in it
/// to map.
fn emptied<'a, 'b>(mut parts: Vec<Option<Part<'a>>>) -> Vec<Option<Part<'b>>> {
    parts.clear();
    parts
        .into_iter()
        .map(|_| unreachable!("the list is empty"))
        .collect()
}

/// Every field of a pack, extracted from one document. The parts of all occurrences are
/// kept in one list (a few allocations a document, not a few per part), and a buffer can
/// be reused for the next pack ([`Schema::extract_into`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fields<'d> {
    /// The parts of every occurrence of every field, occurrence after occurrence.
    parts: Vec<Option<Part<'d>>>,
    /// Each occurrence's parts, as a range of `parts`.
    occurrences: Vec<std::ops::Range<usize>>,
    /// Each field's occurrences, as a range of `occurrences`.
    by_field: Vec<std::ops::Range<usize>>,
    /// For each field, the field it is derived from at the root (itself if none).
    roots: Vec<usize>,
}

/// Which occurrence of a field a rule is looking at: `(field, occurrence)`. Parts of the
/// bound field, and of the fields derived from the same source, come from that
/// occurrence; every other field is read at its first.
pub type Binding = Option<(usize, usize)>;

impl<'d> Fields<'d> {
    /// Empty fields in the lists of `buffer`.
    pub fn from_buffer(buffer: FieldsBuffer) -> Fields<'d> {
        let mut fields = Fields {
            parts: emptied(buffer.parts),
            occurrences: buffer.occurrences,
            by_field: buffer.by_field,
            roots: buffer.roots,
        };
        fields.clear();
        fields
    }

    /// Empties the fields, giving their lists back for the next document; lists grown
    /// past [`FieldsBuffer::MAX_KEPT`] parts are let go instead, so that one huge
    /// document does not leave a thread holding their memory.
    pub fn into_buffer(mut self) -> FieldsBuffer {
        if self.parts.capacity() > FieldsBuffer::MAX_KEPT {
            return FieldsBuffer::default();
        }
        self.clear();
        FieldsBuffer {
            parts: emptied(self.parts),
            occurrences: self.occurrences,
            by_field: self.by_field,
            roots: self.roots,
        }
    }

    /// How many occurrences field number `field` has.
    pub fn occurrence_count(&self, field: usize) -> usize {
        self.by_field.get(field).map_or(0, |r| r.len())
    }

    /// The occurrences of field number `field`, in document order.
    pub fn occurrences(
        &self,
        field: usize,
    ) -> impl ExactSizeIterator<Item = Occurrence<'_, 'd>> + '_ {
        let range = self.by_field.get(field).cloned().unwrap_or(0..0);
        self.occurrences[range]
            .iter()
            .map(|parts| &self.parts[parts.clone()])
    }

    /// Occurrence `index` of field number `field`, if there is one.
    pub fn occurrence(&self, field: usize, index: usize) -> Option<Occurrence<'_, 'd>> {
        let range = self.by_field.get(field)?;
        let parts = self.occurrences[range.clone()].get(index)?;
        Some(&self.parts[parts.clone()])
    }

    /// The part `field` refers to, under `binding`, if the document has it.
    pub fn part(&self, field: FieldRef, binding: Binding) -> Option<&Part<'d>> {
        let root = |f: usize| self.roots.get(f).copied().unwrap_or(f);
        let index = match binding {
            Some((bound, i)) if root(bound) == root(field.field) => i,
            _ => 0,
        };
        self.occurrence(field.field, index)?
            .get(field.part)?
            .as_ref()
    }

    /// Adds an occurrence of the field being extracted, from its parts.
    fn push(&mut self, parts: impl IntoIterator<Item = Option<Part<'d>>>) {
        let start = self.parts.len();
        self.parts.extend(parts);
        self.occurrences.push(start..self.parts.len());
    }

    /// Empties the buffer, keeping its memory.
    fn clear(&mut self) {
        self.parts.clear();
        self.occurrences.clear();
        self.by_field.clear();
        self.roots.clear();
    }
}

impl FieldSpec {
    /// Its regex, if it is a pattern field searched over the whole text view.
    #[cfg(test)]
    pub(crate) fn view_regex(&self) -> Option<&LazyRegex> {
        match (&self.extractor, &self.region) {
            (Extractor::Pattern { regex, raw: false }, None) => Some(regex),
            _ => None,
        }
    }

    /// Adds the field's occurrences in `doc` to `fields` (whose earlier fields are done).
    fn extract<'d>(
        &self,
        doc: &'d Document,
        fields: &mut Fields<'d>,
        shared: &Shared,
        lines: Option<&LazyLines>,
    ) {
        let view = doc.view().text();
        if matches!(
            self.extractor,
            Extractor::Headline { .. } | Extractor::Dateline { .. }
        ) {
            // The first lines are taken as they come, without looking for where the last
            // of them ends first (a paragraph among them is then read once, not twice).
            if let Some(Region::FirstLines(n)) = self.region {
                return self.extract_from_lines(doc, fields, doc.view_lines().take(n));
            }
        }
        let region = match &self.region {
            Some(region) => match region.resolve(doc, fields, None) {
                Some(span) => span,
                None => return,
            },
            None => 0..view.len(),
        };
        match &self.extractor {
            Extractor::Headline { .. } | Extractor::Dateline { .. } => {
                self.extract_from_lines(doc, fields, lines_within(doc, &region));
            }
            Extractor::Pattern { regex, raw: false }
                if regex.line_literals() != 0 && lines.is_some() =>
            {
                // Taking part in the line scan implies no region: each line that holds one
                // of the regex's literals is searched, in order, with the text before it.
                let lines = lines
                    .into_iter()
                    .flat_map(|l| l.get().holding(view, regex.line_literals()));
                'lines: for (haystack, from) in lines {
                    if self.parts.len() == 1 {
                        for whole in regex.match_spans_from(haystack, from) {
                            self.push_occurrence(doc, &[Some(whole)], false, fields);
                            if !self.multiple {
                                break 'lines;
                            }
                        }
                    } else {
                        for spans in regex.part_spans_from(haystack, from) {
                            self.push_occurrence(doc, &spans, false, fields);
                            if !self.multiple {
                                break 'lines;
                            }
                        }
                    }
                }
            }
            Extractor::Pattern { regex, raw } => {
                let (haystack, region) = if *raw {
                    (doc.text(), 0..doc.text().len())
                } else {
                    (&view[region.clone()], region)
                };
                let shift = |m: Span| region.start + m.start..region.start + m.end;
                if !regex.may_match(haystack) {
                    // Without any literal every match holds: not searched (nor compiled).
                } else if self.parts.len() == 1 {
                    for whole in regex.match_spans(haystack) {
                        self.push_occurrence(doc, &[Some(shift(whole))], *raw, fields);
                        if !self.multiple {
                            break;
                        }
                    }
                } else {
                    for mut spans in regex.part_spans_iter(haystack) {
                        for span in &mut spans {
                            *span = span.take().map(shift);
                        }
                        self.push_occurrence(doc, &spans, *raw, fields);
                        if !self.multiple {
                            break;
                        }
                    }
                }
            }
            Extractor::Copyright => {
                // The notices of the whole text are the same for every pack.
                let in_region;
                let notices = if region == (0..view.len()) {
                    shared.notices(view)
                } else {
                    in_region = notice::notices(&view[region.clone()]);
                    &in_region
                };
                let mut spans = Vec::new();
                for notice in notices {
                    spans.clear();
                    spans.extend(notice.iter().map(|s| {
                        s.as_ref()
                            .map(|s| region.start + s.start..region.start + s.end)
                    }));
                    self.push_occurrence(doc, &spans, false, fields);
                    if !self.multiple {
                        break;
                    }
                }
            }
            Extractor::FrontMatter { keys } => {
                if let Some(front) = doc.front_matter() {
                    for entry in front.entries.iter().filter(|e| keys.contains(&e.key)) {
                        fields.push([Some(Part {
                            span: entry.span.clone(),
                            view: None,
                            text: &entry.value,
                            value: self.parts[0].spec.parse(&entry.value),
                        })]);
                        if !self.multiple {
                            break;
                        }
                    }
                }
            }
            Extractor::Derived {
                from,
                component,
                regex,
            } => {
                // One occurrence per occurrence of the source field, empty where the regex
                // does not match, so that a rule visiting the source's occurrences reads the
                // derived parts of the same one.
                for index in 0..fields.occurrence_count(from.field) {
                    let source = fields
                        .occurrence(from.field, index)
                        .and_then(|parts| parts.get(from.part))
                        .and_then(Option::as_ref)
                        .map(|part| (part.span.clone(), part.view.clone(), part.text));
                    let found = source.is_some_and(|(span, view, text)| {
                        self.derive(doc, (&span, view.as_ref(), text), *component, regex, fields)
                    });
                    if !found {
                        fields.push((0..self.parts.len()).map(|_| None));
                    }
                }
            }
        }
    }

    /// Adds the occurrences of a headline or dateline field found on `lines` (non-blank
    /// view lines, in order).
    fn extract_from_lines<'d>(
        &self,
        doc: &'d Document,
        fields: &mut Fields<'d>,
        mut lines: impl Iterator<Item = Span>,
    ) {
        let view = doc.view().text();
        match &self.extractor {
            Extractor::Headline { skip } => {
                // The skip pattern reads the head's lines alone, and compiles only for a
                // line with one of its literals (a page marker's `/`).
                if let Some(line) = lines.find(|l| {
                    skip.as_ref()
                        .is_none_or(|s| !s.is_match_gated(&view[l.clone()]))
                }) {
                    let line = trim_span(view, line);
                    self.push_occurrence(doc, &[Some(line)], false, fields);
                }
            }
            Extractor::Dateline {
                formats,
                needs_digit,
            } => {
                for line in lines {
                    if *needs_digit && !view[line.clone()].bytes().any(|b| b.is_ascii_digit()) {
                        continue;
                    }
                    let line = trim_span(view, line.clone());
                    if let Some(Dateline { parts, date }) = dateline(view, line, formats) {
                        // The date was read to tell the line is a dateline: its part
                        // takes that reading rather than reading the date again.
                        let mut date = Some(date.map(Value::Date).map_err(|e| e.message));
                        self.push_occurrence_with(doc, &parts, false, fields, |part| {
                            if part == 0 { date.take() } else { None }
                        });
                        if !self.multiple {
                            break;
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// Applies a derived field's regex to a part of its source field (its document span,
    /// view span and text), adding an occurrence if it matches.
    fn derive<'d>(
        &self,
        doc: &'d Document,
        source: (&Span, Option<&Span>, &'d str),
        component: Option<UrlComponent>,
        regex: &LazyRegex,
        fields: &mut Fields<'d>,
    ) -> bool {
        let (source_span, source_view, source_text) = source;
        let base = match component {
            Some(c) => match url_component_span(source_text, c) {
                Some(base) => base,
                None => return false,
            },
            None => 0..source_text.len(),
        };
        let haystack = &source_text[base.clone()];
        if !regex.may_match(haystack) {
            return false;
        }
        // Only a match is needed when the regex has no groups.
        let groups: Vec<Option<Span>> = if self.parts.len() == 1 {
            match regex.match_spans(haystack).next() {
                Some(whole) => vec![Some(whole)],
                None => return false,
            }
        } else {
            match regex.first_part_spans(haystack) {
                Some(groups) => groups,
                None => return false,
            }
        };
        fields.push(groups.into_iter().enumerate().map(|(i, group)| {
            group.map(|m| {
                let inner = base.start + m.start..base.start + m.end;
                let (span, view) = sub_span_of(doc, source_span, source_view, inner.clone());
                let text = &source_text[inner];
                Part {
                    span,
                    view,
                    text,
                    value: self.parts[i].spec.parse(text),
                }
            })
        }));
        true
    }

    /// Adds an occurrence from spans, one per part: of the document text as written
    /// (markup included) when `raw`, otherwise of the text view.
    fn push_occurrence<'d>(
        &self,
        doc: &'d Document,
        spans: &[Option<Span>],
        raw: bool,
        fields: &mut Fields<'d>,
    ) {
        self.push_occurrence_with(doc, spans, raw, fields, |_| None);
    }

    /// [`push_occurrence`](Self::push_occurrence), with the values of the parts `known`
    /// gives (by part index) taken as they are rather than read from their text.
    fn push_occurrence_with<'d>(
        &self,
        doc: &'d Document,
        spans: &[Option<Span>],
        raw: bool,
        fields: &mut Fields<'d>,
        mut known: impl FnMut(usize) -> Option<Result<Value<'d>, String>>,
    ) {
        let view = doc.view();
        fields.push(self.parts.iter().enumerate().map(|(i, decl)| {
            let span = spans.get(i).cloned().flatten()?;
            let (text, source, view_span) = if raw {
                (&doc.text()[span.clone()], span, None)
            } else {
                (
                    &view.text()[span.clone()],
                    view.to_source(span.clone()),
                    Some(span),
                )
            };
            Some(Part {
                span: source,
                view: view_span,
                text,
                value: known(i).unwrap_or_else(|| decl.spec.parse(text)),
            })
        }));
    }
}

/// The document span and view span of bytes `inner` of a part's text.
pub fn sub_span(doc: &Document, part: &Part, inner: Span) -> (Span, Option<Span>) {
    sub_span_of(doc, &part.span, part.view.as_ref(), inner)
}

/// [`sub_span`] of a part given by its document span and view span.
fn sub_span_of(
    doc: &Document,
    span: &Span,
    view: Option<&Span>,
    inner: Span,
) -> (Span, Option<Span>) {
    match view {
        Some(view) => {
            let view = view.start + inner.start..view.start + inner.end;
            (doc.view().to_source(view.clone()), Some(view))
        }
        None => {
            let start = (span.start + inner.start).min(span.end);
            let end = (span.start + inner.end).min(span.end);
            (start..end, None)
        }
    }
}

/// The non-blank view lines of `doc` that lie wholly inside `region`, in order. Lines are
/// in order and do not overlap, so the first one to end past the region ends the run.
fn lines_within(doc: &Document, region: &Span) -> impl Iterator<Item = Span> {
    let (start, end) = (region.start, region.end);
    doc.view_lines()
        .skip_while(move |l| l.start < start)
        .take_while(move |l| l.end <= end)
}

fn trim_span(text: &str, span: Span) -> Span {
    let line = &text[span.clone()];
    let start = span.start + (line.len() - line.trim_start().len());
    let end = span.start + line.trim_end().len();
    start..end.max(start)
}

static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i),?\s+by\s+(?P<author>\S.*)$").expect("byline pattern is valid")
});

/// Whether a `strftime` format always writes a number (a day, month or year in digits).
fn writes_number(format: &str) -> bool {
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            continue;
        }
        let mut spec = chars.next();
        if matches!(spec, Some('-' | '_' | '0' | '^' | '#')) {
            spec = chars.next();
        }
        if matches!(
            spec,
            Some('Y' | 'y' | 'd' | 'e' | 'm' | 'j' | 'C' | 'G' | 'g' | 'F' | 'D')
        ) {
            return true;
        }
    }
    false
}

/// A dateline: a date alone on its line, or followed by `, by AUTHOR`.
struct Dateline {
    /// The date, and the author of a byline.
    parts: Vec<Option<Span>>,
    /// The date as read.
    date: Result<PartialDate, DateError>,
}

/// The dateline on `line`, if it is one: its date has the shape of one of `formats` (a
/// day that does not exist still makes one).
fn dateline(view: &str, line: Span, formats: &[String]) -> Option<Dateline> {
    let text = &view[line.clone()];
    // Matching is cheap; the author group is resolved only on a line with a byline. A line
    // without `by` in any case has none (`b` and `y` have no other case forms), and the
    // pattern is not even compiled for it.
    let says_by = text
        .as_bytes()
        .windows(2)
        .any(|pair| pair.eq_ignore_ascii_case(b"by"));
    // The capture search finds the match first and resolves the group on it alone.
    let byline = says_by.then(|| BYLINE.captures(text)).flatten();
    let (date_end, author) = match byline {
        Some(caps) => {
            let whole = caps.get(0).expect("group 0 always matches");
            let author = caps.name("author").expect("author always matches");
            (
                whole.start(),
                Some(line.start + author.start()..line.start + author.end()),
            )
        }
        None => (text.len(), None),
    };
    let date = text[..date_end].trim_end();
    Some(Dateline {
        date: parse_fitting_date(date, formats)?,
        parts: vec![Some(line.start..line.start + date.len()), author],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_given_back_keep_their_room_for_the_next_document() {
        let text = String::from("a part");
        let mut fields = Fields::from_buffer(FieldsBuffer::default());
        fields.parts.extend((0..40).map(|i| {
            Some(Part {
                span: i..i + 1,
                view: None,
                text: &text,
                value: Ok(Value::Text(&text)),
            })
        }));
        fields.occurrences.extend((0..40).map(|i| i..i + 1));
        let room = fields.parts.capacity();
        let buffer = fields.into_buffer();
        let next = Fields::from_buffer(buffer);
        assert!(next.parts.is_empty() && next.occurrences.is_empty());
        assert_eq!(next.parts.capacity(), room);
        assert!(next.occurrences.capacity() >= 40);

        let mut huge = next;
        huge.parts.extend((0..=FieldsBuffer::MAX_KEPT).map(|i| {
            Some(Part {
                span: i..i + 1,
                view: None,
                text: &text,
                value: Ok(Value::Text(&text)),
            })
        }));
        assert_eq!(Fields::from_buffer(huge.into_buffer()).parts.capacity(), 0);
    }

    /// Two packs read the notices of the whole text once; a pack reading them in a region
    /// of the text still finds only the notices in its region, at their own positions.
    #[test]
    fn packs_share_the_notices_of_the_whole_text_but_not_of_a_region() {
        let pack = |name: &str, region: &str| {
            format!(
                "pack: {name}\nfields:\n  credit: {{kind: copyright, multiple: true{region}}}\nrules:\n  - {{id: seen, kind: forbidden, field: credit, message: m}}\n"
            )
        };
        let mut rules = crate::rules::RuleSet::new();
        for (name, region) in [("a", ""), ("b", ", region: {last_lines: 2}"), ("c", "")] {
            rules
                .add_yaml("test.yaml", &pack(name, region))
                .expect("the pack compiles");
        }
        let text = "Headline\n© 2019 AFP\nBody\n(c) 2020 Reuters\n";
        let doc = Document::new("t.txt", text.to_string(), crate::document::Format::Text);
        let options = crate::engine::CheckOptions::new(jiff::civil::date(2026, 1, 15));
        let found: Vec<String> = crate::engine::check(&rules, &doc, &options)
            .into_iter()
            .map(|d| {
                format!(
                    "{} {}:{} {}",
                    d.rule, d.start.line, d.start.column, &text[d.span]
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                "a/seen 2:1 © 2019 AFP",
                "c/seen 2:1 © 2019 AFP",
                "a/seen 4:1 (c) 2020 Reuters",
                "b/seen 4:1 (c) 2020 Reuters",
                "c/seen 4:1 (c) 2020 Reuters",
            ]
        );
    }

    #[test]
    fn a_headline_without_the_skip_patterns_literals_is_read_without_compiling_it() {
        let fields = crate::yaml::Node::parse(
            r"headline: {kind: headline, skip: '^[ \t]*(?:[0-9]+/[0-9]+|Powered by TCPDF[^\n]*)[ \t]*$'}",
        )
        .expect("valid YAML");
        let schema = Schema::compile(Some(&fields)).expect("a valid schema");
        let Extractor::Headline { skip: Some(skip) } = &schema.fields[0].extractor else {
            panic!("a headline with a skip pattern");
        };
        let mut compiled = 0;
        schema.for_each_regex(&mut |_| compiled += 1);
        assert_eq!(compiled, 0, "the skip pattern is not compiled ahead");
        let headline = |text: &str| {
            let doc = Document::new("a.txt", text.to_string(), crate::document::Format::Text);
            let fields = schema.extract(&doc, &Shared::default());
            fields.occurrence(0, 0).unwrap()[0]
                .as_ref()
                .unwrap()
                .text
                .to_string()
        };
        assert_eq!(
            headline("Marsh soils hold carbon\n\nBody"),
            "Marsh soils hold carbon"
        );
        assert!(
            !skip.is_compiled(),
            "a line without `/` rules the pattern out"
        );
        assert_eq!(
            headline("2/4\n\nMarsh soils hold carbon\n"),
            "Marsh soils hold carbon"
        );
        assert!(skip.is_compiled());
        assert_eq!(
            headline("Powered by TCPDF (www.tcpdf.org)\nMarsh\n"),
            "Marsh"
        );
    }

    /// A dateline looked for in the first lines is found on any of them and on no later
    /// one, however few lines the text has; blank lines are not counted.
    #[test]
    fn a_dateline_in_the_first_lines_is_found_there_only() {
        let fields = crate::yaml::Node::parse(
            "dateline: {kind: dateline, formats: ['%B %-d %Y'], region: {first_lines: 3}}",
        )
        .expect("valid YAML");
        let schema = Schema::compile(Some(&fields)).expect("a valid schema");
        let found = |text: &str| {
            let doc = Document::new("a.txt", text.to_string(), crate::document::Format::Text);
            let fields = schema.extract(&doc, &Shared::default());
            fields
                .occurrence(0, 0)
                .map(|parts| parts[0].as_ref().expect("the date").text.to_string())
        };
        let date = Some("March 3 2021".to_string());
        assert_eq!(found("March 3 2021\n"), date);
        assert_eq!(
            found("Title\n\n\nA paragraph of 2 lines.\n\nMarch 3 2021\nBody\n"),
            date
        );
        assert_eq!(found("Title\nOne\nTwo\nMarch 3 2021\n"), None);
        assert_eq!(found("Title"), None);
        assert_eq!(found(""), None);
    }

    #[test]
    fn formats_that_write_numbers() {
        for format in ["%B %-d %Y", "%-d %B %Y", "%Y-%m-%d", "%e %b", "%F"] {
            assert!(writes_number(format), "{format}");
        }
        for format in ["%B", "%A, %B", "100%%"] {
            assert!(!writes_number(format), "{format}");
        }
    }

    #[test]
    fn datelines_with_and_without_bylines() {
        let formats = vec!["%B %-d %Y".to_string(), "%B %-d, %Y".to_string()];
        let line = "August 31 2026, by Sam Jarman";
        let Dateline { parts, date } = dateline(line, 0..line.len(), &formats).unwrap();
        assert_eq!(&line[parts[0].clone().unwrap()], "August 31 2026");
        // The date as read, which its part takes.
        assert_eq!(date, crate::value::parse_date("August 31 2026", &formats));
        assert!(date.is_ok());
        assert_eq!(&line[parts[1].clone().unwrap()], "Sam Jarman");
        let line = "March 3 2021, BY Dana Whitfield";
        let parts = dateline(line, 0..line.len(), &formats).unwrap().parts;
        assert_eq!(&line[parts[1].clone().unwrap()], "Dana Whitfield");
        let line = "March 3 2021, Dana Whitfield";
        assert!(dateline(line, 0..line.len(), &formats).is_none());
        let line = "February 30 2014";
        let date = dateline(line, 0..line.len(), &formats).unwrap().date;
        assert!(date.is_err_and(|e| e.fits_format));
        let line = "Not a date at all";
        assert!(dateline(line, 0..line.len(), &formats).is_none());
    }
}
