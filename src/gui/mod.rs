//! The desktop application (feature `gui`): an imperative shell over the core.
//!
//! | module | owns |
//! |---|---|
//! | `app` | the eframe `App`: frame loop and input (`app/mod.rs`), applying actions (`app/actions.rs`) |
//! | `command` | the command enum (menu text, shortcuts) and the actions the UI emits |
//! | `document_view` | the virtualized text view: layout cache, painting layers, hit-testing |
//! | `panels` | menu bar, label bar, lists, status bar |
//! | `palette` | View > Command palette… (Ctrl+Shift+P): every command and label by name |
//! | `inspector` | the selected annotation: entity link picker, speaker/claimant, grading, note |
//! | `entities_window` | View > Entities…: the entity index, mentions per document, rename, merge |
//! | `schema_window` | View > Schema…: add, rename, recolour, rekey, delete labels; relation kinds |
//! | `tables_window` | View > Claims table… / Who said what… / claim clusters: rows jump; confirm, split, merge |
//! | `claim_clusters` | the claim clusters on a worker, for the tables window and the inspector |
//! | `suggestions_window` | Edit > Suggestions…: suggested quotes and mentions, accept or reject |
//! | `find_panel` | Edit > Find and tag all…: search, hits in context, tag all as one step |
//! | `export_dialog` | File > Export…: format, filters, path, fidelity report |
//! | `import_dialog` | File > Import…: format, files, offsets, strictness, report |
//! | `dialogs` | file dialogs on a worker, path field fallback, unsaved-changes prompt |
//! | `safety` | open anyway, changed on disk, recovery questions; autosave to the recovery file |
//! | `toasts` | messages to the user |
//! | `theme` | colours |

mod agreement_window;
mod app;
mod claim_clusters;
mod command;
mod curation_window;
mod details_window;
mod dialogs;
mod document_view;
mod entities_window;
mod export_dialog;
mod find_panel;
mod heights;
mod import_dialog;
mod inspector;
mod label_attributes;
mod network_view;
mod overview_view;
mod page_view;
mod palette;
mod panels;
mod paragraph;
mod password_prompt;
mod safety;
mod schema_window;
mod suggestions_window;
mod sync_window;
mod tables_window;
mod team_window;
mod theme;
mod toasts;
mod worker;

pub use app::{MarginaliaApp, PREFERENCES_KEY, Preferences, native_options};
pub use command::{Action, Command, ExportRequest};
pub use dialogs::DialogBackend;

use crate::workspace::Workspace;

/// Opens the window on `workspace`; `problems` are shown as error messages; `open` (a
/// project, articles) is then opened by the window in the background.
pub fn run(
    mut workspace: Workspace,
    problems: Vec<String>,
    open: Vec<std::path::PathBuf>,
) -> eframe::Result<()> {
    workspace.set_recovery_dir(crate::workspace::default_recovery_dir());
    eframe::run_native(
        "Marginalia",
        native_options(),
        Box::new(move |cc| {
            let mut app = MarginaliaApp::new(workspace, problems, DialogBackend::Native);
            if let Some(preferences) = cc
                .storage
                .and_then(|storage| eframe::get_value::<Preferences>(storage, PREFERENCES_KEY))
            {
                app.restore_preferences(preferences);
            }
            app.open_at_start(open);
            Ok(Box::new(app))
        }),
    )
}

#[cfg(test)]
mod tests {
    /// The window and the command line are sibling shells over the core: no file of the
    /// window's code uses the command line's, nor the other way round.
    #[test]
    fn the_window_and_the_command_line_never_import_each_other() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut gui_files = vec![src.join("gui")];
        // Spelt apart, so that this file does not name what it looks for.
        let (cli_path, gui_path) = (["crate", "cli"].join("::"), ["crate", "gui"].join("::"));
        let mut checked = 0;
        while let Some(path) = gui_files.pop() {
            if path.is_dir() {
                gui_files.extend(
                    std::fs::read_dir(&path)
                        .expect("read the folder")
                        .filter_map(Result::ok)
                        .map(|e| e.path()),
                );
            } else if path.extension().is_some_and(|e| e == "rs") {
                let code = std::fs::read_to_string(&path).expect("read");
                assert!(
                    !code.contains(&cli_path),
                    "{} uses the command line",
                    path.display()
                );
                checked += 1;
            }
        }
        assert!(
            checked > 20,
            "only {checked} files of the window's code found"
        );
        let cli = std::fs::read_to_string(src.join("cli.rs")).expect("read cli.rs");
        assert!(!cli.contains(&gui_path), "the command line uses the window");
    }
}
