//! The build pipeline, stage by stage, over owned values: config → theme → content → graph →
//! markdown (once per document) → link checks → pages → files in memory. [`build`] reads top to
//! bottom as that list; every reuse of an earlier build's work is the [`Memo`]'s decision
//! (`lmp build` passes an empty one). The search index is a stage of its own
//! ([`Memo::search`]) so that `serve` can send the reload signal before it.
//! Nothing here writes: `build` writes the returned files, `check` stops before, `serve` keeps them.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use crate::config::Config;
use crate::content::collections::Collection;
use crate::content::graph::{self, Graph, Include};
use crate::diagnostics::{self, Diagnostic};
use crate::memo::{Graphed, Last, Media, Memo, Stage4, Warned, link_env};
use crate::render::{self, Cards, CardsFrom};
use crate::site::{self, Built, Failed, Files, Options, Timer};

/// Build the site with `opts`, reusing from `memo` what is exact and keeping in it what the
/// next build can reuse. The files are the pages and static files with the search index of
/// the build before (none in a fresh memo; see [`Memo::search`]).
pub(crate) fn build(opts: &Options, memo: &mut Memo) -> Result<Built, Failed> {
    build_to(opts, memo, None)
}

/// [`build`], writing every page and static file into `sink` as soon as it is produced and
/// keeping only its link-check record (a streaming build: the returned files are only those
/// not written, e.g. none but the search index of the build before).
pub(crate) fn build_to(
    opts: &Options,
    memo: &mut Memo,
    sink: Option<&dyn site::Sink>,
) -> Result<Built, Failed> {
    let mut t = Timer::new();
    let site_dir = &opts.site_dir;
    // Write failures wait for the link check: an alias inside a file of the build is one
    // error at the alias, not a failed write of whichever of the two came second.
    let deferred = sink.map(Deferred::new);
    let sink = deferred.as_ref().map(|d| d as &dyn site::Sink);
    if memo.begin(opts) {
        // Nothing the build reads changed (e.g. a file saved unchanged).
        return Ok(unchanged(opts, memo, t));
    }
    let mut diags = Vec::new();

    // 1. Config and theme.
    let cfg = memo.config(opts).map_err(failed)?;
    let theme = memo
        .theme(&cfg, site_dir, opts.hashed_assets)
        .map_err(|d| diags.extend(d))
        .ok();
    // `serve` keeps its pages and bodies on disk (see `Memo::stores`).
    memo.stores(site_dir, &cfg);
    t.lap("config+theme");

    // 2. Content files, read and their front matter parsed.
    let (read_diags, docs, broken) = memo
        .read(site_dir, &cfg)
        .map_err(|e| failed(vec![Diagnostic::error(site_dir, 0, 0, format!("{e:#}"))]))?;
    diags.extend(read_diags.iter().cloned());
    t.lap("read+front matter");

    // 3. The content graph, and what this build renders (see [`Scope`]).
    let include = Include {
        drafts: opts.drafts,
        future: opts.future,
        expired: opts.expired,
        today: opts.today,
    };
    let (mut graph, graph_diags, mut scope) =
        Scope::of(memo.graph(&cfg, (docs, broken), include, site_dir));
    diags.extend(graph_diags.iter().cloned());
    diags.extend(crate::content::i18n::copies(&graph));
    let warned = scope.warnings(memo, &graph);
    diags.extend(warned.diagnostics(&graph));
    if !memo.keeps() {
        free_values(&mut graph);
    }
    t.lap("graph");

    // 4. Markdown (once per document) with its links checked, then images. A one-off build
    // keeps the bodies in a scratch file until their pages are rendered (see `fsx::spill`).
    let spill = (!memo.keeps()).then(|| scratch(sink)).flatten();
    let (mut rendered, mut transcripts, links) = markdown(
        memo,
        &cfg,
        &graph,
        theme.as_deref(),
        &mut scope,
        spill.as_ref(),
    );
    let media = self::media(
        memo,
        &cfg,
        &graph,
        theme.as_deref(),
        &mut rendered,
        &mut scope,
    );
    let images = &media.images;
    if let Some(s) = &spill {
        // The bodies the images made again.
        for r in rendered.iter_mut().filter(|r| r.html_unspilled()) {
            if let Some(r) = Arc::get_mut(r) {
                r.spill(s);
            }
        }
        log::debug!("bodies spilled: {} MB", s.size() / 1_000_000);
    }
    // `serve`: the bodies just read are on disk from here on (see `content::Source`).
    memo.spill_sources();
    diags.extend(media.diagnostics().cloned());
    diags.extend(links.iter().flat_map(|l| l.0.iter().cloned()));
    diags.extend(site::stub_links(&graph, &rendered));
    diags.extend(stub_notes(&cfg, &graph, theme.as_deref(), images));
    diags.extend(site::markdown_notes(&graph, &rendered));
    t.lap("markdown+links");

    // 5. Pages from templates (written to the sink as they come), then the other files.
    let Some(theme) = theme else {
        return Err(failed(diags));
    };
    // A picture cut short that a page shows: the page's error says it (see the function).
    let statics_diags: Vec<Diagnostic> = theme
        .diags
        .iter()
        .filter(|d| !crate::media::said_by_a_page(d, &diags))
        .cloned()
        .collect();
    diags.extend(statics_diags);
    let made = Made {
        cfg: &cfg,
        theme: &theme,
        images,
        spill: spill.as_ref(),
        sink,
    };
    let mut out = pages(
        memo,
        &made,
        &mut graph,
        (&mut rendered, &transcripts),
        scope,
        &mut diags,
    )?;
    t.lap("templates");

    // 6. Every link of every output file.
    let outbound = link_check(
        memo,
        &made,
        &mut graph,
        &rendered,
        &mut out,
        deferred.as_ref(),
        &mut diags,
    )?;
    t.lap("link check");
    let Output {
        files,
        html_pages,
        disk,
        cards,
        ..
    } = out;
    if !memo.keeps() {
        free_before_search(&mut rendered, &mut transcripts, &mut graph);
    }

    // 7. The result; what the search index (and, in `serve`, the next build) reads is kept.
    let mut inputs = vec![site_dir.clone()];
    inputs.extend(theme.theme.dirs.iter().cloned());
    let (files_out, disk_out) = match sink {
        None => memo.with_search(&files, &disk),
        Some(_) => Default::default(),
    };
    let built = Built {
        files: files_out,
        disk: disk_out,
        warnings: sorted(diags),
        counts: counts(&graph),
        left_out: left_out(&graph),
        pages: html_pages,
        timings: t.stages,
        peaks: t.peaks,
        inputs,
        outbound,
    };
    memo.finish(Last {
        cfg,
        graph,
        graph_diags,
        read_diags,
        rendered,
        transcripts,
        links,
        cards,
        html_pages,
        files,
        disk,
        search: None,
        outbound: built.outbound.clone(),
        media,
        warned,
    });
    Ok(built)
}

