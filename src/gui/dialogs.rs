//! Dialogs: native file dialogs (rfd) on a worker thread, the path field used when no
//! native dialog exists, and the unsaved-changes prompt.
//!
//! rfd's `FileDialog` blocks its thread until the user answers, so it runs on a worker and
//! the UI keeps repainting. When there is no native dialog (no XDG desktop portal), rfd
//! answers "nothing" at once; an answer faster than a human could give means exactly that,
//! and the path field is offered instead.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

use eframe::egui::{self, Context, Id, Key};

use super::command::Action;

/// Answers faster than this mean no dialog was shown.
const NO_DIALOG_THRESHOLD: Duration = Duration::from_millis(300);

/// How file paths are asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialogBackend {
    /// The platform's dialogs through rfd, with the path field as fallback.
    Native,
    /// Only the path field (tests, or systems known to lack dialogs).
    PathField,
}

/// What a path is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Open,
    SaveAs,
    /// Where the project file of a new project goes.
    NewProject,
    /// Find the moved source file of a document.
    Locate(crate::model::DocumentId),
}

impl Purpose {
    fn title(self) -> &'static str {
        match self {
            Self::Open => "Open a document or project",
            Self::SaveAs => "Save the project as",
            Self::NewProject => "Create a new project",
            Self::Locate(_) => "Locate the document's file",
        }
    }
}

struct Picked {
    paths: Vec<PathBuf>,
    elapsed: Duration,
}

/// The path field, shown as a modal.
pub struct PathPrompt {
    purpose: Purpose,
    text: String,
    reason: Option<String>,
    /// The folder the field was filled with (a name typed after it is in that folder).
    prefill: String,
    /// The folder listed under the field, and what it holds (see [`Self::browser_ui`]).
    listing: Option<(PathBuf, Vec<(String, bool)>)>,
}

/// At most this many entries of a folder are listed.
const LISTED: usize = 500;

impl PathPrompt {
    /// The folder the field points into: the folder it names, else the folder of the file
    /// it names, else the working folder.
    fn folder(&self) -> Option<PathBuf> {
        let path = self.path();
        if path.as_os_str().is_empty() {
            return std::env::current_dir().ok();
        }
        if path.is_dir() {
            return Some(path);
        }
        path.parent()
            .filter(|p| p.is_dir())
            .map(Path::to_owned)
            .or_else(|| std::env::current_dir().ok())
    }

    /// Whether a file of this name can be the answer.
    fn wanted(&self, name: &str) -> bool {
        let extension = Path::new(name)
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let article = crate::ingest::EXTENSIONS.contains(&extension.as_str());
        match self.purpose {
            Purpose::Open => article || extension == "ron",
            Purpose::SaveAs | Purpose::NewProject => extension == "ron",
            Purpose::Locate(_) => article,
        }
    }

