//! View > Entities… (Ctrl+Shift+E): the entity index. Every entity of the registry with its
//! mention count per document; choosing one shows its mentions (click to jump), lets the
//! analyst rename it, edit aliases, external id and note, merge it into another entity of
//! its kind, split ticked mentions off into a new one, or delete it once nothing refers to
//! it. Pushes [`Action`]s only.

use eframe::egui::{self, Context, RichText};

use super::command::Action;
use super::theme;
use crate::model::{Entity, EntityId, Project};

/// The entity index's state: the filter, the chosen entity and its fields being edited.
#[derive(Default)]
pub struct EntitiesWindow {
    filter: String,
    chosen: Option<EntityId>,
    /// (name, aliases separated by commas, external id) being edited for `chosen`.
    fields: (String, String, String, String),
    /// Mentions ticked to split off, and the new entity's name.
    split: (
        std::collections::BTreeSet<crate::model::AnnotationId>,
        String,
    ),
}

impl EntitiesWindow {
    /// Draws the window; false once the analyst closed it.
    pub fn ui(&mut self, ctx: &Context, project: &Project, actions: &mut Vec<Action>) -> bool {
        if self.chosen.is_some_and(|id| project.entity(id).is_none()) {
            self.chosen = None;
        }
        let mut open = true;
        egui::Window::new("Entities")
            .open(&mut open)
            .default_width(460.0)
            .default_pos([700.0, 90.0])
            .show(ctx, |ui| {
                theme::text_field_ui(
                    ui,
                    &mut self.filter,
                    "Filter by name or alias…",
                    "Filter entities",
                );
                ui.weak(format!(
                    "{} entities in the project",
                    project.entities().len()
                ));
                egui::ScrollArea::vertical()
                    .id_salt("entity-index")
                    .max_height(220.0)
                    .show(ui, |ui| self.index_ui(ui, project));
                ui.separator();
                if let Some(entity) = self.chosen.and_then(|id| project.entity(id)) {
                    self.details_ui(ui, project, entity, actions);
                } else {
                    ui.weak("Choose an entity to see its mentions, rename or merge it.");
                }
            });
        open
    }

    fn index_ui(&mut self, ui: &mut egui::Ui, project: &Project) {
        let mut entities: Vec<&Entity> = project
            .entities()
            .filter(|e| e.matches_search(&self.filter))
            .collect();
        entities.sort_by_key(|e| (e.kind.0.clone(), e.name.to_lowercase()));
        for entity in entities {
            let mentions = project.mentions_of(entity.id);
            let documents = {
                let mut ids: Vec<_> = mentions.iter().map(|a| a.document).collect();
                ids.dedup();
                ids.len()
            };
            let kind = project
                .schema
                .label(&entity.kind)
                .map_or(entity.kind.as_str(), |l| l.name.as_str());
            let text = format!(
                "{} ({kind}): {} mention(s) in {documents} document(s)",
                entity.name,
                mentions.len()
            );
            if ui
                .selectable_label(self.chosen == Some(entity.id), text)
                .on_hover_text(super::inspector::entity_summary(project, entity))
                .clicked()
            {
                self.choose(entity);
            }
        }
    }

    fn choose(&mut self, entity: &Entity) {
        self.chosen = Some(entity.id);
        self.fields = (
            entity.name.clone(),
            entity.aliases.join(", "),
            entity.external_id.clone().unwrap_or_default(),
            entity.note.clone(),
        );
        self.split = Default::default();
    }

