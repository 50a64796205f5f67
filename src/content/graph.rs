//! The content graph: which documents are published, their URLs (and collisions), the taxonomies
//! and their terms, references between documents and to files, related content, and how a
//! relative `.md` link from one document resolves to another's URL.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;

use super::Document;
use super::collections::{Collection, FieldType, Fields};
use super::taxonomy::Taxonomy;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, suggest};
use crate::util::Date;
use std::sync::Arc;

/// What to include besides published documents.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Include {
    pub drafts: bool,
    pub future: bool,
    pub expired: bool,
    /// The date that decides `publish_date` and `expiry_date`.
    pub today: Date,
}

/// A published document's `date` after today (QA Q132: `date: 2099-01-01`, or 2062 typed for
/// 2026, was published without a word, first in every list and the feed for decades): a warning
/// at the date. One day of slack: a date written in a time zone ahead of UTC may be tomorrow's.
fn future_date(d: &Document, today: Date) -> Option<Diagnostic> {
    let date = d.common.date?;
    // A translation has its original's date: the original's warning says it.
    if date.days() <= today.days() + 1
        || d.translation.is_some()
        || !d.positions.contains_key("date")
    {
        return None;
    }
    Some(
        d.warning_at(
            "date",
            format!(
                "`date: {date}` is in the future (today is {today}): the page is published now, dated {}, and listed before every other",
                date.display()
            ),
        )
        .with_help(format!(
            "if the year is a typo, correct it; to publish the page on that day, write today's date as `date` and add `publish_date: {date}`"
        )),
    )
}

/// Whether `on` is after `today`, with the one day of slack of [`future_date`] (a date written
/// in a time zone ahead of UTC may be tomorrow's).
pub(crate) fn after_today(on: Date, today: Date) -> bool {
    on.days() > today.days() + 1
}

/// A published document's own `updated:` or `reviewed:` after today (session 23): a page cannot
/// have been changed or checked on a day that has not come, and such a date marked every
/// translation of the page outdated until then ("set `reviewed:` to today's date" could not
/// help), or hid that a translation is. A warning at each; `lmp check --translations` leaves
/// such a date out (see `crate::content::i18n::coverage`).
fn future_changes(d: &Document, today: Date) -> Vec<Diagnostic> {
    [("updated", d.common.updated), ("reviewed", d.common.reviewed)]
        .into_iter()
        .filter_map(|(key, on)| {
            let on = on.filter(|&on| after_today(on, today))?;
            if !d.positions.contains_key(key) {
                return None;
            }
            let what = if key == "updated" { "changed" } else { "checked" };
            Some(
                d.warning_at(
                    key,
                    format!(
                        "`{key}: {on}` is in the future (today is {today}): a page cannot have been {what} on a day that has not come"
                    ),
                )
                .with_help(format!(
                    "write the day the page was last {what}, today ({today}) at the latest; if the year is a typo, correct it"
                )),
            )
        })
        .collect()
}

/// Hostile author s21: a published document's `date` before 1900 (`0202-05-01` typed for
/// 2022-05-01, `0001-01-01` from a CMS export's empty date) was published as "May 1, 202", last
/// in every list, without a word. A warning at the date, as for a date in the future. (Research
/// documents give their year in `year:`, not `date`.)
fn ancient_date(d: &Document) -> Option<Diagnostic> {
    let date = d.common.date?;
    if date.year >= 1900 || d.translation.is_some() || !d.positions.contains_key("date") {
        return None;
    }
    Some(
        d.warning_at(
            "date",
            format!(
                "`date: {date}` is before 1900: the page is dated {} and listed after every other",
                date.display()
            ),
        )
        .with_help(
            "if the year is a typo, correct it (four digits, e.g. `2022-05-01`); if the date is not known, remove the `date:` line where the collection allows it, or write the day the page was written",
        ),
    )
}

/// A translation whose own `slug:` is the name of another document in the default language
/// (hostile tester s17: `slug: hank-spring-2014` on ive-got-your-back.es.md): its address,
/// /es/stories/hank-spring-2014/, is the one that other document's translation takes, so readers
/// and editors take it for that document's Spanish page, and the build fails the day that
/// document is translated. An error at the slug. `urls` maps each address to the first document
/// that has it (the same address twice is already an error, not repeated here). Only translations
/// with a slug of their own are looked at: a site without them does no work.
///
/// `held`: the documents in the default language left out of this build as drafts or
/// scheduled (session 19): their address goes live the day they are published, and their
/// translation's with it, so a translation taking its name is the same error, which says when.
fn slugs_of_other_documents(
    cfg: &Config,
    docs: &[Arc<Document>],
    urls: &HashMap<&str, usize>,
    held: &[(Arc<Document>, &'static str)],
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        let Some(t) = &d.translation else { continue };
        if !t.own.contains_key("slug") || urls.get(d.url.as_str()) != Some(&i) {
            continue;
        }
        let prefix = cfg
            .lang(&d.lang)
            .map_or("/", |l| l.prefix.as_str())
            .trim_end_matches('/');
        let Some(path) = d.url.strip_prefix(prefix) else {
            continue;
        };
        let (other, when) = match urls.get(path).map(|&j| &docs[j]) {
            Some(o) => (o, String::new()),
            None => match held.iter().find(|(h, _)| h.url == path) {
                Some((h, why)) => {
                    let when = match h.common.publish_date {
                        Some(on) if *why == SCHEDULED => format!(
                            " (scheduled: published on {}, and this build fails from that day)",
                            on.display()
                        ),
                        _ => " (a draft: this build fails the day it is published)".to_string(),
                    };
                    (h, when)
                }
                None => continue,
            },
        };
        if other.translation.is_some() || other.rel == t.original {
            continue;
        }
        let own = docs
            .iter()
            .find(|o| o.rel == t.original)
            .map_or_else(String::new, |o| format!(" ({prefix}{})", o.url));
        diags.push(
            d.error_at(
                "slug",
                format!(
                    "`slug: {}` is the name of another document, {}{when}: {} is where its `{}` translation goes",
                    d.slug,
                    crate::diagnostics::display_path(&other.path),
                    d.url,
                    d.lang
                ),
            )
            .with_help(format!(
                "pick another slug for this translation, or remove `slug:` to keep its original's address{own}"
            )),
        );
    }
    diags
}

/// A taxonomy term with its display name.
#[derive(Debug, Clone)]
pub(crate) struct Term {
    pub slug: String,
    pub name: String,
    /// Indices of documents with the term, in list order (newest first).
    pub docs: Vec<usize>,
}

/// The published site as a graph of documents.
#[derive(Debug)]
pub(crate) struct Graph {
    /// Published documents, sorted by path.
    pub docs: Vec<Arc<Document>>,
    /// rel path → index in `docs`.
    pub by_rel: HashMap<String, usize>,
    /// (collection, slug) → index in `docs`.
    pub by_slug: HashMap<Collection, HashMap<String, usize>>,
    /// rel path of excluded documents → why (draft, future, expired).
    pub excluded: HashMap<String, &'static str>,
    /// Those of `excluded` that are translations (`stories/x.es.md`): "Left out" under
    /// "Checked 64 documents" counts documents as that line does, and translations apart.
    pub excluded_translations: HashSet<String>,
    /// rel path of a scheduled or expired document → its `publish_date` or `expiry_date`.
    pub excluded_on: HashMap<String, Date>,
    /// The date that decided what is published (see [`Include::today`]).
    pub today: Date,
    /// taxonomy → terms in definition order (regions: title order).
    pub taxonomies: BTreeMap<Taxonomy, Vec<Term>>,
    /// Per collection, document indices in list order (newest first).
    pub lists: BTreeMap<Collection, Vec<usize>>,
    /// Related documents per document (at most 4).
    pub related: Vec<Vec<usize>>,
    /// Per document, a digest of everything its related list is computed from (see
    /// [`related`]): the key `crate::memo` keeps the lists by.
    pub related_keys: Vec<u128>,
    /// Alias URL → target index.
    pub aliases: BTreeMap<String, usize>,
    /// Content files whose front matter has errors, by rel path: links to them resolve (their
    /// own errors are the root cause), references to them are errors that name that cause.
    pub broken: BTreeMap<String, Arc<crate::content::Stub>>,
    /// Per document, its translation group in the order of the site's languages (itself
    /// included), or nothing when it has no translation (see [`crate::content::i18n::resolve`]).
    pub translations: Vec<Vec<usize>>,
    /// [`Graph::translation_in`] for every document and language, as a table (see
    /// [`InLang`]).
    in_lang: InLang,
    /// What a link asks of the document it leads to, per document (see [`Targets`]).
    targets: Targets,
    /// The site's languages, code and name, the default language first (for messages: "a
    /// Spanish version exists").
    pub lang_names: Vec<(String, String)>,
}

/// Per document, what resolving a link to it reads: its URL ([`Graph::url_of`]) and whether it
/// has an `expiry_date` ([`Graph::expires`]), in tables apart from `docs`. Every `.md` link of
/// every page asks, once in the markdown stage and once in the link check: through `docs`
/// each answer read the linked document and then its URL's own allocation, two cache misses;
/// more for a translation, whose document and URL the graph stage made apart (session 14: with
/// 2,003 translations among 10,000 documents, the markdown stage's `resolve` took x9 the
/// samples of the English build's for x1.2 the pages).
#[derive(Debug, Default)]
struct Targets {
    /// The documents' URLs one after the other.
    urls: String,
    /// Where each document's URL ends in `urls` (it starts where the one before ends).
    ends: Vec<usize>,
    /// Whether each document has an `expiry_date`.
    expires: Vec<bool>,
    /// No document has a translation ([`Graph::link_target`] is the document itself).
    untranslated: bool,
}

impl Targets {
    /// From each document's URL and whether it has an `expiry_date`, in document order.
    fn new<'a>(docs: impl Iterator<Item = (&'a str, bool)>, untranslated: bool) -> Targets {
        let mut t = Targets {
            untranslated,
            ..Targets::default()
        };
        for (url, expires) in docs {
            t.urls.push_str(url);
            t.ends.push(t.urls.len());
            t.expires.push(expires);
        }
        t
    }

    fn url(&self, i: usize) -> &str {
        let start = match i {
            0 => 0,
            _ => self.ends[i - 1],
        };
        &self.urls[start..self.ends[i]]
    }
}

