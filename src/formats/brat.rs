//! brat standoff: per document a `.txt` (the exact text, UTF-8, LF) and a `.ann` with
//! `T` lines (spans; a span crossing a line break becomes fragments `s1 e1;s2 e2`, whose
//! text is the fragments joined by one space), `#` `AnnotatorNotes`, `N` normalizations
//! for entity links (`Wikidata:Q…` when the entity has an external id, else
//! `Marginalia:E…`), `R` `Speaker`/`Claimant` relations to the nearest mention of the
//! speaker's entity in the same document (else a `#` comment of type `Speaker` or
//! `Claimant` beside the `AnnotatorNotes`), and `A` attributes for directness,
//! reliability, stance, credibility and confidence; one `annotation.conf` declaring them.

use std::fmt::Write as _;

use super::names::unique_stems;
use super::{AnnotationSet, DocumentSet, Fidelity};
use crate::model::{Annotation, AttributeKind, DocText, LabelKind, Span};

/// The `A` lines' attribute names and values, as the conf declares them.
fn attribute_lines(a: &Annotation) -> Vec<(&'static str, String)> {
    let attrs = &a.attrs;
    let mut out = Vec::new();
    if let Some(d) = attrs.directness {
        out.push(("Directness", format!("{d:?}")));
    }
    if let Some(r) = attrs.reliability {
        out.push(("Reliability", r.letter().to_string()));
    }
    if let Some(s) = attrs.stance {
        out.push(("Stance", format!("{s:?}")));
    }
    if let Some(c) = attrs.credibility {
        out.push(("Credibility", c.grade().to_string()));
    }
    if let Some(c) = attrs.confidence {
        out.push(("Confidence", format!("{c:?}")));
    }
    out
}

/// brat type names may not contain spaces.
pub fn type_name(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join("_")
}

/// The fragments of `span` that do not cross a line break.
pub fn fragments(text: &DocText, span: Span) -> Vec<Span> {
    text.paragraphs_overlapping(span)
        .filter_map(|i| text.paragraphs()[i].span.intersection(span))
        .collect()
}

/// The files of the export, by name.
pub fn export(set: &AnnotationSet<'_>, fidelity: &mut Fidelity) -> Vec<(String, Vec<u8>)> {
    let stems = unique_stems(
        set.documents
            .iter()
            .map(|d| {
                d.document
                    .path
                    .rsplit('/')
                    .next()
                    .unwrap_or(&d.document.path)
            })
            .map(|name| name.rsplit_once('.').map_or(name, |(stem, _)| stem)),
    );
    let mut files = Vec::new();
    let mut split = 0;
    let mut cross_document = 0;
    for (doc, stem) in set.documents.iter().zip(&stems) {
        let mut ann = String::new();
        let mut note_number = 0;
        let mut counters = Counters::default();
        for (i, annotation) in doc.annotations.iter().enumerate() {
            if !set.go_on(1) {
                return Vec::new();
            }
            let t = i + 1;
            let mut notes: Vec<String> = Vec::new();
            if !annotation.note.is_empty() {
                notes.push(annotation.note.clone());
            }
            if !annotation.author.is_empty() {
                // Its own comment line (type Annotator), apart from the note.
                notes.push(format!("Annotator\t{}", annotation.author));
            }
            if let Some(page) = doc.document.page_label(annotation.span) {
                notes.push(format!("Page\t{page}"));
            }
            // brat fragments: the annotation's own, each split again at line breaks.
            let parts: Vec<Span> = annotation
                .pieces()
                .iter()
                .flat_map(|piece| fragments(doc.text, *piece))
                .collect();
            if parts.len() > annotation.pieces().len() {
                split += 1;
            }
            let offsets: Vec<String> = parts
                .iter()
                .map(|p| format!("{} {}", p.start(), p.end()))
                .collect();
            let texts: Vec<&str> = parts
                .iter()
                .map(|p| doc.text.slice(*p).unwrap_or_default())
                .collect();
            let _ = writeln!(
                ann,
                "T{t}\t{} {}\t{}",
                type_name(&set.label_name(&annotation.label)),
                offsets.join(";"),
                texts.join(" ")
            );
            write_links(set, doc, annotation, t, &mut counters, &mut notes, &mut ann);
            for note in notes {
                note_number += 1;
                let (kind, text) = note.split_once('\t').unwrap_or(("AnnotatorNotes", &note));
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                let _ = writeln!(ann, "#{note_number}\t{kind} T{t}\t{text}");
            }
        }
        // Relations between two annotations of this document (others cannot be written).
        let numbers: std::collections::HashMap<_, usize> = doc
            .annotations
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id, i + 1))
            .collect();
        for relation in set.relations_from_document(doc) {
            if let (Some(a), Some(b)) = (numbers.get(&relation.from), numbers.get(&relation.to)) {
                counters.relations += 1;
                let _ = writeln!(
                    ann,
                    "R{}\t{} Arg1:T{a} Arg2:T{b}",
                    counters.relations,
                    type_name(&relation.kind)
                );
            } else {
                cross_document += 1;
            }
        }
        files.push((format!("{stem}.txt"), doc.text.as_str().as_bytes().to_vec()));
        files.push((format!("{stem}.ann"), ann.into_bytes()));
    }
    files.push(("annotation.conf".to_owned(), conf(set).into_bytes()));
    if cross_document > 0 {
        fidelity.losses.push(format!(
            "{cross_document} relation(s) to another document not exported (brat relates annotations of one document)"
        ));
    }
    if split > 0 {
        fidelity.losses.push(format!(
            "{split} annotation(s) crossing a line break written as discontinuous fragments (notes' line breaks become spaces)"
        ));
    }
    files
}

