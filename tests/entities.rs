//! The entity registry and quote/claim attributes through the workspace: linking learns
//! aliases, new mentions of a known name link themselves, tag-all links, every operation is
//! one undo step, and everything survives a save and reload.

use marginalia::model::{
    AnnotationId, Attributes, CharPos, Confidence, Credibility, DocumentStatus, EntityId, LabelId,
    Source, Span, Stance,
};
use marginalia::workspace::{FindQuery, Workspace};

const TEXT: &str = "Chuck Hagel met Kim. Hagel said the defense secretary would return. \
Kim Kwan-jin agreed. Hagel left.\n";

fn workspace() -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = dir.path().join("a.txt");
    std::fs::write(&article, TEXT).expect("write");
    let mut workspace = Workspace::new_at(&dir.path().join("p.ron"));
    workspace.add_document(&article).expect("add");
    (dir, workspace)
}

fn tag(workspace: &mut Workspace, needle: &str, nth: usize, label: &str) -> AnnotationId {
    let document = workspace.project().documents()[0].id;
    let byte = TEXT.match_indices(needle).nth(nth).expect("needle").0;
    let start = CharPos(TEXT[..byte].chars().count());
    let span = Span::between(start, start.forward(needle.chars().count()));
    workspace
        .annotate(document, span, &LabelId(label.into()))
        .expect("annotate")
}

fn person() -> LabelId {
    LabelId("person".into())
}

#[test]
fn a_new_entity_from_a_mention_then_linking_learns_aliases_one_step_each() {
    let (_dir, mut w) = workspace();
    let first = tag(&mut w, "Chuck Hagel", 0, "person");
    let hagel = w.new_entity_from(first).expect("new entity");
    assert_eq!(
        w.project().entity(hagel).map(|e| e.name.as_str()),
        Some("Chuck Hagel")
    );
    assert_eq!(
        w.project().annotation(first).and_then(|a| a.entity),
        Some(hagel)
    );

    let title = tag(&mut w, "the defense secretary", 0, "person");
    assert_eq!(w.project().annotation(title).and_then(|a| a.entity), None);
    w.link_entity(title, Some(hagel)).expect("link");
    let entity = w.project().entity(hagel).expect("entity");
    assert_eq!(entity.aliases, ["the defense secretary"]);
    assert_eq!(w.project().mentions_of(hagel).len(), 2);

    // One undo takes back both the link and the learned alias.
    w.undo().expect("undo");
    assert!(
        w.project()
            .entity(hagel)
            .expect("entity")
            .aliases
            .is_empty()
    );
    assert_eq!(w.project().annotation(title).and_then(|a| a.entity), None);
    w.redo().expect("redo");
    assert_eq!(w.project().mentions_of(hagel).len(), 2);

    // Unlinking keeps the alias, drops the link.
    w.link_entity(title, None).expect("unlink");
    assert_eq!(w.project().mentions_of(hagel).len(), 1);
}

#[test]
fn mentions_of_a_known_name_link_themselves_unless_ambiguous() {
    let (_dir, mut w) = workspace();
    let first = tag(&mut w, "Chuck Hagel", 0, "person");
    let hagel = w.new_entity_from(first).expect("entity");
    let mut entity = w.project().entity(hagel).expect("entity").clone();
    entity.aliases.push("Hagel".to_owned());
    w.update_entity(entity).expect("alias");
    let second = tag(&mut w, "Hagel", 1, "person");
    assert_eq!(
        w.project().annotation(second).and_then(|a| a.entity),
        Some(hagel)
    );
    // An organization mention of the same text does not link to a person.
    let other = tag(&mut w, "Hagel", 2, "organization");
    assert_eq!(w.project().annotation(other).and_then(|a| a.entity), None);

    // Two people named "Kim": a new "Kim" mention stays unlinked for the analyst to choose.
    let kim = tag(&mut w, "Kim Kwan-jin", 0, "person");
    let kim_a = w.new_entity_from(kim).expect("kim");
    let mut a = w.project().entity(kim_a).expect("kim").clone();
    a.aliases.push("Kim".to_owned());
    w.update_entity(a).expect("alias");
    let short = tag(&mut w, "Kim", 0, "person");
    assert_eq!(
        w.project().annotation(short).and_then(|a| a.entity),
        Some(kim_a)
    );
    let kim_b = w.new_entity_from(short).expect("second kim");
    assert_ne!(kim_a, kim_b);
    w.remove(vec![short]).expect("remove");
    let again = tag(&mut w, "Kim", 0, "person");
    assert_eq!(
        w.project().annotation(again).and_then(|a| a.entity),
        None,
        "two entities are named Kim"
    );
}

