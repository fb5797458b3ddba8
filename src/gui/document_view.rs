//! The document view: the article's text with every annotation layer drawn in place,
//! mouse selection, hit-testing and hover.
//!
//! Virtualized: the text is split into paragraphs; only the visible ones are laid out, and
//! their galleys are cached (keyed by wrap width and theme). A galley holds plain text
//! only, so a change to the annotations never invalidates it: annotations are painted as
//! rectangles computed from the galley's rows. Heights of paragraphs never laid out are
//! estimated from their length until a worker ([`super::heights`]) has measured them all.
//!
//! Layers: every annotation gets a translucent fill in its label's colour (nested ones
//! darken) and an underline in its own lane below the text, outer spans on the upper lanes.
//! The selected annotation is outlined. Relations between two annotations in view are
//! drawn as arcs above the text (brat's way), from one span to the other, an arrowhead at
//! the target and the relation's kind at the top of the arc.

use std::collections::HashMap;
use std::sync::Arc;

use eframe::egui::{
    self, Color32, CornerRadius, CursorIcon, FontId, Galley, Pos2, Rect, Sense, Stroke, StrokeKind,
    Ui, pos2, vec2,
};

use super::command::{Action, Command};
use super::heights::HeightJob;
use super::paragraph::{
    EMPTY_PARAGRAPH_HEIGHT, FONT_SIZE, LINE_HEIGHT, PARAGRAPH_GAP, ParagraphLayout,
};
use super::theme;
use crate::model::{AnnotationId, CharPos, DocText, DocumentId, Project, Span};
use crate::workspace::{DocumentState, Workspace};

/// Comfortable reading width.
const MAX_COLUMN_WIDTH: f32 = 760.0;
const LANE_SPACING: f32 = 3.0;
const MAX_LANES: usize = 4;

/// One visible paragraph as painted this frame.
#[derive(Clone)]
struct Placed {
    paragraph: usize,
    origin: Pos2,
    layout: Arc<ParagraphLayout>,
}

/// State of the document view between frames.
#[derive(Default)]
pub struct DocumentView {
    document: Option<DocumentId>,
    galleys: HashMap<usize, Arc<ParagraphLayout>>,
    /// Wrap width (as bits), theme and pixels per point (zoom) the cached layouts are for.
    galley_key: Option<(u32, bool, u32)>,
    heights: Vec<f32>,
    tops: Vec<f32>,
    tops_stale: bool,
    header_height: f32,
    placed: Vec<Placed>,
    drag_anchor: Option<CharPos>,
    drag_current: Option<CharPos>,
    selection: Option<Span>,
    /// Suggested annotations to outline with dashes, and the current one (drawn stronger).
    suggestions: (Vec<Span>, Option<Span>),
    scroll_to: Option<CharPos>,
    /// Scroll offset to apply next frame (computed from `scroll_to`, or keeping the text in
    /// place when heights change).
    pending_offset: Option<f32>,
    /// How far to scroll next frame to keep the text in place (paragraphs above the view
    /// were measured), and the scroll area whose offset it adds to.
    pending_shift: f32,
    scroll_id: Option<egui::Id>,
    /// The content height given to the scroll area last frame.
    shown_height: f32,
    /// The viewport's top (content coordinates) and the header's height, last frame.
    last_view: Option<(f32, f32)>,
    /// The annotation a right-click opened the context menu on.
    context_target: Option<AnnotationId>,
    /// Labels and analysts whose layers are not drawn (View > Layers).
    hidden: super::panels::HiddenLayers,
    /// The annotations drawn last frame.
    painted: Vec<AnnotationId>,
    /// The relation arcs drawn last frame: the relation and the arc's two ends (screen).
    arcs: Vec<(crate::model::RelationId, Pos2, Pos2)>,
    /// Paragraphs whose measured height replaced the estimate this frame.
    remeasured: Vec<usize>,
    /// After a change of width: the paragraph that was at the viewport's top and how far
    /// into it the top was, to put it back there.
    keep_at_top: Option<(usize, f32)>,
    /// The place `keep_at_top` was last taken from, until the view has scrolled there: a
    /// second change (a zoom changes the scale, then the panels' widths a frame later)
    /// keeps the same place, not the one the view still shows while it waits.
    kept: Option<(usize, f32)>,
    /// The worker measuring every paragraph for the current width and theme.
    height_job: Option<HeightJob>,
    /// Paragraphs laid out here (their height is the window's own measure, which the
    /// worker's does not replace).
    measured_here: Vec<bool>,
    /// This frame: a shift of the text the scroll area cannot take until it knows the new
    /// content height, drawn by the view itself meanwhile.
    held_shift: f32,
}

impl DocumentView {
    /// The suggestions to outline (all, and the current one); empty when none are shown.
    pub fn set_suggestions(&mut self, suggestions: (Vec<Span>, Option<Span>)) {
        self.suggestions = suggestions;
    }

    /// Draws no layer of these labels (and clicks go through them).
    pub fn set_hidden(&mut self, hidden: &super::panels::HiddenLayers) {
        self.hidden.clone_from(hidden);
    }

