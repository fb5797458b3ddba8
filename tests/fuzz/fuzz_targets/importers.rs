//! Every importer on any file content, the whole path: parsed, then placed into a saved
//! project holding an article (documents resolved, labels added, spans checked, quotes
//! re-anchored). Never panics; an import either applies as one undo step or changes
//! nothing. The first byte picks the format; for brat, the bytes up to the first NUL are the
//! text beside the `.ann` file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use marginalia::formats::{ImportFormat, OffsetUnit, parse_import};
use marginalia::workspace::Workspace;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let (format, name) = match selector % 4 {
        0 => (ImportFormat::Brat, "doc.ann"),
        1 => (ImportFormat::Jsonl, "doc.jsonl"),
        2 => (ImportFormat::W3c, "doc.json"),
        _ => (ImportFormat::Refi, "doc.qdpx"),
    };
    let offsets = if selector & 4 == 0 {
        OffsetUnit::Codepoints
    } else {
        OffsetUnit::Utf16
    };
    let strict = selector & 8 == 0;
    let dir = tempfile::tempdir().expect("tempdir");
    let (text, content) = match rest.iter().position(|&b| b == 0) {
        Some(at) if format == ImportFormat::Brat => (&rest[..at], &rest[at + 1..]),
        _ => (&[][..], rest),
    };
    std::fs::write(dir.path().join("doc.txt"), text).expect("write");
    let path = dir.path().join(name);
    std::fs::write(&path, content).expect("write");
    let Ok(incoming) = parse_import(format, &[path], offsets) else {
        return;
    };
    let article = dir.path().join("article.txt");
    std::fs::write(&article, "Kim Jong Un met Moon Jae-in in Panmunjom.\n").expect("write");
    let mut workspace = Workspace::new_at(&dir.path().join("p.ron"));
    workspace.add_document(&article).expect("add");
    workspace.save().expect("save");
    let before = workspace.project().clone();
    match workspace.import(&incoming, strict) {
        Ok(_) => {
            if workspace.project() != &before {
                workspace.undo().expect("one undo step");
                assert_eq!(workspace.project().annotation_count(), before.annotation_count());
            }
        }
        Err(_) => assert!(workspace.project() == &before, "a refused import changes nothing"),
    }
});
