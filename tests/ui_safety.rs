//! The real app, headless: the questions and panels that keep the analyst's work safe
//! (recovery, autosave, changes on disk, open anyway, the review list, Locate…, encodings).

use crate::common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::*;
use eframe::egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use marginalia::gui::Action;
use marginalia::model::{CharPos, DocumentId, LabelId, Span};
use marginalia::workspace::Workspace;

fn span_of(text: &str, needle: &str) -> Span {
    let byte = text.find(needle).expect("needle in text");
    let start = text[..byte].chars().count();
    Span::between(CharPos(start), CharPos(start + needle.chars().count()))
}

/// A saved project on a copy of the reference article, with "Chuck Hagel" and "Itsunori
/// Onodera" (both in the first paragraphs) tagged as persons.
fn saved_project() -> (tempfile::TempDir, PathBuf, PathBuf, DocumentId) {
    let (dir, article) = temp_article();
    let path = dir.path().join("analysis.ron");
    let mut workspace = Workspace::new_at(&path);
    let doc = workspace.add_document(&article).expect("add");
    let text = workspace.text(doc).expect("text").as_str().to_owned();
    for needle in ["Chuck Hagel", "Itsunori Onodera"] {
        workspace
            .annotate(doc, span_of(&text, needle), &LabelId("person".into()))
            .expect("annotate");
    }
    workspace.save().expect("save");
    (dir, path, article, doc)
}

fn annotation_count(path: &Path) -> usize {
    Workspace::open(path)
        .expect("open")
        .project()
        .annotation_count()
}

#[test]
fn unsaved_work_left_by_a_crash_is_offered_and_restored() {
    let (_dir, path, _, doc) = saved_project();
    {
        let mut crashed = Workspace::open(&path).expect("open");
        let span = crashed.project().annotations_of(doc)[0].span;
        crashed
            .annotate(doc, span, &LabelId("organization".into()))
            .expect("annotate");
        crashed.write_recovery().expect("autosave");
    }
    let mut h = harness(Workspace::open(&path).expect("open"));
    assert!(h.state().is_asking_about_the_file());
    assert_eq!(
        annotations(&h).len(),
        2,
        "nothing restored before the answer"
    );
    h.get_by_label_contains("has 3 annotation(s)");
    click_label(&mut h, "Restore");
    assert!(!h.state().is_asking_about_the_file());
    assert_eq!(annotations(&h).len(), 3);
    assert!(h.state().workspace().is_dirty());
    press_with(&mut h, CTRL, Key::S);
    assert_eq!(annotation_count(&path), 3);
    assert!(Workspace::find_recovery(&path).is_none());
}

#[test]
fn discarding_the_recovery_keeps_the_saved_project() {
    let (_dir, path, _, doc) = saved_project();
    {
        let mut crashed = Workspace::open(&path).expect("open");
        let ids = vec![crashed.project().annotations_of(doc)[0].id];
        crashed.remove(ids).expect("remove");
        crashed.write_recovery().expect("autosave");
    }
    let mut h = harness(Workspace::open(&path).expect("open"));
    click_label(&mut h, "Discard");
    assert_eq!(annotations(&h).len(), 2);
    assert!(Workspace::find_recovery(&path).is_none());
    assert!(!h.state().workspace().is_dirty());
}

#[test]
fn a_change_is_autosaved_to_the_recovery_file_and_a_save_removes_it() {
    let (_dir, path, _, _) = saved_project();
    let mut h = harness(Workspace::open(&path).expect("open"));
    h.state_mut().set_autosave_delay(Duration::ZERO);
    tag(&mut h, "Singapore", 0, Key::Num6);
    settle(&mut h);
    h.state_mut().wait_for_autosave();
    let recovery = Workspace::find_recovery(&path).expect("recovery written");
    assert_eq!(recovery.annotations, 3);
    assert_eq!(
        annotation_count(&path),
        2,
        "the project file is not touched"
    );
    press_with(&mut h, CTRL, Key::S);
    assert!(Workspace::find_recovery(&path).is_none());
    assert_eq!(annotation_count(&path), 3);
}

