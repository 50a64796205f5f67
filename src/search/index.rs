//! Building the index files from the documents of one render pass: parallel tokenising (rayon,
//! one chunk-local dictionary per chunk of documents, no allocation per token for ASCII text),
//! BM25F scoring quantised to 63 impact levels, and the split into manifest, term shards,
//! vocabulary (typo) shards, document shards and facet files. Deterministic: the output depends
//! only on the input, never on thread scheduling or hash order.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;

use super::format::{
    self, CollectionRange, DocRecord, DocShard, Facet, FacetShard, FacetValue, Manifest, PosShard,
    Posting, TermShard, VocabShard, Weights,
};
use super::synonyms::Synonyms;
use super::tokenize::{self, Stem};
use super::{FacetName, IndexDoc, Labels};

/// Fields, in posting order: title, headings, summary, body, tags (facet labels).
const FIELDS: usize = 5;
const F_TITLE: usize = 0;
const F_HEADING: usize = 1;
const F_SUMMARY: usize = 2;
const F_BODY: usize = 3;
const F_TAGS: usize = 4;
const FIELD_WEIGHT: [f64; FIELDS] = [3.0, 2.0, 2.0, 1.0, 1.5];
/// Added (times idf, before saturation does not apply) when the term is in the title, so that for
/// common words the documents about them still come first.
const TITLE_BONUS: f64 = 1.2;
const FIELD_B: [f64; FIELDS] = [0.4, 0.4, 0.5, 0.75, 0.0];
const K1: f64 = 1.2;
/// The weakest impact level is this many times weaker than the strongest.
const IMPACT_RANGE: f64 = 2000.0;
const DOCS_PER_CHUNK: usize = 64;
pub(crate) const DOC_SHARD_SIZE: usize = 40;
/// Positions shards `p{i}.json` (read only by phrase queries): at least this many bytes, and
/// about one shard per this many documents.
const MIN_POS_SHARD_BYTES: usize = 32 * 1024;
const DOCS_PER_POS_SHARD: usize = 250;
/// Term shards: at least this many bytes, and about one shard per this many documents.
const MIN_TERM_SHARD_BYTES: usize = 12 * 1024;
const DOCS_PER_TERM_SHARD: usize = 50;
/// And at most this many bytes (before compression) whatever the number of documents: one page
/// with many distinct words (a pasted table, a glossary) made a first query of a small site
/// download its whole vocabulary in one shard (QA Q58). A term whose postings alone are bigger
/// is a shard of its own.
const MAX_TERM_SHARD_BYTES: usize = 40 * 1024;
const VOCAB_SHARD_BYTES: usize = 12 * 1024;
/// Summaries in result records are cut to about this many characters.
const SUMMARY_CHARS: usize = 220;

pub(crate) const WEIGHTS: Weights = Weights {
    exact: 4,
    prefix: 2,
    typo1: 2,
    typo2: 1,
};

