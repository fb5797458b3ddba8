//! Re-anchoring: finding an annotation's text again after its document changed.
//!
//! Like Hypothesis and the W3C `TextQuoteSelector`, an annotation keeps its exact text and
//! a little context on both sides. In the new text, every occurrence of the exact text is a
//! candidate; the one whose surroundings agree best with the old context wins, the nearest
//! to where it used to be among equals. A winner whose context mostly disagrees is only a
//! *suggestion* for the analyst to confirm, never a silent move; so is a fuzzy match found
//! between the old context's ends when the exact text itself was reworded.

use std::sync::Arc;

use super::annotation::{Annotation, Excerpt, Orphan};
use super::document::DocumentId;
use super::offset::{BytePos, CharPos};
use super::project::Project;
use super::span::Span;
use super::text::DocText;

/// What to look for: an exact text and the text just before and after it.
#[derive(Clone, Copy, Debug)]
pub struct Quote<'a> {
    pub exact: &'a str,
    pub prefix: &'a str,
    pub suffix: &'a str,
}

/// Where a quote is in a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchoring {
    /// The exact text, confirmed by its context (or long and unique enough on its own).
    Exact(Span),
    /// Probably here, but the text or its context changed: the analyst must confirm.
    Suggested(Span),
    /// Nowhere to be found.
    Lost,
}

/// Characters of context compared at the ends of a fuzzy match.
const FUZZY_CONTEXT: usize = 16;
/// An exact text this long that occurs once is accepted whatever its context.
const SELF_EVIDENT_CHARS: usize = 24;
/// An occurrence this close to the expected place, with most of its context, is taken.
const CLOSE_CHARS: usize = 256;
/// Candidates are looked for this many bytes around the expected place first.
const NEAR_WINDOW: usize = 64 * 1024;

impl Quote<'_> {
    pub fn of(annotation: &Annotation) -> Quote<'_> {
        let (exact, prefix, suffix) = annotation.words();
        Quote {
            exact,
            prefix,
            suffix,
        }
    }

    /// How many characters of context agree at `span` in `text`, and how many could.
    fn context_score(&self, text: &DocText, span: Span) -> (usize, usize) {
        let (prefix, suffix) = text.context(span);
        let before = common_suffix_chars(self.prefix, &prefix);
        let after = common_prefix_chars(self.suffix, &suffix);
        let available = self.prefix.chars().count() + self.suffix.chars().count();
        (before + after, available)
    }
}

/// Finds `quote` in `text`, expecting it near `near`.
pub fn anchor(text: &DocText, quote: Quote<'_>, near: CharPos) -> Anchoring {
    if quote.exact.is_empty() {
        return Anchoring::Lost;
    }
    let exact_chars = quote.exact.chars().count();
    // Still exactly where it was expected, with at least half its context: position, text
    // and context together beat a copy elsewhere whose context happens to agree better (a
    // repeated paragraph whose copy here was edited next to the passage).
    let expected = Span::between(near, near.forward(exact_chars));
    if text.slice(expected) == Some(quote.exact) {
        let (score, available) = quote.context_score(text, expected);
        if score * 2 >= available {
            return Anchoring::Exact(expected);
        }
    }
    let near_byte = text.byte_of(near).map_or(text.as_str().len(), |b| b.0);
    let window = floor_boundary(text.as_str(), near_byte.saturating_sub(NEAR_WINDOW))
        ..ceil_boundary(text.as_str(), near_byte + NEAR_WINDOW);
    let local = scan_exact(text, quote, exact_chars, near, window);
    // A few characters off the expected place (an edit just before it), context mostly
    // intact: that is where it went.
    if let Some(close) = local.close {
        return Anchoring::Exact(close.span);
    }
    let found = match local.best {
        Some(best) if best.score == best.available => Some(best),
        _ => scan_exact(text, quote, exact_chars, near, 0..text.as_str().len()).best,
    };
    let confirmed = found.as_ref().filter(|best| {
        best.score * 2 >= best.available || (best.unique && exact_chars >= SELF_EVIDENT_CHARS)
    });
    if let Some(best) = confirmed {
        return Anchoring::Exact(best.span);
    }
    // The old context around a changed text is better evidence of the place than the
    // same words in a foreign context.
    fuzzy(text, quote, exact_chars, near)
        .or(found.map(|best| best.span))
        .map_or(Anchoring::Lost, Anchoring::Suggested)
}

