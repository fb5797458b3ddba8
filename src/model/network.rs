//! The entity network: entities as nodes (with their mentions), joined where they are
//! mentioned in the same sentence, paragraph or document (the edge's weight counts the
//! places), and where the analyst related their annotations (typed edges).
//!
//! Pure: the text is seen only through each document's unit starts ([`unit_starts`]), so
//! the document scope needs no text at all and the others only the documents' loaded
//! texts. GraphML (`formats::graphml`) and the window's network view draw from it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

use super::annotation::{Annotation, AnnotationId};
use super::document::DocumentId;
use super::entity::EntityId;
use super::overview::{Filter, counted};
use super::project::Project;
use super::text::DocText;

/// Where two mentions count as together.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    #[default]
    Sentence,
    Paragraph,
    Document,
}

impl Scope {
    pub const ALL: [Self; 3] = [Self::Sentence, Self::Paragraph, Self::Document];

    /// "sentence", "paragraph" or "document".
    pub const fn name(self) -> &'static str {
        match self {
            Self::Sentence => "sentence",
            Self::Paragraph => "paragraph",
            Self::Document => "document",
        }
    }

    /// True if the scope needs the document's text.
    pub const fn needs_text(self) -> bool {
        !matches!(self, Self::Document)
    }
}

/// Where each unit of `scope` starts in `text`: characters, ascending, the first 0.
/// Sentences are Unicode's sentence boundaries (UAX #29) within each paragraph; a
/// paragraph always starts a sentence.
pub fn unit_starts(text: &DocText, scope: Scope) -> Vec<usize> {
    match scope {
        Scope::Document => vec![0],
        Scope::Paragraph => std::iter::once(0)
            .chain(text.paragraphs().iter().map(|p| p.span.start().0))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
        Scope::Sentence => {
            let mut starts = vec![0];
            for paragraph in text.paragraphs() {
                let mut at = paragraph.span.start().0;
                for sentence in text.paragraph_text(paragraph).split_sentence_bounds() {
                    if starts.last() != Some(&at) {
                        starts.push(at);
                    }
                    at += sentence.chars().count();
                }
            }
            starts
        }
    }
}

/// An entity of the network.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Node {
    pub entity: EntityId,
    pub name: String,
    /// The entity's label id (`person`, `organization`…).
    pub kind: String,
    /// Counted annotations linked to it.
    pub mentions: usize,
    /// Documents mentioning it.
    pub documents: usize,
}

/// An edge between two nodes (indices into [`Network::nodes`], `source < target`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edge {
    pub source: usize,
    pub target: usize,
    /// `None`: mentioned together; else the kind of relation the analyst drew.
    pub relation: Option<String>,
    /// Units holding both (co-occurrence), or relations of that kind.
    pub weight: usize,
}

/// The entity network of a project.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Network {
    pub scope: Scope,
    /// Most mentioned first, then by name.
    pub nodes: Vec<Node>,
    /// Heaviest first, then by nodes.
    pub edges: Vec<Edge>,
    /// Documents whose text was not at hand, so their co-occurrences are not counted
    /// (sentence and paragraph scopes).
    pub without_text: Vec<DocumentId>,
}

/// The entity an annotation stands for in the network: the one it mentions, else the
/// speaker or claimant it is attributed to.
fn entity_of(annotation: &Annotation) -> Option<EntityId> {
    annotation.entity.or_else(|| {
        annotation
            .attrs
            .source
            .as_ref()
            .and_then(super::attributes::Source::entity)
    })
}

/// The index of the unit holding character `at`.
fn unit_of(starts: &[usize], at: usize) -> usize {
    starts.partition_point(|&s| s <= at).saturating_sub(1)
}

/// Each unit's mentions, for one document: unit index → (entity → its mentions there).
fn mentions_by_unit<'a>(
    annotations: &[&'a Annotation],
    starts: &[usize],
) -> BTreeMap<usize, BTreeMap<EntityId, Vec<&'a Annotation>>> {
    let mut units: BTreeMap<usize, BTreeMap<EntityId, Vec<&Annotation>>> = BTreeMap::new();
    for a in annotations {
        if let Some(entity) = a.entity {
            units
                .entry(unit_of(starts, a.span.start().0))
                .or_default()
                .entry(entity)
                .or_default()
                .push(a);
        }
    }
    units
}

/// Builds the network of the annotations `filter` counts. `units` gives a document's unit
/// starts for `scope` ([`unit_starts`] over its text), `None` when its text is not at hand;
/// it is not called for the document scope.
pub fn build(
    project: &Project,
    filter: &Filter,
    scope: Scope,
    units: impl Fn(DocumentId) -> Option<Vec<usize>>,
) -> Network {
    let mut tally = tally_mentions(project, filter, scope, units);
    let related = tally_relations(project, &mut tally);
    assemble(project, scope, tally, related)
}

/// Mentions and co-occurrences of the counted annotations.
#[derive(Default)]
struct Tally<'p> {
    /// Per entity: mentions and documents.
    mentions: HashMap<EntityId, (usize, usize)>,
    together: HashMap<(EntityId, EntityId), usize>,
    counted: HashMap<AnnotationId, &'p Annotation>,
    without_text: Vec<DocumentId>,
}

