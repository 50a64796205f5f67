//! Template view structs: THE THEME CONTRACT. Everything a template can read is a field here,
//! serialised as is; `docs/theme.md` mirrors this file. Dates and numbers are pre-formatted.

use std::borrow::Cow;
use std::sync::Arc;

use serde::Serialize;

use crate::content::collections::ResultRow;
use crate::markdown::Rendered;

/// A document's card as a page of one language shows it, without a copy; a page fingerprint
/// sees its digest (which covers the card's words in every language).
#[derive(Debug, Clone, Copy)]
pub(crate) struct CardRef<'a> {
    pub card: &'a Card,
    pub digest: u128,
    /// The card's words in the page's language, when the page shows the document untranslated
    /// (see [`Card::local`]); templates see them in place of the card's own.
    pub local: Option<&'a CardLocal>,
    /// Where the card as the theme's own `partials/card.html` draws it in the page's language is
    /// (see `super::cards::Drawn`), for a card in a list; templates see it as `card.drawn`, null
    /// without it.
    pub drawn: Option<super::cards::Draw<'a>>,
}

impl Serialize for CardRef<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if !s.is_human_readable() {
            return s.serialize_u128(self.digest);
        }
        // One flat card in the page's language: a list page serializes only the words it shows,
        // not every language's (the `untranslated: show` build cost, issue 16).
        if let Some(d) = self.drawn
            && d.alone()
            && let Some(drawn) = d.get(*self)
        {
            return DrawnCard { drawn }.serialize(s);
        }
        let c = self.card;
        let (collection_label, date_display, regions) = match self.local {
            Some(l) => (&l.collection_label, &l.date_display, &l.regions),
            None => (&c.collection_label, &c.date_display, &c.regions),
        };
        CardView {
            title: &c.title,
            url: &c.url,
            summary: &c.summary,
            collection: c.collection,
            collection_label,
            lang: &c.lang,
            dir: crate::bidi::language_dir(&c.lang),
            date: &c.date,
            date_display,
            year: &c.year,
            regions,
            topics: &c.topics,
            file: &c.file,
            thumb: &c.thumb,
            drawn: self.drawn.and_then(|d| d.get(*self)),
        }
        .serialize(s)
    }
}

/// A card in a list as templates see it when every template is the theme's own: its drawing
/// (see `super::cards::Draw::alone`).
#[derive(Serialize)]
struct DrawnCard<'a> {
    drawn: &'a super::theme::Shared,
}

/// `card` as templates see it: [`Card`] in the page's language (see [`CardRef`]).
#[derive(Serialize)]
struct CardView<'a> {
    title: &'a str,
    url: &'a str,
    summary: &'a str,
    collection: &'static str,
    collection_label: &'a str,
    lang: &'a str,
    /// The direction `lang` is written in ("rtl" or "ltr", as `site.dir`): a card shown
    /// untranslated on a page that reads the other way is marked with it.
    dir: &'static str,
    date: &'a str,
    date_display: &'a str,
    year: &'a str,
    regions: &'a [TermView],
    topics: &'a [TermView],
    file: &'a Option<FileView>,
    thumb: &'a Option<crate::media::Picture>,
    drawn: Option<&'a super::theme::Shared>,
}

/// Rendered HTML (a document body or a video transcript) shared with the page context without a
/// copy. Templates see a string; a page fingerprint (see [`super::fingerprint`], the one
/// serializer that is not human-readable) sees its digest.
#[derive(Debug, Clone, Default)]
pub(crate) struct Html {
    rendered: Option<Arc<Rendered>>,
    /// The HTML, when a one-off build took it out of `rendered` (see [`super::Bodies`]).
    taken: Option<Arc<String>>,
}

impl Html {
    pub(crate) fn of(r: &Arc<Rendered>) -> Html {
        Html {
            rendered: Some(r.clone()),
            taken: None,
        }
    }

    /// `r` with its HTML `html` (taken out of it, see [`super::Bodies`]).
    pub(crate) fn taken(r: &Arc<Rendered>, html: Arc<String>) -> Html {
        Html {
            rendered: Some(r.clone()),
            taken: Some(html),
        }
    }
}

