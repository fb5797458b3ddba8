//! A project opened lazily ([`Workspace::open_lazily`]) shows its documents at once; their
//! sources are read on threads of their own meanwhile, the shown one first, and taken in
//! here a few per frame (from `App::logic`, so it goes on while the window is hidden).
//! Work that needs every text (a search of all documents, an export) waits for them.

use std::time::{Duration, Instant};

use eframe::egui;

use super::MarginaliaApp;
use crate::gui::panels::BusyStatus;
use crate::model::DocumentId;
use crate::workspace::SourcesReading;

/// The window's time per frame for fitting sources read to their annotations.
const BUDGET: Duration = Duration::from_millis(4);

/// The reading of a lazily opened project's sources.
#[derive(Default)]
pub(super) enum Sources {
    /// Nothing to read.
    #[default]
    None,
    /// A project was installed whose sources are to be read (from the next frame, which
    /// has the context to wake the window).
    Wanted,
    Reading(SourcesReading),
}

impl MarginaliaApp {
    /// Starts reading the sources not read yet (after a lazy open), or takes in those read
    /// since the last frame; says what went wrong with any of them.
    pub(super) fn poll_sources(&mut self, ctx: &egui::Context) {
        if matches!(self.sources, Sources::None)
            && self.sources_checked != self.workspace.generation()
        {
            // A document removed before its text was read, brought back by an undo.
            self.sources_checked = self.workspace.generation();
            if self.workspace.unread() > 0 {
                self.sources = Sources::Wanted;
            }
        }
        if matches!(self.sources, Sources::Wanted) {
            let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
            let repaint = ctx.clone();
            self.sources = self
                .workspace
                .read_sources(self.current, threads, move || repaint.request_repaint())
                .map_or(Sources::None, Sources::Reading);
        }
        let Sources::Reading(reading) = &mut self.sources else {
            return;
        };
        let started = Instant::now();
        while started.elapsed() < BUDGET {
            let read = reading.take(16);
            if read.is_empty() {
                break;
            }
            for done in read {
                if let Some(problem) = self.workspace.take_source(done) {
                    self.toasts.error(problem);
                }
            }
        }
        if reading.is_done() {
            if reading.failed() {
                // What is still unread will not come: never waited for.
                for problem in self.workspace.give_up_unread() {
                    self.toasts.error(problem);
                }
            }
            self.sources = Sources::None;
            if let Some(waiting) = self.waiting_for_texts.take() {
                self.actions.push(waiting);
            }
        } else {
            ctx.request_repaint_after(Duration::from_millis(50));
        }
    }

    /// The status bar's line while sources are read.
    pub(super) fn sources_status(&self) -> Option<BusyStatus> {
        let Sources::Reading(reading) = &self.sources else {
            return None;
        };
        let (read, all) = reading.progress();
        // Short: the status bar cuts what it shows at 40 characters.
        let what = if self.waiting_for_texts.is_some() {
            format!("Export waits for the texts: {read} of {all}")
        } else {
            format!("Reading texts: {read} of {all}")
        };
        Some(super::background::parts_status(what, read, all))
    }

    /// True while sources are to be read or being read.
    pub(super) fn reading_sources(&self) -> bool {
        !matches!(self.sources, Sources::None)
    }

    /// The document shown, while its text is read: it is read before the others.
    pub(super) fn reading_ui(&self, ui: &mut egui::Ui, id: DocumentId) {
        if let Sources::Reading(reading) = &self.sources {
            reading.prefer(id);
        }
        ui.vertical_centered(|ui| {
            ui.add_space(ui.available_height() / 3.0);
            ui.spinner();
            ui.label("Reading this document's text…");
        });
    }
}
