//! Strict, located reading of YAML mappings: every key a reader asks for is remembered,
//! so whatever is left over is reported as unknown, with the nearest known key suggested.

use std::collections::HashMap;

use regex::Regex;

use super::error::{RuleError, suggestion};
use super::group_resolver::{GroupResolver, LazyResolver};
use super::literal_search::{LiteralSearch, MIN_SELECTIVE_LEN, is_rare_short};
use super::per_thread::PerThread;
use super::regex_facts::{
    Facts, MAX_REQUIRED_LITERALS, REGEX_KEYS, ToLineEnd, minimal_literals, selectivity,
};
use crate::position::Span;
use crate::yaml::{Key, Loc, Node, NodeValue};

/// A value with the place it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub loc: Loc,
}

/// A YAML mapping being read key by key.
pub struct Table<'a> {
    loc: Loc,
    what: &'a str,
    entries: &'a [(Key, Node)],
    known: Vec<&'static str>,
}

impl<'a> Table<'a> {
    /// Reads `node` as a mapping; `what` names it in messages ("rule", "field `x`").
    pub fn new(node: &'a Node, what: &'a str) -> Result<Table<'a>, RuleError> {
        match &node.value {
            NodeValue::Map(entries) => Ok(Table {
                loc: node.loc,
                what,
                entries,
                known: Vec::new(),
            }),
            _ => Err(RuleError::at(
                node.loc,
                format!("{what} must be a mapping, found {}", node.shape()),
            )),
        }
    }

    /// Where the mapping starts.
    pub fn loc(&self) -> Loc {
        self.loc
    }

    /// The keys present, in order.
    pub fn keys(&self) -> impl Iterator<Item = &'a Key> {
        self.entries.iter().map(|(k, _)| k)
    }

    /// The node under `key`, if present; marks `key` as known.
    pub fn get(&mut self, key: &'static str) -> Option<&'a Node> {
        self.known.push(key);
        self.entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(_, v)| v)
    }

    /// The node under `key`, which must be present.
    pub fn require(&mut self, key: &'static str) -> Result<&'a Node, RuleError> {
        self.get(key).ok_or_else(|| {
            RuleError::at(
                self.loc,
                format!("{} is missing the required key `{key}`", self.what),
            )
        })
    }

    /// A string under `key`, if present.
    pub fn string(&mut self, key: &'static str) -> Result<Option<Located<String>>, RuleError> {
        self.get(key).map(|n| scalar(n, key)).transpose()
    }

    /// A string under `key`, which must be present.
    pub fn require_string(&mut self, key: &'static str) -> Result<Located<String>, RuleError> {
        let node = self.require(key)?;
        scalar(node, key)
    }

    /// A list of strings under `key` (a single string counts as a list of one).
    pub fn strings(&mut self, key: &'static str) -> Result<Vec<Located<String>>, RuleError> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(node) => strings(node, key),
        }
    }

    /// A boolean under `key`, if present.
    pub fn boolean(&mut self, key: &'static str) -> Result<Option<bool>, RuleError> {
        let Some(node) = self.get(key) else {
            return Ok(None);
        };
        match node.as_scalar() {
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            _ => Err(RuleError::at(
                node.loc,
                format!("`{key}` must be true or false"),
            )),
        }
    }

    /// A non-negative whole number under `key`, if present.
    pub fn number(&mut self, key: &'static str) -> Result<Option<usize>, RuleError> {
        let Some(node) = self.get(key) else {
            return Ok(None);
        };
        node.as_scalar()
            .and_then(|s| s.parse().ok())
            .map(Some)
            .ok_or_else(|| RuleError::at(node.loc, format!("`{key}` must be a whole number ≥ 0")))
    }

    /// A regular expression under `key` (one of [`REGEX_KEYS`]), if present.
    pub fn regex(&mut self, key: &'static str) -> Result<Option<Located<LazyRegex>>, RuleError> {
        debug_assert!(REGEX_KEYS.contains(&key), "`{key}` is not in REGEX_KEYS");
        self.string(key)?.map(|s| compile_regex(&s)).transpose()
    }

    /// A regular expression under `key` (one of [`REGEX_KEYS`]), which must be present.
    pub fn require_regex(&mut self, key: &'static str) -> Result<Located<LazyRegex>, RuleError> {
        debug_assert!(REGEX_KEYS.contains(&key), "`{key}` is not in REGEX_KEYS");
        compile_regex(&self.require_string(key)?)
    }

    /// Fails on the first key no reader asked for, suggesting the nearest known key.
    pub fn finish(self) -> Result<(), RuleError> {
        for (key, _) in self.entries {
            if !self.known.contains(&key.name.as_ref()) {
                let mut known = self.known.clone();
                known.sort_unstable();
                known.dedup();
                return Err(RuleError::at(
                    key.loc,
                    format!("unknown key `{}` in {}", key.name, self.what),
                )
                .with_help(suggestion(&key.name, &known)));
            }
        }
        Ok(())
    }
}

/// Reads a document format name (`text`, `markdown`, `html`).
pub fn format(name: &Located<String>) -> Result<crate::document::Format, RuleError> {
    crate::document::Format::from_name(&name.value).ok_or_else(|| {
        RuleError::at(name.loc, format!("unknown format `{}`", name.value))
            .with_help(suggestion(&name.value, crate::document::Format::NAMES))
    })
}

/// Reads a scalar node as a string.
pub fn scalar(node: &Node, key: &str) -> Result<Located<String>, RuleError> {
    match node.as_scalar() {
        Some(text) => Ok(Located {
            value: text.to_string(),
            loc: node.loc,
        }),
        None => Err(RuleError::at(
            node.loc,
            format!("`{key}` must be a string, found {}", node.shape()),
        )),
    }
}

/// Reads a string or a list of strings.
pub fn strings(node: &Node, key: &str) -> Result<Vec<Located<String>>, RuleError> {
    match &node.value {
        NodeValue::Seq(items) => items.iter().map(|n| scalar(n, key)).collect(),
        _ => Ok(vec![scalar(node, key)?]),
    }
}

/// A rule regex: checked when the rules load, compiled the first time it is used, so a
/// pack that never applies costs no compilation (an editor checking one file starts fast).
/// It dereferences to the compiled [`Regex`]. Matching is multi-line: `^`/`$` match at
/// line breaks, CRLF included.
pub struct LazyRegex {
    source: String,
    groups: Vec<String>,
    /// `None` when the pattern is beyond the compiled size limit.
    compiled: Compiled,
    /// The literals every match starts with, when few and selective.
    leading: Option<Vec<Vec<u8>>>,
    /// A search for the literals that rule a text out (built on first use).
    gate: std::sync::OnceLock<Option<LiteralSearch>>,
    /// Literals one of which every match contains, when few and selective.
    required: Option<Vec<Vec<u8>>>,
    /// The index of each named group in the compiled regex (worked out on first use).
    group_indexes: std::sync::OnceLock<Vec<usize>>,
    /// Set when every match runs on to the end of its line.
    to_line_end: Option<Box<LineEndHead>>,
    /// Resolves the groups of a match without the regex crate's backtracker, where the
    /// pattern's shape allows (built on first use; `None`: left to the regex crate).
    resolver: Box<LazyResolver>,
    /// Whether no match can hold a line break.
    single_line: bool,
    /// The literals of its pack's [`LineScan`] one of which every match holds (bit `i`:
    /// literal `i`); 0 when the regex is searched over the whole text.
    ///
    /// [`LineScan`]: super::line_scan::LineScan
    line_literals: u64,
    /// For a single-line regex every match of which starts a line: the search of a line
    /// from its start ([`LineStart`]).
    line_start: Option<Box<LineStart>>,
    /// For a regex with a multi-line `^` or `$`: its search of a haystack without a line
    /// break ([`OneLine`]).
    one_line: Option<Box<OneLine>>,
    /// Whether it searches a field's text rather than the document (a derived field's
    /// regex): most such texts are one line.
    searches_field_text: bool,
    /// For a literal between two word boundaries: whether a text matches, found without
    /// the regex ([`WordLiteral`]).
    word_literal: Option<Box<WordLiteral>>,
}

