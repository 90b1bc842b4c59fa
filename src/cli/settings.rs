//! Which configuration governs which file: the nearest `citelint.yaml` upward from the
//! file's directory (as ruff does), with its `extends` chain merged, or the one named by
//! `--config` for every file. Resolved once per directory and cached.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use globset::{Glob, GlobSet, GlobSetBuilder};

use citelint::config::{Config, FILE_NAMES, Override};
use citelint::engine::{CheckOptions, Overrides};

/// `path` made absolute against `cwd`, with `.` and `..` resolved lexically.
pub fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    let joined = cwd.join(path);
    if is_plain(&joined) {
        return joined;
    }
    resolve_lexically(&joined)
}

/// `path` rebuilt component by component, `.` dropped and `..` taking off the last one.
fn resolve_lexically(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Whether `path` is absolute with no `.`, `..`, repeated or trailing separator, so that
/// resolving it lexically would not change it (checked on its bytes: a walk asks for
/// every file, and taking each path apart costs more than the rest of the lookup).
#[cfg(unix)]
fn is_plain(path: &Path) -> bool {
    let bytes = path.as_os_str().as_encoded_bytes();
    let Some(rest) = bytes.strip_prefix(b"/") else {
        return false;
    };
    rest.is_empty()
        || rest
            .split(|&b| b == b'/')
            .all(|segment| !matches!(segment, b"" | b"." | b".."))
}

#[cfg(not(unix))]
fn is_plain(_: &Path) -> bool {
    false
}

/// Shows `path` relative to `cwd` when it is below it.
pub fn shown(cwd: &Path, path: &Path) -> String {
    path.strip_prefix(cwd).unwrap_or(path).display().to_string()
}

fn glob_set(globs: &[&str], dirs_too: bool) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        builder.add(Glob::new(glob).map_err(|e| format!("invalid glob `{glob}`: {e}"))?);
        // `drafts` also matches everything below it.
        if dirs_too && !glob.ends_with("/**") {
            builder.add(
                Glob::new(&format!("{glob}/**"))
                    .map_err(|e| format!("invalid glob `{glob}`: {e}"))?,
            );
        }
    }
    builder.build().map_err(|e| format!("invalid globs: {e}"))
}

/// A configuration in force, compiled.
#[derive(Debug)]
pub struct Resolved {
    /// The merged configuration.
    pub config: Config,
    /// The configuration files, the governing one first, then those it extends.
    pub chain: Vec<PathBuf>,
    /// The directory globs are relative to (absolute).
    pub base: PathBuf,
    include: Option<GlobSet>,
    exclude: GlobSet,
    extensions: Vec<String>,
    overrides: Vec<GlobSet>,
}

impl Resolved {
    fn new(config: Config, chain: Vec<PathBuf>, base: PathBuf) -> Result<Resolved, String> {
        let origin = chain
            .first()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        let include: Vec<&str> = config.include.iter().map(|g| g.value.as_str()).collect();
        let exclude: Vec<&str> = config.exclude.iter().map(|g| g.value.as_str()).collect();
        let overrides = config
            .overrides
            .iter()
            .map(|o| {
                glob_set(
                    &o.files.iter().map(String::as_str).collect::<Vec<_>>(),
                    true,
                )
            })
            .collect::<Result<_, _>>()
            .map_err(|e| format!("{origin}: {e}"))?;
        Ok(Resolved {
            include: if include.is_empty() {
                None
            } else {
                Some(glob_set(&include, false).map_err(|e| format!("{origin}: {e}"))?)
            },
            exclude: glob_set(&exclude, true).map_err(|e| format!("{origin}: {e}"))?,
            extensions: config.extensions(),
            overrides,
            config,
            chain,
            base,
        })
    }