/// FxHash: a fast, deterministic hasher for the chunk dictionaries.
#[derive(Default, Clone, Copy)]
struct Fx(u64);
impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut v = 0u64;
            for (i, b) in chunk.iter().enumerate() {
                v |= (*b as u64) << (8 * i);
            }
            self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.write_u64(i as u64);
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u128(&mut self, i: u128) {
        self.write_u64(i as u64);
        self.write_u64((i >> 64) as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}
type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// Impact symbol → score points (geometric scale, identical for every index).
pub(crate) fn impact_table() -> Vec<u64> {
    (0..64u32)
        .map(|q| {
            if q == 0 {
                0
            } else {
                (100_000.0 * IMPACT_RANGE.powf(-((63 - q) as f64) / 62.0)).round() as u64
            }
        })
        .collect()
}

fn quantise(score: f64, max: f64) -> u8 {
    if score <= 0.0 || max <= 0.0 {
        return 1;
    }
    let q = 63.0 - (62.0 * (max / score).ln() / IMPACT_RANGE.ln()).round();
    q.clamp(1.0, 63.0) as u8
}

/// A term in one document while tokenising.
#[derive(Clone)]
struct Entry {
    term: u32,
    tf: [u16; FIELDS],
    cur_sec: u32,
    cur: u32,
    best_sec: u32,
    best: u32,
}

impl Entry {
    fn close_section(&mut self) {
        if self.cur > self.best {
            self.best = self.cur;
            self.best_sec = self.cur_sec;
        }
        self.cur = 0;
    }
}

/// A term of a tokenised document: what scoring reads of an [`Entry`] (20 bytes, not 32: the
/// tokenised chunks are the search stage's largest holding).
#[derive(Clone, Copy)]
struct Term {
    term: u32,
    tf: [u16; FIELDS],
    /// The section where the term weighs most.
    best_sec: u32,
}

struct DocTerms {
    lens: [u32; FIELDS],
    entries: Box<[Term]>,
}

/// The positions of one chunk-local term in the chunk's documents, encoded as in
/// [`format::PosShard`] but without the first document's gap (added when chunks are joined).
#[derive(Clone)]
struct PosFrag {
    /// Chunk-local number of the first and last document with the term (`u32::MAX`: none).
    first: u32,
    last: u32,
    enc: String,
}

const NO_FRAG: PosFrag = PosFrag {
    first: u32::MAX,
    last: u32::MAX,
    enc: String::new(),
};

/// Separates the fields of a document's word sequence (a phrase never spans two).
const SEQ_BREAK: u32 = u32::MAX - 1;

struct Chunk {
    terms: Vec<String>,
    /// The chunk's words (not stop words) with their term and number of occurrences.
    forms: Vec<Form>,
    docs: Vec<DocTerms>,
    /// Per chunk-local term, its word positions (phrase queries).
    positions: Vec<PosFrag>,
}

const STOP: u32 = u32::MAX;

/// Tokenises a chunk of documents against a dictionary local to the chunk.
struct ChunkBuilder<'s> {
    stem: &'s Stem,
    syn: &'s Synonyms,
    /// Per chunk-local term: index into `syn.by_last` when some synonym ends with the term.
    ends: Vec<u32>,
    seq: Vec<u32>,
    /// Distinct words of the chunk → index into `forms`.
    shorts: FxMap<u128, u32>,
    words: FxMap<String, u32>,
    forms: Vec<Form>,
    term_ids: FxMap<String, u32>,
    terms: Vec<String>,
    slot: Vec<u32>,
    buf: String,
    /// Chunk-local number of the next document, and the positions so far per chunk-local term.
    doc_no: u32,
    frags: Vec<PosFrag>,
    pairs: Vec<(u32, u32)>,
}

/// A distinct word of a chunk: its chunk-local term (`STOP` for a stop word) and how often it
/// occurs, so that each term's most frequent word is known (its surface form, for typos).
#[derive(Clone)]
struct Form {
    word: String,
    term: u32,
    count: u32,
}

/// The chunk-local term id of a normalised word (`STOP` for stop words), stemming each distinct
/// word of the chunk once.
#[allow(clippy::too_many_arguments)]
fn term_id(
    stem: &Stem,
    shorts: &mut FxMap<u128, u32>,
    words: &mut FxMap<String, u32>,
    forms: &mut Vec<Form>,
    term_ids: &mut FxMap<String, u32>,
    terms: &mut Vec<String>,
    slot: &mut Vec<u32>,
    word: &str,
) -> u32 {
    let short = pack(word);
    let known = match short {
        Some(k) => shorts.get(&k).copied(),
        None => words.get(word).copied(),
    };
    if let Some(f) = known.and_then(|f| forms.get_mut(f as usize)) {
        f.count = f.count.saturating_add(1);
        return f.term;
    }
    let id = match stem.term(word) {
        None => STOP,
        Some(t) => match term_ids.get(t.as_ref()) {
            Some(&id) => id,
            None => {
                let id = terms.len() as u32;
                term_ids.insert(t.to_string(), id);
                terms.push(t.into_owned());
                slot.push(u32::MAX);
                id
            }
        },
    };
    let f = forms.len() as u32;
    forms.push(Form {
        word: word.to_string(),
        term: id,
        count: 1,
    });
    match short {
        Some(k) => {
            shorts.insert(k, f);
        }
        None => {
            words.insert(word.to_string(), f);
        }
    }
    id
}

/// A word of at most 15 bytes as one integer (length in the low byte), so the chunk dictionary
/// compares keys without following a pointer.
fn pack(word: &str) -> Option<u128> {
    let b = word.as_bytes();
    if b.len() > 15 {
        return None;
    }
    let mut k = b.len() as u128;
    for (i, &c) in b.iter().enumerate() {
        k |= (c as u128) << (8 * (i + 1));
    }
    Some(k)
}

