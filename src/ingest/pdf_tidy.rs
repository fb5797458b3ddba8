//! Clean-up of a PDF's page texts into an article's text: running headers and footers and
//! page numbers left out (lines at a page's top or bottom that recur on other pages, digits
//! aside, or that are only a page number), lines of a paragraph joined, words hyphenated at
//! a line's end joined, and a paragraph cut by a page break made whole again. Pure text
//! work, independent of the PDF parser.

use std::collections::HashMap;

/// How many lines at each end of a page may be running headers or footers.
const EDGE_LINES: usize = 4;
/// Lines longer than this are text, not a header.
const MAX_HEADER_CHARS: usize = 160;

/// The pages' lines without their running headers, footers and page numbers.
pub fn drop_running_lines(pages: Vec<Vec<String>>) -> Vec<Vec<String>> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for lines in &pages {
        let mut keys: Vec<String> = edge_lines(lines).map(|i| key(&lines[i])).collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            *seen.entry(k).or_default() += 1;
        }
    }
    let count = pages.len();
    let repeated = |line: &str| {
        count >= 3
            && line.chars().count() <= MAX_HEADER_CHARS
            && seen.get(&key(line)).is_some_and(|&n| n >= 3)
    };
    let running = |line: &str| (count >= 2 && is_page_number(line)) || repeated(line);
    // Boilerplate on half the pages or more (a print shop's footer) goes wherever the
    // parser put it on a page, and so do pieces of it cut at a line's end.
    let frequent: Vec<&String> = seen
        .iter()
        .filter(|(k, n)| **n >= 3 && **n * 2 >= count && k.chars().count() >= 15)
        .map(|(k, _)| k)
        .collect();
    let boilerplate = |line: &str| {
        let k = key(line);
        k.chars().count() >= 15 && frequent.iter().any(|f| f.contains(k.as_str()))
    };
    pages
        .into_iter()
        .map(|mut lines| {
            let edges: Vec<usize> = edge_lines(&lines).collect();
            let mut index = 0;
            lines.retain(|line| {
                let keep = !(boilerplate(line) || edges.contains(&index) && running(line));
                index += 1;
                keep
            });
            while lines.last().is_some_and(|l| l.trim().is_empty()) {
                lines.pop();
            }
            lines
        })
        .collect()
}

/// The indices of the first and last few non-empty lines of a page (where running headers
/// and footers are; a stray line may sit between them and the page's edge).
fn edge_lines(lines: &[String]) -> impl Iterator<Item = usize> + '_ {
    let filled: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].trim().is_empty())
        .collect();
    let head: Vec<usize> = filled.iter().copied().take(EDGE_LINES).collect();
    let tail: Vec<usize> = filled.iter().rev().copied().take(EDGE_LINES).collect();
    head.into_iter().chain(tail)
}

/// A line as compared across pages: lower case, each run of digits as one `#`, white
/// space collapsed, a number at either end left out (the page number, on the left of even
/// pages and the right of odd ones).
fn key(line: &str) -> String {
    let k = digit_key(line);
    let k = k.strip_prefix("# ").unwrap_or(&k);
    k.strip_suffix(" #").unwrap_or(k).to_owned()
}

