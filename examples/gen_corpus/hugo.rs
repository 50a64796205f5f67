//! The Hugo copy of the corpus: same documents and front matter, Hugo's folder layout and URLs, and
//! the templates of `bench/hugo-layouts/` (embedded here so the example is self-contained).

use std::fmt::Write as _;
use std::path::Path;

use crate::vocab::{AUDIENCES, SERIES, TOPICS};
use crate::{Coll, MARK, write};

/// Marker file: a folder containing it was written by gen-corpus and may be replaced.
pub const MARKER: &str = ".gen-corpus";

/// `bench/hugo-layouts/`, copied to `layouts/`.
const LAYOUTS: &[(&str, &str)] = &[
    (
        "_default/baseof.html",
        include_str!("../../bench/hugo-layouts/_default/baseof.html"),
    ),
    (
        "_default/single.html",
        include_str!("../../bench/hugo-layouts/_default/single.html"),
    ),
    (
        "_default/list.html",
        include_str!("../../bench/hugo-layouts/_default/list.html"),
    ),
    (
        "_default/taxonomy.html",
        include_str!("../../bench/hugo-layouts/_default/taxonomy.html"),
    ),
    (
        "_default/term.html",
        include_str!("../../bench/hugo-layouts/_default/term.html"),
    ),
    (
        "regions/term.html",
        include_str!("../../bench/hugo-layouts/regions/term.html"),
    ),
    (
        "index.html",
        include_str!("../../bench/hugo-layouts/index.html"),
    ),
    (
        "index.json",
        include_str!("../../bench/hugo-layouts/index.json"),
    ),
    (
        "404.html",
        include_str!("../../bench/hugo-layouts/404.html"),
    ),
    (
        "partials/header.html",
        include_str!("../../bench/hugo-layouts/partials/header.html"),
    ),
    (
        "partials/footer.html",
        include_str!("../../bench/hugo-layouts/partials/footer.html"),
    ),
    (
        "partials/card.html",
        include_str!("../../bench/hugo-layouts/partials/card.html"),
    ),
    (
        "partials/cards.html",
        include_str!("../../bench/hugo-layouts/partials/cards.html"),
    ),
    (
        "partials/pagination.html",
        include_str!("../../bench/hugo-layouts/partials/pagination.html"),
    ),
    (
        "partials/terms.html",
        include_str!("../../bench/hugo-layouts/partials/terms.html"),
    ),
    (
        "partials/national.html",
        include_str!("../../bench/hugo-layouts/partials/national.html"),
    ),
];

/// Write one document. Region documents become the `regions` taxonomy's term pages
/// (`content/regions/<slug>/_index.md`), which is how Hugo attaches content to a term.
pub fn write_doc(dir: &Path, coll: Coll, slug: &str, front_matter: &str, extra: &str, body: &str) {
    let path = match coll {
        Coll::Region => dir.join("content/regions").join(slug).join("_index.md"),
        _ => dir
            .join("content")
            .join(coll.dir())
            .join(format!("{slug}.md")),
    };
    let mut fm = String::with_capacity(front_matter.len() + extra.len() + 16);
    for line in front_matter.lines() {
        // Hugo reserves `menu` (a menu entry, not a number) and `kind` (the page kind).
        if let Some(rest) = line.strip_prefix("menu: ") {
            let _ = writeln!(fm, "menu_order: {rest}");
        } else if let Some(rest) = line.strip_prefix("kind: ") {
            let _ = writeln!(fm, "tool_kind: {rest}");
        } else {
            fm.push_str(line);
            fm.push('\n');
        }
    }
    fm.push_str(extra);
    write(
        &path,
        format!("---\n{fm}---\n{}", rewrite_links(coll, body)),
    );
}

