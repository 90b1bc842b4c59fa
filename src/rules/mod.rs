//! Rule packs: YAML files of fields and rules, compiled once into a [`RuleSet`].
//!
//! This module knows nothing of files on disk; it compiles YAML text it is handed. A pack
//! declares when it applies, the fields it extracts and its rules; each rule names a
//! [kind](kinds) whose options are decoded strictly, with errors at the YAML line:column.

pub mod condition;
pub mod error;
pub mod examples;
pub mod field;
pub mod gate;
pub mod group_resolver;
pub mod kinds;
pub mod line_scan;
pub mod literal_search;
pub mod notice;
pub mod per_thread;
pub mod regex_facts;
pub mod region;
pub mod table;
pub mod teddy_plan;
pub mod template;

use condition::{AppliesTo, When};
use error::{RuleError, suggestion};
use field::Schema;
use kinds::{Check, Kind};
use line_scan::{LazyLines, LineScan};
use table::{Located, Precompile, Table};
use template::Template;

use crate::diagnostic::Severity;
use crate::yaml::{Loc, Node, NodeValue};

/// One rule: its id, level, message and compiled check.
#[derive(Debug)]
pub struct Rule {
    /// `pack/name`.
    pub id: String,
    /// The level the rule file gives it.
    pub level: Severity,
    /// The level in force after configuration; `None` when the rule is turned off.
    pub effective: Option<Severity>,
    /// The kind's name.
    pub kind: &'static str,
    /// One line for listings.
    pub summary: String,
    /// The rule's documentation (why it matters, where the requirement comes from).
    pub doc: Option<String>,
    /// Where the rule was declared.
    pub loc: Loc,
    /// Where to read more about the requirement (SARIF `helpUri`), if given.
    pub url: Option<String>,
    pub(crate) message: Template,
    pub(crate) help: Option<Template>,
    pub(crate) when: Vec<When>,
    pub(crate) applies_to: Option<AppliesTo>,
    pub(crate) check: Box<dyn Check>,
    /// Documents the rule must pass and must flag.
    pub examples: examples::Examples,
}

/// A pack: rules that apply to one kind of article.
#[derive(Debug)]
pub struct Pack {
    /// The pack's name, the prefix of its rule ids.
    pub name: String,
    /// What the pack is for.
    pub description: String,
    /// The file it came from.
    pub source: String,
    /// Whether the pack is turned on.
    pub enabled: bool,
    /// Where to read more about the pack's requirements, if given.
    pub url: Option<String>,
    /// Its rules, in file order.
    pub rules: Vec<Rule>,
    pub(crate) applies_to: Option<AppliesTo>,
    pub(crate) schema: Schema,
    /// One search for the literals of its regexes that match within a line, if it has
    /// such regexes (see [`line_scan`]).
    pub(crate) line_scan: Option<LineScan>,
    /// A document that passes every rule of the pack, and how it is read.
    pub example: Option<(String, crate::document::Format)>,
    /// One search that stands in for several rules' own, if the pack has such rules.
    pub(crate) screen: Option<Screen>,
}

/// One search standing in for the searches of several rules: the union of the regexes
/// that must match a document's text view for those rules to find anything (a
/// `forbidden` pattern without a region: [`Check::needs_match`]). A document the union
/// does not match, as most do, skips those rules; the others run as they would anyway.
#[derive(Debug)]
pub(crate) struct Screen {
    /// Matches wherever any of the screened rules' regexes does.
    pub union: table::LazyRegex,
    /// Whether each rule of the pack, in order, is screened.
    pub screened: Vec<bool>,
}

impl Screen {
    /// The screen of `rules`, if two or more need a match of a regex that can join a
    /// union (every match starts with a literal, no named groups).
    fn of(rules: &[Rule]) -> Option<Screen> {
        let needs: Vec<Option<&table::LazyRegex>> = rules
            .iter()
            .map(|rule| rule.check.needs_match().filter(|regex| regex.unionable()))
            .collect();
        let parts: Vec<&table::LazyRegex> = needs.iter().flatten().copied().collect();
        Some(Screen {
            union: table::LazyRegex::any_of(&parts)?,
            screened: needs.iter().map(Option::is_some).collect(),
        })
    }
}

