//! The `lmp` binary: parse the command line, set up logging, run, exit with the command's code.

use std::process::ExitCode;

use clap::Parser;

// mimalloc rather than the system allocator: measured faster and smaller for a build (see the
// README, "Benchmarks", and Cargo.toml). The `system-alloc` feature leaves it out for heap
// profilers, which see only the system's malloc.
#[cfg(not(feature = "system-alloc"))]
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(not(feature = "system-alloc"))]
unsafe extern "C" {
    /// mimalloc's `void mi_collect(bool force)` (mimalloc.h, stable since 1.0): frees the calling
    /// thread's empty pages and, with `force`, gives every freed page back to the system now.
    fn mi_collect(force: bool);
    /// mimalloc's `long mi_option_get(mi_option_t option)` and `void mi_option_set(mi_option_t
    /// option, long value)` (mimalloc.h; `mi_option_t` is a C enum, an `int`).
    fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// `mi_option_purge_delay` in mimalloc's `mi_option_e` (mimalloc.h of mimalloc 3.3, which
/// libmimalloc-sys builds by default, and of mimalloc 2: the 16th option): how many milliseconds
/// freed memory waits before it is given back to the system (1,000 by default in mimalloc 3,
/// 10 in mimalloc 2).
#[cfg(not(feature = "system-alloc"))]
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

/// What `lmp serve` calls before its first build (see `lmp::set_memory_return_at_once`):
/// freed memory goes back to the system at once. Only when the option reads as one of its
/// documented defaults: another number means the option is not the one meant (another
/// mimalloc), or was set on purpose (`MIMALLOC_PURGE_DELAY`).
#[cfg(not(feature = "system-alloc"))]
fn return_memory_at_once() {
    // SAFETY: both take and return plain integers and may be called from any thread.
    unsafe {
        if matches!(mi_option_get(MI_OPTION_PURGE_DELAY), 10 | 1000) {
            mi_option_set(MI_OPTION_PURGE_DELAY, 0);
        }
    }
}

/// What `lmp serve` calls on its build threads between rebuilds (see
/// `lmp::set_memory_release`).
#[cfg(not(feature = "system-alloc"))]
fn release_memory() {
    // SAFETY: mi_collect takes no pointer and may be called from any thread at any time.
    unsafe { mi_collect(true) }
}

fn main() -> ExitCode {
    #[cfg(not(feature = "system-alloc"))]
    lmp::set_memory_release(release_memory);
    #[cfg(not(feature = "system-alloc"))]
    lmp::set_memory_return_at_once(return_memory_at_once);
    let cli = match lmp::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // A title, a query or an age typed without quotes: said in plain words.
            if e.kind() == clap::error::ErrorKind::UnknownArgument
                && let Some(clap::error::ContextValue::String(word)) =
                    e.get(clap::error::ContextKind::InvalidArg)
            {
                let args: Vec<String> = std::env::args().collect();
                if let Some((message, help)) = lmp::cli::unquoted_value(&args, word) {
                    eprintln!("error: {message}\n  = help: {help}");
                    return ExitCode::from(2);
                }
            }
            e.exit()
        }
    };
    lmp::logging::init(cli.verbose, cli.quiet);
    cli.run()
}
