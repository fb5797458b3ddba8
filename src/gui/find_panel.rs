//! Edit > Find and tag all… (Ctrl+F): search the shown document or the whole project, list
//! the hits in context, jump to one, and tag every hit not yet tagged as one undo step.
//! Opened from an entity ("Find mentions"), it searches every name and alias of it and links
//! what it tags to that entity.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};

use eframe::egui::{self, Context, RichText};

use super::command::Action;
use super::theme;
use crate::model::{DocumentId, Entity, EntityId, LabelId, Progress};
use crate::workspace::{FindQuery, Found, Hit, MAX_HITS, Workspace};

/// What a search is for: query, scope, document shown, label, annotations' revision.
type SearchKey = (FindQuery, bool, Option<DocumentId>, Option<LabelId>, u64);

/// Texts up to this size are searched at once; larger ones on a worker, with progress and
/// Cancel, so that typing in the field never waits for a search through a book.
const SEARCH_AT_ONCE_BYTES: usize = 256 * 1024;

/// A search running on a worker.
struct Searching {
    key: SearchKey,
    progress: Arc<Progress>,
    done: Receiver<Option<Found>>,
}

impl Drop for Searching {
    fn drop(&mut self) {
        // A newer search replaces it (or the window closed): stop it.
        self.progress.cancel();
    }
}

/// The find window's state.
#[derive(Default)]
pub struct FindPanel {
    query: FindQuery,
    all_documents: bool,
    label: Option<LabelId>,
    /// The search the hits are for.
    key: Option<SearchKey>,
    searching: Option<Searching>,
    /// The analyst stopped the last search.
    cancelled: bool,
    hits: Vec<Hit>,
    untagged: usize,
    error: Option<String>,
    focus_field: bool,
    /// The entity whose mentions are sought: new annotations link to it.
    entity: Option<(EntityId, String)>,
    /// Documents whose texts are still being read (a project opened lazily): a search of
    /// all documents waits for them.
    waiting: usize,
}

impl FindPanel {
    /// A new search; its hits are tagged as `label` (the last entity label the analyst used)
    /// unless they choose another; with none, they must choose before tagging.
    pub fn new(label: Option<LabelId>) -> Self {
        Self {
            focus_field: true,
            label,
            ..Self::default()
        }
    }

    /// Every name and alias of `entity` as whole words, in all documents, to tag with its
    /// kind and link to it.
    pub fn for_entity(entity: &Entity) -> Self {
        let mut names: Vec<&str> = entity.names().filter(|n| !n.trim().is_empty()).collect();
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        let pattern = names
            .iter()
            .map(|n| regex::escape(n.trim()).replace(' ', r"\s+"))
            .collect::<Vec<_>>()
            .join("|");
        Self {
            query: FindQuery {
                text: pattern,
                regex: true,
                whole_word: true,
                match_case: false,
            },
            all_documents: true,
            label: Some(entity.kind.clone()),
            entity: Some((entity.id, entity.name.clone())),
            ..Self::default()
        }
    }

    /// Asks for the keyboard focus again (Ctrl+F while the window is open).
    pub fn focus(&mut self) {
        self.focus_field = true;
    }

    /// The hits shown.
    pub fn hits(&self) -> &[Hit] {
        &self.hits
    }

    /// True while a search runs on a worker.
    pub fn is_searching(&self) -> bool {
        self.searching.is_some()
    }

