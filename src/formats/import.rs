//! Importers: brat, JSONL (both dialects) and W3C Web Annotation files → [`IncomingSet`].
//! Parsing only; placing the annotations in a project is `Workspace::import`.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::incoming::{Incoming, IncomingDocument, IncomingSet, IncomingSource, ParseError, Quote};

/// The formats Marginalia reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportFormat {
    /// brat standoff `.ann` files (with the `.txt` beside each), or folders of them.
    Brat,
    /// JSON lines: spaCy/Prodigy `spans` or doccano `label`.
    Jsonl,
    /// W3C Web Annotation JSON-LD: an annotation, a list, or a collection.
    W3c,
    /// REFI-QDA project exchange (`.qdpx`).
    Refi,
}

impl ImportFormat {
    pub const ALL: [Self; 4] = [Self::Brat, Self::Jsonl, Self::W3c, Self::Refi];

    pub fn name(self) -> &'static str {
        match self {
            Self::Brat => "brat",
            Self::Jsonl => "JSONL",
            Self::W3c => "W3C Web Annotation",
            Self::Refi => "REFI-QDA",
        }
    }
}

/// The unit of offsets in files that do not say (JSONL).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum OffsetUnit {
    /// Unicode code points (Python, spaCy, Marginalia).
    #[default]
    Codepoints,
    /// UTF-16 code units (JavaScript tools: doccano's and Label Studio's UIs).
    Utf16,
}

fn read(path: &Path) -> Result<String, ParseError> {
    let error = |source| ParseError::Read {
        path: path.to_owned(),
        source,
    };
    let bytes = crate::ingest::read_regular_file(path).map_err(|refusal| match refusal {
        crate::ingest::Refusal::Io(e) => error(e),
        other => error(std::io::Error::other(other.to_string())),
    })?;
    String::from_utf8(bytes)
        .map_err(|_| error(std::io::Error::other("the file is not valid UTF-8 text")))
}

/// Reads `paths` in `format`.
pub fn parse(
    format: ImportFormat,
    paths: &[PathBuf],
    offsets: OffsetUnit,
) -> Result<IncomingSet, ParseError> {
    let mut set = IncomingSet::default();
    for path in paths {
        match format {
            ImportFormat::Brat => parse_brat_path(path, &mut set)?,
            ImportFormat::Jsonl => parse_jsonl(path, offsets, &mut set)?,
            ImportFormat::W3c => parse_w3c(path, &mut set)?,
            ImportFormat::Refi => super::refi::parse(path, &mut set)?,
        }
    }
    if format == ImportFormat::Jsonl {
        set.notes.push(match offsets {
            OffsetUnit::Codepoints => "JSONL offsets read as Unicode code points (use the UTF-16 option for files from JavaScript tools)".to_owned(),
            OffsetUnit::Utf16 => "JSONL offsets read as UTF-16 code units and converted to code points".to_owned(),
        });
    }
    Ok(set)
}

// ----- brat -----

fn parse_brat_path(path: &Path, set: &mut IncomingSet) -> Result<(), ParseError> {
    if path.is_dir() {
        let mut anns: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|source| ParseError::Read {
                path: path.to_owned(),
                source,
            })?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "ann"))
            .collect();
        anns.sort();
        for ann in anns {
            parse_brat_file(&ann, set)?;
        }
        return Ok(());
    }
    let ann = if path.extension().is_some_and(|e| e == "txt") {
        path.with_extension("ann")
    } else {
        path.to_owned()
    };
    parse_brat_file(&ann, set)
}

