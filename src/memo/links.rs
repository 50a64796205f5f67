//! The output link check's reuse across builds (`serve`): each page's [`PageRecord`] by the
//! digest and size of the bytes it was taken from, and each page's result by the digest of its
//! links and the output paths (and their ids) it depended on. The check itself
//! ([`crate::linkcheck`]) is a function of the records and the files; this module decides what of
//! the last check still holds.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

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
    let out: Vec<(String, Made, Arc<PageRecord>)> = files
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
            (p.clone(), made, rec)
        })
        .collect();
    // (path, what the record was taken from, the record, what the memo keeps of it).
    type OnDisk = (String, Made, Arc<PageRecord>, Option<Arc<PageRecord>>);
    let on_disk: Vec<OnDisk> = held
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
            // page's `OnDisk` keeps on disk for as long as the record lives.
            let kept = (keep && rec.has_links()).then(|| Arc::new(rec.in_page(d.clone())));
            (p.clone(), (d.digest, d.size), rec, kept)
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
        fresh.remove(&p);
        if keep {
            memo.records
                .insert(p.clone(), (b, kept.unwrap_or_else(|| r.clone())));
        }
        records.insert(p, r);
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
    records: HashMap<String, (Made, Arc<PageRecord>)>,
    /// Filled by [`OutputLinks::check_pages`]; taken over by the next build's memo in
    /// [`records`].
    checks: std::sync::Mutex<Option<Checks>>,
}

impl OutputLinks {
    /// About how many bytes the pages' records take (for `lmp -vv serve`'s account of its
    /// memory).
    pub(super) fn bytes(&self) -> usize {
        self.records
            .iter()
            .map(|(k, (_, r))| k.capacity() + 64 + r.bytes())
            .sum()
    }

    fn get(&self, page: &str) -> Option<&(Made, Arc<PageRecord>)> {
        self.records.get(page)
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
            let (Some((_, old)), Some(checked)) = (self.records.get(p), c.pages.get(p)) else {
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
                self.records.insert(p, (made, r));
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
            if c.files.len() != files.len() || !files.keys().all(|p| c.files.contains(&path_key(p)))
            {
                return None;
            }
        }
        let same = |p: &str, made: Made| self.records.get(p).is_some_and(|(m, _)| *m == made);
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
            .and_then(|c| c.pages.get(page))
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
/// page whose ids changed) did. Paths are kept as 64-bit digests.
struct Checks {
    /// The base URL and path the links were resolved against.
    base: (String, String),
    /// Every output path.
    files: HashSet<u64>,
    /// Output path → digest of its page's ids.
    ids: HashMap<u64, u64>,
    pages: HashMap<String, Checked>,
    /// How many pages this check checked again (for tests).
    #[cfg_attr(not(test), allow(dead_code))]
    rechecked: usize,
}

/// A page's check: the digest of its links, the output paths the result depends on, the result.
struct Checked {
    links_digest: u64,
    deps: Box<[u64]>,
    result: Arc<PageResult>,
}

fn path_key(path: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(path.as_bytes())
}

/// Every page's result, in page order: checked again ([`linkcheck::check_page`]), or the last
/// check's when its links are the same (by digest) and none of the output paths it depended on
/// appeared, went or changed its ids. Records the results for the next check.
fn check_pages(memo: &OutputLinks, site: &Site<'_>) -> Vec<Arc<PageResult>> {
    let base = (site.base_url.to_string(), site.base_path.to_string());
    let files: HashSet<u64> = site.files.par_iter().map(|f| path_key(f)).collect();
    let ids: HashMap<u64, u64> = site
        .records
        .par_iter()
        .map(|(p, r)| (path_key(p), r.ids_digest()))
        .collect();
    let mut slot = memo.checks.lock().unwrap_or_else(|e| e.into_inner());
    let last = slot.take().filter(|c| c.base == base);
    // Output paths whose existence or ids differ from the last check.
    let changed: HashSet<u64> = match &last {
        Some(c) => c
            .files
            .symmetric_difference(&files)
            .copied()
            .chain(
                ids.iter()
                    .filter(|(k, d)| c.ids.get(k) != Some(d))
                    .map(|(k, _)| *k),
            )
            .chain(c.ids.keys().filter(|k| !ids.contains_key(k)).copied())
            .collect(),
        None => HashSet::new(),
    };
    let out: Vec<(String, Checked, bool)> = site
        .records
        .par_iter()
        .map(|(page, rec)| {
            if let Some(c) = last.as_ref().and_then(|c| c.pages.get(page))
                && c.links_digest == rec.links_digest()
                && !c.deps.iter().any(|d| changed.contains(d))
            {
                let kept = Checked {
                    links_digest: c.links_digest,
                    deps: c.deps.clone(),
                    result: c.result.clone(),
                };
                return (page.clone(), kept, false);
            }
            let mut deps = Vec::new();
            let result = Arc::new(linkcheck::check_page(site, page, rec, &mut deps));
            let mut deps: Vec<u64> = deps.iter().map(|d| path_key(d)).collect();
            deps.sort_unstable();
            deps.dedup();
            let checked = Checked {
                links_digest: rec.links_digest(),
                deps: deps.into_boxed_slice(),
                result,
            };
            (page.clone(), checked, true)
        })
        .collect();
    let rechecked = out.iter().filter(|o| o.2).count();
    log::debug!(
        "link check: {rechecked} of {} pages checked again",
        out.len()
    );
    let results = out.iter().map(|o| o.1.result.clone()).collect();
    *slot = Some(Checks {
        base,
        files,
        ids,
        pages: out.into_iter().map(|(p, c, _)| (p, c)).collect(),
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