    /// Starts the search the window's fields ask for, unless its hits are shown or it is
    /// already running; takes a finished search's hits.
    fn refresh(&mut self, ctx: &Context, workspace: &Workspace, current: Option<DocumentId>) {
        let key = (
            self.query.clone(),
            self.all_documents,
            current,
            self.label.clone(),
            workspace.revision(),
        );
        self.waiting = if self.all_documents {
            workspace.unread()
        } else {
            0
        };
        if self.waiting > 0 {
            self.searching = None;
            return;
        }
        self.take_search(&key);
        if self.key.as_ref() == Some(&key) || self.searching.as_ref().is_some_and(|s| s.key == key)
        {
            return;
        }
        self.searching = None;
        self.cancelled = false;
        let scope = if self.all_documents { None } else { current };
        if scope.is_none() && !self.all_documents {
            self.show(key, Ok(Found::default()));
            return;
        }
        let job = match workspace.find_job(&self.query, scope, self.label.as_ref()) {
            Ok(job) => job,
            Err(e) => {
                self.show(key, Err(e.to_string()));
                return;
            }
        };
        if job.bytes() <= SEARCH_AT_ONCE_BYTES {
            let found = job.run(&Progress::new()).unwrap_or_default();
            self.show(key, Ok(found));
            return;
        }
        let progress = Arc::new(Progress::new());
        let shared = Arc::clone(&progress);
        let (send, done) = std::sync::mpsc::channel();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let _ = send.send(job.run(&shared));
            ctx.request_repaint();
        });
        self.searching = Some(Searching {
            key,
            progress,
            done,
        });
    }

    /// Takes the running search's hits if it finished (and is still the one wanted).
    fn take_search(&mut self, wanted: &SearchKey) {
        let Some(searching) = &self.searching else {
            return;
        };
        let found = match searching.done.try_recv() {
            Ok(found) => found,
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => None,
        };
        let Some(searching) = self.searching.take() else {
            return;
        };
        if searching.key != *wanted {
            return;
        }
        // Cancelled: no hits, until the analyst changes the search.
        self.cancelled = found.is_none();
        self.show(searching.key.clone(), Ok(found.unwrap_or_default()));
    }

    fn show(&mut self, key: SearchKey, found: Result<Found, String>) {
        (self.hits, self.untagged, self.error) = match found {
            Ok(found) => (found.hits, found.untagged, None),
            Err(e) => (Vec::new(), 0, Some(e)),
        };
        self.key = Some(key);
    }

    /// The window; false once closed.
    pub fn ui(
        &mut self,
        ctx: &Context,
        workspace: &Workspace,
        current: Option<DocumentId>,
        actions: &mut Vec<Action>,
    ) -> bool {
        let schema = &workspace.project().schema;
        // No default to the schema's first label (a claim): a click on Tag all would have
        // made every hit a claim.
        if self
            .label
            .as_ref()
            .is_some_and(|l| schema.label(l).is_none())
        {
            self.label = None;
        }
        let mut open = true;
        egui::Window::new("Find and tag all")
            .open(&mut open)
            .default_width(420.0)
            .default_pos([760.0, 90.0])
            .show(ctx, |ui| {
                let field =
                    theme::text_field_ui(ui, &mut self.query.text, "Text to find", "Find text");
                if std::mem::take(&mut self.focus_field) {
                    field.request_focus();
                }
                ui.horizontal(|ui| {
                    ui.checkbox(&mut self.query.match_case, "Match case");
                    ui.checkbox(&mut self.query.whole_word, "Whole word");
                    ui.checkbox(&mut self.query.regex, "Regular expression");
                });
                ui.horizontal(|ui| {
                    ui.radio_value(&mut self.all_documents, false, "This document");
                    ui.radio_value(&mut self.all_documents, true, "All documents");
                });
                ui.horizontal(|ui| {
                    let name = self
                        .label
                        .as_ref()
                        .and_then(|l| schema.label(l))
                        .map_or("Choose a label…", |l| l.name.as_str());
                    egui::ComboBox::from_label("Tag as")
                        .selected_text(name)
                        .show_ui(ui, |ui| {
                            for label in &schema.labels {
                                ui.selectable_value(
                                    &mut self.label,
                                    Some(label.id.clone()),
                                    &label.name,
                                );
                            }
                        });
                });
                self.refresh(ctx, workspace, current);
                self.results_ui(ui, workspace, actions);
            });
        open
    }

    /// Says that the search waits for texts still being read, if it does.
    fn waiting_ui(&self, ui: &mut egui::Ui) -> bool {
        if self.waiting == 0 {
            return false;
        }
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(format!(
                "Reading the documents' texts ({} left); the search runs once they are read.",
                self.waiting
            ));
        });
        true
    }

    fn results_ui(&mut self, ui: &mut egui::Ui, workspace: &Workspace, actions: &mut Vec<Action>) {
        if let Some((_, name)) = &self.entity {
            let mut unlink = false;
            ui.horizontal(|ui| {
                ui.label(format!("Tagged hits link to {name}"));
                unlink = ui
                    .small_button("Don't link")
                    .on_hover_text("Tag the hits without linking them to an entity")
                    .clicked();
            });
            if unlink {
                self.entity = None;
            }
        }
        if self.waiting_ui(ui) {
            return;
        }
        if let Some(error) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, error);
            return;
        }
        if let Some(searching) = &self.searching {
            // The progress bar moves while the worker searches.
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(100));
            ui.horizontal(|ui| {
                ui.label("Searching…");
                ui.add(
                    super::panels::progress_bar(searching.progress.fraction().unwrap_or(0.0))
                        .desired_width(160.0),
                );
                if ui.small_button("Stop").clicked() {
                    searching.progress.cancel();
                }
            });
            return;
        }
        if self.cancelled {
            ui.weak("Search stopped; change the search to run it again.");
        }
        let more = if self.hits.len() >= MAX_HITS {
            " (the first ones)"
        } else {
            ""
        };
        ui.label(format!(
            "{} hit(s){more}, {} not yet tagged so",
            self.hits.len(),
            self.untagged
        ));
        let tag = ui
            .add_enabled(
                self.untagged > 0 && self.label.is_some(),
                egui::Button::new(format!("Tag all ({})", self.untagged)),
            )
            .on_hover_text("Tag every hit not yet tagged with this label, as one undo step")
            .on_disabled_hover_text("Choose the label to tag the hits as (Tag as)");
        if tag.clicked()
            && let Some(label) = &self.label
        {
            let entity = self.entity.as_ref().map(|(id, _)| *id);
            actions.push(Action::TagAll(self.hits.clone(), label.clone(), entity));
        }
        ui.separator();
        let row_height = ui.spacing().interact_size.y;
        egui::ScrollArea::vertical()
            .id_salt("find-hits")
            .max_height(320.0)
            .show_rows(ui, row_height, self.hits.len(), |ui, rows| {
                for hit in &self.hits[rows] {
                    let Some(text) = workspace.text(hit.document) else {
                        continue;
                    };
                    let (before, after) = text.context(hit.span);
                    let exact = text.slice(hit.span).unwrap_or_default();
                    // Over all documents, each hit names its document.
                    let document = if self.all_documents {
                        workspace
                            .project()
                            .document(hit.document)
                            .map(|d| format!("{}: ", theme::ellipsize(d.display_name(), 24)))
                            .unwrap_or_default()
                    } else {
                        String::new()
                    };
                    let line = format!(
                        "{document}…{} [{}] {}…",
                        tail(&before, 24),
                        theme::ellipsize(exact, 40),
                        head(&after, 24)
                    )
                    .replace('\n', " ");
                    if ui
                        .selectable_label(false, RichText::new(line).monospace())
                        .clicked()
                    {
                        actions.push(Action::ShowSpan(hit.document, hit.span));
                    }
                }
            });
    }
}

fn tail(s: &str, n: usize) -> String {
    let count = s.chars().count();
    s.chars().skip(count.saturating_sub(n)).collect()
}

fn head(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}
