//! The sample site in two languages, checked on the built output: every page's `hreflang`
//! alternates point to each other both ways (with `x-default`), the Spanish pages say
//! `<html lang="es">` and give the English figures the Spanish way.

use crate::harness::Project;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const BASE: &str = "https://www.lmpartnership.org/";

/// The Spanish documents of the sample site: every `site/**/x.es.md`, by its English URL without
/// the `/es` prefix (`stories/x/`; `pages/x.es.md` → `x/`; the home page ``). Read from the files,
/// so that a translation added to the sample site is checked too (audit s16: a hand-written list
/// had 10 of the 14).
fn translated() -> Vec<String> {
    let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("site");
    let mut out = Vec::new();
    let mut dirs = vec![site.clone()];
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = e.path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(&site)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let Some(stem) = rel.strip_suffix(".es.md") else {
                continue;
            };
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                !text.lines().any(|l| l.starts_with("slug:")),
                "{rel}: a Spanish sample page with its own slug: teach translated() its URL"
            );
            out.push(match stem {
                "index" => String::new(),
                _ => format!("{}/", stem.strip_prefix("pages/").unwrap_or(stem)),
            });
        }
    }
    out.sort();
    out
}

/// The attributes of every `<tag …>` start tag in `html` (names lowercased; values as written,
/// with `&amp;` decoded).
fn tags(html: &str, tag: &str) -> Vec<BTreeMap<String, String>> {
    let mut out = Vec::new();
    let open = format!("<{tag}");
    let mut rest = html;
    while let Some(i) = rest.find(&open) {
        let after = &rest[i + open.len()..];
        let Some(end) = after.find('>') else { break };
        rest = &after[end..];
        if !after.starts_with(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/') {
            continue;
        }
        out.push(attributes(&after[..end]));
    }
    out
}

fn attributes(mut s: &str) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    loop {
        s = s.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if s.is_empty() {
            return map;
        }
        let name_end = s
            .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '/')
            .unwrap_or(s.len());
        let name = s[..name_end].to_ascii_lowercase();
        s = s[name_end..].trim_start();
        let mut value = String::new();
        if let Some(v) = s.strip_prefix('=') {
            let v = v.trim_start();
            let (val, next) = match v.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &v[1..];
                    let close = body.find(q).unwrap_or(body.len());
                    (&body[..close], body.get(close + 1..).unwrap_or(""))
                }
                _ => {
                    let e = v.find(|c: char| c.is_ascii_whitespace()).unwrap_or(v.len());
                    (&v[..e], &v[e..])
                }
            };
            value = val.replace("&amp;", "&");
            s = next;
        }
        map.insert(name, value);
    }
}

/// Every HTML page of `public` that is not a redirect, by its absolute URL.
fn pages(public: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(public).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("html") {
            continue;
        }
        let html = std::fs::read_to_string(path).unwrap();
        if html.contains("http-equiv=\"refresh\"") {
            continue;
        }
        let rel = path
            .strip_prefix(public)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let url = match rel.strip_suffix("index.html") {
            Some(dir) => format!("{BASE}{dir}"),
            None => format!("{BASE}{rel}"),
        };
        out.insert(url, html);
    }
    out
}

/// The `<link rel="alternate" hreflang>` of a page's head: language → URL.
fn alternates(html: &str) -> BTreeMap<String, String> {
    let head = html.split("</head>").next().unwrap_or("");
    let mut out = BTreeMap::new();
    for a in tags(head, "link") {
        if a.get("rel").map(String::as_str) == Some("alternate") {
            if let (Some(lang), Some(href)) = (a.get("hreflang"), a.get("href")) {
                let old = out.insert(lang.clone(), href.clone());
                assert!(old.is_none(), "two alternates for {lang}");
            }
        }
    }
    out
}

fn html_lang(html: &str) -> String {
    tags(html, "html")
        .first()
        .and_then(|a| a.get("lang").cloned())
        .unwrap_or_default()
}

