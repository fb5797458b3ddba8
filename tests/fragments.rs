//! Discontinuous annotations: a quote interrupted by "he said" is one annotation with
//! fragments. Adding and removing fragments are one undo step each; the gap is not part of
//! the annotation (not hit, not highlighted); fragments survive saving, re-anchoring and
//! every export that can carry them, and come back from brat and W3C imports.

use crate::common;

use std::path::{Path, PathBuf};

use common::{csv_rows, workspace_with_text};

use marginalia::formats::{self, ExportOptions, Format, ImportFormat, OffsetUnit, Selection};
use marginalia::model::{AnnotationId, CharPos, LabelId, Span};
use marginalia::workspace::Workspace;
use serde_json::Value;

const TEXT: &str = "The minister spoke late. \u{201c}We will not retreat,\u{201d} she said, \
\u{201c}not one step.\u{201d} Then she left.\n";

fn workspace(dir: &Path) -> Workspace {
    workspace_with_text(dir, TEXT)
}

/// The span of the `nth` `needle` in `TEXT`, in code points.
fn span_of(needle: &str) -> Span {
    let byte = TEXT.find(needle).expect("needle");
    let start = CharPos(TEXT[..byte].chars().count());
    Span::between(start, start.forward(needle.chars().count()))
}

const FIRST: &str = "We will not retreat,";
const SECOND: &str = "not one step.";

/// The quote "We will not retreat, … not one step." as one annotation of two fragments.
fn quote(workspace: &mut Workspace) -> AnnotationId {
    let document = workspace.project().documents()[0].id;
    let id = workspace
        .annotate(document, span_of(FIRST), &LabelId("quote".into()))
        .expect("annotate");
    workspace
        .add_fragment(id, span_of(SECOND))
        .expect("add fragment");
    id
}

#[test]
fn a_fragment_makes_one_annotation_whose_gap_is_not_part_of_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut w = workspace(dir.path());
    let id = quote(&mut w);
    let a = w.project().annotation(id).expect("annotation").clone();
    assert_eq!(a.pieces(), [span_of(FIRST), span_of(SECOND)]);
    assert_eq!(a.span.start(), span_of(FIRST).start());
    assert_eq!(a.span.end(), span_of(SECOND).end());
    assert_eq!(a.piece_texts(), [FIRST, SECOND]);
    assert_eq!(a.marked_text(), format!("{FIRST} … {SECOND}"));
    assert_eq!(w.project().annotation_count(), 1, "still one annotation");

    // "she said" lies in the gap: clicking it hits nothing, clicking a fragment hits it.
    let document = a.document;
    let gap = span_of("she said").start();
    assert!(w.project().annotations_at(document, gap).is_empty());
    let inside = span_of(SECOND).start().forward(2);
    assert_eq!(w.project().annotations_at(document, inside).len(), 1);

    // One undo step each way.
    w.undo().expect("undo");
    let undone = w.project().annotation(id).expect("annotation");
    assert!(!undone.is_discontinuous());
    assert_eq!(undone.span, span_of(FIRST));
    assert_eq!(undone.text(), FIRST);
    w.redo().expect("redo");
    assert_eq!(
        w.project()
            .annotation(id)
            .expect("annotation")
            .pieces()
            .len(),
        2
    );
}

#[test]
fn removing_or_joining_fragments_makes_it_continuous_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut w = workspace(dir.path());
    let id = quote(&mut w);
    w.remove_fragment(id, 0).expect("remove");
    let a = w.project().annotation(id).expect("annotation");
    assert!(!a.is_discontinuous());
    assert_eq!((a.span, a.text()), (span_of(SECOND), SECOND));
    w.undo().expect("undo");
    assert_eq!(
        w.project()
            .annotation(id)
            .expect("annotation")
            .pieces()
            .len(),
        2
    );

    // A piece covering the gap joins the fragments into one span.
    let gap = Span::between(span_of(FIRST).end(), span_of(SECOND).start());
    w.add_fragment(id, gap).expect("fill the gap");
    let a = w.project().annotation(id).expect("annotation");
    assert!(!a.is_discontinuous());
    assert_eq!(
        a.span,
        Span::between(span_of(FIRST).start(), span_of(SECOND).end())
    );
}