    /// The folders and wanted files of `folder` (hidden ones left out), folders first.
    fn list(&self, folder: &Path) -> Vec<(String, bool)> {
        let Ok(entries) = std::fs::read_dir(folder) else {
            return Vec::new();
        };
        let mut listed: Vec<(String, bool)> = entries
            .filter_map(Result::ok)
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                let is_dir = e.path().is_dir();
                (!name.starts_with('.') && (is_dir || self.wanted(&name))).then_some((name, is_dir))
            })
            .take(LISTED)
            .collect();
        listed.sort_by_key(|(name, is_dir)| (!is_dir, name.to_lowercase()));
        listed
    }

    /// A small file browser under the field: the folder it points into, a click on a
    /// folder goes into it, on a file puts its path in the field.
    fn browser_ui(&mut self, ui: &mut egui::Ui) {
        let Some(folder) = self.folder() else {
            return;
        };
        if self
            .listing
            .as_ref()
            .is_none_or(|(listed, _)| *listed != folder)
        {
            self.listing = Some((folder.clone(), self.list(&folder)));
        }
        let Some((_, entries)) = &self.listing else {
            return;
        };
        let in_folder = |name: &str, is_dir: bool| {
            let mut text = folder.join(name).to_string_lossy().into_owned();
            if is_dir && !text.ends_with(std::path::MAIN_SEPARATOR) {
                text.push(std::path::MAIN_SEPARATOR);
            }
            text
        };
        ui.weak(format!("In {}:", folder.display()));
        let mut picked = None;
        egui::ScrollArea::vertical()
            .id_salt("path-browser")
            .max_height(200.0)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                if let Some(parent) = folder.parent()
                    && ui
                        .selectable_label(false, "../ (the folder above)")
                        .clicked()
                {
                    let mut text = parent.to_string_lossy().into_owned();
                    if !text.ends_with(std::path::MAIN_SEPARATOR) {
                        text.push(std::path::MAIN_SEPARATOR);
                    }
                    picked = Some(text);
                }
                for (name, is_dir) in entries {
                    let shown = if *is_dir {
                        format!("{name}/")
                    } else {
                        name.clone()
                    };
                    if ui.selectable_label(false, shown).clicked() {
                        picked = Some(in_folder(name, *is_dir));
                    }
                }
                if entries.is_empty() {
                    ui.weak("(nothing to open here)");
                }
            });
        if let Some(text) = picked {
            self.text = text;
            // What is typed now is the whole path, not a name after the pre-filled folder.
            self.prefill.clear();
        }
    }

    /// The path the analyst means: what they typed, or, when they typed an absolute path
    /// after the pre-filled folder, that path alone.
    fn path(&self) -> PathBuf {
        let text = self.text.trim();
        match text.strip_prefix(self.prefill.as_str()) {
            Some(rest) if !self.prefill.is_empty() && is_absolute(rest) => PathBuf::from(rest),
            _ => PathBuf::from(text),
        }
    }
}

/// An absolute path as typed (from the root, or a drive).
fn is_absolute(text: &str) -> bool {
    Path::new(text).is_absolute()
}

/// File dialog state.
pub struct FileDialogs {
    backend: DialogBackend,
    waiting: Option<(Purpose, Receiver<Picked>)>,
    prompt: Option<PathPrompt>,
    /// The folder the last native dialog opened in (the path field starts there if the
    /// dialog turns out not to exist).
    folder: Option<PathBuf>,
}

impl FileDialogs {
    pub fn new(backend: DialogBackend) -> Self {
        Self {
            backend,
            waiting: None,
            prompt: None,
            folder: None,
        }
    }

    /// True while a native dialog is open.
    pub fn is_waiting(&self) -> bool {
        self.waiting.is_some()
    }

    /// True while the path field is shown.
    pub fn is_prompting(&self) -> bool {
        self.prompt.is_some()
    }

    /// Why the path field is shown instead of a native dialog, if it is.
    #[cfg(test)]
    fn prompt_reason(&self) -> Option<&str> {
        self.prompt.as_ref().and_then(|p| p.reason.as_deref())
    }

    /// Asks for a path: a native dialog if possible, else the path field.
    pub fn ask(&mut self, purpose: Purpose, ctx: &Context, folder: Option<PathBuf>) {
        if self.waiting.is_some() {
            return;
        }
        self.folder.clone_from(&folder);
        match self.backend {
            DialogBackend::PathField => self.prompt_for(purpose, None, folder),
            DialogBackend::Native => {
                let (sender, receiver) = channel();
                let ctx = ctx.clone();
                let spawned = std::thread::Builder::new()
                    .name("file-dialog".to_owned())
                    .spawn(move || {
                        let started = Instant::now();
                        let mut dialog = rfd::FileDialog::new();
                        if let Some(folder) = folder {
                            dialog = dialog.set_directory(folder);
                        }
                        let paths = match purpose {
                            Purpose::Open => dialog
                                .add_filter("Articles and projects", &{
                                    let mut all = crate::ingest::EXTENSIONS.to_vec();
                                    all.push("ron");
                                    all
                                })
                                .add_filter("All files", &["*"])
                                .pick_files()
                                .unwrap_or_default(),
                            Purpose::SaveAs | Purpose::NewProject => dialog
                                .add_filter("Marginalia project", &["ron"])
                                .save_file()
                                .into_iter()
                                .collect(),
                            Purpose::Locate(_) => dialog
                                .add_filter("Articles", crate::ingest::EXTENSIONS)
                                .add_filter("All files", &["*"])
                                .pick_file()
                                .into_iter()
                                .collect(),
                        };
                        let _ = sender.send(Picked {
                            paths,
                            elapsed: started.elapsed(),
                        });
                        ctx.request_repaint();
                    });
                match spawned {
                    Ok(_) => self.waiting = Some((purpose, receiver)),
                    Err(e) => self.prompt_for(
                        purpose,
                        Some(format!("The file dialog could not be started ({e}).")),
                        None,
                    ),
                }
            }
        }
    }