#[test]
fn tag_all_links_every_new_mention_in_one_step() {
    let (_dir, mut w) = workspace();
    let first = tag(&mut w, "Chuck Hagel", 0, "person");
    let hagel = w.new_entity_from(first).expect("entity");
    let query = FindQuery {
        text: "Hagel".to_owned(),
        whole_word: true,
        match_case: true,
        ..FindQuery::default()
    };
    let hits = w.find(&query, None).expect("find");
    assert_eq!(hits.len(), 3);
    let added = w
        .tag_all_linked(&hits, &person(), Some(hagel))
        .expect("tag all");
    assert_eq!(added, 3, "the hit inside \"Chuck Hagel\" has another span");
    assert_eq!(w.project().mentions_of(hagel).len(), 4);
    w.undo().expect("undo");
    assert_eq!(w.project().mentions_of(hagel).len(), 1);
}

#[test]
fn merge_split_rename_and_grading_survive_a_save_and_reload() {
    let (dir, mut w) = workspace();
    let a = tag(&mut w, "Chuck Hagel", 0, "person");
    let b = tag(&mut w, "Hagel", 1, "person");
    let hagel = w.new_entity_from(a).expect("a");
    let short = w.new_entity_from(b).expect("b");
    w.merge_entities(hagel, short).expect("merge");
    assert!(w.project().entity(short).is_none());
    assert_eq!(w.project().mentions_of(hagel).len(), 2);
    let mut renamed = w.project().entity(hagel).expect("e").clone();
    renamed.name = "Charles Timothy Hagel".to_owned();
    renamed.external_id = Some("Q311063".to_owned());
    w.update_entity(renamed).expect("rename");
    let split = w.split_entity(hagel, &[b], "Another Hagel").expect("split");
    assert_eq!(w.project().mentions_of(split).len(), 1);

    let quote = tag(&mut w, "the defense secretary would return", 0, "quote");
    let attrs = Attributes {
        source: Some(Source::Entity(hagel)),
        stance: Some(Stance::Asserts),
        credibility: Credibility::new(2),
        confidence: Some(Confidence::High),
        ..Attributes::default()
    };
    w.set_attributes(quote, attrs.clone()).expect("grade");
    let document = w.project().documents()[0].id;
    w.set_status(document, DocumentStatus::Done)
        .expect("status");
    w.save().expect("save");

    let reopened = Workspace::open(&dir.path().join("p.ron")).expect("reopen");
    let project = reopened.project();
    assert_eq!(project.annotation(quote).map(|a| &a.attrs), Some(&attrs));
    assert_eq!(
        project
            .entity(hagel)
            .map(|e| (e.name.as_str(), e.external_id.as_deref())),
        Some(("Charles Timothy Hagel", Some("Q311063")))
    );
    assert_eq!(project.mentions_of(split).len(), 1);
    assert_eq!(project.documents()[0].status, DocumentStatus::Done);
    // The entity quoted cannot be deleted while the quote refers to it.
    let mut reopened = reopened;
    assert!(reopened.delete_entity(hagel).is_err());
    assert!(reopened.delete_entity(EntityId(999)).is_err());
}