    /// `path` (absolute) relative to the base, when below it.
    fn relative<'a>(&self, path: &'a Path) -> &'a Path {
        path.strip_prefix(&self.base).unwrap_or(path)
    }

    /// The glob of `exclude` that matches `path` (absolute), if any.
    pub fn excluded_by(&self, path: &Path) -> Option<String> {
        if self.exclude.is_empty() {
            return None;
        }
        let relative = self.relative(path);
        let matches = self.exclude.matches(relative);
        let first = *matches.first()?;
        // Two globs are compiled per pattern (`x` and `x/**`).
        let mut index = 0;
        for glob in &self.config.exclude {
            let count = if glob.value.ends_with("/**") { 1 } else { 2 };
            if first < index + count {
                return Some(format!("`{}` ({})", glob.value, glob.origin));
            }
            index += count;
        }
        Some("exclude".to_string())
    }

    /// Whether `exclude` names any file: else no path need be matched against it.
    pub fn has_excludes(&self) -> bool {
        !self.exclude.is_empty()
    }

    /// Whether a walked file is one to check (by `include`, or else by extension). `path`
    /// is the file as named; `absolute` makes it absolute, asked only for `include`.
    pub fn wanted(&self, path: &Path, absolute: impl FnOnce() -> PathBuf) -> bool {
        if let Some(include) = &self.include {
            return include.is_match(self.relative(&absolute()));
        }
        path.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| self.extensions.iter().any(|x| x.eq_ignore_ascii_case(e)))
    }

    /// The overrides that apply to `path` (absolute), in order.
    pub fn overrides_for(&self, path: &Path) -> Vec<&Override> {
        let relative = self.relative(path);
        self.config
            .overrides
            .iter()
            .zip(&self.overrides)
            .filter(|(_, globs)| globs.is_match(relative))
            .map(|(o, _)| o)
            .collect()
    }

    /// The check options for `path` (absolute, worked out only when an override may
    /// apply): levels, packs and `today`, with packs that other configuration files
    /// brought in turned off.
    pub fn options<P: AsRef<Path>>(
        &self,
        path: impl FnOnce() -> P,
        today: jiff::civil::Date,
        foreign_packs: &[String],
    ) -> CheckOptions {
        let mut overrides = Overrides::default();
        overrides
            .packs
            .extend(foreign_packs.iter().map(|p| (p.clone(), false)));
        overrides
            .packs
            .extend(self.config.packs.iter().map(|p| p.value.clone()));
        overrides.levels.extend(
            self.config
                .levels
                .iter()
                .map(|l| (l.value.selector.clone(), l.value.level)),
        );
        let mut today = today;
        let applying = if self.overrides.is_empty() {
            Vec::new()
        } else {
            self.overrides_for(path().as_ref())
        };
        for o in applying {
            overrides
                .packs
                .extend(o.packs.iter().map(|p| p.value.clone()));
            overrides.levels.extend(
                o.levels
                    .iter()
                    .map(|l| (l.value.selector.clone(), l.value.level)),
            );
            if let Some(date) = &o.today {
                today = date.value;
            }
        }
        CheckOptions { today, overrides }
    }
}

/// Finds and caches the configuration of each directory.
pub struct Settings {
    cwd: PathBuf,
    forced: Option<Arc<Resolved>>,
    fallback: Arc<Resolved>,
    by_dir: Mutex<HashMap<PathBuf, Arc<Resolved>>>,
    by_file: Mutex<HashMap<PathBuf, Arc<Resolved>>>,
}

impl Settings {
    /// Settings for a run from `cwd`; `forced` is `--config`.
    pub fn new(cwd: PathBuf, forced: Option<&Path>) -> Result<Settings, String> {
        let mut settings = Settings {
            fallback: Arc::new(Resolved::new(Config::default(), Vec::new(), cwd.clone())?),
            cwd,
            forced: None,
            by_dir: Mutex::new(HashMap::new()),
            by_file: Mutex::new(HashMap::new()),
        };
        if let Some(path) = forced {
            let path = absolute(&settings.cwd, path);
            if !path.is_file() {
                return Err(format!(
                    "{}: no such configuration file",
                    shown(&settings.cwd, &path)
                ));
            }
            settings.forced = Some(settings.load(&path)?);
        } else if let Some(path) = nearest(&settings.cwd) {
            settings.fallback = settings.load(&path)?;
        }
        Ok(settings)
    }

    /// The working directory.
    pub fn cwd(&self) -> &Path {
        &self.cwd
    }

    /// The configuration for the working directory (for `rules` and `rule`).
    pub fn root(&self) -> Arc<Resolved> {
        self.forced.clone().unwrap_or_else(|| self.fallback.clone())
    }

