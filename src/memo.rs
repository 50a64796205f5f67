//! What one build keeps for the next, and every decision to reuse it: the one place where the
//! build is memoised. The pipeline (`crate::pipeline::build`, above this module) asks it for each
//! stage's result; an empty memo (`lmp build`) computes everything, the memo of `lmp serve`
//! reuses what is exact. The stages below it are functions of their inputs; this module decides,
//! per document or page, whether to call them (sub-modules: `links` for the output link check,
//! `media` for the images of bodies).
//!
//! What is kept, and why reusing it is exact (keys are contents or digests of contents):
//! - config and theme (with its static files): until `config.yaml`, the options, or a path under
//!   the theme, `templates/` or `static/` changes (see [`Memo::changed`]);
//! - content files: only the changed paths are read again (a rescan when files appear or go);
//!   `serve` keeps their bodies on disk once a build has read them ([`Memo::spill_sources`]) and
//!   compares them by digest;
//! - the graph: reused, with the edited documents swapped in, when every changed file is a known
//!   document whose front matter is byte-identical (the graph is a function of front matter);
//!   otherwise related lists are reused per document by the digest of what they are computed
//!   from (see `graph::related`);
//! - rendered markdown, per document: reused when the body (and transcript) text is the same and
//!   every `.md` link in it resolves to the same URL as when it was rendered (the renderer is a
//!   pure function of those);
//! - link checks, per document: reused when its text and rendered body, and the rendered bodies
//!   of the documents it links to, are the same as last time and no path or URL changed;
//! - cards, per document: by a digest of its front matter, URL and the term views;
//! - pages: by their fingerprint (template name + the whole template context, see
//!   [`render::fingerprint`]); a document page first compares a digest of its inputs (see
//!   `render::page`) and then skips building its context at all. When the graph is reused, only
//!   the pages and generated files that show the edited bodies are rendered (see
//!   [`render::render_docs`]);
//! - search chunks, per text (see [`crate::search::Memo`]).
//!
//! `tests/testsuite/incremental.rs` checks that a long random sequence of edits, creations,
//! renames and deletions gives, after each step, exactly what a fresh full build gives.

mod links;
mod media;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::collections::Fields;
use crate::content::graph::{self, Graph, Include};
use crate::content::{self, Document, SourceFile};
use crate::diagnostics::Diagnostic;
use crate::linkcheck;
use crate::markdown::components::Host;
use crate::markdown::{self, Rendered};
use crate::render::{self, CardMemo, Cards, PageMemo, Reuse, Theme};
use crate::site::{self, Files, Options};

/// A graph's aliases (see [`Graph::aliases`]).
type Aliases = std::collections::BTreeMap<String, usize>;

/// Everything kept from the last build, and what changed since.
#[derive(Default)]
pub(crate) struct Memo {
    /// Keep results for a next build (`serve`); `false` for a one-off build.
    keep: bool,
    /// A build that writes nothing (`lmp check`): images are not encoded (see
    /// `crate::media::Cache::dry`).
    dry: bool,
    /// The options of the last build.
    opts: Option<Options>,
    changes: Changes,
    config: Option<Arc<Config>>,
    /// The config its caller has already read (`lmp build` and `lmp check` read it first for
    /// their output rules): the first build takes it instead of reading config.yaml again,
    /// which could have changed in between (see [`Memo::given_config`]).
    given_config: Option<Arc<Config>>,
    theme: Option<Arc<Loaded>>,
    sources: Option<Sources>,
    /// Documents re-read since the last graph, with their old and new front matter identical.
    body_edits: Option<Vec<Arc<Document>>>,
    /// Documents read by this build whose text is in memory: `serve` moves their bodies to
    /// its scratch file once the build has read them (see [`Memo::spill_sources`]).
    unspilled: Vec<Arc<Document>>,
    markdown: HashMap<String, MdMemo>,
    /// The [`link_env`] the markdown memo's links were resolved in.
    markdown_env: Option<u128>,
    /// What the markdown memo was rendered with: `markdown.unsafe_html` and the digest of the
    /// theme's component specs (`None` without a theme).
    markdown_opts: Option<(bool, Option<u128>, u128)>,
    /// Related lists of the last graph by the digest of what each was computed from (the
    /// document's index, collection and terms, and the candidate lists; see
    /// [`Graph::related_keys`]).
    related: HashMap<u128, Vec<usize>>,
    links: HashMap<String, LinkMemo>,
    /// The [`link_env`] of the link memo.
    links_env: Option<u128>,
    cards: CardMemo,
    pages: PageMemo,
    last: Option<Last>,
    /// The body warnings of the last build whose graph was not kept, with its documents (see
    /// [`Memo::warned`]).
    warned: Option<(Vec<Arc<Document>>, Warned)>,
    /// Bodies with their images made responsive, and their image checks (see [`Memo::media`]).
    media: media::MediaMemo,
    /// Tokenised search chunks of the last index.
    search_memo: crate::search::Memo,
    /// The search files in the last output: the index of the last build that had one (served
    /// until the index of the current state is ready).
    search_served: Search,
    /// The link check's record of every page of the last build, with the digest of the bytes
    /// it was taken from (a page with the same bytes keeps its record).
    link_memo: Option<links::OutputLinks>,
    /// The warnings of the last link check that found no error (see [`Memo::check_output`]).
    link_warnings: Option<Vec<Diagnostic>>,
    /// The documents and aliases of that check's graph.
    link_docs: Option<(Vec<Arc<Document>>, Aliases)>,
    /// Where a keeping memo (`serve`) keeps what it would otherwise hold in memory (see
    /// [`Memo::stores`]): the folder, the scratch file of the pages and that of the bodies.
    stores: Option<Stores>,
}

/// The scratch files of `serve` (see [`crate::fsx::spill`]): the pages it renders and serves
/// from disk, and the bodies' HTML and section texts (as a build spills them; a new file when
/// every body is rendered again, the old one going with the last body in it). Both reuse the
/// space of a part when no build or request uses it any more ([`crate::fsx::spill::Spill::reusing`]).
struct Stores {
    dir: PathBuf,
    pages: Arc<crate::fsx::spill::Spill>,
    bodies: Arc<crate::fsx::spill::Spill>,
    /// The content files' bodies, once a build has read them (see [`Memo::spill_sources`]).
    sources: Arc<crate::fsx::spill::Spill>,
}

/// A search index as a build gives it: the files, and those of them `serve` keeps in its scratch
/// file of pages rather than in memory (in `files` with no bytes, see [`site::Built::disk`]; at
/// 10,000 documents the index is 18 MB, and `serve` held it in memory twice while a new one was
/// swapped in).
pub(crate) type Search = (Files, site::Disk);

/// What changed since the last build.
#[derive(Default)]
struct Changes {
    /// `config.yaml` or a path we cannot place: everything but the markdown is rebuilt.
    global: bool,
    /// A template or static file of the theme or the site.
    theme: bool,
    /// Content files (site-relative paths).
    content: Vec<String>,
}

/// A collection config.yaml adds (`newsletters`) with no name of its own in a language other
/// than the default (`label_newsletters`, `plural_newsletters` in `site/i18n/es.yaml`): its
/// pages in that language call it by config's name, in the default language. One warning per
/// collection and language, at the collection in config.yaml.
fn custom_collections_unnamed(cfg: &Config, theme: &Theme, site_dir: &Path) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if cfg.schemas.custom.is_empty() {
        return out;
    }
    let config = crate::config::ConfigFile::read(site_dir);
    for lang in cfg.languages.iter().skip(1) {
        let have = theme.strings.of(&lang.code);
        for c in &cfg.schemas.custom {
            let (label, plural) = (
                format!("label_{}", c.name()),
                format!("plural_{}", c.name()),
            );
            if have.contains_key(&label) && have.contains_key(&plural) {
                continue;
            }
            let at = crate::config::declared_at(config.text(), "collections", c.name())
                .unwrap_or((1, 1));
            let file = crate::diagnostics::display_path(
                &site_dir.join("i18n").join(format!("{}.yaml", lang.code)),
            );
            out.push(
                config
                    .warning(
                        at,
                        format!(
                            "the collection `{}` has no `{}` ({}) name: its pages in that language call it \"{}\" and \"{}\", in {}",
                            c.name(),
                            lang.code,
                            lang.name,
                            c.label(),
                            c.plural_label(),
                            cfg.default_language().name
                        ),
                    )
                    .with_help(format!(
                        "add `{label}: …` (one document) and `{plural}: …` (the list) to {file}"
                    )),
            );
        }
    }
    out
}

