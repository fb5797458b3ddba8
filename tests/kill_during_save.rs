//! Crash safety of saving: a child process saves a large project over and over (two
//! versions in turn) and is killed with SIGKILL at a random moment, 200 times. Each time, the
//! project file must be exactly one of the two versions and load; so must its backup.
//!
//! The child is this test binary itself, running the ignored `saving_child` test.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use marginalia::model::{
    Annotation, AnnotationId, CharPos, Document, DocumentId, Edit, LabelId, Metadata, Project,
    SourceFormat, Span,
};
use marginalia::store;

const TRIALS: usize = 200;
const ANNOTATIONS: usize = 5_000;
const DIR_VARIABLE: &str = "MARGINALIA_KILL_TEST_DIR";

/// Version `which` (0 or 1) of a project with many annotations; the two differ in every
/// annotation's note, so a mix of both would show.
fn version(which: u8) -> Project {
    let mut project = Project::new(format!("kill test, version {which}"));
    let doc = project.add_document(Document {
        id: DocumentId::default(),
        path: "article.txt".to_owned(),
        sha256: "0".repeat(64),
        format: SourceFormat::PlainText,
        encoding: "UTF-8".to_owned(),
        encoding_chosen: false,
        char_len: ANNOTATIONS * 10 + 10,
        metadata: Metadata::default(),
        status: marginalia::model::DocumentStatus::default(),
        assigned: Vec::new(),
        ..Document::default()
    });
    let annotations = (0..ANNOTATIONS)
        .map(|i| Annotation {
            id: AnnotationId(i as u64 + 1),
            document: doc,
            label: LabelId(if i % 3 == 0 { "claim" } else { "person" }.into()),
            span: Span::between(CharPos(i * 10), CharPos(i * 10 + 8)),
            fragments: Vec::new(),
            excerpt: marginalia::model::Excerpt::held(
                "“Quoted”",
                "some text before the passage ",
                " and after it, in context",
            ),
            entity: None,
            attrs: marginalia::model::Attributes::default(),
            note: format!("note of version {which} on annotation {i}"),
            author: "analyst".to_owned(),
            changed_by: String::new(),
            created: jiff::Timestamp::UNIX_EPOCH,
            modified: jiff::Timestamp::UNIX_EPOCH,
        })
        .collect();
    project
        .apply(Edit::Insert(annotations))
        .expect("insert annotations");
    project
}

/// The child: saves the two versions in turn until killed. Does nothing when run by hand.
#[test]
#[ignore = "run by kill_during_save_leaves_the_old_or_the_new_version as its child process"]
fn saving_child() {
    let Some(dir) = std::env::var_os(DIR_VARIABLE) else {
        return;
    };
    let path = PathBuf::from(dir).join("project.ron");
    let versions = [version(0), version(1)];
    println!("ready");
    for i in 0.. {
        store::save(&versions[i % 2], &path).expect("save");
    }
}

/// A small deterministic generator for the kill moments.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn check(path: &Path, expected: &[String; 2], trial: usize) {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("trial {trial}: {} unreadable: {e}", path.display()));
    assert!(
        expected.contains(&text),
        "trial {trial}: {} is neither version ({} bytes)",
        path.display(),
        text.len()
    );
    let loaded = store::load(path).unwrap_or_else(|e| panic!("trial {trial}: {e}"));
    assert_eq!(loaded.annotation_count(), ANNOTATIONS);
}

#[test]
fn kill_during_save_leaves_the_old_or_the_new_version() {
    let expected = [0, 1].map(|v| store::to_ron(&version(v)).expect("serialize"));
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("project.ron");
    let backup = dir.path().join("project.ron.bak");
    store::save(&version(0), &path).expect("first save");
    let exe = std::env::current_exe().expect("test binary");
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    for trial in 0..TRIALS {
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "kill_during_save::saving_child",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(DIR_VARIABLE, dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn the child");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let ready = lines.any(|l| l.is_ok_and(|l| l.trim_end().ends_with("ready")));
        assert!(ready, "trial {trial}: the child did not start");
        std::thread::sleep(Duration::from_micros(rng.below(150_000)));
        child.kill().expect("SIGKILL");
        child.wait().expect("reap");
        check(&path, &expected, trial);
        if backup.exists() {
            check(&backup, &expected, trial);
        }
    }
    // The next save clears the temporary files the killed ones left.
    store::save(&version(1), &path).expect("a save after the kills");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .map(|e| e.file_name())
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
