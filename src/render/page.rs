//! Rendering one page: its typed template context (`site`, `page` and what the page's job adds),
//! its fingerprint, and the theme's template run on it, unless an earlier rendering with the same
//! fingerprint can be reused; and the digests that let a document page be reused before its
//! context is built.

use std::sync::Arc;

use serde::Serialize;

use super::jobs::{Extra, Job, SiteOf, SiteViews};
use super::view::*;
use super::{Input, PageOut, Reuse, fingerprint, theme};
use crate::content::collections::{Collection, Fields};
use crate::content::taxonomy::Taxonomy;

/// What a page's context has besides `site` and `t` (see [`Ctx`]), when those two are
/// serialised once for many pages (see [`theme::Shared`]).
#[derive(Serialize)]
struct Own<'a> {
    page: &'a PageView,
    rtl_text: bool,
    #[serde(flatten)]
    extra: &'a Kind<'a>,
}

/// The context of every template: `site`, `page`, and what the page's kind adds at the top level.
#[derive(Serialize)]
struct Ctx<'a> {
    site: &'a SiteView,
    page: &'a PageView,
    /// The page shows right-to-left text: a title, summary, name or heading lmp gives its
    /// templates has a right-to-left letter (see [`Kind::rtl_text`]). The theme's templates call
    /// `dir_auto` and `isolate` only then: they give nothing (or the text as it is) otherwise,
    /// and a filter call for every title, entry and term of every page was ~1 % of a build.
    rtl_text: bool,
    /// The theme's words in the page's language (see [`super::strings`]).
    t: &'a super::strings::Strings,
    #[serde(flatten)]
    extra: Kind<'a>,
}

/// What each kind of page adds to its context (see `Extra`, the job it is built from).
// Built on the stack once per page and never stored: no need to box the document view.
#[allow(clippy::large_enum_variant)]
#[derive(Serialize)]
#[serde(untagged)]
enum Kind<'a> {
    Doc {
        doc: DocView<'a>,
    },
    Home {
        home: &'a HomeView,
        featured: Vec<CardRef<'a>>,
        latest: Vec<CardRef<'a>>,
        totals: &'a Totals,
        regions: &'a [RegionRow],
    },
    Regions {
        regions: &'a [RegionRow],
        totals: &'a Totals,
    },
    List {
        collection: &'a CollectionView,
        items: Vec<CardRef<'a>>,
        pagination: &'a Pagination,
    },
    Taxonomy {
        taxonomy: &'a TaxonomyView,
        terms: &'a [TermView],
    },
    Term {
        taxonomy: &'a TaxonomyView,
        term: &'a TermView,
        items: Vec<CardRef<'a>>,
        pagination: &'a Pagination,
    },
    Search {
        browse: &'a std::collections::BTreeMap<String, LinkView>,
        elsewhere: &'a [Elsewhere],
    },
    Nothing {},
}

impl PageView {
    /// The page's title or a breadcrumb's name has a right-to-left letter.
    fn rtl_text(&self) -> bool {
        crate::bidi::has_rtl(&self.title)
            || self
                .breadcrumbs
                .iter()
                .any(|c| crate::bidi::has_rtl(&c.name))
    }
}

