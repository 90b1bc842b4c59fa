//! One search of a document for the literals the packs' `applies_to` conditions require,
//! so that a pack whose condition cannot hold costs nothing more (instead of one search of
//! the whole document per pack).
//!
//! Each pack whose condition implies literals ([`AppliesTo::required_literals`]: every
//! pattern of `any: [{content: …}]` requires some) is *gated*: it can apply only to a
//! document whose text view contains one of them. A document is searched once for every
//! gated pack's literals together; the packs none of whose literals turn up are closed, and
//! the others are decided by their conditions as before. A gate only ever skips work: it
//! never makes a pack apply.
//!
//! The same search looks for the literals of the packs' [line scans](super::line_scan)
//! and for the starts of copyright notices: it records the lines that hold one, and each
//! pack's single-line regexes, and the notices, are searched on those lines, so that a
//! pack that applies does not search the document again.
//!
//! [`AppliesTo::required_literals`]: super::condition::AppliesTo::required_literals

use super::line_scan::{Lines, SharedLines};
use super::literal_search::{MIN_SELECTIVE_LEN, Occurrences, is_rare_short};

use super::Pack;
use super::notice::NOTICE_LITERALS;
use crate::position::Span;

/// The packs a gate search covers at most (one bit each).
const MAX_PACKS: usize = 64;
/// The literals one search covers at most (beyond this the search is slow).
const MAX_LITERALS: usize = 32;

/// The gated packs of a rule set and one search for all their literals.
#[derive(Debug)]
pub struct Gates {
    /// Bit `i` set: pack `i` is gated.
    gated: u64,
    /// Each literal, with the packs (bits) it opens (none for a literal only line scans
    /// look for).
    literals: Vec<(Vec<u8>, u64)>,
    /// Bit `i` set: literal `i` is one a line scan looks for.
    line_literals: u64,
    /// Bit `i` set: literal `i` is one a copyright notice starts with (looked for when a
    /// live pack reads notices).
    notice_literals: u64,
    /// For each pack (by index) whose line scan this search stands in for, the index here
    /// of each of its scan's literals, in the scan's order.
    scans: Vec<Option<Vec<u8>>>,
    /// A search for the literals (`None`: nothing is gated).
    search: Option<Occurrences>,
}

/// What one search of a document found: the packs that may apply, and the lines that
/// hold a literal of a line scan or a copyright notice's start.
#[derive(Debug, Clone)]
pub struct OpenPacks {
    open: u64,
    /// The literals of notice starts (bits), if the search looked for them.
    notice_literals: u64,
    /// The lines that hold a line scan's literal, with the literals (bit `i`: literal `i`
    /// of the gates).
    lines: Lines,
}

impl OpenPacks {
    /// Whether the pack at `index` (in load order) may apply: it is not gated, or one of
    /// its literals is in the document.
    pub fn may_apply(&self, index: usize) -> bool {
        index >= MAX_PACKS || self.open & (1 << index) != 0
    }

    /// The lines that may hold a copyright notice (they hold a start of one), if the
    /// search looked for notice starts.
    pub fn notice_lines(&self) -> Option<Vec<Span>> {
        (self.notice_literals != 0).then(|| self.lines.holding_any(self.notice_literals))
    }

    /// The lines the search found for the line scan of the pack at `index`, if the
    /// search stands in for that scan.
    pub(crate) fn lines_for<'a>(
        &'a self,
        gates: &'a Gates,
        index: usize,
    ) -> Option<SharedLines<'a>> {
        let own = gates.scans.get(index)?.as_deref()?;
        Some(SharedLines::new(&self.lines, own))
    }
}

/// Whether the literals of `set` not among `literals` yet fit beside them
/// ([`MAX_LITERALS`]).
fn has_room<L: AsRef<[u8]>>(literals: &[(Vec<u8>, u64)], set: &[L]) -> bool {
    let new = set
        .iter()
        .filter(|l| !literals.iter().any(|(known, _)| known == l.as_ref()))
        .count();
    literals.len() + new <= MAX_LITERALS
}

/// The index of `literal` in `literals` (each with the packs it opens), added if it is
/// new; it opens `owners` too.
fn add_literal(literals: &mut Vec<(Vec<u8>, u64)>, literal: &[u8], owners: u64) -> usize {
    match literals.iter().position(|(known, _)| known == literal) {
        Some(at) => {
            literals[at].1 |= owners;
            at
        }
        None => {
            literals.push((literal.to_vec(), owners));
            literals.len() - 1
        }
    }
}

