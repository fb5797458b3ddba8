//! [`MarginaliaApp`]: the eframe application. Draws the panels, turns input into
//! [`Action`]s, and applies them to the [`Workspace`] once per frame.

use std::path::PathBuf;

use eframe::egui::{self, Key, Modifiers, Ui, ViewportCommand};

mod actions;
mod analysis;
mod background;
mod keep_safe;
mod preferences;
mod sources;
mod sync;

pub use preferences::{PREFERENCES_KEY, Preferences};
use sync::SyncRun;

use super::command::{Action, Command};
use super::dialogs::{self, DialogBackend, FileDialogs, Purpose, UnsavedChoice};
use super::document_view::DocumentView;
use super::export_dialog::ExportDialog;
use super::import_dialog::ImportDialog;
use super::panels;
use super::safety::{Autosave, SafetyPrompt};
use super::toasts::Toasts;
use crate::model::{AnnotationId, CharPos, DocumentId, Span};
use crate::workspace::{DocumentState, Workspace};

/// What to do once the unsaved-changes question is answered (and the project saved, if
/// that was the answer).
#[derive(Clone, Debug, PartialEq, Eq)]
enum AfterSave {
    Close,
    OpenProject(PathBuf),
    /// Ask where the new project goes.
    NewProject,
    /// Leave the window with no project.
    CloseProject,
}

/// The application state.
pub struct MarginaliaApp {
    workspace: Workspace,
    current: Option<DocumentId>,
    selected: Option<AnnotationId>,
    view: DocumentView,
    annotation_list: panels::AnnotationList,
    /// The inspector's fields being typed in (the note among them).
    inspector: super::inspector::Inspector,
    actions: Vec<Action>,
    toasts: Toasts,
    dialogs: FileDialogs,
    unsaved_prompt: Option<AfterSave>,
    /// Whether the last frame was drawn (see [`Drawn`]).
    drawn: Drawn,
    /// The floating windows open, in the order they were opened (the last is on top).
    window_order: Vec<&'static str>,
    /// The entity label the analyst tagged with last: what Find's Tag all offers.
    last_entity_label: Option<crate::model::LabelId>,
    /// Labels whose layers the text does not show (View > Layers in the text).
    hidden_layers: panels::HiddenLayers,
    /// Set once the user agreed to close; the next close request goes through.
    close_allowed: bool,
    /// The action waiting for a Save As answer before it runs.
    after_save_as: Option<AfterSave>,
    shown_title: String,
    show_shortcuts: bool,
    /// File > Team, while open.
    team_window: Option<super::team_window::TeamWindow>,
    /// File > Document details, while open.
    details_window: Option<super::details_window::DetailsWindow>,
    /// File > Project memo, while open.
    memo_window: Option<super::details_window::MemoWindow>,
    /// View > Agreement, while open.
    agreement_window: Option<super::agreement_window::AgreementWindow>,
    /// View > Curation, while open.
    curation_window: Option<super::curation_window::CurationWindow>,
    /// File > Sync, while open.
    sync_window: Option<super::sync_window::SyncWindow>,
    /// The sync under way: its outcome, and its progress (for Cancel).
    sync_run: Option<SyncRun>,
    /// Side by side (View > Layers): this analyst's layer alone in a second column.
    compare: Option<Compare>,
    /// The last sync's outcome and when it ended.
    last_sync: Option<sync::LastSync>,
    export_dialog: Option<ExportDialog>,
    import_dialog: Option<ImportDialog>,
    find_panel: Option<super::find_panel::FindPanel>,
    entities_window: Option<super::entities_window::EntitiesWindow>,
    palette: Option<super::palette::Palette>,
    schema_window: Option<super::schema_window::SchemaWindow>,
    /// A relation being made: its start and kind, waiting for the click on its other end.
    relating: Option<(AnnotationId, String)>,
    /// A big "tag all" being added a part per frame (one undo step).
    tagging: Option<crate::workspace::PreparedTags>,
    /// How many annotations a big change (a "tag all", undoing or redoing one) adds or
    /// removes per frame.
    part: usize,
    tables_window: Option<super::tables_window::TablesWindow>,
    /// The claim clusters, for the tables window and the inspector.
    claim_clusters: super::claim_clusters::ClaimClusters,
    suggestions_window: Option<super::suggestions_window::SuggestionsWindow>,
    safety_prompt: Option<SafetyPrompt>,
    /// View > Page view: the shown PDF's pages, while on.
    page_view: Option<super::page_view::PageView>,
    /// View > Overview, while open.
    overview: Option<super::overview_view::OverviewView>,
    /// A PDF that needs a password, while its password is asked for.
    password_prompt: Option<super::password_prompt::PasswordPrompt>,
    autosave: Autosave,
    /// The analyst chose to keep editing after being told the file changed on disk: do not
    /// ask again until the next save or reload.
    disk_change_dismissed: bool,
    /// The save or export running on a worker.
    background: background::Background,
    /// The theme (dark?) and zoom shown last frame, for the preferences kept.
    look: Option<(bool, f32)>,
    /// Preferences of the last session, applied on the next frame.
    restoring: Option<preferences::Preferences>,
    /// The document the analyst asked to remove, while the removal is confirmed.
    confirm_remove: Option<DocumentId>,
    /// The sources of a project opened lazily, to be read or being read (see [`sources`]).
    sources: sources::Sources,
    /// The workspace's generation when it was last checked for texts not read.
    sources_checked: (u64, u64),
    /// An export asked for while sources were still read: it starts once they are.
    waiting_for_texts: Option<Action>,
}

