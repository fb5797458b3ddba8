//! Quotations found by their quotation marks, with the speaker guessed from attribution
//! cues nearby, and (through [`super::reported`]) reported speech. Offline and rule-based,
//! so every guess can be explained.
//!
//! Marks: curly “…”, straight "…", mixed, German „…“ and guillemets «…»; single quotes are
//! left alone (they are apostrophes as often as not, and nest inside double ones). A quote
//! may run over line breaks; one left open at the end of a paragraph ends there (the news
//! convention for a quotation going on in the next paragraph). Quotes of one or two words
//! are suggested only when their sentence names a speaker ("called it a “disgrace”"), and
//! titles never ("on “Meet the Press”").
//!
//! Speakers, in order of trust: a cue right after the closing mark (`”, said X` / `” X
//! said` / `” X, a fellow at …, said`), a cue right before the opening mark (`X said: “`), a
//! cue ending the sentence (`…, X said.`), `according to X`, the subject of the last cue
//! earlier in the sentence; a quote without a cue takes the next quote's in its sentence,
//! else continues the speaker of a quote right before it. "he"/"she" is the person last
//! named before a verb or with a cue; "the official" is the latest description with the
//! same last word ("an unidentified senior Defense Department official"); a surname alone
//! is the full name the text gave earlier.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::reported::{cue_speaker, find_reported};
use super::speakers::{
    NAME, PRONOUNS, STOP_WORDS, TITLE_WORDS, ceil, ends_sentence, floor, full_name,
    parse_apposition, parse_who, verb_like,
};
use crate::model::Directness;

/// Who the text says spoke.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Speaker {
    /// A proper name ("Patrick Cronin").
    Name(String),
    /// A description of an unnamed source ("an unidentified senior Defense Department
    /// official").
    Description(String),
}

impl Speaker {
    pub fn text(&self) -> &str {
        match self {
            Self::Name(s) | Self::Description(s) => s,
        }
    }
}

/// A quotation: the byte range of its words (inside the marks, without the closing comma
/// or full stop) and its guessed speaker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundQuote {
    pub bytes: Range<usize>,
    pub speaker: Option<Speaker>,
    pub directness: Directness,
}

/// The longest quotation considered, in bytes.
const MAX_QUOTE_BYTES: usize = 4000;
/// How far before and after a quote its attribution is looked for, in bytes.
pub(super) const WINDOW_BYTES: usize = 240;

/// Words that may sit between a cue and its speaker or quote ("told *reporters*", "said
/// *Monday*").
const CUE_OBJECT: &str = r"(?:\s+(?:reporters|journalists|Reuters|today|yesterday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))?";
/// Words that may stand between a speaker and the cue ("Obama *has* admitted").
const AUX: &str = r"(?:has|had|have|also|later|then|once)\s+";
const CUE: &str = "said|says|say|told|tells|added|adds|asked|asks|stated|states|explained|explains|noted|notes|wrote|writes|argued|argues|insisted|insists|warned|warns|continued|continues|recalled|recalls|recounted|recounts|remembered|declared|declares|replied|replies|acknowledged|acknowledges|claimed|claims|remarked|remarks|promised|promises|announced|announces|vowed|vows|pledged|pledges|predicted|predicts|admitted|admits|conceded|concedes|cautioned|cautions|stressed|stresses|emphasized|emphasizes|emphasised|emphasises|maintained|maintains|testified|testifies|instructed|instructs|urged|urges|begged|pleaded|requested|responded|responds|answered|answers|concluded|concludes|joked|jokes|quipped|quips|tweeted|tweets|posted|posts|called|calls|described|describes|dubbed|branded|labeled|labelled|termed|slammed|accused|weighed in|chanted|shouted|yelled|wondered|alleged|alleges|asserted|asserts|contended|contends|reported|confirmed|confirms|disclosed|revealed|suggested|complained|denied|denies|reiterated|reiterates|countered|counters|observed|agreed|agrees|blasted|criticized|criticised|praised|hailed|lauded|denounced|condemned|characterized|characterised";

