//! [`Annotation`]: one labelled span of one document.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::attributes::{Attributes, Source};
use super::document::DocumentId;
use super::entity::EntityId;
use super::schema::LabelId;
use super::span::Span;
use super::text::DocText;

/// A project-wide, never reused annotation id.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(transparent)]
pub struct AnnotationId(pub u64);

impl fmt::Display for AnnotationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// A labelled span. Keeps its exact text and a little context on both sides so that it can
/// be re-anchored if its document changes (like the W3C `TextQuoteSelector`): read from the
/// document's text while they are the same there, held as copies otherwise (see
/// [`Excerpt`]).
#[derive(Clone)]
pub struct Annotation {
    pub id: AnnotationId,
    pub document: DocumentId,
    pub label: LabelId,
    /// Code points, end-exclusive. For a discontinuous annotation, from the start of its
    /// first fragment to the end of its last.
    pub span: Span,
    /// The pieces of a discontinuous annotation (a quote interrupted by "he said"), in
    /// order, at least two, separated by at least one character, the first starting and the
    /// last ending with `span`. Empty for the usual continuous annotation.
    pub fragments: Vec<Span>,
    /// The document's text under `span`, exactly (gaps between fragments included, so
    /// that re-anchoring finds the whole passage), and its context: see [`Annotation::text`].
    pub excerpt: Excerpt,
    /// The entity this mention refers to (entity labels only).
    pub entity: Option<EntityId>,
    /// Speaker, claimant and grading (quotes and claims).
    pub attrs: Attributes,
    pub note: String,
    /// The analyst who made it (see `workspace::analyst`), if known.
    pub author: String,
    /// The analyst who changed it last, if it was changed by someone other than its author
    /// (empty otherwise).
    pub changed_by: String,
    pub created: Timestamp,
    pub modified: Timestamp,
}

impl Annotation {
    /// Records a change made now by `analyst` (see [`Self::touch_at`]).
    pub fn touch(&mut self, analyst: &str) {
        self.touch_at(Timestamp::now(), analyst);
    }

    /// Records a change made at `time` by `analyst`: `changed_by` names them unless they
    /// are the author.
    pub fn touch_at(&mut self, time: Timestamp, analyst: &str) {
        self.modified = time;
        if analyst == self.author {
            self.changed_by.clear();
        } else {
            analyst.clone_into(&mut self.changed_by);
        }
    }
}

/// An annotation's exact text and up to [`CONTEXT_CHARS`](super::text::CONTEXT_CHARS)
/// characters of context on each side.
///
/// A project may hold 100,000 annotations of one long document: copies of their passages
/// would cost more than the document itself. So an annotation whose words are those of its
/// document's text under its span points at that text instead ([`Excerpt::in_document`]);
/// only one whose document is not loaded, or whose words differ from it (an orphan, a
/// hand-edited file), holds copies ([`Excerpt::held`]). Either way the words never change
/// behind the annotation's back: the text pointed at is immutable, and an annotation moved
/// to another span gets a new excerpt.
#[derive(Clone)]
pub struct Excerpt(Words);

#[derive(Clone)]
enum Words {
    /// The document's text under the annotation's span, and around it.
    InDocument(Arc<DocText>),
    /// Copies, in one allocation: the text, then the prefix, then the suffix.
    Held {
        all: Box<str>,
        text_end: u32,
        prefix_end: u32,
    },
}

impl Excerpt {
    /// Copies of the words, held by the annotation.
    pub fn held(text: &str, prefix: &str, suffix: &str) -> Self {
        // The two offsets take 4 bytes each: words that do not fit (over 4 GB; a project
        // file is at most 1 GB, so never read from one) keep their text only.
        let (Ok(text_end), Ok(prefix_end)) = (
            u32::try_from(text.len()),
            u32::try_from(text.len() + prefix.len()),
        ) else {
            return Self::held_long(text);
        };
        let mut all = String::with_capacity(text.len() + prefix.len() + suffix.len());
        all.push_str(text);
        all.push_str(prefix);
        all.push_str(suffix);
        Self(Words::Held {
            all: all.into_boxed_str(),
            text_end,
            prefix_end,
        })
    }