impl Serialize for Html {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match (&self.rendered, &self.taken) {
            (Some(r), _) if !s.is_human_readable() => s.serialize_u128(r.digest),
            (_, Some(h)) => s.serialize_str(h),
            (Some(r), None) => match r.with_html(|h| s.serialize_str(h)) {
                Ok(done) => done,
                Err(e) => Err(serde::ser::Error::custom(format!("{e:#}"))),
            },
            (None, None) => s.serialize_str(""),
        }
    }
}

/// `site`: available in every template.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SiteView {
    pub title: String,
    /// The language of `title` when it is not the page's: a language with no `title:` of its
    /// own shows the default language's (empty otherwise).
    pub title_lang: String,
    pub description: String,
    pub language: String,
    /// The direction the language is written in: "rtl" (Arabic, Hebrew…) or "ltr" (see
    /// `crate::bidi::language_dir`); the built-in theme writes `<html dir="rtl">` for the first.
    pub dir: &'static str,
    pub base_url: String,
    pub base_path: String,
    /// The home page in the page's language (`/es/`): the start of its other generated pages'
    /// addresses (`{{ site.home_url }}regions/`).
    pub home_url: String,
    pub menu: Vec<MenuView>,
    pub feed_url: String,
    pub search_url: String,
    /// The newest content year (for the footer), not the clock: builds stay reproducible.
    pub year: String,
    /// Stylesheet or script → the name to link it by, content-hashed in a build:
    /// `{{ site.base_path }}{{ site.assets["css/lmp.css"] }}` (see `Theme::fingerprint`).
    pub assets: std::collections::BTreeMap<String, String>,
    /// The icon every page names (`{{ site.base_path }}{{ site.icon }}`, of type
    /// `site.icon_type`): the site's own `static/favicon.svg`, `.png` or `.ico`, else the
    /// theme's; empty when there is none.
    pub icon: String,
    pub icon_type: String,
    /// The site's title or a menu item's name in this language has a right-to-left letter (see
    /// `crate::bidi::has_rtl`); part of a page's `rtl_text`, not a field of `site`.
    #[serde(skip)]
    pub rtl_text: bool,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct MenuView {
    pub name: String,
    pub url: String,
    /// The language of the page it leads to when that is not the page's (a page not translated).
    pub hreflang: String,
    /// The language of `name` when it is not the page's: a language with no `menu:` of its own
    /// shows the default language's (empty otherwise).
    pub lang: String,
    pub active: bool,
}

/// `page`: what every template knows about the page being rendered.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageView {
    pub title: String,
    pub description: String,
    pub url: String,
    pub permalink: String,
    pub kind: &'static str,
    pub breadcrumbs: Vec<Crumb>,
    pub updated: String,
    pub updated_display: String,
    pub og_type: &'static str,
    /// The share card (`og:image`): full URL, its alt text and size.
    pub image: String,
    pub image_alt: String,
    pub image_width: u32,
    pub image_height: u32,
    /// The page shows highlighted code (so it needs `syntax.css`).
    pub has_code: bool,
    /// The page's language code (`en`, `es`).
    pub lang: String,
    /// The page in every language it exists in (itself included, `current`), in the order of
    /// the site's languages; empty when it has no translation. For `hreflang` links and the
    /// language switcher.
    pub alternates: Vec<Alternate>,
    /// Full URL of the default language's version (`hreflang="x-default"`); empty without
    /// alternates.
    pub x_default: String,
    /// On a generated list of a language that hides untranslated documents and has none there
    /// (see `Input::empty_in`): the default language's version, which the page offers instead
    /// (the page itself is `noindex` and no version of another). `None` elsewhere.
    pub original: Option<Alternate>,
}

/// A link to a page of the site: its address, and the language of that page when it is not the
/// linking page's (`hreflang`), else "".
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LinkView {
    pub url: String,
    pub hreflang: String,
}

/// The search page of another language, offered when a query finds nothing in the page's
/// language.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Elsewhere {
    pub lang: String,
    /// Its search page's address (the query is added in the browser).
    pub url: String,
    /// The offer in that language, `{q}` the query: "Buscar “{q}” en las páginas en español".
    pub text: String,
}

/// The same page in one language.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Alternate {
    pub lang: String,
    /// The direction that language is written in ("rtl" or "ltr", as `site.dir`): the
    /// language switch marks a link whose name reads the other way than the page.
    pub dir: &'static str,
    /// The language's name in itself (`Español`).
    pub name: String,
    pub url: String,
    pub permalink: String,
    pub current: bool,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Crumb {
    pub name: String,
    pub url: String,
}