impl<'s> ChunkBuilder<'s> {
    /// Adds the words of `text` to `entries` (field `field`, section `sec` with weight `sec_w`).
    fn add(
        &mut self,
        text: &str,
        field: usize,
        sec: Option<(u32, u32)>,
        entries: &mut Vec<Entry>,
        lens: &mut [u32; FIELDS],
    ) {
        let ChunkBuilder {
            stem,
            syn,
            ends,
            seq,
            shorts,
            words,
            forms,
            term_ids,
            terms,
            slot,
            buf,
            ..
        } = self;
        seq.push(SEQ_BREAK);
        tokenize::for_each_word(text, buf, |w| {
            let id = term_id(stem, shorts, words, forms, term_ids, terms, slot, w);
            lens[field] += 1;
            if id == STOP {
                return;
            }
            seq.push(id);
            // A synonym ending here adds one occurrence of its group's term.
            while ends.len() < terms.len() {
                let t = &terms[ends.len()];
                ends.push(syn.by_last.get(t).copied().unwrap_or(u32::MAX));
            }
            let mut groups: Vec<u32> = Vec::new();
            if ends[id as usize] != u32::MAX {
                for &(g, m) in &syn.ending[ends[id as usize] as usize] {
                    let member = &syn.groups[g as usize].1[m as usize];
                    let tail = seq.len().checked_sub(member.len());
                    let hit = tail.is_some_and(|from| {
                        seq[from..]
                            .iter()
                            .zip(member)
                            .all(|(&i, t)| i != SEQ_BREAK && terms[i as usize] == *t)
                    });
                    if hit && !groups.contains(&g) {
                        groups.push(g);
                    }
                }
            }
            for g in groups {
                let gid = intern(term_ids, terms, slot, &syn.groups[g as usize].0);
                bump(entries, slot, gid, field, sec);
            }
            bump(entries, slot, id, field, sec);
        });
    }
}

/// Counts one occurrence of term `id` in field `field` (and section `sec`).
fn bump(
    entries: &mut Vec<Entry>,
    slot: &mut [u32],
    id: u32,
    field: usize,
    sec: Option<(u32, u32)>,
) {
    let k = slot[id as usize];
    let entry = if k == u32::MAX {
        slot[id as usize] = entries.len() as u32;
        entries.push(Entry {
            term: id,
            tf: [0; FIELDS],
            cur_sec: 0,
            cur: 0,
            best_sec: 0,
            best: 0,
        });
        entries.last_mut().unwrap()
    } else {
        &mut entries[k as usize]
    };
    entry.tf[field] = entry.tf[field].saturating_add(1);
    if let Some((sec, w)) = sec {
        if entry.cur_sec != sec {
            entry.close_section();
            entry.cur_sec = sec;
        }
        entry.cur += w;
    }
}

/// The chunk-local id of an index term (a synonym group's term).
fn intern(
    term_ids: &mut FxMap<String, u32>,
    terms: &mut Vec<String>,
    slot: &mut Vec<u32>,
    t: &str,
) -> u32 {
    if let Some(&id) = term_ids.get(t) {
        return id;
    }
    let id = terms.len() as u32;
    term_ids.insert(t.to_string(), id);
    terms.push(t.to_string());
    slot.push(u32::MAX);
    id
}

impl ChunkBuilder<'_> {
    fn doc(&mut self, d: &IndexDoc<'_>, tags: &str) -> DocTerms {
        let mut entries = Vec::new();
        let mut lens = [0u32; FIELDS];
        self.add(d.title, F_TITLE, None, &mut entries, &mut lens);
        self.add(d.summary, F_SUMMARY, None, &mut entries, &mut lens);
        self.add(tags, F_TAGS, None, &mut entries, &mut lens);
        for (i, s) in d.texts().iter().enumerate() {
            self.add(
                &s.heading,
                F_HEADING,
                Some((i as u32, 3)),
                &mut entries,
                &mut lens,
            );
            self.add(
                &s.text,
                F_BODY,
                Some((i as u32, 1)),
                &mut entries,
                &mut lens,
            );
        }
        let entries = entries
            .iter_mut()
            .map(|e| {
                e.close_section();
                self.slot[e.term as usize] = u32::MAX;
                Term {
                    term: e.term,
                    tf: e.tf,
                    best_sec: e.best_sec,
                }
            })
            .collect();
        self.record_positions();
        DocTerms { lens, entries }
    }

    /// Adds the positions of the document's words (its word sequence) to the chunk's fragments.
    fn record_positions(&mut self) {
        self.pairs.clear();
        for (pos, &id) in self.seq.iter().enumerate() {
            if id != SEQ_BREAK {
                self.pairs.push((id, pos as u32));
            }
        }
        self.seq.clear();
        self.pairs.sort_unstable();
        if self.frags.len() < self.terms.len() {
            self.frags.resize(self.terms.len(), NO_FRAG);
        }
        let doc = self.doc_no;
        self.doc_no += 1;
        let mut positions = Vec::new();
        for run in self.pairs.chunk_by(|a, b| a.0 == b.0) {
            positions.clear();
            positions.extend(run.iter().map(|p| p.1));
            let f = &mut self.frags[run[0].0 as usize];
            if f.first == u32::MAX {
                // The first document's gap is written when chunks are joined.
                let mut tmp = String::new();
                format::encode_positions(&mut tmp, -1, 0, &positions);
                f.enc.push_str(&tmp[1..]);
                f.first = doc;
            } else {
                format::encode_positions(&mut f.enc, f.last as i64, doc, &positions);
            }
            f.last = doc;
        }
    }
}

