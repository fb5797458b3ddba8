//! Property tests of the core: random edit sequences undo back to the original; every
//! saved span slices the document to its stored text; offsets survive multibyte text.

use std::path::Path;

use jiff::Timestamp;
use marginalia::model::{
    Annotation, CharPos, Coalesce, DocText, Document, DocumentId, Edit, History, LabelId, Metadata,
    Project, SourceFormat, Span,
};
use marginalia::store;
use proptest::prelude::*;

/// A text with curly quotes, an emoji, CJK and combining marks before most spans.
const TEXT: &str = "“Quote” 😀 金正恩 met Chuck Hagel — e\u{301}te\u{301}.\nSecond “line” with 🇰🇷 flags\n\nAnd a third.";
const LABELS: [&str; 4] = ["claim", "quote", "person", "location"];

fn project_with_text() -> (Project, DocumentId, DocText) {
    let text = DocText::new(TEXT.to_owned());
    let mut project = Project::new("props");
    let id = project.add_document(Document {
        id: DocumentId::default(),
        path: "t.txt".to_owned(),
        sha256: String::new(),
        format: SourceFormat::PlainText,
        encoding: "UTF-8".to_owned(),
        encoding_chosen: false,
        char_len: text.char_len(),
        metadata: Metadata::default(),
        status: marginalia::model::DocumentStatus::default(),
        assigned: Vec::new(),
        ..Document::default()
    });
    (project, id, text)
}

#[derive(Clone, Debug)]
enum Op {
    Add {
        a: usize,
        b: usize,
        label: usize,
    },
    /// Several annotations in one edit (what "tag all" adds).
    AddMany {
        a: usize,
        count: usize,
        label: usize,
    },
    Remove {
        pick: usize,
    },
    Relabel {
        pick: usize,
        label: usize,
    },
    Note {
        pick: usize,
        note: String,
    },
    Undo,
    Redo,
    /// Undo or redo a part at a time, as the window does over frames, leaving the rest
    /// under way.
    UndoPart {
        limit: usize,
    },
    RedoPart {
        limit: usize,
    },
    Continue {
        limit: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..80usize, 0..80usize, 0..4usize).prop_map(|(a, b, label)| Op::Add { a, b, label }),
        1 => any::<usize>().prop_map(|pick| Op::Remove { pick }),
        1 => (any::<usize>(), 0..4usize).prop_map(|(pick, label)| Op::Relabel { pick, label }),
        1 => (any::<usize>(), "[a-z“”😀 ]{0,6}").prop_map(|(pick, note)| Op::Note { pick, note }),
        1 => (0..80usize, 2..12usize, 0..4usize).prop_map(|(a, count, label)| Op::AddMany { a, count, label }),
        1 => Just(Op::Undo),
        1 => Just(Op::Redo),
        1 => (1..5usize).prop_map(|limit| Op::UndoPart { limit }),
        1 => (1..5usize).prop_map(|limit| Op::RedoPart { limit }),
        1 => (1..5usize).prop_map(|limit| Op::Continue { limit }),
    ]
}

fn annotation(
    project: &mut Project,
    doc: DocumentId,
    text: &DocText,
    span: Span,
    label: usize,
) -> Annotation {
    let (prefix, suffix) = text.context(span);
    Annotation {
        id: project.allocate_annotation_id(),
        document: doc,
        label: LabelId(LABELS[label].into()),
        span,
        fragments: Vec::new(),
        excerpt: marginalia::model::Excerpt::held(
            text.slice(span).expect("in range"),
            &prefix,
            &suffix,
        ),
        entity: None,
        attrs: marginalia::model::Attributes::default(),
        note: String::new(),
        author: String::new(),
        changed_by: String::new(),
        created: Timestamp::UNIX_EPOCH,
        modified: Timestamp::UNIX_EPOCH,
    }
}

