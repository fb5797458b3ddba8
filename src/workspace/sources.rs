//! Reading documents' sources, and what to do when they changed, moved or were decoded
//! wrongly: re-anchoring, "Locate…", choosing the encoding, and the review list of
//! annotations that lost their place.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};

use super::{DocumentState, LoadedText, Workspace, absolute};
use crate::ingest;
use crate::model::{
    AnnotationId, Coalesce, DocText, Document, DocumentId, Edit, EditError, History, Metadata,
    Orphan, Span, anchor,
};

impl Workspace {
    /// Reads every document's source (those in `read`, read while the project file was,
    /// are taken as they are), counting their characters in `progress`.
    pub(super) fn read_all_documents(
        &mut self,
        mut read: EarlyReads,
        progress: &crate::model::Progress,
    ) {
        let ids: Vec<DocumentId> = self.project.documents().iter().map(|d| d.id).collect();
        for id in ids {
            let early = read.remove(&id);
            let counted = early.is_some();
            let result = match early {
                Some((location, source)) => source.and_then(|s| self.fit_source(id, &location, s)),
                None => self.read_source(id, None),
            };
            self.texts.insert(id, result.into());
            if !counted {
                let characters = self.project.document(id).map_or(0, |d| d.char_len);
                progress.advance(characters as u64);
            }
        }
    }

    /// Reads the source of document `id` (from `location`, or where the project says it
    /// is) and fits its annotations to the text read: re-anchored if the source changed.
    pub(super) fn read_source(
        &mut self,
        id: DocumentId,
        location: Option<&Path>,
    ) -> Result<LoadedText, String> {
        self.read_source_opened(id, location, None)
    }

    fn read_source_opened(
        &mut self,
        id: DocumentId,
        location: Option<&Path>,
        password: Option<&str>,
    ) -> Result<LoadedText, String> {
        let document = self
            .project
            .document(id)
            .ok_or_else(|| format!("{id} is not in the project"))?;
        let location = location.map_or_else(|| self.document_location(document), Path::to_owned);
        let source = match password {
            None => read_source_file(document, &location)?,
            Some(password) => {
                let progress = crate::model::Progress::new();
                let article = ingest::read_article_with_password(&location, password, &progress)
                    .map_err(|e| e.to_string())?;
                SourceRead::from(article)
            }
        };
        self.fit_source(id, &location, source)
    }

    /// Reads the source of document `id` (a PDF that needs a password) with `password`;
    /// annotations are re-anchored if its text differs. The password is not kept: the
    /// next session asks again. On failure nothing changes and the reason is returned.
    pub fn unlock(&mut self, id: DocumentId, password: &str) -> Result<(), String> {
        let loaded = self.read_source_opened(id, None, Some(password))?;
        self.texts
            .insert(id, DocumentState::Loaded(Box::new(loaded)));
        self.mark_structure_changed();
        Ok(())
    }

