//! Inter-annotator agreement between analysts' layers (each analyst's annotations are
//! those they made: `Annotation::author`).
//!
//! Token measures: the tokens are the text's words (Unicode word segments holding a letter
//! or digit). In each analyst's layer a token takes the label of the annotation covering it
//! (the innermost, the shortest, when several do; "none" when none does; an annotation
//! covers a token when the token lies within one of its pieces). Over those codings:
//! Cohen's κ for each pair of analysts, Fleiss' κ for three or more, and Krippendorff's α
//! (nominal). Per label, the same measures over "this label or not".
//!
//! Unitizing: Krippendorff's `α_u` (Krippendorff 2004, *Content Analysis*, 2nd ed., ch.
//! 11), over the code points of the documents laid end to end: for each label, each
//! analyst's layer cuts the continuum into that label's units (overlapping ones of one
//! analyst joined) and gaps; the observed disagreement sums, over every pair of analysts'
//! overlapping sections, the squared differences of the ends of two overlapping units, or
//! a unit's squared length where the other analyst left a gap around it; the expected one
//! is that of units and gaps placed at random. Per label, and overall from the mean
//! observed and expected disagreements of the labels used.

use std::collections::{BTreeMap, BTreeSet};

use unicode_segmentation::UnicodeSegmentation;

use super::{Annotation, DocText, DocumentId, LabelId, Project};

/// Each analyst's coding of the same units: `values[coder][unit]`, a category index (0 is
/// "none").
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coding {
    pub coders: Vec<String>,
    /// Category names; the first is "none".
    pub categories: Vec<String>,
    /// The label of each category after "none" (category `i + 1` is `labels[i]`).
    pub labels: Vec<LabelId>,
    pub values: Vec<Vec<u16>>,
}

impl Coding {
    /// The category of annotations of `label`, if it is one compared.
    pub fn category_of(&self, label: &LabelId) -> Option<u16> {
        let index = self.labels.iter().position(|l| l == label)?;
        u16::try_from(index + 1).ok()
    }
}

/// The agreement measures of one coding. A measure that does not apply (Cohen's κ with other
/// than two analysts, Fleiss' κ with fewer than three) or is undefined (every token coded
/// alike: no variation to agree on) is `None`.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Measures {
    pub cohen_kappa: Option<f64>,
    pub fleiss_kappa: Option<f64>,
    pub krippendorff_alpha_tokens: Option<f64>,
    pub krippendorff_alpha_unitizing: Option<f64>,
    /// The units (tokens) compared.
    pub units: usize,
}

/// Two analysts compared: Cohen's κ and the confusion matrix (rows: the first analyst's
/// categories, columns: the second's, in [`Report::categories`] order).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Pair {
    pub a: String,
    pub b: String,
    pub cohen_kappa: Option<f64>,
    pub confusion: Vec<Vec<usize>>,
}

/// Agreement over a choice of documents, labels and analysts.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Report {
    pub overall: Measures,
    /// Per label (by name): the measures over "this label or not".
    pub labels: BTreeMap<String, Measures>,
    pub pairs: Vec<Pair>,
    /// The analysts compared.
    pub annotators: Vec<String>,
    /// The documents compared.
    pub documents: Vec<DocumentId>,
    /// The categories of the confusion matrices: "none", then the labels by name.
    pub categories: Vec<String>,
}

/// What to compare; empty means every one there is (documents: those every chosen analyst
/// annotated).
#[derive(Clone, Debug, Default)]
pub struct Query {
    pub documents: Vec<DocumentId>,
    pub labels: Vec<LabelId>,
    pub annotators: Vec<String>,
}

/// Why agreement cannot be measured.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AgreementError {
    #[error("agreement needs at least two analysts' annotations; found {0}")]
    TooFewAnalysts(usize),
    #[error("no document was annotated by every analyst compared ({0})")]
    NoSharedDocument(String),
}

