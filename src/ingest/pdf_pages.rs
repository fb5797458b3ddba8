//! Where a PDF document's characters are on its pages, for the page view: the page sizes,
//! and for each character of the document's text (as extracted, in code points) the box
//! its glyph occupies. The text was cleaned up after extraction (running lines dropped,
//! hyphens joined, ligatures spelled out), so the page's glyphs are matched to it in order,
//! skipping what the text left out; a character without a match has no box.

use crate::model::DocText;

/// A character of the document's text and its box on a page, in points from the page's
/// top-left corner: `[left, top, right, bottom]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CharBox {
    pub at: usize,
    pub rect: [f32; 4],
}

/// A PDF opened for its geometry (on a worker: opening parses the file).
pub struct PdfPages {
    document: pdf_oxide::PdfDocument,
    count: usize,
}

/// How far ahead a character of the text is looked for among the page's glyphs before the
/// match is started again from a run of characters found elsewhere on the page.
const WINDOW: usize = 600;
/// A glyph this near the last one matched is taken without looking further.
pub(crate) const NEAR: usize = 40;

impl PdfPages {
    /// Opens the PDF in `bytes` (with `password` if it needs one).
    pub fn open(bytes: Vec<u8>, password: Option<&str>) -> Result<Self, String> {
        let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pdf_oxide::PdfDocument::from_bytes(bytes)
        }));
        let document = match opened {
            Ok(Ok(document)) => document,
            Ok(Err(error)) => return Err(format!("not a readable PDF: {error}")),
            Err(_) => return Err("the reader failed on the file's structure".to_owned()),
        };
        if let Some(password) = password
            && document.is_encrypted()
            && !document.is_authenticated()
        {
            let _ = document.authenticate(password.as_bytes());
        }
        let count = document.page_count().map_err(|e| e.to_string())?;
        Ok(Self { document, count })
    }

    pub fn count(&self) -> usize {
        self.count
    }

    /// The page's size in points (its visible box), width and height.
    pub fn size(&self, page: usize) -> Option<(f32, f32)> {
        let (x0, y0, x1, y1) = self.document.get_page_visible_box(page).ok()?;
        Some(((x1 - x0).abs(), (y1 - y0).abs()))
    }

    /// The boxes of the characters of `text` on `page` (0-based), where the page's text
    /// starts at `pages[page]` and ends where the next page starts.
    pub fn boxes(&self, page: usize, text: &DocText, pages: &[usize]) -> Vec<CharBox> {
        let Some(&start) = pages.get(page) else {
            return Vec::new();
        };
        let end = pages
            .get(page + 1)
            .copied()
            .unwrap_or_else(|| text.char_len());
        let Ok((x0, y0, x1, y1)) = self.document.get_page_visible_box(page) else {
            return Vec::new();
        };
        let (width, height) = ((x1 - x0).abs(), (y1 - y0).abs());
        let chars = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.document.extract_chars(page)
        }));
        let Ok(Ok(chars)) = chars else {
            return Vec::new();
        };
        // The glyph box from the baseline: a fifth of the size below it, four fifths above.
        let glyphs: Vec<Glyph> = chars
            .iter()
            .flat_map(|c| {
                let size = if c.bbox.height > 0.0 {
                    c.bbox.height
                } else {
                    c.font_size
                };
                let rect = [
                    c.bbox.x - x0,
                    y1 - (c.bbox.y + 0.8 * size),
                    c.bbox.x + c.bbox.width - x0,
                    y1 - (c.bbox.y - 0.2 * size),
                ];
                // A TeX maths glyph matches its code or what its font means by it: the
                // text has one or the other (see tex_fonts).
                let meant = super::tex_fonts::tex_font(&c.font_name)
                    .and_then(|font| super::tex_fonts::spell(font, c.char))
                    .and_then(|m| m.chars().next());
                spelled(c.char).map(move |s| (s, meant, rect))
            })
            .filter(|(c, ..)| !c.is_whitespace())
            .collect();
        let segment = text
            .slice(crate::model::Span::between(
                crate::model::CharPos(start),
                crate::model::CharPos(end.max(start)),
            ))
            .unwrap_or_default();
        // Glyphs drawn past the page's edge (outside its visible box) are cut to it.
        let mut boxes = align(segment, start, &glyphs);
        boxes.retain_mut(|b| {
            let [left, top, right, bottom] = &mut b.rect;
            *left = left.clamp(0.0, width);
            *right = right.clamp(0.0, width);
            *top = top.clamp(0.0, height);
            *bottom = bottom.clamp(0.0, height);
            right > left && bottom > top
        });
        boxes
    }
}

