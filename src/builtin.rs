//! The built-in rule packs, embedded in the binary from `rules/`.

/// `(file name, YAML text)` of every built-in pack.
pub const PACKS: &[(&str, &str)] = &[
    ("sciencex.yaml", include_str!("../rules/sciencex.yaml")),
    (
        "the-conversation.yaml",
        include_str!("../rules/the-conversation.yaml"),
    ),
    (
        "front-matter.yaml",
        include_str!("../rules/front-matter.yaml"),
    ),
    (
        "wire-credit.yaml",
        include_str!("../rules/wire-credit.yaml"),
    ),
    ("cc-by.yaml", include_str!("../rules/cc-by.yaml")),
    (
        "retrieval-styles.yaml",
        include_str!("../rules/retrieval-styles.yaml"),
    ),
    (
        "wikipedia-cs1.yaml",
        include_str!("../rules/wikipedia-cs1.yaml"),
    ),
];
