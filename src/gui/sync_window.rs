//! File > Sync…: commit the project with a message, pull the team's work (merged), push
//! (see [`crate::workspace::SyncJob`]); the job itself runs on a worker the app polls in
//! `App::logic`, so it goes on while this window is closed or the app hidden.

use eframe::egui::{self, Context};

use super::command::Action;
use crate::workspace::Workspace;

/// The Sync window's state.
#[derive(Debug, Default)]
pub struct SyncWindow {
    /// The commit message being typed.
    message: String,
    /// What the last sync said, one line each.
    pub said: Vec<String>,
}

impl SyncWindow {
    /// Draws the window; false once closed. `running` says a sync is under way.
    pub fn ui(
        &mut self,
        ctx: &Context,
        workspace: &Workspace,
        running: bool,
        actions: &mut Vec<Action>,
    ) -> bool {
        let mut open = true;
        egui::Window::new("Sync")
            .open(&mut open)
            .collapsible(false)
            .show(ctx, |ui| {
                ui.label("Commit the project, bring in the team's work (merged), and share yours:");
                let field = ui.add(
                    egui::TextEdit::singleline(&mut self.message)
                        .hint_text("What you did (the commit message)")
                        .desired_width(320.0),
                );
                super::theme::name_text_field(&field, "Commit message");
                let dirty = workspace.is_dirty();
                if dirty {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        "Save first (Ctrl+S): a sync commits the project as saved.",
                    );
                }
                ui.horizontal(|ui| {
                    if ui
                        .add_enabled(!dirty && !running, egui::Button::new("Sync"))
                        .on_hover_text(
                            "git add, commit, pull (Marginalia merges the project), push",
                        )
                        .clicked()
                    {
                        actions.push(Action::Sync(self.message.trim().to_owned()));
                    }
                    if running {
                        ui.spinner();
                        ui.label("Syncing…");
                        if ui.button("Cancel").clicked() {
                            actions.push(Action::CancelSync);
                        }
                    }
                });
                for line in &self.said {
                    ui.label(line);
                }
            });
        open
    }
}
