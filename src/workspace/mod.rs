//! [`Workspace`]: an open project with its documents' texts, its undo history and where it
//! is saved. Every action of the analyst is a method here, so everything the GUI does can
//! be done (and tested) without a window.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;

use crate::ingest::IngestError;
use crate::model::{
    Annotation, AnnotationId, CharPos, Coalesce, DocText, Document, DocumentId, Edit, EditError,
    History, LabelId, Project, Replay, Span,
};
use crate::store::{self, DiskStamp, LoadMode, StoreError};

mod agreement;
pub mod analyst;
mod curation;
mod custom;
mod entities;
mod find;
mod fragments;
mod history_log;
mod import;
mod jobs;
mod reading;
mod recovery;
mod schema;
mod sources;
mod suggestions;
mod sync;
pub mod view_state;
pub use suggestions::SpeakerProposal;

pub use agreement::{AgreementJob, AgreementRequestError};
pub use custom::AttributeError;
pub use entities::EntityError;
pub use find::{FindError, FindJob, FindQuery, Found, Hit, MAX_HITS, PreparedTags, TagJob};
pub use history_log::{HistoryError, HistoryJob, Step as HistoryStep};
pub use import::{ImportError, ImportReport};
pub use jobs::{ExportJob, SaveJob, SaveOutcome};
pub use reading::{ReadJob, ReadOutcome};
pub use recovery::default_recovery_dir;
pub use schema::SchemaChangeError;
pub use sources::{SourceDone, SourcesReading};
pub use sync::{SyncError, SyncJob, Synced};

/// A document's text as read from its file, or why it could not be read.
#[derive(Debug)]
pub enum DocumentState {
    Loaded(Box<LoadedText>),
    /// The source could not be read or no longer matches; its annotations are kept.
    Unavailable(String),
    /// Not read yet: the project was opened lazily ([`Workspace::open_lazily`]) and a
    /// [`SourcesReading`] is reading it.
    NotRead,
}

/// A document's text, loaded and indexed.
#[derive(Debug)]
pub struct LoadedText {
    /// Shared with a background save or export that is reading it.
    pub text: std::sync::Arc<DocText>,
    /// A warning about the source (changed since it was annotated), if any.
    pub warning: Option<String>,
    /// The text's quotations and reported speech, found once when first asked for (the
    /// text never changes while it is loaded; reading it again makes a new one).
    pub quotes: std::sync::OnceLock<Vec<crate::suggest::QuoteSpan>>,
}

impl From<Result<LoadedText, String>> for DocumentState {
    /// A source read and fitted, or why it could not be.
    fn from(read: Result<LoadedText, String>) -> Self {
        match read {
            Ok(loaded) => Self::Loaded(Box::new(loaded)),
            Err(reason) => Self::Unavailable(reason),
        }
    }
}

/// An open project.
#[derive(Debug)]
pub struct Workspace {
    project: Project,
    /// The project file; `None` for a project never saved.
    path: Option<PathBuf>,
    texts: HashMap<DocumentId, DocumentState>,
    history: History,
    saved_state: u64,
    /// Documents added or re-read, or the last-viewed document changed, since the last save.
    structure_changed: bool,
    /// Counts structural changes (for [`Self::generation`]).
    structure_generation: u64,
    /// The older format version the file was read in, until a save has kept the original.
    migrated_from: Option<u32>,
    /// The project file as last read or written, to notice changes by others.
    disk_stamp: Option<DiskStamp>,
    /// Annotations the project file held that could not be loaded ("open anyway"); they wait
    /// on the review list.
    set_aside: Vec<String>,
    /// What resolving git's conflict markers in the project file did, until it is saved.
    merged: Vec<String>,
    /// Where the recovery file of an untitled project goes.
    recovery_dir: Option<PathBuf>,
    /// The project file's lock, while this workspace holds it (a command-line command,
    /// from reading the file to saving it); saves without it take it for their last step.
    lock: Option<Arc<store::ProjectLock>>,
    /// Who is working: each annotation made or changed records them (see [`analyst`]).
    analyst: String,
    /// Sources read lazily so far (see [`Self::texts_read`]).
    texts_read: u64,
}

/// Unsaved work found in a recovery file, as offered for restoring.
#[derive(Debug, Clone)]
pub struct Recovery {
    /// The recovery file.
    pub path: PathBuf,
    /// The project file it belongs to; `None` for an untitled project.
    pub project: Option<PathBuf>,
    /// When it was written.
    pub written: Option<Timestamp>,
    /// When the project file was last saved, if it exists.
    pub saved: Option<Timestamp>,
    /// Annotations in the recovery file.
    pub annotations: usize,
    /// Annotations in the project file, if it could be read.
    pub saved_annotations: Option<usize>,
}

