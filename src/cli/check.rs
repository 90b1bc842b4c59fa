//! `citelint check`: discover, read and check files in parallel, and stream the report in
//! path order. Work in flight is bounded: files are checked in runs, never more than a
//! window of files ahead of the writer, and each file's document is dropped as soon as its
//! diagnostics (and snippets) are made.

use std::collections::{BTreeMap, VecDeque};
use std::io::{IsTerminal, Read, Write};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};

use citelint::document::{Document, Format};
use citelint::engine::{self, CheckOptions};
use citelint::report::{
    self, FileError, FileReport, OutputFormat, ReportOptions, RuleInfo, Summary,
};
use citelint::{RuleSet, Severity};

use super::baseline::Baseline;
use super::cache::{Cache, Entry, Fingerprint, Key, Place, Record, Stamp};
use super::discover::{Target, Targets, resolve_configurations};
use super::settings::{Settings, absolute};
use super::{
    CheckArgs, ColorChoice, EXIT_DIAGNOSTICS, EXIT_ERROR, EXIT_OK, Failure, Loaded, git,
    load_rules, settings,
};

/// The most files handed to the workers ahead of the writer: their results may wait, in
/// memory, for their turn in the report.
const WINDOW: usize = 4096;
/// The most files a worker checks before handing its results to the writer. Each hand-over
/// wakes the writer, a third thread on two cores that takes one from a worker; runs are
/// handed out continuously, so a long run costs a wait only at the end of the listing.
const MAX_RUN: usize = 128;

/// What a worker hands to the writer for one file.
struct Processed {
    file: FileReport,
    rendered: Option<String>,
    empty: bool,
    /// The file's cache entry (with `--cache`).
    entry: Option<Record>,
}

/// What checking one target gives.
struct Checked {
    file: FileReport,
    /// The document, for snippets; `None` when the file could not be read, or when the
    /// cache says it is clean (and nothing else needs it).
    document: Option<Document>,
    /// The file holds white space only.
    empty: bool,
    /// The file's cache entry (with `--cache`).
    entry: Option<Record>,
}

/// Everything a worker needs to check one target.
struct Job<'a> {
    loaded: &'a Loaded,
    settings: &'a Settings,
    today: jiff::civil::Date,
    stdin_name: &'a str,
    show_packs: bool,
    checked_rules: bool,
    /// A lone file read while the rules loaded, taken by the first check of that path.
    prefetched: Option<Prefetched>,
    /// Results of the previous run (with `--cache`).
    cache: Option<&'a Cache>,
    /// When the run started (a file changed since cannot be vouched for by its stamp).
    started: std::time::SystemTime,
}

/// A file read ahead of its check: its path, and its bytes or why it could not be read
/// (until taken).
type Prefetched = (PathBuf, std::sync::Mutex<Option<std::io::Result<Vec<u8>>>>);

/// Reads a run's only path when it is a file (an editor's run), and compiles the markup
/// patterns reading it will use; any other run gets all of them compiled.
fn prefetch_lone_file(paths: &[PathBuf]) -> Option<Prefetched> {
    let lone = match paths {
        [path] if path.as_os_str() != "-" && path.is_file() => path,
        _ => {
            citelint::document::precompile_patterns();
            return None;
        }
    };
    let read = read_file(lone, None);
    if let Ok(bytes) = &read {
        let text = std::str::from_utf8(bytes).unwrap_or_default();
        citelint::document::precompile_patterns_for(text);
    }
    Some((lone.clone(), std::sync::Mutex::new(Some(read))))
}

