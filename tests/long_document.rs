//! The virtualized view on a long document: jumping far down shows the right text,
//! hit-testing and drag selection work there, and an edit in one paragraph moves nothing
//! in the others.

use crate::common;

use std::fmt::Write as _;

use common::*;
use eframe::egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use marginalia::gui::Action;
use marginalia::model::{CharPos, LabelId, Span};
use marginalia::workspace::Workspace;

const PARAGRAPHS: usize = 3000;

/// A workspace on a 3,000-paragraph document, with a Claim on the last paragraph's first
/// sentence and a Person in the middle.
fn long_workspace(dir: &std::path::Path) -> Workspace {
    let mut text = String::new();
    for i in 0..PARAGRAPHS {
        let _ = write!(
            text,
            "Paragraph {i}. Analysts in Seoul and Tokyo read reports number {i} about \
             missile defence, and Defense Secretary Chuck Hagel spoke to them at length.\n\n"
        );
    }
    let path = dir.join("long.txt");
    std::fs::write(&path, text).expect("write");
    let mut workspace = Workspace::new_at(&dir.join("long.ron"));
    let doc = workspace.add_document(&path).expect("add");
    let body = workspace.text(doc).expect("text").as_str().to_owned();
    let pos = |needle: &str| CharPos(body[..body.find(needle).expect("needle")].chars().count());
    let last = pos(&format!("Paragraph {}.", PARAGRAPHS - 1));
    workspace
        .annotate(
            doc,
            Span::between(last, last.forward(15)),
            &LabelId("claim".into()),
        )
        .expect("claim");
    let middle = pos(&format!("Paragraph {}.", PARAGRAPHS / 2));
    workspace
        .annotate(
            doc,
            Span::between(middle, middle.forward(9)),
            &LabelId("person".into()),
        )
        .expect("person");
    workspace
}

fn jump_to_label(
    h: &mut egui_kittest::Harness<'static, marginalia::gui::MarginaliaApp>,
    label: &str,
) -> CharPos {
    let annotation = annotations(h)
        .into_iter()
        .find(|a| a.label.as_str() == label)
        .expect("annotation");
    h.state_mut().push_action(Action::JumpTo(annotation.id));
    settle(h);
    annotation.span.start()
}

#[test]
fn jumping_to_the_end_and_the_middle_shows_the_text_there() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(long_workspace(dir.path()));
    let first = find(&h, "Paragraph 0.", 0);
    assert!(
        h.state().screen_pos_of(first).is_some(),
        "the start is shown first"
    );

    let end = jump_to_label(&mut h, "claim");
    let on_screen = screen(&h, end);
    assert!((0.0..800.0).contains(&on_screen.y), "{on_screen:?}");
    assert!(
        h.state().screen_pos_of(first).is_none(),
        "the start is scrolled away"
    );

    let middle = jump_to_label(&mut h, "person");
    assert!((0.0..800.0).contains(&screen(&h, middle).y));
    assert!(h.state().screen_pos_of(end).is_none());
}

#[test]
fn drag_selection_and_clicks_work_far_down() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(long_workspace(dir.path()));
    let claim_start = jump_to_label(&mut h, "claim");
    let hagel = find(&h, "Chuck Hagel", PARAGRAPHS - 1);
    assert!(hagel > claim_start);
    drag_chars(&mut h, hagel.forward(2), hagel.forward(8), Modifiers::NONE);
    press(&mut h, Key::Num3);
    let tagged = annotations(&h)
        .into_iter()
        .find(|a| a.span.start() == hagel)
        .expect("a person far down");
    assert_eq!(tagged.text(), "Chuck Hagel");

    press(&mut h, Key::Escape);
    let on_claim = screen(&h, claim_start.forward(3));
    click_at(&mut h, on_claim);
    let claim = annotations(&h)
        .into_iter()
        .find(|a| a.label.as_str() == "claim")
        .expect("claim");
    assert_eq!(
        h.state().selected(),
        Some(claim.id),
        "hit-testing far down selects the claim"
    );
}

#[test]
fn an_edit_in_one_paragraph_moves_nothing_in_the_others() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(long_workspace(dir.path()));
    let seoul = find(&h, "Seoul", 1);
    let tokyo_next = find(&h, "Tokyo", 2);
    let before = (screen(&h, seoul), screen(&h, tokyo_next));
    let hagel = find(&h, "Chuck Hagel", 1);
    drag_chars(&mut h, hagel, hagel.forward(11), Modifiers::NONE);
    press(&mut h, Key::Num3);
    assert_eq!(annotations(&h).len(), 3);
    assert_eq!((screen(&h, seoul), screen(&h, tokyo_next)), before);
}

