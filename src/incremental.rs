//! The build pipeline, and what one build keeps for the next: `lmp build` runs it once,
//! `lmp serve` keeps an [`Incremental`] and turns each batch of changed paths into the least work
//! that still gives, byte for byte, what a fresh build gives.
//!
//! Stages: config → theme → content → graph → markdown → link checks → pages → search index.
//! What is kept, and why reusing it is exact:
//! - content files: re-read only the changed paths (a rescan when files appear or go);
//! - rendered markdown, per document: reused when the body (and transcript) text is the same and
//!   every `.md` link in it resolves to the same URL as when it was rendered (the renderer is a
//!   pure function of those);
//! - link checks, per document: reused when its file, its rendered body and those of the
//!   documents it links to are the same objects as last time and no path or URL changed;
//! - related lists and cards, per document: reused when the digest of what they are computed
//!   from is unchanged (see `graph::related` and `render::Input::all_cards`);
//! - pages: reused when their fingerprint (template name + the whole template context, see
//!   [`render::fingerprint`]) is unchanged; the memo is dropped when the theme reloads. A document
//!   page first compares a digest of its inputs (its file, rendered markdown, the cards it shows,
//!   the term and site views) and then skips building its context at all; those keys are
//!   forgotten when `config.yaml` changes;
//! - a body-only edit (front matter byte-identical) skips the graph: the graph, cards and every
//!   other page depend on front matter only, so only that document's page (and the home page when
//!   it is `index.md`) is rendered again;
//! - the theme and its static files, until a path under the theme, `templates/` or `static/`
//!   changes; `config.yaml` or new options rebuild everything but the markdown memo.
//!
//! The search index is a stage of its own ([`Incremental::search`]) so that `serve` can send the
//! reload signal before it: the index's statistics depend on every document.
//! `tests/testsuite/incremental.rs` checks that a long random sequence of edits, creations,
//! renames and deletions gives, after each step, exactly what a fresh full build gives.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::collections::{Collection, Fields};
use crate::content::graph::{self, Graph, Include};
use crate::content::{self, Document, SourceFile};
use crate::diagnostics::{self, Diagnostic};
use crate::linkcheck;
use crate::markdown::components::Host;
use crate::markdown::{self, Rendered};
use crate::render::{self, Cards, PageMemo, Reuse, Theme};
use crate::site::{self, Built, Bytes, Failed, Files, Options, Timer};

/// A builder that remembers its last build (or, for a one-off build, nothing).
#[derive(Default)]
pub struct Incremental {
    /// Keep page fingerprints and state for the next rebuild.
    keep: bool,
    opts: Option<Options>,
    theme: Option<Loaded>,
    sources: Option<Sources>,
    markdown: HashMap<String, MdMemo>,
    /// The [`link_env`] the markdown memo's links were resolved in.
    markdown_env: Option<u128>,
    /// What the markdown memo was rendered with: `markdown.unsafe_html` and the digest of the
    /// theme's component specs (`None` without a theme).
    markdown_opts: Option<(bool, Option<u128>)>,
    pages: PageMemo,
    last: Option<Last>,
    /// Tokenised search chunks of the last index.
    search_memo: crate::search::Memo,
    /// The search files in the last output: the index of the last build that had one (served
    /// until the index of the current state is ready).
    search_served: Files,
    /// The link check's record of every page of the last build, with the bytes it was taken
    /// from (a page whose bytes are reused keeps its record).
    link_memo: Option<linkcheck::Memo>,
}

impl std::fmt::Debug for Incremental {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Incremental")
            .field("keep", &self.keep)
            .field("pages", &self.pages.len())
            .field("markdown", &self.markdown.len())
            .finish_non_exhaustive()
    }
}

/// A loaded theme and its static files.
struct Loaded {
    theme: Arc<Theme>,
    statics: Vec<(String, Bytes)>,
    diags: Vec<Diagnostic>,
}

/// The content files of the last scan, parsed.
struct Sources {
    files: Vec<SourceFile>,
    scan_diags: Vec<Diagnostic>,
    parsed: HashMap<String, Parsed>,
}

impl Sources {
    /// The scan's diagnostics and every file's, in scan order.
    fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut diags = self.scan_diags.clone();
        for f in &self.files {
            if let Some(p) = self.parsed.get(&f.rel) {
                diags.extend(p.diags.iter().cloned());
            }
        }
        diags
    }
}

