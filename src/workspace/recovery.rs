//! Autosave and recovery: unsaved work is written next to the project file every few
//! seconds, and offered back after a crash or kill.

use std::path::{Path, PathBuf};

use jiff::Timestamp;

use super::{Recovery, Workspace, absolute};
use crate::store::{self, LoadMode, StoreError};

impl Workspace {
    /// The project serialized for its recovery file, and where that goes; `None` if the
    /// project has no file (or nothing unsaved).
    pub fn recovery_snapshot(&self) -> Option<(PathBuf, String)> {
        let path = self.path.clone()?;
        if !self.is_dirty() {
            return None;
        }
        let text = store::to_ron(&self.project).ok()?;
        Some((path, text))
    }

    /// Writes unsaved work to the recovery file next to the project (see
    /// [`Self::find_recovery`]). Does nothing if there is nothing unsaved.
    pub fn write_recovery(&self) -> Result<(), StoreError> {
        match self.recovery_snapshot() {
            Some((path, text)) => store::write_recovery(&text, &path),
            None => Ok(()),
        }
    }

    /// Deletes the recovery file (after a save, or when the analyst discards unsaved work).
    pub fn discard_recovery(&self) {
        if let Some(path) = &self.path {
            let _ = std::fs::remove_file(store::recovery_path(path));
        }
    }

    /// Unsaved work left by a crash or kill for the project file at `path`, if any.
    pub fn find_recovery(path: &Path) -> Option<Recovery> {
        let path = absolute(path);
        let recovery = store::recovery_path(&path);
        let meta = std::fs::metadata(&recovery).ok()?;
        let timestamp = |t: std::time::SystemTime| Timestamp::try_from(t).ok();
        let saved_project = store::load(&path).ok();
        let annotations =
            store::load(&recovery).map_or(0, |p| p.annotation_count() + p.orphan_count());
        Some(Recovery {
            written: meta.modified().ok().and_then(timestamp),
            saved: std::fs::metadata(&path)
                .and_then(|m| m.modified())
                .ok()
                .and_then(timestamp),
            annotations,
            saved_annotations: saved_project.map(|p| p.annotation_count() + p.orphan_count()),
            path: recovery,
        })
    }

    /// Opens the unsaved work in the recovery file of the project file `path`, as that
    /// project with unsaved changes (the project file itself is not touched until saved).
    pub fn restore_recovery(path: &Path) -> Result<Self, StoreError> {
        let path = absolute(path);
        let recovery = store::recovery_path(&path);
        let loaded = store::load_with(&recovery, LoadMode::SetAsideInvalid)?;
        let mut workspace = Self::with_project(loaded.project, Some(path.clone()));
        workspace.disk_stamp = store::load_with(&path, LoadMode::SetAsideInvalid)
            .ok()
            .and_then(|l| l.stamp);
        workspace.migrated_from = loaded.migrated_from;
        workspace.set_aside = loaded.set_aside;
        workspace.mark_structure_changed();
        workspace.read_all_documents();
        Ok(workspace)
    }
}
