//! The analyst's inspector, driven through the window: link a mention to an existing entity
//! through the picker, create an entity from a mention, fill a claim's grading and claimant,
//! give a quote an unnamed speaker and a reliability; each change is one undo step.

use crate::common;

use common::*;
use eframe::egui::{Key, Pos2};
use egui_kittest::kittest::Queryable;
use marginalia::model::{
    Annotation, Confidence, Credibility, Directness, EntityId, Reliability, Source, Stance,
};
use marginalia::suggest::SuggestionKind;
use marginalia::workspace::Workspace;

const TEXT_INPUT: eframe::egui::accesskit::Role = eframe::egui::accesskit::Role::TextInput;

/// A copy of the sample project (21 entities, graded quotes and claims) and its article.
fn sample_copy() -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().expect("tempdir");
    let projects = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("projects");
    for name in ["us-allies-missile-defence.ron", ARTICLE] {
        std::fs::copy(projects.join(name), dir.path().join(name)).expect("copy");
    }
    let workspace =
        Workspace::open(&dir.path().join("us-allies-missile-defence.ron")).expect("open");
    (dir, workspace)
}

fn selected(harness: &egui_kittest::Harness<'_, marginalia::gui::MarginaliaApp>) -> Annotation {
    let app = harness.state();
    let id = app.selected().expect("an annotation is selected");
    app.workspace()
        .project()
        .annotation(id)
        .expect("exists")
        .clone()
}

fn entity_named(
    harness: &egui_kittest::Harness<'_, marginalia::gui::MarginaliaApp>,
    name: &str,
) -> EntityId {
    harness
        .state()
        .workspace()
        .project()
        .entities()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("no entity {name}"))
        .id
}

#[test]
fn link_a_mention_to_an_existing_entity_through_the_picker() {
    let (_dir, workspace) = sample_copy();
    let mut h = harness(workspace);
    tag(&mut h, "Japanese Defense Minister", 0, Key::Num3);
    let mention = selected(&h);
    assert_eq!(mention.label.as_str(), "person");
    assert_eq!(mention.entity, None, "no entity goes by this title yet");

    h.get_by_label("Find entity").click();
    settle(&mut h);
    h.get_by_label("Find entity").type_text("onod");
    settle(&mut h);
    h.get_by_label("Itsunori Onodera (Person)").click();
    settle(&mut h);

    let onodera = entity_named(&h, "Itsunori Onodera");
    assert_eq!(selected(&h).entity, Some(onodera));
    let entity = h
        .state()
        .workspace()
        .project()
        .entity(onodera)
        .expect("entity")
        .clone();
    assert!(
        entity
            .aliases
            .contains(&"Japanese Defense Minister".to_owned()),
        "the title is learned as an alias: {:?}",
        entity.aliases
    );

    // One undo takes back the link and the alias; the mention stays.
    press_with(&mut h, CTRL, Key::Z);
    assert_eq!(selected(&h).entity, None);
    let entity = h.state().workspace().project().entity(onodera).cloned();
    assert!(entity.is_some_and(|e| e.aliases.is_empty()));

    // Now the same title elsewhere links by itself once it is an alias again.
    press_with(&mut h, CTRL_SHIFT, Key::Z);
    tag_anywhere(&mut h, "Japanese Defense Minister", 1, Key::Num3);
    assert_eq!(selected(&h).text(), "Japanese Defense Minister");
    assert_eq!(selected(&h).entity, Some(onodera));
}

#[test]
fn a_new_entity_from_a_mention_and_unlinking() {
    let (_dir, workspace) = sample_copy();
    let mut h = harness(workspace);
    let before = h.state().workspace().project().entities().len();
    tag(&mut h, "East Asia allies", 0, Key::Num4);
    h.get_by_label("New entity “East Asia allies”").click();
    settle(&mut h);
    let allies = entity_named(&h, "East Asia allies");
    assert_eq!(h.state().workspace().project().entities().len(), before + 1);
    assert_eq!(selected(&h).entity, Some(allies));
    // Linked, the mention offers no second new entity (issue 20, item 15).
    assert!(
        h.query_by_label_contains("New entity “").is_none(),
        "no near-duplicate invited"
    );
    click_label(&mut h, "Unlink");
    assert_eq!(selected(&h).entity, None);
    h.get_by_label("New entity “East Asia allies”");
}

#[test]
fn fill_a_claims_grading_and_claimant() {
    let (_dir, workspace) = sample_copy();
    let mut h = harness(workspace);
    tag(&mut h, "The three defense chiefs agreed", 0, Key::Num1);
    assert_eq!(selected(&h).label.as_str(), "claim");

    click_label(&mut h, "Stance denies");
    click_label(&mut h, "Credibility 2");
    click_label(&mut h, "Confidence moderate");
    h.get_by_label("Find claimant").click();
    settle(&mut h);
    h.get_by_label("Find claimant").type_text("cronin");
    settle(&mut h);
    h.get_by_label("Patrick Cronin (Person)").click();
    settle(&mut h);

    let claim = selected(&h);
    let cronin = entity_named(&h, "Patrick Cronin");
    assert_eq!(claim.attrs.stance, Some(Stance::Denies));
    assert_eq!(claim.attrs.credibility, Credibility::new(2));
    assert_eq!(claim.attrs.confidence, Some(Confidence::Moderate));
    assert_eq!(claim.attrs.source, Some(Source::Entity(cronin)));
    h.get_by_label_contains("Grading: 2, moderate confidence");

    // Clicking the chosen grade again clears it; each click is one undo step.
    click_label(&mut h, "Credibility 2");
    assert_eq!(selected(&h).attrs.credibility, None);
    press_with(&mut h, CTRL, Key::Z);
    assert_eq!(selected(&h).attrs.credibility, Credibility::new(2));

    // The claimant can be the publication itself.
    click_label(&mut h, "The publication");
    assert_eq!(selected(&h).attrs.source, Some(Source::Publication));
}

#[test]
fn give_a_quote_an_unnamed_speaker_and_a_reliability() {
    let (_dir, workspace) = sample_copy();
    let mut h = harness(workspace);
    tag(&mut h, "shared an understanding", 0, Key::Num2);
    assert_eq!(selected(&h).label.as_str(), "quote");
    h.get_by_label("Unnamed source description").click();
    settle(&mut h);
    h.get_by_label("Unnamed source description")
        .type_text("a senior official traveling with Hagel");
    settle(&mut h);
    click_label(&mut h, "Set unnamed");
    click_label(&mut h, "Direct");
    click_label(&mut h, "Reliability C");

    let quote = selected(&h);
    assert_eq!(
        quote.attrs.source,
        Some(Source::Unnamed(
            "a senior official traveling with Hagel".to_owned()
        ))
    );
    assert_eq!(quote.attrs.directness, Some(Directness::Direct));
    assert_eq!(quote.attrs.reliability, Some(Reliability::C));
    h.get_by_label_contains("Unnamed source: a senior official");
}