impl MarginaliaApp {
    /// The app on `workspace`; `problems` (from opening the command line's paths) are shown
    /// as error messages.
    pub fn new(workspace: Workspace, problems: Vec<String>, backend: DialogBackend) -> Self {
        let mut app = Self {
            workspace,
            current: None,
            selected: None,
            view: DocumentView::default(),
            annotation_list: panels::AnnotationList::default(),
            inspector: super::inspector::Inspector::default(),
            actions: Vec::new(),
            toasts: Toasts::default(),
            dialogs: FileDialogs::new(backend),
            unsaved_prompt: None,
            close_allowed: false,
            after_save_as: None,
            shown_title: String::new(),
            show_shortcuts: false,
            team_window: None,
            details_window: None,
            memo_window: None,
            agreement_window: None,
            curation_window: None,
            sync_window: None,
            compare: None,
            sync_run: None,
            last_sync: None,
            export_dialog: None,
            import_dialog: None,
            find_panel: None,
            entities_window: None,
            palette: None,
            schema_window: None,
            relating: None,
            tagging: None,
            part: background::PART,
            tables_window: None,
            claim_clusters: super::claim_clusters::ClaimClusters::default(),
            suggestions_window: None,
            safety_prompt: None,
            password_prompt: None,
            page_view: None,
            overview: None,
            autosave: Autosave::default(),
            disk_change_dismissed: false,
            background: background::Background::default(),
            sources: sources::Sources::default(),
            confirm_remove: None,
            look: None,
            restoring: None,
            sources_checked: (0, 0),
            waiting_for_texts: None,
            drawn: Drawn::No,
            window_order: Vec::new(),
            last_entity_label: None,
            hidden_layers: panels::HiddenLayers::default(),
        };
        app.current = app.initial_document();
        app.selected = app.remembered_selection();
        app.restore_reading_position();
        app.offer_recovery();
        for problem in problems {
            app.toasts.error(problem);
        }
        app
    }

    fn initial_document(&self) -> Option<DocumentId> {
        self.workspace.first_shown()
    }

    /// What was selected when the analyst left the project, if it is in the document shown.
    fn remembered_selection(&self) -> Option<AnnotationId> {
        self.workspace.remembered_selection().filter(|&id| {
            let annotation = self.workspace.project().annotation(id);
            annotation.is_some_and(|a| Some(a.document) == self.current)
        })
    }

    pub fn workspace(&self) -> &Workspace {
        &self.workspace
    }

    /// The document shown.
    pub fn current_document(&self) -> Option<DocumentId> {
        self.current
    }

    /// Opens what the command line named (a project, articles) in the background, as the
    /// window starts. A project's own unsaved work is offered once it is open, so the
    /// offer of an untitled project's work made by the empty window is withdrawn.
    pub fn open_at_start(&mut self, paths: Vec<std::path::PathBuf>) {
        if paths.iter().any(|p| crate::store::is_project_path(p)) {
            self.safety_prompt = None;
        }
        if !paths.is_empty() {
            self.push_action(Action::OpenPaths(paths));
        }
    }

    /// How many paragraphs of the shown document have only an estimated height (the
    /// worker measuring them all brings this to zero).
    pub fn estimated_paragraphs(&self) -> usize {
        self.view.estimated_paragraphs()
    }

    /// The selected annotation.
    pub fn selected(&self) -> Option<AnnotationId> {
        self.selected
    }

    /// The text selection waiting for a label.
    pub fn text_selection(&self) -> Option<Span> {
        self.view.selection()
    }

    /// Where character `pos` of the shown document is on screen, if visible.
    pub fn screen_pos_of(&self, pos: CharPos) -> Option<egui::Pos2> {
        let text = self.workspace.text(self.current?)?;
        self.view.screen_pos_of(text, pos)
    }

