//! Rule kinds: one file each, each a [`Check`] compiled from its YAML options.
//!
//! A kind's [`Kind`] entry carries the documentation `citelint kinds` prints: what it
//! checks, why, and a YAML example. Adding a kind is one file and one line in [`KINDS`].

mod conditional;
mod date_order;
mod equals;
mod forbidden;
mod required;
mod url_host;
mod url_query;
mod url_scheme;
mod valid;
mod words_in_order;

use std::cell::Cell;
use std::fmt;

use jiff::civil::Date;

use super::error::RuleError;
use super::field::{Binding, FieldRef, Fields, Part, Schema};
use super::table::{LazyRegex, Precompile, Table};
use crate::document::Document;
use crate::position::Span;
use crate::value::Value;

/// Everything a check may look at for one document.
pub struct Cx<'a> {
    /// The document.
    pub doc: &'a Document,
    /// The pack's fields, extracted from it.
    pub fields: &'a Fields<'a>,
    /// The occurrence being checked, for rules that visit each occurrence of a field.
    pub binding: Binding,
    /// Today's date, for "not in the future" checks.
    pub today: &'a Today,
}

/// Today's date for one document's check, and the days on which the check would give the
/// same result: every use of the date narrows them. A cache keeps a result for those
/// days (a date in the past stays in the past tomorrow), not only for the day it was made.
#[derive(Debug)]
pub struct Today {
    date: Date,
    /// The first and last day with the same result, as far as the check has gone.
    same: Cell<(Date, Date)>,
}

impl Today {
    /// `date`, not yet used: the result is the same on every day.
    pub fn new(date: Date) -> Today {
        Today {
            date,
            same: Cell::new((Date::MIN, Date::MAX)),
        }
    }

    /// The date, for a result that depends on this exact day (a message that prints it):
    /// the same result is then only certain today.
    pub fn date(&self) -> Date {
        self.narrow(self.date, self.date);
        self.date
    }

    /// The date, for a comparison whose outcome the caller then records with
    /// [`Today::narrow`].
    pub fn peek(&self) -> Date {
        self.date
    }

    /// Records that the result is only certain on the days `from..=until`.
    pub fn narrow(&self, from: Date, until: Date) {
        let (start, end) = self.same.get();
        self.same.set((start.max(from), end.min(until)));
    }

    /// The first and last day on which the check gives the same result.
    pub fn same_result(&self) -> (Date, Date) {
        self.same.get()
    }
}

impl<'a> Cx<'a> {
    /// The part a reference names, if the document has it.
    pub fn part(&self, field: FieldRef) -> Option<&Part<'a>> {
        self.fields.part(field, self.binding)
    }

    /// A URL part and its parsed URL, if the document has a valid one.
    pub fn url(&self, field: FieldRef) -> Option<(&Part<'a>, &url::Url)> {
        let part = self.part(field)?;
        match &part.value {
            Ok(Value::Url(url)) => Some((part, url)),
            _ => None,
        }
    }

    /// The part's typed value, if it has one (invalid values are `valid`'s business).
    pub fn value(&self, field: FieldRef) -> Option<&Value<'a>> {
        self.part(field)?.value.as_ref().ok()
    }
}

/// One violation found by a check, before the rule's message is rendered.
#[derive(Debug, Clone)]
pub struct Finding {
    /// Where, in the document text.
    pub span: Span,
    /// Values for the kind's placeholders.
    pub vars: Vec<(&'static str, String)>,
    /// Secondary places, with their messages.
    pub labels: Vec<(Span, String)>,
}

impl Finding {
    /// A finding at `span` with no placeholders or labels.
    pub fn at(span: Span) -> Finding {
        Finding {
            span,
            vars: Vec::new(),
            labels: Vec::new(),
        }
    }

    /// Adds a placeholder value.
    pub fn var(mut self, name: &'static str, value: impl Into<String>) -> Finding {
        self.vars.push((name, value.into()));
        self
    }

    /// Adds a secondary label.
    pub fn label(mut self, span: Span, message: impl Into<String>) -> Finding {
        self.labels.push((span, message.into()));
        self
    }
}

/// A compiled rule body.
pub trait Check: Send + Sync + fmt::Debug {
    /// Appends a finding for every violation in the document.
    fn run(&self, cx: &Cx, out: &mut Vec<Finding>);

    /// The field whose every occurrence the rule visits, if it visits one.
    fn subject(&self) -> Option<usize> {
        None
    }

    /// Calls `f` on every regex of the rule's options (to compile them ahead of use).
    fn regexes<'a>(&'a self, f: &mut dyn FnMut(&'a dyn Precompile)) {
        let _ = f;
    }

    /// A regex that must match somewhere in the text view for the rule to find anything,
    /// if the rule has one. A pack searches once for all its rules' regexes together and
    /// skips the rules whose regexes that search rules out.
    fn needs_match(&self) -> Option<&LazyRegex> {
        None
    }
}

/// Compiles a kind's options (the rule's keys other than the common ones).
pub type Compile = fn(&mut Table, &Schema) -> Result<Box<dyn Check>, RuleError>;

/// A rule kind: its name, documentation, placeholders and compiler.
pub struct Kind {
    /// The name used in `kind:`.
    pub name: &'static str,
    /// One line: what it checks.
    pub summary: &'static str,
    /// What it checks, why, and a YAML example.
    pub doc: &'static str,
    /// Placeholders its messages may use, besides field names.
    pub vars: &'static [&'static str],
    /// Compiles its options.
    pub compile: Compile,
}