impl Pack {
    /// Whether any of its rules is on. `--select` and `--ignore` turn rules off for good
    /// (no per-directory setting turns them back on), so a pack without one never runs.
    pub fn has_live_rules(&self) -> bool {
        self.rules.iter().any(|r| r.effective.is_some())
    }

    /// Whether the pack applies to `doc`. A pack without `applies_to` applies to every
    /// document.
    pub fn applies_to(&self, doc: &crate::document::Document) -> bool {
        self.applies_to.as_ref().is_none_or(|a| a.matches(doc))
    }

    /// The lines of `doc`'s text view its [`LineScan`] finds, scanned on first use; `None`
    /// if the pack has no line scan. (A check takes them from the rule set's search of
    /// the document instead: [`RuleSet::pack_lines`].)
    pub fn lines<'a>(&'a self, doc: &'a crate::document::Document) -> Option<LazyLines<'a>> {
        let scan = self.line_scan.as_ref()?;
        Some(LazyLines::new(scan, doc.view().text()))
    }

    /// [`applies_to`](Self::applies_to), with the [`lines`](Self::lines) of `doc`.
    pub fn applies_to_in(
        &self,
        doc: &crate::document::Document,
        lines: Option<&LazyLines>,
    ) -> bool {
        self.applies_to
            .as_ref()
            .is_none_or(|a| a.matches_in(doc, lines))
    }

    /// Why the pack applies to `doc` (`None`: it does not).
    pub fn applies(&self, doc: &crate::document::Document) -> Option<String> {
        match &self.applies_to {
            None => Some("the pack has no applies_to".to_string()),
            Some(condition) => condition.explain(doc),
        }
    }

    /// Calls `f` on every regex the pack's fields and rules use once it applies.
    pub fn regexes_to_compile<'a>(&'a self, f: &mut dyn FnMut(&'a dyn Precompile)) {
        self.schema.for_each_regex(f);
        if let Some(screen) = &self.screen {
            f(&screen.union);
        }
        for rule in &self.rules {
            if let Some(applies_to) = &rule.applies_to {
                applies_to.for_each_regex(f);
            }
            for when in &rule.when {
                when.regexes(f);
            }
            rule.check.regexes(f);
        }
    }

    /// Every regex the pack searches a document with: its `applies_to` content patterns
    /// and its fields' patterns (for comparing with other tools, such as ripgrep).
    pub fn regexes(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(applies_to) = &self.applies_to {
            applies_to.regexes(&mut out);
        }
        out.extend(self.schema.regexes());
        out
    }
}

/// A rule of citelint itself, about the input rather than an article's obligations.
#[derive(Debug, Clone)]
pub struct MetaRule {
    /// `citelint/…`.
    pub id: &'static str,
    /// Its default level.
    pub level: Severity,
    /// Its level after configuration; `None` when off.
    pub effective: Option<Severity>,
    /// One line for listings.
    pub summary: &'static str,
}

/// citelint's own rules.
pub const META_RULES: &[(&str, Severity, &str)] = &[
    (
        "citelint/front-matter-syntax",
        Severity::Error,
        "The front matter cannot be parsed as YAML or TOML.",
    ),
    (
        "citelint/invalid-suppression",
        Severity::Error,
        "A suppression directive names a rule or pack that does not exist.",
    ),
    (
        "citelint/unused-suppression",
        Severity::Warning,
        "A suppression directive suppressed nothing; remove it.",
    ),
];