#[test]
fn the_entity_index_counts_mentions_renames_merges_and_jumps() {
    let (_dir, workspace) = sample_copy();
    let mut h = harness(workspace);
    // A new mention of a registry name links itself.
    tag_anywhere(&mut h, "Center for a New American Security", 0, Key::Num4);
    let cnas = entity_named(&h, "Center for a New American Security");
    assert_eq!(selected(&h).entity, Some(cnas), "linked by its name");
    press_with(&mut h, CTRL_SHIFT, Key::E);
    let cronin = entity_named(&h, "Patrick Cronin");
    let mentions = h.state().workspace().project().mentions_of(cronin).len();
    h.get_by_label("Filter entities").focus();
    settle(&mut h);
    h.get_by_label("Filter entities").type_text("cron");
    settle(&mut h);
    let row = format!("Patrick Cronin (Person): {mentions} mention(s) in 1 document(s)");
    h.get_by_label(&row).click();
    settle(&mut h);

    // Rename and add an alias.
    h.get_by_role_and_label(TEXT_INPUT, "Entity name").focus();
    press_with(&mut h, CTRL, Key::A);
    h.get_by_role_and_label(TEXT_INPUT, "Entity name")
        .type_text("Patrick M. Cronin");
    h.get_by_role_and_label(TEXT_INPUT, "Aliases").focus();
    press(&mut h, Key::End);
    h.get_by_role_and_label(TEXT_INPUT, "Aliases")
        .type_text(", Dr. Cronin");
    settle(&mut h);
    click_label(&mut h, "Save entity");
    let entity = h
        .state()
        .workspace()
        .project()
        .entity(cronin)
        .expect("entity")
        .clone();
    assert_eq!(entity.name, "Patrick M. Cronin");
    assert_eq!(entity.aliases, ["Cronin", "Dr. Cronin"]);

    // A mention row shows the words around it (issue 20, item 8), and jumps to its text
    // and selects it.
    let first = h.state().workspace().project().mentions_of(cronin)[0].clone();
    let (_, before, _) = first.words();
    let last_word = before.split_whitespace().last().expect("words before it");
    let quoted = format!("“{}”", first.text());
    let row = h.get_by_label_contains(&quoted);
    let label = {
        use egui_kittest::kittest::NodeT as _;
        row.accesskit_node().label().unwrap_or_default()
    };
    assert!(label.contains(last_word), "{label:?} holds {last_word:?}");
    row.click();
    settle(&mut h);
    assert_eq!(h.state().selected(), Some(first.id));

    // Merge the Pentagon's entity into a new one of the same kind: one undo step.
    let pentagon = entity_named(&h, "U.S. Department of Defense");
    let references = h
        .state()
        .workspace()
        .project()
        .annotations_referring_to(pentagon)
        .len();
    let cnas_references = h
        .state()
        .workspace()
        .project()
        .annotations_referring_to(cnas)
        .len();
    h.get_by_label("Filter entities").focus();
    press_with(&mut h, CTRL, Key::A);
    h.get_by_label("Filter entities").type_text("pentagon");
    settle(&mut h);
    h.get_by_label_contains("U.S. Department of Defense (Organization)")
        .click();
    settle(&mut h);
    click_label(&mut h, "Merge into…");
    click_label(&mut h, "Center for a New American Security");
    let project = h.state().workspace().project();
    assert!(project.entity(pentagon).is_none());
    assert_eq!(
        project.annotations_referring_to(cnas).len(),
        cnas_references + references
    );
    assert!(
        project
            .entity(cnas)
            .expect("kept")
            .aliases
            .contains(&"Pentagon".to_owned())
    );
    press_with(&mut h, CTRL, Key::Z);
    assert!(h.state().workspace().project().entity(pentagon).is_some());
}

#[test]
fn set_a_documents_status_from_the_status_bar() {
    let (_dir, workspace) = sample_copy();
    let mut h = harness(workspace);
    click_label(&mut h, "Status: in progress");
    click_label(&mut h, "done");
    let project = h.state().workspace().project();
    assert_eq!(
        project.documents()[0].status,
        marginalia::model::DocumentStatus::Done
    );
    h.get_by_label_contains("– done");
    press_with(&mut h, CTRL, Key::Z);
    assert_eq!(
        h.state().workspace().project().documents()[0].status,
        marginalia::model::DocumentStatus::InProgress
    );
}

/// Chooses the suggestion listed as `row` (the text scrolls to it) and accepts it with
/// Enter: the quotes of the project afterwards.
fn accept_listed(
    h: &mut egui_kittest::Harness<'_, marginalia::gui::MarginaliaApp>,
    row: &str,
) -> Vec<Annotation> {
    h.get_by_label_contains(row).click();
    settle(h);
    press(h, Key::Enter);
    annotations(h)
        .into_iter()
        .filter(|a| a.label.as_str() == "quote")
        .collect()
}

#[test]
fn accept_a_suggested_quote_reject_one_and_accept_all_in_one_step() {
    let (_dir, article) = temp_article();
    let mut workspace = Workspace::new_at(&article.with_file_name("p.ron"));
    workspace.add_document(&article).expect("add");
    let mut h = harness(workspace);
    press_with(&mut h, CTRL, Key::G);
    let total = h
        .state()
        .workspace()
        .suggestions(h.state().current_document().expect("document"))
        .len();
    assert!(total >= 7, "{total}");
    h.get_by_label(&format!(
        "{total} suggestion(s) in this document. Enter accepts the current one, Backspace rejects it."
    ));

    // Choose Cronin's quote in the list (the text scrolls to it), accept it with Enter.
    let quotes = accept_listed(&mut h, "“So they each got something”");
    assert_eq!(quotes.len(), 1);
    let quote = &quotes[0];
    assert_eq!(quote.text(), "So they each got something");
    assert_eq!(quote.attrs.directness, Some(Directness::Direct));
    let cronin = entity_named(&h, "Patrick Cronin");
    assert_eq!(
        quote.attrs.source,
        Some(Source::Entity(cronin)),
        "a new entity for the speaker"
    );

    // Backspace rejects the current one; it does not come back. (The new entity's other
    // mentions are suggested now too.)
    let left = h
        .state()
        .workspace()
        .suggestions(h.state().current_document().expect("document"))
        .len();
    h.get_by_label_contains(&format!("{left} suggestion(s)"));
    press(&mut h, Key::Backspace);
    h.get_by_label_contains(&format!("{} suggestion(s)", left - 1));
    assert_eq!(annotations(&h).len(), 1);
    // The project remembers it (saved with it: issue 20, item 2).
    let document = h.state().current_document().expect("document");
    assert_eq!(h.state().workspace().suggestions(document).len(), left - 1);
    assert_eq!(h.state().workspace().project().rejected().count(), 1);

    // Accept all: one undo step.
    click_label(&mut h, &format!("Accept all ({})", left - 1));
    assert_eq!(annotations(&h).len(), left);
    press_with(&mut h, CTRL, Key::Z);
    assert_eq!(annotations(&h).len(), 1);
}

