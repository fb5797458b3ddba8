//! Issue 5 without a window: changed and missing sources, the review list, encodings,
//! migration of older project files, "open anyway", changes by another program, and
//! recovery of unsaved work.

use std::path::{Path, PathBuf};

use marginalia::model::{CharPos, DocumentId, LabelId, Span};
use marginalia::store::{self, LoadMode, StoreError};
use marginalia::workspace::{DocumentState, Workspace};

const ARTICLE: &str = "Defense Secretary Chuck Hagel arrived in Singapore on Friday.\n\
The Pentagon said the Patriot battery would stay in Turkey.\n\
Analysts doubt the plan will reassure allies in the region.\n";

fn label(id: &str) -> LabelId {
    LabelId(id.into())
}

fn span_of(text: &str, needle: &str) -> Span {
    let byte = text.find(needle).expect("needle in text");
    let start = text[..byte].chars().count();
    Span::between(CharPos(start), CharPos(start + needle.chars().count()))
}

/// A saved project with one document and three annotations, one per paragraph.
fn annotated(dir: &Path) -> (PathBuf, PathBuf, DocumentId) {
    let article = dir.join("article.txt");
    std::fs::write(&article, ARTICLE).expect("write article");
    let path = dir.join("p.ron");
    let mut workspace = Workspace::new_at(&path);
    let doc = workspace.add_document(&article).expect("add");
    for (needle, id) in [
        ("Chuck Hagel", "person"),
        ("Patriot battery", "equipment"),
        ("Analysts doubt the plan will reassure allies", "claim"),
    ] {
        workspace
            .annotate(doc, span_of(ARTICLE, needle), &label(id))
            .expect("annotate");
    }
    workspace.save().expect("save");
    (path, article, doc)
}

fn texts(workspace: &Workspace, doc: DocumentId) -> Vec<String> {
    workspace
        .project()
        .annotations_of(doc)
        .iter()
        .map(|a| a.text().to_owned())
        .collect()
}

#[test]
fn a_changed_source_is_re_anchored_and_what_is_lost_waits_for_review() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, article, doc) = annotated(dir.path());
    let before = std::fs::read(&path).expect("read project");
    // A new first paragraph shifts everything; the Patriot sentence is reworded.
    let edited = format!(
        "UPDATE: this story was corrected.\n{}",
        ARTICLE.replace("the Patriot battery", "its missile-defence unit")
    );
    std::fs::write(&article, &edited).expect("edit article");

    let mut workspace = Workspace::open(&path).expect("open");
    assert_eq!(
        std::fs::read(&path).expect("read"),
        before,
        "opening changes nothing on disk"
    );
    let text = workspace.text(doc).expect("loaded").as_str().to_owned();
    assert_eq!(text, edited);
    // The two intact passages moved with the text, and still cover their words.
    for annotation in workspace.project().annotations_of(doc) {
        assert_eq!(
            &text
                .chars()
                .skip(annotation.span.start().0)
                .take(annotation.span.len())
                .collect::<String>(),
            &annotation.text()
        );
    }
    assert_eq!(
        texts(&workspace, doc),
        [
            "Chuck Hagel",
            "Analysts doubt the plan will reassure allies"
        ]
    );
    // The reworded one is not moved to other text: it waits, with its old text.
    let orphans = workspace.orphans_of(doc);
    assert_eq!(orphans.len(), 1);
    assert_eq!(orphans[0].annotation.text(), "Patriot battery");
    let problem = &workspace.problems()[0];
    assert!(
        problem.contains("2 annotation(s) re-anchored, 1 need review"),
        "{problem}"
    );
    assert!(
        workspace.is_dirty(),
        "re-anchoring is saved by the next save"
    );

    // The analyst attaches it to the new wording; one undo step; undo puts it back.
    let orphan = orphans[0].annotation.id;
    let new_place = span_of(&edited, "missile-defence unit");
    workspace.attach_orphan(orphan, new_place).expect("attach");
    assert_eq!(
        workspace
            .project()
            .annotation(orphan)
            .map(marginalia::model::Annotation::text),
        Some("missile-defence unit")
    );
    assert!(workspace.orphans_of(doc).is_empty());
    workspace.undo().expect("undo");
    assert!(workspace.project().annotation(orphan).is_none());
    assert_eq!(workspace.orphans_of(doc).len(), 1);
    workspace.redo().expect("redo");

    // Saved and reopened: the new positions, nothing on the review list, no warning.
    workspace.save().expect("save");
    let reopened = Workspace::open(&path).expect("reopen");
    assert_eq!(reopened.project().annotation_count(), 3);
    assert!(reopened.problems().is_empty(), "{:?}", reopened.problems());
}

