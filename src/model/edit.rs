//! Edits are data: every change to annotations is an [`Edit`] that [`Project::apply`]
//! validates and carries out, returning the edit that undoes it.
//!
//! One user action is one `Edit`, however many annotations it touches, so it is one undo
//! step. Applying is all-or-nothing: a failed edit changes nothing.

use super::annotation::{Annotation, AnnotationId, Orphan};
use super::document::{Document, DocumentId, DocumentStatus, Metadata};
use super::entity::{Entity, EntityId};
use super::project::Project;
use super::relation::{Relation, RelationId};
use super::schema::{Label, LabelId};
use super::span::Span;

/// A change to the project's annotations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Add these annotations (their ids must be new).
    Insert(Vec<Annotation>),
    /// Set a document's metadata (what the file said, as the analyst corrected it, and
    /// their note on the source).
    SetMetadata(DocumentId, Box<Metadata>),
    /// Set the project's memo.
    SetMemo(String),
    /// Add these documents with their own ids (taking back their removal).
    AddDocuments(Vec<Document>),
    /// Remove these documents, which must hold no annotations, orphans or curated places
    /// any more (remove those first, in the same batch).
    RemoveDocuments(Vec<DocumentId>),
    /// Remove the annotations with these ids.
    Remove(Vec<AnnotationId>),
    /// Replace existing annotations by these (matched by id).
    Replace(Vec<Annotation>),
    /// Add labels to the schema (their ids must be new).
    AddLabels(Vec<Label>),
    /// Remove labels from the schema (none may be in use).
    RemoveLabels(Vec<LabelId>),
    /// Replace labels of the schema by these (matched by id): rename, recolour, new key.
    ReplaceLabels(Vec<Label>),
    /// Set the relation kinds the schema offers.
    SetRelationKinds(Vec<String>),
    /// Put these annotations on the review list (their ids must be unused).
    AddOrphans(Vec<Orphan>),
    /// Take the annotations with these ids off the review list.
    RemoveOrphans(Vec<AnnotationId>),
    /// Add entities to the registry (their ids must be new).
    AddEntities(Vec<Entity>),
    /// Remove entities from the registry (none may be referred to).
    RemoveEntities(Vec<EntityId>),
    /// Replace existing entities by these (matched by id): rename, aliases, note.
    ReplaceEntities(Vec<Entity>),
    /// Relate annotations (ids must be new, both ends must exist).
    AddRelations(Vec<Relation>),
    /// Remove relations.
    RemoveRelations(Vec<RelationId>),
    /// Set a document's status.
    SetStatus(DocumentId, DocumentStatus),
    /// Set the analysts a document is assigned to.
    SetAssigned(DocumentId, Vec<String>),
    /// Leave a place out of the curated layer (`true`) or take it back.
    SetLeftOut(super::project::LeftOut, bool),
    /// Several edits as one step, applied in order, all or none.
    Batch(Vec<Edit>),
}

