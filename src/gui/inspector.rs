//! The inspector (right panel): the selected annotation's label, text, note, and what its
//! kind carries: an entity mention's link to the registry (suggestions by name and alias,
//! a search, "new entity"), a quote's speaker, directness and source reliability, a claim's
//! claimant, stance, credibility and confidence. Every control is reachable with Tab and
//! carries an accessible name. Draws state and pushes [`Action`]s only.

use eframe::egui::{self, RichText, Ui, WidgetInfo};

use super::command::{Action, Command};
use crate::model::{
    Annotation, AnnotationId, Attributes, Confidence, Credibility, Directness, Entity, LabelKind,
    Project, Reliability, Source, Stance,
};
use crate::workspace::{HistoryStep, SpeakerProposal, Workspace};

/// How many search results the pickers list.
const MAX_RESULTS: usize = 8;

/// What the inspector keeps between frames: the text being typed in its fields.
#[derive(Default)]
pub struct Inspector {
    /// The note being edited: whose, and its text.
    pub note: (Option<AnnotationId>, String),
    /// The entity picker's search text.
    pub search: String,
    /// The description typed for an unnamed source.
    pub unnamed: String,
    /// The relation kind chosen for the next "Relate to…".
    pub relation_kind: String,
    /// Text and number attributes being typed: whose, and the text by attribute name.
    pub typing: (
        Option<AnnotationId>,
        std::collections::HashMap<String, String>,
    ),
    /// The speaker the selected quote's cue names, for the quote and the project's state
    /// it was read for (reading it scans the quote's paragraphs: not every frame).
    speaker_proposal: Option<(SpeakerKey, Option<SpeakerProposal>)>,
    /// The passage shown last frame when it holds right-to-left text: laid out line by line
    /// in visual order (egui's wrapping of a label would read it from the wrong end), with
    /// its top left corner on screen.
    passage: Option<(
        egui::Pos2,
        std::sync::Arc<super::paragraph::ParagraphLayout>,
    )>,
    /// The history read: whose, and the steps (or why not).
    history: Option<(AnnotationId, HistoryRead)>,
    /// Reading an annotation's history (git's log of the project file).
    history_worker: super::worker::Worker<AnnotationId, HistoryRead>,
}

/// An annotation's history as read: its steps, or why it could not be read.
type HistoryRead = Result<Vec<HistoryStep>, String>;

/// What a speaker proposal was read for: the quote and the workspace's generation (its
/// edit state and structure).
type SpeakerKey = (AnnotationId, (u64, u64));

