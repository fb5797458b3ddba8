//! View > Overview: the whole project in pictures, docked beside the text (or below it).
//! Each document's progress, label frequencies, the grading distributions, the most quoted
//! speakers, the document × entity heat map and the timeline of dated articles, all under
//! one filter (labels, analysts, documents, dates). A click on a bar, tile, point or on
//! the figure written under each chart lists the passages it counts; a click on a passage
//! shows it in the text.
//!
//! The figures come from [`crate::model::overview`] on a worker (a snapshot of the
//! project), asked again whenever the project or the filter changes; a chosen mark's
//! passages on a worker of their own (a click does not count everything again).

use std::collections::BTreeSet;

use eframe::egui::{self, Color32, Ui};
use egui_plot::{Bar, BarChart, Heatmap, HoverPosition, Plot, PlotResponse, Points};

use super::command::{Action, Command};
use super::network_view::{Clicked, NetworkView};
use super::worker::Worker;
use crate::model::network::{self, Scope};
use crate::model::overview::{self, Filter, Mark, Overview};
use crate::model::{AnnotationId, EntityId, LabelId, Project};
use crate::workspace::Workspace;

/// Entities (columns) and documents (rows) the heat map shows at most.
const MATRIX_COLUMNS: usize = 20;
const MATRIX_ROWS: usize = 40;
/// Speakers the chart shows.
const SPEAKER_BARS: usize = 10;

/// What the passages listed stand for.
#[derive(Clone, Debug, PartialEq)]
enum Chosen {
    /// A mark of a chart, or an entity of the network.
    Mark(Mark),
    /// A line of the network.
    Edge {
        ends: (EntityId, EntityId),
        relation: Option<String>,
        scope: Scope,
    },
}

/// What the shown figures were computed for.
#[derive(Clone, Debug, PartialEq)]
struct FiguresKey {
    generation: (u64, u64),
    filter: Filter,
}

/// What the listed passages were found for: the figures' key and the mark chosen.
#[derive(Clone, Debug, PartialEq)]
struct Key {
    figures: FiguresKey,
    chosen: Chosen,
}

/// The overview's two tabs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    #[default]
    Charts,
    Network,
}

/// The overview while it is open.
#[derive(Default)]
pub struct OverviewView {
    /// Docked below the text instead of beside it.
    pub at_bottom: bool,
    /// True once placed: beside the text where the window is wide enough, else below.
    placed: bool,
    filter: Filter,
    /// The date fields as typed.
    from: String,
    to: String,
    /// What the listed passages stand for, with its caption.
    chosen: Option<(String, Chosen)>,
    /// The figures, and their worker; the passages of the chosen mark, and theirs (a click
    /// on a mark finds its passages without counting everything again).
    figures: Option<(FiguresKey, Overview)>,
    figures_worker: Worker<FiguresKey, Overview>,
    passages: Option<(Key, Vec<AnnotationId>)>,
    passages_worker: Worker<Key, Vec<AnnotationId>>,
    pub tab: Tab,
    network: NetworkView,
}

impl OverviewView {
    /// Places the overview on its first showing: beside the text when the text keeps
    /// `central_width` wide enough for reading, else below it.
    pub fn place(&mut self, central_width: f32) {
        if !std::mem::replace(&mut self.placed, true) {
            self.at_bottom = central_width < 1100.0;
        }
    }

    /// The network tab.
    pub fn network(&self) -> &NetworkView {
        &self.network
    }

    /// True while figures are being computed (or the network laid out).
    pub fn is_computing(&self) -> bool {
        self.figures_worker.is_running()
            || self.passages_worker.is_running()
            || (self.tab == Tab::Network && self.network.is_busy())
    }

    /// The passages listed for the chosen mark (empty when none is chosen, or while they
    /// are being found).
    pub fn passages(&self) -> &[AnnotationId] {
        let chosen = self.chosen.as_ref().map(|(_, c)| c);
        self.passages
            .as_ref()
            .filter(|(key, _)| Some(&key.chosen) == chosen)
            .map_or(&[], |(_, p)| p.as_slice())
    }

