//! Suggestions on the reference article: every quotation in double quotation marks (of
//! three words or more) is found with its exact words, the speakers of Patrick Cronin's and
//! the unnamed Pentagon official's quotes are guessed right, registry names are suggested
//! where not yet tagged, and `marginalia suggest` prints it all as JSON lines.

use std::path::{Path, PathBuf};
use std::process::Command;

use marginalia::model::{Directness, DocText, LabelKind, Source};
use marginalia::suggest::{SuggestionKind, quote_spans, suggest_document};
use marginalia::workspace::Workspace;
use serde_json::Value;

fn projects() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("projects")
}

fn article() -> DocText {
    let text =
        std::fs::read_to_string(projects().join("us-allies-intel-swaps-north-korea-missiles.txt"))
            .expect("read");
    DocText::new(text)
}

/// Every double-quoted passage of three words or more, read off the text independently of
/// the suggester: between “ and ”.
fn quoted_passages(text: &str) -> Vec<String> {
    text.split('“')
        .skip(1)
        .filter_map(|rest| rest.split_once('”').map(|(inside, _)| inside))
        .map(|inside| inside.trim().trim_end_matches([',', '.']).to_owned())
        .filter(|inside| inside.split_whitespace().count() >= 3)
        .collect()
}

#[test]
fn every_double_quoted_passage_of_the_reference_article_is_found() {
    let text = article();
    let expected = quoted_passages(text.as_str());
    assert!(expected.len() >= 7, "{expected:?}");
    let found: Vec<String> = quote_spans(&text)
        .into_iter()
        .map(|q| text.slice(q.span).expect("span").to_owned())
        .collect();
    for passage in &expected {
        assert!(
            found.contains(passage),
            "not found: {passage:?} in {found:?}"
        );
    }
}

#[test]
fn speakers_of_cronin_and_the_pentagon_official_are_guessed() {
    let text = article();
    let speaker_of = |start: &str| {
        quote_spans(&text)
            .into_iter()
            .find(|q| text.slice(q.span).is_some_and(|s| s.starts_with(start)))
            .and_then(|q| q.speaker)
            .map_or_else(
                || panic!("no speaker for {start:?}"),
                |s| s.text().to_owned(),
            )
    };
    // “So they each got something,” he added (after "…, Cronin said.").
    assert_eq!(speaker_of("So they each got something"), "Patrick Cronin");
    let official = "an unidentified senior Defense Department official";
    assert_eq!(speaker_of("bit of a hub-and-spoke model"), official);
    // "the unnamed Pentagon official said" refers back to the same official.
    assert_eq!(speaker_of("That makes sense"), official);
    // The next quotation in the same paragraph, without a cue of its own.
    assert_eq!(speaker_of("But the key is"), official);
}

#[test]
fn in_a_project_speakers_become_registry_entities_and_names_become_mention_suggestions() {
    let workspace =
        Workspace::open(&projects().join("us-allies-missile-defence.ron")).expect("open");
    let project = workspace.project();
    let document = project.documents()[0].id;
    let text = workspace.text(document).expect("text");
    let suggestions = suggest_document(project, document, text, &quote_spans(text));
    // Quotes already annotated are not suggested again.
    assert!(
        !suggestions
            .iter()
            .any(|s| s.text == "So they each got something")
    );
    // "Hagel" in "accompanying Hagel on his trip" is a mention of Chuck Hagel not tagged yet.
    let hagel = project
        .entities()
        .find(|e| e.name == "Chuck Hagel")
        .expect("entity")
        .id;
    let mention = suggestions
        .iter()
        .find(|s| s.text == "Hagel" && s.kind == SuggestionKind::Mention { entity: hagel })
        .expect("Hagel suggested");
    assert_eq!(mention.label.as_str(), "person");
    // Nothing suggested where an entity annotation already is.
    for s in &suggestions {
        if let SuggestionKind::Mention { .. } = s.kind {
            let already = project
                .overlapping(document, s.span)
                .iter()
                .any(|(span, id)| {
                    *span == s.span
                        && project
                            .annotation(*id)
                            .and_then(|a| project.schema.label(&a.label))
                            .is_some_and(|l| l.kind == LabelKind::Entity)
                });
            assert!(!already, "{s:?}");
        }
    }
    // Once the analyst's quote is gone, it is suggested again, with the registry's
    // Patrick Cronin as the speaker.
    let cronin = project
        .entities()
        .find(|e| e.name == "Patrick Cronin")
        .expect("entity")
        .id;
    let quote = project
        .annotations_sorted()
        .into_iter()
        .find(|a| a.text() == "So they each got something")
        .expect("quote")
        .id;
    let mut workspace = workspace;
    workspace.remove(vec![quote]).expect("remove");
    let project = workspace.project();
    let text = workspace.text(document).expect("text");
    let suggested = suggest_document(project, document, text, &quote_spans(text))
        .into_iter()
        .find(|s| s.text == "So they each got something")
        .expect("suggested again");
    assert_eq!(
        suggested.kind,
        SuggestionKind::Quote {
            speaker_text: Some("Patrick Cronin".to_owned()),
            speaker: Some(Source::Entity(cronin)),
            directness: Directness::Direct,
        }
    );
}

