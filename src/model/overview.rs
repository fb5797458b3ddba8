//! The figures of the whole project that View > Overview draws and `marginalia overview`
//! prints: each document's progress, label frequencies, the grading distributions, the
//! most quoted speakers, the document × entity matrix and the documents on a timeline.
//!
//! Pure and computed from annotations only (no text is read), so it runs on any thread
//! over a snapshot of the project. Every figure honours one [`Filter`] (labels, analysts,
//! documents, publication dates), and every mark of a chart names the passages behind it
//! ([`passages`]), so a click on a bar lands on the annotations it counts.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use serde::Serialize;

use super::annotation::{Annotation, AnnotationId};
use super::attributes::{Reliability, Source};
use super::document::{Document, DocumentId};
use super::entity::EntityId;
use super::project::Project;
use super::schema::{LabelId, LabelKind};

/// Which annotations the figures count. An empty set means "all".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub labels: BTreeSet<LabelId>,
    /// Analysts by name (an annotation's author).
    pub analysts: BTreeSet<String>,
    pub documents: BTreeSet<DocumentId>,
    /// Publication dates, both ends included. With either end set, documents without a
    /// readable date are left out.
    pub from: Option<Date>,
    pub to: Option<Date>,
}

impl Filter {
    /// True if `document` is counted.
    pub fn takes_document(&self, document: &Document) -> bool {
        if !self.documents.is_empty() && !self.documents.contains(&document.id) {
            return false;
        }
        if self.from.is_none() && self.to.is_none() {
            return true;
        }
        document.metadata.publication_date().is_some_and(|date| {
            self.from.is_none_or(|from| date >= from) && self.to.is_none_or(|to| date <= to)
        })
    }

    /// True if `annotation` is counted (its document aside).
    pub fn takes_annotation(&self, annotation: &Annotation) -> bool {
        (self.labels.is_empty() || self.labels.contains(&annotation.label))
            && (self.analysts.is_empty() || self.analysts.contains(&annotation.author))
    }

    /// True if nothing is filtered out.
    pub fn is_everything(&self) -> bool {
        *self == Self::default()
    }
}

/// The annotations `filter` counts, document by document in project order (each
/// document's in text order), with their documents.
pub fn counted<'p>(
    project: &'p Project,
    filter: &'p Filter,
) -> impl Iterator<Item = (&'p Document, Vec<&'p Annotation>)> + 'p {
    project
        .documents()
        .iter()
        .filter(|d| filter.takes_document(d))
        .map(move |d| {
            let annotations = project
                .annotations_of_iter(d.id)
                .filter(|a| filter.takes_annotation(a))
                .collect();
            (d, annotations)
        })
}

/// The figures of a project under a filter.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Overview {
    /// Documents counted, in project order.
    pub documents: Vec<DocumentFigures>,
    /// Every label of the schema, in schema order, with its count.
    pub labels: Vec<LabelCount>,
    /// Annotations per analyst, most first.
    pub analysts: Vec<Count>,
    /// Source reliability of quotes and claims, A to F, then "ungraded".
    pub reliability: Vec<Count>,
    /// Credibility of claims, 1 to 6, then "ungraded".
    pub credibility: Vec<Count>,
    /// Speakers by their quotes, most quoted first (at most [`TOP_SPEAKERS`]).
    pub speakers: Vec<SpeakerCount>,
    /// Mentions of each entity in each document.
    pub matrix: Matrix,
    /// Documents with a publication date, oldest first.
    pub timeline: Vec<TimelineEntry>,
    /// Annotations counted.
    pub annotations: usize,
}

/// How many speakers the overview lists.
pub const TOP_SPEAKERS: usize = 20;

/// A name and how many.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Count {
    pub name: String,
    pub count: usize,
}

