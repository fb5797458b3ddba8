//! Reported speech: what someone is said to have said without quotation marks around it
//! all, the clause of "X said (that) …", "…, X said.", "according to X, …", "X told Y
//! (that) …", "X warned/claimed/denied (that) …" and "…, saying (that) …". The span is the
//! reported content, not the cue; the speaker is named as the quotation finder names
//! them, and resolved the same way (pronouns, surnames, descriptions).
//!
//! Rules, offline: every finding points at its cue. A clause that is mostly a quotation in
//! marks is left to the quotation finder.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::quotes::Speaker;
use super::speakers::{ARTICLES, PRONOUNS, STOP_WORDS, ends_sentence, parse_who};

/// Reported speech found in one sentence, before its speaker is resolved.
pub(super) struct Reported {
    /// The reported content's bytes.
    pub bytes: Range<usize>,
    /// The speaker as the sentence names them.
    pub speaker: Option<Speaker>,
    /// A pronoun speaker refers to someone named before this (the clause's start).
    pub speaker_before: usize,
}

/// Verbs that report speech, in the forms news writing uses.
const VERBS: &str = "said|says|say|told|tells|added|adds|joked|commented|pointed out|alleging|claiming|arguing|insisting|warning|argued|argues|claimed|insisted|insists|warned|warns|noted|stated|explained|acknowledged|admitted|conceded|announced|reported|testified|alleged|alleges|asserted|contended|contends|asserts|maintained|maintains|stressed|emphasized|emphasised|reiterated|suggested|predicted|confirmed|denied|denies|cautioned|complained|wrote|writes|tweeted|recalled|revealed|disclosed|assured|informed";
/// Verbs that report speech only with "that" or a clause opening with a pronoun after them
/// ("revealed *one of those interactions*" is not reported speech).
const STRICT_VERBS: [&str; 27] = [
    "announced",
    "reported",
    "confirmed",
    "denied",
    "denies",
    "revealed",
    "disclosed",
    "recalled",
    "wrote",
    "writes",
    "tweeted",
    "complained",
    "assured",
    "informed",
    "cautioned",
    "maintained",
    "maintains",
    "added",
    "joked",
    "claimed",
    "alleging",
    "claiming",
    "arguing",
    "insisting",
    "warning",
    "commented",
    "pointed out",
];
/// Verbs that take a clause without "that" ("said farmers faced …") as well as a noun
/// ("suggested a plan"): the clause must hold a verb.
const CLAUSE_VERBS: [&str; 17] = [
    "said",
    "says",
    "say",
    "told",
    "tells",
    "argued",
    "argues",
    "insisted",
    "insists",
    "warned",
    "warns",
    "contended",
    "contends",
    "asserted",
    "testified",
    "adds",
    "stated",
];
/// Words a reported clause opens with after a cue without "that".
const CLAUSE_OPENERS: [&str; 30] = [
    "the", "a", "an", "his", "her", "its", "their", "our", "my", "your", "this", "these", "those",
    "some", "many", "most", "no", "all", "every", "each", "it", "he", "she", "they", "we", "i",
    "you", "there", "more", "any",
];
/// Words opening a subordinate clause: a cue after them is not the sentence's own.
const SUBORDINATORS: [&str; 14] = [
    "when", "while", "if", "as", "although", "though", "because", "since", "after", "before",
    "unless", "until", "whether", "once",
];
/// Words that may follow a cue ending the sentence ("…, Cook said *while visiting* …").
const TAIL_OPENERS: [&str; 22] = [
    "in",
    "on",
    "at",
    "during",
    "after",
    "before",
    "while",
    "when",
    "last",
    "this",
    "earlier",
    "later",
    "today",
    "yesterday",
    "tonight",
    "recently",
    "to",
    "of",
    "about",
    "from",
    "with",
    "through",
];
/// Verbs that need an object before the content ("told *reporters* …").
const OBJECT_VERBS: [&str; 5] = ["told", "tells", "assured", "informed", "telling"];
/// Participles that report the speech of the sentence's subject (", saying …").
const PARTICIPLES: &str =
    "saying|adding|arguing|warning|noting|insisting|claiming|telling|stressing|explaining";