#[test]
fn orphans_survive_saving_and_can_be_discarded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, article, doc) = annotated(dir.path());
    std::fs::write(
        &article,
        "Nothing of the old article remains here at all.\n",
    )
    .expect("rewrite article");
    let mut workspace = Workspace::open(&path).expect("open");
    assert_eq!(workspace.project().annotation_count(), 0);
    assert_eq!(workspace.orphans_of(doc).len(), 3);
    workspace.save().expect("save");

    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains("orphans: ["), "{text}");
    let mut reopened = Workspace::open(&path).expect("reopen");
    assert_eq!(
        reopened.orphans_of(doc).len(),
        3,
        "still waiting after a save"
    );
    let ids = reopened
        .orphans_of(doc)
        .iter()
        .map(|o| o.annotation.id)
        .collect::<Vec<_>>();
    reopened.discard_orphans(ids).expect("discard");
    assert!(reopened.orphans_of(doc).is_empty());
    reopened.undo().expect("undo");
    assert_eq!(reopened.orphans_of(doc).len(), 3, "discarding is undoable");
}

#[test]
fn a_moved_source_is_located_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, article, doc) = annotated(dir.path());
    let moved = dir.path().join("archive").join("renamed.txt");
    std::fs::create_dir_all(moved.parent().expect("parent")).expect("mkdir");
    std::fs::rename(&article, &moved).expect("move");

    let mut workspace = Workspace::open(&path).expect("open");
    assert!(matches!(
        workspace.document_state(doc),
        Some(DocumentState::Unavailable(_))
    ));
    assert_eq!(
        workspace.project().annotation_count(),
        3,
        "kept while missing"
    );
    let wrong = dir.path().join("nope.txt");
    let error = workspace.locate(doc, &wrong).expect_err("missing file");
    assert!(error.ends_with(&wrong.display().to_string()), "{error}");
    assert!(
        workspace.text(doc).is_none(),
        "a failed locate changes nothing"
    );

    workspace.locate(doc, &moved).expect("locate");
    assert!(workspace.text(doc).is_some());
    assert_eq!(workspace.project().annotation_count(), 3);
    // Found again, the annotations read their words from the text (no copies kept), and
    // locating the same file once more points them at the new reading.
    let shared = |workspace: &Workspace| {
        let text = workspace.shared_text(doc).expect("text");
        let annotations = workspace.project().annotations_of(doc);
        annotations.iter().all(|a| a.excerpt.is_in(&text))
    };
    assert!(shared(&workspace));
    workspace.locate(doc, &moved).expect("locate again");
    assert!(shared(&workspace));
    workspace.save().expect("save");
    let reopened = Workspace::open(&path).expect("reopen");
    assert_eq!(
        reopened.project().document(doc).map(|d| d.path.as_str()),
        Some("archive/renamed.txt")
    );
    assert!(reopened.problems().is_empty());
}

#[test]
fn the_analyst_can_choose_the_encoding_and_it_is_remembered() {
    let dir = tempfile::tempdir().expect("tempdir");
    // "Привет, мир" in KOI8-R: a detector may read it as another Cyrillic encoding.
    let koi8: &[u8] = b"\xf0\xd2\xc9\xd7\xc5\xd4, \xcd\xc9\xd2! \xf0\xd2\xc9\xd7\xc5\xd4.";
    let article = dir.path().join("ru.txt");
    std::fs::write(&article, koi8).expect("write");
    let path = dir.path().join("p.ron");
    let mut workspace = Workspace::new_at(&path);
    let doc = workspace.add_document(&article).expect("add");
    workspace.set_encoding(doc, "KOI8-R").expect("choose");
    assert!(
        workspace
            .text(doc)
            .expect("text")
            .as_str()
            .starts_with("Привет, мир")
    );
    let error = workspace
        .set_encoding(doc, "klingon")
        .expect_err("unknown encoding");
    assert!(error.contains("unknown encoding \"klingon\""), "{error}");
    workspace.save().expect("save");
    let reopened = Workspace::open(&path).expect("reopen");
    let document = reopened.project().document(doc).expect("document");
    assert_eq!(
        (document.encoding.as_str(), document.encoding_chosen),
        ("KOI8-R", true)
    );
    assert!(
        reopened
            .text(doc)
            .expect("text")
            .as_str()
            .starts_with("Привет")
    );
}