/// A long document whose paragraphs differ in length (one to eight sentences), so that the
/// view's estimated heights differ from the measured ones.
fn uneven_workspace(dir: &std::path::Path) -> Workspace {
    let mut text = String::new();
    for i in 0..PARAGRAPHS {
        let _ = write!(text, "Paragraph {i}.");
        // Wide capitals and narrow letters: the view's estimates are far off either way.
        let sentence = if i % 3 == 0 {
            " MWMWM WMWMW MWMWM WMWMW MWMWM WMWMW MWMWM WMWMW."
        } else {
            " Analysts in Seoul and Tokyo read the reports about missile defence."
        };
        for _ in 0..(i * 7 % 8) {
            text.push_str(sentence);
        }
        text.push_str("\n\n");
    }
    let path = dir.join("uneven.txt");
    std::fs::write(&path, text).expect("write");
    let mut workspace = Workspace::new_at(&dir.join("uneven.ron"));
    workspace.add_document(&path).expect("add");
    workspace
}

/// Shows the character `pos` (as a find hit is shown).
fn show(h: &mut egui_kittest::Harness<'static, marginalia::gui::MarginaliaApp>, pos: CharPos) {
    let document = h.state().current_document().expect("shown");
    h.state_mut().push_action(Action::ShowSpan(
        document,
        Span::between(pos, pos.forward(1)),
    ));
    settle(h);
    press(h, Key::Escape);
}

#[test]
fn scrolling_up_into_unmeasured_paragraphs_moves_the_text_by_the_scroll_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(uneven_workspace(dir.path()));
    let target = find(&h, &format!("Paragraph {}.", PARAGRAPHS - 10), 0);
    show(&mut h, target);
    let before = screen(&h, target);
    for _ in 0..3 {
        h.hover_at(eframe::egui::pos2(640.0, 400.0));
        h.event(eframe::egui::Event::MouseWheel {
            unit: eframe::egui::MouseWheelUnit::Point,
            delta: eframe::egui::vec2(0.0, 60.0),
            phase: eframe::egui::TouchPhase::Move,
            source: eframe::egui::MouseWheelSource::Wheel,
            modifiers: Modifiers::NONE,
        });
        settle(&mut h);
    }
    let after = screen(&h, target);
    let moved = after.y - before.y;
    assert!(
        moved > 100.0 && (moved - 180.0).abs() < 2.0,
        "the text moved {moved} px for 180 px of scrolling"
    );
}

#[test]
fn a_narrower_window_keeps_the_paragraph_being_read_in_view() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(uneven_workspace(dir.path()));
    let target = find(&h, &format!("Paragraph {}.", PARAGRAPHS / 2), 0);
    show(&mut h, target);
    let before = screen(&h, target);
    h.set_size(eframe::egui::vec2(900.0, 800.0));
    settle(&mut h);
    let after = h
        .state()
        .screen_pos_of(target)
        .expect("the paragraph is still shown");
    // The paragraph above it stays at the top: it moves down by as much as that one grew
    // in the narrower column, and stays on screen.
    assert!(
        after.y >= before.y && after.y < 780.0,
        "it moved from {before:?} to {after:?}"
    );
}

#[test]
fn a_worker_measures_every_paragraph_while_the_text_on_screen_stays_put() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(uneven_workspace(dir.path()));
    settle(&mut h);
    let first = h.state().estimated_paragraphs();
    assert!(
        first > PARAGRAPHS / 2,
        "only the first screen is laid out by the window ({first} estimated)"
    );
    let target = find(&h, "Paragraph 4.", 0);
    let before = screen(&h, target);
    let started = std::time::Instant::now();
    while h.state().estimated_paragraphs() > 0 && started.elapsed().as_secs() < 60 {
        std::thread::sleep(std::time::Duration::from_millis(5));
        h.step();
    }
    assert_eq!(
        h.state().estimated_paragraphs(),
        0,
        "every paragraph measured without scrolling to it"
    );
    assert_eq!(
        screen(&h, target),
        before,
        "the text on screen did not move"
    );
    // The worker measured as the window does: jumping far down finds the text where the
    // measured heights put it, and laying it out there moves nothing.
    let far = find(&h, &format!("Paragraph {}.", PARAGRAPHS - 10), 0);
    let document = h.state().current_document().expect("shown");
    h.state_mut().push_action(Action::ShowSpan(
        document,
        Span::between(far, far.forward(1)),
    ));
    h.step();
    h.step();
    let shown = screen(&h, far);
    settle(&mut h);
    assert_eq!(screen(&h, far), shown);
}

