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
    /// ids. Their relations come along: a relation of a copied annotation whose other end
    /// is in the curated layer too (copied now or before) joins the two curated ones.
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
        if copies.is_empty() {
            return Ok(made);
        }
        let relations = self.curated_relations(ids, &copies);
        let insert = Edit::Insert(copies);
        let edit = if relations.is_empty() {
            insert
        } else {
            Edit::Batch(vec![insert, Edit::AddRelations(relations)])
        };
        self.apply(edit, Coalesce::No)?;
        Ok(made)
    }

    /// The relations between curated annotations that copying `originals` (as `copies`,
    /// in the same order) brings: each relation of an original whose other end has a
    /// curated counterpart (a copy made now, or a curated annotation that says the same),
    /// unless the curated layer has it already.
    fn curated_relations(
        &mut self,
        originals: &[AnnotationId],
        copies: &[crate::model::Annotation],
    ) -> Vec<crate::model::Relation> {
        let copy_of: std::collections::HashMap<AnnotationId, AnnotationId> = originals
            .iter()
            .copied()
            .zip(copies.iter().map(|c| c.id))
            .collect();
        let counterpart = |project: &crate::model::Project, id: AnnotationId| {
            if let Some(&copy) = copy_of.get(&id) {
                return Some(copy);
            }
            let original = project.annotation(id)?;
            if original.author == curation::CURATED {
                return Some(id);
            }
            project
                .annotations_of_iter(original.document)
                .find(|a| a.author == curation::CURATED && curation::same(a, original))
                .map(|a| a.id)
        };
        let mut wanted = Vec::new();
        for &original in originals {
            for relation in self.project.relations_of(original) {
                let (Some(from), Some(to)) = (
                    counterpart(&self.project, relation.from),
                    counterpart(&self.project, relation.to),
                ) else {
                    continue;
                };
                let known = self
                    .project
                    .relations_of(from)
                    .iter()
                    .any(|r| r.from == from && r.to == to && r.kind == relation.kind)
                    || wanted
                        .iter()
                        .any(|(f, t, k): &(AnnotationId, AnnotationId, String)| {
                            *f == from && *t == to && *k == relation.kind
                        });
                if !known {
                    wanted.push((from, to, relation.kind.clone()));
                }
            }
        }
        wanted
            .into_iter()
            .map(|(from, to, kind)| crate::model::Relation {
                id: self.project.allocate_relation_id(),
                kind,
                from,
                to,
            })
            .collect()
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