/// A regex that is a literal between two word boundaries ([`Facts::word_literal`],
/// `\bretrieved\b`), matched without the regex: a text matches where the literal stands
/// with no word character on either side (a Unicode one for `\b`, an ASCII letter, digit
/// or `_` for `(?-u:\b)`). Its literal starts and ends with a word byte, so a word
/// boundary at either end is a word character missing beyond it. The regex costs about
/// 600 instructions a search of a citation line, this one memmem search of the line and
/// two characters tested, and nothing to compile.
struct WordLiteral {
    literal: memchr::memmem::Finder<'static>,
    unicode: bool,
}

impl WordLiteral {
    /// Whether the literal stands in `text` as a word of its own.
    fn is_match(&self, text: &str) -> bool {
        let bytes = text.as_bytes();
        let len = self.literal.needle().len();
        let mut at = 0;
        // Each occurrence in turn, overlapping ones too (one may be a word where the one
        // it overlaps is not).
        while let Some(found) = self.literal.find(&bytes[at..]) {
            let start = at + found;
            if !self.is_word(text[..start].chars().next_back())
                && !self.is_word(text[start + len..].chars().next())
            {
                return true;
            }
            at = start + 1;
        }
        false
    }

    /// Whether `c` is a word character, as the boundaries read it.
    fn is_word(&self, c: Option<char>) -> bool {
        c.is_some_and(|c| {
            if self.unicode {
                regex_syntax::is_word_character(c)
            } else {
                c.is_ascii_alphanumeric() || c == '_'
            }
        })
    }
}

/// The search of a line for a single-line regex every match of which starts a line
/// ([`Facts::starts_line`]): on a line with no other line start in it, a match can only
/// start where the line does, so the regex is run anchored there, on the line alone.
/// The regex crate then neither looks for the regex's literals nor searches backwards
/// from them, and stops at the first byte that cannot go on: 80 ns instead of 250 for
/// the Science X disclaimer on its line, and no second search of the line after a match.
struct LineStart {
    /// `\A(?:…)` of the regex, or of its head for one that runs to the line end (then
    /// each match runs on to the line break), compiled on first use (`None`: beyond the
    /// compiled size limit).
    compiled: Compiled,
    /// The literal that follows the line's blanks in every match, for a regex that is
    /// nothing else ([`Facts::line_literal`]): a line is then read without the regex.
    literal: Option<Vec<u8>>,
}

/// The search of a haystack without a line break (a field's text, or a line searched
/// apart from the text around it) for a regex with a multi-line `^` or `$`
/// ([`Facts::line_anchors`]). There they are the haystack's own start and end, and the
/// regex compiled so finds the same matches; the regex crate can then anchor its search:
/// one that ends with `$` is searched backwards from the end of the haystack, rather than
/// forwards from each place it may start. The Science X citation's search of its line
/// takes 1 800 instructions instead of 4 600, the source URL's 1 000 instead of 2 600.
struct OneLine {
    /// Whether the regex has `\A` or `\z` too: a line is then searched so only when it
    /// is the whole haystack.
    text_anchors: bool,
    /// The regex with `^` and `$` as `\A` and `\z`, compiled on first use (`None`:
    /// beyond the compiled size limit).
    compiled: Compiled,
}

impl OneLine {
    /// The regex of `source` with `^` and `$` as the haystack's start and end, compiled
    /// now if it was not.
    fn regex(&self, source: &str) -> Option<&Regex> {
        this_thread(&self.compiled, || {
            LazyRegex::build(&format!("(?-m:{source})")).ok()
        })
    }
}

/// The head of a regex that runs to the end of its line ([`ToLineEnd`]).
struct LineEndHead {
    rest: ToLineEnd,
    /// The head, compiled on first use (`None`: beyond the compiled size limit).
    compiled: Compiled,
}

/// The most bytes a gate that looks for each literal in turn reads (text length times
/// literals, about 0.3 ms): beyond it, compiling the regex may cost less.
pub const THOROUGH_GATE_BUDGET: usize = 8 << 20;

/// Rule regexes compiled so far, by pattern. The same pattern often comes twice in a
/// rule set (the Science X disclaimer in `applies_to` and as a field; `\bretrieved\b` in
/// two rules), and compiles once; a clone shares the compiled automata. Compiling is a
/// function of the pattern alone (the flags are always the same), so the memo is safe to
/// share by every rule set of the process (a language server reloading its rules reuses
/// them). Bounded as Python's `re` cache is: once full, new patterns are not kept.
static COMPILED: std::sync::LazyLock<std::sync::Mutex<HashMap<String, Regex>>> =
    std::sync::LazyLock::new(Default::default);

/// How many patterns [`COMPILED`] keeps.
const COMPILED_CAPACITY: usize = 512;

/// What a regex that failed to compile matches: nothing.
static NEVER: std::sync::LazyLock<Regex> =
    std::sync::LazyLock::new(|| Regex::new(r"[^\s\S]").expect("a valid pattern"));

/// A rule regex (or a form of it) compiled on first use, `None` when beyond the compiled
/// size limit, with a copy for each worker thread ([`PerThread`]).
type Compiled = std::sync::OnceLock<Option<PerThread<Regex>>>;

/// The calling thread's copy of `compiled`, compiled with `build` now if it was not.
fn this_thread(compiled: &Compiled, build: impl FnOnce() -> Option<Regex>) -> Option<&Regex> {
    compiled
        .get_or_init(|| build().map(PerThread::new))
        .as_ref()
        .map(|per_thread| per_thread.get(Regex::clone))
}

impl LazyRegex {
    fn new(source: String, facts: Facts) -> LazyRegex {
        LazyRegex {
            source,
            groups: facts.groups,
            compiled: std::sync::OnceLock::new(),
            leading: facts.leading,
            gate: std::sync::OnceLock::new(),
            required: facts.required,
            group_indexes: std::sync::OnceLock::new(),
            to_line_end: facts.to_line_end.map(|rest| {
                Box::new(LineEndHead {
                    rest,
                    compiled: std::sync::OnceLock::new(),
                })
            }),
            resolver: Box::default(),
            line_start: (facts.starts_line && facts.single_line).then(|| {
                Box::new(LineStart {
                    compiled: std::sync::OnceLock::new(),
                    literal: facts.line_literal,
                })
            }),
            single_line: facts.single_line,
            line_literals: 0,
            one_line: facts.line_anchors.then(|| {
                Box::new(OneLine {
                    text_anchors: facts.text_anchors,
                    compiled: std::sync::OnceLock::new(),
                })
            }),
            searches_field_text: false,
            word_literal: facts.word_literal.map(|(literal, unicode)| {
                Box::new(WordLiteral {
                    literal: memchr::memmem::Finder::new(&literal).into_owned(),
                    unicode,
                })
            }),
        }
    }

