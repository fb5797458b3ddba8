//! The command line: `marginalia [PATH...]` opens the GUI on a project and documents;
//! subcommands run headless (no window, no egui).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::formats::{
    self, ExportOptions, Format, ImportFormat, JsonlFlavor, OffsetUnit, Selection,
};
use crate::model::LabelKind;
use crate::workspace::Workspace;

/// Marginalia: tag claims, quotes and entities in articles; keep them in a RON project.
#[derive(Debug, Parser)]
#[command(
    name = "marginalia",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// A project file (`.ron`; created on first save if it does not exist) and/or article
    /// files (.txt, .md, .html) to add to it.
    pub paths: Vec<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Headless commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print a project's documents and annotation counts per label.
    Stats {
        /// The project file.
        project: PathBuf,
    },
    /// Check a project: it loads, every document is readable and unchanged, every span
    /// matches its text. Exit 0 when clean, 1 when problems were found, 2 when it cannot
    /// be loaded.
    Validate {
        /// The project file.
        project: PathBuf,
    },
    /// Add article files (a folder adds its .txt, .md, .html, .pdf, .docx, .odt and .epub
    /// files) to a project, created if missing, and save it.
    Add {
        /// The project file.
        project: PathBuf,
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Print the text Marginalia annotates in an article (extracted, decoded, LF line
    /// endings): every offset Marginalia writes counts code points over exactly this text.
    Text {
        /// An article (.txt, .md, .html, .pdf, .docx, .odt, .epub).
        article: PathBuf,
        /// The password of an encrypted PDF.
        #[arg(long)]
        password: Option<String>,
    },
    /// Suggest annotations: quotations (with the speaker guessed from "X said", "according
    /// to X"…) and, for a project, mentions of its entities. One JSON object per line:
    /// `kind`, `start`, `end` (code points, end-exclusive), `text`, `speaker` when guessed,
    /// and for a project `document`, `label`, `entity`.
    Suggest {
        /// An article (.txt, .md, .html) or a project file (.ron).
        path: PathBuf,
    },
    /// Export the project's annotations (or a subset) in another tool's format.
    Export {
        /// The project file.
        project: PathBuf,
        #[arg(long, value_enum)]
        format: Format,
        /// Output file, or folder for `brat` (created; must be empty if it exists).
        #[arg(long)]
        out: PathBuf,
        /// Only these labels (ids or names, comma-separated).
        #[arg(long, value_delimiter = ',')]
        labels: Vec<String>,
        /// Only these documents (ids, paths, file names or titles, comma-separated).
        #[arg(long, value_delimiter = ',')]
        documents: Vec<String>,
        /// Only these kinds of label.
        #[arg(long, value_enum, value_delimiter = ',')]
        kinds: Vec<KindArg>,
        /// The JSONL dialect.
        #[arg(long, value_enum, default_value = "spans")]
        flavor: JsonlFlavor,
        /// For `graphml`: entities are linked when mentioned in the same sentence,
        /// paragraph or document.
        #[arg(long, value_enum, default_value = "sentence")]
        scope: crate::model::network::Scope,
    },
    /// The figures of the whole project that View > Overview charts: each document's
    /// progress, label frequencies, reliability and credibility, top speakers, the
    /// document × entity matrix (sparse) and the timeline of dated documents.
    Overview {
        /// The project file.
        project: PathBuf,
        /// Only these labels (ids or names, comma-separated).
        #[arg(long, value_delimiter = ',')]
        labels: Vec<String>,
        /// Only these documents (ids, paths, file names or titles, comma-separated).
        #[arg(long, value_delimiter = ',')]
        documents: Vec<String>,
        /// Only the annotations of these analysts (comma-separated).
        #[arg(long, value_delimiter = ',')]
        analysts: Vec<String>,
        /// Only documents published on or after this day (YYYY-MM-DD).
        #[arg(long)]
        from: Option<jiff::civil::Date>,
        /// Only documents published on or before this day (YYYY-MM-DD).
        #[arg(long)]
        to: Option<jiff::civil::Date>,
        /// Print JSON (every figure) instead of a summary.
        #[arg(long)]
        json: bool,
    },
    /// Import annotations from another tool's files into a project (created if missing),
    /// as one undo step; the project is saved.
    Import {
        /// The project file.
        project: PathBuf,
        #[arg(long, value_enum)]
        format: ImportFormat,
        /// The files (or, for brat, folders) to import.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The unit of JSONL offsets.
        #[arg(long, value_enum, default_value = "codepoints")]
        offsets: OffsetUnit,
        /// Refuse labels the project's schema does not have (instead of adding them).
        #[arg(long)]
        strict: bool,
        /// The analyst the imported annotations are recorded as made by (default: git's
        /// `user.name` for a project in a git work tree, else the operating-system user).
        #[arg(long)]
        author: Option<String>,
    },
    /// Merge two versions of a project file as git's merge driver (set up by `marginalia
    /// team init`): `marginalia merge-driver %O %A %B --path %P`. Writes the merge to OURS.
    /// Never writes conflict markers: a true conflict keeps our version in place and puts
    /// theirs on the review list. Exit 0 when merged, 2 when a version cannot be read (git
    /// then reports a conflict and OURS is unchanged).
    MergeDriver {
        /// The common ancestor's version (git's %O; may be empty).
        base: PathBuf,
        /// Our version (git's %A); replaced by the merge.
        ours: PathBuf,
        /// Their version (git's %B).
        theirs: PathBuf,
        /// The project file's path in the repository (git's %P), for messages.
        #[arg(long)]
        path: Option<PathBuf>,
    },
    /// Resolve a project file that a merge without the merge driver left with git's
    /// conflict markers: both sides are merged as the driver would, saved, and what was
    /// done is printed. Exit 0 when resolved (or nothing to resolve), 2 when it cannot be.
    Resolve {
        /// The project file.
        project: PathBuf,
    },
    /// Inter-annotator agreement between the analysts' layers (each analyst's annotations):
    /// Cohen's κ per pair, Fleiss' κ for three or more, Krippendorff's α, over the text's
    /// words (each takes the label of the innermost annotation covering it in that
    /// analyst's layer, "none" if none does), and Krippendorff's unitizing α over the
    /// spans' boundaries; overall and per label, with the number of words. By default every analyst, every label, and the documents every analyst
    /// compared annotated.
    Agreement {
        /// The project file.
        project: PathBuf,
        /// Only these documents (ids, paths, file names or titles, comma-separated).
        #[arg(long, value_delimiter = ',')]
        documents: Vec<String>,
        /// Only these labels (ids or names, comma-separated).
        #[arg(long, value_delimiter = ',')]
        labels: Vec<String>,
        /// Only these analysts (comma-separated).
        #[arg(long, value_delimiter = ',')]
        annotators: Vec<String>,
        /// Print JSON: {"overall": {...}, "labels": {LABEL: {...}}, "pairs": [...]}; a
        /// measure that does not apply is null.
        #[arg(long)]
        json: bool,
    },
    /// Claims that say the same thing, grouped across documents (text similarity of the
    /// claims plus the entities they mention): each cluster of two or more with its claims'
    /// document, annotation id, text, stance, grading and claimant.
    Clusters {
        /// The project file.
        project: PathBuf,
        /// Print JSON: [{"members": [...], "documents": N, "contradicts": bool}, ...].
        #[arg(long)]
        json: bool,
    },
    /// Work as a team through git.
    Team {
        #[command(subcommand)]
        action: TeamAction,
    },
}

/// `marginalia team ...`.
#[derive(Debug, Subcommand)]
pub enum TeamAction {
    /// Set up the git work tree holding the project for a team: `.gitattributes` (project
    /// files merged by Marginalia's merge driver), `.gitignore` (backups, recovery files,
    /// locks) and the driver registered in the repository's configuration. Idempotent.
    Init {
        /// The project file (or a folder in the work tree; default: the current folder).
        project: Option<PathBuf>,
    },
}

/// A label kind on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum KindArg {
    Claim,
    Quote,
    Entity,
}

