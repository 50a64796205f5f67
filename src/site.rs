//! What a build is given and gives ([`Options`], [`Built`], [`Failed`]), and the stages the
//! pipeline (`crate::pipeline`) calls that belong to no other module: loading the config,
//! checking links between documents, assembling the search index's input.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::content::collections::Collection;
use crate::content::graph::{self, Graph, LinkProblem};
use crate::diagnostics::{self, Diagnostic, Lines};
use crate::markdown::{LinkKind, Rendered};
use crate::search;
use crate::util::Date;

/// What to build and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub site_dir: PathBuf,
    pub drafts: bool,
    pub future: bool,
    pub expired: bool,
    pub base_url: Option<String>,
    pub today: Date,
    /// Link the stylesheets and scripts by content-hashed names (`css/lmp.3f2a9c01d4.css`), as
    /// `lmp build` does; `serve` never does (see `Theme::fingerprint`).
    pub hashed_assets: bool,
}

impl Options {
    pub fn new(site_dir: impl Into<PathBuf>) -> Options {
        Options {
            site_dir: site_dir.into(),
            drafts: false,
            future: false,
            expired: false,
            base_url: None,
            today: Date::today(),
            hashed_assets: false,
        }
    }
}

pub use crate::fsx::{Bytes, Disk, Files, OnDisk};

/// Where a streaming build puts each output file as soon as it is produced, so that no build
/// holds all of its output bytes at once (see `pipeline::build_to`): the staging folder
/// of `lmp build`, or nowhere for `lmp check`.
pub trait Sink: Sync {
    fn put(&self, rel: &str, bytes: &[u8]) -> anyhow::Result<()>;

    /// Whether the files put are kept (`false`: `lmp check`, which then encodes no image).
    fn writes(&self) -> bool {
        true
    }

    /// Put a copy of the file `src` (its path, and its bytes' xxh3-128 digest and size) as
    /// `rel`, without reading it where the sink can (the image cache's files, static files).
    /// Never a hard link of `src`: an output file edited in place must not change the cache
    /// or another output (QA s5 Q81).
    fn put_file(&self, rel: &str, src: &OnDisk) -> anyhow::Result<()> {
        self.put(rel, &src.read()?)
    }

    /// A folder on the output's disk for the build's scratch file (see [`crate::fsx::spill`]);
    /// `None`: the system's temporary folder.
    fn scratch_dir(&self) -> Option<&std::path::Path> {
        None
    }
}

impl Sink for crate::fsx::output::Staging {
    fn put(&self, rel: &str, bytes: &[u8]) -> anyhow::Result<()> {
        crate::fsx::output::Staging::put(self, rel, bytes)
    }

    fn put_file(&self, rel: &str, src: &OnDisk) -> anyhow::Result<()> {
        if src.held.is_some() {
            // Not a file of its own (a page `serve` keeps): its bytes.
            return crate::fsx::output::Staging::put(self, rel, &src.read()?);
        }
        crate::fsx::output::Staging::put_file(self, rel, src)
    }

    fn scratch_dir(&self) -> Option<&std::path::Path> {
        Some(self.staging_dir())
    }
}

/// A sink that keeps nothing (`lmp check` writes no output).
pub(crate) struct Discard;

impl Sink for Discard {
    fn put(&self, _: &str, _: &[u8]) -> anyhow::Result<()> {
        Ok(())
    }

    fn writes(&self) -> bool {
        false
    }

    fn put_file(&self, _: &str, _: &OnDisk) -> anyhow::Result<()> {
        Ok(())
    }
}

/// The bytes kept in place of a file already written to the sink: one shared empty value.
pub(crate) fn streamed() -> Bytes {
    static STREAMED: std::sync::LazyLock<Bytes> = std::sync::LazyLock::new(Default::default);
    STREAMED.clone()
}

/// Whether `b` stands for a file already written to the sink.
pub(crate) fn is_streamed(b: &Bytes) -> bool {
    std::sync::Arc::ptr_eq(b, &streamed())
}

/// A successful build, in memory.
#[derive(Debug)]
pub struct Built {
    /// Output-relative path → bytes. In a streaming build, only the files not yet given to the
    /// sink (none once the search index is written).
    pub files: Files,
    /// Warnings (a successful build has no errors).
    pub warnings: Vec<Diagnostic>,
    /// Published documents per collection.
    pub counts: BTreeMap<Collection, usize>,
    /// Documents and translations the options left out, by why: `draft`, `scheduled`
    /// (`publish_date` in the future), `expired`: (documents, translations), counted apart as
    /// [`Built::counts`] counts documents only.
    pub left_out: BTreeMap<&'static str, (usize, usize)>,
    /// Pages written from templates or generated (HTML files).
    pub pages: usize,
    pub timings: Vec<(&'static str, Duration)>,
    /// The process's peak resident memory and CPU time at the end of each stage of `timings`,
    /// where the system tells them (`lmp -v build`).
    pub peaks: Vec<Probe>,
    /// Folders the build read (for `serve` to watch).
    pub inputs: Vec<PathBuf>,
    /// Every outbound link of the pages, once, with where it was first found
    /// (for `lmp check --external`).
    pub outbound: Vec<crate::linkcheck::Outbound>,
    /// Files of the output left on disk: a build that keeps its output in memory for the next
    /// (`serve`) does not read static files and cached images into it, but serves them from
    /// disk per request (QA Q29). Each is in `files` too, with no bytes (see [`streamed`]).
    /// Empty for a one-off build (which reads them into `files`) and a streaming one.
    pub disk: Disk,
}

impl Built {
    /// The bytes of the output file `rel`, read from disk when the build left it there.
    pub fn read(&self, rel: &str) -> Option<anyhow::Result<Bytes>> {
        match self.disk.get(rel) {
            Some(d) => Some(d.read().map(std::sync::Arc::new)),
            None => self.files.get(rel).cloned().map(Ok),
        }
    }
}

/// A failed build: every diagnostic (errors and warnings), sorted.
#[derive(Debug)]
pub struct Failed {
    pub diagnostics: Vec<Diagnostic>,
}

/// Stage timings (`lmp build -v`).
pub(crate) struct Timer {
    last: Instant,
    pub stages: Vec<(&'static str, Duration)>,
    /// Peak RSS and CPU time after each stage (see [`Probe`]).
    pub peaks: Vec<Probe>,
}

impl Timer {
    pub(crate) fn new() -> Timer {
        Timer {
            last: Instant::now(),
            stages: Vec::new(),
            peaks: Vec::new(),
        }
    }

