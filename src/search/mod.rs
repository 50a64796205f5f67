//! The client-side search index, built at build time from the same render pass as the pages,
//! and the Rust query engine behind `lmp search`.
//!
//! CONTRACT: `build(docs, labels)` returns the index files as paths relative to the output root
//! (e.g. `search/index/manifest.json`) mapped to their bytes; `write` gives the same files one by
//! one as they are made (`lmp build` writes them so). Deterministic: same input, same bytes.
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

/// The facets a reader filters on, by their name in filters, URLs and the index
/// (`f-region.json`, the manifest's `facets`). The collection's values are document ranges;
/// the others' are lists of documents per term slug.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum FacetName {
    Collection,
    Region,
    Topic,
    Audience,
}

impl FacetName {
    /// Every facet, in display order.
    pub(crate) const ALL: [FacetName; 4] = [
        FacetName::Collection,
        FacetName::Region,
        FacetName::Topic,
        FacetName::Audience,
    ];

    /// `collection`, `region`, `topic`, `audience`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            FacetName::Collection => "collection",
            FacetName::Region => "region",
            FacetName::Topic => "topic",
            FacetName::Audience => "audience",
        }
    }

    /// The facet of this name.
    pub(crate) fn named(name: &str) -> Option<FacetName> {
        FacetName::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Every facet's name, for errors: `collection, region, topic, audience`.
    pub(crate) fn names() -> String {
        FacetName::ALL.map(FacetName::name).join(", ")
    }

    /// The key of its values' display names in [`Labels`].
    pub(crate) fn labels_key(self) -> &'static str {
        match self {
            FacetName::Collection => "collection",
            FacetName::Region => "regions",
            FacetName::Topic => "topics",
            FacetName::Audience => "audiences",
        }
    }

    /// A document's term slugs for this facet; `None` for the collection (a range, not a list).
    pub(crate) fn terms<'d>(self, d: &IndexDoc<'d>) -> Option<&'d [String]> {
        match self {
            FacetName::Collection => None,
            FacetName::Region => Some(d.regions),
            FacetName::Topic => Some(d.topics),
            FacetName::Audience => Some(d.audiences),
        }
    }
}

/// One document as the index sees it.
#[derive(Debug, Clone)]
pub(crate) struct IndexDoc<'a> {
    /// Language code (`en`, `es`): the document goes into that language's index.
    pub lang: &'a str,
    /// Site-relative URL path, e.g. `/stories/learning-to-lead/` (no base path).
    pub url: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    /// Collection name, e.g. `stories`.
    pub collection: &'a str,
    /// ISO date (`2021-06-30`) when the document has one.
    pub date: Option<&'a str>,
    pub regions: &'a [String],
    pub topics: &'a [String],
    pub audiences: &'a [String],
    pub series: &'a [String],
    pub sections: &'a [Section],
    /// The rendered body the sections are from, when their texts may be in the build's scratch
    /// file (see [`crate::markdown::Rendered::spill`]); `None`: `sections` has them.
    pub body: Option<&'a crate::markdown::Rendered>,
}

impl<'a> IndexDoc<'a> {
    /// The sections with their texts, read back when they were spilled (one chunk of documents
    /// at a time, so the index never holds every text at once). A text that cannot be read back
    /// is an error in the log and an empty section.
    pub(crate) fn texts(&self) -> std::borrow::Cow<'a, [Section]> {
        match self.body.map(crate::markdown::Rendered::sections) {
            None => std::borrow::Cow::Borrowed(self.sections),
            Some(Ok(s)) => s,
            Some(Err(e)) => {
                log::error!("error: the search index of {}: {e:#}", self.url);
                std::borrow::Cow::Borrowed(self.sections)
            }
        }
    }
}

/// Display names of facet values: facet (`regions`, `topics`, `audiences`, `series`, `collection`)
/// → slug → label.
pub(crate) type Labels = BTreeMap<String, BTreeMap<String, String>>;

