//! The output link check's reuse across builds (`serve`): each page's [`PageRecord`] by the
//! digest and size of the bytes it was taken from, and each page's result by the digest of its
//! links and the output paths (and their ids) it depended on. The check itself
//! ([`crate::linkcheck`]) is a function of the records and the files; this module decides what of
//! the last check still holds.
//!
//! What it keeps is sized for 100,000 documents (issue 15: the link check was `serve`'s peak):
//! pages are known by a 64-bit digest of their output path, never by a copy of it; each page's
//! dependencies are positions in the sorted list of the check's output paths, delta-coded
//! ([`Deps`]); results without a problem are one shared value.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock};

use rayon::prelude::*;

use crate::linkcheck::{self, PageRecord, PageResult, Records, Site, is_checked};

/// Records of `files` (in memory) and `held` (pages `lmp serve` keeps on disk, see
/// [`crate::fsx::spill::Held`]), with `fresh` (records taken as pages were made: written to a
/// sink or kept on disk). A page reuses the record `last` took of the same content (xxh3-128
/// digest and size; QA Q119: not the same object); the memo for the next rebuild only when
/// `keep` (it then also carries `last`'s check results to the check).
pub(super) fn records<'f>(
    files: impl IntoParallelIterator<Item = (&'f String, &'f crate::fsx::Bytes)>,
    held: Vec<(&'f String, &'f Arc<crate::fsx::OnDisk>)>,
    mut fresh: Records,
    last: Option<&OutputLinks>,
    keep: bool,
) -> (Records, OutputLinks) {
    let out: Vec<(&'f String, Made, Arc<PageRecord>)> = files
        .into_par_iter()
        .filter(|(p, _)| is_checked(p))
        .map(|(p, b)| {
            // Only a memo is compared with: a one-off build hashes nothing.
            let made = match last.is_some() || keep {
                true => (xxhash_rust::xxh3::xxh3_128(b), b.len() as u64),
                false => (0, 0),
            };
            let rec = match last.and_then(|m| m.get(p)) {
                Some((was, r)) if *was == made => r.clone(),
                _ => Arc::new(PageRecord::of(b)),
            };
            (p, made, rec)
        })
        .collect();
    // (path, what the record was taken from, the record, what the memo keeps of it).
    type OnDisk<'p> = (&'p String, Made, Arc<PageRecord>, Option<Arc<PageRecord>>);
    let on_disk: Vec<OnDisk<'f>> = held
        .into_par_iter()
        .filter(|(p, _)| is_checked(p))
        .map(|(p, d)| {
            let rec = match (fresh.get(p), last.and_then(|m| m.get(p))) {
                (Some(r), _) => r.clone(),
                (None, Some((was, r))) if *was == (d.digest, d.size) => r.clone(),
                // Not seen before (a page kept by an earlier memo): read back.
                _ => Arc::new(PageRecord::of(&d.read().unwrap_or_else(|e| {
                    log::error!("error: the link check of /{p}: {e:#}");
                    Vec::new()
                }))),
            };
            // The memo keeps the record with its URLs left in the page (issue 15), which the
            // page's `OnDisk` keeps on disk for as long as the record lives; its ids are the
            // same value as the record's, not a copy.
            let kept = (keep && rec.has_links()).then(|| Arc::new(rec.in_page(d.clone())));
            (p, (d.digest, d.size), rec, kept)
        })
        .collect();
    let mut records = Records::new();
    let mut memo = OutputLinks::default();
    if keep {
        memo.records.reserve(out.len() + on_disk.len());
        if let Some(last) = last {
            *memo.checks.lock().unwrap_or_else(|e| e.into_inner()) =
                last.checks.lock().unwrap_or_else(|e| e.into_inner()).take();
        }
    }
    let out = out.into_iter().map(|(p, b, r)| (p, b, r, None));
    for (p, b, r, kept) in out.chain(on_disk) {
        // The path the fresh record came with, not a copy of it.
        let key = fresh.remove_entry(p).map_or_else(|| p.clone(), |(k, _)| k);
        if keep {
            memo.records
                .insert(path_key(p), (b, kept.unwrap_or_else(|| r.clone())));
        }
        records.insert(key, r);
    }
    // The pages written to a sink (`lmp build`): their records alone.
    records.extend(fresh);
    (records, memo)
}

