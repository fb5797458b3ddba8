//! Article files → document text and metadata.
//!
//! Decides the format by the file's extension, decodes the bytes, extracts the article's
//! text (plain text and Markdown as they are, HTML through a readability implementation),
//! normalises line endings to `\n`, and refuses what is not an article with a message
//! that names the file and the problem.

mod blocks;
mod decode;
mod epub;
mod html;
mod office;
pub mod package;
mod pdf;
pub mod pdf_pages;
mod pdf_tidy;
mod tex_fonts;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::model::progress::Progress;
use crate::model::{Metadata, SourceFormat};

pub use decode::{COMMON_ENCODINGS, DecodeError};
pub use pdf::EXTRACTOR as PDF_EXTRACTOR;

/// Files larger than this are refused before they are read.
pub const MAX_FILE_BYTES: u64 = 200 * 1024 * 1024;

/// An article file read and extracted.
#[derive(Clone, Debug)]
pub struct Article {
    /// The text to annotate, with `\n` line endings.
    pub text: String,
    pub format: SourceFormat,
    /// Name of the encoding the bytes were decoded with.
    pub encoding: String,
    pub metadata: Metadata,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
    /// What the analyst should know about how the file was decoded (an encoding guessed,
    /// bytes replaced) or extracted (notes gathered at the end, pages left out), ending
    /// with the path.
    pub note: Option<String>,
    /// Where each page starts in `text` (code points, the first at 0), for paged formats
    /// (PDF); empty for the others.
    pub pages: Vec<usize>,
    /// What extracted the text and its version (e.g. `"marginalia-pdf 2 (pdf_oxide 0.3.78)"`), for formats whose
    /// text depends on it: a newer extractor's text re-anchors the annotations.
    pub extractor: Option<String>,
}

/// The file extensions read as articles, lowercase, without the dot.
pub const EXTENSIONS: &[&str] = &[
    "txt", "text", "md", "markdown", "html", "htm", "xhtml", "pdf", "docx", "odt", "epub",
];

/// Why a file could not be opened as an article. Messages end with the path.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("cannot read the file: {source}: {}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("this is a folder, not an article file: {}", path.display())]
    Directory { path: PathBuf },
    #[error(
        "unsupported file type {extension:?} (supported: .txt, .md, .html, .htm, .pdf, .docx, \
         .odt, .epub): {}",
        path.display()
    )]
    Unsupported { path: PathBuf, extension: String },
    #[error("the file is {size_bytes} bytes, over the limit of {limit_bytes} bytes: {}", path.display())]
    TooLarge {
        path: PathBuf,
        size_bytes: u64,
        limit_bytes: u64,
    },
    #[error("{source}: {}", path.display())]
    Decode { path: PathBuf, source: DecodeError },
    #[error("unknown encoding {label:?}: {}", path.display())]
    UnknownEncoding { path: PathBuf, label: String },
    #[error("no article text could be extracted ({reason}): {}", path.display())]
    Extraction { path: PathBuf, reason: String },
    #[error(
        "the PDF is encrypted and needs a password to open: {}",
        path.display()
    )]
    NeedsPassword { path: PathBuf },
    #[error("the password does not open this PDF: {}", path.display())]
    WrongPassword { path: PathBuf },
    #[error("opening was cancelled: {}", path.display())]
    Cancelled { path: PathBuf },
    #[error("not a regular file (a device, a pipe or a socket): {}", path.display())]
    NotRegular { path: PathBuf },
    #[error(
        "the file's name is not valid UTF-8, so the project could not find it again; rename it: {}",
        path.display()
    )]
    NameNotUtf8 { path: PathBuf },
}

/// How much work [`read_article_with`] reports for a file of `bytes` bytes: reading,
/// decoding and extracting count the file's size each; the caller may add more steps.
pub const fn progress_units(bytes: u64) -> u64 {
    bytes.saturating_mul(3)
}

/// Bytes read between two progress reports (and cancel checks).
const READ_CHUNK: u64 = 1 << 20;

