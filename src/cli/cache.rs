//! `check --cache`: each file's diagnostics, kept by the file's path and content, so that a
//! re-run checks only the files that changed (as ruff's, eslint's and textlint's caches do).
//!
//! One cache file belongs to one set of paths checked from one working directory. It holds
//! an entry for every file the last such run checked: a BLAKE3 hash of the file's absolute
//! path and bytes, the file's diagnostics, and the days on which they hold: a rule that
//! compares a date with today gives the same result on later days while the date stays in
//! the past, but a violation that prints today's date holds only today. A fingerprint in
//! the header covers the rest of what decides diagnostics: citelint's build, the rule
//! files, every configuration, `--select`/`--ignore` and `--no-default-rules`. When the
//! fingerprint differs, the old entries are not used.
//!
//! Content, not modification time, decides whether a file changed: a fresh clone (a CI job
//! restoring the cache) still hits, and an edit within the same second never misses. Every
//! file is therefore still read; what a hit saves is building the document and checking it.
//!
//! Layout: [`MAGIC`], the 32-byte fingerprint, then entries until the end of the file: a
//! 32-byte key, the first and last day the result holds (4 bytes each: a little-endian
//! `i16` year, the month and the day), a little-endian `u32` payload length and the
//! payload (empty for a clean, non-empty file; otherwise the JSON of a [`Stored`]). The
//! file is written to a temporary name and renamed into place when the run ends, so a
//! reader never sees half of it.

use std::io::{BufWriter, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use citelint::diagnostic::{Diagnostic, Label, Severity};
use citelint::position::Position;

/// The start of every cache file; the number is the layout's version.
const MAGIC: &[u8] = b"citelint cache 2\n";
/// Marks the folder as a cache for backup tools (<https://bford.info/cachedir/>).
const CACHEDIR_TAG: &str = "Signature: 8a477f597d28d172789f06886806bc55\n\
    # This file is a cache directory tag created by citelint.\n\
    # For information about cache directory tags, see https://bford.info/cachedir/\n";

/// What identifies one file's content at one path: the hash of both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key([u8; 32]);

impl Key {
    /// The key of `bytes` read from `location` (absolute: where the file is decides which
    /// configuration and format apply to it).
    pub fn new(location: &Path, bytes: &[u8]) -> Key {
        // The content is hashed on its own first: starting at a chunk boundary, BLAKE3
        // hashes its whole chunks side by side (SIMD), three times faster on a 4 KB article.
        let content = blake3::hash(bytes);
        let path = location.as_os_str().as_encoded_bytes();
        let mut hasher = blake3::Hasher::new();
        hasher.update(&(path.len() as u64).to_le_bytes());
        hasher.update(path);
        hasher.update(content.as_bytes());
        Key(*hasher.finalize().as_bytes())
    }
}

/// One file's entry as stored: its key, the days its result holds, and its payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The file's path and content.
    pub key: Key,
    /// The first and last day of `today` with this result.
    pub same_result: (Date, Date),
    /// The result, as [`Entry::encode`] makes it.
    pub payload: Vec<u8>,
}

/// A date as 4 bytes: little-endian year, month, day.
fn date_bytes(date: Date) -> [u8; 4] {
    let [y0, y1] = date.year().to_le_bytes();
    [y0, y1, date.month() as u8, date.day() as u8]
}

/// The date [`date_bytes`] wrote, if the bytes are one.
fn date_from_bytes([y0, y1, month, day]: [u8; 4]) -> Option<Date> {
    let year = i16::from_le_bytes([y0, y1]);
    Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
}

/// Everything besides a file's path and bytes that decides its diagnostics, hashed.
pub struct Fingerprint(blake3::Hasher);

impl Fingerprint {
    /// A fingerprint that starts with this build of citelint: its version, and a hash of
    /// the sources and compiler it was built with (`build.rs`), so that another build never
    /// reuses results, while every install of the same source does.
    pub fn new() -> Fingerprint {
        let mut fingerprint = Fingerprint(blake3::Hasher::new());
        fingerprint
            .part(env!("CARGO_PKG_VERSION"))
            .part(env!("CITELINT_BUILD_ID"));
        fingerprint
    }

