//! Giving the memory a build freed back to the system (issue 15): the binary registers its
//! allocator's way ([`set_release`]; `lmp` passes mimalloc's `mi_collect`), and `serve` (between
//! rebuilds) and `pipeline` (between two stages of a one-off build) ask for it. Kept apart from
//! both so that neither depends on the other for it. `serve` also asks the allocator to give
//! freed memory back at once rather than after a delay ([`return_at_once`]).

/// How the binary's allocator gives freed memory back to the system (see
/// [`set_release`]).
static RELEASE: std::sync::OnceLock<fn()> = std::sync::OnceLock::new();

/// Tell `lmp` how to give the memory a build freed back to the system: called on every
/// thread that built (the calling one and each of the build's worker threads) once a build and
/// its search index are published. The `lmp` binary passes mimalloc's `mi_collect(true)`:
/// mimalloc returns the pages a thread freed only when that thread allocates again, and between
/// rebuilds `serve`'s build threads sleep, so their freed pages stayed resident (issue 15: at
/// 10,000 documents 273 MiB after two edits, 228 MiB with pages returned at once).
pub fn set_release(release: fn()) {
    let _ = RELEASE.set(release);
}

/// Give what the build freed back to the system, on this thread and the build's workers. The
/// workers are asked without waiting for them (`spawn_broadcast`): `rayon::broadcast` waits for
/// every worker, and a worker busy with a job that waits in turn (a background drop, a build's
/// join) held the builder thread, and with it every rebuild after.
pub(crate) fn release() {
    if let Some(&release) = RELEASE.get() {
        rayon::spawn_broadcast(move |_| release());
        release();
    }
}

/// [`release`], waiting until every worker of the pool has given its freed pages back:
/// for a one-off build between two stages, when no other job runs in the pool (see
/// `pipeline::pages`: the sources' bodies it frees there were still resident while the next
/// stage allocated, its peak).
pub(crate) fn release_now() {
    if let Some(&release) = RELEASE.get() {
        rayon::broadcast(|_| release());
        release();
    }
}

/// How the binary's allocator is told to give freed memory back at once (see
/// [`set_return_at_once`]).
static AT_ONCE: std::sync::OnceLock<fn()> = std::sync::OnceLock::new();

/// Tell `lmp` how to make its allocator give freed memory back to the system at once, not
/// after a delay: the `lmp` binary passes mimalloc's `mi_option_set(mi_option_purge_delay, 0)`
/// (by default the mimalloc `lmp` is built with, 3.3, keeps freed pages resident for a second,
/// in case they are needed again).
pub fn set_return_at_once(at_once: fn()) {
    let _ = AT_ONCE.set(at_once);
}

/// From now on, memory freed is given back to the system at once. `serve` asks for it before
/// its first build (issue 15): the search index frees big parts as it goes (each term's
/// postings when its tiers are cut, every term shard once written), and within the delay they
/// were still resident while the next parts were made, the peak after an edit at 100,000
/// documents (1,552-1,566 MiB; 1,510-1,512 given back at once, for about the same CPU time).
/// `lmp build` keeps the delay: it runs once, and the delay spares it system calls.
pub(crate) fn return_at_once() {
    if let Some(&at_once) = AT_ONCE.get() {
        at_once();
    }
}
