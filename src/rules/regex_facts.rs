//! What loading needs to know about a rule regex without compiling it: whether its syntax
//! is valid, its named groups, whether it repeats something a lot, the literals every
//! match starts with, literals one of which every match contains, and whether it ends by
//! running to the end of the line. Worked out from the parsed syntax (`regex-syntax`).
//!
//! `build.rs` includes this file too: it works out the facts of every built-in pack's
//! regexes when citelint is built, so loading those packs parses no regex.

use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look};

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
    /// Literals one of which every match contains, if a few will do: a text with none of
    /// them cannot match (`[Rr]epublished from The Conversation` has `epublished from The
    /// Conversation`).
    pub required: Option<Vec<Vec<u8>>>,
    /// Set when every match ends by running greedily to the end of its line.
    pub to_line_end: Option<ToLineEnd>,
    /// Whether no match can hold a line break (`\n`): every match then lies within one
    /// line, and a search of the lines that hold a required literal finds every match.
    pub single_line: bool,
    /// Whether every match starts at the start of a line: `^` (multi-line) comes before
    /// anything a match holds (`^[ \t]*Provided by`). On a line known to hold no other
    /// line start, a match can then only start where the line does, and the line can be
    /// searched alone: nothing in the regex reads the text before the line (it has no
    /// `\A`, which the line's own start would pass).
    pub starts_line: bool,
    /// Whether it has a multi-line `^` or `$`. On a haystack without a line break they
    /// are the haystack's own start and end, on which the regex crate can anchor its
    /// search: compiled so, a regex that ends with `$` is searched backwards from the end.
    pub line_anchors: bool,
    /// Whether it has `\A` or `\z`, which a line searched apart from the text around it
    /// would pass where the text does not.
    pub text_anchors: bool,
    /// The literal every match ends with, when a match is nothing but the start of a line,
    /// spaces and tabs, then that literal (`^[ \t]*This document is subject to
    /// copyright\.`), and the literal starts with neither: a line matches if it starts so,
    /// from the line's start to the literal's end, which is read without the regex.
    pub line_literal: Option<Vec<u8>>,
    /// The literal every match is, when the regex is nothing but that literal between
    /// two word boundaries (`\bretrieved\b`), and the literal starts and ends with an
    /// ASCII letter, digit or `_`; and whether the boundaries are Unicode ones (`\b`) or
    /// ASCII ones (`(?-u:\b)`). The regex then matches where the literal stands with no
    /// word character on either side, which is looked for without the regex.
    pub word_literal: Option<(Vec<u8>, bool)>,
}

/// A regex whose matches end by running greedily to the end of their line: it ends with
/// `.*`, `[^\r\n]*` or `[^\n]*` (the first two may be followed by `$`), what comes before
/// that run cannot match empty, and it has no named groups (`Citation:.*`).
///
/// Such a regex matches where its head does, and each match is the head's, run on to the
/// next line break: the run always matches, so it never changes which way the head goes.
/// Searching for the head and then for the line break with memchr costs a fifth of
/// running the regex's automaton over the rest of the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToLineEnd {
    /// The regex without the run, written out as a pattern (with its flags inline).
    pub head: String,
    /// Whether a `\r` ends the run as well as a `\n` (`.` and `[^\r\n]` do).
    pub stops_at_cr: bool,
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
            required: required_literals(&hir),
            // Groups are read from the whole regex, so only one without any is cut short.
            to_line_end: group_names(&hir)
                .is_empty()
                .then(|| to_line_end(&hir))
                .flatten(),
            single_line: single_line(&hir),
            starts_line: {
                let prefix = hir.properties().look_set_prefix();
                (prefix.contains(Look::StartLF) || prefix.contains(Look::StartCRLF))
                    && !hir.properties().look_set().contains(Look::Start)
            },
            line_anchors: hir.properties().look_set().contains_anchor_line(),
            text_anchors: hir.properties().look_set().contains_anchor_haystack(),
            line_literal: line_literal(&hir),
            word_literal: word_literal(&hir),
        })
    }
}

/// The [`Facts::line_literal`] of `hir`: it is a multi-line `^`, a run of spaces and tabs
/// (greedy or lazy: before a literal that starts with neither, both end at the line's
/// first other byte), then a literal that starts with neither.
fn line_literal(hir: &Hir) -> Option<Vec<u8>> {
    let HirKind::Concat(subs) = hir.kind() else {
        return None;
    };
    let [start, blanks, literal] = subs.as_slice() else {
        return None;
    };
    let line_start = matches!(start.kind(), HirKind::Look(Look::StartLF | Look::StartCRLF));
    let blank_run = match blanks.kind() {
        HirKind::Repetition(run) => run.min == 0 && run.max.is_none() && is_blank_class(&run.sub),
        _ => false,
    };
    let HirKind::Literal(literal) = literal.kind() else {
        return None;
    };
    let first = *literal.0.first()?;
    (line_start && blank_run && first != b' ' && first != b'\t').then(|| literal.0.to_vec())
}

