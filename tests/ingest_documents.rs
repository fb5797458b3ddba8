//! Word, `OpenDocument`, EPUB and PDF files from public test suites (tests/data/documents, with
//! their licences in its README): the body text in order, notes and comments apart, headers
//! and footers left out, properties as metadata; broken packages refused by name.

use std::path::{Path, PathBuf};

use marginalia::ingest::{IngestError, read_article};
use marginalia::model::SourceFormat;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/documents")
        .join(name)
}

fn collapsed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn word_comments_are_listed_apart_from_the_body() {
    let article = read_article(&data("python-docx-comments-rich-para.docx")).expect("docx");
    assert_eq!(article.format, SourceFormat::Docx);
    let (body, comments) = article
        .text
        .split_once("\n\nComments\n\n")
        .expect("a Comments section");
    assert!(
        body.starts_with("Document text\n\nSome text worthy of note."),
        "{body}"
    );
    assert!(
        !body.contains("hyperlink"),
        "comment text kept out of the body: {body}"
    );
    assert!(
        comments.starts_with("Steve Canny: Text with hyperlink https://google.com embedded."),
        "{comments}"
    );
    let note = article.note.expect("a note on the comments");
    assert!(
        note.contains("comments listed at the end under \"Comments\""),
        "{note}"
    );
    assert!(
        note.ends_with("python-docx-comments-rich-para.docx"),
        "{note}"
    );
}

#[test]
fn word_headers_and_footers_are_left_out() {
    let article = read_article(&data("python-docx-hdr-header-footer.docx")).expect("docx");
    assert_eq!(
        article.text,
        "section with header\n\nsection without header of its own."
    );
    assert!(!article.text.contains("Header for section-1"));
    let note = article.note.expect("note");
    assert!(note.contains("headers and footers left out"), "{note}");
}

