//! The query engine in Rust, for `lmp search` and for tests. It ranks exactly as the browser
//! engine (`themes/lmp/static/search/engine.js`) does — same parsing, expansions and integer
//! scores — and a test runs both on one index and compares the ordered results.
//!
//! Ranking, in short: each query word (stop words dropped, stemmed) expands to its exact term,
//! plus, for the last word while it is being typed, up to `max_prefix_terms` terms it is a prefix
//! of, or — when neither exists — up to `max_typo_terms` terms within edit distance 1 (2 for
//! words of `typo2_min_len` characters). A document's points for a word are the best
//! `impact points × match weight` over the word's expansions; its score is the sum over words.
//! Documents matching every word come first (all of them, if any do); otherwise documents
//! matching any word, by the number of words matched. Ties: score, then index order.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::format::{
    self, DocRecord, DocShard, FacetShard, Manifest, PosShard, Posting, TailShard, TermEntry,
    TermShard, VocabShard,
};
use super::tokenize::{self, Stem};
use super::validate;

use super::FacetName;

/// Words shorter than this get no typo candidates, and stems shorter than this are not compared
/// with the index's terms for typos (as `MIN_TYPO_CHARS` in engine.js).
const MIN_TYPO_CHARS: usize = 4;

/// A word found as it is in at most this many documents also matches the words one or two
/// letters away that are in [`RARE_RATIO`] times as many: its few pages may have the typo
/// (QA s15: the guide's "a search for `hudle` still finds huddles" wrote `hudle`, so `hudle`
/// found that guide alone). As `RARE_DF` and `RARE_RATIO` in engine.js.
const RARE_DF: u32 = 2;
const RARE_RATIO: u32 = 5;

/// How a query word matched a term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Exact,
    Prefix,
    Typo(u32),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Expansion {
    pub term: String,
    pub kind: Kind,
    pub weight: u64,
    /// A typo's term as readers write it (its most frequent word in the documents, accents
    /// included: `reunión` for `reunion`, `huddle` for `huddl`); empty when that is the term.
    pub form: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word {
    pub word: String,
    pub term: String,
    pub prefix: bool,
    /// From a quoted phrase: exact term only (no prefix, no typo).
    pub phrase: bool,
    pub expansions: Vec<Expansion>,
}

/// A query's words with their expansions, the terms of each phrase and the excluded terms.
pub(crate) type QueryParts = (Vec<Word>, Vec<Vec<String>>, Vec<String>);

/// A query split into its parts (see [`parse`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Parsed {
    /// Words in query order, with whether they come from a quoted phrase.
    pub words: Vec<(String, bool)>,
    /// The last word is being typed (a prefix).
    pub typing: bool,
    /// The text of each quoted phrase.
    pub phrases: Vec<String>,
    /// Words after a `-`.
    pub excluded: Vec<String>,
}

