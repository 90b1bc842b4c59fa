//! The kernel: `text + rules → diagnostics`, with no I/O.
//!
//! For each pack that applies to a document, extract its fields once, run each enabled
//! rule (on every occurrence of its subject field), render messages, apply the
//! document's suppression directives, and return the diagnostics sorted by position.
//! The CLI, the tests and any editor integration all call [`check`].

use jiff::civil::Date;

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::document::{DirectiveKind, Document};
use crate::position::Span;
use crate::rules::field::{Fields, FieldsBuffer, Shared};
use crate::rules::kinds::{Cx, Finding, Today};
use crate::rules::line_scan::LazyLines;
use crate::rules::{Pack, Rule, RuleSet};

thread_local! {
    /// The lists of the fields of the last document a thread checked (see [`FieldsBuffer`]).
    static FIELDS_BUFFER: std::cell::Cell<FieldsBuffer> = std::cell::Cell::default();
}

/// What a check needs besides rules and a document.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The date "in the future" is measured against.
    pub today: Date,
    /// Per-file settings on top of the rule set's (from per-directory configuration).
    pub overrides: Overrides,
}

impl CheckOptions {
    /// Options with `today` and no overrides.
    pub fn new(today: Date) -> CheckOptions {
        CheckOptions {
            today,
            overrides: Overrides::default(),
        }
    }
}

/// Per-file rule levels and packs, applied in order on top of the rule set's own.
/// Selectors are rule ids or pack names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    /// `(selector, level)`; `None` turns the rules off.
    pub levels: Vec<(String, Option<Severity>)>,
    /// `(pack, enabled)`.
    pub packs: Vec<(String, bool)>,
}

impl Overrides {
    /// The level of `rule` in `pack` after these overrides. A rule already off (`base`
    /// is `None`, as `--select`/`--ignore` leave it) stays off.
    pub fn level(&self, pack: &str, rule: &str, base: Option<Severity>) -> Option<Severity> {
        base?;
        self.levels
            .iter()
            .filter(|(selector, _)| selector == pack || selector == rule)
            .fold(base, |_, (_, level)| *level)
    }

    /// Whether `pack` is on after these overrides.
    pub fn pack_enabled(&self, pack: &str, base: bool) -> bool {
        self.packs
            .iter()
            .filter(|(name, _)| name == pack)
            .fold(base, |_, (_, on)| *on)
    }
}

/// The id of the diagnostic for front matter that cannot be parsed.
pub const FRONT_MATTER_RULE: &str = "citelint/front-matter-syntax";
/// The id of the diagnostic for a directive naming an unknown rule.
pub const INVALID_SUPPRESSION_RULE: &str = "citelint/invalid-suppression";
/// The id of the diagnostic for a directive that suppressed nothing.
pub const UNUSED_SUPPRESSION_RULE: &str = "citelint/unused-suppression";

/// Which packs apply to a document, and why (or why not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackDecision {
    /// The pack's name.
    pub pack: String,
    /// Whether its rules run on the document.
    pub applied: bool,
    /// Why, in a few words.
    pub reason: String,
}

/// Says, for each pack, whether it applies to `doc` and why.
pub fn explain_packs(rules: &RuleSet, doc: &Document, options: &CheckOptions) -> Vec<PackDecision> {
    rules
        .packs()
        .iter()
        .map(|pack| {
            let (applied, reason) = if !options.overrides.pack_enabled(&pack.name, pack.enabled) {
                (false, "turned off by configuration".to_string())
            } else {
                match pack.applies(doc) {
                    Some(reason) => (true, reason),
                    None => (false, "its applies_to does not match".to_string()),
                }
            };
            PackDecision {
                pack: pack.name.clone(),
                applied,
                reason,
            }
        })
        .collect()
}

/// The rules that run on `doc` (of the packs that apply), with their levels.
pub fn checked_rules<'a>(
    rules: &'a RuleSet,
    doc: &Document,
    options: &CheckOptions,
) -> Vec<(&'a Pack, &'a Rule, Severity)> {
    let mut out = Vec::new();
    for pack in rules.packs() {
        if !options.overrides.pack_enabled(&pack.name, pack.enabled) || !pack.applies_to(doc) {
            continue;
        }
        for rule in &pack.rules {
            if let Some(level) = options
                .overrides
                .level(&pack.name, &rule.id, rule.effective)
                && rule.applies_to.as_ref().is_none_or(|a| a.matches(doc))
            {
                out.push((pack, rule, level));
            }
        }
    }
    out
}

