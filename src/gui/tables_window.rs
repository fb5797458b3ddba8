//! View > Claims table… (Ctrl+Shift+C) and Who said what… (Ctrl+Shift+W): one window with
//! three tabs over [`crate::model::tables`] and [`crate::model::clusters`]. The claims table
//! sorts by any column (click its header) and filters by text (claimant, claim, stance,
//! confidence, document) and by credibility; the claim clusters show each claim told by
//! several documents side by side with its source, outlet, date and grading, flagged when
//! the stances differ; every row jumps to its annotation. Pushes [`Action`]s only.

use eframe::egui::{self, Context, RichText};

use super::command::Action;
use super::theme;
use crate::model::Project;
use std::collections::BTreeSet;

use super::claim_clusters::ClaimClusters;
use crate::model::AnnotationId;
use crate::model::clusters::{self, Cluster, Member};
use crate::model::tables::{self, ClaimRow};
use crate::workspace::Workspace;

/// At most this many clusters are drawn (a big project has thousands; the filter finds
/// the others).
const SHOWN_CLUSTERS: usize = 200;

/// Which table is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Claims,
    WhoSaidWhat,
    Clusters,
}

/// A column of the claims table to sort by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Claimant,
    Text,
    Grading,
    Document,
}

/// The tables window's state.
pub struct TablesWindow {
    pub tab: Tab,
    filter: String,
    sort: (Column, bool),
    /// Claims shown by credibility: any (None), ungraded (0) or one grade (1–6).
    credibility: Option<u8>,
    /// The claims checked in the clusters tab (to split them off).
    checked: BTreeSet<AnnotationId>,
}

impl TablesWindow {
    pub fn new(tab: Tab) -> Self {
        Self {
            tab,
            filter: String::new(),
            sort: (Column::Document, true),
            credibility: None,
            checked: BTreeSet::new(),
        }
    }

    /// Draws the window; false once the analyst closed it.
    pub fn ui(
        &mut self,
        ctx: &Context,
        workspace: &Workspace,
        clusters: &mut ClaimClusters,
        actions: &mut Vec<Action>,
    ) -> bool {
        let project = workspace.project();
        let mut open = true;
        egui::Window::new("Claims and quotes")
            .open(&mut open)
            .default_width(640.0)
            .default_pos([420.0, 120.0])
            .show(ctx, |ui| {
                ui.horizontal(|ui| {
                    ui.selectable_value(&mut self.tab, Tab::Claims, "Claims");
                    ui.selectable_value(&mut self.tab, Tab::WhoSaidWhat, "Who said what");
                    ui.selectable_value(&mut self.tab, Tab::Clusters, "Claim clusters");
                });
                theme::text_field_ui(ui, &mut self.filter, "Filter…", "Filter the table");
                if self.tab == Tab::Claims {
                    self.credibility_filter_ui(ui);
                }
                ui.separator();
                egui::ScrollArea::vertical()
                    .id_salt("tables")
                    .max_height(420.0)
                    .show(ui, |ui| match self.tab {
                        Tab::Claims => self.claims_ui(ui, project, actions),
                        Tab::WhoSaidWhat => self.speakers_ui(ui, project, actions),
                        Tab::Clusters => self.clusters_ui(ui, workspace, clusters, actions),
                    });
            });
        open
    }

