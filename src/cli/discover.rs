//! Finds the files to check: explicit files as given, directories walked recursively with
//! `ignore` (honouring .gitignore, .ignore and .citelintignore, skipping hidden files),
//! filtered by the extensions, `include` and `exclude` of the configuration governing
//! each directory.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::WalkBuilder;

use super::settings::{Resolved, Settings, absolute};

/// A path to check, or why a path could not be walked.
#[derive(Debug)]
pub enum Target {
    /// A file: its path, how reports name it, and, for a file found by walking, the
    /// configuration that governs it (looked up to list it; a file named explicitly has
    /// its configuration looked up when it is checked).
    File(PathBuf, String, Option<Arc<Resolved>>),
    /// Standard input.
    Stdin,
    /// A problem with a path: how reports name it, and the message.
    Error(String, String),
}

/// Configuration errors met while walking (a broken `citelint.yaml` below a root).
pub type ConfigErrors = Arc<Mutex<Vec<String>>>;

/// The builder of a gitignore-aware walk of `root` that skips what the governing
/// configuration excludes, sorted by file name; with `directories_only`, files are not
/// even yielded, and nothing is sorted (only which directories there are counts), so the
/// walk may be built parallel.
fn walker(
    root: &Path,
    settings: &Arc<Settings>,
    errors: &ConfigErrors,
    directories_only: bool,
) -> WalkBuilder {
    let mut builder = WalkBuilder::new(root);
    if !directories_only {
        // Entries of one directory share their parent, so comparing whole paths as bytes
        // orders them by file name, without taking each name apart from its path again
        // at every comparison (`sort_by_file_name` does, and that was most of the walk).
        builder.sort_by_file_path(|a, b| a.as_os_str().cmp(b.as_os_str()));
    }
    builder
        .follow_links(true)
        .add_custom_ignore_filename(".citelintignore")
        .filter_entry({
            let settings = settings.clone();
            let errors = errors.clone();
            let last_dir = Mutex::new(None);
            move |entry| {
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                if directories_only && !is_dir {
                    return false;
                }
                let path = entry.path();
                let dir = if is_dir {
                    path
                } else {
                    path.parent().unwrap_or(path)
                };
                let mut last_dir = last_dir.lock().expect("last directory");
                match config_of(&settings, &mut last_dir, dir) {
                    // The path is made absolute only for globs to match it.
                    Ok(resolved) => {
                        !resolved.has_excludes()
                            || resolved
                                .excluded_by(&absolute(settings.cwd(), path))
                                .is_none()
                    }
                    Err(error) => {
                        errors.lock().expect("error list").push(error);
                        false
                    }
                }
            }
        });
    builder
}

/// Resolves the configuration of every directory below `paths` (directories only, no
/// files), so that the rule packs nested configurations bring in are known before any file
/// is checked. Fails on a broken configuration file.
pub fn resolve_configurations(paths: &[PathBuf], settings: &Arc<Settings>) -> Result<(), String> {
    let errors: ConfigErrors = Arc::default();
    for path in paths.iter().filter(|p| p.is_dir()) {
        // In parallel (the order does not count here): this walk reads every directory
        // before any file is checked, so its time is all waiting.
        walker(path, settings, &errors, true)
            .build_parallel()
            // Walk errors are reported when the files are listed.
            .run(|| Box::new(|_| ignore::WalkState::Continue));
    }
    // The walk is not sorted: of several broken files, the one named first is reported,
    // whatever order the file system lists them in.
    let errors = errors.lock().expect("error list");
    match errors.iter().min() {
        Some(first) => Err(first.clone()),
        None => Ok(()),
    }
}

/// The targets of `paths`, produced as the directories are walked: in the order the paths
/// are given, each directory's entries sorted by name.
pub struct Targets {
    settings: Arc<Settings>,
    paths: std::collections::VecDeque<PathBuf>,
    walk: Option<(ignore::Walk, String)>,
    errors: ConfigErrors,
    /// The last directory a walked file was in (as walked), and its configuration: files
    /// come directory by directory, so most need no lookup.
    last_dir: Option<(PathBuf, Arc<Resolved>)>,
}

