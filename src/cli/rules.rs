//! `citelint rules`, `citelint rules check`, `citelint rule ID` and `citelint kinds`.

use std::path::PathBuf;

use citelint::RuleSet;
use citelint::rules::field::FIELD_KINDS;
use citelint::rules::kinds::KINDS;

use super::settings::{absolute, shown};
use super::{EXIT_ERROR, EXIT_OK, Failure, LoadArgs, Loaded, load_rules, rule_files, settings};

/// Loads the rules with the working directory's configuration applied, for listings.
fn configured(load: &LoadArgs) -> Result<Loaded, String> {
    let settings = settings(load)?;
    let mut loaded = load_rules(load, &settings)?;
    let root = settings.root();
    loaded.validate(&root)?;
    for pack in &root.config.packs {
        loaded.rules.set_pack_enabled(&pack.value.0, pack.value.1)?;
    }
    for level in &root.config.levels {
        loaded
            .rules
            .set_level(&level.value.selector, level.value.level)?;
    }
    Ok(loaded)
}

/// Lists every loaded pack and rule.
pub fn list(load: &LoadArgs) -> Result<i32, Failure> {
    let rules = configured(load)?.rules;
    for pack in rules.packs() {
        let state = if pack.enabled { "" } else { " (off)" };
        outln!(
            "{}{state} — {} [{}]",
            pack.name,
            pack.description,
            pack.source
        );
        for rule in &pack.rules {
            let level = rule.effective.map_or("off", |l| l.name());
            outln!("  {:<40} {:<8} {}", rule.id, level, rule.summary);
        }
    }
    outln!("citelint — citelint's own rules");
    for meta in rules.meta_rules() {
        let level = meta.effective.map_or("off", |l| l.name());
        outln!("  {:<40} {:<8} {}", meta.id, level, meta.summary);
    }
    Ok(EXIT_OK)
}

/// Prints the regexes of one pack, one a line, in the dialect of grep-like tools: with
/// multi-line mode (which citelint always uses) spelled out, group names dropped (so the
/// lines can be joined into one pattern) and CRLF mode left to the tool's own flag.
pub fn print_regexes(pack: &str, load: &LoadArgs) -> Result<i32, Failure> {
    let rules = configured(load)?.rules;
    let Some(pack) = rules.packs().iter().find(|p| p.name == pack) else {
        let names: Vec<&str> = rules.packs().iter().map(|p| p.name.as_str()).collect();
        return Err(Failure::Error(format!(
            "unknown pack `{pack}`; {}",
            citelint::rules::error::suggestion(pack, &names)
        )));
    };
    let names =
        regex::Regex::new(r"\(\?P?<[A-Za-z_][A-Za-z0-9_]*>").expect("group name pattern is valid");
    for pattern in pack.regexes() {
        let pattern = names.replace_all(&pattern, "(").replace("(?mR)", "");
        outln!("(?m){pattern}");
    }
    Ok(EXIT_OK)
}

/// Runs the examples of the given rule files (or of the loaded rules), printing each one
/// that does not behave and a closing count.
pub fn test(
    files: &[PathBuf],
    today: Option<jiff::civil::Date>,
    load: &LoadArgs,
) -> Result<i32, Failure> {
    let rules = if files.is_empty() {
        configured(load)?.rules
    } else {
        let cwd = std::env::current_dir()
            .map_err(|e| format!("cannot read the working directory: {e}"))?;
        let mut set = RuleSet::new();
        let mut errors = Vec::new();
        for path in files {
            for file in rule_files(&absolute(&cwd, path), &cwd)? {
                let name = shown(&cwd, &file);
                let text = std::fs::read_to_string(&file)
                    .map_err(|e| format!("{name}: cannot read rule file: {e}"))?;
                if let Err(mut more) = set.add_yaml(&name, &text) {
                    errors.append(&mut more);
                }
            }
        }
        if !errors.is_empty() {
            return Err(Failure::Error(super::join_errors(&errors)));
        }
        set
    };
    let today = today.unwrap_or_else(super::clock::today);
    let report = citelint::rules::examples::run(&rules, today);
    for failure in &report.failures {
        let at = if failure.loc.line > 0 {
            format!(
                "{}:{}:{}",
                failure.file, failure.loc.line, failure.loc.column
            )
        } else {
            failure.file.clone()
        };
        outln!("{at}: {}: {}", failure.rule, failure.message);
    }
    let without: Vec<&str> = rules
        .rules()
        .filter(|(_, r)| r.examples.fail.is_empty())
        .map(|(_, r)| r.id.as_str())
        .collect();
    if !without.is_empty() {
        outln!("rules without a failing example: {}", without.join(", "));
    }
    outln!(
        "examples: {} passed, {} failed",
        report.passed,
        report.failures.len()
    );
    Ok(if report.failures.is_empty() {
        EXIT_OK
    } else {
        super::EXIT_DIAGNOSTICS
    })
}

