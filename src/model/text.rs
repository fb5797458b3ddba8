//! [`DocText`]: a document's text with the indexes every other part needs.
//!
//! Owns the one copy of the text, its character index (code points ↔ bytes) and its split
//! into paragraphs (lines separated by `\n`; the view lays out paragraphs one by one).
//! Also owns the text-aware selection rules: snapping a drag to whole words and trimming
//! spaces and punctuation at the edges.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use super::offset::{BytePos, CharIndex, CharPos};
use super::span::Span;

/// One paragraph (a line of the text, without its `\n`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    /// Characters of the paragraph within the whole text (the `\n` excluded).
    pub span: Span,
    bytes: Range<usize>,
}

/// A document's text, immutable once built.
#[derive(Clone, Debug, Default)]
pub struct DocText {
    text: String,
    index: CharIndex,
    paragraphs: Vec<Paragraph>,
}

/// How many characters of context an annotation keeps on each side.
pub const CONTEXT_CHARS: usize = 32;

/// Characters walked rather than looked up in the character index (whose checkpoints are
/// further apart).
const WALK_CHARS: usize = 128;

impl DocText {
    /// Indexes `text`. Line endings must already be `\n` (ingest normalises them).
    pub fn new(text: String) -> Self {
        let index = CharIndex::new(&text);
        // Counted first: a long text has 100,000s of paragraphs, and a vector grown by
        // doubling would hold up to twice the room while it is built.
        let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1;
        let mut paragraphs = Vec::with_capacity(lines);
        let mut char_start = 0;
        let mut byte_start = 0;
        let is_ascii = index.char_len() == text.len();
        for line in text.split('\n') {
            let chars = if is_ascii {
                line.len()
            } else {
                line.chars().count()
            };
            let span = Span::between(CharPos(char_start), CharPos(char_start + chars));
            paragraphs.push(Paragraph {
                span,
                bytes: byte_start..byte_start + line.len(),
            });
            char_start += chars + 1;
            byte_start += line.len() + 1;
        }
        Self {
            text,
            index,
            paragraphs,
        }
    }

    /// The whole text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Length in characters (code points).
    pub fn char_len(&self) -> usize {
        self.index.char_len()
    }

    /// The whole text as a span.
    pub fn full_span(&self) -> Span {
        Span::between(CharPos::ZERO, CharPos(self.char_len()))
    }

    pub fn paragraphs(&self) -> &[Paragraph] {
        &self.paragraphs
    }

    /// The text of one paragraph.
    pub fn paragraph_text(&self, paragraph: &Paragraph) -> &str {
        &self.text[paragraph.bytes.clone()]
    }

    /// Index of the paragraph holding `pos` (a position on a `\n` belongs to the paragraph
    /// it ends).
    pub fn paragraph_at(&self, pos: CharPos) -> usize {
        self.paragraphs
            .partition_point(|p| p.span.end() < pos)
            .min(self.paragraphs.len().saturating_sub(1))
    }

    /// The paragraphs that share a character with `span` (or hold it, if empty).
    pub fn paragraphs_overlapping(&self, span: Span) -> Range<usize> {
        let first = self.paragraph_at(span.start());
        let last = self.paragraph_at(span.end()).max(first);
        first..last + 1
    }

    /// The text under `span`, or `None` if it reaches past the end.
    pub fn slice(&self, span: Span) -> Option<&str> {
        let range = self.byte_range(span)?;
        self.text.get(range)
    }

    pub(crate) fn byte_of(&self, pos: CharPos) -> Option<BytePos> {
        self.index.byte_of(&self.text, pos)
    }

    pub(crate) fn char_of(&self, pos: BytePos) -> Option<CharPos> {
        self.index.char_of(&self.text, pos)
    }

    fn byte_range(&self, span: Span) -> Option<Range<usize>> {
        let start = self.byte_of(span.start())?.0;
        Some(start..self.byte_ahead(start, span.start(), span.len())?)
    }

    /// The byte offset `chars` characters after character `from` (at byte `from_byte`), or
    /// `None` past the end: a short distance is walked, a long one looked up.
    fn byte_ahead(&self, from_byte: usize, from: CharPos, chars: usize) -> Option<usize> {
        if chars > WALK_CHARS {
            return Some(self.byte_of(CharPos(from.0 + chars))?.0);
        }
        let rest = self.text.as_bytes().get(from_byte..)?;
        Some(from_byte + super::offset::skip_chars(rest, chars)?)
    }

