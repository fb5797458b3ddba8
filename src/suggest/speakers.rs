//! Names of speakers in news text: proper names with their titles and roles, pronouns,
//! descriptions ("an unidentified senior Defense Department official"), and the sentence
//! boundaries the cues around them are looked for within. Shared by the quotation finder
//! ([`super::quotes`]) and the reported-speech finder ([`super::reported`]).

use super::quotes::{Speaker, WINDOW_BYTES};

/// A proper name: up to five capitalised words, initials or short abbreviations.
pub(super) const NAME: &str =
    r"\b(?:(?:[A-Z][\p{L}'’\-]*|[A-Z][a-z]{0,3}\.)\s+){0,4}[A-Z][\p{L}'’\-]+";

pub(super) const PRONOUNS: [&str; 4] = ["he", "she", "they", "it"];

pub(super) const ARTICLES: [&str; 5] = ["a", "an", "the", "one", "another"];

/// Words that end a description ("an official *who* …", "… official *accompanying* …").
pub(super) const STOP_WORDS: [&str; 23] = [
    "who", "which", "that", "in", "on", "at", "with", "by", "for", "from", "to", "during", "after",
    "before", "when", "while", "as", "and", "but", "said", "says", "told", "added",
];

/// The speaker of "another witness in the probe, former adviser Fiona Hill": the first
/// name among the comma-separated parts, else the first description.
pub(super) fn parse_apposition(who: &str) -> Option<Speaker> {
    let mut description = None;
    for part in who.split(',').take(3) {
        match parse_who(part, false) {
            Some(Speaker::Name(name)) => return Some(Speaker::Name(name)),
            Some(d @ Speaker::Description(_)) if description.is_none() => description = Some(d),
            _ => {}
        }
    }
    description
}

