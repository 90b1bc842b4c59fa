//! Copyright notices (`© 2014 AFP`, `Copyright Thomson Reuters 2025`), read by hand.
//!
//! A notice is a match of [`YEAR_FIRST`] or, where that finds none, of [`HOLDER_FIRST`]
//! (`citelint rules --print-regexes PACK` prints the first, for other tools). Each
//! starts with one of [`NOTICE_LITERALS`] and ends on its line. They are not searched
//! with the regex crate: a search and the placing of its groups cost about 6 500
//! instructions a credit line, a tenth of what checking a Science X article takes.
//! Instead each is read here from the literal on, as the regex crate's leftmost-first
//! search matches it. The patterns leave few choices, and the next byte settles each
//! one, except for an optional part: it is tried taken first and given up if the rest
//! cannot match after it, as a backtracker does. Property tests hold these readings to
//! the regex crate's matches and groups.

use memchr::memchr3;

use crate::position::Span;

/// The literals one of which every line holding a copyright notice holds: a notice starts
/// with one of them.
pub const NOTICE_LITERALS: [&str; 4] = ["©", "(c)", "(C)", "Copyright"];

/// The commoner shape, `© 2014 AFP`, `(c) 2010-2014 Example Org.`, `Copyright © 2019, The
/// Press`: a year (or a range of years) then, optionally, the holder up to the end of the
/// notice (a `.`, a `;` or the line's end), less trailing blanks.
///
/// The holder is written greedy, ending on a character that is not blank, rather than
/// lazy: the two match the same (a property test compares them), and when the regex crate
/// placed the groups, the greedy one cost a third less.
pub const YEAR_FIRST: &str = concat!(
    r"(?mR)(?:©|\([cC]\)|(?-u:\b)Copyright(?-u:\b)(?:[ \t]*(?:©|\([cC]\)))?)[ \t]*",
    r"(?P<year>[0-9]{4})(?:[ \t]*[-–][ \t]*(?P<year_end>[0-9]{4}))?",
    r"(?:[ \t]*,?[ \t]*(?P<holder>[^\s.,;:](?:[^\r\n.;]*[^ \t\r\n.;])?))?[ \t]*(?:[.;]|$)",
);

/// The other shape, `Copyright Thomson Reuters 2025`: the holder, then the year.
pub const HOLDER_FIRST: &str = r"(?mR)(?:©|\([cC]\)|(?-u:\b)Copyright(?-u:\b))[ \t]+(?P<holder>[A-Za-z][^\r\n0-9.;]*?)[ \t]+(?P<year>[0-9]{4})(?-u:\b)";

/// The spans of one notice: the whole (less a closing `.` or `;`), the year, the end year
/// (`2010-2014`) and the holder, `None` where the notice has none.
pub type Notice = [Option<Span>; 4];

/// The copyright notices of `text`, in order.
pub fn notices(text: &str) -> Vec<Notice> {
    notices_from(text, starts(text, 0..text.len()))
}

/// [`notices`] of `text`, whose lines that hold one of [`NOTICE_LITERALS`] are `lines`
/// (in order, without their line breaks): a notice starts with one of them and ends on
/// its line, so the starts on those lines are all the starts.
pub fn notices_on(text: &str, lines: &[Span]) -> Vec<Notice> {
    notices_from(
        text,
        lines.iter().flat_map(|line| starts(text, line.clone())),
    )
}

/// Where [`NOTICE_LITERALS`] start in `text[span]`, in order.
fn starts(text: &str, span: Span) -> impl Iterator<Item = usize> + '_ {
    let bytes = &text.as_bytes()[..span.end];
    let mut at = span.start;
    std::iter::from_fn(move || {
        while let Some(found) = memchr3(0xC2, b'(', b'C', &bytes[at..]) {
            let found = at + found;
            match literal_at(bytes, found) {
                Some(len) => {
                    at = found + len;
                    return Some(found);
                }
                None => at = found + 1,
            }
        }
        None
    })
}

