//! Rendering the site: builds the template view structs (see [`view`], the theme contract) for
//! every output page, renders them with the theme's templates in parallel, and adds what `lmp`
//! generates itself (feed, sitemap, robots.txt, alias redirects) and the static files.

pub mod feeds;
pub mod fingerprint;
pub mod theme;
pub mod view;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::content::collections::{Collection, Fields};
use crate::content::graph::{Graph, TAXONOMIES};
use crate::diagnostics::Diagnostic;
use crate::markdown::Rendered;
use crate::site::{Bytes, Files};
use crate::util::{percent, thousands};
pub use theme::Theme;
use view::*;

/// Everything the renderer reads.
pub struct Input<'a> {
    pub cfg: &'a Config,
    pub graph: &'a Graph,
    /// Rendered body per document (same index as `graph.docs`).
    pub rendered: &'a [Arc<Rendered>],
    /// Rendered transcript per document (videos), same index.
    pub transcripts: &'a [Option<Arc<Rendered>>],
    pub theme: &'a Theme,
    /// Cards of every document, built on first use (or carried over by an incremental rebuild
    /// whose documents' front matter did not change).
    pub cards: OnceLock<Arc<Cards>>,
    /// Every term as a link (taxonomy → slug → view), built on first use.
    pub term_views: OnceLock<HashMap<String, HashMap<String, TermView>>>,
    /// The cards and graph of the last build, when config and theme are the same: the card of a
    /// document whose file is the same object is reused if the term views are the same.
    pub prev: Option<(&'a Cards, &'a Graph)>,
}

/// Every document's card (same index as `graph.docs`) and the digest a fingerprint uses for it.
#[derive(Debug)]
pub struct Cards {
    cards: Vec<Arc<Card>>,
    digests: Vec<u128>,
    /// The digest of the term views the cards were built with.
    terms: u128,
}

/// What the last rendering of each page was: output path → (fingerprint, bytes).
pub type PageMemo = HashMap<String, Memo>;

/// One page's last rendering.
#[derive(Debug, Clone)]
pub struct Memo {
    /// The fingerprint of its context.
    pub fingerprint: u128,
    /// Document pages: the digest of what the context was built from (see [`Input::doc_key`]);
    /// equal means the context, so neither is built again. Cleared when config.yaml changes.
    pub inputs: Option<u128>,
    pub bytes: Bytes,
}

/// Which pages may reuse the bytes of an earlier rendering.
pub enum Reuse<'m> {
    /// None: render every page (a one-off `lmp build`; no fingerprints are computed).
    Never,
    /// Pages whose fingerprint is unchanged.
    Unchanged(&'m PageMemo),
}

impl Reuse<'_> {
    fn memo(&self) -> Option<&PageMemo> {
        match self {
            Reuse::Never => None,
            Reuse::Unchanged(m) => Some(m),
        }
    }
}

/// One rendered (or reused) page.
struct PageOut {
    bytes: Bytes,
    fingerprint: Option<u128>,
    inputs: Option<u128>,
    fresh: bool,
}

/// The pages of a site (and its feed, sitemap, robots.txt and redirects), before static files
/// and the search index.
pub struct Pages {
    pub files: Files,
    /// Fingerprints of the pages rendered from templates, for the next incremental rebuild.
    pub memo: PageMemo,
    /// How many pages were rendered (the others were reused).
    pub rendered: usize,
    pub diagnostics: Vec<Diagnostic>,
}

/// `/stories/x/` → `stories/x/index.html`.
pub fn url_to_file(url: &str) -> String {
    let rel = url.trim_start_matches('/');
    if rel.is_empty() {
        "index.html".into()
    } else if rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    }
}

#[derive(Serialize)]
struct Ctx<'a, T: Serialize> {
    site: &'a SiteView,
    page: &'a PageView,
    #[serde(flatten)]
    extra: T,
}

/// What a page shows besides `site` and `page`: documents by index, so views and cards are built
/// when the page renders (in parallel) rather than all up front.
enum Extra {
    Doc(usize),
    Home {
        home: HomeView,
        featured: Vec<usize>,
        latest: Vec<usize>,
        totals: Totals,
        regions: Vec<RegionRow>,
    },
    Regions {
        regions: Vec<RegionRow>,
        totals: Totals,
    },
    List {
        collection: CollectionView,
        items: Vec<usize>,
        pagination: Pagination,
    },
    Taxonomy {
        taxonomy: TaxonomyView,
        terms: Vec<TermView>,
    },
    Term {
        taxonomy: TaxonomyView,
        term: TermView,
        items: Vec<usize>,
        pagination: Pagination,
    },
    Nothing,
}

#[derive(Serialize)]
struct DocCtx<'a> {
    doc: DocView<'a>,
}

#[derive(Serialize)]
struct HomeCtx<'a> {
    home: &'a HomeView,
    featured: Vec<CardRef<'a>>,
    latest: Vec<CardRef<'a>>,
    totals: &'a Totals,
    regions: &'a [RegionRow],
}

#[derive(Serialize)]
struct RegionsCtx<'a> {
    regions: &'a [RegionRow],
    totals: &'a Totals,
}