    /// Asks for new figures if the project or the filter changed since the shown ones were
    /// computed, and for the chosen mark's passages if it changed too.
    fn refresh(&mut self, ctx: &egui::Context, workspace: &Workspace) {
        let figures = FiguresKey {
            generation: workspace.generation(),
            filter: self.filter.clone(),
        };
        // While a job runs, nothing is asked (nor the project copied each frame).
        if self.figures.as_ref().is_none_or(|(k, _)| *k != figures)
            && !self.figures_worker.is_running()
        {
            let project: Project = workspace.project().clone();
            let filter = figures.filter.clone();
            self.figures_worker.ask(figures.clone(), ctx, move || {
                overview::compute(&project, &filter)
            });
        }
        let Some((_, chosen)) = &self.chosen else {
            return;
        };
        let key = Key {
            figures,
            chosen: chosen.clone(),
        };
        if self.passages.as_ref().is_some_and(|(k, _)| *k == key)
            || self.passages_worker.is_running()
        {
            return;
        }
        let project: Project = workspace.project().clone();
        let (filter, chosen) = (key.figures.filter.clone(), key.chosen.clone());
        let texts = match &chosen {
            Chosen::Edge { scope, .. } if scope.needs_text() => {
                super::network_view::loaded_texts(workspace)
            }
            _ => std::collections::HashMap::new(),
        };
        self.passages_worker.ask(key, ctx, move || match chosen {
            Chosen::Mark(mark) => overview::passages(&project, &filter, &mark),
            Chosen::Edge {
                ends,
                relation,
                scope,
            } => network::edge_passages(
                &project,
                &filter,
                scope,
                |id| texts.get(&id).map(|t| network::unit_starts(t, scope)),
                ends,
                relation.as_deref(),
            ),
        });
    }

    /// Draws the overview (its Close button asks for View > Overview to be toggled).
    pub fn ui(&mut self, ui: &mut Ui, workspace: &Workspace, actions: &mut Vec<Action>) {
        if let Some(figures) = self.figures_worker.take() {
            self.figures = Some(figures);
        }
        if let Some(passages) = self.passages_worker.take() {
            self.passages = Some(passages);
        }
        self.refresh(ui.ctx(), workspace);
        ui.horizontal(|ui| {
            ui.heading("Overview");
            if self.figures_worker.is_running() || self.passages_worker.is_running() {
                ui.spinner();
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Close").clicked() {
                    actions.push(Action::Run(Command::ToggleOverview));
                }
                let (text, tip) = if self.at_bottom {
                    ("Dock beside", "Show the overview beside the text")
                } else {
                    ("Dock below", "Show the overview below the text")
                };
                if ui.button(text).on_hover_text(tip).clicked() {
                    self.at_bottom = !self.at_bottom;
                }
            });
        });
        self.filter_ui(ui, workspace.project());
        ui.horizontal(|ui| {
            ui.selectable_value(&mut self.tab, Tab::Charts, "Charts");
            ui.selectable_value(&mut self.tab, Tab::Network, "Network");
        });
        ui.separator();
        let Some((_, overview)) = &self.figures else {
            ui.label("Counting…");
            // The panel keeps the size of its first frame's contents: fill it.
            ui.allocate_space(ui.available_size());
            self.refresh(ui.ctx(), workspace);
            return;
        };
        let mut clicked = None;
        let project = workspace.project();
        if let Some((caption, chosen)) = &self.chosen {
            // The passages shown are those of the mark chosen, never the last one's.
            let passages = self
                .passages
                .as_ref()
                .filter(|(key, _)| key.chosen == *chosen)
                .map(|(_, p)| p.as_slice());
            let cleared = passages_ui(ui, project, caption, passages, actions);
            if cleared {
                clicked = Some(None);
            }
            ui.separator();
        }
        match self.tab {
            Tab::Charts => {
                egui::ScrollArea::vertical()
                    .id_salt("overview-charts")
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        if let Some((caption, mark)) = charts_ui(ui, project, overview) {
                            clicked = Some(Some((caption, Chosen::Mark(mark))));
                        }
                    });
            }
            Tab::Network => {
                let scope = self.network.scope;
                clicked = match self.network.ui(ui, workspace, &self.filter) {
                    Some(Clicked::Entity(entity, name)) => Some(Some((
                        format!("Mentions of {name}"),
                        Chosen::Mark(Mark::Entity(entity)),
                    ))),
                    Some(Clicked::Edge {
                        ends,
                        names: (a, b),
                        relation,
                    }) => Some(Some((
                        match &relation {
                            Some(kind) => format!("{a} — {b}: {kind}"),
                            None => format!("{a} and {b} in one {}", scope.name()),
                        },
                        Chosen::Edge {
                            ends,
                            relation,
                            scope,
                        },
                    ))),
                    None => clicked,
                };
            }
        }
        if let Some(chosen) = clicked {
            self.chosen = chosen;
        }
        // At once, so that the frame after a click already waits for its figures.
        self.refresh(ui.ctx(), workspace);
    }

    fn filter_ui(&mut self, ui: &mut Ui, project: &Project) {
        ui.horizontal_wrapped(|ui| {
            let labels: Vec<(LabelId, String)> = project
                .schema
                .labels
                .iter()
                .map(|l| (l.id.clone(), l.name.clone()))
                .collect();
            choice_menu(ui, "Labels", &labels, &mut self.filter.labels);
            let analysts: Vec<(String, String)> = project
                .analysts()
                .map(|a| (a.to_owned(), a.to_owned()))
                .collect();
            if !analysts.is_empty() {
                choice_menu(ui, "Analysts", &analysts, &mut self.filter.analysts);
            }
            let documents: Vec<_> = project
                .documents()
                .iter()
                .map(|d| (d.id, d.display_name().to_owned()))
                .collect();
            choice_menu(ui, "Documents", &documents, &mut self.filter.documents);
            date_field(ui, "From", &mut self.from, &mut self.filter.from);
            date_field(ui, "To", &mut self.to, &mut self.filter.to);
            if !self.filter.is_everything() && ui.button("Show everything").clicked() {
                self.filter = Filter::default();
                self.from.clear();
                self.to.clear();
            }
        });
    }
}