/// The tokens of `text`: (start, end) in code points of each word holding a letter or digit.
pub fn tokens(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let (mut byte, mut chars) = (0, 0);
    for (at, word) in text.unicode_word_indices() {
        chars += text[byte..at].chars().count();
        let len = word.chars().count();
        out.push((chars, chars + len));
        chars += len;
        byte = at + word.len();
    }
    out
}

/// Each token's category in one analyst's layer: the innermost covering annotation's.
fn code_tokens(tokens: &[(usize, usize)], annotations: &[(&Annotation, u16)]) -> Vec<u16> {
    let mut values = vec![0u16; tokens.len()];
    // Longest first, so that shorter (inner) ones overwrite them.
    let mut sorted: Vec<&(&Annotation, u16)> = annotations.iter().collect();
    sorted.sort_by_key(|(a, _)| (std::cmp::Reverse(a.span.len()), a.span.start(), a.id));
    for (annotation, category) in sorted {
        for piece in annotation.pieces() {
            let (start, end) = (piece.start().0, piece.end().0);
            let first = tokens.partition_point(|&(s, _)| s < start);
            for (i, &(_, e)) in tokens.iter().enumerate().skip(first) {
                if e > end {
                    break;
                }
                values[i] = *category;
            }
        }
    }
    values
}

/// The coding of `query`'s documents, labels and analysts; `text_of` gives each document's
/// text (documents without one are left out).
pub fn coding<'a>(
    project: &'a Project,
    text_of: impl Fn(DocumentId) -> Option<&'a DocText>,
    query: &Query,
) -> Result<(Coding, Vec<DocumentId>), AgreementError> {
    let labels: Vec<&super::Label> = project
        .schema
        .labels
        .iter()
        .filter(|l| query.labels.is_empty() || query.labels.contains(&l.id))
        .collect();
    let counted = |a: &Annotation| labels.iter().any(|l| l.id == a.label);
    let annotators: Vec<String> = if query.annotators.is_empty() {
        let all: BTreeSet<&str> = project
            .annotations()
            .filter(|a| !a.author.is_empty() && a.author != super::curation::CURATED)
            .filter(|a| counted(a))
            .filter(|a| query.documents.is_empty() || query.documents.contains(&a.document))
            .map(|a| a.author.as_str())
            .collect();
        all.into_iter().map(str::to_owned).collect()
    } else {
        query.annotators.clone()
    };
    if annotators.len() < 2 {
        return Err(AgreementError::TooFewAnalysts(annotators.len()));
    }
    let documents: Vec<DocumentId> = project
        .documents()
        .iter()
        .map(|d| d.id)
        .filter(|&d| query.documents.is_empty() || query.documents.contains(&d))
        .filter(|&d| text_of(d).is_some())
        .filter(|&d| {
            // Only documents every analyst compared annotated or was assigned (unless
            // chosen by name).
            let assigned = project.document(d).map(|d| &d.assigned);
            !query.documents.is_empty()
                || annotators.iter().all(|name| {
                    assigned.is_some_and(|a| a.contains(name))
                        || project
                            .annotations_of_iter(d)
                            .any(|a| &a.author == name && counted(a))
                })
        })
        .collect();
    if documents.is_empty() {
        return Err(AgreementError::NoSharedDocument(annotators.join(", ")));
    }
    let mut coding = Coding {
        coders: annotators,
        categories: std::iter::once("none".to_owned())
            .chain(labels.iter().map(|l| l.name.clone()))
            .collect(),
        labels: labels.iter().map(|l| l.id.clone()).collect(),
        values: Vec::new(),
    };
    let mut values = vec![Vec::new(); coding.coders.len()];
    for &document in &documents {
        let Some(text) = text_of(document) else {
            continue;
        };
        let tokens = tokens(text.as_str());
        for (coder, name) in coding.coders.iter().enumerate() {
            let layer: Vec<(&Annotation, u16)> = project
                .annotations_of_iter(document)
                .filter(|a| &a.author == name)
                .filter_map(|a| Some((a, coding.category_of(&a.label)?)))
                .collect();
            values[coder].extend(code_tokens(&tokens, &layer));
        }
    }
    coding.values = values;
    Ok((coding, documents))
}

