//! Carrying out the queued actions: commands, labels, documents, opening, saving,
//! exporting and importing. Everything that changes the workspace goes through here.

use std::path::{Path, PathBuf};

use eframe::egui::{self, ViewportCommand};

use super::{AfterSave, MarginaliaApp};
use crate::gui::command::{Action, Command, ExportRequest, ImportRequest};
use crate::gui::dialogs::Purpose;
use crate::gui::export_dialog::ExportDialog;
use crate::gui::import_dialog::ImportDialog;
use crate::model::{DocumentId, LabelId, Span};
use crate::store::is_project_path;
use crate::workspace::DocumentState;

impl MarginaliaApp {
    pub(super) fn apply_actions(&mut self, ctx: &egui::Context) {
        let actions = std::mem::take(&mut self.actions);
        if !actions.is_empty() {
            ctx.request_repaint();
        }
        for action in actions {
            self.apply(action, ctx);
        }
    }

    fn apply(&mut self, action: Action, ctx: &egui::Context) {
        match action {
            Action::Run(command) => self.run(command, ctx),
            Action::ApplyLabel(label) => self.apply_label(&label),
            Action::Select(Some(target)) if self.relating.is_some() => {
                self.finish_relation(target);
            }
            Action::Select(id) => {
                self.selected = id;
                if id.is_some() {
                    self.view.clear_selection();
                }
            }
            Action::JumpTo(id) if self.relating.is_some() => self.finish_relation(id),
            Action::JumpTo(id) => {
                if let Some(annotation) = self.workspace.project().annotation(id) {
                    let (document, start) = (annotation.document, annotation.span.start());
                    self.show_document(document);
                    self.selected = Some(id);
                    self.view.scroll_to(start);
                    if let Some(pages) = self.page_view.as_mut().filter(|p| p.document == document)
                    {
                        pages.show(start);
                    }
                    self.annotation_list.reveal(id);
                }
            }
            Action::ShowDocument(id) => self.show_document(id),
            Action::ShowLayer(..)
            | Action::ShowAnalyst(..)
            | Action::SetAnalyst(_)
            | Action::TeamInit
            | Action::Curate(_)
            | Action::CurateAgreements(_)
            | Action::Sync(_)
            | Action::CancelSync
            | Action::Assign(..)
            | Action::Compare(_)
            | Action::LeaveOut(..) => self.apply_team(action),
            Action::SetNote(id, note) => {
                self.toasts
                    .failed("change the note", self.workspace.set_note(id, &note));
            }
            Action::SealHistory => self.workspace.seal_history(),
            Action::OpenPaths(paths) => self.open_paths(paths, ctx),
            Action::Export(request) => self.export(&request, ctx),
            Action::Import(request) => self.import(&request),
            Action::Locate(document, path) => self.locate(document, &path),
            Action::SetEncoding(document, label) => self.set_encoding(document, &label),
            Action::AttachOrphan(id, span) => self.attach_orphan(id, span),
            Action::DiscardOrphan(id) => self.discard_orphan(id),
            Action::ShowSpan(document, span) => {
                self.show_document(document);
                self.selected = None;
                self.view.select(span);
                self.view.scroll_to(span.start());
            }
            Action::FindMentions(entity) => {
                if let Some(entity) = self.workspace.project().entity(entity) {
                    self.find_panel = Some(crate::gui::find_panel::FindPanel::for_entity(entity));
                }
            }
            Action::TagAll(hits, label, entity) => {
                self.tag_in_background(hits, label, entity, ctx);
            }
            action @ (Action::LinkEntity(..)
            | Action::NewEntityFrom(_)
            | Action::SetAttributes(..)
            | Action::SetClusters(..)
            | Action::SetStatus(..)
            | Action::UpdateEntity(_)
            | Action::MergeEntities(..)
            | Action::SplitEntity(..)
            | Action::DeleteEntity(_)
            | Action::AcceptSuggestions(_)
            | Action::RejectSuggestions(_)
            | Action::AcceptProposedSpeaker(_)
            | Action::StartRelation(..)
            | Action::Unrelate(_)
            | Action::AddFragment(..)
            | Action::SetAttributeValue(..)
            | Action::AddAttribute(..)
            | Action::UpdateAttribute(..)
            | Action::DeleteAttribute(..)
            | Action::RemoveFragment(..)
            | Action::AddLabel(..)
            | Action::UpdateLabel(_)
            | Action::DeleteLabel(_)
            | Action::SetRelationKinds(_)
            | Action::SetMetadata(..)
            | Action::SetMemo(_)) => self.apply_analysis(action),
            Action::SaveTo(path) => {
                let job = self.workspace.save_as_job(&path);
                let after = self.after_save_as.take();
                self.start_save(job, after, ctx);
            }
            Action::CancelBackground => self.background.cancel(),
            Action::NewProject(path) => self.new_project(&path, ctx),
            Action::RemoveDocument(document) => self.remove_document(document),
        }
    }

