//! Importing annotation sets into the open project: resolve each incoming document to a
//! project document, check every span against its text, match or create labels, then
//! apply everything as one undo step. Any problem refuses the whole import, listing each
//! problem with its file and line: nothing is half-imported.

use std::fmt;
use std::path::PathBuf;

use jiff::Timestamp;

use super::Workspace;
use crate::formats::{Incoming, IncomingSet, IncomingSource, ParseError, safe_file_stem};
use crate::ingest;
use crate::model::{
    Annotation, CharPos, Coalesce, DocText, DocumentId, Edit, EditError, Label, LabelId, LabelKind,
    Rgb, Span,
};

/// Colours for labels created by an import (distinct from the default schema's).
const NEW_LABEL_COLORS: [[u8; 3]; 6] = [
    [0x7F, 0x3C, 0x8D],
    [0x11, 0xA5, 0x79],
    [0x39, 0x69, 0xAC],
    [0xE7, 0x3F, 0x74],
    [0x80, 0xBA, 0x5A],
    [0x99, 0x99, 0x99],
];

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub annotations: usize,
    pub documents: usize,
    pub documents_added: usize,
    pub labels_added: Vec<String>,
    /// W3C annotations whose position disagreed with their quote, placed by the quote.
    pub reanchored: Vec<String>,
    /// Annotations the project already had (same document, span and label), skipped.
    pub duplicates: usize,
    pub notes: Vec<String>,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Imported {} annotation(s) into {} document(s) ({} added to the project)",
            self.annotations, self.documents, self.documents_added
        )?;
        if !self.labels_added.is_empty() {
            write!(f, "; new labels: {}", self.labels_added.join(", "))?;
        }
        if self.duplicates > 0 {
            write!(f, "; {} already in the project, skipped", self.duplicates)?;
        }
        if !self.reanchored.is_empty() {
            write!(
                f,
                "; {} placed by their quote because the position did not match: {}",
                self.reanchored.len(),
                self.reanchored.join("; ")
            )?;
        }
        for note in &self.notes {
            write!(f, "; {note}")?;
        }
        Ok(())
    }
}

/// Why an import was refused. Nothing changed.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Parse(#[from] ParseError),
    #[error("nothing was imported; {} problem(s):\n{}", .0.len(), .0.join("\n"))]
    Problems(Vec<String>),
    #[error(transparent)]
    Edit(#[from] EditError),
}

/// Where an incoming document's annotations go.
enum Target {
    Existing(DocumentId),
    NewFile(PathBuf),
    NewText { name: String, text: String },
}

/// A document's planned annotations.
type Plan = (Target, Vec<Placed>);

/// One annotation checked and ready to insert.
struct Placed {
    span: Span,
    fragments: Vec<Span>,
    label: LabelId,
    note: String,
}

impl Workspace {
    /// Adds the annotations of `incoming` to the project as one undo step. With `strict`,
    /// labels the schema lacks are problems; otherwise they are added to the schema.
    pub fn import(
        &mut self,
        incoming: &IncomingSet,
        strict: bool,
    ) -> Result<ImportReport, ImportError> {
        let mut report = ImportReport {
            notes: incoming.notes.clone(),
            ..ImportReport::default()
        };
        let (plans, new_labels) = self.plan_import(incoming, strict, &mut report)?;
        let now = Timestamp::now();
        let mut annotations = Vec::new();
        for plan in plans {
            annotations.extend(self.build_annotations(plan, now, &mut report)?);
        }
        report.annotations = annotations.len();
        report.labels_added = new_labels.iter().map(|l| l.name.clone()).collect();
        let edit = Edit::Batch(vec![Edit::AddLabels(new_labels), Edit::Insert(annotations)]);
        self.apply(edit, Coalesce::No)?;
        Ok(report)
    }