/// A language of the site, as the index needs it.
#[derive(Debug, Clone)]
pub(crate) struct IndexLang {
    /// `en`, `es`.
    pub code: String,
    /// The language's name in itself (`Español`).
    pub name: String,
    /// The URL prefix without the leading `/` (`es/`; empty for the default language): the
    /// language's index is at `{prefix}search/index/manifest.json`, next to its search page.
    pub prefix: String,
    /// Display names in this language, over the shared `labels` (facet → slug → name).
    pub labels: Labels,
    /// How the language writes dates (the theme's `date_format` and month names).
    pub dates: format::DateWords,
}

/// Tokenised chunks of an earlier build, per language (see [`index::Memo`]).
#[derive(Default)]
pub(crate) struct Memo {
    langs: BTreeMap<String, index::Memo>,
    /// Where the chunks are kept (see [`Memo::keep_on`]); `None`: in memory.
    spill: Option<std::sync::Arc<crate::fsx::spill::Spill>>,
    /// Tests: see [`index::Memo`]'s `unreadable`.
    #[cfg(test)]
    unreadable: bool,
}

impl Memo {
    /// About how many bytes the kept tokenised chunks take in memory.
    pub(crate) fn bytes(&self) -> usize {
        self.langs.values().map(index::Memo::bytes).sum()
    }

    /// Keep the tokenised chunks in `spill` (`lmp serve`'s scratch file) rather than in memory
    /// from the next index on (see [`index::Memo`]).
    pub(crate) fn keep_on(&mut self, spill: std::sync::Arc<crate::fsx::spill::Spill>) {
        self.spill = Some(spill);
    }
}

/// The languages to index: `langs`, or English alone when none are given.
fn languages(langs: &[IndexLang]) -> Vec<IndexLang> {
    if langs.is_empty() {
        return vec![IndexLang {
            code: "en".into(),
            name: "English".into(),
            prefix: String::new(),
            labels: Labels::new(),
            dates: format::DateWords::default(),
        }];
    }
    langs.to_vec()
}

