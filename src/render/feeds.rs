//! Files `lmp` writes itself, not through templates: the Atom feed of stories, `sitemap.xml`
//! (a sitemap index of `sitemap-1.xml`, `sitemap-2.xml`, … above 50,000 URLs), `robots.txt` and
//! the redirect pages of aliases.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::{Input, url_to_file};
use crate::content::collections::{Collection, Fields};
use crate::content::taxonomy::Taxonomy;
use crate::escape::{escape, escape_xml};

/// Where the Atom feed of stories goes (each other language's under its prefix).
pub(crate) const ATOM: &str = "stories/atom.xml";

/// (output path, bytes) of the Atom feed of stories of every language.
fn atoms(input: &Input<'_>) -> Vec<(String, Vec<u8>)> {
    input
        .cfg
        .languages
        .iter()
        .map(|l| {
            let path = input.in_lang(ATOM, &l.code);
            (
                path.trim_start_matches('/').to_string(),
                atom(input, l).into_bytes(),
            )
        })
        .collect()
}

/// What a generated file is made from, as far as a rebuild cares: the documents' bodies (a
/// body-only edit makes it again, see [`super::render_docs`]), or only their front matter, paths,
/// the config and the theme (a body-only edit keeps the last build's copy).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Reads {
    Bodies,
    FrontMatter,
}

/// One kind of generated file: (output path, bytes) of each of its files.
type Make = fn(&Input<'_>) -> Vec<(String, Vec<u8>)>;

/// Every kind of generated file, with what it reads. A new kind is one line here.
const KINDS: [(Reads, Make); 4] = [
    // The feeds hold the stories' bodies.
    (Reads::Bodies, atoms),
    (Reads::FrontMatter, |input| {
        sitemaps(input, SITEMAP_URLS, SITEMAP_BYTES)
    }),
    (Reads::FrontMatter, robots),
    (Reads::FrontMatter, redirects),
];

/// (output path, bytes) of every generated file that reads what `reads` accepts.
pub(crate) fn generated(
    input: &Input<'_>,
    reads: impl Fn(Reads) -> bool,
) -> Vec<(String, Vec<u8>)> {
    KINDS
        .iter()
        .filter(|(r, _)| reads(*r))
        .flat_map(|(_, make)| make(input))
        .collect()
}

/// `robots.txt`: everything allowed, and where the sitemap is.
fn robots(input: &Input<'_>) -> Vec<(String, Vec<u8>)> {
    vec![(
        "robots.txt".to_string(),
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
            input.cfg.base_url
        )
        .into_bytes(),
    )]
}

/// The redirect page of every alias.
fn redirects(input: &Input<'_>) -> Vec<(String, Vec<u8>)> {
    input
        .graph
        .aliases
        .iter()
        .map(|(alias, &i)| {
            let d = &input.graph.docs[i];
            (
                url_to_file(alias),
                redirect_page(input, &d.url, &d.common.title, &d.lang).into_bytes(),
            )
        })
        .collect()
}

/// The stories the Atom feed of language `code` shows, newest first.
pub(crate) fn stories(g: &crate::content::graph::Graph, code: &str) -> Vec<usize> {
    g.lists
        .get(&Collection::Stories)
        .map(|l| {
            l.iter()
                .filter_map(|&i| g.translation_in(i, code))
                .take(20)
                .collect()
        })
        .unwrap_or_default()
}