impl Kind<'_> {
    /// What the page's kind shows has a right-to-left letter: a document's title, summary,
    /// contents entries and terms, a card's title or summary, a term's or a region's name, the
    /// home page's title and summary (the values the theme gives `dir_auto`; cards and terms
    /// told once per build, see `Card::rtl_text`). A site's own template that gives the filters
    /// another value calls them without `rtl_text` (docs/theme.md).
    fn rtl_text(&self) -> bool {
        let cards = |cs: &[CardRef<'_>]| cs.iter().any(|c| c.card.rtl_text);
        let terms = |ts: &[std::borrow::Cow<'_, TermView>]| ts.iter().any(|t| t.rtl_text);
        let rows = |rs: &[RegionRow]| rs.iter().any(|r| crate::bidi::has_rtl(&r.title));
        match self {
            Kind::Doc { doc } => {
                crate::bidi::has_rtl(doc.title)
                    || crate::bidi::has_rtl(doc.summary)
                    || doc.toc.iter().any(|h| crate::bidi::has_rtl(&h.title))
                    || terms(&doc.regions)
                    || terms(&doc.topics)
                    || terms(&doc.audiences)
                    || terms(&doc.series)
                    || doc.region.as_ref().is_some_and(|t| t.rtl_text)
                    || cards(&doc.related)
                    || doc.video.as_ref().is_some_and(|c| c.card.rtl_text)
                    || cards(&doc.tools)
                    || cards(&doc.stories)
                    || cards(&doc.practices)
            }
            Kind::Home {
                home,
                featured,
                latest,
                regions,
                ..
            } => {
                crate::bidi::has_rtl(&home.title)
                    || crate::bidi::has_rtl(&home.summary)
                    || cards(featured)
                    || cards(latest)
                    || rows(regions)
            }
            Kind::Regions { regions, .. } => rows(regions),
            Kind::List { items, .. } => cards(items),
            Kind::Taxonomy { terms, .. } => terms.iter().any(|t| t.rtl_text),
            Kind::Term { term, items, .. } => term.rtl_text || cards(items),
            Kind::Search { .. } | Kind::Nothing {} => false,
        }
    }
}

impl Input<'_> {
    /// Render one page: build its typed context and run its template.
    pub(super) fn render_job(
        &self,
        site: SiteOf<'_>,
        j: &Job,
        reuse: &Reuse<'_>,
        path: &str,
    ) -> Result<PageOut, theme::RenderError> {
        let lang = site.view.language.as_str();
        let extra = match &j.extra {
            Extra::Doc(i) => Kind::Doc {
                doc: self.doc_view(*i),
            },
            Extra::Home {
                home,
                featured,
                latest,
                totals,
                regions,
            } => Kind::Home {
                home,
                featured: self.cards(featured, lang),
                latest: self.cards(latest, lang),
                totals,
                regions,
            },
            Extra::Regions { regions, totals } => Kind::Regions { regions, totals },
            Extra::List {
                collection,
                items,
                pagination,
            } => Kind::List {
                collection,
                items: self.cards(items, lang),
                pagination,
            },
            Extra::Taxonomy { taxonomy, terms } => Kind::Taxonomy { taxonomy, terms },
            Extra::Term {
                taxonomy,
                term,
                items,
                pagination,
            } => Kind::Term {
                taxonomy,
                term,
                items: self.cards(items, lang),
                pagination,
            },
            Extra::Search { browse, elsewhere } => Kind::Search { browse, elsewhere },
            Extra::Nothing => Kind::Nothing {},
        };
        let rtl_text = site.view.rtl_text || j.page.rtl_text() || extra.rtl_text();
        let ctx = Ctx {
            site: site.view,
            page: &j.page,
            rtl_text,
            t: self.theme.strings.of(&site.view.language),
            extra,
        };
        self.finish(&j.template, reuse, path, &ctx, &site)
    }
}

