//! Files `lmp` writes itself, not through templates: the Atom feed of stories, `sitemap.xml`,
//! `robots.txt` and the redirect pages of aliases.

use std::fmt::Write as _;

use super::{Input, url_to_file};
use crate::content::collections::{Collection, Fields};
use crate::content::taxonomy::Taxonomy;
use crate::escape::escape;

/// Where the Atom feed of stories goes (each other language's under its prefix).
pub(crate) const ATOM: &str = "stories/atom.xml";

/// (output path, bytes) of the Atom feed of stories of every language.
pub(crate) fn atoms(input: &Input<'_>) -> Vec<(String, Vec<u8>)> {
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

/// (output path, bytes) of every generated file.
pub(crate) fn generated(input: &Input<'_>) -> Vec<(String, Vec<u8>)> {
    let mut out = atoms(input);
    out.extend([
        ("sitemap.xml".to_string(), sitemap(input).into_bytes()),
        (
            "robots.txt".to_string(),
            format!(
                "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
                input.cfg.base_url
            )
            .into_bytes(),
        ),
    ]);
    for (alias, &i) in &input.graph.aliases {
        out.push((
            url_to_file(alias),
            redirect_page(
                input,
                &input.graph.docs[i].url,
                &input.graph.docs[i].common.title,
                &input.graph.docs[i].lang,
            )
            .into_bytes(),
        ));
    }
    out
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

/// `sitemap.xml`: every document and generated page (first pages of lists), each with its
/// versions in the other languages (`xhtml:link rel="alternate" hreflang`, itself included, and
/// `x-default`), so every version points to every other.
fn sitemap(input: &Input<'_>) -> String {
    let cfg = input.cfg;
    let g = input.graph;
    // (address, lastmod, versions: (language, address)).
    let mut entries: Vec<(String, String, Versions)> = Vec::new();
    for (i, d) in g.docs.iter().enumerate() {
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
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"",
    );
    if multilingual {
        s.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    }
    s.push_str(">\n");
    let default = &cfg.default_language().code;
    for (url, lastmod, versions) in entries {
        let _ = write!(s, "  <url><loc>{}</loc>", escape(&cfg.permalink(&url)));
        if !lastmod.is_empty() {
            let _ = write!(s, "<lastmod>{lastmod}</lastmod>");
        }
        for (lang, u) in &versions {
            let _ = write!(
                s,
                "\n    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                escape(lang),
                escape(&cfg.permalink(u))
            );
        }
        if let Some((_, u)) = versions.iter().find(|(l, _)| l == default) {
            let _ = write!(
                s,
                "\n    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>",
                escape(&cfg.permalink(u))
            );
        }
        if !versions.is_empty() {
            s.push_str("\n  ");
        }
        s.push_str("</url>\n");
    }
    s.push_str("</urlset>\n");
    s
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