/// Rewrite relative links to `.md` files as the site-absolute URLs of the pages
/// (`../guides/guide-00042.md#step-one` → `/guides/guide-00042/#step-one`).
pub fn rewrite_links(from: Coll, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 256);
    let mut rest = body;
    while let Some(k) = rest.find("](") {
        out.push_str(&rest[..k + 2]);
        rest = &rest[k + 2..];
        let end = rest.find(')').unwrap_or(rest.len());
        let dest = &rest[..end];
        let (path, fragment) = match dest.find('#') {
            Some(h) => (&dest[..h], &dest[h..]),
            None => (dest, ""),
        };
        match path.strip_suffix(".md") {
            Some(p) if !p.contains("://") => {
                let (coll, slug) = match p.strip_prefix("../").and_then(|q| q.split_once('/')) {
                    Some((d, s)) => (Coll::from_dir(d).unwrap_or(from), s),
                    None => (from, p),
                };
                out.push_str(&coll.url(slug));
                out.push_str(fragment);
            }
            _ => out.push_str(dest),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Configuration (and the `search`, `norelated` and `relatedpool` environments), section and term
/// pages, templates.
pub fn write_site(dir: &Path, menu: &[(String, String)]) {
    write(&dir.join(MARKER), format!("{MARK}\n"));
    let mut c = String::new();
    let _ = writeln!(c, "{MARK}");
    c.push_str(
        "baseURL: https://www.lmpartnership.org/
languageCode: en
title: Labor Management Partnership
paginate: 10
# The stories feed has the 20 newest stories, as lmp's.
rssLimit: 20
enableRobotsTXT: true
params:
  description: Workers, managers and physicians improving care, service and work life together.
taxonomies:
  topic: topics
  audience: audiences
  series: series
  region: regions
permalinks:
  pages: /:filename/
outputs:
  home: [HTML]
  section: [HTML]
  taxonomy: [HTML]
  term: [HTML]
  page: [HTML]
markup:
  highlight:
    noClasses: false
  tableOfContents:
    startLevel: 2
    endLevel: 3
# Related content as lmp ranks it: shared topics count twice as much as shared regions.
related:
  includeNewer: true
  threshold: 20
  toLower: false
  indices:
    - {name: topics, weight: 100}
    - {name: regions, weight: 50}
menu:
  main:
",
    );
    for (k, (name, url)) in menu.iter().enumerate() {
        let _ = writeln!(
            c,
            "    - {{name: \"{name}\", url: \"{url}\", weight: {}}}",
            k + 1
        );
    }
    write(&dir.join("config/_default/hugo.yaml"), c);
    write(
        &dir.join("config/norelated/hugo.yaml"),
        format!(
            "{MARK}\n# `hugo --environment norelated`: no related-content lists (to measure what they cost).\nparams:\n  norelated: true\n"
        ),
    );
    write(
        &dir.join("config/relatedpool/hugo.yaml"),
        format!(
            "{MARK}\n# `hugo --environment relatedpool`: related content among the 2,500 newest pages only.\nparams:\n  related_pool: 2500\n"
        ),
    );
    write(
        &dir.join("config/search/hugo.yaml"),
        format!(
            "{MARK}\n# `hugo --environment search`: also write /index.json, every page's plain text.\noutputs:\n  home: [HTML, JSON]\n"
        ),
    );
    for (path, text) in LAYOUTS {
        write(&dir.join("layouts").join(path), text);
    }
    for coll in crate::ALL_COLLS {
        let title = crate::sentence_case(coll.dir());
        // The stories section also has the feed, as lmp's RSS feed of stories.
        let outputs = if coll == Coll::Story {
            "outputs: [HTML, RSS]\n"
        } else {
            ""
        };
        write(
            &dir.join("content").join(coll.dir()).join("_index.md"),
            format!("---\ntitle: {title}\n{outputs}---\n"),
        );
    }
    for (tax, terms) in [
        ("topics", TOPICS),
        ("audiences", AUDIENCES),
        ("series", SERIES),
    ] {
        for (slug, name) in terms {
            write(
                &dir.join("content").join(tax).join(slug).join("_index.md"),
                format!("---\ntitle: {name}\n---\n"),
            );
        }
    }
}