    /// Does `after` at once, or once the analyst has saved or discarded unsaved changes.
    pub(super) fn unless_unsaved(&mut self, after: AfterSave, ctx: &egui::Context) {
        if self.workspace.is_dirty() {
            self.unsaved_prompt = Some(after);
        } else {
            self.finish(after, ctx);
        }
    }

    /// Starts an empty project at `path` and saves it there (a file already there is
    /// refused, never overwritten).
    fn new_project(&mut self, path: &Path, ctx: &egui::Context) {
        if path.exists() {
            self.toasts.error(format!(
                "A file is already there; open it with File > Open document…, or choose another name: {}",
                path.display()
            ));
            return;
        }
        self.install(crate::workspace::Workspace::new_at(path));
        self.save_in_background(None, ctx);
    }

    /// Takes `document` out of the project (one undo step) and shows another one.
    fn remove_document(&mut self, document: DocumentId) {
        let name = self
            .workspace
            .project()
            .document(document)
            .map(|d| d.display_name().to_owned())
            .unwrap_or_default();
        let annotations = self.workspace.project().annotation_count_of(document);
        match self.workspace.remove_document(document) {
            Ok(()) => {
                if self.current == Some(document) {
                    self.current = None;
                    self.selected = None;
                    self.view.clear_selection();
                    if let Some(next) = self.workspace.first_shown() {
                        self.show_document(next);
                    }
                }
                self.toasts.info(format!(
                    "Removed “{name}” and its {annotations} annotation(s) from the project (Ctrl+Z brings them back)"
                ));
            }
            Err(e) => self
                .toasts
                .error(format!("Cannot remove the document: {e}")),
        }
    }

    /// Asks before the document chosen for removal goes.
    pub(super) fn remove_document_prompt_ui(&mut self, ctx: &egui::Context) {
        let Some(document) = self.confirm_remove else {
            return;
        };
        let Some(name) = self
            .workspace
            .project()
            .document(document)
            .map(|d| d.display_name().to_owned())
        else {
            self.confirm_remove = None;
            return;
        };
        let annotations = self.workspace.project().annotation_count_of(document);
        if let Some(remove) = super::super::dialogs::remove_document_ui(ctx, &name, annotations) {
            self.confirm_remove = None;
            if remove {
                self.actions.push(Action::RemoveDocument(document));
            }
        }
    }

