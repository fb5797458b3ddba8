//! Colours and small text helpers shared by the panels and the document view.

use eframe::egui::{self, Color32, Sense, Ui, vec2};

use crate::model::Rgb;

/// A label's colour as egui's.
pub fn label_color(rgb: Rgb) -> Color32 {
    let [r, g, b] = rgb.0;
    Color32::from_rgb(r, g, b)
}

/// The colour of the label with id `id` in `schema` (grey for a label it does not have).
pub fn color_of_label(schema: &crate::model::Schema, id: &str) -> Color32 {
    schema
        .label(&crate::model::LabelId(id.into()))
        .map_or(Color32::GRAY, |l| label_color(l.color))
}

/// The translucent fill drawn behind annotated text; overlapping layers add up.
pub fn fill(color: Color32, dark: bool) -> Color32 {
    color.gamma_multiply(if dark { 0.28 } else { 0.22 })
}

/// Outline of the selected annotation: strong contrast in both themes.
pub fn outline(dark: bool) -> Color32 {
    if dark { Color32::WHITE } else { Color32::BLACK }
}

/// Text on a label-coloured button.
pub fn text_on(color: Color32) -> Color32 {
    let [r, g, b, _] = color.to_array();
    let luminance = 0.299 * f32::from(r) + 0.587 * f32::from(g) + 0.114 * f32::from(b);
    if luminance > 150.0 {
        Color32::BLACK
    } else {
        Color32::WHITE
    }
}

/// A small square of a label's colour, beside its name in lists.
pub fn swatch_ui(ui: &mut Ui, color: Color32) {
    let (rect, _) = ui.allocate_exact_size(vec2(10.0, 10.0), Sense::hover());
    ui.painter()
        .rect_filled(rect, egui::CornerRadius::same(2), color);
}

/// `text` on one line, cut to `max_chars` characters with an ellipsis, with right-to-left
/// words in the order they are read (see [`super::paragraph::display_order`]).
pub fn ellipsize(text: &str, max_chars: usize) -> String {
    let line = crate::model::text::ellipsize(text, max_chars);
    super::paragraph::display_order(&line).into_owned()
}

/// A one-line text field as wide as the space, with a hint and an accessible name (what
/// screen readers say and UI tests look for).
pub fn text_field_ui(
    ui: &mut eframe::egui::Ui,
    text: &mut String,
    hint: &str,
    accessible_name: &str,
) -> eframe::egui::Response {
    let response = ui.add(
        eframe::egui::TextEdit::singleline(text)
            .hint_text(hint)
            .desired_width(f32::INFINITY),
    );
    name_text_field(&response, accessible_name);
    response
}

/// Gives a text field the accessible name screen readers (and the UI tests) find it by.
pub fn name_text_field(response: &eframe::egui::Response, accessible_name: &str) {
    let name = accessible_name.to_owned();
    response.widget_info(move || {
        eframe::egui::WidgetInfo::labeled(eframe::egui::Role::TextInput, true, &name)
    });
}

/// The fonts shipped with Marginalia (`assets/fonts`, SIL Open Font License): Noto Sans
/// Arabic and Hebrew, so that right-to-left articles are drawn on any machine.
pub const SHIPPED_FONTS: [(&str, &[u8]); 2] = [
    (
        "Noto Sans Arabic",
        include_bytes!("../../assets/fonts/NotoSansArabic-Regular.ttf"),
    ),
    (
        "Noto Sans Hebrew",
        include_bytes!("../../assets/fonts/NotoSansHebrew-Regular.ttf"),
    ),
];

/// Adds [`SHIPPED_FONTS`] as fallbacks of the text's family (system fonts found later come
/// after them), unless they are there already.
pub fn install_fonts(ctx: &egui::Context) {
    use egui::epaint::text::{FontData, FontInsert, FontPriority, InsertFontFamily};
    let installed = ctx.fonts(|fonts| {
        fonts
            .definitions()
            .font_data
            .contains_key(SHIPPED_FONTS[0].0)
    });
    if installed {
        return;
    }
    for (name, data) in SHIPPED_FONTS {
        ctx.add_font(FontInsert::new(
            name,
            FontData::from_static(data),
            vec![InsertFontFamily {
                family: egui::FontFamily::Proportional,
                priority: FontPriority::Lowest,
            }],
        ));
    }
}

