//! Attributes the project defines per label (issue 6, item 9): text, number, yes/no and
//! choice; values checked against their kind; a rename carries the values along, a delete
//! takes them with it, each one undo step; values survive saving and travel with the
//! exports. The window side (schema editor, inspector) is driven in the UI test below.

use crate::common;

use std::path::Path;

use common::*;
use eframe::egui::Key;
use egui_kittest::kittest::Queryable;
use marginalia::formats::{self, ExportOptions, Format, Selection};
use marginalia::model::{AnnotationId, AttributeDef, AttributeKind, CharPos, LabelId, Span};
use marginalia::workspace::{AttributeError, Workspace};
use serde_json::Value;

const TEXT: &str = "North Korea fired a Hwasong-15 missile. The ministry said it flew 950 km.\n";

fn workspace(dir: &Path) -> Workspace {
    workspace_with_text(dir, TEXT)
}

fn tag(workspace: &mut Workspace, needle: &str, label: &str) -> AnnotationId {
    let document = workspace.project().documents()[0].id;
    let byte = TEXT.find(needle).expect("needle");
    let start = CharPos(TEXT[..byte].chars().count());
    let span = Span::between(start, start.forward(needle.chars().count()));
    workspace
        .annotate(document, span, &LabelId(label.into()))
        .expect("annotate")
}

fn equipment() -> LabelId {
    LabelId("equipment".into())
}

fn define(workspace: &mut Workspace) {
    workspace
        .add_attribute(
            &equipment(),
            AttributeDef {
                name: "Range (km)".to_owned(),
                kind: AttributeKind::Number,
            },
        )
        .expect("number");
    workspace
        .add_attribute(
            &equipment(),
            AttributeDef {
                name: "Verified".to_owned(),
                kind: AttributeKind::YesNo,
            },
        )
        .expect("yes/no");
    workspace
        .add_attribute(
            &equipment(),
            AttributeDef {
                name: "Class".to_owned(),
                kind: AttributeKind::Choice(vec!["ICBM".to_owned(), "SRBM".to_owned()]),
            },
        )
        .expect("choice");
}

/// A project with the Hwasong-15 tagged as equipment and all three attributes filled.
fn filled(dir: &Path) -> (Workspace, AnnotationId) {
    let mut w = workspace(dir);
    define(&mut w);
    let missile = tag(&mut w, "Hwasong-15 missile", "equipment");
    w.set_attribute_value(missile, "Range (km)", "950")
        .expect("number");
    w.set_attribute_value(missile, "Verified", "n").expect("no");
    w.set_attribute_value(missile, "Class", "icbm")
        .expect("choice");
    (w, missile)
}

fn values(w: &Workspace, id: AnnotationId) -> Vec<(String, String)> {
    w.project()
        .annotation(id)
        .expect("annotation")
        .attrs
        .values
        .clone()
        .into_iter()
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

#[test]
fn values_are_checked_against_their_kind_and_stored_canonically() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut w, missile) = filled(dir.path());
    assert_eq!(
        values(&w, missile),
        pairs(&[("Class", "ICBM"), ("Range (km)", "950"), ("Verified", "no")])
    );
    let before = values(&w, missile);
    for (name, bad) in [
        ("Range (km)", "far"),
        ("Verified", "perhaps"),
        ("Class", "cruise"),
    ] {
        assert!(matches!(
            w.set_attribute_value(missile, name, bad),
            Err(AttributeError::BadValue { .. })
        ));
    }
    assert!(matches!(
        w.set_attribute_value(missile, "Colour", "red"),
        Err(AttributeError::UnknownAttribute { .. })
    ));
    assert_eq!(values(&w, missile), before, "refused values change nothing");

    // An empty value clears; undo brings it back.
    w.set_attribute_value(missile, "Verified", "")
        .expect("clear");
    assert!(!values(&w, missile).iter().any(|(n, _)| n == "Verified"));
    w.undo().expect("undo");
    assert_eq!(values(&w, missile), before);

    // Definitions are checked too.
    assert!(matches!(
        w.add_attribute(
            &equipment(),
            AttributeDef {
                name: "Class".to_owned(),
                kind: AttributeKind::Text
            }
        ),
        Err(AttributeError::DuplicateName { .. })
    ));
    assert!(matches!(
        w.add_attribute(
            &equipment(),
            AttributeDef {
                name: "Stage".to_owned(),
                kind: AttributeKind::Choice(vec![" ".to_owned()])
            }
        ),
        Err(AttributeError::NoOptions)
    ));
}

