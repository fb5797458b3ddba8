//! Pure data of an annotation project: no I/O, no UI.
//!
//! Text offsets ([`offset`]), spans ([`span`]), a document's indexed text ([`text`]), the
//! schema ([`schema`]), documents and annotations with their [`attributes`], the
//! project-wide [`entity`] registry, the [`project`] holding them, and the
//! [`edit`]s with their inverses that [`history`] stacks for undo and redo.

pub mod agreement;
pub mod anchor;
pub mod annotation;
pub mod attributes;
pub mod clusters;
pub mod curation;
pub mod custom;
pub mod document;
pub mod edit;
pub mod entity;
pub mod entity_ops;
pub mod history;
pub mod ids;
pub mod layout;
pub mod network;
pub mod offset;
pub mod overview;
pub mod progress;
pub mod project;
pub mod relation;
pub mod schema;
pub mod span;
pub mod span_index;
pub mod tables;
pub mod text;

pub use anchor::{Anchoring, Quote, Reanchored};
pub use annotation::{Annotation, AnnotationId, Excerpt, Orphan};
pub use attributes::{
    Attributes, Confidence, Credibility, Directness, Reliability, Source, Stance,
};
pub use custom::{AttributeDef, AttributeKind};
pub use document::{Document, DocumentId, DocumentStatus, Metadata, SourceFormat};
pub use edit::{Edit, EditError};
pub use entity::{Entity, EntityId};
pub use entity_ops::EntityOpError;
pub use history::{Coalesce, History, Replay};
pub use offset::{CharIndex, CharPos};
pub use progress::Progress;
pub use project::{LeftOut, Project, Rejected};
pub use relation::{Relation, RelationId};
pub use schema::{Label, LabelId, LabelKind, Rgb, Schema};
pub use span::Span;
pub use span_index::SpanIndex;
pub use text::DocText;