    fn run(&mut self, command: Command, ctx: &egui::Context) {
        if !self.is_enabled(command) {
            return;
        }
        match command {
            Command::NewProject => self.unless_unsaved(AfterSave::NewProject, ctx),
            Command::CloseProject => self.unless_unsaved(AfterSave::CloseProject, ctx),
            Command::RemoveDocument => self.confirm_remove = self.current,
            Command::DocumentDetails => {
                self.details_window = match (&self.details_window, self.current) {
                    (Some(open), Some(current)) if open.document() == current => None,
                    (_, current) => current.map(|document| {
                        super::super::details_window::DetailsWindow::new(&self.workspace, document)
                    }),
                };
            }
            Command::ProjectMemo => toggle_with(&mut self.memo_window, || {
                super::super::details_window::MemoWindow::new(&self.workspace)
            }),
            Command::OpenDocument => self.dialogs.ask(Purpose::Open, ctx, self.folder()),
            Command::OpenPath => self.dialogs.prompt_for(Purpose::Open, None, self.folder()),
            Command::SaveProject => self.save(ctx),
            Command::SaveProjectAs => self.dialogs.ask(Purpose::SaveAs, ctx, self.folder()),
            Command::LocateDocument => {
                if let Some(document) = self.current {
                    self.dialogs
                        .ask(Purpose::Locate(document), ctx, self.folder());
                }
            }
            Command::Import => self.import_dialog = Some(ImportDialog::default()),
            Command::Export => {
                let name = self.workspace.display_name();
                self.export_dialog = Some(ExportDialog::new(
                    self.workspace.project(),
                    &name,
                    self.folder(),
                ));
            }
            Command::Curate => toggle(&mut self.curation_window),
            Command::ShowAgreement => toggle(&mut self.agreement_window),
            Command::Sync => toggle(&mut self.sync_window),
            Command::Team => toggle_with(&mut self.team_window, || {
                super::super::team_window::TeamWindow::new(&self.workspace)
            }),
            Command::Quit => self.request_close(ctx),
            Command::Undo => self.start_replay(true, ctx),
            Command::Redo => self.start_replay(false, ctx),
            Command::NextAnnotation => self.select_adjacent(true),
            Command::PreviousAnnotation => self.select_adjacent(false),
            Command::EditSchema
            | Command::ShowClaims
            | Command::ShowQuotes
            | Command::CommandPalette
            | Command::Suggest
            | Command::ShowEntities => self.toggle_window(command),
            Command::Find => match &mut self.find_panel {
                Some(panel) => panel.focus(),
                None => {
                    self.find_panel = Some(crate::gui::find_panel::FindPanel::new(
                        self.last_entity_label.clone(),
                    ));
                }
            },
            Command::DeleteAnnotation => {
                if let Some(id) = self.selected.take()
                    && let Err(e) = self.workspace.remove(vec![id])
                {
                    self.toasts.error(format!("Cannot delete: {e}"));
                }
            }
            Command::ClearSelection => {
                // Escape closes the topmost window first; with none open it clears.
                if !self.close_topmost_window() {
                    self.relating = None;
                    self.selected = None;
                    self.view.clear_selection();
                }
            }
            Command::ZoomIn | Command::ZoomOut | Command::ZoomReset => {
                let zoom = match command {
                    Command::ZoomIn => (ctx.zoom_factor() * 1.1).min(3.0),
                    Command::ZoomOut => (ctx.zoom_factor() / 1.1).max(0.5),
                    _ => 1.0,
                };
                ctx.set_zoom_factor(zoom);
            }
            Command::ToggleTheme => {
                let dark = ctx.theme() == egui::Theme::Dark;
                ctx.set_theme(if dark {
                    egui::Theme::Light
                } else {
                    egui::Theme::Dark
                });
            }
            Command::ShowShortcuts => self.show_shortcuts = !self.show_shortcuts,
            Command::TogglePageView => self.toggle_page_view(ctx),
            Command::ToggleOverview => self.toggle_overview(),
        }
    }

    /// View > Overview: open, or closed.
    fn toggle_overview(&mut self) {
        self.overview = match self.overview.take() {
            Some(_) => None,
            None => Some(super::super::overview_view::OverviewView::default()),
        };
    }