#[test]
fn a_rename_carries_the_values_and_a_delete_takes_them_one_step_each() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut w, missile) = filled(dir.path());
    w.update_attribute(
        &equipment(),
        "Range (km)",
        AttributeDef {
            name: "Range".to_owned(),
            kind: AttributeKind::Number,
        },
    )
    .expect("rename");
    assert_eq!(
        values(&w, missile),
        pairs(&[("Class", "ICBM"), ("Range", "950"), ("Verified", "no")])
    );
    w.undo().expect("undo rename");
    assert_eq!(
        values(&w, missile),
        pairs(&[("Class", "ICBM"), ("Range (km)", "950"), ("Verified", "no")])
    );
    let label = w
        .project()
        .schema
        .label(&equipment())
        .expect("label")
        .clone();
    assert!(
        label.attribute("Range (km)").is_some(),
        "the definition is back too"
    );

    assert_eq!(w.attribute_usage(&equipment(), "Class"), 1);
    assert_eq!(
        w.delete_attribute(&equipment(), "Class").expect("delete"),
        1
    );
    assert!(!values(&w, missile).iter().any(|(n, _)| n == "Class"));
    let label = w.project().schema.label(&equipment()).expect("label");
    assert!(label.attribute("Class").is_none());
    w.undo().expect("undo delete");
    assert_eq!(w.attribute_usage(&equipment(), "Class"), 1);
}

#[test]
fn definitions_and_values_survive_save_and_reload() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut w, missile) = filled(dir.path());
    w.save().expect("save");
    let saved = std::fs::read_to_string(dir.path().join("p.ron")).expect("read");
    assert!(
        saved.contains("(name: \"Range (km)\", kind: Number)"),
        "{saved}"
    );
    let reloaded = Workspace::open(&dir.path().join("p.ron")).expect("open");
    assert_eq!(values(&reloaded, missile), values(&w, missile));
    assert_eq!(
        reloaded.project().schema.label(&equipment()),
        w.project().schema.label(&equipment())
    );
}

fn export(w: &Workspace, format: Format, out: &Path) {
    let set = w.annotation_set(&Selection::default());
    formats::export(&set, format, ExportOptions::default(), out).expect("export");
}