    pub(crate) fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.stages.push((name, now - self.last));
        self.peaks.push(Probe::now());
        log::debug!(
            "stage {name}: {:.1} ms",
            (now - self.last).as_secs_f64() * 1000.0
        );
        self.last = now;
    }
}

/// What `lmp -v` prints after each stage besides its wall time: the process's peak resident
/// memory so far (KiB), its CPU time so far (user + system, all threads) and that of the thread
/// that runs the stages, where known. CPU time tells what a stage costs on a machine whose other
/// load stretches the wall time; the stages' own thread's part of it ("serial") is work no other
/// core helps with: while it runs, the thread pool waits (on 2 cores, one core idles).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Probe {
    pub peak_rss: Option<u64>,
    pub cpu: Option<Duration>,
    /// The calling thread's CPU time so far (user + system).
    pub thread_cpu: Option<Duration>,
}

impl Probe {
    pub fn now() -> Probe {
        Probe {
            peak_rss: peak_rss(),
            cpu: cpu_time(),
            thread_cpu: thread_cpu_time(),
        }
    }

    /// Where the stage table starts counting: the start of the process (its CPU time, and
    /// that of its first thread, are zero there).
    pub fn start() -> Probe {
        Probe {
            peak_rss: None,
            cpu: Some(Duration::ZERO),
            thread_cpu: Some(Duration::ZERO),
        }
    }
}

/// The CPU time (user + system) of this process so far, every thread included.
pub fn cpu_time() -> Option<Duration> {
    #[cfg(unix)]
    {
        clock(rustix::time::ClockId::ProcessCPUTime)
    }
    #[cfg(not(unix))]
    None
}

/// The CPU time (user + system) of the calling thread so far.
fn thread_cpu_time() -> Option<Duration> {
    #[cfg(unix)]
    {
        clock(rustix::time::ClockId::ThreadCPUTime)
    }
    #[cfg(not(unix))]
    None
}

/// The time of a CPU-time clock.
#[cfg(unix)]
fn clock(id: rustix::time::ClockId) -> Option<Duration> {
    let t = rustix::time::clock_gettime(id);
    Some(Duration::new(
        u64::try_from(t.tv_sec).ok()?,
        u32::try_from(t.tv_nsec).ok()?,
    ))
}

/// The peak resident memory of this process so far, in KiB (Linux: `VmHWM` in
/// `/proc/self/status`; elsewhere unknown).
pub(crate) fn peak_rss() -> Option<u64> {
    crate::fsx::proc_status_kib("VmHWM")
}

/// `lmp -v`'s stage table for `built`: one [`stage_line`] per stage (`before`: the CPU times
/// when the first stage began, taken on the thread that runs the stages). Returns the probe
/// after the last stage.
pub(crate) fn log_stages(built: &Built, mut before: Probe) -> Probe {
    let peaks = built
        .peaks
        .iter()
        .copied()
        .chain(std::iter::repeat(Probe::default()));
    for ((stage, d), peak) in built.timings.iter().zip(peaks) {
        log::info!("{}", stage_line(stage, *d, before, peak));
        before = peak;
    }
    before
}

/// One line of `lmp -v`'s stage timings: name, wall time and, where known, the CPU time the
/// stage took (`after` at its end, `before` at its start), the peak RSS after it, and the CPU
/// time of the stages' own thread ("serial": see [`Probe`]).
pub(crate) fn stage_line(stage: &str, d: Duration, before: Probe, after: Probe) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    let mut line = format!("  {stage:<18} {ms:>8.1} ms");
    let spent = |a: Option<Duration>, b: Option<Duration>| {
        Some(a?.saturating_sub(b?).as_secs_f64() * 1000.0)
    };
    if let Some(cpu) = spent(after.cpu, before.cpu) {
        line.push_str(&format!(" {cpu:>8.1} ms CPU"));
    }
    if let Some(k) = after.peak_rss {
        line.push_str(&format!(" {:>6.0} MiB peak RSS", k as f64 / 1024.0));
    }
    if let Some(serial) = spent(after.thread_cpu, before.thread_cpu) {
        line.push_str(&format!(" {serial:>8.1} ms serial"));
    }
    line
}

/// Load the config of a site (with the `--base-url` override).
pub(crate) fn load_config(opts: &Options) -> Result<Config, Vec<Diagnostic>> {
    let path = opts.site_dir.join("config.yaml");
    let text = match crate::fsx::read(&path) {
        Ok(b) => crate::diagnostics::utf8_text(&path, b).map_err(|d| vec![d])?,
        Err(_) if crate::fsx::is_file(&opts.site_dir) => {
            // QA s12: `--site site/config.yaml` said "site/config.yaml/config.yaml: no
            // config.yaml in the site folder".
            let folder = opts
                .site_dir
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            let help = if opts
                .site_dir
                .file_name()
                .is_some_and(|n| n == "config.yaml")
            {
                format!("pass the folder it is in: `--site {}`", folder.display())
            } else {
                "pass the site folder (the one that holds config.yaml), e.g. `--site site`"
                    .to_string()
            };
            return Err(vec![
                Diagnostic::error(&opts.site_dir, 0, 0, "this is a file, not a site folder")
                    .with_help(help),
            ]);
        }
        Err(_) if path.is_dir() => {
            // Hostile pass s24: a folder named config.yaml was "no config.yaml in the site
            // folder", which the editor can see is there.
            return Err(vec![
                Diagnostic::error(&path, 0, 0, "config.yaml is a folder, not a file")
                    .with_help("the site's settings are a text file named config.yaml: move what is in the folder elsewhere, remove the folder, and create the file with at least `title:` and `base_url:`"),
            ]);
        }
        Err(_) => {
            let help = if opts.site_dir.is_dir() {
                "create config.yaml with at least `title:` and `base_url:`".to_string()
            } else if crate::fsx::is_file(std::path::Path::new("config.yaml")) {
                // QA Q106: `cd site && lmp build`.
                format!(
                    "there is no folder {}, but the current folder has a config.yaml: it looks like the site folder itself; run lmp from the folder above it (`cd ..`), or pass --site . --out ../public",
                    opts.site_dir.display()
                )
            } else {
                format!(
                    "there is no folder {}: pass the site folder with --site",
                    opts.site_dir.display()
                )
            };
            return Err(vec![
                Diagnostic::error(&path, 0, 0, "no config.yaml in the site folder").with_help(help),
            ]);
        }
    };
    // Once per command (and per rebuild in `serve`): `lmp -vv` shows each read.
    log::debug!(
        "read {} ({} bytes)",
        crate::diagnostics::display_path(&path),
        text.len()
    );
    // In file order, as every command prints them (not in the order config.yaml is checked).
    let mut cfg = Config::parse(&path, &text).map_err(|mut d| {
        crate::diagnostics::sort(&mut d);
        d
    })?;
    if let Some(u) = &opts.base_url {
        cfg.set_base_url(u).map_err(|m| {
            vec![
                Diagnostic::error("--base-url", 0, 0, m)
                    .with_help("pass a full URL such as https://example.org/lmp/"),
            ]
        })?;
    }
    Ok(cfg)
}

