//! The entity network tab of View > Overview: entities as circles (size = mentions,
//! colour = kind), lines between entities mentioned in one sentence, paragraph or
//! document (thicker = more places) and the analyst's relations (coloured, named on
//! hover). The layout settles a few milliseconds per frame; drag the background to pan,
//! scroll to zoom, drag a circle to move it; a click on a circle or a line lists its
//! passages.
//!
//! The network is built on a worker ([`crate::model::network`]); the layout is
//! [`crate::model::layout`].

use std::collections::HashMap;
use std::sync::Arc;

use eframe::egui::{self, Color32, Pos2, Rect, Sense, Stroke, Ui, Vec2};

use super::worker::Worker;
use crate::model::layout::Layout;
use crate::model::network::{self, Network, Scope};
use crate::model::overview::Filter;
use crate::model::{DocText, DocumentId, EntityId, Project};
use crate::workspace::{DocumentState, Workspace};

/// How long the layout may run per frame.
const LAYOUT_BUDGET: std::time::Duration = std::time::Duration::from_millis(6);
/// Names written beside their circles at most (the rest on hover).
const NAMED: usize = 40;
/// Lines drawn at most, the heaviest (the network lists them heaviest first).
const DRAWN_LINES: usize = 4_000;

/// What the network was built for.
#[derive(Clone, Debug, PartialEq)]
struct Key {
    generation: (u64, u64),
    /// Texts read lazily so far (a sentence or paragraph needs its document's text).
    texts_read: u64,
    filter: Filter,
    scope: Scope,
}

/// What a click on the network chose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Clicked {
    Entity(EntityId, String),
    /// Two entities' line: co-occurrence (`None`) or a relation's kind.
    Edge {
        ends: (EntityId, EntityId),
        names: (String, String),
        relation: Option<String>,
    },
}

/// The network tab's state.
pub struct NetworkView {
    pub scope: Scope,
    /// Lines of fewer places are hidden.
    min_weight: usize,
    shown: Option<(Key, Arc<Network>)>,
    layout: Option<Layout>,
    worker: Worker<Key, Network>,
    /// Pan (screen points) and zoom (screen points per layout unit).
    offset: Vec2,
    zoom: f32,
    /// True until the analyst pans or zooms: the picture is fitted to the panel.
    fitting: bool,
    dragging: Option<usize>,
    /// Where the circles were drawn last frame (for tests and clicks).
    drawn: Vec<Pos2>,
}

impl Default for NetworkView {
    fn default() -> Self {
        Self {
            scope: Scope::Sentence,
            min_weight: 1,
            shown: None,
            layout: None,
            worker: Worker::default(),
            offset: Vec2::ZERO,
            zoom: 1.0,
            fitting: true,
            dragging: None,
            drawn: Vec::new(),
        }
    }
}

/// The loaded texts of the project's documents (shared, not copied).
pub fn loaded_texts(workspace: &Workspace) -> HashMap<DocumentId, Arc<DocText>> {
    workspace
        .project()
        .documents()
        .iter()
        .filter_map(|d| match workspace.document_state(d.id) {
            Some(DocumentState::Loaded(loaded)) => Some((d.id, Arc::clone(&loaded.text))),
            _ => None,
        })
        .collect()
}

impl NetworkView {
    /// True while the network is being built or laid out.
    pub fn is_busy(&self) -> bool {
        self.worker.is_running() || self.layout.as_ref().is_some_and(|l| !l.is_settled())
    }

    /// The network shown, if built.
    pub fn network(&self) -> Option<&Network> {
        self.shown.as_ref().map(|(_, n)| n.as_ref())
    }

    /// Where each entity's circle was drawn last, in the network's node order.
    pub fn nodes_on_screen(&self) -> &[Pos2] {
        &self.drawn
    }