static AFTER_CUE_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^[\s,]*(?:{CUE}){CUE_OBJECT}\s*[,:]?\s+(?P<who>.+)$"
    ))
    .expect("regex")
});
static AFTER_WHO_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^[\s,]*(?:as\s+)?(?P<who>[^,;:!?]{{1,90}}?)\s+(?:{AUX})?(?:{CUE})\b"
    ))
    .expect("regex")
});
/// `”, Morrison, Vindman's superior, said`: a name, then appositions, then the cue.
static AFTER_WHO_APPOSITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r#"^[\s,]*(?P<who>{NAME})(?:,[^,;:!?“”"]{{1,90}}){{1,3}},\s+(?:\w+ly\s+)?(?:{AUX})?(?:{CUE})\b"#
    ))
    .expect("regex")
});
/// `” …, said another witness, former adviser Fiona Hill.`: the cue later in the sentence.
static LATER_CUE_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r",\s*(?:{CUE}){CUE_OBJECT}\s+(?P<who>[^;:!?]{{3,200}})$"
    ))
    .expect("regex")
});
/// The subject right before a cue anywhere earlier in the sentence ("Mr Obama said it was
/// … “…”", "Mr. Warner, the Virginia Democrat, called … “…”"): a capitalised name (the
/// last run of capitalised words before the verb) or a pronoun, an apposition allowed.
static SUBJECT_BEFORE_CUE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"{SUBJECT}(?:{CUE})\b")).expect("regex"));
/// A name (up to four capitalised words or initials) or a pronoun, then an apposition
/// (", the Virginia Democrat,") or a place ("of Kentucky") and an auxiliary, before a cue.
const SUBJECT: &str = r#"(?P<who>(?:(?:[A-Z][\p{L}'’\-]*|[A-Z][a-z]{0,3}\.)\s+){0,3}[A-Z][\p{L}'’\-]+|\b[Hh]e|\b[Ss]he|\b[Tt]hey|\b(?:[Tt]he|[Aa]n?)\s+(?:[a-z][\p{L}’'\-]*\s+){0,3}[a-z][\p{L}’'\-]+)(?:(?:,[^,“”"]{1,80}){1,3},|\s+(?:of|from)\s+(?:the\s+)?(?P<place>[A-Z][\p{L}'’\-]+(?:\s+[A-Z][\p{L}'’\-]+)*))?\s+(?:(?:has|had|have|also|later|then|once)\s+)?"#;
static BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<who>[^,;:!?]{{1,90}}?)\s+(?:{AUX})?(?:{CUE}){CUE_OBJECT}(?:\s+that)?\s*[,:]?\s*$"
    ))
    .expect("regex")
});
static SENTENCE_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r",\s*(?P<who>[^,;:!?]{{1,90}}?)\s+(?:{AUX})?(?:{CUE})\s*[.!?]?\s*$"
    ))
    .expect("regex")
});
static ACCORDING_TO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[Aa]ccording to (?P<who>[^,.;:!?]{1,90})").expect("regex"));
/// A cue anywhere in the text (found fast, without captures): where [`named_cues`] looks
/// for the name beside it.
static CUE_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"\b(?:{CUE}|according to)\b")).expect("regex"));
/// `said Cronin`, `according to Cronin` (the cue that starts the window).
static CUE_THEN_NAME: LazyLock<Regex> = LazyLock::new(|| {
    let name = r"(?:[A-Z][\p{L}'’\-]+(?:\s+(?:[A-Z][\p{L}'’\-]+|[A-Z][a-z]{0,3}\.)){0,3})";
    Regex::new(&format!(r"^(?:{CUE}|according to)\s+(?P<b>{name})")).expect("regex")
});

