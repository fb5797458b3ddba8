//! Exports, checked against each format's own rules: every exported span lands on exactly
//! its text (with an emoji, a CJK name and curly quotes before the spans), W3C output passes
//! every MUST assertion of the W3C's test schemas, file names never escape the folder, and
//! the command line fails cleanly.

use std::path::{Path, PathBuf};
use std::process::Command;

use marginalia::formats::{self, ExportOptions, Format, JsonlFlavor, Selection};
use marginalia::model::{CharPos, LabelId, Span};
use marginalia::workspace::Workspace;
use serde_json::Value;

const TEXT: &str = "金正恩 and 🚀 “launch” talk.\r\nChuck Hagel said “we agree”, said Kim Kwan-jin.\r\n\r\nA claim spans\r\ntwo lines: =SUM(A1) <b>&</b>.\r\nقال الوزير محمد بن سلمان.\r\n";

/// A project with multibyte text, nested and line-crossing annotations, and notes.
fn workspace(dir: &Path, document_name: &str) -> Workspace {
    let article = dir.join(document_name);
    std::fs::write(&article, TEXT).expect("write article");
    let mut workspace = Workspace::new_at(&dir.join("p.ron"));
    workspace.set_analyst("Rania");
    let doc = workspace.add_document(&article).expect("add");
    let text = workspace.text(doc).expect("text").as_str().to_owned();
    let pos = |needle: &str| CharPos(text[..text.find(needle).expect("needle")].chars().count());
    let tag = |w: &mut Workspace, needle: &str, label: &str| {
        let start = pos(needle);
        let span = Span::between(start, start.forward(needle.chars().count()));
        w.annotate(doc, span, &LabelId(label.into()))
            .expect("annotate")
    };
    tag(&mut workspace, "金正恩", "person");
    tag(
        &mut workspace,
        "Chuck Hagel said “we agree”, said Kim Kwan-jin",
        "claim",
    );
    tag(&mut workspace, "we agree", "quote");
    let hagel = tag(&mut workspace, "Chuck Hagel", "person");
    tag(&mut workspace, "Kim Kwan-jin", "person");
    tag(&mut workspace, "Kim", "person"); // nested entity inside an entity
    tag(&mut workspace, "محمد بن سلمان", "person");
    let claim = tag(
        &mut workspace,
        "A claim spans\ntwo lines: =SUM(A1) <b>&</b>",
        "claim",
    );
    workspace
        .set_note(hagel, "US defense secretary\n(2013–2015)")
        .expect("note");
    // Another analyst changes the claim: it records them.
    workspace.set_analyst("Ben");
    workspace
        .set_note(claim, "=cmd|' /C calc'!A0")
        .expect("note");
    workspace
}

fn export(workspace: &Workspace, format: Format, out: &Path) -> formats::Fidelity {
    let set = workspace.annotation_set(&Selection::default());
    formats::export(&set, format, ExportOptions::default(), out).expect("export")
}

fn chars(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

fn document_text(workspace: &Workspace) -> String {
    let id = workspace.project().documents()[0].id;
    workspace.text(id).expect("text").as_str().to_owned()
}

#[test]
fn brat_spans_slice_the_txt_to_their_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let workspace = workspace(dir.path(), "article.txt");
    let out = dir.path().join("brat");
    let fidelity = export(&workspace, Format::Brat, &out);
    let txt = std::fs::read_to_string(out.join("article.txt")).expect("txt");
    assert!(!txt.contains('\r'), "LF only");
    assert_eq!(txt, document_text(&workspace));
    let ann = std::fs::read_to_string(out.join("article.ann")).expect("ann");
    let mut spans = 0;
    for line in ann.lines().filter(|l| l.starts_with('T')) {
        let fields: Vec<&str> = line.split('\t').collect();
        let (_, offsets) = fields[1].split_once(' ').expect("type and offsets");
        let fragments: Vec<String> = offsets
            .split(';')
            .map(|pair| {
                let (s, e) = pair.split_once(' ').expect("pair");
                let fragment = chars(&txt, s.parse().expect("start"), e.parse().expect("end"));
                assert!(
                    !fragment.contains('\n'),
                    "a fragment never crosses a line break"
                );
                fragment
            })
            .collect();
        assert_eq!(fragments.join(" "), fields[2], "{line}");
        spans += 1;
    }
    assert_eq!(spans, 8);
    assert!(ann.contains("AnnotatorNotes T"), "{ann}");
    assert_eq!(
        ann.lines()
            .filter(|l| l.contains("\tAnnotator T") && l.ends_with("\tRania"))
            .count(),
        8,
        "each annotation names its analyst: {ann}"
    );
    assert!(
        ann.contains("US defense secretary (2013–2015)"),
        "notes on one line: {ann}"
    );
    let conf = std::fs::read_to_string(out.join("annotation.conf")).expect("conf");
    assert!(
        conf.contains("[entities]\nClaim\nQuote\nPerson\n"),
        "{conf}"
    );
    assert!(
        fidelity.losses.iter().any(|l| l.contains("discontinuous")),
        "{fidelity}"
    );
}