/// A taxonomy term as a link.
#[derive(Debug, Clone)]
pub(crate) struct TermView {
    pub slug: String,
    pub name: String,
    /// The language of `name` when it is not the page's (a term with no name in the page's
    /// language shows the default language's), else "". Templates mark it `lang="…"`.
    pub lang: String,
    pub url: String,
    pub count: usize,
    /// These fields as one template value, made with the view (see [`TermView::shared`]) and
    /// shared by every page and card that shows the term: pages and cards show the few hundred
    /// terms of a site about 330,000 times at 10,000 documents, each made into a template value
    /// anew before. Not a field for templates; made from the fields, so a view whose fields
    /// change must be made again.
    pub value: Option<Arc<super::theme::Shared>>,
    /// `name` has a right-to-left letter (see `crate::bidi::has_rtl`), told once for every page that
    /// shows the term; made with the value. Not a field for templates.
    pub rtl_text: bool,
}

impl TermView {
    /// This view with its template value (and `rtl_text`).
    pub(crate) fn shared(mut self) -> TermView {
        self.value = super::theme::Shared::of(&self).map(Arc::new);
        self.rtl_text = crate::bidi::has_rtl(&self.name);
        self
    }
}

impl Serialize for TermView {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // The fingerprint (not human-readable) reads the fields: a digest of them, not of a
        // value's reference.
        if s.is_human_readable()
            && let Some(v) = &self.value
        {
            return v.serialize(s);
        }
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("TermView", 5)?;
        st.serialize_field("slug", &self.slug)?;
        st.serialize_field("name", &self.name)?;
        st.serialize_field("lang", &self.lang)?;
        st.serialize_field("url", &self.url)?;
        st.serialize_field("count", &self.count)?;
        st.end()
    }
}

/// A document in a list.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Card {
    pub title: String,
    pub url: String,
    pub summary: String,
    pub collection: &'static str,
    pub collection_label: String,
    /// The document's language: a card of an untranslated document on another language's page
    /// says so (`lang`).
    pub lang: String,
    pub date: String,
    pub date_display: String,
    pub year: String,
    pub regions: Vec<TermView>,
    pub topics: Vec<TermView>,
    /// Tools only: the downloadable file.
    pub file: Option<FileView>,
    /// A 16:9 thumbnail of the lead image, or `null`.
    pub thumb: Option<crate::media::Picture>,
    /// For a document shown untranslated on another language's pages: per language code, the
    /// card's words in that language (its label, date and region names; QA Q51). Not a template
    /// field: a page's [`CardRef`] shows the ones of its language in place of the card's own.
    pub local: std::collections::BTreeMap<String, CardLocal>,
    /// The title or the summary has a right-to-left letter (see `crate::bidi::has_rtl`), told once
    /// for every page that shows the card. Not a field for templates.
    #[serde(skip)]
    pub rtl_text: bool,
}

/// The words of a card in the language of the page that shows it (see [`Card::local`]).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CardLocal {
    pub collection_label: String,
    pub date_display: String,
    pub regions: Vec<TermView>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct FileView {
    pub url: String,
    /// The full address (printed instead of the download button).
    pub permalink: String,
    pub name: String,
    pub size_display: String,
    #[serde(rename = "type")]
    pub kind: String,
}

pub(crate) use crate::media::ImageView;

/// A region's figures, pre-formatted (`1,347`), empty when absent.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct FiguresView {
    pub members: String,
    pub members_display: String,
    pub medical_offices: String,
    pub medical_offices_label: String,
    pub hospitals: String,
    pub ubts: String,
    pub high_performing_ubts: String,
    pub share_percent: String,
    pub as_of: String,
    pub as_of_display: String,
    pub served_area: String,
    pub council_since: String,
}

