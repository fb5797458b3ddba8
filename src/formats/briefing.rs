//! The briefing: the project-wide first part of the HTML report. A table of contents, an
//! executive summary (the documents, the sources with their reliability, the claims by
//! credibility and by cluster, who said what), the overview's charts as inline SVG, and
//! ClaimReview JSON-LD (schema.org) for the claims an analyst graded 1–5. Everything is
//! computed from the export's set (its documents and labels), every piece of text
//! escaped; the JSON-LD is data, not a script that runs.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::AnnotationSet;
use super::html::escape;
use crate::model::clusters::{self, Cluster};
use crate::model::overview::{self, Count, Overview};
use crate::model::{Annotation, AnnotationId, DocumentId, LabelKind, Source};

/// How many speakers the briefing lists with their quotes.
const SPEAKERS: usize = 12;
/// How many quotes of a speaker it lists.
const QUOTES_PER_SPEAKER: usize = 5;

/// The anchor of a document's section in the report.
pub fn document_anchor(id: DocumentId) -> String {
    format!("doc-{}", id.0)
}

/// The briefing's CSS (added to the report's).
pub const STYLE: &str = "nav.toc{font-family:system-ui,sans-serif;font-size:.95em;border:1px solid #ddd;padding:.5em 1.5em;margin:1em 0 2em}\
.summary p{margin:.4em 0}\
figure{margin:1em 0;page-break-inside:avoid}\
figcaption{font-family:system-ui,sans-serif;font-size:.85em;color:#555}\
svg text{font-family:system-ui,sans-serif;font-size:12px;fill:#222}\
.warn{color:#a04000}\
section.part{page-break-after:always}\
@media print{nav.toc a::after{content:none}table,figure{page-break-inside:avoid}}";

/// The facts the briefing states, gathered once from the set.
struct Facts<'a> {
    overview: Overview,
    /// The set's quotes and claims in project order.
    quotes: Vec<&'a Annotation>,
    claims: Vec<&'a Annotation>,
    /// Clusters with members in two or more of the set's documents, members outside the
    /// set left out.
    clusters: Vec<Cluster>,
}

impl<'a> Facts<'a> {
    fn of(set: &'a AnnotationSet<'_>) -> Self {
        let overview = overview::compute(set.project, &set.filter());
        let mut quotes = Vec::new();
        let mut claims = Vec::new();
        for doc in &set.documents {
            for &a in &doc.annotations {
                match set.label_kind(&a.label) {
                    Some(LabelKind::Quote) => quotes.push(a),
                    Some(LabelKind::Claim) => claims.push(a),
                    _ => {}
                }
            }
        }
        let chosen: BTreeSet<AnnotationId> = claims.iter().map(|a| a.id).collect();
        let clusters = clusters::of_project(set.project)
            .into_iter()
            .filter_map(|mut c| {
                c.members.retain(|m| chosen.contains(&m.annotation));
                let documents: BTreeSet<DocumentId> =
                    c.members.iter().map(|m| m.document).collect();
                c.documents = documents.len();
                (c.documents > 1).then_some(c)
            })
            .collect();
        Self {
            overview,
            quotes,
            claims,
            clusters,
        }
    }
}

/// Writes the briefing (table of contents, summary, sources, claims, who said what,
/// charts) into `out`.
pub fn write(set: &AnnotationSet<'_>, out: &mut String) {
    let facts = Facts::of(set);
    toc(set, out);
    out.push_str("<section class=\"part summary\" id=\"summary\"><h2>Summary</h2>\n");
    summary(set, &facts, out);
    out.push_str("</section>\n<section class=\"part\" id=\"sources\"><h2>Sources</h2>\n");
    sources(set, &facts, out);
    out.push_str("</section>\n<section class=\"part\" id=\"claims\"><h2>Claims</h2>\n");
    claims(set, &facts, out);
    out.push_str("</section>\n<section class=\"part\" id=\"who\"><h2>Who said what</h2>\n");
    who_said_what(set, &facts, out);
    out.push_str("</section>\n<section class=\"part\" id=\"charts\"><h2>Charts</h2>\n");
    charts(set, &facts.overview, out);
    out.push_str("</section>\n");
    claim_reviews(set, &facts, out);
}

