//! The on-disk index format (version [`VERSION`]), shared by the builder and the Rust query
//! engine: the manifest structure, file names and the compact posting encoding. The format is
//! described for humans in `docs/search-format.md`; the browser reads it in
//! `themes/lmp/static/search/engine.js`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Format version, bumped on any incompatible change.
pub(crate) const VERSION: u32 = 7;
/// Where the index lives, relative to the output root.
pub(crate) const DIR: &str = "search/index";
pub(crate) const MANIFEST: &str = "search/index/manifest.json";

/// 64 symbols, none of which needs escaping in JSON. A symbol's value is its position.
pub(crate) const ALPHABET: &[u8; 64] =
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

pub(crate) fn sym_value(c: u8) -> u32 {
    match c {
        b'0'..=b'9' => (c - b'0') as u32,
        b'A'..=b'Z' => (c - b'A') as u32 + 10,
        b'a'..=b'z' => (c - b'a') as u32 + 36,
        b'-' => 62,
        _ => 63,
    }
}

/// Base-32 little-endian varint: symbols 32–63 carry 5 bits and continue, 0–31 end the number.
pub(crate) fn push_varint(out: &mut String, mut v: u32) {
    while v >= 32 {
        out.push(ALPHABET[(32 + (v & 31)) as usize] as char);
        v >>= 5;
    }
    out.push(ALPHABET[v as usize] as char);
}

/// The number of a term's documents with a facet value that independence predicts: its `df` ×
/// the value's documents `cv` / all `docs`, rounded down (engine.js computes the same in floating
/// point, exactly: the product is below 2^53 and the quotient never within 1/docs of a whole
/// number it is not).
pub(crate) fn expected_count(df: u32, cv: u32, docs: u32) -> u32 {
    (u64::from(df) * u64::from(cv) / u64::from(docs.max(1))) as u32
}

/// A facet count as stored in `c{i}.json`: its difference from [`expected_count`], zigzag coded
/// (0, −1, 1, −2, … → 0, 1, 2, 3, …) as a varint: small numbers, which compress well.
pub(crate) fn push_count(out: &mut String, count: u32, df: u32, cv: u32, docs: u32) {
    let e = expected_count(df, cv, docs);
    push_varint(
        out,
        if count >= e {
            2 * (count - e)
        } else {
            2 * (e - count) - 1
        },
    );
}

/// One varint of our own encoding (the builder's; `lmp search` decodes with the checked
/// `validate::postings` / `validate::docs`).
pub(crate) fn read_varint(s: &[u8], pos: &mut usize) -> u32 {
    let mut v = 0u32;
    let mut shift = 0;
    loop {
        let d = sym_value(s[*pos]);
        *pos += 1;
        if d < 32 {
            return v | (d << shift);
        }
        v |= (d - 32) << shift;
        shift += 5;
    }
}

/// One posting: a document, its quantised impact (1–63) for the term, and the index of the
/// section (0 = text before the first heading) where the term matters most.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Posting {
    pub doc: u32,
    pub impact: u8,
    pub section: u32,
}

/// Postings are sorted by document: `varint(doc gap) impact-symbol varint(section)` each, where
/// the gap is `doc - previous doc - 1` (the first previous doc being -1).
pub(crate) fn encode_postings(out: &mut String, postings: &[Posting]) {
    let mut prev: i64 = -1;
    for p in postings {
        push_posting(out, prev, p);
        prev = p.doc as i64;
    }
}

/// Appends one posting to a list whose last document is `prev` (-1 for the first): the index
/// builder appends each term's postings in document order (see [`encode_postings`]).
pub(crate) fn push_posting(out: &mut String, prev: i64, p: &Posting) {
    push_varint(out, (p.doc as i64 - prev - 1) as u32);
    out.push(ALPHABET[p.impact as usize] as char);
    push_varint(out, p.section);
}