/// Runs `citelint check`.
pub fn run(args: CheckArgs) -> Result<i32, Failure> {
    let settings = settings(&args.load)?;
    let stdin_name = args
        .stdin_filename
        .clone()
        .unwrap_or_else(|| "<stdin>".to_string());
    // Every configuration is known before any file is checked (nested ones may bring
    // packs); the files themselves are listed as they are checked.
    resolve_configurations(&args.paths, &settings)?;
    if args.paths.iter().any(|p| p.as_os_str() == "-") {
        // Standard input gets the configuration of the path it stands for.
        settings.for_path(Path::new(&stdin_name))?;
    }
    // The patterns documents are read with compile while the rules load (a lone file is
    // read meanwhile too, so that only the patterns it needs are compiled).
    let (loaded, prefetched) = rayon::join(
        || load_rules(&args.load, &settings),
        || prefetch_lone_file(&args.paths),
    );
    // The rules live until the process ends: leaked, so that exiting does not spend time
    // taking apart every compiled regex.
    let loaded: &mut Loaded = Box::leak(Box::new(loaded?));
    for resolved in settings.all() {
        loaded.validate(&resolved)?;
    }
    if !args.select.is_empty() {
        loaded.rules.select(&args.select)?;
    }
    for selector in &args.ignore {
        loaded.rules.set_level(selector, None)?;
    }
    let changed = match &args.changed_since {
        Some(rev) => Some(git::changed_since(settings.cwd(), rev)?),
        None => None,
    };
    let mut listing = Targets::new(&args.paths, settings.clone());
    let wanted = |t: &Target| match (t, &changed) {
        (Target::File(path, _, _), Some(changed)) => {
            git::canonical(path).is_some_and(|p| changed.contains(&p))
        }
        _ => true,
    };

    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            args.output_file.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    colored::control::set_override(color);
    let base_uri = url::Url::from_directory_path(settings.cwd())
        .ok()
        .map(|u| u.to_string());
    let options = ReportOptions {
        color,
        rules: RuleInfo::catalog(&loaded.rules),
        base_uri,
    };
    let mut reporter = report::reporter(args.format, options.clone());
    let baseline = match &args.baseline {
        Some(path) => Some(Baseline::read(path)?),
        None => None,
    };
    let mut recorded = args.write_baseline.as_ref().map(|_| Baseline::default());
    let started = std::time::SystemTime::now();
    let today = args.today.unwrap_or_else(super::clock::today);
    // Standard input is never cached (it has no file to be the same as next time), so a
    // run of it alone has no cache to read or write.
    let names_files = args.paths.iter().any(|p| p.as_os_str() != "-");
    let cache = cache_dir(&args, &settings)
        .filter(|_| names_files)
        .map(|dir| open_cache(&dir, &args, &settings, loaded));
    // A run limited to changed files uses the cache but does not replace it: the new file
    // would lack the entries of every unchanged file.
    let mut cache_writer = match &cache {
        Some(cache) if args.changed_since.is_none() => cache.writer(),
        _ => None,
    };
    let mut statistics: BTreeMap<String, (Severity, usize)> = BTreeMap::new();

    let mut out: Box<dyn Write> = match &args.output_file {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .map_err(|e| format!("{}: cannot write the report: {e}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let write_error = |e: std::io::Error| Failure::writing("the report", e);
    let quiet = args.statistics || recorded.is_some();
    let job = Job {
        loaded,
        settings: &settings,
        today,
        stdin_name: &stdin_name,
        show_packs: args.show_packs,
        checked_rules: reporter.wants_checked_rules(),
        prefetched,
        cache: cache.as_ref(),
        started,
    };

    let mut summary = Summary::default();
    let mut failing = false;
    // Workers check, filter against the baseline and render; the main thread writes the
    // results in path order as they arrive (see `check_in_order`). Documents never leave
    // the workers.
    let renderer = report::reporter(args.format, options.clone());
    let baseline = baseline.map(std::sync::Mutex::new);
    // `prepare`: compile the regexes the file needs in parallel first (for a lone file).
    let process = |target: &Target, prepare: bool| -> Processed {
        let Checked {
            mut file,
            document,
            empty,
            entry,
        } = check_target(target, &job, prepare);
        if let Some(baseline) = &baseline {
            // Entries are keyed by path, so files never compete for them.
            baseline
                .lock()
                .expect("baseline lock")
                .filter(&file.path, &mut file.diagnostics);
        }
        let rendered = match &document {
            Some(doc) if !quiet => renderer.render(&file, doc),
            _ => None,
        };
        Processed {
            file,
            rendered,
            empty,
            entry,
        }
    };
    let mut handle = |processed: Processed| -> Result<(), Failure> {
        let Processed {
            file,
            rendered,
            empty,
            entry,
        } = processed;
        if let (Some(writer), Some(record)) = (&mut cache_writer, &entry) {
            writer.add(record);
        }
        if let Some(error) = &file.error {
            eprintln!("citelint: error: {}", error.located(&file.path));
        } else if empty {
            eprintln!(
                "citelint: warning: {}: empty file; nothing to check",
                file.path
            );
        }
        if args.show_packs && args.format != OutputFormat::Human {
            for decision in &file.packs {
                let state = if decision.applied {
                    "applied"
                } else {
                    "skipped"
                };
                eprintln!(
                    "citelint: {}: {state} {}: {}",
                    file.path, decision.pack, decision.reason
                );
            }
        }
        failing |= file.diagnostics.iter().any(|d| d.severity >= args.fail_on);
        for d in &file.diagnostics {
            statistics
                .entry(d.rule.clone())
                .or_insert((d.severity, 0))
                .1 += 1;
        }
        if let Some(recorded) = recorded.as_mut() {
            recorded.record(&file.path, &file.diagnostics);
        }
        if !quiet {
            reporter
                .file(&mut out, &file, rendered)
                .map_err(write_error)?;
        }
        summary.add(&file);
        Ok(())
    };
    let list = |count: usize| -> Result<Vec<Target>, String> {
        let targets: Vec<Target> = listing.by_ref().filter(wanted).take(count).collect();
        listing.check()?;
        Ok(targets)
    };
    let written = check_in_order(list, &process, &mut handle);
    // What the files checked so far call for; also the exit code when the reader of the
    // report goes away before its end (`citelint check | head`).
    let exit_code = |summary: &Summary, failing: bool| {
        if summary.file_errors > 0 {
            EXIT_ERROR
        } else if failing && !args.exit_zero {
            EXIT_DIAGNOSTICS
        } else {
            EXIT_OK
        }
    };
    if let Err(failure) = written {
        return match failure {
            Failure::OutputClosed => Ok(exit_code(&summary, failing)),
            failure => Err(failure),
        };
    }
    if let Some(writer) = cache_writer {
        writer.commit();
    }
    if let (Some(cache), true) = (&cache, args.show_packs) {
        eprintln!(
            "citelint: cache: {} of {} files unchanged since the last run, {} of them known by their file-system stamp ({})",
            cache.hits(),
            summary.files,
            cache.stamped_hits(),
            cache.path().display()
        );
    }

    if let (Some(recorded), Some(path)) = (&recorded, &args.write_baseline) {
        let count = recorded.write(path)?;
        eprintln!(
            "citelint: recorded {count} diagnostics in {}",
            path.display()
        );
        return Ok(if summary.file_errors > 0 {
            EXIT_ERROR
        } else {
            EXIT_OK
        });
    }
    let closing = if args.statistics {
        statistics
            .iter()
            .try_for_each(|(rule, (severity, count))| {
                writeln!(out, "{count:>6}  {rule:<40} {severity}")
            })
            .and_then(|()| {
                writeln!(
                    out,
                    "{:>6}  total in {} of {} files",
                    statistics.values().map(|(_, c)| c).sum::<usize>(),
                    summary.files_with_diagnostics,
                    summary.files
                )
            })
    } else {
        reporter.finish(&mut out, &summary)
    };
    match closing.and_then(|()| out.flush()).map_err(write_error) {
        Err(Failure::OutputClosed) => return Ok(exit_code(&summary, failing)),
        result => result?,
    }
    if let (Some(markdown), Some(path)) = (
        reporter.step_summary(),
        std::env::var_os("GITHUB_STEP_SUMMARY"),
    ) {
        append(Path::new(&path), &markdown)?;
    }
    Ok(exit_code(&summary, failing))
}

/// Checks the files `list` gives (asked for at most so many at a time, in path order) and
/// hands each file's result to `write` in that order; the first error `write` returns
/// ends the run, and so does a listing error, once the files listed before it are written.
///
/// A lone file is checked on this thread, its regexes compiled in parallel. Otherwise the
/// files go to the thread pool in runs, one task a run, while this thread lists the next
/// runs and writes the results that are next in order. Runs are handed out as results
/// are written, never more than [`WINDOW`] files ahead of the writer: the results that
/// wait for their turn stay bounded, and the workers never wait for each other between
/// batches of files. The writer is woken only when the next run in order is ready with
/// a batch of others (eight: a quarter of a window of the longest runs) or is the last
/// one out: on two cores its thread takes its time from a worker.
fn check_in_order<R: Send>(
    mut list: impl FnMut(usize) -> Result<Vec<Target>, String>,
    process: &(impl Fn(&Target, bool) -> R + Sync),
    write: &mut impl FnMut(R) -> Result<(), Failure>,
) -> Result<(), Failure> {
    // Runs of a size that shares out what has been listed so far evenly (eight runs a
    // worker), up to MAX_RUN files: a short listing is shared out evenly, and a long one
    // starts with short runs, so that the workers start after a few hundred files are
    // listed, and soon takes long ones. The rest are listed as they are handed out.
    let runs_a_listing = rayon::current_num_threads() * 8;
    let first = (runs_a_listing * MAX_RUN / 4).min(WINDOW);
    let mut pending: VecDeque<Target> = list(first)?.into();
    let mut listed_all = pending.len() < first;
    if listed_all && pending.len() == 1 {
        // The only file: an editor's run, checked without starting the thread pool.
        return write(process(&pending[0], true));
    }
    let inbox = Inbox {
        state: Mutex::new(Ready {
            runs: BTreeMap::new(),
            next: 0,
            outstanding: 0,
            batch: (WINDOW / MAX_RUN / 4).max(1),
        }),
        wake: Condvar::new(),
    };
    let mut written = Ok(());
    let mut listing_error = None;
    // Set once the report cannot be written: the runs handed out are not checked then.
    let stop = AtomicBool::new(false);
    rayon::in_place_scope(|scope| {
        // Runs and files handed out, and those whose results were taken.
        let (mut handed_out, mut next) = (0, 0);
        let (mut files_out, mut files_taken) = (0, 0);
        loop {
            while written.is_ok() && listing_error.is_none() && files_out - files_taken < WINDOW {
                // Every file listed is handed out or pending.
                let listed = files_out + pending.len();
                let run = (listed / runs_a_listing).clamp(1, MAX_RUN);
                if pending.len() < run && !listed_all {
                    match list(run) {
                        Ok(more) => {
                            listed_all = more.len() < run;
                            pending.extend(more);
                        }
                        Err(error) => listing_error = Some(error),
                    }
                }
                if pending.is_empty() || listing_error.is_some() {
                    break;
                }
                let targets: Vec<Target> = pending.drain(..run.min(pending.len())).collect();
                files_out += targets.len();
                inbox.lock().outstanding += 1;
                let (inbox, stop, index) = (&inbox, &stop, handed_out);
                scope.spawn(move |_| {
                    // A panic is handed over too, so that the writer does not wait for
                    // the run's results for ever; it is raised again there.
                    let results = std::panic::catch_unwind(AssertUnwindSafe(|| {
                        if stop.load(Ordering::Relaxed) {
                            return Vec::new();
                        }
                        targets
                            .iter()
                            .map(|t| process(t, false))
                            .collect::<Vec<_>>()
                    }));
                    inbox.hand_over(index, results);
                });
                handed_out += 1;
            }
            if next == handed_out {
                break;
            }
            for results in inbox.take_ready() {
                next += 1;
                let results = results.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                files_taken += results.len();
                for processed in results {
                    if written.is_ok() {
                        written = write(processed);
                        if written.is_err() {
                            stop.store(true, Ordering::Relaxed);
                        }
                    }
                }
            }
        }
    });
    written?;
    match listing_error {
        Some(error) => Err(error.into()),
        None => Ok(()),
    }
}

/// Where the workers leave the results of their runs for the writer.
struct Inbox<R> {
    state: Mutex<Ready<R>>,
    /// Signalled when the writer has something worth waking for.
    wake: Condvar,
}

/// The results of the runs done and not yet taken, by index.
struct Ready<R> {
    runs: BTreeMap<usize, std::thread::Result<Vec<R>>>,
    /// The index of the run the writer takes next.
    next: usize,
    /// Runs handed out and not yet done.
    outstanding: usize,
    /// How many runs done wake the writer (once the next run is among them).
    batch: usize,
}

impl<R> Ready<R> {
    /// Whether the writer has enough to take: the next run, with a batch of others or the
    /// last of those handed out.
    fn worth_taking(&self) -> bool {
        self.runs.contains_key(&self.next)
            && (self.runs.len() >= self.batch || self.outstanding == 0)
    }
}

impl<R> Inbox<R> {
    fn lock(&self) -> std::sync::MutexGuard<'_, Ready<R>> {
        // A panic never leaves the state half changed: each change is one statement.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Leaves the results of run `index`, and wakes the writer if it has enough to take.
    fn hand_over(&self, index: usize, results: std::thread::Result<Vec<R>>) {
        let mut ready = self.lock();
        ready.runs.insert(index, results);
        ready.outstanding -= 1;
        if ready.worth_taking() {
            self.wake.notify_one();
        }
    }

    /// Waits until the writer has enough to take, and takes the runs that follow on from
    /// the last taken, in order.
    fn take_ready(&self) -> Vec<std::thread::Result<Vec<R>>> {
        let mut ready = self.lock();
        while !ready.worth_taking() {
            ready = self
                .wake
                .wait(ready)
                .unwrap_or_else(PoisonError::into_inner);
        }
        let mut taken = Vec::new();
        loop {
            let next = ready.next;
            let Some(results) = ready.runs.remove(&next) else {
                return taken;
            };
            ready.next += 1;
            taken.push(results);
        }
    }
}

/// The cache of this run's paths, fingerprinted with everything besides a file's own path
/// and bytes, and today's date, that decides its diagnostics (the build is added by
/// [`Fingerprint::new`]; each entry says on which days it holds).
fn open_cache(dir: &Path, args: &CheckArgs, settings: &Settings, loaded: &Loaded) -> Cache {
    let mut fingerprint = Fingerprint::new();
    fingerprint.part(format!(
        "{} {:?} {:?}",
        args.load.no_default_rules, args.select, args.ignore
    ));
    for (name, text) in &loaded.rule_files {
        fingerprint.part(name).part(text);
    }
    // Every configuration in force: the files it came from, and what they say.
    for resolved in settings.all() {
        fingerprint.part(format!(
            "{:?} {:?} {:?}",
            resolved.chain, resolved.base, resolved.config
        ));
    }
    Cache::open(dir, settings.cwd(), &args.paths, &fingerprint)
}

/// The folder this run keeps its cache in, if it keeps one: `--cache-dir`; else the
/// `cache` of the configuration governing the working directory (or `--config`), which
/// `--cache` turns on in the default folder when it does not name one; never with
/// `--no-cache`.
fn cache_dir(args: &CheckArgs, settings: &Settings) -> Option<PathBuf> {
    if args.no_cache {
        return None;
    }
    if let Some(dir) = &args.cache_dir {
        return Some(absolute(settings.cwd(), dir));
    }
    let configured = settings
        .root()
        .config
        .cache
        .as_ref()
        .map(|c| c.value.clone());
    match (configured, args.cache) {
        (Some(Some(dir)), _) => Some(dir),
        (_, true) => Some(settings.cwd().join(citelint::config::DEFAULT_CACHE_DIR)),
        (_, false) => None,
    }
}

fn append(path: &Path, text: &str) -> Result<(), String> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| format!("{}: cannot write the step summary: {e}", path.display()))?;
    file.write_all(text.as_bytes())
        .map_err(|e| format!("{}: cannot write the step summary: {e}", path.display()))
}

/// Reads a file to check (see [`read_source`]), `size` bytes long if known (else asked of
/// the open file).
fn read_file(path: &Path, size: Option<u64>) -> std::io::Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    // The size is asked of the file system only for a file longer than the first read
    // (not for most articles: one system call fewer each).
    let size = || {
        size.or_else(|| file.metadata().ok().map(|m| m.len()))
            .and_then(|size| usize::try_from(size).ok())
    };
    read_source(&file, size)
}