#[test]
fn jsonl_spans_and_doccano_use_code_points() {
    let dir = tempfile::tempdir().expect("tempdir");
    let workspace = workspace(dir.path(), "article.txt");
    let out = dir.path().join("out.jsonl");
    export(&workspace, Format::Jsonl, &out);
    let line: Value =
        serde_json::from_str(std::fs::read_to_string(&out).expect("read").trim()).expect("json");
    let text = line["text"].as_str().expect("text");
    let spans = line["spans"].as_array().expect("spans");
    assert_eq!(spans.len(), 8);
    for span in spans {
        let (s, e) = (
            span["start"].as_u64().expect("start"),
            span["end"].as_u64().expect("end"),
        );
        let slice = chars(
            text,
            usize::try_from(s).expect("usize"),
            usize::try_from(e).expect("usize"),
        );
        assert_eq!(slice, span["text"].as_str().expect("text"));
    }
    assert_eq!(
        line["meta"]["offsets"],
        "unicode code points, end-exclusive"
    );
    assert!(spans.iter().all(|s| s["author"] == "Rania"), "{spans:?}");
    let changed: Vec<&Value> = spans.iter().filter(|s| s["changed_by"] == "Ben").collect();
    assert_eq!(changed.len(), 1, "the claim Ben changed");

    let set = workspace.annotation_set(&Selection::default());
    let options = ExportOptions {
        jsonl_flavor: JsonlFlavor::Doccano,
        ..ExportOptions::default()
    };
    let fidelity = formats::export(&set, Format::Jsonl, options, &out).expect("export");
    let line: Value =
        serde_json::from_str(std::fs::read_to_string(&out).expect("read").trim()).expect("json");
    let labels = line["label"].as_array().expect("label");
    let first = &labels[0];
    assert_eq!(chars(line["text"].as_str().expect("text"), 0, 3), "金正恩");
    assert_eq!(first[0], 0);
    assert_eq!(first[1], 3);
    assert_eq!(first[2], "Person");
    assert!(
        fidelity.to_string().contains("2 note(s) not exported"),
        "{fidelity}"
    );
}

#[test]
fn csv_is_excel_friendly_and_guards_formulas() {
    let dir = tempfile::tempdir().expect("tempdir");
    let workspace = workspace(dir.path(), "article.txt");
    let out = dir.path().join("out.csv");
    export(&workspace, Format::Csv, &out);
    let bytes = std::fs::read(&out).expect("read");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
    assert!(
        text.lines()
            .next()
            .expect("header")
            .contains("start_codepoint")
    );
    assert!(text.contains("\r\n"), "CRLF");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let document = document_text(&workspace);
    let header = reader.headers().expect("header").clone();
    let note = header
        .iter()
        .position(|h| h == "note")
        .expect("note column");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 8);
    for row in &rows {
        let (s, e): (usize, usize) = (row[5].parse().expect("start"), row[6].parse().expect("end"));
        let exact = chars(&document, s, e);
        let cell = &row[7];
        assert!(
            cell == exact || cell == format!("'{exact}"),
            "{cell:?} vs {exact:?}"
        );
    }
    assert!(
        rows.iter().any(|r| &r[note] == "'=cmd|' /C calc'!A0"),
        "formula guarded"
    );
}

