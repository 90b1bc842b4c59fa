//! Micro-benchmarks (divan): loading the built-in rules, checking a typical article (warm,
//! and first with freshly loaded rules, regex compilation included) and a 5 MB article,
//! and rendering each output format. `cargo bench`; corpus-scale figures
//! against ripgrep and textlint come from `scripts/bench.sh`.

use citelint::document::{Document, Format};
use citelint::report::{FileReport, OutputFormat, ReportOptions, RuleInfo, write_all};
use citelint::{CheckOptions, RuleSet, check};

fn main() {
    divan::main();
}

const TYPICAL: &str = include_str!("../fixtures/sciencex/title-mismatch/fail.txt");

fn options() -> CheckOptions {
    CheckOptions::new(jiff::civil::date(2026, 1, 15))
}

/// An article of about `bytes` bytes: the typical one with its body repeated.
fn long_article(bytes: usize) -> String {
    let (head, tail) = TYPICAL.split_at(TYPICAL.find("© 2021").expect("the fixture has a credit"));
    let body = &head[head.find("Researchers").expect("the fixture has a body")..];
    let mut text = head.to_string();
    while text.len() < bytes {
        text.push_str(body);
    }
    text.push_str(tail);
    text
}

#[divan::bench]
fn load_builtin_rules() -> RuleSet {
    RuleSet::builtin().expect("built-in rules compile")
}

#[divan::bench]
fn parse_typical_article() -> Document {
    Document::new("a.txt", divan::black_box(TYPICAL).to_string(), Format::Text)
}

#[divan::bench]
fn check_typical_article(bencher: divan::Bencher) {
    let rules = RuleSet::builtin().expect("built-in rules compile");
    let options = options();
    bencher.bench(|| {
        let doc = Document::new("a.txt", divan::black_box(TYPICAL).to_string(), Format::Text);
        check(&rules, &doc, &options)
    });
}

/// What a one-file run does after start-up: load the built-in packs, then check one
/// article, compiling the regexes it needs on the way (in parallel, as the CLI does).
#[divan::bench(sample_count = 30)]
fn load_and_check_first_article() -> Vec<citelint::Diagnostic> {
    let rules = RuleSet::builtin().expect("built-in rules compile");
    let options = options();
    let doc = Document::new("a.txt", divan::black_box(TYPICAL).to_string(), Format::Text);
    citelint::engine::prepare(&rules, &doc, &options);
    check(&rules, &doc, &options)
}

#[divan::bench(sample_count = 10)]
fn check_5mb_article(bencher: divan::Bencher) {
    let rules = RuleSet::builtin().expect("built-in rules compile");
    let options = options();
    let text = long_article(5 * 1024 * 1024);
    bencher.bench(|| {
        let doc = Document::new("big.txt", text.clone(), Format::Text);
        check(&rules, &doc, &options)
    });
}

#[divan::bench(args = [
    OutputFormat::Human, OutputFormat::Concise, OutputFormat::Gcc, OutputFormat::Json, OutputFormat::Sarif,
    OutputFormat::Github, OutputFormat::Junit, OutputFormat::Gitlab, OutputFormat::Rdjson,
    OutputFormat::Checkstyle,
])]
fn render(bencher: divan::Bencher, format: OutputFormat) {
    let rules = RuleSet::builtin().expect("built-in rules compile");
    let doc = Document::new("a.txt", TYPICAL.to_string(), Format::Text);
    let report = FileReport {
        path: "a.txt".to_string(),
        diagnostics: check(&rules, &doc, &options()),
        ..FileReport::default()
    };
    let files: Vec<(FileReport, Option<&Document>)> =
        (0..100).map(|_| (report.clone(), Some(&doc))).collect();
    let catalog = RuleInfo::catalog(&rules);
    bencher.bench(|| {
        let mut out = Vec::new();
        let options = ReportOptions {
            color: false,
            rules: catalog.clone(),
            base_uri: Some("file:///work/".to_string()),
        };
        write_all(&mut out, format, options, &files).expect("writing to memory");
        out
    });
}