/// Postings the builder encoded (`lmp search` decodes with the checked `validate::postings`).
pub(crate) fn decode_postings(s: &str) -> Vec<Posting> {
    let b = s.as_bytes();
    let mut pos = 0;
    let mut prev: i64 = -1;
    let mut out = Vec::new();
    while pos < b.len() {
        let doc = (prev + 1 + read_varint(b, &mut pos) as i64) as u32;
        let impact = sym_value(b[pos]) as u8;
        pos += 1;
        let section = read_varint(b, &mut pos);
        out.push(Posting {
            doc,
            impact,
            section,
        });
        prev = doc as i64;
    }
    out
}

/// A sorted document list: `varint(doc gap)` each (facet files).
pub(crate) fn encode_docs(out: &mut String, docs: &[u32]) {
    let mut prev: i64 = -1;
    for &d in docs {
        push_varint(out, (d as i64 - prev - 1) as u32);
        prev = d as i64;
    }
}

// `lmp search` decodes with the checked `validate::postings` / `validate::docs`.
#[cfg(test)]
pub(crate) fn decode_docs(s: &str) -> Vec<u32> {
    let b = s.as_bytes();
    let mut pos = 0;
    let mut prev: i64 = -1;
    let mut out = Vec::new();
    while pos < b.len() {
        let d = (prev + 1 + read_varint(b, &mut pos) as i64) as u32;
        out.push(d);
        prev = d as i64;
    }
    out
}

/// Score multipliers for the kinds of match a query word can have.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct Weights {
    pub exact: u64,
    pub prefix: u64,
    pub typo1: u64,
    pub typo2: u64,
}

/// A collection: documents `start..end` (documents are ordered by collection).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct CollectionRange {
    pub slug: String,
    pub label: String,
    pub start: u32,
    pub end: u32,
}

/// A facet value with its label and document count.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct FacetValue {
    pub slug: String,
    pub label: String,
    pub count: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct Facet {
    /// File (relative to the manifest's `dir`) with one document list per value.
    pub file: String,
    pub values: Vec<FacetValue>,
}

/// `search/index/manifest.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Manifest {
    pub format: String,
    pub version: u32,
    /// Folder of every other index file, relative to the manifest, named by a digest of what its
    /// files are made from (so a new build never mixes with cached files of an old one).
    pub dir: String,
    pub docs: u32,
    /// The language of the documents (`en`, `es`) and the stemmer of the index (`english`,
    /// `spanish`: Snowball, the Spanish one with diacritics folded).
    #[serde(default)]
    pub lang: String,
    #[serde(default = "english")]
    pub stemmer: String,
    /// Every language's index: code, name, and the manifest's path from the site root (the same
    /// list in each manifest, the default language first).
    #[serde(default)]
    pub languages: Vec<LangIndex>,
    pub stop_words: Vec<String>,
    /// Impact symbol value → score points.
    pub impacts: Vec<u64>,
    pub weights: Weights,
    /// How many terms a prefix expands to, at most (most frequent first).
    pub max_prefix_terms: u32,
    /// How many typo candidates a word gets, at most.
    pub max_typo_terms: u32,
    /// Words of at least this many characters tolerate 2 edits, shorter ones 1.
    pub typo2_min_len: u32,
    /// First term of each term shard `t{i}.json`, sorted.
    pub term_shards: Vec<String>,
    /// Documents per document shard `d{i}.json`.
    pub doc_shard_size: u32,
    /// Number of positions shards `p{i}.json` (phrase queries; their first `[term, block]`s are
    /// in `pos.json`, read by phrase queries only).
    pub pos_files: u32,
    /// Documents per positions block ([`POS_BLOCK_DOCS`]).
    pub pos_block_docs: u32,
    /// Synonym groups (`search.synonyms` in config.yaml).
    pub synonyms: Vec<super::synonyms::SynonymGroup>,
    /// Vocabulary (typo) file `v{i}.json` → the first characters of the terms it holds.
    pub vocab_shards: Vec<String>,
    pub collections: Vec<CollectionRange>,
    /// `region`, `topic`, `audience`.
    pub facets: BTreeMap<String, Facet>,
    /// How the language writes a date, for readers of the index that show dates (`lmp search`):
    /// the theme's `date_format` and month names. Absent: dates as in English.
    #[serde(default, skip_serializing_if = "DateWords::is_empty")]
    pub dates: DateWords,
}