/// The app on `path`, then another program removes an annotation and saves.
fn changed_behind_the_apps_back() -> (
    tempfile::TempDir,
    PathBuf,
    egui_kittest::Harness<'static, marginalia::gui::MarginaliaApp>,
) {
    let (dir, path, _, doc) = saved_project();
    let mut h = harness(Workspace::open(&path).expect("open"));
    tag(&mut h, "Singapore", 0, Key::Num6);
    let mut other = Workspace::open(&path).expect("other window");
    let ids = vec![other.project().annotations_of(doc)[0].id];
    other.remove(ids).expect("remove");
    other.save().expect("other saves");
    press_with(&mut h, CTRL, Key::S);
    assert!(h.state().is_asking_about_the_file());
    h.get_by_label("The project file changed on disk");
    assert_eq!(annotation_count(&path), 1, "not overwritten");
    (dir, path, h)
}

#[test]
fn saving_over_a_change_by_another_program_asks_and_can_overwrite() {
    let (dir, path, mut h) = changed_behind_the_apps_back();
    click_label(&mut h, "Overwrite");
    assert_eq!(annotation_count(&path), 3);
    let backup = dir.path().join("analysis.ron.bak");
    assert_eq!(
        annotation_count(&backup),
        1,
        "the other version is the backup"
    );
}

#[test]
fn saving_over_a_change_by_another_program_can_reload_theirs() {
    let (_dir, path, mut h) = changed_behind_the_apps_back();
    click_label(&mut h, "Reload from disk");
    assert_eq!(annotations(&h).len(), 1);
    assert!(!h.state().workspace().is_dirty());
    assert_eq!(annotation_count(&path), 1);
}

#[test]
fn an_inconsistent_project_can_be_opened_anyway_and_reviewed() {
    let (_dir, path, _, doc) = saved_project();
    let text = std::fs::read_to_string(&path).expect("read");
    let broken = text.replacen("label: \"person\"", "label: \"spy\"", 1);
    std::fs::write(&path, broken).expect("write");

    let mut h = harness(Workspace::untitled());
    h.state_mut()
        .push_action(Action::OpenPaths(vec![path.clone()]));
    settle(&mut h);
    assert!(h.state().is_asking_about_the_file());
    // The question is drawn in the frame after it is asked.
    h.run_ok();
    h.get_by_label_contains("\"spy\"");
    click_label(&mut h, "Open anyway");
    assert_eq!(annotations(&h).len(), 1);
    assert_eq!(h.state().workspace().orphans_of(doc).len(), 1);
    h.get_by_label("Needs review (1)");
    click_label(&mut h, "Discard");
    assert!(h.state().workspace().orphans_of(doc).is_empty());
    press_with(&mut h, CTRL, Key::Z);
    assert_eq!(h.state().workspace().orphans_of(doc).len(), 1);
}

#[test]
fn a_reworded_source_offers_its_annotation_for_review_and_a_suggestion_is_accepted() {
    let (_dir, path, article, doc) = saved_project();
    let text = std::fs::read_to_string(&article).expect("read");
    std::fs::write(
        &article,
        text.replacen("Chuck Hagel", "Charles T. Hagel", 1),
    )
    .expect("reword");
    let (workspace, problems) = marginalia::cli::open_paths(&[path]);
    let mut h = harness_with(workspace, problems);
    assert_said(&h, "1 annotation(s) re-anchored, 1 need review");
    h.get_by_label("Needs review (1)");
    click_label(&mut h, "Accept suggestion");
    let texts: Vec<String> = annotations(&h)
        .iter()
        .map(|a| a.text().to_owned())
        .collect();
    assert!(texts.contains(&"Charles T. Hagel".to_owned()), "{texts:?}");
    assert!(h.state().workspace().orphans_of(doc).is_empty());
}

#[test]
fn an_orphan_is_attached_to_the_text_the_analyst_selects() {
    let (_dir, path, article, doc) = saved_project();
    std::fs::write(
        &article,
        std::fs::read_to_string(&article)
            .expect("read")
            .replace("Itsunori Onodera", "a senior adviser"),
    )
    .expect("reword");
    let mut h = harness(Workspace::open(&path).expect("open"));
    h.get_by_label("Needs review (1)");
    let start = find(&h, "a senior adviser", 0);
    drag_chars(&mut h, start, start.forward(16), Modifiers::NONE);
    click_label(&mut h, "Attach to selection");
    assert!(h.state().workspace().orphans_of(doc).is_empty());
    let texts: Vec<String> = annotations(&h)
        .iter()
        .map(|a| a.text().to_owned())
        .collect();
    assert!(texts.contains(&"a senior adviser".to_owned()), "{texts:?}");
}

