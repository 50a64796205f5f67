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
    Posting, TermEntry, TermShard, VocabShard, Weights,
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
pub(crate) const DOC_SHARD_SIZE: usize = 64;
/// Positions shards `p{i}.json` (read only by phrase queries): blocks of positions (one per block
/// of documents of a term) in (term, block) order, grouped into files of about this many bytes
/// (a block over half of it is a file of its own), at most about one per `DOCS_PER_POS_SHARD`
/// documents. Small files: a phrase reads the blocks of the documents it checks (QA Q130: at
/// 52,000 documents the shards of one common word were 216-554 kB of gzip); not too many: the
/// index's files stay under 1 per 20 documents (document shards 1 per 64, tail files at most 1
/// per 60, positions 1 per 70, term shards far fewer).
const MIN_POS_SHARD_BYTES: usize = 40 * 1024;
const DOCS_PER_POS_SHARD: usize = 70;
/// Term shards: at least this many bytes, and about one shard per this many documents.
const MIN_TERM_SHARD_BYTES: usize = 12 * 1024;
const DOCS_PER_TERM_SHARD: usize = 50;
/// And at most this many bytes (before compression) whatever the number of documents: one page
/// with many distinct words (a pasted table, a glossary) made a first query of a small site
/// download its whole vocabulary in one shard (QA Q58). A term whose postings alone are bigger
/// is a shard of its own.
const MAX_TERM_SHARD_BYTES: usize = 40 * 1024;
/// Tiered postings (issue 15): a term with more than twice this many documents keeps this many
/// of its best postings in its term shard (the head), the rest in tiers each this many times
/// bigger than the one before, in tail files `r{i}.json` of about `MIN_TAIL_FILE_BYTES` (a tier
/// of more than half that is a file of its own: a query that needs a term's next tier reads
/// little else).
const HEAD_POSTINGS: usize = 128;
const TIER_GROWTH: usize = 8;
const MIN_TAIL_FILE_BYTES: usize = 8 * 1024;
const DOCS_PER_TAIL_FILE: usize = 60;
/// Floor chunks (the postings of a tiered term at its lowest level, by range of documents): about
/// this many bytes each (a tail file of its own when over half the tail files' size: up to 100,000
/// documents at least; 2,300-4,300 bytes of gzip).
/// Smaller in tests, so that a corpus of a few thousand documents has several.
#[cfg(not(test))]
const FLOOR_CHUNK_BYTES: usize = 16 * 1024;
#[cfg(test)]
const FLOOR_CHUNK_BYTES: usize = 600;
/// Facet counts of tiered terms (`c{i}.json`): files of at least this many bytes, at most one per
/// this many documents (the filter counts of a query read one per word).
const MIN_COUNT_FILE_BYTES: usize = 4 * 1024;
const DOCS_PER_COUNT_FILE: usize = 250;
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

/// A term of a tokenised document: what scoring reads of an [`Entry`].
#[derive(Clone, Copy)]
struct Term {
    term: u32,
    tf: [u16; FIELDS],
    /// The section where the term weighs most.
    best_sec: u32,
}

/// A tokenised document: its field lengths, the digest of the text it was tokenised from (see
/// [`folder_name`]) and where its terms are in its chunk's [`Chunk::enc`].
#[derive(Clone)]
#[cfg_attr(test, derive(Debug, PartialEq))]
struct DocTerms {
    lens: [u32; FIELDS],
    digest: u128,
    /// Byte range of its terms in the chunk's `enc`.
    from: u32,
    to: u32,
}

/// A document's terms as bytes (the tokenised chunks are the search stage's largest holding: 6 to
/// 7 bytes a term, against 20 as a [`Term`]): sorted by term, each `varint(term gap)`, a byte
/// with one bit per field where the term occurs, `varint(tf)` for each such field, then
/// `varint(best section)`.
fn encode_terms(out: &mut Vec<u8>, terms: &mut [Term]) {
    terms.sort_unstable_by_key(|t| t.term);
    let mut prev = 0u32;
    for t in terms.iter() {
        put_u32(out, t.term - prev);
        prev = t.term;
        let mut mask = 0u8;
        for (f, &tf) in t.tf.iter().enumerate() {
            if tf > 0 {
                mask |= 1 << f;
            }
        }
        out.push(mask);
        for &tf in t.tf.iter().filter(|&&tf| tf > 0) {
            put_u32(out, u32::from(tf));
        }
        put_u32(out, t.best_sec);
    }
}

/// The terms [`encode_terms`] wrote, in term order.
fn decode_terms(b: &[u8]) -> impl Iterator<Item = Term> + '_ {
    let mut pos = 0;
    let mut term = 0u32;
    std::iter::from_fn(move || {
        if pos >= b.len() {
            return None;
        }
        term = term.wrapping_add(get_u32(b, &mut pos));
        let mask = b.get(pos).copied().unwrap_or(0);
        pos += 1;
        let mut tf = [0u16; FIELDS];
        for (f, v) in tf.iter_mut().enumerate() {
            if mask & (1 << f) != 0 {
                *v = get_u32(b, &mut pos).min(u32::from(u16::MAX)) as u16;
            }
        }
        let best_sec = get_u32(b, &mut pos);
        Some(Term { term, tf, best_sec })
    })
}

/// LEB128: seven bits a byte, the high bit set on every byte but the last.
fn put_u32(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_u32(b: &[u8], pos: &mut usize) -> u32 {
    let mut v = 0u32;
    let mut shift = 0;
    while let Some(&c) = b.get(*pos) {
        *pos += 1;
        if shift < 32 {
            v |= u32::from(c & 0x7f) << shift;
        }
        if c < 0x80 {
            break;
        }
        shift += 7;
    }
    v
}

/// The positions of one chunk-local term in the chunk's documents, encoded as in
/// [`format::PosShard`] but without the first document's gap (added when chunks are joined).
#[derive(Clone)]
#[cfg_attr(test, derive(Debug, PartialEq))]
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

/// Which parts of a packed [`Chunk`] to unpack (see [`Chunk::unpack_parts`]).
#[derive(Clone, Copy)]
struct Parts {
    terms: bool,
    forms: bool,
    docs: bool,
    enc: bool,
    positions: bool,
}

impl Parts {
    const ALL: Parts = Parts {
        terms: true,
        forms: true,
        docs: true,
        enc: true,
        positions: true,
    };
    /// What scoring reads: the documents and their terms.
    const TERMS_OF_DOCS: Parts = Parts {
        terms: false,
        forms: false,
        docs: true,
        enc: true,
        positions: false,
    };
    /// What the positions files read.
    const POSITIONS: Parts = Parts {
        terms: false,
        forms: false,
        docs: false,
        enc: false,
        positions: true,
    };
}

#[derive(Clone)]
#[cfg_attr(test, derive(Debug, PartialEq))]
struct Chunk {
    terms: Vec<String>,
    /// The chunk's words (not stop words) with their term and number of occurrences.
    forms: Vec<Form>,
    docs: Vec<DocTerms>,
    /// Every document's terms (see [`encode_terms`]).
    enc: Vec<u8>,
    /// Per chunk-local term, its word positions (phrase queries).
    positions: Vec<PosFrag>,
}

impl Chunk {
    /// The chunk as one run of bytes (LEB128 numbers, strings as length and bytes), for
    /// [`Chunk::unpack`]: what `lmp serve` keeps of it on disk between builds.
    fn pack(&self) -> Vec<u8> {
        let size = self.enc.len()
            + self.terms.iter().map(|t| t.len() + 2).sum::<usize>()
            + self.forms.iter().map(|f| f.word.len() + 6).sum::<usize>()
            + self.docs.len() * 40
            + self
                .positions
                .iter()
                .map(|p| p.enc.len() + 8)
                .sum::<usize>()
            + 32;
        let mut out = Vec::with_capacity(size);
        let put_str = |out: &mut Vec<u8>, s: &str| {
            put_u32(out, s.len() as u32);
            out.extend_from_slice(s.as_bytes());
        };
        put_u32(&mut out, self.terms.len() as u32);
        for t in &self.terms {
            put_str(&mut out, t);
        }
        put_u32(&mut out, self.forms.len() as u32);
        for f in &self.forms {
            put_str(&mut out, &f.word);
            put_u32(&mut out, f.term);
            put_u32(&mut out, f.count);
        }
        put_u32(&mut out, self.docs.len() as u32);
        for d in &self.docs {
            for &l in &d.lens {
                put_u32(&mut out, l);
            }
            out.extend_from_slice(&d.digest.to_le_bytes());
            put_u32(&mut out, d.from);
            put_u32(&mut out, d.to);
        }
        put_u32(&mut out, self.enc.len() as u32);
        out.extend_from_slice(&self.enc);
        put_u32(&mut out, self.positions.len() as u32);
        for p in &self.positions {
            // `u32::MAX` (no document) as 0, the others one up.
            put_u32(&mut out, p.first.wrapping_add(1));
            put_u32(&mut out, p.last.wrapping_add(1));
            put_str(&mut out, &p.enc);
        }
        out
    }

    /// The chunk [`Chunk::pack`] wrote; `None` for bytes it did not write.
    fn unpack(b: &[u8]) -> Option<Chunk> {
        Chunk::unpack_parts(b, Parts::ALL)
    }

    /// The parts `need` of the chunk [`Chunk::pack`] wrote (the others left empty: a pass of
    /// the index build reads back only what it uses); `None` for bytes it did not write.
    fn unpack_parts(b: &[u8], need: Parts) -> Option<Chunk> {
        let mut pos = 0usize;
        let num = |pos: &mut usize| -> Option<u32> { (*pos < b.len()).then(|| get_u32(b, pos)) };
        let bytes = |pos: &mut usize, n: usize| -> Option<&[u8]> {
            let s = b.get(*pos..pos.checked_add(n)?)?;
            *pos += n;
            Some(s)
        };
        let string = |pos: &mut usize, keep: bool| -> Option<String> {
            let n = num(pos)? as usize;
            let s = bytes(pos, n)?;
            if keep {
                String::from_utf8(s.to_vec()).ok()
            } else {
                std::str::from_utf8(s).ok().map(|_| String::new())
            }
        };
        // No count is trusted for a capacity beyond what the bytes can hold.
        let cap = |n: u32, keep: bool| if keep { (n as usize).min(b.len()) } else { 0 };
        let n = num(&mut pos)?;
        let keep = need.terms;
        let mut terms = Vec::with_capacity(cap(n, keep));
        for _ in 0..n {
            let t = string(&mut pos, keep)?;
            if keep {
                terms.push(t);
            }
        }
        let n = num(&mut pos)?;
        let keep = need.forms;
        let mut forms = Vec::with_capacity(cap(n, keep));
        for _ in 0..n {
            let f = Form {
                word: string(&mut pos, keep)?,
                term: num(&mut pos)?,
                count: num(&mut pos)?,
            };
            if keep {
                forms.push(f);
            }
        }
        let n = num(&mut pos)?;
        let keep = need.docs;
        let mut docs = Vec::with_capacity(cap(n, keep));
        for _ in 0..n {
            let mut lens = [0u32; FIELDS];
            for l in &mut lens {
                *l = num(&mut pos)?;
            }
            let digest = u128::from_le_bytes(bytes(&mut pos, 16)?.try_into().ok()?);
            let d = DocTerms {
                lens,
                digest,
                from: num(&mut pos)?,
                to: num(&mut pos)?,
            };
            if keep {
                docs.push(d);
            }
        }
        let n = num(&mut pos)? as usize;
        let enc = bytes(&mut pos, n)?;
        let enc = if need.enc { enc.to_vec() } else { Vec::new() };
        let n = num(&mut pos)?;
        let keep = need.positions;
        let mut positions = Vec::with_capacity(cap(n, keep));
        for _ in 0..n {
            let p = PosFrag {
                first: num(&mut pos)?.wrapping_sub(1),
                last: num(&mut pos)?.wrapping_sub(1),
                enc: string(&mut pos, keep)?,
            };
            if keep {
                positions.push(p);
            }
        }
        (pos == b.len()).then_some(Chunk {
            terms,
            forms,
            docs,
            enc,
            positions,
        })
    }

    /// The terms of one of the chunk's documents.
    fn terms_of(&self, d: &DocTerms) -> impl Iterator<Item = Term> + '_ {
        decode_terms(
            self.enc
                .get(d.from as usize..d.to as usize)
                .unwrap_or_default(),
        )
    }
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
    shorts: ShortMap,
    words: FxMap<String, u32>,
    forms: Vec<Form>,
    term_ids: FxMap<String, u32>,
    terms: Vec<String>,
    slot: Vec<u32>,
    buf: String,
    /// Chunk-local number of the next document, and the positions so far per chunk-local term.
    doc_no: u32,
    frags: Vec<PosFrag>,
    /// Scratch of [`ChunkBuilder::record_positions`]: per entry of the document, where its
    /// positions start in `by_term`, and the next free place there.
    starts: Vec<u32>,
    next: Vec<u32>,
    by_term: Vec<u32>,
}

