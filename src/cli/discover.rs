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
            // (The parallel walk of directories enters them in no order, and never asks
            // for a file's configuration.)
            let dirs = Mutex::new(Dirs::<Arc<Resolved>>::default());
            move |entry| {
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                if directories_only && !is_dir {
                    return false;
                }
                let path = entry.path();
                let mut dirs = dirs.lock().expect("directories walked");
                let config = if is_dir {
                    dirs.enter(entry.depth(), || config_of(&settings, path))
                } else {
                    dirs.of_file(entry.depth(), || config_above(&settings, path))
                };
                match config {
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
    /// The configurations of the directories the walk is in.
    dirs: Dirs<Arc<Resolved>>,
}

impl Targets {
    /// Starts listing `paths`.
    pub fn new(paths: &[PathBuf], settings: Arc<Settings>) -> Targets {
        Targets {
            settings,
            paths: paths.iter().cloned().collect(),
            walk: None,
            errors: Arc::default(),
            dirs: Dirs::default(),
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
                    let Some(file_type) = entry.file_type() else {
                        continue;
                    };
                    let depth = entry.depth();
                    if file_type.is_dir() {
                        // The walk's filter has looked its configuration up (the settings
                        // keep it) or refused the directory.
                        if let Err(error) = self
                            .dirs
                            .enter(depth, || config_of(&self.settings, entry.path()))
                        {
                            self.errors.lock().expect("error list").push(error);
                        }
                        continue;
                    }
                    if !file_type.is_file() {
                        continue;
                    }
                    let file = entry.into_path();
                    match self
                        .dirs
                        .of_file(depth, || config_above(&self.settings, &file))
                    {
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

/// The configurations of the directories a walk is in, by depth: a walk goes depth first,
/// so the directory a file is in is the last one entered at the depth above it, and its
/// configuration needs no lookup (nor the path taken apart to find the directory).
struct Dirs<T> {
    /// At each depth, the configuration of the last directory entered there, if known.
    by_depth: Vec<Option<T>>,
}

impl<T> Default for Dirs<T> {
    fn default() -> Self {
        Dirs {
            by_depth: Vec::new(),
        }
    }
}

impl<T: Clone> Dirs<T> {
    /// Enters a directory met at `depth`, whose configuration `lookup` gives.
    fn enter<E>(&mut self, depth: usize, lookup: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
        let config = lookup();
        self.set(depth, config.as_ref().ok().cloned());
        config
    }

    /// The configuration of a file met at `depth`: that of the directory entered last at
    /// the depth above, or else (for the walk's root, which its filter is not shown) the
    /// one `lookup` gives for the file's directory, kept for the files after it.
    fn of_file<E>(&mut self, depth: usize, lookup: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
        let above = depth.saturating_sub(1);
        if let Some(Some(config)) = self.by_depth.get(above) {
            return Ok(config.clone());
        }
        let config = lookup();
        self.set(above, config.as_ref().ok().cloned());
        config
    }

    /// Records the configuration of the directory at `depth`; those deeper are dropped.
    fn set(&mut self, depth: usize, config: Option<T>) {
        self.by_depth.truncate(depth);
        self.by_depth.resize(depth, None);
        self.by_depth.push(config);
    }
}

/// The configuration of `dir` (as walked).
fn config_of(settings: &Settings, dir: &Path) -> Result<Arc<Resolved>, String> {
    settings.for_dir(&absolute(settings.cwd(), dir))
}

/// The configuration of the directory `file` (as walked) is in.
fn config_above(settings: &Settings, file: &Path) -> Result<Arc<Resolved>, String> {
    config_of(settings, file.parent().unwrap_or(file))
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

#[cfg(test)]
mod tests {
    use super::Dirs;

    /// A walk's filter sees every entry but the root, depth first: a file gets the
    /// configuration of the last folder entered at the depth above it, also after a
    /// subfolder's files, and the root's is looked up once, for its first file.
    #[test]
    fn a_file_gets_the_folder_entered_last_above_it() {
        let mut dirs = Dirs::default();
        let mut lookups = 0;
        let mut lookup = |name: &'static str| {
            lookups += 1;
            Ok::<_, ()>(name)
        };
        assert_eq!(dirs.enter(1, || lookup("a")), Ok("a"));
        assert_eq!(dirs.of_file(2, || Err(())), Ok("a"));
        assert_eq!(dirs.enter(2, || lookup("a/b")), Ok("a/b"));
        assert_eq!(dirs.of_file(3, || Err(())), Ok("a/b"));
        assert_eq!(
            dirs.of_file(2, || Err(())),
            Ok("a"),
            "back in `a` after `a/b`"
        );
        assert_eq!(dirs.of_file(1, || lookup("root")), Ok("root"));
        assert_eq!(dirs.of_file(1, || Err(())), Ok("root"), "the root's, kept");
        assert_eq!(dirs.enter(1, || lookup("m")), Ok("m"));
        assert_eq!(dirs.of_file(2, || Err(())), Ok("m"));
        assert_eq!(dirs.of_file(1, || Err(())), Ok("root"));
        // A folder whose configuration is broken has no files walked; the next is entered.
        assert_eq!(dirs.enter(1, || Err(())), Err(()));
        assert_eq!(dirs.enter(1, || lookup("z")), Ok("z"));
        assert_eq!(dirs.of_file(2, || Err(())), Ok("z"));
        assert_eq!(lookups, 5);
    }
}
