//! Carrying out the analyst's actions on entities, quotes, claims, document status and
//! suggestions (the inspector, the entity index and the suggestions window emit them).

use super::MarginaliaApp;
use crate::gui::command::{Action, Command};

impl MarginaliaApp {
    pub(super) fn apply_analysis(&mut self, action: Action) {
        match action {
            Action::SetMetadata(document, metadata) => {
                self.toasts.failed(
                    "change the document's details",
                    self.workspace.set_metadata(document, *metadata),
                );
            }
            Action::SetMemo(memo) => self.workspace.set_memo(memo),
            Action::LinkEntity(id, entity) => {
                self.toasts
                    .failed("link the mention", self.workspace.link_entity(id, entity));
            }
            Action::NewEntityFrom(id) => {
                self.toasts
                    .failed("create the entity", self.workspace.new_entity_from(id));
            }
            Action::SetAttributes(id, attrs) => {
                self.toasts.failed(
                    "change the annotation",
                    self.workspace.set_attributes(id, attrs),
                );
            }
            Action::SetClusters(changes, done) => match self.workspace.set_clusters(&changes) {
                Ok(0) => {}
                Ok(_) => self.toasts.info(format!("{done} (one undo step: Ctrl+Z)")),
                Err(e) => self.toasts.error(format!("Cannot change the cluster: {e}")),
            },
            Action::SetStatus(document, status) => {
                self.toasts.failed(
                    "set the status",
                    self.workspace.set_status(document, status),
                );
            }
            Action::UpdateEntity(entity) => {
                self.toasts
                    .failed("change the entity", self.workspace.update_entity(entity));
            }
            Action::MergeEntities(kept, absorbed) => {
                match self.workspace.merge_entities(kept, absorbed) {
                    Ok(()) => self
                        .toasts
                        .info("Entities merged (one undo step: Ctrl+Z)".to_owned()),
                    Err(e) => self.toasts.error(format!("Cannot merge: {e}")),
                }
            }
            Action::SplitEntity(from, mentions, name) => {
                match self.workspace.split_entity(from, &mentions, &name) {
                    Ok(_) => self.toasts.info(format!(
                        "{} mention(s) now refer to {name} (one undo step: Ctrl+Z)",
                        mentions.len()
                    )),
                    Err(e) => self.toasts.error(format!("Cannot split: {e}")),
                }
            }
            Action::DeleteEntity(id) => {
                self.toasts
                    .failed("delete the entity", self.workspace.delete_entity(id));
            }
            Action::AcceptSuggestions(suggestions) => {
                match self.workspace.accept_suggestions(&suggestions) {
                    Ok(added) if added > 1 => self.toasts.info(format!(
                        "Accepted {added} suggestions (one undo step: Ctrl+Z)"
                    )),
                    Ok(_) => {}
                    Err(e) => self.toasts.error(format!("Cannot accept: {e}")),
                }
            }
            Action::RejectSuggestions(suggestions) => {
                self.workspace.reject_suggestions(&suggestions);
            }
            Action::AcceptProposedSpeaker(id) => {
                self.toasts.failed(
                    "set the speaker",
                    self.workspace.accept_proposed_speaker(id),
                );
            }
            Action::StartRelation(from, kind) => {
                self.toasts.info(format!(
                    "Click the annotation that this one {kind} (Esc cancels)"
                ));
                self.relating = Some((from, kind));
            }
            Action::Unrelate(id) => {
                self.toasts
                    .failed("remove the relation", self.workspace.unrelate(id));
            }
            other => self.apply_schema_or_fragment(other),
        }
    }