/// Per language of the site, per document: its translation in that language (itself when it is
/// in it), or [`InLang::NONE`]. Every list item of every list and term page asks for it once
/// per language, on the thread that plans the pages: through `docs` each answer read a
/// document and its language's text, then each member of its group and theirs (a cache miss
/// each, ~4 % of that thread's time at 10,000 documents with 20 % of them translated).
#[derive(Debug, Default)]
struct InLang {
    /// The site's language codes, in order: the table's rows.
    codes: Vec<String>,
    /// Per document, whether it is a translation (see [`Graph::link_target`]).
    translated: Vec<bool>,
    /// `rows[l][i]`: the translation of document `i` in language `codes[l]`.
    rows: Vec<Vec<u32>>,
}

impl InLang {
    const NONE: u32 = u32::MAX;

    /// The table for documents in languages `langs` (per document) with translation groups
    /// `translations`, for the site's languages `codes`. Documents are counted in `u32` (a
    /// site of 4 billion documents gets no table and asks through `docs`); a site without a
    /// translation gets none either.
    fn new(
        codes: Vec<String>,
        (langs, translated): (&[&str], Vec<bool>),
        translations: &[Vec<usize>],
    ) -> InLang {
        if u32::try_from(langs.len()).is_err() || translations.iter().all(Vec::is_empty) {
            return InLang::default();
        }
        let row_of: Vec<Option<usize>> = langs
            .iter()
            .map(|lang| codes.iter().position(|c| c == lang))
            .collect();
        let mut rows = vec![vec![InLang::NONE; langs.len()]; codes.len()];
        for (i, group) in translations.iter().enumerate() {
            // Itself first, then the first member in each other language (as `find` did).
            for &j in std::iter::once(&i).chain(group) {
                if let Some(l) = row_of[j]
                    && rows[l][i] == InLang::NONE
                {
                    rows[l][i] = j as u32;
                }
            }
        }
        InLang {
            codes,
            translated,
            rows,
        }
    }

    /// [`Graph::link_target`] when the table has language `lang` (a link resolves once per
    /// link of every page: through `docs` it read the linked document for whether it is a
    /// translation, a cache miss of its own).
    fn link_target(&self, i: usize, lang: &str) -> Option<usize> {
        match self.translated.get(i)? {
            true => Some(i),
            false => Some(self.get(i, lang)?.unwrap_or(i)),
        }
    }

    /// `Some(answer)` when the table has language `lang` (`Some(None)`: no translation there);
    /// `None` when it does not, and `docs` must be asked.
    fn get(&self, i: usize, lang: &str) -> Option<Option<usize>> {
        InLang::at(self.row(lang)?, i)
    }

    /// The row of language `lang`, when the table has it.
    fn row(&self, lang: &str) -> Option<&[u32]> {
        // Codes are a few bytes (`en`, `es`, `pt-BR`): compared here byte by byte, not through
        // `memcmp` (a call per code, per link of every page).
        let same =
            |c: &String| c.len() == lang.len() && c.bytes().zip(lang.bytes()).all(|(a, b)| a == b);
        let l = self.codes.iter().position(same)?;
        Some(&self.rows[l])
    }

    /// [`InLang::get`] in a row already found.
    fn at(row: &[u32], i: usize) -> Option<Option<usize>> {
        let j = *row.get(i)?;
        Some((j != InLang::NONE).then_some(j as usize))
    }
}

/// What language `lang` shows of the default-language document `i`, whose translation in
/// `lang` is `translation` (`i` itself when `lang` is the default language): that translation,
/// else `i` when the language shows untranslated documents (`untranslated: show`, marked as
/// in their own language), else nothing (`untranslated: hide`). The one place this rule is
/// written: a language's lists, term pages and counts ([`Graph::shown_by`], through
/// `render::langs`), a region's page, and the documents a translation's related list is chosen
/// among (`related`) all follow it.
pub(crate) fn shown(
    i: usize,
    translation: Option<usize>,
    lang: &crate::config::Language,
) -> Option<usize> {
    translation.or_else(|| lang.show_untranslated.then_some(i))
}

impl Graph {
    /// [`shown`] for default-language documents in language `lang`, the language looked up once (a
    /// language's lists, term pages and counts ask it for every item, on the thread that plans
    /// the pages: looking the language up by its code for each was ~100 instructions an item,
    /// ~16 M at 10,000 documents with `untranslated: hide`).
    pub(crate) fn shown_by<'g>(
        &'g self,
        lang: &'g crate::config::Language,
    ) -> impl Fn(usize) -> Option<usize> + 'g {
        let row = self.in_lang.row(&lang.code);
        move |i| {
            let found = row.and_then(|r| InLang::at(r, i));
            let translation = match found {
                Some(found) => found,
                None => self.translation_in(i, &lang.code),
            };
            shown(i, translation, lang)
        }
    }

    /// The translation of document `i` in language `lang` (itself when it is in `lang`).
    pub(crate) fn translation_in(&self, i: usize, lang: &str) -> Option<usize> {
        if let Some(found) = self.in_lang.get(i, lang) {
            return found;
        }
        if self.docs.get(i)?.lang == lang {
            return Some(i);
        }
        self.translations
            .get(i)?
            .iter()
            .copied()
            .find(|&j| self.docs[j].lang == lang)
    }

    /// Where a link written in a page of language `lang` to document `i` leads: a link to an
    /// original (`guides/x.md`) leads to its translation in `lang` when there is one; a link to a
    /// translation (`guides/x.es.md`), or to an original without one, to the document itself.
    pub(crate) fn link_target(&self, i: usize, lang: &str) -> usize {
        if let Some(target) = self.in_lang.link_target(i, lang) {
            return target;
        }
        if self.targets.untranslated {
            // No document has a translation: every link leads to its own target.
            return i;
        }
        match self.docs.get(i) {
            Some(d) if d.translation.is_none() => self.translation_in(i, lang).unwrap_or(i),
            _ => i,
        }
    }

    /// The URL of document `i` (`docs[i].url`), from [`Targets`].
    pub(crate) fn url_of(&self, i: usize) -> &str {
        self.targets.url(i)
    }

    /// Whether document `i` has an `expiry_date` (`docs[i].common.expiry_date`), from
    /// [`Targets`].
    pub(crate) fn expires(&self, i: usize) -> bool {
        self.targets.expires.get(i).copied().unwrap_or(false)
    }

    pub(crate) fn index_of_slug(&self, c: Collection, slug: &str) -> Option<usize> {
        self.by_slug.get(&c)?.get(slug).copied()
    }

    /// Term slugs of a document for a taxonomy (a practice's `region` counts as its regions).
    pub(crate) fn doc_terms<'a>(&self, d: &'a Document, taxonomy: Taxonomy) -> &'a [String] {
        doc_terms(d, taxonomy)
    }

    pub(crate) fn term_name<'a>(&'a self, taxonomy: Taxonomy, slug: &'a str) -> &'a str {
        self.taxonomies
            .get(&taxonomy)
            .and_then(|ts| ts.iter().find(|t| t.slug == slug))
            .map(|t| t.name.as_str())
            .unwrap_or(slug)
    }

    /// Resolve a relative `.md` link written in a page `from` of language `lang`: the document
    /// the link names and the one it leads to ([`Graph::link_target`]: a link to an original
    /// follows the page's language). A link that names the default language in its file name
    /// (`../guides/huddle.en.md`, as a translation is named `huddle.es.md`; no such file can
    /// exist, see [`crate::content::i18n::undeclared`]) names the original on purpose and leads to
    /// it in every language (session 24: an editor linking "the English original" from a Spanish
    /// page had no way to say so). Looked for only when the name is not a file.
    pub(crate) fn resolve_link(
        &self,
        from: &str,
        link: &str,
        lang: &str,
    ) -> Result<(usize, usize), LinkProblem> {
        match self.resolve_rel(from, link) {
            Ok(j) => Ok((j, self.link_target(j, lang))),
            Err(LinkProblem::Missing) => {
                let Some(default) = self.lang_names.first().map(|(c, _)| c.as_str()) else {
                    return Err(LinkProblem::Missing);
                };
                let (base, code) = crate::content::i18n::split_lang(link);
                if code != Some(default) {
                    return Err(LinkProblem::Missing);
                }
                let j = self.resolve_rel(from, &base)?;
                match self.docs.get(j) {
                    Some(d) if d.translation.is_none() => Ok((j, j)),
                    _ => Err(LinkProblem::Missing),
                }
            }
            Err(e) => Err(e),
        }
    }

    /// Resolve a relative `.md` link written in `from` (a rel path) to the target's index.
    pub(crate) fn resolve_rel(&self, from: &str, link: &str) -> Result<usize, LinkProblem> {
        let target = join_rel(from, link).ok_or(LinkProblem::Missing)?;
        if let Some(i) = self.by_rel.get(&target) {
            return Ok(*i);
        }
        // QA Q88: a name written composed (`niño.md`, as typed) and stored decomposed (n +
        // U+0303, as macOS and zip files store it), or the other way: the same name.
        if !target.is_ascii() {
            use unicode_normalization::UnicodeNormalization as _;
            let nfc = |s: &str| s.nfc().collect::<String>();
            let want = nfc(&target);
            if let Some((_, i)) = self
                .by_rel
                .iter()
                .filter(|(rel, _)| !rel.is_ascii())
                .find(|(rel, _)| nfc(rel) == want)
            {
                return Ok(*i);
            }
        }
        match self.excluded.get(&target) {
            Some(why) => Err(LinkProblem::Excluded(why)),
            None => Err(LinkProblem::Missing),
        }
    }
}

