//! Crash-safe file replacement: temp file in the same folder, fsync, rename, fsync folder.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

/// Replaces the file at `path` by `bytes` so that, whatever happens, `path` holds either
/// the old or the new content in full. The previous content is kept as `<path>.bak`.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    replace(path, bytes, true)
}

/// Like [`write_atomically`], without keeping the previous content.
pub fn replace_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    replace(path, bytes, false)
}

/// The error of a write given up because it was cancelled.
pub(super) fn cancelled() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::Interrupted, "cancelled")
}

fn replace(path: &Path, bytes: &[u8], keep_backup: bool) -> std::io::Result<()> {
    let mut file = Replacement::create(path)?;
    file.write_all(bytes)?;
    file.commit(keep_backup, || false)
}

/// Bytes written between two requests to start writing them to the disk.
const WRITE_BACK_EVERY: usize = 4 * 1024 * 1024;

/// The new content of a file, written to a temporary file next to it; [`Replacement::commit`]
/// puts it in the file's place. Dropped without a commit, the temporary file is removed and
/// the file stays as it was.
///
/// A long content is handed to the disk while it is still being written (a thread syncs
/// what is written so far every few megabytes), so the final sync has little left to do.
pub(super) struct Replacement {
    path: PathBuf,
    folder: PathBuf,
    temp: PathBuf,
    file: Option<File>,
    unsynced: usize,
    write_back: Option<(mpsc::Sender<()>, std::thread::JoinHandle<()>)>,
}

impl Replacement {
    /// Starts replacing the file at `path` (which need not exist; its folder must). A link
    /// is written through: the file it points at is replaced, the link stays. The new file
    /// gets the old one's permissions (and owner, where allowed).
    pub(super) fn create(path: &Path) -> std::io::Result<Self> {
        let real = written_through(path);
        let path = real.as_path();
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
        let file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&temp)?;
        if let Ok(old) = fs::metadata(path) {
            // A private project stays private (the new file would get the default mode).
            file.set_permissions(old.permissions())?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt;
                let _ = std::os::unix::fs::fchown(&file, Some(old.uid()), Some(old.gid()));
            }
        }
        Ok(Self {
            path: path.to_owned(),
            folder,
            temp,
            file: Some(file),
            unsynced: 0,
            write_back: None,
        })
    }

    /// Appends `bytes` to the new content.
    pub(super) fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let file = self
            .file
            .as_mut()
            .ok_or_else(|| std::io::Error::other("the file was already put in place"))?;
        file.write_all(bytes)?;
        self.unsynced += bytes.len();
        if self.unsynced >= WRITE_BACK_EVERY {
            self.unsynced = 0;
            self.start_write_back();
        }
        Ok(())
    }

    /// Asks the write-back thread (started the first time) to sync what is written so far.
    /// Only a head start: its errors are those the final sync reports.
    fn start_write_back(&mut self) {
        if self.write_back.is_none() {
            let Some(clone) = self.file.as_ref().and_then(|f| f.try_clone().ok()) else {
                return;
            };
            let (sender, requests) = mpsc::channel::<()>();
            let thread = std::thread::spawn(move || {
                while requests.recv().is_ok() {
                    // Requests made while syncing are all served by the next sync.
                    while requests.try_recv().is_ok() {}
                    let _ = clone.sync_data();
                }
            });
            self.write_back = Some((sender, thread));
        }
        if let Some((sender, _)) = &self.write_back {
            let _ = sender.send(());
        }
    }

    fn stop_write_back(&mut self) {
        if let Some((sender, thread)) = self.write_back.take() {
            drop(sender);
            let _ = thread.join();
        }
    }

    /// Syncs the new content and puts it in the file's place (the old content kept as
    /// `NAME.bak` with `keep_backup`), unless `cancelled` says so just before: then the
    /// error is [`cancelled`] and the file stays as it was.
    pub(super) fn commit(
        mut self,
        keep_backup: bool,
        cancelled: impl Fn() -> bool,
    ) -> std::io::Result<()> {
        self.stop_write_back();
        let file = self
            .file
            .take()
            .ok_or_else(|| std::io::Error::other("the file was already put in place"))?;
        file.sync_all()?;
        drop(file);
        // The last moment the old file can still be kept as it is.
        if cancelled() {
            return Err(self::cancelled());
        }
        let name = self.path.file_name().unwrap_or_default().to_owned();
        // The backup before last, moved aside to be deleted once the new file is in place.
        let mut superseded = None;
        if keep_backup && self.path.exists() {
            let mut backup = name.clone();
            backup.push(".bak");
            let backup = self.folder.join(backup);
            let mut aside = name.clone();
            aside.push(format!("{OLD_BACKUP}{}", std::process::id()));
            let aside = self.folder.join(aside);
            let big = fs::metadata(&backup).is_ok_and(|m| m.len() >= DELETE_LATER_FROM);
            if big && fs::rename(&backup, &aside).is_ok() {
                superseded = Some(aside);
            } else {
                let _ = fs::remove_file(&backup);
            }
            // A second name for the old file costs nothing; copy only where links fail.
            if fs::hard_link(&self.path, &backup).is_err() {
                fs::copy(&self.path, &backup)?;
            }
        }
        fs::rename(&self.temp, &self.path)?;
        // The temporary file is gone: nothing for drop to remove.
        self.temp = PathBuf::new();
        // Make the rename itself durable (not possible on every platform).
        if let Ok(dir) = File::open(&self.folder) {
            let _ = dir.sync_all();
        }
        if let Some(aside) = superseded {
            // Freeing a big file's blocks takes the file system a while (25 ms for 35 MB
            // here): not while the caller waits. Left behind if the process ends first, it
            // is removed by a later save.
            std::thread::spawn(move || fs::remove_file(aside));
        }
        Ok(())
    }
}