/// What a page's record was taken from: the xxh3-128 digest and the size of its bytes.
pub(crate) type Made = (u128, u64);

/// What the link check keeps from one build for the next (in `serve`): the records with the
/// digest of the bytes they were taken from, and what the check found on each page.
#[derive(Default)]
pub(super) struct OutputLinks {
    /// By [`path_key`] of the output path: a page found under another page's key (a 64-bit
    /// collision) has another digest of its bytes, so its record is taken again.
    records: HashMap<u64, (Made, Arc<PageRecord>)>,
    /// Filled by [`OutputLinks::check_pages`]; taken over by the next build's memo in
    /// [`records`].
    checks: std::sync::Mutex<Option<Checks>>,
}

impl OutputLinks {
    /// About how many bytes the pages' records take (for `lmp -vv serve`'s account of its
    /// memory).
    pub(super) fn bytes(&self) -> usize {
        self.records.values().map(|(_, r)| 64 + r.bytes()).sum()
    }

    fn get(&self, page: &str) -> Option<&(Made, Arc<PageRecord>)> {
        self.records.get(&path_key(page))
    }

    /// After a body-only edit, the pages made again (output path, what their record was taken
    /// from, the record): when each has the same links and ids as in the last check, found no
    /// problem there and has no duplicate id, the last check's results hold for the whole build
    /// (the set of output files is the same, so no other page's result can change): their
    /// records are kept and `true` returned. Otherwise nothing changes and the build checks
    /// every page ([`OutputLinks::check_pages`] re-checks only what changed).
    pub(super) fn same_links(&mut self, pages: Vec<(String, Made, Arc<PageRecord>)>) -> bool {
        let checks = self.checks.get_mut().unwrap_or_else(|e| e.into_inner());
        let Some(c) = checks.as_ref() else {
            return false;
        };
        let same = pages.iter().all(|(p, _, new)| {
            let (Some((_, old)), Some(checked)) = (self.records.get(&path_key(p)), c.page(p))
            else {
                return false;
            };
            old.links_digest() == new.links_digest()
                && old.ids_digest() == new.ids_digest()
                && checked.links_digest == new.links_digest()
                && checked.result.0.is_empty()
                && !old.has_dup_ids()
                && !new.has_dup_ids()
        });
        if same {
            for (p, made, r) in pages {
                self.records.insert(path_key(&p), (made, r));
            }
        }
        same
    }

    /// For a build that made every page again (not after a body-only edit): the pages whose
    /// bytes differ from those the last check read (output path, what the record is taken
    /// from, the record), for [`OutputLinks::same_links`]. `None` when the build's output paths
    /// are not exactly the last check's (a file appeared or went: every page is checked) or a
    /// page's bytes cannot be read. `in_memory`: whether a file's bytes are its bytes (not a stand-in
    /// for a file written elsewhere).
    pub(super) fn changed_pages(
        &self,
        (files, disk): (&crate::fsx::Files, &crate::fsx::Disk),
        streamed: &Records,
        in_memory: &(dyn Fn(&crate::fsx::Bytes) -> bool + Sync),
    ) -> Option<Vec<(String, Made, Arc<PageRecord>)>> {
        {
            let checks = self.checks.lock().unwrap_or_else(|e| e.into_inner());
            let c = checks.as_ref()?;
            if c.files.len() != files.len()
                || !files
                    .keys()
                    .all(|p| c.files.binary_search(&path_key(p)).is_ok())
            {
                return None;
            }
        }
        let same = |p: &str, made: Made| self.get(p).is_some_and(|(m, _)| *m == made);
        files
            .par_iter()
            .filter(|(p, _)| is_checked(p))
            .filter_map(|(p, b)| {
                let (made, rec) = match disk.get(p) {
                    Some(d) => {
                        let made = (d.digest, d.size);
                        if same(p, made) {
                            return None;
                        }
                        let rec = match streamed.get(p) {
                            Some(r) => r.clone(),
                            None => match d.read() {
                                Ok(bytes) => Arc::new(PageRecord::of(&bytes)),
                                Err(_) => return Some(None),
                            },
                        };
                        (made, rec)
                    }
                    None if in_memory(b) => {
                        let made = (xxhash_rust::xxh3::xxh3_128(b), b.len() as u64);
                        if same(p, made) {
                            return None;
                        }
                        (made, Arc::new(PageRecord::of(b)))
                    }
                    // Written somewhere this memo cannot read back.
                    None => return Some(None),
                };
                Some(Some((p.clone(), made, rec)))
            })
            .collect()
    }