/// Compiles, in parallel, every regex that checking `doc` needs: the packs' `applies_to`
/// patterns (those whose literals `doc` has), then the patterns of the packs that apply
/// (those that may match `doc`: see [`LazyRegex::may_match`]).
///
/// Optional (regexes compile on first use), but a one-file run such as an editor's then
/// waits for the slowest regex rather than for all of them in turn. Best run alongside
/// [`check`] (as the CLI does, in a `rayon::scope`): the check takes each regex as it
/// comes, compiling it itself if no worker has started on it.
///
/// [`LazyRegex::may_match`]: crate::rules::table::LazyRegex::may_match
pub fn prepare(rules: &RuleSet, doc: &Document, options: &CheckOptions) {
    use crate::rules::table::Precompile;
    use rayon::prelude::*;

    // Each pack's regexes compile as soon as it is known to apply, without waiting for
    // the other packs' decisions; those that cannot match the document do not compile.
    let open = rules.open_packs(doc);
    let texts = [doc.view().text(), doc.text()];
    rules
        .packs()
        .par_iter()
        .enumerate()
        .for_each(|(index, pack)| {
            // Decided as the check decides it (on the lines the search found), so that
            // the same regexes compile.
            if pack.has_live_rules()
                && options.overrides.pack_enabled(&pack.name, pack.enabled)
                && open.may_apply(index)
                && pack.applies_to_in(doc, rules.pack_lines(&open, index, doc).as_ref())
            {
                let mut patterns: Vec<&dyn Precompile> = Vec::new();
                pack.regexes_to_compile(&mut |r| patterns.push(r));
                patterns.par_iter().for_each(|r| r.precompile(&texts));
            }
        });
}

/// Checks `doc` against every applicable pack of `rules`.
pub fn check(rules: &RuleSet, doc: &Document, options: &CheckOptions) -> Vec<Diagnostic> {
    check_outcome(rules, doc, options).diagnostics
}

/// A check's diagnostics, and the days on which it would give the same ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The diagnostics, as [`check`] returns them.
    pub diagnostics: Vec<Diagnostic>,
    /// The first and last `today` giving the same diagnostics (all days, unless a rule
    /// compared a date with today).
    pub same_result: (Date, Date),
}

/// [`check`], also saying on which days of `today` the result would be the same (what a
/// cache of results may rely on).
pub fn check_outcome(rules: &RuleSet, doc: &Document, options: &CheckOptions) -> Outcome {
    let today = Today::new(options.today);
    let mut diagnostics = Vec::new();
    let meta_level = |id: &str| {
        options
            .overrides
            .level("citelint", id, rules.meta_level(id))
    };
    if let Some((span, message)) = doc.front_matter().and_then(|f| f.error.clone())
        && let Some(level) = meta_level(FRONT_MATTER_RULE)
    {
        diagnostics.push(diagnostic(
            doc,
            FRONT_MATTER_RULE,
            level,
            message,
            None,
            span,
            Vec::new(),
        ));
    }
    let mut findings = Vec::new();
    let open = rules.open_packs(doc);
    // Copyright notices are looked for on the lines the search found holding their starts.
    let shared = match open.notice_lines() {
        Some(lines) => Shared::with_notice_lines(lines),
        None => Shared::default(),
    };
    // One buffer holds the fields of each pack in turn, in lists the thread's last
    // document left.
    let mut fields = Fields::from_buffer(FIELDS_BUFFER.take());
    for (index, pack) in rules.packs().iter().enumerate() {
        if !options.overrides.pack_enabled(&pack.name, pack.enabled) {
            continue;
        }
        let level = |rule: &Rule| {
            options
                .overrides
                .level(&pack.name, &rule.id, rule.effective)
        };
        if !pack.rules.iter().any(|r| level(r).is_some()) || !open.may_apply(index) {
            continue;
        }
        let lines = rules.pack_lines(&open, index, doc);
        if !pack.applies_to_in(doc, lines.as_ref()) {
            continue;
        }
        pack.schema
            .extract_into(doc, &shared, lines.as_ref(), &mut fields);
        let fields = &fields;
        // Whether the pack's screen matches the document, once a screened rule asks.
        let mut screen_matches = None;
        for (index, rule) in pack.rules.iter().enumerate() {
            let Some(severity) = level(rule) else {
                continue;
            };
            if rule.applies_to.as_ref().is_some_and(|a| !a.matches(doc)) {
                continue;
            }
            if let Some(screen) = &pack.screen
                && screen.screened[index]
                && !*screen_matches.get_or_insert_with(|| {
                    LazyLines::view_matches(lines.as_ref(), &screen.union, doc.view().text())
                })
            {
                continue;
            }
            let occurrences = match rule.check.subject() {
                Some(field) => fields.occurrence_count(field).max(1),
                None => 1,
            };
            for occurrence in 0..occurrences {
                let binding = rule.check.subject().map(|field| (field, occurrence));
                if !rule.when.iter().all(|w| w.holds(fields, binding)) {
                    continue;
                }
                let cx = Cx {
                    doc,
                    fields,
                    binding,
                    today: &today,
                };
                findings.clear();
                rule.check.run(&cx, &mut findings);
                for Finding { span, vars, labels } in findings.drain(..) {
                    let message = rule.message.render(fields, binding, &vars);
                    let help = rule.help.as_ref().map(|h| h.render(fields, binding, &vars));
                    diagnostics.push(diagnostic(
                        doc, &rule.id, severity, message, help, span, labels,
                    ));
                }
            }
        }
    }
    FIELDS_BUFFER.set(fields.into_buffer());
    if !doc.directives().is_empty() {
        diagnostics = suppress(rules, doc, options, diagnostics);
    }
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, &a.rule).cmp(&(b.span.start, b.span.end, &b.rule))
    });
    diagnostics.dedup();
    Outcome {
        diagnostics,
        same_result: today.same_result(),
    }
}

