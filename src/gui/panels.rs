//! The panels around the document: menu bar, label bar, documents and annotations list,
//! inspector, status bar. Each draws state and pushes [`Action`]s; none changes the project.

use eframe::egui::{self, Button, Color32, RichText, Ui};

use super::command::{Action, Command, Menu};
use super::theme;
use crate::model::{AnnotationId, DocumentId, LabelId, Schema, Span};
use crate::workspace::{DocumentState, Workspace};

/// The menu bar, generated from [`Command::ALL`] plus one item per label.
pub fn menu_bar_ui(
    ui: &mut Ui,
    workspace: &Workspace,
    hidden: &HiddenLayers,
    is_enabled: &dyn Fn(Command) -> bool,
    actions: &mut Vec<Action>,
) {
    let schema = &workspace.project().schema;
    egui::MenuBar::new().ui(ui, |ui| {
        for (menu, title) in [
            (Menu::File, "File"),
            (Menu::Edit, "Edit"),
            (Menu::View, "View"),
        ] {
            ui.menu_button(title, |ui| {
                for &command in Command::ALL.iter().filter(|c| c.menu() == menu) {
                    command_button_ui(ui, command, is_enabled(command), actions);
                    if command == Command::OpenPath {
                        recent_menu_ui(ui, actions);
                    }
                }
                if menu == Menu::View {
                    layers_menu_ui(
                        ui,
                        workspace.project(),
                        workspace.analyst(),
                        hidden,
                        actions,
                    );
                }
            });
        }
        ui.menu_button("Annotate", |ui| {
            let enabled =
                is_enabled(Command::DeleteAnnotation) || is_enabled(Command::ClearSelection);
            for label in &schema.labels {
                let mut button = Button::new(format!("Tag as {}", label.name));
                if let Some(key) = label.key {
                    button = button.shortcut_text(key.to_string());
                }
                if ui
                    .add_enabled(enabled, button)
                    .on_hover_text(
                        "Tag the selected text with this label, or relabel the selected annotation",
                    )
                    .clicked()
                {
                    actions.push(Action::ApplyLabel(label.id.clone()));
                }
            }
        });
        ui.menu_button("Help", |ui| {
            for &command in Command::ALL.iter().filter(|c| c.menu() == Menu::Help) {
                command_button_ui(ui, command, is_enabled(command), actions);
            }
        });
    });
}

fn command_button_ui(ui: &mut Ui, command: Command, enabled: bool, actions: &mut Vec<Action>) {
    let mut button = Button::new(command.menu_text());
    if let Some(shortcut) = command.shortcuts().first() {
        button = button.shortcut_text(ui.ctx().format_shortcut(shortcut));
    }
    if ui
        .add_enabled(enabled, button)
        .on_hover_text(command.tooltip())
        .clicked()
    {
        actions.push(Action::Run(command));
    }
}

/// One coloured button per label, with its key: "3 Person".
pub fn label_bar_ui(ui: &mut Ui, schema: &Schema, has_target: bool, actions: &mut Vec<Action>) {
    ui.horizontal_wrapped(|ui| {
        ui.label("Tag:");
        for label in &schema.labels {
            let color = theme::label_color(label.color);
            let text = match label.key {
                Some(key) => format!("{key} {}", label.name),
                None => label.name.clone(),
            };
            let button = Button::new(RichText::new(text).color(theme::text_on(color))).fill(color);
            let response = ui
                .add_enabled(has_target, button)
                .on_hover_text(format!("Tag the selection as {}", label.name))
                .on_disabled_hover_text("Select text in the document first (drag with the mouse)");
            if response.clicked() {
                actions.push(Action::ApplyLabel(label.id.clone()));
            }
        }
    });
}

