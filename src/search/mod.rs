//! The client-side search index, built at build time from the same render pass as the pages,
//! and the Rust query engine behind `lmp search`.
//!
//! CONTRACT: `build(docs, labels)` returns the index files as paths relative to the output root
//! (e.g. `search/index/manifest.json`) mapped to their bytes. Deterministic: same input, same bytes.
//! `cli(public_dir, query, filters, json)` answers a query from a built site with the same ranking
//! as the browser engine `themes/lmp/static/search/engine.js`.
//!
//! Modules: [`tokenize`] (words, stop words, stemming), [`index`] (building), [`format`] (the
//! versioned file format, documented in `docs/search-format.md`), [`query`] (the engine),
//! [`validate`] (the checks that make a corrupt index an error, not a panic).

use std::collections::BTreeMap;
use std::path::Path;

use crate::markdown::Section;

pub(crate) mod format;
pub(crate) mod index;
pub(crate) mod query;
pub(crate) mod synonyms;
#[cfg(test)]
mod tests;
pub(crate) mod tokenize;
pub(crate) mod validate;

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

pub use index::Memo;

/// Build the index files. `synonyms`: groups of words or phrases that mean the same
/// (`search.synonyms` in config.yaml).
pub fn build(
    docs: &[IndexDoc<'_>],
    labels: &Labels,
    synonyms: &[Vec<String>],
) -> BTreeMap<String, Vec<u8>> {
    index::build(docs, labels, synonyms, None)
}

/// Build the index files, reusing (and then replacing) the tokenised chunks in `memo`: the same
/// bytes as [`build`], faster when few documents changed since the memo was filled.
pub fn build_with(
    docs: &[IndexDoc<'_>],
    labels: &Labels,
    synonyms: &[Vec<String>],
    memo: &mut Memo,
) -> BTreeMap<String, Vec<u8>> {
    index::build(docs, labels, synonyms, Some(memo))
}

/// `lmp search "query" [--region R] [--topic T] [--collection C] [--audience A] [--json]`:
/// answers from the index in `public_dir` (the output of `lmp build`). `filters` are
/// `(facet, value slug)` pairs with facet `collection`, `region`, `topic` or `audience`; values of
/// one facet are alternatives, different facets must all match. Returns the text to print.
pub fn cli(
    public_dir: &Path,
    query: &str,
    filters: &[(String, String)],
    json: bool,
) -> anyhow::Result<String> {
    query::answer(public_dir, query, filters, json, 20)
}