impl Inspector {
    /// The selected annotation, everything about it, editable.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        workspace: &Workspace,
        selected: Option<AnnotationId>,
        clusters: &mut super::claim_clusters::ClaimClusters,
        actions: &mut Vec<Action>,
    ) {
        ui.heading("Annotation");
        let project = workspace.project();
        let Some(annotation) = selected.and_then(|id| project.annotation(id)) else {
            ui.weak("Click an annotation in the text or the list to inspect it.");
            ui.add_space(8.0);
            ui.weak(
                "Drag over text to select it, then press a label's key (1–7) or click its button.",
            );
            return;
        };
        egui::ScrollArea::vertical()
            .id_salt("inspector-scroll")
            .show(ui, |ui| {
                label_ui(ui, project, annotation, actions);
                self.passage_ui(ui, &annotation.marked_text())
                    .on_hover_text(format!(
                        "Characters {}–{} ({} characters)",
                        annotation.span.start(),
                        annotation.span.end(),
                        annotation.span.len()
                    ));
                if let Some(page) = project
                    .document(annotation.document)
                    .and_then(|d| d.page_label(annotation.span))
                {
                    let word = if page.contains('–') {
                        "Pages"
                    } else {
                        "Page"
                    };
                    ui.weak(format!("{word} {page} of the PDF"));
                }
                let passage = matches!(
                    project.schema.label(&annotation.label).map(|l| l.kind),
                    Some(LabelKind::Quote | LabelKind::Claim)
                );
                fragments_ui(ui, annotation, passage, actions);
                ui.separator();
                match project.schema.label(&annotation.label).map(|l| l.kind) {
                    Some(LabelKind::Entity) => self.entity_ui(ui, project, annotation, actions),
                    Some(LabelKind::Quote) => {
                        let key = (annotation.id, workspace.generation());
                        if self
                            .speaker_proposal
                            .as_ref()
                            .is_none_or(|(k, _)| *k != key)
                        {
                            let proposal = workspace.proposed_speaker(annotation.id);
                            self.speaker_proposal = Some((key, proposal));
                        }
                        let proposal = self.speaker_proposal.as_ref().and_then(|(_, p)| p.clone());
                        self.quote_ui(ui, project, annotation, proposal.as_ref(), actions);
                    }
                    Some(LabelKind::Claim) => {
                        self.claim_ui(ui, project, annotation, actions);
                        ui.separator();
                        cluster_ui(ui, workspace, annotation, clusters, actions);
                    }
                    None => {}
                }
                self.attributes_ui(ui, project, annotation, actions);
                ui.separator();
                self.relations_ui(ui, project, annotation, actions);
                ui.separator();
                self.note_ui(ui, annotation, actions);
                times_ui(ui, annotation);
                self.history_ui(ui, workspace, annotation.id);
                ui.add_space(8.0);
                if ui
                    .button("Delete annotation")
                    .on_hover_text("Delete (Del); undo with Ctrl+Z")
                    .clicked()
                {
                    actions.push(Action::Run(Command::DeleteAnnotation));
                }
            });
    }

    /// The annotation's words, in quotation marks: a label, or, when they hold
    /// right-to-left text, laid out as the document view lays out a paragraph (bidi, lines
    /// broken in logical order, each drawn in visual order).
    fn passage_ui(&mut self, ui: &mut Ui, text: &str) -> egui::Response {
        let quoted = format!("“{}”", crate::model::text::ellipsize(text, 10_000));
        if !quoted.chars().any(super::paragraph::is_rtl_char) {
            self.passage = None;
            return ui.label(RichText::new(quoted).italics());
        }
        let color = ui.visuals().text_color();
        let width = ui.available_width().max(40.0);
        let layout = super::paragraph::ParagraphLayout::new(&quoted, color, width, &mut |job| {
            ui.fonts_mut(|fonts| fonts.layout_job(job))
        });
        let height = layout.height(false) - super::paragraph::PARAGRAPH_GAP;
        let (rect, response) =
            ui.allocate_exact_size(egui::vec2(width, height), egui::Sense::hover());
        layout.paint(ui.painter(), rect.min, color);
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &quoted));
        self.passage = Some((rect.min, std::sync::Arc::new(layout)));
        response
    }

    /// Every glyph of the passage drawn last frame when it holds right-to-left text, with
    /// its box on screen (for UI tests: the first word of an Arabic passage on the first
    /// line, at its right).
    pub fn passage_glyphs(&self) -> Vec<(char, egui::Rect)> {
        self.passage
            .as_ref()
            .map_or_else(Vec::new, |(origin, layout)| {
                layout
                    .glyphs()
                    .into_iter()
                    .map(|(c, rect)| (c, rect.translate(origin.to_vec2())))
                    .collect()
            })
    }

    /// History…: who changed the annotation and when, from git's history of the project file
    /// and the unsaved changes (read on a worker when asked).
    fn history_ui(&mut self, ui: &mut Ui, workspace: &Workspace, id: AnnotationId) {
        if self.history.as_ref().is_some_and(|(of, _)| *of != id) {
            self.history = None;
        }
        if let Some((of, read)) = self.history_worker.take()
            && of == id
        {
            self.history = Some((of, read));
        }
        let Some((_, result)) = &self.history else {
            if self.history_worker.is_running() {
                ui.weak("Reading the history…");
            } else if ui
                .button("History…")
                .on_hover_text("Who changed this annotation and when (from git's history of the project file, and what is unsaved)")
                .clicked()
            {
                let job = workspace.history_job(id);
                self.history_worker
                    .ask(id, ui.ctx(), move || job.run().map_err(|e| e.to_string()));
            }
            return;
        };
        ui.strong("History");
        match result {
            Ok(steps) if steps.is_empty() => {
                ui.weak("No change recorded.");
            }
            Ok(steps) => {
                for step in steps {
                    ui.label(format!(
                        "{} · {} · {}: {}",
                        step.when,
                        step.who,
                        step.commit,
                        step.what.join("; ")
                    ));
                }
            }
            Err(why) => {
                ui.weak(format!("History not available: {why}."));
            }
        }
    }

    /// The attributes the project defines for the annotation's label, and any value the
    /// label no longer defines (kept, shown, removable).
    fn attributes_ui(
        &mut self,
        ui: &mut Ui,
        project: &Project,
        annotation: &Annotation,
        actions: &mut Vec<Action>,
    ) {
        let definitions = project
            .schema
            .label(&annotation.label)
            .map(|l| l.attributes.as_slice())
            .unwrap_or_default();
        let values = &annotation.attrs.values;
        let undefined: Vec<(&String, &String)> = values
            .iter()
            .filter(|(name, _)| !definitions.iter().any(|d| &d.name == *name))
            .collect();
        if definitions.is_empty() && undefined.is_empty() {
            return;
        }
        ui.separator();
        ui.label(RichText::new("Attributes").strong())
            .on_hover_text("Defined per label in View > Schema…");
        if self.typing.0 != Some(annotation.id) {
            self.typing = (Some(annotation.id), std::collections::HashMap::new());
        }
        egui::Grid::new("inspector-attributes")
            .num_columns(2)
            .show(ui, |ui| {
                for definition in definitions {
                    ui.label(&definition.name);
                    self.attribute_value_ui(ui, annotation, definition, actions);
                    ui.end_row();
                }
                for (name, value) in undefined {
                    ui.label(name)
                        .on_hover_text("Not defined for this label any more");
                    ui.horizontal(|ui| {
                        ui.label(value);
                        let remove = ui.small_button("Remove");
                        let accessible = format!("Remove attribute {name}");
                        remove.widget_info(|| {
                            WidgetInfo::labeled(egui::Role::Button, true, &accessible)
                        });
                        if remove.clicked() {
                            actions.push(set(annotation, |a| {
                                a.values.remove(name);
                            }));
                        }
                    });
                    ui.end_row();
                }
            });
    }

    fn attribute_value_ui(
        &mut self,
        ui: &mut Ui,
        annotation: &Annotation,
        definition: &crate::model::AttributeDef,
        actions: &mut Vec<Action>,
    ) {
        use crate::model::AttributeKind;
        let name = &definition.name;
        let stored = annotation
            .attrs
            .values
            .get(name)
            .cloned()
            .unwrap_or_default();
        let value_action =
            |value: &str| Action::SetAttributeValue(annotation.id, name.clone(), value.to_owned());
        match &definition.kind {
            AttributeKind::Text | AttributeKind::Number => {
                let number = definition.kind == AttributeKind::Number;
                let buffer = self
                    .typing
                    .1
                    .entry(name.clone())
                    .or_insert_with(|| stored.clone());
                let id = ui.make_persistent_id(("attribute", annotation.id, name));
                if !ui.memory(|m| m.has_focus(id)) && buffer.trim() != stored {
                    // Changed elsewhere (undo): show the stored value.
                    buffer.clone_from(&stored);
                }
                ui.vertical(|ui| {
                    let response = ui.add(
                        egui::TextEdit::singleline(buffer)
                            .id(id)
                            .desired_width(140.0)
                            .hint_text(if number { "a number" } else { "text" }),
                    );
                    let accessible = format!("Attribute {name}");
                    response.widget_info(|| {
                        WidgetInfo::labeled(egui::Role::TextInput, true, &accessible)
                    });
                    let fits = definition.kind.check(buffer).is_ok() || buffer.trim().is_empty();
                    if response.changed() && fits {
                        actions.push(value_action(buffer));
                    }
                    if !fits {
                        ui.colored_label(ui.visuals().error_fg_color, "not a number (not saved)");
                    }
                    if response.lost_focus() {
                        actions.push(Action::SealHistory);
                    }
                });
            }
            AttributeKind::YesNo => {
                ui.horizontal(|ui| {
                    for answer in ["yes", "no"] {
                        let accessible = format!("{name}: {answer}");
                        if choice(ui, answer, stored == answer, &accessible, "") {
                            actions.push(value_action(if stored == answer { "" } else { answer }));
                        }
                    }
                });
            }
            AttributeKind::Choice(options) => {
                let shown = if stored.is_empty() {
                    "(none)"
                } else {
                    stored.as_str()
                };
                let combo = egui::ComboBox::from_id_salt(("attribute-choice", name))
                    .selected_text(shown)
                    .show_ui(ui, |ui| {
                        if ui.selectable_label(stored.is_empty(), "(none)").clicked() {
                            actions.push(value_action(""));
                        }
                        for option in options {
                            if ui.selectable_label(&stored == option, option).clicked() {
                                actions.push(value_action(option));
                            }
                        }
                    });
                let accessible = format!("Attribute {name}");
                combo
                    .response
                    .widget_info(|| WidgetInfo::labeled(egui::Role::ComboBox, true, &accessible));
            }
        }
    }

    /// The annotation's relations (click one to go to its other end) and "Relate to…".
    fn relations_ui(
        &mut self,
        ui: &mut Ui,
        project: &Project,
        annotation: &Annotation,
        actions: &mut Vec<Action>,
    ) {
        ui.label(RichText::new("Relations").strong());
        for relation in project.relations_of(annotation.id) {
            let other = relation.other(annotation.id);
            let Some(target) = project.annotation(other) else {
                continue;
            };
            let arrow = if relation.from == annotation.id {
                relation.kind.clone()
            } else {
                format!("(is {} by)", relation.kind)
            };
            ui.horizontal(|ui| {
                let text = format!(
                    "{arrow} “{}”",
                    crate::gui::theme::ellipsize(target.text(), 40)
                );
                let mut hover = format!("Go to annotation {}", target.id);
                if target.document != annotation.document
                    && let Some(d) = project.document(target.document)
                {
                    hover = format!("{hover} in {}", d.display_name());
                }
                if ui.link(text).on_hover_text(hover).clicked() {
                    actions.push(Action::JumpTo(other));
                }
                let remove = ui
                    .small_button("Remove")
                    .on_hover_text("Remove this relation (undo with Ctrl+Z)");
                let name = format!("Remove {} relation {}", relation.kind, relation.id.0);
                remove.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
                if remove.clicked() {
                    actions.push(Action::Unrelate(relation.id));
                }
            });
        }
        let kinds = &project.schema.relation_kinds;
        if !kinds.contains(&self.relation_kind) {
            self.relation_kind = kinds.first().cloned().unwrap_or_default();
        }
        ui.horizontal(|ui| {
            egui::ComboBox::from_label("Relation kind")
                .selected_text(self.relation_kind.as_str())
                .show_ui(ui, |ui| {
                    for kind in kinds {
                        ui.selectable_value(&mut self.relation_kind, kind.clone(), kind);
                    }
                });
            if ui
                .add_enabled(
                    !self.relation_kind.is_empty(),
                    egui::Button::new("Relate to…"),
                )
                .on_hover_text("Then click the other annotation, in this or another document")
                .clicked()
            {
                actions.push(Action::StartRelation(
                    annotation.id,
                    self.relation_kind.clone(),
                ));
            }
        });
    }

    fn note_ui(&mut self, ui: &mut Ui, annotation: &Annotation, actions: &mut Vec<Action>) {
        ui.label(RichText::new("Note").strong());
        let response = ui.add(
            egui::TextEdit::multiline(&mut self.note.1)
                .desired_rows(4)
                .desired_width(f32::INFINITY)
                .hint_text("Your note on this annotation"),
        );
        response
            .widget_info(|| WidgetInfo::labeled(egui::Role::TextInput, true, "Annotation note"));
        if response.changed() {
            actions.push(Action::SetNote(annotation.id, self.note.1.clone()));
        }
        if response.lost_focus() {
            actions.push(Action::SealHistory);
        }
    }

    /// An entity mention: its link, suggestions, a search and "new entity".
    fn entity_ui(
        &mut self,
        ui: &mut Ui,
        project: &Project,
        annotation: &Annotation,
        actions: &mut Vec<Action>,
    ) {
        ui.label(RichText::new("Entity").strong());
        let linked = annotation.entity.and_then(|id| project.entity(id));
        ui.horizontal_wrapped(|ui| match linked {
            Some(entity) => {
                ui.label(RichText::new(&entity.name).strong())
                    .on_hover_text(entity_summary(project, entity));
                if ui
                    .button("Unlink")
                    .on_hover_text("This mention refers to no entity of the registry")
                    .clicked()
                {
                    actions.push(Action::LinkEntity(annotation.id, None));
                }
            }
            None => {
                ui.weak("Not linked to an entity");
            }
        });
        let suggested: Vec<&Entity> = project
            .entities_named(annotation.text(), Some(&annotation.label))
            .into_iter()
            .filter(|e| Some(e.id) != annotation.entity)
            .collect();
        if !suggested.is_empty() {
            ui.horizontal_wrapped(|ui| {
                ui.weak("Same name:");
                for entity in suggested {
                    if ui
                        .button(format!("Link to {}", entity.name))
                        .on_hover_text(entity_summary(project, entity))
                        .clicked()
                    {
                        actions.push(Action::LinkEntity(annotation.id, Some(entity.id)));
                    }
                }
            });
        }
        let id = annotation.id;
        let chosen = self.search_ui(ui, project, "Find entity", Some(annotation), |e| {
            Some(e.id) != annotation.entity
        });
        if let Some(entity) = chosen {
            actions.push(Action::LinkEntity(id, Some(entity)));
        }
        if linked.is_some() {
            // Linked: a new entity from the same mention would be a near-duplicate (Unlink
            // first to make one).
            return;
        }
        let name = annotation
            .text()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if ui
            .button(format!(
                "New entity “{}”",
                crate::gui::theme::ellipsize(&name, 30)
            ))
            .on_hover_text(
                "Add an entity of this kind, named after this mention, and link the mention to it",
            )
            .clicked()
        {
            actions.push(Action::NewEntityFrom(id));
        }
    }

    /// A search field over the registry with up to [`MAX_RESULTS`] buttons; returns the
    /// entity clicked. Entities of the mention's kind come first.
    fn search_ui(
        &mut self,
        ui: &mut Ui,
        project: &Project,
        field_name: &str,
        mention: Option<&Annotation>,
        wanted: impl Fn(&Entity) -> bool,
    ) -> Option<crate::model::EntityId> {
        let response = ui.add(
            egui::TextEdit::singleline(&mut self.search)
                .hint_text(format!("{field_name}…"))
                .desired_width(f32::INFINITY),
        );
        let name = field_name.to_owned();
        response.widget_info(move || WidgetInfo::labeled(egui::Role::TextInput, true, &name));
        if self.search.trim().is_empty() {
            return None;
        }
        let mut results: Vec<&Entity> = project
            .entities()
            .filter(|e| wanted(e) && e.matches_search(&self.search))
            .collect();
        results.sort_by_key(|e| {
            (
                mention.is_some_and(|m| m.label != e.kind),
                e.name.to_lowercase(),
            )
        });
        let mut chosen = None;
        if results.is_empty() {
            ui.weak("No entity matches.");
        }
        for entity in results.into_iter().take(MAX_RESULTS) {
            let kind = project
                .schema
                .label(&entity.kind)
                .map_or(entity.kind.as_str(), |l| l.name.as_str());
            if ui
                .button(format!("{} ({kind})", entity.name))
                .on_hover_text(entity_summary(project, entity))
                .clicked()
            {
                chosen = Some(entity.id);
                self.search.clear();
            }
        }
        chosen
    }

    /// Who: an entity of the registry, an unnamed source, or the publication.
    fn source_ui(
        &mut self,
        ui: &mut Ui,
        project: &Project,
        annotation: &Annotation,
        role: &str,
        actions: &mut Vec<Action>,
    ) {
        let attrs = &annotation.attrs;
        ui.label(RichText::new(role).strong());
        ui.horizontal_wrapped(|ui| {
            match &attrs.source {
                Some(Source::Entity(id)) => {
                    let name = project
                        .entity(*id)
                        .map_or("(missing entity)", |e| e.name.as_str());
                    ui.label(RichText::new(name).strong());
                }
                Some(Source::Unnamed(description)) => {
                    ui.label(format!("Unnamed source: {description}"));
                }
                Some(Source::Publication) => {
                    ui.label("The publication");
                }
                None => {
                    ui.weak("Not set");
                }
            }
            if attrs.source.is_some() && ui.button("Clear").clicked() {
                actions.push(set(annotation, |a| a.source = None));
            }
        });
        let field = format!("Find {}", role.to_lowercase());
        if let Some(entity) = self.search_ui(ui, project, &field, None, |e| {
            attrs.source != Some(Source::Entity(e.id))
        }) {
            actions.push(set(annotation, |a| a.source = Some(Source::Entity(entity))));
        }
        ui.horizontal(|ui| {
            let response = ui.add(
                egui::TextEdit::singleline(&mut self.unnamed)
                    .hint_text("or describe an unnamed source…")
                    .desired_width(180.0),
            );
            response.widget_info(|| {
                WidgetInfo::labeled(egui::Role::TextInput, true, "Unnamed source description")
            });
            let description = self.unnamed.trim().to_owned();
            let entered = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui
                .add_enabled(!description.is_empty(), egui::Button::new("Set unnamed"))
                .clicked()
                || entered)
                && !description.is_empty()
            {
                actions.push(set(annotation, |a| {
                    a.source = Some(Source::Unnamed(description));
                }));
                self.unnamed.clear();
            }
        });
        if attrs.source != Some(Source::Publication)
            && ui
                .button("The publication")
                .on_hover_text("Made in the article's own voice")
                .clicked()
        {
            actions.push(set(annotation, |a| a.source = Some(Source::Publication)));
        }
    }

    fn quote_ui(
        &mut self,
        ui: &mut Ui,
        project: &Project,
        annotation: &Annotation,
        proposal: Option<&SpeakerProposal>,
        actions: &mut Vec<Action>,
    ) {
        self.source_ui(ui, project, annotation, "Speaker", actions);
        if let Some((name, source)) = proposal {
            // The speaker the quote's cue names, as suggestions propose it: one click.
            ui.horizontal_wrapped(|ui| {
                ui.weak("The text names:");
                let new = if source.is_none() {
                    " (new person)"
                } else {
                    ""
                };
                if ui
                    .button(format!("Speaker: {name}{new}"))
                    .on_hover_text("Set the speaker the attribution beside the quote names")
                    .clicked()
                {
                    actions.push(Action::AcceptProposedSpeaker(annotation.id));
                }
            });
        }
        ui.add_space(4.0);
        let directness = [Directness::Direct, Directness::Indirect].map(|d| {
            let name = if d == Directness::Direct {
                "Direct"
            } else {
                "Indirect"
            };
            (d, name.to_owned(), name.to_owned(), "")
        });
        choices_ui(ui, annotation, &directness, |a| &mut a.directness, actions);
        ui.label("Source reliability");
        let reliability = Reliability::ALL.map(|r| {
            let letter = r.letter().to_string();
            (r, format!("Reliability {letter}"), letter, r.meaning())
        });
        choices_ui(
            ui,
            annotation,
            &reliability,
            |a| &mut a.reliability,
            actions,
        );
    }

    fn claim_ui(
        &mut self,
        ui: &mut Ui,
        project: &Project,
        annotation: &Annotation,
        actions: &mut Vec<Action>,
    ) {
        self.source_ui(ui, project, annotation, "Claimant", actions);
        ui.add_space(4.0);
        let stances =
            Stance::ALL.map(|s| (s, format!("Stance {}", s.name()), s.name().to_owned(), ""));
        choices_ui(ui, annotation, &stances, |a| &mut a.stance, actions);
        ui.label("Information credibility");
        let grades: Vec<_> = Credibility::all()
            .map(|c| {
                let grade = c.grade().to_string();
                (c, format!("Credibility {grade}"), grade, c.meaning())
            })
            .collect();
        choices_ui(ui, annotation, &grades, |a| &mut a.credibility, actions);
        ui.label("Confidence");
        let confidence = Confidence::ALL.map(|c| {
            (
                c,
                format!("Confidence {}", c.name()),
                c.name().to_owned(),
                "",
            )
        });
        choices_ui(ui, annotation, &confidence, |a| &mut a.confidence, actions);
        let grading = annotation.attrs.grading();
        if !grading.is_empty() {
            ui.weak(format!("Grading: {grading}"));
        }
    }
}

