//! The desktop application (feature `gui`).
pub fn run(_w: crate::workspace::Workspace, _p: Vec<String>) -> eframe::Result<()> {
    Ok(())
}