/// A loaded theme and its static files.
pub(crate) struct Loaded {
    pub theme: Arc<Theme>,
    pub statics: render::Statics,
    /// The images among the static files, processed (or loaded from the cache).
    pub images: crate::media::Images,
    /// The image cache (with its record of the files it has seen).
    pub cache: Arc<crate::media::Cache>,
    pub diags: Vec<Diagnostic>,
}

/// The content files of the last scan, parsed.
struct Sources {
    files: Vec<SourceFile>,
    scan_diags: Vec<Diagnostic>,
    parsed: HashMap<String, Parsed>,
}

#[derive(Clone)]
struct Parsed {
    doc: Option<Arc<Document>>,
    diags: Vec<Diagnostic>,
    /// What a file that did not parse still tells (see [`content::Stub`]).
    stub: Option<Arc<content::Stub>>,
    /// The document was read without its front matter values (no translation's file name names
    /// it: see [`Originals`]); read again with them when a translation turns out to be of it.
    bare: bool,
}

/// One document's rendered markdown and what it was rendered from.
struct MdMemo {
    doc: Arc<Document>,
    /// Every `.md` link the renderer asked about (each once), and a digest of the URL it got
    /// ([`url_key`]; issue 15: the URLs themselves and the list's spare room were ~8 MB of what
    /// `serve` keeps at 10,000 documents).
    resolved: Box<[(Box<str>, u128)]>,
    body: Arc<Rendered>,
    transcript: Option<Arc<Rendered>>,
}

/// A document's markdown: a new memo entry when it was rendered, the body, the transcript.
type MdResult = (Option<MdMemo>, Arc<Rendered>, Option<Arc<Rendered>>);

/// `results` with every miss (`None`) filled by `miss(i)`, the misses computed in parallel: the
/// shape of each stage that reuses per-document results (a cheap test in one pass, the rest in
/// parallel).
fn fill_misses<T: Send>(mut results: Vec<Option<T>>, miss: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let misses: Vec<usize> = results
        .iter()
        .enumerate()
        .filter(|(_, r)| r.is_none())
        .map(|(i, _)| i)
        .collect();
    let filled: Vec<(usize, T)> = misses.into_par_iter().map(|i| (i, miss(i))).collect();
    for (i, r) in filled {
        if let Some(slot) = results.get_mut(i) {
            *slot = Some(r);
        }
    }
    results.into_iter().flatten().collect()
}

/// What stage 2 gives: diagnostics, documents, and stubs of the files that did not parse.
pub(crate) type Read = (Vec<Diagnostic>, Vec<Arc<Document>>, Vec<Arc<content::Stub>>);

/// What stage 4 gives per document: rendered body, rendered transcript, link check.
pub(crate) type Stage4 = (
    Vec<Arc<Rendered>>,
    Vec<Option<Arc<Rendered>>>,
    Vec<site::LinkCheck>,
);

/// One document's link check and what it was computed from.
struct LinkMemo {
    doc: Arc<Document>,
    body: u128,
    /// The rendered-body digest of each document its links point at.
    targets: Vec<u128>,
    check: site::LinkCheck,
}

/// The last build that got as far as its pages.
pub(crate) struct Last {
    pub cfg: Arc<Config>,
    pub graph: Graph,
    pub graph_diags: Vec<Diagnostic>,
    /// The diagnostics of reading the content files.
    pub read_diags: Vec<Diagnostic>,
    pub rendered: Vec<Arc<Rendered>>,
    pub transcripts: Vec<Option<Arc<Rendered>>>,
    /// Per document: link diagnostics and link targets.
    pub links: Vec<site::LinkCheck>,
    pub cards: Arc<Cards>,
    /// HTML pages among `files`.
    pub html_pages: usize,
    /// Pages, feeds and static files (no search index).
    pub files: Files,
    /// The files among `files` left on disk (see `site::Built::disk`).
    pub disk: site::Disk,
    /// The search index built for this state, `None` until [`Memo::search`] ran.
    pub search: Option<Search>,
    /// The outbound links of the pages (for `lmp check --external`).
    pub outbound: Vec<linkcheck::Outbound>,
    /// The images and the image checks' diagnostics.
    pub media: Media,
    /// The graph stage's warnings that read bodies.
    pub warned: Warned,
}

/// The warnings of the graph stage that read bodies, kept in [`Last`] for a body-only rebuild:
/// each document's [`graph::body_warnings`], the documents that share a title (the only ones
/// [`graph::duplicate_warnings`] compares; a function of front matter) and the copies found in
/// each of those groups.
#[derive(Default)]
pub(crate) struct Warned {
    pub body: Vec<Vec<Diagnostic>>,
    pub same_titles: Vec<Vec<usize>>,
    pub copies: Vec<Vec<Diagnostic>>,
}

impl Warned {
    /// Every warning: the bodies', copies and the regions' figures.
    pub(crate) fn diagnostics(&self, graph: &Graph) -> Vec<Diagnostic> {
        let mut out: Vec<Diagnostic> = self.body.iter().flatten().cloned().collect();
        out.extend(self.copies.iter().flatten().cloned());
        out.extend(graph::figures_warnings(&graph.docs));
        out
    }
}

/// The media stage's result (kept in [`Last`] for a body-only rebuild): the processed images,
/// the image and video diagnostics of each document's body and front matter, and those of the
/// video fields ([`crate::media::video::check_fields`]).
#[derive(Default)]
pub(crate) struct Media {
    pub images: crate::media::Images,
    pub docs: Vec<Vec<Diagnostic>>,
    pub fields: Vec<Diagnostic>,
}

impl Media {
    pub(crate) fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.docs.iter().flatten().chain(&self.fields)
    }
}

/// What the graph stage gives: a new graph, or the last one with only bodies changed.
pub(crate) enum Graphed {
    New {
        graph: Box<Graph>,
        diags: Vec<Diagnostic>,
    },
    /// The last build's state with the edited documents swapped in (their indices).
    Bodies {
        last: Box<Last>,
        docs: HashSet<usize>,
    },
}

impl Memo {
    /// A memo that keeps what the next build can reuse (`serve`).
    pub(crate) fn keeping() -> Memo {
        Memo {
            keep: true,
            ..Memo::default()
        }
    }

    /// A one-off memo for a build that writes nothing (`lmp check`).
    /// The config the next build uses instead of reading config.yaml (read once per command,
    /// so that its errors are reported once and every part of the command sees one file).
    pub(crate) fn given_config(mut self, cfg: Arc<Config>) -> Memo {
        self.given_config = Some(cfg);
        self
    }

    pub(crate) fn checking() -> Memo {
        Memo {
            dry: true,
            ..Memo::default()
        }
    }

    pub(crate) fn keeps(&self) -> bool {
        self.keep
    }

    /// Record the paths changed since the last build (classified by `crate::incremental`).
    pub(crate) fn changed(&mut self, global: bool, theme: bool, content: Vec<String>) {
        self.changes.global |= global;
        self.changes.theme |= theme;
        self.changes.content.extend(content);
    }

    /// `serve`'s scratch files (see [`Stores`]), made at its first build: in the image cache's
    /// folder (on the site's disk: the system's temporary folder may be memory), else in the
    /// temporary folder; without them pages and bodies are held in memory.
    pub(crate) fn stores(&mut self, site_dir: &Path, cfg: &Config) {
        if !self.keep || self.stores.is_some() {
            return;
        }
        let cache = crate::media::cache_dir(site_dir, cfg.cache_dir.as_deref());
        let made = [cache, std::env::temp_dir()].into_iter().find_map(|dir| {
            let make = || -> anyhow::Result<Stores> {
                crate::fsx::create_dir_all(&dir)?;
                let pages = Arc::new(crate::fsx::spill::Spill::reusing(&dir)?);
                let bodies = Arc::new(crate::fsx::spill::Spill::reusing(&dir)?);
                let sources = Arc::new(crate::fsx::spill::Spill::reusing(&dir)?);
                Ok(Stores {
                    dir: dir.clone(),
                    pages,
                    bodies,
                    sources,
                })
            };
            make()
                .map_err(|e| log::debug!("pages and bodies held in memory: {e:#}"))
                .ok()
        });
        self.stores = made;
    }