    /// Fits the annotations of document `id` to its source as read from `location`:
    /// re-anchored if the source changed.
    fn fit_source(
        &mut self,
        id: DocumentId,
        location: &Path,
        article: SourceRead,
    ) -> Result<LoadedText, String> {
        // A changed source clears the history: an undo or redo under way ends first, so
        // that no step is left half done with nothing to finish it.
        self.history
            .finish_replay(&mut self.project)
            .map_err(|e| format!("the change being undone or redone could not end: {e}"))?;
        let document = self
            .project
            .document(id)
            .ok_or_else(|| format!("{id} is not in the project"))?
            .clone();
        let text = article.text;
        let article_sha_same = article.sha256 == document.sha256;
        let same_source = article_sha_same && text.char_len() == document.char_len;
        let unchanged = same_source
            && self
                .project
                .annotations_of_iter(id)
                .all(|a| a.excerpt.is_in(&text) || text.slice(a.span) == Some(a.text()));
        let mut record = document.clone();
        record.sha256 = article.sha256;
        record.char_len = text.char_len();
        record.encoding = article.encoding;
        record.pages = article.pages;
        let extractor_before = std::mem::replace(&mut record.extractor, article.extractor);
        if record.metadata.title.is_none() {
            // What the file says, and the analyst's own note as it was.
            let note = record.metadata.note.take();
            record.metadata = Metadata {
                note,
                ..article.metadata
            };
        }
        if unchanged {
            if record.pages != document.pages || record.extractor != document.extractor {
                // Pages found by this version (or a project written before they were kept).
                self.project.update_document(record);
            }
            // Annotations read with copies of their words read them from the text instead.
            self.project.share_words(id, &text);
            let warning = super::empty_warning(&text, location);
            return Ok(LoadedText {
                text,
                warning,
                quotes: std::sync::OnceLock::new(),
            });
        }
        let result = anchor::reanchor_document(&self.project, id, &text);
        let detached: Vec<AnnotationId> = result.orphans.iter().map(|o| o.annotation.id).collect();
        let record_extractor = record.extractor.clone();
        // The new text replaces the old one: earlier undo steps refer to the old offsets.
        self.history = History::default();
        self.saved_state = 0;
        self.project.update_document(record);
        let edit = Edit::Batch(vec![
            Edit::Remove(detached),
            Edit::AddOrphans(result.orphans.clone()),
            Edit::Replace(result.moved.clone()),
        ]);
        if let Err(error) = self.project.apply(edit) {
            // Cannot happen (every span was found in this text); keep the old record so
            // nothing is lost, and say so.
            self.project.update_document(document);
            return Err(format!(
                "the source changed and its annotations could not be re-anchored ({error}): {}",
                location.display()
            ));
        }
        self.mark_structure_changed();
        // The file is the one annotated, yet annotations do not match it: their words were
        // changed in the project file (by hand, a merge), not the source.
        let what = if article_sha_same && extractor_before != record_extractor {
            format!(
                "the file was read by a newer extractor ({} → {}) and its text changed",
                extractor_before.as_deref().unwrap_or("an older version"),
                record_extractor.as_deref().unwrap_or("this version")
            )
        } else if same_source {
            "the source is unchanged, but some annotations did not hold its words (was the \
             project file edited?)"
                .to_owned()
        } else {
            "the source changed since it was annotated".to_owned()
        };
        Ok(LoadedText {
            text,
            quotes: std::sync::OnceLock::new(),
            warning: Some(format!(
                "{what}: {}: {}",
                result.summary(),
                location.display()
            )),
        })
    }

    /// Points document `id` at the file at `location` (found again after it moved) and
    /// reads it; its annotations are re-anchored if the text differs. On failure nothing
    /// changes and the reason is returned.
    pub fn locate(&mut self, id: DocumentId, location: &Path) -> Result<(), String> {
        let location = absolute(location);
        let mut record = self
            .project
            .document(id)
            .ok_or_else(|| format!("{id} is not in the project"))?
            .clone();
        let loaded = self.read_source(id, Some(&location))?;
        if let Some(updated) = self.project.document(id) {
            record.clone_from(updated);
        }
        record.path = self.recorded_path(&location);
        self.project.update_document(record);
        self.texts
            .insert(id, DocumentState::Loaded(Box::new(loaded)));
        self.mark_structure_changed();
        Ok(())
    }

    /// Reads document `id` again with the encoding `label` (e.g. `"windows-1251"`) instead
    /// of the detected one, and remembers the choice. Annotations are re-anchored if the
    /// text changes. On failure nothing changes.
    pub fn set_encoding(&mut self, id: DocumentId, label: &str) -> Result<(), String> {
        let old = self
            .project
            .document(id)
            .ok_or_else(|| format!("{id} is not in the project"))?
            .clone();
        let mut chosen = old.clone();
        label.clone_into(&mut chosen.encoding);
        chosen.encoding_chosen = true;
        self.project.update_document(chosen);
        match self.read_source(id, None) {
            Ok(loaded) => {
                self.texts
                    .insert(id, DocumentState::Loaded(Box::new(loaded)));
                self.mark_structure_changed();
                Ok(())
            }
            Err(reason) => {
                self.project.update_document(old);
                Err(reason)
            }
        }
    }

    /// Attaches an annotation from the review list to `span` of its document (one undo
    /// step): it becomes a normal annotation with the text found there.
    pub fn attach_orphan(&mut self, id: AnnotationId, span: Span) -> Result<(), EditError> {
        let orphan = self
            .project
            .orphan(id)
            .ok_or(EditError::MissingOrphan(id))?;
        let document = orphan.annotation.document;
        let text = self.text_holding(id, document, span)?;
        let mut annotation = orphan.annotation.clone();
        if annotation.is_discontinuous() && text.slice(span) == Some(annotation.text()) {
            // The same passage elsewhere: the fragments keep their gaps.
            annotation.move_to(span);
        } else {
            // A different passage: the analyst chose its extent, so it is one piece now.
            annotation.fragments.clear();
            annotation.span = span;
        }
        annotation.excerpt = crate::model::Excerpt::in_document(text);
        annotation.touch(&self.analyst);
        self.apply(
            Edit::Batch(vec![
                Edit::RemoveOrphans(vec![id]),
                Edit::Insert(vec![annotation]),
            ]),
            Coalesce::No,
        )
    }