/// A menu of checkboxes choosing some of `items`; an empty choice means all of them.
fn choice_menu<T: Ord + Clone>(
    ui: &mut Ui,
    what: &str,
    items: &[(T, String)],
    chosen: &mut BTreeSet<T>,
) {
    let title = if chosen.is_empty() {
        format!("{what}: all")
    } else {
        format!("{what}: {} of {}", chosen.len(), items.len())
    };
    ui.menu_button(title, |ui| {
        egui::ScrollArea::vertical()
            .max_height(320.0)
            .show(ui, |ui| {
                for (value, name) in items {
                    let mut on = chosen.is_empty() || chosen.contains(value);
                    if ui.checkbox(&mut on, name).changed() {
                        if chosen.is_empty() {
                            chosen.extend(items.iter().map(|(v, _)| v.clone()));
                        }
                        if on {
                            chosen.insert(value.clone());
                        } else {
                            chosen.remove(value);
                        }
                        if chosen.len() == items.len() {
                            chosen.clear();
                        }
                    }
                }
            });
    });
}

/// A date typed as `YYYY-MM-DD`; empty for no bound. A date that does not read is shown
/// as such and leaves the bound as it was.
fn date_field(ui: &mut Ui, what: &str, text: &mut String, date: &mut Option<jiff::civil::Date>) {
    ui.label(what);
    let field = ui.add(
        egui::TextEdit::singleline(text)
            .hint_text("YYYY-MM-DD")
            .desired_width(86.0),
    );
    field.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::TextInput, true, format!("{what} date"))
    });
    let typed = text.trim();
    if typed.is_empty() {
        *date = None;
    } else if let Ok(parsed) = typed.parse() {
        *date = Some(parsed);
    } else {
        ui.colored_label(ui.visuals().error_fg_color, "not a date (YYYY-MM-DD)");
    }
}