/// Every rule kind.
pub static KINDS: &[&Kind] = &[
    &required::KIND,
    &forbidden::KIND,
    &conditional::KIND,
    &equals::KIND,
    &date_order::KIND,
    &valid::KIND,
    &url_scheme::KIND,
    &url_host::KIND,
    &url_query::KIND,
    &words_in_order::KIND,
];

/// The kind called `name`.
pub fn find(name: &str) -> Option<&'static Kind> {
    KINDS.iter().copied().find(|k| k.name == name)
}

/// A short label for the other place a finding involves: `"headline is here"`.
pub fn here(schema: &Schema, field: FieldRef) -> String {
    format!("{} is here", schema.name(field))
}

/// The document span of one component of a URL part, as written.
pub fn url_component(
    cx: &Cx,
    part: &Part,
    component: crate::value::UrlComponent,
) -> Option<(Span, String)> {
    let inner = crate::value::url_component_span(part.text, component)?;
    let text = part.text[inner.clone()].to_string();
    Some((super::field::sub_span(cx.doc, part, inner).0, text))
}

/// Helpers for the kinds' unit tests: compile a small pack and check a text with it.
#[cfg(test)]
pub(crate) mod testing {
    use crate::document::{Document, Format};
    use crate::engine::{CheckOptions, check};
    use crate::rules::RuleSet;

    /// `(rule id, text of the span, message)` of each diagnostic, checked on 2026-01-15.
    pub fn run(pack: &str, text: &str) -> Vec<(String, String, String)> {
        run_at(pack, text)
            .into_iter()
            .map(|(rule, _, span, message)| (rule, span, message))
            .collect()
    }

    /// Like [`run`], with each diagnostic's `line:column` second.
    pub fn run_at(pack: &str, text: &str) -> Vec<(String, String, String, String)> {
        let mut rules = RuleSet::new();
        if let Err(errors) = rules.add_yaml("test.yaml", pack) {
            panic!("{}", errors[0]);
        }
        let doc = Document::new("t.txt", text.to_string(), Format::Text);
        let options = CheckOptions::new(jiff::civil::date(2026, 1, 15));
        check(&rules, &doc, &options)
            .into_iter()
            .map(|d| {
                let at = format!("{}:{}", d.start.line, d.start.column);
                (d.rule, at, doc.text()[d.span].to_string(), d.message)
            })
            .collect()
    }

    /// The compile error of a pack, as printed.
    pub fn error(pack: &str) -> String {
        match RuleSet::new().add_yaml("test.yaml", pack) {
            Ok(()) => panic!("the pack compiled"),
            Err(errors) => errors[0].to_string(),
        }
    }
}

/// What `required`, `forbidden` and `conditional` look for: a field (part) or a pattern.
#[derive(Debug)]
pub enum Target {
    /// A field part, found or not.
    Field(FieldRef),
    /// A regex over the text view.
    Pattern(Box<LazyRegex>),
}

impl Target {
    /// Calls `f` on the target's regex, if it is a pattern.
    pub fn regexes<'a>(&'a self, f: &mut dyn FnMut(&'a dyn Precompile)) {
        if let Target::Pattern(regex) = self {
            f(regex.as_ref());
        }
    }
}

/// Reads exactly one of `field_key` (a field reference) and `pattern_key` (a regex).
pub fn target(
    table: &mut Table,
    schema: &Schema,
    kind: &str,
    field_key: &'static str,
    pattern_key: &'static str,
) -> Result<Target, RuleError> {
    let field = table.string(field_key)?;
    let pattern = table.regex(pattern_key)?;
    match (field, pattern) {
        (Some(field), None) => Ok(Target::Field(schema.resolve(&field)?)),
        (None, Some(pattern)) => Ok(Target::Pattern(Box::new(pattern.value))),
        (Some(field), Some(_)) => Err(RuleError::at(
            field.loc,
            format!("give either `{field_key}` or `{pattern_key}`, not both"),
        )),
        (None, None) => Err(RuleError::at(
            table.loc(),
            format!("a `{kind}` rule needs `{field_key}` or `{pattern_key}`"),
        )),
    }
}

/// Reads an optional `region:`.
pub fn region(
    table: &mut Table,
    schema: &Schema,
) -> Result<Option<super::region::Region>, RuleError> {
    table
        .get("region")
        .map(|n| super::region::Region::compile(n, schema))
        .transpose()
}

impl<'a> Cx<'a> {
    /// The view span `region` stands for: the whole view when there is none, `None`
    /// when it hangs on a field the document lacks (then nothing can be asked of it).
    pub fn region(&self, region: Option<&super::region::Region>) -> Option<Span> {
        match region {
            Some(region) => region.resolve(self.doc, self.fields, self.binding),
            None => Some(0..self.doc.view().text().len()),
        }
    }
}

#[cfg(test)]
mod today_tests {
    use super::Today;
    use jiff::civil::{Date, date};

    #[test]
    fn each_use_of_today_narrows_the_days_with_the_same_result() {
        let today = Today::new(date(2026, 1, 15));
        assert_eq!(today.same_result(), (Date::MIN, Date::MAX));
        // Peeking alone promises nothing: the caller narrows by what it compared.
        assert_eq!(today.peek(), date(2026, 1, 15));
        assert_eq!(today.same_result(), (Date::MIN, Date::MAX));
        today.narrow(date(2026, 1, 10), Date::MAX);
        today.narrow(Date::MIN, date(2026, 3, 1));
        assert_eq!(today.same_result(), (date(2026, 1, 10), date(2026, 3, 1)));
        // Reading the date itself ties the result to the day.
        assert_eq!(today.date(), date(2026, 1, 15));
        assert_eq!(today.same_result(), (date(2026, 1, 15), date(2026, 1, 15)));
    }
}
