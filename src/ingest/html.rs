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

/// The article's title, byline and text. Errors are the extractor's reason.
pub fn extract(html: &str) -> Result<Extracted, String> {
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
            byline: non_empty(article.byline),
            date: non_empty(article.published_time),
            site_name: non_empty(article.site_name),
            url: non_empty(article.url),
            language: non_empty(article.lang),
        },
    })
}

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
    fn tidy_collapses_blank_lines() {
        assert_eq!(tidy("\n\n a  \n\n\n\nb\nc  \n\n"), " a\n\nb\nc");
    }
}
