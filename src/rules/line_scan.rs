//! One search of a document for the literals of a pack's single-line regexes, so that
//! each regex then runs on the few lines that hold one of its literals instead of over the
//! whole text.
//!
//! A regex whose matches can hold no line break and each hold one of a few literals
//! ([`LazyRegex::line_bound_literals`]: the Science X citation, credit-glue, disclaimer
//! and `Provided by` patterns, and its `applies_to` patterns) can only match on a line
//! that holds one of those literals. A pack's [`LineScan`] knows the literals of all its
//! such regexes; the rule set's one search of a document (the [gates](super::gate)') looks
//! for them along with the packs' `applies_to` literals, and a pack's own scan does when
//! that search has no room for them. Each regex is then searched on the lines found to
//! hold one of its own, with the text before the line in view (so `^`, `\b` and `(?-u:\B)`
//! read their context as in a search of the whole text) and the line's break after it
//! (so `$` does too). Its matches are those a search of the whole text finds, in the same
//! order: one search of a 4 KB article replaces one per regex, and each regex reads a line
//! or two.

use memchr::memchr;

use super::literal_search::{MIN_SELECTIVE_LEN, Occurrences, is_rare_short};
use super::table::LazyRegex;
use crate::position::Span;

/// The most literals one scan looks for (one bit each in a line's set).
const MAX_LITERALS: usize = 32;

/// A search for the literals of a pack's line-bound regexes (bit `i` of a line's set
/// stands for literal `i`).
#[derive(Debug)]
pub struct LineScan {
    /// A search for all of them at once (Teddy, or memchr's `memmem` for one literal; a
    /// rare short one such as `©` on its own). Looking for each in turn with `memmem`
    /// (which skips ahead on a literal's rarest bytes) costs more: 17 % more instructions
    /// for the Science X pack's three.
    search: Occurrences,
}

/// The lines of a document's text view that hold a literal of a [`LineScan`], in order,
/// each with the set of literals it holds.
#[derive(Debug, Clone, Default)]
pub struct Lines {
    /// Each line's span (without its line break) and its literals (bit `i`: literal `i`).
    lines: Vec<(Span, u64)>,
}

impl LineScan {
    /// The scan for `regexes`: each that has [line-bound
    /// literals](LazyRegex::line_bound_literals), all of three bytes or more or [rare and
    /// short](is_rare_short), takes part while the scan has room for its literals, and is
    /// told which literals of the scan are its own. `None` (and no regex takes part) when
    /// none can, or when no fast search for their literals exists.
    pub fn new(regexes: Vec<&mut LazyRegex>) -> Option<LineScan> {
        let mut literals: Vec<Vec<u8>> = Vec::new();
        let mut taking_part: Vec<(&mut LazyRegex, u64)> = Vec::new();
        for regex in regexes {
            let Some(own) = regex.line_bound_literals().filter(|own| {
                own.iter()
                    .all(|l| l.len() >= MIN_SELECTIVE_LEN || is_rare_short(l))
            }) else {
                continue;
            };
            let new = own.iter().filter(|l| !literals.contains(l)).count();
            if literals.len() + new > MAX_LITERALS {
                continue;
            }
            let mut mask = 0u64;
            for literal in own {
                let index = match literals.iter().position(|known| known == literal) {
                    Some(index) => index,
                    None => {
                        literals.push(literal.clone());
                        literals.len() - 1
                    }
                };
                mask |= 1 << index;
            }
            taking_part.push((regex, mask));
        }
        let search = Occurrences::new(&literals)?;
        for (regex, mask) in taking_part {
            regex.set_line_literals(mask);
        }
        Some(LineScan { search })
    }

    /// The literals, in the order of the bits of a line's set.
    pub fn literals(&self) -> &[Vec<u8>] {
        self.search.literals()
    }

    /// Finds the lines of `view` (a document's text view) that hold a literal, into
    /// `lines` (emptied first).
    pub fn scan(&self, view: &str, lines: &mut Lines) {
        lines.lines.clear();
        let bytes = view.as_bytes();
        self.search
            .each(bytes, |start, held| lines.add(bytes, start, held));
    }
}

/// The lines a search of a document for many literals found (the [gates](super::gate)'
/// search), seen by one pack's line scan: `own[j]` is the index in that search of the
/// scan's literal `j`.
#[derive(Debug, Clone, Copy)]
pub struct SharedLines<'a> {
    lines: &'a Lines,
    own: &'a [u8],
}