#[test]
fn every_alternate_of_the_sample_site_points_back() {
    let p = Project::built_sample_site();
    let pages = pages(&p.path("public"));
    let mut problems = Vec::new();
    let mut with_spanish = BTreeSet::new();
    for (url, html) in &pages {
        let alts = alternates(html);
        if alts.is_empty() {
            continue;
        }
        let lang = html_lang(html);
        // The page lists itself under its own language.
        if alts.get(&lang) != Some(url) {
            problems.push(format!(
                "{url}: lang {lang:?}, but its own alternate is {:?}",
                alts.get(&lang)
            ));
        }
        // x-default: the English (default language) page.
        match (alts.get("x-default"), alts.get("en")) {
            (Some(d), Some(en)) if d == en => {}
            (d, en) => problems.push(format!(
                "{url}: x-default {d:?} is not the English page {en:?}"
            )),
        }
        for (code, target) in &alts {
            if code == "x-default" {
                continue;
            }
            let Some(other) = pages.get(target) else {
                problems.push(format!(
                    "{url}: alternate {code} → {target}, which is not a page"
                ));
                continue;
            };
            if html_lang(other) != *code {
                problems.push(format!(
                    "{url}: alternate {code} → {target}, whose <html lang> is {:?}",
                    html_lang(other)
                ));
            }
            // Both ways: the other page lists exactly the same set.
            let back = alternates(other);
            if back != alts {
                problems.push(format!("{url} lists {alts:?}, but {target} lists {back:?}"));
            }
        }
        if alts.contains_key("es") {
            with_spanish.insert(url.clone());
        }
    }
    // Landmarks of one kind have names of their own on every page, in both languages (axe's
    // `landmark-unique`; QA Q42: the search page's form and the header's were both "Search").
    for (url, html) in &pages {
        let mut seen = BTreeSet::new();
        let kinds = [
            ("form", "search"),
            ("nav", "navigation"),
            ("section", "region"),
        ];
        for (tag, default_role) in kinds {
            for a in tags(html, tag) {
                let role = a
                    .get("role")
                    .map_or(default_role, String::as_str)
                    .to_string();
                let Some(name) = a.get("aria-label").or(a.get("aria-labelledby")) else {
                    continue;
                };
                if (tag != "form" || role == "search") && !seen.insert((role.clone(), name.clone()))
                {
                    problems.push(format!("{url}: two `{role}` landmarks named {name:?}"));
                }
            }
        }
    }
    assert!(
        pages.contains_key(&format!("{BASE}search/"))
            && pages.contains_key(&format!("{BASE}es/search/"))
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let translated = translated();
    assert!(translated.len() >= 10, "{translated:?}");
    for rel in &translated {
        for url in [format!("{BASE}{rel}"), format!("{BASE}es/{rel}")] {
            assert!(
                with_spanish.contains(&url),
                "{url} has no Spanish alternate"
            );
        }
    }
    // The Spanish home page and lists, once there are any, pair with the English ones too.
    for rel in ["", "stories/", "guides/"] {
        let url = format!("{BASE}es/{rel}");
        if pages.contains_key(&url) {
            assert!(with_spanish.contains(&url), "{url} has no alternates");
        }
    }
    // A page with no translation has no Spanish alternate (nothing to point to).
    let untranslated = format!("{BASE}stories/hank-spring-2014/");
    assert!(pages.contains_key(&untranslated));
    assert!(
        !with_spanish.contains(&untranslated),
        "{untranslated} points to a Spanish page that does not exist"
    );
}

#[test]
fn spanish_pages_say_so_and_give_figures_the_spanish_way() {
    let p = Project::built_sample_site();
    let pages = pages(&p.path("public"));
    let spanish: Vec<_> = pages
        .keys()
        .filter(|u| u.starts_with(&format!("{BASE}es/")))
        .collect();
    assert!(
        spanish.len() >= translated().len(),
        "only {} Spanish pages",
        spanish.len()
    );
    for url in &spanish {
        assert_eq!(html_lang(&pages[*url]), "es", "{url}");
    }
    for (url, html) in &pages {
        if !url.starts_with(&format!("{BASE}es/")) {
            assert_ne!(html_lang(html), "es", "{url} is English but says lang=es");
        }
    }
    let region = &pages[&format!("{BASE}es/regions/northern-california/")];
    for figure in ["4,5 millones", "1.347", "1.006", "249", "35"] {
        assert!(
            region.contains(figure),
            "the Spanish region page lacks {figure}"
        );
    }
}

/// A region with no Spanish page: its member count in words ("4.7 million" in its English file)
/// is in Spanish in the Spanish national table ("4,7 millones"), not English read with an
/// English voice; a region's own words that say more than the figure stay English and marked.
#[test]
fn an_untranslated_regions_member_count_is_spanish_in_the_spanish_table() {
    let p = Project::built_sample_site();
    let pages = pages(&p.path("public"));
    let table = &pages[&format!("{BASE}es/regions/")];
    let row = table
        .split("<tr>")
        .find(|r| r.contains("/regions/southern-california/"))
        .expect("a row for Southern California");
    assert!(
        row.contains("<td class=\"num\">4,7 millones</td>"),
        "the Spanish table gives Southern California's members as: {row}"
    );
    assert!(!table.contains("million"), "English figures left: {table}");
    // No figure with English thousands ("688,000", which a Spanish reader reads as 688; audit
    // s16: Washington's "more than 688,000" until the sample site had its Spanish page).
    let b = table.as_bytes();
    let english = (1..b.len().saturating_sub(4)).find(|&i| {
        b[i] == b','
            && b[i - 1].is_ascii_digit()
            && b[i + 1..i + 4].iter().all(u8::is_ascii_digit)
            && !b.get(i + 4).is_some_and(u8::is_ascii_digit)
    });
    assert!(
        english.is_none(),
        "a figure written the English way in the Spanish table: {}",
        english.map_or("", |i| &table[i.saturating_sub(40)..i + 10])
    );
    // The English table keeps the editor's words.
    let en = &pages[&format!("{BASE}regions/")];
    assert!(en.contains("4.7 million"), "{en}");
}

/// Audit s16: `lmp check --translations` on the sample site is a list of work to do, so it names
/// only real work. It flagged the Spanish UBT-basics guide as older than its original (written
/// from the June 2021 text, it had no date, and said "Última actualización 15 de enero de 2018"
/// where the English says June 30, 2021) and the author of "I've got your back", a name, as
/// "still in English".
#[test]
fn the_sample_translations_are_up_to_date_and_say_so() {
    let p = Project::built_sample_site();
    let o = p.ok(&["check", "--translations"]);
    assert!(
        o.stderr.contains(" documents translated, 0 outdated"),
        "{}",
        o.stderr
    );
    assert!(!o.stderr.contains("still in English"), "{}", o.stderr);
    // The page's "Last updated" line.
    let updated = |html: &str| -> String {
        let Some(i) = html.find("<p class=\"updated\">") else {
            return String::new();
        };
        let rest = &html[i..];
        let d = rest.find("datetime=\"").map_or(0, |d| d + 10);
        rest.get(d..d + 10).unwrap_or_default().to_string()
    };
    let pages = pages(&p.path("public"));
    let en = &pages[&format!("{BASE}guides/find-ubt-basics/")];
    let es = &pages[&format!("{BASE}es/guides/find-ubt-basics/")];
    assert_eq!(updated(en), "2021-06-30", "{en}");
    assert_eq!(updated(es), updated(en), "{es}");
}

/// The words of `text` (letters, accented ones included), lowercased.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// QA s17: the site speaks to its readers as *usted* in Spanish (docs/translations.md), in
/// every Spanish sample page and in the theme's Spanish words: no *tú* forms ("Yo te
/// respaldo" was the title of a Spanish story, in a site that says "Lea", "su equipo").
#[test]
fn the_spanish_sample_pages_and_theme_words_say_usted() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Pronouns and verb forms only *tú* uses, and imperatives with `-te` ("suscríbete").
    let tu = [
        "tú",
        "te",
        "ti",
        "tu",
        "tus",
        "contigo",
        "tuyo",
        "tuya",
        "tuyos",
        "tuyas",
        "eres",
        "estás",
        "puedes",
        "tienes",
        "quieres",
        "sabes",
        "debes",
        "necesitas",
        "haz",
        "ven",
        "únete",
        "suscríbete",
        "inscríbete",
        "regístrate",
        "escríbenos",
        "cuéntanos",
        "llámanos",
        "contáctanos",
    ];
    let files = spanish_sources(root);
    assert!(files.len() >= 15, "{files:?}");
    let mut found = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        for (n, line) in text.lines().enumerate() {
            for w in words(line) {
                if tu.contains(&w.as_str()) {
                    found.push(format!(
                        "{}:{}: `{w}` in {line}",
                        path.strip_prefix(root).unwrap().display(),
                        n + 1
                    ));
                }
            }
        }
    }
    assert!(found.is_empty(), "tú forms:\n{}", found.join("\n"));
}