fn parse_brat_file(ann_path: &Path, set: &mut IncomingSet) -> Result<(), ParseError> {
    let conf = ann_path.with_file_name("annotation.conf");
    if conf.exists() {
        for label in brat_conf_entities(&read(&conf)?) {
            if !set.declared_labels.contains(&label) {
                set.declared_labels.push(label);
            }
        }
    }
    let content = read(ann_path)?;
    let origin = ann_path.display().to_string();
    let mut annotations: Vec<(String, Incoming)> = Vec::new();
    let mut skipped = 0;
    for (index, line) in content.lines().enumerate() {
        let line_number = index + 1;
        let error = |message: &str| ParseError::Line {
            path: ann_path.to_owned(),
            line: line_number,
            message: message.to_owned(),
        };
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let id = fields[0];
        if id.starts_with('T') {
            let [_, middle, text] = fields[..] else {
                return Err(error("a T line needs three tab-separated fields"));
            };
            let (label, offsets) = middle
                .split_once(' ')
                .ok_or_else(|| error("expected a type and offsets"))?;
            let fragments = offsets
                .split(';')
                .map(|pair| {
                    let (s, e) = pair.trim().split_once(' ')?;
                    Some((s.parse().ok()?, e.parse().ok()?))
                })
                .collect::<Option<Vec<(usize, usize)>>>()
                .ok_or_else(|| error("offsets must be `start end` pairs"))?;
            annotations.push((
                id.to_owned(),
                Incoming {
                    fragments,
                    label: label.to_owned(),
                    note: String::new(),
                    expected_text: Some(text.to_owned()),
                    quote: None,
                    origin: format!("{origin}:{line_number}"),
                },
            ));
        } else if id.starts_with('#') {
            let [_, middle, note] = fields[..] else {
                return Err(error("a # line needs three tab-separated fields"));
            };
            if let Some(target) = middle.strip_prefix("AnnotatorNotes ") {
                match annotations.iter_mut().find(|(t, _)| t == target) {
                    Some((_, incoming)) => note.clone_into(&mut incoming.note),
                    None => return Err(error(&format!("note for unknown annotation {target}"))),
                }
            }
        } else {
            skipped += 1;
        }
    }
    if skipped > 0 {
        set.notes.push(format!(
            "{skipped} relation, attribute, event or normalisation line(s) not imported: {origin}"
        ));
    }
    set.documents.push(IncomingDocument {
        source: IncomingSource::File(ann_path.with_extension("txt")),
        annotations: annotations.into_iter().map(|(_, a)| a).collect(),
        origin,
    });
    Ok(())
}

/// Entity types of a brat `annotation.conf`.
fn brat_conf_entities(conf: &str) -> Vec<String> {
    let mut in_entities = false;
    let mut out = Vec::new();
    for line in conf.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_entities = line == "[entities]";
        } else if in_entities && !line.is_empty() && !line.starts_with('#') {
            out.push(
                line.trim_start_matches(['!', '-'])
                    .split_whitespace()
                    .next()
                    .unwrap_or(line)
                    .to_owned(),
            );
        }
    }
    out
}

// ----- JSONL -----

/// Code-point offset of a UTF-16 offset in `text` (past the end, as far past it); an error
/// if it falls between the two halves of a character beyond the BMP (an emoji, say): no
/// code point is there, and rounding either way would move the annotation.
fn utf16_to_codepoints(text: &str, units: usize) -> Result<usize, String> {
    let mut seen = 0;
    for (i, c) in text.chars().enumerate() {
        if seen == units {
            return Ok(i);
        }
        if seen > units {
            let inside = text.chars().nth(i - 1).unwrap_or(c);
            return Err(format!(
                "UTF-16 offset {units} falls inside the character {inside:?} at code point {} \
                 (two UTF-16 units): the file's offsets are not UTF-16, or are damaged",
                i - 1
            ));
        }
        seen += c.len_utf16();
    }
    if seen > units {
        let last = text.chars().last().unwrap_or_default();
        return Err(format!(
            "UTF-16 offset {units} falls inside the last character {last:?} (two UTF-16 \
             units): the file's offsets are not UTF-16, or are damaged"
        ));
    }
    Ok(text.chars().count() + (units - seen))
}