/// Where a claim stands among the claim clusters (the same claim in other articles), with
/// the analyst's decision at hand: confirm a suggested cluster, add the claim to the
/// confirmed one it looks like, take it out.
fn cluster_ui(
    ui: &mut Ui,
    workspace: &Workspace,
    annotation: &Annotation,
    clusters: &mut super::claim_clusters::ClaimClusters,
    actions: &mut Vec<Action>,
) {
    use crate::model::clusters;
    let project = workspace.project();
    let Some((found, current)) = clusters.get(ui.ctx(), workspace) else {
        ui.weak("Looking for claims that say the same…");
        return;
    };
    ui.add_enabled_ui(current, |ui| {
        match super::claim_clusters::place_of(&found, annotation.id) {
            Some((n, cluster, true)) => {
                let others = cluster.members.len() - 1;
                let documents = cluster.documents;
                if cluster.is_confirmed() {
                    ui.label(format!(
                        "In cluster {n} (confirmed) with {others} other claim(s), {documents} document(s)"
                    ));
                } else {
                    ui.label(format!(
                        "Says the same as {others} other claim(s) (cluster {n}, suggested)"
                    ));
                    if ui.button("Confirm the cluster").clicked() {
                        actions.push(Action::SetClusters(
                            clusters::confirm(project, cluster),
                            "Cluster confirmed",
                        ));
                    }
                }
                if cluster.contradicts {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        format!("Contradiction: {}", cluster.contradiction),
                    );
                }
                if ui
                    .button("Take out of the cluster")
                    .on_hover_text("It does not say the same thing as the others")
                    .clicked()
                {
                    actions.push(Action::SetClusters(
                        clusters::take_out(project, cluster, annotation.id),
                        "Claim taken out of the cluster",
                    ));
                }
            }
            Some((n, cluster, false)) => {
                let first = cluster.members.first().map_or("", |m| m.text.as_str());
                ui.label(format!(
                    "Looks like cluster {n} (confirmed, {} claim(s)): “{}”",
                    cluster.members.len(),
                    super::theme::ellipsize(first, 80)
                ));
                if ui.button(format!("Add to cluster {n}")).clicked() {
                    actions.push(Action::SetClusters(
                        clusters::add(project, cluster, annotation.id),
                        "Claim added to the cluster",
                    ));
                }
            }
            None if annotation.attrs.cluster.is_some() => {
                ui.weak("Kept out of the claim clusters by an analyst.");
                if ui.button("Let it be grouped again").clicked() {
                    actions.push(Action::SetClusters(
                        vec![(annotation.id, None)],
                        "Claim left to the automatic grouping",
                    ));
                }
            }
            None => {
                ui.weak("No other claim says the same (yet).");
            }
        }
    });
}

