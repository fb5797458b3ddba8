//! Suggestions for an open project's documents, and accepting them: one undo step however
//! many are accepted at once.

use jiff::Timestamp;

use super::Workspace;
use crate::model::{
    Annotation, Attributes, Coalesce, Directness, DocumentId, Edit, EditError, Entity, LabelKind,
    Source,
};
use crate::suggest::{Suggestion, SuggestionKind, suggest_document};

impl Workspace {
    /// The suggestions for one document (none if its text is not loaded).
    pub fn suggestions(&self, document: DocumentId) -> Vec<Suggestion> {
        self.text(document)
            .map(|text| suggest_document(&self.project, document, text))
            .unwrap_or_default()
    }

    /// Turns `suggestions` into annotations as one undo step: a quote gets its speaker
    /// (a named speaker the registry does not know yet becomes a new person entity) and is
    /// marked direct (it was found between quotation marks); a mention is linked to its
    /// entity. Returns how many annotations were added.
    pub fn accept_suggestions(&mut self, suggestions: &[Suggestion]) -> Result<usize, EditError> {
        let now = Timestamp::now();
        let author = super::author();
        let person = self
            .project
            .schema
            .labels
            .iter()
            .filter(|l| l.kind == LabelKind::Entity)
            .min_by_key(|l| l.id.as_str() != "person")
            .map(|l| l.id.clone());
        let mut new_entities: Vec<Entity> = Vec::new();
        let mut annotations = Vec::with_capacity(suggestions.len());
        for suggestion in suggestions {
            let Some(text) = self.shared_text(suggestion.document) else {
                continue;
            };
            let (entity, attrs) = match &suggestion.kind {
                SuggestionKind::Mention { entity } => (Some(*entity), Attributes::default()),
                SuggestionKind::Quote {
                    speaker,
                    speaker_text,
                } => {
                    let source = match (speaker, speaker_text, &person) {
                        (Some(source), _, _) => Some(source.clone()),
                        (None, Some(name), Some(kind)) => Some(Source::Entity(
                            self.entity_for_speaker(&mut new_entities, name, kind),
                        )),
                        _ => None,
                    };
                    let attrs = Attributes {
                        source,
                        directness: Some(Directness::Direct),
                        ..Attributes::default()
                    };
                    (None, attrs)
                }
            };
            annotations.push(Annotation {
                id: self.project.allocate_annotation_id(),
                document: suggestion.document,
                label: suggestion.label.clone(),
                span: suggestion.span,
                fragments: Vec::new(),
                excerpt: crate::model::Excerpt::in_document(text),
                entity,
                attrs,
                note: String::new(),
                author: author.clone(),
                created: now,
                modified: now,
            });
        }
        let added = annotations.len();
        let mut edits = Vec::new();
        if !new_entities.is_empty() {
            edits.push(Edit::AddEntities(new_entities));
        }
        edits.push(Edit::Insert(annotations));
        self.apply(Edit::Batch(edits), Coalesce::No)?;
        Ok(added)
    }

    /// The entity created in this batch for a speaker named `name`, or a new one.
    fn entity_for_speaker(
        &mut self,
        new_entities: &mut Vec<Entity>,
        name: &str,
        kind: &crate::model::LabelId,
    ) -> crate::model::EntityId {
        if let Some(known) = new_entities.iter().find(|e| e.is_named(name)) {
            return known.id;
        }
        let id = self.project.allocate_entity_id();
        new_entities.push(Entity {
            id,
            name: name.to_owned(),
            kind: kind.clone(),
            aliases: Vec::new(),
            note: String::new(),
            external_id: None,
        });
        id
    }
}
