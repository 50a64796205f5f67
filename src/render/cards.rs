//! Cards and terms: the compact view of a document that lists, related links and document
//! pages show, built once per build (in parallel) and shared by every page that shows it; the
//! terms of a taxonomy as links; attached files.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::view::*;
use super::{CardMemo, Cards, Input, fingerprint, theme};
use crate::content::collections::{Collection, Fields};
use crate::content::taxonomy::Taxonomy;

impl Input<'_> {
    /// The address of a term's page in a language: `/es/topics/x/` (slugs are shared); a region's
    /// is its region page's translation, or the original's when it has none.
    pub(super) fn term_url(&self, tax: Taxonomy, slug: &str, lang: &str) -> String {
        if tax == Taxonomy::Regions {
            let g = self.graph;
            match g.index_of_slug(Collection::Regions, slug) {
                Some(i) => self
                    .cfg
                    .url(&g.docs[g.translation_in(i, lang).unwrap_or(i)].url),
                None => self.cfg.url(&Collection::Regions.url_for(slug)),
            }
        } else {
            self.cfg
                .url(&self.in_lang(&format!("/{tax}/{slug}/"), lang))
        }
    }

    /// Views of a document's terms in language `lang`, from the table built once per build.
    pub(super) fn term_refs(
        &self,
        tax: Taxonomy,
        slugs: &[String],
        lang: &str,
    ) -> Vec<std::borrow::Cow<'_, TermView>> {
        let views = self.term_views.get(&(lang.to_string(), tax));
        slugs
            .iter()
            .map(|s| match views.and_then(|t| t.get(s)) {
                Some(v) => std::borrow::Cow::Borrowed(v),
                None => std::borrow::Cow::Owned(
                    self.terms(tax, std::slice::from_ref(s), lang)
                        .pop()
                        .expect("one view per slug"),
                ),
            })
            .collect()
    }

    /// Every term's view, per (language, taxonomy). Each on a thread of the pool: a language
    /// with `untranslated: hide` counts each term's translated documents, on the one thread the
    /// pages wait for.
    pub(super) fn term_table(&self) -> HashMap<(String, Taxonomy), HashMap<String, TermView>> {
        let parts: Vec<(&crate::config::Language, Taxonomy, &Vec<_>)> = self
            .cfg
            .languages
            .iter()
            .flat_map(|lang| {
                self.graph
                    .taxonomies
                    .iter()
                    .map(move |(tax, terms)| (lang, *tax, terms))
            })
            .collect();
        parts
            .into_par_iter()
            .map(|(lang, tax, terms)| {
                let slugs: Vec<String> = terms.iter().map(|t| t.slug.clone()).collect();
                let views = self.terms(tax, &slugs, &lang.code);
                (
                    (lang.code.clone(), tax),
                    slugs.into_iter().zip(views).collect(),
                )
            })
            .collect()
    }

    /// Views of terms in a language: name, page address and how many documents its page lists.
    pub(super) fn terms(&self, tax: Taxonomy, slugs: &[String], lang: &str) -> Vec<TermView> {
        let terms = self.graph.taxonomies.get(&tax);
        slugs
            .iter()
            .map(|s| {
                let t = terms.and_then(|ts| ts.iter().find(|t| &t.slug == s));
                TermView {
                    slug: s.clone(),
                    name: self.term_name(tax, s, lang),
                    lang: self.term_name_lang(tax, s, lang),
                    url: self.term_url(tax, s, lang),
                    count: t.map(|t| self.count_in(&t.docs, lang)).unwrap_or(0),
                    value: None,
                    rtl_text: false,
                }
                .shared()
            })
            .collect()
    }

    /// A file of the site as a page of language `lang` shows it (its type and size in words of
    /// that language).
    pub(super) fn file_view(&self, path: &str, lang: &str) -> FileView {
        let abs = self.graph_site_static(path);
        let size = crate::fsx::file_size(&abs).unwrap_or(0);
        let name = path.rsplit('/').next().unwrap_or(path).to_string();
        FileView {
            url: self.cfg.file_url(path),
            permalink: self.cfg.file_permalink(path),
            kind: super::strings::file_type(&name, self.strings(lang)),
            name,
            size_display: super::strings::size(size, self.strings(lang)),
        }
    }

    pub(super) fn graph_site_static(&self, path: &str) -> std::path::PathBuf {
        match self.theme.statics.get(path.trim_start_matches('/')) {
            Some(theme::StaticSource::File(p)) => p.clone(),
            _ => std::path::PathBuf::new(),
        }
    }

    pub(super) fn card(&self, i: usize) -> Card {
        let d = &self.graph.docs[i];
        let (date, date_display) = match d.common.date {
            Some(dt) => (dt.to_string(), self.date_in(dt, &d.lang)),
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
            collection_label: self.collection_label(d.collection, &d.lang, false),
            lang: d.lang.clone(),
            date,
            date_display,
            year,
            // From the table of term views built once per build: a view's `count` in a language
            // with `untranslated: hide` counts the term's translated documents, which made each
            // card of such a language walk its terms' document lists (issue 16's build time).
            regions: self
                .term_refs(
                    Taxonomy::Regions,
                    self.graph.doc_terms(d, Taxonomy::Regions),
                    &d.lang,
                )
                .into_iter()
                .map(std::borrow::Cow::into_owned)
                .collect(),
            topics: self
                .term_refs(Taxonomy::Topics, &d.common.topics, &d.lang)
                .into_iter()
                .map(std::borrow::Cow::into_owned)
                .collect(),
            file: match &d.fields {
                Fields::Tool(t) => Some(self.file_view(&t.file, &d.lang)),
                _ => None,
            },
            thumb: self.lead_image(d).and_then(|v| v.thumb),
            local: self.card_local(i),
            rtl_text: crate::bidi::has_rtl(&d.common.title)
                || d.common
                    .summary
                    .as_deref()
                    .is_some_and(crate::bidi::has_rtl),
        }
    }

    /// The words of document `i`'s card in each other language whose pages show it untranslated
    /// (a document with no translation in a language that shows untranslated documents; a video
    /// or a tool in every language, as a story's video and a guide's tools are part of the page,
    /// shown even where `untranslated: hide` leaves the document out of lists).
    fn card_local(&self, i: usize) -> std::collections::BTreeMap<String, CardLocal> {
        let g = self.graph;
        let d = &g.docs[i];
        let mut out = std::collections::BTreeMap::new();
        if d.translation.is_some() {
            return out;
        }
        for lang in &self.cfg.languages {
            let embedded = matches!(d.collection, Collection::Videos | Collection::Tools);
            if lang.code == d.lang
                || !(lang.show_untranslated || embedded)
                || g.translation_in(i, &lang.code).is_some_and(|j| j != i)
            {
                continue;
            }
            out.insert(
                lang.code.clone(),
                CardLocal {
                    collection_label: self.collection_label(d.collection, &lang.code, false),
                    date_display: d
                        .common
                        .date
                        .map(|dt| self.date_in(dt, &lang.code))
                        .unwrap_or_default(),
                    regions: self
                        .term_refs(
                            Taxonomy::Regions,
                            self.graph.doc_terms(d, Taxonomy::Regions),
                            &lang.code,
                        )
                        .into_iter()
                        .map(std::borrow::Cow::into_owned)
                        .collect(),
                },
            );
        }
        out
    }

    /// The cards of documents `idx` as a page of language `lang` shows them in a list (with
    /// their drawing, see [`Drawn`]).
    pub(super) fn cards(&self, idx: &[usize], lang: &str) -> Vec<CardRef<'_>> {
        let drawn = self.drawn.as_ref();
        let l = drawn.and_then(|d| d.langs.iter().position(|c| c == lang));
        idx.iter()
            .map(|&i| CardRef {
                drawn: drawn.zip(l).map(|(d, l)| Draw {
                    drawn: d,
                    theme: self.theme,
                    slot: i * d.langs.len() + l,
                    lang: l,
                }),
                ..self.cached_card(i, lang)
            })
            .collect()
    }

    /// Every document's card.
    pub(crate) fn all_cards(&self) -> &Arc<Cards> {
        &self.cards
    }

    /// Every document's card, in parallel, reusing those of `memo` with the same key. Without
    /// a memo (`lmp build`, `lmp check`: nothing is kept for a next build, and no page is
    /// fingerprinted, see `Reuse::Never`) a card has neither key nor digest (0): hashing every
    /// card's front matter (and a translation's original's too) and serialising every card for
    /// its digest was ~60 million instructions at 10,000 documents, ~80 million with 2,003
    /// translations, for values nothing read.
    pub(super) fn build_cards(&self, memo: Option<&CardMemo>) -> Arc<Cards> {
        let keyed = memo.is_some();
        let terms = if keyed { self.term_digest() } else { 0 };
        let ((cards, digests), keys) = (0..self.graph.docs.len())
            .into_par_iter()
            .map(|i| {
                if !keyed {
                    return ((Arc::new(self.card(i)), 0), 0);
                }
                let key = self.card_key(terms, i);
                if let Some((card, digest)) = memo.and_then(|m| m.get(&key)) {
                    return ((card.clone(), *digest), key);
                }
                let card = self.card(i);
                let digest = fingerprint::of("card", &card).unwrap_or_default();
                ((Arc::new(card), digest), key)
            })
            .unzip();
        Arc::new(Cards {
            cards,
            digests,
            keys,
            terms,
        })
    }

    /// What the card of document `i` is built from, given the digest of the term views: its
    /// path, URL and front matter. Config and theme (the files' sizes) are not in it: a change to
    /// either forgets the cards (see `crate::memo`).
    fn card_key(&self, terms: u128, i: usize) -> u128 {
        let d = &self.graph.docs[i];
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for part in [
            d.rel.as_bytes(),
            d.url.as_bytes(),
            d.front_matter().as_bytes(),
        ] {
            h.update(&(part.len() as u64).to_le_bytes());
            h.update(part);
        }
        // A translation's card shows what it inherits from its original.
        for &j in &self.graph.translations[i] {
            let o = &self.graph.docs[j];
            for part in [o.rel.as_bytes(), o.front_matter().as_bytes()] {
                h.update(&(part.len() as u64).to_le_bytes());
                h.update(part);
            }
        }
        h.update(&terms.to_le_bytes());
        h.digest128()
    }

    /// The digest of every term view (names, URLs, counts).
    pub(super) fn term_digest(&self) -> u128 {
        let table = &self.term_views;
        type Views<'t> = Vec<(&'t String, &'t TermView)>;
        let mut taxes: Vec<(&(String, Taxonomy), Views<'_>)> = table
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

    /// The card of document `i` as a page of language `lang` shows it.
    pub(super) fn cached_card(&self, i: usize, lang: &str) -> CardRef<'_> {
        let all = &self.cards;
        let card = &all.cards[i];
        CardRef {
            card,
            digest: all.digests[i],
            local: card.local.get(lang),
            drawn: None,
        }
    }
}