    /// Checks everything without changing anything: where each document goes, where each
    /// annotation lands, which labels are new. Any problem refuses the import.
    fn plan_import(
        &self,
        incoming: &IncomingSet,
        strict: bool,
        report: &mut ImportReport,
    ) -> Result<(Vec<Plan>, Vec<Label>), ImportError> {
        let mut problems = Vec::new();
        let mut new_labels: Vec<Label> = Vec::new();
        if !strict {
            for name in &incoming.declared_labels {
                self.resolve_label(name, &mut new_labels);
            }
        }
        let mut plans = Vec::new();
        for document in &incoming.documents {
            let Some((target, text)) =
                self.resolve_document(&document.source, &document.origin, &mut problems)
            else {
                continue;
            };
            let mut placed = Vec::new();
            for annotation in &document.annotations {
                let Some(span) = place(&text, annotation, report, &mut problems) else {
                    continue;
                };
                let fragments = fragments_of(&text, annotation, span);
                let label = if strict {
                    let Some(id) = self.existing_label(&annotation.label) else {
                        problems.push(format!(
                            "unknown label {:?}: {}",
                            annotation.label, annotation.origin
                        ));
                        continue;
                    };
                    id
                } else {
                    self.resolve_label(&annotation.label, &mut new_labels)
                };
                placed.push(Placed {
                    span,
                    fragments,
                    label,
                    note: annotation.note.clone(),
                });
            }
            plans.push((target, placed));
        }
        if problems.is_empty() {
            Ok((plans, new_labels))
        } else {
            Err(ImportError::Problems(problems))
        }
    }

    /// Adds the planned document if it is new, and builds its new annotations (skipping
    /// those the project already has).
    fn build_annotations(
        &mut self,
        (target, placed): Plan,
        now: Timestamp,
        report: &mut ImportReport,
    ) -> Result<Vec<Annotation>, ImportError> {
        let added = |e: super::AddDocumentError| ImportError::Problems(vec![e.to_string()]);
        let id = match target {
            Target::Existing(id) => id,
            Target::NewFile(path) => {
                report.documents_added += 1;
                self.add_document(&path).map_err(added)?
            }
            Target::NewText { name, text } => {
                report.documents_added += 1;
                let path = self.store_imported_text(&name, &text)?;
                self.add_document(&path).map_err(added)?
            }
        };
        report.documents += 1;
        let Some(text) = self.shared_text(id) else {
            return Ok(Vec::new());
        };
        let mut present: std::collections::HashSet<(Span, LabelId)> = self
            .project
            .annotations_of(id)
            .into_iter()
            .map(|a| (a.span, a.label.clone()))
            .collect();
        let mut fresh = Vec::new();
        for p in placed {
            if !present.insert((p.span, p.label.clone())) {
                report.duplicates += 1;
                continue;
            }
            fresh.push(p);
        }
        Ok(fresh
            .into_iter()
            .map(|p| Annotation {
                id: self.project.allocate_annotation_id(),
                document: id,
                label: p.label,
                span: p.span,
                fragments: p.fragments,
                excerpt: crate::model::Excerpt::in_document(std::sync::Arc::clone(&text)),
                entity: None,
                attrs: crate::model::Attributes::default(),
                note: p.note,
                author: self.analyst.clone(),
                changed_by: String::new(),
                created: now,
                modified: now,
            })
            .collect())
    }

    /// The schema label a name from another tool means: by id, or by name ignoring case
    /// and brat's `_` for spaces.
    fn existing_label(&self, name: &str) -> Option<LabelId> {
        let spaced = name.replace('_', " ");
        self.project
            .schema
            .labels
            .iter()
            .find(|l| {
                l.id.as_str() == name
                    || l.name.eq_ignore_ascii_case(name)
                    || l.name.eq_ignore_ascii_case(&spaced)
            })
            .map(|l| l.id.clone())
    }