fn parse_jsonl(path: &Path, offsets: OffsetUnit, set: &mut IncomingSet) -> Result<(), ParseError> {
    let content = read(path)?;
    for (index, line) in content.lines().enumerate() {
        let line_number = index + 1;
        if line.trim().is_empty() {
            continue;
        }
        let error = |message: String| ParseError::Line {
            path: path.to_owned(),
            line: line_number,
            message,
        };
        let value: Value =
            serde_json::from_str(line).map_err(|e| error(format!("not JSON: {e}")))?;
        let text = value["text"]
            .as_str()
            .ok_or_else(|| error("no \"text\" field".to_owned()))?
            .to_owned();
        let convert = |n: usize| match offsets {
            OffsetUnit::Codepoints => Ok(n),
            OffsetUnit::Utf16 => utf16_to_codepoints(&text, n).map_err(&error),
        };
        let origin = format!("{}:{line_number}", path.display());
        let mut annotations = Vec::new();
        if let Some(spans) = value["spans"].as_array() {
            for span in spans {
                let get = |key: &str| span[key].as_u64().and_then(|n| usize::try_from(n).ok());
                let (Some(start), Some(end), Some(label)) =
                    (get("start"), get("end"), span["label"].as_str())
                else {
                    return Err(error(
                        "a span needs numeric \"start\", \"end\" and a \"label\"".to_owned(),
                    ));
                };
                annotations.push(Incoming {
                    fragments: vec![(convert(start)?, convert(end)?)],
                    label: label.to_owned(),
                    note: span["note"].as_str().unwrap_or_default().to_owned(),
                    expected_text: span["text"].as_str().map(str::to_owned),
                    quote: None,
                    origin: origin.clone(),
                });
            }
        } else if let Some(labels) = value["label"].as_array() {
            for item in labels {
                let triple = item.as_array().filter(|a| a.len() == 3);
                let parsed = triple.and_then(|a| {
                    Some((
                        usize::try_from(a[0].as_u64()?).ok()?,
                        usize::try_from(a[1].as_u64()?).ok()?,
                        a[2].as_str()?,
                    ))
                });
                let Some((start, end, label)) = parsed else {
                    return Err(error(
                        "doccano labels are [start, end, \"Label\"]".to_owned(),
                    ));
                };
                annotations.push(Incoming {
                    fragments: vec![(convert(start)?, convert(end)?)],
                    label: label.to_owned(),
                    note: String::new(),
                    expected_text: None,
                    quote: None,
                    origin: origin.clone(),
                });
            }
        } else {
            return Err(error("neither \"spans\" nor \"label\" found".to_owned()));
        }
        let name = value["meta"]["document"]
            .as_str()
            .and_then(|d| d.rsplit('/').next())
            .map_or_else(
                || {
                    let stem = path
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    format!("{stem}-{line_number}")
                },
                |d| d.rsplit_once('.').map_or(d, |(s, _)| s).to_owned(),
            );
        set.documents.push(IncomingDocument {
            source: IncomingSource::Text { name, text },
            annotations,
            origin,
        });
    }
    Ok(())
}

// ----- W3C -----

fn parse_w3c(path: &Path, set: &mut IncomingSet) -> Result<(), ParseError> {
    let file_error = |message: String| ParseError::File {
        path: path.to_owned(),
        message,
    };
    let value: Value =
        serde_json::from_str(&read(path)?).map_err(|e| file_error(format!("not JSON: {e}")))?;
    let mut items: Vec<&Value> = Vec::new();
    collect_annotations(&value, &mut items);
    if items.is_empty() {
        return Err(file_error("no Web Annotation found".to_owned()));
    }
    let origin = path.display().to_string();
    for (n, item) in items.into_iter().enumerate() {
        let item_origin = format!(
            "{origin}: annotation {} ({})",
            n + 1,
            item["id"].as_str().unwrap_or("no id")
        );
        let bodies: Vec<&Value> = match &item["body"] {
            Value::Array(bodies) => bodies.iter().collect(),
            Value::Null => Vec::new(),
            body => vec![body],
        };
        let with_purpose = |purpose: &str| {
            bodies
                .iter()
                .find(|b| b["purpose"] == purpose)
                .and_then(|b| b["value"].as_str())
                .map(str::to_owned)
        };
        let label = with_purpose("tagging")
            .or_else(|| with_purpose("classifying"))
            .ok_or_else(|| file_error(format!("{item_origin} has no tagging body")))?;
        let note = with_purpose("commenting").unwrap_or_default();
        // One target, or one per fragment of a discontinuous annotation.
        let targets: Vec<&Value> = match &item["target"] {
            Value::Array(targets) if !targets.is_empty() => targets.iter().collect(),
            target => vec![target],
        };
        let read: Vec<W3cTarget> = targets.iter().map(|t| w3c_target(t)).collect();
        let source = read[0].source.clone();
        let incoming = if let [one] = read.as_slice() {
            if one.position.is_none() && one.quote.is_none() {
                return Err(file_error(format!(
                    "{item_origin} has neither a position nor a quote selector"
                )));
            }
            Incoming {
                fragments: one.position.into_iter().collect(),
                label,
                note,
                expected_text: None,
                quote: one.quote.clone(),
                origin: item_origin,
            }
        } else {
            // Fragments: each needs its position, all in one document; their quotes
            // check the positions.
            if read
                .iter()
                .any(|t| t.source != source || t.position.is_none())
            {
                return Err(file_error(format!(
                    "{item_origin} has several targets that are not positions in one document"
                )));
            }
            let mut pieces: Vec<(usize, usize, Option<String>)> = read
                .iter()
                .filter_map(|t| {
                    Some((
                        t.position?.0,
                        t.position?.1,
                        t.quote.clone().map(|q| q.exact),
                    ))
                })
                .collect();
            pieces.sort_unstable();
            let exacts: Option<Vec<String>> = pieces.iter().map(|p| p.2.clone()).collect();
            Incoming {
                fragments: pieces.iter().map(|p| (p.0, p.1)).collect(),
                label,
                note,
                expected_text: exacts.map(|e| e.join(" ")),
                quote: None,
                origin: item_origin,
            }
        };
        let source = source.as_str();
        let reference = IncomingSource::Reference {
            sha256: source.strip_prefix("urn:sha256:").map(str::to_owned),
            url: (!source.starts_with("urn:")).then(|| source.to_owned()),
        };
        match set.documents.iter_mut().find(|d| d.source == reference) {
            Some(document) => document.annotations.push(incoming),
            None => set.documents.push(IncomingDocument {
                source: reference,
                annotations: vec![incoming],
                origin: origin.clone(),
            }),
        }
    }
    Ok(())
}

