//! View > Page view: a PDF's pages as printed (rendered with `hayro`, pure Rust), with the
//! annotations drawn on them at their characters' boxes. A drag on a page selects the
//! characters under it, the same selection as a drag in the text (a label's key tags it
//! the same way); a click on a highlight selects its annotation.
//!
//! A worker owns the parsed file: it renders pages and finds character boxes on request,
//! newest request first, and wakes the window when one is done. Only the pages in view
//! are asked for; rendered pages are kept as textures, the farthest dropped first.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

use eframe::egui::{
    self, Color32, ColorImage, Context, Pos2, Rect, Sense, Stroke, TextureHandle, Ui, Vec2,
};

use super::command::Action;
use super::theme;
use crate::ingest::pdf_pages::{CharBox, PdfPages};
use crate::model::{AnnotationId, CharPos, DocText, DocumentId, Span};
use crate::workspace::Workspace;

/// Pages kept as textures at most.
const KEPT_PAGES: usize = 12;
/// Space between pages, in points of the window.
const GAP: f32 = 12.0;

enum Request {
    Render { page: usize, width: u32 },
    Boxes { page: usize },
}

enum Reply {
    Opened(Vec<(f32, f32)>),
    Failed(String),
    Rendered {
        page: usize,
        width: u32,
        image: ColorImage,
    },
    RenderFailed {
        page: usize,
        reason: String,
    },
    Boxes {
        page: usize,
        boxes: Vec<CharBox>,
    },
}

pub struct PageView {
    pub document: DocumentId,
    requests: Sender<Request>,
    replies: Receiver<Reply>,
    /// Page sizes in PDF points, once the worker has opened the file.
    sizes: Vec<(f32, f32)>,
    failed: Option<String>,
    textures: HashMap<usize, (u32, TextureHandle)>,
    rendering: HashSet<(usize, u32)>,
    render_failed: HashMap<usize, String>,
    boxes: HashMap<usize, Vec<CharBox>>,
    boxes_asked: HashSet<usize>,
    /// Where the text's pages start (code points).
    starts: Vec<usize>,
    drag_anchor: Option<usize>,
    scroll_to: Option<usize>,
    /// Last frame: each visible page's rectangle and scale (window points per PDF point).
    placed: Vec<(usize, Rect, f32)>,
    /// Last frame: the annotations drawn.
    painted: Vec<AnnotationId>,
}

impl PageView {
    /// Starts the worker on the PDF at `path`, whose text (as the project has it) is
    /// `text` with pages starting at `starts`.
    pub fn open(
        document: DocumentId,
        path: PathBuf,
        text: Arc<DocText>,
        starts: Vec<usize>,
        ctx: &Context,
    ) -> Self {
        let (requests, inbox) = channel();
        let (outbox, replies) = channel();
        let ctx = ctx.clone();
        let pages = starts.clone();
        let spawned = std::thread::Builder::new()
            .name("page-view".to_owned())
            .stack_size(16 << 20)
            .spawn(move || serve(&path, &text, &pages, &inbox, &outbox, &ctx));
        let failed = spawned
            .err()
            .map(|e| format!("the page view could not start: {e}"));
        Self {
            document,
            requests,
            replies,
            sizes: Vec::new(),
            failed,
            textures: HashMap::new(),
            rendering: HashSet::new(),
            render_failed: HashMap::new(),
            boxes: HashMap::new(),
            boxes_asked: HashSet::new(),
            starts,
            drag_anchor: None,
            scroll_to: None,
            placed: Vec::new(),
            painted: Vec::new(),
        }
    }

    /// Scrolls to the page holding `pos` on the next frame.
    pub fn show(&mut self, pos: CharPos) {
        self.scroll_to = Some(self.page_of(pos.0));
    }

    /// The index (from 0) of the page holding the character at `at`.
    fn page_of(&self, at: usize) -> usize {
        crate::model::document::page_holding(&self.starts, at).map_or(0, |page| page - 1)
    }

    /// How many pages are shown rendered (for tests waiting on the worker).
    pub fn rendered(&self) -> usize {
        self.textures.len()
    }

    /// True once the pages in view have their characters' boxes.
    pub fn has_boxes(&self) -> bool {
        !self.placed.is_empty() && self.placed.iter().all(|(p, ..)| self.boxes.contains_key(p))
    }

    /// The annotations drawn on the pages last frame.
    pub fn painted(&self) -> &[AnnotationId] {
        &self.painted
    }

    /// Why the pages cannot be shown, if they cannot.
    pub fn failure(&self) -> Option<&str> {
        self.failed.as_deref()
    }