    fn details_ui(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        entity: &Entity,
        actions: &mut Vec<Action>,
    ) {
        ui.label(RichText::new(&entity.name).strong());
        egui::Grid::new("entity-fields")
            .num_columns(2)
            .show(ui, |ui| {
                for (name, value) in [
                    ("Entity name", &mut self.fields.0),
                    ("Aliases", &mut self.fields.1),
                    ("External id", &mut self.fields.2),
                    ("Entity note", &mut self.fields.3),
                ] {
                    ui.label(format!("{name}:"));
                    let response = ui.add(egui::TextEdit::singleline(value).desired_width(280.0));
                    response.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::TextInput, true, name)
                    });
                    ui.end_row();
                }
            });
        let edited = Entity {
            name: self.fields.0.trim().to_owned(),
            aliases: self
                .fields
                .1
                .split(',')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect(),
            external_id: Some(self.fields.2.trim().to_owned()).filter(|x| !x.is_empty()),
            note: self.fields.3.trim().to_owned(),
            ..entity.clone()
        };
        ui.horizontal(|ui| {
            if ui
                .add_enabled(&edited != entity, egui::Button::new("Save entity"))
                .on_hover_text("Rename, set aliases (separated by commas) and external id (e.g. a Wikidata QID); one undo step")
                .clicked()
            {
                actions.push(Action::UpdateEntity(edited));
            }
            let in_use = project.uses_entity(entity.id);
            if ui
                .add_enabled(!in_use, egui::Button::new("Delete entity"))
                .on_disabled_hover_text("Still mentioned or quoted: merge it into another entity instead")
                .clicked()
            {
                actions.push(Action::DeleteEntity(entity.id));
            }
        });
        if ui
            .button("Find mentions…")
            .on_hover_text("Search every name and alias in all documents; Tag all links the hits to this entity")
            .clicked()
        {
            actions.push(Action::FindMentions(entity.id));
        }
        let others: Vec<&Entity> = project
            .entities()
            .filter(|e| e.id != entity.id && e.kind == entity.kind)
            .collect();
        if !others.is_empty() {
            ui.menu_button("Merge into…", |ui| {
                ui.weak(
                    "Every mention and quote moves to the entity chosen; its names become aliases.",
                );
                for other in others {
                    if ui.button(&other.name).clicked() {
                        actions.push(Action::MergeEntities(other.id, entity.id));
                        ui.close();
                    }
                }
            });
        }
        self.mentions_ui(ui, project, entity, actions);
    }

    /// The entity's mentions (click to jump), with ticks to split some off.
    fn mentions_ui(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        entity: &Entity,
        actions: &mut Vec<Action>,
    ) {
        ui.label(RichText::new("Mentions").strong());
        egui::ScrollArea::vertical()
            .id_salt("entity-mentions")
            .max_height(200.0)
            .show(ui, |ui| {
                for mention in project.mentions_of(entity.id) {
                    let document = project
                        .document(mention.document)
                        .map_or("?", |d| d.display_name());
                    // The words around it tell mentions of one name apart.
                    let (_, before, after) = mention.words();
                    let before: String = {
                        let count = before.chars().count();
                        before.chars().skip(count.saturating_sub(20)).collect()
                    };
                    let after: String = after.chars().take(20).collect();
                    let text = format!(
                        "{}: …{}“{}”{}…",
                        theme::ellipsize(document, 30),
                        theme::ellipsize(&before, 20),
                        theme::ellipsize(mention.text(), 40),
                        theme::ellipsize(&after, 20)
                    );
                    ui.horizontal(|ui| {
                        let mut ticked = self.split.0.contains(&mention.id);
                        let tick = ui.checkbox(&mut ticked, "");
                        let name = format!("Split off mention {}", mention.id.0);
                        tick.widget_info(|| {
                            egui::WidgetInfo::selected(egui::Role::CheckBox, true, ticked, &name)
                        });
                        if tick.changed() {
                            if ticked {
                                self.split.0.insert(mention.id);
                            } else {
                                self.split.0.remove(&mention.id);
                            }
                        }
                        if ui.selectable_label(false, text).clicked() {
                            actions.push(Action::JumpTo(mention.id));
                        }
                    });
                }
            });
        if !self.split.0.is_empty() {
            ui.horizontal(|ui| {
                theme::text_field_ui(
                    ui,
                    &mut self.split.1,
                    "New entity's name",
                    "New entity name",
                );
            });
            let name = self.split.1.trim().to_owned();
            if ui
                .add_enabled(
                    !name.is_empty(),
                    egui::Button::new(format!("Split {} mention(s) off", self.split.0.len())),
                )
                .on_hover_text(
                    "Move the ticked mentions to a new entity of the same kind (one undo step)",
                )
                .clicked()
            {
                let mentions = std::mem::take(&mut self.split.0).into_iter().collect();
                actions.push(Action::SplitEntity(entity.id, mentions, name));
                self.split.1.clear();
            }
        }
    }
}
