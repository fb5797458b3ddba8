//! Saving and exporting off the UI thread. The workspace hands out a job holding a snapshot
//! of what it needs (a clone of the project: annotations and texts are shared, so it costs
//! pointers, not copies), the job runs on any thread, and its outcome comes back to the
//! workspace. Edits made meanwhile are kept and stay unsaved. The synchronous `save` and
//! `save_as` are the same steps in a row.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::Workspace;
use crate::formats::{
    self, AnnotationSet, ExportError, ExportOptions, Fidelity, Format, Selection,
};
use crate::model::{DocText, DocumentId, Progress, Project};
use crate::store::{self, DiskStamp, Expect, ProjectLock, StoreError};

/// A save ready to run: the project as it was when asked, and where it goes.
pub struct SaveJob {
    project: Project,
    path: PathBuf,
    /// Keep the file's original first (it was written by an older version).
    keep_original: Option<u32>,
    /// The edit history's state and the structure's generation the snapshot is of.
    state: u64,
    structure_generation: u64,
    /// A "save as": the project moves to `path`.
    new_path: bool,
    /// What the file on disk must still be when it is replaced.
    expect: Expect,
    /// The project's lock, when the workspace holds it (else the save takes it).
    lock: Option<Arc<ProjectLock>>,
}

/// What became of a save, for [`Workspace::finish_save`].
pub struct SaveOutcome {
    path: PathBuf,
    state: u64,
    structure_generation: u64,
    new_path: bool,
    result: Result<DiskStamp, StoreError>,
}

impl SaveJob {
    /// Where the project is being saved.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes the file (atomically; the previous one kept as `.bak`), counting in
    /// `progress`; once it is cancelled, stops and leaves the file as it was.
    pub fn run(self, progress: &Progress) -> SaveOutcome {
        let result = self
            .keep_original
            .map_or(Ok(()), |version| {
                store::keep_original(&self.path, version).map(drop)
            })
            .and_then(|()| {
                store::save_checked(
                    &self.project,
                    &self.path,
                    progress,
                    &self.expect,
                    self.lock.as_deref(),
                )
            });
        SaveOutcome {
            path: self.path,
            state: self.state,
            structure_generation: self.structure_generation,
            new_path: self.new_path,
            result,
        }
    }
}

impl SaveOutcome {
    /// Where the project was (or was not) saved.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the file was written, for a save whose workspace is gone.
    pub fn into_result(self) -> Result<(), StoreError> {
        self.result.map(drop)
    }
}

impl Workspace {
    /// A save of the project to its file. Refused when it has no file yet, or (unless
    /// `overwrite`) when another program changed the file since it was read or written.
    pub fn save_job(&self, overwrite: bool) -> Result<SaveJob, StoreError> {
        let Some(path) = self.path.clone() else {
            return Err(StoreError::Write {
                path: PathBuf::from(&self.project.name),
                source: std::io::Error::other("the project has no file yet; use Save As"),
            });
        };
        if !overwrite && self.changed_on_disk() {
            return Err(StoreError::ChangedOnDisk { path });
        }
        let mut job = self.job(self.project.clone(), path, self.migrated_from, false);
        // Checked again under the project's lock right before the file is replaced: another
        // program may save between now and then.
        job.expect = match (&self.disk_stamp, overwrite) {
            (_, true) => Expect::Anything,
            (Some(stamp), false) => Expect::Stamp(stamp.clone()),
            (None, false) => Expect::Absent,
        };
        Ok(job)
    }

    /// A save to `path`, which becomes the project's file: document paths are written
    /// relative to its folder.
    pub fn save_as_job(&self, path: &Path) -> SaveJob {
        let path = super::absolute(path);
        let mut project = self.project.clone();
        self.move_to(&mut project, &path);
        self.job(project, path, None, true)
    }

    fn job(
        &self,
        project: Project,
        path: PathBuf,
        keep_original: Option<u32>,
        new_path: bool,
    ) -> SaveJob {
        SaveJob {
            project,
            path,
            keep_original,
            state: self.history.state(),
            structure_generation: self.structure_generation,
            new_path,
            expect: Expect::Anything,
            lock: self.lock.clone(),
        }
    }

    /// Rewrites `project` for a file at `path`: document paths relative to its folder, and
    /// an untitled project named after the file.
    fn move_to(&self, project: &mut Project, path: &Path) {
        let new_dir = path.parent().map(Path::to_owned);
        let moved: Vec<_> = self
            .project
            .documents()
            .iter()
            .map(|document| {
                let location = self.document_location(document);
                let mut moved = document.clone();
                moved.path = match &new_dir {
                    Some(dir) => store::relative_path(dir, &location),
                    None => location.to_string_lossy().into_owned(),
                };
                moved
            })
            .collect();
        for document in moved {
            project.update_document(document);
        }
        if self.path.is_none() {
            project.name = super::project_name_of(path);
        }
    }