fn label<'l>(labels: &'l Labels, facet: &str, slug: &'l str) -> &'l str {
    labels
        .get(facet)
        .and_then(|m| m.get(slug))
        .map(String::as_str)
        .unwrap_or(slug)
}

fn tags_text(d: &IndexDoc<'_>, labels: &Labels) -> String {
    let mut t = String::from(label(labels, "collection", d.collection));
    for (facet, slugs) in [
        ("regions", d.regions),
        ("topics", d.topics),
        ("audiences", d.audiences),
        ("series", d.series),
    ] {
        for s in slugs {
            t.push(' ');
            t.push_str(label(labels, facet, s));
        }
    }
    t
}

fn cut(s: &str, max_chars: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= max_chars {
        return s.to_string();
    }
    let mut end = s
        .char_indices()
        .nth(max_chars)
        .map(|(i, _)| i)
        .unwrap_or(s.len());
    if let Some(sp) = s[..end].rfind(' ') {
        end = sp;
    }
    format!("{}…", s[..end].trim_end_matches([',', ';', ':', '.', ' ']))
}

/// Where term shards start (indexes into the sorted vocabulary), for shards of about `target`
/// bytes. A term bigger than half the target gets a shard of its own, so a query for a frequent
/// word downloads its postings and little else.
fn shard_starts(sizes: &[usize], target: usize) -> Vec<usize> {
    let mut starts = vec![0];
    let mut size = 0;
    for (t, &len) in sizes.iter().enumerate() {
        let big = len > target / 2;
        if t > 0 && (big || size + len > target) && size > 0 {
            starts.push(t);
            size = 0;
        }
        size += len;
        if big && t + 1 < sizes.len() {
            starts.push(t + 1);
            size = 0;
        }
    }
    starts.dedup();
    starts
}

/// The order of documents in the index: by collection, then first region and topic (so that facet
/// lists and result records of related documents sit together), newest first, then URL.
fn doc_order(docs: &[IndexDoc<'_>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&docs[a], &docs[b]);
        let first = |v: &[String]| v.first().cloned().unwrap_or_default();
        (x.collection, first(x.regions), first(x.topics))
            .cmp(&(y.collection, first(y.regions), first(y.topics)))
            .then_with(|| y.date.cmp(&x.date))
            .then_with(|| x.url.cmp(y.url))
    });
    order
}

/// The language an index is built for.
pub(crate) struct Lang<'a> {
    pub code: &'a str,
    /// Output path prefix (`es/`; empty for the default language).
    pub prefix: &'a str,
    pub stem: &'a Stem,
    /// Every language's index (listed in the manifest).
    pub languages: &'a [format::LangIndex],
}

/// Tokenised chunks of an earlier build, by the digest of what they were tokenised from: an
/// incremental rebuild tokenises only the chunks whose documents changed.
#[derive(Default)]
pub(crate) struct Memo {
    chunks: HashMap<u128, std::sync::Arc<Chunk>>,
}

