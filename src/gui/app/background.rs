//! Saving and exporting on a worker thread, one job at a time, with its name and elapsed
//! time in the status bar (and Cancel for an export). The workspace prepares a job from a
//! snapshot and takes the outcome back here, on the UI thread, so the window never waits
//! for the disk.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::Instant;

use eframe::egui;

use super::{AfterSave, MarginaliaApp};
use crate::formats::{ExportError, Fidelity};
use crate::workspace::{ExportJob, SaveJob, SaveOutcome};

/// What a finished job hands back.
pub(super) enum Finished {
    Save(SaveOutcome, Option<AfterSave>),
    Export(Result<Fidelity, ExportError>, std::path::PathBuf),
}

struct Running {
    /// The workspace was replaced (another project opened) since the job started: its
    /// outcome is reported, not applied.
    detached: bool,
    what: String,
    started: Instant,
    cancel: Option<Arc<AtomicBool>>,
    done: Receiver<Finished>,
}

/// A save waiting for the running job, with what follows it.
struct QueuedSave(Option<AfterSave>);

/// The job running, if any, and a save asked for while it ran.
#[derive(Default)]
pub(super) struct Background {
    running: Option<Running>,
    /// A save asked for while another job ran, started next.
    queued_save: Option<QueuedSave>,
}

impl Background {
    /// The running job in words, with how long it has run ("Saving… 2 s").
    pub(super) fn status(&self) -> Option<String> {
        self.running.as_ref().map(|r| {
            let seconds = r.started.elapsed().as_secs();
            if seconds == 0 {
                r.what.clone()
            } else {
                format!("{} {seconds} s", r.what)
            }
        })
    }

    pub(super) fn is_busy(&self) -> bool {
        self.running.is_some()
    }

    /// True if the running job can be cancelled.
    pub(super) fn can_cancel(&self) -> bool {
        self.running.as_ref().is_some_and(|r| r.cancel.is_some())
    }

    pub(super) fn cancel(&self) {
        if let Some(cancel) = self.running.as_ref().and_then(|r| r.cancel.as_ref()) {
            cancel.store(true, Ordering::Relaxed);
        }
    }

    fn start(
        &mut self,
        what: String,
        cancel: Option<Arc<AtomicBool>>,
        ctx: &egui::Context,
        work: impl FnOnce() -> Finished + Send + 'static,
    ) {
        let (send, done) = channel();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let _ = send.send(work());
            ctx.request_repaint();
        });
        self.running = Some(Running {
            detached: false,
            what,
            started: Instant::now(),
            cancel,
            done,
        });
    }

    /// The workspace the running job came from is being replaced.
    pub(super) fn detach(&mut self) {
        if let Some(running) = &mut self.running {
            running.detached = true;
        }
        self.queued_save = None;
    }

    /// The finished job (and whether it was detached), if it finished; keeps the window
    /// repainting while one runs.
    fn poll(&mut self, ctx: &egui::Context) -> Option<(Finished, bool)> {
        let running = self.running.as_ref()?;
        match running.done.try_recv() {
            Ok(finished) => {
                let detached = running.detached;
                self.running = None;
                Some((finished, detached))
            }
            Err(TryRecvError::Empty) => {
                // The elapsed time in the status bar, and the next poll.
                ctx.request_repaint_after(std::time::Duration::from_millis(100));
                None
            }
            Err(TryRecvError::Disconnected) => {
                self.running = None;
                None
            }
        }
    }
}

/// Said when a save or export is asked for while another runs.
const BUSY: &str = "Still busy with the last save or export; try again when it is done";

/// The last part of a path, for the status bar.
fn file_name(path: &std::path::Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

impl MarginaliaApp {
    /// Starts saving `job` on a worker; `after` runs once it saved. Refused (and said)
    /// while another job runs.
    pub(super) fn start_save(
        &mut self,
        job: SaveJob,
        after: Option<AfterSave>,
        ctx: &egui::Context,
    ) {
        if self.background.is_busy() {
            self.toasts.error(BUSY.to_owned());
            return;
        }
        let what = format!("Saving {}…", file_name(job.path()));
        self.background
            .start(what, None, ctx, move || Finished::Save(job.run(), after));
    }

    /// Saves the project to its file in the background, or queues the save behind the job
    /// running. Errors that need no disk (no file yet, changed by another program) are
    /// reported at once.
    pub(super) fn save_in_background(&mut self, after: Option<AfterSave>, ctx: &egui::Context) {
        if self.background.is_busy() {
            self.background.queued_save = Some(QueuedSave(after));
            return;
        }
        match self.workspace.save_job(false) {
            Ok(job) => self.start_save(job, after, ctx),
            Err(e) => {
                self.report_save(Err(e));
            }
        }
    }

    /// Starts an export on a worker (refused while another job runs).
    pub(super) fn start_export(&mut self, job: ExportJob, ctx: &egui::Context) {
        if self.background.is_busy() {
            self.toasts.error(BUSY.to_owned());
            return;
        }
        let cancel = Arc::new(AtomicBool::new(false));
        let flag = cancel.clone();
        let what = format!("Exporting {}…", file_name(job.out()));
        self.background.start(what, Some(cancel), ctx, move || {
            let out = job.out().to_owned();
            Finished::Export(job.run(&flag), out)
        });
    }

    /// Takes back what a job finished, then starts a queued save.
    pub(super) fn poll_background(&mut self, ctx: &egui::Context) {
        let Some((finished, detached)) = self.background.poll(ctx) else {
            return;
        };
        match finished {
            Finished::Save(outcome, _) if detached => {
                // Another project is open now: say how the save went, change nothing.
                let path = outcome.path().display().to_string();
                match outcome.into_result() {
                    Ok(()) => self.toasts.info(format!("Saved {path}")),
                    Err(e) => self.toasts.error(e.to_string()),
                }
            }
            Finished::Save(outcome, after) => {
                let result = self.workspace.finish_save(outcome);
                if self.report_save(result)
                    && let Some(after) = after
                {
                    self.finish(after, ctx);
                }
            }
            Finished::Export(result, out) => self.report_export(result, &out),
        }
        if let Some(QueuedSave(after)) = self.background.queued_save.take() {
            self.save_in_background(after, ctx);
        }
    }
}
