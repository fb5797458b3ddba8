//! File > Sync on a worker: started by an action, polled in `App::logic` (so it finishes
//! while the window is hidden), the project reopened when the team's work came in.

use super::MarginaliaApp;
use crate::gui::command::Action;
use crate::model::Progress;
use crate::workspace::Synced;

/// The last sync: what it found, when it ended, and whether the project file was saved
/// since (looked at in `App::logic` at most once a second, not on every frame).
pub(super) struct LastSync {
    synced: Synced,
    ended: std::time::SystemTime,
    saved_since: bool,
    looked: std::time::Instant,
}

/// How often the status bar's "Changes not synced" looks at the project file.
const LOOK_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// A sync under way: its outcome when done, and its progress (Cancel).
pub(super) struct SyncRun {
    outcome: std::sync::mpsc::Receiver<Result<Synced, String>>,
    progress: std::sync::Arc<Progress>,
}

impl MarginaliaApp {
    /// Starts a sync committing with `message` (refused with unsaved changes: it commits
    /// the project as saved).
    pub(super) fn start_sync(&mut self, message: &str) {
        if self.sync_run.is_some() {
            return;
        }
        if self.workspace.is_dirty() {
            self.toasts
                .error("Save first: a sync commits the project as saved".to_owned());
            return;
        }
        let job = match self.workspace.sync_job(message) {
            Ok(job) => job,
            Err(e) => {
                self.toasts.error(format!("Cannot sync: {e}"));
                return;
            }
        };
        let progress = std::sync::Arc::new(Progress::new());
        let (send, outcome) = std::sync::mpsc::channel();
        let shared = std::sync::Arc::clone(&progress);
        std::thread::spawn(move || {
            let _ = send.send(job.run(&shared).map_err(|e| e.to_string()));
        });
        self.sync_run = Some(SyncRun { outcome, progress });
    }

    pub(super) fn cancel_sync(&mut self) {
        if let Some(run) = &self.sync_run {
            run.progress.cancel();
        }
    }

    /// Takes a finished sync in: says what it did; reopens the project if the team's work
    /// came in (unless the analyst changed it meanwhile: then the changed-on-disk check
    /// asks, and nothing is lost).
    pub(super) fn poll_sync(&mut self, ctx: &eframe::egui::Context) {
        if let Some(last) = &mut self.last_sync
            && last.looked.elapsed() >= LOOK_EVERY
        {
            last.looked = std::time::Instant::now();
            last.saved_since = self
                .workspace
                .path()
                .and_then(|p| std::fs::metadata(p).ok())
                .and_then(|m| m.modified().ok())
                .is_some_and(|modified| modified > last.ended);
        }
        let Some(run) = &self.sync_run else {
            return;
        };
        let outcome = match run.outcome.try_recv() {
            Ok(outcome) => outcome,
            Err(std::sync::mpsc::TryRecvError::Empty) => {
                ctx.request_repaint_after(std::time::Duration::from_millis(100));
                return;
            }
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                Err("the sync stopped unexpectedly".to_owned())
            }
        };
        self.sync_run = None;
        let said = match outcome {
            Ok(synced) => {
                self.toasts
                    .info(format!("Synced: {}", synced.steps.join("; ")));
                let lines = synced.steps.clone();
                if synced.changed
                    && !self.workspace.is_dirty()
                    && let Some(path) = self.workspace.path()
                {
                    self.actions.push(Action::OpenPaths(vec![path.to_owned()]));
                }
                self.last_sync = Some(LastSync {
                    synced,
                    ended: std::time::SystemTime::now(),
                    saved_since: false,
                    looked: std::time::Instant::now(),
                });
                lines
            }
            Err(why) => {
                self.toasts.error(format!("Sync failed: {why}"));
                vec![format!("Sync failed: {why}")]
            }
        };
        if let Some(window) = &mut self.sync_window {
            window.said = said;
        }
    }

    /// The status bar's word on syncing: under way, in step, or changes not synced.
    pub(super) fn sync_status(&self) -> Option<String> {
        if self.sync_run.is_some() {
            return Some("Syncing…".to_owned());
        }
        let last = self.last_sync.as_ref()?;
        if self.workspace.is_dirty() || last.saved_since {
            return Some("Changes not synced".to_owned());
        }
        Some(match (last.synced.ahead, last.synced.behind) {
            (0, 0) => "Synced with the team".to_owned(),
            (ahead, behind) => format!("Synced: {ahead} ahead, {behind} behind"),
        })
    }
}
