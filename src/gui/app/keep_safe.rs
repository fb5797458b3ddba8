//! The app's side of never losing work: offering recovery, answering the questions about
//! the project file, autosaving, watching the file for changes by others, and the review
//! list, missing sources and encodings.

use std::path::Path;

use eframe::egui;

use super::MarginaliaApp;
use crate::gui::dialogs::Purpose;
use crate::gui::document_view::DocumentView;
use crate::gui::panels;
use crate::gui::safety::{self, SafetyChoice, SafetyPrompt};
use crate::model::{AnnotationId, DocumentId, Span};
use crate::store::LoadMode;
use crate::workspace::Workspace;

impl MarginaliaApp {
    /// Asks to restore unsaved work if the project has a recovery file, or, when the
    /// window starts empty, if an untitled project's work was left behind.
    pub(super) fn offer_recovery(&mut self) {
        let found = match self.workspace.path() {
            Some(path) => Workspace::find_recovery(path),
            None if self.workspace.project().documents().is_empty() => self
                .workspace
                .recovery_dir()
                .and_then(|dir| Workspace::find_untitled_recoveries(dir).into_iter().next()),
            None => None,
        };
        if let Some(recovery) = found {
            self.safety_prompt = Some(SafetyPrompt::Recovery(recovery));
        }
    }

    /// Makes `workspace` the open project, starting the views afresh.
    pub(super) fn install(&mut self, mut workspace: Workspace) {
        if workspace.recovery_dir().is_none() {
            workspace.set_recovery_dir(self.workspace.recovery_dir().map(Path::to_owned));
        }
        let problems = workspace.problems();
        // Where the analyst was reading in the project closed, for the next time.
        self.remember_reading_position();
        self.background.detach();
        // Tags still being added belong to the project closed (the analyst saved or
        // discarded its changes).
        self.tagging = None;
        if let Some(path) = workspace.path() {
            crate::workspace::view_state::remember_recent_project(path);
        }
        self.workspace = workspace;
        // Sources not read yet (a lazy open) are read from the next frame on.
        self.sources = if self.workspace.unread() > 0 {
            super::sources::Sources::Wanted
        } else {
            super::sources::Sources::None
        };
        self.waiting_for_texts = None;
        self.current = self.initial_document();
        self.selected = self.remembered_selection();
        self.view = DocumentView::default();
        self.restore_reading_position();
        // The pages shown belong to the project closed.
        self.page_view = None;
        self.annotation_list = panels::AnnotationList::default();
        self.disk_change_dismissed = false;
        for problem in problems {
            self.toasts.error(problem);
        }
    }

    /// Opens the project file at `path`, asking before loading an inconsistent one anyway,
    /// and offering its unsaved work if any was left behind.
    pub(super) fn open_project(&mut self, path: &Path, ctx: &egui::Context) {
        self.open_project_in_background(path.to_owned(), LoadMode::Strict, ctx);
    }