#[test]
fn an_older_project_file_is_migrated_and_its_original_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _, _) = annotated(dir.path());
    let current = std::fs::read_to_string(&path).expect("read");
    // Version 1 had no review list.
    let version_1 = current
        .replace(
            &format!("version: {},", store::FORMAT_VERSION),
            "version: 1,",
        )
        .replace("    orphans: [\n    ],\n", "");
    assert_ne!(version_1, current);
    std::fs::write(&path, &version_1).expect("write v1");

    let mut workspace = Workspace::open(&path).expect("open v1");
    assert_eq!(workspace.project().annotation_count(), 3);
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        version_1,
        "not rewritten by opening"
    );
    workspace.save().expect("save");
    let backup = dir.path().join("p.ron.v1.bak");
    assert_eq!(std::fs::read_to_string(&backup).expect("backup"), version_1);
    let saved = std::fs::read_to_string(&path).expect("read");
    assert!(saved.contains(&format!("version: {},", store::FORMAT_VERSION)));
}

#[test]
fn open_anyway_loads_what_is_valid_and_keeps_the_rest_for_review() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _, doc) = annotated(dir.path());
    let text = std::fs::read_to_string(&path).expect("read");
    let broken = text.replace("label: \"person\"", "label: \"no_such_label\"");
    std::fs::write(&path, &broken).expect("write");

    let error = Workspace::open(&path).expect_err("strict open refuses");
    let message = error.to_string();
    assert!(message.contains("\"no_such_label\""), "{message}");
    assert!(message.ends_with(&path.display().to_string()), "{message}");

    let mut workspace =
        Workspace::open_with(&path, LoadMode::SetAsideInvalid).expect("open anyway");
    assert_eq!(workspace.project().annotation_count(), 2);
    let orphans = workspace.orphans_of(doc);
    assert_eq!(orphans.len(), 1);
    assert!(orphans[0].reason.contains("no_such_label"));
    assert!(
        workspace.problems()[0].contains("waits on the review list"),
        "{:?}",
        workspace.problems()
    );
    assert!(workspace.is_dirty());
    workspace.save().expect("save");
    // Nothing was dropped: the set-aside annotation is in the file, now loadable strictly.
    let reopened = Workspace::open(&path).expect("strict open after save");
    assert_eq!(reopened.project().annotation_count(), 2);
    assert_eq!(reopened.orphans_of(doc).len(), 1);
}

#[test]
fn a_project_changed_by_another_window_is_never_silently_overwritten() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _, doc) = annotated(dir.path());
    let mut first = Workspace::open(&path).expect("first window");
    let mut second = Workspace::open(&path).expect("second window");

    first
        .remove(vec![first.project().annotations_of(doc)[0].id])
        .expect("remove");
    first.save().expect("first saves");
    assert!(second.changed_on_disk());

    let span = second.project().annotations_of(doc)[0].span;
    second
        .annotate(doc, span, &label("organization"))
        .expect("annotate");
    let error = second.save().expect_err("refused");
    assert!(matches!(error, StoreError::ChangedOnDisk { .. }), "{error}");
    assert!(error.to_string().ends_with(&path.display().to_string()));
    let on_disk = Workspace::open(&path).expect("read");
    assert_eq!(
        on_disk.project().annotation_count(),
        2,
        "first window's save intact"
    );

    // Save As elsewhere works; so does an explicit overwrite, keeping the other as .bak.
    second
        .save_as(&dir.path().join("mine.ron"))
        .expect("save as");
    assert!(!second.changed_on_disk());
    let mut third = Workspace::open(&path).expect("third");
    std::fs::write(&path, std::fs::read(&path).expect("read")).expect("touch");
    third
        .annotate(doc, span, &label("person"))
        .expect("annotate");
    third.save_overwriting().expect("overwrite");
    assert!(dir.path().join("p.ron.bak").exists());
}

/// Issue 15, item 1: a save that passed its first look at the file, while another program
/// saves the same project, must look again (under the lock) right before it renames.
#[test]
fn a_save_never_overwrites_a_version_written_while_it_ran() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _, doc) = annotated(dir.path());
    let mut window = Workspace::open(&path).expect("window");
    let span = window.project().annotations_of(doc)[0].span;
    window
        .annotate(doc, span, &label("person"))
        .expect("annotate");
    // Another program is in the middle of its save.
    let lock = store::ProjectLock::acquire(&path, std::time::Duration::ZERO, "marginalia add")
        .expect("lock");
    let saving = std::thread::spawn(move || window.save());
    std::thread::sleep(std::time::Duration::from_millis(300));
    let theirs = std::fs::read_to_string(&path)
        .expect("read")
        .replace("name: \"p\"", "name: \"theirs\"");
    std::fs::write(&path, &theirs).expect("their save");
    drop(lock);
    let error = saving.join().expect("thread").expect_err("refused");
    assert!(matches!(error, StoreError::ChangedOnDisk { .. }), "{error}");
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        theirs,
        "their version stays"
    );
}