/// The annotation list's filter, and its rows, recomputed only when the document, the
/// annotations or the filter change (never per frame: a project may hold 100,000).
#[derive(Default)]
pub struct AnnotationList {
    pub filter: Option<LabelId>,
    /// Only this analyst's annotations (their author), if any.
    pub analyst: Option<String>,
    /// Words the rows must hold (in their text or note), case ignored.
    pub search: String,
    pub sort: ListSort,
    key: Option<ListKey>,
    ids: Vec<AnnotationId>,
    /// When the list was last rebuilt.
    built: Option<std::time::Instant>,
    /// An annotation jumped to: its row is scrolled into view next time the list is drawn.
    reveal: Option<AnnotationId>,
}

/// What the annotation list was built for: document, revision, filters (label, analyst),
/// search, order.
type ListKey = (
    DocumentId,
    u64,
    (Option<LabelId>, Option<String>),
    String,
    ListSort,
);

/// The order of the annotation list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ListSort {
    /// As in the text.
    #[default]
    Position,
    /// By label name, then as in the text.
    Label,
    /// Newest first.
    Time,
    /// By analyst, then as in the text.
    Analyst,
}

impl ListSort {
    const ALL: [Self; 4] = [Self::Position, Self::Label, Self::Time, Self::Analyst];

    fn name(self) -> &'static str {
        match self {
            Self::Position => "Position",
            Self::Label => "Label",
            Self::Time => "Newest first",
            Self::Analyst => "Analyst",
        }
    }
}

impl AnnotationList {
    /// Scrolls the list to `id`'s row when it is next drawn.
    pub fn reveal(&mut self, id: AnnotationId) {
        self.reveal = Some(id);
    }
}

/// Lists longer than this are rebuilt at most every [`REBUILD_EVERY`] while edits come in
/// (a rebuild walks every annotation of the document); in between, annotations removed are
/// skipped when drawn and new ones appear at the next rebuild.
const LONG_LIST: usize = 20_000;
const REBUILD_EVERY: std::time::Duration = std::time::Duration::from_millis(250);

impl AnnotationList {
    /// The ids to list for `document`, in text order.
    fn ids(&mut self, ui: &Ui, workspace: &Workspace, document: DocumentId) -> &[AnnotationId] {
        let key = (
            document,
            workspace.revision(),
            (self.filter.clone(), self.analyst.clone()),
            self.search.trim().to_lowercase(),
            self.sort,
        );
        let stale = self.key.as_ref() != Some(&key);
        let same_list = self.key.as_ref().is_some_and(|(d, _, f, q, o)| {
            *d == document && *f == key.2 && *q == key.3 && *o == self.sort
        });
        let recent = self.built.is_some_and(|t| t.elapsed() < REBUILD_EVERY);
        if stale && same_list && recent && self.ids.len() > LONG_LIST {
            ui.ctx().request_repaint_after(REBUILD_EVERY);
            return &self.ids;
        }
        if stale {
            let project = workspace.project();
            let query = &key.3;
            let wanted = |a: &crate::model::Annotation| {
                self.filter.as_ref().is_none_or(|f| &a.label == f)
                    && self.analyst.as_ref().is_none_or(|n| &a.author == n)
                    && (query.is_empty()
                        || a.marked_text().to_lowercase().contains(query.as_str())
                        || a.note.to_lowercase().contains(query.as_str()))
            };
            let mut rows: Vec<&crate::model::Annotation> =
                if self.filter.is_none() && self.analyst.is_none() && query.is_empty() {
                    project
                        .spans_of(document)
                        .filter_map(|(_, id)| project.annotation(id))
                        .collect()
                } else {
                    project
                        .annotations_of_iter(document)
                        .filter(|a| wanted(a))
                        .collect()
                };
            match self.sort {
                ListSort::Position => {}
                ListSort::Label => rows.sort_by_cached_key(|a| {
                    let name = project
                        .schema
                        .label(&a.label)
                        .map_or_else(|| a.label.0.to_string(), |l| l.name.clone());
                    (name, a.span.start())
                }),
                ListSort::Time => rows.sort_by_key(|a| std::cmp::Reverse(a.created)),
                ListSort::Analyst => rows
                    .sort_by(|a, b| (&a.author, a.span.start()).cmp(&(&b.author, b.span.start()))),
            }
            self.ids = rows.into_iter().map(|a| a.id).collect();
            self.key = Some(key);
            self.built = Some(std::time::Instant::now());
        }
        &self.ids
    }
}

