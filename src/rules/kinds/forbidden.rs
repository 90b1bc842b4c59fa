//! `forbidden`: a field or a pattern must not occur.

use crate::rules::table::{LazyRegex, Precompile};

use super::{Check, Cx, Finding, Kind, Target, region, target};
use crate::rules::error::RuleError;
use crate::rules::field::Schema;
use crate::rules::region::Region;
use crate::rules::table::Table;

/// The `forbidden` kind.
pub const KIND: Kind = Kind {
    name: "forbidden",
    summary: "a field or a pattern must not occur (each occurrence is reported)",
    doc: r#"## What it checks
That a regular expression does not match (optionally within a region), or that a field
(part) is not found. Every match is reported at its own span; `{match}` is the matched
text. With `unless: REGEX`, matches whose text matches it are allowed, which turns a
field into an allow list (`url-status` must be one of `live|dead|unfit|usurped`).

## Why
Some text contradicts an obligation: "All rights reserved" beside a Creative Commons
licence, a placeholder left in a credit line, a tracking snippet.

## Example
```yaml
- id: placeholder-credit
  kind: forbidden
  pattern: '©\s*YYYY'
  message: "credit line still has the placeholder `{match}`"
```
"#,
    vars: &["match"],
    compile,
};

#[derive(Debug)]
struct Forbidden {
    target: Target,
    region: Option<Region>,
    unless: Option<LazyRegex>,
}

fn compile(table: &mut Table, schema: &Schema) -> Result<Box<dyn Check>, RuleError> {
    let target = target(table, schema, "forbidden", "field", "pattern")?;
    let region = region(table, schema)?;
    let unless = table.regex("unless")?.map(|r| r.value);
    Ok(Box::new(Forbidden {
        target,
        region,
        unless,
    }))
}

impl Check for Forbidden {
    fn regexes<'a>(&'a self, f: &mut dyn FnMut(&'a dyn Precompile)) {
        self.target.regexes(f);
        if let Some(unless) = &self.unless {
            f(unless);
        }
    }

    fn needs_match(&self) -> Option<&LazyRegex> {
        // A pattern searched over the whole view finds nothing where it does not match.
        match (&self.target, &self.region) {
            (Target::Pattern(regex), None) => Some(regex),
            _ => None,
        }
    }

    fn run(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let text = cx.doc.view().text();
        let Some(region) = cx.region(self.region.as_ref()) else {
            return;
        };
        match &self.target {
            Target::Pattern(regex) => {
                for found in regex.match_spans(&text[region.clone()]) {
                    let view = region.start + found.start..region.start + found.end;
                    let matched = &text[view.clone()];
                    if self.unless.as_ref().is_some_and(|u| u.is_match(matched)) {
                        continue;
                    }
                    out.push(Finding::at(cx.doc.view().to_source(view)).var("match", matched));
                }
            }
            Target::Field(field) => {
                for occurrence in cx.fields.occurrences(field.field) {
                    let Some(part) = occurrence.get(field.part).and_then(Option::as_ref) else {
                        continue;
                    };
                    if self.unless.as_ref().is_some_and(|u| u.is_match(part.text)) {
                        continue;
                    }
                    let inside = part
                        .view
                        .as_ref()
                        .is_none_or(|v| v.start >= region.start && v.end <= region.end);
                    if inside {
                        out.push(Finding::at(part.span.clone()).var("match", part.text));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::run_at;

    const PACK: &str = r#"
pack: t
rules:
  - id: placeholder
    kind: forbidden
    pattern: '©\s*YYYY'
    message: "placeholder `{match}`"
  - id: rights
    kind: forbidden
    pattern: '(?i)all rights reserved'
    region: {first_lines: 1}
    message: "no"
  - id: todo
    kind: forbidden
    pattern: 'TODO:.*'
    message: "`{match}`"
"#;

    #[test]
    fn every_match_is_reported_at_its_span() {
        let found = run_at(
            PACK,
            "All rights reserved\n© YYYY A\nx © YYYY B\nall rights reserved\n",
        );
        assert_eq!(
            found,
            vec![
                (
                    "t/rights".into(),
                    "1:1".into(),
                    "All rights reserved".into(),
                    "no".into()
                ),
                (
                    "t/placeholder".into(),
                    "2:1".into(),
                    "© YYYY".into(),
                    "placeholder `© YYYY`".into()
                ),
                (
                    "t/placeholder".into(),
                    "3:3".into(),
                    "© YYYY".into(),
                    "placeholder `© YYYY`".into()
                ),
            ]
        );
    }

    #[test]
    fn a_match_running_to_the_line_end_ends_before_the_break() {
        let found = run_at(PACK, "Title\r\nTODO: credit\r\nTODO:\n");
        let spans: Vec<(&str, &str)> = found.iter().map(|d| (d.1.as_str(), d.2.as_str())).collect();
        assert_eq!(spans, [("2:1", "TODO: credit"), ("3:1", "TODO:")]);
    }

    #[test]
    fn clean_text_passes() {
        assert!(run_at(PACK, "Title\n© 2020 AFP\n").is_empty());
    }

    const SCREENED: &str = r#"
pack: s
rules:
  - {id: afp, kind: forbidden, pattern: '©[ \t]*[0-9]{4}[ \t]*Afp', message: "afp"}
  - {id: dpa, kind: forbidden, pattern: '(?:©|Copyright)[ \t]*DPA', message: "dpa"}
  - {id: first, kind: forbidden, pattern: 'Copyright[ \t]*DPA', region: {first_lines: 1}, message: "first"}
  - {id: named, kind: forbidden, pattern: '©(?P<year>[0-9]{4})', message: "named"}
"#;

    #[test]
    fn patterns_over_the_whole_view_are_searched_together_first() {
        let mut rules = crate::rules::RuleSet::new();
        rules.add_yaml("s.yaml", SCREENED).unwrap();
        // A region, or a named group, keeps a rule out of the pack's screen.
        let screen = rules.packs()[0].screen.as_ref().expect("a screen");
        assert_eq!(screen.screened, [true, true, false, false]);
        let ids = |text: &str| -> Vec<String> {
            run_at(SCREENED, text).into_iter().map(|d| d.0).collect()
        };
        assert!(ids("Title\n© 2020 AFP\n").is_empty());
        assert_eq!(ids("Title\n© 2020 Afp\n"), ["s/afp"]);
        assert_eq!(
            ids("Copyright DPA\n© 2020 Afp ©1999\n"),
            ["s/dpa", "s/first", "s/afp", "s/named"]
        );
        // Rules outside the screen run when it does not match.
        assert_eq!(ids("Title\n©1999\n"), ["s/named"]);
    }
}