    /// Adds one part (its length first, so that parts never run into each other).
    pub fn part(&mut self, bytes: impl AsRef<[u8]>) -> &mut Fingerprint {
        let bytes = bytes.as_ref();
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    fn finish(&self) -> [u8; 32] {
        *self.0.finalize().as_bytes()
    }
}

/// A cached file's result, as stored.
#[derive(Debug, Serialize, Deserialize)]
struct Stored {
    /// The file holds white space only.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    empty: bool,
    #[serde(rename = "d", default)]
    diagnostics: Vec<StoredDiagnostic>,
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredDiagnostic {
    rule: String,
    severity: Severity,
    message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    help: Option<String>,
    /// Byte span, start and end (line, column) pairs.
    span: (usize, usize),
    start: (usize, usize),
    end: (usize, usize),
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    labels: Vec<StoredLabel>,
    excerpt: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredLabel {
    message: String,
    span: (usize, usize),
    start: (usize, usize),
    end: (usize, usize),
}

fn pair(p: Position) -> (usize, usize) {
    (p.line, p.column)
}

fn position((line, column): (usize, usize)) -> Position {
    Position { line, column }
}

/// A file's cached result.
#[derive(Debug, PartialEq, Eq)]
pub struct Entry {
    /// Its diagnostics, as the check made them (before any baseline).
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the file holds white space only.
    pub empty: bool,
}

impl Entry {
    /// The stored form of a file's result: nothing for a clean, non-empty file.
    pub fn encode(diagnostics: &[Diagnostic], empty: bool) -> Vec<u8> {
        if diagnostics.is_empty() && !empty {
            return Vec::new();
        }
        let stored = Stored {
            empty,
            diagnostics: diagnostics
                .iter()
                .map(|d| StoredDiagnostic {
                    rule: d.rule.clone(),
                    severity: d.severity,
                    message: d.message.clone(),
                    help: d.help.clone(),
                    span: (d.span.start, d.span.end),
                    start: pair(d.start),
                    end: pair(d.end),
                    labels: d
                        .labels
                        .iter()
                        .map(|l| StoredLabel {
                            message: l.message.clone(),
                            span: (l.span.start, l.span.end),
                            start: pair(l.start),
                            end: pair(l.end),
                        })
                        .collect(),
                    excerpt: d.excerpt.clone(),
                })
                .collect(),
        };
        serde_json::to_vec(&stored).expect("a stored result serializes")
    }

    /// The result [`encode`](Entry::encode) stored, or `None` if `payload` is not one.
    pub fn decode(payload: &[u8]) -> Option<Entry> {
        if payload.is_empty() {
            return Some(Entry {
                diagnostics: Vec::new(),
                empty: false,
            });
        }
        let stored: Stored = serde_json::from_slice(payload).ok()?;
        let span = |(start, end): (usize, usize)| start..end;
        Some(Entry {
            empty: stored.empty,
            diagnostics: stored
                .diagnostics
                .into_iter()
                .map(|d| Diagnostic {
                    rule: d.rule,
                    severity: d.severity,
                    message: d.message,
                    help: d.help,
                    span: span(d.span),
                    start: position(d.start),
                    end: position(d.end),
                    labels: d
                        .labels
                        .into_iter()
                        .map(|l| Label {
                            message: l.message,
                            span: span(l.span),
                            start: position(l.start),
                            end: position(l.end),
                        })
                        .collect(),
                    excerpt: d.excerpt,
                })
                .collect(),
        })
    }
}

/// The cache of one run: the previous run's entries, read when it starts.
pub struct Cache {
    /// The cache file.
    path: PathBuf,
    fingerprint: [u8; 32],
    /// The previous cache file's bytes, when its fingerprint matched.
    previous: Vec<u8>,
    /// Where each entry starts in `previous`, by key.
    index: Index,
    /// Lookups that found an entry.
    hits: AtomicUsize,
}

impl Cache {
    /// The cache for checking `paths` from `cwd` in `dir`, with the previous run's entries
    /// if they were made under the same `fingerprint`. A cache that cannot be read is
    /// reported as a warning and not used: the run checks every file.
    pub fn open(dir: &Path, cwd: &Path, paths: &[PathBuf], fingerprint: &Fingerprint) -> Cache {
        let mut run = blake3::Hasher::new();
        for part in std::iter::once(cwd).chain(paths.iter().map(PathBuf::as_path)) {
            let bytes = part.as_os_str().as_encoded_bytes();
            run.update(&(bytes.len() as u64).to_le_bytes());
            run.update(bytes);
        }
        let name = format!("check-{}", &run.finalize().to_hex()[..16]);
        let mut cache = Cache {
            path: dir.join(name),
            fingerprint: fingerprint.finish(),
            previous: Vec::new(),
            index: Vec::new(),
            hits: AtomicUsize::new(0),
        };
        match std::fs::read(&cache.path) {
            Ok(bytes) => match parse(&bytes, &cache.fingerprint) {
                Ok(Some(index)) => {
                    cache.previous = bytes;
                    cache.index = index;
                }
                // Made under other rules, settings or build: checked afresh.
                Ok(None) => {}
                Err(problem) => eprintln!(
                    "citelint: warning: {}: {problem}; checking every file",
                    cache.path.display()
                ),
            },
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => eprintln!(
                "citelint: warning: {}: cannot read the cache: {error}; checking every file",
                cache.path.display()
            ),
        }
        cache
    }

    /// The cache file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The stored result for `key` if it holds `today`, and its record (to store again).
    pub fn get(&self, key: &Key, today: Date) -> Option<(Entry, Record)> {
        let first = self.index.partition_point(|(p, _)| *p < prefix(key));
        let stored = self.index[first..]
            .iter()
            .take_while(|(p, _)| *p == prefix(key))
            // Every entry was read whole when the file was opened.
            .filter_map(|(_, offset)| entry_at(&self.previous, *offset).ok())
            .find(|(stored, _)| stored.key == *key)?
            .0;
        let (from, until) = stored.same_result;
        if !(from..=until).contains(&today) {
            return None;
        }
        let payload = &self.previous[stored.payload];
        let entry = Entry::decode(payload)?;
        self.hits.fetch_add(1, Ordering::Relaxed);
        let record = Record {
            key: *key,
            same_result: stored.same_result,
            payload: payload.to_vec(),
        };
        Some((entry, record))
    }

    /// How many lookups found an entry.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }

    /// Starts writing this run's cache file (beside the old one, renamed over it by
    /// [`CacheWriter::commit`]). `None`, after a warning, when the folder cannot be written.
    pub fn writer(&self) -> Option<CacheWriter> {
        let started = (|| {
            let dir = self.path.parent().expect("a cache file is in a folder");
            if !dir.is_dir() {
                std::fs::create_dir_all(dir)?;
                // Kept out of version control and backups, as ruff's cache is.
                std::fs::write(dir.join(".gitignore"), "# Created by citelint.\n*\n")?;
                std::fs::write(dir.join("CACHEDIR.TAG"), CACHEDIR_TAG)?;
            }
            let temporary = self
                .path
                .with_extension(format!("tmp-{}", std::process::id()));
            let mut file = BufWriter::new(std::fs::File::create(&temporary)?);
            file.write_all(MAGIC)?;
            file.write_all(&self.fingerprint)?;
            Ok::<_, std::io::Error>(CacheWriter {
                file: Some(file),
                temporary,
                path: self.path.clone(),
            })
        })();
        started
            .map_err(|error| {
                eprintln!(
                    "citelint: warning: {}: cannot write the cache: {error}",
                    self.path.display()
                );
            })
            .ok()
    }
}

/// The entries of a cache file made under `fingerprint`: `Ok(None)` if it was made under
/// another one, `Err` if the file is not a whole cache file.
/// An entry read from a cache file: its key, the days its result holds, and where its
/// payload lies in the file.
struct Located {
    key: Key,
    same_result: (Date, Date),
    payload: Range<usize>,
}

/// The entry of the cache file `bytes` that starts at `offset`, and where the next one
/// starts.
fn entry_at(bytes: &[u8], offset: usize) -> Result<(Located, usize), String> {
    let truncated = || format!("the cache ends inside the entry at byte {offset}");
    let rest = &bytes[offset..];
    let (key, after) = rest.split_first_chunk::<32>().ok_or_else(truncated)?;
    let (from, after) = after.split_first_chunk::<4>().ok_or_else(truncated)?;
    let (until, after) = after.split_first_chunk::<4>().ok_or_else(truncated)?;
    let (length, after) = after.split_first_chunk::<4>().ok_or_else(truncated)?;
    let length = u32::from_le_bytes(*length) as usize;
    if after.len() < length {
        return Err(truncated());
    }
    let same_result = date_from_bytes(*from)
        .zip(date_from_bytes(*until))
        .ok_or_else(|| format!("the entry at byte {offset} has no valid dates"))?;
    let start = bytes.len() - after.len();
    let entry = Located {
        key: Key(*key),
        same_result,
        payload: start..start + length,
    };
    Ok((entry, start + length))
}

/// The entries of a cache file, sorted by the first 8 bytes of their key, each with
/// where it starts: 16 bytes an entry (a hash map of whole entries took 120).
type Index = Vec<(u64, usize)>;

/// The first 8 bytes of a key, which sort the index.
fn prefix(key: &Key) -> u64 {
    let (first, _) = key.0.split_first_chunk::<8>().expect("a key has 32 bytes");
    u64::from_le_bytes(*first)
}

/// The entries of a cache file made under `fingerprint`: `Ok(None)` if it was made under
/// another one, `Err` if the file is not a whole cache file.
fn parse(bytes: &[u8], fingerprint: &[u8; 32]) -> Result<Option<Index>, String> {
    let not_cache = || "not a citelint cache file".to_string();
    let rest = bytes.strip_prefix(MAGIC).ok_or_else(not_cache)?;
    let (found, _) = rest.split_first_chunk::<32>().ok_or_else(not_cache)?;
    if found != fingerprint {
        return Ok(None);
    }
    let mut index = Vec::new();
    let mut offset = MAGIC.len() + 32;
    while offset < bytes.len() {
        let (entry, next) = entry_at(bytes, offset)?;
        index.push((prefix(&entry.key), offset));
        offset = next;
    }
    index.sort_unstable();
    Ok(Some(index))
}

/// This run's cache file, written as results come in.
pub struct CacheWriter {
    /// `None` once writing failed (the cache is then left as it was).
    file: Option<BufWriter<std::fs::File>>,
    temporary: PathBuf,
    path: PathBuf,
}

impl CacheWriter {
    /// Records one file's entry.
    pub fn add(&mut self, record: &Record) {
        let Some(file) = &mut self.file else { return };
        let written = u32::try_from(record.payload.len())
            .map_err(std::io::Error::other)
            .and_then(|length| {
                file.write_all(&record.key.0)?;
                file.write_all(&date_bytes(record.same_result.0))?;
                file.write_all(&date_bytes(record.same_result.1))?;
                file.write_all(&length.to_le_bytes())?;
                file.write_all(&record.payload)
            });
        if let Err(error) = written {
            self.fail(&error);
        }
    }

    fn fail(&mut self, error: &std::io::Error) {
        eprintln!(
            "citelint: warning: {}: cannot write the cache: {error}",
            self.temporary.display()
        );
        self.file = None;
        let _ = std::fs::remove_file(&self.temporary);
    }

    /// Puts the new cache file in place of the old one, and removes what runs that were
    /// killed before they could (`SIGKILL`, a power cut) left of theirs.
    pub fn commit(mut self) {
        let Some(file) = self.file.take() else { return };
        let done = file
            .into_inner()
            .map_err(|e| e.into_error())
            .and_then(|_| std::fs::rename(&self.temporary, &self.path));
        if let Err(error) = done {
            self.fail(&error);
            return;
        }
        remove_abandoned(&self.path);
    }
}

/// How old another run's temporary file must be to count as abandoned: far longer than
/// any run takes, so that a run still writing is never disturbed.
const ABANDONED_AFTER: std::time::Duration = std::time::Duration::from_secs(24 * 60 * 60);

/// Removes the temporary files of `cache_file` (`NAME.tmp-PID`) that runs killed before
/// they could rename them left behind, once they are [`ABANDONED_AFTER`] old.
fn remove_abandoned(cache_file: &Path) {
    let (Some(dir), Some(name)) = (cache_file.parent(), cache_file.file_name()) else {
        return;
    };
    let prefix = format!("{}.tmp-", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let abandoned = entry.file_name().to_string_lossy().starts_with(&prefix)
            && entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > ABANDONED_AFTER));
        if abandoned {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

impl Drop for CacheWriter {
    /// A run that stops early leaves the old cache file as it was.
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.temporary);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagnostic() -> Diagnostic {
        Diagnostic {
            rule: "sciencex/title-mismatch".to_string(),
            severity: Severity::Warning,
            message: "citation title differs from the headline".to_string(),
            help: Some("the citation repeats the headline exactly: `Café «x»`".to_string()),
            span: 120..141,
            start: Position {
                line: 9,
                column: 11,
            },
            end: Position {
                line: 9,
                column: 32,
            },
            labels: vec![Label {
                message: "headline is here".to_string(),
                span: 0..41,
                start: Position { line: 1, column: 1 },
                end: Position {
                    line: 1,
                    column: 42,
                },
            }],
            excerpt: "Marsh soils hold less".to_string(),
        }
    }

    #[test]
    fn results_come_back_as_they_were_stored() {
        let diagnostics = vec![
            diagnostic(),
            Diagnostic {
                help: None,
                labels: Vec::new(),
                ..diagnostic()
            },
        ];
        for (diagnostics, empty) in [
            (diagnostics, false),
            (Vec::new(), true),
            (Vec::new(), false),
        ] {
            let payload = Entry::encode(&diagnostics, empty);
            assert_eq!(payload.is_empty(), diagnostics.is_empty() && !empty);
            assert_eq!(Entry::decode(&payload), Some(Entry { diagnostics, empty }));
        }
        assert_eq!(Entry::decode(b"{not json"), None);
    }

    #[test]
    fn keys_differ_by_path_and_by_content() {
        let key = Key::new(Path::new("/a/b.txt"), b"text");
        assert_eq!(key, Key::new(Path::new("/a/b.txt"), b"text"));
        assert_ne!(key, Key::new(Path::new("/a/c.txt"), b"text"));
        assert_ne!(key, Key::new(Path::new("/a/b.txt"), b"text!"));
        // The path's length is hashed, so the path and the text cannot trade bytes.
        assert_ne!(key, Key::new(Path::new("/a/b.txtt"), b"ext"));
    }

    #[test]
    fn a_cache_file_is_read_back_only_under_its_fingerprint_and_on_its_days() {
        let dir = tempfile::tempdir().unwrap();
        let cwd = dir.path();
        let paths = vec![PathBuf::from("articles")];
        let mut fingerprint = Fingerprint::new();
        fingerprint.part("rules v1");
        let cache = Cache::open(&dir.path().join("cache"), cwd, &paths, &fingerprint);
        assert_eq!(cache.index.len(), 0);
        let day = |text: &str| text.parse::<Date>().unwrap();
        let clean = Record {
            key: Key::new(cwd, b"clean"),
            same_result: (day("2026-01-15"), Date::MAX),
            payload: Vec::new(),
        };
        let dirty = Record {
            key: Key::new(cwd, b"dirty"),
            same_result: (day("2026-01-15"), day("2026-01-15")),
            payload: Entry::encode(&[diagnostic()], false),
        };
        let mut writer = cache.writer().unwrap();
        writer.add(&clean);
        writer.add(&dirty);
        writer.commit();
        // The folder is tagged and ignored by git; no temporary file is left.
        let folder = dir.path().join("cache");
        let mut names: Vec<String> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names.len(), 3, "{names:?}");
        assert_eq!(names[..2], [".gitignore", "CACHEDIR.TAG"]);

        let cache = Cache::open(&folder, cwd, &paths, &fingerprint);
        let (entry, record) = cache.get(&dirty.key, day("2026-01-15")).unwrap();
        assert_eq!((entry.diagnostics, &record), (vec![diagnostic()], &dirty));
        let (entry, record) = cache.get(&clean.key, day("2026-01-15")).unwrap();
        assert_eq!((entry.diagnostics, &record), (Vec::new(), &clean));
        assert!(
            cache
                .get(&Key::new(cwd, b"other"), day("2026-01-15"))
                .is_none()
        );
        assert_eq!(cache.hits(), 2);
        // Each entry holds on its own days only.
        assert!(cache.get(&clean.key, day("2030-12-31")).is_some());
        assert!(cache.get(&clean.key, day("2026-01-14")).is_none());
        assert!(cache.get(&dirty.key, day("2026-01-16")).is_none());

        // Another fingerprint, or other paths: nothing is reused.
        let mut changed = Fingerprint::new();
        changed.part("rules v2");
        let today = day("2026-01-15");
        assert!(
            Cache::open(&folder, cwd, &paths, &changed)
                .get(&dirty.key, today)
                .is_none()
        );
        assert!(
            Cache::open(&folder, cwd, &[], &fingerprint)
                .get(&dirty.key, today)
                .is_none()
        );
    }

    #[test]
    fn keys_sharing_their_first_bytes_are_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        let fingerprint = Fingerprint::new();
        let cache = Cache::open(dir.path(), dir.path(), &[], &fingerprint);
        let mut writer = cache.writer().unwrap();
        let key = |last: u8| {
            let mut bytes = [9; 32];
            bytes[31] = last;
            Key(bytes)
        };
        for last in [3, 1, 2] {
            writer.add(&Record {
                key: key(last),
                same_result: (Date::MIN, Date::MAX),
                payload: Entry::encode(&[], last == 2),
            });
        }
        writer.commit();
        let cache = Cache::open(dir.path(), dir.path(), &[], &fingerprint);
        let today = Date::MAX;
        for last in [1, 2, 3] {
            let (entry, record) = cache.get(&key(last), today).unwrap();
            assert_eq!((record.key, entry.empty), (key(last), last == 2));
        }
        assert!(cache.get(&key(4), today).is_none());
    }