/// The name that ends `head` (the words before a cue), with where it starts: "Patrick
/// Cronin (said)", "Cronin has (said)", "Morrison, Vindman's superior, (said)", "Sen. Rand
/// Paul of Kentucky (said)". A scan back over the words, not a pattern: it runs at every
/// cue of a long text.
fn name_before(head: &str) -> Option<(usize, &str)> {
    const AUX_WORDS: [&str; 7] = ["has", "had", "have", "also", "later", "then", "once"];
    let words: Vec<(usize, &str)> = head
        .split_ascii_whitespace()
        .map(|w| (w.as_ptr() as usize - head.as_ptr() as usize, w))
        .collect();
    let mut end = words.len();
    if end > 0 && AUX_WORDS.contains(&words[end - 1].1) {
        end -= 1;
    }
    let capital = |w: &str| w.starts_with(|c: char| c.is_ascii_uppercase());
    // ", Vindman's superior,": back to the name the apposition follows.
    if end > 0 && words[end - 1].1.ends_with(',') {
        end = (end.saturating_sub(16)..end - 1)
            .rev()
            .find(|&i| words[i].1.ends_with(',') && capital(words[i].1))
            .map(|i| i + 1)?;
    }
    let run = |end: usize| -> usize {
        let mut start = end;
        while start > 0 && end - start < 5 {
            let word = words[start - 1].1;
            let inner = start < end;
            let punctuated = word.ends_with(|c: char| !c.is_alphanumeric())
                && !(word.ends_with('.') && word.len() <= 5)
                && (inner || !word.ends_with(','));
            if !capital(word) || (inner && punctuated) {
                break;
            }
            start -= 1;
        }
        start
    };
    let mut start = run(end);
    // "Sen. Rand Paul of Kentucky": the name before the place.
    if start >= 2 && start < end && matches!(words[start - 1].1, "of" | "from") {
        let earlier = run(start - 1);
        if earlier < start - 1 {
            let titles_only = words[earlier..start - 1]
                .iter()
                .all(|(_, w)| TITLE_WORDS.contains(w));
            if !titles_only {
                end = start - 1;
                start = earlier;
            }
        }
    }
    if start == end {
        return None;
    }
    let (first, last) = (words[start], words[end - 1]);
    let who = head[first.0..last.0 + last.1.len()].trim_end_matches(',');
    Some((first.0, who))
}

/// Named cues anywhere in the text, for "he said": `Cronin said`, `said Cronin`,
/// `according to Cronin`, with where the name starts. Each cue's neighbourhood is read
/// alone, so the cost is linear in the text.
fn named_cues(text: &str) -> Named {
    CUE_WORD
        .find_iter(text)
        // "the U.S. states", "his notes": a plural noun, not a cue.
        .filter(|cue| {
            let word = cue.as_str();
            !word.ends_with('s') || matches!(word, "says" | "tells" | "adds" | "writes" | "asks")
        })
        .filter_map(|cue| {
            let from = ceil(text, cue.start().saturating_sub(WINDOW_BYTES));
            let before = &text[from..cue.start()];
            let after = &text[cue.start()..floor(text, cue.end() + WINDOW_BYTES / 2)];
            let (at, who) = if let Some((at, who)) = name_before(before) {
                (from + at, who)
            } else {
                let m = CUE_THEN_NAME.captures(after)?.name("b")?;
                (cue.start() + m.start(), m.as_str())
            };
            match parse_who(who, true)? {
                Speaker::Name(n) if !PRONOUNS.contains(&n.as_str()) => Some((at, n)),
                _ => None,
            }
        })
        .collect()
}