/// The notices of `text` whose literals start at `starts` (in order).
///
/// Each pattern is searched from a start to the end of its line only, rather than over
/// the whole text in turn (the line's end matches `$` and `\b` as the line break after it
/// does). Within a line, a search from its first start finds what a search of the whole
/// text would; the next search of a pattern begins where its last match ended, or after
/// the line where it found none.
fn notices_from(text: &str, starts: impl Iterator<Item = usize>) -> Vec<Notice> {
    let mut found: Vec<Notice> = Vec::new();
    let mut holder_first: Vec<Notice> = Vec::new();
    let (mut year_next, mut holder_next) = (0, 0);
    for start in starts {
        if start < year_next && start < holder_next {
            continue;
        }
        let line = &text[..crate::position::next_line_break(text, start)];
        read_next(line, start, year_first_at, &mut year_next, &mut found);
        read_next(
            line,
            start,
            holder_first_at,
            &mut holder_next,
            &mut holder_first,
        );
    }
    // A notice the first pattern found is not read again the other way.
    let year_first = found.len();
    for notice in holder_first {
        let starts_at = |n: &Notice| n[0].as_ref().map(|s| s.start);
        if !found[..year_first]
            .iter()
            .any(|f| starts_at(f) == starts_at(&notice))
        {
            found.push(notice);
        }
    }
    found.sort_by_key(|f| f[0].as_ref().map_or(0, |s| s.start));
    found
}

/// The next match of the pattern `read_at` reads on `line` (which ends at a line break
/// or the text's end), from `start`, added to `out`, unless the pattern's last match or
/// the line where it found none still covers `start`; `next` is where its next search may
/// begin.
fn read_next(line: &str, start: usize, read_at: Reading, next: &mut usize, out: &mut Vec<Notice>) {
    if start < *next {
        return;
    }
    *next = match first_match(line, start, read_at) {
        Some((notice, end)) => {
            out.push(notice);
            end
        }
        None => line.len(),
    };
}

/// A reading of one pattern's match at a place of a line where a literal starts: the
/// notice and where the match ends, or, if none starts there, the first place where one
/// may.
type Reading = fn(&str, usize) -> Result<(Notice, usize), usize>;

/// The leftmost match at or after `from` in `line` of the pattern `read_at` reads: every
/// match starts with a literal, and no literal starts inside another.
fn first_match(line: &str, from: usize, read_at: Reading) -> Option<(Notice, usize)> {
    let mut next = from;
    for start in starts(line, from..line.len()) {
        if start < next {
            continue;
        }
        match read_at(line, start) {
            Ok(found) => return Some(found),
            Err(may_start) => next = may_start,
        }
    }
    None
}

/// A [`YEAR_FIRST`] match starting at `start`, and where it ends.
fn year_first_at(line: &str, start: usize) -> Result<(Notice, usize), usize> {
    read_year_first(line, start).ok_or(start + 1)
}

/// [`year_first_at`], `None` if no match starts there.
fn read_year_first(line: &str, start: usize) -> Option<(Notice, usize)> {
    let bytes = line.as_bytes();
    let (mut at, word) = opening_at(bytes, start)?;
    if word {
        // `Copyright ©`: taken if there, as the rest cannot match without it.
        let sign = blanks_end(bytes, at);
        if let Some(len) = sign_at(bytes, sign) {
            at = sign + len;
        }
    }
    let year = digits_at(bytes, blanks_end(bytes, at))?;
    // An end year is taken if the rest matches after it.
    let with_range = range_at(bytes, year.end)
        .and_then(|year_end| Some((Some(year_end.clone()), holder_at(line, year_end.end)?)));
    let (year_end, (holder, end)) = match with_range {
        Some(found) => found,
        None => (None, holder_at(line, year.end)?),
    };
    let closing = matches!(bytes[end - 1], b'.' | b';');
    let whole = start..end - usize::from(closing);
    Some(([Some(whole), Some(year), year_end, holder], end))
}

/// The rest of a [`YEAR_FIRST`] match from `at`, after its years: the holder if there is
/// one, and where the match ends.
fn holder_at(line: &str, at: usize) -> Option<(Option<Span>, usize)> {
    let bytes = line.as_bytes();
    let mut first = blanks_end(bytes, at);
    if bytes.get(first) == Some(&b',') {
        first = blanks_end(bytes, first + 1);
    }
    let opens_holder = |c: &char| !c.is_whitespace() && !matches!(c, '.' | ',' | ';' | ':');
    if let Some(c) = line[first..].chars().next().filter(opens_holder) {
        // The holder runs to the notice's end: a `.`, a `;` or the line's end.
        let after = first + c.len_utf8();
        let stop = bytes[after..]
            .iter()
            .position(|b| matches!(b, b'\r' | b'\n' | b'.' | b';'))
            .map_or(bytes.len(), |i| after + i);
        let holder_end = after + line[after..stop].trim_end_matches([' ', '\t']).len();
        let end = stop + usize::from(matches!(bytes.get(stop), Some(b'.' | b';')));
        return Some((Some(first..holder_end), end));
    }
    let stop = blanks_end(bytes, at);
    match bytes.get(stop) {
        Some(b'.' | b';') => Some((None, stop + 1)),
        None | Some(b'\r' | b'\n') => Some((None, stop)),
        Some(_) => None,
    }
}

