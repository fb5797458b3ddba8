//! File > Document details… and File > Project memo…: what a document's file said about
//! it (title, byline, date, outlet, address, language) as the analyst corrects it, their
//! own note on the source, and the team's memo on the whole project. Each Apply is one
//! undo step.

use eframe::egui::{self, Context};

use super::command::Action;
use super::theme;
use crate::model::{DocumentId, Metadata};
use crate::workspace::Workspace;

/// The details of one document being edited (the document it was opened for, whichever
/// is shown later).
pub struct DetailsWindow {
    document: DocumentId,
    /// The fields as typed: title, byline, date, outlet, address, language, note.
    fields: [String; 7],
}

/// The fields' names, in the window's order.
const NAMES: [&str; 7] = [
    "Title",
    "Byline",
    "Date",
    "Outlet",
    "Address (URL)",
    "Language",
    "Your note on this source",
];

impl DetailsWindow {
    /// The details of `document` as the project holds them.
    pub fn new(workspace: &Workspace, document: DocumentId) -> Self {
        let mut window = Self {
            document,
            fields: Default::default(),
        };
        window.reset(workspace);
        window
    }

    /// The document whose details are edited.
    pub fn document(&self) -> DocumentId {
        self.document
    }

    fn reset(&mut self, workspace: &Workspace) {
        let metadata = workspace
            .project()
            .document(self.document)
            .map(|d| d.metadata.clone())
            .unwrap_or_default();
        self.fields = [
            metadata.title,
            metadata.byline,
            metadata.date,
            metadata.site_name,
            metadata.url,
            metadata.language,
            metadata.note,
        ]
        .map(Option::unwrap_or_default);
    }

    /// The metadata the fields say (an empty field is no value).
    fn metadata(&self) -> Metadata {
        let value = |i: usize| {
            let text = self.fields[i].trim();
            (!text.is_empty()).then(|| text.to_owned())
        };
        Metadata {
            title: value(0),
            byline: value(1),
            date: value(2),
            site_name: value(3),
            url: value(4),
            language: value(5),
            note: value(6),
        }
    }

    /// Draws the window; false once closed (or its document is gone).
    pub fn ui(&mut self, ctx: &Context, workspace: &Workspace, actions: &mut Vec<Action>) -> bool {
        let Some(document) = workspace.project().document(self.document) else {
            return false;
        };
        let mut open = true;
        egui::Window::new("Document details")
            .open(&mut open)
            .collapsible(false)
            .default_pos([760.0, 90.0])
            .default_width(460.0)
            .show(ctx, |ui| {
                ui.weak(format!("{} ({})", document.display_name(), document.path));
                egui::Grid::new("details").num_columns(2).show(ui, |ui| {
                    for (name, field) in NAMES.iter().zip(&mut self.fields).take(6) {
                        ui.label(*name);
                        theme::text_field_ui(ui, field, "", name);
                        ui.end_row();
                    }
                });
                ui.label(NAMES[6]);
                let note = ui.add(
                    egui::TextEdit::multiline(&mut self.fields[6])
                        .desired_rows(4)
                        .desired_width(f32::INFINITY)
                        .hint_text("Who this source is, how far to trust it, what to check…"),
                );
                theme::name_text_field(&note, NAMES[6]);
                let changed = self.metadata() != document.metadata;
                match apply_or_revert(ui, changed, "Keep these details (one undo step)") {
                    Some(true) => actions.push(Action::SetMetadata(
                        self.document,
                        Box::new(self.metadata()),
                    )),
                    Some(false) => self.reset(workspace),
                    None => {}
                }
            });
        open
    }
}

/// The project memo being edited.
#[derive(Default)]
pub struct MemoWindow {
    text: String,
}

impl MemoWindow {
    pub fn new(workspace: &Workspace) -> Self {
        Self {
            text: workspace.project().memo.clone(),
        }
    }

    /// Draws the window; false once closed.
    pub fn ui(&mut self, ctx: &Context, workspace: &Workspace, actions: &mut Vec<Action>) -> bool {
        let mut open = true;
        egui::Window::new("Project memo")
            .open(&mut open)
            .collapsible(false)
            .default_pos([760.0, 90.0])
            .default_width(460.0)
            .show(ctx, |ui| {
                ui.weak("The team's notes on the whole project: its question, sources to chase, decisions. Saved in the project file.");
                let memo = ui.add(
                    egui::TextEdit::multiline(&mut self.text)
                        .desired_rows(8)
                        .desired_width(f32::INFINITY),
                );
                theme::name_text_field(&memo, "Project memo");
                let changed = self.text.trim_end() != workspace.project().memo;
                match apply_or_revert(ui, changed, "Keep this memo (one undo step)") {
                    Some(true) => actions.push(Action::SetMemo(self.text.trim_end().to_owned())),
                    Some(false) => workspace.project().memo.clone_into(&mut self.text),
                    None => {}
                }
            });
        open
    }
}

/// Apply and Revert, enabled while something was `changed`: `Some(true)` when Apply was
/// clicked, `Some(false)` for Revert.
fn apply_or_revert(ui: &mut egui::Ui, changed: bool, apply_hover: &str) -> Option<bool> {
    ui.horizontal(|ui| {
        let apply = ui
            .add_enabled(changed, egui::Button::new("Apply"))
            .on_hover_text(apply_hover)
            .clicked();
        let revert = ui
            .add_enabled(changed, egui::Button::new("Revert"))
            .clicked();
        (apply || revert).then_some(apply)
    })
    .inner
}
