//! A self-contained HTML report an analyst can send: first the briefing over all its
//! documents ([`super::briefing`]: contents, summary, sources, claims and their clusters,
//! who said what, charts as inline SVG), then per document its title and provenance, the
//! text with every annotation highlighted (colours and a legend), then tables of quotes,
//! claims and entities. No scripts that run (only ClaimReview data), no external
//! resources, every piece of text escaped; prints cleanly (a part per page).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{AnnotationSet, DocumentSet, Fidelity};
use crate::model::{Annotation, CharPos, LabelKind, Rgb, Span, SpanIndex};

/// `text` with HTML's special characters escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn rgba(rgb: Rgb, alpha: f32) -> String {
    let [r, g, b] = rgb.0;
    format!("rgba({r},{g},{b},{alpha})")
}

const STYLE: &str = "body{font-family:Georgia,'Noto Serif',serif;max-width:48em;margin:2em auto;padding:0 1em;line-height:1.9;color:#222}\
h1,h2,h3{font-family:system-ui,sans-serif;line-height:1.25}\
.prov{color:#555;font-size:.9em;font-family:system-ui,sans-serif}\
.legend span{display:inline-block;margin:0 .6em .3em 0;padding:0 .4em;border-radius:3px;font-family:system-ui,sans-serif;font-size:.85em}\
.m{border-radius:2px}\
table{border-collapse:collapse;width:100%;font-family:system-ui,sans-serif;font-size:.9em;margin-bottom:1.5em}\
th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}\
th{background:#f0f0f0}\
section.doc{page-break-after:always}\
@media print{body{max-width:none}a{color:inherit;text-decoration:none}}";

pub fn export(set: &AnnotationSet<'_>, _fidelity: &mut Fidelity) -> Vec<u8> {
    let mut out = String::new();
    let title = escape(&set.project.name);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title><style>{STYLE}{}</style></head><body>\n<h1>{title}</h1>\n<p class=\"prov\">Marginalia report: {} annotation(s) in {} document(s).</p>\n",
        super::briefing::STYLE,
        set.annotation_count(),
        set.documents.len()
    );
    out.push_str("<p class=\"legend\">");
    for label in &set.project.schema.labels {
        let _ = write!(
            out,
            "<span style=\"background:{};border-bottom:3px solid {}\">{}</span>",
            rgba(label.color, 0.25),
            String::from(label.color),
            escape(&label.name)
        );
    }
    out.push_str("</p>\n");
    super::briefing::write(set, &mut out);
    for doc in &set.documents {
        document_section(set, doc, &mut out);
        if !set.go_on(doc.annotations.len()) {
            return Vec::new();
        }
    }
    out.push_str("</body></html>\n");
    out.into_bytes()
}

fn document_section(set: &AnnotationSet<'_>, doc: &DocumentSet<'_>, out: &mut String) {
    let document = doc.document;
    let meta = &document.metadata;
    let _ = write!(
        out,
        "<section class=\"doc\" id=\"{}\"><h2>{}</h2><p class=\"prov\">",
        super::briefing::document_anchor(document.id),
        escape(document.display_name())
    );
    let mut provenance = vec![format!("File: {}", escape(&document.path))];
    for (name, value) in [
        ("By", &meta.byline),
        ("Site", &meta.site_name),
        ("Date", &meta.date),
        ("Source", &meta.url),
    ] {
        if let Some(value) = value {
            provenance.push(format!("{name}: {}", escape(value)));
        }
    }
    provenance.push(format!("SHA-256: {}", escape(&document.sha256)));
    out.push_str(&provenance.join("<br>"));
    out.push_str("</p>\n");
    highlighted_text(set, doc, out);
    tables(set, doc, out);
    out.push_str("</section>\n");
}

/// The text, paragraph by paragraph, split at every annotation boundary; each piece is
/// filled with its innermost annotation's colour and underlined once per layer.
fn highlighted_text(set: &AnnotationSet<'_>, doc: &DocumentSet<'_>, out: &mut String) {
    // Discontinuous annotations are highlighted on their fragments only.
    let index = SpanIndex::new(
        doc.annotations
            .iter()
            .flat_map(|a| a.pieces().iter().map(|p| (*p, a.id)))
            .collect(),
    );
    let by_id: BTreeMap<_, &Annotation> = doc.annotations.iter().map(|a| (a.id, *a)).collect();
    for paragraph in doc.text.paragraphs() {
        if paragraph.span.is_empty() {
            continue;
        }
        out.push_str("<p>");
        let layers: Vec<(Span, crate::model::AnnotationId)> =
            index.overlapping(paragraph.span).collect();
        let mut cuts: Vec<CharPos> = vec![paragraph.span.start(), paragraph.span.end()];
        for (span, _) in &layers {
            cuts.push(span.start().max(paragraph.span.start()));
            cuts.push(span.end().min(paragraph.span.end()));
        }
        cuts.sort_unstable();
        cuts.dedup();
        for pair in cuts.windows(2) {
            let piece = Span::between(pair[0], pair[1]);
            for (span, id) in &layers {
                let first = by_id
                    .get(id)
                    .is_some_and(|a| a.span.start() == span.start());
                if first && span.start() == piece.start() {
                    let _ = write!(out, "<a id=\"a{}\"></a>", id.0);
                }
            }
            let text = escape(doc.text.slice(piece).unwrap_or_default());
            let mut active: Vec<&Annotation> = layers
                .iter()
                .filter(|(span, _)| span.encloses(piece))
                .filter_map(|(_, id)| by_id.get(id).copied())
                .collect();
            if active.is_empty() {
                out.push_str(&text);
                continue;
            }
            active.sort_by_key(|a| std::cmp::Reverse(a.span.len()));
            let color = |a: &Annotation| {
                set.project
                    .schema
                    .label(&a.label)
                    .map_or(Rgb([128, 128, 128]), |l| l.color)
            };
            let innermost = active.last().map_or(Rgb([128, 128, 128]), |a| color(a));
            let shadows: Vec<String> = active
                .iter()
                .enumerate()
                .map(|(i, a)| format!("inset 0 -{}px 0 {}", 2 * (i + 1), String::from(color(a))))
                .collect();
            let names: Vec<String> = active.iter().map(|a| set.label_name(&a.label)).collect();
            let _ = write!(
                out,
                "<span class=\"m\" style=\"background:{};box-shadow:{}\" title=\"{}\">{text}</span>",
                rgba(innermost, 0.22),
                shadows.join(","),
                escape(&names.join(" › "))
            );
        }
        out.push_str("</p>\n");
    }
}