/// Every quotation of `text`, in order, with its guessed speaker.
pub fn find_quotes(text: &str) -> Vec<FoundQuote> {
    let marks: Vec<(Range<usize>, usize, usize)> = quotation_marks(text)
        .into_iter()
        .filter_map(|(content, open_at, close_end)| {
            Some((trim_content(text, content)?, open_at, close_end))
        })
        .collect();
    let mut cues: Vec<Option<Speaker>> = marks
        .iter()
        .map(|(_, open_at, close_end)| attribution(text, *open_at, *close_end))
        .collect();
    // `… “willing to go along” … for now “they are not willing …” with them, Cronin said.`:
    // a quotation without a cue takes the cue of the next one in its sentence.
    for i in (0..marks.len().saturating_sub(1)).rev() {
        let between = &text[marks[i].2..marks[i + 1].1];
        let same_sentence = !between.contains('\n')
            && !between
                .char_indices()
                .any(|(j, c)| matches!(c, '.' | '!' | '?') && ends_sentence(between, j));
        if cues[i].is_none() && same_sentence {
            let next = cues[i + 1].clone();
            cues[i] = next;
        }
    }
    let mut found = Vec::new();
    for ((bytes, open_at, close_end), cue) in marks.into_iter().zip(cues) {
        // Short quotations take part in resolving ("“I’m not,” he said. “It’s …”"), but
        // are suggested only when a cue of their own sentence ties them to a speaker
        // ("called it a “disgrace”") and they are not a title ("on “Meet the Press”").
        let quote = &text[bytes.clone()];
        let keep = !title_like(quote) && (cue.is_some() || quote.split_whitespace().count() >= 3);
        found.push(Pending {
            bytes,
            cue,
            open_at,
            close_end,
            directness: Directness::Direct,
            keep,
        });
    }
    let quoted: Vec<Range<usize>> = found.iter().map(|q| q.bytes.clone()).collect();
    for r in find_reported(text, &quoted) {
        found.push(Pending {
            close_end: r.bytes.end,
            bytes: r.bytes,
            cue: r.speaker,
            open_at: r.speaker_before,
            directness: Directness::Indirect,
            keep: true,
        });
    }
    found.sort_by_key(|q| (q.bytes.start, q.directness == Directness::Direct));
    resolve(text, found)
}

/// A quotation or reported speech found, before its speaker is resolved.
struct Pending {
    bytes: Range<usize>,
    /// The speaker as its cue names them.
    cue: Option<Speaker>,
    /// Where a pronoun's person must be named before: the opening mark, or the start of
    /// the reported speech's sentence.
    open_at: usize,
    close_end: usize,
    directness: Directness,
    /// False for a quotation that only helps resolve others.
    keep: bool,
}

/// True for a title, a name or an acronym rather than words someone said: every word
/// capitalised but the small ones ("Meet the Press", "Three Amigos", "VIP").
fn title_like(quote: &str) -> bool {
    const SMALL: [&str; 10] = ["of", "the", "and", "for", "on", "in", "a", "an", "to", "at"];
    // A sentence ("It’s ‘Showtime at the Apollo.’") is not a title.
    let sentence = quote
        .trim_end_matches(['’', '\'', ' '])
        .ends_with(['.', '!', '?']);
    let mut words = quote.split_whitespace().peekable();
    !sentence
        && words.peek().is_some()
        && words.all(|w| {
            w.starts_with(|c: char| c.is_uppercase() || !c.is_alphabetic()) || SMALL.contains(&w)
        })
}

/// (content byte range, opening mark's start, closing mark's end) of each pair of marks.
fn quotation_marks(text: &str) -> Vec<(Range<usize>, usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, usize, char)> = None;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        if let Some((start, mark_at, _)) = open {
            let paragraph_end = c == '\n' && bytes.get(end) == Some(&b'\n');
            if paragraph_end || end - start > MAX_QUOTE_BYTES {
                // Left open at a paragraph's end: the quotation ends there.
                out.push((start..i, mark_at, i));
                open = None;
                continue;
            }
        }
        match (c, open) {
            // A straight mark also closes a curly one (mixed marks).
            ('“', Some((start, mark_at, '„')))
            | ('”', Some((start, mark_at, _)))
            | ('»', Some((start, mark_at, '«')))
            | ('"', Some((start, mark_at, '“' | '"'))) => {
                out.push((start..i, mark_at, end));
                open = None;
            }
            ('“' | '„' | '«' | '"', None) => open = Some((end, i, c)),
            _ => {}
        }
    }
    if let Some((start, mark_at, _)) = open {
        out.push((start..text.len(), mark_at, text.len()));
    }
    out
}

/// The words of a quotation: without spaces at the edges or the comma or full stop before
/// the closing mark. `None` if it holds no letter.
fn trim_content(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let inner = &text[range.clone()];
    let start = range.start + (inner.len() - inner.trim_start().len());
    let trimmed = inner
        .trim_end()
        .trim_end_matches([',', '.', ';', ':', '\u{a0}'])
        .trim_end();
    let end = range.start + trimmed.len();
    (start < end && text[start..end].chars().any(char::is_alphabetic)).then_some(start..end)
}

