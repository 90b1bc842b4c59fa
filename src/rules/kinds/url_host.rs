//! `url-host`: a URL's host must be on an allow list, or must not be on a deny list.

use super::{Check, Cx, Finding, Kind, url_component};
use crate::rules::error::RuleError;
use crate::rules::field::{FieldRef, Schema};
use crate::rules::table::Table;
use crate::value::{UrlComponent, ValueType};

/// The `url-host` kind.
pub const KIND: Kind = Kind {
    name: "url-host",
    summary: "a URL's host must be allowed (or must not be denied, e.g. link shorteners)",
    doc: r#"## What it checks
That the host of the URL in `field` is one of `allow`, or is none of `deny`. With
`subdomains: true` (the default) `www.phys.org` matches `phys.org`; a host that merely
starts with an allowed name (`phys.org.example.net`) never does. The finding points at
the host as written. `{host}` is the host found, `{allowed}` the list.

## Why
A citation must point at the publisher, not at a mirror, a scraper or a link
shortener that hides (and may later change) the destination.

## Example
```yaml
- id: url-shortener
  kind: url-host
  field: citation.url
  deny: [bit.ly, ift.tt, t.co, tinyurl.com]
  message: "`{host}` is a link shortener; cite the article's own URL"
```
"#,
    vars: &["host", "allowed"],
    compile,
};

#[derive(Debug)]
struct UrlHost {
    field: FieldRef,
    hosts: Vec<String>,
    deny: bool,
    subdomains: bool,
}

fn compile(table: &mut Table, schema: &Schema) -> Result<Box<dyn Check>, RuleError> {
    let field = schema.resolve_typed(&table.require_string("field")?, &[ValueType::Url])?;
    let allow = table.strings("allow")?;
    let deny = table.strings("deny")?;
    let (hosts, is_deny) = match (allow.is_empty(), deny.is_empty()) {
        (false, true) => (allow, false),
        (true, false) => (deny, true),
        (false, false) => {
            return Err(RuleError::at(
                deny[0].loc,
                "give either `allow` or `deny`, not both (use two rules)",
            ));
        }
        (true, true) => {
            return Err(RuleError::at(
                table.loc(),
                "a `url-host` rule needs `allow` or `deny`",
            ));
        }
    };
    let subdomains = table.boolean("subdomains")?.unwrap_or(true);
    Ok(Box::new(UrlHost {
        field,
        hosts: hosts
            .into_iter()
            .map(|h| h.value.trim_end_matches('.').to_ascii_lowercase())
            .collect(),
        deny: is_deny,
        subdomains,
    }))
}

impl UrlHost {
    fn listed(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.');
        self.hosts.iter().any(|h| {
            host == h
                || (self.subdomains
                    && host.len() > h.len()
                    && host.ends_with(h.as_str())
                    && host.as_bytes()[host.len() - h.len() - 1] == b'.')
        })
    }
}

impl Check for UrlHost {
    fn run(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some((part, url)) = cx.url(self.field) else {
            return;
        };
        let host = url.host_str().unwrap_or("");
        if self.listed(host) != self.deny {
            return;
        }
        let span =
            url_component(cx, part, UrlComponent::Host).map_or(part.span.clone(), |(span, _)| span);
        out.push(
            Finding::at(span)
                .var("host", host)
                .var("allowed", self.hosts.join(", ")),
        );
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
  - {id: host, kind: url-host, field: link.url, allow: [phys.org], message: "{host}"}
  - {id: exact, kind: url-host, field: link.url, allow: [phys.org, www.phys.org, a.org], subdomains: false, message: "exact {host}"}
  - {id: short, kind: url-host, field: link.url, deny: [bit.ly], message: "short {host}"}
"#;

    #[test]
    fn allowed_hosts_and_subdomains() {
        assert!(run(PACK, "from https://phys.org/x\n").is_empty());
        assert!(run(PACK, "from https://www.phys.org/x\n").is_empty());
        let found = run(PACK, "from https://m.phys.org/x\n");
        assert_eq!(
            found,
            vec![(
                "t/exact".into(),
                "m.phys.org".into(),
                "exact m.phys.org".into()
            )]
        );
    }

    #[test]
    fn lookalikes_and_shorteners() {
        let found = run(PACK, "from https://user@phys.org.example.net:8080/x\n");
        let lookalike = (
            "t/host".into(),
            "phys.org.example.net".into(),
            "phys.org.example.net".into(),
        );
        assert!(found.contains(&lookalike), "{found:?}");
        let found = run(PACK, "from https://bit.ly/abc\n");
        assert!(
            found.contains(&("t/short".into(), "bit.ly".into(), "short bit.ly".into())),
            "{found:?}"
        );
    }
}
