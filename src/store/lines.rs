//! The annotation lines of a project file, written and read without going through `ron`'s
//! generic (de)serializer: a project may hold 100,000 of them. Both sides accept exactly
//! the form this module writes; tests check it is what `ron` writes and reads, and the
//! loader falls back to `ron` for anything else (a hand-edited file, an error to report).

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::Arc;

use jiff::Timestamp;

use super::SharedTexts;
use crate::model::{
    Annotation, AnnotationId, Attributes, CharPos, DocumentId, EntityId, Excerpt, LabelId, Span,
};

/// One annotation as a line of RON, exactly as [`line`] would write it but an order of
/// magnitude faster (a project may hold 100,000); a test checks the two agree.
pub(super) fn write_annotation(out: &mut String, a: &Annotation) {
    out.push_str("(id: ");
    write_number(out, a.id.0);
    out.push_str(", doc: ");
    write_number(out, a.document.0.into());
    out.push_str(", label: ");
    write_str(out, &a.label.0);
    out.push_str(", span: (");
    write_number(out, a.span.start().0 as u64);
    out.push_str(", ");
    write_number(out, a.span.end().0 as u64);
    out.push(')');
    if !a.fragments.is_empty() {
        // Discontinuous annotations are rare: ron's own serializer is fast enough, and the
        // reader leaves such a line to ron.
        out.push_str(", fragments: ");
        out.push_str(&super::line(&a.fragments).unwrap_or_default());
    }
    let (text, prefix, suffix) = a.words();
    out.push_str(", text: ");
    write_str(out, text);
    out.push_str(", prefix: ");
    write_str(out, prefix);
    out.push_str(", suffix: ");
    write_str(out, suffix);
    if let Some(entity) = a.entity {
        out.push_str(", entity: Some(");
        write_number(out, entity.0.into());
        out.push(')');
    }
    if !a.attrs.is_empty() {
        // Quotes and claims only (a few per article): ron's own serializer is fast enough.
        out.push_str(", attrs: ");
        out.push_str(&super::line(&a.attrs).unwrap_or_default());
    }
    if !a.note.is_empty() {
        out.push_str(", note: ");
        write_str(out, &a.note);
    }
    if !a.author.is_empty() {
        out.push_str(", author: ");
        write_str(out, &a.author);
    }
    if !a.changed_by.is_empty() {
        out.push_str(", changed_by: ");
        write_str(out, &a.changed_by);
    }
    out.push_str(", created: \"");
    let _ = write!(out, "{}", a.created);
    out.push('"');
    // Left out while the annotation was never changed (since version 5).
    if a.modified != a.created {
        let _ = write!(out, ", modified: \"{}\"", a.modified);
    }
    out.push(')');
}

/// A RON string literal, escaped character by character as `ron` does (`char::escape_debug`).
/// Runs of printable ASCII other than quotes and backslashes, which `escape_debug` leaves
/// alone, are copied in one go, and so are runs of characters beyond ASCII it leaves alone
/// (one table look-up each).
fn write_str(out: &mut String, s: &str) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut plain_from = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Skip the plain ASCII run eight bytes at a time, then byte by byte.
        while let Some(word) = bytes.get(i..i + 8).and_then(|w| w.try_into().ok())
            && all_plain(u64::from_le_bytes(word))
        {
            i += 8;
        }
        while i < bytes.len() && PLAIN[usize::from(bytes[i])] {
            i += 1;
        }
        // Then the run of characters beyond ASCII that need no escape (a text in another
        // script, or an accented letter in a Latin one).
        while i < bytes.len() && bytes[i] >= 0x80 {
            let c = char_at(bytes, i);
            if !printable(c) {
                break;
            }
            i += c.len_utf8();
        }
        let Some(&b) = bytes.get(i) else {
            break;
        };
        if PLAIN[usize::from(b)] {
            continue;
        }
        let c = if b < 0x80 {
            char::from(b)
        } else {
            char_at(bytes, i)
        };
        out.push_str(&s[plain_from..i]);
        match c {
            // The escapes met in real text, without going through the general escaper.
            '\n' => out.push_str("\\n"),
            '"' => out.push_str("\\\""),
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            c => out.extend(c.escape_debug()),
        }
        i += c.len_utf8();
        plain_from = i;
    }
    out.push_str(&s[plain_from..]);
    out.push('"');
}

