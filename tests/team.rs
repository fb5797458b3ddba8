//! A team on git: two analysts clone one project repository, work on their copies, and
//! merge with real `git` — with the merge driver `marginalia team init` registers, and
//! without it (conflict markers, resolved by `marginalia resolve` and by opening).

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use egui_kittest::kittest::Queryable;

use marginalia::model::{AnnotationId, CharPos, DocumentId, LabelId, Span};
use marginalia::store;
use marginalia::workspace::Workspace;

use common::ARTICLE;
const PROJECT: &str = "team.ron";

/// True if `git` runs here. These tests drive real git; on a machine without it they are
/// left out (and say so), except where `MARGINALIA_REQUIRE_GIT` is set (CI), where a
/// missing git fails them.
fn git_installed() -> bool {
    match Command::new("git").arg("--version").output() {
        Ok(output) if output.status.success() => true,
        _ if std::env::var_os("MARGINALIA_REQUIRE_GIT").is_some() => {
            panic!("git must be installed (Debian package git)")
        }
        _ => {
            eprintln!("git not found: the tests that drive git are left out");
            false
        }
    }
}

/// Runs git in `dir` (identity and defaults fixed, so the machine's own config is moot).
fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_EMAIL", "analyst@example.org")
        .env("GIT_COMMITTER_EMAIL", "analyst@example.org")
        .env("GIT_COMMITTER_NAME", "analyst")
        .args(["-c", "init.defaultBranch=main", "-c", "pull.rebase=false"])
        .args(args)
        .output()
        .expect("git runs")
}