fn tally_mentions<'p>(
    project: &'p Project,
    filter: &'p Filter,
    scope: Scope,
    units: impl Fn(DocumentId) -> Option<Vec<usize>>,
) -> Tally<'p> {
    let mut tally = Tally::default();
    let Tally {
        mentions,
        together,
        counted: counted_ids,
        without_text,
    } = &mut tally;
    for (document, annotations) in counted(project, filter) {
        let mut here: BTreeSet<EntityId> = BTreeSet::new();
        for a in &annotations {
            counted_ids.insert(a.id, a);
            if let Some(entity) = a.entity {
                mentions.entry(entity).or_default().0 += 1;
                here.insert(entity);
            }
        }
        for entity in &here {
            mentions.entry(*entity).or_default().1 += 1;
        }
        let starts = if scope.needs_text() {
            if here.len() < 2 {
                continue;
            }
            let Some(starts) = units(document.id) else {
                without_text.push(document.id);
                continue;
            };
            starts
        } else {
            vec![0]
        };
        for unit in mentions_by_unit(&annotations, &starts).into_values() {
            let entities: Vec<EntityId> = unit.into_keys().collect();
            for (i, a) in entities.iter().enumerate() {
                for b in &entities[i + 1..] {
                    *together.entry((*a, *b)).or_default() += 1;
                }
            }
        }
    }
    tally
}

/// The analyst's relations between counted annotations, as (entity, entity, kind) →
/// how many; their entities become nodes even when not mentioned.
fn tally_relations<'p>(
    project: &'p Project,
    tally: &mut Tally<'_>,
) -> HashMap<(EntityId, EntityId, &'p str), usize> {
    let mut related = HashMap::new();
    for relation in project.relations() {
        let (Some(from), Some(to)) = (
            tally
                .counted
                .get(&relation.from)
                .copied()
                .and_then(entity_of),
            tally.counted.get(&relation.to).copied().and_then(entity_of),
        ) else {
            continue;
        };
        if from != to {
            let (a, b) = if from < to { (from, to) } else { (to, from) };
            *related.entry((a, b, relation.kind.as_str())).or_default() += 1;
            tally.mentions.entry(from).or_default();
            tally.mentions.entry(to).or_default();
        }
    }
    related
}

/// Nodes and edges in their order.
fn assemble(
    project: &Project,
    scope: Scope,
    tally: Tally<'_>,
    related: HashMap<(EntityId, EntityId, &str), usize>,
) -> Network {
    let mut nodes: Vec<Node> = tally
        .mentions
        .into_iter()
        .map(|(entity, (count, documents))| {
            let (name, kind) = project.entity(entity).map_or_else(
                || (entity.to_string(), String::new()),
                |e| (e.name.clone(), e.kind.0.to_string()),
            );
            Node {
                entity,
                name,
                kind,
                mentions: count,
                documents,
            }
        })
        .collect();
    nodes.sort_by(|a, b| {
        b.mentions
            .cmp(&a.mentions)
            .then_with(|| a.name.cmp(&b.name))
            .then(a.entity.cmp(&b.entity))
    });
    let index: HashMap<EntityId, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.entity, i))
        .collect();
    let pair = |a: EntityId, b: EntityId| {
        let (x, y) = (index[&a], index[&b]);
        (x.min(y), x.max(y))
    };
    let mut edges: Vec<Edge> = tally
        .together
        .into_iter()
        .map(|((a, b), weight)| {
            let (source, target) = pair(a, b);
            Edge {
                source,
                target,
                relation: None,
                weight,
            }
        })
        .chain(related.into_iter().map(|((a, b, kind), weight)| {
            let (source, target) = pair(a, b);
            Edge {
                source,
                target,
                relation: Some(kind.to_owned()),
                weight,
            }
        }))
        .collect();
    edges.sort_by(|a, b| {
        b.weight
            .cmp(&a.weight)
            .then(a.source.cmp(&b.source))
            .then(a.target.cmp(&b.target))
            .then_with(|| a.relation.cmp(&b.relation))
    });
    Network {
        scope,
        nodes,
        edges,
        without_text: tally.without_text,
    }
}