/// What stages 5 and 6 read of the build so far, besides the graph and the bodies.
struct Made<'a> {
    cfg: &'a Config,
    theme: &'a crate::memo::Loaded,
    images: &'a crate::media::Images,
    /// A one-off build's scratch file (see `fsx::spill`).
    spill: Option<&'a Arc<crate::fsx::spill::Spill>>,
    sink: Option<&'a dyn site::Sink>,
}

/// Stage 5's result: the build's files (those not written to the sink yet, or every one),
/// how many are HTML pages, those left on disk (see [`Built::disk`]), the link-check records
/// of the files written, and the cards.
struct Output {
    files: Files,
    html_pages: usize,
    disk: site::Disk,
    records: crate::linkcheck::Records,
    cards: Arc<Cards>,
    /// After a body-only edit, the files made again (the others are the last build's).
    changed: Option<Vec<String>>,
}

/// Stage 5: pages from templates (written to the sink as they come), then the other files
/// (images, static files). A build with errors so far renders its pages only to check their
/// links, and fails with every diagnostic.
fn pages(
    memo: &mut Memo,
    made: &Made<'_>,
    graph: &mut Graph,
    (rendered, transcripts): (
        &mut Vec<Arc<crate::markdown::Rendered>>,
        &[Option<Arc<crate::markdown::Rendered>>],
    ),
    scope: Scope,
    diags: &mut Vec<Diagnostic>,
) -> Result<Output, Failed> {
    let Made {
        cfg,
        theme,
        images,
        spill,
        sink,
    } = *made;
    // A one-off build frees each body once its page is written (the feeds' stories last); a
    // build with errors renders its pages only to check their links, from the bodies in place.
    let ok = !diags.iter().any(Diagnostic::is_error);
    let taken = (ok && !memo.keeps() && !scope.is_partial() && spill.is_none()).then(|| {
        let shared = cfg
            .languages
            .iter()
            .flat_map(|l| render::feeds::stories(graph, &l.code))
            .collect();
        render::Bodies::take(rendered, shared)
    });
    // Their sources' bodies were freed as each was rendered (see `Memo::markdown`; the front
    // matter stays: cards and front matter messages read it); the link check reads one back
    // from its file only to place a message in it. Given back to the system now: else the
    // cards made next (by the same threads) came on top of them (+80-100 MiB at 100,000
    // documents).
    if !memo.keeps() && ok && !scope.is_partial() {
        crate::memory::release_now();
    }
    let store = memo.page_store();
    let (reuse, card_memo) = memo.reuse();
    let input = render::Input::new(
        cfg,
        graph,
        (rendered, transcripts),
        &theme.theme,
        images,
        scope.cards(card_memo),
    );
    if diags.iter().any(Diagnostic::is_error) {
        // Every error in one run: the pages are still rendered (in memory, nothing kept) and
        // their links checked (see `linkcheck::build::check_despite_errors`).
        let more =
            crate::linkcheck::build::check_despite_errors(input, &theme.statics, images, diags);
        diags.extend(more);
        return Err(failed(std::mem::take(diags)));
    }
    let input = input
        .streaming_to(sink)
        .holding_in(store.as_ref())
        .with_bodies(taken.as_ref());
    let pages = scope.render(&input, &reuse);
    let cards = input.all_cards().clone();
    drop(input);
    drop(taken);
    diags.extend(pages.diagnostics);
    diags.extend(static_collisions(
        &pages.files,
        &theme.statics,
        &graph.aliases,
    ));
    if diags.iter().any(Diagnostic::is_error) {
        return Err(failed(std::mem::take(diags)));
    }
    memo.rendered(pages.memo, scope.is_partial(), &cards);
    let mut records = pages.records;
    let changed = scope
        .is_partial()
        .then(|| pages.files.keys().cloned().collect());
    let (mut files, html_pages, blobs, mut disk) =
        scope.files((pages.files, pages.disk), images, &theme.statics);
    log::debug!("{} of {html_pages} pages rendered", pages.rendered);
    let written = match sink {
        Some(sink) => stream_rest(sink, &mut files, &mut records)
            .and_then(|()| stream_blobs(sink, blobs, &mut files, &mut records)),
        None if memo.keeps() => hold_blobs(blobs, &mut files, &mut disk),
        None => read_blobs(blobs, &mut files),
    };
    if let Err(d) = written {
        diags.push(d);
        return Err(failed(std::mem::take(diags)));
    }
    Ok(Output {
        files,
        html_pages,
        disk,
        records,
        cards,
        changed,
    })
}

/// Stage 6: every link of every output file, and the writes the sink could not make. Its
/// warnings join `diags`; an error fails the build with every diagnostic. Errors and warnings
/// are placed in the sources' text, read back for the pages that have any when it was spilled.
fn link_check(
    memo: &mut Memo,
    made: &Made<'_>,
    graph: &mut Graph,
    rendered: &[Arc<crate::markdown::Rendered>],
    out: &mut Output,
    deferred: Option<&Deferred<'_>>,
    diags: &mut Vec<Diagnostic>,
) -> Result<Vec<crate::linkcheck::Outbound>, Failed> {
    let (cfg, theme) = (made.cfg, &made.theme.theme);
    let records = std::mem::take(&mut out.records);
    let checked = memo.check_output(
        cfg,
        graph,
        rendered,
        theme,
        (&out.files, &out.disk),
        (records, out.changed.as_deref()),
    );
    let outbound = match checked {
        Ok((outbound, warnings)) => {
            diags.extend(warnings);
            outbound
        }
        Err(d) => {
            diags.extend(d);
            return Err(failed(std::mem::take(diags)));
        }
    };
    if let Some(errors) = deferred.map(Deferred::errors)
        && !errors.is_empty()
    {
        diags.extend(errors);
        return Err(failed(std::mem::take(diags)));
    }
    Ok(outbound)
}

/// The documents' front matter values are read only by translations, in the graph (see
/// [`crate::content::i18n::inherit`]): a one-off build frees them once the graph is made, so
/// they do not add to the peak of the stages after it (about 120 MB at 100,000 documents).
fn free_values(graph: &mut Graph) {
    use rayon::prelude::*;
    // On every thread of the pool: each original a translation's file name names keeps its
    // values (see `Document::values`), and their translations theirs.
    graph.docs.par_iter_mut().for_each(|d| {
        if let Some(d) = Arc::get_mut(d) {
            d.values = Default::default();
        }
    });
}

