//! Find and tag all: every occurrence of a text (or pattern) in one document or the whole
//! project, and one undo step that tags every occurrence not already tagged so.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

use jiff::Timestamp;

use super::Workspace;
use crate::model::{
    Annotation, Coalesce, DocText, DocumentId, Edit, EditError, LabelId, Progress, Span,
};

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

/// A search ready to run on any thread: the pattern, the texts to search (shared), and the
/// spans already tagged with the label to tag with, to count the hits still untagged.
pub struct FindJob {
    pattern: Option<regex::Regex>,
    whole_word: bool,
    texts: Vec<(DocumentId, Arc<DocText>)>,
    tagged: TaggedSpans,
}

/// The spans annotations with one label cover: gathered on the window's thread in one pass
/// over the annotations, without hashing (the window's share of a job over 100,000
/// annotations), sorted by the job on its own thread before it looks anything up.
#[derive(Default)]
struct TaggedSpans {
    spans: Vec<(DocumentId, Span)>,
}

impl TaggedSpans {
    fn sort(&mut self) {
        self.spans.sort_unstable();
    }

    /// Whether `span` of `document` is tagged (once sorted).
    fn contains(&self, document: DocumentId, span: Span) -> bool {
        self.spans.binary_search(&(document, span)).is_ok()
    }
}

/// What a search found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Found {
    /// In document and text order; at most [`MAX_HITS`].
    pub hits: Vec<Hit>,
    /// How many hits no annotation with the label covers exactly.
    pub untagged: usize,
}

/// Hits found between two cancel checks.
const CHECK_EVERY: usize = 4096;

impl FindJob {
    /// How many bytes of text the search goes through.
    pub fn bytes(&self) -> usize {
        self.texts.iter().map(|(_, t)| t.as_str().len()).sum()
    }

    /// Searches every text, counting progress in bytes searched; `None` once `progress` is
    /// cancelled. A big search is split into runs of documents searched side by side, one
    /// per core (the hits come back in document order all the same).
    pub fn run(&self, progress: &Progress) -> Option<Found> {
        let Some(pattern) = &self.pattern else {
            return Some(Found::default());
        };
        let mut tagged = TaggedSpans {
            spans: self.tagged.spans.clone(),
        };
        tagged.sort();
        let bytes = self.bytes();
        progress.set_total(bytes as u64);
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        let parts = if bytes < PARALLEL_BYTES {
            1
        } else {
            cores.min(8)
        };
        let runs = split_by_bytes(&self.texts, parts);
        let found: Vec<Option<Vec<(Hit, bool)>>> = if runs.len() == 1 {
            vec![self.search(pattern, &self.texts, &tagged, progress)]
        } else {
            std::thread::scope(|scope| {
                let workers: Vec<_> = runs
                    .iter()
                    .map(|run| scope.spawn(|| self.search(pattern, run, &tagged, progress)))
                    .collect();
                workers
                    .into_iter()
                    .map(|w| w.join().unwrap_or(None))
                    .collect()
            })
        };
        let mut hits: Vec<(Hit, bool)> = Vec::new();
        for part in found {
            hits.extend(part?);
            if hits.len() >= MAX_HITS {
                hits.truncate(MAX_HITS);
                break;
            }
        }
        Some(Found {
            untagged: hits.iter().filter(|(_, untagged)| *untagged).count(),
            hits: hits.into_iter().map(|(hit, _)| hit).collect(),
        })
    }

    /// The hits in `texts`, in order, each with whether it is untagged; at most
    /// [`MAX_HITS`]; `None` once `progress` is cancelled.
    fn search(
        &self,
        pattern: &regex::Regex,
        texts: &[(DocumentId, Arc<DocText>)],
        tagged: &TaggedSpans,
        progress: &Progress,
    ) -> Option<Vec<(Hit, bool)>> {
        let mut hits = Vec::new();
        for (document, text) in texts {
            let body = text.as_str();
            for (n, hit) in pattern.find_iter(body).enumerate() {
                if n % CHECK_EVERY == CHECK_EVERY - 1 && progress.is_cancelled() {
                    return None;
                }
                if hit.is_empty() || (self.whole_word && !stands_alone(body, &hit)) {
                    continue;
                }
                let (Some(start), Some(end)) = (
                    text.char_of(crate::model::offset::BytePos(hit.start())),
                    text.char_of(crate::model::offset::BytePos(hit.end())),
                ) else {
                    continue;
                };
                let span = Span::between(start, end);
                let hit = Hit {
                    document: *document,
                    span,
                };
                hits.push((hit, !tagged.contains(*document, span)));
                if hits.len() >= MAX_HITS {
                    return Some(hits);
                }
            }
            progress.advance(body.len() as u64);
            if progress.is_cancelled() {
                return None;
            }
        }
        Some(hits)
    }
}

