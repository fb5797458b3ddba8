//! Long work on a worker thread, one job at a time, with its name, elapsed time and
//! progress bar in the status bar (and Cancel where it can stop): saving, exporting,
//! reading article files, opening a project. The workspace prepares a job from a snapshot
//! and takes the outcome back here, on the UI thread, so the window never waits for the
//! disk. While a project opens, a modal shows the progress and blocks edits to the project
//! it replaces.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::Instant;

use eframe::egui;

use super::{AfterSave, MarginaliaApp};
use crate::formats::{ExportError, Fidelity};
use crate::gui::panels::BusyStatus;
use crate::gui::password_prompt::{Answer, Locked, PasswordPrompt};
use crate::ingest::IngestError;
use crate::model::{EntityId, LabelId, Progress};
use crate::store::{LoadMode, StoreError};
use crate::workspace::{
    ExportJob, Hit, PreparedTags, ReadOutcome, SaveJob, SaveOutcome, Workspace,
};

/// Annotations a big change adds or removes per frame: about 4 ms of the window's time
/// (for a "tag all": ids, entity links, the insert into the project's indexes; for undoing
/// or redoing it: the removal or the insert), so a "tag all" of 100,000 hits goes in, and
/// comes out again with Ctrl+Z, over a dozen frames instead of holding the window for
/// three or four.
pub(super) const PART: usize = 8_192;

/// The status bar's line for a big change going in a part per frame.
pub(super) fn parts_status(what: String, done: usize, total: usize) -> BusyStatus {
    let progress = Progress::new();
    progress.set_total(total as u64);
    progress.advance(done as u64);
    BusyStatus {
        what,
        fraction: progress.fraction(),
        can_cancel: false,
    }
}

/// What a finished job hands back.
pub(super) enum Finished {
    Save(SaveOutcome, Option<AfterSave>),
    Export(Result<Fidelity, ExportError>, PathBuf),
    Read(ReadOutcome),
    /// A project read, with the shown project's generation when the reading started.
    Project(
        Box<Result<Workspace, StoreError>>,
        PathBuf,
        LoadMode,
        (u64, u64),
    ),
    /// Tags prepared for "Tag all" (none if cancelled).
    Tag(Option<PreparedTags>),
}

/// A job that finished: what it hands back, whether its workspace was replaced meanwhile,
/// and whether it was cancelled.
struct Done {
    finished: Finished,
    detached: bool,
    cancelled: bool,
}

/// What kind of job runs: a project being opened gets a modal.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Save,
    Export,
    Read,
    Project,
    Tag,
}

struct Running {
    /// The workspace was replaced (another project opened) since the job started: its
    /// outcome is reported, not applied.
    detached: bool,
    kind: Kind,
    what: String,
    started: Instant,
    progress: Arc<Progress>,
    cancellable: bool,
    done: Receiver<Finished>,
}

/// Work asked for while a job ran, started in turn once it is done.
enum Queued {
    /// A save, with what follows it.
    Save(Option<AfterSave>),
    Read(Vec<PathBuf>),
    Project(PathBuf, LoadMode),
    Tag(Vec<Hit>, LabelId, Option<EntityId>),
}

/// The job running, if any, and what was asked for while it ran.
#[derive(Default)]
pub(super) struct Background {
    running: Option<Running>,
    queued: VecDeque<Queued>,
}

impl Background {
    /// The running job for the status bar: what it does, how long it has run
    /// ("Saving… 2 s"), how far it is, and whether it can be cancelled.
    pub(super) fn status(&self) -> Option<BusyStatus> {
        self.running.as_ref().map(|r| {
            let seconds = r.started.elapsed().as_secs();
            let what = if seconds == 0 {
                r.what.clone()
            } else {
                format!("{} {seconds} s", r.what)
            };
            BusyStatus {
                what,
                fraction: r.progress.fraction(),
                can_cancel: r.cancellable && !r.progress.is_cancelled(),
            }
        })
    }

