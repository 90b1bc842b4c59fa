//! `date-order`: a date must not be before another date, or after today.

use std::cmp::Ordering;

use jiff::ToSpan;

use super::{Check, Cx, Finding, Kind, here};
use crate::rules::error::RuleError;
use crate::rules::field::{FieldRef, Schema};
use crate::rules::table::{Located, Table};
use crate::value::{PartialDate, Value, ValueType};

/// The `date-order` kind.
pub const KIND: Kind = Kind {
    name: "date-order",
    summary: "a date must not be before another date, or after today (with slack)",
    doc: r#"## What it checks
That date `field` is not before `not_before` and not after `not_after`, each a date
field, a fixed date (`2001-01-15`) or `today` (from `--today YYYY-MM-DD`, or the clock). `slack_days` forgives
that many days (time zones make "today" fuzzy). Dates known only to the month or year
are compared at that precision. `{date}` is the date as written, `{limit}` the other.

## Why
Nobody retrieved an article before it was published, and nobody retrieved it
tomorrow: such dates are typos or fabrications.

## Example
```yaml
- id: retrieved-in-future
  kind: date-order
  field: citation.retrieved
  not_after: today
  slack_days: 1
  message: "retrieval date {date} is in the future (today is {limit})"
```
"#,
    vars: &["date", "limit"],
    compile,
};

#[derive(Debug)]
enum Bound {
    Today,
    Date(PartialDate),
    Field(FieldRef, String),
}

#[derive(Debug)]
struct DateOrder {
    field: FieldRef,
    not_before: Option<Bound>,
    not_after: Option<Bound>,
    slack_days: i32,
}

fn bound(text: Option<Located<String>>, schema: &Schema) -> Result<Option<Bound>, RuleError> {
    let Some(text) = text else {
        return Ok(None);
    };
    if text.value == "today" {
        return Ok(Some(Bound::Today));
    }
    if let Ok(date) = text.value.parse::<jiff::civil::Date>() {
        return Ok(Some(Bound::Date(PartialDate::from_date(date))));
    }
    let field = schema.resolve_typed(&text, &[ValueType::Date])?;
    Ok(Some(Bound::Field(field, here(schema, field))))
}

fn compile(table: &mut Table, schema: &Schema) -> Result<Box<dyn Check>, RuleError> {
    let field = schema.resolve_typed(&table.require_string("field")?, &[ValueType::Date])?;
    let not_before = bound(table.string("not_before")?, schema)?;
    let not_after = bound(table.string("not_after")?, schema)?;
    if not_before.is_none() && not_after.is_none() {
        return Err(RuleError::at(
            table.loc(),
            "a `date-order` rule needs `not_before` or `not_after`",
        ));
    }
    let slack_days = table.number("slack_days")?.unwrap_or(0).min(36_500) as i32;
    Ok(Box::new(DateOrder {
        field,
        not_before,
        not_after,
        slack_days,
    }))
}

impl DateOrder {
    /// How `date` compares with `limit`, forgiving `slack_days` in the given direction.
    fn compare(&self, date: &PartialDate, limit: &PartialDate, later: bool) -> Ordering {
        if let (Some(d), Some(l)) = (
            date.day.and(date.earliest()),
            limit.day.and(limit.earliest()),
        ) {
            let slack = if later {
                self.slack_days
            } else {
                -self.slack_days
            };
            let limit = l.checked_add(slack.days()).unwrap_or(l);
            return d.cmp(&limit);
        }
        date.cmp_common(limit)
    }
}

