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
    // The window opens at once; it reads the project and the articles itself, in the
    // background, with progress and Cancel (and "Open anyway" for an inconsistent project).
    let (workspace, open, problems) = cli::startup(&args.paths);
    match marginalia::gui::run(workspace, problems, open) {
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