/// A glyph's character as the text spells it: Latin ligatures and Arabic presentation
/// forms (the shapes a font draws) as the letters they show, soft hyphens and invisible
/// marks as nothing, any other control character as nothing, a tab as a space.
pub(crate) fn spelled(c: char) -> Box<dyn Iterator<Item = char>> {
    use unicode_normalization::char::decompose_compatible;
    match c {
        '\u{fb00}'..='\u{fb06}' | '\u{fb50}'..='\u{fdff}' | '\u{fe70}'..='\u{fefe}' => {
            let mut letters = Vec::new();
            decompose_compatible(c, |d| letters.push(d));
            Box::new(letters.into_iter())
        }
        '\u{ad}' | '\u{feff}' | '\u{200b}' => Box::new(std::iter::empty()),
        '\t' => Box::new(std::iter::once(' ')),
        c if c.is_control() => Box::new(std::iter::empty()),
        c => Box::new(std::iter::once(c)),
    }
}

/// Matches the characters of `segment` (which starts at code point `start` of the text)
/// to `glyphs` in order: each non-space character takes the next glyph of the same
/// character within [`WINDOW`]; where none is there, the match starts again at the next
/// place on the page where the following eight characters are found in a row.
/// A glyph: its character, what a TeX maths font means by it (if that differs), its box.
pub type Glyph = (char, Option<char>, [f32; 4]);

fn same(c: char, glyph: &Glyph) -> bool {
    glyph.0 == c || glyph.1 == Some(c)
}

pub fn align(segment: &str, start: usize, glyphs: &[Glyph]) -> Vec<CharBox> {
    let chars: Vec<(usize, char)> = segment
        .chars()
        .enumerate()
        .map(|(i, c)| (start + i, c))
        .filter(|(_, c)| !c.is_whitespace())
        .collect();
    let mut out = Vec::with_capacity(chars.len());
    let mut next = 0;
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        let window = next..glyphs.len().min(next + WINDOW);
        // A glyph close by is taken; one further on only if the next characters follow it
        // there too (a lone letter far ahead is another word's).
        let follows = |k: usize| {
            k - next <= NEAR
                || chars[i + 1..]
                    .iter()
                    .take(3)
                    .zip(&glyphs[k + 1..])
                    .all(|((_, c), g)| same(*c, g))
        };
        if let Some(k) = window.clone().find(|&k| same(c, &glyphs[k]) && follows(k)) {
            out.push(CharBox {
                at,
                rect: glyphs[k].2,
            });
            next = k + 1;
        } else if let Some(k) = resync(&chars[i..], glyphs) {
            next = k;
            continue;
        }
        i += 1;
    }
    out
}

/// Where on the page the next eight characters of the text are found in a row, if
/// anywhere.
fn resync(chars: &[(usize, char)], glyphs: &[Glyph]) -> Option<usize> {
    const RUN: usize = 8;
    if chars.len() < RUN {
        return None;
    }
    let run: Vec<char> = chars[..RUN].iter().map(|(_, c)| *c).collect();
    glyphs
        .windows(RUN)
        .position(|w| w.iter().zip(&run).all(|(g, c)| same(*c, g)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyphs(text: &str) -> Vec<Glyph> {
        text.chars()
            .filter(|c| !c.is_whitespace())
            .enumerate()
            .map(|(i, c)| {
                let x = f32::from(u16::try_from(i).expect("short"));
                (c, None, [x, 0.0, x + 1.0, 1.0])
            })
            .collect()
    }

    #[test]
    fn characters_find_their_glyphs_past_what_the_text_left_out() {
        // The page has a running header and a hyphen the text joined.
        let page = glyphs("Federal Register 12 The minis- ter said");
        let boxes = align("The minister said", 100, &page);
        assert_eq!(boxes.len(), 15, "every letter found");
        assert_eq!(boxes[0].at, 100);
        assert!(
            (boxes[0].rect[0] - 17.0).abs() < 1e-6,
            "T is the 18th glyph"
        );
        let r = boxes.iter().find(|b| b.at == 100 + 9).expect("t of ter");
        assert!((r.rect[0] - 26.0).abs() < 1e-6, "after the hyphen's glyph");
    }

    #[test]
    fn a_character_the_page_lacks_has_no_box_and_the_rest_still_match() {
        let page = glyphs("abc def");
        let boxes = align("abXc def", 0, &page);
        let found: Vec<usize> = boxes.iter().map(|b| b.at).collect();
        assert_eq!(found, vec![0, 1, 3, 5, 6, 7]);
    }

    #[test]
    fn ligatures_match_their_letters() {
        let page: Vec<Glyph> = "\u{fb01}ne"
            .chars()
            .flat_map(|c| spelled(c).map(move |s| (s, None, [0.0; 4])))
            .collect();
        assert_eq!(align("fine", 0, &page).len(), 4);
    }
}