fn git_ok(dir: &Path, args: &[&str]) {
    let output = git(dir, args);
    assert!(
        output.status.success(),
        "git {args:?}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Runs the marginalia binary in `dir`; (exit code, stdout + stderr).
fn marginalia(dir: &Path, args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .args(args)
        .output()
        .expect("marginalia runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

/// A shared repository with the project (the reference article, two annotations, an
/// entity), and two analysts' clones: (temp dir, Ana's clone, Ben's clone). With
/// `driver`, each clone ran `marginalia team init`.
fn team(driver: bool) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let origin = dir.path().join("origin");
    let seed = dir.path().join("seed");
    std::fs::create_dir_all(&seed).expect("seed");
    git_ok(dir.path(), &["init", "-q", "--bare", "origin"]);
    git_ok(&seed, &["init", "-q"]);
    git_ok(&seed, &["config", "user.name", "Lead"]);
    let article = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("projects")
        .join(ARTICLE);
    std::fs::copy(&article, seed.join(ARTICLE)).expect("copy article");
    std::fs::write(seed.join("other.txt"), "Rachel Oswald wrote from Seoul.\n").expect("write");
    let mut w = Workspace::new_at(&seed.join(PROJECT));
    let doc = w.add_document(&seed.join(ARTICLE)).expect("add");
    let hagel = w
        .annotate(doc, span_of(&w, doc, "Chuck Hagel", 0), &label("person"))
        .expect("tag");
    w.new_entity_from(hagel).expect("entity");
    w.annotate(doc, span_of(&w, doc, "Singapore", 0), &label("location"))
        .expect("tag");
    w.save().expect("save");
    if driver {
        let (code, said) = marginalia(&seed, &["team", "init", PROJECT]);
        assert_eq!(code, 0, "{said}");
    }
    git_ok(&seed, &["add", "-A"]);
    git_ok(&seed, &["commit", "-q", "-m", "start"]);
    git_ok(
        &seed,
        &["remote", "add", "origin", origin.to_str().expect("utf-8")],
    );
    git_ok(&seed, &["push", "-q", "origin", "main"]);
    let mut clones = Vec::new();
    for name in ["Ana", "Ben"] {
        let clone = dir.path().join(name);
        git_ok(
            dir.path(),
            &["clone", "-q", origin.to_str().expect("utf-8"), name],
        );
        git_ok(&clone, &["config", "user.name", name]);
        git_ok(&clone, &["config", "user.email", "analyst@example.org"]);
        if driver {
            // The driver is registered per clone (git does not clone configuration);
            // `.gitattributes` came with the repository.
            let (code, said) = marginalia(&clone, &["team", "init", PROJECT]);
            assert_eq!(code, 0, "{said}");
        }
        clones.push(clone);
    }
    let ben = clones.pop().expect("Ben");
    let ana = clones.pop().expect("Ana");
    (dir, ana, ben)
}

fn label(id: &str) -> LabelId {
    LabelId(id.into())
}

fn span_of(w: &Workspace, doc: DocumentId, needle: &str, occurrence: usize) -> Span {
    let text = w.text(doc).expect("text").as_str();
    let (byte, _) = text.match_indices(needle).nth(occurrence).expect("found");
    let start = text[..byte].chars().count();
    Span::new(CharPos(start), CharPos(start + needle.chars().count())).expect("span")
}

fn open(clone: &Path) -> Workspace {
    Workspace::open(&clone.join(PROJECT)).expect("open")
}

fn commit(clone: &Path, message: &str) {
    git_ok(clone, &["add", "-A"]);
    git_ok(clone, &["commit", "-q", "-m", message]);
}

/// Ana pushes; Ben pulls (a merge) and the output of the pull is returned.
fn ana_pushes_ben_pulls(ana: &Path, ben: &Path) -> std::process::Output {
    git_ok(ana, &["push", "-q", "origin", "main"]);
    git(ben, &["pull", "-q", "--no-edit", "origin", "main"])
}

fn merged_cleanly(ben: &Path, pull: &std::process::Output) -> store::Loaded {
    assert!(
        pull.status.success(),
        "the merge stopped: {}{}",
        String::from_utf8_lossy(&pull.stdout),
        String::from_utf8_lossy(&pull.stderr)
    );
    let text = std::fs::read_to_string(ben.join(PROJECT)).expect("read");
    assert!(!store::merge::has_conflict_markers(&text), "{text}");
    store::parse(&text, &ben.join(PROJECT), store::LoadMode::Strict).expect("the merge loads")
}

/// Ana pushes, Ben pulls: the merge finished cleanly, as Ben's project file now has it.
fn merged_at_ben(ana: &Path, ben: &Path) -> store::Loaded {
    let pull = ana_pushes_ben_pulls(ana, ben);
    merged_cleanly(ben, &pull)
}

fn texts(project: &marginalia::model::Project) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = project
        .annotations()
        .map(|a| (a.label.to_string(), a.text().to_owned()))
        .collect();
    all.sort();
    all
}

#[test]
fn disjoint_documents_merge_without_conflict_and_the_same_file_is_one_document() {
    if !git_installed() {
        return;
    }
    let (_dir, ana, ben) = team(true);
    let mut a = open(&ana);
    let other = a.add_document(&ana.join("other.txt")).expect("add");
    a.annotate(
        other,
        span_of(&a, other, "Rachel Oswald", 0),
        &label("person"),
    )
    .expect("tag");
    a.save().expect("save");
    commit(&ana, "Ana: other.txt");

    let mut b = open(&ben);
    // Ben adds the same file (same path, same contents) and tags something else in it.
    let same = b.add_document(&ben.join("other.txt")).expect("add");
    b.annotate(same, span_of(&b, same, "Seoul", 0), &label("location"))
        .expect("tag");
    let doc = b.project().documents()[1].id;
    b.annotate(doc, span_of(&b, doc, "Kim Kwan-jin", 0), &label("person"))
        .expect("tag");
    b.save().expect("save");
    commit(&ben, "Ben: tags");

    let merged = merged_at_ben(&ana, &ben);
    let project = &merged.project;
    assert_eq!(project.documents().len(), 2, "other.txt is one document");
    assert_eq!(
        texts(project),
        vec![
            ("location".to_owned(), "Seoul".to_owned()),
            ("location".to_owned(), "Singapore".to_owned()),
            ("person".to_owned(), "Chuck Hagel".to_owned()),
            ("person".to_owned(), "Kim Kwan-jin".to_owned()),
            ("person".to_owned(), "Rachel Oswald".to_owned()),
        ]
    );
    // Each annotation records its analyst (git's user.name of the clone it was made in).
    let author = |t: &str| {
        project
            .annotations()
            .find(|a| a.text() == t)
            .map(|a| a.author.clone())
            .expect("annotation")
    };
    assert_eq!(author("Rachel Oswald"), "Ana");
    assert_eq!(author("Seoul"), "Ben");
    assert_eq!(author("Chuck Hagel"), "Lead");
    let (code, said) = marginalia(&ben, &["validate", PROJECT]);
    assert_eq!(code, 0, "{said}");
}

#[test]
fn edits_deletions_renames_and_entity_merges_on_two_sides_all_survive() {
    if !git_installed() {
        return;
    }
    let (_dir, ana, ben) = team(true);
    let mut a = open(&ana);
    let doc = a.project().documents()[0].id;
    let find = |w: &Workspace, t: &str| -> AnnotationId {
        w.project()
            .annotations()
            .find(|a| a.text() == t)
            .expect("annotation")
            .id
    };
    // Ana: deletes "Singapore", renames the Person label, writes a note on "Chuck Hagel".
    a.remove(vec![find(&a, "Singapore")]).expect("remove");
    let mut person = a
        .project()
        .schema
        .label(&label("person"))
        .expect("label")
        .clone();
    person.name = "Individual".to_owned();
    a.update_label(person).expect("rename");
    let hagel = find(&a, "Chuck Hagel");
    a.set_note(hagel, "SecDef").expect("note");
    a.save().expect("save");
    commit(&ana, "Ana");

    // Ben: tags "Hagel" as a person linked to a new entity, and "Tokyo".
    let mut b = open(&ben);
    let mention = b
        .annotate(doc, span_of(&b, doc, "Hagel", 1), &label("person"))
        .expect("tag");
    let new_entity = b.new_entity_from(mention).expect("entity");
    b.annotate(doc, span_of(&b, doc, "Tokyo", 0), &label("location"))
        .expect("tag");
    b.save().expect("save");
    commit(&ben, "Ben");

    let merged = merged_at_ben(&ana, &ben);
    let project = &merged.project;
    assert_eq!(
        texts(project),
        vec![
            ("location".to_owned(), "Tokyo".to_owned()),
            ("person".to_owned(), "Chuck Hagel".to_owned()),
            ("person".to_owned(), "Hagel".to_owned()),
        ],
        "Ana's deletion and Ben's additions"
    );
    assert_eq!(
        project.schema.label(&label("person")).expect("label").name,
        "Individual"
    );
    let chuck = project
        .annotations()
        .find(|a| a.text() == "Chuck Hagel")
        .expect("Chuck");
    assert_eq!(chuck.note, "SecDef");
    assert!(project.entity(new_entity).is_some());
}

#[test]
fn an_entity_merged_on_one_side_takes_the_other_sides_new_mentions() {
    if !git_installed() {
        return;
    }
    let (_dir, ana, ben) = team(true);
    // Both start from a project with a second entity "Hagel" (same id on both sides).
    let mut seed = open(&ana);
    let doc = seed.project().documents()[0].id;
    let mention = seed
        .annotate(doc, span_of(&seed, doc, "Hagel", 1), &label("person"))
        .expect("tag");
    let hagel = seed.new_entity_from(mention).expect("entity");
    seed.save().expect("save");
    commit(&ana, "Hagel as its own entity");
    git_ok(&ana, &["push", "-q", "origin", "main"]);
    git_ok(&ben, &["pull", "-q", "--no-edit", "origin", "main"]);

    // Ana merges "Hagel" into "Chuck Hagel".
    let mut a = open(&ana);
    let chuck = a
        .project()
        .entities()
        .find(|e| e.name == "Chuck Hagel")
        .expect("Chuck")
        .id;
    a.merge_entities(chuck, hagel).expect("merge");
    a.save().expect("save");
    commit(&ana, "Ana merges Hagel");

    // Ben links a new mention to "Hagel".
    let mut b = open(&ben);
    let third = b
        .annotate(doc, span_of(&b, doc, "Hagel", 2), &label("person"))
        .expect("tag");
    b.link_entity(third, Some(hagel)).expect("link");
    b.save().expect("save");
    commit(&ben, "Ben links Hagel");

    let merged = merged_at_ben(&ana, &ben);
    let project = &merged.project;
    assert!(project.entity(hagel).is_none(), "merged away");
    let mentions = project.mentions_of(chuck);
    assert_eq!(mentions.len(), 3, "{mentions:?}");
}

#[test]
fn a_true_conflict_keeps_both_versions_and_validate_reports_it() {
    if !git_installed() {
        return;
    }
    let (_dir, ana, ben) = team(true);
    let note = |clone: &Path, text: &str| {
        let mut w = open(clone);
        let id = w
            .project()
            .annotations()
            .find(|a| a.text() == "Singapore")
            .expect("Singapore")
            .id;
        w.set_note(id, text).expect("note");
        w.save().expect("save");
        commit(clone, text);
    };
    note(&ana, "Ana: the venue");
    note(&ben, "Ben: the city-state");
    let merged = merged_at_ben(&ana, &ben);
    let project = &merged.project;
    let kept = project
        .annotations()
        .find(|a| a.text() == "Singapore")
        .expect("ours in place");
    assert_eq!(kept.note, "Ben: the city-state", "Ben merged: his is ours");
    let waiting: Vec<_> = project.orphans().collect();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].annotation.note, "Ana: the venue");
    assert!(
        waiting[0].reason.contains("merge conflict"),
        "{}",
        waiting[0].reason
    );
    let (code, said) = marginalia(&ben, &["validate", PROJECT]);
    assert_eq!(code, 1, "{said}");
    assert!(said.contains("merge conflict"), "{said}");
}

