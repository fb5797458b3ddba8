//! Crash-safe file replacement: temp file in the same folder, fsync, rename, fsync folder.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::model::Progress;

/// Replaces the file at `path` by `bytes` so that, whatever happens, `path` holds either
/// the old or the new content in full. The previous content is kept as `<path>.bak`.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    replace(path, &[bytes], true, None)
}

/// Like [`write_atomically`], for content in several parts (written one after another),
/// counting the bytes written in `progress` (`units` in all)
/// and giving up, leaving `path` as it was, once `progress` is cancelled: the error is of
/// kind [`std::io::ErrorKind::Interrupted`].
pub(super) fn write_parts_reporting(
    path: &Path,
    parts: &[&[u8]],
    progress: &Progress,
    units: u64,
) -> std::io::Result<()> {
    replace(path, parts, true, Some((progress, units)))
}

/// Like [`write_atomically`], without keeping the previous content.
pub fn replace_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    replace(path, &[bytes], false, None)
}

/// Bytes written between two looks at the progress.
const SLICE: usize = 1024 * 1024;

fn replace(
    path: &Path,
    parts: &[&[u8]],
    keep_backup: bool,
    progress: Option<(&Progress, u64)>,
) -> std::io::Result<()> {
    let cancelled = || progress.is_some_and(|(p, _)| p.is_cancelled());
    let stop = || std::io::Error::new(std::io::ErrorKind::Interrupted, "cancelled");
    let total: usize = parts.iter().map(|p| p.len()).sum();
    let mut written = 0_usize;
    let mut counted = 0_u64;
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
    remove_stale_temp_files(&folder, &file_name.to_string_lossy());

    let result = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&temp)?;
        for part in parts {
            for slice in part.chunks(SLICE) {
                if cancelled() {
                    return Err(stop());
                }
                file.write_all(slice)?;
                written += slice.len();
                if let Some((progress, units)) = progress {
                    // This slice's share of `units`, without rounding errors adding up.
                    let share = u128::from(units) * written as u128 / total.max(1) as u128;
                    let done = u64::try_from(share).unwrap_or(units);
                    progress.advance(done - counted);
                    counted = done;
                }
            }
        }
        file.sync_all()?;
        drop(file);
        // The last moment the old file can still be kept as it is.
        if cancelled() {
            return Err(stop());
        }
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

/// Removes `NAME.tmp-PID` files left by processes killed while saving (on Linux, where a
/// running process is visible in `/proc`; a live one's file is never touched).
fn remove_stale_temp_files(folder: &Path, file_name: &str) {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    let prefix = format!("{file_name}.tmp-");
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !proc.join(pid.to_string()).exists() {
            let _ = fs::remove_file(entry.path());
        }
    }
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
    fn temp_files_of_killed_saves_are_cleaned_up_but_not_those_of_live_ones() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("p.ron");
        let dead = dir.path().join("p.ron.tmp-4000000000");
        let alive = dir.path().join("p.ron.tmp-1");
        let other = dir.path().join("q.ron.tmp-4000000000");
        for file in [&dead, &alive, &other] {
            fs::write(file, b"half").expect("write");
        }
        write_atomically(&path, b"new").expect("write");
        assert!(!dead.exists(), "left by a process that is gone");
        assert!(alive.exists(), "pid 1 runs");
        assert!(other.exists(), "another file's");
    }

    #[test]
    fn failure_leaves_the_old_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("missing-folder").join("p.ron");
        assert!(write_atomically(&path, b"x").is_err());
        assert!(!path.exists());
    }

    #[test]
    fn a_cancelled_write_keeps_the_old_file_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("p.ron");
        write_atomically(&path, b"old").expect("first write");
        let progress = Progress::new();
        progress.cancel();
        let error = write_parts_reporting(&path, &[b"new", b" content"], &progress, 10)
            .expect_err("cancelled");
        assert_eq!(error.kind(), std::io::ErrorKind::Interrupted);
        assert_eq!(fs::read(&path).expect("read"), b"old");
        let names: Vec<_> = fs::read_dir(dir.path())
            .expect("list")
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, ["p.ron"]);

        // Not cancelled: written in full, counted to the end.
        let progress = Progress::new();
        progress.set_total(10);
        let big = vec![b'x'; 3 * SLICE + 7];
        write_parts_reporting(&path, &[b"new", &big], &progress, 10).expect("write");
        assert_eq!(fs::read(&path).expect("read").len(), big.len() + 3);
        assert_eq!(progress.fraction(), Some(1.0));
    }
}