/// A save waits only so long for another program's save, then says who holds the project.
#[test]
fn a_save_blocked_by_another_program_names_it_and_keeps_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _, doc) = annotated(dir.path());
    let before = std::fs::read(&path).expect("read");
    let mut window = Workspace::open(&path).expect("window");
    window
        .remove(vec![window.project().annotations_of(doc)[0].id])
        .expect("remove");
    let _lock = store::ProjectLock::acquire(&path, std::time::Duration::ZERO, "marginalia import")
        .expect("lock");
    let error = window.save().expect_err("refused after waiting");
    assert!(matches!(error, StoreError::Locked { .. }), "{error}");
    let message = error.to_string();
    assert!(message.contains("marginalia import (process"), "{message}");
    assert!(message.ends_with(&path.display().to_string()), "{message}");
    assert_eq!(std::fs::read(&path).expect("read"), before);
    assert!(window.is_dirty(), "the change stays, unsaved");
}

/// Issue 15, item 14: a save keeps the file's permissions, and writes through a link to the
/// project file instead of replacing the link with a copy (the real file went stale).
#[test]
fn a_save_keeps_the_mode_and_writes_through_a_link() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _, doc) = annotated(dir.path());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let mut workspace = Workspace::open(&path).expect("open");
    let span = workspace.project().annotations_of(doc)[0].span;
    workspace
        .annotate(doc, span, &label("person"))
        .expect("annotate");
    workspace.save().expect("save");
    let mode = std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "still private: {mode:o}");

    // The project file is a link into another folder (a shared checkout, say).
    let link = dir.path().join("linked.ron");
    std::os::unix::fs::symlink(&path, &link).expect("symlink");
    let mut through = Workspace::open(&link).expect("open the link");
    let before = through.project().annotation_count();
    through
        .remove(vec![through.project().annotations_of(doc)[0].id])
        .expect("remove");
    through.save().expect("save through the link");
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("meta")
            .file_type()
            .is_symlink(),
        "the link stays a link"
    );
    let real = Workspace::open(&path).expect("the real file");
    assert_eq!(real.project().annotation_count(), before - 1, "written");
    let mode = std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn unsaved_work_is_recovered_after_a_crash() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _, doc) = annotated(dir.path());
    let saved = std::fs::read(&path).expect("read");
    assert!(Workspace::find_recovery(&path).is_none());
    {
        let mut workspace = Workspace::open(&path).expect("open");
        let span = workspace.project().annotations_of(doc)[0].span;
        workspace
            .annotate(doc, span, &label("organization"))
            .expect("annotate");
        workspace.write_recovery().expect("autosave");
        // ... and the process dies here without saving.
    }
    assert_eq!(
        std::fs::read(&path).expect("read"),
        saved,
        "project untouched"
    );
    let recovery = Workspace::find_recovery(&path).expect("offered");
    assert_eq!(
        (recovery.annotations, recovery.saved_annotations),
        (4, Some(3))
    );
    assert!(recovery.written.is_some() && recovery.saved.is_some());

    let mut restored = Workspace::restore_recovery(&path).expect("restore");
    assert_eq!(restored.project().annotation_count(), 4);
    assert!(restored.is_dirty(), "restored work still needs saving");
    assert_eq!(restored.path(), Some(path.as_path()));
    // The project file is stamped as it is: a change by another program is noticed.
    assert!(!restored.changed_on_disk());
    std::fs::write(&path, [saved.as_slice(), b"// edited elsewhere\n"].concat()).expect("edit");
    assert!(
        restored.changed_on_disk(),
        "a later change to the file is noticed"
    );
    std::fs::write(&path, &saved).expect("put back");
    restored.save().expect("save");
    assert!(
        Workspace::find_recovery(&path).is_none(),
        "saved: recovery removed"
    );
    assert_eq!(
        Workspace::open(&path)
            .expect("open")
            .project()
            .annotation_count(),
        4
    );

    // Discarding: the recovery file goes, the project stays as saved.
    let mut workspace = Workspace::open(&path).expect("open");
    workspace
        .remove(vec![workspace.project().annotations_of(doc)[0].id])
        .expect("remove");
    workspace.write_recovery().expect("autosave");
    assert!(Workspace::find_recovery(&path).is_some());
    workspace.discard_recovery();
    assert!(Workspace::find_recovery(&path).is_none());
}

