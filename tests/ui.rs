//! The real app driven headless with `egui_kittest`: mouse drags, clicks and keys, with
//! assertions on the resulting project state.

use crate::common;

use common::*;
use eframe::egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use marginalia::cli::open_paths;
use marginalia::workspace::Workspace;

/// The app showing a fresh copy of the reference article in an untitled project.
fn app_on_article() -> (
    tempfile::TempDir,
    egui_kittest::Harness<'static, marginalia::gui::MarginaliaApp>,
) {
    let (dir, article) = temp_article();
    let (workspace, problems) = open_paths(&[article]);
    assert!(problems.is_empty(), "{problems:?}");
    (dir, harness(workspace))
}

#[test]
fn drag_over_chuck_hagel_and_press_3_tags_a_person() {
    let (_dir, mut h) = app_on_article();
    let start = find(&h, "Chuck Hagel", 0);
    drag_chars(&mut h, start, start.forward(11), Modifiers::NONE);
    assert!(
        h.state().text_selection().is_some(),
        "the drag selected text"
    );
    press(&mut h, Key::Num3);
    assert_eq!(
        labels_and_texts(&h),
        [("person".to_owned(), "Chuck Hagel".to_owned())]
    );
    let annotation = &annotations(&h)[0];
    assert_eq!(annotation.span.start(), start);
    assert_eq!(
        h.state().selected(),
        Some(annotation.id),
        "the new annotation is selected"
    );
    assert!(h.state().text_selection().is_none());
}

#[test]
fn a_drag_starting_and_ending_mid_word_snaps_to_whole_words() {
    let (_dir, mut h) = app_on_article();
    let start = find(&h, "Chuck Hagel", 0);
    // From inside "Chuck" ("C|huck") to inside "Hagel" ("Hag|el").
    drag_chars(&mut h, start.forward(2), start.forward(9), Modifiers::NONE);
    press(&mut h, Key::Num3);
    assert_eq!(
        labels_and_texts(&h),
        [("person".to_owned(), "Chuck Hagel".to_owned())]
    );
}

#[test]
fn alt_drag_selects_exact_characters() {
    let (_dir, mut h) = app_on_article();
    let start = find(&h, "Chuck Hagel", 0);
    drag_chars(&mut h, start.forward(1), start.forward(9), Modifiers::ALT);
    press(&mut h, Key::Num3);
    assert_eq!(
        labels_and_texts(&h),
        [("person".to_owned(), "huck Hag".to_owned())]
    );
}

#[test]
fn undo_and_redo_with_ctrl_z_ctrl_shift_z_and_ctrl_y() {
    let (_dir, mut h) = app_on_article();
    tag(&mut h, "Chuck Hagel", 0, Key::Num3);
    assert_eq!(annotations(&h).len(), 1);

    press_with(&mut h, CTRL, Key::Z);
    assert!(annotations(&h).is_empty(), "Ctrl+Z removed it");
    press_with(&mut h, CTRL_SHIFT, Key::Z);
    assert_eq!(
        labels_and_texts(&h),
        [("person".to_owned(), "Chuck Hagel".to_owned())]
    );

    press_with(&mut h, CTRL, Key::Z);
    assert!(annotations(&h).is_empty());
    press_with(&mut h, CTRL, Key::Y);
    assert_eq!(annotations(&h).len(), 1, "Ctrl+Y redoes too");
}

#[test]
fn edit_menu_shows_undo_and_redo_with_their_shortcuts() {
    let (_dir, mut h) = app_on_article();
    click_label(&mut h, "Edit");
    let undo = h.get_by_label_contains("Undo");
    assert!(format!("{undo:?}").contains("Ctrl+Z"), "{undo:?}");
    let redo = h.get_by_label_contains("Redo");
    assert!(format!("{redo:?}").contains("Ctrl+Shift+Z"), "{redo:?}");
}

#[test]
fn clicking_a_label_button_tags_the_selection() {
    let (_dir, mut h) = app_on_article();
    let start = find(&h, "Singapore", 0);
    drag_chars(&mut h, start, start.forward(9), Modifiers::NONE);
    click_label(&mut h, "5 Location");
    assert_eq!(
        labels_and_texts(&h),
        [("location".to_owned(), "Singapore".to_owned())]
    );
}

#[test]
fn nested_annotations_are_created_and_repeated_clicks_cycle_through_layers() {
    let (_dir, mut h) = app_on_article();
    // A claim over the caption's first clause, then a person inside it.
    let claim_start = find(&h, "U.S. Defense Secretary Chuck Hagel meets", 0);
    let claim_end = find(&h, "Kim Kwan-jin", 0).forward("Kim Kwan-jin".chars().count());
    drag_chars(&mut h, claim_start, claim_end, Modifiers::NONE);
    press(&mut h, Key::Num1);
    let person = tag(&mut h, "Chuck Hagel", 0, Key::Num3);
    let all = labels_and_texts(&h);
    assert_eq!(all.len(), 2, "{all:?}");
    assert!(all.contains(&(
        "claim".to_owned(),
        "U.S. Defense Secretary Chuck Hagel meets with South Korean Defense Minister Kim Kwan-jin"
            .to_owned()
    )));
    let claim_id = annotations(&h)
        .iter()
        .find(|a| a.label.as_str() == "claim")
        .expect("claim")
        .id;
    let person_id = annotations(&h)
        .iter()
        .find(|a| a.label.as_str() == "person")
        .expect("person")
        .id;

    press(&mut h, Key::Escape);
    assert_eq!(h.state().selected(), None);
    let on_hagel = screen(&h, person.forward(3));
    click_at(&mut h, on_hagel);
    assert_eq!(
        h.state().selected(),
        Some(person_id),
        "innermost layer first"
    );
    click_at(&mut h, on_hagel);
    assert_eq!(
        h.state().selected(),
        Some(claim_id),
        "then the enclosing claim"
    );
    click_at(&mut h, on_hagel);
    assert_eq!(h.state().selected(), Some(person_id), "and around again");

    // Outside the person but inside the claim: only the claim.
    let on_meets = screen(&h, find(&h, "meets", 0).forward(2));
    click_at(&mut h, on_meets);
    assert_eq!(h.state().selected(), Some(claim_id));
}

#[test]
fn delete_removes_the_selected_annotation_and_undo_restores_it() {
    let (_dir, mut h) = app_on_article();
    tag(&mut h, "Singapore", 0, Key::Num5);
    assert!(h.state().selected().is_some());
    press(&mut h, Key::Delete);
    assert!(annotations(&h).is_empty());
    press_with(&mut h, CTRL, Key::Z);
    assert_eq!(
        labels_and_texts(&h),
        [("location".to_owned(), "Singapore".to_owned())]
    );
}

#[test]
fn a_number_key_with_an_annotation_selected_relabels_it() {
    let (_dir, mut h) = app_on_article();
    tag(&mut h, "Singapore", 0, Key::Num4);
    press(&mut h, Key::Num5);
    assert_eq!(
        labels_and_texts(&h),
        [("location".to_owned(), "Singapore".to_owned())]
    );
    press_with(&mut h, CTRL, Key::Z);
    assert_eq!(
        labels_and_texts(&h),
        [("organization".to_owned(), "Singapore".to_owned())]
    );
}

#[test]
fn the_note_is_edited_in_the_inspector_as_one_undo_step() {
    let (_dir, mut h) = app_on_article();
    tag(&mut h, "Chuck Hagel", 0, Key::Num3);
    h.get_by_label("Annotation note").click();
    settle(&mut h);
    h.get_by_label("Annotation note")
        .type_text("US defense secretary");
    settle(&mut h);
    assert_eq!(annotations(&h)[0].note, "US defense secretary");
    // Leave the field, then one undo takes the whole note back.
    press(&mut h, Key::Escape);
    h.get_by_label("Document text").click();
    settle(&mut h);
    press_with(&mut h, CTRL, Key::Z);
    assert_eq!(annotations(&h).len(), 1);
    assert_eq!(annotations(&h)[0].note, "");
}

#[test]
fn the_annotation_list_filters_by_label_and_jumps_on_click() {
    let (_dir, mut h) = app_on_article();
    for (needle, key) in [("Chuck Hagel", Key::Num3), ("Singapore", Key::Num5)] {
        let start = find(&h, needle, 0);
        drag_chars(
            &mut h,
            start,
            start.forward(needle.chars().count()),
            Modifiers::NONE,
        );
        press(&mut h, key);
    }
    press(&mut h, Key::Escape);
    assert!(h.query_by_label_contains("Person: Chuck Hagel").is_some());
    assert!(h.query_by_label_contains("Location: Singapore").is_some());

    click_label(&mut h, "Filter by label");
    click_label(&mut h, "Person");
    assert!(h.query_by_label_contains("Person: Chuck Hagel").is_some());
    assert!(
        h.query_by_label_contains("Location: Singapore").is_none(),
        "filtered out"
    );

    h.get_by_label_contains("Person: Chuck Hagel").click();
    settle(&mut h);
    let hagel = annotations(&h)
        .into_iter()
        .find(|a| a.label.as_str() == "person")
        .expect("person");
    assert_eq!(h.state().selected(), Some(hagel.id));
}

