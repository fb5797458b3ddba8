//! One paragraph of the document view, laid out: where each character is on screen and
//! which character is under a point.
//!
//! A paragraph with no right-to-left character is one egui galley, wrapped by egui. egui
//! shapes a right-to-left run in visual order but keeps no map from its glyphs back to the
//! characters, so a paragraph holding Arabic, Hebrew or another right-to-left script is
//! laid out here instead (Unicode bidi, UAX #9, through `unicode-bidi`):
//!
//! - the paragraph's base direction comes from its first strong character, and the levels
//!   of its characters from the bidi algorithm;
//! - it is cut into pieces: runs of one level that are all spaces or all not (a neutral
//!   piece inside a right-to-left run is cut into single characters, mirrored when they are
//!   brackets), each laid out on its own by egui;
//! - lines are broken between words, and each line's pieces put in visual order (rules
//!   L1 and L2); a right-to-left paragraph is aligned to the right;
//! - in each piece, the screen position of every character boundary is known: from the
//!   glyphs in order for a left-to-right piece, matched from the end for a right-to-left
//!   one. Boundaries inside a cluster the shaper drew as one glyph (a ligature, a letter
//!   with its marks) cannot be told apart on screen, so a pointer never lands inside one,
//!   and where a piece's glyphs cannot be matched to its characters at all, only its two
//!   ends can be picked.
//!
//! The model stays in logical order: positions in and out of this module are character
//! offsets into the paragraph, and a span is drawn as the rectangles of its characters
//! wherever the bidi order put them, so what is highlighted is what is saved.

use std::sync::Arc;

use eframe::egui::{
    self, Color32, FontId, Galley, Painter, Pos2, Rect, Vec2, pos2, text::CCursor, text::LayoutJob,
    vec2,
};
use unicode_bidi::{BidiClass, Level, ParagraphBidiInfo, bidi_class};

/// Font size of the document text.
pub const FONT_SIZE: f32 = 16.5;
/// Line height: room below the text for the underline lanes.
pub const LINE_HEIGHT: f32 = 31.0;
/// Space below a paragraph.
pub const PARAGRAPH_GAP: f32 = 8.0;
/// Height of an empty paragraph.
pub const EMPTY_PARAGRAPH_HEIGHT: f32 = 6.0;

/// A paragraph laid out for a column width.
pub enum ParagraphLayout {
    /// No right-to-left character: egui's own galley.
    Plain(Arc<Galley>),
    /// Right-to-left or mixed text: lines of pieces in visual order.
    Bidi(BidiLayout),
}

/// A paragraph laid out here, line by line.
pub struct BidiLayout {
    lines: Vec<Line>,
    /// Characters in the paragraph.
    len: usize,
}

struct Line {
    top: f32,
    /// Left to right on screen.
    pieces: Vec<Piece>,
}

/// A run of characters laid out by egui as one galley.
struct Piece {
    /// Left edge, relative to the paragraph.
    x: f32,
    galley: Arc<Galley>,
    /// First character (offset into the paragraph) and how many.
    start: usize,
    len: usize,
    /// The x (galley coordinates) of the boundary before each character, and after the
    /// last: `len + 1` values, falling for a right-to-left piece.
    edges: Vec<f32>,
    /// The boundaries a pointer may land on (`len + 1` values).
    stops: Vec<bool>,
    /// All spaces.
    space: bool,
}

impl Piece {
    fn width(&self) -> f32 {
        self.galley.size().x
    }
}

/// How a paragraph (or a piece of one) is laid out by egui.
pub fn paragraph_job(content: String, color: Color32, wrap: f32) -> LayoutJob {
    let mut job = LayoutJob::single_section(
        content,
        egui::TextFormat {
            font_id: FontId::proportional(FONT_SIZE),
            color,
            line_height: Some(LINE_HEIGHT),
            ..Default::default()
        },
    );
    job.wrap.max_width = wrap;
    job
}

/// True for a character of a right-to-left script (bidi class R or AL).
pub fn is_rtl_char(c: char) -> bool {
    matches!(bidi_class(c), BidiClass::R | BidiClass::AL)
}