    /// `serve`: the bodies of the documents this build read go to the scratch file of sources
    /// (see [`content::Source`]), now that the build has read them (markdown, body warnings,
    /// image checks): a later build reads one back only to render it again or to place a
    /// message in it. Without the scratch file they stay in memory.
    pub(crate) fn spill_sources(&mut self) {
        let Some(s) = &self.stores else {
            self.unspilled.clear();
            return;
        };
        let docs = std::mem::take(&mut self.unspilled);
        let spilled = docs
            .par_iter()
            .filter(|d| d.text.spill(&s.sources, &d.path))
            .count();
        log::debug!("source bodies moved to disk: {spilled} of {}", docs.len());
    }

    /// Where `serve` keeps the pages it renders (see [`Memo::stores`]).
    pub(crate) fn page_store(&self) -> Option<Arc<crate::fsx::spill::Spill>> {
        self.stores.as_ref().map(|s| s.pages.clone())
    }

    /// The folders of the loaded theme.
    pub(crate) fn theme_dirs(&self) -> &[PathBuf] {
        self.theme
            .as_ref()
            .map(|l| l.theme.dirs.as_slice())
            .unwrap_or_default()
    }

    /// Start a build with `opts`: new options count as a global change. True when nothing the
    /// build reads changed since a build that got to its pages.
    pub(crate) fn begin(&mut self, opts: &Options) -> bool {
        if self.opts.as_ref() != Some(opts) {
            self.changes.global = true;
            self.opts = Some(opts.clone());
        }
        let c = &self.changes;
        let theme = c.global || c.theme;
        if theme {
            // Every page may change: no page is rendered from the last state alone, and no
            // link check's result is reused without checking (templates and config place
            // and word its warnings).
            self.theme = None;
            self.link_warnings = None;
            self.pages.clear();
            self.cards.clear();
            // The media memo's keys leave the config and the theme out.
            self.media.clear();
            drop_later(self.last.take());
        }
        if c.global {
            self.config = None;
            self.sources = None;
            // Paths in diagnostics may have changed with the site folder.
            self.links.clear();
            // Page input keys leave config out: forget them (fingerprints stay valid).
            for m in self.pages.values_mut() {
                m.inputs = None;
            }
        }
        let unchanged = !theme && c.content.is_empty() && self.last.is_some();
        (self.changes.global, self.changes.theme) = (false, false);
        unchanged
    }

    /// Stage 1: `config.yaml` (with the `--base-url` override).
    pub(crate) fn config(&mut self, opts: &Options) -> Result<Arc<Config>, Vec<Diagnostic>> {
        if let Some(c) = &self.config {
            return Ok(c.clone());
        }
        if let Some(c) = self.given_config.take() {
            if self.keep {
                self.config = Some(c.clone());
            }
            return Ok(c);
        }
        match site::load_config(opts) {
            Ok(c) => {
                let c = Arc::new(c);
                if self.keep {
                    self.config = Some(c.clone());
                }
                Ok(c)
            }
            Err(d) => {
                self.sources = None;
                Err(d)
            }
        }
    }

    /// Stage 1: the theme and its static files.
    /// `hashed`: stylesheets and scripts are linked by content-hashed names (see
    /// [`Theme::fingerprint`]); never in a memo that keeps its state (`serve`, which swaps a
    /// changed stylesheet in place).
    pub(crate) fn theme(
        &mut self,
        cfg: &Config,
        site_dir: &Path,
        hashed: bool,
    ) -> Result<Arc<Loaded>, Vec<Diagnostic>> {
        if let Some(l) = &self.theme {
            return Ok(l.clone());
        }
        let theme_dir = crate::render::theme::theme_dir(cfg, site_dir)?;
        let mut theme = Theme::load(theme_dir.as_deref(), site_dir, site_dir)?;
        theme.fingerprint(hashed && !self.keep);
        // Every word the theme prints, in every language of the site; the site's own
        // collections are named in each language by its strings files, if they say so.
        let codes: Vec<String> = cfg.languages.iter().map(|l| l.code.clone()).collect();
        theme.strings.allow(
            cfg.schemas
                .custom
                .iter()
                .flat_map(|c| ["label", "plural"].map(|k| format!("{k}_{}", c.name()))),
        );
        // Its warnings (a site's string that leaves out a `{value}`) are the theme's.
        let (warnings, missing): (Vec<_>, Vec<_>) = theme
            .strings
            .check(&codes, site_dir)
            .into_iter()
            .partition(|d| !d.is_error());
        if !missing.is_empty() {
            return Err(missing);
        }
        let mut unnamed = custom_collections_unnamed(cfg, &theme, site_dir);
        unnamed.extend(warnings);
        let theme = Arc::new(theme);
        let (statics, mut diags) = render::statics(&theme);
        diags.extend(unnamed);
        let cache_dir = crate::media::cache_dir(site_dir, cfg.cache_dir.as_deref());
        // Hostile author s22-23: a cache inside the site or theme folders is refused here,
        // where the build resolves it, before any image is written (`lmp check` wrote there).
        if let Err(e) = crate::fsx::output::check_cache(&cache_dir, site_dir, theme_dir.as_slice())
        {
            return Err(vec![cache_refused(site_dir, cfg, &e)]);
        }
        let cache = crate::media::Cache::new(cache_dir);
        let cache = if self.dry { cache.dry() } else { cache };
        let (images, svg_diags) =
            crate::media::process_statics(&cache, &statics, &|p| theme.file_of(p));
        diags.extend(svg_diags);
        let loaded = Arc::new(Loaded {
            theme,
            statics,
            images,
            cache: Arc::new(cache),
            diags,
        });
        self.theme = Some(loaded.clone());
        Ok(loaded)
    }

    /// Stage 2: the content files read and their front matter parsed (only the changed ones
    /// when no file appeared or went); their diagnostics, the documents, and what the files that
    /// did not parse still tell.
    pub(crate) fn read(&mut self, site_dir: &Path, cfg: &Config) -> anyhow::Result<Read> {
        let mut content = std::mem::take(&mut self.changes.content);
        // A document reached through a symlink changes when the file it points to does.
        content.extend(self.linked_to(site_dir, &content));
        let old_docs = match self.update_sources(site_dir, cfg, &content) {
            Ok(old) => old,
            Err(e) => {
                // The last state no longer matches the sources: start afresh next time.
                self.last = None;
                return Err(e);
            }
        };
        let Some(sources) = &self.sources else {
            anyhow::bail!("no content was read");
        };
        // Body-only edits: every changed path a known document whose front matter is the same.
        self.body_edits = old_docs.and_then(|old| {
            let mut edits = Vec::new();
            for (rel, before) in old {
                let now = sources.parsed.get(&rel)?;
                let (a, b) = (before.doc.as_ref()?, now.doc.as_ref()?);
                if *a.front_matter() != *b.front_matter() || before.diags != now.diags {
                    return None;
                }
                edits.push(b.clone());
            }
            Some(edits)
        });
        if self.body_edits.is_some()
            && let Some(last) = &self.last
        {
            // The graph stage keeps the last graph: the documents are not needed, and the
            // diagnostics are the same (see above).
            return Ok((last.read_diags.clone(), Vec::new(), Vec::new()));
        }
        let mut diags = sources.scan_diags.clone();
        for f in &sources.files {
            if let Some(p) = sources.parsed.get(&f.rel) {
                diags.extend(p.diags.iter().cloned());
            }
        }
        let docs = sources
            .files
            .iter()
            .filter_map(|f| sources.parsed.get(&f.rel)?.doc.clone())
            .collect();
        let broken = sources
            .files
            .iter()
            .filter_map(|f| sources.parsed.get(&f.rel)?.stub.clone())
            .collect();
        if !self.keep {
            // A one-off build reads the sources once: the documents are the graph's alone, so
            // that their text can be freed once no diagnostic needs it (see `pipeline`).
            self.sources = None;
        }
        Ok((diags, docs, broken))
    }