#[test]
fn ctrl_s_saves_and_reopening_gives_the_same_annotations_at_the_same_characters() {
    let (dir, article) = temp_article();
    let project = dir.path().join("analysis.ron");
    let (workspace, problems) = open_paths(&[project.clone(), article]);
    assert!(problems.is_empty(), "{problems:?}");
    let mut h = harness(workspace);
    assert!(
        h.state().title().starts_with("● analysis"),
        "{}",
        h.state().title()
    );
    let claim_start = find(&h, "The United States and its East Asia allies", 0);
    let claim_end = find(&h, "North Korean missile threat", 0).forward(27);
    drag_chars(&mut h, claim_start, claim_end, Modifiers::NONE);
    press(&mut h, Key::Num1);
    for (needle, key) in [("United States", Key::Num5), ("Chuck Hagel", Key::Num3)] {
        let start = find(&h, needle, 0);
        drag_chars(
            &mut h,
            start,
            start.forward(needle.chars().count()),
            Modifiers::NONE,
        );
        press(&mut h, key);
    }
    press_with(&mut h, CTRL, Key::S);
    assert!(project.exists(), "Ctrl+S wrote the project file");
    assert!(!h.state().workspace().is_dirty());
    assert_eq!(h.state().title(), "analysis — Marginalia");

    let before = annotations(&h);
    assert_eq!(before.len(), 3);
    let reopened = Workspace::open(&project).expect("reopen");
    let after: Vec<_> = reopened
        .project()
        .annotations_sorted()
        .into_iter()
        .cloned()
        .collect();
    assert_eq!(after, before);
    let document = reopened.project().documents()[0].id;
    let text = reopened.text(document).expect("text");
    for annotation in &after {
        assert_eq!(text.slice(annotation.span), Some(annotation.text()));
    }

    // And the app opened on that project shows them on its (last viewed) document.
    let mut h2 = harness(Workspace::open(&project).expect("open"));
    settle(&mut h2);
    assert_eq!(h2.state().current_document(), Some(document));
    assert_eq!(annotations(&h2), before);
}

#[test]
fn ctrl_o_without_native_dialog_offers_a_path_field_that_opens_the_article() {
    let (_dir, article) = temp_article();
    let mut h = harness(Workspace::untitled());
    assert_eq!(h.state().current_document(), None);
    press_with(&mut h, CTRL, Key::O);
    let field = h.get_by_label("Path");
    field.focus();
    settle(&mut h);
    h.get_by_label("Path")
        .type_text(&article.display().to_string());
    settle(&mut h);
    click_label(&mut h, "Open");
    let app = h.state();
    let id = app.current_document().expect("the article is shown");
    let document = app.workspace().project().document(id).expect("document");
    assert_eq!(
        document.metadata.title.as_deref(),
        Some("U.S., Allies Agree to Further Study Intel Swaps on North Korea Missiles")
    );
    assert_eq!(document.char_len, 6400);
}

#[test]
fn opening_an_unsupported_file_shows_an_error_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pdf = dir.path().join("report.doc");
    std::fs::write(&pdf, b"\xd0\xcf\x11\xe0 Word 97").expect("write");
    let mut h = harness(Workspace::untitled());
    h.state_mut()
        .push_action(marginalia::gui::Action::OpenPaths(vec![pdf.clone()]));
    settle(&mut h);
    let messages = h.state().messages();
    assert_eq!(messages.len(), 1);
    assert!(
        messages[0].contains("unsupported file type"),
        "{messages:?}"
    );
    assert!(messages[0].ends_with(&pdf.display().to_string()));
    assert!(
        h.query_by_label_contains("unsupported file type").is_some(),
        "shown as a toast"
    );
    assert!(h.state().workspace().project().documents().is_empty());
}

#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl eframe::egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn dropping_a_file_on_the_window_opens_it() {
    let (_dir, article) = temp_article();
    let mut h = harness(Workspace::untitled());
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(article)));
    settle(&mut h);
    assert!(h.state().current_document().is_some());
    assert_eq!(h.state().workspace().project().documents().len(), 1);
}

#[test]
fn documents_list_switches_documents() {
    let (dir, article) = temp_article();
    let second = dir.path().join("second.md");
    std::fs::write(&second, "# Second article\n\nPatrick Cronin said so.").expect("write");
    let (workspace, _) = open_paths(&[article, second]);
    let mut h = harness(workspace);
    let shown = h.state().current_document();
    // Documents are listed in path order: the article (us-…) after second.md.
    let first = h.state().workspace().project().documents()[1].id;
    assert_ne!(shown, Some(first), "the last file given is shown");
    h.get_by_label_contains("U.S., Allies Agree to Further Study")
        .click();
    settle(&mut h);
    assert_eq!(h.state().current_document(), Some(first));
}

#[test]
fn quitting_with_unsaved_changes_asks_save_discard_cancel() {
    let (dir, article) = temp_article();
    let project = dir.path().join("p.ron");
    let (workspace, _) = open_paths(&[project.clone(), article]);
    let mut h = harness(workspace);
    tag(&mut h, "Singapore", 0, Key::Num5);

    press_with(&mut h, CTRL, Key::Q);
    assert!(h.state().is_asking_to_save());
    click_label(&mut h, "Cancel");
    assert!(!h.state().is_asking_to_save());
    assert!(!h.state().close_allowed(), "Cancel keeps the window open");

    press_with(&mut h, CTRL, Key::Q);
    click_label(&mut h, "Save");
    assert!(h.state().close_allowed());
    let saved = Workspace::open(&project).expect("saved before closing");
    assert_eq!(saved.project().annotation_count(), 1);
}

#[test]
fn discarding_closes_without_writing() {
    let (dir, article) = temp_article();
    let project = dir.path().join("p.ron");
    let (workspace, _) = open_paths(&[project.clone(), article]);
    let mut h = harness(workspace);
    press_with(&mut h, CTRL, Key::Q);
    click_label(&mut h, "Discard");
    assert!(h.state().close_allowed());
    assert!(!project.exists());
}

#[test]
fn hovering_an_annotation_shows_its_label_and_text() {
    let (_dir, mut h) = app_on_article();
    let start = tag(&mut h, "Chuck Hagel", 0, Key::Num3);
    assert!(h.query_by_label("Person").is_none(), "no tooltip yet");
    let pos = screen(&h, start.forward(4));
    h.hover_at(pos);
    settle(&mut h);
    // egui shows tooltips after a short delay.
    std::thread::sleep(std::time::Duration::from_millis(600));
    h.hover_at(pos);
    h.run_steps(3);
    assert!(
        h.query_by_label("Person").is_some(),
        "the tooltip names the label"
    );
    assert!(h.query_by_label("Chuck Hagel").is_some(), "and the text");
}

#[test]
fn save_as_asks_for_a_path_and_writes_there() {
    let (dir, mut h) = app_on_article();
    tag(&mut h, "Singapore", 0, Key::Num5);
    press_with(&mut h, CTRL_SHIFT, Key::S);
    let target = dir.path().join("saved-as");
    h.get_by_label("Path").focus();
    settle(&mut h);
    h.get_by_label("Path")
        .type_text(&target.display().to_string());
    settle(&mut h);
    click_label(&mut h, "Save");
    let written = target.with_extension("ron");
    assert!(written.exists(), "the .ron extension is added");
    assert_eq!(h.state().workspace().path(), Some(written.as_path()));
    assert_eq!(h.state().title(), "saved-as — Marginalia");
    let reopened = Workspace::open(&written).expect("reopen");
    assert_eq!(reopened.project().annotation_count(), 1);
}

#[test]
fn ctrl_s_on_an_untitled_project_asks_where_to_save() {
    let (_dir, mut h) = app_on_article();
    press_with(&mut h, CTRL, Key::S);
    assert!(
        h.query_by_label("Path").is_some(),
        "Save falls back to Save As"
    );
}

#[test]
fn f1_lists_the_shortcuts_and_the_theme_toggles() {
    let (_dir, mut h) = app_on_article();
    press(&mut h, Key::F1);
    assert!(h.query_by_label("Keyboard shortcuts").is_some());
    assert!(h.query_by_label("Tag as Person").is_some());
    let dark = h.ctx.theme();
    press_with(&mut h, CTRL_SHIFT, Key::T);
    assert_ne!(h.ctx.theme(), dark);
}