impl From<KindArg> for LabelKind {
    fn from(kind: KindArg) -> Self {
        match kind {
            KindArg::Claim => Self::Claim,
            KindArg::Quote => Self::Quote,
            KindArg::Entity => Self::Entity,
        }
    }
}

pub use crate::store::is_project_path;

/// How the window starts for `marginalia [PATH...]`: the workspace it shows at once, the
/// paths it then opens itself in the background (with progress and Cancel: an existing
/// project first, then the articles), and the problems met on the way.
///
/// The first `.ron` path is the project (a path that does not exist yet starts a new project
/// saved there); every other path is an article. Without a project path the project is
/// untitled.
pub fn startup(paths: &[PathBuf]) -> (Workspace, Vec<PathBuf>, Vec<String>) {
    let mut problems = Vec::new();
    let project = paths.iter().find(|p| is_project_path(p));
    let (workspace, mut open) = match project {
        Some(path) if path.exists() => (Workspace::untitled(), vec![path.clone()]),
        Some(path) => (Workspace::new_at(path), Vec::new()),
        None => (Workspace::untitled(), Vec::new()),
    };
    for path in paths.iter().filter(|p| Some(*p) != project) {
        if is_project_path(path) {
            problems.push(format!(
                "only one project can be open; not opened: {}",
                path.display()
            ));
        } else {
            open.push(path.clone());
        }
    }
    (workspace, open, problems)
}

