//! Autosave and recovery: unsaved work is written to a recovery file every few seconds
//! (next to the project file, or for a project never saved in a recovery folder), and
//! offered back after a crash or kill.

use std::path::{Path, PathBuf};

use jiff::Timestamp;

use super::{Recovery, Workspace, absolute};
use crate::store::{self, LoadMode, StoreError};

/// Recovery files of untitled projects are named `untitled-<process id>.ron.recovery`.
const UNTITLED_PREFIX: &str = "untitled-";
const RECOVERY_SUFFIX: &str = ".ron.recovery";

impl Workspace {
    /// Where unsaved work of a project never saved goes (the window sets it; without it an
    /// untitled project has no recovery file).
    pub fn set_recovery_dir(&mut self, dir: Option<PathBuf>) {
        self.recovery_dir = dir;
    }

    pub fn recovery_dir(&self) -> Option<&Path> {
        self.recovery_dir.as_deref()
    }

    /// This workspace's recovery file: next to the project file, or in the recovery folder
    /// for an untitled project.
    pub fn recovery_file(&self) -> Option<PathBuf> {
        match (&self.path, &self.recovery_dir) {
            (Some(path), _) => Some(store::recovery_path(path)),
            (None, Some(dir)) => Some(dir.join(format!(
                "{UNTITLED_PREFIX}{}{RECOVERY_SUFFIX}",
                std::process::id()
            ))),
            (None, None) => None,
        }
    }

    /// The project serialized for its recovery file, and that file; `None` if there is
    /// nothing unsaved or nowhere to write it.
    pub fn recovery_snapshot(&self) -> Option<(PathBuf, String)> {
        if !self.is_dirty() {
            return None;
        }
        let file = self.recovery_file()?;
        let text = store::to_ron(&self.project).ok()?;
        Some((file, text))
    }

    /// Writes unsaved work to the recovery file (see [`Self::find_recovery`]). Does nothing
    /// if there is nothing unsaved.
    pub fn write_recovery(&self) -> Result<(), StoreError> {
        match self.recovery_snapshot() {
            Some((file, text)) => store::write_recovery(&text, &file),
            None => Ok(()),
        }
    }

    /// Deletes the recovery file (after a save, or when the analyst discards unsaved work).
    pub fn discard_recovery(&self) {
        if let Some(file) = self.recovery_file() {
            let _ = std::fs::remove_file(file);
        }
    }

    /// Unsaved work left by a crash or kill for the project file at `path`, if any.
    pub fn find_recovery(path: &Path) -> Option<Recovery> {
        let path = absolute(path);
        let recovery = store::recovery_path(&path);
        // Only when there is work to offer is the saved file read (to count what it holds).
        let mut found = describe(&recovery)?;
        let saved_project = store::load(&path).ok();
        found.saved = modified(&path);
        found.saved_annotations = saved_project.map(|p| p.annotation_count() + p.orphan_count());
        found.project = Some(path);
        Some(found)
    }

    /// Unsaved work of untitled projects in `dir` whose window is gone (its process no
    /// longer runs), newest first.
    pub fn find_untitled_recoveries(dir: &Path) -> Vec<Recovery> {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        let mut found: Vec<Recovery> = entries
            .filter_map(Result::ok)
            .filter(|entry| {
                let name = entry.file_name().to_string_lossy().into_owned();
                name.strip_prefix(UNTITLED_PREFIX)
                    .and_then(|rest| rest.strip_suffix(RECOVERY_SUFFIX))
                    .and_then(|pid| pid.parse::<u32>().ok())
                    .is_some_and(|pid| !process_is_running(pid))
            })
            .filter_map(|entry| describe(&entry.path()))
            .collect();
        found.sort_by_key(|r| std::cmp::Reverse(r.written));
        found
    }

    /// Opens the unsaved work in the recovery file of the project file `path`, as that
    /// project with unsaved changes (the project file itself is not touched until saved).
    pub fn restore_recovery(path: &Path) -> Result<Self, StoreError> {
        let path = absolute(path);
        let recovery = store::recovery_path(&path);
        let loaded = store::load_with(&recovery, LoadMode::SetAsideInvalid)?;
        let mut workspace = Self::with_project(loaded.project, Some(path.clone()));
        // The project file as it is now, so a save notices if it changes later.
        workspace.disk_stamp = store::DiskStamp::of_file(&path);
        workspace.migrated_from = loaded.migrated_from;
        workspace.set_aside = loaded.set_aside;
        workspace.mark_structure_changed();
        workspace.read_all_documents(
            super::sources::EarlyReads::new(),
            &crate::model::Progress::new(),
        );
        Ok(workspace)
    }

    /// Opens the unsaved work of an untitled project from its recovery file (in
    /// `recovery_dir`), which becomes this process's: it is kept until the work is saved or
    /// discarded, so a second crash loses nothing either.
    pub fn restore_untitled(file: &Path, recovery_dir: &Path) -> Result<Self, StoreError> {
        let loaded = store::load_with(file, LoadMode::SetAsideInvalid)?;
        let mut workspace = Self::with_project(loaded.project, None);
        workspace.recovery_dir = Some(recovery_dir.to_owned());
        if let Some(own) = workspace.recovery_file()
            && own != file
        {
            std::fs::rename(file, &own)
                .map_err(|source| StoreError::Write { path: own, source })?;
        }
        workspace.set_aside = loaded.set_aside;
        workspace.mark_structure_changed();
        workspace.read_all_documents(
            super::sources::EarlyReads::new(),
            &crate::model::Progress::new(),
        );
        Ok(workspace)
    }
}

/// What a recovery file holds, for the question to the analyst.
fn describe(file: &Path) -> Option<Recovery> {
    let written = modified(file)?;
    let annotations = store::load_with(file, LoadMode::SetAsideInvalid).map_or(0, |l| {
        l.project.annotation_count() + l.project.orphan_count()
    });
    Some(Recovery {
        path: file.to_owned(),
        project: None,
        written: Some(written),
        saved: None,
        annotations,
        saved_annotations: None,
    })
}

fn modified(path: &Path) -> Option<Timestamp> {
    let time = std::fs::metadata(path).and_then(|m| m.modified()).ok()?;
    Timestamp::try_from(time).ok()
}

/// True if process `pid` runs (this one, or on Linux any in `/proc`). Where that cannot be
/// told, only this process counts as running.
fn process_is_running(pid: u32) -> bool {
    pid == std::process::id() || Path::new("/proc").join(pid.to_string()).exists()
}

/// The folder for recovery files of untitled projects: `$MARGINALIA_RECOVERY_DIR`, else
/// the platform's data folder (`$XDG_DATA_HOME` or `~/.local/share`) + `marginalia/recovery`.
pub fn default_recovery_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("MARGINALIA_RECOVERY_DIR") {
        return Some(PathBuf::from(dir));
    }
    let data = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .or_else(|| std::env::var_os("APPDATA").map(PathBuf::from))?;
    Some(data.join("marginalia").join("recovery"))
}