#[test]
fn the_command_line_prints_one_json_object_per_suggestion() {
    let output = Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .arg("suggest")
        .arg(projects().join("us-allies-intel-swaps-north-korea-missiles.txt"))
        .output()
        .expect("run");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    let text = article();
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(lines.len(), quote_spans(&text).len());
    let chars: Vec<char> = text.as_str().chars().collect();
    // Quotations in marks and reported speech, told apart.
    let indirect = lines
        .iter()
        .filter(|l| l["directness"] == "indirect")
        .count();
    assert!(indirect >= 3, "{stdout}");
    assert!(lines.iter().any(|l| l["directness"] == "direct"));
    let cronin_said = lines
        .iter()
        .find(|l| {
            l["text"]
                .as_str()
                .is_some_and(|t| t.starts_with("And Japan achieved its goal"))
        })
        .expect("the reported clause");
    assert_eq!(cronin_said["directness"], "indirect");
    assert_eq!(cronin_said["speaker"], "Patrick Cronin");
    for line in &lines {
        assert_eq!(line["kind"], "quote");
        assert!(matches!(
            line["directness"].as_str(),
            Some("direct" | "indirect")
        ));
        let (start, end) = (
            usize::try_from(line["start"].as_u64().expect("start")).expect("fits"),
            usize::try_from(line["end"].as_u64().expect("end")).expect("fits"),
        );
        let slice: String = chars[start..end].iter().collect();
        assert_eq!(line["text"], slice.as_str(), "code points, end-exclusive");
    }
    assert!(
        lines
            .iter()
            .any(|l| l["text"] == "So they each got something" && l["speaker"] == "Patrick Cronin")
    );

    let output = Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .arg("suggest")
        .arg(projects().join("us-allies-missile-defence.ron"))
        .output()
        .expect("run");
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    assert!(
        stdout
            .lines()
            .any(|l| l.contains("\"kind\":\"mention\"") && l.contains("\"label\":\"person\"")),
        "{stdout}"
    );
    let missing = Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .args(["suggest", "/no/such/article.txt"])
        .output()
        .expect("run");
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/no/such/article.txt"));
}

#[test]
fn the_text_command_prints_exactly_the_text_offsets_count_over() {
    let output = Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .arg("text")
        .arg(projects().join("us-allies-intel-swaps-north-korea-missiles.txt"))
        .output()
        .expect("run");
    assert!(output.status.success());
    let printed = String::from_utf8(output.stdout).expect("utf-8");
    let workspace =
        Workspace::open(&projects().join("us-allies-missile-defence.ron")).expect("open");
    let document = workspace.project().documents()[0].id;
    assert_eq!(printed, workspace.text(document).expect("text").as_str());
}

/// Issue 20, item 2: accepting a quote whose speaker guess runs on past a known name ("Lotfi
/// Azzouz Tunisia") takes the registry's entity, instead of inventing a near-duplicate.
#[test]
fn accepting_a_quote_prefers_the_known_entity_its_speaker_guess_holds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = dir.path().join("a.txt");
    std::fs::write(
        &article,
        "Lotfi Azzouz spoke first.\n\n\"We have never seen hunger spread this fast in the region,\" said Lotfi Azzouz, Tunisia country director.\n",
    )
    .expect("write");
    let mut workspace = Workspace::new_at(&dir.path().join("p.ron"));
    let document = workspace.add_document(&article).expect("add");
    let text = workspace.text(document).expect("text").as_str().to_owned();
    let start = marginalia::model::CharPos(0);
    let span = marginalia::model::Span::new(start, start.forward(12)).expect("span");
    let mention = workspace
        .annotate(document, span, &marginalia::model::LabelId("person".into()))
        .expect("tag");
    let azzouz = workspace.new_entity_from(mention).expect("entity");
    let before = workspace.project().entities().count();
    let mut suggestions: Vec<_> = workspace
        .suggestions(document)
        .into_iter()
        .filter(|s| matches!(s.kind, SuggestionKind::Quote { .. }))
        .collect();
    assert_eq!(suggestions.len(), 1, "{suggestions:?} in {text}");
    // Whatever the guess, the name the registry knows is in it.
    if let SuggestionKind::Quote {
        speaker,
        speaker_text,
        ..
    } = &mut suggestions[0].kind
    {
        *speaker = None;
        *speaker_text = Some("Lotfi Azzouz Tunisia".to_owned());
    }
    workspace.accept_suggestions(&suggestions).expect("accept");
    assert_eq!(
        workspace.project().entities().count(),
        before,
        "no near-duplicate entity"
    );
    let quote = workspace
        .project()
        .annotations_sorted()
        .into_iter()
        .find(|a| a.label.as_str() == "quote")
        .expect("accepted");
    assert_eq!(quote.attrs.source, Some(Source::Entity(azzouz)));
}