#[derive(Clone)]
struct Parsed {
    doc: Option<Arc<Document>>,
    diags: Vec<Diagnostic>,
    /// What a file that did not parse still tells (see [`content::Stub`]).
    stub: Option<Arc<content::Stub>>,
}

/// One document's rendered markdown and what it was rendered from.
struct MdMemo {
    doc: Arc<Document>,
    /// Every `.md` link the renderer asked about, and the URL it got.
    resolved: Vec<(String, Option<String>)>,
    body: Arc<Rendered>,
    transcript: Option<Arc<Rendered>>,
}

/// A document's markdown: a new memo entry when it was rendered, the body, the transcript.
type MdResult = (Option<MdMemo>, Arc<Rendered>, Option<Arc<Rendered>>);

/// The last build that got as far as its pages.
struct Last {
    cfg: Arc<Config>,
    graph: Graph,
    graph_diags: Vec<Diagnostic>,
    rendered: Vec<Arc<Rendered>>,
    transcripts: Vec<Option<Arc<Rendered>>>,
    /// Per document: link diagnostics and link targets.
    links: Vec<site::LinkCheck>,
    /// The [`link_env`] of `graph`.
    env: u128,
    cards: Arc<Cards>,
    /// HTML pages among `files`.
    html_pages: usize,
    /// Pages, feeds and static files (no search index).
    files: Files,
    /// The search index built for this state, `None` until [`Incremental::search`] ran.
    search: Option<Files>,
    /// The outbound links of the pages (for `lmp check --external`).
    outbound: Vec<linkcheck::Outbound>,
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
    /// A builder for `serve`: keeps what the next rebuild can reuse. `opts` are those of the
    /// first build; every rebuild passes its own (a change of options rebuilds everything).
    pub fn new(opts: Options) -> Incremental {
        Incremental {
            keep: true,
            opts: Some(opts),
            ..Incremental::default()
        }
    }

    /// A one-off build (`lmp build`): nothing is fingerprinted or kept.
    pub fn once(opts: &Options) -> Result<Built, Failed> {
        let mut b = Incremental::default();
        b.rebuild(opts, &[])
    }

    /// Rebuild with `opts` after `changed` files (created, modified or removed since the last
    /// call; paths as the watcher reports them). The first call, a change of options, or a path
    /// that is not content rebuilds more; see the module docs.
    pub fn rebuild(&mut self, opts: &Options, changed: &[PathBuf]) -> Result<Built, Failed> {
        let mut built = self.rebuild_pages(opts, changed)?;
        let started = Instant::now();
        for k in self.search_served.keys() {
            built.files.remove(k);
        }
        built.files.extend(self.search().unwrap_or_default());
        built.timings.push(("search index", started.elapsed()));
        Ok(built)
    }

