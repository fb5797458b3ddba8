//! Changing the project's schema, each change one undo step: add a label, rename, recolour
//! or rekey one (annotations refer to the label's id, so they follow), delete one with
//! everything tagged with it (the window asks first), set the relation kinds.

use super::Workspace;
use crate::model::{Coalesce, Edit, EditError, Label, LabelId, LabelKind, Rgb};

/// Colours for new labels (the rest of the Okabe–Ito palette and its darker variants),
/// tried in order; the first not yet used is taken.
const NEW_COLOURS: [[u8; 3]; 8] = [
    [0x00, 0x00, 0x00],
    [0xF0, 0xE4, 0x42],
    [0x99, 0x44, 0x55],
    [0x44, 0xAA, 0x99],
    [0x88, 0x22, 0x55],
    [0x33, 0x22, 0x88],
    [0x66, 0x99, 0xCC],
    [0xAA, 0x44, 0x99],
];

/// Why a schema change was refused.
#[derive(Debug, thiserror::Error)]
pub enum SchemaChangeError {
    #[error(transparent)]
    Edit(#[from] EditError),
    #[error("a label needs a name")]
    EmptyName,
    #[error("{0} entities are of this kind; merge or delete them first")]
    EntitiesOfKind(usize),
}

impl Workspace {
    /// How many annotations (and annotations waiting for review) use `label`.
    pub fn label_usage(&self, label: &LabelId) -> usize {
        self.label_counts().get(label).copied().unwrap_or_default()
    }

    /// How many annotations (and annotations waiting for review) use each label, in one
    /// pass over the project.
    pub fn label_counts(&self) -> std::collections::HashMap<LabelId, usize> {
        let mut counts = std::collections::HashMap::new();
        let labels = self
            .project
            .annotations()
            .map(|a| &a.label)
            .chain(self.project.orphans().map(|o| &o.annotation.label));
        for label in labels {
            *counts.entry(label.clone()).or_default() += 1;
        }
        counts
    }

    /// Adds a label named `name` of `kind` (a fresh id from the name, an unused colour and
    /// the first free key 1–9); returns its id.
    pub fn add_label(&mut self, name: &str, kind: LabelKind) -> Result<LabelId, SchemaChangeError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(SchemaChangeError::EmptyName);
        }
        let schema = &self.project.schema;
        let base: String = name
            .to_lowercase()
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { '-' })
            .collect();
        let base = base.trim_matches('-').to_owned();
        let base = if base.is_empty() {
            "label".to_owned()
        } else {
            base
        };
        // At most one more candidate than there are labels: one of them is free.
        let id = std::iter::once(base.clone())
            .chain((2..=schema.labels.len() + 2).map(|n| format!("{base}-{n}")))
            .map(|id| LabelId(id.into()))
            .find(|id| schema.label(id).is_none())
            .unwrap_or(LabelId(base.into()));
        let color = NEW_COLOURS
            .iter()
            .map(|&c| Rgb(c))
            .find(|c| schema.labels.iter().all(|l| l.color != *c))
            .unwrap_or(Rgb([0x77, 0x77, 0x77]));
        let key = ('1'..='9').find(|k| schema.label_for_key(*k).is_none());
        let label = Label {
            id: id.clone(),
            name: name.to_owned(),
            kind,
            color,
            key,
            attributes: Vec::new(),
        };
        self.apply(Edit::AddLabels(vec![label]), Coalesce::No)?;
        Ok(id)
    }

    /// Renames, recolours or rekeys a label (its id and kind stay).
    pub fn update_label(&mut self, label: Label) -> Result<(), SchemaChangeError> {
        if label.name.trim().is_empty() {
            return Err(SchemaChangeError::EmptyName);
        }
        if self.project.schema.label(&label.id) == Some(&label) {
            return Ok(());
        }
        self.apply(Edit::ReplaceLabels(vec![label]), Coalesce::No)?;
        Ok(())
    }

    /// Deletes a label and every annotation tagged with it (also on the review list), as one
    /// undo step; returns how many annotations went. Refused while entities are of its kind.
    pub fn delete_label(&mut self, label: &LabelId) -> Result<usize, SchemaChangeError> {
        let entities = self.project.entities().filter(|e| &e.kind == label).count();
        if entities > 0 {
            return Err(SchemaChangeError::EntitiesOfKind(entities));
        }
        let annotations: Vec<_> = self
            .project
            .annotations()
            .filter(|a| &a.label == label)
            .map(|a| a.id)
            .collect();
        let orphans: Vec<_> = self
            .project
            .orphans()
            .filter(|o| &o.annotation.label == label)
            .map(|o| o.annotation.id)
            .collect();
        let removed = annotations.len() + orphans.len();
        self.apply(
            Edit::Batch(vec![
                Edit::Remove(annotations),
                Edit::RemoveOrphans(orphans),
                Edit::RemoveLabels(vec![label.clone()]),
            ]),
            Coalesce::No,
        )?;
        Ok(removed)
    }

    /// Sets the relation kinds offered (existing relations keep theirs).
    pub fn set_relation_kinds(&mut self, kinds: &[String]) -> Result<(), EditError> {
        let kinds: Vec<String> = kinds.iter().map(|k| k.trim().to_owned()).collect();
        if kinds == self.project.schema.relation_kinds {
            return Ok(());
        }
        self.apply(Edit::SetRelationKinds(kinds), Coalesce::No)
    }
}
