//! Article ingest on any bytes, the whole path: the bytes are written to a file (as `.txt`,
//! `.md` and `.html`), read from disk through decoding and HTML extraction, and added to a
//! project. Never panics, never hangs; what is read has LF line endings and is what the
//! project holds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use marginalia::ingest::read_article;
use marginalia::workspace::Workspace;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in ["a.txt", "a.md", "a.html"] {
        let path = dir.path().join(name);
        std::fs::write(&path, data).expect("write");
        let read = read_article(&path);
        if let Ok(article) = &read {
            assert!(!article.text.contains('\r'));
        }
        let mut workspace = Workspace::new_at(&dir.path().join("p.ron"));
        match (workspace.add_document(&path), read) {
            (Ok(id), Ok(article)) => {
                let text = workspace.text(id).expect("added documents are loaded");
                assert_eq!(text.as_str(), article.text);
            }
            (Err(_), Err(_)) => {}
            (added, read) => panic!("add and read disagree: {added:?} / {:?}", read.map(|_| ())),
        }
    }
});