    /// Everything but the search index: the files are the new pages with the search index of the
    /// build before (none on the first build). [`Incremental::search`] then gives the new index.
    pub fn rebuild_pages(&mut self, opts: &Options, changed: &[PathBuf]) -> Result<Built, Failed> {
        let mut t = Timer::new();
        let fresh = self.opts.as_ref() != Some(opts);
        self.opts = Some(opts.clone());
        let site_dir = &opts.site_dir;
        let kinds: Vec<Change> = changed.iter().map(|p| self.classify(site_dir, p)).collect();
        let global = fresh || kinds.iter().any(|k| matches!(k, Change::Global));
        let theme_changed = global || kinds.iter().any(|k| matches!(k, Change::Theme));
        let content: Vec<&str> = kinds
            .iter()
            .filter_map(|k| match k {
                Change::Content(rel) => Some(rel.as_str()),
                _ => None,
            })
            .collect();
        // A document reached through a symlink changes when the file it points to does.
        let via_links = self.linked_to(site_dir, &content);
        let content: Vec<&str> = content
            .into_iter()
            .chain(via_links.iter().map(String::as_str))
            .collect();
        if !theme_changed && content.is_empty() && self.last.is_some() {
            // Nothing the build reads changed (e.g. a file saved unchanged).
            return Ok(self.unchanged(t));
        }
        if !theme_changed && let Some(edits) = self.body_only_edits(site_dir, &content) {
            return self.rebuild_bodies(opts, edits, t);
        }
        // From here on the last build's state is out of date, whatever happens; it only serves to
        // reuse related lists, link checks and cards below.
        let prev = self.last.take();

        let fail = |mut diagnostics: Vec<Diagnostic>| {
            diagnostics::sort(&mut diagnostics);
            Failed { diagnostics }
        };
        let cfg = Arc::new(site::load_config(opts).map_err(|d| {
            self.sources = None;
            fail(d)
        })?);
        if theme_changed {
            self.theme = None;
            self.pages.clear();
        }
        if global {
            self.sources = None;
            // Page input keys leave config out: forget them (fingerprints stay valid).
            for m in self.pages.values_mut() {
                m.inputs = None;
            }
        }
        let mut diags = Vec::new();
        let theme = match &self.theme {
            Some(l) => Some(l.theme.clone()),
            None => {
                let theme_dir = cfg.theme.as_ref().map(|t| site_dir.join(t));
                match Theme::load(theme_dir.as_deref(), site_dir, site_dir) {
                    Ok(th) => {
                        let theme = Arc::new(th);
                        let (statics, diags) = render::statics(&theme);
                        self.theme = Some(Loaded {
                            theme: theme.clone(),
                            statics,
                            diags,
                        });
                        Some(theme)
                    }
                    Err(d) => {
                        diags.extend(d);
                        None
                    }
                }
            }
        };
        t.lap("config+theme");

        if let Err(e) = self.update_sources(site_dir, &cfg, &content) {
            return Err(fail(vec![Diagnostic::error(
                site_dir,
                0,
                0,
                format!("{e:#}"),
            )]));
        }
        let sources = self.sources.as_ref().expect("sources were just updated");
        diags.extend(sources.diagnostics());
        let docs: Vec<Arc<Document>> = sources
            .files
            .iter()
            .filter_map(|f| sources.parsed.get(&f.rel)?.doc.clone())
            .collect();
        let broken: Vec<Arc<content::Stub>> = sources
            .files
            .iter()
            .filter_map(|f| sources.parsed.get(&f.rel)?.stub.clone())
            .collect();
        t.lap("read+front matter");

        let include = Include {
            drafts: opts.drafts,
            future: opts.future,
            expired: opts.expired,
            today: opts.today,
        };
        let (graph, graph_diags) = graph::build(
            &cfg,
            docs,
            include,
            site_dir,
            prev.as_ref().map(|p| &p.graph),
            broken,
        );
        diags.extend(graph_diags.iter().cloned());
        diags.extend(graph::body_warnings(&graph.docs));
        t.lap("graph");

        let env = link_env(&cfg, &graph);
        let host = theme
            .as_deref()
            .map(|theme| render::components::SiteComponents {
                theme,
                cfg: &cfg,
                graph: &graph,
            });
        let host = host.as_ref().map(|h| h as &dyn Host);
        let (rendered, transcripts) = self.render_markdown(&cfg, &graph, env, host);
        let links = check_links(prev.as_ref(), env, &graph, &rendered);
        diags.extend(links.iter().flat_map(|l| l.0.iter().cloned()));
        diags.extend(site::markdown_notes(&graph, &rendered));
        t.lap("markdown+links");

        let (Some(theme), Some(loaded)) = (theme, self.theme.as_ref()) else {
            return Err(fail(diags));
        };
        diags.extend(loaded.diags.iter().cloned());
        if diags.iter().any(Diagnostic::is_error) {
            return Err(fail(diags));
        }
        let input = render::Input {
            cfg: &cfg,
            graph: &graph,
            rendered: &rendered,
            transcripts: &transcripts,
            theme: &theme,
            cards: Default::default(),
            term_views: Default::default(),
            prev: prev
                .as_ref()
                .filter(|_| !theme_changed && !global)
                .map(|p| (&*p.cards, &p.graph)),
        };
        let reuse = if self.keep {
            Reuse::Unchanged(&self.pages)
        } else {
            Reuse::Never
        };
        let pages = render::render(&input, &reuse);
        let cards = input.all_cards().clone();
        drop(input);
        diags.extend(pages.diagnostics);
        if diags.iter().any(Diagnostic::is_error) {
            return Err(fail(diags));
        }
        let html_pages = pages.files.keys().filter(|k| k.ends_with(".html")).count();
        log::debug!("{} of {html_pages} pages rendered", pages.rendered);
        let mut files = pages.files;
        for (rel, bytes) in &loaded.statics {
            files.entry(rel.clone()).or_insert_with(|| bytes.clone());
        }
        if self.keep {
            drop_later(std::mem::replace(&mut self.pages, pages.memo));
        }
        t.lap("templates");
        let outbound = match self.check_output(&cfg, &graph, &rendered, &theme, &files) {
            Ok(o) => o,
            Err(d) => {
                diags.extend(d);
                return Err(fail(diags));
            }
        };
        t.lap("link check");

        let mut inputs = vec![site_dir.clone()];
        inputs.extend(theme.dirs.iter().cloned());
        let built = Built {
            files: self.with_search(&files),
            warnings: sorted(diags),
            counts: counts(&graph),
            pages: html_pages,
            timings: t.stages,
            inputs,
            outbound,
        };
        drop_later(prev);
        self.last = Some(Last {
            cfg,
            graph,
            graph_diags,
            rendered,
            transcripts,
            links,
            env,
            cards,
            html_pages,
            files,
            search: None,
            outbound: built.outbound.clone(),
        });
        Ok(built)
    }