/// A language's date words (`{day} de {month} de {year}`, `enero` … `diciembre`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct DateWords {
    pub format: String,
    pub months: Vec<String>,
}

impl DateWords {
    pub(crate) fn is_empty(&self) -> bool {
        self.format.is_empty() || self.months.len() != 12
    }

    /// `2013-05-14` as the language writes it (`14 de mayo de 2013`); English words when empty.
    pub(crate) fn show(&self, iso: &str) -> String {
        let Ok(d) = crate::util::Date::parse(iso) else {
            return iso.to_string();
        };
        match self.months.get(usize::from(d.month).wrapping_sub(1)) {
            Some(m) if !self.is_empty() => self
                .format
                .replace("{day}", &d.day.to_string())
                .replace("{month}", m)
                .replace("{year}", &d.year.to_string()),
            _ => d.display(),
        }
    }
}

fn english() -> String {
    "english".into()
}

/// One language's index, as listed in every manifest.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct LangIndex {
    pub code: String,
    /// The language's name in itself (`Español`).
    pub name: String,
    /// Path of its manifest from the site root (`es/search/index/manifest.json`).
    pub manifest: String,
}

/// `t{i}.json`: terms with their postings.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct TermShard {
    /// Sorted by term.
    pub terms: Vec<TermEntry>,
}

/// A term of a term shard: `[term, document frequency, encoded postings]`, or for a term with
/// many documents `[term, df, head, tiers, counts]`: its postings ordered by impact (highest
/// first, then by document) and cut into a head, here, and tiers, each in a tail file (see
/// [`Tier`]); `counts` is the facet counts file `c{counts}.json` that holds how many of its
/// documents have each facet value (see [`CountShard`]). Every part is encoded in document order
/// like a whole list.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub(crate) enum TermEntry {
    Tiered(String, u32, String, Vec<Tier>, u32),
    Whole(String, u32, String),
}

impl TermEntry {
    pub(crate) fn term(&self) -> &str {
        match self {
            TermEntry::Tiered(t, ..) | TermEntry::Whole(t, ..) => t,
        }
    }

    pub(crate) fn df(&self) -> u32 {
        match self {
            TermEntry::Tiered(_, df, ..) | TermEntry::Whole(_, df, _) => *df,
        }
    }

    /// The postings in the term shard: all of them, or the head of a tiered term.
    pub(crate) fn head(&self) -> &str {
        match self {
            TermEntry::Tiered(_, _, h, ..) | TermEntry::Whole(_, _, h) => h,
        }
    }

    /// The tiers after the head (none for a whole list).
    pub(crate) fn tiers(&self) -> &[Tier] {
        match self {
            TermEntry::Tiered(_, _, _, t, _) => t,
            TermEntry::Whole(..) => &[],
        }
    }

    /// The facet counts file of a tiered term (`c{i}.json`), none for a whole list.
    #[cfg(test)]
    pub(crate) fn counts_file(&self) -> Option<u32> {
        match self {
            TermEntry::Tiered(.., c) => Some(*c),
            TermEntry::Whole(..) => None,
        }
    }
}

/// A tier of a term's postings after its head, `[level, doc, file]`: its first posting in the
/// order of impact (highest first), then document, is `(level, doc)`, so every posting of this
/// tier and of the next ones has an impact below `level`, or `level` and a document number of at
/// least `doc` (the bound a query uses to decide whether it needs them). Its postings are in
/// `r{file}.json`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct Tier(pub u8, pub u32, pub u32);

/// `r{i}.json`: tiers of postings: `[term, tier, encoded postings]` sorted by term then tier
/// (tier 1 is the first after the head).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct TailShard {
    pub terms: Vec<(String, u32, String)>,
}

/// `c{i}.json`: per tiered term (sorted by term), `[term, counts]`: how many of its documents
/// have each facet value, in the manifest's order: each collection of `collections`, then the
/// `values` of `region`, `topic` and `audience` (the facets of [`super::FacetName::ALL`] the
/// manifest has), each as its difference from the count independence predicts (see
/// [`push_count`]). The search page's filter counts come
/// from them before the whole search has run: exact for a query of one such term, estimated
/// otherwise (see "Filter counts" in docs/search-format.md).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct CountShard {
    pub terms: Vec<(String, String)>,
}