/// The Atom feed of a language: its latest stories with their bodies (only the stories in that
/// language: a feed reader shows one language).
pub(crate) fn atom(input: &Input<'_>, lang: &crate::config::Language) -> String {
    let cfg = input.cfg;
    let g = input.graph;
    let stories = stories(g, &lang.code);
    let self_url = cfg.permalink(&input.in_lang(ATOM, &lang.code));
    let title = input.say(&lang.code, "feed_title", &[("site", &lang.title)]);
    let updated = stories
        .iter()
        .filter_map(|&i| g.docs[i].common.updated.or(g.docs[i].common.date))
        .max()
        .map(|d| format!("{d}T00:00:00Z"))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let mut s = String::with_capacity(4096);
    s.push_str(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"",
    );
    let _ = writeln!(s, " xml:lang=\"{}\">", escape(&lang.code));
    let _ = writeln!(s, "  <title>{}</title>", escape(&title));
    let _ = writeln!(s, "  <subtitle>{}</subtitle>", escape(&lang.description));
    let _ = writeln!(
        s,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        escape(&self_url)
    );
    let _ = writeln!(
        s,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape(&cfg.permalink(&input.in_lang("/stories/", &lang.code)))
    );
    let _ = writeln!(s, "  <id>{}</id>", escape(&self_url));
    let _ = writeln!(s, "  <updated>{updated}</updated>");
    let _ = writeln!(s, "  <author><name>{}</name></author>", escape(&lang.title));
    for i in stories {
        let d = &g.docs[i];
        let url = cfg.permalink(&d.url);
        let published = d
            .common
            .date
            .map(|x| format!("{x}T00:00:00Z"))
            .unwrap_or_else(|| updated.clone());
        let upd = d
            .common
            .updated
            .or(d.common.date)
            .map(|x| format!("{x}T00:00:00Z"))
            .unwrap_or_else(|| updated.clone());
        s.push_str("  <entry>\n");
        let _ = writeln!(s, "    <title>{}</title>", escape(&d.common.title));
        let _ = writeln!(
            s,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            escape(&url)
        );
        let _ = writeln!(s, "    <id>{}</id>", escape(&url));
        let _ = writeln!(s, "    <published>{published}</published>");
        let _ = writeln!(s, "    <updated>{upd}</updated>");
        if let Fields::Story(st) = &d.fields
            && let Some(a) = &st.author
        {
            let _ = writeln!(s, "    <author><name>{}</name></author>", escape(a));
        }
        for t in &d.common.topics {
            let _ = writeln!(
                s,
                "    <category term=\"{}\" label=\"{}\"/>",
                escape(t),
                escape(&input.term_name(Taxonomy::Topics, t, &lang.code))
            );
        }
        let _ = writeln!(
            s,
            "    <summary>{}</summary>",
            escape(d.common.summary.as_deref().unwrap_or(""))
        );
        let _ = writeln!(
            s,
            // xml:base: relative links and `#footnote` links in the body resolve against the
            // story's page, as on the page itself (feed readers resolve against the feed).
            "    <content type=\"html\" xml:base=\"{}\">{}</content>",
            escape(&url),
            escape(&input.body_html(i))
        );
        s.push_str("  </entry>\n");
    }
    s.push_str("</feed>\n");
    s
}

/// A page's versions: (language, site-relative address), borrowed from the documents where
/// they are theirs.
type Versions<'a> = Vec<(Cow<'a, str>, Cow<'a, str>)>;

/// A sitemap entry: (address, lastmod, versions).
type Entry<'a> = (Cow<'a, str>, String, Versions<'a>);

/// The sitemap protocol's limits for one file (sitemaps.org, Google, Bing): URLs, and bytes
/// before compression.
pub(crate) const SITEMAP_URLS: usize = 50_000;
pub(crate) const SITEMAP_BYTES: usize = 50 * 1024 * 1024;

/// The sitemap: every document and generated page (first pages of lists), each with its
/// versions in the other languages (`xhtml:link rel="alternate" hreflang`, itself included, and
/// `x-default`), so every version points to every other. Up to `max_urls` URLs and `max_bytes`
/// bytes it is one file, `sitemap.xml`; above (QA Q128: a site of 100,000 documents has 140,000
/// pages), the URLs are cut, in order, into `sitemap-1.xml`, `sitemap-2.xml`, … each within both
/// limits, and `sitemap.xml` is the sitemap index that lists them (what `robots.txt` names).
fn sitemaps(input: &Input<'_>, max_urls: usize, max_bytes: usize) -> Vec<(String, Vec<u8>)> {
    let cfg = input.cfg;
    write_sitemaps(
        sitemap_entries(input),
        &cfg.base_url,
        cfg.languages.len() > 1,
        &cfg.default_language().code,
        (max_urls, max_bytes),
    )
}