fn tables(set: &AnnotationSet<'_>, doc: &DocumentSet<'_>, out: &mut String) {
    let of_kind = |kind: LabelKind| -> Vec<&Annotation> {
        doc.annotations
            .iter()
            .copied()
            .filter(|a| set.label_kind(&a.label) == Some(kind))
            .collect()
    };
    let paged = !doc.document.pages.is_empty();
    for (kind, heading, who) in [
        (LabelKind::Quote, "Quotes", "Speaker"),
        (LabelKind::Claim, "Claims", "Claimant"),
    ] {
        let rows = of_kind(kind);
        if rows.is_empty() {
            continue;
        }
        let _ = write!(
            out,
            "<h3>{heading}</h3><table><tr><th>#</th><th>{who}</th><th>Text</th><th>Grading</th><th>Note</th>{}</tr>",
            if paged { "<th>Page</th>" } else { "" }
        );
        for a in rows {
            let source = a
                .attrs
                .source
                .as_ref()
                .map(|s| set.source_name(s))
                .unwrap_or_default();
            let mut grading: Vec<String> = Vec::new();
            if let Some(d) = a.attrs.directness {
                grading.push(format!("{d:?}").to_lowercase());
            }
            if let Some(s) = a.attrs.stance {
                grading.push(s.name().to_owned());
            }
            let shorthand = a.attrs.grading();
            if !shorthand.is_empty() {
                grading.push(shorthand);
            }
            let _ = write!(
                out,
                "<tr><td><a href=\"#a{id}\">{id}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>{}</tr>",
                escape(&source),
                escape(&a.marked_text()),
                escape(&grading.join(", ")),
                escape(&a.note),
                doc.document
                    .page_label(a.span)
                    .map(|p| format!("<td>{p}</td>"))
                    .unwrap_or_default(),
                id = a.id.0
            );
        }
        out.push_str("</table>\n");
    }
    // Entities by their registry name when linked, else by the mention's text.
    let mut entities: BTreeMap<(String, String), (usize, Vec<&str>)> = BTreeMap::new();
    for a in of_kind(LabelKind::Entity) {
        let name = set
            .entity_of(a)
            .map_or_else(|| a.text().to_owned(), |e| e.name.clone());
        let entry = entities
            .entry((set.label_name(&a.label), name))
            .or_default();
        entry.0 += 1;
        if !a.note.is_empty() && !entry.1.contains(&a.note.as_str()) {
            entry.1.push(&a.note);
        }
    }
    if !entities.is_empty() {
        out.push_str("<h3>Entities</h3><table><tr><th>Label</th><th>Name</th><th>Mentions</th><th>Notes</th></tr>");
        for ((label, name), (count, notes)) in entities {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{count}</td><td>{}</td></tr>",
                escape(&label),
                escape(&name),
                escape(&notes.join("; "))
            );
        }
        out.push_str("</table>\n");
    }
    relations_table(set, doc, out);
    attributes_table(set, doc, out);
}

/// The annotations that have values of their label's own attributes.
fn attributes_table(set: &AnnotationSet<'_>, doc: &DocumentSet<'_>, out: &mut String) {
    let rows: Vec<&Annotation> = doc
        .annotations
        .iter()
        .copied()
        .filter(|a| !a.attrs.values.is_empty())
        .collect();
    if rows.is_empty() {
        return;
    }
    out.push_str("<h3>Attributes</h3><table><tr><th>#</th><th>Label</th><th>Text</th><th>Attributes</th></tr>");
    for a in rows {
        let values: Vec<String> = a
            .attrs
            .values
            .iter()
            .map(|(name, value)| format!("{name}: {value}"))
            .collect();
        let _ = write!(
            out,
            "<tr><td><a href=\"#a{id}\">{id}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&set.label_name(&a.label)),
            escape(&a.marked_text()),
            escape(&values.join("; ")),
            id = a.id.0
        );
    }
    out.push_str("</table>\n");
}

/// The relations starting in this document: from, kind, to (with its document if another).
fn relations_table(set: &AnnotationSet<'_>, doc: &DocumentSet<'_>, out: &mut String) {
    let relations = set.relations_from_document(doc);
    if relations.is_empty() {
        return;
    }
    out.push_str("<h3>Relations</h3><table><tr><th>From</th><th>Relation</th><th>To</th></tr>");
    for r in relations {
        let text = |id| {
            set.project.annotation(id).map_or_else(String::new, |a| {
                let elsewhere = (a.document != doc.document.id)
                    .then(|| set.project.document(a.document))
                    .flatten()
                    .map(|d| format!(" ({})", d.display_name()))
                    .unwrap_or_default();
                format!("#{} “{}”{elsewhere}", a.id.0, a.marked_text())
            })
        };
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&text(r.from)),
            escape(&r.kind),
            escape(&text(r.to))
        );
    }
    out.push_str("</table>\n");
}
