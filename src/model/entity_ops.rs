//! Merging, splitting and finding entities by name: operations on the [`Project`] built as
//! ordinary [`Edit`]s, so each is one undo step.

use super::annotation::AnnotationId;
use super::edit::Edit;
use super::entity::{Entity, EntityId};
use super::project::Project;
use super::schema::LabelId;

/// Why an entity operation cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntityOpError {
    #[error("{0} does not exist")]
    Missing(EntityId),
    #[error("an entity cannot be merged into itself")]
    SameEntity,
    #[error("annotation {0} does not mention the entity being split")]
    NotAMention(AnnotationId),
}

impl Project {
    /// The edit that merges `absorbed` into `kept`: every mention and every quote or claim
    /// attributed to `absorbed` now points to `kept`, which takes over its name (as an
    /// alias), aliases, note and external id where it had none; `absorbed` is removed.
    pub fn merge_entities_edit(
        &self,
        kept: EntityId,
        absorbed: EntityId,
    ) -> Result<Edit, EntityOpError> {
        if kept == absorbed {
            return Err(EntityOpError::SameEntity);
        }
        let keep = self.entity(kept).ok_or(EntityOpError::Missing(kept))?;
        let gone = self
            .entity(absorbed)
            .ok_or(EntityOpError::Missing(absorbed))?;
        let mut merged = keep.clone();
        for name in gone.names() {
            if !merged.is_named(name) {
                merged.aliases.push(name.to_owned());
            }
        }
        if merged.note.is_empty() {
            merged.note.clone_from(&gone.note);
        } else if !gone.note.is_empty() {
            merged.note = format!("{}\n{}", merged.note, gone.note);
        }
        if merged.external_id.is_none() {
            merged.external_id.clone_from(&gone.external_id);
        }
        let relinked = self
            .annotations_referring_to(absorbed)
            .into_iter()
            .map(|a| {
                let mut a = a.clone();
                a.replace_entity(absorbed, kept);
                a
            })
            .collect();
        Ok(Edit::Batch(vec![
            Edit::ReplaceEntities(vec![merged]),
            Edit::Replace(relinked),
            Edit::RemoveEntities(vec![absorbed]),
        ]))
    }

    /// The edit that splits `mentions` off `from` into a new entity named `name` (of the
    /// same kind), returned with the new entity's id.
    pub fn split_entity_edit(
        &mut self,
        from: EntityId,
        mentions: &[AnnotationId],
        name: &str,
    ) -> Result<(Edit, EntityId), EntityOpError> {
        let source = self.entity(from).ok_or(EntityOpError::Missing(from))?;
        let kind = source.kind.clone();
        let mut moved = Vec::with_capacity(mentions.len());
        for &id in mentions {
            let a = self
                .annotation(id)
                .filter(|a| a.entity == Some(from))
                .ok_or(EntityOpError::NotAMention(id))?;
            moved.push(a.clone());
        }
        let id = self.allocate_entity_id(&kind, name.trim());
        for a in &mut moved {
            a.entity = Some(id);
        }
        let entity = Entity {
            id,
            name: name.trim().to_owned(),
            kind,
            aliases: Vec::new(),
            note: String::new(),
            external_id: None,
        };
        Ok((
            Edit::Batch(vec![Edit::AddEntities(vec![entity]), Edit::Replace(moved)]),
            id,
        ))
    }