/// One row of toggles for an optional attribute: `(value, accessible name, text, hover)`
/// each; clicking the chosen one again clears it. Pushes the change as an action.
fn choices_ui<T: Copy + PartialEq>(
    ui: &mut Ui,
    annotation: &Annotation,
    options: &[(T, String, String, &str)],
    field: impl Fn(&mut Attributes) -> &mut Option<T>,
    actions: &mut Vec<Action>,
) {
    let mut current = annotation.attrs.clone();
    let now = *field(&mut current);
    ui.horizontal(|ui| {
        for (value, accessible, text, hover) in options {
            if choice(ui, text, now == Some(*value), accessible, hover) {
                actions.push(set(annotation, |a| {
                    let slot = field(a);
                    *slot = (*slot != Some(*value)).then_some(*value);
                }));
            }
        }
    });
}

/// The action that changes `annotation`'s attributes with `change`.
fn set(annotation: &Annotation, change: impl FnOnce(&mut Attributes)) -> Action {
    let mut attrs = annotation.attrs.clone();
    change(&mut attrs);
    Action::SetAttributes(annotation.id, attrs)
}

/// A toggle among choices, with an accessible name and a hover text; true when clicked
/// (clicking the chosen one again clears it).
fn choice(ui: &mut Ui, text: &str, selected: bool, accessible: &str, hover: &str) -> bool {
    let mut response = ui.selectable_label(selected, text);
    if !hover.is_empty() {
        response = response.on_hover_text(hover);
    }
    let accessible = accessible.to_owned();
    response
        .widget_info(move || WidgetInfo::selected(egui::Role::Button, true, selected, &accessible));
    response.clicked()
}