/// The passages of the chosen mark; true if the analyst cleared the choice.
fn passages_ui(
    ui: &mut Ui,
    project: &Project,
    caption: &str,
    passages: Option<&[AnnotationId]>,
    actions: &mut Vec<Action>,
) -> bool {
    let mut cleared = false;
    ui.horizontal(|ui| {
        match passages {
            Some(passages) => ui.strong(format!("{caption}: {} passage(s)", passages.len())),
            None => ui.strong(format!("{caption}: counting…")),
        };
        if ui.small_button("Clear").clicked() {
            cleared = true;
        }
    });
    let passages = passages.unwrap_or_default();
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    egui::ScrollArea::vertical()
        .id_salt("overview-passages")
        .max_height(180.0)
        .auto_shrink([false, true])
        .show_rows(ui, row_height, passages.len(), |ui, rows| {
            for id in &passages[rows] {
                let Some(a) = project.annotation(*id) else {
                    continue;
                };
                let document = project
                    .document(a.document)
                    .map(|d| d.display_name().to_owned())
                    .unwrap_or_default();
                let text = crate::model::text::ellipsize(&a.marked_text(), 80);
                if ui
                    .selectable_label(false, format!("{document} · “{text}”"))
                    .on_hover_text("Show it in the text")
                    .clicked()
                {
                    actions.push(Action::JumpTo(*id));
                }
            }
        });
    cleared
}

/// The mark a click chose, with its caption.
type Pick = Option<(String, Mark)>;

/// A value written under a chart: a button choosing its mark.
fn figure(ui: &mut Ui, text: String, caption: String, mark: Mark, pick: &mut Pick) {
    if ui.small_button(text).clicked() {
        *pick = Some((caption, mark));
    }
}

/// The bars of a chart, one per name; the index of the bar clicked.
fn bar_chart(
    ui: &mut Ui,
    id: &str,
    bars: &[(String, f64, Color32)],
    horizontal: bool,
) -> Option<usize> {
    let names: Vec<String> = bars.iter().map(|(n, _, _)| n.clone()).collect();
    let chart_bars: Vec<Bar> = bars
        .iter()
        .enumerate()
        .map(|(i, (name, value, color))| {
            let bar = Bar::new(position(i, bars.len(), horizontal), *value)
                .name(name)
                .fill(*color);
            if horizontal { bar.horizontal() } else { bar }
        })
        .collect();
    let chart = BarChart::new(id, chart_bars).width(0.7);
    let chart = if horizontal {
        chart.horizontal()
    } else {
        chart
    };
    let count = names.len();
    // Axis marks fall between bars too: only a bar's own place is named.
    let name_of = move |value: f64| {
        bar_at(value, count, horizontal, 0.01)
            .and_then(|i| names.get(i).cloned())
            .unwrap_or_default()
    };
    let height = if horizontal {
        float32(bars.len()).mul_add(20.0, 30.0)
    } else {
        150.0
    };
    let plot = Plot::new(id)
        .height(height)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .show_grid(false);
    // A mark at every bar, so that every bar is named.
    let every_bar = || egui_plot::uniform_grid_spacer(|_| [1.0, 5.0, 10.0]);
    // Names shown however close the bars (the plot would thin them out).
    let names_axis = |axis: egui_plot::AxisHints<'static>| {
        axis.formatter(move |mark, _| name_of(mark.value))
            .label_spacing(0.0..=1.0)
    };
    let plot = plot.grid_spacing(2.0..=300.0);
    let plot = if horizontal {
        plot.custom_y_axes(vec![names_axis(egui_plot::AxisHints::new_y())])
            .y_grid_spacer(every_bar())
            .include_x(0.0)
    } else {
        plot.custom_x_axes(vec![names_axis(egui_plot::AxisHints::new_x())])
            .x_grid_spacer(every_bar())
            .include_y(0.0)
    };
    let response = plot.show(ui, |p| p.bar_chart(chart));
    let at = clicked_at(&response)?;
    bar_at(
        if horizontal { at.y } else { at.x },
        bars.len(),
        horizontal,
        0.4,
    )
}

/// The bar of `n` standing at `value` on the chart's axis of bars, within `reach` of its
/// middle (see [`position`]).
fn bar_at(value: f64, n: usize, horizontal: bool, reach: f64) -> Option<usize> {
    let place = value.round();
    if place < 0.0 || (value - place).abs() > reach {
        return None;
    }
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "rounded, not negative, compared with n below"
    )]
    let place = place as usize;
    let i = if horizontal {
        n.checked_sub(1)?.checked_sub(place)?
    } else {
        place
    };
    (i < n).then_some(i)
}