/// Write the full address of site path `u` (the base URL, `base` here escaped for XML once,
/// then `u` without its leading `/`, as `Config::permalink` makes it), escaped for XML.
fn put_permalink(out: &mut String, base: &str, u: &str) {
    out.push_str(base);
    put_escaped(out, u.trim_start_matches('/'));
}

/// `s` escaped for XML: as it is when it has nothing to escape (a site's addresses and
/// language codes; a look at each byte of a short text is less work than the escaper's
/// searches).
fn put_escaped(out: &mut String, s: &str) {
    if s.bytes()
        .any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\''))
    {
        escape_xml(out, s);
    } else {
        out.push_str(s);
    }
}

/// The sitemap files of `entries` (see [`sitemaps`]), their addresses made absolute with
/// `base_url` (see [`put_permalink`]). Each `<url>` is written straight into its part, without
/// a string made per address (the sitemap has one address a page and three more per page with
/// a translation: made with `format!` and escaped into new strings, they were ~3,600
/// instructions a page, 1.7 times as many with 2,003 translations as without; issue 16).
fn write_sitemaps(
    entries: Vec<Entry<'_>>,
    base_url: &str,
    multilingual: bool,
    default: &str,
    (max_urls, max_bytes): (usize, usize),
) -> Vec<(String, Vec<u8>)> {
    let mut head = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"",
    );
    if multilingual {
        head.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    }
    head.push_str(">\n");
    const TAIL: &str = "</urlset>\n";
    let base_url = &escape(base_url);
    // Each part: its `<url>`s, how many, and the latest `lastmod` among them.
    let mut parts: Vec<(String, usize, String)> = vec![(String::new(), 0, String::new())];
    let mut e = String::new();
    for (url, lastmod, versions) in entries {
        e.clear();
        e.push_str("  <url><loc>");
        put_permalink(&mut e, base_url, &url);
        e.push_str("</loc>");
        if !lastmod.is_empty() {
            e.push_str("<lastmod>");
            e.push_str(&lastmod);
            e.push_str("</lastmod>");
        }
        for (lang, u) in &versions {
            e.push_str("\n    <xhtml:link rel=\"alternate\" hreflang=\"");
            put_escaped(&mut e, lang);
            e.push_str("\" href=\"");
            put_permalink(&mut e, base_url, u);
            e.push_str("\"/>");
        }
        if let Some((_, u)) = versions.iter().find(|(l, _)| l == default) {
            e.push_str("\n    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"");
            put_permalink(&mut e, base_url, u);
            e.push_str("\"/>");
        }
        if !versions.is_empty() {
            e.push_str("\n  ");
        }
        e.push_str("</url>\n");
        let full = parts.last().is_some_and(|(body, n, _)| {
            *n > 0 && (*n >= max_urls || head.len() + body.len() + e.len() + TAIL.len() > max_bytes)
        });
        if full {
            parts.push((String::new(), 0, String::new()));
        }
        if let Some((body, n, latest)) = parts.last_mut() {
            body.push_str(&e);
            *n += 1;
            if lastmod > *latest {
                *latest = lastmod;
            }
        }
    }
    let file = |body: &str| format!("{head}{body}{TAIL}").into_bytes();
    if parts.len() == 1 {
        return vec![("sitemap.xml".to_string(), file(&parts[0].0))];
    }
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut out = Vec::with_capacity(parts.len() + 1);
    for (k, (body, _, latest)) in parts.iter().enumerate() {
        let name = format!("sitemap-{}.xml", k + 1);
        index.push_str("  <sitemap><loc>");
        put_permalink(&mut index, base_url, &name);
        index.push_str("</loc>");
        if !latest.is_empty() {
            let _ = write!(index, "<lastmod>{latest}</lastmod>");
        }
        index.push_str("</sitemap>\n");
        out.push((name, file(body)));
    }
    index.push_str("</sitemapindex>\n");
    out.insert(0, ("sitemap.xml".to_string(), index.into_bytes()));
    out
}