/// Ana and Ben tag next to each other (a line merge puts their new lines in one hunk)
/// without the merge driver: Ben's pull leaves conflict markers in the project file.
fn conflicted_without_the_driver() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let (dir, ana, ben) = team(false);
    let tag = |clone: &Path, needle: &str| {
        let mut w = open(clone);
        let doc = w.project().documents()[0].id;
        w.annotate(doc, span_of(&w, doc, needle, 0), &label("location"))
            .expect("tag");
        w.save().expect("save");
        commit(clone, needle);
    };
    tag(&ana, "Seoul");
    tag(&ben, "Tokyo");
    let pull = ana_pushes_ben_pulls(&ana, &ben);
    assert!(!pull.status.success(), "a line merge conflicts");
    (dir, ana, ben)
}

/// The window opens a project file left with conflict markers (both sides merged, said,
/// saved clean on Ctrl+S), and File > Team sets the repository up for the merge driver.
#[test]
fn the_window_reads_conflict_markers_and_sets_the_team_up() {
    if !git_installed() {
        return;
    }
    let (_dir, _ana, ben) = conflicted_without_the_driver();
    let path = ben.join(PROJECT);
    let mut h = common::harness(Workspace::untitled());
    h.state_mut().open_at_start(vec![path.clone()]);
    common::settle(&mut h);
    common::assert_said(&h, "conflict markers");
    assert_eq!(h.state().workspace().project().annotation_count(), 4);
    common::click_label(&mut h, "File");
    common::click_label(&mut h, "Team…");
    h.get_by_label_contains("is in a git repository");
    common::click_label(&mut h, "Set up this repository for a team");
    common::assert_said(&h, "The repository is set up");
    h.get_by_label_contains("merge-driver %O %A %B");
    let attributes = std::fs::read_to_string(ben.join(".gitattributes")).expect("attributes");
    assert!(
        attributes.contains("*.ron merge=marginalia"),
        "{attributes}"
    );
    common::press_with(&mut h, common::CTRL, eframe::egui::Key::S);
    common::settle(&mut h);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(!store::merge::has_conflict_markers(&text), "saved clean");
    assert_eq!(store::load(&path).expect("load").annotation_count(), 4);
}

