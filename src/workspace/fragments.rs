//! Discontinuous annotations: a quote interrupted by "he said" is one annotation with
//! several fragments. Adding a fragment and removing one are each one undo step.

use super::Workspace;
use crate::model::{AnnotationId, Coalesce, EditError, Span, span::merge_pieces};

impl Workspace {
    /// Adds `piece` of the annotation's document to annotation `id` as one more fragment
    /// (one undo step). A piece that overlaps or touches a fragment joins it; an annotation
    /// whose pieces join up into one becomes continuous again.
    pub fn add_fragment(&mut self, id: AnnotationId, piece: Span) -> Result<(), EditError> {
        let annotation = self
            .project
            .annotation(id)
            .ok_or(EditError::MissingAnnotation(id))?;
        let mut pieces = annotation.pieces().to_vec();
        pieces.push(piece);
        self.set_pieces(id, pieces)
    }

    /// Removes fragment `index` (in text order) from annotation `id` (one undo step). The
    /// last fragment cannot be removed; with one left the annotation is continuous again.
    pub fn remove_fragment(&mut self, id: AnnotationId, index: usize) -> Result<(), EditError> {
        let annotation = self
            .project
            .annotation(id)
            .ok_or(EditError::MissingAnnotation(id))?;
        let mut pieces = annotation.pieces().to_vec();
        if pieces.len() < 2 || index >= pieces.len() {
            return Ok(());
        }
        pieces.remove(index);
        self.set_pieces(id, pieces)
    }

    /// Gives annotation `id` these pieces: its span becomes their extent, its exact text
    /// and context follow.
    fn set_pieces(&mut self, id: AnnotationId, pieces: Vec<Span>) -> Result<(), EditError> {
        let annotation = self
            .project
            .annotation(id)
            .ok_or(EditError::MissingAnnotation(id))?;
        let document = annotation.document;
        let mut fragments = merge_pieces(pieces);
        let (Some(first), Some(last)) = (fragments.first(), fragments.last()) else {
            return Err(EditError::EmptySpan(id));
        };
        let span = Span::between(first.start(), last.end());
        let text = self.text_holding(id, document, span)?;
        if fragments.len() == 1 {
            fragments.clear();
        }
        self.update(id, Coalesce::No, |a| {
            a.span = span;
            a.fragments = fragments;
            a.excerpt = crate::model::Excerpt::in_document(text);
        })
    }
}