/// Reads a source to check; `size` tells how long it is, if that is known, and is asked
/// only when the source is longer than the first read. Reading stops after the first
/// [`BINARY_PROBE`](citelint::document::BINARY_PROBE) bytes if they hold a NUL: the source
/// is binary, and the document says so from them, so a device such as `/dev/zero`
/// named by mistake is refused at once rather than read without end.
fn read_source(
    reader: impl Read,
    size: impl FnOnce() -> Option<usize>,
) -> std::io::Result<Vec<u8>> {
    let probe = citelint::document::BINARY_PROBE;
    // One byte more than the probe, so that a shorter source is read to its end without
    // the buffer growing.
    let mut bytes = Vec::with_capacity(probe + 1);
    let mut reader = reader.take(probe as u64);
    reader.read_to_end(&mut bytes)?;
    if bytes.len() == probe && memchr::memchr(0, &bytes).is_none() {
        // Room for the whole source and one byte more, so that the read meets the end
        // without growing.
        if let Some(size) = size() {
            bytes.reserve_exact(size.saturating_add(1).saturating_sub(bytes.len()));
        }
        reader.into_inner().read_to_end(&mut bytes)?;
    }
    Ok(bytes)
}

impl Job<'_> {
    /// The bytes of `file` (`size` bytes long, if known): those read ahead if it is the
    /// prefetched file, else read now.
    fn read(&self, file: &Path, size: Option<u64>) -> std::io::Result<Vec<u8>> {
        self.prefetched
            .as_ref()
            .filter(|(path, _)| path == file)
            .and_then(|(_, read)| read.lock().expect("prefetch lock").take())
            .unwrap_or_else(|| read_file(file, size))
    }
}