/// The [`Facts::word_literal`] of `hir`: a word boundary, a literal that starts and ends
/// with an ASCII word byte, and a word boundary of the same kind.
fn word_literal(hir: &Hir) -> Option<(Vec<u8>, bool)> {
    let HirKind::Concat(subs) = hir.kind() else {
        return None;
    };
    let [before, literal, after] = subs.as_slice() else {
        return None;
    };
    let unicode = match (before.kind(), after.kind()) {
        (HirKind::Look(Look::WordUnicode), HirKind::Look(Look::WordUnicode)) => true,
        (HirKind::Look(Look::WordAscii), HirKind::Look(Look::WordAscii)) => false,
        _ => return None,
    };
    let HirKind::Literal(literal) = literal.kind() else {
        return None;
    };
    let word_byte = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    (literal.0.first().is_some_and(word_byte) && literal.0.last().is_some_and(word_byte))
        .then(|| (literal.0.to_vec(), unicode))
}

/// Whether `hir` is the class of a space and a tab, `[ \t]`.
fn is_blank_class(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Class(Class::Unicode(class)) => class
            .ranges()
            .iter()
            .map(|r| (r.start(), r.end()))
            .eq([('\t', '\t'), (' ', ' ')]),
        HirKind::Class(Class::Bytes(class)) => class
            .ranges()
            .iter()
            .map(|r| (r.start(), r.end()))
            .eq([(b'\t', b'\t'), (b' ', b' ')]),
        _ => false,
    }
}

/// Whether no match of `hir` can hold a `\n`: no literal or class it may match has one.
/// (Assertions such as `^` and `$` match no character.)
fn single_line(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(literal) => !literal.0.contains(&b'\n'),
        HirKind::Class(Class::Unicode(class)) => !class
            .ranges()
            .iter()
            .any(|r| r.start() <= '\n' && '\n' <= r.end()),
        HirKind::Class(Class::Bytes(class)) => !class
            .ranges()
            .iter()
            .any(|r| r.start() <= b'\n' && b'\n' <= r.end()),
        HirKind::Repetition(repetition) => {
            repetition.max == Some(0) || single_line(&repetition.sub)
        }
        HirKind::Capture(capture) => single_line(&capture.sub),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => subs.iter().all(single_line),
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

/// The literals every match of `hir` starts with, no class expanded into its characters
/// (a class ends the literal), if they are finitely many and none is empty.
fn unexpanded_prefixes(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let prefixes = regex_syntax::hir::literal::Extractor::new()
        .limit_class(1)
        .extract(hir);
    let literals = prefixes.literals()?;
    (!literals.is_empty() && literals.iter().all(|l| !l.as_bytes().is_empty()))
        .then(|| literals.iter().map(|l| l.as_bytes().to_vec()).collect())
}

/// The most literals a required set holds (see [`minimal_literals`]).
pub const MAX_REQUIRED_LITERALS: usize = 8;

/// How selective a set of required literals is, higher is better: the longest shortest
/// literal, up to eight bytes (longer ones are rarer, so their search stops less often),
/// then the fewest literals.
pub fn selectivity(set: &[Vec<u8>]) -> (usize, std::cmp::Reverse<usize>) {
    let shortest = set.iter().map(Vec::len).min().unwrap_or(0);
    (shortest.min(8), std::cmp::Reverse(set.len()))
}

/// The most [selective](selectivity) of `sets`, the first among equals.
pub fn most_selective(sets: impl IntoIterator<Item = Vec<Vec<u8>>>) -> Option<Vec<Vec<u8>>> {
    sets.into_iter().reduce(|best, set| {
        if selectivity(&set) > selectivity(&best) {
            set
        } else {
            best
        }
    })
}

/// Literals one of which every match of `hir` contains: a few, none containing another
/// (a text with the longer one has the shorter). A lone byte counts (the `/` of a page
/// marker `[0-9]+/[0-9]+`): a search for it stops at its first occurrence, so ruling a
/// line out with it costs little, where the regex would have to be compiled to decide.
/// Where several parts of a sequence are required, or the literals a match starts with,
/// the [most selective](most_selective) set is taken.
pub fn required_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    match hir.kind() {
        HirKind::Literal(literal) => (!literal.0.is_empty()).then(|| vec![literal.0.to_vec()]),
        HirKind::Capture(capture) => required_literals(&capture.sub),
        HirKind::Repetition(repetition) if repetition.min >= 1 => {
            required_literals(&repetition.sub)
        }
        HirKind::Concat(items) => {
            let leading = leading_literals(hir).and_then(minimal_literals);
            // Every match holds a match of each tail of the sequence, which starts with
            // one of the tail's leading literals. Taken with classes left unexpanded,
            // they join parts into longer literals (`\((?:AFP|AP)\)[ \t]*-` holds `(AFP)`
            // or `(AP)`) where the whole regex's leading literals are too many.
            let tails = (0..items.len())
                .filter_map(|i| unexpanded_prefixes(&Hir::concat(items[i..].to_vec())))
                .filter_map(minimal_literals);
            most_selective(
                items
                    .iter()
                    .filter_map(required_literals)
                    .chain(leading)
                    .chain(tails),
            )
        }
        HirKind::Alternation(items) => {
            let mut all = Vec::new();
            for item in items {
                all.extend(required_literals(item)?);
            }
            minimal_literals(all)
        }
        // An empty match, a class, an assertion or an optional part requires nothing.
        _ => None,
    }
}

