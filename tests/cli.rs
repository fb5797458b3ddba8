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

#[test]
fn validate_reports_problems_with_exit_codes() {
    let out = marginalia()
        .args(["validate", "projects/us-allies-missile-defence.ron"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("56 annotation(s), 0 problem(s)"));

    let dir = tempfile::tempdir().expect("tempdir");
    let article = dir.path().join("a.txt");
    std::fs::write(&article, "Hello world.").expect("write");
    let project = dir.path().join("p.ron");
    let added = marginalia()
        .arg("add")
        .arg(&project)
        .arg(&article)
        .output()
        .expect("run");
    assert!(added.status.success());
    std::fs::remove_file(&article).expect("remove");
    let out = marginalia()
        .arg("validate")
        .arg(&project)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(&article.display().to_string()), "{stdout}");
    assert!(stdout.contains("1 problem(s)"), "{stdout}");

    std::fs::write(&project, "(version: 1, oops").expect("write");
    let out = marginalia()
        .arg("validate")
        .arg(&project)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn add_takes_files_and_folders_and_saves() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("articles");
    std::fs::create_dir_all(&folder).expect("mkdir");
    std::fs::write(folder.join("a.txt"), "First.").expect("write");
    std::fs::write(folder.join("b.md"), "# Second\n\nText.").expect("write");
    std::fs::write(folder.join("c.doc"), "\u{d0}\u{cf} Word 97").expect("write");
    let project = dir.path().join("p.ron");
    let out = marginalia()
        .arg("add")
        .arg(&project)
        .arg(&folder)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 document(s) added"));
    let workspace = marginalia::workspace::Workspace::open(&project).expect("saved");
    let paths: Vec<&str> = workspace
        .project()
        .documents()
        .iter()
        .map(|d| d.path.as_str())
        .collect();
    assert_eq!(paths, ["articles/a.txt", "articles/b.md"]);

    let again = marginalia()
        .arg("add")
        .arg(&project)
        .arg(folder.join("a.txt"))
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 document(s) added"));
    let bad = marginalia()
        .arg("add")
        .arg(&project)
        .arg(folder.join("c.doc"))
        .output()
        .expect("run");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unsupported file type"));
}

/// Issue 15, item 1: commands started together on one project each keep their change.
#[test]
fn commands_adding_to_one_project_at_once_keep_every_document() {
    let dir = tempfile::tempdir().expect("tempdir");
    let project = dir.path().join("p.ron");
    let first = marginalia()
        .arg("add")
        .arg(&project)
        .arg(write_article(dir.path(), "seed"))
        .output()
        .expect("run");
    assert!(first.status.success());
    for round in 0..3 {
        let names: Vec<String> = (0..5).map(|i| format!("r{round}-{i}")).collect();
        let children: Vec<_> = names
            .iter()
            .map(|name| {
                marginalia()
                    .arg("add")
                    .arg(&project)
                    .arg(write_article(dir.path(), name))
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .expect("spawn")
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().expect("wait");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let workspace = marginalia::workspace::Workspace::open(&project).expect("open");
        let paths: Vec<String> = workspace
            .project()
            .documents()
            .iter()
            .map(|d| d.path.clone())
            .collect();
        for name in &names {
            assert!(
                paths.contains(&format!("{name}.txt")),
                "round {round}: {name} lost: {paths:?}"
            );
        }
    }
    assert!(
        !marginalia::store::lock_path(&project).exists(),
        "the lock file goes with its last holder"
    );
}

/// A command waiting for the project tells who holds it when it gives up.
#[test]
fn a_command_names_the_program_holding_the_project() {
    let dir = tempfile::tempdir().expect("tempdir");
    let project = dir.path().join("p.ron");
    let lock = marginalia::store::ProjectLock::acquire(
        &project,
        std::time::Duration::ZERO,
        "the analyst's window",
    )
    .expect("lock");
    let mut child = marginalia()
        .arg("add")
        .arg(&project)
        .arg(write_article(dir.path(), "late"))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    // It waits for the holder...
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(
        child.try_wait().expect("poll").is_none(),
        "waits while held"
    );
    drop(lock);
    // ...and goes on once the holder lets go.
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 document(s) added"));
}

fn write_article(dir: &std::path::Path, name: &str) -> std::path::PathBuf {
    let path = dir.join(format!("{name}.txt"));
    std::fs::write(&path, format!("An article called {name}.")).expect("write");
    path
}

#[test]
fn text_of_an_encrypted_pdf_says_it_needs_a_password_and_takes_one() {
    let pdf = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/documents/encrypted-needs-password-openpassword.pdf");
    let out = marginalia().arg("text").arg(&pdf).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("needs a password"), "{stderr}");
    assert!(stderr.contains("--password"), "{stderr}");
    assert!(
        stderr.trim_end().ends_with(&pdf.display().to_string()),
        "{stderr}"
    );
    let out = marginalia()
        .args(["text", "--password", "openpassword"])
        .arg(&pdf)
        .output()
        .expect("run");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Lorem ipsum dolor sit amet"));
}

#[test]
fn add_takes_a_folder_of_office_documents_and_pdfs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("inbox");
    std::fs::create_dir(&folder).expect("folder");
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/documents");
    for name in [
        "libreoffice-trivial.pdf",
        "libreoffice-trivial.odt",
        "python-docx-hdr-header-footer.docx",
        "epub3-wasteland.epub",
    ] {
        std::fs::copy(data.join(name), folder.join(name)).expect("copy");
    }
    let project = dir.path().join("p.ron");
    let out = marginalia()
        .arg("add")
        .arg(&project)
        .arg(&folder)
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("4 document(s) added"), "{stdout}");
    let saved = std::fs::read_to_string(&project).expect("project");
    for format in ["Pdf", "Odt", "Docx", "Epub"] {
        assert!(
            saved.contains(&format!("format: {format}")),
            "{format}: {saved}"
        );
    }
}