    /// The annotations drawn last frame, in the paragraphs shown.
    pub fn painted(&self) -> &[AnnotationId] {
        &self.painted
    }

    /// Where the analyst is reading document `id`: the first character of the paragraph at
    /// the top of the view (`None` before it was shown).
    pub fn reading_position(&self, id: DocumentId, text: &DocText) -> Option<CharPos> {
        if self.document != Some(id) || self.tops.is_empty() {
            return None;
        }
        let (top, header) = self.last_view?;
        let paragraph = self.paragraph_at_y(top - header);
        Some(text.paragraphs().get(paragraph)?.span.start())
    }

    /// The place at the top of the view last frame: the paragraph and how far into it
    /// (points), for a second view of the same text to follow (`None` before it was shown).
    pub fn place_at_top(&self, id: DocumentId) -> Option<(usize, f32)> {
        if self.document != Some(id) || self.tops.is_empty() {
            return None;
        }
        let (top, header) = self.last_view?;
        let paragraph = self.paragraph_at_y(top - header);
        Some((paragraph, top - header - self.tops.get(paragraph)?))
    }

    /// Scrolls on the next frame so that `place` (from [`Self::place_at_top`]) is at the
    /// top of the view.
    pub fn show_place_at_top(&mut self, place: (usize, f32)) {
        self.keep_at_top = Some(place);
        self.kept = None;
    }

    /// The relation arcs drawn last frame, with their ends on screen.
    pub fn painted_arcs(&self) -> &[(crate::model::RelationId, Pos2, Pos2)] {
        &self.arcs
    }

    fn is_hidden(&self, project: &Project, id: AnnotationId) -> bool {
        !self.hidden.is_empty() && project.annotation(id).is_some_and(|a| self.hidden.hides(a))
    }

    /// The text selection waiting for a label, if any.
    pub fn selection(&self) -> Option<Span> {
        self.selection
    }

    /// Selects `span` as if the analyst had dragged over it.
    pub fn select(&mut self, span: Span) {
        self.clear_selection();
        self.selection = Some(span);
    }

    pub fn clear_selection(&mut self) {
        self.selection = None;
        self.drag_anchor = None;
        self.drag_current = None;
    }

    /// Scrolls so that `pos` is visible on the next frame.
    pub fn scroll_to(&mut self, pos: CharPos) {
        self.scroll_to = Some(pos);
    }

    /// Where character `pos` is on screen (the middle of its left edge), if its paragraph
    /// was painted last frame. Used for tooltips and by UI tests to aim the mouse.
    pub fn screen_pos_of(&self, text: &DocText, pos: CharPos) -> Option<Pos2> {
        let paragraph = text.paragraph_at(pos);
        let placed = self.placed.iter().find(|p| p.paragraph == paragraph)?;
        let local = pos.distance_from(text.paragraphs()[paragraph].span.start());
        Some(placed.origin + placed.layout.pos_of(local).to_vec2())
    }

    /// Every glyph painted last frame, with the character egui drew it for and its box on
    /// screen (for UI tests: what is highlighted against what is saved).
    pub fn painted_glyphs(&self) -> Vec<(char, Rect)> {
        self.placed
            .iter()
            .flat_map(|placed| {
                placed
                    .layout
                    .glyphs()
                    .into_iter()
                    .map(|(c, rect)| (c, rect.translate(placed.origin.to_vec2())))
            })
            .collect()
    }

    /// The rectangles on screen that `span` is drawn in (its highlight), in the paragraphs
    /// painted last frame.
    pub fn screen_bands(&self, text: &DocText, span: Span) -> Vec<Rect> {
        self.placed
            .iter()
            .flat_map(|placed| {
                let paragraph = text.paragraphs()[placed.paragraph].span;
                bands(&placed.layout, paragraph, span)
                    .into_iter()
                    .map(|band| band.translate(placed.origin.to_vec2()))
            })
            .collect()
    }

