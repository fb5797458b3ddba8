//! HTML main-text extraction with `dom_smoothie` (a port of Mozilla's Readability).
//!
//! `TextMode::Formatted` keeps block boundaries as line breaks; the raw mode runs blocks
//! together ("Kenya.His"). A new `Readability` per page, as the crate requires.

use dom_smoothie::{Config, Readability, TextMode};

use crate::model::Metadata;

pub struct Extracted {
    pub text: String,
    pub metadata: Metadata,
}

/// The deepest nesting of elements a page may have. Browsers build no deeper tree than 512
/// levels (Chromium's parser limit); real articles stay far below. The extractor walks the
/// tree recursively and in time growing with the square of the depth, so a deeper page is
/// refused before it is parsed (it overflowed the stack at 120,000 levels and took seconds
/// at 5,000).
pub const MAX_DEPTH: usize = 512;

/// The article's title, byline and text. Errors are the extractor's reason.
pub fn extract(html: &str) -> Result<Extracted, String> {
    let depth = nesting_depth(html, MAX_DEPTH);
    if depth > MAX_DEPTH {
        return Err(format!(
            "its elements are nested more than {MAX_DEPTH} deep, deeper than any browser shows"
        ));
    }
    let config = Config {
        text_mode: TextMode::Formatted,
        ..Config::default()
    };
    let mut readability = Readability::new(html, None, Some(config)).map_err(|e| e.to_string())?;
    let article = readability.parse().map_err(|e| e.to_string())?;
    let non_empty = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    Ok(Extracted {
        text: tidy(&article.text_content),
        metadata: Metadata {
            title: non_empty(Some(article.title)),
            byline: non_empty(article.byline).map(|byline| unglued_byline(html, byline)),
            date: non_empty(article.published_time),
            site_name: non_empty(article.site_name),
            url: non_empty(article.url),
            language: non_empty(article.lang),
            note: None,
        },
    })
}

