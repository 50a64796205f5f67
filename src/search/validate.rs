//! The search index is untrusted input to `lmp search`: anyone (or a half-copied deploy) may have
//! changed the files in `public/`. This module checks what the query engine relies on before it
//! is used, so that a corrupt index is an error naming the file and what is wrong, never a panic
//! or a read outside the output folder:
//!
//! - the manifest: format and version, at most [`MAX_DOCS`] documents, `dir` a plain folder name inside `search/index/`,
//!   `docShardSize` ≥ 1, `impacts` non-empty, collection ranges with `start ≤ end ≤ docs`, facet
//!   files plain file names inside `dir`;
//! - postings and document lists (checked as they are decoded): complete varints that fit in
//!   32 bits, document numbers below `docs`, impact symbols with an entry in `impacts`.

use std::path::{Component, Path};

use anyhow::{Result, bail};

use super::format::{self, Manifest, Posting};

/// The most documents an index may claim: the engine allocates a few bytes per document per
/// query, so a corrupt `docs` must not make it allocate gigabytes.
pub(crate) const MAX_DOCS: u32 = 10_000_000;

/// A corrupt index file: `PATH: search index is corrupt: WHAT; rebuild it with `lmp build``.
pub(crate) fn corrupt(path: &Path, what: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!(
        "{}: the search index is corrupt: {what}; rebuild the site with `lmp build`",
        crate::diagnostics::escape_controls(&path.display().to_string())
    )
}

/// Whether `name` is one plain path component (no `/`, `\`, `.`, `..`, root or drive).
fn plain_name(name: &str) -> bool {
    let mut parts = Path::new(name).components();
    matches!(parts.next(), Some(Component::Normal(_)))
        && parts.next().is_none()
        && !name.contains(['/', '\\', '\0'])
}

/// Check a manifest read from `path` (`public/search/index/manifest.json`).
pub(crate) fn manifest(m: &Manifest, path: &Path) -> Result<()> {
    if m.format != "lmp-search" || m.version != format::VERSION {
        bail!(
            "{}: search index format {} v{} is not supported (expected lmp-search v{}); rebuild \
             the site with `lmp build`",
            path.display(),
            crate::diagnostics::escape_controls(&m.format),
            m.version,
            format::VERSION
        );
    }
    if !plain_name(&m.dir) {
        return Err(corrupt(
            path,
            format!(
                "`dir` is `{}`, which is not a folder name inside search/index/",
                crate::diagnostics::escape_controls(&m.dir)
            ),
        ));
    }
    if m.docs > MAX_DOCS {
        return Err(corrupt(
            path,
            format!("`docs` is {}, more than lmp indexes ({MAX_DOCS})", m.docs),
        ));
    }
    if m.doc_shard_size == 0 {
        return Err(corrupt(path, "`docShardSize` is 0 (it must be at least 1)"));
    }
    if m.impacts.is_empty() {
        return Err(corrupt(path, "`impacts` is empty"));
    }
    for c in &m.collections {
        if c.start > c.end || c.end > m.docs {
            return Err(corrupt(
                path,
                format!(
                    "collection `{}` covers documents {}..{}, outside 0..{} or backwards",
                    crate::diagnostics::escape_controls(&c.slug),
                    c.start,
                    c.end,
                    m.docs
                ),
            ));
        }
    }
    for (name, f) in &m.facets {
        if !plain_name(&f.file) {
            return Err(corrupt(
                path,
                format!(
                    "the file of facet `{}` is `{}`, which is not a file name",
                    crate::diagnostics::escape_controls(name),
                    crate::diagnostics::escape_controls(&f.file)
                ),
            ));
        }
    }
    Ok(())
}