    /// The search index of the last successful [`Incremental::rebuild_pages`] (computed once).
    pub fn search(&mut self) -> Option<Files> {
        let last = self.last.as_mut()?;
        if last.search.is_none() {
            let memo = self.keep.then_some(&mut self.search_memo);
            let files: Files = site::search_index(&last.cfg, &last.graph, &last.rendered, memo)
                .into_iter()
                .map(|(k, v)| (k, Arc::new(v)))
                .collect();
            last.search = Some(files);
        }
        self.search_served = last.search.clone().unwrap_or_default();
        last.search.clone()
    }

    /// The paths of the search files in the last output.
    pub fn search_keys(&self) -> impl Iterator<Item = &String> {
        self.search_served.keys()
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
            .theme
            .as_ref()
            .is_some_and(|l| l.theme.dirs.iter().any(|d| rel_in(d, p).is_some()));
        if in_theme {
            Change::Theme
        } else {
            Change::Global
        }
    }

    /// The content files that are symlinks to (or inside a folder link to) a changed file.
    fn linked_to(&self, site_dir: &Path, changed: &[&str]) -> Vec<String> {
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
            .filter(|f| !changed.contains(&f.rel.as_str()))
            .map(|f| f.rel.clone())
            .collect()
    }

    /// Re-read the changed content files, rescanning when a file appeared or went.
    fn update_sources(
        &mut self,
        site_dir: &Path,
        cfg: &Config,
        changed: &[&str],
    ) -> anyhow::Result<()> {
        let schemas = &cfg.schemas;
        let changed: HashSet<&str> = changed.iter().copied().collect();
        let rescan = match &self.sources {
            None => true,
            Some(s) => changed.iter().any(|rel| {
                !s.parsed.contains_key(*rel) || !crate::fsx::is_file(&site_dir.join(rel))
            }),
        };
        let read = |f: &SourceFile| {
            let (doc, diags) = content::read(site_dir, f, schemas);
            let stub = match doc {
                None => content::read_stub(site_dir, f, schemas).map(Arc::new),
                Some(_) => None,
            };
            Parsed {
                doc: doc.map(Arc::new),
                diags,
                stub,
            }
        };
        if let (Some(s), false) = (&mut self.sources, rescan) {
            // The same files: read the changed ones again.
            for f in s.files.iter().filter(|f| changed.contains(f.rel.as_str())) {
                s.parsed.insert(f.rel.clone(), read(f));
            }
            return Ok(());
        }
        let mut old = self.sources.take().map(|s| s.parsed).unwrap_or_default();
        let (files, scan_diags) = content::scan(site_dir, site_dir, schemas)?;
        let kept: Vec<Option<Parsed>> = files
            .iter()
            .map(|f| {
                old.remove(&f.rel)
                    .filter(|_| !changed.contains(f.rel.as_str()))
            })
            .collect();
        let parsed: HashMap<String, Parsed> = files
            .par_iter()
            .zip(kept)
            .map(|(f, p)| (f.rel.clone(), p.unwrap_or_else(|| read(f))))
            .collect();
        self.sources = Some(Sources {
            files,
            scan_diags,
            parsed,
        });
        Ok(())
    }