/// `v{i}.json`: terms and their document frequency, for typo candidates.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct VocabShard {
    pub terms: Vec<VocabEntry>,
}

/// A term of a vocabulary shard: `[term, df]`, or `[term, df, word]` when the term's most
/// frequent word (folded in Spanish) is not the term itself.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub(crate) enum VocabEntry {
    Form(String, u32, String),
    Plain(String, u32),
}

impl VocabEntry {
    pub(crate) fn term(&self) -> &str {
        match self {
            VocabEntry::Form(t, ..) | VocabEntry::Plain(t, _) => t,
        }
    }
}

/// One document in `d{i}.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct DocRecord {
    pub url: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub date: String,
    pub summary: String,
    /// One entry per section: `[]` (no heading, no anchor: text before the first heading),
    /// `[heading]` (the anchor is [`slug`] of the heading) or `[anchor, heading]`.
    pub sections: Vec<Vec<String>>,
}

impl DocRecord {
    /// `(anchor, heading)` of section `i` (empty strings when absent).
    pub(crate) fn section(&self, i: usize) -> (String, String) {
        match self.sections.get(i).map(Vec::as_slice) {
            Some([h]) => (slug(h), h.clone()),
            Some([a, h, ..]) => (a.clone(), h.clone()),
            _ => (String::new(), String::new()),
        }
    }
}

/// Anchor slug of an ASCII heading, as the browser engine computes it: ASCII letters and digits
/// lowercased, runs of whitespace, `-` and `_` one `-` between words, everything else dropped.
/// `None` for headings with other characters (their anchors are always stored).
pub(crate) fn ascii_slug(heading: &str) -> Option<String> {
    if !heading.is_ascii() {
        return None;
    }
    Some(slug(heading))
}

fn slug(heading: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in heading.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else if c.is_ascii_whitespace() || c == '-' || c == '_' {
            dash = true;
        }
    }
    out
}

/// The record form of a section.
pub(crate) fn record_section(anchor: Option<&str>, heading: &str) -> Vec<String> {
    match anchor {
        None | Some("") if heading.is_empty() => Vec::new(),
        None | Some("") => vec![String::new(), heading.to_string()],
        Some(a) if ascii_slug(heading).as_deref() == Some(a) => vec![heading.to_string()],
        Some(a) => vec![a.to_string(), heading.to_string()],
    }
}

/// `d{i}.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct DocShard {
    pub docs: Vec<DocRecord>,
}

/// `p{i}.json`: word positions per term, read only by phrase queries, in blocks of
/// [`POS_BLOCK_DOCS`] documents: a phrase checks a document with its block. Per block, sorted by document, a bit string (see [`pack_positions`]): `eg0(doc gap)
/// eg0(count - 1)` then `count` positions, the first as `eg6(position)`, the others as
/// `eg5(position - previous - 1)`. Positions number the document's words in reading order (stop
/// words left out); each change of field or section skips one number, so a phrase never spans
/// two.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct PosShard {
    /// `[term, block, encoded positions]`, sorted by term then block.
    pub terms: Vec<(String, u32, String)>,
}

/// `pos.json`: the first `[term, block]` of each positions shard `p{i}.json`, sorted (kept out of
/// the manifest, which every query reads: 4,000 shards at 100,000 documents).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct PosDir {
    pub shards: Vec<(String, u32)>,
}

/// Positions are in blocks of this many documents (block `b`: documents `b × POS_BLOCK_DOCS …`;
/// fewer in tests, so that their indexes have several).
#[cfg(not(test))]
pub(crate) const POS_BLOCK_DOCS: u32 = 4096;
#[cfg(test)]
pub(crate) const POS_BLOCK_DOCS: u32 = 512;

/// Exp-Golomb orders of positions shards: the first position of a term in a document, and the
/// gaps between the next ones (chosen on the 10,000-document benchmark corpus).
pub(crate) const POS_K_FIRST: u32 = 6;
pub(crate) const POS_K_GAP: u32 = 5;