    /// Literals one of which every match holds, when every match also lies within one
    /// line: such a regex need only be searched on the lines that hold one of them.
    pub fn line_bound_literals(&self) -> Option<&[Vec<u8>]> {
        let literals = self.required.as_deref()?;
        (self.single_line
            && literals
                .iter()
                .all(|l| !l.is_empty() && !l.contains(&b'\n')))
        .then_some(literals)
    }

    /// Which literals of its pack's line scan the regex needs (see
    /// [`line_bound_literals`](Self::line_bound_literals)): 0 when it is not searched by
    /// lines.
    pub fn line_literals(&self) -> u64 {
        self.line_literals
    }

    /// Sets the literals of its pack's line scan the regex needs.
    pub(crate) fn set_line_literals(&mut self, mask: u64) {
        self.line_literals = mask;
    }

    /// Marks the regex as one that searches a field's text (a derived field's), not the
    /// document: its [`OneLine`] form is the one compiled ahead.
    pub(crate) fn set_searches_field_text(&mut self) {
        self.searches_field_text = true;
    }

    /// Whether the regex is searched by its [`OneLine`] form where it runs: on a field's
    /// text, or on the lines of a line scan, searched alone.
    fn searched_on_one_line(&self) -> bool {
        self.one_line.is_some()
            && (self.searches_field_text || (self.line_literals != 0 && self.lines_go_alone()))
    }

    /// Whether a line may be searched apart from the text around it with the
    /// [`OneLine`] form ([`line_alone`](Self::line_alone)): no match holds a line break,
    /// and no `\A` or `\z` would pass at the line's ends.
    fn lines_go_alone(&self) -> bool {
        self.single_line && self.one_line.as_ref().is_some_and(|o| !o.text_anchors)
    }

    /// Literals one of which every match contains (from the syntax, no compilation), when
    /// a few selective ones will do: a text with none of them cannot match.
    pub fn required_literals(&self) -> Option<&[Vec<u8>]> {
        self.required.as_deref()
    }

    /// Compiles `source` with the flags rule regexes take, or takes it from
    /// [`COMPILED`] if the same pattern has compiled before.
    fn build(source: &str) -> Result<Regex, regex::Error> {
        let known = |compiled: &HashMap<String, Regex>| compiled.get(source).cloned();
        if let Some(regex) = COMPILED.lock().ok().as_deref().and_then(known) {
            return Ok(regex);
        }
        // Compiled outside the lock, so that other patterns compile alongside.
        #[cfg(test)]
        tests::COMPILES.with(|count| count.set(count.get() + 1));
        let regex = regex::RegexBuilder::new(source)
            .multi_line(true)
            .crlf(true)
            .size_limit(1 << 22)
            .build()?;
        #[cfg(test)]
        if tests::THROWAWAY.with(std::cell::Cell::get) {
            return Ok(regex);
        }
        if let Ok(mut compiled) = COMPILED.lock()
            && compiled.len() < COMPILED_CAPACITY
        {
            compiled
                .entry(source.to_string())
                .or_insert_with(|| regex.clone());
        }
        Ok(regex)
    }

    /// Whether the regex has been compiled (for tests of what compiles when).
    #[cfg(test)]
    pub(crate) fn is_compiled(&self) -> bool {
        self.compiled.get().is_some()
    }

    /// The pattern as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The names of its named groups, in order (read from the syntax, no compilation).
    pub fn group_names(&self) -> &[String] {
        &self.groups
    }

    /// The index in the compiled regex of each of [`group_names`](Self::group_names), in
    /// the same order: `captures.get(index)` without looking the name up on every match.
    pub fn group_indexes(&self) -> &[usize] {
        self.group_indexes.get_or_init(|| {
            // The one-line form has the same groups: it is the regex in a group that
            // captures nothing.
            let compiled = match (self.compiled.get(), self.one_line.as_deref()) {
                (None, Some(one_line)) => one_line
                    .compiled
                    .get()
                    .and_then(Option::as_ref)
                    .map(PerThread::shared),
                _ => None,
            };
            let names: Vec<Option<&str>> = compiled
                .unwrap_or_else(|| &**self)
                .capture_names()
                .collect();
            self.groups
                .iter()
                .map(|group| {
                    names
                        .iter()
                        .position(|name| *name == Some(group.as_str()))
                        // A regex that failed to compile matches nothing, so its groups
                        // are never read; group 0 stands in for them.
                        .unwrap_or(0)
                })
                .collect()
        })
    }

    /// The group of each part of a field read with this regex: 0 (the whole match), then
    /// each named group in order (see [`group_indexes`](Self::group_indexes)).
    pub fn part_groups(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(0).chain(self.group_indexes().iter().copied())
    }