#[test]
fn file_export_writes_the_chosen_format_and_shows_the_fidelity_report() {
    let (dir, mut h) = app_on_article();
    tag(&mut h, "Chuck Hagel", 0, Key::Num3);
    tag(
        &mut h,
        "The United States and its East Asia allies",
        0,
        Key::Num1,
    );

    press_with(&mut h, CTRL, Key::E);
    click_label(&mut h, "Format");
    click_label(&mut h, "CoNLL");
    let out = dir.path().join("people.conll");
    let field = h.get_by_label("Export path");
    field.focus();
    settle(&mut h);
    h.key_press_modifiers(CTRL, Key::A);
    h.get_by_label("Export path")
        .type_text(&out.display().to_string());
    settle(&mut h);
    click_label(&mut h, "Export");
    let conll = std::fs::read_to_string(&out).expect("the export was written");
    assert!(conll.contains("Chuck -X- _ B-Person"), "{conll}");
    assert!(
        h.query_by_label("Export path").is_none(),
        "the dialog closes once the export is written (issue 20, item 12)"
    );
    assert_eq!(
        h.query_all_by_label_contains("1 claim(s) and quote(s) not exported")
            .count(),
        1,
        "the report stays as a message"
    );
    assert!(
        h.state()
            .messages()
            .iter()
            .any(|m| m.starts_with("CoNLL: 1 annotation(s)"))
    );

    // Again, another format, claims left out.
    press_with(&mut h, CTRL, Key::E);
    click_label(&mut h, "Format");
    click_label(&mut h, "CSV");
    click_label(&mut h, "Claims");
    let out = dir.path().join("no-claims.csv");
    h.get_by_label("Export path").focus();
    settle(&mut h);
    h.key_press_modifiers(CTRL, Key::A);
    h.get_by_label("Export path")
        .type_text(&out.display().to_string());
    settle(&mut h);
    click_label(&mut h, "Export");
    let csv = std::fs::read_to_string(&out).expect("the CSV was written");
    let rows = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .count();
    assert_eq!(rows, 1, "the person only: {csv}");
    assert!(
        csv.contains("Chuck Hagel") && !csv.contains(",claim,"),
        "{csv}"
    );
}

/// Issue 15, item 2: the export dialog refuses the document's own source file and says so.
#[test]
fn the_export_dialog_refuses_to_write_over_the_document() {
    let (dir, mut h) = app_on_article();
    tag(&mut h, "Chuck Hagel", 0, Key::Num3);
    let article = dir.path().join(ARTICLE);
    let before = std::fs::read(&article).expect("read");
    press_with(&mut h, CTRL, Key::E);
    click_label(&mut h, "Format");
    click_label(&mut h, "CSV");
    h.get_by_label("Export path").focus();
    settle(&mut h);
    h.key_press_modifiers(CTRL, Key::A);
    h.get_by_label("Export path")
        .type_text(&article.display().to_string());
    settle(&mut h);
    click_label(&mut h, "Export");
    settle(&mut h);
    assert!(
        h.state()
            .messages()
            .iter()
            .any(|m| m.starts_with("not exported: the target is the source of the document")),
        "{:?}",
        h.state().messages()
    );
    assert_eq!(std::fs::read(&article).expect("read"), before);
}

#[test]
fn file_import_reads_brat_files_as_one_undo_step() {
    let (dir, article) = temp_article();
    let ann = article.with_extension("ann");
    std::fs::write(
        &ann,
        "T1\tPerson 96 107\tChuck Hagel\n#1\tAnnotatorNotes T1\tSecDef\n",
    )
    .expect("write");
    let (workspace, _) = open_paths(&[dir.path().join("p.ron"), article]);
    let mut h = harness(workspace);
    press_with(&mut h, CTRL, Key::I);
    h.get_by_label("Import paths").focus();
    settle(&mut h);
    h.get_by_label("Import paths")
        .type_text(&ann.display().to_string());
    settle(&mut h);
    click_label(&mut h, "Import");
    assert_eq!(
        labels_and_texts(&h),
        [("person".to_owned(), "Chuck Hagel".to_owned())]
    );
    assert_eq!(annotations(&h)[0].note, "SecDef");
    assert!(
        h.state()
            .messages()
            .iter()
            .any(|m| m.starts_with("Imported 1 annotation(s)"))
    );
    click_label(&mut h, "Close");
    press_with(&mut h, CTRL, Key::Z);
    assert!(
        annotations(&h).is_empty(),
        "one undo step removes the import"
    );
}

#[test]
fn the_command_line_project_and_article_are_opened_by_the_window_in_the_background() {
    let (dir, article) = temp_article();
    let project = dir.path().join("analysis.ron");
    let mut saved = marginalia::workspace::Workspace::new_at(&project);
    saved.save().expect("an empty project");
    let other = dir.path().join("other.ron");
    let (workspace, open, problems) =
        marginalia::cli::startup(&[project.clone(), article.clone(), other]);
    assert_eq!(
        problems.len(),
        1,
        "only one project opens, the other is named: {problems:?}"
    );
    assert!(problems[0].contains("other.ron"));
    assert!(
        workspace.path().is_none(),
        "the window starts at once, before the project is read"
    );
    let mut h = harness(workspace);
    h.state_mut().open_at_start(open);
    h.step();
    assert!(h.state().busy(), "the project is read on a worker");
    settle(&mut h);
    let app = h.state();
    assert_eq!(app.workspace().path(), Some(project.as_path()));
    let shown = app
        .current_document()
        .expect("the article is added and shown");
    assert!(
        app.workspace()
            .text(shown)
            .expect("text")
            .as_str()
            .contains("Hagel")
    );
    assert_eq!(app.workspace().project().documents().len(), 1);
}

// ---- Right-to-left and mixed-direction text (issue 20, item 1) ----

/// The app on a copy of `tests/data/rtl/<name>`.
fn app_on_rtl(
    name: &str,
) -> (
    tempfile::TempDir,
    egui_kittest::Harness<'static, marginalia::gui::MarginaliaApp>,
) {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/rtl");
    let article = dir.path().join(name);
    std::fs::copy(source.join(name), &article).expect("copy");
    let (workspace, problems) = open_paths(&[article]);
    assert!(problems.is_empty(), "{problems:?}");
    (dir, harness(workspace))
}

/// The characters a reader sees drawn for `text`, sorted: no spaces, no marks drawn on a
/// letter (harakat), no alef (or alef maksura) drawn inside a ligature with the lam before
/// it, nor the i or l of an fi or fl ligature (see [`drawn`]).
fn seen(text: &str) -> Vec<char> {
    let mut out: Vec<char> = Vec::new();
    for c in text.chars() {
        let mark = ('\u{064B}'..='\u{065F}').contains(&c) || c == '\u{0670}';
        let alef_in_ligature = matches!(c, 'ا' | 'أ' | 'إ' | 'آ' | 'ى') && out.last() == Some(&'ل');
        let latin_ligature = matches!(c, 'i' | 'l') && out.last() == Some(&'f');
        if !mark && !alef_in_ligature && !latin_ligature {
            out.push(c);
        }
    }
    drawn(out.into_iter())
}

/// Fails naming the characters highlighted but not selected, and selected but not
/// highlighted.
fn assert_highlight_is(highlight: &[char], selected: &[char], what: &str) {
    let minus = |a: &[char], b: &[char]| {
        let mut rest = b.to_vec();
        a.iter()
            .filter(|c| match rest.iter().position(|r| r == *c) {
                Some(i) => {
                    rest.remove(i);
                    false
                }
                None => true,
            })
            .copied()
            .collect::<String>()
    };
    let extra = minus(highlight, selected);
    let missing = minus(selected, highlight);
    assert!(
        extra.is_empty() && missing.is_empty(),
        "{what}: highlighted but not selected {extra:?}, selected but not highlighted {missing:?}"
    );
}

/// Characters sorted, without spaces, brackets as one sign (a bracket is mirrored in a
/// right-to-left run).
fn drawn(chars: impl Iterator<Item = char>) -> Vec<char> {
    let mut out: Vec<char> = chars
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            ')' => '(',
            ']' => '[',
            '»' => '«',
            other => other,
        })
        .collect();
    out.sort_unstable();
    out
}

/// The characters of the glyphs whose centre lies in the highlight of `span`, sorted as
/// [`seen`] sorts them.
fn highlighted(
    h: &egui_kittest::Harness<'_, marginalia::gui::MarginaliaApp>,
    span: marginalia::model::Span,
) -> Vec<char> {
    let bands = h.state().screen_bands(span);
    drawn(
        h.state()
            .painted_glyphs()
            .into_iter()
            .filter(|(_, rect)| bands.iter().any(|b| b.contains(rect.center())))
            .map(|(c, _)| c),
    )
}

/// The middle of character `pos` on screen.
fn middle_of(
    h: &egui_kittest::Harness<'_, marginalia::gui::MarginaliaApp>,
    pos: marginalia::model::CharPos,
) -> eframe::egui::Pos2 {
    let span = marginalia::model::Span::new(pos, pos.forward(1)).expect("span");
    h.state()
        .screen_bands(span)
        .first()
        .unwrap_or_else(|| panic!("character {pos} is not drawn"))
        .center()
}

