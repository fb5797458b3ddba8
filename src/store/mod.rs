//! The RON project file: its versioned layout, atomic saving, and loading with errors that
//! give line, column and path.
//!
//! The file is written by hand-assembling RON so that it stays readable in `git diff`:
//! one document and one annotation per line, annotations in a stable order (document,
//! start, id). Every part is still plain RON that the derived deserializer reads back.

mod atomic;
mod lines;
mod lock;
pub mod merge;
mod paths;
mod streamed;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::model::{
    Annotation, AnnotationId, Document, DocumentId, Edit, Entity, Orphan, Project, Schema,
};

pub use atomic::{replace_file, write_atomically};
pub use lock::{ProjectLock, SAVE_PATIENCE, lock_path};
pub use paths::{relative_path, resolve_document_path};
pub use streamed::TextsFor;

/// Document texts, by document, that annotations read from a project file may point at
/// instead of holding copies of their words (see [`crate::model::Excerpt`]).
pub type SharedTexts = std::collections::HashMap<DocumentId, Arc<crate::model::DocText>>;

/// The version this build writes. Older versions are migrated on load; newer ones refused.
pub const FORMAT_VERSION: u32 = 8;
/// True for paths that name a project file (`.ron`).
pub fn is_project_path(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
}

/// The oldest version this build still reads (and migrates).
pub const OLDEST_VERSION: u32 = 1;

/// The project file as serialized.
#[derive(Debug, Serialize, Deserialize)]
struct ProjectFile {
    version: u32,
    name: String,
    /// The analysts' memo on the project (since version 8; written only when any).
    #[serde(default)]
    memo: String,
    /// The document last viewed (before version 7; since then kept per analyst outside
    /// the project, see `workspace::view_state`).
    #[serde(default)]
    last_document: Option<DocumentId>,
    schema: Schema,
    #[serde(default)]
    documents: Vec<Document>,
    /// The entity registry (since version 3).
    #[serde(default)]
    entities: Vec<Entity>,
    #[serde(default)]
    annotations: Vec<Arc<Annotation>>,
    /// Typed links between annotations (since version 3).
    #[serde(default)]
    relations: Vec<crate::model::Relation>,
    /// Annotations waiting for review (since version 2).
    #[serde(default)]
    orphans: Vec<Orphan>,
    /// Suggestions the analyst rejected (since version 6).
    #[serde(default)]
    rejected: Vec<crate::model::Rejected>,
    /// Places left out of the curated layer (since version 7; written only when any).
    #[serde(default)]
    left_out: Vec<crate::model::LeftOut>,
}

/// Only the version, read first so that a newer file is refused before its unknown layout
/// produces a confusing parse error.
#[derive(Deserialize)]
struct VersionProbe {
    version: u32,
}

/// Why a project file could not be loaded or saved. Messages end with the path.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot read the project file: {source}: {}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot save the project (the previous file is unchanged): {source}: {}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the project file is not valid RON at line {line}, column {column}: {message}: {}", path.display())]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "the project file has format version {version}, newer than this Marginalia understands ({FORMAT_VERSION}); update Marginalia to open it (the file was not changed): {}",
        path.display()
    )]
    NewerVersion { path: PathBuf, version: u32 },
    #[error("saving cancelled; the project file was not changed: {}", path.display())]
    Cancelled { path: PathBuf },
    #[error("the project file is inconsistent: {problem}: {}", path.display())]
    Invalid { path: PathBuf, problem: String },
    #[error(
        "the project file was changed by another program since it was opened; not overwritten (reload it, or save under another name): {}",
        path.display()
    )]
    ChangedOnDisk { path: PathBuf },
    #[error(
        "the project file is being saved by {holder}; not saved (the file is unchanged; try again in a moment): {}",
        path.display()
    )]
    Locked { path: PathBuf, holder: String },
}

/// Annotations written between two looks at the progress.
const PROGRESS_EVERY: usize = 1024;

/// Annotations at which serializing is split over the machine's cores.
const PARALLEL_FROM: usize = 20_000;

/// Annotations serialized in one piece: pieces are handed on in order as they are done, so
/// the first are written to the file while the rest are still being serialized.
const PIECE: usize = 4096;

/// Why the annotation lines were not all handed on.
enum Stopped {
    Cancelled,
    /// A serializing thread failed: its piece is missing.
    Lost,
    /// The receiver of the pieces failed (writing the file).
    Io(std::io::Error),
}

/// The lines of the annotations of `project` in `piece` (one annotation each), or `None`
/// once cancelled or stopped.
fn write_piece(
    project: &Project,
    piece: &[AnnotationId],
    progress: &crate::model::Progress,
    stop: &std::sync::atomic::AtomicBool,
) -> Option<String> {
    let annotations: Vec<&Annotation> = piece
        .iter()
        .filter_map(|&id| project.annotation(id))
        .collect();
    let size: usize = annotations
        .iter()
        // Room for the line: its words are about as many bytes as characters, and the
        // context at most 2 × 32 characters.
        .map(|a| 240 + 2 * a.span.len() + a.note.len())
        .sum();
    let mut out = String::with_capacity(size + size / 8);
    for group in annotations.chunks(PROGRESS_EVERY) {
        if progress.is_cancelled() || stop.load(std::sync::atomic::Ordering::Relaxed) {
            return None;
        }
        for annotation in group {
            out.push_str("        ");
            lines::write_annotation(&mut out, annotation);
            out.push_str(",\n");
        }
        progress.advance(group.len() as u64);
    }
    Some(out)
}