/// Why a link did not resolve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LinkProblem {
    Missing,
    Excluded(&'static str),
}

/// Term slugs of a document for a taxonomy (a practice's `region` counts as its regions).
pub(crate) fn doc_terms(d: &Document, taxonomy: Taxonomy) -> &[String] {
    match taxonomy {
        Taxonomy::Regions => match &d.fields {
            Fields::Practice(p) => std::slice::from_ref(&p.region),
            _ => &d.common.regions,
        },
        Taxonomy::Topics => &d.common.topics,
        Taxonomy::Audiences => &d.common.audiences,
        Taxonomy::Series => &d.common.series,
    }
}

/// `stories/a.md` + `../guides/b.md` → `guides/b.md`. `None` when it climbs out of the site.
pub(crate) fn join_rel(from: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in link.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// URLs the generator itself produces, that documents and aliases must not take.
/// The files under `static/`, walked once per graph and only when a front matter path names a
/// file that is not there (QA s11: [`StaticFiles::meant`] walked the folder again for each such
/// path, so 1,000 missing pictures walked a big static/ 1,000 times).
pub(crate) struct StaticFiles {
    /// The site paths without their leading `/` (`images/team.jpg`), as the walk gives them.
    files: Vec<String>,
    /// Each in lowercase → the first (in walk order) that is it.
    folded: HashMap<String, usize>,
    nearest: crate::diagnostics::Nearest,
}

impl StaticFiles {
    pub(crate) fn walk(static_dir: &Path) -> StaticFiles {
        let files: Vec<String> = crate::fsx::walk_static(static_dir, static_dir)
            .files
            .into_iter()
            .map(|(rel, _)| rel)
            .collect();
        let mut folded = HashMap::new();
        for (i, f) in files.iter().enumerate() {
            folded.entry(f.to_lowercase()).or_insert(i);
        }
        let nearest = crate::diagnostics::Nearest::new(files.iter().map(String::as_str));
        StaticFiles {
            files,
            folded,
            nearest,
        }
    }

    /// Whether `rel` (a site path without its leading `/`) is one of the files, as the walk
    /// names it (composed: a Mac's decomposed `niño` is found by its composed name).
    pub(crate) fn has(&self, rel: &str) -> bool {
        // A scan only when a file of that name in some case is there.
        self.folded
            .get(&rel.to_lowercase())
            .is_some_and(|_| self.files.iter().any(|f| f == rel))
    }

    /// The file under `static/` a front matter path most likely meant (QA Q44, Q67): the same
    /// path in other case (`/files/x.PDF`, `/Images/Huddle.JPG`), with `.jpg` for `.jpeg` or
    /// the other way, without a `/static` prefix, or one a typo away. As a site path.
    pub(crate) fn meant(&self, v: &str) -> Option<String> {
        let want = v.trim_start_matches("/static/").trim_start_matches('/');
        let mut forms = vec![want.to_lowercase()];
        for (a, b) in [(".jpeg", ".jpg"), (".jpg", ".jpeg")] {
            if let Some(stem) = forms[0].strip_suffix(a) {
                forms.push(format!("{stem}{b}"));
                break;
            }
        }
        if let Some(i) = forms.iter().filter_map(|f| self.folded.get(f)).min() {
            return Some(format!("/{}", self.files[*i]));
        }
        self.nearest.suggest(want).map(|s| format!("/{s}"))
    }
}

/// The longest part of a URL, in bytes: each is a folder of the output, and file systems allow
/// 255 bytes per name.
const MAX_SEGMENT: usize = 255;

pub(crate) fn reserved_urls(cfg: &Config) -> BTreeSet<String> {
    let mut r: BTreeSet<String> = [
        "/",
        "/search/",
        "/regions/",
        "/404.html",
        "/sitemap.xml",
        "/robots.txt",
        "/stories/atom.xml",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    for c in cfg.schemas.all() {
        if c.has_list() {
            r.insert(format!("/{}/", c.name()));
        }
    }
    for (t, terms) in &cfg.taxonomies {
        r.insert(format!("/{t}/"));
        // Term pages (an alias there would overwrite one).
        for term in terms {
            r.insert(format!("/{t}/{}/", term.slug));
        }
    }
    // Every other language has its own of each (`/es/stories/`).
    let others: Vec<String> = cfg
        .languages
        .iter()
        .skip(1)
        .flat_map(|l| {
            r.iter()
                .filter(|u| !matches!(u.as_str(), "/sitemap.xml" | "/robots.txt"))
                .map(move |u| format!("{}{}", l.prefix, u.trim_start_matches('/')))
        })
        .collect();
    r.extend(others);
    r
}

/// Why a document is left out of a build (the values of [`Graph::excluded`]).
pub(crate) const DRAFT: &str = "a draft";
pub(crate) const SCHEDULED: &str = "scheduled for later (publish_date is in the future)";
pub(crate) const EXPIRED: &str = "expired (expiry_date is in the past)";

/// Build the graph, checking everything that spans documents. Diagnostics are returned, never
/// thrown: the graph is usable (if incomplete) even when there are errors.
pub(crate) fn build(
    cfg: &Config,
    all: Vec<Arc<Document>>,
    include: Include,
    site_dir: &Path,
    known: &Known<'_>,
    broken: Vec<Arc<crate::content::Stub>>,
) -> (Graph, Vec<Diagnostic>) {
    let broken: BTreeMap<String, Arc<crate::content::Stub>> =
        broken.into_iter().map(|s| (s.rel.clone(), s)).collect();
    let broken_slug = |c: Collection, slug: &str| {
        broken
            .values()
            .find(|s| s.collection == c && s.slug == slug)
            .map(|s| s.path.clone())
    };
    let mut diags = Vec::new();
    let mut excluded = HashMap::new();
    let mut excluded_on = HashMap::new();
    let mut docs = Vec::with_capacity(all.len());
    // Drafts and scheduled documents in the default language, for [`slugs_of_other_documents`].
    let mut held = Vec::new();
    // Documents in the default language left out: the rest of `excluded` are translations.
    let mut originals_out = HashSet::new();
    for d in all {
        let why = if d.common.draft && !include.drafts {
            Some(DRAFT)
        } else if d.common.publish_date.is_some_and(|p| p > include.today) && !include.future {
            Some(SCHEDULED)
        } else if d.common.expiry_date.is_some_and(|e| e < include.today) && !include.expired {
            Some(EXPIRED)
        } else {
            None
        };
        match why {
            Some(w) => {
                let on = match w {
                    SCHEDULED => d.common.publish_date,
                    EXPIRED => d.common.expiry_date,
                    _ => None,
                };
                if let Some(on) = on {
                    excluded_on.insert(d.rel.clone(), on);
                }
                excluded.insert(d.rel.clone(), w);
                if d.translation.is_none() {
                    originals_out.insert(d.rel.clone());
                    if w != EXPIRED {
                        held.push((d, w));
                    }
                }
            }
            None => {
                if let Some(w) = future_date(&d, include.today).or_else(|| ancient_date(&d)) {
                    diags.push(w);
                }
                diags.extend(future_changes(&d, include.today));
                docs.push(d)
            }
        }
    }
    let broken_rel = |rel: &str| broken.get(rel).map(|s| s.path.clone());
    let (docs, mut translation_diags, translations) =
        crate::content::i18n::resolve(cfg, docs, &mut excluded, &broken_rel);
    diags.append(&mut translation_diags);
    let excluded_translations: HashSet<String> = excluded
        .keys()
        .filter(|r| !originals_out.contains(*r))
        .cloned()
        .collect();

    // URLs: duplicates and collisions with generated pages.
    let reserved = reserved_urls(cfg);
    let mut urls: HashMap<&str, usize> = HashMap::with_capacity(docs.len());
    for (i, d) in docs.iter().enumerate() {
        // QA Q66: a folder name over the file system's 255 bytes passed `lmp check` and failed
        // `lmp build` with "File name too long" and no source line.
        let too_long = |url: &str| url.split('/').map(str::len).max().unwrap_or(0);
        if too_long(&d.url) > MAX_SEGMENT {
            let key = if d.positions.contains_key("slug") {
                "slug"
            } else {
                "title"
            };
            diags.push(
                d.error_at(
                    key,
                    format!(
                        "the address {} has a part of {} bytes; a part of a URL (a folder of the output) can have at most {MAX_SEGMENT}",
                        crate::diagnostics::shorten(&d.url, 80),
                        too_long(&d.url)
                    ),
                )
                .with_help("give it a shorter file name or `slug:` (under 80 characters reads well in an address)"),
            );
            continue;
        }
        for a in d
            .common
            .aliases
            .iter()
            .filter(|a| too_long(a) > MAX_SEGMENT)
        {
            diags.push(
                d.error_at(
                    "aliases",
                    format!(
                        "the alias {} has a part of {} bytes; a part of a URL (a folder of the output) can have at most {MAX_SEGMENT}",
                        crate::diagnostics::shorten(a, 80),
                        too_long(a)
                    ),
                )
                .with_help("write the old address as it was: addresses are rarely over 80 characters per part"),
            );
        }
        if reserved.contains(&d.url) && d.collection != Collection::Home {
            // A language's home page (hostile tester s17: `prefix: /about/` was "used by a page
            // lmp generates", at the page, with no word of the prefix that made it so).
            let home_of = cfg.languages.iter().skip(1).find(|l| l.prefix == d.url);
            let (message, help) = match home_of {
                Some(l) => (
                    format!(
                        "the URL {} is the home page of language `{}` (its `prefix:` in config.yaml)",
                        d.url, l.code
                    ),
                    format!(
                        "choose another file name or `slug:` for this page, or another `prefix:` for `{}` in config.yaml",
                        l.code
                    ),
                ),
                None => (
                    format!("the URL {} is used by a page lmp generates", d.url),
                    "choose another file name or `slug:`".to_string(),
                ),
            };
            diags.push(d.error_at("slug", message).with_help(help));
            continue;
        }
        if let Some(&j) = urls.get(d.url.as_str()) {
            let (d, other) =
                if !d.positions.contains_key("slug") && docs[j].positions.contains_key("slug") {
                    // QA Q54: the file whose `slug:` takes the name is the one to change, not
                    // the file that has it from its file name.
                    (&docs[j], d)
                } else {
                    (d, &docs[j])
                };
            let msg = if other.slug == d.slug && other.collection == d.collection {
                let from_name = if other.positions.contains_key("slug") {
                    ""
                } else {
                    " (from its file name)"
                };
                format!(
                    "duplicate slug `{}`: {} has it too{from_name}",
                    d.slug,
                    crate::diagnostics::display_path(&other.path)
                )
            } else {
                format!(
                    "two documents map to {}: this one and {}",
                    d.url,
                    crate::diagnostics::display_path(&other.path)
                )
            };
            // Session 24: renaming a translation's file makes it a translation of nothing; its
            // `slug:` is what changes its address.
            let help = match &d.translation {
                Some(_) => format!(
                    "give this `{}` translation another `slug:` (its file name must stay its original's, with `.{}` before `.md`)",
                    d.lang, d.lang
                ),
                None => "give one of them a different file name or `slug:`".to_string(),
            };
            diags.push(d.error_at("slug", msg).with_help(help));
        } else {
            urls.insert(d.url.as_str(), i);
        }
    }
    diags.extend(slugs_of_other_documents(cfg, &docs, &urls, &held));
    drop(held);
    let mut aliases: BTreeMap<String, usize> = BTreeMap::new();
    let alias_norm = |a: &str| {
        if a.ends_with('/') || a.ends_with(".html") {
            a.to_string()
        } else {
            format!("{a}/")
        }
    };
    // `/stories/page/2/`: the pages of a list.
    let taken = |a_norm: &str| {
        let list_page = a_norm.split('/').nth(2) == Some("page")
            && cfg
                .schemas
                .all()
                .iter()
                .any(|c| c.has_list() && a_norm.starts_with(&format!("/{}/page/", c.name())));
        urls.contains_key(a_norm) || reserved.contains(a_norm) || list_page
    };
    const TAKEN_HELP: &str =
        "an alias is an old address that redirects here; remove it or pick the old address";
    for (i, d) in docs.iter().enumerate() {
        for a in &d.common.aliases {
            let a_norm = alias_norm(a);
            if taken(&a_norm) {
                diags.push(
                    d.error_at_item(
                        "aliases",
                        a,
                        format!("alias {a} is the address of an existing page"),
                    )
                    .with_help(TAKEN_HELP),
                );
            } else if let Some(&j) = aliases.get(&a_norm) {
                if j != i {
                    diags.push(d.error_at_item(
                        "aliases",
                        a,
                        format!(
                            "alias {a} is also an alias of {}",
                            crate::diagnostics::display_path(&docs[j].path)
                        ),
                    ));
                }
            } else {
                aliases.insert(a_norm, i);
            }
        }
    }
    // The aliases of a file whose front matter has other errors (a bad alias beside them):
    // checked in the same run, so that every alias error comes at once.
    for b in broken.values().filter(|b| b.lang.is_empty()) {
        for a in &b.aliases {
            let Ok(a) = crate::content::front_matter::normalize_alias(a) else {
                continue;
            };
            let a_norm = alias_norm(&a);
            if taken(&a_norm) && a_norm != b.url {
                diags.push(
                    b.error_at_item(
                        "aliases",
                        &a,
                        format!("alias {a} is the address of an existing page"),
                    )
                    .with_help(TAKEN_HELP),
                );
            } else if let Some(&j) = aliases.get(&a_norm) {
                diags.push(b.error_at_item(
                    "aliases",
                    &a,
                    format!(
                        "alias {a} is also an alias of {}",
                        crate::diagnostics::display_path(&docs[j].path)
                    ),
                ));
            }
        }
    }

    // Taxonomies and their terms.
    let mut taxonomies: BTreeMap<Taxonomy, Vec<Term>> = BTreeMap::new();
    let mut regions: Vec<(String, String)> = docs
        .iter()
        .filter(|d| d.collection == Collection::Regions && d.translation.is_none())
        .map(|d| (d.slug.clone(), d.common.title.clone()))
        .collect();
    regions.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    region_names_in_config(cfg, site_dir, &regions, &broken_slug, &mut diags);
    taxonomies.insert(
        Taxonomy::Regions,
        regions
            .into_iter()
            .map(|(slug, name)| Term {
                slug,
                name,
                docs: vec![],
            })
            .collect(),
    );
    for (name, terms) in &cfg.taxonomies {
        taxonomies.insert(
            *name,
            terms
                .iter()
                .map(|t| Term {
                    slug: t.slug.clone(),
                    name: t.name.clone(),
                    docs: vec![],
                })
                .collect(),
        );
    }

    // References: terms, documents, files.
    let mut slug_sets: HashMap<Collection, BTreeSet<&str>> = HashMap::new();
    for d in &docs {
        slug_sets
            .entry(d.collection)
            .or_default()
            .insert(d.slug.as_str());
    }
    let empty = BTreeSet::new();
    let slugs_of = |c: Collection| -> &BTreeSet<&str> { slug_sets.get(&c).unwrap_or(&empty) };
    let mut excluded_slugs: BTreeSet<(String, String)> = BTreeSet::new();
    for rel in excluded.keys() {
        if let Some((folder, file)) = rel.split_once('/') {
            excluded_slugs.insert((
                folder.to_string(),
                crate::util::slugify(file.trim_end_matches(".md")),
            ));
        }
    }
    let static_dir = site_dir.join("static");
    // Walked at the first missing file a field names, once for all of them.
    let statics: std::sync::OnceLock<StaticFiles> = std::sync::OnceLock::new();
    // The fields that refer to something, per collection: once, not once per document.
    let mut ref_fields: HashMap<Collection, Vec<crate::content::collections::Field>> =
        HashMap::new();
    for c in docs
        .iter()
        .map(|d| d.collection)
        .chain(broken.values().map(|b| b.collection))
    {
        ref_fields.entry(c).or_insert_with(|| {
            cfg.schemas
                .fields(c)
                .into_iter()
                .filter(|f| {
                    matches!(
                        f.ty,
                        FieldType::Terms(_)
                            | FieldType::Term(_)
                            | FieldType::DocRef(_)
                            | FieldType::DocRefs(_)
                            | FieldType::File
                    )
                })
                .collect()
        });
    }
    // The references of one file's front matter values, wherever they come from.
    let check_refs = |collection: Collection,
                      path: &Path,
                      rel: &str,
                      values: &dyn Fn(&str) -> Vec<String>,
                      at: &dyn Fn(&str, String) -> Diagnostic|
     -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for field in ref_fields.get(&collection).into_iter().flatten() {
            let values: Vec<String> = values(field.name);
            if values.is_empty() {
                continue;
            }
            match field.ty {
                FieldType::Terms(tax) | FieldType::Term(tax) => {
                    let terms = taxonomies.get(&tax).map_or(&[][..], Vec::as_slice);
                    for v in &values {
                        if !terms.iter().any(|t| &t.slug == v) {
                            if tax == Taxonomy::Regions
                                && let Some(p) = broken_slug(Collection::Regions, v)
                            {
                                out.push(at(field.name, format!("region `{v}` is not built: {} has errors", crate::diagnostics::display_path(&p)))
                                    .with_help("fix the errors in that file first; this one then goes away")
                                    .caused());
                                continue;
                            }
                            // QA Q125: a region whose file is a draft (or scheduled, expired).
                            if tax == Taxonomy::Regions
                                && excluded_slugs.contains(&("regions".to_string(), v.clone()))
                            {
                                out.push(
                                    at(field.name, format!("region `{v}` is not published (its file in regions/ is a draft, scheduled or expired)"))
                                        .with_help("publish the region, or remove the reference"),
                                );
                                continue;
                            }
                            let mut e = at(
                                field.name,
                                format!("unknown {} `{v}`", tax.singular().to_lowercase()),
                            );
                            let names: Vec<&str> = terms.iter().map(|t| t.slug.as_str()).collect();
                            e = match (suggest(v, names.iter().copied()), tax) {
                                (Some(s), _) => e.with_help(format!("did you mean `{s}`?")),
                                (None, Taxonomy::Regions) => e.with_help(format!("regions are the files in regions/: {}", names.join(", "))),
                                _ => e.with_help(format!("define it in config.yaml under `taxonomies: {tax}:`, or use one of: {}", names.join(", "))),
                            };
                            out.push(e);
                        }
                    }
                }
                FieldType::DocRef(c) | FieldType::DocRefs(c) => {
                    let known = slugs_of(c);
                    for v in &values {
                        if !known.contains(v.as_str()) {
                            if let Some(p) = broken_slug(c, v) {
                                out.push(at(field.name, format!("{} `{v}` is not built: {} has errors", c.singular(), crate::diagnostics::display_path(&p)))
                                    .with_help("fix the errors in that file first; this one then goes away")
                                    .caused());
                                continue;
                            }
                            let e = if excluded_slugs.contains(&(c.name().to_string(), v.clone())) {
                                at(field.name, format!("`{v}` in {}/ is not published (draft, scheduled or expired)", c.name()))
                                    .with_help("publish it, or remove the reference")
                            } else {
                                let mut e =
                                    at(field.name, format!("there is no {} `{v}`", c.singular()));
                                e = match suggest(v, known.iter().copied()) {
                                    Some(s) => e.with_help(format!("did you mean `{s}`?")),
                                    // QA s14: `videos/` deleted while serving: 284 pages were
                                    // told to write the name of a document in videos/ (s15:
                                    // without "any more": the site may never have had one).
                                    None if known.is_empty()
                                        && !crate::fsx::is_dir(&site_dir.join(c.name())) =>
                                    {
                                        e.with_help(format!(
                                            "the site has no folder {}/: if it was deleted, moved or renamed, put it back; else remove `{v}` from `{}:`",
                                            c.name(),
                                            field.name
                                        ))
                                    }
                                    None => e.with_help(format!(
                                        "write the file name (without .md) of a document in {}/",
                                        c.name()
                                    )),
                                };
                                e
                            };
                            out.push(e);
                        }
                    }
                }
                FieldType::File => {
                    for v in &values {
                        let p = static_dir.join(v.trim_start_matches('/'));
                        let files = || statics.get_or_init(|| StaticFiles::walk(&static_dir));
                        // A name stored decomposed (a Mac's `niño`): the walk composes it.
                        let composed = || files().has(v.trim_start_matches('/'));
                        if !crate::fsx::is_file(&p) && (v.is_ascii() || !composed()) {
                            let help = match files().meant(v) {
                                Some(m) => format!(
                                    "did you mean `{m}`? (addresses are case-sensitive on the web server)"
                                ),
                                None => format!(
                                    "put the file at {}/static{v}",
                                    crate::diagnostics::display_path(
                                        path.ancestors()
                                            .nth(rel.matches('/').count() + 1)
                                            .unwrap_or(Path::new("site"))
                                    )
                                ),
                            };
                            out.push(
                                at(field.name, format!("the file {v} does not exist"))
                                    .with_help(help),
                            );
                        }
                    }
                }
                _ => {}
            }
        }
        out
    };
    let mut ref_diags: Vec<Diagnostic> = docs
        .par_iter()
        .flat_map_iter(|d| {
            // A translation's references it takes from its original are checked there, at
            // their line (hostile i18n s22: each was told twice, the second time at the
            // translation's line 1, which does not hold it); the ones it writes, here.
            let own = |n: &str| match d.translation.is_some() && !d.positions.contains_key(n) {
                true => Vec::new(),
                false => field_values(d, n),
            };
            let mut out = check_refs(
                d.collection,
                &d.path,
                &d.rel,
                &own,
                &|k, m| d.error_at(k, m),
            );
            // Warnings: probably wrong, still builds. Not on a translation (hostile i18n s22):
            // it takes its original's topics, and its "add `topics:`" was an error there.
            if d.collection == Collection::Stories
                && d.common.topics.is_empty()
                && d.translation.is_none()
            {
                out.push(d.warning_at("title", "this story has no topics").with_help("add `topics: [...]` so readers find it from topic pages and related stories"));
            }
            if let Some(s) = &d.common.summary
                && s.chars().count() > 300
            {
                out.push(d.warning_at("summary", format!("the summary is {} characters long", s.chars().count())).with_help("keep summaries under 300 characters: they show in lists and search results"));
            }
            out
        })
        .collect();
    // Files whose front matter has errors: the references of their valid values, so that every
    // error of a file comes in one run (an unknown region with a missing `summary`).
    for b in broken.values().filter(|b| !b.valid.is_empty()) {
        ref_diags.extend(check_refs(
            b.collection,
            &b.path,
            &b.rel,
            &|n| json_values(&b.valid, n),
            &|k, m| b.error_at(k, m),
        ));
    }
    // Translations whose front matter has errors: what they give that they may not change (a
    // date, a figure, their terms) is compared with their original's in the same run (fix s20:
    // `topics:` that differ were said once the file's other errors were fixed).
    for b in broken
        .values()
        .filter(|b| !b.lang.is_empty() && !b.valid.is_empty())
    {
        let (base, _) = crate::content::i18n::split_lang(&b.rel);
        let original = crate::content::original_rel(
            &base,
            b.valid.get("translation_of").and_then(|v| v.as_str()),
        );
        if let Some(o) = docs
            .iter()
            .find(|d| d.translation.is_none() && d.rel == original)
        {
            ref_diags.extend(crate::content::i18n::against_original(
                &b.valid,
                o,
                &|k, m| b.error_at(k, m),
            ));
        }
    }
    renamed_regions(&docs, &mut ref_diags);
    missing_terms(cfg, site_dir, &docs, &broken, &mut ref_diags);
    diags.append(&mut ref_diags);

    // Lists per collection, newest first.
    let mut lists: BTreeMap<Collection, Vec<usize>> = BTreeMap::new();
    // Lists and terms show the default language's documents (translations have their own).
    for (i, d) in docs.iter().enumerate() {
        if d.translation.is_none() {
            lists.entry(d.collection).or_default().push(i);
        }
    }
    // The keys side by side: comparing through `docs` missed the cache at every step.
    let key = |&i: &usize| {
        let d = &docs[i];
        (
            std::cmp::Reverse(d.sort_date()),
            d.common.weight.unwrap_or(0),
            d.common.title.as_str(),
            d.rel.as_str(),
        )
    };
    for l in lists.values_mut() {
        l.sort_by_cached_key(key);
    }
    // Term membership, in list order.
    let mut all_sorted: Vec<usize> = (0..docs.len())
        .filter(|&i| {
            !matches!(docs[i].collection, Collection::Home | Collection::Regions)
                && docs[i].translation.is_none()
        })
        .collect();
    all_sorted.sort_by_cached_key(key);
    for (tax, terms) in taxonomies.iter_mut() {
        let index: HashMap<&str, usize> = terms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.slug.as_str(), i))
            .collect();
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); terms.len()];
        for &i in &all_sorted {
            for s in doc_terms(&docs[i], *tax) {
                if let Some(&t) = index.get(s.as_str()) {
                    members[t].push(i);
                }
            }
        }
        for (t, m) in terms.iter_mut().zip(members) {
            t.docs = m;
        }
    }

    // A translation's related documents are chosen among those its language shows (QA s17:
    // chosen among every document, then cut to its language's, most Spanish pages of an
    // `untranslated: hide` site kept a short list or none).
    let (related, related_keys) = related(cfg, &docs, &translations, &taxonomies, known);
    let by_rel = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.rel.clone(), i))
        .collect();
    let mut by_slug: HashMap<Collection, HashMap<String, usize>> = HashMap::new();
    for (i, d) in docs
        .iter()
        .enumerate()
        .filter(|(_, d)| d.translation.is_none())
    {
        // The first document with a slug wins (a duplicate is an error reported above).
        by_slug
            .entry(d.collection)
            .or_default()
            .entry(d.slug.clone())
            .or_insert(i);
    }
    let in_lang = InLang::new(
        cfg.languages.iter().map(|l| l.code.clone()).collect(),
        (
            &docs.iter().map(|d| d.lang.as_str()).collect::<Vec<_>>(),
            docs.iter().map(|d| d.translation.is_some()).collect(),
        ),
        &translations,
    );
    let targets = Targets::new(
        docs.iter()
            .map(|d| (d.url.as_str(), d.common.expiry_date.is_some())),
        translations.iter().all(Vec::is_empty),
    );
    (
        Graph {
            docs,
            targets,
            by_rel,
            by_slug,
            excluded,
            excluded_translations,
            excluded_on,
            today: include.today,
            taxonomies,
            lists,
            related,
            related_keys,
            aliases,
            broken,
            in_lang,
            translations,
            lang_names: cfg
                .languages
                .iter()
                .map(|l| (l.code.clone(), l.name.clone()))
                .collect(),
        },
        diags,
    )
}