    /// Whether the last check found nothing on `page` (a page it did not check counts as not).
    pub(super) fn clean(&self, page: &str) -> bool {
        let checks = self.checks.lock().unwrap_or_else(|e| e.into_inner());
        checks
            .as_ref()
            .and_then(|c| c.page(page))
            .is_some_and(|c| c.result.0.is_empty())
    }

    /// How many pages the last check checked again (the others' results were reused).
    #[cfg(test)]
    pub(super) fn rechecked(&self) -> Option<usize> {
        let c = self.checks.lock().unwrap_or_else(|e| e.into_inner());
        c.as_ref().map(|c| c.rechecked)
    }
}

/// The results of a check per page, with what each depended on, so that the next check re-runs
/// only the pages whose links changed or whose targets (a file that appeared or went away, a
/// page whose ids changed) did. Paths are kept as 64-bit digests ([`path_key`]).
struct Checks {
    /// The base URL and path the links were resolved against.
    base: (String, String),
    /// Every output path, sorted (each once): what [`Deps`] count in.
    files: Box<[u64]>,
    /// Output path → digest of its page's ids.
    ids: HashMap<u64, u64>,
    /// Each page's check, sorted by path; a path whose digest another page shares is left out
    /// (both are checked again next time).
    pages: Box<[(u64, Checked)]>,
    /// How many pages this check checked again (for tests).
    #[cfg_attr(not(test), allow(dead_code))]
    rechecked: usize,
}

impl Checks {
    fn page(&self, page: &str) -> Option<&Checked> {
        let key = path_key(page);
        self.pages
            .binary_search_by_key(&key, |(k, _)| *k)
            .ok()
            .and_then(|i| self.pages.get(i))
            .map(|(_, c)| c)
    }
}

/// A page's check: the digest of its links, the output paths the result depends on, the result.
struct Checked {
    links_digest: u64,
    deps: Deps,
    result: Arc<PageResult>,
}