    /// The configuration governing `path` (absolute or relative to the working directory).
    pub fn for_path(&self, path: &Path) -> Result<Arc<Resolved>, String> {
        let path = absolute(&self.cwd, path);
        if path.is_dir() {
            self.for_dir(&path)
        } else {
            self.for_dir(path.parent().unwrap_or(&path))
        }
    }

    /// The configuration governing the files of `dir` (absolute).
    pub fn for_dir(&self, dir: &Path) -> Result<Arc<Resolved>, String> {
        if let Some(forced) = &self.forced {
            return Ok(forced.clone());
        }
        if let Some(found) = self.by_dir.lock().expect("settings lock").get(dir) {
            return Ok(found.clone());
        }
        let resolved = match nearest(dir) {
            Some(config) => self.load(&config)?,
            None => self.fallback.clone(),
        };
        self.by_dir
            .lock()
            .expect("settings lock")
            .insert(dir.to_path_buf(), resolved.clone());
        Ok(resolved)
    }

    /// Every configuration resolved so far.
    pub fn all(&self) -> Vec<Arc<Resolved>> {
        let mut all: Vec<Arc<Resolved>> = self
            .by_file
            .lock()
            .expect("settings lock")
            .values()
            .cloned()
            .collect();
        all.push(self.root());
        all.sort_by(|a, b| a.chain.cmp(&b.chain));
        all.dedup_by(|a, b| a.chain == b.chain);
        all
    }

    /// Loads a configuration file and what it extends (once per file).
    fn load(&self, path: &Path) -> Result<Arc<Resolved>, String> {
        if let Some(found) = self.by_file.lock().expect("settings lock").get(path) {
            return Ok(found.clone());
        }
        let mut chain = Vec::new();
        let config = self.load_chain(path, &mut chain)?;
        let base = path.parent().unwrap_or(&self.cwd).to_path_buf();
        let resolved = Arc::new(Resolved::new(config, chain, base)?);
        self.by_file
            .lock()
            .expect("settings lock")
            .insert(path.to_path_buf(), resolved.clone());
        Ok(resolved)
    }

    fn load_chain(&self, path: &Path, chain: &mut Vec<PathBuf>) -> Result<Config, String> {
        let name = shown(&self.cwd, path);
        if chain.iter().any(|p| p == path) {
            return Err(format!("{name}: `extends` loops back to this file"));
        }
        chain.push(path.to_path_buf());
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{name}: cannot read configuration: {e}"))?;
        let config = Config::parse(Path::new(&name), &text).map_err(|e| e.to_string())?;
        // Paths in the file were joined to its shown name; make them absolute.
        let mut config = config;
        for rule in &mut config.rules {
            rule.value = absolute(&self.cwd, &rule.value);
        }
        match config.extends.clone() {
            None => Ok(config),
            Some(parent) => {
                let parent_path = absolute(&self.cwd, &parent.value);
                if !parent_path.is_file() {
                    return Err(format!(
                        "{}: `extends`: no such file {}",
                        parent.origin,
                        shown(&self.cwd, &parent_path)
                    ));
                }
                let parent = self.load_chain(&parent_path, chain)?;
                Ok(config.extend(parent))
            }
        }
    }
}

/// The nearest configuration file in `dir` or above.
fn nearest(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .flat_map(|d| FILE_NAMES.iter().map(move |name| d.join(name)))
        .find(|candidate| candidate.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_resolves_dots_and_separators_whether_or_not_the_path_is_plain() {
        let cwd = Path::new("/work/project");
        for path in [
            "fixtures/a.txt",
            "./fixtures/a.txt",
            "fixtures/./a.txt",
            "fixtures/../rules/b.yaml",
            "../other/c.md",
            "fixtures//a.txt",
            "fixtures/",
            "fixtures/.",
            ".",
            "..",
            "/abs/d.txt",
            "/abs/../e.txt",
            "/",
            ".hidden/f.txt",
            "..data/g.txt",
        ] {
            let path = Path::new(path);
            // As strings: `Path` equality would let a trailing separator through.
            assert_eq!(
                absolute(cwd, path).as_os_str(),
                // The path as resolved without the plain-path shortcut.
                resolve_lexically(&cwd.join(path)).as_os_str(),
                "{}",
                path.display()
            );
        }
    }
}
