//! View > Schema…: the project's labels (name, colour, key, kind, how many annotations use
//! each) and relation kinds, editable. A rename, recolour or new key is applied with the
//! row's Apply button; deleting a label that is in use asks first and then deletes its
//! annotations with it (one undo step). "Attributes…" opens the label's attributes (text,
//! number, yes/no, choice). Pushes [`Action`]s only.

use std::collections::HashMap;

use eframe::egui::{self, Context, RichText};

use super::command::Action;
use super::theme;
use crate::model::{Label, LabelId, LabelKind, Rgb};
use crate::workspace::Workspace;

/// A label's fields being edited: name, key, colour.
type Draft = (String, String, [u8; 3]);

/// The schema window's state.
#[derive(Default)]
pub struct SchemaWindow {
    drafts: HashMap<LabelId, Draft>,
    new_name: String,
    new_kind: Option<LabelKind>,
    relation_kinds: Option<String>,
    /// The label whose deletion waits for the analyst's yes.
    confirm_delete: Option<LabelId>,
    /// How many annotations use each label, for the annotations' revision counted at.
    usage: Option<(u64, HashMap<LabelId, usize>)>,
    /// The attributes of the label whose "Attributes…" was clicked.
    attributes: super::label_attributes::AttributesEditor,
}

fn draft_of(label: &Label) -> Draft {
    (
        label.name.clone(),
        label.key.map(String::from).unwrap_or_default(),
        label.color.0,
    )
}

impl SchemaWindow {
    /// Draws the window; false once the analyst closed it.
    pub fn ui(&mut self, ctx: &Context, workspace: &Workspace, actions: &mut Vec<Action>) -> bool {
        let schema = &workspace.project().schema;
        if self.usage.as_ref().map(|(r, _)| *r) != Some(workspace.revision()) {
            self.usage = Some((workspace.revision(), workspace.label_counts()));
        }
        // Drafts of labels that changed elsewhere (undo) or went away are refreshed.
        self.drafts.retain(|id, _| schema.label(id).is_some());
        let mut open = true;
        egui::Window::new("Schema")
            .open(&mut open)
            .default_width(720.0)
            .default_pos([380.0, 100.0])
            .show(ctx, |ui| {
                ui.label(RichText::new("Labels").strong());
                egui::Grid::new("schema-labels")
                    .num_columns(7)
                    .show(ui, |ui| {
                        for label in &schema.labels {
                            self.label_row_ui(ui, label, actions);
                            ui.end_row();
                        }
                    });
                self.confirm_ui(ui, workspace, actions);
                self.attributes.ui(ui, workspace, actions);
                ui.separator();
                self.add_ui(ui, actions);
                ui.separator();
                let kinds = self
                    .relation_kinds
                    .get_or_insert_with(|| schema.relation_kinds.join(", "));
                ui.label(RichText::new("Relation kinds (separated by commas)").strong());
                theme::text_field_ui(ui, kinds, "supports, contradicts…", "Relation kinds");
                let parsed: Vec<String> = kinds
                    .split(',')
                    .map(|k| k.trim().to_owned())
                    .filter(|k| !k.is_empty())
                    .collect();
                if ui
                    .add_enabled(
                        parsed != schema.relation_kinds,
                        egui::Button::new("Apply relation kinds"),
                    )
                    .clicked()
                {
                    actions.push(Action::SetRelationKinds(parsed));
                    self.relation_kinds = None;
                }
            });
        open
    }

    /// How many annotations use `label` (counted once per change of the annotations).
    fn used(&self, label: &LabelId) -> usize {
        self.usage
            .as_ref()
            .and_then(|(_, counts)| counts.get(label).copied())
            .unwrap_or_default()
    }

    fn label_row_ui(&mut self, ui: &mut egui::Ui, label: &Label, actions: &mut Vec<Action>) {
        let used = self.used(&label.id);
        let draft = self
            .drafts
            .entry(label.id.clone())
            .or_insert_with(|| draft_of(label));
        ui.color_edit_button_srgb(&mut draft.2)
            .on_hover_text("Colour (shown with the name, never alone)");
        // Fixed sizes: a grid cell would otherwise shrink the fields to their text.
        let name = ui.add_sized([160.0, 20.0], egui::TextEdit::singleline(&mut draft.0));
        let accessible = format!("Name of label {}", label.id);
        name.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, &accessible));
        let key = ui.add_sized(
            [28.0, 20.0],
            egui::TextEdit::singleline(&mut draft.1).char_limit(1),
        );
        let accessible = format!("Key of label {}", label.id);
        key.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, &accessible));
        ui.weak(format!("{:?}, {used} used", label.kind));
        let edited = Label {
            name: draft.0.trim().to_owned(),
            key: draft.1.chars().next(),
            color: Rgb(draft.2),
            ..label.clone()
        };
        let apply = ui.add_enabled(&edited != label, egui::Button::new("Apply"));
        let accessible = format!("Apply changes to label {}", label.id);
        apply.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &accessible));
        if apply.clicked() {
            actions.push(Action::UpdateLabel(edited));
            self.drafts.remove(&label.id);
        }
        let attributes = ui.button(format!("Attributes ({})…", label.attributes.len()));
        let accessible = format!("Attributes of label {}", label.id);
        attributes.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &accessible));
        if attributes.clicked() {
            self.attributes.open(label.id.clone());
        }
        let delete = ui.button("Delete…");
        let accessible = format!("Delete label {}", label.id);
        delete.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &accessible));
        if delete.clicked() {
            if used == 0 {
                actions.push(Action::DeleteLabel(label.id.clone()));
            } else {
                self.confirm_delete = Some(label.id.clone());
            }
        }
    }

    fn confirm_ui(&mut self, ui: &mut egui::Ui, workspace: &Workspace, actions: &mut Vec<Action>) {
        let Some(id) = self.confirm_delete.clone() else {
            return;
        };
        let name = workspace
            .project()
            .schema
            .label(&id)
            .map_or(id.0.to_string(), |l| l.name.clone());
        let used = self.used(&id);
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!("Delete the label {name} and the {used} annotation(s) tagged with it? (Ctrl+Z undoes it.)"),
        );
        ui.horizontal(|ui| {
            if ui.button("Delete label and annotations").clicked() {
                actions.push(Action::DeleteLabel(id.clone()));
                self.confirm_delete = None;
            }
            if ui.button("Keep the label").clicked() {
                self.confirm_delete = None;
            }
        });
    }

    fn add_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        ui.label(RichText::new("Add a label").strong());
        ui.horizontal(|ui| {
            let name = ui.add(
                egui::TextEdit::singleline(&mut self.new_name)
                    .hint_text("Name, e.g. Weapon system")
                    .desired_width(200.0),
            );
            name.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::TextInput, true, "New label name")
            });
            let kind = self.new_kind.get_or_insert(LabelKind::Entity);
            egui::ComboBox::from_label("Kind")
                .selected_text(format!("{kind:?}"))
                .show_ui(ui, |ui| {
                    for k in [LabelKind::Entity, LabelKind::Claim, LabelKind::Quote] {
                        ui.selectable_value(kind, k, format!("{k:?}"));
                    }
                });
            let kind = *kind;
            if ui
                .add_enabled(
                    !self.new_name.trim().is_empty(),
                    egui::Button::new("Add label"),
                )
                .clicked()
            {
                actions.push(Action::AddLabel(self.new_name.trim().to_owned(), kind));
                self.new_name.clear();
            }
        });
    }
}
