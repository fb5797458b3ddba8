//! Adding article files off the UI thread: a job reads, decodes, extracts and indexes them
//! on any thread, reporting progress and stopping when cancelled; the workspace then adds
//! what was read, on its own thread. [`Workspace::add_document`] is the same steps in a row.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{AddDocumentError, DocumentState, LoadedText, Workspace, absolute, empty_warning};
use crate::ingest::{self, Article, IngestError};
use crate::model::{DocText, Document, DocumentId, Progress};

/// Article files to read, with their progress and Cancel.
pub struct ReadJob {
    locations: Vec<PathBuf>,
    progress: Arc<Progress>,
    /// The password to open the file with (an encrypted PDF).
    password: Option<String>,
}

/// One file read, or why not.
struct Read {
    location: PathBuf,
    result: Result<(Article, DocText), IngestError>,
}

/// What a [`ReadJob`] read, for [`Workspace::finish_read`].
pub struct ReadOutcome {
    read: Vec<Read>,
}

impl ReadJob {
    /// Shared with whoever shows the progress or cancels.
    pub fn progress(&self) -> Arc<Progress> {
        Arc::clone(&self.progress)
    }

    /// The files to read.
    pub fn locations(&self) -> &[PathBuf] {
        &self.locations
    }

    /// Reads every file in turn; once cancelled, the rest are not read.
    pub fn run(self) -> ReadOutcome {
        let progress = &*self.progress;
        let sizes: Vec<u64> = self
            .locations
            .iter()
            .map(|l| std::fs::metadata(l).map_or(0, |m| m.len()))
            .collect();
        // Reading, decoding and extracting, then indexing the text.
        progress.set_total(sizes.iter().map(|&s| ingest::progress_units(s) + s).sum());
        let read = self
            .locations
            .into_iter()
            .zip(sizes)
            .map(|(location, size)| {
                let read = match &self.password {
                    Some(password) => {
                        ingest::read_article_with_password(&location, password, progress)
                    }
                    None => ingest::read_article_with(&location, None, progress),
                };
                let result = read.and_then(|mut article| {
                    let text = DocText::new(std::mem::take(&mut article.text));
                    progress.advance(size);
                    if progress.is_cancelled() {
                        return Err(IngestError::Cancelled {
                            path: location.clone(),
                        });
                    }
                    Ok((article, text))
                });
                Read { location, result }
            })
            .collect();
        ReadOutcome { read }
    }
}

impl ReadOutcome {
    /// True if the job was cancelled before it read everything.
    pub fn cancelled(&self) -> bool {
        self.read
            .iter()
            .any(|r| matches!(r.result, Err(IngestError::Cancelled { .. })))
    }
}

impl Workspace {
    /// The documents among `paths` that the project already has, and a job reading the
    /// others (none if there are none).
    pub fn read_job(&self, paths: &[PathBuf]) -> (Vec<DocumentId>, Option<ReadJob>) {
        let mut known = Vec::new();
        let mut locations: Vec<PathBuf> = Vec::new();
        for path in paths {
            let location = absolute(path);
            if let Some(id) = self.document_at(&location) {
                known.push(id);
            } else if !locations.contains(&location) {
                locations.push(location);
            }
        }
        let job = (!locations.is_empty()).then(|| ReadJob {
            locations,
            progress: Arc::new(Progress::new()),
            password: None,
        });
        (known, job)
    }

    /// A job reading the file at `path` (a PDF that needs a password) with `password`.
    pub fn read_job_with_password(&self, path: &Path, password: &str) -> ReadJob {
        ReadJob {
            locations: vec![absolute(path)],
            progress: Arc::new(Progress::new()),
            password: Some(password.to_owned()),
        }
    }

    /// Adds what a [`ReadJob`] read, in its order: each file's document (the one already
    /// there if the file was added meanwhile), or why it could not be read. Nothing of a
    /// cancelled job is added.
    pub fn finish_read(
        &mut self,
        outcome: ReadOutcome,
    ) -> Vec<Result<DocumentId, AddDocumentError>> {
        let cancelled = outcome.cancelled();
        outcome
            .read
            .into_iter()
            .map(|Read { location, result }| {
                if cancelled {
                    return Err(IngestError::Cancelled { path: location }.into());
                }
                let (article, text) = result?;
                Ok(self.insert_read(&location, article, text))
            })
            .collect()
    }

    /// The document the file at `location` (absolute) is recorded as, if any.
    fn document_at(&self, location: &Path) -> Option<DocumentId> {
        let recorded = self.recorded_path(location);
        self.project
            .documents()
            .iter()
            .find(|d| d.path == recorded)
            .map(|d| d.id)
    }

    fn insert_read(&mut self, location: &Path, article: Article, text: DocText) -> DocumentId {
        if let Some(id) = self.document_at(location) {
            return id;
        }
        let note = article.note.clone();
        let id = self.project.add_document(Document {
            id: DocumentId::default(),
            path: self.recorded_path(location),
            sha256: article.sha256,
            format: article.format,
            encoding: article.encoding,
            encoding_chosen: false,
            char_len: text.char_len(),
            metadata: article.metadata,
            status: crate::model::DocumentStatus::default(),
            assigned: Vec::new(),
            pages: article.pages,
            extractor: article.extractor,
        });
        let warning = match (empty_warning(&text, location), note) {
            (Some(empty), Some(note)) => Some(format!("{empty}\n{note}")),
            (one, other) => one.or(other),
        };
        self.texts.insert(
            id,
            DocumentState::Loaded(Box::new(LoadedText {
                text: text.into(),
                warning,
                quotes: std::sync::OnceLock::new(),
            })),
        );
        self.mark_structure_changed();
        id
    }

    /// Adds the article at `path` to the project (or finds it if already there) and returns
    /// its id.
    pub fn add_document(&mut self, path: &Path) -> Result<DocumentId, AddDocumentError> {
        let (known, job) = self.read_job(&[path.to_owned()]);
        match (known.first(), job) {
            (Some(&id), _) => Ok(id),
            (None, Some(job)) => {
                let outcome = job.run();
                self.finish_read(outcome)
                    .pop()
                    .unwrap_or_else(|| unreachable_read(path))
            }
            (None, None) => unreachable_read(path),
        }
    }
}

/// A job over one file reads one file; kept as an error rather than a panic.
fn unreachable_read(path: &Path) -> Result<DocumentId, AddDocumentError> {
    Err(IngestError::Io {
        path: path.to_owned(),
        source: std::io::Error::other("the file was not read"),
    }
    .into())
}