    /// Shows the path field directly.
    pub fn prompt_for(
        &mut self,
        purpose: Purpose,
        reason: Option<String>,
        folder: Option<PathBuf>,
    ) {
        let text = folder
            .map(|f| {
                let mut s = f.to_string_lossy().into_owned();
                if !s.ends_with(std::path::MAIN_SEPARATOR) {
                    s.push(std::path::MAIN_SEPARATOR);
                }
                s
            })
            .unwrap_or_default();
        self.prompt = Some(PathPrompt {
            purpose,
            prefill: text.clone(),
            text,
            reason,
            listing: None,
        });
    }

    /// Collects the native dialog's answer, if it came.
    pub fn poll(&mut self, actions: &mut Vec<Action>) {
        let Some((purpose, receiver)) = &self.waiting else {
            return;
        };
        let purpose = *purpose;
        match receiver.try_recv() {
            Err(TryRecvError::Empty) => {}
            Err(TryRecvError::Disconnected) => {
                self.waiting = None;
                let folder = self.folder.clone();
                self.prompt_for(purpose, Some("The file dialog failed.".to_owned()), folder);
            }
            Ok(picked) => {
                self.waiting = None;
                if !picked.paths.is_empty() {
                    actions.push(to_action(purpose, picked.paths));
                } else if picked.elapsed < NO_DIALOG_THRESHOLD {
                    self.prompt_for(
                        purpose,
                        Some(
                            "No native file dialog is available on this system (no XDG desktop portal). Type the path instead."
                                .to_owned(),
                        ),
                        self.folder.clone(),
                    );
                }
            }
        }
    }

    /// The path field as a modal window.
    pub fn prompt_ui(&mut self, ctx: &Context, actions: &mut Vec<Action>) {
        let Some(prompt) = &mut self.prompt else {
            return;
        };
        let mut close = false;
        egui::Modal::new(Id::unique("path-prompt")).show(ctx, |ui| {
            ui.set_width(520.0);
            ui.heading(prompt.purpose.title());
            if let Some(reason) = &prompt.reason {
                ui.label(reason);
            }
            ui.label(match prompt.purpose {
                Purpose::Open => "Path of an article (.txt, .md, .html) or a project (.ron):",
                Purpose::SaveAs => "Path of the project file (.ron):",
                Purpose::NewProject => "Path of the new project file (.ron):",
                Purpose::Locate(_) => "Where the document's file is now:",
            });
            let field = ui.add(
                egui::TextEdit::singleline(&mut prompt.text)
                    .desired_width(f32::INFINITY)
                    .hint_text("/path/to/file"),
            );
            field.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Path"));
            if !field.has_focus() && !field.lost_focus() {
                field.request_focus();
            }
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            prompt.browser_ui(ui);
            ui.horizontal(|ui| {
                let ok = ui.button(match prompt.purpose {
                    Purpose::Open => "Open",
                    Purpose::SaveAs => "Save",
                    Purpose::NewProject => "Create",
                    Purpose::Locate(_) => "Locate",
                });
                if (ok.clicked() || entered) && !prompt.text.trim().is_empty() {
                    let mut path = prompt.path();
                    if matches!(prompt.purpose, Purpose::SaveAs | Purpose::NewProject)
                        && path.extension().is_none()
                    {
                        path.set_extension("ron");
                    }
                    actions.push(to_action(prompt.purpose, vec![path]));
                    close = true;
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                    close = true;
                }
            });
        });
        if close {
            self.prompt = None;
        }
    }
}

fn to_action(purpose: Purpose, mut paths: Vec<PathBuf>) -> Action {
    match purpose {
        Purpose::Open => Action::OpenPaths(paths),
        Purpose::SaveAs => Action::SaveTo(paths.swap_remove(0)),
        Purpose::NewProject => Action::NewProject(paths.swap_remove(0)),
        Purpose::Locate(document) => Action::Locate(document, paths.swap_remove(0)),
    }
}