/// Serializes the annotation lines in pieces and hands them to `receive` in order, with the
/// number of annotations in each; a project of many annotations is serialized on every core
/// while `receive` takes the pieces already done. Counts the annotations serialized in
/// `progress` and stops once it is cancelled.
fn stream_annotations(
    project: &Project,
    progress: &crate::model::Progress,
    mut receive: impl FnMut(usize, String) -> std::io::Result<()>,
) -> Result<(), Stopped> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let stop = AtomicBool::new(false);
    let ids = project.annotation_ids_sorted();
    let pieces: Vec<&[AnnotationId]> = ids.chunks(PIECE).collect();
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    if ids.len() < PARALLEL_FROM || threads < 2 {
        for piece in pieces {
            let text = write_piece(project, piece, progress, &stop).ok_or(Stopped::Cancelled)?;
            receive(piece.len(), text).map_err(Stopped::Io)?;
        }
        return Ok(());
    }
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let (sender, done) = std::sync::mpsc::channel::<(usize, Option<String>)>();
        for _ in 0..threads.min(8) {
            let (sender, next, stop, pieces) = (sender.clone(), &next, &stop, &pieces);
            scope.spawn(move || {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(piece) = pieces.get(index) else {
                        break;
                    };
                    let text = write_piece(project, piece, progress, stop);
                    let stopped = text.is_none();
                    if sender.send((index, text)).is_err() || stopped {
                        break;
                    }
                }
            });
        }
        drop(sender);
        let mut waiting = std::collections::HashMap::new();
        let mut due = 0;
        let result = loop {
            let Some(piece) = pieces.get(due) else {
                break Ok(());
            };
            if let Some(text) = waiting.remove(&due) {
                if let Err(error) = receive(piece.len(), text) {
                    break Err(Stopped::Io(error));
                }
                due += 1;
                continue;
            }
            match done.recv() {
                Ok((index, Some(text))) => {
                    waiting.insert(index, text);
                }
                Ok((_, None)) if progress.is_cancelled() => break Err(Stopped::Cancelled),
                // A piece that was not written, or every thread gone without it.
                Ok((_, None)) | Err(_) => break Err(Stopped::Lost),
            }
        };
        stop.store(true, Ordering::Relaxed);
        result
    })
}

/// Serializes `project` as the text of a project file.
pub fn to_ron(project: &Project) -> Result<String, ron::Error> {
    let mut out = head(project)?;
    stream_annotations(project, &crate::model::Progress::new(), |_, piece| {
        out.push_str(&piece);
        Ok(())
    })
    .map_err(|_| ron::Error::Message("the annotations could not be written".to_owned()))?;
    out.push_str(&tail(project)?);
    Ok(out)
}

/// The project file up to its annotation lines.
fn head(project: &Project) -> Result<String, ron::Error> {
    let mut out = String::with_capacity(4096);
    out.push_str(
        "// Marginalia project file. Spans are Unicode code points, end-exclusive: [start, end).\n(\n",
    );
    let _ = writeln!(out, "    version: {FORMAT_VERSION},");
    let _ = writeln!(out, "    name: {},", line(&project.name)?);
    if !project.memo.is_empty() {
        let _ = writeln!(out, "    memo: {},", line(&project.memo)?);
    }
    out.push_str("    schema: (\n        labels: [\n");
    for label in &project.schema.labels {
        let _ = writeln!(out, "            {},", line(label)?);
    }
    let _ = writeln!(
        out,
        "        ],\n        relation_kinds: {},",
        line(&project.schema.relation_kinds)?
    );
    out.push_str("    ),\n    documents: [\n");
    for document in project.documents() {
        let _ = writeln!(out, "        {},", line(document)?);
    }
    out.push_str("    ],\n    entities: [\n");
    for entity in project.entities() {
        let _ = writeln!(out, "        {},", line(entity)?);
    }
    out.push_str("    ],\n    annotations: [\n");
    Ok(out)
}

/// The project file after its annotation lines.
fn tail(project: &Project) -> Result<String, ron::Error> {
    let mut tail = String::from("    ],\n    relations: [\n");
    for relation in project.relations() {
        let _ = writeln!(tail, "        {},", line(relation)?);
    }
    tail.push_str("    ],\n    orphans: [\n");
    for orphan in project.orphans() {
        let _ = writeln!(tail, "        {},", line(orphan)?);
    }
    tail.push_str("    ],\n    rejected: [\n");
    for rejected in project.rejected() {
        let _ = writeln!(tail, "        {},", line(rejected)?);
    }
    tail.push_str("    ],\n");
    if project.left_out().next().is_some() {
        tail.push_str("    left_out: [\n");
        for place in project.left_out() {
            let _ = writeln!(tail, "        {},", line(place)?);
        }
        tail.push_str("    ],\n");
    }
    tail.push_str(")\n");
    Ok(tail)
}

/// How strictly to load a project file whose annotations do not all fit its documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoadMode {
    /// Refuse the whole file at the first inconsistent annotation.
    Strict,
    /// Load what is valid; put every inconsistent annotation on the review list with the
    /// reason ("open anyway"). Nothing is dropped, so saving loses nothing.
    SetAsideInvalid,
}

/// A project file as loaded.
#[derive(Debug)]
pub struct Loaded {
    pub project: Project,
    /// The older format version the file was written in, if it was migrated.
    pub migrated_from: Option<u32>,
    /// What was put on the review list instead of loaded (with [`LoadMode::SetAsideInvalid`]).
    pub set_aside: Vec<String>,
    /// What resolving git's conflict markers in the file did (see [`merge`]); empty for a
    /// file without them. The project differs from the file until it is saved.
    pub merged: Vec<String>,
    /// The file as read (set by [`load_with`]).
    pub stamp: Option<DiskStamp>,
}