/// Issue 20, item 2: rejected suggestions are remembered in the project: after a save and a
/// new start they are not offered again (not by `marginalia suggest` either).
#[test]
fn rejected_suggestions_stay_rejected_after_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in [
        "us-allies-missile-defence.ron",
        "us-allies-intel-swaps-north-korea-missiles.txt",
    ] {
        std::fs::copy(projects().join(name), dir.path().join(name)).expect("copy");
    }
    let path = dir.path().join("us-allies-missile-defence.ron");
    let mut workspace = Workspace::open(&path).expect("open");
    let document = workspace.project().documents()[0].id;
    let offered = workspace.suggestions(document);
    assert!(offered.len() >= 2, "{offered:?}");
    let rejected = offered[0].clone();
    workspace.reject_suggestions(std::slice::from_ref(&rejected));
    assert!(workspace.is_dirty(), "a rejection is saved");
    assert!(!workspace.suggestions(document).contains(&rejected));
    workspace.save().expect("save");

    let reopened = Workspace::open(&path).expect("reopen");
    let again = reopened.suggestions(document);
    assert!(!again.contains(&rejected), "not offered after a restart");
    assert_eq!(again.len(), offered.len() - 1);
    let out = Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .arg("suggest")
        .arg(&path)
        .output()
        .expect("run");
    let lines = String::from_utf8_lossy(&out.stdout).lines().count();
    assert_eq!(lines, offered.len() - 1);
}

/// Issue 18: a speaker the text describes by role is the registry's entity whose alias that
/// role is ("the defense secretary" → Chuck Hagel), for quotes and reported speech alike.
#[test]
fn a_described_speaker_is_the_registry_entity_with_that_alias() {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = dir.path().join("a.txt");
    std::fs::write(
        &article,
        "Chuck Hagel arrived in Tokyo.\n\n“We will not leave the region,” the defense secretary said.\n\nThe defense secretary said the talks would go on next year.\n",
    )
    .expect("write");
    let mut workspace = Workspace::new_at(&dir.path().join("p.ron"));
    let document = workspace.add_document(&article).expect("add");
    let start = marginalia::model::CharPos(0);
    let span = marginalia::model::Span::new(start, start.forward(11)).expect("span");
    let mention = workspace
        .annotate(document, span, &marginalia::model::LabelId("person".into()))
        .expect("tag");
    let hagel = workspace.new_entity_from(mention).expect("entity");
    let mut entity = workspace.project().entity(hagel).expect("entity").clone();
    entity.aliases.push("the defense secretary".to_owned());
    workspace.update_entity(entity).expect("alias");
    let quotes: Vec<_> = workspace
        .suggestions(document)
        .into_iter()
        .filter_map(|s| match s.kind {
            SuggestionKind::Quote {
                speaker,
                directness,
                ..
            } => Some((s.text, speaker, directness)),
            SuggestionKind::Mention { .. } => None,
        })
        .collect();
    assert_eq!(
        quotes,
        [
            (
                "We will not leave the region".to_owned(),
                Some(Source::Entity(hagel)),
                Directness::Direct
            ),
            (
                "the talks would go on next year".to_owned(),
                Some(Source::Entity(hagel)),
                Directness::Indirect
            ),
        ]
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]
    /// Whatever the text (marks left open, cues without names, names without cues, any
    /// script), finding quotes and reported speech does not panic, and every span lies in
    /// the text, in order.
    #[test]
    fn quotes_and_reported_speech_never_panic_and_stay_in_the_text(
        words in proptest::collection::vec(
            proptest::sample::select(vec![
                "said", "told", "says", "according to", "he", "she", "they", "the", "official",
                "Mr.", "Sen.", "Jane", "Doe,", "that", "“", "”", "\"", "„", "«", "»", "‘", "’",
                ",", ".", ";", ":", "!", "?", "\n", "\n\n", "—", "(", ")", "أحمد", "כהן", "人工智能",
                "Secretary", "of", "State", "who", "in", "which", "saying", "added", "a", "1.",
                "U.S.", "e\u{301}", "🙂", "Rev.", "warned", "and", "but", "as",
            ]),
            0..120,
        ),
    ) {
        let text = DocText::new(words.join(" "));
        let found = quote_spans(&text);
        let len = text.as_str().chars().count();
        let mut last = 0;
        for q in &found {
            proptest::prop_assert!(q.span.end().0 <= len);
            proptest::prop_assert!(q.span.start().0 < q.span.end().0);
            proptest::prop_assert!(q.span.start().0 >= last, "in text order");
            last = q.span.start().0;
        }
    }
}
