//! What the builder and the HTTP workers share: the last good site behind an `Arc` (swapped whole
//! after each successful rebuild, never locked while building), the diagnostics of the last failed
//! rebuild, and the generation counters the live-reload long-poll waits on.
//!
//! Generations: `generation` grows by one after every rebuild, good or bad. `page_gen` is the generation
//! of the last good build whose output changed anything but CSS (pages must reload), `css_gen` the
//! last one that changed CSS (stylesheets are swapped in place), `search_gen` the last one that
//! brought a new search index (published after the pages, see [`Shared::publish_search`]; only a
//! page that runs the search reloads for it). A page knows the generation of the site it was
//! served from; it reloads when `page_gen` is newer.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::diagnostics::{Diagnostic, Severity, display_path};
use crate::fsx::{Bytes, Disk, Files};

/// One served version of the site.
#[derive(Debug, Default)]
pub(crate) struct Site {
    /// Output-relative path → bytes, as `lmp build` would write them; a file left on disk has
    /// no bytes here and is in `disk`.
    pub files: Files,
    /// Static files and cached images, read from disk per request, never held in memory (QA
    /// Q29; see `crate::site::Built::disk`).
    pub disk: Disk,
    /// The base path the site was built for (`/` or `/sub/`).
    pub base_path: String,
    /// The generation this site was built at (0: nothing built yet).
    pub generation: u64,
}

impl Site {
    /// `false` until the first successful build: requests then get a placeholder page.
    pub(super) fn is_built(&self) -> bool {
        self.generation > 0
    }
}

/// What a rebuild changed in the output, compared with the last good site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    /// Byte-identical output.
    Nothing,
    /// Only `.css` files were added, changed or removed (this many).
    CssOnly(usize),
    /// Other files changed (this many files in all).
    Pages(usize),
}