#[test]
fn w3c_selectors_agree_and_every_must_assertion_passes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let workspace = workspace(dir.path(), "article.txt");
    let out = dir.path().join("out.jsonld");
    export(&workspace, Format::W3c, &out);
    let collection: Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("read")).expect("json");
    let document = document_text(&workspace);
    let items = collection["first"]["items"].as_array().expect("items");
    assert_eq!(items.len(), 8);
    assert_eq!(collection["total"], 8);
    for item in items {
        let selectors = item["target"]["selector"].as_array().expect("selectors");
        let position = selectors
            .iter()
            .find(|s| s["type"] == "TextPositionSelector")
            .expect("position");
        let quote = selectors
            .iter()
            .find(|s| s["type"] == "TextQuoteSelector")
            .expect("quote");
        let s = usize::try_from(position["start"].as_u64().expect("start")).expect("usize");
        let e = usize::try_from(position["end"].as_u64().expect("end")).expect("usize");
        assert_eq!(
            chars(&document, s, e),
            quote["exact"].as_str().expect("exact")
        );
        assert!(
            item["target"]["source"]
                .as_str()
                .expect("source")
                .starts_with("urn:sha256:")
        );
    }
    let mut failures = Vec::new();
    for item in items {
        failures.extend(w3c::failed_musts("annotations/annotationMusts.test", item));
    }
    failures.extend(w3c::failed_musts(
        "collections/collectionMusts.test",
        &collection,
    ));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The assertions do catch a broken annotation.
    let mut broken = items[0].clone();
    broken.as_object_mut().expect("object").remove("@context");
    broken["target"] = Value::Null;
    assert!(w3c::failed_musts("annotations/annotationMusts.test", &broken).len() >= 2);
}

#[test]
fn conll_tags_the_outermost_entities_and_reports_the_rest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let workspace = workspace(dir.path(), "article.txt");
    let out = dir.path().join("out.conll");
    let fidelity = export(&workspace, Format::Conll, &out);
    let conll = std::fs::read_to_string(&out).expect("read");
    assert!(conll.starts_with("-DOCSTART- -X- O O\n\n"));
    // Rebuild entities from the tags: B- starts one, I- continues it.
    let mut entities: Vec<(String, String)> = Vec::new();
    for line in conll
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with("-DOCSTART-"))
    {
        let columns: Vec<&str> = line.split(' ').collect();
        assert_eq!(columns.len(), 4, "{line}");
        let (word, tag) = (columns[0], columns[3]);
        if let Some(label) = tag.strip_prefix("B-") {
            entities.push((label.to_owned(), word.to_owned()));
        } else if tag.starts_with("I-") {
            entities.last_mut().expect("I- follows B-").1.push_str(word);
        }
    }
    assert_eq!(
        entities,
        [
            ("Person".to_owned(), "金正恩".to_owned()),
            ("Person".to_owned(), "ChuckHagel".to_owned()),
            ("Person".to_owned(), "KimKwan-jin".to_owned()),
            ("Person".to_owned(), "محمدبنسلمان".to_owned()),
        ]
    );
    let report = fidelity.to_string();
    assert!(report.contains("1 nested or overlapping"), "{report}");
    assert!(
        report.contains("3 claim(s) and quote(s) not exported"),
        "{report}"
    );
    assert!(report.contains("4 annotation(s)"), "{report}");
}

#[test]
fn html_report_is_self_contained_and_escaped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let workspace = workspace(dir.path(), "<script>alert(1).txt");
    let out = dir.path().join("report.html");
    export(&workspace, Format::Html, &out);
    let html = std::fs::read_to_string(&out).expect("read");
    assert!(
        html.matches("<script").count()
            == html
                .matches("<script type=\"application/ld+json\">")
                .count(),
        "the document name is escaped; only ClaimReview data is in a script element"
    );
    assert!(
        html.contains("&lt;b&gt;&amp;&lt;/b&gt;"),
        "the text is escaped"
    );
    assert!(
        !html.contains("src=") && !html.contains("href=\"http"),
        "no external resources"
    );
    for needed in [
        "<h3>Quotes</h3>",
        "<h3>Claims</h3>",
        "<h3>Entities</h3>",
        "we agree",
        "US defense secretary",
    ] {
        assert!(html.contains(needed), "{needed}");
    }
    // The highlighted text, tags removed and entities decoded, is the document text.
    let body_text = strip_tags(&html);
    assert!(
        body_text.contains("Chuck Hagel said “we agree”, said Kim Kwan-jin."),
        "{body_text}"
    );
}