/// The project's documents, then the current document's annotations.
pub fn documents_panel_ui(
    ui: &mut Ui,
    workspace: &Workspace,
    current: Option<DocumentId>,
    selected: Option<AnnotationId>,
    list: &mut AnnotationList,
    text_selection: Option<Span>,
    actions: &mut Vec<Action>,
) {
    let project = workspace.project();
    ui.heading("Documents");
    if project.documents().is_empty() {
        ui.weak("No documents yet. Open one with File > Open document… (Ctrl+O), or drop files on the window.");
    }
    let row_height =
        ui.spacing().interact_size.y.max(
            ui.text_style_height(&egui::TextStyle::Button) + 2.0 * ui.spacing().button_padding.y,
        );
    egui::ScrollArea::vertical()
        .id_salt("documents")
        .max_height(ui.available_height() * 0.35)
        .show_rows(ui, row_height, project.documents().len(), |ui, rows| {
            // Only the rows in view are drawn: a project of thousands of articles.
            for document in &project.documents()[rows] {
                let count = project.annotation_count_of(document.id);
                let unavailable = matches!(
                    workspace.document_state(document.id),
                    Some(DocumentState::Unavailable(_)) | None
                );
                // Words, not symbols: the default fonts have no check marks, and colour
                // alone would not do.
                let status = match document.status {
                    crate::model::DocumentStatus::ToDo => String::new(),
                    other => format!(" – {}", other.name()),
                };
                let assigned = if document.assigned.is_empty() {
                    String::new()
                } else {
                    format!(" – {}", document.assigned.join(", "))
                };
                let mut text = RichText::new(format!(
                    "{} ({count}){status}{assigned}",
                    theme::ellipsize(document.display_name(), 40)
                ));
                if unavailable {
                    text = text.color(ui.visuals().warn_fg_color);
                }
                let response = ui.selectable_label(current == Some(document.id), text);
                let response = match workspace.document_state(document.id) {
                    Some(DocumentState::Unavailable(reason)) => response.on_hover_text(reason),
                    Some(DocumentState::NotRead) => response.on_hover_text(format!(
                        "{} ({}; its text is being read)",
                        document.path,
                        document.status.name()
                    )),
                    _ => response.on_hover_text(format!(
                        "{} ({})",
                        document.path,
                        document.status.name()
                    )),
                };
                if response.clicked() {
                    actions.push(Action::ShowDocument(document.id));
                }
                response.context_menu(|ui| {
                    for (text, command) in [
                        ("Details…", Command::DocumentDetails),
                        ("Remove from the project…", Command::RemoveDocument),
                    ] {
                        if ui.button(text).on_hover_text(command.tooltip()).clicked() {
                            actions.push(Action::ShowDocument(document.id));
                            actions.push(Action::Run(command));
                            ui.close();
                        }
                    }
                });
            }
        });
    ui.separator();
    if let Some(current) = current {
        review_list_ui(ui, workspace, current, text_selection, actions);
    }
    annotation_list_ui(ui, workspace, current, selected, list, actions);
}