/// The format a path's extension announces, if supported.
pub fn format_of(path: &Path) -> Option<SourceFormat> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "txt" | "text" => Some(SourceFormat::PlainText),
        "md" | "markdown" => Some(SourceFormat::Markdown),
        "html" | "htm" | "xhtml" => Some(SourceFormat::Html),
        "pdf" => Some(SourceFormat::Pdf),
        "docx" => Some(SourceFormat::Docx),
        "odt" => Some(SourceFormat::Odt),
        "epub" => Some(SourceFormat::Epub),
        _ => None,
    }
}

/// Reads and extracts the article at `path`.
pub fn read_article(path: &Path) -> Result<Article, IngestError> {
    read_article_as(path, None)
}

/// Reads and extracts the article at `path`, decoding it with `encoding` (a label such as
/// `"windows-1251"`) instead of detecting one, if given.
pub fn read_article_as(path: &Path, encoding: Option<&str>) -> Result<Article, IngestError> {
    read_article_with(path, encoding, &Progress::new())
}

/// [`read_article_as`], reporting to `progress` ([`progress_units`] of the file's size in
/// all) and stopping with [`IngestError::Cancelled`] when it is cancelled.
pub fn read_article_with(
    path: &Path,
    encoding: Option<&str>,
    progress: &Progress,
) -> Result<Article, IngestError> {
    read_article_opened(path, encoding, None, progress)
}

/// [`read_article_with`] for a PDF that needs a password to open.
pub fn read_article_with_password(
    path: &Path,
    password: &str,
    progress: &Progress,
) -> Result<Article, IngestError> {
    read_article_opened(path, None, Some(password), progress)
}

fn read_article_opened(
    path: &Path,
    encoding: Option<&str>,
    password: Option<&str>,
    progress: &Progress,
) -> Result<Article, IngestError> {
    let io = |source| IngestError::Io {
        path: path.to_owned(),
        source,
    };
    // A project stores paths as text: a name that is not would be stored mangled, and the
    // document missing at the next start.
    if path.to_str().is_none() {
        return Err(IngestError::NameNotUtf8 {
            path: path.to_owned(),
        });
    }
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(IngestError::Directory {
            path: path.to_owned(),
        });
    }
    if !meta.is_file() {
        return Err(IngestError::NotRegular {
            path: path.to_owned(),
        });
    }
    let format = format_of(path).ok_or_else(|| IngestError::Unsupported {
        path: path.to_owned(),
        extension: path
            .extension()
            .map(|e| format!(".{}", e.to_string_lossy()))
            .unwrap_or_default(),
    })?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(IngestError::TooLarge {
            path: path.to_owned(),
            size_bytes: meta.len(),
            limit_bytes: MAX_FILE_BYTES,
        });
    }
    let bytes = read_in_chunks(path, meta.len(), progress)?;
    article_from_bytes_as(bytes, format, path, (encoding, password), progress)
}

/// The file's bytes, read a chunk at a time so that progress shows and Cancel stops it;
/// never more than [`MAX_FILE_BYTES`], whatever its metadata said.
fn read_in_chunks(path: &Path, size: u64, progress: &Progress) -> Result<Vec<u8>, IngestError> {
    read_limited(path, size, MAX_FILE_BYTES, progress).map_err(|e| match e {
        Refusal::Io(source) => IngestError::Io {
            path: path.to_owned(),
            source,
        },
        Refusal::NotRegular => IngestError::NotRegular {
            path: path.to_owned(),
        },
        Refusal::TooLarge => IngestError::TooLarge {
            path: path.to_owned(),
            size_bytes: MAX_FILE_BYTES + 1,
            limit_bytes: MAX_FILE_BYTES,
        },
        Refusal::Cancelled => IngestError::Cancelled {
            path: path.to_owned(),
        },
    })
}

