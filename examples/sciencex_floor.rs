//! The floor under the Science X pack's cost: its checks written by hand with the least
//! work the same crates allow, timed beside citelint's engine on the same articles, in one
//! process and one thread, so that machine noise touches both alike.
//!
//! The hand-written checks read each article's text view (markup removed, as the engine
//! reads it) with one literal scan for every line the checks look at, resolve capture
//! groups only on those lines (finding each match with the regex crate and placing its
//! groups with citelint's group resolver, as the engine does; the credit line is read by
//! citelint's notice reader, as the engine reads it), and parse the dates and the URL
//! once. They do what a clean article needs (the corpus is mostly clean) and no
//! reporting: a lower bound for any implementation built on `regex`, `jiff` and `url`,
//! not a replacement for the pack.
//! `scripts/bench.sh` prints what it measures beside the budget the 1.25 × ripgrep
//! target leaves the checks.
//!
//! ```sh
//! cargo run --release --example sciencex_floor -- CORPUS_DIR [MAX_ARTICLES]
//! ```

use std::hint::black_box;
use std::ops::Range;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use aho_corasick::{AhoCorasick, MatchKind};
use citelint::document::{Document, Format};
use citelint::rules::group_resolver::GroupResolver;
use citelint::rules::notice;
use citelint::{CheckOptions, RuleSet};
use jiff::civil::Date;
use regex::{Regex, RegexBuilder};

/// The pack whose patterns the floor uses, checked below so that the two cannot drift.
const PACK: &str = include_str!("../rules/sciencex.yaml");
const CITATION: &str = r"(?:^[ \t]*|(?-u:\B))Citation: (?P<title>\S.*?) \((?P<date>[^()\n]+)\) retrieved (?P<retrieved>\S.*?) from (?P<url>\S*[^\s.]|\S+?)\.?[ \t]*$";
const NEWS_PATH: &str = r"^/news/(?P<ym>[0-9]{4}-[0-9]{2})-(?P<slug>[^/]+?)(?:\.html?)?$";
const HOSTS: &[&str] = &[
    "phys.org",
    "medicalxpress.com",
    "techxplore.com",
    "sciencex.com",
];
const SHORTENERS: &[&str] = &[
    "bit.ly",
    "ift.tt",
    "t.co",
    "tinyurl.com",
    "ow.ly",
    "buff.ly",
    "goo.gl",
    "is.gd",
    "dlvr.it",
    "trib.al",
];
const TRACKING: &[&str] = &["fbclid", "gclid", "mc_cid", "mc_eid", "_ga"];

/// The literals the scan looks for, in this order: every line a check reads holds one.
const CITATION_LITERAL: usize = 0;
const DISCLAIMER_LITERAL: usize = 5;
const PROVIDED_LITERAL: usize = 6;
const LITERALS: &[&str] = &[
    "Citation",
    "©",
    "(c)",
    "(C)",
    "Copyright",
    "This document is subject to copyright.",
    "Provided by",
];

/// Time spent in each stage of the hand-written checks.
#[derive(Default, Clone, Copy)]
struct Stages {
    scan: Duration,
    head: Duration,
    credit: Duration,
    citation: Duration,
    values: Duration,
}

impl Stages {
    fn total(&self) -> Duration {
        self.scan + self.head + self.credit + self.citation + self.values
    }
}

/// The compiled patterns and the literal automaton, built once.
struct Floor {
    literals: AhoCorasick,
    citation: Pattern,
    news_path: Pattern,
    today: Date,
}

/// A pattern with groups: found by the regex crate, its groups placed by the resolver.
struct Pattern {
    regex: Regex,
    resolver: Option<GroupResolver>,
}

/// The groups of one match, by index (0 the whole).
struct Groups<'t> {
    text: &'t str,
    spans: Vec<Option<Range<usize>>>,
}

impl Pattern {
    /// `pattern`, compiled to be searched on one line alone: its `^` and `$` are the
    /// line's start and end, and a pattern that ends with `$` is searched backwards from
    /// the end (several times faster than multi-line).
    fn new(pattern: &str) -> Pattern {
        Pattern {
            regex: RegexBuilder::new(pattern)
                .crlf(true)
                .build()
                .expect("a valid pattern"),
            resolver: GroupResolver::new(pattern),
        }
    }

    /// The groups of the first match in `text` from `start`.
    fn groups_at<'t>(&self, text: &'t str, start: usize) -> Option<Groups<'t>> {
        let whole = self.regex.find_at(text, start)?;
        let spans = match self
            .resolver
            .as_ref()
            .and_then(|r| r.resolve(text, whole.range()))
        {
            Some(spans) => spans,
            None => {
                let caps = self.regex.captures_at(text, whole.start())?;
                caps.iter().map(|m| m.map(|m| m.range())).collect()
            }
        };
        Some(Groups { text, spans })
    }

    /// The text of group `name` in `groups` (empty if it did not take part).
    fn group<'t>(&self, groups: &Groups<'t>, name: &str) -> &'t str {
        self.regex
            .capture_names()
            .position(|n| n == Some(name))
            .and_then(|i| groups.spans.get(i).cloned().flatten())
            .map_or("", |span| &groups.text[span])
    }
}