/// Issue 20, item 3: a jump to an annotation in another document switches to it and shows
/// the annotation (it stayed at the top), selected, its list row in view, and not under a
/// floating window.
#[test]
fn a_jump_into_another_document_shows_the_target_clear_of_windows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut workspace = long_workspace(dir.path());
    let long = workspace.project().documents()[0].id;
    // Many annotations in the long document, so that the list must scroll too.
    let text = workspace.text(long).expect("text").as_str().to_owned();
    for i in (0..PARAGRAPHS).step_by(PARAGRAPHS / 120) {
        let at = text
            .find(&format!("Paragraph {i}."))
            .map(|b| CharPos(text[..b].chars().count()))
            .expect("paragraph");
        let _ = workspace.annotate(
            long,
            Span::between(at, at.forward(9)),
            &LabelId("event".into()),
        );
    }
    let (_article_dir, article) = temp_article();
    let short = workspace.add_document(&article).expect("add");
    let mut h = harness(workspace);
    h.state_mut().push_action(Action::ShowDocument(short));
    settle(&mut h);
    // A floating window where the text is.
    press_with(&mut h, CTRL, Key::F);
    settle(&mut h);
    let target = annotations(&h)
        .into_iter()
        .filter(|a| a.document == long && a.label.as_str() == "event")
        .max_by_key(|a| a.span.start())
        .expect("far down");
    h.state_mut().push_action(Action::JumpTo(target.id));
    for _ in 0..40 {
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert_eq!(h.state().current_document(), Some(long));
    assert_eq!(h.state().selected(), Some(target.id));
    let on_screen = screen(&h, target.span.start());
    assert!((60.0..760.0).contains(&on_screen.y), "shown: {on_screen:?}");
    let covered = h.state().floating_window_rects(&h.ctx);
    assert!(!covered.is_empty(), "the find window is open");
    // Not on a line a window covers (over the text column, which spans the window's x).
    assert!(
        covered.iter().all(|w| !w.y_range().contains(on_screen.y)),
        "{on_screen:?} on a line under {covered:?}"
    );
    // Its row in the annotation list is drawn (the list scrolled to it).
    let row = format!("Event: {}", target.text());
    assert!(
        h.query_all_by_label_contains(&row).count() > 0,
        "{row} in view in the list"
    );
}

/// Issue 20, item 5: reading keys in a long text: arrows scroll a line, Page Down/Up a
/// screen, Ctrl+End/Ctrl+Home (and End/Home) to the end and the start.
#[test]
fn reading_keys_scroll_the_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(long_workspace(dir.path()));
    let second = find(&h, "Paragraph 1.", 0);
    let before = screen(&h, second).y;
    press(&mut h, Key::ArrowDown);
    let after = screen(&h, second).y;
    assert!(
        (before - after - 31.0).abs() < 1.0,
        "a line: {before} -> {after}"
    );
    press(&mut h, Key::PageDown);
    let paged = h.state().screen_pos_of(second).map(|p| p.y);
    assert!(
        paged.is_none_or(|y| before - y > 400.0),
        "a screen: {before} -> {paged:?}"
    );
    press(&mut h, Key::PageUp);
    let back = screen(&h, second).y;
    assert!((back - after).abs() < 1.0, "{after} -> {back}");
    press_with(&mut h, CTRL, Key::End);
    settle(&mut h);
    let last = find(&h, &format!("Paragraph {}.", PARAGRAPHS - 1), 0);
    assert!(h.state().screen_pos_of(last).is_some(), "the end is shown");
    press_with(&mut h, CTRL, Key::Home);
    settle(&mut h);
    assert!(
        h.state().screen_pos_of(second).is_some(),
        "the start is shown"
    );
    press(&mut h, Key::End);
    settle(&mut h);
    assert!(h.state().screen_pos_of(last).is_some());
}