    /// Where character `pos` was on screen last frame (its box), if on a page in view.
    pub fn screen_rect_of(&self, pos: CharPos) -> Option<Rect> {
        let page = self.page_of(pos.0);
        let (_, rect, scale) = self.placed.iter().find(|(p, ..)| *p == page)?;
        let found = self.boxes.get(&page)?.iter().find(|b| b.at == pos.0)?;
        Some(to_screen(*rect, *scale, found.rect))
    }

    /// Takes in what the worker finished.
    fn receive(&mut self, ctx: &Context) {
        while let Ok(reply) = self.replies.try_recv() {
            match reply {
                Reply::Opened(sizes) => self.sizes = sizes,
                Reply::Failed(reason) => self.failed = Some(reason),
                Reply::Rendered { page, width, image } => {
                    self.rendering.remove(&(page, width));
                    let texture = ctx.load_texture(
                        format!("pdf-page-{page}"),
                        image,
                        egui::TextureOptions::LINEAR,
                    );
                    self.textures.insert(page, (width, texture));
                }
                Reply::RenderFailed { page, reason } => {
                    self.rendering.retain(|(p, _)| *p != page);
                    self.render_failed.insert(page, reason);
                }
                Reply::Boxes { page, boxes } => {
                    self.boxes.insert(page, boxes);
                }
            }
        }
    }

