//! `citelint config --show FILE`: the configuration in force for one file, and where each
//! value came from.

use std::path::Path;

use citelint::config::Sourced;

use super::settings::{absolute, shown};
use super::{EXIT_OK, Failure, LoadArgs, load_rules, settings};

/// Prints the effective configuration of `file`.
pub fn show(file: &Path, load: &LoadArgs) -> Result<i32, Failure> {
    let settings = settings(load)?;
    let cwd = settings.cwd().to_path_buf();
    let path = absolute(&cwd, file);
    let resolved = settings.for_path(&path)?;
    let loaded = load_rules(load, &settings)?;
    loaded.validate(&resolved)?;
    let config = &resolved.config;

    outln!("# Configuration for {}\n", file.display());
    match resolved.chain.split_first() {
        None => outln!("configuration: none found; built-in defaults"),
        Some((first, parents)) => {
            out!("configuration: {}", shown(&cwd, first));
            for parent in parents {
                out!(" (extends {})", shown(&cwd, parent));
            }
            outln!();
        }
    }
    if let Some(by) = resolved.excluded_by(&path) {
        outln!("walked: no, excluded by {by}");
    } else if !resolved.wanted(&path, || path.clone()) {
        outln!(
            "walked: no, not matched by `include` or `extensions` (named explicitly, it is still checked)"
        );
    } else {
        outln!("walked: yes");
    }
    match &config.extensions {
        Some(list) => outln!("extensions: {} ({})", list.value.join(", "), list.origin),
        None => outln!("extensions: {} (default)", config.extensions().join(", ")),
    }
    for include in &config.include {
        outln!("include: {} ({})", include.value, include.origin);
    }
    for exclude in &config.exclude {
        outln!("exclude: {} ({})", exclude.value, exclude.origin);
    }
    for rules in &config.rules {
        outln!("rules: {} ({})", shown(&cwd, &rules.value), rules.origin);
    }
    // A run has one cache, which the working directory's configuration decides.
    match &settings.root().config.cache {
        Some(Sourced {
            value: Some(dir),
            origin,
        }) => outln!("cache: {} ({origin})", shown(&cwd, dir)),
        Some(Sourced {
            value: None,
            origin,
        }) => outln!("cache: off ({origin})"),
        None => outln!("cache: only with --cache (default)"),
    }

    let overrides = resolved.overrides_for(&path);
    let foreign = loaded.foreign_packs(&resolved);
    outln!("\npacks:");
    for pack in loaded.rules.packs() {
        let mut state = (pack.enabled, "default".to_string());
        if foreign.contains(&pack.name) {
            state = (
                false,
                "loaded by another directory's configuration".to_string(),
            );
        }
        let settings = config
            .packs
            .iter()
            .chain(overrides.iter().flat_map(|o| o.packs.iter()));
        for setting in settings.filter(|p| p.value.0 == pack.name) {
            state = (setting.value.1, setting.origin.clone());
        }
        outln!(
            "  {}: {} ({})",
            pack.name,
            if state.0 { "on" } else { "off" },
            state.1
        );
    }
    let levels: Vec<_> = config
        .levels
        .iter()
        .chain(overrides.iter().flat_map(|o| o.levels.iter()))
        .collect();
    outln!(
        "\nlevels{}:",
        if levels.is_empty() {
            " (all as the rule files give them)"
        } else {
            ", in the order applied"
        }
    );
    for level in levels {
        let value = level.value.level.map_or("off", |l| l.name());
        outln!("  {}: {value} ({})", level.value.selector, level.origin);
    }
    let today = overrides.iter().rev().find_map(|o| o.today.as_ref());
    match today {
        Some(today) => outln!("\ntoday: {} ({})", today.value, today.origin),
        None => outln!("\ntoday: from --today, or the clock"),
    }
    for o in &overrides {
        outln!("override applied: {} ({})", o.files.join(", "), o.origin);
    }
    Ok(EXIT_OK)
}