fn run_ops(ops: &[Op]) -> (Project, Project, History, DocText) {
    let (mut project, doc, text) = project_with_text();
    let original = project.clone();
    let mut history = History::default();
    for op in ops {
        if matches!(op, Op::Remove { .. } | Op::Relabel { .. } | Op::Note { .. }) {
            // The window finishes an undo or redo under way before the analyst picks an
            // annotation (adding one while it is under way finishes it in the history).
            history.finish_replay(&mut project).expect("finish");
        }
        let ids: Vec<_> = project.annotations_sorted().iter().map(|a| a.id).collect();
        let pick = |i: usize| ids.get(i % ids.len().max(1)).copied();
        let edit = match op {
            Op::Add { a, b, label } => {
                let len = text.char_len();
                let span = Span::between(CharPos(a % (len + 1)), CharPos(b % (len + 1)));
                if span.is_empty() {
                    continue;
                }
                Some(Edit::Insert(vec![annotation(
                    &mut project,
                    doc,
                    &text,
                    span,
                    *label,
                )]))
            }
            Op::AddMany { a, count, label } => {
                let len = text.char_len();
                let spans: Vec<Span> = (0..*count)
                    .map(|k| {
                        let start = (a + 3 * k) % len;
                        Span::between(CharPos(start), CharPos((start + 2).min(len)))
                    })
                    .collect();
                Some(Edit::Insert(
                    spans
                        .into_iter()
                        .map(|span| annotation(&mut project, doc, &text, span, *label))
                        .collect(),
                ))
            }
            Op::Remove { pick: p } => pick(*p).map(|id| Edit::Remove(vec![id])),
            Op::Relabel { pick: p, label } => pick(*p).map(|id| {
                let mut a = project.annotation(id).expect("exists").clone();
                a.label = LabelId(LABELS[*label].into());
                Edit::Replace(vec![a])
            }),
            Op::Note { pick: p, note } => pick(*p).map(|id| {
                let mut a = project.annotation(id).expect("exists").clone();
                a.note.clone_from(note);
                Edit::Replace(vec![a])
            }),
            Op::Undo => {
                history.undo(&mut project).expect("undo");
                None
            }
            Op::Redo => {
                history.redo(&mut project).expect("redo");
                None
            }
            Op::UndoPart { limit } => {
                history.undo_part(&mut project, *limit).expect("undo part");
                None
            }
            Op::RedoPart { limit } => {
                history.redo_part(&mut project, *limit).expect("redo part");
                None
            }
            Op::Continue { limit } => {
                history
                    .continue_replay(&mut project, *limit)
                    .expect("next part");
                None
            }
        };
        if let Some(edit) = edit {
            let coalesce = match &edit {
                Edit::Replace(a) if matches!(op, Op::Note { .. }) => Coalesce::Note(a[0].id),
                _ => Coalesce::No,
            };
            history
                .apply(&mut project, edit, coalesce)
                .expect("valid edit");
        }
    }
    (original, project, history, text)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn undoing_everything_gives_back_the_original(ops in prop::collection::vec(op(), 0..40)) {
        let (original, mut project, mut history, _) = run_ops(&ops);
        // An undo or redo left under way is not a step of its own: it ends first.
        history.finish_replay(&mut project).expect("finish");
        let edited = project.clone();
        let mut steps = 0;
        while history.undo(&mut project).expect("undo") {
            steps += 1;
        }
        prop_assert_eq!(project.annotations_sorted(), original.annotations_sorted());
        // And redoing as many steps gives back the edited state.
        for _ in 0..steps {
            prop_assert!(history.redo(&mut project).expect("redo"));
        }
        prop_assert_eq!(project.annotations_sorted(), edited.annotations_sorted());
    }

    /// Undoing or redoing a part at a time ends where undoing or redoing whole does, in
    /// the same state number (unsaved-changes tracking), passing through states of its own.
    #[test]
    fn undo_and_redo_in_parts_end_where_whole_ones_do(
        ops in prop::collection::vec(op(), 0..40),
        limit in 1..6usize,
        undo in any::<bool>(),
    ) {
        let (_, mut project, mut history, _) = run_ops(&ops);
        history.finish_replay(&mut project).expect("finish");
        let (mut whole, mut whole_history) = (project.clone(), history.clone());
        let replayed = if undo {
            whole_history.undo(&mut whole).expect("undo")
        } else {
            whole_history.redo(&mut whole).expect("redo")
        };
        let mut at = if undo {
            history.undo_part(&mut project, limit).expect("undo part")
        } else {
            history.redo_part(&mut project, limit).expect("redo part")
        };
        prop_assert_eq!(at.is_some(), replayed);
        let mut seen = std::collections::HashSet::new();
        while let Some(replay) = at {
            prop_assert_eq!(replay.undo, undo);
            prop_assert!(replay.done <= replay.total);
            prop_assert_eq!(history.replaying().is_some(), replay.done < replay.total);
            if replay.done < replay.total {
                prop_assert!(replay.done - seen.len() * limit <= limit);
                prop_assert!(seen.insert(history.state()), "each part has a state of its own");
                prop_assert_ne!(history.state(), whole_history.state());
            }
            at = history.continue_replay(&mut project, limit).expect("next part");
        }
        prop_assert_eq!(project.annotations_sorted(), whole.annotations_sorted());
        prop_assert_eq!(history.state(), whole_history.state());
        prop_assert_eq!(history.can_undo(), whole_history.can_undo());
        prop_assert_eq!(history.can_redo(), whole_history.can_redo());
        // And the step goes back the other way whole.
        let back = if undo { history.redo(&mut project) } else { history.undo(&mut project) };
        let whole_back = if undo { whole_history.redo(&mut whole) } else { whole_history.undo(&mut whole) };
        prop_assert_eq!(back.expect("back"), whole_back.expect("back"));
        prop_assert_eq!(project.annotations_sorted(), whole.annotations_sorted());
        prop_assert_eq!(history.state(), whole_history.state());
    }

    #[test]
    fn every_saved_span_slices_the_text_to_its_exact_text(ops in prop::collection::vec(op(), 0..30)) {
        let (_, project, _, text) = run_ops(&ops);
        let ron = store::to_ron(&project).expect("serialize");
        let loaded = store::from_ron(&ron, Path::new("p.ron")).expect("parse");
        prop_assert_eq!(loaded.annotations_sorted(), project.annotations_sorted());
        prop_assert_eq!(loaded.documents(), project.documents());
        for a in loaded.annotations_sorted() {
            prop_assert_eq!(text.slice(a.span), Some(a.text()));
        }
    }

    /// The project's position index (used by the view every frame) finds exactly the
    /// annotations a scan finds, after any sequence of edits, undos and redos.
    #[test]
    fn position_lookups_agree_with_a_scan(ops in prop::collection::vec(op(), 0..40), a in 0..80usize, b in 0..80usize) {
        let (_, project, _, text) = run_ops(&ops);
        let doc = project.documents()[0].id;
        prop_assume!(project.annotation_count() > 0);
        let range = Span::between(CharPos(a.min(b)), CharPos(a.max(b).max(a.min(b) + 1)));
        let mut scanned: Vec<(Span, marginalia::model::AnnotationId)> = project
            .annotations_of(doc)
            .iter()
            .filter(|x| x.span.overlaps(range))
            .map(|x| (x.span, x.id))
            .collect();
        scanned.sort_by_key(|(span, id)| (span.start(), std::cmp::Reverse(span.end()), *id));
        prop_assert_eq!(project.overlapping(doc, range), scanned);
        let pos = CharPos(a.min(text.char_len().saturating_sub(1)));
        let mut at: Vec<_> = project
            .annotations_of(doc)
            .iter()
            .filter(|x| x.span.contains(pos))
            .map(|x| (x.span, x.id))
            .collect();
        at.sort_by_key(|(span, id)| (span.len(), *id));
        prop_assert_eq!(project.annotations_at(doc, pos), at);
    }

    #[test]
    fn selections_are_trimmed_spans_inside_the_text(a in 0..80usize, b in 0..80usize, exact in any::<bool>()) {
        let text = DocText::new(TEXT.to_owned());
        let len = text.char_len();
        if let Some(span) = text.selection(CharPos(a % (len + 1)), CharPos(b % (len + 1)), !exact) {
            let slice = text.slice(span).expect("inside the text");
            prop_assert!(!slice.is_empty());
            prop_assert!(!slice.starts_with(char::is_whitespace));
            prop_assert!(!slice.ends_with(char::is_whitespace));
        }
    }
}