    /// The content files that are symlinks to (or inside a folder link to) a changed file.
    fn linked_to(&self, site_dir: &Path, changed: &[String]) -> Vec<String> {
        let Some(s) = &self.sources else {
            return Vec::new();
        };
        if changed.is_empty() || !s.files.iter().any(|f| f.target.is_some()) {
            return Vec::new();
        }
        let root = crate::fsx::absolute(site_dir);
        let targets: HashSet<PathBuf> = changed.iter().map(|r| root.join(r)).collect();
        s.files
            .iter()
            .filter(|f| f.target.as_ref().is_some_and(|t| targets.contains(t)))
            .filter(|f| !changed.contains(&f.rel))
            .map(|f| f.rel.clone())
            .collect()
    }

    /// Re-read the changed content files, rescanning when a file appeared or went. Without a
    /// rescan: the entries replaced (path, what it was).
    fn update_sources(
        &mut self,
        site_dir: &Path,
        cfg: &Config,
        changed: &[String],
    ) -> anyhow::Result<Option<Vec<(String, Parsed)>>> {
        let schemas = &cfg.schemas;
        let changed: HashSet<&str> = changed.iter().map(String::as_str).collect();
        let no_values = Arc::new(serde_json::Map::new());
        let read = |f: &SourceFile, loaded: content::Loaded, values: bool| {
            let (mut doc, diags) = content::parse_loaded(site_dir, f, loaded, schemas);
            let stub = match doc {
                None => content::read_stub(site_dir, f, schemas).map(Arc::new),
                Some(_) => None,
            };
            let mut bare = false;
            if let Some(d) = &mut doc
                && !values
            {
                d.values = no_values.clone();
                bare = true;
            }
            Parsed {
                doc: doc.map(Arc::new),
                diags,
                stub,
                bare,
            }
        };
        let keep = self.keep;
        let fresh = std::sync::Mutex::new(Vec::new());
        let read = |f: &SourceFile, loaded: content::Loaded, values: bool| {
            let p = read(f, loaded, values);
            if keep && let Some(d) = &p.doc {
                fresh
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push(d.clone());
            }
            p
        };
        // An original named otherwise than by its translation's file name (`translation_of:`,
        // or a name stored in the other Unicode form: see `content::parse`) was read without
        // its values: read it again with them.
        let with_values = |files: &[SourceFile], parsed: &mut HashMap<String, Parsed>| {
            for rel in Originals::bare(parsed) {
                if let Some(f) = files.iter().find(|f| f.rel == rel) {
                    parsed.insert(rel, read(f, content::load_file(f), true));
                }
            }
        };
        if let Some(s) = &mut self.sources
            && changed
                .iter()
                .all(|rel| s.parsed.contains_key(*rel) && crate::fsx::is_file(&site_dir.join(rel)))
        {
            // The same files: read the changed ones again.
            let originals = Originals::of(&s.files);
            let mut old = Vec::new();
            for f in s.files.iter().filter(|f| changed.contains(f.rel.as_str())) {
                let values = originals.may_be_original(&f.rel);
                if let Some(p) = s
                    .parsed
                    .insert(f.rel.clone(), read(f, content::load_file(f), values))
                {
                    old.push((f.rel.clone(), p));
                }
            }
            with_values(&s.files, &mut s.parsed);
            self.unspilled
                .extend(fresh.into_inner().unwrap_or_else(|e| e.into_inner()));
            return Ok(Some(old));
        }
        let mut old = self.sources.take().map(|s| s.parsed).unwrap_or_default();
        let (files, scan_diags) = content::scan(site_dir, site_dir, schemas)?;
        let originals = Originals::of(&files);
        let kept: Vec<Option<Parsed>> = files
            .iter()
            .map(|f| {
                old.remove(&f.rel)
                    .filter(|_| !changed.contains(f.rel.as_str()))
                    // A first translation of it: the original is read again for the values
                    // it inherits.
                    .filter(|p| !p.bare || !originals.may_be_original(&f.rel))
            })
            .collect();
        let mut todo = Vec::new();
        let mut kept_parsed = Vec::new();
        for (f, p) in files.iter().zip(kept) {
            match p {
                Some(p) => kept_parsed.push((f.rel.clone(), p)),
                None => todo.push(f),
            }
        }
        // Loaded by reader threads ahead of the parsers: the waits for the disk overlap.
        let mut parsed: HashMap<String, Parsed> = crate::fsx::ahead::load_then(
            todo.len(),
            |i| content::load_file(todo[i]),
            content::Loaded::len,
            |i, loaded| {
                let f = todo[i];
                (
                    f.rel.clone(),
                    read(f, loaded, originals.may_be_original(&f.rel)),
                )
            },
        );
        parsed.extend(kept_parsed);
        with_values(&files, &mut parsed);
        self.sources = Some(Sources {
            files,
            scan_diags,
            parsed,
        });
        self.unspilled
            .extend(fresh.into_inner().unwrap_or_else(|e| e.into_inner()));
        Ok(None)
    }

    /// Stage 3: the content graph, or the last one when only bodies changed (see [`Graphed`]).
    /// From here on the last build's state is out of date, whatever happens.
    pub(crate) fn graph(
        &mut self,
        cfg: &Config,
        (docs, broken): (Vec<Arc<Document>>, Vec<Arc<content::Stub>>),
        include: Include,
        site_dir: &Path,
    ) -> Graphed {
        // The last state is freed on another thread when it is not reused (at 10,000
        // documents that took ~15 ms of a title edit).
        let last = match (self.last.take(), self.body_edits.take()) {
            (Some(last), Some(edits)) => Some((last, edits)),
            (last, _) => {
                if let Some(mut l) = last {
                    if self.keep {
                        self.warned = Some((l.graph.docs.clone(), std::mem::take(&mut l.warned)));
                    }
                    drop_later(l);
                }
                None
            }
        };
        if let Some((mut last, edits)) = last {
            let mut changed = HashSet::new();
            for mut doc in edits {
                if let Some(&i) = last.graph.by_rel.get(&doc.rel) {
                    // A translation with what it inherits, as `graph::build` gives it.
                    if let Some(t) = &doc.translation
                        && let Some(&o) = last.graph.by_rel.get(&t.original)
                    {
                        doc = Arc::new(
                            crate::content::i18n::inherit(cfg, &doc, &last.graph.docs[o]).0,
                        );
                    }
                    last.graph.docs[i] = doc;
                    changed.insert(i);
                }
            }
            return Graphed::Bodies {
                last: Box::new(last),
                docs: changed,
            };
        }
        let known = |key: u128| self.related.get(&key).cloned();
        let (graph, diags) = graph::build(cfg, docs, include, site_dir, &known, broken);
        if self.keep {
            // A translation's list is mapped to its language after the fact: not kept.
            self.related = graph
                .related_keys
                .iter()
                .copied()
                .zip(graph.related.iter().cloned())
                .zip(&graph.docs)
                .filter(|(_, d)| d.translation.is_none())
                .map(|(r, _)| r)
                .collect();
        }
        Graphed::New {
            graph: Box::new(graph),
            diags,
        }
    }

