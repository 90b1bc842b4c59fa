//! `check --cache`: a re-run reports exactly what a fresh check does, takes unchanged
//! files from the cache, and checks again whatever changed: a file, the rules, the
//! settings or the date. A cache that cannot be read or written never changes a result.

use std::fs;
use std::path::Path;

use tempfile::TempDir;

mod common;

use common::{TODAY, citelint, fixture};

/// Runs `check` in `dir` with `args`: exit code, standard output and standard error.
fn check(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = citelint(dir).arg("check").args(args).output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// How many files the last `-v` run took from the cache, as it says: `(unchanged, files)`.
fn reused(stderr: &str) -> (usize, usize) {
    let line = stderr
        .lines()
        .find_map(|l| l.strip_prefix("citelint: cache: "))
        .unwrap_or_else(|| panic!("no cache line in:\n{stderr}"));
    let words: Vec<&str> = line.split(' ').collect();
    assert_eq!(words[1], "of", "{line}");
    (words[0].parse().unwrap(), words[2].parse().unwrap())
}

/// Writes `text` to `name` in `dir`.
fn write(dir: &TempDir, name: &str, text: impl AsRef<[u8]>) {
    fs::write(dir.path().join(name), text).unwrap();
}

/// Four articles: clean, one violation, one with a label and help, and an empty file.
fn project() -> TempDir {
    let dir = TempDir::new().unwrap();
    write(&dir, "clean.txt", fixture("sciencex/url-https/pass.txt"));
    write(&dir, "https.txt", fixture("sciencex/url-https/fail.txt"));
    write(
        &dir,
        "title.txt",
        fixture("sciencex/title-mismatch/fail.txt"),
    );
    write(&dir, "empty.md", "\n  \n");
    dir
}

#[test]
fn a_warm_cache_reports_what_a_fresh_check_does() {
    let dir = project();
    // Every format (JUnit lists the rules each file was checked against, rebuilt for a
    // cached file), and with `-v` (which packs applied to each file) too.
    let formats = [
        "human",
        "concise",
        "gcc",
        "json",
        "sarif",
        "github",
        "junit",
        "gitlab",
        "rdjson",
        "checkstyle",
    ];
    for format in formats {
        for verbose in [&[][..], &["-v"]] {
            let args = [&["--today", TODAY, "--format", format, "."], verbose].concat();
            let fresh = check(dir.path(), &args);
            assert_eq!(fresh.0, 1, "{}", fresh.2);
            let cached_args = [&args[..], &["--cache"]].concat();
            // `-v` also says how many files the cache answered for; the rest is the same.
            let without_cache_line = |(code, out, err): (i32, String, String)| {
                let err: String = err
                    .lines()
                    .filter(|l| !l.starts_with("citelint: cache: "))
                    .map(|l| format!("{l}\n"))
                    .collect();
                (code, out, err)
            };
            let first = without_cache_line(check(dir.path(), &cached_args));
            let second = without_cache_line(check(dir.path(), &cached_args));
            assert_eq!(
                first, fresh,
                "{format} {verbose:?}: the run that fills the cache"
            );
            assert_eq!(second, fresh, "{format} {verbose:?}: the run that reads it");
        }
    }
    // The human report's snippets and the empty file's warning come from cached files too.
    let (_, out, err) = check(dir.path(), &["--today", TODAY, "--cache", "."]);
    assert!(
        out.contains("citation title differs from the headline"),
        "{out}"
    );
    assert!(err.contains("./empty.md: empty file"), "{err}");

    // Four files: the cache folder is never checked itself.
    let (_, _, err) = check(dir.path(), &["--today", TODAY, "--cache", "-v", "."]);
    assert_eq!(reused(&err), (4, 4), "{err}");
    // It is tagged and kept out of git.
    let folder = dir.path().join(".citelint_cache");
    assert_eq!(
        fs::read_to_string(folder.join(".gitignore")).unwrap(),
        "# Created by citelint.\n*\n"
    );
    assert!(
        fs::read_to_string(folder.join("CACHEDIR.TAG"))
            .unwrap()
            .starts_with("Signature: 8a477f597d28d172789f06886806bc55")
    );
}

#[test]
fn an_edited_file_is_checked_again() {
    let dir = project();
    let run = |dir: &Path| {
        check(
            dir,
            &[
                "--today", TODAY, "--cache", "-v", "--format", "concise", ".",
            ],
        )
    };
    let (_, before, err) = run(dir.path());
    assert_eq!(reused(&err), (0, 4), "{err}");
    assert!(!before.contains("./clean.txt:"), "{before}");
    write(
        &dir,
        "clean.txt",
        fixture("sciencex/url-https/pass.txt").replace("https://", "http://"),
    );
    let (code, after, err) = run(dir.path());
    assert_eq!(reused(&err), (3, 4), "{err}");
    assert_eq!(code, 1);
    assert!(
        after.contains("./clean.txt:") && after.contains("[sciencex/url-https]"),
        "{after}"
    );
    // The same bytes at another path are another file (its configuration may differ).
    fs::rename(dir.path().join("clean.txt"), dir.path().join("moved.txt")).unwrap();
    let (_, _, err) = run(dir.path());
    assert_eq!(reused(&err), (3, 4), "{err}");
}

#[test]
fn changed_rules_or_settings_check_every_file_again() {
    let dir = project();
    write(
        &dir,
        "house.yaml",
        "pack: house\nrules:\n  - {id: wetlands, kind: forbidden, pattern: 'wetlands', message: no wetlands}\n",
    );
    let run_with = |today: &str, options: &[&str]| {
        let mut args = vec!["--today", today, "--cache", "-v", "--rules", "house.yaml"];
        args.extend_from_slice(options);
        args.extend_from_slice(&["--format", "concise", "."]);
        let (_, out, err) = check(dir.path(), &args);
        (reused(&err), out, err)
    };
    let run = |today: &str| {
        let (counts, out, _) = run_with(today, &[]);
        (counts, out)
    };
    assert_eq!(run(TODAY).0, (0, 4));
    assert_eq!(run(TODAY).0, (4, 4));

    // Another rule file: every file is checked with the new rule.
    write(
        &dir,
        "house.yaml",
        "pack: house\nrules:\n  - {id: wetlands, kind: forbidden, pattern: 'wetlands', message: no wetlands!}\n",
    );
    let (counts, out) = run(TODAY);
    assert_eq!(counts, (0, 4));
    assert!(out.contains("no wetlands!"), "{out}");

    // Another configuration.
    write(&dir, "citelint.yaml", "levels: {house/wetlands: warning}\n");
    let (counts, out) = run(TODAY);
    assert_eq!(counts, (0, 4));
    assert!(
        out.contains("warning[house/wetlands]: no wetlands!"),
        "{out}"
    );

    // Another day changes nothing here (see the next test); other options that change
    // which rules run check every file again.
    assert_eq!(run("2026-01-16").0, (4, 4));
    let (counts, _, err) = run_with("2026-01-16", &["--ignore", "house"]);
    assert_eq!(counts, (0, 4), "{err}");
}

#[test]
fn results_are_reused_on_the_days_they_would_be_the_same() {
    let dir = project();
    // Retrieved 20 January 2026 (one day of slack): in the future until the 19th.
    write(
        &dir,
        "future.txt",
        fixture("sciencex/retrieved-in-future/fail.txt"),
    );
    let run = |today: &str| {
        let fresh = check(dir.path(), &["--today", today, "--format", "concise", "."]);
        let (code, out, err) = check(
            dir.path(),
            &[
                "--today", today, "--format", "concise", "--cache", "-v", ".",
            ],
        );
        assert_eq!((code, &out), (fresh.0, &fresh.1), "{today}");
        (reused(&err), out)
    };
    let (counts, out) = run("2026-01-15");
    assert_eq!(counts, (0, 5));
    assert!(out.contains("(today is 2026-01-15)"), "{out}");
    // A day later every retrieval date in the past is still in the past; the one in the
    // future is checked again (its message prints today's date).
    let (counts, out) = run("2026-01-16");
    assert_eq!(counts, (4, 5));
    assert!(out.contains("(today is 2026-01-16)"), "{out}");
    let (counts, out) = run("2026-01-19");
    assert_eq!(counts, (4, 5));
    assert!(!out.contains("today is"), "{out}");
    // A day earlier than a result was made, a date compared with today may be in its
    // future: only the empty file, which compares no date, is reused.
    assert_eq!(run("2026-01-14").0, (1, 5));
}

#[test]
fn a_damaged_or_unwritable_cache_never_changes_results() {
    let dir = project();
    let args = [
        "--today",
        TODAY,
        "--format",
        "concise",
        "--cache-dir",
        "store",
        ".",
    ];
    let fresh = check(dir.path(), &["--today", TODAY, "--format", "concise", "."]);
    assert_eq!(check(dir.path(), &args), fresh);
    let cache_file = fs::read_dir(dir.path().join("store"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("check-")
        })
        .unwrap();

    // Cut short: a warning names the file, and every file is checked.
    let bytes = fs::read(&cache_file).unwrap();
    fs::write(&cache_file, &bytes[..bytes.len() - 3]).unwrap();
    let (code, out, err) = check(dir.path(), &args);
    assert_eq!((code, out.as_str()), (fresh.0, fresh.1.as_str()));
    assert!(
        err.contains("the cache ends inside the entry at byte"),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{}:",
            cache_file.file_name().unwrap().to_str().unwrap()
        )),
        "{err}"
    );
    // That run wrote a whole cache again.
    let (_, _, err) = check(dir.path(), &[&args[..], &["-v"]].concat());
    assert_eq!(reused(&err), (4, 4), "{err}");

    // Not a cache file at all.
    fs::write(&cache_file, "hello").unwrap();
    let (code, out, err) = check(dir.path(), &args);
    assert_eq!((code, out.as_str()), (fresh.0, fresh.1.as_str()));
    assert!(err.contains("not a citelint cache file"), "{err}");

    // A folder that cannot be made: warned about, and the check goes on.
    write(&dir, "blocked", "a file, not a folder");
    let blocked = [
        "--today",
        TODAY,
        "--format",
        "concise",
        "--cache-dir",
        "blocked/cache",
        ".",
    ];
    let (code, out, err) = check(dir.path(), &blocked);
    assert_eq!((code, out.as_str()), (fresh.0, fresh.1.as_str()));
    assert!(err.contains("cannot write the cache"), "{err}");
}

