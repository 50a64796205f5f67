//! Giving the memory a build freed back to the system (issue 15): the binary registers its
//! allocator's way ([`set_release`]; `lmp` passes mimalloc's `mi_collect`), and `serve` (between
//! rebuilds) and `pipeline` (between two stages of a one-off build) ask for it. Kept apart from
//! both so that neither depends on the other for it.

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