    /// The text under `span`, with up to [`CONTEXT_CHARS`] characters before and after it
    /// (an annotation's exact text, prefix and suffix), with one look-up in the character
    /// index; `None` if `span` reaches past the end.
    pub fn words_at(&self, span: Span) -> Option<(&str, &str, &str)> {
        let start = self.byte_of(span.start())?.0;
        let end = self.byte_ahead(start, span.start(), span.len())?;
        let bytes = self.text.as_bytes();
        let prefix_start = super::offset::back_chars(&bytes[..start], CONTEXT_CHARS);
        let after = &bytes[end..];
        let suffix_end =
            end + super::offset::skip_chars(after, CONTEXT_CHARS).unwrap_or(after.len());
        Some((
            &self.text[start..end],
            &self.text[prefix_start..start],
            &self.text[end..suffix_end],
        ))
    }

    /// Up to [`CONTEXT_CHARS`] characters before and after `span` (for re-anchoring, like the
    /// W3C `TextQuoteSelector`'s prefix and suffix).
    pub fn context(&self, span: Span) -> (String, String) {
        let (before, after) = self.context_str(span);
        (before.to_owned(), after.to_owned())
    }

    /// [`DocText::context`], borrowed from the text.
    pub fn context_str(&self, span: Span) -> (&str, &str) {
        self.words_at(span)
            .map(|(_, prefix, suffix)| (prefix, suffix))
            .unwrap_or_default()
    }

    /// The selection an analyst meant by dragging from `a` to `b`.
    ///
    /// With `snap_to_words`, an end that falls inside a word moves out to include the
    /// whole word. Spaces and punctuation at both edges are always trimmed, so a sloppy drag
    /// over "  Chuck Hagel, " gives "Chuck Hagel". `None` when nothing is left.
    pub fn selection(&self, a: CharPos, b: CharPos, snap_to_words: bool) -> Option<Span> {
        let span = Span::between(a, b);
        if span.end().0 > self.char_len() {
            return None;
        }
        let span = if snap_to_words {
            self.snap_to_words(span)?
        } else {
            span
        };
        self.trim(span)
    }

    /// Extends both ends of `span` to word boundaries (Unicode word segmentation, UAX #29).
    fn snap_to_words(&self, span: Span) -> Option<Span> {
        let start = self.word_bounds_at(span.start())?.start;
        let end = if span.is_empty() {
            self.word_bounds_at(span.end())?.end
        } else {
            // The end is exclusive: the last selected character decides its word.
            self.word_bounds_at(CharPos(span.end().0 - 1))?.end
        };
        Span::new(start.min(span.start()), end.max(span.end())).ok()
    }

    /// The word segment (UAX #29) holding the character at `pos`, as a character range.
    fn word_bounds_at(&self, pos: CharPos) -> Option<Range<CharPos>> {
        let paragraph = &self.paragraphs[self.paragraph_at(pos)];
        let byte = self.byte_of(pos)?.0;
        let text = self.paragraph_text(paragraph);
        for (offset, word) in text.split_word_bound_indices() {
            let start = paragraph.bytes.start + offset;
            let end = start + word.len();
            if start <= byte && byte < end {
                let is_word = word.chars().any(char::is_alphanumeric);
                if !is_word {
                    return Some(pos..pos);
                }
                return Some(self.char_of(BytePos(start))?..self.char_of(BytePos(end))?);
            }
        }
        Some(pos..pos)
    }

    /// `span` without whitespace and punctuation at its edges; `None` if nothing is left.
    fn trim(&self, span: Span) -> Option<Span> {
        let text = self.slice(span)?;
        let is_edge = |c: char| c.is_whitespace() || c.is_ascii_punctuation() || is_punctuation(c);
        let leading = text.chars().take_while(|&c| is_edge(c)).count();
        if leading == span.len() {
            return None;
        }
        let trailing = text.chars().rev().take_while(|&c| is_edge(c)).count();
        Span::new(
            span.start().forward(leading),
            CharPos(span.end().0 - trailing),
        )
        .ok()
    }
}

