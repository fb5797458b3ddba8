//! Keeping the analyst's work safe in the window: the questions asked when a project file is
//! inconsistent, changed by another program or has unsaved work from a crash, and the
//! autosave timer that writes the recovery file off the UI thread.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use eframe::egui::{self, Context, Id, Key};

use crate::workspace::{Recovery, Workspace};

/// Unsaved work is written to the recovery file this long after the last change.
pub const AUTOSAVE_DELAY: Duration = Duration::from_secs(5);
/// How often the project file is checked for changes by other programs.
pub const DISK_CHECK_INTERVAL: Duration = Duration::from_secs(2);

/// A question about the project file that must be answered before going on.
#[derive(Debug, Clone)]
pub enum SafetyPrompt {
    /// The file could not be loaded strictly; loading what is valid is possible.
    OpenAnyway { path: PathBuf, error: String },
    /// Another program changed the project file since it was opened.
    ChangedOnDisk { path: PathBuf },
    /// A recovery file holds unsaved work from a session that ended without saving.
    Recovery(Recovery),
}

/// The analyst's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SafetyChoice {
    OpenAnyway,
    Reload,
    SaveAs,
    Overwrite,
    Restore,
    DiscardRecovery,
    /// Close the question and go on as before.
    Dismiss,
}

/// Shows the question as a modal; `None` until answered.
pub fn prompt_ui(ctx: &Context, prompt: &SafetyPrompt) -> Option<SafetyChoice> {
    let mut choice = None;
    egui::Modal::new(Id::unique("safety-prompt")).show(ctx, |ui| {
        ui.set_width(520.0);
        let escape = ui.input(|i| i.key_pressed(Key::Escape));
        match prompt {
            SafetyPrompt::OpenAnyway { path, error } => {
                ui.heading("The project file has problems");
                ui.label(error);
                ui.label(format!(
                    "“Open anyway” loads everything that is valid and puts the rest on the review list, so nothing is lost. The file {} is not changed until you save.",
                    path.display()
                ));
                ui.horizontal(|ui| {
                    if ui.button("Open anyway").clicked() {
                        choice = Some(SafetyChoice::OpenAnyway);
                    }
                    if ui.button("Cancel").clicked() || escape {
                        choice = Some(SafetyChoice::Dismiss);
                    }
                });
            }
            SafetyPrompt::ChangedOnDisk { path } => {
                ui.heading("The project file changed on disk");
                ui.label(format!(
                    "Another program or window changed {} since you opened it. Saving now would overwrite that change.",
                    path.display()
                ));
                ui.horizontal(|ui| {
                    if ui
                        .button("Reload from disk")
                        .on_hover_text("Open the file as it is now; your unsaved changes are dropped")
                        .clicked()
                    {
                        choice = Some(SafetyChoice::Reload);
                    }
                    if ui
                        .button("Save As…")
                        .on_hover_text("Keep both: save your version under another name")
                        .clicked()
                    {
                        choice = Some(SafetyChoice::SaveAs);
                    }
                    if ui
                        .button("Overwrite")
                        .on_hover_text("Save your version over it (the other one is kept as .bak)")
                        .clicked()
                    {
                        choice = Some(SafetyChoice::Overwrite);
                    }
                    if ui.button("Keep editing").clicked() || escape {
                        choice = Some(SafetyChoice::Dismiss);
                    }
                });
            }
            SafetyPrompt::Recovery(recovery) => {
                ui.heading("Unsaved work was found");
                ui.label(recovery_text(recovery));
                ui.horizontal(|ui| {
                    if ui.button("Restore").clicked() || ui.input(|i| i.key_pressed(Key::Enter)) {
                        choice = Some(SafetyChoice::Restore);
                    }
                    if ui
                        .button("Discard")
                        .on_hover_text("Delete the recovery file and keep the saved project")
                        .clicked()
                    {
                        choice = Some(SafetyChoice::DiscardRecovery);
                    }
                });
            }
        }
    });
    choice
}

