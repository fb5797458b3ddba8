//! One claim across articles: claims that say the same thing (or deny it) are grouped,
//! offline and without a model: TF-IDF cosine of their words (lower-cased, common words
//! left out, plural and tense endings cut) plus the entities they mention in common.
//! The most similar claims are joined first, and two groups join only while their claims
//! are alike on average (average linkage), so a story's claims do not chain into one
//! cluster through the people they all name.
//!
//! Pairs are scored only where two claims share a word that is not everywhere (an
//! inverted index), so 50,000 claims cluster in seconds, not in 50,000² steps.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::annotation::{Annotation, AnnotationId};
use super::document::DocumentId;
use super::entity::EntityId;
use super::project::Project;
use super::schema::LabelKind;

/// Claims scoring at least this are joined (chosen on the dev claims of
/// `tests/data/claims`; see the README there).
pub const THRESHOLD: f32 = 0.1;
/// The share of the score that shared entities give when both claims mention some.
const ENTITY_SHARE: f32 = 0.3;
/// Words in more than this share of the claims count for nothing.
const COMMON: f32 = 0.2;
/// Words in more than this many claims do not make pairs to score (they still count in
/// the score of a pair another word made), so that the pairs scored stay few.
const CANDIDATES: usize = 64;

/// A claim to cluster: its text and the entities it mentions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimInput<'a> {
    pub text: &'a str,
    pub entities: BTreeSet<EntityId>,
}

/// English words that say nothing about what a claim is about.
const STOP: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
    "before", "being", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had",
    "has", "have", "he", "her", "his", "i", "if", "in", "into", "is", "it", "its", "just", "may",
    "me", "more", "most", "my", "no", "not", "of", "on", "one", "or", "other", "our", "out",
    "over", "said", "say", "says", "she", "so", "some", "such", "than", "that", "the", "their",
    "them", "then", "there", "these", "they", "this", "those", "to", "told", "up", "us", "very",
    "was", "we", "were", "what", "when", "which", "who", "will", "with", "would", "you",
];

/// A word as the comparison sees it: lower case, a plural, tense or "-ly" ending cut from
/// longer words ("investigations" and "investigation", "stalled" and "stall" meet).
fn stem(word: &str) -> String {
    let word = word.to_lowercase();
    if word.chars().count() <= 4 {
        return word;
    }
    for ending in [
        "ations", "ation", "ings", "ing", "ies", "ied", "ed", "ly", "es", "s",
    ] {
        if let Some(base) = word.strip_suffix(ending)
            && base.chars().count() >= 4
        {
            return base.to_owned();
        }
    }
    word
}

/// The words of a claim that count, each once.
fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(stem)
        .filter(|w| !STOP.contains(&w.as_str()))
        .collect()
}