#[test]
fn without_the_driver_conflict_markers_are_resolved_by_the_app_and_by_resolve() {
    if !git_installed() {
        return;
    }
    let (_dir, _ana, ben) = conflicted_without_the_driver();
    let path = ben.join(PROJECT);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(store::merge::has_conflict_markers(&text));

    // Opening reads both sides and says so; nothing is refused.
    let opened = Workspace::open(&path).expect("opens");
    assert!(
        opened
            .problems()
            .iter()
            .any(|p| p.contains("conflict markers")),
        "{:?}",
        opened.problems()
    );
    assert!(opened.is_dirty(), "the resolution is unsaved until saved");
    let expected = vec![
        ("location".to_owned(), "Seoul".to_owned()),
        ("location".to_owned(), "Singapore".to_owned()),
        ("location".to_owned(), "Tokyo".to_owned()),
        ("person".to_owned(), "Chuck Hagel".to_owned()),
    ];
    assert_eq!(texts(opened.project()), expected);
    drop(opened);

    let (code, said) = marginalia(&ben, &["resolve", PROJECT]);
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("conflict markers"), "{said}");
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(!store::merge::has_conflict_markers(&text));
    assert_eq!(texts(&store::load(&path).expect("load")), expected);
    let (code, said) = marginalia(&ben, &["resolve", PROJECT]);
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("nothing to resolve"), "{said}");
}

#[test]
fn team_init_writes_attributes_ignores_and_the_driver_once() {
    if !git_installed() {
        return;
    }
    let (_dir, ana, _ben) = team(true);
    let attributes = std::fs::read_to_string(ana.join(".gitattributes")).expect("attributes");
    assert!(
        attributes.contains("*.ron merge=marginalia"),
        "{attributes}"
    );
    let ignore = std::fs::read_to_string(ana.join(".gitignore")).expect("ignore");
    for pattern in marginalia::team::IGNORED {
        assert_eq!(ignore.matches(pattern).count(), 1, "{ignore}");
    }
    let (code, said) = marginalia(&ana, &["team", "init", PROJECT]);
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("already had"), "{said}");
    assert_eq!(
        std::fs::read_to_string(ana.join(".gitignore")).expect("ignore"),
        ignore,
        "idempotent"
    );
    let driver = git(&ana, &["config", "merge.marginalia.driver"]);
    assert!(
        String::from_utf8_lossy(&driver.stdout).contains("merge-driver %O %A %B"),
        "{driver:?}"
    );
    // Backups beside the project are not offered for commit.
    std::fs::write(ana.join(format!("{PROJECT}.bak")), "old").expect("bak");
    let status = git(&ana, &["status", "--porcelain"]);
    assert!(
        String::from_utf8_lossy(&status.stdout).trim().is_empty(),
        "{status:?}"
    );
    // Outside a git work tree: a clear refusal.
    let outside = tempfile::tempdir().expect("temp dir");
    let (code, said) = marginalia(outside.path(), &["team", "init"]);
    assert_ne!(code, 0);
    assert!(said.contains("not in a git work tree"), "{said}");
}

