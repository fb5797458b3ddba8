//! Helpers shared by the integration tests.
#![allow(dead_code, reason = "each test binary uses a different subset")]

use std::path::{Path, PathBuf};

use eframe::egui::{self, Key, Modifiers, Pos2, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use marginalia::gui::{DialogBackend, MarginaliaApp};
use marginalia::model::{Annotation, CharPos};
use marginalia::workspace::Workspace;

pub const ARTICLE: &str = "us-allies-intel-swaps-north-korea-missiles.txt";

/// The repository's copy of the reference article.
pub fn repo_article() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("projects")
        .join(ARTICLE)
}

/// A temporary folder holding a copy of the reference article.
pub fn temp_article() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(ARTICLE);
    std::fs::copy(repo_article(), &path).expect("copy article");
    (dir, path)
}

/// The app on `workspace`, 1280×800, file paths asked in the path field.
pub fn harness(workspace: Workspace) -> Harness<'static, MarginaliaApp> {
    harness_with(workspace, Vec::new())
}

/// Like [`harness`], showing `problems` as the command line does.
pub fn harness_with(
    workspace: Workspace,
    problems: Vec<String>,
) -> Harness<'static, MarginaliaApp> {
    // Where the analyst was reading stays in this run's own folder, not the user's.
    marginalia::workspace::view_state::use_state_dir(
        std::env::temp_dir().join(format!("marginalia-test-state-{}", std::process::id())),
    );
    let mut harness = Harness::builder()
        .with_size(Vec2::new(1280.0, 800.0))
        .with_max_steps(20)
        .build_eframe(move |_cc| MarginaliaApp::new(workspace, problems, DialogBackend::PathField));
    settle(&mut harness);
    harness
}

/// Runs frames until the app is idle, waiting for a save or export running in the
/// background to finish (at most a minute).
pub fn settle(harness: &mut Harness<'_, MarginaliaApp>) {
    harness.run_ok();
    let started = std::time::Instant::now();
    while harness.state().busy() && started.elapsed() < std::time::Duration::from_mins(1) {
        std::thread::sleep(std::time::Duration::from_millis(2));
        harness.run_ok();
    }
}

/// The position in code points of the `occurrence`-th `needle` in the shown document.
pub fn find(harness: &Harness<'_, MarginaliaApp>, needle: &str, occurrence: usize) -> CharPos {
    let app = harness.state();
    let id = app.current_document().expect("a document is shown");
    let text = app.workspace().text(id).expect("text loaded").as_str();
    let Some((byte, _)) = text.match_indices(needle).nth(occurrence) else {
        panic!("{needle:?} #{occurrence} not in the text");
    };
    CharPos(text[..byte].chars().count())
}

/// Where character `pos` is on screen.
pub fn screen(harness: &Harness<'_, MarginaliaApp>, pos: CharPos) -> Pos2 {
    harness
        .state()
        .screen_pos_of(pos)
        .unwrap_or_else(|| panic!("character {pos} is not visible"))
}

/// Drags the mouse from `from` to `to`, with `modifiers` held.
pub fn drag(harness: &mut Harness<'_, MarginaliaApp>, from: Pos2, to: Pos2, modifiers: Modifiers) {
    harness.event(egui::Event::ModifiersChanged(modifiers));
    harness.hover_at(from);
    settle(harness);
    harness.event(egui::Event::PointerButton {
        pos: from,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers,
    });
    settle(harness);
    harness.hover_at(from.lerp(to, 0.5));
    settle(harness);
    harness.hover_at(to);
    settle(harness);
    harness.event(egui::Event::PointerButton {
        pos: to,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers,
    });
    settle(harness);
    harness.event(egui::Event::ModifiersChanged(Modifiers::NONE));
    harness.remove_cursor();
    settle(harness);
}

/// Drags over characters `[start, end)` of the shown document.
pub fn drag_chars(
    harness: &mut Harness<'_, MarginaliaApp>,
    start: CharPos,
    end: CharPos,
    modifiers: Modifiers,
) {
    let from = screen(harness, start);
    let to = screen(harness, end);
    drag(harness, from, to, modifiers);
}

/// Drags over the `occurrence`-th `needle` and presses `key`; returns where it starts.
pub fn tag(
    harness: &mut Harness<'_, MarginaliaApp>,
    needle: &str,
    occurrence: usize,
    key: Key,
) -> CharPos {
    let start = find(harness, needle, occurrence);
    drag_chars(
        harness,
        start,
        start.forward(needle.chars().count()),
        Modifiers::NONE,
    );
    press(harness, key);
    start
}

/// Clicks at a screen position.
pub fn click_at(harness: &mut Harness<'_, MarginaliaApp>, pos: Pos2) {
    harness.hover_at(pos);
    settle(harness);
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    settle(harness);
}

pub fn press(harness: &mut Harness<'_, MarginaliaApp>, key: Key) {
    harness.key_press(key);
    settle(harness);
}

