//! File > Import…: format, files, offset unit, strictness; shows what was imported or
//! every problem. The import itself is an [`Action`] the app runs, as one undo step.

use std::path::PathBuf;

use eframe::egui::{self, Context, Id};

use super::command::{Action, ImportRequest};
use crate::formats::{ImportFormat, OffsetUnit};

/// The dialog's state while open.
#[derive(Default)]
pub struct ImportDialog {
    format: Option<ImportFormat>,
    paths: String,
    offsets: OffsetUnit,
    strict: bool,
    /// The last import's report, or its error.
    pub report: Option<Result<String, String>>,
}

impl ImportDialog {
    /// Shows the dialog; false once it is closed.
    pub fn ui(&mut self, ctx: &Context, actions: &mut Vec<Action>) -> bool {
        let mut open = true;
        let format = *self.format.get_or_insert(ImportFormat::Brat);
        let modal = egui::Modal::new(Id::unique("import-dialog")).show(ctx, |ui| {
            ui.set_width(540.0);
            ui.heading("Import annotations");
            let mut chosen = format;
            egui::ComboBox::from_label("Import format")
                .selected_text(chosen.name())
                .show_ui(ui, |ui| {
                    for f in ImportFormat::ALL {
                        ui.selectable_value(&mut chosen, f, f.name());
                    }
                });
            self.format = Some(chosen);
            ui.label(match chosen {
                ImportFormat::Brat => {
                    "brat .ann files or folders (the .txt beside each is the document):"
                }
                ImportFormat::Jsonl => {
                    "JSONL files (texts are stored in imported/ beside the project):"
                }
                ImportFormat::W3c => {
                    "W3C JSON-LD files (their sources must be documents of this project):"
                }
                ImportFormat::Refi => {
                    "REFI-QDA .qdpx files (texts are stored in imported/ beside the project):"
                }
            });
            let field = ui.add(
                egui::TextEdit::multiline(&mut self.paths)
                    .desired_rows(3)
                    .desired_width(f32::INFINITY)
                    .hint_text("one path per line"),
            );
            field.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Import paths")
            });
            if chosen == ImportFormat::Jsonl {
                ui.horizontal(|ui| {
                    ui.label("Offsets count:");
                    ui.radio_value(
                        &mut self.offsets,
                        OffsetUnit::Codepoints,
                        "code points (Python, spaCy)",
                    );
                    ui.radio_value(
                        &mut self.offsets,
                        OffsetUnit::Utf16,
                        "UTF-16 units (JavaScript tools)",
                    );
                });
            }
            ui.checkbox(&mut self.strict, "Refuse labels this project does not have");
            ui.horizontal(|ui| {
                let paths: Vec<PathBuf> = self
                    .paths
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(PathBuf::from)
                    .collect();
                if ui
                    .add_enabled(!paths.is_empty(), egui::Button::new("Import"))
                    .clicked()
                {
                    actions.push(Action::Import(ImportRequest {
                        format: chosen,
                        paths,
                        offsets: self.offsets,
                        strict: self.strict,
                    }));
                }
                if ui.button("Close").clicked() {
                    open = false;
                }
            });
            super::dialogs::outcome_ui(ui, self.report.as_ref());
        });
        // Escape (or a click beside it) closes it, as its Cancel does.
        open && !modal.should_close()
    }
}