impl Drop for Replacement {
    fn drop(&mut self) {
        self.stop_write_back();
        drop(self.file.take());
        if !self.temp.as_os_str().is_empty() {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

/// The file a write to `path` replaces: the one a link points at (following a chain of
/// links), else `path` itself.
fn written_through(path: &Path) -> PathBuf {
    let mut current = path.to_owned();
    for _ in 0..40 {
        match fs::read_link(&current) {
            Ok(target) => {
                current = match current.parent() {
                    Some(folder) if target.is_relative() => folder.join(target),
                    _ => target,
                };
            }
            Err(_) => return current,
        }
    }
    path.to_owned()
}

/// What a superseded backup is called while it waits to be deleted: `NAME` + this + PID.
const OLD_BACKUP: &str = ".old-bak-";

/// Superseded backups from this size on are deleted on a thread of their own.
const DELETE_LATER_FROM: u64 = 4 * 1024 * 1024;

/// Removes `NAME.tmp-PID` files left by processes killed while saving, and `NAME.old-bak-PID`
/// files (superseded backups) of processes that ended before deleting them (on Linux, where
/// a running process is visible in `/proc`; a live one's file is never touched).
fn remove_stale_temp_files(folder: &Path, file_name: &str) {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    let prefixes = [
        format!("{file_name}.tmp-"),
        format!("{file_name}{OLD_BACKUP}"),
    ];
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| prefixes.iter().find_map(|p| n.strip_prefix(p.as_str())))
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
        write_atomically(&path, b"three").expect("third write");
        assert_eq!(fs::read(dir.path().join("p.ron.bak")).expect("bak"), b"two");
        assert_eq!(names_in(dir.path()), ["p.ron", "p.ron.bak"]);
    }

    fn names_in(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(folder)
            .expect("list")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_big_superseded_backup_is_deleted_after_the_save() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("p.ron");
        let big = |fill: u8| vec![fill; usize::try_from(DELETE_LATER_FROM).expect("fits")];
        write_atomically(&path, &big(b'1')).expect("first write");
        write_atomically(&path, &big(b'2')).expect("second write");
        write_atomically(&path, &big(b'3')).expect("third write");
        assert_eq!(fs::read(&path).expect("read"), big(b'3'));
        assert_eq!(
            fs::read(dir.path().join("p.ron.bak")).expect("bak"),
            big(b'2')
        );
        // The first content goes on another thread: wait for it (not a timing target).
        let deadline = std::time::Instant::now() + std::time::Duration::from_mins(1);
        while names_in(dir.path()).len() > 2 && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert_eq!(names_in(dir.path()), ["p.ron", "p.ron.bak"]);
    }

    #[test]
    fn temp_files_of_killed_saves_are_cleaned_up_but_not_those_of_live_ones() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("p.ron");
        let dead = dir.path().join("p.ron.tmp-4000000000");
        let dead_backup = dir.path().join("p.ron.old-bak-4000000000");
        let alive = dir.path().join("p.ron.tmp-1");
        let alive_backup = dir.path().join("p.ron.old-bak-1");
        let other = dir.path().join("q.ron.tmp-4000000000");
        for file in [&dead, &dead_backup, &alive, &alive_backup, &other] {
            fs::write(file, b"half").expect("write");
        }
        write_atomically(&path, b"new").expect("write");
        assert!(!dead.exists(), "left by a process that is gone");
        assert!(!dead_backup.exists(), "left by a process that is gone");
        assert!(alive.exists() && alive_backup.exists(), "pid 1 runs");
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
        // Cancelled at the last moment (a save's cancel check before the rename).
        let mut file = Replacement::create(&path).expect("create");
        file.write_all(b"new content").expect("write");
        let error = file.commit(true, || true).expect_err("cancelled");
        assert_eq!(error.kind(), std::io::ErrorKind::Interrupted);
        // Given up half way (a save cancelled or failing while it writes).
        let mut file = Replacement::create(&path).expect("create");
        file.write_all(b"half").expect("write");
        drop(file);
        assert_eq!(fs::read(&path).expect("read"), b"old");
        assert_eq!(names_in(dir.path()), ["p.ron"]);

        // Not cancelled: written in full, in pieces, handed to the disk on the way.
        let big = vec![b'x'; 3 * WRITE_BACK_EVERY + 7];
        let mut file = Replacement::create(&path).expect("create");
        file.write_all(b"new").expect("write");
        for piece in big.chunks(1024 * 1024) {
            file.write_all(piece).expect("write");
        }
        file.commit(true, || false).expect("commit");
        assert_eq!(fs::read(&path).expect("read").len(), big.len() + 3);
        assert_eq!(names_in(dir.path()), ["p.ron", "p.ron.bak"]);
    }
}