/// The attribution cue around one quotation, most trusted first.
fn attribution(text: &str, open_at: usize, close_end: usize) -> Option<Speaker> {
    // A quotation that ends its own sentence (`….”`) is not followed by its cue: what
    // comes next is another sentence ("…the better.” The Buckeye State is one of 45 …").
    let closed_sentence = text[..close_end]
        .trim_end_matches(['”', '"', '»', '“', ' '])
        .ends_with('.');
    let after = if closed_sentence {
        ""
    } else {
        sentence_after(text, close_end)
    };
    let before = sentence_before(text, open_at);
    let captured = |re: &Regex, s: &str| re.captures(s).map(|c| c["who"].to_owned());
    // "said X, a fellow at …": the name comes first.
    let leading = [
        captured(&AFTER_CUE_FIRST, after),
        captured(&ACCORDING_TO, after),
    ];
    // "X said", "White House press secretary Josh Earnest told": the name is last.
    let trailing = [
        captured(&AFTER_WHO_APPOSITION, after),
        captured(&AFTER_WHO_FIRST, after).filter(|w| w.split_whitespace().count() <= 8),
        captured(&BEFORE, before),
        captured(&SENTENCE_END, after),
        captured(&ACCORDING_TO, before),
    ];
    leading[..1]
        .iter()
        .flatten()
        .find_map(|who| parse_who(who, false))
        .or_else(|| {
            trailing
                .iter()
                .flatten()
                .find_map(|who| parse_who(who, true))
        })
        .or_else(|| {
            leading[1..]
                .iter()
                .flatten()
                .find_map(|who| parse_who(who, false))
        })
        .or_else(|| captured(&LATER_CUE_FIRST, after).and_then(|who| parse_apposition(&who)))
        .or_else(|| {
            // Anywhere earlier in the sentence, across earlier quotations.
            let sentence = sentence_start(text, open_at);
            cue_speaker(sentence).or_else(|| {
                SUBJECT_BEFORE_CUE
                    .captures_iter(sentence)
                    .filter_map(|c| subject(&c))
                    .last()
            })
        })
}

/// The speaker a [`SUBJECT`] match names: "Sen. Rand Paul (of Kentucky)", but "(Secretary
/// of State) Mike Pompeo" when the words before "of" are a title only.
fn subject(c: &regex::Captures<'_>) -> Option<Speaker> {
    let who = parse_who(&c["who"], true)?;
    // "the country’s affairs and (warned)": a coordinated clause, not a subject.
    if let Speaker::Description(d) = &who
        && d.split_whitespace().any(|w| STOP_WORDS.contains(&w))
    {
        return None;
    }
    let title_only = who
        .text()
        .split_whitespace()
        .all(|w| TITLE_WORDS.contains(&w));
    match c.name("place") {
        Some(place) if title_only => parse_who(place.as_str(), true),
        _ => Some(who),
    }
}

/// The whole sentence up to `at`, earlier quotations included.
fn sentence_start(text: &str, at: usize) -> &str {
    let from = ceil(text, at.saturating_sub(2 * WINDOW_BYTES));
    let window = &text[from..at];
    let start = window
        .char_indices()
        .rev()
        .find(|&(i, c)| c == '\n' || (matches!(c, '.' | '!' | '?') && ends_sentence(window, i)))
        .map_or(0, |(i, c)| i + c.len_utf8());
    &window[start..]
}

/// The rest of the sentence after `at` (up to a full stop, a paragraph end, or an opening
/// quotation mark), at most [`WINDOW_BYTES`].
fn sentence_after(text: &str, at: usize) -> &str {
    let rest = &text[at..floor(text, at + WINDOW_BYTES)];
    let mut end = rest.len();
    for (i, c) in rest.char_indices() {
        if c == '\n' || c == '“' || c == '„' || c == '«' {
            end = i;
            break;
        }
        if matches!(c, '.' | '!' | '?') && ends_sentence(rest, i) || i + 1 == rest.len() && c == '.'
        {
            end = i + 1;
            break;
        }
    }
    &rest[..end]
}