fn label_ui(ui: &mut Ui, project: &Project, annotation: &Annotation, actions: &mut Vec<Action>) {
    let schema = &project.schema;
    let current = schema
        .label(&annotation.label)
        .map_or(annotation.label.as_str(), |l| l.name.as_str());
    egui::ComboBox::from_label("Label")
        .selected_text(current)
        .show_ui(ui, |ui| {
            for label in &schema.labels {
                if ui
                    .selectable_label(label.id == annotation.label, &label.name)
                    .clicked()
                {
                    actions.push(Action::ApplyLabel(label.id.clone()));
                }
            }
        });
}

/// The fragments of a discontinuous annotation, each removable, and (for a quote or claim,
/// the passages that get interrupted) how to add one.
fn fragments_ui(ui: &mut Ui, annotation: &Annotation, passage: bool, actions: &mut Vec<Action>) {
    if annotation.is_discontinuous() {
        ui.label(RichText::new("Fragments").strong());
        for (i, (piece, text)) in annotation
            .pieces()
            .iter()
            .zip(annotation.piece_texts())
            .enumerate()
        {
            ui.horizontal(|ui| {
                let remove = ui
                    .small_button("Remove")
                    .on_hover_text("Take this fragment out of the annotation (Ctrl+Z undoes it)");
                remove.widget_info(|| {
                    egui::WidgetInfo::labeled(
                        egui::Role::Button,
                        true,
                        format!("Remove fragment {}", i + 1),
                    )
                });
                if remove.clicked() {
                    actions.push(Action::RemoveFragment(annotation.id, i));
                }
                ui.add(
                    egui::Label::new(format!(
                        "{}. “{}”",
                        i + 1,
                        crate::gui::theme::ellipsize(text, 40)
                    ))
                    .truncate(),
                )
                .on_hover_text(format!(
                    "{text}\n(characters {}–{})",
                    piece.start(),
                    piece.end()
                ));
            });
        }
    }
    if passage || annotation.is_discontinuous() {
        ui.weak("Ctrl+drag over more text to add it to this annotation.");
    }
}

