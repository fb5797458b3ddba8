//! Speed and memory of the core loop on a 10 MB document with 100,000 annotations.
//!
//! Inputs are generated from the real web pages in `tests/data/readability` (their
//! extracted texts concatenated until 10 MB; annotations of mixed labels, many nested).
//! Frames are real app frames, headless (`egui_kittest`), 1280×800, plus tessellation.
//! Run with `cargo bench`; targets are in the README's performance section.

mod common;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use eframe::egui::{self, Vec2};
use egui_kittest::Harness;
use marginalia::gui::{Action, Command, DialogBackend, MarginaliaApp};
use marginalia::model::{
    Annotation, AnnotationId, CharPos, Coalesce, DocumentId, Edit, LabelId, Span,
};
use marginalia::workspace::{FindQuery, Workspace};

const TEXT_BYTES: usize = 10 * 1024 * 1024;
const ANNOTATIONS: usize = 100_000;
const LABELS: [&str; 7] = [
    "claim",
    "quote",
    "person",
    "organization",
    "location",
    "equipment",
    "event",
];

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/readability")
}

/// Real article texts, concatenated until `bytes`.
fn corpus_text(bytes: usize) -> String {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(data())
        .expect("test data")
        .filter_map(Result::ok)
        .map(|e| e.path().join("source.html"))
        .filter(|p| p.exists())
        .collect();
    pages.sort();
    let texts: Vec<String> = pages
        .iter()
        .filter_map(|p| marginalia::ingest::read_article(p).ok())
        .map(|a| a.text)
        .collect();
    let mut out = String::with_capacity(bytes + 100_000);
    'fill: loop {
        for text in &texts {
            out.push_str(text);
            out.push_str("\n\n");
            if out.len() >= bytes {
                break 'fill;
            }
        }
    }
    out
}

/// A project with the big text and 100,000 annotations; `dir` holds the files.
fn big_workspace(dir: &Path, text: &str) -> (Workspace, DocumentId) {
    workspace_of(dir, "big", text, ANNOTATIONS)
}

/// A project `NAME.ron` with `text` as `NAME.txt` and `count` annotations, the last one
/// made as a user would.
fn workspace_of(dir: &Path, name: &str, text: &str, count: usize) -> (Workspace, DocumentId) {
    let path = dir.join(format!("{name}.txt"));
    std::fs::write(&path, text).expect("write");
    let mut workspace = Workspace::new_at(&dir.join(format!("{name}.ron")));
    let doc = workspace.add_document(&path).expect("add");
    let annotations = generated_annotations(&workspace, doc, count);
    workspace
        .apply(Edit::Insert(annotations), Coalesce::No)
        .expect("insert");
    // One more annotation, made as a user would: the last undo step.
    let span = Span::between(CharPos(10), CharPos(14));
    workspace
        .annotate(doc, span, &LabelId("person".into()))
        .expect("annotate");
    (workspace, doc)
}

/// An annotation of `label` at `span` (its words read from `text`), made by `author`.
fn annotation_of(
    text: &std::sync::Arc<marginalia::model::DocText>,
    (id, document): (AnnotationId, DocumentId),
    label: &str,
    span: Span,
    author: &str,
    now: jiff::Timestamp,
) -> Annotation {
    Annotation {
        id,
        document,
        label: LabelId(label.into()),
        span,
        fragments: Vec::new(),
        excerpt: marginalia::model::Excerpt::in_document(std::sync::Arc::clone(text)),
        entity: None,
        attrs: marginalia::model::Attributes::default(),
        note: String::new(),
        author: author.to_owned(),
        changed_by: String::new(),
        created: now,
        modified: now,
    }
}

/// Annotations spread over the text: short entity mentions, with every fifth a longer
/// claim or quote enclosing the next ones.
fn generated_annotations(workspace: &Workspace, doc: DocumentId, count: usize) -> Vec<Annotation> {
    let text = workspace.shared_text(doc).expect("text");
    let len = text.char_len();
    let step = len / count;
    let now = jiff::Timestamp::now();
    (0..count)
        .map(|i| {
            let start = i * step;
            let span_len = if i % 5 == 0 { step * 4 } else { 3 + i % 17 };
            let span = Span::between(CharPos(start), CharPos((start + span_len).min(len)));
            let label = if i % 5 == 0 {
                LABELS[i % 2]
            } else {
                LABELS[2 + i % 5]
            };
            annotation_of(
                &text,
                (AnnotationId(i as u64 + 1), doc),
                label,
                span,
                "",
                now,
            )
        })
        .collect()
}