/// The report of a sample project, written by `marginalia export`.
fn report_of(project: &str, dir: &Path) -> String {
    let out = dir.join(format!("{project}.html"));
    let status = marginalia()
        .arg("export")
        .arg(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("projects")
                .join(project),
        )
        .args(["--format", "html", "--out"])
        .arg(&out)
        .status()
        .expect("run");
    assert!(status.success());
    std::fs::read_to_string(&out).expect("report")
}

#[test]
fn the_html_report_opens_with_a_briefing_of_the_whole_project() {
    let dir = tempfile::tempdir().expect("tempdir");
    let html = report_of("impeachment-hearings.ron", dir.path());
    let first_document = html.find("<section class=\"doc\"").expect("documents");
    for part in ["summary", "sources", "claims", "who", "charts"] {
        let link = format!("<a href=\"#{part}\">");
        let anchor = format!("id=\"{part}\"");
        assert!(html.contains(&link), "contents link to {part}");
        let at = html
            .find(&anchor)
            .unwrap_or_else(|| panic!("{part} section"));
        assert!(at < first_document, "the briefing comes first: {part}");
    }
    // Every document is in the contents and has its anchor.
    let project = marginalia::store::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/impeachment-hearings.ron"),
    )
    .expect("sample");
    for document in project.documents() {
        let anchor = format!("doc-{}", document.id.0);
        assert!(
            html.contains(&format!("<a href=\"#{anchor}\">")),
            "{anchor}"
        );
        assert!(html.contains(&format!("id=\"{anchor}\"")), "{anchor}");
    }
    let briefing = &html[..first_document];
    assert!(briefing.contains("4 document(s)"), "the summary counts");
    assert!(briefing.contains("<h4>Cluster 1 ("), "claim clusters");
    assert!(briefing.contains("quote(s))</h4>"), "who said what");
    assert!(
        briefing.matches("<svg ").count() >= 3,
        "charts as inline SVG"
    );
    assert!(briefing.contains("<title>Documents by publication date</title>"));
    assert!(html.contains("@media print"), "print CSS");

    // The first sample's graded claims carry ClaimReview data.
    let html = report_of("us-allies-missile-defence.ron", dir.path());
    let start = "<script type=\"application/ld+json\">";
    let json = &html[html.find(start).expect("JSON-LD") + start.len()..];
    let json = &json[..json.find("</script>").expect("closed")];
    let reviews: Value = serde_json::from_str(json).expect("JSON");
    let reviews = reviews.as_array().expect("a list");
    assert!(!reviews.is_empty());
    for review in reviews {
        assert_eq!(review["@type"], "ClaimReview");
        assert_eq!(review["@context"], "https://schema.org");
        let rating = review["reviewRating"]["ratingValue"]
            .as_u64()
            .expect("rating");
        assert!((1..=5).contains(&rating), "{review}");
        assert!(!review["claimReviewed"].as_str().unwrap_or("").is_empty());
        assert_eq!(review["itemReviewed"]["@type"], "Claim");
    }
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[test]
fn hostile_document_names_stay_inside_the_export_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let nested = dir.path().join("in");
    std::fs::create_dir_all(&nested).expect("mkdir");
    let workspace = workspace(&nested, "..%2F..%2Fevil CON.txt");
    let out = dir.path().join("brat");
    export(&workspace, Format::Brat, &out);
    let names: Vec<String> = std::fs::read_dir(&out)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(
        names
            .iter()
            .all(|n| !n.contains('/') && !n.starts_with('.'))
    );
}

