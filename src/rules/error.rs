//! Errors in rule files: what is wrong, in which file, at which line and column.

use std::fmt;

use crate::yaml::Loc;

/// A problem in a rule (or config) file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// The file, as given (`rules/sciencex.yaml`, `<builtin>/sciencex.yaml`, …).
    pub file: String,
    /// Where in the file, when known.
    pub loc: Option<Loc>,
    /// What is wrong.
    pub message: String,
    /// What to do about it ("did you mean `message`?").
    pub help: Option<String>,
}

impl RuleError {
    /// An error at `loc`; the file is filled in by the loader.
    pub fn at(loc: Loc, message: impl Into<String>) -> RuleError {
        RuleError {
            file: String::new(),
            loc: Some(loc),
            message: message.into(),
            help: None,
        }
    }

    /// Adds advice.
    pub fn with_help(mut self, help: impl Into<String>) -> RuleError {
        self.help = Some(help.into());
        self
    }

    /// Names the file the error is in (unless it already names one).
    pub fn in_file(mut self, file: &str) -> RuleError {
        if self.file.is_empty() {
            self.file = file.to_string();
        }
        self
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.loc {
            Some(loc) => write!(
                f,
                "{}:{}:{}: {}",
                self.file, loc.line, loc.column, self.message
            )?,
            None => write!(f, "{}: {}", self.file, self.message)?,
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RuleError {}

/// The candidate closest to `wanted`, if it is close enough to be a likely typo.
pub fn nearest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(wanted, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// "did you mean `x`?" help for `wanted` among `candidates`, or a list of the valid ones.
pub fn suggestion(wanted: &str, candidates: &[&str]) -> String {
    match nearest(wanted, candidates.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("expected one of: {}", candidates.join(", ")),
    }
}