fn harness(workspace: Workspace) -> Harness<'static, MarginaliaApp> {
    let mut harness = Harness::builder()
        .with_size(Vec2::new(1280.0, 800.0))
        .with_max_steps(1000)
        // The corpus has scripts egui's bundled fonts lack (the app loads system fonts).
        .allow_missing_glyphs()
        .build_eframe(move |_cc| {
            MarginaliaApp::new(workspace, Vec::new(), DialogBackend::PathField)
        });
    harness.run_ok();
    harness
}

/// One frame and its tessellation, as a window would do it.
fn frame(harness: &mut Harness<'_, MarginaliaApp>) {
    harness.step();
    let shapes = harness.output().shapes.clone();
    black_box(harness.ctx.tessellate(shapes, 1.0));
}

/// The folder the inputs are written to: `target/bench-inputs`, replaced by every run and
/// removed by `cargo clean` (a temporary folder held by a static would never be deleted).
/// The big project stays there for profiling, e.g. `heaptrack` on the memory child.
struct InputDir(PathBuf);

impl InputDir {
    fn path(&self) -> &Path {
        &self.0
    }
}

/// The 10 MB text (built once) and a folder for files.
fn inputs() -> &'static (InputDir, String, PathBuf) {
    static INPUTS: std::sync::OnceLock<(InputDir, String, PathBuf)> = std::sync::OnceLock::new();
    INPUTS.get_or_init(|| {
        let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
            || Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
            PathBuf::from,
        );
        let dir = InputDir(target.join("bench-inputs"));
        let _ = std::fs::remove_dir_all(dir.path());
        std::fs::create_dir_all(dir.path()).expect("bench inputs folder");
        let text = corpus_text(TEXT_BYTES);
        let text_path = dir.path().join("plain.txt");
        std::fs::write(&text_path, &text).expect("write");
        (dir, text, text_path)
    })
}

fn bench_open(c: &mut Criterion) {
    let (dir, _, text_path) = inputs();
    c.bench_function("open_txt_10mb", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for i in 0..iterations {
                let copy = dir.path().join(format!("open-{i}.txt"));
                std::fs::copy(text_path, &copy).expect("copy");
                let mut h = harness(Workspace::untitled());
                let started = Instant::now();
                h.state_mut()
                    .push_action(Action::OpenPaths(vec![copy.clone()]));
                // The file is read on a worker; frames go on until it is shown.
                frame(&mut h);
                while h.state().current_document().is_none() {
                    std::thread::sleep(Duration::from_micros(200));
                    frame(&mut h);
                }
                frame(&mut h);
                total += started.elapsed();
                assert!(h.state().current_document().is_some());
                std::fs::remove_file(&copy).ok();
            }
            total
        });
    });
    // The largest page copied from the corpus (300 KB).
    let page = data().join("nytimes-2/source.html");
    c.bench_function("open_html_page", |b| {
        b.iter(|| black_box(marginalia::ingest::read_article(&page).expect("page")));
    });
}

fn bench_store(c: &mut Criterion) {
    let (dir, text, _) = inputs();
    let (workspace, _) = big_workspace(dir.path(), text);
    eprintln!(
        "big project: {} bytes of text, {} annotations; peak RSS so far {} MiB",
        text.len(),
        workspace.project().annotation_count(),
        common::peak_rss_kib() / 1024
    );
    // What Ctrl+S costs the UI thread now that the save runs on a worker: the snapshot.
    c.bench_function("save_snapshot_100k", |b| {
        b.iter(|| black_box(workspace.save_job(true).expect("save job")));
    });
    let project = workspace.project().clone();
    // The part of a save that is not the disk's: the text of the file, on every core.
    c.bench_function("serialize_project_100k", |b| {
        b.iter(|| black_box(marginalia::store::to_ron(&project).expect("serialize")));
    });
    let path = dir.path().join("saved.ron");
    c.bench_function("save_project_100k", |b| {
        b.iter(|| marginalia::store::save(&project, &path).expect("save"));
    });
    marginalia::store::save(&project, &path).expect("save");
    // A save leaves the disk some work after it returns (the backup before last is deleted
    // on a thread, the kernel writes its caches out): after the dozens of saves above, let
    // it settle so that the load is measured on its own.
    std::thread::sleep(Duration::from_secs(3));
    c.bench_function("load_project_100k", |b| {
        b.iter(|| black_box(marginalia::store::load(&path).expect("load")));
    });
}