#[test]
fn fragments_that_do_not_fill_the_span_are_refused_by_the_core() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut w = workspace(dir.path());
    let id = quote(&mut w);
    let mut bad = w.project().annotation(id).expect("annotation").clone();
    bad.fragments.reverse();
    let before = w.project().annotation(id).cloned();
    let refused = w.apply(
        marginalia::model::Edit::Replace(vec![bad]),
        marginalia::model::Coalesce::No,
    );
    assert!(matches!(
        refused,
        Err(marginalia::model::EditError::BadFragments(_))
    ));
    assert_eq!(
        w.project().annotation(id).cloned(),
        before,
        "nothing changed"
    );
}

#[test]
fn fragments_survive_save_and_reload_and_move_with_their_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut w = workspace(dir.path());
    let id = quote(&mut w);
    w.save().expect("save");
    let saved = std::fs::read_to_string(dir.path().join("p.ron")).expect("read");
    assert!(saved.contains("fragments: [("), "{saved}");

    let reloaded = Workspace::open(&dir.path().join("p.ron")).expect("open");
    let a = reloaded.project().annotation(id).expect("annotation");
    assert_eq!(a.pieces(), [span_of(FIRST), span_of(SECOND)]);

    // The article gains a sentence at the start: the quote moves, gaps and all.
    drop(reloaded);
    let added = "A new first sentence. ";
    std::fs::write(dir.path().join("a.txt"), format!("{added}{TEXT}")).expect("rewrite");
    let moved = Workspace::open(&dir.path().join("p.ron")).expect("open changed");
    let a = moved
        .project()
        .annotation(id)
        .expect("re-anchored, not orphaned");
    let shift = added.chars().count();
    let shifted = |s: Span| Span::between(s.start().forward(shift), s.end().forward(shift));
    assert_eq!(
        a.pieces(),
        [shifted(span_of(FIRST)), shifted(span_of(SECOND))]
    );
    assert_eq!(a.piece_texts(), [FIRST, SECOND]);
}

/// The first line of a JSON-lines file.
fn first_line(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("read");
    serde_json::from_str(text.lines().next().expect("a line")).expect("json")
}

fn export(w: &Workspace, format: Format, out: &Path) -> formats::Fidelity {
    let set = w.annotation_set(&Selection::default());
    formats::export(&set, format, ExportOptions::default(), out).expect("export")
}

/// Imports `path` into `w` (which had no annotations); the pieces of the one annotation.
fn imported_pieces(w: &mut Workspace, format: ImportFormat, path: PathBuf) -> Vec<Span> {
    let incoming = formats::parse_import(format, &[path], OffsetUnit::Codepoints).expect("parse");
    w.import(&incoming, true).expect("import");
    let back = w.project().annotations_sorted();
    assert_eq!(back.len(), 1, "one annotation");
    back[0].pieces().to_vec()
}

#[test]
fn brat_writes_fragments_and_reads_them_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut w = workspace(dir.path());
    quote(&mut w);
    let out = dir.path().join("brat");
    export(&w, Format::Brat, &out);
    let ann = std::fs::read_to_string(out.join("a.ann")).expect("ann");
    let (f, s) = (span_of(FIRST), span_of(SECOND));
    let expected = format!(
        "T1\tQuote {} {};{} {}\t{FIRST} {SECOND}",
        f.start(),
        f.end(),
        s.start(),
        s.end()
    );
    assert!(ann.lines().any(|l| l == expected), "{ann}");

    let mut fresh = Workspace::new_at(&dir.path().join("q.ron"));
    assert_eq!(imported_pieces(&mut fresh, ImportFormat::Brat, out), [f, s]);
}

