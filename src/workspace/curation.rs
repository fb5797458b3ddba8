//! Curating a document: the analysts' candidates accepted into the curated layer (see
//! [`crate::model::curation`]), each step one undoable edit.

use crate::model::curation::{self, Curation};
use crate::model::{AnnotationId, Coalesce, DocumentId, Edit, EditError};

use super::Workspace;

impl Workspace {
    /// Where the analysts' layers of `document` disagree, and where they agree.
    pub fn curation(&self, document: DocumentId) -> Curation {
        curation::curation(&self.project, document, &[])
    }

    /// Copies the annotations `ids` into the curated layer (one undo step); the copies'
    /// ids.
    pub fn curate(&mut self, ids: &[AnnotationId]) -> Result<Vec<AnnotationId>, EditError> {
        let now = jiff::Timestamp::now();
        let mut copies = Vec::with_capacity(ids.len());
        for &id in ids {
            let original = self
                .project
                .annotation(id)
                .ok_or(EditError::MissingAnnotation(id))?
                .clone();
            let new = self.project.allocate_annotation_id();
            copies.push(curation::curated_copy(&original, new, &self.analyst, now));
        }
        let made: Vec<AnnotationId> = copies.iter().map(|a| a.id).collect();
        if !copies.is_empty() {
            self.apply(Edit::Insert(copies), Coalesce::No)?;
        }
        Ok(made)
    }

    /// Leaves the place `extent` of `document` out of the curated layer (none of the
    /// candidates belongs there), or takes that back; one undo step.
    pub fn leave_out(
        &mut self,
        document: DocumentId,
        extent: crate::model::Span,
        out: bool,
    ) -> Result<(), EditError> {
        let place = crate::model::LeftOut {
            document,
            start: extent.start().0,
            end: extent.end().0,
        };
        self.apply(Edit::SetLeftOut(place, out), Coalesce::No)
    }

    /// Accepts every agreement of `document` not yet in the curated layer (one undo step);
    /// how many.
    pub fn curate_agreements(&mut self, document: DocumentId) -> Result<usize, EditError> {
        let found = self.curation(document);
        let curated: Vec<_> = self
            .project
            .annotations_of_iter(document)
            .filter(|a| a.author == curation::CURATED)
            .collect();
        let open: Vec<AnnotationId> = found
            .agreements
            .iter()
            .filter_map(|ids| ids.first().copied())
            .filter(|&id| {
                self.project
                    .annotation(id)
                    .is_some_and(|a| !curated.iter().any(|c| curation::same(c, a)))
            })
            .collect();
        Ok(self.curate(&open)?.len())
    }
}