/// The merge driver on two versions of a 100,000-annotation project, each with 1,000
/// changes of its own (notes on existing annotations, removals, additions); and what the
/// uncoordinated ids cost the file per annotation against counters.
#[allow(clippy::cast_precision_loss, reason = "file sizes far below 2^52")]
fn bench_merge(c: &mut Criterion) {
    let (dir, text, _) = inputs();
    let (workspace, doc) = big_workspace(dir.path(), text);
    let base = workspace.project().clone();
    let ids: Vec<AnnotationId> = base.annotations().map(|a| a.id).collect();
    let fresh = generated_annotations(&workspace, doc, ANNOTATIONS);
    let side = |offset: usize| {
        let mut project = marginalia::store::from_ron(
            &marginalia::store::to_ron(&base).expect("ron"),
            dir.path(),
        )
        .expect("load");
        let mut edits = Vec::new();
        for k in 0..400 {
            let mut a = base.annotation(ids[offset + 2 * k]).expect("a").clone();
            a.note = format!("note {offset} {k}");
            edits.push(Edit::Replace(vec![a]));
        }
        edits.push(Edit::Remove(
            (0..200).map(|k| ids[offset + 1000 + 2 * k]).collect(),
        ));
        let added: Vec<Annotation> = (0..400)
            .map(|k| {
                let mut a = fresh[offset + 3000 + 2 * k].clone();
                a.id = project.allocate_annotation_id();
                a
            })
            .collect();
        edits.push(Edit::Insert(added));
        project.apply(Edit::Batch(edits)).expect("edits");
        marginalia::store::to_ron(&project).expect("ron")
    };
    let base_text = marginalia::store::to_ron(&base).expect("ron");
    let (ours, theirs) = (side(0), side(1));
    let path = dir.path().join("merged.ron");
    c.bench_function("merge_driver_100k_1000_changes_each", |b| {
        b.iter(|| {
            black_box(
                marginalia::store::merge::merge_texts(&base_text, &ours, &theirs, &path)
                    .expect("merge"),
            )
        });
    });
    // The same annotations with counters for ids (as before version 7) and with ids
    // handed out as now (a run from a random start, the document's derived from its file).
    let with_ids = |counters: bool| {
        let mut run = 0;
        let mut document = base.documents()[0].clone();
        if counters {
            document.id = DocumentId(1);
        }
        let annotations = base
            .annotations_sorted()
            .into_iter()
            .enumerate()
            .map(|(i, a)| {
                let mut a = a.clone();
                a.id = AnnotationId(if counters {
                    i as u64 + 1
                } else {
                    marginalia::model::ids::next_in_run(&mut run, |_| false)
                });
                a.document = document.id;
                std::sync::Arc::new(a)
            })
            .collect();
        let project = marginalia::model::Project::from_parts(
            "ids".to_owned(),
            base.schema.clone(),
            vec![document],
            annotations,
            None,
        );
        marginalia::store::to_ron(&project).expect("ron")
    };
    let (counted_text, random_text) = (with_ids(true), with_ids(false));
    eprintln!(
        "project file: {} bytes with uncoordinated ids, {} with counters: {:.1} bytes more per annotation ({:.1}%)",
        random_text.len(),
        counted_text.len(),
        (random_text.len() as f64 - counted_text.len() as f64) / base.annotation_count() as f64,
        100.0 * (random_text.len() as f64 / counted_text.len() as f64 - 1.0)
    );
}

