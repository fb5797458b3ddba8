//! File > Export…: format, filters, target path; shows the fidelity report afterwards.
//! The dialog only collects choices; the export itself is an [`Action`] the app runs.

use std::path::PathBuf;

use eframe::egui::{self, Context, Id};

use super::command::{Action, ExportRequest};
use crate::formats::{Format, JsonlFlavor, Selection};
use crate::model::network::Scope;
use crate::model::{LabelKind, Project};

/// The dialog's state while open.
pub struct ExportDialog {
    format: Format,
    flavor: JsonlFlavor,
    scope: Scope,
    /// Label ids, checked or not, in schema order.
    labels: Vec<(String, String, bool)>,
    /// Document ids, checked or not, in project order.
    documents: Vec<(String, String, bool)>,
    kinds: [(LabelKind, &'static str, bool); 3],
    path: String,
    folder: Option<PathBuf>,
    /// The last export's report, or its error.
    pub report: Option<Result<String, String>>,
}

impl ExportDialog {
    pub fn new(project: &Project, project_name: &str, folder: Option<PathBuf>) -> Self {
        let mut dialog = Self {
            format: Format::Csv,
            flavor: JsonlFlavor::Spans,
            scope: Scope::Sentence,
            labels: project
                .schema
                .labels
                .iter()
                .map(|l| (l.id.0.to_string(), l.name.clone(), true))
                .collect(),
            documents: project
                .documents()
                .iter()
                .map(|d| (d.id.0.to_string(), d.display_name().to_owned(), true))
                .collect(),
            kinds: [
                (LabelKind::Claim, "Claims", true),
                (LabelKind::Quote, "Quotes", true),
                (LabelKind::Entity, "Entities", true),
            ],
            path: String::new(),
            folder,
            report: None,
        };
        dialog.path = dialog.default_path(project_name);
        dialog
    }

    fn default_path(&self, project_name: &str) -> String {
        let stem =
            crate::formats::safe_file_stem(&format!("{project_name}-{}", format_slug(self.format)));
        let name = if self.format.writes_folder() {
            stem
        } else {
            format!("{stem}.{}", self.format.extension())
        };
        self.folder.as_ref().map_or_else(
            || name.clone(),
            |f| f.join(&name).to_string_lossy().into_owned(),
        )
    }

    /// Which labels, kinds and documents to export.
    fn filters_ui(&mut self, ui: &mut egui::Ui) {
        ui.label("Labels:");
        ui.horizontal_wrapped(|ui| {
            for (_, name, checked) in &mut self.labels {
                ui.checkbox(checked, name.as_str());
            }
        });
        ui.horizontal(|ui| {
            ui.label("Kinds:");
            for (_, name, checked) in &mut self.kinds {
                ui.checkbox(checked, *name);
            }
        });
        ui.label("Documents:");
        egui::ScrollArea::vertical()
            .id_salt("export-documents")
            .max_height(120.0)
            .show(ui, |ui| {
                for (_, name, checked) in &mut self.documents {
                    ui.checkbox(checked, crate::gui::theme::ellipsize(name, 60));
                }
            });
    }

    /// Shows the dialog; false once it is closed.
    pub fn ui(&mut self, ctx: &Context, project_name: &str, actions: &mut Vec<Action>) -> bool {
        let mut open = true;
        let modal = egui::Modal::new(Id::unique("export-dialog")).show(ctx, |ui| {
            ui.set_width(520.0);
            ui.heading("Export annotations");
            let before = self.format;
            egui::ComboBox::from_label("Format")
                .selected_text(self.format.name())
                .show_ui(ui, |ui| {
                    for format in Format::ALL {
                        ui.selectable_value(&mut self.format, format, format.name());
                    }
                });
            if before != self.format {
                self.path = self.default_path(project_name);
            }
            if self.format == Format::Jsonl {
                ui.horizontal(|ui| {
                    ui.label("Dialect:");
                    ui.radio_value(
                        &mut self.flavor,
                        JsonlFlavor::Spans,
                        "spaCy / Prodigy spans",
                    );
                    ui.radio_value(&mut self.flavor, JsonlFlavor::Doccano, "doccano");
                });
            }
            if self.format == Format::Graphml {
                ui.horizontal(|ui| {
                    ui.label("Entities are linked when mentioned in the same:");
                    for scope in Scope::ALL {
                        ui.radio_value(&mut self.scope, scope, scope.name());
                    }
                });
            }
            self.filters_ui(ui);
            ui.label(if self.format.writes_folder() {
                "Folder (created; must be empty):"
            } else {
                "File:"
            });
            let field =
                ui.add(egui::TextEdit::singleline(&mut self.path).desired_width(f32::INFINITY));
            field.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Export path")
            });
            if !matches!(self.format, Format::Graphml | Format::Matrix) {
                ui.weak("Offsets are Unicode code points, end-exclusive, over the exported text.");
            }
            ui.horizontal(|ui| {
                let chosen: Vec<String> = self
                    .labels
                    .iter()
                    .filter(|(_, _, c)| *c)
                    .map(|(id, _, _)| id.clone())
                    .collect();
                let documents = checked(&self.documents);
                let kinds: Vec<LabelKind> =
                    self.kinds.iter().filter(|k| k.2).map(|k| k.0).collect();
                let can_export = !chosen.is_empty()
                    && !documents.is_empty()
                    && !kinds.is_empty()
                    && !self.path.trim().is_empty();
                if ui
                    .add_enabled(can_export, egui::Button::new("Export"))
                    .clicked()
                {
                    actions.push(Action::Export(ExportRequest {
                        format: self.format,
                        flavor: self.flavor,
                        scope: self.scope,
                        selection: Selection {
                            labels: chosen,
                            documents,
                            kinds,
                        },
                        out: PathBuf::from(self.path.trim()),
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

/// The ids of the checked items.
fn checked(items: &[(String, String, bool)]) -> Vec<String> {
    items.iter().filter(|i| i.2).map(|i| i.0.clone()).collect()
}

fn format_slug(format: Format) -> &'static str {
    match format {
        Format::Brat => "brat",
        Format::W3c => "w3c",
        Format::Jsonl => "jsonl",
        Format::Conll => "conll",
        Format::Csv => "csv",
        Format::Html => "report",
        Format::Refi => "refi",
        Format::Graphml => "entity-network",
        Format::Matrix => "entity-matrix",
    }
}
