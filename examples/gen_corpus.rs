//! Writes a deterministic benchmark corpus: Science X articles as plain text and as
//! Markdown with front matter, mostly clean, with a known share of planted violations.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- OUT_DIR [COUNT] [SEED] [VIOLATION_PERCENT]
//! cargo run --release --example gen_corpus -- --single FILE KILOBYTES   # one long article
//! ```

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

const WORDS: &[&str] = &[
    "researchers",
    "found",
    "that",
    "the",
    "coastal",
    "marsh",
    "soils",
    "carbon",
    "study",
    "team",
    "measured",
    "samples",
    "across",
    "sites",
    "over",
    "years",
    "climate",
    "warming",
    "ocean",
    "data",
    "model",
    "results",
    "suggest",
    "species",
    "growth",
    "rapid",
    "decline",
    "university",
    "scientists",
    "reported",
    "journal",
    "analysis",
    "evidence",
    "higher",
    "lower",
    "than",
    "expected",
    "levels",
    "regions",
    "global",
    "local",
    "water",
    "temperature",
    "observed",
    "during",
    "season",
    "survey",
    "population",
    "effects",
    "long-term",
    "changes",
    "energy",
    "system",
    "new",
    "method",
    "laboratory",
    "field",
    "experiment",
    "record",
    "average",
];

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const DISCLAIMER: &str = "This document is subject to copyright. Apart from any fair dealing for the purpose of private study or research, no part may be reproduced without the written permission. The content is provided for information purposes only.";

/// The violations that may be planted, one per spoiled article.
const VIOLATIONS: &[&str] = &[
    "credit-missing",
    "url-https",
    "url-tracking",
    "date-mismatch",
    "title-mismatch",
    "retrieved-in-future",
    "disclaimer-missing",
    "url-host",
];

fn words(rng: &mut fastrand::Rng, count: usize) -> Vec<&'static str> {
    (0..count)
        .map(|_| WORDS[rng.usize(..WORDS.len())])
        .collect()
}

fn sentence(rng: &mut fastrand::Rng) -> String {
    let count = rng.usize(8..20);
    let mut text = words(rng, count).join(" ");
    if let Some(first) = text.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    text.push('.');
    text
}

/// One article; `violation` spoils it in one known way.
fn article(
    rng: &mut fastrand::Rng,
    markdown: bool,
    violation: Option<&str>,
    paragraphs: usize,
) -> String {
    article_with(rng, markdown, violation, paragraphs, 3..6)
}

/// An article whose paragraphs have `sentences` sentences each.
fn article_with(
    rng: &mut fastrand::Rng,
    markdown: bool,
    violation: Option<&str>,
    paragraphs: usize,
    sentences: std::ops::Range<usize>,
) -> String {
    let count = rng.usize(5..10);
    let title_words = words(rng, count);
    let mut headline = title_words.join(" ");
    if let Some(first) = headline.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    let (year, month, day) = (rng.i32(2012..2024), rng.usize(1..=12), rng.usize(1..=28));
    let month_name = MONTHS[month - 1];
    let slug: String = title_words
        .iter()
        .take(6)
        .copied()
        .collect::<Vec<_>>()
        .join("-");
    let mut url = format!("https://phys.org/news/{year}-{month:02}-{slug}.html");
    let mut cited_title = headline.clone();
    let mut cited_date = format!("{year}, {month_name} {day}");
    let retrieved_year = year + rng.i32(1..3);
    let mut retrieved = format!(
        "{} {} {retrieved_year}",
        rng.usize(1..=28),
        MONTHS[rng.usize(..12)]
    );
    let mut credit = Some(format!(
        "© {year} {}",
        ["AFP", "University of Exeter", "Science X Network"][rng.usize(..3)]
    ));
    let mut disclaimer = true;
    match violation {
        Some("credit-missing") => credit = None,
        Some("url-https") => url = url.replacen("https", "http", 1),
        Some("url-tracking") => url.push_str("?utm_source=rss&utm_medium=feed"),
        Some("date-mismatch") => cited_date = format!("{year}, {month_name} {}", day % 28 + 1),
        Some("title-mismatch") => cited_title = format!("{cited_title} again"),
        Some("retrieved-in-future") => retrieved = "3 March 2099".to_string(),
        Some("disclaimer-missing") => disclaimer = false,
        Some("url-host") => url = url.replacen("phys.org", "phys.org.example.net", 1),
        _ => {}
    }
    let mut out = String::new();
    if markdown {
        let _ = write!(
            out,
            "---\ntitle: \"{headline}\"\ndate: {year}-{month:02}-{day:02}\nsource_url: {url}\n---\n\n# {headline}\n\n"
        );
    } else {
        out.push_str("\n\n");
        let _ = write!(out, "{headline}\n\n");
    }
    let _ = write!(out, "{month_name} {day} {year}\n\n");
    for _ in 0..paragraphs {
        let count = rng.usize(sentences.clone());
        let sentences: Vec<String> = (0..count).map(|_| sentence(rng)).collect();
        let _ = write!(out, "{}\n\n", sentences.join(" "));
    }
    if let Some(credit) = credit {
        let _ = write!(out, "{credit}\n\n");
    }
    let link = if markdown {
        format!("[{url}]({url})")
    } else {
        format!("<u>{url}</u>")
    };
    let label = if markdown { "**Citation**" } else { "Citation" };
    let _ = write!(
        out,
        "{label}: {cited_title} ({cited_date}) retrieved {retrieved} from {link}\n\n"
    );
    if disclaimer {
        out.push_str(DISCLAIMER);
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--single") {
        let path = args.get(1).expect("--single FILE KILOBYTES");
        let kilobytes: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(50);
        let mut rng = fastrand::Rng::with_seed(7);
        // One-sentence paragraphs (about 100 bytes and two lines each).
        let paragraphs = (kilobytes * 1024 / 102).max(1);
        fs::write(path, article_with(&mut rng, false, None, paragraphs, 1..2))
            .expect("write the article");
        return;
    }
    let out = Path::new(
        args.first()
            .expect("usage: gen_corpus OUT_DIR [COUNT] [SEED] [VIOLATION_PERCENT]"),
    );
    let count: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let seed: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(42);
    let percent: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(5);
    let mut rng = fastrand::Rng::with_seed(seed);
    let (mut bytes, mut planted) = (0usize, 0usize);
    for i in 0..count {
        let dir = out.join(format!("{:04}", i / 1000));
        if i % 1000 == 0 {
            fs::create_dir_all(&dir).expect("create the corpus directory");
        }
        let markdown = rng.usize(..5) == 0;
        let violation =
            (rng.usize(..100) < percent).then(|| VIOLATIONS[rng.usize(..VIOLATIONS.len())]);
        planted += usize::from(violation.is_some());
        let paragraphs = rng.usize(7..11);
        let text = article(&mut rng, markdown, violation, paragraphs);
        bytes += text.len();
        let name = format!("{i:06}.{}", if markdown { "md" } else { "txt" });
        fs::write(dir.join(name), text).expect("write an article");
    }
    println!(
        "{count} articles, {:.1} MB, {planted} with a planted violation",
        bytes as f64 / 1e6
    );
}
