//! Word (`.docx`) and `OpenDocument` (`.odt`) files: the body text in order, headings and
//! paragraphs as blocks, tables as tab-separated rows, text boxes after their paragraph;
//! footnotes and endnotes numbered where they are referred to and listed under "Notes" at
//! the end, comments under "Comments"; headers, footers, deleted text (tracked changes) and
//! field codes left out. Title, author, date and language from the package's properties.

use roxmltree::Node;

use super::blocks::{Blocks, gathered_note};
use super::package::{inflate, inflate_if_any, open, parse_xml};
use crate::model::Metadata;

/// A document's text and properties, with what the analyst should know.
pub struct Extracted {
    pub text: String,
    pub metadata: Metadata,
    pub note: Option<String>,
}

fn local<'a>(node: &Node<'a, '_>) -> &'a str {
    node.tag_name().name()
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|n| n.is_element() && local(n) == name)
}

fn child_text(node: Node<'_, '_>, name: &str) -> Option<String> {
    let text: String = child(node, name)?
        .descendants()
        .filter(Node::is_text)
        .filter_map(|n| n.text())
        .collect();
    let text = super::blocks::collapse(&text);
    (!text.is_empty()).then_some(text)
}

/// Title, author, date and language from Dublin Core properties (`docProps/core.xml`,
/// `meta.xml`), the first of each name that is there.
fn properties(root: Node<'_, '_>, author_names: &[&str], date_names: &[&str]) -> Metadata {
    let first = |names: &[&str]| names.iter().find_map(|name| child_text(root, name));
    Metadata {
        title: first(&["title"]),
        byline: first(author_names),
        date: first(date_names),
        language: first(&["language"]),
        ..Metadata::default()
    }
}

// ---------------------------------------------------------------------------------------
// Word

/// Notes and comments of a Word file by id, read from their parts.
#[derive(Default)]
struct WordParts {
    footnotes: std::collections::HashMap<String, String>,
    endnotes: std::collections::HashMap<String, String>,
}

/// The text of a `.docx` file.
pub fn docx(bytes: &[u8]) -> Result<Extracted, String> {
    let mut archive = open(bytes, "Word (.docx)")?;
    let name = "word/document.xml";
    if archive.index_for_name(name).is_none() {
        return Err(format!(
            "not a Word (.docx) file: the package has no {name} (an older .doc file saved \
             with a new name? save it as .docx)"
        ));
    }
    let xml = inflate(&mut archive, name)?;
    let document = parse_xml(name, &xml)?;
    let mut parts = WordParts::default();
    for (part, map) in [
        ("word/footnotes.xml", &mut parts.footnotes),
        ("word/endnotes.xml", &mut parts.endnotes),
    ] {
        if let Some(xml) = inflate_if_any(&mut archive, part)? {
            let notes = parse_xml(part, &xml)?;
            for note in notes.root_element().children().filter(Node::is_element) {
                // Separators are Word's drawing of the rule above the notes.
                if word_attribute(note, "type").is_some_and(|t| t != "normal") {
                    continue;
                }
                let Some(id) = word_attribute(note, "id") else {
                    continue;
                };
                let mut blocks = Blocks::default();
                word_body(note, &mut blocks, &WordParts::default());
                map.insert(id.to_owned(), blocks.finish());
            }
        }
    }
    let mut blocks = Blocks::default();
    let body =
        child(document.root_element(), "body").ok_or_else(|| format!("{name} has no <w:body>"))?;
    word_body(body, &mut blocks, &parts);
    if let Some(xml) = inflate_if_any(&mut archive, "word/comments.xml")? {
        let comments = parse_xml("word/comments.xml", &xml)?;
        for comment in comments.root_element().children().filter(Node::is_element) {
            let mut text = Blocks::default();
            word_body(comment, &mut text, &WordParts::default());
            blocks.comment(word_attribute(comment, "author"), &text.finish());
        }
    }
    let has_headers = archive
        .file_names()
        .flatten()
        .any(|n| n.starts_with("word/header") || n.starts_with("word/footer"));
    let metadata = match inflate_if_any(&mut archive, "docProps/core.xml")? {
        Some(xml) => {
            let core = parse_xml("docProps/core.xml", &xml)?;
            properties(core.root_element(), &["creator"], &["created", "modified"])
        }
        None => Metadata::default(),
    };
    let (notes, comments) = blocks.gathered();
    let left_out = if has_headers {
        "headers and footers left out"
    } else {
        ""
    };
    Ok(Extracted {
        text: blocks.finish(),
        metadata,
        note: gathered_note(notes, comments, left_out),
    })
}