    /// Claims of one credibility grade only (or ungraded ones), or all.
    fn credibility_filter_ui(&mut self, ui: &mut egui::Ui) {
        let name = |c: Option<u8>| match c {
            None => "any credibility".to_owned(),
            Some(0) => "not graded".to_owned(),
            Some(n) => format!("credibility {n}"),
        };
        let combo = egui::ComboBox::from_id_salt("claims-credibility")
            .selected_text(name(self.credibility))
            .show_ui(ui, |ui| {
                for choice in std::iter::once(None).chain((0..=6).map(Some)) {
                    ui.selectable_value(&mut self.credibility, choice, name(choice));
                }
            });
        combo.response.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Filter by credibility")
        });
    }

    /// The claims the filter keeps, in the chosen order.
    fn rows(&self, project: &Project) -> Vec<ClaimRow> {
        let document_name = |row: &ClaimRow| {
            project
                .document(row.document)
                .map_or(String::new(), |d| d.display_name().to_owned())
        };
        let filter = self.filter.to_lowercase();
        let mut rows: Vec<ClaimRow> = tables::claims(project)
            .into_iter()
            .filter(|r| self.credibility.is_none_or(|c| r.credibility == c))
            .filter(|r| {
                filter.is_empty()
                    || [
                        &r.text,
                        &r.claimant,
                        &r.stance,
                        &r.confidence,
                        &document_name(r),
                    ]
                    .iter()
                    .any(|field| field.to_lowercase().contains(&filter))
            })
            .collect();
        let (column, ascending) = self.sort;
        rows.sort_by(|a, b| {
            let order = match column {
                Column::Claimant => a.claimant.cmp(&b.claimant),
                Column::Text => a.text.cmp(&b.text),
                Column::Grading => a.credibility.cmp(&b.credibility),
                Column::Document => document_name(a).cmp(&document_name(b)),
            };
            if ascending { order } else { order.reverse() }
        });
        rows
    }

    fn claims_ui(&mut self, ui: &mut egui::Ui, project: &Project, actions: &mut Vec<Action>) {
        let document_name = |row: &ClaimRow| {
            project.document(row.document).map_or(String::new(), |d| {
                theme::ellipsize(d.display_name(), 30) + &page_of(project, row.id)
            })
        };
        let rows = self.rows(project);
        ui.weak(format!("{} claim(s)", rows.len()));
        egui::Grid::new("claims-table")
            .striped(true)
            .num_columns(4)
            .show(ui, |ui| {
                for (column, name) in [
                    (Column::Claimant, "Claimant"),
                    (Column::Text, "Claim"),
                    (Column::Grading, "Credibility"),
                    (Column::Document, "Document"),
                ] {
                    let arrow = match self.sort {
                        (c, true) if c == column => " ^",
                        (c, false) if c == column => " v",
                        _ => "",
                    };
                    if ui
                        .button(RichText::new(format!("{name}{arrow}")).strong())
                        .on_hover_text("Sort by this column (again to reverse)")
                        .clicked()
                    {
                        self.sort = (column, self.sort.0 != column || !self.sort.1);
                    }
                }
                ui.end_row();
                for row in &rows {
                    ui.label(&row.claimant);
                    if ui
                        .selectable_label(false, theme::ellipsize(&row.text, 60))
                        .on_hover_text(&row.text)
                        .clicked()
                    {
                        actions.push(Action::JumpTo(row.id));
                    }
                    let mut grading = Vec::new();
                    if !row.stance.is_empty() {
                        grading.push(row.stance.clone());
                    }
                    if row.credibility > 0 {
                        grading.push(row.credibility.to_string());
                    }
                    if !row.confidence.is_empty() {
                        grading.push(format!("{} confidence", row.confidence));
                    }
                    ui.label(grading.join(", "));
                    ui.label(document_name(row));
                    ui.end_row();
                }
            });
    }

    fn speakers_ui(&self, ui: &mut egui::Ui, project: &Project, actions: &mut Vec<Action>) {
        let filter = self.filter.to_lowercase();
        for row in tables::who_said_what(project) {
            if !filter.is_empty() && !row.speaker.to_lowercase().contains(&filter) {
                continue;
            }
            let heading = format!(
                "{}: {} quote(s) in {} document(s)",
                row.speaker,
                row.quotes.len(),
                row.documents
            );
            egui::CollapsingHeader::new(heading)
                .id_salt(("speaker", &row.speaker))
                .show(ui, |ui| {
                    for id in &row.quotes {
                        let Some(quote) = project.annotation(*id) else {
                            continue;
                        };
                        let text = format!(
                            "“{}”{}",
                            theme::ellipsize(quote.text(), 70),
                            page_of(project, *id)
                        );
                        if ui.selectable_label(false, text).clicked() {
                            actions.push(Action::JumpTo(*id));
                        }
                    }
                });
        }
    }

    /// Claims that say the same thing, cluster by cluster, side by side; the analyst
    /// confirms, splits, merges, adds to and dissolves them.
    fn clusters_ui(
        &mut self,
        ui: &mut egui::Ui,
        workspace: &Workspace,
        clusters: &mut ClaimClusters,
        actions: &mut Vec<Action>,
    ) {
        let project = workspace.project();
        let Some((found, current)) = clusters.get(ui.ctx(), workspace) else {
            ui.weak("Grouping the claims…");
            return;
        };
        let filter = self.filter.to_lowercase();
        let shown: Vec<(usize, &Cluster)> = found
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                filter.is_empty()
                    || c.members.iter().chain(&c.suggested).any(|m| {
                        m.text.to_lowercase().contains(&filter)
                            || m.claimant.to_lowercase().contains(&filter)
                    })
            })
            .collect();
        if found.is_empty() {
            ui.weak("No two claims say the same thing (by their words and the entities in them).");
        } else {
            let confirmed = found.iter().filter(|c| c.is_confirmed()).count();
            ui.weak(format!(
                "{} cluster(s) of claims that say the same thing: {confirmed} confirmed by an analyst, {} suggested by their words and entities",
                found.len(),
                found.len() - confirmed
            ));
        }
        if !current {
            ui.weak("Updating…");
        }
        // Decisions wait until the clusters are those of the project as it is.
        ui.add_enabled_ui(current, |ui| {
            for &(i, cluster) in shown.iter().take(SHOWN_CLUSTERS) {
                self.cluster_ui(ui, project, &found, (i, cluster), actions);
            }
        });
        if shown.len() > SHOWN_CLUSTERS {
            ui.weak(format!(
                "… and {} more cluster(s): filter by a word of their claims or a claimant to see them.",
                shown.len() - SHOWN_CLUSTERS
            ));
        }
        self.checked.retain(|id| {
            found
                .iter()
                .any(|c| c.members.iter().any(|m| m.annotation == *id))
        });
    }

    /// One cluster: its claims side by side, the claims suggested for it, and the
    /// analyst's decisions.
    fn cluster_ui(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        found: &[Cluster],
        (i, cluster): (usize, &Cluster),
        actions: &mut Vec<Action>,
    ) {
        let state = if cluster.is_confirmed() {
            "confirmed"
        } else {
            "suggested"
        };
        let mut heading = format!(
            "Cluster {} ({state}): {} claims in {} document(s)",
            i + 1,
            cluster.members.len(),
            cluster.documents
        );
        if cluster.contradicts {
            heading.push_str(", ");
            heading.push_str(&cluster.contradiction);
        }
        let heading = if cluster.contradicts {
            RichText::new(heading).color(ui.visuals().warn_fg_color)
        } else if cluster.is_confirmed() {
            RichText::new(heading).strong()
        } else {
            RichText::new(heading)
        };
        egui::CollapsingHeader::new(heading)
            .id_salt(("cluster", i))
            .default_open(true)
            .show(ui, |ui| {
                self.members_ui(ui, project, (i, cluster), actions);
                self.decisions_ui(ui, project, found, (i, cluster), actions);
            });
    }

    /// A cluster's claims side by side (checkable, each with its Take out), then the claims
    /// suggested for it (each with its Add).
    fn members_ui(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        (i, cluster): (usize, &Cluster),
        actions: &mut Vec<Action>,
    ) {
        egui::Grid::new(("cluster-members", i))
            .striped(true)
            .num_columns(6)
            .show(ui, |ui| {
                for m in &cluster.members {
                    let mut checked = self.checked.contains(&m.annotation);
                    let response = ui.checkbox(&mut checked, "");
                    let name = format!("Check: {}", theme::ellipsize(&m.text, 40));
                    response.widget_info(|| {
                        egui::WidgetInfo::selected(egui::Role::CheckBox, true, checked, &name)
                    });
                    if response.changed() {
                        if checked {
                            self.checked.insert(m.annotation);
                        } else {
                            self.checked.remove(&m.annotation);
                        }
                    }
                    member_row(ui, project, m, actions);
                    if claim_button(
                        ui,
                        ("Take out", "Take out"),
                        "Take this claim out of the cluster",
                        m,
                    ) {
                        actions.push(Action::SetClusters(
                            clusters::take_out(project, cluster, m.annotation),
                            "Claim taken out of the cluster",
                        ));
                    }
                    ui.end_row();
                }
                for m in &cluster.suggested {
                    if claim_button(
                        ui,
                        ("Add", "Add to cluster"),
                        "It says the same thing: add it to the cluster",
                        m,
                    ) {
                        actions.push(Action::SetClusters(
                            clusters::add(project, cluster, m.annotation),
                            "Claim added to the cluster",
                        ));
                    }
                    member_row(ui, project, m, actions);
                    ui.weak("suggested");
                    ui.end_row();
                }
            });
    }

    /// The analyst's decisions on a cluster: confirm, split off the checked claims, merge
    /// with another, dissolve.
    fn decisions_ui(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        found: &[Cluster],
        (i, cluster): (usize, &Cluster),
        actions: &mut Vec<Action>,
    ) {
        ui.horizontal_wrapped(|ui| {
            if !cluster.is_confirmed()
                && ui
                    .button("Confirm")
                    .on_hover_text("These claims say the same thing: keep them together")
                    .clicked()
            {
                actions.push(Action::SetClusters(
                    clusters::confirm(project, cluster),
                    "Cluster confirmed",
                ));
            }
            let part: BTreeSet<AnnotationId> = cluster
                .member_ids()
                .into_iter()
                .filter(|id| self.checked.contains(id))
                .collect();
            let can_split = !part.is_empty() && part.len() < cluster.members.len();
            if ui
                .add_enabled(can_split, egui::Button::new("Split off the checked"))
                .on_hover_text("The checked claims become a cluster of their own")
                .clicked()
            {
                actions.push(Action::SetClusters(
                    clusters::split(project, cluster, &part),
                    "Cluster split",
                ));
                self.checked.clear();
            }
            ui.menu_button("Merge with…", |ui| {
                for (j, other) in found.iter().enumerate() {
                    if j == i {
                        continue;
                    }
                    let first = other.members.first().map_or("", |m| m.text.as_str());
                    let text = format!("Cluster {}: {}", j + 1, theme::ellipsize(first, 40));
                    if ui.button(text).clicked() {
                        actions.push(Action::SetClusters(
                            clusters::merge(project, cluster, other),
                            "Clusters merged",
                        ));
                    }
                }
            });
            if cluster.is_confirmed()
                && ui
                    .button("Dissolve")
                    .on_hover_text("Leave these claims to the automatic grouping again")
                    .clicked()
            {
                actions.push(Action::SetClusters(
                    clusters::dissolve(cluster),
                    "Cluster dissolved",
                ));
            }
        });
    }
}