/// Links to missing or unpublished documents and to missing anchors are errors.
/// Per document: its link diagnostics and the documents its links point at.
pub(crate) type LinkCheck = (Vec<Diagnostic>, Vec<usize>);

pub(crate) fn check_links(graph: &Graph, rendered: &[std::sync::Arc<Rendered>]) -> Vec<LinkCheck> {
    let hints = MissingHints::new(graph);
    (0..graph.docs.len())
        .into_par_iter()
        .map(|i| check_doc_links(graph, rendered, &hints, i))
        .collect()
}

/// Where the help of a link to a missing `.md` file looks: made at the first such link of a
/// check and shared by all of its documents (QA s10: each broken link went through every
/// document three times and compared its path with each of theirs, so 20,000 broken links at
/// 100,000 documents took hours). Made again for each check: a rebuild in `lmp serve` may have
/// changed the documents' titles.
pub(crate) struct MissingHints<'g> {
    graph: &'g Graph,
    index: std::sync::OnceLock<MissingIndex<'g>>,
    /// The address of every document in the default language and of its aliases → the
    /// document, made at the first site address in a translation (see [`other_language`]).
    by_url: std::sync::OnceLock<std::collections::HashMap<&'g str, usize>>,
}

struct MissingIndex<'g> {
    /// Every document's rel path, for "did you mean".
    rels: diagnostics::Nearest,
    /// A rel path in lowercase → the first rel path (in sorted order) that differs from it
    /// only in case.
    folded: std::collections::HashMap<String, &'g str>,
    /// A file name → the first document (the home page left out) with it.
    by_name: std::collections::HashMap<&'g str, usize>,
    /// The slug of a title → the first document (the home page left out) with it.
    by_title: std::collections::HashMap<String, usize>,
    /// A folder → the first document in it.
    by_folder: std::collections::HashMap<&'g str, usize>,
    /// The words of titles and file names, made at the first link that needs them (see
    /// [`MissingIndex::worded`]).
    words: std::sync::OnceLock<Words>,
}

/// A word of a title or file name (see [`name_words`]) → the documents (originals, the home
/// page left out) whose title or file name has it, in order.
type Words = std::collections::HashMap<String, Vec<u32>>;

/// A word with more documents than this tells little (`team`, `story`) and would cost a count
/// per document for each broken link: it is not counted.
const COMMON_WORD: usize = 2_000;

/// The words of a title or file name that tell documents apart: its slug's words of three
/// letters or more, or numbers of two digits or more (`2015`), without the most common English
/// and Spanish short words; each once.
fn name_words(s: &str) -> Vec<String> {
    const SMALL: [&str; 24] = [
        "the", "and", "for", "with", "from", "how", "what", "our", "your", "its", "into", "about",
        "una", "las", "los", "del", "con", "para", "por", "que", "como", "sus", "you", "are",
    ];
    let mut out: Vec<String> = Vec::new();
    for w in crate::util::slugify(s).split('-') {
        let number = w.len() >= 2 && w.bytes().all(|b| b.is_ascii_digit());
        if (number || w.chars().count() >= 3) && !SMALL.contains(&w) && !out.iter().any(|o| o == w)
        {
            out.push(w.to_string());
        }
    }
    out
}

impl<'g> MissingHints<'g> {
    pub(crate) fn new(graph: &'g Graph) -> MissingHints<'g> {
        MissingHints {
            graph,
            index: std::sync::OnceLock::new(),
            by_url: std::sync::OnceLock::new(),
        }
    }

    /// See [`MissingHints::by_url`].
    fn by_url(&self) -> &std::collections::HashMap<&'g str, usize> {
        self.by_url.get_or_init(|| {
            let g = self.graph;
            let mut out: std::collections::HashMap<&str, usize> = g
                .docs
                .iter()
                .enumerate()
                .filter(|(_, d)| d.translation.is_none())
                .map(|(i, d)| (d.url.as_str(), i))
                .collect();
            for (alias, &i) in &g.aliases {
                if g.docs.get(i).is_some_and(|d| d.translation.is_none()) {
                    out.entry(alias.as_str()).or_insert(i);
                }
            }
            out
        })
    }

    fn index(&self) -> &MissingIndex<'g> {
        self.index.get_or_init(|| {
            let graph = self.graph;
            let mut folded = std::collections::HashMap::new();
            let mut by_name = std::collections::HashMap::new();
            let mut by_title = std::collections::HashMap::new();
            let mut by_folder = std::collections::HashMap::new();
            for rel in graph.by_rel.keys() {
                folded
                    .entry(rel.to_ascii_lowercase())
                    .and_modify(|r: &mut &str| *r = (*r).min(rel.as_str()))
                    .or_insert(rel.as_str());
            }
            for (i, d) in graph.docs.iter().enumerate() {
                if let Some((folder, _)) = d.rel.rsplit_once('/') {
                    by_folder.entry(folder).or_insert(i);
                }
                if d.collection == Collection::Home {
                    continue;
                }
                by_name
                    .entry(d.rel.rsplit('/').next().unwrap_or(&d.rel))
                    .or_insert(i);
                let slug = crate::util::slugify(&d.common.title);
                if !slug.is_empty() {
                    by_title.entry(slug).or_insert(i);
                }
            }
            MissingIndex {
                rels: diagnostics::Nearest::new(graph.by_rel.keys().map(String::as_str)),
                folded,
                by_name,
                by_title,
                by_folder,
                words: std::sync::OnceLock::new(),
            }
        })
    }
}

