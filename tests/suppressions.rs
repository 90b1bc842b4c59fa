//! Suppression directives in the text: ranges, next line, whole file, the `citelint:` line
//! form for plain text, unknown rules and unused directives.

use std::path::Path;

use citelint::document::{Document, Format};
use citelint::{CheckOptions, RuleSet, check};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/sciencex")
            .join(name),
    )
    .unwrap()
}

fn run(text: &str, format: Format) -> Vec<String> {
    let rules = RuleSet::builtin().unwrap();
    let doc = Document::new("t", text.to_string(), format);
    check(
        &rules,
        &doc,
        &CheckOptions::new("2026-01-15".parse().unwrap()),
    )
    .into_iter()
    .map(|d| {
        format!(
            "{}:{} {} {}",
            d.start.line, d.start.column, d.rule, d.message
        )
    })
    .collect()
}

/// The url-https failure with `directive` inserted before the citation line.
fn with_directive(directive: &str) -> String {
    fixture("url-https/fail.txt").replacen("Citation:", &format!("{directive}\n\nCitation:"), 1)
}

#[test]
fn next_line_in_plain_text() {
    let found = run(
        &with_directive("citelint: disable-next-line sciencex/url-https"),
        Format::Text,
    );
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn comment_forms_and_packs() {
    for directive in [
        "<!-- citelint-disable-next-line sciencex/url-https -->",
        "<!-- citelint-disable sciencex -->",
        "<!-- citelint-disable-file sciencex/url-https, sciencex/url-host -->",
        "<!-- citelint-disable -->",
    ] {
        let found = run(&with_directive(directive), Format::Markdown);
        let unused: Vec<&String> = found.iter().filter(|f| !f.contains("url-host")).collect();
        assert!(unused.is_empty(), "{directive}: {found:?}");
    }
}

#[test]
fn enable_ends_a_range() {
    let text = with_directive(
        "<!-- citelint-disable sciencex/url-https -->\n<!-- citelint-enable sciencex/url-https -->",
    );
    let found = run(&text, Format::Markdown);
    assert!(
        found
            .iter()
            .any(|f| f.contains("sciencex/url-https citation URL")),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|f| f.contains("citelint/unused-suppression")),
        "{found:?}"
    );
}

#[test]
fn unknown_rules_are_errors_and_unused_directives_warnings() {
    let found = run(
        &with_directive("citelint: disable-next-line sciencex/url-htps sciencex/title-mismatch"),
        Format::Text,
    );
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(
        found[0].starts_with(
            "21:29 citelint/invalid-suppression unknown rule or pack `sciencex/url-htps`"
        ),
        "{found:?}"
    );
    assert!(
        found[1].starts_with("21:47 citelint/unused-suppression this directive suppresses nothing"),
        "{found:?}"
    );
    assert!(found[2].contains("sciencex/url-https"), "{found:?}");
}

#[test]
fn directive_lines_are_not_article_text() {
    // A directive above the headline must not become the headline.
    let text = format!(
        "citelint: disable-file sciencex/dateline-missing\n{}",
        fixture("credit-missing/pass.txt")
    );
    let found = run(&text, Format::Text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("citelint/unused-suppression"),
        "{found:?}"
    );
}

#[test]
fn directives_in_code_blocks_are_ignored() {
    let text = fixture("clean/pass_markdown.md").replace(
        "Citation: this code block",
        "<!-- citelint-disable-file nope -->",
    );
    assert!(run(&text, Format::Markdown).is_empty());
}

#[test]
fn enable_does_not_end_a_file_wide_disable() {
    let text = format!(
        "<!-- citelint-disable-file sciencex/url-https -->\n{}",
        with_directive("<!-- citelint-enable -->")
    );
    let found = run(&text, Format::Markdown);
    assert!(
        !found.iter().any(|f| f.contains("sciencex/url-https")),
        "{found:?}"
    );
}
