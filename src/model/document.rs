//! [`Document`]: an article in the project, as the project file records it.
//!
//! The text itself is not stored in the project: it is read from the source file (see
//! `ingest`) and checked against `sha256`. What is stored is enough to find the file again
//! (a path relative to the project file), to notice that it changed, and to show where it
//! came from.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A project-wide document id.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(transparent)]
pub struct DocumentId(pub u32);

impl fmt::Display for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "document {}", self.0)
    }
}

/// The kind of source file, which decides how its text is extracted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SourceFormat {
    #[default]
    PlainText,
    Markdown,
    Html,
    Pdf,
    /// Word (Office Open XML).
    Docx,
    /// `OpenDocument` text.
    Odt,
    Epub,
}

impl SourceFormat {
    pub fn name(self) -> &'static str {
        match self {
            Self::PlainText => "plain text",
            Self::Markdown => "Markdown",
            Self::Html => "HTML",
            Self::Pdf => "PDF",
            Self::Docx => "Word",
            Self::Odt => "OpenDocument",
            Self::Epub => "EPUB",
        }
    }

    /// True if the title is the text's first line (plain text, Markdown), so that a view
    /// does not show it twice; other formats carry their title apart from the text.
    pub fn title_is_first_line(self) -> bool {
        matches!(self, Self::PlainText | Self::Markdown)
    }
}

/// How far the analyst has got with a document.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DocumentStatus {
    #[default]
    ToDo,
    InProgress,
    Done,
}

impl DocumentStatus {
    pub const ALL: [Self; 3] = [Self::ToDo, Self::InProgress, Self::Done];

    pub fn name(self) -> &'static str {
        match self {
            Self::ToDo => "to do",
            Self::InProgress => "in progress",
            Self::Done => "done",
        }
    }

    pub fn is_to_do(&self) -> bool {
        *self == Self::ToDo
    }
}

/// Where an article came from, as far as the file tells.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Metadata {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub byline: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The analyst's own note on the source (never read from the file; since format
    /// version 8).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Metadata {
    /// The line under a document's title: byline, site and date, each once (a site that is
    /// also the byline, as news sites often say, is not repeated), the date as a reader
    /// writes it ("24 July 2015"), then the address; `None` when there is nothing to say.
    pub fn subtitle(&self) -> Option<String> {
        let mut parts: Vec<String> = Vec::new();
        let mut add = |part: Option<String>| {
            if let Some(part) = part.map(|p| p.trim().to_owned()).filter(|p| !p.is_empty())
                && !parts.iter().any(|p| p.eq_ignore_ascii_case(&part))
            {
                parts.push(part);
            }
        };
        add(self.byline.clone());
        add(self.site_name.clone());
        add(self.date.as_deref().map(|raw| {
            self.publication_date().map_or_else(
                || raw.trim().to_owned(),
                |date| date.strftime("%-d %B %Y").to_string(),
            )
        }));
        add(self.url.clone());
        (!parts.is_empty()).then(|| parts.join(" · "))
    }

    /// The publication date, when `date` starts with one (`YYYY-MM-DD`, as pages and
    /// packages give it, alone or with a time): the day as the source wrote it.
    pub fn publication_date(&self) -> Option<jiff::civil::Date> {
        let raw = self.date.as_deref()?.trim();
        let (day, rest) = (raw.get(..10)?, raw.get(10..)?);
        (rest.is_empty() || rest.starts_with(['T', 't', ' ']))
            .then(|| day.parse().ok())
            .flatten()
    }
}

/// A document of the project.
/// `Default` is an empty plain-text document (a starting point for tests and builders).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub id: DocumentId,
    /// Path of the source file relative to the project file's folder, with `/` separators.
    pub path: String,
    /// SHA-256 of the source file's bytes, lowercase hex.
    pub sha256: String,
    pub format: SourceFormat,
    /// The character encoding the bytes were decoded with (e.g. `"UTF-8"`).
    pub encoding: String,
    /// True if the analyst chose `encoding` (it is then used instead of detecting one).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub encoding_chosen: bool,
    /// Length of the extracted text in code points; annotations must lie within it.
    pub char_len: usize,
    #[serde(default)]
    pub metadata: Metadata,
    /// How far the analyst has got with it.
    #[serde(default, skip_serializing_if = "DocumentStatus::is_to_do")]
    pub status: DocumentStatus,
    /// The analysts it is assigned to (several for double coding), by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assigned: Vec<String>,
    /// Where each page starts in the text (code points, the first at 0), for paged
    /// formats (PDF); empty for the others.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<usize>,
    /// What extracted the text, with its version, where the text depends on it (PDF).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extractor: Option<String>,
}

/// The page (from 1) holding the character at `at` when pages start at `starts` (character
/// offsets, ascending); `None` without pages.
pub fn page_holding(starts: &[usize], at: usize) -> Option<usize> {
    (!starts.is_empty()).then(|| starts.partition_point(|&start| start <= at).max(1))
}

impl Document {
    /// The page (from 1) holding the character at `at`, for paged documents.
    pub fn page_at(&self, at: usize) -> Option<usize> {
        page_holding(&self.pages, at)
    }

    /// The first and last page (from 1) that `span` lies on, for paged documents.
    pub fn pages_of(&self, span: crate::model::Span) -> Option<(usize, usize)> {
        let first = self.page_at(span.start().0)?;
        let last = self.page_at(span.end().0.saturating_sub(1).max(span.start().0))?;
        Some((first, last))
    }

    /// The page(s) of `span` as written: "12", or "12–13" across a page break.
    pub fn page_label(&self, span: crate::model::Span) -> Option<String> {
        self.pages_of(span).map(|(first, last)| {
            if first == last {
                first.to_string()
            } else {
                format!("{first}–{last}")
            }
        })
    }

    /// The name to show: the title if known, else the file name.
    pub fn display_name(&self) -> &str {
        self.metadata
            .title
            .as_deref()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| self.path.rsplit('/').next().unwrap_or(&self.path))
    }

    /// Where a passage comes from, in one line: the name (cut to `name_chars`), the outlet
    /// and the publication date, those known ("Key moments… · CBS News · 2019-11-20").
    pub fn source_line(&self, name_chars: usize) -> String {
        [
            Some(super::text::ellipsize(self.display_name(), name_chars)),
            self.metadata.site_name.clone(),
            self.metadata
                .publication_date()
                .map(|date| date.to_string()),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
    }
}

#[cfg(test)]
mod subtitle_tests {
    use super::*;

    #[test]
    fn the_subtitle_says_each_thing_once_with_a_readable_date() {
        let bbc = Metadata {
            byline: Some("BBC News".to_owned()),
            site_name: Some("BBC News".to_owned()),
            date: Some("2015-07-24T05:36:09+01:00".to_owned()),
            ..Metadata::default()
        };
        assert_eq!(bbc.subtitle().as_deref(), Some("BBC News · 24 July 2015"));
        let plain = Metadata {
            date: Some("2021-03-02".to_owned()),
            ..Metadata::default()
        };
        assert_eq!(plain.subtitle().as_deref(), Some("2 March 2021"));
        let odd = Metadata {
            date: Some("last Tuesday".to_owned()),
            ..Metadata::default()
        };
        assert_eq!(odd.subtitle().as_deref(), Some("last Tuesday"));
        let arabic = Metadata {
            date: Some("٢٤ يوليو ٢٠١٥".to_owned()),
            ..Metadata::default()
        };
        assert_eq!(arabic.subtitle().as_deref(), Some("٢٤ يوليو ٢٠١٥"));
        assert_eq!(Metadata::default().subtitle(), None);
    }
}
