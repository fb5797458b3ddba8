//! Crash-safe file replacement: temp file in the same folder, fsync, rename, fsync folder.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Replaces the file at `path` by `bytes` so that, whatever happens, `path` holds either
/// the old or the new content in full. The previous content is kept as `<path>.bak`.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    replace(path, &[bytes], true)
}

/// Like [`write_atomically`], for content in several parts (written one after another).
pub fn write_parts_atomically(path: &Path, parts: &[&[u8]]) -> std::io::Result<()> {
    replace(path, parts, true)
}

/// Like [`write_atomically`], without keeping the previous content.
pub fn replace_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    replace(path, &[bytes], false)
}

fn replace(path: &Path, parts: &[&[u8]], keep_backup: bool) -> std::io::Result<()> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other("the path has no file name"))?;
    let mut temp_name = file_name.to_owned();
    temp_name.push(format!(".tmp-{}", std::process::id()));
    let temp = folder.join(temp_name);

    let result = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&temp)?;
        for part in parts {
            file.write_all(part)?;
        }
        file.sync_all()?;
        drop(file);
        if keep_backup && path.exists() {
            let mut backup = file_name.to_owned();
            backup.push(".bak");
            let backup = folder.join(backup);
            // A second name for the old file costs nothing; copy only where links fail.
            let _ = fs::remove_file(&backup);
            if fs::hard_link(path, &backup).is_err() {
                fs::copy(path, &backup)?;
            }
        }
        fs::rename(&temp, path)?;
        // Make the rename itself durable (not possible on every platform).
        if let Ok(dir) = File::open(&folder) {
            let _ = dir.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_content_and_keeps_a_backup() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("p.ron");
        write_atomically(&path, b"one").expect("first write");
        write_atomically(&path, b"two").expect("second write");
        assert_eq!(fs::read(&path).expect("read"), b"two");
        assert_eq!(fs::read(dir.path().join("p.ron.bak")).expect("bak"), b"one");
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .expect("list")
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn failure_leaves_the_old_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("missing-folder").join("p.ron");
        assert!(write_atomically(&path, b"x").is_err());
        assert!(!path.exists());
    }
}