pub fn press_with(harness: &mut Harness<'_, MarginaliaApp>, modifiers: Modifiers, key: Key) {
    harness.key_press_modifiers(modifiers, key);
    settle(harness);
}

pub const CTRL: Modifiers = Modifiers::COMMAND;
pub const CTRL_SHIFT: Modifiers = Modifiers {
    shift: true,
    ..Modifiers::COMMAND
};

/// All annotations of the project, in file order.
pub fn annotations(harness: &Harness<'_, MarginaliaApp>) -> Vec<Annotation> {
    harness
        .state()
        .workspace()
        .project()
        .annotations_sorted()
        .into_iter()
        .cloned()
        .collect()
}

/// (label id, exact text) of every annotation.
pub fn labels_and_texts(harness: &Harness<'_, MarginaliaApp>) -> Vec<(String, String)> {
    annotations(harness)
        .into_iter()
        .map(|a| (a.label.0.to_string(), a.text().to_owned()))
        .collect()
}

/// Clicks the widget labelled `label`.
pub fn click_label(harness: &mut Harness<'_, MarginaliaApp>, label: &str) {
    harness.get_by_label(label).click();
    settle(harness);
}

/// Asserts that the app told the user something containing `needle`.
pub fn assert_said(harness: &Harness<'_, MarginaliaApp>, needle: &str) {
    let messages = harness.state().messages();
    assert!(
        messages.iter().any(|m| m.contains(needle)),
        "no message contains {needle:?}: {messages:?}"
    );
}

/// Tags the `occurrence`-th `needle` wherever it is: shown and selected as a find hit is
/// (the view scrolls to it), then `key` pressed. Returns where it starts.
pub fn tag_anywhere(
    harness: &mut Harness<'_, MarginaliaApp>,
    needle: &str,
    occurrence: usize,
    key: Key,
) -> CharPos {
    let start = find(harness, needle, occurrence);
    let span = marginalia::model::Span::between(start, start.forward(needle.chars().count()));
    let document = harness
        .state()
        .current_document()
        .expect("a document is shown");
    harness
        .state_mut()
        .push_action(marginalia::gui::Action::ShowSpan(document, span));
    settle(harness);
    press(harness, key);
    start
}

/// The rows of a CSV export (after its byte-order mark), each a map from column name to
/// cell.
pub fn csv_rows(path: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let bytes = std::fs::read(path).expect("read the CSV");
    let body = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .expect("a byte-order mark");
    let mut reader = csv::Reader::from_reader(body);
    let header = reader.headers().expect("header").clone();
    reader
        .records()
        .map(|r| {
            let row = r.expect("row");
            header
                .iter()
                .zip(row.iter())
                .map(|(h, c)| (h.to_owned(), c.to_owned()))
                .collect()
        })
        .collect()
}

/// A new project in `dir` (`p.ron`, not saved yet) with one article `a.txt` holding `text`.
pub fn workspace_with_text(dir: &Path, text: &str) -> Workspace {
    let article = dir.join("a.txt");
    std::fs::write(&article, text).expect("write the article");
    let mut workspace = Workspace::new_at(&dir.join("p.ron"));
    workspace.add_document(&article).expect("add the article");
    workspace
}

/// Presses a shortcut and draws one frame, without waiting for background work.
pub fn press_with_no_wait(
    harness: &mut Harness<'_, MarginaliaApp>,
    modifiers: Modifiers,
    key: Key,
) {
    harness.key_press_modifiers(modifiers, key);
    harness.step();
}

/// An annotation of `span` in `text` (document `document`), built as the app would.
pub fn annotation_on(
    text: &marginalia::model::DocText,
    document: marginalia::model::DocumentId,
    id: u64,
    label: &str,
    span: marginalia::model::Span,
) -> Annotation {
    let (prefix, suffix) = text.context(span);
    let now = jiff::Timestamp::now();
    Annotation {
        id: marginalia::model::AnnotationId(id),
        document,
        label: marginalia::model::LabelId(label.into()),
        span,
        fragments: Vec::new(),
        excerpt: marginalia::model::Excerpt::held(
            text.slice(span).expect("span in the text"),
            &prefix,
            &suffix,
        ),
        entity: None,
        attrs: marginalia::model::Attributes::default(),
        note: String::new(),
        author: String::new(),
        changed_by: String::new(),
        created: now,
        modified: now,
    }
}

/// Runs only `App::logic`, as eframe 0.37 does while the window is minimised or hidden,
/// until `done` or `seconds` have passed.
pub fn minimised(
    h: &mut egui_kittest::Harness<'static, marginalia::gui::MarginaliaApp>,
    seconds: u64,
    done: impl Fn(&marginalia::gui::MarginaliaApp) -> bool,
) {
    let ctx = h.ctx.clone();
    let mut frame = eframe::Frame::_new_kittest();
    let started = std::time::Instant::now();
    while !done(h.state()) && started.elapsed() < std::time::Duration::from_secs(seconds) {
        eframe::App::logic(h.state_mut(), &ctx, &mut frame);
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}