/// A one-off build reads nothing more of the bodies than their search sections: the rest is
/// freed before the search index is built, where the build's peak memory is; so are the
/// source files (every diagnostic that quotes them is made). Freed on every thread of the pool
/// (on one, it was ~0.2 s at 100,000 documents with the other core idle).
fn free_before_search(
    rendered: &mut [Arc<crate::markdown::Rendered>],
    transcripts: &mut Vec<Option<Arc<crate::markdown::Rendered>>>,
    graph: &mut Graph,
) {
    use rayon::prelude::*;
    rendered.par_iter_mut().for_each(|r| {
        if let Some(r) = Arc::get_mut(r) {
            r.html = String::new();
            r.toc = Vec::new();
            r.links = Vec::new();
            r.calls = Vec::new();
        }
    });
    *transcripts = Vec::new();
    let freed = graph
        .docs
        .par_iter_mut()
        .filter_map(Arc::get_mut)
        .map(|d| {
            d.text = Arc::new(crate::content::Source::empty());
            d.body_start = 0;
        })
        .count();
    log::debug!(
        "sources freed before the search index: {freed} of {}",
        graph.docs.len()
    );
}

/// Documents and translations the options left out, by why (see [`Built::left_out`]).
fn left_out(graph: &Graph) -> BTreeMap<&'static str, (usize, usize)> {
    let mut out = BTreeMap::new();
    for (rel, why) in &graph.excluded {
        let key = match *why {
            graph::DRAFT => "draft",
            graph::SCHEDULED => "scheduled",
            _ => "expired",
        };
        let n: &mut (usize, usize) = out.entry(key).or_default();
        if graph.excluded_translations.contains(rel) {
            n.1 += 1;
        } else {
            n.0 += 1;
        }
    }
    out
}

/// What a build renders: every page, or, after an edit to document bodies alone, the pages
/// that show those bodies on top of what the last build kept.
enum Scope {
    Whole,
    Bodies(Box<Kept>),
}

/// What a body-only edit keeps of the last build, and the edited documents (indices).
struct Kept {
    /// The last build's images and image checks (see [`media`]).
    media: Media,
    /// The last build's body warnings (see [`Warned`]).
    warned: Warned,
    cards: Arc<Cards>,
    html_pages: usize,
    files: Files,
    disk: site::Disk,
    docs: HashSet<usize>,
    /// The last build's markdown and link checks.
    stage4: Stage4,
}

impl Scope {
    /// The graph stage's result as (graph, its diagnostics, scope). The graph is a function of
    /// front matter: a body-only edit keeps the last one, with what was derived from it (cards,
    /// and every page that shows no body).
    fn of(graphed: Graphed) -> (Graph, Vec<Diagnostic>, Scope) {
        match graphed {
            Graphed::New { graph, diags } => (*graph, diags, Scope::Whole),
            Graphed::Bodies { last, docs } => {
                let Last {
                    graph,
                    graph_diags,
                    cards,
                    html_pages,
                    files,
                    disk,
                    rendered,
                    transcripts,
                    links,
                    search,
                    media,
                    warned,
                    read_diags: _,
                    outbound: _,
                    cfg: _,
                } = *last;
                crate::memo::drop_later(search);
                let kept = Kept {
                    media,
                    warned,
                    cards,
                    html_pages,
                    files,
                    disk,
                    docs,
                    stage4: (rendered, transcripts, links),
                };
                (graph, graph_diags, Scope::Bodies(Box::new(kept)))
            }
        }
    }

    /// The body warnings of every document (see [`Memo::warned`]): those of the edited
    /// documents made again after a body-only edit.
    fn warnings(&mut self, memo: &mut Memo, graph: &Graph) -> Warned {
        match self {
            Scope::Whole => memo.warned(graph),
            Scope::Bodies(k) => {
                let mut w = std::mem::take(&mut k.warned);
                for &i in &k.docs {
                    w.body[i] = graph::body_warnings(&graph.docs[i]);
                }
                for (g, copies) in w.same_titles.iter().zip(&mut w.copies) {
                    if g.iter().any(|i| k.docs.contains(i)) {
                        *copies = graph::duplicate_warnings(&graph.docs, g);
                    }
                }
                w
            }
        }
    }

    fn is_partial(&self) -> bool {
        matches!(self, Scope::Bodies(_))
    }

    /// Where the renderer takes the cards from.
    fn cards<'m>(&self, memo: Option<&'m render::CardMemo>) -> CardsFrom<'m> {
        match self {
            Scope::Whole => CardsFrom::Build(memo),
            Scope::Bodies(k) => CardsFrom::Kept(k.cards.clone()),
        }
    }

    /// Every page, or those of the edited documents (and the home page when one of them is
    /// the home page's), with the generated files that show bodies.
    fn render(&self, input: &render::Input<'_>, reuse: &render::Reuse<'_>) -> render::Pages {
        match self {
            Scope::Whole => render::render(input, reuse),
            Scope::Bodies(k) => {
                let g = input.graph;
                let home = k
                    .docs
                    .iter()
                    .any(|&i| g.docs[i].collection == Collection::Home);
                render::render_docs(input, &k.docs, home)
            }
        }
    }

    /// The build's files, how many of them are HTML pages, the files still to add from disk
    /// or the image cache (see [`crate::media::outputs`]), and those left on disk (see
    /// [`Built::disk`]): the pages just rendered with the processed images and the static
    /// files, or with every file the last build kept.
    fn files(
        self,
        (pages, held): (Files, site::Disk),
        images: &crate::media::Images,
        statics: &render::Statics,
    ) -> (Files, usize, Vec<(String, crate::media::Blob)>, site::Disk) {
        match self {
            Scope::Whole => {
                let html_pages = pages.keys().filter(|k| k.ends_with(".html")).count();
                // A static robots.txt replaces lmp's (see [`static_collisions`]).
                let taken = |rel: &str| pages.contains_key(rel) && rel != ROBOTS;
                let blobs = crate::media::outputs(statics, images, &taken);
                (pages, html_pages, blobs, held)
            }
            Scope::Bodies(k) => {
                let (mut files, mut disk) = (k.files, k.disk);
                for (rel, b) in &pages {
                    if !site::is_streamed(b) {
                        // Rendered into memory (its scratch file could not take it).
                        disk.remove(rel);
                    }
                }
                files.extend(pages);
                disk.extend(held);
                (files, k.html_pages, Vec::new(), disk)
            }
        }
    }
}