/// Warnings that depend on a document's body (kept apart from [`build`], whose diagnostics
/// depend on front matter only, so an incremental rebuild of a body edit can skip the graph):
/// those of one document, so that such a rebuild makes only the edited documents' again.
pub(crate) fn body_warnings(d: &Document) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // QA Q101: a front matter pasted twice (a template copied into a file that had one): the
    // second block became a rule and a heading of `key: value` text.
    let body = d.body();
    let lead = body.len() - body.trim_start().len();
    let mut lines = body.trim_start().lines();
    if lines.next().is_some_and(|l| l.trim_end() == "---")
        && lines.next().is_some_and(|l| {
            l.split_once(':')
                .is_some_and(|(k, _)| matches!(k.trim(), "title" | "date" | "summary"))
        })
    {
        let blank_lines = body[..lead].matches('\n').count();
        out.push(
            Diagnostic::warning(
                &d.path,
                d.body_line + blank_lines,
                1,
                "the text starts with a second front matter block (`---` and `title:` again)",
            )
            .with_help("delete it: only the first block is front matter, this one is shown as a line and a heading")
            .with_source(&d.whole_text()),
        );
    }
    if body.trim().is_empty()
        && !matches!(
            d.collection,
            Collection::Regions | Collection::Home | Collection::Tools | Collection::Videos
        )
    {
        out.push(
            Diagnostic::warning(
                &d.path,
                d.body_line.saturating_sub(1),
                0,
                "the document has no text after its front matter",
            )
            .with_help("write the body in markdown after the closing `---`"),
        );
    }
    out
}

