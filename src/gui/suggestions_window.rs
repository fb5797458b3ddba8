//! Annotate > Suggestions… (Ctrl+G): the shown document's suggested quotes in quotation
//! marks, reported speech ("X said that …", marked as reported and shown without marks),
//! both with guessed speakers, and entity mentions, drawn as dashed outlines in the text.
//! Each kind can be shown or hidden. Accept or reject them one by one (Enter / Backspace
//! act on the current one, which the text scrolls to) or all shown at once; accepted ones
//! become ordinary annotations (a reported one a quote marked indirect), one undo step per
//! click. Rejected ones stay away, also after a restart (the project remembers them).

use std::collections::HashSet;

use eframe::egui::{self, Context, Key, RichText};

use super::command::Action;
use super::theme;
use crate::model::{Directness, DocumentId, Span};
use crate::suggest::{Suggestion, SuggestionKind};
use crate::workspace::Workspace;

/// The suggestions window's state.
#[derive(Default)]
pub struct SuggestionsWindow {
    /// For the document and annotations' revision they were computed for.
    key: Option<(DocumentId, u64)>,
    suggestions: Vec<Suggestion>,
    rejected: HashSet<(DocumentId, Span, String)>,
    /// Index of the current suggestion in `suggestions`.
    current: usize,
    /// Kinds the analyst hid ([`kind_of`]).
    hidden: HashSet<Kind>,
}

/// What a suggestion is, as the window sorts them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Kind {
    Quoted,
    Reported,
    Mention,
}

impl Kind {
    const ALL: [Self; 3] = [Self::Quoted, Self::Reported, Self::Mention];

    const fn name(self) -> &'static str {
        match self {
            Self::Quoted => "Quotes",
            Self::Reported => "Reported speech",
            Self::Mention => "Mentions",
        }
    }
}

fn kind_of(s: &Suggestion) -> Kind {
    match s.kind {
        SuggestionKind::Quote {
            directness: Directness::Indirect,
            ..
        } => Kind::Reported,
        SuggestionKind::Quote { .. } => Kind::Quoted,
        SuggestionKind::Mention { .. } => Kind::Mention,
    }
}

fn identity(s: &Suggestion) -> (DocumentId, Span, String) {
    (s.document, s.span, s.label.0.to_string())
}

impl SuggestionsWindow {
    fn refresh(&mut self, workspace: &Workspace, document: Option<DocumentId>) {
        let Some(document) = document else {
            self.suggestions.clear();
            self.key = None;
            return;
        };
        let key = (document, workspace.revision());
        if self.key == Some(key) {
            return;
        }
        self.key = Some(key);
        self.suggestions = workspace
            .suggestions(document)
            .into_iter()
            .filter(|s| !self.rejected.contains(&identity(s)) && !self.hidden.contains(&kind_of(s)))
            .collect();
        self.current = self.current.min(self.suggestions.len().saturating_sub(1));
    }

    /// The spans to outline in the text, and the current one.
    pub fn outlines(&self) -> (Vec<Span>, Option<Span>) {
        (
            self.suggestions.iter().map(|s| s.span).collect(),
            self.suggestions.get(self.current).map(|s| s.span),
        )
    }

    /// Rejects the suggestion at `index`: gone from the list now, and remembered in the
    /// project (saved with it, so it does not come back after a restart).
    fn reject(&mut self, index: usize, actions: &mut Vec<Action>) {
        if index < self.suggestions.len() {
            let gone = self.suggestions.remove(index);
            self.rejected.insert(identity(&gone));
            actions.push(Action::RejectSuggestions(vec![gone]));
            self.current = self.current.min(self.suggestions.len().saturating_sub(1));
        }
    }

