//! Capture groups resolved from a match already found, without the regex crate's
//! backtracker, for the shapes most rule patterns take.
//!
//! The regex crate finds a match with its DFAs, then resolves the groups by running a
//! bounded backtracker over the match: for the Science X citation line that second step
//! costs four times the first. In most rule patterns every group is a step of the
//! pattern's sequence, or of an optional part of it (`(?: \((?P<url>…)\))?`), never
//! inside another repetition or an alternative. Each group boundary is then where one
//! capture-free piece of the pattern ends and the rest of it begins, and can often be
//! placed without backtracking:
//!
//! - after a piece of fixed length, that many bytes on; before a rest of fixed length,
//!   that many bytes short of the match's end;
//! - when every match of the rest begins with one of a few literals (` (` after the
//!   citation's title), or every match of the piece ends with one (`Citation: `), at the
//!   one place in the match that has one;
//! - otherwise where a reverse DFA of the rest, run back from the match's end, says the
//!   rest matches, if that is one place (the URL that ends the citation);
//! - among several such places, by the piece's own order when it is a run of one
//!   character class (lazy: the nearest, greedy: the farthest), as `[^/]+?` before an
//!   optional `.html`, or at the one of them where a forward DFA of the piece can end.
//!
//! An optional part takes part in the match if (greedy) the part followed by the rest of
//! the pattern matches up to the match's end, or (lazy) the rest without it does not.
//!
//! Why the groups are the backtracker's: the backtracker takes the first way through the
//! pattern, in its order of preference, that matches, and that way ends where the DFAs
//! found the match to end. Given the boundaries before it, the backtracker's choice for a
//! boundary is the first end of the piece (in the piece's order) from which the rest
//! matches up to the match's end. That place is among those from which the rest matches
//! up to the end and where the piece can end; when they are one, it is that one, and
//! when the piece is a run, the piece's order among them is plain. Anything else (a group
//! inside a repetition or an alternative, several places without such an order, a
//! Unicode word boundary the lazy DFA cannot decide) is left to the regex crate, which
//! the caller falls back on. Property tests compare the groups with the regex crate's.

use std::ops::Range;
use std::panic::{RefUnwindSafe, UnwindSafe};
use std::sync::OnceLock;

use memchr::memmem::Finder;
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::pool::Pool;
use regex_automata::{Anchored, Input, MatchKind};
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Class, ClassUnicode, Hir, HirKind};

use super::per_thread::PerThread;

type Span = Range<usize>;

/// The most literals a piece's or a rest's set may have to be looked for.
const MAX_LITERALS: usize = 4;

/// The most memory a lazy DFA's cache takes, per thread.
const CACHE_CAPACITY: usize = 64 * 1024;

/// The most places a step weighs before leaving the match to the regex crate (so that a
/// match spanning a huge line keeps memory small).
const MAX_PLACES: usize = 4096;

/// Resolves the groups of one regex's matches (see the module documentation).
pub struct GroupResolver {
    /// How many groups the regex has, group 0 (the whole match) included.
    groups: usize,
    /// What placing the groups takes, in the pattern's order.
    program: Vec<Op>,
}

/// One operation of a [`GroupResolver`]'s program.
enum Op {
    /// Place the end of the next piece of the pattern, where a group opens or closes (or
    /// an optional part begins or ends).
    Boundary(Step),
    /// Decide whether an optional part with groups (`(?:, (?P<holder>…))?`) takes part in
    /// the match, at the current place. Its groups are left unset if not, and the program
    /// goes on at `skip_to`.
    Optional {
        /// The optional part followed by the rest of the pattern.
        taken: Automaton,
        /// The rest of the pattern without it.
        skipped: Automaton,
        greedy: bool,
        skip_to: usize,
    },
}

/// A capture-free piece of the pattern, the group that opens or closes where it ends, and
/// what follows.
struct Step {
    piece: Piece,
    /// The group that opens (`true`) or closes (`false`) where the piece ends, if any.
    mark: Option<(usize, bool)>,
    rest: Rest,
}

/// A capture-free piece of the pattern, between two group boundaries.
struct Piece {
    /// Its length in bytes, when every match of it has the same.
    fixed: Option<usize>,
    /// Literals one of which every match of the piece ends with (worked out on first use).
    suffixes: OnceLock<Option<Vec<Finder<'static>>>>,
    /// The piece's ends in the backtracker's order, when they can be listed simply.
    ordered: Option<Ordered>,
    /// A forward DFA of the piece, built the first time it is needed.
    forward: Automaton,
}

/// A piece whose ends can be listed in the backtracker's order without backtracking:
/// alternatives (one, or those of an alternation), each of them characters, at most one
/// repetition of one character, then characters (`\S*[^\s.]`, `[^/]+?`, `\S.*?`).
struct Ordered {
    alternatives: Vec<Run>,
}

/// One alternative of an [`Ordered`] piece.
struct Run {
    before: Vec<CharTest>,
    repeat: Option<Repeat>,
    after: Vec<CharTest>,
}

/// A repetition of one character.
struct Repeat {
    class: CharTest,
    min: u32,
    max: Option<u32>,
    greedy: bool,
}

/// A test of one character.
struct CharTest {
    /// Whether each ASCII character passes (looked up without searching the class).
    ascii: [bool; 128],
    class: Class,
}