/// Agreement of two analysts' layers of 5,000 annotations each (10,000) over a 1 MB
/// article: every third of Ben's takes another label, every seventh is a word longer.
fn bench_agreement(c: &mut Criterion) {
    let (dir, text, _) = inputs();
    let folder = dir.path().join("agreement");
    std::fs::create_dir_all(&folder).expect("folder");
    let article = folder.join("article.txt");
    let cut = text
        .char_indices()
        .nth(1_000_000)
        .map_or(text.len(), |(i, _)| i);
    std::fs::write(&article, &text[..cut]).expect("write");
    let mut workspace = Workspace::new_at(&folder.join("agreement.ron"));
    let doc = workspace.add_document(&article).expect("add");
    let len = workspace.text(doc).expect("text").char_len();
    let step = len / 5000;
    for (analyst, shift) in [("Ana", 0), ("Ben", 1)] {
        workspace.set_analyst(analyst);
        let now = jiff::Timestamp::now();
        // Each analyst's own run of ids (as in their own session).
        let mut run = 0;
        let text = workspace.shared_text(doc).expect("text");
        let annotations: Vec<Annotation> = (0..5000)
            .map(|i| {
                let start = i * step;
                let longer = if shift == 1 && i % 7 == 0 { 6 } else { 0 };
                let span = Span::between(CharPos(start), CharPos((start + 12 + longer).min(len)));
                let label = if shift == 1 && i % 3 == 0 {
                    3
                } else {
                    2 + i % 4
                };
                annotation_of(
                    &text,
                    (
                        AnnotationId(marginalia::model::ids::next_in_run(&mut run, |_| false)),
                        doc,
                    ),
                    LABELS[label],
                    span,
                    analyst,
                    now,
                )
            })
            .collect();
        workspace
            .apply(Edit::Insert(annotations), Coalesce::No)
            .expect("insert");
    }
    let report = workspace
        .agreement(&marginalia::formats::Selection::default(), &[])
        .expect("agreement");
    eprintln!(
        "agreement of 10,000 annotations: {} words, Cohen κ {:?}",
        report.overall.units, report.overall.cohen_kappa
    );
    c.bench_function("agreement_10000_annotations", |b| {
        b.iter(|| {
            black_box(
                workspace
                    .agreement(&marginalia::formats::Selection::default(), &[])
                    .expect("agreement"),
            )
        });
    });
}

/// The core edit behind "find and tag all": 5,000 hits of a word, one undo step.
fn bench_tag_all(c: &mut Criterion) {
    let (dir, text, _) = inputs();
    let (mut workspace, doc) = big_workspace(dir.path(), text);
    let query = FindQuery {
        text: "the".to_owned(),
        match_case: true,
        whole_word: true,
        regex: false,
    };
    let event = LabelId("event".into());
    c.bench_function("tag_all_5000_occurrences", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                let started = Instant::now();
                // What Edit > Find and tag all does: search, then tag the hits.
                let mut hits = workspace.find(&query, Some(doc)).expect("find");
                assert!(hits.len() >= 5000, "{} hits", hits.len());
                hits.truncate(5000);
                let added = workspace.tag_all(&hits, &event).expect("tag all");
                total += started.elapsed();
                // A few hits may already carry a generated Event annotation.
                assert!(added > 4900, "{added} tagged");
                workspace.undo().expect("undo");
            }
            total
        });
    });
}

/// What the window pays when a big "tag all" finishes: the job's snapshot before it starts
/// and applying the prepared tags after (finding and preparing run on a worker).
fn bench_tag_all_ui_thread(c: &mut Criterion) {
    let (dir, text, _) = inputs();
    let (mut workspace, doc) = big_workspace(dir.path(), text);
    let query = FindQuery {
        text: "the".to_owned(),
        match_case: false,
        whole_word: true,
        regex: false,
    };
    let mut hits = workspace.find(&query, Some(doc)).expect("find");
    assert!(hits.len() >= 50_000, "{} hits", hits.len());
    hits.truncate(50_000);
    let event = LabelId("event".into());
    c.bench_function("tag_all_ui_thread_50000", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                let started = Instant::now();
                let job = workspace.tag_job(hits.clone(), event.clone(), None);
                total += started.elapsed();
                let prepared = job
                    .run(&marginalia::model::Progress::new())
                    .expect("prepared");
                let started = Instant::now();
                let added = workspace.finish_tags(prepared).expect("tag all");
                total += started.elapsed();
                assert!(added > 49_000, "{added} tagged");
                workspace.undo().expect("undo");
            }
            total
        });
    });
    // Undoing and redoing it, whole: what the window would pay at once (it spreads them
    // over frames as it does the adding).
    let job = workspace.tag_job(hits.clone(), event.clone(), None);
    let prepared = job
        .run(&marginalia::model::Progress::new())
        .expect("prepared");
    workspace.finish_tags(prepared).expect("tag all");
    c.bench_function("undo_tag_all_50000", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                let started = Instant::now();
                assert!(workspace.undo().expect("undo"));
                total += started.elapsed();
                assert!(workspace.redo().expect("redo"));
            }
            total
        });
    });
    c.bench_function("redo_tag_all_50000", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                assert!(workspace.undo().expect("undo"));
                let started = Instant::now();
                assert!(workspace.redo().expect("redo"));
                total += started.elapsed();
            }
            total
        });
    });
}

