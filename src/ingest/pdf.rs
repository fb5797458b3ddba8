//! PDF files: the text of each page in reading order (`pdf_oxide`, column-aware), then our
//! own clean-up across pages: running headers, footers and page numbers left out,
//! paragraphs joined where a page or a line cut them, words hyphenated at a line's end
//! joined, ligatures and soft hyphens mapped; where each page starts is kept.
//!
//! The parser runs on its own thread: a panic in it becomes a message, a page that takes
//! too long ends the reading there (the pages read so far are kept, with a warning), and
//! Cancel returns at once. A file without a text layer (a scan), or one that needs a
//! password, is refused with that reason.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::tex_fonts::{TexFont, tex_font};
use crate::model::Metadata;
use crate::model::progress::Progress;

/// The extractor's name and version, recorded with each PDF document: when it changes, the
/// text of an annotated PDF is read again and its annotations re-anchored.
pub const EXTRACTOR: &str = "marginalia-pdf 2 (pdf_oxide 0.3.78)";

/// The longest one page may take before the reading stops there.
const PAGE_TIME: Duration = Duration::from_secs(30);

pub enum PdfError {
    Cancelled,
    NeedsPassword,
    WrongPassword,
    Unreadable(String),
}

pub struct Extracted {
    pub text: String,
    pub metadata: Metadata,
    pub note: Option<String>,
    pub pages: Vec<usize>,
}

/// What the reading thread sends.
enum Message {
    Opened { pages: usize, metadata: Metadata },
    Page(Result<String, String>),
    Failed(PdfError),
}

/// The text of the PDF in `bytes`, opened with `password` if one is given.
pub fn extract(
    bytes: &[u8],
    password: Option<&str>,
    progress: &Progress,
) -> Result<Extracted, PdfError> {
    let size = bytes.len() as u64;
    let (sender, receiver) = mpsc::channel();
    let owned = bytes.to_vec();
    let password = password.map(str::to_owned);
    std::thread::Builder::new()
        .name("pdf-reader".to_owned())
        .stack_size(16 << 20)
        .spawn(move || {
            let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                read_pages(owned, password.as_deref(), &sender);
            }));
            if read.is_err() {
                // Failed on a page or on the file's structure: the pages read are kept,
                // this one is named in the warning.
                let _ = sender.send(Message::Page(Err("the reader failed on it".to_owned())));
            }
        })
        .map_err(|e| PdfError::Unreadable(format!("could not start reading: {e}")))?;
    let mut count = None;
    let mut metadata = Metadata::default();
    let mut pages: Vec<Result<String, String>> = Vec::new();
    let mut stopped = None;
    let mut last = Instant::now();
    let mut reported = 0;
    loop {
        if progress.is_cancelled() {
            return Err(PdfError::Cancelled);
        }
        match receiver.recv_timeout(Duration::from_millis(50)) {
            Ok(Message::Opened {
                pages: n,
                metadata: m,
            }) => {
                count = Some(n);
                metadata = m;
                last = Instant::now();
            }
            Ok(Message::Page(page)) => {
                pages.push(page);
                last = Instant::now();
                if let Some(n) = count.filter(|n| *n > 0) {
                    let done = size * pages.len() as u64 / n as u64;
                    progress.advance(done - reported);
                    reported = done;
                }
            }
            Ok(Message::Failed(error)) => return Err(error),
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if last.elapsed() > PAGE_TIME {
                    // The thread goes on alone; what it sends later is never read.
                    stopped = Some(pages.len() + 1);
                    break;
                }
            }
        }
    }
    progress.advance(size.saturating_sub(reported));
    let total = count.unwrap_or(pages.len());
    assemble(&pages, total, stopped, metadata, bytes)
}

