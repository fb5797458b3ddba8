//! Exporters and importers of annotation sets, one file per format.
//!
//! An export takes an [`AnnotationSet`] (the project, or the part chosen by a
//! [`Selection`]) and writes it in one format. Every exporter returns a [`Fidelity`]
//! report: what the format could not carry. Offsets are Unicode code points,
//! end-exclusive, over exactly the text written beside them (LF line endings).
//!
//! Nothing is written in place: single files go through the store's atomic write, and
//! folder exports are assembled in a temporary sibling folder first, so a failed export
//! leaves nothing half-written.

mod brat;
mod briefing;
mod conll;
mod csv;
mod graphml;
mod html;
mod import;
mod incoming;
mod jsonl;
mod matrix;
mod names;
mod refi;
mod w3c;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::model::{
    Annotation, AnnotationId, DocText, Document, DocumentId, Entity, LabelId, LabelKind, Project,
    Relation, Source,
};

pub use import::{ImportFormat, OffsetUnit, parse as parse_import};
pub use incoming::{Incoming, IncomingDocument, IncomingSet, IncomingSource, ParseError, Quote};
pub use names::safe_file_stem;

/// The formats Marginalia writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// brat standoff: a folder of `.txt` + `.ann` files and `annotation.conf`.
    Brat,
    /// W3C Web Annotation JSON-LD: one `AnnotationCollection`.
    W3c,
    /// JSON lines, one document per line (spaCy/Prodigy spans, or doccano with a flavour).
    Jsonl,
    /// CoNLL-2003 style IOB2 tags for entity labels.
    Conll,
    /// CSV (RFC 4180, UTF-8 with BOM, CRLF), one row per annotation.
    Csv,
    /// A self-contained HTML report.
    Html,
    /// REFI-QDA project exchange (`.qdpx`) for qualitative-analysis tools.
    Refi,
    /// The entity network as GraphML (Gephi, yEd, Cytoscape, networkx).
    Graphml,
    /// The document × entity matrix as CSV: each entity's mentions per document.
    Matrix,
}

impl Format {
    pub const ALL: [Self; 9] = [
        Self::Brat,
        Self::W3c,
        Self::Jsonl,
        Self::Conll,
        Self::Csv,
        Self::Refi,
        Self::Html,
        Self::Graphml,
        Self::Matrix,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Brat => "brat",
            Self::W3c => "W3C Web Annotation",
            Self::Jsonl => "JSONL",
            Self::Conll => "CoNLL",
            Self::Csv => "CSV",
            Self::Html => "HTML report",
            Self::Refi => "REFI-QDA",
            Self::Graphml => "GraphML entity network",
            Self::Matrix => "document × entity matrix (CSV)",
        }
    }

    /// True if the output is a folder rather than one file.
    pub fn writes_folder(self) -> bool {
        matches!(self, Self::Brat)
    }

    /// The file extension of a single-file output.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Brat => "",
            Self::W3c => "jsonld",
            Self::Jsonl => "jsonl",
            Self::Conll => "conll",
            Self::Csv | Self::Matrix => "csv",
            Self::Html => "html",
            Self::Refi => "qdpx",
            Self::Graphml => "graphml",
        }
    }
}

/// The JSONL dialect.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum JsonlFlavor {
    /// `{"text", "spans": [{"start", "end", "label", ...}], "meta"}` (spaCy, Prodigy).
    #[default]
    Spans,
    /// `{"text", "label": [[start, end, "Label"], ...]}` (doccano sequence labelling).
    Doccano,
}

/// Which annotations to export. Empty lists mean "all".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// Label ids or names (case-insensitive).
    pub labels: Vec<String>,
    /// Document ids, paths, file names or titles.
    pub documents: Vec<String>,
    pub kinds: Vec<LabelKind>,
}

impl Selection {
    /// True if `document` is chosen (by id, path, file name or title).
    pub fn takes_document(&self, document: &Document) -> bool {
        self.documents.is_empty()
            || self.documents.iter().any(|wanted| {
                let file_name = document.path.rsplit('/').next().unwrap_or(&document.path);
                wanted == &document.id.0.to_string()
                    || wanted == &document.path
                    || wanted == file_name
                    || Some(wanted.as_str()) == document.metadata.title.as_deref()
            })
    }

