//! Walks every `href` and `src` of every HTML page of an output folder and checks the target
//! exists (and, for `#fragment` links, that the id exists on the target page).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::harness::Project;

fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        if let Some(end) = rest.find('"') {
            out.push(&rest[..end]);
            rest = &rest[end..];
        }
    }
    out
}

fn ids(html: &str) -> BTreeSet<String> {
    attr_values(html, "id")
        .into_iter()
        .map(String::from)
        .collect()
}

/// Panics with every broken link listed.
pub fn assert_links_resolve(public: &Path, base_path: &str) {
    let mut pages: BTreeMap<String, String> = BTreeMap::new();
    for e in walkdir::WalkDir::new(public).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html") {
            let rel = e
                .path()
                .strip_prefix(public)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            pages.insert(rel, std::fs::read_to_string(e.path()).unwrap());
        }
    }
    assert!(!pages.is_empty(), "no HTML pages in {}", public.display());
    let mut broken = Vec::new();
    let mut checked = 0;
    for (rel, html) in &pages {
        for (attr, v) in attr_values(html, "href")
            .into_iter()
            .map(|v| ("href", v))
            .chain(attr_values(html, "src").into_iter().map(|v| ("src", v)))
        {
            let v = v.replace("&amp;", "&");
            if v.starts_with("http://")
                || v.starts_with("https://")
                || v.starts_with("mailto:")
                || v.starts_with("data:")
            {
                continue;
            }
            checked += 1;
            let (path, frag) = match v.split_once('#') {
                Some((p, f)) => (p.to_string(), Some(f.to_string())),
                None => (v.clone(), None),
            };
            let path = path.split('?').next().unwrap_or("").to_string();
            let target_rel = if path.is_empty() {
                rel.clone()
            } else if let Some(p) = path.strip_prefix(base_path) {
                if p.is_empty() || p.ends_with('/') {
                    format!("{p}index.html")
                } else {
                    p.to_string()
                }
            } else {
                broken.push(format!(
                    "{rel}: {attr}=\"{v}\" does not start with the base path {base_path}"
                ));
                continue;
            };
            if !public.join(&target_rel).is_file() {
                broken.push(format!(
                    "{rel}: {attr}=\"{v}\" → {target_rel} does not exist"
                ));
                continue;
            }
            if let Some(f) = frag.filter(|f| !f.is_empty())
                && let Some(target_html) = pages.get(&target_rel)
                && !ids(target_html).contains(&f)
            {
                broken.push(format!(
                    "{rel}: {attr}=\"{v}\" → no id `{f}` in {target_rel}"
                ));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "{} broken links of {checked}:\n{}",
        broken.len(),
        broken.join("\n")
    );
    assert!(checked > 0);
}

#[test]
fn every_link_of_the_basic_fixture_resolves() {
    let p = Project::fixture("basic");
    p.ok(&["build"]);
    assert_links_resolve(&p.path("public"), "/");
}

#[test]
fn every_link_of_the_sample_site_resolves() {
    let p = Project::sample_site();
    let o = p.ok(&["build"]);
    assert!(
        !o.stderr.contains("warning"),
        "the sample site builds with warnings:\n{}",
        o.stderr
    );
    assert_links_resolve(&p.path("public"), "/");
    p.ok(&[
        "build",
        "--base-url",
        "https://example.org/lmp/",
        "--out",
        "sub",
    ]);
    assert_links_resolve(&p.path("sub"), "/lmp/");
}

#[test]
fn sample_site_regions_page_has_all_nine_regions_and_the_national_total() {
    let p = Project::built_sample_site();
    let html = p.read("public/regions/index.html");
    for name in [
        "Colorado",
        "Georgia",
        "Hawaii",
        "Mid-Atlantic States",
        "Northern California",
        "Northwest",
        "Southern California",
        "Washington",
        "National",
    ] {
        assert!(html.contains(name), "regions page lacks {name}");
    }
    for figure in [
        "1,347",
        "1,006",
        "4.5 million",
        "more than 688,000",
        "3,651",
        "2,674",
        "73%",
    ] {
        assert!(html.contains(figure), "regions page lacks {figure}");
    }
}

#[test]
fn sample_site_builds_are_byte_identical() {
    let p = Project::sample_site();
    p.ok(&["build", "--out", "a"]);
    p.ok(&["build", "--out", "b"]);
    assert!(
        p.snapshot_dir("a") == p.snapshot_dir("b"),
        "two builds of the sample site differ"
    );
}
