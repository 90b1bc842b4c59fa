//! Rules that test themselves: a pack's `example` (a document every rule passes) and each
//! rule's `examples`, run by `citelint test` and by the test suite.
//!
//! ```yaml
//! pack: house
//! example: |
//!   Title
//!   © 2020 AFP
//! rules:
//!   - id: credit
//!     kind: required
//!     field: credit
//!     message: credit missing
//!     examples:
//!       pass:
//!         - {replace: "© 2020 AFP", with: "(c) 2020 AFP"}
//!       fail:
//!         - {replace: "© 2020 AFP", with: "", at: "2:1"}
//!         - text: "Another title\n"
//! ```
//!
//! An example is a whole document (`text`, or a plain string), or an edit of the pack's
//! example (`replace` … `with`). A `pass` example must give no diagnostic of its rule; a
//! `fail` example must give at least one, starting exactly at the `at` positions when given.

use super::error::RuleError;
use super::table::{Table, scalar};
use crate::document::{Document, Format};
use crate::engine::{CheckOptions, check};
use crate::position::Position;
use crate::yaml::{Loc, Node, NodeValue};

/// One example of a rule.
#[derive(Debug, Clone)]
pub struct Example {
    /// A whole document, when not an edit of the pack's example.
    pub text: Option<String>,
    /// An edit of the pack's example: replace the first occurrence of `.0` with `.1`.
    pub edit: Option<(String, String)>,
    /// How the document is read (text, markdown, html).
    pub format: Format,
    /// For failing examples: where the rule's diagnostics must start.
    pub at: Vec<Position>,
    /// Where the example was written.
    pub loc: Loc,
}

/// A rule's examples.
#[derive(Debug, Clone, Default)]
pub struct Examples {
    /// Documents the rule must pass.
    pub pass: Vec<Example>,
    /// Documents the rule must flag.
    pub fail: Vec<Example>,
}

impl Examples {
    /// Reads `examples: {pass: [...], fail: [...]}`.
    pub fn compile(node: Option<&Node>) -> Result<Examples, RuleError> {
        let Some(node) = node else {
            return Ok(Examples::default());
        };
        let mut table = Table::new(node, "examples")?;
        let pass = list(table.get("pass"), false)?;
        let fail = list(table.get("fail"), true)?;
        table.finish()?;
        Ok(Examples { pass, fail })
    }
}

fn list(node: Option<&Node>, failing: bool) -> Result<Vec<Example>, RuleError> {
    let Some(node) = node else {
        return Ok(Vec::new());
    };
    let NodeValue::Seq(items) = &node.value else {
        return Err(RuleError::at(node.loc, "examples are a list"));
    };
    items.iter().map(|item| example(item, failing)).collect()
}

fn position(text: &str, loc: Loc) -> Result<Position, RuleError> {
    let parsed = text.split_once(':').and_then(|(l, c)| {
        Some(Position {
            line: l.trim().parse().ok()?,
            column: c.trim().parse().ok()?,
        })
    });
    parsed.ok_or_else(|| {
        RuleError::at(
            loc,
            format!("`at` takes positions as LINE:COLUMN, not `{text}`"),
        )
    })
}

fn example(node: &Node, failing: bool) -> Result<Example, RuleError> {
    let mut example = Example {
        text: None,
        edit: None,
        format: Format::Text,
        at: Vec::new(),
        loc: node.loc,
    };
    if let NodeValue::Scalar(text) = &node.value {
        example.text = Some(text.to_string());
        return Ok(example);
    }
    let mut table = Table::new(node, "an example")?;
    example.text = table.string("text")?.map(|t| t.value);
    let replace = table.string("replace")?;
    let with = table.get("with").map(|n| match &n.value {
        NodeValue::Null => Ok(String::new()),
        _ => scalar(n, "with").map(|s| s.value),
    });
    match (replace, with) {
        (Some(replace), Some(with)) => example.edit = Some((replace.value, with?)),
        (None, None) => {}
        _ => return Err(RuleError::at(node.loc, "`replace` and `with` go together")),
    }
    if let Some(format) = table.string("format")? {
        example.format = super::table::format(&format)?;
    }
    if let Some(at) = table.get("at") {
        if !failing {
            return Err(RuleError::at(at.loc, "`at` is for failing examples"));
        }
        let items = match &at.value {
            NodeValue::Seq(items) => items.iter().collect(),
            _ => vec![at],
        };
        for item in items {
            let text = scalar(item, "at")?;
            example.at.push(position(&text.value, text.loc)?);
        }
    }
    table.finish()?;
    Ok(example)
}

