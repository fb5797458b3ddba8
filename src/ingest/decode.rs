//! Bytes → text: byte-order marks, declared HTML charsets, UTF-8, a guess among legacy
//! encodings (chardetng, as Firefox does) for text that is not UTF-8, and a refusal for
//! binary files. The encoding used is reported with the text and shown to the user.

use encoding_rs::Encoding;

/// Text decoded from bytes, with the name of the encoding used.
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    /// What the analyst should know about how it was decoded: an encoding guessed, bytes
    /// replaced.
    pub note: Option<String>,
}

/// Bytes that are not text in an encoding we can read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("this looks like a binary file, not text (a NUL byte at offset {offset})")]
    Binary { offset: usize },
}

/// How far into a file to look for NUL bytes and charset declarations.
const SNIFF_BYTES: usize = 8192;

/// Decodes a plain-text file: a UTF-8 or UTF-16 byte-order mark wins; then UTF-8 if the
/// bytes are valid UTF-8; otherwise the legacy encoding chardetng finds most likely.
pub fn decode_text(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return Ok(decode_with(encoding, &bytes[bom_len..]));
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        return Ok(decode_with(encoding, bytes));
    }
    // Before the binary check: UTF-16 has zero bytes in its spaces and line breaks.
    if let Some(encoding) = utf16_in_any_script(bytes) {
        return Ok(utf16_read_from_its_pattern(encoding, bytes));
    }
    refuse_binary(bytes)?;
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: text.to_owned(),
            encoding: "UTF-8",
            note: None,
        });
    }
    Ok(not_utf8(bytes))
}

/// Bytes that are not valid UTF-8, nor marked as anything else: UTF-8 with a few damaged
/// bytes (replaced, and said so), UTF-16 without a byte-order mark in a non-Latin script,
/// or else the legacy encoding chardetng finds most likely (said so: it is a guess).
fn not_utf8(bytes: &[u8]) -> Decoded {
    let (mut multibyte, mut invalid) = (0_usize, 0_usize);
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += chunk.invalid().len();
    }
    // Legacy encodings almost never form valid UTF-8 sequences beyond ASCII; a text full of
    // them with a few bad bytes is UTF-8 that was damaged (cut, concatenated, mis-saved).
    if multibyte > 0 && invalid * 20 <= multibyte {
        return Decoded {
            text: String::from_utf8_lossy(bytes).into_owned(),
            encoding: "UTF-8",
            note: Some(format!(
                "{invalid} byte(s) that are not UTF-8 were replaced by \u{FFFD}"
            )),
        };
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Deny);
    let mut decoded = decode_with(encoding, bytes);
    decoded.note = Some(format!(
        "not UTF-8 and no encoding declared: guessed {} (choose another encoding if the text \
         looks wrong)",
        encoding.name()
    ));
    decoded
}

fn utf16_read_from_its_pattern(encoding: &'static Encoding, bytes: &[u8]) -> Decoded {
    let mut decoded = decode_with(encoding, bytes);
    decoded.note = Some(format!(
        "no byte-order mark: read as {} from its pattern (choose another encoding if the \
         text looks wrong)",
        encoding.name()
    ));
    decoded
}

/// UTF-16 without a byte-order mark whatever its script (CJK text has no zero bytes for
/// [`utf16_without_bom`] to see): an even length, its line breaks or spaces as UTF-16 in one
/// byte order, and decoding in that order gives only characters of living scripts (legacy
/// double-byte encodings read as UTF-16 give surrogates, private-use and rare characters).
fn utf16_in_any_script(bytes: &[u8]) -> Option<&'static Encoding> {
    if !bytes.len().is_multiple_of(2) || bytes.len() < 4 {
        return None;
    }
    let head = &bytes[..bytes.len().min(SNIFF_BYTES * 4) & !1];
    let has = |pair: [u8; 2]| head.chunks_exact(2).any(|c| c == pair);
    let candidates = [
        (encoding_rs::UTF_16LE, [b'\n', 0], [b' ', 0]),
        (encoding_rs::UTF_16BE, [0, b'\n'], [0, b' ']),
    ];
    candidates
        .into_iter()
        .filter(|(_, line, space)| has(*line) || has(*space))
        .map(|(encoding, _, _)| encoding)
        .find(|encoding| {
            let (text, _, had_errors) = encoding.decode(head);
            let chars = text.chars().count();
            let plausible = text.chars().filter(|&c| is_common_text(c)).count();
            !had_errors && chars > 0 && plausible * 100 >= chars * 98
        })
}