fn shown_text(
    h: &egui_kittest::Harness<'_, marginalia::gui::MarginaliaApp>,
    span: marginalia::model::Span,
) -> String {
    let id = h.state().current_document().expect("a document");
    h.state()
        .workspace()
        .text(id)
        .expect("text")
        .slice(span)
        .expect("in the text")
        .to_owned()
}

/// Drags from the middle of the first character of `from` to the middle of the last one
/// of `to` (or the other way round), and checks that the selection is the text from the
/// first to the last, that what is highlighted is exactly what is selected, and that the
/// annotation saved holds the same text.
fn drag_words(
    h: &mut egui_kittest::Harness<'static, marginalia::gui::MarginaliaApp>,
    from: &str,
    to: &str,
    backwards: bool,
) {
    let start = find(h, from, 0);
    let end = find(h, to, 0).forward(to.chars().count());
    let (a, b) = (
        middle_of(h, start),
        middle_of(h, marginalia::model::CharPos(end.0 - 1)),
    );
    let (a, b) = if backwards { (b, a) } else { (a, b) };
    drag(h, a, b, Modifiers::NONE);
    let span = h.state().text_selection().expect("a selection");
    let expected = {
        let id = h.state().current_document().expect("doc");
        let text = h.state().workspace().text(id).expect("text");
        text.slice(marginalia::model::Span::new(start, end).expect("span"))
            .expect("slice")
            .to_owned()
    };
    assert_eq!(shown_text(h, span), expected, "drag {from:?} .. {to:?}");
    assert_highlight_is(&highlighted(h, span), &seen(&expected), &expected);
    let before = annotations(h).len();
    press(h, Key::Num3);
    let saved = annotations(h);
    assert_eq!(saved.len(), before + 1);
    let newest = saved
        .iter()
        .find(|a| a.span == span)
        .expect("saved at the selection");
    assert_eq!(newest.marked_text(), expected);
}

#[test]
fn dragging_over_arabic_saves_the_words_highlighted() {
    let (_dir, mut h) = app_on_rtl("arabic-regime-anticancer.txt");
    // One word, two words, across a line break (the third paragraph wraps), each way.
    for (from, to) in [
        ("نفهم", "نفهم"),
        ("للأغذية", "نتناولها"),
        ("الكائنات", "بساطة"),
        ("أشكال", "الحياة"),
        ("الكائنات", "الحيوانات"),
    ] {
        for backwards in [false, true] {
            drag_words(&mut h, from, to, backwards);
        }
    }
}

#[test]
fn dragging_over_hebrew_and_english_in_one_line_saves_the_words_highlighted() {
    let (_dir, mut h) = app_on_rtl("mixed-hebrew-english.txt");
    for (from, to) in [
        ("Iron", "Dome"),
        ("כיפת", "ברזל"),
        ("דני", "כהן"),
        ("Danny", "Cohen"),
        ("ניו", "זילנד"),
        ("דובר", "הצבא"),
        ("יירטה", "יירטה"),
    ] {
        for backwards in [false, true] {
            drag_words(&mut h, from, to, backwards);
        }
    }
    // The annotation list shows the Hebrew words in the order they are read (egui draws a
    // label's words left to right, each word right to left).
    assert!(
        h.query_all_by_label_contains("ברזל כיפת").count() > 0,
        "the list row of כיפת ברזל"
    );
}

#[test]
fn a_right_to_left_paragraph_reads_from_the_right() {
    let (_dir, mut h) = app_on_rtl("arabic-regime-anticancer.txt");
    settle(&mut h);
    let first = middle_of(&h, find(&h, "حسنًا", 0));
    let next = middle_of(&h, find(&h, "إن أردنا", 0));
    assert!(
        first.x > next.x,
        "the first word is the rightmost: {first:?} {next:?}"
    );
    // The paragraph's closing full stop is drawn at its left end, after "السرطان[1]".
    let stop = middle_of(&h, find(&h, "[1].", 0).forward(3));
    let word = middle_of(&h, find(&h, "«يعمل» السرطان", 0).forward(7));
    assert!(stop.x < word.x, "{stop:?} {word:?}");
    // In the mixed Hebrew line, "Iron Dome" still reads left to right.
    let (_dir, h) = app_on_rtl("mixed-hebrew-english.txt");
    let hebrew_line = find(&h, "Iron Dome יירטה", 0);
    let iron = middle_of(&h, hebrew_line);
    let dome = middle_of(&h, hebrew_line.forward(5));
    assert!(iron.x < dome.x);
    let speaker = middle_of(&h, find(&h, "דובר", 0));
    assert!(speaker.x > dome.x, "the Hebrew line starts at the right");
}

#[test]
fn any_drag_over_right_to_left_text_highlights_exactly_what_it_selects() {
    for name in ["arabic-regime-anticancer.txt", "mixed-hebrew-english.txt"] {
        let (_dir, mut h) = app_on_rtl(name);
        settle(&mut h);
        let glyphs = h.state().painted_glyphs();
        let top = glyphs.iter().map(|(_, r)| r.min.y).fold(f32::MAX, f32::min);
        let bottom = glyphs
            .iter()
            .map(|(_, r)| r.max.y)
            .fold(f32::MIN, f32::max)
            .min(700.0);
        let left = glyphs.iter().map(|(_, r)| r.min.x).fold(f32::MAX, f32::min);
        let right = glyphs.iter().map(|(_, r)| r.max.x).fold(f32::MIN, f32::max);
        // Points spread over the text, dragged between in both directions, exact or not.
        let at = |i: u32| {
            let fx = f32::from(u16::try_from((i * 37) % 100).expect("small")) / 100.0;
            let fy = f32::from(u16::try_from((i * 61) % 100).expect("small")) / 100.0;
            eframe::egui::pos2(left + (right - left) * fx, top + (bottom - top) * fy)
        };
        for i in 0..8 {
            for modifiers in [Modifiers::NONE, Modifiers::ALT] {
                drag(&mut h, at(2 * i), at(2 * i + 1), modifiers);
                let Some(span) = h.state().text_selection() else {
                    continue;
                };
                let text = shown_text(&h, span);
                assert_highlight_is(&highlighted(&h, span), &seen(&text), &text);
            }
        }
    }
}

/// Issue 20, items 13 and 16: the first annotation of a document starts it ("in progress",
/// in the same undo step), and undo and redo say what they did.
#[test]
fn undo_and_redo_say_what_they_did_and_the_first_tag_starts_the_document() {
    let (_dir, mut h) = app_on_article();
    h.get_by_label("Status: to do");
    tag(&mut h, "Chuck Hagel", 0, Key::Num3);
    h.get_by_label("Status: in progress");
    press_with(&mut h, CTRL, Key::Z);
    assert!(annotations(&h).is_empty());
    h.get_by_label("Status: to do");
    assert_said(&h, "Undid: tag Person “Chuck Hagel”");
    press_with(&mut h, CTRL, Key::Y);
    assert_eq!(annotations(&h).len(), 1);
    h.get_by_label("Status: in progress");
    assert_said(&h, "Redid: tag Person “Chuck Hagel”");
    // Deleting, and undoing that.
    let id = annotations(&h)[0].id;
    h.state_mut()
        .push_action(marginalia::gui::Action::Select(Some(id)));
    settle(&mut h);
    press(&mut h, Key::Delete);
    assert!(annotations(&h).is_empty());
    press_with(&mut h, CTRL, Key::Z);
    assert_said(&h, "Undid: delete Person “Chuck Hagel”");
}

/// Issue 20, item 14: Open path… is filled with the project's folder; an absolute path typed
/// after it opens that file (it opened `<project folder>/home/me/a.txt`), a name typed after
/// it a file in the folder.
#[test]
fn open_path_takes_an_absolute_path_typed_after_the_folder() {
    let (project_dir, article) = temp_article();
    let path = project_dir.path().join("p.ron");
    let mut workspace = Workspace::new_at(&path);
    workspace.add_document(&article).expect("add");
    workspace.save().expect("save");
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let other = elsewhere.path().join("other.txt");
    std::fs::write(&other, "Another article, kept elsewhere.").expect("write");
    let mut h = harness(Workspace::open(&path).expect("open"));
    press_with(&mut h, CTRL_SHIFT, Key::O);
    h.get_by_label("Path").focus();
    settle(&mut h);
    h.key_press(Key::End);
    h.get_by_label("Path")
        .type_text(&other.display().to_string());
    settle(&mut h);
    h.key_press(Key::Enter);
    settle(&mut h);
    let shown = h.state().current_document().expect("opened");
    let document = h
        .state()
        .workspace()
        .project()
        .document(shown)
        .expect("doc");
    assert!(document.path.ends_with("other.txt"), "{}", document.path);
    assert_eq!(
        h.state()
            .workspace()
            .text(shown)
            .map(|t| t.as_str().to_owned()),
        Some("Another article, kept elsewhere.".to_owned())
    );
}

