//! The link check as a stage of the build: after the pages are rendered, [`check_build`] checks
//! the records of every page against the files of the build, and finds where each page's links
//! came from (the document it shows, with its markdown links; the template that wrote it).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::{DocSource, Origin, Outbound, Records, Site};
use crate::config::Config;
use crate::content::collections::Collection;
use crate::content::graph::Graph;
use crate::content::taxonomy::Taxonomy;
use crate::diagnostics::Diagnostic;
use crate::fsx::Files;
use crate::markdown::Rendered;
use crate::render::theme::StaticSource;
use crate::render::{Theme, url_to_file};

/// Everything the check reads from a build.
pub(crate) struct Build<'a> {
    pub cfg: &'a Config,
    pub graph: &'a Graph,
    pub rendered: &'a [Arc<Rendered>],
    pub theme: &'a Theme,
    /// Every output file but the search index.
    pub files: &'a Files,
    pub records: &'a Records,
    /// Each page's result (see [`super::PerPage`]); `None`: every page is checked.
    pub pages: Option<&'a super::PerPage<'a>>,
    /// Gather the outbound links (for `lmp check --external`; not in `serve`).
    pub gather: bool,
    /// Pages kept out of the build by errors (see [`super::Site::unbuilt`]).
    pub unbuilt: Option<&'a HashMap<String, String>>,
}

/// The link errors of a build that already failed before its pages (front matter, references,
/// `.md` links, images): every page is rendered anyway, in memory and with nothing kept for the
/// next build, and checked, so one run reports every error of the site. A link to a page that
/// errors keep out of the build (a document whose front matter is broken, its aliases, a page
/// whose template failed) is not reported: that file's own errors are. Template errors of
/// this render are returned too, and links that only templates write, but those built from a
/// value an error in `errors_so_far` names (`/regions/hawai/` of "unknown region `hawai`").
pub(crate) fn check_despite_errors(
    input: crate::render::Input<'_>,
    statics: &crate::render::Statics,
    images: &crate::media::Images,
    errors_so_far: &[Diagnostic],
) -> Vec<Diagnostic> {
    // Each page is dropped once its links are recorded, as in a streaming build: holding every
    // page's HTML made a failed build of 10,000 documents peak at 428 MiB against 227 MiB for
    // a good one (issue 14).
    let input = input.streaming_to(Some(&crate::site::Discard));
    let pages = crate::render::render(&input, &crate::render::Reuse::Never);
    let mut diags = pages.diagnostics;
    let mut files = pages.files;
    let mut records = pages.records;
    // Images and static files: only HTML is read (its links are checked); the rest only exists.
    let blobs = crate::media::outputs(statics, images, &|rel| files.contains_key(rel));
    let mut read = crate::fsx::Files::new();
    for (rel, blob) in blobs {
        match super::is_checked(&rel) {
            true => read.insert(rel, blob.read().unwrap_or_default()),
            false => files.insert(rel, crate::site::streamed()),
        };
    }
    records.extend(super::records_of(read.iter().collect::<Vec<_>>()));
    files.extend(read);
    let input = &input;
    let graph = input.graph;
    let mut unbuilt: HashMap<String, String> = graph
        .broken
        .values()
        .flat_map(|s| {
            let cause = crate::diagnostics::display_path(&s.path);
            std::iter::once(url_to_file(&s.url))
                .chain(s.aliases.iter().map(|a| url_to_file(a)))
                .map(move |page| (page, cause.clone()))
        })
        .collect();
    for d in &graph.docs {
        let page = url_to_file(&d.url);
        if !files.contains_key(&page) && d.collection != Collection::Home {
            unbuilt.insert(page, crate::diagnostics::display_path(&d.path));
        }
    }
    let b = Build {
        cfg: input.cfg,
        graph,
        rendered: input.rendered,
        theme: input.theme,
        files: &files,
        records: &records,
        pages: None,
        gather: true,
        unbuilt: Some(&unbuilt),
    };
    let (errors, _) = check_links(&b);
    // An alias that would overwrite a file of the site: its own error, in the same run as the
    // other alias errors (it is in the front matter, which the filter below leaves out).
    diags.extend(alias_collisions(&b));
    // Only the links located in a source file: a link a template writes from a broken value
    // (`/regions/hawai/` for `regions: [hawai]`, a card of a document with errors) is caused by
    // that value's error, already reported; template links are checked once the content is.
    // A front matter field's file (`image:`, `file:`) is checked by the reference checks.
    let body_lines: HashMap<&std::path::Path, usize> = graph
        .docs
        .iter()
        .map(|d| (d.path.as_path(), d.body_line))
        .collect();
    // The values named in the errors so far (`hawai` of "unknown region `hawai`"): a link a
    // template writes from one of them is caused by that error.
    let named: HashSet<&str> = errors_so_far
        .iter()
        .filter(|d| d.is_error())
        .flat_map(|d| d.message.split('`').skip(1).step_by(2))
        .filter(|v| !v.is_empty())
        .collect();
    // The site paths the errors so far are about (`the file /files/x.pdf does not exist` of a
    // `{download}` or a tool's `file:`): the pages that link to it are not reported again
    // (QA Q53: one missing file was 5 errors with three wordings).
    // Not an alt text's error, which names a picture that may be missing too (QA s13: the
    // missing file was reported only in the next run, after the alt text was written).
    let paths: HashSet<&str> = errors_so_far
        .iter()
        .filter(|d| d.is_error() && !d.message.ends_with("has no alt text"))
        .flat_map(|d| d.message.split([' ', '`']))
        .map(|w| w.trim_end_matches([':', ',', '.', ';']))
        .filter(|w| w.len() > 1 && w.starts_with('/'))
        .collect();
    diags.extend(errors.into_iter().filter(|d| {
        if d.message
            .split(' ')
            .any(|w| w.len() > 1 && w.starts_with('/') && paths.contains(w))
        {
            return false;
        }
        if d.line == 0 {
            // A link only a template writes (QA Q28: it must not wait for the next run); not
            // the feed, sitemap or redirects, which only show the documents' own links.
            return !d.caused
                && d.help
                    .as_deref()
                    .is_some_and(|h| h.starts_with("written by template"))
                && !d
                    .message
                    .split_whitespace()
                    .filter(|w| w.contains('/'))
                    .flat_map(|w| w.split(['/', '#']))
                    .any(|seg| named.contains(seg));
        }
        body_lines
            .get(d.path.as_path())
            .is_none_or(|&body| d.line >= body)
    }));
    diags
}