/// The sitemap's entries, sorted by address: (address, lastmod, versions), the documents'
/// addresses and languages borrowed from them.
fn sitemap_entries<'a>(input: &Input<'a>) -> Vec<Entry<'a>> {
    let cfg = input.cfg;
    let g: &'a crate::content::graph::Graph = input.graph;
    let mut entries: Vec<Entry<'a>> = Vec::with_capacity(g.docs.len());
    // The documents language by language: each language's addresses come in about the order
    // of their paths, so the sort below merges a few runs in order. In path order (a
    // translation beside its original: `/stories/x/`, `/es/stories/x/`) it sorted 12,000
    // entries from nothing, 13 million instructions with 2,003 translations (issue 16).
    let known = |d: &crate::content::Document| cfg.languages.iter().any(|l| l.code == d.lang);
    let by_lang = cfg
        .languages
        .iter()
        .flat_map(|l| g.docs.iter().enumerate().filter(|(_, d)| d.lang == l.code))
        .chain(
            g.docs
                .iter()
                .enumerate()
                .filter(|(_, d)| !known(d.as_ref())),
        );
    // Where each address is among the entries (the last entry of an address, as a map made
    // from them all keeps it): the documents' here, borrowed; the generated pages' below.
    let mut docs_at: std::collections::HashMap<&'a str, usize> =
        std::collections::HashMap::with_capacity(g.docs.len());
    for (i, d) in by_lang {
        let lastmod = d
            .common
            .updated
            .or(d.common.date)
            .map(|x| x.to_string())
            .unwrap_or_default();
        let versions = g.translations[i]
            .iter()
            .map(|&j| {
                let v = &g.docs[j];
                (
                    Cow::Borrowed(v.lang.as_str()),
                    Cow::Borrowed(v.url.as_str()),
                )
            })
            .collect();
        docs_at.insert(d.url.as_str(), entries.len());
        entries.push((Cow::Borrowed(d.url.as_str()), lastmod, versions));
    }
    let mut generated: Vec<String> = Vec::new();
    generated.extend(["/".to_string(), "/regions/".into(), "/search/".into()]);
    for c in input.cfg.schemas.all().into_iter().filter(|c| c.has_list()) {
        generated.push(format!("/{}/", c.name()));
    }
    for (tax, terms) in &g.taxonomies {
        if *tax == Taxonomy::Regions {
            continue;
        }
        generated.push(format!("/{tax}/"));
        for t in terms {
            generated.push(format!("/{tax}/{}/", t.slug));
        }
    }
    let multilingual = cfg.languages.len() > 1;
    let mut generated_at: std::collections::HashMap<String, usize> = Default::default();
    for u in generated {
        // A list a language has nothing for (`untranslated: hide`) is not a version of the
        // others, and not offered to search engines (QA Q123).
        let langs = input.versions_of(&u);
        let versions: Versions<'a> = if multilingual && langs.len() > 1 {
            langs
                .iter()
                .map(|l| {
                    (
                        Cow::Owned(l.code.clone()),
                        Cow::Owned(input.in_lang(&u, &l.code)),
                    )
                })
                .collect()
        } else {
            Vec::new()
        };
        for l in langs {
            let url = input.in_lang(&u, &l.code);
            // A home page is a document too: its entry has its date, and the versions of the
            // generated page (which exists in every language).
            match docs_at.get(url.as_str()).or_else(|| generated_at.get(&url)) {
                Some(&k) => entries[k].2 = versions.clone(),
                None => {
                    generated_at.insert(url.clone(), entries.len());
                    entries.push((Cow::Owned(url), String::new(), versions.clone()));
                }
            }
        }
    }
    entries.sort();
    entries.dedup_by(|a, b| a.0 == b.0);
    entries
}