#[test]
fn reported_speech_is_listed_apart_hidden_on_request_and_accepted_as_indirect() {
    let (_dir, article) = temp_article();
    let mut workspace = Workspace::new_at(&article.with_file_name("p.ron"));
    workspace.add_document(&article).expect("add");
    let mut h = harness(workspace);
    press_with(&mut h, CTRL, Key::G);
    let document = h.state().current_document().expect("document");
    let all = h.state().workspace().suggestions(document);
    let reported = all
        .iter()
        .filter(|s| {
            matches!(
                s.kind,
                SuggestionKind::Quote {
                    directness: Directness::Indirect,
                    ..
                }
            )
        })
        .count();
    assert!(reported >= 3, "{all:?}");
    // Shown as reported, without quotation marks.
    h.get_by_label_contains("(reported): And Japan achieved its goal");

    // Hidden: neither listed nor counted; shown again on a second click.
    click_label(&mut h, &format!("Reported speech ({reported})"));
    h.get_by_label_contains(&format!(
        "{} suggestion(s) in this document",
        all.len() - reported
    ));
    assert!(h.query_all_by_label_contains("(reported)").next().is_none());
    click_label(&mut h, "Reported speech");
    h.get_by_label_contains(&format!("{} suggestion(s) in this document", all.len()));

    // Accepted: a quote marked indirect, its speaker the one the cue names.
    let quotes = accept_listed(&mut h, "(reported): And Japan achieved its goal");
    assert_eq!(quotes.len(), 1);
    assert!(
        quotes[0].text().starts_with("And Japan achieved its goal"),
        "{}",
        quotes[0].text()
    );
    assert_eq!(quotes[0].attrs.directness, Some(Directness::Indirect));
    let cronin = entity_named(&h, "Patrick Cronin");
    assert_eq!(quotes[0].attrs.source, Some(Source::Entity(cronin)));
}

#[test]
fn tab_and_shift_tab_step_through_the_annotations_in_text_order() {
    let (_dir, workspace) = sample_copy();
    let mut h = harness(workspace);
    let document = h.state().current_document().expect("document");
    let order: Vec<_> = h
        .state()
        .workspace()
        .project()
        .spans_of(document)
        .map(|(_, id)| id)
        .collect();
    // Click plain text (no annotation there): the text has the keyboard.
    let at = find(&h, "Add to Briefcase", 0);
    let pos = screen(&h, at.forward(2));
    click_at(&mut h, pos);
    press(&mut h, Key::Tab);
    assert_eq!(h.state().selected(), Some(order[0]));
    press(&mut h, Key::Tab);
    press(&mut h, Key::Tab);
    assert_eq!(h.state().selected(), Some(order[2]));
    press_with(&mut h, eframe::egui::Modifiers::SHIFT, Key::Tab);
    assert_eq!(h.state().selected(), Some(order[1]));
    // Label keys still work with the text focused: relabel the selected one.
    press(&mut h, Key::Num5);
    assert_eq!(selected(&h).label.as_str(), "location");
}

#[test]
fn the_command_palette_finds_and_runs_commands_and_labels() {
    let (_dir, workspace) = sample_copy();
    let mut h = harness(workspace);
    press_with(&mut h, CTRL_SHIFT, Key::P);
    h.get_by_label("Command name").type_text("entit");
    settle(&mut h);
    h.get_by_label_contains("Ctrl+Shift+E");
    press(&mut h, Key::Enter);
    assert!(
        h.query_by_label("Filter entities").is_some(),
        "the entity index opened"
    );

    // A label by name: select text, then "Tag as Equipment" from the palette.
    let start = find(&h, "Add to Briefcase", 0);
    drag_chars(
        &mut h,
        start,
        start.forward(16),
        eframe::egui::Modifiers::NONE,
    );
    press_with(&mut h, CTRL_SHIFT, Key::P);
    h.get_by_label("Command name").type_text("tag equip");
    settle(&mut h);
    click_label(&mut h, "Tag as Equipment");
    let tagged = selected(&h);
    assert_eq!(
        (tagged.label.as_str(), tagged.text()),
        ("equipment", "Add to Briefcase")
    );
}

#[test]
fn the_claims_table_sorts_filters_and_jumps() {
    let (_dir, workspace) = sample_copy();
    let mut h = harness(workspace);
    press_with(&mut h, CTRL_SHIFT, Key::C);
    let total = marginalia::model::tables::claims(h.state().workspace().project()).len();
    h.get_by_label(&format!("{total} claim(s)"));
    h.get_by_label("Filter the table").focus();
    h.get_by_label("Filter the table").type_text("Aegis");
    settle(&mut h);
    let aegis = marginalia::model::tables::claims(h.state().workspace().project())
        .iter()
        .filter(|r| r.text.to_lowercase().contains("aegis"))
        .count();
    assert!(aegis >= 2);
    h.get_by_label(&format!("{aegis} claim(s)"));
    h.get_by_label_contains("Seoul has decided against").click();
    settle(&mut h);
    assert!(selected(&h).text().starts_with("Seoul has decided against"));

    // By grading: only the claims of credibility 3 (the filter text cleared).
    h.get_by_label("Filter the table").focus();
    press_with(&mut h, CTRL, Key::A);
    press(&mut h, Key::Backspace);
    h.get_by_label("Filter by credibility").click();
    settle(&mut h);
    click_label(&mut h, "credibility 3");
    let threes = marginalia::model::tables::claims(h.state().workspace().project())
        .iter()
        .filter(|r| r.credibility == 3)
        .count();
    assert!(threes >= 2 && threes < total, "{threes} of {total}");
    h.get_by_label(&format!("{threes} claim(s)"));

    // Who said what: the official's three quotes under one heading.
    press_with(&mut h, CTRL_SHIFT, Key::W);
    h.get_by_label("Filter the table").focus();
    press_with(&mut h, CTRL, Key::A);
    h.get_by_label("Filter the table").type_text("official");
    settle(&mut h);
    h.get_by_label_contains(
        "an unidentified senior Defense Department official: 3 quote(s) in 1 document(s)",
    )
    .click();
    settle(&mut h);
    h.get_by_label_contains("“That makes sense").click();
    settle(&mut h);
    assert!(selected(&h).text().starts_with("That makes sense"));
}