    /// Every glyph painted last frame: the character egui drew and its box on screen.
    pub fn painted_glyphs(&self) -> Vec<(char, egui::Rect)> {
        self.view.painted_glyphs()
    }

    /// The rectangles on screen `span` of the shown document is highlighted in.
    pub fn screen_bands(&self, span: crate::model::Span) -> Vec<egui::Rect> {
        self.current
            .and_then(|id| self.workspace.text(id))
            .map(|text| self.view.screen_bands(text, span))
            .unwrap_or_default()
    }

    /// The annotations drawn last frame in the second column (side by side), if shown.
    pub fn compared_annotations(&self) -> Option<&[AnnotationId]> {
        self.compare.as_ref().map(|c| c.view.painted())
    }

    /// Where the two columns (side by side) were reading last frame: the first character
    /// of the paragraph at the top of each, left then right.
    pub fn compared_reading_positions(&self) -> Option<(CharPos, CharPos)> {
        let id = self.current?;
        let text = self.workspace.text(id)?;
        let compare = self.compare.as_ref()?;
        Some((
            self.view.reading_position(id, text)?,
            compare.view.reading_position(id, text)?,
        ))
    }

    /// The glyphs of the inspector's passage last frame when it holds right-to-left text
    /// (see `Inspector::passage_glyphs`).
    pub fn inspector_passage_glyphs(&self) -> Vec<(char, egui::Rect)> {
        self.inspector.passage_glyphs()
    }

    /// The annotations drawn in the text last frame.
    pub fn painted_annotations(&self) -> &[AnnotationId] {
        self.view.painted()
    }

    /// The relation arcs drawn in the text last frame, with their ends on screen.
    pub fn painted_arcs(&self) -> &[(crate::model::RelationId, egui::Pos2, egui::Pos2)] {
        self.view.painted_arcs()
    }

    /// Every message shown to the user so far (errors and notices), oldest first.
    pub fn messages(&self) -> &[String] {
        self.toasts.log()
    }

    /// Sets how many annotations a big change (a "tag all", undoing or redoing one) adds
    /// or removes per frame (tests use small parts to see several frames without tagging
    /// thousands of hits).
    pub fn set_part(&mut self, annotations: usize) {
        self.part = annotations.max(1);
    }

    /// True while a job (save, export, reading files, opening a project, a search through a
    /// long text) runs on a worker or waits for one, or a big change goes in over frames.
    pub fn busy(&self) -> bool {
        self.background.is_busy()
            || self.reading_sources()
            || self.tagging.is_some()
            || self.workspace.replaying().is_some()
            || self
                .find_panel
                .as_ref()
                .is_some_and(super::find_panel::FindPanel::is_searching)
            || self
                .overview
                .as_ref()
                .is_some_and(super::overview_view::OverviewView::is_computing)
            || self.claim_clusters.is_computing()
            || self
                .agreement_window
                .as_ref()
                .is_some_and(super::agreement_window::AgreementWindow::is_computing)
    }

    /// The hits Find and tag all shows (none while it is closed).
    pub fn find_hits(&self) -> &[crate::workspace::Hit] {
        self.find_panel
            .as_ref()
            .map_or(&[], super::find_panel::FindPanel::hits)
    }

    /// View > Overview, while open.
    pub fn overview(&self) -> Option<&super::overview_view::OverviewView> {
        self.overview.as_ref()
    }

    /// True once the user agreed to close the window (or nothing was unsaved).
    pub fn close_allowed(&self) -> bool {
        self.close_allowed
    }

    /// True while the unsaved-changes question is shown.
    pub fn is_asking_to_save(&self) -> bool {
        self.unsaved_prompt.is_some()
    }

    /// True while a question about the project file (open anyway, changed on disk, restore
    /// unsaved work) is shown.
    pub fn is_asking_about_the_file(&self) -> bool {
        self.safety_prompt.is_some()
    }

    /// The page view, while it is on.
    pub fn page_view(&self) -> Option<&super::page_view::PageView> {
        self.page_view.as_ref()
    }

    /// True while the password of an encrypted PDF is asked for.
    pub fn is_asking_for_a_password(&self) -> bool {
        self.password_prompt.is_some()
    }

    /// Writes the recovery file this long after the last change (tests use zero).
    pub fn set_autosave_delay(&mut self, delay: std::time::Duration) {
        self.autosave.set_delay(delay);
    }

    /// Waits until a recovery file being written in the background is written.
    pub fn wait_for_autosave(&mut self) {
        if let Some(error) = self.autosave.wait() {
            self.toasts.error(error);
        }
    }