/// Compare two outputs file by file (a file left on disk by its path and digest).
pub(crate) fn classify(old: &Files, new: &Files, old_disk: &Disk, new_disk: &Disk) -> Change {
    let mut changed = 0usize;
    let mut only_css = true;
    let mut note = |k: &str| {
        changed += 1;
        if !k.ends_with(".css") {
            only_css = false;
        }
    };
    for (k, v) in new {
        // Unchanged files of an incremental rebuild share their bytes with the last site.
        let same = match (old_disk.get(k), new_disk.get(k)) {
            (None, None) => old.get(k).is_some_and(|o| Bytes::ptr_eq(o, v) || o == v),
            (a, b) => a == b,
        };
        if !same {
            note(k);
        }
    }
    for k in old.keys() {
        if !new.contains_key(k) {
            note(k);
        }
    }
    match (changed, only_css) {
        (0, _) => Change::Nothing,
        (n, true) => Change::CssOnly(n),
        (n, false) => Change::Pages(n),
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Status {
    pub generation: u64,
    pub page_gen: u64,
    pub css_gen: u64,
    pub search_gen: u64,
    pub site: Arc<Site>,
    /// The diagnostics of the last rebuild, when it failed (a JSON array): every error up to
    /// [`SHOWN_ERRORS`], then warnings up to [`SHOWN_WARNINGS`] (see [`diagnostics_json`]).
    pub errors: Option<Arc<serde_json::Value>>,
    /// How many errors and warnings the failed rebuild had in all.
    pub counts: (usize, usize),
}

/// The shared state: a mutex held only to read or swap `Arc`s, and a condition variable that
/// wakes the long-polls when the generation changes.
#[derive(Debug)]
pub(crate) struct Shared {
    status: Mutex<Status>,
    changed: Condvar,
    /// A file the last good site serves from disk was found gone (see [`Shared::report_gone`]).
    gone: std::sync::atomic::AtomicBool,
    /// Differs between runs of `lmp serve`, so a page reloads when the server restarted.
    pub instance: String,
}

impl Shared {
    pub(super) fn new() -> Shared {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        Shared {
            status: Mutex::new(Status {
                generation: 0,
                page_gen: 0,
                css_gen: 0,
                search_gen: 0,
                site: Arc::new(Site {
                    base_path: "/".into(),
                    ..Site::default()
                }),
                errors: None,
                counts: (0, 0),
            }),
            changed: Condvar::new(),
            gone: Default::default(),
            instance: format!("{:x}-{:x}", std::process::id(), nanos),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Status> {
        // A panic while holding the lock leaves consistent data (we only swap whole values).
        self.status.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The current status (cheap: clones `Arc`s).
    pub(super) fn status(&self) -> Status {
        self.lock().clone()
    }

    /// Note that a file the site serves from disk is gone (the image cache deleted while
    /// serving, QA s7 Q106): true the first time, until the builder takes it with
    /// [`Shared::take_gone`] and makes the files again.
    pub(super) fn report_gone(&self) -> bool {
        !self.gone.swap(true, std::sync::atomic::Ordering::SeqCst)
    }

    /// Whether a file was reported gone since the last call.
    pub(super) fn take_gone(&self) -> bool {
        self.gone.swap(false, std::sync::atomic::Ordering::SeqCst)
    }

    /// Ask every open page to reload (after the files it missed were made again).
    pub(super) fn reload_pages(&self) {
        let mut st = self.lock();
        st.page_gen = st.generation;
        st.css_gen = st.generation;
        drop(st);
        self.changed.notify_all();
    }

    /// The last good site.
    pub(super) fn site(&self) -> Arc<Site> {
        self.lock().site.clone()
    }

    /// Swap in a successful build; returns what changed.
    pub(super) fn publish_ok(&self, files: Files, disk: Disk, base_path: String) -> Change {
        let old = self.site();
        let change = if old.base_path != base_path || !old.is_built() {
            Change::Pages(files.len())
        } else {
            classify(&old.files, &files, &old.disk, &disk)
        };
        drop(old);
        let mut st = self.lock();
        let generation = st.generation + 1;
        st.generation = generation;
        st.errors = None;
        // QA s11: the counts of the last failed build stayed (`"error_count": 4` beside
        // `"errors": null`) after the fix was saved.
        st.counts = (0, 0);
        match change {
            Change::Nothing => {}
            Change::CssOnly(_) => st.css_gen = generation,
            Change::Pages(_) => {
                st.page_gen = generation;
                st.css_gen = generation;
            }
        }
        let old = std::mem::replace(
            &mut st.site,
            Arc::new(Site {
                files,
                disk,
                base_path,
                generation,
            }),
        );
        drop(st);
        self.changed.notify_all();
        // Freeing the old site (thousands of entries) waits until the reload signal is out.
        drop(old);
        change
    }

    /// Swap in a new search index (the files under `remove` go, `search` comes in, those of them
    /// kept on disk in `disk`) without asking pages to reload: the index is built after the
    /// pages, which were already published.
    pub(super) fn publish_search(&self, remove: &[String], search: Files, disk: Disk) {
        let old = self.site();
        let (mut files, mut held) = (old.files.clone(), old.disk.clone());
        for k in remove {
            files.remove(k);
            held.remove(k);
        }
        let same = |k: &String, v: &Bytes| match (old.disk.get(k), disk.get(k)) {
            (None, None) => old.files.get(k).is_some_and(|o| o == v),
            (a, b) => a == b,
        };
        let changed = search.iter().any(|(k, v)| !same(k, v))
            || remove.iter().any(|k| !search.contains_key(k));
        if !changed {
            return;
        }
        files.extend(search);
        held.extend(disk);
        let base_path = old.base_path.clone();
        drop(old);
        let mut st = self.lock();
        let generation = st.generation + 1;
        st.generation = generation;
        st.search_gen = generation;
        st.site = Arc::new(Site {
            files,
            disk: held,
            base_path,
            generation,
        });
        drop(st);
        self.changed.notify_all();
    }

    /// Record a failed build: the last good site stays.
    pub(super) fn publish_errors(&self, diags: &[Diagnostic]) {
        let json = diagnostics_json(diags);
        let errors = diags.iter().filter(|d| d.is_error()).count();
        let mut st = self.lock();
        st.generation += 1;
        st.errors = Some(Arc::new(json));
        st.counts = (errors, diags.len() - errors);
        drop(st);
        self.changed.notify_all();
    }

    /// Wait until the generation differs from `since`, or the timeout passes.
    pub(super) fn wait_change(&self, since: u64, timeout: Duration) -> Status {
        let deadline = Instant::now() + timeout;
        let mut st = self.lock();
        while st.generation == since {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            st = match self.changed.wait_timeout(st, deadline - now) {
                Ok((g, _)) => g,
                Err(e) => e.into_inner().0,
            };
        }
        st.clone()
    }

    /// The status as the live-reload script reads it.
    pub(super) fn status_json(&self, st: &Status) -> String {
        serde_json::json!({
            "id": self.instance,
            "gen": st.generation,
            "page_gen": st.page_gen,
            "css_gen": st.css_gen,
            "search_gen": st.search_gen,
            "site_gen": st.site.generation,
            "errors": st.errors.as_deref(),
            "error_count": st.counts.0,
            "warning_count": st.counts.1,
        })
        .to_string()
    }
}

/// The most errors a failed rebuild's status answer carries (the terminal shows them).
pub(crate) const SHOWN_ERRORS: usize = 100;
/// The most warnings it carries after them (QA s9 Q133: at 52,000 documents every warning of
/// the site went to every open page at each failed rebuild, 3.1 MB of JSON).
pub(crate) const SHOWN_WARNINGS: usize = 20;

/// Diagnostics as the overlay shows them: errors first (up to [`SHOWN_ERRORS`]), then warnings
/// (up to [`SHOWN_WARNINGS`]); the status says how many there are in all.
pub(crate) fn diagnostics_json(diags: &[Diagnostic]) -> serde_json::Value {
    // Errors first; the build already sorted them by path and line.
    let errors = diags.iter().filter(|d| d.is_error()).take(SHOWN_ERRORS);
    let warnings = diags
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .take(SHOWN_WARNINGS);
    serde_json::Value::Array(
        errors
            .chain(warnings)
            .map(|d| {
                serde_json::json!({
                    "path": display_path(&d.path),
                    "line": d.line,
                    "col": d.col,
                    "severity": d.severity,
                    "message": d.message,
                    "help": d.help,
                    "source": d.source_shown(),
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> Files {
        list.iter()
            .map(|(k, v)| (k.to_string(), Bytes::new(v.as_bytes().to_vec())))
            .collect()
    }

    #[test]
    fn classifies_changes() {
        let a = files(&[("index.html", "a"), ("css/lmp.css", "x")]);
        let none = Disk::new();
        let classify = |a: &Files, b: &Files| classify(a, b, &none, &none);
        assert_eq!(classify(&a, &a), Change::Nothing);
        let b = files(&[("index.html", "a"), ("css/lmp.css", "y")]);
        assert_eq!(classify(&a, &b), Change::CssOnly(1));
        let c = files(&[("index.html", "b"), ("css/lmp.css", "y")]);
        assert_eq!(classify(&a, &c), Change::Pages(2));
        let d = files(&[("css/lmp.css", "x")]);
        assert_eq!(classify(&a, &d), Change::Pages(1));
        let e = files(&[("index.html", "a"), ("css/lmp.css", "x"), ("x.css", "")]);
        assert_eq!(classify(&a, &e), Change::CssOnly(1));
    }

    /// QA s9 Q133: a failed rebuild of a big site sends its errors and a few warnings, with
    /// how many there are, not every warning of the site.
    #[test]
    fn a_failed_rebuild_sends_its_errors_and_a_few_warnings_with_counts() {
        let mut diags: Vec<Diagnostic> = (0..5_000)
            .map(|i| {
                Diagnostic::warning(
                    format!("site/stories/s{i}.md"),
                    3,
                    1,
                    "the video has no captions",
                )
            })
            .collect();
        diags.extend(
            (0..150)
                .map(|i| Diagnostic::error(format!("site/guides/g{i}.md"), 2, 1, "broken link")),
        );
        let s = Shared::new();
        s.publish_errors(&diags);
        let st = s.status();
        let json: serde_json::Value = serde_json::from_str(&s.status_json(&st)).unwrap();
        let shown = json["errors"].as_array().unwrap();
        assert_eq!(shown.len(), SHOWN_ERRORS + SHOWN_WARNINGS);
        assert!(
            shown[..SHOWN_ERRORS]
                .iter()
                .all(|d| d["severity"] == "error")
        );
        assert!(
            shown[SHOWN_ERRORS..]
                .iter()
                .all(|d| d["severity"] == "warning")
        );
        assert_eq!(
            (json["error_count"].as_u64(), json["warning_count"].as_u64()),
            (Some(150), Some(5_000))
        );
        assert!(
            s.status_json(&st).len() < 60_000,
            "{} bytes",
            s.status_json(&st).len()
        );
    }

    #[test]
    fn the_overlay_gets_a_cut_source_line() {
        let line = "x".repeat(1 << 20);
        let d = Diagnostic::error("site/a.md", 1, 500_000, "bad").with_source(&line);
        let json = diagnostics_json(&[d]).to_string();
        assert!(json.len() < 1000, "{} bytes", json.len());
    }

    #[test]
    fn generations_follow_builds() {
        let s = Shared::new();
        let a = files(&[("index.html", "a"), ("css/lmp.css", "x")]);
        assert_eq!(
            s.publish_ok(a.clone(), Disk::new(), "/".into()),
            Change::Pages(2)
        );
        let st = s.status();
        assert_eq!(
            (st.generation, st.page_gen, st.css_gen, st.site.generation),
            (1, 1, 1, 1)
        );
        s.publish_errors(&[Diagnostic::error("site/x.md", 2, 1, "bad")]);
        let st = s.status();
        assert_eq!((st.generation, st.page_gen, st.site.generation), (2, 1, 1));
        assert!(st.errors.is_some());
        assert_eq!(st.counts, (1, 0));
        assert_eq!(s.publish_ok(a, Disk::new(), "/".into()), Change::Nothing);
        let st = s.status();
        assert_eq!((st.generation, st.page_gen, st.css_gen), (3, 1, 1));
        assert!(st.errors.is_none());
        // A good build after a failed one: no errors left in the counts either.
        let json: serde_json::Value = serde_json::from_str(&s.status_json(&st)).unwrap();
        assert_eq!(json["error_count"], 0, "{json}");
        let b = files(&[("index.html", "a"), ("css/lmp.css", "y")]);
        assert_eq!(s.publish_ok(b, Disk::new(), "/".into()), Change::CssOnly(1));
        let st = s.status();
        assert_eq!((st.generation, st.page_gen, st.css_gen), (4, 1, 4));
        // A poll for an old generation answers at once; one for the current one times out.
        assert_eq!(s.wait_change(1, Duration::from_secs(5)).generation, 4);
        let t = Instant::now();
        assert_eq!(s.wait_change(4, Duration::from_millis(50)).generation, 4);
        assert!(t.elapsed() >= Duration::from_millis(50));
    }
}
