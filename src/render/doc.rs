//! The page of one document: its template, page view and document view (the `doc` of the
//! collection templates).

use super::Input;
use super::cards::UpperFirst;
use super::jobs::{Extra, Job};
use super::view::*;
use crate::content::collections::{Collection, Fields};
use crate::content::taxonomy::Taxonomy;
use crate::util::percent;

impl Input<'_> {
    pub(super) fn figures(
        &self,
        r: &crate::content::collections::Region,
        lang: &str,
    ) -> FiguresView {
        let s = self.strings(lang);
        let n = |v: Option<i64>| v.map(|v| super::strings::number(v, s)).unwrap_or_default();
        let share = match (r.high_performing_ubts, r.ubts) {
            (Some(h), Some(u)) if u > 0 => percent(h, u).to_string(),
            _ => String::new(),
        };
        FiguresView {
            members: n(r.members),
            members_display: r.members_display.clone().unwrap_or_else(|| n(r.members)),
            medical_offices: n(r.medical_offices),
            medical_offices_label: r.medical_offices_label.clone().unwrap_or_else(|| {
                s.get("medical_offices")
                    .cloned()
                    .unwrap_or_else(|| "medical offices".into())
            }),
            hospitals: n(r.hospitals),
            ubts: n(r.ubts),
            high_performing_ubts: n(r.high_performing_ubts),
            share_percent: share,
            as_of: r.as_of.map(|d| d.to_string()).unwrap_or_default(),
            as_of_display: r.as_of.map(|d| self.month_in(d, lang)).unwrap_or_default(),
            served_area: r.served_area.clone().unwrap_or_default(),
            council_since: r.council_since.clone().unwrap_or_default(),
        }
    }

    pub(super) fn doc_view(&self, i: usize) -> DocView<'_> {
        let g = self.graph;
        let d = &g.docs[i];
        let r = &self.rendered[i];
        let ds = |x: Option<crate::util::Date>| {
            x.map(|x| (x.to_string(), self.date_in(x, &d.lang)))
                .unwrap_or_default()
        };
        let (date, date_display) = ds(d.common.date);
        let (updated, updated_display) = ds(d.common.updated);
        let (reviewed, reviewed_display) = ds(d.common.reviewed);
        let edit_url = self
            .cfg
            .edit_url
            .as_deref()
            .map(|u| u.replace("{path}", &d.rel))
            .unwrap_or_default();
        let front = |key: &str| {
            r.front
                .iter()
                .find(|f| f.key == key)
                .map_or("", |f| f.html.as_str())
        };
        let mut v = DocView {
            title: &d.common.title,
            summary: d.common.summary.as_deref().unwrap_or(""),
            summary_html: front("summary"),
            image_caption_html: front("image_caption"),
            image_credit_html: front("image_credit"),
            url: self.cfg.url(&d.url),
            collection: d.collection.name(),
            collection_label: self.collection_label(d.collection, &d.lang, false),
            date,
            date_display,
            updated,
            updated_display,
            reviewed,
            reviewed_display,
            edit_url,
            body: self.body(i, true),
            toc: &r.toc,
            word_count: r.word_count,
            reading_minutes: r.word_count.div_ceil(200).max(1),
            regions: self.term_refs(
                Taxonomy::Regions,
                g.doc_terms(d, Taxonomy::Regions),
                &d.lang,
            ),
            topics: self.term_refs(Taxonomy::Topics, &d.common.topics, &d.lang),
            audiences: self.term_refs(Taxonomy::Audiences, &d.common.audiences, &d.lang),
            series: self.term_refs(Taxonomy::Series, &d.common.series, &d.lang),
            related: self.cards(&g.related[i], &d.lang),
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
            src: String::new(),
            src_type: "",
            embed: "",
            service: "",
            watch_url: String::new(),
            player: String::new(),
            captions: String::new(),
            year: String::new(),
            publisher: "",
            authors: &[],
            link: "",
            figures: None,
            stories: Vec::new(),
            practices: Vec::new(),
            extra: &d.extra,
            lang_of: if d.translation.is_none() && !d.extra.values().any(|v| v.is_string()) {
                LangOf::Same(&self.same_langs)
            } else if let Some(same) = self.translated_langs.of(i) {
                LangOf::Same(same)
            } else {
                LangOf::Own(crate::content::i18n::field_langs(self.cfg, d))
            },
        };
        v.image = self.lead_image(d);
        match &d.fields {
            Fields::Story(s) => {
                v.author = s.author.as_deref().unwrap_or("");
                v.featured = s.featured;
                v.video = s
                    .video
                    .as_ref()
                    .and_then(|slug| g.index_of_slug(Collection::Videos, slug))
                    .map(|j| self.cached_card(g.translation_in(j, &d.lang).unwrap_or(j), &d.lang));
            }
            Fields::Guide(gd) => {
                v.duration = gd.duration.as_deref().unwrap_or("");
                v.tools = gd
                    .tools
                    .iter()
                    .filter_map(|s| g.index_of_slug(Collection::Tools, s))
                    .map(|j| self.cached_card(g.translation_in(j, &d.lang).unwrap_or(j), &d.lang))
                    .collect();
            }
            Fields::Practice(p) => {
                v.region = self
                    .term_refs(Taxonomy::Regions, std::slice::from_ref(&p.region), &d.lang)
                    .pop();
                v.department = p.department.as_deref().unwrap_or("");
                v.team = p.team.as_deref().unwrap_or("");
                v.results = &p.results;
            }
            Fields::Tool(t) => {
                v.kind = &t.kind;
                v.kind_label = t.kind.to_uppercase_first();
                v.file = Some(self.file_view(&t.file, &d.lang));
            }
            Fields::Video(vd) => {
                v.transcript = self.transcripts[i]
                    .as_ref()
                    .map(Html::of)
                    .unwrap_or_default();
                if let Some(src) = &vd.src {
                    v.src = self.cfg.file_url(src);
                    v.src_type = crate::media::video::mime_of(src);
                }
                v.embed = vd.embed.as_deref().unwrap_or("");
                if let Some(h) = vd.embed.as_deref().and_then(crate::media::video::hosted) {
                    v.service = h.name();
                    v.watch_url = h.watch_url();
                    v.player = h.player_url();
                }
                v.captions = vd
                    .captions
                    .as_ref()
                    .map(|c| self.cfg.file_url(c))
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
                v.figures = Some(self.figures(rg, &d.lang));
                // Without a value of its own, a figure's text is the page's (a number, a word).
                for (k, own) in [
                    ("members_display", &rg.members_display),
                    ("medical_offices_label", &rg.medical_offices_label),
                ] {
                    if own.is_none()
                        && let Some(l) = v.lang_of.get_mut(k)
                    {
                        l.clear();
                    }
                }
                // Inherited member count words: in this page's language when they are only a
                // figure (see `strings::members_in`).
                if let (Some(f), Some(text_lang)) = (
                    v.figures.as_mut(),
                    v.lang_of
                        .get("members_display")
                        .filter(|l| !l.is_empty())
                        .cloned(),
                ) && let Some(m) = super::strings::members_in(
                    &f.members_display,
                    rg.members,
                    self.strings(&text_lang),
                    self.strings(&d.lang),
                ) {
                    f.members_display = m;
                    v.lang_of.insert("members_display".into(), String::new());
                }
                if let Some(term) = g
                    .taxonomies
                    .get(&Taxonomy::Regions)
                    .and_then(|ts| ts.iter().find(|t| t.slug == d.slug))
                {
                    let of = |c: Collection| -> Vec<usize> {
                        term.docs
                            .iter()
                            .copied()
                            .filter(|&j| g.docs[j].collection == c)
                            .collect()
                    };
                    // As the page's language lists them: its translations first, then the
                    // untranslated originals unless it hides them (QA s16: a Spanish region page
                    // listed the English originals of its translated stories, and with
                    // `untranslated: hide` every untranslated one).
                    let listed = |c: Collection| match self.cfg.lang(&d.lang) {
                        Some(l) => self.list_in(&of(c), l),
                        None => of(c),
                    };
                    v.stories = self.cards(&listed(Collection::Stories), &d.lang);
                    v.practices = self.cards(&listed(Collection::Practices), &d.lang);
                }
            }
            Fields::Page(_) | Fields::Home | Fields::Custom => {}
        }
        v
    }

    /// The page of document `i` (not the home document).
    pub(super) fn doc_job(&self, i: usize) -> Job {
        let d = &self.graph.docs[i];
        let mut crumbs = vec![self.home_crumb(&d.lang)];
        match d.collection {
            Collection::Pages => {}
            c => crumbs.push(Crumb {
                name: self.collection_label(c, &d.lang, true),
                url: self
                    .cfg
                    .url(&self.in_lang(&format!("/{}/", c.name()), &d.lang)),
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
            page.updated_display = self.date_in(u, &d.lang);
        }
        page.has_code = self.rendered.get(i).is_some_and(|r| r.has_code);
        self.alternates(&mut page, i);
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
        if let Some(og) = self.lead_image(d).and_then(|v| v.og.map(|o| (o, v.alt))) {
            page.image = og.0.url;
            page.image_width = og.0.width;
            page.image_height = og.0.height;
            // A translation without its own `image_alt` has the original's, in the original's
            // language: meta tags cannot say so (`lang`), and a screen reader would read it
            // with the page's voice (QA Q35), so it is left out (`lmp check --translations`
            // lists the missing alt).
            page.image_alt = if d.inherits("image_alt") {
                String::new()
            } else {
                og.1
            };
        } else if let Some(card) = crate::media::share_card(self.images, self.cfg, &d.url) {
            page.image = card.url;
            page.image_width = card.width;
            page.image_height = card.height;
            page.image_alt = card.alt;
        }
        Job {
            url: d.url.clone(),
            template: self.doc_template(d),
            page,
            extra: Extra::Doc(i),
        }
    }

    /// The page's versions in the site's languages (see [`PageView::alternates`]). The page's
    /// own address and full address are the page view's (`page.url`, `page.permalink`, made
    /// from the document's address as the others are), and `x-default` is the full address of
    /// the version that is not a translation, made once: each was made again before (five
    /// addresses a page of a pair rather than two, 15 million instructions of the template
    /// stage at 2,003 translations, work the pages without translations never do; issue 16).
    pub(super) fn alternates(&self, page: &mut PageView, i: usize) {
        let g = self.graph;
        let group = g.translations.get(i).map(Vec::as_slice).unwrap_or_default();
        let mut x_default = None;
        page.alternates = group
            .iter()
            .map(|&j| {
                let d = &g.docs[j];
                let (url, permalink) = if j == i {
                    (page.url.clone(), page.permalink.clone())
                } else {
                    (self.cfg.url(&d.url), self.cfg.permalink(&d.url))
                };
                if x_default.is_none() && d.translation.is_none() {
                    x_default = Some(permalink.clone());
                }
                Alternate {
                    dir: crate::bidi::language_dir(&d.lang),
                    name: self
                        .cfg
                        .lang(&d.lang)
                        .map_or_else(|| d.lang.clone(), |l| l.name.clone()),
                    lang: d.lang.clone(),
                    url,
                    permalink,
                    current: j == i,
                }
            })
            .collect();
        page.x_default = x_default.unwrap_or_default();
    }

    pub(super) fn doc_template(&self, d: &crate::content::Document) -> String {
        match d.collection {
            Collection::Custom(c) if self.theme.has_template(&format!("{}.html", c.singular)) => {
                format!("{}.html", c.singular)
            }
            c => c.template().to_string(),
        }
    }
}
