//! [`Project`]: the schema, the documents and all annotations, in memory.
//!
//! Annotations are kept in a map by id (ids are stable and edits address them by id); the
//! sorted order of the project file (document, start, id) is produced on demand.

use std::collections::BTreeMap;

use super::annotation::{Annotation, AnnotationId};
use super::document::{Document, DocumentId};
use super::schema::Schema;

/// An annotation project.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Project {
    pub name: String,
    pub schema: Schema,
    documents: Vec<Document>,
    annotations: BTreeMap<AnnotationId, Annotation>,
    /// The document the analyst last viewed, opened first next time.
    pub last_document: Option<DocumentId>,
    next_annotation_id: u64,
    next_document_id: u32,
}

impl Project {
    /// An empty project with the default schema.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            next_annotation_id: 1,
            next_document_id: 1,
            ..Self::default()
        }
    }

    /// Builds a project from parts already checked by the caller (the project file loader).
    /// Ids handed out later are above every id present.
    pub fn from_parts(
        name: String,
        schema: Schema,
        documents: Vec<Document>,
        annotations: Vec<Annotation>,
        last_document: Option<DocumentId>,
    ) -> Self {
        let next_document_id = documents.iter().map(|d| d.id.0).max().unwrap_or(0) + 1;
        let next_annotation_id = annotations.iter().map(|a| a.id.0).max().unwrap_or(0) + 1;
        Self {
            name,
            schema,
            documents,
            annotations: annotations.into_iter().map(|a| (a.id, a)).collect(),
            last_document,
            next_annotation_id,
            next_document_id,
        }
    }

    pub fn documents(&self) -> &[Document] {
        &self.documents
    }

    pub fn document(&self, id: DocumentId) -> Option<&Document> {
        self.documents.iter().find(|d| d.id == id)
    }

    /// Adds a document, giving it a fresh id, and returns that id.
    pub fn add_document(&mut self, mut document: Document) -> DocumentId {
        document.id = DocumentId(self.next_document_id);
        self.next_document_id += 1;
        let id = document.id;
        self.documents.push(document);
        id
    }

    /// Replaces the record of a document (same id), e.g. after it was re-read.
    pub fn update_document(&mut self, document: Document) {
        if let Some(slot) = self.documents.iter_mut().find(|d| d.id == document.id) {
            *slot = document;
        }
    }

    /// A fresh annotation id, never handed out before in this project.
    pub fn allocate_annotation_id(&mut self) -> AnnotationId {
        let id = AnnotationId(self.next_annotation_id);
        self.next_annotation_id += 1;
        id
    }

    pub fn annotation(&self, id: AnnotationId) -> Option<&Annotation> {
        self.annotations.get(&id)
    }

    pub fn annotation_count(&self) -> usize {
        self.annotations.len()
    }

    /// All annotations in the project file's order: document, start, id.
    pub fn annotations_sorted(&self) -> Vec<&Annotation> {
        let mut all: Vec<&Annotation> = self.annotations.values().collect();
        all.sort_by_key(|a| a.sort_key());
        all
    }

    /// The annotations of one document, sorted by start, then id.
    pub fn annotations_of(&self, document: DocumentId) -> Vec<&Annotation> {
        let mut of: Vec<&Annotation> = self
            .annotations
            .values()
            .filter(|a| a.document == document)
            .collect();
        of.sort_by_key(|a| a.sort_key());
        of
    }

    pub(super) fn insert_unchecked(&mut self, annotation: Annotation) {
        self.next_annotation_id = self.next_annotation_id.max(annotation.id.0 + 1);
        self.annotations.insert(annotation.id, annotation);
    }

    pub(super) fn remove_unchecked(&mut self, id: AnnotationId) -> Option<Annotation> {
        self.annotations.remove(&id)
    }

    pub(super) fn replace_unchecked(&mut self, annotation: Annotation) -> Option<Annotation> {
        self.annotations.insert(annotation.id, annotation)
    }
}