/// Where bar `i` of `n` stands (horizontal charts list the first at the top).
fn position(i: usize, n: usize, horizontal: bool) -> f64 {
    let i = if horizontal { n - 1 - i } else { i };
    #[expect(clippy::cast_precision_loss, reason = "a small bar index")]
    let i = i as f64;
    i
}

/// The plot position of a click on a plot.
fn clicked_at<R>(response: &PlotResponse<R>) -> Option<egui_plot::PlotPoint> {
    if !response.response.clicked() {
        return None;
    }
    let pos = response.response.interact_pointer_pos()?;
    Some(response.transform.value_from_position(pos))
}

#[expect(clippy::cast_precision_loss, reason = "counts far below 2^52")]
fn float(n: usize) -> f64 {
    n as f64
}

#[expect(clippy::cast_precision_loss, reason = "a few bars or rows")]
fn float32(n: usize) -> f32 {
    n as f32
}

/// Every chart of the overview; the mark clicked, if any.
fn charts_ui(ui: &mut Ui, project: &Project, o: &Overview) -> Option<(String, Mark)> {
    let mut pick: Pick = None;
    ui.label(format!(
        "{} document(s), {} annotation(s)",
        o.documents.len(),
        o.annotations
    ));
    egui::CollapsingHeader::new("Documents")
        .default_open(true)
        .show(ui, |ui| documents_ui(ui, o, &mut pick));
    egui::CollapsingHeader::new("Labels")
        .default_open(true)
        .show(ui, |ui| {
            let bars: Vec<_> = o
                .labels
                .iter()
                .map(|l| {
                    (
                        l.name.clone(),
                        float(l.count),
                        super::theme::color_of_label(&project.schema, &l.id),
                    )
                })
                .collect();
            if let Some(i) = bar_chart(ui, "overview-labels", &bars, false) {
                let l = &o.labels[i];
                let mark = Mark::Label(LabelId(l.id.as_str().into()));
                pick = Some((format!("Label {}", l.name), mark));
            }
            ui.horizontal_wrapped(|ui| {
                for l in &o.labels {
                    let mark = Mark::Label(LabelId(l.id.as_str().into()));
                    figure(
                        ui,
                        format!("{} {}", l.name, l.count),
                        format!("Label {}", l.name),
                        mark,
                        &mut pick,
                    );
                }
            });
            if !o.analysts.is_empty() {
                ui.horizontal_wrapped(|ui| {
                    ui.label("By analyst:");
                    for a in &o.analysts {
                        let mark = Mark::Analyst(a.name.clone());
                        figure(
                            ui,
                            format!("{} {}", a.name, a.count),
                            format!("Analyst {}", a.name),
                            mark,
                            &mut pick,
                        );
                    }
                });
            }
        });
    egui::CollapsingHeader::new("Grading")
        .default_open(true)
        .show(ui, |ui| grading_ui(ui, o, &mut pick));
    egui::CollapsingHeader::new("Top speakers")
        .default_open(true)
        .show(ui, |ui| speakers_ui(ui, o, &mut pick));
    egui::CollapsingHeader::new("Documents × entities")
        .default_open(true)
        .show(ui, |ui| matrix_ui(ui, project, o, &mut pick));
    egui::CollapsingHeader::new("Timeline")
        .default_open(true)
        .show(ui, |ui| timeline_ui(ui, o, &mut pick));
    pick
}

fn documents_ui(ui: &mut Ui, o: &Overview, pick: &mut Pick) {
    let by_status = |status: &str| o.documents.iter().filter(|d| d.status == status).count();
    ui.label(format!(
        "To do {} · In progress {} · Done {}",
        by_status("to do"),
        by_status("in progress"),
        by_status("done")
    ));
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    egui::ScrollArea::vertical()
        .id_salt("overview-documents")
        .max_height(200.0)
        .auto_shrink([false, true])
        .show_rows(ui, row_height, o.documents.len(), |ui, rows| {
            for d in &o.documents[rows] {
                ui.horizontal(|ui| {
                    let text = format!(
                        "{} ({})",
                        crate::model::text::ellipsize(&d.title, 48),
                        d.annotations
                    );
                    figure(ui, text, d.title.clone(), Mark::Document(d.id), pick);
                    ui.weak(d.status);
                    if let Some(date) = &d.date {
                        ui.weak(date);
                    }
                    if !d.analysts.is_empty() {
                        ui.weak(d.analysts.join(", "));
                    }
                });
            }
        });
}