#[test]
fn every_export_with_room_carries_the_values() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (w, missile) = filled(dir.path());

    let out = dir.path().join("a.jsonl");
    export(&w, Format::Jsonl, &out);
    let text = std::fs::read_to_string(&out).expect("read");
    let line: Value = serde_json::from_str(text.lines().next().expect("line")).expect("json");
    let attributes = &line["spans"][0]["attributes"];
    assert_eq!(attributes["Range (km)"], "950");
    assert_eq!(attributes["Class"], "ICBM");

    let out = dir.path().join("a.csv");
    export(&w, Format::Csv, &out);
    let row = &csv_rows(&out)[0];
    assert_eq!(row["attribute: Range (km)"], "950");
    assert_eq!(row["attribute: Verified"], "no");

    let out = dir.path().join("brat");
    export(&w, Format::Brat, &out);
    let ann = std::fs::read_to_string(out.join("a.ann")).expect("ann");
    assert!(ann.lines().any(|l| l.ends_with("\tClass T1 ICBM")), "{ann}");
    assert!(
        ann.lines().any(|l| l.ends_with("\tVerified T1 no")),
        "{ann}"
    );
    assert!(
        ann.lines().any(|l| l.ends_with("\tRange_(km) T1\t950")),
        "text and numbers as comments: {ann}"
    );
    let conf = std::fs::read_to_string(out.join("annotation.conf")).expect("conf");
    assert!(
        conf.contains("Class\tArg:Equipment, Value:ICBM|SRBM"),
        "{conf}"
    );
    assert!(
        conf.contains("Verified\tArg:Equipment, Value:yes|no"),
        "{conf}"
    );

    let out = dir.path().join("a.jsonld");
    export(&w, Format::W3c, &out);
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("read")).expect("json");
    let bodies = json["first"]["items"][0]["body"]
        .as_array()
        .expect("bodies")
        .clone();
    assert!(
        bodies
            .iter()
            .any(|b| b["purpose"] == "describing" && b["value"] == "Range (km): 950"),
        "{bodies:?}"
    );

    let out = dir.path().join("a.html");
    export(&w, Format::Html, &out);
    let html = std::fs::read_to_string(&out).expect("read");
    assert!(html.contains("<h3>Attributes</h3>"));
    assert!(html.contains("Class: ICBM; Range (km): 950; Verified: no"));

    let out = dir.path().join("a.qdpx");
    export(&w, Format::Refi, &out);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).expect("open")).expect("zip");
    let mut qde = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("project.qde").expect("qde"), &mut qde)
        .expect("read");
    assert!(qde.contains(&format!("Attributes of annotation {}", missile.0)));
    assert!(qde.contains("Range (km): 950"));
}

#[test]
fn define_an_attribute_in_the_schema_window_and_fill_it_in_the_inspector() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut w = workspace(dir.path());
    let id = tag(&mut w, "Hwasong-15 missile", "equipment");
    let mut h = harness(w);

    // View > Schema…, Equipment's "Attributes…", add a number and a choice.
    press_with(&mut h, CTRL_SHIFT, Key::K);
    click_label(&mut h, "Attributes of label equipment");
    h.get_by_label("Name of new attribute").focus();
    h.get_by_label("Name of new attribute")
        .type_text("Range (km)");
    settle(&mut h);
    h.get_by_label("Kind of new attribute").click();
    settle(&mut h);
    h.get_by_label("number").click();
    settle(&mut h);
    click_label(&mut h, "Add attribute");
    h.get_by_label("Name of new attribute").focus();
    h.get_by_label("Name of new attribute").type_text("Class");
    settle(&mut h);
    h.get_by_label("Kind of new attribute").click();
    settle(&mut h);
    h.get_by_label("choice").click();
    settle(&mut h);
    h.get_by_label("Options of new attribute").focus();
    h.get_by_label("Options of new attribute")
        .type_text("ICBM, SRBM");
    settle(&mut h);
    click_label(&mut h, "Add attribute");
    let label = h
        .state()
        .workspace()
        .project()
        .schema
        .label(&equipment())
        .expect("label")
        .clone();
    assert_eq!(
        label.attributes,
        [
            AttributeDef {
                name: "Range (km)".to_owned(),
                kind: AttributeKind::Number
            },
            AttributeDef {
                name: "Class".to_owned(),
                kind: AttributeKind::Choice(vec!["ICBM".to_owned(), "SRBM".to_owned()])
            }
        ]
    );
    press(&mut h, Key::Escape);

    // Select the mention; type the range and pick the class in the inspector.
    h.state_mut()
        .push_action(marginalia::gui::Action::Select(Some(id)));
    settle(&mut h);
    h.get_by_label("Attribute Range (km)").focus();
    h.get_by_label("Attribute Range (km)").type_text("950");
    settle(&mut h);
    h.get_by_label("Attribute Class").click();
    settle(&mut h);
    h.get_by_label("ICBM").click();
    settle(&mut h);
    let w = h.state().workspace();
    assert_eq!(
        values(w, id),
        pairs(&[("Class", "ICBM"), ("Range (km)", "950")])
    );
    // Typing the number was one undo step; the choice another.
    press_with(&mut h, CTRL, Key::Z);
    press_with(&mut h, CTRL, Key::Z);
    assert!(values(h.state().workspace(), id).is_empty());
}