#[test]
fn filters_choose_labels_kinds_and_documents() {
    let dir = tempfile::tempdir().expect("tempdir");
    let workspace = workspace(dir.path(), "article.txt");
    let count = |selection: Selection| workspace.annotation_set(&selection).annotation_count();
    assert_eq!(count(Selection::default()), 8);
    assert_eq!(
        count(Selection {
            labels: vec!["Person".to_owned()],
            ..Selection::default()
        }),
        5
    );
    assert_eq!(
        count(Selection {
            labels: vec!["claim".to_owned(), "quote".to_owned()],
            ..Selection::default()
        }),
        3
    );
    assert_eq!(
        count(Selection {
            kinds: vec![marginalia::model::LabelKind::Entity],
            ..Selection::default()
        }),
        5
    );
    assert_eq!(
        count(Selection {
            documents: vec!["article.txt".to_owned()],
            ..Selection::default()
        }),
        8
    );
    assert_eq!(
        count(Selection {
            documents: vec!["other.txt".to_owned()],
            ..Selection::default()
        }),
        0
    );
}

fn marginalia() -> Command {
    Command::new(env!("CARGO_BIN_EXE_marginalia"))
}

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/us-allies-missile-defence.ron")
}

#[test]
fn cli_exports_every_format_and_prints_the_fidelity_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    for format in ["brat", "w3c", "jsonl", "conll", "csv", "refi", "html"] {
        let out = dir.path().join(format!("out-{format}"));
        let output = marginalia()
            .arg("export")
            .arg(sample())
            .args(["--format", format, "--out"])
            .arg(&out)
            .output()
            .expect("run");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(stdout.contains("exported"), "{stdout}");
        assert!(out.exists());
    }
    let output = marginalia()
        .arg("export")
        .arg(sample())
        .args(["--format", "conll", "--labels", "Person,Location", "--out"])
        .arg(dir.path().join("people.conll"))
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&output.stdout);
    // Every chosen annotation is written; only the sample's entity links have no place.
    assert!(!stdout.contains("nested"), "{stdout}");
    assert!(stdout.contains("entity links"), "{stdout}");
}

#[test]
fn cli_export_failures_are_clear_and_leave_nothing_behind() {
    let dir = tempfile::tempdir().expect("tempdir");
    let unknown = marginalia()
        .arg("export")
        .arg(sample())
        .args(["--format", "docx", "--out"])
        .arg(dir.path().join("x"))
        .output()
        .expect("run");
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("invalid value 'docx'"));

    let missing = dir.path().join("missing.ron");
    let out = marginalia()
        .arg("export")
        .arg(&missing)
        .args(["--format", "csv", "--out"])
        .arg(dir.path().join("x.csv"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(&missing.display().to_string()));

    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "not a folder").expect("write");
    let target = blocker.join("x.csv");
    let out = marginalia()
        .arg("export")
        .arg(sample())
        .args(["--format", "csv", "--out"])
        .arg(&target)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write the export"));

    let full = dir.path().join("full");
    std::fs::create_dir_all(&full).expect("mkdir");
    std::fs::write(full.join("keep.txt"), "mine").expect("write");
    let out = marginalia()
        .arg("export")
        .arg(sample())
        .args(["--format", "brat", "--out"])
        .arg(&full)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not empty"));
    let entries: Vec<_> = std::fs::read_dir(dir.path()).expect("list").collect();
    assert_eq!(entries.len(), 2, "no partial files: {entries:?}");
}

/// The W3C's JSON-Schema test assertions (copied in `tests/data/w3c`, BSD-3).
mod w3c {
    use std::path::Path;

    use serde_json::Value;

    struct Definitions;

    impl jsonschema::Retrieve for Definitions {
        fn retrieve(
            &self,
            uri: &jsonschema::Uri<String>,
        ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
            let name = uri
                .path()
                .as_str()
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_owned();
            let path = data().join("definitions").join(&name);
            Ok(serde_json::from_str(&std::fs::read_to_string(path)?)?)
        }
    }