fn grading_ui(ui: &mut Ui, o: &Overview, pick: &mut Pick) {
    let grey = Color32::from_gray(140);
    let scale = |counts: &[overview::Count], color: Color32| -> Vec<(String, f64, Color32)> {
        counts
            .iter()
            .map(|c| {
                let color = if c.name == "ungraded" { grey } else { color };
                (c.name.clone(), float(c.count), color)
            })
            .collect()
    };
    ui.columns(2, |columns| {
        columns[0].label("Source reliability (quotes and claims)");
        let bars = scale(&o.reliability, Color32::from_rgb(0, 114, 178));
        let reliability_mark =
            |i: usize| Mark::Reliability(crate::model::Reliability::ALL.get(i).copied());
        if let Some(i) = bar_chart(&mut columns[0], "overview-reliability", &bars, false) {
            *pick = Some((
                format!("Reliability {}", o.reliability[i].name),
                reliability_mark(i),
            ));
        }
        columns[0].horizontal_wrapped(|ui| {
            for (i, c) in o.reliability.iter().enumerate() {
                figure(
                    ui,
                    format!("{} {}", c.name, c.count),
                    format!("Reliability {}", c.name),
                    reliability_mark(i),
                    pick,
                );
            }
        });
        columns[1].label("Claim credibility");
        let bars = scale(&o.credibility, Color32::from_rgb(213, 94, 0));
        let credibility_mark =
            |i: usize| Mark::Credibility(u8::try_from(i + 1).ok().filter(|g| *g <= 6));
        if let Some(i) = bar_chart(&mut columns[1], "overview-credibility", &bars, false) {
            *pick = Some((
                format!("Credibility {}", o.credibility[i].name),
                credibility_mark(i),
            ));
        }
        columns[1].horizontal_wrapped(|ui| {
            for (i, c) in o.credibility.iter().enumerate() {
                figure(
                    ui,
                    format!("{} {}", c.name, c.count),
                    format!("Credibility {}", c.name),
                    credibility_mark(i),
                    pick,
                );
            }
        });
    });
}

fn speakers_ui(ui: &mut Ui, o: &Overview, pick: &mut Pick) {
    if o.speakers.is_empty() {
        ui.weak("No quotes counted.");
        return;
    }
    let shown = &o.speakers[..o.speakers.len().min(SPEAKER_BARS)];
    let bars: Vec<_> = shown
        .iter()
        .map(|s| {
            (
                crate::model::text::ellipsize(&s.name, 28),
                float(s.quotes),
                Color32::from_rgb(0, 114, 178),
            )
        })
        .collect();
    if let Some(i) = bar_chart(ui, "overview-speakers", &bars, true) {
        *pick = Some((
            format!("Quotes of {}", shown[i].name),
            Mark::Speaker(shown[i].name.clone()),
        ));
    }
    ui.horizontal_wrapped(|ui| {
        for s in &o.speakers {
            figure(
                ui,
                format!("{} {}", s.name, s.quotes),
                format!("Quotes of {}", s.name),
                Mark::Speaker(s.name.clone()),
                pick,
            );
        }
    });
}

