//! CI and editor integration through the command line: per-directory configuration,
//! baselines, changed files, statistics, output files, GitHub's step summary, and the
//! VS Code problem matcher.

use std::fs;
use std::path::Path;

use predicates::prelude::*;
use tempfile::TempDir;

mod common;

use common::{TODAY, citelint, fixture};

fn concise(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = citelint(dir)
        .args(["check", "--today", TODAY, "--format", "concise"])
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

#[test]
fn the_nearest_configuration_governs_each_file() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "citelint.yaml",
        "levels: {sciencex/url-https: warning}\n",
    );
    write(dir.path(), "a.txt", &fixture("sciencex/url-https/fail.txt"));
    write(
        dir.path(),
        "legacy/citelint.yaml",
        "extends: ../citelint.yaml\nlevels: {sciencex/url-https: info}\nexclude: [drafts]\n",
    );
    write(
        dir.path(),
        "legacy/b.txt",
        &fixture("sciencex/url-https/fail.txt"),
    );
    write(
        dir.path(),
        "legacy/drafts/c.txt",
        &fixture("sciencex/url-https/fail.txt"),
    );
    let (code, out, err) = concise(dir.path(), &["."]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "./a.txt:21:122: warning[sciencex/url-https]: citation URL uses http; Science X URLs use https\n\
         ./legacy/b.txt:21:122: info[sciencex/url-https]: citation URL uses http; Science X URLs use https\n"
    );
}

#[test]
fn overrides_by_glob_set_levels_packs_and_today() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "citelint.yaml",
        "overrides:\n  - files: [\"archive/**\"]\n    packs: {sciencex: false}\n  - files: [\"future/*.txt\"]\n    today: 2026-02-01\n    levels: {sciencex/dateline-missing: error}\n",
    );
    write(
        dir.path(),
        "archive/old.txt",
        &fixture("sciencex/url-https/fail.txt"),
    );
    write(
        dir.path(),
        "future/f.txt",
        &fixture("sciencex/retrieved-in-future/fail.txt"),
    );
    write(
        dir.path(),
        "future/d.txt",
        &fixture("sciencex/dateline-missing/fail.txt"),
    );
    let (code, out, _) = concise(dir.path(), &["."]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "./future/d.txt:3:63: error[sciencex/dateline-missing]: no dateline: expected the publication date (such as `December 22 2014`) on its own line below the headline\n"
    );
}

#[test]
fn config_show_says_where_values_come_from() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "base.yaml",
        "levels:\n  sciencex/url-host: warning\n",
    );
    write(
        dir.path(),
        "citelint.yaml",
        "extends: base.yaml\nexclude: [drafts]\noverrides:\n  - files: [\"news/**\"]\n    today: 2024-01-02\n",
    );
    write(dir.path(), "news/a.txt", "x");
    citelint(dir.path())
        .args(["config", "--show", "news/a.txt"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "configuration: citelint.yaml (extends base.yaml)",
        ))
        .stdout(predicate::str::contains(
            "sciencex/url-host: warning (base.yaml:2:3)",
        ))
        .stdout(predicate::str::contains(
            "today: 2024-01-02 (citelint.yaml:5:12)",
        ))
        .stdout(predicate::str::contains(
            "exclude: drafts (citelint.yaml:2:11)",
        ))
        .stdout(predicate::str::contains("walked: yes"));
    citelint(dir.path())
        .args(["config", "--show", "drafts/x.txt"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "walked: no, excluded by `drafts` (citelint.yaml:2:11)",
        ));
}

#[test]
fn broken_nested_configuration_exits_two() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "sub/citelint.yaml",
        "levels: {sciencex/url-htps: warning}\n",
    );
    write(
        dir.path(),
        "sub/a.txt",
        &fixture("sciencex/url-https/fail.txt"),
    );
    let (code, _, err) = concise(dir.path(), &["."]);
    assert_eq!(code, 2);
    assert!(
        err.contains("sub/citelint.yaml:1:10: unknown rule or pack `sciencex/url-htps`"),
        "{err}"
    );
    write(dir.path(), "sub/citelint.yaml", "extends: sub.yaml\n");
    write(dir.path(), "sub/sub.yaml", "extends: citelint.yaml\n");
    let (code, _, err) = concise(dir.path(), &["."]);
    assert_eq!(code, 2);
    assert!(err.contains("`extends` loops back"), "{err}");
}