/// Any cue at all: sentences without one are not read further.
static ANY_CUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"\b(?:{VERBS}|{PARTICIPLES}|[Aa]ccording to)\b")).expect("regex")
});
static CUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:(?:has|had|have|also|later|then|once|previously|repeatedly|further|again|allegedly|reportedly|recently|publicly|privately)\s+)?(?P<verb>{VERBS})\b"
    ))
    .expect("regex")
});
/// `…, X said.`, `…, X told reporters on Monday.`: the cue ends the sentence.
static CUE_AT_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?P<content>.+?),[”\x22’]?\s*(?P<who>[^,“”\x22]{{1,90}}?)\s+(?:(?:has|had|also|later|then|allegedly)\s+)?(?:{VERBS})(?P<tail>\s+[^,“”\x22]{{0,90}})?[.!?]*$"
    ))
    .expect("regex")
});
/// `…, said Arroyo, a physician.`: the cue, then the speaker, ends the sentence.
static INVERTED_AT_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<content>.+?),[”\x22’]?\s*(?:said|says|added|wrote|according to)\s+(?P<who>[^“”\x22]{2,150})$")
        .expect("regex")
});
/// `Many of the prisons, she said, are aging …`: the cue inside the sentence.
static CUE_INSIDE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?P<pre>.+?),\s*(?P<who>[^,“”]{{1,60}}?)\s+(?:{VERBS}),\s*(?P<post>.+)$"
    ))
    .expect("regex")
});
static ACCORDING_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[^,]{0,40}?\s)?[Aa]ccording to (?P<who>[^,]{2,90}),\s*(?P<content>.+)$")
        .expect("regex")
});
static PARTICIPLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r",\s*(?P<verb>{PARTICIPLES})\b")).expect("regex"));
/// The object of "told": a pronoun, a name, or a short noun phrase.
static OBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s+(?:him|her|them|us|me|[a-z]+s\b|(?:the|a|an|his|her|their)\s+[\p{L}\-]+(?:\s+[\p{L}\-]+)?|[A-Z][\p{L}.’'\-]*(?:\s+(?:[A-Z][\p{L}.’'\-]*|of))*)")
        .expect("regex")
});
/// Words and phrases between a cue and "that" ("said *in a statement emailed to NBC News*
/// that …").
static THEN_THAT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^[^“”"]{0,100}?\bthat\s+"#).expect("regex"));

/// Words after which a cue word is not a verb of this sentence ("an *added* benefit", "to
/// *say*", "was *reported*").
const NOT_BEFORE_VERB: [&str; 16] = [
    "a",
    "an",
    "the",
    "to",
    "his",
    "her",
    "their",
    "its",
    "was",
    "were",
    "is",
    "are",
    "be",
    "been",
    "being",
    "so-called",
];
/// Words that cannot open the reported clause ("said *in* a statement", "told *to* …").
const NOT_CLAUSE_START: [&str; 16] = [
    "in", "on", "at", "to", "for", "with", "by", "during", "after", "before", "from", "about",
    "of", "as", "so", "earlier",
];

/// The reported speech of `text`, sentence by sentence; `quoted` are the byte ranges of
/// the quotations in marks (a clause mostly inside them is not reported speech).
pub(super) fn find_reported(text: &str, quoted: &[Range<usize>]) -> Vec<Reported> {
    let mut out = Vec::new();
    for sentence in sentences(text) {
        if !ANY_CUE.is_match(&text[sentence.clone()]) {
            continue;
        }
        let mut from = sentence.start;
        // "China said it is committed …, while the police … say they show restraint": the
        // rest of a sentence may report another speaker.
        for round in 0..3 {
            let s = &text[from..sentence.end];
            let found = if round == 0 {
                in_sentence(s)
            } else {
                cue_first(s).or_else(|| participle(s))
            };
            let Some((content, speaker)) = found else {
                break;
            };
            let bytes = from + content.start..from + content.end;
            if words(&text[bytes.clone()]) >= 3 && !quotation(&bytes, quoted) {
                out.push(Reported {
                    speaker_before: bytes.start,
                    bytes: bytes.clone(),
                    speaker,
                });
            }
            if words(&text[bytes.end..sentence.end]) < 5 {
                break;
            }
            from = bytes.end;
        }
    }
    out
}

/// The reported content (bytes of `s`) and the speaker of one sentence, trying the cue
/// forms from the most to the least explicit.
fn in_sentence(s: &str) -> Option<(Range<usize>, Option<Speaker>)> {
    let span = |m: regex::Match<'_>| trimmed(s, m.start()..m.end());
    // Cheap tests first: the patterns with captures are only tried where they can match.
    let cues: Vec<regex::Match<'_>> = CUE.find_iter(s).collect();
    let cue_near_end = cues
        .last()
        .is_some_and(|m| s.len() - m.end() <= 120 && s[..m.start()].contains(','));
    let cue_then_comma = cues.iter().any(|m| s[m.end()..].starts_with(','));
    let according = s.contains("ccording to");
    let inverted = [" said ", " says ", " added ", " wrote "]
        .iter()
        .any(|c| s.contains(c))
        || according;
    if according && let Some(c) = ACCORDING_FIRST.captures(s) {
        let who = &c["who"];
        let speaker = speaker_phrase(who).or_else(|| parse_who(who, false));
        return Some((span(c.name("content")?), speaker));
    }
    if inverted && let Some(c) = INVERTED_AT_END.captures(s) {
        let who = c["who"].trim_end_matches(['.', '!', '?']);
        let first = who
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_lowercase();
        // "…, said he thought …" is a cue with its clause, not a speaker at the end.
        if !PRONOUNS.contains(&first.as_str())
            && !NOT_CLAUSE_START.contains(&first.as_str())
            && !who.contains(" that ")
            && words(who) <= 15
        {
            return Some((span(c.name("content")?), speaker_phrase(who)));
        }
    }
    if cue_near_end
        && let Some(c) = CUE_AT_END.captures(s)
        && !starts_with_any(&c["who"], &["and", "but", "or", "so"])
        && let Some(speaker) = speaker_phrase(&c["who"])
        && c.name("tail").is_none_or(|t| short_tail(t.as_str()))
    {
        return Some((span(c.name("content")?), Some(speaker)));
    }
    if cue_then_comma
        && let Some(c) = CUE_INSIDE.captures(s)
        && let Some(speaker) = speaker_phrase(&c["who"])
    {
        let pre = c.name("pre")?;
        // "Many of the prisons, she said, are aging": the clause goes on after the cue.
        let content = if words(pre.as_str()) < 5 {
            trimmed(s, 0..s.len())
        } else {
            span(pre)
        };
        return Some((content, Some(speaker)));
    }
    cue_first(s).or_else(|| participle(s))
}

/// "X said (that) …", "X told Y (that) …": the first cue with a subject before it.
fn cue_first(s: &str) -> Option<(Range<usize>, Option<Speaker>)> {
    for c in CUE.captures_iter(s) {
        let (whole, verb) = (c.get(0)?, c.name("verb")?);
        let before = &s[..whole.start()];
        let previous = before.split_whitespace().last().unwrap_or_default();
        // `“…,” said X` and `“…,” he said` are a quotation's cues.
        let last_part = before.rsplit(',').next().unwrap_or_default().trim_start();
        let after_quote = before.trim_end().ends_with(['”', '"'])
            || (last_part.starts_with(['”', '"']) && words(last_part) <= 4);
        // "the number who said they had used it rose": a relative clause, not the sentence's.
        if matches!(previous, "who" | "which" | "that") {
            continue;
        }
        let progressive = verb.as_str().ends_with("ing")
            && matches!(previous, "is" | "are" | "was" | "were" | "been");
        if previous.is_empty()
            || after_quote
            || (NOT_BEFORE_VERB.contains(&previous.to_lowercase().as_str()) && !progressive)
        {
            continue;
        }
        let before = if progressive {
            before.trim_end().rsplit_once(' ').map_or("", |(b, _)| b)
        } else {
            before
        };
        let Some(speaker) = speaker_phrase(before).or_else(|| coordinated_subject(before)) else {
            continue;
        };
        let verb = verb.as_str();
        let Some(start) = clause_start(
            s,
            whole.end(),
            OBJECT_VERBS.contains(&verb),
            STRICT_VERBS.contains(&verb),
            CLAUSE_VERBS.contains(&verb),
        ) else {
            continue;
        };
        return Some((cut(s, start..s.len()), Some(speaker)));
    }
    None
}

/// ", saying (that) …": the speaker is the sentence's subject.
fn participle(s: &str) -> Option<(Range<usize>, Option<Speaker>)> {
    let c = PARTICIPLE.captures(s)?;
    let verb = c.name("verb")?;
    let start = clause_start(s, verb.end(), verb.as_str() == "telling", false, false)?;
    Some((
        cut(s, start..s.len()),
        main_subject(&s[..c.get(0)?.start()]),
    ))
}

/// The subject of a sentence's main verb (its first past tense or auxiliary): "Wild coach
/// Bruce Boudreau" in "Hours before …, Wild coach Bruce Boudreau expressed confidence".
fn main_subject(s: &str) -> Option<Speaker> {
    let verb = s
        .split_whitespace()
        .skip(1)
        .find(|w| past_or_auxiliary(w))?;
    let at = s.find(&format!(" {verb}"))?;
    speaker_phrase(&s[..at])
}

/// "She didn’t give a date, but said …": the subject of the sentence's first verb when the
/// cue is coordinated with it.
fn coordinated_subject(before: &str) -> Option<Speaker> {
    let before = before.trim_end();
    let coordinated =
        before.ends_with(" and") || before.ends_with(" but") || before.ends_with(",but");
    coordinated.then(|| main_subject(before)).flatten()
}

/// The speaker of the last cue in `s` (the sentence before a quotation): "China’s
/// ambassador to Britain accused … and warned that", "Reed has said that".
pub(super) fn cue_speaker(s: &str) -> Option<Speaker> {
    let c = CUE.captures_iter(s).last()?;
    let before = &s[..c.get(0)?.start()];
    let last_part = before.rsplit(',').next().unwrap_or_default().trim_start();
    if before.trim_end().ends_with(['”', '"']) || last_part.starts_with(['”', '"']) {
        return None;
    }
    speaker_phrase(before).or_else(|| coordinated_subject(before))
}

/// Where the reported clause starts after a cue ending at `at`: after its object (for
/// "told"), after "that", or right after the cue when a clause follows it.
fn clause_start(s: &str, at: usize, needs_object: bool, strict: bool, bare: bool) -> Option<usize> {
    let mut at = at;
    if needs_object {
        at += match OBJECT.find(&s[at..]) {
            Some(m) => m.end(),
            // "told visiting Ukraine officials they would …": the clause's pronoun ends it.
            None => s[at..]
                .split_inclusive(' ')
                .take(6)
                .scan(0, |len, w| {
                    *len += w.len();
                    Some((*len, w))
                })
                .find(|(_, w)| PRONOUNS.contains(&w.trim()))
                .map(|(len, w)| (len - w.len()).saturating_sub(1))?,
        };
    }
    let rest = &s[at..];
    if let Some(m) = THEN_THAT.find(rest) {
        let gap: Vec<&str> = m.as_str().split_whitespace().collect();
        let before_that = gap.len().checked_sub(2).map_or("", |i| gap[i]);
        // "said of that on-ramp" (a demonstrative), "said NASA is developing an order that"
        // (a clause of its own before the relative "that").
        let clause_between = gap
            .iter()
            .any(|w| past_or_auxiliary(w) && !w.ends_with("ed"));
        if !NOT_CLAUSE_START.contains(&before_that) && !clause_between && gap.len() <= 16 {
            return Some(at + m.end());
        }
    }
    let first = rest.split_whitespace().next()?;
    let opens_quote =
        first.starts_with(['“', '"', '‘', '\'']) || rest.trim_start().starts_with(':');
    // "he’s" opens a clause as "he" does.
    let word = first
        .split(['’', '\''])
        .next()
        .unwrap_or_default()
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    let pronoun =
        PRONOUNS.contains(&word.as_str()) || matches!(word.as_str(), "we" | "i" | "there");
    let opener = pronoun
        || (!strict
            && (CLAUSE_OPENERS.contains(&word.as_str())
                || (first.starts_with(char::is_uppercase) && !NOT_CLAUSE_START.contains(&word.as_str()))
                || first.starts_with(|c: char| c.is_ascii_digit())
                // "said farmers faced …": a bare noun, when a verb follows.
                || (bare && !NOT_CLAUSE_START.contains(&word.as_str()) && !word.ends_with("ly"))));
    let holds_verb = rest.split_whitespace().take(14).any(past_or_auxiliary)
        || pronoun
        || first.starts_with(char::is_uppercase);
    let clause = rest.starts_with(' ') && !opens_quote && opener && holds_verb;
    clause.then(|| at + (rest.len() - rest.trim_start().len()))
}

/// A past tense, a negated or an auxiliary verb: enough to tell a clause from a noun
/// phrase ("farmers *faced*", "the admiration *is* mutual").
fn past_or_auxiliary(word: &str) -> bool {
    const WORDS: [&str; 62] = [
        "is",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
        "will",
        "would",
        "could",
        "can",
        "should",
        "may",
        "might",
        "must",
        "did",
        "does",
        "do",
        "said",
        "told",
        "gave",
        "made",
        "took",
        "went",
        "came",
        "saw",
        "knew",
        "thought",
        "found",
        "got",
        "held",
        "kept",
        "left",
        "met",
        "paid",
        "put",
        "ran",
        "sent",
        "set",
        "spoke",
        "stood",
        "wrote",
        "led",
        "won",
        "lost",
        "began",
        "became",
        "brought",
        "bought",
        "built",
        "chose",
        "fell",
        "felt",
        "grew",
        "heard",
        "meant",
        "rose",
        "sold",
        "struck",
        "taught",
        "threw",
        "understood",
    ];
    let word = word.trim_matches(|c: char| !c.is_alphanumeric());
    WORDS.contains(&word)
        || (word.ends_with("ed") && word.len() > 3)
        || word.ends_with("n’t")
        || word.ends_with("n't")
}

fn starts_with_any(phrase: &str, words: &[&str]) -> bool {
    phrase
        .split_whitespace()
        .next()
        .is_some_and(|w| words.contains(&w.to_lowercase().as_str()))
}

/// True for what may follow a cue that ends a sentence: a time, a place, a manner or the
/// one spoken to ("…, Cook said *while visiting* …", "…, Cook told *Benioff*").
fn short_tail(tail: &str) -> bool {
    let first = tail.split_whitespace().next().unwrap_or_default();
    words(tail) <= 12
        && (TAIL_OPENERS.contains(&first.to_lowercase().as_str())
            || first.starts_with(char::is_uppercase)
            || matches!(
                first,
                "reporters" | "lawmakers" | "journalists" | "investigators"
            ))
}

/// The speaker a phrase before a cue names: a pronoun, a name (after a subordinate clause
/// or before an apposition: "Omar Lamrani, a senior analyst at Stratfor, told"), or a
/// description ("Middle East observers", "people familiar with the matter").
fn speaker_phrase(phrase: &str) -> Option<Speaker> {
    let parts: Vec<&str> = phrase
        .split([',', ';'])
        .map(str::trim)
        .filter(|p| !p.trim_matches(|c: char| !c.is_alphanumeric()).is_empty())
        .collect();
    let (last, earlier) = parts.split_last()?;
    let last = subject_of_clause(last);
    let parsed = described(last);
    let apposition =
        !matches!(&parsed, Some(Speaker::Name(_))) || last.starts_with(|c: char| c.is_lowercase());
    if apposition {
        // "Zippy Duvall, the president of …, said", "Cmdr. Sean Robertson, a spokesperson
        // for …, the U.S. military operation …, told": a name alone before appositions.
        let name = earlier.iter().rev().take(3).find_map(|part| {
            let words: Vec<&str> = part.split_whitespace().collect();
            let alone = words.len() <= 5 && words.iter().all(|w| w.starts_with(char::is_uppercase));
            match parse_who(part, true) {
                Some(name @ Speaker::Name(_)) if alone => Some(name),
                _ => None,
            }
        });
        if name.is_some() {
            return name;
        }
    }
    parsed
}

/// The subject in the words before a cue: before a relative clause ("A spokesperson *who
/// did not wish to be named*"), after a subordinating word ("… meeting *when* Sondland").
fn subject_of_clause(phrase: &str) -> &str {
    let words: Vec<(usize, &str)> = phrase
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - phrase.as_ptr() as usize, w))
        .collect();
    if let Some(i) = words
        .iter()
        .skip(1)
        .position(|(_, w)| matches!(*w, "who" | "which" | "whom"))
        .map(|i| i + 1)
    {
        // "…, in which he (said)": the subject follows the relative word.
        if NOT_CLAUSE_START.contains(&words[i - 1].1) {
            return words.get(i + 1).map_or("", |&(at, _)| &phrase[at..]);
        }
        return phrase[..words[i].0].trim_end();
    }
    match words
        .iter()
        .rposition(|(_, w)| SUBORDINATORS.contains(&w.to_lowercase().as_str()))
    {
        Some(i) if i + 1 < words.len() && i > 0 => &phrase[words[i + 1].0..],
        _ => phrase,
    }
}

