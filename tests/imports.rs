//! Imports: round trips through every format that can carry the annotations, offsets in
//! both units, re-anchoring by quote, and refusals that leave the project untouched.

use std::path::{Path, PathBuf};
use std::process::Command;

use marginalia::formats::{
    self, ExportOptions, Format, ImportFormat, JsonlFlavor, OffsetUnit, Selection,
};
use marginalia::workspace::{ImportError, Workspace};

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/us-allies-missile-defence.ron")
}

/// (label name, start, end, text, note) of every annotation, in file order.
fn summary(workspace: &Workspace) -> Vec<(String, usize, usize, String, String)> {
    let project = workspace.project();
    project
        .annotations_sorted()
        .into_iter()
        .map(|a| {
            let label = project
                .schema
                .label(&a.label)
                .map_or(a.label.0.to_string(), |l| l.name.clone());
            (
                label,
                a.span.start().0,
                a.span.end().0,
                a.text().to_owned(),
                a.note.clone(),
            )
        })
        .collect()
}

fn export_sample(format: Format, flavor: JsonlFlavor, out: &Path) -> Workspace {
    let workspace = Workspace::open(&sample()).expect("sample");
    let set = workspace.annotation_set(&Selection::default());
    formats::export(
        &set,
        format,
        ExportOptions {
            jsonl_flavor: flavor,
            ..ExportOptions::default()
        },
        out,
    )
    .expect("export");
    workspace
}

fn import(
    workspace: &mut Workspace,
    format: ImportFormat,
    path: &Path,
    offsets: OffsetUnit,
    strict: bool,
) -> Result<marginalia::workspace::ImportReport, ImportError> {
    let incoming = formats::parse_import(format, &[path.to_owned()], offsets)?;
    workspace.import(&incoming, strict)
}

/// A new project in `dir` that already has the sample's article (for W3C, which refers to
/// documents by hash).
fn project_with_article(dir: &Path) -> Workspace {
    let article = dir.join("article.txt");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("projects/us-allies-intel-swaps-north-korea-missiles.txt"),
        &article,
    )
    .expect("copy");
    let mut workspace = Workspace::new_at(&dir.join("p.ron"));
    workspace.add_document(&article).expect("add");
    workspace
}

#[test]
fn brat_round_trip_gives_the_same_annotations() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("brat");
    let original = export_sample(Format::Brat, JsonlFlavor::Spans, &out);
    let mut workspace = Workspace::new_at(&dir.path().join("p.ron"));
    let report = import(
        &mut workspace,
        ImportFormat::Brat,
        &out,
        OffsetUnit::Codepoints,
        true,
    )
    .expect("import");
    assert_eq!(report.annotations, original.project().annotation_count());
    assert_eq!(summary(&workspace), summary(&original));
    assert!(report.labels_added.is_empty(), "{report}");
}

#[test]
fn w3c_round_trip_gives_the_same_annotations() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("a.jsonld");
    let original = export_sample(Format::W3c, JsonlFlavor::Spans, &out);
    let mut workspace = project_with_article(dir.path());
    let report = import(
        &mut workspace,
        ImportFormat::W3c,
        &out,
        OffsetUnit::Codepoints,
        true,
    )
    .expect("import");
    assert!(report.reanchored.is_empty());
    assert_eq!(summary(&workspace), summary(&original));
    // Importing again adds nothing.
    let again = import(
        &mut workspace,
        ImportFormat::W3c,
        &out,
        OffsetUnit::Codepoints,
        true,
    )
    .expect("import");
    assert_eq!(
        (again.annotations, again.duplicates),
        (0, original.project().annotation_count())
    );
}