#[test]
fn a_missing_source_is_located_through_the_path_field() {
    let (dir, path, article, doc) = saved_project();
    let moved = dir.path().join("moved.txt");
    std::fs::rename(&article, &moved).expect("move");
    let mut h = harness(Workspace::open(&path).expect("open"));
    h.get_by_label("This document cannot be shown");
    click_label(&mut h, "Locate…");
    h.get_by_label("Path").focus();
    settle(&mut h);
    // The field starts with the project's folder.
    h.get_by_label("Path").type_text("moved.txt");
    settle(&mut h);
    click_label(&mut h, "Locate");
    assert!(
        h.state().workspace().text(doc).is_some(),
        "{:?}",
        h.state().messages()
    );
    assert_eq!(annotations(&h).len(), 2);
    assert!(
        h.state().workspace().is_dirty(),
        "the new path needs saving"
    );
}

#[test]
fn the_status_bar_encoding_menu_reads_the_document_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = dir.path().join("cafe.txt");
    std::fs::write(&article, "Le café du coin.").expect("write");
    let (workspace, problems) = marginalia::cli::open_paths(&[article]);
    assert!(problems.is_empty());
    let mut h = harness(workspace);
    click_label(&mut h, "Encoding: UTF-8");
    click_label(&mut h, "windows-1252");
    let doc = h.state().current_document().expect("shown");
    let text = h
        .state()
        .workspace()
        .text(doc)
        .expect("text")
        .as_str()
        .to_owned();
    assert_eq!(text, "Le cafÃ© du coin.");
    click_label(&mut h, "Encoding: windows-1252");
    click_label(&mut h, "UTF-8");
    let text = h
        .state()
        .workspace()
        .text(doc)
        .expect("text")
        .as_str()
        .to_owned();
    assert_eq!(text, "Le café du coin.");
}

#[test]
fn a_failed_save_is_reported_and_the_work_stays_unsaved() {
    let (dir, path, _, _) = saved_project();
    let before = std::fs::read(&path).expect("read");
    let mut h = harness(Workspace::open(&path).expect("open"));
    tag(&mut h, "Singapore", 0, Key::Num5);
    let blocker = dir
        .path()
        .join(format!("analysis.ron.tmp-{}", std::process::id()));
    std::fs::create_dir(&blocker).expect("block");
    press_with(&mut h, CTRL, Key::S);
    assert_said(
        &h,
        "cannot save the project (the previous file is unchanged)",
    );
    assert_eq!(std::fs::read(&path).expect("read"), before);
    assert!(h.state().title().starts_with('●'), "{}", h.state().title());
}

#[test]
fn an_empty_window_offers_the_work_of_an_untitled_project_that_crashed() {
    let (dir, article) = temp_article();
    let recovery_dir = dir.path().join("recovery");
    std::fs::create_dir(&recovery_dir).expect("mkdir");
    {
        let mut crashed = Workspace::untitled();
        crashed.set_recovery_dir(Some(recovery_dir.clone()));
        let doc = crashed.add_document(&article).expect("add");
        let text = crashed.text(doc).expect("text").as_str().to_owned();
        crashed
            .annotate(
                doc,
                span_of(&text, "Chuck Hagel"),
                &LabelId("person".into()),
            )
            .expect("annotate");
        crashed.write_recovery().expect("autosave");
        let file = crashed.recovery_file().expect("file");
        std::fs::rename(&file, recovery_dir.join("untitled-4000000001.ron.recovery"))
            .expect("as if its process were gone");
    }
    let mut fresh = Workspace::untitled();
    fresh.set_recovery_dir(Some(recovery_dir.clone()));
    let mut h = harness(fresh);
    assert!(h.state().is_asking_about_the_file());
    h.get_by_label_contains("never saved");
    click_label(&mut h, "Restore");
    assert_eq!(
        labels_and_texts(&h),
        [("person".to_owned(), "Chuck Hagel".to_owned())]
    );
    assert!(
        h.state().current_document().is_some(),
        "its document is shown"
    );
    assert!(h.state().workspace().is_dirty());
}

