//! The catalogue of bad and unusual inputs in `tests/data/bad_inputs/`: every file gives its
//! specific error (naming the file) or a correct load, the headless commands never panic on
//! it, and no file is ever changed by trying.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use marginalia::ingest::{IngestError, read_article};
use marginalia::model::{CharPos, DocText};
use marginalia::store::{LoadMode, StoreError};
use marginalia::workspace::{DocumentState, Workspace};

/// A fresh copy of the catalogue (so that a bug cannot damage the repository's files).
fn catalogue() -> tempfile::TempDir {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/bad_inputs");
    let dir = tempfile::tempdir().expect("tempdir");
    for entry in std::fs::read_dir(source).expect("catalogue") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).expect("copy");
    }
    dir
}

/// Every file of a folder with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    std::fs::read_dir(dir)
        .expect("list")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_file())
        .map(|e| (e.path(), std::fs::read(e.path()).expect("read")))
        .collect()
}

fn marginalia(args: &[&Path]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .args(args)
        .output()
        .expect("run");
    let code = out.status.code().expect("exit code (not killed)");
    assert_ne!(
        code,
        101,
        "a panic: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        code,
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const SAID: &str = "Hagel said “no” to Kim.\n";

#[test]
fn article_files_in_any_encoding_and_script_load_correctly() {
    let dir = catalogue();
    let before = snapshot(dir.path());
    let path = |name: &str| dir.path().join(name);

    // (file, encoding, exact text) for everything that must load.
    let loads: &[(&str, &str, &str)] = &[
        ("utf16le-bom.txt", "UTF-16LE", SAID),
        ("utf16be-bom.txt", "UTF-16BE", SAID),
        ("utf16le-nobom.txt", "UTF-16LE", SAID),
        ("utf16be-nobom.txt", "UTF-16BE", SAID),
        ("utf8-bom.txt", "UTF-8", "Hagel said “no”.\n"),
        (
            "windows-1252.txt",
            "windows-1252",
            "Ein “Zitat” über Straße und Café — 1252.\n",
        ),
        (
            "invalid-utf8.txt",
            "windows-1252",
            "Le café de la gare, déjà fermé à cinq heures, où l’on parlait.\n",
        ),
        ("crlf.txt", "UTF-8", "First line\nSecond line\nThird\n"),
        ("cr-only.txt", "UTF-8", "First line\nSecond line\nThird\n"),
        (
            "rtl.txt",
            "UTF-8",
            "قال وزير الدفاع تشاك هيغل إن «التعاون» مستمر.\nשר ההגנה אמר כי שיתוף הפעולה נמשך.\n",
        ),
        (
            "combining.txt",
            "UTF-8",
            "Cafe\u{301} in Sa\u{303}o Paulo; Zoë and Zoe\u{308}.\n",
        ),
        (
            "zwj-emoji.txt",
            "UTF-8",
            "Family 👩\u{200d}👩\u{200d}👧 and flag 🇰🇷 near Kim.\n",
        ),
        ("empty.txt", "UTF-8", ""),
    ];
    for &(name, encoding, text) in loads {
        let article = read_article(&path(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            (article.encoding.as_str(), article.text.as_str()),
            (encoding, text),
            "{name}"
        );
    }

    // CRLF: offsets count the one "\n" the text has, as every export writes it.
    let crlf = DocText::new(read_article(&path("crlf.txt")).expect("crlf").text);
    let second = crlf
        .selection(CharPos(12), CharPos(13), true)
        .expect("a word");
    assert_eq!(
        (second.start(), crlf.slice(second)),
        (CharPos(11), Some("Second"))
    );
    // A drag inside a word with a combining accent takes the whole word, accent included.
    let combining = DocText::new(read_article(&path("combining.txt")).expect("text").text);
    let cafe = combining
        .selection(CharPos(1), CharPos(2), true)
        .expect("a word");
    assert_eq!(combining.slice(cafe), Some("Cafe\u{301}"));
    // Right-to-left text: a word of Arabic is selected by the same rules.
    let rtl = DocText::new(read_article(&path("rtl.txt")).expect("text").text);
    let word = rtl.selection(CharPos(5), CharPos(6), true).expect("a word");
    assert_eq!(rtl.slice(word), Some("وزير"));

    // An empty document is added, and the analyst is told.
    let mut workspace = Workspace::new_at(&path("new.ron"));
    workspace
        .add_document(&path("empty.txt"))
        .expect("empty is allowed");
    assert!(
        workspace.problems()[0].starts_with("the document is empty"),
        "{:?}",
        workspace.problems()
    );

    assert_eq!(snapshot(dir.path()), before, "no file changed");
}

#[test]
fn what_is_not_an_article_is_refused_with_the_reason_and_the_file() {
    let dir = catalogue();
    let before = snapshot(dir.path());
    let path = |name: &str| dir.path().join(name);
    // Refusals: the specific reason, and the file.
    let refused: &[(&str, &str)] = &[
        ("binary-png.txt", "binary file"),
        ("binary-elf.txt", "binary file"),
        ("nul-in-text.txt", "a NUL byte at offset 10"),
        ("unsupported.doc", "unsupported file type \".doc\""),
        ("broken.pdf", "not a readable PDF"),
    ];
    for &(name, reason) in refused {
        let message = read_article(&path(name)).expect_err(name).to_string();
        assert!(message.contains(reason), "{name}: {message}");
        assert!(
            message.ends_with(&path(name).display().to_string()),
            "{message}"
        );
    }
    let folder = read_article(dir.path()).expect_err("a folder").to_string();
    assert!(folder.contains("folder"), "{folder}");

    // Too large: refused by its size before anything is read (a sparse file).
    let huge = path("huge.txt");
    let file = std::fs::File::create(&huge).expect("create");
    file.set_len(marginalia::ingest::MAX_FILE_BYTES + 1)
        .expect("grow");
    match read_article(&huge) {
        Err(IngestError::TooLarge { size_bytes, .. }) => {
            assert_eq!(size_bytes, marginalia::ingest::MAX_FILE_BYTES + 1);
        }
        other => panic!("{other:?}"),
    }
    let message = read_article(&huge).expect_err("too large").to_string();
    assert!(message.contains("209715201 bytes"), "{message}");
    std::fs::remove_file(&huge).expect("remove");

    assert_eq!(snapshot(dir.path()), before, "no file changed");
}

#[test]
fn the_add_command_never_panics_and_names_each_bad_file() {
    let dir = catalogue();
    let project = dir.path().join("added.ron");
    for name in [
        "binary-png.txt",
        "binary-elf.txt",
        "nul-in-text.txt",
        "unsupported.doc",
        "broken.pdf",
    ] {
        let file = dir.path().join(name);
        let (code, _, stderr) = marginalia(&[Path::new("add"), &project, &file]);
        assert_eq!(code, 2, "{name}: {stderr}");
        assert!(stderr.contains(name), "{stderr}");
        assert!(
            !project.exists(),
            "nothing written when the file is refused"
        );
    }
    let good = dir.path().join("utf16le-nobom.txt");
    let (code, stdout, stderr) = marginalia(&[Path::new("add"), &project, &good]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("1 document(s) added"), "{stdout}");
}

/// What opening a catalogue project must give.
enum Expect {
    /// Loads strictly, with this many annotations and problems.
    Loads { annotations: usize, problems: usize },
    /// Refused; the message contains this. With `anyway`, "open anyway" loads this many
    /// annotations and puts this many on the review list.
    Refused {
        says: &'static str,
        anyway: Option<(usize, usize)>,
    },
}

fn loads(annotations: usize, problems: usize) -> Expect {
    Expect::Loads {
        annotations,
        problems,
    }
}

fn refused(says: &'static str) -> Expect {
    Expect::Refused { says, anyway: None }
}

/// Refused, but "open anyway" loads one annotation and sets the bad one aside.
fn refused_but_open_anyway(says: &'static str) -> Expect {
    Expect::Refused {
        says,
        anyway: Some((1, 1)),
    }
}

#[test]
fn project_files_load_or_are_refused_with_a_clear_error_and_nothing_changes() {
    let cases = [
        ("good.ron", loads(2, 0)),
        ("older-version.ron", loads(2, 0)),
        ("missing-document.ron", loads(2, 1)),
        ("outside-path.ron", loads(2, 1)),
        ("truncated.ron", refused("not valid RON at line")),
        (
            "newer-version.ron",
            refused("format version 99, newer than this Marginalia understands"),
        ),
        ("garbage.ron", refused("this is not a project file")),
        ("not-ron.ron", refused("not valid RON at line 1")),
        ("empty.ron", refused("not valid RON")),
        ("deeply-nested.ron", refused("nested too deeply")),
        (
            "out-of-range.ron",
            refused_but_open_anyway("annotation #2 spans 500..515, past the end of its document"),
        ),
        (
            "duplicate-ids.ron",
            refused_but_open_anyway("annotation id 1 is used twice"),
        ),
        (
            "unknown-label.ron",
            refused_but_open_anyway("uses label \"spy\", which the schema does not define"),
        ),
        (
            "text-mismatch.ron",
            refused_but_open_anyway("spans 11 characters but its text has 5"),
        ),
    ];
    let dir = catalogue();
    let before = snapshot(dir.path());
    for (name, expect) in &cases {
        let path = dir.path().join(name);
        let (code, stdout, stderr) = marginalia(&[Path::new("validate"), &path]);
        match expect {
            Expect::Loads {
                annotations,
                problems,
            } => {
                let workspace = Workspace::open(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(
                    workspace.project().annotation_count(),
                    *annotations,
                    "{name}"
                );
                assert_eq!(workspace.problems().len(), *problems, "{name}");
                assert_eq!(code, i32::from(*problems > 0), "{name}: {stdout}{stderr}");
            }
            Expect::Refused { says, anyway } => {
                let error = Workspace::open(&path).expect_err(name);
                let message = error.to_string();
                assert!(message.contains(says), "{name}: {message}");
                assert!(
                    message.ends_with(&path.display().to_string()),
                    "{name}: {message}"
                );
                assert_eq!(code, 2, "{name}");
                assert!(stderr.contains(says), "{name}: {stderr}");
                if let Some((annotations, orphans)) = anyway {
                    assert!(matches!(error, StoreError::Invalid { .. }), "{name}");
                    let workspace = Workspace::open_with(&path, LoadMode::SetAsideInvalid)
                        .unwrap_or_else(|e| panic!("{name}: {e}"));
                    assert_eq!(
                        workspace.project().annotation_count(),
                        *annotations,
                        "{name}"
                    );
                    assert_eq!(workspace.project().orphan_count(), *orphans, "{name}");
                }
            }
        }
    }
    // The missing document is shown as such, with its annotations kept.
    let missing = Workspace::open(&dir.path().join("missing-document.ron")).expect("open");
    let id = missing.project().documents()[0].id;
    assert!(matches!(
        missing.document_state(id),
        Some(DocumentState::Unavailable(reason)) if reason.contains("missing")
    ));
    assert_eq!(snapshot(dir.path()), before, "no file changed");
}

/// Runs `marginalia` with `args`, killing it if it takes longer than `seconds` (a hang
/// fails the test instead of stalling the run).
fn marginalia_within(seconds: u64, args: &[&std::ffi::OsStr]) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("poll") {
            let mut stderr = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut stderr)
                .expect("read");
            let code = status.code().expect("exit code (not killed by a signal)");
            assert_ne!(code, 101, "a panic: {stderr}");
            return (code, stderr);
        }
        if started.elapsed() > std::time::Duration::from_secs(seconds) {
            let _ = child.kill();
            panic!("still running after {seconds} s: {args:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Issue 15, item 5: a link to a device and a pipe named like an article are refused at
/// once, for `text`, `add`, a brat import's text and a project's document.
#[test]
fn devices_and_pipes_named_like_articles_are_refused_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zero = dir.path().join("zero.txt");
    std::os::unix::fs::symlink("/dev/zero", &zero).expect("symlink");
    let pipe = dir.path().join("pipe.txt");
    let made = Command::new("mkfifo").arg(&pipe).status().expect("mkfifo");
    assert!(made.success());
    let project = dir.path().join("p.ron");
    for file in [&zero, &pipe] {
        for command in ["text", "add"] {
            let mut args = vec![std::ffi::OsStr::new(command)];
            if command == "add" {
                args.push(project.as_os_str());
            }
            args.push(file.as_os_str());
            let (code, stderr) = marginalia_within(20, &args);
            assert_eq!(code, 2, "{stderr}");
            assert!(stderr.contains("not a regular file"), "{stderr}");
            assert!(stderr.contains(&*file.to_string_lossy()), "{stderr}");
        }
    }
    // A brat annotation file whose text is a pipe.
    let ann = dir.path().join("pipe.ann");
    std::fs::write(&ann, "T1\tPerson 0 5\tHagel\n").expect("ann");
    let (code, stderr) = marginalia_within(
        20,
        &[
            "import".as_ref(),
            project.as_os_str(),
            "--format".as_ref(),
            "brat".as_ref(),
            ann.as_os_str(),
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");
    // A project file that is a pipe is refused too (it blocked `stats` for ever).
    let pipe_project = dir.path().join("pipe.ron");
    let made = Command::new("mkfifo")
        .arg(&pipe_project)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let (code, stderr) = marginalia_within(20, &["stats".as_ref(), pipe_project.as_os_str()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");
    // A project whose document became a link to /dev/zero opens, the document unavailable.
    let article = dir.path().join("article.txt");
    std::fs::write(&article, SAID).expect("article");
    let mut workspace = Workspace::new_at(&project);
    workspace.add_document(&article).expect("add");
    workspace.save().expect("save");
    std::fs::remove_file(&article).expect("remove");
    std::os::unix::fs::symlink("/dev/zero", &article).expect("symlink");
    let (code, stderr) = marginalia_within(20, &["validate".as_ref(), project.as_os_str()]);
    assert_eq!(code, 1, "{stderr}");
    let opened = Workspace::open(&project).expect("opens");
    let problems = opened.problems().join("\n");
    assert!(problems.contains("not a regular file"), "{problems}");
}

/// Issue 15, item 7: a `.qdpx` whose `project.qde` inflates a thousandfold is refused before
/// it is inflated.
#[test]
fn a_zip_bomb_in_a_refi_qda_file_is_refused() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("tempdir");
    let bomb = dir.path().join("bomb.qdpx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&bomb).expect("create"));
    zip.start_file(
        "project.qde",
        zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated),
    )
    .expect("entry");
    let block = vec![b' '; 1 << 20];
    for _ in 0..16 {
        zip.write_all(&block).expect("write");
    }
    zip.finish().expect("finish");
    assert!(std::fs::metadata(&bomb).expect("meta").len() < 100_000);
    let project = dir.path().join("p.ron");
    let (code, stderr) = marginalia_within(
        20,
        &[
            "import".as_ref(),
            project.as_os_str(),
            "--format".as_ref(),
            "refi".as_ref(),
            bomb.as_os_str(),
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("project.qde inflates to 16777216 bytes"),
        "{stderr}"
    );
    assert!(!project.exists(), "nothing saved");
}

/// Issue 15, items 3 and 4: pages nested deeper than any browser shows (120,000 spans, 40,000
/// unclosed span-b-i triples, 20,000 divs) are refused at once with the reason, by `text`,
/// `add` and `suggest`, instead of overflowing the stack or taking minutes.
#[test]
fn pages_nested_absurdly_deep_are_refused_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pages = [
        (
            "spans.html",
            format!(
                "<html><body><p>Intro.</p>{}deep{}</body></html>",
                "<span>".repeat(120_000),
                "</span>".repeat(120_000)
            ),
        ),
        (
            "unclosed.html",
            format!(
                "<html><body><p>Intro.</p>{}x</body></html>",
                "<span><b><i>".repeat(40_000)
            ),
        ),
        (
            "divs.html",
            format!(
                "<html><body><p>Intro.</p>{}deep{}</body></html>",
                "<div>".repeat(20_000),
                "</div>".repeat(20_000)
            ),
        ),
    ];
    let project = dir.path().join("p.ron");
    for (name, html) in pages {
        let page = dir.path().join(name);
        std::fs::write(&page, html).expect("write");
        for args in [
            vec!["text".as_ref(), page.as_os_str()],
            vec!["add".as_ref(), project.as_os_str(), page.as_os_str()],
            vec!["suggest".as_ref(), page.as_os_str()],
        ] {
            let (code, stderr) = marginalia_within(20, &args);
            assert_eq!(code, 2, "{name}: {stderr}");
            assert!(stderr.contains("nested more than 512 deep"), "{stderr}");
            assert!(stderr.contains(name), "{stderr}");
        }
    }
}

/// Issue 15, items 6 and 15: NUL bytes after a valid head are refused at the first one, with
/// its line and column, without reading on (a gigabyte of them took 201 s and 1 GB); an
/// invalid UTF-8 byte is placed by line and column, not a byte offset.
#[test]
fn a_project_file_damaged_by_nul_or_invalid_bytes_is_refused_at_the_first_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A project in the current form (read block by block), then 64 MB of NULs.
    let article = dir.path().join("article.txt");
    std::fs::write(&article, SAID).expect("article");
    let path = dir.path().join("p.ron");
    let mut workspace = Workspace::new_at(&path);
    workspace.add_document(&article).expect("add");
    workspace.save().expect("save");
    let good = std::fs::read(&path).expect("read");
    let lines = memchr::memchr_iter(b'\n', &good).count();
    let mut damaged = good.clone();
    damaged.extend(std::iter::repeat_n(0u8, 64 << 20));
    std::fs::write(&path, &damaged).expect("write");
    let started = std::time::Instant::now();
    let error = Workspace::open(&path).expect_err("refused").to_string();
    assert!(
        error.contains(&format!("line {}, column 1", lines + 1)),
        "{error}"
    );
    assert!(error.contains("a NUL byte"), "{error}");
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    // The same in an older form (read whole): a NUL in the middle of line 3.
    let old = dir.path().join("old.ron");
    std::fs::write(&old, b"// header\n(\n    ver\0sion: 2,\n)\n").expect("write");
    let error = Workspace::open(&old).expect_err("refused").to_string();
    assert!(error.contains("line 3, column 8"), "{error}");
    // An invalid UTF-8 byte on line 2.
    std::fs::write(&old, b"// header\n(  \xff\n").expect("write");
    let error = Workspace::open(&old).expect_err("refused").to_string();
    assert!(error.contains("line 2, column 4"), "{error}");
    assert!(error.contains("not UTF-8"), "{error}");
}

/// Issue 15, item 13: an article whose file name is not UTF-8 (`caf\xe9.txt`) is refused
/// with a message, instead of being stored under a mangled name and missing next time.
#[test]
fn a_file_name_that_is_not_utf8_is_refused_with_a_message() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    let article = dir.path().join(name);
    std::fs::write(&article, SAID).expect("write");
    let project = dir.path().join("p.ron");
    let (code, stderr) = marginalia_within(
        20,
        &["add".as_ref(), project.as_os_str(), article.as_os_str()],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("not valid UTF-8"), "{stderr}");
    assert!(stderr.contains("caf"), "{stderr}");
    let error = read_article(&article).expect_err("refused");
    assert!(matches!(error, IngestError::NameNotUtf8 { .. }), "{error}");
}

/// Issue 15, items 11 and 12: decoding that garbled silently. Each case reads right, and says
/// what was guessed or replaced (on the document, and printed by `add`).
#[test]
fn encodings_are_not_garbled_and_guesses_are_said() {
    let dir = tempfile::tempdir().expect("tempdir");
    let russian = "Министр обороны заявил, что испытание прошло успешно. ".repeat(20);
    let korean =
        "국방부는 미사일 시험이 성공했다고 밝혔다.\n김정은 위원장이 참관했다.\n".repeat(10);
    // UTF-8 with three damaged bytes: read as UTF-8 (it was IBM866), the bytes replaced.
    let mut damaged = russian.clone().into_bytes();
    let spaces: Vec<usize> = memchr::memchr_iter(b' ', &damaged).collect();
    for at in [spaces[1], spaces[40], spaces[90]] {
        damaged[at] = 0xFF;
    }
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("damaged.txt", damaged, "3 byte(s) that are not UTF-8 were replaced"),
        // UTF-16LE Korean without a byte-order mark (it was read as windows-1252).
        (
            "korean-utf16.txt",
            korean.encode_utf16().flat_map(u16::to_le_bytes).collect(),
            "no byte-order mark: read as UTF-16LE",
        ),
        (
            "korean-utf16be.txt",
            korean.encode_utf16().flat_map(u16::to_be_bytes).collect(),
            "no byte-order mark: read as UTF-16BE",
        ),
        // A page declaring ISO-2022-KR (WHATWG: "replacement") became one U+FFFD.
        (
            "iso-2022-kr.html",
            format!(
                "<html><head><meta charset=\"iso-2022-kr\"><title>T</title></head><body><article><p>{russian}</p></article></body></html>"
            )
            .into_bytes(),
            "declares an encoding that cannot be read safely",
        ),
    ];
    let project = dir.path().join("p.ron");
    for (name, bytes, note) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).expect("write");
        let article = read_article(&path).expect("reads");
        let expected = if name.starts_with("korean") {
            korean.trim_end()
        } else {
            "Министр обороны заявил"
        };
        assert!(
            article
                .text
                .contains(expected.lines().next().expect("line")),
            "{name}: {}",
            article.text.chars().take(80).collect::<String>()
        );
        assert!(!article.text.starts_with('\u{FFFD}'), "{name}");
        let said = article.note.clone().unwrap_or_default();
        assert!(said.contains(note), "{name}: {said}");
        assert!(said.ends_with(name), "{name}: {said}");
        let out = Command::new(env!("CARGO_BIN_EXE_marginalia"))
            .arg("add")
            .arg(&project)
            .arg(&path)
            .output()
            .expect("run");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            stdout.contains("note: ") && stdout.contains(note),
            "{stdout}"
        );
    }
    // A legacy file is still guessed, and the guess said.
    let cyrillic: Vec<u8> = encoding_rs::WINDOWS_1251.encode(&russian).0.into_owned();
    let path = dir.path().join("cp1251.txt");
    std::fs::write(&path, cyrillic).expect("write");
    let article = read_article(&path).expect("reads");
    assert_eq!(article.encoding, "windows-1251");
    assert!(article.text.starts_with("Министр"));
    let said = article.note.unwrap_or_default();
    assert!(said.contains("guessed windows-1251"), "{said}");
}
