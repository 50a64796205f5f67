//! The link check over the output: every URL a reader can follow on every page the build writes
//! (markdown links in every form, images and `srcset`, raw HTML, links written by templates, the
//! feed, the sitemap, alias redirects) must lead to a file of the build, and a `#fragment` to an
//! id on the target page. Relative `.md` links are also checked earlier, in the markdown pass
//! (`site::check_doc_links`), with messages about documents; this check covers the rest.
//!
//! It works from a compact [`PageRecord`] per page (the ids it defines and the URLs it links to),
//! taken from the bytes of each page as it is produced, so the check needs neither every output
//! file in memory nor a second read of `public/`: [`check`] takes the records, the set of output
//! paths and, per page, where its links came from ([`Origin`]) to point errors at the markdown
//! `file:line:col` or at the template. `external` collects and checks outbound links
//! (`lmp check --external`).

pub(crate) mod build;
pub(crate) mod external;
pub(crate) mod scan;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Lines};
use crate::markdown::{Link, LinkKind};
pub(crate) use scan::Attr;

/// What the check needs to know of one output page: the ids it defines (sorted) and the URLs on
/// it (each once, in order of first appearance, with the attribute it was found in).
#[derive(Debug, Default)]
pub(crate) struct PageRecord {
    /// Shared by the record `serve` keeps for the next build ([`PageRecord::in_page`]) and the
    /// one this build's check reads (issue 15: a copy of every page's ids was ~33 MB of the
    /// link check's peak at 100,000 documents).
    ids: Arc<Ids>,
    /// The URLs on the page, or where to read them again.
    links: Links,
    /// Digest of the links, and of the ids: a rebuild re-checks a page only when its links, or
    /// a target its check read, changed (see `crate::memo`).
    links_digest: u64,
    ids_digest: u64,
}

/// The ids a page defines, sorted, each once, joined into one string (one allocation per page
/// rather than one per id: ~11 ids a page, ~25 bytes of text, were ~430 bytes as boxed
/// strings), and the ids given to more than one element (QA Q25: a heading `{#main}` beside the
/// theme's `<main id="main">`), sorted; almost always empty.
#[derive(Debug, Default, PartialEq, Eq)]
struct Ids {
    text: Box<str>,
    /// Where id `i` ends in `text`.
    ends: Box<[u32]>,
    dups: Box<[Box<str>]>,
}

impl Ids {
    fn get(&self, i: usize) -> &str {
        let start = match i {
            0 => 0,
            i => self.ends.get(i - 1).map_or(0, |&e| e as usize),
        };
        let end = self.ends.get(i).map_or(start, |&e| e as usize);
        self.text.get(start..end).unwrap_or_default()
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.ends.len()).map(|i| self.get(i))
    }

    fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    fn contains(&self, id: &str) -> bool {
        let (mut lo, mut hi) = (0, self.ends.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.get(mid).cmp(id) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return true,
            }
        }
        false
    }

    fn join(&self, sep: &str) -> String {
        self.iter().collect::<Vec<_>>().join(sep)
    }
}

/// Two records are the same when they have the same ids and the same links (by digest: a
/// record that left its URLs in its page has the same links as the one they were taken from).
impl PartialEq for PageRecord {
    fn eq(&self, other: &PageRecord) -> bool {
        self.ids == other.ids
            && self.links_digest == other.links_digest
            && self.ids_digest == other.ids_digest
    }
}

impl Eq for PageRecord {}

/// The attribute of a URL is kept in the top bits of its end in [`Links::Here`]: a page's URLs
/// end before 512 MiB (a page with more URL text than that is checked on its first 512 MiB).
const END_BITS: u32 = 29;
const END_MASK: u32 = (1 << END_BITS) - 1;

fn attr_code(a: Attr) -> u32 {
    (match a {
        Attr::Href => 0,
        Attr::Src => 1,
        Attr::Srcset => 2,
        Attr::Action => 3,
        Attr::Refresh => 4,
        Attr::Loc => 5,
    }) << END_BITS
}

fn attr_of(end: u32) -> Attr {
    match end >> END_BITS {
        0 => Attr::Href,
        1 => Attr::Src,
        2 => Attr::Srcset,
        3 => Attr::Action,
        4 => Attr::Refresh,
        _ => Attr::Loc,
    }
}

/// A page's URLs: in the record, or left in the page `lmp serve` keeps on disk.
#[derive(Debug)]
enum Links {
    /// The URLs, joined: one allocation per page rather than one per link (a build holds the
    /// records of every page until the check: at 100,000 documents they were 600 MB as boxed
    /// strings). `ends[i]` is where URL `i` ends in `urls` (its low 29 bits) and the attribute
    /// it was found in (the top 3: see [`attr_code`]; 4 bytes a URL, not 8).
    Here { urls: Box<str>, ends: Box<[u32]> },
    /// In the page, read and scanned again when the page is checked again (a record `serve`
    /// keeps for the next build: most pages are not checked again, and the URLs were 15 MB of
    /// the 29 MB of records it kept at 10,000 documents; issue 15).
    InPage(Arc<crate::fsx::OnDisk>),
}

impl Default for Links {
    fn default() -> Links {
        Links::Here {
            urls: Box::default(),
            ends: Box::default(),
        }
    }
}

/// The URLs of a page (see [`PageRecord::links`]): borrowed from the record, or read again.
pub(crate) struct PageLinks<'r> {
    urls: std::borrow::Cow<'r, str>,
    ends: std::borrow::Cow<'r, [u32]>,
}

impl PageLinks<'_> {
    /// Each URL once, in order of first appearance, with the attribute it was found in.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (Attr, &str)> {
        self.ends.iter().scan(0usize, |start, &e| {
            let end = (e & END_MASK) as usize;
            let url = self.urls.get(*start..end).unwrap_or_default();
            *start = end;
            Some((attr_of(e), url))
        })
    }
}