/// A saved project with one long article and `count` annotations, opened in the app.
fn big_app(
    count: usize,
) -> (
    tempfile::TempDir,
    PathBuf,
    egui_kittest::Harness<'static, marginalia::gui::MarginaliaApp>,
) {
    use std::fmt::Write as _;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = String::new();
    for i in 0..count / 10 {
        let _ = writeln!(
            text,
            "Line {i:06}: Seoul and Tokyo share missile warning data with Washington."
        );
    }
    let article = dir.path().join("long.txt");
    std::fs::write(&article, &text).expect("write");
    let path = dir.path().join("big.ron");
    let mut workspace = Workspace::new_at(&path);
    let doc = workspace.add_document(&article).expect("add");
    let loaded = workspace.text(doc).expect("text").clone();
    let mut annotations = Vec::new();
    let line_chars = loaded
        .as_str()
        .lines()
        .next()
        .expect("line")
        .chars()
        .count()
        + 1;
    for i in 0..count {
        let start = CharPos((i / 10) * line_chars + 13 + (i % 10) * 5);
        let span = Span::between(start, start.forward(4));
        annotations.push(annotation_on(&loaded, doc, i as u64 + 1, "location", span));
    }
    workspace
        .apply(
            marginalia::model::Edit::Insert(annotations),
            marginalia::model::Coalesce::No,
        )
        .expect("insert");
    workspace.save().expect("first save");
    (dir, path, harness(workspace))
}

/// Marks the shown document done and presses Ctrl+S, drawing one frame: the save is then
/// running on its worker. Returns the document.
fn mark_done_and_save(
    h: &mut egui_kittest::Harness<'static, marginalia::gui::MarginaliaApp>,
) -> DocumentId {
    let document = h.state().current_document().expect("shown");
    h.state_mut().push_action(Action::SetStatus(
        document,
        marginalia::model::DocumentStatus::Done,
    ));
    h.step();
    press_with_no_wait(h, CTRL, Key::S);
    assert!(h.state().busy(), "the save runs on a worker");
    document
}

#[test]
fn a_big_save_runs_in_the_background_and_edits_made_meanwhile_stay_unsaved() {
    let (_dir, path, mut h) = big_app(60_000);
    let document = mark_done_and_save(&mut h);
    h.get_by_label_contains("Saving");
    // The window keeps working: an edit while the save runs.
    h.state_mut().push_action(Action::SetStatus(
        document,
        marginalia::model::DocumentStatus::InProgress,
    ));
    settle(&mut h);
    assert!(!h.state().busy());
    let saved = std::fs::read_to_string(&path).expect("read");
    assert!(
        saved.contains("status: Done"),
        "the state when Save was pressed"
    );
    assert!(
        h.state().workspace().is_dirty(),
        "the later edit is not saved yet"
    );
    assert_said(&h, "Saved");
}

#[test]
fn a_big_export_can_be_cancelled_and_writes_nothing() {
    let (dir, _path, mut h) = big_app(60_000);
    let out = dir.path().join("report.html");
    h.state_mut()
        .push_action(export_all(marginalia::formats::Format::Html, out.clone()));
    h.step();
    h.step();
    assert!(h.state().busy(), "the export runs on a worker");
    h.get_by_label_contains("Exporting");
    // One job at a time: a Save As meanwhile is refused, and said.
    h.state_mut()
        .push_action(Action::SaveTo(dir.path().join("copy.ron")));
    h.step();
    assert_said(&h, "Still busy");
    h.get_by_label("Cancel").click();
    settle(&mut h);
    assert!(!h.state().busy());
    assert!(!out.exists(), "nothing written");
    assert_said(&h, "cancelled");

    // Not cancelled, it is written.
    h.state_mut().push_action(export_all(
        marginalia::formats::Format::Csv,
        dir.path().join("all.csv"),
    ));
    settle(&mut h);
    assert_eq!(csv_rows(&dir.path().join("all.csv")).len(), 60_000);
}