/// Cohen's κ of two codings of the same units.
pub fn cohen_kappa(a: &[u16], b: &[u16]) -> Option<f64> {
    let n = a.len();
    if n == 0 || b.len() != n {
        return None;
    }
    let mut agree = 0usize;
    let (mut count_a, mut count_b) = (BTreeMap::new(), BTreeMap::new());
    for (&x, &y) in a.iter().zip(b) {
        agree += usize::from(x == y);
        *count_a.entry(x).or_insert(0usize) += 1;
        *count_b.entry(y).or_insert(0usize) += 1;
    }
    let total = to_f64(n);
    let observed = to_f64(agree) / total;
    let expected: f64 = count_a
        .iter()
        .map(|(k, &ca)| to_f64(ca) * to_f64(count_b.get(k).copied().unwrap_or(0)))
        .sum::<f64>()
        / (total * total);
    ratio(observed - expected, 1.0 - expected)
}

/// Fleiss' κ of several codings of the same units (each unit coded by every coder).
pub fn fleiss_kappa(values: &[Vec<u16>]) -> Option<f64> {
    let raters = values.len();
    let units = values.first()?.len();
    if raters < 2 || units == 0 {
        return None;
    }
    let (n, m) = (to_f64(raters), to_f64(units));
    let mut totals: BTreeMap<u16, usize> = BTreeMap::new();
    let mut agreement = 0.0;
    let mut counts: BTreeMap<u16, usize> = BTreeMap::new();
    for unit in 0..units {
        counts.clear();
        for coder in values {
            *counts.entry(coder[unit]).or_insert(0) += 1;
        }
        let same: f64 = counts.values().map(|&c| to_f64(c) * to_f64(c)).sum();
        agreement += (same - n) / (n * (n - 1.0));
        for (&k, &c) in &counts {
            *totals.entry(k).or_insert(0) += c;
        }
    }
    let observed = agreement / m;
    let expected: f64 = totals
        .values()
        .map(|&c| {
            let p = to_f64(c) / (m * n);
            p * p
        })
        .sum();
    ratio(observed - expected, 1.0 - expected)
}

/// Krippendorff's α for nominal data, every unit coded by every coder.
pub fn krippendorff_alpha_nominal(values: &[Vec<u16>]) -> Option<f64> {
    let coders = values.len();
    let units = values.first()?.len();
    if coders < 2 || units == 0 {
        return None;
    }
    // Coincidences: per unit, each ordered pair of different coders' values, weighted
    // 1 / (m - 1); only the totals per value and the off-diagonal sum are needed.
    let weight = 1.0 / to_f64(coders - 1);
    let mut per_value: BTreeMap<u16, f64> = BTreeMap::new();
    let mut disagreeing = 0.0;
    let mut counts: BTreeMap<u16, usize> = BTreeMap::new();
    for unit in 0..units {
        counts.clear();
        for coder in values {
            *counts.entry(coder[unit]).or_insert(0) += 1;
        }
        let m = coders;
        for (&k, &c) in &counts {
            *per_value.entry(k).or_insert(0.0) += to_f64(c);
            // Pairs (k, other value): c × (m − c), each weighted.
            disagreeing += to_f64(c) * to_f64(m - c) * weight;
        }
    }
    let n: f64 = per_value.values().sum();
    let expected_pairs: f64 = n * n - per_value.values().map(|v| v * v).sum::<f64>();
    ratio((n - 1.0) * disagreeing, expected_pairs).map(|d| 1.0 - d)
}

/// The confusion matrix of two codings over `categories` categories.
pub fn confusion(a: &[u16], b: &[u16], categories: usize) -> Vec<Vec<usize>> {
    let mut matrix = vec![vec![0; categories]; categories];
    for (&x, &y) in a.iter().zip(b) {
        if let Some(cell) = matrix
            .get_mut(usize::from(x))
            .and_then(|row| row.get_mut(usize::from(y)))
        {
            *cell += 1;
        }
    }
    matrix
}