fn digit_key(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_digits = false;
    for c in line.trim().chars() {
        if c.is_ascii_digit() {
            if !in_digits {
                out.push('#');
            }
            in_digits = true;
            continue;
        }
        in_digits = false;
        if c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// True for a line that is only a page number: "12", "- 12 -", "Page 3 of 10", "Seite 4",
/// "iv", "3/10".
fn is_page_number(line: &str) -> bool {
    let words: Vec<String> = line
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '–' | '—' | '/' | '|' | '.'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let number = |w: &str| {
        w.chars().all(|c| c.is_ascii_digit()) && w.len() <= 5
            || (w.len() <= 6 && w.chars().all(|c| "ivxlc".contains(c)))
    };
    match words.as_slice() {
        [n] => number(n),
        [a, b] if number(a) && number(b) => true,
        [word, n] => {
            matches!(
                word.as_str(),
                "page" | "p" | "seite" | "s" | "pagina" | "página"
            ) && number(n)
        }
        [word, n, of, m] => {
            matches!(word.as_str(), "page" | "seite" | "p")
                && number(n)
                && matches!(of.as_str(), "of" | "von" | "de" | "sur")
                && number(m)
        }
        [n, of, m] => number(n) && matches!(of.as_str(), "of" | "von") && number(m),
        _ => false,
    }
}

/// The article's text from the pages' lines, with where each page starts (code points).
pub fn join_pages(pages: &[Vec<String>]) -> (String, Vec<usize>) {
    let mut text = String::new();
    let mut chars = 0usize;
    let mut starts: Vec<Option<usize>> = Vec::with_capacity(pages.len());
    for lines in pages {
        let paragraphs = paragraphs(lines);
        let mut first = true;
        for paragraph in paragraphs {
            let joiner = if text.is_empty() {
                ""
            } else if first && continues(&text, &paragraph) {
                // A paragraph cut by the page break.
                if text.ends_with('-') && starts_lower(&paragraph) && !is_conjunction(&paragraph) {
                    text.pop();
                    chars -= 1;
                    ""
                } else {
                    " "
                }
            } else {
                "\n\n"
            };
            text.push_str(joiner);
            chars += joiner.len();
            if first {
                starts.push(Some(chars));
                first = false;
            }
            chars += paragraph.chars().count();
            text.push_str(&paragraph);
        }
        if first {
            starts.push(None);
        }
    }
    // A page without text starts where the next text does (the end, after the last).
    let mut next = chars;
    let mut filled: Vec<usize> = starts
        .iter()
        .rev()
        .map(|start| {
            next = start.unwrap_or(next);
            next
        })
        .collect();
    filled.reverse();
    (text, filled)
}

/// The paragraphs of a page: blank lines separate them; the lines of one are joined with a
/// space where the text runs on (a hyphenated word joined), and keep their break where a
/// line looks complete in itself (a list, a table, a heading).
fn paragraphs(lines: &[String]) -> Vec<String> {
    let full = full_line(lines);
    let mut out = Vec::new();
    let mut current = String::new();
    for line in lines {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                out.push(dehyphenate_inline(&std::mem::take(&mut current)));
            }
            continue;
        }
        if current.is_empty() {
            current.push_str(line);
        } else if current.ends_with('-')
            && !current.ends_with(" -")
            && starts_lower(line)
            && !is_conjunction(line)
        {
            current.pop();
            current.push_str(line);
        } else if runs_on(&current, line, full) {
            current.push(' ');
            current.push_str(line);
        } else {
            current.push('\n');
            current.push_str(line);
        }
    }
    if !current.is_empty() {
        out.push(dehyphenate_inline(&current));
    }
    out
}

/// How long a line of the page's running text is (in characters): three quarters of the
/// length that a tenth of its lines reach. Columns make lines short; this is relative.
fn full_line(lines: &[String]) -> usize {
    let mut lengths: Vec<usize> = lines
        .iter()
        .map(|l| l.trim().chars().count())
        .filter(|&n| n > 0)
        .collect();
    lengths.sort_unstable();
    let long = lengths
        .get(lengths.len().saturating_sub(1 + lengths.len() / 10))
        .copied()
        .unwrap_or(0);
    (long * 3 / 4).max(20)
}

/// True if `next` continues the line that `text` ends with (a line as long as the page's
/// running text that does not end a sentence, or a next line that starts in lower case).
fn runs_on(text: &str, next: &str, full: usize) -> bool {
    let last_line = text.rsplit('\n').next().unwrap_or(text);
    starts_lower(next)
        || last_line.ends_with(',')
        || (last_line.chars().count() >= full && !ends_sentence(last_line))
}

/// True if the page's first paragraph `next` continues the text before the page break.
fn continues(text: &str, next: &str) -> bool {
    !ends_sentence(text) && (starts_lower(next) || text.ends_with([',', '-']))
}

