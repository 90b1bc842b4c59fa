//! The project configuration file, `citelint.yaml`: extra rules, packs on or off, rule
//! levels, which files to check, per-glob overrides, and `extends` to inherit another
//! file. Parsed strictly, with errors at line:column; every setting remembers where it
//! was written, so `citelint config --show` can say where a value came from.

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::diagnostic::Severity;
use crate::rules::error::{RuleError, suggestion};
use crate::rules::table::{Table, strings};
use crate::yaml::{Node, NodeValue};

/// The file names looked for, in each directory from a file's own upward.
pub const FILE_NAMES: &[&str] = &["citelint.yaml", ".citelint.yaml"];

/// The folder `check --cache` keeps results in, in the working directory (or beside the
/// configuration file that turns the cache on).
pub const DEFAULT_CACHE_DIR: &str = ".citelint_cache";

/// The extensions checked when walking directories, unless configured otherwise.
pub const DEFAULT_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "html", "htm"];

/// A value and where it was written (`citelint.yaml:3:5`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sourced<T> {
    /// The value.
    pub value: T,
    /// `file:line:column` of the setting.
    pub origin: String,
}

/// A rule level setting: a severity, or off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelSetting {
    /// A rule id or pack name.
    pub selector: String,
    /// The level; `None` turns the rules off.
    pub level: Option<Severity>,
}

/// Settings that apply to the files matching some globs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Override {
    /// Globs, relative to the configuration file's directory.
    pub files: Vec<String>,
    /// Where the override was written.
    pub origin: String,
    /// Rule or pack levels.
    pub levels: Vec<Sourced<LevelSetting>>,
    /// Packs on or off.
    pub packs: Vec<Sourced<(String, bool)>>,
    /// The date "in the future" is measured against, for these files.
    pub today: Option<Sourced<Date>>,
}

/// A parsed configuration file (before `extends` is followed).
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it came from, if any.
    pub path: Option<PathBuf>,
    /// The file it extends, resolved against its directory.
    pub extends: Option<Sourced<PathBuf>>,
    /// Extra rule files or directories, resolved against the config file's directory.
    pub rules: Vec<Sourced<PathBuf>>,
    /// Packs turned on (`true`) or off (`false`).
    pub packs: Vec<Sourced<(String, bool)>>,
    /// Rule or pack level overrides.
    pub levels: Vec<Sourced<LevelSetting>>,
    /// Globs a walked file must match (any of); empty means "by extension".
    pub include: Vec<Sourced<String>>,
    /// Globs of files and directories to skip.
    pub exclude: Vec<Sourced<String>>,
    /// Extensions checked when walking directories (`None`: the defaults).
    pub extensions: Option<Sourced<Vec<String>>>,
    /// `cache`: the folder `check` keeps results in (`None`: `cache: false`). Only the
    /// configuration of the working directory (or `--config`) decides it, for a whole run.
    pub cache: Option<Sourced<Option<PathBuf>>>,
    /// Settings for files matching globs, applied in order after the above.
    pub overrides: Vec<Override>,
}

struct Reader<'a> {
    file: &'a str,
    base: &'a Path,
}