/// Every loaded pack, and citelint's own rules.
#[derive(Debug)]
pub struct RuleSet {
    packs: Vec<Pack>,
    meta: Vec<MetaRule>,
    /// One search for the literals the packs' `applies_to` require (built on first use).
    gates: std::sync::OnceLock<gate::Gates>,
}

impl Default for RuleSet {
    fn default() -> Self {
        RuleSet {
            packs: Vec::new(),
            meta: META_RULES
                .iter()
                .map(|&(id, level, summary)| MetaRule {
                    id,
                    level,
                    effective: Some(level),
                    summary,
                })
                .collect(),
            gates: std::sync::OnceLock::new(),
        }
    }
}

/// The keys every rule may have, whatever its kind.
const COMMON_KEYS: &[&str] = &[
    "id",
    "kind",
    "level",
    "message",
    "help",
    "summary",
    "doc",
    "when",
    "applies_to",
    "examples",
];

impl RuleSet {
    /// An empty rule set.
    pub fn new() -> RuleSet {
        RuleSet::default()
    }

    /// The built-in packs (embedded in the binary).
    ///
    /// Their trees and regex facts were worked out when citelint was built; the packs are
    /// compiled from them in parallel and added in their fixed order.
    pub fn builtin() -> Result<RuleSet, Vec<RuleError>> {
        use rayon::prelude::*;
        let compiled: Vec<(String, Result<Pack, Vec<RuleError>>)> = crate::builtin::PACKS
            .par_iter()
            .map(|builtin| {
                let file = format!("<builtin>/{}", builtin.file);
                let pack = compile_pack_node(&file, &Node::from(builtin.tree))
                    .map_err(|errors| in_file(&file, errors));
                (file, pack)
            })
            .collect();
        let mut set = RuleSet::new();
        for (file, pack) in compiled {
            set.add_pack(&file, pack?)?;
        }
        Ok(set)
    }

    /// Compiles one pack file and adds it. `file` names it in errors. Every error in the
    /// file is returned, not just the first.
    pub fn add_yaml(&mut self, file: &str, text: &str) -> Result<(), Vec<RuleError>> {
        let pack = compile_pack_file(file, text)?;
        self.add_pack(file, pack)
    }

    /// Adds a compiled pack, unless one of the same name is already loaded.
    fn add_pack(&mut self, file: &str, pack: Pack) -> Result<(), Vec<RuleError>> {
        if let Some(existing) = self.packs.iter().find(|p| p.name == pack.name) {
            return Err(vec![RuleError {
                file: file.to_string(),
                loc: None,
                message: format!(
                    "pack `{}` is already loaded from {}",
                    pack.name, existing.source
                ),
                help: Some("give the pack another name".to_string()),
            }]);
        }
        self.packs.push(pack);
        self.gates = std::sync::OnceLock::new();
        Ok(())
    }

    /// The packs that may apply to `doc`, from one search of its text view for the
    /// literals their `applies_to` conditions require (see [`gate`]). A pack it rules out
    /// does not apply; any other is decided by its condition. The search also finds the
    /// lines the packs' line scans look for ([`pack_lines`](Self::pack_lines)).
    pub fn open_packs(&self, doc: &crate::document::Document) -> gate::OpenPacks {
        self.gates().open(doc.view().text())
    }