    /// When every changed path is a known document whose front matter is byte-identical (and
    /// the last build got to its pages): the new documents.
    fn body_only_edits(&self, site_dir: &Path, changed: &[&str]) -> Option<Vec<Parsed>> {
        let last = self.last.as_ref()?;
        let sources = self.sources.as_ref()?;
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for rel in changed {
            if !seen.insert(*rel) {
                continue;
            }
            let old = sources.parsed.get(*rel)?;
            let old_doc = old.doc.as_ref()?;
            let f = sources.files.iter().find(|f| f.rel == *rel)?;
            let (doc, diags) = content::read(site_dir, f, &last.cfg.schemas);
            let doc = doc?;
            if doc.text[..doc.body_start] != old_doc.text[..old_doc.body_start]
                || diags != old.diags
            {
                return None;
            }
            out.push(Parsed {
                doc: Some(Arc::new(doc)),
                diags,
                stub: None,
            });
        }
        Some(out)
    }

    /// The body-only path: swap the documents in, render their markdown and their pages.
    fn rebuild_bodies(
        &mut self,
        opts: &Options,
        edits: Vec<Parsed>,
        mut t: Timer,
    ) -> Result<Built, Failed> {
        let mut last = self.last.take().expect("checked by body_only_edits");
        let sources = self.sources.as_mut().expect("checked by body_only_edits");
        let mut docs = HashSet::new();
        for p in edits {
            let doc = p.doc.clone().expect("body-only edits parse");
            if let Some(&i) = last.graph.by_rel.get(&doc.rel) {
                last.graph.docs[i] = doc.clone();
                docs.insert(i);
            }
            sources.parsed.insert(doc.rel.clone(), p);
        }
        t.lap("read+front matter");
        let mut diags = sources.diagnostics();
        diags.extend(last.graph_diags.iter().cloned());
        diags.extend(graph::body_warnings(&last.graph.docs));
        for &i in &docs {
            let host = self
                .theme
                .as_ref()
                .map(|l| render::components::SiteComponents {
                    theme: &l.theme,
                    cfg: &last.cfg,
                    graph: &last.graph,
                });
            let host = host.as_ref().map(|h| h as &dyn Host);
            let m = render_doc(&last.cfg, &last.graph, &last.graph.docs[i], host);
            last.rendered[i] = m.body.clone();
            last.transcripts[i] = m.transcript.clone();
            self.markdown.insert(m.doc.rel.clone(), m);
        }
        // Links from the edited documents, and links into them (their anchors may have changed).
        let mut check = docs.clone();
        for (j, (_, targets)) in last.links.iter().enumerate() {
            if targets.iter().any(|t| docs.contains(t)) {
                check.insert(j);
            }
        }
        for j in check {
            last.links[j] = site::check_doc_links(&last.graph, &last.rendered, j);
        }
        diags.extend(last.links.iter().flat_map(|l| l.0.iter().cloned()));
        diags.extend(site::markdown_notes(&last.graph, &last.rendered));
        t.lap("markdown+links");
        let loaded = self.theme.as_ref().expect("a last build has a theme");
        let theme = loaded.theme.clone();
        diags.extend(loaded.diags.iter().cloned());
        if diags.iter().any(Diagnostic::is_error) {
            // The graph now holds the edited documents; the next rebuild starts from the sources.
            return Err(Failed {
                diagnostics: sorted(diags),
            });
        }
        let input = render::Input {
            cfg: &last.cfg,
            graph: &last.graph,
            rendered: &last.rendered,
            transcripts: &last.transcripts,
            theme: &theme,
            cards: last.cards.clone().into(),
            term_views: Default::default(),
            prev: None,
        };
        let home = docs
            .iter()
            .any(|&i| last.graph.docs[i].collection == Collection::Home);
        let pages = render::render_docs(&input, &docs, home);
        drop(input);
        diags.extend(pages.diagnostics);
        if diags.iter().any(Diagnostic::is_error) {
            return Err(Failed {
                diagnostics: sorted(diags),
            });
        }
        last.files.extend(pages.files);
        self.pages.extend(pages.memo);
        t.lap("templates");
        let outbound =
            match self.check_output(&last.cfg, &last.graph, &last.rendered, &theme, &last.files) {
                Ok(o) => o,
                Err(d) => {
                    diags.extend(d);
                    return Err(Failed {
                        diagnostics: sorted(diags),
                    });
                }
            };
        t.lap("link check");
        let mut inputs = vec![opts.site_dir.clone()];
        inputs.extend(theme.dirs.iter().cloned());
        let built = Built {
            files: self.with_search(&last.files),
            warnings: sorted(diags),
            counts: counts(&last.graph),
            pages: last.html_pages,
            timings: t.stages,
            inputs,
            outbound,
        };
        last.outbound = built.outbound.clone();
        last.search = None;
        self.last = Some(last);
        Ok(built)
    }