impl ParagraphLayout {
    /// Lays out `content` for a column `column` wide; `layout` turns a job into a galley
    /// (the window's fonts, or a worker's copy of them).
    pub fn new(
        content: &str,
        color: Color32,
        column: f32,
        layout: &mut dyn FnMut(LayoutJob) -> Arc<Galley>,
    ) -> Self {
        if content.chars().any(is_rtl_char) {
            Self::Bidi(BidiLayout::new(content, color, column, layout))
        } else {
            Self::Plain(layout(paragraph_job(content.to_owned(), color, column)))
        }
    }

    /// The height the paragraph takes in the view, gap below included.
    pub fn height(&self, is_empty: bool) -> f32 {
        if is_empty {
            return EMPTY_PARAGRAPH_HEIGHT;
        }
        let text = match self {
            Self::Plain(galley) => galley.size().y,
            Self::Bidi(bidi) => points(bidi.lines.len().max(1)) * LINE_HEIGHT,
        };
        text + PARAGRAPH_GAP
    }

    /// The character boundary (offset into the paragraph) nearest to `local` (relative to
    /// the paragraph's top left corner).
    pub fn char_at(&self, local: Vec2) -> usize {
        match self {
            Self::Plain(galley) => galley.cursor_from_pos(local).index.0,
            Self::Bidi(bidi) => bidi.char_at(local),
        }
    }

    /// Where the boundary before character `index` is (relative to the paragraph), in the
    /// middle of its line's text: the left edge of a left-to-right character, the right
    /// edge of a right-to-left one.
    pub fn pos_of(&self, index: usize) -> Pos2 {
        match self {
            Self::Plain(galley) => {
                let rect = galley.pos_from_cursor(CCursor::new(index));
                let band = text_band(galley, rect.min.y);
                pos2(rect.min.x, band.center().y)
            }
            Self::Bidi(bidi) => bidi.pos_of(index),
        }
    }

    /// The rectangles (relative to the paragraph) covering characters `[from, to)`, one per
    /// line or run of adjacent pieces.
    pub fn bands(&self, from: usize, to: usize) -> Vec<Rect> {
        match self {
            Self::Plain(galley) => plain_bands(galley, from, to),
            Self::Bidi(bidi) => bidi.bands(from, to),
        }
    }

    /// Paints the text with its top left corner at `origin`.
    pub fn paint(&self, painter: &Painter, origin: Pos2, color: Color32) {
        match self {
            Self::Plain(galley) => painter.galley(origin, galley.clone(), color),
            Self::Bidi(bidi) => {
                for line in &bidi.lines {
                    for piece in &line.pieces {
                        painter.galley(
                            origin + vec2(piece.x, line.top),
                            piece.galley.clone(),
                            color,
                        );
                    }
                }
            }
        }
    }

    /// Every glyph drawn, with the character egui shaped it for and its box (relative to
    /// the paragraph): what the analyst sees, for tests to compare with what is saved.
    pub fn glyphs(&self) -> Vec<(char, Rect)> {
        let galleys: Vec<(Vec2, &Galley)> = match self {
            Self::Plain(galley) => vec![(Vec2::ZERO, &**galley)],
            Self::Bidi(bidi) => bidi
                .lines
                .iter()
                .flat_map(|line| {
                    line.pieces
                        .iter()
                        .map(move |p| (vec2(p.x, line.top), &*p.galley))
                })
                .collect(),
        };
        let mut out = Vec::new();
        for (offset, galley) in galleys {
            for row in &galley.rows {
                for glyph in &row.glyphs {
                    if glyph.advance_width > 0.0 && !glyph.chr.is_whitespace() {
                        let rect = glyph.logical_rect().translate(row.pos.to_vec2() + offset);
                        out.push((glyph.chr, rect));
                    }
                }
            }
        }
        out
    }
}

/// One unit of a paragraph before line breaking: characters `[start, end)` (and bytes).
struct Unit {
    start: usize,
    end: usize,
    bytes: std::ops::Range<usize>,
    level: Level,
    space: bool,
}