/// Reads and checks one target; the document comes back for snippets. With `prepare`,
/// the regexes it needs are compiled in parallel before checking. With a cache, a file
/// whose key it holds is not checked again, and a clean one is not even parsed.
fn check_target(target: &Target, job: &Job, prepare: bool) -> Checked {
    // With a cache, a file is first known by its place and stamp: if the stamp is the one
    // recorded when the file was last read, the file is the same and, if it was clean, not
    // even read (standard input is never cached: it has no file to be the same next time).
    let (stamped, size) = match (target, job.cache) {
        (Target::File(file, ..), Some(cache)) => {
            let place = Place::new(&absolute(job.settings.cwd(), file));
            let metadata = std::fs::metadata(file).ok();
            let stamp = metadata.as_ref().and_then(Stamp::of);
            (Some((cache, place, stamp)), metadata.map(|m| m.len()))
        }
        _ => (None, None),
    };
    let stamped_hit = match &stamped {
        Some((cache, place, Some(stamp))) => cache.get_stamped(place, stamp, job.today),
        _ => None,
    };
    if let Target::File(_, shown, _) = target
        && let Some(checked) = answered(shown, &stamped_hit, job)
    {
        return checked;
    }
    let (path, bytes, format, location) = match target {
        Target::Error(path, message) => return failed(path.clone(), message.clone()),
        Target::Stdin => {
            let bytes = match read_source(std::io::stdin().lock(), || None) {
                Ok(bytes) => bytes,
                Err(error) => {
                    return failed(
                        job.stdin_name.to_string(),
                        format!("cannot read standard input: {error}"),
                    );
                }
            };
            let location = PathBuf::from(job.stdin_name);
            (
                job.stdin_name.to_string(),
                bytes,
                Format::from_path(&location),
                location,
            )
        }
        Target::File(file, shown, _) => match job.read(file, size) {
            Ok(bytes) => (shown.clone(), bytes, Format::from_path(file), file.clone()),
            Err(error) => return failed(shown.clone(), format!("cannot read: {error}")),
        },
    };
    // Made absolute only if asked for (the cache's key, a configuration to look up, an
    // override's globs).
    let location = std::cell::LazyCell::new(|| absolute(job.settings.cwd(), &location));
    // What the file's entry records of it: its key, and where it is and its stamp (when
    // that can vouch for it next time).
    let known = stamped.map(|(cache, place, stamp)| {
        let stamp = stamp.filter(|s| s.settled(job.started));
        (cache, Key::new(&location, &bytes), place, stamp)
    });
    // Known by its stamp but needed all the same (it has diagnostics to show, or `-v`):
    // read, and not looked up again.
    let hit = stamped_hit.or_else(|| {
        let (cache, key, place, stamp) = known?;
        let (entry, record) = cache.get(&key, job.today)?;
        // Found by content: the file may have moved or been copied since (a fresh clone).
        Some((
            entry,
            Record {
                place,
                stamp,
                ..record
            },
        ))
    });
    if let Some(checked) = answered(&path, &hit, job) {
        return checked;
    }
    let document = match Document::from_bytes(path.clone(), bytes, format) {
        Ok(document) => document,
        Err(error) => return failed(path, error),
    };
    // A walked file's configuration was found as it was listed.
    let config = match target {
        Target::File(_, _, Some(config)) => config.clone(),
        _ => match job.settings.for_dir(location.parent().unwrap_or(&location)) {
            Ok(config) => config,
            Err(error) => return failed(path, error),
        },
    };
    let options = config.options(|| &*location, job.today, &job.loaded.foreign_packs(&config));
    let rules: &RuleSet = &job.loaded.rules;
    let empty = document.text().trim().is_empty();
    let (diagnostics, entry) = match hit {
        Some((entry, record)) => (entry.diagnostics, Some(record)),
        None => {
            let outcome = if prepare {
                // The regexes compile on the other workers while this one checks: the check
                // takes each regex as it comes, compiling it itself if no worker has started
                // on it, or waiting for the worker that has.
                let mut outcome = None;
                rayon::scope(|scope| {
                    scope.spawn(|_| engine::prepare(rules, &document, &options));
                    outcome = Some(engine::check_outcome(rules, &document, &options));
                });
                outcome.expect("the check ran")
            } else {
                engine::check_outcome(rules, &document, &options)
            };
            let entry = known.map(|(_, key, place, stamp)| Record {
                key,
                place,
                stamp,
                // A configuration that fixes today for this file takes the run's out of it.
                same_result: if options.today == job.today {
                    outcome.same_result
                } else {
                    (jiff::civil::Date::MIN, jiff::civil::Date::MAX)
                },
                payload: Entry::encode(&outcome.diagnostics, empty),
            });
            (outcome.diagnostics, entry)
        }
    };
    let file = FileReport {
        packs: if job.show_packs {
            engine::explain_packs(rules, &document, &options)
        } else {
            Vec::new()
        },
        checked_rules: if job.checked_rules {
            checked(rules, &document, &options)
        } else {
            Vec::new()
        },
        path,
        diagnostics,
        error: None,
    };
    Checked {
        file,
        document: Some(document),
        empty,
        entry,
    }
}

