//! [`Annotation`]: one labelled span of one document.

use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::attributes::{Attributes, Source};
use super::document::DocumentId;
use super::entity::EntityId;
use super::schema::LabelId;
use super::span::Span;

/// A project-wide, never reused annotation id.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(transparent)]
pub struct AnnotationId(pub u64);

impl fmt::Display for AnnotationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// A labelled span. Keeps its exact text and a little context on both sides so that it can
/// be re-anchored if its document changes (like the W3C `TextQuoteSelector`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    pub id: AnnotationId,
    #[serde(rename = "doc")]
    pub document: DocumentId,
    pub label: LabelId,
    /// Code points, end-exclusive.
    pub span: Span,
    /// The document's text under `span`, exactly.
    pub text: String,
    #[serde(default)]
    pub prefix: String,
    #[serde(default)]
    pub suffix: String,
    /// The entity this mention refers to (entity labels only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<EntityId>,
    /// Speaker, claimant and grading (quotes and claims).
    #[serde(default, skip_serializing_if = "Attributes::is_empty")]
    pub attrs: Attributes,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Who made it (the operating-system user), if known.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub author: String,
    pub created: Timestamp,
    pub modified: Timestamp,
}

impl Annotation {
    /// The order of the project file and of lists: by document, then start, then id.
    pub fn sort_key(&self) -> (DocumentId, usize, AnnotationId) {
        (self.document, self.span.start().0, self.id)
    }

    /// True if the annotation mentions `entity` or is attributed to it.
    pub fn refers_to(&self, entity: EntityId) -> bool {
        self.entity == Some(entity)
            || self.attrs.source.as_ref().and_then(Source::entity) == Some(entity)
    }

    /// Every entity the annotation mentions or is attributed to.
    pub fn entities(&self) -> impl Iterator<Item = EntityId> + '_ {
        self.entity
            .into_iter()
            .chain(self.attrs.source.as_ref().and_then(Source::entity))
    }

    /// Points every reference to `from` at `to` instead.
    pub fn replace_entity(&mut self, from: EntityId, to: EntityId) {
        if self.entity == Some(from) {
            self.entity = Some(to);
        }
        if self.attrs.source == Some(Source::Entity(from)) {
            self.attrs.source = Some(Source::Entity(to));
        }
    }
}

/// An annotation that no longer has a place in its document's text (the source changed, or
/// the project file held it in a state that could not be loaded), kept for the analyst to
/// review: attach it to the right text again, or discard it. Never silently dropped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Orphan {
    /// The annotation as it was, with its old span and exact text.
    pub annotation: Annotation,
    /// Why it needs review, in words for the analyst.
    pub reason: String,
    /// Where its text probably is now (a fuzzy match), if anywhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<Span>,
}
