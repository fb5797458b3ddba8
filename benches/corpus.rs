//! The whole-corpus views at a team's scale: a project of 10,000 articles, 500,000
//! annotations and 5,000 entities (generated here, deterministic). Measures the overview's
//! figures (target ≤ 200 ms), the entity network at the document scope, and the force
//! layout of a 5,000-entity network until it settles (target ≤ 2 s), and the clustering
//! of 50,000 claims (target ≤ 2 s), saving and loading the project file, and a search of
//! every document's text for a word (target ≤ 200 ms) and a regex (≤ 1 s). Run with
//! `cargo bench --bench corpus`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};

#[path = "common/mod.rs"]
mod common;
use marginalia::model::clusters::{self, ClaimInput};
use marginalia::model::layout::Layout;
use marginalia::model::network::{self, Scope};
use marginalia::model::overview::{self, Filter};
use marginalia::model::{
    Annotation, Attributes, CharPos, Credibility, Document, Edit, Entity, EntityId, Excerpt,
    LabelId, Metadata, Project, Reliability, Source, Span,
};

const DOCUMENTS: usize = 10_000;
const PER_DOCUMENT: usize = 50;
const ENTITIES: u32 = 5_000;

/// A small deterministic generator (an LCG), enough for test data.
struct Random(u64);

impl Random {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }

    /// Entities as news mentions them: a few very often, most rarely.
    fn entity(&mut self) -> EntityId {
        let x = self.below(1_000_000);
        // (x / 10⁶)³ of the entities: cubed, the low ids come up far more often.
        let cube = x.pow(3) / 1_000_000_000 * u64::from(ENTITIES - 1) / 1_000_000_000;
        EntityId(1 + u32::try_from(cube).unwrap_or(0))
    }
}

fn project() -> Project {
    let mut project = Project::new("corpus");
    let kinds = ["person", "organization", "location"];
    let entities = (1..=ENTITIES)
        .map(|i| Entity {
            id: EntityId(i),
            name: format!("Entity {i}"),
            kind: LabelId(kinds[i as usize % 3].into()),
            aliases: Vec::new(),
            note: String::new(),
            external_id: None,
        })
        .collect();
    project
        .apply(Edit::AddEntities(entities))
        .expect("entities");
    let mut random = Random(7);
    let mut annotations = Vec::with_capacity(DOCUMENTS * PER_DOCUMENT);
    for d in 0..DOCUMENTS {
        let id = project.add_document(Document {
            path: format!("articles/{d:05}.html"),
            sha256: format!("{d:064}"),
            char_len: 5_000,
            metadata: Metadata {
                title: Some(format!("Article {d}")),
                date: Some(format!("2019-{:02}-{:02}", 1 + d % 12, 1 + d % 28)),
                ..Metadata::default()
            },
            ..Document::default()
        });
        for i in 0..PER_DOCUMENT {
            let (label, entity, mut attrs) = match i % 5 {
                0 => ("claim", None, Attributes::default()),
                1 => ("quote", None, Attributes::default()),
                _ => (kinds[i % 3], Some(random.entity()), Attributes::default()),
            };
            if label == "claim" {
                attrs.credibility =
                    Credibility::new(u8::try_from(1 + random.below(6)).unwrap_or(1));
            }
            if label == "quote" {
                attrs.source = Some(Source::Entity(random.entity()));
                attrs.reliability = Reliability::ALL
                    .get(usize::try_from(random.below(7)).unwrap_or(0))
                    .copied();
            }
            let start = i * 100;
            annotations.push(Annotation {
                id: project.allocate_annotation_id(),
                document: id,
                label: LabelId(label.into()),
                span: Span::between(CharPos(start), CharPos(start + 20)),
                fragments: Vec::new(),
                excerpt: Excerpt::held("twenty characters ok", "", ""),
                entity,
                attrs,
                note: String::new(),
                author: ["Rania", "Tomás", "Ben"][d % 3].to_owned(),
                changed_by: String::new(),
                created: jiff::Timestamp::UNIX_EPOCH,
                modified: jiff::Timestamp::UNIX_EPOCH,
            });
        }
    }
    project.apply(Edit::Insert(annotations)).expect("insert");
    project
}