/// The shown document's annotations: filter, sort, search, a row each (where it is, its
/// label and words), a click to jump.
fn annotation_list_ui(
    ui: &mut Ui,
    workspace: &Workspace,
    current: Option<DocumentId>,
    selected: Option<AnnotationId>,
    list: &mut AnnotationList,
    actions: &mut Vec<Action>,
) {
    let project = workspace.project();
    ui.heading("Annotations");
    let Some(current) = current else {
        return;
    };
    let schema = &project.schema;
    let filter = &mut list.filter;
    let filter_name = filter
        .as_ref()
        .and_then(|id| schema.label(id))
        .map_or("All labels", |l| l.name.as_str());
    egui::ComboBox::from_label("Filter by label")
        .selected_text(filter_name)
        .show_ui(ui, |ui| {
            ui.selectable_value(filter, None, "All labels");
            for label in &schema.labels {
                ui.selectable_value(filter, Some(label.id.clone()), &label.name);
            }
        });
    if project.analysts().nth(1).is_some() || list.analyst.is_some() {
        let analyst = &mut list.analyst;
        egui::ComboBox::from_label("Filter by analyst")
            .selected_text(analyst.as_deref().unwrap_or("All analysts"))
            .show_ui(ui, |ui| {
                ui.selectable_value(analyst, None, "All analysts");
                for name in project.analysts() {
                    ui.selectable_value(analyst, Some(name.to_owned()), name);
                }
            });
    }
    let sort = &mut list.sort;
    egui::ComboBox::from_label("Sort")
        .selected_text(sort.name())
        .show_ui(ui, |ui| {
            for order in ListSort::ALL {
                ui.selectable_value(sort, order, order.name());
            }
        });
    theme::text_field_ui(
        ui,
        &mut list.search,
        "Search the annotations…",
        "Search annotations",
    );
    let reveal = list.reveal.take();
    let text = workspace.text(current);
    let ids = list.ids(ui, workspace, current);
    ui.weak(format!("{} shown", ids.len()));
    let row_height = ui.spacing().interact_size.y;
    let mut scroll = egui::ScrollArea::vertical()
        .id_salt("annotations")
        .auto_shrink([false, false]);
    if let Some(at) = reveal.and_then(|id| ids.iter().position(|&i| i == id)) {
        // Two rows above it stay in view, for context.
        let row = row_height + ui.spacing().item_spacing.y;
        #[expect(clippy::cast_precision_loss, reason = "a row index")]
        let offset = (at.saturating_sub(2) as f32) * row;
        scroll = scroll.vertical_scroll_offset(offset);
    }
    scroll.show_rows(ui, row_height, ids.len(), |ui, rows| {
        for annotation in ids[rows].iter().filter_map(|id| project.annotation(*id)) {
            let label = schema.label(&annotation.label);
            let color = label.map_or(Color32::GRAY, |l| theme::label_color(l.color));
            ui.horizontal(|ui| {
                theme::swatch_ui(ui, color);
                let name = label.map_or(annotation.label.as_str(), |l| l.name.as_str());
                // Where it is (paragraph), so that many rows of one name differ; the words
                // around it, its analyst and time on hover.
                let paragraph = text.map_or(0, |t| t.paragraph_at(annotation.span.start()) + 1);
                // A PDF's page first: the place an analyst cites.
                let page = project
                    .document(annotation.document)
                    .and_then(|d| d.page_at(annotation.span.start().0))
                    .map(|p| format!("p.{p} "))
                    .unwrap_or_default();
                let response = ui.selectable_label(
                    selected == Some(annotation.id),
                    format!(
                        "{page}¶{paragraph} {name}: {}",
                        theme::ellipsize(&annotation.marked_text(), 44)
                    ),
                );
                let (_, before, after) = annotation.words();
                let by = if annotation.author.is_empty() {
                    String::new()
                } else {
                    format!(
                        "\n{} · {}",
                        annotation.author,
                        annotation.created.strftime("%Y-%m-%d %H:%M")
                    )
                };
                let response = response.on_hover_text(format!(
                    "…{}[{}]{}…{by}",
                    theme::ellipsize(before, 40),
                    theme::ellipsize(&annotation.marked_text(), 80),
                    theme::ellipsize(after, 40)
                ));
                if response.clicked() {
                    actions.push(Action::JumpTo(annotation.id));
                }
            });
        }
    });
}