impl MissingIndex<'_> {
    /// The document whose title or file name has the most words of the missing file's name
    /// `target` (a page renamed to a name unlike the old one keeps its title: QA s11, the links
    /// to the old name got no "did you mean"): at least two of them and at least half, more
    /// words first, then one in `target`'s folder, then the first. Each word's documents are
    /// counted once (words of more than [`COMMON_WORD`] documents are not), so a broken link
    /// costs the documents that share its rarer words, not every document. Never `not`, the
    /// document the link is on.
    fn worded(&self, graph: &Graph, target: &str, not: &str) -> Option<usize> {
        let (folder, file) = target.rsplit_once('/').unwrap_or(("", target));
        let stem = file.strip_suffix(".md").unwrap_or(file);
        let want = name_words(stem);
        if want.len() < 2 {
            return None;
        }
        let words = self.words.get_or_init(|| {
            let mut words = Words::new();
            for (i, d) in graph.docs.iter().enumerate() {
                if d.collection == Collection::Home || d.translation.is_some() {
                    continue;
                }
                let name = d.rel.rsplit('/').next().unwrap_or(&d.rel);
                let mut own = name_words(name.strip_suffix(".md").unwrap_or(name));
                for w in name_words(&d.common.title) {
                    if !own.contains(&w) {
                        own.push(w);
                    }
                }
                for w in own {
                    words.entry(w).or_default().push(i as u32);
                }
            }
            words
        });
        let mut score: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
        for w in &want {
            if let Some(docs) = words.get(w).filter(|d| d.len() <= COMMON_WORD) {
                diagnostics::work(docs.len());
                for &k in docs {
                    *score.entry(k).or_default() += 1;
                }
            }
        }
        let in_folder =
            |k: u32| graph.docs[k as usize].rel.rsplit_once('/').map(|(f, _)| f) == Some(folder);
        score
            .into_iter()
            .filter(|&(k, n)| n >= 2 && 2 * n >= want.len() && graph.docs[k as usize].rel != not)
            .max_by_key(|&(k, n)| (n, in_folder(k), std::cmp::Reverse(k)))
            .map(|(k, _)| k as usize)
    }

    /// The document that lists the address the missing file `target` had in its `aliases:`:
    /// it was renamed, and said so.
    fn aliased(&self, graph: &Graph, target: &str) -> Option<(usize, String)> {
        let (folder, file) = target.rsplit_once('/').unwrap_or(("", target));
        let stem = file.strip_suffix(".md")?;
        let slug = crate::util::slugify(stem);
        let urls = match self.by_folder.get(folder) {
            Some(&i) => vec![graph.docs[i].collection.url_for(&slug)],
            None if folder.is_empty() => vec![format!("/{slug}/")],
            None => vec![format!("/{folder}/{slug}/"), format!("/{slug}/")],
        };
        urls.into_iter()
            .find_map(|u| graph.aliases.get(&u).map(|&k| (k, u)))
    }
}

/// The links of document `i` (see [`check_links`]).
pub(crate) fn check_doc_links(
    graph: &Graph,
    rendered: &[std::sync::Arc<Rendered>],
    hints: &MissingHints<'_>,
    i: usize,
) -> LinkCheck {
    let (d, r) = (&graph.docs[i], &rendered[i]);
    // A translation's field taken from its original is at its place in the original's file.
    let original = d
        .translation
        .as_ref()
        .and_then(|t| graph.by_rel.get(&t.original))
        .map(|&o| &graph.docs[o]);
    let check = |text: &str| {
        let lines = Lines::new(text);
        let their_text = match original {
            Some(o) if !text.is_empty() && r.front.iter().any(|f| f.inherited) => {
                Some(o.whole_text())
            }
            _ => None,
        };
        let their_lines = Lines::new(their_text.as_deref().unwrap_or(""));
        let src = LinkSource {
            rel: &d.rel,
            path: &d.path,
            lines: &lines,
            body_line: d.body_line,
            lang: &d.lang,
            links: &r.links,
            ids: &r.ids,
        };
        let mut check = body_links(graph, rendered, hints, &src);
        // QA Q71: links in front matter fields written in markdown, at their line of the file.
        for f in &r.front {
            let src = match original {
                Some(o) if f.inherited => LinkSource {
                    rel: &o.rel,
                    path: &o.path,
                    lines: &their_lines,
                    body_line: 1,
                    links: &f.links,
                    ..src
                },
                _ => LinkSource {
                    body_line: 1,
                    links: &f.links,
                    ..src
                },
            };
            let (diags, targets) = body_links(graph, rendered, hints, &src);
            check.0.extend(diags);
            check.1.extend(targets);
        }
        check
    };
    // The file's text only quotes the lines of messages: a document without any is checked
    // without it (`serve` keeps it on disk: issue 15), one with messages again with it.
    let found = check("");
    if found.0.is_empty() {
        return found;
    }
    check(&d.whole_text())
}

/// The body of a document as the link check reads it: a [`Document`]'s, or the body of a file
/// whose front matter has errors (a [`crate::content::Stub`]).
struct LinkSource<'a> {
    rel: &'a str,
    path: &'a std::path::Path,
    /// The file's text, its lines found once for all of its diagnostics (QA Q135).
    lines: &'a Lines<'a>,
    body_line: usize,
    lang: &'a str,
    links: &'a [crate::markdown::Link],
    ids: &'a [String],
}

/// QA Q1: a file whose front matter has errors is not built, but the links of its body are
/// still checked, so its author sees every mistake of the file in one run.
pub(crate) fn stub_links(graph: &Graph, rendered: &[std::sync::Arc<Rendered>]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let hints = MissingHints::new(graph);
    for stub in graph.broken.values() {
        if stub.links.is_empty() {
            continue;
        }
        let lines = Lines::new(&stub.text);
        let src = LinkSource {
            rel: &stub.rel,
            path: &stub.path,
            lines: &lines,
            body_line: stub.body_line,
            lang: &stub.lang,
            links: &stub.links,
            ids: &stub.ids,
        };
        out.extend(body_links(graph, rendered, &hints, &src).0);
    }
    out
}

/// How many days ahead a link to a page that expires is warned about (QA Q89).
const EXPIRY_NOTICE_DAYS: i64 = 30;