    /// Queues an action as if the UI had emitted it.
    pub fn push_action(&mut self, action: Action) {
        self.actions.push(action);
    }

    fn is_enabled(&self, command: Command) -> bool {
        match command {
            Command::Undo => self.workspace.can_undo(),
            Command::Redo => self.workspace.can_redo(),
            Command::DeleteAnnotation => self.selected.is_some(),
            Command::NextAnnotation | Command::PreviousAnnotation => self
                .current
                .is_some_and(|d| self.workspace.project().annotation_count_of(d) > 0),
            Command::ClearSelection => {
                self.selected.is_some()
                    || self.view.selection().is_some()
                    || !self.open_windows().is_empty()
            }
            Command::SaveProject => self.workspace.is_dirty() || self.workspace.path().is_none(),
            Command::TogglePageView => {
                self.page_view.is_some()
                    || self.current.is_some_and(|id| {
                        self.workspace
                            .project()
                            .document(id)
                            .is_some_and(|d| d.format == crate::model::SourceFormat::Pdf)
                            && matches!(
                                self.workspace.document_state(id),
                                Some(DocumentState::Loaded(_))
                            )
                    })
            }
            Command::RemoveDocument | Command::DocumentDetails => self.current.is_some(),
            Command::CloseProject => {
                self.workspace.path().is_some() || !self.workspace.project().documents().is_empty()
            }
            Command::LocateDocument => self.current.is_some_and(|id| {
                matches!(
                    self.workspace.document_state(id),
                    Some(DocumentState::Unavailable(_))
                )
            }),
            _ => true,
        }
    }

    fn modal_open(&self) -> bool {
        // The project shown while another opens is behind that modal too.
        self.background.opening_project()
            || self.unsaved_prompt.is_some()
            || self.safety_prompt.is_some()
            || self.password_prompt.is_some()
            || self.dialogs.is_prompting()
            || self.export_dialog.is_some()
            || self.import_dialog.is_some()
    }

    /// Keyboard shortcuts of commands and label keys.
    fn handle_keys(&mut self, ctx: &egui::Context) {
        // Behind the export or import dialog, Save and Quit still work (the dialog is about
        // files the project already has); behind any other modal, no key reaches the app.
        let only_a_dialog = (self.export_dialog.is_some() || self.import_dialog.is_some())
            && !self.background.opening_project()
            && self.unsaved_prompt.is_none()
            && self.safety_prompt.is_none()
            && self.password_prompt.is_none()
            && !self.dialogs.is_prompting();
        if self.modal_open() && !only_a_dialog {
            return;
        }
        let typing = ctx.text_edit_focused();
        let mut run = Vec::new();
        ctx.input_mut(|input| {
            for (command, shortcut) in Command::by_shortcut_specificity() {
                if command.handled_by_view()
                    || (only_a_dialog && !matches!(command, Command::SaveProject | Command::Quit))
                {
                    continue;
                }
                if (!typing || command.works_while_typing()) && input.consume_shortcut(&shortcut) {
                    run.push(Action::Run(command));
                }
            }
            if typing || only_a_dialog {
                return;
            }
            for label in &self.workspace.project().schema.labels {
                let key = label.key.and_then(|c| Key::from_name(&c.to_string()));
                if let Some(key) = key
                    && input.consume_key(Modifiers::NONE, key)
                {
                    run.push(Action::ApplyLabel(label.id.clone()));
                }
            }
        });
        self.actions.extend(run);
    }

    fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if !dropped.is_empty() {
            self.actions.push(Action::OpenPaths(dropped));
        }
    }

    fn handle_close_request(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested()) && !self.close_allowed {
            ctx.send_viewport_cmd(ViewportCommand::CancelClose);
            self.request_close(ctx);
        }
    }

    /// Closes the window, after asking Save / Discard / Cancel if there are unsaved changes.
    fn request_close(&mut self, ctx: &egui::Context) {
        self.unless_unsaved(AfterSave::Close, ctx);
    }

    fn unsaved_prompt_ui(&mut self, ctx: &egui::Context) {
        let Some(after) = self.unsaved_prompt.clone() else {
            return;
        };
        let doing = match &after {
            AfterSave::Close => "closing",
            AfterSave::OpenProject(_) => "opening another project",
            AfterSave::NewProject => "starting a new project",
            AfterSave::CloseProject => "closing the project",
        };
        let name = self.workspace.display_name();
        match dialogs::unsaved_changes_ui(ctx, &name, doing) {
            None => {}
            Some(UnsavedChoice::Cancel) => self.unsaved_prompt = None,
            Some(UnsavedChoice::Discard) => {
                self.unsaved_prompt = None;
                self.workspace.discard_recovery();
                self.finish(after, ctx);
            }
            Some(UnsavedChoice::Save) => {
                self.unsaved_prompt = None;
                if self.workspace.path().is_none() {
                    self.after_save_as = Some(after);
                    self.dialogs.ask(Purpose::SaveAs, ctx, None);
                } else {
                    self.save_in_background(Some(after), ctx);
                }
            }
        }
    }

    /// The floating windows open now, by title, the one opened last first.
    pub fn open_windows(&self) -> Vec<&'static str> {
        let open = self.windows_open_now();
        let mut ordered: Vec<&'static str> = self
            .window_order
            .iter()
            .rev()
            .copied()
            .filter(|title| open.contains(title))
            .collect();
        ordered.extend(
            open.into_iter()
                .filter(|title| !self.window_order.contains(title)),
        );
        ordered
    }

    /// Notes the windows opened since last frame (on top) and forgets the closed ones.
    fn sync_window_order(&mut self) {
        let open = self.windows_open_now();
        self.window_order.retain(|title| open.contains(title));
        for title in open {
            if !self.window_order.contains(&title) {
                self.window_order.push(title);
            }
        }
    }

    fn windows_open_now(&self) -> Vec<&'static str> {
        [
            (self.palette.is_some(), "Command palette"),
            (self.find_panel.is_some(), "Find and tag all"),
            (self.show_shortcuts, "Keyboard shortcuts"),
            (self.suggestions_window.is_some(), "Suggestions"),
            (self.tables_window.is_some(), "Claims and quotes"),
            (self.entities_window.is_some(), "Entities"),
            (self.schema_window.is_some(), "Schema"),
            (self.team_window.is_some(), "Team"),
            (self.details_window.is_some(), "Document details"),
            (self.memo_window.is_some(), "Project memo"),
            (self.agreement_window.is_some(), "Agreement"),
            (self.curation_window.is_some(), "Curation"),
            (self.sync_window.is_some(), "Sync"),
        ]
        .into_iter()
        .filter_map(|(open, title)| open.then_some(title))
        .collect()
    }

    /// Where the open floating windows are on screen (as last drawn).
    pub fn floating_window_rects(&self, ctx: &egui::Context) -> Vec<egui::Rect> {
        ctx.memory(|m| {
            self.open_windows()
                .into_iter()
                .filter_map(|title| {
                    // egui names a window's area after its title's text, as `Some(text)`.
                    m.area_rect(egui::Id::unique(Some(std::borrow::Cow::Borrowed(title))))
                })
                .collect()
        })
    }

    /// Closes the window on top (the one opened last); false if none is open.
    fn close_topmost_window(&mut self) -> bool {
        match self.open_windows().first().copied() {
            Some("Command palette") => self.palette = None,
            Some("Find and tag all") => self.find_panel = None,
            Some("Keyboard shortcuts") => self.show_shortcuts = false,
            Some("Suggestions") => self.suggestions_window = None,
            Some("Claims and quotes") => self.tables_window = None,
            Some("Entities") => self.entities_window = None,
            Some("Schema") => self.schema_window = None,
            Some("Team") => self.team_window = None,
            Some("Document details") => self.details_window = None,
            Some("Project memo") => self.memo_window = None,
            Some("Agreement") => self.agreement_window = None,
            Some("Curation") => self.curation_window = None,
            Some("Sync") => self.sync_window = None,
            _ => return false,
        }
        true
    }

    fn shortcuts_window_ui(&mut self, ctx: &egui::Context) {
        let mut open = self.show_shortcuts;
        egui::Window::new("Keyboard shortcuts")
            .open(&mut open)
            .collapsible(false)
            .show(ctx, |ui| {
                egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                    for &command in Command::ALL {
                        ui.label(command.menu_text());
                        let keys: Vec<String> = command
                            .shortcuts()
                            .iter()
                            .map(|s| ctx.format_shortcut(s))
                            .collect();
                        ui.label(keys.join(", "));
                        ui.end_row();
                    }
                    for label in &self.workspace.project().schema.labels {
                        if let Some(key) = label.key {
                            ui.label(format!("Tag as {}", label.name));
                            ui.label(key.to_string());
                            ui.end_row();
                        }
                    }
                    ui.label("Select whole words / exact characters");
                    ui.label("Drag / Alt+drag");
                    ui.end_row();
                    ui.label("Select the next layer under the pointer");
                    ui.label("Click again");
                    ui.end_row();
                });
            });
        self.show_shortcuts = open;
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let mark = if self.workspace.is_dirty() {
            "● "
        } else {
            ""
        };
        let title = format!("{mark}{} — Marginalia", self.workspace.display_name());
        if title != self.shown_title {
            ctx.send_viewport_cmd(ViewportCommand::Title(title.clone()));
            self.shown_title = title;
        }
    }

    /// The title the window should show.
    pub fn title(&self) -> &str {
        &self.shown_title
    }

    fn sync_note_buffer(&mut self, ctx: &egui::Context) {
        let note = self
            .selected
            .and_then(|id| self.workspace.project().annotation(id))
            .map(|a| a.note.clone())
            .unwrap_or_default();
        let buffer = &mut self.inspector.note;
        if buffer.0 != self.selected || (!ctx.text_edit_focused() && buffer.1 != note) {
            *buffer = (self.selected, note);
        }
    }

    fn panels_ui(&mut self, ui: &mut Ui) {
        let mut actions = Vec::new();
        egui::Panel::top("menu-bar").show(ui, |ui| {
            let is_enabled = |c| self.is_enabled(c);
            panels::menu_bar_ui(
                ui,
                &self.workspace,
                &self.hidden_layers,
                &is_enabled,
                &mut actions,
            );
        });
        egui::Panel::top("label-bar").show(ui, |ui| {
            let has_target = self.view.selection().is_some() || self.selected.is_some();
            panels::label_bar_ui(
                ui,
                &self.workspace.project().schema,
                has_target,
                &mut actions,
            );
        });
        egui::Panel::bottom("status-bar").show(ui, |ui| {
            let busy = self
                .background
                .status()
                .or_else(|| self.tagging_status())
                .or_else(|| self.sources_status())
                .or_else(|| self.replay_status())
                .or_else(|| {
                    self.dialogs.is_waiting().then(|| panels::BusyStatus {
                        what: "Waiting for the file dialog…".to_owned(),
                        fraction: None,
                        can_cancel: false,
                    })
                });
            let sync = self.sync_status();
            panels::status_bar_ui(
                ui,
                &self.workspace,
                self.current,
                (busy.as_ref(), sync.as_deref()),
                &mut actions,
            );
        });
        egui::Panel::left("documents")
            .resizable(true)
            .default_size(280.0)
            .show(ui, |ui| {
                panels::documents_panel_ui(
                    ui,
                    &self.workspace,
                    self.current,
                    self.selected,
                    &mut self.annotation_list,
                    self.view.selection(),
                    &mut actions,
                );
            });
        egui::Panel::right("inspector")
            .resizable(true)
            .default_size(300.0)
            .show(ui, |ui| {
                self.inspector.ui(
                    ui,
                    &self.workspace,
                    self.selected,
                    &mut self.claim_clusters,
                    &mut actions,
                );
            });
        if let Some(overview) = &mut self.overview {
            overview.place(ui.available_width());
            let panel = if overview.at_bottom {
                egui::Panel::bottom("overview")
                    .default_size(380.0)
                    .min_size(160.0)
            } else {
                egui::Panel::right("overview")
                    .default_size(520.0)
                    .min_size(260.0)
            };
            panel
                .resizable(true)
                .show(ui, |ui| overview.ui(ui, &self.workspace, &mut actions));
        }
        egui::CentralPanel::default().show(ui, |ui| self.central_ui(ui, &mut actions));
        self.actions.extend(actions);
    }

    /// The pages of document `id` if the page view is on for it; false if it is not.
    fn page_view_ui(&mut self, ui: &mut Ui, id: DocumentId, actions: &mut Vec<Action>) -> bool {
        let Some(pages) = self.page_view.as_mut().filter(|p| p.document == id) else {
            return false;
        };
        if let Some(span) = pages.ui(
            ui,
            &self.workspace,
            self.selected,
            self.view.selection(),
            actions,
        ) {
            self.view.select(span);
        }
        true
    }

    /// The shown document (or why it cannot be shown, or how to open one).
    fn central_ui(&mut self, ui: &mut Ui, actions: &mut Vec<Action>) {
        match self.current {
            Some(id) => match self.workspace.document_state(id) {
                Some(DocumentState::Loaded(_)) => {
                    let outlines = self
                        .suggestions_window
                        .as_ref()
                        .map(super::suggestions_window::SuggestionsWindow::outlines)
                        .unwrap_or_default();
                    self.view.set_suggestions(outlines);
                    self.view.set_hidden(&self.hidden_layers);
                    let covered = self.floating_window_rects(ui.ctx());
                    if self.page_view_ui(ui, id, actions) {
                        return;
                    }
                    match &mut self.compare {
                        None => {
                            self.view
                                .ui(ui, &self.workspace, id, self.selected, &covered, actions);
                        }
                        Some(Compare {
                            analyst,
                            view: other,
                            place,
                        }) => {
                            // Everyone else's layers hidden on the right.
                            let only = panels::HiddenLayers {
                                labels: std::collections::BTreeSet::new(),
                                analysts: self
                                    .workspace
                                    .project()
                                    .analysts()
                                    .filter(|a| *a != analyst.as_str())
                                    .map(str::to_owned)
                                    .collect(),
                            };
                            other.set_hidden(&only);
                            let (view, workspace, selected) =
                                (&mut self.view, &self.workspace, self.selected);
                            ui.columns(2, |columns| {
                                columns[0].strong("The layers chosen in View > Layers");
                                view.ui(
                                    &mut columns[0],
                                    workspace,
                                    id,
                                    selected,
                                    &covered,
                                    actions,
                                );
                                columns[1].push_id("compared", |ui| {
                                    ui.strong(panels::layer_name(analyst));
                                    other.ui(ui, workspace, id, selected, &covered, actions);
                                });
                            });
                            if follow(view, other, id, place) {
                                ui.ctx().request_repaint();
                            }
                        }
                    }
                }
                Some(DocumentState::NotRead) => self.reading_ui(ui, id),
                Some(DocumentState::Unavailable(reason)) => {
                    let reason = reason.clone();
                    self.unavailable_ui(ui, id, &reason, actions);
                }
                None => {}
            },
            None => {
                ui.vertical_centered(|ui| {
                    ui.add_space(ui.available_height() / 3.0);
                    ui.heading("No document open");
                    ui.label("Open an article with File > Open document… (Ctrl+O), or drop files on this window.");
                    if ui.button("Open document…").clicked() {
                        actions.push(Action::Run(Command::OpenDocument));
                    }
                });
            }
        }
    }

    /// Why the document shown cannot be shown, with what can be done about it.
    fn unavailable_ui(
        &mut self,
        ui: &mut Ui,
        id: DocumentId,
        reason: &str,
        actions: &mut Vec<Action>,
    ) {
        ui.heading("This document cannot be shown");
        ui.label(reason);
        ui.label("Its annotations are kept in the project.");
        if reason.contains("needs a password")
            && ui
                .button("Enter password…")
                .on_hover_text("Open the encrypted PDF with its password (not saved)")
                .clicked()
        {
            let location = self
                .workspace
                .project()
                .document(id)
                .map(|d| self.workspace.document_location(d))
                .unwrap_or_default();
            self.password_prompt = Some(super::password_prompt::PasswordPrompt::new(
                super::password_prompt::Locked::Document(id, location),
                false,
            ));
        }
        if ui
            .button("Locate…")
            .on_hover_text("Point the project at the file's new place; annotations are re-anchored if its text changed")
            .clicked()
        {
            actions.push(Action::Run(Command::LocateDocument));
        }
    }
}