/// The output paths a page's result depends on (each link's target, and where a link to a
/// missing file was looked for), in one allocation: the positions of those that were output
/// files in the check's sorted `files`, as LEB128 deltas (about 2 bytes each, against 8 for a
/// digest: ~45 a page were 41 MB at 100,000 documents), then the digests of those that were not
/// (a broken link's target: almost always none).
#[derive(Clone, Default)]
struct Deps(Box<[u8]>);

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(bytes: &[u8], at: &mut usize) -> u64 {
    let mut v = 0u64;
    let mut shift = 0;
    while let Some(&b) = bytes.get(*at) {
        *at += 1;
        if shift < 64 {
            v |= u64::from(b & 0x7f) << shift;
        }
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    v
}

impl Deps {
    /// `present`: positions in the check's files, `absent`: digests of paths not among them;
    /// both sorted, each once.
    fn new(present: &[u32], absent: &[u64]) -> Deps {
        let mut out = Vec::with_capacity(present.len() * 2 + absent.len() * 8 + 2);
        put_varint(&mut out, present.len() as u64);
        let mut prev = 0u32;
        for &i in present {
            put_varint(&mut out, u64::from(i - prev));
            prev = i;
        }
        put_varint(&mut out, absent.len() as u64);
        for &k in absent {
            out.extend_from_slice(&k.to_le_bytes());
        }
        Deps(out.into_boxed_slice())
    }

    /// The positions in the check's files, and the digests of the paths that were not files.
    fn parts(&self) -> (Vec<u32>, Vec<u64>) {
        let b = &self.0;
        let mut at = 0;
        let n = get_varint(b, &mut at) as usize;
        let mut present = Vec::with_capacity(n.min(b.len()));
        let mut prev = 0u32;
        for _ in 0..n {
            prev = prev.wrapping_add(get_varint(b, &mut at) as u32);
            present.push(prev);
        }
        let m = get_varint(b, &mut at) as usize;
        let absent = (0..m)
            .map_while(|_| {
                let k = b.get(at..at + 8)?;
                at += 8;
                Some(u64::from_le_bytes(k.try_into().ok()?))
            })
            .collect();
        (present, absent)
    }

    /// Whether one of the paths is among those that changed: `files` by position in the
    /// check's files (a bit set), `keys` by digest.
    fn any(&self, files: &[u64], keys: &HashSet<u64>) -> bool {
        // Read in place (every page's, at every rebuild that checks pages): no allocation.
        let b = &self.0;
        let mut at = 0;
        let n = get_varint(b, &mut at);
        let mut i = 0u32;
        for _ in 0..n {
            i = i.wrapping_add(get_varint(b, &mut at) as u32);
            if files
                .get(i as usize / 64)
                .is_some_and(|w| w >> (i % 64) & 1 == 1)
            {
                return true;
            }
        }
        let m = get_varint(b, &mut at);
        (0..m).any(|j| {
            let from = at + 8 * j as usize;
            b.get(from..from + 8)
                .and_then(|k| k.try_into().ok())
                .is_some_and(|k: [u8; 8]| keys.contains(&u64::from_le_bytes(k)))
        })
    }

    /// The same paths counted in another check's files (`map`: old position → new one; every
    /// path of a kept result is still a file, else it would have changed).
    fn remap(&self, map: &[u32]) -> Deps {
        let (present, absent) = self.parts();
        let mut moved: Vec<u32> = present
            .iter()
            .filter_map(|&i| map.get(i as usize).copied().filter(|&j| j != u32::MAX))
            .collect();
        moved.sort_unstable();
        Deps::new(&moved, &absent)
    }
}

fn path_key(path: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(path.as_bytes())
}

/// The result of every page without a problem (nearly all of them): one value, not one each.
static CLEAN: LazyLock<Arc<PageResult>> = LazyLock::new(|| Arc::new((Vec::new(), Vec::new())));

/// The keys in one of two sorted lists and not the other.
fn sorted_difference(a: &[u64], b: &[u64], out: &mut Vec<u64>) {
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x == y => {
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x < y => {
                out.push(*x);
                i += 1;
            }
            (Some(_), Some(y)) => {
                out.push(*y);
                j += 1;
            }
            (Some(x), None) => {
                out.push(*x);
                i += 1;
            }
            (None, Some(y)) => {
                out.push(*y);
                j += 1;
            }
            (None, None) => break,
        }
    }
}