/// Searches of less text than this run on one thread (starting more costs more).
const PARALLEL_BYTES: usize = 4 << 20;

/// `texts` cut into at most `parts` runs of about as many bytes each, in order.
fn split_by_bytes(
    texts: &[(DocumentId, Arc<DocText>)],
    parts: usize,
) -> Vec<&[(DocumentId, Arc<DocText>)]> {
    let total: usize = texts.iter().map(|(_, t)| t.as_str().len()).sum();
    let share = total.div_ceil(parts.max(1)).max(1);
    let mut runs = Vec::with_capacity(parts);
    let (mut start, mut bytes) = (0, 0);
    for (i, (_, text)) in texts.iter().enumerate() {
        bytes += text.as_str().len();
        if bytes >= share && runs.len() + 1 < parts {
            runs.push(&texts[start..=i]);
            (start, bytes) = (i + 1, 0);
        }
    }
    runs.push(&texts[start..]);
    runs
}

impl Workspace {
    /// Every non-empty occurrence of `query` in `scope` (one document), or in every readable
    /// document of the project, in document and text order; at most [`MAX_HITS`].
    pub fn find(
        &self,
        query: &FindQuery,
        scope: Option<DocumentId>,
    ) -> Result<Vec<Hit>, FindError> {
        let job = self.find_job(query, scope, None)?;
        Ok(job.run(&Progress::new()).unwrap_or_default().hits)
    }

    /// A search for `query` in `scope` (as [`Self::find`]) to run on another thread; with a
    /// `label`, it also counts the hits not yet tagged with it.
    pub fn find_job(
        &self,
        query: &FindQuery,
        scope: Option<DocumentId>,
        label: Option<&LabelId>,
    ) -> Result<FindJob, FindError> {
        let pattern = query.pattern()?;
        let documents: Vec<DocumentId> = match scope {
            Some(id) => vec![id],
            None => self.project.documents().iter().map(|d| d.id).collect(),
        };
        let texts: Vec<(DocumentId, Arc<DocText>)> = documents
            .into_iter()
            .filter_map(|id| Some((id, self.shared_text(id)?)))
            .collect();
        let tagged = match (label, &pattern) {
            (Some(label), Some(_)) => {
                self.tagged_spans(label, texts.iter().map(|(id, _)| *id).collect())
            }
            _ => TaggedSpans::default(),
        };
        Ok(FindJob {
            pattern,
            whole_word: query.whole_word,
            texts,
            tagged,
        })
    }

    /// The spans that annotations with `label` cover in `documents`: a snapshot for a job
    /// telling tagged hits from untagged ones.
    fn tagged_spans(&self, label: &LabelId, mut documents: Vec<DocumentId>) -> TaggedSpans {
        documents.sort_unstable();
        let spans = self
            .project
            .annotations()
            .filter(|a| &a.label == label && documents.binary_search(&a.document).is_ok())
            .map(|a| (a.document, a.span))
            .collect();
        TaggedSpans { spans }
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
        let job = self.tag_job(hits.to_vec(), label.clone(), entity);
        match job.run(&Progress::new()) {
            Some(prepared) => self.finish_tags(prepared),
            None => Ok(0),
        }
    }

    /// Tagging `hits` with `label`, prepared on another thread: which hits are untagged and
    /// the text and context of each (a snapshot: shared texts, the label's tagged spans).
    pub fn tag_job(
        &self,
        hits: Vec<Hit>,
        label: LabelId,
        entity: Option<crate::model::EntityId>,
    ) -> TagJob {
        let texts: HashMap<DocumentId, Arc<DocText>> = hits
            .iter()
            .map(|h| h.document)
            .collect::<HashSet<_>>()
            .into_iter()
            .filter_map(|id| Some((id, self.shared_text(id)?)))
            .collect();
        let tagged = self.tagged_spans(&label, texts.keys().copied().collect());
        TagJob {
            hits,
            label,
            entity,
            texts,
            tagged,
            revision: self.revision(),
            author: self.analyst.clone(),
            now: Timestamp::now(),
        }
    }