impl eframe::App for MarginaliaApp {
    /// Keeps the theme, zoom and open windows for the next start (eframe calls this now and
    /// then and when the window closes).
    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, preferences::PREFERENCES_KEY, &self.preferences());
    }

    /// Work that goes on whether or not the window is shown (eframe calls only this while
    /// it is minimised or hidden): a close from the taskbar stopped for the unsaved-changes
    /// prompt, answers of native dialogs, finished saves, exports and reads taken in, a big
    /// change going in a part at a time, queued work started, and the autosave.
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        // Before any text of the first frame is laid out, so it applies at once.
        super::theme::install_fonts(ctx);
        super::theme::install_visuals(ctx);
        self.keep_look(ctx);
        self.handle_close_request(ctx);
        self.dialogs.poll(&mut self.actions);
        self.poll_background(ctx);
        self.poll_sources(ctx);
        self.poll_sync(ctx);
        if std::mem::take(&mut self.drawn) == Drawn::No {
            // Hidden: `ui` (which goes on at the end of a drawn frame) did not run.
            self.continue_tagging(ctx);
            self.continue_replay(ctx);
        }
        self.apply_actions(ctx);
        self.keep_work_safe(ctx);
        self.update_title(ctx);
    }

    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.handle_dropped_files(&ctx);
        self.handle_keys(&ctx);
        self.sync_note_buffer(&ctx);
        self.panels_ui(ui);
        self.opening_modal_ui(&ctx);
        self.dialogs.prompt_ui(&ctx, &mut self.actions);
        self.unsaved_prompt_ui(&ctx);
        self.remove_document_prompt_ui(&ctx);
        self.safety_prompt_ui(&ctx);
        self.password_prompt_ui(&ctx);
        self.shortcuts_window_ui(&ctx);
        if let Some(window) = &mut self.team_window
            && !window.ui(&ctx, &self.workspace, self.current, &mut self.actions)
        {
            self.team_window = None;
        }
        if let Some(window) = &mut self.details_window
            && !window.ui(&ctx, &self.workspace, &mut self.actions)
        {
            self.details_window = None;
        }
        if let Some(window) = &mut self.memo_window
            && !window.ui(&ctx, &self.workspace, &mut self.actions)
        {
            self.memo_window = None;
        }
        if let Some(window) = &mut self.agreement_window
            && !window.ui(&ctx, &self.workspace, self.current)
        {
            self.agreement_window = None;
        }
        let syncing = self.sync_run.is_some();
        if let Some(window) = &mut self.sync_window
            && !window.ui(&ctx, &self.workspace, syncing, &mut self.actions)
        {
            self.sync_window = None;
        }
        if let Some(window) = &mut self.curation_window
            && !window.ui(&ctx, &self.workspace, self.current, &mut self.actions)
        {
            self.curation_window = None;
        }
        if let Some(dialog) = &mut self.import_dialog
            && !dialog.ui(&ctx, &mut self.actions)
        {
            self.import_dialog = None;
        }
        if let Some(panel) = &mut self.find_panel
            && !panel.ui(&ctx, &self.workspace, self.current, &mut self.actions)
        {
            self.find_panel = None;
        }
        if self.palette.is_some() {
            let enabled: Vec<bool> = Command::ALL.iter().map(|&c| self.is_enabled(c)).collect();
            if let Some(palette) = &mut self.palette {
                let schema = &self.workspace.project().schema;
                if !palette.ui(&ctx, schema, &enabled, &mut self.actions) {
                    self.palette = None;
                }
            }
        }
        if let Some(window) = &mut self.schema_window
            && !window.ui(&ctx, &self.workspace, &mut self.actions)
        {
            self.schema_window = None;
        }
        if let Some(window) = &mut self.tables_window
            && !window.ui(
                &ctx,
                &self.workspace,
                &mut self.claim_clusters,
                &mut self.actions,
            )
        {
            self.tables_window = None;
        }
        if let Some(window) = &mut self.suggestions_window
            && !window.ui(&ctx, &self.workspace, self.current, &mut self.actions)
        {
            self.suggestions_window = None;
        }
        if let Some(window) = &mut self.entities_window
            && !window.ui(&ctx, self.workspace.project(), &mut self.actions)
        {
            self.entities_window = None;
        }
        if let Some(dialog) = &mut self.export_dialog {
            let name = self.workspace.display_name();
            if !dialog.ui(&ctx, &name, &mut self.actions) {
                self.export_dialog = None;
            }
        }
        self.toasts.ui(&ctx);
        self.sync_window_order();
        // A big change goes on after the frame is drawn (all of it first when the analyst
        // acted), then what the analyst asked for, at once.
        self.continue_tagging(&ctx);
        self.continue_replay(&ctx);
        self.apply_actions(&ctx);
        self.drawn = Drawn::Yes;
    }
}