    /// Entities named `text` (by name or alias), best first: those whose kind is `kind`.
    pub fn entities_named(&self, text: &str, kind: Option<&LabelId>) -> Vec<&Entity> {
        let mut found: Vec<&Entity> = self.entities().filter(|e| e.is_named(text)).collect();
        found.sort_by_key(|e| (Some(&e.kind) != kind, e.id));
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hagel() -> Entity {
        Entity {
            id: EntityId(1),
            name: "Chuck Hagel".to_owned(),
            kind: LabelId("person".into()),
            aliases: vec!["Hagel".to_owned(), "the defense secretary".to_owned()],
            note: String::new(),
            external_id: Some("Q311063".to_owned()),
        }
    }

    /// A project with one document, Hagel and "Chuck" as separate entities, two mentions
    /// of each and a quote attributed to "Chuck".
    fn project() -> (Project, EntityId, EntityId) {
        use crate::model::{
            Annotation, Attributes, CharPos, Document, DocumentId, Metadata, Source, SourceFormat,
            Span,
        };
        let mut project = Project::new("t");
        let document = project.add_document(Document {
            id: DocumentId::default(),
            path: "a.txt".to_owned(),
            sha256: String::new(),
            format: SourceFormat::PlainText,
            encoding: "UTF-8".to_owned(),
            encoding_chosen: false,
            char_len: 100,
            metadata: Metadata::default(),
            status: crate::model::DocumentStatus::default(),
            assigned: Vec::new(),
            ..Document::default()
        });
        let hagel = hagel();
        let mut chuck = hagel.clone();
        chuck.id = EntityId(2);
        chuck.name = "Chuck".to_owned();
        chuck.aliases = vec!["Hagel".to_owned(), "C.H.".to_owned()];
        chuck.note = "same man?".to_owned();
        chuck.external_id = None;
        let annotation = |project: &mut Project, at: usize, entity, label: &str| Annotation {
            id: project.allocate_annotation_id(),
            document,
            label: LabelId(label.into()),
            span: Span::between(CharPos(at), CharPos(at + 5)),
            fragments: Vec::new(),
            excerpt: crate::model::Excerpt::held("xxxxx", "", ""),
            entity: (label == "person").then_some(entity),
            attrs: if label == "quote" {
                Attributes {
                    source: Some(Source::Entity(entity)),
                    ..Attributes::default()
                }
            } else {
                Attributes::default()
            },
            note: String::new(),
            author: String::new(),
            changed_by: String::new(),
            created: jiff::Timestamp::UNIX_EPOCH,
            modified: jiff::Timestamp::UNIX_EPOCH,
        };
        let annotations = vec![
            annotation(&mut project, 0, EntityId(1), "person"),
            annotation(&mut project, 10, EntityId(1), "person"),
            annotation(&mut project, 20, EntityId(2), "person"),
            annotation(&mut project, 30, EntityId(2), "person"),
            annotation(&mut project, 40, EntityId(2), "quote"),
        ];
        project
            .apply(Edit::Batch(vec![
                Edit::AddEntities(vec![hagel, chuck]),
                Edit::Insert(annotations),
            ]))
            .expect("setup");
        (project, EntityId(1), EntityId(2))
    }

    #[test]
    fn merging_moves_every_reference_and_name_and_undoes_in_one_step() {
        let (mut project, hagel, chuck) = project();
        let before = project.clone();
        let edit = project.merge_entities_edit(hagel, chuck).expect("merge");
        let inverse = project.apply(edit).expect("apply");
        assert!(project.entity(chuck).is_none());
        let merged = project.entity(hagel).expect("kept");
        assert_eq!(
            merged.aliases,
            ["Hagel", "the defense secretary", "Chuck", "C.H."]
        );
        assert_eq!(merged.note, "same man?");
        assert_eq!(merged.external_id.as_deref(), Some("Q311063"));
        assert_eq!(project.mentions_of(hagel).len(), 4);
        assert_eq!(project.annotations_referring_to(hagel).len(), 5);
        assert!(project.annotations_referring_to(chuck).is_empty());
        project.apply(inverse).expect("undo");
        assert_eq!(project, before);
        assert_eq!(project.mentions_of(chuck).len(), 2);
    }

    #[test]
    fn merging_needs_two_existing_entities() {
        let (project, hagel, _) = project();
        assert_eq!(
            project.merge_entities_edit(hagel, hagel),
            Err(EntityOpError::SameEntity)
        );
        assert_eq!(
            project.merge_entities_edit(hagel, EntityId(9)),
            Err(EntityOpError::Missing(EntityId(9)))
        );
    }

    #[test]
    fn splitting_moves_the_chosen_mentions_to_a_new_entity_in_one_step() {
        let (mut project, hagel, _) = project();
        let before = project.clone();
        let moved = project.mentions_of(hagel)[1].id;
        let (edit, new) = project
            .split_entity_edit(hagel, &[moved], " Chuck Hagel Jr. ")
            .expect("split");
        let inverse = project.apply(edit).expect("apply");
        assert_eq!(
            project.entity(new).map(|e| e.name.as_str()),
            Some("Chuck Hagel Jr.")
        );
        assert_eq!(project.mentions_of(new).len(), 1);
        assert_eq!(project.mentions_of(hagel).len(), 1);
        project.apply(inverse).expect("undo");
        assert_eq!(project.entities().len(), before.entities().len());
        assert_eq!(project.mentions_of(hagel).len(), 2);
        let not_a_mention = project.mentions_of(EntityId(2))[0].id;
        assert_eq!(
            project
                .split_entity_edit(hagel, &[not_a_mention], "x")
                .map(|(_, id)| id),
            Err(EntityOpError::NotAMention(not_a_mention))
        );
    }

    #[test]
    fn entities_in_use_cannot_be_removed_and_links_must_exist() {
        let (mut project, hagel, chuck) = project();
        assert_eq!(
            project.apply(Edit::RemoveEntities(vec![chuck])),
            Err(crate::model::EditError::EntityInUse(chuck))
        );
        let mut dangling = project.mentions_of(hagel)[0].clone();
        dangling.entity = Some(EntityId(77));
        assert!(matches!(
            project.apply(Edit::Replace(vec![dangling])),
            Err(crate::model::EditError::MissingEntity { .. })
        ));
        // A removed mention's entity can go once nothing refers to it.
        let ids: Vec<_> = project
            .annotations_referring_to(hagel)
            .iter()
            .map(|a| a.id)
            .collect();
        project.apply(Edit::Remove(ids)).expect("remove mentions");
        project
            .apply(Edit::RemoveEntities(vec![hagel]))
            .expect("remove entity");
    }

    #[test]
    fn entities_named_prefers_the_wanted_kind() {
        let (project, hagel, chuck) = project();
        let person = LabelId("person".into());
        let found: Vec<EntityId> = project
            .entities_named("hagel", Some(&person))
            .iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(found, [hagel, chuck]);
        assert!(project.entities_named("Kim", None).is_empty());
    }
}
