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
    /// Code points, end-exclusive. For a discontinuous annotation, from the start of its
    /// first fragment to the end of its last.
    pub span: Span,
    /// The pieces of a discontinuous annotation (a quote interrupted by "he said"), in
    /// order, at least two, separated by at least one character, the first starting and the
    /// last ending with `span`. Empty for the usual continuous annotation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fragments: Vec<Span>,
    /// The document's text under `span`, exactly (gaps between fragments included, so
    /// that re-anchoring finds the whole passage).
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

    /// The pieces of text the annotation covers: its fragments, or its one span.
    pub fn pieces(&self) -> &[Span] {
        if self.fragments.is_empty() {
            std::slice::from_ref(&self.span)
        } else {
            &self.fragments
        }
    }

    /// True if the annotation has more than one fragment.
    pub fn is_discontinuous(&self) -> bool {
        !self.fragments.is_empty()
    }

    /// The text of each piece (taken from `text`, which spans them all).
    pub fn piece_texts(&self) -> Vec<&str> {
        let base = self.span.start().0;
        self.pieces()
            .iter()
            .map(|piece| {
                let from = piece.start().0 - base;
                char_slice(&self.text, from, from + piece.len())
            })
            .collect()
    }

    /// The words the annotation marks: its text, or its fragments' texts joined by " … ".
    pub fn marked_text(&self) -> std::borrow::Cow<'_, str> {
        if self.fragments.is_empty() {
            std::borrow::Cow::Borrowed(&self.text)
        } else {
            std::borrow::Cow::Owned(self.piece_texts().join(" … "))
        }
    }

    /// True if the character at `pos` is covered (not in a gap between fragments).
    pub fn covers(&self, pos: super::CharPos) -> bool {
        self.pieces().iter().any(|p| p.contains(pos))
    }

    /// Moves the annotation to `span`, shifting its fragments with it: the gaps keep their
    /// places relative to the start. `span` must have the old span's length when the
    /// annotation has fragments.
    pub fn move_to(&mut self, span: Span) {
        let old = self.span.start().0;
        let new = span.start().0;
        for fragment in &mut self.fragments {
            let start = fragment.start().0 + new - old;
            let end = fragment.end().0 + new - old;
            *fragment = Span::between(super::CharPos(start), super::CharPos(end));
        }
        self.span = span;
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

/// The characters `from..to` of `s` (fewer if `s` is shorter).
fn char_slice(s: &str, from: usize, to: usize) -> &str {
    let rest = s.char_indices().nth(from).map_or("", |(i, _)| &s[i..]);
    let end = rest
        .char_indices()
        .nth(to - from)
        .map_or(rest.len(), |(i, _)| i);
    &rest[..end]
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
