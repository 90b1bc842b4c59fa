//! Suppression directives written in the text itself:
//!
//! - `<!-- citelint-disable RULE[, RULE…] -->` … `<!-- citelint-enable [RULE…] -->`
//! - `<!-- citelint-disable-next-line RULE -->`, `<!-- citelint-disable-file RULE -->`
//! - the same on a line of their own after `citelint:` in any file, for plain text:
//!   `citelint: disable-next-line sciencex/url-https`
//!
//! A directive without rules applies to every rule. RULE may be a rule id or a pack name.

use std::sync::LazyLock;

use regex::Regex;

use crate::position::Span;

/// What a directive does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectiveKind {
    /// Suppress from here until a matching `enable` (or the end).
    Disable,
    /// End a `disable`.
    Enable,
    /// Suppress on the next line with text.
    DisableNextLine,
    /// Suppress in the whole file.
    DisableFile,
}

/// One directive found in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// What it does.
    pub kind: DirectiveKind,
    /// The rules it names, with their spans; empty means every rule.
    pub rules: Vec<(String, Span)>,
    /// The whole directive.
    pub span: Span,
    /// Whether it is a `citelint:` line (hidden from rules) rather than an HTML comment.
    pub is_line: bool,
}

static COMMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<!--[ \t]*citelint-(?P<kind>disable-next-line|disable-file|disable|enable)(?P<rules>[^>]*?)[ \t]*-->")
        .expect("directive pattern is valid")
});

static LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?mR)^[ \t]*citelint:[ \t]*(?P<kind>disable-next-line|disable-file|disable|enable)(?P<rules>[^\r\n]*?)[ \t]*$")
        .expect("directive pattern is valid")
});

static RULE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[^\s,]+").expect("rule pattern is valid"));

/// Finds every directive in `text`, in order, skipping those inside `hidden` spans
/// (code blocks, front matter).
pub fn find(text: &str, hidden: &[Span]) -> Vec<Directive> {
    let mut found = Vec::new();
    // Most texts hold no directive: then neither pattern is compiled or searched.
    static MENTION: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new("citelint"));
    if MENTION.find(text.as_bytes()).is_none() {
        return found;
    }
    let patterns: [(&LazyLock<Regex>, bool); 2] = [(&COMMENT, false), (&LINE, true)];
    for (regex, is_line) in patterns {
        for caps in regex.captures_iter(text) {
            let whole = caps.get(0).expect("group 0 always matches");
            if hidden
                .iter()
                .any(|h| h.start <= whole.start() && whole.end() <= h.end)
            {
                continue;
            }
            let kind = match &caps["kind"] {
                "disable" => DirectiveKind::Disable,
                "enable" => DirectiveKind::Enable,
                "disable-next-line" => DirectiveKind::DisableNextLine,
                _ => DirectiveKind::DisableFile,
            };
            let rules_group = caps.name("rules").expect("rules always matches");
            let rules = RULE
                .find_iter(rules_group.as_str())
                .map(|m| {
                    let start = rules_group.start() + m.start();
                    (m.as_str().to_string(), start..start + m.len())
                })
                .collect();
            found.push(Directive {
                kind,
                rules,
                span: whole.range(),
                is_line,
            });
        }
    }
    found.sort_by_key(|d| d.span.start);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_lines() {
        let text = "a\n<!-- citelint-disable sciencex/url-https, sciencex/url-host -->\nb\n  citelint: disable-next-line sciencex\nc\n<!-- citelint-enable -->\n";
        let found = find(text, &[]);
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].kind, DirectiveKind::Disable);
        let names: Vec<&str> = found[0].rules.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["sciencex/url-https", "sciencex/url-host"]);
        assert_eq!(&text[found[0].rules[1].1.clone()], "sciencex/url-host");
        assert_eq!(found[1].kind, DirectiveKind::DisableNextLine);
        assert!(found[1].is_line);
        assert_eq!(found[2].kind, DirectiveKind::Enable);
        assert!(found[2].rules.is_empty());
    }

    #[test]
    fn hidden_directives_are_ignored() {
        let text = "```\n<!-- citelint-disable-file x -->\n```\n";
        let hidden: Vec<Span> = std::iter::once(0..text.len()).collect();
        assert!(find(text, &hidden).is_empty());
    }
}