/// The workspace that `marginalia [PATH...]` starts with, and the problems met on the way
/// (each naming its file), for the caller to show.
///
/// The first `.ron` path is the project (opened, or new if it does not exist); every other
/// path is added as a document. Without a project path the project is untitled.
pub fn open_paths(paths: &[PathBuf]) -> (Workspace, Vec<String>) {
    let mut problems = Vec::new();
    let project_path = paths.iter().find(|p| is_project_path(p));
    let mut workspace = match project_path {
        Some(path) if path.exists() => Workspace::open(path).unwrap_or_else(|e| {
            problems.push(e.to_string());
            Workspace::untitled()
        }),
        Some(path) => Workspace::new_at(path),
        None => Workspace::untitled(),
    };
    for path in paths.iter().filter(|p| Some(*p) != project_path) {
        if is_project_path(path) {
            problems.push(format!(
                "only one project can be open; not opened: {}",
                path.display()
            ));
            continue;
        }
        match workspace.add_document(path) {
            Ok(id) => workspace.set_last_document(id),
            Err(e) => problems.push(e.to_string()),
        }
    }
    problems.extend(workspace.problems());
    (workspace, problems)
}

/// Runs a headless command, writing its report to `out`. Returns the process exit code.
pub fn run(command: &Command, out: &mut dyn Write) -> anyhow::Result<i32> {
    match command {
        Command::Text { article, password } => text(article, password.as_deref(), out),
        Command::Suggest { path } => {
            write_suggestions(path, out)?;
            Ok(0)
        }
        Command::Stats { project } => {
            let workspace = Workspace::open(project)?;
            write_stats(&workspace, out)?;
            Ok(0)
        }
        Command::Validate { project } => validate(project, out),
        Command::Add { project, paths } => add(project, paths, out),
        Command::Export {
            project,
            format,
            out: target,
            labels,
            documents,
            kinds,
            flavor,
            scope,
        } => export(
            project,
            *format,
            &Selection {
                labels: labels.clone(),
                documents: documents.clone(),
                kinds: kinds.iter().map(|&k| k.into()).collect(),
            },
            ExportOptions {
                jsonl_flavor: *flavor,
                scope: *scope,
            },
            target,
            out,
        ),
        Command::Overview {
            project,
            labels,
            documents,
            analysts,
            from,
            to,
            json,
        } => overview(
            project,
            &Selection {
                labels: labels.clone(),
                documents: documents.clone(),
                kinds: Vec::new(),
            },
            analysts,
            (*from, *to),
            *json,
            out,
        ),
        Command::Import {
            project,
            format,
            paths,
            offsets,
            strict,
            author,
        } => {
            let mut workspace = open_for_change(project, "marginalia import")?;
            if let Some(author) = author {
                workspace.set_analyst(author);
            }
            let incoming = formats::parse_import(*format, paths, *offsets)?;
            let report = workspace.import(&incoming, *strict)?;
            writeln!(out, "{report}")?;
            if workspace.is_dirty() {
                workspace.save()?;
                writeln!(out, "Saved: {}", project.display())?;
            } else {
                writeln!(out, "Nothing to import; not saved: {}", project.display())?;
            }
            Ok(0)
        }
        Command::MergeDriver {
            base,
            ours,
            theirs,
            path,
        } => merge_driver(base, ours, theirs, path.as_deref().unwrap_or(ours), out),
        Command::Resolve { project } => resolve(project, out),
        Command::Agreement {
            project,
            documents,
            labels,
            annotators,
            json,
        } => agreement(project, documents, labels, annotators, *json, out),
        Command::Clusters { project, json } => clusters(project, *json, out),
        Command::Team {
            action: TeamAction::Init { project },
        } => team_init(project.as_deref(), out),
    }
}