/// The sentence before `at`, back to the previous full stop, line break or closing mark.
fn sentence_before(text: &str, at: usize) -> &str {
    let from = ceil(text, at.saturating_sub(WINDOW_BYTES));
    let window = &text[from..at];
    let start = window
        .char_indices()
        .rev()
        .find(|&(i, c)| {
            c == '\n' || c == '”' || (matches!(c, '.' | '!' | '?') && ends_sentence(window, i))
        })
        .map_or(0, |(i, c)| i + c.len_utf8());
    &window[start..]
}

/// Names right before a verb ("Yet *Sondland* has already amended …", "State Department
/// official *David Holmes* revealed …"), with where they start: the people a later "he" or
/// "she" most likely is. A scan of the words, linear in the text.
fn names_before_verbs(text: &str) -> Vec<(usize, &str)> {
    // Words without the marks that open them ("“Yet", "(Sondland").
    let words: Vec<(usize, &str)> = text
        .split_ascii_whitespace()
        .map(|w| {
            let bare = w.trim_start_matches(['“', '"', '(', '‘', '—']);
            (bare.as_ptr() as usize - text.as_ptr() as usize, bare)
        })
        .collect();
    let capital = |w: &str| w.starts_with(|c: char| c.is_ascii_uppercase());
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if !capital(words[i].1) {
            i += 1;
            continue;
        }
        // A run of up to five capitalised words, not across punctuation but an
        // abbreviation's full stop ("Mr.") or the comma before an apposition.
        let mut j = i;
        let mut apposition = false;
        while j < words.len() && j - i < 5 && capital(words[j].1) {
            let word = words[j].1;
            j += 1;
            let abbreviation = word.ends_with('.') && word.len() <= 5;
            if word.ends_with(',') {
                apposition = true;
                break;
            }
            if word.ends_with(|c: char| !c.is_alphanumeric()) && !abbreviation {
                // The run ends in punctuation: no verb right after it; the next word may
                // start another name.
                break;
            }
        }
        let run_end = j;
        let punctuated = words[j - 1].1.ends_with(|c: char| !c.is_alphanumeric())
            && !apposition
            && !(words[j - 1].1.ends_with('.') && words[j - 1].1.len() <= 5);
        if punctuated {
            i = j;
            continue;
        }
        if apposition {
            // "Morrison, Vindman's superior, said": the verb after the apposition.
            j = (j..words.len().min(j + 15))
                .find(|&k| words[k].1.ends_with(','))
                .map_or(words.len(), |k| k + 1);
        }
        if j >= words.len() {
            // No verb follows (the text, or what an apposition seemed to be, ended).
            i = run_end;
            continue;
        }
        let next = words[j].1.trim_end_matches(|c: char| !c.is_alphabetic());
        if next.starts_with(|c: char| c.is_lowercase()) && verb_like(next) {
            let (start, last) = (words[i].0, words[run_end - 1]);
            let who = text[start..last.0 + last.1.len()].trim_end_matches(',');
            out.push((start, who));
            i = j + 1;
        } else {
            // Not a subject: go on after the run (what an apposition seemed to hold may
            // name someone).
            i = run_end;
        }
    }
    out
}

/// The last of `named` (sorted by place) named before `at`.
fn named_before(named: &Named, at: usize) -> Option<&str> {
    let i = named.partition_point(|(place, _)| *place < at);
    i.checked_sub(1).map(|i| named[i].1.as_str())
}

/// Names with where the text gives them (byte offsets).
type Named = Vec<(usize, String)>;

/// Who "he" or "she" (people) and "they" or "it" (groups too) may be, with where the text
/// names them: names with a speech verb, and names before a verb.
fn antecedents(text: &str) -> (Named, Named) {
    let named_cues = named_cues(text);
    // People named before a verb, for "he" and "she": a single word only where the text
    // gave it as part of a longer name before (not "Apple" or "Iran").
    let subjects: Vec<(usize, String, bool)> = names_before_verbs(text)
        .into_iter()
        .filter_map(|(at, who)| {
            let name = match parse_who(who, true)? {
                Speaker::Name(n) if !PRONOUNS.contains(&n.as_str()) => n,
                _ => return None,
            };
            let name = full_name(text, &name, at);
            let person = name.contains(' ');
            Some((at, name, person))
        })
        .collect();
    // For "they" and "it", organisations and groups too ("Big Machine have …").
    let mut people: Named = named_cues.clone();
    let mut groups: Named = named_cues;
    for (at, name, person) in subjects {
        if person {
            people.push((at, name.clone()));
        }
        groups.push((at, name));
    }
    people.sort_by_key(|(at, _)| *at);
    groups.sort_by_key(|(at, _)| *at);
    (people, groups)
}