    /// The spans of the part groups ([`part_groups`](Self::part_groups)) of each
    /// successive match in `haystack`, as `captures_iter` finds them. Each match is found
    /// by the regex crate; its groups are resolved by a [`GroupResolver`] where the
    /// pattern allows (several times cheaper), else by the regex crate.
    pub fn part_spans_iter<'r, 'h: 'r>(
        &'r self,
        haystack: &'h str,
    ) -> impl Iterator<Item = Vec<Option<Span>>> + 'r {
        let resolver = self.resolver();
        self.find_iter(haystack).map(move |whole| {
            self.part_spans_of(haystack, whole.range(), resolver, (self, haystack, 0))
        })
    }

    /// [`part_spans_iter`](Self::part_spans_iter) for the matches that start at or after
    /// `from`, look-around at `from` seeing the text before it. For a regex with
    /// [`line_bound_literals`](Self::line_bound_literals) only (its matches are never
    /// empty).
    pub fn part_spans_from<'r, 'h: 'r>(
        &'r self,
        haystack: &'h str,
        from: usize,
    ) -> impl Iterator<Item = Vec<Option<Span>>> + 'r {
        let resolver = self.resolver();
        // The matches are found on the line alone where they can be, and their groups read
        // in the haystack.
        let (regex, searched, shift): (&Regex, _, _) = match self.line_alone(haystack, from) {
            Some((one_line, line)) => (one_line, line, from),
            None => (self, haystack, 0),
        };
        let mut at = from - shift;
        std::iter::from_fn(move || {
            if at > searched.len() {
                return None;
            }
            let found = regex.find_at(searched, at)?.range();
            // Never empty; were it, the search moves on.
            at = found.end.max(found.start + 1);
            let whole = found.start + shift..found.end + shift;
            Some(self.part_spans_of(haystack, whole, resolver, (regex, searched, shift)))
        })
    }

    /// The spans of the part groups of the first match in `haystack`, if there is one.
    pub fn first_part_spans(&self, haystack: &str) -> Option<Vec<Option<Span>>> {
        let regex = self.one_line_regex(haystack).unwrap_or_else(|| &**self);
        let whole = regex.find(haystack)?.range();
        Some(self.part_spans_of(haystack, whole, self.resolver(), (regex, haystack, 0)))
    }

    /// The regex compiled with `^` and `$` as the haystack's start and end ([`OneLine`]),
    /// if it has either and `haystack` holds no line break (`\n`, or `\r` in CRLF mode).
    fn one_line_regex(&self, haystack: &str) -> Option<&Regex> {
        let one_line = self.one_line.as_deref()?;
        if memchr::memchr2(b'\n', b'\r', haystack.as_bytes()).is_some() {
            return None;
        }
        one_line.regex(&self.source)
    }

    /// For a single-line regex searched from `from`, a line start, in a `haystack` that
    /// ends with that line (and its break, if it has one): the [`OneLine`] regex and the
    /// line without its break, which it is searched in alone. The line then looks the same
    /// to `^`, `$` and word boundaries at its ends as it does in the text (a line break is
    /// no word character), so the matches are the same; not for a regex with `\A` or
    /// `\z`, which the line alone would pass.
    fn line_alone<'h>(&self, haystack: &'h str, from: usize) -> Option<(&Regex, &'h str)> {
        if !self.lines_go_alone() {
            return None;
        }
        if from > 0 && haystack.as_bytes().get(from - 1) != Some(&b'\n') {
            return None;
        }
        let line = haystack.get(from..)?;
        let line = line.strip_suffix('\n').unwrap_or(line);
        Some((self.one_line_regex(line)?, line))
    }

    /// The resolver of this regex's groups, once the regex has had a few matches (see
    /// [`LazyResolver`]).
    fn resolver(&self) -> Option<&GroupResolver> {
        self.resolver.get(&self.source)
    }

    /// The spans of the part groups of the match `whole` in `haystack`.
    /// `found_by` is the regex that found it (the regex, or its [`OneLine`] form), what
    /// it searched and where that starts in `haystack`: the regex crate, where it reads
    /// the groups, reads them with the same one.
    fn part_spans_of(
        &self,
        haystack: &str,
        whole: Span,
        resolver: Option<&GroupResolver>,
        found_by: (&Regex, &str, usize),
    ) -> Vec<Option<Span>> {
        let parts = |slots: &[Option<Span>]| {
            self.part_groups()
                .map(|group| slots.get(group).cloned().flatten())
                .collect()
        };
        if let Some(spans) = resolver.and_then(|r| r.resolve_then(haystack, whole.clone(), parts)) {
            return spans;
        }
        // The match found from its own start is the same match, groups and all.
        let (regex, searched, shift) = found_by;
        match regex.captures_at(searched, whole.start - shift) {
            Some(caps) => self
                .part_groups()
                .map(|group| caps.get(group).map(|m| m.start() + shift..m.end() + shift))
                .collect(),
            None => self
                .part_groups()
                .map(|group| (group == 0).then(|| whole.clone()))
                .collect(),
        }
    }

    /// The compiled regex, or `None` if the pattern is beyond the compiled size limit.
    pub fn try_regex(&self) -> Option<&Regex> {
        this_thread(&self.compiled, || Self::build(&self.source).ok())
    }

    /// Whether the regex may match `text`, answered without compiling it when possible: a
    /// regex every match of which contains one of a few literals (or starts with one)
    /// cannot match a text without any of them. Once compiled (the regex, the head it is
    /// searched with when it runs to the line end, or its [`OneLine`] form), the regex's
    /// own search skips ahead on its literals about as fast, so this no longer looks.
    ///
    /// Literals that have no fast search (short ones, as `©`) are looked for one at a
    /// time, in texts of up to [`THOROUGH_GATE_BUDGET`] bytes per literal: compiling the
    /// wire-credit pack's `applies_to` takes a millisecond, looking for its eight
    /// literals in a 50 KB article 15 µs.
    pub fn may_match(&self, text: &str) -> bool {
        let head_compiled = self
            .to_line_end
            .as_ref()
            .is_some_and(|head| head.compiled.get().is_some());
        let one_line_compiled = self
            .one_line
            .as_ref()
            .is_some_and(|one_line| one_line.compiled.get().is_some());
        if self.compiled.get().is_some() || head_compiled || one_line_compiled {
            return true;
        }
        // The required literals are the most selective set of at most eight, the leading
        // ones included; a regex without any may still have leading ones.
        let Some(literals) = self.required.as_deref().or(self.leading.as_deref()) else {
            return true;
        };
        let gate = self.gate.get_or_init(|| {
            // Leading literals too many to be a required set may still be more selective
            // and quick to search for: `(?i)<ref[ \t>]` requires only `<`, which every
            // text with a tag holds, and starts with one of 24 spellings of `<ref` and the
            // byte after it, all found where memchr finds a `<`.
            let leading = self.leading.as_deref().filter(|leading| {
                self.required
                    .as_deref()
                    .is_some_and(|required| selectivity(leading) > selectivity(required))
            });
            leading
                .and_then(LiteralSearch::new)
                .or_else(|| LiteralSearch::thorough(literals))
        });
        match gate {
            // (A search built from the leading literals is always fast.)
            Some(gate)
                if gate.is_fast()
                    || text.len().saturating_mul(literals.len()) <= THOROUGH_GATE_BUDGET =>
            {
                gate.is_in(text.as_bytes())
            }
            _ => true,
        }
    }

    /// The spans of the successive matches in `haystack`, as `find_iter` finds them. A
    /// regex that runs to the end of its line is searched without that run, and each
    /// match then ends at the next line break (see [`ToLineEnd`]).
    pub fn match_spans<'r, 'h>(&'r self, haystack: &'h str) -> MatchSpans<'r, 'h> {
        MatchSpans(match self.head() {
            Some((head, stops_at_cr)) => Spans::ToLineEnd {
                head,
                stops_at_cr,
                haystack,
                at: 0,
            },
            None => match self.one_line_regex(haystack) {
                Some(one_line) => Spans::Whole(one_line.find_iter(haystack)),
                None => Spans::Whole(self.find_iter(haystack)),
            },
        })
    }

    /// [`match_spans`](Self::match_spans) for the matches that start at or after `from`,
    /// look-around at `from` seeing the text before it. For a regex with
    /// [`line_bound_literals`](Self::line_bound_literals) only (its matches are never
    /// empty).
    pub fn match_spans_from<'r, 'h>(
        &'r self,
        haystack: &'h str,
        from: usize,
    ) -> MatchSpans<'r, 'h> {
        if let Some(found) = self.match_from_line_start(haystack, from) {
            return MatchSpans(Spans::Once(found));
        }
        MatchSpans(match self.head() {
            Some((head, stops_at_cr)) => Spans::ToLineEnd {
                head,
                stops_at_cr,
                haystack,
                at: from,
            },
            None => match self.line_alone(haystack, from) {
                Some((one_line, line)) => Spans::From {
                    regex: one_line,
                    haystack: line,
                    at: 0,
                    shift: from,
                },
                None => Spans::From {
                    regex: self,
                    haystack,
                    at: from,
                    shift: 0,
                },
            },
        })
    }

    /// Whether the regex has a match that starts at or after `from` in `haystack`,
    /// look-around at `from` seeing the text before it.
    pub fn is_match_from(&self, haystack: &str, from: usize) -> bool {
        if let Some(found) = self.line_literal_match(haystack, from) {
            return found.is_some();
        }
        if let Some((anchored, line)) = self.line_from_start(haystack, from) {
            return anchored.is_match(line);
        }
        match self.head() {
            Some((head, _)) => head.is_match_at(haystack, from),
            None => (**self).is_match_at(haystack, from),
        }
    }

    /// For a regex every match of which starts a line, searched on the line that starts
    /// at `from` and ends `haystack` (with its break): the anchored regex and the line, if
    /// the line holds no other line start (a lone `\r` is one, for `^` in CRLF mode) and
    /// the anchored regex compiles.
    fn line_from_start<'h>(&self, haystack: &'h str, from: usize) -> Option<(&Regex, &'h str)> {
        let line_start = self.line_start.as_deref()?;
        let line = lone_line(haystack, from)?;
        Some((self.line_start_regex(line_start)?, line))
    }

    /// For a regex that is the start of a line, blanks and a literal
    /// ([`Facts::line_literal`]), its match on the line that starts at `from` and ends
    /// `haystack`, read without the regex: `None` when the line cannot be read so (as
    /// with [`line_from_start`](Self::line_from_start)), else the match if there is one.
    fn line_literal_match(&self, haystack: &str, from: usize) -> Option<Option<Span>> {
        let literal = self.line_start.as_deref()?.literal.as_deref()?;
        let line = lone_line(haystack, from)?.as_bytes();
        let blanks = line
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        Some(
            line[blanks..]
                .starts_with(literal)
                .then(|| from..from + blanks + literal.len()),
        )
    }

    /// The regex of `line_start`, compiled now if it was not.
    fn line_start_regex<'r>(&'r self, line_start: &'r LineStart) -> Option<&'r Regex> {
        this_thread(&line_start.compiled, || {
            let searched = self
                .to_line_end
                .as_ref()
                .map_or(&self.source, |h| &h.rest.head);
            Self::build(&format!("\\A(?:{searched})")).ok()
        })
    }

    /// The match of a regex every match of which starts a line, on the line that starts at
    /// `from` and ends `haystack` ([`line_from_start`](Self::line_from_start)): `None`
    /// when the line cannot be searched so, else the match if there is one.
    fn match_from_line_start(&self, haystack: &str, from: usize) -> Option<Option<Span>> {
        if let Some(found) = self.line_literal_match(haystack, from) {
            return Some(found);
        }
        let (anchored, line) = self.line_from_start(haystack, from)?;
        let Some(found) = anchored.find(line) else {
            return Some(None);
        };
        let end = match self.head() {
            Some((_, stops_at_cr)) => run_to_line_end(haystack, from + found.end(), stops_at_cr),
            None => from + found.end(),
        };
        Some(Some(from + found.start()..end))
    }

    /// The compiled head of a regex that runs to the line end, and whether a `\r` ends it.
    fn head(&self) -> Option<(&Regex, bool)> {
        let head = self.to_line_end.as_ref()?;
        let compiled = this_thread(&head.compiled, || Self::build(&head.rest.head).ok())?;
        Some((compiled, head.rest.stops_at_cr))
    }

    /// Whether the regex matches `text`. A literal between word boundaries is looked for
    /// without the regex ([`WordLiteral`]); a regex that runs to the end of its line
    /// matches where its head does, so the head, shorter to search, answers.
    pub fn is_match(&self, text: &str) -> bool {
        if let Some(word_literal) = &self.word_literal {
            return word_literal.is_match(text);
        }
        match self.head() {
            Some((head, _)) => head.is_match(text),
            None => (**self).is_match(text),
        }
    }

    /// Whether the regex matches `text`, compiling it only if it [may](Self::may_match).
    pub fn is_match_gated(&self, text: &str) -> bool {
        self.may_match(text) && self.is_match(text)
    }

    /// Whether the regex can join a union ([`any_of`](Self::any_of)) that is faster to
    /// search than its parts in turn: every match starts with one of a few literals (so
    /// the union still skips ahead on them), and it has no named groups.
    pub fn unionable(&self) -> bool {
        self.groups.is_empty() && self.leading.is_some()
    }

    /// One regex matching wherever any of `parts` does, if there are two or more and all
    /// are [`unionable`](Self::unionable).
    pub fn any_of(parts: &[&LazyRegex]) -> Option<LazyRegex> {
        if parts.len() < 2 || !parts.iter().all(|p| p.unionable()) {
            return None;
        }
        let source = parts
            .iter()
            .map(|p| format!("(?:{})", p.source))
            .collect::<Vec<_>>()
            .join("|");
        // Every match of the union is a match of a part, so it starts with a part's literal.
        let leading = parts.iter().filter_map(|p| p.leading.as_deref()).flatten();
        // A match of the union is a match of a part, so it contains one of that part's
        // required literals, and starts with one of its leading ones. The required ones
        // are taken unless only the leading ones can all be searched for, few enough
        // (the wire-credit screen: `AP` is too short, `©`, `(c)`, `(C)` and `Copyright`
        // are not), so that the union can take part in a line scan.
        let searchable = |set: &[Vec<u8>]| {
            set.iter()
                .all(|l| l.len() >= MIN_SELECTIVE_LEN || is_rare_short(l))
        };
        let required = parts
            .iter()
            .map(|p| p.required.clone())
            .collect::<Option<Vec<_>>>()
            .and_then(|sets| minimal_literals(sets.concat()));
        let required = match required {
            Some(required) if searchable(&required) => Some(required),
            required => minimal_prefixes(leading.clone().cloned().collect())
                .filter(|starts| searchable(starts))
                .or(required),
        };
        let facts = Facts {
            groups: Vec::new(),
            large_repetition: false,
            leading: Some(leading.cloned().collect()),
            required,
            to_line_end: None,
            // A match of the union is a match of a part.
            single_line: parts.iter().all(|p| p.single_line),
            starts_line: parts.iter().all(|p| p.line_start.is_some()),
            line_anchors: parts.iter().any(|p| p.one_line.is_some()),
            text_anchors: parts
                .iter()
                .any(|p| p.one_line.as_ref().is_some_and(|o| o.text_anchors)),
            line_literal: None,
            word_literal: None,
        };
        Some(LazyRegex::new(source, facts))
    }
}

