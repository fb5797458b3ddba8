//! Attributes a project defines per label, beyond the built-in speaker and grading: "Range
//! (km)" as a number on Equipment, "Verified" as yes/no on Claim, "Channel" as a choice on
//! Quote. The schema holds the definitions; an annotation holds its values as text by name
//! (`Attributes::values`), checked against the definition when the analyst sets them.

use serde::{Deserialize, Serialize};

/// One attribute of a label.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AttributeDef {
    pub name: String,
    pub kind: AttributeKind,
}

/// What values an attribute takes.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AttributeKind {
    /// Free text.
    Text,
    /// A number ("500", "-3.5").
    Number,
    /// "yes" or "no".
    YesNo,
    /// One of these options.
    Choice(Vec<String>),
}

impl AttributeKind {
    /// The kinds the schema editor offers, with no options yet for a choice.
    pub const NAMES: [&'static str; 4] = ["text", "number", "yes/no", "choice"];

    pub fn name(&self) -> &'static str {
        match self {
            Self::Text => Self::NAMES[0],
            Self::Number => Self::NAMES[1],
            Self::YesNo => Self::NAMES[2],
            Self::Choice(_) => Self::NAMES[3],
        }
    }

    /// The kind called `name` (one of [`Self::NAMES`]); a choice gets `options`.
    pub fn from_name(name: &str, options: Vec<String>) -> Option<Self> {
        match name {
            "text" => Some(Self::Text),
            "number" => Some(Self::Number),
            "yes/no" => Some(Self::YesNo),
            "choice" => Some(Self::Choice(options)),
            _ => None,
        }
    }

    /// The value as stored, or why `value` does not fit: a number must parse, yes/no is
    /// "yes" or "no" (also y/n, true/false), a choice one of the options (any case).
    pub fn check(&self, value: &str) -> Result<String, String> {
        let value = value.trim();
        match self {
            Self::Text => Ok(value.to_owned()),
            Self::Number => value
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(|_| value.to_owned())
                .ok_or_else(|| format!("{value:?} is not a number")),
            Self::YesNo => match value.to_lowercase().as_str() {
                "yes" | "y" | "true" => Ok("yes".to_owned()),
                "no" | "n" | "false" => Ok("no".to_owned()),
                _ => Err(format!("{value:?} is neither yes nor no")),
            },
            Self::Choice(options) => options
                .iter()
                .find(|o| o.eq_ignore_ascii_case(value))
                .cloned()
                .ok_or_else(|| format!("{value:?} is not one of {}", options.join(", "))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_by_kind() {
        assert_eq!(
            AttributeKind::Text.check(" any words "),
            Ok("any words".to_owned())
        );
        assert_eq!(AttributeKind::Number.check("500"), Ok("500".to_owned()));
        assert_eq!(AttributeKind::Number.check("-3.5"), Ok("-3.5".to_owned()));
        assert!(AttributeKind::Number.check("five hundred").is_err());
        assert!(AttributeKind::Number.check("NaN").is_err());
        assert_eq!(AttributeKind::YesNo.check("Y"), Ok("yes".to_owned()));
        assert_eq!(AttributeKind::YesNo.check("false"), Ok("no".to_owned()));
        assert!(AttributeKind::YesNo.check("maybe").is_err());
        let channel =
            AttributeKind::Choice(vec!["Press briefing".to_owned(), "Interview".to_owned()]);
        assert_eq!(channel.check("interview"), Ok("Interview".to_owned()));
        assert!(channel.check("Tweet").is_err());
        for name in AttributeKind::NAMES {
            assert_eq!(
                AttributeKind::from_name(name, Vec::new()).map(|k| k.name()),
                Some(name)
            );
        }
    }
}
