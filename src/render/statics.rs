//! The theme's static files and the site's `static/` folder, copied to the output as they are.
//! A file on disk is not read here: it is a [`Src::Disk`] with what `stat` said of it, read by
//! whoever needs its bytes (captions, HTML for the link check, an image the cache lacks) and
//! otherwise copied from disk into the output (see `crate::fsx::output::Staging::put_file`).

use std::path::PathBuf;
use std::sync::Arc;

use super::Theme;
use super::theme;
use crate::diagnostics::Diagnostic;
use crate::fsx::{Bytes, Stat};

/// Where the bytes of a static file are.
#[derive(Debug, Clone)]
pub(crate) enum Src {
    /// In memory (a file of the built-in theme).
    Mem(Bytes),
    /// A file, with its [`Stat`] when the theme was loaded.
    Disk(Arc<(PathBuf, Stat)>),
}

impl Src {
    /// The whole file.
    pub(crate) fn read(&self) -> anyhow::Result<Bytes> {
        match self {
            Src::Mem(b) => Ok(b.clone()),
            Src::Disk(d) => crate::fsx::read(&d.0).map(Arc::new),
        }
    }

    /// At most its first `n` bytes.
    pub(crate) fn prefix(&self, n: usize) -> anyhow::Result<Vec<u8>> {
        match self {
            Src::Mem(b) => Ok(b.get(..n.min(b.len())).unwrap_or_default().to_vec()),
            Src::Disk(d) => crate::fsx::read_prefix(&d.0, n),
        }
    }

    /// Its size in bytes.
    pub(crate) fn len(&self) -> u64 {
        match self {
            Src::Mem(b) => b.len() as u64,
            Src::Disk(d) => d.1.size,
        }
    }
}

/// The static files, sorted by output path: `(path, source)`.
pub(crate) type Statics = Vec<(String, Src)>;

/// The theme's static files (and the site's `static/`), looked at once per theme load.
pub(crate) fn statics(theme: &Theme) -> (Statics, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diags = theme.warnings.clone();
    for (rel, src) in &theme.statics {
        let src = match src {
            theme::StaticSource::Embedded(b) => Src::Mem(Arc::new(b.to_vec())),
            theme::StaticSource::File(p) => match crate::fsx::stat(p) {
                Ok(st) => Src::Disk(Arc::new((p.clone(), st))),
                Err(e) => {
                    diags.push(
                        Diagnostic::error(
                            p.clone(),
                            0,
                            0,
                            format!("could not read this file: {}", e.root_cause()),
                        )
                        .with_help("make the file readable (check its permissions), or remove it"),
                    );
                    continue;
                }
            },
        };
        files.push((rel.clone(), src));
    }
    (files, diags)
}
