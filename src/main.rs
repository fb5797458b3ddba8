//! The `marginalia` binary: parse the command line, then run a headless command or the GUI.

use std::process::ExitCode;

use clap::Parser;
use marginalia::cli::{self, Cli};

fn main() -> ExitCode {
    let args = Cli::parse();
    if let Some(command) = &args.command {
        return match cli::run(command, &mut std::io::stdout().lock()) {
            Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
            Err(e) => {
                eprintln!("marginalia: {e:#}");
                ExitCode::from(2)
            }
        };
    }
    run_gui(&args)
}

#[cfg(feature = "gui")]
fn run_gui(args: &Cli) -> ExitCode {
    let (workspace, mut problems) = cli::open_paths(&args.paths);
    // A project that could not be opened is opened again by the window, which can offer
    // "Open anyway" for an inconsistent one (and reports any other error itself).
    let failed_project = args
        .paths
        .iter()
        .find(|p| cli::is_project_path(p) && p.exists())
        .filter(|_| workspace.path().is_none())
        .cloned();
    if let Some(path) = &failed_project {
        let shown = path.display().to_string();
        problems.retain(|p| !p.ends_with(&shown));
    }
    match marginalia::gui::run(workspace, problems, failed_project) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("marginalia: cannot start the window: {e}");
            ExitCode::from(2)
        }
    }
}

#[cfg(not(feature = "gui"))]
fn run_gui(_args: &Cli) -> ExitCode {
    eprintln!(
        "marginalia: this build has no GUI (built without the `gui` feature); see --help for headless commands"
    );
    ExitCode::from(2)
}
