//! The client-side search index, built at build time from the same render pass as the pages.
//!
//! CONTRACT: `build(docs, labels)` returns the index files as paths relative to the output root
//! (e.g. `search/manifest.json`) mapped to their bytes. Deterministic: same input, same bytes.

use std::collections::BTreeMap;

use crate::markdown::Section;

/// One document as the index sees it.
#[derive(Debug, Clone)]
pub struct IndexDoc<'a> {
    /// Site-relative URL path, e.g. `/stories/learning-to-lead/` (no base path).
    pub url: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    /// Collection name, e.g. `stories`.
    pub collection: &'a str,
    /// ISO date (`2021-06-30`) when the document has one.
    pub date: Option<&'a str>,
    pub year: Option<i32>,
    pub regions: &'a [String],
    pub topics: &'a [String],
    pub audiences: &'a [String],
    pub series: &'a [String],
    pub sections: &'a [Section],
}

/// Display names of facet values: facet (`regions`, `topics`, `audiences`, `series`, `collection`)
/// → slug → label.
pub type Labels = BTreeMap<String, BTreeMap<String, String>>;

/// Build the index files.
pub fn build(docs: &[IndexDoc<'_>], labels: &Labels) -> BTreeMap<String, Vec<u8>> {
    let _ = (docs, labels);
    BTreeMap::new()
}

/// `lmp search`: answer a query from a built site's index.
pub fn cli(
    public_dir: &std::path::Path,
    query: &str,
    filters: &[(String, String)],
    json: bool,
) -> anyhow::Result<String> {
    let _ = (public_dir, query, filters, json);
    anyhow::bail!("search is not built yet")
}