#[test]
fn jsonl_round_trips_store_the_text_beside_the_project() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("a.jsonl");
    let original = export_sample(Format::Jsonl, JsonlFlavor::Spans, &out);
    let mut workspace = Workspace::new_at(&dir.path().join("p.ron"));
    import(
        &mut workspace,
        ImportFormat::Jsonl,
        &out,
        OffsetUnit::Codepoints,
        true,
    )
    .expect("import");
    assert_eq!(summary(&workspace), summary(&original));
    let document = &workspace.project().documents()[0];
    assert_eq!(
        document.path,
        "imported/us-allies-intel-swaps-north-korea-missiles.txt"
    );

    let doccano = dir.path().join("d.jsonl");
    export_sample(Format::Jsonl, JsonlFlavor::Doccano, &doccano);
    let mut workspace = Workspace::new_at(&dir.path().join("q.ron"));
    import(
        &mut workspace,
        ImportFormat::Jsonl,
        &doccano,
        OffsetUnit::Codepoints,
        true,
    )
    .expect("import");
    let without_notes: Vec<_> = summary(&original)
        .into_iter()
        .map(|(l, s, e, t, _)| (l, s, e, t, String::new()))
        .collect();
    assert_eq!(
        summary(&workspace),
        without_notes,
        "doccano carries no notes"
    );
}

#[test]
fn utf16_offsets_from_javascript_tools_are_converted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("d.jsonl");
    // "🚀" is 2 UTF-16 units: "Kim" starts at unit 3, code point 2.
    std::fs::write(&path, "{\"text\": \"🚀 Kim met 金正恩\", \"label\": [[3, 6, \"Person\"], [11, 14, \"Person\"]]}\n").expect("write");
    let mut workspace = Workspace::new_at(&dir.path().join("p.ron"));
    let report = import(
        &mut workspace,
        ImportFormat::Jsonl,
        &path,
        OffsetUnit::Utf16,
        true,
    )
    .expect("import");
    let texts: Vec<String> = summary(&workspace).into_iter().map(|s| s.3).collect();
    assert_eq!(texts, ["Kim", "金正恩"]);
    assert!(
        report.to_string().contains("UTF-16"),
        "says what was assumed: {report}"
    );

    // Read as code points, the same numbers point elsewhere: the last span is past the end.
    let mut workspace = Workspace::new_at(&dir.path().join("q.ron"));
    let error = import(
        &mut workspace,
        ImportFormat::Jsonl,
        &path,
        OffsetUnit::Codepoints,
        false,
    )
    .expect_err("refused");
    assert!(
        error
            .to_string()
            .contains("11–14 lies outside the text (13 characters)"),
        "{error}"
    );
}

#[test]
fn w3c_positions_that_disagree_with_the_quote_are_reanchored_and_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("a.jsonld");
    export_sample(Format::W3c, JsonlFlavor::Spans, &out);
    let json = std::fs::read_to_string(&out).expect("read");
    // Shift the first annotation's position (as a UTF-16 counting tool would).
    let shifted = json.replacen("\"end\": 62,", "\"end\": 64,", 1).replacen(
        "\"start\": 51,",
        "\"start\": 53,",
        1,
    );
    assert_ne!(shifted, json);
    std::fs::write(&out, shifted).expect("write");
    let mut workspace = project_with_article(dir.path());
    let report = import(
        &mut workspace,
        ImportFormat::W3c,
        &out,
        OffsetUnit::Codepoints,
        true,
    )
    .expect("import");
    assert_eq!(report.reanchored.len(), 1, "{report}");
    assert!(report.to_string().contains("placed by their quote"));
    let first = &summary(&workspace)[0];
    assert_eq!(
        (first.1, first.2, first.3.as_str()),
        (51, 62, "North Korea")
    );
}

#[test]
fn bad_spans_and_unknown_labels_refuse_the_whole_import_with_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("a.txt"), "Chuck Hagel met Kim.").expect("write");
    std::fs::write(
        dir.path().join("a.ann"),
        "T1\tPerson 0 11\tChuck Hagel\nT2\tPerson 16 99\tKim.\nT3\tWeapon 16 19\tKim\n",
    )
    .expect("write");
    let mut workspace = Workspace::new_at(&dir.path().join("p.ron"));
    let before = workspace.project().clone();
    let error = import(
        &mut workspace,
        ImportFormat::Brat,
        &dir.path().join("a.ann"),
        OffsetUnit::Codepoints,
        true,
    )
    .expect_err("refused");
    let message = error.to_string();
    assert!(
        message.starts_with("nothing was imported; 2 problem(s)"),
        "{message}"
    );
    assert!(
        message.contains("16–99 lies outside the text (20 characters)"),
        "{message}"
    );
    assert!(message.contains("a.ann:2"), "{message}");
    assert!(message.contains("unknown label \"Weapon\""), "{message}");
    assert!(message.contains("a.ann:3"), "{message}");
    assert_eq!(workspace.project(), &before, "nothing half-imported");
    assert!(!workspace.can_undo());
}