/// Issue 16, item 5: the agreement measures equal published implementations (NLTK,
/// statsmodels, krippendorff) to 1e-9 on the same codings (`tests/data/agreement`).
#[test]
fn agreement_measures_equal_the_reference_implementations() {
    use marginalia::model::agreement;
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/agreement/reference.json");
    let cases: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("json");
    let close = |ours: Option<f64>, theirs: &serde_json::Value, what: &str| {
        let theirs = theirs.as_f64().expect("a number");
        let ours = ours.expect(what);
        assert!((ours - theirs).abs() < 1e-9, "{what}: {ours} vs {theirs}");
    };
    for name in [
        "two_analysts_400_tokens",
        "three_analysts_600_tokens",
        "wikipedia_fleiss_example",
    ] {
        let case = &cases[name];
        let values: Vec<Vec<u16>> = case["values"]
            .as_array()
            .expect("coders")
            .iter()
            .map(|coder| {
                coder
                    .as_array()
                    .expect("values")
                    .iter()
                    .map(|v| u16::try_from(v.as_u64().expect("value")).expect("small"))
                    .collect()
            })
            .collect();
        close(
            agreement::krippendorff_alpha_nominal(&values),
            &case["krippendorff_alpha"],
            name,
        );
        if values.len() == 2 {
            close(
                agreement::cohen_kappa(&values[0], &values[1]),
                &case["cohen_kappa"],
                name,
            );
        } else {
            close(
                agreement::fleiss_kappa(&values),
                &case["fleiss_kappa"],
                name,
            );
            for (pair, expected) in case["pairs"].as_object().expect("pairs") {
                let (i, j) = pair.split_once('-').expect("i-j");
                let (i, j): (usize, usize) = (i.parse().expect("i"), j.parse().expect("j"));
                close(
                    agreement::cohen_kappa(&values[i], &values[j]),
                    expected,
                    pair,
                );
            }
        }
    }
}

/// "Chuck Hagel met Kim in Singapore." coded by Ana and Ben (see below).
fn two_analysts(dir: &Path) -> Workspace {
    std::fs::write(dir.join("a.txt"), "Chuck Hagel met Kim in Singapore.").expect("write");
    let mut w = Workspace::new_at(&dir.join(PROJECT));
    let doc = w.add_document(&dir.join("a.txt")).expect("add");
    for (analyst, kim) in [("Ana", "person"), ("Ben", "location")] {
        w.set_analyst(analyst);
        for (needle, l) in [
            ("Chuck Hagel", "person"),
            ("Kim", kim),
            ("Singapore", "location"),
        ] {
            w.annotate(doc, span_of(&w, doc, needle, 0), &label(l))
                .expect("tag");
        }
    }
    w
}

/// Issue 16, item 5, in the window: View > Agreement… shows the table and, per pair, the
/// confusion matrix.
#[test]
fn the_agreement_window_shows_the_measures_and_a_confusion_matrix() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = common::harness(two_analysts(dir.path()));
    common::click_label(&mut h, "View");
    common::click_label(&mut h, "Agreement…");
    h.get_by_label_contains("Ana, Ben over 1 document(s), 6 word(s)");
    assert!(
        h.query_all_by_label("0.750").count() >= 1,
        "Cohen's κ overall"
    );
    common::click_label(&mut h, "Ana – Ben: κ 0.750");
    h.get_by_label("Rows: Ana; columns: Ben");
    common::press(&mut h, eframe::egui::Key::Escape);
    assert!(h.state().open_windows().is_empty());
}

/// Issue 16, item 5, headless: `marginalia agreement --json` over two analysts' layers.
/// Ana: Person "Chuck Hagel", Person "Kim", Location "Singapore"; Ben the same but "Kim"
/// as a Location. Words: Chuck Hagel met Kim in Singapore (6): 5 agree; the categories
/// Ana used 3/2/1 times (person/none/location), Ben 2/2/2: expected agreement 12/36, κ = 0.75.
#[test]
fn the_agreement_command_measures_two_analysts_layers() {
    let dir = tempfile::tempdir().expect("temp dir");
    two_analysts(dir.path()).save().expect("save");
    let (code, said) = marginalia(dir.path(), &["agreement", PROJECT, "--json"]);
    assert_eq!(code, 0, "{said}");
    let report: serde_json::Value = serde_json::from_str(&said).expect("json");
    let overall = &report["overall"];
    assert!(
        (overall["cohen_kappa"].as_f64().expect("κ") - 0.75).abs() < 1e-12,
        "{said}"
    );
    assert_eq!(overall["units"], 6);
    assert!(overall["fleiss_kappa"].is_null(), "two analysts: no Fleiss");
    assert!(overall["krippendorff_alpha_tokens"].is_f64());
    assert!(overall["krippendorff_alpha_unitizing"].is_f64(), "{said}");
    assert!(report["labels"]["Person"]["cohen_kappa"].is_f64());
    assert_eq!(report["pairs"][0]["a"], "Ana");
    // The table, and clear refusals.
    let (code, said) = marginalia(dir.path(), &["agreement", PROJECT, "--labels", "Location"]);
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("Ana – Ben: Cohen κ"), "{said}");
    let (code, said) = marginalia(dir.path(), &["agreement", PROJECT, "--annotators", "Ana"]);
    assert_ne!(code, 0);
    assert!(said.contains("at least two analysts"), "{said}");
    let (code, said) = marginalia(dir.path(), &["agreement", PROJECT, "--labels", "Weapon"]);
    assert_ne!(code, 0);
    assert!(said.contains("no label is called \"Weapon\""), "{said}");
}