/// One document's progress.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocumentFigures {
    pub id: DocumentId,
    pub title: String,
    pub status: &'static str,
    /// The publication date as `YYYY-MM-DD`, when the document has one.
    pub date: Option<String>,
    pub annotations: usize,
    /// Counts by label id (labels without annotations left out).
    pub by_label: BTreeMap<String, usize>,
    /// The analysts who annotated it, by name.
    pub analysts: Vec<String>,
    pub assigned: Vec<String>,
}

/// A label's frequency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LabelCount {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub count: usize,
    /// Documents it occurs in.
    pub documents: usize,
}

/// A speaker and their quotes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SpeakerCount {
    /// The speaker in words (see [`super::tables::source_words`]).
    pub name: String,
    pub entity: Option<EntityId>,
    pub quotes: usize,
    pub documents: usize,
}

/// The document × entity matrix, sparse: a project of 10,000 articles and 5,000 entities
/// has far fewer non-zero cells than cells.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Matrix {
    /// Rows: the counted documents that mention an entity, in project order.
    pub documents: Vec<DocumentId>,
    /// Columns: entities, most mentioned first (then by name).
    pub entities: Vec<MatrixEntity>,
    /// (row, column, mentions), non-zero only, by row then column.
    pub cells: Vec<(usize, usize, usize)>,
}

/// A column of the matrix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MatrixEntity {
    pub id: EntityId,
    pub name: String,
    pub kind: String,
    pub mentions: usize,
}

/// A document on the timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TimelineEntry {
    pub document: DocumentId,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub title: String,
    pub claims: usize,
    /// The events it mentions (entities of the label `event`), by name.
    pub events: Vec<String>,
}

/// What a mark of a chart stands for; [`passages`] lists the annotations behind it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mark {
    /// A document's counted annotations (a progress row, a timeline point).
    Document(DocumentId),
    Label(LabelId),
    Analyst(String),
    /// Quotes and claims with this reliability (`None`: ungraded).
    Reliability(Option<Reliability>),
    /// Claims with this credibility grade (`None`: ungraded).
    Credibility(Option<u8>),
    /// Quotes of this speaker (as [`SpeakerCount::name`] says it).
    Speaker(String),
    /// Mentions of an entity in a document.
    Cell(DocumentId, EntityId),
    /// Mentions of an entity anywhere.
    Entity(EntityId),
    /// The claims of a document (a timeline point).
    Claims(DocumentId),
}

fn kind_of(project: &Project, annotation: &Annotation) -> Option<LabelKind> {
    project.schema.label(&annotation.label).map(|l| l.kind)
}

/// A quote's speaker in words, "(speaker not set)" without one.
fn speaker_words(project: &Project, quote: &Annotation) -> String {
    quote.attrs.source.as_ref().map_or_else(
        || "(speaker not set)".to_owned(),
        |s| super::tables::source_words(project, s),
    )
}

fn graded(project: &Project, a: &Annotation) -> bool {
    matches!(
        kind_of(project, a),
        Some(LabelKind::Quote | LabelKind::Claim)
    )
}

/// True if annotation `a` of document `document` is behind `mark`.
pub fn is_behind(project: &Project, mark: &Mark, document: DocumentId, a: &Annotation) -> bool {
    match mark {
        Mark::Document(id) => *id == document,
        Mark::Label(label) => a.label == *label,
        Mark::Analyst(name) => a.author == *name,
        Mark::Reliability(r) => graded(project, a) && a.attrs.reliability == *r,
        Mark::Credibility(c) => {
            kind_of(project, a) == Some(LabelKind::Claim)
                && a.attrs
                    .credibility
                    .map(super::attributes::Credibility::grade)
                    == *c
        }
        Mark::Speaker(name) => {
            kind_of(project, a) == Some(LabelKind::Quote) && speaker_words(project, a) == *name
        }
        Mark::Cell(id, entity) => *id == document && a.entity == Some(*entity),
        Mark::Entity(entity) => a.entity == Some(*entity),
        Mark::Claims(id) => *id == document && kind_of(project, a) == Some(LabelKind::Claim),
    }
}