/// A [`HOLDER_FIRST`] match starting at `start`, and where it ends.
///
/// The holder is lazy: it ends at the first place the year can follow it, and the reading
/// stops at the first character a holder cannot hold (a line break, `.`, `;` or a digit
/// that starts no year). No match starts before that character either: a later start's
/// holder would run over the same characters to the same stop, with no year on the way.
/// The search goes on from there, so a line is read once however many starts it has.
fn holder_first_at(line: &str, start: usize) -> Result<(Notice, usize), usize> {
    let bytes = line.as_bytes();
    let Some((at, _)) = opening_at(bytes, start) else {
        return Err(start + 1);
    };
    let holder = blanks_end(bytes, at);
    if holder == at || !bytes.get(holder).is_some_and(u8::is_ascii_alphabetic) {
        return Err(start + 1);
    }
    let mut end = holder + 1;
    loop {
        let year_at = blanks_end(bytes, end);
        if year_at > end {
            if let Some(year) = digits_at(bytes, year_at)
                && !bytes.get(year.end).copied().is_some_and(is_word_byte)
            {
                let match_end = year.end;
                return Ok((
                    [Some(start..match_end), Some(year), None, Some(holder..end)],
                    match_end,
                ));
            }
            // No year follows these blanks, wherever the holder ends among them.
            end = year_at;
            continue;
        }
        let Some(c) = line[end..].chars().next() else {
            return Err(end);
        };
        if matches!(c, '\r' | '\n' | '.' | ';') || c.is_ascii_digit() {
            return Err(end);
        }
        end += c.len_utf8();
    }
}

/// The length of the literal of [`NOTICE_LITERALS`] at `at` in `bytes`, if one is there.
fn literal_at(bytes: &[u8], at: usize) -> Option<usize> {
    NOTICE_LITERALS
        .iter()
        .find(|l| bytes[at..].starts_with(l.as_bytes()))
        .map(|l| l.len())
}

/// Where a notice's opening (`©`, `(c)`, `(C)` or the word `Copyright`) at `at` ends, and
/// whether it is the word.
fn opening_at(bytes: &[u8], at: usize) -> Option<(usize, bool)> {
    let len = literal_at(bytes, at)?;
    let word = len == "Copyright".len();
    let word_byte = |i: usize| bytes.get(i).copied().is_some_and(is_word_byte);
    if word && ((at > 0 && word_byte(at - 1)) || word_byte(at + len)) {
        return None;
    }
    Some((at + len, word))
}

/// The length of a sign (`©`, `(c)` or `(C)`) at `at`, if one is there.
fn sign_at(bytes: &[u8], at: usize) -> Option<usize> {
    literal_at(bytes, at).filter(|&len| len != "Copyright".len())
}

/// The span of an end year after a year ending at `at` (`-2014`, ` – 2014`), if one follows.
fn range_at(bytes: &[u8], at: usize) -> Option<Span> {
    let dash = blanks_end(bytes, at);
    let rest = &bytes[dash..];
    let after = if rest.starts_with(b"-") {
        dash + 1
    } else if rest.starts_with("–".as_bytes()) {
        dash + "–".len()
    } else {
        return None;
    };
    digits_at(bytes, blanks_end(bytes, after))
}

/// The span of four ASCII digits at `at`, if they are there.
fn digits_at(bytes: &[u8], at: usize) -> Option<Span> {
    let digits = bytes.get(at..at + 4)?;
    digits.iter().all(u8::is_ascii_digit).then_some(at..at + 4)
}

/// Where the run of spaces and tabs at `at` ends.
fn blanks_end(bytes: &[u8], at: usize) -> usize {
    at + bytes[at..]
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count()
}