impl PageRecord {
    /// The record of a page, from its bytes.
    pub(crate) fn of(page: &[u8]) -> PageRecord {
        // What the scan finds, borrowed from the page where it is written as it reads: the
        // record copies each URL once, into its joined string (a `String` per id, name and URL
        // found was a fifth of the record's cost).
        struct Seen<'p> {
            ids: Vec<Cow<'p, str>>,
            names: Vec<Cow<'p, str>>,
            urls: Vec<(Attr, Cow<'p, str>)>,
        }
        impl<'p> scan::Visit<'p> for Seen<'p> {
            fn id(&mut self, id: Cow<'p, str>) {
                self.ids.push(id);
            }
            fn name(&mut self, name: Cow<'p, str>) {
                self.names.push(name);
            }
            fn url(&mut self, attr: Attr, url: Cow<'p, str>, _: usize) {
                self.urls.push((attr, url));
            }
        }
        // About what a page of the theme has (its Vecs grew from empty on every page: 27 M
        // instructions at 10,000 documents).
        let mut found = Seen {
            ids: Vec::with_capacity(16),
            names: Vec::new(),
            urls: Vec::with_capacity(64),
        };
        scan::visit(page, &mut found);
        let mut ids = found.ids;
        ids.sort_unstable();
        let mut dups: Vec<Box<str>> = ids
            .windows(2)
            .filter(|w| w[0] == w[1])
            .map(|w| Box::from(&*w[0]))
            .collect();
        dups.dedup();
        ids.extend(found.names);
        ids.sort_unstable();
        ids.dedup();
        let mut text = String::with_capacity(ids.iter().map(|i| i.len()).sum());
        let mut id_ends = Vec::with_capacity(ids.len());
        for id in &ids {
            text.push_str(id);
            id_ends.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
        }
        let mut seen: HashSet<&str, std::hash::BuildHasherDefault<crate::util::Short>> =
            HashSet::with_capacity_and_hasher(found.urls.len(), Default::default());
        let mut urls = String::with_capacity(found.urls.iter().map(|(_, u)| u.len()).sum());
        let mut ends = Vec::with_capacity(found.urls.len());
        // The attribute and end of each URL, for the digest (with the joined URLs: the same
        // information as each URL and its attribute, hashed in two calls rather than three per
        // URL).
        let mut marks = Vec::with_capacity(found.urls.len() * 5);
        for (a, u) in &found.urls {
            if !seen.insert(&**u) {
                continue;
            }
            if urls.len() + u.len() > END_MASK as usize {
                break;
            }
            urls.push_str(u);
            let end = urls.len() as u32;
            ends.push(end | attr_code(*a));
            marks.push(*a as u8);
            marks.extend_from_slice(&end.to_le_bytes());
        }
        drop(seen);
        let links_digest = xxhash_rust::xxh3::xxh3_64_with_seed(
            urls.as_bytes(),
            xxhash_rust::xxh3::xxh3_64(&marks),
        );
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for id in &ids {
            h.update(id.as_bytes());
            h.update(&[0]);
        }
        PageRecord {
            ids: Arc::new(Ids {
                text: text.into_boxed_str(),
                ends: id_ends.into_boxed_slice(),
                dups: dups.into_boxed_slice(),
            }),
            links: Links::Here {
                urls: urls.into_boxed_str(),
                ends: ends.into_boxed_slice(),
            },
            links_digest,
            ids_digest: h.digest(),
        }
    }

    /// A digest of the page's links (each once, with its attribute, in order).
    pub(crate) fn links_digest(&self) -> u64 {
        self.links_digest
    }

    /// A digest of the ids the page defines.
    pub(crate) fn ids_digest(&self) -> u64 {
        self.ids_digest
    }

    /// Whether an id is given to more than one element of the page.
    pub(crate) fn has_dup_ids(&self) -> bool {
        !self.ids.dups.is_empty()
    }

    /// This record with its URLs left in `page`, the page it was taken from (kept on disk by
    /// `lmp serve`): what `serve` keeps for the next build. The URLs are read from the page again
    /// if it is checked again.
    pub(crate) fn in_page(&self, page: Arc<crate::fsx::OnDisk>) -> PageRecord {
        PageRecord {
            ids: self.ids.clone(),
            links: Links::InPage(page),
            links_digest: self.links_digest,
            ids_digest: self.ids_digest,
        }
    }

    /// Whether the URLs are in the record (not left in the page).
    pub(crate) fn has_links(&self) -> bool {
        matches!(self.links, Links::Here { .. })
    }

    /// About how many bytes the record takes (for `lmp -vv serve`'s account of its memory).
    pub(crate) fn bytes(&self) -> usize {
        let links = match &self.links {
            Links::Here { urls, ends } => urls.len() + ends.len() * 4,
            Links::InPage(_) => 0,
        };
        // The ids are counted with every record that shares them.
        let ids = self.ids.text.len()
            + self.ids.ends.len() * 4
            + self.ids.dups.iter().map(|i| i.len() + 16).sum::<usize>();
        links + ids + std::mem::size_of::<PageRecord>()
    }

    /// Whether the page defines `id`.
    pub(crate) fn has_id(&self, id: &str) -> bool {
        self.ids.contains(id)
    }

    /// The URLs on the page (read from the page again when the record left them there).
    pub(crate) fn links(&self) -> PageLinks<'_> {
        use std::borrow::Cow;
        match &self.links {
            Links::Here { urls, ends } => PageLinks {
                urls: Cow::Borrowed(urls),
                ends: Cow::Borrowed(ends),
            },
            Links::InPage(page) => {
                let bytes = page.read().unwrap_or_else(|e| {
                    log::error!("error: the link check of a page kept on disk: {e:#}");
                    Vec::new()
                });
                match PageRecord::of(&bytes).links {
                    Links::Here { urls, ends } => PageLinks {
                        urls: Cow::Owned(urls.into_string()),
                        ends: Cow::Owned(ends.into_vec()),
                    },
                    Links::InPage(_) => PageLinks {
                        urls: Cow::Borrowed(""),
                        ends: Cow::Borrowed(&[]),
                    },
                }
            }
        }
    }
}

/// Whether an output file is one the check reads (pages, the feed, the sitemap).
pub(crate) fn is_checked(path: &str) -> bool {
    path.ends_with(".html") || path.ends_with(".xml")
}

/// Output path → record, for every checked file of a build.
pub(crate) type Records = BTreeMap<String, Arc<PageRecord>>;

/// The records of the checked files among `files`, each taken from its bytes (`crate::memo`
/// reuses the records of pages whose bytes are the same as last time).
pub(crate) fn records_of<'f>(
    files: impl IntoParallelIterator<Item = (&'f String, &'f crate::fsx::Bytes)>,
) -> Records {
    files
        .into_par_iter()
        .filter(|(p, _)| is_checked(p))
        .map(|(p, b)| (p.clone(), Arc::new(PageRecord::of(b))))
        .collect()
}

/// Where a document page's own content came from.
pub(crate) struct DocSource<'a> {
    /// The file, as shown in messages.
    pub path: &'a Path,
    /// Its whole text (front matter and body).
    pub text: &'a str,
    /// The line of the file the body starts on.
    pub body_line: usize,
    /// The links of the body's markdown pass (positions relative to the body).
    pub links: &'a [Link],
    /// The front matter fields in markdown the markdown pass rendered (a translation's field
    /// taken from its original is written in the original's file, where that pass reports its
    /// `.md` links and `#fragment`s).
    pub front: &'a [crate::markdown::FieldHtml],
    /// The ids the body's markdown pass made (headings, footnotes), in order; `None` for a
    /// static HTML file (its ids are all its own).
    pub ids: Option<&'a [String]>,
}

/// Where the links of an output page came from.
#[derive(Default)]
pub(crate) struct Origin<'a> {
    /// The document the page shows, if any.
    pub doc: Option<DocSource<'a>>,
    /// The template that wrote the page (by name, and its file), or `None` for pages `lmp`
    /// writes itself (feed, sitemap, redirects).
    pub template: Option<(String, PathBuf)>,
}

/// The site the links are checked against.
pub(crate) struct Site<'a> {
    /// The full base URL (`https://example.org/lmp/`).
    pub base_url: &'a str,
    /// Its path (`/lmp/`).
    pub base_path: &'a str,
    /// Every output path the build writes (`stories/a/index.html`, `files/x.pdf`).
    pub files: &'a HashSet<&'a str>,
    pub records: &'a Records,
    /// Pages the build does not write because of other errors (output path → the file whose
    /// errors keep it out, as shown): a link to one is not reported (that file's errors are).
    pub unbuilt: Option<&'a HashMap<String, String>>,
    /// `config.yaml` (its path and text): a broken link templates write from a URL written
    /// there (a menu entry) is reported there, once per place, not once per template.
    pub config: Option<(&'a Path, &'a str)>,
    /// The templates a page's template is made of (see `render::Theme::template_chain`),
    /// each with its file and text: a broken link written in one is reported there, at its line,
    /// once for every page that shows it (QA Q120).
    pub templates: Option<&'a TemplateChain<'a>>,
}

/// A template file, line, column and message: one diagnostic however many pages show it.
type TemplatePlace = (PathBuf, usize, usize, String);
/// The diagnostic, its help from the check, the first page that shows it, and how many do.
type TemplateFound = (Diagnostic, Option<String>, String, usize);

/// See [`Site::templates`]: a template's name → the files and texts of the templates it is
/// made of.
pub(crate) type TemplateChain<'a> = dyn Fn(&str) -> Vec<(&'a Path, &'a str)> + Sync + 'a;

/// Where a link leads.
#[derive(Debug, PartialEq, Eq, Hash)]
pub(crate) enum Target {
    /// A path in this site (without the base path, percent-decoded) and its fragment.
    Internal {
        path: String,
        fragment: Option<String>,
    },
    /// A root-relative path outside the base path (`/guides/` on a site under `/lmp/`).
    OutsideBase(String),
    /// An `http(s)` URL elsewhere.
    External(String),
    /// Nothing to check (`mailto:`, `tel:`, `data:`, an empty `href`, a bare `#`).
    Skip,
}

