//! What loading needs to know about a rule regex without compiling it: whether its syntax
//! is valid, its named groups, whether it repeats something a lot, and the literals every
//! match starts with. Worked out from the parsed syntax (`regex-syntax`).
//!
//! `build.rs` includes this file too: it works out the facts of every built-in pack's
//! regexes when citelint is built, so loading those packs parses no regex.

use regex_syntax::hir::{Hir, HirKind};

/// The keys whose values rule files write as regexes. Every regex the rule reader takes
/// comes from one of these keys (it checks), and `build.rs` works out the facts of every
/// built-in pack value under them.
pub const REGEX_KEYS: &[&str] = &[
    "content",
    "raw_content",
    "regex",
    "pattern",
    "then_pattern",
    "matches",
    "not_matches",
    "skip",
    "unless",
];

/// The facts of one regex, owned (worked out now).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// The names of its named groups, in order.
    pub groups: Vec<String>,
    /// Whether it repeats something more than a hundred times (`x{1000}`): such a regex
    /// may exceed the compiled size limit, so it is compiled as it loads.
    pub large_repetition: bool,
    /// The literals every match starts with, if they are few and each two bytes or more.
    pub leading: Option<Vec<Vec<u8>>>,
}

impl Facts {
    /// Parses `source` with the flags rule regexes are compiled with (multi-line, CRLF)
    /// and works out its facts; the error is the parser's message.
    pub fn of(source: &str) -> Result<Facts, String> {
        let hir = regex_syntax::ParserBuilder::new()
            .multi_line(true)
            .crlf(true)
            .build()
            .parse(source)
            .map_err(|e| e.to_string())?;
        Ok(Facts {
            groups: group_names(&hir),
            large_repetition: large_repetition(&hir),
            leading: leading_literals(&hir),
        })
    }
}

/// The literals every match of a regex starts with, if they are few and each two bytes
/// or more (selective enough to search for).
fn leading_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let prefixes = regex_syntax::hir::literal::Extractor::new().extract(hir);
    let literals = prefixes.literals()?;
    (!literals.is_empty() && literals.iter().all(|l| l.as_bytes().len() >= 2))
        .then(|| literals.iter().map(|l| l.as_bytes().to_vec()).collect())
}

/// Whether a regex repeats something more than a hundred times (`x{1000}`).
fn large_repetition(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Repetition(repetition) => {
            repetition.min > 100
                || repetition.max.is_some_and(|max| max > 100)
                || large_repetition(&repetition.sub)
        }
        HirKind::Capture(capture) => large_repetition(&capture.sub),
        HirKind::Concat(items) | HirKind::Alternation(items) => items.iter().any(large_repetition),
        _ => false,
    }
}

/// The names of the named groups of a parsed regex, in order.
fn group_names(hir: &Hir) -> Vec<String> {
    fn walk(hir: &Hir, out: &mut Vec<String>) {
        match hir.kind() {
            HirKind::Capture(capture) => {
                if let Some(name) = &capture.name {
                    out.push(name.to_string());
                }
                walk(&capture.sub, out);
            }
            HirKind::Concat(items) | HirKind::Alternation(items) => {
                items.iter().for_each(|h| walk(h, out))
            }
            HirKind::Repetition(repetition) => walk(&repetition.sub, out),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(hir, &mut out);
    out
}