/// An undo done in parts whose part is refused (the project changed behind the history's
/// back) puts back the parts already undone and the step whole, as a refused undo does.
#[test]
fn a_refused_part_puts_the_whole_step_back() {
    let (mut project, doc, text) = project_with_text();
    let mut history = History::default();
    let added: Vec<Annotation> = (0..30)
        .map(|k| {
            let span = Span::between(CharPos(k), CharPos(k + 2));
            annotation(&mut project, doc, &text, span, 2)
        })
        .collect();
    let ids: Vec<_> = added.iter().map(|a| a.id).collect();
    history
        .apply(&mut project, Edit::Insert(added), Coalesce::No)
        .expect("insert");
    let after = history.state();
    // Behind the history's back: the twentieth is gone.
    let gone = project
        .apply(Edit::Remove(vec![ids[19]]))
        .expect("remove behind its back");
    let sorted =
        |p: &Project| -> Vec<Annotation> { p.annotations_sorted().into_iter().cloned().collect() };
    let before_undo = sorted(&project);
    let first = history.undo_part(&mut project, 8).expect("first part");
    assert_eq!(
        first.map(|r| (r.undo, r.done, r.total)),
        Some((true, 8, 30))
    );
    assert_eq!(project.annotation_count(), 21);
    assert!(history.continue_replay(&mut project, 8).is_ok());
    assert_eq!(project.annotation_count(), 13);
    assert!(history.continue_replay(&mut project, 8).is_err());
    assert_eq!(sorted(&project), before_undo);
    assert_eq!(history.replaying(), None);
    assert_eq!(history.state(), after);
    assert!(history.can_undo());
    assert!(!history.can_redo());
    // Once the twentieth is back, the same step undoes whole.
    project.apply(gone).expect("put back");
    assert!(history.undo(&mut project).expect("undo"));
    assert_eq!(project.annotation_count(), 0);
    assert!(history.redo(&mut project).expect("redo"));
    assert_eq!(project.annotation_count(), 30);
}

