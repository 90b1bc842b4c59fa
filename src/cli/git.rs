//! `--changed-since REV`: the files git says changed since a revision.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn git(cwd: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(cwd)
        .output()
        .map_err(|e| format!("--changed-since: cannot run git: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!(
            "--changed-since: `git {}` failed: {}",
            args.join(" "),
            stderr.lines().next().unwrap_or("").trim()
        ));
    }
    Ok(output.stdout)
}

/// Files changed since `rev`: committed since, staged, unstaged, and new untracked files
/// (not ignored). Paths are canonical, for comparison with [`canonical`].
pub fn changed_since(cwd: &Path, rev: &str) -> Result<HashSet<PathBuf>, String> {
    let root = String::from_utf8_lossy(&git(cwd, &["rev-parse", "--show-toplevel"])?)
        .trim()
        .to_string();
    let root = PathBuf::from(root);
    let mut files = HashSet::new();
    let diff = git(
        cwd,
        &["diff", "--name-only", "-z", "--no-renames", rev, "--"],
    )?;
    let untracked = git(
        cwd,
        &[
            "ls-files",
            "--others",
            "--exclude-standard",
            "-z",
            "--full-name",
            ":/",
        ],
    )?;
    for name in diff.split(|&b| b == 0).chain(untracked.split(|&b| b == 0)) {
        if name.is_empty() {
            continue;
        }
        if let Some(path) = canonical(&root.join(String::from_utf8_lossy(name).as_ref())) {
            files.insert(path);
        }
    }
    Ok(files)
}

/// The canonical form of an existing path (deleted files have none).
pub fn canonical(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok()
}