/// Check that the index folder `root` is inside the output folder `public_dir` once links are
/// resolved (a symlinked `search/index/<dir>` must not lead elsewhere).
pub(crate) fn inside(root: &Path, public_dir: &Path, manifest: &Path) -> Result<()> {
    let (Ok(r), Ok(p)) = (root.canonicalize(), public_dir.canonicalize()) else {
        // A missing folder: the first index file read names it.
        return Ok(());
    };
    if r.starts_with(&p) {
        Ok(())
    } else {
        Err(corrupt(
            manifest,
            format!(
                "its files are in {}, outside the output folder",
                crate::diagnostics::escape_controls(&r.display().to_string())
            ),
        ))
    }
}

/// One varint at `pos`; `None` when it is cut off or does not fit in 32 bits.
fn varint(s: &[u8], pos: &mut usize) -> Option<u32> {
    let mut v = 0u64;
    let mut shift = 0u32;
    loop {
        let d = format::sym_value(*s.get(*pos)?);
        *pos += 1;
        if d < 32 {
            v |= u64::from(d) << shift;
            return u32::try_from(v).ok();
        }
        v |= u64::from(d - 32) << shift;
        shift += 5;
        if shift > 32 {
            return None;
        }
    }
}

/// The next document number after `prev` from a gap; `None` beyond `docs`.
fn next_doc(prev: i64, gap: u32, docs: u32) -> Option<u32> {
    let d = prev + 1 + i64::from(gap);
    u32::try_from(d).ok().filter(|&d| d < docs)
}

/// Decode postings (see [`format::encode_postings`]), checking every value; `file` names the
/// term shard in the error.
pub(crate) fn postings(s: &str, m: &Manifest, file: &Path) -> Result<Vec<Posting>> {
    let b = s.as_bytes();
    let mut pos = 0;
    let mut prev: i64 = -1;
    let mut out = Vec::new();
    let bad = |what: &str| corrupt(file, format!("a posting list {what}"));
    while pos < b.len() {
        let gap = varint(b, &mut pos).ok_or_else(|| bad("is cut off"))?;
        let doc = next_doc(prev, gap, m.docs)
            .ok_or_else(|| bad(&format!("names a document beyond the {} there are", m.docs)))?;
        let impact = b
            .get(pos)
            .map(|&c| format::sym_value(c))
            .ok_or_else(|| bad("is cut off"))?;
        pos += 1;
        if impact as usize >= m.impacts.len() {
            return Err(bad(&format!("has impact {impact}, beyond `impacts`")));
        }
        let section = varint(b, &mut pos).ok_or_else(|| bad("is cut off"))?;
        out.push(Posting {
            doc,
            // < impacts.len() was checked; impacts are 6-bit symbols (0–63).
            impact: impact as u8,
            section,
        });
        prev = i64::from(doc);
    }
    Ok(out)
}

/// Reads the bit strings of positions shards (see [`format::pack_positions`]).
struct Bits<'a> {
    s: &'a [u8],
    /// Bits read so far.
    at: usize,
}

impl Bits<'_> {
    fn left(&self) -> usize {
        (self.s.len() * 6).saturating_sub(self.at)
    }

    /// The next bit; `None` past the end or on a byte outside the alphabet.
    fn bit(&mut self) -> Option<u64> {
        let c = *self.s.get(self.at / 6)?;
        if !format::ALPHABET.contains(&c) {
            return None;
        }
        let v = format::sym_value(c);
        let b = (v >> (5 - self.at % 6)) & 1;
        self.at += 1;
        Some(u64::from(b))
    }

    /// An Exp-Golomb code of order `k` that fits in 32 bits.
    fn eg(&mut self, k: u32) -> Option<u32> {
        let mut zeros = 0;
        while self.bit()? == 0 {
            zeros += 1;
            if zeros > 32 {
                return None;
            }
        }
        let mut q = 1u64;
        for _ in 0..zeros {
            q = (q << 1) | self.bit()?;
        }
        let mut v = q - 1;
        for _ in 0..k {
            v = (v << 1) | self.bit()?;
        }
        u32::try_from(v).ok()
    }
}