#[derive(Serialize)]
struct ListCtx<'a> {
    collection: &'a CollectionView,
    items: Vec<CardRef<'a>>,
    pagination: &'a Pagination,
}

#[derive(Serialize)]
struct TaxonomyCtx<'a> {
    taxonomy: &'a TaxonomyView,
    terms: &'a [TermView],
}

#[derive(Serialize)]
struct TermCtx<'a> {
    taxonomy: &'a TaxonomyView,
    term: &'a TermView,
    items: Vec<CardRef<'a>>,
    pagination: &'a Pagination,
}

#[derive(Serialize)]
struct NoExtra {}

/// One page to render: its site-relative URL, template, page view and extra context.
struct Job {
    url: String,
    template: String,
    page: PageView,
    extra: Extra,
}

impl<'a> Input<'a> {
    fn term_url(&self, tax: &str, slug: &str) -> String {
        if tax == "regions" {
            self.cfg.url(&Collection::Regions.url_for(slug))
        } else {
            self.cfg.url(&format!("/{tax}/{slug}/"))
        }
    }

    /// The terms of a document as links, borrowed from the table built once per build.
    fn term_refs(&self, tax: &str, slugs: &[String]) -> Vec<std::borrow::Cow<'_, TermView>> {
        let table = self.term_views.get_or_init(|| self.term_table());
        slugs
            .iter()
            .map(|s| match table.get(tax).and_then(|t| t.get(s)) {
                Some(v) => std::borrow::Cow::Borrowed(v),
                None => std::borrow::Cow::Owned(
                    self.terms(tax, std::slice::from_ref(s))
                        .pop()
                        .expect("one view per slug"),
                ),
            })
            .collect()
    }

    fn term_table(&self) -> HashMap<String, HashMap<String, TermView>> {
        self.graph
            .taxonomies
            .iter()
            .map(|(tax, terms)| {
                let slugs: Vec<String> = terms.iter().map(|t| t.slug.clone()).collect();
                let views = self.terms(tax, &slugs);
                (tax.clone(), slugs.into_iter().zip(views).collect())
            })
            .collect()
    }

    fn terms(&self, tax: &str, slugs: &[String]) -> Vec<TermView> {
        let terms = self.graph.taxonomies.get(tax);
        slugs
            .iter()
            .map(|s| {
                let t = terms.and_then(|ts| ts.iter().find(|t| &t.slug == s));
                TermView {
                    slug: s.clone(),
                    name: t.map(|t| t.name.clone()).unwrap_or_else(|| s.clone()),
                    url: self.term_url(tax, s),
                    count: t.map(|t| t.docs.len()).unwrap_or(0),
                }
            })
            .collect()
    }

    fn file_view(&self, path: &str) -> FileView {
        let abs = self.graph_site_static(path);
        let size = crate::fsx::file_size(&abs).unwrap_or(0);
        let name = path.rsplit('/').next().unwrap_or(path).to_string();
        let ext = name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        let kind = match ext.as_str() {
            "pdf" => "PDF",
            "csv" => "CSV",
            "txt" => "Text",
            "md" => "Markdown text",
            "doc" | "docx" => "Word document",
            "xls" | "xlsx" => "Excel workbook",
            "ppt" | "pptx" => "PowerPoint",
            "png" | "jpg" | "jpeg" | "gif" | "webp" | "svg" => "Image",
            "zip" => "ZIP archive",
            other => other,
        };
        FileView {
            url: self.cfg.url(path),
            name,
            size_display: crate::util::human_size(size),
            kind: kind.to_uppercase_first(),
        }
    }

    fn graph_site_static(&self, path: &str) -> std::path::PathBuf {
        match self.theme.statics.get(path.trim_start_matches('/')) {
            Some(theme::StaticSource::File(p)) => p.clone(),
            _ => std::path::PathBuf::new(),
        }
    }

    fn card(&self, i: usize) -> Card {
        let d = &self.graph.docs[i];
        let (date, date_display) = match d.common.date {
            Some(dt) => (dt.to_string(), dt.display()),
            None => (String::new(), String::new()),
        };
        let year = match &d.fields {
            Fields::Research(r) => r.year.to_string(),
            _ => d
                .common
                .date
                .map(|x| x.year.to_string())
                .unwrap_or_default(),
        };
        Card {
            title: d.common.title.clone(),
            url: self.cfg.url(&d.url),
            summary: d.common.summary.clone().unwrap_or_default(),
            collection: d.collection.name(),
            collection_label: d.collection.label(),
            date,
            date_display,
            year,
            regions: self.terms("regions", self.graph.doc_terms(d, "regions")),
            topics: self.terms("topics", &d.common.topics),
            file: match &d.fields {
                Fields::Tool(t) => Some(self.file_view(&t.file)),
                _ => None,
            },
        }
    }

    fn cards(&self, idx: &[usize]) -> Vec<CardRef<'_>> {
        idx.iter().map(|&i| self.cached_card(i)).collect()
    }

    /// Every document's card, built once per build.
    pub fn all_cards(&self) -> &Arc<Cards> {
        self.cards.get_or_init(|| {
            let terms = self.term_digest();
            let prev = self.prev.filter(|(c, _)| c.terms == terms);
            let (cards, digests) = (0..self.graph.docs.len())
                .into_par_iter()
                .map(|i| {
                    let d = &self.graph.docs[i];
                    if let Some((pc, pg)) = prev
                        && let Some(&j) = pg.by_rel.get(&d.rel)
                        && Arc::ptr_eq(&pg.docs[j], d)
                    {
                        return (pc.cards[j].clone(), pc.digests[j]);
                    }
                    let card = self.card(i);
                    let digest = fingerprint::of("card", &card).unwrap_or_default();
                    (Arc::new(card), digest)
                })
                .unzip();
            Arc::new(Cards {
                cards,
                digests,
                terms,
            })
        })
    }

    /// The digest of every term view (names, URLs, counts).
    fn term_digest(&self) -> u128 {
        let table = self.term_views.get_or_init(|| self.term_table());
        let mut taxes: Vec<(&String, Vec<(&String, &TermView)>)> = table
            .iter()
            .map(|(t, m)| {
                let mut v: Vec<(&String, &TermView)> = m.iter().collect();
                v.sort_by(|a, b| a.0.cmp(b.0));
                (t, v)
            })
            .collect();
        taxes.sort_by(|a, b| a.0.cmp(b.0));
        fingerprint::of("terms", &taxes).unwrap_or_default()
    }

    fn cached_card(&self, i: usize) -> CardRef<'_> {
        let all = self.all_cards();
        CardRef {
            card: &all.cards[i],
            digest: all.digests[i],
        }
    }

    fn card_refs(&self, idx: &[usize]) -> Vec<CardRef<'_>> {
        self.cards(idx)
    }

    fn page(
        &self,
        url: &str,
        title: &str,
        description: &str,
        kind: &'static str,
        crumbs: Vec<Crumb>,
    ) -> PageView {
        PageView {
            title: title.to_string(),
            description: if description.is_empty() {
                self.cfg.description.clone()
            } else {
                description.to_string()
            },
            url: self.cfg.url(url),
            permalink: self.cfg.permalink(url),
            kind,
            breadcrumbs: crumbs,
            updated: String::new(),
            updated_display: String::new(),
            og_type: "website",
            image: String::new(),
            image_alt: String::new(),
        }
    }

    fn home_crumb(&self) -> Crumb {
        Crumb {
            name: "Home".into(),
            url: self.cfg.url("/"),
        }
    }

    fn figures(&self, r: &crate::content::collections::Region) -> FiguresView {
        let n = |v: Option<i64>| v.map(thousands).unwrap_or_default();
        let share = match (r.high_performing_ubts, r.ubts) {
            (Some(h), Some(u)) if u > 0 => percent(h, u).to_string(),
            _ => String::new(),
        };
        FiguresView {
            members: n(r.members),
            members_display: r.members_display.clone().unwrap_or_else(|| n(r.members)),
            medical_offices: n(r.medical_offices),
            medical_offices_label: r
                .medical_offices_label
                .clone()
                .unwrap_or_else(|| "medical offices".into()),
            hospitals: n(r.hospitals),
            ubts: n(r.ubts),
            high_performing_ubts: n(r.high_performing_ubts),
            share_percent: share,
            as_of: r.as_of.map(|d| d.to_string()).unwrap_or_default(),
            as_of_display: r.as_of.map(|d| d.display()).unwrap_or_default(),
            served_area: r.served_area.clone().unwrap_or_default(),
            council_since: r.council_since.clone().unwrap_or_default(),
        }
    }

    fn doc_view(&self, i: usize) -> DocView<'_> {
        let g = self.graph;
        let d = &g.docs[i];
        let r = &self.rendered[i];
        let ds = |x: Option<crate::util::Date>| {
            x.map(|d| (d.to_string(), d.display())).unwrap_or_default()
        };
        let (date, date_display) = ds(d.common.date);
        let (updated, updated_display) = ds(d.common.updated);
        let mut v = DocView {
            title: &d.common.title,
            summary: d.common.summary.as_deref().unwrap_or(""),
            url: self.cfg.url(&d.url),
            collection: d.collection.name(),
            collection_label: d.collection.label(),
            date,
            date_display,
            updated,
            updated_display,
            body: Html::of(r),
            toc: &r.toc,
            word_count: r.word_count,
            reading_minutes: r.word_count.div_ceil(200).max(1),
            regions: self.term_refs("regions", g.doc_terms(d, "regions")),
            topics: self.term_refs("topics", &d.common.topics),
            audiences: self.term_refs("audiences", &d.common.audiences),
            series: self.term_refs("series", &d.common.series),
            related: self.cards(&g.related[i]),
            author: "",
            featured: false,
            image: None,
            video: None,
            duration: "",
            tools: Vec::new(),
            region: None,
            department: "",
            team: "",
            results: &[],
            kind: "",
            kind_label: String::new(),
            file: None,
            transcript: Html::default(),
            src: "",
            embed: "",
            captions: String::new(),
            year: String::new(),
            publisher: "",
            authors: &[],
            link: "",
            figures: None,
            stories: Vec::new(),
            practices: Vec::new(),
            extra: &d.extra,
        };
        match &d.fields {
            Fields::Story(s) => {
                v.author = s.author.as_deref().unwrap_or("");
                v.featured = s.featured;
                v.image = s.image.as_ref().map(|u| ImageView {
                    url: self.cfg.url(u),
                    alt: s.image_alt.clone().unwrap_or_default(),
                });
                v.video = s
                    .video
                    .as_ref()
                    .and_then(|slug| g.index_of_slug(Collection::Videos, slug))
                    .map(|j| self.cached_card(j));
            }
            Fields::Guide(gd) => {
                v.duration = gd.duration.as_deref().unwrap_or("");
                v.tools = gd
                    .tools
                    .iter()
                    .filter_map(|s| g.index_of_slug(Collection::Tools, s))
                    .map(|j| self.cached_card(j))
                    .collect();
            }
            Fields::Practice(p) => {
                v.region = self
                    .term_refs("regions", std::slice::from_ref(&p.region))
                    .pop();
                v.department = p.department.as_deref().unwrap_or("");
                v.team = p.team.as_deref().unwrap_or("");
                v.results = &p.results;
            }
            Fields::Tool(t) => {
                v.kind = &t.kind;
                v.kind_label = t.kind.to_uppercase_first();
                v.file = Some(self.file_view(&t.file));
            }
            Fields::Video(vd) => {
                v.transcript = self.transcripts[i]
                    .as_ref()
                    .map(Html::of)
                    .unwrap_or_default();
                v.src = vd.src.as_deref().unwrap_or("");
                v.embed = vd.embed.as_deref().unwrap_or("");
                v.captions = vd
                    .captions
                    .as_ref()
                    .map(|c| self.cfg.url(c))
                    .unwrap_or_default();
                v.duration = vd.duration.as_deref().unwrap_or("");
            }
            Fields::Research(rs) => {
                v.year = rs.year.to_string();
                v.publisher = &rs.publisher;
                v.authors = &rs.authors;
                v.link = rs.link.as_deref().unwrap_or("");
            }
            Fields::Region(rg) => {
                v.figures = Some(self.figures(rg));
                if let Some(term) = g
                    .taxonomies
                    .get("regions")
                    .and_then(|ts| ts.iter().find(|t| t.slug == d.slug))
                {
                    let of = |c: Collection| -> Vec<usize> {
                        term.docs
                            .iter()
                            .copied()
                            .filter(|&j| g.docs[j].collection == c)
                            .collect()
                    };
                    v.stories = self.cards(&of(Collection::Stories));
                    v.practices = self.cards(&of(Collection::Practices));
                }
            }
            Fields::Page(_) | Fields::Home | Fields::Custom => {}
        }
        v
    }

    fn region_rows(&self) -> (Vec<RegionRow>, Totals) {
        let g = self.graph;
        let mut rows = Vec::new();
        let (mut ubts, mut hp, mut with_teams) = (0i64, 0i64, 0usize);
        let mut as_of = None;
        for term in g.taxonomies.get("regions").into_iter().flatten() {
            let Some(i) = g.index_of_slug(Collection::Regions, &term.slug) else {
                continue;
            };
            let d = &g.docs[i];
            let Fields::Region(r) = &d.fields else {
                continue;
            };
            let f = self.figures(r);
            let has_teams = r.ubts.is_some();
            if let (Some(u), Some(h)) = (r.ubts, r.high_performing_ubts) {
                ubts += u;
                hp += h;
                with_teams += 1;
            }
            as_of = as_of.max(r.as_of);
            rows.push(RegionRow {
                title: d.common.title.clone(),
                url: self.cfg.url(&d.url),
                served_area: f.served_area,
                members_display: f.members_display,
                medical_offices: f.medical_offices,
                medical_offices_label: f.medical_offices_label,
                hospitals: f.hospitals,
                ubts: f.ubts,
                high_performing_ubts: f.high_performing_ubts,
                share: match (r.high_performing_ubts, r.ubts) {
                    (Some(h), Some(u)) if u > 0 => percent(h, u),
                    _ => 0,
                },
                share_percent: f.share_percent,
                has_teams,
            });
        }
        let totals = Totals {
            ubts: thousands(ubts),
            high_performing_ubts: thousands(hp),
            share_percent: if ubts > 0 {
                percent(hp, ubts).to_string()
            } else {
                String::new()
            },
            regions_with_teams: with_teams,
            as_of_display: as_of.map(|d| d.display()).unwrap_or_default(),
        };
        (rows, totals)
    }

    fn paginate(&self, base: &str, items: &[usize]) -> Vec<(String, Vec<usize>, Pagination)> {
        let per = self.cfg.paginate.max(1);
        let chunks: Vec<&[usize]> = if items.is_empty() {
            vec![&[][..]]
        } else {
            items.chunks(per).collect()
        };
        let total = chunks.len();
        let url_of = |n: usize| {
            if n == 1 {
                base.to_string()
            } else {
                format!("{base}page/{n}/")
            }
        };
        chunks
            .into_iter()
            .enumerate()
            .map(|(k, chunk)| {
                let n = k + 1;
                let p = Pagination {
                    current: n,
                    total,
                    prev_url: if n > 1 {
                        self.cfg.url(&url_of(n - 1))
                    } else {
                        String::new()
                    },
                    next_url: if n < total {
                        self.cfg.url(&url_of(n + 1))
                    } else {
                        String::new()
                    },
                    pages: window(n, total)
                        .into_iter()
                        .scan(0, |prev, m| {
                            let gap_before = m > *prev + 1 && *prev > 0;
                            *prev = m;
                            Some(PageLink {
                                number: m,
                                url: self.cfg.url(&url_of(m)),
                                current: m == n,
                                gap_before,
                            })
                        })
                        .collect(),
                };
                (url_of(n), chunk.to_vec(), p)
            })
            .collect()
    }

    fn site_view(&self) -> SiteView {
        let year = self
            .graph
            .docs
            .iter()
            .filter_map(|d| d.common.date.map(|x| x.year))
            .max()
            .map(|y| y.to_string())
            .unwrap_or_default();
        SiteView {
            title: self.cfg.title.clone(),
            description: self.cfg.description.clone(),
            language: self.cfg.language.clone(),
            base_url: self.cfg.base_url.clone(),
            base_path: self.cfg.base_path.clone(),
            menu: Vec::new(),
            feed_url: self.cfg.url("/stories/atom.xml"),
            search_url: self.cfg.url("/search/"),
            year,
        }
    }

    /// The main menu: config's entries, then pages with `menu:` by weight. Built once per build;
    /// `(site-relative URL, item)` so each page marks its own section active.
    fn menu(&self) -> Vec<(String, MenuView)> {
        let mut items: Vec<(i64, usize, String, String)> = self
            .cfg
            .menu
            .iter()
            .enumerate()
            .map(|(k, m)| (0, k, m.name.clone(), m.url.clone()))
            .collect();
        for d in &self.graph.docs {
            if let Fields::Page(p) = &d.fields
                && let Some(w) = p.menu
                && !items.iter().any(|it| it.3 == d.url)
            {
                items.push((1, w as usize, d.common.title.clone(), d.url.clone()));
            }
        }
        items.sort();
        items
            .into_iter()
            .map(|(_, _, name, url)| {
                let external = url.contains("://");
                let href = if external {
                    url.clone()
                } else {
                    self.cfg.url(&url)
                };
                let key = if external || url == "/" {
                    String::new()
                } else {
                    url
                };
                (
                    key,
                    MenuView {
                        name,
                        url: href,
                        active: false,
                    },
                )
            })
            .collect()
    }

    fn menu_active(key: &str, page_url: &str) -> bool {
        !key.is_empty() && page_url.starts_with(key)
    }

    fn menu_for(menu: &[(String, MenuView)], page_url: &str) -> Vec<MenuView> {
        menu.iter()
            .map(|(key, m)| MenuView {
                active: Input::menu_active(key, page_url),
                ..m.clone()
            })
            .collect()
    }

    /// The page of document `i` (not the home document).
    fn doc_job(&self, i: usize) -> Job {
        let d = &self.graph.docs[i];
        let mut crumbs = vec![self.home_crumb()];
        match d.collection {
            Collection::Pages => {}
            Collection::Regions => crumbs.push(Crumb {
                name: "Regions".into(),
                url: self.cfg.url("/regions/"),
            }),
            c => crumbs.push(Crumb {
                name: c.plural_label().into(),
                url: self.cfg.url(&format!("/{}/", c.name())),
            }),
        }
        let mut page = self.page(
            &d.url,
            &d.common.title,
            d.common.summary.as_deref().unwrap_or(""),
            "document",
            crumbs,
        );
        if let Some(u) = d.common.updated.or(d.common.date) {
            page.updated = u.to_string();
            page.updated_display = u.display();
        }
        if matches!(
            d.collection,
            Collection::Stories
                | Collection::Guides
                | Collection::Practices
                | Collection::Videos
                | Collection::Research
        ) {
            page.og_type = "article";
        }
        if let Fields::Story(s) = &d.fields
            && let Some(img) = &s.image
        {
            page.image = self.cfg.permalink(img);
            page.image_alt = s.image_alt.clone().unwrap_or_default();
        }
        Job {
            url: d.url.clone(),
            template: self.doc_template(d),
            page,
            extra: Extra::Doc(i),
        }
    }

    fn doc_template(&self, d: &crate::content::Document) -> String {
        match d.collection {
            Collection::Custom(c) if self.theme.has_template(&format!("{}.html", c.singular)) => {
                format!("{}.html", c.singular)
            }
            c => c.template().to_string(),
        }
    }

    /// Every page of the site to render with a template, but the documents' (see
    /// [`Input::doc_job`]).
    fn jobs(&self) -> Vec<Job> {
        let g = self.graph;
        let mut jobs = Vec::new();
        // Home.
        let home_doc = g.docs.iter().position(|d| d.collection == Collection::Home);
        let home = match home_doc {
            Some(i) => HomeView {
                title: g.docs[i].common.title.clone(),
                summary: g.docs[i].common.summary.clone().unwrap_or_default(),
                body: Html::of(&self.rendered[i]),
            },
            None => HomeView {
                title: self.cfg.title.clone(),
                summary: self.cfg.description.clone(),
                body: Html::default(),
            },
        };
        let stories = g
            .lists
            .get(&Collection::Stories)
            .cloned()
            .unwrap_or_default();
        let featured: Vec<usize> = stories
            .iter()
            .copied()
            .filter(|&i| matches!(&g.docs[i].fields, Fields::Story(s) if s.featured))
            .collect();
        let (rows, totals) = self.region_rows();
        let mut home_page = self.page("/", &self.cfg.title, &home.summary, "home", vec![]);
        if let Some(i) = home_doc
            && let Some(u) = g.docs[i].common.updated.or(g.docs[i].common.date)
        {
            home_page.updated = u.to_string();
            home_page.updated_display = u.display();
        }
        jobs.push(Job {
            url: "/".into(),
            template: "home.html".into(),
            page: home_page,
            extra: Extra::Home {
                home,
                featured,
                latest: stories.iter().copied().take(6).collect(),
                totals: totals.clone(),
                regions: rows.clone(),
            },
        });
        // Regions page.
        jobs.push(Job {
            url: "/regions/".into(),
            template: "regions.html".into(),
            page: self.page("/regions/", "Regions", "Unit-based teams and high-performing teams in every Kaiser Permanente region of the partnership.", "regions", vec![self.home_crumb()]),
            extra: Extra::Regions { regions: rows, totals },
        });
        // Collection lists.
        for c in self.cfg.schemas.all().into_iter().filter(|c| c.has_list()) {
            let items = g.lists.get(&c).cloned().unwrap_or_default();
            let base = format!("/{}/", c.name());
            let coll = CollectionView {
                name: c.name(),
                label: c.plural_label(),
                url: self.cfg.url(&base),
            };
            for (url, chunk, p) in self.paginate(&base, &items) {
                let title = if p.current > 1 {
                    format!("{} (page {} of {})", c.plural_label(), p.current, p.total)
                } else {
                    c.plural_label().to_string()
                };
                let page = self.page(&url, &title, "", "list", vec![self.home_crumb()]);
                jobs.push(Job {
                    url,
                    template: "list.html".into(),
                    page,
                    extra: Extra::List {
                        collection: coll.clone(),
                        items: chunk,
                        pagination: p,
                    },
                });
            }
        }
        // Taxonomies and terms (region terms are the region pages).
        for (tax, label, _) in TAXONOMIES.iter().filter(|t| t.0 != "regions") {
            let Some(terms) = g.taxonomies.get(*tax) else {
                continue;
            };
            let tv = TaxonomyView {
                name: tax.to_string(),
                label: label.to_string(),
                url: self.cfg.url(&format!("/{tax}/")),
            };
            let term_views: Vec<TermView> = terms
                .iter()
                .map(|t| TermView {
                    slug: t.slug.clone(),
                    name: t.name.clone(),
                    url: self.term_url(tax, &t.slug),
                    count: t.docs.len(),
                })
                .collect();
            jobs.push(Job {
                url: format!("/{tax}/"),
                template: "taxonomy.html".into(),
                page: self.page(
                    &format!("/{tax}/"),
                    label,
                    "",
                    "taxonomy",
                    vec![self.home_crumb()],
                ),
                extra: Extra::Taxonomy {
                    taxonomy: tv.clone(),
                    terms: term_views.clone(),
                },
            });
            for (t, view) in terms.iter().zip(&term_views) {
                let base = format!("/{tax}/{}/", t.slug);
                for (url, chunk, p) in self.paginate(&base, &t.docs) {
                    let title = if p.current > 1 {
                        format!("{} (page {} of {})", t.name, p.current, p.total)
                    } else {
                        t.name.clone()
                    };
                    let crumbs = vec![
                        self.home_crumb(),
                        Crumb {
                            name: label.to_string(),
                            url: tv.url.clone(),
                        },
                    ];
                    let page = self.page(&url, &title, "", "term", crumbs);
                    jobs.push(Job {
                        url,
                        template: "term.html".into(),
                        page,
                        extra: Extra::Term {
                            taxonomy: tv.clone(),
                            term: view.clone(),
                            items: chunk,
                            pagination: p,
                        },
                    });
                }
            }
        }
        // Search and 404.
        jobs.push(Job { url: "/search/".into(), template: "search.html".into(), page: self.page("/search/", "Search", "Search the stories, guides, practices, tools and research of the Labor Management Partnership.", "search", vec![self.home_crumb()]), extra: Extra::Nothing });
        jobs.push(Job {
            url: "/404.html".into(),
            template: "404.html".into(),
            page: self.page(
                "/404.html",
                "Page not found",
                "",
                "404",
                vec![self.home_crumb()],
            ),
            extra: Extra::Nothing,
        });
        jobs
    }
}