impl Site<'_> {
    /// The scheme and host of the base URL (`https://example.org`).
    fn origin(&self) -> &str {
        let after_scheme = self.base_url.find("://").map_or(0, |i| i + 3);
        let end = self.base_url[after_scheme..]
            .find('/')
            .map_or(self.base_url.len(), |e| after_scheme + e);
        &self.base_url[..end]
    }

    /// The base URL, when an address that starts with it is the site path after it as
    /// [`Site::resolve`] reads it (`https://example.org/lmp/x/` → `x/`, as `/lmp/x/`): the base
    /// URL is its origin and the base path, and the base path has no `.` segment to resolve.
    /// `None` otherwise (a base path with a `%` escape: the base path is compared decoded).
    fn same_site_prefix(&self) -> Option<&str> {
        let origin = self.origin();
        (!origin.is_empty()
            && origin.contains("://")
            && self.base_url.strip_prefix(origin) == Some(self.base_path)
            && self.base_path.starts_with('/')
            && self.base_path.ends_with('/')
            && !self.base_path.contains("/.")
            && !self.base_path.contains('%')
            && !origin.contains('@'))
        .then_some(self.base_url)
    }

    /// Fast path of the check, no allocation: whether `raw` is a plain link to a file or
    /// folder of the build (then in `buf`, its `index.html` for a folder) as [`Site::resolve`]
    /// and [`Site::file_of`] read it, without a fragment: a root-relative link under the base
    /// path (most links: menus, cards, terms), or the same written in full with the base URL
    /// (`same_site`, see [`Site::same_site_prefix`]: each page's canonical link and `hreflang`
    /// alternates, the sitemap's addresses). `false`: ask `resolve`.
    fn plain_file(&self, same_site: Option<&str>, raw: &str, buf: &mut String) -> bool {
        let Some(rel) = raw
            .strip_prefix(self.base_path)
            .or_else(|| raw.strip_prefix(same_site?))
        else {
            return false;
        };
        if rel.contains(['#', '?', '%', '\\']) || rel.contains("/.") || rel.starts_with('.') {
            return false;
        }
        buf.clear();
        buf.push_str(rel);
        if rel.is_empty() || rel.ends_with('/') {
            buf.push_str("index.html");
        }
        self.files.contains(buf.as_str())
    }

    /// Where `raw` (an attribute value on the page at output path `page`) leads.
    pub(crate) fn resolve(&self, page: &str, raw: &str) -> Target {
        let raw = raw.trim();
        if raw.is_empty() || raw == "#" {
            return Target::Skip;
        }
        let abs: String = if let Some(f) = raw.strip_prefix('#') {
            return Target::Internal {
                path: page.to_string(),
                fragment: Some(crate::escape::percent_decode(f)),
            };
        } else if let Some(rest) = raw.strip_prefix("//") {
            return self.absolute(&format!("https://{rest}"), raw);
        } else if raw.starts_with('/') {
            raw.to_string()
        } else if let Some(scheme) = scheme(raw) {
            if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") {
                return self.absolute(raw, raw);
            }
            return Target::Skip;
        } else {
            // Relative to the page's folder, as a browser resolves it.
            let dir = match page.rfind('/') {
                Some(i) => &page[..=i],
                None => "",
            };
            format!("{}{dir}{raw}", self.base_path)
        };
        self.internal(&abs, raw)
    }

    fn absolute(&self, url: &str, raw: &str) -> Target {
        let origin = self.origin();
        // The site's own host written with the other scheme (`http://` for an `https://` site,
        // as old content is full of) or with its default port (`:443`) is the site too (QA Q36).
        if let (Some((b_scheme, b_host)), Some((scheme, host_port, rest))) =
            (split_origin(origin), split_url(url))
        {
            let (host, port) = match host_port.rsplit_once(':') {
                Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) => (h, Some(p)),
                _ => (host_port, None),
            };
            let default_port = match scheme.to_ascii_lowercase().as_str() {
                "http" => "80",
                _ => "443",
            };
            if host.eq_ignore_ascii_case(b_host)
                && !b_host.contains(':')
                && port.is_none_or(|p| p == default_port)
                && (port.is_some() || !scheme.eq_ignore_ascii_case(b_scheme))
            {
                let path = if rest.starts_with('/') {
                    rest.to_string()
                } else {
                    format!("/{rest}")
                };
                return self.internal(&path, raw);
            }
        }
        match url.get(..origin.len()) {
            Some(o) if o.eq_ignore_ascii_case(origin) && !origin.is_empty() => {
                let rest = &url[origin.len()..];
                if rest.is_empty() || rest.starts_with(['/', '?', '#']) {
                    let path = if rest.starts_with('/') {
                        rest.to_string()
                    } else {
                        format!("/{rest}")
                    };
                    return self.internal(&path, raw);
                }
                Target::External(raw.to_string())
            }
            _ => Target::External(url.to_string()),
        }
    }

    /// A root-relative URL (with the base path): its site path and fragment.
    fn internal(&self, abs: &str, raw: &str) -> Target {
        let (before, fragment) = match abs.split_once('#') {
            Some((b, f)) => (b, Some(crate::escape::percent_decode(f))),
            None => (abs, None),
        };
        let path = before.split_once('?').map_or(before, |(p, _)| p);
        let path = normalize(&crate::escape::percent_decode(path));
        match path.strip_prefix(self.base_path) {
            Some(rel) => Target::Internal {
                path: rel.to_string(),
                fragment,
            },
            None if path.len() + 1 == self.base_path.len()
                && self.base_path.starts_with(path.as_str()) =>
            {
                Target::Internal {
                    path: String::new(),
                    fragment,
                }
            }
            None => Target::OutsideBase(raw.to_string()),
        }
    }

    /// The output file a site path names: itself, or the `index.html` of that folder.
    pub(crate) fn file_of(&self, path: &str) -> Option<String> {
        if path.is_empty() || path.ends_with('/') {
            let f = format!("{path}index.html");
            return self.files.contains(f.as_str()).then_some(f);
        }
        if self.files.contains(path) {
            return Some(path.to_string());
        }
        let f = format!("{path}/index.html");
        self.files.contains(f.as_str()).then_some(f)
    }

    /// The file whose errors keep the page at site path `path` out of the build, if any.
    fn unbuilt_by(&self, path: &str) -> Option<&str> {
        let unbuilt = self.unbuilt?;
        let candidates = if path.is_empty() || path.ends_with('/') {
            vec![format!("{path}index.html")]
        } else {
            vec![path.to_string(), format!("{path}/index.html")]
        };
        candidates
            .iter()
            .find_map(|c| unbuilt.get(c))
            .map(String::as_str)
    }
}

/// `https://example.org` → (`https`, `example.org`).
fn split_origin(origin: &str) -> Option<(&str, &str)> {
    origin.split_once("://")
}

/// `http://example.org:443/a/?q#f` → (`http`, `example.org:443`, `/a/?q#f`); `None` for a URL
/// with user info (`user@host`) or that is not `http(s)`.
fn split_url(url: &str) -> Option<(&str, &str, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        return None;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (host, path) = rest.split_at(end);
    (!host.contains('@')).then_some((scheme, host, path))
}

/// `scheme` of `scheme:rest` (RFC 3986), if any.
fn scheme(s: &str) -> Option<&str> {
    let end = s.find(':')?;
    let sch = &s[..end];
    let mut chars = sch.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(sch)
}