/// True if the full stop (or ! ?) at byte `i` of `s` ends a sentence: a space follows and it
/// does not close an initial or a short abbreviation ("C.", "Mr.", "Dr.", "U.S.").
pub(super) fn ends_sentence(s: &str, i: usize) -> bool {
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
pub(super) fn keeps_full_stop(word: &str) -> bool {
    const TITLES: [&str; 39] = [
        "Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "Sen", "Rep", "Gov", "Gen", "Col", "Lt", "Sgt",
        "Prof", "Mt", "Ft", "Rev", "Cmdr", "Capt", "Maj", "Adm", "Cpl", "Pvt", "Brig", "Supt",
        "Insp", "Det", "Hon", "Atty", "Messrs", "Jan", "Feb", "Aug", "Sept", "Sep", "Oct", "Nov",
        "Dec",
    ];
    let mut letters = word.chars().filter(|c| c.is_alphabetic());
    let initial = letters.next().is_some_and(char::is_uppercase) && letters.next().is_none();
    let dotted = word.contains('.') && word.chars().all(|c| c == '.' || c.is_uppercase());
    initial || dotted || TITLES.contains(&word)
}

pub(super) fn floor(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

pub(super) fn ceil(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// Capitalised words that start a sentence but never a name.
pub(super) const NOT_NAMES: [&str; 50] = [
    "There", "This", "That", "These", "Those", "It", "In", "On", "At", "But", "And", "However",
    "When", "While", "If", "As", "After", "Before", "So", "Yet", "Still", "Then", "Although",
    "Though", "Because", "Since", "Unless", "Until", "Whether", "Where", "What", "Why", "How",
    "Who", "Which", "With", "Without", "For", "From", "By", "During", "Despite", "Once", "Now",
    "Here", "Today", "Even", "Also", "Last", "Next",
];

/// Capitalised words of a role or title before a name ("Afghan *President* Ashraf Ghani",
/// "*White House Press Secretary* Stephanie Grisham", "*Sen.* Ben Sasse"): the name is
/// what follows the last of them.
pub(super) const TITLE_WORDS: [&str; 62] = [
    "President",
    "Vice",
    "Prime",
    "Minister",
    "Secretary",
    "State",
    "Senator",
    "Sen.",
    "Rep.",
    "Representative",
    "Congressman",
    "Congresswoman",
    "Gov.",
    "Governor",
    "Ambassador",
    "General",
    "Gen.",
    "Lt.",
    "Col.",
    "Cmdr.",
    "Capt.",
    "Maj.",
    "Adm.",
    "Sgt.",
    "Chairman",
    "Chairwoman",
    "Chief",
    "CEO",
    "Director",
    "Spokesman",
    "Spokeswoman",
    "Spokesperson",
    "Attorney",
    "Judge",
    "Justice",
    "Speaker",
    "Mayor",
    "Commissioner",
    "Chancellor",
    "Pope",
    "Former",
    "Foreign",
    "Defense",
    "Defence",
    "Press",
    "House",
    "White",
    "Deputy",
    "Acting",
    "Leader",
    "Superintendent",
    "Coach",
    "Officer",
    "Executive",
    "Founder",
    "Professor",
    "Prof.",
    "Sheriff",
    "Rev.",
    "Reverend",
    "Lawmaker",
    "Counsel",
];

/// The name in a run of capitalised words, role titles before it left out; `None` if the
/// run is titles only ("White House").
pub(super) fn clean_name(run: &[&str]) -> Option<String> {
    let from = run
        .iter()
        .rposition(|w| TITLE_WORDS.contains(w))
        .map_or(0, |i| i + 1);
    (from < run.len()).then(|| run[from..].join(" "))
}

/// A pronoun (kept as `Name("he")` for [`resolve`]), a proper name, or a description. With
/// `last`, a phrase holding several names gives the last one ("White House press secretary
/// Josh Earnest" → "Josh Earnest"); without, the first one, after a role in lower case
/// ("former presidential candidate Herman Cain", "MSNBC host Chris Matthews").
pub(super) fn parse_who(who: &str, last: bool) -> Option<Speaker> {
    // The first name is before any apposition ("Mark Warner, a Virginia Democrat").
    let who = if last {
        who
    } else {
        who.split(',').next().unwrap_or_default()
    };
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
    let capital = |w: &&str| w.starts_with(char::is_uppercase);
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
        // "the Rev. Al Sharpton", "the president's lawyer Rudy Giuliani": a name after a
        // role or a title.
        let run_start = taken.iter().rposition(|w| !capital(w)).map_or(0, |i| i + 1);
        // "the president *of the* American Farm Bureau": an organisation, not a name.
        let after_role = run_start > 1 && !matches!(taken[run_start - 1], "of" | "the" | "at");
        if run_start < taken.len() && (run_start == 1 || after_role) {
            let run = &taken[run_start..];
            let titled = run.iter().any(|w| TITLE_WORDS.contains(w));
            if let Some(name) = clean_name(run)
                && (titled || run_start > 1)
            {
                return Some(Speaker::Name(name));
            }
        }
        return (taken.len() >= 2).then(|| Speaker::Description(taken.join(" ")));
    }
    if !capital(&first) {
        // A role in lower case, then the name: "former tech executive Carly Fiorina".
        let role = words.iter().take_while(|w| !capital(w)).count();
        let plain_role = role <= 4
            && words[..role]
                .iter()
                .all(|w| !STOP_WORDS.contains(&w.to_lowercase().as_str()));
        let rest = words[role..].join(" ");
        return match parse_who(&rest, false) {
            Some(name @ Speaker::Name(_)) if plain_role && role > 0 => Some(name),
            _ => None,
        };
    }
    if NOT_NAMES.contains(&first) {
        // "When Afghan President Ashraf Ghani …": the name after the conjunction.
        return match words.get(1) {
            Some(next) if capital(next) => parse_who(&words[1..].join(" "), last),
            _ => None,
        };
    }
    let particles = [
        "de", "da", "van", "von", "bin", "al", "le", "la", "der", "del",
    ];
    // Runs of capitalised words and the lower-case words between them.
    let mut runs: Vec<(Vec<&str>, Vec<&str>)> = vec![(Vec::new(), Vec::new())];
    for w in &words {
        let (run, gap) = runs.last_mut().expect("one run");
        if gap.is_empty() && (capital(w) || (!run.is_empty() && particles.contains(w))) {
            run.push(w);
        } else if capital(w) {
            runs.push((vec![w], Vec::new()));
        } else {
            gap.push(w);
        }
    }
    let chosen = if last {
        runs.iter().rev().find(|(r, _)| !r.is_empty())?
    } else {
        // "MSNBC host Chris Matthews": a short role between two runs belongs to the second.
        let (first_run, gap) = runs.first()?;
        let role = !gap.is_empty()
            && gap.len() <= 3
            && gap.iter().all(|w| {
                let w = w.to_lowercase();
                !STOP_WORDS.contains(&w.as_str())
                    && !ARTICLES.contains(&w.as_str())
                    && !matches!(w.as_str(), "of" | "into" | "near" | "outside")
                    && !w.ends_with("ly")
            });
        match runs.get(1) {
            Some(second) if role && !second.0.is_empty() => second,
            _ if first_run.is_empty() => return None,
            _ => runs.first()?,
        }
    };
    let name = clean_name(&chosen.0).unwrap_or_else(|| chosen.0.join(" "));
    // "CBP’s guidelines": a possessor is not the speaker.
    let possessive = name.ends_with("’s") || name.ends_with("'s");
    (!name.is_empty() && !possessive).then_some(Speaker::Name(name))
}

/// "Cronin" → "Patrick Cronin" when the text before named him in full.
pub(super) fn full_name(text: &str, name: &str, before: usize) -> String {
    if name.contains(' ') {
        return name.to_owned();
    }
    // Within the last few thousand characters: linear however long the document.
    let from = ceil(text, before.saturating_sub(20 * WINDOW_BYTES));
    let window = &text[from..before];
    for (at, _) in window.match_indices(name) {
        let end = at + name.len();
        if window[end..].starts_with(|c: char| c.is_alphanumeric()) {
            continue;
        }
        // Up to three capitalised words (or short abbreviations such as "Mr.") before it,
        // on the same line.
        let (mut start, mut words) = (at, 0);
        while words < 3 {
            let head = &window[..start];
            let spaced = head.trim_end_matches([' ', '\t']);
            if spaced.len() == head.len() {
                break;
            }
            let word_start = spaced
                .char_indices()
                .rev()
                .find(|(_, c)| c.is_whitespace())
                .map_or(0, |(i, c)| i + c.len_utf8());
            if !name_word(&spaced[word_start..]) {
                break;
            }
            start = word_start;
            words += 1;
        }
        if words > 0 {
            let full = &window[start..end];
            let with_article = full
                .split_whitespace()
                .any(|w| ARTICLES.contains(&w.to_lowercase().as_str()));
            return if with_article { name } else { full }.to_owned();
        }
    }
    name.to_owned()
}

/// A capitalised word of a name ("Patrick") or a short abbreviation ("Mr.", "J.").
fn name_word(word: &str) -> bool {
    let mut chars = word.chars();
    if !chars.next().is_some_and(|c| c.is_ascii_uppercase()) {
        return false;
    }
    let rest = chars.as_str();
    let abbreviation = rest
        .strip_suffix('.')
        .is_some_and(|r| r.len() <= 2 && r.chars().all(|c| c.is_ascii_lowercase()));
    let word_like = !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '\'' | '’' | '-'));
    abbreviation || word_like
}

/// True for a word that looks like the verb after a subject: a past tense, a present
/// third person, an auxiliary or an adverb ("has", "revealed", "says", "also").
pub(super) fn verb_like(word: &str) -> bool {
    const WORDS: [&str; 25] = [
        "has", "had", "have", "was", "were", "is", "are", "will", "would", "could", "can", "did",
        "does", "also", "later", "then", "first", "told", "said", "spoke", "wrote", "took", "gave",
        "made", "went",
    ];
    const NOUNS: [&str; 8] = [
        "officials",
        "officers",
        "aides",
        "analysts",
        "residents",
        "leaders",
        "lawmakers",
        "members",
    ];
    WORDS.contains(&word)
        || word.ends_with("n’t")
        || word.ends_with("n't")
        || word.ends_with("ed")
        || word.ends_with("ly")
        || (word.ends_with('s') && !word.ends_with("ss") && !NOUNS.contains(&word))
}
