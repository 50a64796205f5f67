//! What `lmp serve` rebuilds after a batch of changed paths: [`Incremental`] classifies each path
//! (content, theme, or global) for its [`Memo`] and runs [`crate::pipeline::build`] with it, which
//! gives, byte for byte, what a fresh build gives (see [`crate::memo`] for what is reused and
//! why that is exact). `lmp build` runs the same pipeline with an empty memo.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::content;
use crate::memo::Memo;
use crate::site::{Built, Failed, Options};

/// A builder that remembers its last build (or, for a one-off build, nothing).
#[derive(Default)]
pub struct Incremental {
    memo: Memo,
}

impl std::fmt::Debug for Incremental {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (pages, markdown) = self.memo.sizes();
        f.debug_struct("Incremental")
            .field("keep", &self.memo.keeps())
            .field("pages", &pages)
            .field("markdown", &markdown)
            .finish_non_exhaustive()
    }
}

/// What a changed path is.
enum Change {
    /// A file of the site's content (relative path).
    Content(String),
    /// A template or static file of the theme or the site.
    Theme,
    /// config.yaml, or anything we cannot place.
    Global,
}

impl Incremental {
    /// A builder for `serve`: keeps what the next rebuild can reuse. Every rebuild passes its
    /// own options (a change of options rebuilds everything).
    pub fn new(_opts: Options) -> Incremental {
        Incremental {
            memo: Memo::keeping(),
        }
    }

    /// A one-off build (`lmp build`): nothing is fingerprinted or kept.
    pub(crate) fn once(opts: &Options) -> Result<Built, Failed> {
        Incremental::default().rebuild(opts, &[])
    }

    /// A one-off build that writes every file into `sink` as soon as it is produced, the
    /// search index last: the returned files are empty.
    pub(crate) fn once_to(opts: &Options, sink: &dyn crate::site::Sink) -> Result<Built, Failed> {
        Self::once_to_with(opts, None, sink)
    }

    /// [`Incremental::once_to`] with the site's config already read by the caller (`None`:
    /// the build reads it).
    pub(crate) fn once_to_with(
        opts: &Options,
        cfg: Option<std::sync::Arc<crate::config::Config>>,
        sink: &dyn crate::site::Sink,
    ) -> Result<Built, Failed> {
        let mut memo = match sink.writes() {
            true => Memo::default(),
            false => Memo::checking(),
        };
        if let Some(cfg) = cfg {
            memo = memo.given_config(cfg);
        }
        let mut built = crate::pipeline::build_to(opts, &mut memo, Some(sink))?;
        let started = Instant::now();
        // Each index file is written as soon as it is made: the index is never held whole.
        let put = |rel: String, bytes: Vec<u8>| sink.put(&rel, &bytes);
        memo.write_search(&put).map_err(|e| Failed {
            diagnostics: vec![crate::diagnostics::Diagnostic::error(
                opts.site_dir.as_path(),
                0,
                0,
                format!("{e:#}"),
            )],
        })?;
        built.timings.push(("search index", started.elapsed()));
        built.peaks.push(crate::site::Probe::now());
        // Nothing reads the scratch file or the memo again: both are freed on other threads
        // while the caller swaps the output in (at 100,000 documents freeing the memo took
        // ~0.6 s of the build's one thread).
        memo.give_back_scratch();
        crate::memo::drop_later(memo);
        Ok(built)
    }

    /// Rebuild with `opts` after `changed` files (created, modified or removed since the last
    /// call; paths as the watcher reports them), the search index included.
    pub fn rebuild(&mut self, opts: &Options, changed: &[PathBuf]) -> Result<Built, Failed> {
        self.rebuild_then(opts, changed, &|| {})
    }