impl Targets {
    /// Starts listing `paths`.
    pub fn new(paths: &[PathBuf], settings: Arc<Settings>) -> Targets {
        Targets {
            settings,
            paths: paths.iter().cloned().collect(),
            walk: None,
            errors: Arc::default(),
            last_dir: None,
        }
    }

    /// Fails on the first broken configuration met while walking.
    pub fn check(&self) -> Result<(), String> {
        match self.errors.lock().expect("error list").first() {
            Some(first) => Err(first.clone()),
            None => Ok(()),
        }
    }

    fn next_of_walk(&mut self) -> Option<Target> {
        let (walk, root) = self.walk.as_mut()?;
        for entry in walk.by_ref() {
            match entry {
                Ok(entry) => {
                    if !entry.file_type().is_some_and(|t| t.is_file()) {
                        continue;
                    }
                    let file = entry.into_path();
                    let dir = file.parent().unwrap_or(&file);
                    match config_of(&self.settings, &mut self.last_dir, dir) {
                        Ok(config)
                            if config.wanted(&file, || absolute(self.settings.cwd(), &file)) =>
                        {
                            let shown = display_name(&file);
                            return Some(Target::File(file, shown, Some(config)));
                        }
                        Ok(_) => {}
                        Err(error) => self.errors.lock().expect("error list").push(error),
                    }
                }
                Err(error) => return Some(walk_error(root, error)),
            }
        }
        self.walk = None;
        None
    }
}

/// The configuration governing the files of `dir` (as walked), from `last_dir` when it is
/// the directory looked up before (a walk names a directory's entries with the same
/// parent, so the path need not be made absolute again for each).
fn config_of(
    settings: &Settings,
    last_dir: &mut Option<(PathBuf, Arc<Resolved>)>,
    dir: &Path,
) -> Result<Arc<Resolved>, String> {
    if let Some((last, config)) = last_dir.as_ref()
        && last.as_os_str() == dir.as_os_str()
    {
        return Ok(config.clone());
    }
    let config = settings.for_dir(&absolute(settings.cwd(), dir))?;
    *last_dir = Some((dir.to_path_buf(), config.clone()));
    Ok(config)
}

impl Iterator for Targets {
    type Item = Target;

    fn next(&mut self) -> Option<Target> {
        loop {
            if let Some(target) = self.next_of_walk() {
                return Some(target);
            }
            let path = self.paths.pop_front()?;
            let shown = display_name(&path);
            if shown == "-" {
                return Some(Target::Stdin);
            }
            match std::fs::metadata(&path) {
                Err(error) => {
                    let message = if error.kind() == std::io::ErrorKind::NotFound {
                        "no such file or directory".to_string()
                    } else {
                        format!("cannot read: {error}")
                    };
                    return Some(Target::Error(shown, message));
                }
                // A file named explicitly is checked whatever its extension or globs.
                Ok(metadata) if !metadata.is_dir() => {
                    return Some(Target::File(path, shown, None));
                }
                Ok(_) => {
                    let walk = walker(&path, &self.settings, &self.errors, false).build();
                    self.walk = Some((walk, shown));
                }
            }
        }
    }
}

/// How reports name `path`: as written (a file's name is UTF-8 almost always, and then
/// needs no formatting), else with invalid bytes shown as U+FFFD, as `Path::display` does.
fn display_name(path: &Path) -> String {
    path.to_str()
        .map_or_else(|| path.display().to_string(), str::to_owned)
}

fn walk_error(root: &str, error: ignore::Error) -> Target {
    match error {
        ignore::Error::WithPath { path, err } => match *err {
            ignore::Error::Loop { ancestor, .. } => Target::Error(
                path.display().to_string(),
                format!(
                    "directory loop: links back to {}; not followed",
                    ancestor.display()
                ),
            ),
            other => Target::Error(path.display().to_string(), describe(other)),
        },
        ignore::Error::WithDepth { err, .. } => walk_error(root, *err),
        ignore::Error::Loop { ancestor, child } => Target::Error(
            child.display().to_string(),
            format!(
                "directory loop: links back to {}; not followed",
                ancestor.display()
            ),
        ),
        other => Target::Error(root.to_string(), describe(other)),
    }
}

fn describe(error: ignore::Error) -> String {
    match error {
        ignore::Error::Io(io) => format!("cannot read: {io}"),
        other => other.to_string(),
    }
}
