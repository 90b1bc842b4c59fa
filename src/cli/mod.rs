//! The command line: arguments, configuration and rule loading, then a subcommand.
//! Exit codes: 0 clean, 1 diagnostics at or above `--fail-on`, 2 usage, configuration,
//! rule or file errors. When the reader of standard output goes away (`citelint rules |
//! head`), a command stops quietly, as grep-like tools do.

/// Writes a line to standard output, returning [`Failure::OutputClosed`] from the
/// enclosing function when the reader has gone (where `println!` would panic).
macro_rules! outln {
    () => {
        $crate::cli::write_out(format_args!("\n"))?
    };
    ($($arg:tt)*) => {
        $crate::cli::write_out(format_args!("{}\n", format_args!($($arg)*)))?
    };
}

/// [`outln!`] without the line break.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cli::write_out(format_args!($($arg)*))?
    };
}

mod baseline;
mod cache;
mod check;
mod clock;
mod config_cmd;
mod discover;
mod git;
mod rules;
mod server;
mod settings;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Args, Parser, Subcommand, ValueEnum};

use citelint::RuleSet;
use citelint::diagnostic::Severity;
use citelint::report::OutputFormat;
use citelint::rules::error::RuleError;

use settings::{Resolved, Settings, absolute, shown};

/// Exit code: nothing at or above the failure level.
pub const EXIT_OK: i32 = 0;
/// Exit code: diagnostics at or above the failure level.
pub const EXIT_DIAGNOSTICS: i32 = 1;
/// Exit code: usage, configuration, rule or file error.
pub const EXIT_ERROR: i32 = 2;

/// Why a command stopped before its end.
#[derive(Debug, Clone)]
pub enum Failure {
    /// A usage, configuration, rule or I/O error: printed, exit code 2.
    Error(String),
    /// The reader of standard output closed it (`citelint check | head`): no one is left
    /// to tell, so the command stops without a message.
    OutputClosed,
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure::Error(message)
    }
}

impl Failure {
    /// A failed write of `what` (such as "the report"): [`Failure::OutputClosed`] for a
    /// broken pipe, otherwise an error naming it.
    pub fn writing(what: &str, error: std::io::Error) -> Failure {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            Failure::OutputClosed
        } else {
            Failure::Error(format!("cannot write {what}: {error}"))
        }
    }
}

/// Writes to standard output (see [`outln!`]).
pub fn write_out(text: std::fmt::Arguments) -> Result<(), Failure> {
    use std::io::Write;
    std::io::stdout()
        .lock()
        .write_fmt(text)
        .map_err(|e| Failure::writing("to standard output", e))
}

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
    Check(Box<CheckArgs>),
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
    /// Run the examples rules carry: built-in packs, or the given rule files.
    Test {
        /// Rule files or directories (default: the built-in packs and configured rules).
        #[arg(value_name = "RULE_FILE")]
        files: Vec<PathBuf>,
        /// The date "in the future" is measured against (YYYY-MM-DD); default: the clock.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        today: Option<jiff::civil::Date>,
        #[command(flatten)]
        load: LoadArgs,
    },
    /// Run a language server (LSP on standard input and output) for editors.
    Server {
        /// The date "in the future" is measured against (YYYY-MM-DD); default: the clock.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        today: Option<jiff::civil::Date>,
        #[command(flatten)]
        load: LoadArgs,
    },
    /// Show the configuration in force for a file, and where each value came from.
    Config {
        /// Print the effective configuration of this file.
        #[arg(long, value_name = "FILE")]
        show: PathBuf,
        #[command(flatten)]
        load: LoadArgs,
    },
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
    /// Use this configuration file for every file, instead of the nearest citelint.yaml.
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
    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output_file: Option<PathBuf>,
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
    /// Exit 0 even when there are diagnostics (2 still means citelint itself failed).
    #[arg(long)]
    exit_zero: bool,
    /// The path standard input is reported as; its configuration and packs apply.
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<String>,
    /// Print, for each file, which packs applied and why.
    #[arg(long, short = 'v', alias = "verbose")]
    show_packs: bool,
    /// Print the number of diagnostics per rule instead of the diagnostics.
    #[arg(long)]
    statistics: bool,
    /// Record the current diagnostics in FILE (and exit 0).
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    write_baseline: Option<PathBuf>,
    /// Report only diagnostics not recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Check only files changed since this git revision (committed, staged, unstaged or new).
    #[arg(long, value_name = "REV")]
    changed_since: Option<String>,
    /// When to use colour in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Keep each file's diagnostics in a cache and check again only the files whose
    /// content changed (or all of them, when the rules or settings did).
    #[arg(long, overrides_with = "no_cache")]
    cache: bool,
    /// The cache folder; implies `--cache` [default: the configuration's `cache`, else
    /// .citelint_cache]
    #[arg(long, value_name = "DIR")]
    cache_dir: Option<PathBuf>,
    /// Neither read nor write a cache, even if the configuration or `--cache-dir` turns it
    /// on; the later of `--cache` and `--no-cache` wins.
    #[arg(long, overrides_with = "cache")]
    no_cache: bool,
    #[command(flatten)]
    load: LoadArgs,
}

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
struct RulesArgs {
    #[command(subcommand)]
    action: Option<RulesAction>,
    /// Print the regexes a pack searches documents with, one a line (for benchmarks
    /// that compare with ripgrep).
    #[arg(long, value_name = "PACK")]
    print_regexes: Option<String>,
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
        Command::Check(args) => check::run(*args),
        Command::Rules(args) => match args.action {
            Some(RulesAction::Check { files }) => rules::validate(&files),
            None => match &args.print_regexes {
                Some(pack) => rules::print_regexes(pack, &args.load),
                None => rules::list(&args.load),
            },
        },
        Command::Rule { id, load } => rules::show(&id, &load),
        Command::Kinds => rules::kinds(),
        Command::Test { files, today, load } => rules::test(&files, today, &load),
        Command::Config { show, load } => config_cmd::show(&show, &load),
        Command::Server { today, load } => server::run(&load, today),
    };
    match result {
        Ok(code) => code,
        Err(Failure::Error(message)) => {
            eprintln!("citelint: error: {message}");
            EXIT_ERROR
        }
        Err(Failure::OutputClosed) => EXIT_OK,
    }
}

