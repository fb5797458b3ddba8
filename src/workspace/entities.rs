//! The analyst's operations on the entity registry and on quote and claim attributes, each
//! one undo step: link a mention (learning its text as an alias), create an entity from a
//! mention, rename, merge, split, grade, relate two annotations, set a document's status.

use super::Workspace;
use crate::model::{
    Annotation, AnnotationId, Attributes, Coalesce, DocumentId, DocumentStatus, Edit, EditError,
    Entity, EntityId, EntityOpError, LabelKind,
};

/// Why an entity operation failed.
#[derive(Debug, thiserror::Error)]
pub enum EntityError {
    #[error(transparent)]
    Edit(#[from] EditError),
    #[error(transparent)]
    Op(#[from] EntityOpError),
    #[error("an entity needs a name")]
    EmptyName,
}

impl Workspace {
    /// The entity a new mention of `text` with an entity label of kind `label` links to
    /// without asking: the only entity of that kind so named, if exactly one is.
    pub(crate) fn unambiguous_entity(
        &self,
        text: &str,
        label: &crate::model::LabelId,
    ) -> Option<EntityId> {
        let is_entity_label =
            self.project.schema.label(label).map(|l| l.kind) == Some(LabelKind::Entity);
        if !is_entity_label {
            return None;
        }
        let named: Vec<&Entity> = self
            .project
            .entities_named(text, Some(label))
            .into_iter()
            .filter(|e| &e.kind == label)
            .collect();
        match named.as_slice() {
            [only] => Some(only.id),
            _ => None,
        }
    }

    /// Links mention `id` to `entity` (or unlinks it with `None`) as one undo step; a text
    /// the entity is not yet known by becomes one of its aliases in the same step.
    pub fn link_entity(
        &mut self,
        id: AnnotationId,
        entity: Option<EntityId>,
    ) -> Result<(), EntityError> {
        let annotation = self
            .project
            .annotation(id)
            .ok_or(EditError::MissingAnnotation(id))?;
        if annotation.entity == entity {
            return Ok(());
        }
        let mut changed = annotation.clone();
        changed.entity = entity;
        changed.touch(&self.analyst);
        let mut edits = Vec::new();
        if let Some(target) = entity {
            let known = self
                .project
                .entity(target)
                .ok_or(EntityOpError::Missing(target))?;
            let text = annotation
                .text()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            if !known.is_named(&text) && !text.is_empty() {
                let mut learned = known.clone();
                learned.aliases.push(text);
                edits.push(Edit::ReplaceEntities(vec![learned]));
            }
        }
        edits.push(Edit::Replace(vec![changed]));
        self.apply(Edit::Batch(edits), Coalesce::No)?;
        Ok(())
    }

    /// Creates an entity named after mention `id` (its kind the mention's label) and links
    /// the mention to it, as one undo step.
    pub fn new_entity_from(&mut self, id: AnnotationId) -> Result<EntityId, EntityError> {
        let annotation = self
            .project
            .annotation(id)
            .ok_or(EditError::MissingAnnotation(id))?
            .clone();
        let name = annotation
            .text()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if name.is_empty() {
            return Err(EntityError::EmptyName);
        }
        let entity = Entity {
            id: self.project.allocate_entity_id(&annotation.label, &name),
            name,
            kind: annotation.label.clone(),
            aliases: Vec::new(),
            note: String::new(),
            external_id: None,
        };
        let entity_id = entity.id;
        let mut linked = annotation;
        linked.entity = Some(entity_id);
        linked.touch(&self.analyst);
        self.apply(
            Edit::Batch(vec![
                Edit::AddEntities(vec![entity]),
                Edit::Replace(vec![linked]),
            ]),
            Coalesce::No,
        )?;
        Ok(entity_id)
    }

    /// Replaces an entity's record (name, aliases, note, external id) as one undo step.
    pub fn update_entity(&mut self, entity: Entity) -> Result<(), EntityError> {
        if entity.name.trim().is_empty() {
            return Err(EntityError::EmptyName);
        }
        if self.project.entity(entity.id) == Some(&entity) {
            return Ok(());
        }
        self.apply(Edit::ReplaceEntities(vec![entity]), Coalesce::No)?;
        Ok(())
    }

    /// Merges `absorbed` into `kept` as one undo step.
    pub fn merge_entities(
        &mut self,
        kept: EntityId,
        absorbed: EntityId,
    ) -> Result<(), EntityError> {
        let edit = self.project.merge_entities_edit(kept, absorbed)?;
        self.apply(edit, Coalesce::No)?;
        Ok(())
    }

    /// Moves `mentions` of `from` to a new entity named `name`, as one undo step.
    pub fn split_entity(
        &mut self,
        from: EntityId,
        mentions: &[AnnotationId],
        name: &str,
    ) -> Result<EntityId, EntityError> {
        if name.trim().is_empty() {
            return Err(EntityError::EmptyName);
        }
        let (edit, id) = self.project.split_entity_edit(from, mentions, name)?;
        self.apply(edit, Coalesce::No)?;
        Ok(id)
    }

    /// Removes an entity nothing refers to any more.
    pub fn delete_entity(&mut self, id: EntityId) -> Result<(), EntityError> {
        self.apply(Edit::RemoveEntities(vec![id]), Coalesce::No)?;
        Ok(())
    }

    /// Sets the speaker, claimant and grading of a quote or claim as one undo step.
    pub fn set_attributes(&mut self, id: AnnotationId, attrs: Attributes) -> Result<(), EditError> {
        self.update(id, Coalesce::No, |a: &mut Annotation| a.attrs = attrs)
    }

    /// Moves claims into confirmed clusters or back to the automatic grouping (the
    /// analyst's confirm, split, merge, add or dissolve: see [`crate::model::clusters`])
    /// as one undo step. How many claims changed.
    pub fn set_clusters(
        &mut self,
        changes: &[crate::model::clusters::Change],
    ) -> Result<usize, EditError> {
        let mut moved = Vec::new();
        for &(id, cluster) in changes {
            let old = self
                .project
                .annotation(id)
                .ok_or(EditError::MissingAnnotation(id))?;
            if old.attrs.cluster != cluster {
                let mut annotation = old.clone();
                annotation.attrs.cluster = cluster;
                annotation.touch(&self.analyst);
                moved.push(annotation);
            }
        }
        let count = moved.len();
        if count > 0 {
            self.apply(Edit::Replace(moved), Coalesce::No)?;
        }
        Ok(count)
    }

    /// Relates two annotations (`from` *kind* `to`) as one undo step.
    pub fn relate(
        &mut self,
        from: AnnotationId,
        to: AnnotationId,
        kind: &str,
    ) -> Result<crate::model::RelationId, EditError> {
        let id = self.project.allocate_relation_id();
        let relation = crate::model::Relation {
            id,
            kind: kind.trim().to_owned(),
            from,
            to,
        };
        self.apply(Edit::AddRelations(vec![relation]), Coalesce::No)?;
        Ok(id)
    }

    /// Removes a relation as one undo step.
    pub fn unrelate(&mut self, id: crate::model::RelationId) -> Result<(), EditError> {
        self.apply(Edit::RemoveRelations(vec![id]), Coalesce::No)
    }

    /// Removes `document` from the project with its annotations (and the relations they
    /// are in), its review list and its curated places, as one undo step: Ctrl+Z brings it
    /// all back. Its file on disk is not touched.
    pub fn remove_document(&mut self, document: DocumentId) -> Result<(), EditError> {
        if self.project.document(document).is_none() {
            return Err(EditError::UnknownDocument(document));
        }
        let annotations = self
            .project
            .annotations_of_iter(document)
            .map(|a| a.id)
            .collect();
        let orphans = self
            .project
            .orphans_of(document)
            .map(|o| o.annotation.id)
            .collect();
        let mut edits = vec![Edit::Remove(annotations), Edit::RemoveOrphans(orphans)];
        edits.extend(
            self.project
                .left_out()
                .filter(|place| place.document == document)
                .map(|place| Edit::SetLeftOut(place.clone(), false)),
        );
        edits.push(Edit::RemoveDocuments(vec![document]));
        self.apply(Edit::Batch(edits), Coalesce::No)
    }

    /// Sets a document's details (title, byline, date, outlet, address, language) and the
    /// analyst's note on it, as one undo step.
    pub fn set_metadata(
        &mut self,
        document: DocumentId,
        metadata: crate::model::Metadata,
    ) -> Result<(), EditError> {
        if self.project.document(document).map(|d| &d.metadata) == Some(&metadata) {
            return Ok(());
        }
        self.apply(
            Edit::SetMetadata(document, Box::new(metadata)),
            Coalesce::No,
        )
    }

    /// Sets the project memo, as one undo step.
    pub fn set_memo(&mut self, memo: String) {
        if self.project.memo != memo {
            // Cannot fail: the memo is free text.
            let _ = self.apply(Edit::SetMemo(memo), Coalesce::No);
        }
    }

    /// Sets how far the analyst has got with a document, as one undo step.
    pub fn set_status(
        &mut self,
        document: DocumentId,
        status: DocumentStatus,
    ) -> Result<(), EditError> {
        if self.project.document(document).map(|d| d.status) == Some(status) {
            return Ok(());
        }
        self.apply(Edit::SetStatus(document, status), Coalesce::No)
    }

    /// Assigns `document` to `analysts` (several for double coding; none to unassign), as
    /// one undo step; names are trimmed, empty ones and repeats dropped.
    pub fn assign(&mut self, document: DocumentId, analysts: &[String]) -> Result<(), EditError> {
        let mut names: Vec<String> = Vec::new();
        for name in analysts.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
            if !names.iter().any(|n| n == name) {
                names.push(name.to_owned());
            }
        }
        if self.project.document(document).map(|d| &d.assigned) == Some(&names) {
            return Ok(());
        }
        self.apply(Edit::SetAssigned(document, names), Coalesce::No)
    }
}
