//! [`Annotation`]: one labelled span of one document.

use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::document::DocumentId;
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
