//! Reading a project file a block at a time, so that a big file is never held whole in
//! memory next to the annotations read from it: the annotation lines are parsed block by
//! block (on all cores), the rest of the file (header and tail, small) is kept for `ron`,
//! and the file's fingerprint is computed as the blocks go by.
//!
//! Only a file whose annotation lines are all in the exact form this build writes is read
//! this way; anything else (or any doubt) returns `None` and the caller reads the whole
//! file as before, which also gives the precise error messages.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use super::{SharedTexts, lines};
use crate::model::{Annotation, Document, Progress};

/// Bytes read at a time.
const BLOCK: usize = 2 * 1024 * 1024;

/// Where the annotation lines start and end.
const OPEN: &str = "\n    annotations: [\n";
const CLOSE: &str = "    ],";

/// A file read block by block.
pub(super) struct Streamed {
    /// The file without its annotation lines (an empty `annotations` list), for `ron`.
    pub rest: String,
    pub annotations: Vec<Arc<Annotation>>,
    pub fingerprint: super::Fingerprint,
}

/// Where the reader is in the file.
enum Part {
    /// Before the annotation lines (`rest` grows until it holds [`OPEN`]).
    Head,
    /// Among the annotation lines; `pending` holds a line not yet complete.
    Lines,
    /// After them: everything goes to `rest`.
    Tail,
}

/// What the reader asks once it has the file's head (everything before the annotation
/// lines): given the documents listed there, the texts their annotations may point at.
pub type TextsFor<'a> = &'a mut dyn FnMut(&[Document]) -> SharedTexts;