/// The byline with its parts apart: the extractor joins the texts of a byline's elements
/// without a space (the AP's "…and ERIC TUCKER" and "Associated Press" in two `div`s came
/// out as `ERIC TUCKERAssociated Press`). Where a byline looks glued, its element is found
/// in the page again and its parts are joined with ", "; otherwise it is kept as it is.
fn unglued_byline(html: &str, byline: String) -> String {
    if !looks_glued(&byline) {
        return byline;
    }
    let squeezed = |s: &str| s.split_whitespace().collect::<String>();
    let wanted = squeezed(&byline);
    let document = dom_query::Document::from(html);
    let candidates =
        document.select("[class*=byline], [class*=author], [rel=author], [itemprop=author]");
    for node in candidates.nodes() {
        if squeezed(&node.text()) != wanted {
            continue;
        }
        let parts: Vec<String> = node
            .children()
            .into_iter()
            .filter(dom_query::NodeRef::is_element)
            .map(|child| {
                child
                    .text()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .filter(|part| !part.is_empty())
            .collect();
        if parts.len() >= 2 && squeezed(&parts.concat()) == wanted {
            return parts.join(", ");
        }
    }
    byline
}

/// True if a word of `text` runs on into another: a lower-case letter before a capital
/// (`TuckerAssociated`), or a capital word running into a capitalised one
/// (`TUCKERAssociated`).
fn looks_glued(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars
        .windows(2)
        .any(|w| w[0].is_lowercase() && w[1].is_uppercase())
        || chars
            .windows(3)
            .any(|w| w[0].is_uppercase() && w[1].is_uppercase() && w[2].is_lowercase())
}

/// How deep the elements of `html` nest, counted up to `stop` + 1 (the scan ends there):
/// start tags open a level and end tags close levels up to their element, as a parser would,
/// except for elements that cannot hold themselves or whose end tag may be left out (`p`,
/// `li`, table cells: a parser closes them implicitly, so they never build depth), void
/// elements and self-closing tags. Comments, doctypes and the text of `script`, `style`,
/// `textarea` and their kind are skipped.
fn nesting_depth(html: &str, stop: usize) -> usize {
    let bytes = html.as_bytes();
    let mut open: Vec<&[u8]> = Vec::new();
    let mut deepest = 0;
    let mut i = 0;
    while let Some(offset) = memchr::memchr(b'<', &bytes[i..]) {
        i += offset + 1;
        let rest = &bytes[i..];
        if rest.starts_with(b"!--") {
            i += memchr::memmem::find(rest, b"-->").map_or(rest.len(), |end| end + 3);
            continue;
        }
        if matches!(rest.first(), Some(b'!' | b'?')) {
            i += memchr::memchr(b'>', rest).map_or(rest.len(), |end| end + 1);
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = usize::from(closing);
        let name_len = rest[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-' || **b == b':')
            .count();
        if name_len == 0 {
            continue;
        }
        let name = &rest[name_start..name_start + name_len];
        let Some(tag_end) = memchr::memchr(b'>', rest) else {
            break;
        };
        let self_closing = tag_end > 0 && rest[tag_end - 1] == b'/';
        i += tag_end + 1;
        let lower = name.to_ascii_lowercase();
        if closing {
            if let Some(at) = open.iter().rposition(|n| n.eq_ignore_ascii_case(name)) {
                open.truncate(at);
            }
            continue;
        }
        if RAW_TEXT.contains(&lower.as_slice()) {
            // Its text runs to its end tag, whatever it looks like.
            let mut end = b"</".to_vec();
            end.extend_from_slice(&lower);
            let text = &bytes[i..];
            let found = text
                .windows(end.len())
                .position(|w| w.eq_ignore_ascii_case(&end));
            i += found.unwrap_or(text.len());
            continue;
        }
        if self_closing || VOID.contains(&lower.as_slice()) || FLAT.contains(&lower.as_slice()) {
            continue;
        }
        open.push(name);
        deepest = deepest.max(open.len());
        if deepest > stop {
            break;
        }
    }
    deepest
}

/// Elements with no content.
const VOID: [&[u8]; 14] = [
    b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta", b"param",
    b"source", b"track", b"wbr",
];

/// Elements a parser closes implicitly (their end tag may be left out).
const FLAT: [&[u8]; 16] = [
    b"p",
    b"li",
    b"dt",
    b"dd",
    b"tr",
    b"td",
    b"th",
    b"option",
    b"optgroup",
    b"tbody",
    b"thead",
    b"tfoot",
    b"colgroup",
    b"rb",
    b"rt",
    b"rp",
];

/// Elements whose content is text up to their end tag.
const RAW_TEXT: [&[u8]; 9] = [
    b"script",
    b"style",
    b"textarea",
    b"title",
    b"xmp",
    b"iframe",
    b"noembed",
    b"noframes",
    b"plaintext",
];

/// Trims trailing spaces on each line, collapses runs of blank lines to one, and trims the
/// whole text: what the analyst reads, without layout debris.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byline_whose_parts_ran_together_is_read_apart() {
        let page = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("projects/ap-sondland-testimony-preview.html"),
        )
        .expect("the AP page");
        let article = extract(&page).expect("extracted");
        assert_eq!(
            article.metadata.byline.as_deref(),
            Some("By LISA MASCARO, MARY CLARE JALONICK and ERIC TUCKER, Associated Press")
        );
        assert!(looks_glued("ERIC TUCKERAssociated Press"));
        assert!(looks_glued("Jane DoeReuters"));
        assert!(!looks_glued("By Dan Evon"));
        // A name with a capital inside stays as written when the page has it in one piece.
        let page = r#"<html><head><title>T</title></head><body><article>
            <p class="byline">By Ann McDonald</p><p>Body text of the article, long enough to
            be the article's text for the extractor, with several sentences. And more.</p>
            </article></body></html>"#;
        assert_eq!(
            unglued_byline(page, "By Ann McDonald".to_owned()),
            "By Ann McDonald"
        );
    }

    #[test]
    fn nesting_is_counted_as_a_parser_builds_it() {
        assert_eq!(
            nesting_depth("<html><body><div><p>a<p>b<p>c</div></body></html>", 99),
            3
        );
        let deep = format!("{}x{}", "<div>".repeat(600), "</div>".repeat(600));
        assert_eq!(
            nesting_depth(&deep, 512),
            513,
            "stops counting past the limit"
        );
        let unclosed = "<span><b><i>".repeat(50);
        assert_eq!(nesting_depth(&unclosed, 512), 150);
        // Lists of a thousand items, or paragraphs never closed, are flat.
        let items = format!("<ul>{}</ul>", "<li>item".repeat(1000));
        assert_eq!(nesting_depth(&items, 512), 1);
        // Tags inside scripts, comments and void elements do not count.
        let script = format!(
            "<script>{}</script><!-- {} --><br><img src=x>",
            "<div>".repeat(900),
            "<div>".repeat(900)
        );
        assert_eq!(nesting_depth(&script, 512), 0);
    }

    #[test]
    fn a_page_nested_beyond_what_browsers_show_is_refused_quickly() {
        let page = format!(
            "<html><body><p>Intro.</p>{}deep{}</body></html>",
            "<span>".repeat(120_000),
            "</span>".repeat(120_000)
        );
        let reason = extract(&page).map(|_| ()).expect_err("refused");
        assert!(reason.contains("nested more than 512 deep"), "{reason}");
        // At the limit, on a thread with the default (small) stack, as the window reads.
        let page = format!(
            "<html><body><article><p>A real paragraph of text that an extractor keeps, long enough to count as content for the readability scoring.</p>{}<p>deep text</p>{}</article></body></html>",
            "<div>".repeat(500),
            "</div>".repeat(500)
        );
        let text = std::thread::spawn(move || extract(&page).map(|e| e.text))
            .join()
            .expect("no stack overflow");
        assert!(text.is_ok(), "{text:?}");
    }

    #[test]
    fn tidy_collapses_blank_lines() {
        assert_eq!(tidy("\n\n a  \n\n\n\nb\nc  \n\n"), " a\n\nb\nc");
    }
}
