//! CSV: RFC 4180, UTF-8 with a byte-order mark and CRLF line ends so that spreadsheets
//! decode it; one row per annotation; offsets in Unicode code points (the header says so).
//! Cells that a spreadsheet would run as a formula get a leading `'`. A discontinuous
//! annotation's `text` is its fragments joined by " … ", and `fragments` gives their ranges.
//! `page` is the page of a paged document (PDF) the annotation is on ("12", or "12–13").

use super::{AnnotationSet, Fidelity};

const HEADER: [&str; 27] = [
    "document",
    "document_path",
    "id",
    "kind",
    "label",
    "start_codepoint",
    "end_codepoint",
    "text",
    "fragments",
    "entity",
    "entity_external_id",
    "speaker_or_claimant",
    "anonymous_source",
    "directness",
    "reliability",
    "stance",
    "credibility",
    "confidence",
    "cluster",
    "relations",
    "note",
    "prefix",
    "suffix",
    "author",
    "created",
    "modified",
    "page",
];

/// A cell a spreadsheet would evaluate is made inert.
pub fn guard(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

pub fn export(set: &AnnotationSet<'_>, _fidelity: &mut Fidelity) -> std::io::Result<Vec<u8>> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    // The labels' own attributes, a column each ("attribute: Range (km)"), after the rest.
    let extra: std::collections::BTreeSet<&str> = set
        .documents
        .iter()
        .flat_map(|d| d.annotations.iter())
        .flat_map(|a| a.attrs.values.keys().map(String::as_str))
        .collect();
    let header = HEADER
        .iter()
        .map(|h| (*h).to_owned())
        .chain(extra.iter().map(|name| format!("attribute: {name}")));
    writer.write_record(header.map(|h| guard(&h)))?;
    for doc in &set.documents {
        for a in &doc.annotations {
            if !set.go_on(1) {
                return Ok(Vec::new());
            }
            let kind = match set.label_kind(&a.label) {
                Some(crate::model::LabelKind::Claim) => "claim",
                Some(crate::model::LabelKind::Quote) => "quote",
                Some(crate::model::LabelKind::Entity) => "entity",
                None => "",
            };
            let pairs = set.attribute_pairs(a);
            let value = |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            };
            let source = a.attrs.source.as_ref();
            let record = [
                doc.document.display_name().to_owned(),
                doc.document.path.clone(),
                a.id.0.to_string(),
                kind.to_owned(),
                set.label_name(&a.label),
                a.span.start().0.to_string(),
                a.span.end().0.to_string(),
                a.marked_text().into_owned(),
                fragments(a),
                value("entity"),
                value("entity_external_id"),
                source.map(|s| set.source_name(s)).unwrap_or_default(),
                source
                    .map(|s| if s.is_anonymous() { "yes" } else { "no" }.to_owned())
                    .unwrap_or_default(),
                value("directness"),
                value("reliability"),
                value("stance"),
                value("credibility"),
                value("confidence"),
                value("cluster"),
                relations(set, a),
                a.note.clone(),
                a.prefix().to_owned(),
                a.suffix().to_owned(),
                a.author.clone(),
                a.created.to_string(),
                a.modified.to_string(),
                doc.document.page_label(a.span).unwrap_or_default(),
            ];
            let values = extra
                .iter()
                .map(|name| a.attrs.values.get(*name).cloned().unwrap_or_default());
            writer.write_record(record.into_iter().chain(values).map(|c| guard(&c)))?;
        }
    }
    writer.into_inner().map_err(csv::IntoInnerError::into_error)
}

/// The fragments of a discontinuous annotation as code-point ranges, "10-25;38-70"; empty
/// for a continuous one.
fn fragments(a: &crate::model::Annotation) -> String {
    if !a.is_discontinuous() {
        return String::new();
    }
    a.pieces()
        .iter()
        .map(|p| format!("{}-{}", p.start(), p.end()))
        .collect::<Vec<_>>()
        .join(";")
}

/// The annotation's outgoing relations: "supports #12; contradicts #40" (annotation ids).
fn relations(set: &AnnotationSet<'_>, a: &crate::model::Annotation) -> String {
    set.relations_from(a.id)
        .map(|r| format!("{} #{}", r.kind, r.to.0))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::guard;

    #[test]
    fn formula_cells_are_guarded() {
        assert_eq!(guard("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(guard("+1"), "'+1");
        assert_eq!(guard("@SUM"), "'@SUM");
        assert_eq!(guard("Chuck Hagel"), "Chuck Hagel");
    }
}