/// The passages behind an edge between entities `a` and `b`: for a co-occurrence, the
/// mentions of either in the units holding both; for a relation of `kind`, the annotations
/// it joins, by id. Mentions in project order.
pub fn edge_passages(
    project: &Project,
    filter: &Filter,
    scope: Scope,
    units: impl Fn(DocumentId) -> Option<Vec<usize>>,
    (a, b): (EntityId, EntityId),
    relation: Option<&str>,
) -> Vec<AnnotationId> {
    let mut out = Vec::new();
    if let Some(kind) = relation {
        let counted: HashMap<AnnotationId, &Annotation> = counted(project, filter)
            .flat_map(|(_, annotations)| annotations.into_iter().map(|x| (x.id, x)))
            .collect();
        let ends = |id: AnnotationId| counted.get(&id).copied().and_then(entity_of);
        for r in project.relations().filter(|r| r.kind == kind) {
            let (from, to) = (ends(r.from), ends(r.to));
            if (from, to) == (Some(a), Some(b)) || (from, to) == (Some(b), Some(a)) {
                out.extend([r.from, r.to]);
            }
        }
        out.sort_unstable();
        out.dedup();
        return out;
    }
    for (document, annotations) in counted(project, filter) {
        let starts = if scope.needs_text() {
            match units(document.id) {
                Some(starts) => starts,
                None => continue,
            }
        } else {
            vec![0]
        };
        for unit in mentions_by_unit(&annotations, &starts).into_values() {
            if let (Some(of_a), Some(of_b)) = (unit.get(&a), unit.get(&b)) {
                let mut both: Vec<&Annotation> = of_a.iter().chain(of_b).copied().collect();
                both.sort_by_key(|x| (x.span.start(), x.id));
                out.extend(both.into_iter().map(|x| x.id));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::overview::tests::corpus;

    fn edges(network: &Network) -> Vec<(String, String, Option<String>, usize)> {
        network
            .edges
            .iter()
            .map(|e| {
                let (a, b) = (&network.nodes[e.source].name, &network.nodes[e.target].name);
                let (a, b) = if a < b { (a, b) } else { (b, a) };
                (a.clone(), b.clone(), e.relation.clone(), e.weight)
            })
            .collect()
    }

    fn has(edges: &[(String, String, Option<String>, usize)], a: &str, b: &str) -> Option<usize> {
        edges
            .iter()
            .find(|e| e.0 == a && e.1 == b && e.2.is_none())
            .map(|e| e.3)
    }

    #[test]
    fn sentences_paragraphs_and_documents_are_units() {
        let text = DocText::new("One. Two three.\nFour? Five\n\nSix.".to_owned());
        assert_eq!(unit_starts(&text, Scope::Sentence), [0, 5, 16, 22, 28]);
        assert_eq!(unit_starts(&text, Scope::Paragraph), [0, 16, 27, 28]);
        assert_eq!(unit_starts(&text, Scope::Document), [0]);
    }

    #[test]
    fn entities_in_one_sentence_are_joined_and_weights_count_the_places() {
        let c = corpus();
        let units = |scope| move |id| c.texts.get(&id).map(|t: &DocText| unit_starts(t, scope));
        let sentence = build(
            &c.project,
            &Filter::default(),
            Scope::Sentence,
            units(Scope::Sentence),
        );
        let e = edges(&sentence);
        assert_eq!(has(&e, "Chuck Hagel", "Itsunori Onodera"), Some(1));
        assert_eq!(has(&e, "Japan", "Patrick Cronin"), Some(1));
        assert_eq!(
            has(&e, "Chuck Hagel", "Japan"),
            Some(1),
            "only in b's first sentence"
        );
        assert_eq!(
            has(&e, "Japan", "Shangri-La Dialogue"),
            None,
            "another sentence"
        );
        assert!(
            e.contains(&(
                "Japan".into(),
                "Singapore".into(),
                Some("refers to".into()),
                1
            )),
            "the analyst's relation is a typed edge: {e:?}"
        );
        let hagel = &sentence.nodes[0];
        assert_eq!(
            (hagel.name.as_str(), hagel.mentions, hagel.documents),
            ("Chuck Hagel", 2, 2)
        );
        assert_eq!(hagel.kind, "person");
        let document = build(&c.project, &Filter::default(), Scope::Document, |_| None);
        let e = edges(&document);
        assert_eq!(has(&e, "Chuck Hagel", "Japan"), Some(2), "both documents");
        assert_eq!(has(&e, "Japan", "Shangri-La Dialogue"), Some(1));
        assert!(
            document.without_text.is_empty(),
            "the document scope needs no text"
        );
    }

    #[test]
    fn a_document_without_its_text_is_named_not_guessed() {
        let c = corpus();
        let only_a = |id| (id == c.a).then(|| unit_starts(&c.texts[&id], Scope::Sentence));
        let network = build(&c.project, &Filter::default(), Scope::Sentence, only_a);
        assert_eq!(network.without_text, [c.b]);
        assert_eq!(has(&edges(&network), "Chuck Hagel", "Japan"), None);
        // Its mentions still count.
        assert_eq!(network.nodes[0].mentions, 2);
    }

    #[test]
    fn an_edge_lists_the_mentions_behind_it() {
        let c = corpus();
        let units = |id| {
            c.texts
                .get(&id)
                .map(|t: &DocText| unit_starts(t, Scope::Sentence))
        };
        let (hagel, japan) = (c.entity("Chuck Hagel"), c.entity("Japan"));
        let found = edge_passages(
            &c.project,
            &Filter::default(),
            Scope::Sentence,
            units,
            (hagel, japan),
            None,
        );
        assert_eq!(
            found,
            [c.id(c.b, "person", "Hagel"), c.id(c.b, "location", "Japan")]
        );
        let related = edge_passages(
            &c.project,
            &Filter::default(),
            Scope::Sentence,
            |_| None,
            (japan, c.entity("Singapore")),
            Some("refers to"),
        );
        assert_eq!(related.len(), 2);
    }
}