/// `literals` without repeats and without any that starts with another, if at most eight
/// remain: for literals every match starts with, as good as [`minimal_literals`] (a match
/// starting with `©AFP` starts with `©` too) and cheaper for the hundreds a union of
/// several regexes' starts may hold.
fn minimal_prefixes(mut literals: Vec<Vec<u8>>) -> Option<Vec<Vec<u8>>> {
    literals.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    literals.dedup();
    let mut kept: Vec<Vec<u8>> = Vec::new();
    for literal in literals {
        if !kept.iter().any(|shorter| literal.starts_with(shorter)) {
            kept.push(literal);
        }
    }
    (!kept.is_empty() && kept.len() <= MAX_REQUIRED_LITERALS).then_some(kept)
}

/// A regex compiled on first use that can also be compiled ahead of it, alongside others
/// on other threads (a one-file run then does not wait for each in turn). A static built
/// on first use, such as the copyright notices' literal automaton, is built ahead too.
pub trait Precompile: Sync {
    /// Compiles the regex now, if it is not compiled yet, unless it cannot match any of
    /// `texts` (the texts of the document about to be checked, which every haystack is
    /// part of): it would then never be used on that document.
    fn precompile(&self, texts: &[&str]);
}

impl Precompile for LazyRegex {
    fn precompile(&self, texts: &[&str]) {
        // A literal between word boundaries is matched without the regex, which
        // compiles only if something else asks for its matches.
        if self.word_literal.is_some() {
            return;
        }
        if texts.iter().any(|text| self.may_match(text)) {
            // A regex searched by lines from their start is searched anchored; its groups,
            // if it has any, are read with the regex itself or its one-line form.
            if let Some(line_start) = self.line_start.as_deref()
                && self.line_literals != 0
            {
                // A line literal is read without any regex.
                if line_start.literal.is_none() {
                    let _ = self.line_start_regex(line_start);
                }
                if self.groups.is_empty() {
                    return;
                }
            }
            // A regex that runs to the line end is searched with its head alone.
            if self.head().is_some() {
                return;
            }
            // A regex searched on one line (a field's text, a line alone) is searched, and
            // its groups read, in its one-line form.
            if let (true, Some(one_line)) = (self.searched_on_one_line(), &self.one_line) {
                let _ = one_line.regex(&self.source);
                return;
            }
            let _ = &**self;
        }
    }
}