    fn refresh(&mut self, ctx: &egui::Context, workspace: &Workspace, filter: &Filter) {
        if let Some((key, network)) = self.worker.take() {
            self.adopt(key, network);
        }
        let key = Key {
            generation: workspace.generation(),
            texts_read: workspace.texts_read(),
            filter: filter.clone(),
            scope: self.scope,
        };
        // While a job runs, nothing is asked (nor the project copied each frame): its
        // result comes first, and is compared with what is wanted then.
        if self.shown.as_ref().is_some_and(|(k, _)| *k == key) || self.worker.is_running() {
            return;
        }
        let project: Project = workspace.project().clone();
        let texts = loaded_texts(workspace);
        let (filter, scope) = (key.filter.clone(), key.scope);
        self.worker.ask(key, ctx, move || {
            network::build(&project, &filter, scope, |id| {
                texts.get(&id).map(|t| network::unit_starts(t, scope))
            })
        });
    }

    /// Shows a newly built network, keeping the places of the entities already shown.
    fn adopt(&mut self, key: Key, network: Network) {
        let mut layout = Layout::of_network(&network);
        if let (Some((_, old)), Some(old_layout)) = (&self.shown, &self.layout) {
            let before: HashMap<EntityId, [f32; 2]> = old
                .nodes
                .iter()
                .zip(old_layout.positions())
                .map(|(n, p)| (n.entity, *p))
                .collect();
            let kept = network
                .nodes
                .iter()
                .enumerate()
                .filter_map(|(i, n)| before.get(&n.entity).map(|p| (i, *p)))
                .collect::<Vec<_>>();
            // Mostly the same entities: only nudge them.
            let reach = if kept.len() * 2 > network.nodes.len() {
                0.5
            } else {
                f32::MAX
            };
            for (i, p) in kept {
                layout.keep(i, p, reach);
            }
        }
        self.layout = Some(layout);
        self.shown = Some((key, Arc::new(network)));
        self.dragging = None;
    }

    /// Draws the tab; what a click chose, if anything.
    pub fn ui(&mut self, ui: &mut Ui, workspace: &Workspace, filter: &Filter) -> Option<Clicked> {
        self.refresh(ui.ctx(), workspace, filter);
        ui.horizontal_wrapped(|ui| {
            ui.label("Entities are joined when mentioned in the same");
            for scope in Scope::ALL {
                ui.radio_value(&mut self.scope, scope, scope.name());
            }
            ui.add(
                egui::Slider::new(&mut self.min_weight, 1..=10)
                    .text("places at least")
                    .clamping(egui::SliderClamping::Never),
            );
            if ui
                .button("Fit")
                .on_hover_text("Fit the whole network into the view")
                .clicked()
            {
                self.fitting = true;
            }
            if self.worker.is_running() {
                ui.spinner();
            }
        });
        let Some((_, network)) = &self.shown else {
            ui.label("Building the network…");
            ui.allocate_space(ui.available_size());
            return None;
        };
        let network = Arc::clone(network);
        if !network.without_text.is_empty() {
            ui.weak(format!(
                "{} document(s) not loaded: their co-occurrences are not counted.",
                network.without_text.len()
            ));
        }
        if network.nodes.is_empty() {
            ui.weak("No entity mentions linked to the registry.");
            ui.allocate_space(ui.available_size());
            return None;
        }
        ui.weak("Drag to pan, scroll to zoom, drag a circle to move it; click a circle or a line for its passages.");
        let layout = self.layout.as_mut()?;
        if !layout.run(LAYOUT_BUDGET) {
            ui.ctx().request_repaint();
        }
        let size = ui.available_size().max(Vec2::new(200.0, 200.0));
        let (response, painter) = ui.allocate_painter(size, Sense::click_and_drag());
        let rect = response.rect;
        if self.fitting {
            self.fit(rect);
        }
        self.interact(ui, &response, rect);
        let layout = self.layout.as_ref()?;
        self.drawn = layout
            .positions()
            .iter()
            .map(|p| to_screen(rect, self.offset, self.zoom, *p))
            .collect();
        let clicked = self.draw(ui, workspace.project(), &network, &response, &painter);
        painter.rect_stroke(
            rect,
            0.0,
            ui.visuals().widgets.noninteractive.bg_stroke,
            egui::StrokeKind::Inside,
        );
        clicked
    }

