//! Reading PDF, Word, `OpenDocument` and EPUB files: the text's quality against the ground
//! truths in `tests/data/documents` (normalised edit similarity, white space collapsed, as
//! py-pdf/benchmarks scores it), the peak memory of reading the 117-page book, and speed:
//! pages per second, and the page view's first page (parse, draw, character boxes).
//! Run with `cargo bench --bench documents`; figures are in benches/README.md.

mod common;

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::Criterion;
use marginalia::ingest::pdf_pages::PdfPages;
use marginalia::ingest::read_article;
use marginalia::model::DocText;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/documents")
        .join(name)
}

fn collapsed(text: &str) -> Vec<char> {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .collect()
}

/// Indel (as py-pdf/benchmarks) and Levenshtein similarity of `ours` to `truth`.
fn similarity(ours: &[char], truth: &[char]) -> (f64, f64) {
    (
        rapidfuzz::distance::indel::normalized_similarity(ours.iter(), truth.iter()),
        rapidfuzz::distance::levenshtein::normalized_similarity(ours.iter(), truth.iter()),
    )
}

fn quality() {
    println!("text quality (normalised similarity to the ground truth; indel / Levenshtein):");
    for (file, truth) in [
        ("geotopo-book-de.pdf", "geotopo-book-de.expected.txt"),
        (
            "libreoffice-trivial.pdf",
            "libreoffice-trivial.expected.txt",
        ),
        (
            "libreoffice-trivial.odt",
            "libreoffice-trivial.expected.txt",
        ),
        ("arabic-habibi.pdf", "arabic-habibi.expected.txt"),
    ] {
        let ours = collapsed(&read_article(&data(file)).expect("read").text);
        let truth = collapsed(&std::fs::read_to_string(data(truth)).expect("truth"));
        let (indel, levenshtein) = similarity(&ours, &truth);
        println!("  {file}: {indel:.3} / {levenshtein:.3}");
        if file.starts_with("geotopo") {
            // The first half was looked at while building the clean-up; the second was not.
            let split: Vec<char> = "3 Fundamentalgruppe und Überlagerungen 3.1"
                .chars()
                .collect();
            let at = |text: &[char]| {
                text.windows(split.len())
                    .position(|w| w == split.as_slice())
                    .expect("chapter 3")
            };
            let (o, t) = (at(&ours), at(&truth));
            let (a, _) = similarity(&ours[..o], &truth[..t]);
            let (b, _) = similarity(&ours[o..], &truth[t..]);
            println!("    chapters 1–2 (tuned on): {a:.3}; chapters 3–5 (held out): {b:.3}");
        }
    }
}

fn main() {
    let before = common::peak_rss_kib();
    let book = read_article(&data("geotopo-book-de.pdf")).expect("book");
    let after = common::peak_rss_kib();
    println!(
        "reading the 117-page book ({} KiB file, {} characters): peak memory {} MiB more",
        std::fs::metadata(data("geotopo-book-de.pdf")).map_or(0, |m| m.len() / 1024),
        book.text.chars().count(),
        (after - before) / 1024
    );
    quality();

    let mut c = Criterion::default().configure_from_args().sample_size(10);
    for (name, file) in [
        ("pdf_text_book_117_pages", "geotopo-book-de.pdf"),
        (
            "pdf_text_federal_register_15_pages",
            "us-federal-register-2020-17221.pdf",
        ),
        ("docx_text", "python-docx-comments-rich-para.docx"),
        ("epub_text_wasteland", "epub3-wasteland.epub"),
    ] {
        let path = data(file);
        c.bench_function(name, |b| {
            b.iter(|| black_box(read_article(&path).expect("read")));
        });
    }
    // What the page view does before its first page shows: read and parse the file for
    // drawing and for the characters' geometry, draw page 1 at the window's width (918 px
    // for a Letter page at 1.5×) and find its characters' boxes.
    let path = data("us-federal-register-2020-17221.pdf");
    let register = read_article(&path).expect("register");
    let text = DocText::new(register.text.clone());
    c.bench_function("pdf_page_view_first_page", |b| {
        b.iter(|| {
            let bytes = std::fs::read(&path).expect("read");
            let geometry = PdfPages::open(bytes.clone(), None).expect("open");
            let pdf = hayro::hayro_syntax::Pdf::new(bytes).expect("parse");
            let page = &pdf.pages()[0];
            let (width, _) = page.render_dimensions();
            let pixmap = hayro::render(
                page,
                &hayro::RenderCache::new(),
                &hayro::hayro_interpret::InterpreterSettings::default(),
                &hayro::RenderSettings::default(),
                &hayro::PixmapSettings {
                    x_scale: 918.0 / width,
                    y_scale: 918.0 / width,
                    ..hayro::PixmapSettings::default()
                },
            );
            black_box((pixmap, geometry.boxes(0, &text, &register.pages)))
        });
    });
    c.final_summary();
}