/// The documents (indices) that share a collection, language and title with another, in
/// groups: the only ones [`duplicate_warnings`] compares. A function of front matter alone.
pub(crate) fn same_titles(docs: &[Arc<Document>]) -> Vec<Vec<usize>> {
    let mut by_title: HashMap<(Collection, &str, &str), Vec<usize>> = HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        by_title
            .entry((d.collection, d.lang.as_str(), d.common.title.as_str()))
            .or_default()
            .push(i);
    }
    let mut groups: Vec<Vec<usize>> = by_title.into_values().filter(|g| g.len() > 1).collect();
    groups.sort_unstable();
    groups
}

/// QA Q100: a file downloaded or copied twice (`story (1).md`, Google Drive's `Copy of
/// story.md`) was published as a second page with the same title and text: a warning at each
/// copy, naming the file it copies.
pub(crate) fn duplicate_warnings(docs: &[Arc<Document>], same_title: &[usize]) -> Vec<Diagnostic> {
    // Only documents that share a title can be copies (see [`same_titles`]): one group at a
    // time, so that a body-only rebuild compares only the groups of the edited documents.
    // The original first: a name without ` (1)` or `Copy of`, then the shorter name.
    let copy_mark = |d: &Document| {
        let name = d.rel.rsplit('/').next().unwrap_or(&d.rel);
        name.starts_with("Copy of") || name.contains(" (")
    };
    let mut all: Vec<&Arc<Document>> = same_title.iter().filter_map(|&i| docs.get(i)).collect();
    all.sort_by_cached_key(|d| (copy_mark(d), d.rel.len(), d.rel.clone()));
    let sorted = all
        .iter()
        // A stub ("Text.", "TBD") is no sign of a copy.
        .filter(|d| d.body().trim().len() >= 80);
    let mut seen: HashMap<u128, &Arc<Document>> = HashMap::new();
    let mut copies: HashSet<&str> = HashSet::new();
    let mut out = Vec::new();
    for d in sorted {
        let key = xxhash_rust::xxh3::xxh3_128(d.body().trim().as_bytes());
        match seen.get(&key) {
            Some(first) => out.push({
                copies.insert(&d.rel);
                d.warning_at(
                    "title",
                    format!(
                        "this is a copy of {} (the same title and text): both are published",
                        first.rel
                    ),
                )
                .with_help(
                    "delete one of the two files (a ` (1)` or `Copy of` in a file name comes from downloading or copying a file twice)",
                )
            }),
            None => {
                seen.insert(key, d);
            }
        }
    }
    // Hostile author s23: documents that share a title but not their text (a file copied to
    // start a new one, its title kept) were published without a word: two cards, search
    // results and feed entries that read the same. A warning at each but the first.
    let mut named: Vec<&&Arc<Document>> = all
        .iter()
        .filter(|d| !copies.contains(d.rel.as_str()))
        .collect();
    named.sort_by(|a, b| crate::util::natural_cmp(a.rel.as_bytes(), b.rel.as_bytes()));
    let mut named = named.into_iter();
    if let Some(first) = named.next() {
        for d in named {
            out.push(
                d.warning_at(
                    "title",
                    format!(
                        "`title` is the same as that of {}: readers see two pages with the same name in lists, search and feeds",
                        first.rel
                    ),
                )
                .with_help(
                    "give each page its own title; if this file is a copy of the other, delete one of them (a page that replaces another lists the old address under `aliases:`)",
                ),
            );
        }
    }
    out
}

