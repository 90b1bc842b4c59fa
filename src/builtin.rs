//! The built-in rule packs, embedded in the binary from `rules/`.
//!
//! `build.rs` parses each pack's YAML when citelint is built and embeds the tree as Rust
//! data, so loading the built-in packs reads no YAML; the YAML text is embedded too, for
//! display. It also works out the facts of their regexes, so loading them parses no regex.

use crate::rules::regex_facts::{Facts, ToLineEnd};
use crate::yaml::StaticNode;

/// One built-in pack.
#[derive(Debug, Clone, Copy)]
pub struct BuiltinPack {
    /// Its file name under `rules/`.
    pub file: &'static str,
    /// The YAML as written.
    pub yaml: &'static str,
    /// The YAML tree, parsed at build time.
    pub tree: &'static StaticNode,
}

/// Every built-in pack, in load order.
pub const PACKS: &[BuiltinPack] = {
    use crate::yaml::StaticNode as N;
    include!(concat!(env!("OUT_DIR"), "/builtin_packs.rs"))
};

/// The [facts](crate::rules::regex_facts::Facts) of a built-in pack's regex, worked out
/// when citelint was built.
#[derive(Debug)]
struct StoredFacts {
    groups: &'static [&'static str],
    large_repetition: bool,
    leading: Option<&'static [&'static [u8]]>,
    required: Option<&'static [&'static [u8]]>,
    /// The head and whether a `\r` ends the run ([`ToLineEnd`]).
    to_line_end: Option<(&'static str, bool)>,
    single_line: bool,
    starts_line: bool,
    line_anchors: bool,
    text_anchors: bool,
    line_literal: Option<&'static [u8]>,
    word_literal: Option<(&'static [u8], bool)>,
}

/// Every regex of the built-in packs with its facts, sorted by source.
static REGEX_FACTS: &[(&str, StoredFacts)] =
    include!(concat!(env!("OUT_DIR"), "/builtin_regex_facts.rs"));

/// The facts of `source` if a built-in pack uses it (then it is known to be valid).
pub fn regex_facts(source: &str) -> Option<Facts> {
    let found = REGEX_FACTS
        .binary_search_by(|(known, _)| (*known).cmp(source))
        .ok()?;
    let facts = &REGEX_FACTS[found].1;
    Some(Facts {
        groups: facts.groups.iter().map(|g| g.to_string()).collect(),
        large_repetition: facts.large_repetition,
        leading: facts
            .leading
            .map(|l| l.iter().map(|b| b.to_vec()).collect()),
        required: facts
            .required
            .map(|l| l.iter().map(|b| b.to_vec()).collect()),
        to_line_end: facts.to_line_end.map(|(head, stops_at_cr)| ToLineEnd {
            head: head.to_string(),
            stops_at_cr,
        }),
        single_line: facts.single_line,
        starts_line: facts.starts_line,
        line_anchors: facts.line_anchors,
        text_anchors: facts.text_anchors,
        line_literal: facts.line_literal.map(<[u8]>::to_vec),
        word_literal: facts
            .word_literal
            .map(|(literal, unicode)| (literal.to_vec(), unicode)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::Node;

    #[test]
    fn embedded_trees_are_the_yaml_as_parsed_now() {
        for pack in PACKS {
            let parsed = Node::parse(pack.yaml).expect("built-in YAML is valid");
            assert!(Node::from(pack.tree) == parsed, "{} differs", pack.file);
        }
    }

    #[test]
    fn stored_regex_facts_are_those_worked_out_now() {
        assert!(
            REGEX_FACTS.len() > 20,
            "the built-in packs' regexes are all there"
        );
        assert!(
            REGEX_FACTS.is_sorted_by(|a, b| a.0 < b.0),
            "sorted, without repeats"
        );
        for (source, _) in REGEX_FACTS {
            assert_eq!(regex_facts(source), Facts::of(source).ok(), "{source}");
        }
    }
}