/// A pronoun, a name or a description of at most ten words ending in a noun.
fn described(part: &str) -> Option<Speaker> {
    let part = strip_time(part);
    let part = part
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim_end_matches(|c: char| !c.is_alphanumeric());
    let mut words: Vec<&str> = part.split_whitespace().collect();
    // "But Arroyo", "and both analysts": a conjunction is not the subject.
    if matches!(
        words.first().map(|w| w.to_lowercase()).as_deref(),
        Some("but" | "and" | "so" | "yet" | "still" | "however")
    ) {
        words.remove(0);
    }
    let first = words.first()?.to_lowercase();
    let last = *words.last()?;
    if SUBORDINATORS.contains(&first.as_str()) || STOP_WORDS.contains(&last.to_lowercase().as_str())
    {
        return None;
    }
    let joined = words.join(" ");
    // "…, saying he": the pronoun is the subject.
    let last_lower = last.to_lowercase();
    if words.len() > 1 && matches!(last_lower.as_str(), "he" | "she" | "they") {
        return Some(Speaker::Name(last_lower));
    }
    if words.len() > 10 {
        // Long: only a description that ends where its noun phrase does ("The authors of
        // the research (published in the journal …)").
        return parse_who(&joined, true).filter(|s| matches!(s, Speaker::Description(_)));
    }
    if PRONOUNS.contains(&first.as_str()) && words.len() == 1 {
        return Some(Speaker::Name(first));
    }
    match parse_who(&joined, true) {
        Some(Speaker::Name(name)) if last.starts_with(char::is_uppercase) => {
            Some(Speaker::Name(name))
        }
        Some(d @ Speaker::Description(_)) => Some(d),
        // "Middle East observers", "Executives across the world", "prosecutors".
        _ if !ARTICLES.contains(&first.as_str()) => Some(Speaker::Description(joined)),
        _ => None,
    }
}