/// Decode the positions of a term in `p{i}.json` (see [`format::PosShard`]), checking every
/// value: `(document, positions)` sorted by document, positions increasing.
pub(crate) fn positions(s: &str, m: &Manifest, file: &Path) -> Result<Vec<(u32, Vec<u32>)>> {
    let mut b = Bits {
        s: s.as_bytes(),
        at: 0,
    };
    let mut prev: i64 = -1;
    let mut out = Vec::new();
    let cut = || corrupt(file, "a position list is cut off");
    // Fewer than 6 bits left: the padding of the last symbol.
    while b.left() >= 6 {
        let gap = b.eg(0).ok_or_else(cut)?;
        let doc = next_doc(prev, gap, m.docs).ok_or_else(|| {
            corrupt(
                file,
                format!(
                    "a position list names a document beyond the {} there are",
                    m.docs
                ),
            )
        })?;
        let count = u64::from(b.eg(0).ok_or_else(cut)?) + 1;
        // Each position takes at least 6 bits: a count beyond the rest is corrupt.
        if count > (b.left() / 6) as u64 {
            return Err(cut());
        }
        let mut ps = Vec::with_capacity(count as usize);
        let mut last: i64 = -1;
        for i in 0..count {
            let k = if i == 0 {
                format::POS_K_FIRST
            } else {
                format::POS_K_GAP
            };
            let p = last + 1 + i64::from(b.eg(k).ok_or_else(cut)?);
            let p = u32::try_from(p)
                .map_err(|_| corrupt(file, "a position does not fit in 32 bits"))?;
            ps.push(p);
            last = i64::from(p);
        }
        out.push((doc, ps));
        prev = i64::from(doc);
    }
    Ok(out)
}

/// Decode a document list (see [`format::encode_docs`]), checking every value.
pub(crate) fn docs(s: &str, m: &Manifest, file: &Path) -> Result<Vec<u32>> {
    let b = s.as_bytes();
    let mut pos = 0;
    let mut prev: i64 = -1;
    let mut out = Vec::new();
    while pos < b.len() {
        let gap = varint(b, &mut pos).ok_or_else(|| corrupt(file, "a document list is cut off"))?;
        let d = next_doc(prev, gap, m.docs).ok_or_else(|| {
            corrupt(
                file,
                format!(
                    "a document list names a document beyond the {} there are",
                    m.docs
                ),
            )
        })?;
        out.push(d);
        prev = i64::from(d);
    }
    Ok(out)
}