/// `marginalia text`: the text Marginalia annotates in an article.
fn text(article: &Path, password: Option<&str>, out: &mut dyn Write) -> anyhow::Result<i32> {
    let read = match password {
        Some(password) => crate::ingest::read_article_with_password(
            article,
            password,
            &crate::model::Progress::new(),
        ),
        None => crate::ingest::read_article(article),
    };
    let article = match read {
        Ok(article) => article,
        Err(crate::ingest::IngestError::NeedsPassword { path }) => anyhow::bail!(
            "the PDF is encrypted and needs a password to open (give it with \
             --password): {}",
            path.display()
        ),
        Err(error) => return Err(error.into()),
    };
    out.write_all(article.text.as_bytes())?;
    Ok(0)
}

/// `marginalia validate`: every problem (unreadable or changed documents, annotations
/// waiting for review, merge conflicts among them), and a summary; exit 1 if any.
fn validate(project: &Path, out: &mut dyn Write) -> anyhow::Result<i32> {
    let workspace = Workspace::open(project)?;
    let mut problems = workspace.problems();
    problems.extend(workspace.project().orphans().map(|o| {
        format!(
            "annotation {} ({:?}) waits on the review list: {}",
            o.annotation.id,
            o.annotation.text(),
            o.reason
        )
    }));
    for problem in &problems {
        writeln!(out, "{problem}")?;
    }
    writeln!(
        out,
        "{}: {} document(s), {} annotation(s), {} problem(s)",
        project.display(),
        workspace.project().documents().len(),
        workspace.project().annotation_count(),
        problems.len()
    )?;
    Ok(i32::from(!problems.is_empty()))
}

/// `marginalia agreement`: the report as JSON or a table.
fn agreement(
    project: &Path,
    documents: &[String],
    labels: &[String],
    annotators: &[String],
    json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<i32> {
    let workspace = Workspace::open(project)?;
    let selection = Selection {
        labels: labels.to_vec(),
        documents: documents.to_vec(),
        kinds: Vec::new(),
    };
    let report = workspace.agreement(&selection, annotators)?;
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        write_agreement(&report, out)?;
    }
    Ok(0)
}

/// `marginalia export`: the chosen annotations written in `format` to `target`.
fn export(
    project: &Path,
    format: Format,
    selection: &Selection,
    options: ExportOptions,
    target: &Path,
    out: &mut dyn Write,
) -> anyhow::Result<i32> {
    let workspace = Workspace::open(project)?;
    workspace.check_export_target(target)?;
    let set = workspace.annotation_set(selection);
    let fidelity = formats::export(&set, format, options, target)?;
    writeln!(out, "{fidelity}")?;
    writeln!(out, "Written: {}", target.display())?;
    Ok(0)
}

/// `marginalia clusters`: the project's claims grouped.
fn clusters(project: &Path, json: bool, out: &mut dyn Write) -> anyhow::Result<i32> {
    let project = crate::store::load(project)?;
    let clusters = crate::model::clusters::of_project(&project);
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&clusters)?)?;
        return Ok(0);
    }
    if clusters.is_empty() {
        writeln!(out, "No two claims say the same thing.")?;
    }
    let line = |m: &crate::model::clusters::Member| {
        let title = project
            .document(m.document)
            .map(|d| d.display_name().to_owned())
            .unwrap_or_default();
        let extra: Vec<&str> = [m.claimant.as_str(), m.stance.as_str(), m.grading.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        let extra = if extra.is_empty() {
            String::new()
        } else {
            format!(" ({})", extra.join(", "))
        };
        format!("{} {title}: “{}”{extra}", m.annotation, m.text)
    };
    for (i, cluster) in clusters.iter().enumerate() {
        let state = if cluster.is_confirmed() {
            "confirmed"
        } else {
            "suggested"
        };
        let flag = if cluster.contradicts {
            format!(", {}", cluster.contradiction)
        } else {
            String::new()
        };
        writeln!(
            out,
            "Cluster {} ({state}): {} claims in {} document(s){flag}",
            i + 1,
            cluster.members.len(),
            cluster.documents
        )?;
        for m in &cluster.members {
            writeln!(out, "  {}", line(m))?;
        }
        for m in &cluster.suggested {
            writeln!(out, "  suggested: {}", line(m))?;
        }
    }
    Ok(0)
}