#[test]
fn a_failed_save_leaves_the_old_file_and_says_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _, doc) = annotated(dir.path());
    let before = std::fs::read(&path).expect("read");
    let mut workspace = Workspace::open(&path).expect("open");
    workspace
        .remove(vec![workspace.project().annotations_of(doc)[0].id])
        .expect("remove");
    // The temporary file cannot be created (a folder is in its way), as on a full disk or
    // a read-only folder.
    let blocker = dir.path().join(format!("p.ron.tmp-{}", std::process::id()));
    std::fs::create_dir(&blocker).expect("block");
    let error = workspace.save().expect_err("refused");
    let message = error.to_string();
    assert!(
        message.contains("the previous file is unchanged"),
        "{message}"
    );
    assert!(message.ends_with(&path.display().to_string()), "{message}");
    assert_eq!(
        std::fs::read(&path).expect("read"),
        before,
        "old file intact"
    );
    assert!(workspace.is_dirty(), "the change is still unsaved");
    std::fs::remove_dir(&blocker).expect("unblock");
    workspace.save().expect("saves once possible");
    assert_eq!(
        Workspace::open(&path)
            .expect("open")
            .project()
            .annotation_count(),
        2
    );
}

#[test]
fn unsaved_work_of_a_project_never_saved_is_recovered_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    let recovery_dir = dir.path().join("recovery");
    let article = dir.path().join("article.txt");
    std::fs::write(&article, ARTICLE).expect("write article");
    let mut workspace = Workspace::untitled();
    workspace.set_recovery_dir(Some(recovery_dir.clone()));
    let doc = workspace.add_document(&article).expect("add");
    workspace
        .annotate(doc, span_of(ARTICLE, "Chuck Hagel"), &label("person"))
        .expect("annotate");
    workspace.write_recovery().expect("autosave");
    let own = workspace.recovery_file().expect("a recovery file");
    assert!(own.exists());
    assert!(
        Workspace::find_untitled_recoveries(&recovery_dir).is_empty(),
        "not offered while its window runs"
    );
    // The window dies: its file now looks like that of a process that is gone.
    drop(workspace);
    let orphaned = recovery_dir.join("untitled-4000000000.ron.recovery");
    std::fs::rename(&own, &orphaned).expect("rename");

    let found = Workspace::find_untitled_recoveries(&recovery_dir);
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].annotations, found[0].project.is_none()),
        (1, true)
    );
    let mut restored = Workspace::restore_untitled(&orphaned, &recovery_dir).expect("restore");
    assert_eq!(restored.project().annotation_count(), 1);
    assert!(restored.text(doc).is_some(), "its document is read again");
    assert!(restored.is_dirty());
    assert!(!orphaned.exists(), "taken over by this window");
    assert!(
        restored.recovery_file().is_some_and(|f| f.exists()),
        "still on disk"
    );
    restored
        .save_as(&dir.path().join("named.ron"))
        .expect("save as");
    assert!(
        std::fs::read_dir(&recovery_dir)
            .expect("list")
            .next()
            .is_none(),
        "saved: no recovery file left"
    );
}

/// A folder holding a copy of the sample project's article, the `projects` folder, and the
/// sample project file's text (for an older version of it to be made in the folder).
fn sample_beside_its_article() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let projects = Path::new(env!("CARGO_MANIFEST_DIR")).join("projects");
    let article = "us-allies-intel-swaps-north-korea-missiles.txt";
    std::fs::copy(projects.join(article), dir.path().join(article)).expect("copy article");
    let current =
        std::fs::read_to_string(projects.join("us-allies-missile-defence.ron")).expect("read");
    (dir, projects, current)
}

#[test]
fn a_version_3_project_with_entities_and_grading_migrates_unchanged() {
    let (dir, projects, current) = sample_beside_its_article();
    // Version 3 had neither fragments nor label attributes: the sample has none either.
    let version_3 = current.replace(
        &format!("version: {},", store::FORMAT_VERSION),
        "version: 3,",
    );
    assert_ne!(version_3, current);
    let path = dir.path().join("p.ron");
    std::fs::write(&path, &version_3).expect("write v3");
    let expected =
        Workspace::open(&projects.join("us-allies-missile-defence.ron")).expect("open the sample");

    let mut workspace = Workspace::open(&path).expect("open v3");
    let project = workspace.project();
    assert_eq!(
        project.annotation_count(),
        expected.project().annotation_count()
    );
    assert_eq!(
        project.entities().len(),
        expected.project().entities().len()
    );
    assert_eq!(
        project.relations().len(),
        expected.project().relations().len()
    );
    workspace.save().expect("save");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p.ron.v3.bak")).expect("backup"),
        version_3
    );
    assert_eq!(std::fs::read_to_string(&path).expect("read"), current);
}

