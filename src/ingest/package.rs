//! Zip packages (Word, `OpenDocument`, EPUB, REFI-QDA): entries read with a bound, so that a
//! zip bomb is refused before it is inflated (by what it declares) and while it is (by what
//! comes out), never held whole.

use std::io::{Read, Seek};

/// The most an entry may inflate to.
pub const MAX_ENTRY_BYTES: u64 = super::MAX_FILE_BYTES;
/// The most an entry may inflate to, as a multiple of its packed size (text and XML pack
/// ten to twenty times at most; bombs by thousands).
pub const MAX_RATIO: u64 = 200;

/// The text of the entry `name` of `archive` (UTF-8, as XML in these packages is).
pub fn inflate<R: Read + Seek>(
    archive: &mut zip::ZipArchive<R>,
    name: &str,
) -> Result<String, String> {
    let entry = archive.by_name(name).map_err(|e| format!("{name}: {e}"))?;
    let declared = entry.size();
    let packed = entry.compressed_size().max(1);
    if declared > MAX_ENTRY_BYTES || declared / packed > MAX_RATIO {
        return Err(format!(
            "{name} inflates to {declared} bytes from {packed} (at most {MAX_ENTRY_BYTES} \
             bytes and {MAX_RATIO} times its packed size are read)"
        ));
    }
    let mut bytes = Vec::new();
    entry
        .take(MAX_ENTRY_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{name}: {e}"))?;
    if bytes.len() as u64 > MAX_ENTRY_BYTES.min(declared) {
        return Err(format!(
            "{name} inflates to more than it declares ({declared} bytes)"
        ));
    }
    // A byte order mark is allowed before XML.
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    String::from_utf8(bytes.to_vec()).map_err(|e| format!("{name} is not UTF-8: {e}"))
}

/// The entry `name` if the package has it (`None` when it has not; an error when it has
/// but it cannot be read).
pub fn inflate_if_any<R: Read + Seek>(
    archive: &mut zip::ZipArchive<R>,
    name: &str,
) -> Result<Option<String>, String> {
    if archive.index_for_name(name).is_none() {
        return Ok(None);
    }
    inflate(archive, name).map(Some)
}

/// Parses XML from a package entry (DTDs allowed, as some producers write one; entities
/// are never fetched).
pub fn parse_xml<'a>(name: &str, xml: &'a str) -> Result<roxmltree::Document<'a>, String> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(xml, options)
        .map_err(|e| format!("{name} is not valid XML: {e}"))
}

/// Opens `bytes` as a zip package; `what` names the format in the message if it is not one.
pub fn open<'a>(
    bytes: &'a [u8],
    what: &str,
) -> Result<zip::ZipArchive<std::io::Cursor<&'a [u8]>>, String> {
    zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a {what} file (it is not a readable zip package: {e})"))
}