/// A `w:` attribute (`WordprocessingML`'s namespace, or none, as some producers write).
fn word_attribute<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attributes()
        .find(|a| a.name() == name)
        .map(|a| a.value())
}

/// Block-level content: paragraphs, tables, and the containers that hold them.
fn word_body(node: Node<'_, '_>, blocks: &mut Blocks, parts: &WordParts) {
    for element in node.children().filter(Node::is_element) {
        match local(&element) {
            "p" => {
                let mut boxes = Vec::new();
                word_inline(element, blocks, parts, &mut boxes);
                blocks.end_block();
                for text_box in boxes {
                    word_body(text_box, blocks, parts);
                }
            }
            "tbl" => {
                table_rows(element, &WORD_TABLE, blocks, |cell, blocks| {
                    word_cell(cell, blocks, parts);
                });
                blocks.end_block();
            }
            "sdt" | "sdtContent" | "customXml" | "ins" | "moveTo" | "smartTag" => {
                word_body(element, blocks, parts);
            }
            _ => {}
        }
    }
}

/// The element names of a table, row and cell in one format.
struct TableNames {
    table: &'static str,
    row: &'static str,
    cell: &'static str,
}

const WORD_TABLE: TableNames = TableNames {
    table: "tbl",
    row: "tr",
    cell: "tc",
};
const ODT_TABLE: TableNames = TableNames {
    table: "table",
    row: "table-row",
    cell: "table-cell",
};

/// A table as tab-separated rows: each of its own rows (not a nested table's, and also
/// inside header or row groups), each cell drawn by `cell`.
fn table_rows<'a, 'i>(
    table: Node<'a, 'i>,
    names: &TableNames,
    blocks: &mut Blocks,
    mut cell: impl FnMut(Node<'a, 'i>, &mut Blocks),
) {
    for row in table
        .descendants()
        .filter(|n| n.is_element() && local(n) == names.row)
        .filter(|row| nearest(*row, names.table) == Some(table))
    {
        for each in row
            .descendants()
            .filter(|n| n.is_element() && local(n) == names.cell)
            .filter(|each| nearest(*each, names.row) == Some(row))
        {
            cell(each, blocks);
            blocks.end_cell();
        }
        blocks.end_row();
    }
}

/// The cells of a table nested in a cell, all on the cell's line.
fn nested_cells<'a, 'i>(
    table: Node<'a, 'i>,
    names: &'static TableNames,
) -> impl Iterator<Item = Node<'a, 'i>> {
    table
        .descendants()
        .filter(move |n| n.is_element() && local(n) == names.cell)
}

/// The nearest enclosing element called `name` (the table a row belongs to, the row a
/// cell belongs to), `node` excluded.
fn nearest<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.ancestors()
        .skip(1)
        .find(|n| n.is_element() && local(n) == name)
}

/// A cell's paragraphs on one line (a nested table's cells too).
fn word_cell(cell: Node<'_, '_>, blocks: &mut Blocks, parts: &WordParts) {
    for element in cell.children().filter(Node::is_element) {
        match local(&element) {
            "p" => {
                let mut boxes = Vec::new();
                word_inline(element, blocks, parts, &mut boxes);
                blocks.space();
            }
            "tbl" => {
                for inner in nested_cells(element, &WORD_TABLE) {
                    word_cell(inner, blocks, parts);
                }
            }
            "sdt" | "sdtContent" | "customXml" => word_cell(element, blocks, parts),
            _ => {}
        }
    }
}

