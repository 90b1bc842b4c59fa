//! The command line as users and CI steps meet it: exit codes, formats, standard input,
//! configuration, rule files and bad input.

use std::fs;

use predicates::prelude::*;
use tempfile::TempDir;

mod common;

use common::{TODAY, citelint, fixture};

/// Runs `citelint check --format concise .` in `dir`: its exit code, stdout and stderr.
fn check_concise(dir: &std::path::Path) -> (Option<i32>, String, String) {
    let output = citelint(dir)
        .args(["check", "--today", TODAY, "--format", "concise", "."])
        .output()
        .unwrap();
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
    (
        output.status.code(),
        text(output.stdout),
        text(output.stderr),
    )
}

/// A project folder with one clean and one broken article.
fn project() -> TempDir {
    let dir = TempDir::new().unwrap();
    fs::write(
        dir.path().join("clean.txt"),
        fixture("sciencex/credit-missing/pass.txt"),
    )
    .unwrap();
    fs::write(
        dir.path().join("broken.txt"),
        fixture("sciencex/url-https/fail.txt"),
    )
    .unwrap();
    dir
}

/// A run of more files than may be handed out ahead of the report (4 096) reports every
/// file once, in path order; a broken configuration in a folder walked late stops the run
/// before any report.
#[test]
fn files_beyond_the_first_window_are_all_reported_in_order() {
    let dir = TempDir::new().unwrap();
    let broken = fixture("sciencex/url-https/fail.txt");
    let planted = [0, 1, 4095, 4096, 4099];
    for index in 0..4100 {
        let text = if planted.contains(&index) {
            broken.as_str()
        } else {
            "Nothing to check here.\n"
        };
        fs::write(dir.path().join(format!("a{index:05}.txt")), text).unwrap();
    }
    let (code, stdout, _) = check_concise(dir.path());
    assert_eq!(code, Some(1));
    let reported: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("sciencex/url-https"))
        .map(|l| l.split(':').next().unwrap())
        .collect();
    let expected: Vec<String> = planted.iter().map(|i| format!("./a{i:05}.txt")).collect();
    assert_eq!(reported, expected);
    citelint(dir.path())
        .args(["check", "--today", TODAY, "--statistics", "."])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("total in 5 of 4100 files"));

    // A broken configuration in a folder walked after the first window.
    fs::create_dir(dir.path().join("z")).unwrap();
    fs::write(dir.path().join("z/citelint.yaml"), "select: [\n").unwrap();
    fs::write(dir.path().join("z/b.txt"), "Nothing.\n").unwrap();
    let (code, _, stderr) = check_concise(dir.path());
    assert_eq!(code, Some(2));
    assert!(stderr.contains("z/citelint.yaml"), "{stderr}");
}

/// Each walked file is governed by the configuration of its own folder (its extensions,
/// its excludes), also when the walk comes back to a folder after a subfolder with a
/// configuration of its own.
#[test]
fn a_walked_file_gets_its_own_folders_configuration_after_a_subfolders() {
    let dir = TempDir::new().unwrap();
    let broken = fixture("sciencex/url-https/fail.txt");
    fs::create_dir_all(dir.path().join("a/deeper")).unwrap();
    fs::create_dir_all(dir.path().join("m/deeper")).unwrap();
    // `a` walks only Markdown files, `m` excludes `skipped.txt`, `m/deeper` excludes
    // nothing (it does not extend `m`); the root walks texts.
    fs::write(dir.path().join("a/citelint.yaml"), "extensions: [md]\n").unwrap();
    fs::write(dir.path().join("m/deeper/citelint.yaml"), "packs: {}\n").unwrap();
    fs::write(
        dir.path().join("m/citelint.yaml"),
        "exclude: [\"**/skipped.txt\"]\n",
    )
    .unwrap();
    for name in [
        "0.txt",
        "a/x.txt",
        "a/deeper/y.txt",
        "b.txt",
        "m/deeper/skipped.txt",
        "m/deeper/z.txt",
        "m/skipped.txt",
        "n.txt",
    ] {
        fs::write(dir.path().join(name), &broken).unwrap();
    }
    let (code, stdout, stderr) = check_concise(dir.path());
    assert_eq!(code, Some(1), "{stderr}");
    let mut reported: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("sciencex/url-https"))
        .map(|l| l.split(':').next().unwrap())
        .collect();
    reported.dedup();
    assert_eq!(
        reported,
        [
            "./0.txt",
            "./b.txt",
            "./m/deeper/skipped.txt",
            "./m/deeper/z.txt",
            "./n.txt"
        ]
    );
}