#[test]
fn a_word_file_of_empty_tables_is_refused_by_name() {
    let path = data("python-docx-tbl-having-tables.docx");
    let error = read_article(&path).expect_err("no text");
    assert!(matches!(error, IngestError::Extraction { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("the file holds no text"), "{message}");
    assert!(message.ends_with(&path.display().to_string()), "{message}");
}

#[test]
fn open_document_text_matches_its_ground_truth() {
    let article = read_article(&data("libreoffice-trivial.odt")).expect("odt");
    assert_eq!(article.format, SourceFormat::Odt);
    let expected =
        std::fs::read_to_string(data("libreoffice-trivial.expected.txt")).expect("expected");
    assert_eq!(collapsed(&article.text), collapsed(&expected));
    let form = read_article(&data("libreoffice-form.odt")).expect("form");
    assert!(form.text.starts_with("Example for a Form"), "{}", form.text);
}

#[test]
fn epub_chapters_in_spine_order_with_the_books_properties() {
    let article = read_article(&data("epub3-wasteland.epub")).expect("epub");
    assert_eq!(article.format, SourceFormat::Epub);
    assert_eq!(article.metadata.title.as_deref(), Some("The Waste Land"));
    assert_eq!(article.metadata.byline.as_deref(), Some("T.S. Eliot"));
    assert_eq!(article.metadata.language.as_deref(), Some("en-US"));
    let text = &article.text;
    let order: Vec<usize> = [
        "I. THE BURIAL OF THE DEAD",
        "April is the cruellest month",
        "II. A GAME OF CHESS",
        "V. WHAT THE THUNDER SAID",
    ]
    .iter()
    .map(|part| text.find(part).unwrap_or_else(|| panic!("{part} missing")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
}

/// A chapter the spine names but the package lacks: the rest of the book opens, and the
/// note names what is left out (it used to refuse the whole book).
#[test]
fn an_epub_missing_a_chapter_opens_with_the_rest_and_says_what_is_missing() {
    use std::io::{Read, Write};
    let original = std::fs::read(data("epub3-wasteland.epub")).expect("epub");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(original)).expect("zip");
    let dir = tempfile::tempdir().expect("tempdir");
    let broken = dir.path().join("broken.epub");
    let mut writer = zip::ZipWriter::new(std::fs::File::create(&broken).expect("create"));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("entry");
        let name = entry.name().expect("name").into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("read");
        if name == "EPUB/wasteland.opf" {
            let opf = String::from_utf8(bytes).expect("utf-8");
            let opf = opf
                .replacen(
                    "<manifest>",
                    "<manifest><item id=\"ghost\" href=\"ghost.xhtml\" media-type=\"application/xhtml+xml\"/>",
                    1,
                );
            let opf = match opf.find("<itemref") {
                Some(at) => format!("{}<itemref idref=\"ghost\"/>{}", &opf[..at], &opf[at..]),
                None => panic!("no itemref in {opf}"),
            };
            bytes = opf.into_bytes();
        }
        writer
            .start_file(
                name,
                zip::write::SimpleFileOptions::default()
                    .compression_method(zip::CompressionMethod::Stored),
            )
            .expect("start");
        writer.write_all(&bytes).expect("write");
    }
    writer.finish().expect("finish");
    let article = read_article(&broken).expect("opens anyway");
    assert!(article.text.contains("April is the cruellest month"));
    let note = article.note.expect("a note");
    assert!(note.contains("EPUB/ghost.xhtml"), "{note}");
    assert!(note.contains("left out"), "{note}");
}

#[test]
fn a_right_to_left_epub_reads_in_logical_order() {
    let article = read_article(&data("epub3-regime-anticancer-arabic.epub")).expect("epub");
    assert_eq!(article.metadata.language.as_deref(), Some("ar"));
    assert!(
        article
            .metadata
            .byline
            .as_deref()
            .is_some_and(|b| b.starts_with("Pr David Khayat, Nathalie Hutter-Lardeau")),
        "{:?}",
        article.metadata.byline
    );
    // The first heading as written: logical order (the first letter first).
    assert!(
        article.text.contains("الفصل الثاني\n\nما هو السرطان؟"),
        "{}",
        &article.text[..200]
    );
}

#[test]
fn broken_packages_are_refused_with_the_file_and_the_problem() {
    let dir = tempfile::tempdir().expect("tempdir");
    let whole = std::fs::read(data("python-docx-comments-rich-para.docx")).expect("read");
    for (name, bytes) in [
        ("cut.docx", &whole[..whole.len() / 2]),
        ("text.odt", &b"just some text"[..]),
        ("empty.epub", &b""[..]),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let message = read_article(&path).expect_err("refused").to_string();
        assert!(
            message.contains("is not a readable zip package"),
            "{message}"
        );
        assert!(message.ends_with(&path.display().to_string()), "{message}");
    }
}

// ---------------------------------------------------------------------------------------
// PDF

#[test]
fn a_pdf_reads_as_its_ground_truth_with_its_pages() {
    let article = read_article(&data("libreoffice-trivial.pdf")).expect("pdf");
    assert_eq!(article.format, SourceFormat::Pdf);
    let expected =
        std::fs::read_to_string(data("libreoffice-trivial.expected.txt")).expect("expected");
    assert_eq!(collapsed(&article.text), collapsed(&expected));
    assert_eq!(article.pages, vec![0]);
    assert!(
        article
            .extractor
            .as_deref()
            .is_some_and(|e| e.starts_with("marginalia-pdf")),
        "{:?}",
        article.extractor
    );
}

#[test]
fn page_starts_are_known_for_every_page_and_running_lines_are_left_out() {
    let article = read_article(&data("us-federal-register-2020-17221.pdf")).expect("pdf");
    let chars: Vec<char> = article.text.chars().collect();
    assert_eq!(article.pages.len(), 15, "{:?}", article.pages);
    assert_eq!(article.pages[0], 0);
    assert!(
        article.pages.windows(2).all(|w| w[0] <= w[1]),
        "{:?}",
        article.pages
    );
    assert!(*article.pages.last().expect("pages") < chars.len());
    // The running header of pages 2–15 ("Federal Register / Vol. 85, No. 152 / Thursday,
    // August 6, 2020 / Proposed Rules") is not in the text.
    assert!(
        !article
            .text
            .contains("/ Thursday, August 6, 2020 / Proposed Rules"),
        "running header kept"
    );
    // The print shop's footer line of every page neither.
    assert!(!article.text.contains("VerDate"), "footer kept");
    assert!(!article.text.contains('\u{fb01}'), "ligatures spelled out");
}

#[test]
fn an_encrypted_pdf_with_an_empty_password_opens() {
    let article = read_article(&data("encrypted-aes256-empty-user-password.pdf")).expect("pdf");
    assert_eq!(
        collapsed(&article.text),
        "pdf encryption test password: asdfzxcv"
    );
}

#[test]
fn a_pdf_that_needs_a_password_says_so_and_opens_with_it() {
    let path = data("encrypted-needs-password-openpassword.pdf");
    let error = read_article(&path).expect_err("needs a password");
    assert!(
        matches!(error, IngestError::NeedsPassword { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("needs a password"), "{error}");
    let progress = marginalia::model::Progress::new();
    let wrong = marginalia::ingest::read_article_with_password(&path, "guess", &progress)
        .expect_err("wrong password");
    assert!(
        matches!(wrong, IngestError::WrongPassword { .. }),
        "{wrong:?}"
    );
    let article = marginalia::ingest::read_article_with_password(&path, "openpassword", &progress)
        .expect("opens");
    let expected =
        std::fs::read_to_string(data("libreoffice-trivial.expected.txt")).expect("expected");
    assert_eq!(collapsed(&article.text), collapsed(&expected));
}

#[test]
fn a_scanned_pdf_is_refused_as_needing_ocr() {
    for name in [
        "scanned-huckfinn-p22-no-text-layer.pdf",
        "scanned-linn-two-column-no-text-layer.pdf",
    ] {
        let path = data(name);
        let message = read_article(&path).expect_err("no text layer").to_string();
        assert!(message.contains("no text layer (scanned?)"), "{message}");
        assert!(message.contains("OCR"), "{message}");
        assert!(message.ends_with(&path.display().to_string()), "{message}");
    }
}

#[test]
fn a_truncated_pdf_opens_as_far_as_it_can_be_read_with_a_warning() {
    let path = data("broken-truncated-federal-register.pdf");
    let article = read_article(&path).expect("read as far as possible");
    assert!(
        article.text.contains("Airworthiness Directives"),
        "{}",
        &article.text[..300]
    );
    let note = article.note.expect("a warning");
    assert!(note.contains("the file is incomplete"), "{note}");
    assert!(note.ends_with(&path.display().to_string()), "{note}");
}

#[test]
fn garbage_named_pdf_is_refused_by_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, bytes) in [
        ("empty.pdf", &b""[..]),
        ("text.pdf", &b"This is not a PDF at all, only words."[..]),
        ("header-only.pdf", &b"%PDF-1.7\n%%EOF\n"[..]),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let message = read_article(&path).expect_err("refused").to_string();
        assert!(message.ends_with(&path.display().to_string()), "{message}");
        assert!(
            message.contains("PDF") || message.contains("no text"),
            "{message}"
        );
    }
}

#[test]
fn cjk_text_maps_to_the_right_characters() {
    let article = read_article(&data("japanese-jo.pdf")).expect("pdf");
    // From the preface of "Haru to Shura" (public domain): 「わたくしといふ現象は」.
    assert!(article.text.contains("現象"), "{}", article.text);
    assert!(article.text.contains("心象スケッチ"), "{}", article.text);
}

#[test]
fn a_two_column_paper_reads_column_by_column() {
    let article = read_article(&data("latex-two-column.pdf")).expect("pdf");
    let text = collapsed(&article.text);
    // The left column's first paragraph runs on without the right column's words in it.
    assert!(
        text.contains("Lorem ipsum dolor sit amet, consectetuer adipiscing elit. Ut purus elit, vestibulum ut, placerat ac, adipiscing vitae, felis."),
        "{}",
        &text[..600]
    );
}

/// The Federal Register PDF in a project, with a quote tagged on its second page.
fn paged_workspace(dir: &Path) -> (marginalia::workspace::Workspace, String) {
    use marginalia::model::{CharPos, LabelId, Span};
    let pdf = dir.join("register.pdf");
    std::fs::copy(data("us-federal-register-2020-17221.pdf"), &pdf).expect("copy");
    let mut workspace = marginalia::workspace::Workspace::new_at(&dir.join("p.ron"));
    let doc = workspace.add_document(&pdf).expect("add the PDF");
    let document = workspace.project().document(doc).expect("document").clone();
    assert_eq!(document.pages.len(), 15);
    assert!(document.extractor.is_some());
    let text = workspace.text(doc).expect("text").as_str().to_owned();
    let needle = "Hatta International Airport";
    let start = text[..text.find(needle).expect("needle")].chars().count();
    assert_eq!(document.page_at(start), Some(2), "the words are on page 2");
    let span = Span::between(CharPos(start), CharPos(start + needle.chars().count()));
    workspace
        .annotate(doc, span, &LabelId("quote".into()))
        .expect("annotate");
    (workspace, needle.to_owned())
}

#[test]
fn exports_carry_the_page_of_each_annotation() {
    use marginalia::formats::{self, ExportOptions, Format, Selection};
    let dir = tempfile::tempdir().expect("tempdir");
    let (workspace, needle) = paged_workspace(dir.path());
    let set = workspace.annotation_set(&Selection::default());
    let out = |name: &str| dir.path().join(name);
    for (format, name) in [
        (Format::Csv, "a.csv"),
        (Format::Jsonl, "a.jsonl"),
        (Format::W3c, "a.jsonld"),
        (Format::Html, "a.html"),
        (Format::Brat, "brat"),
    ] {
        formats::export(&set, format, ExportOptions::default(), &out(name)).expect("export");
    }
    let csv = std::fs::read_to_string(out("a.csv")).expect("csv");
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().expect("header").clone();
    let column = |name: &str| header.iter().position(|h| h == name).expect(name);
    let row = reader.records().next().expect("a row").expect("record");
    assert_eq!(&row[column("text")], needle);
    assert_eq!(&row[column("page")], "2");

    let jsonl = std::fs::read_to_string(out("a.jsonl")).expect("jsonl");
    let line: serde_json::Value =
        serde_json::from_str(jsonl.lines().next().expect("line")).expect("json");
    assert_eq!(line["spans"][0]["page"], 2);

    let w3c = std::fs::read_to_string(out("a.jsonld")).expect("w3c");
    let w3c: serde_json::Value = serde_json::from_str(&w3c).expect("json");
    let selectors = w3c.to_string();
    assert!(selectors.contains("\"FragmentSelector\""), "{selectors}");
    assert!(selectors.contains("\"value\":\"page=2\""), "{selectors}");

    let html = std::fs::read_to_string(out("a.html")).expect("html");
    assert!(
        html.contains("<th>Page</th>"),
        "a page column in the report"
    );
    assert!(html.contains("<td>2</td>"));

    let ann = std::fs::read_dir(out("brat"))
        .expect("brat folder")
        .filter_map(Result::ok)
        .find(|e| e.path().extension().is_some_and(|x| x == "ann"))
        .expect("an .ann file");
    let ann = std::fs::read_to_string(ann.path()).expect("ann");
    assert!(ann.contains("Page T1\t2"), "{ann}");
}

#[test]
fn a_saved_project_keeps_the_pages_and_reopens_the_pdf() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut workspace, needle) = paged_workspace(dir.path());
    workspace.save().expect("save");
    let saved = std::fs::read_to_string(dir.path().join("p.ron")).expect("project");
    assert!(
        saved.contains("pages: [0, "),
        "the page starts are in the file"
    );
    assert!(
        saved.contains("extractor: Some(\"marginalia-pdf"),
        "and what read it"
    );
    let reopened = marginalia::workspace::Workspace::open(&dir.path().join("p.ron")).expect("open");
    assert!(reopened.problems().is_empty(), "{:?}", reopened.problems());
    let annotation = reopened.project().annotations().next().expect("annotation");
    assert_eq!(annotation.text(), needle);
}