fn toc(set: &AnnotationSet<'_>, out: &mut String) {
    out.push_str("<nav class=\"toc\"><h2>Contents</h2><ol>");
    for (anchor, title) in [
        ("summary", "Summary"),
        ("sources", "Sources"),
        ("claims", "Claims"),
        ("who", "Who said what"),
        ("charts", "Charts"),
    ] {
        let _ = write!(out, "<li><a href=\"#{anchor}\">{title}</a></li>");
    }
    out.push_str("<li>Documents<ol>");
    for doc in &set.documents {
        let _ = write!(
            out,
            "<li><a href=\"#{}\">{}</a></li>",
            document_anchor(doc.document.id),
            escape(doc.document.display_name())
        );
    }
    out.push_str("</ol></li></ol></nav>\n");
}

fn summary(set: &AnnotationSet<'_>, facts: &Facts<'_>, out: &mut String) {
    let documents: Vec<_> = set.documents.iter().map(|d| d.document).collect();
    let outlets: BTreeSet<&str> = documents
        .iter()
        .filter_map(|d| d.metadata.site_name.as_deref())
        .collect();
    let dates: Vec<String> = facts
        .overview
        .timeline
        .iter()
        .map(|t| t.date.clone())
        .collect();
    let mut sentence = format!(
        "{} document(s){}",
        documents.len(),
        if outlets.is_empty() {
            String::new()
        } else {
            format!(" from {} outlet(s)", outlets.len())
        }
    );
    if let (Some(first), Some(last)) = (dates.first(), dates.last()) {
        let _ = write!(sentence, ", published {first} to {last}");
    }
    let mentions = set
        .documents
        .iter()
        .flat_map(|d| &d.annotations)
        .filter(|a| a.entity.is_some())
        .count();
    let entities: BTreeSet<_> = set
        .documents
        .iter()
        .flat_map(|d| &d.annotations)
        .filter_map(|a| a.entity)
        .collect();
    let _ = writeln!(
        out,
        "<p>{}; {} annotation(s): {} claim(s), {} quote(s), {} mention(s) of {} entit{}.</p>",
        escape(&sentence),
        set.annotation_count(),
        facts.claims.len(),
        facts.quotes.len(),
        mentions,
        entities.len(),
        if entities.len() == 1 { "y" } else { "ies" }
    );
    let contradicting = facts.clusters.iter().filter(|c| c.contradicts).count();
    if !facts.clusters.is_empty() {
        let _ = writeln!(
            out,
            "<p>{} claim(s) are told by more than one document, in {} cluster(s){}.</p>",
            facts
                .clusters
                .iter()
                .map(|c| c.members.len())
                .sum::<usize>(),
            facts.clusters.len(),
            if contradicting > 0 {
                format!(", {contradicting} of them contradicting each other")
            } else {
                String::new()
            }
        );
    }
    out.push_str(
        "<table><tr><th>Document</th><th>Outlet</th><th>Published</th><th>Status</th><th>Annotations</th></tr>\n",
    );
    for doc in &set.documents {
        let d = doc.document;
        let _ = writeln!(
            out,
            "<tr><td><a href=\"#{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            document_anchor(d.id),
            escape(d.display_name()),
            escape(d.metadata.site_name.as_deref().unwrap_or("")),
            d.metadata
                .publication_date()
                .map(|date| date.to_string())
                .unwrap_or_default(),
            d.status.name(),
            doc.annotations.len()
        );
    }
    out.push_str("</table>\n");
}

/// A source's line in the sources table.
#[derive(Default)]
struct SourceFacts {
    quotes: usize,
    claims: usize,
    reliability: BTreeMap<char, usize>,
    documents: BTreeSet<DocumentId>,
}

fn sources(set: &AnnotationSet<'_>, facts: &Facts<'_>, out: &mut String) {
    let mut by_source: BTreeMap<String, SourceFacts> = BTreeMap::new();
    for (a, is_quote) in facts
        .quotes
        .iter()
        .map(|a| (a, true))
        .chain(facts.claims.iter().map(|a| (a, false)))
    {
        let Some(source) = &a.attrs.source else {
            continue;
        };
        let line = by_source.entry(set.source_name(source)).or_default();
        if is_quote {
            line.quotes += 1;
        } else {
            line.claims += 1;
        }
        if let Some(r) = a.attrs.reliability {
            *line.reliability.entry(r.letter()).or_default() += 1;
        }
        line.documents.insert(a.document);
    }
    if by_source.is_empty() {
        out.push_str("<p>No quote or claim names its source.</p>\n");
        return;
    }
    let mut lines: Vec<(String, SourceFacts)> = by_source.into_iter().collect();
    lines.sort_by_key(|l| std::cmp::Reverse(l.1.quotes + l.1.claims));
    out.push_str(
        "<table><tr><th>Source</th><th>Quotes</th><th>Claims</th><th>Reliability given</th><th>Documents</th></tr>\n",
    );
    for (name, line) in lines {
        let reliability: Vec<String> = line
            .reliability
            .iter()
            .map(|(letter, n)| {
                if *n == 1 {
                    letter.to_string()
                } else {
                    format!("{letter} ×{n}")
                }
            })
            .collect();
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&name),
            line.quotes,
            line.claims,
            reliability.join(", "),
            line.documents.len()
        );
    }
    out.push_str("</table>\n");
}

