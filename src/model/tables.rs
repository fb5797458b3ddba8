//! The analyst's tables, derived from the project: every claim with its claimant and
//! grading, and "who said what" (each speaker with their quotes across documents). Pure,
//! so the window only sorts, filters and draws them.

use std::collections::BTreeMap;

use super::annotation::{Annotation, AnnotationId};
use super::attributes::Source;
use super::document::DocumentId;
use super::project::Project;
use super::schema::LabelKind;

/// One claim of the claims table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimRow {
    pub id: AnnotationId,
    pub document: DocumentId,
    /// The claimant in words ("" when not set).
    pub claimant: String,
    pub text: String,
    /// "asserts" / "denies" / "questions" or "".
    pub stance: String,
    /// 1–6, or 0 when not graded (sorts first).
    pub credibility: u8,
    /// "low" / "moderate" / "high" or "".
    pub confidence: String,
}

/// One speaker of the "who said what" table with their quotes in project order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpeakerRow {
    /// The speaker in words ("(speaker not set)" for quotes without one).
    pub speaker: String,
    pub quotes: Vec<AnnotationId>,
    /// How many documents the quotes come from.
    pub documents: usize,
}

/// A source in words: the entity's name, "unnamed source: …", or "the publication".
pub fn source_words(project: &Project, source: &Source) -> String {
    match source {
        Source::Entity(id) => project
            .entity(*id)
            .map_or_else(|| id.to_string(), |e| e.name.clone()),
        Source::Unnamed(description) => format!("unnamed source: {description}"),
        Source::Publication => "the publication".to_owned(),
    }
}

fn of_kind(project: &Project, kind: LabelKind) -> impl Iterator<Item = &Annotation> + '_ {
    project
        .annotations_sorted()
        .into_iter()
        .filter(move |a| project.schema.label(&a.label).map(|l| l.kind) == Some(kind))
}

/// Every claim of the project, in project order.
pub fn claims(project: &Project) -> Vec<ClaimRow> {
    of_kind(project, LabelKind::Claim)
        .map(|a| ClaimRow {
            id: a.id,
            document: a.document,
            claimant: a
                .attrs
                .source
                .as_ref()
                .map(|s| source_words(project, s))
                .unwrap_or_default(),
            text: a.marked_text().into_owned(),
            stance: a
                .attrs
                .stance
                .map(|s| s.name().to_owned())
                .unwrap_or_default(),
            credibility: a
                .attrs
                .credibility
                .map_or(0, super::attributes::Credibility::grade),
            confidence: a
                .attrs
                .confidence
                .map(|c| c.name().to_owned())
                .unwrap_or_default(),
        })
        .collect()
}

/// Every speaker with their quotes, most quoted first (then by name).
pub fn who_said_what(project: &Project) -> Vec<SpeakerRow> {
    let mut by_speaker: BTreeMap<String, Vec<&Annotation>> = BTreeMap::new();
    for quote in of_kind(project, LabelKind::Quote) {
        let speaker = quote.attrs.source.as_ref().map_or_else(
            || "(speaker not set)".to_owned(),
            |s| source_words(project, s),
        );
        by_speaker.entry(speaker).or_default().push(quote);
    }
    let mut rows: Vec<SpeakerRow> = by_speaker
        .into_iter()
        .map(|(speaker, quotes)| {
            let mut documents: Vec<DocumentId> = quotes.iter().map(|q| q.document).collect();
            documents.sort_unstable();
            documents.dedup();
            SpeakerRow {
                speaker,
                quotes: quotes.iter().map(|q| q.id).collect(),
                documents: documents.len(),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.quotes
            .len()
            .cmp(&a.quotes.len())
            .then(a.speaker.cmp(&b.speaker))
    });
    rows
}
