//! `lmp serve`: build, serve on loopback, watch, rebuild and live-reload.

use std::process::ExitCode;

pub fn run(args: &crate::cli::ServeArgs, quiet: bool) -> anyhow::Result<ExitCode> {
    let _ = (args, quiet);
    anyhow::bail!("lmp serve is not available yet")
}
