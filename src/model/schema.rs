//! The annotation schema: which labels exist, their kind, colour and key.
//!
//! The schema lives in the project file so that a project can change it; new projects start
//! from `assets/default_schema.ron`.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A label's stable identifier (a lowercase slug such as `"person"`), referenced by
/// annotations. The display name may change; the id does not.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LabelId(pub std::sync::Arc<str>);

impl LabelId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for LabelId {
    fn from(id: &str) -> Self {
        Self(id.into())
    }
}

impl fmt::Display for LabelId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a label marks; claims and quotes carry grading and speakers (later), entities link
/// to the project's entity registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LabelKind {
    Claim,
    Quote,
    Entity,
}

/// An sRGB colour written as `"#RRGGBB"` in the project file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Rgb(pub [u8; 3]);

impl TryFrom<String> for Rgb {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        let hex = value
            .strip_prefix('#')
            .filter(|h| h.len() == 6 && h.is_ascii())
            .ok_or_else(|| format!("colour {value:?} is not of the form \"#RRGGBB\""))?;
        let channel = |i: usize| {
            u8::from_str_radix(&hex[i..i + 2], 16)
                .map_err(|_| format!("colour {value:?} is not of the form \"#RRGGBB\""))
        };
        Ok(Self([channel(0)?, channel(2)?, channel(4)?]))
    }
}

impl From<Rgb> for String {
    fn from(rgb: Rgb) -> Self {
        let [r, g, b] = rgb.0;
        format!("#{r:02X}{g:02X}{b:02X}")
    }
}

/// One label of the schema.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub id: LabelId,
    pub name: String,
    pub kind: LabelKind,
    pub color: Rgb,
    /// The key that applies this label to the selection (`'1'`…`'9'` by default).
    #[serde(default)]
    pub key: Option<char>,
    /// Attributes the project defines for annotations of this label.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<super::AttributeDef>,
}

impl Label {
    /// The attribute of this label called `name`.
    pub fn attribute(&self, name: &str) -> Option<&super::AttributeDef> {
        self.attributes.iter().find(|a| a.name == name)
    }
}

/// The project's labels, in the order the label bar shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    pub labels: Vec<Label>,
    /// The kinds of relation between annotations ("supports", "contradicts"…).
    #[serde(default = "default_relation_kinds")]
    pub relation_kinds: Vec<String>,
}

/// The relation kinds a new project offers.
pub fn default_relation_kinds() -> Vec<String> {
    ["supports", "contradicts", "repeats", "refers to"]
        .map(str::to_owned)
        .to_vec()
}

/// A schema that cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SchemaError {
    #[error("label id {0:?} is used twice")]
    DuplicateId(String),
    #[error("label {label:?} has two attributes called {name:?}")]
    DuplicateAttribute { label: String, name: String },
    #[error("label {0:?} has an attribute without a name")]
    UnnamedAttribute(String),
    #[error("attribute {name:?} of label {label:?} is a choice without options")]
    NoOptions { label: String, name: String },
    #[error("key {key:?} is given to both {first:?} and {second:?}")]
    DuplicateKey {
        key: char,
        first: String,
        second: String,
    },
}

impl Default for Schema {
    fn default() -> Self {
        // The asset is part of the binary and covered by a test; failing to parse it is a
        // build defect, so fall back to an empty schema rather than panic.
        ron::from_str(include_str!("../../assets/default_schema.ron")).unwrap_or(Self {
            labels: Vec::new(),
            relation_kinds: default_relation_kinds(),
        })
    }
}

impl Schema {
    pub fn label(&self, id: &LabelId) -> Option<&Label> {
        self.labels.iter().find(|l| &l.id == id)
    }

    /// The label whose key is `key`.
    pub fn label_for_key(&self, key: char) -> Option<&Label> {
        self.labels.iter().find(|l| l.key == Some(key))
    }

    /// Checks that ids and keys are unique.
    pub fn validate(&self) -> Result<(), SchemaError> {
        for label in &self.labels {
            for (i, attribute) in label.attributes.iter().enumerate() {
                if attribute.name.trim().is_empty() {
                    return Err(SchemaError::UnnamedAttribute(label.name.clone()));
                }
                if label.attributes[..i]
                    .iter()
                    .any(|a| a.name == attribute.name)
                {
                    return Err(SchemaError::DuplicateAttribute {
                        label: label.name.clone(),
                        name: attribute.name.clone(),
                    });
                }
                if matches!(&attribute.kind, super::AttributeKind::Choice(o) if o.is_empty()) {
                    return Err(SchemaError::NoOptions {
                        label: label.name.clone(),
                        name: attribute.name.clone(),
                    });
                }
            }
        }
        for (i, label) in self.labels.iter().enumerate() {
            for other in &self.labels[..i] {
                if other.id == label.id {
                    return Err(SchemaError::DuplicateId(label.id.0.to_string()));
                }
                if let (Some(key), Some(other_key)) = (label.key, other.key)
                    && key == other_key
                {
                    return Err(SchemaError::DuplicateKey {
                        key,
                        first: other.name.clone(),
                        second: label.name.clone(),
                    });
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_schema_has_the_documented_order_and_keys() {
        let schema = Schema::default();
        let names: Vec<(char, &str)> = schema
            .labels
            .iter()
            .map(|l| (l.key.unwrap_or(' '), l.name.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ('1', "Claim"),
                ('2', "Quote"),
                ('3', "Person"),
                ('4', "Organization"),
                ('5', "Location"),
                ('6', "Equipment"),
                ('7', "Event"),
            ]
        );
        assert!(
            schema.labels[2..]
                .iter()
                .all(|l| l.kind == LabelKind::Entity)
        );
        assert_eq!(schema.validate(), Ok(()));
    }

    #[test]
    fn colours_round_trip_and_reject_garbage() {
        let rgb = Rgb::try_from("#D55E00".to_owned()).expect("valid");
        assert_eq!(rgb, Rgb([0xD5, 0x5E, 0x00]));
        assert_eq!(String::from(rgb), "#D55E00");
        assert!(Rgb::try_from("red".to_owned()).is_err());
        assert!(Rgb::try_from("#12345".to_owned()).is_err());
        assert!(Rgb::try_from("#GG0000".to_owned()).is_err());
    }

    #[test]
    fn duplicate_keys_are_refused() {
        let mut schema = Schema::default();
        schema.labels[1].key = Some('1');
        assert!(matches!(
            schema.validate(),
            Err(SchemaError::DuplicateKey { key: '1', .. })
        ));
    }
}