/// Bits written 6 to a symbol of [`ALPHABET`], most significant first; the last symbol is padded
/// with zero bits.
#[derive(Default)]
pub(crate) struct BitWriter {
    out: String,
    /// The bits not yet written (the lowest `n`, fewer than 6).
    acc: u64,
    n: u32,
}

impl BitWriter {
    /// The lowest `bits` bits of `v` (at most 40), most significant first.
    fn put(&mut self, v: u64, bits: u32) {
        debug_assert!(bits <= 40);
        if bits == 0 {
            return;
        }
        self.acc = (self.acc << bits) | (v & ((1u64 << bits) - 1));
        self.n += bits;
        while self.n >= 6 {
            self.n -= 6;
            self.out
                .push(ALPHABET[((self.acc >> self.n) & 63) as usize] as char);
        }
        self.acc &= (1u64 << self.n) - 1;
    }

    /// Exp-Golomb code of order `k`: with `q = (v >> k) + 1` of `n` bits, `n - 1` zero bits, `q`,
    /// then the low `k` bits of `v`.
    pub(crate) fn eg(&mut self, v: u32, k: u32) {
        let q = (u64::from(v) >> k) + 1;
        let n = 64 - q.leading_zeros();
        let bits = 2 * n - 1 + k;
        if bits <= 40 {
            // The `n - 1` zeros are the high bits of a `bits`-bit number.
            self.put((q << k) | (u64::from(v) & ((1u64 << k) - 1)), bits);
        } else {
            self.put(0, n - 1);
            self.put(q, n);
            self.put(u64::from(v), k);
        }
    }

    pub(crate) fn finish(mut self) -> String {
        if self.n > 0 {
            let n = self.n;
            self.put(0, 6 - n);
        }
        self.out
    }
}

/// The shard form of a term's positions from the build's internal form (the varints of
/// [`encode_positions`]; the builder writes the codes of each block straight from them, this is
/// the reference its tests compare with): the same numbers as Exp-Golomb codes, about a sixth smaller once
/// compressed. Every document entry takes at least 9 bits, so fewer than 6 bits left at the
/// end are padding.
#[cfg(test)]
pub(crate) fn pack_positions(varints: &str) -> String {
    let b = varints.as_bytes();
    let mut pos = 0;
    let mut w = BitWriter::default();
    let mut next = || {
        let mut v = 0u32;
        let mut shift = 0;
        while let Some(&c) = b.get(pos) {
            pos += 1;
            let d = sym_value(c);
            if d < 32 {
                return Some(v | (d << shift));
            }
            v |= (d - 32) << shift;
            shift += 5;
        }
        None
    };
    while let Some(gap) = next() {
        w.eg(gap, 0);
        let count = next().unwrap_or(0);
        w.eg(count, 0);
        for i in 0..=count {
            let p = next().unwrap_or(0);
            w.eg(p, if i == 0 { POS_K_FIRST } else { POS_K_GAP });
        }
    }
    w.finish()
}

/// Appends one document's positions of a term (the build's internal form, see
/// [`pack_positions`]) after `prev` (-1 at first).
pub(crate) fn encode_positions(out: &mut String, prev: i64, doc: u32, positions: &[u32]) {
    push_varint(out, (doc as i64 - prev - 1) as u32);
    push_varint(out, positions.len().saturating_sub(1) as u32);
    let mut last: i64 = -1;
    for &p in positions {
        push_varint(out, (p as i64 - last - 1) as u32);
        last = p as i64;
    }
}

/// `f-{facet}.json`: value slug → encoded document list.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct FacetShard {
    pub values: BTreeMap<String, String>,
}

/// Index of the term shard that would hold `term`.
pub(crate) fn term_shard_for(shards: &[String], term: &str) -> usize {
    shards
        .partition_point(|first| first.as_str() <= term)
        .saturating_sub(1)
}