/// QA Q70: the national totals add up every region's team counts, so regions whose figures are
/// as of different dates make totals of no one date (they are labelled with the oldest, see
/// `crate::render`): a warning at the `as_of` of each region whose date is not the one most
/// regions share (on a tie, the oldest).
pub(crate) fn figures_warnings(docs: &[Arc<Document>]) -> Vec<Diagnostic> {
    let counted: Vec<(&Arc<Document>, crate::util::Date)> = docs
        .iter()
        .filter(|d| d.collection == Collection::Regions && d.translation.is_none())
        .filter_map(|d| match &d.fields {
            Fields::Region(r) if r.ubts.is_some() && r.high_performing_ubts.is_some() => {
                r.as_of.map(|a| (d, a))
            }
            _ => None,
        })
        .collect();
    let mut by_date: BTreeMap<crate::util::Date, Vec<&str>> = BTreeMap::new();
    for (d, a) in &counted {
        by_date.entry(*a).or_default().push(d.slug.as_str());
    }
    if by_date.len() < 2 {
        return Vec::new();
    }
    // The most shared date (BTreeMap order: the oldest wins a tie).
    let Some(common) = by_date
        .iter()
        .max_by(|a, b| a.1.len().cmp(&b.1.len()).then(b.0.cmp(a.0)))
        .map(|(d, _)| *d)
    else {
        return Vec::new();
    };
    let oldest = by_date.keys().next().copied().unwrap_or(common);
    let mix: Vec<String> = by_date
        .iter()
        .map(|(date, slugs)| match slugs.as_slice() {
            [one] => format!("{date} ({one})"),
            many => format!("{date} ({} regions)", many.len()),
        })
        .collect();
    counted
        .iter()
        .filter(|(_, a)| *a != common)
        .map(|(d, _)| {
            d.warning_at(
                "as_of",
                format!(
                    "the national totals mix figures as of {}: they are labelled \"as of {oldest}\", the oldest",
                    mix.join(" and ")
                ),
            )
            .with_help(format!(
                "give every region's figures as of the same date: update the other regions too, or keep this region's figures as of {common} until they are"
            ))
        })
        .collect()
}

/// The text values of a front matter field given as JSON (a string or a list of strings).
fn json_values(values: &serde_json::Map<String, serde_json::Value>, name: &str) -> Vec<String> {
    match values.get(name) {
        Some(serde_json::Value::String(s)) => vec![s.clone()],
        Some(serde_json::Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(String::from))
            .collect(),
        _ => Vec::new(),
    }
}

/// The string values of a field of a document, for reference checks.
fn field_values(d: &Document, name: &str) -> Vec<String> {
    let one = |o: &Option<String>| o.iter().cloned().collect::<Vec<_>>();
    if d.extra.contains_key(name) {
        return json_values(&d.extra, name);
    }
    if let Some(t) = Taxonomy::from_name(name) {
        return doc_terms(d, t).to_vec();
    }
    match (name, &d.fields) {
        ("region", Fields::Practice(p)) => vec![p.region.clone()],
        ("video", Fields::Story(s)) => one(&s.video),
        ("image", _) => one(&d.common.image),
        ("tools", Fields::Guide(g)) => g.tools.clone(),
        ("file", Fields::Tool(t)) => vec![t.file.clone()],
        ("captions", Fields::Video(v)) => one(&v.captions),
        ("src", Fields::Video(v)) => one(&v.src),
        _ => Vec::new(),
    }
}

/// The related list already known for a key (see [`Graph::related_keys`]), if any: how
/// `crate::memo` hands [`build`] the lists of an earlier build whose inputs are the same.
/// `&|_| None` computes every list.
pub(crate) type Known<'a> = dyn Fn(u128) -> Option<Vec<usize>> + Sync + 'a;

/// Related documents: most shared topics (×2) and regions, same collection first on ties, then
/// newest. Uses the term lists as an inverted index, so it stays fast on large sites.
/// Candidates per term: the first this many of its list (newest first).
const RELATED_CANDIDATES: usize = 200;