/// The counted annotations behind `mark`, in project order.
pub fn passages(project: &Project, filter: &Filter, mark: &Mark) -> Vec<AnnotationId> {
    counted(project, filter)
        .flat_map(|(d, annotations)| {
            annotations
                .into_iter()
                .filter(move |a| is_behind(project, mark, d.id, a))
                .map(|a| a.id)
        })
        .collect()
}

/// The label `event`'s id, whose entities the timeline names.
const EVENT: &str = "event";

/// The running counts of [`compute`].
#[derive(Default)]
struct Tally<'p> {
    overview: Overview,
    by_label: BTreeMap<&'p LabelId, (usize, usize)>,
    analysts: BTreeMap<&'p str, usize>,
    /// A–F, then ungraded.
    reliability: [usize; 7],
    /// 1–6, then ungraded.
    credibility: [usize; 7],
    /// Per speaker (as the quotes give it): quotes, documents, the last document counted
    /// (documents come one after the other).
    speakers: std::collections::HashMap<Option<&'p Source>, (usize, usize, Option<DocumentId>)>,
    mentions: std::collections::HashMap<EntityId, usize>,
    rows: Vec<(DocumentId, BTreeMap<EntityId, usize>)>,
    /// The schema's labels with their kinds (few: a list beats a map).
    kinds: Vec<(&'p LabelId, LabelKind)>,
    /// The entities of the label `event`.
    events: std::collections::HashSet<EntityId>,
}

/// One document's part of the tally.
#[derive(Default)]
struct Here<'p> {
    /// Per label, in the order first met (few: a list beats a map).
    labels: Vec<(&'p LabelId, usize)>,
    analysts: BTreeSet<&'p str>,
    row: BTreeMap<EntityId, usize>,
    claims: usize,
    events: BTreeSet<String>,
}

