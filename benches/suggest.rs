//! Speed of the suggestions: quotations, reported speech and speakers found in one news
//! article and in a 10 MB text (the hand-marked news articles and pages of
//! `tests/data/quotes` concatenated until 10 MB). Run with `cargo bench --bench suggest`.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use marginalia::model::DocText;
use marginalia::suggest::quote_spans;

/// The texts of the hand-marked pages, in a fixed order.
fn texts() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/quotes");
    let mut files: Vec<PathBuf> = [
        root.clone(),
        root.join("news/dev"),
        root.join("news/heldout"),
    ]
    .iter()
    .flat_map(|dir| std::fs::read_dir(dir).expect("test data"))
    .filter_map(Result::ok)
    .map(|e| e.path())
    .filter(|p| p.extension().is_some_and(|e| e == "txt"))
    .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("text"))
        .collect()
}

fn bench_suggest(c: &mut Criterion) {
    let texts = texts();
    let article = DocText::new(
        texts
            .iter()
            .find(|t| t.contains("Sondland"))
            .expect("the AP article")
            .clone(),
    );
    let mut big = String::with_capacity(10 * 1024 * 1024 + 20_000);
    'fill: loop {
        for text in &texts {
            big.push_str(text);
            big.push_str("\n\n");
            if big.len() >= 10 * 1024 * 1024 {
                break 'fill;
            }
        }
    }
    let big = DocText::new(big);
    let found = quote_spans(&big).len();
    println!(
        "suggest: {found} quotations and reported clauses in {} MB",
        big.as_str().len() / (1024 * 1024)
    );
    let mut group = c.benchmark_group("suggest");
    group.bench_function("quotes_one_article_5kb", |b| {
        b.iter(|| black_box(quote_spans(black_box(&article)).len()));
    });
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("quotes_10mb", |b| {
        b.iter(|| black_box(quote_spans(black_box(&big)).len()));
    });
    group.finish();
}

criterion_group!(benches, bench_suggest);
criterion_main!(benches);
