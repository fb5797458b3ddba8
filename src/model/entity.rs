//! [`Entity`]: one real-world person, organisation, place, system or event, shared by every
//! document of the project however it is named ("Chuck Hagel", "Hagel", "the defense
//! secretary"). Entity mentions (annotations with an entity label) link to one by id.
//!
//! Merging and splitting are ordinary edits, built in [`super::entity_ops`].

use std::fmt;

use serde::{Deserialize, Serialize};

use super::schema::LabelId;

/// A project-wide, never reused entity id.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(transparent)]
pub struct EntityId(pub u32);

impl fmt::Display for EntityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "entity {}", self.0)
    }
}

/// A canonical entity of the project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    pub id: EntityId,
    /// The canonical name ("Chuck Hagel").
    pub name: String,
    /// The entity label it is (`person`, `organization`…).
    pub kind: LabelId,
    /// Other names it goes by ("Hagel", "the defense secretary").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// An identifier in an external knowledge base, such as a Wikidata QID (`Q311063`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
}

impl Entity {
    /// The name and every alias.
    pub fn names(&self) -> impl Iterator<Item = &str> + '_ {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// True if `text` is this entity's name or one of its aliases, ignoring case and runs of
    /// white space.
    pub fn is_named(&self, text: &str) -> bool {
        let wanted = normalize(text);
        !wanted.is_empty() && self.names().any(|n| normalize(n) == wanted)
    }

    /// The longest of this entity's names (name or alias) that `text` holds as whole words,
    /// ignoring case and runs of white space: "Lotfi Azzouz" in "Lotfi Azzouz Tunisia".
    /// Its length in words, or `None`.
    pub fn named_within(&self, text: &str) -> Option<usize> {
        let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
        self.names()
            .filter_map(|name| {
                let name: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
                (!name.is_empty() && words.windows(name.len()).any(|w| w == name.as_slice()))
                    .then_some(name.len())
            })
            .max()
    }

    /// True if every word of `query` starts a word of the name or of an alias (case
    /// insensitive): what the entity picker's search matches.
    pub fn matches_search(&self, query: &str) -> bool {
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        words.is_empty()
            || self.names().any(|name| {
                let name = name.to_lowercase();
                words.iter().all(|w| {
                    name.split(|c: char| !c.is_alphanumeric())
                        .any(|part| part.starts_with(w.as_str()))
                        || name.starts_with(w.as_str())
                })
            })
    }
}

/// Lowercase with white space collapsed to single spaces: names compare equal whatever line
/// breaks or capitals the text had.
pub fn normalize(text: &str) -> String {
    text.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hagel() -> Entity {
        Entity {
            id: EntityId(1),
            name: "Chuck Hagel".to_owned(),
            kind: LabelId("person".into()),
            aliases: vec!["Hagel".to_owned(), "the defense secretary".to_owned()],
            note: String::new(),
            external_id: Some("Q311063".to_owned()),
        }
    }

    #[test]
    fn names_match_ignoring_case_and_line_breaks() {
        let e = hagel();
        assert!(e.is_named("chuck  HAGEL"));
        assert!(e.is_named("the defense\nsecretary"));
        assert!(!e.is_named("Chuck"));
        assert!(!e.is_named("   "));
    }

    #[test]
    fn search_matches_word_starts_of_any_name() {
        let e = hagel();
        assert!(e.matches_search("hag"));
        assert!(e.matches_search("chu hag"));
        assert!(e.matches_search("def sec"));
        assert!(e.matches_search(""));
        assert!(!e.matches_search("agel"));
        assert!(!e.matches_search("hagel kim"));
    }
}
