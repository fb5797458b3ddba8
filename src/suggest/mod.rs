//! Suggestions: annotations the analyst has not made yet but probably wants, found offline
//! without a model: quotations by their marks and reported speech ("X said that …"), with
//! the speaker guessed ([`quotes`]), and mentions of the registry's entities by name and
//! alias. Pure: the GUI shows them as
//! dashed outlines to accept or reject; `marginalia suggest` prints them.

pub mod quotes;
mod reported;
mod speakers;

use std::collections::HashMap;

use regex::Regex;

use crate::model::{
    Directness, DocText, DocumentId, Entity, EntityId, LabelId, LabelKind, Project, Source, Span,
    entity::normalize,
};

pub use quotes::{FoundQuote, Speaker, find_quotes};

/// What a suggestion would annotate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SuggestionKind {
    /// A quotation, with its guessed speaker.
    Quote {
        /// The speaker as the text names them.
        speaker_text: Option<String>,
        /// The speaker as a source: an entity of the registry or an unnamed source.
        speaker: Option<Source>,
        /// Between quotation marks, or reported speech ("X said that …").
        directness: Directness,
    },
    /// A mention of a registry entity.
    Mention { entity: EntityId },
}

/// One suggested annotation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    pub document: DocumentId,
    pub span: Span,
    pub label: LabelId,
    pub text: String,
    pub kind: SuggestionKind,
}

impl Suggestion {
    /// "quote" or "mention".
    pub const fn kind_name(&self) -> &'static str {
        match self.kind {
            SuggestionKind::Quote { .. } => "quote",
            SuggestionKind::Mention { .. } => "mention",
        }
    }
}

/// A quotation or a piece of reported speech, with its code-point span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuoteSpan {
    pub span: Span,
    pub speaker: Option<Speaker>,
    /// Direct (between quotation marks) or indirect (reported speech).
    pub directness: Directness,
}

/// The quotations and reported speech of `text` with code-point spans, in order.
pub fn quote_spans(text: &DocText) -> Vec<QuoteSpan> {
    let found = find_quotes(text.as_str());
    let mut bytes: Vec<usize> = found
        .iter()
        .flat_map(|q| [q.bytes.start, q.bytes.end])
        .collect();
    to_chars(text.as_str(), &mut bytes);
    found
        .into_iter()
        .zip(bytes.chunks(2))
        .map(|(q, pair)| QuoteSpan {
            span: Span::between(
                crate::model::CharPos(pair[0]),
                crate::model::CharPos(pair[1]),
            ),
            speaker: q.speaker,
            directness: q.directness,
        })
        .collect()
}

/// The source a guessed speaker is: the registry's entity with that name or alias (a
/// description too: "the defense secretary" is Chuck Hagel when the registry says so), an
/// unnamed source for another description; `None` for a proper name the registry does not
/// know (shown as text; accepting it adds a person).
pub fn speaker_source(project: &Project, speaker: &Speaker) -> Option<Source> {
    let known = |text: &str| project.entities_named(text, None).first().map(|e| e.id);
    match speaker {
        Speaker::Name(name) => known(name).map(Source::Entity),
        Speaker::Description(d) => {
            // "the defense secretary", or "defense secretary" without its article.
            let bare = d
                .split_once(' ')
                .filter(|(article, _)| {
                    matches!(article.to_lowercase().as_str(), "a" | "an" | "the")
                })
                .map(|(_, rest)| rest);
            let entity = known(d)
                .or_else(|| bare.and_then(known))
                .or_else(|| bare.and_then(|b| known(&format!("the {b}"))));
            Some(entity.map_or_else(|| Source::Unnamed(d.clone()), Source::Entity))
        }
    }
}

/// Replaces sorted-or-not byte offsets by code-point offsets, in one pass over the text.
fn to_chars(text: &str, offsets: &mut [usize]) {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let (mut byte, mut chars) = (0, 0);
    for i in order {
        let target = offsets[i];
        chars += text[byte..target].chars().count();
        byte = target;
        offsets[i] = chars;
    }
}