impl<'a> SharedLines<'a> {
    /// `lines`, whose sets index the search's literals, for a scan whose literal `j` is the
    /// search's literal `own[j]`.
    pub(crate) fn new(lines: &'a Lines, own: &'a [u8]) -> SharedLines<'a> {
        SharedLines { lines, own }
    }

    /// The lines that hold one of the scan's literals, with the scan's own sets.
    fn to_own(self) -> Lines {
        let lines = self
            .lines
            .lines
            .iter()
            .filter_map(|(line, found)| {
                let set = self
                    .own
                    .iter()
                    .enumerate()
                    .filter(|&(_, &index)| found & (1 << index) != 0)
                    .fold(0u64, |set, (bit, _)| set | 1 << bit);
                (set != 0).then(|| (line.clone(), set))
            })
            .collect();
        Lines { lines }
    }
}

/// The lines a pack's [`LineScan`] finds in one document's text view, found when first
/// asked for (a pack whose `applies_to` holds on its front matter may never need them):
/// by the pack's own scan, or taken from the gates' search when it looked for them.
#[derive(Debug)]
pub struct LazyLines<'a> {
    source: Source<'a>,
    view: &'a str,
    lines: std::cell::OnceCell<Lines>,
}

#[derive(Debug)]
enum Source<'a> {
    Scan(&'a LineScan),
    Shared(SharedLines<'a>),
}

impl<'a> LazyLines<'a> {
    /// The lines `scan` finds in `view`, not yet scanned.
    pub fn new(scan: &'a LineScan, view: &'a str) -> LazyLines<'a> {
        LazyLines {
            source: Source::Scan(scan),
            view,
            lines: std::cell::OnceCell::new(),
        }
    }

    /// The lines of `view` a wider search found for the scan.
    pub fn shared(lines: SharedLines<'a>, view: &'a str) -> LazyLines<'a> {
        LazyLines {
            source: Source::Shared(lines),
            view,
            lines: std::cell::OnceCell::new(),
        }
    }

    /// Whether `regex` matches the view, searched on the lines that hold one of its
    /// literals: `None` when it does not take part in the scan.
    pub fn is_match(&self, regex: &LazyRegex) -> Option<bool> {
        let wanted = regex.line_literals();
        (wanted != 0).then(|| {
            self.get()
                .holding(self.view, wanted)
                .any(|(haystack, from)| regex.is_match_from(haystack, from))
        })
    }

    /// Whether `regex` matches the view: on the lines that hold one of its literals if
    /// it takes part in the scan, else over the whole view (unless its literals rule the
    /// view out). `lines` is `None` where the pack has no scan.
    pub fn view_matches(lines: Option<&LazyLines>, regex: &LazyRegex, view: &str) -> bool {
        lines
            .and_then(|lines| lines.is_match(regex))
            .unwrap_or_else(|| regex.is_match_gated(view))
    }

    /// The lines, found now if they were not yet.
    pub fn get(&self) -> &Lines {
        self.lines.get_or_init(|| match self.source {
            Source::Scan(scan) => {
                let mut lines = Lines::default();
                scan.scan(self.view, &mut lines);
                lines
            }
            Source::Shared(shared) => shared.to_own(),
        })
    }
}

impl Lines {
    /// The lines whose set shares a literal with `wanted`, in order.
    pub(crate) fn holding_any(&self, wanted: u64) -> Vec<Span> {
        self.lines
            .iter()
            .filter(|(_, set)| set & wanted != 0)
            .map(|(line, _)| line.clone())
            .collect()
    }

    /// Adds the literals `held` found at `at` of `text` to the set of its line: the last
    /// line, or a new one after it (literals are added in the order of the text).
    pub(crate) fn add(&mut self, text: &[u8], at: usize, held: u64) {
        match self.lines.last_mut() {
            Some((line, set)) if at < line.end => *set |= held,
            _ => {
                let start = memchr::memrchr(b'\n', &text[..at]).map_or(0, |i| i + 1);
                let end = memchr(b'\n', &text[at..]).map_or(text.len(), |i| at + i);
                self.lines.push((start..end, held));
            }
        }
    }