/// Whether `App::ui` ran since the last `App::logic` (eframe skips it while the window is
/// minimised or hidden, and `logic` then carries on the work `ui` does at a frame's end).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Drawn {
    #[default]
    No,
    Yes,
}

/// Options for the native window.
pub fn native_options() -> eframe::NativeOptions {
    eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Marginalia")
            .with_app_id("marginalia")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([640.0, 400.0])
            .with_drag_and_drop(true),
        ..Default::default()
    }
}

/// The second column of side by side: an analyst's layer, its view, and the place both
/// columns were last brought to.
struct Compare {
    analyst: String,
    view: DocumentView,
    place: Option<(usize, f32)>,
}

impl Compare {
    fn new(analyst: String) -> Self {
        Self {
            analyst,
            view: DocumentView::default(),
            place: None,
        }
    }
}

/// Keeps the two columns of side by side at the same place: the one the analyst scrolled
/// since `place` leads, the other follows on the next frame. True if one must follow.
fn follow(
    left: &mut DocumentView,
    right: &mut DocumentView,
    id: DocumentId,
    place: &mut Option<(usize, f32)>,
) -> bool {
    let moved = |now: Option<(usize, f32)>| {
        now.filter(|n| place.is_none_or(|p| p.0 != n.0 || (p.1 - n.1).abs() > 1.0))
    };
    if let Some(now) = moved(left.place_at_top(id)) {
        right.show_place_at_top(now);
        *place = Some(now);
        true
    } else if let Some(now) = moved(right.place_at_top(id)) {
        left.show_place_at_top(now);
        *place = Some(now);
        true
    } else {
        false
    }
}