    fn data() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/w3c")
    }

    /// The assertions of `test_file` that `instance` fails, with their error messages.
    pub fn failed_musts(test_file: &str, instance: &Value) -> Vec<String> {
        let test: Value =
            serde_json::from_str(&std::fs::read_to_string(data().join(test_file)).expect("test"))
                .expect("json");
        let mut failures = Vec::new();
        for assertion in test["assertions"].as_array().expect("assertions") {
            let file = assertion.as_str().expect("assertion path");
            let schema: Value =
                serde_json::from_str(&std::fs::read_to_string(data().join(file)).expect("schema"))
                    .expect("json");
            let name = file.rsplit('/').next().expect("name");
            let validator = jsonschema::options()
                .with_draft(jsonschema::Draft::Draft4)
                .with_base_uri(format!("https://w3c.test/definitions/{name}"))
                .with_retriever(Definitions)
                .should_validate_formats(true)
                .build(&schema)
                .unwrap_or_else(|e| panic!("{file}: {e}"));
            let valid = validator.is_valid(instance);
            let expected = schema["expectedResult"].as_str().unwrap_or("valid") == "valid";
            if valid != expected {
                failures.push(format!("{file}: {}", schema["errorMessage"]));
            }
        }
        failures
    }
}

#[test]
fn refi_qdpx_validates_against_the_xsd_and_its_references_hold() {
    use std::io::Read;
    let dir = tempfile::tempdir().expect("tempdir");
    let workspace = workspace(dir.path(), "article.txt");
    let out = dir.path().join("out.qdpx");
    export(&workspace, Format::Refi, &out);
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&out).expect("open")).expect("zip");
    let mut read = |name: &str| {
        let mut text = String::new();
        archive
            .by_name(name)
            .expect(name)
            .read_to_string(&mut text)
            .expect("utf-8");
        text
    };
    let qde = read("project.qde");
    let qde_path = dir.path().join("project.qde");
    std::fs::write(&qde_path, &qde).expect("write");

    // The XSD, with Debian's xmllint (libxml2-utils). CI installs it and sets
    // MARGINALIA_REQUIRE_XMLLINT, so that there a missing xmllint fails; on a machine with
    // only the Rust toolchain this one check is left out (and said so).
    let xsd = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/refi/Project-mrt2019.xsd");
    match Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&xsd)
        .arg(&qde_path)
        .output()
    {
        Ok(xmllint) => assert!(
            xmllint.status.success(),
            "{}",
            String::from_utf8_lossy(&xmllint.stderr)
        ),
        Err(e) if std::env::var_os("MARGINALIA_REQUIRE_XMLLINT").is_some() => {
            panic!("xmllint must be installed (Debian package libxml2-utils): {e}")
        }
        Err(_) => eprintln!("xmllint not found: the XSD check of project.qde is left out"),
    }

    // What the XSD cannot check: positions inside the text, every reference resolves.
    let doc = roxmltree::Document::parse(&qde).expect("xml");
    let ns = "urn:QDA-XML:project:1.0";
    let guids: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("guid"))
        .collect();
    for reference in doc
        .descendants()
        .filter(|n| n.has_tag_name((ns, "CodeRef")) || n.has_tag_name((ns, "NoteRef")))
    {
        assert!(
            guids.contains(&reference.attribute("targetGUID").expect("target")),
            "dangling reference"
        );
    }
    analysts_are_users(&doc, &guids);
    let source = doc
        .descendants()
        .find(|n| n.has_tag_name((ns, "TextSource")))
        .expect("source");
    let path = source
        .attribute("plainTextPath")
        .expect("path")
        .replace("internal://", "sources/");
    let text = read(&path);
    assert_eq!(text, document_text(&workspace));
    let mut selections = 0;
    for selection in source
        .children()
        .filter(|n| n.has_tag_name((ns, "PlainTextSelection")))
    {
        let start: usize = selection
            .attribute("startPosition")
            .expect("start")
            .parse()
            .expect("number");
        let end: usize = selection
            .attribute("endPosition")
            .expect("end")
            .parse()
            .expect("number");
        assert!(start < end && end <= text.chars().count());
        selections += 1;
    }
    assert_eq!(selections, 8);
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name((ns, "Note")))
            .count(),
        2,
        "notes as memos"
    );
}

