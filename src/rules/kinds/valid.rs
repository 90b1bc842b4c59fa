//! `valid`: a typed field part must parse as its type.

use super::{Check, Cx, Finding, Kind};
use crate::rules::error::RuleError;
use crate::rules::field::{FieldRef, Schema};
use crate::rules::table::Table;

/// The `valid` kind.
pub const KIND: Kind = Kind {
    name: "valid",
    summary: "a typed field part must be a real date, a valid URL or a year",
    doc: r#"## What it checks
That a field part declared as `date`, `url` or `year` parses: a date in one of its
`formats` that names a real day (not February 30), an absolute URL, a four-digit year.
`{error}` says what is wrong; `{value}` is the text as written.

## Why
A retrieval date that does not exist, or a URL nobody can open, makes a citation
useless as evidence. Other rules skip invalid values, so each problem is reported once.

## Example
```yaml
- id: retrieved-invalid
  kind: valid
  field: citation.retrieved
  message: "retrieval date is not valid: {error}"
```
"#,
    vars: &["error", "value"],
    compile,
};

#[derive(Debug)]
struct Valid {
    field: FieldRef,
}

fn compile(table: &mut Table, schema: &Schema) -> Result<Box<dyn Check>, RuleError> {
    let field = schema.resolve(&table.require_string("field")?)?;
    Ok(Box::new(Valid { field }))
}

impl Check for Valid {
    fn run(&self, cx: &Cx, out: &mut Vec<Finding>) {
        if let Some(part) = cx.part(self.field)
            && let Err(error) = &part.value
        {
            out.push(
                Finding::at(part.span.clone())
                    .var("error", error.clone())
                    .var("value", part.text),
            );
        }
    }

    fn subject(&self) -> Option<usize> {
        Some(self.field.field)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::run;

    const PACK: &str = r#"
pack: t
fields:
  cite:
    kind: pattern
    regex: '^Retrieved (?P<date>.+?) from (?P<url>\S+)$'
    captures:
      date: {type: date, formats: ["%B %-d, %Y"]}
      url: url
rules:
  - {id: date, kind: valid, field: cite.date, message: "bad date: {error}"}
  - {id: url, kind: valid, field: cite.url, message: "bad url {value}"}
"#;

    #[test]
    fn real_dates_and_urls_pass() {
        assert!(run(PACK, "Retrieved March 3, 2021 from https://a.org/x\n").is_empty());
    }

    #[test]
    fn impossible_dates_and_relative_urls_fail() {
        let found = run(PACK, "Retrieved February 29, 2023 from a.org/x\n");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].1, "February 29, 2023");
        assert!(
            found[0].2.contains("February 2023 has 28 days"),
            "{}",
            found[0].2
        );
        assert_eq!(
            found[1],
            ("t/url".into(), "a.org/x".into(), "bad url a.org/x".into())
        );
    }
}
