//! Edits are data: every change to annotations is an [`Edit`] that [`Project::apply`]
//! validates and carries out, returning the edit that undoes it.
//!
//! One user action is one `Edit`, however many annotations it touches, so it is one undo
//! step. Applying is all-or-nothing: a failed edit changes nothing.

use super::annotation::{Annotation, AnnotationId};
use super::document::DocumentId;
use super::project::Project;
use super::schema::LabelId;
use super::span::Span;

/// A change to the project's annotations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Add these annotations (their ids must be new).
    Insert(Vec<Annotation>),
    /// Remove the annotations with these ids.
    Remove(Vec<AnnotationId>),
    /// Replace existing annotations by these (matched by id).
    Replace(Vec<Annotation>),
}

/// Why an edit was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("annotation {0} already exists")]
    DuplicateId(AnnotationId),
    #[error("annotation {0} does not exist")]
    MissingAnnotation(AnnotationId),
    #[error("annotation {id} refers to {document}, which is not in the project")]
    MissingDocument {
        id: AnnotationId,
        document: DocumentId,
    },
    #[error("annotation {id} uses label {label:?}, which the schema does not define")]
    UnknownLabel { id: AnnotationId, label: LabelId },
    #[error("annotation {id} spans {span}, past the end of its document ({char_len} characters)")]
    OutOfRange {
        id: AnnotationId,
        span: Span,
        char_len: usize,
    },
    #[error("annotation {0} is empty")]
    EmptySpan(AnnotationId),
}

impl Edit {
    /// True if the edit changes nothing.
    pub fn is_empty(&self) -> bool {
        match self {
            Self::Insert(a) | Self::Replace(a) => a.is_empty(),
            Self::Remove(ids) => ids.is_empty(),
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
            Edit::Remove(ids) => {
                let removed = ids
                    .iter()
                    .filter_map(|id| self.remove_unchecked(*id))
                    .collect();
                Edit::Insert(removed)
            }
            Edit::Replace(annotations) => {
                let old = annotations
                    .into_iter()
                    .filter_map(|a| self.replace_unchecked(a))
                    .collect();
                Edit::Replace(old)
            }
        })
    }

    fn check(&self, edit: &Edit) -> Result<(), EditError> {
        match edit {
            Edit::Insert(annotations) => {
                let mut seen = std::collections::HashSet::new();
                for a in annotations {
                    if self.annotation(a.id).is_some() || !seen.insert(a.id) {
                        return Err(EditError::DuplicateId(a.id));
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
        }
        Ok(())
    }

    /// Checks one annotation against the project: its document, label and range.
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