#[test]
fn opening_another_project_during_a_save_leaves_the_new_one_untouched() {
    let (dir, path, mut h) = big_app(60_000);
    let other_dir = tempfile::tempdir().expect("tempdir");
    let other = other_dir.path().join("other.ron");
    Workspace::new_at(&other).save().expect("other project");
    mark_done_and_save(&mut h);
    // Open the other project; the big one is still unsaved while its save runs.
    h.state_mut()
        .push_action(Action::OpenPaths(vec![other.clone()]));
    h.step();
    h.step();
    assert!(h.state().busy(), "still saving");
    assert!(h.state().is_asking_to_save());
    h.step();
    h.get_by_label("Discard").click();
    settle(&mut h);
    let workspace = h.state().workspace();
    assert_eq!(workspace.path(), Some(other.as_path()));
    assert!(
        !workspace.changed_on_disk(),
        "the big save's outcome went nowhere near it"
    );
    assert!(
        std::fs::read_to_string(&path)
            .expect("read")
            .contains("status: Done")
    );
    assert_said(&h, "Saved");
    drop(dir);
}

/// The file at `path`, whose reading is held until [`release`]: a worker reading it is
/// caught mid-way, every time (a named pipe did this before pipes were refused).
fn pipe(path: &Path) -> marginalia::ingest::gate::Hold {
    std::fs::write(path, "Text that arrives late.\n").expect("write");
    marginalia::ingest::gate::hold(path)
}

/// Lets the worker held on the file go on.
fn release(hold: marginalia::ingest::gate::Hold) {
    drop(hold);
}

/// A saved project `other.ron` in `dir` whose document `slow.txt` (added after `first`, if
/// given) is held and is the one shown when it opens: opening the project waits there
/// until [`release`].
fn project_waiting_on_a_pipe(
    dir: &Path,
    first: Option<&Path>,
) -> (PathBuf, marginalia::ingest::gate::Hold) {
    let slow = dir.join("slow.txt");
    std::fs::write(&slow, "For now.\n").expect("write");
    let other = dir.join("other.ron");
    let mut workspace = Workspace::new_at(&other);
    if let Some(first) = first {
        workspace.add_document(first).expect("add");
    }
    let shown = workspace.add_document(&slow).expect("add");
    workspace.set_last_document(shown);
    workspace.save().expect("save");
    std::fs::remove_file(&slow).expect("remove");
    let hold = pipe(&slow);
    (other, hold)
}

#[test]
fn an_article_opens_on_a_worker_with_cancel_and_a_cancelled_one_adds_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let slow = dir.path().join("slow.txt");
    let hold = pipe(&slow);
    let mut h = harness(Workspace::new_at(&dir.path().join("p.ron")));
    h.state_mut()
        .push_action(Action::OpenPaths(vec![slow.clone()]));
    h.step();
    h.step();
    assert!(h.state().busy(), "the file is read on a worker");
    h.get_by_label_contains("Opening slow.txt");
    // The window keeps drawing and the analyst can stop it.
    h.get_by_label("Cancel").click();
    h.step();
    release(hold);
    settle(&mut h);
    assert!(!h.state().busy());
    assert!(
        h.state().workspace().project().documents().is_empty(),
        "nothing was added"
    );
    assert_said(&h, "Opening cancelled");

    // Not cancelled, the article is added and shown.
    let (_article_dir, article) = temp_article();
    h.state_mut().push_action(Action::OpenPaths(vec![article]));
    settle(&mut h);
    let shown = h.state().current_document().expect("the article is shown");
    assert!(
        h.state()
            .workspace()
            .text(shown)
            .expect("text")
            .as_str()
            .contains("Hagel")
    );
}