/// Resolve `.` and `..` segments of an absolute path (never above the root).
fn normalize(path: &str) -> String {
    if !path.contains("/.") {
        return path.to_string();
    }
    let mut out: Vec<&str> = Vec::new();
    let segs: Vec<&str> = path.split('/').collect();
    let last = segs.len().saturating_sub(1);
    for (k, s) in segs.iter().enumerate() {
        match *s {
            "." => {
                if k == last {
                    out.push("");
                }
            }
            ".." => {
                if out.len() > 1 {
                    out.pop();
                }
                if k == last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    let joined = out.join("/");
    if joined.starts_with('/') {
        joined
    } else {
        format!("/{joined}")
    }
}

/// A page's problems and its outbound links (URL, page).
pub(crate) type PageResult = (Vec<Problem>, Vec<(String, String)>);

/// One problem found on a page, before it is turned into a diagnostic.
#[derive(Clone)]
pub(crate) struct Problem {
    page: String,
    attr: Attr,
    raw: String,
    message: String,
    help: Option<String>,
    /// Caused by another file's errors (a link to a page they keep out of the build).
    caused: bool,
    /// A missing `#fragment` without a close id: the output path of the page it points into,
    /// whose document's own ids (headings, footnotes) the help lists (QA Q16: it listed the
    /// template's ids, `main`, `site-search-q`, … too).
    ids_of: Option<String>,
}

/// An outbound link and every place it is written: a `file:line:col` in a document, or the
/// page (one per page that shows it, in page order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outbound {
    pub url: String,
    pub at: Vec<Diagnostic>,
}

/// Every page's result, in page order (see [`check_all`]; `crate::memo` reuses the results of
/// pages whose links and targets are the same as at the last check).
pub(crate) type PerPage<'a> = dyn Fn(&Site<'_>) -> Vec<Arc<PageResult>> + Sync + 'a;

/// Check every record. `origin` tells where the links of an output page came from; `pages`
/// gives each page's result (`None`: [`check_all`]). Returns the errors (sorted) and, when
/// `gather`, the outbound links (sorted by URL, each once): `lmp serve` never checks outbound
/// links, so it does not gather them (at 10,000 documents that was a map of every page's
/// outbound links on every rebuild).
pub(crate) fn check<'a>(
    site: &Site<'_>,
    origin: &(dyn Fn(&str) -> Origin<'a> + Sync),
    pages: Option<&PerPage<'_>>,
    gather: bool,
) -> (Vec<Diagnostic>, Vec<Outbound>) {
    let per_page = match pages {
        Some(pages) => pages(site),
        None => check_all(site),
    };
    let mut problems = Vec::new();
    let mut outbound: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in &per_page {
        let (p, o) = &**r;
        problems.extend(p.iter().cloned());
        for (url, page) in o.iter().filter(|_| gather) {
            let pages = outbound.entry(url.clone()).or_default();
            if pages.last() != Some(page) {
                pages.push(page.clone());
            }
        }
    }
    drop(per_page);
    // A feed shows the bodies of pages that are checked themselves: a broken link there is
    // reported once, at the page's markdown, not again for the feed.
    let on_pages: HashSet<Target> = problems
        .iter()
        .filter(|p| !p.page.ends_with(".xml"))
        .map(|p| site.resolve(&p.page, &p.raw))
        .collect();
    problems.retain(|p| {
        !p.page.ends_with(".xml") || !on_pages.contains(&site.resolve(&p.page, &p.raw))
    });
    let suggestions = std::sync::LazyLock::new(|| Suggestions::new(site));
    // Template links: one diagnostic per template and URL, naming how many pages show it.
    let mut by_template: BTreeMap<(PathBuf, String, String), (Diagnostic, usize)> = BTreeMap::new();
    let mut diags = Vec::new();
    let mut in_config_seen: HashSet<(usize, usize, String)> = HashSet::new();
    // Links written in a template's text: one diagnostic per place, with the pages that show it.
    let mut in_templates: BTreeMap<TemplatePlace, TemplateFound> = BTreeMap::new();
    let memo = PlacesMemo::default();
    let mut doc_places: Option<(String, DocPlaces<'_>)> = None;
    for mut p in problems {
        let o = origin(&p.page);
        if let Some(ids) = p.ids_of.as_deref().and_then(|f| origin(f).doc?.ids) {
            // The ids the target document's text makes: what an author can link to.
            p.help = Some(if ids.is_empty() {
                "the text of that page has no headings to link to: link the page without `#…`"
                    .to_string()
            } else {
                format!("the ids on that page are: {}", ids.join(", "))
            });
        }
        if let Some(doc) = &o.doc {
            // A page's problems come one after the other: its document is indexed once.
            if doc_places.as_ref().is_none_or(|(page, _)| *page != p.page) {
                doc_places = Some((p.page.clone(), DocPlaces::new(doc)));
            }
            if doc_places.as_ref().is_some_and(|(_, places_of)| {
                places_of.reported_md_link(&p.raw) || places_of.reported_at_original(&p.raw)
            }) {
                // A relative `.md` link to no document: the markdown pass reported it (and
                // looked for its "did you mean").
                continue;
            }
        }
        let help = p
            .help
            .clone()
            .or_else(|| md_href_help(site, &p.page, &p.raw))
            .or_else(|| suggestions.help(site, &p.page, &p.raw))
            .or_else(|| fallback_help(site, &suggestions, &p.page, &p.raw, p.attr));
        if let Some(doc) = &o.doc {
            let Some((_, places_of)) = &doc_places else {
                continue;
            };
            let places = places_of.locate(&p.raw);
            if !places.is_empty() {
                // Every place the link is written: each one needs the fix.
                for (line, col) in places {
                    let mut d = Diagnostic::error(doc.path, line, col, p.message.clone())
                        .with_source_in(&places_of.lines);
                    d.help = help.clone();
                    d.caused = p.caused;
                    diags.push(d);
                }
                continue;
            }
        }
        let config_help = || {
            p.help
                .clone()
                .or_else(|| suggestions.help(site, &p.page, &p.raw))
        };
        let in_config = site
            .config
            .map(|(path, text)| (path, text, config_places(text, site, &p.page, &p.raw)))
            .filter(|(_, _, places)| !places.is_empty());
        if let Some((path, text, places)) = in_config {
            for (line, col) in places {
                let mut d = Diagnostic::error(path, line, col, p.message.clone()).with_source(text);
                d.help = Some(match config_help() {
                    Some(h) => format!("{h} (this address is written on every page that shows it)"),
                    None => "write the address of a page of this site, as `lmp serve` shows it in the address bar (`/stories/`); it is written on every page that shows it".into(),
                });
                d.caused = p.caused;
                if !in_config_seen.contains(&(line, col, p.message.clone())) {
                    in_config_seen.insert((line, col, p.message.clone()));
                    diags.push(d);
                }
            }
            continue;
        }
        let page_url = page_url(site, &p.page);
        if let Some((name, _)) = &o.template {
            let places = places_in_templates(site, name, &p.page, &p.raw, &memo);
            for (path, line, col, source) in places.iter() {
                let key = (path.clone(), *line, *col, p.message.clone());
                let entry = in_templates.entry(key).or_insert_with(|| {
                    let mut d = Diagnostic::error(path, *line, *col, p.message.clone())
                        .with_source_line(source);
                    d.caused = p.caused;
                    (d, help.clone(), page_url.clone(), 0)
                });
                entry.3 += 1;
            }
            if !places.is_empty() {
                continue;
            }
        }
        let (tpath, what) = match &o.template {
            Some((name, path)) => (path.clone(), format!("template `{name}`")),
            None => (PathBuf::from(&p.page), "lmp".to_string()),
        };
        let key = (tpath.clone(), p.raw.clone(), p.message.clone());
        let entry = by_template.entry(key).or_insert_with(|| {
            let mut d = Diagnostic::error(tpath, 0, 0, p.message.clone());
            d.caused = p.caused;
            let written = format!("written by {what} (or a template it includes) on {page_url}");
            d.help = Some(match help {
                Some(h) => format!("{written}; {h}"),
                None => written,
            });
            (d, 0)
        });
        entry.1 += 1;
    }
    for (_, (mut d, help, page, n)) in in_templates {
        let on = match n {
            1 => format!("this template writes it on {page}"),
            n => format!("this template writes it on {n} pages, e.g. {page}"),
        };
        d.help = Some(match help {
            Some(h) => format!("{h} ({on})"),
            None => format!(
                "write the address of a page or file of this site, as `lmp serve` shows it in the address bar ({on})"
            ),
        });
        diags.push(d);
    }
    diags.extend(duplicate_ids(site, origin));
    for (_, (mut d, n)) in by_template {
        if n > 1 {
            d.help = d
                .help
                .map(|h| h.replacen(" on ", &format!(" on {n} pages, e.g. "), 1));
        }
        diags.push(d);
    }
    crate::diagnostics::sort(&mut diags);
    // Where each outbound link is written, page by page: a page's document is indexed once for
    // all of its links (QA Q135), then the places are gathered per link.
    let mut urls: Vec<String> = Vec::with_capacity(outbound.len());
    let mut by_page: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, (url, mut pages)) in outbound.into_iter().enumerate() {
        // QA Q39: the feed shows the bodies of pages checked themselves: a link there is
        // reported at the page's markdown, not again at the feed.
        if pages.iter().any(|p| !p.ends_with(".xml")) {
            pages.retain(|p| !p.ends_with(".xml"));
        }
        for page in pages {
            by_page.entry(page).or_default().push(i);
        }
        urls.push(url);
    }
    let mut ats: Vec<Vec<Diagnostic>> = vec![Vec::new(); urls.len()];
    for (page, links) in &by_page {
        let o = origin(page);
        let places_of = o.doc.as_ref().map(|d| (d, DocPlaces::new(d)));
        for &i in links {
            let url = &urls[i];
            if let Some((d, places_of)) = &places_of {
                let places = places_of.locate(url);
                if !places.is_empty() {
                    ats[i].extend(places.into_iter().map(|(line, col)| {
                        Diagnostic::warning(d.path, line, col, String::new())
                            .with_source_in(&places_of.lines)
                    }));
                    continue;
                }
            }
            // A template's link: at the line of the template that writes it (QA Q120), else
            // once per template, like broken links.
            let located: Vec<Diagnostic> = match &o.template {
                Some((name, _)) => places_in_templates(site, name, page, url, &memo)
                    .iter()
                    .map(|(path, line, col, source)| {
                        Diagnostic::warning(path, *line, *col, String::new())
                            .with_source_line(source)
                    })
                    .collect(),
                None => Vec::new(),
            };
            if located.is_empty() {
                ats[i].push(match &o.template {
                    Some((_, tpath)) => Diagnostic::warning(tpath, 0, 0, String::new()),
                    None => Diagnostic::warning(page_url(site, page), 0, 0, String::new()),
                });
            } else {
                ats[i].extend(located);
            }
        }
    }
    let outbound = urls
        .into_iter()
        .zip(ats)
        .map(|(url, mut at)| {
            at.sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
            at.dedup_by(|a, b| a.path == b.path && a.line == b.line && a.col == b.col);
            Outbound { url, at }
        })
        .collect();
    (diags, outbound)
}

/// QA Q25: an id given to two elements of a page (a heading `{#main}` or a raw `id="main"`
/// beside the theme's `<main id="main">`) breaks the links to it and the skip link. Where the
/// document writes the id itself it is an error there; a heading whose title makes the id is a
/// warning at the heading; otherwise a warning at the template.
fn duplicate_ids<'a>(
    site: &Site<'_>,
    origin: &(dyn Fn(&str) -> Origin<'a> + Sync),
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut by_template: BTreeMap<(PathBuf, String), (String, usize)> = BTreeMap::new();
    for (page, rec) in site.records {
        if rec.ids.dups.is_empty() || !page.ends_with(".html") {
            continue;
        }
        let o = origin(page);
        // The document's ids found in one pass for all of the page's duplicates (QA s10: a pass
        // over the body per duplicated id, and one per diagnostic to find its line).
        let places = o.doc.as_ref().map(IdPlaces::new);
        for id in &rec.ids.dups {
            let message = format!("the id `{id}` is given to two elements of this page");
            if let (Some(doc), Some(places)) = (&o.doc, &places) {
                let (written, headings) = places.of(id);
                let help = |by: &str| {
                    format!(
                        "{by}: a link to `#{id}` reaches only one of them (the theme's may be a skip link or a label); give yours another id, e.g. `{id}-section`"
                    )
                };
                if !written.is_empty() {
                    let by = if written.len() > 1 {
                        "this file writes it more than once"
                    } else {
                        "the page's template uses it too"
                    };
                    for (line, col) in written {
                        let mut d = Diagnostic::error(doc.path, line, col, message.clone())
                            .with_source_in(&places.lines);
                        d.help = Some(help(by));
                        diags.push(d);
                    }
                    continue;
                }
                if !headings.is_empty() {
                    for (line, col) in headings {
                        let mut d = Diagnostic::warning(
                            doc.path,
                            line,
                            col,
                            format!(
                                "this heading's id `{id}` (made from its title) is given to another element of the page too"
                            ),
                        )
                        .with_source_in(&places.lines);
                        d.help = Some(help("the page's template uses it"));
                        diags.push(d);
                    }
                    continue;
                }
            }
            let tpath = match &o.template {
                Some((_, path)) => path.clone(),
                None => PathBuf::from(page),
            };
            by_template
                .entry((tpath, id.to_string()))
                .or_insert_with(|| (page_url(site, page), 0))
                .1 += 1;
        }
    }
    for ((tpath, id), (url, n)) in by_template {
        let mut d = Diagnostic::warning(
            tpath,
            0,
            0,
            format!("the id `{id}` is given to two elements of a page"),
        );
        let pages = if n > 1 {
            format!("{n} pages, e.g. {url}")
        } else {
            url
        };
        d.help = Some(format!(
            "written by this template (or one it includes) on {pages}: an id names one element"
        ));
        diags.push(d);
    }
    diags
}

/// A 1-based line and column.
type Place = (usize, usize);

/// Where a document's body writes each id itself (`{#id}` after a heading, `id="id"` in raw
/// HTML), and where a heading's title makes it: found in one pass over the body.
struct IdPlaces<'a> {
    lines: Lines<'a>,
    /// An id → the byte offsets in the file where the body writes it.
    written: HashMap<&'a str, Vec<usize>>,
    /// An id → the byte offsets of the headings whose title makes it.
    headings: HashMap<String, Vec<usize>>,
}