/// A redirect page for an alias, in the language of the page it leads to: meta refresh,
/// canonical link, and a plain link for everyone else.
pub(crate) fn redirect_page(input: &Input<'_>, target: &str, title: &str, lang: &str) -> String {
    let url = escape(&input.cfg.url(target));
    let permalink = escape(&input.cfg.permalink(target));
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{head}</title>\n<link rel=\"canonical\" href=\"{permalink}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n<body>\n<main>\n<h1>{moved}</h1>\n<p><a href=\"{url}\">{t}</a> {at}</p>\n</main>\n</body>\n</html>\n",
        head = escape(&input.say(lang, "moved_title", &[("title", title)])),
        moved = escape(&input.say(lang, "moved_heading", &[])),
        at = escape(&input.say(lang, "moved_at", &[])),
        lang = escape(lang),
        t = escape(title),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://example.org/";

    /// The sitemap's escaper writes what `escape` makes, with or without something to escape:
    /// on random texts of addresses' characters and the five it escapes.
    #[test]
    fn put_escaped_is_escape() {
        for t in crate::util::random_texts("a/-.é&<>\"'?=#", 20, 5_000) {
            let mut out = String::from("x");
            put_escaped(&mut out, &t);
            assert_eq!(out, format!("x{}", escape(&t)), "{t:?}");
        }
        let mut out = String::new();
        put_permalink(&mut out, &escape("https://e.org/a&b/"), "/es/x'y/");
        assert_eq!(out, escape("https://e.org/a&b/es/x'y/"));
    }

    /// `n` pages, each in English and Spanish (both versions listed, as the graph gives them).
    fn entries(n: usize) -> Vec<Entry<'static>> {
        let mut e: Vec<Entry<'static>> = (0..n)
            .flat_map(|i| {
                let (en, es) = (
                    format!("/stories/s{i:02}/"),
                    format!("/es/stories/s{i:02}/"),
                );
                let versions: Versions<'static> = vec![
                    (Cow::Borrowed("en"), Cow::Owned(en.clone())),
                    (Cow::Borrowed("es"), Cow::Owned(es.clone())),
                ];
                let date = format!("2026-11-{:02}", 1 + i % 28);
                [
                    (Cow::Owned(en), date.clone(), versions.clone()),
                    (Cow::Owned(es), date, versions),
                ]
            })
            .collect();
        e.sort();
        e
    }

    fn urls(xml: &str) -> Vec<&str> {
        xml.split("<url>").skip(1).collect()
    }

    /// Under the limits nothing changes: one `sitemap.xml`, a `<urlset>`, as before.
    #[test]
    fn a_sitemap_within_the_limits_is_one_file() {
        let files = write_sitemaps(entries(1), BASE, true, "en", (2, 10_000));
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["sitemap.xml"]);
        let alts = "\n    <xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/stories/s00/\"/>\n    <xhtml:link rel=\"alternate\" hreflang=\"es\" href=\"https://example.org/es/stories/s00/\"/>\n    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"https://example.org/stories/s00/\"/>\n  </url>\n";
        assert_eq!(
            String::from_utf8(files[0].1.clone()).unwrap(),
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n  <url><loc>https://example.org/es/stories/s00/</loc><lastmod>2026-11-01</lastmod>{alts}  <url><loc>https://example.org/stories/s00/</loc><lastmod>2026-11-01</lastmod>{alts}</urlset>\n"
            )
        );
    }

    /// QA Q128: above the protocol's 50,000 URLs (here 3, injected), `sitemap.xml` is a sitemap
    /// index of `sitemap-1.xml`, `sitemap-2.xml`, …, each within the limit, the URLs in order
    /// with their alternates, the same bytes every time.
    #[test]
    fn a_sitemap_over_the_limit_of_urls_becomes_an_index() {
        let all = write_sitemaps(entries(4), BASE, true, "en", (usize::MAX, usize::MAX));
        let split = write_sitemaps(entries(4), BASE, true, "en", (3, usize::MAX));
        assert_eq!(
            split,
            write_sitemaps(entries(4), BASE, true, "en", (3, usize::MAX)),
            "deterministic"
        );
        let names: Vec<&str> = split.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "sitemap.xml",
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml"
            ]
        );
        let text = |b: &[u8]| String::from_utf8(b.to_vec()).unwrap();
        assert_eq!(
            text(&split[0].1),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n  <sitemap><loc>https://example.org/sitemap-1.xml</loc><lastmod>2026-11-03</lastmod></sitemap>\n  <sitemap><loc>https://example.org/sitemap-2.xml</loc><lastmod>2026-11-04</lastmod></sitemap>\n  <sitemap><loc>https://example.org/sitemap-3.xml</loc><lastmod>2026-11-04</lastmod></sitemap>\n</sitemapindex>\n"
        );
        let whole = text(&all[0].1);
        let mut parted = Vec::new();
        for (name, bytes) in &split[1..] {
            let xml = text(bytes);
            assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n"), "{name}: {xml}");
            assert!(xml.ends_with("</urlset>\n"), "{name}");
            assert!((1..=3).contains(&urls(&xml).len()), "{name}: {xml}");
            parted.extend(urls(&xml).into_iter().map(str::to_string));
        }
        assert_eq!(parted.len(), 8);
        assert_eq!(
            parted
                .iter()
                .map(|u| u.trim_end_matches("</urlset>\n").trim_end())
                .collect::<Vec<_>>(),
            urls(&whole)
                .iter()
                .map(|u| u.trim_end_matches("</urlset>\n").trim_end())
                .collect::<Vec<_>>(),
            "every URL once, in order, with its alternates"
        );
        assert!(parted.iter().all(|u| u.contains("hreflang=\"x-default\"")));
    }

    /// The link check reads the sitemaps lmp writes line by line (`linkcheck::scan::sitemap`),
    /// not with its tag reader: both find the same URLs at the same offsets, in one file or an
    /// index and its parts, with one language or two, and with addresses that need escaping or
    /// have spaces to trim.
    #[test]
    fn the_link_check_reads_a_sitemap_as_its_tag_reader_would() {
        use crate::linkcheck::scan;
        let mut odd = entries(3);
        odd.push((
            Cow::Borrowed("/a&b/<c>/\"q\"/'s'/caf\u{e9} x/"),
            String::new(),
            vec![
                (
                    Cow::Borrowed("en"),
                    Cow::Borrowed("/a&b/<c>/\"q\"/'s'/caf\u{e9} x/"),
                ),
                (Cow::Borrowed("e\"s"), Cow::Borrowed("/es/&amp;/")),
            ],
        ));
        odd.push((Cow::Borrowed(" /spaced/ "), String::new(), Vec::new()));
        odd.push((Cow::Borrowed(""), String::new(), Vec::new()));
        let mut files = Vec::new();
        for (multilingual, limits) in [
            (true, (usize::MAX, usize::MAX)),
            (true, (2, usize::MAX)),
            (false, (usize::MAX, usize::MAX)),
        ] {
            files.extend(write_sitemaps(
                odd.clone(),
                BASE,
                multilingual,
                "en",
                limits,
            ));
            files.extend(write_sitemaps(
                odd.clone(),
                "https://e.org/a&b/",
                multilingual,
                "en",
                limits,
            ));
        }
        assert!(files.iter().any(|(n, _)| n == "sitemap-2.xml"));
        for (name, bytes) in &files {
            assert!(scan::sitemap(bytes).is_some(), "{name} read line by line");
            let found = scan::scan(bytes);
            assert!(!found.urls.is_empty(), "{name}");
            assert_eq!(found, scan::scan_tags(bytes), "{name}");
        }
    }

    /// The other limit: 50 MB per file (here a few hundred bytes).
    #[test]
    fn a_sitemap_over_the_limit_of_bytes_becomes_an_index() {
        let max = 1_200;
        let split = write_sitemaps(entries(5), BASE, true, "en", (50_000, max));
        assert!(split.len() > 2, "{} files", split.len());
        assert!(String::from_utf8_lossy(&split[0].1).contains("<sitemapindex"));
        for (name, bytes) in &split[1..] {
            assert!(bytes.len() <= max, "{name}: {} bytes", bytes.len());
        }
        let count: usize = split[1..]
            .iter()
            .map(|(_, b)| urls(&String::from_utf8_lossy(b)).len())
            .sum();
        assert_eq!(count, 10);
    }
}