/// `text` on one line, cut to `max_chars` characters with an ellipsis.
pub fn ellipsize(text: &str, max_chars: usize) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max_chars {
        one_line
    } else {
        let cut: String = one_line.chars().take(max_chars.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// Non-ASCII punctuation that should not start or end a selection: curly quotes, dashes,
/// guillemets, ellipsis, CJK and Arabic punctuation.
fn is_punctuation(c: char) -> bool {
    matches!(
        c,
        '\u{2010}'..='\u{2027}'
            | '\u{2030}'..='\u{205E}'
            | '\u{00A1}' | '\u{00A7}' | '\u{00AB}' | '\u{00B6}' | '\u{00B7}' | '\u{00BB}' | '\u{00BF}'
            | '\u{3000}'..='\u{303F}'
            | '\u{FF01}'..='\u{FF0F}'
            | '\u{060C}' | '\u{061B}' | '\u{061F}' | '\u{06D4}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos_of(text: &DocText, needle: &str) -> CharPos {
        let byte = text.as_str().find(needle).expect("needle in text");
        CharPos(text.as_str()[..byte].chars().count())
    }

    #[test]
    fn paragraphs_split_on_newlines_in_characters() {
        let text = DocText::new("“Hi” 😀\n\nsecond line".to_owned());
        let paragraphs = text.paragraphs();
        assert_eq!(paragraphs.len(), 3);
        assert_eq!(text.paragraph_text(&paragraphs[0]), "“Hi” 😀");
        assert_eq!(paragraphs[0].span.char_range(), 0..6);
        assert_eq!(paragraphs[1].span.char_range(), 7..7);
        assert_eq!(paragraphs[2].span.char_range(), 8..19);
        assert_eq!(text.paragraph_at(CharPos(6)), 0);
        assert_eq!(text.paragraph_at(CharPos(8)), 2);
        assert_eq!(text.char_len(), 19);
    }

    #[test]
    fn slicing_by_span_counts_code_points() {
        let text = DocText::new("金正恩 met “Chuck Hagel” 🎉.".to_owned());
        let start = pos_of(&text, "Chuck");
        let span = Span::new(start, start.forward(11)).expect("span");
        assert_eq!(text.slice(span), Some("Chuck Hagel"));
        assert_eq!(start, CharPos(9));
        let past = Span::new(CharPos(0), CharPos(100)).expect("span");
        assert_eq!(text.slice(past), None);
    }

    #[test]
    fn drag_inside_words_snaps_to_whole_words() {
        let text = DocText::new("Secretary Chuck Hagel meets".to_owned());
        let a = pos_of(&text, "huck");
        let b = pos_of(&text, "gel").forward(1);
        let span = text.selection(a, b, true).expect("selection");
        assert_eq!(text.slice(span), Some("Chuck Hagel"));
        // Backwards drags give the same result.
        let span = text.selection(b, a, true).expect("selection");
        assert_eq!(text.slice(span), Some("Chuck Hagel"));
    }

    #[test]
    fn exact_mode_keeps_characters_but_trims_edges() {
        let text = DocText::new("Secretary Chuck Hagel meets".to_owned());
        let a = pos_of(&text, "huck");
        let b = pos_of(&text, "gel").forward(1);
        let span = text.selection(a, b, false).expect("selection");
        assert_eq!(text.slice(span), Some("huck Hag"));
        let a = pos_of(&text, " Chuck");
        let span = text.selection(a, a.forward(7), false).expect("selection");
        assert_eq!(text.slice(span), Some("Chuck"));
    }

    #[test]
    fn trims_spaces_and_curly_punctuation() {
        let text = DocText::new("said, “So they each got something,” he".to_owned());
        let a = pos_of(&text, ", “So");
        let b = pos_of(&text, " he");
        let span = text.selection(a, b, true).expect("selection");
        assert_eq!(text.slice(span), Some("So they each got something"));
    }

    #[test]
    fn selection_of_only_punctuation_is_none() {
        let text = DocText::new("a — b".to_owned());
        assert_eq!(text.selection(CharPos(1), CharPos(4), true), None);
    }

    #[test]
    fn ellipsize_cuts_by_characters() {
        assert_eq!(ellipsize("a  b\nc", 10), "a b c");
        assert_eq!(ellipsize("“Chuck Hagel”", 6), "“Chuc…");
    }

    #[test]
    fn context_is_clamped_to_the_text() {
        let text = DocText::new("abc Chuck def".to_owned());
        let span = Span::new(CharPos(4), CharPos(9)).expect("span");
        assert_eq!(text.context(span), ("abc ".to_owned(), " def".to_owned()));
    }

    proptest::proptest! {
        /// The text and context found with one index look-up are those found piece by
        /// piece, at the edges, across checkpoints and for long spans.
        #[test]
        fn words_at_equals_slice_and_context(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec!["a", "é", " ", "“", "😀", "金", "\n", "word "]),
                0..900,
            ),
            a in 0_usize..1000,
            b in 0_usize..1000,
        ) {
            let text = DocText::new(pieces.concat());
            let span = Span::between(CharPos(a.min(b)), CharPos(a.max(b)));
            let words = text.words_at(span);
            match text.slice(span) {
                None => proptest::prop_assert!(words.is_none()),
                Some(exact) => {
                    let chars: Vec<char> = text.as_str().chars().collect();
                    let piece = |from: usize, to: usize| chars[from..to].iter().collect::<String>();
                    let prefix = piece(span.start().0.saturating_sub(CONTEXT_CHARS), span.start().0);
                    let suffix = piece(span.end().0, (span.end().0 + CONTEXT_CHARS).min(chars.len()));
                    proptest::prop_assert_eq!(exact, piece(span.start().0, span.end().0));
                    proptest::prop_assert_eq!(
                        words,
                        Some((exact, prefix.as_str(), suffix.as_str()))
                    );
                }
            }
        }
    }
}