/// Why an edit was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("annotation {0} already exists")]
    DuplicateId(AnnotationId),
    #[error("annotation {0} does not exist")]
    MissingAnnotation(AnnotationId),
    #[error("annotation {0} is not waiting for review")]
    MissingOrphan(AnnotationId),
    #[error("annotation {id} refers to {document}, which is not in the project")]
    MissingDocument {
        id: AnnotationId,
        document: DocumentId,
    },
    #[error("annotation {id} uses label \"{}\", which the schema does not define", label.0)]
    UnknownLabel { id: AnnotationId, label: LabelId },
    #[error("annotation {id} spans {span}, past the end of its document ({char_len} characters)")]
    OutOfRange {
        id: AnnotationId,
        span: Span,
        char_len: usize,
    },
    #[error("annotation {0} is empty")]
    EmptySpan(AnnotationId),
    #[error("annotation {0} has fragments that are out of order, overlap or do not fill its span")]
    BadFragments(AnnotationId),
    #[error("annotation {id} refers to {entity}, which is not in the project")]
    MissingEntity { id: AnnotationId, entity: EntityId },
    #[error("{0} does not exist")]
    UnknownEntity(EntityId),
    #[error("{0} already exists")]
    DuplicateEntity(EntityId),
    #[error("{0} is still mentioned or quoted; merge it into another instead")]
    EntityInUse(EntityId),
    #[error("{entity} is of kind \"{}\", which the schema does not define", kind.0)]
    UnknownEntityKind { entity: EntityId, kind: LabelId },
    #[error("{0} is not in the project")]
    UnknownDocument(DocumentId),
    #[error("{0} already exists")]
    DuplicateRelation(RelationId),
    #[error("{0} does not exist")]
    UnknownRelation(RelationId),
    #[error("{id} links annotation {annotation}, which does not exist")]
    RelationEnd {
        id: RelationId,
        annotation: AnnotationId,
    },
    #[error("{0} has no kind")]
    RelationKind(RelationId),
    #[error("the schema would be invalid: {0}")]
    InvalidSchema(String),
    #[error("label \"{}\" already exists", .0.0)]
    DuplicateLabel(LabelId),
    #[error("label \"{}\" does not exist or is still in use", .0.0)]
    LabelInUse(LabelId),
    #[error("{0} is already in the project")]
    DuplicateDocument(DocumentId),
    #[error("{0} does not exist or still holds annotations")]
    DocumentInUse(DocumentId),
}

impl Edit {
    /// True if the edit changes nothing.
    pub fn is_empty(&self) -> bool {
        match self {
            Self::Insert(a) | Self::Replace(a) => a.is_empty(),
            Self::Remove(ids) | Self::RemoveOrphans(ids) => ids.is_empty(),
            Self::AddOrphans(orphans) => orphans.is_empty(),
            Self::AddDocuments(documents) => documents.is_empty(),
            Self::RemoveDocuments(ids) => ids.is_empty(),
            Self::AddLabels(labels) | Self::ReplaceLabels(labels) => labels.is_empty(),
            Self::AddEntities(entities) | Self::ReplaceEntities(entities) => entities.is_empty(),
            Self::RemoveEntities(ids) => ids.is_empty(),
            Self::SetStatus(..)
            | Self::SetMetadata(..)
            | Self::SetMemo(_)
            | Self::SetAssigned(..)
            | Self::SetLeftOut(..)
            | Self::SetRelationKinds(_) => false,
            Self::AddRelations(r) => r.is_empty(),
            Self::RemoveRelations(ids) => ids.is_empty(),
            Self::RemoveLabels(ids) => ids.is_empty(),
            Self::Batch(edits) => edits.iter().all(Edit::is_empty),
        }
    }
}