    /// Draws the pages; returns the text selection made by a drag on them, if any.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        workspace: &Workspace,
        selected: Option<AnnotationId>,
        selection: Option<Span>,
        actions: &mut Vec<Action>,
    ) -> Option<Span> {
        self.receive(ui.ctx());
        if let Some(reason) = &self.failed {
            ui.heading("The pages cannot be shown");
            ui.label(reason);
            ui.label("The text view still works: View > Page view switches back.");
            return None;
        }
        if self.sizes.is_empty() {
            ui.weak("Opening the pages…");
            return None;
        }
        let width = (ui.available_width() - 16.0).clamp(200.0, 1000.0);
        let heights: Vec<f32> = self
            .sizes
            .iter()
            .map(|(w, h)| h * width / w.max(1.0))
            .collect();
        let tops: Vec<f32> = heights
            .iter()
            .scan(0.0, |y, h| {
                let top = *y;
                *y += h + GAP;
                Some(top)
            })
            .collect();
        let total = tops.last().copied().unwrap_or(0.0) + heights.last().copied().unwrap_or(0.0);
        let mut scroll = egui::ScrollArea::vertical()
            .id_salt(("page-view", self.document))
            .auto_shrink([false, false]);
        if let Some(page) = self.scroll_to.take()
            && let Some(top) = tops.get(page)
        {
            scroll = scroll.vertical_scroll_offset(*top);
        }
        let pixels = ui.ctx().pixels_per_point();
        let mut made = None;
        self.placed.clear();
        self.painted.clear();
        scroll.show(ui, |ui| {
            let (area, _) = ui.allocate_exact_size(Vec2::new(width, total), Sense::hover());
            let clip = ui.clip_rect();
            for (page, (&top, &height)) in tops.iter().zip(&heights).enumerate() {
                let rect =
                    Rect::from_min_size(area.min + Vec2::new(0.0, top), Vec2::new(width, height));
                if !rect.intersects(clip) {
                    continue;
                }
                let scale = width / self.sizes[page].0.max(1.0);
                self.placed.push((page, rect, scale));
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let wanted = (width * pixels).round() as u32;
                self.draw_page(ui, page, rect, wanted);
                self.draw_highlights(ui, workspace, page, rect, scale, selected, selection);
                if let Some(span) = self.interact(ui, page, rect, scale, workspace, actions) {
                    made = Some(span);
                }
            }
        });
        self.forget_far_pages();
        made
    }

    fn draw_page(&mut self, ui: &Ui, page: usize, rect: Rect, wanted: u32) {
        let painter = ui.painter();
        painter.rect_filled(rect, 0.0, Color32::WHITE);
        if let Some(reason) = self.render_failed.get(&page) {
            painter.text(
                rect.center(),
                egui::Align2::CENTER_CENTER,
                format!("Page {} could not be drawn ({reason})", page + 1),
                egui::FontId::proportional(14.0),
                Color32::DARK_RED,
            );
        } else {
            match self.textures.get(&page) {
                Some((_, texture)) => {
                    painter.image(
                        texture.id(),
                        rect,
                        Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0)),
                        Color32::WHITE,
                    );
                }
                None => {
                    painter.text(
                        rect.center(),
                        egui::Align2::CENTER_CENTER,
                        format!("Drawing page {}…", page + 1),
                        egui::FontId::proportional(14.0),
                        Color32::GRAY,
                    );
                }
            }
            let stale = self
                .textures
                .get(&page)
                .is_none_or(|(w, _)| w.abs_diff(wanted) > wanted / 8);
            if stale && !self.rendering.contains(&(page, wanted)) {
                self.rendering.insert((page, wanted));
                let _ = self.requests.send(Request::Render {
                    page,
                    width: wanted,
                });
            }
        }
        painter.rect_stroke(
            rect,
            0.0,
            Stroke::new(1.0, Color32::from_gray(160)),
            egui::StrokeKind::Outside,
        );
        if self.boxes_asked.insert(page) {
            let _ = self.requests.send(Request::Boxes { page });
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn draw_highlights(
        &mut self,
        ui: &Ui,
        workspace: &Workspace,
        page: usize,
        rect: Rect,
        scale: f32,
        selected: Option<AnnotationId>,
        selection: Option<Span>,
    ) {
        let Some(boxes) = self.boxes.get(&page) else {
            return;
        };
        let (Some(first), Some(last)) = (boxes.first(), boxes.last()) else {
            return;
        };
        let range = Span::between(CharPos(first.at), CharPos(last.at + 1));
        let project = workspace.project();
        let painter = ui.painter();
        for (_, id) in project.overlapping(self.document, range) {
            let Some(annotation) = project.annotation(id) else {
                continue;
            };
            let color = project
                .schema
                .label(&annotation.label)
                .map_or(Color32::GRAY, |l| theme::label_color(l.color));
            let pieces = annotation.pieces();
            let chosen = selected == Some(id);
            for line in lines(boxes, |at| pieces.iter().any(|p| p.contains(CharPos(at)))) {
                let on_screen = to_screen(rect, scale, line);
                painter.rect_filled(
                    on_screen,
                    1.0,
                    color.gamma_multiply(if chosen { 0.45 } else { 0.28 }),
                );
                if chosen {
                    painter.rect_stroke(
                        on_screen,
                        1.0,
                        Stroke::new(1.5, color),
                        egui::StrokeKind::Outside,
                    );
                }
            }
            self.painted.push(id);
        }
        if let Some(span) = selection {
            let fill = ui.visuals().selection.bg_fill.gamma_multiply(0.5);
            for line in lines(boxes, |at| span.contains(CharPos(at))) {
                painter.rect_filled(to_screen(rect, scale, line), 0.0, fill);
            }
        }
    }

    /// A drag on the page selects the characters between its ends; a click on a highlight
    /// selects its annotation.
    fn interact(
        &mut self,
        ui: &Ui,
        page: usize,
        rect: Rect,
        scale: f32,
        workspace: &Workspace,
        actions: &mut Vec<Action>,
    ) -> Option<Span> {
        let response = ui.interact(
            rect,
            ui.scope_id().with(("pdf-page", page)),
            Sense::click_and_drag(),
        );
        let pointer = response.interact_pointer_pos()?;
        let boxes = self.boxes.get(&page)?;
        let at = nearest(boxes, (pointer - rect.min) / scale)?;
        if response.drag_started() {
            // Where the button went down, not where the drag was recognised.
            let origin = ui.input(|i| i.pointer.press_origin()).unwrap_or(pointer);
            self.drag_anchor = nearest(boxes, (origin - rect.min) / scale);
        }
        if response.dragged()
            && let Some(anchor) = self.drag_anchor
        {
            let (start, end) = (anchor.min(at), anchor.max(at) + 1);
            return Some(Span::between(CharPos(start), CharPos(end)));
        }
        if response.drag_stopped() {
            self.drag_anchor = None;
        }
        if response.clicked() {
            let hit = workspace
                .project()
                .overlapping(self.document, Span::between(CharPos(at), CharPos(at + 1)))
                .into_iter()
                .min_by_key(|(span, _)| span.len())
                .map(|(_, id)| id);
            if let Some(id) = hit {
                actions.push(Action::JumpTo(id));
            }
        }
        None
    }

    /// Keeps the textures of the pages nearest those in view.
    fn forget_far_pages(&mut self) {
        if self.textures.len() <= KEPT_PAGES {
            return;
        }
        let Some(middle) = self.placed.first().map(|(p, ..)| *p) else {
            return;
        };
        let mut pages: Vec<usize> = self.textures.keys().copied().collect();
        pages.sort_by_key(|p| std::cmp::Reverse(p.abs_diff(middle)));
        for page in pages.into_iter().take(self.textures.len() - KEPT_PAGES) {
            self.textures.remove(&page);
        }
    }
}

/// A box on the page (PDF points from its top-left) on screen.
fn to_screen(page: Rect, scale: f32, [left, top, right, bottom]: [f32; 4]) -> Rect {
    Rect::from_min_max(
        page.min + Vec2::new(left, top) * scale,
        page.min + Vec2::new(right, bottom) * scale,
    )
}

