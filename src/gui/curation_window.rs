//! View > Curation…: where the analysts' layers of the document shown disagree, one row
//! per place with each analyst's candidate; accepting one copies it into the curated layer
//! (undoable), which exports then use.

use eframe::egui::{self, Context};

use super::command::Action;
use crate::model::DocumentId;
use crate::model::curation::Curation;
use crate::workspace::Workspace;

/// The Curation window's state.
#[derive(Debug, Default)]
pub struct CurationWindow {
    /// The curation, for (revision, document).
    cache: Option<((u64, u64, DocumentId), Curation)>,
    /// Accept agreements into the curated layer as they appear (an option).
    automatic: bool,
    /// The state the agreements were last accepted automatically in (never twice).
    accepted_at: Option<(u64, u64, DocumentId)>,
}

impl CurationWindow {
    /// Draws the window; false once closed.
    pub fn ui(
        &mut self,
        ctx: &Context,
        workspace: &Workspace,
        current: Option<DocumentId>,
        actions: &mut Vec<Action>,
    ) -> bool {
        let mut open = true;
        egui::Window::new("Curation")
            .open(&mut open)
            .collapsible(false)
            .default_width(520.0)
            .default_height(420.0)
            .show(ctx, |ui| {
                let Some(document) = current else {
                    ui.label("Open a document to curate it.");
                    return;
                };
                let key = (workspace.revision(), workspace.texts_read(), document);
                if self.cache.as_ref().is_none_or(|(k, _)| *k != key) {
                    self.cache = Some((key, workspace.curation(document)));
                }
                let Some((_, curation)) = &self.cache else {
                    return;
                };
                ui.checkbox(&mut self.automatic, "Accept agreements automatically")
                    .on_hover_text("Whenever all the analysts made an annotation alike, copy it into the curated layer (each time one undo step)");
                if self.automatic
                    && curation.agreements_open > 0
                    && curation.analysts.len() >= 2
                    && self.accepted_at != Some(key)
                {
                    self.accepted_at = Some(key);
                    actions.push(Action::CurateAgreements(document));
                }
                curation_ui(ui, workspace, document, curation, actions);
            });
        open
    }
}

fn curation_ui(
    ui: &mut egui::Ui,
    workspace: &Workspace,
    document: DocumentId,
    curation: &Curation,
    actions: &mut Vec<Action>,
) {
    if curation.analysts.len() < 2 {
        ui.label("Curation compares the layers of two or more analysts; this document has annotations by fewer.");
        return;
    }
    let decided = curation.rows.iter().filter(|r| r.decided()).count();
    ui.label(format!(
        "{}: {} place(s) where they disagree ({decided} decided), {} agreement(s) ({} not yet accepted).",
        curation.analysts.join(", "),
        curation.rows.len(),
        curation.agreements.len(),
        curation.agreements_open
    ));
    if ui
        .add_enabled(
            curation.agreements_open > 0,
            egui::Button::new("Accept all agreements"),
        )
        .on_hover_text("Copy every annotation all the analysts made alike into the curated layer (one undo step)")
        .clicked()
    {
        actions.push(Action::CurateAgreements(document));
    }
    ui.separator();
    let project = workspace.project();
    let describe = |id| {
        project.annotation(id).map_or_else(String::new, |a| {
            let label = project
                .schema
                .label(&a.label)
                .map_or(a.label.as_str(), |l| l.name.as_str());
            format!("{label} “{}”", crate::model::text::ellipsize(a.text(), 40))
        })
    };
    egui::ScrollArea::vertical()
        .auto_shrink([false, true])
        .show(ui, |ui| {
            for (index, row) in curation.rows.iter().enumerate() {
                ui.push_id(("curation-row", index), |ui| {
                    let words = workspace
                        .text(document)
                        .and_then(|t| t.slice(row.extent))
                        .map(|t| crate::model::text::ellipsize(t, 60))
                        .unwrap_or_default();
                    let heading = ui.add(
                        egui::Label::new(
                            egui::RichText::new(format!("“{words}”: {}", row.difference.name()))
                                .strong(),
                        )
                        .sense(egui::Sense::click()),
                    );
                    let first = row.candidates.iter().flat_map(|(_, ids)| ids).next();
                    if heading.on_hover_text("Show it in the text").clicked()
                        && let Some(&id) = first
                    {
                        actions.push(Action::JumpTo(id));
                    }
                    for id in &row.curated {
                        ui.label(format!("Curated: {}", describe(*id)));
                    }
                    if row.left_out {
                        ui.label("Curated: left out (none of these)");
                    } else if row.curated.is_empty()
                        && ui
                            .button("None of these")
                            .on_hover_text(
                                "Leave this place out of the curated layer (Ctrl+Z undoes it)",
                            )
                            .clicked()
                    {
                        actions.push(Action::LeaveOut(document, row.extent));
                    }
                    for (analyst, ids) in &row.candidates {
                        if ids.is_empty() {
                            ui.weak(format!("{analyst}: nothing here"));
                        }
                        for &id in ids {
                            if ui
                                .button(format!("Accept {analyst}'s {}", describe(id)))
                                .clicked()
                            {
                                actions.push(Action::Curate(vec![id]));
                            }
                        }
                    }
                    ui.separator();
                });
            }
        });
}