/// Parses the text of a project file, refusing any inconsistency. `path` is only used in
/// messages.
pub fn from_ron(text: &str, path: &Path) -> Result<Project, StoreError> {
    parse(text, path, LoadMode::Strict).map(|loaded| loaded.project)
}

/// Parses the text of a project file. `path` is only used in messages.
pub fn parse(text: &str, path: &Path, mode: LoadMode) -> Result<Loaded, StoreError> {
    // Parse once; only when that fails (or says newer) is the version probed on its own,
    // so that a newer file is reported as newer rather than as a syntax error.
    let parsed = parse_file(text);
    if parsed.is_err()
        && let Some(merged) = merge::resolve_conflict_markers(text, path)?
    {
        // Left by a line merge: both sides merged (nothing refused, nothing lost); what was
        // done is reported, and the project counts as changed until saved.
        let mut loaded = parse(&merged.text, path, LoadMode::SetAsideInvalid)?;
        loaded.merged = merged.report;
        return Ok(loaded);
    }
    finish_parse(parsed, text, path, mode)
}

/// The text of a project file, parsed. Annotation lines in exactly the form this build
/// writes are read by a dedicated parser (ten times faster than ron's); anything else, and
/// every error, goes through ron on the whole file.
fn parse_file(text: &str) -> Result<ProjectFile, ron::error::SpannedError> {
    match lines::split_annotations(text) {
        Some((rest, annotations)) => ron::from_str::<ProjectFile>(&rest)
            .map(|mut file| {
                file.annotations = annotations;
                file
            })
            .or_else(|_| ron::from_str(text)),
        None => ron::from_str(text),
    }
}

/// Checks and builds the project `parsed` from `text` (which is read again only to report
/// an error: a newer version, or where the syntax is wrong).
fn finish_parse(
    parsed: Result<ProjectFile, ron::error::SpannedError>,
    text: &str,
    path: &Path,
    mode: LoadMode,
) -> Result<Loaded, StoreError> {
    build(checked_version(parsed, text, path)?, path, mode)
}

/// The file `parsed` from `text`, if it parsed and is of a version this build reads.
fn checked_version(
    parsed: Result<ProjectFile, ron::error::SpannedError>,
    text: &str,
    path: &Path,
) -> Result<ProjectFile, StoreError> {
    let syntax = |e: ron::error::SpannedError| StoreError::Syntax {
        path: path.to_owned(),
        line: e.span.start.line,
        column: e.span.start.col,
        message: match e.code {
            ron::Error::ExceededRecursionLimit => {
                "nested too deeply (a project file is never nested this much)".to_owned()
            }
            code => code.to_string(),
        },
    };
    let newer = |version: u32| StoreError::NewerVersion {
        path: path.to_owned(),
        version,
    };
    let invalid = |problem: String| StoreError::Invalid {
        path: path.to_owned(),
        problem,
    };
    match parsed {
        Ok(file) if file.version > FORMAT_VERSION => Err(newer(file.version)),
        Ok(file) if file.version < OLDEST_VERSION => Err(invalid(format!(
            "unknown format version {} (the first version is {OLDEST_VERSION})",
            file.version
        ))),
        Ok(file) => Ok(file),
        Err(error) => {
            if let Ok(probe) = ron::from_str::<VersionProbe>(text)
                && probe.version > FORMAT_VERSION
            {
                return Err(newer(probe.version));
            }
            Err(syntax(error))
        }
    }
}

/// Checks the parsed `file` and builds its project. `path` is only used in messages.
fn build(file: ProjectFile, path: &Path, mode: LoadMode) -> Result<Loaded, StoreError> {
    let invalid = |problem: String| StoreError::Invalid {
        path: path.to_owned(),
        problem,
    };
    // Each version only added sections and optional fields (2: the review list; 3: the
    // entity registry, quote and claim attributes, document status; 4: fragments of
    // discontinuous annotations, attributes defined per label; 5: `modified` left out
    // while it equals `created`; 6: rejected suggestions; 7: ids handed out without
    // coordination, documents in path order, `last_document` kept per analyst outside the
    // file, `changed_by`): nothing to convert (ids of older files are kept).
    let migrated_from = (file.version < FORMAT_VERSION).then_some(file.version);
    file.schema
        .validate()
        .map_err(|e| invalid(format!("schema: {e}")))?;
    check_unique(file.documents.iter().map(|d| d.id.0.into()), "document id").map_err(invalid)?;
    let mut project = Project::from_parts(
        file.name,
        file.schema,
        file.documents,
        Vec::new(),
        file.last_document,
    );
    project.memo = file.memo;
    check_unique(file.entities.iter().map(|e| e.id.0.into()), "entity id").map_err(invalid)?;
    project
        .apply(Edit::AddEntities(file.entities))
        .map_err(|e| invalid(e.to_string()))?;
    let (valid, orphans, problems) = sort_out(&project, file.annotations, file.orphans);
    if mode == LoadMode::Strict
        && let Some(first) = problems.first()
    {
        let others = match problems.len() {
            1 => String::new(),
            n => format!(" (and {} more problem(s))", n - 1),
        };
        return Err(invalid(format!("{first}{others}")));
    }
    // `sort_out` checked every annotation against the project and made the ids unique.
    project.insert_all_unchecked(valid);
    let mut problems = problems;
    add_relations(&mut project, file.relations, mode, &mut problems).map_err(invalid)?;
    project
        .apply(Edit::AddOrphans(orphans))
        .map_err(|e| invalid(e.to_string()))?;
    // Rejections of documents no longer in the project are dropped (nothing to offer there).
    let known = |r: &crate::model::Rejected| project.document(r.document).is_some();
    let rejected: Vec<_> = file.rejected.into_iter().filter(known).collect();
    project.reject(rejected);
    for place in file.left_out {
        if project.document(place.document).is_some() {
            project
                .apply(Edit::SetLeftOut(place, true))
                .map_err(|e| invalid(e.to_string()))?;
        }
    }
    if project
        .last_document
        .is_some_and(|id| project.document(id).is_none())
    {
        project.last_document = None;
    }
    Ok(Loaded {
        project,
        migrated_from,
        set_aside: problems,
        merged: Vec::new(),
        stamp: None,
    })
}