/// Index of the vocabulary shard for a term's first character.
pub(crate) fn vocab_shard_for(shards: &[String], first: char) -> Option<usize> {
    shards.iter().position(|chars| chars.contains(first))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The writer's symbols are its bits taken six at a time, most significant first (a
    /// bit-by-bit writer, the first version's, gives the same string).
    #[test]
    fn bit_writer_writes_exp_golomb_codes_six_bits_a_symbol() {
        fn by_bits(codes: &[(u32, u32)]) -> String {
            let mut bits: Vec<u8> = Vec::new();
            for &(v, k) in codes {
                let q = (u64::from(v) >> k) + 1;
                let n = 64 - q.leading_zeros();
                bits.extend(std::iter::repeat_n(0, n as usize - 1));
                bits.extend((0..n).rev().map(|i| ((q >> i) & 1) as u8));
                bits.extend((0..k).rev().map(|i| ((v >> i) & 1) as u8));
            }
            while bits.len() % 6 != 0 {
                bits.push(0);
            }
            bits.chunks(6)
                .map(|c| ALPHABET[c.iter().fold(0, |a, &b| (a << 1) | b as usize)] as char)
                .collect()
        }
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut codes = vec![
            (0, 0),
            (u32::MAX, 0),
            (u32::MAX, 6),
            (1, 5),
            (63, 6),
            (64, 6),
        ];
        for _ in 0..5_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let v = (x >> 8) as u32 >> (x % 32);
            codes.push((v, (x % 7) as u32));
        }
        for len in [0, 1, 2, 3, 7, codes.len()] {
            let mut w = BitWriter::default();
            for &(v, k) in &codes[..len] {
                w.eg(v, k);
            }
            assert_eq!(w.finish(), by_bits(&codes[..len]), "{len} codes");
        }
    }

    #[test]
    fn varint_round_trip() {
        let mut s = String::new();
        let vals = [0, 1, 31, 32, 33, 1023, 1024, 65535, 1 << 20, u32::MAX];
        for v in vals {
            push_varint(&mut s, v);
        }
        let mut pos = 0;
        for v in vals {
            assert_eq!(read_varint(s.as_bytes(), &mut pos), v);
        }
        assert_eq!(pos, s.len());
        assert!(!s.contains('"') && !s.contains('\\'));
    }

    #[test]
    fn postings_round_trip() {
        let p = vec![
            Posting {
                doc: 0,
                impact: 63,
                section: 0,
            },
            Posting {
                doc: 1,
                impact: 1,
                section: 40,
            },
            Posting {
                doc: 9000,
                impact: 17,
                section: 3,
            },
        ];
        let mut s = String::new();
        encode_postings(&mut s, &p);
        assert_eq!(decode_postings(&s), p);
        let mut d = String::new();
        encode_docs(&mut d, &[0, 1, 2, 500]);
        assert_eq!(d, "000nF");
        assert_eq!(decode_docs(&d), [0, 1, 2, 500]);
    }

    #[test]
    fn sections_store_anchors_only_when_needed() {
        assert_eq!(record_section(None, ""), Vec::<String>::new());
        assert_eq!(
            record_section(Some("step-2"), "Step 2: brainstorm"),
            ["step-2", "Step 2: brainstorm"]
        );
        assert_eq!(
            record_section(Some("step-2-brainstorm"), "Step 2: brainstorm"),
            ["Step 2: brainstorm"]
        );
        assert_eq!(
            record_section(Some("hawaiʻi"), "Hawaiʻi"),
            ["hawaiʻi", "Hawaiʻi"]
        );
        let r = DocRecord {
            url: "/x/".into(),
            title: "X".into(),
            date: String::new(),
            summary: String::new(),
            sections: vec![
                vec![],
                vec!["A  _b-- C!".into()],
                vec!["z".into(), "Y".into()],
            ],
        };
        assert_eq!(r.section(0), (String::new(), String::new()));
        assert_eq!(r.section(1).0, "a-b-c");
        assert_eq!(r.section(2), ("z".to_string(), "Y".to_string()));
        assert_eq!(r.section(9), (String::new(), String::new()));
    }

    #[test]
    fn shard_lookup() {
        let shards = vec!["".to_string(), "h".to_string(), "p".to_string()];
        assert_eq!(term_shard_for(&shards, "abc"), 0);
        assert_eq!(term_shard_for(&shards, "h"), 1);
        assert_eq!(term_shard_for(&shards, "partner"), 2);
        assert_eq!(term_shard_for(&shards, "zz"), 2);
    }
}