/// The configuration settings of this run.
fn settings(load: &LoadArgs) -> Result<Arc<Settings>, String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?;
    Ok(Arc::new(Settings::new(cwd, load.config.as_deref())?))
}

/// The loaded rules, and which packs each configuration file brought in.
pub struct Loaded {
    /// Built-in packs, `--rules` and every configuration's `rules:`.
    pub rules: RuleSet,
    /// Pack name → the configuration files whose `rules:` loaded it.
    pub config_packs: BTreeMap<String, Vec<PathBuf>>,
    /// The rule files read (how they are shown, and their text), in load order.
    pub rule_files: Vec<(String, String)>,
}

impl Loaded {
    /// Packs that configuration files outside `resolved`'s chain brought in: they do not
    /// apply to the files `resolved` governs.
    pub fn foreign_packs(&self, resolved: &Resolved) -> Vec<String> {
        self.config_packs
            .iter()
            .filter(|(_, configs)| !configs.iter().any(|c| resolved.chain.contains(c)))
            .map(|(pack, _)| pack.clone())
            .collect()
    }

    /// Checks that the packs and rules a configuration names exist.
    pub fn validate(&self, resolved: &Resolved) -> Result<(), String> {
        let config = &resolved.config;
        let packs = config.packs.iter().map(|p| (&p.value.0, &p.origin)).chain(
            config
                .overrides
                .iter()
                .flat_map(|o| o.packs.iter().map(|p| (&p.value.0, &p.origin))),
        );
        for (pack, origin) in packs {
            if !self.rules.packs().iter().any(|p| &p.name == pack) {
                let names: Vec<&str> = self.rules.packs().iter().map(|p| p.name.as_str()).collect();
                return Err(format!(
                    "{origin}: unknown pack `{pack}`; {}",
                    citelint::rules::error::suggestion(pack, &names)
                ));
            }
        }
        let levels = config
            .levels
            .iter()
            .chain(config.overrides.iter().flat_map(|o| o.levels.iter()));
        for level in levels {
            self.rules
                .validate_selector(&level.value.selector)
                .map_err(|e| format!("{}: {e}", level.origin))?;
        }
        Ok(())
    }
}

/// Loads built-in and extra rules, and the rules of every configuration resolved so far.
fn load_rules(load: &LoadArgs, settings: &Settings) -> Result<Loaded, String> {
    let mut rules = if load.no_default_rules {
        RuleSet::new()
    } else {
        RuleSet::builtin().map_err(|errors| join_errors(&errors))?
    };
    let mut errors = Vec::new();
    let mut loaded_files: Vec<PathBuf> = Vec::new();
    let mut config_packs: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    let mut read = Vec::new();
    let mut sources: Vec<(PathBuf, Option<PathBuf>)> = load
        .rules
        .iter()
        .map(|p| (absolute(settings.cwd(), p), None))
        .collect();
    for resolved in settings.all() {
        for rule_path in &resolved.config.rules {
            sources.push((rule_path.value.clone(), resolved.chain.first().cloned()));
        }
    }
    for (path, config) in sources {
        for file in rule_files(&path, settings.cwd())? {
            let packs_before = rules.packs().len();
            if let Some(index) = loaded_files.iter().position(|f| *f == file) {
                // Already loaded: another configuration brings the same packs in too.
                if let Some(config) = &config {
                    let names: Vec<String> = rules
                        .packs()
                        .iter()
                        .filter(|p| p.source == shown(settings.cwd(), &loaded_files[index]))
                        .map(|p| p.name.clone())
                        .collect();
                    for name in names {
                        config_packs.entry(name).or_default().push(config.clone());
                    }
                }
                continue;
            }
            loaded_files.push(file.clone());
            let name = shown(settings.cwd(), &file);
            let text = std::fs::read_to_string(&file)
                .map_err(|e| format!("{name}: cannot read rule file: {e}"))?;
            if let Err(mut more) = rules.add_yaml(&name, &text) {
                errors.append(&mut more);
            }
            read.push((name, text));
            if let Some(config) = &config {
                for pack in &rules.packs()[packs_before..] {
                    config_packs
                        .entry(pack.name.clone())
                        .or_default()
                        .push(config.clone());
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(join_errors(&errors));
    }
    Ok(Loaded {
        rules,
        config_packs,
        rule_files: read,
    })
}

/// The `.yaml`/`.yml` files of a rule path (a file, or a directory's files, sorted).
fn rule_files(path: &Path, cwd: &Path) -> Result<Vec<PathBuf>, String> {
    if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| format!("{}: cannot read rule directory: {e}", shown(cwd, path)))?
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
            shown(cwd, path)
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