/// Every document's card as the theme's own `partials/card.html` draws it, per language of the
/// pages that show it, drawn on first use and then written as it is by every list that shows the
/// card (`card.drawn` in `partials/cards.html`): a document's card is shown on about nine pages
/// (its list, its terms', other documents' related lists, its region's page), and running the
/// card's template for each was a third of the template engine's work (1.26 of 4.0 billion
/// instructions at 10,000 documents). Made only when the site's `partials/card.html` is the
/// built-in one: that template reads nothing but `card`, `level`, `site.language` and `t`, so
/// one drawing per document and language is what every list would draw, with [`Drawn::LEVEL`]
/// where the heading level goes (the list puts its own). A site's own `partials/card.html` may
/// read anything in scope, so it runs for every card as before.
pub(crate) struct Drawn {
    /// Per document and language: `slots[doc * langs.len() + lang]`; `None` inside when the
    /// card could not be drawn ahead (the list then runs the template).
    slots: Vec<std::sync::OnceLock<Option<theme::Shared>>>,
    /// The site's language codes.
    langs: Vec<String>,
    /// The theme's words in each of them, serialised once (`t`).
    words: Vec<Option<theme::Shared>>,
    /// Every template is the built-in theme's: then a card in a list with a drawing is given to
    /// templates as its drawing alone (see [`Draw::alone`]).
    alone: bool,
}