/// The page numbers a pager shows: the first, the last, and two on each side of the current one
/// (a list of 600 pages links to 7, not 600).
fn window(current: usize, total: usize) -> Vec<usize> {
    (1..=total)
        .filter(|&m| m == 1 || m == total || m.abs_diff(current) <= 2)
        .collect()
}

impl Input<'_> {
    /// Render one page: build its typed context and run its template.
    fn render_job(
        &self,
        site: &SiteView,
        j: &Job,
        reuse: &Reuse<'_>,
        path: &str,
    ) -> Result<PageOut, theme::RenderError> {
        let t = &j.template;
        let page = &j.page;
        match &j.extra {
            Extra::Doc(i) => self.finish(
                t,
                reuse,
                path,
                &Ctx {
                    site,
                    page,
                    extra: DocCtx {
                        doc: self.doc_view(*i),
                    },
                },
            ),
            Extra::Home {
                home,
                featured,
                latest,
                totals,
                regions,
            } => self.finish(
                t,
                reuse,
                path,
                &Ctx {
                    site,
                    page,
                    extra: HomeCtx {
                        home,
                        featured: self.card_refs(featured),
                        latest: self.card_refs(latest),
                        totals,
                        regions,
                    },
                },
            ),
            Extra::Regions { regions, totals } => self.finish(
                t,
                reuse,
                path,
                &Ctx {
                    site,
                    page,
                    extra: RegionsCtx { regions, totals },
                },
            ),
            Extra::List {
                collection,
                items,
                pagination,
            } => self.finish(
                t,
                reuse,
                path,
                &Ctx {
                    site,
                    page,
                    extra: ListCtx {
                        collection,
                        items: self.card_refs(items),
                        pagination,
                    },
                },
            ),
            Extra::Taxonomy { taxonomy, terms } => self.finish(
                t,
                reuse,
                path,
                &Ctx {
                    site,
                    page,
                    extra: TaxonomyCtx { taxonomy, terms },
                },
            ),
            Extra::Term {
                taxonomy,
                term,
                items,
                pagination,
            } => self.finish(
                t,
                reuse,
                path,
                &Ctx {
                    site,
                    page,
                    extra: TermCtx {
                        taxonomy,
                        term,
                        items: self.card_refs(items),
                        pagination,
                    },
                },
            ),
            Extra::Nothing => self.finish(
                t,
                reuse,
                path,
                &Ctx {
                    site,
                    page,
                    extra: NoExtra {},
                },
            ),
        }
    }
}