    /// Stage 3's warnings that read bodies (see [`Warned`]), for a new graph: a document's
    /// body warnings are reused when it is the same document as in the last graph (a function
    /// of the document alone), a group's copy warnings when the group has the same documents.
    pub(crate) fn warned(&mut self, graph: &Graph) -> Warned {
        let (old_docs, old) = self.warned.take().unwrap_or_default();
        let by_rel: HashMap<&str, usize> = old_docs
            .iter()
            .enumerate()
            .map(|(j, d)| (d.rel.as_str(), j))
            .collect();
        // The index in the last graph of the same document (the same value).
        let same = |i: usize| -> Option<usize> {
            let d = &graph.docs[i];
            let &j = by_rel.get(d.rel.as_str())?;
            same_doc(&old_docs[j], d).then_some(j)
        };
        let body = (0..graph.docs.len())
            .into_par_iter()
            .map(|i| match same(i).and_then(|j| old.body.get(j)) {
                Some(w) => w.clone(),
                None => graph::body_warnings(&graph.docs[i]),
            })
            .collect();
        let same_titles = graph::same_titles(&graph.docs);
        let old_groups: HashMap<&[usize], usize> = old
            .same_titles
            .iter()
            .enumerate()
            .map(|(k, g)| (g.as_slice(), k))
            .collect();
        let copies = same_titles
            .par_iter()
            .map(|g| {
                let was: Option<Vec<usize>> = g.iter().map(|&i| same(i)).collect();
                match was.and_then(|w| old_groups.get(w.as_slice()).copied()) {
                    Some(k) => old.copies[k].clone(),
                    None => graph::duplicate_warnings(&graph.docs, g),
                }
            })
            .collect();
        let warned = Warned {
            body,
            same_titles,
            copies,
        };
        drop_later((old_docs, old));
        warned
    }

    /// Stage 4: every document's markdown, reused from the memo where exact.
    pub(crate) fn markdown(
        &mut self,
        cfg: &Config,
        graph: &Graph,
        env: u128,
        host: Option<&dyn Host>,
        spill: Option<&Arc<crate::fsx::spill::Spill>>,
    ) -> (Vec<Arc<Rendered>>, Vec<Option<Arc<Rendered>>>) {
        // Other options, or components declared otherwise: nothing rendered before is valid.
        // The languages' prefixes too: a body's site addresses say their language (`hreflang`).
        let prefixes: String = cfg
            .languages
            .iter()
            .map(|l| format!("{} {} ", l.code, l.prefix))
            .collect();
        let opts = (
            cfg.unsafe_html,
            host.map(|h| h.digest()),
            xxhash_rust::xxh3::xxh3_128(prefixes.as_bytes()),
        );
        if self.markdown_opts != Some(opts) {
            self.markdown.clear();
            self.markdown_opts = Some(opts);
            // Every body is rendered again: into a new scratch file (the old one goes with the
            // last body in it).
            if let Some(s) = &mut self.stores
                && s.bodies.size() > 0
                && let Ok(fresh) = crate::fsx::spill::Spill::reusing(&s.dir)
            {
                s.bodies = Arc::new(fresh);
            }
        }
        // `serve` spills the bodies it keeps as a build spills its own.
        let own = self.stores.as_ref().map(|s| s.bodies.clone());
        let spill = spill.or(own.as_ref());
        let sources = self.stores.as_ref().map(|s| &s.sources);
        let memo = &self.markdown;
        // Every link resolves as before when no document's path or URL changed.
        let same_env = self.markdown_env == Some(env);
        // The cheap test first, in one pass; the rest (resolving links, rendering) in parallel.
        let hit = |i: usize| -> Option<&MdMemo> {
            let d = &graph.docs[i];
            memo.get(&d.rel)
                .filter(|m| same_env && same_markdown(&m.doc, d) && components_unchanged(m, host))
        };
        let results: Vec<Option<MdResult>> = (0..graph.docs.len())
            .map(|i| hit(i).map(|m| (None, m.body.clone(), m.transcript.clone())))
            .collect();
        let results: Vec<MdResult> = fill_misses(results, |i| {
            let d = &graph.docs[i];
            if let Some(m) = memo.get(&d.rel)
                && same_markdown(&m.doc, d)
                && m.resolved
                    .iter()
                    .all(|(link, url)| url_key(resolve(cfg, graph, d, link).as_deref()) == *url)
                && components_unchanged(m, host)
            {
                return (None, m.body.clone(), m.transcript.clone());
            }
            let mut m = render_doc(cfg, graph, d, host);
            // A one-off build writes the body to its scratch file as soon as it is rendered
            // (see `Rendered::spill`), and keeps nothing else of the rendering.
            if let Some(s) = spill
                && let Some(b) = Arc::get_mut(&mut m.body)
            {
                b.spill(s);
            }
            // `serve`: the document's text goes to the scratch file of sources as soon as its
            // body is rendered, not once every body is (issue 15: at 100,000 documents the
            // texts, ~580 MB, were all in memory at the end of the markdown stage, where the
            // first build's peak was, 1,544 MiB). What reads it later in this build (a message
            // to place) reads it back. A one-off build frees it as soon as it is rendered (its
            // markdown is rendered once), to be read again from its file for a message: the
            // texts were freed only when the pages began, and the end of the markdown stage
            // was a 100,000-document build's peak (1,370 MiB; docs/benchmarks.md, session 22).
            match sources {
                Some(s) => {
                    d.text.spill(s, &d.path);
                }
                None if !self.keep => d.text.free_body(&d.path),
                None => {}
            }
            let (b, tr) = (m.body.clone(), m.transcript.clone());
            (self.keep.then_some(m), b, tr)
        });
        let mut rendered = Vec::with_capacity(results.len());
        let mut transcripts = Vec::with_capacity(results.len());
        let mut fresh = Vec::new();
        for (m, b, tr) in results {
            rendered.push(b);
            transcripts.push(tr);
            fresh.extend(m);
        }
        if self.keep {
            if self.markdown_env != Some(env) {
                self.markdown_env = Some(env);
                let live: HashSet<&str> = graph.docs.iter().map(|d| d.rel.as_str()).collect();
                self.markdown.retain(|rel, _| live.contains(rel.as_str()));
            }
            for m in fresh {
                self.markdown.insert(m.doc.rel.clone(), m);
            }
        }
        (rendered, transcripts)
    }

    /// Stage 4 after a body-only edit (see [`Graphed::Bodies`]): the markdown of the edited
    /// documents `docs`, and the links of those and of the documents linking to them, checked
    /// again in the last build's results.
    pub(crate) fn bodies(
        &mut self,
        cfg: &Config,
        graph: &Graph,
        docs: &HashSet<usize>,
        host: Option<&dyn Host>,
        (mut rendered, mut transcripts, mut links): Stage4,
    ) -> Stage4 {
        let spill = self.stores.as_ref().map(|s| s.bodies.clone());
        for &i in docs {
            let mut m = render_doc(cfg, graph, &graph.docs[i], host);
            if let Some(s) = &spill
                && let Some(b) = Arc::get_mut(&mut m.body)
            {
                b.spill(s);
            }
            rendered[i] = m.body.clone();
            transcripts[i] = m.transcript.clone();
            if self.keep {
                self.markdown.insert(m.doc.rel.clone(), m);
            }
        }
        // Links from the edited documents, and links into them (their anchors may have changed).
        let mut check = docs.clone();
        for (j, (_, targets)) in links.iter().enumerate() {
            if targets.iter().any(|t| docs.contains(t)) {
                check.insert(j);
            }
        }
        let hints = site::MissingHints::new(graph);
        for j in check {
            let c = site::check_doc_links(graph, &rendered, &hints, j);
            if self.keep {
                let m = LinkMemo {
                    doc: graph.docs[j].clone(),
                    body: rendered[j].digest,
                    targets: c.1.iter().map(|&t| rendered[t].digest).collect(),
                    check: c.clone(),
                };
                self.links.insert(m.doc.rel.clone(), m);
            }
            links[j] = c;
        }
        (rendered, transcripts, links)
    }