/// Stage 4: every document's markdown rendered (or, after a body-only edit, the edited ones)
/// and its links checked. Markdown components are rendered with the theme's templates and the
/// site's data.
fn markdown(
    memo: &mut Memo,
    cfg: &Config,
    graph: &Graph,
    theme: Option<&crate::memo::Loaded>,
    scope: &mut Scope,
    spill: Option<&Arc<crate::fsx::spill::Spill>>,
) -> Stage4 {
    let host = site_components(cfg, graph, theme);
    let host = host
        .as_ref()
        .map(|h| h as &dyn crate::markdown::components::Host);
    match scope {
        Scope::Whole => {
            let env = link_env(cfg, graph);
            let (rendered, transcripts) = memo.markdown(cfg, graph, env, host, spill);
            let links = memo.links(env, graph, &rendered);
            (rendered, transcripts, links)
        }
        Scope::Bodies(k) => memo.bodies(cfg, graph, &k.docs, host, std::mem::take(&mut k.stage4)),
    }
}

/// The site's components (the theme's component templates) as the markdown renderer's host,
/// when a theme is loaded: one place for the document bodies and the broken files' bodies.
fn site_components<'a>(
    cfg: &'a Config,
    graph: &'a Graph,
    theme: Option<&'a crate::memo::Loaded>,
) -> Option<crate::render::components::SiteComponents<'a>> {
    theme.map(|t| crate::render::components::SiteComponents {
        theme: &t.theme,
        cfg,
        graph,
        images: &t.images,
    })
}

/// The body problems of the files whose front matter has errors, besides their `.md` links
/// (`site::stub_links`): what rendering the body finds (raw HTML removed, component errors,
/// links shown as text), its pictures (no alt text, not an image) and the malformed addresses
/// of other sites. QA s11: those came only once the front matter was fixed; now every mistake
/// of the file comes in one run. The body is rendered as a document's is (with the site's
/// components), its `.md` links left as written (they are checked by `stub_links`).
fn stub_notes(
    cfg: &Config,
    graph: &Graph,
    theme: Option<&crate::memo::Loaded>,
    images: &crate::media::Images,
) -> Vec<Diagnostic> {
    use crate::media::checks::{Body, body_images};
    if graph.broken.is_empty() {
        return Vec::new();
    }
    let host = site_components(cfg, graph, theme);
    let host = host
        .as_ref()
        .map(|h| h as &dyn crate::markdown::components::Host);
    let unresolved = |_: &str| None;
    let mut out = Vec::new();
    for stub in graph.broken.values() {
        let Some(body) = stub
            .text
            .get(stub.body_start..)
            .filter(|b| !b.trim().is_empty())
        else {
            continue;
        };
        let env = crate::markdown::Env {
            resolve: &unresolved,
            unsafe_html: cfg.unsafe_html,
            components: host,
            lang: &stub.lang,
            link_lang: None,
        };
        let r = crate::markdown::render_with(body, &env);
        let lines = diagnostics::Lines::new(&stub.text);
        let at = |line: usize| stub.body_line + line - 1;
        for n in &r.notes {
            let d = if n.error {
                Diagnostic::error(&stub.path, at(n.line), n.col, n.message.clone())
            } else {
                Diagnostic::warning(&stub.path, at(n.line), n.col, n.message.clone())
            };
            let d = d.with_help(n.help.clone()).with_source_in(&lines);
            out.push(if n.caused { d.caused() } else { d });
        }
        let b = Body {
            path: &stub.path,
            rel: &stub.rel,
            body_line: stub.body_line,
            lines: &lines,
        };
        out.extend(body_images(&b, &r.links, images));
        for l in r.links.iter().filter(|l| !l.is_image) {
            let url = match l.dest.strip_prefix("//") {
                Some(rest) => format!("https://{rest}"),
                None => l.dest.clone(),
            };
            if let Some((message, help)) = crate::linkcheck::malformed_web_address(&l.dest, &url) {
                out.push(
                    Diagnostic::error(&stub.path, at(l.line), l.col, message)
                        .with_help(help)
                        .with_source_in(&lines),
                );
            }
        }
    }
    out
}

/// The one generated file a static file may replace: a site's own `static/robots.txt` (e.g.
/// `Disallow: /` on a staging copy) is published instead of lmp's.
const ROBOTS: &str = "robots.txt";

/// Static files at the address of a file the build generates (a page, the sitemap, a feed):
/// one error each (QA Q65: they were dropped without a word). `robots.txt` is the exception
/// ([`ROBOTS`]).
///
/// A file where the output needs a folder, or a folder where it needs a file, is one too (hostile
/// tester s17: `static/sitemap.xml/a.txt`, `static/es` as a file, or `static/css` over the
/// theme's `css/` folder passed `lmp check`, then failed the build with "could not create
/// ./.public.lmp-staging/sitemap.xml: File exists"): an error at the site's file.
fn static_collisions(
    generated: &Files,
    statics: &crate::media::Statics,
    aliases: &std::collections::BTreeMap<String, usize>,
) -> Vec<Diagnostic> {
    use crate::media::Src;
    let path_of = |rel: &str, src: &Src| match src {
        Src::Disk(d) => d.0.clone(),
        Src::Mem(_) => std::path::PathBuf::from(format!("<built-in theme>/static/{rel}")),
    };
    let static_rels: std::collections::BTreeMap<&str, &Src> = statics
        .iter()
        .map(|(rel, src)| (rel.as_str(), src))
        .collect();
    // The first file under the folder `rel/` among `files`' sorted keys.
    fn first_under<'a, K: std::borrow::Borrow<str> + Ord, V>(
        files: &'a std::collections::BTreeMap<K, V>,
        rel: &str,
    ) -> Option<&'a str> {
        use std::ops::Bound;
        let dir = format!("{rel}/");
        files
            .range::<str, _>((Bound::Included(dir.as_str()), Bound::Unbounded))
            .next()
            .map(|(k, _)| k.borrow())
            .filter(|k| k.starts_with(&dir))
    }
    let mut shapes = Vec::new();
    for (rel, src) in statics {
        // Inside a generated file's address (`sitemap.xml/a.txt`).
        let inside = rel
            .match_indices('/')
            .map(|(i, _)| &rel[..i])
            .find(|dir| generated.contains_key(*dir));
        let (message, help) = if let Some(file) = inside {
            (
                format!(
                    "this static file is in the folder /{file}/, but /{file} is a file lmp generates"
                ),
                format!(
                    "rename the folder /{file}/ under static/: lmp writes the file /{file} itself"
                ),
            )
        } else if let Some(page) = first_under(generated, rel)
            // An alias at the file's own address is the alias's error, at its line
            // (`linkcheck`), not this file's.
            && !aliases.contains_key(&format!("/{rel}/"))
        {
            (
                format!(
                    "this static file has the address /{rel}, which is a folder of the pages lmp generates (/{page})"
                ),
                "rename the file: lmp needs that address for a folder".to_string(),
            )
        } else if let Some(other) = first_under(&static_rels, rel) {
            let what = match static_rels[other] {
                Src::Disk(d) => crate::diagnostics::display_path(&d.0),
                Src::Mem(_) => format!("the theme's static/{other}"),
            };
            (
                format!(
                    "this static file has the address /{rel}, which is a folder of other static files ({what})"
                ),
                "rename the file: the output needs that address for a folder".to_string(),
            )
        } else {
            continue;
        };
        shapes.push(Diagnostic::error(path_of(rel, src), 0, 0, message).with_help(help));
    }
    statics
        .iter()
        .filter(|(rel, _)| rel != ROBOTS && generated.contains_key(rel))
        .map(|(rel, src)| {
            let path = path_of(rel, src);
            let help = if rel.ends_with(".html") {
                format!(
                    "lmp makes the page /{rel} from a template: to change it, copy the theme's template into site/templates/ and edit it (docs/theme.md); to publish this file too, give it another name"
                )
            } else {
                format!(
                    "lmp writes /{rel} itself; delete this file, or give it another name to publish it too (only robots.txt under static/ replaces lmp's)"
                )
            };
            Diagnostic::error(
                &path,
                0,
                0,
                format!("this static file has the address /{rel}, which lmp generates"),
            )
            .with_help(help)
        })
        .chain(shapes)
        .collect()
}

