//! REFI-QDA project exchange (`.qdpx`: a zip of `project.qde` and `sources/*.txt`), the
//! exchange standard of the qualitative-analysis tools (`NVivo`, `ATLAS.ti`, `MAXQDA`,
//! `QualCoder`). Labels become codes, annotations plain-text selections coded with their
//! label, notes become memos (`Note` + `NoteRef`), and so do entity links, speakers,
//! grading, attributes and relations (one "Attributes of annotation N" memo, a line each). Positions are Unicode code points,
//! end-exclusive, over the UTF-8, LF source text (as `QualCoder` reads them). GUIDs are derived from the project, so a re-export is stable.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::html::escape;
use super::incoming::{Incoming, IncomingDocument, IncomingSet, IncomingSource, ParseError};
use super::{AnnotationSet, Fidelity};
use crate::model::Annotation;

const NAMESPACE: &str = "urn:QDA-XML:project:1.0";
/// The name of the memo that describes an annotation's links and attributes, before its id.
const ATTRIBUTES_MEMO: &str = "Attributes of annotation ";

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
/// The `project.qde` XML and the source texts; `split` counts the discontinuous
/// annotations written as one selection per fragment.
pub fn project_files(set: &AnnotationSet<'_>) -> (String, Vec<(String, String)>, usize) {
    let mut split = 0;
    let project = set.project;
    let name = project.name.as_str();
    let mut xml = String::new();
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Project xmlns=\"{NAMESPACE}\" name=\"{}\" origin=\"Marginalia {}\">\n",
        escape(name),
        env!("CARGO_PKG_VERSION")
    );
    // The analysts who made or changed the annotations, as users (before the code book).
    let users: std::collections::BTreeSet<&str> = set
        .documents
        .iter()
        .flat_map(|d| d.annotations.iter())
        .flat_map(|a| [a.author.as_str(), a.changed_by.as_str()])
        .filter(|n| !n.is_empty())
        .collect();
    if !users.is_empty() {
        xml.push_str("<Users>\n");
        for user in &users {
            let _ = writeln!(
                xml,
                "<User guid=\"{}\" name=\"{}\"/>",
                user_guid(name, user),
                escape(user)
            );
        }
        xml.push_str("</Users>\n");
    }
    xml.push_str("<CodeBook><Codes>\n");
    for label in &project.schema.labels {
        let _ = writeln!(
            xml,
            "<Code guid=\"{}\" name=\"{}\" isCodable=\"true\" color=\"{}\"/>",
            code_guid(name, &label.id.0),
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
            if !set.go_on(1) {
                return (String::new(), Vec::new(), 0);
            }
            if write_selections(set, a, &mut xml, &mut notes) {
                split += 1;
            }
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
    (xml, sources, split)
}

/// The GUID of an analyst, as a REFI-QDA user.
fn user_guid(project: &str, analyst: &str) -> String {
    guid(&[project, "user", analyst])
}

/// ` creatingUser="…"` (and ` modifyingUser="…"`) for an annotation's analysts, or "".
fn users_of(project: &str, a: &Annotation) -> String {
    let mut attributes = String::new();
    if !a.author.is_empty() {
        let _ = write!(
            attributes,
            " creatingUser=\"{}\"",
            user_guid(project, &a.author)
        );
    }
    let changer = if a.changed_by.is_empty() {
        &a.author
    } else {
        &a.changed_by
    };
    if a.modified != a.created && !changer.is_empty() {
        let _ = write!(
            attributes,
            " modifyingUser=\"{}\"",
            user_guid(project, changer)
        );
    }
    attributes
}

/// The GUID of a label's code.
fn code_guid(project: &str, label: &str) -> String {
    guid(&[project, "code", label])
}

/// The coded selections of one annotation (one per fragment) into `xml`, its memos into
/// `notes`; true if it was discontinuous.
fn write_selections(
    set: &AnnotationSet<'_>,
    a: &Annotation,
    xml: &mut String,
    notes: &mut String,
) -> bool {
    let name = set.project.name.as_str();
    let id = a.id.0.to_string();
    // The analyst's note, and what REFI-QDA has no field for, as memos.
    let mut memos: Vec<(String, String, String)> = Vec::new();
    if !a.note.is_empty() {
        memos.push((
            guid(&[name, "note", &id]),
            format!("Note on annotation {id}"),
            a.note.clone(),
        ));
    }
    let described = set.description_lines(a);
    if !described.is_empty() {
        memos.push((
            guid(&[name, "attributes", &id]),
            format!("Attributes of annotation {id}"),
            described.join("\n"),
        ));
    }
    let pieces = a.pieces();
    for (i, (piece, text)) in pieces.iter().zip(a.piece_texts()).enumerate() {
        // One selection per fragment, each coded; the first keeps the old GUIDs.
        let part = if i == 0 { String::new() } else { i.to_string() };
        let selection_guid = guid(&[name, "selection", &id, &part]);
        let title = if pieces.len() > 1 {
            format!(
                "{} (fragment {} of {})",
                crate::model::text::ellipsize(text, 60),
                i + 1,
                pieces.len()
            )
        } else {
            crate::model::text::ellipsize(text, 60)
        };
        let _ = write!(
            xml,
            "<PlainTextSelection guid=\"{selection_guid}\" name=\"{}\" startPosition=\"{}\" endPosition=\"{}\"{} creationDateTime=\"{}\" modifiedDateTime=\"{}\">",
            escape(&title),
            piece.start(),
            piece.end(),
            users_of(name, a),
            a.created,
            a.modified
        );
        let _ = write!(
            xml,
            "<Coding guid=\"{}\"><CodeRef targetGUID=\"{}\"/></Coding>",
            guid(&[name, "coding", &id, &part]),
            code_guid(name, &a.label.0)
        );
        if i == 0 {
            for (memo_guid, _, _) in &memos {
                let _ = write!(xml, "<NoteRef targetGUID=\"{memo_guid}\"/>");
            }
        }
        xml.push_str("</PlainTextSelection>\n");
    }
    for (memo_guid, title, content) in memos {
        let _ = writeln!(
            notes,
            "<Note guid=\"{memo_guid}\" name=\"{}\"><PlainTextContent>{}</PlainTextContent></Note>",
            escape(&title),
            escape(&content)
        );
    }
    pieces.len() > 1
}

pub fn export(set: &AnnotationSet<'_>, fidelity: &mut Fidelity) -> std::io::Result<Vec<u8>> {
    let (xml, sources, split) = project_files(set);
    if split > 0 {
        fidelity.losses.push(format!(
            "{split} discontinuous annotation(s) written as one coded selection per fragment (their attributes and note on the first)"
        ));
    }
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

/// The text of the entry `name` of `archive`, read with the bounds of every zip package.
fn inflate(archive: &mut zip::ZipArchive<std::fs::File>, name: &str) -> Result<String, String> {
    crate::ingest::package::inflate(archive, name)
}

/// An error unless `root` is a REFI-QDA `<Project>` (a file in another namespace, or none,
/// would import nothing and seem to succeed).
fn check_root(root: roxmltree::Node<'_, '_>) -> Result<(), String> {
    if root.has_tag_name((NAMESPACE, "Project")) {
        return Ok(());
    }
    let name = root.tag_name().name();
    let found = match root.tag_name().namespace() {
        Some(namespace) => format!("<{name}> in the namespace {namespace:?}"),
        None => format!("<{name}> in no namespace"),
    };
    Err(format!(
        "project.qde is not a REFI-QDA project: its root is {found}, not <Project> in \
         {NAMESPACE:?}"
    ))
}

/// Reads a `.qdpx` file: each text source with its coded selections.
pub fn parse(path: &Path, set: &mut IncomingSet) -> Result<(), ParseError> {
    let error = |message: String| ParseError::File {
        path: path.to_owned(),
        message,
    };
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) && path.exists() {
        return Err(error(
            "not a regular file (a device, a pipe or a socket)".to_owned(),
        ));
    }
    let file = std::fs::File::open(path).map_err(|source| ParseError::Read {
        path: path.to_owned(),
        source,
    })?;
    let mut archive = zip::ZipArchive::new(file)
        .map_err(|e| error(format!("not a REFI-QDA (.qdpx) zip file: {e}")))?;
    let mut read_entry =
        |name: &str| -> Result<String, ParseError> { inflate(&mut archive, name).map_err(error) };
    let xml = read_entry("project.qde")?;
    let document = roxmltree::Document::parse(&xml)
        .map_err(|e| error(format!("project.qde is not valid XML: {e}")))?;
    let root = document.root_element();
    check_root(root).map_err(error)?;
    let elements = |name: &'static str| {
        root.descendants()
            .filter(move |n| n.has_tag_name((NAMESPACE, name)))
    };
    let codes: HashMap<&str, &str> = elements("Code")
        .filter_map(|c| Some((c.attribute("guid")?, c.attribute("name")?)))
        .collect();
    // The "Attributes of annotation N" memos a Marginalia export adds describe links and
    // grading that an import does not restore; they are not the analyst's note.
    let notes: HashMap<&str, String> = elements("Note")
        .filter(|n| {
            !n.attribute("name")
                .is_some_and(|name| name.starts_with(ATTRIBUTES_MEMO))
        })
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