impl<'p> Tally<'p> {
    fn add_document(
        &mut self,
        project: &'p Project,
        document: &Document,
        annotations: &[&'p Annotation],
    ) {
        let mut figures = DocumentFigures {
            id: document.id,
            title: document.display_name().to_owned(),
            status: document.status.name(),
            date: document.metadata.publication_date().map(|d| d.to_string()),
            annotations: annotations.len(),
            by_label: BTreeMap::new(),
            analysts: Vec::new(),
            assigned: document.assigned.clone(),
        };
        let mut here = Here::default();
        for a in annotations {
            self.add_annotation(project, document.id, a, &mut here);
        }
        for (label, count) in here.labels {
            let total = self.by_label.entry(label).or_default();
            total.0 += count;
            total.1 += 1;
            figures.by_label.insert(label.0.to_string(), count);
        }
        figures.analysts = here.analysts.into_iter().map(str::to_owned).collect();
        if let Some(date) = &figures.date {
            self.overview.timeline.push(TimelineEntry {
                document: document.id,
                date: date.clone(),
                title: figures.title.clone(),
                claims: here.claims,
                events: here.events.into_iter().collect(),
            });
        }
        self.overview.annotations += annotations.len();
        if !here.row.is_empty() {
            self.rows.push((document.id, here.row));
        }
        self.overview.documents.push(figures);
    }

    fn add_annotation(
        &mut self,
        project: &'p Project,
        document: DocumentId,
        a: &'p Annotation,
        here: &mut Here<'p>,
    ) {
        match here.labels.iter_mut().find(|(id, _)| *id == &a.label) {
            Some((_, count)) => *count += 1,
            None => here.labels.push((&a.label, 1)),
        }
        if !a.author.is_empty() {
            *self.analysts.entry(&a.author).or_default() += 1;
            here.analysts.insert(&a.author);
        }
        let kind = self
            .kinds
            .iter()
            .find(|(id, _)| *id == &a.label)
            .map(|&(_, kind)| kind);
        if matches!(kind, Some(LabelKind::Quote | LabelKind::Claim)) {
            self.reliability[a.attrs.reliability.map_or(6, |r| r as usize)] += 1;
        }
        if kind == Some(LabelKind::Claim) {
            here.claims += 1;
            let grade = a
                .attrs
                .credibility
                .map_or(7, super::attributes::Credibility::grade);
            self.credibility[usize::from(grade) - 1] += 1;
        }
        if kind == Some(LabelKind::Quote) {
            let entry = self.speakers.entry(a.attrs.source.as_ref()).or_default();
            entry.0 += 1;
            if entry.2 != Some(document) {
                entry.1 += 1;
                entry.2 = Some(document);
            }
        }
        if let Some(entity) = a.entity {
            *here.row.entry(entity).or_default() += 1;
            *self.mentions.entry(entity).or_default() += 1;
            if self.events.contains(&entity)
                && let Some(e) = project.entity(entity)
            {
                here.events.insert(e.name.clone());
            }
        }
    }

    fn finish(self, project: &Project) -> Overview {
        let mut overview = self.overview;
        overview.labels = project
            .schema
            .labels
            .iter()
            .map(|label| {
                let (count, documents) = self.by_label.get(&label.id).copied().unwrap_or_default();
                LabelCount {
                    id: label.id.0.to_string(),
                    name: label.name.clone(),
                    kind: kind_name(label.kind),
                    count,
                    documents,
                }
            })
            .collect();
        overview.analysts = most_first(
            self.analysts
                .into_iter()
                .map(|(name, count)| Count {
                    name: name.to_owned(),
                    count,
                })
                .collect(),
        );
        let names = Reliability::ALL.iter().map(|r| r.letter().to_string());
        overview.reliability = with_ungraded(names, self.reliability);
        overview.credibility = with_ungraded((1..=6).map(|g: u8| g.to_string()), self.credibility);
        // In words: two sources may read the same (an entity and its name as an unnamed
        // source are not merged; the same words are).
        let mut by_words: BTreeMap<String, SpeakerCount> = BTreeMap::new();
        for (source, (quotes, documents, _)) in self.speakers {
            let name = source.map_or_else(
                || "(speaker not set)".to_owned(),
                |s| super::tables::source_words(project, s),
            );
            let entry = by_words.entry(name.clone()).or_insert(SpeakerCount {
                name,
                entity: source.and_then(Source::entity),
                quotes: 0,
                documents: 0,
            });
            entry.quotes += quotes;
            entry.documents += documents;
        }
        let mut speakers: Vec<SpeakerCount> = by_words.into_values().collect();
        speakers.sort_by(|a, b| b.quotes.cmp(&a.quotes).then_with(|| a.name.cmp(&b.name)));
        speakers.truncate(TOP_SPEAKERS);
        overview.speakers = speakers;
        overview.matrix = matrix(project, &self.mentions, self.rows);
        overview.timeline.sort_by(|a, b| a.date.cmp(&b.date));
        overview
    }
}

/// Counts, most first, then by name.
fn most_first(mut counts: Vec<Count>) -> Vec<Count> {
    counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    counts
}

/// A grading scale's counts by name, "ungraded" last.
fn with_ungraded(names: impl Iterator<Item = String>, counts: [usize; 7]) -> Vec<Count> {
    names
        .chain(std::iter::once("ungraded".to_owned()))
        .zip(counts)
        .map(|(name, count)| Count { name, count })
        .collect()
}

/// Computes the overview of `project` under `filter`.
pub fn compute(project: &Project, filter: &Filter) -> Overview {
    let mut tally = Tally {
        kinds: project
            .schema
            .labels
            .iter()
            .map(|l| (&l.id, l.kind))
            .collect(),
        events: project
            .entities()
            .filter(|e| e.kind.as_str() == EVENT)
            .map(|e| e.id)
            .collect(),
        ..Tally::default()
    };
    for (document, annotations) in counted(project, filter) {
        tally.add_document(project, document, &annotations);
    }
    tally.finish(project)
}

fn matrix(
    project: &Project,
    mentions: &std::collections::HashMap<EntityId, usize>,
    rows: Vec<(DocumentId, BTreeMap<EntityId, usize>)>,
) -> Matrix {
    let mut entities: Vec<MatrixEntity> = mentions
        .iter()
        .map(|(&id, &count)| {
            let (name, kind) = project.entity(id).map_or_else(
                || (id.to_string(), String::new()),
                |e| (e.name.clone(), e.kind.0.to_string()),
            );
            MatrixEntity {
                id,
                name,
                kind,
                mentions: count,
            }
        })
        .collect();
    entities.sort_by(|a, b| {
        b.mentions
            .cmp(&a.mentions)
            .then_with(|| a.name.cmp(&b.name))
            .then(a.id.cmp(&b.id))
    });
    let column: BTreeMap<EntityId, usize> = entities
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id, i))
        .collect();
    let mut cells = Vec::new();
    let mut documents = Vec::with_capacity(rows.len());
    for (r, (document, row)) in rows.into_iter().enumerate() {
        documents.push(document);
        let start = cells.len();
        cells.extend(row.into_iter().map(|(entity, n)| (r, column[&entity], n)));
        cells[start..].sort_unstable();
    }
    Matrix {
        documents,
        entities,
        cells,
    }
}

