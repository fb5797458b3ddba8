//! [`SpanIndex`]: which annotations overlap a range, without scanning them all.
//!
//! Intervals sorted by start, plus the running maximum of their ends: every interval that
//! can overlap `[a, b)` lies between the first entry whose running maximum end exceeds `a`
//! and the last entry starting before `b`. Built once per change, queried every frame.

use super::annotation::AnnotationId;
use super::offset::CharPos;
use super::span::Span;

/// An immutable index of annotation spans of one document.
#[derive(Clone, Debug, Default)]
pub struct SpanIndex {
    entries: Vec<(Span, AnnotationId)>,
    /// `max_end[i]` = the largest end among `entries[..=i]`.
    max_end: Vec<CharPos>,
}

impl SpanIndex {
    /// Indexes the given spans.
    pub fn new(mut entries: Vec<(Span, AnnotationId)>) -> Self {
        entries.sort_by_key(|(span, id)| (span.start(), std::cmp::Reverse(span.end()), *id));
        let mut max_end = Vec::with_capacity(entries.len());
        let mut running = CharPos::ZERO;
        for (span, _) in &entries {
            running = running.max(span.end());
            max_end.push(running);
        }
        Self { entries, max_end }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every entry sharing a character with `range`, in start order (outer before inner
    /// at equal starts).
    pub fn overlapping(&self, range: Span) -> impl Iterator<Item = (Span, AnnotationId)> + '_ {
        let first = self.max_end.partition_point(|&end| end <= range.start());
        let last = self
            .entries
            .partition_point(|(span, _)| span.start() < range.end());
        self.entries[first..last.max(first)]
            .iter()
            .copied()
            .filter(move |(span, _)| span.overlaps(range))
    }

    /// Every entry containing the character at `pos`, innermost (shortest) first.
    pub fn at(&self, pos: CharPos) -> Vec<(Span, AnnotationId)> {
        let mut hits: Vec<_> = self
            .overlapping(Span::between(pos, pos.forward(1)))
            .collect();
        hits.sort_by_key(|(span, id)| (span.len(), *id));
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(a: usize, b: usize) -> Span {
        Span::between(CharPos(a), CharPos(b))
    }

    #[test]
    fn finds_nested_and_overlapping_spans() {
        let index = SpanIndex::new(vec![
            (span(0, 100), AnnotationId(1)), // claim
            (span(10, 40), AnnotationId(2)), // quote inside
            (span(12, 23), AnnotationId(3)), // person inside the quote
            (span(60, 70), AnnotationId(4)),
        ]);
        let ids =
            |range: Span| -> Vec<u64> { index.overlapping(range).map(|(_, id)| id.0).collect() };
        assert_eq!(ids(span(15, 16)), [1, 2, 3]);
        assert_eq!(ids(span(40, 60)), [1]);
        assert_eq!(ids(span(65, 200)), [1, 4]);
        assert_eq!(ids(span(100, 200)), Vec::<u64>::new());
        let innermost: Vec<u64> = index.at(CharPos(15)).iter().map(|(_, id)| id.0).collect();
        assert_eq!(innermost, [3, 2, 1]);
    }

    #[test]
    fn agrees_with_a_scan() {
        let spans: Vec<(Span, AnnotationId)> = (0..200u64)
            .map(|i| {
                let start = (i * 37 % 500) as usize;
                let len = (i * 13 % 60) as usize + 1;
                (span(start, start + len), AnnotationId(i))
            })
            .collect();
        let index = SpanIndex::new(spans.clone());
        for a in (0..560).step_by(7) {
            let range = span(a, a + 9);
            let mut got: Vec<u64> = index.overlapping(range).map(|(_, id)| id.0).collect();
            let mut want: Vec<u64> = spans
                .iter()
                .filter(|(s, _)| s.overlaps(range))
                .map(|(_, id)| id.0)
                .collect();
            got.sort_unstable();
            want.sort_unstable();
            assert_eq!(got, want, "range {range}");
        }
    }
}