/// Build the index files: one index per language (the first of `langs` is the default one; a
/// document in a language not listed goes to it). `synonyms`: groups of words or phrases that
/// mean the same (`search.synonyms` in config.yaml), applied to the default language's index.
#[cfg(test)]
pub(crate) fn build(
    docs: &[IndexDoc<'_>],
    labels: &Labels,
    synonyms: &[Vec<String>],
    langs: &[IndexLang],
) -> BTreeMap<String, Vec<u8>> {
    collect(|put| write(docs, labels, synonyms, langs, None, put))
}

/// Build the index files, reusing (and then replacing) the tokenised chunks in `memo`: the same
/// bytes as [`build`], faster when few documents changed since the memo was filled.
#[cfg(test)]
pub(crate) fn build_with(
    docs: &[IndexDoc<'_>],
    labels: &Labels,
    synonyms: &[Vec<String>],
    langs: &[IndexLang],
    memo: &mut Memo,
) -> BTreeMap<String, Vec<u8>> {
    collect(|put| write(docs, labels, synonyms, langs, Some(memo), put))
}

/// The files a writer gives to its `put`, in memory.
#[cfg(test)]
pub(crate) fn collect(
    write: impl FnOnce(index::Put<'_>) -> anyhow::Result<()>,
) -> BTreeMap<String, Vec<u8>> {
    let files = std::sync::Mutex::new(BTreeMap::new());
    let put = |rel: String, bytes: Vec<u8>| -> anyhow::Result<()> {
        files
            .lock()
            .map_err(|_| anyhow::anyhow!("a search index thread failed"))?
            .insert(rel, bytes);
        Ok(())
    };
    if let Err(e) = write(&put) {
        // Putting into memory cannot fail; serialising our own values neither.
        log::error!("error: the search index: {e:#}");
    }
    files.into_inner().unwrap_or_else(|p| p.into_inner())
}

/// Build the index files like [`build`], giving each to `put` as soon as it is made (each
/// language's manifest after its other files), so that the index is never held whole: what
/// `lmp build` does, into its staging folder.
pub(crate) fn write(
    docs: &[IndexDoc<'_>],
    labels: &Labels,
    synonyms: &[Vec<String>],
    langs: &[IndexLang],
    mut memo: Option<&mut Memo>,
    put: index::Put<'_>,
) -> anyhow::Result<()> {
    let langs = languages(langs);
    let list: Vec<format::LangIndex> = langs
        .iter()
        .map(|l| format::LangIndex {
            code: l.code.clone(),
            name: l.name.clone(),
            manifest: format!("{}{}", l.prefix, format::MANIFEST),
        })
        .collect();
    // Each language's documents, synonyms, stemmer, labels and memo, in language order.
    let mut jobs = Vec::with_capacity(langs.len());
    for (k, l) in langs.iter().enumerate() {
        let group: Vec<IndexDoc<'_>> = docs
            .iter()
            .filter(|d| d.lang == l.code || (k == 0 && !langs.iter().any(|x| x.code == d.lang)))
            .cloned()
            .collect();
        // Synonym groups are written in the default language.
        let syn: &[Vec<String>] = if k == 0 { synonyms } else { &[] };
        let stem = tokenize::Stem::for_lang(&l.code);
        let mut own = labels.clone();
        for (facet, names) in &l.labels {
            own.entry(facet.clone())
                .or_default()
                .extend(names.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        let mut m = memo
            .as_deref_mut()
            .and_then(|m| m.langs.remove(&l.code))
            .unwrap_or_default();
        m.spill = memo.as_deref().and_then(|m| m.spill.clone());
        #[cfg(test)]
        {
            m.unreadable = memo.as_deref().is_some_and(|m| m.unreadable);
        }
        jobs.push((l, group, syn, stem, own, m));
    }
    let keep = memo.is_some();
    let one = |(l, group, syn, stem, own, mut m): (
        &IndexLang,
        Vec<IndexDoc<'_>>,
        &[Vec<String>],
        tokenize::Stem,
        Labels,
        index::Memo,
    )|
     -> (String, index::Memo, anyhow::Result<()>) {
        let lang = index::Lang {
            code: &l.code,
            prefix: &l.prefix,
            stem: &stem,
            languages: &list,
            dates: &l.dates,
        };
        let done = index::build(&group, &own, syn, &lang, keep.then_some(&mut m), put);
        (l.code.clone(), m, done)
    };
    // A one-off build makes the languages' indexes side by side: each index has steps on one
    // thread (the vocabulary, the term shards' layout, the manifest), and one after the other
    // the second language's left the other core idle (~20 ms of a 10,000-document build with
    // 2,003 Spanish translations). `lmp serve` (a memo) makes them one after the other, as its
    // peak after an edit is the index's own (issue 15).
    let made: Vec<(String, index::Memo, anyhow::Result<()>)> = match keep {
        true => jobs.into_iter().map(one).collect(),
        false => {
            use rayon::prelude::*;
            jobs.into_par_iter().map(one).collect()
        }
    };
    let mut memos = BTreeMap::new();
    for (code, m, done) in made {
        done?;
        memos.insert(code, m);
    }
    if let Some(m) = memo {
        m.langs = memos;
    }
    Ok(())
}

/// `lmp search "query" [--lang L] [--region R] [--topic T] [--collection C] [--audience A] [--json]`:
/// answers from the index in `public_dir` (the output of `lmp build`) of language `lang` (the
/// default language's when `None`). `filters` are
/// `(facet, value slug)` pairs with facet `collection`, `region`, `topic` or `audience`; values of
/// one facet are alternatives, different facets must all match. Returns the text to print.
pub(crate) fn cli(
    public_dir: &Path,
    query: &str,
    filters: &[(String, String)],
    lang: Option<&str>,
    json: bool,
) -> anyhow::Result<String> {
    query::answer(public_dir, query, filters, lang, json, 20)
}
