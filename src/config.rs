//! The project configuration file, `citelint.yaml`: extra rules, packs on or off, rule
//! levels, which files to check. Parsed strictly, with errors at line:column.

use std::path::{Path, PathBuf};

use crate::diagnostic::Severity;
use crate::rules::error::{RuleError, suggestion};
use crate::rules::table::{Table, strings};
use crate::yaml::{Loc, Node, NodeValue};

/// The file names looked for, in each directory from the working directory upward.
pub const FILE_NAMES: &[&str] = &["citelint.yaml", ".citelint.yaml"];

/// The extensions checked when walking directories, unless configured otherwise.
pub const DEFAULT_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "html", "htm"];

/// A rule level setting: a severity, or off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelSetting {
    /// A rule id or pack name.
    pub selector: String,
    /// The level; `None` turns the rules off.
    pub level: Option<Severity>,
    /// Where it was written.
    pub loc: Loc,
}

/// A parsed configuration file.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it came from, if any.
    pub path: Option<PathBuf>,
    /// Extra rule files or directories, resolved against the config file's directory.
    pub rules: Vec<PathBuf>,
    /// Packs turned on (`true`) or off (`false`), with where it was said.
    pub packs: Vec<(String, bool, Loc)>,
    /// Rule or pack level overrides.
    pub levels: Vec<LevelSetting>,
    /// Globs a walked file must match (any of); empty means "by extension".
    pub include: Vec<String>,
    /// Globs of files and directories to skip.
    pub exclude: Vec<String>,
    /// Extensions checked when walking directories.
    pub extensions: Vec<String>,
}

impl Config {
    /// Parses a configuration file's text; `path` names it in errors and anchors the
    /// relative paths it contains.
    pub fn parse(path: &Path, text: &str) -> Result<Config, RuleError> {
        let file = path.display().to_string();
        let located = |e: RuleError| e.in_file(&file);
        let node = Node::parse(text).map_err(|e| RuleError {
            file: file.clone(),
            loc: e.loc,
            message: format!("invalid YAML: {}", e.message),
            help: None,
        })?;
        let mut config = Config {
            path: Some(path.to_path_buf()),
            extensions: DEFAULT_EXTENSIONS.iter().map(|s| s.to_string()).collect(),
            ..Config::default()
        };
        if node.value == NodeValue::Null {
            return Ok(config);
        }
        let base = path.parent().unwrap_or(Path::new("."));
        let mut table = Table::new(&node, "the configuration").map_err(located)?;
        config.rules = table
            .strings("rules")
            .map_err(located)?
            .into_iter()
            .map(|s| base.join(s.value))
            .collect();
        if let Some(packs) = table.get("packs") {
            let NodeValue::Map(entries) = &packs.value else {
                return Err(located(RuleError::at(
                    packs.loc,
                    "`packs` maps pack names to true or false",
                )));
            };
            for (key, value) in entries {
                let on = match value.as_scalar() {
                    Some("true") => true,
                    Some("false") => false,
                    _ => {
                        return Err(located(RuleError::at(
                            value.loc,
                            "a pack is turned on with true or off with false",
                        )));
                    }
                };
                config.packs.push((key.name.clone(), on, key.loc));
            }
        }
        if let Some(levels) = table.get("levels") {
            let NodeValue::Map(entries) = &levels.value else {
                return Err(located(RuleError::at(
                    levels.loc,
                    "`levels` maps rule ids or packs to error, warning, info or off",
                )));
            };
            for (key, value) in entries {
                let name = value.as_scalar().unwrap_or("");
                let level = match name {
                    "off" | "false" => None,
                    _ => Some(Severity::from_name(name).ok_or_else(|| {
                        located(
                            RuleError::at(value.loc, format!("invalid level `{name}`"))
                                .with_help(suggestion(name, &["error", "warning", "info", "off"])),
                        )
                    })?),
                };
                config.levels.push(LevelSetting {
                    selector: key.name.clone(),
                    level,
                    loc: key.loc,
                });
            }
        }
        config.include = table
            .strings("include")
            .map_err(located)?
            .into_iter()
            .map(|s| s.value)
            .collect();
        config.exclude = table
            .strings("exclude")
            .map_err(located)?
            .into_iter()
            .map(|s| s.value)
            .collect();
        if let Some(node) = table.get("extensions") {
            config.extensions = strings(node, "extensions")
                .map_err(located)?
                .into_iter()
                .map(|s| s.value.trim_start_matches('.').to_ascii_lowercase())
                .collect();
        }
        table.finish().map_err(located)?;
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_setting() {
        let text = "rules: [extra]\npacks: {sciencex: false}\nlevels: {sciencex/url-https: warning, sciencex/dateline-missing: off}\nexclude: [drafts/**]\nextensions: [md]\n";
        let config = Config::parse(Path::new("proj/citelint.yaml"), text).unwrap();
        assert_eq!(config.rules, vec![PathBuf::from("proj/extra")]);
        assert_eq!(config.packs[0].0, "sciencex");
        assert!(!config.packs[0].1);
        assert_eq!(config.levels[0].level, Some(Severity::Warning));
        assert_eq!(config.levels[1].level, None);
        assert_eq!(config.exclude, ["drafts/**"]);
        assert_eq!(config.extensions, ["md"]);
    }

    #[test]
    fn unknown_keys_are_located() {
        let error = Config::parse(Path::new("citelint.yaml"), "exclud: [x]\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "citelint.yaml:1:1: unknown key `exclud` in the configuration\n  help: did you mean `exclude`?"
        );
    }
}