/// The window's look: egui's, with text at WCAG AAA contrast (at least 7:1) on the panels
/// and weak text (bylines, hints) at least 7:1 too; text on any label's fill keeps at least
/// 4.5:1 (egui's grey body text reached 5.2:1, and 3.6:1 on a claim's fill).
pub fn visuals(dark: bool) -> egui::Visuals {
    let mut visuals = if dark {
        egui::Visuals::dark()
    } else {
        egui::Visuals::light()
    };
    let (text, weak) = if dark { (225, 170) } else { (20, 85) };
    visuals.widgets.noninteractive.fg_stroke.color = Color32::from_gray(text);
    visuals.weak_text_color = Some(Color32::from_gray(weak));
    visuals
}

/// Gives both themes [`visuals`] (once: unless they are there already).
pub fn install_visuals(ctx: &egui::Context) {
    for (theme, dark) in [(egui::Theme::Dark, true), (egui::Theme::Light, false)] {
        let wanted = visuals(dark);
        let current = ctx.style_of(theme).visuals.text_color();
        if current != wanted.text_color() {
            ctx.set_visuals_of(theme, wanted);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG contrast ratio of two opaque colours (1 to 21).
    pub fn contrast(a: Color32, b: Color32) -> f32 {
        let luminance = |c: Color32| {
            let linear = |v: u8| {
                let v = f32::from(v) / 255.0;
                if v <= 0.040_45 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * linear(c.r()) + 0.7152 * linear(c.g()) + 0.0722 * linear(c.b())
        };
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    /// `over` (premultiplied, translucent) painted on the opaque `under`.
    pub fn blend(over: Color32, under: Color32) -> Color32 {
        let [r, g, b, a] = over.to_array();
        let keep = 1.0 - f32::from(a) / 255.0;
        let mix = |top: u8, bottom: u8| {
            let value = f32::from(top) + f32::from(bottom) * keep;
            // In 0..=255 by construction.
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "0..=255"
            )]
            let value = value.round().clamp(0.0, 255.0) as u8;
            value
        };
        Color32::from_rgb(mix(r, under.r()), mix(g, under.g()), mix(b, under.b()))
    }

    /// Issue 20, item 18: body text at 7:1 at least on the panels, weak text too, and 4.5:1
    /// at least on every default label's fill, in both themes.
    #[test]
    fn text_contrast_meets_wcag_in_both_themes_and_on_every_label_fill() {
        let schema = crate::model::Schema::default();
        for dark in [true, false] {
            let visuals = visuals(dark);
            let panel = visuals.panel_fill;
            let text = visuals.text_color();
            assert!(
                contrast(text, panel) >= 7.0,
                "dark {dark}: {}",
                contrast(text, panel)
            );
            let weak = visuals.weak_text_color();
            assert!(
                contrast(weak, panel) >= 7.0,
                "dark {dark}: weak {}",
                contrast(weak, panel)
            );
            for label in &schema.labels {
                let behind = blend(fill(label_color(label.color), dark), panel);
                let ratio = contrast(text, behind);
                assert!(ratio >= 4.5, "dark {dark}: {} fill {ratio}", label.name);
                // Two nested layers of it still read.
                let twice = blend(fill(label_color(label.color), dark), behind);
                assert!(
                    contrast(text, twice) >= 4.5,
                    "dark {dark}: {} twice",
                    label.name
                );
            }
        }
        // Black on white is 21:1; equal colours 1:1.
        assert!((contrast(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 0.01);
        assert!((contrast(Color32::GRAY, Color32::GRAY) - 1.0).abs() < 0.01);
    }
}
