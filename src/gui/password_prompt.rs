//! The question asked when a PDF needs a password to open: a file being added, or a
//! document of the project whose source is encrypted. The password is used once and not
//! kept anywhere.

use std::path::PathBuf;

use eframe::egui::{self, Context, Id, Key};

use crate::model::DocumentId;

/// What the password opens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Locked {
    /// A file being added to the project.
    File(PathBuf),
    /// A document of the project whose source could not be read without it.
    Document(DocumentId, PathBuf),
}

impl Locked {
    pub fn path(&self) -> &std::path::Path {
        match self {
            Self::File(path) | Self::Document(_, path) => path,
        }
    }
}

/// The analyst's answer.
pub enum Answer {
    Open(String),
    Cancel,
}

pub struct PasswordPrompt {
    pub locked: Locked,
    password: String,
    /// The last password given did not open it.
    wrong: bool,
}

impl PasswordPrompt {
    pub fn new(locked: Locked, wrong: bool) -> Self {
        Self {
            locked,
            password: String::new(),
            wrong,
        }
    }

    /// Shows the question as a modal; `None` until answered.
    pub fn ui(&mut self, ctx: &Context) -> Option<Answer> {
        let mut answer = None;
        egui::Modal::new(Id::unique("pdf-password")).show(ctx, |ui| {
            ui.set_width(440.0);
            ui.heading("This PDF needs a password");
            let name = self.locked.path().file_name().map_or_else(
                || self.locked.path().display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            ui.label(format!(
                "{name} is encrypted. Enter the password to open it."
            ));
            if self.wrong {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    "That password does not open it. Try again.",
                );
            }
            let field = ui.add(
                egui::TextEdit::singleline(&mut self.password)
                    .password(true)
                    .hint_text("Password"),
            );
            if !field.has_focus() && !field.lost_focus() {
                field.request_focus();
            }
            // The question is modal: Enter anywhere answers it.
            let enter = ui.input(|i| i.key_pressed(Key::Enter));
            ui.weak("The password is used to read the file and is not saved.");
            ui.horizontal(|ui| {
                if ui.button("Open").clicked() || enter {
                    answer = Some(Answer::Open(std::mem::take(&mut self.password)));
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                    answer = Some(Answer::Cancel);
                }
            });
        });
        answer
    }
}
