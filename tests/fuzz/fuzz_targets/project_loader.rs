//! The project loader on any bytes: never panics; whatever loads saves and loads back the same.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use marginalia::store::{self, LoadMode};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for mode in [LoadMode::Strict, LoadMode::SetAsideInvalid] {
        if let Ok(loaded) = store::parse(&text, Path::new("p.ron"), mode) {
            let again = store::to_ron(&loaded.project).expect("serialize");
            let reloaded = store::parse(&again, Path::new("p.ron"), LoadMode::Strict)
                .expect("what loads must load again after saving");
            assert_eq!(reloaded.project, loaded.project);
        }
    }
});