    /// [`Incremental::rebuild`], calling `between` after the pages and before the search index:
    /// `lmp serve` gives back there the memory the pages' build freed (issue 15: at 100,000
    /// documents its first index started at 1,706 MiB resident, of which about 280 MiB freed
    /// and kept by the allocator, and the index was the peak).
    pub(crate) fn rebuild_then(
        &mut self,
        opts: &Options,
        changed: &[PathBuf],
        between: &dyn Fn(),
    ) -> Result<Built, Failed> {
        let mut built = self.rebuild_pages(opts, changed)?;
        between();
        let started = Instant::now();
        for k in self.memo.search_keys() {
            built.files.remove(k);
            built.disk.remove(k);
        }
        let (files, disk) = self.search().unwrap_or_default();
        built.files.extend(files);
        built.disk.extend(disk);
        built.timings.push(("search index", started.elapsed()));
        built.peaks.push(crate::site::Probe::now());
        Ok(built)
    }

    /// Everything but the search index: the files are the new pages with the search index of the
    /// build before (none on the first build). [`Incremental::search`] then gives the new index.
    pub fn rebuild_pages(&mut self, opts: &Options, changed: &[PathBuf]) -> Result<Built, Failed> {
        let (mut global, mut theme, mut content) = (false, false, Vec::new());
        for p in changed {
            match self.classify(&opts.site_dir, p) {
                Change::Content(rel) => content.push(rel),
                Change::Theme => theme = true,
                Change::Global => global = true,
            }
        }
        self.memo.changed(global, theme, content);
        crate::pipeline::build(opts, &mut self.memo)
    }

    /// Count the theme and the static files as changed for the next rebuild (`lmp serve` found
    /// a file of the image cache gone: they are looked at again and what is missing is made).
    pub(crate) fn theme_changed(&mut self) {
        self.memo.changed(false, true, Vec::new());
    }

    /// The search index of the last successful [`Incremental::rebuild_pages`] (computed once).
    /// `serve` keeps the files in its scratch file of pages: they are in `.0` with no bytes and
    /// in `.1` (see [`crate::site::Built::disk`]).
    pub fn search(&mut self) -> Option<crate::memo::Search> {
        self.memo.search()
    }

    /// How many documents have their text in memory, of how many read (`serve` keeps the
    /// bodies on disk between builds; for tests).
    #[doc(hidden)]
    pub fn sources_in_memory(&self) -> (usize, usize) {
        self.memo.sources_in_memory()
    }

    /// The paths of the search files in the last output.
    pub(crate) fn search_keys(&self) -> impl Iterator<Item = &String> {
        self.memo.search_keys()
    }

    fn classify(&self, site_dir: &Path, p: &Path) -> Change {
        if let Some(rel) = rel_in(site_dir, p) {
            if rel == "config.yaml" || rel.is_empty() {
                return Change::Global;
            }
            let first = rel.split('/').next().unwrap_or("");
            if content::NON_CONTENT.contains(&first) {
                return Change::Theme;
            }
            return Change::Content(rel);
        }
        let in_theme = self
            .memo
            .theme_dirs()
            .iter()
            .any(|d| rel_in(d, p).is_some());
        if in_theme {
            Change::Theme
        } else {
            Change::Global
        }
    }
}

/// `p` relative to `dir` (with `/`), trying the folder as given, absolute and canonical.
fn rel_in(dir: &Path, p: &Path) -> Option<String> {
    let abs_p = crate::fsx::absolute(p);
    let tries = [
        p.strip_prefix(dir).ok().map(Path::to_path_buf),
        abs_p
            .strip_prefix(crate::fsx::absolute(dir))
            .ok()
            .map(Path::to_path_buf),
        match (
            dir.canonicalize(),
            abs_p.parent().and_then(|d| d.canonicalize().ok()),
        ) {
            (Ok(cd), Some(cp)) => cp
                .join(abs_p.file_name().unwrap_or_default())
                .strip_prefix(&cd)
                .ok()
                .map(Path::to_path_buf),
            _ => None,
        },
    ];
    tries.into_iter().flatten().next().map(|r| {
        r.components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/")
    })
}
