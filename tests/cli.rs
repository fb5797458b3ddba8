//! The command line: `--help`, paths given on the command line, headless `stats`.

use std::process::Command;

use marginalia::cli::open_paths;

fn marginalia() -> Command {
    Command::new(env!("CARGO_BIN_EXE_marginalia"))
}

#[test]
fn help_describes_the_usage() {
    let out = marginalia().arg("--help").output().expect("run");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Usage: marginalia"), "{text}");
    assert!(text.contains("[PATHS]..."), "{text}");
    assert!(text.contains("stats"), "{text}");
}

#[test]
fn stats_reports_the_sample_project() {
    let out = marginalia()
        .args(["stats", "projects/us-allies-missile-defence.ron"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("1 document(s)"), "{text}");
    assert!(text.contains("Person"), "{text}");
}

#[test]
fn stats_on_a_broken_project_fails_with_the_path_and_position() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("broken.ron");
    std::fs::write(&path, "(\n  version: 1,\n  name: \"x\"\n  oops\n)").expect("write");
    let out = marginalia().arg("stats").arg(&path).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 4"), "{err}");
    assert!(err.contains(&path.display().to_string()), "{err}");
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        "(\n  version: 1,\n  name: \"x\"\n  oops\n)"
    );
}

#[test]
fn a_new_project_path_and_documents_make_a_project_to_be_saved_there() {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = dir.path().join("a.txt");
    std::fs::write(&article, "Hello “world”.").expect("write");
    let project = dir.path().join("new.ron");
    let (workspace, problems) = open_paths(&[project.clone(), article]);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(workspace.path(), Some(project.as_path()));
    assert_eq!(workspace.project().documents().len(), 1);
    assert_eq!(workspace.project().documents()[0].path, "a.txt");
    assert!(workspace.is_dirty());
    assert!(!project.exists(), "nothing is written before saving");
}

#[test]
fn unreadable_paths_are_reported_and_the_rest_still_opens() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = dir.path().join("good.md");
    std::fs::write(&good, "# Good\n\ntext").expect("write");
    let bad = dir.path().join("missing.txt");
    let binary = dir.path().join("image.txt");
    std::fs::write(&binary, b"\x89PNG\r\n\x1a\n\0\0").expect("write");
    let (workspace, problems) = open_paths(&[bad.clone(), good, binary.clone()]);
    assert_eq!(workspace.project().documents().len(), 1);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].ends_with(&bad.display().to_string()));
    assert!(problems[1].contains("binary"), "{problems:?}");
}
