//! Entity links, speakers, claimants and grading travel with every export that has room for
//! them (the sample project links its mentions and grades its quotes and claims).

use crate::common;

use std::path::{Path, PathBuf};

use common::csv_rows;

use marginalia::formats::{self, ExportOptions, Format, Selection};
use marginalia::model::{Annotation, LabelKind, Source};
use marginalia::workspace::Workspace;
use serde_json::Value;

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/us-allies-missile-defence.ron")
}

fn export(workspace: &Workspace, format: Format, out: &Path) -> formats::Fidelity {
    let set = workspace.annotation_set(&Selection::default());
    formats::export(&set, format, ExportOptions::default(), out).expect("export")
}

/// The text of the one `.ann` file of a brat export of the sample.
fn the_ann_file(out: &Path) -> String {
    let name = std::fs::read_dir(out)
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| Path::new(n).extension().is_some_and(|e| e == "ann"))
        .expect("an .ann file");
    std::fs::read_to_string(out.join(name)).expect("ann")
}

/// The sample's quote "So they each got something" (Patrick Cronin, direct, B) and the
/// entity the quote's speaker is.
fn cronin_quote(workspace: &Workspace) -> (Annotation, String) {
    let project = workspace.project();
    let quote = project
        .annotations_sorted()
        .into_iter()
        .find(|a| a.text() == "So they each got something")
        .expect("quote in the sample")
        .clone();
    let Some(Source::Entity(id)) = quote.attrs.source else {
        panic!("the sample quote has an entity speaker");
    };
    let name = project.entity(id).expect("speaker entity").name.clone();
    (quote, name)
}

#[test]
fn csv_has_entity_speaker_and_grading_columns() {
    let dir = tempfile::tempdir().expect("tempdir");
    let workspace = Workspace::open(&sample()).expect("open");
    let (quote, speaker) = cronin_quote(&workspace);
    let out = dir.path().join("a.csv");
    export(&workspace, Format::Csv, &out);
    let rows = csv_rows(&out);
    let row = rows
        .iter()
        .find(|r| r["id"] == quote.id.0.to_string())
        .expect("quote row");
    assert_eq!(row["speaker_or_claimant"], speaker);
    assert_eq!(row["anonymous_source"], "no");
    assert_eq!(row["directness"], "direct");
    assert_eq!(row["reliability"], "B");
    let anonymous = rows
        .iter()
        .find(|r| r["text"].starts_with("That makes sense"))
        .expect("official's quote");
    assert_eq!(anonymous["anonymous_source"], "yes");
    assert!(anonymous["speaker_or_claimant"].contains("unidentified senior"));
    // "Hagel" and "Chuck Hagel" rows both name the one entity.
    let hagel_rows = rows.iter().filter(|r| r["entity"] == "Chuck Hagel").count();
    assert!(hagel_rows >= 2, "{hagel_rows}");
    let graded_claim = rows
        .iter()
        .find(|r| !r["credibility"].is_empty() && r["kind"] == "claim")
        .expect("a graded claim");
    assert!(!graded_claim["confidence"].is_empty());
    assert!(!graded_claim["stance"].is_empty());
}

