//! One claim across articles: claims that say the same thing (or deny it) are grouped,
//! offline and without a model: TF-IDF cosine of their words (lower-cased, common words
//! left out, plural and tense endings cut) plus the entities they mention in common.
//! The most similar claims are joined first, and two groups join only while their claims
//! are alike on average (average linkage), so a story's claims do not chain into one
//! cluster through the people they all name.
//!
//! Pairs are scored only where two claims share a word that is not everywhere (an
//! inverted index), so 50,000 claims cluster in seconds, not in 50,000² steps.
//!
//! The analyst has the last word: claims given one [`ClusterId`] (in their attributes) are
//! one *confirmed* cluster, whatever their words. Confirming, splitting, merging, adding
//! to and dissolving clusters only change those ids ([`Change`]s, applied as one undoable
//! edit). The automatic grouping works on the claims no analyst placed; a new claim that
//! looks like a confirmed cluster is *suggested* for it, never added without the analyst.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

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
/// Words in more than this share of the claims count for nothing (unless in at most
/// [`FEW`] claims).
const COMMON: f32 = 0.2;
/// Words in this many claims or fewer always count (see [`COMMON`]).
const FEW: f32 = 3.0;
/// Words in more than this many claims do not make pairs to score (they still count in
/// the score of a pair another word made), so that the pairs scored stay few.
const CANDIDATES: usize = 64;

/// The id of a confirmed cluster, kept in each member's attributes. Derived from the
/// members when a cluster is confirmed ([`ClusterId::of_members`]), so that two analysts
/// confirming the same suggested cluster give it the same id and their work merges
/// without a conflict.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(transparent)]
pub struct ClusterId(pub u64);

impl ClusterId {
    /// The id a cluster of exactly these claims gets: the first 48 bits of the SHA-256 of
    /// their sorted ids (never 0).
    pub fn of_members(members: &[AnnotationId]) -> Self {
        let mut sorted = members.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        let mut hasher = Sha256::new();
        for id in sorted {
            hasher.update(id.0.to_le_bytes());
        }
        let digest = hasher.finalize();
        let mut bytes = [0u8; 8];
        bytes[..6].copy_from_slice(&digest[..6]);
        Self(u64::from_le_bytes(bytes).max(1))
    }
}

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
    link(claims.len(), similar_pairs(claims), threshold)
}

/// [`cluster`] over `n` claims and their scored pairs (as [`similar_pairs`] gives them).
fn link(n: usize, mut pairs: Vec<(usize, usize, f32)>, threshold: f32) -> Vec<Vec<usize>> {
    // Pairs under half the threshold count as unlike (0) in the averages: they are most
    // pairs of a big project, and would only make a join a little harder.
    pairs.retain(|p| p.2 >= threshold / 2.0);
    // Average linkage: the most similar pairs first; two clusters join only when their
    // claims are, on average over every pair between them (a pair never scored counts
    // 0), at least `threshold` alike. Joining on one pair alone would chain a whole
    // story's claims into one cluster through the people they all name.
    let mut between: HashMap<(usize, usize), f32, PairHash> =
        HashMap::with_capacity_and_hasher(pairs.len(), PairHash::default());
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b, score) in &pairs {
        between.insert((a, b), score);
        neighbours[a].push(b);
        neighbours[b].push(a);
    }
    // Only pairs at the threshold start a join: only they need an order.
    pairs.retain(|p| p.2 >= threshold);
    pairs.sort_unstable_by(|x, y| y.2.total_cmp(&x.2).then((x.0, x.1).cmp(&(y.0, y.1))));
    let key = |x: usize, y: usize| (x.min(y), x.max(y));
    let mut joined = UnionFind::new(n);
    let mut size = vec![1usize; n];
    for &(a, b, _) in &pairs {
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
    // In a small project a fifth of the claims is a handful: a word in a few claims there
    // says what they share, not that it is everywhere.
    let common = (COMMON * total).max(FEW);
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
    let entities: Vec<Vec<EntityId>> = claims
        .iter()
        .map(|c| c.entities.iter().copied().collect())
        .collect();
    // Per claim `a`: the dot products with the claims after it, summed word by word over
    // the words that make pairs (a dense accumulator, reset after each claim); the
    // weighted words too widespread to make pairs are added for the candidates only.
    let mut dot = vec![0.0_f32; n];
    let mut touched: Vec<usize> = Vec::new();
    let mut pairs = Vec::new();
    for (a, bag) in bags.iter().enumerate() {
        let (light, heavy): (Vec<usize>, Vec<usize>) = bag
            .iter()
            .copied()
            .filter(|&w| weight[w] > 0.0)
            .partition(|&w| makes_pairs(w));
        for &w in &light {
            for &b in postings[w].iter().filter(|&&b| b > a) {
                if dot[b] == 0.0 {
                    touched.push(b);
                }
                dot[b] += weight[w];
            }
        }
        touched.sort_unstable();
        for &b in &touched {
            let extra: f32 = heavy
                .iter()
                .filter(|w| bags[b].binary_search(w).is_ok())
                .map(|&w| weight[w])
                .sum();
            let cosine = (dot[b] + extra) / (norms[a] * norms[b]).max(f32::EPSILON);
            pairs.push((a, b, score(cosine, &entities[a], &entities[b])));
            dot[b] = 0.0;
        }
        touched.clear();
    }
    pairs
}

