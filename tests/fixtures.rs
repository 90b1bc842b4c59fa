//! Runs every fixture under `fixtures/<pack>/<rule>/{pass,fail}*` through the built-in
//! rules. A `pass` file must produce no diagnostic at all; a `fail` file must produce at
//! least one diagnostic of its rule, and its full output (rule ids and exact positions)
//! is pinned by an insta snapshot. Every built-in rule must have both kinds of fixture.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use citelint::document::{Document, Format};
use citelint::{CheckOptions, RuleSet, check};

/// The date fixtures are checked against ("retrieved in the future" depends on it).
const TODAY: &str = "2026-01-15";

fn fixtures() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("fixtures directory is readable") {
            let path = entry.expect("fixture entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn render(path: &Path, rules: &RuleSet) -> (String, Vec<citelint::Diagnostic>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shown = path.strip_prefix(root).unwrap().display().to_string();
    let bytes = fs::read(path).unwrap();
    let doc = Document::from_bytes(shown.clone(), bytes, Format::from_path(path))
        .expect("fixture is UTF-8 text");
    let options = CheckOptions::new(TODAY.parse().unwrap());
    let diagnostics = check(rules, &doc, &options);
    let mut out = String::new();
    for d in &diagnostics {
        out.push_str(&format!(
            "{}:{}-{}:{} {} [{}] {}\n",
            d.start.line, d.start.column, d.end.line, d.end.column, d.severity, d.rule, d.message
        ));
        out.push_str(&format!("    text: {:?}\n", &doc.text()[d.span.clone()]));
        for label in &d.labels {
            out.push_str(&format!(
                "    label {}:{}-{}:{} {}: {:?}\n",
                label.start.line,
                label.start.column,
                label.end.line,
                label.end.column,
                label.message,
                &doc.text()[label.span.clone()]
            ));
        }
    }
    (out, diagnostics)
}

#[test]
fn every_fixture_behaves() {
    let rules = RuleSet::builtin().expect("built-in rules compile");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut failures = Vec::new();
    let mut covered: BTreeSet<(String, &'static str)> = BTreeSet::new();
    for path in fixtures() {
        let relative = path.strip_prefix(&root).unwrap();
        let parts: Vec<String> = relative
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        let [pack, rule, file] = parts.as_slice() else {
            failures.push(format!(
                "{}: expected fixtures/<pack>/<rule>/<file>",
                relative.display()
            ));
            continue;
        };
        let id = format!("{pack}/{rule}");
        if rule != "clean" && rules.find(&id).is_none() {
            failures.push(format!(
                "{}: `{id}` is not a built-in rule (whole-article fixtures go under `clean/`)",
                relative.display()
            ));
        }
        let (output, diagnostics) = render(&path, &rules);
        if file.starts_with("pass") {
            covered.insert((id.clone(), "pass"));
            if !diagnostics.is_empty() {
                failures.push(format!(
                    "{}: expected no diagnostic, got:\n{output}",
                    relative.display()
                ));
            }
        } else if file.starts_with("fail") {
            covered.insert((id.clone(), "fail"));
            if !diagnostics.iter().any(|d| d.rule == id) {
                failures.push(format!(
                    "{}: expected a `{id}` diagnostic, got:\n{output}",
                    relative.display()
                ));
            }
            let name = relative
                .display()
                .to_string()
                .replace(['/', '\\', '.'], "__");
            insta::with_settings!({ snapshot_path => "snapshots/fixtures", prepend_module_to_snapshot => false, description => relative.display().to_string() }, {
                insta::assert_snapshot!(name, output);
            });
        } else {
            failures.push(format!(
                "{}: fixture names start with `pass` or `fail`",
                relative.display()
            ));
        }
    }
    for (_, rule) in rules.rules() {
        for kind in ["pass", "fail"] {
            if !covered.contains(&(rule.id.clone(), kind)) {
                failures.push(format!(
                    "rule {} has no `{kind}` fixture under fixtures/{}/",
                    rule.id, rule.id
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_seed_format_with_its_quirks_passes() {
    // Leading blank lines, <u> tags around the URL, a paragraph broken mid-sentence and
    // no final newline, as in the article the project started from.
    let rules = RuleSet::builtin().unwrap();
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sciencex/credit-missing/pass.txt");
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("\n\n") && !text.ends_with('\n') && text.contains("<u>https://"));
    assert!(render(&path, &rules).1.is_empty());
}

#[test]
fn every_builtin_rule_carries_examples_that_behave() {
    let rules = RuleSet::builtin().unwrap();
    let report = citelint::rules::examples::run(&rules, TODAY.parse().unwrap());
    assert!(report.failures.is_empty(), "{:#?}", report.failures);
    for (_, rule) in rules.rules() {
        assert!(
            !rule.examples.fail.is_empty(),
            "{} has no failing example",
            rule.id
        );
    }
    assert!(report.passed > rules.rules().count());
}