/// What the cache says of a file on its own, when it can: the file was clean last time,
/// and nothing else (`-v`, a reporter listing the rules checked) needs its document.
fn answered(path: &str, hit: &Option<(Entry, Record)>, job: &Job) -> Option<Checked> {
    let (entry, record) = hit.as_ref()?;
    let alone = entry.diagnostics.is_empty() && !job.show_packs && !job.checked_rules;
    alone.then(|| Checked {
        file: FileReport {
            path: path.to_string(),
            ..FileReport::default()
        },
        document: None,
        empty: entry.empty,
        entry: Some(record.clone()),
    })
}

fn checked(rules: &RuleSet, document: &Document, options: &CheckOptions) -> Vec<String> {
    engine::checked_rules(rules, document, options)
        .into_iter()
        .map(|(_, rule, _)| rule.id.clone())
        .collect()
}

fn failed(path: String, error: impl Into<FileError>) -> Checked {
    let file = FileReport {
        path,
        error: Some(error.into()),
        ..FileReport::default()
    };
    Checked {
        file,
        document: None,
        empty: false,
        entry: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    /// `count` targets, each named by its index.
    fn targets(count: usize) -> impl Iterator<Item = Target> {
        (0..count).map(|i| Target::Error(i.to_string(), String::new()))
    }

    fn index_of(target: &Target) -> usize {
        match target {
            Target::Error(name, _) => name.parse().unwrap(),
            _ => unreachable!(),
        }
    }

    /// Results come out in the order listed, each once, however long each file takes
    /// (here the first of each window's worth holds its worker up while the others go
    /// on), and no file is handed out more than a window ahead of the writer.
    #[test]
    fn results_are_written_in_order_within_a_window() {
        let total = 3 * WINDOW + 17;
        let mut listing = targets(total);
        let written = AtomicUsize::new(0);
        let furthest_ahead = AtomicUsize::new(0);
        let process = |target: &Target, prepare: bool| {
            assert!(!prepare);
            let index = index_of(target);
            let ahead = index - written.load(Ordering::SeqCst);
            furthest_ahead.fetch_max(ahead, Ordering::SeqCst);
            if index.is_multiple_of(WINDOW) {
                std::thread::sleep(std::time::Duration::from_millis(30));
            }
            index
        };
        let mut order = Vec::new();
        let outcome = check_in_order(
            |count| Ok(listing.by_ref().take(count).collect()),
            &process,
            &mut |index| {
                order.push(index);
                written.fetch_add(1, Ordering::SeqCst);
                Ok(())
            },
        );
        assert!(outcome.is_ok());
        assert_eq!(order, (0..total).collect::<Vec<_>>());
        assert!(furthest_ahead.into_inner() < WINDOW + MAX_RUN);
    }

    /// The writer is woken for the next run in order with a batch of others, or for the
    /// last run handed out; never for runs it cannot write yet.
    #[test]
    fn the_writer_wakes_for_a_batch_in_order_or_the_last_run() {
        let inbox = Inbox {
            state: Mutex::new(Ready {
                runs: BTreeMap::new(),
                next: 0,
                outstanding: 4,
                batch: 2,
            }),
            wake: Condvar::new(),
        };
        let worth_taking = || inbox.lock().worth_taking();
        inbox.hand_over(1, Ok(vec![1]));
        inbox.hand_over(2, Ok(vec![2]));
        assert!(!worth_taking(), "two runs done, but not the next one");
        inbox.hand_over(0, Ok(vec![0]));
        assert!(worth_taking());
        let taken: Vec<Vec<i32>> = inbox.take_ready().into_iter().map(Result::unwrap).collect();
        assert_eq!(taken, [vec![0], vec![1], vec![2]]);
        assert!(!worth_taking(), "nothing left to take");
        inbox.hand_over(3, Ok(vec![3]));
        assert!(worth_taking(), "one run, but the last one out");
        assert_eq!(inbox.take_ready().len(), 1);
    }

    /// A lone file is checked on this thread with its regexes prepared; no files, no
    /// results.
    #[test]
    fn a_lone_file_is_prepared_and_nothing_is_nothing() {
        for total in [0, 1] {
            let mut listing = targets(total);
            let mut order = Vec::new();
            let outcome = check_in_order(
                |count| Ok(listing.by_ref().take(count).collect()),
                &|target: &Target, prepare: bool| (index_of(target), prepare),
                &mut |result| {
                    order.push(result);
                    Ok(())
                },
            );
            assert!(outcome.is_ok());
            assert_eq!(order, (0..total).map(|i| (i, true)).collect::<Vec<_>>());
        }
    }

    /// A failed write ends the run with that failure: nothing is written after it, and
    /// the files not yet handed out are not checked.
    #[test]
    fn a_failed_write_stops_the_run() {
        let total = 4 * WINDOW;
        let mut listing = targets(total);
        let checked = AtomicUsize::new(0);
        let mut order = Vec::new();
        let outcome = check_in_order(
            |count| Ok(listing.by_ref().take(count).collect()),
            &|target: &Target, _| {
                checked.fetch_add(1, Ordering::SeqCst);
                index_of(target)
            },
            &mut |index| {
                if index == 100 {
                    return Err(Failure::OutputClosed);
                }
                order.push(index);
                Ok(())
            },
        );
        assert!(matches!(outcome, Err(Failure::OutputClosed)));
        assert_eq!(order, (0..100).collect::<Vec<_>>());
        assert!(checked.into_inner() <= 100 + WINDOW + MAX_RUN);
    }

    /// A listing error ends the run once the files listed before it are written.
    #[test]
    fn a_listing_error_comes_after_the_files_before_it() {
        let mut listing = targets(usize::MAX);
        let mut listed = 0;
        let mut order = Vec::new();
        let outcome = check_in_order(
            |count| {
                if listed >= WINDOW + 2 * MAX_RUN {
                    return Err("broken.yaml: bad".to_string());
                }
                let more: Vec<Target> = listing.by_ref().take(count).collect();
                listed += more.len();
                Ok(more)
            },
            &|target: &Target, _| index_of(target),
            &mut |index| {
                order.push(index);
                Ok(())
            },
        );
        assert!(matches!(outcome, Err(Failure::Error(message)) if message == "broken.yaml: bad"));
        assert!(listed >= WINDOW + 2 * MAX_RUN);
        assert_eq!(order, (0..listed).collect::<Vec<_>>());
    }
}