#[test]
fn a_project_opens_behind_a_modal_with_its_progress_and_cancel_keeps_the_old_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A project whose second document is held: opening it stops there, half way.
    let (_article_dir, article) = temp_article();
    let (other, slow) = project_waiting_on_a_pipe(dir.path(), Some(&article));

    let (_dir, path, _, _) = saved_project();
    let mut h = harness(Workspace::open(&path).expect("open"));
    let count = h.state().workspace().project().annotation_count();
    let selected = h
        .state()
        .workspace()
        .project()
        .annotations()
        .next()
        .expect("one")
        .id;
    h.state_mut().push_action(Action::Select(Some(selected)));
    h.step();
    assert_eq!(h.state().selected(), Some(selected));
    h.state_mut()
        .push_action(Action::OpenPaths(vec![other.clone()]));
    // The project file and the first document are read, the second waits: the modal and
    // the status bar show how far it is.
    let percents = |h: &egui_kittest::Harness<'static, marginalia::gui::MarginaliaApp>| {
        h.query_all_by_label_contains("%")
            .filter_map(|n| {
                use egui_kittest::kittest::NodeT as _;
                n.accesskit_node()
                    .label()?
                    .strip_suffix('%')?
                    .parse::<u32>()
                    .ok()
            })
            .collect::<Vec<_>>()
    };
    let started = std::time::Instant::now();
    while percents(&h).len() < 2 && started.elapsed().as_secs() < 60 {
        std::thread::sleep(Duration::from_millis(5));
        h.step();
    }
    let shown = percents(&h);
    assert_eq!(shown.len(), 2, "{shown:?}");
    assert!(shown.iter().all(|&p| p > 0 && p < 100), "{shown:?}");
    h.get_by_label_contains("The project shown now stays open");
    // Keys do not reach the project behind the modal: Delete removes nothing.
    h.key_press(Key::Delete);
    h.step();
    h.step();
    assert_eq!(h.state().workspace().project().annotation_count(), count);
    assert!(!h.state().workspace().is_dirty());
    h.get_by_label("Cancel opening").click();
    for _ in 0..3 {
        h.step();
    }
    assert!(
        h.query_by_label("Cancel opening").is_none(),
        "the modal is gone once cancelled"
    );
    release(slow);
    settle(&mut h);
    assert_eq!(h.state().workspace().path(), Some(path.as_path()));
    assert_said(&h, "Opening cancelled");

    // Opened to the end, it replaces the project shown.
    std::fs::write(dir.path().join("slow.txt"), "For now.\n").expect("write");
    h.state_mut()
        .push_action(Action::OpenPaths(vec![other.clone()]));
    settle(&mut h);
    assert_eq!(h.state().workspace().path(), Some(other.as_path()));
    assert_eq!(h.state().workspace().project().documents().len(), 2);
}

#[test]
fn work_queued_behind_a_save_runs_in_turn_even_when_some_needs_no_job() {
    let (dir, _path, mut h) = big_app(60_000);
    let document = mark_done_and_save(&mut h);
    // While it saves: open the article the project has already (no job needed), change
    // something and save again.
    h.state_mut()
        .push_action(Action::OpenPaths(vec![dir.path().join("long.txt")]));
    h.state_mut().push_action(Action::SetStatus(
        document,
        marginalia::model::DocumentStatus::InProgress,
    ));
    h.step();
    press_with_no_wait(&mut h, CTRL, Key::S);
    settle(&mut h);
    assert!(!h.state().busy(), "nothing is left waiting");
    assert!(
        !h.state().workspace().is_dirty(),
        "the second save ran after the first"
    );
}

#[test]
fn a_change_made_while_a_project_opens_is_not_lost() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (other, slow) = project_waiting_on_a_pipe(dir.path(), None);

    let (_dir, path, _, document) = saved_project();
    let mut h = harness(Workspace::open(&path).expect("open"));
    h.state_mut()
        .push_action(Action::OpenPaths(vec![other.clone()]));
    h.step();
    h.step();
    // A change to the project shown while the other is read (a shortcut behind the modal).
    h.state_mut().push_action(Action::SetStatus(
        document,
        marginalia::model::DocumentStatus::Done,
    ));
    h.step();
    release(slow);
    settle(&mut h);
    assert_eq!(
        h.state().workspace().path(),
        Some(path.as_path()),
        "the changed project stays until the analyst says"
    );
    assert!(h.state().is_asking_to_save(), "Save / Discard / Cancel");
}