#[test]
fn standard_input_is_checked_but_never_cached() {
    let dir = TempDir::new().unwrap();
    let run = || {
        citelint(dir.path())
            .args(["check", "--cache", "--today", TODAY, "--format", "concise"])
            .args(["--stdin-filename", "a.txt", "-"])
            .write_stdin(fixture("sciencex/url-https/fail.txt"))
            .assert()
            .code(1)
            .stdout(predicates::str::contains(
                "a.txt:21:122: error[sciencex/url-https]",
            ));
    };
    run();
    run();
    assert!(!dir.path().join(".citelint_cache").exists());
}

#[test]
fn the_configuration_can_turn_the_cache_on_and_the_command_line_off() {
    let dir = project();
    let run = |extra: &[&str]| {
        let args = [&["--today", TODAY, "-v", "--format", "concise", "."], extra].concat();
        check(dir.path(), &args).2
    };
    let cache_line = |err: &str| err.lines().any(|l| l.starts_with("citelint: cache: "));
    write(&dir, "citelint.yaml", "cache: true\n");
    assert_eq!(reused(&run(&[])), (0, 4));
    assert_eq!(reused(&run(&[])), (4, 4));
    assert!(dir.path().join(".citelint_cache/CACHEDIR.TAG").is_file());
    let err = run(&["--no-cache"]);
    assert!(!cache_line(&err), "{err}");

    // A folder of its own, relative to the configuration file.
    write(&dir, "citelint.yaml", "cache: build/citelint\n");
    assert_eq!(reused(&run(&[])), (0, 4));
    assert!(dir.path().join("build/citelint/CACHEDIR.TAG").is_file());
    let shown = citelint(dir.path())
        .args(["config", "--show", "clean.txt"])
        .output()
        .unwrap();
    let shown = String::from_utf8(shown.stdout).unwrap();
    assert!(
        shown.contains("cache: build/citelint (citelint.yaml:1:8)"),
        "{shown}"
    );

    // `cache: false` keeps it off unless the command line asks.
    write(&dir, "citelint.yaml", "cache: false\n");
    let err = run(&[]);
    assert!(!cache_line(&err), "{err}");
    assert_eq!(reused(&run(&["--cache"])).1, 4);

    // Of `--cache` and `--no-cache`, the later wins (as a wrapper's `--cache` before the
    // user's own arguments); `--no-cache` also beats `--cache-dir`.
    assert!(!cache_line(&run(&["--cache", "--no-cache"])));
    assert!(cache_line(&run(&["--no-cache", "--cache"])));
    assert!(!cache_line(&run(&[
        "--cache-dir",
        "elsewhere",
        "--no-cache"
    ])));
}