    /// Nothing changed: the last build again.
    fn unchanged(&mut self, t: Timer) -> Built {
        let last = self.last.as_ref().expect("checked by the caller");
        let files = self.with_search(&last.files);
        let opts = self.opts.as_ref().expect("set by rebuild_pages");
        let mut inputs = vec![opts.site_dir.clone()];
        if let Some(l) = &self.theme {
            inputs.extend(l.theme.dirs.iter().cloned());
        }
        let mut diags = self
            .sources
            .as_ref()
            .map(Sources::diagnostics)
            .unwrap_or_default();
        diags.extend(last.graph_diags.iter().cloned());
        diags.extend(graph::body_warnings(&last.graph.docs));
        diags.extend(site::markdown_notes(&last.graph, &last.rendered));
        if let Some(l) = &self.theme {
            diags.extend(l.diags.iter().cloned());
        }
        Built {
            files,
            warnings: sorted(diags),
            counts: counts(&last.graph),
            pages: last.html_pages,
            timings: t.stages,
            inputs,
            outbound: last.outbound.clone(),
        }
    }

    /// The link check over the pages and static files (see [`linkcheck`]): the outbound links,
    /// or the errors.
    fn check_output(
        &mut self,
        cfg: &Config,
        graph: &Graph,
        rendered: &[Arc<Rendered>],
        theme: &Theme,
        files: &Files,
    ) -> Result<Vec<linkcheck::Outbound>, Vec<Diagnostic>> {
        let (records, memo) = linkcheck::records(files, self.link_memo.as_ref());
        let (errors, outbound) = linkcheck::build::check_build(&linkcheck::build::Build {
            cfg,
            graph,
            rendered,
            theme,
            files,
            records: &records,
        });
        if self.keep {
            drop_later(self.link_memo.replace(memo));
        } else {
            drop_later((records, memo));
        }
        if errors.is_empty() {
            Ok(outbound)
        } else {
            Err(errors)
        }
    }

    /// Pages with the search files served now.
    fn with_search(&self, pages: &Files) -> Files {
        let mut files = pages.clone();
        files.extend(
            self.search_served
                .iter()
                .map(|(k, v)| (k.clone(), v.clone())),
        );
        files
    }

    /// Every document's markdown, reused from the memo where exact.
    fn render_markdown(
        &mut self,
        cfg: &Config,
        graph: &Graph,
        env: u128,
        host: Option<&dyn Host>,
    ) -> (Vec<Arc<Rendered>>, Vec<Option<Arc<Rendered>>>) {
        // Other options, or components declared otherwise: nothing rendered before is valid.
        let opts = (cfg.unsafe_html, host.map(|h| h.digest()));
        if self.markdown_opts != Some(opts) {
            self.markdown.clear();
            self.markdown_opts = Some(opts);
        }
        let memo = &self.markdown;
        // Every link resolves as before when no document's path or URL changed.
        let same_env = self.markdown_env == Some(env);
        let results: Vec<MdResult> = (0..graph.docs.len())
            .into_par_iter()
            .map(|i| {
                let d = &graph.docs[i];
                if let Some(m) = memo.get(&d.rel)
                    && same_markdown(&m.doc, d)
                    && (same_env
                        || m.resolved
                            .iter()
                            .all(|(link, url)| resolve(cfg, graph, d, link) == *url))
                    && components_unchanged(&m.body, host)
                    && m.transcript
                        .as_ref()
                        .is_none_or(|t| components_unchanged(t, host))
                {
                    return (None, m.body.clone(), m.transcript.clone());
                }
                let m = render_doc(cfg, graph, d, host);
                let (b, tr) = (m.body.clone(), m.transcript.clone());
                (Some(m), b, tr)
            })
            .collect();
        let mut rendered = Vec::with_capacity(results.len());
        let mut transcripts = Vec::with_capacity(results.len());
        let mut fresh = Vec::new();
        for (m, b, tr) in results {
            rendered.push(b);
            transcripts.push(tr);
            fresh.extend(m);
        }
        if self.keep {
            self.markdown_env = Some(env);
            let live: HashSet<&str> = graph.docs.iter().map(|d| d.rel.as_str()).collect();
            self.markdown.retain(|rel, _| live.contains(rel.as_str()));
            for m in fresh {
                self.markdown.insert(m.doc.rel.clone(), m);
            }
        }
        (rendered, transcripts)
    }
}