/// Everything of the pattern after a boundary.
struct Rest {
    /// Its length in bytes, when every match of it has the same.
    fixed: Option<usize>,
    /// Literals one of which every match of the rest begins with (worked out on first use).
    prefixes: OnceLock<Option<Vec<Finder<'static>>>>,
    /// A reverse DFA of the rest, built the first time it is needed.
    reverse: Automaton,
}

/// A lazy DFA of a capture-free part of the pattern that reports every place a match
/// can end (forward) or begin (reverse), with a cache per thread (each worker thread's
/// from a pool of its own, [`PerThread`]); built the first time it is needed (`None` if
/// it cannot be).
struct Automaton {
    hir: Hir,
    reverse: bool,
    built: OnceLock<Option<(DFA, Caches)>>,
}

type CacheFn = Box<dyn Fn() -> Cache + Send + Sync + UnwindSafe + RefUnwindSafe>;

/// The search caches of a DFA: a pool for each worker thread.
type Caches = PerThread<Pool<Cache, CacheFn>>;

/// A pool of search caches for `dfa`.
fn caches_of(dfa: &DFA) -> Pool<Cache, CacheFn> {
    let dfa = dfa.clone();
    Pool::new(Box::new(move || dfa.create_cache()))
}

impl GroupResolver {
    /// The resolver of `source`, parsed with the flags rule regexes are compiled with
    /// (multi-line, CRLF); `None` if the pattern has no groups, does not parse, or has a
    /// group inside a repetition or an alternative.
    pub fn new(source: &str) -> Option<GroupResolver> {
        let hir = regex_syntax::ParserBuilder::new()
            .multi_line(true)
            .crlf(true)
            .build()
            .parse(source)
            .ok()?;
        let groups = hir.properties().explicit_captures_len() + 1;
        if groups == 1 {
            return None;
        }
        let mut flat = Vec::new();
        flatten(&hir, &mut flat)?;
        let mut program = Vec::new();
        compile(&flat, &[], &mut Vec::new(), &mut program);
        Some(GroupResolver { groups, program })
    }

    /// The span of every group (indexed by group, 0 being the match) of the match at
    /// `whole` in `haystack`, as the regex crate resolves them; `None` when this match is
    /// left to the regex crate. `whole` must be a match of the regex the resolver was made
    /// from, found in `haystack` by the regex crate.
    pub fn resolve(&self, haystack: &str, whole: Span) -> Option<Vec<Option<Span>>> {
        self.resolve_then(haystack, whole, <[_]>::to_vec)
    }

    /// [`resolve`](Self::resolve), handing the spans to `read` instead of returning them:
    /// a caller that only reads them (to pick the groups it needs) allocates nothing for
    /// them, the spans being placed in a buffer each thread reuses.
    pub fn resolve_then<R>(
        &self,
        haystack: &str,
        whole: Span,
        read: impl FnOnce(&[Option<Span>]) -> R,
    ) -> Option<R> {
        SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut scratch) => {
                let mut slots = std::mem::take(&mut scratch.slots);
                let read = self
                    .resolve_with(haystack, whole, &mut scratch, &mut slots)
                    .map(|()| read(&slots));
                scratch.slots = slots;
                read
            }
            Err(_) => {
                let mut slots = Vec::new();
                self.resolve_with(haystack, whole, &mut Scratch::default(), &mut slots)
                    .map(|()| read(&slots))
            }
        })
    }

    /// Places the groups of the match `whole` into `slots`; `None` when the match is left
    /// to the regex crate.
    fn resolve_with(
        &self,
        haystack: &str,
        whole: Span,
        scratch: &mut Scratch,
        slots: &mut Vec<Option<Span>>,
    ) -> Option<()> {
        // A group's span is `start..usize::MAX` until it closes.
        slots.clear();
        slots.resize(self.groups, None);
        let mut at = whole.start;
        let mut next = 0;
        while let Some(op) = self.program.get(next) {
            next += 1;
            match op {
                Op::Boundary(step) => {
                    at = step.boundary(haystack, at, whole.end, scratch)?;
                    match step.mark {
                        Some((group, true)) => slots[group] = Some(at..usize::MAX),
                        Some((group, false)) => slots[group].as_mut()?.end = at,
                        None => {}
                    }
                }
                Op::Optional {
                    taken,
                    skipped,
                    greedy,
                    skip_to,
                } => {
                    // The backtracker tries the part first if greedy, and keeps the first
                    // choice from which the rest of the pattern matches up to the end.
                    let take = if *greedy {
                        taken.matches_exactly(haystack.as_bytes(), at, whole.end)?
                    } else {
                        !skipped.matches_exactly(haystack.as_bytes(), at, whole.end)?
                    };
                    if !take {
                        next = *skip_to;
                    }
                }
            }
        }
        let well_placed = |span: &Span| {
            span.start <= span.end
                && haystack.is_char_boundary(span.start)
                && haystack.is_char_boundary(span.end)
        };
        // A group left unset was in an optional part that did not take part.
        if !slots.iter().flatten().all(well_placed) {
            return None;
        }
        slots[0] = Some(whole);
        Some(())
    }
}