    /// Takes a finished save back: the file is the project's, the state it saved is the
    /// saved state (edits made since stay unsaved). A failed save changes nothing.
    pub fn finish_save(&mut self, outcome: SaveOutcome) -> Result<(), StoreError> {
        let stamp = outcome.result?;
        if outcome.new_path {
            // The current project (edits made during the save included) moves too.
            let mut project = self.project.clone();
            self.move_to(&mut project, &outcome.path);
            self.project = project;
            if self.path.as_deref() != Some(outcome.path.as_path()) {
                self.discard_recovery();
            }
            self.path = Some(outcome.path);
        }
        self.disk_stamp = Some(stamp);
        self.migrated_from = None;
        self.set_aside.clear();
        self.merged.clear();
        self.saved_state = outcome.state;
        if self.structure_generation == outcome.structure_generation {
            self.structure_changed = false;
        }
        self.history.seal();
        if !self.is_dirty() {
            self.discard_recovery();
        }
        Ok(())
    }

    /// Refuses an export onto a file the project lives in: the project file, its backups,
    /// recovery, lock or temporary files, or one of its documents' sources (compared as
    /// the same file on disk, whatever the path's spelling or links).
    pub fn check_export_target(&self, out: &Path) -> Result<(), ExportError> {
        let refuse = |what: String| {
            Err(ExportError::Protected {
                path: out.to_owned(),
                what,
            })
        };
        let target = Place::of(out);
        if let Some(project) = &self.path {
            let folder = Place::of(project.parent().unwrap_or(Path::new(".")));
            let name = project.file_name().unwrap_or_default().to_string_lossy();
            if target.is(&Place::of(project)) {
                return refuse("the project file".to_owned());
            }
            if target.folder_is(&folder)
                && let Some(rest) = target.name.strip_prefix(&*name)
                && is_kept_suffix(rest)
            {
                return refuse(format!("a file the project keeps ({name}{rest})"));
            }
        }
        if let Some(recovery) = self.recovery_file()
            && target.is(&Place::of(&recovery))
        {
            return refuse("the project's recovery file".to_owned());
        }
        for document in self.project.documents() {
            if target.is(&Place::of(&self.document_location(document))) {
                return refuse(format!("the source of the document {}", document.path));
            }
        }
        Ok(())
    }

    /// An export of the annotations `selection` chooses; refused onto the project's own
    /// files (see [`Self::check_export_target`]).
    pub fn export_job(
        &self,
        selection: Selection,
        format: Format,
        options: ExportOptions,
        out: PathBuf,
    ) -> Result<ExportJob, ExportError> {
        self.check_export_target(&out)?;
        let texts = self
            .project
            .documents()
            .iter()
            .filter_map(|d| Some((d.id, self.shared_text(d.id)?)))
            .collect();
        Ok(ExportJob {
            project: self.project.clone(),
            texts,
            selection,
            format,
            options,
            out,
        })
    }
}

/// True if `NAME.ron` + `rest` is a file the store keeps beside the project file: its
/// backups (`.bak`, `.vN.bak`, `.old-bak-PID`), recovery, lock or temporary files.
fn is_kept_suffix(rest: &str) -> bool {
    matches!(rest, ".bak" | ".recovery" | ".lock")
        || rest.starts_with(".tmp-")
        || rest.starts_with(".old-bak-")
        || rest
            .strip_prefix(".v")
            .and_then(|version| version.strip_suffix(".bak"))
            .is_some_and(|version| version.bytes().all(|b| b.is_ascii_digit()))
}

/// Where a path leads on disk, to tell whether two spellings are one file: the folder
/// resolved (links and `..` followed), the name, and the file's identity if it exists.
struct Place {
    folder: PathBuf,
    name: String,
    #[cfg(unix)]
    id: Option<(u64, u64)>,
}

impl Place {
    fn of(path: &Path) -> Self {
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
        // A link to a file counts as that file.
        let resolved = std::fs::canonicalize(&absolute).unwrap_or(absolute);
        let folder = resolved.parent().map_or_else(PathBuf::new, |folder| {
            std::fs::canonicalize(folder).unwrap_or_else(|_| folder.to_owned())
        });
        Self {
            folder,
            name: resolved
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned(),
            #[cfg(unix)]
            id: std::fs::metadata(&resolved).ok().map(|meta| {
                use std::os::unix::fs::MetadataExt;
                (meta.dev(), meta.ino())
            }),
        }
    }

    /// True if both are the same file (a hard link to it included).
    fn is(&self, other: &Self) -> bool {
        #[cfg(unix)]
        if let (Some(a), Some(b)) = (self.id, other.id) {
            return a == b;
        }
        self.folder == other.folder && self.name == other.name
    }

    /// True if this path is in the folder `folder` is (`folder` being a folder's place).
    fn folder_is(&self, folder: &Self) -> bool {
        let whole = if folder.name.is_empty() {
            folder.folder.clone()
        } else {
            folder.folder.join(&folder.name)
        };
        self.folder == whole
    }
}

/// An export ready to run on any thread.
pub struct ExportJob {
    project: Project,
    texts: HashMap<DocumentId, Arc<DocText>>,
    selection: Selection,
    format: Format,
    options: ExportOptions,
    out: PathBuf,
}

impl ExportJob {
    /// Where the export goes.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Writes the export, or nothing if `progress` is cancelled before it is complete.
    pub fn run(&self, progress: &Progress) -> Result<Fidelity, ExportError> {
        let set = AnnotationSet::new(
            &self.project,
            |id| self.texts.get(&id).map(|t| &**t),
            &self.selection,
        )
        .with_progress(progress);
        formats::export_unless_cancelled(&set, self.format, self.options, &self.out, progress)
    }
}