/// A subject without the time after it: "Alden *on Tuesday*", "Reed *last week*".
fn strip_time(phrase: &str) -> &str {
    const TIMES: [&str; 25] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "week",
        "month",
        "year",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Jan.",
        "Nov.",
        "Oct.",
    ];
    let words: Vec<&str> = phrase.split_whitespace().collect();
    let cut = words.windows(2).position(|w| {
        matches!(w[0], "on" | "last" | "this" | "earlier" | "in") && TIMES.contains(&w[1])
    });
    match cut {
        Some(i) if i > 0 => {
            let at = phrase
                .find(&format!("{} {}", words[i], words[i + 1]))
                .unwrap_or(phrase.len());
            &phrase[..at]
        }
        _ => phrase,
    }
}

/// `range` of `s` without spaces, the final full stop and dangling marks at its edges.
fn trimmed(s: &str, range: Range<usize>) -> Range<usize> {
    let inner = &s[range.clone()];
    let start = range.start + (inner.len() - inner.trim_start().len());
    let end = range.start
        + inner
            .trim_end()
            .trim_end_matches(['.', '!', '?', ',', ';', ':', '”', '"', '’'])
            .trim_end()
            .len();
    start..end.max(start)
}

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

/// True if `bytes` opens with a quotation in marks that covers most of it: a quotation's
/// cue (`X said: “…”`), not reported speech (`X said the claim is “absolutely not true”`).
fn quotation(bytes: &Range<usize>, quoted: &[Range<usize>]) -> bool {
    // `quoted` is in text order: only those that start before `bytes` ends can overlap,
    // and of those only the last few (quotations do not nest).
    let until = quoted.partition_point(|q| q.start < bytes.end);
    let near = &quoted[until.saturating_sub(16)..until];
    let inside: usize = near
        .iter()
        .map(|q| {
            q.end
                .min(bytes.end)
                .saturating_sub(q.start.max(bytes.start))
        })
        .sum();
    let opens = near
        .iter()
        .any(|q| q.start <= bytes.start + 4 && bytes.start < q.end);
    opens && inside * 10 >= bytes.len() * 5
}

