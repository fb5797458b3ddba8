//! Curation: where the analysts' layers of a document disagree, one row per place, with
//! each analyst's candidate; the curator's choices go to the *curated layer* (annotations
//! whose author is [`CURATED`]), which exports use where a document has one.

use super::{Annotation, AnnotationId, DocumentId, Project, Span};

/// The author of the curated layer's annotations (not an analyst's name: git's `user.name`
/// never has the parentheses).
pub const CURATED: &str = "(curated)";

/// Why the layers disagree at a place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Difference {
    /// At least one analyst has nothing there.
    Missing,
    /// They chose different labels.
    Label,
    /// Same label, different boundaries.
    Boundaries,
    /// Same label and span, different entity, speaker or grading.
    Attributes,
}

impl Difference {
    pub fn name(self) -> &'static str {
        match self {
            Self::Missing => "missing in a layer",
            Self::Label => "different labels",
            Self::Boundaries => "different boundaries",
            Self::Attributes => "different entity, speaker or grading",
        }
    }
}

/// One place where the layers disagree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// From the first start to the last end of the annotations there.
    pub extent: Span,
    pub difference: Difference,
    /// Each analyst's annotations there (none: they left it out), in analyst order.
    pub candidates: Vec<(String, Vec<AnnotationId>)>,
    /// The curated annotations there, once the curator chose.
    pub curated: Vec<AnnotationId>,
    /// The curator left the place out of the curated layer (none of the candidates).
    pub left_out: bool,
}

impl Row {
    /// True once the curator chose: a candidate, or nothing.
    pub fn decided(&self) -> bool {
        self.left_out || !self.curated.is_empty()
    }
}

/// A document's curation: the disagreements and the agreements (places where every
/// analyst made the same annotation: their ids, one per analyst).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Curation {
    pub analysts: Vec<String>,
    pub rows: Vec<Row>,
    pub agreements: Vec<Vec<AnnotationId>>,
    /// Agreements not yet in the curated layer.
    pub agreements_open: usize,
}

/// True if `a` and `b` say the same thing (label, place, words, entity, attributes).
pub fn same(a: &Annotation, b: &Annotation) -> bool {
    a.label == b.label
        && a.span == b.span
        && a.fragments == b.fragments
        && a.entity == b.entity
        && a.attrs == b.attrs
}

/// The curation of `document` between `analysts` (every analyst with annotations there if
/// empty; the curated layer is never one of them).
pub fn curation(project: &Project, document: DocumentId, analysts: &[String]) -> Curation {
    let mut layers: Vec<&Annotation> = project
        .annotations_of_iter(document)
        .filter(|a| a.author != CURATED)
        .collect();
    let analysts: Vec<String> = if analysts.is_empty() {
        let names: std::collections::BTreeSet<&str> =
            layers.iter().map(|a| a.author.as_str()).collect();
        names.into_iter().map(str::to_owned).collect()
    } else {
        analysts.to_vec()
    };
    layers.retain(|a| analysts.contains(&a.author));
    let curated: Vec<&Annotation> = project
        .annotations_of_iter(document)
        .filter(|a| a.author == CURATED)
        .collect();
    // Places: an annotation joins the place of one it mostly overlaps (half their union
    // or more: the same passage cut a word shorter, not a name nested in a claim).
    layers.sort_by_key(|a| (a.span.start(), a.span.end(), a.id));
    let mut places: Vec<(Span, Vec<&Annotation>)> = Vec::new();
    for a in layers {
        let open = places
            .iter()
            .enumerate()
            .rev()
            // The places begun last (a passage's others begin near it).
            .take(256)
            .filter(|(_, (extent, _))| extent.end() > a.span.start())
            .find(|(_, (_, members))| members.iter().any(|m| same_place(m.span, a.span)))
            .map(|(i, _)| i);
        match open {
            Some(i) => {
                let (extent, members) = &mut places[i];
                *extent = Span::between(
                    extent.start().min(a.span.start()),
                    extent.end().max(a.span.end()),
                );
                members.push(a);
            }
            None => places.push((a.span, vec![a])),
        }
    }
    places.sort_by_key(|(extent, _)| (extent.start(), extent.end()));
    let mut out = Curation {
        analysts: analysts.clone(),
        ..Curation::default()
    };
    for (extent, members) in places {
        let candidates: Vec<(String, Vec<AnnotationId>)> = analysts
            .iter()
            .map(|name| {
                let ids = members
                    .iter()
                    .filter(|a| &a.author == name)
                    .map(|a| a.id)
                    .collect();
                (name.clone(), ids)
            })
            .collect();
        let here: Vec<AnnotationId> = curated
            .iter()
            .filter(|c| c.span.start() < extent.end() && extent.start() < c.span.end())
            .map(|c| c.id)
            .collect();
        let first = members[0];
        let agreed = candidates.iter().all(|(_, ids)| ids.len() == 1)
            && members.iter().all(|a| same(a, first));
        if agreed {
            if !curated.iter().any(|c| same(c, first)) {
                out.agreements_open += 1;
            }
            out.agreements.push(members.iter().map(|a| a.id).collect());
            continue;
        }
        let difference = if candidates.iter().any(|(_, ids)| ids.is_empty()) {
            Difference::Missing
        } else if members.iter().any(|a| a.label != first.label) {
            Difference::Label
        } else if members
            .iter()
            .any(|a| a.span != first.span || a.fragments != first.fragments)
        {
            Difference::Boundaries
        } else {
            Difference::Attributes
        };
        let left_out = project.left_out().any(|p| {
            p.document == document
                && same_place(
                    Span::between(super::CharPos(p.start), super::CharPos(p.end)),
                    extent,
                )
        });
        out.rows.push(Row {
            extent,
            difference,
            candidates,
            curated: here,
            left_out,
        });
    }
    out
}