#[test]
fn a_pdf_read_by_a_newer_extractor_re_anchors_its_annotations_and_says_why() {
    use marginalia::model::{CharPos, LabelId, Span};
    let dir = tempfile::tempdir().expect("tempdir");
    let pdf = dir.path().join("trivial.pdf");
    std::fs::copy(data("libreoffice-trivial.pdf"), &pdf).expect("copy");
    let project = dir.path().join("p.ron");
    let mut workspace = marginalia::workspace::Workspace::new_at(&project);
    let doc = workspace.add_document(&pdf).expect("add");
    let text = workspace.text(doc).expect("text").as_str().to_owned();
    let needle = "takimata sanctus";
    let start = text[..text.find(needle).expect("needle")].chars().count();
    let span = Span::between(CharPos(start), CharPos(start + needle.len()));
    workspace
        .annotate(doc, span, &LabelId("claim".into()))
        .expect("annotate");
    workspace.save().expect("save");
    // As an older extractor would have left it: another version, and the text 5 code
    // points longer before the words (so the annotation's offsets are 5 further on).
    let saved = std::fs::read_to_string(&project).expect("read");
    let older = saved
        .replace(
            marginalia::ingest::PDF_EXTRACTOR,
            "marginalia-pdf 0 (older)",
        )
        .replace(
            &format!("span: ({start}, {})", start + needle.len()),
            &format!("span: ({}, {})", start + 5, start + 5 + needle.len()),
        )
        .replace("char_len: 591", "char_len: 596");
    assert_ne!(older, saved);
    std::fs::write(&project, older).expect("write");
    let reopened = marginalia::workspace::Workspace::open(&project).expect("open");
    let problems = reopened.problems().join("\n");
    assert!(
        problems.contains("read by a newer extractor (marginalia-pdf 0"),
        "{problems}"
    );
    let annotation = reopened.project().annotations().next().expect("annotation");
    assert_eq!(annotation.text(), needle);
    assert_eq!(
        annotation.span.start(),
        CharPos(start),
        "moved back onto its words"
    );
    let document = &reopened.project().documents()[0];
    assert!(
        document
            .extractor
            .as_deref()
            .is_some_and(|e| e == marginalia::ingest::PDF_EXTRACTOR),
        "the record names the extractor now used"
    );
}