#[test]
fn new_labels_are_added_and_the_import_is_one_undo_step() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("a.txt"),
        "Chuck Hagel saw a Patriot battery.",
    )
    .expect("write");
    std::fs::write(dir.path().join("a.ann"), "T1\tPerson 0 11\tChuck Hagel\nT2\tWeapon_System 18 25\tPatriot\n#1\tAnnotatorNotes T2\tSAM\n").expect("write");
    std::fs::write(
        dir.path().join("annotation.conf"),
        "[entities]\nPerson\nWeapon_System\nUnit\n",
    )
    .expect("write");
    let mut workspace = Workspace::new_at(&dir.path().join("p.ron"));
    let report = import(
        &mut workspace,
        ImportFormat::Brat,
        &dir.path().join("a.ann"),
        OffsetUnit::Codepoints,
        false,
    )
    .expect("import");
    assert_eq!(report.labels_added, ["Weapon System", "Unit"]);
    assert_eq!(
        summary(&workspace)[1],
        (
            "Weapon System".to_owned(),
            18,
            25,
            "Patriot".to_owned(),
            "SAM".to_owned()
        )
    );
    workspace.undo().expect("undo");
    assert_eq!(workspace.project().annotation_count(), 0);
    assert!(
        workspace
            .project()
            .schema
            .labels
            .iter()
            .all(|l| l.name != "Unit"),
        "labels undone too"
    );
}

#[test]
fn cli_import_saves_the_project_and_fails_cleanly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("brat");
    export_sample(Format::Brat, JsonlFlavor::Spans, &out);
    let project = dir.path().join("imported.ron");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_marginalia"))
            .arg("import")
            .arg(&project)
            .args(args)
            .output()
            .expect("run")
    };
    let ok = run(&["--format", "brat", out.to_str().expect("utf-8")]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("Imported 56 annotation(s)"));
    let saved = Workspace::open(&project).expect("saved");
    assert_eq!(saved.project().annotation_count(), 56);

    let before = std::fs::read(&project).expect("read");
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(
        &bad,
        "{\"text\": \"abc\", \"label\": [[0, 9, \"Person\"]]}\n",
    )
    .expect("write");
    let refused = run(&["--format", "jsonl", bad.to_str().expect("utf-8")]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("outside the text") && stderr.contains("bad.jsonl:1"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(&project).expect("read"),
        before,
        "project unchanged"
    );

    let garbage = dir.path().join("garbage.jsonl");
    std::fs::write(&garbage, "not json\n").expect("write");
    let refused = run(&["--format", "jsonl", garbage.to_str().expect("utf-8")]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("line 1: not JSON"));
}

#[test]
fn refi_round_trip_gives_the_same_annotations() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("a.qdpx");
    let original = export_sample(Format::Refi, JsonlFlavor::Spans, &out);
    let mut workspace = Workspace::new_at(&dir.path().join("p.ron"));
    let report = import(
        &mut workspace,
        ImportFormat::Refi,
        &out,
        OffsetUnit::Codepoints,
        true,
    )
    .expect("import");
    assert_eq!(report.annotations, original.project().annotation_count());
    assert_eq!(summary(&workspace), summary(&original));
}

/// Issue 15, item 8: a UTF-16 offset between the two halves of an emoji is refused with the
/// file and line, instead of importing the annotation one character off; the project file is
/// not touched.
#[test]
fn a_utf16_offset_inside_a_surrogate_pair_is_refused_with_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("d.jsonl");
    std::fs::write(
        &path,
        "{\"text\": \"Kim met Moon\", \"label\": [[0, 3, \"Person\"]]}\n\
         {\"text\": \"🚀 Kim met 金正恩\", \"label\": [[1, 6, \"Person\"]]}\n",
    )
    .expect("write");
    let project = dir.path().join("p.ron");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .arg("import")
        .arg(&project)
        .args(["--format", "jsonl", "--offsets", "utf16"])
        .arg(&path)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("line 2"), "{stderr}");
    assert!(stderr.contains("inside the character '🚀'"), "{stderr}");
    assert!(stderr.contains("d.jsonl"), "{stderr}");
    assert!(!project.exists(), "nothing saved");
}

