//! Document paths relative to the project file.

use std::path::{Component, Path, PathBuf};

/// Where a document recorded as `recorded` lives, for a project file in `project_dir`.
/// Absolute paths (documents of a project not yet saved) are used as they are.
pub fn resolve_document_path(project_dir: Option<&Path>, recorded: &str) -> PathBuf {
    let recorded = Path::new(recorded);
    match project_dir {
        Some(dir) if recorded.is_relative() => dir.join(recorded),
        _ => recorded.to_owned(),
    }
}

/// `file` relative to `dir`, with `/` separators (`../` where needed), or the absolute path
/// when the two share no root (another drive on Windows). Both should be absolute.
pub fn relative_path(dir: &Path, file: &Path) -> String {
    let dir: Vec<Component> = dir.components().collect();
    let target: Vec<Component> = file.components().collect();
    let common = dir.iter().zip(&target).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return file.to_string_lossy().replace('\\', "/");
    }
    let mut parts: Vec<String> = Vec::new();
    for _ in common..dir.len() {
        parts.push("..".to_owned());
    }
    for component in &target[common..] {
        parts.push(component.as_os_str().to_string_lossy().into_owned());
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_inside_and_beside() {
        assert_eq!(
            relative_path(Path::new("/p/proj"), Path::new("/p/proj/docs/a.txt")),
            "docs/a.txt"
        );
        assert_eq!(
            relative_path(Path::new("/p/proj"), Path::new("/p/other/a.txt")),
            "../other/a.txt"
        );
        assert_eq!(
            resolve_document_path(Some(Path::new("/p/proj")), "../other/a.txt"),
            PathBuf::from("/p/proj/../other/a.txt")
        );
        assert_eq!(
            resolve_document_path(Some(Path::new("/p/proj")), "/abs/a.txt"),
            PathBuf::from("/abs/a.txt")
        );
    }
}