/// A digest of everything a link's resolution depends on: every document's path and URL, the
/// excluded documents and why, and the base path URLs are written with.
fn link_env(cfg: &Config, graph: &Graph) -> u128 {
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
    h.digest128()
}

/// Every document's links checked, reusing the last build's result for a document when its
/// file, its rendered body and those of the documents it links to are the same objects and no
/// path or URL changed.
fn check_links(
    prev: Option<&Last>,
    env: u128,
    graph: &Graph,
    rendered: &[Arc<Rendered>],
) -> Vec<site::LinkCheck> {
    let Some(prev) = prev.filter(|p| p.env == env && p.graph.docs.len() == graph.docs.len()) else {
        return site::check_links(graph, rendered);
    };
    (0..graph.docs.len())
        .into_par_iter()
        .map(|i| {
            let same = |j: usize| {
                Arc::ptr_eq(&prev.graph.docs[j], &graph.docs[j])
                    && Arc::ptr_eq(&prev.rendered[j], &rendered[j])
            };
            let (_, targets) = &prev.links[i];
            if same(i)
                && targets
                    .iter()
                    .all(|&j| Arc::ptr_eq(&prev.rendered[j], &rendered[j]))
            {
                prev.links[i].clone()
            } else {
                site::check_doc_links(graph, rendered, i)
            }
        })
        .collect()
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
    a.body() == b.body() && transcript(a) == transcript(b)
}

fn resolve(cfg: &Config, graph: &Graph, d: &Document, link: &str) -> Option<String> {
    graph
        .resolve_rel(&d.rel, link)
        .ok()
        .map(|i| cfg.url(&graph.docs[i].url))
}

/// Render one document's body (and transcript), recording every link resolution.
/// Every component call of a rendering still renders the same (the theme, static files and
/// region figures they read may have changed while the markdown did not).
fn components_unchanged(r: &Rendered, host: Option<&dyn Host>) -> bool {
    if !r.has_components {
        return true;
    }
    match host {
        Some(h) => r.calls.iter().all(|c| c.still_valid(h)),
        None => r.calls.is_empty(),
    }
}

fn render_doc(cfg: &Config, graph: &Graph, d: &Arc<Document>, host: Option<&dyn Host>) -> MdMemo {
    let resolved = std::cell::RefCell::new(Vec::new());
    let resolver = |link: &str| {
        let url = resolve(cfg, graph, d, link);
        resolved.borrow_mut().push((link.to_string(), url.clone()));
        url
    };
    let env = markdown::Env {
        resolve: &resolver,
        unsafe_html: cfg.unsafe_html,
        components: host,
    };
    let body = Arc::new(markdown::render_with(d.body(), &env));
    let transcript = match &d.fields {
        Fields::Video(v) => Some(Arc::new(markdown::render_with(&v.transcript, &env))),
        _ => None,
    };
    MdMemo {
        doc: d.clone(),
        resolved: resolved.into_inner(),
        body,
        transcript,
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

/// Free a big structure on another thread: the rebuild (and the reload signal) need not wait.
fn drop_later<T: Send + 'static>(value: T) {
    let spawned = std::thread::Builder::new()
        .name("lmp-drop".into())
        .spawn(move || drop(value));
    // Without a thread, it is freed here when the error is dropped (the closure owns it).
    drop(spawned);
}

fn sorted(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics::sort(&mut diags);
    diags
}

fn counts(graph: &Graph) -> BTreeMap<Collection, usize> {
    let mut counts = BTreeMap::new();
    for d in &graph.docs {
        if d.collection != Collection::Home {
            *counts.entry(d.collection).or_insert(0) += 1;
        }
    }
    counts
}