#[test]
fn failed_edits_change_nothing() {
    let (mut project, doc, text) = project_with_text();
    let good = annotation(
        &mut project,
        doc,
        &text,
        Span::between(CharPos(0), CharPos(7)),
        1,
    );
    project
        .apply(Edit::Insert(vec![good.clone()]))
        .expect("insert");
    let before = project.clone();
    let mut bad = annotation(
        &mut project,
        doc,
        &text,
        Span::between(CharPos(1), CharPos(2)),
        0,
    );
    bad.span = Span::between(CharPos(1), CharPos(10_000));
    // A batch with one bad annotation is refused whole.
    let fine = annotation(
        &mut project,
        doc,
        &text,
        Span::between(CharPos(2), CharPos(3)),
        0,
    );
    assert!(project.apply(Edit::Insert(vec![fine, bad])).is_err());
    assert!(
        project.apply(Edit::Insert(vec![good])).is_err(),
        "duplicate id"
    );
    assert_eq!(project.annotations_sorted(), before.annotations_sorted());
}

/// One analyst's edits on their copy: each touches only base annotations whose place in
/// the base's order has `parity` (two analysts' edits are then disjoint), or adds.
fn side_edits(
    base: &Project,
    doc: DocumentId,
    text: &DocText,
    parity: usize,
    ops: &[(u8, usize, usize)],
) -> Project {
    // Read from the file, as the analyst's copy is (a clone would hand out the same ids).
    let mut project = store::from_ron(&store::to_ron(base).expect("serialize"), Path::new("p.ron"))
        .expect("load");
    let mine: Vec<_> = base
        .annotations_sorted()
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 2 == parity)
        .map(|(_, a)| a.id)
        .collect();
    for &(kind, a, b) in ops {
        let pick = mine.get(a % mine.len().max(1)).copied();
        let edit = match (kind % 4, pick) {
            (0, _) => {
                let len = text.char_len();
                let span = Span::between(CharPos(a % (len + 1)), CharPos(b % (len + 1)));
                (!span.is_empty())
                    .then(|| Edit::Insert(vec![annotation(&mut project, doc, text, span, b % 4)]))
            }
            (1, Some(id)) if project.annotation(id).is_some() => Some(Edit::Remove(vec![id])),
            (2, Some(id)) => project.annotation(id).map(|x| {
                let mut x = x.clone();
                x.label = LabelId(LABELS[b % 4].into());
                Edit::Replace(vec![x])
            }),
            (3, Some(id)) => project.annotation(id).map(|x| {
                let mut x = x.clone();
                x.note = format!("note {b} by {parity}");
                Edit::Replace(vec![x])
            }),
            _ => None,
        };
        if let Some(edit) = edit {
            project.apply(edit).expect("edit");
        }
    }
    project
}

