//! JSON lines, one document per line. Offsets are Unicode code points, end-exclusive
//! (`meta.offsets` says so); tools that count UTF-16 units must convert.
//!
//! - spans flavour (spaCy, Prodigy): `{"text", "spans": [{"start", "end", "label", "text",
//!   "id", "note", "entity", "entity_id", "speaker" | "claimant", "directness",
//!   "reliability", "stance", "credibility", "confidence", "cluster"}], "meta": {...}}`
//!   (attributes only when set; `cluster`: the confirmed claim cluster's id), `"relations": [{"from", "to", "kind", "to_document"}]` by annotation
//!   id (`to_document` only for a relation into another document)
//! - doccano flavour: `{"text", "label": [[start, end, "Label"], ...]}`; notes and metadata
//!   have no place there and are reported as lost.

use serde_json::{Value, json};

use super::{AnnotationSet, Fidelity, JsonlFlavor};

pub fn export(set: &AnnotationSet<'_>, flavor: JsonlFlavor, fidelity: &mut Fidelity) -> Vec<u8> {
    let mut out = Vec::new();
    let mut notes = 0;
    let mut attributed = 0;
    let mut discontinuous = 0;
    for doc in &set.documents {
        if !set.go_on(doc.annotations.len()) {
            return Vec::new();
        }
        let line = match flavor {
            JsonlFlavor::Spans => {
                let spans: Vec<Value> = doc
                    .annotations
                    .iter()
                    .map(|a| span_json(set, doc.document, a))
                    .collect();
                let meta = &doc.document.metadata;
                let relations: Vec<Value> = set
                    .relations_from_document(doc)
                    .into_iter()
                    .map(|r| {
                        let mut relation = json!({"from": r.from.0, "to": r.to.0, "kind": r.kind});
                        if let Some(target) = set.project.annotation(r.to)
                            && target.document != doc.document.id
                            && let Some(other) = set.project.document(target.document)
                        {
                            relation["to_document"] = json!(other.path);
                        }
                        relation
                    })
                    .collect();
                json!({
                    "text": doc.text.as_str(),
                    "spans": spans,
                    "relations": relations,
                    "meta": {
                        "document": doc.document.path,
                        "sha256": doc.document.sha256,
                        "title": meta.title,
                        "byline": meta.byline,
                        "date": meta.date,
                        "url": meta.url,
                        "offsets": "unicode code points, end-exclusive",
                    },
                })
            }
            JsonlFlavor::Doccano => {
                notes += doc
                    .annotations
                    .iter()
                    .filter(|a| !a.note.is_empty())
                    .count();
                attributed += doc
                    .annotations
                    .iter()
                    .filter(|a| a.entity.is_some() || !a.attrs.is_empty())
                    .count();
                discontinuous += doc
                    .annotations
                    .iter()
                    .filter(|a| a.is_discontinuous())
                    .count();
                let labels: Vec<Value> = doc
                    .annotations
                    .iter()
                    .flat_map(|a| {
                        a.pieces()
                            .iter()
                            .map(|p| json!([p.start().0, p.end().0, set.label_name(&a.label)]))
                    })
                    .collect();
                json!({ "text": doc.text.as_str(), "label": labels })
            }
        };
        out.extend(line.to_string().into_bytes());
        out.push(b'\n');
    }
    if notes > 0 {
        fidelity.losses.push(format!(
            "{notes} note(s) not exported (doccano has no field for them)"
        ));
    }
    if discontinuous > 0 {
        fidelity.losses.push(format!(
            "{discontinuous} discontinuous annotation(s) written as one span per fragment (doccano spans are continuous)"
        ));
    }
    if attributed > 0 {
        fidelity.losses.push(format!(
            "entity links and attributes of {attributed} annotation(s) not exported (doccano has no field for them)"
        ));
    }
    out
}

/// One annotation as a spaCy-style span with Marginalia's extra fields.
fn span_json(
    set: &AnnotationSet<'_>,
    document: &crate::model::Document,
    a: &crate::model::Annotation,
) -> Value {
    let mut span = json!({
        "start": a.span.start().0,
        "end": a.span.end().0,
        "label": set.label_name(&a.label),
        "text": a.text(),
        "id": a.id.0,
    });
    if a.is_discontinuous() {
        span["fragments"] = a
            .pieces()
            .iter()
            .zip(a.piece_texts())
            .map(|(p, text)| json!({"start": p.start().0, "end": p.end().0, "text": text}))
            .collect();
    }
    if let Some((first, last)) = document.pages_of(a.span) {
        span["page"] = json!(first);
        if last != first {
            span["page_end"] = json!(last);
        }
    }
    if !a.note.is_empty() {
        span["note"] = json!(a.note);
    }
    if !a.author.is_empty() {
        span["author"] = json!(a.author);
    }
    if !a.changed_by.is_empty() {
        span["changed_by"] = json!(a.changed_by);
    }
    if let Some(entity) = a.entity {
        span["entity_id"] = json!(entity.0);
    }
    for (name, value) in set.attribute_pairs(a) {
        span[name] = json!(value);
    }
    if !a.attrs.values.is_empty() {
        span["attributes"] = json!(a.attrs.values);
    }
    span
}
