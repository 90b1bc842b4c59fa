//! The command line: arguments, configuration and rule loading, then a subcommand.
//! Exit codes: 0 clean, 1 diagnostics at or above `--fail-on`, 2 usage, configuration,
//! rule or file errors.

mod check;
mod discover;
mod rules;

use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};

use citelint::RuleSet;
use citelint::config::{Config, FILE_NAMES};
use citelint::diagnostic::Severity;
use citelint::report::OutputFormat;
use citelint::rules::error::RuleError;

/// Exit code: nothing at or above the failure level.
pub const EXIT_OK: i32 = 0;
/// Exit code: diagnostics at or above the failure level.
pub const EXIT_DIAGNOSTICS: i32 = 1;
/// Exit code: usage, configuration, rule or file error.
pub const EXIT_ERROR: i32 = 2;

/// Checks articles for copyright credits, citations and licence notices.
#[derive(Parser, Debug)]
#[command(name = "citelint", version, about, long_about = None, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check files and directories (recursively, honouring .gitignore).
    Check(CheckArgs),
    /// List loaded packs and rules; `rules check FILE…` validates rule files.
    Rules(RulesArgs),
    /// Print a rule's documentation and an example.
    Rule {
        /// The rule id, `pack/name`.
        id: String,
        #[command(flatten)]
        load: LoadArgs,
    },
    /// Print the documentation of every rule kind and field kind.
    Kinds,
}

/// How rules and configuration are loaded (shared by the subcommands).
#[derive(Args, Debug, Clone, Default)]
pub struct LoadArgs {
    /// Extra rule file or directory of rule files (repeatable).
    #[arg(long = "rules", value_name = "PATH")]
    rules: Vec<PathBuf>,
    /// Do not load the built-in packs.
    #[arg(long)]
    no_default_rules: bool,
    /// Use this configuration file instead of the nearest citelint.yaml.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

/// When to colour human output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    /// Colour when writing to a terminal and NO_COLOR is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

#[derive(Args, Debug)]
struct CheckArgs {
    /// Files or directories to check; `-` reads standard input.
    #[arg(value_name = "PATH", default_value = ".")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    format: OutputFormat,
    /// The date "in the future" is measured against (YYYY-MM-DD); default: the clock.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    today: Option<jiff::civil::Date>,
    /// Only these rules or packs (repeatable, comma-separated).
    #[arg(long, value_name = "RULE_OR_PACK", value_delimiter = ',')]
    select: Vec<String>,
    /// Skip these rules or packs (repeatable, comma-separated).
    #[arg(long, value_name = "RULE_OR_PACK", value_delimiter = ',')]
    ignore: Vec<String>,
    /// The lowest level that makes the run fail (exit 1).
    #[arg(long, value_name = "LEVEL", default_value = "error", value_parser = parse_severity)]
    fail_on: Severity,
    /// The path standard input is reported as (its extension picks the format).
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<String>,
    /// Print, for each file, which packs applied and why.
    #[arg(long, short = 'v', alias = "verbose")]
    show_packs: bool,
    /// When to use colour in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    #[command(flatten)]
    load: LoadArgs,
}

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
struct RulesArgs {
    #[command(subcommand)]
    action: Option<RulesAction>,
    #[command(flatten)]
    load: LoadArgs,
}

#[derive(Subcommand, Debug)]
enum RulesAction {
    /// Validate rule files: report every error with file:line:column.
    Check {
        /// Rule files or directories.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
}

fn parse_date(text: &str) -> Result<jiff::civil::Date, String> {
    text.parse::<jiff::civil::Date>()
        .map_err(|e| format!("expected a date as YYYY-MM-DD: {e}"))
}

fn parse_severity(text: &str) -> Result<Severity, String> {
    Severity::from_name(text).ok_or_else(|| "expected error, warning or info".to_string())
}

/// Runs the command line and returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let code = if error.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_OK
            };
            let _ = error.print();
            return code;
        }
    };
    let result = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Rules(args) => match args.action {
            Some(RulesAction::Check { files }) => rules::validate(&files),
            None => rules::list(&args.load),
        },
        Command::Rule { id, load } => rules::show(&id, &load),
        Command::Kinds => rules::kinds(),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("citelint: error: {message}");
            EXIT_ERROR
        }
    }
}

/// Finds the configuration: `--config`, or the nearest `citelint.yaml` upward from the
/// working directory, or none.
fn load_config(load: &LoadArgs) -> Result<Config, String> {
    let path = match &load.config {
        Some(path) => Some(path.clone()),
        None => find_config(
            &std::env::current_dir()
                .map_err(|e| format!("cannot read the working directory: {e}"))?,
        ),
    };
    let Some(path) = path else {
        return Ok(Config {
            extensions: citelint::config::DEFAULT_EXTENSIONS
                .iter()
                .map(|s| s.to_string())
                .collect(),
            ..Config::default()
        });
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("{}: cannot read configuration: {e}", path.display()))?;
    let shown = relative(&path);
    Config::parse(&shown, &text).map_err(|e| e.to_string())
}

fn find_config(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .flat_map(|dir| FILE_NAMES.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Shows `path` relative to the working directory when it is below it.
fn relative(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}

/// Loads built-in and extra rules and applies the configuration's packs and levels.
fn load_rules(load: &LoadArgs, config: &Config) -> Result<RuleSet, String> {
    let mut set = if load.no_default_rules {
        RuleSet::new()
    } else {
        RuleSet::builtin().map_err(|errors| join_errors(&errors))?
    };
    let mut errors = Vec::new();
    for path in config.rules.iter().chain(&load.rules) {
        for file in rule_files(path)? {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| format!("{}: cannot read rule file: {e}", file.display()))?;
            if let Err(mut more) = set.add_yaml(&relative(&file).display().to_string(), &text) {
                errors.append(&mut more);
            }
        }
    }
    if !errors.is_empty() {
        return Err(join_errors(&errors));
    }
    let config_name = config
        .path
        .as_ref()
        .map(|p| relative(p).display().to_string())
        .unwrap_or_default();
    let at = |loc: citelint::yaml::Loc, message: String| {
        format!("{config_name}:{}:{}: {message}", loc.line, loc.column)
    };
    for (pack, on, loc) in &config.packs {
        set.set_pack_enabled(pack, *on).map_err(|e| at(*loc, e))?;
    }
    for setting in &config.levels {
        set.set_level(&setting.selector, setting.level)
            .map_err(|e| at(setting.loc, e))?;
    }
    Ok(set)
}

/// The `.yaml`/`.yml` files of a rule path (a file, or a directory's files, sorted).
fn rule_files(path: &Path) -> Result<Vec<PathBuf>, String> {
    if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| format!("{}: cannot read rule directory: {e}", path.display()))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
            .collect();
        files.sort();
        Ok(files)
    } else if path.exists() {
        Ok(vec![path.to_path_buf()])
    } else {
        Err(format!(
            "{}: no such rule file or directory",
            path.display()
        ))
    }
}

fn join_errors(errors: &[RuleError]) -> String {
    let mut text = String::new();
    for (i, error) in errors.iter().enumerate() {
        if i > 0 {
            text.push_str("\ncitelint: error: ");
        }
        text.push_str(&error.to_string());
    }
    text
}