impl BidiLayout {
    fn new(
        content: &str,
        color: Color32,
        column: f32,
        layout: &mut dyn FnMut(LayoutJob) -> Arc<Galley>,
    ) -> Self {
        let info = ParagraphBidiInfo::new(content, None);
        let base = info.paragraph_level;
        let units = units(content, &info.levels);
        let pieces: Vec<Piece> = units
            .iter()
            .map(|unit| lay_out_piece(content, unit, color, layout))
            .collect();
        let mut lines = Vec::new();
        for (index, range) in break_lines(&units, &pieces, column).into_iter().enumerate() {
            // L1: spaces at the end of a line (and before a tab) take the paragraph's level.
            let mut levels: Vec<Level> = units[range.clone()].iter().map(|u| u.level).collect();
            let mut trailing = true;
            for (i, unit) in units[range.clone()].iter().enumerate().rev() {
                let tab = content[unit.bytes.clone()].contains('\t');
                if tab {
                    trailing = true;
                }
                if unit.space && trailing {
                    levels[i] = base;
                } else {
                    trailing = false;
                }
            }
            // L2: reversed runs, from the highest level down.
            let order = ParagraphBidiInfo::reorder_visual(&levels);
            let mut line_pieces: Vec<Piece> = Vec::with_capacity(order.len());
            let mut x = 0.0;
            for logical in order {
                let source = &pieces[range.start + logical];
                line_pieces.push(Piece {
                    x,
                    galley: source.galley.clone(),
                    start: source.start,
                    len: source.len,
                    edges: source.edges.clone(),
                    stops: source.stops.clone(),
                    space: source.space,
                });
                x += source.width();
            }
            if base.is_rtl() {
                // Aligned to the right.
                let shift = column - x;
                for piece in &mut line_pieces {
                    piece.x += shift;
                }
            }
            lines.push(Line {
                top: points(index) * LINE_HEIGHT,
                pieces: line_pieces,
            });
        }
        Self {
            lines,
            len: content.chars().count(),
        }
    }

    fn line_at(&self, y: f32) -> Option<&Line> {
        let below = self.lines.partition_point(|line| line.top <= y);
        self.lines.get(below.saturating_sub(1))
    }

    fn char_at(&self, local: Vec2) -> usize {
        let Some(line) = self.line_at(local.y) else {
            return 0;
        };
        // The piece under x, or the nearest one.
        let distance = |p: &Piece| {
            if local.x < p.x {
                p.x - local.x
            } else if local.x > p.x + p.width() {
                local.x - p.x - p.width()
            } else {
                0.0
            }
        };
        let Some(piece) = line
            .pieces
            .iter()
            .min_by(|a, b| distance(a).total_cmp(&distance(b)))
        else {
            return 0;
        };
        let x = local.x - piece.x;
        let best = (0..=piece.len)
            .filter(|&k| piece.stops[k])
            .min_by(|&a, &b| {
                (piece.edges[a] - x)
                    .abs()
                    .total_cmp(&(piece.edges[b] - x).abs())
            })
            .unwrap_or(0);
        piece.start + best
    }

    fn pos_of(&self, index: usize) -> Pos2 {
        // The end of the paragraph is the boundary after its last character.
        let inside = index.min(self.len.saturating_sub(1));
        let found = self.lines.iter().find_map(|line| {
            line.pieces
                .iter()
                .find(|p| p.start <= inside && inside < p.start + p.len)
                .map(|p| (line, p))
        });
        let Some((line, piece)) = found else {
            return Pos2::ZERO;
        };
        let band = text_band(&piece.galley, 0.0);
        let k = (index - piece.start).min(piece.len);
        pos2(piece.x + piece.edges[k], line.top + band.center().y)
    }

    fn bands(&self, from: usize, to: usize) -> Vec<Rect> {
        let mut out = Vec::new();
        for line in &self.lines {
            let mut current: Option<Rect> = None;
            for piece in &line.pieces {
                let a = from.max(piece.start);
                let b = to.min(piece.start + piece.len);
                if a >= b {
                    continue;
                }
                let x0 = piece.edges[a - piece.start];
                let x1 = piece.edges[b - piece.start];
                let band = text_band(&piece.galley, 0.0);
                let rect = Rect::from_min_max(
                    pos2(piece.x + x0.min(x1), line.top + band.min.y),
                    pos2(piece.x + x0.max(x1), line.top + band.max.y),
                );
                if rect.width() <= 0.0 {
                    continue;
                }
                current = match current {
                    Some(open) if (open.max.x - rect.min.x).abs() < 0.5 => Some(open.union(rect)),
                    Some(open) => {
                        out.push(open);
                        Some(rect)
                    }
                    None => Some(rect),
                };
            }
            out.extend(current);
        }
        out
    }
}