#[test]
fn discarding_unsaved_changes_opens_the_other_project() {
    let (_dir, path, _, _) = saved_project();
    let other_dir = tempfile::tempdir().expect("tempdir");
    let other = other_dir.path().join("other.ron");
    Workspace::new_at(&other).save().expect("other project");
    let mut h = harness(Workspace::open(&path).expect("open"));
    tag(&mut h, "Singapore", 0, Key::Num6);
    assert!(h.state().workspace().is_dirty());
    h.state_mut()
        .push_action(Action::OpenPaths(vec![other.clone()]));
    settle(&mut h);
    assert!(h.state().is_asking_to_save());
    click_label(&mut h, "Discard");
    assert!(!h.state().is_asking_to_save(), "asked once");
    assert_eq!(h.state().workspace().path(), Some(other.as_path()));
    assert_eq!(
        annotation_count(&path),
        2,
        "the discarded change was not saved"
    );
}

/// Issue 15, item 1: the window says which program holds the project when its save cannot
/// wait any longer, and keeps the work unsaved.
#[test]
fn a_save_blocked_by_another_program_names_it_in_the_window() {
    let (_dir, path, _, _) = saved_project();
    let before = std::fs::read(&path).expect("read");
    let mut h = harness(Workspace::open(&path).expect("open"));
    tag(&mut h, "Singapore", 0, Key::Num5);
    let _lock = marginalia::store::ProjectLock::acquire(
        &path,
        std::time::Duration::ZERO,
        "marginalia import",
    )
    .expect("lock");
    press_with(&mut h, CTRL, Key::S);
    settle(&mut h);
    assert_said(&h, "is being saved by marginalia import (process");
    assert_eq!(std::fs::read(&path).expect("read"), before);
    assert!(h.state().title().starts_with('●'), "{}", h.state().title());
}

/// Issue 20, item 20: tag, minimise at once: the recovery file is still written after the
/// autosave delay (it waited until the window was shown again).
#[test]
fn the_autosave_goes_on_while_the_window_is_minimised() {
    let (_dir, path, _, _) = saved_project();
    let mut h = harness(Workspace::open(&path).expect("open"));
    h.state_mut()
        .set_autosave_delay(Duration::from_millis(1500));
    tag(&mut h, "Singapore", 0, Key::Num6);
    assert!(
        Workspace::find_recovery(&path).is_none(),
        "not yet: the delay runs"
    );
    minimised(&mut h, 20, |_| Workspace::find_recovery(&path).is_some());
    let recovery = Workspace::find_recovery(&path).expect("written while minimised");
    assert_eq!(recovery.annotations, 3);
}

/// Issue 20, item 20: a save that finishes while the window is minimised is taken in then
/// (the project is saved, the title says so), not when the window is shown again.
#[test]
fn a_save_finishing_while_minimised_is_taken_in() {
    let (_dir, path, mut h) = big_app(60_000);
    mark_done_and_save(&mut h);
    minimised(&mut h, 60, |app| !app.busy());
    assert!(!h.state().busy(), "the save was taken in");
    assert!(!h.state().workspace().is_dirty());
    assert!(!h.state().title().starts_with('●'), "{}", h.state().title());
    assert!(
        std::fs::read_to_string(&path)
            .expect("read")
            .contains("status: Done")
    );
    assert!(h.state().messages().iter().any(|m| m.starts_with("Saved")));
}

/// Issue 15, item 15: while a file is read, the status bar's texts never overlap: what does
/// not fit beside the job's progress is left out, in a narrow window too.
#[test]
fn status_bar_texts_never_overlap_while_a_file_is_read() {
    let (dir, article) = temp_article();
    let (workspace, problems) = marginalia::cli::open_paths(&[article]);
    assert!(problems.is_empty());
    for width in [640.0, 900.0, 1280.0] {
        let mut h = egui_kittest::Harness::builder()
            .with_size(eframe::egui::Vec2::new(width, 600.0))
            .with_max_steps(20)
            .build_eframe({
                let workspace = marginalia::cli::open_paths(&[dir.path().join(ARTICLE)]).0;
                move |_cc| {
                    marginalia::gui::MarginaliaApp::new(
                        workspace,
                        Vec::new(),
                        marginalia::gui::DialogBackend::PathField,
                    )
                }
            });
        settle(&mut h);
        let slow = dir.path().join(format!("slow-{width}.txt"));
        let hold = pipe(&slow);
        h.state_mut()
            .push_action(Action::OpenPaths(vec![slow.clone()]));
        h.step();
        h.step();
        let busy = h.get_by_label_contains("Opening slow").rect();
        let cancel = h.get_by_label("Cancel").rect();
        let mut left = 0;
        for text in [
            "us-allies",
            "Encoding:",
            "Status:",
            "characters",
            "annotations here",
        ] {
            for node in h.query_all_by_label_contains(text) {
                let rect = node.rect();
                if rect.min.y < busy.min.y - 10.0 {
                    continue; // not in the status bar
                }
                left += 1;
                assert!(
                    !rect.intersects(busy) && !rect.intersects(cancel),
                    "{width}: {text:?} {rect:?} overlaps the job {busy:?}"
                );
            }
        }
        assert!(
            left > 1 || width < 1000.0,
            "{width}: the document is described"
        );
        release(hold);
        settle(&mut h);
    }
    drop(workspace);
}