/// The character that starts at byte `i` of `bytes` (UTF-8 taken from a `str`, `i` on a
/// character boundary), decoded from its bytes without a check of the slice around it.
fn char_at(bytes: &[u8], i: usize) -> char {
    let byte = |k: usize| u32::from(bytes.get(i + k).copied().unwrap_or(0) & 0x3F);
    let lead = u32::from(bytes[i]);
    let code = match lead {
        0..=0x7F => lead,
        0xC0..=0xDF => (lead & 0x1F) << 6 | byte(1),
        0xE0..=0xEF => (lead & 0x0F) << 12 | byte(1) << 6 | byte(2),
        _ => (lead & 0x07) << 18 | byte(1) << 12 | byte(2) << 6 | byte(3),
    };
    char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER)
}

/// Bytes `char::escape_debug` leaves alone and that need no further look: printable ASCII
/// other than the quotes and the backslash.
const PLAIN: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = b' ';
    while b <= b'~' {
        table[b as usize] = !matches!(b, b'"' | b'\'' | b'\\');
        b += 1;
    }
    table
};

/// True if all eight bytes of `w` are [`PLAIN`]: none below a space, none from DEL up, no
/// quote or backslash (tests for a byte below a bound, and for a zero byte, that never miss
/// one).
fn all_plain(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_below = |v: u64, bound: u8| v.wrapping_sub(ONES * u64::from(bound)) & !v & HIGH != 0;
    let has_byte = |b: u8| has_below(w ^ (ONES * u64::from(b)), 1);
    let has_high = (w | w.wrapping_add(ONES)) & HIGH != 0;
    !(has_below(w, b' ') || has_high || has_byte(b'"') || has_byte(b'\'') || has_byte(b'\\'))
}

/// `n` in decimal, without the formatting machinery.
fn write_number(out: &mut String, n: u64) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// Whether `escape_debug` leaves a character of the Basic Multilingual Plane alone, one bit
/// per character, worked out for a block of 256 characters the first time one of them is
/// written (the answer takes a table search; a text uses a few blocks of its script).
static PRINTABLE_BMP: [std::sync::OnceLock<[u64; 4]>; 256] =
    [const { std::sync::OnceLock::new() }; 256];

fn printable(c: char) -> bool {
    let code = u32::from(c);
    let Some(block) = PRINTABLE_BMP.get((code >> 8) as usize) else {
        return c.escape_debug().len() == 1;
    };
    let bits = block.get_or_init(|| {
        let mut bits = [0_u64; 4];
        for low in 0..256_u32 {
            let left_alone =
                char::from_u32(code & !0xFF | low).is_some_and(|c| c.escape_debug().len() == 1);
            bits[(low / 64) as usize] |= u64::from(left_alone) << (low % 64);
        }
        bits
    });
    let low = code & 0xFF;
    bits[(low / 64) as usize] >> (low % 64) & 1 == 1
}

/// Where the annotation lines are: the file without them (an empty `annotations` list, for
/// `ron` to read the rest), and the annotations. `None` if any line is not in the exact
/// form [`write_annotation`] produces.
pub(super) fn split_annotations(text: &str) -> Option<(String, Vec<Arc<Annotation>>)> {
    const OPEN: &str = "\n    annotations: [\n";
    const CLOSE: &str = "    ],";
    let start = text.find(OPEN)? + OPEN.len();
    // Strings are escaped, so no annotation line holds a raw line break: the section ends
    // at the first line that is exactly the closing bracket.
    let end = if text[start..].starts_with(CLOSE) {
        start
    } else {
        start + text[start..].find("\n    ],")? + 1
    };
    let after = &text[end + CLOSE.len()..];
    if !(after.is_empty() || after.starts_with('\n')) {
        return None;
    }
    let annotations = read_lines_in_parallel(&text[start..end], &SharedTexts::new())?;
    let mut rest = String::with_capacity(text.len() - (end - start));
    rest.push_str(&text[..start]);
    rest.push_str(&text[end..]);
    Some((rest, annotations))
}

/// Lines below which reading is not worth splitting over threads.
const PARALLEL_FROM_BYTES: usize = 512 * 1024;