/// Steady scrolling, a wheel step per frame, turning back every 200 frames.
fn scroll_frames(c: &mut Criterion, name: &str, h: &mut Harness<'_, MarginaliaApp>) {
    let mut n = 0;
    c.bench_function(name, |b| {
        b.iter(|| {
            n += 1;
            let delta = if (n / 200) % 2 == 0 { -40.0 } else { 40.0 };
            h.event(egui::Event::MouseWheel {
                unit: egui::MouseWheelUnit::Point,
                delta: egui::vec2(0.0, delta),
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Wheel,
                modifiers: egui::Modifiers::NONE,
            });
            h.hover_at(egui::pos2(640.0, 400.0));
            frame(h);
        });
    });
}

/// Jumps to `last` and back to `first`, in turn: the frame that jumps and the next one.
fn jump_frames(
    c: &mut Criterion,
    name: &str,
    h: &mut Harness<'_, MarginaliaApp>,
    first: AnnotationId,
    last: AnnotationId,
) {
    let mut to_end = true;
    c.bench_function(name, |b| {
        b.iter(|| {
            // The action is applied at the end of one frame; the next frame shows the end.
            h.state_mut()
                .push_action(Action::JumpTo(if to_end { last } else { first }));
            to_end = !to_end;
            frame(h);
            frame(h);
        });
    });
}

fn bench_frames(c: &mut Criterion) {
    let (dir, text, _) = inputs();
    let (workspace, doc) = big_workspace(dir.path(), text);
    let annotations = workspace.project().annotations_of(doc);
    let (first, last) = (annotations[0].id, annotations[annotations.len() - 1].id);
    let mut h = harness(workspace);
    eprintln!(
        "app with the big project: peak RSS {} MiB",
        common::peak_rss_kib() / 1024
    );

    scroll_frames(c, "scroll_frame_10mb_100k", &mut h);

    jump_frames(c, "jump_to_end_10mb_100k", &mut h, first, last);

    // Undo and redo of one annotation: apply an edit, then draw the next frame. (Criterion
    // calls the closure below many times: state that must persist lives outside it.)
    h.state_mut().push_action(Action::Run(Command::Undo));
    frame(&mut h);
    let mut undo = false;
    c.bench_function("add_annotation_frame_10mb_100k", |b| {
        b.iter(|| {
            h.state_mut().push_action(Action::Run(if undo {
                Command::Undo
            } else {
                Command::Redo
            }));
            undo = !undo;
            frame(&mut h);
        });
    });
    eprintln!("peak RSS at the end: {} MiB", common::peak_rss_kib() / 1024);
}

/// Issue 19's largest single document: 100 MB of text with 1,000,000 annotations. Opening
/// the saved project (the file and the text read, indexed, annotations fitted), a save,
/// and scroll frames (printed, one run each, then the frames measured). Run alone with
/// `cargo bench --bench marginalia -- 100mb`.
fn bench_huge(c: &mut Criterion) {
    if !std::env::args().any(|a| a.contains("100mb")) {
        // Minutes of set-up and gigabytes: only when asked for by name.
        return;
    }
    let (dir, text, _) = inputs();
    let huge = {
        let mut huge = String::with_capacity(10 * text.len() + 16);
        while huge.len() < 100 * 1024 * 1024 {
            huge.push_str(text);
        }
        huge
    };
    let (mut workspace, _) = workspace_of(dir.path(), "huge", &huge, 1_000_000);
    workspace.save().expect("save");
    let path = dir.path().join("huge.ron");
    let started = Instant::now();
    let opened = Workspace::open(&path).expect("open");
    let open = started.elapsed();
    let project = opened.project().clone();
    let started = Instant::now();
    marginalia::store::save(&project, &dir.path().join("huge-saved.ron")).expect("save");
    let save = started.elapsed();
    eprintln!(
        "huge: {} MB of text, {} annotations: opened in {:.2} s, saved in {:.2} s (targets 1 s, 0.8 s); peak RSS {} MiB",
        huge.len() / 1_000_000,
        project.annotation_count(),
        open.as_secs_f64(),
        save.as_secs_f64(),
        common::peak_rss_kib() / 1024
    );
    drop(project);
    let mut h = harness(opened);
    scroll_frames(c, "scroll_frame_100mb_1m", &mut h);
}

