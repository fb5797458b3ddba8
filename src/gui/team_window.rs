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
    /// Another analyst's name being typed, to assign the document to.
    other: String,
}

impl TeamWindow {
    pub fn new(workspace: &Workspace) -> Self {
        Self {
            name: workspace.analyst().to_owned(),
            said: Vec::new(),
            other: String::new(),
        }
    }

    /// Draws the window; false once closed.
    pub fn ui(
        &mut self,
        ctx: &Context,
        workspace: &Workspace,
        current: Option<crate::model::DocumentId>,
        actions: &mut Vec<Action>,
    ) -> bool {
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
                    super::theme::name_text_field(&field, "Analyst name");
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
                if let Some(document) = current.and_then(|d| workspace.project().document(d)) {
                    ui.separator();
                    self.assignment_ui(ui, workspace, document, actions);
                }
            });
        open
    }

    /// Who the document shown is assigned to (several analysts for double coding).
    fn assignment_ui(
        &mut self,
        ui: &mut egui::Ui,
        workspace: &Workspace,
        document: &crate::model::Document,
        actions: &mut Vec<Action>,
    ) {
        ui.label(format!("“{}” is assigned to:", document.display_name()));
        let mut known: std::collections::BTreeSet<String> =
            workspace.project().analysts().map(str::to_owned).collect();
        known.remove(crate::model::curation::CURATED);
        known.extend(document.assigned.iter().cloned());
        if !workspace.analyst().is_empty() {
            known.insert(workspace.analyst().to_owned());
        }
        for name in &known {
            let mut assigned = document.assigned.contains(name);
            if ui.checkbox(&mut assigned, name).changed() {
                let mut names = document.assigned.clone();
                if assigned {
                    names.push(name.clone());
                } else {
                    names.retain(|n| n != name);
                }
                actions.push(Action::Assign(document.id, names));
            }
        }
        ui.horizontal(|ui| {
            let field = ui.add(
                egui::TextEdit::singleline(&mut self.other)
                    .hint_text("Another analyst")
                    .desired_width(160.0),
            );
            super::theme::name_text_field(&field, "Another analyst");
            if ui
                .add_enabled(!self.other.trim().is_empty(), egui::Button::new("Assign"))
                .clicked()
            {
                let mut names = document.assigned.clone();
                names.push(self.other.trim().to_owned());
                actions.push(Action::Assign(document.id, names));
                self.other.clear();
            }
        });
    }
}