fn claims(set: &AnnotationSet<'_>, facts: &Facts<'_>, out: &mut String) {
    out.push_str("<h3>By credibility</h3>\n<table><tr><th>Credibility</th><th>Claims</th></tr>\n");
    for count in &facts.overview.credibility {
        let meaning = count
            .name
            .parse::<u8>()
            .ok()
            .and_then(crate::model::Credibility::new)
            .map(|c| format!(" ({})", c.meaning()))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<tr><td>{}{}</td><td>{}</td></tr>",
            escape(&count.name),
            escape(&meaning),
            count.count
        );
    }
    out.push_str("</table>\n<h3>One claim across documents</h3>\n");
    if facts.clusters.is_empty() {
        out.push_str("<p>No claim is told by more than one document.</p>\n");
    }
    for (i, cluster) in facts.clusters.iter().enumerate() {
        let state = if cluster.is_confirmed() {
            "confirmed by an analyst"
        } else {
            "suggested by the words"
        };
        let warn = if cluster.contradicts {
            format!(
                " <span class=\"warn\">Contradiction: {}.</span>",
                escape(&cluster.contradiction)
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "<h4>Cluster {} ({state}): {} claims in {} documents</h4>{warn}\n<table><tr><th>Document</th><th>Claimant</th><th>Stance, grading</th><th>Claim</th></tr>",
            i + 1,
            cluster.members.len(),
            cluster.documents
        );
        for m in &cluster.members {
            let source = set
                .project
                .document(m.document)
                .map_or(String::new(), |d| d.source_line(usize::MAX));
            let _ = writeln!(
                out,
                "<tr><td><a href=\"#{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                document_anchor(m.document),
                escape(&source),
                escape(&m.claimant),
                escape(&m.stance_and_grading()),
                escape(&m.text)
            );
        }
        out.push_str("</table>\n");
    }
}

fn who_said_what(set: &AnnotationSet<'_>, facts: &Facts<'_>, out: &mut String) {
    let mut by_speaker: BTreeMap<String, Vec<&Annotation>> = BTreeMap::new();
    for &quote in &facts.quotes {
        if let Some(source) = &quote.attrs.source {
            by_speaker
                .entry(set.source_name(source))
                .or_default()
                .push(quote);
        }
    }
    if by_speaker.is_empty() {
        out.push_str("<p>No quote names its speaker.</p>\n");
        return;
    }
    let mut speakers: Vec<(String, Vec<&Annotation>)> = by_speaker.into_iter().collect();
    speakers.sort_by_key(|s| std::cmp::Reverse(s.1.len()));
    let more = speakers.len().saturating_sub(SPEAKERS);
    for (speaker, quotes) in speakers.into_iter().take(SPEAKERS) {
        let _ = writeln!(
            out,
            "<h4>{} ({} quote(s))</h4><ul>",
            escape(&speaker),
            quotes.len()
        );
        for quote in quotes.iter().take(QUOTES_PER_SPEAKER) {
            let title = set
                .project
                .document(quote.document)
                .map_or("", |d| d.display_name());
            let _ = writeln!(
                out,
                "<li>“{}” — <a href=\"#{}\">{}</a></li>",
                escape(&quote.marked_text()),
                document_anchor(quote.document),
                escape(title)
            );
        }
        if quotes.len() > QUOTES_PER_SPEAKER {
            let _ = writeln!(
                out,
                "<li>… and {} more</li>",
                quotes.len() - QUOTES_PER_SPEAKER
            );
        }
        out.push_str("</ul>\n");
    }
    if more > 0 {
        let _ = writeln!(out, "<p>… and {more} more speaker(s).</p>");
    }
}

