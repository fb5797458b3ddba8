//! REFI-QDA project exchange (`.qdpx`: a zip of `project.qde` and `sources/*.txt`), the
//! exchange standard of the qualitative-analysis tools (`NVivo`, `ATLAS.ti`, `MAXQDA`,
//! `QualCoder`). Labels become codes, annotations plain-text selections coded with their
//! label, notes become memos (`Note` + `NoteRef`). Positions are Unicode code points,
//! end-exclusive, over the UTF-8, LF source text (as `QualCoder` reads them). GUIDs are derived from the project, so a re-export is stable.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::html::escape;
use super::incoming::{Incoming, IncomingDocument, IncomingSet, IncomingSource, ParseError};
use super::{AnnotationSet, Fidelity};

const NAMESPACE: &str = "urn:QDA-XML:project:1.0";

/// A GUID derived from `parts` (stable across exports).
fn guid(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    let hex = hasher
        .finalize()
        .iter()
        .take(16)
        .fold(String::new(), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        });
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// The `project.qde` XML and the source texts, by zip path.
pub fn project_files(set: &AnnotationSet<'_>) -> (String, Vec<(String, String)>) {
    let project = set.project;
    let name = project.name.as_str();
    let mut xml = String::new();
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Project xmlns=\"{NAMESPACE}\" name=\"{}\" origin=\"Marginalia {}\">\n<CodeBook><Codes>\n",
        escape(name),
        env!("CARGO_PKG_VERSION")
    );
    let code_guid = |label: &str| guid(&[name, "code", label]);
    for label in &project.schema.labels {
        let _ = writeln!(
            xml,
            "<Code guid=\"{}\" name=\"{}\" isCodable=\"true\" color=\"{}\"/>",
            code_guid(&label.id.0),
            escape(&label.name),
            String::from(label.color)
        );
    }
    xml.push_str("</Codes></CodeBook>\n<Sources>\n");
    let mut notes = String::new();
    let mut sources = Vec::new();
    for doc in &set.documents {
        let source_guid = guid(&[name, "source", &doc.document.sha256, &doc.document.path]);
        let _ = writeln!(
            xml,
            "<TextSource guid=\"{source_guid}\" name=\"{}\" plainTextPath=\"internal://{source_guid}.txt\">",
            escape(doc.document.display_name())
        );
        for a in &doc.annotations {
            let id = a.id.0.to_string();
            let selection_guid = guid(&[name, "selection", &id]);
            let _ = write!(
                xml,
                "<PlainTextSelection guid=\"{selection_guid}\" name=\"{}\" startPosition=\"{}\" endPosition=\"{}\" creationDateTime=\"{}\" modifiedDateTime=\"{}\">",
                escape(&crate::model::text::ellipsize(&a.text, 60)),
                a.span.start(),
                a.span.end(),
                a.created,
                a.modified
            );
            let _ = write!(
                xml,
                "<Coding guid=\"{}\"><CodeRef targetGUID=\"{}\"/></Coding>",
                guid(&[name, "coding", &id]),
                code_guid(&a.label.0)
            );
            if !a.note.is_empty() {
                let note_guid = guid(&[name, "note", &id]);
                let _ = write!(xml, "<NoteRef targetGUID=\"{note_guid}\"/>");
                let _ = writeln!(
                    notes,
                    "<Note guid=\"{note_guid}\" name=\"Note on annotation {id}\"><PlainTextContent>{}</PlainTextContent></Note>",
                    escape(&a.note)
                );
            }
            xml.push_str("</PlainTextSelection>\n");
        }
        xml.push_str("</TextSource>\n");
        sources.push((
            format!("sources/{source_guid}.txt"),
            doc.text.as_str().to_owned(),
        ));
    }
    xml.push_str("</Sources>\n");
    if !notes.is_empty() {
        let _ = write!(xml, "<Notes>\n{notes}</Notes>\n");
    }
    xml.push_str("</Project>\n");
    (xml, sources)
}

pub fn export(set: &AnnotationSet<'_>, fidelity: &mut Fidelity) -> std::io::Result<Vec<u8>> {
    set.report_unwritten_links("this REFI-QDA export", fidelity);
    let (xml, sources) = project_files(set);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("project.qde", options)
        .map_err(std::io::Error::other)?;
    zip.write_all(xml.as_bytes())?;
    for (path, text) in sources {
        zip.start_file(path, options)
            .map_err(std::io::Error::other)?;
        zip.write_all(text.as_bytes())?;
    }
    Ok(zip.finish().map_err(std::io::Error::other)?.into_inner())
}