    /// Words longer than 4 GB: the text alone (without context, re-anchoring relies on the
    /// text).
    #[cold]
    fn held_long(text: &str) -> Self {
        Self(Words::Held {
            all: text.into(),
            text_end: u32::MAX,
            prefix_end: u32::MAX,
        })
    }

    /// The words of `text` under the annotation's span and around it: nothing copied. The
    /// annotation's span must lie within `text`.
    pub fn in_document(text: Arc<DocText>) -> Self {
        Self(Words::InDocument(text))
    }

    /// The words of `text` at `span` when `text`, `prefix` and `suffix` are exactly those
    /// (pointing at `document`), or copies of them otherwise.
    pub fn shared_if_same(
        document: Option<&Arc<DocText>>,
        span: Span,
        text: &str,
        prefix: &str,
        suffix: &str,
    ) -> Self {
        match document {
            Some(doc) if doc.words_at(span) == Some((text, prefix, suffix)) => {
                Self::in_document(Arc::clone(doc))
            }
            _ => Self::held(text, prefix, suffix),
        }
    }

    /// True if the words are read from the document's text (nothing held).
    pub fn is_in_document(&self) -> bool {
        matches!(self.0, Words::InDocument(_))
    }

    /// True if the words are read from `text` itself.
    pub fn is_in(&self, text: &Arc<DocText>) -> bool {
        matches!(&self.0, Words::InDocument(doc) if Arc::ptr_eq(doc, text))
    }

    fn parts(&self, span: Span) -> (&str, &str, &str) {
        match &self.0 {
            Words::InDocument(doc) => doc.words_at(span).unwrap_or_default(),
            Words::Held {
                all,
                text_end,
                prefix_end,
            } => {
                let text_end = (*text_end as usize).min(all.len());
                let prefix_end = (*prefix_end as usize).min(all.len());
                (
                    &all[..text_end],
                    &all[text_end..prefix_end],
                    &all[prefix_end..],
                )
            }
        }
    }
}

impl Annotation {
    /// The document's text under `span`, exactly (gaps between fragments included).
    pub fn text(&self) -> &str {
        match &self.excerpt.0 {
            Words::InDocument(doc) => doc.slice(self.span).unwrap_or_default(),
            Words::Held { .. } => self.excerpt.parts(self.span).0,
        }
    }

    /// The exact text, prefix and suffix at once (cheaper than one by one).
    pub fn words(&self) -> (&str, &str, &str) {
        self.excerpt.parts(self.span)
    }

    /// Up to [`CONTEXT_CHARS`](super::text::CONTEXT_CHARS) characters before `span`.
    pub fn prefix(&self) -> &str {
        self.excerpt.parts(self.span).1
    }

    /// Up to [`CONTEXT_CHARS`](super::text::CONTEXT_CHARS) characters after `span`.
    pub fn suffix(&self) -> &str {
        self.excerpt.parts(self.span).2
    }

    /// The same annotation holding copies of its words (for the review list, or an
    /// annotation about to leave the text it points at).
    #[must_use]
    pub fn with_held_words(mut self) -> Self {
        if self.excerpt.is_in_document() {
            let (text, prefix, suffix) = self.excerpt.parts(self.span);
            self.excerpt = Excerpt::held(text, prefix, suffix);
        }
        self
    }

    /// The order of the project file and of lists: by document, then start, then id.
    pub fn sort_key(&self) -> (DocumentId, usize, AnnotationId) {
        (self.document, self.span.start().0, self.id)
    }

    /// The pieces of text the annotation covers: its fragments, or its one span.
    pub fn pieces(&self) -> &[Span] {
        if self.fragments.is_empty() {
            std::slice::from_ref(&self.span)
        } else {
            &self.fragments
        }
    }

