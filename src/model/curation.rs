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
    // Places: annotations joined while they overlap (in start order).
    layers.sort_by_key(|a| (a.span.start(), a.span.end(), a.id));
    let mut places: Vec<(Span, Vec<&Annotation>)> = Vec::new();
    for a in layers {
        match places.last_mut() {
            Some((extent, members)) if a.span.start() < extent.end() => {
                *extent = Span::between(extent.start(), extent.end().max(a.span.end()));
                members.push(a);
            }
            _ => places.push((a.span, vec![a])),
        }
    }
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
        out.rows.push(Row {
            extent,
            difference,
            candidates,
            curated: here,
        });
    }
    out
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