    /// The lines that hold one of the literals in `wanted` (a regex's
    /// [`line_literals`](LazyRegex::line_literals)), each as the haystack to search it in:
    /// the text from the start of `view` up to and including the line's break, and where
    /// the line starts.
    pub fn holding<'s, 'v>(
        &'s self,
        view: &'v str,
        wanted: u64,
    ) -> impl Iterator<Item = (&'v str, usize)> + use<'s, 'v> {
        self.lines
            .iter()
            .filter(move |(_, set)| set & wanted != 0)
            .map(move |(line, _)| (&view[..(line.end + 1).min(view.len())], line.start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::table::Located;
    use crate::rules::table::compile_regex;
    use crate::yaml::Loc;

    fn regex(source: &str) -> LazyRegex {
        compile_regex(&Located {
            value: source.to_string(),
            loc: Loc::default(),
        })
        .expect("a valid regex")
        .value
    }

    /// A screen's union takes the literals its parts start with when some part's required
    /// ones are too short to search for (`AP`), and so takes part in the line scan.
    #[test]
    fn the_wire_credit_screen_is_searched_by_lines() {
        let rules = crate::rules::RuleSet::builtin().expect("the built-in packs load");
        let pack = rules.packs().iter().find(|p| p.name == "wire-credit");
        let screen = pack.and_then(|p| p.screen.as_ref()).expect("a screen");
        let required: Vec<&[u8]> = screen
            .union
            .required_literals()
            .expect("literals every match holds")
            .iter()
            .map(Vec::as_slice)
            .collect();
        assert_eq!(required, ["©".as_bytes(), b"(C)", b"(c)", b"Copyright"]);
        assert_ne!(screen.union.line_literals(), 0);
    }

    #[test]
    fn only_single_line_regexes_with_selective_or_rare_literals_take_part() {
        let mut citation = regex(r"(?:^[ \t]*|(?-u:\B))Citation[ \t]*:[^\r\n]*");
        let mut across_lines = regex(r"Citation:\s+\S+");
        let mut short = regex(r"AP[ \t]*[0-9]{4}");
        let mut disclaimer = regex(r"^[ \t]*This document is subject to copyright\.");
        let scan = LineScan::new(vec![
            &mut citation,
            &mut across_lines,
            &mut short,
            &mut disclaimer,
        ])
        .expect("two regexes take part");
        assert_ne!(citation.line_literals(), 0);
        assert_ne!(disclaimer.line_literals(), 0);
        assert_eq!(
            across_lines.line_literals(),
            0,
            "`\\s` matches a line break"
        );
        assert_eq!(short.line_literals(), 0, "`AP` is short and common");
        assert_eq!(citation.line_literals() & disclaimer.line_literals(), 0);

        let view = "Title\n\nCitation: A (2014) retrieved\r\nThis document is subject to copyright.\nCitation: B";
        let mut lines = Lines::default();
        scan.scan(view, &mut lines);
        let disclaimer_at = view.find("This").expect("a disclaimer");
        let found: Vec<(&str, usize)> = lines.holding(view, citation.line_literals()).collect();
        assert_eq!(
            found,
            vec![(&view[..disclaimer_at], 7), (view, view.len() - 11)],
            "each line up to its break, from where it starts"
        );
        let found: Vec<usize> = lines
            .holding(view, disclaimer.line_literals())
            .map(|(_, start)| start)
            .collect();
        assert_eq!(found, vec![disclaimer_at]);
    }

    #[test]
    fn no_scan_without_a_regex_that_can_take_part() {
        let mut across_lines = regex(r"Citation:\s+\S+");
        assert!(LineScan::new(vec![&mut across_lines]).is_none());
        assert_eq!(across_lines.line_literals(), 0);
    }

    /// Every pattern field and `applies_to` pattern of the Science X pack is searched by
    /// lines, found by the gates' search: a regression here costs a search of the whole
    /// text per pattern, or one more search of the whole text.
    #[test]
    fn the_science_x_patterns_take_part_in_its_scan() {
        let rules = crate::rules::RuleSet::builtin().expect("the built-in packs load");
        let pack = rules
            .packs()
            .iter()
            .find(|p| p.name == "sciencex")
            .expect("the Science X pack");
        assert!(pack.line_scan.is_some());
        let mut schema_regexes = Vec::new();
        let mut condition_regexes = Vec::new();
        // The same traversals the pack was built with, read-only here.
        for field in &pack.schema.fields {
            if let Some(regex) = field.view_regex() {
                schema_regexes.push(regex);
            }
        }
        if let Some(condition) = &pack.applies_to {
            condition.view_regexes(&mut condition_regexes);
        }
        assert_eq!(schema_regexes.len(), 5);
        assert_eq!(condition_regexes.len(), 3);
        for regex in schema_regexes.iter().chain(&condition_regexes) {
            assert_ne!(regex.line_literals(), 0, "{}", regex.source());
        }
        let index = rules
            .packs()
            .iter()
            .position(|p| p.name == "sciencex")
            .expect("the Science X pack");
        let doc = crate::document::Document::new(
            "t",
            "Title\n\nCitation: x".to_string(),
            crate::document::Format::Text,
        );
        let open = rules.open_packs(&doc);
        let lines = rules
            .pack_lines(&open, index, &doc)
            .expect("the pack has a line scan");
        assert!(
            matches!(lines.source, Source::Shared(_)),
            "the gates' search finds its lines"
        );
        let own = rules.packs()[index].lines(&doc).expect("a line scan");
        assert_eq!(lines.get().lines, own.get().lines);
        assert_eq!(lines.get().lines.len(), 1);
    }

    fn same_with_and_without_lines(
        rules: &crate::rules::RuleSet,
        text: &str,
    ) -> Result<(), String> {
        for format in [
            crate::document::Format::Text,
            crate::document::Format::Markdown,
        ] {
            let doc = crate::document::Document::new("t", text.to_string(), format);
            let open = rules.open_packs(&doc);
            for (index, pack) in rules.packs().iter().enumerate() {
                // The pack's own scan, and the lines the gates' search found for it.
                let own = pack.lines(&doc);
                let shared_lines = rules.pack_lines(&open, index, &doc);
                let applies = pack.applies_to(&doc);
                let whole = pack
                    .schema
                    .extract(&doc, &crate::rules::field::Shared::default());
                // Copyright notices looked for on the lines the search found.
                let on_lines = match open.notice_lines() {
                    Some(lines) => crate::rules::field::Shared::with_notice_lines(lines),
                    None => return Err("the search does not look for notices".to_string()),
                };
                for (how, lines, shared) in [
                    ("own", &own, crate::rules::field::Shared::default()),
                    ("shared", &shared_lines, on_lines),
                ] {
                    if pack.applies_to_in(&doc, lines.as_ref()) != applies {
                        return Err(format!(
                            "{} ({how} lines): applies_to differs on {text:?}",
                            pack.name
                        ));
                    }
                    if let (Some(screen), Some(lines)) = (&pack.screen, lines.as_ref())
                        && lines
                            .is_match(&screen.union)
                            .is_some_and(|m| m != screen.union.is_match(doc.view().text()))
                    {
                        return Err(format!(
                            "{} ({how} lines): the screen differs on {text:?}",
                            pack.name
                        ));
                    }
                    let mut by_lines = crate::rules::field::Fields::default();
                    pack.schema
                        .extract_into(&doc, &shared, lines.as_ref(), &mut by_lines);
                    if by_lines != whole {
                        return Err(format!(
                            "{} ({how} lines): fields differ on {text:?}:\n{by_lines:?}\n{whole:?}",
                            pack.name
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// Applying every built-in pack and extracting its fields give the same with the line
    /// scan as with searches of the whole text, on every fixture.
    #[test]
    fn lines_find_what_whole_text_searches_find_in_the_fixtures() {
        let rules = crate::rules::RuleSet::builtin().expect("the built-in packs load");
        for (path, text) in crate::rules::fixture_texts() {
            if let Err(e) = same_with_and_without_lines(&rules, &text) {
                panic!("{}: {e}", path.display());
            }
        }
    }

    /// The lines each regex is searched on are those of the text that hold one of its
    /// literals, whether the scan looks for one literal or several, rare short ones (`©`)
    /// among them.
    #[test]
    fn lines_are_those_holding_a_literal_of_the_regex() {
        let sources = [
            "Citation:",
            "Provided by",
            "retrieved",
            "phys\\.org",
            "©? 2021 AFP",
            "©[ \\t]*[0-9]{4}",
        ];
        let literals = [
            "Citation:",
            "Provided by",
            "retrieved",
            "phys.org",
            "2021 AFP",
            "©",
        ];
        let text = "Citation: x retrieved\r\n\nProvided by phys.org\n2021 AFP 2021 AFP © 2020\nCitation:retrievedCitation:\n©©\nnone\n2021 AF";
        for count in [1, 2, 6] {
            let mut regexes: Vec<LazyRegex> = sources[..count].iter().map(|s| regex(s)).collect();
            let scan = LineScan::new(regexes.iter_mut().collect()).expect("a scan");
            let mut lines = Lines::default();
            scan.scan(text, &mut lines);
            for (regex, literal) in regexes.iter().zip(literals) {
                let found: Vec<usize> = lines
                    .holding(text, regex.line_literals())
                    .map(|(_, start)| start)
                    .collect();
                let mut expected = Vec::new();
                let mut start = 0;
                for line in text.split('\n') {
                    if line.contains(literal) {
                        expected.push(start);
                    }
                    start += line.len() + 1;
                }
                assert_eq!(found, expected, "{literal} of {count}");
            }
        }
    }

    /// A pack with more line-bound literals than one search takes: the first 32 take part
    /// in its own scan (the gates' search has no room for them), the others are searched
    /// over the whole text, and the fields are those of whole-text searches.
    #[test]
    fn a_pack_with_more_literals_than_a_scan_takes_reads_the_same_fields() {
        let mut yaml = String::from("pack: many\nfields:\n");
        for i in 0..40 {
            yaml.push_str(&format!(
                "  f{i}: {{kind: pattern, multiple: true, regex: 'tag{i:02}x:[ \\t]*(?P<value>[^\\n]*)'}}\n"
            ));
        }
        yaml.push_str("rules:\n  - {id: seen, kind: forbidden, field: f0, message: m}\n");
        let mut rules = crate::rules::RuleSet::new();
        // A gated pack first: its literal leaves the gates' search no room for the 32.
        let other = "pack: other\napplies_to: {content: 'otherword'}\nrules:\n  - {id: r, kind: forbidden, pattern: 'x', message: m}\n";
        rules
            .add_yaml("other.yaml", other)
            .expect("the pack compiles");
        rules
            .add_yaml("many.yaml", &yaml)
            .expect("the pack compiles");
        let pack = &rules.packs()[1];
        let taking_part = pack
            .schema
            .fields
            .iter()
            .filter_map(|f| f.view_regex())
            .filter(|r| r.line_literals() != 0)
            .count();
        assert_eq!(taking_part, 32);
        let text = "tag00x: a\ntag39x:b tag05x: c\r\nnothing\ntag31x:\ttag32x: d\n";
        let doc =
            crate::document::Document::new("t", text.to_string(), crate::document::Format::Text);
        let open = rules.open_packs(&doc);
        let lines = rules.pack_lines(&open, 1, &doc).expect("a line scan");
        assert!(
            matches!(lines.source, Source::Scan(_)),
            "no room in the gates' search"
        );
        let shared = crate::rules::field::Shared::default();
        let mut by_lines = crate::rules::field::Fields::default();
        pack.schema
            .extract_into(&doc, &shared, Some(&lines), &mut by_lines);
        assert_eq!(by_lines, pack.schema.extract(&doc, &shared));
        assert_eq!(by_lines.occurrence_count(39), 1);
        assert_eq!(by_lines.occurrence_count(32), 1);
        assert_eq!(by_lines.occurrence_count(1), 0);
    }

    /// The pieces random single-line patterns are made of: literals, assertions of every
    /// kind (multi-line and whole-text anchors, Unicode and ASCII word boundaries), runs
    /// that stop at a line break, and groups.
    const PATTERN_PIECES: &[&str] = &[
        "abc",
        "cab",
        "b",
        "^",
        "$",
        "(?-m:^)",
        "(?-m:$)",
        r"\b",
        r"\B",
        r"(?-u:\b)",
        r"(?-u:\B)",
        r"[ \t]*",
        r"[^\n]*",
        r"[^\n]*?",
        ".+",
        r"\r?",
        "[a-c]",
        "(?:ab|c)",
        "(?P<g>ca)?",
        r"[^\s]",
        "é?",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// A random regex that takes part in a line scan finds, on the lines the scan
        /// found, the matches a search of the whole text finds (with their groups), in
        /// the same order.
        #[test]
        fn random_patterns_find_on_lines_what_whole_text_searches_find(
            picks in proptest::collection::vec(0..PATTERN_PIECES.len(), 1..7),
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "abc", "cab", "abcab", "ab", "c", "a", " ", "\t", "\n", "\r\n", "\n\n", "é",
                    "\r",
                ]),
                0..20,
            ),
        ) {
            crate::rules::table::tests::THROWAWAY.with(|throwaway| throwaway.set(true));
            let text = parts.concat();
            let source: String = picks.iter().map(|&i| PATTERN_PIECES[i]).collect();
            let Ok(located) = compile_regex(&Located { value: source.clone(), loc: Loc::default() }) else {
                return Ok(());
            };
            let mut regex = located.value;
            let Some(scan) = LineScan::new(vec![&mut regex]) else {
                return Ok(());
            };
            let mut lines = Lines::default();
            scan.scan(&text, &mut lines);
            let whole: Vec<Vec<Option<Span>>> = regex
                .captures_iter(&text)
                .map(|caps| caps.iter().map(|m| m.map(|m| m.range())).collect())
                .collect();
            let mut by_lines: Vec<Vec<Option<Span>>> = Vec::new();
            for (haystack, from) in lines.holding(&text, regex.line_literals()) {
                let mut at = from;
                while at <= haystack.len() {
                    let Some(caps) = regex.captures_at(haystack, at) else { break };
                    let found = caps.get(0).expect("group 0").range();
                    at = found.end.max(found.start + 1);
                    by_lines.push(caps.iter().map(|m| m.map(|m| m.range())).collect());
                }
            }
            proptest::prop_assert_eq!(&by_lines, &whole, "{:?} on {:?}", source, text);
            // The spans the engine reads come the same way.
            let spans: Vec<Span> = lines
                .holding(&text, regex.line_literals())
                .flat_map(|(haystack, from)| regex.match_spans_from(haystack, from).collect::<Vec<_>>())
                .collect();
            let expected: Vec<Span> = regex.match_spans(&text).collect();
            proptest::prop_assert_eq!(spans, expected, "{:?} on {:?}", source, text);
            let parts: Vec<Vec<Option<Span>>> = lines
                .holding(&text, regex.line_literals())
                .flat_map(|(haystack, from)| regex.part_spans_from(haystack, from).collect::<Vec<_>>())
                .collect();
            let expected: Vec<Vec<Option<Span>>> = regex.part_spans_iter(&text).collect();
            proptest::prop_assert_eq!(parts, expected, "{:?} on {:?}", source, text);
            let on_lines = lines
                .holding(&text, regex.line_literals())
                .any(|(haystack, from)| regex.is_match_from(haystack, from));
            proptest::prop_assert_eq!(on_lines, regex.is_match(&text), "{:?} on {:?}", source, text);
        }

        /// The same on texts made of the pieces the packs' patterns look for, run into
        /// each other, split by line breaks (CRLF too) and blanks.
        #[test]
        fn lines_find_what_whole_text_searches_find(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "Citation: ", "Citation:", "Citation", "Marsh (soils)", " (2021, March 3)",
                    " (2021,", " retrieved ", "12 April 2023", " from ",
                    "https://phys.org/news/2021-03-marsh-soils.html", ".",
                    "This document is subject to copyright.", "Provided by ", "Exeter",
                    "© 2021 AFP", "(c) 2021", "Republished from The Conversation",
                    "Originally published on ", "The Conversation", "CC BY 4.0", "CC-BY",
                    "Creative Commons Attribution", "https://creativecommons.org/licenses/by/4.0/",
                    "Retrieved March 3, 2021", "Accessed 3 March 2021", "(AFP) - ", "(AP)—",
                    "Copyright 2019 The Associated Press", "(c) 2021 Reuters", "A.P.", "\n", "\r\n", "\n\n",
                    " ", "\t", "x", "é", "---\nsource: x\n---\n",
                ]),
                0..24,
            )
        ) {
            let rules = crate::rules::RuleSet::builtin().expect("the built-in packs load");
            let text = parts.concat();
            if let Err(e) = same_with_and_without_lines(&rules, &text) {
                proptest::prop_assert!(false, "{}", e);
            }
        }
    }
}