/// Check every page's links, and the aliases against the files of the build: the errors, and
/// the outbound links for `--external`.
pub(crate) fn check_build(b: &Build<'_>) -> (Vec<Diagnostic>, Vec<Outbound>) {
    let (mut errors, outbound) = check_links(b);
    errors.extend(alias_collisions(b));
    crate::diagnostics::sort(&mut errors);
    (errors, outbound)
}

/// Check every page's links: the errors, and the outbound links.
fn check_links(b: &Build<'_>) -> (Vec<Diagnostic>, Vec<Outbound>) {
    let files: HashSet<&str> = b.files.keys().map(String::as_str).collect();
    // Links are compared decoded; the configured base path is percent-encoded (`/caf%C3%A9/`).
    let base_path = crate::escape::percent_decode(&b.cfg.base_path);
    let chain = |name: &str| b.theme.template_chain(name);
    let site = Site {
        base_url: &b.cfg.base_url,
        base_path: &base_path,
        files: &files,
        records: b.records,
        unbuilt: b.unbuilt,
        config: b
            .cfg
            .source
            .as_ref()
            .map(|(path, text)| (path.as_path(), &**text)),
        templates: Some(&chain),
    };
    let docs: HashMap<String, usize> = b
        .graph
        .docs
        .iter()
        .enumerate()
        .map(|(i, d)| (url_to_file(&d.url), i))
        .collect();
    // Pages copied from `static/` as they are: their links are located in the file itself.
    let statics: HashMap<&str, (&std::path::Path, String)> = b
        .theme
        .statics
        .iter()
        .filter(|(rel, _)| super::is_checked(rel))
        .filter_map(|(rel, src)| match src {
            StaticSource::File(path) => {
                let bytes = b.files.get(rel)?;
                Some((
                    rel.as_str(),
                    (path.as_path(), String::from_utf8_lossy(bytes).into_owned()),
                ))
            }
            StaticSource::Embedded(_) => None,
        })
        .collect();
    // A document's text is read (back from `serve`'s scratch file) only for a page with a
    // problem to place, once.
    let texts: Vec<std::sync::OnceLock<crate::content::Text>> = b
        .graph
        .docs
        .iter()
        .map(|_| std::sync::OnceLock::new())
        .collect();
    let origin = |page: &str| -> Origin<'_> {
        if !docs.contains_key(page)
            && let Some((path, text)) = statics.get(page)
        {
            return Origin {
                doc: Some(DocSource {
                    path,
                    text,
                    body_line: 1,
                    links: &[],
                    front: &[],
                    ids: None,
                }),
                template: None,
            };
        }
        let doc = docs.get(page).map(|&i| (i, &b.graph.docs[i]));
        let template = match doc {
            Some((_, d)) => Some(doc_template(b.theme, d.collection)),
            None => page_template(b, page),
        };
        Origin {
            doc: doc.map(|(i, d)| DocSource {
                path: &d.path,
                text: texts[i].get_or_init(|| d.whole_text()),
                body_line: d.body_line,
                links: &b.rendered[i].links,
                front: &b.rendered[i].front,
                ids: Some(&b.rendered[i].ids),
            }),
            template: template.map(|t| {
                let path = b.theme.path_of(&t);
                (t, path)
            }),
        }
    };
    super::check(&site, &origin, b.pages, b.gather)
}

