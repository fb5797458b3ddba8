//! The schema window's attribute editor for one label: its attributes (name, kind, the
//! options of a choice), each changed with Apply, deleted (asking first when annotations
//! hold values), and a row to add one. Pushes [`Action`]s only.

use std::collections::HashMap;

use eframe::egui::{self, RichText};

use super::command::Action;
use crate::model::{AttributeDef, AttributeKind, Label, LabelId};
use crate::workspace::Workspace;

/// An attribute being edited: name, kind name, options separated by commas.
#[derive(Clone, Default, PartialEq, Eq)]
struct Draft {
    name: String,
    kind: String,
    options: String,
}

impl Draft {
    fn of(attribute: &AttributeDef) -> Self {
        Self {
            name: attribute.name.clone(),
            kind: attribute.kind.name().to_owned(),
            options: match &attribute.kind {
                AttributeKind::Choice(options) => options.join(", "),
                _ => String::new(),
            },
        }
    }

    /// The attribute the draft describes, if it is complete.
    fn attribute(&self) -> Option<AttributeDef> {
        let options: Vec<String> = self
            .options
            .split(',')
            .map(|o| o.trim().to_owned())
            .filter(|o| !o.is_empty())
            .collect();
        let kind = AttributeKind::from_name(&self.kind, options)?;
        let incomplete = matches!(&kind, AttributeKind::Choice(o) if o.is_empty());
        (!self.name.trim().is_empty() && !incomplete).then(|| AttributeDef {
            name: self.name.trim().to_owned(),
            kind,
        })
    }
}

/// Which label's attributes are shown, and the fields being typed.
#[derive(Default)]
pub struct AttributesEditor {
    pub label: Option<LabelId>,
    drafts: HashMap<String, Draft>,
    new: Draft,
    confirm_delete: Option<String>,
}

impl AttributesEditor {
    /// Shows `label`'s attributes (another label's drafts are dropped).
    pub fn open(&mut self, label: LabelId) {
        if self.label.as_ref() != Some(&label) {
            *self = Self {
                label: Some(label),
                ..Self::default()
            };
        }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, workspace: &Workspace, actions: &mut Vec<Action>) {
        let Some(label) = self
            .label
            .as_ref()
            .and_then(|id| workspace.project().schema.label(id))
        else {
            return;
        };
        ui.separator();
        ui.horizontal(|ui| {
            ui.label(RichText::new(format!("Attributes of {}", label.name)).strong());
            if ui.small_button("Close").clicked() {
                self.label = None;
            }
        });
        if label.attributes.is_empty() {
            ui.weak("None yet: add one below (text, number, yes/no, or a choice from a list).");
        }
        self.drafts
            .retain(|name, _| label.attribute(name).is_some());
        egui::Grid::new("label-attributes")
            .num_columns(5)
            .show(ui, |ui| {
                for attribute in &label.attributes {
                    self.row_ui(ui, label, attribute, actions);
                    ui.end_row();
                }
            });
        self.confirm_ui(ui, workspace, label, actions);
        ui.horizontal(|ui| {
            let id = label.id.clone();
            draft_ui(ui, &mut self.new, "new attribute");
            let attribute = self.new.attribute();
            let add = ui.add_enabled(attribute.is_some(), egui::Button::new("Add attribute"));
            if add.clicked()
                && let Some(attribute) = attribute
            {
                actions.push(Action::AddAttribute(id, attribute));
                self.new = Draft::default();
            }
        });
    }

    fn row_ui(
        &mut self,
        ui: &mut egui::Ui,
        label: &Label,
        attribute: &AttributeDef,
        actions: &mut Vec<Action>,
    ) {
        let draft = self
            .drafts
            .entry(attribute.name.clone())
            .or_insert_with(|| Draft::of(attribute));
        draft_ui(ui, draft, &format!("attribute {}", attribute.name));
        let edited = draft.attribute();
        let apply = ui.add_enabled(
            edited.as_ref().is_some_and(|e| e != attribute),
            egui::Button::new("Apply"),
        );
        let accessible = format!("Apply changes to attribute {}", attribute.name);
        apply.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &accessible));
        if apply.clicked()
            && let Some(edited) = edited
        {
            actions.push(Action::UpdateAttribute(
                label.id.clone(),
                attribute.name.clone(),
                edited,
            ));
            self.drafts.remove(&attribute.name);
        }
        let delete = ui.button("Delete…");
        let accessible = format!("Delete attribute {}", attribute.name);
        delete.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &accessible));
        if delete.clicked() {
            self.confirm_delete = Some(attribute.name.clone());
        }
    }

    fn confirm_ui(
        &mut self,
        ui: &mut egui::Ui,
        workspace: &Workspace,
        label: &Label,
        actions: &mut Vec<Action>,
    ) {
        let Some(name) = self.confirm_delete.clone() else {
            return;
        };
        let used = workspace.attribute_usage(&label.id, &name);
        if used == 0 {
            actions.push(Action::DeleteAttribute(label.id.clone(), name));
            self.confirm_delete = None;
            return;
        }
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!("Delete the attribute {name} and its value on {used} annotation(s)? (Ctrl+Z undoes it.)"),
        );
        ui.horizontal(|ui| {
            if ui.button("Delete attribute and values").clicked() {
                actions.push(Action::DeleteAttribute(label.id.clone(), name.clone()));
                self.confirm_delete = None;
            }
            if ui.button("Keep the attribute").clicked() {
                self.confirm_delete = None;
            }
        });
    }
}

/// The name, kind and options fields of a draft; `what` names them for screen readers.
fn draft_ui(ui: &mut egui::Ui, draft: &mut Draft, what: &str) {
    let name = ui.add_sized(
        [140.0, 20.0],
        egui::TextEdit::singleline(&mut draft.name).hint_text("Attribute name"),
    );
    let accessible = format!("Name of {what}");
    name.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, &accessible));
    if draft.kind.is_empty() {
        AttributeKind::NAMES[0].clone_into(&mut draft.kind);
    }
    let combo = egui::ComboBox::from_id_salt(("attribute-kind", what))
        .selected_text(draft.kind.as_str())
        .show_ui(ui, |ui| {
            for kind in AttributeKind::NAMES {
                ui.selectable_value(&mut draft.kind, kind.to_owned(), kind);
            }
        });
    let accessible = format!("Kind of {what}");
    combo
        .response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, &accessible));
    if draft.kind == "choice" {
        ui.add_sized(
            [200.0, 20.0],
            egui::TextEdit::singleline(&mut draft.options)
                .hint_text("options, separated by commas"),
        )
        .widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::TextInput, true, format!("Options of {what}"))
        });
    } else {
        ui.label("");
    }
}
