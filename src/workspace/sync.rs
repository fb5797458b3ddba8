//! File > Sync: the project committed with the analyst's message, the team's work pulled
//! (merged by Marginalia's merge driver, or by resolving git's conflict markers where the
//! driver is not set up) and the result pushed, with the system `git`, on a worker. Run
//! only when the analyst asks. Nothing is lost on the way: the commit comes first, so a
//! failed pull or push leaves the analyst's work committed locally.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::model::Progress;

/// What a sync needs, taken from a saved workspace; run it on a worker.
#[derive(Clone, Debug)]
pub struct SyncJob {
    project_file: PathBuf,
    /// The documents' sources inside the work tree (committed with the project).
    sources: Vec<PathBuf>,
    message: String,
}

/// What a sync did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Synced {
    /// One line per step, for the analyst.
    pub steps: Vec<String>,
    /// Commits the local branch has that its upstream lacks, and the reverse (after the
    /// sync; both 0 when in step).
    pub ahead: usize,
    pub behind: usize,
    /// The project file changed (the team's work came in): reopen it.
    pub changed: bool,
}

/// Why a sync stopped (what was done before is kept, and said).
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("save the project first (it has no file yet)")]
    Untitled,
    #[error("the project is not in a git work tree: {}", .0.display())]
    NotInGit(PathBuf),
    #[error("cannot run git ({0}); is it installed?")]
    NoGit(String),
    #[error("{step} failed: {message}{}", done_so_far(.done))]
    Failed {
        step: String,
        message: String,
        done: Vec<String>,
    },
    #[error("cancelled{}", done_so_far(.done))]
    Cancelled { done: Vec<String> },
}

fn done_so_far(done: &[String]) -> String {
    if done.is_empty() {
        String::new()
    } else {
        format!(" (done before: {})", done.join("; "))
    }
}

impl super::Workspace {
    /// The sync of the saved project with `message`; refused for a project never saved or
    /// outside a git work tree (save first: the job commits the file as it is on disk).
    pub fn sync_job(&self, message: &str) -> Result<SyncJob, SyncError> {
        let file = self.path.clone().ok_or(SyncError::Untitled)?;
        let folder = file.parent().unwrap_or(Path::new(".")).to_owned();
        let (top, _) = super::analyst::work_tree(&folder)
            .ok_or_else(|| SyncError::NotInGit(folder.clone()))?;
        let sources = self
            .project
            .documents()
            .iter()
            .map(|d| self.document_location(d))
            .filter(|p| std::path::absolute(p).is_ok_and(|p| p.starts_with(&top)))
            .collect();
        let message = message.trim();
        Ok(SyncJob {
            project_file: file,
            sources,
            message: if message.is_empty() {
                "Annotations".to_owned()
            } else {
                message.to_owned()
            },
        })
    }
}

impl SyncJob {
    /// Commit, pull (merging the project), push; `progress` counts the steps (4) and is
    /// checked for Cancel between them.
    pub fn run(&self, progress: &Progress) -> Result<Synced, SyncError> {
        progress.set_total(4);
        let folder = self
            .project_file
            .parent()
            .unwrap_or(Path::new("."))
            .to_owned();
        let before = std::fs::read(&self.project_file).ok();
        let mut synced = Synced::default();
        let stop = |synced: &Synced| {
            progress.is_cancelled().then(|| SyncError::Cancelled {
                done: synced.steps.clone(),
            })
        };
        // 1. Commit the project and its sources.
        self.commit(&folder, &mut synced)?;
        progress.advance(1);
        if let Some(cancelled) = stop(&synced) {
            return Err(cancelled);
        }
        // 2. Pull, merging.
        let upstream = git_output(&folder, &["rev-parse", "--abbrev-ref", "@{upstream}"]);
        if upstream.is_none() {
            return Err(SyncError::Failed {
                step: "Pulling".to_owned(),
                message: "this branch has no remote branch to sync with (git push -u origin BRANCH once, or clone the team's repository)".to_owned(),
                done: synced.steps,
            });
        }
        let pulled = run_git(
            &folder,
            &[
                "-c".into(),
                "pull.rebase=false".into(),
                "pull".into(),
                "-q".into(),
                "--no-edit".into(),
            ],
        )?;
        if pulled.0 {
            synced.steps.push("pulled the team's work".to_owned());
        } else {
            self.settle_conflict(&folder, &pulled.1, &mut synced)?;
        }
        progress.advance(1);
        if let Some(cancelled) = stop(&synced) {
            return Err(cancelled);
        }
        // 3. Push.
        git(&folder, &["push".into(), "-q".into()], "Pushing", &synced)?;
        synced.steps.push("pushed".to_owned());
        progress.advance(1);
        // 4. Where the branch stands.
        if let Some(counts) = git_output(
            &folder,
            &["rev-list", "--left-right", "--count", "HEAD...@{upstream}"],
        ) {
            let mut numbers = counts.split_whitespace().filter_map(|n| n.parse().ok());
            synced.ahead = numbers.next().unwrap_or(0);
            synced.behind = numbers.next().unwrap_or(0);
        }
        progress.advance(1);
        synced.changed = std::fs::read(&self.project_file).ok() != before;
        Ok(synced)
    }