impl Gates {
    /// The gates of `packs`. Packs are left ungated when the literals they require are too
    /// many to search for at once, or when the search would not be fast. Packs without a
    /// rule on (`--select` another pack) are left out of the search: they never run. The
    /// literals of the packs' line scans join the search while there is room.
    pub fn new(packs: &[Pack]) -> Gates {
        let mut gated = 0u64;
        let mut literals: Vec<(Vec<u8>, u64)> = Vec::new();
        for (index, pack) in packs.iter().enumerate().take(MAX_PACKS) {
            if !pack.has_live_rules() {
                continue;
            }
            let Some(required) = pack
                .applies_to
                .as_ref()
                .and_then(|a| a.required_literals())
                .filter(|set| {
                    set.iter()
                        .all(|l| l.len() >= MIN_SELECTIVE_LEN || is_rare_short(l))
                })
            else {
                continue;
            };
            if !has_room(&literals, &required) {
                continue;
            }
            gated |= 1 << index;
            for literal in &required {
                add_literal(&mut literals, literal, 1 << index);
            }
        }
        let mut line_literals = 0u64;
        let mut scans = Vec::new();
        for (index, pack) in packs.iter().enumerate().take(MAX_PACKS) {
            scans.push(None);
            let Some(scan) = pack.line_scan.as_ref().filter(|_| pack.has_live_rules()) else {
                continue;
            };
            if !has_room(&literals, scan.literals()) {
                continue;
            }
            let mut own = Vec::new();
            for literal in scan.literals() {
                let at = add_literal(&mut literals, literal, 0);
                line_literals |= 1 << at;
                own.push(at as u8);
            }
            scans[index] = Some(own);
        }
        // The starts of copyright notices, if a live pack reads them and there is room.
        let mut notice_literals = 0u64;
        let reads_notices = packs
            .iter()
            .take(MAX_PACKS)
            .any(|p| p.has_live_rules() && p.schema.reads_copyright_notices());
        if reads_notices && has_room(&literals, &NOTICE_LITERALS) {
            for literal in NOTICE_LITERALS {
                notice_literals |= 1 << add_literal(&mut literals, literal.as_bytes(), 0);
            }
        }
        let needles: Vec<Vec<u8>> = literals.iter().map(|(l, _)| l.clone()).collect();
        match Occurrences::new(&needles) {
            Some(search) if gated != 0 || line_literals != 0 || notice_literals != 0 => Gates {
                gated,
                literals,
                line_literals,
                notice_literals,
                scans,
                search: Some(search),
            },
            // Without a fast search (no literals, or no SIMD), every pack is decided by
            // its condition alone, and scans its own lines.
            _ => Gates {
                gated: 0,
                literals: Vec::new(),
                line_literals: 0,
                notice_literals: 0,
                scans: Vec::new(),
                search: None,
            },
        }
    }

    /// Searches `view` (a document's text view) once for every gated pack's literals and
    /// every line scan's.
    pub fn open(&self, view: &str) -> OpenPacks {
        let mut found = OpenPacks {
            open: u64::MAX,
            notice_literals: self.notice_literals,
            lines: Lines::default(),
        };
        let Some(search) = &self.search else {
            return found;
        };
        found.open = !self.gated;
        let bytes = view.as_bytes();
        // Every literal found opens its packs and, if a line scan looks for it, is added
        // to its line's set.
        search.each(bytes, |start, set| {
            let mut bits = set;
            while bits != 0 {
                found.open |= self.literals[bits.trailing_zeros() as usize].1;
                bits &= bits - 1;
            }
            let held = set & (self.line_literals | self.notice_literals);
            if held != 0 {
                found.lines.add(bytes, start, held);
            }
        });
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Document, Format};
    use crate::rules::RuleSet;

    /// Fragments the built-in packs' conditions look for, near misses, and filler.
    const FRAGMENTS: &[&str] = &[
        "Citation: ",
        "Citation :",
        " retrieved ",
        "\tretrieved\t",
        "This document is subject to copyright.",
        "This document is subject to copyright",
        "phys.org",
        "The Conversation",
        "The conversation",
        "Republished from ",
        "republished ",
        "Originally published on ",
        "originally published in ",
        "first published ",
        "CC BY",
        "CC-BY",
        "CC BY-SA",
        "Creative Commons Attribution",
        "creative commons attribution",
        "Retrieved March 3, 2021",
        "Retrieved on May 12, 2020",
        "Accessed 3 May 2020",
        "accessed May 3, 2020",
        "(AFP) - ",
        "© 2021 AFP",
        "Copyright 2019 The Associated Press",
        "{{cite web",
        "<ref>",
        "reative ",
        "riginally published ",
        "word",
        " ",
        "\n",
        "\n\n",
        ".",
        ",",
        "2021",
    ];

    fn check(rules: &RuleSet, doc: &Document) {
        let open = rules.open_packs(doc);
        for (index, pack) in rules.packs().iter().enumerate() {
            if !open.may_apply(index) {
                assert!(
                    !pack.applies_to(doc),
                    "the gate closed `{}`, which applies to {:?}",
                    pack.name,
                    doc.text()
                );
            }
        }
    }

    #[test]
    fn most_built_in_packs_are_gated() {
        let rules = RuleSet::builtin().expect("built-in packs load");
        let gates = Gates::new(rules.packs());
        let gated: Vec<&str> = rules
            .packs()
            .iter()
            .enumerate()
            .filter(|(i, _)| gates.gated & (1 << i) != 0)
            .map(|(_, p)| p.name.as_str())
            .collect();
        // front-matter (front matter keys) and wikipedia-cs1 (raw content; `{{` too short
        // and common to search for) are decided by their conditions alone. wire-credit's
        // `©` is short but rare: it is looked for on its own.
        assert_eq!(
            gated,
            [
                "sciencex",
                "the-conversation",
                "wire-credit",
                "cc-by",
                "retrieval-styles"
            ]
        );
    }