/// `doc`: one document. Collection-specific fields are empty when they do not apply.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DocView<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    /// QA Q71: `summary`, `image_caption` and `image_credit` as inline HTML when written in
    /// markdown (links, emphasis, code); empty otherwise, when the plain field is all there is.
    /// (`summary` and the others hold the plain text, for cards, feeds and meta tags.)
    pub summary_html: &'a str,
    pub image_caption_html: &'a str,
    pub image_credit_html: &'a str,
    pub url: String,
    pub collection: &'static str,
    pub collection_label: String,
    pub date: String,
    pub date_display: String,
    pub updated: String,
    pub updated_display: String,
    /// `reviewed:` (ISO) and as shown; empty when absent.
    pub reviewed: String,
    pub reviewed_display: String,
    /// "Edit this page": `edit_url` of config.yaml with `{path}` filled in; empty without it.
    pub edit_url: String,
    pub body: Html,
    pub toc: &'a [crate::markdown::TocEntry],
    pub word_count: usize,
    pub reading_minutes: usize,
    pub regions: Vec<Cow<'a, TermView>>,
    pub topics: Vec<Cow<'a, TermView>>,
    pub audiences: Vec<Cow<'a, TermView>>,
    pub series: Vec<Cow<'a, TermView>>,
    pub related: Vec<CardRef<'a>>,
    // story
    pub author: &'a str,
    pub featured: bool,
    pub image: Option<ImageView>,
    pub video: Option<CardRef<'a>>,
    // guide
    pub duration: &'a str,
    pub tools: Vec<CardRef<'a>>,
    // practice
    pub region: Option<Cow<'a, TermView>>,
    pub department: &'a str,
    pub team: &'a str,
    pub results: &'a [ResultRow],
    // tool
    pub kind: &'a str,
    pub kind_label: String,
    pub file: Option<FileView>,
    // video
    pub transcript: Html,
    /// A hosted video file's URL and MIME type (`video/mp4`); empty otherwise.
    pub src: String,
    pub src_type: &'static str,
    /// `embed:` as written; for a YouTube or Vimeo video also `service` ("YouTube"), `watch_url`
    /// (the link shown with JavaScript off) and `player` (youtube-nocookie.com or Vimeo with
    /// `dnt=1`, loaded only after the reader clicks). The poster is `image`.
    pub embed: &'a str,
    pub service: &'static str,
    pub watch_url: String,
    pub player: String,
    pub captions: String,
    // research
    pub year: String,
    pub publisher: &'a str,
    pub authors: &'a [String],
    pub link: &'a str,
    // region
    pub figures: Option<FiguresView>,
    pub stories: Vec<CardRef<'a>>,
    pub practices: Vec<CardRef<'a>>,
    /// Fields added in config (`collections:`), by name, as written (normalised).
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    /// Per text field (`author`, `duration`, `transcript`, … and the config-added ones): the
    /// language of the value shown when a translation took it from its original (`en`), else
    /// "". Templates mark such a value `lang="{{ doc.lang_of.author }}"`.
    pub lang_of: LangOf<'a>,
}

/// `doc.lang_of` (see [`DocView::lang_of`]): a document's own, or the one every document that
/// is not a translation and has no text field of its own from config shows (every field "").
/// That one is made and serialised once per build ([`SameLangs`]): made and serialised for
/// each page it was about 12,000 instructions a document page (~120 million at 10,000
/// documents, in English and Spanish alike).
#[derive(Debug, Clone)]
pub(crate) enum LangOf<'a> {
    Own(std::collections::BTreeMap<String, String>),
    Same(&'a SameLangs),
}

/// The `lang_of` of every document that is not a translation and has only the built-in text
/// fields: each field in the page's own language (""), with its template value.
#[derive(Debug)]
pub(crate) struct SameLangs {
    map: std::collections::BTreeMap<String, String>,
    value: Option<super::theme::Shared>,
}

impl SameLangs {
    pub(crate) fn new() -> SameLangs {
        let map: std::collections::BTreeMap<String, String> = crate::content::i18n::TEXT_FIELDS
            .iter()
            .map(|k| (k.to_string(), String::new()))
            .collect();
        SameLangs::of(map)
    }

    fn of(map: std::collections::BTreeMap<String, String>) -> SameLangs {
        let value = super::theme::Shared::of(&map);
        SameLangs { map, value }
    }
}

/// The `lang_of` of every translation with only the built-in text fields, made and serialised
/// once per language and set of fields it inherits from its original (a handful per site):
/// made for each translation's page, it was ~16,000 instructions a page (issue 16: 33 million
/// of the template stage at 2,003 translations, work the English pages never do).
#[derive(Debug, Default)]
pub(crate) struct TranslatedLangs {
    /// Per document, its entry of `made` (`u32::MAX`: none, its page makes its own).
    of_doc: Vec<u32>,
    made: Vec<SameLangs>,
}