/// Reads annotation lines (each ending with a line break), in chunks on as many threads as
/// the machine has cores; `None` if any line is not in the exact form. An annotation whose
/// words are those of its document in `texts` points at them instead of copying them.
pub(super) fn read_lines_in_parallel(
    body: &str,
    texts: &SharedTexts,
) -> Option<Vec<Arc<Annotation>>> {
    // Shared pointers as read: the annotations are then moved (into one list, into the
    // project) as pointers, never copied while the list that held them is still alive.
    let read = |chunk: &str| -> Option<Vec<Arc<Annotation>>> {
        // Lines are about 300 bytes; a good guess saves most of the regrowing.
        let mut out = Vec::with_capacity(chunk.len() / 200);
        let mut labels = Labels::default();
        for line in chunk.split_terminator('\n') {
            let line = line.strip_prefix("        ")?.strip_suffix(',')?;
            out.push(Arc::new(read_line(line, texts, &mut labels)?));
        }
        Some(out)
    };
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    if body.len() < PARALLEL_FROM_BYTES || threads < 2 {
        return read(body);
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = line_chunks(body, threads.min(8))
            .into_iter()
            .map(|chunk| scope.spawn(move || read(chunk)))
            .collect();
        let mut all = Vec::with_capacity(body.len() / 200);
        for handle in handles {
            all.extend(handle.join().ok()??);
        }
        Some(all)
    })
}

/// `body` cut into about `parts` pieces of whole lines. The cuts are looked for from
/// byte offsets that may fall inside a character: only the line break found after one is
/// a place to cut.
fn line_chunks(body: &str, parts: usize) -> Vec<&str> {
    let mut chunks = Vec::new();
    let mut from = 0;
    let step = body.len().div_ceil(parts.max(1)).max(1);
    while from < body.len() {
        let target = (from + step).min(body.len());
        let to = body.as_bytes()[target..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(body.len(), |i| target + i + 1);
        chunks.push(&body[from..to]);
        from = to;
    }
    chunks
}

/// One annotation line: by the fast reader, or, in another form (with attributes, or
/// edited by hand), by ron on its own. `None` if ron cannot read it either: the whole file
/// then goes to ron, for an error with the file's line and column.
pub(super) fn read_line(
    line: &str,
    texts: &SharedTexts,
    labels: &mut Labels,
) -> Option<Annotation> {
    read_annotation(line, texts, labels).or_else(|| ron::from_str(line).ok())
}

/// One annotation in the exact form [`write_annotation`] writes (without attributes), or
/// `None`.
pub(super) fn read_annotation(
    line: &str,
    texts: &SharedTexts,
    labels: &mut Labels,
) -> Option<Annotation> {
    let mut c = Cursor { s: line, i: 0 };
    c.lit("(id: ")?;
    let id = AnnotationId(c.number()?);
    c.lit(", doc: ")?;
    let document = DocumentId(u32::try_from(c.number()?).ok()?);
    c.lit(", label: ")?;
    let label = labels.get(&c.string()?);
    c.lit(", span: (")?;
    let start = usize::try_from(c.number()?).ok()?;
    c.lit(", ")?;
    let end = usize::try_from(c.number()?).ok()?;
    let span = Span::new(CharPos(start), CharPos(end)).ok()?;
    c.lit("), text: ")?;
    let text = c.string()?;
    c.lit(", prefix: ")?;
    let prefix = c.string()?;
    c.lit(", suffix: ")?;
    let suffix = c.string()?;
    let excerpt = Excerpt::shared_if_same(texts.get(&document), span, &text, &prefix, &suffix);
    let entity = if c.lit(", entity: Some(").is_some() {
        let id = EntityId(u32::try_from(c.number()?).ok()?);
        c.lit(")")?;
        Some(id)
    } else {
        None
    };
    let note = if c.lit(", note: ").is_some() {
        c.string()?.into_owned()
    } else {
        String::new()
    };
    let author = if c.lit(", author: ").is_some() {
        c.string()?.into_owned()
    } else {
        String::new()
    };
    let changed_by = if c.lit(", changed_by: ").is_some() {
        c.string()?.into_owned()
    } else {
        String::new()
    };
    c.lit(", created: ")?;
    let created_text = c.string()?;
    let created: Timestamp = created_text.parse().ok()?;
    // Before version 5 written also when equal to `created`.
    let modified = if c.lit(", modified: ").is_some() {
        let modified_text = c.string()?;
        if modified_text == created_text {
            created
        } else {
            modified_text.parse().ok()?
        }
    } else {
        created
    };
    c.lit(")")?;
    (c.i == line.len()).then_some(Annotation {
        id,
        document,
        label,
        span,
        fragments: Vec::new(),
        excerpt,
        entity,
        attrs: Attributes::default(),
        note,
        author,
        changed_by,
        created,
        modified,
    })
}

/// The labels read so far, so that the annotations of one label share one id (a project
/// has a few dozen labels and may have 100,000 annotations).
#[derive(Default)]
pub(super) struct Labels(Vec<LabelId>);

impl Labels {
    fn get(&mut self, id: &str) -> LabelId {
        if let Some(known) = self.0.iter().find(|l| l.as_str() == id) {
            return known.clone();
        }
        let label = LabelId::from(id);
        self.0.push(label.clone());
        label
    }
}

/// True if `s` holds a control character (`char::is_control`: U+0000–U+001F and
/// U+007F–U+009F), which the writer always escapes.
fn has_control(s: &str) -> bool {
    let bytes = s.as_bytes();
    // Most strings are printable ASCII: one pass over the bytes, the rare 0xC2 looked at
    // closer.
    bytes.iter().enumerate().any(|(i, &b)| {
        (b < 0x20 || b == 0x7f || b == 0xc2)
            && (b != 0xc2 || bytes.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)))
    })
}