/// Why a document could not be added.
#[derive(Debug, thiserror::Error)]
pub enum AddDocumentError {
    #[error(transparent)]
    Ingest(#[from] IngestError),
}

impl Default for Workspace {
    fn default() -> Self {
        Self::untitled()
    }
}

impl Workspace {
    /// A new, empty project that has no file yet.
    pub fn untitled() -> Self {
        Self::with_project(Project::new("Untitled"), None)
    }

    /// A new, empty project to be saved at `path` (which does not exist yet).
    pub fn new_at(path: &Path) -> Self {
        let name = project_name_of(path);
        let mut workspace = Self::with_project(Project::new(name), Some(absolute(path)));
        workspace.mark_structure_changed();
        workspace
    }

    fn with_project(project: Project, path: Option<PathBuf>) -> Self {
        let analyst = analyst::analyst_for(path.as_deref());
        Self {
            project,
            path,
            texts: HashMap::new(),
            history: History::default(),
            saved_state: 0,
            structure_changed: false,
            structure_generation: 0,
            migrated_from: None,
            disk_stamp: None,
            set_aside: Vec::new(),
            merged: Vec::new(),
            recovery_dir: None,
            lock: None,
            analyst,
            texts_read: 0,
        }
    }

    /// Who is working (git's `user.name` for a project in a git work tree, else the
    /// operating-system user; see [`analyst`]).
    pub fn analyst(&self) -> &str {
        &self.analyst
    }

    /// Names the analyst (`--author` on the command line, or changed in the app): what
    /// annotations made or changed from now on record.
    pub fn set_analyst(&mut self, name: &str) {
        name.trim().clone_into(&mut self.analyst);
    }

    /// Opens the project file at `path` and reads its documents. A document that cannot be
    /// read stays in the project, with its annotations, as unavailable; one whose source
    /// changed is re-anchored (see [`Self::problems`]). Refuses an inconsistent file.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Self::open_with(path, LoadMode::Strict)
    }

    /// Like [`Self::open`]; with [`LoadMode::SetAsideInvalid`], annotations that do not fit
    /// are put on the review list instead of refusing the file ("open anyway").
    pub fn open_with(path: &Path, mode: LoadMode) -> Result<Self, StoreError> {
        Self::open_reporting(path, mode, &crate::model::Progress::new())
    }

    /// [`Self::open_with`], reporting to `progress` the bytes of the project file (twice:
    /// read, then built into the project) and the characters of each document read (for opening on a worker while the window shows a
    /// progress bar).
    pub fn open_reporting(
        path: &Path,
        mode: LoadMode,
        progress: &crate::model::Progress,
    ) -> Result<Self, StoreError> {
        Self::open_reading(path, mode, progress, true)
    }

    /// Like [`Self::open_reporting`], but of the documents' sources only the one shown
    /// first ([`Self::first_shown`]) is read: the others are [`DocumentState::NotRead`]
    /// until a [`SourcesReading`] (see [`Self::read_sources`]) brings them, so that a
    /// project of thousands of articles shows its list at once.
    pub fn open_lazily(
        path: &Path,
        mode: LoadMode,
        progress: &crate::model::Progress,
    ) -> Result<Self, StoreError> {
        let mut workspace = Self::open_reading(path, mode, progress, false)?;
        if let Some(first) = workspace.first_shown() {
            let characters = workspace.project.document(first).map_or(0, |d| d.char_len);
            progress.add_total(characters as u64);
            let state = workspace.read_source(first, None).into();
            workspace.texts.insert(first, state);
            progress.advance(characters as u64);
        }
        Ok(workspace)
    }

    /// The document to show when the project opens: the last one viewed, else the first.
    pub fn first_shown(&self) -> Option<DocumentId> {
        self.project
            .last_document
            .filter(|id| self.project.document(*id).is_some())
            .or_else(|| self.project.documents().first().map(|d| d.id))
    }