    /// Zoom and pan so that every circle is in `rect`.
    fn fit(&mut self, rect: Rect) {
        let Some(layout) = &self.layout else {
            return;
        };
        let (mut low, mut high) = ([f32::MAX; 2], [f32::MIN; 2]);
        for p in layout.positions() {
            for axis in 0..2 {
                low[axis] = low[axis].min(p[axis]);
                high[axis] = high[axis].max(p[axis]);
            }
        }
        if low[0] > high[0] {
            return;
        }
        let span = Vec2::new(high[0] - low[0], high[1] - low[1]).max(Vec2::splat(1.0));
        // Room on the right for the names written beside the circles.
        let room = Rect::from_min_max(
            rect.min + Vec2::new(24.0, 30.0),
            rect.max - Vec2::new(170.0, 30.0),
        );
        let room = if room.is_positive() { room } else { rect };
        self.zoom = (room.width() / span.x).min(room.height() / span.y);
        let middle = Vec2::new(
            f32::midpoint(low[0], high[0]),
            f32::midpoint(low[1], high[1]),
        );
        self.offset = (room.center() - rect.center()) - middle * self.zoom;
    }

    fn interact(&mut self, ui: &Ui, response: &egui::Response, rect: Rect) {
        let pointer = response.interact_pointer_pos().or(response.hover_pos());
        if response.drag_started() {
            self.dragging = pointer.and_then(|p| self.node_near(p));
        }
        if response.dragged() {
            if let (Some(i), Some(p)) = (self.dragging, pointer) {
                let at = from_screen(rect, self.offset, self.zoom, p);
                if let Some(layout) = &mut self.layout {
                    layout.pin(i, at);
                }
                ui.ctx().request_repaint();
            } else {
                self.offset += response.drag_delta();
                self.fitting = false;
            }
        }
        if response.drag_stopped() {
            self.dragging = None;
        }
        if response.hovered() {
            let scroll = ui.input(|i| i.smooth_scroll_delta.y);
            let pinch = ui.input(egui::InputState::zoom_delta);
            let factor = pinch * (scroll / 400.0).exp();
            if (factor - 1.0).abs() > f32::EPSILON
                && let Some(p) = response.hover_pos()
            {
                // Zoom about the pointer.
                let from_middle = p - rect.center() - self.offset;
                self.offset -= from_middle * (factor - 1.0);
                self.zoom *= factor;
                self.fitting = false;
            }
        }
    }