/// The analysts are REFI-QDA users; every selection names who made it, the changed ones who
/// changed them.
fn analysts_are_users(doc: &roxmltree::Document<'_>, guids: &[&str]) {
    let ns = "urn:QDA-XML:project:1.0";
    let users: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name((ns, "User")))
        .filter_map(|n| n.attribute("name"))
        .collect();
    assert_eq!(users, ["Ben", "Rania"]);
    let selections: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name((ns, "PlainTextSelection")))
        .collect();
    for selection in &selections {
        assert!(guids.contains(&selection.attribute("creatingUser").expect("creator")));
    }
    let ben = doc
        .descendants()
        .find(|n| n.has_tag_name((ns, "User")) && n.attribute("name") == Some("Ben"))
        .and_then(|n| n.attribute("guid"))
        .expect("Ben");
    let modifiers: Vec<Option<&str>> = selections
        .iter()
        .filter_map(|s| s.attribute("modifyingUser"))
        .map(|g| (g == ben).then_some("Ben"))
        .collect();
    assert_eq!(
        modifiers,
        [None, Some("Ben")],
        "the two annotations given notes: Hagel by Rania, the claim by Ben"
    );
}

/// A copy of the sample project and its article in a temporary folder.
fn sample_copy(dir: &Path) -> PathBuf {
    let projects = Path::new(env!("CARGO_MANIFEST_DIR")).join("projects");
    for entry in std::fs::read_dir(&projects).expect("list") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            std::fs::copy(&path, dir.join(path.file_name().expect("name"))).expect("copy");
        }
    }
    dir.join("us-allies-missile-defence.ron")
}

/// Issue 15, item 2: an export onto the project's own files is refused and changes nothing.
#[test]
fn cli_export_onto_the_project_or_its_files_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let project = sample_copy(dir.path());
    std::fs::write(
        dir.path().join("us-allies-missile-defence.ron.bak"),
        "older",
    )
    .expect("bak");
    let snapshot = || {
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| {
                let path = e.expect("entry").path();
                let name = path
                    .file_name()
                    .expect("name")
                    .to_string_lossy()
                    .into_owned();
                (name, std::fs::read(&path).expect("read"))
            })
            .collect();
        files.sort();
        files
    };
    let before = snapshot();
    let link = dir.path().join("link.ron");
    std::os::unix::fs::symlink(&project, &link).expect("symlink");
    let spelled_otherwise = dir.path().join(".").join("us-allies-missile-defence.ron");
    for (target, what) in [
        (project.clone(), "the project file"),
        (spelled_otherwise, "the project file"),
        (link.clone(), "the project file"),
        (
            dir.path().join("us-allies-missile-defence.ron.bak"),
            "a file the project keeps",
        ),
        (
            dir.path().join("us-allies-missile-defence.ron.recovery"),
            "a file the project keeps",
        ),
        (
            dir.path().join(common_article()),
            "the source of the document",
        ),
    ] {
        for format in ["jsonl", "csv", "html"] {
            let out = marginalia()
                .arg("export")
                .arg(&project)
                .args(["--format", format, "--out"])
                .arg(&target)
                .output()
                .expect("run");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{}: {stderr}", target.display());
            assert!(stderr.contains(what), "{stderr}");
            assert!(stderr.contains("not exported"), "{stderr}");
        }
    }
    std::fs::remove_file(&link).expect("unlink");
    assert_eq!(snapshot(), before, "nothing written, nothing deleted");
}

/// Issue 15, item 2: replacing an earlier export never deletes a `.bak` it did not make.
#[test]
fn an_export_leaves_a_backup_it_did_not_make() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("report.csv");
    std::fs::write(&out, "an old export").expect("old");
    let bak = dir.path().join("report.csv.bak");
    std::fs::write(&bak, "the analyst's own backup").expect("bak");
    let run = marginalia()
        .arg("export")
        .arg(sample())
        .args(["--format", "csv", "--out"])
        .arg(&out)
        .output()
        .expect("run");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&bak).expect("kept"),
        "the analyst's own backup"
    );
    assert_ne!(std::fs::read_to_string(&out).expect("new"), "an old export");
}

fn common_article() -> &'static str {
    "us-allies-intel-swaps-north-korea-missiles.txt"
}
