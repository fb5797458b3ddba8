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
        let ahead = skip_chars(text.as_bytes().get(start..)?, rest)?;
        Some(BytePos(start + ahead))
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

/// Where the character `n` characters into `bytes` (UTF-8 from a character boundary)
/// starts: `bytes.len()` if it holds exactly `n`, `None` if fewer. Character starts (every
/// byte but a continuation byte) are counted eight bytes at a time, then byte by byte:
/// many times faster than decoding the characters.
pub(crate) fn skip_chars(bytes: &[u8], n: usize) -> Option<usize> {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut seen = 0;
    let mut i = 0;
    while let Some(word) = bytes.get(i..i + 8) {
        let w = u64::from_le_bytes(word.try_into().ok()?);
        // A continuation byte is 10xxxxxx: its top bit set, the next one clear.
        let continuations = (w & !(w << 1) & HIGH).count_ones() as usize;
        let starts = 8 - continuations;
        if seen + starts > n {
            break;
        }
        seen += starts;
        i += 8;
    }
    for (at, &b) in bytes.iter().enumerate().skip(i) {
        if !is_continuation(b) {
            if seen == n {
                return Some(at);
            }
            seen += 1;
        }
    }
    (seen == n).then_some(bytes.len())
}

/// Where the character `n` characters back from the end of `bytes` (UTF-8 that ends on a
/// character boundary) starts, or 0 if it holds fewer.
pub(crate) fn back_chars(bytes: &[u8], n: usize) -> usize {
    let mut seen = 0;
    let mut at = bytes.len();
    while seen < n && at > 0 {
        at -= 1;
        if !is_continuation(bytes[at]) {
            seen += 1;
        }
    }
    at
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

    proptest::proptest! {
        /// Counting character starts a word at a time lands where decoding does.
        #[test]
        fn skipping_characters_by_bytes_equals_decoding(
            text in "(\\PC|[a-z ]){0,40}",
            n in 0usize..45,
        ) {
            let starts: Vec<usize> = text
                .char_indices()
                .map(|(b, _)| b)
                .chain([text.len()])
                .collect();
            proptest::prop_assert_eq!(skip_chars(text.as_bytes(), n), starts.get(n).copied());
            let back = starts.len() - 1 - n.min(starts.len() - 1);
            proptest::prop_assert_eq!(back_chars(text.as_bytes(), n), starts[back]);
        }
    }
}