#[cfg(test)]
/// Decode and check a tiered term's facet counts (`c{i}.json`, see `format::push_count`): one
/// complete varint per facet value (`value_docs`: each value's documents, in the manifest's
/// order), each count between 0 and the value's documents. `df`: the term's documents.
pub(crate) fn counts(
    s: &str,
    df: u32,
    value_docs: &[u32],
    m: &Manifest,
    file: &Path,
) -> Result<Vec<u32>> {
    let b = s.as_bytes();
    let mut pos = 0;
    let mut out = Vec::with_capacity(value_docs.len());
    while pos < b.len() {
        let z = varint(b, &mut pos).ok_or_else(|| corrupt(file, "a facet count is cut off"))?;
        let cv = value_docs.get(out.len()).copied().unwrap_or(0);
        let e = i64::from(format::expected_count(df, cv, m.docs));
        let d = i64::from(z / 2);
        let c = if z % 2 == 0 { e + d } else { e - d - 1 };
        if c < 0 || c > i64::from(cv) {
            return Err(corrupt(
                file,
                format!("a facet count is {c}, outside 0 to the value's {cv} documents"),
            ));
        }
        out.push(c as u32);
    }
    if out.len() != value_docs.len() {
        return Err(corrupt(
            file,
            format!(
                "a term has {} facet counts for the manifest's {} facet values",
                out.len(),
                value_docs.len()
            ),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::format::{CollectionRange, Posting, Weights};

    fn m() -> Manifest {
        Manifest {
            lang: "en".into(),
            stemmer: "english".into(),
            languages: Vec::new(),
            format: "lmp-search".into(),
            version: format::VERSION,
            dir: "abc123".into(),
            docs: 10,
            stop_words: Vec::new(),
            impacts: (0..64).collect(),
            weights: Weights {
                exact: 1,
                prefix: 1,
                typo1: 1,
                typo2: 1,
            },
            max_prefix_terms: 1,
            max_typo_terms: 1,
            typo2_min_len: 1,
            term_shards: vec![String::new()],
            doc_shard_size: 5,
            pos_files: 0,
            pos_block_docs: 4096,
            synonyms: Vec::new(),
            vocab_shards: Vec::new(),
            collections: vec![CollectionRange {
                slug: "stories".into(),
                label: "Stories".into(),
                start: 0,
                end: 10,
            }],
            facets: Default::default(),
            dates: Default::default(),
        }
    }

    fn err(m: &Manifest) -> String {
        manifest(m, Path::new("public/search/index/manifest.json"))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn a_good_manifest_passes() {
        manifest(&m(), Path::new("x")).unwrap();
    }

    #[test]
    fn corrupt_manifests_are_named_errors() {
        let mut x = m();
        x.doc_shard_size = 0;
        assert!(err(&x).contains("`docShardSize` is 0"), "{}", err(&x));
        assert!(err(&x).starts_with("public/search/index/manifest.json: "));
        let mut x = m();
        x.impacts.clear();
        assert!(err(&x).contains("`impacts` is empty"));
        let mut x = m();
        x.collections[0].start = 7;
        x.collections[0].end = 3;
        assert!(err(&x).contains("collection `stories` covers documents 7..3"));
        let mut x = m();
        x.collections[0].end = 11;
        assert!(err(&x).contains("outside 0..10"));
        for dir in ["../../..", "..", ".", "", "/etc", "a/b", "a\\b", "a\0"] {
            let mut x = m();
            x.dir = dir.into();
            assert!(err(&x).contains("`dir` is"), "{dir}: {}", err(&x));
        }
        let mut x = m();
        x.docs = u32::MAX;
        assert!(err(&x).contains("more than lmp indexes"));
        let mut x = m();
        x.version = 99;
        assert!(err(&x).contains("not supported"));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_index_folder_must_stay_inside_the_output() {
        let tmp = tempfile::tempdir().unwrap();
        let public = tmp.path().join("public");
        let index = public.join("search/index");
        crate::fsx::create_dir_all(&index.join("real")).unwrap();
        crate::fsx::create_dir_all(&tmp.path().join("elsewhere")).unwrap();
        crate::fsx::symlink(&tmp.path().join("elsewhere"), &index.join("link")).unwrap();
        let mf = index.join("manifest.json");
        inside(&index.join("real"), &public, &mf).unwrap();
        let e = inside(&index.join("link"), &public, &mf).unwrap_err();
        assert!(e.to_string().contains("outside the output folder"), "{e}");
    }

    #[test]
    fn positions_round_trip_and_are_checked() {
        let f = Path::new("p0.json");
        let mut s = String::new();
        format::encode_positions(&mut s, -1, 2, &[0, 5, 40]);
        format::encode_positions(&mut s, 2, 9, &[1000]);
        let s = format::pack_positions(&s);
        assert_eq!(
            positions(&s, &m(), f).unwrap(),
            [(2, vec![0, 5, 40]), (9, vec![1000])]
        );
        // Cut off inside the positions, a count beyond the rest, a document beyond `docs`.
        let e = positions(&s[..s.len() - 1], &m(), f)
            .unwrap_err()
            .to_string();
        assert!(e.contains("p0.json: the search index is corrupt: a position list is cut off"));
        assert!(positions("0_0", &m(), f).is_err());
        assert!(positions("00000000", &m(), f).is_err());
        assert!(positions("z\"z", &m(), f).is_err());
        // Cut off anywhere: an error or fewer documents, never a panic.
        for end in 0..s.len() {
            if let Ok(got) = positions(&s[..end], &m(), f) {
                assert!(got.len() < 2 || got[1].1 != [1000], "{end}");
            }
        }
        let mut far = String::new();
        format::encode_positions(&mut far, -1, 10, &[0]);
        let far = format::pack_positions(&far);
        let e = positions(&far, &m(), f).unwrap_err().to_string();
        assert!(e.contains("beyond the 10 there are"), "{e}");
    }

    #[test]
    fn facet_counts_round_trip_and_are_checked() {
        let f = Path::new("c0.json");
        // 10 documents; a term in 6; values of 10, 4 and 3 documents (expected 6, 2, 1).
        let (df, cvs) = (6, [10, 4, 3]);
        for want in [[6, 2, 1], [6, 0, 3], [6, 4, 0]] {
            let mut s = String::new();
            for (c, cv) in want.iter().zip(cvs) {
                format::push_count(&mut s, *c, df, cv, 10);
            }
            assert_eq!(counts(&s, df, &cvs, &m(), f).unwrap(), want);
            // Cut short, or one value too many: an error naming the file, never a panic.
            let e = counts(&s[..s.len() - 1], df, &cvs, &m(), f).unwrap_err();
            assert!(e.to_string().starts_with("c0.json: the search index is corrupt: a term has 2 facet counts for the manifest's 3"), "{e}");
            assert!(counts(&format!("{s}0"), df, &cvs, &m(), f).is_err());
        }
        // A count below 0 or above the value's documents; a varint cut off.
        let e = counts("0_1", 6, &cvs, &m(), f).unwrap_err().to_string();
        assert!(e.contains("outside 0 to the value's 4 documents"), "{e}");
        assert!(counts("0C1", 6, &cvs, &m(), f).is_err());
        assert!(
            counts("0z", 6, &cvs, &m(), f)
                .unwrap_err()
                .to_string()
                .contains("cut off")
        );
    }

    #[test]
    fn postings_are_checked_as_they_are_decoded() {
        let f = Path::new("t0.json");
        let mut s = String::new();
        let p = [
            Posting {
                doc: 2,
                impact: 5,
                section: 40,
            },
            Posting {
                doc: 9,
                impact: 63,
                section: 0,
            },
        ];
        format::encode_postings(&mut s, &p);
        assert_eq!(postings(&s, &m(), f).unwrap(), p);
        // Cut off anywhere: an error, never a panic.
        for end in 1..s.len() {
            if let Ok(got) = postings(&s[..end], &m(), f) {
                assert!(got.len() < 2);
            }
        }
        let e = postings("z", &m(), f).unwrap_err().to_string();
        assert!(e.starts_with("t0.json: the search index is corrupt: a posting list is cut off"));
        // Too many continuation symbols: does not fit in 32 bits.
        assert!(postings("zzzzzzzzzzzz0", &m(), f).is_err());
        // A document beyond `docs`.
        let mut few = m();
        few.docs = 5;
        assert!(
            postings(&s, &few, f)
                .unwrap_err()
                .to_string()
                .contains("beyond the 5")
        );
        // An impact without points.
        let mut short = m();
        short.impacts.truncate(10);
        assert!(
            postings(&s, &short, f)
                .unwrap_err()
                .to_string()
                .contains("impact 63")
        );
        let mut d = String::new();
        format::encode_docs(&mut d, &[0, 3, 9]);
        assert_eq!(docs(&d, &m(), f).unwrap(), [0, 3, 9]);
        assert!(docs(&d, &few, f).is_err());
        assert!(docs("z", &m(), f).is_err());
    }
}
