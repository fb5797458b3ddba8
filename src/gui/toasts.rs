//! Messages for the user: errors stay until dismissed, notices fade after a few seconds.
//! Every message is also kept in a log (for the UI tests and a later message history).

use eframe::egui::{self, Align2, RichText};

const NOTICE_SECONDS: f64 = 5.0;

struct Toast {
    text: String,
    is_error: bool,
    /// When it was first shown (egui time), set on first paint.
    shown_at: Option<f64>,
}

/// The toasts currently shown, and the log of all.
#[derive(Default)]
pub struct Toasts {
    shown: Vec<Toast>,
    log: Vec<String>,
}

impl Toasts {
    pub fn error(&mut self, text: impl Into<String>) {
        self.push(text.into(), true);
    }

    /// Says why `doing` failed ("Cannot {doing}: {why}") if `result` is an error; the
    /// value otherwise.
    pub fn failed<T, E: std::fmt::Display>(
        &mut self,
        doing: &str,
        result: Result<T, E>,
    ) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(e) => {
                self.error(format!("Cannot {doing}: {e}"));
                None
            }
        }
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.push(text.into(), false);
    }

    fn push(&mut self, text: String, is_error: bool) {
        self.log.push(text.clone());
        self.shown.push(Toast {
            text,
            is_error,
            shown_at: None,
        });
    }

    pub fn log(&self) -> &[String] {
        &self.log
    }

    pub fn ui(&mut self, ctx: &egui::Context) {
        if self.shown.is_empty() {
            return;
        }
        let now = ctx.input(|i| i.time);
        self.shown
            .retain(|t| t.is_error || t.shown_at.is_none_or(|at| now - at < NOTICE_SECONDS));
        if self.shown.iter().any(|t| t.shown_at.is_none()) {
            // egui sizes a new area in an invisible first frame: draw the next one too, or
            // a message that arrived in the last frame before the app went idle (a worker's
            // outcome) would stay invisible until the next input.
            ctx.request_repaint();
        }
        let mut dismissed = None;
        egui::Area::new(egui::Id::unique("toasts"))
            .anchor(Align2::RIGHT_BOTTOM, [-16.0, -40.0])
            .order(egui::Order::Foreground)
            .show(ctx, |ui| {
                ui.set_max_width(460.0);
                for (i, toast) in self.shown.iter_mut().enumerate() {
                    toast.shown_at.get_or_insert(now);
                    let stroke = if toast.is_error {
                        ui.visuals().error_fg_color
                    } else {
                        ui.visuals().widgets.noninteractive.bg_stroke.color
                    };
                    egui::Frame::popup(ui.style())
                        .stroke(egui::Stroke::new(1.5, stroke))
                        .show(ui, |ui| {
                            ui.horizontal(|ui| {
                                let text = RichText::new(&toast.text);
                                ui.add(egui::Label::new(text).wrap());
                                if ui.small_button("Dismiss").clicked() {
                                    dismissed = Some(i);
                                }
                            });
                        });
                }
            });
        if let Some(i) = dismissed {
            self.shown.remove(i);
        }
        if self.shown.iter().any(|t| !t.is_error) {
            ctx.request_repaint_after(std::time::Duration::from_millis(500));
        }
    }
}
