//! [`Project`]: the schema, the documents and all annotations, in memory.
//!
//! Annotations are kept in a map by id (ids are stable and edits address them by id), plus
//! an index per document in the project file's order (start, then id), kept up to date by
//! every insert, removal and replacement, so lists and counts never sort or scan the whole
//! project.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::annotation::{Annotation, AnnotationId, Excerpt, Orphan};
use super::document::{Document, DocumentId, DocumentStatus};
use super::entity::{Entity, EntityId};
use super::offset::CharPos;
use super::relation::{Relation, RelationId};
use super::schema::Schema;
use super::span::Span;
use super::text::DocText;

/// An annotation project.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Project {
    pub name: String,
    /// The analysts' memo on the whole project (since format version 8).
    pub memo: String,
    pub schema: Schema,
    /// In the project file's order: by path (then id).
    documents: Vec<Document>,
    /// Where each document is in `documents` (a project may hold 10,000: every annotation
    /// checked on loading looks its document up).
    document_index: BTreeMap<DocumentId, usize>,
    /// Shared, never changed in place (an edit puts a new one): a clone of the project (the
    /// snapshot a background save or export works on) copies pointers, not annotations.
    annotations: BTreeMap<AnnotationId, Arc<Annotation>>,
    /// Per document: (start, id) of its annotations, in order, with their end.
    by_document: BTreeMap<DocumentId, BTreeMap<(usize, AnnotationId), usize>>,
    /// Per document: how many annotations have each length, so the longest is known and
    /// a position lookup need only look that far back.
    lengths: BTreeMap<DocumentId, BTreeMap<usize, usize>>,
    /// Annotations waiting for the analyst's review (see [`Orphan`]), by id. Their ids are
    /// never used by an annotation at the same time.
    orphans: BTreeMap<AnnotationId, Orphan>,
    /// The entity registry, by id.
    entities: BTreeMap<EntityId, Entity>,
    /// Relations between annotations, by id.
    relations: BTreeMap<RelationId, Relation>,
    /// Per entity: the annotations that mention it or are attributed to it.
    references: BTreeMap<EntityId, BTreeSet<AnnotationId>>,
    /// Per analyst (an annotation's author, when it has one): how many annotations.
    authors: BTreeMap<String, usize>,
    /// The document the analyst last viewed, opened first next time.
    pub last_document: Option<DocumentId>,
    /// Suggestions the analyst rejected: not offered again (saved with the project).
    rejected: BTreeSet<Rejected>,
    /// Places the curator decided to leave out of the curated layer (see
    /// [`super::curation`]).
    left_out: BTreeSet<LeftOut>,
    /// Where the next annotation and relation ids come from (see [`super::ids`]).
    runs: Runs,
}

/// The state of this session's runs of annotation and relation ids. Not part of what a
/// project is: two projects with the same contents are equal whatever ids they would hand
/// out next.
#[derive(Clone, Debug, Default)]
struct Runs {
    annotation: u64,
    relation: u64,
}

impl PartialEq for Runs {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Runs {}

/// A suggestion the analyst rejected: its place and label.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Rejected {
    pub document: DocumentId,
    pub start: usize,
    pub end: usize,
    pub label: crate::model::LabelId,
}

/// A place of a document the curator left out of the curated layer: none of the
/// analysts' candidates there belongs in it.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct LeftOut {
    pub document: DocumentId,
    pub start: usize,
    pub end: usize,
}