    #[test]
    fn temporary_files_of_killed_runs_are_removed_once_abandoned() {
        let dir = tempfile::tempdir().unwrap();
        let fingerprint = Fingerprint::new();
        let cache = Cache::open(dir.path(), dir.path(), &[], &fingerprint);
        let name = cache
            .path()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let old = dir.path().join(format!("{name}.tmp-1"));
        let recent = dir.path().join(format!("{name}.tmp-2"));
        let other = dir.path().join("check-0000000000000000.tmp-3");
        for path in [&old, &recent, &other] {
            std::fs::write(path, "partial").unwrap();
        }
        let two_days_ago = std::time::SystemTime::now() - 2 * ABANDONED_AFTER;
        for path in [&old, &other] {
            let file = std::fs::File::options().write(true).open(path).unwrap();
            file.set_modified(two_days_ago).unwrap();
        }
        cache.writer().unwrap().commit();
        // Only this cache file's old temporary file goes; a recent one may be a run
        // still writing, and another cache file's are its own run's business.
        assert!(!old.exists());
        assert!(recent.exists() && other.exists());
        assert!(cache.path().exists());
    }

    #[test]
    fn dates_keep_their_value_in_four_bytes() {
        for date in [Date::MIN, Date::MAX, "2026-02-28".parse().unwrap()] {
            assert_eq!(date_from_bytes(date_bytes(date)), Some(date));
        }
        assert_eq!(date_from_bytes([0xe9, 0x07, 2, 30]), None);
    }

    #[test]
    fn a_damaged_cache_file_is_not_used() {
        let fingerprint = Fingerprint::new().finish();
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&fingerprint);
        assert_eq!(parse(&bytes, &fingerprint), Ok(Some(Vec::new())));
        let end = bytes.len();
        bytes.extend_from_slice(&[7; 32]);
        bytes.extend_from_slice(&date_bytes(Date::MIN));
        bytes.extend_from_slice(&[0xe9, 0x07, 13, 1]);
        bytes.extend_from_slice(&2u32.to_le_bytes());
        bytes.extend_from_slice(b"{}");
        assert_eq!(
            parse(&bytes, &fingerprint),
            Err(format!("the entry at byte {end} has no valid dates"))
        );
        bytes.truncate(bytes.len() - 1);
        assert_eq!(
            parse(&bytes, &fingerprint),
            Err(format!("the cache ends inside the entry at byte {end}"))
        );
        assert_eq!(
            parse(b"citelint baseline", &fingerprint),
            Err("not a citelint cache file".to_string())
        );
        assert_eq!(
            parse(&bytes[..MAGIC.len() + 10], &fingerprint),
            Err("not a citelint cache file".to_string())
        );
    }
}