/// Issue 20, item 5: zoom from the keyboard and from the View menu.
#[test]
fn zoom_from_the_keyboard_and_the_view_menu() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(long_workspace(dir.path()));
    press_with(&mut h, CTRL, Key::Plus);
    settle(&mut h);
    assert!(
        h.ctx.zoom_factor() > 1.05,
        "zoomed in: {}",
        h.ctx.zoom_factor()
    );
    click_label(&mut h, "View");
    h.get_by_label_contains("Actual size").click();
    settle(&mut h);
    assert!((h.ctx.zoom_factor() - 1.0).abs() < 1e-6);
    click_label(&mut h, "View");
    h.get_by_label_contains("Zoom out").click();
    settle(&mut h);
    assert!(h.ctx.zoom_factor() < 0.95);
    // The first paragraph is still where the reading starts.
    let first = find(&h, "Paragraph 0.", 0);
    assert!(h.state().screen_pos_of(first).is_some());
}

/// Issue 20, item 5: zooming keeps the reading position, in the middle of a long text and
/// at its end (it once jumped from the end to the middle).
#[test]
fn zoom_keeps_the_paragraph_being_read_in_view() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(long_workspace(dir.path()));
    let doc = h.state().current_document().expect("shown");
    let middle = find(&h, &format!("Paragraph {}.", PARAGRAPHS / 2), 0);
    h.state_mut().push_action(marginalia::gui::Action::ShowSpan(
        doc,
        marginalia::model::Span::between(middle, middle.forward(10)),
    ));
    settle(&mut h);
    assert!(h.state().screen_pos_of(middle).is_some(), "shown");
    for key in [Key::Plus, Key::Plus, Key::Minus, Key::Minus, Key::Minus] {
        press_with(&mut h, CTRL, key);
        settle(&mut h);
        assert!(
            h.state().screen_pos_of(middle).is_some(),
            "still in view at zoom {}",
            h.ctx.zoom_factor()
        );
    }
    // At the end: the paragraph at the top of the view stays there (it once jumped to
    // the middle of the text when the zoom changed twice in a row).
    press_with(&mut h, CTRL, Key::End);
    settle(&mut h);
    let near_end = find(&h, &format!("Paragraph {}.", PARAGRAPHS - 10), 0);
    assert!(
        h.state().screen_pos_of(near_end).is_some(),
        "the end is shown"
    );
    for key in [Key::Plus, Key::Plus, Key::Num0, Key::Minus] {
        press_with(&mut h, CTRL, key);
        settle(&mut h);
        assert!(
            h.state().screen_pos_of(near_end).is_some(),
            "the end stays in view at zoom {}",
            h.ctx.zoom_factor()
        );
    }
}

/// Issue 20, item 6: a document opens where the analyst left it, when they come back to
/// it in the session and at the next start (kept outside the project file); one never
/// read opens at its top.
#[test]
fn a_document_opens_where_the_analyst_left_it() {
    use marginalia::gui::Action;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut workspace = long_workspace(dir.path());
    let short_path = dir.path().join("short.txt");
    std::fs::write(&short_path, "A short article.\n").expect("write");
    let short = workspace.add_document(&short_path).expect("add");
    workspace.save().expect("save");
    let mut h = harness(workspace);
    let long = h
        .state()
        .current_document()
        .expect("the long text is shown");
    assert_ne!(long, short);
    let first = find(&h, "Paragraph 0.", 0);
    assert!(
        h.state().screen_pos_of(first).is_some(),
        "never read: its top"
    );
    let middle = find(&h, &format!("Paragraph {}.", PARAGRAPHS / 2), 0);
    h.state_mut().push_action(Action::ShowSpan(
        long,
        marginalia::model::Span::between(middle, middle.forward(10)),
    ));
    settle(&mut h);
    assert!(h.state().screen_pos_of(middle).is_some());
    h.state_mut().push_action(Action::ShowDocument(short));
    settle(&mut h);
    assert_eq!(h.state().current_document(), Some(short));
    h.state_mut().push_action(Action::ShowDocument(long));
    settle(&mut h);
    assert!(
        h.state().screen_pos_of(middle).is_some(),
        "back where the analyst left it"
    );
    assert!(h.state().screen_pos_of(first).is_none());
    // The next start, on the same project: the long text, where it was left.
    h.state_mut().push_action(Action::ShowDocument(short));
    settle(&mut h);
    h.state_mut().push_action(Action::ShowDocument(long));
    settle(&mut h);
    drop(h);
    let reopened = Workspace::open(&dir.path().join("long.ron")).expect("open");
    let h = harness(reopened);
    assert_eq!(h.state().current_document(), Some(long));
    assert!(
        h.state().screen_pos_of(middle).is_some(),
        "where it was left, at the next start"
    );
}
