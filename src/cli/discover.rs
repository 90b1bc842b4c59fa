//! Finds the files to check: explicit files as given, directories walked recursively with
//! `ignore` (honouring .gitignore, .ignore and .citelintignore, skipping hidden files),
//! filtered by the extensions, `include` and `exclude` of the configuration governing
//! each directory.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use ignore::WalkBuilder;

use super::settings::{Settings, absolute};

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

/// Expands `paths` into targets. Fails on a broken configuration file met on the way.
pub fn discover(paths: &[PathBuf], settings: &Arc<Settings>) -> Result<Vec<Target>, String> {
    let mut targets = Vec::new();
    let config_errors = Arc::new(Mutex::new(Vec::new()));
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
            // A file named explicitly is checked whatever its extension or globs.
            targets.push(Target::File(path.clone(), shown));
            continue;
        }
        let walker = WalkBuilder::new(path)
            .follow_links(true)
            .add_custom_ignore_filename(".citelintignore")
            .sort_by_file_name(|a, b| a.cmp(b))
            .filter_entry({
                let settings = settings.clone();
                let errors = config_errors.clone();
                move |entry| {
                    let path = absolute(settings.cwd(), entry.path());
                    let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                    let dir = if is_dir {
                        path.as_path()
                    } else {
                        path.parent().unwrap_or(&path)
                    };
                    match settings.for_dir(dir) {
                        Ok(resolved) => resolved.excluded_by(&path).is_none(),
                        Err(error) => {
                            errors.lock().expect("error list").push(error);
                            false
                        }
                    }
                }
            })
            .build();
        for entry in walker {
            match entry {
                Ok(entry) => {
                    if entry.file_type().is_some_and(|t| t.is_file()) {
                        let file = entry.into_path();
                        let absolute = absolute(settings.cwd(), &file);
                        let resolved = settings.for_dir(absolute.parent().unwrap_or(&absolute))?;
                        if resolved.wanted(&absolute) {
                            let shown = file.display().to_string();
                            targets.push(Target::File(file, shown));
                        }
                    }
                }
                Err(error) => targets.push(walk_error(&shown, error)),
            }
        }
    }
    let errors = config_errors.lock().expect("error list");
    if let Some(first) = errors.first() {
        return Err(first.clone());
    }
    Ok(targets)
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