struct Cursor<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Cursor<'a> {
    fn lit(&mut self, expected: &str) -> Option<()> {
        self.s[self.i..].starts_with(expected).then(|| {
            self.i += expected.len();
        })
    }

    /// A plain decimal number (no sign, no underscores, no leading zeros but "0").
    fn number(&mut self) -> Option<u64> {
        let rest = &self.s[self.i..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let text = &rest[..digits];
        if digits == 0 || (digits > 1 && text.starts_with('0')) {
            return None;
        }
        self.i += digits;
        text.parse().ok()
    }

    /// A string literal with the escapes `char::escape_debug` produces.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        self.lit("\"")?;
        let mut out: Option<String> = None;
        loop {
            let rest = &self.s[self.i..];
            // Both are ASCII: a byte search finds them (and never inside a longer char).
            let stop = memchr::memchr2(b'"', b'\\', rest.as_bytes())?;
            let raw = &rest[..stop];
            if has_control(raw) {
                return None;
            }
            if out.is_none() && rest.as_bytes()[stop] == b'"' {
                // No escapes at all (the common case): the line's own bytes.
                self.i += stop + 1;
                return Some(Cow::Borrowed(raw));
            }
            let out = out.get_or_insert_with(|| String::with_capacity(stop + 16));
            out.push_str(raw);
            self.i += stop;
            if self.lit("\"").is_some() {
                // Escapes grew it: keep only what it holds (annotations live long).
                out.shrink_to_fit();
                return Some(Cow::Owned(std::mem::take(out)));
            }
            self.i += 1;
            let escaped = self.s[self.i..].chars().next()?;
            self.i += escaped.len_utf8();
            out.push(match escaped {
                't' => '\t',
                'r' => '\r',
                'n' => '\n',
                '0' => '\0',
                '\\' | '\'' | '"' => escaped,
                'u' => {
                    self.lit("{")?;
                    let rest = &self.s[self.i..];
                    let close = rest.find('}')?;
                    let hex = &rest[..close];
                    if hex.is_empty()
                        || hex.len() > 6
                        || !hex.bytes().all(|b| b.is_ascii_hexdigit())
                    {
                        return None;
                    }
                    self.i += close + 1;
                    char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
                }
                _ => return None,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn any_annotation() -> impl Strategy<Value = Annotation> {
        let text = "(\\PC|[\"'\\\\\t\r\n\u{0}\u{7f}\u{301}\u{200d}]){0,12}";
        (
            any::<u64>(),
            any::<u32>(),
            (0usize..1_000_000, 0usize..100),
            text,
            text,
            text,
            text,
            0i64..4_000_000_000,
            (
                proptest::option::of(any::<u32>()),
                proptest::option::of(text),
                any::<bool>(),
                proptest::option::of(0i64..1_000_000),
            ),
        )
            .prop_map(
                |(
                    id,
                    doc,
                    (start, len),
                    label,
                    exact,
                    note,
                    author,
                    secs,
                    (entity, unnamed, denies, changed_after),
                )| {
                    let time = Timestamp::from_second(secs).expect("in range");
                    // Changed after it was made, or not (then the line leaves `modified` out).
                    let modified = changed_after.map_or(time, |after| {
                        Timestamp::from_second(secs + after).expect("in range")
                    });
                    let attrs = crate::model::Attributes {
                        source: unnamed.map(crate::model::Source::Unnamed),
                        stance: denies.then_some(crate::model::Stance::Denies),
                        ..Attributes::default()
                    };
                    Annotation {
                        id: AnnotationId(id),
                        document: DocumentId(doc),
                        label: LabelId(label.into()),
                        span: Span::between(CharPos(start), CharPos(start + len)),
                        fragments: Vec::new(),
                        excerpt: Excerpt::held(
                            &exact,
                            &exact.chars().rev().collect::<String>(),
                            &note,
                        ),
                        entity: entity.map(EntityId),
                        attrs,
                        note,
                        changed_by: if changed_after.is_some() {
                            author.chars().rev().collect()
                        } else {
                            String::new()
                        },
                        author,
                        created: time,
                        modified,
                    }
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn written_lines_read_back_and_agree_with_ron(annotation in any_annotation()) {
            let mut line = String::new();
            write_annotation(&mut line, &annotation);
            prop_assert_eq!(read_line(&line, &SharedTexts::new(), &mut Labels::default()), Some(annotation.clone()));
            let by_ron: Annotation = ron::from_str(&line).expect("ron reads the line");
            prop_assert_eq!(by_ron, annotation);
        }

        /// Whatever the fast reader accepts, ron reads the same way.
        #[test]
        fn the_reader_never_disagrees_with_ron(
            annotation in any_annotation(),
            edits in prop::collection::vec((any::<prop::sample::Index>(), any::<char>()), 1..4),
        ) {
            let mut line = String::new();
            write_annotation(&mut line, &annotation);
            let mut chars: Vec<char> = line.chars().collect();
            for (at, c) in edits {
                let i = at.index(chars.len());
                chars[i] = c;
            }
            let mutated: String = chars.into_iter().collect();
            if let Some(fast) = read_line(&mutated, &SharedTexts::new(), &mut Labels::default()) {
                let by_ron: Result<Annotation, _> = ron::from_str(&mutated);
                prop_assert_eq!(by_ron.ok(), Some(fast), "{}", mutated);
            }
        }
    }

    proptest! {
        /// Eight bytes at a time, plain exactly when each byte is.
        #[test]
        fn a_word_is_plain_when_each_byte_is(word in any::<[u8; 8]>(), pick in any::<[u8; 8]>()) {
            // Bytes near the edges of plain are rare at random: mix them in.
            let edges = [b' ', b'~', 0x1F, 0x7F, 0x80, 0xFF, b'"', b'\'', b'\\', 0, b'!', b'&', b'(', b'[', b']'];
            let word: [u8; 8] = std::array::from_fn(|i| {
                if pick[i] % 2 == 0 { edges[usize::from(pick[i] / 2) % edges.len()] } else { word[i] }
            });
            prop_assert_eq!(
                all_plain(u64::from_le_bytes(word)),
                word.iter().all(|&b| PLAIN[usize::from(b)])
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        /// A written string is each character escaped by `escape_debug`, as `ron` writes it:
        /// ASCII runs, runs of other scripts, escapes at any place among them.
        #[test]
        fn strings_are_escaped_character_by_character(
            pieces in prop::collection::vec(
                prop_oneof![
                    "[ -~]{0,20}",
                    "\\PC{0,6}",
                    any::<char>().prop_map(String::from),
                    prop::sample::select(vec![
                        "\"", "'", "\\", "\n", "\t", "\r", "\u{0}", "\u{7f}", "\u{301}",
                        "\u{200d}", "\u{85}", "\u{2028}", "é", "金正恩", "😀", "\u{feff}",
                    ])
                    .prop_map(String::from),
                ],
                0..12,
            ),
        ) {
            let s = pieces.concat();
            let mut written = String::new();
            write_str(&mut written, &s);
            let expected: String = s.chars().flat_map(char::escape_debug).collect();
            prop_assert_eq!(written, format!("\"{expected}\""));
        }
    }

    #[test]
    fn the_printable_table_agrees_with_escape_debug_for_every_character() {
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            assert_eq!(
                printable(c),
                c.escape_debug().len() == 1,
                "{:#x}",
                u32::from(c)
            );
        }
    }

    /// `modified` is written only when it differs from `created` (since version 5); a line
    /// of an earlier version, which always has it, reads the same.
    #[test]
    fn modified_is_left_out_while_equal_to_created() {
        let v4 = "(id: 1, doc: 1, label: \"person\", span: (0, 3), text: \"abc\", prefix: \"\", suffix: \"\", created: \"2026-01-01T00:00:00Z\", modified: \"2026-01-01T00:00:00Z\")";
        let read = |line: &str| read_annotation(line, &SharedTexts::new(), &mut Labels::default());
        let mut annotation = read(v4).expect("a version 4 line reads");
        let mut line = String::new();
        write_annotation(&mut line, &annotation);
        assert_eq!(line, v4.replace(", modified: \"2026-01-01T00:00:00Z\"", ""));
        assert_eq!(read(&line), Some(annotation.clone()));
        assert_eq!(ron::from_str::<Annotation>(&line).expect("ron"), annotation);
        annotation.modified = "2026-01-02T00:00:00Z".parse().expect("time");
        line.clear();
        write_annotation(&mut line, &annotation);
        assert!(
            line.ends_with(
                ", created: \"2026-01-01T00:00:00Z\", modified: \"2026-01-02T00:00:00Z\")"
            ),
            "{line}"
        );
        assert_eq!(read(&line), Some(annotation.clone()));
        assert_eq!(ron::from_str::<Annotation>(&line).expect("ron"), annotation);
        assert_eq!(super::super::line(&annotation).expect("ron writes"), line);
    }

    /// Lines of a text in another script are cut into pieces for the threads at line
    /// breaks, wherever the even split falls (it once fell inside a character and the load
    /// panicked).
    #[test]
    fn lines_are_cut_at_line_breaks_whatever_the_characters() {
        for padding in 0..4 {
            let mut body = String::new();
            for i in 0..40 {
                body.push_str(&"x".repeat(padding));
                body.push_str(&"人".repeat(i % 7 + 1));
                body.push('\n');
            }
            for parts in 1..=9 {
                let chunks = line_chunks(&body, parts);
                assert_eq!(chunks.concat(), body, "{parts} parts");
                assert!(chunks.iter().all(|c| c.ends_with('\n')), "{parts} parts");
                assert!(chunks.len() <= parts, "{parts} parts");
            }
        }
    }

    #[test]
    fn lines_in_another_form_are_left_to_ron() {
        let line = "(id: 1, doc: 1, label: \"person\", span: (0, 3), text: \"abc\", prefix: \"\", suffix: \"\", created: \"2026-01-01T00:00:00Z\", modified: \"2026-01-01T00:00:00Z\")";
        assert!(read_annotation(line, &SharedTexts::new(), &mut Labels::default()).is_some());
        for other in [
            line.replace("(id: 1,", "(id: 0x1,"),
            line.replace("(id: 1,", "( id: 1,"),
            line.replace("span: (0, 3)", "span: (3, 0)"),
            line.replace("\"abc\"", "\"a\\bc\""),
            line.replace("\"abc\"", "\"a\nc\""),
            line.replace("(id: 1,", "(id: 01,"),
            format!("{line} "),
        ] {
            assert!(
                read_annotation(&other, &SharedTexts::new(), &mut Labels::default()).is_none(),
                "{other}"
            );
        }
    }

    /// Annotations of one label read together share one label id; an annotation whose
    /// words are those of its document's text (handed over) points at it.
    #[test]
    fn lines_share_their_label_and_the_document_words() {
        let line = |id: u32, label: &str, text: &str| {
            format!(
                "(id: {id}, doc: 1, label: \"{label}\", span: (0, 3), text: \"{text}\", prefix: \"\", suffix: \" def\", created: \"2026-01-01T00:00:00Z\", modified: \"2026-01-01T00:00:00Z\")"
            )
        };
        let mut body = String::new();
        for l in [
            line(1, "person", "abc"),
            line(2, "claim", "abc"),
            line(3, "person", "abd"),
        ] {
            let _ = writeln!(body, "        {l},");
        }
        let mut texts = SharedTexts::new();
        texts.insert(
            DocumentId(1),
            Arc::new(crate::model::DocText::new("abc def".to_owned())),
        );
        let read = read_lines_in_parallel(&body, &texts).expect("read");
        let labels: Vec<&str> = read.iter().map(|a| a.label.as_str()).collect();
        assert_eq!(labels, ["person", "claim", "person"]);
        assert!(Arc::ptr_eq(&read[0].label.0, &read[2].label.0));
        let shared: Vec<bool> = read.iter().map(|a| a.excerpt.is_in_document()).collect();
        assert_eq!(shared, [true, true, false]);
        assert_eq!(read[2].text(), "abd");
    }
}