impl Project {
    /// Carries out `edit` and returns its inverse, or changes nothing and says why not.
    pub fn apply(&mut self, edit: Edit) -> Result<Edit, EditError> {
        self.check(&edit)?;
        Ok(match edit {
            Edit::Insert(annotations) => {
                let ids = annotations.iter().map(|a| a.id).collect();
                for annotation in annotations {
                    self.insert_unchecked(annotation);
                }
                Edit::Remove(ids)
            }
            Edit::Remove(ids) => self.remove_with_relations(&ids),
            edit @ (Edit::AddDocuments(_)
            | Edit::RemoveDocuments(_)
            | Edit::SetMetadata(..)
            | Edit::SetMemo(_)) => self.apply_documents(edit),
            Edit::AddRelations(relations) => {
                let ids = relations.iter().map(|r| r.id).collect();
                for relation in relations {
                    self.insert_relation_unchecked(relation);
                }
                Edit::RemoveRelations(ids)
            }
            Edit::RemoveRelations(ids) => Edit::AddRelations(
                ids.iter()
                    .filter_map(|id| self.remove_relation_unchecked(*id))
                    .collect(),
            ),
            Edit::Replace(annotations) => {
                let old = annotations
                    .into_iter()
                    .filter_map(|a| self.replace_unchecked(a))
                    .collect();
                Edit::Replace(old)
            }
            edit @ (Edit::AddLabels(_)
            | Edit::RemoveLabels(_)
            | Edit::ReplaceLabels(_)
            | Edit::SetRelationKinds(_)) => self.apply_schema(edit),
            Edit::AddOrphans(orphans) => {
                let ids = orphans.iter().map(|o| o.annotation.id).collect();
                for orphan in orphans {
                    self.insert_orphan_unchecked(orphan);
                }
                Edit::RemoveOrphans(ids)
            }
            Edit::RemoveOrphans(ids) => Edit::AddOrphans(
                ids.iter()
                    .filter_map(|id| self.remove_orphan_unchecked(*id))
                    .collect(),
            ),
            Edit::AddEntities(entities) => {
                let ids = entities.iter().map(|e| e.id).collect();
                for entity in entities {
                    self.insert_entity_unchecked(entity);
                }
                Edit::RemoveEntities(ids)
            }
            Edit::RemoveEntities(ids) => Edit::AddEntities(
                ids.iter()
                    .filter_map(|id| self.remove_entity_unchecked(*id))
                    .collect(),
            ),
            Edit::ReplaceEntities(entities) => Edit::ReplaceEntities(
                entities
                    .into_iter()
                    .filter_map(|e| self.insert_entity_unchecked(e))
                    .collect(),
            ),
            Edit::SetStatus(document, status) => {
                let old = self
                    .set_status_unchecked(document, status)
                    .unwrap_or_default();
                Edit::SetStatus(document, old)
            }
            Edit::SetAssigned(document, analysts) => {
                let old = self
                    .set_assigned_unchecked(document, analysts)
                    .unwrap_or_default();
                Edit::SetAssigned(document, old)
            }
            Edit::SetLeftOut(place, out) => {
                let was = self.set_left_out_unchecked(place.clone(), out);
                Edit::SetLeftOut(place, was)
            }
            Edit::Batch(edits) => {
                let mut inverses = Vec::with_capacity(edits.len());
                for edit in edits {
                    match self.apply(edit) {
                        Ok(inverse) => inverses.push(inverse),
                        Err(error) => {
                            // Roll back: each inverse applies to the state it came from.
                            for inverse in inverses.into_iter().rev() {
                                let _ = self.apply(inverse);
                            }
                            return Err(error);
                        }
                    }
                }
                inverses.reverse();
                Edit::Batch(inverses)
            }
        })
    }

    /// Adds or removes whole documents, changes their details or the project memo;
    /// returns the inverse.
    fn apply_documents(&mut self, edit: Edit) -> Edit {
        match edit {
            Edit::SetMetadata(document, metadata) => {
                let old = self
                    .set_metadata_unchecked(document, *metadata)
                    .unwrap_or_default();
                Edit::SetMetadata(document, Box::new(old))
            }
            Edit::SetMemo(memo) => Edit::SetMemo(std::mem::replace(&mut self.memo, memo)),
            Edit::AddDocuments(documents) => {
                let ids = documents.iter().map(|d| d.id).collect();
                for document in documents {
                    self.insert_document_unchecked(document);
                }
                Edit::RemoveDocuments(ids)
            }
            Edit::RemoveDocuments(ids) => Edit::AddDocuments(
                ids.iter()
                    .filter_map(|id| self.remove_document_unchecked(*id))
                    .collect(),
            ),
            other => other,
        }
    }