fn date_in(graph: &Graph, on: crate::util::Date) -> String {
    match on.days() - graph.today.days() {
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        n if n > 0 => format!("in {n} days"),
        -1 => "yesterday".to_string(),
        n => format!("{} days ago", -n),
    }
}

/// A link to a published page whose `expiry_date` is at most [`EXPIRY_NOTICE_DAYS`] away: a
/// warning, so that the day it is left out surprises no one (QA Q89).
fn expires_soon(
    graph: &Graph,
    d: &LinkSource<'_>,
    l: &crate::markdown::Link,
    path: &str,
    k: usize,
) -> Option<Diagnostic> {
    // Most documents have no expiry date: answered without reading the document.
    if !graph.expires(k) {
        return None;
    }
    let target = graph.docs.get(k)?;
    let e = target.common.expiry_date?;
    if e.days() - graph.today.days() > EXPIRY_NOTICE_DAYS {
        return None;
    }
    let line = d.body_line + l.line - 1;
    Some(
        Diagnostic::warning(
            d.path,
            line,
            l.col,
            format!(
                "link to {path}, which expires after {e} ({}): from the day after, this link is shown as plain text",
                date_in(graph, e)
            ),
        )
        .with_help(format!(
            "if the page should stay, change or remove `expiry_date:` in {}; otherwise remove this link",
            target.rel
        ))
        .with_source_in(d.lines),
    )
}

/// A link to a page that is scheduled for later or has expired: its text is shown without the
/// link (see `memo::resolve`), and a warning says so (QA Q89: it was an error, so every build
/// failed from the day a linked page expired, and a page could not link ahead to a scheduled
/// one).
fn calendar_link(
    graph: &Graph,
    d: &LinkSource<'_>,
    l: &crate::markdown::Link,
    path: &str,
    why: &str,
) -> Diagnostic {
    let line = d.body_line + l.line - 1;
    let target = graph::join_rel(d.rel, path).unwrap_or_else(|| path.to_string());
    let on = graph.excluded_on.get(&target).copied();
    let (message, help) = if why == graph::SCHEDULED {
        let when = on.map_or(String::new(), |p| {
            format!(" on {p} ({})", date_in(graph, p))
        });
        (
            format!("link to {path}, which is published{when}: until then its text is shown without a link"),
            "the link appears in the first build from that day on (a nightly build does it); `--future` previews it now".to_string(),
        )
    } else {
        let when = on.map_or(String::new(), |e| format!(" (its `expiry_date` is {e})"));
        (
            format!("link to {path}, which has expired{when}: its text is shown without a link"),
            format!(
                "remove the link, or change `expiry_date:` in {target} if the page should stay"
            ),
        )
    };
    Diagnostic::warning(d.path, line, l.col, message)
        .with_help(help)
        .with_source_in(d.lines)
}