#[test]
fn relate_two_annotations_from_the_inspector_then_follow_and_remove_the_relation() {
    let (_dir, workspace) = sample_copy();
    let mut h = harness(workspace);
    let before = h.state().workspace().project().relations().len();
    tag(&mut h, "The three defense chiefs agreed", 0, Key::Num1);
    let claim = selected(&h);
    // Kind "repeats", then Relate to…, then click the other annotation in the list.
    h.get_by_label("Relation kind").click();
    settle(&mut h);
    click_label(&mut h, "repeats");
    click_label(&mut h, "Relate to…");
    h.get_by_label_contains("Claim: The United States and its East Asia allies")
        .click();
    settle(&mut h);
    let project = h.state().workspace().project();
    assert_eq!(project.relations().len(), before + 1);
    let relation = project.relations_of(claim.id)[0].clone();
    assert_eq!(relation.kind, "repeats");
    assert_eq!(relation.from, claim.id);
    let target = project.annotation(relation.to).expect("target").clone();
    assert!(
        target
            .text()
            .starts_with("The United States and its East Asia allies")
    );
    assert_eq!(
        h.state().selected(),
        Some(claim.id),
        "the inspector stays on the claim"
    );

    // Both ends are in view: an arc joins the tops of the two spans.
    let arc_of = |h: &egui_kittest::Harness<'_, marginalia::gui::MarginaliaApp>| {
        h.state()
            .painted_arcs()
            .iter()
            .find(|a| a.0 == relation.id)
            .map(|a| (a.1, a.2))
    };
    let (start, end) = arc_of(&h).expect("the relation is drawn as an arc");
    for (point, span) in [(start, claim.span), (end, target.span)] {
        let band = h.state().screen_bands(span)[0];
        assert!(
            (point.y - band.min.y).abs() < 1.0 && band.x_range().contains(point.x),
            "{point:?} on {band:?}"
        );
    }

    // The relation is listed and leads to its other end.
    h.get_by_label_contains("repeats “The United States")
        .click();
    settle(&mut h);
    assert_eq!(h.state().selected(), Some(target.id));
    h.get_by_label_contains("(is repeats by)");
    click_label(
        &mut h,
        &format!("Remove repeats relation {}", relation.id.0),
    );
    assert_eq!(h.state().workspace().project().relations().len(), before);
    assert!(arc_of(&h).is_none(), "a removed relation has no arc");
    press_with(&mut h, CTRL, Key::Z);
    assert_eq!(
        h.state().workspace().project().relations().len(),
        before + 1
    );
    // Back at the claim, with its target above it in view.
    h.state_mut()
        .push_action(marginalia::gui::Action::JumpTo(claim.id));
    settle(&mut h);
    let painted = h.state().painted_annotations();
    assert!(
        painted.contains(&claim.id) && painted.contains(&target.id),
        "both ends in view"
    );
    assert!(arc_of(&h).is_some(), "undone, the arc is back");
}

#[test]
fn find_mentions_of_an_entity_and_tag_them_all_linked() {
    let (_dir, workspace) = sample_copy();
    let mut h = harness(workspace);
    let cronin = entity_named(&h, "Patrick Cronin");
    let before = h.state().workspace().project().mentions_of(cronin).len();
    press_with(&mut h, CTRL_SHIFT, Key::E);
    h.get_by_label("Filter entities").focus();
    h.get_by_label("Filter entities").type_text("cronin");
    settle(&mut h);
    h.get_by_label_contains("Patrick Cronin (Person)").click();
    settle(&mut h);
    click_label(&mut h, "Find mentions…");
    h.get_by_label("Tagged hits link to Patrick Cronin");
    // Every "Patrick Cronin" and "Cronin" of the text, whole words.
    let text = h
        .state()
        .workspace()
        .text(h.state().current_document().expect("document"))
        .expect("text")
        .as_str()
        .to_owned();
    let hits = text.matches("Cronin").count();
    let untagged = hits - before;
    assert!(untagged > 0);
    click_label(&mut h, &format!("Tag all ({untagged})"));
    let project = h.state().workspace().project();
    assert_eq!(project.mentions_of(cronin).len(), hits);
    assert!(
        project
            .mentions_of(cronin)
            .iter()
            .all(|a| a.label.as_str() == "person")
    );
    press_with(&mut h, CTRL, Key::Z);
    assert_eq!(
        h.state().workspace().project().mentions_of(cronin).len(),
        before
    );
}

#[test]
fn split_mentions_off_an_entity_and_write_its_note_in_the_entity_index() {
    let (_dir, workspace) = sample_copy();
    let mut h = harness(workspace);
    // "Seoul" is an alias of South Korea in the sample; split the city mentions off.
    let korea = entity_named(&h, "South Korea");
    let seoul: Vec<_> = h
        .state()
        .workspace()
        .project()
        .mentions_of(korea)
        .into_iter()
        .filter(|a| a.text() == "Seoul")
        .map(|a| a.id)
        .collect();
    assert!(seoul.len() >= 2);
    let before = h.state().workspace().project().mentions_of(korea).len();
    press_with(&mut h, CTRL_SHIFT, Key::E);
    h.get_by_label("Filter entities").focus();
    h.get_by_label("Filter entities").type_text("south korea");
    settle(&mut h);
    h.get_by_label_contains("South Korea (Location)").click();
    settle(&mut h);
    for id in &seoul {
        click_label(&mut h, &format!("Split off mention {}", id.0));
    }
    h.get_by_label("New entity name").focus();
    h.get_by_label("New entity name").type_text("Seoul (city)");
    settle(&mut h);
    click_label(&mut h, &format!("Split {} mention(s) off", seoul.len()));
    let city = entity_named(&h, "Seoul (city)");
    let project = h.state().workspace().project();
    assert_eq!(project.mentions_of(city).len(), seoul.len());
    assert_eq!(project.mentions_of(korea).len(), before - seoul.len());
    press_with(&mut h, CTRL, Key::Z);
    assert_eq!(
        h.state().workspace().project().mentions_of(korea).len(),
        before
    );

    // The note.
    h.get_by_role_and_label(TEXT_INPUT, "Entity note").focus();
    h.get_by_role_and_label(TEXT_INPUT, "Entity note")
        .type_text("Government in Seoul");
    settle(&mut h);
    click_label(&mut h, "Save entity");
    let note = h
        .state()
        .workspace()
        .project()
        .entity(korea)
        .map(|e| e.note.clone());
    assert_eq!(note.as_deref(), Some("Government in Seoul"));
}