/// The clusters of `claims` (indices), each sorted, largest first; a claim joined to no
/// other is a cluster of one. `threshold` as [`THRESHOLD`].
pub fn cluster(claims: &[ClaimInput<'_>], threshold: f32) -> Vec<Vec<usize>> {
    let n = claims.len();
    let mut pairs = similar_pairs(claims);
    // Pairs under half the threshold count as unlike (0) in the averages: they are most
    // pairs of a big project, and would only make a join a little harder.
    pairs.retain(|p| p.2 >= threshold / 2.0);
    // Average linkage: the most similar pairs first; two clusters join only when their
    // claims are, on average over every pair between them (a pair never scored counts
    // 0), at least `threshold` alike. Joining on one pair alone would chain a whole
    // story's claims into one cluster through the people they all name.
    pairs.sort_by(|x, y| y.2.total_cmp(&x.2).then((x.0, x.1).cmp(&(y.0, y.1))));
    let mut between: HashMap<(usize, usize), f32> = HashMap::with_capacity(pairs.len());
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b, score) in &pairs {
        between.insert((a, b), score);
        neighbours[a].push(b);
        neighbours[b].push(a);
    }
    let key = |x: usize, y: usize| (x.min(y), x.max(y));
    let mut joined = UnionFind::new(n);
    let mut size = vec![1usize; n];
    for &(a, b, score) in &pairs {
        if score < threshold {
            break;
        }
        let (ra, rb) = (joined.find(a), joined.find(b));
        if ra == rb {
            continue;
        }
        let sum = between.get(&key(ra, rb)).copied().unwrap_or(0.0);
        if sum / float(size[ra] * size[rb]) < threshold {
            continue;
        }
        // The smaller cluster joins the larger: its sums move, each pair at most
        // log n times over the whole clustering.
        let (root, gone) = if size[ra] >= size[rb] {
            (ra, rb)
        } else {
            (rb, ra)
        };
        joined.parent[gone] = root;
        size[root] += size[gone];
        between.remove(&key(root, gone));
        for other in std::mem::take(&mut neighbours[gone]) {
            // A neighbour list may name clusters since joined to others: only current
            // roots with a sum left carry anything.
            let Some(moved) = between.remove(&key(gone, other)) else {
                continue;
            };
            if other == root || joined.find(other) != other {
                continue;
            }
            if !between.contains_key(&key(root, other)) {
                neighbours[root].push(other);
                neighbours[other].push(root);
            }
            *between.entry(key(root, other)).or_default() += moved;
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..n {
        groups.entry(joined.find(i)).or_default().push(i);
    }
    let mut clusters: Vec<Vec<usize>> = groups.into_values().collect();
    clusters.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    clusters
}

/// Every pair of claims sharing a word that is neither common (in more than a fifth of
/// the claims: it says nothing) nor found in more than [`CANDIDATES`] claims, with its
/// score: (a, b, score), a < b. The score is the cosine over the words that are not
/// common.
pub fn similar_pairs(claims: &[ClaimInput<'_>]) -> Vec<(usize, usize, f32)> {
    let n = claims.len();
    let mut ids: HashMap<String, usize> = HashMap::new();
    let bags: Vec<Vec<usize>> = claims
        .iter()
        .map(|c| {
            let mut bag: Vec<usize> = words(c.text)
                .into_iter()
                .map(|w| {
                    let next = ids.len();
                    *ids.entry(w).or_insert(next)
                })
                .collect();
            bag.sort_unstable();
            bag
        })
        .collect();
    let mut postings: Vec<Vec<usize>> = vec![Vec::new(); ids.len()];
    for (i, bag) in bags.iter().enumerate() {
        for &word in bag {
            postings[word].push(i);
        }
    }
    let total = float(n);
    let common = (COMMON * total).max(2.0);
    // Squared inverse document frequency; 0 for common words, which count for nothing.
    let weight: Vec<f32> = postings
        .iter()
        .map(|p| {
            if float(p.len()) > common {
                0.0
            } else {
                (((total + 1.0) / (float(p.len()) + 1.0)).ln() + 1.0).powi(2)
            }
        })
        .collect();
    let norms: Vec<f32> = bags
        .iter()
        .map(|bag| bag.iter().map(|&w| weight[w]).sum::<f32>().sqrt())
        .collect();
    let makes_pairs = |w: usize| weight[w] > 0.0 && postings[w].len() <= CANDIDATES;
    let mut pairs = Vec::new();
    let mut others: Vec<usize> = Vec::new();
    for (a, bag) in bags.iter().enumerate() {
        others.clear();
        for &w in bag.iter().filter(|&&w| makes_pairs(w)) {
            others.extend(postings[w].iter().copied().filter(|&b| b > a));
        }
        others.sort_unstable();
        others.dedup();
        for &b in &others {
            let dot = shared(bag, &bags[b]).map(|w| weight[w]).sum::<f32>();
            let cosine = dot / (norms[a] * norms[b]).max(f32::EPSILON);
            pairs.push((
                a,
                b,
                score(cosine, &claims[a].entities, &claims[b].entities),
            ));
        }
    }
    pairs
}

/// The words two sorted bags share.
fn shared<'b>(a: &'b [usize], b: &'b [usize]) -> impl Iterator<Item = usize> + 'b {
    let (mut i, mut j) = (0, 0);
    std::iter::from_fn(move || {
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    i += 1;
                    j += 1;
                    return Some(a[i - 1]);
                }
            }
        }
        None
    })
}

/// The similarity of two claims: their words' cosine, with a share for the entities
/// they both mention when both mention some.
fn score(cosine: f32, a: &BTreeSet<EntityId>, b: &BTreeSet<EntityId>) -> f32 {
    if a.is_empty() || b.is_empty() {
        return cosine;
    }
    let shared = float(a.intersection(b).count());
    let jaccard = shared / float(a.union(b).count());
    (1.0 - ENTITY_SHARE) * cosine + ENTITY_SHARE * jaccard
}

#[expect(clippy::cast_precision_loss, reason = "counts far below 2^24")]
fn float(n: usize) -> f32 {
    n as f32
}

struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        Self {
            parent: (0..n).collect(),
        }
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }
}

/// A claim of a cluster, as `marginalia clusters` and the claims view show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Member {
    pub document: DocumentId,
    pub annotation: AnnotationId,
    pub text: String,
    /// "asserts" / "denies" / "questions", or "" when not set.
    pub stance: String,
    /// The Admiralty grading ("B2"), "" when ungraded.
    pub grading: String,
    /// The claimant in words, "" when not set.
    pub claimant: String,
}