    /// Removes annotations from the review list for good (one undo step).
    pub fn discard_orphans(&mut self, ids: Vec<AnnotationId>) -> Result<(), EditError> {
        self.apply(Edit::RemoveOrphans(ids), Coalesce::No)
    }

    /// The annotations of `document` waiting for review.
    pub fn orphans_of(&self, document: DocumentId) -> Vec<&Orphan> {
        self.project.orphans_of(document).collect()
    }
}

/// One document whose source is still to be read by a [`SourcesReading`].
struct Pending {
    id: DocumentId,
    /// The encoding the analyst chose for it, if any.
    encoding: Option<String>,
    location: PathBuf,
}

/// The sources of a lazily opened project being read on threads of their own, the
/// document wanted first at the front ([`Self::prefer`]). Dropping it stops the reading
/// after the documents under way.
pub struct SourcesReading {
    queue: Arc<Mutex<VecDeque<Pending>>>,
    done: Receiver<SourceDone>,
    total: usize,
    taken: usize,
    /// Every reading thread ended.
    stopped: bool,
}

/// A source read by a [`SourcesReading`], for [`Workspace::take_source`].
pub struct SourceDone {
    id: DocumentId,
    location: PathBuf,
    source: Result<SourceRead, String>,
}

impl SourcesReading {
    /// Reads `id`'s source next (the analyst is waiting for it).
    pub fn prefer(&self, id: DocumentId) {
        let mut queue = self
            .queue
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(at) = queue.iter().position(|p| p.id == id)
            && let Some(pending) = queue.remove(at)
        {
            queue.push_front(pending);
        }
    }

    /// The sources read since last asked (at most `limit`).
    pub fn take(&mut self, limit: usize) -> Vec<SourceDone> {
        let mut done = Vec::new();
        while done.len() < limit {
            match self.done.try_recv() {
                Ok(read) => done.push(read),
                Err(std::sync::mpsc::TryRecvError::Empty) => break,
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    self.stopped = true;
                    break;
                }
            }
        }
        self.taken += done.len();
        done
    }

    /// How many sources were taken, of how many.
    pub fn progress(&self) -> (usize, usize) {
        (self.taken, self.total)
    }

    /// True once every source was taken, or every reading thread ended and all they read
    /// was taken (one panicked: the documents it did not read stay unread).
    pub fn is_done(&self) -> bool {
        self.taken >= self.total || self.stopped
    }

    /// True if the reading threads ended before every source was read (one failed).
    pub fn failed(&self) -> bool {
        self.stopped && self.taken < self.total
    }
}

impl Drop for SourcesReading {
    fn drop(&mut self) {
        self.queue
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clear();
    }
}

impl Workspace {
    /// Starts reading, on `threads` threads, every source not read yet (the document
    /// `first` first); `on_read` is called on the reading thread after each one (to wake
    /// the window). `None` if every source is read.
    pub fn read_sources(
        &self,
        first: Option<DocumentId>,
        threads: usize,
        on_read: impl Fn() + Send + Sync + 'static,
    ) -> Option<SourcesReading> {
        let mut queue: VecDeque<Pending> = self
            .project
            .documents()
            .iter()
            .filter(|d| matches!(self.texts.get(&d.id), Some(DocumentState::NotRead)))
            .map(|d| Pending {
                id: d.id,
                encoding: d.encoding_chosen.then(|| d.encoding.clone()),
                location: self.document_location(d),
            })
            .collect();
        if queue.is_empty() {
            return None;
        }
        if let Some(at) = first.and_then(|f| queue.iter().position(|p| p.id == f))
            && let Some(pending) = queue.remove(at)
        {
            queue.push_front(pending);
        }
        let total = queue.len();
        let queue = Arc::new(Mutex::new(queue));
        let (send, done) = std::sync::mpsc::channel();
        let on_read = Arc::new(on_read);
        // Only the threads hold senders: when they all end, the channel says so.
        for _ in 0..threads.clamp(1, total) {
            let queue = Arc::clone(&queue);
            let send = send.clone();
            let on_read = Arc::clone(&on_read);
            std::thread::spawn(move || {
                loop {
                    let next = queue
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .pop_front();
                    let Some(Pending {
                        id,
                        encoding,
                        location,
                    }) = next
                    else {
                        break;
                    };
                    let source = read_source_as(&location, encoding.as_deref());
                    if send
                        .send(SourceDone {
                            id,
                            location,
                            source,
                        })
                        .is_err()
                    {
                        break;
                    }
                    on_read();
                }
            });
        }
        Some(SourcesReading {
            queue,
            done,
            total,
            taken: 0,
            stopped: false,
        })
    }

