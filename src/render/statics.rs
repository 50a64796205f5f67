//! The theme's static files and the site's `static/` folder, copied to the output as they are.

use std::sync::Arc;

use super::Theme;
use super::theme;
use crate::diagnostics::Diagnostic;
use crate::fsx::Bytes;

/// The theme's static files (and the site's `static/`), read once per theme load.
pub(crate) fn statics(theme: &Theme) -> (Vec<(String, Bytes)>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diags = theme.warnings.clone();
    for (rel, src) in &theme.statics {
        let bytes = match src {
            theme::StaticSource::Embedded(b) => b.to_vec(),
            theme::StaticSource::File(p) => match crate::fsx::read(p) {
                Ok(b) => b,
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
        files.push((rel.clone(), Arc::new(bytes)));
    }
    (files, diags)
}