/// Numbers of the `R`, `A` and `N` lines written so far in one `.ann` file.
#[derive(Default)]
struct Counters {
    relations: usize,
    attributes: usize,
    normalizations: usize,
}

/// The `N` (entity link), `R` (speaker or claimant) and `A` (grading) lines of annotation
/// `T{t}`; what has no line (a speaker without a mention here) is added to `notes`.
fn write_links(
    set: &AnnotationSet<'_>,
    doc: &DocumentSet<'_>,
    annotation: &Annotation,
    t: usize,
    counters: &mut Counters,
    notes: &mut Vec<String>,
    ann: &mut String,
) {
    if let Some(entity) = set.entity_of(annotation) {
        counters.normalizations += 1;
        let reference = entity.external_id.as_ref().map_or_else(
            || format!("Marginalia:E{}", entity.id.0),
            |q| format!("Wikidata:{q}"),
        );
        let _ = writeln!(
            ann,
            "N{}\tReference T{t} {reference}\t{}",
            counters.normalizations, entity.name
        );
    }
    if let Some(source) = &annotation.attrs.source {
        let role = match set.label_kind(&annotation.label) {
            Some(LabelKind::Claim) => "Claimant",
            _ => "Speaker",
        };
        // The speaker's mention in this document nearest to the quote.
        let mention = source.entity().and_then(|entity| {
            doc.annotations
                .iter()
                .enumerate()
                .filter(|(_, m)| m.entity == Some(entity))
                .min_by_key(|(_, m)| m.span.start().0.abs_diff(annotation.span.start().0))
                .map(|(j, _)| j + 1)
        });
        if let Some(m) = mention {
            counters.relations += 1;
            let _ = writeln!(ann, "R{}\t{role} Arg1:T{t} Arg2:T{m}", counters.relations);
        } else {
            // Its own comment line (type Speaker or Claimant), apart from the note.
            notes.push(format!("{role}\t{}", set.source_name(source)));
        }
    }
    for (name, value) in attribute_lines(annotation) {
        counters.attributes += 1;
        let _ = writeln!(ann, "A{}\t{name} T{t} {value}", counters.attributes);
    }
    // The label's own attributes: a yes/no or choice as an `A` line (declared in the
    // conf), text and numbers (anything else too) as a comment line of the attribute's type.
    let label = set.project.schema.label(&annotation.label);
    for (name, value) in &annotation.attrs.values {
        let listed = label
            .and_then(|l| l.attribute(name))
            .is_some_and(|a| matches!(a.kind, AttributeKind::YesNo | AttributeKind::Choice(_)));
        if listed {
            counters.attributes += 1;
            let _ = writeln!(
                ann,
                "A{}\t{} T{t} {}",
                counters.attributes,
                type_name(name),
                type_name(value)
            );
        } else {
            notes.push(format!("{}\t{value}", type_name(name)));
        }
    }
}

/// `annotation.conf`: the labels, the relation kinds (and Speaker/Claimant), the attributes.
fn conf(set: &AnnotationSet<'_>) -> String {
    let mut conf = String::from("[entities]\n");
    for label in &set.project.schema.labels {
        let _ = writeln!(conf, "{}", type_name(&label.name));
    }
    let of_kind = |kind: LabelKind| {
        set.project
            .schema
            .labels
            .iter()
            .filter(|l| l.kind == kind)
            .map(|l| type_name(&l.name))
            .collect::<Vec<_>>()
            .join("|")
    };
    let (quotes, claims) = (of_kind(LabelKind::Quote), of_kind(LabelKind::Claim));
    conf.push_str("\n[relations]\n");
    if !quotes.is_empty() {
        let _ = writeln!(conf, "Speaker\tArg1:{quotes}, Arg2:<ENTITY>");
    }
    if !claims.is_empty() {
        let _ = writeln!(conf, "Claimant\tArg1:{claims}, Arg2:<ENTITY>");
    }
    for kind in &set.project.schema.relation_kinds {
        let _ = writeln!(conf, "{}\tArg1:<ANY>, Arg2:<ANY>", type_name(kind));
    }
    conf.push_str("\n[events]\n\n[attributes]\n");
    if !quotes.is_empty() {
        let _ = writeln!(conf, "Directness\tArg:{quotes}, Value:Direct|Indirect");
        let _ = writeln!(conf, "Reliability\tArg:{quotes}, Value:A|B|C|D|E|F");
    }
    if !claims.is_empty() {
        let _ = writeln!(conf, "Stance\tArg:{claims}, Value:Asserts|Denies|Questions");
        let _ = writeln!(conf, "Credibility\tArg:{claims}, Value:1|2|3|4|5|6");
        let _ = writeln!(conf, "Confidence\tArg:{claims}, Value:Low|Moderate|High");
    }
    for label in &set.project.schema.labels {
        for attribute in &label.attributes {
            let values = match &attribute.kind {
                AttributeKind::YesNo => "yes|no".to_owned(),
                AttributeKind::Choice(options) => options
                    .iter()
                    .map(|o| type_name(o))
                    .collect::<Vec<_>>()
                    .join("|"),
                AttributeKind::Text | AttributeKind::Number => continue,
            };
            let _ = writeln!(
                conf,
                "{}\tArg:{}, Value:{values}",
                type_name(&attribute.name),
                type_name(&label.name)
            );
        }
    }
    conf
}