    /// Shows document `id` of `workspace` in the remaining space of `ui`. `covered`: the
    /// screen rectangles of floating windows, which a jump's target must not land under.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        workspace: &Workspace,
        id: DocumentId,
        selected: Option<AnnotationId>,
        covered: &[Rect],
        actions: &mut Vec<Action>,
    ) {
        let Some(DocumentState::Loaded(loaded)) = workspace.document_state(id) else {
            return;
        };
        let text = &*loaded.text;
        let project = workspace.project();
        let available = ui.available_width();
        let column = available.clamp(200.0, MAX_COLUMN_WIDTH + 48.0) - 48.0;
        self.sync_caches(ui, id, &loaded.text, column);

        let document = project.document(id);
        let header = document.map(|d| header_galleys(ui, d, column));
        self.header_height = header.as_ref().map_or(0.0, |h| {
            h.iter().map(|g| g.size().y + 6.0).sum::<f32>() + 18.0
        });

        if self.scroll_to.is_some() && self.scroll_id.is_none() {
            // A document shown for the first time: its scroll area exists from this frame
            // on; the jump goes next frame (egui keeps a new area at the top otherwise).
            ui.ctx().request_repaint();
        } else if let Some(pos) = self.scroll_to.take() {
            // The target's own line, not its paragraph's top (a long paragraph's line may be
            // screens further down).
            let paragraph = text.paragraph_at(pos);
            let layout = self.layout(ui, text, paragraph, column);
            let local = pos.distance_from(text.paragraphs()[paragraph].span.start());
            let within = layout.pos_of(local).y - LINE_HEIGHT / 2.0;
            let y = self.header_height + self.tops[paragraph] + within;
            let area = ui.available_rect_before_wrap();
            let margin = clear_of(covered, area, column, 80.0);
            self.pending_offset = Some((y - margin).max(0.0));
            self.keep_at_top = None;
            self.kept = None;
        }
        if let Some((paragraph, into)) = self.keep_at_top.take()
            && let Some(top) = self.tops.get(paragraph)
        {
            self.pending_offset = Some(self.header_height + top + into);
        }
        let total_height = self.header_height + self.tops.last().copied().unwrap_or(0.0) + 40.0;

        let scroll = self.scroll_area(ui, id, total_height);
        self.shown_height = total_height;
        let output = scroll.show_viewport(ui, |ui, viewport| {
            ui.set_height(total_height);
            // A shift the scroll area cannot take yet is drawn here instead: the text shows
            // where the analyst was reading, as it will once the offset follows.
            let held = self.held_shift;
            let origin = ui.max_rect().min + vec2(((available - column) / 2.0).max(8.0), -held);
            let text_viewport = viewport.translate(vec2(0.0, held));
            let mut y = 0.0;
            if let Some(header) = &header {
                y += 12.0;
                for galley in header {
                    ui.painter().galley(
                        origin + vec2(0.0, y),
                        galley.clone(),
                        ui.visuals().text_color(),
                    );
                    y += galley.size().y + 6.0;
                }
            }
            self.last_view = Some((text_viewport.min.y, self.header_height));
            self.place_visible(ui, text, text_viewport, origin, column);
            let content_rect = Rect::from_min_size(
                ui.max_rect().min + vec2(0.0, viewport.min.y),
                vec2(available, viewport.height()),
            );
            let response = ui.interact(
                content_rect,
                ui.scope_id().with("document-text"),
                Sense::click_and_drag(),
            );
            response.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Document, true, "Document text")
            });
            if Self::keyboard(ui, &response, actions) {
                self.scroll_keys(ui, viewport.height(), total_height);
            }
            self.handle_pointer(ui, &response, project, text, selected, actions);
            self.context_menu(&response, project, text, actions);
            self.paint(ui, project, text, selected);
            self.hover_ui(&response, project, text);
        });
        self.scroll_id = Some(output.id);
        self.take_worker_heights();
        if self.tops_stale {
            self.recompute_tops_keeping_view();
            ui.ctx().request_repaint();
        }
    }

    /// Recomputes the paragraph tops after measuring, keeping the visible text where it is
    /// on screen: the first visible paragraph measured before this frame stays put, so
    /// paragraphs above it that were only estimated (scrolling up into unmeasured text)
    /// grow or shrink upwards instead of shifting what the analyst is looking at.
    fn recompute_tops_keeping_view(&mut self) {
        let anchor = self
            .placed
            .iter()
            .map(|p| p.paragraph)
            .find(|p| !self.remeasured.contains(p));
        let before = anchor.and_then(|a| self.tops.get(a).copied());
        self.recompute_tops();
        if let (Some(anchor), Some(before)) = (anchor, before) {
            let moved = self.tops[anchor] - before;
            if moved.abs() > 0.5 {
                // Relative to wherever the scroll area is next frame: a wheel scroll still
                // under way is not lost.
                self.pending_shift += moved;
            }
        }
    }

    /// The document's scroll area, moved to a pending jump, or by the height the text
    /// above the view gained or lost since last frame.
    fn scroll_area(&mut self, ui: &Ui, id: DocumentId, total_height: f32) -> egui::ScrollArea {
        let mut scroll = egui::ScrollArea::vertical()
            .id_salt(("document", id.0))
            .auto_shrink([false, false])
            .scroll_source(
                egui::scroll_area::ScrollSource::SCROLL_BAR
                    | egui::scroll_area::ScrollSource::MOUSE_WHEEL,
            );
        // The scroll area bounds an offset by last frame's content height (past it, egui
        // springs back): an offset beyond that waits one frame for the new height.
        self.held_shift = 0.0;
        let view = ui.available_height();
        let reachable = |offset: f32, shown: f32| {
            let offset = offset.min((total_height - view).max(0.0));
            (offset <= (shown - view).max(0.0) + 1.0).then_some(offset)
        };
        if self.pending_shift != 0.0 {
            if let Some(pending) = &mut self.pending_offset {
                // A jump still waiting for its frame moves with the text too.
                *pending = (*pending + self.pending_shift).max(0.0);
                self.pending_shift = 0.0;
            } else if let Some(state) = self
                .scroll_id
                .and_then(|id| egui::scroll_area::State::load(ui.ctx(), id))
            {
                // Relative to where the scroll area is now (a wheel scroll under way is
                // kept); a shift that cannot be reached yet stays relative until it can.
                let target = (state.unclamped_offset().y + self.pending_shift).max(0.0);
                if let Some(offset) = reachable(target, self.shown_height) {
                    self.pending_shift = 0.0;
                    scroll = scroll.vertical_scroll_offset(offset);
                } else {
                    self.held_shift = self.pending_shift;
                    ui.ctx().request_repaint();
                }
            } else {
                self.pending_shift = 0.0;
            }
        }
        if let Some(offset) = self.pending_offset {
            if let Some(offset) = reachable(offset, self.shown_height) {
                self.pending_offset = None;
                self.kept = None;
                scroll = scroll.vertical_scroll_offset(offset);
            } else {
                ui.ctx().request_repaint();
            }
        }
        scroll
    }

    /// Takes the heights the worker measured for paragraphs not laid out here.
    fn take_worker_heights(&mut self) {
        let Some(job) = &mut self.height_job else {
            return;
        };
        for (first, heights) in job.take() {
            for (paragraph, height) in (first..).zip(heights) {
                if paragraph >= self.heights.len() || self.measured_here[paragraph] {
                    continue;
                }
                self.measured_here[paragraph] = true;
                if (self.heights[paragraph] - height).abs() > 0.5 {
                    self.heights[paragraph] = height;
                    self.tops_stale = true;
                }
            }
        }
        if job.finished() {
            self.height_job = None;
        }
    }

    /// How many paragraphs' heights are still estimates (none once the worker is done).
    pub fn estimated_paragraphs(&self) -> usize {
        self.measured_here.iter().filter(|&&m| !m).count()
    }

    /// The paragraph at `y` (text coordinates, below the header).
    fn paragraph_at_y(&self, y: f32) -> usize {
        let n = self.heights.len();
        self.tops[..n]
            .partition_point(|&t| t <= y)
            .saturating_sub(1)
            .min(n.saturating_sub(1))
    }

    /// Drops what changed since last frame: everything for another document, galleys and
    /// heights when the width or theme did. (Annotations are looked up in the project's own
    /// index, so an edit invalidates nothing here.)
    fn sync_caches(&mut self, ui: &Ui, id: DocumentId, text: &Arc<DocText>, column: f32) {
        if self.document != Some(id) {
            // A jump into this document (asked before it was shown) is kept.
            let scroll_to = self.scroll_to.take();
            *self = Self {
                document: Some(id),
                scroll_to,
                ..Self::default()
            };
        }
        // A zoom changes every height as a width does.
        let key = (
            column.to_bits(),
            ui.visuals().dark_mode,
            ui.ctx().pixels_per_point().to_bits(),
        );
        if self.galley_key != Some(key) || self.heights.len() != text.paragraphs().len() {
            // Keep the paragraph at the top of the view there, whatever the new heights.
            if self.kept.is_some() {
                self.keep_at_top = self.kept;
            } else if let Some((top, header)) = self.last_view
                && self.heights.len() == text.paragraphs().len()
                && !self.tops.is_empty()
            {
                let paragraph = self.paragraph_at_y(top - header);
                self.keep_at_top = Some((paragraph, top - header - self.tops[paragraph]));
                self.kept = self.keep_at_top;
            }
            self.galley_key = Some(key);
            self.galleys.clear();
            self.heights = text
                .paragraphs()
                .iter()
                .map(|p| estimate_height(p.span.len(), column))
                .collect();
            self.measured_here = vec![false; self.heights.len()];
            self.tops_stale = true;
            self.height_job = Some(HeightJob::start(
                ui.ctx(),
                Arc::clone(text),
                column,
                ui.visuals().text_color(),
            ));
        }
        if self.tops_stale {
            self.recompute_tops();
        }
    }

    /// Lays out (from the cache) the paragraphs in `viewport` and records where they go.
    fn place_visible(
        &mut self,
        ui: &Ui,
        text: &DocText,
        viewport: Rect,
        origin: Pos2,
        column: f32,
    ) {
        self.placed.clear();
        self.remeasured.clear();
        for paragraph in self.visible_paragraphs(viewport) {
            let layout = self.layout(ui, text, paragraph, column);
            let measured = layout.height(text.paragraphs()[paragraph].span.is_empty());
            self.measured_here[paragraph] = true;
            if (self.heights[paragraph] - measured).abs() > 0.5 {
                self.heights[paragraph] = measured;
                self.tops_stale = true;
                self.remeasured.push(paragraph);
            }
            let top = self.header_height + self.tops[paragraph];
            self.placed.push(Placed {
                paragraph,
                origin: origin + vec2(0.0, top),
                layout,
            });
        }
    }

    fn recompute_tops(&mut self) {
        self.tops.clear();
        self.tops.reserve(self.heights.len() + 1);
        let mut y = 0.0;
        for h in &self.heights {
            self.tops.push(y);
            y += h;
        }
        self.tops.push(y);
        self.tops_stale = false;
    }

    /// Paragraphs intersecting the viewport (content coordinates).
    fn visible_paragraphs(&self, viewport: Rect) -> std::ops::Range<usize> {
        let n = self.heights.len();
        let top = viewport.min.y - self.header_height;
        let bottom = viewport.max.y - self.header_height;
        let first = self.tops[..n]
            .partition_point(|&t| t <= top)
            .saturating_sub(1);
        let last = self.tops[..n].partition_point(|&t| t < bottom);
        first..last.max(first).min(n)
    }

    fn layout(
        &mut self,
        ui: &Ui,
        text: &DocText,
        paragraph: usize,
        column: f32,
    ) -> Arc<ParagraphLayout> {
        let color = ui.visuals().text_color();
        self.galleys
            .entry(paragraph)
            .or_insert_with(|| {
                let content = text.paragraph_text(&text.paragraphs()[paragraph]);
                let painter = ui.painter();
                Arc::new(ParagraphLayout::new(content, color, column, &mut |job| {
                    painter.layout_job(job)
                }))
            })
            .clone()
    }

    /// The document position under a screen position, from last frame's paragraphs.
    fn char_at(&self, text: &DocText, pos: Pos2) -> Option<CharPos> {
        let placed = self
            .placed
            .iter()
            .find(|p| pos.y < p.origin.y + self.heights[p.paragraph])
            .or(self.placed.last())?;
        let local = placed.layout.char_at(pos - placed.origin);
        Some(
            text.paragraphs()[placed.paragraph]
                .span
                .start()
                .forward(local),
        )
    }

    /// The text takes the keyboard focus when clicked or when nothing else has it, and
    /// keeps Tab and the arrows while it has it: Tab / Shift+Tab step through annotations.
    fn keyboard(ui: &Ui, response: &egui::Response, actions: &mut Vec<Action>) -> bool {
        if response.clicked() || response.drag_started() || ui.memory(|m| m.focused().is_none()) {
            response.request_focus();
        }
        if !response.has_focus() {
            return false;
        }
        ui.memory_mut(|m| {
            m.set_focus_lock_filter(
                response.id,
                egui::EventFilter {
                    tab: true,
                    horizontal_arrows: true,
                    vertical_arrows: true,
                    escape: false,
                },
            );
        });
        for command in [Command::PreviousAnnotation, Command::NextAnnotation] {
            for shortcut in command.shortcuts() {
                if ui.input_mut(|i| i.consume_shortcut(&shortcut)) {
                    actions.push(Action::Run(command));
                }
            }
        }
        true
    }

    /// Reading keys, while the text has the keyboard: arrows by a line, Page Up/Down by a
    /// screen, Home/End (with or without Ctrl) to the start and the end.
    fn scroll_keys(&mut self, ui: &Ui, view_height: f32, total_height: f32) {
        let page = (view_height - 2.0 * LINE_HEIGHT).max(LINE_HEIGHT);
        let (up, down, page_up, page_down, home, end) = ui.input_mut(|i| {
            let mut take = |key| {
                i.consume_key(egui::Modifiers::NONE, key)
                    || i.consume_key(egui::Modifiers::COMMAND, key)
            };
            (
                take(egui::Key::ArrowUp),
                take(egui::Key::ArrowDown),
                take(egui::Key::PageUp),
                take(egui::Key::PageDown),
                take(egui::Key::Home),
                take(egui::Key::End),
            )
        });
        let delta = f32::from(u8::from(up)) * LINE_HEIGHT - f32::from(u8::from(down)) * LINE_HEIGHT
            + f32::from(u8::from(page_up)) * page
            - f32::from(u8::from(page_down)) * page;
        if delta != 0.0 {
            ui.scroll_with_delta(vec2(0.0, delta));
        }
        if home {
            self.pending_offset = Some(0.0);
        }
        if end {
            self.pending_offset = Some((total_height - view_height).max(0.0));
        }
        if home || end {
            self.keep_at_top = None;
            self.kept = None;
            ui.ctx().request_repaint();
        }
    }

    fn handle_pointer(
        &mut self,
        ui: &Ui,
        response: &egui::Response,
        project: &Project,
        text: &DocText,
        selected: Option<AnnotationId>,
        actions: &mut Vec<Action>,
    ) {
        let Some(document) = self.document else {
            return;
        };
        if response.hovered() {
            ui.ctx().set_cursor_icon(CursorIcon::Text);
        }
        if response.drag_started() {
            let press = ui.input(|i| i.pointer.press_origin());
            self.drag_anchor = press.and_then(|p| self.char_at(text, p));
            self.selection = None;
        }
        if (response.dragged() || response.drag_stopped())
            && let Some(pos) = response.interact_pointer_pos()
        {
            self.drag_current = self.char_at(text, pos);
            // Auto-scroll while dragging near the top or bottom edge.
            let rect = response.rect;
            let speed = if pos.y > rect.max.y - 30.0 {
                -12.0
            } else if pos.y < rect.min.y + 30.0 {
                12.0
            } else {
                0.0
            };
            if speed != 0.0 && response.dragged() {
                ui.scroll_with_delta(vec2(0.0, speed));
                ui.ctx().request_repaint();
            }
        }
        if response.drag_stopped() {
            let (exact, fragment) = ui.input(|i| (i.modifiers.alt, i.modifiers.command));
            self.selection = match (self.drag_anchor, self.drag_current) {
                (Some(a), Some(b)) => text.selection(a, b, !exact),
                _ => None,
            };
            self.drag_anchor = None;
            self.drag_current = None;
            // Ctrl+drag (Cmd on a Mac) adds the passage to the selected annotation.
            if fragment
                && let (Some(id), Some(piece)) = (selected, self.selection)
                && project
                    .annotation(id)
                    .is_some_and(|a| a.document == document)
            {
                actions.push(Action::AddFragment(id, piece));
            }
        }
        if response.clicked()
            && let Some(pos) = response.interact_pointer_pos()
        {
            self.selection = None;
            let hits: Vec<_> = self
                .char_at(text, pos)
                .map(|c| project.annotations_at(document, c))
                .unwrap_or_default()
                .into_iter()
                .filter(|(_, id)| !self.is_hidden(project, *id))
                .collect();
            // Repeated clicks on the same place cycle through the layers, innermost first.
            let next = match selected.and_then(|s| hits.iter().position(|(_, id)| *id == s)) {
                Some(i) => hits.get((i + 1) % hits.len()),
                None => hits.first(),
            };
            actions.push(Action::Select(next.map(|(_, id)| *id)));
        }
    }

    /// Right-click on an annotation: it is selected and a menu offers what the analyst does
    /// to one: relabel, delete, link its entity, relate it, copy its words.
    fn context_menu(
        &mut self,
        response: &egui::Response,
        project: &Project,
        text: &DocText,
        actions: &mut Vec<Action>,
    ) {
        let Some(document) = self.document else {
            return;
        };
        if response.secondary_clicked()
            && let Some(pos) = response.interact_pointer_pos()
        {
            let innermost = self.char_at(text, pos).and_then(|c| {
                project
                    .annotations_at(document, c)
                    .into_iter()
                    .map(|(_, id)| id)
                    .find(|id| !self.is_hidden(project, *id))
            });
            self.context_target = innermost;
            if let Some(id) = innermost {
                actions.push(Action::Select(Some(id)));
            }
        }
        let Some(annotation) = self.context_target.and_then(|id| project.annotation(id)) else {
            return;
        };
        let id = annotation.id;
        response.context_menu(|ui| {
            let words = annotation.marked_text().into_owned();
            ui.weak(super::theme::ellipsize(&words, 40));
            ui.separator();
            for label in project
                .schema
                .labels
                .iter()
                .filter(|l| l.id != annotation.label)
            {
                if ui.button(format!("Relabel as {}", label.name)).clicked() {
                    actions.push(Action::ApplyLabel(label.id.clone()));
                    ui.close();
                }
            }
            ui.separator();
            let is_entity = project
                .schema
                .label(&annotation.label)
                .is_some_and(|l| l.kind == crate::model::LabelKind::Entity);
            if is_entity {
                for entity in project
                    .entities_named(annotation.text(), Some(&annotation.label))
                    .into_iter()
                    .filter(|e| Some(e.id) != annotation.entity)
                    .take(5)
                {
                    if ui.button(format!("Link to {}", entity.name)).clicked() {
                        actions.push(Action::LinkEntity(id, Some(entity.id)));
                        ui.close();
                    }
                }
                if annotation.entity.is_none()
                    && ui.button("New entity from this mention").clicked()
                {
                    actions.push(Action::NewEntityFrom(id));
                    ui.close();
                }
            }
            if let Some(kind) = project.schema.relation_kinds.first()
                && ui
                    .button(format!("Relate ({kind}) to…"))
                    .on_hover_text("Then click the annotation it relates to")
                    .clicked()
            {
                actions.push(Action::StartRelation(id, kind.clone()));
                ui.close();
            }
            if ui.button("Copy text").clicked() {
                ui.ctx().copy_text(words.clone());
                ui.close();
            }
            if ui.button("Delete").clicked() {
                actions.push(Action::Run(Command::DeleteAnnotation));
                ui.close();
            }
        });
    }

    /// The span being dragged, or the finished selection.
    fn shown_selection(&self, text: &DocText, exact: bool) -> Option<Span> {
        match (self.drag_anchor, self.drag_current) {
            (Some(a), Some(b)) => text.selection(a, b, !exact),
            _ => self.selection,
        }
    }

    fn paint(
        &mut self,
        ui: &Ui,
        project: &Project,
        text: &DocText,
        selected: Option<AnnotationId>,
    ) {
        self.painted.clear();
        let Some(document) = self.document else {
            return;
        };
        let painter = ui.painter();
        let dark = ui.visuals().dark_mode;
        let exact = ui.input(|i| i.modifiers.alt);
        let selection = self.shown_selection(text, exact);
        // Each annotation's first band on screen: where its relation arcs start and end.
        let mut first_band: HashMap<AnnotationId, Rect> = HashMap::new();
        for placed in &self.placed {
            let paragraph_span = text.paragraphs()[placed.paragraph].span;
            // Outer spans first (at equal starts), so they take the upper lanes.
            // Layers the analyst hid are not drawn (nor do they take a lane).
            let layers: Vec<(Span, AnnotationId)> = project
                .overlapping(document, paragraph_span)
                .into_iter()
                .filter(|(_, id)| !self.is_hidden(project, *id))
                .collect();
            let lanes = assign_lanes(&layers);
            for ((_, id), lane) in layers.iter().zip(&lanes) {
                let Some(annotation) = project.annotation(*id) else {
                    continue;
                };
                self.painted.push(*id);
                let color = project
                    .schema
                    .label(&annotation.label)
                    .map_or(Color32::GRAY, |l| theme::label_color(l.color));
                // A discontinuous annotation is painted on its fragments only.
                let bands = annotation.pieces().iter().flat_map(|piece| {
                    if piece.overlaps(paragraph_span) {
                        bands(&placed.layout, paragraph_span, *piece)
                    } else {
                        Vec::new()
                    }
                });
                for band in bands {
                    let text_rect = band.translate(placed.origin.to_vec2());
                    first_band.entry(*id).or_insert(text_rect);
                    painter.rect_filled(text_rect, CornerRadius::same(2), theme::fill(color, dark));
                    if *lane < MAX_LANES {
                        let y = text_rect.max.y + 2.0 + LANE_SPACING * lane_offset(*lane);
                        painter.line_segment(
                            [pos2(text_rect.min.x, y), pos2(text_rect.max.x, y)],
                            Stroke::new(2.0, color),
                        );
                    }
                    if selected == Some(*id) {
                        painter.rect_stroke(
                            text_rect.expand(1.5),
                            CornerRadius::same(3),
                            Stroke::new(2.0, theme::outline(dark)),
                            StrokeKind::Outside,
                        );
                    }
                }
            }
            for &suggested in &self.suggestions.0 {
                if !suggested.overlaps(paragraph_span) {
                    continue;
                }
                let current = self.suggestions.1 == Some(suggested);
                let width = if current { 2.0 } else { 1.0 };
                let stroke = Stroke::new(width, theme::outline(dark));
                for band in bands(&placed.layout, paragraph_span, suggested) {
                    let r = band.translate(placed.origin.to_vec2()).expand(1.0);
                    let corners = [
                        r.left_top(),
                        r.right_top(),
                        r.right_bottom(),
                        r.left_bottom(),
                        r.left_top(),
                    ];
                    painter.extend(egui::Shape::dashed_line(&corners, stroke, 4.0, 3.0));
                }
            }
            if let Some(selection) = selection {
                for band in bands(&placed.layout, paragraph_span, selection) {
                    painter.rect_filled(
                        band.translate(placed.origin.to_vec2()),
                        CornerRadius::ZERO,
                        ui.visuals().selection.bg_fill.gamma_multiply(0.6),
                    );
                }
            }
            placed
                .layout
                .paint(painter, placed.origin, ui.visuals().text_color());
        }
        self.paint_arcs(ui, project, &first_band, selected);
    }

    /// The relations whose two ends are both in view, as arcs above the text: from the
    /// top of one span to the top of the other, an arrowhead at the target, the kind at
    /// the top. The selected annotation's relations are drawn stronger.
    fn paint_arcs(
        &mut self,
        ui: &Ui,
        project: &Project,
        first_band: &HashMap<AnnotationId, Rect>,
        selected: Option<AnnotationId>,
    ) {
        self.arcs.clear();
        let painter = ui.painter();
        let colour = ARC_COLOUR;
        let mut ids: Vec<AnnotationId> = first_band.keys().copied().collect();
        ids.sort_unstable();
        let mut seen = std::collections::HashSet::new();
        for id in ids {
            for relation in project.relations_of(id) {
                if !seen.insert(relation.id) {
                    continue;
                }
                let (Some(from), Some(to)) =
                    (first_band.get(&relation.from), first_band.get(&relation.to))
                else {
                    continue;
                };
                let start = pos2(from.center().x, from.min.y);
                let end = pos2(to.center().x, to.min.y);
                let strong = selected.is_some_and(|s| relation.involves(s));
                let stroke = Stroke::new(if strong { 2.0 } else { 1.2 }, colour);
                let lift = 12.0 + (start.distance(end) / 5.0).min(48.0);
                let top = start.y.min(end.y) - lift;
                let points = [start, pos2(start.x, top), pos2(end.x, top), end];
                painter.add(egui::epaint::CubicBezierShape::from_points_stroke(
                    points,
                    false,
                    Color32::TRANSPARENT,
                    stroke,
                ));
                painter.add(egui::Shape::convex_polygon(
                    vec![end, end + vec2(-4.0, -7.0), end + vec2(4.0, -7.0)],
                    colour,
                    Stroke::NONE,
                ));
                // The curve's middle: (p0 + 3 p1 + 3 p2 + p3) / 8.
                let middle = pos2(
                    (points[0].x + 3.0 * points[1].x + 3.0 * points[2].x + points[3].x) / 8.0,
                    (points[0].y + 3.0 * points[1].y + 3.0 * points[2].y + points[3].y) / 8.0,
                );
                let galley = painter.layout_no_wrap(
                    relation.kind.clone(),
                    FontId::proportional(11.0),
                    colour,
                );
                let label = Rect::from_center_size(middle, galley.size()).expand(1.5);
                painter.rect_filled(label, CornerRadius::same(2), ui.visuals().panel_fill);
                painter.galley(label.min + vec2(1.5, 1.5), galley, colour);
                self.arcs.push((relation.id, start, end));
            }
        }
    }

    fn hover_ui(&self, response: &egui::Response, project: &Project, text: &DocText) {
        if self.drag_anchor.is_some() {
            return;
        }
        let Some(pos) = response.hover_pos() else {
            return;
        };
        let (Some(c), Some(document)) = (self.char_at(text, pos), self.document) else {
            return;
        };
        let hits = project.annotations_at(document, c);
        if hits.is_empty() {
            return;
        }
        response.clone().on_hover_ui_at_pointer(|ui| {
            for (_, id) in &hits {
                if let Some(a) = project.annotation(*id) {
                    let label = project.schema.label(&a.label);
                    let color = label.map_or(Color32::GRAY, |l| theme::label_color(l.color));
                    ui.horizontal(|ui| {
                        theme::swatch_ui(ui, color);
                        ui.strong(label.map_or(a.label.as_str(), |l| l.name.as_str()));
                        ui.label(theme::ellipsize(&a.marked_text(), 80));
                    });
                }
            }
            ui.weak("Click to select; click again for the next layer.");
        });
    }
}