/// Splits a file's annotations into those that fit the project and those that must wait
/// for review (with the reason, also returned as problems). Ids used twice are renumbered.
fn sort_out(
    project: &Project,
    annotations: Vec<Arc<Annotation>>,
    orphans: Vec<Orphan>,
) -> (Vec<Arc<Annotation>>, Vec<Orphan>, Vec<String>) {
    let mut next_id = annotations
        .iter()
        .map(|a| a.id.0)
        .chain(orphans.iter().map(|o| o.annotation.id.0))
        .max()
        .unwrap_or(0)
        + 1;
    let mut seen = std::collections::HashSet::new();
    let mut valid = Vec::with_capacity(annotations.len());
    let mut problems = Vec::new();
    let mut set_aside = Vec::new();
    for mut annotation in annotations {
        let mut problem = None;
        if !seen.insert(annotation.id) {
            let new_id = crate::model::AnnotationId(next_id);
            next_id += 1;
            problem = Some(format!(
                "annotation id {} is used twice; the second one is now {new_id}",
                annotation.id.0
            ));
            Arc::make_mut(&mut annotation).id = new_id;
            seen.insert(new_id);
        }
        // Words read from the document were checked against it as they were read.
        let text_chars = if annotation.excerpt.is_in_document() {
            annotation.span.len()
        } else {
            annotation.text().chars().count()
        };
        if let Err(error) = project.check_annotation(&annotation) {
            problem = Some(error.to_string());
        } else if annotation.span.len() != text_chars {
            problem = Some(format!(
                "annotation {} spans {} characters but its text has {text_chars}",
                annotation.id,
                annotation.span.len()
            ));
        }
        match problem {
            None => valid.push(annotation),
            Some(reason) => {
                problems.push(reason.clone());
                set_aside.push(Orphan {
                    annotation: Arc::unwrap_or_clone(annotation),
                    reason,
                    suggestion: None,
                });
            }
        }
    }
    for mut orphan in orphans {
        if !seen.insert(orphan.annotation.id) {
            orphan.annotation.id = crate::model::AnnotationId(next_id);
            next_id += 1;
            seen.insert(orphan.annotation.id);
        }
        set_aside.push(orphan);
    }
    (valid, set_aside, problems)
}