/// `line` (one line, as a label shows it) with its words in the order they are seen: egui
/// puts the runs of a label side by side in logical order (shaping a right-to-left word
/// right to left inside), so a right-to-left phrase needs its words, not its letters, given
/// in visual order. Text without right-to-left letters comes back as it is.
pub fn display_order(line: &str) -> std::borrow::Cow<'_, str> {
    if !line.chars().any(is_rtl_char) {
        return std::borrow::Cow::Borrowed(line);
    }
    let info = ParagraphBidiInfo::new(line, None);
    let units = units(line, &info.levels);
    let mut levels: Vec<Level> = units.iter().map(|u| u.level).collect();
    for (level, unit) in levels.iter_mut().zip(&units).rev() {
        if !unit.space {
            break;
        }
        *level = info.paragraph_level;
    }
    let mut out = String::with_capacity(line.len());
    for index in ParagraphBidiInfo::reorder_visual(&levels) {
        let unit = &units[index];
        let text = &line[unit.bytes.clone()];
        if unit.level.is_rtl() && unit.end - unit.start == 1 {
            out.extend(text.chars().map(mirrored));
        } else {
            out.push_str(text);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Cuts the paragraph into units: maximal runs of one level that are all spaces or none;
/// at a right-to-left level, runs of letters, and every other character (punctuation,
/// brackets) on its own, so that they too are put in visual order.
fn units(content: &str, levels: &[Level]) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    for (index, (byte, c)) in content.char_indices().enumerate() {
        let level = levels[byte];
        let space = c.is_whitespace();
        let end = byte + c.len_utf8();
        match units.last_mut() {
            Some(unit) if unit.level == level && unit.space == space => {
                unit.end = index + 1;
                unit.bytes.end = end;
            }
            _ => units.push(Unit {
                start: index,
                end: index + 1,
                bytes: byte..end,
                level,
                space,
            }),
        }
    }
    let mut out = Vec::with_capacity(units.len());
    for unit in units {
        if !unit.level.is_rtl() || unit.space {
            out.push(unit);
            continue;
        }
        // egui shapes each run of one font on its own and puts the runs side by side in
        // logical order: a right-to-left piece must be letters (and their marks) only, any
        // other character a piece of its own, placed here.
        let text = &content[unit.bytes.clone()];
        let mut letters: Option<Unit> = None;
        for (i, (byte, c)) in text.char_indices().enumerate() {
            let at = unit.bytes.start + byte;
            let one = Unit {
                start: unit.start + i,
                end: unit.start + i + 1,
                bytes: at..at + c.len_utf8(),
                level: unit.level,
                space: false,
            };
            let letter = matches!(
                bidi_class(c),
                BidiClass::R | BidiClass::AL | BidiClass::NSM | BidiClass::BN
            );
            match (&mut letters, letter) {
                (Some(run), true) => {
                    run.end = one.end;
                    run.bytes.end = one.bytes.end;
                }
                (None, true) => letters = Some(one),
                (_, false) => {
                    out.extend(letters.take());
                    out.push(one);
                }
            }
        }
        out.extend(letters);
    }
    out
}

/// Breaks the units into lines at most `column` wide (a word longer than that gets a line
/// of its own): ranges of unit indices, in logical order.
fn break_lines(units: &[Unit], pieces: &[Piece], column: f32) -> Vec<std::ops::Range<usize>> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut width = 0.0;
    let mut i = 0;
    while i < units.len() {
        // A word: units that are not spaces, then the spaces after them.
        let word_start = i;
        while i < units.len() && !units[i].space {
            i += 1;
        }
        let word: f32 = pieces[word_start..i].iter().map(Piece::width).sum();
        while i < units.len() && units[i].space {
            i += 1;
        }
        let spaces: f32 = pieces[word_start..i].iter().map(Piece::width).sum::<f32>() - word;
        if word_start > start && width + word > column {
            lines.push(start..word_start);
            start = word_start;
            width = 0.0;
        }
        width += word + spaces;
    }
    if start < units.len() || lines.is_empty() {
        lines.push(start..units.len());
    }
    lines
}

