//! Exact paragraph heights, measured on a worker thread after a document opens (or the
//! column width or theme changes), so that the scrollbar reflects the whole text without
//! the window laying out paragraphs nobody looks at. The worker lays the paragraphs out with
//! its own copy of the window's fonts, a batch at a time, and sends the heights back; the
//! document view takes them in each frame, keeping the text on screen in place.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};

use eframe::egui::{Color32, Context};
use eframe::epaint::text::{FontDefinitions, FontPriority, Fonts, TextOptions};

use super::paragraph::ParagraphLayout;
use crate::model::DocText;

/// Paragraphs measured between two messages (and cancel checks).
const BATCH: usize = 256;

/// A running measurement; dropping it stops the worker at its next batch.
pub struct HeightJob {
    cancel: Arc<AtomicBool>,
    received: Receiver<(usize, Vec<f32>)>,
    finished: bool,
}

impl HeightJob {
    /// Starts measuring every paragraph of `text` laid out as the view does (see
    /// [`ParagraphLayout`]) for a column `column` wide.
    pub fn start(ctx: &Context, text: Arc<DocText>, column: f32, color: Color32) -> Self {
        let (definitions, options) = window_fonts(ctx);
        let pixels_per_point = ctx.pixels_per_point();
        let cancel = Arc::new(AtomicBool::new(false));
        let (send, received) = channel();
        let stop = Arc::clone(&cancel);
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let mut fonts = Fonts::new(options, definitions);
            let paragraphs = text.paragraphs();
            for (batch, chunk) in paragraphs.chunks(BATCH).enumerate() {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                let heights = chunk
                    .iter()
                    .map(|paragraph| {
                        let content = text.paragraph_text(paragraph);
                        let layout = ParagraphLayout::new(content, color, column, &mut |job| {
                            Arc::new(fonts.layout_uncached(pixels_per_point, Arc::new(job)))
                        });
                        layout.height(paragraph.span.is_empty())
                    })
                    .collect();
                if send.send((batch * BATCH, heights)).is_err() {
                    return;
                }
                // Batches come fast: one repaint takes in all that arrived meanwhile.
                ctx.request_repaint_after(std::time::Duration::from_millis(30));
            }
        });
        Self {
            cancel,
            received,
            finished: false,
        }
    }

    /// The heights measured since the last call: (first paragraph, heights).
    pub fn take(&mut self) -> Vec<(usize, Vec<f32>)> {
        let mut out = Vec::new();
        loop {
            match self.received.try_recv() {
                Ok(batch) => out.push(batch),
                Err(std::sync::mpsc::TryRecvError::Empty) => break,
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    self.finished = true;
                    break;
                }
            }
        }
        out
    }

    /// True once every batch was sent and taken.
    pub fn finished(&self) -> bool {
        self.finished
    }
}

impl Drop for HeightJob {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

/// The window's font definitions (with the system fonts it found so far, as fallbacks) and
/// text options, for a worker's own [`Fonts`].
fn window_fonts(ctx: &Context) -> (FontDefinitions, TextOptions) {
    ctx.fonts(|fonts| {
        let mut definitions = fonts.definitions().clone();
        for insert in fonts.discovered_fonts() {
            if definitions.font_data.contains_key(&insert.name) {
                continue;
            }
            definitions
                .font_data
                .insert(insert.name.clone(), Arc::new(insert.data.clone()));
            for family in &insert.families {
                let list = definitions
                    .families
                    .entry(family.family.clone())
                    .or_default();
                match family.priority {
                    FontPriority::Highest => list.insert(0, insert.name.clone()),
                    FontPriority::Lowest => list.push(insert.name.clone()),
                }
            }
        }
        (definitions, *fonts.options())
    })
}