#[test]
fn stdin_gets_the_configuration_of_its_path() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "quiet/citelint.yaml",
        "packs: {sciencex: false}\n",
    );
    citelint(dir.path())
        .args([
            "check",
            "--today",
            TODAY,
            "--format",
            "concise",
            "--stdin-filename",
            "quiet/a.txt",
            "-",
        ])
        .write_stdin(fixture("sciencex/url-https/fail.txt"))
        .assert()
        .code(0)
        .stdout("");
    citelint(dir.path())
        .args([
            "check",
            "--today",
            TODAY,
            "--format",
            "concise",
            "--stdin-filename",
            "loud/a.txt",
            "-",
        ])
        .write_stdin(fixture("sciencex/url-https/fail.txt"))
        .assert()
        .code(1);
}

#[test]
fn baseline_reports_only_new_diagnostics_and_survives_line_shifts() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "a.txt",
        &fixture("sciencex/url-tracking/fail.txt"),
    );
    citelint(dir.path())
        .args([
            "check",
            "--today",
            TODAY,
            "--write-baseline",
            "baseline.json",
            ".",
        ])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "recorded 2 diagnostics in baseline.json",
        ));
    let (code, out, _) = concise(dir.path(), &["--baseline", "baseline.json", "."]);
    assert_eq!((code, out.as_str()), (0, ""));
    // Move everything down and add a new violation: only the new one is reported.
    let shifted = fixture("sciencex/url-tracking/fail.txt")
        .replacen("The team took", "A new paragraph.\n\nThe team took", 1)
        .replace("&amp;fbclid=IwAR0abc", "&amp;fbclid=IwAR0abc&amp;gclid=XYZ");
    write(dir.path(), "a.txt", &shifted);
    let (code, out, _) = concise(dir.path(), &["--baseline", "baseline.json", "."]);
    assert_eq!(code, 1);
    assert!(out.starts_with("./a.txt:23:"), "{out}");
    assert!(out.contains("`gclid`"), "{out}");
    assert_eq!(out.lines().count(), 1, "{out}");
    write(dir.path(), "bad.json", "{\"version\": 1, \"entries\": [}");
    let (code, _, err) = concise(dir.path(), &["--baseline", "bad.json", "."]);
    assert_eq!(code, 2);
    assert!(err.contains("bad.json:1:"), "{err}");
}

#[test]
fn changed_since_checks_only_changed_files() {
    let dir = TempDir::new().unwrap();
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
    };
    git(&["init", "-q", "-b", "main"]);
    write(
        dir.path(),
        "old.txt",
        &fixture("sciencex/url-https/fail.txt"),
    );
    write(
        dir.path(),
        "edited.txt",
        &fixture("sciencex/credit-missing/pass.txt"),
    );
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "start"]);
    write(
        dir.path(),
        "edited.txt",
        &fixture("sciencex/url-host/fail_lookalike.txt"),
    );
    write(
        dir.path(),
        "new.txt",
        &fixture("sciencex/url-shortener/fail.txt"),
    );
    let (code, out, err) = concise(dir.path(), &["--changed-since", "HEAD", "."]);
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains("./edited.txt:") && out.contains("./new.txt:"),
        "{out}"
    );
    assert!(!out.contains("old.txt"), "{out}");
    let (code, _, err) = concise(dir.path(), &["--changed-since", "no-such-rev", "."]);
    assert_eq!(code, 2);
    assert!(err.contains("--changed-since"), "{err}");
}

#[test]
fn statistics_exit_zero_and_output_file() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "a.txt",
        &fixture("sciencex/url-tracking/fail.txt"),
    );
    write(dir.path(), "b.txt", &fixture("sciencex/url-https/fail.txt"));
    let (code, out, _) = concise(dir.path(), &["--statistics", "."]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "     1  sciencex/url-https                       error\n     2  sciencex/url-tracking                    error\n     3  total in 2 of 2 files\n"
    );
    let (code, out, _) = concise(dir.path(), &["--exit-zero", "-o", "report.txt", "."]);
    assert_eq!((code, out.as_str()), (0, ""));
    assert_eq!(
        fs::read_to_string(dir.path().join("report.txt"))
            .unwrap()
            .lines()
            .count(),
        3
    );
    // --exit-zero does not hide citelint's own failures.
    let (code, _, _) = concise(dir.path(), &["--exit-zero", "missing.txt"]);
    assert_eq!(code, 2);
}

