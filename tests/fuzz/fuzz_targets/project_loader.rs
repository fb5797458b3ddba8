//! The project loader on any bytes, the whole path: written as a project file beside an
//! article, opened from disk (the block reader, the whole-file reader, the documents read
//! and fitted) strictly and "anyway". Never panics, never hangs; whatever opens saves and
//! opens back the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use marginalia::store::LoadMode;
use marginalia::workspace::Workspace;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("article.txt"),
        "Defense Secretary Chuck Hagel arrived in Singapore on Friday.\n",
    )
    .expect("write");
    let path = dir.path().join("p.ron");
    for mode in [LoadMode::Strict, LoadMode::SetAsideInvalid] {
        std::fs::write(&path, data).expect("write");
        if let Ok(mut workspace) = Workspace::open_with(&path, mode) {
            let project = workspace.project().clone();
            workspace.save_overwriting().expect("what opens can be saved");
            let again = Workspace::open(&path).expect("what was saved opens strictly");
            assert_eq!(again.project().annotation_count(), project.annotation_count());
        }
    }
});
