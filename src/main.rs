//! The `lmp` binary: parse the command line, set up logging, run, exit with the command's code.

use std::process::ExitCode;

use clap::Parser;

// mimalloc rather than the system allocator: measured faster and smaller for a build (see the
// README, "Benchmarks", and Cargo.toml). The `system-alloc` feature leaves it out for heap
// profilers, which see only the system's malloc.
#[cfg(not(feature = "system-alloc"))]
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = lmp::cli::Cli::parse();
    lmp::logging::init(cli.verbose, cli.quiet);
    cli.run()
}