/// A byte of an ASCII word (`(?-u:\b)` looks for a change between these and the rest).
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use regex::Regex;

    use super::*;

    static YEAR_FIRST_REGEX: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(YEAR_FIRST).expect("the pattern is valid"));
    static HOLDER_FIRST_REGEX: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(HOLDER_FIRST).expect("the pattern is valid"));

    fn texts(text: &str) -> Vec<Vec<Option<String>>> {
        notices(text)
            .into_iter()
            .map(|spans| {
                spans
                    .into_iter()
                    .map(|s| s.map(|s| text[s].to_string()))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn the_patterns_number_their_groups_as_the_notices_read_them() {
        fn names(r: &Regex) -> Vec<Option<&str>> {
            r.capture_names().collect()
        }
        assert_eq!(
            names(&YEAR_FIRST_REGEX),
            [None, Some("year"), Some("year_end"), Some("holder")]
        );
        assert_eq!(
            names(&HOLDER_FIRST_REGEX),
            [None, Some("holder"), Some("year")]
        );
    }

    #[test]
    fn copyright_notices_in_their_usual_shapes() {
        let s = |x: &str| Some(x.to_string());
        assert_eq!(
            texts("© 2014 AFP"),
            vec![vec![s("© 2014 AFP"), s("2014"), None, s("AFP")]]
        );
        assert_eq!(
            texts("Copyright 2019 The Associated Press. All rights reserved."),
            vec![vec![
                s("Copyright 2019 The Associated Press"),
                s("2019"),
                None,
                s("The Associated Press")
            ]]
        );
        assert_eq!(
            texts("(c) 2010-2014 Example Org"),
            vec![vec![
                s("(c) 2010-2014 Example Org"),
                s("2010"),
                s("2014"),
                s("Example Org")
            ]]
        );
        assert_eq!(
            texts("Copyright Thomson Reuters 2025"),
            vec![vec![
                s("Copyright Thomson Reuters 2025"),
                s("2025"),
                None,
                s("Thomson Reuters")
            ]]
        );
        assert_eq!(
            texts("Copyright © 2019, The Press;"),
            vec![vec![
                s("Copyright © 2019, The Press"),
                s("2019"),
                None,
                s("The Press")
            ]]
        );
        assert!(texts("This document is subject to copyright. Apart from").is_empty());
        assert!(texts("Copyrighted 2019 by nobody").is_empty());
    }

    /// Where taking an optional part leaves the rest unmatched, the reading gives it up
    /// as the regex crate does.
    #[test]
    fn an_end_year_the_rest_cannot_follow_is_given_up() {
        // After `2014-2015`, the `,` can neither open a holder nor end the notice; without
        // the end year, `-2015,` is the holder.
        assert_eq!(
            texts("© 2014-2015,, x"),
            vec![vec![
                Some("© 2014-2015,, x".to_string()),
                Some("2014".to_string()),
                None,
                Some("-2015,, x".to_string())
            ]]
        );
    }

    /// A line of many starts, none followed by a year, is read once: each start's holder
    /// would run to the same full stop (reading it from each start took time in the
    /// square of the line's length).
    #[test]
    fn a_line_of_many_starts_without_a_year_has_no_notice() {
        let line = format!("{}.", "Copyright A ".repeat(20_000));
        assert!(notices(&line).is_empty());
        let line = format!("{}2020", "(c) B ".repeat(20_000));
        assert_eq!(
            texts(&line)[0][3].as_deref(),
            Some(&line[4..line.len() - 5])
        );
    }

    /// Pieces of copyright notices, near misses, blanks and line breaks, which random
    /// texts for the notice readings are made of.
    const NOTICE_PIECES: &[&str] = &[
        "© 2014 AFP",
        "Copyright AFP 2014",
        "(c) The Press 1999",
        "(C) 2014–2019",
        "©",
        "(c)",
        "(C)",
        "Copyright",
        "Copyrighted",
        "_",
        " ",
        "  ",
        "\t",
        "2014",
        "1999",
        "20145",
        "1",
        "-",
        "–",
        ",",
        ":",
        ".",
        ";",
        "\r",
        "\n",
        "\r\n",
        "AFP",
        "x",
        "é",
        "\u{a0}",
        "\u{b}",
        "\u{85}",
    ];

    /// The regex crate's groups of every match of `regex` in `text`.
    fn regex_groups(regex: &Regex, text: &str) -> Vec<Vec<Option<Span>>> {
        regex
            .captures_iter(text)
            .map(|caps| caps.iter().map(|g| g.map(|m| m.range())).collect())
            .collect()
    }

    proptest::proptest! {
        /// The greedy holder finds exactly what the lazy one it replaced did.
        #[test]
        fn the_greedy_holder_matches_the_lazy_one(
            parts in proptest::collection::vec(proptest::sample::select(NOTICE_PIECES), 0..16)
        ) {
            static LAZY: LazyLock<Regex> = LazyLock::new(|| {
                Regex::new(concat!(
                    r"(?mR)(?:©|\([cC]\)|(?-u:\b)Copyright(?-u:\b)(?:[ \t]*(?:©|\([cC]\)))?)[ \t]*",
                    r"(?P<year>[0-9]{4})(?:[ \t]*[-–][ \t]*(?P<year_end>[0-9]{4}))?",
                    r"(?:[ \t]*,?[ \t]*(?P<holder>[^\s.,;:][^\r\n.;]*?))?[ \t]*(?:[.;]|$)",
                ))
                .unwrap()
            });
            let text = parts.concat();
            proptest::prop_assert_eq!(
                regex_groups(&LAZY, &text),
                regex_groups(&YEAR_FIRST_REGEX, &text),
                "{:?}", text
            );
        }

        /// From every place of a line, each reading finds the match, groups and all, that
        /// the regex crate's search of the line from there finds.
        #[test]
        fn each_reading_finds_the_regex_crates_match(
            parts in proptest::collection::vec(proptest::sample::select(NOTICE_PIECES), 0..16)
        ) {
            let text = parts.concat();
            let cases: [(&Regex, Reading); 2] =
                [(&YEAR_FIRST_REGEX, year_first_at), (&HOLDER_FIRST_REGEX, holder_first_at)];
            for from in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                let line = &text[..crate::position::next_line_break(&text, from)];
                for (regex, read_at) in cases {
                    let expected = regex.captures_at(line, from).map(|caps| {
                        let group = |i: usize| caps.get(i).map(|m| m.range());
                        let whole = group(0).unwrap();
                        let spans: Notice = if regex.captures_len() == 4 {
                            let closing = line[whole.clone()].ends_with(['.', ';']);
                            let trimmed = whole.start..whole.end - usize::from(closing);
                            [Some(trimmed), group(1), group(2), group(3)]
                        } else {
                            [Some(whole.clone()), group(2), None, group(1)]
                        };
                        (spans, whole.end)
                    });
                    proptest::prop_assert_eq!(
                        first_match(line, from, read_at),
                        expected,
                        "{:?} from {}, {}", text, from, regex.as_str()
                    );
                }
            }
        }

        /// Looking for notice starts only on the lines that hold one of their literals
        /// finds the notices of the whole text.
        #[test]
        fn notices_on_the_lines_holding_a_start_are_those_of_the_whole_text(
            parts in proptest::collection::vec(proptest::sample::select(NOTICE_PIECES), 0..16)
        ) {
            let text = parts.concat();
            let mut lines = Vec::new();
            let mut start = 0;
            for line in text.split('\n') {
                if NOTICE_LITERALS.iter().any(|l| line.contains(l)) {
                    lines.push(start..start + line.len());
                }
                start += line.len() + 1;
            }
            proptest::prop_assert_eq!(notices_on(&text, &lines), notices(&text), "{:?}", text);
        }

        /// Reading each line from its notice starts finds what searching the whole text
        /// with each pattern in turn finds.
        #[test]
        fn notices_are_those_of_whole_text_searches(
            parts in proptest::collection::vec(proptest::sample::select(NOTICE_PIECES), 0..16)
        ) {
            let text = parts.concat();
            let mut expected: Vec<Notice> = regex_groups(&YEAR_FIRST_REGEX, &text)
                .into_iter()
                .map(|groups| {
                    let whole = groups[0].clone().unwrap();
                    let closing = text[whole.clone()].ends_with(['.', ';']);
                    let whole = whole.start..whole.end - usize::from(closing);
                    [Some(whole), groups[1].clone(), groups[2].clone(), groups[3].clone()]
                })
                .collect();
            let year_first = expected.len();
            for groups in regex_groups(&HOLDER_FIRST_REGEX, &text) {
                let whole = groups[0].clone().unwrap();
                if expected[..year_first]
                    .iter()
                    .any(|f| f[0].as_ref().unwrap().start == whole.start)
                {
                    continue;
                }
                expected.push([Some(whole), groups[2].clone(), None, groups[1].clone()]);
            }
            expected.sort_by_key(|f| f[0].as_ref().map_or(0, |s| s.start));
            proptest::prop_assert_eq!(notices(&text), expected, "{:?}", text);
        }
    }
}