/// An analyst's cut of the continuum `[0, length)` for one label: (start, end, unit?) in
/// order; units of one analyst that overlap are joined.
fn sections(units: &[(usize, usize)], length: usize) -> Vec<(usize, usize, bool)> {
    let mut sorted: Vec<(usize, usize)> = units
        .iter()
        .copied()
        .filter(|&(s, e)| s < e && e <= length)
        .collect();
    sorted.sort_unstable();
    let mut joined: Vec<(usize, usize)> = Vec::with_capacity(sorted.len());
    for (s, e) in sorted {
        match joined.last_mut() {
            Some(last) if s < last.1 => last.1 = last.1.max(e),
            _ => joined.push((s, e)),
        }
    }
    let mut out = Vec::with_capacity(2 * joined.len() + 1);
    let mut at = 0;
    for (s, e) in joined {
        if s > at {
            out.push((at, s, false));
        }
        out.push((s, e, true));
        at = e;
    }
    if at < length {
        out.push((at, length, false));
    }
    out
}

/// Krippendorff's distance between two analysts' sections that share a position.
fn section_distance(a: (usize, usize, bool), b: (usize, usize, bool)) -> f64 {
    let (a_start, a_end, b_start, b_end) = (to_f64(a.0), to_f64(a.1), to_f64(b.0), to_f64(b.1));
    match (a.2, b.2) {
        (true, true) => (a_start - b_start).powi(2) + (a_end - b_end).powi(2),
        (true, false) if b.0 <= a.0 && a.1 <= b.1 => (a_end - a_start).powi(2),
        (false, true) if a.0 <= b.0 && b.1 <= a.1 => (b_end - b_start).powi(2),
        _ => 0.0,
    }
}

/// The observed and expected disagreement of one label's units: `units[coder]` are
/// (start, end) over a continuum of `length` positions. `None` without any unit.
pub fn unitizing_disagreement(units: &[Vec<(usize, usize)>], length: usize) -> Option<(f64, f64)> {
    let coders = units.len();
    if coders < 2 || length == 0 {
        return None;
    }
    let cut: Vec<Vec<(usize, usize, bool)>> = units.iter().map(|u| sections(u, length)).collect();
    let lengths: Vec<f64> = cut
        .iter()
        .flatten()
        .filter(|s| s.2)
        .map(|s| to_f64(s.1 - s.0))
        .collect();
    if lengths.is_empty() {
        return None;
    }
    let mut observed = 0.0;
    for i in 0..coders {
        for j in i + 1..coders {
            let (a, b) = (&cut[i], &cut[j]);
            let (mut x, mut y) = (0, 0);
            while x < a.len() && y < b.len() {
                observed += section_distance(a[x], b[y]);
                match a[x].1.cmp(&b[y].1) {
                    std::cmp::Ordering::Less => x += 1,
                    std::cmp::Ordering::Greater => y += 1,
                    std::cmp::Ordering::Equal => {
                        x += 1;
                        y += 1;
                    }
                }
            }
        }
    }
    let (m, l) = (to_f64(coders), to_f64(length));
    let observed = 2.0 * observed / (m * (m - 1.0) * l * l);
    // Expected: every unit against every other unit and every gap it fits in.
    let mut gaps: Vec<f64> = cut
        .iter()
        .flatten()
        .filter(|s| !s.2)
        .map(|s| to_f64(s.1 - s.0))
        .collect();
    gaps.sort_by(|a, b| b.total_cmp(a));
    let units_count = to_f64(lengths.len());
    let mut sum = 0.0;
    for &u in &lengths {
        let own = (units_count - 1.0) / 3.0 * (2.0 * u.powi(3) - 3.0 * u * u + u);
        let fits: f64 = gaps
            .iter()
            .take_while(|&&g| g >= u)
            .map(|&g| g - u + 1.0)
            .sum();
        sum += own + u * u * fits;
    }
    let squared: f64 = lengths.iter().map(|&u| u * (u - 1.0)).sum();
    let expected = sum * (2.0 / l) / (m * l * (m * l - 1.0) - squared);
    Some((observed, expected))
}