/// Reads held back on purpose: for tests that must catch a worker in the middle of reading
/// a file (a named pipe did that before pipes were refused). Nothing is ever held unless a
/// [`gate::Hold`] exists; a held read still stops at once when cancelled.
pub mod gate {
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Condvar, Mutex};
    use std::time::Duration;

    use crate::model::progress::Progress;

    static HOLDS: AtomicUsize = AtomicUsize::new(0);
    static HELD: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    static RELEASED: Condvar = Condvar::new();

    /// Reads of one file wait while this lives.
    #[must_use = "the read is held only while the hold lives"]
    pub struct Hold(PathBuf);

    /// Holds every read of the file at `path` until the returned [`Hold`] is dropped.
    pub fn hold(path: &Path) -> Hold {
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
        if let Ok(mut held) = HELD.lock() {
            held.push(path.clone());
        }
        HOLDS.fetch_add(1, Ordering::SeqCst);
        Hold(path)
    }

    impl Drop for Hold {
        fn drop(&mut self) {
            if let Ok(mut held) = HELD.lock()
                && let Some(at) = held.iter().position(|p| *p == self.0)
            {
                held.remove(at);
            }
            HOLDS.fetch_sub(1, Ordering::SeqCst);
            RELEASED.notify_all();
        }
    }

    pub(super) fn wait_while_held(path: &Path, progress: &Progress) {
        if HOLDS.load(Ordering::SeqCst) == 0 {
            return;
        }
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
        let Ok(mut held) = HELD.lock() else {
            return;
        };
        while held.contains(&path) && !progress.is_cancelled() {
            match RELEASED.wait_timeout(held, Duration::from_millis(20)) {
                Ok((guard, _)) => held = guard,
                Err(_) => return,
            }
        }
    }
}

/// Why [`read_regular_file`] read nothing.
#[derive(Debug)]
pub enum Refusal {
    Io(std::io::Error),
    /// A device, a pipe or a socket (after following links): reading it could block or
    /// never end.
    NotRegular,
    /// Longer than the limit (counted while reading, not taken from the metadata).
    TooLarge,
    Cancelled,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Io(e) => write!(f, "{e}"),
            Self::NotRegular => f.write_str("not a regular file (a device, a pipe or a socket)"),
            Self::TooLarge => write!(f, "the file is over the limit of {MAX_FILE_BYTES} bytes"),
            Self::Cancelled => f.write_str("cancelled"),
        }
    }
}

/// The bytes of the regular file at `path` (links followed), at most [`MAX_FILE_BYTES`]:
/// what every reader of a file named by a user or a project uses, so that a link to
/// `/dev/zero` or a pipe named `.txt` is refused instead of read forever.
pub fn read_regular_file(path: &Path) -> Result<Vec<u8>, Refusal> {
    let size = std::fs::metadata(path).map_err(Refusal::Io)?.len();
    read_limited(path, size, MAX_FILE_BYTES, &Progress::new())
}

fn read_limited(
    path: &Path,
    size: u64,
    limit: u64,
    progress: &Progress,
) -> Result<Vec<u8>, Refusal> {
    use std::io::Read;
    // Checked before opening: opening a pipe blocks until a writer comes.
    if !std::fs::metadata(path).map_err(Refusal::Io)?.is_file() {
        return Err(Refusal::NotRegular);
    }
    gate::wait_while_held(path, progress);
    if progress.is_cancelled() {
        return Err(Refusal::Cancelled);
    }
    let mut file = std::fs::File::open(path).map_err(Refusal::Io)?;
    // And again on what was opened (the name may have been replaced meanwhile).
    if !file.metadata().map_err(Refusal::Io)?.is_file() {
        return Err(Refusal::NotRegular);
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size.min(limit)).unwrap_or(0));
    loop {
        let read = (&mut file)
            .take(READ_CHUNK)
            .read_to_end(&mut bytes)
            .map_err(Refusal::Io)?;
        if bytes.len() as u64 > limit {
            return Err(Refusal::TooLarge);
        }
        progress.advance(read as u64);
        if progress.is_cancelled() {
            return Err(Refusal::Cancelled);
        }
        if read == 0 {
            return Ok(bytes);
        }
    }
}

fn stop_if_cancelled(path: &Path, progress: &Progress) -> Result<(), IngestError> {
    if progress.is_cancelled() {
        Err(IngestError::Cancelled {
            path: path.to_owned(),
        })
    } else {
        Ok(())
    }
}