#[test]
fn jsonl_and_w3c_carry_links_and_attributes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let workspace = Workspace::open(&sample()).expect("open");
    let (quote, speaker) = cronin_quote(&workspace);
    let out = dir.path().join("a.jsonl");
    export(&workspace, Format::Jsonl, &out);
    let line: Value = serde_json::from_str(
        std::fs::read_to_string(&out)
            .expect("read")
            .lines()
            .next()
            .expect("a line"),
    )
    .expect("json");
    let spans = line["spans"].as_array().expect("spans");
    let span = spans
        .iter()
        .find(|s| s["id"] == quote.id.0)
        .expect("quote span");
    assert_eq!(span["speaker"], speaker.as_str());
    assert_eq!(span["directness"], "direct");
    assert_eq!(span["reliability"], "B");
    assert!(
        spans
            .iter()
            .any(|s| s["entity"] == "Patrick Cronin" && s["text"] == "Cronin")
    );

    let out = dir.path().join("a.jsonld");
    export(&workspace, Format::W3c, &out);
    let collection: Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("read")).expect("json");
    let items = collection["first"]["items"].as_array().expect("items");
    let item = items
        .iter()
        .find(|i| {
            i["id"]
                .as_str()
                .is_some_and(|id| id.ends_with(&format!(":annotation:{}", quote.id.0)))
        })
        .expect("quote item");
    let bodies: Vec<(&str, &str)> = item["body"]
        .as_array()
        .expect("bodies")
        .iter()
        .filter_map(|b| Some((b["purpose"].as_str()?, b["value"].as_str()?)))
        .collect();
    assert!(
        bodies.contains(&("describing", &*format!("speaker: {speaker}"))),
        "{bodies:?}"
    );
    assert!(
        bodies.contains(&("assessing", "reliability: B")),
        "{bodies:?}"
    );
}

#[test]
fn brat_writes_speaker_relations_attributes_and_normalizations() {
    let dir = tempfile::tempdir().expect("tempdir");
    let workspace = Workspace::open(&sample()).expect("open");
    let out = dir.path().join("brat");
    export(&workspace, Format::Brat, &out);
    let conf = std::fs::read_to_string(out.join("annotation.conf")).expect("conf");
    assert!(
        conf.contains("Speaker\tArg1:Quote, Arg2:<ENTITY>"),
        "{conf}"
    );
    assert!(
        conf.contains("Reliability\tArg:Quote, Value:A|B|C|D|E|F"),
        "{conf}"
    );
    let ann = the_ann_file(&out);
    let t_lines: std::collections::HashMap<&str, &str> = ann
        .lines()
        .filter(|l| l.starts_with('T'))
        .filter_map(|l| {
            let mut parts = l.split('\t');
            Some((parts.next()?, parts.nth(1)?))
        })
        .collect();
    // Every Speaker relation goes from a quote to a mention of the speaker ("Cronin").
    let speakers: Vec<(&str, &str)> = ann
        .lines()
        .filter(|l| l.contains("\tSpeaker "))
        .filter_map(|l| {
            let args = l.split('\t').nth(1)?;
            let mut it = args.split(' ').skip(1);
            let quote = it.next()?.strip_prefix("Arg1:")?;
            let mention = it.next()?.strip_prefix("Arg2:")?;
            Some((t_lines[quote], t_lines[mention]))
        })
        .collect();
    assert!(
        speakers.contains(&("So they each got something", "Cronin")),
        "{speakers:?}"
    );
    // The unnamed official has no mention: the speaker goes into a note.
    assert!(
        ann.contains("\tSpeaker T")
            && ann.contains("\tunnamed source: an unidentified senior Defense Department official"),
        "{ann}"
    );
    assert!(ann.lines().any(|l| l.starts_with('A') && l.ends_with(" B")));
    assert!(
        ann.lines().any(|l| l.starts_with('N')
            && l.contains("Marginalia:E")
            && l.ends_with("\tChuck Hagel"))
    );
}

#[test]
fn html_report_tables_name_speakers_and_claimants() {
    let dir = tempfile::tempdir().expect("tempdir");
    let workspace = Workspace::open(&sample()).expect("open");
    let project = workspace.project();
    let out = dir.path().join("r.html");
    export(&workspace, Format::Html, &out);
    let html = std::fs::read_to_string(&out).expect("read");
    assert!(html.contains("<th>Speaker</th>"));
    assert!(html.contains("<th>Claimant</th>"));
    assert!(html.contains("the publication"));
    assert!(html.contains("unnamed source: an unidentified senior Defense Department official"));
    // Entities are listed by registry name: "Cronin" is counted under Patrick Cronin.
    let cronin_mentions = project
        .annotations_sorted()
        .iter()
        .filter(|a| {
            project.schema.label(&a.label).map(|l| l.kind) == Some(LabelKind::Entity)
                && a.entity
                    .and_then(|e| project.entity(e))
                    .map(|e| e.name.as_str())
                    == Some("Patrick Cronin")
        })
        .count();
    assert!(cronin_mentions >= 2);
    assert!(
        html.contains(&format!(
            "<td>Patrick Cronin</td><td>{cronin_mentions}</td>"
        )),
        "the entity table counts every mention under the canonical name"
    );
}