/// An example that did not behave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFailure {
    /// The rule (or the pack, for its own example).
    pub rule: String,
    /// The file the example is in.
    pub file: String,
    /// Where the example was written.
    pub loc: Loc,
    /// What went wrong.
    pub message: String,
}

/// The outcome of running every example of a rule set.
#[derive(Debug, Default)]
pub struct ExampleReport {
    /// Examples that behaved.
    pub passed: usize,
    /// Examples that did not.
    pub failures: Vec<ExampleFailure>,
}

/// Runs every example of every pack in `rules` (checked against `today`).
pub fn run(rules: &crate::RuleSet, today: jiff::civil::Date) -> ExampleReport {
    let options = CheckOptions::new(today);
    let mut report = ExampleReport::default();
    for pack in rules.packs() {
        let base = pack.example.as_ref();
        if let Some((text, format)) = base {
            let doc = Document::new(format!("{}:example", pack.name), text.clone(), *format);
            let found = check(rules, &doc, &options);
            if found.is_empty() {
                report.passed += 1;
            } else {
                let list: Vec<String> = found
                    .iter()
                    .map(|d| format!("{} at {}:{}", d.rule, d.start.line, d.start.column))
                    .collect();
                report.failures.push(ExampleFailure {
                    rule: pack.name.clone(),
                    file: pack.source.clone(),
                    loc: Loc::default(),
                    message: format!(
                        "the pack's example must pass every rule, but got {}",
                        list.join(", ")
                    ),
                });
            }
        }
        for rule in &pack.rules {
            for (failing, example) in rule
                .examples
                .pass
                .iter()
                .map(|e| (false, e))
                .chain(rule.examples.fail.iter().map(|e| (true, e)))
            {
                let fail = |message: String| ExampleFailure {
                    rule: rule.id.clone(),
                    file: pack.source.clone(),
                    loc: example.loc,
                    message,
                };
                let (mut text, mut format) = match (&example.text, base) {
                    (Some(text), _) => (text.clone(), example.format),
                    (None, Some((text, format))) => (text.clone(), *format),
                    (None, None) => {
                        report.failures.push(fail(
                            "the example edits the pack's `example`, but the pack has none".into(),
                        ));
                        continue;
                    }
                };
                if example.text.is_some() {
                    format = example.format;
                }
                if let Some((from, to)) = &example.edit {
                    if !text.contains(from.as_str()) {
                        report.failures.push(fail(format!(
                            "`{from}` does not occur in the text the example edits"
                        )));
                        continue;
                    }
                    text = text.replacen(from.as_str(), to, 1);
                }
                let doc = Document::new(format!("{}:example", rule.id), text, format);
                let found: Vec<Position> = check(rules, &doc, &options)
                    .into_iter()
                    .filter(|d| d.rule == rule.id)
                    .map(|d| d.start)
                    .collect();
                let shown = |p: &[Position]| {
                    p.iter()
                        .map(|p| format!("{}:{}", p.line, p.column))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let problem = match (failing, found.is_empty()) {
                    (false, false) => Some(format!(
                        "a passing example was flagged at {}",
                        shown(&found)
                    )),
                    (true, true) => Some("a failing example was not flagged".to_string()),
                    (true, false) if !example.at.is_empty() && found != example.at => {
                        Some(format!(
                            "a failing example was flagged at {}, expected {}",
                            shown(&found),
                            shown(&example.at)
                        ))
                    }
                    _ => None,
                };
                match problem {
                    Some(message) => report.failures.push(fail(message)),
                    None => report.passed += 1,
                }
            }
        }
    }
    report
}
