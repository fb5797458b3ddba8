//! Quotations found by their quotation marks, with the speaker guessed from attribution
//! cues nearby. Offline and rule-based, so every guess can be explained.
//!
//! Marks: curly “…”, straight "…", German „…“ and guillemets «…»; single quotes are left
//! alone (they are apostrophes as often as not, and nest inside double ones). A quote may
//! run over line breaks; one left open at the end of a paragraph ends there (the news
//! convention for a quotation going on in the next paragraph). Quotes of fewer than three
//! words ("scare quotes" such as “interoperable”) are not suggested.
//!
//! Speakers, in order of trust: a cue right after the closing mark (`”, said X` / `” X
//! said`), a cue right before the opening mark (`X said: “`), a cue ending the sentence
//! (`…, X said.`), `according to X`; otherwise a quote right after another one in the same
//! paragraph continues its speaker. "he"/"she" is the person named in the latest cue; "the
//! official" is the latest description with the same last word ("an unidentified senior
//! Defense Department official"); a surname alone is the full name the text gave earlier.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

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
const WINDOW_BYTES: usize = 240;

/// Words that may sit between a cue and its speaker or quote ("told *reporters*", "said
/// *Monday*").
const CUE_OBJECT: &str = r"(?:\s+(?:reporters|journalists|Reuters|today|yesterday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))?";
/// Words that may stand between a speaker and the cue ("Obama *has* admitted").
const AUX: &str = r"(?:has|had|have|also|later|then|once)\s+";
const CUE: &str = "said|says|say|told|tells|added|adds|asked|asks|stated|states|explained|explains|noted|notes|wrote|writes|argued|argues|insisted|insists|warned|warns|continued|continues|recalled|recalls|declared|declares|replied|replies|acknowledged|acknowledges|claimed|claims|remarked|remarks|promised|promises|announced|announces|vowed|vows|pledged|pledges|predicted|predicts|admitted|admits|conceded|concedes|cautioned|cautions|stressed|stresses|emphasized|emphasizes|emphasised|emphasises|maintained|maintains|testified|testifies|instructed|instructs|urged|urges|responded|responds|answered|answers|concluded|concludes|joked|jokes|quipped|quips|tweeted|tweets|posted|posts|called|calls";

static AFTER_CUE_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^[\s,]*(?:{CUE}){CUE_OBJECT}\s*[,:]?\s+(?P<who>.+)$"
    ))
    .expect("regex")
});
static AFTER_WHO_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^[\s,]*(?P<who>[^,;:!?]{{1,90}}?)\s+(?:{AUX})?(?:{CUE})\b"
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
const SUBJECT: &str = r#"(?P<who>(?:(?:[A-Z][\p{L}'’\-]*\.?|[A-Z]\.)\s+){0,3}[A-Z][\p{L}'’\-]+|\b[Hh]e|\b[Ss]he|\b[Tt]hey)(?:,[^,“”"]{1,80},|\s+(?:of|from)\s+(?:the\s+)?[A-Z][\p{L}'’\-]+(?:\s+[A-Z][\p{L}'’\-]+)*)?\s+(?:(?:has|had|have|also|later|then|once)\s+)?"#;
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
    LazyLock::new(|| Regex::new(r"according to (?P<who>[^,.;:!?]{1,90})").expect("regex"));
/// Named cues anywhere in the text, for "he said": `Cronin said`, `said Cronin`,
/// `according to Cronin`.
static NAMED_CUE: LazyLock<Regex> = LazyLock::new(|| {
    let name = r"(?:[A-Z][\p{L}'’\-]+(?:\s+[A-Z][\p{L}'’.\-]+){0,3})";
    Regex::new(&format!(
        r"{SUBJECT}(?:{CUE})\b|\b(?:{CUE}|according to)\s+(?P<b>{name})"
    ))
    .expect("regex")
});

const PRONOUNS: [&str; 4] = ["he", "she", "they", "it"];
const ARTICLES: [&str; 5] = ["a", "an", "the", "one", "another"];
/// Words that end a description ("an official *who* …", "… official *accompanying* …").
const STOP_WORDS: [&str; 23] = [
    "who", "which", "that", "in", "on", "at", "with", "by", "for", "from", "to", "during", "after",
    "before", "when", "while", "as", "and", "but", "said", "says", "told", "added",
];