/// Opens the document and sends its pages' text one by one.
fn read_pages(bytes: Vec<u8>, password: Option<&str>, sender: &mpsc::Sender<Message>) {
    let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        pdf_oxide::PdfDocument::from_bytes(bytes)
    }));
    let document = match opened {
        Ok(Ok(document)) => document,
        Ok(Err(error)) => {
            let _ = sender.send(Message::Failed(PdfError::Unreadable(format!(
                "not a readable PDF: {error}"
            ))));
            return;
        }
        Err(_) => {
            let _ = sender.send(Message::Failed(PdfError::Unreadable(
                "not a readable PDF (the reader failed on its structure)".to_owned(),
            )));
            return;
        }
    };
    if document.is_encrypted() && !document.is_authenticated() {
        let error = match password {
            None => PdfError::NeedsPassword,
            Some(password) => match document.authenticate(password.as_bytes()) {
                Ok(true) => PdfError::Cancelled, // not sent: opened
                Ok(false) => PdfError::WrongPassword,
                Err(error) => PdfError::Unreadable(format!("cannot decrypt it: {error}")),
            },
        };
        if !matches!(error, PdfError::Cancelled) {
            let _ = sender.send(Message::Failed(error));
            return;
        }
    }
    let count = document.page_count().unwrap_or(0);
    let metadata = info(&document);
    if sender
        .send(Message::Opened {
            pages: count,
            metadata,
        })
        .is_err()
    {
        return;
    }
    for index in 0..count {
        // The glyph walk keeps columns apart (the column-aware pipeline interleaved the
        // rows of the Federal Register's three columns).
        let page = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            document.extract_text(index)
        }));
        let page = match page {
            Ok(Ok(text)) => Ok(super::tex_fonts::respell(&text, &glyphs(&document, index))),
            Ok(Err(error)) => Err(error.to_string()),
            Err(_) => Err("the reader failed on it".to_owned()),
        };
        if sender.send(Message::Page(page)).is_err() {
            return; // cancelled or given up
        }
    }
}

/// The page's glyphs (white space left out) with the TeX maths encoding of their font;
/// none when the page uses no such font (its spans, which the text was made from and
/// the parser keeps, say so without walking the glyphs again).
fn glyphs(document: &pdf_oxide::PdfDocument, page: usize) -> Vec<(char, Option<TexFont>)> {
    let chars = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let spans = document.extract_spans(page)?;
        if !spans.iter().any(|s| tex_font(&s.font_name).is_some()) {
            return Ok(Vec::new());
        }
        document.extract_chars(page)
    }));
    let Ok(Ok(chars)) = chars else {
        return Vec::new();
    };
    chars
        .iter()
        .filter(|c| !c.char.is_whitespace())
        .map(|c| (c.char, tex_font(&c.font_name)))
        .collect()
}

/// Title, author, date and the like from the document's information dictionary.
fn info(document: &pdf_oxide::PdfDocument) -> Metadata {
    let Some(dictionary) = document
        .trailer()
        .as_dict()
        .and_then(|t| t.get("Info"))
        .and_then(|info| match info.as_reference() {
            Some(reference) => document.load_object(reference).ok(),
            None => Some(info.clone()),
        })
    else {
        return Metadata::default();
    };
    let Some(dictionary) = dictionary.as_dict() else {
        return Metadata::default();
    };
    let field = |name: &str| {
        let bytes = dictionary.get(name)?.as_string()?;
        let text = pdf_oxide::optional_content::decode_pdf_text_string(bytes);
        let text = super::blocks::collapse(&text);
        (!text.is_empty()).then_some(text)
    };
    Metadata {
        // Producers fill the title with the file's name or the template's ("Microsoft Word
        // - report.doc", "untitled"): those say nothing.
        title: field("Title").filter(|t| plausible_title(t)),
        byline: field("Author"),
        date: field("CreationDate").map(|d| pdf_date(&d)),
        ..Metadata::default()
    }
}

fn plausible_title(title: &str) -> bool {
    let lower = title.to_lowercase();
    let file_name = std::path::Path::new(&lower)
        .extension()
        .is_some_and(|e| ["pdf", "doc", "docx", "tex", "dvi"].iter().any(|x| e == *x));
    !(lower.starts_with("microsoft word") || lower.starts_with("untitled") || file_name)
}

/// A PDF date (`D:20200818083000-04'00'`) as an ISO date, or as it is.
fn pdf_date(raw: &str) -> String {
    let digits = raw.trim_start_matches("D:");
    match (digits.get(0..4), digits.get(4..6), digits.get(6..8)) {
        (Some(y), Some(m), Some(d))
            if (y.to_owned() + m + d).chars().all(|c| c.is_ascii_digit()) =>
        {
            format!("{y}-{m}-{d}")
        }
        _ => raw.to_owned(),
    }
}