    #[test]
    fn the_gate_never_closes_a_pack_that_applies_to_a_fixture() {
        let rules = RuleSet::builtin().expect("built-in packs load");
        let mut seen = 0;
        for (path, text) in crate::rules::fixture_texts() {
            let doc = Document::new(path.display().to_string(), text, Format::from_path(&path));
            check(&rules, &doc);
            seen += 1;
        }
        assert!(seen > 100, "only {seen} fixtures");
    }

    #[test]
    fn a_text_without_any_literal_closes_every_gated_pack() {
        let rules = RuleSet::builtin().expect("built-in packs load");
        let doc = Document::new("a.txt", "Nothing to see here.\n".to_string(), Format::Text);
        let open = rules.open_packs(&doc);
        let names: Vec<&str> = rules
            .packs()
            .iter()
            .enumerate()
            .filter(|(i, _)| open.may_apply(*i))
            .map(|(_, p)| p.name.as_str())
            .collect();
        assert_eq!(names, ["front-matter", "wikipedia-cs1"]);
    }

    #[test]
    fn packs_left_without_a_rule_are_not_searched_for() {
        let mut rules = RuleSet::builtin().expect("built-in packs load");
        // The gates are rebuilt after the selection, even if a document was searched before.
        let doc = Document::new(
            "a.txt",
            "Republished from The Conversation.\n".to_string(),
            Format::Text,
        );
        let conversation = rules
            .packs()
            .iter()
            .position(|p| p.name == "the-conversation");
        let conversation = conversation.expect("a built-in pack");
        assert!(rules.open_packs(&doc).may_apply(conversation));
        rules
            .select(&["sciencex".to_string()])
            .expect("a built-in pack");
        let sciencex = rules.packs().iter().position(|p| p.name == "sciencex");
        let sciencex = sciencex.expect("a built-in pack");
        let required = rules.packs()[sciencex]
            .applies_to
            .as_ref()
            .and_then(|a| a.required_literals())
            .expect("sciencex is gated");
        let gates = Gates::new(rules.packs());
        let searched: Vec<&[u8]> = gates.literals.iter().map(|(l, _)| l.as_slice()).collect();
        // Its gate's literals, then those its line scan adds, then the starts of the
        // copyright notices its credit field reads.
        let mut expected: Vec<&[u8]> = required.iter().map(Vec::as_slice).collect();
        let scan = rules.packs()[sciencex]
            .line_scan
            .as_ref()
            .expect("a line scan");
        let notice_starts = NOTICE_LITERALS.iter().map(|l| l.as_bytes());
        for literal in scan
            .literals()
            .iter()
            .map(Vec::as_slice)
            .chain(notice_starts)
        {
            if !expected.contains(&literal) {
                expected.push(literal);
            }
        }
        assert_eq!(searched, expected);
        assert_eq!(gates.gated, 1 << sciencex);
        // Left ungated, the other packs stay open: the engine skips them for having no
        // rule on, and a pack is never closed by a search that did not look for it.
        let open = rules.open_packs(&doc);
        assert!(open.may_apply(conversation));
        assert!(!open.may_apply(sciencex));
    }

    #[test]
    fn a_pack_loaded_from_yaml_is_gated_too() {
        let mut rules = RuleSet::builtin().expect("built-in packs load");
        let pack = "pack: reprints\n\
                    applies_to:\n  any:\n    - content: '[Rr]eprinted from (?:The )?Daily'\n\
                    rules:\n  - id: no-date\n    kind: forbidden\n    pattern: 'TODO'\n    message: \"placeholder\"\n";
        rules
            .add_yaml("reprints.yaml", pack)
            .expect("the pack loads");
        let index = rules.packs().len() - 1;
        for (text, applies) in [
            ("Reprinted from The Daily.\nTODO\n", true),
            ("reprinted from Daily\n", true),
            ("Reprinted from The Weekly.\n", false),
            ("Nothing here.\n", false),
        ] {
            let doc = Document::new("a.txt", text.to_string(), Format::Text);
            let open = rules.open_packs(&doc).may_apply(index);
            assert_eq!(rules.packs()[index].applies_to(&doc), applies, "{text:?}");
            assert!(open || !applies, "{text:?}");
            // It opens on `eprinted from ` (which every match holds), whatever follows.
            assert_eq!(open, text.contains("eprinted from "), "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_gate_never_closes_a_pack_that_applies(
            picks in proptest::collection::vec(0..FRAGMENTS.len(), 0..24)
        ) {
            static RULES: std::sync::LazyLock<RuleSet> =
                std::sync::LazyLock::new(|| RuleSet::builtin().expect("built-in packs load"));
            let text: String = picks.iter().map(|&i| FRAGMENTS[i]).collect();
            check(&RULES, &Document::new("a.txt", text, Format::Text));
        }
    }
}