/// Every page's result, in page order: checked again ([`linkcheck::check_page`]), or the last
/// check's when its links are the same (by digest) and none of the output paths it depended on
/// appeared, went or changed its ids. Records the results for the next check. The outbound
/// links are not kept: `serve` never checks them.
fn check_pages(memo: &OutputLinks, site: &Site<'_>) -> Vec<Arc<PageResult>> {
    let base = (site.base_url.to_string(), site.base_path.to_string());
    let mut files: Vec<u64> = site.files.par_iter().map(|f| path_key(f)).collect();
    files.par_sort_unstable();
    files.dedup();
    let ids: HashMap<u64, u64> = site
        .records
        .par_iter()
        .map(|(p, r)| (path_key(p), r.ids_digest()))
        .collect();
    let mut slot = memo.checks.lock().unwrap_or_else(|e| e.into_inner());
    let last = slot.take().filter(|c| c.base == base);
    // Output paths whose existence or ids differ from the last check: by digest, and as a bit
    // set over the last check's files (what its `Deps` count in).
    let (changed, bits, remap) = match &last {
        Some(c) => {
            let mut keys = Vec::new();
            sorted_difference(&c.files, &files, &mut keys);
            keys.extend(
                ids.iter()
                    .filter(|(k, d)| c.ids.get(k) != Some(d))
                    .map(|(k, _)| *k),
            );
            keys.extend(c.ids.keys().filter(|k| !ids.contains_key(k)).copied());
            let mut bits = vec![0u64; c.files.len().div_ceil(64)];
            for k in &keys {
                if let Ok(i) = c.files.binary_search(k) {
                    bits[i / 64] |= 1 << (i % 64);
                }
            }
            // A kept result's positions, counted in this check's files when they differ.
            let remap = (*c.files != *files).then(|| {
                c.files
                    .iter()
                    .map(|k| {
                        files
                            .binary_search(k)
                            .map_or(u32::MAX, |j| u32::try_from(j).unwrap_or(u32::MAX))
                    })
                    .collect::<Vec<u32>>()
            });
            (keys.into_iter().collect::<HashSet<u64>>(), bits, remap)
        }
        None => (HashSet::new(), Vec::new(), None),
    };
    let out: Vec<(u64, Checked, bool)> = site
        .records
        .par_iter()
        .map(|(page, rec)| {
            let key = path_key(page);
            if let Some(c) = last.as_ref().and_then(|c| c.page(page))
                && c.links_digest == rec.links_digest()
                && !c.deps.any(&bits, &changed)
            {
                let kept = Checked {
                    links_digest: c.links_digest,
                    deps: match &remap {
                        Some(m) => c.deps.remap(m),
                        None => c.deps.clone(),
                    },
                    result: c.result.clone(),
                };
                return (key, kept, false);
            }
            let mut paths = Vec::new();
            let (problems, _outbound) = linkcheck::check_page(site, page, rec, &mut paths);
            let mut present = Vec::with_capacity(paths.len());
            let mut absent = Vec::new();
            for p in &paths {
                let k = path_key(p);
                match files.binary_search(&k) {
                    Ok(i) => present.push(u32::try_from(i).unwrap_or(u32::MAX)),
                    Err(_) => absent.push(k),
                }
            }
            present.sort_unstable();
            present.dedup();
            absent.sort_unstable();
            absent.dedup();
            let result = match problems.is_empty() {
                true => CLEAN.clone(),
                false => Arc::new((problems, Vec::new())),
            };
            let checked = Checked {
                links_digest: rec.links_digest(),
                deps: Deps::new(&present, &absent),
                result,
            };
            (key, checked, true)
        })
        .collect();
    let rechecked = out.iter().filter(|o| o.2).count();
    log::debug!(
        "link check: {rechecked} of {} pages checked again",
        out.len()
    );
    let results = out.iter().map(|o| o.1.result.clone()).collect();
    let mut pages: Vec<(u64, Checked)> = out.into_iter().map(|(k, c, _)| (k, c)).collect();
    pages.par_sort_unstable_by_key(|(k, _)| *k);
    // Two paths with one digest: neither result is kept (each is checked again next time).
    let twice: HashSet<u64> = pages
        .windows(2)
        .filter(|w| w[0].0 == w[1].0)
        .map(|w| w[0].0)
        .collect();
    if !twice.is_empty() {
        pages.retain(|(k, _)| !twice.contains(k));
    }
    *slot = Some(Checks {
        base,
        files: files.into_boxed_slice(),
        ids,
        pages: pages.into_boxed_slice(),
        rechecked,
    });
    results
}