    /// The circle under (or within a few points of) `p`.
    fn node_near(&self, p: Pos2) -> Option<usize> {
        let network = self.network()?;
        self.drawn
            .iter()
            .enumerate()
            .map(|(i, q)| (i, q.distance(p) - radius(network.nodes[i].mentions)))
            .filter(|(_, d)| *d <= 3.0)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| i)
    }

    fn draw(
        &self,
        ui: &Ui,
        project: &Project,
        network: &Network,
        response: &egui::Response,
        painter: &egui::Painter,
    ) -> Option<Clicked> {
        let hover = response.hover_pos();
        let hovered_node = hover.and_then(|p| self.node_near(p));
        let mut hovered_edge = None;
        let line_colour = ui.visuals().weak_text_color().gamma_multiply(0.8);
        let shown = network
            .edges
            .iter()
            .enumerate()
            .filter(|(_, edge)| edge.relation.is_some() || edge.weight >= self.min_weight)
            .take(DRAWN_LINES);
        for (e, edge) in shown {
            let (a, b) = (self.drawn[edge.source], self.drawn[edge.target]);
            let width = 0.6 + float(edge.weight).ln_1p();
            let colour = if edge.relation.is_some() {
                Color32::from_rgb(213, 94, 0)
            } else {
                line_colour
            };
            painter.line_segment([a, b], Stroke::new(width, colour));
            if hovered_node.is_none() && hover.is_some_and(|p| distance_to_segment(p, a, b) <= 3.0)
            {
                hovered_edge = Some(e);
            }
        }
        let text_colour = ui.visuals().text_color();
        let font = egui::FontId::proportional(12.0);
        for (i, node) in network.nodes.iter().enumerate() {
            let at = self.drawn[i];
            let r = radius(node.mentions);
            let fill = super::theme::color_of_label(&project.schema, &node.kind);
            let stroke = if hovered_node == Some(i) {
                Stroke::new(2.0, text_colour)
            } else {
                Stroke::new(1.0, ui.visuals().extreme_bg_color)
            };
            painter.circle(at, r, fill, stroke);
            if i < NAMED || hovered_node == Some(i) {
                painter.text(
                    at + Vec2::new(r + 3.0, 0.0),
                    egui::Align2::LEFT_CENTER,
                    &node.name,
                    font.clone(),
                    text_colour,
                );
            }
        }
        if let Some(i) = hovered_node {
            let node = &network.nodes[i];
            response.clone().on_hover_text_at_pointer(format!(
                "{} ({}): {} mention(s) in {} document(s)",
                node.name, node.kind, node.mentions, node.documents
            ));
        } else if let Some(e) = hovered_edge {
            let edge = &network.edges[e];
            let (a, b) = (
                &network.nodes[edge.source].name,
                &network.nodes[edge.target].name,
            );
            response
                .clone()
                .on_hover_text_at_pointer(match &edge.relation {
                    Some(kind) => format!("{a} — {b}: {kind} ({})", edge.weight),
                    None => format!(
                        "{a} — {b}: together in {} {}(s)",
                        edge.weight,
                        network.scope.name()
                    ),
                });
        }
        if !response.clicked() {
            return None;
        }
        if let Some(i) = hovered_node {
            let node = &network.nodes[i];
            return Some(Clicked::Entity(node.entity, node.name.clone()));
        }
        let edge = &network.edges[hovered_edge?];
        let (a, b) = (&network.nodes[edge.source], &network.nodes[edge.target]);
        Some(Clicked::Edge {
            ends: (a.entity, b.entity),
            names: (a.name.clone(), b.name.clone()),
            relation: edge.relation.clone(),
        })
    }
}

fn to_screen(rect: Rect, offset: Vec2, zoom: f32, p: [f32; 2]) -> Pos2 {
    rect.center() + offset + Vec2::new(p[0], p[1]) * zoom
}

fn from_screen(rect: Rect, offset: Vec2, zoom: f32, p: Pos2) -> [f32; 2] {
    let v = (p - rect.center() - offset) / zoom.max(f32::EPSILON);
    [v.x, v.y]
}

/// A circle's radius: its area grows with the mentions.
fn radius(mentions: usize) -> f32 {
    (3.0 + 2.0 * float(mentions).sqrt()).min(24.0)
}

fn distance_to_segment(p: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab = b - a;
    let t = ((p - a).dot(ab) / ab.length_sq().max(f32::EPSILON)).clamp(0.0, 1.0);
    p.distance(a + ab * t)
}

#[expect(clippy::cast_precision_loss, reason = "counts far below 2^24")]
fn float(n: usize) -> f32 {
    n as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screen_and_layout_places_round_trip_and_lines_are_hit_near() {
        let rect = Rect::from_min_size(Pos2::new(10.0, 20.0), Vec2::new(300.0, 200.0));
        let (offset, zoom) = (Vec2::new(5.0, -7.0), 12.5);
        let p = [1.5, -2.25];
        let back = from_screen(rect, offset, zoom, to_screen(rect, offset, zoom, p));
        assert!((back[0] - p[0]).abs() < 1e-4 && (back[1] - p[1]).abs() < 1e-4);
        let (a, b) = (Pos2::new(0.0, 0.0), Pos2::new(10.0, 0.0));
        assert!((distance_to_segment(Pos2::new(5.0, 2.0), a, b) - 2.0).abs() < 1e-5);
        assert!((distance_to_segment(Pos2::new(13.0, 4.0), a, b) - 5.0).abs() < 1e-5);
        assert!(radius(1) < radius(9) && radius(1_000_000) <= 24.0);
    }
}