/// QA s17: the sample site has a Spanish page of every document layout (story, guide,
/// practice, tool, video, research, region, plain page), so the HTML validator and the
/// accessibility check (`tests/a11y/`, `AXE_EVERY_LAYOUT=1`) see each of them in Spanish (the
/// practice, tool and research layouts had none).
#[test]
fn the_sample_site_has_a_spanish_page_of_every_layout() {
    let pages = translated();
    for folder in [
        "stories/",
        "guides/",
        "practices/",
        "tools/",
        "videos/",
        "research/",
        "regions/",
    ] {
        assert!(
            pages.iter().any(|p| p.starts_with(folder)),
            "no Spanish page in {folder}: {pages:?}"
        );
    }
    assert!(
        pages
            .iter()
            .any(|p| !p.is_empty() && p.matches('/').count() == 1),
        "no Spanish plain page: {pages:?}"
    );
}

/// Hide s17, left: the theme's Spanish words said "alto desempeño" for *high performing*, the
/// guide for translators ("Words we use") and three sample pages "alto rendimiento". One term
/// everywhere, "alto desempeño" (the sample pages say "desempeño" for *performance* already): a
/// reader sees the same rating named the same way on the regions table and in the text.
#[test]
fn high_performing_is_alto_desempeno_everywhere() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = spanish_sources(root);
    files.push(root.join("docs/translations.md"));
    let mut found = Vec::new();
    let mut used = 0;
    for path in &files {
        // A term split over two lines is still the term.
        let text = std::fs::read_to_string(path)
            .unwrap()
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if text.contains("alto rendimiento") {
            found.push(path.strip_prefix(root).unwrap().display().to_string());
        }
        used += text.matches("alto desempeño").count();
    }
    assert!(found.is_empty(), "\"alto rendimiento\" in: {found:?}");
    assert!(used >= 20, "{used}");
    let guide = std::fs::read_to_string(root.join("docs/translations.md")).unwrap();
    assert!(
        guide.contains("high performing →\n  de alto desempeño")
            || guide.contains("high performing → de alto desempeño"),
        "the guide's \"Words we use\""
    );
}

/// The sample's Spanish words: the theme's es.yaml, and every `*.es.md` and `i18n/es.yaml` under
/// site/.
fn spanish_sources(root: &Path) -> Vec<std::path::PathBuf> {
    let mut files = vec![root.join("themes/lmp/i18n/es.yaml")];
    let mut dirs = vec![root.join("site")];
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = e.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.to_string_lossy().ends_with(".es.md") || path.ends_with("i18n/es.yaml") {
                files.push(path);
            }
        }
    }
    files
}