    /// Stage 4: every document's links checked, reused per document where exact.
    pub(crate) fn links(
        &mut self,
        env: u128,
        graph: &Graph,
        rendered: &[Arc<Rendered>],
    ) -> Vec<site::LinkCheck> {
        if !self.keep {
            return site::check_links(graph, rendered);
        }
        if self.links_env != Some(env) {
            // Indices and resolutions may have changed.
            self.links.clear();
            self.links_env = Some(env);
        }
        let memo = &self.links;
        // Cheap tests in one pass; the documents to check again in parallel.
        let results: Vec<Option<(Option<LinkMemo>, site::LinkCheck)>> = (0..graph.docs.len())
            .map(|i| {
                let d = &graph.docs[i];
                let m = memo.get(&d.rel)?;
                let same =
                    m.body == rendered[i].digest
                        && (Arc::ptr_eq(&m.doc, d) || same_text(&m.doc, d))
                        && m.check.1.iter().zip(&m.targets).all(|(&j, &digest)| {
                            rendered.get(j).is_some_and(|r| r.digest == digest)
                        });
                same.then(|| (None, m.check.clone()))
            })
            .collect();
        let hints = site::MissingHints::new(graph);
        let results = fill_misses(results, |i| {
            let check = site::check_doc_links(graph, rendered, &hints, i);
            let m = LinkMemo {
                doc: graph.docs[i].clone(),
                body: rendered[i].digest,
                targets: check.1.iter().map(|&j| rendered[j].digest).collect(),
                check: check.clone(),
            };
            (Some(m), check)
        });
        let mut out = Vec::with_capacity(results.len());
        for (m, check) in results {
            if let Some(m) = m {
                self.links.insert(m.doc.rel.clone(), m);
            }
            out.push(check);
        }
        out
    }

    /// Stage 5: which pages may reuse earlier bytes, and the cards of the last build.
    pub(crate) fn reuse(&self) -> (Reuse<'_>, Option<&CardMemo>) {
        if self.keep {
            (Reuse::Unchanged(&self.pages), Some(&self.cards))
        } else {
            (Reuse::Never, None)
        }
    }

    /// Keep the fingerprints of the pages just rendered (all of them, or `partial`ly: only
    /// those of the edited documents) and the cards.
    pub(crate) fn rendered(&mut self, pages: PageMemo, partial: bool, cards: &Cards) {
        if !self.keep {
            return;
        }
        if partial {
            self.pages.extend(pages);
        } else {
            drop_later(std::mem::replace(&mut self.pages, pages));
            self.cards = cards.memo();
        }
    }

    /// Stage 6: the link check over the pages and static files (see [`linkcheck`]), reusing the
    /// record of every page whose bytes are the same: the outbound links and the warnings, or
    /// the errors (with the warnings). `changed`: after a body-only edit, the files made again
    /// (the others are the last build's): when their links and ids are the same as before (see
    /// [`links::OutputLinks::same_links`]), the last check's warnings are the answer and no other
    /// page is looked at.
    pub(crate) fn check_output(
        &mut self,
        cfg: &Config,
        graph: &Graph,
        rendered: &[Arc<Rendered>],
        theme: &Theme,
        (files, disk): (&Files, &site::Disk),
        (streamed, changed): (linkcheck::Records, Option<&[String]>),
    ) -> Result<(Vec<linkcheck::Outbound>, Vec<Diagnostic>), Vec<Diagnostic>> {
        let warned = self.link_warnings.take();
        let checked_docs = self.link_docs.take();
        if let (Some(warned), Some(memo)) = (warned, self.link_memo.as_mut()) {
            let taken: Option<Vec<(String, links::Made, Arc<linkcheck::PageRecord>)>> =
                match changed {
                    Some(changed) => changed
                        .iter()
                        .filter(|p| linkcheck::is_checked(p))
                        .map(|p| match (streamed.get(p), disk.get(p), files.get(p)) {
                            (Some(r), Some(d), _) => {
                                Some((p.clone(), (d.digest, d.size), r.clone()))
                            }
                            (_, _, Some(b)) if !site::is_streamed(b) => Some((
                                p.clone(),
                                (xxhash_rust::xxh3::xxh3_128(b), b.len() as u64),
                                Arc::new(linkcheck::PageRecord::of(b)),
                            )),
                            _ => None,
                        })
                        .collect(),
                    // Every page was made again: the pages whose bytes changed, when the output
                    // paths, the aliases and every document whose page the last check found a
                    // problem on are the same (a warning is placed in its document's source).
                    None => checked_docs
                        .filter(|(docs, aliases)| {
                            *aliases == graph.aliases && same_or_clean(memo, docs, graph)
                        })
                        .and_then(|_| {
                            memo.changed_pages((files, disk), &streamed, &|b| !site::is_streamed(b))
                        }),
                };
            if let Some(taken) = taken
                && memo.same_links(taken)
            {
                self.link_warnings = Some(warned.clone());
                self.link_docs = Some((graph.docs.clone(), graph.aliases.clone()));
                return Ok((Vec::new(), warned));
            }
        }
        // The pages written to a sink or kept on disk came with their records (those kept
        // from the last build have theirs in the memo); the others' are taken here.
        let in_memory = files.iter().filter(|(_, b)| !site::is_streamed(b));
        let held = disk.iter().filter(|(_, d)| d.held.is_some()).collect();
        let (records, memo) = links::records(
            in_memory.collect::<Vec<_>>(),
            held,
            streamed,
            self.link_memo.as_ref(),
            self.keep,
        );
        // `serve` reuses the last check's result of every page whose links and targets are the
        // same; it never checks outbound links, so it does not gather them.
        let per_page = |site: &linkcheck::Site<'_>| memo.check_pages(site);
        let (errors, outbound) = linkcheck::build::check_build(&linkcheck::build::Build {
            cfg,
            graph,
            rendered,
            theme,
            files,
            records: &records,
            pages: self.keep.then_some(&per_page as &linkcheck::PerPage<'_>),
            gather: !self.keep,
            unbuilt: None,
        });
        if self.keep {
            drop_later(self.link_memo.replace(memo));
        } else {
            drop_later((records, memo));
        }
        if errors.iter().any(Diagnostic::is_error) {
            Err(errors)
        } else {
            if self.keep {
                self.link_warnings = Some(errors.clone());
                self.link_docs = Some((graph.docs.clone(), graph.aliases.clone()));
            }
            Ok((outbound, errors))
        }
    }

    /// Keep the state of a build that got to its pages.
    pub(crate) fn finish(&mut self, last: Last) {
        self.changes = Changes::default();
        self.last = Some(last);
    }

    /// The last build's state again, when nothing changed since.
    pub(crate) fn last(&self) -> Option<&Last> {
        self.last.as_ref()
    }

    /// The diagnostics of a build that changed nothing: the same as the last build's.
    pub(crate) fn unchanged_diagnostics(&self) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        if let Some(s) = &self.sources {
            diags.extend(s.scan_diags.iter().cloned());
            for f in &s.files {
                if let Some(p) = s.parsed.get(&f.rel) {
                    diags.extend(p.diags.iter().cloned());
                }
            }
        }
        if let Some(last) = &self.last {
            diags.extend(last.graph_diags.iter().cloned());
            diags.extend(last.warned.diagnostics(&last.graph));
            diags.extend(site::markdown_notes(&last.graph, &last.rendered));
            diags.extend(last.media.diagnostics().cloned());
        }
        if let Some(l) = &self.theme {
            diags.extend(l.diags.iter().cloned());
        }
        diags
    }

    /// Pages (and the files among them left on disk) with the search files served now.
    pub(crate) fn with_search(&self, pages: &Files, disk: &site::Disk) -> Search {
        let (files, held) = &self.search_served;
        let mut out = (pages.clone(), disk.clone());
        out.0
            .extend(files.iter().map(|(k, v)| (k.clone(), v.clone())));
        out.1
            .extend(held.iter().map(|(k, v)| (k.clone(), v.clone())));
        out
    }

