//! A project shared by a team through git: `marginalia team init` (and File > Set Up Team)
//! makes the repository merge project files with Marginalia's merge driver and ignore the
//! files each analyst keeps to themselves (backups, recovery files, locks).
//!
//! Idempotent: lines already present are not written again, and a driver already
//! registered is registered again with this program's path.

use std::path::{Path, PathBuf};

/// What `.gitattributes` needs: project files merged by the driver.
pub const ATTRIBUTES: &[&str] = &["*.ron merge=marginalia"];

/// What `.gitignore` needs: the files beside a project that are one analyst's own.
pub const IGNORED: &[&str] = &[
    "*.ron.bak",
    "*.ron.v*.bak",
    "*.ron.recovery",
    "*.ron.lock",
    "*.ron.tmp-*",
];

/// Why the team could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum TeamError {
    #[error(
        "not in a git work tree (run `git init` or clone the team's repository first): {}",
        .0.display()
    )]
    NotInGit(PathBuf),
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot run git to register the merge driver ({0}); is git installed?")]
    Git(String),
}

/// Sets up the git work tree holding `folder` for a team: writes `.gitattributes` and
/// `.gitignore` at its top, registers the merge driver in the repository's configuration.
/// Returns what it did, one line each.
pub fn init(folder: &Path) -> Result<Vec<String>, TeamError> {
    let (top, git_dir) = crate::workspace::analyst::work_tree(folder)
        .ok_or_else(|| TeamError::NotInGit(folder.to_owned()))?;
    let mut done = Vec::new();
    for (name, lines) in [(".gitattributes", ATTRIBUTES), (".gitignore", IGNORED)] {
        let path = top.join(name);
        let added = add_lines(&path, lines)?;
        done.push(if added == 0 {
            format!("{} already had what a team needs", path.display())
        } else {
            format!("{}: {added} line(s) added", path.display())
        });
    }
    let program = std::env::current_exe()
        .map_err(|e| TeamError::Git(e.to_string()))?
        .display()
        .to_string();
    let driver = format!(
        "'{}' merge-driver %O %A %B --path %P",
        program.replace('\'', "'\\''")
    );
    git_config(&top, "merge.marginalia.name", "Marginalia project files")?;
    git_config(&top, "merge.marginalia.driver", &driver)?;
    done.push(format!(
        "git merges project files with `{driver}` (registered in {})",
        git_dir.display()
    ));
    Ok(done)
}

/// Appends the `lines` missing from the file at `path` (created if missing); how many.
fn add_lines(path: &Path, lines: &[&str]) -> Result<usize, TeamError> {
    let write_error = |source| TeamError::Write {
        path: path.to_owned(),
        source,
    };
    let existing = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(write_error(e)),
    };
    let missing: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| !existing.lines().any(|e| e.trim() == *l))
        .collect();
    if missing.is_empty() {
        return Ok(0);
    }
    let mut text = existing;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    if !text.contains("# Marginalia") {
        text.push_str("# Marginalia (marginalia team init)\n");
    }
    for line in &missing {
        text.push_str(line);
        text.push('\n');
    }
    crate::store::replace_file(path, text.as_bytes()).map_err(write_error)?;
    Ok(missing.len())
}

/// `git -C TOP config KEY VALUE`: the repository's own configuration (shared by its
/// linked work trees).
fn git_config(top: &Path, key: &str, value: &str) -> Result<(), TeamError> {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(top)
        .arg("config")
        .arg(key)
        .arg(value)
        .output()
        .map_err(|e| TeamError::Git(e.to_string()))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(TeamError::Git(
            String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        ))
    }
}