/// The spans of a [`LazyRegex`]'s matches in a haystack, in order
/// ([`LazyRegex::match_spans`]).
pub struct MatchSpans<'r, 'h>(Spans<'r, 'h>);

enum Spans<'r, 'h> {
    Whole(regex::Matches<'r, 'h>),
    /// The one match there can be (of a regex searched on a line from its start).
    Once(Option<Span>),
    /// The matches from `at` on, of a regex that never matches empty, each moved on by
    /// `shift` (where `haystack`, a line searched alone, starts in the text).
    From {
        regex: &'r Regex,
        haystack: &'h str,
        at: usize,
        shift: usize,
    },
    ToLineEnd {
        head: &'r Regex,
        stops_at_cr: bool,
        haystack: &'h str,
        /// Where the next search starts: the end of the last match.
        at: usize,
    },
}

impl Iterator for MatchSpans<'_, '_> {
    type Item = std::ops::Range<usize>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            Spans::Whole(matches) => matches.next().map(|m| m.range()),
            Spans::Once(found) => found.take(),
            Spans::From {
                regex,
                haystack,
                at,
                shift,
            } => {
                if *at > haystack.len() {
                    return None;
                }
                let found = regex.find_at(haystack, *at)?.range();
                // Never empty (see `match_spans_from`); were it, the search moves on.
                *at = found.end.max(found.start + 1);
                Some(found.start + *shift..found.end + *shift)
            }
            Spans::ToLineEnd {
                head,
                stops_at_cr,
                haystack,
                at,
            } => {
                // The head never matches empty, so the next search starts where this ends.
                let start = head.find_at(haystack, *at)?.range();
                *at = run_to_line_end(haystack, start.end, *stops_at_cr);
                Some(start.start..*at)
            }
        }
    }
}

/// The line of `haystack` that starts at `from` and ends it (with its break), if `from`
/// starts a line and the line holds no other line start (a lone `\r` is one, for `^` in
/// CRLF mode): a regex every match of which starts a line can match there only at `from`.
fn lone_line(haystack: &str, from: usize) -> Option<&str> {
    if from > 0 && haystack.as_bytes().get(from - 1) != Some(&b'\n') {
        return None;
    }
    let line = haystack.get(from..)?;
    let body = line.strip_suffix('\n').unwrap_or(line);
    let body = body.strip_suffix('\r').unwrap_or(body);
    if memchr::memchr2(b'\r', b'\n', body.as_bytes()).is_some() {
        return None;
    }
    Some(line)
}

/// Where a regex that runs to the line end ([`ToLineEnd`]) stops when its head ends at
/// `at`: at the next `\n`, or `\r` too if `stops_at_cr`, or the end of `haystack`.
fn run_to_line_end(haystack: &str, at: usize, stops_at_cr: bool) -> usize {
    if stops_at_cr {
        crate::position::next_line_break(haystack, at)
    } else {
        memchr::memchr(b'\n', &haystack.as_bytes()[at..]).map_or(haystack.len(), |i| at + i)
    }
}

impl std::ops::Deref for LazyRegex {
    type Target = Regex;

    fn deref(&self) -> &Regex {
        // The syntax was checked at load time; only a pattern beyond the size limit can
        // fail here, and it then matches nothing (`citelint rules check` reports it).
        self.try_regex().unwrap_or(&NEVER)
    }
}

impl std::fmt::Debug for LazyRegex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LazyRegex({:?})", self.source)
    }
}

/// Checks a rule regex's syntax (cheaply, without compiling it) and returns it lazy. A
/// built-in pack's regex was checked when citelint was built: its facts are looked up.
pub fn compile_regex(pattern: &Located<String>) -> Result<Located<LazyRegex>, RuleError> {
    let facts = match crate::builtin::regex_facts(&pattern.value) {
        Some(facts) => facts,
        None => Facts::of(&pattern.value).map_err(|e| invalid(pattern, &e))?,
    };
    // Large counted repetitions are what can exceed the compiled size limit: compile
    // those now, so the error names the rule file and line.
    let eager = facts.large_repetition || pattern.value.len() > 2000;
    let regex = LazyRegex::new(pattern.value.clone(), facts);
    if eager {
        let compiled =
            LazyRegex::build(&pattern.value).map_err(|e| invalid(pattern, &e.to_string()))?;
        let _ = regex.compiled.set(Some(PerThread::new(compiled)));
    }
    Ok(Located {
        value: regex,
        loc: pattern.loc,
    })
}