    /// The lines of `doc` the line scan of the pack at `index` looks for: taken from
    /// `open` (the rule set's search of `doc`) when that search looked for them, else
    /// found by the pack's own scan on first use. `None` if the pack has no line scan.
    pub fn pack_lines<'a>(
        &'a self,
        open: &'a gate::OpenPacks,
        index: usize,
        doc: &'a crate::document::Document,
    ) -> Option<LazyLines<'a>> {
        match open.lines_for(self.gates(), index) {
            Some(shared) => Some(LazyLines::shared(shared, doc.view().text())),
            None => self.packs.get(index)?.lines(doc),
        }
    }

    fn gates(&self) -> &gate::Gates {
        self.gates.get_or_init(|| gate::Gates::new(&self.packs))
    }

    /// The packs, in load order.
    pub fn packs(&self) -> &[Pack] {
        &self.packs
    }

    /// Every rule with its pack.
    pub fn rules(&self) -> impl Iterator<Item = (&Pack, &Rule)> {
        self.packs
            .iter()
            .flat_map(|p| p.rules.iter().map(move |r| (p, r)))
    }

    /// The rule with id `id`.
    pub fn find(&self, id: &str) -> Option<(&Pack, &Rule)> {
        self.rules().find(|(_, r)| r.id == id)
    }

    /// citelint's own rules.
    pub fn meta_rules(&self) -> &[MetaRule] {
        &self.meta
    }

    /// The level in force for one of citelint's own rules.
    pub fn meta_level(&self, id: &str) -> Option<Severity> {
        self.meta
            .iter()
            .find(|m| m.id == id)
            .and_then(|m| m.effective)
    }

    /// Every rule id and pack name, for suggestions.
    fn selectors(&self) -> Vec<&str> {
        self.packs
            .iter()
            .map(|p| p.name.as_str())
            .chain(self.rules().map(|(_, r)| r.id.as_str()))
            .chain(self.meta.iter().map(|m| m.id))
            .chain(std::iter::once("citelint"))
            .collect()
    }

    /// Whether `selector` names a pack or rule (including citelint's own).
    pub fn is_selector(&self, selector: &str) -> bool {
        self.selectors().contains(&selector)
    }

    /// Checks that `selector` is a pack name or a rule id.
    pub fn validate_selector(&self, selector: &str) -> Result<(), String> {
        let selectors = self.selectors();
        if selectors.contains(&selector) {
            Ok(())
        } else {
            Err(format!(
                "unknown rule or pack `{selector}`; {}",
                suggestion(selector, &selectors)
            ))
        }
    }

    fn matching(&mut self, selector: &str) -> impl Iterator<Item = &mut Rule> {
        let selector = selector.to_string();
        self.packs.iter_mut().flat_map(move |p| {
            let whole = p.name == selector;
            let selector = selector.clone();
            p.rules
                .iter_mut()
                .filter(move |r| whole || r.id == selector)
        })
    }

    /// Keeps only the rules matched by one of `selectors` (rule ids or pack names).
    pub fn select(&mut self, selectors: &[String]) -> Result<(), String> {
        for s in selectors {
            self.validate_selector(s)?;
        }
        for pack in &mut self.packs {
            for rule in &mut pack.rules {
                let keep = selectors.iter().any(|s| *s == pack.name || *s == rule.id);
                if !keep {
                    rule.effective = None;
                }
            }
        }
        for meta in &mut self.meta {
            if !selectors.iter().any(|s| s == "citelint" || s == meta.id) {
                meta.effective = None;
            }
        }
        // Packs left without a rule on no longer need searching for.
        self.gates = std::sync::OnceLock::new();
        Ok(())
    }

    /// Sets the level of the rules `selector` matches; `None` turns them off.
    pub fn set_level(&mut self, selector: &str, level: Option<Severity>) -> Result<(), String> {
        self.validate_selector(selector)?;
        for rule in self.matching(selector) {
            rule.effective = level;
        }
        self.gates = std::sync::OnceLock::new();
        for meta in &mut self.meta {
            if selector == "citelint" || selector == meta.id {
                meta.effective = level;
            }
        }
        Ok(())
    }

    /// Turns a pack on or off.
    pub fn set_pack_enabled(&mut self, name: &str, enabled: bool) -> Result<(), String> {
        let Some(pack) = self.packs.iter_mut().find(|p| p.name == name) else {
            let names: Vec<&str> = self.packs.iter().map(|p| p.name.as_str()).collect();
            return Err(format!(
                "unknown pack `{name}`; {}",
                suggestion(name, &names)
            ));
        };
        pack.enabled = enabled;
        Ok(())
    }
}