impl Input<'_> {
    /// Render a page from its context, or reuse its last bytes when its fingerprint is unchanged.
    fn finish(
        &self,
        template: &str,
        reuse: &Reuse<'_>,
        path: &str,
        ctx: &Ctx<'_>,
        site: &SiteOf<'_>,
    ) -> Result<PageOut, theme::RenderError> {
        let fingerprint = match reuse {
            Reuse::Never => None,
            _ => fingerprint::of(template, ctx),
        };
        if let (Some(fp), Some(memo)) = (fingerprint, reuse.memo())
            && let Some(m) = memo.get(path)
            && m.fingerprint == fp
        {
            return Ok(PageOut {
                bytes: m.bytes.clone(),
                held: m.held.clone(),
                fingerprint,
                inputs: None,
                fresh: false,
                record: None,
            });
        }
        let html = match (&site.value, site.words) {
            (Some(v), Some(t)) => {
                let own = Own {
                    page: ctx.page,
                    rtl_text: ctx.rtl_text,
                    extra: &ctx.extra,
                };
                self.theme
                    .render_bytes_with(template, &own, &[("site", v), ("t", t)])?
            }
            _ => self.theme.render(template, ctx)?.into_bytes(),
        };
        Ok(PageOut {
            bytes: Arc::new(html),
            held: None,
            fingerprint,
            inputs: None,
            fresh: true,
            record: None,
        })
    }
}

impl Input<'_> {
    /// What every document page reads besides its own document and cards: the term views (names,
    /// URLs, counts) and the site views (menu included). Config and theme are not in it: a change
    /// to either clears the input keys (see `crate::incremental`).
    pub(super) fn global_key(&self, sites: &SiteViews) -> u128 {
        let terms = self.all_cards().terms;
        let mut views: Vec<(&(String, Vec<bool>), &SiteView)> = sites.views.iter().collect();
        views.sort_by(|a, b| a.0.cmp(b.0));
        fingerprint::of("global", &(terms, views)).unwrap_or_default()
    }

    /// The digest of everything document page `i` is built from, given the `global` key: its
    /// file (front matter and body), its rendered markdown, and the cards it shows. The randomised
    /// test in `tests/testsuite/incremental.rs` checks that nothing else changes such a page.
    pub(super) fn doc_key(&self, global: u128, template: &str, i: usize) -> u128 {
        let g = self.graph;
        let d = &g.docs[i];
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        let mut put = |b: &[u8]| {
            h.update(&(b.len() as u64).to_le_bytes());
            h.update(b);
        };
        put(&global.to_le_bytes());
        put(template.as_bytes());
        put(d.rel.as_bytes());
        put(d.front_matter().as_bytes());
        put(&d.text.body_digest().to_le_bytes());
        put(&self.rendered[i].digest.to_le_bytes());
        // The front matter fields in inline markdown (summary, caption, credit): their links
        // resolve to other documents' addresses, so their HTML changes when a target's slug does
        // while this document's text does not (the body's digest leaves them out).
        for f in &self.rendered[i].front {
            put(f.key.as_bytes());
            put(f.html.as_bytes());
        }
        put(&self.transcripts[i]
            .as_ref()
            .map_or(0, |t| t.digest)
            .to_le_bytes());
        // Its translation group: what a translation inherits, and every version's address.
        for &j in &g.translations[i] {
            put(g.docs[j].rel.as_bytes());
            put(g.docs[j].front_matter().as_bytes());
        }
        let cards = self.all_cards();
        // A story's video and a guide's tools are shown in the page's language when translated.
        let mut card = |j: Option<usize>| match j.map(|j| g.translation_in(j, &d.lang).unwrap_or(j))
        {
            Some(j) => put(&cards.digests[j].to_le_bytes()),
            None => put(b"none"),
        };
        for &j in &g.related[i] {
            card(Some(j));
        }

        match &d.fields {
            Fields::Story(s) => {
                card(
                    s.video
                        .as_ref()
                        .and_then(|v| g.index_of_slug(Collection::Videos, v)),
                );
            }
            Fields::Guide(gd) => {
                for t in &gd.tools {
                    card(g.index_of_slug(Collection::Tools, t));
                }
            }
            Fields::Region(_) => {
                let term = g
                    .taxonomies
                    .get(&Taxonomy::Regions)
                    .and_then(|ts| ts.iter().find(|t| t.slug == d.slug));
                for &j in term.map(|t| t.docs.as_slice()).unwrap_or_default() {
                    card(Some(j));
                }
            }
            _ => {}
        }
        h.digest128()
    }
}