/// Buffers of places, reused by the steps of a resolution and by the resolutions of a
/// thread.
#[derive(Default)]
struct Scratch {
    places: Vec<usize>,
    ends: Vec<usize>,
    /// The groups' spans of the resolution under way.
    slots: Vec<Option<Span>>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// A [`GroupResolver`] built once its pattern has had [`WARM_UP`] matches to resolve:
/// building one costs about what the regex crate spends resolving a few hundred
/// matches, so a run that reads a pattern's groups a few times (one article in an
/// editor) leaves them to the regex crate.
#[derive(Debug, Default)]
pub struct LazyResolver {
    uses: std::sync::atomic::AtomicUsize,
    built: OnceLock<Option<GroupResolver>>,
}

/// How many matches of a pattern the regex crate resolves before its resolver is built.
pub const WARM_UP: usize = 16;

impl LazyResolver {
    /// A resolver not built yet.
    pub const fn new() -> LazyResolver {
        LazyResolver {
            uses: std::sync::atomic::AtomicUsize::new(0),
            built: OnceLock::new(),
        }
    }

    /// The resolver of `source` (always the same pattern), if the pattern has had its
    /// [`WARM_UP`] matches and has one (see [`GroupResolver::new`]); counts this match.
    pub fn get(&self, source: &str) -> Option<&GroupResolver> {
        if let Some(built) = self.built.get() {
            return built.as_ref();
        }
        let uses = self.uses.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if uses < WARM_UP {
            return None;
        }
        self.force(source)
    }

    /// The resolver of `source`, built now if it was not.
    pub fn force(&self, source: &str) -> Option<&GroupResolver> {
        self.built
            .get_or_init(|| GroupResolver::new(source))
            .as_ref()
    }
}

impl std::fmt::Debug for GroupResolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupResolver")
            .field("groups", &self.groups)
            .field("operations", &self.program.len())
            .finish()
    }
}

/// A piece of the pattern laid flat: a capture-free part, a group opening or closing, or
/// an optional part with groups (`(?:…(?P<name>…)…)?`), itself laid flat.
enum Flat {
    Hir(Hir),
    Mark(usize, bool),
    Optional {
        /// The optional part, as written (`(?:…)?`).
        whole: Hir,
        parts: Vec<Flat>,
        greedy: bool,
    },
}

/// Lays `hir` flat into `out`, groups as marks; `None` if a group is inside anything but
/// a sequence, another group or an optional part.
fn flatten(hir: &Hir, out: &mut Vec<Flat>) -> Option<()> {
    match hir.kind() {
        HirKind::Concat(items) => items.iter().try_for_each(|item| flatten(item, out)),
        HirKind::Capture(capture) => {
            let group = usize::try_from(capture.index).ok()?;
            out.push(Flat::Mark(group, true));
            flatten(&capture.sub, out)?;
            out.push(Flat::Mark(group, false));
            Some(())
        }
        HirKind::Repetition(repetition)
            if repetition.min == 0
                && repetition.max == Some(1)
                && hir.properties().explicit_captures_len() > 0 =>
        {
            let mut parts = Vec::new();
            flatten(&repetition.sub, &mut parts)?;
            out.push(Flat::Optional {
                whole: hir.clone(),
                parts,
                greedy: repetition.greedy,
            });
            Some(())
        }
        _ if hir.properties().explicit_captures_len() > 0 => None,
        _ => {
            out.push(Flat::Hir(hir.clone()));
            Some(())
        }
    }
}

/// The capture-free parts of a flat list, optional parts as written.
fn parts_of(flat: &[Flat]) -> impl Iterator<Item = Hir> + '_ {
    flat.iter().filter_map(|f| match f {
        Flat::Hir(hir) => Some(hir.clone()),
        Flat::Mark(..) => None,
        Flat::Optional { whole, .. } => Some(whole.clone()),
    })
}

/// Appends to `program` the operations that place the groups of `flat`, which is followed
/// in the pattern by `after`; `pending` holds the parts read since the last boundary.
fn compile(flat: &[Flat], after: &[Hir], pending: &mut Vec<Hir>, program: &mut Vec<Op>) {
    // What follows item `i` of `flat`, to the end of the pattern.
    let rest =
        |i: usize| -> Vec<Hir> { parts_of(&flat[i..]).chain(after.iter().cloned()).collect() };
    for (i, item) in flat.iter().enumerate() {
        match item {
            Flat::Hir(hir) => pending.push(hir.clone()),
            Flat::Mark(group, open) => program.push(Op::Boundary(Step::new(
                std::mem::take(pending),
                Some((*group, *open)),
                rest(i + 1),
            ))),
            Flat::Optional { parts, greedy, .. } => {
                // Where the optional part begins, then whether it takes part.
                program.push(Op::Boundary(Step::new(
                    std::mem::take(pending),
                    None,
                    rest(i),
                )));
                let beyond = rest(i + 1);
                let taken = Hir::concat(parts_of(parts).chain(beyond.iter().cloned()).collect());
                let decision = program.len();
                program.push(Op::Optional {
                    taken: Automaton::new(taken, false),
                    skipped: Automaton::new(Hir::concat(beyond.clone()), false),
                    greedy: *greedy,
                    skip_to: 0,
                });
                // Its groups, then where it ends; a part left out skips them all.
                compile(parts, &beyond, pending, program);
                program.push(Op::Boundary(Step::new(
                    std::mem::take(pending),
                    None,
                    beyond,
                )));
                let end = program.len();
                if let Some(Op::Optional { skip_to, .. }) = program.get_mut(decision) {
                    *skip_to = end;
                }
            }
        }
    }
}