#[test]
fn relations_are_brat_r_lines_and_jsonl_relations() {
    let dir = tempfile::tempdir().expect("tempdir");
    let workspace = Workspace::open(&sample()).expect("open");
    let project = workspace.project();
    let relation = project
        .relations()
        .find(|r| r.kind == "contradicts")
        .expect("the sample's relation");
    let (from, to) = (
        project
            .annotation(relation.from)
            .expect("from")
            .text()
            .to_owned(),
        project
            .annotation(relation.to)
            .expect("to")
            .text()
            .to_owned(),
    );
    let out = dir.path().join("brat");
    export(&workspace, Format::Brat, &out);
    let conf = std::fs::read_to_string(out.join("annotation.conf")).expect("conf");
    assert!(
        conf.contains("contradicts\tArg1:<ANY>, Arg2:<ANY>"),
        "{conf}"
    );
    assert!(conf.contains("refers_to\tArg1:<ANY>, Arg2:<ANY>"), "{conf}");
    let ann = the_ann_file(&out);
    let text_of = |t: &str| {
        ann.lines()
            .find(|l| l.starts_with(&format!("{t}\t")))
            .and_then(|l| l.split('\t').nth(2))
            .expect("T line")
            .to_owned()
    };
    let line = ann
        .lines()
        .find(|l| l.contains("\tcontradicts Arg1:"))
        .expect("R line");
    let args: Vec<&str> = line.split('\t').nth(1).expect("args").split(' ').collect();
    assert_eq!(text_of(args[1].trim_start_matches("Arg1:")), from);
    assert_eq!(text_of(args[2].trim_start_matches("Arg2:")), to);

    let out = dir.path().join("a.jsonl");
    export(&workspace, Format::Jsonl, &out);
    let line: Value = serde_json::from_str(
        std::fs::read_to_string(&out)
            .expect("read")
            .lines()
            .next()
            .expect("line"),
    )
    .expect("json");
    assert!(
        line["relations"]
            .as_array()
            .expect("relations")
            .iter()
            .any(|r| r["kind"] == "contradicts"
                && r["from"] == relation.from.0
                && r["to"] == relation.to.0)
    );
}

#[test]
fn relations_are_a_csv_column_and_w3c_linking_bodies() {
    let dir = tempfile::tempdir().expect("tempdir");
    let workspace = Workspace::open(&sample()).expect("open");
    let relation = workspace
        .project()
        .relations()
        .find(|r| r.kind == "supports")
        .expect("the sample's relation")
        .clone();
    let out = dir.path().join("a.csv");
    export(&workspace, Format::Csv, &out);
    let rows = csv_rows(&out);
    let row = rows
        .iter()
        .find(|r| r["id"] == relation.from.0.to_string())
        .expect("row of the relation's start");
    assert_eq!(row["relations"], format!("supports #{}", relation.to.0));

    let out = dir.path().join("a.jsonld");
    export(&workspace, Format::W3c, &out);
    let collection: Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("read")).expect("json");
    let items = collection["first"]["items"].as_array().expect("items");
    let id_of = |n: u64| format!(":annotation:{n}");
    let from = items
        .iter()
        .find(|i| {
            i["id"]
                .as_str()
                .is_some_and(|id| id.ends_with(&id_of(relation.from.0)))
        })
        .expect("from item");
    let to_id = items
        .iter()
        .find(|i| {
            i["id"]
                .as_str()
                .is_some_and(|id| id.ends_with(&id_of(relation.to.0)))
        })
        .and_then(|i| i["id"].as_str())
        .expect("to item")
        .to_owned();
    let bodies = from["body"].as_array().expect("bodies");
    assert!(
        bodies
            .iter()
            .any(|b| b["purpose"] == "linking" && b["source"] == to_id.as_str()),
        "{bodies:?}"
    );
}