/// A cluster of the project's claims.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Cluster {
    pub members: Vec<Member>,
    /// How many documents its claims come from.
    pub documents: usize,
    /// True if its members take different stances (one asserts what another denies).
    pub contradicts: bool,
}

/// The entities a claim mentions: the linked entity mentions inside its span.
fn entities_in(project: &Project, claim: &Annotation) -> BTreeSet<EntityId> {
    project
        .overlapping(claim.document, claim.span)
        .into_iter()
        .filter(|(span, _)| claim.span.start() <= span.start() && span.end() <= claim.span.end())
        .filter_map(|(_, id)| project.annotation(id)?.entity)
        .collect()
}

/// The project's claims grouped (clusters of two or more), largest first.
pub fn of_project(project: &Project) -> Vec<Cluster> {
    let claims: Vec<&Annotation> = project
        .annotations_sorted()
        .into_iter()
        .filter(|a| project.schema.label(&a.label).map(|l| l.kind) == Some(LabelKind::Claim))
        .collect();
    let texts: Vec<String> = claims
        .iter()
        .map(|a| a.marked_text().into_owned())
        .collect();
    let inputs: Vec<ClaimInput<'_>> = claims
        .iter()
        .zip(&texts)
        .map(|(a, text)| ClaimInput {
            text,
            entities: entities_in(project, a),
        })
        .collect();
    cluster(&inputs, THRESHOLD)
        .into_iter()
        .filter(|c| c.len() > 1)
        .map(|members| {
            let members: Vec<Member> = members
                .into_iter()
                .map(|i| {
                    let a = claims[i];
                    Member {
                        document: a.document,
                        annotation: a.id,
                        text: texts[i].clone(),
                        stance: a
                            .attrs
                            .stance
                            .map(|s| s.name().to_owned())
                            .unwrap_or_default(),
                        grading: a.attrs.grading(),
                        claimant: a
                            .attrs
                            .source
                            .as_ref()
                            .map(|s| super::tables::source_words(project, s))
                            .unwrap_or_default(),
                    }
                })
                .collect();
            let documents: BTreeSet<DocumentId> = members.iter().map(|m| m.document).collect();
            let stances: BTreeSet<&str> = members
                .iter()
                .map(|m| m.stance.as_str())
                .filter(|s| !s.is_empty())
                .collect();
            Cluster {
                documents: documents.len(),
                contradicts: stances.len() > 1,
                members,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>(text: &'a str, entities: &[u32]) -> ClaimInput<'a> {
        ClaimInput {
            text,
            entities: entities.iter().map(|&e| EntityId(e)).collect(),
        }
    }

    #[test]
    fn the_same_claim_in_other_words_joins_and_another_does_not() {
        let claims = [
            input(
                "The minister said the army withdrew its troops from the border",
                &[1],
            ),
            input(
                "Troops were withdrawn from the border, according to the minister",
                &[1],
            ),
            input("Oil prices rose sharply on Monday", &[]),
            input(
                "The border troops withdrawal was denied by the rebels",
                &[1, 2],
            ),
        ];
        let clusters = cluster(&claims, THRESHOLD);
        assert!(
            clusters[0].contains(&0) && clusters[0].contains(&1),
            "{clusters:?}"
        );
        assert!(clusters.iter().any(|c| c == &[2]), "{clusters:?}");
        assert_eq!(
            clusters.iter().map(Vec::len).sum::<usize>(),
            4,
            "every claim once"
        );
    }

    #[test]
    fn words_are_compared_by_their_stems_without_common_words() {
        assert_eq!(stem("Investigations"), "investig");
        assert_eq!(stem("investigation"), "investig");
        assert_eq!(stem("stalled"), "stall");
        assert_eq!(stem("aid"), "aid");
        let bag = words("The aid was stalled, and it is stalling.");
        assert_eq!(bag.into_iter().collect::<Vec<_>>(), ["aid", "stall"]);
    }

    #[test]
    fn shared_entities_add_to_the_score_only_when_both_have_some() {
        let none = BTreeSet::new();
        let one: BTreeSet<EntityId> = [EntityId(1)].into();
        let two: BTreeSet<EntityId> = [EntityId(1), EntityId(2)].into();
        assert!((score(0.5, &none, &one) - 0.5).abs() < f32::EPSILON);
        assert!(score(0.5, &one, &one) > score(0.5, &one, &two));
        assert!(score(0.5, &one, &two) > score(0.5, &one, &[EntityId(3)].into()));
        assert!(cluster(&[], THRESHOLD).is_empty());
    }
}