#[test]
fn w3c_has_a_target_per_fragment_and_reads_them_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut w = workspace(dir.path());
    quote(&mut w);
    let out = dir.path().join("a.jsonld");
    export(&w, Format::W3c, &out);
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("read")).expect("json");
    let item = &json["first"]["items"][0];
    let targets = item["target"].as_array().expect("a target per fragment");
    let exacts: Vec<&str> = targets
        .iter()
        .map(|t| t["selector"][1]["exact"].as_str().expect("quote selector"))
        .collect();
    assert_eq!(exacts, [FIRST, SECOND]);
    assert_eq!(
        targets[1]["selector"][0]["start"],
        span_of(SECOND).start().0
    );

    // Into a project holding the same article (W3C names it by hash).
    let other = tempfile::tempdir().expect("tempdir");
    let mut fresh = workspace(other.path());
    assert_eq!(
        imported_pieces(&mut fresh, ImportFormat::W3c, out),
        [span_of(FIRST), span_of(SECOND)]
    );
}

#[test]
fn jsonl_csv_html_and_refi_carry_fragments_and_doccano_conll_say_how() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut w = workspace(dir.path());
    let id = quote(&mut w);

    let out = dir.path().join("a.jsonl");
    export(&w, Format::Jsonl, &out);
    let line = first_line(&out);
    let fragments = line["spans"][0]["fragments"].as_array().expect("fragments");
    assert_eq!(fragments.len(), 2);
    assert_eq!(fragments[1]["text"], SECOND);
    assert_eq!(fragments[1]["start"], span_of(SECOND).start().0);

    let out = dir.path().join("a.csv");
    export(&w, Format::Csv, &out);
    let row = &csv_rows(&out)[0];
    assert_eq!(row["text"], format!("{FIRST} … {SECOND}"));
    let (f, s) = (span_of(FIRST), span_of(SECOND));
    assert_eq!(
        row["fragments"],
        format!("{}-{};{}-{}", f.start(), f.end(), s.start(), s.end())
    );

    let out = dir.path().join("a.html");
    export(&w, Format::Html, &out);
    let html = std::fs::read_to_string(&out).expect("read");
    assert!(html.contains(&format!("{FIRST} … {SECOND}")), "quote table");
    // Highlighted on the fragments only: "she said" is outside every highlight.
    let paragraph = html
        .lines()
        .find(|l| l.starts_with("<p>") && l.contains("she said"))
        .expect("the highlighted paragraph");
    assert!(paragraph.contains(&format!(
        "title=\"Quote\">{FIRST}</span>\u{201d} she said, \u{201c}<span"
    )));
    assert!(paragraph.contains(&format!("title=\"Quote\">{SECOND}</span>")));
    assert_eq!(
        paragraph.matches("<a id=").count(),
        1,
        "one anchor per annotation"
    );

    let out = dir.path().join("a.qdpx");
    let fidelity = export(&w, Format::Refi, &out);
    assert!(
        fidelity
            .losses
            .iter()
            .any(|l| l.contains("one coded selection per fragment")),
        "{fidelity:?}"
    );
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).expect("open")).expect("zip");
    let mut qde = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("project.qde").expect("qde"), &mut qde)
        .expect("read");
    assert_eq!(qde.matches("<PlainTextSelection ").count(), 2);
    assert!(qde.contains(&format!("startPosition=\"{}\"", s.start())));

    let out = dir.path().join("d.jsonl");
    let set = w.annotation_set(&Selection::default());
    let fidelity = formats::export(
        &set,
        Format::Jsonl,
        ExportOptions {
            jsonl_flavor: formats::JsonlFlavor::Doccano,
            ..ExportOptions::default()
        },
        &out,
    )
    .expect("export");
    assert!(
        fidelity
            .losses
            .iter()
            .any(|l| l.contains("one span per fragment")),
        "{fidelity:?}"
    );
    let line = first_line(&out);
    assert_eq!(line["label"].as_array().expect("labels").len(), 2);
    assert!(w.project().annotation(id).is_some());
}
