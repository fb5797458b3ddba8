//! The attributes a project defines per label (text, number, yes/no, choice): defining,
//! renaming (values follow), deleting (values go with it, one undo step) and setting an
//! annotation's value, checked against its definition.

use std::hash::{Hash, Hasher};

use super::Workspace;
use crate::model::{AnnotationId, AttributeDef, Coalesce, Edit, EditError, Label, LabelId};

/// Why an attribute change was refused.
#[derive(Debug, thiserror::Error)]
pub enum AttributeError {
    #[error(transparent)]
    Edit(#[from] EditError),
    #[error("label \"{}\" does not exist", .0.0)]
    UnknownLabel(LabelId),
    #[error("label {label} has no attribute called {name:?}")]
    UnknownAttribute { label: String, name: String },
    #[error("label {label} already has an attribute called {name:?}")]
    DuplicateName { label: String, name: String },
    #[error("an attribute needs a name")]
    EmptyName,
    #[error("a choice needs at least one option")]
    NoOptions,
    #[error("{name}: {problem}")]
    BadValue { name: String, problem: String },
}

impl Workspace {
    fn label_for_attributes(&self, label: &LabelId) -> Result<&Label, AttributeError> {
        self.project
            .schema
            .label(label)
            .ok_or_else(|| AttributeError::UnknownLabel(label.clone()))
    }

    /// Adds an attribute to `label` (one undo step).
    pub fn add_attribute(
        &mut self,
        label: &LabelId,
        attribute: AttributeDef,
    ) -> Result<(), AttributeError> {
        let attribute = checked(attribute)?;
        let mut edited = self.label_for_attributes(label)?.clone();
        if edited.attribute(&attribute.name).is_some() {
            return Err(AttributeError::DuplicateName {
                label: edited.name,
                name: attribute.name,
            });
        }
        edited.attributes.push(attribute);
        self.apply(Edit::ReplaceLabels(vec![edited]), Coalesce::No)?;
        Ok(())
    }

    /// Changes attribute `name` of `label` (its name, kind or options) as one undo step;
    /// on a rename the values of annotations follow. Values that do not fit a new kind are
    /// kept as they are (shown and exported, never dropped).
    pub fn update_attribute(
        &mut self,
        label: &LabelId,
        name: &str,
        attribute: AttributeDef,
    ) -> Result<(), AttributeError> {
        let attribute = checked(attribute)?;
        let mut edited = self.label_for_attributes(label)?.clone();
        let Some(index) = edited.attributes.iter().position(|a| a.name == name) else {
            return Err(AttributeError::UnknownAttribute {
                label: edited.name,
                name: name.to_owned(),
            });
        };
        if attribute.name != name && edited.attribute(&attribute.name).is_some() {
            return Err(AttributeError::DuplicateName {
                label: edited.name,
                name: attribute.name,
            });
        }
        if edited.attributes[index] == attribute {
            return Ok(());
        }
        let new_name = attribute.name.clone();
        edited.attributes[index] = attribute;
        let moved = self.values_changed(label, name, |values| {
            if let Some(value) = values.remove(name) {
                values.insert(new_name.clone(), value);
            }
        });
        self.apply(
            Edit::Batch(vec![
                Edit::ReplaceLabels(vec![edited]),
                Edit::Replace(moved),
            ]),
            Coalesce::No,
        )?;
        Ok(())
    }

    /// Deletes attribute `name` of `label` and every annotation's value of it, as one undo
    /// step; returns how many values went.
    pub fn delete_attribute(
        &mut self,
        label: &LabelId,
        name: &str,
    ) -> Result<usize, AttributeError> {
        let mut edited = self.label_for_attributes(label)?.clone();
        let before = edited.attributes.len();
        edited.attributes.retain(|a| a.name != name);
        if edited.attributes.len() == before {
            return Err(AttributeError::UnknownAttribute {
                label: edited.name,
                name: name.to_owned(),
            });
        }
        let cleared = self.values_changed(label, name, |values| {
            values.remove(name);
        });
        let count = cleared.len();
        self.apply(
            Edit::Batch(vec![
                Edit::ReplaceLabels(vec![edited]),
                Edit::Replace(cleared),
            ]),
            Coalesce::No,
        )?;
        Ok(count)
    }

    /// How many annotations of `label` have a value for attribute `name`.
    pub fn attribute_usage(&self, label: &LabelId, name: &str) -> usize {
        self.project
            .annotations()
            .filter(|a| &a.label == label && a.attrs.values.contains_key(name))
            .count()
    }

    /// The annotations of `label` holding a value for `name`, changed by `change`.
    fn values_changed(
        &self,
        label: &LabelId,
        name: &str,
        change: impl Fn(&mut std::collections::BTreeMap<String, String>),
    ) -> Vec<crate::model::Annotation> {
        let now = jiff::Timestamp::now();
        let analyst = &self.analyst;
        self.project
            .annotations()
            .filter(|a| &a.label == label && a.attrs.values.contains_key(name))
            .map(|a| {
                let mut changed = a.clone();
                change(&mut changed.attrs.values);
                changed.touch_at(now, analyst);
                changed
            })
            .collect()
    }

    /// Sets annotation `id`'s value of attribute `name` (defined by its label), checked
    /// against the attribute's kind; an empty value clears it. Typing into a text or number
    /// attribute merges into one undo step.
    pub fn set_attribute_value(
        &mut self,
        id: AnnotationId,
        name: &str,
        value: &str,
    ) -> Result<(), AttributeError> {
        let annotation = self
            .project
            .annotation(id)
            .ok_or(EditError::MissingAnnotation(id))?;
        let label = self.label_for_attributes(&annotation.label)?;
        let definition = label.attribute(name);
        let value = value.trim();
        let stored = if value.is_empty() {
            None
        } else {
            let definition = definition.ok_or_else(|| AttributeError::UnknownAttribute {
                label: label.name.clone(),
                name: name.to_owned(),
            })?;
            let checked =
                definition
                    .kind
                    .check(value)
                    .map_err(|problem| AttributeError::BadValue {
                        name: name.to_owned(),
                        problem,
                    })?;
            Some(checked)
        };
        let typed = matches!(
            definition.map(|a| &a.kind),
            Some(crate::model::AttributeKind::Text | crate::model::AttributeKind::Number)
        );
        let coalesce = if typed {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            name.hash(&mut hasher);
            Coalesce::Typing(id, hasher.finish())
        } else {
            Coalesce::No
        };
        self.update(id, coalesce, |a| match stored {
            Some(v) => {
                a.attrs.values.insert(name.to_owned(), v);
            }
            None => {
                a.attrs.values.remove(name);
            }
        })?;
        Ok(())
    }
}

/// The attribute with its name and options trimmed, or why it cannot be defined.
fn checked(mut attribute: AttributeDef) -> Result<AttributeDef, AttributeError> {
    attribute.name = attribute.name.trim().to_owned();
    if attribute.name.is_empty() {
        return Err(AttributeError::EmptyName);
    }
    if let crate::model::AttributeKind::Choice(options) = &mut attribute.kind {
        for option in options.iter_mut() {
            *option = option.trim().to_owned();
        }
        options.retain(|o| !o.is_empty());
        options.dedup();
        if options.is_empty() {
            return Err(AttributeError::NoOptions);
        }
    }
    Ok(attribute)
}