    /// The search index of the last successful build (computed once). `serve` keeps its files
    /// in the scratch file of pages (see [`Memo::stores`]), each written there as soon as it is
    /// made, and serves them from it; a file that cannot be written there stays in memory.
    pub(crate) fn search(&mut self) -> Option<Search> {
        let last = self.last.as_mut()?;
        let mut fresh = false;
        if last.search.is_none() {
            let store = self.stores.as_ref().map(|s| s.pages.clone());
            if let Some(s) = &store {
                // The tokenised chunks go to disk with the index files (issue 15).
                self.search_memo.keep_on(s.clone());
            }
            let memo = self.keep.then_some(&mut self.search_memo);
            let strings = self.theme.as_ref().map(|l| &l.theme.strings);
            let made = std::sync::Mutex::new(Search::default());
            // A file with the same bytes as one of the index served now keeps its place on disk:
            // the index's folder is named by its content, so an edit changes every file's path
            // but not every file's bytes.
            let before: HashMap<(u128, u64), &Arc<crate::fsx::OnDisk>> = self
                .search_served
                .1
                .values()
                .filter(|d| d.held.is_some())
                .map(|d| ((d.digest, d.size), d))
                .collect();
            let reused = std::sync::atomic::AtomicUsize::new(0);
            let put = |rel: String, bytes: Vec<u8>| -> anyhow::Result<()> {
                let key = (xxhash_rust::xxh3::xxh3_128(&bytes), bytes.len() as u64);
                if let Some(&d) = before.get(&key) {
                    reused.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let mut m = made.lock().unwrap_or_else(|e| e.into_inner());
                    m.0.insert(rel.clone(), site::streamed());
                    m.1.insert(rel, d.clone());
                    return Ok(());
                }
                let held = store.as_ref().and_then(|s| {
                    let name = format!("<lmp serve's pages>/{rel}");
                    crate::fsx::OnDisk::held(s, &name, &bytes)
                        .map_err(|e| log::debug!("{rel} kept in memory: {e:#}"))
                        .ok()
                });
                let mut m = made.lock().unwrap_or_else(|e| e.into_inner());
                match held {
                    Some(d) => {
                        m.0.insert(rel.clone(), site::streamed());
                        m.1.insert(rel, Arc::new(d));
                    }
                    None => {
                        m.0.insert(rel, Arc::new(bytes));
                    }
                }
                Ok(())
            };
            if let Err(e) =
                site::search_write(&last.cfg, &last.graph, &last.rendered, strings, memo, &put)
            {
                log::error!("error: the search index: {e:#}");
            }
            let made = made.into_inner().unwrap_or_else(|e| e.into_inner());
            log::debug!(
                "search index: {} of {} files kept from the last index",
                reused.into_inner(),
                made.0.len()
            );
            last.search = Some(made);
            fresh = true;
        }
        self.search_served = last.search.clone().unwrap_or_default();
        let out = last.search.clone();
        if fresh && log::log_enabled!(log::Level::Debug) {
            self.log_held();
        }
        out
    }

    /// The search index of the last successful build, each file given to `put` as soon as it
    /// is made and none kept (a one-off build: see [`crate::search::write`]).
    /// A one-off build's scratch file given back to the system on a thread of its own, once
    /// the search index (its last reader) is written: the output is swapped in meanwhile, and
    /// the process's exit no longer waits for it (see [`crate::fsx::spill::Spill::give_back`]).
    pub(crate) fn give_back_scratch(&self) {
        if self.keeps() {
            return;
        }
        let Some(spill) = self
            .last
            .as_ref()
            .and_then(|l| l.rendered.iter().find_map(|r| r.scratch()))
            .cloned()
        else {
            return;
        };
        let spawned = std::thread::Builder::new()
            .name("lmp-scratch".into())
            .spawn(move || spill.give_back());
        // Without a thread, it goes at the exit as before.
        drop(spawned);
    }

    pub(crate) fn write_search(&self, put: crate::search::index::Put<'_>) -> anyhow::Result<()> {
        let Some(last) = self.last.as_ref() else {
            return Ok(());
        };
        let strings = self.theme.as_ref().map(|l| &l.theme.strings);
        site::search_write(&last.cfg, &last.graph, &last.rendered, strings, None, put)
    }

    /// The paths of the search files in the last output.
    pub(crate) fn search_keys(&self) -> impl Iterator<Item = &String> {
        self.search_served.0.keys()
    }

    /// How many documents of the last read have their whole text in memory, of how many (see
    /// [`Memo::spill_sources`]).
    pub(crate) fn sources_in_memory(&self) -> (usize, usize) {
        let Some(s) = &self.sources else {
            return (0, 0);
        };
        let docs = s.parsed.values().filter_map(|p| p.doc.as_ref());
        docs.fold((0, 0), |(m, n), d| {
            (m + usize::from(d.text.is_in_memory()), n + 1)
        })
    }

    /// `lmp -vv serve`: about how many MB the largest things kept for the next build take (a
    /// walk over everything kept: only when asked for).
    fn log_held(&self) {
        let mb = |b: usize| b / 1_000_000;
        let texts: usize = self.sources.as_ref().map_or(0, |s| {
            s.parsed
                .values()
                .filter_map(|p| p.doc.as_ref())
                .map(|d| {
                    d.front_matter().len()
                        + if d.text.is_in_memory() {
                            d.body().len()
                        } else {
                            0
                        }
                })
                .sum()
        });
        let resolved: usize = self
            .markdown
            .values()
            .flat_map(|m| &m.resolved)
            .map(|(l, _)| l.len() + 32)
            .sum();
        let rendered: usize = self.last.as_ref().map_or(0, |l| {
            l.rendered
                .iter()
                .map(|r| {
                    r.html.capacity()
                        + r.links
                            .iter()
                            .map(|k| k.dest.capacity() + k.alt.capacity() + 120)
                            .sum::<usize>()
                        + r.ids.iter().map(|i| i.capacity() + 24).sum::<usize>()
                        + r.toc.len() * 64
                        + r.sections
                            .iter()
                            .map(|s| s.text.capacity() + 96)
                            .sum::<usize>()
                })
                .sum()
        });
        log::debug!(
            "kept for the next build, about: texts in memory {} MB, markdown links resolved {} MB, rendered bodies' fields {} MB, link records {} MB, search chunks {} MB",
            mb(texts),
            mb(resolved),
            mb(rendered),
            mb(self.link_memo.as_ref().map_or(0, links::OutputLinks::bytes)),
            mb(self.search_memo.bytes()),
        );
    }

    /// For `Debug`: how many pages and documents' markdown are kept.
    pub(crate) fn sizes(&self) -> (usize, usize) {
        (self.pages.len(), self.markdown.len())
    }
}

