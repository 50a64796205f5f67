//! Files `lmp` writes itself, not through templates: the Atom feed of stories, `sitemap.xml`
//! (a sitemap index of `sitemap-1.xml`, `sitemap-2.xml`, … above 50,000 URLs), `robots.txt` and
//! the redirect pages of aliases.

use std::fmt::Write as _;

use super::{Input, url_to_file};
use crate::content::collections::{Collection, Fields};
use crate::content::taxonomy::Taxonomy;
use crate::escape::escape;

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

/// A page's versions: (language, site-relative address).
type Versions = Vec<(String, String)>;

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
        &|u| cfg.permalink(u),
        cfg.languages.len() > 1,
        &cfg.default_language().code,
        (max_urls, max_bytes),
    )
}

/// The sitemap files of `entries` (see [`sitemaps`]), with their addresses made absolute by
/// `permalink`.
fn write_sitemaps(
    entries: Vec<(String, String, Versions)>,
    permalink: &dyn Fn(&str) -> String,
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
    // Each part: its `<url>`s, how many, and the latest `lastmod` among them.
    let mut parts: Vec<(String, usize, String)> = vec![(String::new(), 0, String::new())];
    for (url, lastmod, versions) in entries {
        let mut e = String::new();
        let _ = write!(e, "  <url><loc>{}</loc>", escape(&permalink(&url)));
        if !lastmod.is_empty() {
            let _ = write!(e, "<lastmod>{lastmod}</lastmod>");
        }
        for (lang, u) in &versions {
            let _ = write!(
                e,
                "\n    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                escape(lang),
                escape(&permalink(u))
            );
        }
        if let Some((_, u)) = versions.iter().find(|(l, _)| l == default) {
            let _ = write!(
                e,
                "\n    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>",
                escape(&permalink(u))
            );
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
        let _ = write!(
            index,
            "  <sitemap><loc>{}</loc>",
            escape(&permalink(&format!("/{name}")))
        );
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

/// The sitemap's entries, sorted by address: (address, lastmod, versions).
fn sitemap_entries(input: &Input<'_>) -> Vec<(String, String, Versions)> {
    let cfg = input.cfg;
    let g = input.graph;
    // (address, lastmod, versions: (language, address)).
    let mut entries: Vec<(String, String, Versions)> = Vec::new();
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
    for (i, d) in by_lang {
        let lastmod = d
            .common
            .updated
            .or(d.common.date)
            .map(|x| x.to_string())
            .unwrap_or_default();
        let versions = g.translations[i]
            .iter()
            .map(|&j| (g.docs[j].lang.clone(), g.docs[j].url.clone()))
            .collect();
        entries.push((d.url.clone(), lastmod, versions));
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
    let mut docs_at: std::collections::HashMap<String, usize> = entries
        .iter()
        .enumerate()
        .map(|(k, e)| (e.0.clone(), k))
        .collect();
    for u in generated {
        // A list a language has nothing for (`untranslated: hide`) is not a version of the
        // others, and not offered to search engines (QA Q123).
        let langs = input.versions_of(&u);
        let versions: Vec<(String, String)> = if multilingual && langs.len() > 1 {
            langs
                .iter()
                .map(|l| (l.code.clone(), input.in_lang(&u, &l.code)))
                .collect()
        } else {
            Vec::new()
        };
        for l in langs {
            let url = input.in_lang(&u, &l.code);
            // A home page is a document too: its entry has its date, and the versions of the
            // generated page (which exists in every language).
            match docs_at.get(&url) {
                Some(&k) => entries[k].2 = versions.clone(),
                None => {
                    docs_at.insert(url.clone(), entries.len());
                    entries.push((url, String::new(), versions.clone()));
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

    fn permalink(u: &str) -> String {
        format!("https://example.org{u}")
    }

    /// `n` pages, each in English and Spanish (both versions listed, as the graph gives them).
    fn entries(n: usize) -> Vec<(String, String, Versions)> {
        let mut e: Vec<(String, String, Versions)> = (0..n)
            .flat_map(|i| {
                let (en, es) = (
                    format!("/stories/s{i:02}/"),
                    format!("/es/stories/s{i:02}/"),
                );
                let versions = vec![("en".to_string(), en.clone()), ("es".into(), es.clone())];
                let date = format!("2026-11-{:02}", 1 + i % 28);
                [(en, date.clone(), versions.clone()), (es, date, versions)]
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
        let files = write_sitemaps(entries(1), &permalink, true, "en", (2, 10_000));
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
        let all = write_sitemaps(entries(4), &permalink, true, "en", (usize::MAX, usize::MAX));
        let split = write_sitemaps(entries(4), &permalink, true, "en", (3, usize::MAX));
        assert_eq!(
            split,
            write_sitemaps(entries(4), &permalink, true, "en", (3, usize::MAX)),
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

    /// The other limit: 50 MB per file (here a few hundred bytes).
    #[test]
    fn a_sitemap_over_the_limit_of_bytes_becomes_an_index() {
        let max = 1_200;
        let split = write_sitemaps(entries(5), &permalink, true, "en", (50_000, max));
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