    /// Commits the project and its sources, only those (whatever else the analyst staged
    /// stays staged); a source git refuses (ignored) is left out and said so.
    fn commit(&self, folder: &Path, synced: &mut Synced) -> Result<(), SyncError> {
        let project: std::ffi::OsString = self.project_file.clone().into_os_string();
        git(
            folder,
            &["add".into(), "--".into(), project.clone()],
            "Adding the project",
            synced,
        )?;
        let mut paths = vec![project];
        for source in &self.sources {
            let added = run_git(
                folder,
                &["add".into(), "--".into(), source.clone().into_os_string()],
            )?;
            if added.0 {
                paths.push(source.clone().into_os_string());
            } else {
                synced.steps.push(format!(
                    "not committed (git refused it): {}",
                    source.display()
                ));
            }
        }
        let mut staged_check: Vec<std::ffi::OsString> = vec![
            "diff".into(),
            "--cached".into(),
            "--quiet".into(),
            "--".into(),
        ];
        staged_check.extend(paths.iter().cloned());
        let staged = run_git(folder, &staged_check)?;
        if staged.0 {
            synced.steps.push("nothing new to commit".to_owned());
        } else {
            let mut commit: Vec<std::ffi::OsString> = vec![
                "commit".into(),
                "-q".into(),
                "-m".into(),
                self.message.clone().into(),
                "--".into(),
            ];
            commit.extend(paths);
            git(folder, &commit, "Committing", synced)?;
            synced.steps.push(format!("committed “{}”", self.message));
        }
        Ok(())
    }

    /// A pull that stopped: if the project file holds git's conflict markers (no merge
    /// driver set up), merge both sides as the driver would and finish the merge; any other
    /// failure is reported (the merge is aborted, the local commit kept).
    fn settle_conflict(
        &self,
        folder: &Path,
        said: &str,
        synced: &mut Synced,
    ) -> Result<(), SyncError> {
        let text = std::fs::read_to_string(&self.project_file).unwrap_or_default();
        let Ok(Some(merged)) =
            crate::store::merge::resolve_conflict_markers(&text, &self.project_file)
        else {
            let _ = run_git(folder, &["merge".into(), "--abort".into()]);
            return Err(SyncError::Failed {
                step: "Pulling".to_owned(),
                message: plain(said),
                done: synced.steps.clone(),
            });
        };
        crate::store::write_atomically(&self.project_file, merged.text.as_bytes()).map_err(
            |e| SyncError::Failed {
                step: "Merging the project".to_owned(),
                message: e.to_string(),
                done: synced.steps.clone(),
            },
        )?;
        let unresolved =
            git_output(folder, &["diff", "--name-only", "--diff-filter=U"]).unwrap_or_default();
        let name = self
            .project_file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        let others: Vec<&str> = unresolved
            .lines()
            .filter(|l| Some(l.rsplit('/').next().unwrap_or(l)) != name.as_deref())
            .collect();
        if !others.is_empty() {
            let _ = run_git(folder, &["merge".into(), "--abort".into()]);
            return Err(SyncError::Failed {
                step: "Pulling".to_owned(),
                message: format!(
                    "other files conflict too ({}); the merge was undone, your commit is kept",
                    others.join(", ")
                ),
                done: synced.steps.clone(),
            });
        }
        git(
            folder,
            &[
                "add".into(),
                "--".into(),
                self.project_file.clone().into_os_string(),
            ],
            "Merging the project",
            synced,
        )?;
        git(
            folder,
            &["commit".into(), "-q".into(), "--no-edit".into()],
            "Committing the merge",
            synced,
        )?;
        synced.steps.push(format!(
            "pulled the team's work and merged the project ({} conflict(s) on the review list)",
            merged.conflicts
        ));
        Ok(())
    }
}

/// git's message, on one line.
fn plain(said: &str) -> String {
    let lines: Vec<&str> = said
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() {
        "git gave no reason".to_owned()
    } else {
        lines.join(" ")
    }
}

/// Runs git in `folder`: (succeeded, what it said).
fn run_git(folder: &Path, args: &[std::ffi::OsString]) -> Result<(bool, String), SyncError> {
    let output = Command::new("git")
        .arg("-C")
        .arg(folder)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .map_err(|e| SyncError::NoGit(e.to_string()))?;
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    );
    Ok((output.status.success(), said))
}

/// Runs git; a failure is the step's error.
fn git(
    folder: &Path,
    args: &[std::ffi::OsString],
    step: &str,
    synced: &Synced,
) -> Result<(), SyncError> {
    let (ok, said) = run_git(folder, args)?;
    if ok {
        Ok(())
    } else {
        Err(SyncError::Failed {
            step: step.to_owned(),
            message: plain(&said),
            done: synced.steps.clone(),
        })
    }
}

/// git's standard output, if it succeeded.
fn git_output(folder: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(folder)
        .args(args)
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}