    /// Takes a source a [`SourcesReading`] read: the document's annotations are fitted to
    /// it (re-anchored if it changed, as when a project opens). Returns what the analyst
    /// must be told (the source is missing or changed), if anything. A document read
    /// meanwhile another way (located, re-read with another encoding) is left as it is.
    pub fn take_source(&mut self, done: SourceDone) -> Option<String> {
        let SourceDone {
            id,
            location,
            source,
        } = done;
        // Read meanwhile another way, or removed from the project (an undo brings it back
        // unread, to be read again).
        if !matches!(self.texts.get(&id), Some(DocumentState::NotRead))
            || self.project.document(id).is_none()
        {
            return None;
        }
        let read = source.and_then(|s| self.fit_source(id, &location, s));
        let problem = match &read {
            Ok(loaded) => loaded.warning.clone(),
            Err(reason) => Some(reason.clone()),
        };
        self.texts.insert(id, read.into());
        self.texts_read += 1;
        problem
    }

    /// Documents whose reading ended without their text (a reading thread failed): they
    /// become unavailable, saying so, instead of being waited for; their annotations are
    /// kept. Returns what the analyst must be told.
    pub fn give_up_unread(&mut self) -> Vec<String> {
        let mut told = Vec::new();
        for document in self.project.documents() {
            if matches!(self.texts.get(&document.id), Some(DocumentState::NotRead)) {
                let reason = format!(
                    "its text could not be read; its annotations are kept (File > Locate document… reads it again): {}",
                    self.document_location(document).display()
                );
                told.push(reason.clone());
                self.texts
                    .insert(document.id, DocumentState::Unavailable(reason));
            }
        }
        told
    }

    /// How many documents' sources are not read yet (see [`Self::open_lazily`]).
    pub fn unread(&self) -> usize {
        self.project
            .documents()
            .iter()
            .filter(|d| matches!(self.texts.get(&d.id), Some(DocumentState::NotRead)))
            .count()
    }

    /// A number that changes whenever a source read lazily arrives (for views that show
    /// texts of many documents).
    pub fn texts_read(&self) -> u64 {
        self.texts_read
    }
}

/// A document's source as read: its text and what its record takes from the file.
pub(super) struct SourceRead {
    text: Arc<DocText>,
    sha256: String,
    encoding: String,
    metadata: Metadata,
    pages: Vec<usize>,
    extractor: Option<String>,
}

impl SourceRead {
    /// The text, shared.
    pub(super) fn text(&self) -> Arc<DocText> {
        Arc::clone(&self.text)
    }
}

/// Sources read while the project file was read, by document: where from, and the text or
/// why it could not be read.
pub(super) type EarlyReads = HashMap<DocumentId, (PathBuf, Result<SourceRead, String>)>;

/// Reads the source of `document` at `location`, with the encoding the analyst chose for it
/// if any. The error, in words, ends with the file.
pub(super) fn read_source_file(document: &Document, location: &Path) -> Result<SourceRead, String> {
    let encoding = document
        .encoding_chosen
        .then_some(document.encoding.as_str());
    read_source_as(location, encoding)
}

/// Reads the source at `location` with `encoding` (else the one detected). The error, in
/// words, ends with the file.
fn read_source_as(location: &Path, encoding: Option<&str>) -> Result<SourceRead, String> {
    let article = ingest::read_article_as(location, encoding).map_err(|e| {
        if location.exists() {
            e.to_string()
        } else {
            format!(
                "the source file is missing; its annotations are kept (use Locate… to find it): {}",
                location.display()
            )
        }
    })?;
    Ok(SourceRead::from(article))
}

impl From<ingest::Article> for SourceRead {
    fn from(article: ingest::Article) -> Self {
        Self {
            text: Arc::new(DocText::new(article.text)),
            sha256: article.sha256,
            encoding: article.encoding,
            metadata: article.metadata,
            pages: article.pages,
            extractor: article.extractor,
        }
    }
}