/// Issue 20, item 18: the window uses the theme whose contrast the unit test checks (body
/// text at 225 on 27 in the dark theme, 20 on 248 in the light one), not egui's grey.
#[test]
fn the_window_draws_text_at_high_contrast_in_both_themes() {
    let (_dir, h) = app_on_article();
    for (theme, grey) in [
        (eframe::egui::Theme::Dark, 225),
        (eframe::egui::Theme::Light, 20),
    ] {
        assert_eq!(
            h.ctx.style_of(theme).visuals.text_color(),
            eframe::egui::Color32::from_gray(grey)
        );
    }
}

/// Issue 20, item 12: behind the export dialog, Ctrl+S still saves (the modal swallowed it).
#[test]
fn ctrl_s_saves_while_the_export_dialog_is_open() {
    let (dir, article) = temp_article();
    let path = dir.path().join("p.ron");
    let mut workspace = Workspace::new_at(&path);
    workspace.add_document(&article).expect("add");
    workspace.save().expect("save");
    let mut h = harness(Workspace::open(&path).expect("open"));
    tag(&mut h, "Chuck Hagel", 0, Key::Num3);
    assert!(h.state().workspace().is_dirty());
    press_with(&mut h, CTRL, Key::E);
    h.get_by_label("Export path");
    press_with(&mut h, CTRL, Key::S);
    settle(&mut h);
    assert!(
        !h.state().workspace().is_dirty(),
        "saved from behind the dialog"
    );
    h.get_by_label("Export path");
}

/// Issue 20, item 10: a right-click on an annotation selects it and offers relabel, entity,
/// relation, copy and delete.
#[test]
fn a_right_click_on_an_annotation_offers_what_to_do_with_it() {
    let (_dir, mut h) = app_on_article();
    let start = tag(&mut h, "Chuck Hagel", 0, Key::Num3);
    press(&mut h, Key::Escape);
    let right_click = |h: &mut egui_kittest::Harness<'static, marginalia::gui::MarginaliaApp>| {
        let at = screen(h, start.forward(3));
        h.hover_at(at);
        settle(h);
        for pressed in [true, false] {
            h.event(eframe::egui::Event::PointerButton {
                pos: at,
                button: eframe::egui::PointerButton::Secondary,
                pressed,
                modifiers: Modifiers::NONE,
            });
            h.step();
        }
        settle(h);
    };
    right_click(&mut h);
    let id = annotations(&h)[0].id;
    assert_eq!(
        h.state().selected(),
        Some(id),
        "selected by the right-click"
    );
    h.get_by_label("Copy text");
    h.get_by_label("New entity from this mention");
    click_label(&mut h, "Relabel as Organization");
    assert_eq!(
        labels_and_texts(&h),
        [("organization".to_owned(), "Chuck Hagel".to_owned())]
    );
    right_click(&mut h);
    click_label(&mut h, "Delete");
    assert!(annotations(&h).is_empty());
}

/// Opens View > Layers in the text.
fn open_layers_menu(h: &mut egui_kittest::Harness<'_, marginalia::gui::MarginaliaApp>) {
    click_label(h, "View");
    h.get_by_label_contains("Layers in the text").hover();
    settle(h);
}

/// What `describe` says of each annotation drawn in the text.
fn painted(
    h: &egui_kittest::Harness<'_, marginalia::gui::MarginaliaApp>,
    describe: impl Fn(&marginalia::model::Annotation) -> String,
) -> Vec<String> {
    h.state()
        .painted_annotations()
        .iter()
        .filter_map(|id| h.state().workspace().project().annotation(*id))
        .map(describe)
        .collect()
}

/// Issue 20, item 9: View > Layers in the text hides a label's layers in the text (not in
/// the lists), and clicks go through them; Show all brings them back.
#[test]
fn layers_can_be_hidden_by_label_in_the_text() {
    let (_dir, mut h) = app_on_article();
    let hagel = tag(&mut h, "Chuck Hagel", 0, Key::Num3);
    tag(&mut h, "Singapore", 0, Key::Num5);
    press(&mut h, Key::Escape);
    assert_eq!(h.state().painted_annotations().len(), 2);
    open_layers_menu(&mut h);
    click_label(&mut h, "Show Person");
    press(&mut h, Key::Escape);
    press(&mut h, Key::Escape);
    let painted = painted(&h, |a| a.label.as_str().to_owned());
    assert_eq!(painted, ["location"], "the person is not drawn");
    assert_eq!(annotations(&h).len(), 2, "nothing removed");
    let at = screen(&h, hagel.forward(2));
    click_at(&mut h, at);
    assert_eq!(
        h.state().selected(),
        None,
        "a click goes through a hidden layer"
    );
    open_layers_menu(&mut h);
    click_label(&mut h, "Show all layers");
    settle(&mut h);
    assert_eq!(h.state().painted_annotations().len(), 2);
}

/// Issue 20, item 8: the annotation list says where each row is (its paragraph) and shows
/// its context on hover; it is searchable and sorts by position, label, time or analyst.
#[test]
fn the_annotation_list_is_searchable_and_sortable_with_positions() {
    let (_dir, mut h) = app_on_article();
    let hagel = tag(&mut h, "Chuck Hagel", 0, Key::Num3);
    tag(&mut h, "Singapore", 0, Key::Num5);
    tag(&mut h, "Itsunori Onodera", 0, Key::Num3);
    press(&mut h, Key::Escape);
    let paragraph = {
        let id = h.state().current_document().expect("doc");
        h.state()
            .workspace()
            .text(id)
            .expect("text")
            .paragraph_at(hagel)
            + 1
    };
    h.get_by_label(&format!("¶{paragraph} Person: Chuck Hagel"));
    // Search.
    h.get_by_label("Search annotations").focus();
    h.get_by_label("Search annotations").type_text("onodera");
    settle(&mut h);
    h.get_by_label("1 shown");
    assert!(h.query_by_label_contains("Chuck Hagel").is_none());
    h.get_by_label("Search annotations").focus();
    h.key_press_modifiers(CTRL, Key::A);
    h.key_press(Key::Backspace);
    settle(&mut h);
    h.get_by_label("3 shown");
    let rows = |h: &egui_kittest::Harness<'static, marginalia::gui::MarginaliaApp>| {
        h.query_all_by_label_contains("¶")
            .map(|n| {
                use egui_kittest::kittest::NodeT as _;
                n.accesskit_node().label().unwrap_or_default()
            })
            .map(|row| {
                row.split_once(' ')
                    .map_or(row.clone(), |(_, rest)| rest.to_owned())
            })
            .collect::<Vec<String>>()
    };
    assert_eq!(
        rows(&h),
        [
            "Person: Chuck Hagel",
            "Person: Itsunori Onodera",
            "Location: Singapore"
        ],
        "in text order"
    );
    // Sorted by label: the location first, then the persons in text order.
    click_label(&mut h, "Sort");
    click_label(&mut h, "Label");
    assert_eq!(
        rows(&h),
        [
            "Location: Singapore",
            "Person: Chuck Hagel",
            "Person: Itsunori Onodera"
        ]
    );
}

/// Issue 16, item 3 and 5: File > Team names the analyst; what they tag records them (the
/// inspector says who made it); View > Layers shows one analyst's layer at a time, and the
/// annotation list filters by analyst.
#[test]
fn the_team_window_names_the_analyst_and_layers_show_one_analyst() {
    let (_dir, mut h) = app_on_article();
    h.state_mut()
        .push_action(marginalia::gui::Action::SetAnalyst("Ana".to_owned()));
    settle(&mut h);
    tag(&mut h, "Chuck Hagel", 0, Key::Num3);
    press(&mut h, Key::Escape);
    click_label(&mut h, "File");
    click_label(&mut h, "Team…");
    h.get_by_label("Analyst name").focus();
    press_with(&mut h, CTRL, Key::A);
    h.get_by_label("Analyst name").type_text("Ben");
    settle(&mut h);
    click_label(&mut h, "Use this name");
    assert_eq!(h.state().workspace().analyst(), "Ben");
    press(&mut h, Key::Escape);
    assert!(h.state().open_windows().is_empty(), "Escape closed Team");
    tag(&mut h, "Singapore", 0, Key::Num5);
    let authors: Vec<(String, String)> = annotations(&h)
        .into_iter()
        .map(|a| (a.text().to_owned(), a.author))
        .collect();
    assert_eq!(
        authors,
        [
            ("Chuck Hagel".to_owned(), "Ana".to_owned()),
            ("Singapore".to_owned(), "Ben".to_owned())
        ]
    );
    h.get_by_label_contains("Made by Ben");
    press(&mut h, Key::Escape);
    // Ben codes without seeing Ana's layer.
    open_layers_menu(&mut h);
    click_label(&mut h, "Show only mine");
    press(&mut h, Key::Escape);
    press(&mut h, Key::Escape);
    let painted = painted(&h, |a| a.author.clone());
    assert_eq!(painted, ["Ben"], "Ana's layer is hidden");
    // The list filters by analyst.
    h.get_by_label("Filter by analyst").click();
    settle(&mut h);
    click_label(&mut h, "Ana");
    h.get_by_label("1 shown");
}

