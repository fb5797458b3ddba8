//! Identifiers handed out without coordination, so that two analysts working on copies of
//! one project never pick the same one (see ARCHITECTURE.md, "Identifiers").
//!
//! - Annotations and relations: a run of consecutive numbers from a random start below
//!   2^48 (at most 15 digits), chosen once per session and again whenever the next number
//!   is taken. Two sessions' runs overlap only if their starts fall within a run's length
//!   of each other (for runs of 100,000: about 1 in 10^9).
//! - Documents: the first 31 bits of the file's SHA-256, so that two analysts adding the
//!   same file give it the same id (it is one document after a merge).
//! - Entities: the first 31 bits of the SHA-256 of their kind and name (normalised as
//!   `entity::normalize` does), so that two analysts creating "Chuck Hagel"
//!   independently create one entity.
//!
//! A derived id already taken by something else falls back to a random one. Ids of files
//! written before version 7 (counters from 1) are kept as they are.

use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

/// Annotation and relation ids are below this (15 decimal digits at most).
pub const RUN_LIMIT: u64 = 1 << 48;
/// Document and entity ids are below this (fit an `i32` as well as a `u32`).
pub const DERIVED_LIMIT: u32 = 1 << 31;

/// 64 random bits: std's per-process random hasher keys, the clock and a counter.
pub fn random_u64() -> u64 {
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(CALLS.fetch_add(1, Ordering::Relaxed));
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    hasher.write_u128(now);
    hasher.finish()
}

/// A random number in `1..limit` for which `taken` is false.
pub fn random_free(limit: u64, taken: impl Fn(u64) -> bool) -> u64 {
    loop {
        let candidate = random_u64() % (limit - 1) + 1;
        if !taken(candidate) {
            return candidate;
        }
    }
}

/// The next free number of a run (see the module): `next` is the run's state (0 before the
/// first), moved past the number returned.
pub fn next_in_run(next: &mut u64, taken: impl Fn(u64) -> bool) -> u64 {
    loop {
        if *next == 0 || *next >= RUN_LIMIT {
            *next = random_free(RUN_LIMIT, &taken);
        }
        let candidate = *next;
        *next += 1;
        if !taken(candidate) {
            return candidate;
        }
        // Taken (another session's run): start a new run elsewhere.
        *next = 0;
    }
}

/// A nonzero id below [`DERIVED_LIMIT`] from the SHA-256 of `parts`, or a random one if
/// `taken` says that one is in use.
pub fn derived(parts: &[&str], taken: impl Fn(u32) -> bool) -> u32 {
    use sha2::Digest;
    let mut hasher = sha2::Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    let digest = hasher.finalize();
    let id = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]) % DERIVED_LIMIT;
    if id != 0 && !taken(id) {
        return id;
    }
    let random = random_free(u64::from(DERIVED_LIMIT), |c| {
        u32::try_from(c).map_or(true, &taken)
    });
    u32::try_from(random).unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_is_consecutive_and_skips_to_a_new_start_when_taken() {
        let mut next = 0;
        let first = next_in_run(&mut next, |_| false);
        assert!((1..RUN_LIMIT).contains(&first));
        assert_eq!(next_in_run(&mut next, |_| false), first + 1);
        let taken = first + 2;
        let third = next_in_run(&mut next, |c| c == taken);
        assert_ne!(third, taken);
    }

    #[test]
    fn two_sessions_start_their_runs_apart() {
        let (mut a, mut b) = (0, 0);
        let x = next_in_run(&mut a, |_| false);
        let y = next_in_run(&mut b, |_| false);
        assert!(x.abs_diff(y) > 1_000_000, "{x} {y}");
    }

    #[test]
    fn derived_ids_are_stable_and_fall_back_when_taken() {
        let a = derived(&["person", "chuck hagel"], |_| false);
        assert_eq!(a, derived(&["person", "chuck hagel"], |_| false));
        assert_ne!(a, derived(&["location", "chuck hagel"], |_| false));
        assert!(a > 0 && a < DERIVED_LIMIT);
        let other = derived(&["person", "chuck hagel"], |c| c == a);
        assert_ne!(other, a);
    }
}
