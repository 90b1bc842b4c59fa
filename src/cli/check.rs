//! `citelint check`: discover, read, check in parallel, report in a deterministic order.

use std::io::{IsTerminal, Read, Write};

use rayon::prelude::*;

use citelint::RuleSet;
use citelint::document::{Document, Format};
use citelint::engine::{self, CheckOptions};
use citelint::report::{self, FileReport};

use super::discover::{Filter, Target, discover};
use super::{
    CheckArgs, ColorChoice, EXIT_DIAGNOSTICS, EXIT_ERROR, EXIT_OK, load_config, load_rules,
};

/// Runs `citelint check`.
pub fn run(args: CheckArgs) -> Result<i32, String> {
    let config = load_config(&args.load)?;
    let mut rules = load_rules(&args.load, &config)?;
    if !args.select.is_empty() {
        rules.select(&args.select)?;
    }
    for selector in &args.ignore {
        rules.set_level(selector, None)?;
    }
    let today = args
        .today
        .unwrap_or_else(|| jiff::ZonedDateTime::now().date());
    let options = CheckOptions { today };
    let filter = Filter::new(&config)?;
    let targets = discover(&args.paths, &filter);
    let stdin_name = args
        .stdin_filename
        .clone()
        .unwrap_or_else(|| "<stdin>".to_string());

    let mut files: Vec<FileReport> = targets
        .into_par_iter()
        .map(|target| check_target(target, &rules, &options, &stdin_name, args.show_packs))
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));

    for file in &files {
        if let Some(error) = &file.error {
            eprintln!("citelint: error: {}: {error}", file.path);
        } else if file
            .document
            .as_ref()
            .is_some_and(|d| d.text().trim().is_empty())
        {
            eprintln!(
                "citelint: warning: {}: empty file; nothing to check",
                file.path
            );
        }
    }

    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    colored::control::set_override(color);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    report::write(&mut out, args.format, &files, color)
        .map_err(|e| format!("cannot write the report: {e}"))?;
    out.flush()
        .map_err(|e| format!("cannot write the report: {e}"))?;

    if files.iter().any(|f| f.error.is_some()) {
        return Ok(EXIT_ERROR);
    }
    let failing = files
        .iter()
        .flat_map(|f| &f.diagnostics)
        .any(|d| d.severity >= args.fail_on);
    Ok(if failing { EXIT_DIAGNOSTICS } else { EXIT_OK })
}

fn check_target(
    target: Target,
    rules: &RuleSet,
    options: &CheckOptions,
    stdin_name: &str,
    show_packs: bool,
) -> FileReport {
    let (path, bytes, format) = match target {
        Target::Error(path, message) => return failed(path, message),
        Target::Stdin => {
            let mut bytes = Vec::new();
            if let Err(error) = std::io::stdin().lock().read_to_end(&mut bytes) {
                return failed(
                    stdin_name.to_string(),
                    format!("cannot read standard input: {error}"),
                );
            }
            (
                stdin_name.to_string(),
                bytes,
                Format::from_path(std::path::Path::new(stdin_name)),
            )
        }
        Target::File(file, shown) => match std::fs::read(&file) {
            Ok(bytes) => (shown, bytes, Format::from_path(&file)),
            Err(error) => return failed(shown, format!("cannot read: {error}")),
        },
    };
    let document = match Document::from_bytes(path.clone(), bytes, format) {
        Ok(document) => document,
        Err(error) => return failed(path, error.to_string()),
    };
    let diagnostics = engine::check(rules, &document, options);
    let packs = if show_packs {
        engine::explain_packs(rules, &document)
    } else {
        Vec::new()
    };
    FileReport {
        path,
        document: Some(document),
        diagnostics,
        error: None,
        packs,
    }
}

fn failed(path: String, message: String) -> FileReport {
    FileReport {
        path,
        document: None,
        diagnostics: Vec::new(),
        error: Some(message),
        packs: Vec::new(),
    }
}