#[test]
fn ctrl_drag_adds_a_fragment_to_the_selected_quote_and_remove_takes_it_out() {
    let (dir, path) = temp_article();
    let mut workspace = Workspace::new_at(&dir.path().join("p.ron"));
    workspace.add_document(&path).expect("add");
    let mut h = harness(workspace);
    let first = "That makes sense, you know, for where they sit right now";
    let second = "But the key is to get it interoperable";
    // Bring the whole passage into view, then drag over its first part and press 2.
    let whole = marginalia::model::Span::between(
        find(&h, first, 0),
        find(&h, second, 0).forward(second.chars().count()),
    );
    let document = h.state().current_document().expect("shown");
    h.state_mut()
        .push_action(marginalia::gui::Action::ShowSpan(document, whole));
    settle(&mut h);
    tag(&mut h, first, 0, Key::Num2);
    let quote = selected(&h);
    assert_eq!(quote.label.as_str(), "quote");
    h.get_by_label_contains("Ctrl+drag over more text");

    // Ctrl+drag over the rest of the quote, past "the unnamed Pentagon official said".
    let start = find(&h, second, 0);
    drag_chars(&mut h, start, start.forward(second.chars().count()), CTRL);
    let joined = selected(&h);
    assert_eq!(joined.id, quote.id, "the same annotation, still selected");
    assert_eq!(joined.piece_texts(), [first, second]);
    assert_eq!(annotations(&h).len(), 1, "no second annotation");
    assert!(h.state().text_selection().is_none());
    // The gap is not part of it: clicking "Pentagon" selects nothing.
    h.state_mut()
        .push_action(marginalia::gui::Action::ShowSpan(document, whole));
    settle(&mut h);
    let gap = screen(&h, find(&h, "Pentagon official said", 0));
    click_at(&mut h, gap);
    assert_eq!(h.state().selected(), None);

    // The inspector lists the fragments; Remove takes the first out.
    let inside = screen(&h, start.forward(4));
    click_at(&mut h, inside);
    assert_eq!(h.state().selected(), Some(quote.id));
    h.get_by_label("Remove fragment 1").click();
    settle(&mut h);
    let rest = selected(&h);
    assert!(!rest.is_discontinuous());
    assert_eq!(rest.text(), second);
    press_with(&mut h, CTRL, Key::Z);
    assert_eq!(selected(&h).piece_texts(), [first, second], "undone");
}

/// Issue 20, item 4: Escape closes the topmost window (the one opened last), then the next,
/// then clears the selection; the export dialog closes on Escape too.
#[test]
fn escape_closes_the_topmost_window_then_the_next() {
    let (_dir, workspace) = sample_copy();
    let mut h = harness(workspace);
    press_with(&mut h, CTRL_SHIFT, Key::E);
    press_with(&mut h, CTRL, Key::F);
    assert_eq!(h.state().open_windows(), ["Find and tag all", "Entities"]);
    press(&mut h, Key::Escape);
    assert_eq!(
        h.state().open_windows(),
        ["Entities"],
        "the window opened last goes first"
    );
    press(&mut h, Key::Escape);
    assert!(h.state().open_windows().is_empty());
    // Whatever the order of the list, the one opened last is closed first.
    press_with(&mut h, CTRL_SHIFT, Key::E);
    press_with(&mut h, CTRL_SHIFT, Key::K);
    assert_eq!(h.state().open_windows(), ["Schema", "Entities"]);
    press(&mut h, Key::Escape);
    assert_eq!(
        h.state().open_windows(),
        ["Entities"],
        "the schema was on top"
    );
    press(&mut h, Key::Escape);
    press_with(&mut h, CTRL, Key::E);
    h.get_by_label("Export path");
    press(&mut h, Key::Escape);
    assert!(
        h.query_by_label("Export path").is_none(),
        "the export dialog closed"
    );
}

/// Issue 20, item 16b: a quote tagged by hand is offered the speaker its cue names, as
/// suggestions are; one click sets it (a new person when the registry does not know them),
/// as one undo step.
#[test]
fn a_quote_tagged_by_hand_is_offered_the_speaker_its_cue_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = dir.path().join("tunis.txt");
    std::fs::write(
        &article,
        "Tunis, Monday.\n\n“We will not hand over the budget to the lenders,” Essid declared on Monday.\n",
    )
    .expect("write");
    let mut workspace = Workspace::new_at(&dir.path().join("p.ron"));
    workspace.add_document(&article).expect("add");
    let mut h = harness(workspace);
    tag(
        &mut h,
        "We will not hand over the budget to the lenders",
        0,
        Key::Num2,
    );
    assert_eq!(selected(&h).label.as_str(), "quote");
    assert!(selected(&h).attrs.source.is_none());
    h.get_by_label("Speaker: Essid (new person)").click();
    settle(&mut h);
    let essid = entity_named(&h, "Essid");
    assert_eq!(selected(&h).attrs.source, Some(Source::Entity(essid)));
    assert!(
        h.query_by_label_contains("Speaker: Essid").is_none(),
        "set: no longer proposed"
    );
    press_with(&mut h, CTRL, Key::Z);
    assert!(selected(&h).attrs.source.is_none(), "one undo step");
    assert!(
        h.state()
            .workspace()
            .project()
            .entities()
            .all(|e| e.name != "Essid"),
        "the new person goes with it"
    );
}

/// View > Overview, by its shortcut (Ctrl+Shift+D), its figures computed.
fn open_overview(h: &mut egui_kittest::Harness<'_, marginalia::gui::MarginaliaApp>) {
    press_with(
        h,
        eframe::egui::Modifiers::COMMAND | eframe::egui::Modifiers::SHIFT,
        Key::D,
    );
    settle(h);
}

