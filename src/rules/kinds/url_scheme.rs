//! `url-scheme`: a URL must use an allowed scheme.

use super::{Check, Cx, Finding, Kind, url_component};
use crate::rules::error::RuleError;
use crate::rules::field::{FieldRef, Schema};
use crate::rules::table::Table;
use crate::value::{UrlComponent, ValueType};

/// The `url-scheme` kind.
pub const KIND: Kind = Kind {
    name: "url-scheme",
    summary: "a URL must use an allowed scheme (https)",
    doc: r#"## What it checks
That the URL in `field` uses one of the schemes in `allow` (default `https`). The
finding points at the scheme as written. `{scheme}` is the scheme found, `{allowed}`
the allowed list.

## Why
Publishers serve their articles over HTTPS; an `http://` source link is an old or
hand-typed copy, and browsers warn on it.

## Example
```yaml
- id: url-https
  kind: url-scheme
  field: citation.url
  allow: [https]
  message: "the source URL must use https, not {scheme}"
```
"#,
    vars: &["scheme", "allowed"],
    compile,
};

#[derive(Debug)]
struct UrlScheme {
    field: FieldRef,
    allow: Vec<String>,
}

fn compile(table: &mut Table, schema: &Schema) -> Result<Box<dyn Check>, RuleError> {
    let field = schema.resolve_typed(&table.require_string("field")?, &[ValueType::Url])?;
    let mut allow: Vec<String> = table
        .strings("allow")?
        .into_iter()
        .map(|s| s.value.to_ascii_lowercase())
        .collect();
    if allow.is_empty() {
        allow.push("https".to_string());
    }
    Ok(Box::new(UrlScheme { field, allow }))
}

impl Check for UrlScheme {
    fn run(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some((part, url)) = cx.url(self.field) else {
            return;
        };
        if self.allow.iter().any(|s| s == url.scheme()) {
            return;
        }
        let span = url_component(cx, part, UrlComponent::Scheme)
            .map_or(part.span.clone(), |(span, _)| span);
        out.push(
            Finding::at(span)
                .var("scheme", url.scheme())
                .var("allowed", self.allow.join(", ")),
        );
    }

    fn subject(&self) -> Option<usize> {
        Some(self.field.field)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{error, run};

    const PACK: &str = r#"
pack: t
fields:
  link: {kind: pattern, regex: 'from (?P<url>\S+)', captures: {url: url}}
rules:
  - {id: https, kind: url-scheme, field: link.url, message: "{scheme} not in {allowed}"}
"#;

    #[test]
    fn https_passes_and_http_is_reported_at_the_scheme() {
        assert!(run(PACK, "from https://a.org/x\n").is_empty());
        assert_eq!(
            run(PACK, "from HTTP://a.org/x\n"),
            vec![("t/https".into(), "HTTP".into(), "http not in https".into())]
        );
    }

    #[test]
    fn needs_a_url_field() {
        let pack = "pack: t\nfields:\n  h: {kind: headline}\nrules:\n  - {id: x, kind: url-scheme, field: h, message: m}\n";
        assert!(
            error(pack).contains("`h` is text, but this needs url"),
            "{}",
            error(pack)
        );
    }
}