/// Adds the file's relations; one whose end is not loaded fails a strict load, and is
/// dropped with a problem otherwise.
fn add_relations(
    project: &mut Project,
    relations: Vec<crate::model::Relation>,
    mode: LoadMode,
    problems: &mut Vec<String>,
) -> Result<(), String> {
    let (loadable, unrelated): (Vec<_>, Vec<_>) = relations
        .into_iter()
        .partition(|r| project.annotation(r.from).is_some() && project.annotation(r.to).is_some());
    for r in &unrelated {
        let problem = format!(
            "{} ({} from annotation {} to {}) links an annotation that is not loaded",
            r.id, r.kind, r.from, r.to
        );
        if mode == LoadMode::Strict {
            return Err(problem);
        }
        problems.push(format!("{problem}; the relation is dropped"));
    }
    project
        .apply(Edit::AddRelations(loadable))
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn check_unique(ids: impl Iterator<Item = u64>, what: &str) -> Result<(), String> {
    let mut seen = std::collections::HashSet::new();
    for id in ids {
        if !seen.insert(id) {
            return Err(format!("{what} {id} is used twice"));
        }
    }
    Ok(())
}

/// Reads and parses the project file at `path`, refusing any inconsistency. Changes nothing
/// on disk.
pub fn load(path: &Path) -> Result<Project, StoreError> {
    load_with(path, LoadMode::Strict).map(|loaded| loaded.project)
}

/// Project files larger than this are refused before they are read.
pub const MAX_PROJECT_BYTES: u64 = 1024 * 1024 * 1024;

/// Reads and parses the project file at `path`. Changes nothing on disk.
pub fn load_with(path: &Path, mode: LoadMode) -> Result<Loaded, StoreError> {
    load_reporting(path, mode, &crate::model::Progress::new())
}

/// [`load_with`], reporting the bytes read to `progress`. A file in the form this build
/// writes is read a block at a time (never held whole next to its annotations); any other
/// is read whole and parsed by `ron`, which also words the errors.
pub fn load_reporting(
    path: &Path,
    mode: LoadMode,
    progress: &crate::model::Progress,
) -> Result<Loaded, StoreError> {
    load_sharing(path, mode, progress, &mut |_| SharedTexts::new())
}

/// [`load_reporting`], asking `texts_for` for the documents' texts as soon as the file's
/// head (which lists the documents) has been read: annotations whose words are those of
/// their document's text then point at it instead of holding copies, so the copies are
/// never all in memory at once. `texts_for` is not called for a file read whole (another
/// form, or an error to report); [`crate::model::Project::share_words`] does the same later.
pub fn load_sharing(
    path: &Path,
    mode: LoadMode,
    progress: &crate::model::Progress,
    texts_for: TextsFor<'_>,
) -> Result<Loaded, StoreError> {
    let read_error = |source| StoreError::Read {
        path: path.to_owned(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(read_error)?;
    if meta.is_dir() {
        return Err(read_error(std::io::Error::other("this is a folder")));
    }
    if !meta.is_file() {
        // A pipe would block the reader for ever, a device never end.
        return Err(read_error(std::io::Error::other(
            "not a regular file (a device, a pipe or a socket)",
        )));
    }
    if meta.len() > MAX_PROJECT_BYTES {
        return Err(read_error(std::io::Error::other(format!(
            "the file is {} bytes, over the limit of {MAX_PROJECT_BYTES} bytes",
            meta.len()
        ))));
    }
    if let Some(streamed) = streamed::read(path, progress, texts_for)?
        && let Ok(mut file) = ron::from_str::<ProjectFile>(&streamed.rest)
    {
        file.annotations = streamed.annotations;
        let mut loaded = finish_parse(Ok(file), "", path, mode)?;
        loaded.stamp = Some(DiskStamp::with_hash(streamed.fingerprint, &meta));
        return Ok(loaded);
    }
    let bytes = read_text_bytes(path)?;
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        let (line, column) = line_column(&bytes, e.valid_up_to());
        StoreError::Syntax {
            path: path.to_owned(),
            line,
            column,
            message: "not UTF-8 text (an invalid byte); is this really a project file?".to_owned(),
        }
    })?;
    let mut loaded = parse(text, path, mode)?;
    loaded.stamp = Some(DiskStamp::with_hash(fingerprint(&bytes), &meta));
    Ok(loaded)
}

/// The bytes of the project file at `path`, read a block at a time and refused at the first
/// NUL byte (never in a text file: a damaged or foreign file), with its line and column,
/// before the rest is read.
fn read_text_bytes(path: &Path) -> Result<Vec<u8>, StoreError> {
    use std::io::Read;
    let read_error = |source| StoreError::Read {
        path: path.to_owned(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(read_error)?;
    let mut bytes = Vec::new();
    loop {
        let start = bytes.len();
        let read = (&mut file)
            .take(1 << 20)
            .read_to_end(&mut bytes)
            .map_err(read_error)?;
        if let Some(at) = memchr::memchr(0, &bytes[start..]) {
            return Err(nul_error(path, &bytes, start + at));
        }
        if read == 0 {
            return Ok(bytes);
        }
    }
}

/// The error for a NUL byte at `at` in `bytes` (the file's start).
pub(crate) fn nul_error(path: &Path, bytes: &[u8], at: usize) -> StoreError {
    let (line, column) = line_column(bytes, at);
    StoreError::Syntax {
        path: path.to_owned(),
        line,
        column,
        message: "a NUL byte: this is not a project file, or it is damaged".to_owned(),
    }
}

/// Line and column (from 1, in characters) of byte `at` of `bytes`.
fn line_column(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = &bytes[..at.min(bytes.len())];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// Writes `project` to `path` atomically: the old file stays intact unless the new one was
/// written completely (and is kept as `NAME.ron.bak`). Returns the new file's stamp.
pub fn save(project: &Project, path: &Path) -> Result<DiskStamp, StoreError> {
    save_reporting(project, path, &crate::model::Progress::new())
}

/// [`save`], counting in `progress` (the annotations serialized, then as much again for the
/// lines written) and giving up once it is cancelled: [`StoreError::Cancelled`], with the
/// file as it was. The lines are written while the rest are still being serialized.
pub fn save_reporting(
    project: &Project,
    path: &Path,
    progress: &crate::model::Progress,
) -> Result<DiskStamp, StoreError> {
    save_checked(project, path, progress, &Expect::Anything, None)
}

/// What a save expects to find at the project file's path when it replaces it: anything
/// else there was written by another program since this one read it, and is not overwritten.
#[derive(Clone, Debug, Default)]
pub enum Expect {
    /// Whatever is there (the analyst chose to overwrite, or picked the path in Save As).
    #[default]
    Anything,
    /// No file (a new project).
    Absent,
    /// The file as this program last read or wrote it.
    Stamp(DiskStamp),
}

impl Expect {
    /// True if what is at `path` now is not what was expected.
    fn is_upset(&self, path: &Path) -> bool {
        match self {
            Self::Anything => false,
            Self::Absent => std::fs::symlink_metadata(path).is_ok(),
            Self::Stamp(stamp) => stamp.changed_on_disk(path),
        }
    }
}

/// [`save_reporting`] that never overwrites a version of the file it did not expect: under
/// the project's lock (`lock`, or taken here for the last step, waiting up to
/// [`SAVE_PATIENCE`] for another program's save), the file on disk is compared with `expect`
/// right before the new one is renamed over it; if another program changed it, the error is
/// [`StoreError::ChangedOnDisk`] and the file stays as that program left it.
pub fn save_checked(
    project: &Project,
    path: &Path,
    progress: &crate::model::Progress,
    expect: &Expect,
    lock: Option<&ProjectLock>,
) -> Result<DiskStamp, StoreError> {
    let write_error = |source| StoreError::Write {
        path: path.to_owned(),
        source,
    };
    let cancelled = || StoreError::Cancelled {
        path: path.to_owned(),
    };
    let serialize_error = |e: ron::Error| write_error(std::io::Error::other(e));
    let units = project.annotation_count() as u64 + 1;
    progress.set_total(2 * units);
    let head = head(project).map_err(serialize_error)?;
    let tail = tail(project).map_err(serialize_error)?;
    let mut file = atomic::Replacement::create(path).map_err(write_error)?;
    // The stamp's fingerprint is taken from what is written, as it is written.
    let mut hash = Fingerprinter::new();
    let mut write = |bytes: &[u8]| {
        if progress.is_cancelled() {
            return Err(atomic::cancelled());
        }
        hash.update(bytes);
        file.write_all(bytes)
    };
    let streamed = write(head.as_bytes())
        .map_err(Stopped::Io)
        .and_then(|()| {
            stream_annotations(project, progress, |count, piece| {
                write(piece.as_bytes())?;
                progress.advance(count as u64);
                Ok(())
            })
        })
        .and_then(|()| write(tail.as_bytes()).map_err(Stopped::Io));
    let is_cancelled =
        |e: &std::io::Error| e.kind() == std::io::ErrorKind::Interrupted && progress.is_cancelled();
    match streamed {
        Ok(()) => {}
        Err(Stopped::Cancelled) => return Err(cancelled()),
        Err(Stopped::Io(e)) if is_cancelled(&e) => return Err(cancelled()),
        Err(Stopped::Io(e)) => return Err(write_error(e)),
        Err(Stopped::Lost) => {
            return Err(write_error(std::io::Error::other(
                "the annotations could not be written",
            )));
        }
    }
    progress.advance(1);
    // From the last look at the file to its replacement, no other Marginalia writes it.
    let taken = match lock {
        Some(ours) if ours.is_for(path) => None,
        _ => Some(ProjectLock::acquire(
            path,
            SAVE_PATIENCE,
            "another Marginalia",
        )?),
    };
    if expect.is_upset(path) {
        return Err(StoreError::ChangedOnDisk {
            path: path.to_owned(),
        });
    }
    file.commit(true, || progress.is_cancelled()).map_err(|e| {
        if is_cancelled(&e) {
            cancelled()
        } else {
            write_error(e)
        }
    })?;
    progress.advance(1);
    let meta = std::fs::metadata(path).map_err(write_error)?;
    drop(taken);
    Ok(DiskStamp::with_hash(hash.finish(), &meta))
}

/// A fingerprint of a project file's content, to tell whether it changed: XXH3 in 128 bits
/// (made for this: a 35 MB file in a few milliseconds, where SHA-256 took 40 on the saving
/// and loading threads). Never written anywhere.
type Fingerprint = u128;

/// A [`Fingerprint`] taken as the bytes go by.
struct Fingerprinter(Box<xxhash_rust::xxh3::Xxh3>);

impl Fingerprinter {
    fn new() -> Self {
        Self(Box::default())
    }

    fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    fn finish(&self) -> Fingerprint {
        self.0.digest128()
    }
}

fn fingerprint(bytes: &[u8]) -> Fingerprint {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// What a project file looked like when this process last read or wrote it, to notice when
/// another window, program or `git pull` changed it since.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiskStamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    fingerprint: Fingerprint,
}

impl DiskStamp {
    fn with_hash(fingerprint: Fingerprint, meta: &std::fs::Metadata) -> Self {
        Self {
            len: meta.len(),
            modified: meta.modified().ok(),
            fingerprint,
        }
    }

    /// The stamp of the file at `path` as it is now (its content fingerprinted, not parsed), or
    /// `None` if it cannot be read.
    pub fn of_file(path: &Path) -> Option<Self> {
        let meta = std::fs::metadata(path).ok()?;
        let bytes = std::fs::read(path).ok()?;
        Some(Self::with_hash(fingerprint(&bytes), &meta))
    }

    /// True if the file at `path` no longer has the content this stamp recorded (it was
    /// changed or replaced; a file that is gone counts as unchanged: nothing to lose).
    /// Size and time are compared first; the content only if they differ.
    pub fn changed_on_disk(&self, path: &Path) -> bool {
        let Ok(meta) = std::fs::metadata(path) else {
            return false;
        };
        if meta.len() == self.len && meta.modified().ok() == self.modified {
            return false;
        }
        std::fs::read(path).is_ok_and(|bytes| fingerprint(&bytes) != self.fingerprint)
    }
}

/// The recovery file of a project: where unsaved work is written every few seconds.
pub fn recovery_path(project: &Path) -> PathBuf {
    let mut name = project.file_name().unwrap_or_default().to_owned();
    name.push(".recovery");
    project.with_file_name(name)
}

/// Writes a recovery file (atomically, without a backup), creating its folder if needed.
pub fn write_recovery(text: &str, file: &Path) -> Result<(), StoreError> {
    let error = |source| StoreError::Write {
        path: file.to_owned(),
        source,
    };
    if let Some(folder) = file.parent()
        && !folder.as_os_str().is_empty()
    {
        std::fs::create_dir_all(folder).map_err(error)?;
    }
    replace_file(file, text.as_bytes()).map_err(error)
}

/// Before a migrated project file is first overwritten in the new format, keeps the
/// original as `NAME.ron.vN.bak` (unless such a copy exists already). Returns its path.
pub fn keep_original(path: &Path, version: u32) -> Result<PathBuf, StoreError> {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(format!(".v{version}.bak"));
    let backup = path.with_file_name(name);
    if !backup.exists() && path.exists() {
        std::fs::copy(path, &backup).map_err(|source| StoreError::Write {
            path: backup.clone(),
            source,
        })?;
    }
    Ok(backup)
}

/// One value as a single line of RON, with a space after each separator.
fn line<T: Serialize + ?Sized>(value: &T) -> Result<String, ron::Error> {
    let config = ron::ser::PrettyConfig::new()
        .new_line("")
        .indentor("")
        .separator(" ")
        .escape_strings(true)
        .compact_arrays(true)
        .compact_structs(true);
    ron::ser::to_string_pretty(value, config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AnnotationId, CharPos, DocumentId, Excerpt, LabelId, SourceFormat, Span};

    pub(crate) fn sample_project() -> Project {
        let mut project = Project::new("Sample “quoted” name");
        let id = project.add_document(Document {
            id: DocumentId::default(),
            path: "docs/a b.txt".to_owned(),
            sha256: "00".repeat(32),
            format: SourceFormat::PlainText,
            encoding: "UTF-8".to_owned(),
            encoding_chosen: false,
            char_len: 100,
            metadata: crate::model::Metadata {
                title: Some("Title with \"quotes\" and 金".to_owned()),
                ..Default::default()
            },
            status: crate::model::DocumentStatus::InProgress,
            assigned: Vec::new(),
            ..Document::default()
        });
        let hagel = project.allocate_entity_id(&LabelId("person".into()), "Chuck Hagel");
        project
            .apply(crate::model::Edit::AddEntities(vec![
                crate::model::Entity {
                    id: hagel,
                    name: "Chuck Hagel".to_owned(),
                    kind: LabelId("person".into()),
                    aliases: vec!["Hagel".to_owned(), "the \"secretary\"".to_owned()],
                    note: String::new(),
                    external_id: Some("Q311063".to_owned()),
                },
            ]))
            .expect("entity");
        let now = jiff::Timestamp::from_second(1_700_000_000).expect("timestamp");
        let annotations = [(10, 21, "person", "Chuck Hagel"), (5, 30, "claim", "x")]
            .iter()
            .map(|&(s, e, label, text)| Annotation {
                id: project.allocate_annotation_id(),
                document: id,
                label: LabelId(label.into()),
                span: Span::new(CharPos(s), CharPos(e)).expect("span"),
                fragments: Vec::new(),
                excerpt: crate::model::Excerpt::held(
                    &text.repeat(if text == "x" { 25 } else { 1 }),
                    "“pre\nfix",
                    "suf\\fix\"",
                ),
                entity: (label == "person").then_some(hagel),
                attrs: if label == "claim" {
                    crate::model::Attributes {
                        source: Some(crate::model::Source::Entity(hagel)),
                        stance: Some(crate::model::Stance::Questions),
                        credibility: crate::model::Credibility::new(3),
                        confidence: Some(crate::model::Confidence::Low),
                        ..Default::default()
                    }
                } else {
                    crate::model::Attributes::default()
                },
                note: if label == "claim" {
                    "a note".to_owned()
                } else {
                    String::new()
                },
                author: String::new(),
                changed_by: String::new(),
                created: now,
                modified: now,
            })
            .collect();
        project
            .apply(crate::model::Edit::Insert(annotations))
            .expect("insert");
        project
    }

    /// The sample project with `count` more annotations, long enough for its file to span
    /// several of the streamed reader's blocks.
    fn big_sample(count: u64) -> Project {
        let mut project = sample_project();
        let document = project.documents()[0].id;
        let now = jiff::Timestamp::from_second(1_700_000_000).expect("timestamp");
        let more = (0..count)
            .map(|i| {
                let start = usize::try_from(i % 90).expect("small");
                Annotation {
                    id: project.allocate_annotation_id(),
                    document,
                    label: LabelId(if i % 3 == 0 { "claim" } else { "person" }.into()),
                    span: Span::new(CharPos(start), CharPos(start + 7)).expect("span"),
                    fragments: Vec::new(),
                    // Seven characters, with escapes.
                    excerpt: crate::model::Excerpt::held(
                        &format!("\"q{:04}\"", i % 10_000),
                        &"before\nthe line ".repeat(3),
                        &"after it, 金 ".repeat(3),
                    ),
                    entity: None,
                    attrs: crate::model::Attributes::default(),
                    note: String::new(),
                    author: "analyst".to_owned(),
                    changed_by: String::new(),
                    created: now,
                    modified: now,
                }
            })
            .collect();
        project
            .apply(crate::model::Edit::Insert(more))
            .expect("insert");
        project
    }

    #[test]
    fn a_big_file_read_a_block_at_a_time_equals_the_whole_file_parse() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("big.ron");
        let project = big_sample(30_000);
        // Saved in pieces serialized on several threads, written (and handed to the disk)
        // as they come: the same bytes as the text written in one go, counted to the end.
        let saving = crate::model::Progress::new();
        let saved = save_reporting(&project, &path, &saving).expect("save");
        assert_eq!(saving.fraction(), Some(1.0));
        let bytes = std::fs::read(&path).expect("read");
        assert!(bytes.len() > 3 * 2 * 1024 * 1024, "{} bytes", bytes.len());
        assert_eq!(bytes, to_ron(&project).expect("serialize").into_bytes());
        assert_eq!(Some(saved), DiskStamp::of_file(&path));
        let progress = crate::model::Progress::new();
        progress.set_total(bytes.len() as u64);
        let streamed = load_reporting(&path, LoadMode::Strict, &progress).expect("load");
        assert_eq!(progress.fraction(), Some(1.0));
        assert_eq!(streamed.project, project);
        let whole = parse(
            std::str::from_utf8(&bytes).expect("utf-8"),
            &path,
            LoadMode::Strict,
        )
        .expect("parse");
        assert_eq!(streamed.project, whole.project);
        let stamp = streamed.stamp.expect("stamp");
        assert_eq!(stamp.fingerprint, fingerprint(&bytes));

        // A line edited by hand into another form is read by ron on its own, with the same
        // result.
        let text = String::from_utf8(bytes).expect("utf-8");
        let edited = text.replacen("label: \"person\"", "label:   \"person\"", 1);
        assert_ne!(edited, text);
        std::fs::write(&path, &edited).expect("write");
        assert_eq!(load(&path).expect("load edited"), project);
        // A file cut short in the middle of its annotation lines is refused, not half read.
        std::fs::write(&path, &text.as_bytes()[..text.len() / 2]).expect("write");
        assert!(matches!(
            load(&path),
            Err(StoreError::Syntax { .. } | StoreError::Read { .. })
        ));
    }

    #[test]
    fn round_trip_equals_original() {
        let project = sample_project();
        let text = to_ron(&project).expect("serialize");
        let loaded = from_ron(&text, Path::new("p.ron")).expect("parse");
        assert_eq!(loaded, project);
        // Stable order: by document, then start: the claim (start 5) comes first.
        let claim = text.find("label: \"claim\"").expect("claim line");
        let person = text.find("label: \"person\"").expect("person line");
        assert!(claim < person, "{text}");
        // One annotation per line, readable UTF-8.
        assert_eq!(text.lines().filter(|l| l.contains("span: (")).count(), 2);
        assert!(text.contains("“quoted”"), "{text}");
    }

    #[test]
    fn the_fast_annotation_writer_matches_ron() {
        let mut project = sample_project();
        let mut tricky = project.annotations_sorted()[0].clone();
        tricky.id = crate::model::AnnotationId(99);
        tricky.note = "e\u{301} \\ \" ' \t \r 金 🇰🇷 \u{200d} \u{0}".to_owned();
        tricky.author = "analyst".to_owned();
        project
            .apply(crate::model::Edit::Insert(vec![tricky]))
            .expect("insert");
        for annotation in project.annotations_sorted() {
            let mut fast = String::new();
            lines::write_annotation(&mut fast, annotation);
            assert_eq!(fast, line(annotation).expect("ron"));
        }
    }

    #[test]
    fn syntax_errors_give_line_column_and_path() {
        let mut text = to_ron(&sample_project()).expect("serialize");
        text.truncate(text.len() / 2);
        let error = from_ron(&text, Path::new("/x/p.ron")).expect_err("truncated");
        let message = error.to_string();
        assert!(
            matches!(error, StoreError::Syntax { line, .. } if line > 1),
            "{message}"
        );
        assert!(message.ends_with("/x/p.ron"), "{message}");
    }

    #[test]
    fn newer_versions_are_refused() {
        let text = to_ron(&sample_project()).expect("serialize").replace(
            &format!("version: {FORMAT_VERSION},"),
            "version: 99, future_field: (),",
        );
        let error = from_ron(&text, Path::new("p.ron")).expect_err("newer");
        assert!(matches!(
            error,
            StoreError::NewerVersion { version: 99, .. }
        ));
    }

    #[test]
    fn inconsistent_files_are_refused_with_the_offending_annotation() {
        let project = sample_project();
        let ids: Vec<AnnotationId> = project.annotations().map(|a| a.id).collect();
        let first = project
            .annotations()
            .find(|a| a.span.start().0 == 10)
            .expect("annotation at 10")
            .id;
        let text = to_ron(&project).expect("serialize");
        let out_of_range = text.replace("span: (10, 21)", "span: (10, 210)");
        let message = from_ron(&out_of_range, Path::new("p.ron"))
            .expect_err("out of range")
            .to_string();
        assert!(
            message.contains(&format!("annotation {first}")),
            "{message}"
        );
        assert!(message.contains("past the end"), "{message}");

        let unknown_label = text.replace("label: \"person\"", "label: \"weapon\"");
        let message = from_ron(&unknown_label, Path::new("p.ron"))
            .expect_err("unknown label")
            .to_string();
        assert!(message.contains("\"weapon\""), "{message}");

        let duplicate = text.replace(
            &format!("(id: {},", ids[1].0),
            &format!("(id: {},", ids[0].0),
        );
        let message = from_ron(&duplicate, Path::new("p.ron"))
            .expect_err("duplicate")
            .to_string();
        assert!(
            message.contains(&format!("annotation id {} is used twice", ids[0].0)),
            "{message}"
        );
        let _ = AnnotationId(0);
    }

    /// Big enough that annotations are written and read on several threads.
    #[test]
    fn large_projects_round_trip_through_the_parallel_paths() {
        let mut project = sample_project();
        let template = project.annotations_sorted()[0].clone();
        let document = project.documents()[0].id;
        let mut big = project.documents()[0].clone();
        big.char_len = 10_000_000;
        project.update_document(big);
        let annotations: Vec<Annotation> = (0..25_000_usize)
            .map(|i| {
                let mut a = template.clone();
                a.id = AnnotationId(1000 + i as u64);
                a.document = document;
                a.span = Span::between(CharPos(i * 7), CharPos(i * 7 + 25));
                a.excerpt = Excerpt::held(
                    template.text(),
                    &format!("“{i}” context before the passage, long enough"),
                    &format!("and after it — number {i}, with more words here"),
                );
                a
            })
            .collect();
        project
            .apply(crate::model::Edit::Insert(annotations))
            .expect("insert");
        let text = to_ron(&project).expect("serialize");
        assert!(text.len() > 4 * 1024 * 1024, "{} bytes", text.len());
        assert!(
            lines::split_annotations(&text).is_some(),
            "the fast path reads it"
        );
        assert_eq!(from_ron(&text, Path::new("p.ron")).expect("parse"), project);
        // Annotations stay in file order across the chunks.
        let starts: Vec<usize> = text
            .lines()
            .filter_map(|l| l.split("span: (").nth(1))
            .filter_map(|rest| rest.split(',').next()?.parse().ok())
            .collect();
        assert!(starts.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn save_then_load_from_disk() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("p.ron");
        let project = sample_project();
        save(&project, &path).expect("save");
        assert_eq!(load(&path).expect("load"), project);
    }
}
