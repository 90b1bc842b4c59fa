//! `citelint check`: discover, read and check files in parallel, and stream the report in
//! path order. Work in flight is bounded: files are processed in chunks, each file's
//! document is dropped as soon as its diagnostics (and snippets) are made.

use std::io::{IsTerminal, Read, Write};

use rayon::prelude::*;

use citelint::RuleSet;
use citelint::document::{Document, Format};
use citelint::engine::{self, CheckOptions};
use citelint::report::{self, FileReport, ReportOptions, Summary};

use super::discover::{Filter, Target, discover};
use super::{
    CheckArgs, ColorChoice, EXIT_DIAGNOSTICS, EXIT_ERROR, EXIT_OK, load_config, load_rules,
};

/// Files read and checked at once, per thread.
const CHUNK_PER_THREAD: usize = 32;

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
    let stdin_name = args
        .stdin_filename
        .clone()
        .unwrap_or_else(|| "<stdin>".to_string());
    let mut targets = discover(&args.paths, &filter);
    targets.sort_by(|a, b| a.name(&stdin_name).cmp(b.name(&stdin_name)));

    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    colored::control::set_override(color);
    let mut reporter = report::reporter(args.format, ReportOptions { color });
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let write_error = |e: std::io::Error| format!("cannot write the report: {e}");

    let mut summary = Summary::default();
    let mut failing = false;
    let chunk = CHUNK_PER_THREAD * rayon::current_num_threads().max(1);
    for targets in targets.chunks(chunk) {
        let results: Vec<(FileReport, Option<String>, bool)> = targets
            .par_iter()
            .map(|target| {
                let (file, document) =
                    check_target(target, &rules, &options, &stdin_name, args.show_packs);
                let empty = document
                    .as_ref()
                    .is_some_and(|d| d.text().trim().is_empty());
                let rendered = document.and_then(|doc| reporter.render(&file, &doc));
                (file, rendered, empty)
            })
            .collect();
        for (file, rendered, empty) in results {
            if let Some(error) = &file.error {
                eprintln!("citelint: error: {}: {error}", file.path);
            } else if empty {
                eprintln!(
                    "citelint: warning: {}: empty file; nothing to check",
                    file.path
                );
            }
            if args.show_packs && args.format != report::OutputFormat::Human {
                for decision in &file.packs {
                    let state = if decision.applied {
                        "applied"
                    } else {
                        "skipped"
                    };
                    eprintln!(
                        "citelint: {}: {state} {}: {}",
                        file.path, decision.pack, decision.reason
                    );
                }
            }
            failing |= file.diagnostics.iter().any(|d| d.severity >= args.fail_on);
            reporter
                .file(&mut out, &file, rendered)
                .map_err(write_error)?;
            summary.add(&file);
        }
    }
    reporter.finish(&mut out, &summary).map_err(write_error)?;
    out.flush().map_err(write_error)?;

    Ok(if summary.file_errors > 0 {
        EXIT_ERROR
    } else if failing {
        EXIT_DIAGNOSTICS
    } else {
        EXIT_OK
    })
}

impl Target {
    /// How reports name the target.
    fn name<'a>(&'a self, stdin_name: &'a str) -> &'a str {
        match self {
            Target::File(_, shown) | Target::Error(shown, _) => shown,
            Target::Stdin => stdin_name,
        }
    }
}

/// Reads and checks one target; the document comes back for snippets.
fn check_target(
    target: &Target,
    rules: &RuleSet,
    options: &CheckOptions,
    stdin_name: &str,
    show_packs: bool,
) -> (FileReport, Option<Document>) {
    let (path, bytes, format) = match target {
        Target::Error(path, message) => return failed(path.clone(), message.clone()),
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
        Target::File(file, shown) => match std::fs::read(file) {
            Ok(bytes) => (shown.clone(), bytes, Format::from_path(file)),
            Err(error) => return failed(shown.clone(), format!("cannot read: {error}")),
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
    let file = FileReport {
        path,
        diagnostics,
        error: None,
        packs,
    };
    (file, Some(document))
}

fn failed(path: String, message: String) -> (FileReport, Option<Document>) {
    let file = FileReport {
        path,
        error: Some(message),
        ..FileReport::default()
    };
    (file, None)
}
