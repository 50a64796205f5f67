//! The `lmp` binary: parse the command line, set up logging, run, exit with the command's code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = lmp::cli::Cli::parse();
    lmp::logging::init(cli.verbose, cli.quiet);
    cli.run()
}