    /// One toggle per kind, with how many there are: a hidden kind is neither listed,
    /// outlined, nor accepted or rejected by "all".
    fn kinds_row(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.label("Show:");
            for kind in Kind::ALL {
                let shown = !self.hidden.contains(&kind);
                let count = self
                    .suggestions
                    .iter()
                    .filter(|s| kind_of(s) == kind)
                    .count();
                let text = if shown {
                    format!("{} ({count})", kind.name())
                } else {
                    kind.name().to_owned()
                };
                if ui.selectable_label(shown, text).clicked() {
                    if shown {
                        self.hidden.insert(kind);
                    } else {
                        self.hidden.remove(&kind);
                    }
                    // Listed again on the next frame.
                    self.key = None;
                    ui.ctx().request_repaint();
                }
            }
        });
    }

    /// Draws the window; false once the analyst closed it.
    pub fn ui(
        &mut self,
        ctx: &Context,
        workspace: &Workspace,
        document: Option<DocumentId>,
        actions: &mut Vec<Action>,
    ) -> bool {
        self.refresh(workspace, document);
        let project = workspace.project();
        let keys_free = !ctx.text_edit_focused();
        if keys_free && let Some(current) = self.suggestions.get(self.current) {
            if ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, Key::Enter)) {
                actions.push(Action::AcceptSuggestions(vec![current.clone()]));
            } else if ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, Key::Backspace)) {
                self.reject(self.current, actions);
            }
        }
        let mut open = true;
        egui::Window::new("Suggestions")
            .open(&mut open)
            .default_width(440.0)
            .default_pos([720.0, 110.0])
            .show(ctx, |ui| {
                ui.label(format!(
                    "{} suggestion(s) in this document. Enter accepts the current one, Backspace rejects it.",
                    self.suggestions.len()
                ));
                self.kinds_row(ui);
                ui.horizontal(|ui| {
                    let any = !self.suggestions.is_empty();
                    if ui
                        .add_enabled(any, egui::Button::new(format!("Accept all ({})", self.suggestions.len())))
                        .on_hover_text("Every suggestion becomes an annotation, as one undo step")
                        .clicked()
                    {
                        actions.push(Action::AcceptSuggestions(self.suggestions.clone()));
                    }
                    if ui.add_enabled(any, egui::Button::new("Reject all")).clicked() {
                        let gone: Vec<Suggestion> = self.suggestions.drain(..).collect();
                        for s in &gone {
                            self.rejected.insert(identity(s));
                        }
                        actions.push(Action::RejectSuggestions(gone));
                        self.current = 0;
                    }
                });
                ui.separator();
                let mut chosen = None;
                let mut accept = None;
                let mut reject = None;
                egui::ScrollArea::vertical()
                    .id_salt("suggestions")
                    .max_height(360.0)
                    .show(ui, |ui| {
                        for (i, s) in self.suggestions.iter().enumerate() {
                            let who = match &s.kind {
                                SuggestionKind::Quote { speaker: None, speaker_text: None, .. } => "speaker unknown".to_owned(),
                                SuggestionKind::Quote { speaker, speaker_text, .. } => {
                                    speaker
                                        .as_ref()
                                        .map(|sp| crate::model::tables::source_words(project, sp))
                                        .or_else(|| speaker_text.clone())
                                        .map_or_else(String::new, |w| format!("by {w}"))
                                }
                                SuggestionKind::Mention { entity } => project
                                    .entity(*entity)
                                    .map_or_else(String::new, |e| format!("is {}", e.name)),
                            };
                            let label = project
                                .schema
                                .label(&s.label)
                                .map_or(s.label.as_str(), |l| l.name.as_str());
                            ui.horizontal(|ui| {
                                let words = theme::ellipsize(&s.text, 50);
                                // Reported speech is not in quotation marks: shown without
                                // them, in italics, and said so.
                                let text = if kind_of(s) == Kind::Reported {
                                    RichText::new(format!("{label} (reported): {words} {who}")).italics()
                                } else {
                                    RichText::new(format!("{label}: “{words}” {who}"))
                                };
                                if ui.selectable_label(i == self.current, text).clicked() {
                                    chosen = Some(i);
                                }
                                if ui.small_button("Accept").clicked() {
                                    accept = Some(i);
                                }
                                if ui.small_button("Reject").clicked() {
                                    reject = Some(i);
                                }
                            });
                        }
                    });
                if let Some(i) = chosen {
                    self.current = i;
                    if let Some(s) = self.suggestions.get(i) {
                        actions.push(Action::ShowSpan(s.document, s.span));
                    }
                }
                if let Some(i) = accept
                    && let Some(s) = self.suggestions.get(i)
                {
                    actions.push(Action::AcceptSuggestions(vec![s.clone()]));
                }
                if let Some(i) = reject {
                    self.reject(i, actions);
                }
            });
        open
    }
}