    /// View > Page view: on for the shown PDF, or off.
    fn toggle_page_view(&mut self, ctx: &egui::Context) {
        if self.page_view.take().is_some() {
            return;
        }
        let Some(id) = self.current else {
            return;
        };
        let Some(document) = self.workspace.project().document(id) else {
            return;
        };
        if document.format != crate::model::SourceFormat::Pdf {
            self.toasts
                .info("The page view shows PDF documents; this one is text".to_owned());
            return;
        }
        let Some(crate::workspace::DocumentState::Loaded(loaded)) =
            self.workspace.document_state(id)
        else {
            return;
        };
        let mut view = super::super::page_view::PageView::open(
            id,
            self.workspace.document_location(document),
            std::sync::Arc::clone(&loaded.text),
            document.pages.clone(),
            ctx,
        );
        // The page of what is selected in the text.
        let selected = self
            .selected
            .and_then(|a| self.workspace.project().annotation(a))
            .map(|a| a.span.start());
        if let Some(pos) = self.view.selection().map(Span::start).or(selected) {
            view.show(pos);
        }
        self.page_view = Some(view);
    }

    pub(super) fn folder(&self) -> Option<PathBuf> {
        self.workspace
            .path()
            .and_then(Path::parent)
            .map(Path::to_owned)
    }

    pub(super) fn forget_missing_selection(&mut self) {
        if let Some(id) = self.selected
            && self.workspace.project().annotation(id).is_none()
        {
            self.selected = None;
        }
    }

    fn apply_label(&mut self, label: &LabelId) {
        let Some(document) = self.current else {
            return;
        };
        let is_entity = self
            .workspace
            .project()
            .schema
            .label(label)
            .is_some_and(|l| l.kind == crate::model::LabelKind::Entity);
        if is_entity {
            self.last_entity_label = Some(label.clone());
        }
        if let Some(span) = self.view.selection() {
            match self.workspace.annotate(document, span, label) {
                Ok(id) => {
                    self.selected = Some(id);
                    self.view.clear_selection();
                }
                Err(e) => self.toasts.error(format!("Cannot tag the selection: {e}")),
            }
        } else if let Some(id) = self.selected {
            self.toasts
                .failed("change the label", self.workspace.relabel(id, label));
        } else {
            self.toasts.info(
                "Select text first: drag over it with the mouse, then press the label's key.",
            );
        }
    }

    /// Selects the annotation after (or before) the selected one in the shown document, in
    /// text order, wrapping around, and scrolls to it.
    fn select_adjacent(&mut self, forward: bool) {
        let Some(document) = self.current else {
            return;
        };
        let ids: Vec<_> = self
            .workspace
            .project()
            .spans_of(document)
            .map(|(span, id)| (span.start(), id))
            .collect();
        if ids.is_empty() {
            return;
        }
        let at = self
            .selected
            .and_then(|s| ids.iter().position(|(_, id)| *id == s));
        let next = match (at, forward) {
            (Some(i), true) => (i + 1) % ids.len(),
            (Some(i), false) => (i + ids.len() - 1) % ids.len(),
            (None, true) => 0,
            (None, false) => ids.len() - 1,
        };
        let (start, id) = ids[next];
        self.selected = Some(id);
        self.view.clear_selection();
        self.view.scroll_to(start);
    }

    /// Layers (labels and analysts shown) and the Team window's actions.
    fn apply_team(&mut self, action: Action) {
        match action {
            Action::ShowLayer(label, shown) => {
                if shown {
                    self.hidden_layers.labels.remove(&label);
                } else {
                    self.hidden_layers.labels.insert(label);
                }
                self.unselect_hidden();
            }
            Action::ShowAnalyst(name, shown) => {
                if shown {
                    self.hidden_layers.analysts.remove(&name);
                } else {
                    self.hidden_layers.analysts.insert(name);
                }
                self.unselect_hidden();
            }
            Action::SetAnalyst(name) => {
                self.workspace.set_analyst(&name);
                self.toasts.info(format!(
                    "Your annotations are now recorded as made by {}",
                    self.workspace.analyst()
                ));
            }
            Action::TeamInit => self.team_init(),
            Action::Sync(message) => self.start_sync(&message),
            Action::LeaveOut(document, extent) => {
                self.toasts
                    .failed("curate", self.workspace.leave_out(document, extent, true));
            }
            Action::Compare(analyst) => {
                self.compare = analyst.map(super::Compare::new);
            }
            Action::Assign(document, analysts) => {
                self.toasts.failed(
                    "assign the document",
                    self.workspace.assign(document, &analysts),
                );
            }
            Action::CancelSync => self.cancel_sync(),
            Action::Curate(ids) => match self.workspace.curate(&ids) {
                Ok(made) => {
                    self.selected = made.first().copied();
                    self.toasts
                        .info("Accepted into the curated layer (Ctrl+Z undoes it)");
                }
                Err(e) => self.toasts.error(format!("Cannot curate: {e}")),
            },
            Action::CurateAgreements(document) => {
                match self.workspace.curate_agreements(document) {
                    Ok(count) => self.toasts.info(format!(
                        "{count} agreement(s) accepted into the curated layer"
                    )),
                    Err(e) => self.toasts.error(format!("Cannot curate: {e}")),
                }
            }
            _ => {}
        }
    }