/// The annotations of the shown document that lost their place (its source changed, or the
/// project file held them in a state that could not be loaded): attach each to the text
/// selected, accept the suggested place, or discard it.
fn review_list_ui(
    ui: &mut Ui,
    workspace: &Workspace,
    document: DocumentId,
    text_selection: Option<Span>,
    actions: &mut Vec<Action>,
) {
    let orphans = workspace.orphans_of(document);
    if orphans.is_empty() {
        return;
    }
    let schema = &workspace.project().schema;
    let loaded = workspace.text(document).is_some();
    ui.heading(
        RichText::new(format!("Needs review ({})", orphans.len()))
            .color(ui.visuals().warn_fg_color),
    );
    ui.weak(
        "Their text changed or could not be found. Select the right text and attach, or discard.",
    );
    egui::ScrollArea::vertical()
        .id_salt("review")
        .max_height(ui.available_height() * 0.3)
        .show(ui, |ui| {
            for orphan in orphans {
                let a = &orphan.annotation;
                let name = schema
                    .label(&a.label)
                    .map_or(a.label.as_str(), |l| l.name.as_str());
                ui.label(format!(
                    "{name}: “{}”",
                    theme::ellipsize(&a.marked_text(), 48)
                ))
                .on_hover_text(&orphan.reason);
                ui.horizontal(|ui| {
                    let attach = ui
                        .add_enabled(
                            loaded && text_selection.is_some(),
                            Button::new("Attach to selection"),
                        )
                        .on_hover_text("Put it on the text selected in the document")
                        .on_disabled_hover_text("Select the right text in the document first");
                    if attach.clicked()
                        && let Some(span) = text_selection
                    {
                        actions.push(Action::AttachOrphan(a.id, span));
                    }
                    if let Some(span) = orphan.suggestion
                        && loaded
                        && ui
                            .button("Accept suggestion")
                            .on_hover_text(&orphan.reason)
                            .clicked()
                    {
                        actions.push(Action::AttachOrphan(a.id, span));
                    }
                    if ui
                        .button("Discard")
                        .on_hover_text("Delete it for good (undo with Ctrl+Z)")
                        .clicked()
                    {
                        actions.push(Action::DiscardOrphan(a.id));
                    }
                });
            }
        });
    ui.separator();
}

/// A progress bar labelled with the share done ("66%"), also for screen readers.
pub fn progress_bar(fraction: f32) -> egui::ProgressBar {
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a share from 0 to 1, shown in whole percents"
    )]
    let percent = (fraction.clamp(0.0, 1.0) * 100.0).floor() as u32;
    egui::ProgressBar::new(fraction).text(format!("{percent}%"))
}

/// Work running in the background, as the status bar shows it.
pub struct BusyStatus {
    /// What runs, with the time it has taken ("Saving big.ron… 2 s").
    pub what: String,
    /// How far it is, once known.
    pub fraction: Option<f32>,
    pub can_cancel: bool,
}

/// File > Recent projects: the last ten opened, newest first; one no longer there is
/// listed, greyed, with why.
fn recent_menu_ui(ui: &mut Ui, actions: &mut Vec<Action>) {
    let recent = crate::workspace::view_state::recent_projects();
    ui.add_enabled_ui(!recent.is_empty(), |ui| {
        ui.menu_button("Recent projects", |ui| {
            for path in recent {
                let name = path.file_stem().map_or_else(
                    || path.display().to_string(),
                    |s| s.to_string_lossy().into_owned(),
                );
                let there = path.is_file();
                let response = ui
                    .add_enabled(there, Button::new(name))
                    .on_hover_text(path.display().to_string())
                    .on_disabled_hover_text(format!("No longer there: {}", path.display()));
                if response.clicked() {
                    actions.push(Action::OpenPaths(vec![path]));
                    ui.close();
                }
            }
        });
    })
    .response
    .on_disabled_hover_text("No project opened yet");
}

/// An analyst's layer as the menus name it ("Ben's layer", "The curated layer").
pub fn layer_name(analyst: &str) -> String {
    if analyst == crate::model::curation::CURATED {
        "The curated layer".to_owned()
    } else {
        format!("{analyst}'s layer")
    }
}