    fn open_reading(
        path: &Path,
        mode: LoadMode,
        progress: &crate::model::Progress,
        read_sources: bool,
    ) -> Result<Self, StoreError> {
        let path = absolute(path);
        // Reading the file counts its bytes; building the project from it as much again.
        let bytes = std::fs::metadata(&path).map_or(1, |m| m.len());
        progress.set_total(2 * bytes);
        // The documents' sources are read as soon as the file's head lists them, so that
        // the annotations read after it point at their texts instead of copying them;
        // their characters are counted as they are read.
        let mut early = sources::EarlyReads::new();
        let dir = path.parent().map(Path::to_owned);
        let loaded = store::load_sharing(&path, mode, progress, &mut |documents| {
            let mut texts = store::SharedTexts::new();
            if !read_sources {
                return texts;
            }
            progress.add_total(documents.iter().map(|d| d.char_len as u64).sum());
            // Web pages take milliseconds each to reduce to their text: the documents are
            // read in runs side by side, one per core.
            let read = |run: &[crate::model::Document]| {
                let mut out = Vec::with_capacity(run.len());
                for document in run {
                    if progress.is_cancelled() {
                        break;
                    }
                    let location = store::resolve_document_path(dir.as_deref(), &document.path);
                    let source = sources::read_source_file(document, &location);
                    progress.advance(document.char_len as u64);
                    out.push((document.id, location, source));
                }
                out
            };
            let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
            let run = documents.len().div_ceil(cores.min(8)).max(1);
            let read_runs: Vec<_> = if documents.len() < 2 * cores {
                vec![read(documents)]
            } else {
                std::thread::scope(|scope| {
                    let workers: Vec<_> = documents
                        .chunks(run)
                        .map(|chunk| scope.spawn(|| read(chunk)))
                        .collect();
                    workers
                        .into_iter()
                        .map(|w| w.join().unwrap_or_default())
                        .collect()
                })
            };
            for (id, location, source) in read_runs.into_iter().flatten() {
                if let Ok(source) = &source {
                    texts.insert(id, source.text());
                }
                early.insert(id, (location, source));
            }
            texts
        })?;
        if progress.is_cancelled() {
            return Err(StoreError::Read {
                path,
                source: std::io::Error::new(std::io::ErrorKind::Interrupted, "opening cancelled"),
            });
        }
        progress.advance(bytes);
        let characters = loaded
            .project
            .documents()
            .iter()
            .filter(|d| read_sources && !early.contains_key(&d.id))
            .map(|d| d.char_len as u64);
        progress.add_total(characters.sum());
        let mut workspace = Self::with_project(loaded.project, Some(path));
        workspace.migrated_from = loaded.migrated_from;
        workspace.disk_stamp = loaded.stamp;
        workspace.structure_changed = !loaded.set_aside.is_empty() || !loaded.merged.is_empty();
        workspace.set_aside = loaded.set_aside;
        workspace.merged = loaded.merged;
        if workspace.project.last_document.is_none() {
            workspace.project.last_document = view_state::last_document(&workspace.path)
                .filter(|&id| workspace.project.document(id).is_some());
        }
        if read_sources {
            workspace.read_all_documents(early, progress);
        } else {
            for document in workspace.project.documents() {
                workspace.texts.insert(document.id, DocumentState::NotRead);
            }
        }
        Ok(workspace)
    }

    pub fn project(&self) -> &Project {
        &self.project
    }

    /// Every problem with the project's documents: unreadable or changed sources (their
    /// annotations are kept), each message ending with the file.
    pub fn problems(&self) -> Vec<String> {
        let set_aside = self.set_aside.iter().map(|p| {
            let file = self.path.as_deref().unwrap_or(Path::new("")).display();
            format!("{p}; it waits on the review list: {file}")
        });
        self.merged
            .iter()
            .cloned()
            .chain(set_aside)
            .chain(
                self.project
                    .documents()
                    .iter()
                    .filter_map(|d| match self.texts.get(&d.id)? {
                        DocumentState::Unavailable(reason) => Some(reason.clone()),
                        DocumentState::Loaded(loaded) => loaded.warning.clone(),
                        DocumentState::NotRead => None,
                    }),
            )
            .collect()
    }

    /// The project file, if the project has one.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Where a document's source file is.
    pub fn document_location(&self, document: &Document) -> PathBuf {
        store::resolve_document_path(self.project_dir(), &document.path)
    }

    fn project_dir(&self) -> Option<&Path> {
        self.path.as_deref().and_then(Path::parent)
    }

    /// The loaded text of a document, if available.
    pub fn text(&self, id: DocumentId) -> Option<&DocText> {
        match self.texts.get(&id)? {
            DocumentState::Loaded(loaded) => Some(&*loaded.text),
            DocumentState::Unavailable(_) | DocumentState::NotRead => None,
        }
    }

