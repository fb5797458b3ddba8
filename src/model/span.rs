//! [`Span`]: a half-open range of characters `[start, end)` in one document.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::offset::CharPos;

/// A half-open character range `[start, end)`; `start <= end` always holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "(usize, usize)", into = "(usize, usize)")]
pub struct Span {
    start: CharPos,
    end: CharPos,
}

/// A span whose end lies before its start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("span end {end} lies before its start {start}")]
pub struct InvertedSpan {
    pub start: usize,
    pub end: usize,
}

impl Span {
    /// The span `[start, end)`; an error if `end < start`.
    pub fn new(start: CharPos, end: CharPos) -> Result<Self, InvertedSpan> {
        if end < start {
            return Err(InvertedSpan {
                start: start.0,
                end: end.0,
            });
        }
        Ok(Self { start, end })
    }

    /// The span between two positions in either order (as a mouse drag gives them).
    pub fn between(a: CharPos, b: CharPos) -> Self {
        Self {
            start: a.min(b),
            end: a.max(b),
        }
    }

    pub fn start(self) -> CharPos {
        self.start
    }

    pub fn end(self) -> CharPos {
        self.end
    }

    /// Number of characters covered.
    pub fn len(self) -> usize {
        self.end.0 - self.start.0
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// True if `pos` lies inside (the end is excluded).
    pub fn contains(self, pos: CharPos) -> bool {
        self.start <= pos && pos < self.end
    }

    /// True if the spans share at least one character.
    pub fn overlaps(self, other: Self) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// True if `other` lies entirely within `self`.
    pub fn encloses(self, other: Self) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The part of `self` inside `other`, if any character is shared.
    pub fn intersection(self, other: Self) -> Option<Self> {
        let start = self.start.max(other.start);
        let end = self.end.min(other.end);
        (start < end).then_some(Self { start, end })
    }

    /// The span as a plain range of character indices.
    pub fn char_range(self) -> Range<usize> {
        self.start.0..self.end.0
    }
}

/// Joins pieces into the fragments of one annotation: sorted, empty pieces dropped,
/// overlapping or touching pieces merged. One piece (or none) means a continuous span.
pub fn merge_pieces(mut pieces: Vec<Span>) -> Vec<Span> {
    pieces.retain(|p| !p.is_empty());
    pieces.sort();
    let mut merged: Vec<Span> = Vec::with_capacity(pieces.len());
    for piece in pieces {
        match merged.last_mut() {
            Some(last) if piece.start <= last.end => last.end = last.end.max(piece.end),
            _ => merged.push(piece),
        }
    }
    merged
}

/// True if `fragments` are valid fragments of `span`: none, or at least two in order with a
/// gap between each, starting and ending with `span`.
pub fn valid_fragments(span: Span, fragments: &[Span]) -> bool {
    if fragments.is_empty() {
        return true;
    }
    fragments.len() >= 2
        && fragments.iter().all(|f| !f.is_empty())
        && fragments.windows(2).all(|w| w[0].end < w[1].start)
        && fragments.first().map(|f| f.start) == Some(span.start)
        && fragments.last().map(|f| f.end) == Some(span.end)
}

impl TryFrom<(usize, usize)> for Span {
    type Error = InvertedSpan;

    fn try_from((start, end): (usize, usize)) -> Result<Self, Self::Error> {
        Self::new(CharPos(start), CharPos(end))
    }
}

impl From<Span> for (usize, usize) {
    fn from(span: Span) -> Self {
        (span.start.0, span.end.0)
    }
}

impl std::fmt::Display for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(a: usize, b: usize) -> Span {
        Span::new(CharPos(a), CharPos(b)).expect("valid span")
    }

    #[test]
    fn construction_checks_order() {
        assert!(Span::new(CharPos(3), CharPos(2)).is_err());
        assert!(span(2, 2).is_empty());
        assert_eq!(Span::between(CharPos(9), CharPos(4)), span(4, 9));
    }

    #[test]
    fn half_open_semantics() {
        let s = span(2, 5);
        assert_eq!(s.len(), 3);
        assert!(s.contains(CharPos(2)));
        assert!(!s.contains(CharPos(5)));
        assert!(s.overlaps(span(4, 8)));
        assert!(!s.overlaps(span(5, 8)), "touching spans do not overlap");
        assert!(s.encloses(span(3, 5)));
        assert_eq!(s.intersection(span(4, 9)), Some(span(4, 5)));
        assert_eq!(s.intersection(span(5, 9)), None);
    }

    #[test]
    fn pieces_merge_into_fragments() {
        let merged = merge_pieces(vec![span(10, 15), span(0, 5), span(4, 6), span(6, 6)]);
        assert_eq!(merged, vec![span(0, 6), span(10, 15)]);
        assert_eq!(merge_pieces(vec![span(0, 5), span(5, 8)]), vec![span(0, 8)]);
        assert!(valid_fragments(span(0, 15), &merged));
        assert!(valid_fragments(span(0, 15), &[]));
        assert!(
            !valid_fragments(span(0, 15), &[span(0, 15)]),
            "one fragment"
        );
        assert!(
            !valid_fragments(span(0, 16), &merged),
            "hull does not match"
        );
        assert!(
            !valid_fragments(span(0, 8), &[span(0, 5), span(5, 8)]),
            "no gap"
        );
        assert!(
            !valid_fragments(span(0, 8), &[span(4, 8), span(0, 2)]),
            "out of order"
        );
    }

    #[test]
    fn serde_refuses_inverted_spans() {
        let parsed: Result<Span, _> = ron::from_str("(5, 3)");
        assert!(parsed.is_err());
        let ok: Span = ron::from_str("(3, 5)").expect("valid");
        assert_eq!(ok, span(3, 5));
    }
}