/// Extracts an article from bytes already read; `path` is only used in messages and as the
/// fallback title.
pub fn article_from_bytes(
    bytes: &[u8],
    format: SourceFormat,
    path: &Path,
) -> Result<Article, IngestError> {
    article_from_bytes_as(bytes.to_vec(), format, path, (None, None), &Progress::new())
}

/// The article in `bytes` (taken, so that a UTF-8 text becomes the article's text without
/// a copy: a big file is held once, not two or three times while it is read), decoded
/// with the encoding chosen, if any, or opened with the password given (a PDF).
fn article_from_bytes_as(
    bytes: Vec<u8>,
    format: SourceFormat,
    path: &Path,
    (encoding, password): (Option<&str>, Option<&str>),
    progress: &Progress,
) -> Result<Article, IngestError> {
    let size = bytes.len() as u64;
    let sha256 = sha256_hex(&bytes);
    let decode_error = |source| IngestError::Decode {
        path: path.to_owned(),
        source,
    };
    let chosen = match encoding {
        None => None,
        Some(label) => Some(
            decode::decode_as(&bytes, label)
                .ok_or_else(|| IngestError::UnknownEncoding {
                    path: path.to_owned(),
                    label: label.to_owned(),
                })?
                .map_err(decode_error)?,
        ),
    };
    let note;
    let mut pages = Vec::new();
    let mut extractor = None;
    let extraction = |reason: String| IngestError::Extraction {
        path: path.to_owned(),
        reason,
    };
    let (text, encoding, metadata) = match format {
        SourceFormat::PlainText | SourceFormat::Markdown => {
            let decoded = match chosen {
                Some(decoded) => decoded,
                None => decode::decode_text_owned(bytes).map_err(decode_error)?,
            };
            progress.advance(size);
            stop_if_cancelled(path, progress)?;
            let metadata = Metadata {
                title: title_line(&decoded.text, format),
                ..Metadata::default()
            };
            note = decoded.note;
            (decoded.text, decoded.encoding, metadata)
        }
        SourceFormat::Html => {
            let decoded = match chosen {
                Some(decoded) => decoded,
                None => decode::decode_html(&bytes).map_err(decode_error)?,
            };
            progress.advance(size);
            stop_if_cancelled(path, progress)?;
            let extracted = html::extract(&decoded.text).map_err(extraction)?;
            note = decoded.note;
            (extracted.text, decoded.encoding, extracted.metadata)
        }
        SourceFormat::Docx | SourceFormat::Odt | SourceFormat::Epub => {
            progress.advance(size);
            let extracted = contained(|| match format {
                SourceFormat::Docx => office::docx(&bytes),
                SourceFormat::Odt => office::odt(&bytes),
                _ => epub::epub(&bytes),
            })
            .map_err(extraction)?;
            stop_if_cancelled(path, progress)?;
            note = extracted.note;
            (extracted.text, "UTF-8", extracted.metadata)
        }
        SourceFormat::Pdf => {
            progress.advance(size);
            let extracted = read_pdf(&bytes, path, password, progress)?;
            note = extracted.note;
            pages = extracted.pages;
            extractor = Some(pdf::EXTRACTOR.to_owned());
            (extracted.text, "PDF", extracted.metadata)
        }
    };
    if text.trim().is_empty()
        && matches!(
            format,
            SourceFormat::Docx | SourceFormat::Odt | SourceFormat::Epub
        )
    {
        return Err(extraction("the file holds no text".to_owned()));
    }
    let text = normalize_newlines(text);
    progress.advance(size);
    stop_if_cancelled(path, progress)?;
    Ok(Article {
        text,
        format,
        encoding: encoding.to_owned(),
        metadata,
        sha256,
        note: note.map(|note| format!("{note}: {}", path.display())),
        pages,
        extractor,
    })
}