    /// True if `label` is chosen (by id or name, case ignored).
    pub fn takes_label(&self, label: &crate::model::Label) -> bool {
        self.labels.is_empty()
            || self.labels.iter().any(|wanted| {
                wanted.eq_ignore_ascii_case(&label.id.0) || wanted.eq_ignore_ascii_case(&label.name)
            })
    }

    fn takes_annotation(&self, project: &Project, annotation: &Annotation) -> bool {
        let label = project.schema.label(&annotation.label);
        let label_ok = self.labels.is_empty()
            || self.labels.iter().any(|wanted| {
                wanted.eq_ignore_ascii_case(&annotation.label.0)
                    || label.is_some_and(|l| wanted.eq_ignore_ascii_case(&l.name))
            });
        let kind_ok = self.kinds.is_empty() || label.is_some_and(|l| self.kinds.contains(&l.kind));
        label_ok && kind_ok
    }
}

/// One document of an annotation set, with its text and chosen annotations.
pub struct DocumentSet<'a> {
    pub document: &'a Document,
    pub text: &'a DocText,
    /// Sorted by start, then id.
    pub annotations: Vec<&'a Annotation>,
}

/// What an export writes: the chosen documents and annotations of a project.
pub struct AnnotationSet<'a> {
    pub project: &'a Project,
    pub documents: Vec<DocumentSet<'a>>,
    /// Documents chosen but without a readable text (missing or changed source).
    pub unavailable: Vec<&'a Document>,
    /// The project's relations by the annotations at either end, in relation order: built
    /// once, so that no exporter scans every relation for every annotation.
    relations: std::collections::HashMap<AnnotationId, Vec<&'a Relation>>,
    /// Where an exporter counts the annotations it wrote, and learns it was cancelled.
    progress: Option<&'a crate::model::Progress>,
    /// The choice of labels and kinds (for annotations not in `documents`).
    selection: Selection,
}

impl<'a> AnnotationSet<'a> {
    /// The annotations of `project` chosen by `selection`; `text_of` gives each document's
    /// loaded text (none when its source cannot be read).
    pub fn new(
        project: &'a Project,
        text_of: impl Fn(DocumentId) -> Option<&'a DocText>,
        selection: &Selection,
    ) -> Self {
        let mut documents = Vec::new();
        let mut unavailable = Vec::new();
        for document in project
            .documents()
            .iter()
            .filter(|d| selection.takes_document(d))
        {
            let Some(text) = text_of(document.id) else {
                unavailable.push(document);
                continue;
            };
            // A document's curated layer, where it has one, is its annotation set; else
            // every analyst's annotations (each with its annotator).
            let all = project.annotations_of(document.id);
            let curated = all
                .iter()
                .any(|a| a.author == crate::model::curation::CURATED);
            let annotations = all
                .into_iter()
                .filter(|a| !curated || a.author == crate::model::curation::CURATED)
                .filter(|a| selection.takes_annotation(project, a))
                .collect();
            documents.push(DocumentSet {
                document,
                text,
                annotations,
            });
        }
        let mut relations: std::collections::HashMap<AnnotationId, Vec<&'a Relation>> =
            std::collections::HashMap::new();
        for relation in project.relations() {
            relations.entry(relation.from).or_default().push(relation);
            if relation.to != relation.from {
                relations.entry(relation.to).or_default().push(relation);
            }
        }
        Self {
            project,
            documents,
            unavailable,
            relations,
            progress: None,
            selection: selection.clone(),
        }
    }

    /// Annotations of the chosen documents and labels that wait on the review list: they
    /// have no place in the text, so no export can carry them.
    pub fn waiting_for_review(&self) -> usize {
        let chosen = |id: DocumentId| {
            self.documents.iter().any(|d| d.document.id == id)
                || self.unavailable.iter().any(|d| d.id == id)
        };
        self.project
            .orphans()
            .filter(|o| chosen(o.annotation.document))
            .filter(|o| self.selection_takes(&o.annotation))
            .count()
    }

    fn selection_takes(&self, annotation: &Annotation) -> bool {
        self.selection.takes_annotation(self.project, annotation)
    }