    /// Applies prepared tags as one undo step (re-checking which hits are still untagged
    /// if the annotations changed since they were prepared). Returns how many were added.
    pub fn finish_tags(&mut self, mut prepared: PreparedTags) -> Result<usize, EditError> {
        self.finish_tags_part(&mut prepared, usize::MAX)
    }

    /// Applies the next `limit` of the prepared tags (what is left stays in `prepared`), so
    /// that a big "tag all" can be added over several frames: the parts make one undo step
    /// as long as nothing else changes the annotations between them. Returns how many were
    /// added. What is done here is what needs the project: ids, and links to entities
    /// (looked up once per distinct text, on the first part).
    pub fn finish_tags_part(
        &mut self,
        prepared: &mut PreparedTags,
        limit: usize,
    ) -> Result<usize, EditError> {
        if prepared.links.is_none() {
            let links = match prepared.entity {
                Some(_) => Vec::new(),
                None => prepared
                    .words
                    .iter()
                    .map(|exact| self.unambiguous_entity(exact, &prepared.label))
                    .collect(),
            };
            prepared.links = Some(links);
        }
        let take = limit.min(prepared.tags.len());
        let mut tags: Vec<Annotation> = prepared.tags.drain(..take).collect();
        let words_of: Vec<u32> = prepared.words_of.drain(..take).collect();
        // Hits tagged since the job was prepared (or its last part) are dropped.
        let changed = prepared.revision != self.revision();
        let mut kept_words = Vec::with_capacity(tags.len());
        let mut words_of = words_of.into_iter();
        tags.retain(|a| {
            let words = words_of.next().unwrap_or_default();
            let hit = Hit {
                document: a.document,
                span: a.span,
            };
            let keep = !changed || !self.is_tagged(hit, &prepared.label);
            if keep {
                kept_words.push(words as usize);
            }
            keep
        });
        let links = prepared.links.as_deref().unwrap_or_default();
        for (annotation, words) in tags.iter_mut().zip(kept_words) {
            annotation.id = self.project.allocate_annotation_id();
            annotation.entity = prepared
                .entity
                .or_else(|| links.get(words).copied().flatten());
        }
        let added = tags.len();
        self.apply(Edit::Insert(tags), Coalesce::Part(prepared.part_of))?;
        prepared.revision = self.revision();
        prepared.added += added;
        Ok(added)
    }
}

/// Numbers the big edits applied in parts, so that parts of different ones never merge.
static PARTS_OF: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Hits to tag, with what preparing them needs; see [`Workspace::tag_job`].
pub struct TagJob {
    hits: Vec<Hit>,
    label: LabelId,
    entity: Option<crate::model::EntityId>,
    texts: HashMap<DocumentId, Arc<DocText>>,
    tagged: TaggedSpans,
    revision: u64,
    author: String,
    now: Timestamp,
}

/// What a [`TagJob`] prepared, for [`Workspace::finish_tags`]: the new annotations, whole
/// but for their ids (0 until then) and entity links.
pub struct PreparedTags {
    label: LabelId,
    entity: Option<crate::model::EntityId>,
    /// The annotations' revision the tags were checked against (the job's, then that after
    /// the last part applied).
    revision: u64,
    tags: VecDeque<Annotation>,
    /// The distinct texts tagged ...
    words: Vec<String>,
    /// ... and which one each annotation of `tags` has (an index into `words`).
    words_of: VecDeque<u32>,
    /// The entity each of `words` links to (found with the first part).
    links: Option<Vec<Option<crate::model::EntityId>>>,
    /// The number the parts merge by (see [`Coalesce::Part`]).
    part_of: u64,
    /// How many were added so far.
    added: usize,
}

impl PreparedTags {
    /// The label the hits are tagged with.
    pub fn label(&self) -> &LabelId {
        &self.label
    }