/// The occurrence of the quote's exact text whose context agrees best, nearest to `near`
/// among equals (anywhere in the text, confirmed or not): for importers that were given
/// the quote as the authority.
pub fn best_occurrence(text: &DocText, quote: Quote<'_>, near: CharPos) -> Option<Span> {
    if quote.exact.is_empty() {
        return None;
    }
    let exact_chars = quote.exact.chars().count();
    scan_exact(text, quote, exact_chars, near, 0..text.as_str().len())
        .best
        .map(|best| best.span)
}

#[derive(Clone, Copy)]
struct Candidate {
    span: Span,
    score: usize,
    available: usize,
    distance: usize,
    /// The only occurrence in the range searched.
    unique: bool,
}

/// What a scan for the exact text found: the occurrence with the best context (nearest
/// among equals), and the nearest occurrence close to the expected place whose context
/// mostly agrees.
struct Found {
    best: Option<Candidate>,
    close: Option<Candidate>,
}

/// Scans `bytes` of the text for the quote's exact text.
fn scan_exact(
    text: &DocText,
    quote: Quote<'_>,
    exact_chars: usize,
    near: CharPos,
    bytes: std::ops::Range<usize>,
) -> Found {
    let mut found = Found {
        best: None,
        close: None,
    };
    let Some(haystack) = text.as_str().get(bytes.clone()) else {
        return found;
    };
    let mut count = 0;
    for (offset, _) in haystack.match_indices(quote.exact) {
        count += 1;
        let Some(start) = text.char_of(BytePos(bytes.start + offset)) else {
            continue;
        };
        let span = Span::between(start, start.forward(exact_chars));
        let (score, available) = quote.context_score(text, span);
        let distance = start.0.abs_diff(near.0);
        let candidate = Candidate {
            span,
            score,
            available,
            distance,
            unique: false,
        };
        if distance <= CLOSE_CHARS
            && score * 2 >= available
            && found.close.as_ref().is_none_or(|c| {
                distance < c.distance || (distance == c.distance && score > c.score)
            })
        {
            found.close = Some(candidate);
        }
        let better = found
            .best
            .as_ref()
            .is_none_or(|b| score > b.score || (score == b.score && distance < b.distance));
        if better {
            found.best = Some(candidate);
        }
    }
    if let Some(best) = &mut found.best {
        best.unique = count == 1;
    }
    found
}

/// The text between the old context's last characters before and first characters after,
/// when the exact text itself changed.
fn fuzzy(text: &DocText, quote: Quote<'_>, exact_chars: usize, near: CharPos) -> Option<Span> {
    let before = last_chars(quote.prefix, FUZZY_CONTEXT);
    let after = first_chars(quote.suffix, FUZZY_CONTEXT);
    if before.chars().count() < FUZZY_CONTEXT / 2 || after.chars().count() < FUZZY_CONTEXT / 2 {
        return None;
    }
    let haystack = text.as_str();
    let max_gap = exact_chars * 2 + 64;
    let mut best: Option<(usize, Span)> = None;
    for (offset, _) in haystack.match_indices(before) {
        let start_byte = offset + before.len();
        let rest = &haystack[start_byte..];
        let Some(gap_bytes) = rest.find(after) else {
            break;
        };
        let gap = &rest[..gap_bytes];
        let gap_chars = gap.chars().count();
        if gap_chars == 0 || gap_chars > max_gap || gap.trim().is_empty() {
            continue;
        }
        let Some(start) = text.char_of(BytePos(start_byte)) else {
            continue;
        };
        let distance = start.0.abs_diff(near.0);
        if best.as_ref().is_none_or(|(d, _)| distance < *d) {
            best = Some((distance, Span::between(start, start.forward(gap_chars))));
        }
    }
    best.map(|(_, span)| span)
}

/// What became of one document's annotations in its new text.
#[derive(Debug, Default)]
pub struct Reanchored {
    /// Annotations at a new place (same exact text), with refreshed context.
    pub moved: Vec<Annotation>,
    /// How many were found exactly where they were.
    pub unchanged: usize,
    /// Annotations that could not be placed with confidence, for review.
    pub orphans: Vec<Orphan>,
}

impl Reanchored {
    /// One line for the analyst: "N re-anchored, M need review".
    pub fn summary(&self) -> String {
        format!(
            "{} annotation(s) re-anchored, {} need review",
            self.unchanged + self.moved.len(),
            self.orphans.len()
        )
    }
}

