//! Parses the built-in rule packs (`rules/*.yaml`) when citelint is built and writes each
//! as a stored YAML tree (JSON), so that a run starts without reading any YAML for them.
//! A pack that is not valid YAML fails the build, naming the file, line and column.

#[allow(dead_code)]
#[path = "src/yaml.rs"]
mod yaml;

use std::fmt::Write as _;
use std::path::Path;

/// The built-in packs, in the order they are loaded (and listed).
const PACKS: &[&str] = &[
    "sciencex",
    "the-conversation",
    "front-matter",
    "wire-credit",
    "cc-by",
    "retrieval-styles",
    "wikipedia-cs1",
];

fn main() {
    println!("cargo::rerun-if-changed=src/yaml.rs");
    println!("cargo::rerun-if-changed=rules");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let mut list = String::from("&[\n");
    for name in PACKS {
        let source = Path::new(&manifest)
            .join("rules")
            .join(format!("{name}.yaml"));
        println!("cargo::rerun-if-changed={}", source.display());
        let text = std::fs::read_to_string(&source)
            .unwrap_or_else(|e| panic!("{}: cannot read: {e}", source.display()));
        let node = yaml::Node::parse(&text).unwrap_or_else(|e| {
            let at = e.loc.map(|l| l.to_string()).unwrap_or_default();
            panic!("rules/{name}.yaml:{at}: invalid YAML: {}", e.message)
        });
        let stored = serde_json::to_string(&yaml::Stored::from(&node)).expect("a tree serialises");
        let stored_path = Path::new(&out).join(format!("{name}.json"));
        std::fs::write(&stored_path, stored)
            .unwrap_or_else(|e| panic!("{}: cannot write: {e}", stored_path.display()));
        writeln!(
            list,
            "    BuiltinPack {{ file: \"{name}.yaml\", yaml: include_str!({source:?}), tree: include_str!({stored_path:?}) }},",
        )
        .expect("writing to a string");
    }
    list.push_str("]\n");
    std::fs::write(Path::new(&out).join("builtin_packs.rs"), list).expect("OUT_DIR is writable");
}
