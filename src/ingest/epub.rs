//! EPUB (2 and 3) books: the content documents in spine order (those marked non-linear,
//! such as notes, after the others), each read as HTML (`dom_query`, so that HTML entities
//! and sloppy markup are read as a browser would) into blocks; title, author, date and
//! language from the package document. Text stays in logical order whatever the book's
//! page progression (right-to-left books included).

use dom_query::NodeRef;

use super::blocks::Blocks;
use super::office::Extracted;
use super::package::{inflate, open, parse_xml};
use crate::model::Metadata;

/// The text of an `.epub` file.
pub fn epub(bytes: &[u8]) -> Result<Extracted, String> {
    let mut archive = open(bytes, "EPUB (.epub)")?;
    let container = "META-INF/container.xml";
    if archive.index_for_name(container).is_none() {
        return Err(format!("not an EPUB file: the package has no {container}"));
    }
    let xml = inflate(&mut archive, container)?;
    let document = parse_xml(container, &xml)?;
    let opf_path = document
        .descendants()
        .find(|n| n.is_element() && n.tag_name().name() == "rootfile")
        .and_then(|n| n.attribute("full-path"))
        .ok_or_else(|| format!("{container} names no package document (<rootfile>)"))?
        .to_owned();
    let opf_xml = inflate(&mut archive, &opf_path)?;
    let opf = parse_xml(&opf_path, &opf_xml)?;
    let element = |name: &'static str| {
        opf.descendants()
            .filter(move |n| n.is_element() && n.tag_name().name() == name)
    };
    let all_texts = |name: &'static str| {
        element(name)
            .filter(|n| n.tag_name().namespace() == Some("http://purl.org/dc/elements/1.1/"))
            .filter_map(|n| {
                let text = super::blocks::collapse(n.text().unwrap_or_default());
                (!text.is_empty()).then_some(text)
            })
    };
    let first_text = |name: &'static str| all_texts(name).next();
    let creators: Vec<String> = all_texts("creator").collect();
    let metadata = Metadata {
        title: first_text("title"),
        byline: (!creators.is_empty()).then(|| creators.join(", ")),
        date: first_text("date"),
        language: first_text("language"),
        ..Metadata::default()
    };
    let base = opf_path.rsplit_once('/').map_or("", |(dir, _)| dir);
    let manifest: std::collections::HashMap<&str, (&str, &str)> = element("item")
        .filter_map(|item| {
            Some((
                item.attribute("id")?,
                (
                    item.attribute("href")?,
                    item.attribute("media-type").unwrap_or(""),
                ),
            ))
        })
        .collect();
    let (linear, auxiliary): (Vec<_>, Vec<_>) = element("itemref")
        .filter_map(|r| Some((r.attribute("idref")?, r.attribute("linear") != Some("no"))))
        .partition(|(_, linear)| *linear);
    let mut blocks = Blocks::default();
    let mut read = 0;
    // A chapter the spine names but the package lacks (or cannot inflate) is left out and
    // said so; the rest of the book is still read.
    let mut unreadable: Vec<String> = Vec::new();
    for (idref, _) in linear.into_iter().chain(auxiliary) {
        let Some((href, media_type)) = manifest.get(idref) else {
            unreadable.push(format!("{idref} (not in the manifest)"));
            continue;
        };
        if !media_type.contains("html") {
            continue;
        }
        let path = resolve(base, href);
        match inflate(&mut archive, &path) {
            Ok(html) => {
                html_blocks(&html, &mut blocks);
                read += 1;
            }
            Err(error) => unreadable.push(error),
        }
    }
    if read == 0 {
        let why = if unreadable.is_empty() {
            String::new()
        } else {
            format!(" ({})", unreadable.join("; "))
        };
        return Err(format!(
            "{opf_path} lists no readable chapter in its spine{why}"
        ));
    }
    let note = (!unreadable.is_empty()).then(|| {
        format!(
            "{} chapter(s) of the book could not be read and are left out: {}",
            unreadable.len(),
            unreadable.join("; ")
        )
    });
    Ok(Extracted {
        text: blocks.finish(),
        metadata,
        note,
    })
}

/// `href` (relative to the folder `base`, percent-encoded, without its fragment) as a path
/// in the package.
fn resolve(base: &str, href: &str) -> String {
    let href = href.split('#').next().unwrap_or(href);
    let mut parts: Vec<String> = base
        .split('/')
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    for part in href.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(percent_decode(part)),
        }
    }
    parts.join("/")
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(byte) = text
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Elements that start and end a block of text.
const BLOCK: [&str; 28] = [
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "blockquote",
    "pre",
    "section",
    "article",
    "header",
    "footer",
    "aside",
    "nav",
    "figure",
    "figcaption",
    "table",
    "dl",
    "dt",
    "dd",
    "address",
    "main",
    "body",
];

/// Elements whose content is not text to read.
const SKIPPED: [&str; 9] = [
    "head", "script", "style", "noscript", "template", "svg", "math", "rt", "rp",
];

/// The text of one content document, added to `blocks` (the walk keeps its own stack: a
/// deeply nested file cannot overflow the thread's).
fn html_blocks(html: &str, blocks: &mut Blocks) {
    let document = dom_query::Document::from(html);
    let root = document.root();
    let mut stack: Vec<(NodeRef<'_>, bool)> = vec![(root, true)];
    let mut preformatted = 0usize;
    while let Some((node, entering)) = stack.pop() {
        let name = node.node_name().map(|n| n.to_ascii_lowercase());
        let name = name.as_deref().unwrap_or("");
        if !entering {
            match name {
                "td" | "th" => blocks.end_cell(),
                "tr" => blocks.end_row(),
                "pre" => {
                    preformatted = preformatted.saturating_sub(1);
                    blocks.end_block();
                }
                _ if BLOCK.contains(&name) => blocks.end_block(),
                _ => {}
            }
            continue;
        }
        if node.is_text() {
            let text = node.text();
            if preformatted > 0 {
                blocks.verbatim(&text);
            } else {
                blocks.text(&text);
            }
            continue;
        }
        if !node.is_element() && !node.is_document() {
            continue;
        }
        if SKIPPED.contains(&name) {
            continue;
        }
        match name {
            "br" => blocks.line_break(),
            "hr" => blocks.end_block(),
            "img" => {}
            _ => {
                if name == "pre" {
                    preformatted += 1;
                }
                if BLOCK.contains(&name) {
                    blocks.end_block();
                }
                stack.push((node, false));
                let children: Vec<NodeRef<'_>> = node.children_it(true).collect();
                stack.extend(children.into_iter().map(|c| (c, true)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_in_the_package() {
        assert_eq!(
            resolve("OEBPS", "text/ch%201.xhtml#x"),
            "OEBPS/text/ch 1.xhtml"
        );
        assert_eq!(resolve("a/b", "../c.xhtml"), "a/c.xhtml");
        assert_eq!(resolve("", "c.xhtml"), "c.xhtml");
    }

    #[test]
    fn content_documents_become_blocks() {
        let mut blocks = Blocks::default();
        html_blocks(
            "<html><head><title>T</title><style>p{}</style></head><body><h1>Chapter&nbsp;1</h1>\
             <p>Some <em>text</em>\n  here.<br/>Next line</p><pre>  kept\n  as is</pre>\
             <table><tr><td>a</td><td>b</td></tr></table><ruby>漢<rt>かん</rt></ruby></body></html>",
            &mut blocks,
        );
        assert_eq!(
            blocks.finish(),
            "Chapter\u{a0}1\n\nSome text here.\nNext line\n\nkept\n  as is\n\na\tb\n\n漢"
        );
    }
}