impl Drawn {
    /// The template drawn ahead.
    const TEMPLATE: &'static str = "partials/card.html";
    /// What stands for the heading level in a drawing (`partials/cards.html` replaces it).
    pub(crate) const LEVEL: &'static str = "{level}";

    /// A searcher for [`Drawn::LEVEL`], built once.
    pub(crate) fn level_finder() -> &'static memchr::memmem::Finder<'static> {
        static FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
            std::sync::LazyLock::new(|| memchr::memmem::Finder::new(Drawn::LEVEL));
        &FINDER
    }

    /// Empty slots for every document's card, when the theme's card is the built-in one.
    pub(crate) fn new(input: &Input<'_>) -> Option<Drawn> {
        if !input.theme.is_builtin(Drawn::TEMPLATE) {
            return None;
        }
        let langs: Vec<String> = input.cfg.languages.iter().map(|l| l.code.clone()).collect();
        let words = langs
            .iter()
            .map(|l| theme::Shared::of(input.theme.strings.of(l)))
            .collect();
        let slots = (0..input.graph.docs.len() * langs.len())
            .map(|_| std::sync::OnceLock::new())
            .collect();
        Some(Drawn {
            slots,
            langs,
            words,
            alone: input.theme.only_builtin(),
        })
    }
}

/// Where a card in a list finds its drawing (see [`Drawn`]): drawn when a page's template
/// context is made, never for a fingerprint (an unchanged page in `lmp serve` draws nothing).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Draw<'a> {
    drawn: &'a Drawn,
    theme: &'a theme::Theme,
    slot: usize,
    /// The page's language (index in `drawn.langs`).
    lang: usize,
}

