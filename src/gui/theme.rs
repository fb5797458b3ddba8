//! Colours and small text helpers shared by the panels and the document view.

use eframe::egui::{self, Color32, Sense, Ui, vec2};

use crate::model::Rgb;

/// A label's colour as egui's.
pub fn label_color(rgb: Rgb) -> Color32 {
    let [r, g, b] = rgb.0;
    Color32::from_rgb(r, g, b)
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
    let name = accessible_name.to_owned();
    response.widget_info(move || {
        eframe::egui::WidgetInfo::labeled(eframe::egui::Role::TextInput, true, &name)
    });
    response
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