/// "claim", "quote" or "entity".
pub const fn kind_name(kind: LabelKind) -> &'static str {
    match kind {
        LabelKind::Claim => "claim",
        LabelKind::Quote => "quote",
        LabelKind::Entity => "entity",
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::{
        Attributes, CharPos, Credibility, DocText, Edit, Entity, Excerpt, Metadata, Relation,
        RelationId, Span,
    };

    /// Two dated articles with people, places, an event, a graded claim and quote and one
    /// relation; the texts are returned so that the network can find sentences.
    pub(crate) struct Corpus {
        pub project: Project,
        pub a: DocumentId,
        pub b: DocumentId,
        pub texts: BTreeMap<DocumentId, DocText>,
    }

    impl Corpus {
        pub(crate) fn entity(&self, name: &str) -> EntityId {
            self.project
                .entities()
                .find(|e| e.name == name)
                .map(|e| e.id)
                .expect("entity")
        }

        /// The id of the annotation of `label` whose text is `text` in `document`.
        pub(crate) fn id(&self, document: DocumentId, label: &str, text: &str) -> AnnotationId {
            self.project
                .annotations_of(document)
                .into_iter()
                .find(|a| a.label.as_str() == label && a.text() == text)
                .map(|a| a.id)
                .expect("annotation")
        }
    }

    pub(crate) fn corpus() -> Corpus {
        let mut project = Project::new("corpus");
        let texts = [
            (
                "a.txt",
                "2014-06-01T09:00:00+08:00",
                "Hagel met Onodera in Singapore. Cronin said Japan would wait.\nKim spoke.",
            ),
            (
                "b.txt",
                "2014-06-03",
                "Hagel visited Japan. The Shangri-La Dialogue ended.",
            ),
        ];
        let mut ids = Vec::new();
        let mut by_id = BTreeMap::new();
        for (path, date, text) in texts {
            let id = project.add_document(Document {
                path: path.to_owned(),
                sha256: path.to_owned(),
                char_len: text.chars().count(),
                metadata: Metadata {
                    title: Some(path.to_uppercase()),
                    date: Some(date.to_owned()),
                    ..Metadata::default()
                },
                ..Document::default()
            });
            ids.push(id);
            by_id.insert(id, DocText::new(text.to_owned()));
        }
        project
            .apply(Edit::AddEntities(registry()))
            .expect("entities");
        let annotations = marks(&mut project, &ids, &by_id);
        project.apply(Edit::Insert(annotations)).expect("insert");
        let mut corpus = Corpus {
            project,
            a: ids[0],
            b: ids[1],
            texts: by_id,
        };
        let relation = Relation {
            id: RelationId(1),
            kind: "refers to".to_owned(),
            from: corpus.id(corpus.a, "location", "Singapore"),
            to: corpus.id(corpus.a, "location", "Japan"),
        };
        corpus
            .project
            .apply(Edit::AddRelations(vec![relation]))
            .expect("relation");
        corpus
    }

    fn registry() -> Vec<Entity> {
        [
            ("Chuck Hagel", "person"),
            ("Itsunori Onodera", "person"),
            ("Patrick Cronin", "person"),
            ("Singapore", "location"),
            ("Japan", "location"),
            ("Shangri-La Dialogue", "event"),
        ]
        .into_iter()
        .enumerate()
        .map(|(i, (name, kind))| Entity {
            id: EntityId(u32::try_from(i).unwrap_or(0) + 1),
            name: name.to_owned(),
            kind: LabelId(kind.into()),
            aliases: Vec::new(),
            note: String::new(),
            external_id: None,
        })
        .collect()
    }

    /// The corpus's annotations: Ana's entities and quote, Ben's graded claim.
    fn marks(
        project: &mut Project,
        ids: &[DocumentId],
        texts: &BTreeMap<DocumentId, DocText>,
    ) -> Vec<Annotation> {
        let entity = |project: &Project, name: &str| {
            project
                .entities()
                .find(|e| e.name.contains(name))
                .map(|e| e.id)
        };
        let marks: [(usize, &str, &str, &str); 10] = [
            (0, "person", "Hagel", "Ana"),
            (0, "person", "Onodera", "Ana"),
            (0, "location", "Singapore", "Ana"),
            (0, "person", "Cronin", "Ana"),
            (0, "location", "Japan", "Ana"),
            (0, "claim", "Japan would wait", "Ben"),
            (0, "quote", "Kim spoke", "Ana"),
            (1, "person", "Hagel", "Ana"),
            (1, "location", "Japan", "Ana"),
            (1, "event", "Shangri-La Dialogue", "Ana"),
        ];
        let mut annotations = Vec::new();
        for (doc, label, needle, by) in marks {
            let text = texts[&ids[doc]].as_str();
            let start = text[..text.find(needle).expect("needle")].chars().count();
            let mut attrs = Attributes::default();
            if label == "claim" {
                attrs.source = entity(project, "Cronin").map(Source::Entity);
                attrs.credibility = Credibility::new(2);
                attrs.reliability = Some(Reliability::B);
            }
            let linked = (label != "claim" && label != "quote")
                .then(|| entity(project, needle))
                .flatten();
            annotations.push(Annotation {
                id: project.allocate_annotation_id(),
                document: ids[doc],
                label: LabelId(label.into()),
                span: Span::between(CharPos(start), CharPos(start + needle.chars().count())),
                fragments: Vec::new(),
                excerpt: Excerpt::held(needle, "", ""),
                entity: linked,
                attrs,
                note: String::new(),
                author: by.to_owned(),
                changed_by: String::new(),
                created: jiff::Timestamp::UNIX_EPOCH,
                modified: jiff::Timestamp::UNIX_EPOCH,
            });
        }
        annotations
    }

    #[test]
    fn the_figures_count_labels_grades_speakers_entities_and_dates() {
        let c = corpus();
        let o = compute(&c.project, &Filter::default());
        assert_eq!(o.annotations, 10);
        let person = o.labels.iter().find(|l| l.id == "person").expect("person");
        assert_eq!((person.count, person.documents), (4, 2));
        let claim = o.labels.iter().find(|l| l.id == "claim").expect("claim");
        assert_eq!((claim.count, claim.documents, claim.kind), (1, 1, "claim"));
        assert_eq!(o.reliability[1].name, "B");
        assert_eq!(o.reliability[1].count, 1);
        assert_eq!(o.reliability[6].count, 1, "the quote is ungraded");
        assert_eq!(o.credibility[1].count, 1);
        assert_eq!(o.speakers.len(), 1);
        assert_eq!(o.speakers[0].name, "(speaker not set)");
        let top: Vec<(&str, usize)> = o
            .matrix
            .entities
            .iter()
            .map(|e| (e.name.as_str(), e.mentions))
            .take(2)
            .collect();
        assert_eq!(top, [("Chuck Hagel", 2), ("Japan", 2)]);
        assert_eq!(o.matrix.documents, [c.a, c.b]);
        // Hagel (column 0) is mentioned once in each document.
        assert!(o.matrix.cells.contains(&(0, 0, 1)) && o.matrix.cells.contains(&(1, 0, 1)));
        let timeline: Vec<(&str, usize, &[String])> = o
            .timeline
            .iter()
            .map(|t| (t.date.as_str(), t.claims, t.events.as_slice()))
            .collect();
        assert_eq!(
            timeline,
            [
                ("2014-06-01", 1, &[][..]),
                ("2014-06-03", 0, &["Shangri-La Dialogue".to_owned()][..])
            ]
        );
        let analysts: Vec<(&str, usize)> = o
            .analysts
            .iter()
            .map(|a| (a.name.as_str(), a.count))
            .collect();
        assert_eq!(analysts, [("Ana", 9), ("Ben", 1)]);
    }

    #[test]
    fn filters_choose_analysts_labels_documents_and_dates() {
        let c = corpus();
        let ben = Filter {
            analysts: ["Ben".to_owned()].into(),
            ..Filter::default()
        };
        assert_eq!(compute(&c.project, &ben).annotations, 1);
        let later = Filter {
            from: Some(jiff::civil::date(2014, 6, 2)),
            ..Filter::default()
        };
        let o = compute(&c.project, &later);
        assert_eq!(o.documents.len(), 1);
        assert_eq!(o.documents[0].id, c.b);
        let before = Filter {
            to: Some(jiff::civil::date(2014, 6, 1)),
            ..Filter::default()
        };
        assert_eq!(compute(&c.project, &before).documents[0].id, c.a);
        let places = Filter {
            labels: [LabelId("location".into())].into(),
            documents: [c.a].into(),
            ..Filter::default()
        };
        assert_eq!(compute(&c.project, &places).annotations, 2);
    }

    #[test]
    fn every_mark_names_the_passages_it_counts() {
        let c = corpus();
        let all = Filter::default();
        let hagel = c.entity("Chuck Hagel");
        assert_eq!(
            passages(&c.project, &all, &Mark::Cell(c.b, hagel)),
            [c.id(c.b, "person", "Hagel")]
        );
        assert_eq!(passages(&c.project, &all, &Mark::Entity(hagel)).len(), 2);
        assert_eq!(
            passages(&c.project, &all, &Mark::Credibility(Some(2))),
            [c.id(c.a, "claim", "Japan would wait")]
        );
        assert_eq!(
            passages(&c.project, &all, &Mark::Reliability(None)),
            [c.id(c.a, "quote", "Kim spoke")]
        );
        assert_eq!(
            passages(
                &c.project,
                &all,
                &Mark::Speaker("(speaker not set)".to_owned())
            ),
            [c.id(c.a, "quote", "Kim spoke")]
        );
        assert_eq!(passages(&c.project, &all, &Mark::Document(c.b)).len(), 3);
        assert_eq!(passages(&c.project, &all, &Mark::Claims(c.a)).len(), 1);
        assert_eq!(
            passages(&c.project, &all, &Mark::Label(LabelId("event".into()))).len(),
            1
        );
        assert_eq!(
            passages(&c.project, &all, &Mark::Analyst("Ben".to_owned())).len(),
            1
        );
    }

    #[test]
    fn a_date_counts_only_when_it_starts_with_a_day() {
        let date = |raw: &str| {
            Metadata {
                date: Some(raw.to_owned()),
                ..Metadata::default()
            }
            .publication_date()
        };
        assert_eq!(
            date("2015-07-24T05:36:09+01:00"),
            Some(jiff::civil::date(2015, 7, 24))
        );
        assert_eq!(date(" 2015-07-24 "), Some(jiff::civil::date(2015, 7, 24)));
        assert_eq!(date("2015-07-24x"), None);
        assert_eq!(date("July 2015"), None);
        assert_eq!(date("2015-02-30"), None);
    }
}