/// `marginalia overview`: the figures of the chosen part of the project.
fn overview(
    project: &Path,
    selection: &Selection,
    analysts: &[String],
    dates: (Option<jiff::civil::Date>, Option<jiff::civil::Date>),
    json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<i32> {
    let project = crate::store::load(project)?;
    let filter = overview_filter(&project, selection, analysts, dates)?;
    let overview = crate::model::overview::compute(&project, &filter);
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&overview)?)?;
    } else {
        write_overview(&overview, out)?;
    }
    Ok(0)
}

/// The overview's filter from the command line's names; a name that matches nothing is
/// an error (a typo would otherwise count nothing, silently).
fn overview_filter(
    project: &crate::model::Project,
    selection: &Selection,
    analysts: &[String],
    (from, to): (Option<jiff::civil::Date>, Option<jiff::civil::Date>),
) -> anyhow::Result<crate::model::overview::Filter> {
    for wanted in &selection.labels {
        let one = Selection {
            labels: vec![wanted.clone()],
            ..Selection::default()
        };
        if !project.schema.labels.iter().any(|l| one.takes_label(l)) {
            anyhow::bail!("no label called {wanted:?} in the project");
        }
    }
    for wanted in &selection.documents {
        let one = Selection {
            documents: vec![wanted.clone()],
            ..Selection::default()
        };
        if !project.documents().iter().any(|d| one.takes_document(d)) {
            anyhow::bail!("no document {wanted:?} in the project");
        }
    }
    let labels = if selection.labels.is_empty() {
        std::collections::BTreeSet::new()
    } else {
        project
            .schema
            .labels
            .iter()
            .filter(|l| selection.takes_label(l))
            .map(|l| l.id.clone())
            .collect()
    };
    let documents = if selection.documents.is_empty() {
        std::collections::BTreeSet::new()
    } else {
        project
            .documents()
            .iter()
            .filter(|d| selection.takes_document(d))
            .map(|d| d.id)
            .collect()
    };
    Ok(crate::model::overview::Filter {
        labels,
        analysts: analysts.iter().cloned().collect(),
        documents,
        from,
        to,
    })
}

/// The overview as a summary for a terminal.
fn write_overview(
    overview: &crate::model::overview::Overview,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let done = overview
        .documents
        .iter()
        .filter(|d| d.status == "done")
        .count();
    writeln!(
        out,
        "{} document(s) ({done} done), {} annotation(s)",
        overview.documents.len(),
        overview.annotations
    )?;
    writeln!(out, "\nLabels:")?;
    for label in &overview.labels {
        writeln!(
            out,
            "  {:<16} {:>7}  in {} document(s)",
            label.name, label.count, label.documents
        )?;
    }
    let counts = |counts: &[crate::model::overview::Count]| {
        counts
            .iter()
            .map(|c| format!("{} {}", c.name, c.count))
            .collect::<Vec<_>>()
            .join(", ")
    };
    writeln!(
        out,
        "\nSource reliability: {}",
        counts(&overview.reliability)
    )?;
    writeln!(out, "Claim credibility:  {}", counts(&overview.credibility))?;
    if !overview.analysts.is_empty() {
        writeln!(out, "Analysts:           {}", counts(&overview.analysts))?;
    }
    writeln!(out, "\nTop speakers:")?;
    for speaker in &overview.speakers {
        writeln!(
            out,
            "  {:<32} {:>5} quote(s) in {} document(s)",
            speaker.name, speaker.quotes, speaker.documents
        )?;
    }
    writeln!(out, "\nMost mentioned entities:")?;
    for entity in overview.matrix.entities.iter().take(20) {
        writeln!(
            out,
            "  {:<32} {:>5} mention(s)  ({})",
            entity.name, entity.mentions, entity.kind
        )?;
    }
    if !overview.timeline.is_empty() {
        writeln!(out, "\nTimeline:")?;
        for entry in &overview.timeline {
            writeln!(
                out,
                "  {}  {}  ({} claim(s))",
                entry.date, entry.title, entry.claims
            )?;
        }
    }
    Ok(())
}

/// `marginalia team init`: the work tree holding the project (or the folder) set up.
fn team_init(project: Option<&Path>, out: &mut dyn Write) -> anyhow::Result<i32> {
    let folder = match project {
        Some(p) if p.is_dir() => p.to_owned(),
        Some(p) => p
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_owned),
        None => PathBuf::from("."),
    };
    for line in crate::team::init(&folder)? {
        writeln!(out, "{line}")?;
    }
    Ok(0)
}