impl<'a> IdPlaces<'a> {
    fn new(doc: &DocSource<'a>) -> IdPlaces<'a> {
        // Counted as one read of the file (its ids and its headings).
        crate::diagnostics::work(doc.text.len());
        let lines = Lines::new(doc.text);
        let body_start = lines.offset_of_line(doc.body_line);
        let raw = doc.text.get(body_start..).unwrap_or("");
        let body = outside_fences(raw);
        let mut written: HashMap<&'a str, Vec<usize>> = HashMap::new();
        let mut headings: HashMap<String, Vec<usize>> = HashMap::new();
        // `outside_fences` keeps every byte's offset (fenced lines are blanked): the ids are
        // taken from the file's text at the same offsets, to outlive the blanked copy.
        // The place is where the pattern starts (`{#`, `id=`).
        let mut put = |at: usize, from: usize, len: usize| {
            if let Some(id) = raw.get(from..from + len) {
                written.entry(id).or_default().push(body_start + at);
            }
        };
        for (o, _) in body.match_indices("{#") {
            // `{#id}` or `{#id .class}`.
            let rest = &body[o + 2..];
            if let Some(end) = rest.find(['}', ' ']) {
                put(o, o + 2, end);
            }
        }
        for (o, _) in body.match_indices("id=") {
            if body[..o]
                .chars()
                .next_back()
                .is_some_and(|c| !c.is_whitespace())
            {
                continue;
            }
            let rest = &body[o + 3..];
            match rest.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    if let Some(end) = rest[1..].find(q) {
                        put(o, o + 4, end);
                    }
                }
                _ => {
                    if let Some(end) = rest.find([' ', '>']) {
                        put(o, o + 3, end);
                    }
                }
            }
        }
        for list in written.values_mut() {
            list.sort_unstable();
            list.dedup();
        }
        let mut at = 0;
        for line in body.split_inclusive('\n') {
            let t = line.trim_start();
            if t.starts_with('#') {
                let title = t.trim_start_matches('#').trim();
                headings
                    .entry(crate::slug::anchor(title.trim_end_matches('#').trim()))
                    .or_default()
                    .push(body_start + at + (line.len() - t.len()));
            }
            at += line.len();
        }
        IdPlaces {
            lines,
            written,
            headings,
        }
    }

    /// Where the body writes `id`, and where a heading makes it; each as 1-based line and
    /// column, in order.
    fn of(&self, id: &str) -> (Vec<Place>, Vec<Place>) {
        let places = |offsets: Option<&Vec<usize>>| -> Vec<Place> {
            let mut v: Vec<Place> = offsets
                .into_iter()
                .flatten()
                .map(|&o| self.lines.line_col(o))
                .collect();
            v.dedup();
            v
        };
        (places(self.written.get(id)), places(self.headings.get(id)))
    }
}

/// Every `line:col` of `config.yaml` (its text) where the link `raw` of page `page` is written
/// as a value (`url: /abuot/` in a menu, with or without the base path), outside comments.
fn config_places(text: &str, site: &Site<'_>, page: &str, raw: &str) -> Vec<(usize, usize)> {
    let mut needles = vec![raw.to_string()];
    if let Target::Internal { path, fragment } = site.resolve(page, raw) {
        let mut n = format!("/{path}");
        if let Some(f) = fragment {
            n.push('#');
            n.push_str(&f);
        }
        needles.push(n);
    }
    needles.retain(|n| n.len() > 1);
    needles.dedup();
    let mut at = Vec::new();
    for (k, line) in text.lines().enumerate() {
        // The part before a comment (`#` after a space, or at the start).
        let code = match line.find(" #") {
            Some(c) => &line[..c],
            None if line.trim_start().starts_with('#') => "",
            None => line,
        };
        for n in &needles {
            for (o, _) in code.match_indices(n.as_str()) {
                let before = code[..o].chars().next_back();
                let after = code[o + n.len()..].chars().next();
                let bounded = |c: Option<char>| {
                    c.is_none_or(|c| {
                        c.is_whitespace()
                            || matches!(c, '"' | '\'' | ',' | '}' | '{' | '[' | ']' | ':')
                    })
                };
                if bounded(before) && bounded(after) {
                    at.push((k + 1, code[..o].chars().count() + 1));
                }
            }
        }
    }
    at.sort_unstable();
    at.dedup();
    at
}

/// Where a template's `text` writes the link `raw` of page `page` (QA Q120), as 1-based (line,
/// column): the address as written (`href="/guides/x/"`), or its part after the site's base
/// path written after a value (`{{ site.base_path }}guides/x/`). Only whole attribute values or
/// their ends count, so `/guides/` is not found in `/guides/{{ slug }}/`.
fn template_places(text: &str, site: &Site<'_>, page: &str, raw: &str) -> Vec<(usize, usize)> {
    // (needle, whether it must follow a `}}`)
    let mut needles: Vec<(String, bool)> = vec![(raw.to_string(), false)];
    if let Target::Internal { path, fragment } = site.resolve(page, raw) {
        let frag = fragment.map(|f| format!("#{f}")).unwrap_or_default();
        needles.push((format!("/{path}{frag}"), false));
        needles.push((format!("{}{path}{frag}", site.base_path), false));
        // After `{{ site.base_path }}` or `{{ site.home_url }}`.
        if !path.is_empty() {
            needles.push((format!("{path}{frag}"), true));
        }
    }
    needles.retain(|(n, _)| n.len() > 1);
    needles.sort();
    needles.dedup();
    let lines = Lines::new(text);
    let mut at = Vec::new();
    for (n, after_value) in &needles {
        for (o, _) in text.match_indices(n.as_str()) {
            let before = &text[..o];
            let starts = if *after_value {
                before.ends_with("}}")
            } else {
                before.ends_with(['"', '\'', '=']) || before.ends_with(char::is_whitespace)
            };
            let ends = text[o + n.len()..]
                .chars()
                .next()
                .is_none_or(|c| c.is_whitespace() || matches!(c, '"' | '\'' | '>'));
            if starts && ends {
                at.push(lines.line_col(o));
            }
        }
    }
    at.sort_unstable();
    at.dedup();
    at
}

/// Places in templates: file, line, column and the source line.
type Places = Vec<(PathBuf, usize, usize, String)>;
/// [`places_in_templates`] per template name and address.
type PlacesMemo = std::cell::RefCell<HashMap<(String, String), std::rc::Rc<Places>>>;