/// Issue 16, item 6: View > Curation lists where Ana's and Ben's layers disagree; the
/// curator accepts the agreements and one candidate, edits it, undoes; exports then use
/// the curated layer.
#[test]
fn curation_accepts_candidates_into_the_curated_layer_undoably() {
    use marginalia::model::curation::CURATED;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut w = two_analysts(dir.path());
    w.set_analyst("Lead");
    let mut h = common::harness(w);
    let curated = |h: &egui_kittest::Harness<'_, marginalia::gui::MarginaliaApp>| {
        let mut found: Vec<(String, String)> = h
            .state()
            .workspace()
            .project()
            .annotations()
            .filter(|a| a.author == CURATED)
            .map(|a| (a.label.to_string(), a.text().to_owned()))
            .collect();
        found.sort();
        found
    };
    common::click_label(&mut h, "View");
    common::click_label(&mut h, "Curation…");
    h.get_by_label_contains(
        "1 place(s) where they disagree (0 decided), 2 agreement(s) (2 not yet accepted)",
    );
    h.get_by_label_contains("“Kim”: different labels");
    common::click_label(&mut h, "Accept all agreements");
    assert_eq!(
        curated(&h),
        [
            ("location".to_owned(), "Singapore".to_owned()),
            ("person".to_owned(), "Chuck Hagel".to_owned())
        ]
    );
    common::click_label(&mut h, "Accept Ben's Location “Kim”");
    h.get_by_label("Curated: Location “Kim”");
    let kim = h.state().selected().expect("the accepted one is selected");
    let made = h
        .state()
        .workspace()
        .project()
        .annotation(kim)
        .expect("kim")
        .clone();
    assert_eq!(
        (made.author.as_str(), made.changed_by.as_str()),
        (CURATED, "Lead")
    );
    // The curator edits it: Person after all.
    common::press(&mut h, eframe::egui::Key::Num3);
    assert!(curated(&h).contains(&("person".to_owned(), "Kim".to_owned())));
    // Undo the edit, then the acceptance.
    common::press_with(&mut h, common::CTRL, eframe::egui::Key::Z);
    assert!(curated(&h).contains(&("location".to_owned(), "Kim".to_owned())));
    common::press_with(&mut h, common::CTRL, eframe::egui::Key::Z);
    assert_eq!(curated(&h).len(), 2);
    // Exports use the curated layer where a document has one.
    let set = h
        .state()
        .workspace()
        .annotation_set(&marginalia::formats::Selection::default());
    let exported: Vec<&str> = set.documents[0]
        .annotations
        .iter()
        .map(|a| a.author.as_str())
        .collect();
    assert_eq!(exported, [CURATED, CURATED]);
}

/// Issue 16, item 6: relations come along into the curated layer. Ana related her Hagel to
/// her Singapore, Ben his Kim to his Singapore: accepting the agreements (Hagel, Singapore)
/// brings Ana's relation between the two curated ones; accepting Ben's Kim then brings his
/// relation to the curated Singapore; one undo step each.
#[test]
fn curated_annotations_keep_the_relations_between_them() {
    use marginalia::model::curation::CURATED;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut w = two_analysts(dir.path());
    let doc = w.project().documents()[0].id;
    let of = |w: &Workspace, who: &str, text: &str| {
        w.project()
            .annotations_of_iter(doc)
            .find(|a| a.author == who && a.text() == text)
            .map(|a| a.id)
            .expect("annotation")
    };
    w.relate(
        of(&w, "Ana", "Chuck Hagel"),
        of(&w, "Ana", "Singapore"),
        "refers to",
    )
    .expect("relate");
    w.relate(of(&w, "Ben", "Kim"), of(&w, "Ben", "Singapore"), "supports")
        .expect("relate");
    let curated_relations = |w: &Workspace| {
        let mut found: Vec<(String, String, String)> = w
            .project()
            .relations()
            .filter_map(|r| {
                let from = w.project().annotation(r.from)?;
                let to = w.project().annotation(r.to)?;
                (from.author == CURATED && to.author == CURATED)
                    .then(|| (from.text().to_owned(), r.kind.clone(), to.text().to_owned()))
            })
            .collect();
        found.sort();
        found
    };
    w.set_analyst("Lead");
    assert_eq!(w.curate_agreements(doc).expect("curate"), 2);
    assert_eq!(
        curated_relations(&w),
        [(
            "Chuck Hagel".to_owned(),
            "refers to".to_owned(),
            "Singapore".to_owned()
        )]
    );
    w.curate(&[of(&w, "Ben", "Kim")]).expect("curate Kim");
    assert_eq!(curated_relations(&w).len(), 2);
    assert!(curated_relations(&w).contains(&(
        "Kim".to_owned(),
        "supports".to_owned(),
        "Singapore".to_owned()
    )));
    w.undo().expect("undo");
    assert_eq!(
        curated_relations(&w).len(),
        1,
        "the relation goes with its copy"
    );
    w.undo().expect("undo");
    assert!(curated_relations(&w).is_empty());
    let analysts_relations = w.project().relations().count();
    assert_eq!(analysts_relations, 2, "the analysts' own relations stay");
}