    /// Counts the annotations exporters go through in `progress`, and stops them early once
    /// it is cancelled (see [`Self::go_on`]).
    #[must_use]
    pub fn with_progress(mut self, progress: &'a crate::model::Progress) -> Self {
        self.progress = Some(progress);
        self
    }

    /// Records `annotations` more done; false once the export was cancelled: the exporter
    /// then stops, and what it built is thrown away.
    pub fn go_on(&self, annotations: usize) -> bool {
        self.progress.is_none_or(|p| {
            p.advance(annotations as u64);
            !p.is_cancelled()
        })
    }

    /// The relations starting or ending at annotation `id`, in relation order.
    pub fn relations_of(&self, id: AnnotationId) -> &[&'a Relation] {
        self.relations.get(&id).map_or(&[], Vec::as_slice)
    }

    /// The relations starting at annotation `id`, in relation order.
    pub fn relations_from(&self, id: AnnotationId) -> impl Iterator<Item = &'a Relation> + '_ {
        self.relations_of(id)
            .iter()
            .copied()
            .filter(move |r| r.from == id)
    }

    /// The relations starting at an annotation of `doc` in the set, in relation order.
    pub fn relations_from_document(&self, doc: &DocumentSet<'_>) -> Vec<&'a Relation> {
        let mut relations: Vec<&Relation> = doc
            .annotations
            .iter()
            .flat_map(|a| self.relations_from(a.id))
            .collect();
        relations.sort_by_key(|r| r.id);
        relations
    }

    /// The set's choice as an overview filter: its documents (readable or not) and the
    /// labels its selection takes.
    pub fn filter(&self) -> crate::model::overview::Filter {
        let labels = if self.selection.labels.is_empty() && self.selection.kinds.is_empty() {
            std::collections::BTreeSet::new()
        } else {
            self.project
                .schema
                .labels
                .iter()
                .filter(|l| {
                    self.selection.takes_label(l)
                        && (self.selection.kinds.is_empty()
                            || self.selection.kinds.contains(&l.kind))
                })
                .map(|l| l.id.clone())
                .collect()
        };
        crate::model::overview::Filter {
            labels,
            documents: self
                .documents
                .iter()
                .map(|d| d.document.id)
                .chain(self.unavailable.iter().map(|d| d.id))
                .collect(),
            ..Default::default()
        }
    }

    /// The entity network of the set at `scope` (co-occurrence within the texts at hand).
    pub fn network(&self, scope: crate::model::network::Scope) -> crate::model::network::Network {
        let texts: std::collections::HashMap<DocumentId, &DocText> = self
            .documents
            .iter()
            .map(|d| (d.document.id, d.text))
            .collect();
        crate::model::network::build(self.project, &self.filter(), scope, |id| {
            texts
                .get(&id)
                .map(|text| crate::model::network::unit_starts(text, scope))
        })
    }

    /// Number of annotations in the set.
    pub fn annotation_count(&self) -> usize {
        self.documents.iter().map(|d| d.annotations.len()).sum()
    }

    /// The display name of a label id.
    pub fn label_name(&self, id: &LabelId) -> String {
        self.project
            .schema
            .label(id)
            .map_or_else(|| id.0.to_string(), |l| l.name.clone())
    }

    pub fn label_kind(&self, id: &LabelId) -> Option<LabelKind> {
        self.project.schema.label(id).map(|l| l.kind)
    }

    /// The entity an annotation mentions, if it is linked.
    pub fn entity_of(&self, annotation: &Annotation) -> Option<&'a Entity> {
        annotation.entity.and_then(|id| self.project.entity(id))
    }

    /// A quote's speaker or a claim's claimant in words: the entity's name, "unnamed
    /// source: …" with its description, or "the publication".
    pub fn source_name(&self, source: &Source) -> String {
        crate::model::tables::source_words(self.project, source)
    }