fn matrix_ui(ui: &mut Ui, project: &Project, overview: &Overview, pick: &mut Pick) {
    let matrix = &overview.matrix;
    if matrix.entities.is_empty() {
        ui.weak("No entity mentions linked to the registry.");
        return;
    }
    let cols = matrix.entities.len().min(MATRIX_COLUMNS);
    let rows = matrix.documents.len().min(MATRIX_ROWS);
    ui.weak(format!(
        "The {cols} most mentioned entities (of {}) in {rows} document(s) (of {}); hover a tile for its names, click it for its passages.",
        matrix.entities.len(),
        matrix.documents.len()
    ));
    let mut values = vec![0.0; rows * cols];
    for &(row, column, n) in &matrix.cells {
        if row < rows && column < cols {
            // The first document at the top.
            values[(rows - 1 - row) * cols + column] = float(n);
        }
    }
    let titles: Vec<String> = matrix.documents[..rows]
        .iter()
        .map(|id| {
            project
                .document(*id)
                .map(|d| d.display_name().to_owned())
                .unwrap_or_default()
        })
        .collect();
    let names: Vec<String> = matrix.entities[..cols]
        .iter()
        .map(|e| e.name.clone())
        .collect();
    let tile = |at: egui_plot::PlotPoint| -> Option<(usize, usize)> {
        if at.x < 0.0 || at.y < 0.0 {
            return None;
        }
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "a small tile index"
        )]
        let (column, y) = (at.x.floor() as usize, at.y.floor() as usize);
        (column < cols && y < rows).then(|| (rows - 1 - y, column))
    };
    let hover_titles = titles.clone();
    let hover_names = names.clone();
    let counts = values.clone();
    let most = values.iter().copied().fold(1.0, f64::max);
    let map = Heatmap::new(values, cols)
        .show_labels(cols * rows <= 200)
        .formatter(Box::new(|v| {
            if v > 0.0 {
                format!("{v:.0}")
            } else {
                String::new()
            }
        }))
        .custom_mapping(Box::new(move |v| heat(v, most)));
    let plot = Plot::new("overview-matrix")
        .height(float32(rows).mul_add(18.0, 40.0).min(480.0))
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .show_grid(false)
        .show_axes(false)
        .label_formatter(move |hover| {
            let (row, column) = match hover {
                HoverPosition::NearDataPoint { index, .. } => {
                    (rows - 1 - index / cols, index % cols)
                }
                HoverPosition::Elsewhere { position } => tile(*position)?,
            };
            let n = counts[(rows - 1 - row) * cols + column];
            Some(format!(
                "{} — {}: {n}",
                hover_titles[row], hover_names[column]
            ))
        });
    let response = plot.show(ui, |p| p.heatmap(map));
    if let Some((row, column)) = clicked_at(&response).and_then(tile) {
        *pick = Some((
            format!("{} in {}", names[column], titles[row]),
            Mark::Cell(matrix.documents[row], matrix.entities[column].id),
        ));
    }
    ui.horizontal_wrapped(|ui| {
        ui.label("Entities:");
        for e in &matrix.entities[..cols] {
            figure(
                ui,
                format!("{} {}", e.name, e.mentions),
                format!("Mentions of {}", e.name),
                Mark::Entity(e.id),
                pick,
            );
        }
    });
}

