//! A search for any of a few literals, built cheaply: what rules a regex or a pack out of a
//! document before anything is compiled (see [`LazyRegex::may_match`] and [`gate`]).
//!
//! One literal is searched with memchr's `memmem`, several with aho-corasick's packed
//! (Teddy) searcher, given them in an order [planned](super::teddy_plan) to make it stop
//! rarely on prose (any order finds the same). Unless they all start with the same
//! punctuation mark (`<ref` in any case, or the one literal `{{`): memchr then looks for
//! that mark, rare in prose, and the literals are compared where it is followed by a byte
//! one of them goes on with (about a seventh of the packed searcher's instructions on a
//! generated article with two `<u>` tags).
//!
//! Where no such search is fast (a literal shorter than three bytes among several, as `©`
//! or `AP` in the wire-credit pack), [`LiteralSearch::thorough`] looks for each literal in
//! turn: a pass per literal, but a short text is ruled out in microseconds, where
//! compiling the regex to find out takes up to a millisecond.
//!
//! The regex crate's own literal prefilter would do the same searches, but building one
//! for several literals also builds an Aho-Corasick automaton for anchored searches that
//! a test for presence never makes (about 50 000 instructions each, a third of a
//! millisecond in a one-file run).
//!
//! [`LazyRegex::may_match`]: super::table::LazyRegex::may_match
//! [`gate`]: super::gate

use aho_corasick::packed;
use memchr::memmem;

use super::teddy_plan;

/// The shortest literal a search for several takes: shorter ones turn up too often for
/// the search to be fast (the regex crate's prefilter draws the same line). The pack gates
/// hold every literal to it, so that a gate stays selective.
pub const MIN_SELECTIVE_LEN: usize = 3;

/// A fast search for the leftmost occurrence of any of a few literals. (Boxed: the
/// searchers are large, and most regexes never build one.)
#[derive(Debug, Clone)]
pub struct LiteralSearch(Box<Kind>);