fn charts(set: &AnnotationSet<'_>, overview: &Overview, out: &mut String) {
    let labels: Vec<(String, usize, String)> = overview
        .labels
        .iter()
        .filter(|l| l.count > 0)
        .map(|l| {
            let colour = set
                .project
                .schema
                .labels
                .iter()
                .find(|label| *label.id.0 == *l.id)
                .map_or_else(|| "#888888".to_owned(), |label| String::from(label.color));
            (l.name.clone(), l.count, colour)
        })
        .collect();
    let plain = |counts: &[Count]| -> Vec<(String, usize, String)> {
        counts
            .iter()
            .map(|c| (c.name.clone(), c.count, "#5b7db1".to_owned()))
            .collect()
    };
    let speakers: Vec<(String, usize, String)> = overview
        .speakers
        .iter()
        .take(10)
        .map(|s| (s.name.clone(), s.quotes, "#7a5bb1".to_owned()))
        .collect();
    for (caption, bars) in [
        ("Annotations by label", labels),
        (
            "Quotes and claims by source reliability (A–F)",
            plain(&overview.reliability),
        ),
        ("Claims by credibility (1–6)", plain(&overview.credibility)),
        ("Most quoted speakers", speakers),
    ] {
        if bars.iter().all(|b| b.1 == 0) {
            continue;
        }
        let _ = writeln!(
            out,
            "<figure>{}<figcaption>{}</figcaption></figure>",
            bars_svg(caption, &bars),
            escape(caption)
        );
    }
    if !overview.timeline.is_empty() {
        let _ = writeln!(
            out,
            "<figure>{}<figcaption>Documents by publication date (circle size: claims)</figcaption></figure>",
            timeline_svg(overview)
        );
    }
}

const CHART_WIDTH: f32 = 640.0;
const NAME_WIDTH: f32 = 200.0;
const ROW: f32 = 22.0;

#[expect(clippy::cast_precision_loss, reason = "chart counts far below 2^24")]
fn float(n: usize) -> f32 {
    n as f32
}