fn timeline_ui(ui: &mut Ui, o: &Overview, pick: &mut Pick) {
    if o.timeline.is_empty() {
        ui.weak("No document has a publication date.");
        return;
    }
    let epoch = jiff::civil::date(1970, 1, 1);
    let day = |date: &str| -> f64 {
        date.parse::<jiff::civil::Date>()
            .ok()
            .map_or(0.0, |d| f64::from((d - epoch).get_days()))
    };
    let points: Vec<[f64; 2]> = o
        .timeline
        .iter()
        .map(|t| [day(&t.date), float(t.claims)])
        .collect();
    let xs: Vec<f64> = points.iter().map(|p| p[0]).collect();
    let hover: Vec<String> = o
        .timeline
        .iter()
        .map(|t| format!("{} — {} ({} claim(s))", t.date, t.title, t.claims))
        .collect();
    let hover_xs = xs.clone();
    let plot = Plot::new("overview-timeline")
        .height(140.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .include_y(0.0)
        .x_axis_formatter(move |mark, _| {
            #[expect(clippy::cast_possible_truncation, reason = "days since 1970")]
            let days = mark.value.round() as i64;
            epoch
                .checked_add(jiff::Span::new().days(days))
                .map(|d| d.to_string())
                .unwrap_or_default()
        })
        .label_formatter(move |at| {
            let i = match at {
                HoverPosition::NearDataPoint { index, .. } => *index,
                HoverPosition::Elsewhere { position } => nearest(&hover_xs, position.x)?,
            };
            hover.get(i).cloned()
        });
    let response = plot.show(ui, |p| {
        p.points(
            Points::new("documents", points)
                .radius(5.0)
                .color(Color32::from_rgb(184, 160, 0)),
        );
    });
    if let Some(i) = clicked_at(&response).and_then(|at| nearest(&xs, at.x)) {
        let t = &o.timeline[i];
        *pick = Some((format!("Claims of {}", t.title), Mark::Claims(t.document)));
    }
    for t in &o.timeline {
        ui.horizontal_wrapped(|ui| {
            figure(
                ui,
                format!("{} · {} · {} claim(s)", t.date, t.title, t.claims),
                format!("Claims of {}", t.title),
                Mark::Claims(t.document),
                pick,
            );
            if !t.events.is_empty() {
                ui.weak(format!("Events: {}", t.events.join(", ")));
            }
        });
    }
}

/// A tile's colour: none for no mention, then from a pale to a strong blue.
fn heat(value: f64, most: f64) -> Color32 {
    if value <= 0.0 {
        return Color32::from_gray(40);
    }
    #[expect(clippy::cast_possible_truncation, reason = "a fraction in [0, 1]")]
    let t = (value / most).clamp(0.0, 1.0) as f32;
    let pale = Color32::from_rgb(170, 210, 240);
    let strong = Color32::from_rgb(0, 90, 160);
    pale.lerp_to_gamma(strong, t)
}

/// The index of the value of `xs` nearest to `x`.
fn nearest(xs: &[f64], x: f64) -> Option<usize> {
    xs.iter()
        .enumerate()
        .min_by(|a, b| (a.1 - x).abs().total_cmp(&(b.1 - x).abs()))
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_passages_listed_are_the_chosen_marks_never_the_last_ones() {
        let (first, second) = (
            Chosen::Mark(Mark::Label(LabelId("claim".into()))),
            Chosen::Mark(Mark::Label(LabelId("quote".into()))),
        );
        let mut view = OverviewView {
            passages: Some((
                Key {
                    figures: FiguresKey {
                        generation: (0, 0),
                        filter: Filter::default(),
                    },
                    chosen: first.clone(),
                },
                vec![AnnotationId(7)],
            )),
            chosen: Some(("Label Claim".to_owned(), first)),
            ..OverviewView::default()
        };
        assert_eq!(view.passages(), [AnnotationId(7)]);
        // Another mark clicked, its passages not counted yet.
        view.chosen = Some(("Label Quote".to_owned(), second));
        assert!(view.passages().is_empty());
    }

    #[test]
    fn a_chosen_mark_finds_its_passages_without_counting_everything_again() {
        let workspace = Workspace::untitled();
        let ctx = egui::Context::default();
        let mut view = OverviewView::default();
        view.refresh(&ctx, &workspace);
        assert!(view.figures_worker.is_running() && !view.passages_worker.is_running());
        while view.figures.is_none() {
            std::thread::sleep(std::time::Duration::from_millis(1));
            view.figures = view.figures_worker.take();
        }
        view.chosen = Some((
            "Label Claim".to_owned(),
            Chosen::Mark(Mark::Label(LabelId("claim".into()))),
        ));
        view.refresh(&ctx, &workspace);
        assert!(!view.figures_worker.is_running(), "the figures stand");
        assert!(view.passages_worker.is_running());
    }

    #[test]
    fn a_click_on_a_chart_finds_the_bar_it_is_on() {
        for horizontal in [false, true] {
            for i in 0..5 {
                let at = position(i, 5, horizontal);
                assert_eq!(bar_at(at + 0.3, 5, horizontal, 0.4), Some(i));
                assert_eq!(bar_at(at - 0.3, 5, horizontal, 0.4), Some(i));
            }
            assert_eq!(bar_at(2.5, 5, horizontal, 0.4), None, "between two bars");
            assert_eq!(bar_at(-1.0, 5, horizontal, 0.4), None);
            assert_eq!(bar_at(5.0, 5, horizontal, 0.4), None);
        }
        // The first speaker is drawn at the top.
        assert_eq!(bar_at(4.0, 5, true, 0.4), Some(0));
        assert_eq!(nearest(&[10.0, 20.0, 30.0], 24.0), Some(1));
        assert_eq!(nearest(&[], 24.0), None);
    }
}