fn related(
    cfg: &Config,
    docs: &[Arc<Document>],
    translations: &[Vec<usize>],
    taxonomies: &BTreeMap<Taxonomy, Vec<Term>>,
    known: &Known<'_>,
) -> (Vec<Vec<usize>>, Vec<u128>) {
    type Lists<'a, L> = HashMap<(Taxonomy, &'a str), L>;
    let lookup: Lists<'_, &[usize]> = taxonomies
        .iter()
        .filter(|(t, _)| matches!(t, Taxonomy::Topics | Taxonomy::Regions))
        .flat_map(|(t, terms)| {
            terms
                .iter()
                .map(move |term| ((*t, term.slug.as_str()), term.docs.as_slice()))
        })
        .collect();
    // Each other language's view: its translation of each document, and, where it hides
    // untranslated documents, the term lists cut to the documents it shows (see [`shown`]),
    // so a translation's candidates are the first of those, scored as an original's are.
    struct View<'a> {
        lang: &'a crate::config::Language,
        translation: Vec<Option<usize>>,
        lists: Option<Lists<'a, Vec<usize>>>,
    }
    let default = &cfg.default_language().code;
    let views: Vec<View<'_>> = cfg
        .languages
        .iter()
        .filter(|l| &l.code != default && docs.iter().any(|d| d.lang == l.code))
        .map(|lang| {
            let translation: Vec<Option<usize>> = (0..docs.len())
                .map(|j| {
                    translations[j]
                        .iter()
                        .copied()
                        .find(|&k| k != j && docs[k].lang == lang.code)
                })
                .collect();
            let lists = (!lang.show_untranslated).then(|| {
                lookup
                    .iter()
                    .map(|(k, list)| {
                        let shows = list
                            .iter()
                            .copied()
                            .filter(|&j| shown(j, translation[j], lang).is_some())
                            .collect();
                        (*k, shows)
                    })
                    .collect()
            });
            View {
                lang,
                translation,
                lists,
            }
        })
        .collect();
    // The view a document's list is chosen in: its language's when it is a translation.
    let view_of = |d: &Document| -> Option<usize> {
        d.translation.as_ref()?;
        views.iter().position(|v| v.lang.code == d.lang)
    };
    // What a document's list is computed from: its collection and terms, and for each candidate
    // list its first entries with their collections and dates. Digest each list once.
    fn digest<'a>(
        docs: &[Arc<Document>],
        lists: &mut dyn Iterator<Item = (&(Taxonomy, &'a str), &[usize])>,
    ) -> HashMap<(Taxonomy, &'a str), u128> {
        lists
            .map(|(k, list)| {
                let mut h = xxhash_rust::xxh3::Xxh3::new();
                for &j in list.iter().take(RELATED_CANDIDATES) {
                    let date = docs[j].sort_date();
                    h.update(&(j as u64).to_le_bytes());
                    h.update(docs[j].collection.name().as_bytes());
                    h.update(&[0]);
                    h.update(
                        &date
                            .map_or(0, |d| {
                                d.year as i64 * 10_000 + d.month as i64 * 100 + d.day as i64
                            })
                            .to_le_bytes(),
                    );
                }
                ((k.0, k.1), h.digest128())
            })
            .collect()
    }
    let list_digest = digest(docs, &mut lookup.iter().map(|(k, l)| (k, *l)));
    let view_digests: Vec<Option<HashMap<(Taxonomy, &str), u128>>> = views
        .iter()
        .map(|v| {
            v.lists
                .as_ref()
                .map(|l| digest(docs, &mut l.iter().map(|(k, l)| (k, l.as_slice()))))
        })
        .collect();
    let keys: Vec<u128> = docs
        .par_iter()
        .enumerate()
        .map(|(i, d)| {
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            h.update(&(i as u64).to_le_bytes());
            h.update(d.collection.name().as_bytes());
            let mut digests = &list_digest;
            if let Some(at) = view_of(d) {
                // A translation's list is not reused (see `reuse`); its key differs anyway.
                h.update(b"\0translation\0");
                h.update(d.lang.as_bytes());
                digests = view_digests[at].as_ref().unwrap_or(&list_digest);
            }
            for tax in [Taxonomy::Topics, Taxonomy::Regions] {
                h.update(&[1]);
                for s in doc_terms(d, tax) {
                    h.update(&(s.len() as u64).to_le_bytes());
                    h.update(s.as_bytes());
                    let lists = digests.get(&(tax, s.as_str())).copied().unwrap_or(0);
                    h.update(&lists.to_le_bytes());
                }
            }
            h.digest128()
        })
        .collect();
    // Only an original's list is kept between builds (`crate::memo`): a translation's depends
    // on which documents have a translation in its language, which its key does not cover.
    let reuse = |i: usize| -> Option<Vec<usize>> {
        if docs[i].translation.is_some() {
            return None;
        }
        known(keys[i])
    };
    // Scores summed in a dense array per worker (reset through the list of touched entries):
    // no hashing and no sort of the candidates; only the best four are kept.
    let related = (0..docs.len())
        .into_par_iter()
        .map_init(
            || (vec![0u32; docs.len()], Vec::<usize>::with_capacity(1024)),
            |(scores, touched), i| {
                if let Some(r) = reuse(i) {
                    return r;
                }
                let d = &docs[i];
                if matches!(
                    d.collection,
                    Collection::Home | Collection::Pages | Collection::Regions
                ) {
                    return Vec::new();
                }
                let view = view_of(d);
                // A term's candidates: its view's (every document's in none, or where the
                // language shows them all).
                let cut = view.and_then(|at| views[at].lists.as_ref());
                // Not itself, nor (for a translation) its original: the lists hold originals.
                let original = match d.translation {
                    Some(_) => translations[i]
                        .iter()
                        .copied()
                        .find(|&k| docs[k].translation.is_none()),
                    None => None,
                };
                for (tax, weight) in [(Taxonomy::Topics, 2u32), (Taxonomy::Regions, 1)] {
                    for s in doc_terms(d, tax) {
                        let list = match cut {
                            Some(lists) => lists.get(&(tax, s.as_str())).map(Vec::as_slice),
                            None => lookup.get(&(tax, s.as_str())).copied(),
                        };
                        if let Some(list) = list {
                            // Lists are newest first; the first 200 are plenty of candidates.
                            for &j in list.iter().take(RELATED_CANDIDATES) {
                                if j != i && Some(j) != original {
                                    if scores[j] == 0 {
                                        touched.push(j);
                                    }
                                    scores[j] += weight;
                                }
                            }
                        }
                    }
                }
                // Best first: most shared, same collection, newest, then index.
                type Key = (u32, bool, Option<Date>, usize);
                let better = |a: &Key, b: &Key| {
                    b.0.cmp(&a.0)
                        .then(b.1.cmp(&a.1))
                        .then(b.2.cmp(&a.2))
                        .then(a.3.cmp(&b.3))
                        .is_lt()
                };
                let mut best: Vec<Key> = Vec::with_capacity(5);
                for &j in touched.iter() {
                    let score = std::mem::take(&mut scores[j]);
                    if best.len() == 4 && score < best[3].0 {
                        continue;
                    }
                    let key = (
                        score,
                        docs[j].collection == d.collection,
                        docs[j].sort_date(),
                        j,
                    );
                    if best.len() == 4 && !better(&key, &best[3]) {
                        continue;
                    }
                    let at = best
                        .iter()
                        .position(|b| better(&key, b))
                        .unwrap_or(best.len());
                    best.insert(at, key);
                    best.truncate(4);
                }
                touched.clear();
                // A translation shows each in its language (see [`shown`]).
                best.into_iter()
                    .filter_map(|t| match view.map(|at| &views[at]) {
                        Some(v) => shown(t.3, v.translation[t.3], v.lang),
                        None => Some(t.3),
                    })
                    .collect()
            },
        )
        .collect();
    (related, keys)
}

/// QA Q101: one root cause for many "unknown" terms. With `site/regions/` gone (a bad merge
/// or checkout) every region reference was an error whose help listed no regions ("regions are
/// the files in regions/: "); a topic removed from config.yaml was "did you mean `training`?"
/// at each document using it. Now one error names the cause, and the references are marked as
/// caused by it.
fn missing_terms(
    cfg: &Config,
    site_dir: &Path,
    docs: &[Arc<Document>],
    broken: &BTreeMap<String, Arc<crate::content::Stub>>,
    diags: &mut Vec<Diagnostic>,
) {
    let uses = |diags: &[Diagnostic], what: &str| -> BTreeMap<String, Vec<usize>> {
        let mut by: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (k, d) in diags.iter().enumerate() {
            if d.caused {
                continue;
            }
            if let Some(v) = d
                .message
                .strip_prefix(&format!("unknown {what} `"))
                .and_then(|m| m.strip_suffix('`'))
            {
                by.entry(v.to_string()).or_default().push(k);
            }
        }
        by
    };
    let files = |diags: &[Diagnostic], refs: &[usize]| {
        refs.iter()
            .filter_map(|&k| diags.get(k))
            .map(|d| d.path.clone())
            .collect::<BTreeSet<_>>()
            .len()
    };
    let no_regions = !docs.iter().any(|d| d.collection == Collection::Regions)
        && !broken.values().any(|s| s.collection == Collection::Regions);
    let regions = uses(diags, "region");
    if no_regions && !regions.is_empty() {
        let folder = site_dir.join("regions");
        let shown = crate::diagnostics::display_path(&folder);
        let refs: Vec<usize> = regions.values().flatten().copied().collect();
        let names: Vec<String> = regions.keys().map(|v| format!("`{v}`")).collect();
        let gone = if crate::fsx::exists(&folder) {
            "has no region files"
        } else {
            "is missing"
        };
        let root = Diagnostic::error(
            &folder,
            0,
            0,
            format!(
                "{shown}/ {gone}, so every region is unknown: {} references in {} files use {}",
                refs.len(),
                files(diags, &refs),
                names.join(", ")
            ),
        )
        .with_help(format!(
            "a region is a file {shown}/<slug>.md: restore the folder (e.g. `git checkout -- {shown}`)"
        ));
        // Links to the region pages are caused by it too.
        let root = crate::diagnostics::explains_links_into(root, "regions/");
        for &k in &refs {
            if let Some(d) = diags.get_mut(k) {
                d.caused = true;
                d.help = Some(format!(
                    "see the error at {shown}/: there are no region files"
                ));
            }
        }
        diags.push(root);
    }
    // A topic, audience or series used by two or more files that config.yaml does not define:
    // removed or renamed there, not mistyped in each file.
    let Some((cfg_path, cfg_text)) = &cfg.source else {
        return;
    };
    for (what, tax) in [
        ("topic", Taxonomy::Topics),
        ("audience", Taxonomy::Audiences),
        ("series", Taxonomy::Series),
    ] {
        for (v, refs) in uses(diags, what) {
            let n = files(diags, &refs);
            if n < 2 {
                continue;
            }
            // The `topics:` line under `taxonomies:`, else the file's first line.
            let line = cfg_text
                .lines()
                .position(|l| l.trim_end() == format!("  {tax}:"))
                .map_or(1, |i| i + 1);
            let shown = crate::diagnostics::display_path(cfg_path);
            let root = Diagnostic::error(
                cfg_path,
                line,
                3,
                format!(
                    "{} references in {n} files use the {what} `{v}`, which is not under `taxonomies: {tax}:` here",
                    refs.len()
                ),
            )
            .with_help(format!(
                "if it was removed or renamed here, put it back (`- {{slug: {v}, name: …}}`), or change those files to a {what} that is listed"
            ))
            .with_source(cfg_text);
            for &k in &refs {
                if let Some(d) = diags.get_mut(k) {
                    d.caused = true;
                    d.help = Some(format!(
                        "see the error at {shown}: `{v}` is not a {what} there"
                    ));
                }
            }
            diags.push(root);
        }
    }
}