    /// The loaded text of a document, shared (for a job on another thread).
    /// The loaded text of `document`, shared, if it holds `span` (for annotation `id`, which
    /// the error names).
    fn text_holding(
        &self,
        id: AnnotationId,
        document: DocumentId,
        span: Span,
    ) -> Result<std::sync::Arc<DocText>, EditError> {
        let text = self
            .shared_text(document)
            .ok_or(EditError::MissingDocument { id, document })?;
        if text.slice(span).is_none() {
            return Err(EditError::OutOfRange {
                id,
                span,
                char_len: text.char_len(),
            });
        }
        Ok(text)
    }

    pub fn shared_text(&self, id: DocumentId) -> Option<std::sync::Arc<DocText>> {
        match self.texts.get(&id)? {
            DocumentState::Loaded(loaded) => Some(std::sync::Arc::clone(&loaded.text)),
            DocumentState::Unavailable(_) | DocumentState::NotRead => None,
        }
    }

    pub fn document_state(&self, id: DocumentId) -> Option<&DocumentState> {
        self.texts.get(&id)
    }

    /// How the project file records `location`: relative to the project file, or absolute
    /// while the project has no file.
    fn recorded_path(&self, location: &Path) -> String {
        match self.project_dir() {
            Some(dir) => store::relative_path(dir, location),
            None => location.to_string_lossy().into_owned(),
        }
    }

    /// Remembers the document the analyst is viewing, to reopen it next time.
    /// Where the analyst was reading document `id` when they last left it (this analyst's,
    /// kept outside the project file), if known and inside its text.
    pub fn reading_position(&self, id: DocumentId) -> Option<CharPos> {
        let at = view_state::reading_position(&self.path, id)?;
        (at.0 < self.text(id)?.char_len()).then_some(at)
    }

    /// The annotation the analyst had selected when they last left this project, if it is
    /// still there.
    pub fn remembered_selection(&self) -> Option<AnnotationId> {
        view_state::selection(&self.path).filter(|id| self.project.annotation(*id).is_some())
    }

    /// Remembers where the analyst is reading (a document and the place, if known) and
    /// the annotation selected, for the next time the project is opened.
    pub fn remember_place(
        &self,
        reading: Option<(DocumentId, CharPos)>,
        selected: Option<AnnotationId>,
    ) {
        view_state::remember_place(&self.path, reading, selected);
    }

    pub fn set_last_document(&mut self, id: DocumentId) {
        // Viewing is not an edit: it is kept for this analyst outside the project file (a
        // team shares that file), at once.
        if self.project.last_document != Some(id) {
            self.project.last_document = Some(id);
            view_state::remember_last_document(&self.path, id);
        }
    }

