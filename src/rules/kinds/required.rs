//! `required`: a field or a pattern must occur.

use super::{Check, Cx, Finding, Kind, Target, region, target};
use crate::rules::error::RuleError;
use crate::rules::field::Schema;
use crate::rules::region::{Anchor, Region};
use crate::rules::table::{Precompile, Table};

/// The `required` kind.
pub const KIND: Kind = Kind {
    name: "required",
    summary: "a field or a pattern must occur (optionally in a region)",
    doc: r#"## What it checks
That a field was found, or that a regular expression matches, optionally within a
region (`first_lines`, `last_lines`, `after`/`before`/`within` a field).

## Why
An attribution obligation is usually "this line must be there": a credit line, a
citation, a licence notice. A missing element is reported where it was expected, at
the first anchor of `report_at` that exists (default: after the last line of text).

## Example
```yaml
- id: disclaimer-missing
  kind: required
  pattern: '^This document is subject to copyright\.'
  region: {after: citation_line}
  when: [{present: citation_line}]
  report_at: [{after: citation_line}]
  message: "the copyright disclaimer paragraph is missing after the citation"
```
"#,
    vars: &[],
    compile,
};

#[derive(Debug)]
struct Required {
    target: Target,
    region: Option<Region>,
    report_at: Vec<Anchor>,
}

fn compile(table: &mut Table, schema: &Schema) -> Result<Box<dyn Check>, RuleError> {
    let target = target(table, schema, "required", "field", "pattern")?;
    let region = region(table, schema)?;
    let report_at = Anchor::compile_list(table.get("report_at"), schema)?;
    Ok(Box::new(Required {
        target,
        region,
        report_at,
    }))
}

impl Check for Required {
    fn regexes<'a>(&'a self, f: &mut dyn FnMut(&'a dyn Precompile)) {
        self.target.regexes(f);
    }

    fn run(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(region) = cx.region(self.region.as_ref()) else {
            // The region hangs on a field that is absent: nothing can be expected of it.
            return;
        };
        let found = match &self.target {
            Target::Field(field) => cx.part(*field).is_some_and(|part| {
                part.view
                    .as_ref()
                    .is_none_or(|view| view.start >= region.start && view.end <= region.end)
            }),
            Target::Pattern(regex) => regex.is_match(&cx.doc.view().text()[region]),
        };
        if !found {
            let span = Anchor::first(&self.report_at, cx.doc, cx.fields, cx.binding);
            out.push(Finding::at(span));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{run, run_at};

    const PACK: &str = r#"
pack: t
fields:
  credit: {kind: copyright}
  source: {kind: pattern, regex: '^Source: .+$'}
rules:
  - id: credit
    kind: required
    field: credit
    report_at: [{before: source}, end]
    message: "credit missing"
  - id: licence
    kind: required
    pattern: 'CC BY'
    region: {last_lines: 2}
    message: "licence missing"
"#;

    #[test]
    fn present_field_and_pattern_pass() {
        assert!(run(PACK, "Title\n\n© 2020 AFP\nSource: x\nCC BY 4.0\n").is_empty());
    }

    #[test]
    fn missing_field_is_reported_at_the_first_anchor() {
        let found = run_at(PACK, "Title\nbody\nSource: x\nCC BY 4.0\n");
        assert_eq!(
            found,
            vec![(
                "t/credit".into(),
                "3:1".into(),
                "".into(),
                "credit missing".into()
            )]
        );
        // Without the anchor field, the next anchor (`end`) is used.
        let found = run_at(PACK, "Title\nbody\n\nCC BY 4.0\n\n");
        assert_eq!(found[0].1, "4:10");
    }

    #[test]
    fn pattern_outside_its_region_is_missing() {
        let found = run(PACK, "Title\nCC BY 4.0\n© 2020 AFP\nSource: x\nmore\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "t/licence");
    }
}