/// Characters of running text in the scripts articles are written in.
fn is_common_text(c: char) -> bool {
    matches!(c,
        '\t' | '\n' | '\r' | ' '..='~'
        | '\u{A0}'..='\u{24F}'    // Latin-1, Latin Extended
        | '\u{370}'..='\u{52F}'   // Greek, Cyrillic
        | '\u{590}'..='\u{6FF}'   // Hebrew, Arabic
        | '\u{900}'..='\u{DFF}'   // Indic scripts
        | '\u{E00}'..='\u{E7F}'   // Thai
        | '\u{1100}'..='\u{11FF}' // Hangul Jamo
        | '\u{2000}'..='\u{206F}' // General punctuation
        | '\u{3000}'..='\u{30FF}' // CJK punctuation, Hiragana, Katakana
        | '\u{4E00}'..='\u{9FFF}' // CJK ideographs
        | '\u{AC00}'..='\u{D7A3}' // Hangul syllables
        | '\u{FF00}'..='\u{FFEF}' // Full-width forms
    )
}

/// [`decode_text`], taking the bytes: valid UTF-8 becomes the text without a copy.
pub fn decode_text_owned(bytes: Vec<u8>) -> Result<Decoded, DecodeError> {
    if Encoding::for_bom(&bytes).is_some()
        || utf16_without_bom(&bytes).is_some()
        || utf16_in_any_script(&bytes).is_some()
    {
        return decode_text(&bytes);
    }
    refuse_binary(&bytes)?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text,
            encoding: "UTF-8",
            note: None,
        }),
        Err(not_utf8) => decode_text(not_utf8.as_bytes()),
    }
}

/// Decodes an HTML page as a browser would: byte-order mark, then the charset the page
/// declares in a `<meta>` tag, then UTF-8 if the bytes are valid UTF-8, else as a text file
/// is (damaged UTF-8, or a guess, said so). A declared encoding that WHATWG maps to
/// "replacement" (ISO-2022-KR, HZ: it would turn the page into one U+FFFD) is not taken.
/// Bytes undecodable in a declared encoding become U+FFFD, as in a browser.
pub fn decode_html(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return Ok(decode_with(encoding, &bytes[bom_len..]));
    }
    refuse_binary(bytes)?;
    let declared = declared_charset(&bytes[..bytes.len().min(SNIFF_BYTES)]);
    let utf8 = std::str::from_utf8(bytes).is_ok();
    let mut decoded = match declared {
        // A page saved again as UTF-8 often keeps its old declaration ("gb2312"); text in a
        // legacy encoding is valid UTF-8 by accident almost never, so the bytes win, and
        // the note says so (another encoding can still be chosen).
        Some(encoding)
            if encoding != encoding_rs::REPLACEMENT
                && encoding != encoding_rs::UTF_8
                && utf8
                && !bytes.is_ascii() =>
        {
            let mut decoded = decode_with(encoding_rs::UTF_8, bytes);
            decoded.note = Some(format!(
                "the page declares {} but its bytes are UTF-8; read as UTF-8",
                encoding.name()
            ));
            return Ok(decoded);
        }
        Some(encoding) if encoding != encoding_rs::REPLACEMENT => {
            return Ok(decode_with(encoding, bytes));
        }
        _ if utf8 => decode_with(encoding_rs::UTF_8, bytes),
        _ => not_utf8(bytes),
    };
    if declared == Some(encoding_rs::REPLACEMENT) {
        let note = format!(
            "the page declares an encoding that cannot be read safely (such as ISO-2022-KR); \
             read as {}",
            decoded.encoding
        );
        decoded.note = Some(match decoded.note {
            Some(more) => format!("{note}; {more}"),
            None => note,
        });
    }
    Ok(decoded)
}