    /// A document added must be new; one removed must hold nothing any more.
    fn check_documents(&self, edit: &Edit) -> Result<(), EditError> {
        let mut seen = std::collections::HashSet::new();
        match edit {
            Edit::AddDocuments(documents) => {
                for document in documents {
                    if self.document(document.id).is_some() || !seen.insert(document.id) {
                        return Err(EditError::DuplicateDocument(document.id));
                    }
                }
            }
            Edit::RemoveDocuments(ids) => {
                for &id in ids {
                    let in_use = self.annotations_of_iter(id).next().is_some()
                        || self.orphans_of(id).next().is_some()
                        || self.left_out().any(|place| place.document == id);
                    if self.document(id).is_none() || in_use || !seen.insert(id) {
                        return Err(EditError::DocumentInUse(id));
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn check(&self, edit: &Edit) -> Result<(), EditError> {
        match edit {
            Edit::Insert(annotations) => {
                // Ids above every id in use, each above the one before (as freshly allocated
                // ones are), are all free: no look-ups (tag all may insert 100,000).
                let above = self.largest_annotation_id();
                let fresh = annotations
                    .iter()
                    .try_fold(above, |last, a| {
                        (last.is_none_or(|last| a.id > last)).then_some(Some(a.id))
                    })
                    .is_some();
                let mut seen = std::collections::HashSet::new();
                for a in annotations {
                    if !fresh {
                        let taken = self.annotation(a.id).is_some() || self.orphan(a.id).is_some();
                        if taken || !seen.insert(a.id) {
                            return Err(EditError::DuplicateId(a.id));
                        }
                    }
                    self.check_annotation(a)?;
                }
            }
            Edit::Remove(ids) => {
                let mut seen = std::collections::HashSet::new();
                for &id in ids {
                    if self.annotation(id).is_none() || !seen.insert(id) {
                        return Err(EditError::MissingAnnotation(id));
                    }
                }
            }
            Edit::Replace(annotations) => {
                for a in annotations {
                    if self.annotation(a.id).is_none() {
                        return Err(EditError::MissingAnnotation(a.id));
                    }
                    self.check_annotation(a)?;
                }
            }
            Edit::AddLabels(labels) => {
                for (i, label) in labels.iter().enumerate() {
                    if self.schema.label(&label.id).is_some()
                        || labels[..i].iter().any(|l| l.id == label.id)
                    {
                        return Err(EditError::DuplicateLabel(label.id.clone()));
                    }
                }
            }
            Edit::RemoveLabels(ids) => {
                for id in ids {
                    let in_use = self.uses_label(id);
                    if self.schema.label(id).is_none() || in_use {
                        return Err(EditError::LabelInUse(id.clone()));
                    }
                }
            }
            Edit::AddDocuments(_) | Edit::RemoveDocuments(_) => self.check_documents(edit)?,
            Edit::AddOrphans(orphans) => {
                let mut seen = std::collections::HashSet::new();
                for o in orphans {
                    let id = o.annotation.id;
                    let taken = self.annotation(id).is_some() || self.orphan(id).is_some();
                    if taken || !seen.insert(id) {
                        return Err(EditError::DuplicateId(id));
                    }
                }
            }
            Edit::RemoveOrphans(ids) => {
                let mut seen = std::collections::HashSet::new();
                for &id in ids {
                    if self.orphan(id).is_none() || !seen.insert(id) {
                        return Err(EditError::MissingOrphan(id));
                    }
                }
            }
            Edit::AddEntities(_)
            | Edit::RemoveEntities(_)
            | Edit::ReplaceEntities(_)
            | Edit::AddRelations(_)
            | Edit::RemoveRelations(_)
            | Edit::ReplaceLabels(_)
            | Edit::SetRelationKinds(_) => self.check_links(edit)?,
            Edit::SetStatus(document, _)
            | Edit::SetAssigned(document, _)
            | Edit::SetMetadata(document, _)
            | Edit::SetLeftOut(super::project::LeftOut { document, .. }, _) => {
                if self.document(*document).is_none() {
                    return Err(EditError::UnknownDocument(*document));
                }
            }
            // Checked edit by edit as the batch is applied (and rolled back on failure).
            Edit::Batch(_) | Edit::SetMemo(_) => {}
        }
        Ok(())
    }

    /// Carries out a checked edit of the schema; returns its inverse.
    fn apply_schema(&mut self, edit: Edit) -> Edit {
        match edit {
            Edit::AddLabels(labels) => {
                let ids = labels.iter().map(|l| l.id.clone()).collect();
                self.schema.labels.extend(labels);
                Edit::RemoveLabels(ids)
            }
            Edit::RemoveLabels(ids) => {
                let (removed, kept) = std::mem::take(&mut self.schema.labels)
                    .into_iter()
                    .partition(|l| ids.contains(&l.id));
                self.schema.labels = kept;
                Edit::AddLabels(removed)
            }
            Edit::ReplaceLabels(labels) => {
                let mut old = Vec::with_capacity(labels.len());
                for label in labels {
                    if let Some(slot) = self.schema.labels.iter_mut().find(|l| l.id == label.id) {
                        old.push(std::mem::replace(slot, label));
                    }
                }
                Edit::ReplaceLabels(old)
            }
            Edit::SetRelationKinds(kinds) => {
                Edit::SetRelationKinds(std::mem::replace(&mut self.schema.relation_kinds, kinds))
            }
            other => other,
        }
    }

    /// Removes annotations and the relations that involve them; returns the inverse.
    fn remove_with_relations(&mut self, ids: &[AnnotationId]) -> Edit {
        // Relations of a removed annotation go with it (and come back with undo).
        let related: Vec<RelationId> = self
            .relations()
            .filter(|r| ids.iter().any(|&id| r.involves(id)))
            .map(|r| r.id)
            .collect();
        let relations: Vec<Relation> = related
            .iter()
            .filter_map(|id| self.remove_relation_unchecked(*id))
            .collect();
        let removed = ids
            .iter()
            .filter_map(|id| self.remove_unchecked(*id))
            .collect();
        if relations.is_empty() {
            Edit::Insert(removed)
        } else {
            Edit::Batch(vec![Edit::Insert(removed), Edit::AddRelations(relations)])
        }
    }

    /// Checks the edits of the entity registry, of relations and of labels' details.
    fn check_links(&self, edit: &Edit) -> Result<(), EditError> {
        match edit {
            Edit::ReplaceLabels(labels) => {
                let mut schema = self.schema.clone();
                for label in labels {
                    let slot = schema
                        .labels
                        .iter_mut()
                        .find(|l| l.id == label.id)
                        .ok_or_else(|| {
                            EditError::InvalidSchema(format!("no label {}", label.id))
                        })?;
                    if slot.kind != label.kind {
                        return Err(EditError::InvalidSchema(format!(
                            "the kind of label {} cannot change",
                            label.id
                        )));
                    }
                    if label.name.trim().is_empty() {
                        return Err(EditError::InvalidSchema("a label needs a name".to_owned()));
                    }
                    *slot = label.clone();
                }
                schema
                    .validate()
                    .map_err(|e| EditError::InvalidSchema(e.to_string()))?;
            }
            Edit::SetRelationKinds(kinds) => {
                let mut seen = std::collections::HashSet::new();
                for kind in kinds {
                    if kind.trim().is_empty() || !seen.insert(kind.trim()) {
                        return Err(EditError::InvalidSchema(format!(
                            "relation kind {kind:?} is empty or given twice"
                        )));
                    }
                }
            }
            Edit::AddEntities(entities) => {
                for (i, entity) in entities.iter().enumerate() {
                    if self.entity(entity.id).is_some()
                        || entities[..i].iter().any(|e| e.id == entity.id)
                    {
                        return Err(EditError::DuplicateEntity(entity.id));
                    }
                    self.check_entity(entity)?;
                }
            }
            Edit::RemoveEntities(ids) => {
                let mut seen = std::collections::HashSet::new();
                for &id in ids {
                    if self.entity(id).is_none() || !seen.insert(id) {
                        return Err(EditError::UnknownEntity(id));
                    }
                    if self.uses_entity(id) {
                        return Err(EditError::EntityInUse(id));
                    }
                }
            }
            Edit::ReplaceEntities(entities) => {
                for entity in entities {
                    if self.entity(entity.id).is_none() {
                        return Err(EditError::UnknownEntity(entity.id));
                    }
                    self.check_entity(entity)?;
                }
            }
            Edit::AddRelations(relations) => {
                for (i, r) in relations.iter().enumerate() {
                    if self.relation(r.id).is_some() || relations[..i].iter().any(|o| o.id == r.id)
                    {
                        return Err(EditError::DuplicateRelation(r.id));
                    }
                    if r.kind.trim().is_empty() {
                        return Err(EditError::RelationKind(r.id));
                    }
                    for end in [r.from, r.to] {
                        if self.annotation(end).is_none() {
                            return Err(EditError::RelationEnd {
                                id: r.id,
                                annotation: end,
                            });
                        }
                    }
                }
            }
            Edit::RemoveRelations(ids) => {
                let mut seen = std::collections::HashSet::new();
                for &id in ids {
                    if self.relation(id).is_none() || !seen.insert(id) {
                        return Err(EditError::UnknownRelation(id));
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn check_entity(&self, entity: &Entity) -> Result<(), EditError> {
        if self.schema.label(&entity.kind).is_none() {
            return Err(EditError::UnknownEntityKind {
                entity: entity.id,
                kind: entity.kind.clone(),
            });
        }
        Ok(())
    }

    /// Checks one annotation against the project: its document, label, entities and range.
    pub fn check_annotation(&self, a: &Annotation) -> Result<(), EditError> {
        let document = self
            .document(a.document)
            .ok_or(EditError::MissingDocument {
                id: a.id,
                document: a.document,
            })?;
        if self.schema.label(&a.label).is_none() {
            return Err(EditError::UnknownLabel {
                id: a.id,
                label: a.label.clone(),
            });
        }
        if a.span.is_empty() {
            return Err(EditError::EmptySpan(a.id));
        }
        if !super::span::valid_fragments(a.span, &a.fragments) {
            return Err(EditError::BadFragments(a.id));
        }
        if let Some(entity) = a.entities().find(|&e| self.entity(e).is_none()) {
            return Err(EditError::MissingEntity { id: a.id, entity });
        }
        if a.span.end().0 > document.char_len {
            return Err(EditError::OutOfRange {
                id: a.id,
                span: a.span,
                char_len: document.char_len,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CharPos, Document, LabelKind, Rgb, SourceFormat};

    fn project() -> (Project, Annotation) {
        let mut project = Project::new("t");
        let document = project.add_document(Document {
            id: DocumentId::default(),
            path: "a.txt".to_owned(),
            sha256: String::new(),
            format: SourceFormat::PlainText,
            encoding: "UTF-8".to_owned(),
            encoding_chosen: false,
            char_len: 10,
            metadata: crate::model::Metadata::default(),
            status: crate::model::DocumentStatus::default(),
            assigned: Vec::new(),
            ..Document::default()
        });
        let annotation = Annotation {
            id: project.allocate_annotation_id(),
            document,
            label: LabelId("weapon".into()),
            span: Span::between(CharPos(0), CharPos(3)),
            fragments: Vec::new(),
            excerpt: crate::model::Excerpt::held("abc", "", ""),
            entity: None,
            attrs: crate::model::Attributes::default(),
            note: String::new(),
            author: String::new(),
            changed_by: String::new(),
            created: jiff::Timestamp::UNIX_EPOCH,
            modified: jiff::Timestamp::UNIX_EPOCH,
        };
        (project, annotation)
    }

    fn weapon() -> Label {
        Label {
            id: LabelId("weapon".into()),
            name: "Weapon".to_owned(),
            kind: LabelKind::Entity,
            color: Rgb([1, 2, 3]),
            key: None,
            attributes: Vec::new(),
        }
    }

    #[test]
    fn a_batch_adds_a_label_and_uses_it_as_one_step() {
        let (mut project, annotation) = project();
        let original = project.clone();
        let batch = Edit::Batch(vec![
            Edit::AddLabels(vec![weapon()]),
            Edit::Insert(vec![annotation]),
        ]);
        let inverse = project.apply(batch).expect("batch");
        assert_eq!(project.annotation_count(), 1);
        assert!(project.schema.label(&LabelId("weapon".into())).is_some());
        project.apply(inverse).expect("undo");
        assert_eq!(project.schema, original.schema);
        assert_eq!(project.annotation_count(), 0);
    }

    #[test]
    fn ids_in_use_or_repeated_are_refused_whether_or_not_they_look_fresh() {
        let (mut project, annotation) = project();
        project
            .apply(Edit::AddLabels(vec![weapon()]))
            .expect("label");
        let with_id = |id: u64| Annotation {
            id: AnnotationId(id),
            ..annotation.clone()
        };
        project
            .apply(Edit::Insert(vec![with_id(5)]))
            .expect("insert");
        // On the review list with the largest id of all.
        project
            .apply(Edit::AddOrphans(vec![crate::model::Orphan {
                annotation: with_id(50),
                reason: "moved".to_owned(),
                suggestion: None,
            }]))
            .expect("orphan");
        for (ids, taken) in [
            (vec![50], 50),
            (vec![51, 52, 50], 50),
            (vec![5], 5),
            (vec![60, 60], 60),
            (vec![61, 62, 61], 61),
        ] {
            let edit = Edit::Insert(ids.into_iter().map(with_id).collect());
            assert_eq!(
                project.apply(edit),
                Err(EditError::DuplicateId(AnnotationId(taken)))
            );
        }
        assert_eq!(project.annotation_count(), 1);
        // Fresh ids, increasing: inserted, and undone by their inverse.
        let inverse = project
            .apply(Edit::Insert(vec![with_id(51), with_id(70)]))
            .expect("insert");
        assert_eq!(project.annotation_count(), 3);
        project.apply(inverse).expect("undo");
        assert_eq!(project.annotation_count(), 1);
    }

    #[test]
    fn a_failing_batch_is_rolled_back() {
        let (mut project, annotation) = project();
        let original = project.clone();
        let mut out_of_range = annotation.clone();
        out_of_range.id = AnnotationId(99);
        out_of_range.span = Span::between(CharPos(0), CharPos(50));
        let batch = Edit::Batch(vec![
            Edit::AddLabels(vec![weapon()]),
            Edit::Insert(vec![annotation]),
            Edit::Insert(vec![out_of_range]),
        ]);
        assert!(matches!(
            project.apply(batch),
            Err(EditError::OutOfRange { .. })
        ));
        assert_eq!(project.schema, original.schema);
        assert_eq!(project.annotation_count(), 0);
    }

    #[test]
    fn labels_in_use_cannot_be_removed() {
        let (mut project, annotation) = project();
        project
            .apply(Edit::Batch(vec![
                Edit::AddLabels(vec![weapon()]),
                Edit::Insert(vec![annotation]),
            ]))
            .expect("batch");
        let result = project.apply(Edit::RemoveLabels(vec![LabelId("weapon".into())]));
        assert!(matches!(result, Err(EditError::LabelInUse(_))));
    }

    #[test]
    fn document_status_is_an_undoable_edit() {
        let (mut project, annotation) = project();
        let document = annotation.document;
        let inverse = project
            .apply(Edit::SetStatus(document, DocumentStatus::Done))
            .expect("set");
        assert_eq!(
            project.document(document).map(|d| d.status),
            Some(DocumentStatus::Done)
        );
        project.apply(inverse).expect("undo");
        assert_eq!(
            project.document(document).map(|d| d.status),
            Some(DocumentStatus::ToDo)
        );
        assert_eq!(
            project.apply(Edit::SetStatus(DocumentId(9), DocumentStatus::Done)),
            Err(EditError::UnknownDocument(DocumentId(9)))
        );
    }

    #[test]
    fn a_document_goes_only_once_empty_and_its_removal_is_undone() {
        let (mut project, annotation) = project();
        let document = annotation.document;
        project
            .apply(Edit::Batch(vec![
                Edit::AddLabels(vec![weapon()]),
                Edit::Insert(vec![annotation.clone()]),
            ]))
            .expect("insert");
        assert_eq!(
            project.apply(Edit::RemoveDocuments(vec![document])),
            Err(EditError::DocumentInUse(document)),
            "its annotations first"
        );
        let before = project.clone();
        let inverse = project
            .apply(Edit::Batch(vec![
                Edit::Remove(vec![annotation.id]),
                Edit::RemoveDocuments(vec![document]),
            ]))
            .expect("remove");
        assert!(project.document(document).is_none());
        assert!(project.documents().is_empty());
        project.apply(inverse).expect("undo");
        assert_eq!(project.documents(), before.documents());
        assert_eq!(
            project.annotation(annotation.id),
            before.annotation(annotation.id)
        );
        let again = project.documents()[0].clone();
        assert_eq!(
            project.apply(Edit::AddDocuments(vec![again])),
            Err(EditError::DuplicateDocument(document))
        );
    }
}