    /// Reports, for a format with no place for them, the entity links, quote and claim
    /// attributes and relations of the set that `format` does not write.
    pub fn report_unwritten_links(&self, format: &str, fidelity: &mut Fidelity) {
        let annotations = self.documents.iter().flat_map(|d| d.annotations.iter());
        let linked = annotations
            .clone()
            .filter(|a| a.entity.is_some() || !a.attrs.is_empty())
            .count();
        let relations: usize = annotations.map(|a| self.relations_from(a.id).count()).sum();
        if linked > 0 {
            fidelity.losses.push(format!(
                "entity links, speakers, grading and attributes of {linked} annotation(s) not exported ({format} has no place for them)"
            ));
        }
        if relations > 0 {
            fidelity.losses.push(format!(
                "{relations} relation(s) not exported ({format} has no place for them)"
            ));
        }
    }

    /// Everything about an annotation beyond its span, label and note, a line each
    /// ("speaker: Patrick Cronin", "supports: #12 “…”"): what formats without fields for
    /// them carry in a memo.
    pub fn description_lines(&self, a: &Annotation) -> Vec<String> {
        let mut lines: Vec<String> = self
            .attribute_pairs(a)
            .into_iter()
            .map(|(name, value)| format!("{name}: {value}"))
            .chain(
                a.attrs
                    .values
                    .iter()
                    .map(|(name, value)| format!("{name}: {value}")),
            )
            .collect();
        for relation in self.relations_of(a.id) {
            let outgoing = relation.from == a.id;
            let other = if outgoing { relation.to } else { relation.from };
            let text = self
                .project
                .annotation(other)
                .map(|o| crate::model::text::ellipsize(&o.marked_text(), 60))
                .unwrap_or_default();
            lines.push(if outgoing {
                format!("{}: annotation {} “{text}”", relation.kind, other.0)
            } else {
                format!("annotation {} “{text}” {} this", other.0, relation.kind)
            });
        }
        lines
    }

    /// The attributes of an annotation as (name, value) pairs in a fixed order, with the
    /// entity link first; only those set. What formats without typed fields carry.
    pub fn attribute_pairs(&self, a: &Annotation) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(entity) = self.entity_of(a) {
            pairs.push(("entity", entity.name.clone()));
            if let Some(external) = &entity.external_id {
                pairs.push(("entity_external_id", external.clone()));
            }
        }
        let attrs = &a.attrs;
        if let Some(source) = &attrs.source {
            let role = match self.label_kind(&a.label) {
                Some(LabelKind::Claim) => "claimant",
                _ => "speaker",
            };
            pairs.push((role, self.source_name(source)));
        }
        if let Some(d) = attrs.directness {
            pairs.push(("directness", d.name().to_owned()));
        }
        if let Some(r) = attrs.reliability {
            pairs.push(("reliability", r.letter().to_string()));
        }
        if let Some(s) = attrs.stance {
            pairs.push(("stance", s.name().to_owned()));
        }
        if let Some(c) = attrs.credibility {
            pairs.push(("credibility", c.grade().to_string()));
        }
        if let Some(c) = attrs.confidence {
            pairs.push(("confidence", c.name().to_owned()));
        }
        if let Some(cluster) = attrs.cluster {
            pairs.push(("cluster", cluster.0.to_string()));
        }
        pairs
    }
}

/// What an export could not carry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fidelity {
    pub format: String,
    pub documents: usize,
    pub annotations: usize,
    /// One line per kind of loss, e.g. "12 nested entities not exported".
    pub losses: Vec<String>,
}

impl fmt::Display for Fidelity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} annotation(s) in {} document(s) exported",
            self.format, self.annotations, self.documents
        )?;
        if self.losses.is_empty() {
            write!(f, "; nothing lost")
        } else {
            write!(f, "; {}", self.losses.join("; "))
        }
    }
}

/// Why an export failed. Nothing was written. Messages end with the path.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write the export: {source}: {}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the export folder already exists and is not empty: {}", path.display())]
    FolderNotEmpty { path: PathBuf },
    #[error("the export was cancelled; nothing was written")]
    Cancelled,
    #[error("not exported: the target is {what}; choose another file: {}", path.display())]
    Protected { path: PathBuf, what: String },
}

/// Options of an export besides format and selection.
#[derive(Clone, Copy, Debug, Default)]
pub struct ExportOptions {
    pub jsonl_flavor: JsonlFlavor,
    /// Where mentions count as together in the entity network (GraphML).
    pub scope: crate::model::network::Scope,
}