#[test]
fn the_overview_charts_the_project_and_a_click_lists_and_shows_the_passages() {
    let (_dir, workspace) = sample_copy();
    let mut h = harness(workspace);
    open_overview(&mut h);
    assert!(h.state().overview().is_some(), "Ctrl+Shift+D opens it");
    h.get_by_label("1 document(s), 56 annotation(s)");

    // The figure under the labels chart lists its passages.
    h.get_by_label("Claim 11").click();
    settle(&mut h);
    let passages = h.state().overview().expect("open").passages().to_vec();
    assert_eq!(passages.len(), 11);
    h.get_by_label("Label Claim: 11 passage(s)");
    let claims: Vec<_> = passages
        .iter()
        .map(|id| {
            h.state()
                .workspace()
                .project()
                .annotation(*id)
                .expect("exists")
        })
        .map(|a| a.label.as_str().to_owned())
        .collect();
    assert!(claims.iter().all(|l| l == "claim"), "{claims:?}");

    // A click on a passage shows it in the text, selected.
    let third = passages[2];
    let text = h
        .state()
        .workspace()
        .project()
        .annotation(third)
        .expect("exists")
        .marked_text()
        .into_owned();
    let row = format!(
        "U.S., Allies Agree to Further Study Intel Swaps on North Korea Missiles · “{}”",
        marginalia::model::text::ellipsize(&text, 80)
    );
    h.get_by_label(&row).click();
    settle(&mut h);
    assert_eq!(h.state().selected(), Some(third));

    // The most quoted speaker and the most mentioned entities.
    for (figure, passages) in [("Patrick Cronin 5", 5), ("Patrick Cronin 3", 3)] {
        h.get_by_label(figure).scroll_to_me();
        h.run_ok();
        h.get_by_label(figure).click();
        settle(&mut h);
        let listed = h.state().overview().expect("open").passages().len();
        assert_eq!(listed, passages, "{figure}");
    }

    // A date range leaves out the undated article; "Show everything" brings it back.
    h.get_by_label("From date").click();
    h.run_ok();
    h.get_by_label("From date").type_text("2014-01-01");
    settle(&mut h);
    h.get_by_label("0 document(s), 0 annotation(s)");
    h.get_by_label("Show everything").click();
    settle(&mut h);
    h.get_by_label("1 document(s), 56 annotation(s)");

    // Below the text in a window too narrow for both side by side; docked beside on
    // request; closed.
    assert!(h.state().overview().expect("open").at_bottom);
    h.get_by_label("Dock beside").click();
    settle(&mut h);
    assert!(!h.state().overview().expect("open").at_bottom);
    h.get_by_label("Close").click();
    settle(&mut h);
    assert!(h.state().overview().is_none());
}

#[test]
fn the_entity_network_settles_and_a_click_on_a_circle_or_a_line_lists_its_passages() {
    let (_dir, workspace) = sample_copy();
    let mut h = harness(workspace);
    open_overview(&mut h);
    h.get_by_label("Dock beside").click();
    settle(&mut h);
    h.get_by_label("Network").click();
    settle(&mut h);
    let (names, edges, places) = {
        let view = h.state().overview().expect("open").network();
        assert!(!view.is_busy(), "built and settled");
        let network = view.network().expect("built");
        let names: Vec<String> = network.nodes.iter().map(|n| n.name.clone()).collect();
        let edges: Vec<(usize, usize, Option<String>)> = network
            .edges
            .iter()
            .map(|e| (e.source, e.target, e.relation.clone()))
            .collect();
        (names, edges, view.nodes_on_screen().to_vec())
    };
    assert_eq!(places.len(), names.len());

    // A circle: the entity's mentions.
    let cronin = names
        .iter()
        .position(|n| n == "Patrick Cronin")
        .expect("a node");
    click_at(&mut h, places[cronin]);
    assert_eq!(h.state().overview().expect("open").passages().len(), 3);
    h.get_by_label("Mentions of Patrick Cronin: 3 passage(s)");

    // A line, clicked where no circle and no other line is near: the mentions of both
    // entities in the sentences holding both. (The passages listed above the network
    // moved it down.)
    let places = h
        .state()
        .overview()
        .expect("open")
        .network()
        .nodes_on_screen()
        .to_vec();
    let near = |p: Pos2, a: Pos2, b: Pos2| {
        let ab = b - a;
        let t = ((p - a).dot(ab) / ab.length_sq()).clamp(0.0, 1.0);
        p.distance(a + ab * t)
    };
    let (line, middle) = edges
        .iter()
        .enumerate()
        .filter(|(_, e)| e.2.is_none())
        .map(|(i, e)| (i, places[e.0] + (places[e.1] - places[e.0]) / 2.0))
        .find(|&(i, m)| {
            places.iter().all(|p| p.distance(m) > 16.0)
                && edges
                    .iter()
                    .enumerate()
                    .all(|(j, f)| j == i || near(m, places[f.0], places[f.1]) > 6.0)
        })
        .expect("a line clear of the others");
    click_at(&mut h, middle);
    let listed = h.state().overview().expect("open").passages().to_vec();
    let (a, b) = (&names[edges[line].0], &names[edges[line].1]);
    assert!(listed.len() >= 2, "{a} — {b}: {listed:?}");
    let project = h.state().workspace().project();
    let linked: Vec<String> = listed
        .iter()
        .filter_map(|id| project.annotation(*id)?.entity)
        .filter_map(|e| project.entity(e).map(|e| e.name.clone()))
        .collect();
    assert!(linked.contains(a) && linked.contains(b), "{linked:?}");
    assert!(linked.iter().all(|n| n == a || n == b), "{linked:?}");
}

/// The claims window (Ctrl+Shift+C) at its Claim clusters tab.
fn open_claim_clusters(h: &mut egui_kittest::Harness<'_, marginalia::gui::MarginaliaApp>) {
    press_with(
        h,
        eframe::egui::Modifiers::COMMAND | eframe::egui::Modifiers::SHIFT,
        Key::C,
    );
    settle(h);
    h.get_by_label("Claim clusters").click();
    settle(h);
}