#[derive(Debug, Clone)]
enum Kind {
    One(memmem::Finder<'static>),
    /// Several literals that start with the same punctuation mark, `start`; `second`
    /// marks the bytes they go on with (a `<u>` tag is passed over on its `u`).
    SameStart {
        start: u8,
        second: [bool; 256],
        literals: Vec<Vec<u8>>,
    },
    /// aho-corasick's packed searcher, given the literals in the order `given` names them
    /// (their indexes), which may be [planned](super::teddy_plan).
    Several {
        searcher: packed::Searcher,
        given: Vec<usize>,
    },
    /// Each literal in turn (built only by [`LiteralSearch::thorough`]).
    Each(Vec<memmem::Finder<'static>>),
}

impl LiteralSearch {
    /// A search for `literals`, if it is fast: one non-empty literal, or several of three
    /// bytes or more that start with the same punctuation mark or, on a machine with the
    /// SIMD instructions the packed searcher needs, with any bytes.
    pub fn new<L: AsRef<[u8]>>(literals: &[L]) -> Option<LiteralSearch> {
        match literals {
            [] => None,
            [one] if one.as_ref().is_empty() => None,
            // (`{{` in a 4 KB article: 500 instructions fewer than memmem's search.)
            [one] if one.as_ref().len() >= 2 && one.as_ref()[0].is_ascii_punctuation() => {
                Some(Self::same_start(literals))
            }
            [one] => Some(LiteralSearch(Box::new(Kind::One(
                memmem::Finder::new(one.as_ref()).into_owned(),
            )))),
            several => {
                if several.iter().any(|l| l.as_ref().len() < MIN_SELECTIVE_LEN) {
                    return None;
                }
                let start = several[0].as_ref()[0];
                if start.is_ascii_punctuation() && several.iter().all(|l| l.as_ref()[0] == start) {
                    return Some(Self::same_start(several));
                }
                let packed = |order: &[usize], fat: Option<bool>| {
                    let searcher = packed::Config::new()
                        .match_kind(packed::MatchKind::LeftmostFirst)
                        .only_teddy_fat(fat)
                        .builder()
                        .extend(order.iter().map(|&index| several[index].as_ref()))
                        .build()?;
                    let given = order.to_vec();
                    Some(LiteralSearch(Box::new(Kind::Several { searcher, given })))
                };
                let prefix_free = several.iter().enumerate().all(|(i, literal)| {
                    (several.iter().enumerate())
                        .all(|(j, other)| i == j || !other.as_ref().starts_with(literal.as_ref()))
                });
                if prefix_free {
                    // At most one literal starts anywhere, so the order is free: the one
                    // that makes Teddy stop least often on prose, in slim Teddy unless fat
                    // is better (where the machine has it).
                    let plan = teddy_plan::plan(several);
                    return (plan.fat.as_deref())
                        .and_then(|order| packed(order, Some(true)))
                        .or_else(|| packed(&plan.slim, Some(false)));
                }
                // Literals one of which starts another keep their order (the first given
                // is the one found). Beyond [`SLIM_TEDDY_MAX`] of them, fat Teddy (twice
                // the buckets, where AVX2 has them) unless the machine lacks it.
                let given: Vec<usize> = (0..several.len()).collect();
                let fat = (several.len() > SLIM_TEDDY_MAX).then_some(true);
                packed(&given, fat).or_else(|| fat.and_then(|_| packed(&given, None)))
            }
        }
    }

    /// The search for `literals` (two bytes or more each) that all start with the same
    /// punctuation mark ([`Kind::SameStart`]).
    fn same_start<L: AsRef<[u8]>>(literals: &[L]) -> LiteralSearch {
        let literals: Vec<Vec<u8>> = literals.iter().map(|l| l.as_ref().to_vec()).collect();
        let mut second = [false; 256];
        for literal in &literals {
            second[usize::from(literal[1])] = true;
        }
        LiteralSearch(Box::new(Kind::SameStart {
            start: literals[0][0],
            second,
            literals,
        }))
    }

    /// A search for `literals`: the fast one [`new`](Self::new) builds if there is one,
    /// else one that looks for each literal in turn (see [`is_fast`](Self::is_fast)).
    /// `None` without literals, or with an empty one (which every text holds).
    pub fn thorough<L: AsRef<[u8]>>(literals: &[L]) -> Option<LiteralSearch> {
        if literals.is_empty() || literals.iter().any(|l| l.as_ref().is_empty()) {
            return None;
        }
        Self::new(literals).or_else(|| {
            let each = literals
                .iter()
                .map(|l| memmem::Finder::new(l.as_ref()).into_owned())
                .collect();
            Some(LiteralSearch(Box::new(Kind::Each(each))))
        })
    }

    /// Whether the search makes one pass over a haystack, rather than one per literal.
    pub fn is_fast(&self) -> bool {
        !matches!(*self.0, Kind::Each(_))
    }

    /// Where the leftmost occurrence of any literal at or after `from` starts.
    pub fn find(&self, haystack: &[u8], from: usize) -> Option<usize> {
        self.find_which(haystack, from).map(|(at, _)| at)
    }

    /// Where the leftmost occurrence of any literal at or after `from` starts, and the
    /// index of a literal that starts there (the first given, of those that do).
    pub fn find_which(&self, haystack: &[u8], from: usize) -> Option<(usize, usize)> {
        let rest = haystack.get(from..)?;
        match &*self.0 {
            Kind::One(finder) => finder.find(rest).map(|at| (from + at, 0)),
            Kind::SameStart {
                start,
                second,
                literals,
            } => memchr::memchr_iter(*start, rest)
                .map(|at| from + at)
                .filter(|&at| {
                    haystack
                        .get(at + 1)
                        .is_some_and(|&b| second[usize::from(b)])
                })
                .find_map(|at| {
                    let which = literals.iter().position(|l| haystack[at..].starts_with(l));
                    which.map(|which| (at, which))
                }),
            Kind::Several { searcher, given } => searcher
                .find_in(haystack, aho_corasick::Span::from(from..haystack.len()))
                .map(|found| (found.start(), given[found.pattern().as_usize()])),
            Kind::Each(finders) => finders
                .iter()
                .enumerate()
                .filter_map(|(which, finder)| Some((from + finder.find(rest)?, which)))
                .min(),
        }
    }

    /// Whether any literal occurs in `haystack`.
    pub fn is_in(&self, haystack: &[u8]) -> bool {
        self.find(haystack, 0).is_some()
    }
}

/// Whether a literal too short for a search of several ([`MIN_SELECTIVE_LEN`]) is still
/// rare enough to look for on its own: every byte of it is non-ASCII (`©` is `C2 A9`), as
/// few bytes of prose are, and memchr's `memmem` skips ahead on them.
pub fn is_rare_short(literal: &[u8]) -> bool {
    !literal.is_empty()
        && literal.len() < MIN_SELECTIVE_LEN
        && literal.iter().all(|b| !b.is_ascii())
}

/// The most literals a slim Teddy search (eight buckets) is given when their order cannot
/// be [planned](super::teddy_plan) (one literal starts another). Beyond it, a bucket
/// holds several literals and false candidates grow with them; aho-corasick switches to
/// fat Teddy (sixteen buckets, half the bytes a step) only beyond 32. On generated
/// articles, the 24 literals of the built-in packs' gates took 5.8 ms a thousand articles
/// with slim Teddy, 1.4 ms as two slim searches of 16 and 8, and 1.1 ms with fat Teddy.
const SLIM_TEDDY_MAX: usize = 16;

/// The most needles one packed search of [`Occurrences`] looks for: fat Teddy's 16
/// buckets of two.
const MAX_PACKED: usize = 32;

/// The shortest rest (after the first byte) that literals alike but for their first byte
/// (`Accessed ` and `accessed `) are looked for by together: a shorter one is in too many
/// words.
const ALIKE_REST_MIN: usize = 4;

/// A search for every occurrence of any of a set of literals, each either selective
/// (three bytes or more: these are looked for together, up to 32 at a time)
/// or [rare and short](is_rare_short) (each looked for on its own). It reports each
/// position where some literal starts, in order, with the set of literals that start
/// there.
///
/// A selective literal is looked for by its *needle*: itself, or a part it shares with
/// other literals, so that the search is given fewer literals and Teddy, the faster with
/// fewer, stops less often. A literal that holds another (`Copyright` holds `opyright`,
/// `Citation: ` holds `Citation`) is found where the other is; literals alike but for their
/// first byte (`Accessed `, `accessed `) are found where the rest is (`ccessed `).
#[derive(Debug, Clone)]
pub struct Occurrences {
    literals: Vec<Vec<u8>>,
    /// Searches for the selective literals' needles, up to [`MAX_PACKED`] each.
    selective: Vec<PackedGroup>,
    /// Each rare short literal, with its index in `literals`.
    rare: Vec<(RareShort, usize)>,
}

/// A [rare short](is_rare_short) literal, searched for by its last byte, which memchr
/// finds in a third of the instructions `memmem` takes to find both (`©` is `C2 A9`:
/// `A9` is as rare in prose), and compared where it turns up.
#[derive(Debug, Clone)]
struct RareShort(Vec<u8>);

impl RareShort {
    /// Where the literal starts in `haystack`, in order.
    fn find_iter<'h>(&'h self, haystack: &'h [u8]) -> impl Iterator<Item = usize> + 'h {
        let last = self.0.len() - 1;
        memchr::memchr_iter(self.0[last], haystack)
            .filter_map(move |end| end.checked_sub(last))
            .filter(move |&start| haystack[start..].starts_with(&self.0))
    }
}

/// What [`Occurrences`] looks for in the text, and the literals that hold it.
#[derive(Debug)]
struct Needle {
    text: Vec<u8>,
    /// Each literal (by index) that holds the needle, with where the needle starts in it.
    holders: Vec<(usize, usize)>,
}

/// The needles of the selective `literals` at `selective` (indexes): no needle holds
/// another, so that at most one starts at any place of a text.
fn needles(literals: &[Vec<u8>], selective: &[usize]) -> Vec<Needle> {
    let mut needles: Vec<Needle> = Vec::new();
    for &index in selective {
        let literal = &literals[index];
        let alike = |other: &Vec<u8>| {
            other.len() == literal.len() && other[0] != literal[0] && other[1..] == literal[1..]
        };
        let has_alike = literal.len() > ALIKE_REST_MIN
            && selective.iter().any(|&other| alike(&literals[other]));
        let (text, offset) = if has_alike {
            (&literal[1..], 1)
        } else {
            (&literal[..], 0)
        };
        match needles.iter_mut().find(|needle| needle.text == text) {
            Some(needle) => needle.holders.push((index, offset)),
            None => needles.push(Needle {
                text: text.to_vec(),
                holders: vec![(index, offset)],
            }),
        }
    }
    // A needle that holds others gives its literals to the shortest of them (which holds
    // none), to be found where that one is.
    let inner: Vec<Option<(usize, usize)>> = needles
        .iter()
        .map(|needle| {
            let shortest = (needles.iter().enumerate())
                .filter(|(_, other)| other.text.len() < needle.text.len())
                .filter_map(|(at, other)| {
                    // (Compared in place: a `memmem` searcher for each pair cost more than
                    // the rest of the search's building.)
                    let within = (0..=needle.text.len() - other.text.len()).find(|&at| {
                        needle.text[at] == other.text[0]
                            && needle.text[at..].starts_with(&other.text)
                    })?;
                    Some((other.text.len(), at, within))
                })
                .min();
            shortest.map(|(_, at, within)| (at, within))
        })
        .collect();
    for (from, inner) in inner.iter().enumerate() {
        if let Some((at, within)) = *inner {
            let moved: Vec<(usize, usize)> = (needles[from].holders.iter())
                .map(|&(l, offset)| (l, offset + within))
                .collect();
            needles[at].holders.extend(moved);
        }
    }
    (needles.into_iter().zip(inner))
        .filter(|(_, inner)| inner.is_none())
        .map(|(needle, _)| needle)
        .collect()
}

/// One packed search of [`Occurrences`], for some of its needles.
#[derive(Debug, Clone)]
struct PackedGroup {
    search: LiteralSearch,
    /// For each needle of the search, its literals and where it starts in each.
    holders: Vec<Vec<(usize, usize)>>,
    /// Whether every needle starts its literals: then every literal found starts where
    /// the search found its needle, in the order of the text.
    aligned: bool,
}

impl PackedGroup {
    /// The search for `needles`, if it is fast.
    fn new(needles: &[Needle]) -> Option<PackedGroup> {
        let texts: Vec<&[u8]> = needles.iter().map(|n| n.text.as_slice()).collect();
        let holders: Vec<Vec<(usize, usize)>> = needles.iter().map(|n| n.holders.clone()).collect();
        let aligned = holders.iter().flatten().all(|&(_, offset)| offset == 0);
        Some(PackedGroup {
            search: LiteralSearch::new(&texts)?,
            holders,
            aligned,
        })
    }

    /// Each place of `haystack` where a needle starts, in order, with the needle's index.
    /// (No needle holds another, so none starts where another does.)
    fn needle_starts<'h>(
        &'h self,
        haystack: &'h [u8],
    ) -> impl Iterator<Item = (usize, usize)> + 'h {
        let mut at = 0;
        std::iter::from_fn(move || {
            let (start, which) = self.search.find_which(haystack, at)?;
            at = start + 1;
            Some((start, which))
        })
    }
}

