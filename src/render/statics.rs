//! The theme's static files and the site's `static/` folder, copied to the output as they are.
//! A file on disk is not read here: it is a [`Src::Disk`] (defined in `crate::media`, below) with what `stat` said of it, read by
//! whoever needs its bytes (captions, HTML for the link check, an image the cache lacks) and
//! otherwise copied from disk into the output (see `crate::fsx::output::Staging::put_file`).

use std::sync::Arc;

use super::Theme;
use super::theme;
use crate::diagnostics::Diagnostic;
pub(crate) use crate::media::{Src, Statics};

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
