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
//! Content decides whether a file changed: a fresh clone (a CI job restoring the cache)
//! still hits, and an edit within the same second never misses. A file whose [`Stamp`]
//! (device, inode, size, modification and change times) is the one recorded when it was
//! last read is not even read again, as git trusts its index: any write to a file sets its
//! change time to the clock's, which no program can set back. A stamp is only recorded for
//! a file that had not changed for [`SETTLED`] before the run started, so that an edit in
//! the same tick of a coarse file-system clock is never taken for no edit.
//!
//! Layout: [`MAGIC`], the 32-byte fingerprint, then entries until the end of the file: a
//! 32-byte key, the 16-byte [`Place`], a stamp (a byte saying whether there is one, then
//! seven little-endian `u64`s), the first and last day the result holds (4 bytes each: a
//! little-endian `i16` year, the month and the day), a little-endian `u32` payload length
//! and the payload (empty for a clean, non-empty file; otherwise the JSON of a [`Stored`]). The
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
const MAGIC: &[u8] = b"citelint cache 3\n";
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

/// Where a file is: a hash of its absolute path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place([u8; 16]);

impl Place {
    /// The place of the file at `location` (absolute).
    pub fn new(location: &Path) -> Place {
        let mut hasher = blake3::Hasher::new();
        hasher.update(b"place ");
        hasher.update(location.as_os_str().as_encoded_bytes());
        let hash = hasher.finalize();
        let (first, _) = hash.as_bytes().split_first_chunk::<16>().expect("32 bytes");
        Place(*first)
    }
}

/// How long a file must have been left alone, before the run started, for its stamp to
/// vouch for its content next time.
pub const SETTLED: std::time::Duration = std::time::Duration::from_secs(2);

/// What the file system says of a file: its device, inode, size, and modification and
/// change times (seconds and nanoseconds). Unix only: elsewhere no file has one, and every
/// file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp([u64; 7]);

impl Stamp {
    /// The stamp of a file's `metadata`.
    #[cfg(unix)]
    pub fn of(metadata: &std::fs::Metadata) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        let m = metadata;
        Some(Stamp([
            m.dev(),
            m.ino(),
            m.size(),
            m.mtime() as u64,
            m.mtime_nsec() as u64,
            m.ctime() as u64,
            m.ctime_nsec() as u64,
        ]))
    }

    /// The stamp of a file's `metadata` (none outside Unix).
    #[cfg(not(unix))]
    pub fn of(_metadata: &std::fs::Metadata) -> Option<Stamp> {
        None
    }

    /// Whether the file had been left alone for [`SETTLED`] when the run `started`: only
    /// then can an edit after it was read not share its times.
    pub fn settled(&self, started: std::time::SystemTime) -> bool {
        let [_, _, _, mtime, _, ctime, _] = self.0;
        let Ok(started) = started.duration_since(std::time::UNIX_EPOCH) else {
            return false;
        };
        let limit = started.saturating_sub(SETTLED).as_secs();
        // Times before 1970 or from the future (as i64 cast to u64) are not settled.
        (mtime as i64) >= 0 && (ctime as i64) >= 0 && mtime < limit && ctime < limit
    }

    fn to_bytes(self) -> [u8; 56] {
        let mut bytes = [0; 56];
        for (chunk, value) in bytes.chunks_exact_mut(8).zip(self.0) {
            chunk.copy_from_slice(&value.to_le_bytes());
        }
        bytes
    }

    fn from_bytes(bytes: &[u8; 56]) -> Stamp {
        let mut values = [0; 7];
        for (value, chunk) in values.iter_mut().zip(bytes.chunks_exact(8)) {
            *value = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        }
        Stamp(values)
    }
}

