//! Work done on a thread of its own for a view, keyed by what it was asked for: the view
//! asks again whenever its key changes (the project was edited, a filter changed). One
//! job runs at a time: asked for a new key meanwhile, the view keeps showing what it has,
//! takes the finished (older) result, sees that its key is not the wanted one and asks
//! again, so a burst of edits costs one job at a time, not one per edit.

use std::sync::mpsc::{Receiver, TryRecvError, channel};

use eframe::egui::Context;

/// One kind of background computation of a view.
pub struct Worker<K, T> {
    running: Option<(K, Receiver<T>)>,
    /// The key whose work panicked: not asked again until the key changes.
    failed: Option<K>,
}

impl<K, T> Default for Worker<K, T> {
    fn default() -> Self {
        Self {
            running: None,
            failed: None,
        }
    }
}

impl<K: PartialEq, T: Send + 'static> Worker<K, T> {
    /// Runs `work` on a new thread for `key`, unless a job runs already (ask again once
    /// it is taken) or the work for that key panicked. A repaint is asked for when it is
    /// done.
    pub fn ask(&mut self, key: K, ctx: &Context, work: impl FnOnce() -> T + Send + 'static) {
        if self.running.is_some() || self.failed.as_ref() == Some(&key) {
            return;
        }
        let (send, receive) = channel();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let _ = send.send(work());
            ctx.request_repaint();
        });
        self.running = Some((key, receive));
    }

    /// The result, once the work is done, with the key it was asked for.
    pub fn take(&mut self) -> Option<(K, T)> {
        let (_, receive) = self.running.as_ref()?;
        match receive.try_recv() {
            Ok(result) => self.running.take().map(|(key, _)| (key, result)),
            Err(TryRecvError::Empty) => None,
            // The work panicked: nothing to show; asked again when the key changes.
            Err(TryRecvError::Disconnected) => {
                self.failed = self.running.take().map(|(key, _)| key);
                None
            }
        }
    }

    /// True while work runs.
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }
}