#[test]
#[cfg(unix)]
fn a_file_left_alone_is_known_by_its_stamp_and_any_write_to_it_is_noticed() {
    let dir = project();
    // A stamp vouches only for a file unchanged for two seconds before the run started.
    std::thread::sleep(std::time::Duration::from_millis(3100));
    let run = || {
        let (_, out, err) = check(
            dir.path(),
            &[
                "--today", TODAY, "--cache", "-v", "--format", "concise", ".",
            ],
        );
        let line = err
            .lines()
            .find(|l| l.starts_with("citelint: cache: "))
            .unwrap()
            .to_string();
        (reused(&err), line, out)
    };
    let (counts, _, before) = run();
    assert_eq!(counts, (0, 4));
    let (counts, line, out) = run();
    assert_eq!(counts, (4, 4));
    assert!(
        line.contains(", 4 of them known by their file-system stamp"),
        "{line}"
    );
    assert_eq!(out, before);

    // An edit that keeps the size and puts the modification time back, as `touch -r`
    // would: the change time still moves, so the file is read, and the edit is seen.
    let path = dir.path().join("clean.txt");
    let modified = fs::metadata(&path).unwrap().modified().unwrap();
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("https://phys.org"));
    fs::write(&path, text.replace("https://phys.org", "http://pphys.org")).unwrap();
    let file = fs::File::options().write(true).open(&path).unwrap();
    file.set_modified(modified).unwrap();
    drop(file);
    assert_eq!(fs::metadata(&path).unwrap().len(), text.len() as u64);
    let (counts, line, out) = run();
    assert_eq!(counts, (3, 4));
    assert!(
        line.contains(", 3 of them known by their file-system stamp"),
        "{line}"
    );
    assert!(
        out.contains("./clean.txt:") && out.contains("[sciencex/url-https]"),
        "{out}"
    );
}
