//! One annotation's history: who changed what and when, read from the repository's history
//! of the project file (`git log`: one annotation per line makes it a line's history) and,
//! for what is not saved yet, from the difference between the project in memory and the
//! file on disk. Run only when the analyst asks (the inspector's History button), on a
//! worker: the app never runs a git command the analyst did not ask for.

use std::path::{Path, PathBuf};

use crate::model::{Annotation, AnnotationId};

/// One step of an annotation's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The commit (abbreviated), or "unsaved".
    pub commit: String,
    /// Who: the analyst the annotation names for the change, else the commit's author.
    pub who: String,
    /// When (the commit's date, or the annotation's `modified` time).
    pub when: String,
    /// What changed, in words.
    pub what: Vec<String>,
}

/// Why the history could not be read.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("the project has not been saved yet")]
    Untitled,
    #[error("the project is not in a git work tree; only unsaved changes are known")]
    NotInGit,
    #[error("cannot run git ({0})")]
    Git(String),
}

/// A commit that changed the annotation's line: (commit, author, date, the annotation
/// after it, `None` once deleted).
type Committed = (String, String, String, Option<Annotation>);

/// What reading one annotation's history needs, taken from the workspace; run it on a
/// worker.
#[derive(Clone, Debug)]
pub struct HistoryJob {
    pub id: AnnotationId,
    project_file: Option<PathBuf>,
    /// The annotation as it is now in memory (`None` if deleted).
    now: Option<Annotation>,
}

impl super::Workspace {
    /// The job that reads `id`'s history.
    pub fn history_job(&self, id: AnnotationId) -> HistoryJob {
        HistoryJob {
            id,
            project_file: self.path.clone(),
            now: self.project.annotation(id).cloned(),
        }
    }
}

impl HistoryJob {
    /// The steps, oldest first: committed ones, then what is unsaved.
    pub fn run(&self) -> Result<Vec<Step>, HistoryError> {
        let file = self.project_file.as_deref().ok_or(HistoryError::Untitled)?;
        let mut steps = Vec::new();
        let mut last: Option<Annotation> = None;
        let folder = file.parent().unwrap_or(Path::new("."));
        let in_git = super::analyst::git_dir(folder).is_some();
        if in_git {
            for (commit, author, when, version) in self.committed(file)? {
                let what = describe(last.as_ref(), version.as_ref());
                if !what.is_empty() {
                    let who = version
                        .as_ref()
                        .map(|a| changer(a).to_owned())
                        .filter(|n| !n.is_empty())
                        .unwrap_or(author);
                    steps.push(Step {
                        commit,
                        who,
                        when,
                        what,
                    });
                }
                last = version;
            }
        }
        // Saved but not committed (in git; outside it, the saved version is where the
        // history starts), then unsaved: the file on disk, then memory.
        let on_disk = saved_version(file, self.id);
        let mut later = vec![("unsaved", self.now.clone())];
        if in_git {
            later.insert(0, ("saved, not committed", on_disk));
        } else {
            last = on_disk;
        }
        for (commit, version) in later {
            let what = describe(last.as_ref(), version.as_ref());
            if !what.is_empty() {
                steps.push(Step {
                    commit: commit.to_owned(),
                    who: version.as_ref().map(changer).unwrap_or_default().to_owned(),
                    when: version
                        .as_ref()
                        .map(|a| a.modified.strftime("%Y-%m-%d %H:%M").to_string())
                        .unwrap_or_default(),
                    what,
                });
            }
            last = version;
        }
        if !in_git && steps.is_empty() {
            return Err(HistoryError::NotInGit);
        }
        Ok(steps)
    }

    /// The versions of the annotation's line in each commit that changed it, oldest first:
    /// (commit, author, date, the annotation after it, `None` once deleted).
    fn committed(&self, file: &Path) -> Result<Vec<Committed>, HistoryError> {
        let folder = file.parent().unwrap_or(Path::new("."));
        let name = file.file_name().map(PathBuf::from).unwrap_or_default();
        let needle = format!("(id: {}, doc:", self.id.0);
        let output = std::process::Command::new("git")
            .arg("-C")
            .arg(folder)
            .args([
                "log",
                "--no-color",
                "-p",
                "--format=%x01%h%x09%an%x09%ad",
                "--date=format:%Y-%m-%d %H:%M",
            ])
            .arg(format!("-Gid: {}, doc:", self.id.0))
            .arg("--")
            .arg(&name)
            .output()
            .map_err(|e| HistoryError::Git(e.to_string()))?;
        if !output.status.success() {
            return Err(HistoryError::Git(
                String::from_utf8_lossy(&output.stderr).trim().to_owned(),
            ));
        }
        let log = String::from_utf8_lossy(&output.stdout);
        let mut commits = Vec::new();
        for entry in log.split('\u{1}').filter(|e| !e.trim().is_empty()) {
            let mut lines = entry.lines();
            let head = lines.next().unwrap_or_default();
            let mut fields = head.splitn(3, '\t');
            let (commit, author, when) = (
                fields.next().unwrap_or_default().to_owned(),
                fields.next().unwrap_or_default().to_owned(),
                fields.next().unwrap_or_default().to_owned(),
            );
            let version = lines
                .filter_map(|l| l.strip_prefix('+'))
                .find(|l| l.trim_start().starts_with(&needle))
                .and_then(parse_line);
            commits.push((commit, author, when, version));
        }
        commits.reverse();
        Ok(commits)
    }
}

/// The annotation of one project file line (`        (id: …),`).
fn parse_line(line: &str) -> Option<Annotation> {
    let line = line.trim().trim_end_matches(',');
    ron::from_str::<Annotation>(line).ok()
}

/// The annotation `id` as the project file on disk has it.
fn saved_version(file: &Path, id: AnnotationId) -> Option<Annotation> {
    let text = std::fs::read_to_string(file).ok()?;
    let needle = format!("(id: {}, doc:", id.0);
    text.lines()
        .find(|l| l.trim_start().starts_with(&needle))
        .and_then(parse_line)
}

/// Who changed `a` last.
fn changer(a: &Annotation) -> &str {
    if a.changed_by.is_empty() {
        &a.author
    } else {
        &a.changed_by
    }
}

/// What changed from `before` to `after`, in words (nothing if they are the same).
pub fn describe(before: Option<&Annotation>, after: Option<&Annotation>) -> Vec<String> {
    let short = |a: &Annotation| crate::model::text::ellipsize(a.text(), 40);
    match (before, after) {
        (None, None) => Vec::new(),
        (None, Some(a)) => vec![format!("made: {} “{}”", a.label, short(a))],
        (Some(_), None) => vec!["deleted".to_owned()],
        (Some(b), Some(a)) => {
            let mut what = Vec::new();
            if b.label != a.label {
                what.push(format!("label from {} to {}", b.label, a.label));
            }
            if b.span != a.span || b.fragments != a.fragments {
                what.push(format!(
                    "span from {}–{} to {}–{} (“{}”)",
                    b.span.start(),
                    b.span.end(),
                    a.span.start(),
                    a.span.end(),
                    short(a)
                ));
            }
            if b.entity != a.entity {
                what.push("entity link changed".to_owned());
            }
            if b.attrs != a.attrs {
                what.push("speaker, claimant, grading or attributes changed".to_owned());
            }
            if b.note != a.note {
                what.push(format!(
                    "note: “{}”",
                    crate::model::text::ellipsize(&a.note, 60)
                ));
            }
            what
        }
    }
}
