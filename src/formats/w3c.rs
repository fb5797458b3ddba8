//! W3C Web Annotation (JSON-LD): one `AnnotationCollection` with its pages.
//!
//! Each annotation targets its document (the page's URL, or `urn:sha256:<hash>` of the
//! source file) with a `TextPositionSelector` (code points, end-exclusive) **and** a
//! `TextQuoteSelector` (exact, prefix, suffix), since many tools count UTF-16 units. The
//! label is a `TextualBody` with purpose `tagging`; the entity link is `identifying`
//! (plus a Wikidata `SpecificResource` when the entity has a QID), speaker, claimant,
//! directness, stance and the label's own attributes `describing`, and the grading `assessing` bodies ("name: value");
//! a discontinuous annotation has one target per fragment (each with both selectors);
//! a relation is a `linking` `SpecificResource` to the other annotation's id plus a
//! `linking` body naming its kind; a note is one with purpose `commenting`.

use std::fmt::Write as _;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::{AnnotationSet, Fidelity};
use crate::model::{Annotation, DocText, Document, Span};

const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";
const PAGE_SIZE: usize = 1000;

/// The IRI that names the project's collection (stable for a project name).
fn collection_id(set: &AnnotationSet<'_>) -> String {
    let digest = Sha256::digest(set.project.name.as_bytes());
    let hex = digest.iter().take(8).fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    });
    format!("urn:marginalia:project:{hex}")
}

/// The annotation's target source: the page's URL if it has one, else the file's hash.
pub fn source_of(document: &Document) -> String {
    document
        .metadata
        .url
        .clone()
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        .unwrap_or_else(|| format!("urn:sha256:{}", document.sha256))
}

/// The target: the annotated passage of the document, by position and by quote. A
/// discontinuous annotation has one target per fragment, in text order.
fn target(document: &Document, text: &DocText, a: &Annotation) -> Value {
    let one = |span: Span, exact: &str, prefix: &str, suffix: &str| {
        let mut selectors = vec![
            json!({
                "type": "TextPositionSelector",
                "start": span.start().0,
                "end": span.end().0,
            }),
            json!({
                "type": "TextQuoteSelector",
                "exact": exact,
                "prefix": prefix,
                "suffix": suffix,
            }),
        ];
        // The page of a PDF, as a fragment of the PDF (RFC 3778, as the model names it), the way Recogito
        // writes it.
        if let Some((page, _)) = document.pages_of(span) {
            selectors.push(json!({
                "type": "FragmentSelector",
                "conformsTo": "http://tools.ietf.org/rfc/rfc3778",
                "value": format!("page={page}"),
            }));
        }
        json!({
            "source": source_of(document),
            "selector": selectors,
        })
    };
    if !a.is_discontinuous() {
        return one(a.span, a.text(), a.prefix(), a.suffix());
    }
    let pieces: Vec<Value> = a
        .pieces()
        .iter()
        .zip(a.piece_texts())
        .map(|(piece, exact)| {
            let (prefix, suffix) = text.context(*piece);
            one(*piece, exact, &prefix, &suffix)
        })
        .collect();
    Value::Array(pieces)
}

fn annotation_json(
    set: &AnnotationSet<'_>,
    base: &str,
    document: &Document,
    text: &DocText,
    a: &Annotation,
) -> Value {
    let mut bodies = vec![json!({
        "type": "TextualBody",
        "purpose": "tagging",
        "value": set.label_name(&a.label),
    })];
    if !a.note.is_empty() {
        bodies.push(json!({
            "type": "TextualBody",
            "purpose": "commenting",
            "value": a.note,
        }));
    }
    if let Some(q) = set
        .entity_of(a)
        .and_then(|e| e.external_id.as_deref())
        .filter(|q| q.starts_with('Q') && q[1..].bytes().all(|b| b.is_ascii_digit()))
    {
        bodies.push(json!({
            "type": "SpecificResource",
            "purpose": "identifying",
            "source": format!("http://www.wikidata.org/entity/{q}"),
        }));
    }
    for relation in set.relations_from(a.id) {
        bodies.push(json!({
            "type": "SpecificResource",
            "purpose": "linking",
            "source": format!("{base}:annotation:{}", relation.to.0),
        }));
        bodies.push(json!({
            "type": "TextualBody",
            "purpose": "linking",
            "value": format!("{}: annotation {}", relation.kind, relation.to.0),
        }));
    }
    for (name, value) in set.attribute_pairs(a) {
        let purpose = match name {
            "entity" | "entity_external_id" => "identifying",
            "reliability" | "credibility" | "confidence" => "assessing",
            _ => "describing",
        };
        bodies.push(json!({
            "type": "TextualBody",
            "purpose": purpose,
            "value": format!("{name}: {value}"),
        }));
    }
    // The label's own attributes describe the passage too.
    for (name, value) in &a.attrs.values {
        bodies.push(json!({
            "type": "TextualBody",
            "purpose": "describing",
            "value": format!("{name}: {value}"),
        }));
    }
    let mut annotation = json!({
        "@context": CONTEXT,
        "id": format!("{base}:annotation:{}", a.id.0),
        "type": "Annotation",
        "motivation": "tagging",
        "created": a.created.to_string(),
        "modified": a.modified.to_string(),
        "body": bodies,
        "target": target(document, text, a),
    });
    if !a.author.is_empty() {
        annotation["creator"] = json!({ "type": "Person", "nickname": a.author });
    }
    annotation
}

/// The collection as a JSON value.
pub fn collection(set: &AnnotationSet<'_>) -> Value {
    let base = collection_id(set);
    let items: Vec<Value> = set
        .documents
        .iter()
        .flat_map(|d| {
            let base = base.clone();
            d.annotations
                .iter()
                .take_while(|_| set.go_on(1))
                .map(move |a| annotation_json(set, &base, d.document, d.text, a))
        })
        .collect();
    let total = items.len();
    let pages: Vec<Vec<Value>> = if items.is_empty() {
        vec![Vec::new()]
    } else {
        items.chunks(PAGE_SIZE).map(<[Value]>::to_vec).collect()
    };
    let page_count = pages.len();
    // Pages are embedded, each holding the next one.
    let mut next: Option<Value> = None;
    for (i, page_items) in pages.into_iter().enumerate().rev() {
        let mut page = json!({
            "id": format!("{base}:page:{}", i + 1),
            "type": "AnnotationPage",
            "partOf": base,
            "startIndex": i * PAGE_SIZE,
            "items": page_items,
        });
        if let Some(following) = next.take() {
            page["next"] = following;
        }
        next = Some(page);
    }
    json!({
        "@context": CONTEXT,
        "id": base,
        "type": "AnnotationCollection",
        "label": set.project.name,
        "total": total,
        "generator": { "type": "Software", "name": format!("Marginalia {}", env!("CARGO_PKG_VERSION")) },
        "first": next.unwrap_or(Value::Null),
        "last": format!("{base}:page:{page_count}"),
    })
}

pub fn export(set: &AnnotationSet<'_>, _fidelity: &mut Fidelity) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(&collection(set)).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}