/// How many items two sorted lists share.
fn shared_count<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut count) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                count += 1;
                i += 1;
                j += 1;
            }
        }
    }
    count
}

/// The similarity of two claims: their words' cosine, with a share for the entities
/// they both mention (sorted lists) when both mention some.
fn score(cosine: f32, a: &[EntityId], b: &[EntityId]) -> f32 {
    if a.is_empty() || b.is_empty() {
        return cosine;
    }
    let shared = shared_count(a, b);
    let jaccard = float(shared) / float(a.len() + b.len() - shared);
    (1.0 - ENTITY_SHARE) * cosine + ENTITY_SHARE * jaccard
}

#[expect(clippy::cast_precision_loss, reason = "counts far below 2^24")]
fn float(n: usize) -> f32 {
    n as f32
}

/// A fast hash for pairs of claim indices (the default one resists attacks on untrusted
/// keys, which these are not, at several times the cost).
type PairHash = std::hash::BuildHasherDefault<PairHasher>;

#[derive(Default)]
struct PairHasher(u64);

impl std::hash::Hasher for PairHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
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

impl Member {
    /// Its stance and grading in words ("denies, B2"), those set.
    pub fn stance_and_grading(&self) -> String {
        [self.stance.as_str(), self.grading.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A cluster of the project's claims.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Cluster {
    /// The analyst's id for a confirmed cluster; `None` for one the words suggest.
    pub id: Option<ClusterId>,
    pub members: Vec<Member>,
    /// Claims outside a confirmed cluster that look like they belong to it (newly tagged
    /// ones, typically): for the analyst to add or leave.
    pub suggested: Vec<Member>,
    /// How many documents its claims come from.
    pub documents: usize,
    /// True if its members contradict each other: they take different stances, or one
    /// is related to another as contradicting it.
    pub contradicts: bool,
    /// Why, in words ("stances differ", "a claim contradicts another").
    pub contradiction: String,
}

impl Cluster {
    /// True for a cluster the analyst confirmed.
    pub fn is_confirmed(&self) -> bool {
        self.id.is_some()
    }

    /// The ids of its members.
    pub fn member_ids(&self) -> Vec<AnnotationId> {
        self.members.iter().map(|m| m.annotation).collect()
    }
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

/// The project's claims.
fn claims_of(project: &Project) -> Vec<&Annotation> {
    project
        .annotations_sorted()
        .into_iter()
        .filter(|a| project.schema.label(&a.label).map(|l| l.kind) == Some(LabelKind::Claim))
        .collect()
}

/// The project's clusters: the confirmed ones (with the claims suggested for them), then
/// the suggested clusters of two or more among the claims no analyst placed, largest
/// first. A claim confirmed alone (taken out of a cluster) is in none.
pub fn of_project(project: &Project) -> Vec<Cluster> {
    let claims = claims_of(project);
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
    let pairs = similar_pairs(&inputs);
    let mut confirmed: BTreeMap<ClusterId, Vec<usize>> = BTreeMap::new();
    for (i, claim) in claims.iter().enumerate() {
        if let Some(id) = claim.attrs.cluster {
            confirmed.entry(id).or_default().push(i);
        }
    }
    let best = best_confirmed(&claims, &pairs, &confirmed);
    let mut suggested: BTreeMap<ClusterId, Vec<usize>> = BTreeMap::new();
    for (&free, &(_, id)) in &best {
        suggested.entry(id).or_default().push(free);
    }
    // The rest cluster among themselves.
    let placed = |i: usize| claims[i].attrs.cluster.is_some() || best.contains_key(&i);
    let free_pairs: Vec<(usize, usize, f32)> = pairs
        .into_iter()
        .filter(|&(a, b, _)| !placed(a) && !placed(b))
        .collect();
    let automatic = link(claims.len(), free_pairs, THRESHOLD)
        .into_iter()
        .filter(|c| c.len() > 1);
    let member = |i: usize| {
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
    };
    let make = |id: Option<ClusterId>, members: &[usize], suggested: &[usize]| {
        let members: Vec<Member> = members.iter().map(|&i| member(i)).collect();
        let documents: BTreeSet<DocumentId> = members.iter().map(|m| m.document).collect();
        let contradiction = contradiction(project, &members);
        Cluster {
            id,
            documents: documents.len(),
            contradicts: !contradiction.is_empty(),
            contradiction,
            members,
            suggested: suggested.iter().map(|&i| member(i)).collect(),
        }
    };
    let mut out: Vec<Cluster> = confirmed
        .iter()
        .map(|(id, members)| {
            (
                id,
                members,
                suggested.get(id).map_or(&[][..], Vec::as_slice),
            )
        })
        .filter(|(_, members, _)| members.len() > 1)
        .map(|(id, members, suggested)| make(Some(*id), members, suggested))
        .collect();
    out.sort_by_key(|c| std::cmp::Reverse(c.members.len()));
    out.extend(automatic.map(|members| make(None, &members, &[])));
    out
}

/// For each claim no analyst placed, the confirmed cluster (of two claims or more) it is
/// most alike on average (over all the cluster's members), if that is at least the
/// threshold, with the average.
fn best_confirmed(
    claims: &[&Annotation],
    pairs: &[(usize, usize, f32)],
    confirmed: &BTreeMap<ClusterId, Vec<usize>>,
) -> BTreeMap<usize, (f32, ClusterId)> {
    let mut alike: HashMap<(usize, ClusterId), f32> = HashMap::new();
    for &(a, b, score) in pairs {
        for (free, placed) in [(a, b), (b, a)] {
            // A claim kept alone was taken out of a cluster: it draws no others.
            if claims[free].attrs.cluster.is_none()
                && let Some(id) = claims[placed].attrs.cluster
                && confirmed[&id].len() > 1
            {
                *alike.entry((free, id)).or_default() += score;
            }
        }
    }
    let mut best: BTreeMap<usize, (f32, ClusterId)> = BTreeMap::new();
    for (&(free, id), &sum) in &alike {
        let average = sum / float(confirmed[&id].len());
        if average >= THRESHOLD
            && best
                .get(&free)
                .is_none_or(|&(b, bid)| (average, id) > (b, bid))
        {
            best.insert(free, (average, id));
        }
    }
    best
}

/// Why a cluster's members contradict each other, or "" if they do not: different
/// stances, or a "contradicts" relation between two of them.
fn contradiction(project: &Project, members: &[Member]) -> String {
    let stances: BTreeSet<&str> = members
        .iter()
        .map(|m| m.stance.as_str())
        .filter(|s| !s.is_empty())
        .collect();
    let ids: BTreeSet<AnnotationId> = members.iter().map(|m| m.annotation).collect();
    let related = project.relations().any(|r| {
        r.kind.trim().eq_ignore_ascii_case("contradicts")
            && ids.contains(&r.from)
            && ids.contains(&r.to)
    });
    match (stances.len() > 1, related) {
        (true, true) => "stances differ and a claim contradicts another".to_owned(),
        (true, false) => format!(
            "stances differ ({})",
            stances.into_iter().collect::<Vec<_>>().join(", ")
        ),
        (false, true) => "a claim contradicts another".to_owned(),
        (false, false) => String::new(),
    }
}

/// A claim moved by the analyst's decision: into a confirmed cluster, or back to the
/// automatic grouping (`None`).
pub type Change = (AnnotationId, Option<ClusterId>);

/// Every cluster id the project's claims carry, with how many claims carry it.
fn ids_in_use(project: &Project) -> HashMap<ClusterId, usize> {
    let mut used = HashMap::new();
    for a in project.annotations() {
        if let Some(id) = a.attrs.cluster {
            *used.entry(id).or_default() += 1;
        }
    }
    used
}

/// The id for a new cluster of `members`: derived from them ([`ClusterId::of_members`]),
/// unless claims outside them carry that id already (then a random one).
fn new_id(project: &Project, members: &[AnnotationId]) -> ClusterId {
    let derived = ClusterId::of_members(members);
    let set: BTreeSet<AnnotationId> = members.iter().copied().collect();
    let taken_outside = project
        .annotations()
        .any(|a| a.attrs.cluster == Some(derived) && !set.contains(&a.id));
    if !taken_outside {
        return derived;
    }
    random_id(project)
}

/// A random id no claim of the project carries.
fn random_id(project: &Project) -> ClusterId {
    let used = ids_in_use(project);
    ClusterId(super::ids::random_free(super::ids::RUN_LIMIT, |n| {
        used.contains_key(&ClusterId(n))
    }))
}

/// Confirms a cluster as it stands: every member gets its id (a new one for a suggested
/// cluster).
pub fn confirm(project: &Project, cluster: &Cluster) -> Vec<Change> {
    let members = cluster.member_ids();
    let id = cluster.id.unwrap_or_else(|| new_id(project, &members));
    assign(&members, Some(id))
}

/// Splits `part` off a cluster: the part becomes a confirmed cluster of its own (one claim
/// alone stays out of every cluster), and the rest is confirmed as it stands.
pub fn split(project: &Project, cluster: &Cluster, part: &BTreeSet<AnnotationId>) -> Vec<Change> {
    let (moved, rest): (Vec<AnnotationId>, Vec<AnnotationId>) = cluster
        .member_ids()
        .into_iter()
        .partition(|id| part.contains(id));
    if moved.is_empty() || rest.is_empty() {
        return Vec::new();
    }
    let rest_id = cluster.id.unwrap_or_else(|| new_id(project, &rest));
    let mut changes = assign(&rest, Some(rest_id));
    let moved_id = new_id(project, &moved);
    let moved_id = if moved_id == rest_id {
        // The part's members once made the cluster (its id was derived from them).
        random_id(project)
    } else {
        moved_id
    };
    changes.extend(assign(&moved, Some(moved_id)));
    changes
}

/// Takes `claim` out of a cluster: it stays out of every cluster. A confirmed cluster keeps
/// the rest (as [`split`]); a suggested one is left to the automatic grouping (taking one
/// claim out confirms nothing else).
pub fn take_out(project: &Project, cluster: &Cluster, claim: AnnotationId) -> Vec<Change> {
    if cluster.is_confirmed() {
        return split(project, cluster, &[claim].into());
    }
    vec![(claim, Some(new_id(project, &[claim])))]
}

/// Merges cluster `from` into `into`: all their claims become one confirmed cluster
/// (with `into`'s id if it has one, else `from`'s, else a new one).
pub fn merge(project: &Project, into: &Cluster, from: &Cluster) -> Vec<Change> {
    let mut members = into.member_ids();
    members.extend(from.member_ids());
    let id = into
        .id
        .or(from.id)
        .unwrap_or_else(|| new_id(project, &members));
    assign(&members, Some(id))
}

/// Adds `claim` to a cluster (a suggested cluster is confirmed with it).
pub fn add(project: &Project, cluster: &Cluster, claim: AnnotationId) -> Vec<Change> {
    let mut members = cluster.member_ids();
    members.push(claim);
    let id = cluster.id.unwrap_or_else(|| new_id(project, &members));
    assign(&members, Some(id))
}

/// Dissolves a confirmed cluster: its claims go back to the automatic grouping.
pub fn dissolve(cluster: &Cluster) -> Vec<Change> {
    assign(&cluster.member_ids(), None)
}

/// Every claim of `members` into `id`.
fn assign(members: &[AnnotationId], id: Option<ClusterId>) -> Vec<Change> {
    members.iter().map(|&m| (m, id)).collect()
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
        let none = [];
        let one = [EntityId(1)];
        let two = [EntityId(1), EntityId(2)];
        assert!((score(0.5, &none, &one) - 0.5).abs() < f32::EPSILON);
        assert!(score(0.5, &one, &one) > score(0.5, &one, &two));
        assert!(score(0.5, &one, &two) > score(0.5, &one, &[EntityId(3)]));
        assert!(cluster(&[], THRESHOLD).is_empty());
    }

    /// A project of claims, one per document (with the given stances), and a note.
    fn project_of(claims: &[(&str, Option<super::super::attributes::Stance>)]) -> Project {
        use crate::model::{CharPos, Document, Edit, Excerpt, LabelId, Span};
        let mut project = Project::new("claims");
        let mut annotations = Vec::new();
        for (i, (text, stance)) in claims.iter().enumerate() {
            let document = project.add_document(Document {
                path: format!("{i}.txt"),
                sha256: format!("{i}"),
                char_len: text.chars().count(),
                ..Document::default()
            });
            let mut attrs = crate::model::Attributes {
                stance: *stance,
                ..Default::default()
            };
            attrs.stance = *stance;
            annotations.push(Annotation {
                id: project.allocate_annotation_id(),
                document,
                label: LabelId("claim".into()),
                span: Span::between(CharPos(0), CharPos(text.chars().count())),
                fragments: Vec::new(),
                excerpt: Excerpt::held(text, "", ""),
                entity: None,
                attrs,
                note: String::new(),
                author: String::new(),
                changed_by: String::new(),
                created: jiff::Timestamp::UNIX_EPOCH,
                modified: jiff::Timestamp::UNIX_EPOCH,
            });
        }
        project.apply(Edit::Insert(annotations)).expect("insert");
        project
    }

    /// Applies cluster changes to the project's claims.
    fn apply(project: &mut Project, changes: &[Change]) {
        let moved: Vec<Annotation> = changes
            .iter()
            .map(|&(id, cluster)| {
                let mut a = project.annotation(id).expect("claim").clone();
                a.attrs.cluster = cluster;
                a
            })
            .collect();
        project
            .apply(crate::model::Edit::Replace(moved))
            .expect("replace");
    }

    const TROOPS: [&str; 3] = [
        "The army withdrew its troops from the northern border on Monday",
        "Troops were withdrawn from the northern border, the army said",
        "The army has withdrawn troops from the northern border region",
    ];
    const OIL: [&str; 2] = [
        "Oil prices rose sharply after the refinery fire",
        "The refinery fire sent oil prices sharply higher",
    ];

    fn texts(cluster: &Cluster) -> Vec<&str> {
        cluster.members.iter().map(|m| m.text.as_str()).collect()
    }

    #[test]
    fn a_confirmed_cluster_keeps_its_claims_and_suggests_a_new_one() {
        let mut project = project_of(&[(TROOPS[0], None), (TROOPS[1], None)]);
        let found = of_project(&project);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(!found[0].is_confirmed());
        let changes = confirm(&project, &found[0]);
        apply(&mut project, &changes);
        let found = of_project(&project);
        assert_eq!(
            found[0].id,
            Some(ClusterId::of_members(&found[0].member_ids()))
        );
        assert!(found[0].suggested.is_empty());
        // A claim tagged later is suggested, not added.
        let newcomer = {
            let more = project_of(&[(TROOPS[0], None), (TROOPS[1], None), (TROOPS[2], None)]);
            more.annotations_sorted()[2].clone()
        };
        project
            .apply(crate::model::Edit::Insert(vec![newcomer.clone()]))
            .expect("insert");
        let found = of_project(&project);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].members.len(), 2);
        assert_eq!(found[0].suggested.len(), 1);
        assert_eq!(found[0].suggested[0].annotation, newcomer.id);
        let changes = add(&project, &found[0], newcomer.id);
        apply(&mut project, &changes);
        let found = of_project(&project);
        assert_eq!(found[0].members.len(), 3);
        assert!(found[0].suggested.is_empty());
    }