/// A distinct word of a chunk: its chunk-local term (`STOP` for a stop word) and how often it
/// occurs, so that each term's most frequent word is known (its surface form, for typos).
#[derive(Clone)]
#[cfg_attr(test, derive(Debug, PartialEq))]
struct Form {
    word: String,
    term: u32,
    count: u32,
}

/// The chunk-local term id of a normalised word (`STOP` for stop words), stemming each distinct
/// word of the chunk once. Inlined where the words come: a word the chunk has seen (most of
/// them) is a look-up and a count; [`new_term_id`], the rest, is a call. As one function,
/// every word paid the call and its saving of registers (~23 instructions of its ~108 a word:
/// docs/benchmarks.md, session 20).
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn term_id(
    stem: &Stem,
    shorts: &mut ShortMap,
    words: &mut FxMap<String, u32>,
    forms: &mut Vec<Form>,
    term_ids: &mut FxMap<String, u32>,
    terms: &mut Vec<String>,
    slot: &mut Vec<u32>,
    word: &str,
) -> u32 {
    let short = pack(word);
    let known = match short {
        Some(k) => shorts.get(k),
        None => words.get(word).copied(),
    };
    if let Some(f) = known.and_then(|f| forms.get_mut(f as usize)) {
        f.count = f.count.saturating_add(1);
        return f.term;
    }
    new_term_id(
        stem, shorts, words, forms, term_ids, terms, slot, word, short,
    )
}