#[test]
fn github_annotations_and_step_summary() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "news/a, b.txt",
        &fixture("sciencex/url-https/fail.txt"),
    );
    let summary = dir.path().join("summary.md");
    citelint(dir.path())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["check", "--today", TODAY, "--format", "github", "news"])
        .assert()
        .code(1)
        .stdout("::error file=news/a%2C b.txt,line=21,col=122,endLine=21,endColumn=126,title=sciencex/url-https::citation URL uses http; Science X URLs use https\n");
    let markdown = fs::read_to_string(&summary).unwrap();
    assert!(
        markdown.contains("| `sciencex/url-https` | error | 1 |"),
        "{markdown}"
    );
}

/// The job summary says when files could not be read, with or without findings.
#[test]
fn github_step_summary_counts_unread_files() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "news/clean.txt",
        &fixture("sciencex/credit-missing/pass.txt"),
    );
    fs::write(dir.path().join("news/latin1.txt"), b"Caf\xe9\n").unwrap();
    let summary = dir.path().join("summary.md");
    let run = |args: &[&str]| {
        let _ = fs::remove_file(&summary);
        citelint(dir.path())
            .env("GITHUB_STEP_SUMMARY", &summary)
            .args(["check", "--today", TODAY, "--format", "github"])
            .args(args)
            .assert()
            .code(2);
        fs::read_to_string(&summary).unwrap()
    };
    let markdown = run(&["news"]);
    assert!(
        markdown.contains("No problems found in 1 file checked.")
            && markdown.contains("1 file could not be read")
            && !markdown.contains("All clear"),
        "{markdown}"
    );
    write(
        dir.path(),
        "news/broken.txt",
        &fixture("sciencex/url-https/fail.txt"),
    );
    let markdown = run(&["news"]);
    assert!(
        markdown.contains("1 error, 0 warnings, 0 notes in 1 of 2 files.")
            && markdown.contains("1 file could not be read")
            && markdown.contains("| `sciencex/url-https` | error | 1 |"),
        "{markdown}"
    );
}

/// What the editor formats are tried on: paths with a space and a `C:` in them, and a rule
/// `custom.yaml` (at `level`) whose message holds colons.
fn editor_project(level: &str) -> TempDir {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "my news/C: drive story.txt",
        &fixture("sciencex/title-mismatch/fail.txt"),
    );
    write(
        dir.path(),
        "my news/t.txt",
        &fixture("sciencex/url-tracking/fail.txt"),
    );
    write(
        dir.path(),
        "custom.yaml",
        &format!(
            "pack: house\nrules:\n  - {{id: colon, kind: forbidden, level: {level}, pattern: 'Wednesday', message: \"note: found `{{match}}`: here\"}}\n"
        ),
    );
    dir
}

/// Every gcc-format line reads as gcc's own do (the pattern of the `$gcc` problem matcher
/// of VS Code's C/C++ extension, which takes errors and warnings; `note` for the info
/// level), and says what the JSON report of the same run says.
#[test]
fn gcc_lines_read_as_gcc_diagnostics_and_agree_with_json() {
    let gcc =
        regex::Regex::new(r"^(.*?):(\d+):(\d*):?\s+(?:fatal\s+)?(warning|error|note):\s+(.*)$")
            .unwrap();
    let dir = editor_project("info");
    let run = |format: &str| {
        let output = citelint(dir.path())
            .args(["check", "--today", TODAY, "--rules", "custom.yaml"])
            .args(["--fail-on", "info", "--format", format, "."])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1));
        String::from_utf8(output.stdout).unwrap()
    };
    let lines = run("gcc");
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert!(diagnostics.len() >= 4, "{lines}");
    assert_eq!(lines.lines().count(), diagnostics.len(), "{lines}");
    for (line, d) in lines.lines().zip(diagnostics) {
        let caps = gcc
            .captures(line)
            .unwrap_or_else(|| panic!("not a gcc diagnostic: {line}"));
        assert_eq!(&caps[1], d["path"], "{line}");
        assert_eq!(caps[2].parse::<u64>().unwrap(), d["line"], "{line}");
        assert_eq!(caps[3].parse::<u64>().unwrap(), d["column"], "{line}");
        let severity = match d["severity"].as_str().unwrap() {
            "info" => "note",
            other => other,
        };
        assert_eq!(&caps[4], severity, "{line}");
        let message = format!(
            "{} [{}]",
            d["message"].as_str().unwrap(),
            d["rule"].as_str().unwrap()
        );
        assert_eq!(&caps[5], message, "{line}");
    }
    assert!(
        lines.contains("C: drive story.txt:21:11: error: citation title differs from the headline [sciencex/title-mismatch]"),
        "{lines}"
    );
    assert!(
        lines.contains(": note: note: found `Wednesday`: here [house/colon]"),
        "{lines}"
    );
}