/// The text of a PDF, with the reasons it could not be read as errors naming `path`.
fn read_pdf(
    bytes: &[u8],
    path: &Path,
    password: Option<&str>,
    progress: &Progress,
) -> Result<pdf::Extracted, IngestError> {
    let path = path.to_owned();
    pdf::extract(bytes, password, progress).map_err(|e| match e {
        pdf::PdfError::Cancelled => IngestError::Cancelled { path },
        pdf::PdfError::NeedsPassword => IngestError::NeedsPassword { path },
        pdf::PdfError::WrongPassword => IngestError::WrongPassword { path },
        pdf::PdfError::Unreadable(reason) => IngestError::Extraction { path, reason },
    })
}

/// Runs a third-party parser so that a panic in it becomes an error: a bad file can never
/// take the app down.
fn contained<T>(parse: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(parse)).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no reason given".to_owned());
        Err(format!(
            "the file could not be read (the reader failed: {what})"
        ))
    })
}

/// The title of a plain-text or Markdown article: its first non-empty line, if short
/// enough to be a headline (without Markdown's `#` marks).
fn title_line(text: &str, format: SourceFormat) -> Option<String> {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    let line = match format {
        SourceFormat::Markdown => line.trim_start_matches('#').trim(),
        _ => line,
    };
    (!line.is_empty() && line.chars().count() <= 200).then(|| line.to_owned())
}

/// SHA-256 of `bytes` as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    sha256_hex_of_parts(&[bytes])
}

/// SHA-256 of the concatenation of `parts` as lowercase hex.
pub fn sha256_hex_of_parts(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    hex(&hasher.finalize())
}

/// Bytes as lowercase hex (a SHA-256 digest as the project records it).
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// CRLF and lone CR become LF, so offsets are the same whatever the file's line endings and
/// equal to those of every export (which writes LF).
fn normalize_newlines(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_by_extension() {
        assert_eq!(
            format_of(Path::new("a/B.TXT")),
            Some(SourceFormat::PlainText)
        );
        assert_eq!(format_of(Path::new("x.md")), Some(SourceFormat::Markdown));
        assert_eq!(format_of(Path::new("x.htm")), Some(SourceFormat::Html));
        assert_eq!(format_of(Path::new("x.PDF")), Some(SourceFormat::Pdf));
        assert_eq!(format_of(Path::new("x.odt")), Some(SourceFormat::Odt));
        assert_eq!(format_of(Path::new("x.doc")), None);
        assert_eq!(format_of(Path::new("README")), None);
    }

    #[test]
    fn plain_text_title_is_the_first_line() {
        let article = article_from_bytes(
            b"\n  Headline here \n\nBody.",
            SourceFormat::PlainText,
            Path::new("a.txt"),
        )
        .expect("article");
        assert_eq!(article.metadata.title.as_deref(), Some("Headline here"));
        let article =
            article_from_bytes(b"# Title\nBody", SourceFormat::Markdown, Path::new("a.md"))
                .expect("article");
        assert_eq!(article.metadata.title.as_deref(), Some("Title"));
        assert_eq!(
            article.text, "# Title\nBody",
            "Markdown is shown as its text"
        );
    }

    #[test]
    fn line_endings_become_lf() {
        assert_eq!(normalize_newlines("a\r\nb\rc\n".to_owned()), "a\nb\nc\n");
    }

    #[test]
    fn sha256_of_empty_input() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn unsupported_and_missing_files_name_the_path() {
        let dir = tempfile::tempdir().expect("tempdir");
        let doc = dir.path().join("report.doc");
        std::fs::write(&doc, b"\xd0\xcf\x11\xe0").expect("write");
        let message = read_article(&doc).expect_err("doc refused").to_string();
        assert!(
            message.contains("unsupported file type \".doc\""),
            "{message}"
        );
        assert!(message.ends_with(&doc.display().to_string()), "{message}");

        let missing = dir.path().join("gone.txt");
        let message = read_article(&missing).expect_err("missing").to_string();
        assert!(message.contains("cannot read the file"), "{message}");
        assert!(
            message.ends_with(&missing.display().to_string()),
            "{message}"
        );

        let message = read_article(dir.path()).expect_err("folder").to_string();
        assert!(message.contains("folder"), "{message}");
    }
}