/// Runs `marginalia ARGS` in the repository; its stdout, or a failure with its stderr.
fn run_in_repository(args: &[&str]) -> String {
    let out = marginalia()
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

const SAMPLE: &str = "projects/us-allies-missile-defence.ron";

#[test]
fn overview_prints_every_figure_as_json_and_filters_by_name() {
    let json: serde_json::Value =
        serde_json::from_str(&run_in_repository(&["overview", SAMPLE, "--json"])).expect("JSON");
    assert_eq!(json["annotations"], 56);
    let person = json["labels"]
        .as_array()
        .expect("labels")
        .iter()
        .find(|l| l["id"] == "person")
        .expect("person");
    assert_eq!(person["count"], 10);
    assert_eq!(json["speakers"][0]["name"], "Patrick Cronin");
    assert_eq!(json["speakers"][0]["quotes"], 5);
    let credibility: Vec<u64> = json["credibility"]
        .as_array()
        .expect("credibility")
        .iter()
        .map(|c| c["count"].as_u64().expect("count"))
        .collect();
    assert_eq!(
        credibility.iter().sum::<u64>(),
        11,
        "every claim counted once"
    );
    assert!(
        !json["matrix"]["entities"]
            .as_array()
            .expect("entities")
            .is_empty()
    );

    let quotes: serde_json::Value = serde_json::from_str(&run_in_repository(&[
        "overview", SAMPLE, "--json", "--labels", "Quote",
    ]))
    .expect("JSON");
    assert_eq!(quotes["annotations"], 9);
    let summary = run_in_repository(&["overview", SAMPLE]);
    assert!(
        summary.contains("1 document(s) (0 done), 56 annotation(s)"),
        "{summary}"
    );
    assert!(summary.contains("Patrick Cronin"), "{summary}");

    let typo = marginalia()
        .args(["overview", SAMPLE, "--labels", "Qoute"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run");
    assert!(!typo.status.success());
    let error = String::from_utf8_lossy(&typo.stderr);
    assert!(error.contains("no label called \"Qoute\""), "{error}");
}

#[test]
fn the_entity_network_exports_as_graphml_that_reads_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("network.graphml");
    let out_arg = out.to_str().expect("path");
    run_in_repository(&["export", SAMPLE, "--format", "graphml", "--out", out_arg]);
    let text = std::fs::read_to_string(&out).expect("read");
    let xml = roxmltree::Document::parse(&text).expect("well-formed XML");
    let root = xml.root_element();
    assert_eq!(root.tag_name().name(), "graphml");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://graphml.graphdrawing.org/xmlns")
    );
    let keys: std::collections::HashSet<&str> = root
        .children()
        .filter(|n| n.has_tag_name("key"))
        .filter_map(|n| n.attribute("id"))
        .collect();
    let data = |node: roxmltree::Node<'_, '_>, key: &str| -> String {
        node.children()
            .find(|d| d.has_tag_name("data") && d.attribute("key") == Some(key))
            .and_then(|d| d.text())
            .unwrap_or_default()
            .to_owned()
    };
    let nodes: Vec<roxmltree::Node<'_, '_>> = xml
        .descendants()
        .filter(|n| n.has_tag_name("node"))
        .collect();
    let edges: Vec<roxmltree::Node<'_, '_>> = xml
        .descendants()
        .filter(|n| n.has_tag_name("edge"))
        .collect();
    for element in nodes.iter().chain(&edges) {
        for d in element.children().filter(|d| d.has_tag_name("data")) {
            assert!(
                keys.contains(d.attribute("key").expect("key")),
                "undeclared key"
            );
        }
    }
    let cronin = nodes
        .iter()
        .find(|n| data(**n, "name") == "Patrick Cronin")
        .expect("Cronin is a node");
    assert_eq!(data(*cronin, "kind"), "person");
    assert_eq!(data(*cronin, "mentions"), "3");
    let ids: std::collections::HashSet<&str> =
        nodes.iter().filter_map(|n| n.attribute("id")).collect();
    assert!(!edges.is_empty());
    for edge in &edges {
        assert!(ids.contains(edge.attribute("source").expect("source")));
        assert!(ids.contains(edge.attribute("target").expect("target")));
        assert!(data(*edge, "weight").parse::<f64>().expect("weight") >= 1.0);
    }
    // Hagel and Onodera are named in one sentence of the article.
    let name_of = |id: &str| {
        nodes
            .iter()
            .find(|n| n.attribute("id") == Some(id))
            .map(|n| data(*n, "name"))
            .unwrap_or_default()
    };
    let joined = |a: &str, b: &str| {
        edges.iter().any(|e| {
            let ends = [
                name_of(e.attribute("source").unwrap_or_default()),
                name_of(e.attribute("target").unwrap_or_default()),
            ];
            ends.contains(&a.to_owned()) && ends.contains(&b.to_owned())
        })
    };
    assert!(joined("Chuck Hagel", "Itsunori Onodera"));

    // At the document scope every pair of the one article's entities is joined.
    let whole = dir.path().join("whole.graphml");
    run_in_repository(&[
        "export",
        SAMPLE,
        "--format",
        "graphml",
        "--scope",
        "document",
        "--out",
        whole.to_str().expect("path"),
    ]);
    let whole = std::fs::read_to_string(&whole).expect("read");
    let n = nodes.len();
    assert_eq!(whole.matches("<edge ").count(), n * (n - 1) / 2);
}

#[test]
fn the_document_entity_matrix_exports_as_csv() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("matrix.csv");
    run_in_repository(&[
        "export",
        SAMPLE,
        "--format",
        "matrix",
        "--out",
        out.to_str().expect("path"),
    ]);
    let bytes = std::fs::read(&out).expect("read");
    let text =
        std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").expect("BOM")).expect("UTF-8");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header[..2], ["document", "document_path"]);
    let row = reader.records().next().expect("a row").expect("a record");
    assert!(row[0].starts_with("U.S., Allies Agree"), "the title, whole");
    let cronin = header
        .iter()
        .position(|h| h == "Patrick Cronin")
        .expect("a column per entity");
    assert_eq!(&row[cronin], "3");
    assert_eq!(row.len(), header.len());
}