/// Re-anchors every annotation of `document` in `text` (its new text).
pub fn reanchor_document(
    project: &Project,
    document: DocumentId,
    text: &Arc<DocText>,
) -> Reanchored {
    let mut result = Reanchored::default();
    // Edits usually shift whole stretches of text: expect each annotation where the
    // previous one's shift would put it.
    let mut shift: isize = 0;
    for annotation in project.annotations_of_iter(document) {
        let old = annotation.span.start().0;
        let expected = CharPos(old.saturating_add_signed(shift));
        match anchor(text, Quote::of(annotation), expected) {
            Anchoring::Exact(span) => {
                #[allow(clippy::cast_possible_wrap)] // positions fit in isize
                {
                    shift = span.start().0 as isize - old as isize;
                }
                let (_, old_prefix, old_suffix) = annotation.words();
                if span == annotation.span && text.context_str(span) == (old_prefix, old_suffix) {
                    result.unchanged += 1;
                } else {
                    let mut moved = annotation.clone();
                    // An exact match has the old length: fragments keep their gaps.
                    moved.move_to(span);
                    moved.excerpt = Excerpt::in_document(Arc::clone(text));
                    result.moved.push(moved);
                }
            }
            Anchoring::Suggested(span) => result.orphans.push(Orphan {
                // Copies of its words: the old text is about to go.
                annotation: annotation.clone().with_held_words(),
                reason: format!(
                    "the text changed; it may now be {:?} at {span}",
                    super::text::ellipsize(text.slice(span).unwrap_or_default(), 60)
                ),
                suggestion: Some(span),
            }),
            Anchoring::Lost => result.orphans.push(Orphan {
                annotation: annotation.clone().with_held_words(),
                reason: "the text changed and this passage is no longer in it".to_owned(),
                suggestion: None,
            }),
        }
    }
    result
}

fn common_suffix_chars(a: &str, b: &str) -> usize {
    a.chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

fn common_prefix_chars(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

fn last_chars(s: &str, n: usize) -> &str {
    let start = s
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    &s[start..]
}

fn first_chars(s: &str, n: usize) -> &str {
    let end = s.char_indices().nth(n).map_or(s.len(), |(i, _)| i);
    &s[..end]
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quote<'a>(exact: &'a str, prefix: &'a str, suffix: &'a str) -> Quote<'a> {
        Quote {
            exact,
            prefix,
            suffix,
        }
    }

    #[test]
    fn finds_a_shifted_quote_by_its_context_not_the_nearest_copy() {
        let text = DocText::new("New intro. the cat sat. Then the dog sat on the mat.".to_owned());
        // "the" after "Then " — the copy nearest the old place is another "the".
        let found = anchor(&text, quote("the", "sat. Then ", " dog sat"), CharPos(10));
        assert_eq!(
            text.slice(match found {
                Anchoring::Exact(span) => span,
                other => panic!("{other:?}"),
            }),
            Some("the")
        );
        let Anchoring::Exact(span) = found else {
            unreachable!()
        };
        assert_eq!(span.start(), CharPos(29));
    }

    #[test]
    fn a_copy_in_a_foreign_context_is_only_a_suggestion() {
        let text = DocText::new("Completely unrelated: the end.".to_owned());
        let found = anchor(
            &text,
            quote("the", "we saw ", " missile launch"),
            CharPos(0),
        );
        assert!(matches!(found, Anchoring::Suggested(_)), "{found:?}");
    }

    #[test]
    fn a_reworded_passage_is_suggested_between_its_old_context() {
        let text = DocText::new(
            "The minister said on Tuesday that talks had failed badly, officials say.".to_owned(),
        );
        let found = anchor(
            &text,
            quote(
                "talks had collapsed",
                "said on Tuesday that ",
                ", officials say.",
            ),
            CharPos(34),
        );
        let Anchoring::Suggested(span) = found else {
            panic!("{found:?}")
        };
        assert_eq!(text.slice(span), Some("talks had failed badly"));
    }

    #[test]
    fn a_deleted_passage_is_lost() {
        let text = DocText::new("Nothing of it remains.".to_owned());
        let found = anchor(
            &text,
            quote("Patriot battery", "deployed a ", " to the"),
            CharPos(5),
        );
        assert_eq!(found, Anchoring::Lost);
    }
}