impl Input<'_> {
    /// Render a page from its context, or reuse its last bytes when its fingerprint is unchanged.
    fn finish<C: Serialize>(
        &self,
        template: &str,
        reuse: &Reuse<'_>,
        path: &str,
        ctx: &C,
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
                fingerprint,
                inputs: None,
                fresh: false,
            });
        }
        let html = self.theme.render(template, ctx)?;
        Ok(PageOut {
            bytes: Arc::new(html.into_bytes()),
            fingerprint,
            inputs: None,
            fresh: true,
        })
    }
}

trait UpperFirst {
    fn to_uppercase_first(&self) -> String;
}

impl UpperFirst for str {
    fn to_uppercase_first(&self) -> String {
        let mut c = self.chars();
        match c.next() {
            Some(f) => f.to_uppercase().chain(c).collect(),
            None => String::new(),
        }
    }
}

/// Render every page, the feed, sitemap, robots.txt and alias redirects.
pub fn render(input: &Input<'_>, reuse: &Reuse<'_>) -> Pages {
    // Build every card once, in parallel, before the pages that share them render.
    input.all_cards();
    let g = input.graph;
    let docs: Vec<usize> = (0..g.docs.len())
        .filter(|&i| g.docs[i].collection != Collection::Home)
        .collect();
    let jobs = input.jobs();
    let urls = docs
        .iter()
        .map(|&i| g.docs[i].url.as_str())
        .chain(jobs.iter().map(|j| j.url.as_str()));
    let sites = SiteViews::new(input, urls);
    let global = match reuse {
        Reuse::Never => 0,
        Reuse::Unchanged(_) => input.global_key(&sites),
    };
    // Documents: a page whose inputs' digest is unchanged is reused before its job is built.
    let doc_pages = docs.into_par_iter().map(|i| {
        let d = &g.docs[i];
        let path = url_to_file(&d.url);
        let inputs = match reuse {
            Reuse::Never => None,
            Reuse::Unchanged(_) => Some(input.doc_key(global, &input.doc_template(d), i)),
        };
        if let (Some(k), Some(memo)) = (inputs, reuse.memo())
            && let Some(m) = memo.get(&path)
            && m.inputs == Some(k)
        {
            let out = PageOut {
                bytes: m.bytes.clone(),
                fingerprint: Some(m.fingerprint),
                inputs,
                fresh: false,
            };
            return (path, Ok(out));
        }
        let j = input.doc_job(i);
        let out = input
            .render_job(sites.of(&j.url), &j, reuse, &path)
            .map(|o| PageOut { inputs, ..o });
        (path, out)
    });
    let other_pages = jobs
        .into_par_iter()
        .filter(|j| input.theme.has_template(&j.template) || j.template != "search.html")
        .map(|j| {
            let path = url_to_file(&j.url);
            let out = input.render_job(sites.of(&j.url), &j, reuse, &path);
            (path, out)
        });
    let results: Vec<(String, Result<PageOut, theme::RenderError>)> =
        doc_pages.chain(other_pages).collect();
    let mut pages = collect(results);
    for (path, bytes) in feeds::generated(input) {
        pages.files.insert(path, Arc::new(bytes));
    }
    pages
}