/// The digest of everything tokenising a chunk reads (the tokeniser is a pure function of it).
fn chunk_key(chunk: &[&IndexDoc<'_>], labels: &Labels, syn: &str) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let mut put = |s: &str| {
        h.update(&(s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    };
    put(syn);
    for d in chunk {
        put(d.title);
        put(d.summary);
        put(&tags_text(d, labels));
        for s in d.texts().iter() {
            put(&s.heading);
            put(&s.text);
        }
        put("\0doc");
    }
    h.digest128()
}

/// Builds every index file (paths relative to the output root).
pub(crate) fn build(
    docs: &[IndexDoc<'_>],
    labels: &Labels,
    synonyms: &[Vec<String>],
    lang: &Lang<'_>,
    memo: Option<&mut Memo>,
) -> BTreeMap<String, Vec<u8>> {
    let started = std::time::Instant::now();
    let lap = |what: &str| {
        log::debug!(
            "search index: {what} at {:.1} ms",
            started.elapsed().as_secs_f64() * 1e3
        );
        if std::env::var_os("LMP_SEARCH_TIMING").is_some() {
            eprintln!(
                "search index: {what} at {:.1} ms, {} MiB resident",
                started.elapsed().as_secs_f64() * 1e3,
                crate::fsx::proc_status_kib("VmRSS").unwrap_or(0) / 1024
            );
        }
    };
    let order = doc_order(docs);
    let docs: Vec<&IndexDoc<'_>> = order.iter().map(|&i| &docs[i]).collect();
    let n = docs.len();
    let stem = lang.stem;
    let syn = Synonyms::new(synonyms);
    let syn_key = format!("{}\0{}", stem.name(), syn.key());

    // 1. Tokenise in parallel, one dictionary per chunk.
    // Big chunks tokenise fastest (one dictionary per chunk); with a memo, small ones mean that an
    // edit tokenises a few documents again, not an eighth of the site. The output does not depend
    // on the chunking.
    let per_chunk = if memo.is_some() {
        2 * DOCS_PER_CHUNK
    } else {
        DOCS_PER_CHUNK.max(n / (rayon::current_num_threads() * 4).max(1))
    };
    let old = memo.as_deref().map(|m| &m.chunks);
    let chunks: Vec<(u128, std::sync::Arc<Chunk>)> = docs
        .par_chunks(per_chunk)
        .map(|chunk| {
            let key = if old.is_some() {
                chunk_key(chunk, labels, &syn_key)
            } else {
                0
            };
            if let Some(c) = old.and_then(|o| o.get(&key)) {
                return (key, c.clone());
            }
            let mut b = ChunkBuilder {
                stem,
                syn: &syn,
                ends: Vec::new(),
                seq: Vec::new(),
                shorts: FxMap::default(),
                words: FxMap::default(),
                forms: Vec::new(),
                term_ids: FxMap::default(),
                terms: Vec::new(),
                slot: Vec::new(),
                buf: String::new(),
                doc_no: 0,
                frags: Vec::new(),
                pairs: Vec::new(),
            };
            let docs = chunk
                .iter()
                .map(|d| b.doc(d, &tags_text(d, labels)))
                .collect();
            let mut positions = b.frags;
            positions.resize(b.terms.len(), NO_FRAG);
            let mut forms = b.forms;
            forms.retain(|f| f.term != STOP);
            let chunk = Chunk {
                terms: b.terms,
                forms,
                docs,
                positions,
            };
            (key, std::sync::Arc::new(chunk))
        })
        .collect();
    if let Some(m) = memo {
        m.chunks = chunks.iter().map(|(k, c)| (*k, c.clone())).collect();
    }
    let chunks: Vec<&Chunk> = chunks.iter().map(|(_, c)| &**c).collect();

    lap("tokenised");
    // 2. One sorted vocabulary; chunk ids → global ids.
    let mut vocab: Vec<&str> = chunks
        .iter()
        .flat_map(|c| c.terms.iter().map(String::as_str))
        .collect();
    vocab.par_sort_unstable();
    vocab.dedup();
    let maps: Vec<Vec<u32>> = chunks
        .par_iter()
        .map(|c| {
            c.terms
                .iter()
                .map(|t| vocab.binary_search(&t.as_str()).unwrap() as u32)
                .collect()
        })
        .collect();

    lap("vocabulary");
    // 3. Statistics: document frequency and average field lengths.
    let mut df = vec![0u32; vocab.len()];
    let mut total_len = [0f64; FIELDS];
    for (c, map) in chunks.iter().zip(&maps) {
        for d in &c.docs {
            for (f, l) in d.lens.iter().enumerate() {
                total_len[f] += *l as f64;
            }
            for e in &d.entries {
                df[map[e.term as usize] as usize] += 1;
            }
        }
    }
    let avg: Vec<f64> = total_len
        .iter()
        .map(|t| if *t > 0.0 { t / n as f64 } else { 1.0 })
        .collect();
    let idf: Vec<f64> = df
        .iter()
        .map(|&d| (1.0 + (n as f64 - d as f64 + 0.5) / (d as f64 + 0.5)).ln())
        .collect();

    lap("statistics");
    // 4. Scores per (document, term), then quantised postings grouped by term (counting sort).
    // The scores are computed twice (once for their maximum, once into the postings) rather than
    // held: 16 bytes per (document, term) pair was a fifth of the stage's memory.
    let score = |d: &DocTerms, e: &Term, map: &[u32]| -> (u32, f64) {
        let term = map[e.term as usize];
        let mut tf = 0.0;
        for f in 0..FIELDS {
            if e.tf[f] > 0 {
                let norm = 1.0 - FIELD_B[f] + FIELD_B[f] * d.lens[f] as f64 / avg[f];
                tf += FIELD_WEIGHT[f] * e.tf[f] as f64 / norm;
            }
        }
        let mut sat = tf * (K1 + 1.0) / (tf + K1);
        if e.tf[F_TITLE] > 0 {
            let b = FIELD_B[F_TITLE];
            sat += TITLE_BONUS / (1.0 - b + b * d.lens[F_TITLE] as f64 / avg[F_TITLE]);
        }
        (term, idf[term as usize] * sat)
    };
    let max = chunks
        .par_iter()
        .zip(&maps)
        .map(|(c, map)| {
            c.docs
                .iter()
                .flat_map(|d| d.entries.iter().map(move |e| score(d, e, map).1))
                .fold(0.0, f64::max)
        })
        .reduce(|| 0.0, f64::max);
    let mut start = vec![0usize; vocab.len() + 1];
    for (i, d) in df.iter().enumerate() {
        start[i + 1] = start[i] + *d as usize;
    }
    let mut fill = start.clone();
    let mut postings = vec![
        Posting {
            doc: 0,
            impact: 0,
            section: 0
        };
        start[vocab.len()]
    ];
    let mut doc = 0u32;
    for (c, map) in chunks.iter().zip(&maps) {
        for d in &c.docs {
            for e in &d.entries {
                let (term, score) = score(d, e, map);
                let slot = &mut fill[term as usize];
                postings[*slot] = Posting {
                    doc,
                    impact: quantise(score, max),
                    section: e.best_sec,
                };
                *slot += 1;
            }
            doc += 1;
        }
    }

    lap("postings");
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();

    // 5. Term shards.
    let mut encoded: Vec<String> = (0..vocab.len())
        .into_par_iter()
        .map(|t| {
            let mut s = String::new();
            format::encode_postings(&mut s, &postings[start[t]..start[t + 1]]);
            s
        })
        .collect();
    drop(postings);
    let sizes: Vec<usize> = (0..vocab.len())
        .map(|t| encoded[t].len() + vocab[t].len() + 8)
        .collect();
    let total: usize = sizes.iter().sum();
    let budget = (n / DOCS_PER_TERM_SHARD)
        .max(total.div_ceil(MAX_TERM_SHARD_BYTES))
        .max(1);
    let mut target = MIN_TERM_SHARD_BYTES.max(total / budget);
    let mut starts = shard_starts(&sizes, target);
    while starts.len() > budget && target < total {
        target += target / 8;
        starts = shard_starts(&sizes, target);
    }
    let mut term_shards: Vec<String> = Vec::new();
    for (i, &from) in starts.iter().enumerate() {
        let to = starts.get(i + 1).copied().unwrap_or(vocab.len());
        term_shards.push(if i == 0 {
            String::new()
        } else {
            vocab[from].to_string()
        });
        let shard = TermShard {
            terms: (from..to)
                .map(|t| (vocab[t].to_string(), df[t], std::mem::take(&mut encoded[t])))
                .collect(),
        };
        files.insert(
            format!("t{i}.json"),
            serde_json::to_vec(&shard).expect("term shard serialises"),
        );
    }

    lap("term shards");
    // 6. Vocabulary shards for typo candidates: terms without digits, grouped by first character,
    // each with its most frequent word when that is not the term itself (a typo in a suffix,
    // `negotiaton`, is near `negotiation` but far from `negoti`).
    let mut form_counts: HashMap<(u32, &str), u64> = HashMap::new();
    for (c, map) in chunks.iter().zip(&maps) {
        for f in &c.forms {
            if let Some(&t) = map.get(f.term as usize) {
                *form_counts.entry((t, f.word.as_str())).or_default() += u64::from(f.count);
            }
        }
    }
    let mut surface: Vec<Option<(u64, &str)>> = vec![None; vocab.len()];
    for ((t, w), n) in form_counts {
        let Some(best) = surface.get_mut(t as usize) else {
            continue;
        };
        let better = match *best {
            None => true,
            Some((m, bw)) => n > m || (n == m && (w.len(), w) < (bw.len(), bw)),
        };
        if better {
            *best = Some((n, w));
        }
    }
    let mut by_char: BTreeMap<char, Vec<format::VocabEntry>> = BTreeMap::new();
    for (t, term) in vocab.iter().enumerate() {
        if term.bytes().any(|b| b.is_ascii_digit()) || term.starts_with('~') {
            continue;
        }
        if let Some(c) = term.chars().next() {
            // As written (accents kept): the search page shows it ("also matching reunión").
            let form = surface[t].map(|(_, w)| w.to_string()).filter(|w| w != term);
            by_char.entry(c).or_default().push(match form {
                Some(w) => format::VocabEntry::Form(term.to_string(), df[t], w),
                None => format::VocabEntry::Plain(term.to_string(), df[t]),
            });
        }
    }
    let mut vocab_shards: Vec<String> = Vec::new();
    let mut vshard = VocabShard { terms: Vec::new() };
    let mut vsize = 0;
    let mut chars = String::new();
    for (c, terms) in by_char {
        let len: usize = terms.iter().map(|e| e.term().len() * 2 + 8).sum();
        if !vshard.terms.is_empty() && vsize + len > VOCAB_SHARD_BYTES {
            files.insert(
                format!("v{}.json", vocab_shards.len()),
                serde_json::to_vec(&vshard).unwrap(),
            );
            vocab_shards.push(std::mem::take(&mut chars));
            vshard.terms.clear();
            vsize = 0;
        }
        chars.push(c);
        vshard.terms.extend(terms);
        vsize += len;
    }
    if !vshard.terms.is_empty() {
        files.insert(
            format!("v{}.json", vocab_shards.len()),
            serde_json::to_vec(&vshard).unwrap(),
        );
        vocab_shards.push(chars);
    }

    lap("vocabulary shards");
    // 7. Document shards.
    let records: Vec<DocRecord> = docs
        .par_iter()
        .map(|d| DocRecord {
            url: d.url.to_string(),
            title: d.title.to_string(),
            date: d.date.unwrap_or_default().to_string(),
            summary: cut(d.summary, SUMMARY_CHARS),
            sections: d
                .sections
                .iter()
                .map(|s| format::record_section(s.anchor.as_deref(), &s.heading))
                .collect(),
        })
        .collect();
    for (i, chunk) in records.chunks(DOC_SHARD_SIZE).enumerate() {
        let shard = DocShard {
            docs: chunk.to_vec(),
        };
        files.insert(format!("d{i}.json"), serde_json::to_vec(&shard).unwrap());
    }

    lap("document shards");
    // 7b. Word positions per term (phrase queries), chunk fragments joined in document order.
    let mut pos_enc: Vec<String> = vec![String::new(); vocab.len()];
    let mut pos_last: Vec<i64> = vec![-1; vocab.len()];
    let mut chunk_start = 0u32;
    for (c, map) in chunks.iter().zip(&maps) {
        for (local, f) in c.positions.iter().enumerate() {
            if f.first == u32::MAX {
                continue;
            }
            let t = map[local] as usize;
            let first = chunk_start + f.first;
            format::push_varint(&mut pos_enc[t], (first as i64 - pos_last[t] - 1) as u32);
            pos_enc[t].push_str(&f.enc);
            pos_last[t] = (chunk_start + f.last) as i64;
        }
        chunk_start += c.docs.len() as u32;
    }
    pos_enc
        .par_iter_mut()
        .filter(|e| !e.is_empty())
        .for_each(|e| *e = format::pack_positions(e));
    let with_pos: Vec<usize> = (0..vocab.len())
        .filter(|&t| !pos_enc[t].is_empty())
        .collect();
    let psizes: Vec<usize> = with_pos
        .iter()
        .map(|&t| pos_enc[t].len() + vocab[t].len() + 6)
        .collect();
    let ptotal: usize = psizes.iter().sum();
    let pbudget = (n / DOCS_PER_POS_SHARD).max(1);
    let mut ptarget = MIN_POS_SHARD_BYTES.max(ptotal / pbudget);
    let mut pstarts = shard_starts(&psizes, ptarget);
    while pstarts.len() > pbudget && ptarget < ptotal {
        ptarget += ptarget / 8;
        pstarts = shard_starts(&psizes, ptarget);
    }
    let mut pos_shards: Vec<String> = Vec::new();
    if !with_pos.is_empty() {
        for (i, &from) in pstarts.iter().enumerate() {
            let to = pstarts.get(i + 1).copied().unwrap_or(with_pos.len());
            pos_shards.push(if i == 0 {
                String::new()
            } else {
                vocab[with_pos[from]].to_string()
            });
            let shard = PosShard {
                terms: with_pos[from..to]
                    .iter()
                    .map(|&t| (vocab[t].to_string(), std::mem::take(&mut pos_enc[t])))
                    .collect(),
            };
            files.insert(format!("p{i}.json"), serde_json::to_vec(&shard).unwrap());
        }
    }
    lap("positions");
    // 8. Collections (document ranges) and facets (document lists).
    let mut collections: Vec<CollectionRange> = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        match collections.last_mut() {
            Some(c) if c.slug == d.collection => c.end = i as u32 + 1,
            _ => collections.push(CollectionRange {
                slug: d.collection.to_string(),
                label: label(labels, FacetName::Collection.labels_key(), d.collection).to_string(),
                start: i as u32,
                end: i as u32 + 1,
            }),
        }
    }
    let mut facets = BTreeMap::new();
    // The collection's values are the document ranges above.
    for facet in FacetName::ALL
        .into_iter()
        .filter(|f| *f != FacetName::Collection)
    {
        let (name, key) = (facet.name(), facet.labels_key());
        let mut lists: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
        for (i, d) in docs.iter().enumerate() {
            let slugs = facet.terms(d).unwrap_or_default();
            let uniq: BTreeSet<&str> = slugs.iter().map(String::as_str).collect();
            for s in uniq {
                lists.entry(s).or_default().push(i as u32);
            }
        }
        let mut values: Vec<FacetValue> = lists
            .iter()
            .map(|(slug, l)| FacetValue {
                slug: slug.to_string(),
                label: label(labels, key, slug).to_string(),
                count: l.len() as u32,
            })
            .collect();
        // Every term of the site, with 0 when no document of this language has it: a filter
        // from a shared address (`?region=colorado` on a page with no Colorado result) is named
        // and can be removed (QA Q93).
        if let Some(all) = labels.get(key) {
            values.extend(
                all.iter()
                    .filter(|(slug, _)| !lists.contains_key(slug.as_str()))
                    .map(|(slug, name)| FacetValue {
                        slug: slug.clone(),
                        label: name.clone(),
                        count: 0,
                    }),
            );
        }
        values.sort_by(|a, b| {
            a.label
                .to_lowercase()
                .cmp(&b.label.to_lowercase())
                .then(a.slug.cmp(&b.slug))
        });
        let shard = FacetShard {
            values: lists
                .iter()
                .map(|(slug, l)| {
                    let mut s = String::new();
                    format::encode_docs(&mut s, l);
                    (slug.to_string(), s)
                })
                .collect(),
        };
        let file = format!("f-{name}.json");
        files.insert(file.clone(), serde_json::to_vec(&shard).unwrap());
        facets.insert(name.to_string(), Facet { file, values });
    }

    lap("facets");
    // 9. Content-hashed folder and the manifest.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (name, bytes) in &files {
        for b in name.as_bytes().iter().chain(bytes) {
            h ^= *b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    let dir = format!("{:016x}", h)[..12].to_string();
    let manifest = Manifest {
        format: "lmp-search".into(),
        version: format::VERSION,
        dir: dir.clone(),
        docs: n as u32,
        lang: lang.code.to_string(),
        stemmer: stem.name().to_string(),
        languages: lang.languages.to_vec(),
        stop_words: stem.stop_words().iter().map(|s| s.to_string()).collect(),
        impacts: impact_table(),
        weights: WEIGHTS,
        max_prefix_terms: 8,
        max_typo_terms: 3,
        typo2_min_len: 8,
        term_shards,
        doc_shard_size: DOC_SHARD_SIZE as u32,
        pos_shards,
        synonyms: syn.manifest(),
        vocab_shards,
        collections,
        facets,
    };
    let mut out: BTreeMap<String, Vec<u8>> = files
        .into_iter()
        .map(|(name, bytes)| {
            (
                format!("{}{}/{dir}/{name}", lang.prefix, format::DIR),
                bytes,
            )
        })
        .collect();
    out.insert(
        format!("{}{}", lang.prefix, format::MANIFEST),
        serde_json::to_vec(&manifest).unwrap(),
    );
    out
}