/// `α_u` from a disagreement pair: 0 when they are equal (as for a single unit).
fn alpha_from((observed, expected): (f64, f64)) -> Option<f64> {
    if (observed - expected).abs() <= f64::EPSILON * expected.abs().max(1.0) {
        return Some(0.0);
    }
    ratio(observed, expected).map(|r| 1.0 - r)
}

/// The measures of one coding.
pub fn measures(values: &[Vec<u16>]) -> Measures {
    let coders = values.len();
    Measures {
        cohen_kappa: (coders == 2)
            .then(|| cohen_kappa(&values[0], &values[1]))
            .flatten(),
        fleiss_kappa: (coders >= 3).then(|| fleiss_kappa(values)).flatten(),
        krippendorff_alpha_tokens: krippendorff_alpha_nominal(values),
        krippendorff_alpha_unitizing: None,
        units: values.first().map_or(0, Vec::len),
    }
}

/// Agreement over `query`'s documents, labels and analysts.
pub fn report<'a>(
    project: &'a Project,
    text_of: impl Fn(DocumentId) -> Option<&'a DocText>,
    query: &Query,
) -> Result<Report, AgreementError> {
    let (coding, documents) = coding(project, &text_of, query)?;
    let unitizing = unitizing(project, &text_of, &coding, &documents);
    let mut overall = measures(&coding.values);
    let used: Vec<(f64, f64)> = unitizing.values().flatten().copied().collect();
    if !used.is_empty() {
        let count = to_f64(used.len());
        let mean = |f: fn(&(f64, f64)) -> f64| used.iter().map(f).sum::<f64>() / count;
        overall.krippendorff_alpha_unitizing = alpha_from((mean(|d| d.0), mean(|d| d.1)));
    }
    let mut labels = BTreeMap::new();
    for (index, name) in coding.categories.iter().enumerate().skip(1) {
        let category = u16::try_from(index).unwrap_or(u16::MAX);
        let binary: Vec<Vec<u16>> = coding
            .values
            .iter()
            .map(|coder| coder.iter().map(|&v| u16::from(v == category)).collect())
            .collect();
        let mut m = measures(&binary);
        m.krippendorff_alpha_unitizing = unitizing
            .get(&category)
            .copied()
            .flatten()
            .and_then(alpha_from);
        labels.insert(name.clone(), m);
    }
    let mut pairs = Vec::new();
    for i in 0..coding.coders.len() {
        for j in i + 1..coding.coders.len() {
            pairs.push(Pair {
                a: coding.coders[i].clone(),
                b: coding.coders[j].clone(),
                cohen_kappa: cohen_kappa(&coding.values[i], &coding.values[j]),
                confusion: confusion(
                    &coding.values[i],
                    &coding.values[j],
                    coding.categories.len(),
                ),
            });
        }
    }
    Ok(Report {
        overall,
        labels,
        pairs,
        annotators: coding.coders,
        documents,
        categories: coding.categories,
    })
}

/// Per category (label index): the unitizing disagreements over the documents laid end to
/// end, `None` for a label nobody used.
fn unitizing<'a>(
    project: &'a Project,
    text_of: &impl Fn(DocumentId) -> Option<&'a DocText>,
    coding: &Coding,
    documents: &[DocumentId],
) -> BTreeMap<u16, Option<(f64, f64)>> {
    let coders = coding.coders.len();
    let mut units: BTreeMap<u16, Vec<Vec<(usize, usize)>>> = BTreeMap::new();
    let mut offset = 0;
    for &document in documents {
        let Some(text) = text_of(document) else {
            continue;
        };
        for annotation in project.annotations_of_iter(document) {
            let Some(coder) = coding.coders.iter().position(|c| c == &annotation.author) else {
                continue;
            };
            let Some(category) = coding.category_of(&annotation.label) else {
                continue;
            };
            let layers = units
                .entry(category)
                .or_insert_with(|| vec![Vec::new(); coders]);
            for piece in annotation.pieces() {
                layers[coder].push((offset + piece.start().0, offset + piece.end().0));
            }
        }
        offset += text.char_len();
    }
    (1..coding.categories.len())
        .filter_map(|i| u16::try_from(i).ok())
        .map(|category| {
            let d = units
                .get(&category)
                .and_then(|layers| unitizing_disagreement(layers, offset));
            (category, d)
        })
        .collect()
}