/// Issue 16, item 5: a document is assigned to several analysts in File > Team (one undo
/// step); the documents list says to whom.
#[test]
fn a_document_is_assigned_to_several_analysts() {
    let (_dir, mut h) = app_on_article();
    h.state_mut()
        .push_action(marginalia::gui::Action::SetAnalyst("Ana".to_owned()));
    settle(&mut h);
    click_label(&mut h, "File");
    click_label(&mut h, "Team…");
    click_label(&mut h, "Ana");
    h.get_by_label("Another analyst").focus();
    settle(&mut h);
    h.get_by_label("Another analyst").type_text("Ben");
    settle(&mut h);
    click_label(&mut h, "Assign");
    let assigned = |h: &egui_kittest::Harness<'_, marginalia::gui::MarginaliaApp>| {
        h.state().workspace().project().documents()[0]
            .assigned
            .clone()
    };
    assert_eq!(assigned(&h), ["Ana", "Ben"]);
    h.get_by_label_contains("– Ana, Ben");
    press(&mut h, Key::Escape);
    press_with(&mut h, CTRL, Key::Z);
    assert_eq!(assigned(&h), ["Ana"]);
}

/// Issue 16, item 5: View > Layers > Side by side shows one analyst's layer alone in a
/// second column beside the text (which keeps its own layers).
#[test]
fn an_analysts_layer_is_shown_side_by_side() {
    let (_dir, mut h) = app_on_article();
    for (analyst, needle, key) in [
        ("Ana", "Chuck Hagel", Key::Num3),
        ("Ben", "Singapore", Key::Num5),
    ] {
        h.state_mut()
            .push_action(marginalia::gui::Action::SetAnalyst(analyst.to_owned()));
        settle(&mut h);
        tag(&mut h, needle, 0, key);
        press(&mut h, Key::Escape);
    }
    open_layers_menu(&mut h);
    h.get_by_label_contains("Side by side with").hover();
    settle(&mut h);
    click_label(&mut h, "Ben's layer");
    press(&mut h, Key::Escape);
    press(&mut h, Key::Escape);
    settle(&mut h);
    h.get_by_label("Ben's layer");
    let app = h.state();
    let project = app.workspace().project();
    let authors = |ids: &[marginalia::model::AnnotationId]| -> Vec<String> {
        let mut found: Vec<String> = ids
            .iter()
            .filter_map(|id| project.annotation(*id))
            .map(|a| a.author.clone())
            .collect();
        found.sort();
        found
    };
    assert_eq!(authors(app.painted_annotations()), ["Ana", "Ben"]);
    assert_eq!(
        authors(app.compared_annotations().expect("a second column")),
        ["Ben"]
    );
    // The two columns read the same place: a scroll in either moves both.
    let left = h.get_by_label("The layers chosen in View > Layers").rect();
    let right = h.get_by_label("Ben's layer").rect();
    let reading = |h: &egui_kittest::Harness<'_, marginalia::gui::MarginaliaApp>| {
        h.state()
            .compared_reading_positions()
            .expect("both columns shown")
    };
    let start = reading(&h);
    assert_eq!(start.0, start.1);
    wheel_at(&mut h, eframe::egui::pos2(left.center().x, 400.0), -600.0);
    let down = reading(&h);
    assert!(down.0 > start.0, "the left column scrolled: {down:?}");
    assert_eq!(down.1, down.0, "the right column followed the left");
    wheel_at(&mut h, eframe::egui::pos2(right.center().x, 400.0), 300.0);
    let up = reading(&h);
    assert!(up.1 < down.1, "the right column scrolled back: {up:?}");
    assert_eq!(up.0, up.1, "the left column followed the right");
}

/// Turns the mouse wheel by `delta` points (negative: down the text) at `at`.
fn wheel_at(
    h: &mut egui_kittest::Harness<'_, marginalia::gui::MarginaliaApp>,
    at: eframe::egui::Pos2,
    delta: f32,
) {
    h.hover_at(at);
    h.event(eframe::egui::Event::MouseWheel {
        unit: eframe::egui::MouseWheelUnit::Point,
        delta: eframe::egui::vec2(0.0, delta),
        phase: eframe::egui::TouchPhase::Move,
        source: eframe::egui::MouseWheelSource::Wheel,
        modifiers: Modifiers::NONE,
    });
    settle(h);
}

fn document_data(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/documents")
        .join(name)
}

/// The app opening brief.pdf, a PDF that needs its password ("openpassword").
fn opening_a_locked_pdf() -> (
    tempfile::TempDir,
    egui_kittest::Harness<'static, marginalia::gui::MarginaliaApp>,
) {
    let dir = tempfile::tempdir().expect("tempdir");
    let pdf = dir.path().join("brief.pdf");
    std::fs::copy(
        document_data("encrypted-needs-password-openpassword.pdf"),
        &pdf,
    )
    .expect("copy");
    let mut h = harness(Workspace::untitled());
    h.state_mut()
        .push_action(marginalia::gui::Action::OpenPaths(vec![pdf]));
    settle(&mut h);
    (dir, h)
}

/// A project on a copy of the Federal Register PDF (15 pages, page 8 a figure).
fn register_workspace() -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().expect("tempdir");
    let pdf = dir.path().join("register.pdf");
    std::fs::copy(document_data("us-federal-register-2020-17221.pdf"), &pdf).expect("copy");
    let (workspace, problems) = open_paths(std::slice::from_ref(&pdf));
    // Page 8 is a figure: the analyst is told, nothing else.
    assert!(
        problems.iter().all(|p| p.contains("page 8 holds no text")),
        "{problems:?}"
    );
    (dir, workspace)
}

#[test]
fn an_encrypted_pdf_asks_for_its_password_again_until_it_opens() {
    let (_dir, mut h) = opening_a_locked_pdf();
    assert!(h.state().is_asking_for_a_password());
    assert!(
        h.query_by_label_contains("brief.pdf is encrypted")
            .is_some()
    );
    assert!(h.state().workspace().project().documents().is_empty());

    h.event(eframe::egui::Event::Text("guess".to_owned()));
    h.key_press(Key::Enter);
    settle(&mut h);
    assert!(h.state().is_asking_for_a_password(), "asked again");
    assert!(
        h.query_by_label_contains("That password does not open it")
            .is_some()
    );

    h.event(eframe::egui::Event::Text("openpassword".to_owned()));
    h.key_press(Key::Enter);
    settle(&mut h);
    assert!(!h.state().is_asking_for_a_password());
    let id = h.state().current_document().expect("the PDF is shown");
    let text = h.state().workspace().text(id).expect("text").as_str();
    assert!(text.starts_with("Lorem ipsum dolor sit amet"), "{text}");
}

#[test]
fn cancelling_the_password_adds_nothing() {
    let (_dir, mut h) = opening_a_locked_pdf();
    h.get_by_label("Cancel").click();
    settle(&mut h);
    assert!(!h.state().is_asking_for_a_password());
    assert!(h.state().workspace().project().documents().is_empty());
}

#[test]
fn a_pdf_annotation_shows_its_page_in_the_list_and_the_inspector() {
    let (_dir, mut workspace) = register_workspace();
    let doc = workspace.project().documents()[0].id;
    let text = workspace.text(doc).expect("text").as_str().to_owned();
    let needle = "Hatta International Airport";
    let start = text[..text.find(needle).expect("needle")].chars().count();
    let span = marginalia::model::Span::between(
        marginalia::model::CharPos(start),
        marginalia::model::CharPos(start + needle.chars().count()),
    );
    let id = workspace
        .annotate(doc, span, &marginalia::model::LabelId("location".into()))
        .expect("annotate");
    let mut h = harness(workspace);
    h.state_mut()
        .push_action(marginalia::gui::Action::JumpTo(id));
    settle(&mut h);
    assert!(
        h.query_by_label_contains("p.2 ¶").is_some(),
        "the list row starts with the page"
    );
    assert!(h.query_by_label_contains("Page 2 of the PDF").is_some());
    // The status bar counts its pages; a PDF has no encoding to choose.
    assert!(h.query_by_label_contains("15 pages").is_some());
    assert!(h.query_by_label_contains("Encoding:").is_none());
}