/// Where the templates a page's template `name` is made of write `raw` (see
/// [`template_places`]). Kept per template and address: a link in a site's footer is on every
/// page, and is looked for once.
fn places_in_templates(
    site: &Site<'_>,
    name: &str,
    page: &str,
    raw: &str,
    memo: &PlacesMemo,
) -> std::rc::Rc<Places> {
    let key = (name.to_string(), raw.to_string());
    if let Some(p) = memo.borrow().get(&key) {
        return p.clone();
    }
    let places: Places = match site.templates {
        Some(chain) => chain(name)
            .into_iter()
            .flat_map(|(path, text)| {
                template_places(text, site, page, raw)
                    .into_iter()
                    .map(move |(line, col)| {
                        let source = text.lines().nth(line - 1).unwrap_or("");
                        (
                            path.to_path_buf(),
                            line,
                            col,
                            source.trim_end_matches('\r').to_string(),
                        )
                    })
            })
            .collect(),
        None => Vec::new(),
    };
    let places = std::rc::Rc::new(places);
    memo.borrow_mut().insert(key, places.clone());
    places
}

/// `stories/a/index.html` → `/lmp/stories/a/`.
fn page_url(site: &Site<'_>, page: &str) -> String {
    let p = page
        .strip_suffix("index.html")
        .filter(|p| p.is_empty() || p.ends_with('/'))
        .unwrap_or(page);
    format!("{}{p}", site.base_path)
}

/// Every page's result, in page order, each checked (see [`check_page`]).
pub(crate) fn check_all(site: &Site<'_>) -> Vec<Arc<PageResult>> {
    site.records
        .par_iter()
        .map(|(page, rec)| Arc::new(check_page(site, page, rec, &mut Vec::new())))
        .collect()
}

/// Check the links of one page. `deps` receives every output path whose existence (or ids) the
/// result depends on.
pub(crate) fn check_page(
    site: &Site<'_>,
    page: &str,
    rec: &PageRecord,
    deps: &mut Vec<String>,
) -> PageResult {
    let mut problems = Vec::new();
    let mut outbound = Vec::new();
    let mut buf = String::new();
    let links = rec.links();
    let same_site = site.same_site_prefix();
    for (attr, raw) in links.iter() {
        if site.plain_file(same_site, raw, &mut buf) {
            deps.push(buf.clone());
            continue;
        }
        let problem = |message: String, help: Option<String>| Problem {
            page: page.to_string(),
            attr,
            raw: raw.to_string(),
            message,
            help,
            caused: false,
            ids_of: None,
        };
        match site.resolve(page, raw) {
            Target::Skip => {}
            Target::External(u) => match malformed_web_address(raw, &u) {
                // QA s11: `[x](https://)` was reported only by `--external`, as "could not be
                // checked"; what is wrong with its form is known without asking the network.
                Some((message, help)) => problems.push(problem(message, Some(help))),
                None => outbound.push((u, page.to_string())),
            },
            Target::OutsideBase(u) => {
                let fixed = format!("{}{}", site.base_path, u.trim_start_matches('/'));
                problems.push(problem(
                    format!(
                        "link to {u} leaves the site: it is published under {}",
                        site.base_path
                    ),
                    Some(format!(
                        "write `{fixed}`, or a relative link (`../x.md` for a document)"
                    )),
                ));
            }
            Target::Internal { path, fragment } => {
                // file_of asks for the path itself and its folder's index.html.
                if path.is_empty() || path.ends_with('/') {
                    deps.push(format!("{path}index.html"));
                } else {
                    deps.push(path.clone());
                    deps.push(format!("{path}/index.html"));
                }
                let Some(file) = site.file_of(&path) else {
                    if site.unbuilt_by(&path).is_some() {
                        // A page errors keep out of the build: that file's own errors are
                        // reported, not a broken link in every page that links to it.
                        continue;
                    }
                    let what = if attr.is_embedded() {
                        "missing file"
                    } else {
                        "broken link"
                    };
                    problems.push(problem(
                        format!("{what}: {raw} is not a page or file of this site"),
                        None,
                    ));
                    continue;
                };
                let Some(f) = fragment.filter(|f| !f.is_empty() && f != "top") else {
                    continue;
                };
                let Some(target) = site.records.get(&file).filter(|_| file.ends_with(".html"))
                else {
                    continue;
                };
                if !target.has_id(&f) {
                    let help = crate::diagnostics::suggest(&f, target.ids.iter())
                        .map(|s| format!("did you mean `#{s}`?"));
                    let listed = help.is_none();
                    let mut p = problem(
                        format!("link to {raw}: there is no id `{f}` on that page"),
                        help.or_else(|| {
                            Some(if target.ids.is_empty() {
                                "that page has no ids to link to".to_string()
                            } else {
                                format!("the ids on that page are: {}", target.ids.join(", "))
                            })
                        }),
                    );
                    if listed {
                        p.ids_of = Some(file.clone());
                    }
                    problems.push(p);
                }
            }
        }
    }
    (problems, outbound)
}

/// What the check asks of a document's text for each of its page's problems, found once per
/// document (QA Q135: each problem read the whole file and every link of it again, so a page of
/// 20,000 broken links took minutes): its line index, and its links by address.
struct DocPlaces<'d> {
    text: &'d str,
    lines: Lines<'d>,
    /// Decoded address → every `line:col` where the body writes it: each markdown link whose
    /// destination gives it, each attribute of raw HTML in the body (outside fenced code).
    by_href: HashMap<String, Vec<Place>>,
    /// The markdown pass's links, as written and decoded: it reported those with messages
    /// about documents (see [`DocPlaces::reported_md_link`]).
    md_written: HashSet<&'d str>,
    md_decoded: HashSet<String>,
    /// The site addresses (`/stories/x/`, decoded) of the fields a translation takes from its
    /// original: the original's page shows the same field, and its check reports a broken one
    /// at the original's file (see [`DocPlaces::reported_at_original`]).
    inherited: HashSet<String>,
}

/// A link of the markdown pass as that pass reports it, when it does: relative `.md` links and
/// `#fragment`s (decoded).
fn md_reported(l: &Link) -> Option<String> {
    match &l.kind {
        LinkKind::Document { url, fragment, .. } => {
            Some(crate::escape::percent_decode(&match (url, fragment) {
                (Some(u), Some(f)) => format!("{u}#{f}"),
                (Some(u), None) => u.clone(),
                (None, _) => l.dest.clone(),
            }))
        }
        LinkKind::Fragment(f) => Some(format!("#{f}")),
        LinkKind::Other => None,
    }
}