/// Version 4 wrote every annotation's `modified` time, also when equal to `created`;
/// version 5 leaves it out then. A version 4 file reads to the same annotations, and its
/// first save writes version 5 and keeps the original.
#[test]
fn a_version_4_project_with_every_modified_time_migrates_unchanged() {
    let (dir, projects, current) = sample_beside_its_article();
    let mut spelled_out = 0;
    let mut version_4 = String::new();
    for line in current
        .replace(
            &format!("version: {},", store::FORMAT_VERSION),
            "version: 4,",
        )
        .lines()
    {
        // An annotation's line (of the list or the review list) without `modified`.
        match line.find(", created: \"") {
            Some(at) if line.contains(", span: (") && !line.contains(", modified: ") => {
                let time_start = at + ", created: ".len();
                let time_end =
                    time_start + 1 + line[time_start + 1..].find('"').expect("closing quote") + 1;
                version_4.push_str(&line[..time_end]);
                version_4.push_str(", modified: ");
                version_4.push_str(&line[time_start..time_end]);
                version_4.push_str(&line[time_end..]);
                spelled_out += 1;
            }
            _ => version_4.push_str(line),
        }
        version_4.push('\n');
    }
    assert!(spelled_out > 40, "{spelled_out} annotations");
    let path = dir.path().join("p.ron");
    std::fs::write(&path, &version_4).expect("write v4");
    let expected = store::load(&projects.join("us-allies-missile-defence.ron")).expect("sample");
    let loaded = store::load(&path).expect("load v4");
    assert_eq!(loaded.annotations_sorted(), expected.annotations_sorted());
    let mut workspace = Workspace::open(&path).expect("open v4");
    workspace.save().expect("save");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p.ron.v4.bak")).expect("backup"),
        version_4
    );
    assert_eq!(std::fs::read_to_string(&path).expect("read"), current);
}

#[test]
fn a_save_job_writes_the_snapshot_and_later_edits_stay_unsaved() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _, doc) = annotated(dir.path());
    let mut workspace = Workspace::open(&path).expect("open");
    let first = workspace.project().annotations_of(doc)[0].id;
    workspace.remove(vec![first]).expect("remove");
    // The job is prepared (a snapshot), then the analyst goes on editing while it runs.
    let job = workspace.save_job(false).expect("job");
    let second = workspace.project().annotations_of(doc)[0].id;
    workspace.remove(vec![second]).expect("remove");
    let outcome = std::thread::spawn(move || job.run(&marginalia::model::Progress::new()))
        .join()
        .expect("worker");
    workspace.finish_save(outcome).expect("finish");
    assert_eq!(store::load(&path).expect("load").annotation_count(), 2);
    assert!(
        workspace.is_dirty(),
        "the edit made during the save is not saved"
    );
    workspace.save().expect("save");
    assert_eq!(store::load(&path).expect("load").annotation_count(), 1);
    assert!(!workspace.is_dirty());
}

/// A save cancelled from the status bar stops and leaves the file as it was (no temp file
/// left beside it); the edits stay unsaved. Uncancelled, its progress reaches the end.
#[test]
fn a_cancelled_save_changes_nothing_and_the_work_stays_unsaved() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _, doc) = annotated(dir.path());
    let before = std::fs::read(&path).expect("read");
    let listing = || {
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .expect("list")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let files = listing();
    let mut workspace = Workspace::open(&path).expect("open");
    let first = workspace.project().annotations_of(doc)[0].id;
    workspace.remove(vec![first]).expect("remove");

    let job = workspace.save_job(false).expect("job");
    let outcome = job.run(&cancelled_progress());
    let error = workspace.finish_save(outcome).expect_err("cancelled");
    assert!(matches!(error, StoreError::Cancelled { .. }), "{error}");
    assert!(error.to_string().contains("not changed"), "{error}");
    assert_eq!(std::fs::read(&path).expect("read"), before);
    assert_eq!(listing(), files, "no temp file is left");
    assert!(workspace.is_dirty());

    let progress = marginalia::model::Progress::new();
    let job = workspace.save_job(false).expect("job");
    workspace.finish_save(job.run(&progress)).expect("saved");
    assert_eq!(progress.fraction(), Some(1.0));
    assert_eq!(store::load(&path).expect("load").annotation_count(), 2);
    assert!(!workspace.is_dirty());
}

