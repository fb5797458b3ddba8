//! [`Attributes`]: what an analyst records about a quote or a claim beyond its text: who
//! said or claims it, and how far to trust it, on the NATO/Admiralty scales (source
//! reliability A–F, information credibility 1–6).
//!
//! Every field is optional: an annotation starts ungraded and the analyst fills in what
//! they know. Quotes use `source` (the speaker), `directness` and `reliability`; claims use
//! `source` (the claimant), `stance`, `credibility` and `confidence`.

use serde::{Deserialize, Serialize};

use super::entity::EntityId;

/// Who said or claims something.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Source {
    /// An entity of the project.
    Entity(EntityId),
    /// A source the article does not name, as it describes them ("an unidentified senior
    /// Defense Department official").
    Unnamed(String),
    /// The publication itself (a claim made in the article's own voice).
    Publication,
}

impl Source {
    pub fn entity(&self) -> Option<EntityId> {
        match self {
            Self::Entity(id) => Some(*id),
            _ => None,
        }
    }

    /// True for an unnamed (anonymous) source.
    pub fn is_anonymous(&self) -> bool {
        matches!(self, Self::Unnamed(_))
    }
}

/// Whether a quote gives the speaker's own words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Directness {
    /// In quotation marks, word for word.
    Direct,
    /// Reported speech, paraphrase.
    Indirect,
}

impl Directness {
    /// "direct" or "indirect", as exports and `marginalia suggest` write it.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Direct => "direct",
            Self::Indirect => "indirect",
        }
    }
}

/// Source reliability on the Admiralty scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Reliability {
    A,
    B,
    C,
    D,
    E,
    F,
}

impl Reliability {
    pub const ALL: [Self; 6] = [Self::A, Self::B, Self::C, Self::D, Self::E, Self::F];

    /// The grade's meaning on the scale.
    pub fn meaning(self) -> &'static str {
        match self {
            Self::A => "completely reliable",
            Self::B => "usually reliable",
            Self::C => "fairly reliable",
            Self::D => "not usually reliable",
            Self::E => "unreliable",
            Self::F => "reliability cannot be judged",
        }
    }

    pub fn letter(self) -> char {
        match self {
            Self::A => 'A',
            Self::B => 'B',
            Self::C => 'C',
            Self::D => 'D',
            Self::E => 'E',
            Self::F => 'F',
        }
    }

    pub fn from_letter(c: char) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|r| r.letter() == c.to_ascii_uppercase())
    }
}

/// Information credibility on the Admiralty scale, 1 (confirmed) to 6 (cannot be judged).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Credibility(u8);

impl Credibility {
    /// 1 to 6.
    pub fn new(grade: u8) -> Option<Self> {
        (1..=6).contains(&grade).then_some(Self(grade))
    }

    pub fn all() -> impl Iterator<Item = Self> {
        (1..=6).map(Self)
    }

    pub fn grade(self) -> u8 {
        self.0
    }

    /// The grade's meaning on the scale.
    pub fn meaning(self) -> &'static str {
        match self.0 {
            1 => "confirmed by other sources",
            2 => "probably true",
            3 => "possibly true",
            4 => "doubtful",
            5 => "improbable",
            _ => "truth cannot be judged",
        }
    }
}

impl TryFrom<u8> for Credibility {
    type Error = String;

    fn try_from(grade: u8) -> Result<Self, Self::Error> {
        Self::new(grade).ok_or_else(|| format!("credibility {grade} is not between 1 and 6"))
    }
}

impl From<Credibility> for u8 {
    fn from(c: Credibility) -> Self {
        c.0
    }
}

/// The claimant's position on what the claim states.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Stance {
    Asserts,
    Denies,
    Questions,
}

impl Stance {
    pub const ALL: [Self; 3] = [Self::Asserts, Self::Denies, Self::Questions];

    pub fn name(self) -> &'static str {
        match self {
            Self::Asserts => "asserts",
            Self::Denies => "denies",
            Self::Questions => "questions",
        }
    }
}

/// The analyst's confidence in their judgement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Confidence {
    Low,
    Moderate,
    High,
}

impl Confidence {
    pub const ALL: [Self; 3] = [Self::Low, Self::Moderate, Self::High];

    pub fn name(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Moderate => "moderate",
            Self::High => "high",
        }
    }
}

/// The attributes of a quote or claim (all optional).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct Attributes {
    /// Quote: the speaker. Claim: the claimant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub directness: Option<Directness>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reliability: Option<Reliability>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stance: Option<Stance>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credibility: Option<Credibility>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    /// Claim: the confirmed cluster the analyst put it in (claims saying the same thing
    /// across articles); `None`: left to the automatic grouping.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster: Option<super::clusters::ClusterId>,
    /// Values of the attributes the schema defines for the label, by attribute name.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub values: std::collections::BTreeMap<String, String>,
}

impl Attributes {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The grading as the analyst's shorthand: "B2" (reliability and credibility), with
    /// the confidence after it ("B2, moderate confidence"); empty when ungraded.
    pub fn grading(&self) -> String {
        let mut out = String::new();
        if let Some(r) = self.reliability {
            out.push(r.letter());
        }
        if let Some(c) = self.credibility {
            out.push_str(&c.grade().to_string());
        }
        if let Some(c) = self.confidence {
            if !out.is_empty() {
                out.push_str(", ");
            }
            out.push_str(c.name());
            out.push_str(" confidence");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credibility_is_one_to_six() {
        assert!(Credibility::new(0).is_none());
        assert!(Credibility::new(7).is_none());
        assert_eq!(Credibility::all().count(), 6);
        assert!(ron::from_str::<Credibility>("7").is_err());
        assert_eq!(ron::from_str::<Credibility>("2"), Ok(Credibility(2)));
    }

    #[test]
    fn reliability_letters_round_trip() {
        for r in Reliability::ALL {
            assert_eq!(Reliability::from_letter(r.letter()), Some(r));
            assert_eq!(
                Reliability::from_letter(r.letter().to_ascii_lowercase()),
                Some(r)
            );
        }
        assert_eq!(Reliability::from_letter('G'), None);
    }

    #[test]
    fn grading_reads_like_the_analysts_shorthand() {
        let attrs = Attributes {
            reliability: Some(Reliability::B),
            credibility: Credibility::new(2),
            confidence: Some(Confidence::Moderate),
            ..Attributes::default()
        };
        assert_eq!(attrs.grading(), "B2, moderate confidence");
        assert_eq!(Attributes::default().grading(), "");
    }

    #[test]
    fn attributes_are_compact_in_ron() {
        let attrs = Attributes {
            source: Some(Source::Unnamed("a senior official".to_owned())),
            stance: Some(Stance::Denies),
            ..Attributes::default()
        };
        let text = ron::to_string(&attrs).expect("serializes");
        assert_eq!(
            text,
            "(source:Some(Unnamed(\"a senior official\")),stance:Some(Denies))"
        );
        assert_eq!(ron::from_str::<Attributes>(&text), Ok(attrs));
    }
}