impl Project {
    /// The places left out of the curated layer, in order.
    pub fn left_out(&self) -> impl Iterator<Item = &LeftOut> + '_ {
        self.left_out.iter()
    }

    /// Leaves `place` out (`true`) or takes it back; returns whether it was left out.
    pub(super) fn set_left_out_unchecked(&mut self, place: LeftOut, out: bool) -> bool {
        if out {
            !self.left_out.insert(place)
        } else {
            self.left_out.remove(&place)
        }
    }

    /// Suggestions the analyst rejected, in order.
    pub fn rejected(&self) -> impl Iterator<Item = &Rejected> + '_ {
        self.rejected.iter()
    }

    /// True if the analyst rejected a suggestion of `label` at `span` of `document`.
    pub fn is_rejected(
        &self,
        document: DocumentId,
        span: crate::model::Span,
        label: &crate::model::LabelId,
    ) -> bool {
        self.rejected.contains(&Rejected {
            document,
            start: span.start().0,
            end: span.end().0,
            label: label.clone(),
        })
    }

    /// Remembers rejected suggestions; true if any was new.
    pub fn reject(&mut self, rejected: impl IntoIterator<Item = Rejected>) -> bool {
        let before = self.rejected.len();
        self.rejected.extend(rejected);
        self.rejected.len() > before
    }

    /// An empty project with the default schema.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }

    /// Builds a project from parts already checked by the caller (the project file loader).
    pub fn from_parts(
        name: String,
        schema: Schema,
        mut documents: Vec<Document>,
        annotations: Vec<Arc<Annotation>>,
        last_document: Option<DocumentId>,
    ) -> Self {
        documents.sort_by(|a, b| (&a.path, a.id).cmp(&(&b.path, b.id)));
        let mut project = Self {
            name,
            memo: String::new(),
            schema,
            document_index: documents
                .iter()
                .enumerate()
                .map(|(i, d)| (d.id, i))
                .collect(),
            documents,
            annotations: BTreeMap::new(),
            by_document: BTreeMap::new(),
            lengths: BTreeMap::new(),
            orphans: BTreeMap::new(),
            entities: BTreeMap::new(),
            relations: BTreeMap::new(),
            references: BTreeMap::new(),
            authors: BTreeMap::new(),
            last_document,
            rejected: BTreeSet::new(),
            left_out: BTreeSet::new(),
            runs: Runs::default(),
        };
        project.insert_all_unchecked(annotations);
        project
    }

    /// Adds many annotations, already checked by the caller (unique ids, valid documents,
    /// labels and ranges), to a project that has none, building the maps in bulk: the
    /// loader's path for 100,000 annotations.
    pub(crate) fn insert_all_unchecked(&mut self, annotations: Vec<Arc<Annotation>>) {
        if !self.annotations.is_empty() {
            for annotation in annotations {
                self.insert_unchecked(Arc::unwrap_or_clone(annotation));
            }
            return;
        }
        let mut index: Vec<(DocumentId, (usize, AnnotationId), usize)> = annotations
            .iter()
            .map(|a| (a.document, (a.span.start().0, a.id), a.span.end().0))
            .collect();
        index.sort_unstable();
        let mut by_document: BTreeMap<DocumentId, BTreeMap<(usize, AnnotationId), usize>> =
            BTreeMap::new();
        let mut rest = index.as_slice();
        while let Some(&(document, _, _)) = rest.first() {
            let run = rest.partition_point(|(d, _, _)| *d == document);
            by_document.insert(
                document,
                rest[..run]
                    .iter()
                    .map(|&(_, key, end)| (key, end))
                    .collect(),
            );
            rest = &rest[run..];
        }
        self.by_document = by_document;
        for a in &annotations {
            for entity in a.entities() {
                self.references.entry(entity).or_default().insert(a.id);
            }
            self.count_author(&a.author, true);
            *self
                .lengths
                .entry(a.document)
                .or_default()
                .entry(a.span.len())
                .or_default() += 1;
        }
        for annotation in annotations {
            self.annotations.insert(annotation.id, annotation);
        }
    }

    pub fn documents(&self) -> &[Document] {
        &self.documents
    }

    pub fn document(&self, id: DocumentId) -> Option<&Document> {
        self.document_index.get(&id).map(|&i| &self.documents[i])
    }

    fn document_mut(&mut self, id: DocumentId) -> Option<&mut Document> {
        self.document_index
            .get(&id)
            .map(|&i| &mut self.documents[i])
    }

    /// Adds a document, giving it an id derived from its contents (see [`super::ids`]),
    /// and returns that id.
    pub fn add_document(&mut self, mut document: Document) -> DocumentId {
        document.id = DocumentId(super::ids::derived(&[&document.sha256], |c| {
            self.document(DocumentId(c)).is_some()
        }));
        let id = document.id;
        self.insert_document_unchecked(document);
        id
    }

    /// Puts `document` in its place (by path) under its own id.
    pub(super) fn insert_document_unchecked(&mut self, document: Document) {
        let id = document.id;
        let at = self
            .documents
            .partition_point(|d| (&d.path, d.id) < (&document.path, id));
        self.documents.insert(at, document);
        for i in self.document_index.values_mut() {
            if *i >= at {
                *i += 1;
            }
        }
        self.document_index.insert(id, at);
    }

    /// Takes document `id` out of the project (its annotations must be gone already).
    pub(super) fn remove_document_unchecked(&mut self, id: DocumentId) -> Option<Document> {
        let at = self.document_index.remove(&id)?;
        let document = self.documents.remove(at);
        for i in self.document_index.values_mut() {
            if *i > at {
                *i -= 1;
            }
        }
        if self.last_document == Some(id) {
            self.last_document = None;
        }
        Some(document)
    }

    /// Replaces the record of a document (same id), e.g. after it was re-read.
    pub fn update_document(&mut self, document: Document) {
        if let Some(slot) = self.document_mut(document.id) {
            *slot = document;
        }
    }

    /// Sets the analysts a document is assigned to; returns the old ones (`None` if there
    /// is no such document).
    pub(super) fn set_assigned_unchecked(
        &mut self,
        document: DocumentId,
        analysts: Vec<String>,
    ) -> Option<Vec<String>> {
        let slot = self.document_mut(document)?;
        Some(std::mem::replace(&mut slot.assigned, analysts))
    }

    /// Sets a document's metadata; returns the old one (`None` if there is no such
    /// document).
    pub(super) fn set_metadata_unchecked(
        &mut self,
        document: DocumentId,
        metadata: super::Metadata,
    ) -> Option<super::Metadata> {
        let slot = self.document_mut(document)?;
        Some(std::mem::replace(&mut slot.metadata, metadata))
    }

    /// Sets a document's status; returns the old one (`None` if there is no such document).
    pub(super) fn set_status_unchecked(
        &mut self,
        document: DocumentId,
        status: DocumentStatus,
    ) -> Option<DocumentStatus> {
        let slot = self.document_mut(document)?;
        Some(std::mem::replace(&mut slot.status, status))
    }

    /// Every relation, by id.
    pub fn relations(&self) -> impl ExactSizeIterator<Item = &Relation> + '_ {
        self.relations.values()
    }

    pub fn relation(&self, id: RelationId) -> Option<&Relation> {
        self.relations.get(&id)
    }

    /// The relations starting or ending at `annotation`.
    pub fn relations_of(&self, annotation: AnnotationId) -> Vec<&Relation> {
        self.relations
            .values()
            .filter(|r| r.involves(annotation))
            .collect()
    }

    /// A fresh relation id, not in use and not handed out before in this session.
    pub fn allocate_relation_id(&mut self) -> RelationId {
        let relations = &self.relations;
        RelationId(super::ids::next_in_run(&mut self.runs.relation, |c| {
            relations.contains_key(&RelationId(c))
        }))
    }

    pub(super) fn insert_relation_unchecked(&mut self, relation: Relation) {
        self.relations.insert(relation.id, relation);
    }

    pub(super) fn remove_relation_unchecked(&mut self, id: RelationId) -> Option<Relation> {
        self.relations.remove(&id)
    }

    /// The entity registry, by id.
    pub fn entities(&self) -> impl ExactSizeIterator<Item = &Entity> + '_ {
        self.entities.values()
    }

    pub fn entity(&self, id: EntityId) -> Option<&Entity> {
        self.entities.get(&id)
    }

    /// The id of a new entity of `kind` named `name`: derived from both (two analysts
    /// creating the same entity create one, see [`super::ids`]), or random if that one is
    /// taken.
    pub fn allocate_entity_id(&self, kind: &crate::model::LabelId, name: &str) -> EntityId {
        let key = super::entity::normalize(name);
        EntityId(super::ids::derived(&[kind.as_str(), &key], |c| {
            self.entities.contains_key(&EntityId(c))
        }))
    }

    /// The annotations that mention `entity` or are attributed to it, in id order.
    pub fn annotations_referring_to(&self, entity: EntityId) -> Vec<&Annotation> {
        self.references
            .get(&entity)
            .into_iter()
            .flatten()
            .filter_map(|id| self.annotations.get(id).map(|a| &**a))
            .collect()
    }

    /// The annotations that mention `entity` (not those merely attributed to it), in the
    /// project file's order (document, start).
    pub fn mentions_of(&self, entity: EntityId) -> Vec<&Annotation> {
        let mut mentions: Vec<&Annotation> = self
            .annotations_referring_to(entity)
            .into_iter()
            .filter(|a| a.entity == Some(entity))
            .collect();
        mentions.sort_by_key(|a| a.sort_key());
        mentions
    }

    /// True if an annotation or an annotation waiting for review refers to `entity`.
    pub fn uses_entity(&self, entity: EntityId) -> bool {
        self.references.contains_key(&entity)
            || self
                .orphans
                .values()
                .any(|o| o.annotation.refers_to(entity))
    }

    pub(super) fn insert_entity_unchecked(&mut self, entity: Entity) -> Option<Entity> {
        self.entities.insert(entity.id, entity)
    }

    pub(super) fn remove_entity_unchecked(&mut self, id: EntityId) -> Option<Entity> {
        self.entities.remove(&id)
    }

    /// A fresh annotation id: not in use (nor on the review list) and not handed out
    /// before in this session (see [`super::ids`]).
    pub fn allocate_annotation_id(&mut self) -> AnnotationId {
        let (annotations, orphans) = (&self.annotations, &self.orphans);
        AnnotationId(super::ids::next_in_run(&mut self.runs.annotation, |c| {
            let id = AnnotationId(c);
            annotations.contains_key(&id) || orphans.contains_key(&id)
        }))
    }

    pub fn annotation(&self, id: AnnotationId) -> Option<&Annotation> {
        self.annotations.get(&id).map(|a| &**a)
    }

    /// Every annotation, in id order (no sorting, no allocation).
    pub fn annotations(&self) -> impl ExactSizeIterator<Item = &Annotation> + '_ {
        self.annotations.values().map(|a| &**a)
    }

    pub fn annotation_count(&self) -> usize {
        self.annotations.len()
    }

    /// All annotations in the project file's order: document, start, id.
    pub fn annotations_sorted(&self) -> Vec<&Annotation> {
        self.by_document
            .keys()
            .flat_map(|&document| self.annotations_of_iter(document))
            .collect()
    }

    /// The ids of all annotations in the order of [`Project::annotations_sorted`], without
    /// looking the annotations up (a save looks them up on its serializing threads).
    pub fn annotation_ids_sorted(&self) -> Vec<AnnotationId> {
        self.by_document
            .values()
            .flat_map(|entries| entries.keys().map(|&(_, id)| id))
            .collect()
    }

    /// The annotations of one document, sorted by start, then id.
    pub fn annotations_of(&self, document: DocumentId) -> Vec<&Annotation> {
        self.annotations_of_iter(document).collect()
    }

    /// The annotations of one document, sorted by start, then id, without collecting.
    pub fn annotations_of_iter(
        &self,
        document: DocumentId,
    ) -> impl Iterator<Item = &Annotation> + '_ {
        self.by_document
            .get(&document)
            .into_iter()
            .flatten()
            .filter_map(|((_, id), _)| self.annotations.get(id).map(|a| &**a))
    }

    /// Points the annotations of `document` that hold copies of their words (or read them
    /// from another text, such as an earlier reading of the same source) at `text` instead,
    /// where the words are the same there (see [`Excerpt`]): nothing visible changes, the
    /// copies (or the other text) are freed. Returns how many were changed.
    pub fn share_words(&mut self, document: DocumentId, text: &Arc<DocText>) -> usize {
        let Some(entries) = self.by_document.get(&document) else {
            return 0;
        };
        let mut shared = 0;
        for (_, id) in entries.keys() {
            let Some(annotation) = self.annotations.get_mut(id) else {
                continue;
            };
            if annotation.excerpt.is_in(text) {
                continue;
            }
            let (exact, prefix, suffix) = annotation.words();
            let excerpt =
                Excerpt::shared_if_same(Some(text), annotation.span, exact, prefix, suffix);
            if excerpt.is_in_document() {
                Arc::make_mut(annotation).excerpt = excerpt;
                shared += 1;
            }
        }
        shared
    }

    /// Span and id of each annotation of one document, in order, without touching the
    /// annotations themselves (cheap enough to rebuild a view's index after every edit).
    pub fn spans_of(
        &self,
        document: DocumentId,
    ) -> impl Iterator<Item = (Span, AnnotationId)> + '_ {
        self.by_document
            .get(&document)
            .into_iter()
            .flatten()
            .map(|(&(start, id), &end)| (Span::between(CharPos(start), CharPos(end)), id))
    }

    /// How many annotations one document has.
    pub fn annotation_count_of(&self, document: DocumentId) -> usize {
        self.by_document.get(&document).map_or(0, BTreeMap::len)
    }

    /// True if any annotation (or annotation waiting for review) uses `label`.
    pub fn uses_label(&self, label: &super::LabelId) -> bool {
        self.annotations.values().any(|a| &a.label == label)
            || self.orphans.values().any(|o| &o.annotation.label == label)
            || self.entities.values().any(|e| &e.kind == label)
    }

    /// The annotations waiting for review, by id.
    pub fn orphans(&self) -> impl Iterator<Item = &Orphan> + '_ {
        self.orphans.values()
    }

    pub fn orphan(&self, id: AnnotationId) -> Option<&Orphan> {
        self.orphans.get(&id)
    }

    /// The annotations of one document waiting for review.
    pub fn orphans_of(&self, document: DocumentId) -> impl Iterator<Item = &Orphan> + '_ {
        self.orphans
            .values()
            .filter(move |o| o.annotation.document == document)
    }

    pub fn orphan_count(&self) -> usize {
        self.orphans.len()
    }

    pub(super) fn insert_orphan_unchecked(&mut self, orphan: Orphan) {
        let id = orphan.annotation.id;
        self.orphans.insert(id, orphan);
    }

    pub(super) fn remove_orphan_unchecked(&mut self, id: AnnotationId) -> Option<Orphan> {
        self.orphans.remove(&id)
    }

    /// Every annotation of `document` sharing a character with `range`, as (span, id), in
    /// start order with the outer one first at equal starts. O(log n + the annotations
    /// starting within the longest annotation's length before `range`).
    pub fn overlapping(&self, document: DocumentId, range: Span) -> Vec<(Span, AnnotationId)> {
        let (Some(index), Some(longest)) = (
            self.by_document.get(&document),
            self.lengths
                .get(&document)
                .and_then(|l| l.last_key_value())
                .map(|(len, _)| *len),
        ) else {
            return Vec::new();
        };
        let from = range.start().0.saturating_sub(longest);
        let mut hits: Vec<(Span, AnnotationId)> = index
            .range((from, AnnotationId(0))..(range.end().0, AnnotationId(0)))
            .map(|(&(start, id), &end)| (Span::between(CharPos(start), CharPos(end)), id))
            .filter(|(span, _)| span.overlaps(range))
            .collect();
        hits.sort_by_key(|(span, id)| (span.start(), std::cmp::Reverse(span.end()), *id));
        hits
    }

    /// Every annotation of `document` containing the character at `pos`, innermost
    /// (shortest) first.
    pub fn annotations_at(&self, document: DocumentId, pos: CharPos) -> Vec<(Span, AnnotationId)> {
        let mut hits = self.overlapping(document, Span::between(pos, pos.forward(1)));
        // A discontinuous annotation does not cover its gaps.
        hits.retain(|(_, id)| self.annotation(*id).is_some_and(|a| a.covers(pos)));
        hits.sort_by_key(|(span, id)| (span.len(), *id));
        hits
    }

    /// The analysts who made the annotations (their authors, those with a name), in name
    /// order: kept up to date by every edit, so a list of them costs no scan.
    pub fn analysts(&self) -> impl Iterator<Item = &str> + '_ {
        self.authors.keys().map(String::as_str)
    }

    fn count_author(&mut self, author: &str, add: bool) {
        if author.is_empty() {
            return;
        }
        if add {
            match self.authors.get_mut(author) {
                Some(count) => *count += 1,
                None => {
                    self.authors.insert(author.to_owned(), 1);
                }
            }
        } else if let Some(count) = self.authors.get_mut(author) {
            *count -= 1;
            if *count == 0 {
                self.authors.remove(author);
            }
        }
    }

    fn index(&mut self, annotation: &Annotation) {
        for entity in annotation.entities() {
            self.references
                .entry(entity)
                .or_default()
                .insert(annotation.id);
        }
        self.count_author(&annotation.author, true);
        self.by_document
            .entry(annotation.document)
            .or_default()
            .insert(
                (annotation.span.start().0, annotation.id),
                annotation.span.end().0,
            );
        *self
            .lengths
            .entry(annotation.document)
            .or_default()
            .entry(annotation.span.len())
            .or_default() += 1;
    }

    fn unindex(&mut self, annotation: &Annotation) {
        self.count_author(&annotation.author, false);
        for entity in annotation.entities() {
            if let Some(set) = self.references.get_mut(&entity) {
                set.remove(&annotation.id);
                if set.is_empty() {
                    self.references.remove(&entity);
                }
            }
        }
        if let Some(set) = self.by_document.get_mut(&annotation.document) {
            set.remove(&(annotation.span.start().0, annotation.id));
            if set.is_empty() {
                self.by_document.remove(&annotation.document);
            }
        }
        if let Some(lengths) = self.lengths.get_mut(&annotation.document) {
            let len = annotation.span.len();
            if let Some(count) = lengths.get_mut(&len) {
                *count -= 1;
                if *count == 0 {
                    lengths.remove(&len);
                }
            }
            if lengths.is_empty() {
                self.lengths.remove(&annotation.document);
            }
        }
    }

    /// The largest id of an annotation or of one on the review list, if any.
    pub(super) fn largest_annotation_id(&self) -> Option<AnnotationId> {
        let annotation = self.annotations.last_key_value().map(|(id, _)| *id);
        let orphan = self.orphans.last_key_value().map(|(id, _)| *id);
        annotation.max(orphan)
    }

    pub(super) fn insert_unchecked(&mut self, annotation: Annotation) {
        // A new largest id replaces nothing: no search for it.
        let newest = self
            .annotations
            .last_key_value()
            .is_none_or(|(&last, _)| annotation.id > last);
        if !newest && let Some(old) = self.annotations.remove(&annotation.id) {
            self.unindex(&old);
        }
        self.index(&annotation);
        self.annotations.insert(annotation.id, Arc::new(annotation));
    }

    pub(super) fn remove_unchecked(&mut self, id: AnnotationId) -> Option<Annotation> {
        let removed = self.annotations.remove(&id)?;
        self.unindex(&removed);
        // Shared only while a snapshot of the project is being saved or exported.
        Some(Arc::try_unwrap(removed).unwrap_or_else(|shared| (*shared).clone()))
    }

    pub(super) fn replace_unchecked(&mut self, annotation: Annotation) -> Option<Annotation> {
        let old = self.remove_unchecked(annotation.id);
        self.index(&annotation);
        self.annotations.insert(annotation.id, Arc::new(annotation));
        old
    }
}