impl<'d> DocPlaces<'d> {
    fn new(doc: &DocSource<'d>) -> DocPlaces<'d> {
        // Counted as one read of the file (its links and its body's tags).
        crate::diagnostics::work(doc.text.len());
        let lines = Lines::new(doc.text);
        let mut by_href: HashMap<String, Vec<Place>> = HashMap::new();
        let mut md_written = HashSet::new();
        let mut md_decoded = HashSet::new();
        for l in doc.links {
            let href = match &l.kind {
                LinkKind::Document {
                    url: Some(u),
                    fragment,
                    ..
                } => match fragment {
                    Some(f) => format!("{u}#{f}"),
                    None => u.clone(),
                },
                _ => l.dest.clone(),
            };
            by_href
                .entry(crate::escape::percent_decode(&href))
                .or_default()
                .push((doc.body_line + l.line - 1, l.col));
            // What the markdown pass reported: relative `.md` links and `#fragment`s.
            let reported = md_reported(l);
            if let Some(r) = reported {
                md_written.insert(l.dest.as_str());
                md_decoded.insert(r);
            }
        }
        let mut inherited = HashSet::new();
        for l in doc
            .front
            .iter()
            .filter(|f| f.inherited)
            .flat_map(|f| &f.links)
        {
            let reported = md_reported(l);
            if let Some(r) = reported {
                md_written.insert(l.dest.as_str());
                md_decoded.insert(r);
            } else if l.dest.starts_with('/') && !l.dest.starts_with("//") {
                inherited.insert(crate::escape::percent_decode(&l.dest));
            }
        }
        // Raw HTML: the scanner reads the tags of the body, as it reads the page.
        let body_start = lines.offset_of_line(doc.body_line);
        let body = outside_fences(doc.text.get(body_start..).unwrap_or(""));
        let found = scan::scan(body.as_bytes());
        for ((_, u), &o) in found.urls.iter().zip(&found.at) {
            let place = lines.line_col(body_start + o);
            by_href
                .entry(crate::escape::percent_decode(u))
                .or_default()
                .push(place);
        }
        DocPlaces {
            text: doc.text,
            lines,
            by_href,
            md_written,
            md_decoded,
            inherited,
        }
    }

    /// Every `line:col` (1-based) in the document where the link `raw` is written, in file
    /// order: each markdown link of its body whose destination gives that URL, each attribute
    /// of raw HTML in the body that holds it (outside fenced code), or else the first place
    /// the URL is written in the file (a front matter field). Empty when it is written nowhere.
    fn locate(&self, raw: &str) -> Vec<Place> {
        let want = crate::escape::percent_decode(raw);
        let mut at = self.by_href.get(&want).cloned().unwrap_or_default();
        if at.is_empty()
            && let Some(o) = self
                .text
                .find(raw)
                .or_else(|| (want != raw).then(|| self.text.find(&want)).flatten())
        {
            at.push(self.lines.line_col(o));
        }
        at.sort_unstable();
        at.dedup();
        at
    }

    /// Whether `raw` is a site address (`/stories/x/`) written in a field the translation
    /// takes from its original and not in its own text: the same address on the original's
    /// page is checked there, and reported at the original's file:line:col (hide s17: it was
    /// reported again, as a template's link with no line). A relative address is not: it may
    /// lead elsewhere from the translation's page.
    fn reported_at_original(&self, raw: &str) -> bool {
        let want = crate::escape::percent_decode(raw);
        !self.inherited.is_empty()
            && self.inherited.contains(want.as_str())
            && !self.by_href.contains_key(want.as_str())
            && !self.text.contains(raw)
    }

    /// Whether `raw` is a relative `.md` link or a `#fragment` of the document's markdown:
    /// the markdown pass checks those (the document and its heading), with messages about
    /// documents.
    fn reported_md_link(&self, raw: &str) -> bool {
        self.md_written.contains(raw)
            || self
                .md_decoded
                .contains(crate::escape::percent_decode(raw).as_str())
    }
}

/// `body` with the text of fenced code blocks blanked (same length, line breaks kept), so that
/// HTML shown as code is not taken for the page's own links.
fn outside_fences(body: &str) -> std::borrow::Cow<'_, str> {
    if !body.contains("```") && !body.contains("~~~") {
        return std::borrow::Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len());
    let mut fence: Option<(char, usize)> = None;
    for line in body.split_inclusive('\n') {
        let t = line.trim_start();
        let marker = t.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = marker.map_or(0, |m| t.chars().take_while(|&c| c == m).count());
        let blank = match (fence, marker) {
            (None, Some(m)) if run >= 3 => {
                fence = Some((m, run));
                true
            }
            (Some((m, n)), Some(c)) if c == m && run >= n && t[run..].trim().is_empty() => {
                fence = None;
                true
            }
            (Some(_), _) => true,
            (None, _) => false,
        };
        if blank {
            // Same byte length, so offsets in the blanked text are offsets in the body.
            for c in line.chars() {
                match c {
                    '\n' => out.push('\n'),
                    c => out.extend(std::iter::repeat_n(' ', c.len_utf8())),
                }
            }
        } else {
            out.push_str(line);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Help for a relative link to a `.md` file that the markdown pass did not make an address of:
/// one in raw HTML (`<a href="first-story.md">`; hostile author s21: it was told to put the
/// file in the static folder). The page's address when the document's file name is its
/// address's last part (a markdown file's folder is one above its page's address).
fn md_href_help(site: &Site<'_>, page: &str, raw: &str) -> Option<String> {
    if raw.starts_with(['/', '#', '\\']) || scheme(raw).is_some() {
        return None;
    }
    let path = raw.split(['#', '?']).next().unwrap_or(raw);
    let k = path.len().checked_sub(3)?;
    let stem = path
        .get(..k)
        .filter(|s| !s.is_empty() && path[k..].eq_ignore_ascii_case(".md"))?;
    let fragment = raw
        .split_once('#')
        .map_or(String::new(), |(_, f)| format!("#{f}"));
    let address = match site.resolve(page, &format!("../{stem}/")) {
        Target::Internal { path, .. } if site.file_of(&path).is_some() => {
            Some(format!("{}{path}{fragment}", site.base_path))
        }
        _ => None,
    };
    let lead = format!(
        "lmp makes a page's address of a markdown link to its .md file (`[text]({raw})`), not of an address in raw HTML"
    );
    Some(match address {
        Some(a) => {
            format!("{lead}: write the link in markdown, or write the page's address, `{a}`")
        }
        None => format!(
            "{lead}: write the link in markdown (it is checked against the site's documents, with suggestions), or write the page's address (`/stories/…/`)"
        ),
    })
}

/// Whether `raw` is an e-mail address alone (`pat@example.org`).
fn is_bare_email(raw: &str) -> bool {
    raw.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && !local.contains(['/', ':', '@'])
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains(['/', '@', '#', '?'])
    }) && !raw.contains(char::is_whitespace)
}

/// Help for a link to nothing when no known URL is close.
fn fallback_help(
    site: &Site<'_>,
    suggestions: &Suggestions,
    page: &str,
    raw: &str,
    attr: Attr,
) -> Option<String> {
    let relative = !raw.starts_with(['/', '#']) && scheme(raw).is_none();
    // `www.kp.org`, `kp.org/about`: another site's address without `https://`, which the
    // browser reads as a file of this site (QA s11: the help said to put a file
    // `static/stories/x/www.kp.org` in the static folder).
    // `[write to Pat](pat@example.org)`: an e-mail address without `mailto:` reads as a file
    // of this site (hostile author s22: the help said to put it in the static folder).
    if relative && is_bare_email(raw) {
        return Some(format!(
            "an e-mail address is linked with `mailto:` before it: write `mailto:{raw}`"
        ));
    }
    if relative && let Some(host) = web_host(raw) {
        return Some(format!(
            "an address on another site starts with `https://`: write `https://{raw}` (this reads as a file of this site named {host})"
        ));
    }
    if relative {
        // Written relative to the markdown file's folder rather than the page's address?
        let up = format!("../{raw}");
        if let Target::Internal { path, .. } = site.resolve(page, &up)
            && site.file_of(&path).is_some()
        {
            return Some(format!(
                "a relative link is resolved from the page's address ({}), one folder below its file: write `{up}`, or link the .md file",
                page_url(site, page)
            ));
        }
    }
    let Target::Internal { path, .. } = site.resolve(page, raw) else {
        return None;
    };
    // QA Q24: `/static/images/x.jpg`, `../static/files/x.pdf`: files in static/ are published
    // at the site root.
    if let Some(at) = path
        .find("static/")
        .filter(|&i| i == 0 || path[..i].ends_with('/'))
    {
        let rest = &path[at + "static/".len()..];
        if site.file_of(rest).is_some() {
            return Some(format!(
                "files in site/static/ are published at the site root: write `{}{rest}`",
                site.base_path
            ));
        }
    }
    // `images/x.jpg`: relative to the page's address, where a root-relative path was meant.
    if relative
        && site
            .file_of(raw.split(['#', '?']).next().unwrap_or(raw))
            .is_some()
    {
        return Some(format!(
            "a path without a leading `/` is relative to the page's address ({}): write `{}{raw}`",
            page_url(site, page),
            site.base_path
        ));
    }
    // `/Images/Huddle.JPG`: a Mac's disk does not mind the case, the web server does.
    if let Some(f) = suggestions
        .files_folded
        .get(&path.to_ascii_lowercase())
        .filter(|f| **f != path)
    {
        return Some(format!(
            "did you mean `{}{f}`? Addresses are case-sensitive on the web server (a Mac's preview does not mind)",
            site.base_path
        ));
    }
    // `/videos/Mi Vídeo #1.mp4`: a `#` starts the place in a page, so the address names the
    // file cut at it (hostile s24: the help said to put `static/videos/Mi Vídeo ` in place).
    if raw.contains('#') {
        let whole = raw.replace('#', "%23");
        if let Target::Internal { path: named, .. } = site.resolve(page, &whole)
            && site.file_of(&named).is_some()
        {
            return Some(format!(
                "a `#` in an address starts a place in the page, so this one names the file cut at the `#`; a file whose name has a `#` is written with `%23`: `{whole}`"
            ));
        }
    }
    let file_like = path
        .rsplit('/')
        .next()
        .and_then(|name| name.rsplit_once('.'))
        .is_some_and(|(_, ext)| ext != "html");
    Some(if attr.is_embedded() || file_like {
        format!(
            "put the file in the site's static folder as static/{path} (it is copied as it is), or fix the path"
        )
    } else {
        "no page or file of the build has this address; link a document by its .md file (`../guides/x.md`) so the link follows it".to_string()
    })
}

/// What is wrong with the form of an `http(s)` address on another site (`url`, written `raw`),
/// as a browser reads it (the WHATWG URL standard): no site name (`https://`, `https:///x`),
/// no `//` after the scheme, a site name with a space or a character no site name has, an
/// empty part (`www..kp.org`), a port that is not a number. `None` for a well-formed one
/// (whether it leads anywhere is `--external`'s question).
pub(crate) fn malformed_web_address(raw: &str, url: &str) -> Option<(String, String)> {
    const COPY: &str = "copy the address from the browser's address bar while the page is open, and paste it whole (`https://www.kp.org/…`)";
    let raw = raw.trim();
    let shown = crate::diagnostics::shorten(raw, 80);
    let (scheme, rest) = url.split_once(':')?;
    let scheme_l = scheme.to_ascii_lowercase();
    if scheme_l != "http" && scheme_l != "https" {
        return None;
    }
    let Some(after) = rest.strip_prefix("//") else {
        // `https:www.kp.org`, `https:/www.kp.org`: most browsers guess, some do not.
        let host = rest.trim_start_matches(['/', '\\']);
        let fixed = format!("{scheme_l}://{host}");
        return Some(if host.is_empty() {
            (
                format!("link to {shown}: the address has no site name"),
                format!("write the whole address; {COPY}"),
            )
        } else {
            (
                format!("link to {shown}: the address lacks the `//` after `{scheme}:`"),
                format!("write `{}`", crate::diagnostics::shorten(&fixed, 80)),
            )
        });
    };
    let authority = after.split(['/', '?', '#', '\\']).next().unwrap_or("");
    // `user:password@host`: only the host is read here.
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = if let Some(v6) = host_port.strip_prefix('[') {
        match v6.split_once(']') {
            Some((ip, p)) => (format!("[{ip}]"), p.strip_prefix(':')),
            None => {
                return Some((
                    format!("link to {shown}: the site's address `[{v6}` has no closing `]`"),
                    format!("close it (`[2001:db8::1]`), or {COPY}"),
                ));
            }
        }
    } else {
        match host_port.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), Some(p)),
            None => (host_port.to_string(), None),
        }
    };
    if host.is_empty() {
        return Some((
            format!("link to {shown}: the address has no site name after `{scheme}://`"),
            format!("write the whole address; {COPY}"),
        ));
    }
    if let Some(p) = port.filter(|p| !p.is_empty())
        && !matches!(p.parse::<u32>(), Ok(n) if n <= 65_535 && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Some((
            format!("link to {shown}: `:{p}` after the site name is not a port number"),
            format!("remove `:{p}`, or {COPY}"),
        ));
    }
    if host.starts_with('[') {
        return None;
    }
    let decoded = match crate::escape::percent_decode_strict(&host) {
        Some(d) => d,
        None => {
            return Some((
                format!("link to {shown}: the site name has a `%` that is not part of a code"),
                COPY.to_string(),
            ));
        }
    };
    // Forbidden domain code points (WHATWG URL), after percent-decoding as browsers do.
    if let Some(c) = decoded.chars().find(|c| {
        c.is_control()
            || c.is_whitespace()
            || matches!(
                c,
                '#' | '/' | ':' | '<' | '>' | '?' | '@' | '[' | '\\' | ']' | '^' | '|' | '%'
            )
    }) {
        let what = if c.is_whitespace() {
            "a space".to_string()
        } else if c.is_control() {
            "an invisible control character".to_string()
        } else {
            format!("the character `{c}`")
        };
        return Some((
            format!(
                "link to {shown}: the site name `{}` has {what}",
                crate::diagnostics::shorten(&decoded, 60)
            ),
            format!("a site name has only letters, digits, dots and dashes; {COPY}"),
        ));
    }
    if decoded.starts_with('.') || decoded.contains("..") {
        return Some((
            format!(
                "link to {shown}: the site name `{decoded}` has an empty part (two dots in a row, or a dot first)"
            ),
            format!("remove the extra dot; {COPY}"),
        ));
    }
    None
}

