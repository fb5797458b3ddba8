//! Find and tag all: the search (plain, case, whole word, regex, scope) and tagging every
//! hit as one undo step, in the core and driven through the window.

use crate::common;

use common::*;
use eframe::egui::Key;
use egui_kittest::kittest::Queryable;
use marginalia::model::{CharPos, LabelId, Span};
use marginalia::workspace::{FindQuery, Workspace};

fn query(text: &str) -> FindQuery {
    FindQuery {
        text: text.to_owned(),
        ..FindQuery::default()
    }
}

/// A project with two documents.
fn two_documents() -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    std::fs::write(&a, "😀 Kim met KIM. Kimchi is not Kim; the U.S. and Kim.\n").expect("write");
    std::fs::write(&b, "Kim again, in another article.\n").expect("write");
    let mut workspace = Workspace::new_at(&dir.path().join("p.ron"));
    workspace.add_document(&a).expect("add a");
    workspace.add_document(&b).expect("add b");
    (dir, workspace)
}

#[test]
fn find_counts_code_points_and_honours_case_word_regex_and_scope() {
    let (_dir, workspace) = two_documents();
    let a = workspace.project().documents()[0].id;
    let texts = |q: &FindQuery, scope| -> Vec<String> {
        workspace
            .find(q, scope)
            .expect("search")
            .iter()
            .map(|h| {
                workspace
                    .text(h.document)
                    .and_then(|t| t.slice(h.span))
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect()
    };
    // Case-insensitive by default, inside words too.
    assert_eq!(
        texts(&query("kim"), Some(a)),
        ["Kim", "KIM", "Kim", "Kim", "Kim"]
    );
    let hits = workspace.find(&query("kim"), Some(a)).expect("search");
    assert_eq!(
        hits[0].span,
        Span::between(CharPos(2), CharPos(5)),
        "the emoji is one"
    );
    let whole = FindQuery {
        whole_word: true,
        ..query("kim")
    };
    assert_eq!(texts(&whole, Some(a)).len(), 4, "not inside “Kimchi”");
    let exact_case = FindQuery {
        match_case: true,
        ..whole.clone()
    };
    assert!(
        texts(&exact_case, Some(a)).is_empty(),
        "“kim” never occurs in lower case"
    );
    let exact_case = FindQuery {
        match_case: true,
        whole_word: true,
        ..query("Kim")
    };
    assert_eq!(texts(&exact_case, Some(a)), ["Kim", "Kim", "Kim"]);
    assert_eq!(
        texts(
            &FindQuery {
                whole_word: true,
                ..query("U.S.")
            },
            Some(a)
        ),
        ["U.S."],
        "punctuation is matched literally and still counts as a whole word"
    );
    let pattern = FindQuery {
        regex: true,
        ..query(r"K\w+ (met|is)")
    };
    assert_eq!(texts(&pattern, Some(a)), ["Kim met", "Kimchi is"]);
    assert_eq!(texts(&whole, None).len(), 5, "all documents");
    let bad = FindQuery {
        regex: true,
        ..query("(unclosed")
    };
    let error = workspace.find(&bad, None).expect_err("invalid");
    assert!(error.to_string().contains("not a valid regular expression"));
    assert!(workspace.find(&query(""), None).expect("empty").is_empty());
}

/// The two documents and the four whole-word, case-sensitive hits of "Kim" in them.
fn kims() -> (
    tempfile::TempDir,
    Workspace,
    Vec<marginalia::workspace::Hit>,
) {
    let (dir, workspace) = two_documents();
    let whole = FindQuery {
        whole_word: true,
        match_case: true,
        ..query("Kim")
    };
    let hits = workspace.find(&whole, None).expect("search");
    assert_eq!(hits.len(), 4);
    (dir, workspace, hits)
}

#[test]
fn tag_all_is_one_undo_step_and_skips_what_is_already_tagged() {
    let (_dir, mut workspace, hits) = kims();
    let person = LabelId("person".into());
    workspace
        .annotate(hits[0].document, hits[0].span, &person)
        .expect("tag one by hand");
    let added = workspace.tag_all(&hits, &person).expect("tag all");
    assert_eq!(added, 3, "the one already tagged is skipped");
    assert_eq!(workspace.project().annotation_count(), 4);
    assert!(hits.iter().all(|h| workspace.is_tagged(*h, &person)));
    workspace.undo().expect("undo");
    assert_eq!(workspace.project().annotation_count(), 1, "one step");
    workspace.redo().expect("redo");
    assert_eq!(
        workspace.tag_all(&hits, &person).expect("again"),
        0,
        "nothing left to tag"
    );
}

#[test]
fn ctrl_f_finds_cronin_and_tag_all_tags_every_mention_as_one_step() {
    let (_dir, article) = temp_article();
    let (workspace, problems) = marginalia::cli::open_paths(&[article]);
    assert!(problems.is_empty());
    let mut h = harness(workspace);
    let doc = h.state().current_document().expect("shown");
    let expected = h
        .state()
        .workspace()
        .text(doc)
        .expect("text")
        .as_str()
        .matches("Cronin")
        .count();
    assert!(
        expected >= 2,
        "the article mentions Cronin {expected} times"
    );

    press_with(&mut h, CTRL, Key::F);
    h.get_by_label("Find text").type_text("Cronin");
    settle(&mut h);
    h.get_by_label_contains(&format!("{expected} hit(s)"));
    // Tag as Person (the label list starts with Claim).
    click_label(&mut h, "Tag as");
    click_label(&mut h, "Person");
    click_label(&mut h, &format!("Tag all ({expected})"));
    let tagged: Vec<(String, String)> = labels_and_texts(&h);
    assert_eq!(
        tagged,
        vec![("person".to_owned(), "Cronin".to_owned()); expected]
    );
    h.get_by_label_contains(&format!("{expected} hit(s), 0 not yet tagged"));

    // One undo step removes them all.
    h.get_by_label("Find text").focus();
    press(&mut h, Key::Escape);
    press_with(&mut h, CTRL, Key::Z);
    assert!(annotations(&h).is_empty(), "{:?}", labels_and_texts(&h));
}

#[test]
fn clicking_a_hit_shows_and_selects_it() {
    let (_dir, article) = temp_article();
    let (workspace, _) = marginalia::cli::open_paths(&[article]);
    let mut h = harness(workspace);
    press_with(&mut h, CTRL, Key::F);
    h.get_by_label("Find text").type_text("Shangri-La Dialogue");
    settle(&mut h);
    h.get_by_label_contains("[Shangri-La Dialogue]").click();
    settle(&mut h);
    let selection = h.state().text_selection().expect("the hit is selected");
    let doc = h.state().current_document().expect("shown");
    assert_eq!(
        h.state()
            .workspace()
            .text(doc)
            .and_then(|t| t.slice(selection)),
        Some("Shangri-La Dialogue")
    );
    // Its place is on screen, and a label key tags it.
    assert!(h.state().screen_pos_of(selection.start()).is_some());
    press(&mut h, Key::Num7);
    assert_eq!(
        labels_and_texts(&h),
        [("event".to_owned(), "Shangri-La Dialogue".to_owned())]
    );
}

#[test]
fn a_search_through_a_long_text_runs_on_a_worker_and_can_be_stopped() {
    use std::fmt::Write as _;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = String::new();
    for i in 0..60_000 {
        let _ = write!(
            text,
            "Paragraph {i}. Analysts in Seoul read report {i} about missile defence.\n\n"
        );
    }
    let mut h = harness(workspace_with_text(dir.path(), &text));
    press_with(&mut h, CTRL, Key::F);
    h.get_by_label("Find text").type_text("Seoul");
    h.step();
    assert!(h.state().busy(), "the search runs on a worker");
    h.get_by_label_contains("Searching");
    // The analyst stops it: no hits, and said.
    click_label(&mut h, "Stop");
    settle(&mut h);
    assert!(!h.state().busy());
    h.get_by_label_contains("Search stopped");
    h.get_by_label_contains("0 hit(s)");

    // A changed search runs to the end; its one hit is tagged.
    h.get_by_label("Find text").focus();
    h.step();
    h.get_by_label("Find text").type_text(" read report 59999");
    settle(&mut h);
    h.get_by_label_contains("1 hit(s), 1 not yet tagged");
    // No label is chosen for the analyst (it was Claim, by default: a click made every hit
    // a claim): Tag all waits for a choice.
    assert!(
        {
            use egui_kittest::kittest::NodeT as _;
            h.get_by_label("Tag all (1)").accesskit_node().is_disabled()
        },
        "Tag all waits for a label"
    );
    click_label(&mut h, "Tag as");
    click_label(&mut h, "Claim");
    click_label(&mut h, "Tag all (1)");
    let tagged = labels_and_texts(&h);
    assert_eq!(
        tagged,
        vec![("claim".to_owned(), "Seoul read report 59999".to_owned())]
    );
    h.get_by_label_contains("1 hit(s), 0 not yet tagged");
}

#[test]
fn tags_prepared_on_a_worker_skip_what_was_tagged_meanwhile_and_a_cancelled_job_tags_nothing() {
    let (_dir, mut workspace, hits) = kims();
    let person = LabelId("person".into());

    // Cancelled: nothing prepared, nothing tagged.
    let progress = marginalia::model::Progress::new();
    progress.cancel();
    let job = workspace.tag_job(hits.clone(), person.clone(), None);
    assert_eq!(job.len(), 4);
    assert!(job.run(&progress).is_none());
    assert_eq!(workspace.project().annotation_count(), 0);

    // Prepared, then one hit is tagged by hand before the tags are taken in.
    let progress = marginalia::model::Progress::new();
    let prepared = workspace
        .tag_job(hits.clone(), person.clone(), None)
        .run(&progress)
        .expect("prepared");
    assert_eq!(progress.fraction(), Some(1.0));
    workspace
        .annotate(hits[2].document, hits[2].span, &person)
        .expect("by hand");
    let added = workspace.finish_tags(prepared).expect("tag");
    assert_eq!(added, 3, "the hit tagged meanwhile is not tagged twice");
    assert_eq!(workspace.project().annotation_count(), 4);
    assert!(hits.iter().all(|h| workspace.is_tagged(*h, &person)));
    let texts: Vec<String> = workspace
        .project()
        .annotations()
        .map(|a| a.text().to_owned())
        .collect();
    assert!(texts.iter().all(|t| t == "Kim"), "{texts:?}");
    workspace.undo().expect("undo");
    assert_eq!(workspace.project().annotation_count(), 1, "one step");
}

#[test]
fn tag_all_links_each_mention_to_the_entity_its_own_words_name() {
    let (_dir, mut workspace, kim_hits) = kims();
    let person = LabelId("person".into());
    let first = workspace
        .annotate(kim_hits[0].document, kim_hits[0].span, &person)
        .expect("tag one by hand");
    let kim = workspace.new_entity_from(first).expect("entity Kim");
    let either = FindQuery {
        whole_word: true,
        match_case: true,
        regex: true,
        ..query(r"U\.S\.|Kim")
    };
    let hits = workspace.find(&either, None).expect("search");
    assert_eq!(hits.len(), 5);
    assert_eq!(workspace.tag_all(&hits, &person).expect("tag all"), 4);
    let links: Vec<(String, Option<marginalia::model::EntityId>)> = workspace
        .project()
        .annotations()
        .map(|a| (a.text().to_owned(), a.entity))
        .collect();
    assert_eq!(links.len(), 5);
    for (text, entity) in &links {
        let expected = (text == "Kim").then_some(kim);
        assert_eq!(*entity, expected, "{text}: {links:?}");
    }
    assert!(links.iter().any(|(t, _)| t == "U.S."));
}

#[test]
fn a_tag_all_added_in_parts_is_one_undo_step() {
    let (_dir, mut workspace, hits) = kims();
    let person = LabelId("person".into());
    let mut prepared = workspace
        .tag_job(hits, person.clone(), None)
        .run(&marginalia::model::Progress::new())
        .expect("prepared");
    assert_eq!(prepared.remaining(), 4);
    assert_eq!(
        workspace.finish_tags_part(&mut prepared, 3).expect("part"),
        3
    );
    assert_eq!(
        (prepared.remaining(), workspace.project().annotation_count()),
        (1, 3)
    );
    assert_eq!(
        workspace.finish_tags_part(&mut prepared, 3).expect("rest"),
        1
    );
    assert_eq!((prepared.remaining(), prepared.added()), (0, 4));
    assert!(workspace.undo().expect("undo"));
    assert_eq!(workspace.project().annotation_count(), 0, "one step");
    assert!(!workspace.can_undo());
    assert!(workspace.redo().expect("redo"));
    assert_eq!(workspace.project().annotation_count(), 4);

    // Something else changes the annotations between two parts: the rest is checked
    // again and is a step of its own.
    workspace.undo().expect("undo");
    let mut prepared = workspace
        .tag_job(workspace_hits(&workspace), person.clone(), None)
        .run(&marginalia::model::Progress::new())
        .expect("prepared");
    workspace.finish_tags_part(&mut prepared, 2).expect("part");
    let hits = workspace_hits(&workspace);
    workspace
        .annotate(hits[3].document, hits[3].span, &person)
        .expect("by hand");
    assert_eq!(
        workspace.finish_tags_part(&mut prepared, 9).expect("rest"),
        1
    );
    assert_eq!(workspace.project().annotation_count(), 4);
    workspace.undo().expect("undo");
    assert_eq!(workspace.project().annotation_count(), 3);
}

fn workspace_hits(workspace: &Workspace) -> Vec<marginalia::workspace::Hit> {
    let whole = FindQuery {
        whole_word: true,
        match_case: true,
        ..query("Kim")
    };
    workspace.find(&whole, None).expect("search")
}

#[test]
fn a_big_tag_all_goes_in_over_several_frames_as_one_undo_step() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "Kim met Moon. ".repeat(30);
    let mut h = harness(workspace_with_text(dir.path(), &text));
    // Parts of 8 tags stand in for parts of 8,192 (a "tag all" of 100,000 hits).
    h.state_mut().set_part(8);
    let hits = workspace_hits(h.state().workspace());
    assert_eq!(hits.len(), 30);
    let person = LabelId("person".into());
    h.state_mut().push_action(marginalia::gui::Action::TagAll(
        hits.clone(),
        person.clone(),
        None,
    ));
    // Prepared on a worker, then added a part per frame: the window shows the progress.
    let mut seen = Vec::new();
    let started = std::time::Instant::now();
    while h.state().workspace().project().annotation_count() < 30
        && started.elapsed().as_secs() < 60
    {
        h.step();
        let count = h.state().workspace().project().annotation_count();
        if count > 0 && seen.last() != Some(&count) {
            seen.push(count);
            if count < 30 {
                h.get_by_label_contains("Adding 30 tag(s)");
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    assert_eq!(seen, [8, 16, 24, 30], "a part per frame");
    settle(&mut h);
    assert_said(&h, "Tagged 30 hit(s) as Person");
    press_with(&mut h, CTRL, Key::Z);
    assert_eq!(
        h.state().workspace().project().annotation_count(),
        0,
        "one step"
    );

    // The analyst acts while the tags go in: the rest goes in first, so undo still takes
    // them all.
    h.state_mut()
        .push_action(marginalia::gui::Action::TagAll(hits, person, None));
    let started = std::time::Instant::now();
    while h.state().workspace().project().annotation_count() == 0
        && started.elapsed().as_secs() < 60
    {
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    assert_eq!(h.state().workspace().project().annotation_count(), 8);
    press_with(&mut h, CTRL, Key::Z);
    assert_eq!(h.state().workspace().project().annotation_count(), 0);
    assert!(!h.state().busy());
}

/// Tags 30 hits through the window (parts of 8 standing in for 8,192) and waits until all
/// are in.
fn tagged_in_parts(
    dir: &std::path::Path,
) -> egui_kittest::Harness<'static, marginalia::gui::MarginaliaApp> {
    let text = "Kim met Moon. ".repeat(30);
    let mut h = harness(workspace_with_text(dir, &text));
    h.state_mut().set_part(8);
    let hits = workspace_hits(h.state().workspace());
    assert_eq!(hits.len(), 30);
    h.state_mut().push_action(marginalia::gui::Action::TagAll(
        hits,
        LabelId("person".into()),
        None,
    ));
    settle(&mut h);
    assert_eq!(h.state().workspace().project().annotation_count(), 30);
    h
}

/// The counts of annotations after each frame until `done` holds (at most a minute).
fn counts_until(
    h: &mut egui_kittest::Harness<'_, marginalia::gui::MarginaliaApp>,
    status: &str,
    done: impl Fn(usize) -> bool,
) -> Vec<usize> {
    let mut seen = vec![h.state().workspace().project().annotation_count()];
    let started = std::time::Instant::now();
    while !done(h.state().workspace().project().annotation_count())
        && started.elapsed().as_secs() < 60
    {
        h.step();
        seen.push(h.state().workspace().project().annotation_count());
        // The status bar (drawn before the frame's part) said what was going on.
        h.get_by_label_contains(status);
    }
    seen
}

/// A shortcut pressed and released within one frame (kittest's own presses take a frame
/// per event).
fn shortcut_in_one_frame(
    h: &mut egui_kittest::Harness<'_, marginalia::gui::MarginaliaApp>,
    modifiers: eframe::egui::Modifiers,
    key: Key,
) {
    let events = &mut h.input_mut().events;
    events.push(eframe::egui::Event::ModifiersChanged(modifiers));
    for pressed in [true, false] {
        events.push(eframe::egui::Event::Key {
            key,
            pressed,
            modifiers,
            repeat: false,
            physical_key: None,
        });
    }
    events.push(eframe::egui::Event::ModifiersChanged(
        eframe::egui::Modifiers::default(),
    ));
    h.step();
}

#[test]
fn undoing_and_redoing_a_big_tag_all_goes_a_part_per_frame() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = tagged_in_parts(dir.path());
    // Ctrl+Z takes the first part out at once, the rest a part per frame.
    shortcut_in_one_frame(&mut h, CTRL, Key::Z);
    let undone = counts_until(&mut h, "Undoing a change of 30 annotation(s)", |n| n == 0);
    assert_eq!(undone, [22, 14, 6, 0], "a part per frame");
    settle(&mut h);
    assert!(!h.state().busy());
    assert!(!h.state().workspace().can_undo(), "one step, all undone");
    shortcut_in_one_frame(&mut h, CTRL, Key::Y);
    let redone = counts_until(&mut h, "Redoing a change of 30 annotation(s)", |n| n == 30);
    assert_eq!(redone, [8, 16, 24, 30]);
    settle(&mut h);
    assert!(!h.state().workspace().can_redo());
    // Ctrl+Y pressed while an undo goes in: the undo ends first, then the redo starts.
    shortcut_in_one_frame(&mut h, CTRL, Key::Z);
    assert_eq!(h.state().workspace().project().annotation_count(), 22);
    shortcut_in_one_frame(&mut h, CTRL, Key::Y);
    assert_eq!(h.state().workspace().project().annotation_count(), 8);
    settle(&mut h);
    assert_eq!(h.state().workspace().project().annotation_count(), 30);
    // A change made while an undo goes in comes after all of it.
    shortcut_in_one_frame(&mut h, CTRL, Key::Z);
    assert_eq!(h.state().workspace().project().annotation_count(), 22);
    tag_anywhere(&mut h, "Moon", 0, Key::Num2);
    let added = annotations(&h);
    assert_eq!(added.len(), 1, "all 30 undone, then Moon tagged");
    assert_eq!(added[0].text(), "Moon");
    press_with(&mut h, CTRL, Key::Z);
    assert_eq!(h.state().workspace().project().annotation_count(), 0);
    assert!(
        !h.state().workspace().can_undo(),
        "the tag all was undone whole before Moon was tagged"
    );
}

#[test]
fn the_recovery_file_never_holds_part_of_a_big_change() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("p.ron");
    let mut h = tagged_in_parts(dir.path());
    h.state_mut().wait_for_autosave();
    h.state_mut().set_autosave_delay(std::time::Duration::ZERO);
    let recovered = |h: &mut egui_kittest::Harness<'_, marginalia::gui::MarginaliaApp>| {
        h.state_mut().wait_for_autosave();
        Workspace::find_recovery(&path).map(|r| r.annotations)
    };
    h.step();
    assert_eq!(recovered(&mut h), Some(30));
    // Written after every frame it may be: never with some of the tags undone.
    press_with_no_wait(&mut h, CTRL, Key::Z);
    let mut written = Vec::new();
    for _ in 0..6 {
        written.push(recovered(&mut h));
        h.step();
    }
    written.push(recovered(&mut h));
    assert_eq!(h.state().workspace().project().annotation_count(), 0);
    assert!(
        written.iter().all(|w| matches!(w, Some(30 | 0))),
        "{written:?}"
    );
    assert_eq!(written.last(), Some(&Some(0)), "{written:?}");
    // Nor with some of the tags of a "tag all" going in.
    let hits = workspace_hits(h.state().workspace());
    h.state_mut().push_action(marginalia::gui::Action::TagAll(
        hits,
        LabelId("person".into()),
        None,
    ));
    let mut written = Vec::new();
    let started = std::time::Instant::now();
    while written.last() != Some(&Some(30)) && started.elapsed().as_secs() < 60 {
        h.step();
        written.push(recovered(&mut h));
    }
    assert!(
        written.iter().all(|w| matches!(w, Some(30 | 0))),
        "{written:?}"
    );
    assert_eq!(written.last(), Some(&Some(30)), "{written:?}");
}

/// Re-reading a source that changed clears the history: an undo going a part at a time
/// ends first instead of staying half done.
#[test]
fn a_changed_source_read_while_an_undo_goes_in_parts_ends_it_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "Kim met Moon. ".repeat(30);
    let mut workspace = workspace_with_text(dir.path(), &text);
    let doc = workspace.project().documents()[0].id;
    let hits = workspace_hits(&workspace);
    let person = LabelId("person".into());
    assert_eq!(workspace.tag_all(&hits, &person).expect("tag all"), 30);
    let replay = workspace.undo_part(8).expect("undo part").expect("a step");
    assert_eq!((replay.done, replay.total), (8, 30));
    assert_eq!(workspace.project().annotation_count(), 22);
    // The source changed: found elsewhere with a line before the text.
    let moved = dir.path().join("moved.txt");
    std::fs::write(&moved, format!("Added later.\n{text}")).expect("write");
    workspace.locate(doc, &moved).expect("locate");
    assert_eq!(workspace.replaying(), None);
    assert_eq!(
        workspace.project().annotation_count() + workspace.project().orphans().count(),
        0,
        "the whole tag all undone, none left half way"
    );
    assert!(!workspace.can_undo() && !workspace.can_redo());
}