/// The layers the text hides: labels and analysts.
#[derive(Clone, Debug, Default)]
pub struct HiddenLayers {
    pub labels: std::collections::BTreeSet<LabelId>,
    pub analysts: std::collections::BTreeSet<String>,
}

impl HiddenLayers {
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty() && self.analysts.is_empty()
    }

    /// True if `annotation` is in a hidden layer.
    pub fn hides(&self, annotation: &crate::model::Annotation) -> bool {
        self.labels.contains(&annotation.label) || self.analysts.contains(&annotation.author)
    }
}

/// View > Layers: which labels' and which analysts' layers the text shows (dense documents
/// get muddy; a coder double-coding a document hides the others' layers so as not to be
/// swayed by them).
fn layers_menu_ui(
    ui: &mut Ui,
    project: &crate::model::Project,
    me: &str,
    hidden: &HiddenLayers,
    actions: &mut Vec<Action>,
) {
    let schema = &project.schema;
    ui.menu_button("Layers in the text", |ui| {
        for label in &schema.labels {
            let mut shown = !hidden.labels.contains(&label.id);
            if ui
                .checkbox(&mut shown, format!("Show {}", label.name))
                .on_hover_text("Draw this label's annotations in the text (the lists keep them)")
                .changed()
            {
                actions.push(Action::ShowLayer(label.id.clone(), shown));
            }
        }
        let analysts: Vec<&str> = project.analysts().collect();
        if analysts.len() > 1 || !hidden.analysts.is_empty() {
            ui.separator();
            for &name in &analysts {
                let mut shown = !hidden.analysts.contains(name);
                let mine = if name == me { " (you)" } else { "" };
                let layer = layer_name(name);
                if ui
                    .checkbox(&mut shown, format!("Show {layer}{mine}"))
                    .on_hover_text("Draw this analyst's layer in the text")
                    .changed()
                {
                    actions.push(Action::ShowAnalyst(name.to_owned(), shown));
                }
            }
            if ui
                .button("Show only mine")
                .on_hover_text(
                    "Hide the other analysts' layers while you code (so as not to be swayed)",
                )
                .clicked()
            {
                for &name in &analysts {
                    actions.push(Action::ShowAnalyst(name.to_owned(), name == me));
                }
            }
            ui.menu_button("Side by side with…", |ui| {
                for &name in &analysts {
                    if ui
                        .button(layer_name(name))
                        .on_hover_text("This analyst's layer alone, in a column beside the text")
                        .clicked()
                    {
                        actions.push(Action::Compare(Some(name.to_owned())));
                    }
                }
                if ui.button("No second column").clicked() {
                    actions.push(Action::Compare(None));
                }
            });
        }
        ui.separator();
        if ui
            .add_enabled(!hidden.is_empty(), Button::new("Show all layers"))
            .clicked()
        {
            for label in &hidden.labels {
                actions.push(Action::ShowLayer(label.clone(), true));
            }
            for name in &hidden.analysts {
                actions.push(Action::ShowAnalyst(name.clone(), true));
            }
        }
    });
}

/// Document, encoding, size, annotations (on the left); background work with its progress
/// and save state (on the right, always in view, with Cancel where the work can stop).
pub fn status_bar_ui(
    ui: &mut Ui,
    workspace: &Workspace,
    current: Option<DocumentId>,
    (busy, sync): (Option<&BusyStatus>, Option<&str>),
    actions: &mut Vec<Action>,
) {
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
        if let Some(sync) = sync {
            ui.label(sync).on_hover_text(
                "Where the project stands against the team's repository (File > Sync…)",
            );
            ui.separator();
        }
        if let Some(busy) = busy {
            if busy.can_cancel && ui.small_button("Cancel").clicked() {
                actions.push(Action::CancelBackground);
            }
            match busy.fraction {
                Some(fraction) => {
                    ui.add(progress_bar(fraction).desired_width(120.0));
                }
                None => {
                    ui.spinner();
                }
            }
            ui.label(theme::ellipsize(&busy.what, 40));
            ui.separator();
        }
        if workspace.is_dirty() {
            ui.colored_label(ui.visuals().warn_fg_color, "Unsaved changes");
        } else {
            ui.label("Saved");
        }
        ui.separator();
        ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
            status_left_ui(ui, workspace, current, actions);
        });
    });
}

