//! An advisory lock on a project file, so that two programs never save it at once.
//!
//! The lock is `flock` (through `std::fs::File::lock`) on a small file next to the project,
//! `NAME.ron.lock`, which names its holder. A save holds it from its last look at the file
//! on disk to the rename that replaces it; a command-line command that reads, changes and
//! saves a project holds it the whole time, so two such commands run one after the other.
//! The lock file is removed when the lock is let go; a waiter that then finds the name
//! pointing at another file (or none) tries again on the file that is there now.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::StoreError;

/// How long a save in the window waits for another program's save to end.
pub const SAVE_PATIENCE: Duration = Duration::from_secs(10);

/// The lock of one project file, held until dropped.
#[derive(Debug)]
pub struct ProjectLock {
    project: PathBuf,
    path: PathBuf,
    /// `None` where the file system cannot lock (the saves' content check still guards).
    file: Option<File>,
}

/// The lock file of a project file: `NAME.ron.lock` next to it.
pub fn lock_path(project: &Path) -> PathBuf {
    let mut name = project.file_name().unwrap_or_default().to_owned();
    name.push(".lock");
    project.with_file_name(name)
}

impl ProjectLock {
    /// Takes the lock of the project file at `project`, waiting up to `patience` while
    /// another program holds it; `holder` says who takes it (shown to programs that wait).
    /// After that, [`StoreError::Locked`] names the program that holds it.
    pub fn acquire(project: &Path, patience: Duration, holder: &str) -> Result<Self, StoreError> {
        let project = &std::path::absolute(project).unwrap_or_else(|_| project.to_owned());
        let path = lock_path(project);
        let deadline = Instant::now() + patience;
        let error = |source| StoreError::Write {
            path: path.clone(),
            source,
        };
        loop {
            let mut file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(error)?;
            match file.try_lock() {
                Ok(()) => {
                    if !names_file(&path, &file) {
                        if Instant::now() >= deadline {
                            // The name never settles on the file locked (a file system
                            // that cannot tell): go on as where locks are not to be had.
                            return Ok(Self {
                                project: project.to_owned(),
                                path,
                                file: None,
                            });
                        }
                        // Its holder removed it while this one waited: take the new one.
                        continue;
                    }
                    // Who holds it, for those who wait (best effort: the lock is the flock).
                    let _ = file.set_len(0);
                    let _ = write!(file, "{holder} (process {})", std::process::id());
                    let _ = file.flush();
                    return Ok(Self {
                        project: project.to_owned(),
                        path,
                        file: Some(file),
                    });
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    if Instant::now() >= deadline {
                        let mut who = String::new();
                        let _ = file.rewind();
                        let _ = (&mut file).take(200).read_to_string(&mut who);
                        let who = who.trim();
                        return Err(StoreError::Locked {
                            path: project.to_owned(),
                            holder: if who.is_empty() {
                                "another program".to_owned()
                            } else {
                                who.to_owned()
                            },
                        });
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(std::fs::TryLockError::Error(_)) => {
                    // No locks on this file system (some network shares): the check of the
                    // file's content right before the rename still refuses a lost update.
                    drop(file);
                    return Ok(Self {
                        project: project.to_owned(),
                        path,
                        file: None,
                    });
                }
            }
        }
    }

    /// The project file this lock is for (an absolute path).
    pub fn project(&self) -> &Path {
        &self.project
    }

    /// True if this is the lock of the project file at `path`.
    pub fn is_for(&self, path: &Path) -> bool {
        std::path::absolute(path).is_ok_and(|path| path == self.project)
    }
}

impl Drop for ProjectLock {
    fn drop(&mut self) {
        if let Some(file) = self.file.take() {
            // Removed while still held, so that no one locks a file about to vanish unseen
            // (a waiter that got the old one sees that the name has moved on).
            if cfg!(unix) {
                let _ = std::fs::remove_file(&self.path);
            }
            drop(file);
        }
    }
}

/// True if `path` still names the open `file` (not removed or replaced since it was opened).
#[cfg(unix)]
fn names_file(path: &Path, file: &File) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(path), file.metadata()) {
        (Ok(named), Ok(open)) => named.dev() == open.dev() && named.ino() == open.ino(),
        _ => false,
    }
}

/// Elsewhere the lock file is never removed, so the name always names it.
#[cfg(not(unix))]
fn names_file(_path: &Path, _file: &File) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_taker_waits_then_is_refused_with_the_holder_named() {
        let dir = tempfile::tempdir().expect("temp dir");
        let project = dir.path().join("p.ron");
        let held = ProjectLock::acquire(&project, Duration::ZERO, "marginalia add").expect("lock");
        assert!(lock_path(&project).exists());
        let refused = ProjectLock::acquire(&project, Duration::from_millis(100), "the window")
            .expect_err("held elsewhere");
        let message = refused.to_string();
        assert!(message.contains("marginalia add (process"), "{message}");
        assert!(message.contains("p.ron"), "{message}");
        drop(held);
        assert!(!lock_path(&project).exists(), "removed when let go");
        let again = ProjectLock::acquire(&project, Duration::ZERO, "the window").expect("free");
        assert_eq!(again.project(), project.as_path());
    }

    #[test]
    fn a_waiter_gets_the_lock_once_the_holder_lets_go() {
        let dir = tempfile::tempdir().expect("temp dir");
        let project = dir.path().join("p.ron");
        let held = ProjectLock::acquire(&project, Duration::ZERO, "first").expect("lock");
        let waiter = {
            let project = project.clone();
            std::thread::spawn(move || {
                ProjectLock::acquire(&project, Duration::from_secs(20), "second").map(drop)
            })
        };
        std::thread::sleep(Duration::from_millis(100));
        drop(held);
        waiter
            .join()
            .expect("thread")
            .expect("got it after the first");
    }
}
