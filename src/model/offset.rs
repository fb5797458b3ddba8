//! Typed text offsets.
//!
//! Everything that leaves the core (project file, exports, the UI's notion of a position)
//! counts **Unicode code points** ([`CharPos`]). Rust strings are indexed by **bytes**
//! ([`BytePos`]); those never cross the core's boundary. Keeping the two in distinct types
//! makes a unit mix-up a compile error instead of an annotation that drifts by one
//! character after every curly quote.

use serde::{Deserialize, Serialize};

/// A position in a text, counted in Unicode code points (`char`s) from the start.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct CharPos(pub usize);

/// A position in a text, counted in UTF-8 bytes. Internal to the core.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BytePos(pub usize);

impl CharPos {
    pub const ZERO: Self = Self(0);

    /// This position moved `n` characters forward.
    #[must_use]
    pub fn forward(self, n: usize) -> Self {
        Self(self.0 + n)
    }

    /// The number of characters from `earlier` to `self` (0 if `earlier` is later).
    pub fn distance_from(self, earlier: Self) -> usize {
        self.0.saturating_sub(earlier.0)
    }
}

impl std::fmt::Display for CharPos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// How many characters lie between two checkpoints of a [`CharIndex`].
const CHECKPOINT_CHARS: usize = 256;

/// Converts between [`CharPos`] and [`BytePos`] for one text in O(log n + 256).
///
/// Stores the byte offset of every 256th character: 1/32 of the text's size for ASCII
/// (8 bytes per 256 chars), instead of a table entry per character.
#[derive(Clone, Debug, Default)]
pub struct CharIndex {
    /// `checkpoints[k]` is the byte offset of character `k * CHECKPOINT_CHARS`.
    checkpoints: Vec<usize>,
    char_len: usize,
    /// True when every character is one byte, so conversions are the identity.
    is_ascii: bool,
}

impl CharIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> Self {
        let is_ascii = text.is_ascii();
        if is_ascii {
            return Self {
                checkpoints: Vec::new(),
                char_len: text.len(),
                is_ascii,
            };
        }
        let mut checkpoints = Vec::with_capacity(text.len() / CHECKPOINT_CHARS + 1);
        let mut char_len = 0;
        for (i, (byte, _)) in text.char_indices().enumerate() {
            if i % CHECKPOINT_CHARS == 0 {
                checkpoints.push(byte);
            }
            char_len += 1;
        }
        Self {
            checkpoints,
            char_len,
            is_ascii,
        }
    }

    /// The number of characters in the indexed text.
    pub fn char_len(&self) -> usize {
        self.char_len
    }

    /// The byte offset of character `pos`, or `None` past the end.
    /// `pos == char_len` maps to the text's byte length.
    pub fn byte_of(&self, text: &str, pos: CharPos) -> Option<BytePos> {
        if pos.0 > self.char_len {
            return None;
        }
        if self.is_ascii {
            return Some(BytePos(pos.0));
        }
        if pos.0 == self.char_len {
            return Some(BytePos(text.len()));
        }
        let checkpoint = pos.0 / CHECKPOINT_CHARS;
        let start = *self.checkpoints.get(checkpoint)?;
        let rest = pos.0 - checkpoint * CHECKPOINT_CHARS;
        // Count character starts byte by byte (every byte but a UTF-8 continuation byte
        // starts one): several times faster than decoding the characters.
        let mut seen = 0;
        for (i, &b) in text.as_bytes().get(start..)?.iter().enumerate() {
            if !is_continuation(b) {
                if seen == rest {
                    return Some(BytePos(start + i));
                }
                seen += 1;
            }
        }
        None
    }

    /// The character position of byte `pos`, or `None` if `pos` is past the end or not on
    /// a character boundary.
    pub fn char_of(&self, text: &str, pos: BytePos) -> Option<CharPos> {
        if !text.is_char_boundary(pos.0) {
            return None;
        }
        if self.is_ascii {
            return Some(CharPos(pos.0));
        }
        // The last checkpoint at or before `pos`.
        let checkpoint = self
            .checkpoints
            .partition_point(|&b| b <= pos.0)
            .checked_sub(1)?;
        let start = self.checkpoints[checkpoint];
        let chars = text.get(start..pos.0)?.chars().count();
        Some(CharPos(checkpoint * CHECKPOINT_CHARS + chars))
    }
}

/// True for the bytes that continue a UTF-8 character (`10xxxxxx`).
fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_all(text: &str) {
        let index = CharIndex::new(text);
        assert_eq!(index.char_len(), text.chars().count());
        let mut boundaries: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        boundaries.push(text.len());
        for (c, &b) in boundaries.iter().enumerate() {
            assert_eq!(
                index.byte_of(text, CharPos(c)),
                Some(BytePos(b)),
                "char {c}"
            );
            assert_eq!(
                index.char_of(text, BytePos(b)),
                Some(CharPos(c)),
                "byte {b}"
            );
        }
        assert_eq!(index.byte_of(text, CharPos(boundaries.len())), None);
    }

    #[test]
    fn ascii_is_identity() {
        check_all("plain ASCII text");
        check_all("");
    }

    #[test]
    fn multibyte_curly_quotes_emoji_cjk() {
        check_all("Singapore “reaffirmed the importance” — 🎉 then 金正恩 said «ça».");
    }

    #[test]
    fn long_multibyte_text_crosses_checkpoints() {
        let text = "ä😀x".repeat(1000);
        check_all(&text);
    }

    #[test]
    fn byte_inside_a_character_is_rejected() {
        let text = "a“b";
        let index = CharIndex::new(text);
        assert_eq!(index.char_of(text, BytePos(2)), None);
        assert_eq!(index.char_of(text, BytePos(4)), Some(CharPos(2)));
    }
}
