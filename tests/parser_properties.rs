//! Property tests of every parser that reads files from elsewhere: the project loader, the
//! article ingest and the importers never panic on any input, and what they accept is
//! consistent. (The same entry points are fuzzed for longer by the targets in
//! `tests/fuzz/`.)

use std::path::Path;

use marginalia::formats::{ImportFormat, OffsetUnit, parse_import};
use marginalia::ingest::article_from_bytes;
use marginalia::model::{DocText, SourceFormat};
use marginalia::store::{self, LoadMode};
use proptest::prelude::*;

/// A valid project file to mutate.
const GOOD: &str = include_str!("data/bad_inputs/good.ron");

/// `text` with a few random byte-level edits (insert, delete, overwrite).
fn mutated() -> impl Strategy<Value = String> {
    prop::collection::vec((any::<prop::sample::Index>(), 0u8..3, any::<u8>()), 1..6).prop_map(
        |edits| {
            let mut bytes = GOOD.as_bytes().to_vec();
            for (at, kind, byte) in edits {
                let i = at.index(bytes.len().max(1));
                match kind {
                    0 => bytes.insert(i, byte),
                    1 if !bytes.is_empty() => {
                        bytes.remove(i.min(bytes.len() - 1));
                    }
                    _ if !bytes.is_empty() => {
                        let last = bytes.len() - 1;
                        bytes[i.min(last)] = byte;
                    }
                    _ => {}
                }
            }
            String::from_utf8_lossy(&bytes).into_owned()
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn the_project_loader_never_panics_on_mutated_files(text in mutated()) {
        let path = Path::new("p.ron");
        for mode in [LoadMode::Strict, LoadMode::SetAsideInvalid] {
            if let Ok(loaded) = store::parse(&text, path, mode) {
                // Whatever loads saves and loads back to the same project (but the document
                // last viewed, kept per analyst outside the file since version 7).
                let mut project = loaded.project;
                project.last_document = None;
                let again = store::to_ron(&project).expect("serialize");
                let reloaded = store::parse(&again, path, LoadMode::Strict).expect("reload");
                prop_assert_eq!(reloaded.project, project);
            }
        }
    }

    #[test]
    fn the_project_loader_never_panics_on_random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = store::parse(&text, Path::new("p.ron"), LoadMode::SetAsideInvalid);
    }

    #[test]
    fn ingest_never_panics_and_gives_lf_text(bytes in prop::collection::vec(any::<u8>(), 0..1024)) {
        for format in [SourceFormat::PlainText, SourceFormat::Markdown, SourceFormat::Html] {
            if let Ok(article) = article_from_bytes(&bytes, format, Path::new("a")) {
                prop_assert!(!article.text.contains('\r'));
                let text = DocText::new(article.text.clone());
                prop_assert_eq!(text.char_len(), article.text.chars().count());
            }
        }
    }

    #[test]
    fn html_ingest_never_panics_on_tag_soup(
        parts in prop::collection::vec(
            prop::sample::select(vec![
                "<p>", "</p>", "<div>", "</div>", "<script>", "</script>", "<meta charset=\"koi8-r\">",
                "<title>", "</title>", "text “quoted” ", "<br>", "&amp;", "&#0;", "<!--", "-->",
                "<article>", "</article>", "\u{0}", "\r\n", "<h1>", "</h1>",
            ]),
            0..60,
        )
    ) {
        let page = parts.concat();
        let _ = article_from_bytes(page.as_bytes(), SourceFormat::Html, Path::new("p.html"));
    }

    #[test]
    fn importers_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600), text in "[a-zA-Z “”\n]{0,80}") {
        let dir = tempfile::tempdir().expect("tempdir");
        let cases = [
            (ImportFormat::Brat, "doc.ann"),
            (ImportFormat::Jsonl, "doc.jsonl"),
            (ImportFormat::W3c, "doc.json"),
            (ImportFormat::Refi, "doc.qdpx"),
        ];
        std::fs::write(dir.path().join("doc.txt"), &text).expect("write text");
        for (format, name) in cases {
            let path = dir.path().join(name);
            std::fs::write(&path, &bytes).expect("write");
            for offsets in [OffsetUnit::Codepoints, OffsetUnit::Utf16] {
                let _ = parse_import(format, std::slice::from_ref(&path), offsets);
            }
        }
    }

    #[test]
    fn importers_never_panic_on_almost_valid_lines(
        start in 0usize..200, end in 0usize..200, label in "[A-Za-z_]{0,8}", quote in "[a-z “”\t]{0,12}",
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("doc.txt"), "Chuck Hagel met “Kim” in Singapore.\n").expect("write");
        let ann = dir.path().join("doc.ann");
        std::fs::write(&ann, format!("T1\t{label} {start} {end}\t{quote}\nT2\t{label} {start} {end};{end} {start}\t{quote}\n#1\tAnnotatorNotes T1\t{quote}\n")).expect("write");
        let _ = parse_import(ImportFormat::Brat, std::slice::from_ref(&ann), OffsetUnit::Codepoints);
        let jsonl = dir.path().join("doc.jsonl");
        let line = serde_json::json!({"text": quote, "label": [[start, end, label]], "spans": [{"start": end, "end": start, "label": label}]});
        std::fs::write(&jsonl, format!("{line}\n")).expect("write");
        for offsets in [OffsetUnit::Codepoints, OffsetUnit::Utf16] {
            let _ = parse_import(ImportFormat::Jsonl, std::slice::from_ref(&jsonl), offsets);
        }
        let w3c = dir.path().join("doc.json");
        let value = serde_json::json!({
            "@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation", "id": "x",
            "body": {"type": "TextualBody", "purpose": "tagging", "value": label},
            "target": {"source": "doc.txt", "selector": [
                {"type": "TextPositionSelector", "start": start, "end": end},
                {"type": "TextQuoteSelector", "exact": quote}
            ]}
        });
        std::fs::write(&w3c, value.to_string()).expect("write");
        let _ = parse_import(ImportFormat::W3c, std::slice::from_ref(&w3c), OffsetUnit::Codepoints);
    }
}