/// `literals` without repeats and without any that contains another, if at most eight
/// remain (more would make a slow search).
pub fn minimal_literals(mut literals: Vec<Vec<u8>>) -> Option<Vec<Vec<u8>>> {
    literals.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    literals.dedup();
    let mut kept: Vec<Vec<u8>> = Vec::new();
    for literal in literals {
        let covered = kept.iter().any(|shorter| {
            literal
                .windows(shorter.len())
                .any(|w| w == shorter.as_slice())
        });
        if !covered {
            kept.push(literal);
        }
    }
    (!kept.is_empty() && kept.len() <= MAX_REQUIRED_LITERALS).then_some(kept)
}

/// The head of a regex that ends by running to the end of its line (see [`ToLineEnd`]).
fn to_line_end(hir: &Hir) -> Option<ToLineEnd> {
    let HirKind::Concat(items) = hir.kind() else {
        return None;
    };
    // A multi-line, CRLF-aware `$` always holds where a run stopping at `\r` and `\n` ends.
    let (items, closing_dollar) = match items.split_last()? {
        (last, rest) if *last.kind() == HirKind::Look(Look::EndCRLF) => (rest, true),
        _ => (&items[..], false),
    };
    let (run, head) = items.split_last()?;
    let HirKind::Repetition(repetition) = run.kind() else {
        return None;
    };
    if repetition.min != 0 || repetition.max.is_some() || !repetition.greedy {
        return None;
    }
    let HirKind::Class(Class::Unicode(class)) = repetition.sub.kind() else {
        return None;
    };
    let all_but = |excluded: &[char]| {
        let mut class = ClassUnicode::new(excluded.iter().map(|&c| ClassUnicodeRange::new(c, c)));
        class.negate();
        class
    };
    let stops_at_cr = if *class == all_but(&['\r', '\n']) {
        true
    } else if *class == all_but(&['\n']) && !closing_dollar {
        false
    } else {
        return None;
    };
    let head = Hir::concat(head.to_vec());
    // A head that matched empty could make an empty match, which a search steps over.
    if head.properties().minimum_len().is_none_or(|len| len == 0) {
        return None;
    }
    Some(ToLineEnd {
        head: head.to_string(),
        stops_at_cr,
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn required(source: &str) -> Option<Vec<String>> {
        Facts::of(source)
            .expect("a valid regex")
            .required
            .map(|set| {
                set.into_iter()
                    .map(|l| String::from_utf8(l).expect("UTF-8"))
                    .collect()
            })
    }

    /// Asserts that `fact` holds for each regex of `holding` and for none of `not_holding`.
    fn assert_fact(fact: fn(&Facts) -> bool, holding: &[&str], not_holding: &[&str]) {
        let of = |source: &str| fact(&Facts::of(source).expect("a valid regex"));
        for source in holding {
            assert!(of(source), "{source}");
        }
        for source in not_holding {
            assert!(!of(source), "{source}");
        }
    }

    #[test]
    fn single_line_regexes_are_those_no_match_of_which_can_hold_a_line_break() {
        assert_fact(
            |f| f.single_line,
            &[
                r"^[ \t]*Citation[ \t]*:[^\r\n]*$",
                r"Citation: (?P<title>\S.*?) \((?P<date>[^()\n]+)\)",
                r"(?i)originally published (?:on|at)",
                r"\bretrieved\b",
                r"x\n{0}",
            ],
            &[
                r"Citation:\s+",
                r"\((?P<date>[^()]+)\)",
                r"(?s)Citation:.",
                r"a\nb",
                r"[\x00-\x7F]",
            ],
        );
    }

    #[test]
    fn regexes_every_match_of_which_starts_a_line() {
        assert_fact(
            |f| f.starts_line,
            &[
                r"^[ \t]*This document is subject to copyright\.",
                r"^[ \t]*Provided by[ \t]+(?P<organisation>\S[^\n]*)$",
                r"(?:^a|^b)",
                r"(?-R)^x",
            ],
            &[
                r"(?:^[ \t]*|(?-u:\B))Citation",
                r"^?x",
                r"x^",
                r"\Ax",
                r"^x(?-m:^)",
            ],
        );
    }

    #[test]
    fn regexes_that_are_a_line_start_blanks_and_a_literal() {
        let literal = |source: &str| {
            Facts::of(source)
                .expect("a valid regex")
                .line_literal
                .map(|l| String::from_utf8(l).expect("UTF-8"))
        };
        assert_eq!(
            literal(r"^[ \t]*This document is subject to copyright\."),
            Some("This document is subject to copyright.".to_string())
        );
        assert_eq!(literal(r"^[\t ]*?Note:"), Some("Note:".to_string()));
        assert_eq!(literal(r"^[ \t]*(?:No)te"), Some("Note".to_string()));
        for not_one in [
            r"^[ \t]*Provided by[ \t]+(?P<organisation>\S[^\n]*)$",
            r"^[ \t]+Note",
            r"^[ \t]* Note",
            r"^\s*Note",
            r"(?i)^[ \t]*Note",
            r"(?-m)^[ \t]*Note",
            r"[ \t]*Note",
            r"^[ \t]*Note$",
        ] {
            assert_eq!(literal(not_one), None, "{not_one}");
        }
    }

    #[test]
    fn regexes_that_are_a_literal_between_word_boundaries() {
        let literal = |source: &str| {
            Facts::of(source)
                .expect("a valid regex")
                .word_literal
                .map(|(l, unicode)| (String::from_utf8(l).expect("UTF-8"), unicode))
        };
        assert_eq!(
            literal(r"\bretrieved\b"),
            Some(("retrieved".to_string(), true))
        );
        assert_eq!(
            literal(r"(?-u:\b)Accessed on(?-u:\b)"),
            Some(("Accessed on".to_string(), false))
        );
        for not_one in [
            r"retrieved",
            r"\bretrieved",
            r"\bretrieved\B",
            r"\bretrieved(?-u:\b)",
            r"(?i)\bretrieved\b",
            r"\b retrieved\b",
            r"\bretrieved:\b",
            r"\bé\b",
            r"\bretrieved\b|x",
        ] {
            assert_eq!(literal(not_one), None, "{not_one}");
        }
    }

    #[test]
    fn regexes_that_run_to_the_line_end() {
        let rest = |source: &str| {
            Facts::of(source)
                .expect("a valid regex")
                .to_line_end
                .map(|rest| rest.stops_at_cr)
        };
        // `.` stops at `\r` too in CRLF mode; `[^\n]` runs over it.
        assert_eq!(rest("Citation:.*"), Some(true));
        assert_eq!(
            rest(r"(?:^[ \t]*|(?-u:\B))Citation[ \t]*:[^\r\n]*"),
            Some(true)
        );
        assert_eq!(rest(r"^Source:[^\r\n]*$"), Some(true));
        assert_eq!(rest(r"Source:[^\n]*"), Some(false));
        assert_eq!(rest(r"Source: .{0,}"), Some(true));
        // `$` does not hold between `\r` and `\n`, where `[^\n]*` can stop.
        assert_eq!(rest(r"Source:[^\n]*$"), None);
        // A head that can match empty, a lazy, bounded or non-empty run, or a group.
        assert_eq!(rest(".*"), None);
        assert_eq!(rest("a?.*"), None);
        assert_eq!(rest("a.*?"), None);
        assert_eq!(rest("a.{0,9}"), None);
        assert_eq!(rest("a.+"), None);
        assert_eq!(rest("a(.*)"), None);
        assert_eq!(rest("a[^x]*"), None);
        assert_eq!(rest("(?P<who>a):.*"), None);
        let head = Facts::of("(?i)source:.*")
            .unwrap()
            .to_line_end
            .unwrap()
            .head;
        let head = regex::Regex::new(&head).expect("the head is a valid pattern");
        assert!(head.is_match("SOURCE:") && !head.is_match("source"));
    }

    #[test]
    fn required_literals_of_common_shapes() {
        let some = |set: &[&str]| Some(set.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        // The longest part of a sequence (up to eight bytes), then the first.
        assert_eq!(
            required("[Rr]epublished from The Conversation"),
            some(&["epublished from The Conversation"])
        );
        assert_eq!(
            required(r"^[ \t]*Citation[ \t]*:.*[ \t]retrieved[ \t]"),
            some(&["Citation"])
        );
        // What a match starts with, when that beats every part.
        assert_eq!(required("CC[- ]BY"), some(&["CC BY", "CC-BY"]));
        // One per branch; a literal containing another is dropped.
        assert_eq!(
            required("(?:The Conversation|republished from The Conversation)"),
            some(&["The Conversation"])
        );
        assert_eq!(required("(?:foo|barbaz)[0-9]+"), some(&["foo", "barbaz"]));
        assert_eq!(required("(?:foo|barbaz)x+"), some(&["foox", "barbazx"]));
        // A repeated part is required when it must occur at least once.
        assert_eq!(required("(?:abc)+"), some(&["abc"]));
        // Nothing is required of an optional part, a class or an empty branch; a lone
        // byte is required as any literal is.
        assert_eq!(required("(?:abc)?d"), some(&["d"]));
        assert_eq!(required("(?:abc)*"), None);
        assert_eq!(required("[a-z]+"), None);
        assert_eq!(required("(?:abc|)[0-9]"), None);
        assert_eq!(required("a|bcd"), some(&["a", "bcd"]));
        assert_eq!(required("[0-9]+/[0-9]+"), some(&["/"]));
        // Case-insensitive letters are classes; what is left is still required.
        assert_eq!(required(r"(?i)\{\{\s*cite"), some(&["{{"]));
        // Too many alternatives make no selective set.
        assert_eq!(required("aa|bb|cc|dd|ee|ff|gg|hh|ii"), None);
    }

    /// Regexes of many shapes, for the property below.
    const SHAPES: &[&str] = &[
        r"^[ \t]*Citation[ \t]*:.*[ \t]retrieved[ \t]",
        r"(?:[Rr]epublished|[Rr]e-?posted|[Ff]irst published)\b[^\n]*?The Conversation",
        r"CC[- ]BY|[Cc]reative [Cc]ommons [Aa]ttribution",
        r"Retrieved (?:on )?[A-Z][a-z]+ [0-9]{1,2}, [0-9]{4}",
        r"(?:ab|cd)+ef?(?:gh)*ij",
        r"x(?:yz|)w(?:uv){2,3}",
        r"(?:(?:ab)+|cd(?:ef)+)[0-9]",
        r"\((?:AFP|AP|Reuters)\)[ \t]*[-—–]",
        r"(?i)copy(?:right)? ab",
    ];

    /// Pieces of text that make and break matches of [`SHAPES`].
    const PIECES: &[&str] = &[
        "Citation",
        ":",
        " ",
        "\t",
        "\n",
        "retrieved",
        "Republished",
        "re-posted",
        "First",
        " published",
        "The Conversation",
        "CC",
        "-",
        "BY",
        "Creative",
        "Commons",
        "Attribution",
        "Retrieved",
        "on ",
        "May",
        "3",
        ", ",
        "2021",
        "ab",
        "cd",
        "ef",
        "gh",
        "ij",
        "x",
        "yz",
        "w",
        "uv",
        "(",
        ")",
        "AFP",
        "AP",
        "—",
        "COPY",
        "right",
        "Ab",
        "7",
    ];

    proptest::proptest! {
        #[test]
        fn a_text_a_regex_matches_holds_one_of_its_required_literals(
            shape in 0..SHAPES.len(),
            picks in proptest::collection::vec(0..PIECES.len(), 0..20),
        ) {
            let source = SHAPES[shape];
            let text: String = picks.iter().map(|&i| PIECES[i]).collect();
            let regex = regex::RegexBuilder::new(source)
                .multi_line(true)
                .crlf(true)
                .build()
                .expect("a valid regex");
            let required = Facts::of(source).expect("a valid regex").required;
            if let (Some(set), true) = (required, regex.is_match(&text)) {
                let bytes = text.as_bytes();
                proptest::prop_assert!(
                    set.iter().any(|l| bytes.windows(l.len()).any(|w| w == l.as_slice())),
                    "{source:?} matches {text:?}, which holds none of {set:?}"
                );
            }
        }
    }
}