/// Every quotation of `text`, in order, with its guessed speaker.
pub fn find_quotes(text: &str) -> Vec<FoundQuote> {
    let mut found = Vec::new();
    for (content, open_at, close_end) in quotation_marks(text) {
        let Some(bytes) = trim_content(text, content) else {
            continue;
        };
        let cue = attribution(text, open_at, close_end);
        found.push((bytes, cue, open_at, close_end));
    }
    // Short quotations take part in resolving ("“I’m not,” he said. “It’s …”") but are
    // not suggested.
    resolve(text, found)
        .into_iter()
        .filter(|q| text[q.bytes.clone()].split_whitespace().count() >= 3)
        .collect()
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
            ('“', Some((start, mark_at, '„')))
            | ('”', Some((start, mark_at, _)))
            | ('»', Some((start, mark_at, '«')))
            | ('"', Some((start, mark_at, '"'))) => {
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
    let after = sentence_after(text, close_end);
    let before = sentence_before(text, open_at);
    let captured = |re: &Regex, s: &str| re.captures(s).map(|c| c["who"].to_owned());
    // "said X, a fellow at …": the name comes first.
    let leading = [
        captured(&AFTER_CUE_FIRST, after),
        captured(&ACCORDING_TO, after),
    ];
    // "X said", "White House press secretary Josh Earnest told": the name is last.
    let trailing = [
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
        .or_else(|| {
            // Anywhere earlier in the sentence, across earlier quotations.
            SUBJECT_BEFORE_CUE
                .captures_iter(sentence_start(text, open_at))
                .last()
                .and_then(|c| parse_who(&c["who"], true))
        })
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

/// True if the full stop (or ! ?) at byte `i` of `s` ends a sentence: a space follows and it
/// does not close an initial or a short abbreviation ("C.", "Mr.", "Dr.", "U.S.").
fn ends_sentence(s: &str, i: usize) -> bool {
    if !s[i + 1..].starts_with([' ', '\n']) {
        return false;
    }
    if s.as_bytes()[i] != b'.' {
        return true;
    }
    let word = s[..i].rsplit([' ', '\n', '(']).next().unwrap_or_default();
    !keeps_full_stop(word)
}

/// True if a full stop after `word` belongs to it: an initial ("C"), letters with dots
/// ("U.S"), or a title ("Mr", "Dr", "Sen").
fn keeps_full_stop(word: &str) -> bool {
    const TITLES: [&str; 17] = [
        "Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "Sen", "Rep", "Gov", "Gen", "Col", "Lt", "Sgt",
        "Prof", "Mt", "Ft",
    ];
    let mut letters = word.chars().filter(|c| c.is_alphabetic());
    let initial = letters.next().is_some_and(char::is_uppercase) && letters.next().is_none();
    let dotted = word.contains('.') && word.chars().all(|c| c == '.' || c.is_uppercase());
    initial || dotted || TITLES.contains(&word)
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

fn floor(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// Capitalised words that start a sentence but never a name.
const NOT_NAMES: [&str; 22] = [
    "There", "This", "That", "These", "Those", "It", "In", "On", "At", "But", "And", "However",
    "When", "While", "If", "As", "After", "Before", "So", "Yet", "Still", "Then",
];

/// A pronoun (kept as `Name("he")` for [`resolve`]), a proper name, or a description. With
/// `last`, a phrase holding several names gives the last one ("White House press secretary
/// Josh Earnest" → "Josh Earnest").
fn parse_who(who: &str, last: bool) -> Option<Speaker> {
    let words: Vec<&str> = who
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '"' | '”' | '“')))
        // A full stop ends a sentence after a word, but belongs to an initial or a short
        // abbreviation ("C.", "Mr.").
        .map(|w| match w.strip_suffix('.') {
            Some(bare) if !keeps_full_stop(bare) => bare,
            _ => w,
        })
        .filter(|w| !w.is_empty())
        .collect();
    let first = *words.first()?;
    let lower = first.to_lowercase();
    if PRONOUNS.contains(&lower.as_str()) && words.len() == 1 {
        return Some(Speaker::Name(lower));
    }
    if ARTICLES.contains(&lower.as_str()) {
        let mut taken = vec![first];
        for (i, w) in words.iter().enumerate().skip(1) {
            let w_lower = w.to_lowercase();
            let participle = w_lower.ends_with("ing") || w_lower.ends_with("ed");
            if STOP_WORDS.contains(&w_lower.as_str()) || (i >= 2 && participle) {
                break;
            }
            taken.push(w);
        }
        return (taken.len() >= 2).then(|| Speaker::Description(taken.join(" ")));
    }
    if first.starts_with(char::is_uppercase) && !NOT_NAMES.contains(&first) {
        let particles = [
            "de", "da", "van", "von", "bin", "al", "le", "la", "der", "del",
        ];
        let mut runs: Vec<Vec<&str>> = vec![Vec::new()];
        for w in &words {
            let capital = w.starts_with(char::is_uppercase);
            let current = runs.last_mut().expect("one run");
            if capital || (!current.is_empty() && particles.contains(w)) {
                current.push(w);
            } else if !current.is_empty() {
                if !last {
                    break;
                }
                runs.push(Vec::new());
            }
        }
        let run = runs.iter().rev().find(|r| !r.is_empty())?;
        let run = if last { run } else { runs.first()? };
        let name = run.join(" ");
        return (!name.is_empty()).then_some(Speaker::Name(name));
    }
    None
}

/// Turns pronouns, definite descriptions and surnames into the speaker they refer to, and
/// gives an unattributed quote right after another one that quote's speaker.
fn resolve(
    text: &str,
    found: Vec<(Range<usize>, Option<Speaker>, usize, usize)>,
) -> Vec<FoundQuote> {
    let named_cues: Vec<(usize, String)> = NAMED_CUE
        .captures_iter(text)
        .filter_map(|c| {
            let m = c.name("who").or_else(|| c.name("b"))?;
            let name = match parse_who(m.as_str(), true)? {
                Speaker::Name(n) if !PRONOUNS.contains(&n.as_str()) => n,
                _ => return None,
            };
            Some((m.start(), name))
        })
        .collect();
    let mut out: Vec<FoundQuote> = Vec::with_capacity(found.len());
    let mut descriptions: Vec<String> = Vec::new();
    let mut previous_end: Option<usize> = None;
    for (bytes, cue, open_at, close_end) in found {
        let speaker = match cue {
            Some(Speaker::Name(n)) if PRONOUNS.contains(&n.as_str()) => named_cues
                .iter()
                .rev()
                .find(|(at, _)| *at < open_at)
                .map(|(_, name)| Speaker::Name(full_name(text, name, open_at))),
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
                        descriptions.iter().rev().find(|e| {
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
                .and_then(|_| out.last().and_then(|q| q.speaker.clone())),
        };
        previous_end = Some(close_end);
        out.push(FoundQuote {
            bytes,
            speaker,
            directness: Directness::Direct,
        });
    }
    out
}

/// "Cronin" → "Patrick Cronin" when the text before named him in full.
fn full_name(text: &str, name: &str, before: usize) -> String {
    if name.contains(' ') {
        return name.to_owned();
    }
    // Capitalised words (or short abbreviations such as "Mr.") on the same line.
    let pattern = format!(
        r"(?:(?:[A-Z][\p{{L}}'’\-]+|[A-Z][a-z]{{0,2}}\.)[ \t]+){{1,3}}{}\b",
        regex::escape(name)
    );
    Regex::new(&pattern)
        .ok()
        // Within the last few thousand characters: linear however long the document.
        .and_then(|re| {
            let from = ceil(text, before.saturating_sub(20 * WINDOW_BYTES));
            re.find(&text[from..before]).map(|m| m.as_str().to_owned())
        })
        .filter(|full| {
            !full
                .split_whitespace()
                .any(|w| ARTICLES.contains(&w.to_lowercase().as_str()))
        })
        .unwrap_or_else(|| name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quotes(text: &str) -> Vec<(&str, Option<String>)> {
        find_quotes(text)
            .into_iter()
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
