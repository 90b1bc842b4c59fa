//! Helpers shared by the command-line tests.

use std::path::Path;

use assert_cmd::Command;

/// The date the command-line tests check against.
pub const TODAY: &str = "2026-01-15";

/// The text of a fixture, by its path under `fixtures/`.
pub fn fixture(path: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(path),
    )
    .unwrap()
}

/// `citelint` run in `dir`, without colour or a GitHub step summary from the environment.
pub fn citelint(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("citelint").unwrap();
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_STEP_SUMMARY");
    cmd
}