/// Turns pronouns, definite descriptions and surnames into the speaker they refer to, and
/// gives an unattributed quote right after another one that quote's speaker.
fn resolve(text: &str, found: Vec<Pending>) -> Vec<FoundQuote> {
    let (people, groups) = antecedents(text);
    let mut out: Vec<FoundQuote> = Vec::with_capacity(found.len());
    let mut descriptions: Vec<String> = Vec::new();
    let mut previous_end: Option<usize> = None;
    let mut previous_speaker: Option<Speaker> = None;
    for Pending {
        bytes,
        cue,
        open_at,
        close_end,
        directness,
        keep,
    } in found
    {
        let direct = directness == Directness::Direct;
        let speaker = match cue {
            Some(Speaker::Name(n)) if n == "he" || n == "she" => named_before(&people, open_at)
                .map(|name| Speaker::Name(full_name(text, name, open_at))),
            Some(Speaker::Name(n)) if PRONOUNS.contains(&n.as_str()) => {
                named_before(&groups, open_at)
                    .map(|name| Speaker::Name(full_name(text, name, open_at)))
            }
            Some(Speaker::Name(n)) => Some(Speaker::Name(full_name(text, &n, open_at))),
            Some(Speaker::Description(d)) => {
                let last = d
                    .split_whitespace()
                    .last()
                    .unwrap_or_default()
                    .to_lowercase();
                let earlier = d
                    .to_lowercase()
                    .starts_with("the ")
                    .then(|| {
                        descriptions.iter().rev().take(50).find(|e| {
                            e.split_whitespace()
                                .last()
                                .unwrap_or_default()
                                .to_lowercase()
                                == last
                        })
                    })
                    .flatten()
                    .cloned();
                let description = earlier.unwrap_or(d);
                descriptions.push(description.clone());
                Some(Speaker::Description(description))
            }
            None if !direct => None,
            None => previous_end
                .filter(|&end| {
                    // Right after another quotation: in the same paragraph, or opening the
                    // next one (a speaker's words going on).
                    let between = &text[end.min(open_at)..open_at];
                    let opens_paragraph = text[..open_at].ends_with('\n');
                    between.len() < WINDOW_BYTES
                        && (!between.contains("\n\n") || opens_paragraph)
                        && between.matches("\n\n").count() <= 1
                })
                .and_then(|_| previous_speaker.clone()),
        };
        if direct {
            previous_end = Some(close_end);
            previous_speaker.clone_from(&speaker);
        }
        if keep {
            out.push(FoundQuote {
                bytes,
                speaker,
                directness,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quotes(text: &str) -> Vec<(&str, Option<String>)> {
        find_quotes(text)
            .into_iter()
            .filter(|q| q.directness == Directness::Direct)
            .map(|q| (&text[q.bytes], q.speaker.map(|s| s.text().to_owned())))
            .collect()
    }

    #[test]
    fn cues_after_before_and_at_the_end_of_the_sentence() {
        let text = "“We will not back down,” said Jane Doe. \
“The talks failed again,” the senior official said. \
Mr. Roe said: “This is only the start of it.” \
“Nothing was agreed there,” he added.\n\n\
The “interoperable” systems matter for the region, Doe said.";
        assert_eq!(
            quotes(text),
            [
                ("We will not back down", Some("Jane Doe".to_owned())),
                (
                    "The talks failed again",
                    Some("the senior official".to_owned())
                ),
                ("This is only the start of it", Some("Mr. Roe".to_owned())),
                ("Nothing was agreed there", Some("Mr. Roe".to_owned())),
                // Short, but its sentence says who: suggested.
                ("interoperable", Some("Jane Doe".to_owned())),
            ]
        );
    }

    #[test]
    fn short_quotes_need_a_speaker_and_titles_are_not_quotes() {
        let text = "The “hub” idea is old.\n\n\
Trump slammed the hearings as a “disgrace.”\n\n\
He said on “Meet the Press” that the talks were over.\n\n\
“That's correct,” Volker said.";
        assert_eq!(
            quotes(text),
            [
                ("disgrace", Some("Trump".to_owned())),
                ("That's correct", Some("Volker".to_owned())),
            ]
        );
    }

    #[test]
    fn roles_titles_and_appositions_around_names() {
        let text = "“We will see,” former presidential candidate Herman Cain said.\n\n\
“It is over,” said MSNBC host Chris Matthews.\n\n\
“Not again,” said the Rev. Al Sharpton.\n\n\
“It makes for better theater,” John Williams, the president of the Federal Reserve Bank of New York, said in a speech.\n\n\
Secretary of State Mike Pompeo said the release “gives us hope for the talks.”\n\n\
Sondland was known for telling others “he was in charge of Ukraine” despite his post, said another witness, former White House Russia adviser Fiona Hill.";
        let speakers: Vec<Option<String>> = quotes(text).into_iter().map(|(_, s)| s).collect();
        assert_eq!(
            speakers,
            [
                "Herman Cain",
                "Chris Matthews",
                "Al Sharpton",
                "John Williams",
                "Mike Pompeo",
                "Fiona Hill"
            ]
            .map(|s| Some(s.to_owned()))
        );
    }

    #[test]
    fn a_comma_after_a_place_does_not_hide_the_next_name() {
        let text = "From the deck of his schooner at the Terminal in Seattle, skipper Wade Bassi has better insight than most into what is happening at the Whole Foods Market, at least.\n\n\
“When you look at nice halibut, it is pure white,” he said.";
        assert_eq!(
            quotes(text),
            [(
                "When you look at nice halibut, it is pure white",
                Some("Wade Bassi".to_owned())
            )]
        );
    }

    #[test]
    fn pronouns_go_to_the_person_just_named_and_mixed_marks_close() {
        let text = "Kurt Volker testified on Tuesday. Juan Zarate also questioned the plan.\n\n\
“It will not work,” he said.\n\n\
“When all the evidence is in,\" Figgins said, \"you will see it.”\n\n\
Ohio passed the law. The governor agreed, saying, “The fewer guns, the better.” The Buckeye State is one of 45 states that agree.";
        assert_eq!(
            quotes(text),
            [
                ("It will not work", Some("Juan Zarate".to_owned())),
                ("When all the evidence is in", Some("Figgins".to_owned())),
                ("you will see it", Some("Figgins".to_owned())),
                (
                    "The fewer guns, the better",
                    Some("The governor".to_owned())
                ),
            ]
        );
    }

    #[test]
    fn straight_german_and_guillemet_marks_and_open_paragraphs() {
        let text = "He said \"this is a straight one\" today.\n\n„Das ist ein Zitat hier“, sagte sie.\n\n«C'est une citation longue», dit-il.\n\n“An open quotation running on\nover a line break\n\n“and the next paragraph goes on,” said Kim.";
        let found: Vec<&str> = quotes(text).into_iter().map(|(q, _)| q).collect();
        assert_eq!(
            found,
            [
                "this is a straight one",
                "Das ist ein Zitat hier",
                "C'est une citation longue",
                "An open quotation running on\nover a line break",
                "and the next paragraph goes on",
            ]
        );
    }

    #[test]
    fn descriptions_stop_before_what_follows_and_refer_back() {
        let text = "“It is a hub-and-spoke model,” said an unidentified senior Defense Department official accompanying Hagel on his trip. \
“That makes sense for now,” the unnamed Pentagon official said. “But the key is to integrate it.”";
        let speakers: Vec<Option<String>> = quotes(text).into_iter().map(|(_, s)| s).collect();
        let official = Some("an unidentified senior Defense Department official".to_owned());
        assert_eq!(speakers, [official.clone(), official.clone(), official]);
    }
}