impl Check for DateOrder {
    fn run(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(part) = cx.part(self.field) else {
            return;
        };
        let Ok(Value::Date(date)) = &part.value else {
            return;
        };
        let today = PartialDate::from_date(cx.today.peek());
        for (bound, later) in [(&self.not_before, false), (&self.not_after, true)] {
            let Some(bound) = bound else {
                continue;
            };
            // The limit's text is only written out for a violation (below).
            let (limit, field_text, label) = match bound {
                Bound::Today => (today, None, None),
                Bound::Date(date) => (*date, None, None),
                Bound::Field(field, label) => match cx.part(*field) {
                    Some(other) => match &other.value {
                        Ok(Value::Date(limit)) => {
                            (*limit, Some(other.text), Some((other.span.clone(), label)))
                        }
                        _ => continue,
                    },
                    None => continue,
                },
            };
            let order = self.compare(date, &limit, later);
            let violated = if later {
                order == Ordering::Greater
            } else {
                order == Ordering::Less
            };
            if let (Bound::Today, false) = (bound, violated) {
                // A date that is not after today is not after any later day either (and
                // one not before today is not before an earlier day).
                let today = cx.today.peek();
                if later {
                    cx.today.narrow(today, jiff::civil::Date::MAX);
                } else {
                    cx.today.narrow(jiff::civil::Date::MIN, today);
                }
            }
            if violated {
                // A violation prints today's date: reading it ties the result to the day.
                let text = match (bound, field_text) {
                    (Bound::Today, _) => cx.today.date().to_string(),
                    (_, Some(text)) => text.to_string(),
                    _ => limit.to_string(),
                };
                let mut finding = Finding::at(part.span.clone())
                    .var("date", part.text.to_string())
                    .var("limit", text);
                if let Some((span, label)) = label {
                    finding = finding.label(span, label.clone());
                }
                out.push(finding);
            }
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
    regex: '^\((?P<published>[^)]+)\) retrieved (?P<retrieved>.+)$'
    captures:
      published: {type: date, formats: ["%Y-%m-%d", "%Y"]}
      retrieved: {type: date, formats: ["%Y-%m-%d"]}
rules:
  - {id: before, kind: date-order, field: cite.retrieved, not_before: cite.published, message: "{date} < {limit}"}
  - {id: future, kind: date-order, field: cite.retrieved, not_after: today, slack_days: 1, message: "{date} > {limit}"}
"#;

    #[test]
    fn in_order_passes_with_slack() {
        assert!(run(PACK, "(2020-01-01) retrieved 2020-01-01\n").is_empty());
        assert!(run(PACK, "(2020-01-01) retrieved 2026-01-16\n").is_empty());
    }

    #[test]
    fn before_publication_and_in_the_future_fail() {
        let found = run(PACK, "(2020-01-02) retrieved 2020-01-01\n");
        assert_eq!(
            found,
            vec![(
                "t/before".into(),
                "2020-01-01".into(),
                "2020-01-01 < 2020-01-02".into()
            )]
        );
        let found = run(PACK, "(2020-01-02) retrieved 2026-01-17\n");
        assert_eq!(
            found,
            vec![(
                "t/future".into(),
                "2026-01-17".into(),
                "2026-01-17 > 2026-01-15".into()
            )]
        );
    }

    /// The days on which a check of `text` on 2026-01-15 gives the same result.
    fn same_result(pack: &str, text: &str) -> (String, String) {
        let mut rules = crate::RuleSet::new();
        rules.add_yaml("test.yaml", pack).unwrap();
        let doc = crate::document::Document::new(
            "t.txt",
            text.to_string(),
            crate::document::Format::Text,
        );
        let options = crate::engine::CheckOptions::new(jiff::civil::date(2026, 1, 15));
        let (from, until) = crate::engine::check_outcome(&rules, &doc, &options).same_result;
        (from.to_string(), until.to_string())
    }

    #[test]
    fn results_hold_while_compared_dates_stay_on_their_side_of_today() {
        let days = |from: &str, until: &str| (from.to_string(), until.to_string());
        // In the past (or within the slack): still so on every later day.
        assert_eq!(
            same_result(PACK, "(2020-01-01) retrieved 2026-01-16\n"),
            days("2026-01-15", "9999-12-31")
        );
        // In the future: the message prints today, so only today is certain.
        assert_eq!(
            same_result(PACK, "(2020-01-01) retrieved 2026-01-17\n"),
            days("2026-01-15", "2026-01-15")
        );
        // Nothing compared with today: any day.
        assert_eq!(
            same_result(PACK, "no citation\n"),
            days("-009999-01-01", "9999-12-31")
        );
        // Not before today: still so on every earlier day.
        let not_before = PACK.replace("not_after: today", "not_before: today");
        assert_eq!(
            same_result(&not_before, "(2020-01-01) retrieved 2026-01-15\n"),
            days("-009999-01-01", "2026-01-15")
        );
    }

    #[test]
    fn year_precision_compares_years() {
        assert!(run(PACK, "(2020) retrieved 2020-01-01\n").is_empty());
        assert_eq!(run(PACK, "(2021) retrieved 2020-12-31\n")[0].0, "t/before");
    }
}