/// The boxes of the characters `chosen` takes, joined into one rectangle per line.
fn lines(boxes: &[CharBox], chosen: impl Fn(usize) -> bool) -> Vec<[f32; 4]> {
    let mut out: Vec<[f32; 4]> = Vec::new();
    let mut last_at = None;
    for b in boxes.iter().filter(|b| chosen(b.at)) {
        let [left, top, right, bottom] = b.rect;
        let height = bottom - top;
        if let Some(line) = out.last_mut()
            && last_at.is_some_and(|a: usize| b.at <= a + 2)
            && (line[1] - top).abs() < height * 0.5
            && left >= line[0] - height
        {
            line[0] = line[0].min(left);
            line[1] = line[1].min(top);
            line[2] = line[2].max(right);
            line[3] = line[3].max(bottom);
        } else {
            out.push(b.rect);
        }
        last_at = Some(b.at);
    }
    out
}

/// The character whose box holds `point` (PDF points from the page's top-left), else the
/// one nearest to it.
fn nearest(boxes: &[CharBox], point: Vec2) -> Option<usize> {
    let distance = |b: &CharBox| {
        let [left, top, right, bottom] = b.rect;
        let dx = (left - point.x).max(point.x - right).max(0.0);
        // Lines are close together: being off a line counts more than along it.
        let dy = (top - point.y).max(point.y - bottom).max(0.0) * 3.0;
        dx * dx + dy * dy
    };
    boxes
        .iter()
        .min_by(|a, b| distance(a).total_cmp(&distance(b)))
        .map(|b| b.at)
}

/// The worker: opens the file twice (the renderer's parse and the text geometry's) and
/// answers requests, newest first, until the view is closed.
fn serve(
    path: &std::path::Path,
    text: &DocText,
    starts: &[usize],
    inbox: &Receiver<Request>,
    outbox: &Sender<Reply>,
    ctx: &Context,
) {
    let send = |reply: Reply| {
        let sent = outbox.send(reply).is_ok();
        ctx.request_repaint();
        sent
    };
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            send(Reply::Failed(format!(
                "cannot read the file: {e}: {}",
                path.display()
            )));
            return;
        }
    };
    let geometry = match PdfPages::open(bytes.clone(), None) {
        Ok(geometry) => geometry,
        Err(reason) => {
            send(Reply::Failed(format!("{reason}: {}", path.display())));
            return;
        }
    };
    let parsed = std::panic::catch_unwind(|| hayro::hayro_syntax::Pdf::new(bytes));
    let pdf = match parsed {
        Ok(Ok(pdf)) => pdf,
        Ok(Err(error)) => {
            send(Reply::Failed(format!(
                "the pages could not be read for drawing ({error:?}; an encrypted file?): {}",
                path.display()
            )));
            return;
        }
        Err(_) => {
            send(Reply::Failed(format!(
                "the page renderer failed on this file: {}",
                path.display()
            )));
            return;
        }
    };
    let pages = pdf.pages();
    let sizes: Vec<(f32, f32)> = pages
        .iter()
        .map(hayro::hayro_syntax::page::Page::render_dimensions)
        .collect();
    if !send(Reply::Opened(sizes)) {
        return;
    }
    let cache = hayro::RenderCache::new();
    let interpreter = hayro::hayro_interpret::InterpreterSettings::default();
    let render = hayro::RenderSettings::default();
    while let Ok(first) = inbox.recv() {
        let mut waiting = vec![first];
        waiting.extend(inbox.try_iter());
        // The newest first: the pages in view now.
        for request in waiting.into_iter().rev() {
            let reply = match request {
                Request::Boxes { page } => Reply::Boxes {
                    page,
                    boxes: geometry.boxes(page, text, starts),
                },
                Request::Render { page, width } => {
                    let Some(source) = pages.get(page) else {
                        continue;
                    };
                    let (page_width, _) = source.render_dimensions();
                    #[allow(clippy::cast_precision_loss)]
                    let scale = width as f32 / page_width.max(1.0);
                    let pixmap = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        hayro::render(
                            source,
                            &cache,
                            &interpreter,
                            &render,
                            &hayro::PixmapSettings {
                                x_scale: scale,
                                y_scale: scale,
                                ..hayro::PixmapSettings::default()
                            },
                        )
                    }));
                    match pixmap {
                        Ok(pixmap) => Reply::Rendered {
                            page,
                            width,
                            image: image_of(&pixmap),
                        },
                        Err(_) => Reply::RenderFailed {
                            page,
                            reason: "the renderer failed on it".to_owned(),
                        },
                    }
                }
            };
            if !send(reply) {
                return;
            }
        }
    }
}

fn image_of(pixmap: &hayro::vello_cpu::Pixmap) -> ColorImage {
    let size = [usize::from(pixmap.width()), usize::from(pixmap.height())];
    let bytes: Vec<u8> = pixmap
        .data()
        .iter()
        .flat_map(|p| [p.r, p.g, p.b, p.a])
        .collect();
    ColorImage::from_rgba_premultiplied(size, &bytes)
}
