//! The kernel: `text + rules → diagnostics`, with no I/O.
//!
//! For each pack that applies to a document, extract its fields once, run each enabled
//! rule (on every occurrence of its subject field), render messages, and return the
//! diagnostics sorted by position. The CLI, the tests and any editor integration all
//! call [`check`].

use jiff::civil::Date;

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::document::Document;
use crate::rules::RuleSet;
use crate::rules::kinds::{Cx, Finding};

/// What a check needs besides rules and a document.
#[derive(Debug, Clone, Copy)]
pub struct CheckOptions {
    /// The date "in the future" is measured against.
    pub today: Date,
}

/// The id of the diagnostic for front matter that cannot be parsed.
pub const FRONT_MATTER_RULE: &str = "citelint/front-matter-syntax";

/// Which packs apply to a document, and why (or why not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackDecision {
    /// The pack's name.
    pub pack: String,
    /// Whether its rules run on the document.
    pub applied: bool,
    /// Why, in a few words.
    pub reason: String,
}

/// Says, for each pack, whether it applies to `doc` and why.
pub fn explain_packs(rules: &RuleSet, doc: &Document) -> Vec<PackDecision> {
    rules
        .packs()
        .iter()
        .map(|pack| {
            let (applied, reason) = if !pack.enabled {
                (false, "turned off by configuration".to_string())
            } else {
                match pack.applies(doc) {
                    Some(reason) => (true, reason),
                    None => (false, "its applies_to does not match".to_string()),
                }
            };
            PackDecision {
                pack: pack.name.clone(),
                applied,
                reason,
            }
        })
        .collect()
}

/// Checks `doc` against every applicable pack of `rules`.
pub fn check(rules: &RuleSet, doc: &Document, options: &CheckOptions) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    if let Some((span, message)) = doc.front_matter().and_then(|f| f.error.clone()) {
        diagnostics.push(diagnostic(
            doc,
            FRONT_MATTER_RULE,
            Severity::Error,
            message,
            None,
            span,
            Vec::new(),
        ));
    }
    let mut findings = Vec::new();
    for pack in rules.packs() {
        if !pack.enabled
            || pack.rules.iter().all(|r| r.effective.is_none())
            || pack.applies(doc).is_none()
        {
            continue;
        }
        let fields = pack.schema.extract(doc);
        for rule in &pack.rules {
            let Some(severity) = rule.effective else {
                continue;
            };
            if rule
                .applies_to
                .as_ref()
                .is_some_and(|a| a.explain(doc).is_none())
            {
                continue;
            }
            let occurrences = match rule.check.subject() {
                Some(field) => fields.occurrences(field).len().max(1),
                None => 1,
            };
            for occurrence in 0..occurrences {
                let binding = rule.check.subject().map(|field| (field, occurrence));
                if !rule.when.iter().all(|w| w.holds(&fields, binding)) {
                    continue;
                }
                let cx = Cx {
                    doc,
                    fields: &fields,
                    binding,
                    today: options.today,
                };
                findings.clear();
                rule.check.run(&cx, &mut findings);
                for Finding { span, vars, labels } in findings.drain(..) {
                    let message = rule.message.render(&fields, binding, &vars);
                    let help = rule
                        .help
                        .as_ref()
                        .map(|h| h.render(&fields, binding, &vars));
                    diagnostics.push(diagnostic(
                        doc, &rule.id, severity, message, help, span, labels,
                    ));
                }
            }
        }
    }
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, &a.rule).cmp(&(b.span.start, b.span.end, &b.rule))
    });
    diagnostics.dedup();
    diagnostics
}

fn diagnostic(
    doc: &Document,
    rule: &str,
    severity: Severity,
    message: String,
    help: Option<String>,
    span: crate::position::Span,
    labels: Vec<(crate::position::Span, String)>,
) -> Diagnostic {
    Diagnostic {
        rule: rule.to_string(),
        severity,
        message,
        help,
        start: doc.position(span.start),
        end: doc.position(span.end),
        span,
        labels: labels
            .into_iter()
            .map(|(span, message)| Label {
                message,
                start: doc.position(span.start),
                end: doc.position(span.end),
                span,
            })
            .collect(),
    }
}
