//! What the analyst set up in the window and finds again at the next start: the theme, the
//! zoom and the windows that were open, kept in eframe's storage (whose own persistence
//! keeps the window's size and place). Where they were reading, and what was selected, is
//! kept per project instead (`workspace::view_state`).

use eframe::egui;
use serde::{Deserialize, Serialize};

use super::MarginaliaApp;
use crate::gui::command::{Action, Command};

/// The key of the preferences in eframe's storage.
pub const PREFERENCES_KEY: &str = "marginalia-preferences";

/// The window's set-up, as kept between starts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Preferences {
    /// The dark theme (else the light one); `None`: the system's.
    pub dark: Option<bool>,
    /// The zoom factor; `None`: the normal size.
    pub zoom: Option<f32>,
    /// The floating windows that were open, by title (oldest first).
    pub windows: Vec<String>,
    /// View > Overview was shown.
    pub overview: bool,
}

/// The command that opens the window of this title, for the windows worth opening again
/// (not the command palette, nor the details of a document that may be gone).
fn command_opening(title: &str) -> Option<Command> {
    Some(match title {
        "Find and tag all" => Command::Find,
        "Keyboard shortcuts" => Command::ShowShortcuts,
        "Suggestions" => Command::Suggest,
        "Claims and quotes" => Command::ShowClaims,
        "Entities" => Command::ShowEntities,
        "Schema" => Command::EditSchema,
        "Team" => Command::Team,
        "Project memo" => Command::ProjectMemo,
        "Agreement" => Command::ShowAgreement,
        "Curation" => Command::Curate,
        "Sync" => Command::Sync,
        _ => return None,
    })
}

impl MarginaliaApp {
    /// The window's set-up now (the theme and zoom of the last frame).
    pub fn preferences(&self) -> Preferences {
        let mut windows: Vec<String> = self
            .open_windows()
            .into_iter()
            .filter(|title| command_opening(title).is_some())
            .map(str::to_owned)
            .collect();
        // Opened again in the order they were opened.
        windows.reverse();
        Preferences {
            dark: self.look.map(|(dark, _)| dark),
            zoom: self
                .look
                .map(|(_, zoom)| zoom)
                .filter(|z| (z - 1.0).abs() > f32::EPSILON),
            windows,
            overview: self.overview.is_some(),
        }
    }

    /// Sets the window up as `preferences` say, from the next frame on.
    pub fn restore_preferences(&mut self, preferences: Preferences) {
        self.restoring = Some(preferences);
    }

    /// Applies preferences waiting to be restored, and notes the theme and zoom shown.
    pub(super) fn keep_look(&mut self, ctx: &egui::Context) {
        if let Some(preferences) = self.restoring.take() {
            if let Some(dark) = preferences.dark {
                ctx.set_theme(if dark {
                    egui::Theme::Dark
                } else {
                    egui::Theme::Light
                });
            }
            if let Some(zoom) = preferences.zoom.filter(|z| (0.5..=3.0).contains(z)) {
                ctx.set_zoom_factor(zoom);
            }
            let commands = preferences
                .windows
                .iter()
                .filter_map(|title| command_opening(title));
            self.actions.extend(commands.map(Action::Run));
            if preferences.overview && self.overview.is_none() {
                self.actions.push(Action::Run(Command::ToggleOverview));
            }
        }
        self.look = Some((ctx.theme() == egui::Theme::Dark, ctx.zoom_factor()));
    }
}