fn body_links(
    graph: &Graph,
    rendered: &[std::sync::Arc<Rendered>],
    hints: &MissingHints<'_>,
    d: &LinkSource<'_>,
) -> LinkCheck {
    let r = d;
    let mut targets = Vec::new();
    let mut ids = IdSets::default();
    let mut helps: std::collections::HashMap<(usize, usize, &str, &str), String> =
        std::collections::HashMap::new();
    let mut own_helps: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
    {
        {
            let mut out = Vec::new();
            for l in r.links {
                let line = d.body_line + l.line - 1;
                let at = |msg: String| {
                    Diagnostic::error(d.path, line, l.col, msg).with_source_in(d.lines)
                };
                match &l.kind {
                    LinkKind::Document {
                        path,
                        fragment,
                        url,
                    } => {
                        match graph.resolve_link(d.rel, path, d.lang) {
                            Ok((j, k)) => {
                                // In a translation, the link leads to the target's translation
                                // (`x.en.md`: to the original, on purpose).
                                targets.push(k);
                                if let Some(w) = expires_soon(graph, d, l, path, k) {
                                    out.push(w);
                                }
                                if let Some(f) = fragment
                                    && !f.is_empty()
                                    && !ids.has(k, &rendered[k].ids, f)
                                {
                                    let (which, shown) = if k == j {
                                        ("that document".to_string(), path.clone())
                                    } else {
                                        let t = &graph.docs[k].rel;
                                        (format!("its translation {t}"), t.clone())
                                    };
                                    // The same broken fragment again: the same help (QA
                                    // Q135: made once, not once per link).
                                    let help = helps.entry((k, j, path.as_str(), f.as_str())).or_insert_with(|| match diagnostics::suggest(
                                        f,
                                        rendered[k].ids.iter().map(String::as_str),
                                    ) {
                                        Some(s) if k == j => format!("did you mean `#{s}`?"),
                                        Some(s) => format!(
                                            "did you mean `#{s}`? Or give the heading in {shown} the original's id: `## Heading {{#{f}}}`"
                                        ),
                                        // QA Q124: a translation begun without headings.
                                        None if rendered[k].ids.is_empty() && k != j => format!(
                                            "{shown} has no headings yet: give the heading of that section the original's id, `## … {{#{f}}}`"
                                        ),
                                        None if rendered[k].ids.is_empty() => format!(
                                            "{shown} has no headings to link to: link the page without `#{f}`"
                                        ),
                                        None => format!(
                                            "the headings of {} have the ids: {}",
                                            shown,
                                            rendered[k].ids.join(", ")
                                        ),
                                    }).clone();
                                    out.push(at(format!("link to {path}#{f}: there is no heading `#{f}` in {which}")).with_help(help));
                                }
                            }
                            Err(LinkProblem::Excluded(why))
                                if why == graph::SCHEDULED || why == graph::EXPIRED =>
                            {
                                out.push(calendar_link(graph, d, l, path, why));
                            }
                            Err(LinkProblem::Excluded(why)) => {
                                out.push(
                                    at(format!("link to {path}, which is {why}"))
                                        .with_help("publish that document, or remove the link"),
                                );
                            }
                            Err(LinkProblem::Missing) => {
                                let _ = url;
                                let target =
                                    graph::join_rel(d.rel, path).unwrap_or_else(|| path.clone());
                                if let Some(stub) = graph.broken.get(&target) {
                                    // The file is there; its own errors are reported. Its body's
                                    // ids still tell whether the fragment exists (an empty or
                                    // unreadable file tells nothing: QA Q112).
                                    if let Some(f) = fragment
                                        && !f.is_empty()
                                        && !stub.ids.is_empty()
                                        && !stub.ids.iter().any(|id| id == f)
                                    {
                                        let mut e = at(format!(
                                            "link to {path}#{f}: there is no heading `#{f}` in that document"
                                        ));
                                        if let Some(s) = diagnostics::suggest(
                                            f,
                                            stub.ids.iter().map(String::as_str),
                                        ) {
                                            e = e.with_help(format!("did you mean `#{s}`?"));
                                        }
                                        out.push(e);
                                    }
                                    continue;
                                }
                                let index = hints.index();
                                // Never the page the link is on (QA s13: a guide linking to
                                // a deleted video was told to link to itself).
                                let moved =
                                    moved(graph, index, &target).filter(|m| m.doc.rel != d.rel);
                                let slashed = path.replace('\\', "/");
                                let aliased = || index.aliased(graph, &target);
                                let help = if slashed != *path
                                    && graph::join_rel(d.rel, &slashed).is_some_and(|t| {
                                        graph.by_rel.contains_key(&t)
                                            || graph.broken.contains_key(&t)
                                    }) {
                                    // `..\guides\x.md` (Windows): QA Q39.
                                    format!("links use `/`, not `\\`: write `{slashed}`")
                                } else if let Some(k) =
                                    index.folded.get(&target.to_ascii_lowercase())
                                {
                                    // QA Q36: `run-a-ubt-huddle.MD`: file names are compared
                                    // exactly.
                                    format!(
                                        "did you mean `{}`? File names in links must match the file exactly, in lowercase and uppercase",
                                        relative_from(d.rel, k)
                                    )
                                } else if let Some((k, old)) = aliased() {
                                    // QA s11: renamed, with the old address in `aliases:`.
                                    let to = &graph.docs[k].rel;
                                    format!(
                                        "{target} was renamed: {to} lists its old address {old} in `aliases:`; link `{}`",
                                        relative_from(d.rel, to)
                                    )
                                } else {
                                    let near = index.rels.suggest(&target).filter(|s| *s != d.rel);
                                    match (&moved, near) {
                                (Some(m), _) => m.help(d.rel, &target),
                                (None, Some(s)) => format!("did you mean `{}`?", relative_from(d.rel, s)),
                                // QA s13: a folder deleted or renamed (its files too): the
                                // guesses by words named unrelated pages.
                                // QA s15: "any more" was said of folders that never were
                                // (`../froms/x.md`): a near name is a typo.
                                (None, None) if folder_gone(graph, index, &target) => {
                                    let folder = target.rsplit_once('/').map_or("", |(f, _)| f);
                                    match diagnostics::suggest(folder, index.by_folder.keys().copied()) {
                                        Some(near) => format!(
                                            "the site has no folder {folder}/: did you mean `{near}/`?"
                                        ),
                                        None => format!(
                                            "the site has no folder {folder}/: check the folder's name in the link; if the folder was deleted, moved or renamed, put it back, or link the document where it is now"
                                        ),
                                    }
                                }
                                // QA s11: renamed to a name unlike the old one.
                                (None, None) => match index.worded(graph, &target, d.rel) {
                                    Some(k) => format!(
                                        "did you mean `{}` (\"{}\")? It has the words of the name this link uses",
                                        relative_from(d.rel, &graph.docs[k].rel),
                                        graph.docs[k].common.title
                                    ),
                                    None => "link to an existing .md file, relative to this file (e.g. `../guides/find-tools.md`)".to_string(),
                                },
                            }
                                };
                                // After the root cause: the misnamed file (QA Q43).
                                let misnamed = help.contains("a typo in its file name")
                                    && moved.is_some_and(|m| m.misnamed(&target));
                                let e = at(format!("broken link: {path} does not exist"))
                                    .with_help(help);
                                out.push(if misnamed { e.caused() } else { e });
                            }
                        }
                    }
                    LinkKind::Fragment(f) => {
                        // `#top` scrolls to the top of any page (HTML standard; QA Q52).
                        if !f.is_empty() && f != "top" && !ids.has(usize::MAX, r.ids, f) {
                            let help = own_helps.entry(f.as_str()).or_insert_with(|| {
                                match diagnostics::suggest(f, r.ids.iter().map(String::as_str)) {
                                    Some(s) => format!("did you mean `#{s}`?"),
                                    None if r.ids.is_empty() => {
                                        "this page has no headings to link to".to_string()
                                    }
                                    None => {
                                        format!("the ids on this page are: {}", r.ids.join(", "))
                                    }
                                }
                            });
                            out.push(
                                at(format!(
                                    "link to #{f}: there is no such heading on this page"
                                ))
                                .with_help(help.clone()),
                            );
                        }
                    }
                    LinkKind::Other => {
                        if let Some(w) = other_language(graph, hints, d, l) {
                            out.push(w.with_source_in(d.lines));
                        }
                    }
                }
            }
            (out, targets)
        }
    }
}

/// A site address in a translation (`[guía](/guides/huddle/)` in `stories/x.es.md`) that leads to
/// a page in the default language when that page has a version in the translation's language
/// (`/es/guides/huddle/`): the reader is sent to the English page while a Spanish one exists.
/// A warning at the link naming both ways to write it so (session 23). The address is kept as
/// written: a site address is the page it names, where a `.md` link follows the page's language
/// (docs/translations.md); the English page on purpose is linked by its file named with its
/// language, `huddle.en.md`, which is quiet (session 24: the warning could not be silenced).
/// Links in the original's fields a translation takes (written in the default language) are
/// not looked at.
fn other_language(
    graph: &Graph,
    hints: &MissingHints<'_>,
    d: &LinkSource<'_>,
    l: &crate::markdown::Link,
) -> Option<Diagnostic> {
    if l.is_image {
        return None;
    }
    let path = l.dest.split(['#', '?']).next().unwrap_or(&l.dest);
    if !path.starts_with('/') || path.starts_with("//") {
        return None;
    }
    let page = graph.docs.get(*graph.by_rel.get(d.rel)?)?;
    if page.translation.is_none() || page.lang != d.lang {
        return None;
    }
    // `/guides/huddle` is the page `/guides/huddle/` (a file name with a dot is a file).
    let slashed;
    let key = if path.ends_with('/') {
        path
    } else if path
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
    {
        return None;
    } else {
        slashed = format!("{path}/");
        &slashed
    };
    let j = *hints.by_url().get(key)?;
    let k = graph.translation_in(j, d.lang).filter(|&k| k != j)?;
    let name = |code: &str| {
        graph
            .lang_names
            .iter()
            .find(|(c, _)| c == code)
            .map_or_else(|| format!("`{code}`"), |(_, n)| n.clone())
    };
    let (theirs, mine) = (name(&graph.docs[j].lang), name(d.lang));
    let rest = &l.dest[path.len()..];
    let there = format!("{}{rest}", graph.docs[k].url);
    let md = relative_from(d.rel, &graph.docs[j].rel);
    // The same file named with its language: the page in that language on purpose (see
    // `Graph::resolve_link`).
    let pinned = format!(
        "{}.{}.md{rest}",
        md.strip_suffix(".md").unwrap_or(&md),
        graph.docs[j].lang
    );
    Some(
        Diagnostic::warning(
            d.path,
            d.body_line + l.line - 1,
            l.col,
            format!(
                "link to {}: it leads to the page in {theirs}, and that page has a version in {mine} ({there})",
                l.dest
            ),
        )
        .with_help(format!(
            "link `{md}{rest}` (a link to the .md file leads to the page in the language of the page it is on) or `{there}`; to send readers to the page in {theirs} on purpose, link `{pinned}` (the file named with its language: no warning)"
        )),
    )
}

