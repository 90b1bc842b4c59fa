//! A value with a copy for each worker thread of the rayon pool that uses it.
//!
//! The regex crate keeps a regex's search caches in a pool that hands a cache to the first
//! thread that searched without a lock; every other thread takes one from a locked stack
//! and puts it back after the search. With files checked on two threads, half the
//! searches paid those two locks: about 1 % of a corpus run's time in `perf`, which
//! instruction counts on one thread never show. A copy of a regex shares the compiled
//! program and has a pool of its own, which the one thread searching with it owns.

use std::sync::OnceLock;

/// A value and, made on first use, a copy of it for each worker thread of the rayon pool
/// it is used in; any other thread uses the value itself. Every copy must do what the
/// value does: which one a thread gets changes how fast it is, never what it finds.
pub struct PerThread<T> {
    shared: T,
    /// One place per thread of the pool that first asked for a copy.
    copies: OnceLock<Box<[OnceLock<T>]>>,
}

impl<T> PerThread<T> {
    /// `shared`, with no copies yet.
    pub fn new(shared: T) -> PerThread<T> {
        PerThread {
            shared,
            copies: OnceLock::new(),
        }
    }

    /// The calling thread's copy, made with `copy` on its first call. A thread outside a
    /// rayon pool gets the shared value, and so does a thread of a second, larger pool
    /// whose index has no place (two pools' threads of the same index share a copy).
    pub fn get(&self, copy: impl FnOnce(&T) -> T) -> &T {
        let Some(index) = rayon::current_thread_index() else {
            return &self.shared;
        };
        let copies = self.copies.get_or_init(|| {
            (0..rayon::current_num_threads())
                .map(|_| OnceLock::new())
                .collect()
        });
        copies.get(index).map_or(&self.shared, |place| {
            place.get_or_init(|| copy(&self.shared))
        })
    }

    /// The shared value.
    pub fn shared(&self) -> &T {
        &self.shared
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for PerThread<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("PerThread").field(&self.shared).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_pool_thread_has_its_own_copy_and_others_share_the_value() {
        let value = PerThread::new(String::from("value"));
        let shared: *const String = value.get(|_| unreachable!("not in a pool"));
        assert!(std::ptr::eq(shared, value.shared()));
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("a pool");
        let copies: Vec<(usize, usize)> = pool.broadcast(|context| {
            let copy = value.get(|v| format!("{v} copied"));
            assert_eq!(copy, "value copied");
            // The same copy on the thread's next call, not a new one.
            let again = value.get(|_| unreachable!("made once"));
            assert!(std::ptr::eq(copy, again));
            (context.index(), std::ptr::from_ref(copy) as usize)
        });
        assert_eq!(copies.len(), 2);
        assert_ne!(copies[0].1, copies[1].1, "a copy each");
        assert!(copies.iter().all(|&(_, copy)| copy != shared as usize));
    }
}