/// What one W3C target says: its source and the passage by position and by quote.
struct W3cTarget {
    source: String,
    position: Option<(usize, usize)>,
    quote: Option<Quote>,
}

fn w3c_target(target: &Value) -> W3cTarget {
    let selectors: Vec<&Value> = match &target["selector"] {
        Value::Array(s) => s.iter().collect(),
        Value::Null => Vec::new(),
        s => vec![s],
    };
    let of_type = |t: &str| selectors.iter().copied().find(|s| s["type"] == t);
    W3cTarget {
        source: target["source"].as_str().unwrap_or_default().to_owned(),
        position: of_type("TextPositionSelector").and_then(|p| {
            Some((
                usize::try_from(p["start"].as_u64()?).ok()?,
                usize::try_from(p["end"].as_u64()?).ok()?,
            ))
        }),
        quote: of_type("TextQuoteSelector").and_then(|q| {
            Some(Quote {
                exact: q["exact"].as_str()?.to_owned(),
                prefix: q["prefix"].as_str().unwrap_or_default().to_owned(),
                suffix: q["suffix"].as_str().unwrap_or_default().to_owned(),
            })
        }),
    }
}

/// Annotations in a JSON value: an annotation, a list, a page or a collection (with
/// embedded pages, following `next`).
fn collect_annotations<'v>(value: &'v Value, out: &mut Vec<&'v Value>) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| collect_annotations(v, out)),
        Value::Object(map) => match map.get("type").and_then(Value::as_str) {
            Some("Annotation") => out.push(value),
            Some("AnnotationCollection") => {
                if let Some(first) = map.get("first") {
                    collect_annotations(first, out);
                }
            }
            Some("AnnotationPage") => {
                if let Some(items) = map.get("items") {
                    collect_annotations(items, out);
                }
                if let Some(next) = map.get("next").filter(|n| n.is_object()) {
                    collect_annotations(next, out);
                }
            }
            _ => {}
        },
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_offsets_become_code_points() {
        let text = "🚀 a“b”";
        assert_eq!(utf16_to_codepoints(text, 0), Ok(0));
        assert_eq!(
            utf16_to_codepoints(text, 2),
            Ok(1),
            "the rocket is two UTF-16 units"
        );
        assert_eq!(utf16_to_codepoints(text, 3), Ok(2));
        assert_eq!(utf16_to_codepoints(text, 7), Ok(6));
        assert_eq!(utf16_to_codepoints(text, 9), Ok(8), "past the end, as far");
        let inside = utf16_to_codepoints(text, 1).expect_err("between the halves");
        assert!(inside.contains("inside the character '🚀'"), "{inside}");
        let last = utf16_to_codepoints("ab😀", 3).expect_err("inside the last one");
        assert!(last.contains("'😀'"), "{last}");
    }

    #[test]
    fn brat_conf_entities_are_read() {
        let conf =
            "[entities]\nPerson\n!Group\n\tOrganization\n# comment\n[relations]\nRel Arg1:Person";
        assert_eq!(
            brat_conf_entities(conf),
            ["Person", "Group", "Organization"]
        );
    }
}