fn recovery_text(recovery: &Recovery) -> String {
    let when = |t: Option<jiff::Timestamp>| {
        t.map_or_else(
            || "an unknown time".to_owned(),
            |t| t.strftime("%Y-%m-%d %H:%M:%S UTC").to_string(),
        )
    };
    let saved = match (&recovery.project, recovery.saved_annotations) {
        (Some(_), Some(n)) => format!(
            "The project file, saved at {}, has {n} annotation(s).",
            when(recovery.saved)
        ),
        (Some(_), None) => "The project file itself could not be read.".to_owned(),
        (None, _) => "It is from a project that was never saved.".to_owned(),
    };
    format!(
        "Marginalia did not close normally. The recovery file written at {} has {} annotation(s). {saved} Restore the unsaved work? (It stays unsaved until you save.)",
        when(recovery.written),
        recovery.annotations
    )
}

/// Writes unsaved work to the recovery file a few seconds after the last change, and when
/// the window loses focus, on a worker thread.
pub struct Autosave {
    delay: Duration,
    /// The workspace generation last seen, and when it changed.
    seen: Option<((u64, u64), Instant)>,
    /// The generation last written.
    written: Option<(u64, u64)>,
    worker: Option<Receiver<Result<(), String>>>,
    last_disk_check: Option<Instant>,
    /// The window lost focus while a big change was going in over frames: write once it
    /// is all in.
    focus_lost_meanwhile: bool,
}

impl Default for Autosave {
    fn default() -> Self {
        Self {
            delay: AUTOSAVE_DELAY,
            seen: None,
            written: None,
            worker: None,
            last_disk_check: None,
            focus_lost_meanwhile: false,
        }
    }
}

impl Autosave {
    pub fn set_delay(&mut self, delay: Duration) {
        self.delay = delay;
    }

    /// Called every frame; returns an error message if the last write failed.
    /// `settled` is false while a big change goes in over frames (a "tag all", undoing
    /// one): the recovery file then waits for all of it rather than hold some.
    pub fn tick(&mut self, ctx: &Context, workspace: &Workspace, settled: bool) -> Option<String> {
        let mut failure = None;
        if let Some(worker) = &self.worker
            && let Ok(result) = worker.try_recv()
        {
            self.worker = None;
            failure = result.err();
        }
        let now = Instant::now();
        let generation = workspace.generation();
        if !workspace.is_dirty() {
            if self.written.take().is_some() {
                // Back to the saved state (by undo): nothing left to recover.
                workspace.discard_recovery();
            }
            self.seen = None;
            return failure;
        }
        let changed_at = match self.seen {
            Some((seen, at)) if seen == generation => at,
            _ => {
                self.seen = Some((generation, now));
                now
            }
        };
        if self.written == Some(generation) || self.worker.is_some() {
            return failure;
        }
        let focus_lost =
            focus_changed(ctx, false) || std::mem::take(&mut self.focus_lost_meanwhile);
        if !settled {
            self.focus_lost_meanwhile = focus_lost;
            return failure;
        }
        let waited = now.duration_since(changed_at);
        if waited < self.delay && !focus_lost {
            ctx.request_repaint_after(self.delay.saturating_sub(waited));
            return failure;
        }
        let Some((path, text)) = workspace.recovery_snapshot() else {
            return failure;
        };
        let (sender, receiver) = channel();
        let repaint = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("autosave".to_owned())
            .spawn(move || {
                let result = crate::store::write_recovery(&text, &path).map_err(|e| e.to_string());
                let _ = sender.send(result);
                repaint.request_repaint();
            });
        match spawned {
            Ok(_) => {
                self.worker = Some(receiver);
                self.written = Some(generation);
            }
            Err(e) => failure = Some(format!("Cannot write the recovery file: {e}")),
        }
        failure
    }

    /// True when it is time to look at the project file for changes by others.
    pub fn disk_check_due(&mut self, ctx: &Context) -> bool {
        let now = Instant::now();
        let focused = focus_changed(ctx, true);
        let due = focused
            || self
                .last_disk_check
                .is_none_or(|at| now.duration_since(at) >= DISK_CHECK_INTERVAL);
        if due {
            self.last_disk_check = Some(now);
        }
        ctx.request_repaint_after(DISK_CHECK_INTERVAL);
        due
    }

    /// Waits for a write in progress (tests, and before quitting).
    pub fn wait(&mut self) -> Option<String> {
        let worker = self.worker.take()?;
        worker.recv().ok().and_then(Result::err)
    }
}

/// True if the window gained (`to == true`) or lost the keyboard focus this frame.
fn focus_changed(ctx: &Context, to: bool) -> bool {
    ctx.input(|i| i.raw.events.contains(&egui::Event::WindowFocused(to)))
}