impl OutputLinks {
    /// The results of every page for the check of `site` (see [`check_pages`]).
    pub(super) fn check_pages(&self, site: &Site<'_>) -> Vec<Arc<PageResult>> {
        check_pages(self, site)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One check of `pages` with the memo of the last one: the messages, how many pages were
    /// checked again, and the memo for the next.
    fn recheck(
        pages: &[(&str, &str)],
        last: Option<&OutputLinks>,
    ) -> (Vec<String>, usize, OutputLinks) {
        let files: crate::fsx::Files = pages
            .iter()
            .map(|(p, h)| (p.to_string(), Arc::new(h.as_bytes().to_vec())))
            .collect();
        let (records, memo) = records(&files, Vec::new(), Records::new(), last, true);
        let paths: HashSet<&str> = files.keys().map(String::as_str).collect();
        let shown = messages(&records, &memo, &paths);
        let n = memo.rechecked().unwrap_or(usize::MAX);
        (shown, n, memo)
    }

    /// The link check of the pages `paths` with `records` and the memo's per-page results:
    /// each message after its page's path.
    fn messages(records: &Records, memo: &OutputLinks, paths: &HashSet<&str>) -> Vec<String> {
        let s = Site {
            base_url: "https://e.org/",
            base_path: "/",
            files: paths,
            records,
            unbuilt: None,
            config: None,
            templates: None,
        };
        let per_page = |site: &Site<'_>| memo.check_pages(site);
        let (diags, _) = linkcheck::check(
            &s,
            &|_: &str| linkcheck::Origin::default(),
            Some(&per_page),
            false,
        );
        diags
            .iter()
            .map(|d| format!("{} {}", d.path.display(), d.message))
            .collect()
    }

    /// `serve` keeps the records of the pages it keeps on disk without their URLs (issue 15),
    /// and a page checked again reads them from the page: a link broken by a later build is
    /// still found, and a page whose bytes did not change keeps its record.
    #[test]
    fn records_of_pages_on_disk_leave_their_urls_in_the_page() {
        let dir = tempfile::tempdir().unwrap();
        let spill = Arc::new(crate::fsx::spill::Spill::reusing(dir.path()).unwrap());
        let check = |pages: &[(&str, &str)], last: Option<&OutputLinks>| {
            let held: Vec<(String, Arc<crate::fsx::OnDisk>)> = pages
                .iter()
                .map(|(p, h)| {
                    let d = crate::fsx::OnDisk::held(&spill, p, h.as_bytes()).unwrap();
                    (p.to_string(), Arc::new(d))
                })
                .collect();
            let held_refs: Vec<(&String, &Arc<crate::fsx::OnDisk>)> =
                held.iter().map(|(p, d)| (p, d)).collect();
            let files = crate::fsx::Files::new();
            let (records, memo) = records(&files, held_refs, Records::new(), last, true);
            let paths: HashSet<&str> = held.iter().map(|(p, _)| p.as_str()).collect();
            let shown = messages(&records, &memo, &paths);
            (shown, memo)
        };
        let a = (
            "a/index.html",
            "<a href=\"/b/\">b</a><a href=\"/c/#x\">c</a>",
        );
        let b = ("b/index.html", "<p>b</p>");
        let c = ("c/index.html", "<h2 id=\"x\">x</h2>");
        let (shown, memo) = check(&[a, b, c], None);
        assert!(shown.is_empty(), "{shown:?}");
        assert!(memo.records.values().all(|(_, r)| !r.has_links()));
        // The id `#x` goes: `a`, whose record was kept without its URLs, is checked again from
        // its page.
        let c2 = ("c/index.html", "<h2 id=\"y\">y</h2>");
        let (shown, memo) = check(&[a, b, c2], Some(&memo));
        assert_eq!(shown.len(), 1, "{shown:?}");
        assert!(shown[0].starts_with("a/index.html") && shown[0].contains("there is no id `x`"));
        assert_eq!(memo.rechecked(), Some(1), "a alone links to c");
        // `b` goes: the broken link is found the same way.
        let (shown, memo) = check(&[a, c2], Some(&memo));
        assert!(
            shown
                .iter()
                .any(|s| s.contains("/b/ is not a page or file of this site")),
            "{shown:?}"
        );
        assert!(memo.records.values().all(|(_, r)| !r.has_links()));
    }

    /// A page's dependencies are positions in the check's sorted output paths (delta-coded)
    /// and digests of paths that were not output files: they read back as written, whatever
    /// the gaps, and count in another check's paths after a remap.
    #[test]
    fn dependencies_read_back_as_written_and_move_with_the_output_paths() {
        let present = [0u32, 1, 127, 128, 16_383, 16_384, 2_000_000, u32::MAX - 1];
        let absent = [3u64, 1 << 40, u64::MAX];
        let d = Deps::new(&present, &absent);
        assert_eq!(d.parts(), (present.to_vec(), absent.to_vec()));
        assert_eq!(Deps::new(&[], &[]).parts(), (vec![], vec![]));
        // Small gaps take a byte each: 45 dependencies a page in well under 8 bytes each.
        let close: Vec<u32> = (0..45).map(|i| 1_000 + i * 90).collect();
        assert!(Deps::new(&close, &[]).0.len() < 45 * 2 + 4);
        // Changed: by position (a bit set over the check's files) or, for a path that was not
        // a file, by digest.
        let mut bits = vec![0u64; 2];
        bits[1] |= 1 << (70 - 64);
        let changed: HashSet<u64> = [99u64].into_iter().collect();
        assert!(Deps::new(&[3, 70], &[]).any(&bits, &HashSet::new()));
        assert!(!Deps::new(&[3, 71], &[]).any(&bits, &HashSet::new()));
        assert!(Deps::new(&[3], &[99]).any(&bits, &changed));
        assert!(!Deps::new(&[3], &[98]).any(&bits, &changed));
        // A file added before them moves every position by one.
        let map = [1u32, 2, 3, 4];
        assert_eq!(
            Deps::new(&[0, 3], &[7]).remap(&map).parts(),
            (vec![1, 4], vec![7])
        );
    }

    #[test]
    fn a_rebuild_rechecks_only_pages_whose_links_or_targets_changed() {
        let a = (
            "a/index.html",
            "<a href=\"/b/\">b</a><a href=\"/c/#x\">c</a>",
        );
        let b = ("b/index.html", "<p>b</p>");
        let c = ("c/index.html", "<h2 id=\"x\">x</h2>");
        let d = (
            "d/index.html",
            "<a href=\"/c/\">c</a><a href=\"/d/\">me</a>",
        );
        let (shown, n, memo) = recheck(&[a, b, c, d], None);
        assert!(shown.is_empty(), "{shown:?}");
        assert_eq!(n, 4);
        // Nothing changed: nothing is checked again.
        let (shown, n, memo) = recheck(&[a, b, c, d], Some(&memo));
        assert!(shown.is_empty(), "{shown:?}");
        assert_eq!(n, 0);
        // The target of a link is deleted: the page that links to it is checked again and the
        // link is reported broken; pages that do not link to it keep their result.
        let (shown, n, memo) = recheck(&[a, c, d], Some(&memo));
        assert_eq!(
            shown,
            ["a/index.html broken link: /b/ is not a page or file of this site"]
        );
        assert_eq!(n, 1);
        // A kept result still reports its broken link.
        let (shown, n, memo) = recheck(&[a, c, d], Some(&memo));
        assert_eq!(shown.len(), 1, "{shown:?}");
        assert_eq!(n, 0);
        // The id a fragment names goes away: the pages linking to that page are checked again.
        let c2 = ("c/index.html", "<h2 id=\"y\">y</h2>");
        let (shown, n, memo) = recheck(&[a, c2, d], Some(&memo));
        assert_eq!(shown.len(), 2, "{shown:?}");
        assert!(shown[1].contains("there is no id `x`"), "{shown:?}");
        assert_eq!(n, 2, "a and d link to c");
        // A page's own links change, and the deleted page comes back (checked as a new page).
        let a2 = ("a/index.html", "<a href=\"/b/\">b</a>");
        let (shown, n, _) = recheck(&[a2, b, c2, d], Some(&memo));
        assert!(shown.is_empty(), "{shown:?}");
        assert_eq!(n, 2);
    }
}
