//! What one analyst was looking at in a project (the document last viewed, where they
//! were reading in each document, the annotation selected), and the projects they opened
//! last, kept outside
//! the project file: a team shares that file through git, and where each analyst stands is
//! not the team's business (two analysts viewing different documents must not make their
//! merge conflict).
//!
//! One small file per project in the analyst's state folder
//! (`$MARGINALIA_STATE_DIR`, else `$XDG_STATE_HOME/marginalia`, else
//! `~/.local/state/marginalia`), named after the project file's absolute path. Losing it
//! loses nothing but the place: it is written without ceremony (no backup, no fsync) and
//! ignored when unreadable.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::{CharPos, DocumentId};

#[derive(Debug, Default, Serialize, Deserialize)]
struct ViewState {
    /// The project file, for a reader of the folder.
    project: PathBuf,
    last_document: Option<DocumentId>,
    /// Per document: the first character of the paragraph at the top of the view when the
    /// analyst left it.
    #[serde(default)]
    reading: std::collections::BTreeMap<DocumentId, usize>,
    /// The annotation selected when the analyst left the project.
    #[serde(default)]
    selected: Option<crate::model::AnnotationId>,
}

/// A folder set by the program itself, before the environment's (the first call wins).
static STATE_DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// Keeps the view states in `dir` for the rest of the process (a test run keeps them out
/// of the user's folder this way); a second call changes nothing.
pub fn use_state_dir(dir: PathBuf) {
    let _ = STATE_DIR.set(dir);
}

/// The folder of the analyst's view states, if one can be named.
pub fn state_dir() -> Option<PathBuf> {
    if let Some(dir) = STATE_DIR.get() {
        return Some(dir.clone());
    }
    if let Some(dir) = std::env::var_os("MARGINALIA_STATE_DIR") {
        return Some(PathBuf::from(dir));
    }
    let base = std::env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("LOCALAPPDATA").map(PathBuf::from))
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))?;
    Some(base.join("marginalia"))
}

/// The state file of the project at `project`.
fn state_file(project: &Path) -> Option<PathBuf> {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(project.as_os_str().as_encoded_bytes());
    let name = digest[..8].iter().fold(String::new(), |mut name, b| {
        use std::fmt::Write as _;
        let _ = write!(name, "{b:02x}");
        name
    });
    Some(state_dir()?.join("views").join(format!("{name}.ron")))
}

/// The view state of the project at `project` (empty when there is none or it cannot be
/// read).
fn read(project: &Path) -> ViewState {
    state_file(project)
        .and_then(|file| std::fs::read_to_string(file).ok())
        .and_then(|text| ron::from_str::<ViewState>(&text).ok())
        .unwrap_or_default()
}

/// Changes the view state of the project at `project` (nothing for an untitled project; a
/// failure to write is ignored: only the place would be lost).
fn update(project: Option<&Path>, change: impl FnOnce(&mut ViewState)) {
    let Some(path) = project else {
        return;
    };
    let Some(file) = state_file(path) else {
        return;
    };
    let mut state = read(path);
    path.clone_into(&mut state.project);
    change(&mut state);
    if let (Some(dir), Ok(text)) = (file.parent(), ron::to_string(&state)) {
        // A plain write (no fsync: this runs on the window's thread when the analyst
        // switches documents); a torn file is unreadable and ignored.
        let _ = std::fs::create_dir_all(dir);
        let _ = std::fs::write(&file, text.as_bytes());
    }
}

/// The document the analyst last viewed in the project at `project`, if known.
pub fn last_document(project: &Option<PathBuf>) -> Option<DocumentId> {
    read(project.as_deref()?).last_document
}

/// Remembers `document` as the one last viewed in the project at `project`.
pub fn remember_last_document(project: &Option<PathBuf>, document: DocumentId) {
    update(project.as_deref(), |state| {
        state.last_document = Some(document);
    });
}

/// Where the analyst was reading `document` of the project at `project`, if known.
pub fn reading_position(project: &Option<PathBuf>, document: DocumentId) -> Option<CharPos> {
    read(project.as_deref()?)
        .reading
        .get(&document)
        .map(|&pos| CharPos(pos))
}

/// Remembers, in one write, the annotation selected and, if known, where the analyst was
/// reading a document (the start of the paragraph at the top of the view).
pub fn remember_place(
    project: &Option<PathBuf>,
    reading: Option<(DocumentId, CharPos)>,
    selected: Option<crate::model::AnnotationId>,
) {
    update(project.as_deref(), |state| {
        if let Some((document, at)) = reading {
            state.reading.insert(document, at.0);
        }
        state.selected = selected;
    });
}

/// The annotation the analyst had selected when they left the project at `project`.
pub fn selection(project: &Option<PathBuf>) -> Option<crate::model::AnnotationId> {
    read(project.as_deref()?).selected
}

/// How many projects File > Recent projects lists.
pub const RECENT: usize = 10;

/// The file listing the projects opened last, one absolute path a line, newest first.
fn recent_file() -> Option<PathBuf> {
    Some(state_dir()?.join("recent-projects.txt"))
}

/// The projects the analyst opened last, newest first (at most [`RECENT`]).
pub fn recent_projects() -> Vec<PathBuf> {
    recent_file()
        .and_then(|file| std::fs::read_to_string(file).ok())
        .map(|text| {
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .map(PathBuf::from)
                .take(RECENT)
                .collect()
        })
        .unwrap_or_default()
}

/// Puts the project at `project` (absolute) first among the recent projects.
pub fn remember_recent_project(project: &Path) {
    let Some(file) = recent_file() else {
        return;
    };
    let mut recent = recent_projects();
    recent.retain(|p| p != project);
    recent.insert(0, project.to_owned());
    recent.truncate(RECENT);
    let mut text = recent
        .iter()
        .filter_map(|p| p.to_str())
        .collect::<Vec<_>>()
        .join("\n");
    text.push('\n');
    if let Some(dir) = file.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let _ = std::fs::write(file, text);
}

#[cfg(test)]
mod recent_tests {
    #[test]
    fn recent_projects_come_newest_first_without_repeats_and_at_most_ten() {
        let dir = tempfile::tempdir().expect("tempdir");
        // The process-wide folder may be set already (by another test): use whichever.
        super::use_state_dir(dir.path().to_owned());
        let base = super::state_dir().expect("a state folder");
        let unique = |i: usize| base.join(format!("recent-test-{}-{i}.ron", std::process::id()));
        for i in 0..12 {
            super::remember_recent_project(&unique(i));
        }
        super::remember_recent_project(&unique(5));
        let recent = super::recent_projects();
        assert_eq!(recent.len(), super::RECENT);
        assert_eq!(recent[0], unique(5));
        assert_eq!(recent[1], unique(11));
        assert_eq!(recent.iter().filter(|p| **p == unique(5)).count(), 1);
        assert!(!recent.contains(&unique(0)), "the oldest ones dropped");
    }
}
