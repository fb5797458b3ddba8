//! Changing the schema: add, rename, recolour, rekey, delete (with what is tagged) and the
//! relation kinds, in the core and through the Schema window; every change one undo step
//! that survives a save.

use crate::common;

use common::*;
use eframe::egui::Key;
use egui_kittest::kittest::Queryable;
use marginalia::model::{LabelId, LabelKind};
use marginalia::workspace::Workspace;

fn sample_copy() -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().expect("tempdir");
    let projects = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("projects");
    for name in ["us-allies-missile-defence.ron", ARTICLE] {
        std::fs::copy(projects.join(name), dir.path().join(name)).expect("copy");
    }
    let workspace =
        Workspace::open(&dir.path().join("us-allies-missile-defence.ron")).expect("open");
    (dir, workspace)
}

#[test]
fn schema_changes_in_the_core_are_undoable_and_saved() {
    let (dir, mut w) = sample_copy();
    let equipment = LabelId("equipment".into());
    let tagged = w.label_usage(&equipment);
    assert!(tagged > 0);

    let id = w
        .add_label("Weapon system", LabelKind::Entity)
        .expect("add");
    assert_eq!(id.as_str(), "weapon-system");
    let added = w.project().schema.label(&id).expect("label").clone();
    assert_eq!(added.key, Some('8'), "the first free key");
    assert!(w.add_label("  ", LabelKind::Entity).is_err());

    let mut renamed = w.project().schema.label(&equipment).expect("label").clone();
    renamed.name = "Equipment & systems".to_owned();
    renamed.key = Some('8');
    assert!(w.update_label(renamed.clone()).is_err(), "key 8 is taken");
    renamed.key = Some('9');
    w.update_label(renamed).expect("rename");
    assert_eq!(
        w.label_usage(&equipment),
        tagged,
        "annotations follow the rename"
    );

    // Entities are of this kind: merge or delete them first.
    assert!(w.delete_label(&equipment).is_err());
    let empty = w.add_label("Scratch", LabelKind::Claim).expect("add");
    w.delete_label(&empty).expect("delete unused");
    assert!(w.project().schema.label(&empty).is_none());

    w.set_relation_kinds(&["supports".to_owned(), "cites".to_owned()])
        .expect("kinds");
    assert!(
        w.set_relation_kinds(&["a".to_owned(), "a".to_owned()])
            .is_err()
    );
    w.save().expect("save");
    let reopened =
        Workspace::open(&dir.path().join("us-allies-missile-defence.ron")).expect("reopen");
    let schema = &reopened.project().schema;
    assert_eq!(
        schema.label(&equipment).map(|l| (l.name.as_str(), l.key)),
        Some(("Equipment & systems", Some('9')))
    );
    assert!(schema.label(&id).is_some());
    assert_eq!(schema.relation_kinds, ["supports", "cites"]);
    // The sample's existing relations keep their kinds.
    assert!(
        reopened
            .project()
            .relations()
            .any(|r| r.kind == "contradicts")
    );
}

#[test]
fn rename_add_and_delete_labels_in_the_schema_window() {
    let (_dir, workspace) = sample_copy();
    let mut h = harness(workspace);
    press_with(&mut h, CTRL_SHIFT, Key::K);

    // Rename Claim to "Assertion": the label bar follows, annotations keep their label.
    let claims = h.state().workspace().label_usage(&LabelId("claim".into()));
    h.get_by_label("Name of label claim").focus();
    press_with(&mut h, CTRL, Key::A);
    h.get_by_label("Name of label claim").type_text("Assertion");
    settle(&mut h);
    click_label(&mut h, "Apply changes to label claim");
    let schema = &h.state().workspace().project().schema;
    assert_eq!(
        schema
            .label(&LabelId("claim".into()))
            .map(|l| l.name.as_str()),
        Some("Assertion")
    );
    assert_eq!(
        h.state().workspace().label_usage(&LabelId("claim".into())),
        claims
    );
    h.get_by_label_contains("1 Assertion");

    // Add a quote label.
    h.get_by_label("New label name").focus();
    h.get_by_label("New label name").type_text("Statement");
    settle(&mut h);
    click_label(&mut h, "Add label");
    let statement = LabelId("statement".into());
    assert!(
        h.state()
            .workspace()
            .project()
            .schema
            .label(&statement)
            .is_some()
    );

    // Deleting a label in use asks first, then takes its annotations along; undo restores.
    let quotes = h.state().workspace().label_usage(&LabelId("quote".into()));
    let total = h.state().workspace().project().annotation_count();
    click_label(&mut h, "Delete label quote");
    assert!(
        h.state()
            .workspace()
            .project()
            .schema
            .label(&LabelId("quote".into()))
            .is_some()
    );
    h.get_by_label_contains(&format!("the {quotes} annotation(s) tagged with it"));
    click_label(&mut h, "Delete label and annotations");
    let project = h.state().workspace().project();
    assert!(project.schema.label(&LabelId("quote".into())).is_none());
    assert_eq!(project.annotation_count(), total - quotes);
    press_with(&mut h, CTRL, Key::Z);
    let project = h.state().workspace().project();
    assert!(project.schema.label(&LabelId("quote".into())).is_some());
    assert_eq!(project.annotation_count(), total);
}