/// [`term_id`] of a word new to the chunk: its term (stemmed once), its form.
#[allow(clippy::too_many_arguments)]
#[cold]
#[inline(never)]
fn new_term_id(
    stem: &Stem,
    shorts: &mut ShortMap,
    words: &mut FxMap<String, u32>,
    forms: &mut Vec<Form>,
    term_ids: &mut FxMap<String, u32>,
    terms: &mut Vec<String>,
    slot: &mut Vec<u32>,
    word: &str,
    short: Option<u128>,
) -> u32 {
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

/// Packed short words (see [`pack`]; never 0: the length byte of a word is at least 1) → index
/// into the chunk's `forms`: open addressing with linear probing in a power-of-two table at
/// most half full. Every word of the text is looked up here (8.4 million at 10,000 documents):
/// a third of the instructions of a general hash map. Only looked up, never iterated, so its
/// order cannot reach the output.
#[derive(Default)]
struct ShortMap {
    keys: Vec<u128>,
    values: Vec<u32>,
    len: usize,
}

impl ShortMap {
    fn slot(&self, k: u128) -> usize {
        let h =
            ((k as u64) ^ ((k >> 64) as u64).rotate_left(29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (h >> 32) as usize & (self.keys.len() - 1)
    }

    fn get(&self, k: u128) -> Option<u32> {
        if self.keys.is_empty() {
            return None;
        }
        let mask = self.keys.len() - 1;
        let mut i = self.slot(k);
        loop {
            match self.keys[i] {
                x if x == k => return Some(self.values[i]),
                0 => return None,
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// Adds `k` (not in the map) → `v`.
    fn insert(&mut self, k: u128, v: u32) {
        if 2 * (self.len + 1) > self.keys.len() {
            let old = std::mem::take(&mut self.keys);
            let values = std::mem::take(&mut self.values);
            let size = (old.len() * 2).max(1024);
            self.keys = vec![0; size];
            self.values = vec![0; size];
            for (k, v) in old.into_iter().zip(values).filter(|(k, _)| *k != 0) {
                self.put(k, v);
            }
        }
        self.put(k, v);
        self.len += 1;
    }

    fn put(&mut self, k: u128, v: u32) {
        let mask = self.keys.len() - 1;
        let mut i = self.slot(k);
        while self.keys[i] != 0 {
            i = (i + 1) & mask;
        }
        self.keys[i] = k;
        self.values[i] = v;
    }
}

/// A word of at most 15 bytes as one integer (length in the low byte), so the chunk dictionary
/// compares keys without following a pointer.
fn pack(word: &str) -> Option<u128> {
    let b = word.as_bytes();
    if b.len() > 15 {
        return None;
    }
    let mut k = [0u8; 16];
    k[0] = b.len() as u8;
    k[1..=b.len()].copy_from_slice(b);
    Some(u128::from_le_bytes(k))
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
    /// Tokenises one document, its terms appended to `enc`.
    fn doc(&mut self, d: &IndexDoc<'_>, tags: &str, enc: &mut Vec<u8>) -> DocTerms {
        let mut entries = Vec::new();
        let mut lens = [0u32; FIELDS];
        let mut h = Digest::new();
        let texts = d.texts();
        h.put(d.title);
        h.put(d.summary);
        h.put(tags);
        for s in texts.iter() {
            h.put(&s.heading);
            h.put(&s.text);
        }
        self.add(d.title, F_TITLE, None, &mut entries, &mut lens);
        self.add(d.summary, F_SUMMARY, None, &mut entries, &mut lens);
        self.add(tags, F_TAGS, None, &mut entries, &mut lens);
        for (i, s) in texts.iter().enumerate() {
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
        self.record_positions(&entries);
        let mut terms: Vec<Term> = entries
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
        let from = enc.len() as u32;
        encode_terms(enc, &mut terms);
        DocTerms {
            lens,
            digest: h.finish(),
            from,
            to: enc.len() as u32,
        }
    }

    /// Adds the positions of the document's words (its word sequence) to the chunk's fragments,
    /// grouped by term with a counting sort on the terms' `entries` (whose `slot`s are still
    /// set: every word of the sequence has an entry). A term's positions come out in order.
    fn record_positions(&mut self, entries: &[Entry]) {
        let ChunkBuilder {
            seq,
            slot,
            terms,
            doc_no,
            frags,
            starts,
            next,
            by_term,
            ..
        } = self;
        starts.clear();
        starts.resize(entries.len() + 1, 0);
        for &id in seq.iter() {
            if id != SEQ_BREAK {
                starts[slot[id as usize] as usize + 1] += 1;
            }
        }
        for e in 0..entries.len() {
            starts[e + 1] += starts[e];
        }
        next.clear();
        next.extend_from_slice(&starts[..entries.len()]);
        by_term.clear();
        by_term.resize(starts[entries.len()] as usize, 0);
        for (pos, &id) in seq.iter().enumerate() {
            if id != SEQ_BREAK {
                let e = slot[id as usize] as usize;
                by_term[next[e] as usize] = pos as u32;
                next[e] += 1;
            }
        }
        seq.clear();
        if frags.len() < terms.len() {
            frags.resize(terms.len(), NO_FRAG);
        }
        let doc = *doc_no;
        *doc_no += 1;
        for (e, entry) in entries.iter().enumerate() {
            let positions = &by_term[starts[e] as usize..starts[e + 1] as usize];
            // A synonym group's term has no positions of its own.
            if positions.is_empty() {
                continue;
            }
            let f = &mut frags[entry.term as usize];
            if f.first == u32::MAX {
                // The first document's gap (a `0`, one symbol) is written when chunks are joined.
                format::encode_positions(&mut f.enc, -1, 0, positions);
                f.enc.remove(0);
                f.first = doc;
            } else {
                format::encode_positions(&mut f.enc, f.last as i64, doc, positions);
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

/// A tier after a head: `(level, doc, postings)` (see [`format::Tier`]).
type TierPart = (u8, u32, String);

/// A term's postings (document order) cut into tiers when it has more than
/// `2 × HEAD_POSTINGS`: by impact, highest first, then document, the first `HEAD_POSTINGS` are
/// the head; the postings above the term's lowest level (its *floor*) come next, in *impact
/// tiers* each `TIER_GROWTH` times the one before (the last one takes what is left above the
/// floor when less than half a tier would follow, and never reaches into the floor); the
/// postings at the floor, all worth the same, come last, in *floor chunks* of about
/// `FLOOR_CHUNK_BYTES` in document order, so that a chunk holds every floor posting of a range
/// of documents (a query that needs to know whether a few documents have the word reads their
/// chunks, not the whole list). Returns the head and `(level, doc, postings)` of each next tier,
/// where `(level, doc)` is its first posting in that order; every part is encoded in document
/// order. `None`: a whole list. Also counts its documents per facet value (`doc_vals`: each
/// document's values, numbered in the manifest's order; `value_docs`: each value's documents;
/// see [`format::CountShard`]).
fn split_tiers(enc: &str, doc_vals: &DocValues, value_docs: &[u32]) -> Option<Tiers> {
    let ps = format::decode_postings(enc);
    if ps.len() <= 2 * HEAD_POSTINGS {
        return None;
    }
    let mut counts = vec![0u32; value_docs.len()];
    for p in &ps {
        for &v in doc_vals.of(p.doc) {
            counts[v as usize] += 1;
        }
    }
    let docs = doc_vals.docs();
    let mut counted = String::new();
    for (&c, &cv) in counts.iter().zip(value_docs) {
        format::push_count(&mut counted, c, ps.len() as u32, cv, docs);
    }
    // By impact, highest first, then document: a counting sort on the impact, which keeps the
    // document order of the list (a comparison sort took about 17 comparisons a posting for a
    // word in every document at 100,000 documents).
    let ps = by_impact(ps);
    let floor = ps.last().map_or(0, |p| p.impact);
    let above = ps.partition_point(|p| p.impact > floor);
    let encode = |part: &[Posting]| {
        let mut part = part.to_vec();
        let first = part[0];
        part.sort_by_key(|p| p.doc);
        let mut s = String::new();
        format::encode_postings(&mut s, &part);
        (first.impact, first.doc, s)
    };
    let mut parts: Vec<TierPart> = vec![encode(&ps[..HEAD_POSTINGS])];
    let (mut from, mut size) = (HEAD_POSTINGS, HEAD_POSTINGS * TIER_GROWTH);
    while from < above {
        let mut to = (from + size).min(above);
        if above - to < size * TIER_GROWTH / 2 {
            to = above;
        }
        parts.push(encode(&ps[from..to]));
        from = to;
        size *= TIER_GROWTH;
    }
    // The floor: already in document order.
    let mut chunk = String::new();
    let (mut first, mut prev) = (0u32, -1i64);
    for p in &ps[from..] {
        if chunk.is_empty() {
            first = p.doc;
            prev = -1;
        }
        format::push_posting(&mut chunk, prev, p);
        prev = i64::from(p.doc);
        if chunk.len() >= FLOOR_CHUNK_BYTES {
            parts.push((floor, first, std::mem::take(&mut chunk)));
        }
    }
    if !chunk.is_empty() {
        parts.push((floor, first, chunk));
    }
    let head = parts.remove(0).2;
    Some(Tiers {
        head,
        rest: parts,
        counts: counted,
    })
}

/// Each document's facet values (numbered in the manifest's order: collections, then each
/// facet's values), one list after the other: the facet counts of tiered terms look up every
/// posting's document here (one list per document cost a pointer to follow per posting).
struct DocValues {
    /// Where document `d`'s values are in `vals`: `at[d]..at[d + 1]`.
    at: Vec<u32>,
    vals: Vec<u32>,
}

impl DocValues {
    fn new(lists: Vec<Vec<u32>>) -> DocValues {
        let mut at = Vec::with_capacity(lists.len() + 1);
        let mut vals = Vec::with_capacity(lists.iter().map(Vec::len).sum());
        at.push(0);
        for l in lists {
            vals.extend_from_slice(&l);
            at.push(vals.len() as u32);
        }
        DocValues { at, vals }
    }

    /// Document `doc`'s values (none for a document out of range).
    fn of(&self, doc: u32) -> &[u32] {
        let d = doc as usize;
        match (self.at.get(d), self.at.get(d + 1)) {
            (Some(&from), Some(&to)) => self.vals.get(from as usize..to as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// The number of documents.
    fn docs(&self) -> u32 {
        self.at.len().saturating_sub(1) as u32
    }
}

/// Postings in document order sorted by impact, highest first, then by document (a stable
/// counting sort on the impact, 0–63).
fn by_impact(ps: Vec<Posting>) -> Vec<Posting> {
    let mut start = [0usize; 65];
    for p in &ps {
        start[64 - usize::from(p.impact.min(63))] += 1;
    }
    for i in 1..65 {
        start[i] += start[i - 1];
    }
    let mut out = ps.clone();
    for p in ps {
        let b = 63 - usize::from(p.impact.min(63));
        out[start[b]] = p;
        start[b] += 1;
    }
    out
}

/// A term's postings cut into tiers (see [`split_tiers`]).
struct Tiers {
    head: String,
    /// Its documents per facet value, encoded (see [`format::CountShard`]).
    counts: String,
    /// `(level, doc, postings)` of each tier after the head.
    rest: Vec<TierPart>,
}

/// A term's positions (the build's internal form, see [`format::encode_positions`]) in blocks of
/// documents: block `b` holds documents `b × POS_BLOCK_DOCS …` (empty when it has none), each
/// packed (see [`format::pack_positions`]). A phrase then reads the positions of the documents it
/// checks, not every position of a common word (QA Q130).
#[cfg(test)]
fn split_positions(enc: &str) -> Vec<String> {
    let mut blocks = PosBlocks::default();
    blocks.add(enc.as_bytes(), None);
    blocks.finish()
}

/// A term's positions in blocks of documents as they are made (see [`split_positions`]): each
/// block's bits so far and its last document, and the term's last document.
struct PosBlocks {
    blocks: Vec<format::BitWriter>,
    last: Vec<i64>,
    doc: i64,
}

impl Default for PosBlocks {
    fn default() -> PosBlocks {
        PosBlocks {
            blocks: Vec::new(),
            last: Vec::new(),
            doc: -1,
        }
    }
}

impl PosBlocks {
    /// Adds positions in the build's internal form (see [`format::encode_positions`]) for
    /// documents after those added so far: `first`, the first one's document when `enc` is a
    /// chunk's fragment (which leaves out its gap), else `None`.
    fn add(&mut self, b: &[u8], mut first: Option<u32>) {
        let mut pos = 0;
        let read = |pos: &mut usize| -> u32 {
            let mut v = 0u32;
            let mut shift = 0;
            while let Some(&c) = b.get(*pos) {
                *pos += 1;
                let d = format::sym_value(c);
                if d < 32 {
                    return v | (d << shift);
                }
                v |= (d - 32) << shift;
                shift += 5;
            }
            v
        };
        // The numbers of the internal form, straight into each block's bit string (the form
        // `format::pack_positions` gives), the document gap counted from the block's last
        // document.
        while pos < b.len() {
            self.doc = match first.take() {
                Some(d) => i64::from(d),
                None => self.doc + 1 + i64::from(read(&mut pos)),
            };
            let doc = self.doc;
            let count = read(&mut pos);
            let t = (doc / i64::from(format::POS_BLOCK_DOCS)) as usize;
            if self.blocks.len() <= t {
                self.blocks.resize_with(t + 1, Default::default);
                self.last.resize(t + 1, -1);
            }
            let w = &mut self.blocks[t];
            w.eg((doc - self.last[t] - 1) as u32, 0);
            w.eg(count, 0);
            for i in 0..=count {
                let p = read(&mut pos);
                w.eg(
                    p,
                    if i == 0 {
                        format::POS_K_FIRST
                    } else {
                        format::POS_K_GAP
                    },
                );
            }
            self.last[t] = doc;
        }
    }

    /// Each block's positions, packed (empty for a block without documents); the build takes
    /// them a block of documents at a time instead (see `PosColumn`).
    #[cfg(test)]
    fn finish(self) -> Vec<String> {
        self.blocks
            .into_iter()
            .map(format::BitWriter::finish)
            .collect()
    }
}

/// Block `j` of every term that has one, packed, in term order (see [`PosBlocks`]): made as soon
/// as the documents of block `j` are all added, and read back when the positions shards are
/// written.
struct PosColumn {
    /// Per block: its term and where it ends in the column's bytes (it starts where the one
    /// before ends).
    ends: Vec<(u32, usize)>,
    bytes: ColumnBytes,
}

/// Where a [`PosColumn`]'s blocks are: in memory, or in `lmp serve`'s scratch file.
enum ColumnBytes {
    Memory(String),
    Disk(crate::fsx::spill::Held),
}

impl PosColumn {
    /// Where the `k`-th block is in the column's bytes.
    fn range(&self, k: usize) -> std::ops::Range<usize> {
        let start = if k == 0 { 0 } else { self.ends[k - 1].1 };
        start..self.ends[k].1
    }
}

impl ColumnBytes {
    /// The bytes of `range`, read back from disk when they are there.
    fn read(&self, range: std::ops::Range<usize>) -> anyhow::Result<std::borrow::Cow<'_, str>> {
        Ok(match self {
            ColumnBytes::Memory(s) => std::borrow::Cow::Borrowed(&s[range]),
            ColumnBytes::Disk(h) => {
                std::borrow::Cow::Owned(h.read_string_at(range.start as u64, range.len() as u64)?)
            }
        })
    }
}

/// Where term shards start (indexes into the sorted vocabulary), for shards of about `target`
/// bytes. A term bigger than half the target gets a shard of its own, so a query for a frequent
/// word downloads its postings and little else.
fn shard_starts(sizes: &[usize], target: usize) -> Vec<usize> {
    shard_starts_at(sizes, target, |_| false)
}

/// [`shard_starts`], and a file also ends before an item that starts a new group (`starts(t)`)
/// once it is half full: tail files end where a term's tiers end when they can, so that a query
/// reading a term's tiers (its first impact tier, then the next or a floor chunk) reads one file
/// of that term rather than two files full of other terms' tiers (at 10,000 documents, the tail
/// files read by 9 queries of two and three common words: 359 → 186 kB of gzip, simulated on
/// the files of `gen-corpus --docs 10000 --seed 42`).
fn shard_starts_at(
    sizes: &[usize],
    target: usize,
    starts_group: impl Fn(usize) -> bool,
) -> Vec<usize> {
    let mut starts = vec![0];
    let mut size = 0;
    for (t, &len) in sizes.iter().enumerate() {
        let big = len > target / 2;
        let boundary = starts_group(t) && 2 * size >= target;
        if t > 0 && (big || boundary || size + len > target) && size > 0 {
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
        // Compared as they are, not cloned (100,000 documents: ~1.7 M comparisons on one thread).
        fn first(v: &[String]) -> &str {
            v.first().map_or("", String::as_str)
        }
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
    /// How the language writes dates (in the manifest, for `lmp search`).
    pub dates: &'a format::DateWords,
}

/// Tokenised chunks of an earlier build, by the digest of what they were tokenised from: an
/// incremental rebuild tokenises only the chunks whose documents changed.
#[derive(Default)]
pub(crate) struct Memo {
    chunks: HashMap<u128, Kept>,
    /// Where the chunks are kept between builds (`lmp serve`'s scratch file): `None`, in memory.
    pub(super) spill: Option<std::sync::Arc<crate::fsx::spill::Spill>>,
    /// Tests: every read of a chunk from disk after it was tokenised fails, as when the
    /// scratch file cannot be read.
    #[cfg(test)]
    pub(super) unreadable: bool,
}

/// Tests: how many chunks were tokenised again because they could not be read back.
#[cfg(test)]
pub(super) static RETOKENISED: std::sync::atomic::AtomicUsize =
    std::sync::atomic::AtomicUsize::new(0);

/// Tests: how many columns of positions blocks were put in the scratch file.
#[cfg(test)]
pub(super) static POS_COLUMNS_ON_DISK: std::sync::atomic::AtomicUsize =
    std::sync::atomic::AtomicUsize::new(0);

/// A tokenised chunk kept for the next build: packed ([`Chunk::pack`]) in a scratch file, read
/// back and unpacked when the next index is made (issue 15: held in memory, the chunks were the
/// biggest part of what `lmp serve` keeps, 49 MB of 193 MB of heap at 10,000 documents, about
/// 0.5 GB at 100,000), or in memory when there is no scratch file or writing to it failed.
#[derive(Clone)]
enum Kept {
    Memory(std::sync::Arc<Chunk>),
    Disk(std::sync::Arc<crate::fsx::spill::Held>),
}

impl Kept {
    /// The chunk: `None` when it was kept on disk and cannot be read back (it is then
    /// tokenised again).
    fn chunk(&self) -> Option<std::sync::Arc<Chunk>> {
        match self {
            Kept::Memory(c) => Some(c.clone()),
            Kept::Disk(h) => match h.read().map(|b| Chunk::unpack(&b)) {
                Ok(Some(c)) => Some(std::sync::Arc::new(c)),
                Ok(None) => {
                    log::debug!("search index: a kept chunk did not unpack; tokenised again");
                    None
                }
                Err(e) => {
                    log::debug!(
                        "search index: a kept chunk could not be read ({e:#}); tokenised again"
                    );
                    None
                }
            },
        }
    }
}

impl Memo {
    /// Chunks kept on disk (in `spill`), for this many of how many kept (for tests).
    #[cfg(test)]
    pub(crate) fn on_disk(&self) -> (usize, usize) {
        let disk = self
            .chunks
            .values()
            .filter(|k| matches!(k, Kept::Disk(_)))
            .count();
        (disk, self.chunks.len())
    }

    /// About how many bytes the kept chunks take in memory (for `lmp -vv serve`'s account of its
    /// memory; those on disk take none).
    pub(crate) fn bytes(&self) -> usize {
        use std::mem::size_of;
        self.chunks
            .values()
            .filter_map(|k| match k {
                Kept::Memory(c) => Some(c),
                Kept::Disk(_) => None,
            })
            .map(|c| {
                c.terms.iter().map(|t| t.capacity() + 24).sum::<usize>()
                    + c.forms
                        .iter()
                        .map(|f| f.word.capacity() + size_of::<Form>())
                        .sum::<usize>()
                    + c.docs.capacity() * size_of::<DocTerms>()
                    + c.enc.capacity()
                    + c.positions
                        .iter()
                        .map(|p| p.enc.capacity() + size_of::<PosFrag>())
                        .sum::<usize>()
            })
            .sum()
    }
}

/// A digest of strings, each with its length (so that `ab`,`c` and `a`,`bc` differ).
struct Digest(xxhash_rust::xxh3::Xxh3);

impl Digest {
    fn new() -> Digest {
        Digest(xxhash_rust::xxh3::Xxh3::new())
    }

    fn put(&mut self, s: &str) {
        self.0.update(&(s.len() as u64).to_le_bytes());
        self.0.update(s.as_bytes());
    }

    fn finish(&self) -> u128 {
        self.0.digest128()
    }
}

/// The digest of everything tokenising a chunk reads (the tokeniser is a pure function of it).
fn chunk_key(chunk: &[&IndexDoc<'_>], labels: &Labels, syn: &str) -> u128 {
    let mut h = Digest::new();
    h.put(syn);
    for d in chunk {
        h.put(d.title);
        h.put(d.summary);
        h.put(&tags_text(d, labels));
        for s in d.texts().iter() {
            h.put(&s.heading);
            h.put(&s.text);
        }
        h.put("\0doc");
    }
    h.finish()
}

/// A chunk borrowed from the build's chunks or read back from disk (see `body` in [`build`]).
fn with_lifetime<F>(f: F) -> F
where
    F: for<'a> Fn(usize, &'a [std::sync::Arc<Chunk>], Parts) -> std::borrow::Cow<'a, Chunk>,
{
    f
}

/// Bump when the files change for the same input without a new [`format::VERSION`] (a shard
/// size, the scoring): the index folder's name must change with its contents.
const LAYOUT: u32 = 1;

/// The name of the index folder, made from everything its files are made from, so that each
/// file can be written as soon as it is made (a digest of the files' own bytes needs them all
/// first; at 100,000 documents that held the whole index in memory): the format and this
/// build of lmp, the language's settings, the labels, and per document (in index order) the
/// digest of its tokenised text (see [`ChunkBuilder::doc`]) and what its result record and facet
/// lists are made from. Deterministic, and the same however the documents were chunked, so an
/// incremental build names it as a full one does.
fn folder_name(
    docs: &[&IndexDoc<'_>],
    digests: impl Iterator<Item = u128>,
    labels: &Labels,
    syn_key: &str,
    lang: &Lang<'_>,
) -> String {
    let mut h = Digest::new();
    h.put("lmp-search");
    h.put(&format!("{} {LAYOUT}", format::VERSION));
    h.put(env!("CARGO_PKG_VERSION"));
    h.put(lang.code);
    h.put(lang.prefix);
    h.put(syn_key);
    for (facet, names) in labels {
        h.put(facet);
        for (slug, name) in names {
            h.put(slug);
            h.put(name);
        }
        h.put("\0labels");
    }
    h.put(&docs.len().to_string());
    for (d, digest) in docs.iter().zip(digests) {
        h.0.update(&digest.to_le_bytes());
        h.put(d.url);
        h.put(d.date.unwrap_or("\0"));
        h.put(d.collection);
        for list in [d.regions, d.topics, d.audiences, d.series] {
            for s in list {
                h.put(s);
            }
            h.put("\0list");
        }
        for s in d.sections {
            h.put(s.anchor.as_deref().unwrap_or("\0"));
            h.put(&s.heading);
        }
        h.put("\0doc");
    }
    format!("{:032x}", h.finish())[..12].to_string()
}

/// Where [`build`] puts each index file as soon as it is made: its path relative to the output
/// root, and its bytes.
pub(crate) type Put<'p> = &'p (dyn Fn(String, Vec<u8>) -> anyhow::Result<()> + Sync);

/// Builds every index file, each given to `put` as soon as it is made, the manifest last.
pub(crate) fn build(
    docs: &[IndexDoc<'_>],
    labels: &Labels,
    synonyms: &[Vec<String>],
    lang: &Lang<'_>,
    memo: Option<&mut Memo>,
    put: Put<'_>,
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let lap = |what: &str| {
        log::debug!(
            "search index: {what} at {:.1} ms",
            started.elapsed().as_secs_f64() * 1e3
        );
        if std::env::var_os("LMP_SEARCH_TIMING").is_some() {
            eprintln!(
                "search index: {what} at {:.1} ms, {} MiB resident, {} MiB peak",
                started.elapsed().as_secs_f64() * 1e3,
                crate::fsx::proc_status_kib("VmRSS").unwrap_or(0) / 1024,
                crate::fsx::proc_status_kib("VmHWM").unwrap_or(0) / 1024
            );
        }
    };
    lap("start");
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
    let tokenise = |chunk: &[&IndexDoc<'_>]| -> Chunk {
        let mut b = ChunkBuilder {
            stem,
            syn: &syn,
            ends: Vec::new(),
            seq: Vec::new(),
            shorts: ShortMap::default(),
            words: FxMap::default(),
            forms: Vec::new(),
            term_ids: FxMap::default(),
            terms: Vec::new(),
            slot: Vec::new(),
            buf: String::new(),
            doc_no: 0,
            frags: Vec::new(),
            starts: Vec::new(),
            next: Vec::new(),
            by_term: Vec::new(),
        };
        let mut enc = Vec::new();
        let docs = chunk
            .iter()
            .map(|d| b.doc(d, &tags_text(d, labels), &mut enc))
            .collect();
        enc.shrink_to_fit();
        let mut positions = b.frags;
        positions.resize(b.terms.len(), NO_FRAG);
        let mut forms = b.forms;
        forms.retain(|f| f.term != STOP);
        Chunk {
            terms: b.terms,
            forms,
            docs,
            enc,
            positions,
        }
    };
    let old = memo.as_deref().map(|m| &m.chunks);
    let spill = memo.as_deref().and_then(|m| m.spill.clone());
    let keep = memo.is_some();
    #[cfg(test)]
    let unreadable = memo.as_deref().is_some_and(|m| m.unreadable);
    #[cfg(not(test))]
    let unreadable = false;
    // Per chunk: its memo key, the chunk, where the memo keeps it, and (counted here, while its
    // terms are at hand) each chunk-local term's document frequency and the field lengths.
    // A chunk kept on disk (`lmp serve`'s scratch file) keeps in memory only its vocabulary,
    // words and documents (issue 15: its terms and positions, 244 of 270 MB at 100,000
    // documents, were all in memory at serve's peak): the passes that read them read them back
    // (see `body`).
    type Tokenised = (
        u128,
        std::sync::Arc<Chunk>,
        Option<Kept>,
        Vec<u32>,
        [u64; FIELDS],
    );
    let keyed: Vec<Tokenised> = docs
        .par_chunks(per_chunk)
        .map(|chunk| {
            let key = if old.is_some() {
                chunk_key(chunk, labels, &syn_key)
            } else {
                0
            };
            let reused = old
                .and_then(|o| o.get(&key))
                .and_then(|k| Some((k.chunk()?, k.clone())));
            let (c, kept) = match reused {
                Some((c, k)) => (c, Some(k)),
                None => (std::sync::Arc::new(tokenise(chunk)), None),
            };
            // A new chunk is packed and written to disk, or kept in memory.
            let kept = keep.then(|| {
                kept.unwrap_or_else(|| match &spill {
                    Some(s) => match crate::fsx::spill::Held::put(s, &c.pack()) {
                        Ok(h) => Kept::Disk(std::sync::Arc::new(h)),
                        Err(e) => {
                            log::debug!("search index: a chunk kept in memory: {e:#}");
                            Kept::Memory(c.clone())
                        }
                    },
                    None => Kept::Memory(c.clone()),
                })
            });
            let mut df = vec![0u32; c.terms.len()];
            let mut lens = [0u64; FIELDS];
            for d in &c.docs {
                for (f, l) in d.lens.iter().enumerate() {
                    lens[f] += u64::from(*l);
                }
                for e in c.terms_of(d) {
                    df[e.term as usize] += 1;
                }
            }
            let c = match &kept {
                Some(Kept::Disk(_)) => {
                    let mut c = std::sync::Arc::unwrap_or_clone(c);
                    c.enc = Vec::new();
                    c.positions = Vec::new();
                    std::sync::Arc::new(c)
                }
                _ => c,
            };
            (key, c, kept, df, lens)
        })
        .collect();
    // Where each chunk's terms and positions are: on disk (read back by `body`) or in memory.
    let held: Vec<Option<std::sync::Arc<crate::fsx::spill::Held>>> = keyed
        .iter()
        .map(|(_, _, kept, _, _)| match kept {
            Some(Kept::Disk(h)) => Some(h.clone()),
            _ => None,
        })
        .collect();
    let mut counted: Vec<(Vec<u32>, [u64; FIELDS])> = Vec::with_capacity(keyed.len());
    let mut chunks: Vec<std::sync::Arc<Chunk>> = Vec::with_capacity(keyed.len());
    let mut kept_chunks = HashMap::new();
    for (key, c, kept, df, lens) in keyed {
        chunks.push(c);
        counted.push((df, lens));
        if let Some(k) = kept {
            kept_chunks.insert(key, k);
        }
    }
    if let Some(m) = memo {
        m.chunks = kept_chunks;
    }
    // Chunk `i` with the parts `need`: from memory, or read back from disk (tokenised again if
    // it cannot be read: the same chunk, the tokeniser being a pure function of its documents).
    let body = with_lifetime(|i: usize, chunks: &[std::sync::Arc<Chunk>], need: Parts| {
        let Some(h) = &held[i] else {
            return std::borrow::Cow::Borrowed(&*chunks[i]);
        };
        let read = match unreadable {
            true => Err(anyhow::anyhow!("the scratch file is unreadable (a test)")),
            false => h.read().map(|b| Chunk::unpack_parts(&b, need)),
        };
        std::borrow::Cow::Owned(match read {
            Ok(Some(c)) => c,
            failed => {
                log::debug!(
                    "search index: a chunk kept on disk could not be read back ({}); tokenised again",
                    match failed {
                        Err(e) => format!("{e:#}"),
                        _ => "it did not unpack".to_string(),
                    }
                );
                #[cfg(test)]
                RETOKENISED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let from = i * per_chunk;
                tokenise(&docs[from..(from + per_chunk).min(n)])
            }
        })
    });
    // The build owns its chunks (a one-off build's, and those a memo keeps on disk) and frees
    // each part once read (see `free`).
    let free = |chunks: &mut [std::sync::Arc<Chunk>], f: &dyn Fn(&mut Chunk)| {
        for c in chunks.iter_mut() {
            if let Some(c) = std::sync::Arc::get_mut(c) {
                f(c);
            }
        }
    };
    // Chunks per parallel step of the passes whose results are then joined in order: the
    // fragments of a window, not of every chunk, are held at once.
    let window = (4 * rayon::current_num_threads()).max(16);

    lap("tokenised");
    let dir = folder_name(
        &docs,
        chunks.iter().flat_map(|c| c.docs.iter().map(|d| d.digest)),
        labels,
        &syn_key,
        lang,
    );
    let path = |name: &str| format!("{}{}/{dir}/{name}", lang.prefix, format::DIR);
    let json = |name: &str, bytes: Vec<u8>| put(path(name), bytes);

    // 2. One sorted vocabulary; chunk ids → global ids.
    let mut vocab: Vec<String> = chunks
        .iter()
        .flat_map(|c| c.terms.iter().cloned())
        .collect();
    vocab.par_sort_unstable();
    vocab.dedup();
    let maps: Vec<Vec<u32>> = chunks
        .par_iter()
        .map(|c| {
            c.terms
                .iter()
                .map(|t| {
                    vocab
                        .binary_search_by(|v| v.as_str().cmp(t))
                        .unwrap_or_default() as u32
                })
                .collect()
        })
        .collect();
    free(&mut chunks, &|c| c.terms = Vec::new());

    lap("vocabulary");
    // 3. Statistics: document frequency and average field lengths, from each chunk's counts
    // (by chunk-local term). The lengths are whole numbers, summed exactly whatever the order.
    let mut df = vec![0u32; vocab.len()];
    let mut total_len = [0f64; FIELDS];
    {
        let mut lens = [0u64; FIELDS];
        for ((local, l), map) in counted.iter().zip(&maps) {
            for (term, n) in local.iter().enumerate() {
                df[map[term] as usize] += n;
            }
            for f in 0..FIELDS {
                lens[f] += l[f];
            }
        }
        for f in 0..FIELDS {
            total_len[f] = lens[f] as f64;
        }
    }
    drop(counted);
    let avg: Vec<f64> = total_len
        .iter()
        .map(|t| if *t > 0.0 { t / n as f64 } else { 1.0 })
        .collect();
    let idf: Vec<f64> = df
        .iter()
        .map(|&d| (1.0 + (n as f64 - d as f64 + 0.5) / (d as f64 + 0.5)).ln())
        .collect();

    lap("statistics");
    // 4. Scores per (document, term), quantised and encoded straight into each term's postings
    // (documents come in index order, so each term's list is sorted as it grows). The scores are
    // computed twice (once for their maximum, once into the postings) rather than held.
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
    let max = (0..chunks.len())
        .into_par_iter()
        .zip(&maps)
        .map(|(i, map)| {
            let c = body(i, &chunks, Parts::TERMS_OF_DOCS);
            c.docs
                .iter()
                .flat_map(|d| c.terms_of(d).map(|e| score(d, &e, map).1))
                .fold(0.0, f64::max)
        })
        .reduce(|| 0.0, f64::max);
    // Each chunk's postings per chunk-local term in parallel (the first one's document gap
    // counted from -1: its document number), then joined in document order, a window of
    // chunks at a time.
    let mut firsts = Vec::with_capacity(chunks.len());
    let mut doc = 0u32;
    for c in &chunks {
        firsts.push(doc);
        doc += c.docs.len() as u32;
    }
    let mut encoded: Vec<String> = vec![String::new(); vocab.len()];
    let mut last = vec![-1i64; vocab.len()];
    for from in (0..chunks.len()).step_by(window) {
        let to = (from + window).min(chunks.len());
        let frags: Vec<Vec<(u32, String)>> = (from..to)
            .into_par_iter()
            .map(|i| {
                let (map, first) = (&maps[i], firsts[i]);
                let c = body(i, &chunks, Parts::TERMS_OF_DOCS);
                // Per local term: its last document, and its postings.
                let mut out: Vec<(u32, String)> = vec![(u32::MAX, String::new()); map.len()];
                for (doc, d) in (first..).zip(&c.docs) {
                    for e in c.terms_of(d) {
                        let (_, score) = score(d, &e, map);
                        let (last, enc) = &mut out[e.term as usize];
                        let p = Posting {
                            doc,
                            impact: quantise(score, max),
                            section: e.best_sec,
                        };
                        let prev = if enc.is_empty() { -1 } else { i64::from(*last) };
                        format::push_posting(enc, prev, &p);
                        *last = doc;
                    }
                }
                out
            })
            .collect();
        free(&mut chunks[from..to], &|c| c.enc = Vec::new());
        for (frag, map) in frags.into_iter().zip(&maps[from..to]) {
            for (local, (frag_last, enc)) in frag.into_iter().enumerate() {
                if enc.is_empty() {
                    continue;
                }
                let t = map[local] as usize;
                // The first posting's gap again, from the term's last document before the chunk.
                let mut pos = 0;
                let first = format::read_varint(enc.as_bytes(), &mut pos);
                format::push_varint(&mut encoded[t], (i64::from(first) - last[t] - 1) as u32);
                encoded[t].push_str(&enc[pos..]);
                last[t] = i64::from(frag_last);
            }
        }
    }
    drop(firsts);
    drop(last);

    lap("postings");
    // 5a. Collections (document ranges) and facets (document lists), and each document's facet
    // values numbered in the manifest's order (collections, then each facet's `values`), for the
    // facet counts of tiered terms.
    let mut collections: Vec<CollectionRange> = Vec::new();
    let mut doc_vals: Vec<Vec<u32>> = vec![Vec::new(); n];
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
    for (k, c) in collections.iter().enumerate() {
        for v in &mut doc_vals[c.start as usize..c.end as usize] {
            v.push(k as u32);
        }
    }
    // Each value's documents, in the same order.
    let mut value_docs: Vec<u32> = collections.iter().map(|c| c.end - c.start).collect();
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
        let number: BTreeMap<&str, u32> = values
            .iter()
            .enumerate()
            .map(|(k, v)| (v.slug.as_str(), (value_docs.len() + k) as u32))
            .collect();
        for (slug, l) in &lists {
            for &d in l {
                doc_vals[d as usize].push(number[slug]);
            }
        }
        value_docs.extend(values.iter().map(|v| v.count));
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
        drop(lists);
        let file = format!("f-{name}.json");
        json(&file, serde_json::to_vec(&shard)?)?;
        facets.insert(name.to_string(), Facet { file, values });
    }

    let doc_vals = DocValues::new(doc_vals);

    lap("facets");
    // 5. Tiers (issue 15): a term in many documents keeps its best postings (by impact) in its
    // term shard, enough for a first page of results, and the next ones in tiers, each bigger
    // than the one before, in tail files read only when a query needs them.
    let mut tails: Vec<Vec<(u8, u32, String)>> = vec![Vec::new(); vocab.len()];
    let mut counts: Vec<String> = vec![String::new(); vocab.len()];
    encoded
        .par_iter_mut()
        .zip(tails.par_iter_mut())
        .zip(counts.par_iter_mut())
        .for_each(|((enc, tail), counted)| {
            if let Some(t) = split_tiers(enc, &doc_vals, &value_docs) {
                *enc = t.head;
                *tail = t.rest;
                *counted = t.counts;
            }
        });
    drop(doc_vals);
    // Tail files: tiers in term order, grouped up to a size, ending where a term's tiers end
    // once half full; a big tier is a file of its own.
    let tail_sizes: Vec<usize> = tails
        .iter()
        .enumerate()
        .flat_map(|(t, ts)| ts.iter().map(move |x| (t, x.2.len())))
        .map(|(t, len)| len + vocab[t].len() + 12)
        .collect();
    // Whether the k-th tier (in term order) is its term's first.
    let first_tiers: Vec<bool> = tails
        .iter()
        .flat_map(|ts| (0..ts.len()).map(|j| j == 0))
        .collect();
    let term_starts = |k: usize| first_tiers[k];
    // Small files: a query that needs a term's next tier reads little else; but at most about
    // one per `DOCS_PER_TAIL_FILE` documents (the index's files stay under 1 per 20 documents).
    let tail_total: usize = tail_sizes.iter().sum();
    let tail_budget = (n / DOCS_PER_TAIL_FILE).max(1);
    let mut tail_target = MIN_TAIL_FILE_BYTES.max(tail_total / tail_budget);
    let mut tail_starts = shard_starts_at(&tail_sizes, tail_target, term_starts);
    while tail_starts.len() > tail_budget && tail_target < tail_total {
        tail_target += tail_target / 8;
        tail_starts = shard_starts_at(&tail_sizes, tail_target, term_starts);
    }
    drop(tail_sizes);
    drop(first_tiers);
    // The file of the k-th tier (in term order).
    let file_of = |k: usize| tail_starts.partition_point(|&s| s <= k).saturating_sub(1) as u32;
    let mut tiers: Vec<Vec<format::Tier>> = vec![Vec::new(); vocab.len()];
    {
        // Each file's tiers (moved, not copied), then the files serialised and written in
        // parallel.
        let mut files: Vec<(u32, format::TailShard)> = Vec::new();
        let mut k = 0;
        for (t, ts) in tails.iter_mut().enumerate() {
            for (j, (level, doc, enc)) in ts.drain(..).enumerate() {
                let f = file_of(k);
                k += 1;
                if files.last().is_none_or(|(g, _)| *g != f) {
                    files.push((f, format::TailShard { terms: Vec::new() }));
                }
                tiers[t].push(format::Tier(level, doc, f));
                if let Some((_, shard)) = files.last_mut() {
                    shard.terms.push((vocab[t].clone(), j as u32 + 1, enc));
                }
            }
        }
        drop(tails);
        files
            .into_par_iter()
            .try_for_each(|(f, shard)| json(&format!("r{f}.json"), serde_json::to_vec(&shard)?))?;
    }

    lap("tiers");
    // 5c. Facet counts of tiered terms, in term order, in files of about `MIN_COUNT_FILE_BYTES`
    // (at most one per `DOCS_PER_COUNT_FILE` documents): opening a filter group reads one small
    // file per word instead of every posting of every word (see "Filter counts" in
    // docs/search-format.md).
    let counted: Vec<usize> = (0..vocab.len())
        .filter(|&t| !counts[t].is_empty())
        .collect();
    let count_sizes: Vec<usize> = counted
        .iter()
        .map(|&t| counts[t].len() + vocab[t].len() + 8)
        .collect();
    let count_total: usize = count_sizes.iter().sum();
    let count_budget = (n / DOCS_PER_COUNT_FILE).max(1);
    let mut count_target = MIN_COUNT_FILE_BYTES.max(count_total / count_budget);
    let mut count_starts = shard_starts(&count_sizes, count_target);
    while count_starts.len() > count_budget && count_target < count_total {
        count_target += count_target / 8;
        count_starts = shard_starts(&count_sizes, count_target);
    }
    drop(count_sizes);
    let mut count_file: Vec<u32> = vec![0; vocab.len()];
    {
        let mut files: Vec<format::CountShard> = Vec::new();
        for (k, &t) in counted.iter().enumerate() {
            let f = count_starts.partition_point(|&s| s <= k).saturating_sub(1);
            if files.len() <= f {
                files.push(format::CountShard { terms: Vec::new() });
            }
            count_file[t] = f as u32;
            files[f]
                .terms
                .push((vocab[t].clone(), std::mem::take(&mut counts[t])));
        }
        drop(counts);
        files
            .into_par_iter()
            .enumerate()
            .try_for_each(|(f, shard)| json(&format!("c{f}.json"), serde_json::to_vec(&shard)?))?;
    }
    drop(counted);
    // 5b. Term shards, each written as it is made.
    let sizes: Vec<usize> = (0..vocab.len())
        .map(|t| encoded[t].len() + vocab[t].len() + 8 + tiers[t].len() * 20)
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
    drop(sizes);
    let term_shards: Vec<String> = starts
        .iter()
        .enumerate()
        .map(|(i, &from)| match i {
            0 => String::new(),
            _ => vocab[from].clone(),
        })
        .collect();
    let shards: Vec<TermShard> = starts
        .iter()
        .enumerate()
        .map(|(i, &from)| {
            let to = starts.get(i + 1).copied().unwrap_or(vocab.len());
            TermShard {
                terms: (from..to)
                    .map(|t| {
                        let enc = std::mem::take(&mut encoded[t]);
                        match std::mem::take(&mut tiers[t]) {
                            ts if ts.is_empty() => TermEntry::Whole(vocab[t].clone(), df[t], enc),
                            ts => {
                                TermEntry::Tiered(vocab[t].clone(), df[t], enc, ts, count_file[t])
                            }
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    drop(encoded);
    shards
        .into_par_iter()
        .enumerate()
        .try_for_each(|(i, shard)| json(&format!("t{i}.json"), serde_json::to_vec(&shard)?))?;

    lap("term shards");
    // 6. Vocabulary shards for typo candidates: terms without digits, grouped by first character,
    // each with its most frequent word when that is not the term itself (a typo in a suffix,
    // `negotiaton`, is near `negotiation` but far from `negoti`).
    let surface: Vec<Option<String>> = {
        let mut form_counts: HashMap<(u32, &str), u64> = HashMap::new();
        for (c, map) in chunks.iter().zip(&maps) {
            for f in &c.forms {
                if let Some(&t) = map.get(f.term as usize) {
                    *form_counts.entry((t, f.word.as_str())).or_default() += u64::from(f.count);
                }
            }
        }
        let mut best: Vec<Option<(u64, &str)>> = vec![None; vocab.len()];
        for ((t, w), n) in form_counts {
            let Some(best) = best.get_mut(t as usize) else {
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
        best.iter()
            .zip(&vocab)
            .map(|(b, term)| {
                b.map(|(_, w)| w)
                    .filter(|w| *w != term.as_str())
                    .map(str::to_string)
            })
            .collect()
    };
    free(&mut chunks, &|c| c.forms = Vec::new());
    let mut by_char: BTreeMap<char, Vec<format::VocabEntry>> = BTreeMap::new();
    for (t, term) in vocab.iter().enumerate() {
        if term.bytes().any(|b| b.is_ascii_digit()) || term.starts_with('~') {
            continue;
        }
        if let Some(c) = term.chars().next() {
            // As written (accents kept): the search page shows it ("also matching reunión").
            by_char.entry(c).or_default().push(match &surface[t] {
                Some(w) => format::VocabEntry::Form(term.to_string(), df[t], w.clone()),
                None => format::VocabEntry::Plain(term.to_string(), df[t]),
            });
        }
    }
    drop(surface);
    let mut vocab_shards: Vec<String> = Vec::new();
    let mut vshard = VocabShard { terms: Vec::new() };
    let mut vsize = 0;
    let mut chars = String::new();
    for (c, terms) in by_char {
        let len: usize = terms.iter().map(|e| e.term().len() * 2 + 8).sum();
        if !vshard.terms.is_empty() && vsize + len > VOCAB_SHARD_BYTES {
            json(
                &format!("v{}.json", vocab_shards.len()),
                serde_json::to_vec(&vshard)?,
            )?;
            vocab_shards.push(std::mem::take(&mut chars));
            vshard.terms.clear();
            vsize = 0;
        }
        chars.push(c);
        vshard.terms.extend(terms);
        vsize += len;
    }
    if !vshard.terms.is_empty() {
        json(
            &format!("v{}.json", vocab_shards.len()),
            serde_json::to_vec(&vshard)?,
        )?;
        vocab_shards.push(chars);
    }

    lap("vocabulary shards");
    // 7. Document shards, made and written in parallel.
    docs.par_chunks(DOC_SHARD_SIZE)
        .enumerate()
        .try_for_each(|(i, chunk)| {
            let shard = DocShard {
                docs: chunk
                    .iter()
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
                    .collect(),
            };
            json(&format!("d{i}.json"), serde_json::to_vec(&shard)?)
        })?;

    lap("document shards");
    // 7b. Word positions per term (phrase queries) in blocks of documents (Q130: a phrase reads
    // the positions of the documents it checks, not the whole list of a common word): each
    // chunk's fragments added to their terms' blocks in document order, a window of chunks at a
    // time, the terms shared out between threads (a one-off build frees each chunk's fragments
    // as they are added). Joined first and split after, every position of the site was held
    // twice (issue 15: 130-180 MB at 100,000 documents, `lmp serve`'s peak after an edit).
    let mut pos_terms: Vec<PosBlocks> = (0..vocab.len()).map(|_| PosBlocks::default()).collect();
    let per_task = vocab
        .len()
        .div_ceil(8 * rayon::current_num_threads())
        .max(1);
    // Block `j` of every term is whole once the documents of block `j` are all added (they come
    // in order): it is then packed, joined with the other terms' block `j` into one column, and
    // the column put in `lmp serve`'s scratch file, or kept as one string (a one-off build). Held
    // until the shards were written, the blocks were 130-150 MiB at 100,000 documents, `lmp
    // serve`'s peak after an edit (issue 15).
    let mut columns: Vec<PosColumn> = Vec::new();
    let close = |pos_terms: &mut [PosBlocks], j: usize| -> PosColumn {
        let mut text = String::new();
        let mut ends = Vec::new();
        for (t, p) in pos_terms.iter_mut().enumerate() {
            let Some(w) = p.blocks.get_mut(j) else {
                continue;
            };
            let block = std::mem::take(w).finish();
            if !block.is_empty() {
                text.push_str(&block);
                ends.push((t as u32, text.len()));
            }
        }
        let bytes = match &spill {
            Some(s) if !text.is_empty() => match crate::fsx::spill::Held::put(s, text.as_bytes()) {
                Ok(h) => {
                    #[cfg(test)]
                    POS_COLUMNS_ON_DISK.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    ColumnBytes::Disk(h)
                }
                Err(e) => {
                    log::debug!("search index: a column of positions kept in memory: {e:#}");
                    ColumnBytes::Memory(text)
                }
            },
            _ => {
                text.shrink_to_fit();
                ColumnBytes::Memory(text)
            }
        };
        PosColumn { ends, bytes }
    };
    // Chunks per step here: fewer in tests, so that a block of their indexes spans steps as it
    // does in a site's (blocks of 4,096 documents, steps of 16 chunks of 128).
    let pos_window = if cfg!(test) { 3 } else { window };
    let mut chunk_start = 0u32;
    for from in (0..chunks.len()).step_by(pos_window) {
        let to = (from + pos_window).min(chunks.len());
        // Per chunk of the window: its first document, and its fragments by index term.
        let starts: Vec<u32> = chunks[from..to]
            .iter()
            .scan(chunk_start, |start, c| {
                let s = *start;
                *start += c.docs.len() as u32;
                Some(s)
            })
            .collect();
        chunk_start += chunks[from..to]
            .iter()
            .map(|c| c.docs.len() as u32)
            .sum::<u32>();
        let taken: Vec<Option<Vec<PosFrag>>> = chunks[from..to]
            .iter_mut()
            .map(|c| std::sync::Arc::get_mut(c).map(|c| std::mem::take(&mut c.positions)))
            .collect();
        let frags: Vec<Vec<(u32, PosFrag)>> = (from..to)
            .into_par_iter()
            .zip(taken)
            .map(|(i, taken)| {
                let list = match taken {
                    _ if held[i].is_some() => {
                        body(i, &chunks, Parts::POSITIONS).into_owned().positions
                    }
                    Some(v) => v,
                    None => chunks[i].positions.clone(),
                };
                let mut list: Vec<(u32, PosFrag)> = list
                    .into_iter()
                    .enumerate()
                    .filter(|(_, f)| f.first != u32::MAX)
                    .map(|(local, f)| (maps[i][local], f))
                    .collect();
                list.sort_unstable_by_key(|(t, _)| *t);
                list
            })
            .collect();
        pos_terms
            .par_chunks_mut(per_task)
            .enumerate()
            .for_each(|(k, terms)| {
                let lo = (k * per_task) as u32;
                let hi = lo + terms.len() as u32;
                for (list, &start) in frags.iter().zip(&starts) {
                    let at = list.partition_point(|(t, _)| *t < lo);
                    for (t, f) in list[at..].iter().take_while(|(t, _)| *t < hi) {
                        terms[(t - lo) as usize].add(f.enc.as_bytes(), Some(start + f.first));
                    }
                }
            });
        drop(frags);
        let whole = (chunk_start / format::POS_BLOCK_DOCS) as usize;
        while columns.len() < whole {
            columns.push(close(&mut pos_terms, columns.len()));
        }
    }
    drop(chunks);
    drop(maps);
    let last = pos_terms.iter().map(|p| p.blocks.len()).max().unwrap_or(0);
    while columns.len() < last {
        columns.push(close(&mut pos_terms, columns.len()));
    }
    drop(pos_terms);
    // (term, block, its place in the block's column) of every block that has positions, by term
    // then block.
    let mut with_pos: Vec<(u32, u32, u32)> = columns
        .iter()
        .enumerate()
        .flat_map(|(j, c)| {
            c.ends
                .iter()
                .enumerate()
                .map(move |(k, &(t, _))| (t, j as u32, k as u32))
        })
        .collect();
    with_pos.sort_unstable();
    let block = |&(_, j, k): &(u32, u32, u32)| columns[j as usize].range(k as usize);
    let psizes: Vec<usize> = with_pos
        .iter()
        .map(|p| block(p).len() + vocab[p.0 as usize].len() + 9)
        .collect();
    let ptotal: usize = psizes.iter().sum();
    let pbudget = (n / DOCS_PER_POS_SHARD).max(1);
    let mut ptarget = MIN_POS_SHARD_BYTES.max(ptotal / pbudget);
    let mut pstarts = shard_starts(&psizes, ptarget);
    while pstarts.len() > pbudget && ptarget < ptotal {
        ptarget += ptarget / 8;
        pstarts = shard_starts(&psizes, ptarget);
    }
    let mut pos_shards: Vec<(String, u32)> = Vec::new();
    if !with_pos.is_empty() {
        for (i, &from) in pstarts.iter().enumerate() {
            pos_shards.push(if i == 0 {
                (String::new(), 0)
            } else {
                let (t, j, _) = with_pos[from];
                (vocab[t as usize].to_string(), j)
            });
        }
        // Each shard made and written in parallel, its blocks read back from their columns:
        // for each column, one range (a column is in term order, and so are a shard's blocks of
        // it).
        (0..pstarts.len()).into_par_iter().try_for_each(|i| {
            let from = pstarts[i];
            let to = pstarts.get(i + 1).copied().unwrap_or(with_pos.len());
            let mut span = vec![(usize::MAX, 0); columns.len()];
            for p in &with_pos[from..to] {
                let r = block(p);
                let s = &mut span[p.1 as usize];
                *s = (s.0.min(r.start), s.1.max(r.end));
            }
            let texts = columns
                .iter()
                .zip(&span)
                .map(|(c, &(lo, hi))| match lo < hi {
                    true => c.bytes.read(lo..hi),
                    false => Ok(std::borrow::Cow::Borrowed("")),
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            let shard = PosShard {
                terms: with_pos[from..to]
                    .iter()
                    .map(|p| {
                        let (r, lo) = (block(p), span[p.1 as usize].0);
                        (
                            vocab[p.0 as usize].to_string(),
                            p.1,
                            texts[p.1 as usize][r.start - lo..r.end - lo].to_string(),
                        )
                    })
                    .collect(),
            };
            json(&format!("p{i}.json"), serde_json::to_vec(&shard)?)
        })?;
    }
    drop(columns);
    let pos_files = pos_shards.len() as u32;
    if pos_files > 0 {
        let dir = format::PosDir { shards: pos_shards };
        json("pos.json", serde_json::to_vec(&dir)?)?;
    }
    lap("positions");
    // 9. The manifest, last: it names the folder, whose files are all written.
    let manifest = Manifest {
        format: "lmp-search".into(),
        version: format::VERSION,
        dir,
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
        pos_files,
        pos_block_docs: format::POS_BLOCK_DOCS,
        synonyms: syn.manifest(),
        vocab_shards,
        collections,
        facets,
        dates: lang.dates.clone(),
    };
    put(
        format!("{}{}", lang.prefix, format::MANIFEST),
        serde_json::to_vec(&manifest)?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A chunk packed for `lmp serve`'s scratch file unpacks to the same chunk, and bytes cut
    /// short or changed unpack to nothing (the chunk is then tokenised again), never a panic.
    #[test]
    fn a_packed_chunk_unpacks_to_the_same_chunk() {
        let fx = crate::search::tests::tiered_fixtures(300);
        let docs = crate::search::tests::index_docs(&fx);
        let stem = Stem::for_lang("en");
        let lang = Lang {
            code: "en",
            prefix: "",
            stem: &stem,
            languages: &[],
            dates: &format::DateWords::default(),
        };
        let mut memo = Memo::default();
        let put = |_: String, _: Vec<u8>| Ok(());
        build(&docs, &Labels::new(), &[], &lang, Some(&mut memo), &put).unwrap();
        assert!(memo.chunks.len() > 1);
        for kept in memo.chunks.values() {
            let Kept::Memory(c) = kept else {
                panic!("no scratch file: kept in memory")
            };
            assert!(!c.positions.is_empty() && !c.forms.is_empty());
            let packed = c.pack();
            assert_eq!(Chunk::unpack(&packed).as_ref(), Some(&**c));
            for cut in [0, 1, packed.len() / 3, packed.len() - 1] {
                assert!(Chunk::unpack(&packed[..cut]).is_none(), "cut at {cut}");
            }
            let mut longer = packed.clone();
            longer.push(0);
            assert!(Chunk::unpack(&longer).is_none());
            // A pass reads back only the parts it needs; the others are left empty.
            let scoring = Chunk::unpack_parts(&packed, Parts::TERMS_OF_DOCS).unwrap();
            assert_eq!((&scoring.docs, &scoring.enc), (&c.docs, &c.enc));
            assert!(scoring.terms.is_empty() && scoring.forms.is_empty());
            assert!(scoring.positions.is_empty());
            let positions = Chunk::unpack_parts(&packed, Parts::POSITIONS).unwrap();
            assert_eq!(positions.positions, c.positions);
            assert!(positions.docs.is_empty() && positions.enc.is_empty());
            assert!(Chunk::unpack_parts(&packed[..packed.len() - 1], Parts::POSITIONS).is_none());
        }
    }

    /// The counting sort of a term's postings gives the order of the comparison sort it replaced
    /// (impact, highest first, then document).
    #[test]
    fn postings_by_impact_are_in_the_order_of_the_comparison_sort() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |m: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % m
        };
        for round in 0..50 {
            let mut doc = 0u32;
            let levels = 1 + next(63);
            let ps: Vec<Posting> = (0..next(3000))
                .map(|_| {
                    doc += 1 + next(5) as u32;
                    Posting {
                        doc,
                        impact: (1 + next(levels)) as u8,
                        section: next(9) as u32,
                    }
                })
                .collect();
            let mut want = ps.clone();
            want.sort_by(|a, b| b.impact.cmp(&a.impact).then(a.doc.cmp(&b.doc)));
            assert_eq!(by_impact(ps), want, "round {round}");
        }
    }

    /// The short-word table finds every word put in it, through its growth, and no other.
    #[test]
    fn tail_files_end_where_a_term_ends_once_half_full() {
        let sizes = [2, 2, 2, 2, 2, 2];
        // Without groups: files of up to 10.
        assert_eq!(shard_starts(&sizes, 10), [0, 5]);
        // A term starting at 3 (the file holds 6 of 10): a new file there.
        assert_eq!(shard_starts_at(&sizes, 10, |k| k == 0 || k == 3), [0, 3]);
        // A term starting at 1 (the file holds 2 of 10): not yet.
        assert_eq!(shard_starts_at(&sizes, 10, |k| k == 0 || k == 1), [0, 5]);
        // A big item is still a file of its own.
        assert_eq!(shard_starts_at(&[2, 6, 2], 10, |k| k == 2), [0, 1, 2]);
    }

    #[test]
    fn short_word_table_finds_what_was_put_and_nothing_else() {
        let mut m = ShortMap::default();
        let words: Vec<String> = (0..5000).map(|i| format!("w{i}")).collect();
        for (i, w) in words.iter().enumerate() {
            let k = pack(w).expect("short");
            assert_eq!(m.get(k), None, "{w}");
            m.insert(k, i as u32);
        }
        for (i, w) in words.iter().enumerate() {
            assert_eq!(m.get(pack(w).expect("short")), Some(i as u32), "{w}");
        }
        for w in ["w5000", "x1", "w", "w00", "w12345678901234"] {
            assert_eq!(m.get(pack(w).expect("short")), None, "{w}");
        }
        assert_eq!(pack("a-word-of-16-b.."), None);
        assert_eq!(
            pack("ab"),
            Some(2 | (u128::from(b'a') << 8) | (u128::from(b'b') << 16))
        );
    }

    /// The blocks of a term's positions are the Exp-Golomb form ([`format::pack_positions`]) of
    /// the internal form's documents of each block, each block's document gaps counted from its
    /// own last document (what the builder wrote before it packed the blocks in one pass).
    #[test]
    fn positions_blocks_are_the_packed_internal_form_of_their_documents() {
        let block = i64::from(format::POS_BLOCK_DOCS);
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = |m: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % m
        };
        for round in 0..200 {
            // Documents with the term, some blocks empty, some far apart.
            let mut docs: Vec<(i64, Vec<u32>)> = Vec::new();
            let mut doc = -1i64;
            for _ in 0..next(40) {
                let jump = next(4) == 0;
                doc += 1 + next(if jump { 3 * block as u64 } else { 20 }) as i64;
                let mut p = 0u32;
                let positions: Vec<u32> = (0..=next(6) + u64::from(round % 3 == 0) * 200)
                    .map(|_| {
                        let far = next(9) == 0;
                        p += 1 + next(if far { 100_000 } else { 300 }) as u32;
                        p
                    })
                    .collect();
                docs.push((doc, positions));
            }
            let mut enc = String::new();
            let mut prev = -1i64;
            for (d, ps) in &docs {
                format::encode_positions(&mut enc, prev, *d as u32, ps);
                prev = *d;
            }
            let blocks = split_positions(&enc);
            // The same from chunks' fragments (each without its first document's gap, its
            // documents counted from the chunk's first), added one after the other.
            let mut joined = PosBlocks::default();
            let mut rest = &docs[..];
            let mut chunk_start = 0i64;
            while !rest.is_empty() {
                let take = (1 + next(12) as usize).min(rest.len());
                let (piece, after) = rest.split_at(take);
                let start = chunk_start + next(1 + (piece[0].0 - chunk_start) as u64) as i64;
                let mut frag = String::new();
                let mut prev = -1i64;
                for (k, (d, ps)) in piece.iter().enumerate() {
                    // The first document as number 0 (its gap is then one symbol, left out).
                    let local = if k == 0 { 0 } else { (d - start) as u32 };
                    format::encode_positions(&mut frag, prev, local, ps);
                    prev = d - start;
                }
                frag.remove(0);
                joined.add(frag.as_bytes(), Some(piece[0].0 as u32));
                chunk_start = piece[take - 1].0 + 1;
                rest = after;
            }
            assert_eq!(
                joined.finish(),
                blocks,
                "round {round}: joined from fragments"
            );
            let want_len = docs.last().map_or(0, |(d, _)| (d / block) as usize + 1);
            assert_eq!(blocks.len(), want_len, "round {round}");
            for (b, got) in blocks.iter().enumerate() {
                let mut varints = String::new();
                let mut prev = -1i64;
                for (d, ps) in docs.iter().filter(|(d, _)| (d / block) as usize == b) {
                    format::encode_positions(&mut varints, prev, *d as u32, ps);
                    prev = *d;
                }
                assert_eq!(
                    *got,
                    format::pack_positions(&varints),
                    "round {round} block {b}"
                );
            }
        }
    }
}
