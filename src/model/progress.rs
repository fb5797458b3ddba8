//! How far a long piece of work has come, and whether it was asked to stop: shared between
//! the thread doing the work and the window showing a progress bar with Cancel.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Work done out of a total, in any unit the worker chooses (bytes, items), and a cancel
/// flag the worker checks between steps. Share it in an `Arc`.
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicU64,
    total: AtomicU64,
    cancelled: AtomicBool,
}

impl Progress {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets how much work there is in all.
    pub fn set_total(&self, total: u64) {
        self.total.store(total, Ordering::Relaxed);
    }

    /// Adds to the total (work found on the way, such as one more file).
    pub fn add_total(&self, more: u64) {
        self.total.fetch_add(more, Ordering::Relaxed);
    }

    /// Records `amount` more work done.
    pub fn advance(&self, amount: u64) {
        self.done.fetch_add(amount, Ordering::Relaxed);
    }

    /// The share done, from 0 to 1; `None` while the total is unknown.
    pub fn fraction(&self) -> Option<f32> {
        let total = self.total.load(Ordering::Relaxed);
        (total > 0).then(|| {
            #[allow(clippy::cast_precision_loss)] // a progress bar needs no 64-bit precision
            let share = self.done.load(Ordering::Relaxed) as f64 / total as f64;
            #[allow(clippy::cast_possible_truncation)]
            let share = share.min(1.0) as f32;
            share
        })
    }

    /// Asks the worker to stop at its next check.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fraction_follows_the_work_and_stops_at_one() {
        let progress = Progress::new();
        assert_eq!(progress.fraction(), None);
        progress.set_total(4);
        progress.advance(1);
        assert_eq!(progress.fraction(), Some(0.25));
        progress.add_total(4);
        assert_eq!(progress.fraction(), Some(0.125));
        progress.advance(20);
        assert_eq!(progress.fraction(), Some(1.0));
        assert!(!progress.is_cancelled());
        progress.cancel();
        assert!(progress.is_cancelled());
    }
}
