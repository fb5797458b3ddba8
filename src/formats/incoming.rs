//! What importers produce: annotations read from another tool's files, before they are
//! placed in a project (`Workspace::import` resolves documents and labels, checks every
//! span, and applies them as one undo step).

use std::path::PathBuf;

/// Where an imported document's text comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IncomingSource {
    /// An article file (brat's `.txt`).
    File(PathBuf),
    /// Text carried inside the import file (JSONL); `name` names it.
    Text { name: String, text: String },
    /// A reference to a document the project must already have (W3C `source`).
    Reference {
        sha256: Option<String>,
        url: Option<String>,
    },
}

/// The W3C `TextQuoteSelector` of an imported annotation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quote {
    pub exact: String,
    pub prefix: String,
    pub suffix: String,
}

/// One annotation as read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Incoming {
    /// Code-point ranges; more than one for a discontinuous brat span.
    pub fragments: Vec<(usize, usize)>,
    pub label: String,
    pub note: String,
    /// The text the file says is under the span (brat's third column), to be checked.
    pub expected_text: Option<String>,
    /// The quote to check the position against and to re-anchor by (W3C).
    pub quote: Option<Quote>,
    /// Where it was read, for messages: `file:line`.
    pub origin: String,
}

/// One document's annotations as read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncomingDocument {
    pub source: IncomingSource,
    pub annotations: Vec<Incoming>,
    /// The file it was read from, for messages.
    pub origin: String,
}

/// Everything an import read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IncomingSet {
    pub documents: Vec<IncomingDocument>,
    /// Labels the files declare (brat's `annotation.conf`), even if unused.
    pub declared_labels: Vec<String>,
    /// What was assumed or skipped while reading, said to the user.
    pub notes: Vec<String>,
}

/// Why files could not be read. Messages end with the path.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("cannot read: {source}: {}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("line {line}: {message}: {}", path.display())]
    Line {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{message}: {}", path.display())]
    File { path: PathBuf, message: String },
}