    #[test]
    fn the_analyst_splits_merges_and_dissolves_what_the_words_suggest() {
        let all: Vec<(&str, Option<super::super::attributes::Stance>)> =
            TROOPS.iter().chain(&OIL).map(|t| (*t, None)).collect();
        let mut project = project_of(&all);
        let found = of_project(&project);
        assert_eq!(found.len(), 2, "{found:?}");
        let troops = found.iter().find(|c| c.members.len() == 3).expect("troops");
        // Split the third troops claim off: two confirmed clusters, one of them alone
        // (listed no more), and it is not suggested back.
        let third = troops.members[2].annotation;
        let changes = split(&project, troops, &[third].into());
        apply(&mut project, &changes);
        let found = of_project(&project);
        let confirmed: Vec<&Cluster> = found.iter().filter(|c| c.is_confirmed()).collect();
        assert_eq!(confirmed.len(), 1, "{found:?}");
        assert_eq!(confirmed[0].members.len(), 2);
        assert!(!confirmed[0].member_ids().contains(&third));
        assert!(found.iter().all(|c| !c.member_ids().contains(&third)));
        let alone = project.annotation(third).and_then(|a| a.attrs.cluster);
        assert!(alone.is_some() && alone != confirmed[0].id);
        // Merge the oil cluster (suggested) into the troops one: one cluster of four.
        let oil = found.iter().find(|c| !c.is_confirmed()).expect("oil");
        assert_eq!(texts(oil).len(), 2);
        let changes = merge(&project, confirmed[0], oil);
        apply(&mut project, &changes);
        let found = of_project(&project);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].members.len(), 4);
        // Dissolved, they go back to the words' grouping.
        apply(&mut project, &dissolve(&found[0]));
        let found = of_project(&project);
        assert!(found.iter().all(|c| !c.is_confirmed()));
        assert_eq!(found.iter().map(|c| c.members.len()).sum::<usize>(), 4);
    }

    #[test]
    fn a_claim_taken_out_of_a_suggested_cluster_confirms_nothing_else() {
        let mut project = project_of(&[(TROOPS[0], None), (TROOPS[1], None), (TROOPS[2], None)]);
        let found = of_project(&project);
        assert_eq!(found[0].members.len(), 3);
        let out = found[0].members[0].annotation;
        let changes = take_out(&project, &found[0], out);
        assert_eq!(changes.len(), 1, "{changes:?}");
        apply(&mut project, &changes);
        let found = of_project(&project);
        assert_eq!(found.len(), 1);
        assert!(!found[0].is_confirmed(), "the rest is still a suggestion");
        assert!(!found[0].member_ids().contains(&out));
    }

    #[test]
    fn splitting_the_claims_a_cluster_was_named_after_gives_a_new_id() {
        let mut project = project_of(&[(TROOPS[0], None), (TROOPS[1], None)]);
        let found = of_project(&project);
        let changes = confirm(&project, &found[0]);
        apply(&mut project, &changes);
        let third = project_of(&[(TROOPS[0], None), (TROOPS[1], None), (TROOPS[2], None)])
            .annotations_sorted()[2]
            .clone();
        project
            .apply(crate::model::Edit::Insert(vec![third.clone()]))
            .expect("insert");
        let found = of_project(&project);
        let changes = add(&project, &found[0], third.id);
        apply(&mut project, &changes);
        let found = of_project(&project);
        let first_two: BTreeSet<AnnotationId> = found[0]
            .member_ids()
            .into_iter()
            .filter(|&id| id != third.id)
            .collect();
        let changes = split(&project, &found[0], &first_two);
        let ids: BTreeSet<Option<ClusterId>> = changes.iter().map(|c| c.1).collect();
        assert_eq!(ids.len(), 2, "the part and the rest differ: {changes:?}");
    }

    #[test]
    fn different_stances_or_a_contradicts_relation_flag_a_cluster() {
        use super::super::attributes::Stance;
        let project = project_of(&[
            (TROOPS[0], Some(Stance::Asserts)),
            (TROOPS[1], Some(Stance::Denies)),
        ]);
        let found = of_project(&project);
        assert!(found[0].contradicts);
        assert_eq!(found[0].contradiction, "stances differ (asserts, denies)");
        let mut project = project_of(&[(TROOPS[0], None), (TROOPS[1], None)]);
        assert!(!of_project(&project)[0].contradicts);
        let ids = of_project(&project)[0].member_ids();
        project
            .apply(crate::model::Edit::AddRelations(vec![
                crate::model::Relation {
                    id: crate::model::RelationId(1),
                    kind: "contradicts".to_owned(),
                    from: ids[0],
                    to: ids[1],
                },
            ]))
            .expect("relation");
        let found = of_project(&project);
        assert!(found[0].contradicts);
        assert_eq!(found[0].contradiction, "a claim contradicts another");
    }

    #[test]
    fn two_analysts_confirming_one_cluster_give_it_one_id() {
        let ids = [AnnotationId(7), AnnotationId(3)];
        assert_eq!(
            ClusterId::of_members(&ids),
            ClusterId::of_members(&[AnnotationId(3), AnnotationId(7)])
        );
        assert_ne!(
            ClusterId::of_members(&ids),
            ClusterId::of_members(&ids[..1])
        );
        assert!(ClusterId::of_members(&ids).0 < 1 << 48);
    }
}
