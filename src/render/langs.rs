//! The site's pages in each language: a page's address under a language's prefix, what a
//! language's lists hold (its own documents first, then, if config says so, the default
//! language's documents not yet translated), term names in a language, and the alternates
//! (`hreflang`) of the pages the site generates itself (home, lists, taxonomies, terms, search).

use std::collections::BTreeMap;

use super::Input;
use super::jobs::Job;
use super::view::Alternate;
use crate::config::Language;
use crate::content::collections::Collection;
use crate::content::taxonomy::Taxonomy;

impl Input<'_> {
    /// A default-language site path in language `lang`: `/stories/` → `/es/stories/`.
    pub(super) fn in_lang(&self, url: &str, lang: &str) -> String {
        match self.cfg.lang(lang) {
            Some(l) if l.prefix != "/" && !l.prefix.is_empty() => {
                let rest = url.trim_start_matches('/');
                let mut s = String::with_capacity(l.prefix.len() + rest.len());
                s.push_str(&l.prefix);
                s.push_str(rest);
                s
            }
            _ => url.to_string(),
        }
    }

    /// A list of default-language documents (in list order) as language `lang` shows it (see
    /// [`crate::content::graph::shown`]): the translations first, in the same order, then the
    /// untranslated originals when the language shows them (`untranslated: show`, the default).
    pub(super) fn list_in(&self, items: &[usize], lang: &Language) -> Vec<usize> {
        let g = self.graph;
        if lang.code == self.cfg.default_language().code {
            return items.to_vec();
        }
        let mut own = Vec::new();
        let mut rest = Vec::new();
        let shown = g.shown_by(lang);
        for &i in items {
            match shown(i) {
                Some(j) if j != i => own.push(j),
                Some(j) => rest.push(j),
                None => {}
            }
        }
        own.extend(rest);
        own
    }

    /// How many documents of a list (default-language documents) language `lang` shows (see
    /// [`crate::content::graph::shown`]).
    pub(super) fn count_in(&self, items: &[usize], lang: &str) -> usize {
        match self.cfg.lang(lang) {
            // Every document is shown, in one language or the other: no need to look.
            Some(l) if l.show_untranslated || l.code == self.cfg.default_language().code => {
                items.len()
            }
            Some(l) => {
                let shown = self.graph.shown_by(l);
                items.iter().filter(|&&i| shown(i).is_some()).count()
            }
            None => items.len(),
        }
    }

    /// Whether language `lang` has nothing to show on the generated page whose default-language
    /// address is `key` (`/stories/`, `/topics/`, `/topics/safety/`): a language with
    /// `untranslated: hide` and no translation in that collection, taxonomy or term (QA Q40,
    /// Q123). Such a page is still written, as a page that says so in its language and leads to
    /// the default language's (see [`PageView::original`](super::view::PageView)), so an old link
    /// or a typed address finds it; but it is not a version of the default language's page: no
    /// `hreflang` leads to it, the sitemap leaves it out and the menu leads past it.
    pub(super) fn empty_in(&self, key: &str, lang: &Language) -> bool {
        if lang.code == self.cfg.default_language().code || lang.show_untranslated {
            return false;
        }
        let g = self.graph;
        let inner = key.trim_matches('/');
        let (head, slug) = inner.split_once('/').unwrap_or((inner, ""));
        if slug.contains('/') || head.is_empty() {
            return false;
        }
        if let Some(tax) = Taxonomy::ALL
            .into_iter()
            .find(|t| *t != Taxonomy::Regions && t.name() == head)
        {
            let counts = self.term_views.get(&(lang.code.clone(), tax));
            let count = |s: &str| match counts.and_then(|c| c.get(s)) {
                Some(v) => v.count,
                None => g
                    .taxonomies
                    .get(&tax)
                    .and_then(|ts| ts.iter().find(|t| t.slug == s))
                    .map_or(0, |t| self.count_in(&t.docs, &lang.code)),
            };
            let terms = g.taxonomies.get(&tax).map_or(&[][..], Vec::as_slice);
            return if slug.is_empty() {
                terms.iter().all(|t| count(&t.slug) == 0)
            } else {
                terms.iter().any(|t| t.slug == slug) && count(slug) == 0
            };
        }
        if !slug.is_empty() {
            return false;
        }
        self.cfg
            .schemas
            .all()
            .into_iter()
            .filter(|c| c.has_list())
            .find(|c| c.name() == head)
            .is_some_and(|c| {
                let items = g.lists.get(&c).map_or(&[][..], Vec::as_slice);
                self.count_in(items, &lang.code) == 0
            })
    }

    /// The languages a generated page (default-language address `key`) exists in as a version
    /// of the others: every language but those with nothing to show there (see
    /// [`Self::empty_in`]).
    pub(super) fn versions_of(&self, key: &str) -> Vec<&Language> {
        self.cfg
            .languages
            .iter()
            .filter(|l| !self.empty_in(key, l))
            .collect()
    }

    /// The default language's version of the generated page at `key`, offered by a page that
    /// has nothing to show in its own language (see [`Self::empty_in`]).
    pub(super) fn original_of(&self, key: &str) -> Option<Alternate> {
        let l = self.cfg.default_language();
        let u = self.in_lang(key, &l.code);
        Some(Alternate {
            dir: crate::bidi::language_dir(&l.code),
            lang: l.code.clone(),
            name: l.name.clone(),
            url: self.cfg.url(&u),
            permalink: self.cfg.permalink(&u),
            current: false,
        })
    }

    /// A term's name in a language: config's `languages: <code>: terms:` (a region's: its
    /// translated page's title), else the default language's name.
    pub(super) fn term_name(&self, tax: Taxonomy, slug: &str, lang: &str) -> String {
        let g = self.graph;
        if tax == Taxonomy::Regions
            && let Some(i) = g.index_of_slug(Collection::Regions, slug)
            && let Some(j) = g.translation_in(i, lang)
        {
            return g.docs[j].common.title.clone();
        }
        self.cfg
            .lang(lang)
            .and_then(|l| l.terms.get(tax.name()))
            .and_then(|names| names.get(slug))
            .cloned()
            .unwrap_or_else(|| g.term_name(tax, slug).to_string())
    }

    /// The language of [`Self::term_name`] in `lang` when it is not `lang` (the default
    /// language's name stands in for one `lang` does not give), else "".
    pub(super) fn term_name_lang(&self, tax: Taxonomy, slug: &str, lang: &str) -> String {
        let g = self.graph;
        let default = &self.cfg.default_language().code;
        let own = lang.is_empty()
            || lang == default
            || (tax == Taxonomy::Regions
                && g.index_of_slug(Collection::Regions, slug)
                    .and_then(|i| g.translation_in(i, lang))
                    .is_some())
            || self
                .cfg
                .lang(lang)
                .and_then(|l| l.terms.get(tax.name()))
                .is_some_and(|names| names.contains_key(slug));
        if own { String::new() } else { default.clone() }
    }

    /// Give each generated page the alternates of its versions in the other languages: the
    /// pages made from the same default-language address (`key`).
    pub(super) fn link_versions(&self, jobs: &mut [(String, Job)]) {
        let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (k, (key, _)) in jobs.iter().enumerate() {
            groups.entry(key.as_str()).or_default().push(k);
        }
        let mut alternates: Vec<(usize, Vec<Alternate>, String)> = Vec::new();
        for members in groups.values().filter(|m| m.len() > 1) {
            let versions: Vec<(&Language, &str)> = members
                .iter()
                .map(|&k| (self.cfg.lang_of_url(&jobs[k].1.url), jobs[k].1.url.as_str()))
                .collect();
            let x_default = versions
                .iter()
                .find(|(l, _)| l.code == self.cfg.default_language().code)
                .map(|(_, u)| self.cfg.permalink(u))
                .unwrap_or_default();
            for &k in members {
                let alts = versions
                    .iter()
                    .map(|(l, u)| Alternate {
                        dir: crate::bidi::language_dir(&l.code),
                        lang: l.code.clone(),
                        name: l.name.clone(),
                        url: self.cfg.url(u),
                        permalink: self.cfg.permalink(u),
                        current: *u == jobs[k].1.url,
                    })
                    .collect();
                alternates.push((k, alts, x_default.clone()));
            }
        }
        for (k, alts, x_default) in alternates {
            jobs[k].1.page.alternates = alts;
            jobs[k].1.page.x_default = x_default;
        }
    }
}