/// The agreement report as a table.
fn write_agreement(
    report: &crate::model::agreement::Report,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let figure = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), |v| format!("{v:.3}"));
    writeln!(
        out,
        "Agreement of {} over {} document(s), {} word(s)",
        report.annotators.join(", "),
        report.documents.len(),
        report.overall.units
    )?;
    writeln!(
        out,
        "{:<24} {:>8} {:>8} {:>8} {:>8}",
        "", "Cohen κ", "Fleiss κ", "α words", "α_u"
    )?;
    let rows = std::iter::once(("overall", &report.overall))
        .chain(report.labels.iter().map(|(name, m)| (name.as_str(), m)));
    for (name, m) in rows {
        writeln!(
            out,
            "{:<24} {:>8} {:>8} {:>8} {:>8}",
            name,
            figure(m.cohen_kappa),
            figure(m.fleiss_kappa),
            figure(m.krippendorff_alpha_tokens),
            figure(m.krippendorff_alpha_unitizing)
        )?;
    }
    for pair in &report.pairs {
        writeln!(
            out,
            "{} – {}: Cohen κ {}",
            pair.a,
            pair.b,
            figure(pair.cohen_kappa)
        )?;
    }
    Ok(())
}

/// `marginalia merge-driver`: the merge of OURS and THEIRS written to OURS.
fn merge_driver(
    base: &Path,
    ours: &Path,
    theirs: &Path,
    shown: &Path,
    out: &mut dyn Write,
) -> anyhow::Result<i32> {
    let read = |p: &Path| -> anyhow::Result<String> {
        std::fs::read_to_string(p).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", p.display()))
    };
    let merged =
        match crate::store::merge::merge_texts(&read(base)?, &read(ours)?, &read(theirs)?, shown) {
            Ok(merged) => merged,
            Err(error) => {
                writeln!(out, "marginalia: not merged, {error}")?;
                return Ok(2);
            }
        };
    crate::store::replace_file(ours, merged.text.as_bytes())
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", ours.display()))?;
    for line in &merged.report {
        writeln!(out, "marginalia: {line}")?;
    }
    writeln!(
        out,
        "marginalia: merged {} ({} true conflict(s), said above; annotations among them wait on the review list)",
        shown.display(),
        merged.conflicts
    )?;
    Ok(0)
}

/// `marginalia resolve`: a file with conflict markers merged and saved.
fn resolve(project: &Path, out: &mut dyn Write) -> anyhow::Result<i32> {
    let _lock = crate::store::ProjectLock::acquire(project, CHANGE_PATIENCE, "marginalia resolve")?;
    let text = std::fs::read_to_string(project)
        .map_err(|e| anyhow::anyhow!("cannot read the project file: {e}: {}", project.display()))?;
    match crate::store::merge::resolve_conflict_markers(&text, project) {
        Ok(None) => {
            writeln!(
                out,
                "no conflict markers; nothing to resolve: {}",
                project.display()
            )?;
            Ok(0)
        }
        Ok(Some(merged)) => {
            crate::store::write_atomically(project, merged.text.as_bytes())?;
            for line in &merged.report {
                writeln!(out, "{line}")?;
            }
            writeln!(
                out,
                "resolved ({} conflict(s) on the review list; the file as it was is kept as .bak): {}",
                merged.conflicts,
                project.display()
            )?;
            Ok(0)
        }
        Err(error) => {
            writeln!(out, "{error}")?;
            Ok(2)
        }
    }
}

/// `marginalia add`: the articles in `paths` added to the project (created if missing),
/// with what the analyst should know about each, and the project saved.
fn add(project: &Path, paths: &[PathBuf], out: &mut dyn Write) -> anyhow::Result<i32> {
    let mut workspace = open_for_change(project, "marginalia add")?;
    let mut added = 0;
    for file in article_files(paths)? {
        let before = workspace.project().documents().len();
        let id = workspace.add_document(&file)?;
        if workspace.project().documents().len() > before {
            added += 1;
            writeln!(out, "added {}", file.display())?;
            if let Some(crate::workspace::DocumentState::Loaded(loaded)) =
                workspace.document_state(id)
                && let Some(warning) = &loaded.warning
            {
                writeln!(out, "  note: {warning}")?;
            }
        }
    }
    workspace.save()?;
    writeln!(
        out,
        "{added} document(s) added; saved {}",
        project.display()
    )?;
    Ok(0)
}