impl Occurrences {
    /// The search for `literals` (at most 64), if every one is selective or rare and
    /// short, and the selective ones have fast searches.
    pub fn new(literals: &[Vec<u8>]) -> Option<Occurrences> {
        if literals.is_empty() || literals.len() > 64 {
            return None;
        }
        let mut selective = Vec::new();
        let mut rare = Vec::new();
        for (index, literal) in literals.iter().enumerate() {
            if literal.len() >= MIN_SELECTIVE_LEN {
                selective.push(index);
            } else if is_rare_short(literal) {
                rare.push((RareShort(literal.clone()), index));
            } else {
                return None;
            }
        }
        let selective = needles(literals, &selective)
            .chunks(MAX_PACKED)
            .map(PackedGroup::new)
            .collect::<Option<Vec<_>>>()?;
        Some(Occurrences {
            literals: literals.to_vec(),
            selective,
            rare,
        })
    }

    /// Where each of `holders` (literals, with where the needle starts in each) begins
    /// around a needle found at `start`, as a place and a set of one, if the text holds
    /// it there.
    fn holders_found<'a>(
        &'a self,
        haystack: &'a [u8],
        holders: &'a [(usize, usize)],
        start: usize,
    ) -> impl Iterator<Item = (usize, u64)> + 'a {
        holders.iter().filter_map(move |&(literal, offset)| {
            let begin = start.checked_sub(offset)?;
            let held = haystack[begin..].starts_with(&self.literals[literal]);
            held.then_some((begin, 1u64 << literal))
        })
    }

    /// The literals, in the order of the bits of a set.
    pub fn literals(&self) -> &[Vec<u8>] {
        &self.literals
    }

    /// Calls `found` with each position of `haystack` where some literal starts, in
    /// order, and the set of literals that start there (bit `i`: literal `i`).
    pub fn each(&self, haystack: &[u8], mut found: impl FnMut(usize, u64)) {
        if let ([one], []) = (self.selective.as_slice(), self.rare.as_slice())
            && one.aligned
        {
            // Every literal found begins where its needle does: in the order of the text.
            for (start, which) in one.needle_starts(haystack) {
                let set = (self.holders_found(haystack, &one.holders[which], start))
                    .fold(0, |set, (_, bit)| set | bit);
                if set != 0 {
                    found(start, set);
                }
            }
            return;
        }
        // Each search's occurrences join the others' in the order of the text.
        let mut all: Vec<(usize, u64)> = Vec::with_capacity(32);
        for group in &self.selective {
            for (start, which) in group.needle_starts(haystack) {
                all.extend(self.holders_found(haystack, &group.holders[which], start));
            }
        }
        for (literal, index) in &self.rare {
            all.extend(literal.find_iter(haystack).map(|at| (at, 1u64 << index)));
        }
        all.sort_unstable_by_key(|&(at, _)| at);
        let mut pending: Option<(usize, u64)> = None;
        for (at, set) in all {
            match &mut pending {
                Some((last, sets)) if *last == at => *sets |= set,
                _ => {
                    if let Some((last, sets)) = pending.take() {
                        found(last, sets);
                    }
                    pending = Some((at, set));
                }
            }
        }
        if let Some((last, sets)) = pending {
            found(last, sets);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_leftmost_occurrence_of_any_literal() {
        let one = LiteralSearch::new(&["Citation"]).expect("one literal is fast");
        let several = LiteralSearch::new(&["Citation", "Provided by", "Copyright"])
            .expect("a machine with SSSE3 or AVX2, as the regex crate's search needs");
        let text = b"Copyright 2020. Provided by X. Citation: y";
        assert_eq!(one.find(text, 0), Some(31));
        assert_eq!(one.find(text, 31), Some(31));
        assert_eq!(one.find(text, 32), None);
        assert_eq!(several.find(text, 0), Some(0));
        assert_eq!(several.find(text, 1), Some(16));
        assert_eq!(several.find(text, 17), Some(31));
        assert_eq!(several.find(text, text.len()), None);
        assert_eq!(several.find(text, text.len() + 1), None);
        assert!(!several.is_in(b"nothing here"));
        // Short haystacks are searched too (below the packed searcher's minimum length).
        assert!(several.is_in(b"Copyright"));
    }

    #[test]
    fn slow_searches_are_not_built() {
        assert!(LiteralSearch::new::<&str>(&[]).is_none());
        assert!(LiteralSearch::new(&[""]).is_none());
        assert!(LiteralSearch::new(&["©", "Copyright"]).is_none());
        assert!(LiteralSearch::new(&["©"]).is_some());
    }

    #[test]
    fn a_thorough_search_is_built_where_no_fast_one_is() {
        let short = LiteralSearch::thorough(&["©", "AP", "Copyright"]).expect("literals");
        assert!(!short.is_fast());
        let text = "Photo: AP. © 2024 AFP".as_bytes();
        assert_eq!(short.find(text, 0), Some(7));
        assert_eq!(short.find(text, 8), Some(11));
        assert_eq!(short.find(text, 12), None);
        assert!(!short.is_in(b"apropos (c) copyright"));
        // The fast search, where there is one; none where every text would pass.
        assert!(LiteralSearch::thorough(&["Citation", "Copyright"]).is_some_and(|s| s.is_fast()));
        assert!(LiteralSearch::thorough::<&str>(&[]).is_none());
        assert!(LiteralSearch::thorough(&["AP", ""]).is_none());
    }

    #[test]
    fn literals_with_the_same_punctuation_mark_first_are_found_after_it() {
        let search = LiteralSearch::new(&["<ref ", "<REF ", "<ref>"]).expect("fast");
        assert!(matches!(*search.0, Kind::SameStart { start: b'<', .. }));
        let text = b"<u>a</u> <Ref> <REF name=x><ref>";
        assert_eq!(search.find(text, 0), Some(15));
        assert_eq!(search.find(text, 16), Some(27));
        assert_eq!(search.find(text, 28), None);
        // Letters are not rare enough to be searched for alone.
        let words = LiteralSearch::new(&["Citation", "Copyright"]).expect("fast");
        assert!(matches!(*words.0, Kind::Several { .. }));
        // One literal is searched so too, if it has a byte after the mark.
        let template = LiteralSearch::new(&["{{"]).expect("fast");
        assert!(matches!(*template.0, Kind::SameStart { start: b'{', .. }));
        let text = b"{ {x}{{cite}} {";
        assert_eq!(template.find(text, 0), Some(5));
        assert_eq!(template.find(text, 6), None);
        assert!(matches!(
            *LiteralSearch::new(&["{"]).unwrap().0,
            Kind::One(_)
        ));
    }

    #[test]
    fn rare_short_literals_are_non_ascii() {
        assert!(is_rare_short("©".as_bytes()));
        assert!(!is_rare_short(b"AP"));
        assert!(!is_rare_short("Ça".as_bytes()), "`a` is ASCII");
        assert!(!is_rare_short("©©".as_bytes()), "four bytes are selective");
        assert!(!is_rare_short(b""));
    }

    #[test]
    fn occurrences_of_selective_and_rare_short_literals_come_in_order() {
        let literals: Vec<Vec<u8>> = ["(c)", "©", "opyright", "(AP)"]
            .iter()
            .map(|l| l.as_bytes().to_vec())
            .collect();
        let search = Occurrences::new(&literals).expect("selective and rare literals");
        let text = "© 2024 (AP) Copyright ©(c)".as_bytes();
        let mut found = Vec::new();
        search.each(text, |at, set| found.push((at, set)));
        assert_eq!(
            found,
            vec![(0, 0b10), (8, 0b1000), (14, 0b100), (23, 0b10), (25, 0b1)]
        );
        // `©` is found by its last byte, `A9`: one with no room for `C2` before it, or
        // another byte there (`é` is `C3 A9`), is not `©`.
        let mut found = Vec::new();
        search.each(b"\xA9 caf\xC3\xA9", |at, set| found.push((at, set)));
        assert!(found.is_empty(), "{found:?}");
        assert!(
            Occurrences::new(&[b"AP".to_vec()]).is_none(),
            "short and common"
        );
        assert!(Occurrences::new(&[]).is_none());
    }

    #[test]
    fn literals_are_looked_for_by_their_shared_parts() {
        let literals: Vec<Vec<u8>> = [
            "Copyright",
            "opyright",
            "Accessed ",
            "accessed ",
            "Citation: ",
            "Citation",
            "(AP)",
            "(AFP)",
            "Republished from The Conversation",
            "The Conversation",
            "Retrieved ",
            "Rest",
            "rest",
        ]
        .iter()
        .map(|l| l.as_bytes().to_vec())
        .collect();
        let all: Vec<usize> = (0..literals.len()).collect();
        let found: Vec<(String, Vec<(usize, usize)>)> = needles(&literals, &all)
            .into_iter()
            .map(|n| (String::from_utf8(n.text).expect("UTF-8"), n.holders))
            .collect();
        let expected = [
            ("opyright", vec![(1, 0), (0, 1)]),
            ("ccessed ", vec![(2, 1), (3, 1)]),
            ("Citation", vec![(5, 0), (4, 0)]),
            ("(AP)", vec![(6, 0)]),
            ("(AFP)", vec![(7, 0)]),
            ("The Conversation", vec![(9, 0), (8, 17)]),
            ("Retrieved ", vec![(10, 0)]),
            // `est` would be too short to look for.
            ("Rest", vec![(11, 0)]),
            ("rest", vec![(12, 0)]),
        ];
        let expected: Vec<(String, Vec<(usize, usize)>)> = expected
            .into_iter()
            .map(|(text, holders)| (text.to_string(), holders))
            .collect();
        assert_eq!(found, expected);
        let search = Occurrences::new(&literals).expect("a fast search");
        let text = b"Copyright. Accessed accessed Citation: The Republished from The Conversation";
        let mut sets = Vec::new();
        search.each(text, |at, set| sets.push((at, set)));
        assert_eq!(
            sets,
            [
                (0, 0b1),
                (1, 0b10),
                (11, 0b100),
                (20, 0b1000),
                (29, 0b11_0000),
                (43, 0b1_0000_0000),
                (60, 0b10_0000_0000)
            ]
        );
    }

    proptest::proptest! {
        /// Every position where a literal starts, with each literal starting there.
        #[test]
        fn occurrences_are_every_start_of_every_literal(
            literals in proptest::collection::vec("(<?[aAbc][abc]{2,5}|é)", 1..40),
            pieces in proptest::collection::vec(("[aAbc <é]{0,4}", 0usize..40), 0..12),
        ) {
            let literals: Vec<Vec<u8>> = literals.into_iter().map(String::into_bytes).collect();
            let Some(search) = Occurrences::new(&literals) else {
                return Ok(());
            };
            // Filler and literals in turn, so that literals (and the literals they hold)
            // turn up often.
            let haystack: Vec<u8> = pieces
                .iter()
                .flat_map(|(filler, pick)| {
                    filler.bytes().chain(literals[pick % literals.len()].iter().copied())
                })
                .collect();
            let bytes = haystack.as_slice();
            let mut found = Vec::new();
            search.each(bytes, |at, set| found.push((at, set)));
            let expected: Vec<(usize, u64)> = (0..bytes.len())
                .filter_map(|at| {
                    let set = literals
                        .iter()
                        .enumerate()
                        .filter(|(_, l)| bytes[at..].starts_with(l))
                        .fold(0u64, |set, (i, _)| set | 1 << i);
                    (set != 0).then_some((at, set))
                })
                .collect();
            proptest::prop_assert_eq!(found, expected);
        }

        #[test]
        fn agrees_with_searching_for_each_literal(
            literals in proptest::collection::vec("<?[abc]{1,5}", 1..24),
            haystack in "[abc <]{0,80}",
            from in 0usize..90,
        ) {
            let Some(search) = LiteralSearch::thorough(&literals) else {
                return Ok(());
            };
            let expected = haystack
                .get(from..)
                .and_then(|rest| literals.iter().filter_map(|l| rest.find(l.as_str())).min())
                .map(|at| from + at);
            let found = search.find_which(haystack.as_bytes(), from);
            proptest::prop_assert_eq!(found.map(|(at, _)| at), expected);
            // The literal named starts there.
            if let Some((at, which)) = found {
                proptest::prop_assert!(haystack[at..].starts_with(literals[which].as_str()));
            }
        }
    }
}