#[test]
fn clusters_group_one_claim_told_by_two_articles_and_flag_opposite_stances() {
    use marginalia::model::{Attributes, CharPos, LabelId, Span, Stance};
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (dir.path().join("a.txt"), dir.path().join("b.txt"));
    std::fs::write(
        &a,
        "Volker said he had no knowledge of any efforts to urge Ukraine to investigate Joe Biden. Oil prices rose on Monday.\n",
    )
    .expect("write");
    std::fs::write(
        &b,
        "Critics say Volker knew of efforts to urge Ukraine to investigate Biden.\n",
    )
    .expect("write");
    let project = dir.path().join("p.ron");
    let mut workspace = marginalia::workspace::Workspace::new_at(&project);
    let claim = LabelId("claim".into());
    for (path, passage, stance) in [
        (
            &a,
            "he had no knowledge of any efforts to urge Ukraine to investigate Joe Biden",
            Stance::Denies,
        ),
        (&a, "Oil prices rose on Monday", Stance::Asserts),
        (
            &b,
            "Volker knew of efforts to urge Ukraine to investigate Biden",
            Stance::Asserts,
        ),
    ] {
        let doc = workspace
            .project()
            .documents()
            .iter()
            .find(|d| path.ends_with(&d.path))
            .map(|d| d.id);
        let doc = doc.unwrap_or_else(|| workspace.add_document(path).expect("add"));
        let text = workspace.text(doc).expect("text").as_str().to_owned();
        let start = text[..text.find(passage).expect("passage")].chars().count();
        let span = Span::between(CharPos(start), CharPos(start + passage.chars().count()));
        let id = workspace.annotate(doc, span, &claim).expect("tag");
        let attrs = Attributes {
            stance: Some(stance),
            ..Attributes::default()
        };
        workspace.set_attributes(id, attrs).expect("stance");
    }
    workspace.save().expect("save");
    let out = marginalia()
        .args(["clusters", project.to_str().expect("path"), "--json"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let clusters: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let clusters = clusters.as_array().expect("a list");
    assert_eq!(clusters.len(), 1, "{clusters:?}");
    assert_eq!(clusters[0]["documents"], 2);
    assert_eq!(clusters[0]["contradicts"], true);
    let texts: Vec<&str> = clusters[0]["members"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| m["text"].as_str().expect("text"))
        .collect();
    assert!(texts.iter().all(|t| t.contains("Ukraine")), "{texts:?}");

    let out = marginalia()
        .args(["clusters", project.to_str().expect("path")])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(
            "Cluster 1 (suggested): 2 claims in 2 document(s), stances differ (asserts, denies)"
        ),
        "{text}"
    );
}