/// Decodes with the encoding the analyst chose (by its WHATWG label, e.g. `"windows-1251"`),
/// dropping a byte-order mark of that encoding. `None` if the label is unknown.
pub fn decode_as(bytes: &[u8], label: &str) -> Option<Result<Decoded, DecodeError>> {
    let encoding = Encoding::for_label(label.trim().as_bytes())?;
    let is_utf16 = encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE;
    if !is_utf16 && let Err(error) = refuse_binary(bytes) {
        return Some(Err(error));
    }
    let (text, _) = encoding.decode_with_bom_removal(bytes);
    Some(Ok(Decoded {
        text: text.into_owned(),
        encoding: encoding.name(),
        note: None,
    }))
}

/// The encodings offered when the analyst overrides the detected one.
pub const COMMON_ENCODINGS: &[&str] = &[
    "UTF-8",
    "UTF-16LE",
    "UTF-16BE",
    "windows-1252",
    "ISO-8859-2",
    "windows-1250",
    "windows-1251",
    "KOI8-R",
    "windows-1253",
    "windows-1254",
    "windows-1255",
    "windows-1256",
    "ISO-8859-15",
    "Shift_JIS",
    "EUC-JP",
    "EUC-KR",
    "GBK",
    "gb18030",
    "Big5",
];

/// UTF-16 without a byte-order mark: in mostly-Latin text, every other byte is zero. Returns
/// the byte order if the first bytes look like that and decode without zero characters.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES) & !1];
    if head.len() < 4 {
        return None;
    }
    let pairs = head.len() / 2;
    let zeros_at = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros_at(0), zeros_at(1));
    let encoding = if odd * 10 >= pairs * 4 && even * 20 < pairs {
        encoding_rs::UTF_16LE
    } else if even * 10 >= pairs * 4 && odd * 20 < pairs {
        encoding_rs::UTF_16BE
    } else {
        return None;
    };
    let (text, _, had_errors) = encoding.decode(head);
    (!had_errors && !text.contains('\0')).then_some(encoding)
}

fn decode_with(encoding: &'static Encoding, bytes: &[u8]) -> Decoded {
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
        encoding: encoding.name(),
        note: None,
    }
}

fn refuse_binary(bytes: &[u8]) -> Result<(), DecodeError> {
    match bytes[..bytes.len().min(SNIFF_BYTES)]
        .iter()
        .position(|&b| b == 0)
    {
        Some(offset) => Err(DecodeError::Binary { offset }),
        None => Ok(()),
    }
}