/// Whether a document has an id, asked for each link to it: a scan of its ids while they are
/// few, a set made once when they are many (QA Q135: a glossary of 20,000 headings, each linked
/// from a line of the page, compared every link with every id).
#[derive(Default)]
struct IdSets<'r> {
    sets: std::collections::HashMap<usize, std::collections::HashSet<&'r str>>,
}

impl<'r> IdSets<'r> {
    /// Whether `ids` (the ids of document `k`; `usize::MAX` for the page itself) has `f`.
    fn has(&mut self, k: usize, ids: &'r [String], f: &str) -> bool {
        if ids.len() <= 16 {
            return ids.iter().any(|id| id == f);
        }
        self.sets
            .entry(k)
            .or_insert_with(|| ids.iter().map(String::as_str).collect())
            .contains(f)
    }
}

/// What rendering the bodies found (removed raw HTML, component errors), located in the files.
pub(crate) fn markdown_notes(
    graph: &Graph,
    rendered: &[std::sync::Arc<Rendered>],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (d, r) in graph.docs.iter().zip(rendered) {
        // The text only where there is a note to place (`serve` keeps it on disk).
        // A translation's field taken from its original has the original's notes, reported
        // there.
        let own = |f: &&crate::markdown::FieldHtml| !f.inherited;
        if r.notes.is_empty() && r.front.iter().filter(own).all(|f| f.notes.is_empty()) {
            continue;
        }
        let text = d.whole_text();
        let lines = Lines::new(&text);
        // Front matter fields in markdown (QA Q71) have their notes at lines of the file.
        let front = r
            .front
            .iter()
            .filter(own)
            .flat_map(|f| &f.notes)
            .map(|n| (1, n));
        for (body_line, n) in r.notes.iter().map(|n| (d.body_line, n)).chain(front) {
            let line = body_line + n.line - 1;
            let diag = if n.error {
                Diagnostic::error(&d.path, line, n.col, n.message.clone())
            } else {
                Diagnostic::warning(&d.path, line, n.col, n.message.clone())
            };
            let diag = diag.with_help(n.help.clone()).with_source_in(&lines);
            out.push(if n.caused { diag.caused() } else { diag });
        }
    }
    out
}

/// A document that looks like the missing file `target` moved or was renamed.
struct Moved<'g> {
    doc: &'g crate::content::Document,
    /// Why: the same file name, or a title that gives the missing file's name.
    why: String,
    /// The address the missing file would have had (for `aliases:`), when its folder is a
    /// collection's.
    old_url: Option<String>,
}

impl Moved<'_> {
    /// The file in `target`'s folder whose title gives the name the link uses (`hawai.md`
    /// titled "Hawaii"): most likely its file name is the typo (QA Q43).
    fn misnamed(&self, target: &str) -> bool {
        let folder = |p: &str| p.rsplit_once('/').map(|(f, _)| f.to_string());
        let stem = |p: &str| {
            let name = p.rsplit('/').next().unwrap_or(p);
            name.get(..name.len().saturating_sub(3))
                .unwrap_or(name)
                .to_string()
        };
        let (want, have) = (stem(target), stem(&self.doc.rel));
        !self.why.starts_with("the same")
            && folder(target) == folder(&self.doc.rel)
            && diagnostics::suggest(&want, std::iter::once(have.as_str())).is_some()
    }

    fn help(&self, from: &str, target: &str) -> String {
        let file = target.rsplit('/').next().unwrap_or(target);
        if self.misnamed(target) {
            // QA Q43: the help spread the typo to every link ("link `hawai.md`, and add
            // `aliases: [/regions/hawaii/]`").
            return format!(
                "{} ({}) is most likely this page with a typo in its file name: rename it to {file} and this link works; if it was renamed on purpose, link `{}` instead",
                self.doc.rel,
                self.why,
                relative_from(from, &self.doc.rel)
            );
        }
        let mut h = format!(
            "{target} is not there, but {} ({}) looks like it moved: link `{}`",
            self.doc.rel,
            self.why,
            relative_from(from, &self.doc.rel)
        );
        // QA Q36: never the page's own address, and only as a possibility (a link with the
        // wrong folder is more common than a moved page).
        if let Some(u) = self.old_url.as_ref().filter(|u| **u != self.doc.url) {
            h.push_str(&format!(
                "; if the page was moved from there, also add `aliases: [{u}]` to {} so the old address keeps working",
                self.doc.rel
            ));
        }
        h
    }
}

