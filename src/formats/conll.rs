//! CoNLL-2003 style IOB2 for entity labels: `-DOCSTART- -X- O O` before each document, one
//! token per line (`word -X- _ TAG`, the 4-column form spaCy reads), a blank line between
//! sentences. Tokens and sentences come from Unicode segmentation (UAX #29).
//!
//! Tokens carry no offsets, so nesting cannot be expressed: the outermost entity wins and
//! the others are reported, as are claims and quotes, which are not entities.

use std::fmt::Write as _;

use unicode_segmentation::UnicodeSegmentation;

use super::brat::type_name;
use super::{AnnotationSet, Fidelity};
use crate::model::{Annotation, LabelKind, Span};

/// A token: its text and characters in the document.
struct Token<'t> {
    text: &'t str,
    span: Span,
}

/// Sentences of `text` as lists of tokens, paragraph by paragraph.
fn sentences(text: &crate::model::DocText) -> Vec<Vec<Token<'_>>> {
    let mut out = Vec::new();
    for paragraph in text.paragraphs() {
        let para_text = text.paragraph_text(paragraph);
        let mut chars_before = 0;
        let mut byte_cursor = 0;
        for (sentence_byte, sentence) in para_text.split_sentence_bound_indices() {
            let mut tokens = Vec::new();
            for (word_byte, word) in sentence.split_word_bound_indices() {
                let byte = sentence_byte + word_byte;
                chars_before += para_text[byte_cursor..byte].chars().count();
                byte_cursor = byte;
                if word.trim().is_empty() {
                    continue;
                }
                let start = paragraph.span.start().forward(chars_before);
                tokens.push(Token {
                    text: word,
                    span: Span::between(start, start.forward(word.chars().count())),
                });
            }
            if !tokens.is_empty() {
                out.push(tokens);
            }
        }
    }
    out
}

/// Entities kept: the outermost of any overlapping group, in start order.
fn outermost<'a>(
    annotations: &[&'a Annotation],
    is_entity: impl Fn(&Annotation) -> bool,
) -> (Vec<&'a Annotation>, usize) {
    let mut entities: Vec<&Annotation> = annotations
        .iter()
        .copied()
        .filter(|a| is_entity(a))
        .collect();
    entities.sort_by_key(|a| (a.span.start(), std::cmp::Reverse(a.span.end()), a.id));
    let mut kept: Vec<&Annotation> = Vec::new();
    let mut dropped = 0;
    for entity in entities {
        if kept.last().is_some_and(|k| k.span.overlaps(entity.span)) {
            dropped += 1;
        } else {
            kept.push(entity);
        }
    }
    (kept, dropped)
}

pub fn export(set: &AnnotationSet<'_>, fidelity: &mut Fidelity) -> Vec<u8> {
    let mut out = String::new();
    let (mut nested, mut not_entities) = (0, 0);
    for doc in &set.documents {
        if !set.go_on(doc.annotations.len()) {
            return Vec::new();
        }
        let is_entity = |a: &Annotation| set.label_kind(&a.label) == Some(LabelKind::Entity);
        not_entities += doc.annotations.iter().filter(|a| !is_entity(a)).count();
        let (entities, dropped) = outermost(&doc.annotations, is_entity);
        nested += dropped;
        out.push_str("-DOCSTART- -X- O O\n\n");
        let mut next_entity = 0;
        let mut previous: Option<usize> = None;
        for sentence in sentences(doc.text) {
            for token in sentence {
                while entities
                    .get(next_entity)
                    .is_some_and(|e| e.span.end() <= token.span.start())
                {
                    next_entity += 1;
                }
                let tag = match entities.get(next_entity) {
                    Some(e) if e.pieces().iter().any(|p| p.overlaps(token.span)) => {
                        let prefix = if previous == Some(next_entity) {
                            "I"
                        } else {
                            "B"
                        };
                        previous = Some(next_entity);
                        format!("{prefix}-{}", type_name(&set.label_name(&e.label)))
                    }
                    _ => {
                        previous = None;
                        "O".to_owned()
                    }
                };
                let _ = writeln!(out, "{} -X- _ {tag}", token.text);
            }
            previous = None;
            out.push('\n');
        }
    }
    let discontinuous = set
        .documents
        .iter()
        .flat_map(|d| d.annotations.iter())
        .filter(|a| a.is_discontinuous() && set.label_kind(&a.label) == Some(LabelKind::Entity))
        .count();
    if discontinuous > 0 {
        fidelity.losses.push(format!(
            "{discontinuous} discontinuous entit(ies) written as one entity per fragment (IOB2 tags are continuous)"
        ));
    }
    fidelity.annotations = fidelity.annotations.saturating_sub(nested + not_entities);
    if nested > 0 {
        fidelity.losses.push(format!(
            "{nested} nested or overlapping entit(ies) not exported (the outermost wins)"
        ));
    }
    if not_entities > 0 {
        fidelity.losses.push(format!(
            "{not_entities} claim(s) and quote(s) not exported (CoNLL holds entities only)"
        ));
    }
    set.report_unwritten_links("CoNLL", fidelity);
    out.into_bytes()
}
