//! Re-anchoring on real pages: annotate passages of the corpus pages in `tests/data/`, edit
//! the text the way sources really change (paragraphs inserted and deleted, sentences
//! reworded, whitespace changed), and check that annotations whose text survived are found
//! exactly where it went, that every other one is reported for review, and that none is
//! moved to other text.

use std::path::Path;

use marginalia::ingest::read_article;
use marginalia::model::{
    Annotation, AnnotationId, CharPos, DocText, Document, Edit, LabelId, Project, SourceFormat,
    Span, anchor,
};

/// A small deterministic generator (xorshift), so that failures can be reproduced.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).expect("fits")
    }
}

/// One change to the old text: replace chars `[start, end)` by `with`.
struct Change {
    start: usize,
    end: usize,
    with: String,
}

/// Passages of 1 to 6 words starting at word starts, on non-empty paragraphs.
fn passages(chars: &[char], rng: &mut Rng, count: usize) -> Vec<Span> {
    let starts: Vec<usize> = (0..chars.len())
        .filter(|&i| chars[i].is_alphanumeric() && (i == 0 || chars[i - 1].is_whitespace()))
        .collect();
    let mut spans = Vec::new();
    for _ in 0..count {
        let start = starts[rng.below(starts.len())];
        let words = 1 + rng.below(6);
        let mut end = start;
        let mut seen = 0;
        while end < chars.len() && chars[end] != '\n' {
            if chars[end].is_whitespace() && (end == 0 || !chars[end - 1].is_whitespace()) {
                seen += 1;
                if seen == words {
                    break;
                }
            }
            end += 1;
        }
        while end > start && !chars[end - 1].is_alphanumeric() {
            end -= 1;
        }
        if end > start {
            spans.push(Span::between(CharPos(start), CharPos(end)));
        }
    }
    spans
}

/// At most one change per paragraph: delete it, insert one before it, reword a word, or
/// double a space.
fn changes(chars: &[char], rng: &mut Rng) -> Vec<Change> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut number = 0;
    while start < chars.len() {
        let end = chars[start..]
            .iter()
            .position(|&c| c == '\n')
            .map_or(chars.len(), |p| start + p);
        let next = (end + 1).min(chars.len());
        let words: Vec<usize> = (start..end)
            .filter(|&i| chars[i].is_alphanumeric() && (i == start || chars[i - 1] == ' '))
            .collect();
        let spaces: Vec<usize> = (start..end).filter(|&i| chars[i] == ' ').collect();
        match rng.below(10) {
            0 => out.push(Change {
                start,
                end: next,
                with: String::new(),
            }),
            1 => {
                number += 1;
                out.push(Change {
                    start,
                    end: start,
                    with: format!("An inserted paragraph, number {number}, with new words.\n"),
                });
            }
            2 if !words.is_empty() => {
                let at = words[rng.below(words.len())];
                let word_end = (at..end)
                    .find(|&i| !chars[i].is_alphanumeric())
                    .unwrap_or(end);
                out.push(Change {
                    start: at,
                    end: word_end,
                    with: "reworded".to_owned(),
                });
            }
            3 if !spaces.is_empty() => {
                let at = spaces[rng.below(spaces.len())];
                out.push(Change {
                    start: at,
                    end: at + 1,
                    with: "  ".to_owned(),
                });
            }
            _ => {}
        }
        start = next;
    }
    out
}

/// The edited text, and where an old span is now (`None` if a change touched it).
fn apply(chars: &[char], changes: &[Change]) -> String {
    let mut out = String::new();
    let mut at = 0;
    for change in changes {
        out.extend(&chars[at..change.start]);
        out.push_str(&change.with);
        at = change.end;
    }
    out.extend(&chars[at..]);
    out
}

fn expected_place(span: Span, changes: &[Change]) -> Option<Span> {
    let (s, e) = (span.start().0, span.end().0);
    let mut shift: isize = 0;
    for change in changes {
        let touches = if change.start == change.end {
            s < change.start && change.start < e
        } else {
            change.start < e && s < change.end
        };
        if touches {
            return None;
        }
        if change.end <= s {
            let added = isize::try_from(change.with.chars().count()).expect("fits");
            let removed = isize::try_from(change.end - change.start).expect("fits");
            shift += added - removed;
        }
    }
    Some(Span::between(
        CharPos(s.checked_add_signed(shift).expect("in range")),
        CharPos(e.checked_add_signed(shift).expect("in range")),
    ))
}

#[derive(Default)]
struct Tally {
    survived: usize,
    found_exactly: usize,
    touched: usize,
    reported: usize,
    indistinguishable: usize,
    misplaced: Vec<String>,
}