impl Reader<'_> {
    fn origin(&self, loc: crate::yaml::Loc) -> String {
        format!("{}:{}:{}", self.file, loc.line, loc.column)
    }

    fn levels(&self, node: &Node) -> Result<Vec<Sourced<LevelSetting>>, RuleError> {
        let NodeValue::Map(entries) = &node.value else {
            return Err(RuleError::at(
                node.loc,
                "`levels` maps rule ids or packs to error, warning, info or off",
            ));
        };
        let mut out = Vec::new();
        for (key, value) in entries {
            let name = value.as_scalar().unwrap_or("");
            let level = match name {
                "off" | "false" => None,
                _ => Some(Severity::from_name(name).ok_or_else(|| {
                    RuleError::at(value.loc, format!("invalid level `{name}`"))
                        .with_help(suggestion(name, &["error", "warning", "info", "off"]))
                })?),
            };
            out.push(Sourced {
                value: LevelSetting {
                    selector: key.name.to_string(),
                    level,
                },
                origin: self.origin(key.loc),
            });
        }
        Ok(out)
    }

    fn packs(&self, node: &Node) -> Result<Vec<Sourced<(String, bool)>>, RuleError> {
        let NodeValue::Map(entries) = &node.value else {
            return Err(RuleError::at(
                node.loc,
                "`packs` maps pack names to true or false",
            ));
        };
        let mut out = Vec::new();
        for (key, value) in entries {
            let on = match value.as_scalar() {
                Some("true") => true,
                Some("false") => false,
                _ => {
                    return Err(RuleError::at(
                        value.loc,
                        "a pack is turned on with true or off with false",
                    ));
                }
            };
            out.push(Sourced {
                value: (key.name.to_string(), on),
                origin: self.origin(key.loc),
            });
        }
        Ok(out)
    }

    fn globs(&self, node: Option<&Node>, key: &str) -> Result<Vec<Sourced<String>>, RuleError> {
        let Some(node) = node else {
            return Ok(Vec::new());
        };
        Ok(strings(node, key)?
            .into_iter()
            .map(|s| Sourced {
                origin: self.origin(s.loc),
                value: s.value,
            })
            .collect())
    }

    /// `cache: true` (the default folder beside this file), `false`, or a folder.
    fn cache(&self, node: &Node) -> Result<Sourced<Option<PathBuf>>, RuleError> {
        let value = match node.as_scalar() {
            Some("true") => Some(self.base.join(DEFAULT_CACHE_DIR)),
            Some("false") => None,
            Some(dir) if !dir.is_empty() => Some(self.base.join(dir)),
            _ => {
                return Err(RuleError::at(
                    node.loc,
                    "`cache` is true, false or the folder to keep results in",
                ));
            }
        };
        Ok(Sourced {
            value,
            origin: self.origin(node.loc),
        })
    }

    fn date(&self, node: &Node) -> Result<Sourced<Date>, RuleError> {
        let text = node.as_scalar().unwrap_or("");
        let value = text.parse::<Date>().map_err(|_| {
            RuleError::at(
                node.loc,
                format!("`today` must be a date as YYYY-MM-DD, not `{text}`"),
            )
        })?;
        Ok(Sourced {
            value,
            origin: self.origin(node.loc),
        })
    }

    fn override_entry(&self, node: &Node) -> Result<Override, RuleError> {
        let mut table = Table::new(node, "an override")?;
        let files = self.globs(Some(table.require("files")?), "files")?;
        if files.is_empty() {
            return Err(RuleError::at(
                node.loc,
                "an override needs `files`: one or more globs",
            ));
        }
        let mut entry = Override {
            files: files.into_iter().map(|f| f.value).collect(),
            origin: self.origin(node.loc),
            ..Override::default()
        };
        if let Some(levels) = table.get("levels") {
            entry.levels = self.levels(levels)?;
        }
        if let Some(packs) = table.get("packs") {
            entry.packs = self.packs(packs)?;
        }
        if let Some(today) = table.get("today") {
            entry.today = Some(self.date(today)?);
        }
        table.finish()?;
        Ok(entry)
    }
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
            ..Config::default()
        };
        if node.value == NodeValue::Null {
            return Ok(config);
        }
        let base = path.parent().unwrap_or(Path::new(""));
        let reader = Reader { file: &file, base };
        let mut table = Table::new(&node, "the configuration").map_err(located)?;
        if let Some(extends) = table.string("extends").map_err(located)? {
            config.extends = Some(Sourced {
                value: reader.base.join(&extends.value),
                origin: reader.origin(extends.loc),
            });
        }
        config.rules = table
            .strings("rules")
            .map_err(located)?
            .into_iter()
            .map(|s| Sourced {
                value: reader.base.join(&s.value),
                origin: reader.origin(s.loc),
            })
            .collect();
        if let Some(packs) = table.get("packs") {
            config.packs = reader.packs(packs).map_err(located)?;
        }
        if let Some(levels) = table.get("levels") {
            config.levels = reader.levels(levels).map_err(located)?;
        }
        config.include = reader
            .globs(table.get("include"), "include")
            .map_err(located)?;
        config.exclude = reader
            .globs(table.get("exclude"), "exclude")
            .map_err(located)?;
        if let Some(node) = table.get("extensions") {
            config.extensions = Some(Sourced {
                value: strings(node, "extensions")
                    .map_err(located)?
                    .into_iter()
                    .map(|s| s.value.trim_start_matches('.').to_ascii_lowercase())
                    .collect(),
                origin: reader.origin(node.loc),
            });
        }
        if let Some(node) = table.get("cache") {
            config.cache = Some(reader.cache(node).map_err(located)?);
        }
        if let Some(node) = table.get("overrides") {
            let NodeValue::Seq(items) = &node.value else {
                return Err(located(RuleError::at(
                    node.loc,
                    "`overrides` is a list of {files, levels, packs, today}",
                )));
            };
            for item in items {
                config
                    .overrides
                    .push(reader.override_entry(item).map_err(located)?);
            }
        }
        table.finish().map_err(located)?;
        Ok(config)
    }

    /// This configuration on top of `parent` (the file it extends): lists are the
    /// parent's followed by this file's (later settings win); `include` and
    /// `extensions` are replaced when this file sets them.
    pub fn extend(self, parent: Config) -> Config {
        fn join<T>(mut a: Vec<T>, b: Vec<T>) -> Vec<T> {
            a.extend(b);
            a
        }
        Config {
            path: self.path,
            extends: self.extends,
            rules: join(parent.rules, self.rules),
            packs: join(parent.packs, self.packs),
            levels: join(parent.levels, self.levels),
            include: if self.include.is_empty() {
                parent.include
            } else {
                self.include
            },
            exclude: join(parent.exclude, self.exclude),
            extensions: self.extensions.or(parent.extensions),
            cache: self.cache.or(parent.cache),
            overrides: join(parent.overrides, self.overrides),
        }
    }

    /// The extensions checked when walking directories.
    pub fn extensions(&self) -> Vec<String> {
        match &self.extensions {
            Some(list) => list.value.clone(),
            None => DEFAULT_EXTENSIONS.iter().map(|s| s.to_string()).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_setting() {
        let text = "rules: [extra]\npacks: {sciencex: false}\nlevels: {sciencex/url-https: warning, sciencex/dateline-missing: off}\nexclude: [drafts/**]\nextensions: [md]\noverrides:\n  - files: [\"news/**\"]\n    levels: {sciencex: info}\n    today: 2024-01-02\n";
        let config = Config::parse(Path::new("proj/citelint.yaml"), text).unwrap();
        assert_eq!(config.rules[0].value, PathBuf::from("proj/extra"));
        assert_eq!(config.packs[0].value, ("sciencex".to_string(), false));
        assert_eq!(config.packs[0].origin, "proj/citelint.yaml:2:9");
        assert_eq!(config.levels[0].value.level, Some(Severity::Warning));
        assert_eq!(config.levels[1].value.level, None);
        assert_eq!(config.exclude[0].value, "drafts/**");
        assert_eq!(config.extensions(), ["md"]);
        assert_eq!(config.overrides[0].files, ["news/**"]);
        assert_eq!(
            config.overrides[0]
                .today
                .as_ref()
                .unwrap()
                .value
                .to_string(),
            "2024-01-02"
        );
    }

    #[test]
    fn unknown_keys_are_located() {
        let error = Config::parse(Path::new("citelint.yaml"), "exclud: [x]\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "citelint.yaml:1:1: unknown key `exclud` in the configuration\n  help: did you mean `exclude`?"
        );
        let error = Config::parse(
            Path::new("c.yaml"),
            "overrides:\n  - files: [a]\n    levls: {}\n",
        )
        .unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("c.yaml:3:5: unknown key `levls` in an override"),
            "{error}"
        );
    }

    #[test]
    fn cache_is_on_in_a_folder_beside_the_file_or_off() {
        let cache = |text: &str| {
            let config = Config::parse(Path::new("proj/citelint.yaml"), text).unwrap();
            config.cache.map(|c| (c.value, c.origin))
        };
        let origin = "proj/citelint.yaml:1:8".to_string();
        assert_eq!(
            cache("cache: true\n"),
            Some((Some(PathBuf::from("proj/.citelint_cache")), origin.clone()))
        );
        assert_eq!(
            cache("cache: build/cite\n"),
            Some((Some(PathBuf::from("proj/build/cite")), origin.clone()))
        );
        assert_eq!(cache("cache: false\n"), Some((None, origin)));
        assert_eq!(cache("extensions: [md]\n"), None);
        let error = Config::parse(Path::new("c.yaml"), "cache: [a]\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "c.yaml:1:8: `cache` is true, false or the folder to keep results in"
        );
    }

    #[test]
    fn extending_appends_and_replaces() {
        let parent = Config::parse(
            Path::new("base.yaml"),
            "levels: {a: warning}\nextensions: [txt]\ninclude: [x]\n",
        )
        .unwrap();
        let child =
            Config::parse(Path::new("c.yaml"), "levels: {a: error}\ninclude: [y]\n").unwrap();
        let merged = child.extend(parent);
        assert_eq!(merged.levels.len(), 2);
        assert_eq!(merged.levels[1].value.level, Some(Severity::Error));
        assert_eq!(merged.extensions(), ["txt"]);
        assert_eq!(merged.include[0].value, "y");
        // `cache` is replaced too: the nearer file's folder (or `false`) wins.
        let parent = Config::parse(Path::new("base.yaml"), "cache: true\n").unwrap();
        let child = Config::parse(Path::new("c.yaml"), "cache: false\n").unwrap();
        assert_eq!(child.extend(parent.clone()).cache.unwrap().value, None);
        let child = Config::parse(Path::new("c.yaml"), "levels: {}\n").unwrap();
        assert_eq!(
            child.extend(parent).cache.unwrap().value,
            Some(PathBuf::from(".citelint_cache"))
        );
    }
}