    /// File > Team > Set up: `marginalia team init` for the project's folder; what it did
    /// is shown in the window.
    fn team_init(&mut self) {
        let Some(folder) = self.workspace.path().and_then(Path::parent) else {
            self.toasts
                .error("Save the project in a git work tree first".to_owned());
            return;
        };
        let said = match crate::team::init(folder) {
            Ok(lines) => {
                self.toasts
                    .info("The repository is set up: merges of the project never conflict");
                lines
            }
            Err(error) => {
                self.toasts
                    .error(format!("Cannot set the team up: {error}"));
                vec![error.to_string()]
            }
        };
        if let Some(window) = &mut self.team_window {
            window.said = said;
        }
    }

    /// A hidden layer's annotation cannot stay selected: the analyst would not see it.
    fn unselect_hidden(&mut self) {
        if self
            .selected
            .and_then(|id| self.workspace.project().annotation(id))
            .is_some_and(|a| self.hidden_layers.hides(a))
        {
            self.selected = None;
        }
    }

    pub(super) fn show_document(&mut self, id: DocumentId) {
        if self.current != Some(id) {
            self.remember_reading_position();
            self.current = Some(id);
            self.selected = None;
            self.view.clear_selection();
            self.restore_reading_position();
        }
        self.workspace.set_last_document(id);
        if let Some(DocumentState::Unavailable(reason)) = self.workspace.document_state(id) {
            self.toasts.error(reason.clone());
        }
    }

    /// Remembers where the analyst is reading the document shown (for the next time it
    /// is shown, in this session or the next).
    pub(super) fn remember_reading_position(&self) {
        let Some(id) = self.current else {
            return;
        };
        let reading = self
            .workspace
            .text(id)
            .and_then(|text| self.view.reading_position(id, text))
            .map(|at| (id, at));
        self.workspace.remember_place(reading, self.selected);
    }

    /// Shows the document shown where the analyst was last reading it (its top if they
    /// were at its start or never read it). A jump asked for after this wins.
    pub(super) fn restore_reading_position(&mut self) {
        if let Some(at) = self
            .current
            .and_then(|id| self.workspace.reading_position(id))
            .filter(|at| at.0 > 0)
        {
            self.view.scroll_to(at);
        }
    }

    fn open_paths(&mut self, paths: Vec<PathBuf>, ctx: &egui::Context) {
        let (projects, documents): (Vec<PathBuf>, Vec<PathBuf>) =
            paths.into_iter().partition(|p| is_project_path(p));
        match projects.into_iter().next() {
            // The project first: the articles are read into it once it is open.
            Some(project) if !self.workspace.is_dirty() => {
                self.open_project(&project, ctx);
                if !documents.is_empty() {
                    self.read_in_background(documents, ctx);
                }
            }
            project => {
                if !documents.is_empty() {
                    self.read_in_background(documents, ctx);
                }
                if let Some(project) = project {
                    self.unsaved_prompt = Some(AfterSave::OpenProject(project));
                }
            }
        }
    }