/// The reported clause after a cue without what follows it in the sentence: a quotation
/// introduced by its own punctuation (`… and added, “…”`) or a clause of the writer's
/// (`…, but the Chinese have been reluctant`, `…, as he deflected attacks`).
fn cut(s: &str, content: Range<usize>) -> Range<usize> {
    let inner = &s[content.clone()];
    let end = CUT
        .captures_iter(inner)
        .find(|c| {
            // "…, but he did worry …": the same speaker goes on.
            c.name("next")
                .is_none_or(|w| !PRONOUNS.contains(&w.as_str()) && w.as_str() != "I")
        })
        .map_or(inner.len(), |c| c.get(0).map_or(inner.len(), |m| m.start()));
    let kept = TRAILING_CUE.replace(&inner[..end], "");
    trimmed(s, content.start..content.start + kept.len())
}

static CUT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"[,:]\s*[“"]|;|,[”"’]?\s+(?:but|as|while)\s+(?P<next>\w+)"#).expect("regex")
});
static TRAILING_CUE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"\s+(?:and\s+)?(?:{VERBS})\s*$")).expect("regex"));

/// The sentences of `text` as byte ranges: within a line, ending after a full stop (or ! ?)
/// that ends a sentence, closing quotation marks after it included.
fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let mut start = 0;
        let mut chars = body.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if !matches!(c, '.' | '!' | '?') {
                continue;
            }
            let mut end = i + c.len_utf8();
            while let Some(&(j, mark)) = chars.peek() {
                if matches!(mark, '”' | '"' | '’' | '\'' | ')') {
                    end = j + mark.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            let at_end = end >= body.len();
            let spaced = body[end..].starts_with(' ');
            if at_end || (spaced && (end > i + 1 || ends_sentence(body, i))) {
                out.push(line_start + start..line_start + end);
                start = end;
            }
        }
        if start < body.len() && !body[start..].trim().is_empty() {
            out.push(line_start + start..line_start + body.len());
        }
        line_start += line.len();
    }
    out.into_iter()
        .map(|r| {
            let s = &text[r.clone()];
            let lead = s.len() - s.trim_start().len();
            r.start + lead..r.end
        })
        .filter(|r| !r.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reported(text: &str) -> Vec<(&str, Option<String>)> {
        find_reported(text, &[])
            .into_iter()
            .map(|r| (&text[r.bytes], r.speaker.map(|s| s.text().to_owned())))
            .collect()
    }

    #[test]
    fn the_clause_not_the_cue_with_its_speaker() {
        let text = "Volker said he had no knowledge of any such efforts. \
Selling a product is difficult, but altering behavior is harder, Hege said. \
According to the Pentagon, the base serves as an outpost in the fight. \
Charles Simpson, a program administrator at Tufts, told Polygraph.info the allegations are false. \
The agency said in a statement emailed to NBC News that it never gave vaccines. \
Many of the prisons, she said, are aging and need repairs. \
The US welcomed the exchange, saying the hostages had suffered from their ordeal.";
        assert_eq!(
            reported(text),
            [
                (
                    "he had no knowledge of any such efforts",
                    Some("Volker".to_owned())
                ),
                (
                    "Selling a product is difficult, but altering behavior is harder",
                    Some("Hege".to_owned())
                ),
                (
                    "the base serves as an outpost in the fight",
                    Some("the Pentagon".to_owned())
                ),
                (
                    "the allegations are false",
                    Some("Charles Simpson".to_owned())
                ),
                ("it never gave vaccines", Some("The agency".to_owned())),
                (
                    "Many of the prisons, she said, are aging and need repairs",
                    Some("she".to_owned())
                ),
                (
                    "the hostages had suffered from their ordeal",
                    Some("The US".to_owned())
                ),
            ]
        );
    }

    #[test]
    fn quotations_titles_and_other_uses_of_the_verbs_are_not_reported_speech() {
        let text = "“We will not back down,” said Jane Doe. \
She said: “This is only the start.” \
The reported figures were higher than expected last year. \
He wanted to say something else in the meeting. \
He said in a statement.";
        let quoted: Vec<Range<usize>> = text
            .match_indices('“')
            .zip(text.match_indices('”'))
            .map(|((a, _), (b, _))| a + '“'.len_utf8()..b)
            .collect();
        let found: Vec<&str> = find_reported(text, &quoted)
            .into_iter()
            .map(|r| &text[r.bytes])
            .collect();
        assert!(found.is_empty(), "{found:?}");
    }
}