/// The literals of `hir` of the given kind, if there are a few and none is empty.
fn literals(hir: &Hir, kind: ExtractKind) -> Option<Vec<Finder<'static>>> {
    // Small limits: only a few literals are of use, and extraction then gives up early.
    let seq = Extractor::new()
        .kind(kind)
        .limit_class(MAX_LITERALS)
        .limit_repeat(4)
        .limit_literal_len(64)
        .limit_total(2 * MAX_LITERALS)
        .extract(hir);
    let literals = seq.literals()?;
    if literals.is_empty()
        || literals.len() > MAX_LITERALS
        || literals.iter().any(|l| l.as_bytes().is_empty())
    {
        return None;
    }
    Some(
        literals
            .iter()
            .map(|l| Finder::new(l.as_bytes()).into_owned())
            .collect(),
    )
}

/// The one length in bytes every match of `hir` has, if it has one.
fn fixed_len(hir: &Hir) -> Option<usize> {
    let properties = hir.properties();
    match (properties.minimum_len(), properties.maximum_len()) {
        (Some(min), Some(max)) if min == max => Some(min),
        _ => None,
    }
}

impl Step {
    fn new(piece: Vec<Hir>, mark: Option<(usize, bool)>, rest: Vec<Hir>) -> Step {
        Step {
            piece: Piece::new(piece),
            mark,
            rest: Rest::new(rest),
        }
    }
}

impl Piece {
    fn new(items: Vec<Hir>) -> Piece {
        let ordered = Ordered::new(&items);
        let hir = Hir::concat(items);
        Piece {
            fixed: fixed_len(&hir),
            suffixes: OnceLock::new(),
            ordered,
            forward: Automaton::new(hir, false),
        }
    }
}

impl Rest {
    fn new(items: Vec<Hir>) -> Rest {
        let hir = Hir::concat(items);
        Rest {
            fixed: fixed_len(&hir),
            prefixes: OnceLock::new(),
            reverse: Automaton::new(hir, true),
        }
    }
}

impl Automaton {
    fn new(hir: Hir, reverse: bool) -> Automaton {
        Automaton {
            hir,
            reverse,
            built: OnceLock::new(),
        }
    }

    /// The DFA and its caches, built on first use.
    fn built(&self) -> Option<&(DFA, Caches)> {
        self.built
            .get_or_init(|| {
                let nfa = thompson::Compiler::new()
                    .configure(
                        thompson::Config::new()
                            .reverse(self.reverse)
                            .which_captures(WhichCaptures::None),
                    )
                    .build_from_hir(&self.hir)
                    .ok()?;
                // A small cache per thread: the parts are short and their states few, and
                // memory stays flat however many documents pass (the default, 2 MiB a
                // cache, lets each of a pattern's automata grow that far on varied text).
                let dfa = DFA::builder()
                    .configure(
                        DFA::config()
                            .match_kind(MatchKind::All)
                            .unicode_word_boundary(true)
                            .cache_capacity(CACHE_CAPACITY),
                    )
                    .build_from_nfa(nfa)
                    .ok()?;
                let pool = caches_of(&dfa);
                Some((dfa, PerThread::new(pool)))
            })
            .as_ref()
    }

    /// Calls `found` with every place in `start..=end` where a match of the DFA's part
    /// ends (forward: begun at `start`, nearest first) or begins (reverse: ending at
    /// `end`, nearest to `end` first), until `found` returns `false`; `None` if the DFA
    /// gives up (a Unicode word boundary beside a non-ASCII character) or `found` stops.
    fn each_place(
        &self,
        haystack: &[u8],
        start: usize,
        end: usize,
        mut found: impl FnMut(usize) -> bool,
    ) -> Option<()> {
        let (dfa, caches) = self.built()?;
        let mut cache = caches.get(|_| caches_of(dfa)).get();
        let cache: &mut Cache = &mut cache;
        let input = Input::new(haystack)
            .range(start..end)
            .anchored(Anchored::Yes);
        let (mut state, mut at, last) = if self.reverse {
            (dfa.start_state_reverse(cache, &input).ok()?, end, start)
        } else {
            (dfa.start_state_forward(cache, &input).ok()?, start, end)
        };
        loop {
            // The state after the next byte (forward: the one at `at`; reverse: the one
            // before it), or after the haystack's edge, says whether a match ends (or
            // begins) at `at`.
            let byte = if self.reverse {
                at.checked_sub(1).map(|before| haystack[before])
            } else {
                haystack.get(at).copied()
            };
            let next = match byte {
                Some(byte) => dfa.next_state(cache, state, byte),
                None => dfa.next_eoi_state(cache, state),
            }
            .ok()?;
            if next.is_quit() || (next.is_match() && !found(at)) {
                return None;
            }
            if at == last || next.is_dead() {
                return Some(());
            }
            state = next;
            at = if self.reverse { at - 1 } else { at + 1 };
        }
    }

    /// Every place in `from..=end` from which the (reverse) DFA's part matches exactly up
    /// to `end`, nearest to `end` first, into `found`; `None` if the DFA gives up or there
    /// are more than [`MAX_PLACES`].
    fn starts(
        &self,
        haystack: &[u8],
        from: usize,
        end: usize,
        found: &mut Vec<usize>,
    ) -> Option<()> {
        found.clear();
        self.each_place(haystack, from, end, |at| {
            found.push(at);
            found.len() <= MAX_PLACES
        })
    }

    /// Whether the (forward) DFA's part matches exactly `start..end`; `None` if the DFA
    /// gives up.
    fn matches_exactly(&self, haystack: &[u8], start: usize, end: usize) -> Option<bool> {
        let mut last = None;
        self.each_place(haystack, start, end, |at| {
            last = Some(at);
            true
        })?;
        Some(last == Some(end))
    }
}

