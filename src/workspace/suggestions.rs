//! Suggestions for an open project's documents, and accepting them: one undo step however
//! many are accepted at once.

use jiff::Timestamp;

use super::Workspace;
use crate::model::{
    Annotation, AnnotationId, Attributes, Coalesce, DocumentId, Edit, EditError, Entity, LabelKind,
    Source,
};
use crate::suggest::{Suggestion, SuggestionKind, suggest_document};

/// A speaker the text names: how it names them, and the source they are (`None` for a name
/// the registry does not know yet).
pub type SpeakerProposal = (String, Option<Source>);

impl Workspace {
    /// The suggestions for one document (none if its text is not loaded), without those
    /// the analyst rejected.
    pub fn suggestions(&self, document: DocumentId) -> Vec<Suggestion> {
        let Some(super::DocumentState::Loaded(loaded)) = self.texts.get(&document) else {
            return Vec::new();
        };
        let quotes = loaded
            .quotes
            .get_or_init(|| crate::suggest::quote_spans(&loaded.text));
        suggest_document(&self.project, document, &loaded.text, quotes)
            .into_iter()
            .filter(|s| !self.project.is_rejected(s.document, s.span, &s.label))
            .collect()
    }

    /// The speaker the text names for the quote `id` (its attribution cue, as suggestions
    /// find it: "…," Essid declared), when the quote has none set: how the text names them,
    /// and the source it would be (an entity of the registry, an unnamed source; `None`
    /// for a name the registry does not know, which accepting adds as a person).
    pub fn proposed_speaker(&self, id: AnnotationId) -> Option<SpeakerProposal> {
        let annotation = self.project.annotation(id)?;
        if annotation.attrs.source.is_some() {
            return None;
        }
        let text = self.text(annotation.document)?;
        // The quote's paragraphs are enough: a cue stands beside its quotation.
        let paragraphs = text.paragraphs_overlapping(annotation.span);
        let first = text.paragraphs().get(paragraphs.start)?.span.start();
        let last = text
            .paragraphs()
            .get(paragraphs.end.checked_sub(1)?)?
            .span
            .end();
        let passage = crate::model::DocText::new(
            text.slice(crate::model::Span::new(first, last).ok()?)?
                .to_owned(),
        );
        let local = |pos: crate::model::CharPos| pos.distance_from(first);
        let (from, to) = (local(annotation.span.start()), local(annotation.span.end()));
        let speaker = crate::suggest::quote_spans(&passage)
            .into_iter()
            .find(|q| q.speaker.is_some() && q.span.start().0 < to && from < q.span.end().0)?
            .speaker?;
        let source = crate::suggest::speaker_source(&self.project, &speaker);
        Some((speaker.text().to_owned(), source))
    }

    /// Sets the quote `id`'s speaker to the one its text names ([`Self::proposed_speaker`]),
    /// adding a person to the registry for a name it does not know, as one undo step.
    pub fn accept_proposed_speaker(&mut self, id: AnnotationId) -> Result<bool, EditError> {
        let Some((name, source)) = self.proposed_speaker(id) else {
            return Ok(false);
        };
        let Some(annotation) = self.project.annotation(id) else {
            return Ok(false);
        };
        let mut changed = annotation.clone();
        let mut new_entities = Vec::new();
        let source = if let Some(source) = source {
            source
        } else {
            let Some(kind) = self.person_label() else {
                return Ok(false);
            };
            Source::Entity(self.entity_for_speaker(&mut new_entities, &name, &kind))
        };
        changed.attrs.source = Some(source);
        changed.touch(&self.analyst);
        let mut edits = Vec::new();
        if !new_entities.is_empty() {
            edits.push(Edit::AddEntities(new_entities));
        }
        edits.push(Edit::Replace(vec![changed]));
        self.apply(Edit::Batch(edits), Coalesce::No)?;
        Ok(true)
    }

    /// Remembers `suggestions` as rejected: they are not offered again, also after the
    /// project is saved and opened again.
    pub fn reject_suggestions(&mut self, suggestions: &[Suggestion]) {
        let rejected = suggestions.iter().map(|s| crate::model::Rejected {
            document: s.document,
            start: s.span.start().0,
            end: s.span.end().0,
            label: s.label.clone(),
        });
        if self.project.reject(rejected) {
            self.mark_structure_changed();
        }
    }

    /// Turns `suggestions` into annotations as one undo step: a quote gets its speaker
    /// (a named speaker the registry does not know yet becomes a new person entity) and is
    /// marked direct (found between quotation marks) or indirect (reported speech); a
    /// mention is linked to its entity. Returns how many annotations were added.
    pub fn accept_suggestions(&mut self, suggestions: &[Suggestion]) -> Result<usize, EditError> {
        let now = Timestamp::now();
        let author = self.analyst.clone();
        let person = self.person_label();
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
                    directness,
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
                        directness: Some(*directness),
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
                changed_by: String::new(),
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

    /// The label a new speaker entity gets: `person`, else the first entity label.
    fn person_label(&self) -> Option<crate::model::LabelId> {
        self.project
            .schema
            .labels
            .iter()
            .filter(|l| l.kind == LabelKind::Entity)
            .min_by_key(|l| l.id.as_str() != "person")
            .map(|l| l.id.clone())
    }

    /// The entity for a speaker the suggestion names `name`: an entity of the registry (or
    /// created in this batch) whose name or alias the guess holds, the longest such name
    /// winning ("Lotfi Azzouz" for the guess "Lotfi Azzouz Tunisia": a guess often runs on
    /// into a title or a place); a new one only when none does.
    fn entity_for_speaker(
        &mut self,
        new_entities: &mut Vec<Entity>,
        name: &str,
        kind: &crate::model::LabelId,
    ) -> crate::model::EntityId {
        let known = self
            .project
            .entities()
            .chain(new_entities.iter())
            .filter(|e| &e.kind == kind)
            .filter_map(|e| Some((e.named_within(name)?, e.id)))
            .max_by_key(|&(words, id)| (words, std::cmp::Reverse(id)));
        if let Some((_, id)) = known {
            return id;
        }
        let id = self.project.allocate_entity_id(kind, name);
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
