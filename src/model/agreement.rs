//! Inter-annotator agreement between analysts' layers (each analyst's annotations are
//! those they made: `Annotation::author`).
//!
//! Token measures: the tokens are the text's words (Unicode word segments holding a letter
//! or digit). In each analyst's layer a token takes the label of the annotation covering it
//! (the innermost, the shortest, when several do; "none" when none does; an annotation
//! covers a token when the token lies within one of its pieces). Over those codings:
//! Cohen's κ for each pair of analysts, Fleiss' κ for three or more, and Krippendorff's α
//! (nominal). Per label, the same measures over "this label or not". Unitizing α (`α_u`,
//! span boundaries) is not computed yet: `None`.

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
    pub values: Vec<Vec<u16>>,
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
            .filter(|a| !a.author.is_empty() && counted(a))
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
            // Only documents every analyst compared annotated (unless chosen by name).
            !query.documents.is_empty()
                || annotators.iter().all(|name| {
                    project
                        .annotations_of_iter(d)
                        .any(|a| &a.author == name && counted(a))
                })
        })
        .collect();
    if documents.is_empty() {
        return Err(AgreementError::NoSharedDocument(annotators.join(", ")));
    }
    let mut categories = vec!["none".to_owned()];
    categories.extend(labels.iter().map(|l| l.name.clone()));
    let category = |a: &Annotation| -> u16 {
        labels
            .iter()
            .position(|l| l.id == a.label)
            .and_then(|i| u16::try_from(i + 1).ok())
            .unwrap_or(0)
    };
    let mut values = vec![Vec::new(); annotators.len()];
    for &document in &documents {
        let Some(text) = text_of(document) else {
            continue;
        };
        let tokens = tokens(text.as_str());
        for (coder, name) in annotators.iter().enumerate() {
            let layer: Vec<(&Annotation, u16)> = project
                .annotations_of_iter(document)
                .filter(|a| &a.author == name && counted(a))
                .map(|a| (a, category(a)))
                .collect();
            values[coder].extend(code_tokens(&tokens, &layer));
        }
    }
    Ok((
        Coding {
            coders: annotators,
            categories,
            values,
        },
        documents,
    ))
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
    let (coding, documents) = coding(project, text_of, query)?;
    let overall = measures(&coding.values);
    let mut labels = BTreeMap::new();
    for (index, name) in coding.categories.iter().enumerate().skip(1) {
        let index = u16::try_from(index).unwrap_or(u16::MAX);
        let binary: Vec<Vec<u16>> = coding
            .values
            .iter()
            .map(|coder| coder.iter().map(|&v| u16::from(v == index)).collect())
            .collect();
        labels.insert(name.clone(), measures(&binary));
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