impl std::fmt::Debug for Drawn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Drawn(..)")
    }
}

impl<'a> Draw<'a> {
    /// Whether a card in a list that has a drawing is given to templates as `{drawn}` alone:
    /// when every template is the built-in theme's, which reads nothing else of such a card
    /// (`partials/cards.html` writes `card.drawn`; card.html runs only for a card without one).
    /// Making the rest of the card into a template value was about 5,000 instructions a card,
    /// and lists, related documents and region pages show 87,000 cards at 10,000 documents.
    /// A site with a template of its own gets every field, whatever its templates read.
    pub(crate) fn alone(self) -> bool {
        self.drawn.alone
    }

    /// The drawing of `card` (this card, without its drawing), drawn on first use; `None` when it
    /// cannot be drawn ahead.
    pub(crate) fn get(self, card: CardRef<'_>) -> Option<&'a theme::Shared> {
        let d = self.drawn;
        d.slots
            .get(self.slot)?
            .get_or_init(|| {
                let lang = d.langs.get(self.lang)?;
                let ctx = DrawCtx {
                    card: CardRef {
                        drawn: None,
                        ..card
                    },
                    level: Drawn::LEVEL,
                    site: DrawSite {
                        language: lang,
                        dir: crate::bidi::language_dir(lang),
                    },
                    rtl_text: card.card.rtl_text,
                };
                let words = d.words.get(self.lang)?.as_ref()?;
                let html = self
                    .theme
                    .render_with(Drawn::TEMPLATE, &ctx, &[("t", words)])
                    .ok()?;
                // The theme's card writes the level twice; a text of the card that says
                // `{level}` itself would be taken for it, so such a card is not drawn ahead.
                (Drawn::level_finder().find_iter(html.as_bytes()).count() == 2)
                    .then(|| theme::Shared::html(&html))
            })
            .as_ref()
    }
}

/// The context a card is drawn in: what the built-in `partials/card.html` reads (and `t`).
#[derive(serde::Serialize)]
struct DrawCtx<'a> {
    card: CardRef<'a>,
    level: &'static str,
    site: DrawSite<'a>,
    /// The card's title or summary has a right-to-left letter (the page's `rtl_text` for a card
    /// drawn in a page).
    rtl_text: bool,
}

#[derive(serde::Serialize)]
struct DrawSite<'a> {
    language: &'a str,
    dir: &'static str,
}
pub(super) trait UpperFirst {
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