/// What the scan found: the start of each line a check reads.
#[derive(Default)]
struct Lines {
    citation: Option<usize>,
    notice: Option<usize>,
    disclaimer: Option<usize>,
    provided: bool,
    glued: bool,
}

fn line_start(text: &str, at: usize) -> usize {
    memchr::memrchr(b'\n', &text.as_bytes()[..at]).map_or(0, |i| i + 1)
}

fn line_end(text: &str, at: usize) -> usize {
    memchr::memchr(b'\n', &text.as_bytes()[at..]).map_or(text.len(), |i| at + i)
}

/// The same words, ignoring case and spacing (the pack also folds quotes and dashes).
fn same_words(a: &str, b: &str) -> bool {
    let mut a = a.split_whitespace();
    let mut b = b.split_whitespace();
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if x.eq_ignore_ascii_case(y) => {}
            _ => return false,
        }
    }
}

fn parse_date(format: &str, text: &str) -> Option<Date> {
    jiff::fmt::strtime::parse(format, text).ok()?.to_date().ok()
}

impl Floor {
    fn new(today: Date) -> Floor {
        for pattern in [CITATION, NEWS_PATH] {
            assert!(
                PACK.contains(pattern),
                "rules/sciencex.yaml no longer has {pattern}"
            );
        }
        Floor {
            literals: AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostFirst)
                .build(LITERALS)
                .expect("a few literals"),
            citation: Pattern::new(CITATION),
            news_path: Pattern::new(NEWS_PATH),
            today,
        }
    }

    /// Checks one text view; returns the number of problems found.
    fn check(&self, text: &str, stages: &mut Stages) -> usize {
        let mut problems = 0;
        let mut clock = Instant::now();
        let mut lap = |stage: &mut Duration| {
            let now = Instant::now();
            *stage += now - clock;
            clock = now;
        };

        let mut lines = Lines::default();
        for hit in self.literals.find_iter(text) {
            let start = line_start(text, hit.start());
            match hit.pattern().as_usize() {
                CITATION_LITERAL => {
                    lines.glued |= lines.notice.is_some_and(|n| line_start(text, n) == start);
                    lines.citation.get_or_insert(start);
                }
                DISCLAIMER_LITERAL => _ = lines.disclaimer.get_or_insert(start),
                PROVIDED_LITERAL => lines.provided = true,
                _ => _ = lines.notice.get_or_insert(hit.start()),
            }
        }
        lap(&mut stages.scan);
        // The pack applies to a text with a citation or the disclaimer.
        if lines.citation.is_none() && lines.disclaimer.is_none() {
            return 0;
        }

        let mut non_blank = text.lines().map(str::trim).filter(|l| !l.is_empty());
        let headline = non_blank.next().unwrap_or("");
        let dateline = non_blank
            .take(3)
            .find_map(|l| parse_date("%B %-d %Y", l).or_else(|| parse_date("%B %-d, %Y", l)));
        problems += usize::from(dateline.is_none());
        lap(&mut stages.head);

        // The credit line is read as the engine reads it (by hand, no regex).
        let credit_year = lines.notice.and_then(|at| {
            let line = line_start(text, at)..line_end(text, at);
            let notices = notice::notices_on(text, &[line]);
            let year = notices.first()?[1].clone()?;
            text[year].parse::<i16>().ok()
        });
        problems += usize::from(credit_year.is_none() && !lines.provided);
        problems += usize::from(lines.glued);
        lap(&mut stages.credit);

        let Some(citation_start) = lines.citation else {
            lap(&mut stages.citation);
            return problems + 1;
        };
        let citation_end = line_end(text, citation_start);
        problems += usize::from(lines.disclaimer.is_none_or(|d| d < citation_end));
        let Some(groups) = self
            .citation
            .groups_at(&text[citation_start..citation_end], 0)
        else {
            lap(&mut stages.citation);
            return problems + 1;
        };
        let group = |name| self.citation.group(&groups, name);
        let (title, date, retrieved, url) = (
            group("title"),
            group("date"),
            group("retrieved"),
            group("url"),
        );
        lap(&mut stages.citation);

        problems += usize::from(!same_words(title, headline));
        let published = parse_date("%Y, %B %-d", date);
        let retrieved = parse_date("%-d %B %Y", retrieved);
        let published_year = published.or(dateline).map(|d| d.year());
        problems +=
            usize::from(published.is_none() || dateline.is_some_and(|d| Some(d) != published));
        problems += usize::from(credit_year.is_some_and(|y| Some(y) != published_year));
        problems += match (published, retrieved) {
            (_, None) => 1,
            (Some(p), Some(r)) if r < p => 1,
            (_, Some(r)) if r > self.today.tomorrow().unwrap_or(self.today) => 1,
            _ => 0,
        };
        match url::Url::parse(url) {
            Err(_) => problems += 1,
            Ok(url) => {
                let host = url.host_str().unwrap_or("");
                problems += usize::from(url.scheme() != "https");
                problems += usize::from(!HOSTS.iter().any(|h| {
                    host.strip_suffix(h)
                        .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
                }));
                problems += usize::from(SHORTENERS.contains(&host));
                problems += url
                    .query_pairs()
                    .filter(|(key, _)| key.starts_with("utm_") || TRACKING.contains(&key.as_ref()))
                    .count();
                if let Some(path) = self.news_path.groups_at(url.path(), 0) {
                    let ym = self.news_path.group(&path, "ym");
                    let month = jiff::fmt::strtime::parse("%Y-%m", ym).ok();
                    problems +=
                        usize::from(month.zip(published.or(dateline)).is_some_and(|(m, p)| {
                            (m.year(), m.month()) != (Some(p.year()), Some(p.month()))
                        }));
                    let mut words = headline
                        .split(|c: char| !c.is_alphanumeric())
                        .filter(|w| !w.is_empty());
                    for word in self.news_path.group(&path, "slug").split('-') {
                        if !words.any(|w| w.eq_ignore_ascii_case(word)) {
                            problems += 1;
                            break;
                        }
                    }
                }
            }
        }
        lap(&mut stages.values);
        problems
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: sciencex_floor CORPUS_DIR [MAX_ARTICLES]");
        std::process::exit(2);
    };
    let max: usize = args
        .next()
        .map_or(10_000, |n| n.parse().expect("MAX_ARTICLES is a number"));

    let mut paths: Vec<PathBuf> = ignore::WalkBuilder::new(&dir)
        .build()
        .filter_map(Result::ok)
        .map(|entry| entry.into_path())
        .filter(|path| path.extension().is_some_and(|e| e == "txt" || e == "md"))
        .collect();
    paths.sort();
    paths.truncate(max);
    // Articles that cannot be read (or are not UTF-8) are left out, as citelint skips them.
    let docs: Vec<Document> = paths
        .iter()
        .filter_map(|path| match std::fs::read(path) {
            Ok(bytes) => {
                Document::from_bytes(path.display().to_string(), bytes, Format::from_path(path))
                    .map_err(|e| {
                        let error = citelint::report::FileError::from(e);
                        let at = error.located(&path.display().to_string());
                        eprintln!("sciencex_floor: {at}; left out");
                    })
                    .ok()
            }
            Err(e) => {
                eprintln!("sciencex_floor: {}: {e}; left out", path.display());
                None
            }
        })
        .collect();
    if docs.is_empty() {
        eprintln!("sciencex_floor: no .txt or .md article under {dir}");
        std::process::exit(2);
    }
    let bytes: usize = docs.iter().map(|d| d.text().len()).sum();

    let today = jiff::civil::date(2026, 1, 15);
    let mut rules = RuleSet::builtin().expect("built-in rules compile");
    rules
        .select(&["sciencex".to_string()])
        .expect("a built-in pack");
    let options = CheckOptions::new(today);
    let floor = Floor::new(today);

    // Warm up both (compiling the regexes), counting the articles on which the floor finds
    // as many problems as citelint reports; then keep each one's fastest of three rounds.
    let (mut diagnostics, mut problems, mut agree) = (0, 0, 0);
    for doc in &docs {
        let reported = citelint::check(&rules, doc, &options).len();
        let found = floor.check(doc.view().text(), &mut Stages::default());
        diagnostics += reported;
        problems += found;
        agree += usize::from(reported == found);
    }
    let (mut engine, mut best) = (Duration::MAX, Stages::default());
    for _ in 0..3 {
        let start = Instant::now();
        for doc in &docs {
            black_box(citelint::check(&rules, black_box(doc), &options));
        }
        engine = engine.min(start.elapsed());
        let mut stages = Stages::default();
        for doc in &docs {
            black_box(floor.check(black_box(doc.view().text()), &mut stages));
        }
        if best.total() == Duration::ZERO || stages.total() < best.total() {
            best = stages;
        }
    }

    let n = docs.len().max(1) as f64;
    let per = |d: Duration| d.as_secs_f64() * 1e6 / n;
    println!(
        "{} articles ({:.1} MB), one thread, fastest of 3 rounds, µs per article:",
        docs.len(),
        bytes as f64 / 1e6
    );
    println!(
        "  citelint, Science X pack (engine::check): {:6.2}  ({diagnostics} diagnostics)",
        per(engine)
    );
    println!(
        "  floor, the same checks by hand:           {:6.2}  ({problems} problems; engine/floor {:.2})",
        per(best.total()),
        engine.as_secs_f64() / best.total().as_secs_f64()
    );
    println!(
        "  (as many problems as diagnostics on {agree} of {} articles)",
        docs.len()
    );
    println!(
        "    one literal scan:                       {:6.2}",
        per(best.scan)
    );
    println!(
        "    headline and dateline:                  {:6.2}",
        per(best.head)
    );
    println!(
        "    credit line (read by hand):             {:6.2}",
        per(best.credit)
    );
    println!(
        "    citation (capture groups):              {:6.2}",
        per(best.citation)
    );
    println!(
        "    dates, URL, URL path (capture groups):  {:6.2}",
        per(best.values)
    );
}