    /// The label for `name`, planning a new one if the schema has none.
    fn resolve_label(&self, name: &str, new_labels: &mut Vec<Label>) -> LabelId {
        if let Some(id) = self.existing_label(name) {
            return id;
        }
        let display = name.replace('_', " ");
        if let Some(planned) = new_labels
            .iter()
            .find(|l| l.name.eq_ignore_ascii_case(&display))
        {
            return planned.id.clone();
        }
        let slug: String = display
            .to_lowercase()
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { '-' })
            .collect();
        let mut id = slug.clone();
        let mut n = 2;
        while self
            .project
            .schema
            .label(&LabelId(id.as_str().into()))
            .is_some()
            || new_labels.iter().any(|l| l.id.as_str() == id)
        {
            id = format!("{slug}-{n}");
            n += 1;
        }
        let color = NEW_LABEL_COLORS[new_labels.len() % NEW_LABEL_COLORS.len()];
        new_labels.push(Label {
            id: LabelId(id.as_str().into()),
            name: display,
            kind: LabelKind::Entity,
            color: Rgb(color),
            key: None,
            attributes: Vec::new(),
        });
        LabelId(id.into())
    }

    /// Finds where an incoming document's annotations go, and its text.
    fn resolve_document(
        &self,
        source: &IncomingSource,
        origin: &str,
        problems: &mut Vec<String>,
    ) -> Option<(Target, DocText)> {
        let project = &self.project;
        match source {
            IncomingSource::File(path) => {
                let location = std::path::absolute(path).unwrap_or_else(|_| path.clone());
                let recorded = self.recorded_path(&location);
                if let Some(document) = project.documents().iter().find(|d| d.path == recorded) {
                    let Some(text) = self.text(document.id) else {
                        problems.push(format!(
                            "the project's copy of this document cannot be read: {}",
                            location.display()
                        ));
                        return None;
                    };
                    return Some((Target::Existing(document.id), text.clone()));
                }
                match ingest::read_article(&location) {
                    Ok(article) => Some((Target::NewFile(location), DocText::new(article.text))),
                    Err(e) => {
                        problems.push(e.to_string());
                        None
                    }
                }
            }
            IncomingSource::Text { name, text } => {
                if text.contains('\r') {
                    problems.push(format!("the text has CR line endings, which Marginalia normalises; offsets would shift: {origin}"));
                    return None;
                }
                if let Some(document) = project
                    .documents()
                    .iter()
                    .find(|d| self.text(d.id).is_some_and(|t| t.as_str() == text))
                {
                    return Some((Target::Existing(document.id), DocText::new(text.clone())));
                }
                if self.path.is_none() {
                    problems.push(format!("save the project first, so that imported texts can be stored beside it: {origin}"));
                    return None;
                }
                Some((
                    Target::NewText {
                        name: name.clone(),
                        text: text.clone(),
                    },
                    DocText::new(text.clone()),
                ))
            }
            IncomingSource::Reference { sha256, url } => {
                let found = project.documents().iter().find(|d| {
                    sha256
                        .as_ref()
                        .is_some_and(|h| h.eq_ignore_ascii_case(&d.sha256))
                        || url
                            .as_ref()
                            .is_some_and(|u| d.metadata.url.as_ref() == Some(u))
                });
                let wanted = sha256
                    .as_ref()
                    .map(|h| format!("urn:sha256:{h}"))
                    .or_else(|| url.clone())
                    .unwrap_or_default();
                let Some(document) = found else {
                    problems.push(format!(
                        "no document of the project is the annotations' source {wanted}: {origin}"
                    ));
                    return None;
                };
                let Some(text) = self.text(document.id) else {
                    problems.push(format!(
                        "the project's copy of {wanted} cannot be read: {origin}"
                    ));
                    return None;
                };
                Some((Target::Existing(document.id), text.clone()))
            }
        }
    }

    /// Writes an imported text to `imported/NAME.txt` beside the project file.
    fn store_imported_text(&self, name: &str, text: &str) -> Result<PathBuf, ImportError> {
        let folder = self
            .project_dir()
            .map(|d| d.join("imported"))
            .ok_or_else(|| ImportError::Problems(vec!["save the project first".to_owned()]))?;
        let io = |e: std::io::Error| {
            ImportError::Problems(vec![format!(
                "cannot store the imported text: {e}: {}",
                folder.display()
            )])
        };
        std::fs::create_dir_all(&folder).map_err(io)?;
        let stem = safe_file_stem(name);
        let mut path = folder.join(format!("{stem}.txt"));
        let mut n = 2;
        while path.exists() {
            path = folder.join(format!("{stem}-{n}.txt"));
            n += 1;
        }
        crate::store::write_atomically(&path, text.as_bytes()).map_err(io)?;
        Ok(path)
    }
}