/// Runs frames until the page view has drawn a page and found its characters (the worker
/// renders in the background), at most half a minute.
fn wait_for_pages(h: &mut egui_kittest::Harness<'static, marginalia::gui::MarginaliaApp>) {
    let started = std::time::Instant::now();
    loop {
        h.run_ok();
        let pages = h.state().page_view().expect("the page view is on");
        assert!(pages.failure().is_none(), "{:?}", pages.failure());
        if pages.rendered() > 0 && pages.has_boxes() {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "no page drawn"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    h.run_ok();
}

#[test]
fn a_drag_on_a_pdf_page_tags_exactly_the_words_under_it() {
    use marginalia::gui::{Action, Command};
    let (_dir, workspace) = register_workspace();
    let mut h = harness(workspace);
    h.state_mut()
        .push_action(Action::Run(Command::TogglePageView));
    wait_for_pages(&mut h);
    let words = "Federal Aviation Administration";
    let start = find(&h, words, 0);
    let last = start.forward(words.chars().count() - 1);
    let pages = h.state().page_view().expect("page view");
    let from = pages
        .screen_rect_of(start)
        .expect("first letter on screen")
        .center();
    let to = pages
        .screen_rect_of(last)
        .expect("last letter on screen")
        .center();
    drag(&mut h, from, to, Modifiers::NONE);
    let selection = h.state().text_selection().expect("the drag selected text");
    let id = h.state().current_document().expect("document");
    assert_eq!(
        h.state()
            .workspace()
            .text(id)
            .expect("text")
            .slice(selection),
        Some(words)
    );
    press(&mut h, Key::Num4);
    assert_eq!(
        labels_and_texts(&h),
        [("organization".to_owned(), words.to_owned())]
    );
    h.run_ok();
    let tagged = annotations(&h)[0].id;
    assert!(
        h.state()
            .page_view()
            .expect("page view")
            .painted()
            .contains(&tagged),
        "the new annotation is drawn on the page"
    );
    // Back to the text: the same annotation, selected there.
    h.state_mut()
        .push_action(Action::Run(Command::TogglePageView));
    settle(&mut h);
    assert!(h.state().page_view().is_none());
    assert_eq!(h.state().selected(), Some(tagged));
}

#[test]
fn the_page_view_goes_to_the_page_of_an_annotation_jumped_to() {
    use marginalia::gui::{Action, Command};
    let (_dir, mut workspace) = register_workspace();
    let doc = workspace.project().documents()[0].id;
    // The first words of page 9 (page 8 is a figure without text).
    let at = workspace.project().documents()[0].pages[8];
    assert_eq!(workspace.project().documents()[0].page_at(at), Some(9));
    let span = marginalia::model::Span::between(
        marginalia::model::CharPos(at),
        marginalia::model::CharPos(at + 20),
    );
    let id = workspace
        .annotate(doc, span, &marginalia::model::LabelId("claim".into()))
        .expect("annotate");
    let mut h = harness(workspace);
    h.state_mut()
        .push_action(Action::Run(Command::TogglePageView));
    wait_for_pages(&mut h);
    assert!(!h.state().page_view().expect("on").painted().contains(&id));
    h.state_mut().push_action(Action::JumpTo(id));
    wait_for_pages(&mut h);
    let pages = h.state().page_view().expect("on");
    assert!(
        pages.painted().contains(&id),
        "drawn on page 9, now in view"
    );
    assert!(
        pages
            .screen_rect_of(marginalia::model::CharPos(at))
            .is_some()
    );
}

#[test]
fn the_claims_table_and_who_said_what_give_a_pdfs_page() {
    use marginalia::gui::{Action, Command};
    let (_dir, mut workspace) = register_workspace();
    let doc = workspace.project().documents()[0].id;
    let at = workspace.project().documents()[0].pages[2] + 4;
    let span = marginalia::model::Span::between(
        marginalia::model::CharPos(at),
        marginalia::model::CharPos(at + 30),
    );
    workspace
        .annotate(doc, span, &marginalia::model::LabelId("claim".into()))
        .expect("claim");
    let later = marginalia::model::Span::between(
        marginalia::model::CharPos(at + 40),
        marginalia::model::CharPos(at + 60),
    );
    workspace
        .annotate(doc, later, &marginalia::model::LabelId("quote".into()))
        .expect("quote");
    let mut h = harness(workspace);
    h.state_mut().push_action(Action::Run(Command::ShowClaims));
    settle(&mut h);
    assert!(
        h.query_all_by_label_contains(", p. 3").next().is_some(),
        "the claim's document and page"
    );
    h.state_mut().push_action(Action::Run(Command::ShowQuotes));
    settle(&mut h);
    h.get_by_label_contains("(speaker not set)").click();
    settle(&mut h);
    assert!(
        h.query_all_by_label_contains("”, p. 3").next().is_some(),
        "the quote's page"
    );
}

/// Issue 20, item 19: File > New project… creates and saves an empty project, Close
/// project asks about unsaved work and leaves an empty window, and File > Recent projects
/// opens it again.
#[test]
fn a_new_project_is_created_closed_and_opened_again_from_recent_projects() {
    use marginalia::gui::{Action, Command};
    let dir = tempfile::tempdir().expect("tempdir");
    let (_article_dir, article) = temp_article();
    let created = dir.path().join(format!("fresh-{}.ron", std::process::id()));
    let mut h = harness(Workspace::untitled());
    h.state_mut().push_action(Action::Run(Command::NewProject));
    settle(&mut h);
    h.get_by_label("Path")
        .type_text(created.to_str().expect("a UTF-8 path"));
    settle(&mut h);
    click_label(&mut h, "Create");
    settle(&mut h);
    assert_eq!(h.state().workspace().path(), Some(created.as_path()));
    assert!(created.is_file(), "the new project is saved at once");

    // A file already there is never overwritten.
    h.state_mut()
        .push_action(Action::NewProject(article.clone()));
    settle(&mut h);
    assert_said(&h, "A file is already there");
    assert!(
        std::fs::read_to_string(&article)
            .expect("read")
            .contains("Hagel")
    );

    h.state_mut().push_action(Action::OpenPaths(vec![article]));
    settle(&mut h);
    tag(&mut h, "Singapore", 0, Key::Num5);
    h.state_mut()
        .push_action(Action::Run(Command::CloseProject));
    settle(&mut h);
    h.get_by_label_contains("Save them before closing the project");
    click_label(&mut h, "Save");
    settle(&mut h);
    assert_eq!(h.state().workspace().path(), None, "no project any more");
    assert!(h.state().workspace().project().documents().is_empty());
    assert_eq!(h.state().current_document(), None);

    click_label(&mut h, "File");
    h.get_by_label("Recent projects").hover();
    settle(&mut h);
    let stem = created
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("a name");
    click_label(&mut h, stem);
    settle(&mut h);
    assert_eq!(h.state().workspace().path(), Some(created.as_path()));
    assert_eq!(
        labels_and_texts(&h),
        [("location".to_owned(), "Singapore".to_owned())],
        "the work saved before closing is there"
    );
}

/// Issue 20, item 19: File > Remove document… asks first, takes the document and its
/// annotations out as one undo step, shows another document, and Ctrl+Z brings it back.
#[test]
fn a_document_is_removed_after_asking_and_comes_back_with_undo() {
    use marginalia::gui::{Action, Command};
    let (dir, mut h) = app_on_article();
    let other = dir.path().join("other.txt");
    std::fs::write(&other, "Another article, about Seoul.\n").expect("write");
    let first = h.state().current_document().expect("shown");
    tag(&mut h, "Singapore", 0, Key::Num5);
    h.state_mut().push_action(Action::OpenPaths(vec![other]));
    settle(&mut h);
    h.state_mut().push_action(Action::ShowDocument(first));
    settle(&mut h);

    // Asked from the documents list's right-click menu, then cancelled: nothing goes.
    let row = h
        .get_by_label_contains("U.S., Allies Agree to Further Study Int… (1)")
        .rect()
        .center();
    h.hover_at(row);
    settle(&mut h);
    for pressed in [true, false] {
        h.event(eframe::egui::Event::PointerButton {
            pos: row,
            button: eframe::egui::PointerButton::Secondary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        h.step();
    }
    settle(&mut h);
    click_label(&mut h, "Remove from the project…");
    settle(&mut h);
    h.get_by_label_contains("with its 1 annotation(s)");
    click_label(&mut h, "Cancel");
    settle(&mut h);
    assert_eq!(h.state().workspace().project().documents().len(), 2);

    h.state_mut()
        .push_action(Action::Run(Command::RemoveDocument));
    settle(&mut h);
    click_label(&mut h, "Remove");
    settle(&mut h);
    let project = h.state().workspace().project();
    assert_eq!(project.documents().len(), 1);
    assert!(project.document(first).is_none());
    assert_eq!(project.annotation_count(), 0);
    assert_ne!(
        h.state().current_document(),
        Some(first),
        "another is shown"
    );
    assert!(h.state().current_document().is_some());
    assert_said(&h, "Ctrl+Z brings them back");

    press_with(&mut h, CTRL, Key::Z);
    settle(&mut h);
    let project = h.state().workspace().project();
    assert_eq!(project.documents().len(), 2);
    assert_eq!(project.annotation_count(), 1);
    assert_said(&h, "Undid: remove");
    h.state_mut().push_action(Action::ShowDocument(first));
    settle(&mut h);
    assert_eq!(
        labels_and_texts(&h),
        [("location".to_owned(), "Singapore".to_owned())]
    );
}

/// The text field named `name` (a label beside it may have the same name).
fn field<'a>(
    h: &'a egui_kittest::Harness<'static, marginalia::gui::MarginaliaApp>,
    name: &'a str,
) -> egui_kittest::Node<'a> {
    use egui_kittest::kittest::NodeT as _;
    h.query_all_by_label(name)
        .find(|n| n.accesskit_node().role() == eframe::egui::accesskit::Role::TextInput)
        .unwrap_or_else(|| panic!("no text field named {name}"))
}

/// Types `text` into the text field named `name`.
fn type_into(
    h: &mut egui_kittest::Harness<'static, marginalia::gui::MarginaliaApp>,
    name: &str,
    text: &str,
) {
    field(h, name).focus();
    settle(h);
    field(h, name).type_text(text);
    settle(h);
}

/// Issue 20, item 19: File > Document details… corrects what the file said and keeps the
/// analyst's note on the source (one undo step); File > Project memo… keeps the team's
/// memo in the project file.
#[test]
fn document_details_and_the_project_memo_are_edited_in_their_windows() {
    use marginalia::gui::{Action, Command};
    let dir = tempfile::tempdir().expect("tempdir");
    let (_article_dir, article) = temp_article();
    let path = dir.path().join("p.ron");
    let mut workspace = Workspace::new_at(&path);
    let doc = workspace.add_document(&article).expect("add");
    workspace.save().expect("save");
    let mut h = harness(workspace);
    let title = |h: &egui_kittest::Harness<'static, marginalia::gui::MarginaliaApp>| {
        let document = h.state().workspace().project().document(doc).cloned();
        document.expect("doc").metadata
    };
    let before = title(&h);
    h.state_mut()
        .push_action(Action::Run(Command::DocumentDetails));
    settle(&mut h);
    type_into(&mut h, "Byline", "Rachel Oswald");
    type_into(
        &mut h,
        "Your note on this source",
        "Trade press; quotes checked.",
    );
    click_label(&mut h, "Apply");
    settle(&mut h);
    let after = title(&h);
    assert_eq!(after.byline.as_deref(), Some("Rachel Oswald"));
    assert_eq!(after.note.as_deref(), Some("Trade press; quotes checked."));
    assert_eq!(after.title, before.title, "the rest unchanged");
    press(&mut h, Key::Escape);
    press_with(&mut h, CTRL, Key::Z);
    settle(&mut h);
    assert_eq!(title(&h), before, "one undo step");
    assert_said(&h, "Undid: edit the details of");
    press_with(&mut h, CTRL_SHIFT, Key::Z);
    settle(&mut h);

    h.state_mut().push_action(Action::Run(Command::ProjectMemo));
    settle(&mut h);
    type_into(&mut h, "Project memo", "Who pays for the radar?");
    click_label(&mut h, "Apply");
    settle(&mut h);
    press_with(&mut h, CTRL, Key::S);
    settle(&mut h);
    let saved = std::fs::read_to_string(&path).expect("saved");
    assert!(
        saved.contains("memo: \"Who pays for the radar?\""),
        "{saved}"
    );
    assert!(
        saved.contains("note: Some(\"Trade press; quotes checked.\")"),
        "{saved}"
    );
}

/// Issue 20, item 19: where there is no native file dialog, the path field lists the folder
/// it points into (the project's at first): a click on a folder goes into it, a click on a
/// file puts its path in the field; only files Marginalia opens are listed.
#[test]
fn the_path_field_browses_the_project_folder() {
    use marginalia::gui::{Action, Command};
    let dir = tempfile::tempdir().expect("tempdir");
    let reports = dir.path().join("reports");
    std::fs::create_dir(&reports).expect("mkdir");
    std::fs::copy(repo_article(), reports.join("brief.txt")).expect("copy");
    std::fs::write(reports.join("scan.bin"), b"\x00\x01").expect("write");
    std::fs::write(reports.join(".draft.txt"), "hidden").expect("write");
    let path = dir.path().join("p.ron");
    let mut workspace = Workspace::new_at(&path);
    workspace.save().expect("save");
    let mut h = harness(workspace);
    h.state_mut()
        .push_action(Action::Run(Command::OpenDocument));
    settle(&mut h);
    h.get_by_label_contains(&format!("In {}", dir.path().display()));
    click_label(&mut h, "reports/");
    h.get_by_label("../ (the folder above)");
    assert!(
        h.query_by_label("scan.bin").is_none(),
        "not a file it opens"
    );
    assert!(h.query_by_label(".draft.txt").is_none(), "hidden");
    click_label(&mut h, "brief.txt");
    click_label(&mut h, "Open");
    settle(&mut h);
    let documents = h.state().workspace().project().documents();
    assert_eq!(documents.len(), 1);
    assert_eq!(documents[0].path, "reports/brief.txt");
}

/// eframe's storage, in memory.
#[derive(Default)]
struct MemoryStorage(std::collections::HashMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }

    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }

    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }

    fn flush(&mut self) {}
}

