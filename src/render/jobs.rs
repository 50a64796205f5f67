//! Page jobs: every page the site renders from a template (home, regions, collection lists,
//! taxonomies and terms, search, 404; each document's is in [`super::doc`]) as a URL, a template,
//! a page view and what else its context holds; and the `site` view of each page.

use std::collections::HashMap;

use serde::Serialize;

use super::Input;
use super::view::*;
use crate::content::collections::{Collection, Fields};
use crate::content::taxonomy::Taxonomy;
use crate::util::percent;

/// What a page shows besides `site` and `page`: documents by index, so views and cards are built
/// when the page renders (in parallel) rather than all up front.
pub(super) enum Extra {
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
    /// The search page: where a reader without JavaScript can browse, and the same search in
    /// each other language.
    Search {
        browse: std::collections::BTreeMap<String, LinkView>,
        elsewhere: Vec<Elsewhere>,
    },
    Nothing,
}

/// One page to render: its site-relative URL, template, page view and extra context.
pub(super) struct Job {
    pub(super) url: String,
    pub(super) template: String,
    pub(super) page: PageView,
    pub(super) extra: Extra,
}

impl Input<'_> {
    pub(super) fn page(
        &self,
        url: &str,
        title: &str,
        description: &str,
        kind: &'static str,
        crumbs: Vec<Crumb>,
    ) -> PageView {
        let lang = self.cfg.lang_of_url(url);
        // A page that is not a document shares the site's card (a document sets its own).
        let card = crate::media::site_card(self.images, self.cfg, &lang.code);
        PageView {
            lang: lang.code.clone(),
            alternates: Vec::new(),
            x_default: String::new(),
            original: None,
            title: title.to_string(),
            description: if description.is_empty() {
                lang.description.clone()
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
            image: card.as_ref().map(|c| c.url.clone()).unwrap_or_default(),
            image_alt: card.as_ref().map(|c| c.alt.clone()).unwrap_or_default(),
            image_width: card.as_ref().map_or(0, |c| c.width),
            image_height: card.as_ref().map_or(0, |c| c.height),
            has_code: false,
        }
    }

    /// The lead image of a document, with its thumbnail and share card.
    pub(super) fn lead_image(
        &self,
        d: &crate::content::Document,
    ) -> Option<crate::media::ImageView> {
        let path = d.common.image.as_deref()?;
        crate::media::lead_view(self.images, self.cfg, d, path)
    }

    /// The first breadcrumb of a page in a language: its home page.
    pub(super) fn home_crumb(&self, lang: &str) -> Crumb {
        Crumb {
            name: self.say(lang, "home", &[]),
            url: self.cfg.url(&self.in_lang("/", lang)),
        }
    }

    /// The theme's words in a language.
    pub(super) fn strings(&self, lang: &str) -> &super::strings::Strings {
        self.theme.strings.of(lang)
    }

    /// A collection's label in a language (`Story`, `Historia`); `plural` for its list's.
    pub(super) fn collection_label(
        &self,
        c: crate::content::collections::Collection,
        lang: &str,
        plural: bool,
    ) -> String {
        super::collection_label(self.theme, c, lang, plural)
    }

    /// A date as shown in a language (`June 1, 2017`, `1 de junio de 2017`).
    pub(super) fn date_in(&self, d: crate::util::Date, lang: &str) -> String {
        super::strings::date(d, self.strings(lang))
    }

    /// A date's month in a language ("June 2021", "junio de 2021"): figures as of a month.
    pub(super) fn month_in(&self, d: crate::util::Date, lang: &str) -> String {
        super::strings::month_year(d, self.strings(lang))
    }

    /// The rows of the national table in a language (a region's title and address are its
    /// translation's when it has one).
    pub(super) fn region_rows(&self, lang: &str) -> (Vec<RegionRow>, Totals) {
        let g = self.graph;
        let mut rows = Vec::new();
        let (mut ubts, mut hp, mut with_teams) = (0i64, 0i64, 0usize);
        let mut as_of = None;
        for term in g.taxonomies.get(&Taxonomy::Regions).into_iter().flatten() {
            let Some(i) = g.index_of_slug(Collection::Regions, &term.slug) else {
                continue;
            };
            let Fields::Region(r) = &g.docs[i].fields else {
                continue;
            };
            let d = &g.docs[g.translation_in(i, lang).unwrap_or(i)];
            // The words of the region's page in this language (its own served area, members in
            // words): the translation's fields, the original's figures.
            let words = match &d.fields {
                Fields::Region(t) => t,
                _ => r,
            };
            let mut f = self.figures(r, lang);
            let own = self.figures(words, lang);
            f.served_area = own.served_area;
            f.members_display = own.members_display;
            f.medical_offices_label = own.medical_offices_label;
            // Texts in the original's language: all of an untranslated region's, and what a
            // translation inherits.
            let langs = crate::content::i18n::field_langs(self.cfg, d);
            let lang_of = |k: &str, given: bool| -> String {
                if !given {
                    String::new()
                } else if d.lang != lang {
                    d.lang.clone()
                } else {
                    langs.get(k).cloned().unwrap_or_default()
                }
            };
            // A region without a page in this language is named as `terms: regions:` names it.
            let title_lang = self.term_name_lang(Taxonomy::Regions, &term.slug, lang);
            let row_lang = [
                ("title", false),
                ("served_area", words.served_area.is_some()),
                ("members_display", words.members_display.is_some()),
                (
                    "medical_offices_label",
                    words.medical_offices_label.is_some(),
                ),
            ]
            .into_iter()
            .map(|(k, given)| (k.to_string(), lang_of(k, given)))
            .chain([("title".to_string(), title_lang)])
            .collect::<std::collections::BTreeMap<String, String>>();
            let mut row_lang = row_lang;
            if let Some(text_lang) = row_lang
                .get("members_display")
                .filter(|l| !l.is_empty())
                .cloned()
                && let Some(m) = super::strings::members_in(
                    &f.members_display,
                    r.members,
                    self.strings(&text_lang),
                    self.strings(lang),
                )
            {
                f.members_display = m;
                row_lang.insert("members_display".into(), String::new());
            }
            let has_teams = r.ubts.is_some();
            if let (Some(u), Some(h)) = (r.ubts, r.high_performing_ubts) {
                ubts += u;
                hp += h;
                with_teams += 1;
            }
            // The oldest date: totals of figures as of different dates are no newer than it
            // (QA Q70; `content::graph::figures_warnings` warns).
            as_of = as_of.into_iter().chain(r.as_of).min();
            rows.push(RegionRow {
                title: self.term_name(Taxonomy::Regions, &term.slug, lang),
                url: self.cfg.url(&d.url),
                hreflang: if d.lang == lang {
                    String::new()
                } else {
                    d.lang.clone()
                },
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
                lang_of: row_lang,
            });
        }
        // In another language than the default, the regions in the order of their names there
        // (session 23: the Spanish chart and table listed "Hawái, Estados del Atlántico Medio,
        // Funciones nacionales, Norte de California" in the English names' order, where a reader
        // looks for their region alphabetically). Accents are not letters of their own (`Á` with
        // `A`); `ñ` comes after `n`.
        if lang != self.cfg.default_language().code {
            rows.sort_by_cached_key(|r| alphabetical_key(&r.title));
        }
        let words = self.strings(lang);
        let totals = Totals {
            ubts: super::strings::number(ubts, words),
            high_performing_ubts: super::strings::number(hp, words),
            share_percent: if ubts > 0 {
                percent(hp, ubts).to_string()
            } else {
                String::new()
            },
            regions_with_teams: with_teams,
            as_of_display: as_of.map(|d| self.month_in(d, lang)).unwrap_or_default(),
        };
        (rows, totals)
    }

    pub(super) fn paginate(
        &self,
        base: &str,
        items: &[usize],
    ) -> Vec<(String, Vec<usize>, Pagination)> {
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
        // Every page's address once: each page links to up to nine others (about 18 addresses
        // formatted a page, 75 million instructions at 10,000 documents on the one thread that
        // makes the jobs).
        let hrefs: Vec<String> = (1..=total).map(|n| self.cfg.url(&url_of(n))).collect();
        let href = |n: usize| hrefs[n - 1].clone();
        chunks
            .into_iter()
            .enumerate()
            .map(|(k, chunk)| {
                let n = k + 1;
                let p = Pagination {
                    current: n,
                    total,
                    prev_url: if n > 1 { href(n - 1) } else { String::new() },
                    next_url: if n < total {
                        href(n + 1)
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
                                url: href(m),
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

    pub(super) fn site_view(&self) -> SiteView {
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
            title_lang: String::new(),
            description: self.cfg.description.clone(),
            language: self.cfg.language.clone(),
            dir: crate::bidi::language_dir(&self.cfg.language),
            base_url: self.cfg.base_url.clone(),
            base_path: self.cfg.base_path.clone(),
            home_url: self.cfg.url("/"),
            menu: Vec::new(),
            feed_url: self.cfg.url(super::feeds::ATOM),
            search_url: self.cfg.url("/search/"),
            year,
            assets: self.theme.assets.clone(),
            icon: self
                .theme
                .icon
                .as_ref()
                .map_or(String::new(), |i| i.0.clone()),
            icon_type: self
                .theme
                .icon
                .as_ref()
                .map_or(String::new(), |i| i.1.to_string()),
            rtl_text: false,
        }
    }

    /// The main menu: config's entries, then pages with `menu:` by weight. Built once per build;
    /// `(site-relative URL, item)` so each page marks its own section active.
    /// In another language than the default, an entry of the default language's address
    /// (`/stories/`) leads to that language's version of the page (`/es/stories/`) where there
    /// is one (a page lmp generates or a translated document), else to the page itself, marked
    /// as in the default language.
    pub(super) fn menu(&self, lang: &crate::config::Language) -> Vec<(String, MenuView)> {
        let generated = crate::content::graph::reserved_urls(self.cfg);
        let exists =
            |url: &str| generated.contains(url) || self.graph.docs.iter().any(|d| d.url == url);
        // A language without a `menu:` of its own shows the default language's entries, in
        // that language's words (hostile i18n s22: unmarked, a screen reader read "Stories" in a
        // Spanish voice).
        let inherited = self.inherited(&lang.menu, |l| &l.menu, lang);
        let mut items: Vec<(i64, usize, String, String, &str)> = lang
            .menu
            .iter()
            .enumerate()
            .map(|(k, m)| (0, k, m.name.clone(), m.url.clone(), inherited.as_str()))
            .collect();
        for d in &self.graph.docs {
            if let Fields::Page(p) = &d.fields
                && d.lang == lang.code
                && let Some(w) = p.menu
                && !items.iter().any(|it| it.3 == d.url)
            {
                items.push((1, w as usize, d.common.title.clone(), d.url.clone(), ""));
            }
        }
        items.sort();
        items
            .into_iter()
            .map(|(_, _, name, url, name_lang)| {
                let external = url.contains("://");
                let mut hreflang = String::new();
                let url = if external || url.starts_with(&lang.prefix) {
                    url
                } else {
                    let there = self.in_lang(&url, &lang.code);
                    if exists(&there) && !self.empty_in(&url, lang) {
                        there
                    } else {
                        if lang.code != self.cfg.default_language().code {
                            hreflang = self.cfg.default_language().code.clone();
                        }
                        url
                    }
                };
                let href = if external {
                    url.clone()
                } else {
                    self.cfg.url(&url)
                };
                let key = if external || url == lang.prefix {
                    String::new()
                } else {
                    url
                };
                (
                    key,
                    MenuView {
                        name,
                        url: href,
                        hreflang,
                        lang: name_lang.to_string(),
                        active: false,
                    },
                )
            })
            .collect()
    }

    /// The default language's code when `value` (a language's title or menu) is the default
    /// language's own, shown in `lang` for want of one of its own (config.yaml gives it to a
    /// language that leaves it out), else "": what is shown in the default language's words.
    pub(super) fn inherited<T: PartialEq + ?Sized>(
        &self,
        value: &T,
        of: impl Fn(&crate::config::Language) -> &T,
        lang: &crate::config::Language,
    ) -> String {
        let default = self.cfg.default_language();
        if lang.code != default.code && value == of(default) {
            default.code.clone()
        } else {
            String::new()
        }
    }

    pub(super) fn menu_active(key: &str, page_url: &str) -> bool {
        !key.is_empty() && page_url.starts_with(key)
    }

    pub(super) fn menu_for(menu: &[(String, MenuView)], page_url: &str) -> Vec<MenuView> {
        menu.iter()
            .map(|(key, m)| MenuView {
                active: Input::menu_active(key, page_url),
                ..m.clone()
            })
            .collect()
    }

    /// Every page of the site to render with a template, but the documents' (see
    /// [`Input::doc_job`]): each in every language, the versions of one page linked to each
    /// other (`page.alternates`).
    pub(super) fn jobs(&self) -> Vec<Job> {
        // Each language's pages on a thread of the pool: made one language after the other, on
        // the one thread the pages wait for, a second language added its whole time to the
        // build's wall time (about 40 million instructions for the Spanish pages at 10,000
        // documents, issue 16). The order is the languages' order, as before.
        use rayon::prelude::*;
        let per_lang: Vec<Vec<(String, Job)>> = self
            .cfg
            .languages
            .par_iter()
            .map(|lang| {
                let mut jobs = Vec::new();
                self.jobs_in(lang, &mut jobs);
                jobs
            })
            .collect();
        let mut jobs: Vec<(String, Job)> = per_lang.into_iter().flatten().collect();
        self.link_versions(&mut jobs);
        jobs.into_iter().map(|(_, j)| j).collect()
    }

    /// A word of the theme in a language, with `{name}` placeholders filled in (the key itself
    /// when the language lacks it: the strings check reports that).
    pub(super) fn say(&self, lang: &str, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self
            .strings(lang)
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string());
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }

    /// The generated pages of one language, each with its default-language address (the key
    /// that links its versions).
    fn jobs_in(&self, lang: &crate::config::Language, jobs: &mut Vec<(String, Job)>) {
        let g = self.graph;
        let code = lang.code.as_str();
        let at = |url: &str| self.in_lang(url, code);
        let home_crumb = self.home_crumb(code);
        // Home.
        let home_doc = g
            .docs
            .iter()
            .position(|d| d.collection == Collection::Home && d.lang == lang.code);
        let home = match home_doc {
            Some(i) => HomeView {
                title: g.docs[i].common.title.clone(),
                summary: g.docs[i].common.summary.clone().unwrap_or_default(),
                body: self.body(i, false),
            },
            None => HomeView {
                title: lang.title.clone(),
                summary: lang.description.clone(),
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
        let featured = self.list_in(&featured, lang);
        let stories = self.list_in(&stories, lang);
        let (rows, totals) = self.region_rows(code);
        let mut home_page = self.page(&at("/"), &lang.title, &home.summary, "home", vec![]);
        if let Some(i) = home_doc
            && let Some(u) = g.docs[i].common.updated.or(g.docs[i].common.date)
        {
            home_page.updated = u.to_string();
            home_page.updated_display = self.date_in(u, code);
        }
        jobs.push((
            "/".into(),
            Job {
                url: at("/"),
                template: "home.html".into(),
                page: home_page,
                extra: Extra::Home {
                    home,
                    featured,
                    latest: stories.iter().copied().take(6).collect(),
                    totals: totals.clone(),
                    regions: rows.clone(),
                },
            },
        ));
        // Regions page.
        let regions_label = self.collection_label(Collection::Regions, code, true);
        jobs.push((
            "/regions/".into(),
            Job {
                url: at("/regions/"),
                template: "regions.html".into(),
                page: self.page(
                    &at("/regions/"),
                    &regions_label,
                    &self.say(code, "regions_description", &[]),
                    "regions",
                    vec![home_crumb.clone()],
                ),
                extra: Extra::Regions {
                    regions: rows,
                    totals,
                },
            },
        ));
        // Collection lists.
        for c in self.cfg.schemas.all().into_iter().filter(|c| c.has_list()) {
            let items = self.list_in(&g.lists.get(&c).cloned().unwrap_or_default(), lang);
            let key_base = format!("/{}/", c.name());
            let base = at(&key_base);
            let label = self.collection_label(c, code, true);
            let coll = CollectionView {
                name: c.name(),
                label: label.clone(),
                url: self.cfg.url(&base),
            };
            // Once per list, not per page of it: it counts the whole list.
            let empty = self.empty_in(&key_base, lang);
            for (url, chunk, p) in self.paginate(&base, &items) {
                let title = if p.current > 1 {
                    self.paged_title(code, &label, &p)
                } else {
                    label.clone()
                };
                let mut page = self.page(&url, &title, "", "list", vec![home_crumb.clone()]);
                // An empty list of a language that hides untranslated documents is not offered
                // as the version of the default language's list: it says so and leads there.
                let key = if empty {
                    page.original = self.original_of(&key_base);
                    format!("{code}:{url}")
                } else {
                    url.replacen(&base, &key_base, 1)
                };
                jobs.push((
                    key,
                    Job {
                        url,
                        template: "list.html".into(),
                        page,
                        extra: Extra::List {
                            collection: coll.clone(),
                            items: chunk,
                            pagination: p,
                        },
                    },
                ));
            }
        }
        // Taxonomies and terms (region terms are the region pages).
        for tax in Taxonomy::ALL
            .into_iter()
            .filter(|t| *t != Taxonomy::Regions)
        {
            let Some(terms) = g.taxonomies.get(&tax) else {
                continue;
            };
            let label = self.say(code, &format!("taxonomy_{tax}"), &[]);
            let key_base = format!("/{tax}/");
            let tv = TaxonomyView {
                name: tax.to_string(),
                label: label.clone(),
                url: self.cfg.url(&at(&key_base)),
            };
            let slugs: Vec<String> = terms.iter().map(|t| t.slug.clone()).collect();
            let term_views = self.terms(tax, &slugs, code);
            let mut page = self.page(
                &at(&key_base),
                &label,
                "",
                "taxonomy",
                vec![home_crumb.clone()],
            );
            let key = if self.empty_in(&key_base, lang) {
                page.original = self.original_of(&key_base);
                format!("{code}:{}", at(&key_base))
            } else {
                key_base.clone()
            };
            // A language that hides untranslated documents lists only the terms it has pages
            // for (a term of none leads to a page that says so, not to a list).
            let listed: Vec<TermView> = term_views
                .iter()
                .filter(|v| v.count > 0 || lang.show_untranslated)
                .cloned()
                .collect();
            jobs.push((
                key,
                Job {
                    url: at(&key_base),
                    template: "taxonomy.html".into(),
                    page,
                    extra: Extra::Taxonomy {
                        taxonomy: tv.clone(),
                        terms: listed,
                    },
                },
            ));
            for (t, view) in terms.iter().zip(&term_views) {
                let key_term = format!("/{tax}/{}/", t.slug);
                let base = at(&key_term);
                let empty = self.empty_in(&key_term, lang);
                for (url, chunk, p) in self.paginate(&base, &self.list_in(&t.docs, lang)) {
                    let title = if p.current > 1 {
                        self.paged_title(code, &view.name, &p)
                    } else {
                        view.name.clone()
                    };
                    let crumbs = vec![
                        home_crumb.clone(),
                        Crumb {
                            name: label.clone(),
                            url: tv.url.clone(),
                        },
                    ];
                    let mut page = self.page(&url, &title, "", "term", crumbs);
                    let key = if empty {
                        page.original = self.original_of(&key_term);
                        format!("{code}:{url}")
                    } else {
                        url.replacen(&base, &key_term, 1)
                    };
                    jobs.push((
                        key,
                        Job {
                            url,
                            template: "term.html".into(),
                            page,
                            extra: Extra::Term {
                                taxonomy: tv.clone(),
                                term: view.clone(),
                                items: chunk,
                                pagination: p,
                            },
                        },
                    ));
                }
            }
        }
        // Search and 404.
        jobs.push((
            "/search/".into(),
            Job {
                url: at("/search/"),
                template: "search.html".into(),
                page: self.page(
                    &at("/search/"),
                    &self.say(code, "search", &[]),
                    &self.say(code, "search_description", &[]),
                    "search",
                    vec![home_crumb.clone()],
                ),
                extra: Extra::Search {
                    browse: self.browse(lang),
                    elsewhere: self.elsewhere(lang),
                },
            },
        ));
        // (Not linked to its other versions: it answers any missing address.)
        jobs.push((
            format!("{code}:404"),
            Job {
                url: at("/404.html"),
                template: "404.html".into(),
                page: self.page(
                    &at("/404.html"),
                    &self.say(code, "not_found_title", &[]),
                    "",
                    "404",
                    vec![home_crumb],
                ),
                extra: Extra::Nothing,
            },
        ));
    }

    /// The lists a reader can browse, by name (`stories`, `regions`, `topics`), in language
    /// `lang`: its own, or the default language's where it has nothing to show (see
    /// [`Input::empty_in`]), marked with that language.
    fn browse(
        &self,
        lang: &crate::config::Language,
    ) -> std::collections::BTreeMap<String, LinkView> {
        let mut names: Vec<String> = self
            .cfg
            .schemas
            .all()
            .into_iter()
            .filter(|c| c.has_list())
            .map(|c| c.name().to_string())
            .collect();
        names.push(Collection::Regions.name().to_string());
        names.extend(
            Taxonomy::ALL
                .into_iter()
                .filter(|t| *t != Taxonomy::Regions)
                .map(|t| t.name().to_string()),
        );
        names
            .into_iter()
            .map(|name| {
                let key = format!("/{name}/");
                let link = if self.empty_in(&key, lang) {
                    LinkView {
                        url: self.cfg.url(&key),
                        hreflang: self.cfg.default_language().code.clone(),
                    }
                } else {
                    LinkView {
                        url: self.cfg.url(&self.in_lang(&key, &lang.code)),
                        hreflang: String::new(),
                    }
                };
                (name, link)
            })
            .collect()
    }

    /// The search page of each other language, with its offer to search there in that
    /// language's words (the theme's `search_in_this_language`), for a query that finds nothing
    /// in `lang` but does there.
    fn elsewhere(&self, lang: &crate::config::Language) -> Vec<Elsewhere> {
        self.cfg
            .languages
            .iter()
            .filter(|l| l.code != lang.code)
            .map(|l| Elsewhere {
                lang: l.code.clone(),
                url: self.cfg.url(&self.in_lang("/search/", &l.code)),
                text: self.say(&l.code, "search_in_this_language", &[]),
            })
            .collect()
    }

    /// `Stories (page 2 of 5)` in a language.
    fn paged_title(&self, lang: &str, label: &str, p: &Pagination) -> String {
        self.say(
            lang,
            "paged_title",
            &[
                ("label", label),
                ("current", &p.current.to_string()),
                ("total", &p.total.to_string()),
            ],
        )
    }
}

/// The page numbers a pager shows: the first, the last, and two on each side of the current one
/// (a list of 600 pages links to 7, not 600). Made from those seven, not by looking at every
/// page number: each page of a list did, so a list of n pages cost n² steps (the stories list of
/// 10,000 documents, 600 pages: 360,000, on the one thread that makes the jobs).
fn window(current: usize, total: usize) -> Vec<usize> {
    if total == 0 {
        return Vec::new();
    }
    let (lo, hi) = (current.saturating_sub(2).max(1), (current + 2).min(total));
    let mut pages = Vec::with_capacity(7);
    if lo > 1 {
        pages.push(1);
    }
    pages.extend(lo..=hi);
    if hi < total {
        pages.push(total);
    }
    pages
}

#[cfg(test)]
mod window_tests {
    /// The pager's page numbers as they were first written: every number, kept if it is the
    /// first, the last or within two of the current one.
    fn by_filter(current: usize, total: usize) -> Vec<usize> {
        (1..=total)
            .filter(|&m| m == 1 || m == total || m.abs_diff(current) <= 2)
            .collect()
    }

    #[test]
    fn pager_numbers_are_the_first_the_last_and_two_each_side() {
        for total in 0..=40 {
            for current in 1..=total.max(1) {
                assert_eq!(
                    super::window(current, total),
                    by_filter(current, total),
                    "page {current} of {total}"
                );
            }
        }
        assert_eq!(
            super::window(300, 600),
            vec![1, 298, 299, 300, 301, 302, 600]
        );
    }
}

/// The `site` of every page: the same but for its language and which menu items are active, so
/// one view per language and distinct set of active items, built before the pages render.
pub(super) struct SiteViews {
    /// Per language (code), its menu.
    pub(super) menus: Vec<(String, Vec<(String, MenuView)>)>,
    pub(super) views: Short<(String, Vec<bool>), SiteView>,
    /// Each view serialised once for the templates, by the same key.
    values: Short<(String, Vec<bool>), super::theme::Shared>,
    /// The theme's words of each language (code), serialised once.
    words: Short<String, super::theme::Shared>,
    /// The main menu as the theme's own `partials/menu.html` draws it (see [`MenuDrawn`]); `None`
    /// when the site replaced that partial.
    menu_drawn: Option<MenuDrawn>,
}

/// The main menu drawn once per menu state, and then written as it is by every page in that
/// state (`site.menu_drawn` in the theme's `base.html`): running the menu's loop on every page
/// was 27,000 instructions a page (a dozen items), about 0.4 billion at 10,000 documents. Made
/// only when the site's `partials/menu.html` is the built-in one: that template reads nothing but
/// `site.menu`, `page.url` and `t`, and `page.url` only to compare it with each item's `url`, so
/// pages of the same `site` (language and active items) whose address is the same item's (or
/// none's) get the same text. A site's own `partials/menu.html` runs on every page as before, and
/// a site's own `base.html` writes whatever it writes (`site.menu_drawn` is there for it to use
/// or not).
struct MenuDrawn {
    /// (language, active items, items whose `url` is the page's) → the site value with
    /// `menu_drawn`; `None` when the menu could not be drawn ahead (the page then runs the
    /// partial, and reports its error).
    drawn: std::sync::Mutex<Short<MenuState, Option<super::theme::Shared>>>,
}

/// A map of [`SiteViews`], looked up three or four times for every page (its view, its value,
/// its words, its drawn menu): keyed by a language code and a few flags, hashed with
/// [`crate::util::Short`], not std's SipHash (~850 instructions a look-up, 58 M instructions of
/// a 17,000-page build's templates stage; session 23).
type Short<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<crate::util::Short>>;

/// A page's menu state: its language, which items are active, and which lead to the page itself.
type MenuState = (String, Vec<bool>, Vec<bool>);

impl MenuDrawn {
    const TEMPLATE: &'static str = "partials/menu.html";
}

/// The `site` of one page, with what is serialised once for the templates (see
/// [`super::theme::Shared`]).
pub(super) struct SiteOf<'s> {
    pub(super) view: &'s SiteView,
    pub(super) value: Option<super::theme::Shared>,
    pub(super) words: Option<&'s super::theme::Shared>,
}

/// The context the menu is drawn in: `site` and `t` are passed serialised.
#[derive(Serialize)]
struct MenuCtx<'a> {
    page: MenuPage<'a>,
}

#[derive(Serialize)]
struct MenuPage<'a> {
    url: &'a str,
}

impl SiteViews {
    pub(super) fn new<'u>(input: &Input<'_>, urls: impl Iterator<Item = &'u str>) -> SiteViews {
        let base = input.site_view();
        let menus: Vec<(String, Vec<(String, MenuView)>)> = input
            .cfg
            .languages
            .iter()
            .map(|l| (l.code.clone(), input.menu(l)))
            .collect();
        let mut views = Short::default();
        for url in urls {
            let lang = input.cfg.lang_of_url(url);
            let menu = SiteViews::menu_of(&menus, &lang.code);
            let active: Vec<bool> = menu
                .iter()
                .map(|(key, _)| Input::menu_active(key, url))
                .collect();
            views
                .entry((lang.code.clone(), active))
                .or_insert_with(|| SiteView {
                    title: lang.title.clone(),
                    title_lang: input.inherited(&lang.title, |l| &l.title, lang),
                    description: lang.description.clone(),
                    language: lang.code.clone(),
                    dir: crate::bidi::language_dir(&lang.code),
                    home_url: input.cfg.url(&lang.prefix),
                    feed_url: input
                        .cfg
                        .url(&input.in_lang(super::feeds::ATOM, &lang.code)),
                    search_url: input.cfg.url(&input.in_lang("/search/", &lang.code)),
                    menu: Input::menu_for(menu, url),
                    rtl_text: crate::bidi::has_rtl(&lang.title)
                        || menu.iter().any(|(_, m)| crate::bidi::has_rtl(&m.name)),
                    ..base.clone()
                });
        }
        // `site.lang_attrs`, one table per language (see `theme::lang_attrs_table`).
        let codes = || input.cfg.languages.iter().map(|l| l.code.as_str());
        let tables: HashMap<&str, super::theme::Shared> = codes()
            .map(|c| (c, super::theme::lang_attrs_table(c, codes())))
            .collect();
        let values = views
            .iter()
            .filter_map(|(k, v)| {
                let site = super::theme::Shared::of(v)?;
                let site = match tables.get(v.language.as_str()) {
                    Some(t) => site.with("lang_attrs", t.clone())?,
                    None => site,
                };
                Some((k.clone(), site))
            })
            .collect();
        let words = input
            .cfg
            .languages
            .iter()
            .filter_map(|l| {
                let t = super::theme::Shared::of(input.theme.strings.of(&l.code))?;
                Some((l.code.clone(), t))
            })
            .collect();
        SiteViews {
            menus,
            views,
            values,
            words,
            menu_drawn: input
                .theme
                .is_builtin(MenuDrawn::TEMPLATE)
                .then(|| MenuDrawn {
                    drawn: Default::default(),
                }),
        }
    }

    fn menu_of<'m>(
        menus: &'m [(String, Vec<(String, MenuView)>)],
        code: &str,
    ) -> &'m [(String, MenuView)] {
        menus
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, m)| m.as_slice())
            .unwrap_or_default()
    }

    /// The `site` of the page at `url` (site-relative) whose `page.url` is `page_url`.
    pub(super) fn of(&self, input: &Input<'_>, url: &str, page_url: &str) -> SiteOf<'_> {
        let lang = &input.cfg.lang_of_url(url).code;
        let active: Vec<bool> = SiteViews::menu_of(&self.menus, lang)
            .iter()
            .map(|(key, _)| Input::menu_active(key, url))
            .collect();
        let key = (lang.clone(), active);
        let view = &self.views[&key];
        let words = self.words.get(lang);
        let value = match (&self.menu_drawn, self.values.get(&key), words) {
            (Some(m), Some(site), Some(t)) => {
                let here: Vec<bool> = view.menu.iter().map(|i| i.url == page_url).collect();
                m.get(input, (key.0, key.1, here), site, t, page_url)
                    .or_else(|| Some(site.clone()))
            }
            (_, site, _) => site.cloned(),
        };
        SiteOf { view, value, words }
    }
}