    /// True if the annotation has more than one fragment.
    pub fn is_discontinuous(&self) -> bool {
        !self.fragments.is_empty()
    }

    /// The text of each piece (taken from `text`, which spans them all).
    pub fn piece_texts(&self) -> Vec<&str> {
        let base = self.span.start().0;
        self.pieces()
            .iter()
            .map(|piece| {
                let from = piece.start().0 - base;
                char_slice(self.text(), from, from + piece.len())
            })
            .collect()
    }

    /// The words the annotation marks: its text, or its fragments' texts joined by " … ".
    pub fn marked_text(&self) -> std::borrow::Cow<'_, str> {
        if self.fragments.is_empty() {
            std::borrow::Cow::Borrowed(self.text())
        } else {
            std::borrow::Cow::Owned(self.piece_texts().join(" … "))
        }
    }

    /// True if the character at `pos` is covered (not in a gap between fragments).
    pub fn covers(&self, pos: super::CharPos) -> bool {
        self.pieces().iter().any(|p| p.contains(pos))
    }

    /// Moves the annotation to `span`, shifting its fragments with it: the gaps keep their
    /// places relative to the start. `span` must have the old span's length when the
    /// annotation has fragments.
    pub fn move_to(&mut self, span: Span) {
        let old = self.span.start().0;
        let new = span.start().0;
        for fragment in &mut self.fragments {
            let start = fragment.start().0 + new - old;
            let end = fragment.end().0 + new - old;
            *fragment = Span::between(super::CharPos(start), super::CharPos(end));
        }
        self.span = span;
    }

    /// True if the annotation mentions `entity` or is attributed to it.
    pub fn refers_to(&self, entity: EntityId) -> bool {
        self.entity == Some(entity)
            || self.attrs.source.as_ref().and_then(Source::entity) == Some(entity)
    }

    /// Every entity the annotation mentions or is attributed to.
    pub fn entities(&self) -> impl Iterator<Item = EntityId> + '_ {
        self.entity
            .into_iter()
            .chain(self.attrs.source.as_ref().and_then(Source::entity))
    }

    /// Points every reference to `from` at `to` instead.
    pub fn replace_entity(&mut self, from: EntityId, to: EntityId) {
        if self.entity == Some(from) {
            self.entity = Some(to);
        }
        if self.attrs.source == Some(Source::Entity(from)) {
            self.attrs.source = Some(Source::Entity(to));
        }
    }
}

/// An annotation as serde sees it (the project file, the recovery file, any RON of it): its
/// words spelled out, whatever the [`Excerpt`] holds.
#[derive(Serialize, Deserialize)]
struct Record<'a> {
    id: AnnotationId,
    #[serde(rename = "doc")]
    document: DocumentId,
    label: Cow<'a, LabelId>,
    span: Span,
    #[serde(default, skip_serializing_if = "no_spans")]
    fragments: Cow<'a, [Span]>,
    text: Cow<'a, str>,
    #[serde(default)]
    prefix: Cow<'a, str>,
    #[serde(default)]
    suffix: Cow<'a, str>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    entity: Option<EntityId>,
    #[serde(default, skip_serializing_if = "is_empty_attrs")]
    attrs: Cow<'a, Attributes>,
    #[serde(default, skip_serializing_if = "no_text")]
    note: Cow<'a, str>,
    #[serde(default, skip_serializing_if = "no_text")]
    author: Cow<'a, str>,
    #[serde(default, skip_serializing_if = "no_text")]
    changed_by: Cow<'a, str>,
    created: Timestamp,
    /// Omitted while equal to `created` (since version 5); written as the time itself, not
    /// as `Some(...)`, as before.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "bare_time")]
    modified: Option<Timestamp>,
}