/// One file's entry as stored: its key, where it is and its stamp, the days its result
/// holds, and its payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The file's path and content.
    pub key: Key,
    /// The file's path.
    pub place: Place,
    /// The file's stamp when it was read, if it was [settled](Stamp::settled).
    pub stamp: Option<Stamp>,
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
    /// Where each entry with a stamp starts in `previous`, by place.
    by_place: Index,
    /// Lookups that found an entry.
    hits: AtomicUsize,
    /// Lookups that found one by the file's stamp, without reading the file.
    stamped: AtomicUsize,
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
            index: Index::default(),
            by_place: Index::default(),
            hits: AtomicUsize::new(0),
            stamped: AtomicUsize::new(0),
        };
        match std::fs::read(&cache.path) {
            Ok(bytes) => match parse(&bytes, &cache.fingerprint) {
                Ok(Some((index, by_place))) => {
                    cache.previous = bytes;
                    cache.index = index;
                    cache.by_place = by_place;
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
        let stored = self.find(&self.index, prefix(&key.0), |s| s.key == *key)?;
        self.hit(stored, today)
    }

    /// The stored result of the file at `place` if its stamp is still `stamp` and the
    /// result holds `today`: the file is the same, and need not be read.
    pub fn get_stamped(
        &self,
        place: &Place,
        stamp: &Stamp,
        today: Date,
    ) -> Option<(Entry, Record)> {
        let stored = self.find(&self.by_place, prefix(&place.0), |s| {
            s.place == *place && s.stamp.as_ref() == Some(stamp)
        })?;
        let found = self.hit(stored, today)?;
        self.stamped.fetch_add(1, Ordering::Relaxed);
        Some(found)
    }

    /// The first entry of `index` under `prefix` that `wanted` accepts.
    fn find(
        &self,
        index: &Index,
        prefix: u64,
        wanted: impl Fn(&Located) -> bool,
    ) -> Option<Located> {
        index
            .candidates(prefix)
            .iter()
            .filter(|(p, _)| *p == prefix)
            // Every entry was read whole when the file was opened.
            .filter_map(|(_, offset)| entry_at(&self.previous, *offset).ok())
            .map(|(stored, _)| stored)
            .find(|stored| wanted(stored))
    }

    /// `stored`'s result if it holds `today`, and its record.
    fn hit(&self, stored: Located, today: Date) -> Option<(Entry, Record)> {
        let (from, until) = stored.same_result;
        if !(from..=until).contains(&today) {
            return None;
        }
        let payload = &self.previous[stored.payload];
        let entry = Entry::decode(payload)?;
        self.hits.fetch_add(1, Ordering::Relaxed);
        let record = Record {
            key: stored.key,
            place: stored.place,
            stamp: stored.stamp,
            same_result: stored.same_result,
            payload: payload.to_vec(),
        };
        Some((entry, record))
    }

    /// How many lookups found an entry.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }

    /// How many of them found it by the file's stamp, without reading the file.
    pub fn stamped_hits(&self) -> usize {
        self.stamped.load(Ordering::Relaxed)
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

/// An entry read from a cache file: its key, place and stamp, the days its result holds,
/// and where its payload lies in the file.
struct Located {
    key: Key,
    place: Place,
    stamp: Option<Stamp>,
    same_result: (Date, Date),
    payload: Range<usize>,
}

/// The entry of the cache file `bytes` that starts at `offset`, and where the next one
/// starts.
fn entry_at(bytes: &[u8], offset: usize) -> Result<(Located, usize), String> {
    let truncated = || format!("the cache ends inside the entry at byte {offset}");
    let rest = &bytes[offset..];
    let (key, after) = rest.split_first_chunk::<32>().ok_or_else(truncated)?;
    let (place, after) = after.split_first_chunk::<16>().ok_or_else(truncated)?;
    let (stamped, after) = after.split_first_chunk::<1>().ok_or_else(truncated)?;
    let (stamp, after) = after.split_first_chunk::<56>().ok_or_else(truncated)?;
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
        place: Place(*place),
        stamp: (stamped[0] == 1).then(|| Stamp::from_bytes(stamp)),
        same_result,
        payload: start..start + length,
    };
    Ok((entry, start + length))
}

/// Entries of a cache file, sorted by the first 8 bytes of their key (or place), each
/// with where it starts, and where each bucket of those prefixes starts among them: about
/// 20 bytes an entry (a hash map of whole entries took 120). The prefixes are hashes,
/// spread evenly, so a bucket holds one entry or two and a lookup touches two or three
/// cache lines (a binary search touched seventeen, one cache miss each: 8 % of a warm run).
#[derive(Debug, Default, PartialEq, Eq)]
struct Index {
    entries: Vec<(u64, usize)>,
    /// `starts[b]..starts[b + 1]`: the entries whose prefix's top bits are `b`.
    starts: Vec<u32>,
    /// How far a prefix shifts right to give its bucket.
    shift: u32,
}

impl Index {
    /// The index of `entries` (any order).
    fn new(mut entries: Vec<(u64, usize)>) -> Index {
        entries.sort_unstable();
        // About one bucket per entry: the smallest power of two at least their number.
        let bits = entries.len().max(1).next_power_of_two().trailing_zeros();
        let shift = 64 - bits;
        let bucket = |prefix: u64| {
            if bits == 0 {
                0
            } else {
                (prefix >> shift) as usize
            }
        };
        let mut starts = Vec::with_capacity((1 << bits) + 1);
        let mut next = 0;
        for b in 0..1usize << bits {
            while next < entries.len() && bucket(entries[next].0) < b {
                next += 1;
            }
            starts.push(next as u32);
        }
        starts.push(entries.len() as u32);
        Index {
            entries,
            starts,
            shift,
        }
    }

    /// The entries that may have `prefix`: those of its bucket.
    fn candidates(&self, prefix: u64) -> &[(u64, usize)] {
        if self.entries.is_empty() {
            return &[];
        }
        let bucket = if self.shift == 64 {
            0
        } else {
            (prefix >> self.shift) as usize
        };
        &self.entries[self.starts[bucket] as usize..self.starts[bucket + 1] as usize]
    }
}

/// The first 8 bytes of a hash, which sort an index.
fn prefix(hash: &[u8]) -> u64 {
    let (first, _) = hash
        .split_first_chunk::<8>()
        .expect("a hash has 16 bytes or more");
    u64::from_le_bytes(*first)
}

/// The entries of a cache file made under `fingerprint`, by key and (those with a stamp)
/// by place: `Ok(None)` if it was made under another fingerprint, `Err` if the file is not
/// a whole cache file.
fn parse(bytes: &[u8], fingerprint: &[u8; 32]) -> Result<Option<(Index, Index)>, String> {
    let not_cache = || "not a citelint cache file".to_string();
    let rest = bytes.strip_prefix(MAGIC).ok_or_else(not_cache)?;
    let (found, _) = rest.split_first_chunk::<32>().ok_or_else(not_cache)?;
    if found != fingerprint {
        return Ok(None);
    }
    let (mut index, mut by_place) = (Vec::new(), Vec::new());
    let mut offset = MAGIC.len() + 32;
    while offset < bytes.len() {
        let (entry, next) = entry_at(bytes, offset)?;
        index.push((prefix(&entry.key.0), offset));
        if entry.stamp.is_some() {
            by_place.push((prefix(&entry.place.0), offset));
        }
        offset = next;
    }
    Ok(Some((Index::new(index), Index::new(by_place))))
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
                file.write_all(&record.place.0)?;
                file.write_all(&[u8::from(record.stamp.is_some())])?;
                file.write_all(&record.stamp.map_or([0; 56], Stamp::to_bytes))?;
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
        assert_eq!(cache.index.entries.len(), 0);
        let day = |text: &str| text.parse::<Date>().unwrap();
        let clean = Record {
            key: Key::new(cwd, b"clean"),
            place: Place::new(&cwd.join("clean.txt")),
            stamp: None,
            same_result: (day("2026-01-15"), Date::MAX),
            payload: Vec::new(),
        };
        let dirty = Record {
            key: Key::new(cwd, b"dirty"),
            place: Place::new(&cwd.join("dirty.txt")),
            stamp: Some(Stamp([1, 2, 3, 4, 5, 6, 7])),
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
                place: Place([last; 16]),
                stamp: None,
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
    fn a_file_is_known_by_its_stamp_only_while_the_stamp_is_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let fingerprint = Fingerprint::new();
        let cache = Cache::open(dir.path(), dir.path(), &[], &fingerprint);
        let place = Place::new(&dir.path().join("a.txt"));
        let stamp = Stamp([1, 2, 4096, 1_700_000_000, 5, 1_700_000_000, 6]);
        let record = Record {
            key: Key::new(dir.path(), b"a"),
            place,
            stamp: Some(stamp),
            same_result: (Date::MIN, Date::MAX),
            payload: Entry::encode(&[diagnostic()], false),
        };
        let mut writer = cache.writer().unwrap();
        writer.add(&record);
        // Another file with no stamp (it had just changed): only found by content.
        writer.add(&Record {
            key: Key::new(dir.path(), b"b"),
            place: Place::new(&dir.path().join("b.txt")),
            stamp: None,
            ..record.clone()
        });
        writer.commit();
        let cache = Cache::open(dir.path(), dir.path(), &[], &fingerprint);
        let today = "2026-01-15".parse().unwrap();
        let (entry, found) = cache.get_stamped(&place, &stamp, today).unwrap();
        assert_eq!((entry.diagnostics, found), (vec![diagnostic()], record));
        // Any part of the stamp changed (here the change time's nanoseconds), or another
        // place: not the same file.
        let touched = Stamp([1, 2, 4096, 1_700_000_000, 5, 1_700_000_000, 7]);
        assert!(cache.get_stamped(&place, &touched, today).is_none());
        let elsewhere = Place::new(&dir.path().join("c.txt"));
        assert!(cache.get_stamped(&elsewhere, &stamp, today).is_none());
        let b = Place::new(&dir.path().join("b.txt"));
        assert!(cache.get_stamped(&b, &stamp, today).is_none());
        assert!(cache.get(&Key::new(dir.path(), b"b"), today).is_some());
        assert_eq!((cache.hits(), cache.stamped_hits()), (2, 1));
    }

    #[test]
    #[cfg(unix)]
    fn only_a_file_left_alone_before_the_run_has_a_stamp_that_vouches_for_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "text").unwrap();
        let stamp = || Stamp::of(&std::fs::metadata(&path).unwrap()).unwrap();
        let now = std::time::SystemTime::now();
        let hour = std::time::Duration::from_secs(3600);
        // Just written: its change time is now.
        assert!(!stamp().settled(now));
        assert!(stamp().settled(now + hour));
        // A modification time set in the future does not settle.
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(now + 2 * hour).unwrap();
        assert!(!stamp().settled(now + hour));
        // A time before 1970 does not either.
        assert!(!Stamp([0, 0, 0, -5_i64 as u64, 0, 0, 0]).settled(now));
        // The stamp is what the file system says: size, inode and times.
        assert_eq!(stamp().0[2], 4);
    }

    #[test]
    fn an_index_finds_every_entry_by_its_prefix() {
        for count in [0_usize, 1, 2, 3, 100, 1000] {
            // Spread like hashes, with some prefixes twice and the extremes.
            let mut entries: Vec<(u64, usize)> = (0..count)
                .map(|i| (*blake3::hash(&(i / 2).to_le_bytes()).as_bytes(), i))
                .map(|(hash, i)| (prefix(&hash), i))
                .collect();
            if count > 2 {
                entries[0].0 = 0;
                entries[1].0 = u64::MAX;
            }
            let index = Index::new(entries.clone());
            assert_eq!(index.entries.len(), count);
            for (prefix, offset) in &entries {
                let found = index.candidates(*prefix);
                assert!(found.contains(&(*prefix, *offset)), "{count}: {prefix:x}");
                assert!(found.len() <= 12, "{count}: {} candidates", found.len());
            }
            assert!(index.candidates(12345).iter().all(|(p, _)| *p != 12345));
        }
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
        let empty = || Index::new(Vec::new());
        let fingerprint = Fingerprint::new().finish();
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&fingerprint);
        assert_eq!(parse(&bytes, &fingerprint), Ok(Some((empty(), empty()))));
        let end = bytes.len();
        bytes.extend_from_slice(&[7; 32 + 16 + 1 + 56]);
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