/// The scratch file of a one-off build: on the output's disk, or in the system's temporary
/// folder (`lmp check`). `None` (the bodies stay in memory) when it cannot be made.
fn scratch(sink: Option<&dyn site::Sink>) -> Option<Arc<crate::fsx::spill::Spill>> {
    let dir = sink
        .and_then(|s| s.scratch_dir().map(std::path::Path::to_path_buf))
        .unwrap_or_else(std::env::temp_dir);
    match crate::fsx::spill::Spill::create(&dir) {
        Ok(s) => Some(Arc::new(s)),
        Err(e) => {
            log::debug!("bodies kept in memory: {e:#}");
            None
        }
    }
}

/// Images: lead images' crops, bodies made responsive, image and video checks. The checks'
/// diagnostics come per document (the body-dependent ones) and for the video fields. After a
/// body-only edit the images (a function of front matter, the theme and the static files) and
/// every other document's results are the last build's: only the edited bodies are done.
fn media(
    memo: &mut Memo,
    cfg: &Config,
    graph: &Graph,
    theme: Option<&crate::memo::Loaded>,
    rendered: &mut [Arc<crate::markdown::Rendered>],
    scope: &mut Scope,
) -> Media {
    let Some(l) = theme else {
        return Default::default();
    };
    if let Scope::Bodies(k) = scope {
        let Media {
            images,
            mut docs,
            fields,
        } = std::mem::take(&mut k.media);
        let mut edited: Vec<usize> = k.docs.iter().copied().collect();
        edited.sort_unstable();
        let done = memo.media(&images, cfg, graph, rendered, Some(&edited));
        for (i, mut d) in edited.into_iter().zip(done) {
            d.extend(crate::media::video::mp4s_in_components(
                &graph.docs[i],
                &rendered[i],
                &l.statics,
            ));
            docs[i] = d;
        }
        return Media {
            images,
            docs,
            fields,
        };
    }
    let label = |c, lang: &str| render::collection_label(&l.theme, c, lang, false);
    let images = crate::media::with_leads(&l.cache, &l.statics, &l.images, graph, cfg, &label);
    let mut docs = memo.media(&images, cfg, graph, rendered, None);
    for (i, d) in docs.iter_mut().enumerate() {
        d.extend(crate::media::video::mp4s_in_components(
            &graph.docs[i],
            &rendered[i],
            &l.statics,
        ));
    }
    let fields =
        crate::media::video::check_fields(&graph.docs, &l.statics, &|p| l.theme.file_of(p));
    Media {
        images,
        docs,
        fields,
    }
}

/// A sink that keeps the errors of its writes for later (see [`build_to`]): a file that could
/// not be written counts as written, and the build fails after the link check.
struct Deferred<'a> {
    sink: &'a dyn site::Sink,
    errors: std::sync::Mutex<Vec<Diagnostic>>,
    /// Writes that failed because the whole disk refuses them (full, over quota, read-only):
    /// the first one's error and output path, and how many (QA s12: a full disk gave one
    /// error per file of the build, 604 for the sample site, without saying what to do).
    disk: std::sync::Mutex<Option<(Diagnostic, usize)>>,
}

impl<'a> Deferred<'a> {
    fn new(sink: &'a dyn site::Sink) -> Self {
        Deferred {
            sink,
            errors: Default::default(),
            disk: Default::default(),
        }
    }

    /// The write errors, sorted by output path; the ones of a disk that refuses every write
    /// as one error, first.
    fn errors(&self) -> Vec<Diagnostic> {
        let mut e = match self.errors.lock() {
            Ok(mut e) => std::mem::take(&mut *e),
            Err(p) => std::mem::take(&mut *p.into_inner()),
        };
        crate::diagnostics::sort(&mut e);
        let disk = match self.disk.lock() {
            Ok(mut d) => d.take(),
            Err(p) => p.into_inner().take(),
        };
        if let Some((mut d, n)) = disk {
            if n > 1 {
                d.message.push_str(&format!(
                    ", and {} other files of the build were not written",
                    n - 1
                ));
            }
            e.insert(0, d);
        }
        e
    }
}

