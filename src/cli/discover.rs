//! Finds the files to check: explicit files as given, directories walked recursively with
//! `ignore` (honouring .gitignore and .ignore, skipping hidden files), filtered by
//! extension and the configuration's include/exclude globs.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::WalkBuilder;

use citelint::config::Config;

/// A path to check, or why a path could not be walked.
#[derive(Debug)]
pub enum Target {
    /// A file: its path, and how reports name it.
    File(PathBuf, String),
    /// Standard input.
    Stdin,
    /// A problem with a path: how reports name it, and the message.
    Error(String, String),
}

/// Compiled include/exclude globs and extensions. Globs match paths relative to the
/// directory of the configuration file (the working directory when there is none).
#[derive(Clone)]
pub struct Filter {
    include: Option<GlobSet>,
    exclude: GlobSet,
    extensions: Vec<String>,
    cwd: PathBuf,
    base: PathBuf,
}

/// `path` made absolute against `cwd`, with `.` and `..` resolved lexically.
fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in cwd.join(path).components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn glob_set(globs: &[String]) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        builder.add(
            Glob::new(glob).map_err(|e| format!("invalid glob `{glob}` in configuration: {e}"))?,
        );
        // `drafts` also excludes everything below it.
        if !glob.ends_with("/**") {
            builder.add(
                Glob::new(&format!("{glob}/**"))
                    .map_err(|e| format!("invalid glob `{glob}`: {e}"))?,
            );
        }
    }
    builder
        .build()
        .map_err(|e| format!("invalid globs in configuration: {e}"))
}

impl Filter {
    /// Compiles the configuration's globs.
    pub fn new(config: &Config) -> Result<Filter, String> {
        let cwd = std::env::current_dir()
            .map_err(|e| format!("cannot read the working directory: {e}"))?;
        let base = match config.path.as_ref().and_then(|p| p.parent()) {
            Some(dir) => absolute(&cwd, dir),
            None => cwd.clone(),
        };
        Ok(Filter {
            cwd,
            base,
            include: if config.include.is_empty() {
                None
            } else {
                Some(glob_set(&config.include)?)
            },
            exclude: glob_set(&config.exclude)?,
            extensions: config.extensions.clone(),
        })
    }

    /// The path as the globs see it: relative to the base when below it.
    fn relative(&self, path: &Path) -> PathBuf {
        let absolute = absolute(&self.cwd, path);
        match absolute.strip_prefix(&self.base) {
            Ok(relative) => relative.to_path_buf(),
            Err(_) => absolute,
        }
    }

    fn excluded(&self, path: &Path) -> bool {
        self.exclude.is_match(self.relative(path))
    }

    fn wanted(&self, path: &Path) -> bool {
        if let Some(include) = &self.include {
            return include.is_match(self.relative(path));
        }
        path.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| self.extensions.iter().any(|x| x.eq_ignore_ascii_case(e)))
    }
}

/// Expands `paths` into targets, in a deterministic order.
pub fn discover(paths: &[PathBuf], filter: &Filter) -> Vec<Target> {
    let mut targets = Vec::new();
    for path in paths {
        let shown = path.display().to_string();
        if shown == "-" {
            targets.push(Target::Stdin);
            continue;
        }
        let metadata = match std::fs::metadata(path) {
            Ok(metadata) => metadata,
            Err(error) => {
                let message = if error.kind() == std::io::ErrorKind::NotFound {
                    "no such file or directory".to_string()
                } else {
                    format!("cannot read: {error}")
                };
                targets.push(Target::Error(shown, message));
                continue;
            }
        };
        if !metadata.is_dir() {
            // A file named explicitly is checked whatever its extension.
            targets.push(Target::File(path.clone(), shown));
            continue;
        }
        let mut found = Vec::new();
        let walker = WalkBuilder::new(path)
            .follow_links(true)
            .add_custom_ignore_filename(".citelintignore")
            .sort_by_file_name(|a, b| a.cmp(b))
            .filter_entry({
                let filter = filter.clone();
                move |entry| !filter.excluded(entry.path())
            })
            .build();
        for entry in walker {
            match entry {
                Ok(entry) => {
                    if entry.file_type().is_some_and(|t| t.is_file()) {
                        let file = entry.into_path();
                        if filter.wanted(&file) && !filter.excluded(&file) {
                            let shown = file.display().to_string();
                            found.push(Target::File(file, shown));
                        }
                    }
                }
                Err(error) => found.push(walk_error(path, error)),
            }
        }
        targets.extend(found);
    }
    targets
}

fn walk_error(root: &Path, error: ignore::Error) -> Target {
    match error {
        ignore::Error::WithPath { path, err } => {
            let shown = path.display().to_string();
            Target::Error(shown, describe(*err))
        }
        ignore::Error::WithDepth { err, .. } => walk_error(root, *err),
        ignore::Error::Loop { ancestor, child } => Target::Error(
            child.display().to_string(),
            format!(
                "directory loop: links back to {}; not followed",
                ancestor.display()
            ),
        ),
        other => Target::Error(root.display().to_string(), describe(other)),
    }
}

fn describe(error: ignore::Error) -> String {
    match error {
        ignore::Error::Io(io) => format!("cannot read: {io}"),
        ignore::Error::Loop { ancestor, .. } => format!(
            "directory loop back to {}; not followed",
            ancestor.display()
        ),
        other => other.to_string(),
    }
}