/// Compiles one pack file, every error naming `file`.
fn compile_pack_file(file: &str, text: &str) -> Result<Pack, Vec<RuleError>> {
    compile_pack(file, text).map_err(|errors| in_file(file, errors))
}

/// `errors`, each naming `file`.
fn in_file(file: &str, errors: Vec<RuleError>) -> Vec<RuleError> {
    errors.into_iter().map(|e| e.in_file(file)).collect()
}

fn compile_pack(file: &str, text: &str) -> Result<Pack, Vec<RuleError>> {
    let node = Node::parse(text).map_err(|e| {
        vec![RuleError {
            file: file.to_string(),
            loc: e.loc,
            message: format!("invalid YAML: {}", e.message),
            help: None,
        }]
    })?;
    compile_pack_node(file, &node)
}

fn compile_pack_node(file: &str, node: &Node) -> Result<Pack, Vec<RuleError>> {
    let mut table = Table::new(node, "a rule file").map_err(|e| vec![e])?;
    let one = |e: RuleError| vec![e];
    let name = table.require_string("pack").map_err(one)?;
    if !valid_id(&name.value) {
        return Err(vec![RuleError::at(
            name.loc,
            format!("invalid pack name `{}`: use a-z, 0-9 and -", name.value),
        )]);
    }
    let description = table
        .string("description")
        .map_err(one)?
        .map(|d| d.value)
        .unwrap_or_default();
    let url = table.string("url").map_err(one)?.map(|u| u.value);
    let example = table.string("example").map_err(one)?.map(|e| e.value);
    let example_format = match table.string("example_format").map_err(one)? {
        None => crate::document::Format::Text,
        Some(name) => table::format(&name).map_err(one)?,
    };
    let mut applies_to = table
        .get("applies_to")
        .map(AppliesTo::compile)
        .transpose()
        .map_err(one)?;
    let mut schema = Schema::compile(table.get("fields")).map_err(one)?;
    let rules_node = table.get("rules");
    table.finish().map_err(one)?;

    let mut errors = Vec::new();
    let mut rules: Vec<Rule> = Vec::new();
    match rules_node.map(|n| &n.value) {
        Some(NodeValue::Seq(items)) => {
            for item in items {
                match compile_rule(&name.value, item, &schema) {
                    Ok(rule) => {
                        if rules.iter().any(|r| r.id == rule.id) {
                            errors.push(RuleError::at(
                                rule.loc,
                                format!("rule `{}` is declared twice", rule.id),
                            ));
                        } else {
                            rules.push(rule);
                        }
                    }
                    Err(mut more) => errors.append(&mut more),
                }
            }
        }
        Some(_) => errors.push(RuleError::at(
            rules_node.map(|n| n.loc).unwrap_or_default(),
            "`rules` must be a list of rules",
        )),
        None => {}
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut screen = Screen::of(&rules);
    // The regexes searched over the whole text view that one scan can stand in for.
    let mut line_regexes = Vec::new();
    if let Some(condition) = &mut applies_to {
        condition.view_regexes_mut(&mut line_regexes);
    }
    schema.view_regexes_mut(&mut line_regexes);
    if let Some(screen) = &mut screen {
        line_regexes.push(&mut screen.union);
    }
    let line_scan = LineScan::new(line_regexes);
    Ok(Pack {
        name: name.value,
        description,
        source: file.to_string(),
        enabled: true,
        url,
        screen,
        rules,
        applies_to,
        schema,
        line_scan,
        example: example.map(|e| (e, example_format)),
    })
}

fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Compiles one rule, reporting every problem found in it (not just the first).
fn compile_rule(pack: &str, node: &Node, schema: &Schema) -> Result<Rule, Vec<RuleError>> {
    let mut table = Table::new(node, "rule").map_err(|e| vec![e])?;
    let id = table.require_string("id").map_err(|e| vec![e])?;
    let short = id
        .value
        .strip_prefix(&format!("{pack}/"))
        .unwrap_or(&id.value);
    if !valid_id(short) {
        return Err(vec![RuleError::at(
            id.loc,
            format!(
                "invalid rule id `{}`: use a-z, 0-9 and - (the pack name is added for you)",
                id.value
            ),
        )]);
    }
    let full_id = format!("{pack}/{short}");
    let kind_name = table.require_string("kind").map_err(|e| vec![e])?;
    let kind: &Kind = kinds::find(&kind_name.value).ok_or_else(|| {
        let names: Vec<&str> = kinds::KINDS.iter().map(|k| k.name).collect();
        vec![
            RuleError::at(
                kind_name.loc,
                format!("unknown rule kind `{}`", kind_name.value),
            )
            .with_help(suggestion(&kind_name.value, &names)),
        ]
    })?;
    let mut errors = Vec::new();
    let level = keep(
        &mut errors,
        table.string("level").and_then(|level| match level {
            None => Ok(Severity::Error),
            Some(level) => Severity::from_name(&level.value).ok_or_else(|| {
                RuleError::at(level.loc, format!("invalid level `{}`", level.value))
                    .with_help(suggestion(&level.value, Severity::NAMES))
            }),
        }),
    );
    let message_text: Option<Located<String>> = keep(&mut errors, table.string("message").and_then(|m| {
        m.ok_or_else(|| {
            RuleError::at(node.loc, format!("rule `{full_id}` has no `message`"))
                .with_help("say what is wrong and what the text should look like; `{field}` placeholders are filled in")
        })
    }));
    let message = message_text
        .as_ref()
        .and_then(|text| keep(&mut errors, Template::compile(text, schema, kind.vars)));
    let help = keep(
        &mut errors,
        table.string("help").and_then(|h| {
            h.map(|h| Template::compile(&h, schema, kind.vars))
                .transpose()
        }),
    );
    let doc = keep(&mut errors, table.string("doc"))
        .flatten()
        .map(|d| d.value);
    let summary = keep(&mut errors, table.string("summary"))
        .flatten()
        .map(|s| s.value);
    let url = keep(&mut errors, table.string("url"))
        .flatten()
        .map(|u| u.value);
    let when = keep(&mut errors, When::compile_list(table.get("when"), schema));
    let applies_to = keep(
        &mut errors,
        table.get("applies_to").map(AppliesTo::compile).transpose(),
    );
    let rule_examples = keep(
        &mut errors,
        examples::Examples::compile(table.get("examples")),
    );
    let check = keep(&mut errors, (kind.compile)(&mut table, schema));
    for key in COMMON_KEYS {
        table.get(key);
    }
    keep(&mut errors, table.finish());
    if !errors.is_empty() {
        return Err(errors);
    }
    let (
        Some(level),
        Some(message_text),
        Some(message),
        Some(help),
        Some(when),
        Some(applies_to),
        Some(check),
    ) = (level, message_text, message, help, when, applies_to, check)
    else {
        return Err(errors);
    };
    let summary = summary
        .or_else(|| {
            doc.as_ref().and_then(|d| {
                d.lines()
                    .find(|l| !l.trim().is_empty())
                    .map(|l| l.trim().to_string())
            })
        })
        .unwrap_or(message_text.value);
    Ok(Rule {
        id: full_id,
        level,
        effective: Some(level),
        kind: kind.name,
        summary,
        doc,
        loc: id.loc,
        url,
        message,
        help,
        when,
        applies_to,
        check,
        examples: rule_examples.unwrap_or_default(),
    })
}

/// The value of `result`, or `None` after recording its error in `errors`.
fn keep<T>(errors: &mut Vec<RuleError>, result: Result<T, RuleError>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

/// Every fixture file under `fixtures/` that is UTF-8 text, with its path (for tests that
/// check a property over all of them).
#[cfg(test)]
pub(crate) fn fixture_texts() -> Vec<(std::path::PathBuf, String)> {
    let mut folders = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")];
    let mut texts = Vec::new();
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("a fixtures folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                folders.push(path);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                texts.push((path, text));
            }
        }
    }
    texts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(yaml: &str) -> Vec<String> {
        let mut set = RuleSet::new();
        match set.add_yaml("test.yaml", yaml) {
            Ok(()) => Vec::new(),
            Err(errors) => errors.iter().map(|e| e.to_string()).collect(),
        }
    }

    const FIELDS: &str = "pack: demo\nfields:\n  headline: {kind: headline}\nrules:\n";

    #[test]
    fn misspelt_message_reports_both_problems() {
        let errors = errors(&format!(
            "{FIELDS}  - id: a\n    kind: required\n    field: headline\n    mesage: hi\n"
        ));
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].starts_with("test.yaml:5:5: rule `demo/a` has no `message`"),
            "{}",
            errors[0]
        );
        assert!(
            errors[1].starts_with("test.yaml:8:5: unknown key `mesage` in rule"),
            "{}",
            errors[1]
        );
        assert!(
            errors[1].contains("did you mean `message`?"),
            "{}",
            errors[1]
        );
    }

    #[test]
    fn typo_in_key_suggests_nearest() {
        let errors = errors(&format!(
            "{FIELDS}  - id: a\n    kind: required\n    field: headline\n    message: hi\n    regoin: {{first_lines: 2}}\n"
        ));
        assert!(
            errors[0].starts_with("test.yaml:9:5: unknown key `regoin` in rule"),
            "{}",
            errors[0]
        );
        assert!(
            errors[0].contains("did you mean `region`?"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn bad_regex_unknown_field_bad_level_are_located() {
        let errors = errors(&format!(
            "{FIELDS}  - id: a\n    kind: required\n    pattern: '(unclosed'\n    message: m\n  - id: b\n    kind: required\n    field: headlin\n    message: m\n  - id: c\n    kind: required\n    field: headline\n    level: errror\n    message: m\n"
        ));
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(
            errors[0].starts_with("test.yaml:7:14: invalid regular expression"),
            "{}",
            errors[0]
        );
        assert!(
            errors[1].starts_with("test.yaml:11:12: unknown field `headlin`"),
            "{}",
            errors[1]
        );
        assert!(errors[1].contains("did you mean `headline`?"));
        assert!(
            errors[2].starts_with("test.yaml:16:12: invalid level `errror`"),
            "{}",
            errors[2]
        );
    }

    #[test]
    fn unknown_placeholder_and_kind() {
        let errors = errors(&format!(
            "{FIELDS}  - id: a\n    kind: required\n    field: headline\n    message: 'missing {{headlne}}'\n  - id: b\n    kind: requird\n    message: m\n"
        ));
        assert!(
            errors[0].contains("unknown placeholder `{headlne}`"),
            "{}",
            errors[0]
        );
        assert!(
            errors[0].contains("did you mean `headline`?"),
            "{}",
            errors[0]
        );
        assert!(
            errors[1].contains("unknown rule kind `requird`"),
            "{}",
            errors[1]
        );
    }

    #[test]
    fn oversized_regex_is_located() {
        let errors = errors(&format!(
            "{FIELDS}  - id: a\n    kind: forbidden\n    pattern: '(?:\\w{{500}}){{500}}'\n    message: m\n"
        ));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("test.yaml:7:14: invalid regular expression"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn yaml_syntax_error_is_located() {
        let errors = errors("pack: demo\nrules: [\n");
        assert!(errors[0].starts_with("test.yaml:"), "{}", errors[0]);
        assert!(errors[0].contains("invalid YAML"), "{}", errors[0]);
    }

    #[test]
    fn builtin_packs_compile() {
        let set = RuleSet::builtin().unwrap_or_else(|e| panic!("{}", e[0]));
        assert!(set.rules().count() > 10);
    }
}