/// Every suggestion for one document of `project`: `quotes` (its text's [`quote_spans`],
/// which callers keep, as the text does not change) not yet annotated as quotes (speakers
/// matched against the registry), and mentions of registry entities not yet
/// annotated with an entity label at that place.
pub fn suggest_document(
    project: &Project,
    document: DocumentId,
    text: &DocText,
    quotes: &[QuoteSpan],
) -> Vec<Suggestion> {
    let quote_label = project
        .schema
        .labels
        .iter()
        .find(|l| l.kind == LabelKind::Quote)
        .map(|l| l.id.clone());
    let mut out = Vec::new();
    let taken = |span: Span, kind: LabelKind| {
        project.overlapping(document, span).iter().any(|(s, id)| {
            *s == span
                && project
                    .annotation(*id)
                    .and_then(|a| project.schema.label(&a.label))
                    .is_some_and(|l| l.kind == kind)
        })
    };
    if let Some(label) = quote_label {
        for QuoteSpan {
            span,
            speaker,
            directness,
        } in quotes.iter().cloned()
        {
            if taken(span, LabelKind::Quote) {
                continue;
            }
            let source = speaker.as_ref().and_then(|s| speaker_source(project, s));
            out.push(Suggestion {
                document,
                span,
                label: label.clone(),
                text: text.slice(span).unwrap_or_default().to_owned(),
                kind: SuggestionKind::Quote {
                    speaker_text: speaker.map(|s| s.text().to_owned()),
                    speaker: source,
                    directness,
                },
            });
        }
    }
    for (span, entity) in entity_mentions(project, text) {
        if taken(span, LabelKind::Entity) {
            continue;
        }
        out.push(Suggestion {
            document,
            span,
            label: entity.kind.clone(),
            text: text.slice(span).unwrap_or_default().to_owned(),
            kind: SuggestionKind::Mention { entity: entity.id },
        });
    }
    out.sort_by_key(|s| (s.span.start(), std::cmp::Reverse(s.span.end())));
    out
}

/// Whole-word occurrences of every entity's name and aliases (longest first at a place);
/// names shared by two entities are left out (the analyst must choose).
fn entity_mentions<'p>(project: &'p Project, text: &DocText) -> Vec<(Span, &'p Entity)> {
    let mut by_name: HashMap<String, Vec<&Entity>> = HashMap::new();
    for entity in project.entities() {
        for name in entity.names() {
            let key = normalize(name);
            if key.chars().count() >= 2 {
                let owners = by_name.entry(key).or_default();
                if !owners.iter().any(|e| e.id == entity.id) {
                    owners.push(entity);
                }
            }
        }
    }
    if by_name.is_empty() {
        return Vec::new();
    }
    let mut names: Vec<&String> = by_name.keys().collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    let alternatives: Vec<String> = names
        .iter()
        .map(|n| regex::escape(n).replace(' ', r"\s+"))
        .collect();
    let Ok(re) = Regex::new(&format!(r"(?i)\b(?:{})\b", alternatives.join("|"))) else {
        return Vec::new();
    };
    let haystack = text.as_str();
    let mut found: Vec<(usize, usize, &Entity)> = Vec::new();
    for m in re.find_iter(haystack) {
        if let Some([only]) = by_name.get(&normalize(m.as_str())).map(Vec::as_slice) {
            // A name written in lowercase ("north korea") is not taken for a proper one.
            let proper = m.as_str().chars().any(char::is_uppercase)
                || !only.names().any(|n| n.chars().any(char::is_uppercase));
            if proper && !inside_longer_name(haystack, m.start(), m.end()) {
                found.push((m.start(), m.end(), only));
            }
        }
    }
    let mut offsets: Vec<usize> = found.iter().flat_map(|(s, e, _)| [*s, *e]).collect();
    to_chars(haystack, &mut offsets);
    found
        .into_iter()
        .zip(offsets.chunks(2))
        .map(|((_, _, entity), pair)| {
            (
                Span::between(
                    crate::model::CharPos(pair[0]),
                    crate::model::CharPos(pair[1]),
                ),
                entity,
            )
        })
        .collect()
}

/// True if the match is part of a longer proper name: the word right after it, or right
/// before it (not at a sentence start), is capitalised ("the North" in "the North Korean
/// threat", "Korea" in "South Korea").
fn inside_longer_name(text: &str, start: usize, end: usize) -> bool {
    let capitalised_word = |s: &str| s.chars().next().is_some_and(char::is_uppercase);
    let after = &text[end..];
    if let Some(rest) = after.strip_prefix(' ')
        && capitalised_word(rest)
    {
        return true;
    }
    let before = &text[..start];
    if let Some(rest) = before.strip_suffix(' ') {
        let word = rest.rsplit([' ', '\n']).next().unwrap_or_default();
        // A word ending in punctuation ("Korea," or "said.") is not joined to the match.
        let joined = word.chars().last().is_some_and(char::is_alphanumeric);
        if capitalised_word(word) && joined {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::inside_longer_name;

    #[test]
    fn parts_of_longer_names_are_not_mentions() {
        let text = "about the North Korean threat. North Korea said. In South Korea, the North";
        let at = |needle: &str, nth: usize| {
            let start = text.match_indices(needle).nth(nth).expect("needle").0;
            (start, start + needle.len())
        };
        let (s, e) = at("the North", 0);
        assert!(inside_longer_name(text, s, e), "followed by Korean");
        let (s, e) = at("North Korea", 0);
        assert!(!inside_longer_name(text, s, e), "starts a sentence");
        let (s, e) = at("Korea", 2);
        assert!(inside_longer_name(text, s, e), "South Korea");
        let (s, e) = at("the North", 1);
        assert!(!inside_longer_name(text, s, e), "at the end");
    }
}