    /// Fragments of discontinuous annotations, label attributes and changes to the schema.
    fn apply_schema_or_fragment(&mut self, action: Action) {
        match action {
            Action::SetAttributeValue(id, name, value) => {
                self.toasts.failed(
                    "set the attribute",
                    self.workspace.set_attribute_value(id, &name, &value),
                );
            }
            Action::AddAttribute(label, attribute) => {
                self.toasts.failed(
                    "add the attribute",
                    self.workspace.add_attribute(&label, attribute),
                );
            }
            Action::UpdateAttribute(label, name, attribute) => {
                self.toasts.failed(
                    "change the attribute",
                    self.workspace.update_attribute(&label, &name, attribute),
                );
            }
            Action::DeleteAttribute(label, name) => {
                match self.workspace.delete_attribute(&label, &name) {
                    Ok(cleared) => self.toasts.info(format!(
                        "Attribute {name} deleted with {cleared} value(s) (Ctrl+Z undoes it)"
                    )),
                    Err(e) => self
                        .toasts
                        .error(format!("Cannot delete the attribute: {e}")),
                }
            }
            Action::AddFragment(id, piece) => match self.workspace.add_fragment(id, piece) {
                Ok(()) => self.view.clear_selection(),
                Err(e) => self.toasts.error(format!("Cannot add the fragment: {e}")),
            },
            Action::RemoveFragment(id, index) => {
                self.toasts.failed(
                    "remove the fragment",
                    self.workspace.remove_fragment(id, index),
                );
            }
            Action::AddLabel(name, kind) => {
                self.toasts
                    .failed("add the label", self.workspace.add_label(&name, kind));
            }
            Action::UpdateLabel(label) => {
                self.toasts
                    .failed("change the label", self.workspace.update_label(label));
            }
            Action::DeleteLabel(label) => match self.workspace.delete_label(&label) {
                Ok(removed) => {
                    self.forget_missing_selection();
                    self.toasts.info(format!(
                        "Label deleted with {removed} annotation(s) (Ctrl+Z undoes it)"
                    ));
                }
                Err(e) => self.toasts.error(format!("Cannot delete the label: {e}")),
            },
            Action::SetRelationKinds(kinds) => {
                self.toasts.failed(
                    "set the relation kinds",
                    self.workspace.set_relation_kinds(&kinds),
                );
            }
            _ => {}
        }
    }

    /// The analyst clicked the other end of the relation being made.
    pub(super) fn finish_relation(&mut self, target: crate::model::AnnotationId) {
        let Some((from, kind)) = self.relating.take() else {
            return;
        };
        if target == from {
            self.toasts
                .info("An annotation cannot be related to itself; click another one.".to_owned());
            self.relating = Some((from, kind));
            return;
        }
        match self.workspace.relate(from, target, &kind) {
            Ok(_) => self.selected = Some(from),
            Err(e) => self.toasts.error(format!("Cannot relate: {e}")),
        }
    }

    /// Opens the window of `command`, or closes it if it is open.
    pub(super) fn toggle_window(&mut self, command: Command) {
        match command {
            Command::EditSchema => {
                self.schema_window = match self.schema_window {
                    Some(_) => None,
                    None => Some(crate::gui::schema_window::SchemaWindow::default()),
                };
            }
            Command::ShowClaims | Command::ShowQuotes => {
                use crate::gui::tables_window::{Tab, TablesWindow};
                let tab = if command == Command::ShowClaims {
                    Tab::Claims
                } else {
                    Tab::WhoSaidWhat
                };
                match &mut self.tables_window {
                    Some(window) if window.tab == tab => self.tables_window = None,
                    Some(window) => window.tab = tab,
                    None => self.tables_window = Some(TablesWindow::new(tab)),
                }
            }
            Command::CommandPalette => {
                self.palette = match self.palette {
                    Some(_) => None,
                    None => Some(crate::gui::palette::Palette::default()),
                };
            }
            Command::Suggest => {
                if self.suggestions_window.is_none() {
                    self.suggestions_window =
                        Some(crate::gui::suggestions_window::SuggestionsWindow::default());
                } else {
                    self.suggestions_window = None;
                }
            }
            Command::ShowEntities => {
                if self.entities_window.is_none() {
                    self.entities_window =
                        Some(crate::gui::entities_window::EntitiesWindow::default());
                } else {
                    self.entities_window = None;
                }
            }
            _ => {}
        }
    }
}