/// `www.kp.org/x` or `kp.org`: the host of an address written without `https://`, when its
/// first part reads as one (`www.` or a dotted name ending in a common top-level domain).
fn web_host(raw: &str) -> Option<&str> {
    let host = raw.split(['/', '?', '#']).next()?;
    let labels: Vec<&str> = host.split('.').collect();
    let dns = labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    let tld = labels
        .last()
        .map(|t| t.to_ascii_lowercase())
        .unwrap_or_default();
    let common = matches!(
        tld.as_str(),
        "org" | "com" | "net" | "gov" | "edu" | "us" | "io" | "info" | "health"
    );
    (dns && (host.to_ascii_lowercase().starts_with("www.") || common)).then_some(host)
}

/// The URLs of every output file, for "did you mean": searched without a comparison with each
/// URL per broken link (QA s10; see [`crate::diagnostics::Nearest`]).
struct Suggestions {
    /// Every output file's path in lowercase → the first path (in sorted order) that is it.
    files_folded: std::collections::HashMap<String, String>,
    urls: crate::diagnostics::Nearest,
    /// A URL without its last `/`, in lowercase → the first URL (in sorted order) that is it.
    folded: std::collections::HashMap<String, String>,
}

impl Suggestions {
    fn new(site: &Site<'_>) -> Suggestions {
        let mut urls: Vec<String> = site
            .files
            .iter()
            .filter(|f| !f.ends_with(".json") && !f.ends_with(".js") && !f.ends_with(".css"))
            .map(|f| {
                match f.strip_suffix("index.html") {
                    Some(d) if d.is_empty() || d.ends_with('/') => d,
                    _ => f,
                }
                .to_string()
            })
            .collect();
        urls.sort_unstable();
        urls.dedup();
        let mut folded = std::collections::HashMap::new();
        for u in &urls {
            folded
                .entry(u.trim_end_matches('/').to_lowercase())
                .or_insert_with(|| u.clone());
        }
        let mut files: Vec<&str> = site.files.iter().copied().collect();
        files.sort_unstable();
        let mut files_folded = std::collections::HashMap::new();
        for f in files {
            files_folded
                .entry(f.to_ascii_lowercase())
                .or_insert_with(|| f.to_string());
        }
        Suggestions {
            files_folded,
            urls: crate::diagnostics::Nearest::new(urls.iter().map(String::as_str)),
            folded,
        }
    }

    /// "did you mean" for a link that leads nowhere, written as the link was (root-relative or
    /// absolute with the base path).
    fn help(&self, site: &Site<'_>, page: &str, raw: &str) -> Option<String> {
        let Target::Internal { path, fragment } = site.resolve(page, raw) else {
            return None;
        };
        let trimmed = path.trim_end_matches("index.html");
        // QA s9 Q133: the feed's address of another generator (`/index.xml` Hugo's,
        // `/feed/` WordPress's, `/feed.xml` Jekyll's, `/rss.xml`): this site's feed.
        let name = trimmed
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default();
        if matches!(
            name,
            "feed"
                | "feed.xml"
                | "index.xml"
                | "rss"
                | "rss.xml"
                | "atom"
                | "atom.xml"
                | "feed.atom"
        ) {
            let mut feeds: Vec<&str> = site
                .files
                .iter()
                .copied()
                .filter(|f| f.ends_with("atom.xml"))
                .collect();
            feeds.sort_by_key(|f| (f.matches('/').count(), f.len(), *f));
            if let Some(f) = feeds.first() {
                return Some(format!(
                    "the site's news feed is `{}{f}` (the stories, newest first): link that",
                    site.base_path
                ));
            }
        }
        // QA Q52: `/es/stories/x/` for a page that has no Spanish version yet (typed from the
        // English address): that page, not a look-alike address in Spanish.
        if let Some((lang, rest)) = trimmed.split_once('/')
            && lang.len() == 2
            && lang.bytes().all(|b| b.is_ascii_lowercase())
            && !rest.is_empty()
            && site.file_of(rest).is_some()
        {
            let frag = fragment.map(|f| format!("#{f}")).unwrap_or_default();
            let name = match lang {
                "es" => "Spanish".to_string(),
                "en" => "English".to_string(),
                other => format!("`{other}`"),
            };
            return Some(format!(
                "there is no {name} version of {}{rest} yet: link `{}{rest}{frag}` (the page in its own language)",
                site.base_path, site.base_path
            ));
        }
        let limit = (trimmed.chars().count() / 4).clamp(1, 4);
        // QA Q16: `/Guides/Run-A-UBT-Huddle/` differs from its page only in case (typed as it
        // reads, or from an old site whose server ignored case): that page first, whatever
        // the number of letters.
        let folded = trimmed.trim_end_matches('/').to_lowercase();
        let same_but_case = (!folded.is_empty())
            .then(|| self.folded.get(&folded))
            .flatten()
            .map(|u| (0, u.as_str()));
        let best = match same_but_case {
            Some(b) => b,
            None => self.urls.nearest(trimmed, limit)?,
        };
        let frag = fragment.map(|f| format!("#{f}")).unwrap_or_default();
        Some(format!(
            "did you mean `{}{}{frag}`?",
            site.base_path, best.1
        ))
    }
}

#[cfg(test)]
mod tests;