fn bench_corpus(c: &mut Criterion) {
    memory_child();
    let started = Instant::now();
    let project = project();
    println!(
        "corpus: {} documents, {} annotations, {} entities, built in {:.1} s",
        project.documents().len(),
        project.annotation_count(),
        project.entities().len(),
        started.elapsed().as_secs_f64()
    );
    // The project file: written once and read back (the texts are not part of it).
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("corpus.ron");
    let started = Instant::now();
    marginalia::store::save(&project, &path).expect("save");
    let saved = started.elapsed();
    let started = Instant::now();
    let loaded = marginalia::store::load(&path).expect("load");
    println!(
        "corpus: project file of {} MB saved in {:.2} s, loaded in {:.2} s ({} annotations)",
        std::fs::metadata(&path).map_or(0, |m| m.len() / 1_000_000),
        saved.as_secs_f64(),
        started.elapsed().as_secs_f64(),
        loaded.annotation_count()
    );
    drop(loaded);
    let everything = Filter::default();
    let mut group = c.benchmark_group("corpus");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("overview_10k_documents_500k_annotations", |b| {
        b.iter(|| black_box(overview::compute(&project, &everything)));
    });
    group.bench_function("network_document_scope", |b| {
        b.iter(|| {
            black_box(network::build(
                &project,
                &everything,
                Scope::Document,
                |_| None,
            ))
        });
    });
    let net = network::build(&project, &everything, Scope::Document, |_| None);
    println!(
        "corpus: network of {} entities, {} edges",
        net.nodes.len(),
        net.edges.len()
    );
    let mut steps = 0;
    let settle = Instant::now();
    let mut layout = Layout::of_network(&net);
    while !layout.is_settled() {
        layout.step();
        steps += 1;
    }
    println!(
        "corpus: layout of {} entities settled in {steps} steps, {:.2} s",
        net.nodes.len(),
        settle.elapsed().as_secs_f64()
    );
    group.bench_function("layout_step_5000_entities", |b| {
        let mut layout = Layout::of_network(&net);
        b.iter(|| layout.step());
    });
    // 50,000 claims of 12 words each from a 20,000-word vocabulary (a few words common,
    // most rare), with two entities each.
    let mut random = Random(11);
    let texts: Vec<String> = (0..50_000)
        .map(|_| {
            (0..12)
                .map(|_| format!("word{}", u64::from(random.entity().0) * 4 + random.below(4)))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let claims: Vec<ClaimInput<'_>> = texts
        .iter()
        .map(|text| ClaimInput {
            text,
            entities: [random.entity(), random.entity()].into(),
        })
        .collect();
    let started = Instant::now();
    let found = clusters::cluster(&claims, clusters::THRESHOLD);
    println!(
        "corpus: 50,000 claims in {} clusters ({} of two or more) in {:.2} s",
        found.len(),
        found.iter().filter(|c| c.len() > 1).count(),
        started.elapsed().as_secs_f64()
    );
    group.bench_function("cluster_50k_claims", |b| {
        b.iter(|| black_box(clusters::cluster(&claims, clusters::THRESHOLD)));
    });
    group.finish();
}

/// 10,000 articles of about 5,000 characters on disk (sentences of the reference article
/// drawn at random), added to a workspace: a search of all of them for a word and for a
/// regular expression.
fn bench_search(c: &mut Criterion) {
    use marginalia::store::LoadMode;
    use marginalia::workspace::{FindQuery, Workspace};
    let article = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("projects/us-allies-intel-swaps-north-korea-missiles.txt"),
    )
    .expect("the reference article");
    let sentences: Vec<&str> = article
        .split_inclusive(". ")
        .filter(|s| s.len() > 20)
        .collect();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut random = Random(3);
    let started = Instant::now();
    let mut workspace = Workspace::new_at(&dir.path().join("search.ron"));
    for d in 0..DOCUMENTS {
        let mut text = String::with_capacity(5_400);
        while text.len() < 5_000 {
            let pick = usize::try_from(random.below(sentences.len() as u64)).unwrap_or(0);
            text.push_str(sentences[pick]);
            if random.below(6) == 0 {
                text.push_str("\n\n");
            }
        }
        let path = dir.path().join(format!("{d:05}.txt"));
        std::fs::write(&path, text).expect("write");
        workspace.add_document(&path).expect("add");
    }
    println!(
        "corpus: {DOCUMENTS} articles written and added in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let word = FindQuery {
        text: "onodera".to_owned(),
        ..FindQuery::default()
    };
    let pattern = FindQuery {
        text: r"\b[A-Z][a-z]+ (said|says)\b".to_owned(),
        regex: true,
        ..FindQuery::default()
    };
    for (name, query) in [("word", &word), ("regex", &pattern)] {
        let started = Instant::now();
        let hits = workspace.find(query, None).expect("search").len();
        println!(
            "corpus: search all documents for a {name}: {hits} hits in {:.0} ms",
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    let path = annotate_and_open(&mut workspace);
    let progress = marginalia::model::Progress::new();
    let text_bytes: usize = workspace
        .project()
        .documents()
        .iter()
        .filter_map(|d| Some(workspace.text(d.id)?.as_str().len()))
        .sum();
    peak_memory(&path, text_bytes, workspace.project().annotation_count());
    let mut group = c.benchmark_group("corpus");
    group.sample_size(10);
    group.bench_function("open_project_lazily_10k_documents", |b| {
        b.iter(|| {
            black_box(Workspace::open_lazily(&path, LoadMode::Strict, &progress).expect("open"))
        });
    });
    group.bench_function("find_word_10k_documents", |b| {
        b.iter(|| black_box(workspace.find(&word, None).expect("search")));
    });
    group.bench_function("find_regex_10k_documents", |b| {
        b.iter(|| black_box(workspace.find(&pattern, None).expect("search")));
    });
    group.finish();
}

/// Puts 50 annotations on each article of `workspace` and saves it; prints how long the
/// project takes to open lazily (the document list and the document shown first) and to
/// have every text read behind it, against reading every text before showing anything.
fn annotate_and_open(workspace: &mut marginalia::workspace::Workspace) -> std::path::PathBuf {
    use marginalia::model::Progress;
    use marginalia::store::LoadMode;
    use marginalia::workspace::Workspace;
    // 50 annotations on each article, saved: the project opened lazily (the document
    // list and the document shown first) and its texts read behind it, against reading
    // every text before showing anything.
    let mut annotations = Vec::with_capacity(DOCUMENTS * PER_DOCUMENT);
    // Ids drawn from a copy's runs, as the workspace would draw them.
    let mut ids = workspace.project().clone();
    for document in workspace.project().documents() {
        let Some(text) = workspace.shared_text(document.id) else {
            continue;
        };
        for i in 0..PER_DOCUMENT {
            let span = Span::between(CharPos(i * 90), CharPos(i * 90 + 20));
            let Some(words) = text.slice(span) else {
                break;
            };
            annotations.push(Annotation {
                id: ids.allocate_annotation_id(),
                document: document.id,
                label: LabelId(["claim", "person", "location"][i % 3].into()),
                span,
                fragments: Vec::new(),
                excerpt: Excerpt::held(words, "", ""),
                entity: None,
                attrs: Attributes::default(),
                note: String::new(),
                author: "Rania".to_owned(),
                changed_by: String::new(),
                created: jiff::Timestamp::UNIX_EPOCH,
                modified: jiff::Timestamp::UNIX_EPOCH,
            });
        }
    }
    let count = annotations.len();
    workspace
        .apply(Edit::Insert(annotations), marginalia::model::Coalesce::No)
        .expect("annotate");
    workspace.save().expect("save");
    let path = workspace.path().expect("saved").to_owned();
    let progress = Progress::new();
    let started = Instant::now();
    let mut lazy = Workspace::open_lazily(&path, LoadMode::Strict, &progress).expect("open");
    let listed = started.elapsed();
    let mut reading = lazy
        .read_sources(lazy.first_shown(), 2, || ())
        .expect("texts to read");
    while !reading.is_done() {
        for done in reading.take(usize::MAX) {
            assert!(lazy.take_source(done).is_none(), "unchanged sources");
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let all_read = started.elapsed();
    let started = Instant::now();
    let eager = Workspace::open_reporting(&path, LoadMode::Strict, &progress).expect("open");
    println!(
        "corpus: project of {DOCUMENTS} articles, {count} annotations ({} MB): opened lazily \
         (document list and first text) in {:.2} s, every text read behind it by {:.2} s; \
         opened reading every text first in {:.2} s",
        std::fs::metadata(&path).map_or(0, |m| m.len() / 1_000_000),
        listed.as_secs_f64(),
        all_read.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    drop((lazy, eager));
    path
}

/// Set in the child process that measures the peak memory of one opened project.
const MEMORY_CHILD: &str = "MARGINALIA_CORPUS_MEMORY_CHILD";

/// In the child process (this benchmark binary run again): opens the project named by
/// [`MEMORY_CHILD`] as the window does (lazily, then every text read behind it), prints
/// its peak memory and ends; an empty name measures the process alone.
fn memory_child() {
    let Some(project) = std::env::var_os(MEMORY_CHILD) else {
        return;
    };
    if !project.is_empty() {
        let progress = marginalia::model::Progress::new();
        let mut workspace = marginalia::workspace::Workspace::open_lazily(
            std::path::Path::new(&project),
            marginalia::store::LoadMode::Strict,
            &progress,
        )
        .expect("open");
        if let Some(mut reading) = workspace.read_sources(None, 2, || ()) {
            while !reading.is_done() {
                for done in reading.take(usize::MAX) {
                    workspace.take_source(done);
                }
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        black_box(&workspace);
    }
    println!("peak-rss-kib {}", common::peak_rss_kib());
    let rss = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .unwrap_or(0);
    println!("rss-kib {rss}");
    std::process::exit(0);
}

/// Peak memory of the project at `path` opened with every text read, above the process
/// alone (each in a child process), against the target of 2 × text + 300 B per annotation.
fn peak_memory(path: &std::path::Path, text_bytes: usize, annotations: usize) {
    // The child's peak and its memory once every text is read, in KiB.
    let measure = |project: &std::path::Path| -> (u64, u64) {
        let out = std::process::Command::new(std::env::current_exe().expect("bench binary"))
            .env(MEMORY_CHILD, project)
            .arg("--bench")
            .output()
            .expect("run the child");
        let out = String::from_utf8_lossy(&out.stdout);
        let line = |name: &str| -> u64 {
            out.lines()
                .find_map(|l| l.strip_prefix(name)?.trim().parse().ok())
                .expect("the child reports its memory")
        };
        (line("peak-rss-kib "), line("rss-kib "))
    };
    let (empty, _) = measure(std::path::Path::new(""));
    let (full, after) = measure(path);
    let cost = full.saturating_sub(empty) / 1024;
    println!(
        "corpus: memory of the project once every text is read: {} MiB above the process alone",
        after.saturating_sub(empty) / 1024
    );
    let target = (2 * text_bytes + 300 * annotations) / (1024 * 1024);
    println!(
        "corpus: peak memory of the project opened with every text read: {cost} MiB above \
         the process alone ({} MiB of text, {annotations} annotations; target {target} MiB = \
         2 x text + 300 B per annotation)",
        text_bytes / (1024 * 1024)
    );
}

criterion_group!(benches, bench_corpus, bench_search);
criterion_main!(benches);
