//! brat standoff: per document a `.txt` (the exact text, UTF-8, LF) and a `.ann` with
//! `T` lines (spans; a span crossing a line break becomes fragments `s1 e1;s2 e2`, whose
//! text is the fragments joined by one space) and `#` `AnnotatorNotes`; one
//! `annotation.conf` declaring the labels.

use std::fmt::Write as _;

use super::names::unique_stems;
use super::{AnnotationSet, Fidelity};
use crate::model::{DocText, Span};

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
    for (doc, stem) in set.documents.iter().zip(&stems) {
        let mut ann = String::new();
        let mut note_number = 0;
        for (i, annotation) in doc.annotations.iter().enumerate() {
            let t = i + 1;
            let parts = fragments(doc.text, annotation.span);
            if parts.len() > 1 {
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
            if !annotation.note.is_empty() {
                note_number += 1;
                let note = annotation
                    .note
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                let _ = writeln!(ann, "#{note_number}\tAnnotatorNotes T{t}\t{note}");
            }
        }
        files.push((format!("{stem}.txt"), doc.text.as_str().as_bytes().to_vec()));
        files.push((format!("{stem}.ann"), ann.into_bytes()));
    }
    let mut conf = String::from("[entities]\n");
    for label in &set.project.schema.labels {
        let _ = writeln!(conf, "{}", type_name(&label.name));
    }
    conf.push_str("\n[relations]\n\n[events]\n\n[attributes]\n");
    files.push(("annotation.conf".to_owned(), conf.into_bytes()));
    if split > 0 {
        fidelity.losses.push(format!(
            "{split} annotation(s) crossing a line break written as discontinuous fragments (notes' line breaks become spaces)"
        ));
    }
    files
}