/// How long a command waits for another program that holds the project (a window saving,
/// another command reading, changing and saving it) before it gives up.
const CHANGE_PATIENCE: std::time::Duration = std::time::Duration::from_mins(1);

/// The project at `project` (new if there is no file), locked from before it is read until
/// the command ends: two commands that change one project run one after the other, and a
/// window's save meanwhile waits (or is refused, naming `holder`) instead of being lost.
fn open_for_change(project: &Path, holder: &str) -> anyhow::Result<Workspace> {
    let lock = crate::store::ProjectLock::acquire(project, CHANGE_PATIENCE, holder)?;
    let mut workspace = if project.exists() {
        Workspace::open(project)?
    } else {
        Workspace::new_at(project)
    };
    workspace.keep_lock(lock);
    Ok(workspace)
}

/// The article files among `paths`: files as given, folders by their supported files.
fn article_files(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(path)?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file() && crate::ingest::format_of(p).is_some())
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

fn write_stats(workspace: &Workspace, out: &mut dyn Write) -> std::io::Result<()> {
    let project = workspace.project();
    writeln!(
        out,
        "{}: {} document(s), {} annotation(s)",
        workspace.display_name(),
        project.documents().len(),
        project.annotation_count()
    )?;
    for document in project.documents() {
        let mut per_label: BTreeMap<&str, usize> = BTreeMap::new();
        for annotation in project.annotations_of(document.id) {
            let name = project
                .schema
                .label(&annotation.label)
                .map_or(annotation.label.as_str(), |l| l.name.as_str());
            *per_label.entry(name).or_default() += 1;
        }
        let counts: Vec<String> = per_label.iter().map(|(l, n)| format!("{l} {n}")).collect();
        writeln!(
            out,
            "  {} ({}, {} characters): {}",
            document.display_name(),
            document.path,
            document.char_len,
            if counts.is_empty() {
                "no annotations".to_owned()
            } else {
                counts.join(", ")
            }
        )?;
        let waiting = project.orphans_of(document.id).count();
        if waiting > 0 {
            writeln!(
                out,
                "    {waiting} annotation(s) waiting on the review list (no place in the text yet)"
            )?;
        }
    }
    Ok(())
}

/// `marginalia suggest`: suggestions for an article or every readable document of a project.
fn write_suggestions(path: &Path, out: &mut dyn Write) -> anyhow::Result<()> {
    use crate::suggest::{SuggestionKind, quote_spans};
    if !is_project_path(path) {
        let article = crate::ingest::read_article(path)?;
        let text = crate::model::DocText::new(article.text);
        for quote in quote_spans(&text) {
            let mut line = serde_json::json!({
                "kind": "quote",
                "directness": quote.directness.name(),
                "start": quote.span.start().0,
                "end": quote.span.end().0,
                "text": text.slice(quote.span).unwrap_or_default(),
            });
            if let Some(speaker) = quote.speaker {
                line["speaker"] = serde_json::json!(speaker.text());
            }
            writeln!(out, "{line}")?;
        }
        return Ok(());
    }
    let workspace = Workspace::open(path)?;
    let project = workspace.project();
    for document in project.documents() {
        // Those the analyst rejected are left out.
        for suggestion in workspace.suggestions(document.id) {
            let mut line = serde_json::json!({
                "kind": suggestion.kind_name(),
                "start": suggestion.span.start().0,
                "end": suggestion.span.end().0,
                "text": suggestion.text,
                "document": document.path,
                "label": suggestion.label.0,
            });
            match &suggestion.kind {
                SuggestionKind::Quote {
                    speaker_text,
                    speaker,
                    directness,
                } => {
                    line["directness"] = serde_json::json!(directness.name());
                    let name = speaker
                        .as_ref()
                        .map(|s| crate::model::tables::source_words(project, s));
                    if let Some(name) = name.or_else(|| speaker_text.clone()) {
                        line["speaker"] = serde_json::json!(name);
                    }
                    if let Some(crate::model::Source::Entity(id)) = speaker {
                        line["entity"] = serde_json::json!(id.0);
                    }
                }
                SuggestionKind::Mention { entity } => {
                    line["entity"] = serde_json::json!(entity.0);
                }
            }
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}
