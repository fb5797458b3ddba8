//! Article ingest (decoding, HTML extraction) on any bytes: never panics, gives LF text.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use marginalia::ingest::article_from_bytes;
use marginalia::model::SourceFormat;

fuzz_target!(|data: &[u8]| {
    for format in [SourceFormat::PlainText, SourceFormat::Html] {
        if let Ok(article) = article_from_bytes(data, format, Path::new("a")) {
            assert!(!article.text.contains('\r'));
        }
    }
});