/// Reads the file at `path` block by block, reporting the bytes read to `progress`.
/// `Ok(None)`: not in the form this reader takes; read the whole file instead.
/// A NUL byte (never in a text file) stops the reading at once: the error gives its line
/// and column (counted from what was read: the file's start up to that block).
pub(super) fn read(
    path: &Path,
    progress: &Progress,
    texts_for: TextsFor<'_>,
) -> Result<Option<Streamed>, super::StoreError> {
    let read_error = |source| super::StoreError::Read {
        path: path.to_owned(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(read_error)?;
    let mut fingerprint = super::Fingerprinter::new();
    let mut seen = Seen::default();
    let read = read_blocks(&mut file, progress, &mut fingerprint, texts_for, &mut seen);
    if let Some((before, at)) = seen.nul {
        return Err(super::nul_error(path, &before, at));
    }
    Ok(read
        .map_err(read_error)?
        .map(|(rest, annotations)| Streamed {
            rest,
            annotations,
            fingerprint: fingerprint.finish(),
        }))
}

/// What the reader saw of the bytes, to place a NUL byte: the lines before the block it is
/// in (as line breaks only) and that block.
#[derive(Default)]
struct Seen {
    lines: usize,
    nul: Option<(Vec<u8>, usize)>,
}

impl Seen {
    /// Notes `block`; false (and the place kept) if it holds a NUL byte.
    fn take(&mut self, block: &[u8]) -> bool {
        if let Some(at) = memchr::memchr(0, block) {
            // Line breaks stand for the lines before, so that the error counts them.
            let mut before = vec![b'\n'; self.lines];
            let start = before.len();
            // The column is counted on the NUL's own line within the block; a line begun in
            // an earlier block is counted from the block's start.
            before.extend_from_slice(&block[..at]);
            self.nul = Some((before, start + at));
            return false;
        }
        self.lines += memchr::memchr_iter(b'\n', block).count();
        true
    }
}

type Split = (String, Vec<Arc<Annotation>>);

fn read_blocks(
    file: &mut std::fs::File,
    progress: &Progress,
    fingerprint: &mut super::Fingerprinter,
    texts_for: TextsFor<'_>,
    seen: &mut Seen,
) -> std::io::Result<Option<Split>> {
    let mut texts = SharedTexts::new();
    let mut rest: Vec<u8> = Vec::new();
    let mut pending: Vec<u8> = Vec::new();
    let mut annotations = Vec::new();
    let mut part = Part::Head;
    // Where the closing line starts in `rest`, once reached.
    let mut close_at = 0;
    let mut block = vec![0; BLOCK];
    loop {
        if progress.is_cancelled() {
            // Opening was cancelled: stop reading (the caller drops the result).
            return Err(std::io::Error::new(
                std::io::ErrorKind::Interrupted,
                "opening cancelled",
            ));
        }
        let read = fill(file, &mut block)?;
        if read == 0 {
            break;
        }
        let bytes = &block[..read];
        if !seen.take(bytes) {
            return Ok(None);
        }
        fingerprint.update(bytes);
        progress.advance(read as u64);
        match part {
            Part::Head => {
                rest.extend_from_slice(bytes);
                if let Some(at) = find(&rest, OPEN.as_bytes()) {
                    pending = rest.split_off(at + OPEN.len());
                    part = Part::Lines;
                    if let Some(documents) = documents_of_head(&rest) {
                        texts = texts_for(&documents);
                    }
                }
            }
            Part::Lines => pending.extend_from_slice(bytes),
            Part::Tail => rest.extend_from_slice(bytes),
        }
        if matches!(part, Part::Lines) {
            let head = rest.len();
            let Some(done) = take_lines(&mut pending, &mut annotations, &mut rest, &texts) else {
                return Ok(None);
            };
            if done {
                close_at = head;
                part = Part::Tail;
            }
        }
    }
    // The closing bracket ends its line (as the whole-file reader requires).
    let after = rest.get(close_at + CLOSE.len()..).unwrap_or_default();
    if !matches!(part, Part::Tail) || !(after.is_empty() || after.starts_with(b"\n")) {
        return Ok(None);
    }
    Ok(String::from_utf8(rest).ok().map(|rest| (rest, annotations)))
}

/// Parses the complete annotation lines at the start of `pending`; once the closing line
/// is reached, moves it and what follows to `rest` and says so (`Some(true)`). `None` if a
/// line is not in the exact form.
fn take_lines(
    pending: &mut Vec<u8>,
    annotations: &mut Vec<Arc<Annotation>>,
    rest: &mut Vec<u8>,
    texts: &SharedTexts,
) -> Option<bool> {
    // The section ends at the first line that is exactly the closing bracket (strings are
    // escaped: no annotation line holds a raw line break).
    let close = if pending.starts_with(CLOSE.as_bytes()) {
        Some(0)
    } else {
        find(pending, format!("\n{CLOSE}").as_bytes()).map(|at| at + 1)
    };
    let complete = match close {
        Some(at) => at,
        None => match pending.iter().rposition(|&b| b == b'\n') {
            Some(last) => last + 1,
            None => return Some(false),
        },
    };
    let body = std::str::from_utf8(&pending[..complete]).ok()?;
    annotations.extend(lines::read_lines_in_parallel(body, texts)?);
    let left = pending.split_off(complete);
    if close.is_some() {
        rest.extend_from_slice(&left);
        *pending = Vec::new();
        Some(true)
    } else {
        *pending = left;
        Some(false)
    }
}

/// The documents listed in the head of a project file in the form this build writes
/// (ending with the line that opens the annotations); `None` for any other.
fn documents_of_head(head: &[u8]) -> Option<Vec<Document>> {
    #[derive(serde::Deserialize)]
    struct Head {
        version: u32,
        #[serde(default)]
        documents: Vec<Document>,
    }
    let mut file = std::str::from_utf8(head).ok()?.to_owned();
    file.push_str("    ],\n)\n");
    let head: Head = ron::from_str(&file).ok()?;
    (head.version == super::FORMAT_VERSION).then_some(head.documents)
}

/// Reads until `block` is full or the file ends; the number of bytes read.
fn fill(file: &mut std::fs::File, block: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < block.len() {
        match file.read(&mut block[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}