impl Step {
    /// Where this step's boundary is, the piece beginning at `start`, the match ending at
    /// `end`; `None` if it cannot be told here.
    fn boundary(
        &self,
        haystack: &str,
        start: usize,
        end: usize,
        scratch: &mut Scratch,
    ) -> Option<usize> {
        if let Some(len) = self.piece.fixed {
            return Some(start + len).filter(|&at| at <= end);
        }
        if let Some(len) = self.rest.fixed {
            return end.checked_sub(len).filter(|&at| at >= start);
        }
        let bytes = haystack.as_bytes();
        // Places a literal marks: where one of the rest's first literals begins, or else
        // where one of the piece's last literals ends.
        let prefixes = self
            .rest
            .prefixes
            .get_or_init(|| literals(&self.rest.reverse.hir, ExtractKind::Prefix));
        let suffixes = || {
            self.piece
                .suffixes
                .get_or_init(|| literals(&self.piece.forward.hir, ExtractKind::Suffix))
        };
        let literals = match prefixes {
            Some(prefixes) => Some((prefixes, false)),
            None => suffixes().as_ref().map(|suffixes| (suffixes, true)),
        };
        if let Some((literals, ends)) = literals {
            match occurrence(bytes, start, end, literals, ends) {
                Occurrence::None => return None,
                Occurrence::One(at) => return Some(at),
                Occurrence::Several => {}
            }
        }
        // Where the rest matches up to the match's end.
        let places = &mut scratch.places;
        self.rest.reverse.starts(bytes, start, end, places)?;
        if let [] | [_] = places.as_slice() {
            return places.first().copied();
        }
        if let Some(ordered) = &self.piece.ordered {
            return ordered.choose(haystack, start, places);
        }
        // Of those, where the piece can end.
        let farthest = places.iter().copied().max()?;
        let ends = &mut scratch.ends;
        ends.clear();
        self.piece
            .forward
            .each_place(bytes, start, farthest, |at| {
                ends.push(at);
                ends.len() <= MAX_PLACES
            })?;
        places.retain(|at| ends.contains(at));
        match places.as_slice() {
            [only] => Some(*only),
            _ => None,
        }
    }
}

/// Whether one of `literals` begins (or ends, with `ends`) at no place, one place or
/// several places in `start..=end`, whole within `start..end`.
enum Occurrence {
    None,
    One(usize),
    Several,
}

