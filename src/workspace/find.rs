//! Find and tag all: every occurrence of a text (or pattern) in one document or the whole
//! project, and one undo step that tags every occurrence not already tagged so.

use jiff::Timestamp;

use super::Workspace;
use crate::model::{Annotation, Coalesce, DocumentId, Edit, EditError, LabelId, Span};

/// What to look for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FindQuery {
    pub text: String,
    pub match_case: bool,
    pub whole_word: bool,
    /// `text` is a regular expression (Rust `regex` syntax) instead of plain text.
    pub regex: bool,
}

/// One occurrence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub document: DocumentId,
    pub span: Span,
}

/// Why a search could not run.
#[derive(Debug, thiserror::Error)]
pub enum FindError {
    #[error("not a valid regular expression: {0}")]
    Pattern(String),
}

/// At most this many hits are listed (a search for "e" in a book would find millions).
pub const MAX_HITS: usize = 100_000;

impl FindQuery {
    fn pattern(&self) -> Result<Option<regex::Regex>, FindError> {
        if self.text.is_empty() {
            return Ok(None);
        }
        let core = if self.regex {
            self.text.clone()
        } else {
            regex::escape(&self.text)
        };
        regex::RegexBuilder::new(&core)
            .case_insensitive(!self.match_case)
            .build()
            .map(Some)
            .map_err(|e| FindError::Pattern(e.to_string()))
    }
}

impl Workspace {
    /// Every non-empty occurrence of `query` in `scope` (one document), or in every readable
    /// document of the project, in document and text order; at most [`MAX_HITS`].
    pub fn find(
        &self,
        query: &FindQuery,
        scope: Option<DocumentId>,
    ) -> Result<Vec<Hit>, FindError> {
        let Some(pattern) = query.pattern()? else {
            return Ok(Vec::new());
        };
        let documents: Vec<DocumentId> = match scope {
            Some(id) => vec![id],
            None => self.project.documents().iter().map(|d| d.id).collect(),
        };
        let mut hits = Vec::new();
        for document in documents {
            let Some(text) = self.text(document) else {
                continue;
            };
            for found in pattern.find_iter(text.as_str()) {
                if found.is_empty() || (query.whole_word && !stands_alone(text.as_str(), &found)) {
                    continue;
                }
                let (Some(start), Some(end)) = (
                    text.char_of(crate::model::offset::BytePos(found.start())),
                    text.char_of(crate::model::offset::BytePos(found.end())),
                ) else {
                    continue;
                };
                hits.push(Hit {
                    document,
                    span: Span::between(start, end),
                });
                if hits.len() >= MAX_HITS {
                    return Ok(hits);
                }
            }
        }
        Ok(hits)
    }

    /// True if an annotation with `label` covers exactly `hit`.
    pub fn is_tagged(&self, hit: Hit, label: &LabelId) -> bool {
        self.project
            .overlapping(hit.document, hit.span)
            .iter()
            .filter(|(span, _)| *span == hit.span)
            .any(|(_, id)| {
                self.project
                    .annotation(*id)
                    .is_some_and(|a| &a.label == label)
            })
    }

    /// Tags every hit not already tagged with `label`, as one undo step. Returns how many
    /// annotations were added. Entity mentions are linked as [`Workspace::annotate`] does.
    pub fn tag_all(&mut self, hits: &[Hit], label: &LabelId) -> Result<usize, EditError> {
        self.tag_all_linked(hits, label, None)
    }

    /// [`Workspace::tag_all`], linking every new mention to `entity` when one is given
    /// ("find mentions" of an entity, then tag them all).
    pub fn tag_all_linked(
        &mut self,
        hits: &[Hit],
        label: &LabelId,
        entity: Option<crate::model::EntityId>,
    ) -> Result<usize, EditError> {
        let mut linked: std::collections::HashMap<String, Option<crate::model::EntityId>> =
            std::collections::HashMap::new();
        let now = Timestamp::now();
        let author = super::author();
        let mut annotations = Vec::new();
        for &hit in hits {
            if self.is_tagged(hit, label) {
                continue;
            }
            let Some(text) = self.text(hit.document) else {
                continue;
            };
            let (prefix, suffix) = text.context(hit.span);
            let exact = text.slice(hit.span).unwrap_or_default().to_owned();
            let link = match entity {
                Some(id) => Some(id),
                None => *linked
                    .entry(exact.clone())
                    .or_insert_with(|| self.unambiguous_entity(&exact, label)),
            };
            annotations.push(Annotation {
                id: self.project.allocate_annotation_id(),
                document: hit.document,
                label: label.clone(),
                span: hit.span,
                fragments: Vec::new(),
                text: exact,
                prefix,
                suffix,
                entity: link,
                attrs: crate::model::Attributes::default(),
                note: String::new(),
                author: author.clone(),
                created: now,
                modified: now,
            });
        }
        let added = annotations.len();
        self.apply(Edit::Insert(annotations), Coalesce::No)?;
        Ok(added)
    }
}

/// True if the match is not part of a longer word: no letter, digit or underscore touches
/// it on either side ("U.S." is a whole word in "the U.S. and", "Kim" is not in "Kimchi").
fn stands_alone(text: &str, found: &regex::Match<'_>) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let before = text[..found.start()].chars().next_back();
    let after = text[found.end()..].chars().next();
    !before.is_some_and(word) && !after.is_some_and(word)
}