/// Opening a project stops once cancelled (at the next block of the file) and gives no
/// project; the file is untouched.
#[test]
fn a_cancelled_opening_stops_and_gives_no_project() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _, _) = annotated(dir.path());
    let before = std::fs::read(&path).expect("read");
    let Err(error) = Workspace::open_reporting(&path, LoadMode::Strict, &cancelled_progress())
    else {
        panic!("a cancelled opening gave a project");
    };
    assert!(error.to_string().contains("cancelled"), "{error}");
    assert_eq!(std::fs::read(&path).expect("read"), before);
    let progress = marginalia::model::Progress::new();
    let workspace = Workspace::open_reporting(&path, LoadMode::Strict, &progress).expect("open");
    assert_eq!(workspace.project().annotation_count(), 3);
    assert_eq!(progress.fraction(), Some(1.0));
}

#[test]
fn a_cancelled_export_job_writes_nothing() {
    use marginalia::formats::Format;
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _, _) = annotated(dir.path());
    let workspace = Workspace::open(&path).expect("open");
    for format in [
        Format::Csv,
        Format::Brat,
        Format::W3c,
        Format::Refi,
        Format::Jsonl,
        Format::Html,
        Format::Conll,
    ] {
        let out = dir.path().join(format!("out-{}", format.name()));
        let job = workspace
            .export_job(
                marginalia::formats::Selection::default(),
                format,
                marginalia::formats::ExportOptions::default(),
                out.clone(),
            )
            .expect("not a project file");
        let progress = cancelled_progress();
        let cancelled = job.run(&progress);
        assert!(matches!(
            cancelled,
            Err(marginalia::formats::ExportError::Cancelled)
        ));
        assert!(!out.exists(), "{}: nothing written", format.name());
        let gone_through = progress.fraction().expect("a total");
        if matches!(
            format,
            Format::Csv | Format::Brat | Format::W3c | Format::Refi
        ) {
            // Three annotations and the write: it stopped at the first annotation.
            assert!(
                gone_through <= 0.25,
                "{}: stopped early ({gone_through})",
                format.name()
            );
        }
        let progress = marginalia::model::Progress::new();
        let written = job.run(&progress).expect("export");
        assert_eq!(progress.fraction(), Some(1.0), "{}", format.name());
        assert!(written.annotations >= 2, "{}", format.name());
        assert!(out.exists());
    }
}

fn cancelled_progress() -> marginalia::model::Progress {
    let progress = marginalia::model::Progress::new();
    progress.cancel();
    progress
}

#[test]
fn a_read_job_reports_progress_and_adds_its_files_once_taken_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = dir.path().join("first.txt");
    let second = dir.path().join("second.txt");
    std::fs::write(&first, "The first article.\n").expect("write");
    std::fs::write(&second, "The second article, a little longer.\n").expect("write");
    let mut workspace = Workspace::new_at(&dir.path().join("p.ron"));
    let known = workspace.add_document(&first).expect("add");
    let (already, job) = workspace.read_job(&[first.clone(), second.clone(), second.clone()]);
    assert_eq!(
        already,
        vec![known],
        "the project has the first file already"
    );
    let job = job.expect("the second file is read");
    assert_eq!(job.locations().len(), 1, "asked twice, read once");
    let progress = job.progress();
    let outcome = job.run();
    assert_eq!(progress.fraction(), Some(1.0));
    assert_eq!(
        workspace.project().documents().len(),
        1,
        "nothing added before it is taken back"
    );
    let added = workspace.finish_read(outcome);
    assert_eq!(added.len(), 1);
    let id = *added[0].as_ref().expect("read");
    assert_eq!(
        workspace.text(id).expect("text").as_str(),
        "The second article, a little longer.\n"
    );
    assert_eq!(workspace.project().documents().len(), 2);
    assert!(workspace.is_dirty(), "a new document is a change to save");
}

#[test]
fn a_cancelled_read_job_adds_nothing_and_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = dir.path().join("article.txt");
    std::fs::write(&article, "Some text.\n".repeat(1000)).expect("write");
    let mut workspace = Workspace::new_at(&dir.path().join("p.ron"));
    let (_, job) = workspace.read_job(std::slice::from_ref(&article));
    let job = job.expect("a job");
    job.progress().cancel();
    let outcome = job.run();
    assert!(outcome.cancelled());
    let added = workspace.finish_read(outcome);
    let error = added[0].as_ref().expect_err("cancelled");
    assert!(error.to_string().contains("cancelled"), "{error}");
    assert!(error.to_string().contains("article.txt"), "{error}");
    assert!(workspace.project().documents().is_empty());
}