impl TranslatedLangs {
    pub(crate) fn new(
        cfg: &crate::config::Config,
        docs: &[std::sync::Arc<crate::content::Document>],
    ) -> TranslatedLangs {
        use crate::content::i18n::{TEXT_FIELDS, field_langs};
        const _: () = assert!(TEXT_FIELDS.len() <= 32, "one bit a field");
        if docs.iter().all(|d| d.translation.is_none()) {
            return TranslatedLangs::default();
        }
        let mut keys: std::collections::HashMap<(&str, u32), u32> = Default::default();
        let mut made = Vec::new();
        let of_doc = docs
            .iter()
            .map(|d| {
                let Some(t) = &d.translation else {
                    return u32::MAX;
                };
                // A field of its own from config: its page makes its own (see `field_langs`).
                if d.extra.values().any(|v| v.is_string()) {
                    return u32::MAX;
                }
                // The text fields among its own keys (a few): a look-up of each of the fifteen
                // fields in its keys was 3 million instructions at 2,003 translations.
                let own = t
                    .own
                    .keys()
                    .filter_map(|k| TEXT_FIELDS.iter().position(|f| f == k))
                    .fold(0u32, |m, n| m | 1 << n);
                *keys.entry((d.lang.as_str(), own)).or_insert_with(|| {
                    made.push(SameLangs::of(field_langs(cfg, d)));
                    (made.len() - 1) as u32
                })
            })
            .collect();
        TranslatedLangs { of_doc, made }
    }

    /// The `lang_of` of document `i`, when it is one made here.
    pub(crate) fn of(&self, i: usize) -> Option<&SameLangs> {
        self.made.get(*self.of_doc.get(i)? as usize)
    }
}

impl LangOf<'_> {
    pub(crate) fn get(&self, key: &str) -> Option<&String> {
        match self {
            LangOf::Own(m) => m.get(key),
            LangOf::Same(s) => s.map.get(key),
        }
    }

    /// The map to change (a copy of the shared one, made on first change).
    fn own(&mut self) -> &mut std::collections::BTreeMap<String, String> {
        if let LangOf::Same(s) = self {
            *self = LangOf::Own(s.map.clone());
        }
        match self {
            LangOf::Own(m) => m,
            LangOf::Same(_) => unreachable!("made its own just above"),
        }
    }

    pub(crate) fn get_mut(&mut self, key: &str) -> Option<&mut String> {
        self.own().get_mut(key)
    }

    pub(crate) fn insert(&mut self, key: String, value: String) -> Option<String> {
        self.own().insert(key, value)
    }
}

/// Templates see the map; a page fingerprint too (the shared template value is only for
/// templates: see [`super::theme::Shared`]).
impl Serialize for LangOf<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            LangOf::Own(m) => m.serialize(s),
            LangOf::Same(same) => match &same.value {
                Some(v) if s.is_human_readable() => v.serialize(s),
                _ => same.map.serialize(s),
            },
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct CollectionView {
    pub name: &'static str,
    pub label: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
    /// Pages were left out before this one (show an ellipsis).
    pub gap_before: bool,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Pagination {
    pub current: usize,
    pub total: usize,
    pub prev_url: String,
    pub next_url: String,
    pub pages: Vec<PageLink>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct TaxonomyView {
    pub name: String,
    pub label: String,
    pub url: String,
}

/// A row of the national table.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RegionRow {
    /// The region's name in the page's language (its page's title there, or `terms: regions:`).
    pub title: String,
    pub url: String,
    /// The language of the page `url` leads to when it is not the page's, else "".
    pub hreflang: String,
    pub served_area: String,
    pub members_display: String,
    pub medical_offices: String,
    pub medical_offices_label: String,
    pub hospitals: String,
    pub ubts: String,
    pub high_performing_ubts: String,
    pub share_percent: String,
    /// 0–100, for drawing bars; 0 when the region has no team figures.
    pub share: i64,
    pub has_teams: bool,
    /// For `title`, `served_area`, `members_display`, `medical_offices_label`: the language of
    /// the text shown when it is not the page's (a region not translated, or a text its
    /// translation took from the original), else "".
    pub lang_of: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Totals {
    pub ubts: String,
    pub high_performing_ubts: String,
    pub share_percent: String,
    pub regions_with_teams: usize,
    pub as_of_display: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct HomeView {
    pub title: String,
    pub summary: String,
    pub body: Html,
}