#[test]
fn conll_reports_links_refi_writes_them_as_memos_and_the_report_lists_relations() {
    let dir = tempfile::tempdir().expect("tempdir");
    let workspace = Workspace::open(&sample()).expect("open");
    let out = dir.path().join("out.conll");
    let report = export(&workspace, Format::Conll, &out).to_string();
    assert!(
        report.contains("entity links, speakers, grading and attributes of"),
        "{report}"
    );
    assert!(report.contains("relation(s) not exported"), "{report}");

    // REFI-QDA: an "Attributes of annotation N" memo on each selection, a line each.
    let out = dir.path().join("out.qdpx");
    let report = export(&workspace, Format::Refi, &out).to_string();
    assert!(!report.contains("not exported"), "{report}");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).expect("open")).expect("zip");
    let mut qde = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("project.qde").expect("qde"), &mut qde)
        .expect("read");
    let (quote, speaker) = cronin_quote(&workspace);
    let memo_start = qde
        .find(&format!("name=\"Attributes of annotation {}\"", quote.id.0))
        .expect("the quote's attributes memo");
    let memo = &qde[memo_start
        ..qde[memo_start..]
            .find("</Note>")
            .map_or(qde.len(), |e| memo_start + e)];
    assert!(memo.contains(&format!("speaker: {speaker}")), "{memo}");
    assert!(memo.contains("directness: direct"), "{memo}");
    assert!(memo.contains("reliability: B"), "{memo}");
    let relation = workspace.project().relations().next().expect("a relation");
    let from_memo = qde
        .find(&format!(
            "name=\"Attributes of annotation {}\"",
            relation.from.0
        ))
        .map(|at| &qde[at..])
        .expect("the related annotation's memo");
    assert!(
        from_memo.split("</Note>").next().is_some_and(
            |m| m.contains(&format!("{}: annotation {}", relation.kind, relation.to.0))
        ),
        "{from_memo}"
    );
    let out = dir.path().join("r.html");
    let fidelity = export(&workspace, Format::Html, &out);
    assert!(!fidelity.to_string().contains("relation"), "{fidelity}");
    let html = std::fs::read_to_string(&out).expect("read");
    assert!(html.contains("<h3>Relations</h3>"));
    assert!(html.contains("<td>contradicts</td>"));
}

/// A claim's confirmed cluster travels with it: the same id for the claims of one cluster
/// in the CSV and JSONL exports of the impeachment sample.
#[test]
fn confirmed_claim_clusters_travel_with_the_claims() {
    let dir = tempfile::tempdir().expect("tempdir");
    let workspace = Workspace::open(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/impeachment-hearings.ron"),
    )
    .expect("open");
    let clusters = marginalia::model::clusters::of_project(workspace.project());
    let confirmed = clusters
        .iter()
        .find(|c| c.is_confirmed() && c.documents >= 2)
        .expect("a confirmed cluster across documents");
    let id = confirmed.id.expect("confirmed").0.to_string();
    let out = dir.path().join("a.csv");
    export(&workspace, Format::Csv, &out);
    let in_csv = csv_rows(&out)
        .iter()
        .filter(|row| row["cluster"] == id)
        .count();
    assert_eq!(in_csv, confirmed.members.len());
    let out = dir.path().join("a.jsonl");
    export(&workspace, Format::Jsonl, &out);
    let text = std::fs::read_to_string(&out).expect("jsonl");
    let in_jsonl: usize = text
        .lines()
        .map(|line| {
            let doc: Value = serde_json::from_str(line).expect("JSON");
            doc["spans"]
                .as_array()
                .expect("spans")
                .iter()
                .filter(|span| span["cluster"].as_str() == Some(id.as_str()))
                .count()
        })
        .sum();
    assert_eq!(in_jsonl, confirmed.members.len());
}