#[test]
fn claims_table_and_who_said_what_on_the_sample_project() {
    use marginalia::model::tables::{claims, who_said_what};
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("projects/us-allies-missile-defence.ron");
    let workspace = Workspace::open(&sample).expect("open");
    let project = workspace.project();
    let rows = claims(project);
    let claim_count = project
        .annotations_sorted()
        .iter()
        .filter(|a| a.label.as_str() == "claim")
        .count();
    assert_eq!(rows.len(), claim_count);
    let main = rows
        .iter()
        .find(|r| {
            r.text
                .starts_with("The United States and its East Asia allies")
        })
        .expect("main claim");
    assert_eq!(
        (
            main.claimant.as_str(),
            main.stance.as_str(),
            main.credibility,
            main.confidence.as_str()
        ),
        ("the publication", "asserts", 2, "high")
    );

    let speakers = who_said_what(project);
    let cronin = speakers
        .iter()
        .find(|r| r.speaker == "Patrick Cronin")
        .expect("Cronin");
    assert_eq!((cronin.quotes.len(), cronin.documents), (5, 1));
    let official = speakers
        .iter()
        .find(|r| {
            r.speaker
                .contains("unidentified senior Defense Department official")
        })
        .expect("official");
    assert_eq!(official.quotes.len(), 3);
    assert!(official.speaker.starts_with("unnamed source: "));
    // No quote of the sample is without its speaker (issue 20, item 16c).
    assert!(
        speakers.iter().all(|r| r.speaker != "(speaker not set)"),
        "{:?}",
        speakers.iter().map(|r| &r.speaker).collect::<Vec<_>>()
    );
    // Most quoted first.
    assert!(
        speakers
            .windows(2)
            .all(|w| w[0].quotes.len() >= w[1].quotes.len())
    );
}

#[test]
fn relations_go_and_come_back_with_their_annotations_and_survive_a_reload() {
    let (dir, mut w) = workspace();
    let claim = tag(
        &mut w,
        "Hagel said the defense secretary would return",
        0,
        "claim",
    );
    let quote = tag(&mut w, "the defense secretary would return", 0, "quote");
    let other = tag(&mut w, "Kim Kwan-jin agreed", 0, "claim");
    let supports = w.relate(quote, claim, "supports").expect("relate");
    w.relate(other, claim, "contradicts").expect("relate");
    assert_eq!(w.project().relations_of(claim).len(), 2);
    assert!(w.relate(quote, AnnotationId(999), "supports").is_err());

    // Removing the claim removes both relations; one undo brings all back.
    w.remove(vec![claim]).expect("remove");
    assert_eq!(w.project().relations().len(), 0);
    w.undo().expect("undo");
    assert_eq!(w.project().relations_of(claim).len(), 2);

    w.unrelate(supports).expect("unrelate");
    assert_eq!(w.project().relations_of(quote).len(), 0);
    w.undo().expect("undo unrelate");
    w.save().expect("save");
    let reopened = Workspace::open(&dir.path().join("p.ron")).expect("reopen");
    let kinds: Vec<(AnnotationId, String, AnnotationId)> = reopened
        .project()
        .relations()
        .map(|r| (r.from, r.kind.clone(), r.to))
        .collect();
    assert_eq!(
        kinds,
        [
            (quote, "supports".to_owned(), claim),
            (other, "contradicts".to_owned(), claim)
        ]
    );

    // A relation to an annotation the file does not have: refused, or dropped with a
    // problem when opened anyway.
    let path = dir.path().join("p.ron");
    let text = std::fs::read_to_string(&path).expect("read");
    let broken = text.replace(
        &format!("from: {}, to: {}", quote.0, claim.0),
        "from: 4242, to: 1",
    );
    assert_ne!(broken, text);
    std::fs::write(&path, &broken).expect("write");
    let Err(error) = Workspace::open(&path) else {
        panic!("a relation to a missing annotation is refused");
    };
    let error = error.to_string();
    assert!(error.contains("annotation #4242"), "{error}");
    let anyway = Workspace::open_with(&path, marginalia::store::LoadMode::SetAsideInvalid)
        .expect("open anyway");
    assert_eq!(anyway.project().relations().len(), 1);
    assert!(anyway.problems().iter().any(|p| p.contains("dropped")));
}
