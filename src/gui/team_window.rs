//! File > Team…: who the analyst is (what their annotations record) and setting the
//! project's git repository up for a team (`marginalia team init`).

use eframe::egui::{self, Context};

use super::command::Action;
use crate::workspace::Workspace;

/// The Team window's state.
#[derive(Debug, Default)]
pub struct TeamWindow {
    /// The analyst's name as being edited.
    name: String,
    /// What the last set-up said, one line each.
    pub said: Vec<String>,
}

impl TeamWindow {
    pub fn new(workspace: &Workspace) -> Self {
        Self {
            name: workspace.analyst().to_owned(),
            said: Vec::new(),
        }
    }

    /// Draws the window; false once closed.
    pub fn ui(&mut self, ctx: &Context, workspace: &Workspace, actions: &mut Vec<Action>) -> bool {
        let mut open = true;
        egui::Window::new("Team")
            .open(&mut open)
            .collapsible(false)
            .show(ctx, |ui| {
                ui.label("Your name, recorded with every annotation you make or change:");
                ui.horizontal(|ui| {
                    let field = ui.add(
                        egui::TextEdit::singleline(&mut self.name)
                            .hint_text("Analyst name")
                            .desired_width(220.0),
                    );
                    field.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Analyst name")
                    });
                    let changed = self.name.trim() != workspace.analyst();
                    let apply = ui.add_enabled(changed, egui::Button::new("Use this name"));
                    let entered =
                        field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    if changed && (apply.clicked() || entered) {
                        actions.push(Action::SetAnalyst(self.name.trim().to_owned()));
                    }
                });
                ui.weak("By default git's user.name where the project is in a git work tree, else your user name.");
                ui.separator();
                let folder = workspace.path().and_then(std::path::Path::parent);
                match folder.and_then(crate::workspace::analyst::git_dir) {
                    Some(git) => {
                        ui.label(format!("The project is in a git repository ({}).", git.display()));
                        if ui
                            .button("Set up this repository for a team")
                            .on_hover_text("Write .gitattributes and .gitignore and register Marginalia's merge driver, so that merges of the project never conflict (marginalia team init)")
                            .clicked()
                        {
                            actions.push(Action::TeamInit);
                        }
                    }
                    None if workspace.path().is_none() => {
                        ui.label("Save the project in a git work tree to share it with a team.");
                    }
                    None => {
                        ui.label("The project is not in a git work tree: clone the team's repository, or run `git init` in its folder.");
                    }
                }
                for line in &self.said {
                    ui.label(line);
                }
            });
        open
    }
}