/// Lays out one unit and finds the screen position of each of its character boundaries.
fn lay_out_piece(
    content: &str,
    unit: &Unit,
    color: Color32,
    layout: &mut dyn FnMut(LayoutJob) -> Arc<Galley>,
) -> Piece {
    let text = &content[unit.bytes.clone()];
    let rtl = unit.level.is_rtl();
    let chars: Vec<char> = if rtl && unit.end - unit.start == 1 {
        text.chars().map(mirrored).collect()
    } else {
        text.chars().collect()
    };
    let shown: String = chars.iter().collect();
    let galley = layout(paragraph_job(shown, color, f32::INFINITY));
    let glyphs: Vec<&egui::epaint::text::Glyph> =
        galley.rows.iter().flat_map(|r| r.glyphs.iter()).collect();
    // egui pads a right-to-left run with empty glyphs (no width, nothing drawn) so that it
    // has one per character; they are not where the characters are.
    let drawn: Vec<&egui::epaint::text::Glyph> = glyphs
        .iter()
        .copied()
        .filter(|g| g.advance_width > 0.0 || !g.uv_rect.is_nothing())
        .collect();
    let len = chars.len();
    let width = galley.size().x;
    let matched = if rtl && text.chars().any(is_rtl_char) {
        match_from_the_end(&chars, &drawn, width)
    } else if glyphs.len() == len {
        // egui keeps one glyph per character, in order, for left-to-right text.
        let mut edges: Vec<f32> = glyphs.iter().map(|g| g.pos.x).collect();
        edges.push(width);
        if rtl {
            // A single sign in a right-to-left run: it starts on its right.
            edges = edges.into_iter().map(|e| width - e).collect();
        }
        Some((edges, vec![true; len + 1]))
    } else {
        None
    };
    let (edges, stops) = matched.unwrap_or_else(|| {
        // Not matched: only the ends can be picked; inner boundaries evenly spread.
        let edges = (0..=len)
            .map(|k| {
                let share = points(k) / points(len.max(1));
                if rtl {
                    width * (1.0 - share)
                } else {
                    width * share
                }
            })
            .collect();
        let stops = (0..=len).map(|k| k == 0 || k == len).collect();
        (edges, stops)
    });
    Piece {
        x: 0.0,
        galley,
        start: unit.start,
        len,
        edges,
        stops,
        space: unit.space,
    }
}

/// Matches the glyphs of a right-to-left piece (left to right on screen, so the logical
/// order from the end) to its characters: a glyph names the first character of its
/// cluster; characters without a glyph of their own (ligature parts, marks) are inside the
/// cluster before them. `None` if they do not match.
fn match_from_the_end(
    chars: &[char],
    glyphs: &[&egui::epaint::text::Glyph],
    width: f32,
) -> Option<(Vec<f32>, Vec<bool>)> {
    let len = chars.len();
    // Per cluster: first character, and its extent on screen.
    let mut clusters: Vec<(usize, f32, f32)> = Vec::new();
    let mut j = glyphs.len();
    for (k, &c) in chars.iter().enumerate() {
        if j > 0 && glyphs[j - 1].chr == c {
            let glyph = glyphs[j - 1];
            let (mut left, mut right) = (glyph.pos.x, glyph.pos.x + glyph.advance_width);
            j -= 1;
            // More glyphs of the same cluster (a base and its marks all name the base).
            let doubled = chars.get(k + 1) == Some(&c);
            while !doubled && j > 0 && glyphs[j - 1].chr == c {
                left = left.min(glyphs[j - 1].pos.x);
                right = right.max(glyphs[j - 1].pos.x + glyphs[j - 1].advance_width);
                j -= 1;
            }
            clusters.push((k, left, right));
        } else if k == 0 {
            return None;
        }
    }
    if j != 0 {
        return None;
    }
    let mut edges = vec![0.0; len + 1];
    let mut stops = vec![false; len + 1];
    for (n, &(first, left, right)) in clusters.iter().enumerate() {
        let next = clusters.get(n + 1).map_or(len, |c| c.0);
        let count = points(next - first);
        for (i, edge) in edges[first..next].iter_mut().enumerate() {
            // Inside a cluster: spread over it (drawn only; never a stop).
            *edge = right - (right - left) * points(i) / count;
        }
        stops[first] = true;
    }
    edges[len] = clusters.last().map_or(0.0, |c| c.1.min(width));
    stops[len] = true;
    Some((edges, stops))
}