#[test]
fn claim_clusters_show_one_claim_from_two_articles_side_by_side_and_jump() {
    use marginalia::model::{Attributes, CharPos, LabelId, Span, Stance};
    let dir = tempfile::tempdir().expect("tempdir");
    let mut workspace = Workspace::new_at(&dir.path().join("p.ron"));
    let mut tagged = Vec::new();
    for (name, text, passage, stance) in [
        (
            "a.txt",
            "Volker said he had no knowledge of any efforts to urge Ukraine to investigate Joe Biden. Oil prices rose on Monday.\n",
            "he had no knowledge of any efforts to urge Ukraine to investigate Joe Biden",
            Stance::Denies,
        ),
        (
            "b.txt",
            "Critics say Volker knew of efforts to urge Ukraine to investigate Biden.\n",
            "Volker knew of efforts to urge Ukraine to investigate Biden",
            Stance::Asserts,
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        let doc = workspace.add_document(&path).expect("add");
        let start = text[..text.find(passage).expect("passage")].chars().count();
        let span = Span::between(CharPos(start), CharPos(start + passage.chars().count()));
        let id = workspace
            .annotate(doc, span, &LabelId("claim".into()))
            .expect("tag");
        let attrs = Attributes {
            stance: Some(stance),
            ..Attributes::default()
        };
        workspace.set_attributes(id, attrs).expect("stance");
        tagged.push((doc, id));
    }
    let mut h = harness(workspace);
    open_claim_clusters(&mut h);
    h.get_by_label(
        "Cluster 1 (suggested): 2 claims in 2 document(s), stances differ (asserts, denies)",
    );
    h.get_by_label("denies");
    h.get_by_label("Volker knew of efforts to urge Ukraine to investigate Biden")
        .click();
    settle(&mut h);
    assert_eq!(h.state().selected(), Some(tagged[1].1));
    assert_eq!(h.state().current_document(), Some(tagged[1].0));
}

/// A workspace with three articles: the same troops claim in each, and one oil claim in
/// the first two.
fn claims_workspace(dir: &std::path::Path) -> (Workspace, Vec<marginalia::model::AnnotationId>) {
    use marginalia::model::{CharPos, LabelId, Span};
    let mut workspace = Workspace::new_at(&dir.join("p.ron"));
    let troops = [
        "The army withdrew its troops from the northern border on Monday",
        "Troops were withdrawn from the northern border, the army said",
        "The army has withdrawn troops from the northern border region",
    ];
    let oil = [
        "Oil prices rose sharply after the refinery fire",
        "The refinery fire sent oil prices sharply higher",
    ];
    let mut ids = Vec::new();
    for (i, name) in ["a.txt", "b.txt", "c.txt"].into_iter().enumerate() {
        let mut passages = vec![troops[i]];
        passages.extend(oil.get(i));
        let text = passages.join(".\n") + ".\n";
        let path = dir.join(name);
        std::fs::write(&path, &text).expect("write");
        let doc = workspace.add_document(&path).expect("add");
        for passage in passages {
            let start = text[..text.find(passage).expect("passage")].chars().count();
            let span = Span::between(CharPos(start), CharPos(start + passage.chars().count()));
            ids.push(
                workspace
                    .annotate(doc, span, &LabelId("claim".into()))
                    .expect("tag"),
            );
        }
    }
    (workspace, ids)
}

/// The cluster ids the claims carry in the project.
fn cluster_ids(
    h: &egui_kittest::Harness<'_, marginalia::gui::MarginaliaApp>,
    ids: &[marginalia::model::AnnotationId],
) -> Vec<Option<marginalia::model::clusters::ClusterId>> {
    ids.iter()
        .map(|&id| {
            h.state()
                .workspace()
                .project()
                .annotation(id)
                .expect("claim")
                .attrs
                .cluster
        })
        .collect()
}

#[test]
fn the_analyst_confirms_splits_merges_and_dissolves_claim_clusters_undoably() {
    let dir = tempfile::tempdir().expect("tempdir");
    // ids: troops a, oil a, troops b, oil b, troops c.
    let (workspace, ids) = claims_workspace(dir.path());
    let (troops, oil) = ([ids[0], ids[2], ids[4]], [ids[1], ids[3]]);
    let mut h = harness(workspace);
    open_claim_clusters(&mut h);
    h.get_by_label("Cluster 1 (suggested): 3 claims in 3 document(s)");
    h.get_by_label("Cluster 2 (suggested): 2 claims in 2 document(s)");

    // Confirm the troops cluster: its claims carry one id; Ctrl+Z takes it back.
    h.get_all_by_label("Confirm")
        .next()
        .expect("a button")
        .click();
    settle(&mut h);
    h.get_by_label("Cluster 1 (confirmed): 3 claims in 3 document(s)");
    let confirmed = cluster_ids(&h, &troops);
    assert!(confirmed[0].is_some() && confirmed.iter().all(|c| *c == confirmed[0]));
    assert_eq!(cluster_ids(&h, &oil), [None, None]);
    press_with(&mut h, eframe::egui::Modifiers::COMMAND, Key::Z);
    settle(&mut h);
    assert_eq!(cluster_ids(&h, &troops), [None, None, None]);
    h.get_by_label("Cluster 1 (suggested): 3 claims in 3 document(s)");
    press_with(
        &mut h,
        eframe::egui::Modifiers::COMMAND | eframe::egui::Modifiers::SHIFT,
        Key::Z,
    );
    settle(&mut h);
    assert_eq!(cluster_ids(&h, &troops), confirmed);

    // Take the third article's claim out: it is kept out, not suggested back.
    h.get_by_label_contains("Take out: The army has withdrawn troops")
        .click();
    settle(&mut h);
    h.get_by_label("Cluster 1 (confirmed): 2 claims in 2 document(s)");
    let out = cluster_ids(&h, &troops)[2];
    assert!(out.is_some() && out != confirmed[0]);

    // The inspector of that claim lets it be grouped again: then it is suggested for the
    // confirmed cluster, and added from the inspector.
    h.state_mut()
        .push_action(marginalia::gui::Action::JumpTo(troops[2]));
    settle(&mut h);
    h.get_by_label("Kept out of the claim clusters by an analyst.");
    h.get_by_label("Let it be grouped again").click();
    settle(&mut h);
    assert_eq!(cluster_ids(&h, &troops)[2], None);
    h.get_by_label_contains("Add to cluster: The army has withdrawn troops");
    h.get_by_label_contains("Looks like cluster 1 (confirmed, 2 claim(s))");
    h.get_by_label("Add to cluster 1").click();
    settle(&mut h);
    assert_eq!(cluster_ids(&h, &troops), confirmed);
    h.get_by_label("In cluster 1 (confirmed) with 2 other claim(s), 3 document(s)");

    // Merge the oil cluster in, then split the oil claims off again.
    h.get_all_by_label("Merge with…")
        .next()
        .expect("a menu")
        .click();
    settle(&mut h);
    h.get_by_label_contains("Cluster 2: Oil prices rose")
        .click();
    settle(&mut h);
    h.get_by_label("Cluster 1 (confirmed): 5 claims in 3 document(s)");
    assert!(cluster_ids(&h, &ids).iter().all(|c| *c == confirmed[0]));
    for text in ["Oil prices rose", "The refinery fire sent"] {
        h.get_by_label_contains(&format!("Check: {text}")).click();
        settle(&mut h);
    }
    h.get_by_label("Split off the checked").click();
    settle(&mut h);
    assert_eq!(cluster_ids(&h, &troops), confirmed);
    let split = cluster_ids(&h, &oil);
    assert!(split[0].is_some() && split[0] == split[1] && split[0] != confirmed[0]);
    h.get_by_label("Cluster 2 (confirmed): 2 claims in 2 document(s)");

    // Dissolve the oil cluster: back to the automatic grouping; the ids are saved.
    h.get_all_by_label("Dissolve")
        .nth(1)
        .expect("a button")
        .click();
    settle(&mut h);
    assert_eq!(cluster_ids(&h, &oil), [None, None]);
    h.get_by_label("Cluster 2 (suggested): 2 claims in 2 document(s)");
    press_with(&mut h, eframe::egui::Modifiers::COMMAND, Key::S);
    settle(&mut h);
    let saved = std::fs::read_to_string(dir.path().join("p.ron")).expect("saved");
    let id = confirmed[0].expect("an id").0;
    assert_eq!(
        saved.matches(&format!("cluster: Some({id})")).count(),
        3,
        "{saved}"
    );
}

/// File > Export… in GraphML: the scope chosen in the dialog is the scope the edges were
/// counted in (sentence by default, document when chosen, with more pairs joined).
#[test]
fn the_export_dialog_writes_the_entity_network_at_the_chosen_scope() {
    let (dir, workspace) = sample_copy();
    let mut h = harness(workspace);
    let export = |h: &mut egui_kittest::Harness<'_, marginalia::gui::MarginaliaApp>,
                  scope: Option<&str>,
                  name: &str| {
        press_with(h, eframe::egui::Modifiers::COMMAND, Key::E);
        click_label(h, "Format");
        click_label(h, "GraphML entity network");
        if let Some(scope) = scope {
            click_label(h, scope);
        }
        let out = dir.path().join(name);
        h.get_by_label("Export path").focus();
        settle(h);
        h.key_press_modifiers(eframe::egui::Modifiers::COMMAND, Key::A);
        h.get_by_label("Export path")
            .type_text(&out.display().to_string());
        settle(h);
        click_label(h, "Export");
        std::fs::read_to_string(&out).expect("the network was written")
    };
    let sentence = export(&mut h, None, "sentence.graphml");
    let document = export(&mut h, Some("document"), "document.graphml");
    let edges = |xml: &str, scope: &str| {
        xml.matches(&format!("<data key=\"scope\">{scope}</data>"))
            .count()
    };
    assert!(edges(&sentence, "sentence") > 0, "{sentence}");
    assert_eq!(edges(&sentence, "document"), 0);
    assert!(edges(&document, "document") > edges(&sentence, "sentence"));
    assert_eq!(edges(&document, "sentence"), 0);
}

/// A project with thousands of clusters draws the first 200 and says how to find the
/// others: the filter.
#[test]
fn the_cluster_list_stops_at_two_hundred_and_the_filter_finds_the_rest() {
    use marginalia::model::{CharPos, LabelId, Span};
    let dir = tempfile::tempdir().expect("tempdir");
    let mut workspace = Workspace::new_at(&dir.path().join("p.ron"));
    // 201 pairs of claims, each pair sharing words no other claim has.
    let claims: Vec<String> = (0..201)
        .flat_map(|i| {
            [
                format!("Pontoon{i} bridges collapsed near Harbour{i} town"),
                format!("Harbour{i} town saw its pontoon{i} bridges collapse"),
            ]
        })
        .collect();
    let text = claims.join(".\n") + ".\n";
    let path = dir.path().join("many.txt");
    std::fs::write(&path, &text).expect("write");
    let doc = workspace.add_document(&path).expect("add");
    for claim in &claims {
        let start = text[..text.find(claim.as_str()).expect("claim")]
            .chars()
            .count();
        let span = Span::between(CharPos(start), CharPos(start + claim.chars().count()));
        workspace
            .annotate(doc, span, &LabelId("claim".into()))
            .expect("tag");
    }
    let mut h = harness(workspace);
    open_claim_clusters(&mut h);
    h.get_by_label_contains("201 cluster(s) of claims that say the same thing");
    h.get_by_label_contains("… and 1 more cluster(s)");
    let last = "Harbour200 town saw its pontoon200 bridges collapse";
    assert!(h.query_by_label(last).is_none(), "the 201st is not drawn");
    h.get_by_label("Filter the table").click();
    h.get_by_label("Filter the table").type_text("harbour200 ");
    settle(&mut h);
    h.get_by_label(last);
    assert!(h.query_by_label_contains("more cluster(s)").is_none());
}

/// Issue 20, item 7: the text never moves by itself. Selecting each annotation of the
/// sample in turn (claims with their graders and clusters, quotes with speakers, relations)
/// fills the inspector without moving the text column by a pixel.
#[test]
fn selecting_annotations_never_moves_the_text() {
    let (_dir, workspace) = sample_copy();
    let mut h = harness(workspace);
    let doc = h.state().current_document().expect("shown");
    let ids: Vec<_> = h
        .state()
        .workspace()
        .project()
        .annotations_of(doc)
        .iter()
        .map(|a| a.id)
        .collect();
    let probe = marginalia::model::CharPos(10);
    let before = screen(&h, probe);
    for &id in &ids {
        h.state_mut()
            .push_action(marginalia::gui::Action::Select(Some(id)));
        settle(&mut h);
        let now = screen(&h, probe);
        assert!(
            (now.x - before.x).abs() < 0.5 && (now.y - before.y).abs() < 0.5,
            "the text moved from {before:?} to {now:?} when {id:?} was selected"
        );
    }
    assert!(
        h.state().workspace().project().relations().next().is_some(),
        "the sample holds a relation, shown in the inspector"
    );
}