/// A paragraph's text; text boxes met in it go to `boxes`.
fn word_inline<'a, 'i>(
    node: Node<'a, 'i>,
    blocks: &mut Blocks,
    parts: &WordParts,
    boxes: &mut Vec<Node<'a, 'i>>,
) {
    for element in node.children().filter(Node::is_element) {
        match local(&element) {
            "t" => blocks.text(element.text().unwrap_or_default()),
            "tab" | "ptab" => blocks.verbatim("\t"),
            "br" | "cr" => match word_attribute(element, "type") {
                Some("page" | "column") => blocks.space(),
                _ => blocks.line_break(),
            },
            "noBreakHyphen" => blocks.verbatim("-"),
            "footnoteReference" | "endnoteReference" => {
                let notes = if local(&element) == "footnoteReference" {
                    &parts.footnotes
                } else {
                    &parts.endnotes
                };
                if let Some(text) = word_attribute(element, "id").and_then(|id| notes.get(id)) {
                    let n = blocks.note(text);
                    blocks.verbatim(&format!("[{n}]"));
                }
            }
            "txbxContent" => boxes.push(element),
            // Deleted text, field codes, properties, and the fallback copy of content
            // given twice.
            "delText" | "instrText" | "del" | "moveFrom" | "rPr" | "pPr" | "Fallback" => {}
            _ => word_inline(element, blocks, parts, boxes),
        }
    }
}

// ---------------------------------------------------------------------------------------
// OpenDocument

/// The text of an `.odt` file.
pub fn odt(bytes: &[u8]) -> Result<Extracted, String> {
    let mut archive = open(bytes, "OpenDocument text (.odt)")?;
    let name = "content.xml";
    if archive.index_for_name(name).is_none() {
        return Err(format!(
            "not an OpenDocument text (.odt) file: the package has no {name}"
        ));
    }
    let xml = inflate(&mut archive, name)?;
    let document = parse_xml(name, &xml)?;
    let text = document
        .descendants()
        .find(|n| {
            n.is_element()
                && local(n) == "text"
                && n.parent_element().is_some_and(|p| local(&p) == "body")
        })
        .ok_or_else(|| {
            format!(
                "{name} holds no text document (<office:text>): a spreadsheet or a presentation?"
            )
        })?;
    let mut blocks = Blocks::default();
    odt_body(text, &mut blocks);
    let metadata = match inflate_if_any(&mut archive, "meta.xml")? {
        Some(xml) => {
            let meta = parse_xml("meta.xml", &xml)?;
            match meta
                .descendants()
                .find(|n| n.is_element() && local(n) == "meta")
            {
                Some(root) => properties(
                    root,
                    &["creator", "initial-creator"],
                    &["creation-date", "date"],
                ),
                None => Metadata::default(),
            }
        }
        None => Metadata::default(),
    };
    let (notes, comments) = blocks.gathered();
    Ok(Extracted {
        text: blocks.finish(),
        metadata,
        note: gathered_note(notes, comments, ""),
    })
}

fn odt_body(node: Node<'_, '_>, blocks: &mut Blocks) {
    for element in node.children().filter(Node::is_element) {
        match local(&element) {
            "p" | "h" => {
                let mut boxes = Vec::new();
                odt_inline(element, blocks, &mut boxes);
                blocks.end_block();
                for text_box in boxes {
                    odt_body(text_box, blocks);
                }
            }
            "table" => {
                table_rows(element, &ODT_TABLE, blocks, odt_cell);
                blocks.end_block();
            }
            "list" | "list-item" | "list-header" | "section" | "numbered-paragraph" => {
                odt_body(element, blocks);
            }
            // Generated tables of contents and indexes repeat the headings; forms, tracked
            // changes (deleted text) and declarations hold no body text.
            _ => {}
        }
    }
}