/// A file checked on its own (read while the rules load, with only the patterns it needs
/// compiled ahead) gets exactly the diagnostics it gets in a run of many files.
#[test]
fn a_lone_file_is_checked_as_in_a_run_of_many() {
    let dir = TempDir::new().unwrap();
    let files = [
        ("story.txt", "sciencex/url-https/fail.txt"),
        ("republished.html", "the-conversation/old-wording/fail.html"),
        ("post.md", "front-matter/originally-url-https/fail.md"),
    ];
    for (name, source) in files {
        fs::write(dir.path().join(name), fixture(source)).unwrap();
    }
    let concise = |paths: &[&str]| {
        let output = citelint(dir.path())
            .args(["check", "--today", TODAY, "--format", "concise"])
            .args(paths)
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let all = concise(&files.map(|(name, _)| name));
    for (name, _) in files {
        let alone = concise(&[name]);
        let prefix = format!("{name}:");
        let in_all: Vec<&str> = all.lines().filter(|l| l.starts_with(&prefix)).collect();
        assert!(!in_all.is_empty(), "{name} has diagnostics");
        assert_eq!(alone.lines().collect::<Vec<_>>(), in_all, "{name}");
    }
}

#[test]
fn clean_files_exit_zero() {
    let dir = project();
    fs::remove_file(dir.path().join("broken.txt")).unwrap();
    citelint(dir.path())
        .args(["check", "--today", TODAY])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("All clear: 1 file checked."));
}

/// A run that could not read every file is not "all clear", even if what it read was.
#[test]
fn unread_files_are_not_all_clear() {
    let dir = project();
    fs::remove_file(dir.path().join("broken.txt")).unwrap();
    fs::write(dir.path().join("latin1.txt"), b"Caf\xe9 au lait\n").unwrap();
    let output = citelint(dir.path())
        .args(["check", "--today", TODAY])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("latin1.txt:1:4: invalid UTF-8"))
        .get_output()
        .stdout
        .clone();
    let stdout = String::from_utf8(output).unwrap();
    assert_eq!(
        stdout,
        "No problems found; 1 file checked; 1 file could not be read.\n"
    );
}

#[test]
fn violations_exit_one_with_human_snippets() {
    let dir = project();
    citelint(dir.path())
        .args(["check", "--today", TODAY, "."])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "error[sciencex/url-https]: citation URL uses http",
        ))
        .stdout(predicate::str::contains("--> ./broken.txt:21:122"))
        .stdout(predicate::str::contains("^^^^"))
        .stdout(predicate::str::contains(
            "Found 1 error in 1 file; 2 files checked.",
        ));
}

#[test]
fn concise_lines_are_deterministic() {
    let dir = project();
    fs::write(
        dir.path().join("a.txt"),
        fixture("sciencex/url-tracking/fail.txt"),
    )
    .unwrap();
    let (code, stdout, _) = check_concise(dir.path());
    assert_eq!(code, Some(1));
    assert_eq!(
        stdout,
        "./a.txt:21:188: error[sciencex/url-tracking]: citation URL carries the tracking parameter `utm_source`\n\
         ./a.txt:21:227: error[sciencex/url-tracking]: citation URL carries the tracking parameter `fbclid`\n\
         ./broken.txt:21:122: error[sciencex/url-https]: citation URL uses http; Science X URLs use https\n"
    );
}