/// Right-to-left text: every paragraph laid out by the bidi path (pieces, lines, visual
/// order). A 1 MB Arabic text (the test data's real paragraphs, repeated), scrolled and
/// jumped to its end a frame at a time.
fn bench_rtl_frames(c: &mut Criterion) {
    let (dir, _, _) = inputs();
    let sample = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/rtl/arabic-regime-anticancer.txt"),
    )
    .expect("Arabic test text");
    let text = sample.repeat((1_000_000 / sample.len()).max(1));
    let path = dir.path().join("arabic.txt");
    std::fs::write(&path, &text).expect("write");
    let mut workspace = Workspace::new_at(&dir.path().join("arabic.ron"));
    let doc = workspace.add_document(&path).expect("add");
    let end = workspace.text(doc).expect("text").char_len();
    let span = Span::between(CharPos(end - 20), CharPos(end - 14));
    let last = workspace
        .annotate(doc, span, &LabelId("person".into()))
        .expect("tag");
    let first = workspace
        .annotate(
            doc,
            Span::between(CharPos(0), CharPos(5)),
            &LabelId("person".into()),
        )
        .expect("tag");
    let mut h = harness(workspace);
    scroll_frames(c, "scroll_frame_arabic_1mb", &mut h);
    jump_frames(c, "jump_to_end_arabic_1mb", &mut h, first, last);
}

/// Set in the child process that measures one app instance's memory.
const MEMORY_CHILD: &str = "MARGINALIA_MEMORY_CHILD";

/// Peak memory of one app instance, in a fresh child process (this benchmark binary run
/// again): once with an empty window, once with the project of the 10 MB text and 100,000
/// annotations opened from its files as a user would, scrolled and jumped to the end. The
/// difference is what the document and its annotations cost.
fn bench_memory(_c: &mut Criterion) {
    if let Some(project) = std::env::var_os(MEMORY_CHILD) {
        let workspace = if project.is_empty() {
            Workspace::untitled()
        } else {
            Workspace::open(Path::new(&project)).expect("open the big project")
        };
        let doc = workspace.project().documents().first().map(|d| d.id);
        let last = doc.and_then(|d| workspace.project().annotations_of(d).last().map(|a| a.id));
        let mut h = harness(workspace);
        for _ in 0..20 {
            frame(&mut h);
        }
        if let Some(last) = last {
            h.state_mut().push_action(Action::JumpTo(last));
            for _ in 0..5 {
                frame(&mut h);
            }
        }
        println!("peak-rss-kib {}", common::peak_rss_kib());
        std::process::exit(0);
    }
    let (dir, text, _) = inputs();
    let (mut workspace, _) = big_workspace(dir.path(), text);
    workspace.save().expect("save the big project");
    let project = dir.path().join("big.ron");
    let measure = |project: &Path| -> u64 {
        let out = std::process::Command::new(std::env::current_exe().expect("bench binary"))
            .env(MEMORY_CHILD, project)
            .arg("--bench")
            .output()
            .expect("run the child");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .find_map(|l| l.strip_prefix("peak-rss-kib ")?.trim().parse().ok())
            .expect("the child reports its peak")
    };
    let empty = measure(Path::new(""));
    let full = measure(&project);
    let cost = full.saturating_sub(empty) * 1024;
    let target = 3 * text.len() as u64 + 300 * (ANNOTATIONS as u64 + 1);
    eprintln!(
        "memory_10mb_100k: one app instance peaks at {} MiB with the project, {} MiB empty: {} MiB for the document and its annotations (target {} MiB = 3 x text + 300 B per annotation)",
        full / 1024,
        empty / 1024,
        cost / (1024 * 1024),
        target / (1024 * 1024)
    );
}

criterion_group! {
    name = marginalia;
    config = Criterion::default().sample_size(10).measurement_time(Duration::from_secs(5)).warm_up_time(Duration::from_secs(1));
    targets = bench_huge, bench_memory, bench_open, bench_store, bench_merge, bench_agreement, bench_tag_all, bench_tag_all_ui_thread, bench_frames, bench_rtl_frames
}
criterion_main!(marginalia);