/// A small button acting on one claim, named for screen readers (and tests) by `action`
/// and the claim ("Take out: Troops were…"); true when clicked.
fn claim_button(ui: &mut egui::Ui, (text, action): (&str, &str), hover: &str, m: &Member) -> bool {
    let name = format!("{action}: {}", theme::ellipsize(&m.text, 40));
    let response = ui.small_button(text).on_hover_text(hover);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
    response.clicked()
}

/// A claim of a cluster: its document, outlet and date, claimant, stance and grading,
/// and its text (a click shows it in the text).
fn member_row(ui: &mut egui::Ui, project: &Project, m: &Member, actions: &mut Vec<Action>) {
    let source = project
        .document(m.document)
        .map_or(String::new(), |d| d.source_line(28));
    ui.label(source);
    ui.label(&m.claimant);
    ui.label(m.stance_and_grading());
    if ui
        .selectable_label(false, theme::ellipsize(&m.text, 60))
        .on_hover_text(&m.text)
        .clicked()
    {
        actions.push(Action::JumpTo(m.annotation));
    }
}

/// ", p. N" for an annotation of a paged document (a PDF), else nothing.
fn page_of(project: &Project, id: crate::model::AnnotationId) -> String {
    project
        .annotation(id)
        .and_then(|a| project.document(a.document)?.page_label(a.span))
        .map(|page| format!(", p. {page}"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_sort_by_a_column_both_ways_and_filter_by_text_or_claimant() {
        let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("projects/us-allies-missile-defence.ron");
        let project = crate::store::load(&sample).expect("sample");
        let mut window = TablesWindow::new(Tab::Claims);
        window.sort = (Column::Grading, true);
        let grades: Vec<u8> = window
            .rows(&project)
            .iter()
            .map(|r| r.credibility)
            .collect();
        assert!(grades.windows(2).all(|w| w[0] <= w[1]), "{grades:?}");
        assert!(grades.first() < grades.last());
        window.sort = (Column::Grading, false);
        let grades: Vec<u8> = window
            .rows(&project)
            .iter()
            .map(|r| r.credibility)
            .collect();
        assert!(grades.windows(2).all(|w| w[0] >= w[1]), "{grades:?}");
        window.filter = "cronin".to_owned();
        let rows = window.rows(&project);
        assert!(!rows.is_empty());
        assert!(rows.iter().all(|r| r.claimant == "Patrick Cronin" || r.text.to_lowercase().contains("cronin")));
    }
}