    /// How many prepared tags are still to be applied.
    pub fn remaining(&self) -> usize {
        self.tags.len()
    }

    /// How many were added by the parts applied so far.
    pub fn added(&self) -> usize {
        self.added
    }
}

impl TagJob {
    /// How many hits it goes through.
    pub fn len(&self) -> usize {
        self.hits.len()
    }

    pub fn is_empty(&self) -> bool {
        self.hits.is_empty()
    }

    /// Prepares an annotation for every untagged hit, counting hits in `progress`; `None`
    /// once cancelled.
    pub fn run(mut self, progress: &Progress) -> Option<PreparedTags> {
        self.tagged.sort();
        let total = self.hits.len();
        progress.set_total(total as u64);
        let mut tags = Vec::new();
        let mut words: Vec<String> = Vec::new();
        let mut words_of = Vec::new();
        let mut index: HashMap<String, u32> = HashMap::new();
        for (n, hit) in self.hits.into_iter().enumerate() {
            if n % CHECK_EVERY == 0 {
                if progress.is_cancelled() {
                    return None;
                }
                progress.advance(CHECK_EVERY.min(total - n) as u64);
            }
            if self.tagged.contains(hit.document, hit.span) {
                continue;
            }
            let Some(text) = self.texts.get(&hit.document) else {
                continue;
            };
            let exact = text.slice(hit.span).unwrap_or_default();
            let key = if let Some(&key) = index.get(exact) {
                key
            } else {
                let key = u32::try_from(words.len()).unwrap_or(u32::MAX);
                index.insert(exact.to_owned(), key);
                words.push(exact.to_owned());
                key
            };
            words_of.push(key);
            tags.push(Annotation {
                id: crate::model::AnnotationId(0),
                document: hit.document,
                label: self.label.clone(),
                span: hit.span,
                fragments: Vec::new(),
                excerpt: crate::model::Excerpt::in_document(Arc::clone(text)),
                entity: None,
                attrs: crate::model::Attributes::default(),
                note: String::new(),
                author: self.author.clone(),
                changed_by: String::new(),
                created: self.now,
                modified: self.now,
            });
        }
        Some(PreparedTags {
            label: self.label,
            entity: self.entity,
            revision: self.revision,
            tags: tags.into(),
            words,
            words_of: words_of.into(),
            links: None,
            part_of: PARTS_OF.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            added: 0,
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(sizes: &[usize]) -> Vec<(DocumentId, Arc<DocText>)> {
        sizes
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                let text = "Hagel said no. ".repeat(n / 15 + 1);
                let id = DocumentId(u32::try_from(i).unwrap_or(0));
                (id, Arc::new(DocText::new(text)))
            })
            .collect()
    }

    #[test]
    fn runs_cover_every_text_once_in_order() {
        let all = texts(&[100, 5_000, 50, 50, 3_000, 10]);
        for parts in 1..=8 {
            let runs = split_by_bytes(&all, parts);
            assert!(runs.len() <= parts && !runs.is_empty());
            let joined: Vec<DocumentId> = runs.iter().flat_map(|r| r.iter().map(|t| t.0)).collect();
            let expected: Vec<DocumentId> = all.iter().map(|t| t.0).collect();
            assert_eq!(joined, expected, "{parts} part(s)");
        }
    }

    #[test]
    fn a_search_split_across_threads_finds_what_one_thread_finds() {
        // More than PARALLEL_BYTES in all, so that it is split.
        let all = texts(&[1 << 20; 6]);
        let query = FindQuery {
            text: "hagel".to_owned(),
            ..FindQuery::default()
        };
        let job = FindJob {
            pattern: query.pattern().expect("pattern"),
            whole_word: true,
            texts: all.clone(),
            tagged: TaggedSpans::default(),
        };
        let progress = Progress::new();
        let found = job.run(&progress).expect("not cancelled");
        let pattern = job.pattern.as_ref().expect("pattern");
        let one = job
            .search(pattern, &all, &TaggedSpans::default(), &progress)
            .expect("not cancelled");
        assert_eq!(found.hits.len(), MAX_HITS.min(one.len()));
        assert!(found.hits.iter().zip(&one).all(|(a, b)| *a == b.0));
        assert_eq!(found.untagged, found.hits.len());
    }
}