/// Header of the document: title (unless the text itself starts with it, as a plain-text
/// article's does), then byline / site / date / source.
fn header_galleys(ui: &Ui, document: &crate::model::Document, column: f32) -> Vec<Arc<Galley>> {
    let painter = ui.painter();
    let mut out = Vec::new();
    if !document.format.title_is_first_line() || document.metadata.title.is_none() {
        out.push(painter.layout(
            document.display_name().to_owned(),
            FontId::proportional(26.0),
            ui.visuals().strong_text_color(),
            column,
        ));
    }
    // Without byline, site or date, the file's name (not a path relative to the project).
    let details = document.metadata.subtitle().unwrap_or_else(|| {
        document
            .path
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(&document.path)
            .to_owned()
    });
    out.push(painter.layout(
        details,
        FontId::proportional(13.5),
        ui.visuals().weak_text_color(),
        column,
    ));
    out
}

#[expect(
    clippy::cast_precision_loss,
    reason = "an estimate; exact for any real paragraph"
)]
fn estimate_height(chars: usize, column: f32) -> f32 {
    if chars == 0 {
        return EMPTY_PARAGRAPH_HEIGHT;
    }
    let chars_per_line = (column / (FONT_SIZE * 0.48)).max(10.0);
    let lines = (chars as f32 / chars_per_line).ceil().max(1.0);
    lines * LINE_HEIGHT + PARAGRAPH_GAP
}