#[test]
fn vscode_problem_matcher_parses_every_concise_line() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tasks: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(root.join("editors/vscode/tasks.json")).unwrap())
            .unwrap();
    let pattern = tasks["tasks"][0]["problemMatcher"]["pattern"]["regexp"]
        .as_str()
        .unwrap();
    // The README shows the same matcher.
    let readme = fs::read_to_string(root.join("README.md")).unwrap();
    assert!(
        readme.contains(&serde_json::to_string(pattern).unwrap()),
        "README shows another matcher"
    );
    let matcher = regex::Regex::new(pattern).unwrap();

    let dir = editor_project("error");
    let (_, out, _) = concise(
        dir.path(),
        &["--rules", "custom.yaml", "--fail-on", "info", "."],
    );
    assert!(out.lines().count() >= 4, "{out}");
    for line in out.lines() {
        let caps = matcher
            .captures(line)
            .unwrap_or_else(|| panic!("the matcher misses: {line}"));
        assert!(caps[1].starts_with("./my news/"), "{line}");
        assert!(caps[2].parse::<usize>().is_ok() && caps[3].parse::<usize>().is_ok());
        assert!(["error", "warning", "info"].contains(&&caps[4]));
        assert!(caps[5].contains('/'));
    }
    assert!(
        out.contains("C: drive story.txt:21:11: error[sciencex/title-mismatch]"),
        "{out}"
    );
    assert!(
        out.contains("error[house/colon]: note: found `Wednesday`: here"),
        "{out}"
    );
}

/// The parts of a GitHub Action's `action.yml` the test reads.
#[derive(serde::Deserialize)]
struct Action {
    inputs: std::collections::BTreeMap<String, ActionInput>,
    runs: ActionRuns,
}

#[derive(serde::Deserialize)]
struct ActionInput {
    description: String,
    default: String,
}

#[derive(serde::Deserialize)]
struct ActionRuns {
    using: String,
    steps: Vec<ActionStep>,
}

#[derive(serde::Deserialize)]
struct ActionStep {
    name: String,
    run: Option<String>,
    uses: Option<String>,
}

#[derive(serde::Deserialize)]
struct PreCommitHook {
    id: String,
    entry: String,
}

#[test]
fn the_action_is_valid_yaml_and_uses_only_its_own_inputs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = fs::read_to_string(root.join("action.yml")).unwrap();
    let action: Action = serde_saphyr::from_str(&text).unwrap();
    assert_eq!(action.runs.using, "composite");
    for (name, input) in &action.inputs {
        assert!(!input.description.is_empty(), "{name}");
        assert!(!input.default.contains('\n'), "{name}");
    }
    // Every `inputs.NAME` the steps use is declared.
    for used in text.split("inputs.").skip(1) {
        let name: String = used
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        assert!(
            action.inputs.contains_key(&name),
            "undeclared input `{name}`"
        );
    }
    for step in &action.runs.steps {
        assert!(step.run.is_some() != step.uses.is_some(), "{}", step.name);
    }
    let hooks = fs::read_to_string(root.join(".pre-commit-hooks.yaml")).unwrap();
    let hooks: Vec<PreCommitHook> = serde_saphyr::from_str(&hooks).unwrap();
    assert_eq!(hooks[0].id, "citelint");
    assert!(hooks[0].entry.starts_with("citelint check"));
}