    /// True while a job runs or work waits for one.
    pub(super) fn is_busy(&self) -> bool {
        self.running.is_some() || !self.queued.is_empty()
    }

    /// True while a job runs: new work waits (or, for a Save As or an export, is refused).
    fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// True while a project is being opened and not cancelled (the window shows a modal).
    pub(super) fn opening_project(&self) -> bool {
        self.running
            .as_ref()
            .is_some_and(|r| r.kind == Kind::Project && !r.progress.is_cancelled())
    }

    pub(super) fn cancel(&self) {
        if let Some(running) = self.running.as_ref().filter(|r| r.cancellable) {
            running.progress.cancel();
        }
    }

    fn start(
        &mut self,
        kind: Kind,
        what: String,
        progress: Option<Arc<Progress>>,
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
            kind,
            what,
            started: Instant::now(),
            cancellable: progress.is_some(),
            progress: progress.unwrap_or_default(),
            done,
        });
    }

    /// The workspace the running job came from is being replaced: saves queued for it are
    /// dropped (files queued to be read go to the new project).
    pub(super) fn detach(&mut self) {
        if let Some(running) = &mut self.running {
            running.detached = true;
        }
        self.queued.retain(|q| !matches!(q, Queued::Save(_)));
    }

    /// The finished job (and whether it was detached), if it finished; keeps the window
    /// repainting while one runs.
    fn poll(&mut self, ctx: &egui::Context) -> Option<Done> {
        let running = self.running.as_ref()?;
        match running.done.try_recv() {
            Ok(finished) => {
                let done = Done {
                    finished,
                    detached: running.detached,
                    cancelled: running.progress.is_cancelled(),
                };
                self.running = None;
                Some(done)
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

/// Said when a save as or export is asked for while another job runs.
const BUSY: &str = "Still busy with the last job; try again when it is done";

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
        if self.background.is_running() {
            self.toasts.error(BUSY.to_owned());
            return;
        }
        let what = format!("Saving {}…", file_name(job.path()));
        let progress = Arc::new(Progress::new());
        let counted = Arc::clone(&progress);
        self.background
            .start(Kind::Save, what, Some(progress), ctx, move || {
                Finished::Save(job.run(&counted), after)
            });
    }

    /// Saves the project to its file in the background, or queues the save behind the job
    /// running. Errors that need no disk (no file yet, changed by another program) are
    /// reported at once.
    pub(super) fn save_in_background(&mut self, after: Option<AfterSave>, ctx: &egui::Context) {
        if self.background.is_running() {
            self.background.queued.push_back(Queued::Save(after));
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
        if self.background.is_running() {
            self.toasts.error(BUSY.to_owned());
            return;
        }
        let progress = Arc::new(Progress::new());
        let shared = Arc::clone(&progress);
        let what = format!("Exporting {}…", file_name(job.out()));
        self.background
            .start(Kind::Export, what, Some(progress), ctx, move || {
                let out = job.out().to_owned();
                Finished::Export(job.run(&shared), out)
            });
    }

    /// Reads article files on a worker and adds them once read (the last one shown);
    /// files the project has already are shown at once. Queued behind a running job.
    pub(super) fn read_in_background(&mut self, paths: Vec<PathBuf>, ctx: &egui::Context) {
        if self.background.is_running() {
            self.background.queued.push_back(Queued::Read(paths));
            return;
        }
        let (known, job) = self.workspace.read_job(&paths);
        if let Some(&id) = known.last() {
            self.show_document(id);
        }
        let Some(job) = job else {
            return;
        };
        let what = match job.locations() {
            [one] => format!("Opening {}…", file_name(one)),
            many => format!("Opening {} files…", many.len()),
        };
        let progress = job.progress();
        self.background
            .start(Kind::Read, what, Some(progress), ctx, move || {
                Finished::Read(job.run())
            });
    }

    /// Opens the project file at `path` on a worker; the window shows a modal with its
    /// progress and Cancel meanwhile. Queued behind a running job.
    pub(super) fn open_project_in_background(
        &mut self,
        path: PathBuf,
        mode: LoadMode,
        ctx: &egui::Context,
    ) {
        if self.background.is_running() {
            self.background
                .queued
                .push_back(Queued::Project(path, mode));
            return;
        }
        let progress = Arc::new(Progress::new());
        let shared = Arc::clone(&progress);
        let what = format!("Opening {}…", file_name(&path));
        let generation = self.workspace.generation();
        self.background
            .start(Kind::Project, what, Some(progress), ctx, move || {
                let opened = Workspace::open_lazily(&path, mode, &shared);
                Finished::Project(Box::new(opened), path, mode, generation)
            });
    }

    /// Tags every hit not yet tagged with `label` ("Tag all"): the annotations are prepared
    /// on a worker (progress and Cancel) and added as one undo step once ready.
    pub(super) fn tag_in_background(
        &mut self,
        hits: Vec<Hit>,
        label: LabelId,
        entity: Option<EntityId>,
        ctx: &egui::Context,
    ) {
        if self.background.is_running() {
            self.background
                .queued
                .push_back(Queued::Tag(hits, label, entity));
            return;
        }
        let job = self.workspace.tag_job(hits, label, entity);
        let what = format!("Tagging {} hit(s)…", job.len());
        let progress = Arc::new(Progress::new());
        let shared = Arc::clone(&progress);
        self.background
            .start(Kind::Tag, what, Some(progress), ctx, move || {
                Finished::Tag(job.run(&shared))
            });
    }

    /// Starts adding the prepared tags (one undo step), a part per frame from this one.
    fn report_tags(&mut self, prepared: Option<PreparedTags>, ctx: &egui::Context) {
        let Some(prepared) = prepared else {
            self.toasts
                .info("Tagging cancelled; nothing was tagged".to_owned());
            return;
        };
        self.tagging = Some(prepared);
        if !self.background.queued.is_empty() {
            // Work waits (it starts right after this): all of the tags go in first.
            self.continue_tagging(ctx);
        }
        ctx.request_repaint();
    }

    /// The status bar's line while tags are being added.
    pub(super) fn tagging_status(&self) -> Option<BusyStatus> {
        let tagging = self.tagging.as_ref()?;
        let done = tagging.added();
        let all = done + tagging.remaining();
        Some(parts_status(format!("Adding {all} tag(s)…"), done, all))
    }

    /// Adds the next part of the tags being added (see [`Self::part_limit`]: the tags stay
    /// one undo step), and says how many were added once all are.
    pub(super) fn continue_tagging(&mut self, ctx: &egui::Context) {
        let Some(mut tagging) = self.tagging.take() else {
            return;
        };
        let limit = self.part_limit();
        match self.workspace.finish_tags_part(&mut tagging, limit) {
            Ok(_) if tagging.remaining() > 0 => {
                self.tagging = Some(tagging);
                ctx.request_repaint();
            }
            Ok(_) => {
                let label = tagging.label();
                let name = self
                    .workspace
                    .project()
                    .schema
                    .label(label)
                    .map_or(label.0.to_string(), |l| l.name.clone());
                self.toasts.info(format!(
                    "Tagged {} hit(s) as {name} (one undo step: Ctrl+Z)",
                    tagging.added()
                ));
            }
            Err(e) => self.toasts.error(format!("Cannot tag the hits: {e}")),
        }
    }

    /// Undoes (or redoes) the last step: a big one (a "tag all" of many hits) a part per
    /// frame from this one, as one step.
    pub(super) fn start_replay(&mut self, undo: bool, ctx: &egui::Context) {
        // Said before it is done: the words come from the annotations as they are now.
        let what = self.workspace.describe_next(undo);
        let started = if undo {
            self.workspace.undo_part(self.part)
        } else {
            self.workspace.redo_part(self.part)
        };
        let worked = started.is_ok();
        self.after_replay_part(started.map(|_| ()), undo, ctx);
        match what {
            Some(what) if worked => {
                let verb = if undo { "Undid" } else { "Redid" };
                self.toasts.info(format!("{verb}: {what}"));
            }
            None => {
                let nothing = if undo {
                    "Nothing to undo"
                } else {
                    "Nothing to redo"
                };
                self.toasts.info(nothing.to_owned());
            }
            Some(_) => {}
        }
    }

    /// The next part of an undo or redo under way (see [`Self::part_limit`]).
    pub(super) fn continue_replay(&mut self, ctx: &egui::Context) {
        let Some(replay) = self.workspace.replaying() else {
            return;
        };
        let limit = self.part_limit();
        let next = self.workspace.continue_replay(limit);
        self.after_replay_part(next.map(|_| ()), replay.undo, ctx);
    }

    fn after_replay_part(
        &mut self,
        result: Result<(), crate::model::EditError>,
        undo: bool,
        ctx: &egui::Context,
    ) {
        match result {
            Ok(()) => {
                self.forget_missing_selection();
                if self.workspace.replaying().is_some() {
                    ctx.request_repaint();
                }
            }
            Err(e) if undo => self.toasts.error(format!("Cannot undo: {e}")),
            Err(e) => self.toasts.error(format!("Cannot redo: {e}")),
        }
    }

    /// The status bar's line while an undo or redo goes a part per frame.
    pub(super) fn replay_status(&self) -> Option<BusyStatus> {
        let replay = self.workspace.replaying()?;
        let what = if replay.undo { "Undoing" } else { "Redoing" };
        Some(parts_status(
            format!("{what} a change of {} annotation(s)…", replay.total),
            replay.done,
            replay.total,
        ))
    }

    /// How many annotations of a big change go in this frame: a part, or everything left
    /// when the analyst did something this frame or work waits behind the change (so that
    /// what they do, and what a save writes, sees all of it).
    fn part_limit(&self) -> usize {
        if self.actions.is_empty() && self.background.queued.is_empty() {
            self.part
        } else {
            usize::MAX
        }
    }

    /// While a project opens: a modal with its progress and Cancel, in front of the
    /// project it is about to replace.
    pub(super) fn opening_modal_ui(&mut self, ctx: &egui::Context) {
        if !self.background.opening_project() {
            return;
        }
        let Some(status) = self.background.status() else {
            return;
        };
        egui::Modal::new(egui::Id::unique("opening-project")).show(ctx, |ui| {
            ui.set_width(360.0);
            ui.label(&status.what);
            ui.add(crate::gui::panels::progress_bar(status.fraction.unwrap_or(0.0)).animate(true));
            ui.weak("The project shown now stays open until this one is read.");
            if status.can_cancel && ui.button("Cancel opening").clicked() {
                self.background.cancel();
            }
        });
    }

    /// Takes back what a job finished, then starts a queued save.
    pub(super) fn poll_background(&mut self, ctx: &egui::Context) {
        let Some(Done {
            finished,
            detached,
            cancelled,
        }) = self.background.poll(ctx)
        else {
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
            Finished::Read(_) if detached => self.toasts.info(
                "Files read for the project that was closed were not added; open them again"
                    .to_owned(),
            ),
            Finished::Read(outcome) => self.report_read(outcome),
            Finished::Project(_, path, ..) if cancelled => {
                self.toasts
                    .info(format!("Opening cancelled: {}", path.display()));
            }
            Finished::Project(_, path, _, generation)
                if self.workspace.generation() != generation && self.workspace.is_dirty() =>
            {
                // Changed while the other was read (a shortcut behind the modal): ask
                // first, then read it again.
                self.unsaved_prompt = Some(AfterSave::OpenProject(path));
            }
            Finished::Project(opened, path, mode, _) => self.report_opened(*opened, &path, mode),
            Finished::Tag(_) if detached => self.toasts.info(
                "The hits were found in the project that was closed; nothing was tagged".to_owned(),
            ),
            Finished::Tag(prepared) => self.report_tags(prepared, ctx),
        }
        self.start_queued(ctx);
    }

    /// Starts the work queued while a job ran, in order, until one runs (some need no job:
    /// a save refused at once, files the project has already).
    fn start_queued(&mut self, ctx: &egui::Context) {
        while !self.background.is_running() {
            match self.background.queued.pop_front() {
                None => break,
                Some(Queued::Save(after)) => self.save_in_background(after, ctx),
                Some(Queued::Read(paths)) => self.read_in_background(paths, ctx),
                Some(Queued::Project(path, mode)) => {
                    self.open_project_in_background(path, mode, ctx);
                }
                Some(Queued::Tag(hits, label, entity)) => {
                    self.tag_in_background(hits, label, entity, ctx);
                }
            }
        }
    }

    /// Adds the documents a read job read (the last one shown), says why the others could
    /// not be read, or that opening was cancelled.
    fn report_read(&mut self, outcome: ReadOutcome) {
        if outcome.cancelled() {
            self.toasts
                .info("Opening cancelled; nothing was added".to_owned());
            return;
        }
        for added in self.workspace.finish_read(outcome) {
            match added {
                Ok(id) => {
                    self.show_document(id);
                    if let Some(crate::workspace::DocumentState::Loaded(loaded)) =
                        self.workspace.document_state(id)
                        && let Some(warning) = &loaded.warning
                    {
                        self.toasts.info(warning.clone());
                    }
                }
                Err(crate::workspace::AddDocumentError::Ingest(IngestError::NeedsPassword {
                    path,
                })) => self.ask_password(Locked::File(path), false),
                Err(crate::workspace::AddDocumentError::Ingest(IngestError::WrongPassword {
                    path,
                })) => self.ask_password(Locked::File(path), true),
                Err(e) => self.toasts.error(e.to_string()),
            }
        }
    }

    fn ask_password(&mut self, locked: Locked, wrong: bool) {
        self.password_prompt = Some(PasswordPrompt::new(locked, wrong));
    }

    /// The password question, and what its answer does: the file read again with it (on
    /// a worker for a file being added).
    pub(super) fn password_prompt_ui(&mut self, ctx: &egui::Context) {
        let Some(prompt) = &mut self.password_prompt else {
            return;
        };
        let Some(answer) = prompt.ui(ctx) else {
            return;
        };
        let Some(prompt) = self.password_prompt.take() else {
            return;
        };
        let Answer::Open(password) = answer else {
            return;
        };
        match prompt.locked {
            Locked::File(path) => {
                if self.background.is_running() {
                    self.toasts.info(
                        "Wait for the work under way to finish, then open the file again"
                            .to_owned(),
                    );
                    return;
                }
                let job = self.workspace.read_job_with_password(&path, &password);
                let progress = job.progress();
                let what = format!("Opening {}…", file_name(&path));
                self.background
                    .start(Kind::Read, what, Some(progress), ctx, move || {
                        Finished::Read(job.run())
                    });
            }
            Locked::Document(id, path) => match self.workspace.unlock(id, &password) {
                Ok(()) => self.show_document(id),
                Err(reason) if reason.contains("password does not open") => {
                    self.ask_password(Locked::Document(id, path), true);
                }
                Err(reason) => self.toasts.error(reason),
            },
        }
    }

    /// Installs a project opened on a worker, asks before opening an inconsistent one
    /// anyway, or says why it could not be opened.
    fn report_opened(
        &mut self,
        opened: Result<Workspace, StoreError>,
        path: &std::path::Path,
        mode: LoadMode,
    ) {
        match (opened, mode) {
            (Ok(workspace), _) => {
                self.install(workspace);
                self.offer_recovery();
            }
            (Err(error @ StoreError::Invalid { .. }), LoadMode::Strict) => {
                self.safety_prompt = Some(crate::gui::safety::SafetyPrompt::OpenAnyway {
                    path: path.to_owned(),
                    error: error.to_string(),
                });
            }
            (Err(error), _) => self.toasts.error(error.to_string()),
        }
    }
}