    /// The annotations chosen by `selection`, with their documents' texts, for an export.
    pub fn annotation_set(
        &self,
        selection: &crate::formats::Selection,
    ) -> crate::formats::AnnotationSet<'_> {
        crate::formats::AnnotationSet::new(&self.project, |id| self.text(id), selection)
    }

    /// Tags `span` of `document` with `label` as one undo step; returns the new id. An
    /// entity mention whose text names exactly one entity of that kind is linked to it.
    pub fn annotate(
        &mut self,
        document: DocumentId,
        span: Span,
        label: &LabelId,
    ) -> Result<AnnotationId, EditError> {
        let text = self.text_holding(AnnotationId::default(), document, span)?;
        let now = Timestamp::now();
        let id = self.project.allocate_annotation_id();
        let entity = self.unambiguous_entity(text.slice(span).unwrap_or_default(), label);
        let annotation = Annotation {
            id,
            document,
            label: label.clone(),
            span,
            fragments: Vec::new(),
            excerpt: crate::model::Excerpt::in_document(text),
            entity,
            attrs: crate::model::Attributes::default(),
            note: String::new(),
            author: self.analyst.clone(),
            changed_by: String::new(),
            created: now,
            modified: now,
        };
        let insert = Edit::Insert(vec![annotation]);
        // The first annotation of a document not yet begun starts it (one undo step).
        let to_do = self
            .project
            .document(document)
            .is_some_and(|d| d.status == crate::model::DocumentStatus::ToDo);
        let edit = if to_do {
            Edit::Batch(vec![
                insert,
                Edit::SetStatus(document, crate::model::DocumentStatus::InProgress),
            ])
        } else {
            insert
        };
        self.apply(edit, Coalesce::No)?;
        Ok(id)
    }

    /// Removes annotations as one undo step.
    pub fn remove(&mut self, ids: Vec<AnnotationId>) -> Result<(), EditError> {
        self.apply(Edit::Remove(ids), Coalesce::No)
    }

    /// Changes the label of an annotation.
    pub fn relabel(&mut self, id: AnnotationId, label: &LabelId) -> Result<(), EditError> {
        self.update(id, Coalesce::No, |a| a.label.clone_from(label))
    }

    /// Sets the note of an annotation; consecutive calls for the same annotation merge into
    /// one undo step (typing).
    pub fn set_note(&mut self, id: AnnotationId, note: &str) -> Result<(), EditError> {
        self.update(id, Coalesce::Note(id), |a| note.clone_into(&mut a.note))
    }

    /// Changes one annotation with `change` as an undo step; nothing if it changes nothing.
    fn update(
        &mut self,
        id: AnnotationId,
        coalesce: Coalesce,
        change: impl FnOnce(&mut Annotation),
    ) -> Result<(), EditError> {
        let old = self
            .project
            .annotation(id)
            .ok_or(EditError::MissingAnnotation(id))?;
        let mut annotation = old.clone();
        change(&mut annotation);
        if &annotation == old {
            return Ok(());
        }
        annotation.touch(&self.analyst);
        self.apply(Edit::Replace(vec![annotation]), coalesce)
    }

    /// Applies any edit as one undo step.
    pub fn apply(&mut self, edit: Edit, coalesce: Coalesce) -> Result<(), EditError> {
        self.history.apply(&mut self.project, edit, coalesce)
    }

    /// Ends merging of note edits, so the next one is its own undo step.
    pub fn seal_history(&mut self) {
        self.history.seal();
    }

    pub fn undo(&mut self) -> Result<bool, EditError> {
        self.history.undo(&mut self.project)
    }

    pub fn redo(&mut self) -> Result<bool, EditError> {
        self.history.redo(&mut self.project)
    }

    /// Starts undoing the last step `limit` annotations at a time (see
    /// [`History::undo_part`]); `None` if there is nothing to undo.
    pub fn undo_part(&mut self, limit: usize) -> Result<Option<Replay>, EditError> {
        self.history.undo_part(&mut self.project, limit)
    }

    /// What the next undo (`undo`) or redo would take back or do again, in words.
    pub fn describe_next(&self, undo: bool) -> Option<String> {
        self.history.describe_next(&self.project, undo)
    }

    /// Starts redoing the last undone step `limit` annotations at a time.
    pub fn redo_part(&mut self, limit: usize) -> Result<Option<Replay>, EditError> {
        self.history.redo_part(&mut self.project, limit)
    }

    /// The next part of the undo or redo under way; `None` if none is.
    pub fn continue_replay(&mut self, limit: usize) -> Result<Option<Replay>, EditError> {
        self.history.continue_replay(&mut self.project, limit)
    }

    /// Where the undo or redo under way stands, if one is.
    pub fn replaying(&self) -> Option<Replay> {
        self.history.replaying()
    }

    pub fn can_undo(&self) -> bool {
        self.history.can_undo()
    }

    pub fn can_redo(&self) -> bool {
        self.history.can_redo()
    }

    /// A number that changes whenever the annotations change (for caches).
    pub fn revision(&self) -> u64 {
        self.history.state()
    }

    /// A value that changes with every change a save would write (annotations, documents,
    /// re-reads), for autosave.
    pub fn generation(&self) -> (u64, u64) {
        (self.history.state(), self.structure_generation)
    }

    fn mark_structure_changed(&mut self) {
        self.structure_changed = true;
        self.structure_generation += 1;
    }

    /// True if there is something a save would write.
    pub fn is_dirty(&self) -> bool {
        self.structure_changed || self.history.state() != self.saved_state
    }

    /// The name to show in the title bar.
    pub fn display_name(&self) -> String {
        match &self.path {
            Some(path) => project_name_of(path),
            None => self.project.name.clone(),
        }
    }

    /// Saves to the project's file; an error if it has none yet (use [`Self::save_as`]).
    pub fn save(&mut self) -> Result<(), StoreError> {
        let job = self.save_job(false)?;
        self.finish_save(job.run(&crate::model::Progress::new()))
    }

    /// Saves to the project's file even though another program changed it since it was
    /// opened (the analyst chose to overwrite; the other version is kept as `.bak`).
    pub fn save_overwriting(&mut self) -> Result<(), StoreError> {
        let job = self.save_job(true)?;
        self.finish_save(job.run(&crate::model::Progress::new()))
    }

    /// Keeps `lock` (taken before the project file was read) until this workspace is
    /// dropped: its saves then need not wait for it, and no other program saves meanwhile.
    pub fn keep_lock(&mut self, lock: store::ProjectLock) {
        self.lock = Some(Arc::new(lock));
    }

    /// True if another program changed the project file since this workspace read or wrote
    /// it (a save would overwrite that change).
    pub fn changed_on_disk(&self) -> bool {
        match (&self.path, &self.disk_stamp) {
            (Some(path), Some(stamp)) => stamp.changed_on_disk(path),
            _ => false,
        }
    }

    /// Saves to `path` and makes it the project's file. Document paths are rewritten
    /// relative to the new folder.
    pub fn save_as(&mut self, path: &Path) -> Result<(), StoreError> {
        let job = self.save_as_job(path);
        self.finish_save(job.run(&crate::model::Progress::new()))
    }
}