/// A digest of everything a link's resolution depends on: every document's path and URL, the
/// excluded documents and why, and the base path URLs are written with.
pub(crate) fn link_env(cfg: &Config, graph: &Graph) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let mut put = |s: &str| {
        h.update(&(s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    };
    put(&cfg.url("/"));
    for d in &graph.docs {
        put(&d.rel);
        put(&d.url);
    }
    let mut excluded: Vec<(&String, &&str)> = graph.excluded.iter().collect();
    excluded.sort();
    for (rel, why) in excluded {
        put(rel);
        put(why);
    }
    for (rel, stub) in &graph.broken {
        put(rel);
        put(&stub.ids.join("\n"));
    }
    // Links to a page that expires soon are warned about (QA Q89).
    put(&graph.today.to_string());
    for d in &graph.docs {
        if let Some(e) = d.common.expiry_date {
            put(&d.rel);
            put(&e.to_string());
        }
    }
    let mut on: Vec<(&String, &crate::util::Date)> = graph.excluded_on.iter().collect();
    on.sort();
    for (rel, date) in on {
        put(rel);
        put(&date.to_string());
    }
    h.digest128()
}

/// Whether every document of `graph` is the same (the same value) as in the link check whose
/// documents were `docs`, or its page had no problem in that check: the warnings of that check
/// are placed in its documents' sources, which must not have moved.
fn same_or_clean(memo: &links::OutputLinks, docs: &[Arc<Document>], graph: &Graph) -> bool {
    let by_rel: HashMap<&str, &Arc<Document>> = docs.iter().map(|d| (d.rel.as_str(), d)).collect();
    graph.docs.iter().all(|d| {
        by_rel.get(d.rel.as_str()).is_some_and(|o| same_doc(o, d))
            || memo.clean(&render::url_to_file(&d.url))
    })
}

/// Whether two documents are the same value. The pointer test is the fast path of that
/// comparison (a memo keeps the `Arc` it compares with alive, so the same pointer is the same
/// value); documents read again from an unchanged file compare by value.
fn same_doc(a: &Arc<Document>, b: &Arc<Document>) -> bool {
    Arc::ptr_eq(a, b) || **a == **b
}

/// Whether two rendered bodies are the same value (the pointer test first, as in [`same_doc`]).
fn same_body(a: &Arc<Rendered>, b: &Arc<Rendered>) -> bool {
    Arc::ptr_eq(a, b) || **a == **b
}

fn same_markdown(a: &Arc<Document>, b: &Arc<Document>) -> bool {
    if Arc::ptr_eq(a, b) {
        return true;
    }
    fn transcript(d: &Document) -> Option<&str> {
        match &d.fields {
            Fields::Video(v) => Some(v.transcript.as_str()),
            _ => None,
        }
    }
    a.text.body_digest() == b.text.body_digest()
        && transcript(a) == transcript(b)
        && a.common.marked == b.common.marked
}

/// Whether two documents were read from the same text (the body compared by its digest: `serve`
/// keeps bodies on disk, see [`content::Source`]).
fn same_text(a: &Document, b: &Document) -> bool {
    *a.front_matter() == *b.front_matter() && a.text.body_digest() == b.text.body_digest()
}

/// The URL a relative `.md` link of `d` leads to: in a translation, the target's translation in
/// the same language when there is one, else the target itself (see [`link_lang`]).
/// A link to a document that is scheduled for later or has expired resolves to
/// [`markdown::TEXT_ONLY`]: its text is shown without a link until that date (QA Q89: the
/// calendar alone must not stop a site from building).
fn resolve(cfg: &Config, graph: &Graph, d: &Document, link: &str) -> Option<String> {
    match graph.resolve_link(&d.rel, link, &d.lang) {
        Ok((_, k)) => Some(cfg.url(graph.url_of(k))),
        Err(crate::content::graph::LinkProblem::Excluded(
            crate::content::graph::SCHEDULED | crate::content::graph::EXPIRED,
        )) => Some(markdown::TEXT_ONLY.to_string()),
        Err(_) => None,
    }
}

/// The language of the page a relative `.md` link of `d` leads to, when it is not `d`'s (a
/// document with no translation in `d`'s language). A function of the URL [`resolve`] gives, so
/// the markdown memo's check of resolved URLs covers it.
fn link_lang(cfg: &Config, graph: &Graph, d: &Document, link: &str) -> Option<String> {
    // A site address (`/stories/x/`): the language whose prefix it starts with (QA Q52). A
    // function of the languages' prefixes, which the markdown memo's options hold.
    if link.starts_with('/') {
        let lang = cfg
            .languages
            .iter()
            .filter(|l| l.prefix.len() > 1 && link.starts_with(&l.prefix))
            .max_by_key(|l| l.prefix.len())
            .unwrap_or_else(|| cfg.default_language());
        return (lang.code != d.lang).then(|| lang.code.clone());
    }
    let (_, k) = graph.resolve_link(&d.rel, link, &d.lang).ok()?;
    let lang = &graph.docs.get(k)?.lang;
    (*lang != d.lang).then(|| lang.clone())
}

/// Render one document's body (and transcript), recording every link resolution.
/// Every component call of a memo still renders the same (the theme, static files and region
/// figures they read may have changed while the markdown did not).
fn components_unchanged(m: &MdMemo, host: Option<&dyn Host>) -> bool {
    let same = |r: &Rendered| {
        !r.has_components
            || match host {
                Some(h) => r.calls.iter().all(|c| c.still_valid(h)),
                None => r.calls.is_empty(),
            }
    };
    same(&m.body) && m.transcript.as_deref().is_none_or(same)
}

/// What the markdown memo keeps of a resolved URL: a 128-bit digest (0 for no URL).
fn url_key(url: Option<&str>) -> u128 {
    url.map_or(0, |u| xxhash_rust::xxh3::xxh3_128(u.as_bytes()).max(1))
}

fn render_doc(cfg: &Config, graph: &Graph, d: &Arc<Document>, host: Option<&dyn Host>) -> MdMemo {
    let resolved = std::cell::RefCell::new(Vec::new());
    let resolver = |link: &str| {
        let url = resolve(cfg, graph, d, link);
        resolved
            .borrow_mut()
            .push((Box::<str>::from(link), url_key(url.as_deref())));
        url
    };
    let lang_of_link = |link: &str| link_lang(cfg, graph, d, link);
    let env = markdown::Env {
        resolve: &resolver,
        unsafe_html: cfg.unsafe_html,
        components: host,
        lang: &d.lang,
        link_lang: Some(&lang_of_link),
    };
    let mut body = markdown::render_with(&d.body(), &env);
    // QA Q71: front matter fields in inline markdown, with the same resolutions recorded.
    body.front = markdown::render_fields(&d.common.marked, &env);
    let body = Arc::new(body);
    let transcript = match &d.fields {
        Fields::Video(v) => Some(Arc::new(markdown::render_with(&v.transcript, &env))),
        _ => None,
    };
    let mut resolved = resolved.into_inner();
    resolved.sort_unstable();
    resolved.dedup();
    MdMemo {
        doc: d.clone(),
        resolved: resolved.into_boxed_slice(),
        body,
        transcript,
    }
}

/// Free a big structure on another thread: the rebuild (and the reload signal) need not wait.
pub(crate) fn drop_later<T: Send + 'static>(value: T) {
    let spawned = std::thread::Builder::new()
        .name("lmp-drop".into())
        .spawn(move || drop(value));
    // Without a thread, it is freed here when the error is dropped (the closure owns it).
    drop(spawned);
}

/// The documents a translation's file name names (`stories/x.md` for `stories/x.es.md`): only
/// those keep their front matter values ([`content::Document::values`]: what a translation
/// inherits); an original named otherwise (`translation_of:`) is read again with them (see
/// `Memo::update_sources`). The others' were ~120 MB at 100,000 documents (session 12), and with a
/// translation in every folder (session 13: kept per folder) ~360,000 small blocks at 10,000
/// documents freed at once after the graph and reused cold by the markdown stage.
struct Originals(HashSet<String>);

impl Originals {
    fn of(files: &[SourceFile]) -> Originals {
        Originals(
            files
                .iter()
                .filter_map(|f| match content::i18n::split_lang(&f.rel) {
                    (base, Some(_)) => Some(base.into_owned()),
                    (_, None) => None,
                })
                .collect(),
        )
    }

    /// Whether the document at `rel` keeps its values when read.
    fn may_be_original(&self, rel: &str) -> bool {
        self.0.contains(rel)
    }

    /// The originals of translations in `parsed` that were read without their values.
    fn bare(parsed: &HashMap<String, Parsed>) -> Vec<String> {
        let mut out: Vec<String> = parsed
            .values()
            .filter_map(|p| p.doc.as_ref()?.translation.as_ref())
            .map(|t| &t.original)
            .filter(|o| parsed.get(o.as_str()).is_some_and(|p| p.bare))
            .cloned()
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

/// The error of an image cache refused by `fsx::output::check_cache`: at the `cache_dir:` line
/// of config.yaml when that is where it comes from, else (`$LMP_CACHE_DIR`) at the folder.
fn cache_refused(site_dir: &Path, cfg: &Config, e: &anyhow::Error) -> Diagnostic {
    let (message, help) = match e.downcast_ref::<crate::fsx::output::Refusal>() {
        Some(r) => (r.message.clone(), r.help.clone()),
        None => (format!("{e:#}"), String::new()),
    };
    let from_env = std::env::var_os("LMP_CACHE_DIR").is_some_and(|d| !d.is_empty());
    let config = site_dir.join("config.yaml");
    let place = (!from_env && cfg.cache_dir.is_some())
        .then(|| crate::fsx::read(&config).ok())
        .flatten()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|text| {
            let (_, line, _, vcol) = crate::yaml::key_positions(&text)
                .into_iter()
                .find(|(k, ..)| k == "cache_dir")?;
            Some((line, vcol, text))
        });
    let d = match place {
        Some((line, col, text)) => {
            Diagnostic::error(&config, line, col, message).with_source(&text)
        }
        None => Diagnostic::error(crate::media::cache_dir(site_dir, None), 0, 0, message),
    };
    if help.is_empty() {
        d
    } else {
        d.with_help(help)
    }
}