/// Annotations read from a project file point at their document's text instead of holding
/// copies of their words (memory on a 100,000-annotation project) — but only where the
/// words are the same there: one whose context was edited by hand keeps its own, and
/// saving writes the file back unchanged.
#[test]
fn annotations_read_their_words_from_the_document_only_where_they_are_the_same() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _, doc) = annotated(dir.path());
    let saved = std::fs::read_to_string(&path).expect("read");
    // Another program changed the prefix stored with the equipment annotation.
    let edited = saved.replacen(
        "prefix: \"n Friday.\\nThe Pentagon said the \"",
        "prefix: \"an edited prefix \"",
        1,
    );
    assert_ne!(edited, saved, "the prefix is in the file as expected");
    std::fs::write(&path, &edited).expect("write");

    let mut workspace = Workspace::open(&path).expect("open");
    let annotations = workspace.project().annotations_of(doc);
    let shared: Vec<(&str, bool)> = annotations
        .iter()
        .map(|a| (a.label.as_str(), a.excerpt.is_in_document()))
        .collect();
    assert_eq!(
        shared,
        [("person", true), ("equipment", false), ("claim", true)]
    );
    let equipment = annotations[1];
    assert_eq!(
        (equipment.text(), equipment.prefix()),
        ("Patriot battery", "an edited prefix ")
    );
    assert_eq!(annotations[0].prefix(), "Defense Secretary ");
    assert_eq!(annotations[2].suffix(), " in the region.\n");

    // Saving writes every word back as it was read.
    workspace.save_as(&path).expect("save");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), edited);
}

/// The same when the project file is not in the form the block reader takes (read whole
/// by ron): the words are pointed at once the documents are read.
#[test]
fn a_project_file_read_whole_shares_the_document_words_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _, doc) = annotated(dir.path());
    let saved = std::fs::read_to_string(&path).expect("read");
    // A comment among the annotation lines sends the file to ron.
    let edited = saved.replacen("    annotations: [\n", "    annotations: [ // by hand\n", 1);
    std::fs::write(&path, &edited).expect("write");
    let workspace = Workspace::open(&path).expect("open");
    let annotations = workspace.project().annotations_of(doc);
    assert_eq!(annotations.len(), 3);
    assert!(annotations.iter().all(|a| a.excerpt.is_in_document()));
    assert_eq!(
        annotations.iter().map(|a| a.text()).collect::<Vec<_>>(),
        [
            "Chuck Hagel",
            "Patriot battery",
            "Analysts doubt the plan will reassure allies"
        ]
    );
}

/// A document whose source is missing keeps its annotations' words as read (there is no
/// text to point at), and saving writes them back unchanged.
#[test]
fn annotations_of_a_missing_source_keep_their_words() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, article, doc) = annotated(dir.path());
    let saved = std::fs::read_to_string(&path).expect("read");
    std::fs::remove_file(&article).expect("remove");
    let mut workspace = Workspace::open(&path).expect("open");
    let annotations = workspace.project().annotations_of(doc);
    assert!(annotations.iter().all(|a| !a.excerpt.is_in_document()));
    assert_eq!(annotations[1].text(), "Patriot battery");
    workspace.save_as(&path).expect("save");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), saved);
}

/// Issue 15, item 15: `export` and `stats` no longer say "nothing lost" while annotations
/// wait on the review list; a project whose annotation words were edited by hand, over an
/// unchanged source, is not reported as "the source changed".
#[test]
fn reports_count_what_waits_for_review_and_blame_the_right_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, article, doc) = annotated(dir.path());
    std::fs::write(
        &article,
        ARTICLE.replace("the Patriot battery", "its missile-defence unit"),
    )
    .expect("edit article");
    let mut workspace = Workspace::open(&path).expect("open");
    assert_eq!(workspace.orphans_of(doc).len(), 1);
    workspace.save().expect("save with the orphan");
    let run = |args: &[&std::ffi::OsStr]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_marginalia"))
            .args(args)
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let out = dir.path().join("out.jsonl");
    let said = run(&[
        "export".as_ref(),
        path.as_os_str(),
        "--format".as_ref(),
        "jsonl".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert!(!said.contains("nothing lost"), "{said}");
    assert!(
        said.contains("1 annotation(s) waiting on the review list"),
        "{said}"
    );
    let said = run(&["stats".as_ref(), path.as_os_str()]);
    assert!(
        said.contains("1 annotation(s) waiting on the review list"),
        "{said}"
    );

    // The source as annotated, the project's words for one annotation edited (same length).
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _, _) = annotated(dir.path());
    let edited = std::fs::read_to_string(&path)
        .expect("read")
        .replace("\"Chuck Hagel\"", "\"Chuck Hegel\"");
    std::fs::write(&path, edited).expect("edit project");
    let workspace = Workspace::open(&path).expect("open");
    let problems = workspace.problems().join("\n");
    assert!(problems.contains("the source is unchanged"), "{problems}");
    assert!(!problems.contains("the source changed"), "{problems}");
}