/// Validates rule files, printing every error.
pub fn validate(paths: &[PathBuf]) -> Result<i32, Failure> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?;
    let mut failed = false;
    let mut count = 0;
    for path in paths {
        for file in rule_files(&absolute(&cwd, path), &cwd)? {
            let name = shown(&cwd, &file);
            let text = std::fs::read_to_string(&file)
                .map_err(|e| format!("{name}: cannot read rule file: {e}"))?;
            let mut set = RuleSet::new();
            match set.add_yaml(&name, &text) {
                Ok(()) => {
                    count += set.rules().count();
                    outln!("{name}: ok ({} rules)", set.rules().count());
                }
                Err(errors) => {
                    failed = true;
                    for error in errors {
                        eprintln!("citelint: error: {error}");
                    }
                }
            }
        }
    }
    if failed {
        Ok(EXIT_ERROR)
    } else {
        outln!("{count} rules valid");
        Ok(EXIT_OK)
    }
}

/// Prints one rule's documentation.
pub fn show(id: &str, load: &LoadArgs) -> Result<i32, Failure> {
    let rules = configured(load)?.rules;
    rules.validate_selector(id)?;
    if let Some(meta) = rules.meta_rules().iter().find(|m| m.id == id) {
        outln!("# {}\n\nlevel: {}\n\n{}", meta.id, meta.level, meta.summary);
        return Ok(EXIT_OK);
    }
    let Some((pack, rule)) = rules.find(id) else {
        return Err(Failure::Error(format!(
            "`{id}` is a pack; name one of its rules, such as `{id}/…` (see `citelint rules`)"
        )));
    };
    outln!("# {}\n", rule.id);
    outln!(
        "level: {}  kind: {}  pack: {} ({})\n",
        rule.level,
        rule.kind,
        pack.name,
        pack.source
    );
    match &rule.doc {
        Some(doc) => outln!("{}\n", doc.trim_end()),
        None => outln!("{}\n", rule.summary),
    }
    let describe = |e: &citelint::rules::examples::Example| match (&e.text, &e.edit) {
        (Some(text), _) => format!("```\n{}\n```", text.trim_end()),
        (None, Some((from, to))) => format!("the pack's example with `{from}` replaced by `{to}`"),
        (None, None) => "the pack's example".to_string(),
    };
    if !rule.examples.pass.is_empty() || pack.example.is_some() {
        outln!("## Passes\n");
        if let Some((text, _)) = &pack.example {
            outln!("The pack's example:\n\n```\n{}\n```\n", text.trim_end());
        }
        for example in &rule.examples.pass {
            outln!("- {}", describe(example));
        }
        outln!();
    }
    if !rule.examples.fail.is_empty() {
        outln!("## Fails\n");
        for example in &rule.examples.fail {
            let at: Vec<String> = example
                .at
                .iter()
                .map(|p| format!("{}:{}", p.line, p.column))
                .collect();
            let at = if at.is_empty() {
                String::new()
            } else {
                format!(" (flagged at {})", at.join(", "))
            };
            outln!("- {}{at}", describe(example));
        }
        outln!();
    }
    if let Some(kind) = citelint::rules::kinds::find(rule.kind) {
        outln!("## The `{}` kind\n\n{}", kind.name, kind.doc.trim_end());
    }
    Ok(EXIT_OK)
}

/// Prints every rule kind's and field kind's documentation.
pub fn kinds() -> Result<i32, Failure> {
    outln!("# Field kinds\n");
    for (name, summary) in FIELD_KINDS {
        outln!("- `{name}`: {summary}");
    }
    outln!("\n# Rule kinds\n");
    for kind in KINDS {
        outln!("## {}\n\n{}\n", kind.name, kind.doc.trim_end());
        if !kind.vars.is_empty() {
            outln!(
                "Placeholders: {}\n",
                kind.vars
                    .iter()
                    .map(|v| format!("{{{v}}}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    Ok(EXIT_OK)
}