/// Issue 19 (corpus scale): a project opens lazily. Its document list and the document
/// shown come at once while the other texts are read behind them; a search of all
/// documents and an export wait for those texts, then run by themselves.
#[test]
fn a_project_shows_its_documents_while_their_texts_are_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_article_dir, article) = temp_article();
    let slow = dir.path().join("slow.txt");
    std::fs::write(&slow, "Hagel, said a late text.\n").expect("write");
    let project = dir.path().join("lazy.ron");
    let mut workspace = Workspace::new_at(&project);
    let shown = workspace.add_document(&article).expect("add");
    let late = workspace.add_document(&slow).expect("add");
    workspace.set_last_document(shown);
    workspace.save().expect("save");
    std::fs::remove_file(&slow).expect("remove");
    let hold = pipe(&slow);
    std::fs::write(&slow, "Hagel, said a late text.\n").expect("write");

    let mut h = harness(Workspace::untitled());
    h.state_mut()
        .push_action(Action::OpenPaths(vec![project.clone()]));
    let started = std::time::Instant::now();
    while h.state().workspace().path() != Some(project.as_path())
        && started.elapsed().as_secs() < 60
    {
        std::thread::sleep(Duration::from_millis(5));
        h.step();
    }
    h.step();
    let workspace = h.state().workspace();
    assert!(
        workspace.text(shown).is_some(),
        "the document shown is read"
    );
    assert!(
        workspace.text(late).is_none(),
        "the other waits for its text"
    );
    assert_eq!(workspace.unread(), 1);
    assert_eq!(h.state().current_document(), Some(shown));
    h.get_by_label_contains("Reading texts: 0 of 1");
    h.get_by_label_contains("said a late text. (0)");

    // Shown, the waiting document says so.
    h.state_mut().push_action(Action::ShowDocument(late));
    h.step();
    h.get_by_label("Reading this document's text…");
    h.state_mut().push_action(Action::ShowDocument(shown));
    h.step();

    // A search of all documents waits; so does an export.
    press_with_no_wait(&mut h, CTRL, Key::F);
    h.step();
    h.get_by_label("Find text").type_text("Hagel");
    h.step();
    h.get_by_label("All documents").click();
    h.step();
    h.step();
    h.get_by_label_contains("Reading the documents' texts (1 left)");
    let out = dir.path().join("all.csv");
    h.state_mut()
        .push_action(export_all(marginalia::formats::Format::Csv, out.clone()));
    h.step();
    h.step();
    h.get_by_label_contains("Export waits for the texts: 0 of 1");
    assert!(!out.exists(), "the export waits for the texts");

    release(hold);
    settle(&mut h);
    assert_eq!(h.state().workspace().unread(), 0);
    assert!(h.state().workspace().text(late).is_some());
    assert!(out.exists(), "the export ran once the texts were read");
    h.get_by_label_contains("hit(s)");
    let hits = h.state().find_hits().to_vec();
    assert!(
        hits.iter().any(|hit| hit.document == late) && hits.iter().any(|hit| hit.document == shown),
        "the search found the late text too: {hits:?}"
    );
}

/// Exporting every annotation in `format` to `out`, as the export dialog asks for it.
fn export_all(format: marginalia::formats::Format, out: PathBuf) -> Action {
    Action::Export(marginalia::gui::ExportRequest {
        scope: marginalia::model::network::Scope::default(),
        format,
        flavor: marginalia::formats::JsonlFlavor::Spans,
        selection: marginalia::formats::Selection::default(),
        out,
    })
}