/// Who made the annotation and when, and who changed it last and when.
fn times_ui(ui: &mut Ui, annotation: &Annotation) {
    let format = |t: &jiff::Timestamp| t.strftime("%Y-%m-%d %H:%M UTC").to_string();
    let by = |name: &str| {
        if name.is_empty() {
            String::new()
        } else {
            format!(" by {name}")
        }
    };
    ui.weak(format!(
        "Made{} {}",
        by(&annotation.author),
        format(&annotation.created)
    ));
    if annotation.modified != annotation.created {
        let changer = if annotation.changed_by.is_empty() {
            &annotation.author
        } else {
            &annotation.changed_by
        };
        ui.weak(format!(
            "Changed{} {}",
            by(changer),
            format(&annotation.modified)
        ));
    }
}

/// An entity in one line for a hover: kind, aliases, mentions, external id.
pub fn entity_summary(project: &Project, entity: &Entity) -> String {
    let kind = project
        .schema
        .label(&entity.kind)
        .map_or(entity.kind.as_str(), |l| l.name.as_str());
    let mut lines = vec![format!("{} ({kind})", entity.name)];
    if !entity.aliases.is_empty() {
        lines.push(format!("also: {}", entity.aliases.join(", ")));
    }
    lines.push(format!(
        "{} mention(s)",
        project.mentions_of(entity.id).len()
    ));
    lines.extend(entity.external_id.clone());
    lines.join("\n")
}
