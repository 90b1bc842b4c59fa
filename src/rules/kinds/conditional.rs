//! `conditional`: if one field is present, another (or a pattern) is required.

use super::{Check, Cx, Finding, Kind, Target, region, target};
use crate::rules::error::RuleError;
use crate::rules::field::{FieldRef, Schema};
use crate::rules::region::Region;
use crate::rules::table::{Precompile, Table};

/// The `conditional` kind.
pub const KIND: Kind = Kind {
    name: "conditional",
    summary: "if field A is present, field B (or a pattern) is required",
    doc: r#"## What it checks
That when field `if` is found, field `then` is found too, or `then_pattern` matches
(within `region` if given). The finding is reported on the `if` field, since that is the
text that carries the obligation.

## Why
Obligations are often conditional: a line that starts like a citation must be a
well-formed citation; an agency named in the credit requires the agency's credit format;
a claimed source requires its URL.

## Example
```yaml
- id: citation-format
  kind: conditional
  if: citation_line
  then: citation
  message: "citation is not in the format `Citation: TITLE (YYYY, Month D) retrieved D Month YYYY from URL`"
```
"#,
    vars: &[],
    compile,
};

#[derive(Debug)]
struct Conditional {
    condition: FieldRef,
    then: Target,
    region: Option<Region>,
}

fn compile(table: &mut Table, schema: &Schema) -> Result<Box<dyn Check>, RuleError> {
    let condition = schema.resolve(&table.require_string("if")?)?;
    let then = target(table, schema, "conditional", "then", "then_pattern")?;
    let region = region(table, schema)?;
    Ok(Box::new(Conditional {
        condition,
        then,
        region,
    }))
}

impl Check for Conditional {
    fn regexes<'a>(&'a self, f: &mut dyn FnMut(&'a dyn Precompile)) {
        self.then.regexes(f);
    }

    fn run(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(condition) = cx.part(self.condition) else {
            return;
        };
        let satisfied = match &self.then {
            Target::Field(field) => cx.part(*field).is_some(),
            Target::Pattern(regex) => match cx.region(self.region.as_ref()) {
                Some(region) => regex.is_match(&cx.doc.view().text()[region]),
                None => return,
            },
        };
        if !satisfied {
            out.push(Finding::at(condition.span.clone()));
        }
    }

    fn subject(&self) -> Option<usize> {
        Some(self.condition.field)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{error, run};

    const PACK: &str = r#"
pack: t
fields:
  agency: {kind: pattern, regex: '\b(?:AFP|Reuters)\b'}
  credit: {kind: copyright}
rules:
  - id: agency-credit
    kind: conditional
    if: agency
    then: credit
    message: "an agency story needs a credit line"
  - id: licence-link
    kind: conditional
    if: credit
    then_pattern: 'https://'
    region: {after: credit}
    message: "a link must follow the credit"
"#;

    #[test]
    fn reported_on_the_condition() {
        let found = run(PACK, "Story\nReuters reported on Monday.\n");
        assert_eq!(
            found,
            vec![(
                "t/agency-credit".into(),
                "Reuters".into(),
                "an agency story needs a credit line".into()
            )]
        );
    }

    #[test]
    fn satisfied_or_not_applicable() {
        assert!(run(PACK, "Story\nNothing here\n").is_empty());
        assert!(run(PACK, "Story\nAFP said.\n© 2020 AFP\nhttps://afp.com\n").is_empty());
        let found = run(PACK, "Story\nhttps://afp.com\nAFP said.\n© 2020 AFP\n");
        assert_eq!(found[0].0, "t/licence-link");
    }

    #[test]
    fn needs_then() {
        let pack = "pack: t\nfields:\n  a: {kind: headline}\nrules:\n  - {id: x, kind: conditional, if: a, message: m}\n";
        assert!(
            error(pack).contains("needs `then` or `then_pattern`"),
            "{}",
            error(pack)
        );
    }
}