fn ends_sentence(text: &str) -> bool {
    text.trim_end()
        .ends_with(['.', '!', '?', ':', ';', '"', '”', '’', '»', ')', '。', '؟'])
}

fn starts_lower(text: &str) -> bool {
    text.chars().next().is_some_and(char::is_lowercase)
}

/// True if `text` starts with a conjunction, as after a hyphen that stands for a word's
/// shared part ("pre- and post-war", "Ein- und Ausgabe").
fn is_conjunction(text: &str) -> bool {
    let word: String = text.chars().take_while(|c| c.is_alphabetic()).collect();
    matches!(
        word.as_str(),
        "and" | "or" | "nor" | "und" | "oder" | "bzw" | "sowie" | "et" | "ou" | "y" | "o"
    )
}

/// Words hyphenated at a line's end that the parser already put on one line ("Vorausset-
/// zung") joined; a conjunction after the hyphen keeps it ("Ein- und Ausgabe").
fn dehyphenate_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("- ") {
        let (before, after) = rest.split_at(at);
        let after = &after[2..];
        out.push_str(before);
        let joins = before.chars().last().is_some_and(char::is_lowercase)
            && before.chars().rev().nth(1).is_some_and(char::is_alphabetic)
            && starts_lower(after)
            && !is_conjunction(after);
        if !joins {
            out.push_str("- ");
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_owned).collect()
    }

    #[test]
    fn running_headers_footers_and_page_numbers_go() {
        let pages = vec![
            lines("Federal Register / Vol. 85, No. 160\nFirst page text.\n\n50929"),
            lines("Federal Register / Vol. 85, No. 161\nSecond page text.\n\n50930"),
            lines("Federal Register / Vol. 85, No. 162\nThird page text.\nPage 3 of 3"),
        ];
        let kept = drop_running_lines(pages);
        assert_eq!(
            kept,
            vec![
                lines("First page text."),
                lines("Second page text."),
                lines("Third page text.")
            ]
        );
        // A single page keeps its lines; a line in the middle of a page is never taken.
        let one = vec![lines("12\nText")];
        assert_eq!(drop_running_lines(one.clone()), one);
    }

    #[test]
    fn page_numbers() {
        for line in [
            "12",
            "- 12 -",
            "Page 3 of 10",
            "Seite 4",
            "iv",
            "3/10",
            "17 / 20",
        ] {
            assert!(is_page_number(line), "{line}");
        }
        for line in ["1984 was a year", "Figure 2", "I", "Chapter 3"] {
            let n = is_page_number(line);
            assert!(!n || line == "I", "{line}");
        }
    }

    #[test]
    fn paragraphs_join_across_lines_and_pages() {
        let pages = vec![
            lines("Title\n\nThe minis-\nter said that the\nplan would"),
            lines("work, and that pre-\nand post-war rules\ndiffer.\n\nNext one."),
            lines(""),
            lines("Vorausset- zung und Ein- und Ausgabe."),
        ];
        let (text, starts) = join_pages(&pages);
        assert_eq!(
            text,
            "Title\n\nThe minister said that the plan would work, and that pre- and post-war \
             rules differ.\n\nNext one.\n\nVoraussetzung und Ein- und Ausgabe."
        );
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(starts.len(), 4);
        assert_eq!(starts[0], 0);
        assert_eq!(
            chars[starts[1]..].iter().take(4).collect::<String>(),
            "work"
        );
        assert_eq!(
            chars[starts[3]..].iter().take(5).collect::<String>(),
            "Voran".replace('n', "u")
        );
        assert_eq!(
            starts[2], starts[3],
            "an empty page starts where the next text does"
        );
    }

    #[test]
    fn lists_and_headings_keep_their_lines() {
        let (text, _) = join_pages(&[lines("Contents\n1. One\n2. Two")]);
        assert_eq!(text, "Contents\n1. One\n2. Two");
    }
}