impl Deferred<'_> {
    fn keep(&self, rel: &str, r: anyhow::Result<()>) -> anyhow::Result<()> {
        if let Err(e) = r {
            let whole = e
                .chain()
                .find_map(|c| c.downcast_ref::<std::io::Error>())
                .filter(|io| {
                    matches!(
                        io.raw_os_error(),
                        Some(libc::ENOSPC | libc::EDQUOT | libc::EROFS)
                    )
                })
                .and_then(|io| crate::fsx::io_error_help(io, crate::fsx::Writes::Output));
            if let Some(help) = whole {
                match self.disk.lock() {
                    Ok(mut disk) => match &mut *disk {
                        Some((first, n)) => {
                            *n += 1;
                            // The first in output order, whichever thread wrote it first.
                            if rel < first.path.to_string_lossy().as_ref() {
                                *first =
                                    Diagnostic::error(rel, 0, 0, format!("{e:#}")).with_help(help);
                            }
                        }
                        None => {
                            *disk = Some((
                                Diagnostic::error(rel, 0, 0, format!("{e:#}")).with_help(help),
                                1,
                            ));
                        }
                    },
                    Err(_) => return Err(e),
                }
                return Ok(());
            }
            let d = Diagnostic::error(rel, 0, 0, format!("{e:#}"));
            match self.errors.lock() {
                Ok(mut errors) => errors.push(d),
                Err(_) => return Err(e),
            }
        }
        Ok(())
    }
}

impl site::Sink for Deferred<'_> {
    fn put(&self, rel: &str, bytes: &[u8]) -> anyhow::Result<()> {
        self.keep(rel, self.sink.put(rel, bytes))
    }

    fn put_file(&self, rel: &str, src: &site::OnDisk) -> anyhow::Result<()> {
        self.keep(rel, self.sink.put_file(rel, src))
    }

    fn scratch_dir(&self) -> Option<&std::path::Path> {
        self.sink.scratch_dir()
    }
}

/// Write the files not yet written (images, static files) into the sink, keeping the link-check
/// records of those the check reads. HTML files from `static/` keep their bytes too: the check
/// locates their links in their own text.
fn stream_rest(
    sink: &dyn site::Sink,
    files: &mut Files,
    records: &mut crate::linkcheck::Records,
) -> Result<(), Diagnostic> {
    use rayon::prelude::*;
    let rest: Vec<(&String, &site::Bytes)> = files
        .iter()
        .filter(|(_, b)| !site::is_streamed(b))
        .collect();
    let done: Vec<(String, Option<Arc<crate::linkcheck::PageRecord>>)> = rest
        .par_iter()
        .map(|(rel, bytes)| {
            sink.put(rel, bytes)
                .map_err(|e| Diagnostic::error(rel.as_str(), 0, 0, format!("{e:#}")))?;
            let record = crate::linkcheck::is_checked(rel)
                .then(|| Arc::new(crate::linkcheck::PageRecord::of(bytes)));
            Ok(((*rel).clone(), record))
        })
        .collect::<Result<_, Diagnostic>>()?;
    for (rel, record) in done {
        if let Some(r) = record {
            records.insert(rel.clone(), r);
            continue;
        }
        files.insert(rel, site::streamed());
    }
    Ok(())
}

/// The images' and static files' outputs (see [`crate::media::outputs`]) into the sink: a file
/// on disk is linked or copied, never read, unless the link check reads it (HTML from
/// `static/`, whose bytes are kept like [`stream_rest`] keeps them).
fn stream_blobs(
    sink: &dyn site::Sink,
    blobs: Vec<(String, crate::media::Blob)>,
    files: &mut Files,
    records: &mut crate::linkcheck::Records,
) -> Result<(), Diagnostic> {
    use crate::media::Blob;
    use rayon::prelude::*;
    let err = |rel: &str, e: anyhow::Error| Diagnostic::error(rel, 0, 0, format!("{e:#}"));
    type Record = Option<(Arc<crate::linkcheck::PageRecord>, site::Bytes)>;
    let done: Vec<(String, Record)> = blobs
        .par_iter()
        .map(|(rel, blob)| {
            let checked = crate::linkcheck::is_checked(rel);
            let record = match blob {
                Blob::File(f) if !checked && f.size != u64::MAX => {
                    sink.put_file(rel, f).map_err(|e| err(rel, e))?;
                    None
                }
                _ => {
                    let bytes = blob.read().map_err(|e| err(rel, e))?;
                    sink.put(rel, &bytes).map_err(|e| err(rel, e))?;
                    checked.then(|| (Arc::new(crate::linkcheck::PageRecord::of(&bytes)), bytes))
                }
            };
            Ok((rel.clone(), record))
        })
        .collect::<Result<_, Diagnostic>>()?;
    for (rel, record) in done {
        match record {
            Some((r, bytes)) => {
                records.insert(rel.clone(), r);
                files.insert(rel, bytes);
            }
            None => {
                files.insert(rel, site::streamed());
            }
        }
    }
    Ok(())
}

/// The images' and static files' outputs read into `files` (a build that keeps its files in
/// memory: `serve`).
fn read_blobs(
    blobs: Vec<(String, crate::media::Blob)>,
    files: &mut Files,
) -> Result<(), Diagnostic> {
    for (rel, blob) in blobs {
        let bytes = blob
            .read()
            .map_err(|e| Diagnostic::error(rel.as_str(), 0, 0, format!("{e:#}")))?;
        files.insert(rel, bytes);
    }
    Ok(())
}

/// The images' and static files' outputs of a build that keeps its output in memory for the
/// next (`serve`): a file on disk whose digest is known stays there (`disk`; `files` gets its
/// path with no bytes), so a 300 MB video is never held in memory (QA Q29); the rest (bytes
/// made in memory, a file whose digest is unknown) is read into `files`, as is HTML and XML
/// from `static/`, which the link check reads.
fn hold_blobs(
    blobs: Vec<(String, crate::media::Blob)>,
    files: &mut Files,
    disk: &mut site::Disk,
) -> Result<(), Diagnostic> {
    use crate::media::Blob;
    let mut rest = Vec::new();
    for (rel, blob) in blobs {
        match blob {
            Blob::File(f) if f.size != u64::MAX && !crate::linkcheck::is_checked(&rel) => {
                files.insert(rel.clone(), site::streamed());
                disk.insert(rel, f);
            }
            _ => rest.push((rel, blob)),
        }
    }
    read_blobs(rest, files)
}

/// Nothing changed since the last build: the same files and diagnostics.
fn unchanged(opts: &Options, memo: &Memo, t: Timer) -> Built {
    let mut inputs = vec![opts.site_dir.clone()];
    inputs.extend(memo.theme_dirs().iter().cloned());
    let ((files, disk), counts, left_out, pages, outbound) = match memo.last() {
        Some(last) => (
            memo.with_search(&last.files, &last.disk),
            counts(&last.graph),
            self::left_out(&last.graph),
            last.html_pages,
            last.outbound.clone(),
        ),
        None => Default::default(),
    };
    Built {
        files,
        warnings: sorted(memo.unchanged_diagnostics()),
        counts,
        left_out,
        pages,
        timings: t.stages,
        peaks: t.peaks,
        inputs,
        outbound,
        disk,
    }
}

