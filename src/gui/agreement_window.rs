//! View > Agreement…: how far the analysts' layers agree (see
//! [`crate::model::agreement`]): a table of the measures, overall and per label, and a
//! confusion matrix for each pair of analysts.

use eframe::egui::{self, Context};

use super::worker::Worker;
use crate::formats::Selection;
use crate::model::DocumentId;
use crate::model::agreement::Report;
use crate::workspace::Workspace;

/// What a report was measured for: the project's revision, the document chosen.
type ReportKey = (u64, u64, Option<DocumentId>);

/// The Agreement window's state.
#[derive(Default)]
pub struct AgreementWindow {
    /// Only the document shown (else every document all analysts annotated).
    only_current: bool,
    /// The report, for (revision, document chosen).
    cache: Option<(ReportKey, Result<Report, String>)>,
    /// Measuring on a thread of its own (a big project takes a while).
    worker: Worker<ReportKey, Result<Report, String>>,
}

impl AgreementWindow {
    /// True while agreement is being measured.
    pub fn is_computing(&self) -> bool {
        self.worker.is_running()
    }

    /// Draws the window; false once closed.
    pub fn ui(
        &mut self,
        ctx: &Context,
        workspace: &Workspace,
        current: Option<DocumentId>,
    ) -> bool {
        let mut open = true;
        egui::Window::new("Agreement")
            .open(&mut open)
            .collapsible(false)
            .default_width(520.0)
            .show(ctx, |ui| {
                ui.checkbox(&mut self.only_current, "Only the document shown")
                    .on_hover_text("Else every document that all the analysts annotated");
                let document = if self.only_current { current } else { None };
                let key = (workspace.revision(), workspace.texts_read(), document);
                if let Some(done) = self.worker.take() {
                    self.cache = Some(done);
                }
                // While a job runs, nothing is asked (nor the project copied each frame).
                if self.cache.as_ref().is_none_or(|(k, _)| *k != key) && !self.worker.is_running()
                {
                    let selection = Selection {
                        documents: document.map(|d| vec![d.0.to_string()]).unwrap_or_default(),
                        ..Selection::default()
                    };
                    match workspace.agreement_job(&selection, &[]) {
                        Ok(job) => self.worker.ask(key, ctx, move || {
                            job.run().map_err(|e| e.to_string())
                        }),
                        Err(e) => self.cache = Some((key, Err(e.to_string()))),
                    }
                }
                if self.worker.is_running() {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.weak("Measuring…");
                    });
                }
                match self.cache.as_ref().map(|(_, r)| r) {
                    Some(Ok(report)) => report_ui(ui, report),
                    Some(Err(why)) => {
                        ui.label(format!("Agreement cannot be measured: {why}."));
                        ui.weak("Each analyst's annotations are their layer: two analysts who annotate the same document can be compared.");
                    }
                    None => {}
                }
            });
        open
    }
}

fn figure(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), |v| format!("{v:.3}"))
}

fn report_ui(ui: &mut egui::Ui, report: &Report) {
    ui.label(format!(
        "{} over {} document(s), {} word(s). Each word takes the label of the innermost annotation covering it in each analyst's layer.",
        report.annotators.join(", "),
        report.documents.len(),
        report.overall.units
    ));
    egui::Grid::new("agreement-measures")
        .striped(true)
        .show(ui, |ui| {
            for head in [
                "",
                "Cohen κ",
                "Fleiss κ",
                "α (words)",
                "α_u (spans)",
                "words",
            ] {
                ui.strong(head);
            }
            ui.end_row();
            let rows = std::iter::once(("Overall", &report.overall))
                .chain(report.labels.iter().map(|(n, m)| (n.as_str(), m)));
            for (name, m) in rows {
                ui.label(name);
                ui.label(figure(m.cohen_kappa));
                ui.label(figure(m.fleiss_kappa));
                ui.label(figure(m.krippendorff_alpha_tokens));
                ui.label(figure(m.krippendorff_alpha_unitizing));
                ui.label(m.units.to_string());
                ui.end_row();
            }
        });
    ui.weak("— : does not apply (Cohen's κ compares two analysts, Fleiss' κ three or more) or no variation to agree on.");
    for pair in &report.pairs {
        let title = format!("{} – {}: κ {}", pair.a, pair.b, figure(pair.cohen_kappa));
        egui::CollapsingHeader::new(title)
            .id_salt(("pair", &pair.a, &pair.b))
            .show(ui, |ui| {
                ui.weak(format!("Rows: {}; columns: {}", pair.a, pair.b));
                egui::Grid::new(("confusion", &pair.a, &pair.b))
                    .striped(true)
                    .show(ui, |ui| {
                        ui.label("");
                        for category in &report.categories {
                            ui.strong(category);
                        }
                        ui.end_row();
                        for (category, row) in report.categories.iter().zip(&pair.confusion) {
                            ui.strong(category);
                            for count in row {
                                ui.label(count.to_string());
                            }
                            ui.end_row();
                        }
                    });
            });
    }
}