/// Writes `set` to `out` in `format`. `out` is a folder for folder formats, else a file.
pub fn export(
    set: &AnnotationSet<'_>,
    format: Format,
    options: ExportOptions,
    out: &Path,
) -> Result<Fidelity, ExportError> {
    export_unless_cancelled(set, format, options, out, &crate::model::Progress::new())
}

/// [`export`], writing nothing if `progress` is cancelled before the output is complete
/// (exporters stop early when `set` shares `progress`, see [`AnnotationSet::with_progress`];
/// checked again before anything touches the disk). Progress counts the annotations, then
/// one step for writing.
pub fn export_unless_cancelled(
    set: &AnnotationSet<'_>,
    format: Format,
    options: ExportOptions,
    out: &Path,
    progress: &crate::model::Progress,
) -> Result<Fidelity, ExportError> {
    progress.set_total(set.annotation_count() as u64 + 1);
    let cancelled = || progress.is_cancelled();
    let mut fidelity = Fidelity {
        format: format.name().to_owned(),
        documents: set.documents.len(),
        annotations: set.annotation_count(),
        losses: Vec::new(),
    };
    if !set.unavailable.is_empty() {
        fidelity.losses.push(format!(
            "{} document(s) skipped because their source cannot be read",
            set.unavailable.len()
        ));
    }
    let waiting = set.waiting_for_review();
    if waiting > 0 {
        fidelity.losses.push(format!(
            "{waiting} annotation(s) waiting on the review list (no place in the text yet) \
             not exported"
        ));
    }
    let write_error = |source| ExportError::Write {
        path: out.to_owned(),
        source,
    };
    if format.writes_folder() {
        let files = match format {
            Format::Brat => brat::export(set, &mut fidelity),
            _ => Vec::new(),
        };
        if cancelled() {
            return Err(ExportError::Cancelled);
        }
        write_folder(out, &files)?;
    } else {
        let bytes = match format {
            Format::W3c => w3c::export(set, &mut fidelity),
            Format::Jsonl => jsonl::export(set, options.jsonl_flavor, &mut fidelity),
            Format::Conll => conll::export(set, &mut fidelity),
            Format::Csv => csv::export(set, &mut fidelity).map_err(write_error)?,
            Format::Html => html::export(set, &mut fidelity),
            Format::Refi => refi::export(set, &mut fidelity).map_err(write_error)?,
            Format::Graphml => graphml::export(set, options.scope, &mut fidelity),
            Format::Matrix => matrix::export(set, &mut fidelity).map_err(write_error)?,
            Format::Brat => Vec::new(),
        };
        if cancelled() {
            return Err(ExportError::Cancelled);
        }
        // Replaced whole or not at all; no backup is made (so none is deleted: a `.bak`
        // next to the target belongs to whoever made it).
        crate::store::replace_file(out, &bytes).map_err(write_error)?;
    }
    progress.advance(1);
    Ok(fidelity)
}

/// Writes `files` (names already sanitised) into folder `out`: assembled in a temporary
/// sibling folder, then moved in, so a failure leaves no partial export.
fn write_folder(out: &Path, files: &[(String, Vec<u8>)]) -> Result<(), ExportError> {
    let write_error = |source| ExportError::Write {
        path: out.to_owned(),
        source,
    };
    if out.is_dir()
        && std::fs::read_dir(out)
            .map_err(write_error)?
            .next()
            .is_some()
    {
        return Err(ExportError::FolderNotEmpty {
            path: out.to_owned(),
        });
    }
    let mut temp = out.as_os_str().to_owned();
    temp.push(format!(".tmp-{}", std::process::id()));
    let temp = PathBuf::from(temp);
    let result = (|| {
        std::fs::create_dir_all(&temp)?;
        for (name, bytes) in files {
            debug_assert!(
                names::is_safe_file_name(name),
                "names are sanitised: {name}"
            );
            std::fs::write(temp.join(name), bytes)?;
        }
        if out.is_dir() {
            std::fs::remove_dir(out)?;
        }
        std::fs::rename(&temp, out)
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&temp);
    }
    result.map_err(write_error)
}