fn odt_cell(cell: Node<'_, '_>, blocks: &mut Blocks) {
    for element in cell.children().filter(Node::is_element) {
        match local(&element) {
            "p" | "h" => {
                let mut boxes = Vec::new();
                odt_inline(element, blocks, &mut boxes);
                blocks.space();
            }
            "list" | "list-item" | "section" => odt_cell(element, blocks),
            "table" => {
                for inner in nested_cells(element, &ODT_TABLE) {
                    odt_cell(inner, blocks);
                }
            }
            _ => {}
        }
    }
}

fn odt_inline<'a, 'i>(node: Node<'a, 'i>, blocks: &mut Blocks, boxes: &mut Vec<Node<'a, 'i>>) {
    for item in node.children() {
        if item.is_text() {
            blocks.text(item.text().unwrap_or_default());
            continue;
        }
        if !item.is_element() {
            continue;
        }
        match local(&item) {
            "s" => {
                let count = item
                    .attributes()
                    .find(|a| a.name() == "c")
                    .and_then(|a| a.value().parse::<usize>().ok())
                    .unwrap_or(1)
                    .min(1000);
                blocks.verbatim(&" ".repeat(count));
            }
            "tab" => blocks.verbatim("\t"),
            "line-break" => blocks.line_break(),
            "note" => {
                if let Some(body) = child(item, "note-body") {
                    let mut text = Blocks::default();
                    odt_body(body, &mut text);
                    let n = blocks.note(&text.finish());
                    blocks.verbatim(&format!("[{n}]"));
                }
            }
            "annotation" => {
                let mut text = Blocks::default();
                odt_body(item, &mut text);
                let author = child_text(item, "creator");
                blocks.comment(author.as_deref(), &text.finish());
            }
            "text-box" => boxes.push(item),
            "annotation-end" | "bookmark" | "bookmark-start" | "bookmark-end"
            | "soft-page-break" | "change" | "change-start" | "change-end" | "sequence-decls" => {}
            _ => odt_inline(item, blocks, boxes),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A zip package with the given entries.
    pub(crate) fn package(entries: &[(&str, &str)]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in entries {
            zip.start_file(*name, options).expect("entry");
            zip.write_all(content.as_bytes()).expect("write");
        }
        zip.finish().expect("finish").into_inner()
    }

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#;

    #[test]
    fn word_body_tables_notes_and_tracked_changes() {
        let document = format!(
            r#"<w:document {W}><w:body>
            <w:p><w:r><w:t>Title</w:t></w:r></w:p>
            <w:p><w:r><w:t xml:space="preserve">He said </w:t></w:r><w:del><w:r><w:delText>not </w:delText></w:r></w:del><w:r><w:t>so</w:t><w:footnoteReference w:id="2"/><w:t>.</w:t></w:r>
              <w:r><w:fldChar/><w:instrText>PAGE</w:instrText></w:r></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p><w:p><w:r><w:t>a2</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>b</w:t></w:r></w:p></w:tc></w:tr>
                   <w:tr><w:tc><w:p><w:r><w:t>c</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>d</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
            <w:p><w:r><mc:AlternateContent><mc:Choice><w:txbxContent><w:p><w:r><w:t>Boxed</w:t></w:r></w:p></w:txbxContent></mc:Choice><mc:Fallback><w:txbxContent><w:p><w:r><w:t>Boxed</w:t></w:r></w:p></w:txbxContent></mc:Fallback></mc:AlternateContent><w:t>Last</w:t><w:br/><w:t>line</w:t></w:r></w:p>
            </w:body></w:document>"#
        );
        let footnotes = format!(
            r#"<w:footnotes {W}><w:footnote w:type="separator" w:id="0"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
            <w:footnote w:id="2"><w:p><w:r><w:footnoteRef/><w:t xml:space="preserve"> A source.</w:t></w:r></w:p></w:footnote></w:footnotes>"#
        );
        let comments = format!(
            r#"<w:comments {W}><w:comment w:id="0" w:author="Ann"><w:p><w:r><w:t>Check</w:t></w:r></w:p></w:comment></w:comments>"#
        );
        let core = r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><dc:title>A report</dc:title><dc:creator>Bo</dc:creator><dcterms:created>2024-05-01T10:00:00Z</dcterms:created></cp:coreProperties>"#;
        let bytes = package(&[
            ("word/document.xml", &document),
            ("word/footnotes.xml", &footnotes),
            ("word/comments.xml", &comments),
            ("word/header1.xml", "<w:hdr/>"),
            ("docProps/core.xml", core),
        ]);
        let extracted = docx(&bytes).expect("docx");
        assert_eq!(
            extracted.text,
            "Title\n\nHe said so[1].\n\na a2\tb\nc\td\n\nLast\nline\n\nBoxed\n\nNotes\n\n[1] A source.\n\nComments\n\nAnn: Check"
        );
        assert_eq!(extracted.metadata.title.as_deref(), Some("A report"));
        assert_eq!(extracted.metadata.byline.as_deref(), Some("Bo"));
        assert_eq!(
            extracted.metadata.date.as_deref(),
            Some("2024-05-01T10:00:00Z")
        );
        let note = extracted.note.expect("note");
        assert!(note.contains("1 note listed at the end"), "{note}");
        assert!(note.contains("headers and footers left out"), "{note}");
    }

    #[test]
    fn open_document_body_notes_and_annotations() {
        let content = r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><office:body><office:text>
            <text:sequence-decls/>
            <text:h text:outline-level="1">Heading</text:h>
            <text:p>One<text:s text:c="2"/>two<text:tab/>three<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>The note.</text:p></text:note-body></text:note>
            and <office:annotation><dc:creator>Cy</dc:creator><text:p>A remark</text:p></office:annotation>more</text:p>
            <text:list><text:list-item><text:p>Item</text:p></text:list-item></text:list>
            <table:table><table:table-row><table:table-cell><text:p>x</text:p></table:table-cell><table:table-cell><text:p>y</text:p></table:table-cell></table:table-row></table:table>
            </office:text></office:body></office:document-content>"#;
        let meta = r#"<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta><meta:initial-creator>Di</meta:initial-creator><dc:title>Notes</dc:title><meta:creation-date>2020-01-02T03:04:05</meta:creation-date></office:meta></office:document-meta>"#;
        let bytes = package(&[("content.xml", content), ("meta.xml", meta)]);
        let extracted = odt(&bytes).expect("odt");
        assert_eq!(
            extracted.text,
            "Heading\n\nOne  two\tthree[1] and more\n\nItem\n\nx\ty\n\nNotes\n\n[1] The note.\n\nComments\n\nCy: A remark"
        );
        assert_eq!(extracted.metadata.byline.as_deref(), Some("Di"));
        assert_eq!(
            extracted.metadata.date.as_deref(),
            Some("2020-01-02T03:04:05")
        );
    }

    #[test]
    fn not_a_package_or_the_wrong_one_is_said_plainly() {
        let error = docx(b"plain text, not a zip")
            .map(|_| ())
            .expect_err("refused");
        assert!(error.starts_with("not a Word (.docx) file"), "{error}");
        let error = docx(&package(&[("content.xml", "<x/>")]))
            .map(|_| ())
            .expect_err("refused");
        assert!(error.contains("has no word/document.xml"), "{error}");
        let error = odt(&package(&[("content.xml", "<x>")]))
            .map(|_| ())
            .expect_err("refused");
        assert!(error.contains("content.xml is not valid XML"), "{error}");
    }
}
