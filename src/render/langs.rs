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
                format!("{}{}", l.prefix, url.trim_start_matches('/'))
            }
            _ => url.to_string(),
        }
    }

    /// A list of default-language documents (in list order) as language `lang` shows it: the
    /// translations first, in the same order, then the untranslated originals when the language
    /// shows them (`untranslated: show`, the default).
    pub(super) fn list_in(&self, items: &[usize], lang: &Language) -> Vec<usize> {
        let g = self.graph;
        if lang.code == self.cfg.default_language().code {
            return items.to_vec();
        }
        let mut own = Vec::new();
        let mut rest = Vec::new();
        for &i in items {
            match g.translation_in(i, &lang.code) {
                Some(j) if j != i => own.push(j),
                _ if lang.show_untranslated => rest.push(i),
                _ => {}
            }
        }
        own.extend(rest);
        own
    }

    /// How many documents of a list (default-language documents) language `lang` shows.
    pub(super) fn count_in(&self, items: &[usize], lang: &str) -> usize {
        match self.cfg.lang(lang) {
            Some(l) if l.code != self.cfg.default_language().code && !l.show_untranslated => items
                .iter()
                .filter(|&&i| self.graph.translation_in(i, lang).is_some_and(|j| j != i))
                .count(),
            _ => items.len(),
        }
    }

    /// Whether `url` is the list of a collection that language `lang` leaves empty: a language
    /// with `untranslated: hide` and no translation in that collection (QA Q40). The page is still
    /// written, but the menu leads to the default language's list instead and the switcher does
    /// not offer it.
    pub(super) fn empty_list_in(&self, url: &str, lang: &Language) -> bool {
        lang.code != self.cfg.default_language().code
            && !lang.show_untranslated
            && self
                .cfg
                .schemas
                .all()
                .into_iter()
                .filter(|c| c.has_list())
                .find(|c| self.in_lang(&format!("/{}/", c.name()), &lang.code) == url)
                .is_some_and(|c| {
                    let items = self.graph.lists.get(&c).map_or(&[][..], Vec::as_slice);
                    self.count_in(items, &lang.code) == 0
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
