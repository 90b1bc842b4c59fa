//! The built-in rule packs, embedded in the binary from `rules/`.
//!
//! `build.rs` parses each pack's YAML when citelint is built and embeds the tree, so
//! loading the built-in packs reads no YAML; the YAML text is embedded too, for display.

/// One built-in pack.
#[derive(Debug, Clone, Copy)]
pub struct BuiltinPack {
    /// Its file name under `rules/`.
    pub file: &'static str,
    /// The YAML as written.
    pub yaml: &'static str,
    /// The YAML tree, parsed at build time ([`crate::yaml::Stored`] as JSON).
    pub tree: &'static str,
}

/// Every built-in pack, in load order.
pub const PACKS: &[BuiltinPack] = include!(concat!(env!("OUT_DIR"), "/builtin_packs.rs"));

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Node, Stored};

    #[test]
    fn embedded_trees_are_the_yaml_as_parsed_now() {
        for pack in PACKS {
            let stored: Stored = serde_json::from_str(pack.tree).expect("a stored tree");
            let parsed = Node::parse(pack.yaml).expect("built-in YAML is valid");
            assert!(Node::from(stored) == parsed, "{} differs", pack.file);
        }
    }
}