fn invalid(pattern: &Located<String>, detail: &str) -> RuleError {
    let last = detail.lines().last().unwrap_or("").trim().to_string();
    RuleError::at(pattern.loc, format!("invalid regular expression: {last}"))
        .with_help("citelint uses Rust `regex` syntax: no look-around or backreferences")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    thread_local! {
        /// How many patterns this thread compiled (rather than took from [`COMPILED`]).
        pub(super) static COMPILES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
        /// Set by property tests, which compile hundreds of throwaway patterns: those are
        /// kept out of [`COMPILED`], which [`the_same_pattern_compiles_once`] needs with room.
        pub(crate) static THROWAWAY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    #[test]
    fn the_same_pattern_compiles_once() {
        // A pattern no other test uses, so that no other thread compiles it first.
        let source = r"^[ \t]*the_same_pattern_compiles_once [0-9]{4}\.";
        let (first, second) = (regex(source), regex(source));
        let before = COMPILES.with(|count| count.get());
        assert!(first.is_match("  the_same_pattern_compiles_once 2024."));
        assert_eq!(COMPILES.with(|count| count.get()), before + 1);
        assert!(second.is_match("the_same_pattern_compiles_once 1999."));
        assert!(!second.is_match("the_same_pattern_compiles_once 99."));
        assert_eq!(
            COMPILES.with(|count| count.get()),
            before + 1,
            "taken, not compiled"
        );
    }

    fn regex(pattern: &str) -> LazyRegex {
        compile_regex(&Located {
            value: pattern.to_string(),
            loc: Loc::default(),
        })
        .unwrap()
        .value
    }

    #[test]
    fn named_groups_are_found_at_their_index_among_all_groups() {
        let r = regex(r"(a)(?P<year>[0-9]{4})(?:-)((?P<month>[0-9]{2}))?");
        assert_eq!(r.group_names(), ["year", "month"]);
        assert_eq!(r.group_indexes(), [2, 4]);
        let caps = r.captures("a2014-").expect("a match");
        let found: Vec<Option<&str>> = r
            .group_indexes()
            .iter()
            .map(|&i| caps.get(i).map(|m| m.as_str()))
            .collect();
        assert_eq!(found, [Some("2014"), None]);
        assert!(regex("no groups").group_indexes().is_empty());
    }

    #[test]
    fn part_spans_are_the_regex_crates_groups_whether_resolved_or_left_to_it() {
        let text = "Citation: A (b) c (2021, May 3) retrieved 4 June 2022 from https://x.org/a.\n\
                    a=1; b=22; c=;\n";
        for pattern in [
            // Placed by the group resolver.
            r"Citation: (?P<title>\S.*?) \((?P<date>[^()]+)\) retrieved (?P<url>.*)$",
            // A group in an alternative: left to the regex crate.
            r"(?:(?P<key>[a-z])=(?P<value>[0-9]+)|(?P<empty>[a-z])=);",
        ] {
            let lazy = regex(pattern);
            // Built now, rather than after the warm-up's matches.
            lazy.resolver.force(lazy.source());
            let compiled: &Regex = &lazy;
            let expected: Vec<Vec<Option<Span>>> = compiled
                .captures_iter(text)
                .map(|caps| {
                    lazy.part_groups()
                        .map(|group| caps.get(group).map(|m| m.range()))
                        .collect()
                })
                .collect();
            assert!(!expected.is_empty(), "{pattern} matches");
            let found: Vec<Vec<Option<Span>>> = lazy.part_spans_iter(text).collect();
            assert_eq!(found, expected, "{pattern}");
            assert_eq!(lazy.first_part_spans(text).as_ref(), expected.first());
        }
        let unplaced = regex(r"(?P<x>a)|b");
        assert!(unplaced.resolver.force(unplaced.source()).is_none());
        let placed = regex(r"(?P<x>a)b");
        assert!(placed.resolver.force(placed.source()).is_some());
    }

    #[test]
    fn a_text_without_the_needed_literals_is_ruled_out_uncompiled() {
        let republished = regex("[Rr]epublished from (?:The )?Conversation");
        assert!(!republished.may_match("Nothing about it here"));
        assert!(
            republished.compiled.get().is_none(),
            "no compilation needed"
        );
        assert!(republished.may_match("It was republished from Conversation."));
        assert!(republished.is_match_gated("It was republished from Conversation."));
        // A pattern that may start anywhere is ruled out by a literal it needs further on.
        let anywhere = regex(r"^[ \t]*Provided by[ \t]+\S");
        assert!(!anywhere.may_match("Nothing"));
        assert!(anywhere.compiled.get().is_none(), "no compilation needed");
        assert!(anywhere.is_match_gated("  Provided by X"));
        // Nor is one whose literals include short ones, which each get a search.
        let wire = regex(r"(?:©|\([cC]\)|(?-u:\b)Copyright)[ \t]*[0-9]{4}[ \t]*(?:AFP|AP)");
        assert!(!wire.may_match("No notice, no agency"));
        assert!(wire.compiled.get().is_none(), "no compilation needed");
        assert!(wire.may_match("© 2024 AP"));
        assert!(wire.is_match_gated("© 2024 AP"));
        // A lone byte will do: a page marker needs its `/`.
        let marker = regex(r"^[ \t]*[0-9]+/[0-9]+[ \t]*$");
        assert!(!marker.may_match("Marsh soils hold carbon"));
        assert!(marker.compiled.get().is_none(), "no compilation needed");
        assert!(marker.is_match_gated("3/4"));
        // Leading literals more selective than the required ones are looked for instead:
        // every tag holds the `<` that `<ref` requires.
        let reference = regex(r"(?i)<ref[ \t>]");
        assert!(!reference.may_match("<u>https://x.org</u> &amp; <br/> <refs>"));
        assert!(reference.compiled.get().is_none(), "no compilation needed");
        assert!(reference.is_match_gated("text<REF name=x>"));
        // One without any literal cannot be ruled out.
        let digits = regex(r"[0-9]+");
        assert!(digits.may_match("Nothing"));
        assert!(!digits.is_match_gated("Nothing"));
        assert!(digits.is_match_gated("page 3"));
    }

    proptest::proptest! {
        /// The gate never rules out a text the regex matches.
        #[test]
        fn a_gated_out_text_never_matches(
            pattern in r"(\(\?i\))?([Aa]b|ab?c|(ab|ba)c*|\[abc\]b|a[ b]c)( |b|c\*|\.)?",
            text in "[abcABC .\n]{0,12}",
        ) {
            let regex = regex(&pattern);
            if !regex.may_match(&text) {
                proptest::prop_assert!(!regex.is_match(&text), "{} on {:?}", pattern, text);
            }
        }
    }

    proptest::proptest! {
        /// A regex that runs to the line end is searched without the run, then matches end
        /// at the next line break: the matches are those of the whole regex.
        #[test]
        fn matches_run_to_the_line_end_as_the_whole_regex_finds_them(
            head in r"(a|\^a|b:|\(\?:a\|ab\)|\(\?-u:\\B\)b|a\\b|\(\?i\)é|\(\?:\^\[ \\t\]\*\|\(\?-u:\\B\)\)a:?)",
            run in r"(\.\*|\[\^\\r\\n\]\*|\[\^\\n\]\*|\.\*\$|\[\^\\r\\n\]\*\$)",
            text in "[abÉé: \t\r\n]{0,30}",
        ) {
            let regex = regex(&format!("{head}{run}"));
            proptest::prop_assert!(regex.to_line_end.is_some(), "{}{} runs to the line end", head, run);
            let compiled: &Regex = &regex;
            let whole: Vec<_> = compiled.find_iter(&text).map(|m| m.range()).collect();
            let spans: Vec<_> = regex.match_spans(&text).collect();
            proptest::prop_assert_eq!(spans, whole, "{}{} on {:?}", head, run, text);
            proptest::prop_assert_eq!(regex.is_match(&text), compiled.is_match(&text));
        }
    }

    #[test]
    fn a_line_searched_alone_has_the_matches_the_text_has_there() {
        let text = "Citation: Bogs (2020, May 1) retrieved 2 May 2020 from https://x.org/b\n\n\
                    Citation: Marsh (soils) (2021, March 3) retrieved 12 April 2023 \
                    from https://phys.org/news/2021-03-marsh.html.\nThis document\n";
        let from = text.rfind("Citation").unwrap();
        let haystack = &text[..=text[from..].find('\n').unwrap() + from];
        let citation = regex(concat!(
            r"(?:^[ \t]*|(?-u:\B))Citation: (?P<title>\S.*?) \((?P<date>[^()\n]+)\) ",
            r"retrieved (?P<retrieved>\S.*?) from (?P<url>\S*[^\s.]|\S+?)\.?[ \t]*$",
        ));
        assert!(
            citation.line_alone(haystack, from).is_some(),
            "searched alone"
        );
        // Groups placed by the resolver, on the match found on the line.
        citation.resolver.force(citation.source());
        let found: Vec<_> = citation.part_spans_from(haystack, from).collect();
        let expected: Vec<_> = citation.part_spans_iter(text).skip(1).collect();
        assert_eq!(found, expected);
        let url = found[0][4].clone().unwrap();
        assert_eq!(&text[url], "https://phys.org/news/2021-03-marsh.html");
        let from_clause = regex(r"[ \t]+from[ \t]+\S+[ \t]*$");
        let found: Vec<_> = from_clause.match_spans_from(haystack, from).collect();
        let expected: Vec<_> = from_clause.match_spans(text).skip(1).collect();
        assert_eq!(found, expected);
        assert_eq!(found.len(), 1);
        // `\A` passes at the start of a line alone, not of a line in the text.
        let text_anchored = regex(r"\A[ \t]*Citation.*$");
        assert!(text_anchored.line_alone(haystack, from).is_none());
        assert_eq!(text_anchored.match_spans_from(haystack, from).count(), 0);
        // A field's text is searched, and its groups read, without the regex being
        // compiled for a text of several lines.
        let mut path = regex(r"^/news/(?P<ym>[0-9]{4}-[0-9]{2})-(?P<slug>[^/]+?)(?:\.html?)?$");
        path.set_searches_field_text();
        path.precompile(&["/news/2021-03-marsh.html"]);
        assert!(path.one_line.as_ref().unwrap().compiled.get().is_some());
        let spans = path.first_part_spans("/news/2021-03-marsh.html").unwrap();
        assert_eq!(spans, [Some(0..24), Some(6..13), Some(14..19)]);
        assert!(!path.is_compiled(), "only the one-line form compiles");
        // The text of a field, with no line break, is searched so too.
        assert!(text_anchored.one_line_regex("Citation: x").is_some());
        assert!(text_anchored.one_line_regex("Citation: x\r").is_none());
    }

    /// Pieces of texts for a literal between word boundaries: the literal, word
    /// characters of every kind (an ASCII letter, `_`, a digit, a non-ASCII letter, a
    /// combining mark, a connector), and others.
    const WORD_LITERAL_PIECES: &[&str] = &[
        "a b", "a", "b", "_", "1", " ", "-", "é", "\u{301}", "\u{203F}", "\n", "\r\n", "ß", "«",
    ];

    /// An occurrence that is no word of its own does not hide one it overlaps that is.
    #[test]
    fn a_word_literal_is_found_where_it_overlaps_itself() {
        let literal = regex(r"\ba a\b");
        assert!(literal.is_match("ba a a"));
        assert!(!literal.is_match("ba a ab"));
        assert!(!literal.is_compiled());
    }

    proptest::proptest! {
        /// A literal between word boundaries, Unicode or ASCII, matches where the regex
        /// crate says it does, without compiling the regex.
        #[test]
        fn a_word_literal_matches_as_the_regex_does(
            picks in proptest::collection::vec(0..WORD_LITERAL_PIECES.len(), 0..12),
        ) {
            let text: String = picks.iter().map(|&i| WORD_LITERAL_PIECES[i]).collect();
            for pattern in [r"\ba b\b", r"(?-u:\b)a b(?-u:\b)", r"\bb\b", r"\ba a\b"] {
                let literal = regex(pattern);
                proptest::prop_assert!(literal.word_literal.is_some(), "{}", pattern);
                let expected = Regex::new(pattern).unwrap().is_match(&text);
                proptest::prop_assert_eq!(literal.is_match(&text), expected, "{} on {:?}", pattern, text);
                proptest::prop_assert!(!literal.is_compiled());
            }
        }
    }

    /// Pieces of lines for a regex that is a line start, blanks and a literal.
    const LINE_LITERAL_PIECES: &[&str] = &[
        " ", "\t", "Note", "Note:", "No", "x", ":", "\r", "\n", "\r\n", "é",
    ];

    proptest::proptest! {
        /// A line start, blanks and a literal (`^[ \t]*Note:`) match, read without the
        /// regex, what the regex anchored at the line's start matches, on every line that
        /// can be read so; and nothing compiles for it.
        #[test]
        fn a_line_literal_is_read_as_the_regex_matches_it(
            picks in proptest::collection::vec(0..LINE_LITERAL_PIECES.len(), 0..10),
        ) {
            let text: String = picks.iter().map(|&i| LINE_LITERAL_PIECES[i]).collect();
            let literal = regex(r"^[ \t]*Note:");
            let anchored = regex(r"\A(?:^[ \t]*Note:)");
            let line_starts = std::iter::once(0).chain(
                text.match_indices('\n').map(|(i, _)| i + 1).filter(|&i| i < text.len()),
            );
            for from in line_starts {
                let end = text[from..].find('\n').map_or(text.len(), |i| from + i + 1);
                let haystack = &text[..end];
                let Some(line) = lone_line(haystack, from) else {
                    proptest::prop_assert!(literal.line_literal_match(haystack, from).is_none());
                    continue;
                };
                let expected = anchored.find(line).map(|m| from + m.start()..from + m.end());
                proptest::prop_assert_eq!(
                    literal.match_from_line_start(haystack, from),
                    Some(expected.clone()),
                    "{:?} from {}", text, from
                );
                proptest::prop_assert_eq!(literal.is_match_from(haystack, from), expected.is_some());
            }
            proptest::prop_assert!(!literal.is_compiled());
            proptest::prop_assert!(literal.line_start.as_ref().unwrap().compiled.get().is_none());
        }
    }

    /// Pieces of random patterns with `^` and `$` (searched on one line, they are compiled
    /// as the haystack's start and end): text anchors, word boundaries, lazy and greedy
    /// runs, groups.
    const ANCHORED_PIECES: &[&str] = &[
        "^",
        "$",
        r"\A",
        r"\z",
        "ab",
        "b",
        "c",
        r"\b",
        r"(?-u:\B)",
        "[ab]+?",
        "[^c]*",
        ".*?",
        "(?P<g>ab?)",
        "(?P<h>c|)",
        "(?:a|bc)",
        "(?m:$)",
        "é",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// A haystack is searched for a regex with `^` or `$` by the regex compiled with
        /// them as its own start and end when it holds no line break: the matches and
        /// their groups are those the regex itself finds.
        #[test]
        fn a_line_alone_has_the_matches_and_groups_the_regex_finds(
            picks in proptest::collection::vec(0..ANCHORED_PIECES.len(), 1..6),
            text in "[abcé \r\n]{0,16}",
        ) {
            THROWAWAY.with(|throwaway| throwaway.set(true));
            let source: String = picks.iter().map(|&i| ANCHORED_PIECES[i]).collect();
            // (A group named twice does not compile.)
            let Ok(located) = compile_regex(&Located { value: source.clone(), loc: Loc::default() }) else {
                return Ok(());
            };
            let lazy = located.value;
            let compiled: &Regex = &lazy;
            let groups = |caps: regex::Captures| -> Vec<Option<Span>> {
                lazy.part_groups().map(|group| caps.get(group).map(|m| m.range())).collect()
            };
            let first = compiled.captures(&text).map(groups);
            proptest::prop_assert_eq!(lazy.first_part_spans(&text), first, "{} on {:?}", source, text);
            let whole: Vec<Span> = compiled.find_iter(&text).map(|m| m.range()).collect();
            let spans: Vec<Span> = lazy.match_spans(&text).collect();
            proptest::prop_assert_eq!(spans, whole, "{} on {:?}", source, text);
        }
    }

    #[test]
    fn unions_only_of_literal_led_patterns_without_groups() {
        let a = regex("Retrieved [A-Z]");
        let b = regex("(?i)accessed [0-9]");
        let c = regex(r"^[ \t]*Citation:");
        let d = regex("Provided by (?P<who>.+)");
        assert!(a.unionable() && b.unionable());
        assert!(!c.unionable() && !d.unionable());
        let union = LazyRegex::any_of(&[&a, &b]).unwrap();
        // The union's literals are its parts': it is ruled out uncompiled where they are.
        let e = regex("[Aa]ccessed [0-9]");
        let few = LazyRegex::any_of(&[&a, &e]).unwrap();
        assert!(!few.may_match("retrieved on 3 May"));
        assert!(few.may_match("retrieved on 3 May, Accessed 4 May"));
        assert!(few.compiled.get().is_none());
        assert!(union.is_match("ACCESSED 3 May"));
        assert!(union.is_match("Retrieved May"));
        assert!(!union.is_match("retrieved may"));
        assert!(LazyRegex::any_of(&[&a, &c]).is_none());
    }
}