/// Issue 15, item 9: a REFI-QDA file whose project is in another namespace, or none, is
/// refused (it imported nothing, said so with exit 0 and re-saved the project).
#[test]
fn a_refi_file_in_a_foreign_or_missing_namespace_is_refused_and_the_project_untouched() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().expect("tempdir");
    let good = dir.path().join("a.qdpx");
    export_sample(Format::Refi, JsonlFlavor::Spans, &good);
    let project = dir.path().join("p.ron");
    let mut workspace = project_with_article(dir.path());
    workspace.save_as(&project).expect("save");
    let before = std::fs::read(&project).expect("read");
    for (name, replacement) in [
        ("foreign.qdpx", "urn:Someone-Else:project:2.0"),
        ("none.qdpx", ""),
    ] {
        let mut archive =
            zip::ZipArchive::new(std::fs::File::open(&good).expect("open")).expect("zip");
        let bad = dir.path().join(name);
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&bad).expect("create"));
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).expect("entry");
            let entry_name = entry.name().expect("name").to_string();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).expect("read");
            if entry_name == "project.qde" {
                let xml = String::from_utf8(bytes).expect("utf-8");
                let xml = if replacement.is_empty() {
                    xml.replace(" xmlns=\"urn:QDA-XML:project:1.0\"", "")
                } else {
                    xml.replace("urn:QDA-XML:project:1.0", replacement)
                };
                bytes = xml.into_bytes();
            }
            zip.start_file(entry_name, zip::write::SimpleFileOptions::default())
                .expect("start");
            zip.write_all(&bytes).expect("write");
        }
        zip.finish().expect("finish");
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_marginalia"))
            .arg("import")
            .arg(&project)
            .args(["--format", "refi"])
            .arg(&bad)
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains("not a REFI-QDA project"), "{stderr}");
        assert!(stderr.contains(name), "{stderr}");
        assert_eq!(std::fs::read(&project).expect("read"), before, "untouched");
    }
}

/// Issue 15, item 10: documents named with 100 emoji or 150 CJK characters (400 and 450
/// bytes) import, and export to brat side by side, instead of "File name too long".
#[test]
fn documents_with_very_long_names_import_and_export() {
    let dir = tempfile::tempdir().expect("tempdir");
    let project = dir.path().join("p.ron");
    let mut workspace = Workspace::new_at(&project);
    workspace.save().expect("save");
    let path = dir.path().join("long.jsonl");
    let names = ["😀".repeat(100), "金".repeat(150), "金".repeat(151)];
    let lines: Vec<String> = names
        .iter()
        .map(|name| {
            format!(
                "{{\"text\": \"Kim met Moon.\", \"spans\": [{{\"start\": 0, \"end\": 3, \"label\": \"Person\"}}], \"meta\": {{\"document\": \"{name}\"}}}}"
            )
        })
        .collect();
    std::fs::write(&path, lines.join("\n")).expect("write");
    let report = import(
        &mut workspace,
        ImportFormat::Jsonl,
        &path,
        OffsetUnit::Codepoints,
        true,
    )
    .expect("import");
    assert_eq!(report.annotations, 3, "{report}");
    assert_eq!(workspace.project().documents().len(), 3);
    workspace.save().expect("save");
    let out = dir.path().join("brat");
    let set = workspace.annotation_set(&Selection::default());
    formats::export(&set, Format::Brat, ExportOptions::default(), &out).expect("brat export");
    let files = std::fs::read_dir(&out).expect("list").count();
    assert_eq!(
        files,
        6 + 1,
        "a .txt and an .ann per document, and annotation.conf"
    );
    for entry in std::fs::read_dir(&out).expect("list") {
        let name = entry.expect("entry").file_name();
        assert!(name.len() <= 255, "{name:?}");
    }
}