/// Render the pages of these documents (and the home page when `home`) and the Atom feed: all
/// that a change to document bodies alone changes (see `crate::incremental`).
pub fn render_docs(input: &Input<'_>, docs: &HashSet<usize>, home: bool) -> Pages {
    let g = input.graph;
    let mut jobs: Vec<Job> = docs
        .iter()
        .filter(|&&i| g.docs[i].collection != Collection::Home)
        .map(|&i| input.doc_job(i))
        .collect();
    if home {
        jobs.extend(
            input
                .jobs()
                .into_iter()
                .filter(|j| matches!(j.extra, Extra::Home { .. })),
        );
    }
    let none = PageMemo::new();
    let sites = SiteViews::new(input, jobs.iter().map(|j| j.url.as_str()));
    let results = jobs
        .into_par_iter()
        .map(|j| {
            let path = url_to_file(&j.url);
            let out = input.render_job(sites.of(&j.url), &j, &Reuse::Unchanged(&none), &path);
            (path, out)
        })
        .collect();
    let mut pages = collect(results);
    pages.files.insert(
        feeds::ATOM.to_string(),
        Arc::new(feeds::atom(input).into_bytes()),
    );
    pages
}

impl Input<'_> {
    /// What every document page reads besides its own document and cards: the term views (names,
    /// URLs, counts) and the site views (menu included). Config and theme are not in it: a change
    /// to either clears the input keys (see `crate::incremental`).
    fn global_key(&self, sites: &SiteViews) -> u128 {
        let terms = self.all_cards().terms;
        let mut views: Vec<(&Vec<bool>, &SiteView)> = sites.views.iter().collect();
        views.sort_by(|a, b| a.0.cmp(b.0));
        fingerprint::of("global", &(terms, views)).unwrap_or_default()
    }

    /// The digest of everything document page `i` is built from, given the `global` key: its
    /// file (front matter and body), its rendered markdown, and the cards it shows. The randomised
    /// test in `tests/testsuite/incremental.rs` checks that nothing else changes such a page.
    fn doc_key(&self, global: u128, template: &str, i: usize) -> u128 {
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
        put(d.text.as_bytes());
        put(&self.rendered[i].digest.to_le_bytes());
        put(&self.transcripts[i]
            .as_ref()
            .map_or(0, |t| t.digest)
            .to_le_bytes());
        let cards = self.all_cards();
        let mut card = |j: Option<usize>| match j {
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
                    .get("regions")
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

/// The `site` of every page: the same but for which menu items are active, so one view per
/// distinct set of active items, built before the pages render.
struct SiteViews {
    menu: Vec<(String, MenuView)>,
    views: HashMap<Vec<bool>, SiteView>,
}

impl SiteViews {
    fn new<'u>(input: &Input<'_>, urls: impl Iterator<Item = &'u str>) -> SiteViews {
        let base = input.site_view();
        let menu = input.menu();
        let mut views = HashMap::new();
        for url in urls {
            let active: Vec<bool> = menu
                .iter()
                .map(|(key, _)| Input::menu_active(key, url))
                .collect();
            views.entry(active).or_insert_with(|| SiteView {
                menu: Input::menu_for(&menu, url),
                ..base.clone()
            });
        }
        SiteViews { menu, views }
    }

    fn of(&self, url: &str) -> &SiteView {
        let active: Vec<bool> = self
            .menu
            .iter()
            .map(|(key, _)| Input::menu_active(key, url))
            .collect();
        &self.views[&active]
    }
}

fn collect(results: Vec<(String, Result<PageOut, theme::RenderError>)>) -> Pages {
    let mut pages = Pages {
        files: BTreeMap::new(),
        memo: HashMap::new(),
        rendered: 0,
        diagnostics: Vec::new(),
    };
    let mut files = Vec::with_capacity(results.len());
    pages.memo.reserve(results.len());
    for (path, r) in results {
        match r {
            Ok(out) => {
                pages.rendered += out.fresh as usize;
                if let Some(fp) = out.fingerprint {
                    let m = Memo {
                        fingerprint: fp,
                        inputs: out.inputs,
                        bytes: out.bytes.clone(),
                    };
                    pages.memo.insert(path.clone(), m);
                }
                files.push((path, out.bytes));
            }
            Err(theme::RenderError(d)) => pages.diagnostics.push(d),
        }
    }
    // Built in bulk from a sorted list: much cheaper than one insert at a time.
    files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    pages.files = files.into_iter().collect();
    crate::diagnostics::sort(&mut pages.diagnostics);
    pages
}

/// The theme's static files (and the site's `static/`), read once per theme load.
pub fn statics(theme: &Theme) -> (Vec<(String, Bytes)>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diags = theme.warnings.clone();
    for (rel, src) in &theme.statics {
        let bytes = match src {
            theme::StaticSource::Embedded(b) => b.to_vec(),
            theme::StaticSource::File(p) => match crate::fsx::read(p) {
                Ok(b) => b,
                Err(e) => {
                    diags.push(
                        Diagnostic::error(
                            p.clone(),
                            0,
                            0,
                            format!("could not read this file: {}", e.root_cause()),
                        )
                        .with_help("make the file readable (check its permissions), or remove it"),
                    );
                    continue;
                }
            },
        };
        files.push((rel.clone(), Arc::new(bytes)));
    }
    (files, diags)
}