/// A count as a length in points (counts here are of characters and lines of one paragraph).
#[expect(clippy::cast_precision_loss, reason = "far below 2^24")]
fn points(count: usize) -> f32 {
    count as f32
}

/// The mirror image of a bracket (a single one, drawn in a right-to-left run).
fn mirrored(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        '‹' => '›',
        '›' => '‹',
        other => other,
    }
}

/// The vertical band of a row where the glyphs are (not the extra line spacing).
pub fn text_band(galley: &Galley, row_top: f32) -> Rect {
    let glyph = galley.rows.iter().find_map(|r| r.glyphs.first());
    let (ascent, height) = glyph.map_or((FONT_SIZE, FONT_SIZE * 1.2), |g| {
        (g.font_ascent, g.font_height)
    });
    let baseline = glyph.map_or(FONT_SIZE, |g| g.pos.y);
    let top = row_top + baseline - ascent;
    Rect::from_min_max(pos2(0.0, top), pos2(0.0, top + height))
}

/// The rectangles (galley coordinates) covering characters `[from, to)`, one per row.
fn plain_bands(galley: &Galley, from: usize, to: usize) -> Vec<Rect> {
    let mut bands = Vec::new();
    let mut row_start = 0;
    for row in &galley.rows {
        let count = row.glyphs.len();
        let row_end = row_start + count;
        let a = from.max(row_start);
        let b = to.min(row_end);
        if a < b {
            let x0 = row.pos.x + row.x_offset(egui::epaint::text::CharIndex(a - row_start));
            let x1 = row.pos.x + row.x_offset(egui::epaint::text::CharIndex(b - row_start));
            let band = text_band(galley, row.pos.y);
            bands.push(Rect::from_min_max(
                pos2(x0, band.min.y),
                pos2(x1, band.max.y),
            ));
        }
        row_start = row_end + usize::from(row.ends_with_newline);
    }
    bands
}

#[cfg(test)]
mod tests {
    use super::*;
    use eframe::epaint::text::{FontData, FontDefinitions, Fonts, TextOptions};

    fn fonts() -> Fonts {
        let mut definitions = FontDefinitions::default();
        for (name, data) in crate::gui::theme::SHIPPED_FONTS {
            definitions
                .font_data
                .insert(name.to_owned(), Arc::new(FontData::from_static(data)));
            if let Some(list) = definitions
                .families
                .get_mut(&egui::FontFamily::Proportional)
            {
                list.push(name.to_owned());
            }
        }
        Fonts::new(TextOptions::default(), definitions)
    }

    fn lay_out(fonts: &mut Fonts, text: &str, column: f32) -> ParagraphLayout {
        ParagraphLayout::new(text, Color32::BLACK, column, &mut |job| {
            Arc::new(fonts.layout_uncached(1.0, Arc::new(job)))
        })
    }

    const ARABIC: &str = "سواء كانت نبتة أو حيوانًا أو كائنًا بشريًّا، تتألّف كلّ الموادّ الحيّة على كوكبنا الأرض من خلايا، باستثناء الفيروسات (سنعود إليها لاحقًا). الكائنات الأكثر بساطة، كالبكتيريا مثلًا، ليست مكوّنة سوى من خليّة واحدة.";
    const MIXED: &str = "The spokesman, Danny Cohen (דני כהן) said the Iron Dome (כיפת ברזל) intercepted 90% of the rockets.";

    fn bidi(layout: &ParagraphLayout) -> &BidiLayout {
        match layout {
            ParagraphLayout::Bidi(bidi) => bidi,
            ParagraphLayout::Plain(_) => panic!("laid out by egui"),
        }
    }

    #[test]
    fn labels_get_right_to_left_words_in_the_order_they_are_seen() {
        assert_eq!(display_order("Iron Dome"), "Iron Dome");
        // egui draws each word right to left but the words left to right: the last word
        // comes first.
        assert_eq!(display_order("أردنا أن نفهم"), "نفهم أن أردنا");
        assert_eq!(
            display_order("the Iron Dome (כיפת ברזל) said"),
            "the Iron Dome (ברזל כיפת) said"
        );
        assert_eq!(display_order("(كلمة)"), "(كلمة)");
    }