/// The document the missing `target` (a rel path) most likely became: the first one (the home
/// page left out) with the same file name in another folder, or whose title gives the same slug
/// as the missing file's name.
fn moved<'g>(graph: &'g Graph, index: &MissingIndex<'_>, target: &str) -> Option<Moved<'g>> {
    let (folder, file) = target.rsplit_once('/').unwrap_or(("", target));
    let stem = file
        .get(..file.len().saturating_sub(3))
        .filter(|_| file.to_ascii_lowercase().ends_with(".md"))?;
    let slug = crate::util::slugify(stem);
    let named = index.by_name.get(file).copied();
    let titled = index.by_title.get(&slug).copied();
    let found = match (named, titled) {
        (Some(n), Some(t)) if t < n => (&graph.docs[t], None),
        (Some(n), _) => (&graph.docs[n], Some("the same file name".to_string())),
        (None, Some(t)) => (&graph.docs[t], None),
        (None, None) => return None,
    };
    let why = found
        .1
        .unwrap_or_else(|| format!("its title is \"{}\"", found.0.common.title));
    let old_url = index
        .by_folder
        .get(folder)
        .map(|&i| graph.docs[i].collection.url_for(&slug));
    Some(Moved {
        doc: found.0,
        why,
        old_url,
    })
}

/// Whether the folder of the missing file `target` (a rel path) holds no document at all, read
/// or broken: it was deleted, moved or renamed with its files.
fn folder_gone(graph: &Graph, index: &MissingIndex<'_>, target: &str) -> bool {
    let Some((folder, _)) = target.rsplit_once('/') else {
        return false;
    };
    let inside = format!("{folder}/");
    !index.by_folder.contains_key(folder)
        && !index.by_folder.keys().any(|f| f.starts_with(&inside))
        && !graph.broken.keys().any(|k| k.starts_with(&inside))
}

/// Path of `target` (a rel path) relative to the folder of `from`.
fn relative_from(from: &str, target: &str) -> String {
    let from_dir: Vec<&str> = from
        .split('/')
        .collect::<Vec<_>>()
        .split_last()
        .map(|(_, d)| d.to_vec())
        .unwrap_or_default();
    let to: Vec<&str> = target.split('/').collect();
    let common = from_dir.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from_dir.len() - common];
    parts.extend(&to[common..]);
    parts.join("/")
}

/// Term names in language `lang` for its search index (the tags text and the filter names): a
/// region's is the title of its page in that language, the others' are `languages: <lang>:
/// terms:` of config.yaml (as the pages name them); a term with neither keeps its default name.
fn search_term_names(
    graph: &Graph,
    lang: &str,
    terms: &BTreeMap<String, BTreeMap<String, String>>,
) -> search::Labels {
    let mut out = search::Labels::new();
    for (tax, list) in &graph.taxonomies {
        let names: BTreeMap<String, String> = list
            .iter()
            .filter_map(|t| {
                let page = (*tax == crate::content::taxonomy::Taxonomy::Regions)
                    .then(|| graph.index_of_slug(Collection::Regions, &t.slug))
                    .flatten()
                    .and_then(|i| graph.translation_in(i, lang))
                    .filter(|&j| graph.docs.get(j).is_some_and(|d| d.lang == lang))
                    .and_then(|j| graph.docs.get(j))
                    .map(|d| d.common.title.clone());
                let name = page.or_else(|| terms.get(tax.name())?.get(&t.slug).cloned())?;
                Some((t.slug.clone(), name))
            })
            .collect();
        if !names.is_empty() {
            out.insert(tax.to_string(), names);
        }
    }
    out
}

/// The search index of a build, each file given to `put` as soon as it is made (see
/// [`search::write`]).
pub(crate) fn search_write(
    cfg: &Config,
    graph: &Graph,
    rendered: &[std::sync::Arc<Rendered>],
    strings: Option<&crate::render::strings::Catalog>,
    memo: Option<&mut search::Memo>,
    put: search::index::Put<'_>,
) -> anyhow::Result<()> {
    let dates: Vec<Option<String>> = graph
        .docs
        .iter()
        .map(|d| d.common.date.map(|x| x.to_string()))
        .collect();
    let docs: Vec<search::IndexDoc<'_>> = graph
        .docs
        .iter()
        .zip(rendered)
        .zip(&dates)
        .filter(|((d, _), _)| d.collection != Collection::Home)
        .map(|((d, r), date)| search::IndexDoc {
            lang: &d.lang,
            url: &d.url,
            title: &d.common.title,
            summary: d.common.summary.as_deref().unwrap_or(""),
            collection: d.collection.name(),
            date: date.as_deref(),
            regions: graph.doc_terms(d, crate::content::taxonomy::Taxonomy::Regions),
            topics: &d.common.topics,
            audiences: &d.common.audiences,
            series: &d.common.series,
            sections: &r.sections,
            body: r.stored.is_some().then_some(&**r),
        })
        .collect();
    let mut labels: search::Labels = BTreeMap::new();
    for (tax, terms) in &graph.taxonomies {
        labels.insert(
            tax.to_string(),
            terms
                .iter()
                .map(|t| (t.slug.clone(), t.name.clone()))
                .collect(),
        );
    }
    labels.insert(
        "collection".into(),
        cfg.schemas
            .all()
            .iter()
            .map(|c| (c.name().to_string(), c.plural_label().to_string()))
            .collect(),
    );
    let langs: Vec<search::IndexLang> = cfg
        .languages
        .iter()
        .map(|l| {
            // The collections' names in the language (the theme's `plural_<collection>`).
            let mut own: search::Labels = BTreeMap::from([(
                "collection".to_string(),
                cfg.schemas
                    .all()
                    .iter()
                    .filter_map(|c| {
                        let name = strings?.of(&l.code).get(&format!("plural_{}", c.name()))?;
                        Some((c.name().to_string(), name.clone()))
                    })
                    .collect(),
            )]);
            if l.code != cfg.default_language().code {
                own.extend(search_term_names(graph, &l.code, &l.terms));
            }
            search::IndexLang {
                code: l.code.clone(),
                name: l.name.clone(),
                prefix: l.prefix.trim_start_matches('/').to_string(),
                labels: own,
                dates: strings
                    .map(|s| {
                        let words = s.of(&l.code);
                        let word = |k: &str| words.get(k).cloned().unwrap_or_default();
                        search::format::DateWords {
                            format: word("date_format"),
                            months: (1..=12).map(|m| word(&format!("month_{m}"))).collect(),
                        }
                    })
                    .unwrap_or_default(),
            }
        })
        .collect();
    search::write(&docs, &labels, &cfg.search_synonyms, &langs, memo, put)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_suggestions() {
        assert_eq!(
            relative_from("stories/a.md", "guides/b.md"),
            "../guides/b.md"
        );
        assert_eq!(relative_from("stories/a.md", "stories/c.md"), "c.md");
    }
}