fn occurrence(
    haystack: &[u8],
    start: usize,
    end: usize,
    literals: &[Finder<'static>],
    ends: bool,
) -> Occurrence {
    let window = &haystack[start..end];
    let mut found = None;
    for literal in literals {
        let shift = if ends { literal.needle().len() } else { 0 };
        // Occurrences may overlap (`aa` twice in `aaa`): the second search starts one
        // byte after the first occurrence.
        let Some(first) = literal.find(window) else {
            continue;
        };
        if literal.find(&window[first + 1..]).is_some() {
            return Occurrence::Several;
        }
        let at = start + first + shift;
        match found {
            Some(other) if other != at => return Occurrence::Several,
            _ => found = Some(at),
        }
    }
    found.map_or(Occurrence::None, Occurrence::One)
}

impl Ordered {
    /// The piece of `items` as alternatives, if each is a [`Run`].
    fn new(items: &[Hir]) -> Option<Ordered> {
        let alternatives = match items {
            [one] => match one.kind() {
                HirKind::Alternation(alternatives) => alternatives
                    .iter()
                    .map(|a| match a.kind() {
                        HirKind::Concat(items) => Run::new(items),
                        _ => Run::new(std::slice::from_ref(a)),
                    })
                    .collect::<Option<Vec<_>>>()?,
                _ => vec![Run::new(items)?],
            },
            _ => vec![Run::new(items)?],
        };
        Some(Ordered { alternatives })
    }

    /// Of `places` (where the rest matches up to the match's end), the first end of the
    /// piece begun at `start`, in the backtracker's order.
    fn choose(&self, haystack: &str, start: usize, places: &[usize]) -> Option<usize> {
        let farthest = places.iter().copied().max()?;
        self.alternatives
            .iter()
            .find_map(|run| run.first_among(haystack, start, farthest, places))
    }
}

impl Run {
    /// The alternative of `items`: characters, at most one repetition of one, characters.
    fn new(items: &[Hir]) -> Option<Run> {
        let mut run = Run {
            before: Vec::new(),
            repeat: None,
            after: Vec::new(),
        };
        for item in items {
            match item.kind() {
                HirKind::Repetition(repetition) if run.repeat.is_none() => {
                    run.repeat = Some(Repeat {
                        class: CharTest::one(&repetition.sub)?,
                        min: repetition.min,
                        max: repetition.max,
                        greedy: repetition.greedy,
                    });
                }
                _ => {
                    let side = if run.repeat.is_some() {
                        &mut run.after
                    } else {
                        &mut run.before
                    };
                    side.extend(CharTest::each(item)?);
                }
            }
        }
        Some(run)
    }

    /// The first end of the alternative begun at `start` that is one of `places`, in the
    /// backtracker's order (by the repetition's count, the most first if greedy), looking
    /// no farther than `limit`.
    fn first_among(
        &self,
        haystack: &str,
        start: usize,
        limit: usize,
        places: &[usize],
    ) -> Option<usize> {
        let at = take(haystack, start, &self.before)?;
        let accept =
            |stop: usize| take(haystack, stop, &self.after).filter(|end| places.contains(end));
        let Some(repeat) = &self.repeat else {
            return accept(at);
        };
        // The repetition may stop at any character boundary from `fewest` (its fewest
        // characters) to `farthest` (as far as it goes); the backtracker tries them
        // nearest first if lazy, farthest first if greedy.
        let (fewest, farthest) = repeat.stops(haystack, at, limit)?;
        if self.after.is_empty() {
            // The alternative ends where the repetition stops: the nearest (or farthest)
            // of the places within reach, without trying each stop.
            let reached = places.iter().copied().filter(|&place| {
                (fewest..=farthest).contains(&place) && haystack.is_char_boundary(place)
            });
            return if repeat.greedy {
                reached.max()
            } else {
                reached.min()
            };
        }
        let mut stops = haystack[fewest..farthest]
            .char_indices()
            .map(|(offset, _)| fewest + offset)
            .chain(std::iter::once(farthest));
        if repeat.greedy {
            stops.rev().find_map(accept)
        } else {
            stops.find_map(accept)
        }
    }
}

impl Repeat {
    /// Where a run of this repetition begun at `at` may stop: from where it has its fewest
    /// characters to where it can go no farther (a character outside its class, its most
    /// characters, `limit` or the text's end); `None` if it cannot have its fewest.
    fn stops(&self, haystack: &str, at: usize, limit: usize) -> Option<(usize, usize)> {
        let bytes = haystack.as_bytes();
        let (min, max) = (
            self.min as usize,
            self.max.map_or(usize::MAX, |max| max as usize),
        );
        let mut fewest = (min == 0).then_some(at);
        let (mut stop, mut count) = (at, 0);
        while stop < limit && count < max {
            // A stretch of ASCII characters of the class is taken at once (a character a
            // byte); a character beyond ASCII is decoded (`stop` is always a character
            // boundary) and searched in the class.
            let room = (limit - stop).min(max - count);
            let stretch = bytes
                .get(stop..)
                .unwrap_or_default()
                .iter()
                .take(room)
                .take_while(|&&byte| byte.is_ascii() && self.class.ascii[usize::from(byte)])
                .count();
            if count < min && min <= count + stretch {
                fewest = Some(stop + (min - count));
            }
            stop += stretch;
            count += stretch;
            if stretch == room || bytes.get(stop).is_none_or(u8::is_ascii) {
                break;
            }
            match haystack[stop..].chars().next() {
                Some(c) if self.class.matches(c) => stop += c.len_utf8(),
                _ => break,
            }
            count += 1;
            if count == min {
                fewest = Some(stop);
            }
        }
        Some((fewest?, stop))
    }
}

/// Where `tests` end when each takes the next character from `at`, if they all pass.
fn take(haystack: &str, mut at: usize, tests: &[CharTest]) -> Option<usize> {
    let mut chars = haystack.get(at..)?.chars();
    for test in tests {
        let c = chars.next().filter(|&c| test.matches(c))?;
        at += c.len_utf8();
    }
    Some(at)
}

impl CharTest {
    /// The test of a one-character piece: a class, or a literal of one character.
    fn one(hir: &Hir) -> Option<CharTest> {
        let mut tests = CharTest::each(hir)?;
        match tests.len() {
            1 => tests.pop(),
            _ => None,
        }
    }

    /// The tests of a piece that is characters: a class, or a literal (one a character).
    fn each(hir: &Hir) -> Option<Vec<CharTest>> {
        match hir.kind() {
            HirKind::Class(class) => Some(vec![CharTest::new(class.clone())]),
            HirKind::Literal(literal) => Some(
                std::str::from_utf8(&literal.0)
                    .ok()?
                    .chars()
                    .map(|c| {
                        CharTest::new(Class::Unicode(ClassUnicode::new([
                            regex_syntax::hir::ClassUnicodeRange::new(c, c),
                        ])))
                    })
                    .collect(),
            ),
            _ => None,
        }
    }

    fn new(class: Class) -> CharTest {
        let mut test = CharTest {
            ascii: [false; 128],
            class,
        };
        for b in 0..128u8 {
            test.ascii[usize::from(b)] = test.in_class(char::from(b));
        }
        test
    }

    fn matches(&self, c: char) -> bool {
        match u8::try_from(c) {
            Ok(b) if b.is_ascii() => self.ascii[usize::from(b)],
            _ => self.in_class(c),
        }
    }

    /// Whether `c` is in the class, searched.
    fn in_class(&self, c: char) -> bool {
        match &self.class {
            Class::Unicode(class) => class
                .ranges()
                .binary_search_by(|r| {
                    if r.end() < c {
                        std::cmp::Ordering::Less
                    } else if r.start() > c {
                        std::cmp::Ordering::Greater
                    } else {
                        std::cmp::Ordering::Equal
                    }
                })
                .is_ok(),
            // A byte class of a regex on text matches ASCII characters only.
            Class::Bytes(class) => u8::try_from(c).is_ok_and(|b| {
                b.is_ascii()
                    && class
                        .ranges()
                        .iter()
                        .any(|r| r.start() <= b && b <= r.end())
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    /// The regex as rule regexes are compiled.
    fn compiled(pattern: &str) -> Regex {
        regex::RegexBuilder::new(pattern)
            .multi_line(true)
            .crlf(true)
            .build()
            .expect("a valid pattern")
    }

    /// Checks every match of `pattern` in `text` against the regex crate's groups, and
    /// returns how many of them the resolver answered (the rest it left to the crate).
    fn resolved_alike(pattern: &str, text: &str) -> Result<usize, String> {
        let regex = compiled(pattern);
        let Some(resolver) = GroupResolver::new(pattern) else {
            return Ok(0);
        };
        let mut resolved = 0;
        for caps in regex.captures_iter(text) {
            let whole = caps.get(0).expect("group 0").range();
            let Some(slots) = resolver.resolve(text, whole) else {
                continue;
            };
            let expected: Vec<Option<Span>> = caps.iter().map(|m| m.map(|m| m.range())).collect();
            if slots != expected {
                return Err(format!(
                    "{pattern:?} on {text:?}: resolved {slots:?}, the regex crate {expected:?}"
                ));
            }
            resolved += 1;
        }
        Ok(resolved)
    }

    const CITATION: &str = r"(?:^[ \t]*|(?-u:\B))Citation: (?P<title>\S.*?) \((?P<date>[^()\n]+)\) retrieved (?P<retrieved>\S.*?) from (?P<url>\S*[^\s.]|\S+?)\.?[ \t]*$";
    const NEWS_PATH: &str = r"^/news/(?P<ym>[0-9]{4}-[0-9]{2})-(?P<slug>[^/]+?)(?:\.html?)?$";

    #[test]
    fn the_science_x_citation_is_resolved_as_the_regex_crate_does() {
        for text in [
            "Citation: Marsh soils hold more carbon (2021, March 3) retrieved 12 April 2023 from https://phys.org/news/2021-03-marsh.html\n",
            // A title with parentheses of its own, a URL with a closing full stop.
            "\n  Citation: Marsh (and peat) soils (part 2) (2021, March 3) retrieved 12 April 2023 from https://phys.org/news/2021-03-marsh.html.\n",
            // Glued to the credit line; non-ASCII title; CRLF; trailing blanks.
            "© 2021 AFPCitation: Ça marche — über (2021, March 3) retrieved 12 April 2023 from https://phys.org/a \t\r\nmore",
            // Two citations, the first with ` from ` in its retrieval clause.
            "Citation: A (2021, March 3) retrieved from now from x.\nCitation: B (x) retrieved y from z\n",
        ] {
            let resolved = resolved_alike(CITATION, text).unwrap();
            assert!(
                resolved > 0,
                "the resolver left {text:?} to the regex crate"
            );
        }
    }

    #[test]
    fn a_news_path_is_resolved_with_its_lazy_slug_before_an_optional_extension() {
        for text in [
            "/news/2021-03-marsh-soils-carbon.html",
            "/news/2021-03-marsh-soils-carbon.htm",
            "/news/2021-03-marsh-soils-carbon",
            "/news/2021-03-a.html.html",
            "/news/2021-03-ça-va.html",
        ] {
            assert_eq!(resolved_alike(NEWS_PATH, text), Ok(1), "{text}");
        }
    }

    #[test]
    fn groups_repeated_or_in_an_alternative_are_left_to_the_regex_crate() {
        for pattern in [
            r"(?P<x>a)|b",
            r"(?:(?P<x>a),)*",
            r"(?:(a)b){0,2}",
            "abc",
            r"(?:ab)+",
        ] {
            assert!(GroupResolver::new(pattern).is_none(), "{pattern}");
        }
        for pattern in [
            r"(?P<x>a|b)c",
            r"(a)(b)",
            r"x(?P<x>a(?P<y>b*)c)",
            r"(?:a(?P<x>b))?c",
        ] {
            assert!(GroupResolver::new(pattern).is_some(), "{pattern}");
        }
    }

    #[test]
    fn a_match_with_too_many_places_to_weigh_is_left_to_the_regex_crate() {
        let pattern = r"Provided by[ \t]+(?P<organisation>\S[^\n]*)$";
        assert_eq!(resolved_alike(pattern, "Provided by The Lab of X\n"), Ok(1));
        let long = format!("Provided by {}\n", "ab ".repeat(3 * MAX_PLACES));
        assert_eq!(resolved_alike(pattern, &long), Ok(0));
    }

    #[test]
    fn adjacent_nested_and_empty_groups_are_placed() {
        assert_eq!(resolved_alike(r"(a*)(a*)", "aaa"), Ok(1));
        assert_eq!(
            resolved_alike(r"x(?P<x>a(?P<y>b*)c)(d?)", "xabbcd xac"),
            Ok(2)
        );
        assert_eq!(resolved_alike(r"(\w+?)(\d*)$", "abc123\nxy"), Ok(2));
        assert_eq!(resolved_alike(r"()", "ab"), Ok(3));
    }

    #[test]
    fn every_built_in_group_regex_agrees_with_the_regex_crate_on_the_fixtures() {
        let rules = crate::rules::RuleSet::builtin().expect("built-in packs load");
        let patterns: Vec<String> = rules
            .packs()
            .iter()
            .flat_map(|p| p.regexes())
            .filter(|p| GroupResolver::new(p).is_some())
            .collect();
        assert!(
            patterns.len() >= 7 && patterns.iter().any(|p| p.contains("Citation: (?P<title>")),
            "{patterns:?}"
        );
        let (mut files, mut resolved) = (0, 0);
        for (_, text) in crate::rules::fixture_texts() {
            files += 1;
            for pattern in &patterns {
                resolved += resolved_alike(pattern, &text).unwrap();
            }
        }
        assert!(files > 100, "only {files} fixtures");
        assert!(
            resolved > 100,
            "the resolver answered only {resolved} matches"
        );
    }

    /// Pieces of text the built-in patterns look for, and some that trip them up.
    const TOKENS: &[&str] = &[
        "Citation: ",
        "Citation:",
        " (",
        "(",
        ")",
        ") retrieved ",
        " retrieved ",
        " from ",
        "2021, March 3",
        "12 April 2023",
        "https://phys.org/news/2021-03-marsh-soils.html",
        "/news/",
        "/wire-news/",
        "2021-03-",
        "123/",
        "-",
        ".html",
        ".",
        "/",
        " ",
        "\t",
        "\n",
        "\r\n",
        "a",
        "é",
        "x y",
        "|",
        "url",
        " = ",
        "title",
        "access-date",
        "{",
        "}",
        "<ref>",
        "</ref>",
        "[",
        "]",
        "CC BY",
        "-SA",
        " 4.0",
        "Creative Commons Attribution",
        "Provided by ",
        "© 2021 AFP",
        "(AFP) —",
        "Retrieved ",
        "Accessed ",
        "May 3, 2020",
        "3 May 2020",
        "originally published on ",
        "The Conversation",
        " under a Creative Commons license.",
        " Read the original article",
        "https://theconversation.com/x-1",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ];

    /// Small patterns of the shapes the resolver handles, and texts over their alphabet.
    const SHAPES: &[&str] = &[
        r"(a+)(a*)",
        r"(a*?)(a+)b",
        r"(?P<x>\w+)\s(?P<y>\w*?)$",
        r"x(?P<g>.*)y(?P<h>.*?)z",
        r"(?P<u>\S*[^\s.]|\S+?)\.?[ \t]*$",
        r"^(?P<s>[^/]+?)(?:\.x)?$",
        r"(a|ab)(c|bcd)(d*)",
        r"(?:^|\b)(?P<w>\w+)(?P<rest>[^\n]*)",
        r"(é+?)(é|a)",
        r"(\B)(a)",
        r"((a)(b?))(b*)",
    ];

    /// What random patterns are made of: characters, classes, repetitions of them (greedy
    /// and lazy), alternations, optional parts and assertions.
    const ATOMS: &[&str] = &[
        "a",
        "b",
        "[ab]",
        ".",
        r"\w",
        "é",
        "x*",
        "a+?",
        "[^b]*",
        "(?:a|ab)",
        "b?",
        r"\b",
        "$",
        "^",
        r"(?:\.x)?",
        "a{2}",
        "[ab]{1,3}?",
        r"(?:\S*[^\s.]|\S+?)",
        r"\.?",
        " ",
        "x*?",
        "(?:b|)",
        r"(?-u:\B)",
        r"(?-u:\b)",
        r"\B",
        r"[^\n]*",
        r"\d{1,2}",
        "ab",
        "(?:a|b|ab)",
        "(?i)a",
        "(?i:é)",
        r"\s*",
        r"[ \t]+",
        r"\)",
        r"\(",
        r"[^()]+",
        "(?:ab)+",
        "(?:a|b)*?",
        r"\r?",
        "(?:xa)?",
        "é+",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// On texts made of the pieces the built-in patterns look for, every match the
        /// resolver answers has the regex crate's groups.
        #[test]
        fn built_in_patterns_resolve_as_the_regex_crate_does(
            picks in proptest::collection::vec(0..TOKENS.len(), 0..14),
        ) {
            let text: String = picks.iter().map(|&i| TOKENS[i]).collect();
            let rules = crate::rules::RuleSet::builtin().expect("built-in packs load");
            for pattern in rules.packs().iter().flat_map(|p| p.regexes()) {
                if let Err(e) = resolved_alike(&pattern, &text) {
                    proptest::prop_assert!(false, "{}", e);
                }
            }
        }

        /// The same for random patterns: a sequence of pieces, some of them groups (a
        /// group of a group now and then), on texts over their alphabet.
        #[test]
        fn random_patterns_resolve_as_the_regex_crate_does(
            pieces in proptest::collection::vec((0..ATOMS.len(), 0..ATOMS.len(), 0..6u8), 1..5),
            text in "[abxÉé. \n\r\t()1]{0,20}",
        ) {
            let pattern: String = pieces
                .iter()
                .map(|&(a, b, wrap)| match wrap {
                    0 => ATOMS[a].to_string(),
                    1 => format!("({})", ATOMS[a]),
                    2 => format!("({}{})", ATOMS[a], ATOMS[b]),
                    3 => format!("({}({}))", ATOMS[a], ATOMS[b]),
                    4 => format!("(?:{}({}))?", ATOMS[a], ATOMS[b]),
                    _ => format!("(?:({}){})??", ATOMS[a], ATOMS[b]),
                })
                .collect();
            if let Err(e) = resolved_alike(&pattern, &text) {
                proptest::prop_assert!(false, "{}", e);
            }
        }

        /// The same for small patterns of each shape, on texts over their alphabet.
        #[test]
        fn small_patterns_resolve_as_the_regex_crate_does(
            shape in 0..SHAPES.len(),
            text in "[abcdxyzé. \t\n/]{0,16}",
        ) {
            if let Err(e) = resolved_alike(SHAPES[shape], &text) {
                proptest::prop_assert!(false, "{}", e);
            }
        }
    }
}
