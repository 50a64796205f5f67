//! `lmp`: a static site generator for the Labor Management Partnership website.
//!
//! The library owns the whole pipeline (see `ARCHITECTURE`): configuration, the typed content
//! model, markdown rendering, templates, the search index and the output. The `lmp` binary is a
//! thin command-line front end over [`cli`].
//!
//! # Public surface
//! Everything is `pub(crate)` except what the binary, the integration tests (`tests/testsuite/`)
//! and the examples (`examples/`) use:
//! - [`cli::Cli`] and its `run` (the binary), [`logging::init`];
//! - [`build`] and [`build_to`] (a one-off build), [`incremental::Incremental`] (`new`,
//!   `rebuild`, `rebuild_pages`, `search`: what `serve` does, for the incremental == full test);
//! - [`site::Options`], [`site::Built`], [`site::Failed`], [`site::Sink`], [`site::Files`];
//! - [`diagnostics::Diagnostic`], [`diagnostics::Format`], [`diagnostics::render_all`];
//! - [`util::Date`] (a build's "today").
//!
//! Types these name in their fields (the collection, taxonomy and field enums) are reachable
//! through them. `unreachable_pub` is a warning (an error under `clippy -D warnings`), so an item
//! no other crate can reach is written `pub(crate)`, and dead code is reported by the compiler.

#![warn(unreachable_pub)]

pub(crate) mod bidi;
pub mod cli;
pub(crate) mod config;
pub(crate) mod content;
pub mod diagnostics;
pub(crate) mod escape;
pub(crate) mod fsx;
pub mod incremental;
#[cfg(test)]
mod layering;
pub(crate) mod linkcheck;
pub mod logging;
pub(crate) mod markdown;
pub(crate) mod media;
mod memo;
pub(crate) mod memory;
mod pipeline;
pub(crate) mod render;
pub(crate) mod review;
pub(crate) mod search;
pub(crate) mod serve;
pub use memory::set_release as set_memory_release;
pub use memory::set_return_at_once as set_memory_return_at_once;
pub mod site;
pub(crate) mod slug;
pub mod util;
pub(crate) mod yaml;

/// Build the whole site in memory (one-off: nothing is kept for a next build; see
/// `pipeline`). Here rather than in [`site`] so that `site` (what a build is given and gives)
/// does not depend on [`incremental`], which depends on it.
pub fn build(opts: &site::Options) -> Result<site::Built, site::Failed> {
    incremental::Incremental::once(opts)
}

/// Build the whole site into `sink`, page by page (`lmp build`, `lmp check`): memory grows with
/// the documents' metadata, not with the output (see `pipeline::build_to`).
pub fn build_to(opts: &site::Options, sink: &dyn site::Sink) -> Result<site::Built, site::Failed> {
    incremental::Incremental::once_to(opts, sink)
}

/// [`build_to`] with the config `lmp build` or `lmp check` has already read (config.yaml is
/// read once per command, and its errors reported once).
pub(crate) fn build_to_with(
    opts: &site::Options,
    cfg: std::sync::Arc<config::Config>,
    sink: &dyn site::Sink,
) -> Result<site::Built, site::Failed> {
    incremental::Incremental::once_to_with(opts, Some(cfg), sink)
}
