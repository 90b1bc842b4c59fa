//! Parses the built-in rule packs (`rules/*.yaml`) when citelint is built and writes each
//! tree as Rust data (`yaml::StaticNode`), so that a run starts without reading any YAML
//! (or anything else) for them.
//! A pack that is not valid YAML fails the build, naming the file, line and column.
//!
//! It also works out the facts of every regex the packs write (named groups, leading and
//! required literals; see `src/rules/regex_facts.rs`), so loading them parses no regex.
//! A regex that is not valid fails the build the same way.
//!
//! Last, it names the build (`CITELINT_BUILD_ID`) for `check --cache`.

#[allow(dead_code)]
#[path = "src/yaml.rs"]
mod yaml;

#[path = "src/rules/regex_facts.rs"]
mod regex_facts;

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
    println!("cargo::rerun-if-changed=src/rules/regex_facts.rs");
    println!("cargo::rerun-if-changed=rules");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let mut list = String::from("&[\n");
    let mut facts = std::collections::BTreeMap::new();
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
        regex_facts_of(&node, name, &mut facts);
        let mut tree = String::new();
        node.to_static_rust(&mut tree);
        let tree_path = Path::new(&out).join(format!("{name}.rs"));
        std::fs::write(&tree_path, tree)
            .unwrap_or_else(|e| panic!("{}: cannot write: {e}", tree_path.display()));
        writeln!(
            list,
            "    BuiltinPack {{ file: \"{name}.yaml\", yaml: include_str!({source:?}), tree: &include!({tree_path:?}) }},",
        )
        .expect("writing to a string");
    }
    list.push_str("]\n");
    std::fs::write(Path::new(&out).join("builtin_packs.rs"), list).expect("OUT_DIR is writable");
    std::fs::write(
        Path::new(&out).join("builtin_regex_facts.rs"),
        facts_table(&facts),
    )
    .expect("OUT_DIR is writable");
    build_id(Path::new(&manifest));
}

/// Sets `CITELINT_BUILD_ID`: a hash of what the binary is built from (the sources, the
/// packs, the manifest, the lock file and the compiler's version). A cache made by one
/// build is then never read by another, while two installs of the same source (a CI job's
/// `cargo install` every run) share one. Not a security boundary: whoever can change the
/// sources controls the binary anyway.
fn build_id(manifest: &Path) {
    use std::hash::{Hash, Hasher};
    fn files_under(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                files_under(&path, files);
            } else {
                files.push(path);
            }
        }
    }
    let mut files = Vec::new();
    for dir in ["src", "rules"] {
        println!("cargo::rerun-if-changed={dir}");
        files_under(&manifest.join(dir), &mut files);
    }
    for file in ["Cargo.toml", "Cargo.lock", "build.rs"] {
        println!("cargo::rerun-if-changed={file}");
        files.push(manifest.join(file));
    }
    files.sort();
    let mut hasher = std::hash::DefaultHasher::new();
    for file in &files {
        // A file that cannot be read (no lock file in a published crate) counts as empty.
        let bytes = std::fs::read(file).unwrap_or_default();
        file.strip_prefix(manifest)
            .unwrap_or(file)
            .hash(&mut hasher);
        bytes.hash(&mut hasher);
    }
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let version = std::process::Command::new(rustc)
        .arg("--version")
        .output()
        .map(|o| o.stdout)
        .unwrap_or_default();
    version.hash(&mut hasher);
    println!(
        "cargo::rustc-env=CITELINT_BUILD_ID={:016x}",
        hasher.finish()
    );
}

/// Works out the facts of every scalar under a regex key in `node`, into `facts`.
fn regex_facts_of(
    node: &yaml::Node,
    pack: &str,
    facts: &mut std::collections::BTreeMap<String, regex_facts::Facts>,
) {
    match &node.value {
        yaml::NodeValue::Seq(items) => items.iter().for_each(|n| regex_facts_of(n, pack, facts)),
        yaml::NodeValue::Map(entries) => {
            for (key, value) in entries {
                match value.as_scalar() {
                    Some(source) if regex_facts::REGEX_KEYS.contains(&key.name.as_ref()) => {
                        let found = regex_facts::Facts::of(source).unwrap_or_else(|e| {
                            let last = e.lines().last().unwrap_or_default().trim();
                            panic!(
                                "rules/{pack}.yaml:{}: invalid regular expression: {last}",
                                value.loc
                            )
                        });
                        facts.insert(source.to_string(), found);
                    }
                    _ => regex_facts_of(value, pack, facts),
                }
            }
        }
        _ => {}
    }
}

/// The facts as a Rust slice of `(source, StoredFacts)`, sorted by source.
fn facts_table(facts: &std::collections::BTreeMap<String, regex_facts::Facts>) -> String {
    let mut table = String::from("&[\n");
    for (source, facts) in facts {
        let literals = |set: &Option<Vec<Vec<u8>>>| match set {
            Some(literals) => {
                let literals: Vec<String> = literals.iter().map(|l| byte_string(l)).collect();
                format!("Some(&[{}])", literals.join(", "))
            }
            None => "None".to_string(),
        };
        writeln!(
            table,
            "    ({source:?}, StoredFacts {{ groups: &{:?}, large_repetition: {}, leading: {}, required: {}, to_line_end: {}, single_line: {}, starts_line: {}, line_anchors: {}, text_anchors: {}, line_literal: {}, word_literal: {} }}),",
            facts.groups,
            facts.large_repetition,
            literals(&facts.leading),
            literals(&facts.required),
            match &facts.to_line_end {
                Some(rest) => format!("Some(({:?}, {}))", rest.head, rest.stops_at_cr),
                None => "None".to_string(),
            },
            facts.single_line,
            facts.starts_line,
            facts.line_anchors,
            facts.text_anchors,
            match &facts.line_literal {
                Some(literal) => format!("Some({})", byte_string(literal)),
                None => "None".to_string(),
            },
            match &facts.word_literal {
                Some((literal, unicode)) => format!("Some(({}, {unicode}))", byte_string(literal)),
                None => "None".to_string(),
            },
        )
        .expect("writing to a string");
    }
    table.push_str("]\n");
    table
}

/// `bytes` as a Rust byte string literal (`b"..."`).
fn byte_string(bytes: &[u8]) -> String {
    let escaped: String = bytes
        .iter()
        .flat_map(|&b| std::ascii::escape_default(b))
        .map(char::from)
        .collect();
    format!("b\"{escaped}\"")
}
