//! Every importer on any file content: never panics. The first byte picks the format; for
//! brat, the bytes up to the first NUL are the text beside the `.ann` file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use marginalia::formats::{ImportFormat, OffsetUnit, parse_import};

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
    let dir = tempfile::tempdir().expect("tempdir");
    let (text, content) = match rest.iter().position(|&b| b == 0) {
        Some(at) if format == ImportFormat::Brat => (&rest[..at], &rest[at + 1..]),
        _ => (&[][..], rest),
    };
    std::fs::write(dir.path().join("doc.txt"), text).expect("write");
    let path = dir.path().join(name);
    std::fs::write(&path, content).expect("write");
    let _ = parse_import(format, &[path], offsets);
});