fn failed(diagnostics: Vec<Diagnostic>) -> Failed {
    Failed {
        diagnostics: sorted(diagnostics),
    }
}

fn sorted(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics::sort(&mut diags);
    diags
}

/// Published documents per collection.
fn counts(graph: &Graph) -> BTreeMap<Collection, usize> {
    let mut counts = BTreeMap::new();
    for d in &graph.docs {
        // Documents, not their translations.
        if d.collection != Collection::Home && d.translation.is_none() {
            *counts.entry(d.collection).or_insert(0) += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    /// QA Q135: a file with thousands of mistakes of each kind (broken `#anchor`s, links to
    /// missing pages, raw HTML links, pictures without alt text or file, outbound links) costs
    /// `lmp check` a few passes over the file, not one per mistake: the work of finding lines
    /// and places, counted on this thread (a one-thread pool runs the whole check here), stays
    /// a small multiple of the file's size. Before, each diagnostic read the file up to its
    /// line and the output check read every link of the page per problem: ~2 GB here.
    #[test]
    fn thousands_of_mistakes_in_one_file_cost_a_few_passes_over_it() {
        let tmp = tempfile::tempdir().unwrap();
        let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        for (rel, path) in crate::fsx::walk_files(&fixture).unwrap() {
            let to = tmp.path().join(rel);
            crate::fsx::create_dir_all(to.parent().unwrap()).unwrap();
            crate::fsx::copy_file(&path, &to).unwrap();
        }
        let n = 1_500;
        let mut text = String::from(
            "---\ntitle: Big table\ndate: 2016-02-01\nsummary: Many rows.\n---\n| a | b | c |\n|---|---|---|\n",
        );
        for i in 0..n {
            text.push_str(&format!(
                "| cell {i} | [x](#h{i}) [y](/nope-{i}/) | <a href=\"/raw-{i}/\">r</a> ![](/images/none-{i}.jpg) [o](https://example.org/{i}) |\n"
            ));
        }
        crate::fsx::write_replacing(&tmp.path().join("stories/big.md"), text.as_bytes()).unwrap();
        let (diags, read) = build_on_one_thread(tmp.path());
        let in_big = |what: &str| {
            diags
                .iter()
                .filter(|d| d.path.ends_with("stories/big.md") && d.message.contains(what))
                .count()
        };
        // Each kind of mistake is reported at each row.
        assert_eq!(in_big("there is no such heading"), n, "{diags:#?}");
        assert!(in_big("/nope-") >= n, "{}", in_big("/nope-"));
        assert!(in_big("/raw-") >= n, "{}", in_big("/raw-"));
        assert!(in_big("no alt text") >= n, "{}", in_big("no alt text"));
        let last = diags
            .iter()
            .find(|d| d.message.contains(&format!("#h{}", n - 1)))
            .unwrap();
        assert_eq!(last.line, 7 + n);
        assert!(
            last.source_line
                .as_deref()
                .unwrap()
                .contains(&format!("cell {}", n - 1)),
            "{last:?}"
        );
        assert!(
            read < 40 * text.len(),
            "finding lines and places read {read} bytes for a {} byte file",
            text.len()
        );
    }

    /// QA s10: a story with thousands of videos without captions, and thousands of ids each
    /// written twice in its raw HTML, is checked in a few passes over the file: the warnings
    /// found their video's line by a scan of every component argument of the file, and each
    /// duplicated id read the whole body (and the file again for its line).
    #[test]
    fn many_videos_without_captions_and_duplicated_ids_cost_a_few_passes() {
        let (tmp, root) = basic_fixture_copy();
        crate::fsx::create_dir_all(&tmp.path().join("static/videos")).unwrap();
        crate::fsx::copy_file(
            &root.join("site/static/videos/how-to-use-search.mp4"),
            &tmp.path().join("static/videos/clip.mp4"),
        )
        .unwrap();
        let n = 8_000;
        let mut text =
            String::from("---\ntitle: Many\ndate: 2016-02-01\nsummary: Videos and ids.\n---\n");
        for i in 0..n {
            text.push_str(&format!(
                "Part {i}.\n\n```{{video}}\nsrc: /videos/clip.mp4\ntitle: Clip {i}\n```\n\n<span id=\"dup-{i}\">a</span> <span id=\"dup-{i}\">b</span>\n\n"
            ));
        }
        crate::fsx::write_replacing(&tmp.path().join("stories/many.md"), text.as_bytes()).unwrap();
        let (diags, read) = build_on_one_thread(tmp.path());
        let of = |what: &str| -> Vec<(usize, usize)> {
            diags
                .iter()
                .filter(|d| d.path.ends_with("stories/many.md") && d.message.contains(what))
                .map(|d| (d.line, d.col))
                .collect()
        };
        // Each video's warning at its own `src:` line (9 lines per part, the first at line 9).
        let captions = of("has no captions");
        assert_eq!(captions.len(), n, "{diags:#?}");
        assert!(
            captions
                .iter()
                .enumerate()
                .all(|(i, &p)| p == (9 + 9 * i, 6)),
            "{:?}",
            &captions[..5]
        );
        // Each duplicated id at both of its places (line 13 of each part, columns 7 and 36).
        let last = format!("the id `dup-{}` is given", n - 1);
        assert_eq!(of(&last), [(13 + 9 * (n - 1), 7), (13 + 9 * (n - 1), 36)]);
        assert_eq!(of("is given to two elements").len(), 2 * n);
        assert!(
            read < 40 * text.len(),
            "finding lines and places read {read} bytes for a {} byte file",
            text.len()
        );
    }

    /// QA s11: a front matter path to a missing file (`image:`) walked the whole static/
    /// folder for its "did you mean", once per such path: 300 missing pictures among 400 files
    /// listed 120,000 files. Now static/ is walked once for all of them, and each still gets
    /// the file it most likely meant (another case, `.jpeg` for `.jpg`, a typo away).
    #[test]
    fn many_missing_pictures_walk_the_static_folder_once() {
        let (tmp, _) = basic_fixture_copy();
        let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"800\"></svg>";
        let files = 400;
        for i in 0..files {
            crate::fsx::write_replacing(
                &tmp.path().join(format!("static/images/photo-{i:03}.svg")),
                svg,
            )
            .unwrap();
        }
        crate::fsx::write_replacing(&tmp.path().join("static/images/Team.JPEG"), svg).unwrap();
        let n = 300;
        for i in 0..n {
            let image = match i {
                0 => "/images/team.jpg".to_string(),
                1 => "/static/images/photo-007.svg".to_string(),
                i => format!("/images/phot-{i:03}.svg"),
            };
            crate::fsx::write_replacing(
                &tmp.path().join(format!("stories/pictured-{i:03}.md")),
                format!("---\ntitle: Pictured {i}\ndate: 2016-02-01\nsummary: s.\ntopics: [ubt-basics]\nimage: {image}\nimage_alt: A team\n---\nText.\n").as_bytes(),
            )
            .unwrap();
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .use_current_thread()
            .build()
            .unwrap();
        let before = crate::fsx::walked_so_far();
        let result = pool.install(|| build(&Options::new(tmp.path()), &mut Memo::default()));
        let walked = crate::fsx::walked_so_far() - before;
        let diags = match result {
            Ok(_) => panic!("the missing pictures must fail the build"),
            Err(f) => f.diagnostics,
        };
        let help = |story: &str| {
            diags
                .iter()
                .find(|d| {
                    d.path.ends_with(format!("stories/{story}.md"))
                        && d.message.contains("does not exist")
                })
                .and_then(|d| d.help.clone())
                .unwrap_or_else(|| panic!("no error in {story}: {diags:#?}"))
        };
        assert!(
            help("pictured-000").starts_with("did you mean `/images/Team.JPEG`?"),
            "{}",
            help("pictured-000")
        );
        assert!(
            help("pictured-001").starts_with("did you mean `/images/photo-007.svg`?"),
            "{}",
            help("pictured-001")
        );
        assert!(
            help("pictured-299").starts_with("did you mean `/images/photo-299.svg`?"),
            "{}",
            help("pictured-299")
        );
        let missing = diags
            .iter()
            .filter(|d| d.message.contains("does not exist"))
            .count();
        assert_eq!(missing, n, "{diags:#?}");
        // The theme and the images list static/ a few times; once per missing picture was
        // 300 walks of 401 files.
        assert!(
            walked < 6 * (files + 1),
            "{walked} files listed for {n} missing pictures"
        );
    }

    /// A copy of tests/fixtures/basic in a new temporary folder, and the project's root.
    fn basic_fixture_copy() -> (tempfile::TempDir, &'static std::path::Path) {
        let tmp = tempfile::tempdir().unwrap();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for (rel, path) in crate::fsx::walk_files(&root.join("tests/fixtures/basic")).unwrap() {
            let to = tmp.path().join(rel);
            crate::fsx::create_dir_all(to.parent().unwrap()).unwrap();
            crate::fsx::copy_file(&path, &to).unwrap();
        }
        (tmp, root)
    }

    /// A whole build of `root` on a one-thread pool: its diagnostics and the work counter
    /// (`diagnostics::work_done`) it added, so a test can bound the work without timing it.
    fn build_on_one_thread(root: &std::path::Path) -> (Vec<Diagnostic>, usize) {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .use_current_thread()
            .build()
            .unwrap();
        let before = diagnostics::work_done();
        let result = pool.install(|| build(&Options::new(root), &mut Memo::default()));
        let read = diagnostics::work_done() - before;
        let diags = match result {
            Ok(b) => b.warnings,
            Err(f) => f.diagnostics,
        };
        (diags, read)
    }

    /// QA s10: the "did you mean" of a link to a missing `.md` file (and of a link to an address
    /// no page has) compared the link with every document (every output file): errors ×
    /// documents, hours for 20,000 broken links at 100,000 documents. Here 600 stories and a
    /// page with 600 broken links of each kind: the edit-distance cells filled, counted on this
    /// thread (a one-thread pool runs the whole check here), stay far below one comparison per
    /// link and candidate, and the helps are the ones comparing each gave.
    #[test]
    fn many_broken_links_among_many_documents_are_not_compared_with_each() {
        let tmp = tempfile::tempdir().unwrap();
        let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        for (rel, path) in crate::fsx::walk_files(&fixture).unwrap() {
            let to = tmp.path().join(rel);
            crate::fsx::create_dir_all(to.parent().unwrap()).unwrap();
            crate::fsx::copy_file(&path, &to).unwrap();
        }
        let n = 600;
        let mut page = String::from("---\ntitle: Broken\nsummary: Links.\n---\n");
        for i in 0..n {
            crate::fsx::write_replacing(
                &tmp.path().join(format!("stories/story-{i:04}.md")),
                format!(
                    "---\ntitle: Team story {i}\ndate: 2016-02-01\nsummary: A team.\n---\nText.\n"
                )
                .as_bytes(),
            )
            .unwrap();
            page.push_str(&format!(
                "- [a](../stories/stroy-{i:04}.md) [b](/stories/stroy-{i:04}/) [c](../stroies/team-story-{i}.md)\n"
            ));
        }
        crate::fsx::write_replacing(&tmp.path().join("pages/broken.md"), page.as_bytes()).unwrap();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .use_current_thread()
            .build()
            .unwrap();
        let before = crate::util::compared_so_far();
        let result = pool.install(|| {
            let opts = Options::new(tmp.path());
            build(&opts, &mut Memo::default())
        });
        let cells = crate::util::compared_so_far() - before;
        let diags = match result {
            Ok(_) => panic!("the broken links must fail the build"),
            Err(f) => f.diagnostics,
        };
        let help = |what: &str| {
            diags
                .iter()
                .find(|d| d.path.ends_with("pages/broken.md") && d.message.contains(what))
                .and_then(|d| d.help.clone())
                .unwrap_or_else(|| panic!("no error about {what}: {diags:#?}"))
        };
        assert_eq!(
            help("../stories/stroy-0417.md"),
            "did you mean `../stories/story-0417.md`?"
        );
        assert_eq!(
            help("/stories/stroy-0417/"),
            "did you mean `/stories/story-0417/`?"
        );
        // A title that gives the missing file's name (`moved`), from the index of titles.
        assert!(
            help("../stroies/team-story-417.md")
                .contains("stories/story-0417.md (its title is \"Team story 417\")"),
            "{}",
            help("../stroies/team-story-417.md")
        );
        let broken = diags
            .iter()
            .filter(|d| d.path.ends_with("pages/broken.md"))
            .count();
        assert_eq!(broken, 3 * n, "{diags:#?}");
        // Comparing each link with each of the ~600 documents and ~1,200 output addresses
        // fills ~500 cells each: ~500 million here.
        assert!(
            cells < 6_000 * 3 * n,
            "{cells} edit-distance cells for {} broken links",
            3 * n
        );
    }
}