/// One rule selector of one directive, and the lines it covers.
struct Suppression {
    selector: Option<String>,
    span: Span,
    lines: std::ops::RangeInclusive<usize>,
    used: bool,
    /// A `disable` no `enable` has closed yet.
    open: bool,
}

impl Suppression {
    fn covers(&self, d: &Diagnostic) -> bool {
        self.lines.contains(&d.start.line)
            && match &self.selector {
                None => true,
                Some(selector) => {
                    d.rule == *selector
                        || d.rule
                            .strip_prefix(selector.as_str())
                            .is_some_and(|r| r.starts_with('/'))
                }
            }
    }
}

/// Drops the diagnostics the document's directives suppress, and reports directives that
/// name unknown rules or suppress nothing.
fn suppress(
    rules: &RuleSet,
    doc: &Document,
    options: &CheckOptions,
    diagnostics: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut suppressions: Vec<Suppression> = Vec::new();
    let line_of = |offset: usize| doc.position(offset).line;
    let last_line = doc.lines().line_count();
    for directive in doc.directives() {
        let line = line_of(directive.span.start);
        let lines = match directive.kind {
            DirectiveKind::DisableFile => 1..=last_line,
            DirectiveKind::DisableNextLine => {
                let next = (line_of(directive.span.end) + 1..=last_line)
                    .find(|&l| {
                        doc.lines()
                            .line_span(doc.text(), l)
                            .is_some_and(|s| !doc.text()[s].trim().is_empty())
                    })
                    .unwrap_or(last_line);
                next..=next
            }
            DirectiveKind::Disable => line..=last_line,
            DirectiveKind::Enable => {
                // Close every open `disable` this `enable` names (all, when it names none).
                for open in suppressions.iter_mut().filter(|s| s.open) {
                    let named = directive.rules.is_empty()
                        || directive
                            .rules
                            .iter()
                            .any(|(name, _)| Some(name) == open.selector.as_ref());
                    if named {
                        open.lines = *open.lines.start()..=line;
                        open.open = false;
                    }
                }
                continue;
            }
        };
        let open = directive.kind == DirectiveKind::Disable;
        if directive.rules.is_empty() {
            suppressions.push(Suppression {
                selector: None,
                span: directive.span.clone(),
                lines,
                used: false,
                open,
            });
            continue;
        }
        for (name, span) in &directive.rules {
            if !rules.is_selector(name) {
                problems.push((
                    INVALID_SUPPRESSION_RULE,
                    span.clone(),
                    format!("unknown rule or pack `{name}` in a suppression directive"),
                ));
                continue;
            }
            suppressions.push(Suppression {
                selector: Some(name.clone()),
                span: span.clone(),
                lines: lines.clone(),
                used: false,
                open,
            });
        }
    }
    let mut kept: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter(|d| {
            let mut suppressed = false;
            for s in suppressions.iter_mut().filter(|s| s.covers(d)) {
                s.used = true;
                suppressed = true;
            }
            !suppressed
        })
        .collect();
    let enabled = |selector: &Option<String>| match selector {
        None => true,
        Some(selector) => rules.packs().iter().any(|p| {
            (p.name == *selector && options.overrides.pack_enabled(&p.name, p.enabled))
                || p.rules.iter().any(|r| {
                    r.id == *selector
                        && options
                            .overrides
                            .level(&p.name, &r.id, r.effective)
                            .is_some()
                })
        }),
    };
    for s in suppressions
        .iter()
        .filter(|s| !s.used && enabled(&s.selector))
    {
        let what = s
            .selector
            .as_deref()
            .map_or("any rule".to_string(), |r| format!("`{r}`"));
        problems.push((
            UNUSED_SUPPRESSION_RULE,
            s.span.clone(),
            format!("this directive suppresses nothing: there is no {what} diagnostic here"),
        ));
    }
    for (id, span, message) in problems {
        if let Some(level) = options
            .overrides
            .level("citelint", id, rules.meta_level(id))
        {
            kept.push(diagnostic(doc, id, level, message, None, span, Vec::new()));
        }
    }
    kept
}

fn diagnostic(
    doc: &Document,
    rule: &str,
    severity: Severity,
    message: String,
    help: Option<String>,
    span: Span,
    labels: Vec<(Span, String)>,
) -> Diagnostic {
    let start = doc.position(span.start);
    let excerpt_span = if span.is_empty() {
        doc.lines()
            .line_span(doc.text(), start.line)
            .unwrap_or(span.clone())
    } else {
        span.clone()
    };
    let excerpt = doc.text()[excerpt_span]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    Diagnostic {
        rule: rule.to_string(),
        severity,
        message,
        help,
        start,
        end: doc.position(span.end),
        span,
        labels: labels
            .into_iter()
            .map(|(span, message)| Label {
                message,
                start: doc.position(span.start),
                end: doc.position(span.end),
                span,
            })
            .collect(),
        excerpt,
    }
}