fn run_page(name: &str, text: &str, seed: u64, tally: &mut Tally) {
    let chars: Vec<char> = text.chars().collect();
    let mut rng = Rng(seed);
    let old = std::sync::Arc::new(DocText::new(text.to_owned()));
    let mut project = Project::new("t");
    let doc = project.add_document(Document {
        path: "page.html".to_owned(),
        format: SourceFormat::Html,
        encoding: "UTF-8".to_owned(),
        char_len: old.char_len(),
        ..Document::default()
    });
    let annotations: Vec<Annotation> = passages(&chars, &mut rng, 40)
        .into_iter()
        .enumerate()
        .map(|(i, span)| Annotation {
            id: AnnotationId(i as u64 + 1),
            document: doc,
            label: LabelId("claim".into()),
            span,
            fragments: Vec::new(),
            excerpt: marginalia::model::Excerpt::in_document(std::sync::Arc::clone(&old)),
            entity: None,
            attrs: marginalia::model::Attributes::default(),
            note: String::new(),
            author: String::new(),
            changed_by: String::new(),
            created: jiff::Timestamp::UNIX_EPOCH,
            modified: jiff::Timestamp::UNIX_EPOCH,
        })
        .collect();
    project
        .apply(Edit::Insert(annotations.clone()))
        .expect("insert");
    let changes = changes(&chars, &mut rng);
    let new = std::sync::Arc::new(DocText::new(apply(&chars, &changes)));
    let result = anchor::reanchor_document(&project, doc, &new);
    assert_eq!(
        result.unchanged + result.moved.len() + result.orphans.len(),
        annotations.len(),
        "{name}: every annotation is accounted for"
    );
    for annotation in &annotations {
        let expected = expected_place(annotation.span, &changes);
        let placed = if result
            .orphans
            .iter()
            .any(|o| o.annotation.id == annotation.id)
        {
            None
        } else {
            Some(
                result
                    .moved
                    .iter()
                    .find(|m| m.id == annotation.id)
                    .map_or(annotation.span, |m| m.span),
            )
        };
        match (expected, placed) {
            (Some(expected), Some(placed)) => {
                tally.survived += 1;
                if placed == expected {
                    tally.found_exactly += 1;
                } else if new.slice(placed) == new.slice(expected)
                    && (new.context(placed) == new.context(expected)
                        || new.context(placed)
                            == (
                                annotation.prefix().to_owned(),
                                annotation.suffix().to_owned(),
                            ))
                {
                    // A passage repeated word for word with its surroundings (boilerplate, a
                    // repeated paragraph): what the annotation recorded cannot tell the
                    // copies apart, and the copy chosen has exactly its text and context.
                    tally.indistinguishable += 1;
                } else {
                    let (p, s) = new.context(expected);
                    let (p2, s2) = new.context(placed);
                    tally.misplaced.push(format!(
                        "{name}: {:?} put at {placed} instead of {expected}\n  old {:?}|{:?}\n  exp {p:?}|{s:?}\n  got {p2:?}|{s2:?}",
                        annotation.text(), annotation.prefix(), annotation.suffix()
                    ));
                }
            }
            (Some(_), None) => tally.survived += 1,
            (None, None) => {
                tally.touched += 1;
                tally.reported += 1;
            }
            (None, Some(placed)) => {
                tally.touched += 1;
                // Only acceptable if the very same text is there (a repeated passage).
                if new.slice(placed) != Some(annotation.text()) {
                    tally.misplaced.push(format!(
                        "{name}: changed {:?} silently put on {:?}",
                        annotation.text(),
                        new.slice(placed)
                    ));
                }
            }
        }
    }
}

#[test]
fn annotations_follow_real_pages_through_edits() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/readability");
    let mut pages: Vec<_> = std::fs::read_dir(&dir)
        .expect("pages")
        .filter_map(Result::ok)
        .map(|e| e.path().join("source.html"))
        .filter(|p| p.exists())
        .collect();
    pages.sort();
    assert!(pages.len() >= 20, "{} pages", pages.len());
    let mut tally = Tally::default();
    for (i, page) in pages.iter().enumerate() {
        let article = read_article(page).expect("page reads");
        let name = page.parent().and_then(Path::file_name).expect("name");
        for round in 0..3u64 {
            run_page(
                &name.to_string_lossy(),
                &article.text,
                0x9E37_79B9_7F4A_7C15 ^ ((i as u64) << 8 | round),
                &mut tally,
            );
        }
    }
    let share = f64::from(u32::try_from(tally.found_exactly).expect("fits"))
        / f64::from(u32::try_from(tally.survived).expect("fits"));
    eprintln!(
        "re-anchoring: {} of {} surviving passages found exactly ({:.2}%), {} on an identical copy; {} of {} changed ones reported",
        tally.found_exactly,
        tally.survived,
        share * 100.0,
        tally.indistinguishable,
        tally.reported,
        tally.touched
    );
    assert!(
        tally.misplaced.is_empty(),
        "moved to other text:\n{}",
        tally.misplaced.join("\n")
    );
    assert!(share >= 0.95, "only {:.2}% found exactly", share * 100.0);
    assert!(
        tally.touched > 100,
        "the edits touched enough passages to mean something"
    );
}
