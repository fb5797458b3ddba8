//! [`Relation`]: a typed link between two annotations, also across documents ("this claim
//! *supports* that one", "this quote *repeats* that one"). The kinds offered come from the
//! schema (`Schema::relation_kinds`), so a project can add its own.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::annotation::AnnotationId;

/// A project-wide, never reused relation id.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(transparent)]
pub struct RelationId(pub u64);

impl fmt::Display for RelationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "relation {}", self.0)
    }
}

/// `from` *kind* `to`: "#12 supports #40".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relation {
    pub id: RelationId,
    /// One of the schema's relation kinds, e.g. `"supports"`.
    pub kind: String,
    pub from: AnnotationId,
    pub to: AnnotationId,
}

impl Relation {
    /// True if the relation starts or ends at `annotation`.
    pub fn involves(&self, annotation: AnnotationId) -> bool {
        self.from == annotation || self.to == annotation
    }

    /// The other end, seen from `annotation`.
    pub fn other(&self, annotation: AnnotationId) -> AnnotationId {
        if self.from == annotation {
            self.to
        } else {
            self.from
        }
    }
}
