//! The sample project in `projects/`: loads, is carefully annotated, and is in the exact
//! form the app writes (so saving it unchanged changes nothing in `git diff`).

use std::path::Path;

use marginalia::model::{LabelKind, Span};
use marginalia::store;
use marginalia::workspace::{DocumentState, Workspace};

fn sample_path() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/us-allies-missile-defence.ron")
}

#[test]
fn sample_project_loads_with_its_document_and_every_span_matches() {
    let workspace = Workspace::open(&sample_path()).expect("sample loads");
    let project = workspace.project();
    assert_eq!(project.documents().len(), 1);
    let document = &project.documents()[0];
    assert!(matches!(
        workspace.document_state(document.id),
        Some(DocumentState::Loaded(_))
    ));
    let text = workspace.text(document.id).expect("text");
    let annotations = project.annotations_sorted();
    assert!(annotations.len() >= 40, "{} annotations", annotations.len());
    for a in &annotations {
        assert_eq!(text.slice(a.span), Some(a.text()), "{}", a.id);
        let (prefix, suffix) = text.context(a.span);
        assert_eq!(
            (a.prefix(), a.suffix()),
            (prefix.as_str(), suffix.as_str()),
            "{}",
            a.id
        );
    }
    // Every kind of label is used, and spans nest: a Person inside a Quote or Claim.
    for kind in [LabelKind::Claim, LabelKind::Quote, LabelKind::Entity] {
        assert!(
            annotations
                .iter()
                .any(|a| project.schema.label(&a.label).map(|l| l.kind) == Some(kind))
        );
    }
    let spans_of = |label: &str| -> Vec<Span> {
        annotations
            .iter()
            .filter(|a| a.label.as_str() == label)
            .map(|a| a.span)
            .collect()
    };
    let nested = spans_of("person").iter().any(|p| {
        spans_of("claim")
            .iter()
            .chain(&spans_of("quote"))
            .any(|outer| outer.encloses(*p))
    });
    assert!(nested, "a person mention nested in a claim or quote");
    let quote_in_claim = spans_of("claim")
        .iter()
        .any(|c| spans_of("quote").iter().any(|q| q.overlaps(*c)));
    assert!(quote_in_claim, "claims and quotes overlap");
}

#[test]
fn sample_project_is_in_canonical_form() {
    let path = sample_path();
    let on_disk = std::fs::read_to_string(&path).expect("read");
    let project = store::load(&path).expect("load");
    assert_eq!(store::to_ron(&project).expect("serialize"), on_disk);
}

#[test]
fn saving_to_another_folder_keeps_documents_reachable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut workspace = Workspace::open(&sample_path()).expect("load");
    let copy = dir.path().join("nested/copy.ron");
    std::fs::create_dir_all(copy.parent().expect("parent")).expect("mkdir");
    workspace.save_as(&copy).expect("save as");
    let reopened = Workspace::open(&copy).expect("reopen");
    let document = &reopened.project().documents()[0];
    assert!(document.path.starts_with("../"), "{}", document.path);
    assert!(
        reopened.text(document.id).is_some(),
        "the document is still found"
    );
    assert_eq!(
        reopened.project().annotation_count(),
        workspace.project().annotation_count()
    );
}

/// Issue 20, item 16c: the sample project does not contradict itself (a newcomer's first
/// look): every quote has its speaker set, every claim its claimant, and a note that names a
/// credibility grade agrees with the grade set.
#[test]
fn the_sample_project_agrees_with_its_own_notes() {
    let workspace = Workspace::open(&sample_path()).expect("open");
    let project = workspace.project();
    let mut checked = 0;
    for annotation in project.annotations_sorted() {
        let attrs = &annotation.attrs;
        match annotation.label.as_str() {
            "quote" => assert!(
                attrs.source.is_some(),
                "quote {:?} has no speaker: {}",
                annotation.text(),
                annotation.note
            ),
            "claim" => assert!(
                attrs.source.is_some(),
                "claim {:?} has no claimant: {}",
                annotation.text(),
                annotation.note
            ),
            _ => continue,
        }
        if let Some(at) = annotation.note.find("Credibility ") {
            let grade = annotation.note[at + "Credibility ".len()..]
                .chars()
                .next()
                .and_then(|c| c.to_digit(10))
                .expect("a grade after Credibility");
            assert_eq!(
                attrs.credibility.map(|c| u32::from(c.grade())),
                Some(grade),
                "{}",
                annotation.note
            );
        }
        checked += 1;
    }
    assert!(checked >= 20, "{checked} claims and quotes");
}