/// How far below the top of `area` (the view on screen) a jump's target line goes: `wanted`,
/// or just below the floating windows that would cover it there (over the text column), if
/// that is still well inside the view.
fn clear_of(covered: &[Rect], area: Rect, column: f32, wanted: f32) -> f32 {
    let left = area.min.x + ((area.width() - column) / 2.0).max(8.0);
    let text = egui::Rangef::new(left, left + column);
    let mut margin = wanted;
    // Windows may stand one below the other: look again after each move.
    for _ in 0..covered.len() {
        let line = egui::Rangef::new(area.min.y + margin, area.min.y + margin + LINE_HEIGHT);
        let Some(bottom) = covered
            .iter()
            .filter(|w| w.x_range().intersects(text) && w.y_range().intersects(line))
            .map(|w| w.max.y)
            .reduce(f32::max)
        else {
            break;
        };
        let below = bottom - area.min.y + 2.0 * LINE_HEIGHT;
        if below + 3.0 * LINE_HEIGHT > area.height() {
            break;
        }
        margin = below;
    }
    margin
}

/// The colour of relation arcs (the network view's colour for relations).
const ARC_COLOUR: Color32 = Color32::from_rgb(213, 94, 0);

/// The rectangles (paragraph coordinates) covering `span` within one paragraph.
fn bands(layout: &ParagraphLayout, paragraph: Span, span: Span) -> Vec<Rect> {
    let Some(part) = span.intersection(paragraph) else {
        return Vec::new();
    };
    layout.bands(
        part.start().distance_from(paragraph.start()),
        part.end().distance_from(paragraph.start()),
    )
}

/// The lane's index as a distance multiplier (lanes are fewer than [`MAX_LANES`]).
fn lane_offset(lane: usize) -> f32 {
    f32::from(u8::try_from(lane).unwrap_or(u8::MAX))
}

/// Greedy interval colouring: each span gets the lowest lane free of every overlapping span
/// before it. Input sorted by start, outer spans first.
fn assign_lanes(layers: &[(Span, AnnotationId)]) -> Vec<usize> {
    let mut lanes: Vec<usize> = Vec::with_capacity(layers.len());
    for (i, (span, _)) in layers.iter().enumerate() {
        let mut lane = 0;
        while layers[..i]
            .iter()
            .zip(&lanes)
            .any(|((other, _), &l)| l == lane && other.overlaps(*span))
        {
            lane += 1;
        }
        lanes.push(lane);
    }
    lanes
}
