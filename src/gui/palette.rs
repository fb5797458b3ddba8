//! View > Command palette… (Ctrl+Shift+P): every command and every label's "Tag as …",
//! found by typing words of its name, listed with its shortcut; Enter runs the first match,
//! a click runs any. Generated from [`Command::ALL`] and the schema, like the menus.

use eframe::egui::{self, Context, Key, Modifiers};

use super::command::{Action, Command};
use super::theme;
use crate::model::Schema;

/// The palette's state: the text typed.
#[derive(Default)]
pub struct Palette {
    query: String,
    focused: bool,
}

/// One entry: its name, its shortcut in words, and what it does.
struct Entry {
    name: String,
    shortcut: String,
    action: Action,
    enabled: bool,
}

fn entries(schema: &Schema, enabled: &[bool]) -> Vec<Entry> {
    let ctx = egui::Context::default();
    let mut out: Vec<Entry> = Command::ALL
        .iter()
        .zip(enabled)
        .filter(|(c, _)| **c != Command::CommandPalette)
        .map(|(&command, &enabled)| Entry {
            name: command.menu_text().trim_end_matches('…').to_owned(),
            shortcut: command
                .shortcuts()
                .first()
                .map(|s| ctx.format_shortcut(s))
                .unwrap_or_default(),
            action: Action::Run(command),
            enabled,
        })
        .collect();
    for label in &schema.labels {
        out.push(Entry {
            name: format!("Tag as {}", label.name),
            shortcut: label.key.map(String::from).unwrap_or_default(),
            action: Action::ApplyLabel(label.id.clone()),
            enabled: true,
        });
    }
    out
}

/// True if every word of `query` occurs in `name` (case-insensitive).
fn matches(name: &str, query: &str) -> bool {
    let name = name.to_lowercase();
    query
        .split_whitespace()
        .all(|w| name.contains(&w.to_lowercase()))
}

impl Palette {
    /// Draws the palette; false once it is done (a command chosen, or closed).
    pub fn ui(
        &mut self,
        ctx: &Context,
        schema: &Schema,
        enabled: &[bool],
        actions: &mut Vec<Action>,
    ) -> bool {
        let mut open = true;
        let mut done = false;
        let found: Vec<Entry> = entries(schema, enabled)
            .into_iter()
            .filter(|e| matches(&e.name, &self.query))
            .collect();
        egui::Window::new("Command palette")
            .open(&mut open)
            .collapsible(false)
            .default_width(420.0)
            .anchor(egui::Align2::CENTER_TOP, [0.0, 80.0])
            .show(ctx, |ui| {
                let field =
                    theme::text_field_ui(ui, &mut self.query, "Type a command…", "Command name");
                if !std::mem::replace(&mut self.focused, true) {
                    field.request_focus();
                }
                let enter = field.lost_focus()
                    && ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Enter));
                if enter && let Some(first) = found.iter().find(|e| e.enabled) {
                    actions.push(first.action.clone());
                    done = true;
                }
                egui::ScrollArea::vertical()
                    .max_height(360.0)
                    .show(ui, |ui| {
                        for entry in &found {
                            ui.horizontal(|ui| {
                                let button = ui.add_enabled(
                                    entry.enabled,
                                    egui::Button::new(&entry.name).frame(false),
                                );
                                ui.with_layout(
                                    egui::Layout::right_to_left(egui::Align::Center),
                                    |ui| ui.weak(&entry.shortcut),
                                );
                                if button.clicked() {
                                    actions.push(entry.action.clone());
                                    done = true;
                                }
                            });
                        }
                        if found.is_empty() {
                            ui.weak("No command matches.");
                        }
                    });
            });
        open && !done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_and_label_is_listed_and_found_by_words() {
        let schema = Schema::default();
        let enabled = vec![true; Command::ALL.len()];
        let all = entries(&schema, &enabled);
        assert_eq!(all.len(), Command::ALL.len() - 1 + schema.labels.len());
        let found: Vec<&str> = all
            .iter()
            .filter(|e| matches(&e.name, "tag per"))
            .map(|e| e.name.as_str())
            .collect();
        assert_eq!(found, ["Tag as Person"]);
        assert!(
            all.iter()
                .any(|e| e.name == "Find and tag all" && e.shortcut.contains('F'))
        );
    }
}