/// Issue 16, item 3: an annotation's history (who changed what, when) from git's history
/// of the project file and from what is unsaved, in the inspector.
#[test]
fn an_annotations_history_comes_from_git_and_the_unsaved_changes() {
    if !git_installed() {
        return;
    }
    let (_dir, ana, _ben) = team(true);
    let mut w = open(&ana);
    let singapore = w
        .project()
        .annotations()
        .find(|a| a.text() == "Singapore")
        .expect("Singapore")
        .id;
    w.set_note(singapore, "the venue").expect("note");
    w.save().expect("save");
    commit(&ana, "Ana: a note");
    w.relabel(singapore, &label("event")).expect("relabel");
    let steps = w.history_job(singapore).run().expect("history");
    let lines: Vec<String> = steps
        .iter()
        .map(|s| format!("{} {}: {}", s.who, s.commit.len() > 4, s.what.join("; ")))
        .collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(
        lines[0].starts_with("Lead true: made: location “Singapore”"),
        "{lines:?}"
    );
    assert!(
        lines[1].starts_with("Ana true: note: “the venue”"),
        "{lines:?}"
    );
    assert_eq!(steps[2].commit, "unsaved");
    assert_eq!(steps[2].what, ["label from location to event"]);
    // In the window: select it, History…
    let mut h = common::harness(w);
    h.state_mut()
        .push_action(marginalia::gui::Action::JumpTo(singapore));
    common::settle(&mut h);
    common::click_label(&mut h, "History…");
    for _ in 0..200 {
        h.step();
        if h.query_by_label_contains("label from location to event")
            .is_some()
        {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    h.get_by_label_contains("unsaved: label from location to event");
    h.get_by_label_contains("Lead · ");
}

/// Issue 16, item 4: sync (commit, pull with the merge driver, push) against a local bare
/// repository as the remote; with and without the driver; a branch without a remote is
/// refused plainly, with the commit kept.
#[test]
fn sync_commits_pulls_merges_and_pushes() {
    if !git_installed() {
        return;
    }
    let progress = marginalia::model::Progress::new;
    for driver in [true, false] {
        let (_dir, ana, ben) = team(driver);
        let tag = |clone: &Path, needle: &str| {
            let mut w = open(clone);
            let doc = w.project().documents()[0].id;
            w.annotate(doc, span_of(&w, doc, needle, 0), &label("location"))
                .expect("tag");
            w.save().expect("save");
            w
        };
        let a = tag(&ana, "Seoul");
        let synced = a
            .sync_job("Ana: Seoul")
            .expect("job")
            .run(&progress())
            .expect("sync");
        assert!(
            synced
                .steps
                .iter()
                .any(|s| s.contains("committed “Ana: Seoul”")),
            "{synced:?}"
        );
        assert_eq!((synced.ahead, synced.behind), (0, 0));
        // Ben tags next to Ana's: without the driver, a line merge conflicts and sync
        // resolves it.
        let b = tag(&ben, "Tokyo");
        let synced = b
            .sync_job("Ben: Tokyo")
            .expect("job")
            .run(&progress())
            .expect("sync");
        assert!(synced.changed, "Ana's work came in: {synced:?}");
        assert!(
            synced
                .steps
                .iter()
                .any(|s| s.contains("pulled the team's work")),
            "{synced:?}"
        );
        let merged = store::load(&ben.join(PROJECT)).expect("load");
        let both = |p: &marginalia::model::Project| {
            ["Seoul", "Tokyo"]
                .iter()
                .all(|t| p.annotations().any(|a| a.text() == *t))
        };
        assert!(both(&merged), "driver {driver}");
        // Ana syncs again: nothing to commit, Ben's work comes in.
        let synced = open(&ana)
            .sync_job("")
            .expect("job")
            .run(&progress())
            .expect("sync");
        assert!(
            synced.steps.iter().any(|s| s == "nothing new to commit"),
            "{synced:?}"
        );
        assert!(both(&store::load(&ana.join(PROJECT)).expect("load")));
    }
    // A repository without a remote: the commit is made, the pull refused plainly.
    let dir = tempfile::tempdir().expect("temp dir");
    git_ok(dir.path(), &["init", "-q"]);
    git_ok(dir.path(), &["config", "user.name", "Solo"]);
    git_ok(dir.path(), &["config", "user.email", "solo@example.org"]);
    let mut w = two_analysts(dir.path());
    w.save().expect("save");
    let error = w
        .sync_job("solo")
        .expect("job")
        .run(&progress())
        .expect_err("no remote");
    let message = error.to_string();
    assert!(message.contains("no remote branch"), "{message}");
    assert!(message.contains("committed “solo”"), "{message}");
    // Outside git, and untitled: refused before anything runs.
    let outside = tempfile::tempdir().expect("temp dir");
    let mut w = two_analysts(outside.path());
    w.save().expect("save");
    if marginalia::workspace::analyst::git_dir(outside.path()).is_none() {
        assert!(
            w.sync_job("x")
                .expect_err("not in git")
                .to_string()
                .contains("not in a git work tree")
        );
    }
    assert!(Workspace::untitled().sync_job("x").is_err());
}

/// Issue 16, item 4, in the window: File > Sync… commits with the message typed, pulls
/// and pushes on a worker; the status bar says where the project stands; the team's work
/// that came in is opened.
#[test]
fn file_sync_in_the_window_shares_and_brings_in_work() {
    if !git_installed() {
        return;
    }
    let (_dir, ana, ben) = team(true);
    let wait_for = |h: &mut egui_kittest::Harness<'_, marginalia::gui::MarginaliaApp>,
                    text: &str| {
        for _ in 0..500 {
            h.step();
            if h.query_all_by_label_contains(text).next().is_some() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        panic!("{text:?} never appeared: {:?}", h.state().messages());
    };
    let mut h = common::harness(open(&ana));
    common::click_label(&mut h, "File");
    common::click_label(&mut h, "Sync…");
    h.get_by_label("Commit message")
        .type_text("Ana: nothing yet");
    let sync = |h: &mut egui_kittest::Harness<'_, marginalia::gui::MarginaliaApp>| {
        h.get_by_role_and_label(eframe::egui::accesskit::Role::Button, "Sync")
            .click();
        h.step();
    };
    sync(&mut h);
    wait_for(&mut h, "Synced with the team");
    // Ben shares a tag; Ana's next sync brings it in and opens it.
    let mut b = open(&ben);
    let doc = b.project().documents()[0].id;
    b.annotate(doc, span_of(&b, doc, "Tokyo", 0), &label("location"))
        .expect("tag");
    b.save().expect("save");
    b.sync_job("Ben: Tokyo")
        .expect("job")
        .run(&marginalia::model::Progress::new())
        .expect("sync");
    sync(&mut h);
    wait_for(&mut h, "pulled the team's work");
    common::settle(&mut h);
    for _ in 0..200 {
        if h.state()
            .workspace()
            .project()
            .annotations()
            .any(|a| a.text() == "Tokyo")
        {
            break;
        }
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(
        h.state()
            .workspace()
            .project()
            .annotations()
            .any(|a| a.text() == "Tokyo"),
        "Ben's work opened"
    );
}

/// Issue 16, item 6: with "Accept agreements automatically", the agreements go into the
/// curated layer as soon as the curation window sees them (one undo step).
#[test]
fn agreements_can_be_accepted_automatically() {
    use marginalia::model::curation::CURATED;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = common::harness(two_analysts(dir.path()));
    let curated = |h: &egui_kittest::Harness<'_, marginalia::gui::MarginaliaApp>| {
        h.state()
            .workspace()
            .project()
            .annotations()
            .filter(|a| a.author == CURATED)
            .count()
    };
    common::click_label(&mut h, "View");
    common::click_label(&mut h, "Curation…");
    assert_eq!(curated(&h), 0);
    common::click_label(&mut h, "Accept agreements automatically");
    common::settle(&mut h);
    assert_eq!(curated(&h), 2, "Chuck Hagel and Singapore");
    common::press_with(&mut h, common::CTRL, eframe::egui::Key::Z);
    common::settle(&mut h);
    assert_eq!(curated(&h), 0, "undone, and not accepted again at once");
}

/// Issue 16, item 6: "None of these" leaves a place out of the curated layer: decided,
/// saved with the project, merged, undoable.
#[test]
fn none_of_these_leaves_a_place_out_of_the_curated_layer() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = common::harness(two_analysts(dir.path()));
    common::click_label(&mut h, "View");
    common::click_label(&mut h, "Curation…");
    common::click_label(&mut h, "None of these");
    h.get_by_label("Curated: left out (none of these)");
    h.get_by_label_contains("1 place(s) where they disagree (1 decided)");
    common::press_with(&mut h, common::CTRL, eframe::egui::Key::S);
    common::settle(&mut h);
    let saved = store::load(&dir.path().join(PROJECT)).expect("load");
    assert_eq!(saved.left_out().count(), 1, "saved with the project");
    let text = std::fs::read_to_string(dir.path().join(PROJECT)).expect("read");
    let document = saved.documents()[0].id;
    // A merge keeps both sides' decisions (and the file round-trips).
    let merged = store::merge::merge_texts(&text, &text, &text, Path::new("p.ron")).expect("merge");
    assert_eq!(merged.text, text);
    let reopened = Workspace::open(&dir.path().join(PROJECT)).expect("open");
    assert!(
        reopened
            .curation(document)
            .rows
            .iter()
            .all(marginalia::model::curation::Row::decided)
    );
    common::press_with(&mut h, common::CTRL, eframe::egui::Key::Z);
    common::settle(&mut h);
    h.get_by_label("None of these");
}