/// The outcome of an export or import under its dialog: the report, or the error (which
/// may list many problems, so it scrolls).
pub fn outcome_ui(ui: &mut egui::Ui, outcome: Option<&Result<String, String>>) {
    let Some(outcome) = outcome else {
        return;
    };
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("outcome")
        .max_height(200.0)
        .show(ui, |ui| match outcome {
            Ok(report) => {
                ui.label(report);
            }
            Err(error) => {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
        });
}

/// The answer to "save changes?".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnsavedChoice {
    Save,
    Discard,
    Cancel,
}

/// Asks Save / Discard / Cancel about unsaved changes; `None` until answered.
pub fn unsaved_changes_ui(ctx: &Context, project_name: &str, doing: &str) -> Option<UnsavedChoice> {
    let mut choice = None;
    egui::Modal::new(Id::unique("unsaved-changes")).show(ctx, |ui| {
        ui.set_width(420.0);
        ui.heading("Unsaved changes");
        ui.label(format!(
            "“{project_name}” has changes that are not saved. Save them before {doing}?"
        ));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Save").clicked() || ui.input(|i| i.key_pressed(Key::Enter)) {
                choice = Some(UnsavedChoice::Save);
            }
            if ui.button("Discard").clicked() {
                choice = Some(UnsavedChoice::Discard);
            }
            if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                choice = Some(UnsavedChoice::Cancel);
            }
        });
    });
    choice
}

/// Asks before a document leaves the project: true to remove it, false to keep it,
/// `None` while the analyst has not answered.
pub fn remove_document_ui(ctx: &Context, name: &str, annotations: usize) -> Option<bool> {
    let mut choice = None;
    egui::Modal::new(Id::unique("remove-document")).show(ctx, |ui| {
        ui.set_width(420.0);
        ui.heading("Remove document");
        ui.label(format!(
            "Take “{name}” out of the project, with its {annotations} annotation(s)? Edit > Undo \
             (Ctrl+Z) brings them back; the file itself stays on disk."
        ));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Remove").clicked() {
                choice = Some(true);
            }
            if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(Key::Escape)) {
                choice = Some(false);
            }
        });
    });
    choice
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answered(paths: Vec<PathBuf>, elapsed_ms: u64) -> (FileDialogs, Vec<Action>) {
        let (sender, receiver) = channel();
        sender
            .send(Picked {
                paths,
                elapsed: Duration::from_millis(elapsed_ms),
            })
            .expect("send");
        let mut dialogs = FileDialogs::new(DialogBackend::Native);
        dialogs.waiting = Some((Purpose::Open, receiver));
        let mut actions = Vec::new();
        dialogs.poll(&mut actions);
        (dialogs, actions)
    }

    #[test]
    fn an_absolute_path_typed_after_the_prefilled_folder_is_taken_alone() {
        let mut dialogs = FileDialogs::new(DialogBackend::PathField);
        dialogs.prompt_for(Purpose::Open, None, Some(PathBuf::from("/work/project")));
        let prompt = dialogs.prompt.as_mut().expect("prompt");
        assert_eq!(prompt.text, "/work/project/");
        prompt.text.push_str("/home/me/a.txt");
        assert_eq!(prompt.path(), PathBuf::from("/home/me/a.txt"));
        prompt.text = "/work/project/notes/a.txt".to_owned();
        assert_eq!(prompt.path(), PathBuf::from("/work/project/notes/a.txt"));
    }

    #[test]
    fn an_instant_empty_answer_means_no_dialog_and_offers_the_path_field() {
        let (dialogs, actions) = answered(Vec::new(), 5);
        assert!(actions.is_empty());
        assert!(!dialogs.is_waiting());
        let reason = dialogs.prompt_reason().expect("the path field is offered");
        assert!(reason.contains("No native file dialog"), "{reason}");
    }

    #[test]
    fn a_slow_empty_answer_is_a_cancel() {
        let (dialogs, actions) = answered(Vec::new(), 2_000);
        assert!(actions.is_empty());
        assert!(!dialogs.is_prompting());
    }

    #[test]
    fn picked_files_are_opened() {
        let (_, actions) = answered(vec![PathBuf::from("/a.txt")], 2_000);
        assert_eq!(actions, [Action::OpenPaths(vec![PathBuf::from("/a.txt")])]);
    }
}