    /// Starts an export on a worker; [`Self::report_export`] tells how it went.
    fn export(&mut self, request: &ExportRequest, ctx: &egui::Context) {
        if self.reading_sources() {
            // An export holds every text: it waits for the ones still being read.
            self.waiting_for_texts = Some(Action::Export(request.clone()));
            return;
        }
        let options = crate::formats::ExportOptions {
            jsonl_flavor: request.flavor,
            scope: request.scope,
        };
        match self.workspace.export_job(
            request.selection.clone(),
            request.format,
            options,
            request.out.clone(),
        ) {
            Ok(job) => self.start_export(job, ctx),
            Err(refused) => self.report_export(Err(refused), &request.out),
        }
    }

    /// Reports how faithful a finished export was, in the dialog and as a message.
    pub(super) fn report_export(
        &mut self,
        result: Result<crate::formats::Fidelity, crate::formats::ExportError>,
        out: &Path,
    ) {
        let result = result
            .map(|fidelity| format!("{fidelity}. Written to {}", out.display()))
            .map_err(|e| e.to_string());
        match &result {
            Ok(report) => {
                // Done: the dialog closes, the report stays in the messages.
                self.toasts.info(report.clone());
                self.export_dialog = None;
            }
            Err(error) => {
                self.toasts.error(error.clone());
                if let Some(dialog) = &mut self.export_dialog {
                    dialog.report = Some(result);
                }
            }
        }
    }

    /// Reads another tool's files into the project as one undo step.
    fn import(&mut self, request: &ImportRequest) {
        let result = crate::formats::parse_import(request.format, &request.paths, request.offsets)
            .map_err(crate::workspace::ImportError::from)
            .and_then(|incoming| self.workspace.import(&incoming, request.strict))
            .map(|report| report.to_string())
            .map_err(|e| e.to_string());
        match &result {
            Ok(report) => {
                self.toasts.info(report.clone());
                if self.current.is_none() {
                    self.current = self.initial_document();
                    self.restore_reading_position();
                }
            }
            Err(error) => self.toasts.error(error.clone()),
        }
        if let Some(dialog) = &mut self.import_dialog {
            dialog.report = Some(result);
        }
    }

    /// Saves in the background; asks for a path first if the project has none.
    pub(super) fn save(&mut self, ctx: &egui::Context) {
        if self.workspace.path().is_none() {
            self.dialogs.ask(Purpose::SaveAs, ctx, None);
            return;
        }
        self.save_in_background(None, ctx);
    }

    /// Tells the user how a save went; true if it worked.
    pub(super) fn report_save(&mut self, result: Result<(), crate::store::StoreError>) -> bool {
        match result {
            Ok(()) => {
                self.disk_change_dismissed = false;
                if let Some(path) = self.workspace.path() {
                    crate::workspace::view_state::remember_recent_project(path);
                }
                let path = self.workspace.path().map(|p| p.display().to_string());
                self.toasts
                    .info(format!("Saved {}", path.unwrap_or_default()));
                true
            }
            Err(crate::store::StoreError::ChangedOnDisk { path }) => {
                self.ask_about_disk_change(&path);
                false
            }
            Err(e) => {
                self.toasts.error(e.to_string());
                false
            }
        }
    }

    pub(super) fn finish(&mut self, after: AfterSave, ctx: &egui::Context) {
        match after {
            AfterSave::Close => {
                self.remember_reading_position();
                self.close_allowed = true;
                ctx.send_viewport_cmd(ViewportCommand::Close);
            }
            AfterSave::OpenProject(path) => self.open_project(&path, ctx),
            AfterSave::NewProject => {
                self.dialogs.ask(Purpose::NewProject, ctx, self.folder());
            }
            AfterSave::CloseProject => self.install(crate::workspace::Workspace::untitled()),
        }
    }
}

/// Opens a window that is closed, closes one that is open.
fn toggle<W: Default>(window: &mut Option<W>) {
    toggle_with(window, W::default);
}

/// Opens a window that is closed (as `make` makes it), closes one that is open.
fn toggle_with<W>(window: &mut Option<W>, make: impl FnOnce() -> W) {
    *window = match window {
        Some(_) => None,
        None => Some(make()),
    };
}