    #[test]
    fn only_paragraphs_with_right_to_left_letters_are_laid_out_here() {
        let mut fonts = fonts();
        assert!(matches!(
            lay_out(&mut fonts, "Plain English (and digits 123).", 300.0),
            ParagraphLayout::Plain(_)
        ));
        assert!(matches!(
            lay_out(&mut fonts, MIXED, 300.0),
            ParagraphLayout::Bidi(_)
        ));
    }

    #[test]
    fn a_right_to_left_paragraph_breaks_into_lines_aligned_right() {
        let mut fonts = fonts();
        let column = 300.0;
        let layout = lay_out(&mut fonts, ARABIC, column);
        let bidi = bidi(&layout);
        assert!(bidi.lines.len() >= 3, "{} lines", bidi.lines.len());
        let mut seen = vec![0; ARABIC.chars().count()];
        for line in &bidi.lines {
            let right = line
                .pieces
                .iter()
                .map(|p| p.x + p.width())
                .fold(f32::MIN, f32::max);
            assert!((right - column).abs() < 1.0, "right edge {right}");
            for piece in &line.pieces {
                // Spaces at the end of a line may hang off its left end.
                assert!(
                    piece.x >= -0.5 || piece.space,
                    "inside the column: {}",
                    piece.x
                );
                for count in &mut seen[piece.start..piece.start + piece.len] {
                    *count += 1;
                }
            }
        }
        assert!(seen.iter().all(|&n| n == 1), "every character once");
        assert!(
            (layout.height(false) - (points(bidi.lines.len()) * LINE_HEIGHT + PARAGRAPH_GAP)).abs()
                < 0.01
        );
    }

    #[test]
    fn the_pointer_finds_the_character_it_points_at() {
        let mut fonts = fonts();
        for text in [ARABIC, MIXED] {
            let layout = lay_out(&mut fonts, text, 400.0);
            let bidi = bidi(&layout);
            for line in &bidi.lines {
                for piece in &line.pieces {
                    for k in 0..piece.len {
                        if !piece.stops[k] {
                            continue;
                        }
                        let (start, end) = (piece.edges[k], piece.edges[k + 1]);
                        if (end - start).abs() < 3.0 {
                            continue;
                        }
                        // Just inside the character, on the side it starts.
                        let x = piece.x + start + (end - start).signum();
                        let y = line.top + LINE_HEIGHT / 2.0;
                        assert_eq!(
                            layout.char_at(vec2(x, y)),
                            piece.start + k,
                            "{text:?} at {}",
                            piece.start + k
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_pointer_never_lands_inside_a_letter_drawn_with_its_marks() {
        let mut fonts = fonts();
        // "كلّ": kaf, lam, shadda; the shadda is drawn on the lam.
        let text = "كلّ شيء";
        let layout = lay_out(&mut fonts, text, 400.0);
        let landed: std::collections::BTreeSet<usize> = (0..400)
            .map(|x| layout.char_at(vec2(points(x), LINE_HEIGHT / 2.0)))
            .collect();
        assert!(
            !landed.contains(&2),
            "between lam and its shadda: {landed:?}"
        );
        assert!(landed.contains(&0) && landed.contains(&1) && landed.contains(&3));
        assert_eq!(layout.bands(0, 3).len(), 1, "the word is one band");
    }

    #[test]
    fn brackets_in_a_right_to_left_run_are_mirrored_and_placed_in_visual_order() {
        let mut fonts = fonts();
        let text = "باستثناء الفيروسات (سنعود إليها).";
        let layout = lay_out(&mut fonts, text, 600.0);
        let glyphs = layout.glyphs();
        let x_of = |c: char| {
            glyphs
                .iter()
                .find(|(g, _)| *g == c)
                .map(|(_, r)| r.center().x)
                .expect("drawn")
        };
        // Read from the right: "(" opens before سنعود, so it is drawn as ")" right of it.
        let open = text.chars().position(|c| c == '(').expect("open");
        let word = open + 1;
        let open_x = layout.pos_of(open).x;
        assert!(open_x > layout.pos_of(word).x);
        assert!(
            x_of(')') > x_of('('),
            "mirrored: the opening one is on the right"
        );
    }
}