/// True if spans `a` and `b` mark the same passage: they share at least half of what they
/// cover together.
fn same_place(a: Span, b: Span) -> bool {
    let shared = a
        .end()
        .0
        .min(b.end().0)
        .saturating_sub(a.start().0.max(b.start().0));
    let union = a.end().0.max(b.end().0) - a.start().0.min(b.start().0);
    shared > 0 && 2 * shared >= union
}

/// A copy of `a` for the curated layer, with id `id`, chosen by `curator` at `now`.
pub fn curated_copy(
    a: &Annotation,
    id: AnnotationId,
    curator: &str,
    now: jiff::Timestamp,
) -> Annotation {
    let mut copy = a.clone();
    copy.id = id;
    CURATED.clone_into(&mut copy.author);
    curator.clone_into(&mut copy.changed_by);
    copy.created = now;
    copy.modified = now;
    copy
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CharPos, Document, Edit, Excerpt, LabelId};

    fn annotation(
        project: &mut Project,
        doc: DocumentId,
        by: &str,
        label: &str,
        span: (usize, usize),
    ) -> Annotation {
        Annotation {
            id: project.allocate_annotation_id(),
            document: doc,
            label: LabelId(label.into()),
            span: Span::between(CharPos(span.0), CharPos(span.1)),
            fragments: Vec::new(),
            excerpt: Excerpt::held(&"x".repeat(span.1 - span.0), "", ""),
            entity: None,
            attrs: crate::model::Attributes::default(),
            note: String::new(),
            author: by.to_owned(),
            changed_by: String::new(),
            created: jiff::Timestamp::UNIX_EPOCH,
            modified: jiff::Timestamp::UNIX_EPOCH,
        }
    }

    /// A name nested in a claim is not a disagreement with the claim; a claim cut shorter
    /// by one analyst is one place with different boundaries.
    #[test]
    fn places_are_passages_not_everything_that_overlaps() {
        let mut project = Project::new("p");
        let doc = project.add_document(Document {
            char_len: 100,
            ..Document::default()
        });
        let all = vec![
            annotation(&mut project, doc, "Ana", "claim", (0, 50)),
            annotation(&mut project, doc, "Ana", "person", (10, 20)),
            annotation(&mut project, doc, "Ben", "claim", (0, 45)),
            annotation(&mut project, doc, "Ben", "person", (10, 20)),
            annotation(&mut project, doc, "Ben", "location", (60, 70)),
        ];
        project.apply(Edit::Insert(all)).expect("insert");
        let found = curation(&project, doc, &[]);
        assert_eq!(found.agreements.len(), 1, "the person");
        let kinds: Vec<Difference> = found.rows.iter().map(|r| r.difference).collect();
        assert_eq!(kinds, [Difference::Boundaries, Difference::Missing]);
    }
}