/// The fragments of an incoming annotation placed at `span`: pieces separated only by
/// white space (brat splits a span at each line break) are one; none if one piece is left.
fn fragments_of(text: &DocText, incoming: &Incoming, span: Span) -> Vec<Span> {
    let mut pieces: Vec<Span> = Vec::new();
    let mut sorted = incoming.fragments.clone();
    sorted.sort_unstable();
    for (start, end) in sorted {
        let piece = Span::between(CharPos(start), CharPos(end));
        match pieces.last_mut() {
            Some(last)
                if text
                    .slice(Span::between(last.end(), piece.start()))
                    .is_some_and(|gap| gap.trim().is_empty()) =>
            {
                *last = Span::between(last.start(), piece.end());
            }
            _ => pieces.push(piece),
        }
    }
    if pieces.len() < 2 || pieces.first().map(|p| p.start()) != Some(span.start()) {
        // One piece, or re-anchored by its quote (a continuous annotation).
        return Vec::new();
    }
    pieces
}

/// The span an incoming annotation takes in `text`, or a problem.
fn place(
    text: &DocText,
    incoming: &Incoming,
    report: &mut ImportReport,
    problems: &mut Vec<String>,
) -> Option<Span> {
    let len = text.char_len();
    let mut fragments = incoming.fragments.clone();
    fragments.sort_unstable();
    let position = match (fragments.first(), fragments.last()) {
        (Some(&(start, _)), Some(&(_, end))) => {
            if start >= end || end > len {
                problems.push(format!(
                    "span {start}–{end} lies outside the text ({len} characters): {}",
                    incoming.origin
                ));
                return None;
            }
            for pair in fragments.windows(2) {
                if pair[1].0 < pair[0].1 || pair.iter().any(|&(s, e)| s >= e) {
                    problems.push(format!(
                        "fragments {}–{} and {}–{} overlap or are empty: {}",
                        pair[0].0, pair[0].1, pair[1].0, pair[1].1, incoming.origin
                    ));
                    return None;
                }
            }
            Some(Span::between(CharPos(start), CharPos(end)))
        }
        _ => None,
    };
    if let Some(expected) = &incoming.expected_text {
        let span = position?;
        let actual = text.slice(span).unwrap_or_default();
        // brat joins fragments with one space where the text has a line break.
        let joined: Vec<&str> = fragments
            .iter()
            .map(|&(s, e)| {
                text.slice(Span::between(CharPos(s), CharPos(e)))
                    .unwrap_or_default()
            })
            .collect();
        if actual != expected && joined.join(" ") != *expected {
            problems.push(format!(
                "the text at {span} is {actual:?}, not {expected:?}: {}",
                incoming.origin
            ));
            return None;
        }
    }
    let Some(quote) = &incoming.quote else {
        return position;
    };
    if let Some(span) = position
        && text.slice(span) == Some(quote.exact.as_str())
    {
        return Some(span);
    }
    if fragments.len() > 1 {
        // Only the whole extent can be re-anchored by its quote; the gaps would be guesses.
        problems.push(format!(
            "the quoted text of a discontinuous annotation is not at its position: {}",
            incoming.origin
        ));
        return None;
    }
    let exact = crate::model::Quote {
        exact: &quote.exact,
        prefix: &quote.prefix,
        suffix: &quote.suffix,
    };
    let near = position.map_or(CharPos::ZERO, Span::start);
    let Some(span) = crate::model::anchor::best_occurrence(text, exact, near) else {
        problems.push(format!(
            "the quoted text {:?} is not in the document: {}",
            quote.exact, incoming.origin
        ));
        return None;
    };
    if position.is_some() {
        report
            .reanchored
            .push(format!("{} (now {span})", incoming.origin));
    }
    Some(span)
}