/// An empty document is allowed, but the analyst is told (it is rarely what was meant).
pub(crate) fn empty_warning(text: &DocText, location: &Path) -> Option<String> {
    (text.char_len() == 0).then(|| {
        format!(
            "the document is empty; there is nothing to annotate: {}",
            location.display()
        )
    })
}

/// The project's name as derived from its file name (`foo.ron` → `foo`).
fn project_name_of(path: &Path) -> String {
    path.file_stem().map_or_else(
        || "Untitled".to_owned(),
        |s| s.to_string_lossy().into_owned(),
    )
}

/// `path` made absolute against the current directory, without resolving links.
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CharPos;

    fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().expect("tempdir");
        let article = dir.path().join("a.txt");
        std::fs::write(&article, "Secretary Chuck Hagel met “Kim” in Singapore.").expect("write");
        let project = dir.path().join("p.ron");
        (dir, article, project)
    }

    fn person() -> LabelId {
        LabelId("person".into())
    }

    #[test]
    fn unsaved_changes_follow_edits_saves_and_undo() {
        let (_dir, article, path) = setup();
        let mut workspace = Workspace::new_at(&path);
        assert!(workspace.is_dirty(), "a new project is unsaved");
        let doc = workspace.add_document(&article).expect("add");
        workspace.save().expect("save");
        assert!(!workspace.is_dirty());

        let span = Span::between(CharPos(10), CharPos(21));
        let id = workspace.annotate(doc, span, &person()).expect("annotate");
        assert!(workspace.is_dirty());
        assert_eq!(
            workspace
                .project()
                .annotation(id)
                .map(super::super::model::annotation::Annotation::text),
            Some("Chuck Hagel")
        );
        workspace.undo().expect("undo");
        assert!(!workspace.is_dirty(), "undone back to the saved state");
        workspace.redo().expect("redo");
        assert!(workspace.is_dirty());
        workspace.save().expect("save");
        assert!(!workspace.is_dirty());
    }

    #[test]
    fn note_typing_is_one_undo_step_until_sealed() {
        let (_dir, article, path) = setup();
        let mut workspace = Workspace::new_at(&path);
        let doc = workspace.add_document(&article).expect("add");
        let id = workspace
            .annotate(doc, Span::between(CharPos(10), CharPos(21)), &person())
            .expect("annotate");
        for note in ["U", "US", "US d", "US defence"] {
            workspace.set_note(id, note).expect("note");
        }
        workspace.seal_history();
        workspace
            .set_note(id, "US defence secretary")
            .expect("note");
        workspace.undo().expect("undo");
        assert_eq!(
            workspace.project().annotation(id).map(|a| a.note.as_str()),
            Some("US defence")
        );
        workspace.undo().expect("undo");
        assert_eq!(
            workspace.project().annotation(id).map(|a| a.note.as_str()),
            Some("")
        );
        workspace.undo().expect("undo");
        assert!(workspace.project().annotation(id).is_none());
    }

    #[test]
    fn adding_the_same_file_twice_gives_the_same_document() {
        let (_dir, article, path) = setup();
        let mut workspace = Workspace::new_at(&path);
        let first = workspace.add_document(&article).expect("add");
        let second = workspace.add_document(&article).expect("add again");
        assert_eq!(first, second);
        assert_eq!(workspace.project().documents().len(), 1);
    }

    #[test]
    fn missing_or_changed_sources_keep_their_annotations() {
        let (_dir, article, path) = setup();
        let mut workspace = Workspace::new_at(&path);
        let doc = workspace.add_document(&article).expect("add");
        workspace
            .annotate(doc, Span::between(CharPos(10), CharPos(21)), &person())
            .expect("annotate");
        workspace.save().expect("save");

        std::fs::write(&article, "A different text altogether, longer than before.")
            .expect("write");
        let reopened = Workspace::open(&path).expect("open");
        assert_eq!(
            reopened.project().annotation_count(),
            0,
            "not left on wrong text"
        );
        let orphans = reopened.orphans_of(doc);
        assert_eq!(orphans.len(), 1, "kept for review");
        assert_eq!(orphans[0].annotation.text(), "Chuck Hagel");
        let problems = reopened.problems();
        assert!(
            problems[0].contains("0 annotation(s) re-anchored, 1 need review"),
            "{problems:?}"
        );
        assert!(problems[0].ends_with(&article.display().to_string()));

        std::fs::remove_file(&article).expect("remove");
        // The file on disk still has the annotation (nothing was saved): a missing source
        // keeps it, shown as unavailable, with a hint to locate the file.
        let reopened = Workspace::open(&path).expect("open");
        assert_eq!(reopened.project().annotation_count(), 1);
        let Some(DocumentState::Unavailable(reason)) = reopened.document_state(doc) else {
            panic!("a missing source is not shown");
        };
        assert!(reason.contains("Locate"), "{reason}");
        assert!(reopened.text(doc).is_none());
    }

    /// Reads every source a lazily opened workspace still waits for, on this thread's
    /// helpers, and returns what the analyst would be told.
    fn read_the_rest(workspace: &mut Workspace, first: Option<DocumentId>) -> Vec<String> {
        let mut told = Vec::new();
        let Some(mut reading) = workspace.read_sources(first, 2, || ()) else {
            return told;
        };
        while !reading.is_done() {
            for done in reading.take(usize::MAX) {
                told.extend(workspace.take_source(done));
            }
            std::thread::yield_now();
        }
        told
    }

    #[test]
    fn a_lazy_open_reads_the_shown_document_and_the_others_in_the_background() {
        let (dir, article, path) = setup();
        let second = dir.path().join("b.txt");
        std::fs::write(&second, "Onodera spoke in Tokyo.").expect("write");
        let third = dir.path().join("c.txt");
        std::fs::write(&third, "Kim spoke in Seoul.").expect("write");
        let mut workspace = Workspace::new_at(&path);
        let a = workspace.add_document(&article).expect("add");
        let b = workspace.add_document(&second).expect("add");
        let c = workspace.add_document(&third).expect("add");
        workspace
            .annotate(b, Span::between(CharPos(0), CharPos(7)), &person())
            .expect("annotate");
        workspace.set_last_document(b);
        workspace.save().expect("save");

        let progress = crate::model::Progress::new();
        let mut lazy = Workspace::open_lazily(&path, LoadMode::Strict, &progress).expect("open");
        assert_eq!(lazy.first_shown(), Some(b));
        assert!(lazy.text(b).is_some(), "the document shown first is read");
        assert!(matches!(
            lazy.document_state(a),
            Some(DocumentState::NotRead)
        ));
        assert_eq!(lazy.unread(), 2);
        assert_eq!(progress.fraction(), Some(1.0));
        assert!(!lazy.is_dirty(), "reading is not a change");
        // The source of `c` changed meanwhile: it is re-anchored when it arrives, and said.
        std::fs::write(&third, "Then Kim spoke in Seoul.").expect("write");
        let before = lazy.texts_read();
        let told = read_the_rest(&mut lazy, Some(c));
        assert_eq!(lazy.unread(), 0);
        assert!(lazy.texts_read() > before);
        assert_eq!(
            lazy.text(a).map(DocText::as_str),
            Some(std::fs::read_to_string(&article).expect("read").as_str())
        );
        assert_eq!(
            lazy.text(c).map(DocText::as_str),
            Some("Then Kim spoke in Seoul.")
        );
        assert_eq!(told.len(), 1, "{told:?}");
        assert!(
            told[0].contains("changed") && told[0].ends_with("c.txt"),
            "{told:?}"
        );
        assert_eq!(lazy.project().annotation_count(), 1);
        assert!(
            read_the_rest(&mut lazy, None).is_empty(),
            "nothing is left to read"
        );

        // Reading that ended before a text came (a reader failed) is not waited for: the
        // document says so, its annotations kept.
        let mut lazy = Workspace::open_lazily(&path, LoadMode::Strict, &progress).expect("open");
        let told = lazy.give_up_unread();
        assert_eq!(told.len(), 2, "{told:?}");
        assert!(told.iter().all(|t| t.contains("Locate")), "{told:?}");
        assert_eq!(lazy.unread(), 0);
        assert!(matches!(
            lazy.document_state(a),
            Some(DocumentState::Unavailable(_))
        ));
        assert_eq!(lazy.project().annotation_count(), 1);
    }

    #[test]
    fn a_lazily_read_source_that_is_missing_or_was_located_meanwhile_keeps_its_annotations() {
        let (dir, article, path) = setup();
        let mut workspace = Workspace::new_at(&path);
        let a = workspace.add_document(&article).expect("add");
        workspace
            .annotate(a, Span::between(CharPos(10), CharPos(21)), &person())
            .expect("annotate");
        let other = dir.path().join("b.txt");
        std::fs::write(&other, "Shown first.").expect("write");
        let b = workspace.add_document(&other).expect("add");
        workspace.set_last_document(b);
        workspace.save().expect("save");
        let moved = dir.path().join("moved.txt");
        std::fs::rename(&article, &moved).expect("move");

        let progress = crate::model::Progress::new();
        let mut lazy = Workspace::open_lazily(&path, LoadMode::Strict, &progress).expect("open");
        let told = read_the_rest(&mut lazy, None);
        assert_eq!(told.len(), 1);
        assert!(told[0].contains("Locate"), "{told:?}");
        assert!(matches!(
            lazy.document_state(a),
            Some(DocumentState::Unavailable(_))
        ));
        assert_eq!(
            lazy.project().annotation_count(),
            1,
            "its annotation is kept"
        );

        // Located by the analyst before its reading arrived: the reading is not taken.
        let mut lazy = Workspace::open_lazily(&path, LoadMode::Strict, &progress).expect("open");
        let mut reading = lazy.read_sources(None, 1, || ()).expect("one to read");
        lazy.locate(a, &moved).expect("located");
        while !reading.is_done() {
            for done in reading.take(1) {
                assert_eq!(lazy.take_source(done), None, "the located text stays");
            }
            std::thread::yield_now();
        }
        assert!(
            lazy.text(a)
                .is_some_and(|t| t.as_str().contains("Chuck Hagel"))
        );
        assert_eq!(lazy.project().annotation_count(), 1);
    }

    #[test]
    fn details_of_a_document_and_the_project_memo_are_undoable_and_saved() {
        let (_dir, article, path) = setup();
        let mut workspace = Workspace::new_at(&path);
        let doc = workspace.add_document(&article).expect("add");
        let mut metadata = workspace
            .project()
            .document(doc)
            .expect("doc")
            .metadata
            .clone();
        metadata.title = Some("Hagel in Singapore".to_owned());
        metadata.note = Some("Wire copy; check the quotes.".to_owned());
        workspace
            .set_metadata(doc, metadata.clone())
            .expect("details");
        workspace.set_memo("Who pays for the radar?".to_owned());
        workspace.save().expect("save");
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains("version: 8,"), "{text}");
        assert!(text.contains("memo: \"Who pays for the radar?\""), "{text}");
        let mut reopened = Workspace::open(&path).expect("open");
        let document = reopened.project().document(doc).expect("doc");
        assert_eq!(document.metadata, metadata);
        assert_eq!(reopened.project().memo, "Who pays for the radar?");

        reopened.set_memo(String::new());
        reopened.undo().expect("undo");
        assert_eq!(reopened.project().memo, "Who pays for the radar?");
        workspace.undo().expect("undo the memo");
        workspace.undo().expect("undo the details");
        let document = workspace.project().document(doc).expect("doc");
        assert_eq!(document.metadata.note, None);
        assert_ne!(
            document.metadata.title.as_deref(),
            Some("Hagel in Singapore")
        );
    }

    #[test]
    fn save_without_a_path_is_refused_and_save_as_names_the_project() {
        let (dir, article, _) = setup();
        let mut workspace = Workspace::untitled();
        workspace.add_document(&article).expect("add");
        assert!(workspace.save().is_err());
        let path = dir.path().join("named.ron");
        workspace.save_as(&path).expect("save as");
        assert_eq!(workspace.display_name(), "named");
        assert_eq!(workspace.project().documents()[0].path, "a.txt");
        assert!(!workspace.is_dirty());
    }
}