/// An optional time (de)serialized as the time alone: a missing field is `None`.
mod bare_time {
    use jiff::Timestamp;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[allow(clippy::ref_option)] // serde hands over the field itself
    pub(super) fn serialize<S: Serializer>(
        time: &Option<Timestamp>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match time {
            Some(time) => time.serialize(serializer),
            None => serializer.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Timestamp>, D::Error> {
        Timestamp::deserialize(deserializer).map(Some)
    }
}

#[allow(clippy::ptr_arg)] // serde hands over the field itself
fn is_empty_attrs(attrs: &Cow<'_, Attributes>) -> bool {
    attrs.is_empty()
}

#[allow(clippy::ptr_arg)] // serde hands over the field itself
fn no_spans(spans: &Cow<'_, [Span]>) -> bool {
    spans.is_empty()
}

#[allow(clippy::ptr_arg)] // serde hands over the field itself
fn no_text(text: &Cow<'_, str>) -> bool {
    text.is_empty()
}

impl Serialize for Annotation {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (text, prefix, suffix) = self.excerpt.parts(self.span);
        Record {
            id: self.id,
            document: self.document,
            label: Cow::Borrowed(&self.label),
            span: self.span,
            fragments: Cow::Borrowed(&self.fragments),
            text: Cow::Borrowed(text),
            prefix: Cow::Borrowed(prefix),
            suffix: Cow::Borrowed(suffix),
            entity: self.entity,
            attrs: Cow::Borrowed(&self.attrs),
            note: Cow::Borrowed(&self.note),
            author: Cow::Borrowed(&self.author),
            changed_by: Cow::Borrowed(&self.changed_by),
            created: self.created,
            modified: (self.modified != self.created).then_some(self.modified),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Annotation {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let r = Record::deserialize(deserializer)?;
        Ok(Self {
            id: r.id,
            document: r.document,
            label: r.label.into_owned(),
            span: r.span,
            fragments: r.fragments.into_owned(),
            excerpt: Excerpt::held(&r.text, &r.prefix, &r.suffix),
            entity: r.entity,
            attrs: r.attrs.into_owned(),
            note: r.note.into_owned(),
            author: r.author.into_owned(),
            changed_by: r.changed_by.into_owned(),
            created: r.created,
            modified: r.modified.unwrap_or(r.created),
        })
    }
}

/// Equal annotations have equal words, wherever they are kept.
impl PartialEq for Annotation {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
            && self.document == other.document
            && self.label == other.label
            && self.span == other.span
            && self.fragments == other.fragments
            && self.excerpt.parts(self.span) == other.excerpt.parts(other.span)
            && self.entity == other.entity
            && self.attrs == other.attrs
            && self.note == other.note
            && self.author == other.author
            && self.changed_by == other.changed_by
            && self.created == other.created
            && self.modified == other.modified
    }
}

impl Eq for Annotation {}

/// The words spelled out (never the whole document an excerpt points at).
impl fmt::Debug for Annotation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (text, prefix, suffix) = self.excerpt.parts(self.span);
        f.debug_struct("Annotation")
            .field("id", &self.id)
            .field("document", &self.document)
            .field("label", &self.label)
            .field("span", &self.span)
            .field("fragments", &self.fragments)
            .field("text", &text)
            .field("prefix", &prefix)
            .field("suffix", &suffix)
            .field("in_document", &self.excerpt.is_in_document())
            .field("entity", &self.entity)
            .field("attrs", &self.attrs)
            .field("note", &self.note)
            .field("author", &self.author)
            .field("changed_by", &self.changed_by)
            .field("created", &self.created)
            .field("modified", &self.modified)
            .finish()
    }
}

/// The characters `from..to` of `s` (fewer if `s` is shorter).
fn char_slice(s: &str, from: usize, to: usize) -> &str {
    let rest = s.char_indices().nth(from).map_or("", |(i, _)| &s[i..]);
    let end = rest
        .char_indices()
        .nth(to - from)
        .map_or(rest.len(), |(i, _)| i);
    &rest[..end]
}

