//! `equals`: two fields must agree after normalisation.

use std::cmp::Ordering;

use super::{Check, Cx, Finding, Kind, here};
use crate::normalize::Normalize;
use crate::rules::error::{RuleError, suggestion};
use crate::rules::field::{FieldRef, Schema};
use crate::rules::table::{Table, strings};
use crate::value::{Value, ValueType};

/// The `equals` kind.
pub const KIND: Kind = Kind {
    name: "equals",
    summary: "two fields must agree (texts after normalisation, dates at their common precision)",
    doc: r#"## What it checks
That field `left` agrees with field `right` (or with the first present of a list of
fields). Texts are compared after `normalize` (default: whitespace, quotes, case);
dates at the precision both have (`2014-12` agrees with `2014-12-22`); a year agrees
with a date in that year. The finding is on `left`, with a label on `right`.
`{left}` and `{right}` are the two texts as written.

## Why
A citation restates facts written elsewhere in the article: its title is the headline,
its date the dateline, the credit's year the year of publication. When they disagree,
one of them is wrong.

## Example
```yaml
- id: title-mismatch
  kind: equals
  left: citation.title
  right: headline
  message: "citation title `{left}` differs from the headline `{right}`"
```
"#,
    vars: &["left", "right"],
    compile,
};

#[derive(Debug)]
struct Equals {
    left: FieldRef,
    right: Vec<(FieldRef, String)>,
    normalize: Normalize,
}

fn compile(table: &mut Table, schema: &Schema) -> Result<Box<dyn Check>, RuleError> {
    const COMPARABLE: &[ValueType] = &[
        ValueType::Text,
        ValueType::Date,
        ValueType::Year,
        ValueType::Url,
    ];
    let left_text = table.require_string("left")?;
    let left = schema.resolve_typed(&left_text, COMPARABLE)?;
    let left_type = schema.spec(left).ty;
    let mut right = Vec::new();
    for text in strings(table.require("right")?, "right")? {
        let field = schema.resolve(&text)?;
        let right_type = schema.spec(field).ty;
        if !comparable(left_type, right_type) {
            return Err(RuleError::at(
                text.loc,
                format!(
                    "cannot compare `{}` ({}) with `{}` ({})",
                    left_text.value,
                    left_type.name(),
                    text.value,
                    right_type.name()
                ),
            ));
        }
        right.push((field, here(schema, field)));
    }
    let normalize = match table.get("normalize") {
        None => Normalize::default(),
        Some(node) => {
            let mut normalize = Normalize::none();
            for option in strings(node, "normalize")? {
                match option.value.as_str() {
                    "whitespace" => normalize.whitespace = true,
                    "quotes" => normalize.quotes = true,
                    "case" => normalize.case = true,
                    "punctuation" => normalize.punctuation = true,
                    other => {
                        return Err(RuleError::at(
                            option.loc,
                            format!("unknown normalisation `{other}`"),
                        )
                        .with_help(suggestion(other, Normalize::NAMES)));
                    }
                }
            }
            normalize
        }
    };
    Ok(Box::new(Equals {
        left,
        right,
        normalize,
    }))
}

fn comparable(a: ValueType, b: ValueType) -> bool {
    use ValueType::*;
    matches!(
        (a, b),
        (Text, Text) | (Url, Url) | (Date | Year, Date | Year)
    )
}

fn year_of(value: &Value) -> Option<i16> {
    match value {
        Value::Date(date) => Some(date.year),
        Value::Year(year) => Some(*year),
        _ => None,
    }
}

impl Equals {
    fn agree(&self, left: &Value, right: &Value) -> bool {
        match (left, right) {
            // Texts written alike (a headline and the title citing it, mostly) agree
            // without being normalised.
            (Value::Text(a), Value::Text(b)) => {
                a == b || self.normalize.apply(a) == self.normalize.apply(b)
            }
            (Value::Url(a), Value::Url(b)) => a == b,
            (Value::Date(a), Value::Date(b)) => a.cmp_common(b) == Ordering::Equal,
            (a, b) => year_of(a).is_some() && year_of(a) == year_of(b),
        }
    }
}

impl Check for Equals {
    fn run(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(left) = cx.part(self.left) else {
            return;
        };
        let Some((right, label)) = self
            .right
            .iter()
            .find_map(|(field, label)| cx.part(*field).map(|part| (part, label)))
        else {
            return;
        };
        let (Ok(left_value), Ok(right_value)) = (&left.value, &right.value) else {
            return;
        };
        if !self.agree(left_value, right_value) {
            out.push(
                Finding::at(left.span.clone())
                    .var("left", left.text)
                    .var("right", right.text)
                    .label(right.span.clone(), label.clone()),
            );
        }
    }

    fn subject(&self) -> Option<usize> {
        Some(self.left.field)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{error, run_at};

    const PACK: &str = r#"
pack: t
fields:
  headline: {kind: headline}
  dateline: {kind: dateline, formats: ["%B %-d %Y"]}
  credit: {kind: copyright}
  cite:
    kind: pattern
    regex: '^Cite: (?P<title>.+) \((?P<date>[^)]+)\)$'
    captures:
      date: {type: date, formats: ["%Y-%m"]}
rules:
  - {id: title, kind: equals, left: cite.title, right: headline, message: "`{left}` vs `{right}`"}
  - {id: date, kind: equals, left: cite.date, right: dateline, message: "date"}
  - {id: year, kind: equals, left: credit.year, right: [dateline, cite.date], message: "year"}
"#;

    #[test]
    fn quotes_case_and_spacing_do_not_count() {
        let text = "The \u{2018}Big\u{2019}  Story\nMay 2 2020\n© 2020 AFP\nCite: the 'big' story (2020-05)\n";
        assert!(run_at(PACK, text).is_empty(), "{:?}", run_at(PACK, text));
    }

    #[test]
    fn disagreements_are_reported_on_the_left_with_a_label() {
        let text = "The Big Story\nMay 2 2020\n© 2019 AFP\nCite: A Small Story (2020-06)\n";
        let found = run_at(PACK, text);
        assert_eq!(
            found,
            vec![
                ("t/year".into(), "3:3".into(), "2019".into(), "year".into()),
                (
                    "t/title".into(),
                    "4:7".into(),
                    "A Small Story".into(),
                    "`A Small Story` vs `The Big Story`".into()
                ),
                (
                    "t/date".into(),
                    "4:22".into(),
                    "2020-06".into(),
                    "date".into()
                ),
            ]
        );
    }

    #[test]
    fn falls_back_to_the_next_right_field() {
        let text = "The Big Story\n© 2019 AFP\nCite: The Big Story (2020-06)\n";
        let found = run_at(PACK, text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "t/year");
    }

    #[test]
    fn incompatible_types_are_load_errors() {
        let pack = PACK.to_string()
            + "  - {id: bad, kind: equals, left: cite.date, right: headline, message: m}\n";
        assert!(
            error(&pack).contains("cannot compare `cite.date` (date) with `headline` (text)"),
            "{}",
            error(&pack)
        );
    }
}