/// Issue 20, item 20: a big "tag all" minimised half way goes on to the end (it stopped
/// part-way until the window was shown again).
#[test]
fn a_big_tag_all_goes_on_while_the_window_is_minimised() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "Kim met Moon. ".repeat(30);
    let mut h = harness(workspace_with_text(dir.path(), &text));
    h.state_mut().set_part(8);
    let hits = workspace_hits(h.state().workspace());
    h.state_mut().push_action(marginalia::gui::Action::TagAll(
        hits,
        LabelId("person".into()),
        None,
    ));
    h.step();
    let first = h.state().workspace().project().annotation_count();
    assert!(first < 30, "only a part so far: {first}");
    minimised(&mut h, 30, |app| {
        app.workspace().project().annotation_count() == 30
    });
    assert_eq!(h.state().workspace().project().annotation_count(), 30);
    assert!(!h.state().busy());
}

/// Issue 20, item 11: Find's "Tag as" offers the entity label the analyst used last, never
/// the schema's first label (Claim) by itself.
#[test]
fn find_offers_the_last_entity_label_used() {
    use egui_kittest::kittest::NodeT as _;
    let (dir, article) = temp_article();
    let (workspace, _) = marginalia::cli::open_paths(&[article]);
    let mut h = harness(workspace);
    press_with(&mut h, CTRL, Key::F);
    h.get_by_label("Find text").type_text("Onodera");
    settle(&mut h);
    let button = h.get_by_label_contains("Tag all (");
    assert!(
        button.accesskit_node().is_disabled(),
        "no label chosen for the analyst"
    );
    press(&mut h, Key::Escape);
    tag(&mut h, "Chuck Hagel", 0, Key::Num3);
    press_with(&mut h, CTRL, Key::F);
    h.get_by_label("Find text").type_text("Onodera");
    settle(&mut h);
    h.get_by_label_contains("Tag all (").click();
    settle(&mut h);
    assert!(
        labels_and_texts(&h).contains(&("person".to_owned(), "Onodera".to_owned())),
        "{:?}",
        labels_and_texts(&h)
    );
    drop(dir);
}

/// Issue 20, item 8: over all documents, each find hit names its document.
#[test]
fn find_hits_over_all_documents_name_their_document() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut workspace = Workspace::new_at(&dir.path().join("p.ron"));
    for (name, text) in [
        ("seoul.txt", "Seoul report\n\nKim met Moon in Seoul."),
        ("tokyo.txt", "Tokyo report\n\nKim flew to Tokyo."),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        workspace.add_document(&path).expect("add");
    }
    let mut h = harness(workspace);
    press_with(&mut h, CTRL, Key::F);
    h.get_by_label("Find text").type_text("Kim");
    settle(&mut h);
    click_label(&mut h, "All documents");
    settle(&mut h);
    h.get_by_label_contains("2 hit(s)");
    h.get_by_label_contains("Seoul report: …");
    h.get_by_label_contains("Tokyo report: …");
}