/// The shown document's name, format, encoding, status, size and annotation counts.
fn status_left_ui(
    ui: &mut Ui,
    workspace: &Workspace,
    current: Option<DocumentId>,
    actions: &mut Vec<Action>,
) {
    let project = workspace.project();
    // What does not fit beside the right-hand side (a job's progress takes room) is left
    // out, from the least needed, instead of being drawn over it.
    let fits = |ui: &Ui, text: &str| {
        let width = ui.fonts_mut(|f| {
            f.layout_no_wrap(
                text.to_owned(),
                egui::TextStyle::Body.resolve(ui.style()),
                egui::Color32::WHITE,
            )
            .size()
            .x
        });
        width + 3.0 * ui.spacing().item_spacing.x + 2.0 * ui.spacing().button_padding.x
            <= ui.available_width()
    };
    if let Some(document) = current.and_then(|id| project.document(id)) {
        let name = theme::ellipsize(document.display_name(), 60);
        let short = theme::ellipsize(document.display_name(), 24);
        if fits(ui, &name) {
            ui.label(name);
        } else {
            ui.label(short);
        }
        ui.separator();
        let encoding = format!("Encoding: {}", document.encoding);
        let status = format!("Status: {}", document.status.name());
        let characters = format!("{} characters", document.char_len);
        let counts = format!(
            "{} annotations here, {} in the project",
            project.annotation_count_of(document.id),
            project.annotation_count()
        );
        if !fits(
            ui,
            &format!("{} {encoding} {status}", document.format.name()),
        ) {
            return;
        }
        ui.label(document.format.name());
        // Text files have an encoding to choose; PDF, Word, OpenDocument and EPUB files say
        // theirs themselves. A PDF shows its pages instead.
        if matches!(
            document.format,
            crate::model::SourceFormat::PlainText
                | crate::model::SourceFormat::Markdown
                | crate::model::SourceFormat::Html
        ) {
            encoding_menu(ui, document, encoding, actions);
        } else if let Some(pages) = std::num::NonZeroUsize::new(document.pages.len()) {
            ui.separator();
            ui.label(format!("{pages} pages"));
        }
        ui.separator();
        ui.menu_button(status, |ui| {
            for status in crate::model::DocumentStatus::ALL {
                if ui
                    .selectable_label(document.status == status, status.name())
                    .clicked()
                {
                    actions.push(Action::SetStatus(document.id, status));
                    ui.close();
                }
            }
        })
        .response
        .on_hover_text("How far you have got with this document (shown in the document list)");
        for item in [characters, counts] {
            if !fits(ui, &item) {
                return;
            }
            ui.separator();
            ui.label(item);
        }
    } else {
        ui.label(format!("{} document(s)", project.documents().len()));
    }
}

/// The encoding of a text file, and the choice to read it again with another.
fn encoding_menu(
    ui: &mut Ui,
    document: &crate::model::Document,
    encoding: String,
    actions: &mut Vec<Action>,
) {
    ui.menu_button(encoding, |ui| {
        ui.weak("Read the file again as:");
        for &label in crate::ingest::COMMON_ENCODINGS {
            if ui
                .selectable_label(document.encoding.eq_ignore_ascii_case(label), label)
                .clicked()
            {
                actions.push(Action::SetEncoding(document.id, label.to_owned()));
                ui.close();
            }
        }
    })
    .response
    .on_hover_text(
        "The encoding the file was decoded with; choose another if the text looks garbled",
    );
}