/// Issue 20, item 6: the theme, the zoom and the windows that were open come back at the
/// next start (eframe's storage), and so does the annotation selected in the project.
#[test]
fn the_theme_zoom_windows_and_selection_come_back_at_the_next_start() {
    use marginalia::gui::{Action, Command, PREFERENCES_KEY, Preferences};
    let dir = tempfile::tempdir().expect("tempdir");
    let (_article_dir, article) = temp_article();
    let path = dir.path().join("p.ron");
    let mut workspace = Workspace::new_at(&path);
    let doc = workspace.add_document(&article).expect("add");
    let text = workspace.text(doc).expect("text").as_str().to_owned();
    let start = text.find("Singapore").expect("in the text");
    let start = marginalia::model::CharPos(text[..start].chars().count());
    let id = workspace
        .annotate(
            doc,
            marginalia::model::Span::between(start, start.forward(9)),
            &marginalia::model::LabelId("location".into()),
        )
        .expect("tag");
    workspace.save().expect("save");

    let mut h = harness(Workspace::open(&path).expect("open"));
    h.state_mut().push_action(Action::Select(Some(id)));
    press_with(&mut h, CTRL_SHIFT, Key::T);
    press_with(&mut h, CTRL, Key::Plus);
    press_with(&mut h, CTRL_SHIFT, Key::E);
    press_with(&mut h, CTRL_SHIFT, Key::D);
    settle(&mut h);
    let mut storage = MemoryStorage::default();
    eframe::App::save(h.state_mut(), &mut storage);
    let kept: Preferences = eframe::get_value(&storage, PREFERENCES_KEY).expect("kept");
    assert_eq!(kept.windows, ["Entities"]);
    assert!(kept.overview);
    assert!(kept.zoom.is_some_and(|z| z > 1.0), "{kept:?}");
    assert!(kept.dark.is_some(), "{kept:?}");
    h.state_mut()
        .push_action(Action::Run(Command::CloseProject));
    settle(&mut h);

    // The next start.
    let mut again = harness(Workspace::open(&path).expect("open"));
    assert_eq!(again.state().selected(), Some(id), "the selection is back");
    again.state_mut().restore_preferences(kept.clone());
    settle(&mut again);
    assert_eq!(
        again.state().preferences(),
        kept,
        "theme, zoom and windows are back"
    );
    assert!(again.state().open_windows().contains(&"Entities"));
    assert!(again.state().overview().is_some());
}

/// Issue 20, item 1: the inspector shows a right-to-left passage as the text view does:
/// on several lines, each read from the right, the first word at the top right (egui's own
/// wrapping of a label put the passage's end first).
#[test]
fn the_inspector_wraps_a_right_to_left_passage_from_the_right() {
    let (_dir, mut h) = app_on_rtl("arabic-regime-anticancer.txt");
    settle(&mut h);
    let start = find(&h, "حسنًا", 0);
    drag_chars(&mut h, start, start.forward(160), Modifiers::NONE);
    press(&mut h, Key::Num1);
    settle(&mut h);
    let glyphs = h.state().inspector_passage_glyphs();
    assert!(
        !glyphs.is_empty(),
        "the passage is laid out as right-to-left text"
    );
    let top = glyphs.iter().map(|(_, r)| r.min.y).fold(f32::MAX, f32::min);
    let mut tops: Vec<f32> = glyphs.iter().map(|(_, r)| r.min.y).collect();
    tops.sort_by(f32::total_cmp);
    tops.dedup_by(|a, b| (*a - *b).abs() < 2.0);
    let lines = tops.len();
    assert!(lines >= 2, "the passage wraps: {lines} line(s)");
    let first_line: Vec<&(char, eframe::egui::Rect)> = glyphs
        .iter()
        .filter(|(_, r)| (r.min.y - top).abs() < 2.0)
        .collect();
    let first_word = first_line
        .iter()
        .find(|(c, _)| *c == 'ح')
        .expect("the passage's first word is on its first line");
    let letters_right_of_it = first_line
        .iter()
        .filter(|(c, r)| c.is_alphabetic() && r.center().x > first_word.1.center().x)
        .count();
    assert_eq!(
        letters_right_of_it, 0,
        "the first word is at the right of the first line"
    );
}