/// Horizontal bars, one per `(name, count, colour)`, with the count written after each.
pub fn bars_svg(title: &str, bars: &[(String, usize, String)]) -> String {
    let height = ROW * float(bars.len()) + 8.0;
    let most = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let room = CHART_WIDTH - NAME_WIDTH - 60.0;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"{CHART_WIDTH}\" height=\"{height}\" viewBox=\"0 0 {CHART_WIDTH} {height}\"><title>{}</title>",
        escape(title)
    );
    for (i, (name, count, colour)) in bars.iter().enumerate() {
        let y = 4.0 + ROW * float(i);
        let width = room * float(*count) / float(most);
        let name = crate::model::text::ellipsize(name, 30);
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect x=\"{NAME_WIDTH}\" y=\"{y}\" width=\"{width:.1}\" height=\"{}\" fill=\"{}\"><title>{}: {count}</title></rect><text x=\"{:.1}\" y=\"{}\">{count}</text>",
            NAME_WIDTH - 6.0,
            y + 14.0,
            escape(&name),
            ROW - 6.0,
            escape(colour),
            escape(&name),
            NAME_WIDTH + width + 4.0,
            y + 14.0
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The dated documents on a line from the first date to the last; each a circle (its
/// area grows with its claims), its title and date in a tooltip.
fn timeline_svg(overview: &Overview) -> String {
    let days = |date: &str| {
        date.parse::<jiff::civil::Date>().ok().map(|d| {
            i64::from(
                d.since(jiff::civil::date(1970, 1, 1))
                    .map_or(0, |s| s.get_days()),
            )
        })
    };
    let points: Vec<(i64, &overview::TimelineEntry)> = overview
        .timeline
        .iter()
        .filter_map(|t| Some((days(&t.date)?, t)))
        .collect();
    let first = points.iter().map(|p| p.0).min().unwrap_or(0);
    let last = points.iter().map(|p| p.0).max().unwrap_or(0);
    let (left, right, height) = (40.0_f32, CHART_WIDTH - 40.0, 120.0_f32);
    #[expect(clippy::cast_precision_loss, reason = "day numbers far below 2^24")]
    let x = |day: i64| {
        if last == first {
            f32::midpoint(left, right)
        } else {
            left + (right - left) * (day - first) as f32 / (last - first) as f32
        }
    };
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"{CHART_WIDTH}\" height=\"{height}\" viewBox=\"0 0 {CHART_WIDTH} {height}\"><title>Documents by publication date</title><line x1=\"{left}\" y1=\"80\" x2=\"{right}\" y2=\"80\" stroke=\"#888\"/>"
    );
    for (i, (day, entry)) in points.iter().enumerate() {
        let r = 4.0 + 3.0 * float(entry.claims).sqrt();
        // Alternate heights, so that documents of one day stay apart.
        let y = if i % 2 == 0 { 55.0 } else { 35.0 };
        let events = if entry.events.is_empty() {
            String::new()
        } else {
            format!("; events: {}", entry.events.join(", "))
        };
        let _ = write!(
            svg,
            "<line x1=\"{0:.1}\" y1=\"{y}\" x2=\"{0:.1}\" y2=\"80\" stroke=\"#bbb\"/><circle cx=\"{0:.1}\" cy=\"{y}\" r=\"{r:.1}\" fill=\"#c0504d\" fill-opacity=\"0.7\"><title>{1} — {2}: {3} claim(s){4}</title></circle>",
            x(*day),
            escape(&entry.date),
            escape(&entry.title),
            entry.claims,
            escape(&events)
        );
    }
    if let (Some(a), Some(b)) = (points.first(), points.last()) {
        let _ = write!(
            svg,
            "<text x=\"{left}\" y=\"100\">{}</text><text x=\"{right}\" y=\"100\" text-anchor=\"end\">{}</text>",
            escape(&a.1.date),
            escape(&b.1.date)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// ClaimReview (schema.org) for each claim graded 1–5 on the credibility scale: the
/// analyst's verdict, rated 5 (confirmed) to 1 (improbable). Grade 6 ("cannot be judged")
/// is no verdict and is left out.
fn claim_reviews(set: &AnnotationSet<'_>, facts: &Facts<'_>, out: &mut String) {
    let reviews: Vec<serde_json::Value> = facts
        .claims
        .iter()
        .filter_map(|a| {
            let grade = a.attrs.credibility.filter(|c| c.grade() <= 5)?;
            let document = set.project.document(a.document)?;
            let mut appearance = serde_json::json!({
                "@type": "CreativeWork",
                "headline": document.display_name(),
            });
            if let Some(url) = &document.metadata.url {
                appearance["url"] = url.clone().into();
            }
            if let Some(date) = document.metadata.publication_date() {
                appearance["datePublished"] = date.to_string().into();
            }
            let mut claim = serde_json::json!({"@type": "Claim", "appearance": appearance});
            if let Some(source) = &a.attrs.source
                && !matches!(source, Source::Unnamed(_))
            {
                claim["author"] = serde_json::json!({
                    "@type": "Thing",
                    "name": set.source_name(source),
                });
            }
            let mut review = serde_json::json!({
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "claimReviewed": a.marked_text(),
                "itemReviewed": claim,
                "reviewRating": {
                    "@type": "Rating",
                    "ratingValue": 6 - grade.grade(),
                    "bestRating": 5,
                    "worstRating": 1,
                    "alternateName": grade.meaning(),
                },
                "datePublished": a.modified.strftime("%Y-%m-%d").to_string(),
            });
            let analyst = if a.changed_by.is_empty() {
                &a.author
            } else {
                &a.changed_by
            };
            if !analyst.is_empty() {
                review["author"] = serde_json::json!({"@type": "Person", "name": analyst});
            }
            Some(review)
        })
        .collect();
    if reviews.is_empty() {
        return;
    }
    let json = serde_json::to_string(&reviews).unwrap_or_default();
    // "</" would end the element early: JSON allows "<\/".
    let _ = writeln!(
        out,
        "<script type=\"application/ld+json\">{}</script>",
        json.replace("</", "<\\/")
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_as_long_as_their_counts_and_names_are_escaped() {
        let svg = bars_svg(
            "A <chart>",
            &[
                ("Claims & quotes".to_owned(), 10, "#ff0000".to_owned()),
                ("Half".to_owned(), 5, "#00ff00".to_owned()),
            ],
        );
        assert!(svg.contains("<title>A &lt;chart&gt;</title>"));
        assert!(svg.contains("Claims &amp; quotes"));
        let widths: Vec<f32> = svg
            .split("width=\"")
            .skip(2)
            .filter_map(|s| s.split('"').next()?.parse().ok())
            .collect();
        assert_eq!(widths.len(), 2, "{svg}");
        assert!((widths[0] - 2.0 * widths[1]).abs() < 0.2, "{widths:?}");
    }
}