/// Splits a query into words, quoted phrases (`"cut wait times"`, the closing quote optional)
/// and excluded words (`-video`: a `-` at the start of a word). The browser engine's `parse`
/// is the same function.
pub(crate) fn parse(q: &str) -> Parsed {
    let chars: Vec<char> = q.chars().collect();
    let mut out = Parsed::default();
    let mut plain = String::new();
    let mut last_plain = true;
    let flush = |plain: &mut String, out: &mut Parsed| {
        for w in tokenize::words(plain) {
            out.words.push((w, false));
        }
        plain.clear();
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i == 0 || chars[i - 1].is_whitespace();
        if c == '"' {
            flush(&mut plain, &mut out);
            let end = chars[i + 1..]
                .iter()
                .position(|&c| c == '"')
                .map_or(chars.len(), |k| i + 1 + k);
            let text: String = chars[i + 1..end].iter().collect();
            for w in tokenize::words(&text) {
                out.words.push((w, true));
            }
            out.phrases.push(text);
            i = end + 1;
            last_plain = false;
        } else if c == '-'
            && start
            && chars
                .get(i + 1)
                .is_some_and(|n| !n.is_whitespace() && *n != '"' && *n != '-')
        {
            flush(&mut plain, &mut out);
            let end = chars[i + 1..]
                .iter()
                .position(|&c| c.is_whitespace() || c == '"')
                .map_or(chars.len(), |k| i + 1 + k);
            let text: String = chars[i + 1..end].iter().collect();
            out.excluded.extend(tokenize::words(&text));
            i = end;
            last_plain = false;
        } else {
            plain.push(c);
            last_plain = true;
            i += 1;
        }
    }
    flush(&mut plain, &mut out);
    out.typing = last_plain && !q.ends_with(|c: char| c.is_whitespace());
    out
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hit {
    pub doc: u32,
    pub score: u64,
    pub matched: u32,
    /// Best section (index into the record's sections).
    pub section: u32,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Outcome {
    pub words: Vec<Word>,
    /// Terms of each quoted phrase, and the excluded terms.
    pub phrases: Vec<Vec<String>>,
    pub excluded: Vec<String>,
    /// True when every hit matches every (matchable) word.
    pub all_words: bool,
    pub hits: Vec<Hit>,
    /// facet → value slug → count of hits when that facet's own filter is ignored.
    pub counts: BTreeMap<String, BTreeMap<String, u32>>,
    /// With no hits: how many documents would be hits but for the excluded words (`reunión
    /// -ubt` where every page with "reunión" has "UBT": no spelling to check; QA Q91).
    pub excluded_out: u32,
}

/// Reads index files; the browser engine does the same with `fetch`.
pub(crate) struct Index {
    root: PathBuf,
    pub manifest: Manifest,
    stem: Stem,
    terms: HashMap<usize, TermShard>,
    tails: HashMap<u32, TailShard>,
    /// Tail files read (tiers of postings after the heads), for tests of what a query reads.
    pub tail_reads: usize,
    vocab: HashMap<usize, VocabShard>,
    docs: HashMap<usize, DocShard>,
    positions: HashMap<usize, PosShard>,
    /// `pos.json`, once a phrase needs it.
    pos_dir: Option<format::PosDir>,
    facets: HashMap<String, FacetShard>,
    /// Facet counts files (`c{i}.json`) read.
    #[cfg(test)]
    counts: HashMap<u32, format::CountShard>,
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    let bytes = crate::fsx::read(path)?;
    serde_json::from_slice(&bytes).map_err(|e| validate::corrupt(path, e))
}

pub(crate) use crate::util::edit_distance;

impl Index {
    /// Opens the index of a built site (`public/`) in language `lang` (a code such as `es`; the
    /// default language's index when `None`). An unknown language is an error that lists the
    /// site's languages and the closest one.
    pub(crate) fn open(public_dir: &Path, lang: Option<&str>) -> Result<Index> {
        let path = public_dir.join(format::MANIFEST);
        if !path.is_file() {
            bail!(
                "no search index in {} (run `lmp build` first)",
                public_dir.display()
            );
        }
        let manifest: Manifest = read_json(&path)?;
        validate::manifest(&manifest, &path)?;
        // Language codes are the same in any case (`--lang ES`, as `lmp new` takes it: hostile
        // i18n s22).
        let Some(lang) = lang.filter(|l| !l.eq_ignore_ascii_case(&manifest.lang)) else {
            return Index::at(public_dir, path, manifest);
        };
        let Some(other) = manifest
            .languages
            .iter()
            .find(|l| l.code.eq_ignore_ascii_case(lang))
        else {
            let codes: Vec<&str> = manifest.languages.iter().map(|l| l.code.as_str()).collect();
            let codes = if codes.is_empty() {
                vec![manifest.lang.as_str()]
            } else {
                codes
            };
            let lower = lang.to_lowercase();
            let close = crate::diagnostics::suggest(&lower, codes.iter().copied())
                .or_else(|| codes.iter().copied().find(|c| lower.starts_with(c)));
            let mut msg = format!(
                "unknown language `{}`",
                crate::diagnostics::escape_controls(lang)
            );
            if let Some(c) = close {
                msg.push_str(&format!(", did you mean `{c}`?"));
            }
            msg.push_str(&format!(
                "\nhelp: this site's search indexes are in: {} (the languages of config.yaml)",
                codes.join(", ")
            ));
            bail!(msg);
        };
        let path = public_dir.join(&other.manifest);
        validate::inside(&path, public_dir, &public_dir.join(format::MANIFEST))?;
        if !path.is_file() {
            bail!(
                "{}: the search index of language `{}` is missing; rebuild the site with `lmp build`",
                path.display(),
                other.code
            );
        }
        let manifest: Manifest = read_json(&path)?;
        validate::manifest(&manifest, &path)?;
        Index::at(public_dir, path, manifest)
    }

    fn at(public_dir: &Path, path: PathBuf, manifest: Manifest) -> Result<Index> {
        let dir = path.parent().unwrap_or(public_dir);
        let root = dir.join(&manifest.dir);
        validate::inside(&root, public_dir, &path)?;
        let stem = match manifest.stemmer.as_str() {
            "english" => Stem::new(),
            "spanish" => Stem::for_lang("es"),
            other => {
                return Err(validate::corrupt(
                    &path,
                    format!(
                        "`stemmer` is `{}` (expected `english` or `spanish`)",
                        crate::diagnostics::escape_controls(other)
                    ),
                ));
            }
        };
        Ok(Index {
            root,
            manifest,
            stem,
            terms: HashMap::new(),
            tails: HashMap::new(),
            tail_reads: 0,
            vocab: HashMap::new(),
            docs: HashMap::new(),
            positions: HashMap::new(),
            pos_dir: None,
            facets: HashMap::new(),
            #[cfg(test)]
            counts: HashMap::new(),
        })
    }

    fn term_shard(&mut self, i: usize) -> Result<&TermShard> {
        if !self.terms.contains_key(&i) {
            let s = read_json(&self.root.join(format!("t{i}.json")))?;
            self.terms.insert(i, s);
        }
        // Inserted just above.
        Ok(&self.terms[&i])
    }

    fn vocab_shard(&mut self, i: usize) -> Result<&VocabShard> {
        if !self.vocab.contains_key(&i) {
            let s = read_json(&self.root.join(format!("v{i}.json")))?;
            self.vocab.insert(i, s);
        }
        Ok(&self.vocab[&i])
    }

    fn facet(&mut self, facet: FacetName) -> Result<&FacetShard> {
        let name = facet.name();
        if !self.facets.contains_key(name) {
            let file = match self.manifest.facets.get(name) {
                Some(f) => f.file.clone(),
                None => bail!("the index has no `{name}` facet"),
            };
            let s = read_json(&self.root.join(file))?;
            self.facets.insert(name.to_string(), s);
        }
        // Inserted just above.
        Ok(&self.facets[name])
    }

    /// The record of document `doc`.
    pub(crate) fn record(&mut self, doc: u32) -> Result<&DocRecord> {
        // At least 1 (checked when the index was opened).
        let size = self.manifest.doc_shard_size.max(1) as usize;
        let i = doc as usize / size;
        if !self.docs.contains_key(&i) {
            let s = read_json(&self.root.join(format!("d{i}.json")))?;
            self.docs.insert(i, s);
        }
        self.docs
            .get(&i)
            .and_then(|s| s.docs.get(doc as usize % size))
            .context("document record missing from shard")
    }

    /// The term shard file that holds `term` (for errors).
    fn term_file(&self, term: &str) -> PathBuf {
        let i = format::term_shard_for(&self.manifest.term_shards, term);
        self.root.join(format!("t{i}.json"))
    }

    /// The file of a facet (for errors).
    fn facet_file(&self, facet: FacetName) -> PathBuf {
        match self.manifest.facets.get(facet.name()) {
            Some(f) => self.root.join(&f.file),
            None => self.root.clone(),
        }
    }

    /// Collection slug of a document.
    pub(crate) fn collection(&self, doc: u32) -> Option<&str> {
        self.manifest
            .collections
            .iter()
            .find(|c| c.start <= doc && doc < c.end)
            .map(|c| c.slug.as_str())
    }

    /// A term's entry in its term shard (its document frequency, head and tiers).
    fn lookup(&mut self, term: &str) -> Result<Option<TermEntry>> {
        let i = format::term_shard_for(&self.manifest.term_shards, term);
        let shard = self.term_shard(i)?;
        Ok(shard
            .terms
            .binary_search_by(|t| t.term().cmp(term))
            .ok()
            .and_then(|k| shard.terms.get(k).cloned()))
    }

    /// The postings of tier `tier` (1 = the first after the head) of `term`, from `r{file}.json`.
    fn tier(&mut self, term: &str, tier: u32, file: u32) -> Result<Vec<Posting>> {
        let path = self.root.join(format!("r{file}.json"));
        if let std::collections::hash_map::Entry::Vacant(e) = self.tails.entry(file) {
            e.insert(read_json::<TailShard>(&path)?);
            self.tail_reads += 1;
        }
        let shard = &self.tails[&file];
        let found = shard
            .terms
            .binary_search_by(|t| (t.0.as_str(), t.1).cmp(&(term, tier)))
            .ok()
            .and_then(|k| shard.terms.get(k));
        match found {
            Some(t) => validate::postings(&t.2, &self.manifest, &path),
            None => Err(validate::corrupt(
                &path,
                format!(
                    "tier {tier} of the postings of `{}` is missing",
                    crate::diagnostics::escape_controls(term)
                ),
            )),
        }
    }

    /// Facet files (`f-{facet}.json`) read, and facet counts files (`c{i}.json`), for tests of
    /// what a query reads.
    #[cfg(test)]
    pub(crate) fn facet_files_read(&self) -> (usize, usize) {
        (self.facets.len(), self.counts.len())
    }

    /// The number of facet values of the manifest, in the order of the facet counts files:
    /// collections, then the `values` of each other facet of [`FacetName::ALL`] it has.
    #[cfg(test)]
    fn facet_values(&self) -> Vec<(&'static str, String, u32)> {
        let m = &self.manifest;
        let mut out: Vec<(&'static str, String, u32)> = m
            .collections
            .iter()
            .map(|c| ("collection", c.slug.clone(), c.end.saturating_sub(c.start)))
            .collect();
        for f in FacetName::ALL {
            if let Some(fc) = m
                .facets
                .get(f.name())
                .filter(|_| f != FacetName::Collection)
            {
                out.extend(
                    fc.values
                        .iter()
                        .map(|v| (f.name(), v.slug.clone(), v.count)),
                );
            }
        }
        out
    }

    /// A tiered term's documents per facet value (see [`format::CountShard`]), from
    /// `c{file}.json`.
    #[cfg(test)]
    fn term_counts(
        &mut self,
        term: &str,
        df: u32,
        file: u32,
        value_docs: &[u32],
    ) -> Result<Vec<u32>> {
        let path = self.root.join(format!("c{file}.json"));
        if let std::collections::hash_map::Entry::Vacant(e) = self.counts.entry(file) {
            e.insert(read_json::<format::CountShard>(&path)?);
        }
        let shard = &self.counts[&file];
        match shard
            .terms
            .binary_search_by(|t| t.0.as_str().cmp(term))
            .ok()
            .and_then(|k| shard.terms.get(k))
        {
            Some(t) => validate::counts(&t.1, df, value_docs, &self.manifest, &path),
            None => Err(validate::corrupt(
                &path,
                format!(
                    "the facet counts of `{}` are missing",
                    crate::diagnostics::escape_controls(term)
                ),
            )),
        }
    }

    /// The counts next to the filter values before the whole search has run (the search page's
    /// `facetEstimates` in engine.js is the same function; see "Filter counts" in
    /// docs/search-format.md): facet → value slug → (count, exact), values with results only.
    /// `top`: [`Index::search_top`]'s answer for `q` with no filter. Exact for a query of one word
    /// of one tiered term with no exclusion or phrase (its facet counts); otherwise `top.count`
    /// × the share of documents with the value × per word, the share of the value's documents
    /// with the word over the share of all documents with it (1 − ∏(1 − count/documents) over
    /// its expansions; a term without facet counts, a rare one, is taken as independent of the
    /// facets), rounded, at least 1 and at most what can be: the value's documents, and per
    /// word the sum of its expansions' counts (a word none of whose terms has the value rules it
    /// out), and the number of results when it is exact.
    #[cfg(test)]
    pub(crate) fn facet_estimates(&mut self, q: &str, top: &Top) -> Result<FilterCounts> {
        let (words, phrases, excluded) = self.query(q)?;
        let live: Vec<&Word> = words.iter().filter(|w| !w.expansions.is_empty()).collect();
        let values = self.facet_values();
        let value_docs: Vec<u32> = values.iter().map(|v| v.2).collect();
        let mut per_word: Vec<Vec<(u32, Option<Vec<u32>>)>> = Vec::new();
        for w in &live {
            let mut v = Vec::new();
            for e in &w.expansions {
                let Some(entry) = self.lookup(&e.term)? else {
                    v.push((0, None));
                    continue;
                };
                let c = match entry.counts_file() {
                    Some(f) => Some(self.term_counts(&e.term, entry.df(), f, &value_docs)?),
                    None => None,
                };
                v.push((entry.df(), c));
            }
            per_word.push(v);
        }
        let one = match &per_word[..] {
            [w] if phrases.is_empty() && excluded.is_empty() => match &w[..] {
                [(_, Some(c))] => Some(c),
                _ => None,
            },
            _ => None,
        };
        let n = f64::from(self.manifest.docs);
        let total = top.count as f64;
        let mut out: FilterCounts = BTreeMap::new();
        for (gi, (facet, slug, cv)) in values.iter().enumerate() {
            let cv = *cv;
            let (k, exact) = if cv == 0 {
                (0, true)
            } else if let Some(c) = one {
                (c[gi], true)
            } else {
                let cvf = f64::from(cv);
                let mut ratio = 1.0f64;
                let mut hi = cv;
                if top.exact {
                    hi = hi.min(u32::try_from(top.count).unwrap_or(u32::MAX));
                }
                for w in &per_word {
                    let (mut none, mut none_v, mut sum_v) = (1.0f64, 1.0f64, 0u32);
                    for (df, c) in w {
                        let dff = f64::from(*df);
                        none *= 1.0 - dff / n;
                        let (est, bound) = match c {
                            Some(c) => (f64::from(c[gi]), c[gi]),
                            None => (dff * cvf / n, (*df).min(cv)),
                        };
                        none_v *= 1.0 - est / cvf;
                        sum_v = sum_v.saturating_add(bound);
                    }
                    let share = 1.0 - none;
                    ratio *= if share > 0.0 {
                        (1.0 - none_v) / share
                    } else {
                        0.0
                    };
                    hi = hi.min(sum_v);
                }
                let raw = total * cvf / n * ratio;
                // As JavaScript's Math.floor(x + 0.5), at least 1 where a result can be.
                let r = (raw + 0.5).floor().max(1.0).min(f64::from(hi)) as u32;
                (if hi == 0 { 0 } else { r }, false)
            };
            if k > 0 {
                out.entry(facet.to_string())
                    .or_default()
                    .insert(slug.clone(), (k, exact));
            }
        }
        Ok(out)
    }

    /// Every posting of a term, head and tiers, in document order.
    fn postings(&mut self, term: &str) -> Result<Vec<Posting>> {
        let Some(e) = self.lookup(term)? else {
            return Ok(Vec::new());
        };
        let file = self.term_file(term);
        let mut all = validate::postings(e.head(), &self.manifest, &file)?;
        for (j, t) in e.tiers().iter().enumerate() {
            all.extend(self.tier(term, j as u32 + 1, t.2)?);
        }
        if !e.tiers().is_empty() {
            all.sort_by_key(|p| p.doc);
        }
        Ok(all)
    }

    /// The documents containing a term.
    fn docs_with(&mut self, term: &str) -> Result<Vec<u32>> {
        Ok(self.postings(term)?.into_iter().map(|p| p.doc).collect())
    }

    /// The positions of a term in block `block` of documents (documents `block × posBlockDocs …`):
    /// `(document, positions)` sorted by document.
    fn positions_block(&mut self, term: &str, block: u32) -> Result<Vec<(u32, Vec<u32>)>> {
        let tier = block;
        if self.manifest.pos_files == 0 {
            return Ok(Vec::new());
        }
        if self.pos_dir.is_none() {
            self.pos_dir = Some(read_json(&self.root.join("pos.json"))?);
        }
        let Some(dir) = &self.pos_dir else {
            return Ok(Vec::new());
        };
        let i = dir
            .shards
            .partition_point(|(t, j)| (t.as_str(), *j) <= (term, tier))
            .saturating_sub(1);
        let file = self.root.join(format!("p{i}.json"));
        if let std::collections::hash_map::Entry::Vacant(e) = self.positions.entry(i) {
            e.insert(read_json::<PosShard>(&file)?);
        }
        let Some(shard) = self.positions.get(&i) else {
            return Ok(Vec::new());
        };
        match shard
            .terms
            .binary_search_by(|t| (t.0.as_str(), t.1).cmp(&(term, tier)))
        {
            Ok(k) => match shard.terms.get(k) {
                Some(t) => validate::positions(&t.2, &self.manifest, &file),
                None => Ok(Vec::new()),
            },
            Err(_) => Ok(Vec::new()),
        }
    }

    /// The documents with a term as a word, and its positions in each (sorted by document):
    /// every block of the term.
    fn positions(&mut self, term: &str) -> Result<Vec<(u32, Vec<u32>)>> {
        let blocks = self
            .manifest
            .docs
            .div_ceil(self.manifest.pos_block_docs.max(1));
        let mut all = Vec::new();
        for b in 0..blocks {
            all.extend(self.positions_block(term, b)?);
        }
        Ok(all)
    }

    /// Documents of `among` that contain the phrase (its terms consecutive in one field).
    fn with_phrase(&mut self, terms: &[String], among: &[u32]) -> Result<Vec<u32>> {
        if terms.len() == 1 {
            let have = self.docs_with(&terms[0])?;
            return Ok(among
                .iter()
                .copied()
                .filter(|d| have.binary_search(d).is_ok())
                .collect());
        }
        let mut lists = Vec::new();
        for t in terms {
            lists.push(self.positions(t)?);
        }
        Ok(among
            .iter()
            .copied()
            .filter(|&d| phrase_in(&lists, d))
            .collect())
    }

    /// Terms starting with `p` (other than `except`) with their document frequency.
    fn with_prefix(&mut self, p: &str, except: &str, out: &mut Vec<(String, u32)>) -> Result<()> {
        let mut i = format::term_shard_for(&self.manifest.term_shards, p);
        loop {
            let shard = self.term_shard(i)?;
            let from = shard.terms.partition_point(|t| t.term() < p);
            let mut ended = false;
            for t in &shard.terms[from..] {
                if !t.term().starts_with(p) {
                    ended = true;
                    break;
                }
                if t.term() != except && !out.iter().any(|o| o.0 == t.term()) {
                    out.push((t.term().to_string(), t.df()));
                }
            }
            i += 1;
            if ended
                || i >= self.manifest.term_shards.len()
                || !self.manifest.term_shards[i].starts_with(p)
            {
                return Ok(());
            }
        }
    }

    /// Terms within `max_typo_terms` edits of the word or of its stem (a stem shorter than
    /// [`MIN_TYPO_CHARS`] must be matched exactly), the nearest and most frequent first; only
    /// those in `min_df` documents or more.
    fn typo_candidates(&mut self, w: &str, term: &str, min_df: u32) -> Result<Vec<Expansion>> {
        let wc: Vec<char> = w.chars().collect();
        let tc: Vec<char> = term.chars().collect();
        let max = if wc.len() >= self.manifest.typo2_min_len as usize {
            2
        } else {
            1
        };
        // The stem is held to its own length: a short stem of a long word gets 1 edit.
        let max_t = if tc.len() >= self.manifest.typo2_min_len as usize {
            2
        } else {
            1
        };
        let mut shards: Vec<usize> = Vec::new();
        for c in wc.iter().take(2) {
            if let Some(s) = format::vocab_shard_for(&self.manifest.vocab_shards, *c) {
                if !shards.contains(&s) {
                    shards.push(s);
                }
            }
        }
        shards.sort_unstable();
        // The word as surface forms are kept (folded in Spanish).
        let fc: Vec<char> = self.stem.form(w).chars().collect();
        let fold_forms = self.stem.name() == "spanish";
        let mut found: Vec<(usize, u32, String, String)> = Vec::new();
        // Terms near the word or its stem; when there are none, terms whose most frequent word is
        // near the word: a slip in a suffix (`negotiaton`) is near `negotiation`, not `negoti`.
        let mut by_form: Vec<(usize, u32, String, String)> = Vec::new();
        for s in shards {
            let shard = self.vocab_shard(s)?;
            for e in &shard.terms {
                let (t, df, form) = match e {
                    format::VocabEntry::Form(t, df, f) => (t, *df, Some(f)),
                    format::VocabEntry::Plain(t, df) => (t, *df, None),
                };
                let cand: Vec<char> = t.chars().collect();
                let d1 = edit_distance(&wc, &cand, max);
                // A stem of 3 characters tolerates no edit: one letter of three makes another
                // word (`ninos` → `nin` would match `vin` of "vinieron"; QA Q50).
                let d2 = if tc.len() >= MIN_TYPO_CHARS {
                    edit_distance(&tc, &cand, max_t)
                } else {
                    None
                };
                let shown = form.cloned().unwrap_or_default();
                if let Some(d) = [d1, d2].into_iter().flatten().min() {
                    if d > 0 {
                        found.push((d, df, t.clone(), shown));
                    }
                } else if let Some(f) = form {
                    // Words are kept as written; compared as the query word is (folded in Spanish).
                    let fw: Vec<char> = if fold_forms {
                        tokenize::fold(f).chars().collect()
                    } else {
                        f.chars().collect()
                    };
                    if let Some(d) = edit_distance(&fc, &fw, max).filter(|&d| d > 0) {
                        by_form.push((d, df, t.clone(), shown));
                    }
                }
            }
        }
        if found.is_empty() {
            found = by_form;
        }
        found.retain(|x| x.1 >= min_df);
        found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        found.truncate(self.manifest.max_typo_terms as usize);
        let wts = &self.manifest.weights;
        Ok(found
            .into_iter()
            .map(|(d, _, term, form)| Expansion {
                term,
                kind: Kind::Typo(d as u32),
                weight: if d == 1 { wts.typo1 } else { wts.typo2 },
                form,
            })
            .collect())
    }

    /// Parses a query into words and finds their expansions.
    #[cfg(test)]
    pub(crate) fn words(&mut self, q: &str) -> Result<Vec<Word>> {
        Ok(self.query(q)?.0)
    }

    /// The words of a query with their expansions, the terms of its phrases and its excluded
    /// terms. Runs of plain words that are a synonym (`search.synonyms`) become one word whose
    /// term is the synonym group's.
    pub(crate) fn query(&mut self, q: &str) -> Result<QueryParts> {
        let parsed = parse(q);
        let last = parsed.words.len().saturating_sub(1);
        // (word, term, prefix, phrase) of every word that is not a stop word.
        let mut items: Vec<(String, String, bool, bool)> = Vec::new();
        for (i, (w, phrase)) in parsed.words.iter().enumerate() {
            let Some(term) = self.stem.term(w) else {
                continue;
            };
            let mut term = term.into_owned();
            // Spanish: the stem of the word without its accents, when the first is not indexed.
            let alts = self.stem.alt_terms(w);
            if !alts.is_empty() && self.lookup(&term)?.is_none() {
                for alt in alts {
                    if self.lookup(&alt)?.is_some() {
                        term = alt;
                        break;
                    }
                }
            }
            let prefix = parsed.typing && !phrase && i == last && w.chars().count() >= 2;
            items.push((w.clone(), term, prefix, *phrase));
        }
        // Synonyms, over runs of plain words.
        let groups = self.manifest.synonyms.clone();
        let mut rewritten: Vec<(String, String, bool, bool, bool)> = Vec::new();
        let mut k = 0;
        while k < items.len() {
            if items[k].3 {
                let (w, t, p, ph) = items[k].clone();
                rewritten.push((w, t, p, ph, false));
                k += 1;
                continue;
            }
            let end = (k..items.len())
                .find(|&j| items[j].3)
                .unwrap_or(items.len());
            let terms: Vec<&str> = items[k..end].iter().map(|x| x.1.as_str()).collect();
            for r in super::synonyms::rewrite(&groups, &terms) {
                match r {
                    Ok((g, a, b)) if self.lookup(&groups[g].term)?.is_some() => {
                        let word: Vec<&str> =
                            items[k + a..k + b].iter().map(|x| x.0.as_str()).collect();
                        rewritten.push((
                            word.join(" "),
                            groups[g].term.clone(),
                            false,
                            false,
                            true,
                        ));
                    }
                    Ok((_, a, b)) => {
                        for (w, t, p, ph) in items[k + a..k + b].iter().cloned() {
                            rewritten.push((w, t, p, ph, false));
                        }
                    }
                    Err(a) => {
                        let (w, t, p, ph) = items[k + a].clone();
                        rewritten.push((w, t, p, ph, false));
                    }
                }
            }
            k = end;
        }
        let mut words: Vec<Word> = Vec::new();
        for (w, term, prefix, phrase, synonym) in rewritten {
            if words.iter().any(|x| x.term == term && x.prefix == prefix) {
                continue;
            }
            let mut expansions = Vec::new();
            if self.lookup(&term)?.is_some() {
                expansions.push(Expansion {
                    term: term.clone(),
                    kind: Kind::Exact,
                    weight: self.manifest.weights.exact,
                    form: String::new(),
                });
            }
            if prefix {
                let mut cands = Vec::new();
                self.with_prefix(&w, &term, &mut cands)?;
                // Then the word folded (`reunió` → `reunion`) in Spanish, its term in English. Not
                // a Spanish stem: it can be much shorter than the word (`ninos` → `nin`), and the
                // terms it starts are other words ("ninguna"; QA Q50).
                let also = match self.stem.name() {
                    "spanish" => self.stem.form(&w).into_owned(),
                    _ => term.clone(),
                };
                if also != *w {
                    self.with_prefix(&also, &term, &mut cands)?;
                }
                cands.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                cands.truncate(self.manifest.max_prefix_terms as usize);
                for (t, _) in cands {
                    expansions.push(Expansion {
                        term: t,
                        kind: Kind::Prefix,
                        weight: self.manifest.weights.prefix,
                        form: String::new(),
                    });
                }
            }
            // Spanish: the word with an `ñ` for one of its `n`s (`ano` → "año", "años"), besides
            // the word's own term, shown as typos are ("also matched"; QA Q50).
            if !phrase && !synonym {
                for (v, vt) in self.stem.enye_variants(&w) {
                    if vt == term {
                        continue;
                    }
                    let mut cands = Vec::new();
                    if self.lookup(&vt)?.is_some() {
                        cands.push((vt.clone(), v.clone(), self.manifest.weights.exact));
                    }
                    if prefix {
                        let mut more = Vec::new();
                        self.with_prefix(&vt, &vt, &mut more)?;
                        more.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                        more.truncate(self.manifest.max_prefix_terms as usize);
                        for (t, _) in more {
                            cands.push((t.clone(), t, self.manifest.weights.prefix));
                        }
                    }
                    for (t, form, weight) in cands {
                        if !expansions.iter().any(|e: &Expansion| e.term == t) {
                            expansions.push(Expansion {
                                term: t,
                                kind: Kind::Typo(1),
                                weight,
                                form,
                            });
                        }
                    }
                }
            }
            let typos = !phrase && !synonym && w.chars().count() >= MIN_TYPO_CHARS;
            if expansions.is_empty() && typos {
                expansions = self.typo_candidates(&w, &term, 0)?;
            } else if typos
                && let [only] = expansions.as_slice()
                && only.kind == Kind::Exact
                && let Some(df) = self.lookup(&term)?.map(|e| e.df())
                && df <= RARE_DF
            {
                let more = self.typo_candidates(&w, &term, df * RARE_RATIO)?;
                expansions.extend(more);
            }
            words.push(Word {
                word: w,
                term,
                prefix,
                phrase,
                expansions,
            });
        }
        let phrases: Vec<Vec<String>> = parsed
            .phrases
            .iter()
            .map(|p| tokenize::terms(p, &self.stem))
            .filter(|t| !t.is_empty())
            .collect();
        let mut excluded: Vec<String> = Vec::new();
        for w in &parsed.excluded {
            if let Some(t) = self.stem.term(w) {
                if !excluded.contains(&t.to_string()) {
                    excluded.push(t.into_owned());
                }
            }
        }
        Ok((words, phrases, excluded))
    }

    /// Documents passing the filters of every facet but `except`; `None` = no restriction.
    fn allowed(
        &mut self,
        filters: &[(String, String)],
        except: Option<FacetName>,
    ) -> Result<Option<Vec<bool>>> {
        let n = self.manifest.docs as usize;
        let mut by_facet: BTreeMap<FacetName, Vec<&str>> = BTreeMap::new();
        for (f, v) in filters {
            let Some(facet) = FacetName::named(f) else {
                bail!(
                    "unknown filter `{f}` (expected one of: {})",
                    FacetName::names()
                );
            };
            if Some(facet) != except {
                by_facet.entry(facet).or_default().push(v.as_str());
            }
        }
        if by_facet.is_empty() {
            return Ok(None);
        }
        let mut allowed = vec![true; n];
        for (facet, values) in by_facet {
            let mut ok = vec![false; n];
            if facet == FacetName::Collection {
                for c in &self.manifest.collections {
                    if values.contains(&c.slug.as_str()) {
                        ok[c.start as usize..c.end as usize].fill(true);
                    }
                }
            } else {
                let file = self.facet_file(facet);
                let shard = self.facet(facet)?.clone();
                for v in values {
                    if let Some(list) = shard.values.get(v) {
                        // Below `n` (validated).
                        for d in validate::docs(list, &self.manifest, &file)? {
                            ok[d as usize] = true;
                        }
                    }
                }
            }
            for (a, o) in allowed.iter_mut().zip(ok) {
                *a &= o;
            }
        }
        Ok(Some(allowed))
    }

    // The Rust half of the first results the search page shows (`searchTop` in engine.js):
    // `lmp search` shows the whole search; tests check the browser's against this one.
    #[cfg(test)]
    /// The first `k` results of a query, the same as the first `k` of [`Index::search`], read
    /// from the heads of the words' postings and as few tiers as prove them (the search page
    /// shows its first results so; see "Tiered postings" in docs/search-format.md). A query with
    /// a phrase, or whose first results are not proved once every tier is read (fewer than `k`
    /// documents have every word), runs the whole search.
    pub(crate) fn search_top(
        &mut self,
        q: &str,
        filters: &[(String, String)],
        k: usize,
    ) -> Result<Top> {
        let (words, phrases, excluded) = self.query(q)?;
        let live: Vec<&Word> = words.iter().filter(|w| !w.expansions.is_empty()).collect();
        // Tiers read (the same number as engine.js's `searchTop` reads: the parity test).
        let (mut reads, mut chunks) = (0, 0);
        if k > 0 && !live.is_empty() {
            let mut out: Vec<u32> = Vec::new();
            for t in &excluded {
                out.extend(self.docs_with(t)?);
            }
            out.sort_unstable();
            out.dedup();
            let allowed = self.allowed(filters, None)?;
            let mut parts: BTreeMap<String, Partial> = BTreeMap::new();
            for w in &live {
                for e in &w.expansions {
                    if parts.contains_key(&e.term) {
                        continue;
                    }
                    let Some(entry) = self.lookup(&e.term)? else {
                        continue;
                    };
                    let file = self.term_file(&e.term);
                    let seen = validate::postings(entry.head(), &self.manifest, &file)?
                        .into_iter()
                        .map(|p| (p.doc, (p.impact, p.section, 0)))
                        .collect();
                    parts.insert(e.term.clone(), Partial::new(entry, seen));
                }
            }
            let ok = |d: u32| {
                allowed.as_ref().is_none_or(|a| a[d as usize]) && out.binary_search(&d).is_err()
            };
            // A phrase is checked with the positions blocks of the documents it checks.
            let phrased = phrases.iter().flatten().all(|t| parts.contains_key(t));
            let mut blocks = Blocks::new();
            // (A phrase term that is not indexed: the whole search finds nothing.)
            if phrased {
                loop {
                    let r = rank(&self.manifest.impacts, &live, &parts, ok);
                    let mut hits: Vec<Hit> = Vec::new();
                    for h in &r.sure {
                        if hits.len() == k {
                            break;
                        }
                        if self.has_phrases(&phrases, h.doc, &parts, &mut blocks)? {
                            hits.push(h.clone());
                        }
                    }
                    let last = (hits.len() == k).then(|| hits[k - 1].clone());
                    if last.as_ref().is_some_and(|l| r.after_all(l)) {
                        let ok_count = (0..self.manifest.docs).filter(|&d| ok(d)).count();
                        let plain = allowed.is_none() && out.is_empty() && phrases.is_empty();
                        // Per phrase of two words or more: of the documents with all its words
                        // in the positions blocks read, how many have the phrase (the results
                        // checked are not a fair sample: they have the most of its words).
                        let blocks_n = self
                            .manifest
                            .docs
                            .div_ceil(self.manifest.pos_block_docs.max(1));
                        let mut shares = Vec::new();
                        for p in phrases.iter().filter(|p| p.len() > 1) {
                            let (mut have, mut total) = (0usize, 0usize);
                            for b in 0..blocks_n {
                                let Some(lists) = p
                                    .iter()
                                    .map(|t| blocks.get(&(t.clone(), b)).cloned())
                                    .collect::<Option<Vec<_>>>()
                                else {
                                    continue;
                                };
                                for &(d, _) in &lists[0] {
                                    if lists[1..]
                                        .iter()
                                        .all(|l| l.binary_search_by_key(&d, |e| e.0).is_ok())
                                    {
                                        total += 1;
                                        have += usize::from(phrase_in(&lists, d));
                                    }
                                }
                            }
                            shares.push((have, total));
                        }
                        let phrased = (!phrases.is_empty()).then_some((hits.len(), shares));
                        let (count, exact) = estimate(
                            self.manifest.docs,
                            &live,
                            &parts,
                            &r,
                            phrased,
                            ok_count,
                            plain,
                        );
                        let unread = parts
                            .values()
                            .map(|p| p.read.iter().filter(|r| !**r).count())
                            .sum();
                        return Ok(Top {
                            hits,
                            complete: false,
                            reads,
                            chunks,
                            count,
                            exact,
                            unread,
                        });
                    }
                    // Not proved yet: the tiers that can decide it (see [`plan`]).
                    let want = plan(&self.manifest.impacts, &live, &parts, &r, last.as_ref(), k);
                    if want.is_empty() {
                        break;
                    }
                    for (term, j) in want {
                        let Some(p) = parts.get_mut(&term) else {
                            continue;
                        };
                        let Some(t) = p.entry.tiers().get(j).copied() else {
                            continue;
                        };
                        for x in self.tier(&term, j as u32 + 1, t.2)? {
                            p.seen.insert(x.doc, (x.impact, x.section, j as u32 + 1));
                        }
                        p.read[j] = true;
                        reads += 1;
                        chunks += usize::from(j >= p.floor);
                    }
                }
            }
        }
        let mut out = self.search(q, filters)?;
        let count = out.hits.len();
        out.hits.truncate(k);
        Ok(Top {
            hits: out.hits,
            complete: true,
            reads,
            chunks,
            count,
            exact: true,
            unread: 0,
        })
    }

    /// Whether document `d` has every phrase (its terms read for it in `parts`), from the
    /// positions blocks of `d` (cached in `blocks`).
    #[cfg(test)]
    fn has_phrases(
        &mut self,
        phrases: &[Vec<String>],
        d: u32,
        parts: &BTreeMap<String, Partial>,
        blocks: &mut Blocks,
    ) -> Result<bool> {
        for p in phrases {
            let mut lists: Vec<Vec<(u32, Vec<u32>)>> = Vec::new();
            for t in p {
                if !parts.get(t).is_some_and(|x| x.seen.contains_key(&d)) {
                    return Ok(false);
                }
                let tier = d / self.manifest.pos_block_docs.max(1);
                if p.len() == 1 {
                    continue;
                }
                let key = (t.clone(), tier);
                if !blocks.contains_key(&key) {
                    let b = self.positions_block(t, tier)?;
                    blocks.insert(key.clone(), b);
                }
                let ps = blocks
                    .get(&key)
                    .and_then(|b| {
                        b.binary_search_by_key(&d, |e| e.0)
                            .ok()
                            .and_then(|i| b.get(i))
                    })
                    .map(|e| e.1.clone())
                    .unwrap_or_default();
                lists.push(vec![(d, ps)]);
            }
            if p.len() > 1 && !phrase_in(&lists, d) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Runs a query. `filters` are `(facet, value slug)` pairs: values of one facet are
    /// alternatives, facets combine.
    ///
    /// Indexing below: the per-document vectors have `docs` entries, and every document number
    /// and impact symbol comes from `validate::postings` / `validate::docs` (below `docs`, within
    /// `impacts`) or from collection ranges checked when the index was opened.
    pub(crate) fn search(&mut self, q: &str, filters: &[(String, String)]) -> Result<Outcome> {
        let (words, phrases, excluded) = self.query(q)?;
        let n = self.manifest.docs as usize;
        let live: Vec<&Word> = words.iter().filter(|w| !w.expansions.is_empty()).collect();
        // Per document: score, words matched, and per word (points, section).
        let mut score = vec![0u64; n];
        let mut matched = vec![0u32; n];
        let mut per_word: Vec<Vec<(u64, u32)>> = Vec::with_capacity(live.len());
        for w in &live {
            let mut best: Vec<(u64, u32)> = vec![(0, 0); n];
            let mut exact = vec![false; n];
            for e in &w.expansions {
                let is_exact = e.kind == Kind::Exact;
                // Doc numbers are below `n` and impacts index `impacts` (validated).
                for p in self.postings(&e.term)? {
                    let pts = self.manifest.impacts[p.impact as usize] * e.weight;
                    let d = p.doc as usize;
                    // A document with the word itself is scored on it alone.
                    if is_exact {
                        exact[d] = true;
                        best[d] = (pts, p.section);
                    } else if !exact[d] && pts > best[d].0 {
                        best[d] = (pts, p.section);
                    }
                }
            }
            for (d, b) in best.iter().enumerate() {
                if b.0 > 0 {
                    score[d] += b.0;
                    matched[d] += 1;
                }
            }
            per_word.push(best);
        }
        let need = live.len() as u32;
        // Documents with any word, less those with an excluded word, and only those with every
        // phrase.
        let mut base: Vec<u32> = (0..n as u32)
            .filter(|&d| need > 0 && matched[d as usize] >= 1)
            .collect();
        let mut dropped: Vec<u32> = Vec::new();
        for t in &excluded {
            let out = self.docs_with(t)?;
            base.retain(|d| {
                let keep = out.binary_search(d).is_err();
                if !keep {
                    dropped.push(*d);
                }
                keep
            });
        }
        for p in &phrases {
            base = self.with_phrase(p, &base)?;
        }
        let all_words = base.iter().any(|&d| matched[d as usize] == need);
        let min = if all_words { need } else { 1 };
        let candidates: Vec<u32> = base
            .into_iter()
            .filter(|&d| matched[d as usize] >= min)
            .collect();

        let allowed = self.allowed(filters, None)?;
        let mut hits: Vec<Hit> = candidates
            .iter()
            .filter(|&&d| allowed.as_ref().is_none_or(|a| a[d as usize]))
            .map(|&d| {
                let mut secs: BTreeMap<u32, u64> = BTreeMap::new();
                for best in &per_word {
                    let (pts, sec) = best[d as usize];
                    if pts > 0 {
                        *secs.entry(sec).or_default() += pts;
                    }
                }
                let section = best_section(secs);
                Hit {
                    doc: d,
                    score: score[d as usize],
                    matched: matched[d as usize],
                    section,
                }
            })
            .collect();
        hits.sort_by(|a, b| {
            b.matched
                .cmp(&a.matched)
                .then(b.score.cmp(&a.score))
                .then(a.doc.cmp(&b.doc))
        });
        let mut excluded_out = 0;
        if hits.is_empty() && !dropped.is_empty() {
            dropped.sort_unstable();
            for p in &phrases {
                dropped = self.with_phrase(p, &dropped)?;
            }
            excluded_out = dropped
                .iter()
                .filter(|&&d| allowed.as_ref().is_none_or(|a| a[d as usize]))
                .count() as u32;
        }

        let mut counts = BTreeMap::new();
        for facet in FacetName::ALL {
            let allowed = self.allowed(filters, Some(facet))?;
            let pass: Vec<u32> = candidates
                .iter()
                .copied()
                .filter(|&d| allowed.as_ref().is_none_or(|a| a[d as usize]))
                .collect();
            let mut c: BTreeMap<String, u32> = BTreeMap::new();
            if facet == FacetName::Collection {
                for col in &self.manifest.collections {
                    let k = pass
                        .iter()
                        .filter(|&&d| col.start <= d && d < col.end)
                        .count() as u32;
                    if k > 0 {
                        c.insert(col.slug.clone(), k);
                    }
                }
            } else {
                let mut member = vec![false; n];
                for &d in &pass {
                    member[d as usize] = true;
                }
                let file = self.facet_file(facet);
                let shard = self.facet(facet)?.clone();
                for (slug, list) in &shard.values {
                    // Below `n` (validated).
                    let k = validate::docs(list, &self.manifest, &file)?
                        .into_iter()
                        .filter(|&d| member[d as usize])
                        .count() as u32;
                    if k > 0 {
                        c.insert(slug.clone(), k);
                    }
                }
            }
            counts.insert(facet.name().to_string(), c);
        }
        Ok(Outcome {
            words,
            phrases,
            excluded,
            all_words,
            hits,
            counts,
            excluded_out,
        })
    }
}

/// Facet → value slug → (count, exact): the counts next to the filter values (see
/// [`Index::facet_estimates`]).
#[cfg(test)]
pub(crate) type FilterCounts = BTreeMap<String, BTreeMap<String, (u32, bool)>>;

/// What [`Index::search_top`] found.
#[derive(Debug, Clone)]
#[cfg(test)]
pub(crate) struct Top {
    /// The first results: the same documents, in the same order, with the same scores and
    /// sections, as the first of [`Index::search`].
    pub hits: Vec<Hit>,
    /// Whether every posting was read (the whole search was run).
    pub complete: bool,
    /// Tiers read after the heads (before the whole search, when it ran).
    pub reads: usize,
    /// Of those, floor chunks.
    pub chunks: usize,
    /// The number of results: exact (`exact`) or estimated from what was read (see
    /// [`estimate`]); the search page says "about {count} results" for an estimate.
    pub count: usize,
    pub exact: bool,
    /// Tiers of the words' terms not read (0: the whole search reads no more postings; the
    /// search page then counts filters exactly rather than from the facet counts files).
    pub unread: usize,
}

/// A term's postings read so far by [`Index::search_top`]: its head and the tiers marked in
/// `read`. Its tiers are impact tiers (`..floor`), read in order, then floor chunks (`floor..`:
/// the postings at the term's lowest level, by range of documents), read for the documents
/// that need them (see "Tiered postings" in docs/search-format.md).
#[cfg(test)]
struct Partial {
    entry: TermEntry,
    /// The first floor chunk (the first tier at the last tier's level).
    floor: usize,
    read: Vec<bool>,
    /// Document → (impact, section, tier it was read from: 0 = the head).
    seen: HashMap<u32, (u8, u32, u32)>,
}

#[cfg(test)]
impl Partial {
    fn new(entry: TermEntry, seen: HashMap<u32, (u8, u32, u32)>) -> Partial {
        let tiers = entry.tiers();
        let floor = tiers
            .last()
            .map_or(0, |l| tiers.iter().position(|t| t.0 == l.0).unwrap_or(0));
        let read = vec![false; tiers.len()];
        Partial {
            entry,
            floor,
            read,
            seen,
        }
    }

    /// The first unread tier in order (impact tiers, then floor chunks by document).
    fn first_unread(&self) -> Option<usize> {
        self.read.iter().position(|r| !r)
    }

    /// `(level, doc)` of the first unread posting in the order of tiers (impact highest first,
    /// then document): every unread posting has a lower impact, or this one and a document
    /// number of at least `doc`. `None`: every posting is read.
    fn bound(&self) -> Option<(u8, u32)> {
        let t = self.entry.tiers().get(self.first_unread()?)?;
        Some((t.0, t.1))
    }

    /// The floor chunk that holds document `d`'s posting if it is at the floor level (`None`: a
    /// document before the first chunk, whose floor posting would be in the head).
    fn chunk_of(&self, d: u32) -> Option<usize> {
        let tiers = self.entry.tiers();
        let k = tiers[self.floor..].partition_point(|t| t.1 <= d);
        k.checked_sub(1).map(|k| self.floor + k)
    }

    /// The tier to read next to learn `d`'s posting: the first unread impact tier, or else
    /// `d`'s floor chunk when it is unread.
    fn next_for(&self, d: u32) -> Option<usize> {
        match self.first_unread() {
            Some(j) if j < self.floor => Some(j),
            _ => self.chunk_of(d).filter(|&j| !self.read[j]),
        }
    }

    /// The highest level an unread posting of document `d` (not in the postings read) can
    /// have: the level of the first unread impact tier, or the floor's when `d`'s chunk is
    /// unread. `None`: `d` does not have the term.
    fn bound_for(&self, d: u32) -> Option<u8> {
        self.next_for(d).map(|j| self.entry.tiers()[j].0)
    }
}

/// Positions blocks read by a query: (term, tier) → `(document, positions)` by document.
#[cfg(test)]
type Blocks = HashMap<(String, u32), Vec<(u32, Vec<u32>)>>;

/// What the postings read so far say of the documents that may match every word (see "Tiered
/// postings" in docs/search-format.md).
#[cfg(test)]
struct Ranked {
    /// Documents that match every word with all their points known (for every word, its exact
    /// term read for the document, or no unread posting of its other expansions could give more
    /// than the best read, nor as much), best first.
    sure: Vec<Hit>,
    /// Documents that may match every word but whose points are not all known: (doc, at most).
    open: Vec<(u32, u64)>,
    /// When a document none of whose postings is read may match every word: the most it can
    /// score, and the lowest document number it can have with that score.
    unseen: Option<(u64, u32)>,
}

#[cfg(test)]
impl Ranked {
    /// Whether every document not in `sure` ranks after `last` (ties go to the lower document
    /// number, as in [`Index::search`]): read in part (its known points plus the most its
    /// unknown words can add) or not at all.
    fn after_all(&self, last: &Hit) -> bool {
        let after =
            |score: u64, doc: u32| score < last.score || (score == last.score && doc > last.doc);
        self.open.iter().all(|&(d, hi)| after(hi, d))
            && self.unseen.is_none_or(|(hi, d)| after(hi, d))
    }
}

/// The first `k` results when the postings read so far prove them (a query without phrases).
#[cfg(test)]
fn certify(
    impacts: &[u64],
    live: &[&Word],
    parts: &BTreeMap<String, Partial>,
    k: usize,
    ok: impl Fn(u32) -> bool,
) -> Option<Vec<Hit>> {
    let r = rank(impacts, live, parts, ok);
    let last = r.sure.get(k.checked_sub(1)?)?;
    r.after_all(last).then(|| r.sure[..k].to_vec())
}

/// How many results a query has, from what [`Index::search_top`] read once its first results
/// are proved (`estimate` in engine.js is the same function, with the same floating-point
/// operations in the same order, so both engines give the same number): `(count, exact)`.
///
/// Exact when what was read decides it: no document read in part or not at all can still match
/// every word (the results are then the documents proved), or the query is one word of one term
/// with no filter, exclusion or phrase (then the term's `df`). Otherwise an estimate: the
/// documents passing the filters and exclusions (`ok_count`) × the product, over words, of the
/// share of documents with the word (from its terms' `df`s, taken as independent), × for each
/// phrase the share of the documents with its words that have it, in the positions blocks read
/// (`phrased`: the results proved, and `(have, total)` per phrase of two words or more); kept
/// between what is proved (`low`) and what can be (`high`: the fewest documents any word can
/// have, and when no unread document can match every word, the documents read that may).
#[cfg(test)]
fn estimate(
    docs: u32,
    live: &[&Word],
    parts: &BTreeMap<String, Partial>,
    r: &Ranked,
    phrased: Option<(usize, Vec<(usize, usize)>)>,
    ok_count: usize,
    plain: bool,
) -> (usize, bool) {
    let low = phrased.as_ref().map_or(r.sure.len(), |p| p.0);
    if phrased.is_none() && r.open.is_empty() && r.unseen.is_none() {
        return (low, true);
    }
    if let [w] = live {
        if let ([e], true) = (&w.expansions[..], plain) {
            if let Some(p) = parts.get(&e.term) {
                return (p.entry.df() as usize, true);
            }
        }
    }
    let n = f64::from(docs);
    let mut high = ok_count;
    let mut est = ok_count as f64;
    for w in live {
        let (mut sum, mut none) = (0usize, 1.0f64);
        for e in &w.expansions {
            let df = parts.get(&e.term).map_or(0, |p| p.entry.df());
            sum += df as usize;
            none *= 1.0 - f64::from(df) / n;
        }
        high = high.min(sum);
        est *= 1.0 - none;
    }
    if r.unseen.is_none() {
        high = high.min(r.sure.len() + r.open.len());
    }
    for &(have, total) in phrased.iter().flat_map(|p| &p.1) {
        if total > 0 {
            est = est * have as f64 / total as f64;
        }
    }
    // Rounded as JavaScript's Math.floor(x + 0.5); the estimate is at least 0.
    let rounded = (est + 0.5).floor() as usize;
    (high.min(low.max(rounded)), low >= high)
}

/// The points a posting at `level` gives a word of weight `w`. A level from the index
/// (unchecked) that is not in `impacts` bounds nothing.
#[cfg(test)]
fn level_points(impacts: &[u64], level: u8, w: u64) -> u64 {
    impacts
        .get(level as usize)
        .copied()
        .unwrap_or(u64::MAX)
        .saturating_mul(w)
}

/// Ranks what the postings read so far prove (`rank` in engine.js is the same function).
/// `ok(d)`: document `d` passes the filters and has no excluded word.
#[cfg(test)]
fn rank(
    impacts: &[u64],
    live: &[&Word],
    parts: &BTreeMap<String, Partial>,
    ok: impl Fn(u32) -> bool,
) -> Ranked {
    let need = live.len() as u32;
    let pts = |level: u8, w: u64| level_points(impacts, level, w);
    // A document none of whose postings is read: per word, the most an unread posting gives
    // and the lowest document that can give it.
    let mut unseen_hi = 0u64;
    let mut unseen_words = 0u32;
    let mut unseen_doc = 0u32;
    for w in live {
        let (mut hi, mut doc) = (0u64, u32::MAX);
        for e in &w.expansions {
            let Some(b) = parts.get(&e.term).and_then(Partial::bound) else {
                continue;
            };
            let p = pts(b.0, e.weight);
            if p > hi {
                (hi, doc) = (p, b.1);
            } else if p == hi {
                doc = doc.min(b.1);
            }
        }
        if hi > 0 {
            unseen_words += 1;
            unseen_hi = unseen_hi.saturating_add(hi);
            unseen_doc = unseen_doc.max(doc);
        }
    }
    let mut docs: Vec<u32> = parts
        .values()
        .flat_map(|p| p.seen.keys().copied())
        .collect();
    docs.sort_unstable();
    docs.dedup();
    let mut sure: Vec<Hit> = Vec::new();
    // Documents that may match every word but whose points are not all known: (doc, at most).
    let mut open: Vec<(u32, u64)> = Vec::new();
    for d in docs {
        if !ok(d) {
            continue;
        }
        let (mut known, mut sum, mut matched) = (true, 0u64, 0u32);
        let mut secs: BTreeMap<u32, u64> = BTreeMap::new();
        for w in live {
            let mut exact: Option<(u64, u32)> = None;
            let (mut e_tail, mut other, mut o_tail) = (0u64, (0u64, 0u32), 0u64);
            for e in &w.expansions {
                let Some(p) = parts.get(&e.term) else {
                    continue;
                };
                match p.seen.get(&d) {
                    Some(&(imp, sec, _)) => {
                        let v = pts(imp, e.weight);
                        if e.kind == Kind::Exact {
                            exact = Some((v, sec));
                        } else if v > other.0 {
                            other = (v, sec);
                        }
                    }
                    None => {
                        if let Some(b) = p.bound_for(d) {
                            let v = pts(b, e.weight);
                            if e.kind == Kind::Exact {
                                e_tail = v;
                            } else {
                                o_tail = o_tail.max(v);
                            }
                        }
                    }
                }
            }
            let value = match exact {
                Some(x) => Some(x),
                None if e_tail == 0 && (other.0 > o_tail || o_tail == 0) => Some(other),
                None => None,
            };
            match value {
                Some((v, sec)) => {
                    sum = sum.saturating_add(v);
                    if v > 0 {
                        matched += 1;
                        *secs.entry(sec).or_default() += v;
                    }
                }
                None => {
                    known = false;
                    matched += 1;
                    sum = sum.saturating_add(e_tail.max(other.0).max(o_tail));
                }
            }
        }
        if matched < need {
            continue;
        }
        if known {
            let section = best_section(secs);
            sure.push(Hit {
                doc: d,
                score: sum,
                matched: need,
                section,
            });
        } else {
            open.push((d, sum));
        }
    }
    sure.sort_by(|a, b| b.score.cmp(&a.score).then(a.doc.cmp(&b.doc)));
    Ranked {
        sure,
        open,
        unseen: (unseen_words == need).then_some((unseen_hi, unseen_doc)),
    }
}

/// The tiers to read when the postings read so far prove nothing (`plan` in engine.js is the
/// same function, so both engines read the same tiers), as `(term, tier index)`:
/// - for the first `k` documents read in part that may rank before the `k`-th result (all of
///   them when there are fewer than `k` results), best first: for each word whose points are
///   unknown, the tier of each expansion that may hold them (the first unread impact tier, or
///   the document's floor chunk once every impact tier is read);
/// - when there are none, and a document none of whose postings is read may rank before the
///   `k`-th: for each word, the next impact tier of the expansions that give its bound; if no
///   word has one, the first unread tier of those expansions (floor chunks in document order).
///
/// Empty when nothing unread can change the answer (fewer than `k` documents match every word).
#[cfg(test)]
fn plan(
    impacts: &[u64],
    live: &[&Word],
    parts: &BTreeMap<String, Partial>,
    r: &Ranked,
    last: Option<&Hit>,
    k: usize,
) -> std::collections::BTreeSet<(String, usize)> {
    let pts = |level: u8, w: u64| level_points(impacts, level, w);
    let blocks = |score: u64, doc: u32| {
        last.is_none_or(|l| score > l.score || (score == l.score && doc < l.doc))
    };
    let mut want = std::collections::BTreeSet::new();
    let mut open: Vec<(u32, u64)> = r
        .open
        .iter()
        .copied()
        .filter(|&(d, hi)| blocks(hi, d))
        .collect();
    open.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for &(d, _) in open.iter().take(k) {
        for w in live {
            // The word's best known points from other expansions, and whether its exact term is
            // read for `d` (then its points are known).
            let mut other = 0u64;
            let mut exact = false;
            for e in &w.expansions {
                if let Some(&(imp, ..)) = parts.get(&e.term).and_then(|p| p.seen.get(&d)) {
                    if e.kind == Kind::Exact {
                        exact = true;
                    } else {
                        other = other.max(pts(imp, e.weight));
                    }
                }
            }
            if exact {
                continue;
            }
            for e in &w.expansions {
                let Some(p) = parts.get(&e.term) else {
                    continue;
                };
                if p.seen.contains_key(&d) {
                    continue;
                }
                let Some(j) = p.next_for(d) else {
                    continue;
                };
                let v = pts(p.entry.tiers()[j].0, e.weight);
                if v > 0 && (e.kind == Kind::Exact || v >= other) {
                    want.insert((e.term.clone(), j));
                }
            }
        }
    }
    // Documents not read at all only once no document read in part blocks: resolving those
    // first sets the `k`-th result, which usually bounds the rest (reading impact tiers for
    // the bound before that read a 62 kB tier of a word of a mistyped query at 100,000
    // documents that the proof did not need).
    if let Some((hi, doc)) = r.unseen.filter(|_| want.is_empty()) {
        if blocks(hi, doc) {
            // Per word, the expansions whose next unread posting gives its bound.
            let mut tops: Vec<(&str, &Partial)> = Vec::new();
            for w in live {
                let bound = |e: &Expansion| {
                    parts
                        .get(&e.term)
                        .and_then(Partial::bound)
                        .map_or(0, |b| pts(b.0, e.weight))
                };
                let best = w.expansions.iter().map(bound).max().unwrap_or(0);
                for e in &w.expansions {
                    if best > 0 && bound(e) == best {
                        if let Some(p) = parts.get(&e.term) {
                            tops.push((&e.term, p));
                        }
                    }
                }
            }
            let impact = |p: &Partial| p.first_unread().filter(|&j| j < p.floor);
            let any_impact = tops.iter().any(|(_, p)| impact(p).is_some());
            for (term, p) in tops {
                let next = if any_impact {
                    impact(p)
                } else {
                    p.first_unread()
                };
                if let Some(j) = next {
                    want.insert((term.to_string(), j));
                }
            }
        }
    }
    want
}

/// Whether document `d` has the phrase: a position of the first term followed by each next
/// term at the next positions. `lists`: per phrase term, `(document, positions)` sorted.
fn phrase_in(lists: &[Vec<(u32, Vec<u32>)>], d: u32) -> bool {
    let mut per: Vec<&[u32]> = Vec::with_capacity(lists.len());
    for l in lists {
        match l
            .binary_search_by_key(&d, |e| e.0)
            .ok()
            .and_then(|k| l.get(k))
        {
            Some(e) => per.push(&e.1),
            None => return false,
        }
    }
    let Some((first, rest)) = per.split_first() else {
        return false;
    };
    first.iter().any(|&p| {
        rest.iter().enumerate().all(|(j, ps)| {
            u32::try_from(u64::from(p) + j as u64 + 1).is_ok_and(|q| ps.binary_search(&q).is_ok())
        })
    })
}

/// Why a word of a query is not looked for when it is longer than
/// [`crate::search::tokenize::MAX_WORD_BYTES`]: the index leaves such words out.
fn too_long() -> String {
    let max = crate::search::tokenize::MAX_WORD_BYTES;
    format!("search leaves out words of more than {max} bytes ({max} letters, fewer with accents)")
}

/// Text or JSON answer for `lmp search`.
pub(crate) fn answer(
    public_dir: &Path,
    query: &str,
    filters: &[(String, String)],
    lang: Option<&str>,
    json: bool,
    limit: usize,
) -> Result<String> {
    if lang.is_some_and(|l| l.eq_ignore_ascii_case("all")) {
        return answer_all(public_dir, query, filters, json, limit);
    }
    let mut index = Index::open(public_dir, lang)?;
    check_filters(&index.manifest, filters)?;
    let mut text = render(&mut index, query, filters, json, limit)?;
    // Nothing in this language: say which other languages' pages have it (most of a site is not
    // translated, QA Q32; a Spanish word looked for in English is not misspelt). Not for a query
    // of only this language's common words (`de la`): they are words of the other language's
    // pages.
    let own = index.search(query, filters)?;
    let only_common = own.words.is_empty() && own.phrases.is_empty();
    // QA s14: `lmp search "-huddle"` was told that huddle is a common word left out.
    let only_left_out = query.split_whitespace().all(|w| w.starts_with('-'));
    // QA s15: `lmp search '""'` (or `"?!"`) was told its words were common words: it has none.
    let no_words = !query.chars().any(char::is_alphanumeric);
    // Hostile tester s17: a word of 100,000 letters was "a common word that search leaves out".
    let long: Vec<&str> = query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > crate::search::tokenize::MAX_WORD_BYTES)
        .collect();
    if !only_common && !json && !long.is_empty() {
        text.push_str(&format!(
            "  (left out: a word of {} letters, too long to look for: {})\n",
            long[0].chars().count(),
            too_long()
        ));
    }
    if only_common && !json && no_words {
        text.push_str(
            "  (the query has no words to look for: give a word or a \"phrase\", e.g. `lmp search \"huddle\"`)\n",
        );
    } else if only_common && !json && !long.is_empty() && !only_left_out {
        text.push_str(&format!(
            "  (\"{}\" is too long to look for: {})\n",
            crate::diagnostics::escape_controls(&crate::diagnostics::shorten(long[0], 40)),
            too_long()
        ));
    } else if only_common && !json && !query.trim().is_empty() {
        if only_left_out {
            text.push_str(&format!(
                "  (\"{}\" only says what to leave out: add a word to look for, e.g. \"board {}\")\n",
                crate::diagnostics::escape_controls(query),
                crate::diagnostics::escape_controls(query.trim())
            ));
        } else {
            text.push_str(&format!(
                "  (every word of \"{}\" is a common word that search leaves out)\n",
                crate::diagnostics::escape_controls(&crate::diagnostics::shorten(query, 80))
            ));
        }
    }
    let others: Vec<_> = index
        .manifest
        .languages
        .iter()
        .filter(|l| l.code != index.manifest.lang)
        .cloned()
        .collect();
    for l in others {
        if json || only_common || !own.hits.is_empty() {
            break;
        }
        let mut other = Index::open(public_dir, Some(&l.code))?;
        let n = match check_filters(&other.manifest, filters) {
            Ok(()) => other.search(query, filters)?.hits.len(),
            Err(_) => 0,
        };
        if n > 0 {
            text.push_str(&format!(
                "  ({n} result{} in {} ({}): add `--lang {}`, or `--lang all`)\n",
                if n == 1 { "" } else { "s" },
                crate::diagnostics::escape_controls(&l.name),
                l.code,
                l.code
            ));
        }
    }
    Ok(text)
}

/// `--lang all`: the answer of every language's index, the default language first. Filters are
/// checked against the default language's index (the others may lack a value: no results there).
fn answer_all(
    public_dir: &Path,
    query: &str,
    filters: &[(String, String)],
    json: bool,
    limit: usize,
) -> Result<String> {
    let first = Index::open(public_dir, None)?;
    check_filters(&first.manifest, filters)?;
    let mut langs: Vec<(String, String)> = first
        .manifest
        .languages
        .iter()
        .map(|l| (l.code.clone(), l.name.clone()))
        .collect();
    if langs.is_empty() {
        langs.push((first.manifest.lang.clone(), first.manifest.lang.clone()));
    }
    let mut text = String::new();
    let mut all = Vec::new();
    for (code, name) in &langs {
        let mut index = Index::open(public_dir, Some(code))?;
        let known = check_filters(&index.manifest, filters).is_ok();
        let out = if known {
            render(&mut index, query, filters, json, limit)?
        } else if json {
            serde_json::json!({"query": query, "total": 0, "results": []}).to_string()
        } else {
            format!(
                "0 results for \"{}\"\n",
                crate::diagnostics::escape_controls(&crate::diagnostics::shorten(query, 80))
            )
        };
        if json {
            let mut v: serde_json::Value = serde_json::from_str(&out)?;
            if let Some(o) = v.as_object_mut() {
                o.insert("lang".into(), code.clone().into());
                o.insert("name".into(), name.clone().into());
            }
            all.push(v);
        } else {
            text.push_str(&format!("{name} ({code}): {out}"));
        }
    }
    if json {
        return Ok(serde_json::to_string_pretty(&serde_json::json!({ "languages": all }))? + "\n");
    }
    Ok(text)
}

/// The text or JSON answer of one index.
fn render(
    index: &mut Index,
    query: &str,
    filters: &[(String, String)],
    json: bool,
    limit: usize,
) -> Result<String> {
    let out = index.search(query, filters)?;
    let mut rows = Vec::new();
    for h in out.hits.iter().take(limit) {
        let collection = index.collection(h.doc).unwrap_or_default().to_string();
        let r = index.record(h.doc)?.clone();
        let (anchor, heading) = r.section(h.section as usize);
        let url = if anchor.is_empty() {
            r.url.clone()
        } else {
            format!("{}#{anchor}", r.url)
        };
        rows.push((h, collection, r, url, heading));
    }
    if json {
        let results: Vec<serde_json::Value> = rows
            .iter()
            .map(|(h, collection, r, url, heading)| {
                serde_json::json!({
                    "url": r.url, "link": url, "title": r.title, "collection": collection,
                    "date": r.date, "heading": heading, "score": h.score, "matched": h.matched,
                })
            })
            .collect();
        let words: Vec<serde_json::Value> = out
            .words
            .iter()
            .map(|w| {
                serde_json::json!({
                    "word": w.word, "term": w.term, "prefix": w.prefix, "phrase": w.phrase,
                    "matches": w.expansions.iter().map(|e| serde_json::json!({
                        "term": e.term,
                        "kind": match e.kind { Kind::Exact => "exact".to_string(), Kind::Prefix => "prefix".to_string(), Kind::Typo(d) => format!("typo{d}") },
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        let v = serde_json::json!({
            "query": query, "total": out.hits.len(), "allWords": out.all_words,
            "phrases": out.phrases, "excluded": out.excluded,
            "words": words, "results": results, "counts": out.counts,
            "excludedOut": out.excluded_out,
        });
        return Ok(serde_json::to_string_pretty(&v)? + "\n");
    }
    let esc = crate::diagnostics::escape_controls;
    let mut s = String::new();
    let total = out.hits.len();
    s.push_str(&format!(
        "{total} result{} for \"{}\"",
        if total == 1 { "" } else { "s" },
        esc(&crate::diagnostics::shorten(query, 80))
    ));
    if !filters.is_empty() {
        let f: Vec<String> = filters.iter().map(|(k, v)| format!("{k}={v}")).collect();
        s.push_str(&format!(" ({})", f.join(", ")));
    }
    s.push('\n');
    for w in &out.words {
        for e in &w.expansions {
            if let Kind::Typo(_) = e.kind {
                let shown = if e.form.is_empty() { &e.term } else { &e.form };
                s.push_str(&format!("  (\"{}\" also matched \"{}\")\n", w.word, shown));
            }
        }
        if w.expansions.is_empty() {
            s.push_str(&format!("  (no match for \"{}\")\n", w.word));
        }
    }
    if total > 0 && !out.all_words {
        s.push_str("  (no document has every word; showing documents with some of them)\n");
    }
    if total == 0 {
        s.push_str(&why_none(index, &out, filters));
    }
    // A language's own words: a Spanish index says "Historias" and "14 de mayo de 2013", as its
    // pages do; the default language's keeps the collection's slug, which `--collection` takes.
    let own_words = index
        .manifest
        .languages
        .first()
        .is_some_and(|l| l.code != index.manifest.lang);
    for (i, (h, collection, r, url, _)) in rows.iter().enumerate() {
        s.push_str(&format!(
            "{:>3}. {} [{}{}] {}  ({})\n",
            i + 1,
            // The index is untrusted: nothing in it may drive the terminal or start a line.
            esc(&r.title),
            esc(
                match index
                    .manifest
                    .collections
                    .iter()
                    .find(|c| &c.slug == collection)
                {
                    Some(c) if own_words => &c.label,
                    _ => collection,
                }
            ),
            if r.date.is_empty() {
                String::new()
            } else {
                // Written as on the site's pages ("July 22, 2013", "14 de mayo de 2013"); the
                // JSON keeps ISO dates.
                format!(", {}", esc(&index.manifest.dates.show(&r.date)))
            },
            esc(url),
            h.score
        ));
    }
    if total > rows.len() {
        s.push_str(&format!("  … {} more\n", total - rows.len()));
    }
    Ok(s)
}

/// Why a search found nothing, when it is not the words' spelling: every page with the words has
/// an excluded word (QA Q91), or no page of this language has a filter's value (QA Q106:
/// `--region hawaii --lang es` where no Spanish page is about Hawaii).
fn why_none(index: &Index, out: &Outcome, filters: &[(String, String)]) -> String {
    let esc = crate::diagnostics::escape_controls;
    let mut s = String::new();
    if out.excluded_out > 0 {
        let n = out.excluded_out;
        s.push_str(&format!(
            "  ({n} document{} with the other words {} a word excluded with \"-\"; drop it to see {})\n",
            if n == 1 { "" } else { "s" },
            if n == 1 { "has" } else { "have" },
            if n == 1 { "it" } else { "them" },
        ));
    }
    let m = &index.manifest;
    let lang = m
        .languages
        .iter()
        .find(|l| l.code == m.lang)
        .map_or_else(|| m.lang.clone(), |l| format!("{} ({})", l.name, l.code));
    for (facet, slug) in filters {
        let (count, label) = if facet == FacetName::Collection.name() {
            match m.collections.iter().find(|c| &c.slug == slug) {
                Some(c) => (c.end.saturating_sub(c.start), c.label.clone()),
                None => (0, slug.clone()),
            }
        } else {
            match m
                .facets
                .get(facet)
                .and_then(|f| f.values.iter().find(|v| &v.slug == slug))
            {
                Some(v) => (v.count, v.label.clone()),
                None => (0, slug.clone()),
            }
        };
        if count == 0 {
            let named = if label == *slug {
                format!("{facet} {slug}")
            } else {
                format!("{facet} {slug} (\"{label}\")")
            };
            s.push_str(&format!(
                "  (no page in {} has {})\n",
                esc(&lang),
                esc(&named)
            ));
        }
    }
    s
}

/// Refuses filter values the index does not know (`--region socal`), with a suggestion: a close
/// spelling (`hawai` → `hawaii`) or an abbreviation of the words of a slug or label
/// (`socal` → `southern-california`), else the list of values.
pub(crate) fn check_filters(m: &Manifest, filters: &[(String, String)]) -> Result<()> {
    let mut errors = Vec::new();
    for (facet, value) in filters {
        let known: Vec<(&str, &str)> = match FacetName::named(facet) {
            Some(FacetName::Collection) => m
                .collections
                .iter()
                .map(|c| (c.slug.as_str(), c.label.as_str()))
                .collect(),
            Some(f) => m
                .facets
                .get(f.name())
                .map(|f| {
                    f.values
                        .iter()
                        .map(|v| (v.slug.as_str(), v.label.as_str()))
                        .collect()
                })
                .unwrap_or_default(),
            None => bail!(
                "unknown filter `{facet}` (expected one of: {})",
                FacetName::names()
            ),
        };
        if known.iter().any(|(s, _)| s == value) {
            continue;
        }
        let wanted = value.to_lowercase();
        let close =
            crate::diagnostics::suggest(&wanted, known.iter().map(|(s, _)| *s)).or_else(|| {
                known
                    .iter()
                    .find(|(s, l)| {
                        abbreviates(&wanted, s) || abbreviates(&wanted, &l.to_lowercase())
                    })
                    .map(|(s, _)| *s)
            });
        let all: Vec<&str> = known.iter().map(|(s, _)| *s).collect();
        let mut msg = format!("unknown {facet} `{value}`");
        match close {
            Some(s) => msg.push_str(&format!(", did you mean `{s}`?")),
            None if all.is_empty() => msg.push_str(&format!(" (this site has no {facet} values)")),
            None => msg.push_str(&format!(" (the {facet} values are: {})", all.join(", "))),
        }
        errors.push(msg);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        bail!("{}", errors.join("\nerror: "))
    }
}

/// Whether `short` is made of prefixes of consecutive words of `name` (words split at `-`, `_`
/// and spaces), starting with the first: `socal` of `southern-california`, `norcal` of
/// `northern-california`, `mid` of `mid-atlantic`.
fn abbreviates(short: &str, name: &str) -> bool {
    fn go(s: &str, words: &[&str]) -> bool {
        if s.is_empty() {
            return true;
        }
        let Some((w, rest)) = words.split_first() else {
            return false;
        };
        let common = s
            .chars()
            .zip(w.chars())
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| a.len_utf8())
            .sum::<usize>();
        // `get`: a prefix length may fall inside a character of `s` (then it is skipped).
        (1..=common)
            .rev()
            .any(|k| s.get(k..).is_some_and(|r| go(r, rest)))
    }
    let words: Vec<&str> = name
        .split(|c: char| c == '-' || c == '_' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    short.chars().count() >= 2 && go(short, &words)
}

#[cfg(test)]
mod filter_tests {
    use super::abbreviates;

    #[test]
    fn abbreviations_of_slugs() {
        assert!(abbreviates("socal", "southern-california"));
        assert!(abbreviates("norcal", "northern-california"));
        assert!(abbreviates("midatl", "mid-atlantic"));
        assert!(abbreviates("so", "southern-california"));
        assert!(!abbreviates("cal", "southern-california"));
        assert!(!abbreviates("socali", "southern-colorado"));
        assert!(!abbreviates("s", "southern-california"));
    }
}

/// The section with the most points (the first of equals, by section number): where a hit's
/// link goes, for the whole search and for the first results proved from the tiers alike.
fn best_section(secs: BTreeMap<u32, u64>) -> u32 {
    let mut section = 0;
    let mut top = 0;
    for (s, p) in secs {
        if p > top {
            top = p;
            section = s;
        }
    }
    section
}

#[cfg(test)]
mod hostile_tests {
    #[test]
    fn abbreviations_of_non_ascii_names_do_not_panic() {
        assert!(!super::abbreviates("éx", "éa-b"));
        assert!(super::abbreviates("éb", "éa-b"));
        assert!(!super::abbreviates("aé", "aè"));
    }
}

#[cfg(test)]
mod tier_tests {
    use super::*;
    use crate::search::format::Tier;

    /// A term read up to an impact tier whose first posting is `bound` (a floor chunk after it,
    /// at level 1, from the last document on).
    fn part(bound: (u8, u32), seen: &[(u32, u8)]) -> Partial {
        Partial::new(
            TermEntry::Tiered(
                String::new(),
                0,
                String::new(),
                vec![Tier(bound.0, bound.1, 0), Tier(1, u32::MAX, 0)],
                0,
            ),
            seen.iter().map(|&(d, l)| (d, (l, 0, 0))).collect(),
        )
    }

    #[test]
    fn a_document_no_posting_read_names_can_outrank_the_known_ones() {
        // Points are 10 per level. The word `car` typed: its exact term `car` (weight 4) read
        // for documents 0 (level 10: 400 points) and 1 (level 9: 360), the rest below level 8;
        // the prefix term `career` (weight 2) read for nothing yet, its unread postings up to
        // level 25 (500 points): a document with `career` there and no `car` beats document 0.
        let impacts: Vec<u64> = (0..64).map(|l| l * 10).collect();
        let e = |term: &str, kind, weight| Expansion {
            term: term.into(),
            kind,
            weight,
            form: String::new(),
        };
        let w = Word {
            word: "car".into(),
            term: "car".into(),
            prefix: true,
            phrase: false,
            expansions: vec![e("car", Kind::Exact, 4), e("career", Kind::Prefix, 2)],
        };
        let live = [&w];
        let mut parts = BTreeMap::new();
        parts.insert("car".to_string(), part((8, 100), &[(0, 10), (1, 9)]));
        parts.insert("career".to_string(), part((25, 0), &[]));
        assert_eq!(certify(&impacts, &live, &parts, 1, |_| true), None);
        // With `career`'s unread postings at most level 20 (400 points, as many as document 0,
        // but from document 1 on), document 0 is first whatever they hold.
        parts.insert("career".to_string(), part((20, 1), &[]));
        let hits = certify(&impacts, &live, &parts, 1, |_| true).unwrap();
        assert_eq!((hits[0].doc, hits[0].score), (0, 400));
        // And below level 18 (340 points, under document 1's 360), the first two.
        parts.insert("career".to_string(), part((17, 0), &[]));
        assert_eq!(
            certify(&impacts, &live, &parts, 2, |_| true).unwrap().len(),
            2
        );
    }

    #[test]
    fn floor_chunks_decide_the_documents_they_hold_and_are_read_for_them() {
        // Points are 10 per level. `team` (exact, weight 1): impact tiers read (its head holds
        // document 7 at level 30); its floor (level 2) in chunks from documents 0, 50 and 100.
        // `huddle` (exact, weight 1): all at level 1, head read (document 3), chunks from
        // documents 10 and 60.
        let impacts: Vec<u64> = (0..64).map(|l| l * 10).collect();
        let word = |t: &str| Word {
            word: t.into(),
            term: t.into(),
            prefix: false,
            phrase: false,
            expansions: vec![Expansion {
                term: t.into(),
                kind: Kind::Exact,
                weight: 1,
                form: String::new(),
            }],
        };
        let (team, huddle) = (word("team"), word("huddle"));
        let live = [&team, &huddle];
        let tiered = |tiers: Vec<Tier>, seen: &[(u32, u8)]| {
            Partial::new(
                TermEntry::Tiered(String::new(), 0, String::new(), tiers, 0),
                seen.iter().map(|&(d, l)| (d, (l, 0, 0))).collect(),
            )
        };
        let mut t = tiered(
            vec![
                Tier(5, 20, 0),
                Tier(2, 0, 1),
                Tier(2, 50, 2),
                Tier(2, 100, 3),
            ],
            &[(7, 30)],
        );
        t.read[0] = true;
        let h = tiered(vec![Tier(1, 10, 4), Tier(1, 60, 5)], &[(3, 1)]);
        let mut parts = BTreeMap::new();
        parts.insert("team".to_string(), t);
        parts.insert("huddle".to_string(), h);
        // Before its impact tier is read, any document may have `team` at level 5.
        let mut early = tiered(parts["team"].entry.tiers().to_vec(), &[]);
        assert_eq!(early.bound_for(3), Some(5));
        early.read[0] = true;
        assert_eq!(early.bound_for(3), Some(2));
        // Document 7 has no `huddle`: its floor posting would be in the head (it is before the
        // first chunk). Document 3 may have `team` at the floor (its chunk, from 0, is unread).
        assert_eq!(parts["huddle"].bound_for(7), None);
        assert_eq!(parts["team"].chunk_of(3), Some(1));
        assert_eq!(parts["team"].chunk_of(60), Some(2));
        let r = rank(&impacts, &live, &parts, |_| true);
        assert!(r.sure.is_empty());
        assert_eq!(r.open, vec![(3, 30)]);
        // Unread: `team`'s floor from document 0 (20 points) and `huddle`'s from 10 (10).
        assert_eq!(r.unseen, Some((30, 10)));
        // The next read: document 3's chunk of `team` (documents read in part first).
        let want = plan(&impacts, &live, &parts, &r, None, 5);
        let want: Vec<(&str, usize)> = want.iter().map(|(t, j)| (t.as_str(), *j)).collect();
        assert_eq!(want, vec![("team", 1)]);
        // Once `team`'s chunk from 0 is read and holds document 3 (level 2), document 3 is
        // known: 20 + 10.
        let p = parts.get_mut("team").unwrap();
        p.read[1] = true;
        p.seen.insert(3, (2, 0, 2));
        let r = rank(&impacts, &live, &parts, |_| true);
        assert_eq!(r.sure.len(), 1);
        assert_eq!((r.sure[0].doc, r.sure[0].score), (3, 30));
        // Document 7 has no `huddle`: not a result.
        assert!(r.open.is_empty(), "{:?}", r.open);
        // Then, for documents not read at all (no impact tier left to lower their bound), the
        // first unread chunk of each word, in document order.
        let want = plan(&impacts, &live, &parts, &r, None, 5);
        let want: Vec<(&str, usize)> = want.iter().map(|(t, j)| (t.as_str(), *j)).collect();
        assert_eq!(want, vec![("huddle", 0), ("team", 2)]);
    }
}