#[allow(clippy::cast_precision_loss, reason = "counts far below 2^52")]
fn to_f64(n: usize) -> f64 {
    n as f64
}

/// `a / b`, or `None` when `b` is zero (no variation: the measure is undefined).
fn ratio(a: f64, b: f64) -> Option<f64> {
    (b.abs() > f64::EPSILON)
        .then(|| a / b)
        .filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_words_with_a_letter_or_digit_in_code_points() {
        let text = "“Kim” said: 3 réunions — 金正恩!";
        let words: Vec<String> = tokens(text)
            .into_iter()
            .map(|(s, e)| text.chars().skip(s).take(e - s).collect())
            .collect();
        assert_eq!(words, ["Kim", "said", "3", "réunions", "金", "正", "恩"]);
    }

    /// Krippendorff (2004, p. 254), as the tests of `DKPro` Agreement give it: a continuum
    /// of 300 (150..450), two coders, categories c and k. Published: observed disagreement
    /// of c 0.0144, expected 0.0532, `α_u` 0.7286; of k 0, 0.0490, 1; overall 0.8591 (to
    /// 0.0005). Exact for c: observed 2600 / 180000, expected (2767160 × 2 / 300) / 346620.
    #[test]
    fn unitizing_alpha_matches_krippendorffs_example() {
        let shift = |units: &[(usize, usize)]| -> Vec<(usize, usize)> {
            units.iter().map(|&(s, l)| (s - 150, s - 150 + l)).collect()
        };
        let c = [
            shift(&[(225, 70), (370, 30)]),
            shift(&[(220, 80), (355, 20), (400, 20)]),
        ];
        let k = [
            shift(&[(180, 60), (300, 50)]),
            shift(&[(180, 60), (300, 50)]),
        ];
        let (o, e) = unitizing_disagreement(&c, 300).expect("c");
        assert!((o - 2600.0 / 180_000.0).abs() < 1e-12, "{o}");
        assert!(
            (e - 2_767_160.0 * 2.0 / 300.0 / 346_620.0).abs() < 1e-12,
            "{e}"
        );
        assert!((alpha_from((o, e)).expect("α") - 0.7286).abs() < 1e-4);
        let (ko, ke) = unitizing_disagreement(&k, 300).expect("k");
        assert!(ko.abs() < 1e-15 && (ke - 0.0490).abs() < 1e-4, "{ko} {ke}");
        let overall = alpha_from((f64::midpoint(o, ko), f64::midpoint(e, ke))).expect("α");
        assert!((overall - 0.8591).abs() < 5e-4, "{overall}");
        // A single unit: observed equals expected, α_u 0; no unit at all: undefined.
        let single = unitizing_disagreement(&[vec![(0, 1)], vec![], vec![]], 20).expect("one");
        assert_eq!(alpha_from(single), Some(0.0));
        assert_eq!(unitizing_disagreement(&[vec![], vec![]], 20), None);
    }

    #[test]
    fn perfect_agreement_is_one_and_chance_is_near_zero() {
        let a = vec![0, 1, 2, 1, 0, 2];
        assert_eq!(cohen_kappa(&a, &a), Some(1.0));
        assert_eq!(
            krippendorff_alpha_nominal(&[a.clone(), a.clone()]),
            Some(1.0)
        );
        assert_eq!(fleiss_kappa(&[a.clone(), a.clone(), a]), Some(1.0));
        // No variation: undefined.
        assert_eq!(cohen_kappa(&[1, 1], &[1, 1]), None);
    }
}