/// `languages: <code>: terms: regions:` names regions in a language (a region without a page in
/// that language is shown by that name); each slug must be a region page's (`regions/<slug>.md`).
/// The error is at the slug's line of config.yaml, with the region slugs as help.
fn region_names_in_config(
    cfg: &Config,
    site_dir: &Path,
    regions: &[(String, String)],
    broken_slug: &dyn Fn(Collection, &str) -> Option<std::path::PathBuf>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut config: Option<crate::config::ConfigFile> = None;
    for l in &cfg.languages {
        let Some(names) = l.terms.get(Taxonomy::Regions.name()) else {
            continue;
        };
        for slug in names.keys() {
            if regions.iter().any(|(s, _)| s == slug) {
                continue;
            }
            let config = config.get_or_insert_with(|| crate::config::ConfigFile::read(site_dir));
            let at = slug_line(config.text(), &l.code, slug);
            // A region page whose front matter is broken is not a second root cause here
            // (session 24): its error comes first, and this one goes with it.
            if let Some(p) = broken_slug(Collection::Regions, slug) {
                diags.push(
                    config
                        .error(
                            at,
                            format!(
                                "`terms: regions: {slug}` of language `{}` names region `{slug}`, which is not built: {} has errors",
                                l.code,
                                crate::diagnostics::display_path(&p)
                            ),
                        )
                        .with_help("fix the errors in that file first; this one then goes away")
                        .caused(),
                );
                continue;
            }
            let slugs: Vec<&str> = regions.iter().map(|(s, _)| s.as_str()).collect();
            diags.push(
                config
                    .error(
                        at,
                        format!(
                            "`terms: regions: {slug}` of language `{}` names a region that has no page in regions/",
                            l.code
                        ),
                    )
                    .with_help(match suggest(slug, slugs.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("the regions are {}", slugs.join(", ")),
                    }),
            );
        }
    }
}

/// The line and column of `slug:` under `languages: <code>: terms:` in config.yaml (the
/// `terms:` line when it is written inline, the language's line when not found).
fn slug_line(text: &str, code: &str, slug: &str) -> (usize, usize) {
    let Some((line, col)) = crate::config::language_key_at(text, code, "terms") else {
        return (1, 1);
    };
    let head = format!("{slug}:");
    for (i, l) in text.lines().enumerate().skip(line.saturating_sub(1)) {
        let indent = l.len() - l.trim_start().len();
        if i + 1 > line && !l.trim().is_empty() && indent < col {
            break;
        }
        if let Some(at) = l.find(&head)
            && l.get(..at).is_some_and(|b| b.ends_with([' ', '{', ',']))
        {
            return (i + 1, at + 1);
        }
    }
    (line, col)
}

/// QA Q43: a region file renamed with a typo (`hawaii.md` → `hawai.md`) made every reference to
/// `hawaii` an error whose help spread the typo ("did you mean `hawai`?"). When at least two
/// references use a name one edit away from a region's file, and more than use the file's name,
/// the root cause is the file: one error there, and the references are marked as caused by it.
fn renamed_regions(docs: &[Arc<Document>], diags: &mut Vec<Diagnostic>) {
    let mut roots = Vec::new();
    let mut unknown: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (k, d) in diags.iter().enumerate() {
        if let Some(v) = d
            .message
            .strip_prefix("unknown region `")
            .and_then(|m| m.strip_suffix('`'))
            && let Some(s) = d
                .help
                .as_deref()
                .and_then(|h| h.strip_prefix("did you mean `"))
                .and_then(|h| h.strip_suffix("`?"))
        {
            unknown
                .entry((v.to_string(), s.to_string()))
                .or_default()
                .push(k);
        }
    }
    for ((v, s), refs) in unknown {
        let Some(region) = docs.iter().find(|d| {
            d.collection == Collection::Regions && d.translation.is_none() && d.slug == s
        }) else {
            continue;
        };
        // The file's title gives the name the references use (`hawai.md` titled "Hawaii"):
        // the file name is the typo, not the references.
        if refs.is_empty() || crate::util::slugify(&region.common.title) != v {
            continue;
        }
        let mut files = refs
            .iter()
            .filter_map(|&k| diags.get(k))
            .map(|d| d.path.clone())
            .collect::<BTreeSet<_>>();
        // QA Q43: links to the region's old file or address and `{figures}` of it count too
        // (they are reported later, by the markdown pass and the link check).
        let patterns = [
            format!("regions/{v}.md"),
            format!("/regions/{v}/"),
            format!("region: {v}\n"),
        ];
        let mut in_text = 0;
        for d in docs {
            let n: usize = patterns
                .iter()
                .map(|p| d.body().matches(p.as_str()).count())
                .sum();
            if n > 0 {
                in_text += n;
                files.insert(d.path.clone());
            }
        }
        let files = files.len();
        let count = if in_text == 0 {
            format!("{} references", refs.len())
        } else {
            format!(
                "{} references ({} in front matter, {in_text} links and components)",
                refs.len() + in_text,
                refs.len()
            )
        };
        let shown = crate::diagnostics::display_path(&region.path);
        for &k in &refs {
            if let Some(d) = diags.get_mut(k) {
                d.caused = true;
                d.help = Some(format!(
                    "see the error at {shown}: its file name gives the region `{s}`; if it was renamed, this reference is right"
                ));
            }
        }
        let root = region.error_at(
            "title",
            format!(
                "{count} in {files} files use the region `{v}`, but this file makes the region `{s}`: was it renamed?"
            ),
        )
        .with_help(format!(
            "rename the file back to `{v}.md`, or add `slug: {v}` to its front matter; if `{s}` is right, change the references"
        ));
        roots.push(root);
    }
    diags.append(&mut roots);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table answers as the groups did (the look-up it replaces, kept here as the
    /// reference): random groups of 1 to 4 documents in declared, undeclared and repeated
    /// languages, every document asked in every language.
    #[test]
    fn translation_table_answers_as_the_groups_do() {
        let reference = |langs: &[&str], groups: &[Vec<usize>], i: usize, lang: &str| {
            if langs[i] == lang {
                return Some(i);
            }
            groups[i].iter().copied().find(|&j| langs[j] == lang)
        };
        let codes = ["en", "es", "fr"];
        let pool = ["en", "es", "fr", "es", "pt", "en"];
        let mut next = crate::util::rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..200 {
            let n = 1 + next(40);
            let langs: Vec<&str> = (0..n).map(|_| pool[next(pool.len())]).collect();
            let mut groups = vec![Vec::new(); n];
            let mut i = 0;
            while i < n {
                let size = (1 + next(4)).min(n - i);
                let mut members: Vec<usize> = (i..i + size).collect();
                members.rotate_left(next(size));
                if size > 1 {
                    for &m in &members {
                        groups[m] = members.clone();
                    }
                }
                i += size;
            }
            let translated: Vec<bool> = (0..n).map(|_| next(3) == 0).collect();
            let table = InLang::new(
                codes.iter().map(|c| c.to_string()).collect(),
                (&langs, translated.clone()),
                &groups,
            );
            for (i, &is_translation) in translated.iter().enumerate() {
                for lang in codes.iter().chain(&["pt", ""]) {
                    let got = table
                        .get(i, lang)
                        .unwrap_or_else(|| reference(&langs, &groups, i, lang));
                    assert_eq!(
                        got,
                        reference(&langs, &groups, i, lang),
                        "document {i} in {lang}: {langs:?} {groups:?}"
                    );
                    // `Graph::link_target`: a translation leads to itself.
                    let target = match is_translation {
                        true => i,
                        false => reference(&langs, &groups, i, lang).unwrap_or(i),
                    };
                    let got = table
                        .link_target(i, lang)
                        .unwrap_or_else(|| match is_translation {
                            true => i,
                            false => reference(&langs, &groups, i, lang).unwrap_or(i),
                        });
                    assert_eq!(got, target, "link to document {i} in {lang}");
                }
            }
        }
    }

    /// Each document's URL and expiry flag come back from the tables as they went in: URLs of
    /// random lengths (empty ones, non-ASCII ones among them), in random numbers.
    #[test]
    fn link_targets_table_gives_each_documents_url() {
        let mut next = crate::util::rng(0x2545_f491_4f6c_dd1d);
        let parts = ["/", "stories", "ñandú", "x", "", "/es/", "año-2026/", "é"];
        for _ in 0..200 {
            let n = next(30);
            let docs: Vec<(String, bool)> = (0..n)
                .map(|_| {
                    let url: String = (0..next(5)).map(|_| parts[next(parts.len())]).collect();
                    (url, next(4) == 0)
                })
                .collect();
            let t = Targets::new(docs.iter().map(|(u, e)| (u.as_str(), *e)), false);
            for (i, (url, expires)) in docs.iter().enumerate() {
                assert_eq!(t.url(i), url, "document {i} of {docs:?}");
                assert_eq!(t.expires[i], *expires, "document {i} of {docs:?}");
            }
        }
    }

    #[test]
    fn joins_relative_paths() {
        assert_eq!(
            join_rel("stories/a.md", "../guides/b.md").as_deref(),
            Some("guides/b.md")
        );
        assert_eq!(
            join_rel("stories/a.md", "c.md").as_deref(),
            Some("stories/c.md")
        );
        assert_eq!(
            join_rel("stories/a.md", "./c.md").as_deref(),
            Some("stories/c.md")
        );
        assert_eq!(join_rel("stories/a.md", "../../x.md"), None);
    }
}