#[test]
fn nearly_every_character_of_a_pdf_has_its_box_on_its_page() {
    use marginalia::ingest::pdf_pages::PdfPages;
    // The book's formulas come out of the text extraction rewritten (subscripts as
    // Unicode subscripts): those characters have no glyph of their own.
    for (name, least) in [
        ("us-federal-register-2020-17221.pdf", 0.99),
        ("latex-two-column.pdf", 0.99),
        ("libreoffice-trivial.pdf", 0.99),
        ("geotopo-book-de.pdf", 0.93),
    ] {
        let path = data(name);
        let article = read_article(&path).expect("pdf");
        let text = marginalia::model::DocText::new(article.text.clone());
        let pages = PdfPages::open(std::fs::read(&path).expect("read"), None).expect("open");
        assert_eq!(pages.count(), article.pages.len(), "{name}");
        let mut boxed = 0;
        for page in 0..pages.count() {
            let (width, height) = pages.size(page).expect("size");
            let found = pages.boxes(page, &text, &article.pages);
            for b in &found {
                let [left, top, right, bottom] = b.rect;
                assert!(
                    left >= 0.0 && left < right && right <= width,
                    "{name} p{page}: {b:?}"
                );
                assert!(
                    top >= 0.0 && top < bottom && bottom <= height,
                    "{name} p{page}: {b:?}"
                );
            }
            assert!(found.windows(2).all(|w| w[0].at < w[1].at), "in text order");
            boxed += found.len();
        }
        let visible = article.text.chars().filter(|c| !c.is_whitespace()).count();
        let share = f64::from(u32::try_from(boxed).expect("small"))
            / f64::from(u32::try_from(visible).expect("small"));
        eprintln!("{name}: {share:.4} of {visible} characters have a box");
        assert!(
            share >= least,
            "{name}: only {share:.3} of the characters have a box"
        );
    }
}