/// Reads a `.qdpx` file: each text source with its coded selections.
pub fn parse(path: &Path, set: &mut IncomingSet) -> Result<(), ParseError> {
    let error = |message: String| ParseError::File {
        path: path.to_owned(),
        message,
    };
    let file = std::fs::File::open(path).map_err(|source| ParseError::Read {
        path: path.to_owned(),
        source,
    })?;
    let mut archive = zip::ZipArchive::new(file)
        .map_err(|e| error(format!("not a REFI-QDA (.qdpx) zip file: {e}")))?;
    let mut read_entry = |name: &str| -> Result<String, ParseError> {
        let mut entry = archive
            .by_name(name)
            .map_err(|e| error(format!("{name}: {e}")))?;
        let mut text = String::new();
        entry
            .read_to_string(&mut text)
            .map_err(|e| error(format!("{name}: {e}")))?;
        Ok(text)
    };
    let xml = read_entry("project.qde")?;
    let document = roxmltree::Document::parse(&xml)
        .map_err(|e| error(format!("project.qde is not valid XML: {e}")))?;
    let root = document.root_element();
    let elements = |name: &'static str| {
        root.descendants()
            .filter(move |n| n.has_tag_name((NAMESPACE, name)))
    };
    let codes: HashMap<&str, &str> = elements("Code")
        .filter_map(|c| Some((c.attribute("guid")?, c.attribute("name")?)))
        .collect();
    let notes: HashMap<&str, String> = elements("Note")
        .filter_map(|n| {
            let content = n
                .children()
                .find(|c| c.has_tag_name((NAMESPACE, "PlainTextContent")))?;
            Some((
                n.attribute("guid")?,
                content.text().unwrap_or_default().to_owned(),
            ))
        })
        .collect();
    set.declared_labels
        .extend(codes.values().map(|name| (*name).to_owned()));
    for source in elements("TextSource") {
        let name = source.attribute("name").unwrap_or("source").to_owned();
        let text = match source.attribute("plainTextPath") {
            Some(p) if p.starts_with("internal://") => {
                read_entry(&format!("sources/{}", &p["internal://".len()..]))?
            }
            _ => source
                .children()
                .find(|c| c.has_tag_name((NAMESPACE, "PlainTextContent")))
                .and_then(|c| c.text())
                .unwrap_or_default()
                .to_owned(),
        };
        let annotations = selections(source, &codes, &notes, path, &name)?;
        set.documents.push(IncomingDocument {
            source: IncomingSource::Text { name, text },
            annotations,
            origin: path.display().to_string(),
        });
    }
    Ok(())
}

/// The coded selections of one `TextSource`, one incoming annotation per coding.
fn selections(
    source: roxmltree::Node<'_, '_>,
    codes: &HashMap<&str, &str>,
    notes: &HashMap<&str, String>,
    path: &Path,
    name: &str,
) -> Result<Vec<Incoming>, ParseError> {
    let error = |message: String| ParseError::File {
        path: path.to_owned(),
        message,
    };
    let mut annotations = Vec::new();
    for selection in source
        .children()
        .filter(|c| c.has_tag_name((NAMESPACE, "PlainTextSelection")))
    {
        let position = |attribute: &str| {
            selection
                .attribute(attribute)
                .and_then(|v| v.parse::<usize>().ok())
        };
        let (Some(start), Some(end)) = (position("startPosition"), position("endPosition")) else {
            return Err(error(format!(
                "a selection of {name:?} lacks its positions"
            )));
        };
        let note: Vec<String> = selection
            .children()
            .filter(|c| c.has_tag_name((NAMESPACE, "NoteRef")))
            .filter_map(|r| notes.get(r.attribute("targetGUID")?).cloned())
            .chain(
                selection
                    .children()
                    .find(|c| c.has_tag_name((NAMESPACE, "Description")))
                    .and_then(|d| d.text())
                    .map(str::to_owned),
            )
            .collect();
        let origin = format!(
            "{}: selection {}",
            path.display(),
            selection.attribute("guid").unwrap_or("?")
        );
        for coding in selection
            .children()
            .filter(|c| c.has_tag_name((NAMESPACE, "Coding")))
        {
            let code = coding
                .children()
                .find(|c| c.has_tag_name((NAMESPACE, "CodeRef")))
                .and_then(|r| r.attribute("targetGUID"))
                .and_then(|g| codes.get(g))
                .ok_or_else(|| {
                    error(format!(
                        "{origin}: a coding refers to no code of the project"
                    ))
                })?;
            annotations.push(Incoming {
                fragments: vec![(start, end)],
                label: (*code).to_owned(),
                note: note.join("\n"),
                expected_text: None,
                quote: None,
                origin: origin.clone(),
            });
        }
    }
    Ok(annotations)
}

#[cfg(test)]
mod tests {
    use super::guid;

    #[test]
    fn guids_are_stable_and_well_formed() {
        let a = guid(&["p", "code", "person"]);
        assert_eq!(a, guid(&["p", "code", "person"]));
        assert_ne!(a, guid(&["p", "code", "claim"]));
        let groups: Vec<usize> = a.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
    }
}