/// An annotation that no longer has a place in its document's text (the source changed, or
/// the project file held it in a state that could not be loaded), kept for the analyst to
/// review: attach it to the right text again, or discard it. Never silently dropped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Orphan {
    /// The annotation as it was, with its old span and exact text.
    pub annotation: Annotation,
    /// Why it needs review, in words for the analyst.
    pub reason: String,
    /// Where its text probably is now (a fuzzy match), if anywhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<Span>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CharPos;

    fn annotation(excerpt: Excerpt, span: Span) -> Annotation {
        Annotation {
            id: AnnotationId(1),
            document: DocumentId(1),
            label: LabelId("person".into()),
            span,
            fragments: Vec::new(),
            excerpt,
            entity: None,
            attrs: Attributes::default(),
            note: String::new(),
            author: String::new(),
            changed_by: String::new(),
            created: Timestamp::UNIX_EPOCH,
            modified: Timestamp::UNIX_EPOCH,
        }
    }

    const TEXT: &str = "Defense Secretary “Chuck Hagel” arrived in Singapore on Friday.";

    #[test]
    fn words_read_from_the_document_equal_the_same_words_held() {
        let text = Arc::new(DocText::new(TEXT.to_owned()));
        let span = Span::between(CharPos(19), CharPos(30));
        let shared = annotation(Excerpt::in_document(Arc::clone(&text)), span);
        assert_eq!(
            (shared.text(), shared.prefix(), shared.suffix()),
            (
                "Chuck Hagel",
                "Defense Secretary “",
                "” arrived in Singapore on Friday"
            )
        );
        let held = annotation(
            Excerpt::held(shared.text(), shared.prefix(), shared.suffix()),
            span,
        );
        assert!(shared.excerpt.is_in_document() && !held.excerpt.is_in_document());
        assert_eq!(shared, held);
        assert!(format!("{shared:?}").contains("text: \"Chuck Hagel\""));
        assert_eq!(
            ron::to_string(&shared).expect("ron"),
            ron::to_string(&held).expect("ron")
        );
        let copied = shared.clone().with_held_words();
        assert!(!copied.excerpt.is_in_document());
        assert_eq!(copied, held);

        // Different words are different annotations, wherever they are kept.
        let other = annotation(Excerpt::held("Chuck Hagel", "", ""), span);
        assert_ne!(shared, other);
    }

    #[test]
    fn words_are_shared_only_when_all_three_are_the_same() {
        let text = Arc::new(DocText::new(TEXT.to_owned()));
        let span = Span::between(CharPos(19), CharPos(30));
        let (prefix, suffix) = text.context(span);
        let same = Excerpt::shared_if_same(Some(&text), span, "Chuck Hagel", &prefix, &suffix);
        assert!(same.is_in_document());
        for (exact, before, after) in [
            ("Chuck Hagel", "edited", suffix.as_str()),
            ("Chuck Hagel", prefix.as_str(), ""),
            ("Chuck Hagem", prefix.as_str(), suffix.as_str()),
        ] {
            let excerpt = Excerpt::shared_if_same(Some(&text), span, exact, before, after);
            assert!(!excerpt.is_in_document(), "{exact} {before} {after}");
            let held = annotation(excerpt, span);
            assert_eq!(
                (held.text(), held.prefix(), held.suffix()),
                (exact, before, after)
            );
        }
        let unloaded = Excerpt::shared_if_same(None, span, "Chuck Hagel", &prefix, &suffix);
        assert!(!unloaded.is_in_document());
    }

    #[test]
    fn held_words_round_trip_through_ron() {
        let span = Span::between(CharPos(0), CharPos(3));
        let held = annotation(Excerpt::held("a\"b", "", "\n“x”"), span);
        let text = ron::to_string(&held).expect("ron");
        let back: Annotation = ron::from_str(&text).expect("read back");
        assert_eq!(back, held);
        assert_eq!(back.suffix(), "\n“x”");
    }
}