    pub(super) fn safety_prompt_ui(&mut self, ctx: &egui::Context) {
        let Some(prompt) = &self.safety_prompt else {
            return;
        };
        let Some(choice) = safety::prompt_ui(ctx, prompt) else {
            return;
        };
        let Some(prompt) = self.safety_prompt.take() else {
            return;
        };
        match (choice, prompt) {
            (SafetyChoice::OpenAnyway, SafetyPrompt::OpenAnyway { path, .. }) => {
                self.open_project_in_background(path, LoadMode::SetAsideInvalid, ctx);
            }
            (SafetyChoice::Reload, SafetyPrompt::ChangedOnDisk { path }) => {
                self.workspace.discard_recovery();
                self.open_project(&path, ctx);
            }
            (SafetyChoice::SaveAs, SafetyPrompt::ChangedOnDisk { .. }) => {
                self.disk_change_dismissed = true;
                self.dialogs.ask(Purpose::SaveAs, ctx, self.folder());
            }
            (SafetyChoice::Overwrite, SafetyPrompt::ChangedOnDisk { .. }) => {
                match self.workspace.save_job(true) {
                    Ok(job) => self.start_save(job, None, ctx),
                    Err(e) => {
                        self.report_save(Err(e));
                    }
                }
            }
            (SafetyChoice::Restore, SafetyPrompt::Recovery(recovery)) => {
                let restored = match (&recovery.project, self.workspace.recovery_dir()) {
                    (Some(project), _) => Workspace::restore_recovery(project),
                    (None, Some(dir)) => Workspace::restore_untitled(&recovery.path, dir),
                    (None, None) => return,
                };
                match restored {
                    Ok(workspace) => {
                        self.install(workspace);
                        self.toasts.info(format!(
                            "Restored {} annotation(s) of unsaved work; save to keep them",
                            recovery.annotations
                        ));
                    }
                    Err(error) => self.toasts.error(format!(
                        "{error} (the recovery file is kept: {})",
                        recovery.path.display()
                    )),
                }
            }
            (SafetyChoice::DiscardRecovery, SafetyPrompt::Recovery(recovery)) => {
                if let Err(e) = std::fs::remove_file(&recovery.path) {
                    self.toasts.error(format!(
                        "Cannot delete the recovery file: {e}: {}",
                        recovery.path.display()
                    ));
                }
            }
            (_, SafetyPrompt::ChangedOnDisk { .. }) => self.disk_change_dismissed = true,
            _ => {}
        }
    }

    /// Once per frame: autosave, and a look at the project file for changes by others.
    pub(super) fn keep_work_safe(&mut self, ctx: &egui::Context) {
        let settled = self.tagging.is_none() && self.workspace.replaying().is_none();
        if let Some(error) = self.autosave.tick(ctx, &self.workspace, settled) {
            self.toasts.error(error);
        }
        if self.autosave.disk_check_due(ctx)
            && self.safety_prompt.is_none()
            && !self.disk_change_dismissed
            && self.workspace.changed_on_disk()
            && let Some(path) = self.workspace.path()
        {
            self.safety_prompt = Some(SafetyPrompt::ChangedOnDisk {
                path: path.to_owned(),
            });
        }
    }

    /// A save was refused because another program changed the file: ask what to do.
    pub(super) fn ask_about_disk_change(&mut self, path: &Path) {
        self.safety_prompt = Some(SafetyPrompt::ChangedOnDisk {
            path: path.to_owned(),
        });
    }

    pub(super) fn locate(&mut self, document: DocumentId, path: &Path) {
        match self.workspace.locate(document, path) {
            Ok(()) => {
                let note = self
                    .workspace
                    .problems()
                    .into_iter()
                    .find(|p| p.ends_with(&path.display().to_string()));
                self.toasts.info(
                    note.unwrap_or_else(|| format!("Found the document at {}", path.display())),
                );
                self.view = DocumentView::default();
            }
            Err(error) => self.toasts.error(error),
        }
    }

    pub(super) fn set_encoding(&mut self, document: DocumentId, label: &str) {
        match self.workspace.set_encoding(document, label) {
            Ok(()) => {
                self.toasts
                    .info(format!("The document is now read as {label}"));
                self.view = DocumentView::default();
                self.selected = None;
            }
            Err(error) => self.toasts.error(error),
        }
    }

    pub(super) fn attach_orphan(&mut self, id: AnnotationId, span: Span) {
        match self.workspace.attach_orphan(id, span) {
            Ok(()) => {
                self.selected = Some(id);
                self.view.clear_selection();
            }
            Err(e) => self
                .toasts
                .error(format!("Cannot attach the annotation: {e}")),
        }
    }

    pub(super) fn discard_orphan(&mut self, id: AnnotationId) {
        self.toasts
            .failed("discard", self.workspace.discard_orphans(vec![id]));
    }
}