/// `ours` with every change `theirs` made to `base` applied on top (what a merge of
/// disjoint edits must equal).
fn with_changes_of(ours: &Project, base: &Project, theirs: &Project) -> Project {
    let mut expected = ours.clone();
    let ids: std::collections::BTreeSet<_> = base
        .annotations()
        .chain(theirs.annotations())
        .map(|a| a.id)
        .collect();
    for id in ids {
        match (base.annotation(id), theirs.annotation(id)) {
            (Some(_), None) => {
                expected.apply(Edit::Remove(vec![id])).expect("remove");
            }
            (b, Some(t)) if b != Some(t) => {
                let edit = if b.is_some() {
                    Edit::Replace(vec![t.clone()])
                } else {
                    Edit::Insert(vec![t.clone()])
                };
                expected.apply(edit).expect("apply");
            }
            _ => {}
        }
    }
    expected
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Two analysts' disjoint edits of one project, merged by the merge driver, equal
    /// both sequences' effects applied one after the other, whichever side is "ours".
    #[test]
    fn a_merge_of_disjoint_edits_equals_both_applied(
        seed in proptest::collection::vec((0..80usize, 1..6usize, 0..4usize), 0..12),
        ours_ops in proptest::collection::vec((any::<u8>(), 0..200usize, 0..200usize), 0..16),
        theirs_ops in proptest::collection::vec((any::<u8>(), 0..200usize, 0..200usize), 0..16),
    ) {
        let (mut base, doc, text) = project_with_text();
        for (start, len, label) in seed {
            let start = start % text.char_len();
            let span = Span::between(CharPos(start), CharPos((start + len).min(text.char_len())));
            let a = annotation(&mut base, doc, &text, span, label);
            base.apply(Edit::Insert(vec![a])).expect("seed");
        }
        let ours = side_edits(&base, doc, &text, 0, &ours_ops);
        let theirs = side_edits(&base, doc, &text, 1, &theirs_ops);
        let path = Path::new("p.ron");
        let file = |p: &Project| store::to_ron(p).expect("serialize");
        let merged = store::merge::merge_texts(&file(&base), &file(&ours), &file(&theirs), path)
            .expect("merge");
        prop_assert_eq!(merged.conflicts, 0);
        prop_assert_eq!(&merged.text, &file(&with_changes_of(&ours, &base, &theirs)));
        let swapped = store::merge::merge_texts(&file(&base), &file(&theirs), &file(&ours), path)
            .expect("merge");
        prop_assert_eq!(&merged.text, &swapped.text);
    }
}