/// An alias whose redirect page would sit inside a file of the build (`/files/x.pdf/`,
/// `/stories/atom.xml`) or in the folder of a search index (`/search/index/manifest.json`,
/// written after the pages: QA s8): one error at the alias, rather than a failed write.
fn alias_collisions(b: &Build<'_>) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    // Every language's search index folder (`search/index/`, `es/search/index/`).
    let mut index_dirs = vec![format!("{}/", crate::search::format::DIR)];
    for l in &b.cfg.languages {
        let dir = format!(
            "{}{}/",
            l.prefix.trim_start_matches('/'),
            crate::search::format::DIR
        );
        if !index_dirs.contains(&dir) {
            index_dirs.push(dir);
        }
    }
    for (alias, &i) in &b.graph.aliases {
        let file = url_to_file(alias);
        if let (Some(dir), Some(d)) = (
            index_dirs.iter().find(|dir| file.starts_with(dir.as_str())),
            b.graph.docs.get(i),
        ) {
            errors.push(
                d.error_at_item(
                    "aliases",
                    alias,
                    format!("alias {alias} is inside the search index that lmp writes (/{dir})"),
                )
                .with_help("an alias is an old address that redirects here; remove it or pick the old address"),
            );
            continue;
        }
        let clash = file
            .match_indices('/')
            .map(|(at, _)| &file[..at])
            .find(|dir| b.files.contains_key(*dir));
        if let (Some(dir), Some(d)) = (clash, b.graph.docs.get(i)) {
            errors.push(
                d.error_at_item(
                    "aliases",
                    alias,
                    format!("alias {alias} is the address of a file of the site (/{dir})"),
                )
                .with_help("an alias is an old address that redirects here; remove it or pick the old address"),
            );
        }
    }
    errors
}

fn doc_template(theme: &Theme, c: Collection) -> String {
    match c {
        Collection::Custom(cc) if theme.has_template(&format!("{}.html", cc.singular)) => {
            format!("{}.html", cc.singular)
        }
        c => c.template().to_string(),
    }
}

/// The template of a page that shows no document (see `render::Input::jobs`), or `None` for the
/// files `lmp` writes itself (feed, sitemap, alias redirects).
fn page_template(b: &Build<'_>, page: &str) -> Option<String> {
    let t = match page {
        "index.html" => "home.html",
        "404.html" => "404.html",
        "regions/index.html" => "regions.html",
        "search/index.html" => "search.html",
        p if !p.ends_with(".html") => return None,
        p => {
            let first = p.split('/').next().unwrap_or("");
            let is_alias = b.graph.aliases.keys().any(|a| url_to_file(a) == p);
            if is_alias {
                return None;
            }
            if Taxonomy::from_name(first).is_some() {
                if p == format!("{first}/index.html") {
                    "taxonomy.html"
                } else {
                    "term.html"
                }
            } else {
                "list.html"
            }
        }
    };
    Some(t.to_string())
}