#[test]
fn json_has_the_documented_shape() {
    let dir = project();
    let output = citelint(dir.path())
        .args([
            "check",
            "--today",
            TODAY,
            "--format",
            "json",
            "broken.txt",
            "clean.txt",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["version"], 1);
    let d = &json["diagnostics"][0];
    assert_eq!(d["path"], "broken.txt");
    assert_eq!(d["rule"], "sciencex/url-https");
    assert_eq!(d["severity"], "error");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(21), Some(122))
    );
    assert_eq!(
        (d["end_line"].as_u64(), d["end_column"].as_u64()),
        (Some(21), Some(126))
    );
    assert_eq!(json["summary"]["files"], 2);
    assert_eq!(json["summary"]["errors"], 1);
    assert_eq!(json["errors"].as_array().unwrap().len(), 0);
}

#[test]
fn json_labels_and_help() {
    let dir = TempDir::new().unwrap();
    fs::write(
        dir.path().join("t.txt"),
        fixture("sciencex/title-mismatch/fail.txt"),
    )
    .unwrap();
    let output = citelint(dir.path())
        .args(["check", "--today", TODAY, "--format", "json", "t.txt"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let d = &json["diagnostics"][0];
    assert!(d["help"].as_str().unwrap().contains("repeats the headline"));
    assert_eq!(d["labels"][0]["message"], "headline is here");
    assert_eq!(d["labels"][0]["line"], 3);
    assert_eq!(d["labels"][0]["end_column"], 63);
}

#[test]
fn stdin_uses_the_given_name_and_format() {
    let dir = TempDir::new().unwrap();
    let text = fixture("sciencex/url-https/fail.txt");
    citelint(dir.path())
        .args(["check", "--today", TODAY, "--format", "concise", "--stdin-filename", "news/story.txt", "-"])
        .write_stdin(text)
        .assert()
        .code(1)
        .stdout("news/story.txt:21:122: error[sciencex/url-https]: citation URL uses http; Science X URLs use https\n");
    let markdown = fixture("sciencex/clean/pass_markdown.md");
    citelint(dir.path())
        .args([
            "check",
            "--today",
            TODAY,
            "--stdin-filename",
            "post.md",
            "-",
        ])
        .write_stdin(markdown)
        .assert()
        .code(0);
}

#[test]
fn fail_on_select_and_ignore() {
    let dir = TempDir::new().unwrap();
    fs::write(
        dir.path().join("w.txt"),
        fixture("sciencex/dateline-missing/fail.txt"),
    )
    .unwrap();
    citelint(dir.path())
        .args(["check", "--today", TODAY, "w.txt"])
        .assert()
        .code(0);
    citelint(dir.path())
        .args(["check", "--today", TODAY, "--fail-on", "warning", "w.txt"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "warning[sciencex/dateline-missing]",
        ));
    citelint(dir.path())
        .args([
            "check",
            "--today",
            TODAY,
            "--fail-on",
            "warning",
            "--ignore",
            "sciencex/dateline-missing",
            "w.txt",
        ])
        .assert()
        .code(0);
    citelint(dir.path())
        .args([
            "check",
            "--today",
            TODAY,
            "--fail-on",
            "warning",
            "--select",
            "sciencex/url-https",
            "w.txt",
        ])
        .assert()
        .code(0);
    citelint(dir.path())
        .args(["check", "--select", "sciencex/url-http", "w.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown rule or pack `sciencex/url-http`; did you mean `sciencex/url-https`?",
        ));
}

#[test]
fn retrieved_in_the_future_depends_on_today() {
    let dir = TempDir::new().unwrap();
    fs::write(
        dir.path().join("f.txt"),
        fixture("sciencex/retrieved-in-future/fail.txt"),
    )
    .unwrap();
    citelint(dir.path())
        .args(["check", "--today", TODAY, "f.txt"])
        .assert()
        .code(1);
    citelint(dir.path())
        .args(["check", "--today", "2026-02-01", "f.txt"])
        .assert()
        .code(0);
    citelint(dir.path())
        .args(["check", "--today", "2026-02-30", "f.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--today"));
}

#[test]
fn config_file_is_found_upward_and_applied() {
    let dir = project();
    fs::write(
        dir.path().join("citelint.yaml"),
        "levels:\n  sciencex/url-https: warning\nexclude: [drafts]\n",
    )
    .unwrap();
    fs::create_dir(dir.path().join("drafts")).unwrap();
    fs::write(
        dir.path().join("drafts/wip.txt"),
        fixture("sciencex/url-host/fail_lookalike.txt"),
    )
    .unwrap();
    fs::create_dir(dir.path().join("sub")).unwrap();
    citelint(&dir.path().join("sub"))
        .args(["check", "--today", TODAY, "--format", "concise", ".."])
        .assert()
        .code(0)
        .stdout("../broken.txt:21:122: warning[sciencex/url-https]: citation URL uses http; Science X URLs use https\n");
}

#[test]
fn config_errors_exit_two_with_position() {
    let dir = project();
    fs::write(
        dir.path().join("citelint.yaml"),
        "levels:\n  sciencex/url-https: warn\n",
    )
    .unwrap();
    citelint(dir.path())
        .args(["check", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "citelint.yaml:2:23: invalid level `warn`",
        ))
        .stderr(predicate::str::contains("did you mean `warning`?"));
    fs::write(
        dir.path().join("citelint.yaml"),
        "packs: {sciencx: false}\n",
    )
    .unwrap();
    citelint(dir.path())
        .args(["check", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "citelint.yaml:1:9: unknown pack `sciencx`; did you mean `sciencex`?",
        ));
}

#[test]
fn of_several_broken_nested_configurations_the_first_by_name_is_reported() {
    let dir = project();
    for (sub, level) in [("b", "fatal"), ("a", "severe"), ("c", "loud")] {
        fs::create_dir(dir.path().join(sub)).unwrap();
        fs::write(
            dir.path().join(sub).join("citelint.yaml"),
            format!("levels:\n  sciencex/url-https: {level}\n"),
        )
        .unwrap();
    }
    // The same one, however the file system lists the folders.
    for _ in 0..3 {
        citelint(dir.path())
            .args(["check", "."])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("invalid level `severe`"))
            .stderr(predicate::str::contains("fatal").not())
            .stderr(predicate::str::contains("loud").not());
    }
}

#[test]
fn packs_can_be_turned_off() {
    let dir = project();
    fs::write(dir.path().join("off.yaml"), "packs: {sciencex: false}\n").unwrap();
    citelint(dir.path())
        .args(["check", "--config", "off.yaml", "."])
        .assert()
        .code(0);
}

const CUSTOM_PACK: &str = r#"pack: house
fields:
  credit: {kind: copyright}
rules:
  - id: credit-holder
    kind: forbidden
    pattern: '©\s*YYYY'
    message: "placeholder credit `{match}`"
"#;

#[test]
fn extra_rules_and_no_default_rules() {
    let dir = TempDir::new().unwrap();
    fs::write(dir.path().join("house.yaml"), CUSTOM_PACK).unwrap();
    fs::write(dir.path().join("a.txt"), "Story\n\n© YYYY Someone\n").unwrap();
    citelint(dir.path())
        .args([
            "check",
            "--no-default-rules",
            "--rules",
            "house.yaml",
            "--format",
            "concise",
            "a.txt",
        ])
        .assert()
        .code(1)
        .stdout("a.txt:3:1: error[house/credit-holder]: placeholder credit `© YYYY`\n");
    citelint(dir.path())
        .args(["rules", "--rules", "house.yaml"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("house/credit-holder"))
        .stdout(predicate::str::contains("sciencex/url-https"));
}

#[test]
fn rule_file_errors_name_file_line_and_column() {
    let dir = TempDir::new().unwrap();
    fs::write(
        dir.path().join("bad.yaml"),
        "pack: bad\nfields:\n  headline: {kind: headline}\nrules:\n  - id: one\n    kind: required\n    field: headlin\n    message: m\n  - id: two\n    kind: forbidden\n    pattern: '(oops'\n    mesage: m\n",
    )
    .unwrap();
    citelint(dir.path())
        .args(["rules", "check", "bad.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "bad.yaml:7:12: unknown field `headlin`",
        ))
        .stderr(predicate::str::contains("did you mean `headline`?"))
        .stderr(predicate::str::contains(
            "bad.yaml:11:14: invalid regular expression",
        ));
    citelint(dir.path())
        .args(["check", "--rules", "bad.yaml", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.yaml:7:12"));
    fs::write(dir.path().join("good.yaml"), CUSTOM_PACK).unwrap();
    citelint(dir.path())
        .args(["rules", "check", "good.yaml"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("good.yaml: ok (1 rules)"));
}

#[test]
fn rule_docs_and_kinds() {
    let dir = TempDir::new().unwrap();
    citelint(dir.path())
        .args(["rule", "sciencex/url-host"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("# sciencex/url-host"))
        .stdout(predicate::str::contains("## The `url-host` kind"))
        .stdout(predicate::str::contains("```yaml"));
    citelint(dir.path())
        .args(["rule", "sciencex/nope"])
        .assert()
        .code(2);
    citelint(dir.path())
        .arg("kinds")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("## words-in-order"));
}

#[test]
fn usage_errors_exit_two() {
    let dir = TempDir::new().unwrap();
    citelint(dir.path())
        .args(["check", "--format", "xml"])
        .assert()
        .code(2);
    citelint(dir.path()).args(["frobnicate"]).assert().code(2);
    citelint(dir.path())
        .args(["check", "--fail-on", "fatal"])
        .assert()
        .code(2);
}

#[test]
fn bad_files_are_reported_and_the_rest_still_checked() {
    let dir = project();
    fs::write(dir.path().join("latin1.txt"), b"Caf\xe9 story\n").unwrap();
    fs::write(dir.path().join("image.txt"), b"\x89PNG\r\n\x1a\n\0\0\0").unwrap();
    fs::write(dir.path().join("empty.txt"), b"").unwrap();
    let output = citelint(dir.path())
        .args([
            "check",
            "--today",
            TODAY,
            "--format",
            "concise",
            ".",
            "missing.txt",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stdout.contains("./broken.txt:21:122: error[sciencex/url-https]"),
        "{stdout}"
    );
    assert!(
        stderr.contains("citelint: error: ./latin1.txt:1:4: invalid UTF-8"),
        "{stderr}"
    );
    assert!(
        stderr.contains("citelint: error: ./image.txt: binary file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("citelint: warning: ./empty.txt: empty file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("citelint: error: missing.txt: no such file or directory"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"));
}

#[cfg(unix)]
#[test]
fn directory_loops_are_reported_not_followed_forever() {
    let dir = project();
    fs::create_dir(dir.path().join("nested")).unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("nested/loop")).unwrap();
    let (code, stdout, stderr) = check_concise(dir.path());
    assert_eq!(code, Some(2));
    assert!(stderr.contains("directory loop"), "{stderr}");
    assert!(stdout.contains("./broken.txt:21:122"));
}

/// A binary source is refused from its first 8 KiB, without reading on: a device named by
/// mistake (`/dev/zero`, endless NUL bytes) is reported at once, as is the same on standard
/// input; the other files are still checked.
#[cfg(unix)]
#[test]
fn an_endless_binary_source_is_refused_without_reading_it_all() {
    let dir = project();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.txt")).unwrap();
    citelint(dir.path())
        .args(["check", "--today", TODAY, "--format", "concise", "zero.txt", "broken.txt"])
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(2)
        .stdout("broken.txt:21:122: error[sciencex/url-https]: citation URL uses http; Science X URLs use https\n")
        .stderr("citelint: error: zero.txt: binary file (contains NUL bytes); not checked\n");
    // Standard input is the device itself (assert_cmd would read it all first).
    let output = std::process::Command::new(assert_cmd::cargo::cargo_bin!("citelint"))
        .current_dir(dir.path())
        .args(["check", "--format", "concise", "-"])
        .stdin(fs::File::open("/dev/zero").unwrap())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "citelint: error: <stdin>: binary file (contains NUL bytes); not checked\n"
    );
}

#[test]
fn a_huge_file_without_newlines_is_checked() {
    // An article followed by a 10 MB line with no line break at all: longer than the text
    // a gate reads literal by literal (`THOROUGH_GATE_BUDGET`, 8 MiB).
    let dir = TempDir::new().unwrap();
    let mut text = fixture("sciencex/url-https/fail.txt");
    text.push('\n');
    text.push_str(&"word ".repeat(2_000_000));
    fs::write(dir.path().join("huge.txt"), &text).unwrap();
    citelint(dir.path())
        .args(["check", "--today", TODAY, "--format", "concise", "huge.txt"])
        .assert()
        .code(1)
        .stdout("huge.txt:21:122: error[sciencex/url-https]: citation URL uses http; Science X URLs use https\n");
}

#[test]
fn checked_files_are_never_written() {
    let dir = project();
    let before = fs::read(dir.path().join("broken.txt")).unwrap();
    let modified = fs::metadata(dir.path().join("broken.txt"))
        .unwrap()
        .modified()
        .unwrap();
    citelint(dir.path())
        .args(["check", "--today", TODAY, "."])
        .assert()
        .code(1);
    assert_eq!(fs::read(dir.path().join("broken.txt")).unwrap(), before);
    assert_eq!(
        fs::metadata(dir.path().join("broken.txt"))
            .unwrap()
            .modified()
            .unwrap(),
        modified
    );
}

#[test]
fn gitignored_files_are_skipped() {
    let dir = project();
    fs::create_dir(dir.path().join(".git")).unwrap();
    fs::write(dir.path().join(".gitignore"), "broken.txt\n").unwrap();
    citelint(dir.path())
        .args(["check", "--today", TODAY, "."])
        .assert()
        .code(0);
    fs::remove_file(dir.path().join(".gitignore")).unwrap();
    fs::write(dir.path().join(".citelintignore"), "broken.txt\n").unwrap();
    citelint(dir.path())
        .args(["check", "--today", TODAY, "."])
        .assert()
        .code(0);
}

#[test]
fn show_packs_says_why() {
    let dir = project();
    citelint(dir.path())
        .args(["check", "--today", TODAY, "--show-packs", "clean.txt"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "applied sciencex: content matches",
        ));
}

#[test]
fn citelint_test_runs_rule_examples() {
    let dir = TempDir::new().unwrap();
    fs::write(
        dir.path().join("house.yaml"),
        "pack: house\nexample: |\n  Title\n  © 2020 AFP\nfields:\n  credit: {kind: copyright}\nrules:\n  - id: credit\n    kind: required\n    field: credit\n    message: credit missing\n    examples:\n      pass: [{replace: \"© 2020\", with: \"(c) 2020\"}]\n      fail:\n        - {replace: \"© 2020 AFP\", with: \"\", at: \"1:6\"}\n        - {replace: \"© 2020 AFP\", with: \"© 2020 AFP again\"}\n",
    )
    .unwrap();
    citelint(dir.path())
        .args(["test", "house.yaml"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "house.yaml:16:11: house/credit: a failing example was not flagged",
        ))
        .stdout(predicate::str::contains("examples: 3 passed, 1 failed"));
    citelint(dir.path())
        .arg("test")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 failed"));
    citelint(dir.path())
        .args(["rule", "sciencex/url-https"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("## Fails"))
        .stdout(predicate::str::contains("(flagged at 9:99)"));
}

/// A reader that stops reading (`citelint check | head`) ends the run quietly: no panic and
/// no error message. `check` exits with the code of what it found before the pipe closed,
/// the listing commands with 0.
#[test]
fn a_closed_output_pipe_stops_quietly() {
    let dir = project();
    let run = |args: &[&str]| {
        // The read end is closed before citelint starts, so its first write fails.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let output = std::process::Command::new(assert_cmd::cargo::cargo_bin!("citelint"))
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .env_remove("GITHUB_STEP_SUMMARY")
            .args(args)
            .stdout(writer)
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    for format in ["human", "concise", "json", "sarif", "junit"] {
        assert_eq!(
            run(&["check", "--today", TODAY, "--format", format, "."]),
            (Some(1), String::new()),
            "{format}"
        );
    }
    assert_eq!(
        run(&["check", "--today", TODAY, "--statistics", "."]),
        (Some(1), String::new())
    );
    assert_eq!(
        run(&["check", "--today", TODAY, "clean.txt"]),
        (Some(0), String::new())
    );
    for args in [
        &["rules"][..],
        &["rules", "--print-regexes", "sciencex"],
        &["rule", "sciencex/credit-missing"],
        &["kinds"],
        &["config", "--show", "clean.txt"],
        &["test", "--today", TODAY],
    ] {
        assert_eq!(run(args), (Some(0), String::new()), "{args:?}");
    }
}

/// `citelint server` speaks the language server protocol on standard input and output:
/// the handshake, a document's diagnostics, then shutdown and exit with code 0.
#[test]
fn the_language_server_runs_over_stdio() {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::process::Stdio;

    let dir = project();
    let mut server = std::process::Command::new(assert_cmd::cargo::cargo_bin!("citelint"))
        .current_dir(dir.path())
        .args(["server", "--today", TODAY])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = server.stdin.take().unwrap();
    let mut output = BufReader::new(server.stdout.take().unwrap());
    let mut send = |message: serde_json::Value| {
        let body = message.to_string();
        write!(input, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        input.flush().unwrap();
    };
    let mut receive = || -> serde_json::Value {
        let mut length = 0;
        loop {
            let mut header = String::new();
            output.read_line(&mut header).unwrap();
            match header.trim_end() {
                "" => break,
                line => {
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse().unwrap();
                    }
                }
            }
        }
        let mut body = vec![0; length];
        output.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    };
    let article = url::Url::from_file_path(dir.path().join("broken.txt").canonicalize().unwrap())
        .unwrap()
        .to_string();
    send(
        serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"capabilities": {}}}),
    );
    let initialized = receive();
    assert_eq!(initialized["id"], 1);
    assert_eq!(initialized["result"]["serverInfo"]["name"], "citelint");
    send(serde_json::json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    send(
        serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/didOpen",
        "params": {"textDocument": {"uri": article, "languageId": "plaintext", "version": 7,
            "text": fixture("sciencex/url-https/fail.txt")}}}),
    );
    let published = receive();
    assert_eq!(published["method"], "textDocument/publishDiagnostics");
    assert_eq!(published["params"]["version"], 7);
    let diagnostics = published["params"]["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0]["code"], "sciencex/url-https");
    assert_eq!(
        diagnostics[0]["range"],
        serde_json::json!({"start": {"line": 20, "character": 121},
            "end": {"line": 20, "character": 125}})
    );
    send(serde_json::json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}));
    assert_eq!(receive()["id"], 2);
    send(serde_json::json!({"jsonrpc": "2.0", "method": "exit"}));
    assert_eq!(server.wait().unwrap().code(), Some(0));
}
