//! Files `lmp` writes itself, not through templates: the Atom feed of stories, `sitemap.xml`,
//! `robots.txt` and the redirect pages of aliases.

use std::fmt::Write as _;

use super::{Input, url_to_file};
use crate::content::collections::{Collection, Fields};
use crate::content::taxonomy::Taxonomy;
use crate::escape::escape;

/// Where the Atom feed of stories goes.
pub const ATOM: &str = "stories/atom.xml";

/// (output path, bytes) of every generated file.
pub fn generated(input: &Input<'_>) -> Vec<(String, Vec<u8>)> {
    let mut out = vec![
        (ATOM.to_string(), atom(input).into_bytes()),
        ("sitemap.xml".to_string(), sitemap(input).into_bytes()),
        (
            "robots.txt".to_string(),
            format!(
                "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
                input.cfg.base_url
            )
            .into_bytes(),
        ),
    ];
    for (alias, &i) in &input.graph.aliases {
        out.push((
            url_to_file(alias),
            redirect_page(
                input,
                &input.graph.docs[i].url,
                &input.graph.docs[i].common.title,
            )
            .into_bytes(),
        ));
    }
    out
}

/// The Atom feed: the latest stories with their bodies.
pub fn atom(input: &Input<'_>) -> String {
    let cfg = input.cfg;
    let g = input.graph;
    let stories: Vec<usize> = g
        .lists
        .get(&Collection::Stories)
        .map(|l| l.iter().copied().take(20).collect())
        .unwrap_or_default();
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
    let _ = writeln!(s, " xml:lang=\"{}\">", escape(&cfg.language));
    let _ = writeln!(s, "  <title>{} — Stories</title>", escape(&cfg.title));
    let _ = writeln!(s, "  <subtitle>{}</subtitle>", escape(&cfg.description));
    let _ = writeln!(
        s,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        escape(&cfg.permalink("/stories/atom.xml"))
    );
    let _ = writeln!(
        s,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape(&cfg.permalink("/stories/"))
    );
    let _ = writeln!(
        s,
        "  <id>{}</id>",
        escape(&cfg.permalink("/stories/atom.xml"))
    );
    let _ = writeln!(s, "  <updated>{updated}</updated>");
    let _ = writeln!(s, "  <author><name>{}</name></author>", escape(&cfg.title));
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
                escape(g.term_name(Taxonomy::Topics, t))
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
            escape(&input.rendered[i].html)
        );
        s.push_str("  </entry>\n");
    }
    s.push_str("</feed>\n");
    s
}

fn sitemap(input: &Input<'_>) -> String {
    let cfg = input.cfg;
    let g = input.graph;
    let mut entries: Vec<(String, String)> = Vec::new();
    for d in &g.docs {
        let lastmod = d
            .common
            .updated
            .or(d.common.date)
            .map(|x| x.to_string())
            .unwrap_or_default();
        entries.push((cfg.permalink(&d.url), lastmod));
    }
    for u in ["/regions/", "/search/"] {
        entries.push((cfg.permalink(u), String::new()));
    }
    for c in input.cfg.schemas.all().into_iter().filter(|c| c.has_list()) {
        entries.push((cfg.permalink(&format!("/{}/", c.name())), String::new()));
    }
    for (tax, terms) in &g.taxonomies {
        if *tax == Taxonomy::Regions {
            continue;
        }
        entries.push((cfg.permalink(&format!("/{tax}/")), String::new()));
        for t in terms {
            entries.push((cfg.permalink(&format!("/{tax}/{}/", t.slug)), String::new()));
        }
    }
    entries.sort();
    entries.dedup();
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (loc, lastmod) in entries {
        let _ = write!(s, "  <url><loc>{}</loc>", escape(&loc));
        if !lastmod.is_empty() {
            let _ = write!(s, "<lastmod>{lastmod}</lastmod>");
        }
        s.push_str("</url>\n");
    }
    s.push_str("</urlset>\n");
    s
}

/// A redirect page for an alias: meta refresh, canonical link, and a plain link for everyone else.
pub fn redirect_page(input: &Input<'_>, target: &str, title: &str) -> String {
    let url = escape(&input.cfg.url(target));
    let permalink = escape(&input.cfg.permalink(target));
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>Moved: {t}</title>\n<link rel=\"canonical\" href=\"{permalink}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n<body>\n<main>\n<h1>This page has moved</h1>\n<p><a href=\"{url}\">{t}</a> is at its new address.</p>\n</main>\n</body>\n</html>\n",
        lang = escape(&input.cfg.language),
        t = escape(title),
    )
}