/// The encoding named by `<meta charset=...>` or `<meta http-equiv=... content="...;
/// charset=...">` in the head of a page.
fn declared_charset(head: &[u8]) -> Option<&'static Encoding> {
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let mut rest = head.as_str();
    while let Some(at) = rest.find("<meta") {
        rest = &rest[at + 5..];
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        if let Some(c) = tag.find("charset") {
            let value = tag[c + 7..]
                .trim_start()
                .strip_prefix('=')?
                .trim_start()
                .trim_start_matches(['"', '\'']);
            let end = value
                .find(|ch: char| {
                    ch == '"' || ch == '\'' || ch == ';' || ch.is_whitespace() || ch == '/'
                })
                .unwrap_or(value.len());
            if let Some(encoding) = Encoding::for_label(&value.as_bytes()[..end]) {
                // A page that says UTF-16 but was not caught by a BOM is really ASCII-based.
                return Some(
                    if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
                        encoding_rs::UTF_8
                    } else {
                        encoding
                    },
                );
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bytes_win_over_a_stale_legacy_declaration() {
        let page = "<html><head><meta charset=\"gb2312\"><title>人工智能</title></head></html>";
        let decoded = decode_html(page.as_bytes()).expect("decoded");
        assert_eq!(decoded.text, page);
        assert_eq!(decoded.encoding, "UTF-8");
        assert!(decoded.note.is_some_and(|n| n.contains("GBK")));
        // Bytes that are not UTF-8 keep the declared encoding.
        let latin = b"<meta charset=\"windows-1252\"><p>caf\xe9</p>";
        let decoded = decode_html(latin).expect("decoded");
        assert_eq!(decoded.encoding, "windows-1252");
        assert!(decoded.text.contains("café"));
    }

    proptest::proptest! {
        #[test]
        fn taking_the_bytes_decodes_as_borrowing_them(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64),
            prefix in proptest::sample::select(vec![
                &b""[..], b"\xEF\xBB\xBF", b"\xFF\xFE", b"plain ", "“é” ".as_bytes(),
            ]),
        ) {
            let bytes = [prefix, &bytes].concat();
            let borrowed = decode_text(&bytes).map(|d| (d.text, d.encoding));
            let taken = decode_text_owned(bytes).map(|d| (d.text, d.encoding));
            proptest::prop_assert_eq!(borrowed, taken);
        }
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode_text("“Hi”".as_bytes()).expect("utf-8");
        assert_eq!((plain.text.as_str(), plain.encoding), ("“Hi”", "UTF-8"));
        let bom = decode_text(b"\xEF\xBB\xBFhi").expect("utf-8 bom");
        assert_eq!(bom.text, "hi");
    }

    #[test]
    fn utf16_with_bom() {
        let bytes = [0xFF, 0xFE, b'h', 0, b'i', 0];
        let decoded = decode_text(&bytes).expect("utf-16le");
        assert_eq!(
            (decoded.text.as_str(), decoded.encoding),
            ("hi", "UTF-16LE")
        );
    }

    #[test]
    fn utf16_without_bom_is_recognised_by_its_zero_bytes() {
        let text = "Secretary Hagel said “no”.";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for (bytes, name) in [(le, "UTF-16LE"), (be, "UTF-16BE")] {
            let decoded = decode_text(&bytes).expect("utf-16");
            assert_eq!((decoded.text.as_str(), decoded.encoding), (text, name));
        }
    }

    #[test]
    fn a_chosen_encoding_overrides_detection() {
        let bytes = b"\xCF\xF0\xE8\xE2\xE5\xF2";
        let koi8 = decode_as(bytes, "koi8-r").expect("known").expect("decoded");
        assert_eq!(koi8.encoding, "KOI8-R");
        let cp1251 = decode_as(bytes, "windows-1251")
            .expect("known")
            .expect("decoded");
        assert_eq!(cp1251.text, "Привет");
        assert!(decode_as(bytes, "no-such-encoding").is_none());
        assert!(matches!(
            decode_as(b"a\0b", "windows-1252"),
            Some(Err(DecodeError::Binary { offset: 1 }))
        ));
    }

    #[test]
    fn legacy_encodings_are_detected() {
        let latin =
            decode_text(b"Le caf\xE9 est tr\xE8s bon, d\xE9j\xE0 servi \xE0 la fen\xEAtre.")
                .expect("decoded");
        assert_eq!(latin.encoding, "windows-1252");
        assert!(
            latin.text.contains("café") && latin.text.contains("fenêtre"),
            "{}",
            latin.text
        );
        // "Привет, мир" in Windows-1251.
        let cyrillic =
            decode_text(b"\xCF\xF0\xE8\xE2\xE5\xF2, \xEC\xE8\xF0! \xCF\xF0\xE8\xE2\xE5\xF2.")
                .expect("decoded");
        assert_eq!(cyrillic.encoding, "windows-1251");
        assert!(cyrillic.text.starts_with("Привет"), "{}", cyrillic.text);
    }

    #[test]
    fn nul_bytes_mean_binary() {
        let error = decode_text(b"\x89PNG\r\n\x1a\n\0\0\0").err();
        assert_eq!(error, Some(DecodeError::Binary { offset: 8 }));
    }

    #[test]
    fn html_declared_charset_is_used() {
        let page = b"<html><head><meta charset=\"windows-1252\"></head><body>caf\xE9</body></html>";
        let decoded = decode_html(page).expect("decoded");
        assert_eq!(decoded.encoding, "windows-1252");
        assert!(decoded.text.contains("café"));

        let page =
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">caf\xE9";
        let decoded = decode_html(page).expect("decoded");
        assert!(decoded.text.contains("café"));
    }

    #[test]
    fn html_without_declaration_falls_back() {
        assert_eq!(
            decode_html("é".as_bytes()).expect("utf-8").encoding,
            "UTF-8"
        );
        assert_eq!(
            decode_html(b"caf\xE9").expect("1252").encoding,
            "windows-1252"
        );
    }
}
