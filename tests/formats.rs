//! Every output format on the same run, pinned by snapshots: two files with violations
//! (one with a label and help, one with two findings), one clean file and two that could
//! not be read (one as a whole, one at a line and column).

use std::path::Path;

use citelint::document::{Document, Format};
use citelint::report::{FileReport, OutputFormat, ReportOptions, RuleInfo, write_all};
use citelint::{CheckOptions, RuleSet, check};

fn run(format: OutputFormat) -> String {
    let rules = RuleSet::builtin().unwrap();
    let options = CheckOptions::new("2026-01-15".parse().unwrap());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut docs = Vec::new();
    for (shown, fixture) in [
        (
            "news/clean story.txt",
            "fixtures/sciencex/credit-missing/pass.txt",
        ),
        (
            "news/title.txt",
            "fixtures/sciencex/title-mismatch/fail.txt",
        ),
        (
            "news/tracking.txt",
            "fixtures/sciencex/url-tracking/fail.txt",
        ),
    ] {
        let bytes = std::fs::read(root.join(fixture)).unwrap();
        docs.push(Document::from_bytes(shown, bytes, Format::Text).unwrap());
    }
    let mut files: Vec<(FileReport, Option<&Document>)> = docs
        .iter()
        .map(|doc| {
            let report = FileReport {
                path: doc.path().to_string(),
                diagnostics: check(&rules, doc, &options),
                checked_rules: citelint::engine::checked_rules(&rules, doc, &options)
                    .into_iter()
                    .map(|(_, r, _)| r.id.clone())
                    .filter(|id| id.ends_with("-mismatch") || id.ends_with("tracking"))
                    .collect(),
                ..FileReport::default()
            };
            (report, Some(doc))
        })
        .collect();
    // Unreadable: as a whole (binary), and at a place (the first byte that is not UTF-8).
    for (shown, bytes) in [
        ("news/broken.txt", &b"a\0b"[..]),
        ("news/latin1.txt", &b"Title\n\nCaf\xe9 au lait\n"[..]),
    ] {
        let error = Document::from_bytes(shown, bytes.to_vec(), Format::Text).unwrap_err();
        let report = FileReport {
            path: shown.to_string(),
            error: Some(error.into()),
            ..FileReport::default()
        };
        files.push((report, None));
    }
    let options = ReportOptions {
        color: false,
        rules: RuleInfo::catalog(&rules)
            .into_iter()
            .filter(|r| r.id.ends_with("-mismatch") || r.id.ends_with("tracking"))
            .collect(),
        base_uri: Some("file:///work/project/".to_string()),
    };
    let mut out = Vec::new();
    write_all(&mut out, format, options, &files).unwrap();
    String::from_utf8(out).unwrap()
}

macro_rules! format_snapshot {
    ($name:ident, $format:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(run($format));
        }
    };
}

format_snapshot!(human, OutputFormat::Human);
format_snapshot!(concise, OutputFormat::Concise);
format_snapshot!(gcc, OutputFormat::Gcc);
format_snapshot!(json, OutputFormat::Json);
format_snapshot!(sarif, OutputFormat::Sarif);
format_snapshot!(github, OutputFormat::Github);
format_snapshot!(junit, OutputFormat::Junit);
format_snapshot!(gitlab, OutputFormat::Gitlab);
format_snapshot!(rdjson, OutputFormat::Rdjson);
format_snapshot!(checkstyle, OutputFormat::Checkstyle);

#[test]
fn machine_formats_parse() {
    for format in [
        OutputFormat::Json,
        OutputFormat::Sarif,
        OutputFormat::Gitlab,
        OutputFormat::Rdjson,
    ] {
        let text = run(format);
        serde_json::from_str::<serde_json::Value>(&text)
            .unwrap_or_else(|e| panic!("{format:?}: {e}\n{text}"));
    }
    let sarif: serde_json::Value = serde_json::from_str(&run(OutputFormat::Sarif)).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    let index = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(
        sarif["runs"][0]["tool"]["driver"]["rules"][index]["id"],
        result["ruleId"]
    );
    assert_eq!(sarif["runs"][0]["columnKind"], "unicodeCodePoints");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "news/title.txt"
    );
}

#[test]
fn fingerprints_survive_edits_above_and_stay_unique() {
    let rules = RuleSet::builtin().unwrap();
    let options = CheckOptions::new("2026-01-15".parse().unwrap());
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sciencex/url-tracking/fail.txt"),
    )
    .unwrap();
    let before = Document::new("a.txt", text.clone(), Format::Text);
    let after = Document::new(
        "a.txt",
        text.replacen(
            "The team took",
            "An extra paragraph,\nover two lines.\n\nThe team took",
            1,
        ),
        Format::Text,
    );
    let prints =
        |doc: &Document| citelint::report::fingerprints(doc.path(), &check(&rules, doc, &options));
    let (a, b) = (prints(&before), prints(&after));
    assert_eq!(a, b);
    assert_eq!(a.len(), 2);
    assert_ne!(a[0], a[1]);
}