/// The document's text from its pages' text.
fn assemble(
    pages: &[Result<String, String>],
    total: usize,
    stopped: Option<usize>,
    metadata: Metadata,
    bytes: &[u8],
) -> Result<Extracted, PdfError> {
    let mut warnings = Vec::new();
    let failed: Vec<String> = pages
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.as_ref().err().map(|e| format!("page {} ({e})", i + 1)))
        .collect();
    let texts: Vec<Vec<String>> = pages
        .iter()
        .map(|p| p.as_deref().map(page_lines).unwrap_or_default())
        .collect();
    if texts
        .iter()
        .all(|lines| lines.iter().all(|l| l.trim().is_empty()))
    {
        if !failed.is_empty() {
            return Err(PdfError::Unreadable(format!(
                "no page could be read: {}",
                failed.join("; ")
            )));
        }
        return Err(PdfError::Unreadable(if total == 0 {
            "the PDF has no pages".to_owned()
        } else {
            "no text layer (scanned?): its pages are images; text recognition (OCR) is not \
             done here, run the file through an OCR tool (e.g. OCRmyPDF) first"
                .to_owned()
        }));
    }
    let texts = super::pdf_tidy::drop_running_lines(texts);
    let (text, starts) = super::pdf_tidy::join_pages(&texts);
    let empty: Vec<String> = texts
        .iter()
        .enumerate()
        .filter(|(i, lines)| lines.is_empty() && pages[*i].is_ok())
        .map(|(i, _)| (i + 1).to_string())
        .collect();
    if !empty.is_empty() && empty.len() < texts.len() {
        warnings.push(format!(
            "page{} {} hold{} no text (images only?)",
            if empty.len() == 1 { "" } else { "s" },
            empty.join(", "),
            if empty.len() == 1 { "s" } else { "" },
        ));
    }
    if !failed.is_empty() {
        warnings.push(format!("could not read {}", failed.join("; ")));
    }
    if let Some(page) = stopped {
        warnings.push(format!(
            "reading stopped at page {page} of {total}: it took more than {} s (a damaged \
             file?); the pages before it are shown",
            PAGE_TIME.as_secs()
        ));
    }
    if !ends_like_a_pdf(bytes) {
        warnings.push(
            "the file is incomplete (it has no end-of-file marker: cut off while copied or \
             downloaded?); what could be read is shown"
                .to_owned(),
        );
    }
    Ok(Extracted {
        text,
        metadata,
        note: (!warnings.is_empty()).then(|| warnings.join("; ")),
        pages: starts,
    })
}

/// True if the file ends as a whole PDF does (`%%EOF` in its last kilobyte).
fn ends_like_a_pdf(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    memchr::memmem::find(tail, b"%%EOF").is_some()
}

/// A page's lines, cleaned: ligatures and Arabic presentation forms spelled as their
/// letters, soft hyphens and control characters dropped, trailing spaces trimmed.
fn page_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| {
            let out: String = line.chars().flat_map(super::pdf_pages::spelled).collect();
            out.trim_end().to_owned()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_titles_from_the_information_dictionary() {
        assert_eq!(pdf_date("D:20200818083000-04'00'"), "2020-08-18");
        assert_eq!(pdf_date("yesterday"), "yesterday");
        assert!(!plausible_title("Microsoft Word - brief.doc"));
        assert!(plausible_title("Federal Register"));
    }

    #[test]
    fn ligatures_and_invisible_characters() {
        assert_eq!(
            page_lines("\u{fb01}ne o\u{fb03}ce\u{ad}s  \n\tx\u{0}y"),
            vec!["fine offices".to_owned(), " xy".to_owned()]
        );
        // Presentation forms (initial, medial, final shapes) are the letters they show.
        assert_eq!(
            page_lines("\u{fe91}\u{fef4}\u{fe92}\u{fef2}"),
            vec!["بيبي".to_owned()]
        );
    }
}