impl MenuDrawn {
    /// The site value `site` with `menu_drawn`: the menu of state `state` drawn by the theme's
    /// partial for a page at `page_url` (drawn on first use).
    fn get(
        &self,
        input: &Input<'_>,
        state: MenuState,
        site: &super::theme::Shared,
        t: &super::theme::Shared,
        page_url: &str,
    ) -> Option<super::theme::Shared> {
        fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
            match m.lock() {
                Ok(g) => g,
                Err(p) => p.into_inner(),
            }
        }
        if let Some(v) = lock(&self.drawn).get(&state) {
            return v.clone();
        }
        // Drawn outside the lock (two threads may draw the same state: the same text).
        let ctx = MenuCtx {
            page: MenuPage { url: page_url },
        };
        let value = input
            .theme
            .render_with(MenuDrawn::TEMPLATE, &ctx, &[("site", site), ("t", t)])
            .ok()
            .and_then(|html| site.with("menu_drawn", super::theme::Shared::html(&html)));
        lock(&self.drawn).entry(state).or_insert(value).clone()
    }
}

/// A name's place in alphabetical order in Spanish and the other languages written in Latin
/// letters: lower case, accents left out (`Hawái` with `Hawaii`), `ñ` after `n`; the name
/// itself last, so that the order is total.
fn alphabetical_key(name: &str) -> (String, String) {
    let mut folded = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        let plain = match c {
            'á' | 'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            // After every `n…` and before `o` (Unicode puts `ñ` after `z`).
            'ñ' => {
                folded.push('n');
                '\u{10ffff}'
            }
            c => c,
        };
        folded.push(plain);
    }
    (folded, name.to_string())
}

#[cfg(test)]
mod alphabetical_tests {
    #[test]
    fn accents_are_their_letters_and_enye_follows_n() {
        let mut names = vec![
            "Sur", "Hawái", "Noroeste", "Ñandú", "Norte", "Estados", "Colorado", "Haití",
        ];
        names.sort_by_cached_key(|n| super::alphabetical_key(n));
        assert_eq!(
            names,
            [
                "Colorado", "Estados", "Haití", "Hawái", "Noroeste", "Norte", "Ñandú", "Sur"
            ]
        );
    }
}