/// Issue 16: the team sample holds two analysts' layers and a curated result; agreement
/// and curation show them at once.
#[test]
fn the_team_sample_has_two_layers_agreement_and_a_curated_result() {
    use marginalia::model::curation::CURATED;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("projects")
        .join("us-allies-team-review.ron");
    let workspace = Workspace::open(&path).expect("open");
    assert!(
        workspace.problems().is_empty(),
        "{:?}",
        workspace.problems()
    );
    assert_eq!(
        store::to_ron(workspace.project()).expect("serialize"),
        std::fs::read_to_string(&path).expect("read"),
        "in canonical form"
    );
    let report = workspace
        .agreement(&marginalia::formats::Selection::default(), &[])
        .expect("agreement");
    assert_eq!(report.annotators, ["Rania", "Tomás"]);
    let kappa = report.overall.cohen_kappa.expect("κ");
    assert!((0.5..1.0).contains(&kappa), "{kappa}");
    let document = workspace.project().documents()[0].id;
    let curation = workspace.curation(document);
    assert!(!curation.rows.is_empty(), "disagreements to curate");
    assert!(
        curation.rows.iter().all(|r| !r.curated.is_empty()),
        "every disagreement settled"
    );
    assert_eq!(curation.agreements_open, 0);
    let set = workspace.annotation_set(&marginalia::formats::Selection::default());
    assert!(
        set.documents[0]
            .annotations
            .iter()
            .all(|a| a.author == CURATED),
        "exports use the curated result"
    );
}

/// The second sample: four pages on the November 2019 impeachment hearings, so that a
/// newcomer sees claim clusters across articles, a timeline and an entity network.
#[test]
fn the_impeachment_sample_shows_clusters_a_timeline_and_a_network() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/impeachment-hearings.ron");
    let workspace = Workspace::open(&path).expect("loads");
    let project = workspace.project();
    assert_eq!(project.documents().len(), 4);
    for document in project.documents() {
        let text = workspace.text(document.id).expect("every page reads");
        for a in project.annotations_of(document.id) {
            assert_eq!(text.slice(a.span), Some(a.text()), "{}", a.id);
        }
    }
    let overview = marginalia::model::overview::compute(
        project,
        &marginalia::model::overview::Filter::default(),
    );
    assert!(overview.timeline.len() >= 3, "dated pages");
    assert!(overview.speakers.len() >= 5, "quotes with speakers");
    let network = marginalia::model::network::build(
        project,
        &marginalia::model::overview::Filter::default(),
        marginalia::model::network::Scope::Sentence,
        |id| {
            workspace.text(id).map(|t| {
                marginalia::model::network::unit_starts(
                    t,
                    marginalia::model::network::Scope::Sentence,
                )
            })
        },
    );
    assert!(network.nodes.len() >= 15 && network.edges.len() >= 20);
    let clusters = marginalia::model::clusters::of_project(project);
    assert!(
        clusters.iter().any(|c| c.documents >= 2),
        "a claim told by two articles"
    );
    // An analyst confirmed four of them; one contradicts itself (a stance and a relation).
    let confirmed: Vec<_> = clusters.iter().filter(|c| c.is_confirmed()).collect();
    assert_eq!(confirmed.len(), 4);
    assert!(
        confirmed
            .iter()
            .any(|c| c.documents >= 2 && c.contradiction.contains("contradicts")),
        "{confirmed:?}"
    );
    // No cluster swallows the story.
    assert!(
        clusters.iter().all(|c| c.members.len() <= 12),
        "{:?}",
        clusters.iter().map(|c| c.members.len()).collect::<Vec<_>>()
    );
    // And the file is in the form the app writes.
    let saved = store::to_ron(project).expect("serialize");
    assert_eq!(saved, std::fs::read_to_string(&path).expect("read"));
}
