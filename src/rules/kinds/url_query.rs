//! `url-query`: a URL must not carry forbidden query parameters (tracking tags).

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

use super::{Check, Cx, Finding, Kind};
use crate::rules::error::RuleError;
use crate::rules::field::{FieldRef, Schema, sub_span};
use crate::rules::table::Table;
use crate::value::{UrlComponent, ValueType, url_component_span};

/// The `url-query` kind.
pub const KIND: Kind = Kind {
    name: "url-query",
    summary: "a URL must not carry forbidden query parameters (utm_*, fbclid, gclid)",
    doc: r#"## What it checks
That no query parameter of the URL in `field` matches a name or glob in `forbid`
(case-insensitive). Each offending `name=value` pair is reported at its own span;
`{param}` is the parameter's name.

## Why
Tracking parameters tie the citation to one campaign or one reader, make identical
sources look different, and leak where the link was copied from.

## Example
```yaml
- id: url-tracking
  kind: url-query
  field: citation.url
  forbid: ["utm_*", fbclid, gclid]
  message: "remove the tracking parameter `{param}` from the source URL"
```
"#,
    vars: &["param"],
    compile,
};

#[derive(Debug)]
struct UrlQuery {
    field: FieldRef,
    /// The globs, checked when the rules load.
    globs: Vec<Glob>,
    /// Their matcher, built (a regex compiled) the first time a URL is checked.
    forbid: std::sync::OnceLock<GlobSet>,
}

/// A `forbid` list longer than this has its matcher built as the rules load, so that one
/// too large to build is reported at the rule rather than found out while checking.
const GLOBS_BUILT_AT_LOAD: usize = 64;

impl UrlQuery {
    fn forbid(&self) -> &GlobSet {
        // A list that could fail to build was built at load time (see `compile`); a short
        // one always builds, so the empty set is a fallback that cannot be reached.
        self.forbid
            .get_or_init(|| build_set(&self.globs).unwrap_or_else(|_| GlobSet::empty()))
    }
}

fn build_set(globs: &[Glob]) -> Result<GlobSet, globset::Error> {
    let mut set = GlobSetBuilder::new();
    for glob in globs {
        set.add(glob.clone());
    }
    set.build()
}

fn compile(table: &mut Table, schema: &Schema) -> Result<Box<dyn Check>, RuleError> {
    let field = schema.resolve_typed(&table.require_string("field")?, &[ValueType::Url])?;
    let patterns = table.strings("forbid")?;
    if patterns.is_empty() {
        return Err(RuleError::at(
            table.loc(),
            "a `url-query` rule needs `forbid`: parameter names or globs",
        ));
    }
    let mut globs = Vec::new();
    for pattern in patterns {
        let glob = GlobBuilder::new(&pattern.value)
            .case_insensitive(true)
            .build()
            .map_err(|e| {
                RuleError::at(
                    pattern.loc,
                    format!("invalid glob `{}`: {e}", pattern.value),
                )
            })?;
        globs.push(glob);
    }
    let forbid = std::sync::OnceLock::new();
    if globs.len() > GLOBS_BUILT_AT_LOAD {
        let set = build_set(&globs)
            .map_err(|e| RuleError::at(table.loc(), format!("invalid globs: {e}")))?;
        let _ = forbid.set(set);
    }
    Ok(Box::new(UrlQuery {
        field,
        globs,
        forbid,
    }))
}

impl Check for UrlQuery {
    fn run(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(part) = cx.part(self.field) else {
            return;
        };
        if part.value.is_err() {
            return;
        }
        let Some(query) = url_component_span(part.text, UrlComponent::Query) else {
            return;
        };
        let mut at = query.start;
        for pair in part.text[query.clone()].split(['&', ';']) {
            let name = pair.split('=').next().unwrap_or("");
            if !name.is_empty() && self.forbid().is_match(name) {
                let (span, _) = sub_span(cx.doc, part, at..at + pair.len());
                out.push(Finding::at(span).var("param", name));
            }
            at += pair.len() + 1;
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
  link: {kind: pattern, regex: 'from (?P<url>\S+)', captures: {url: url}}
rules:
  - {id: track, kind: url-query, field: link.url, forbid: ["utm_*", fbclid], message: "{param}"}
"#;

    #[test]
    fn each_tracking_pair_is_reported() {
        let found = run(
            PACK,
            "from https://a.org/x?id=3&UTM_Source=n&fbclid=Z#top\n",
        );
        assert_eq!(
            found,
            vec![
                ("t/track".into(), "UTM_Source=n".into(), "UTM_Source".into()),
                ("t/track".into(), "fbclid=Z".into(), "fbclid".into()),
            ]
        );
    }

    #[test]
    fn a_long_list_is_built_as_the_rules_load_and_still_matches() {
        let names: Vec<String> = (0..80).map(|i| format!("p{i}_*")).collect();
        let pack = PACK.replace(r#"["utm_*", fbclid]"#, &format!("[{}]", names.join(", ")));
        let found = run(&pack, "from https://a.org/x?p79_ref=1&keep=2\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].2, "p79_ref");
    }

    #[test]
    fn other_parameters_pass() {
        assert!(run(PACK, "from https://a.org/x?id=3&page=2\n").is_empty());
        assert!(run(PACK, "from https://a.org/utm_source\n").is_empty());
    }
}
