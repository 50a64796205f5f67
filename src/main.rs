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
