//! The pages lmp generates, in every language (issue 16, output): the Spanish home page, lists,
//! taxonomy and term pages (term names from config, slugs shared), the Spanish feed, the menu
//! leading to the Spanish lists, untranslated documents in Spanish lists (marked, or hidden),
//! and `sitemap.xml` alternates both ways.

use crate::harness::Project;

/// Spanish term names and the untranslated-documents switch, added under `languages: es:`.
fn with_terms(p: &Project, untranslated: &str) {
    let cfg = p.read("site/config.yaml");
    let cfg = cfg.replacen(
        "    menu:\n      - {name: Historias, url: /stories/}\n",
        &format!(
            "    menu:\n      - {{name: Historias, url: /stories/}}\n      - {{name: Regiones, url: /regions/}}\n      - {{name: Acerca de, url: /about/}}\n    untranslated: {untranslated}\n    terms:\n      topics: {{ubt-basics: Conceptos básicos de los UBT}}\n      audiences: {{managers: Gerentes}}\n"
        ),
        1,
    );
    p.write("site/config.yaml", &cfg);
}

#[test]
fn spanish_home_lists_terms_and_feed_exist_in_spanish() {
    let p = Project::bilingual();
    with_terms(&p, "show");
    p.ok(&["build"]);
    // The home page: no home document in Spanish, so the language's title and description.
    let home = p.read("public/es/index.html");
    // Share previews say the language too (QA Q70).
    assert!(
        home.contains(r#"<meta property="og:locale" content="es_US">"#),
        "{home}"
    );
    assert!(
        p.read("public/index.html")
            .contains(r#"<meta property="og:locale" content="en_US">"#)
    );
    assert!(
        home.starts_with("<!doctype html>\n<html lang=\"es\""),
        "{home}"
    );
    assert!(home.contains("<h1>Alianza de prueba</h1>"), "{home}");
    assert!(home.contains("La primera historia"), "{home}");
    // Every generated page links to its other version both ways, and the switcher says so.
    assert!(
        home.contains("<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/\">"),
        "{home}"
    );
    let en_home = p.read("public/index.html");
    assert!(
        en_home
            .contains("<link rel=\"alternate\" hreflang=\"es\" href=\"https://example.org/es/\">"),
        "{en_home}"
    );
    assert!(
        en_home
            .contains("<a href=\"/es/\" hreflang=\"es\" lang=\"es\" rel=\"alternate\">Español</a>"),
        "{en_home}"
    );
    // The menu leads to the Spanish list; to the English page (marked) where there is none.
    assert!(
        home.contains("<a href=\"/es/stories/\">Historias</a>"),
        "{home}"
    );
    assert!(
        home.contains("<a href=\"/es/regions/\">Regiones</a>"),
        "{home}"
    );
    assert!(
        home.contains("<a href=\"/about/\" hreflang=\"en\">Acerca de</a>"),
        "{home}"
    );
    // The Spanish feed, linked from Spanish pages; only the Spanish story is in it.
    assert!(home.contains("href=\"/es/stories/atom.xml\""), "{home}");
    let feed = p.read("public/es/stories/atom.xml");
    assert!(feed.contains("xml:lang=\"es\""), "{feed}");
    assert!(
        feed.contains("<title>La primera historia</title>"),
        "{feed}"
    );
    assert!(!feed.contains("<title>Second story"), "{feed}");
    assert!(
        feed.contains("label=\"Conceptos básicos de los UBT\""),
        "{feed}"
    );
    assert!(
        !p.read("public/stories/atom.xml")
            .contains("La primera historia")
    );

    // The list: Spanish first, then the English ones, marked as English.
    let list = p.read("public/es/stories/index.html");
    assert!(list.contains("<h1>Historias</h1>"), "{list}");
    let es_at = list.find("La primera historia").expect("the Spanish story");
    let en_at = list
        .find("<article class=\"card card-stories\" lang=\"en\">")
        .expect("an English story marked lang=en");
    assert!(es_at < en_at, "{list}");
    // Only its title and summary are English (QA Q51): its label, date and regions are in the
    // page's words, and its link says where it leads.
    assert!(
        list.contains("<p class=\"card-meta\" lang=\"es\"><span class=\"label\">Historia</span> <span class=\"card-lang\">En inglés</span> <time datetime=\"2018-06-01\">1 de junio de 2018</time> <span class=\"card-regions\"><span lang=\"en\">Colorado</span></span>"),
        "{list}"
    );
    assert!(
        list.contains("<a href=\"/stories/second-story/\" hreflang=\"en\">The second story</a>"),
        "{list}"
    );
    // The English list's cards are as before.
    let en_list = p.read("public/stories/index.html");
    assert!(
        en_list.contains("<p class=\"card-meta\"><span class=\"label\">Story</span> <time datetime=\"2018-06-01\">June 1, 2018</time>"),
        "{en_list}"
    );
    // paginate: 2, so the third story is on page 2, which links to the English page 2.
    let page2 = p.read("public/es/stories/page/2/index.html");
    assert!(page2.contains("Historias (página 2 de 2)"), "{page2}");
    assert!(
        page2.contains("hreflang=\"en\" href=\"https://example.org/stories/page/2/\""),
        "{page2}"
    );

    // Taxonomy and term pages: names from config, slugs shared; untranslated names fall back.
    let topics = p.read("public/es/topics/index.html");
    assert!(topics.contains("<h1>Temas</h1>"), "{topics}");
    assert!(
        topics.contains("<a href=\"/es/topics/ubt-basics/\">Conceptos básicos de los UBT</a>"),
        "{topics}"
    );
    // A name with no Spanish version is the English one, marked so (QA Q68), on the taxonomy
    // page, its term page (heading and lede) and the term links of Spanish pages.
    assert!(
        topics.contains("<a href=\"/es/topics/bargaining/\" lang=\"en\">Bargaining</a>"),
        "{topics}"
    );
    let bargaining = p.read("public/es/topics/bargaining/index.html");
    assert!(
        bargaining.contains("<h1><span lang=\"en\">Bargaining</span></h1>"),
        "{bargaining}"
    );
    assert!(
        bargaining.contains(" sobre <span lang=\"en\">Bargaining</span>."),
        "{bargaining}"
    );
    assert!(
        bargaining.contains(
            r#"<a href="/es/topics/bargaining/" aria-current="page" lang="en">Bargaining</a>"#
        ),
        "{bargaining}"
    );
    let term = p.read("public/es/topics/ubt-basics/index.html");
    assert!(
        term.contains("<h1>Conceptos básicos de los UBT</h1>"),
        "{term}"
    );
    assert!(!term.contains("<span lang=\"en\">Conceptos"), "{term}");
    assert!(term.contains("La primera historia"), "{term}");
    assert!(
        p.read("public/es/audiences/managers/index.html")
            .contains("Gerentes</h1>")
    );
    // The Spanish story's own term links lead to the Spanish term pages.
    let story = p.read("public/es/stories/first-story/index.html");
    assert!(story.contains("href=\"/es/topics/ubt-basics/\""), "{story}");
    assert!(p.exists("public/es/regions/index.html"));
    assert!(p.exists("public/es/search/index.html"));
}

#[test]
fn untranslated_hide_leaves_english_documents_out_of_spanish_lists() {
    let p = Project::bilingual();
    with_terms(&p, "hide");
    p.ok(&["build"]);
    let list = p.read("public/es/stories/index.html");
    assert!(list.contains("La primera historia"), "{list}");
    assert!(!list.contains("card-lang"), "{list}");
    assert!(!p.exists("public/es/stories/page/2/index.html"));
    let term = p.read("public/es/topics/ubt-basics/index.html");
    assert!(
        term.contains("1 página sobre Conceptos básicos de los UBT."),
        "{term}"
    );
}

/// QA Q40: with `untranslated: hide`, a collection with no Spanish document has an empty Spanish
/// list; the Spanish menu leads to the English list instead (marked as English), and the English
/// list's switcher does not offer the empty one.
#[test]
fn untranslated_hide_leads_the_menu_and_switcher_around_empty_lists() {
    let p = Project::bilingual();
    with_terms(&p, "hide");
    let cfg = p.read("site/config.yaml").replacen(
        "      - {name: Historias, url: /stories/}\n",
        "      - {name: Historias, url: /stories/}\n      - {name: Guías, url: /guides/}\n",
        1,
    );
    p.write("site/config.yaml", &cfg);
    p.ok(&["build"]);
    let es = p.read("public/es/stories/first-story/index.html");
    assert!(
        es.contains("<a href=\"/guides/\" hreflang=\"en\">Guías</a>"),
        "{es}"
    );
    assert!(
        es.contains("<a href=\"/es/stories/\" aria-current=\"true\">Historias</a>"),
        "{es}"
    );
    let guides = p.read("public/guides/index.html");
    assert!(!guides.contains("hreflang=\"es\""), "{guides}");
    // A list with a Spanish document keeps its versions both ways.
    let stories = p.read("public/stories/index.html");
    assert!(
        stories.contains(
            "<link rel=\"alternate\" hreflang=\"es\" href=\"https://example.org/es/stories/\">"
        ),
        "{stories}"
    );
    // With `show`, the Spanish list shows the English guides and the menu leads there.
    p.write(
        "site/config.yaml",
        &cfg.replacen("untranslated: hide", "untranslated: show", 1),
    );
    p.ok(&["build"]);
    let es = p.read("public/es/stories/first-story/index.html");
    assert!(es.contains("<a href=\"/es/guides/\">Guías</a>"), "{es}");
    assert!(
        p.read("public/guides/index.html")
            .contains("hreflang=\"es\"")
    );
}

/// Every `hreflang` link of a built site (in `sitemap.xml` and in each page's head): the
/// addresses it leads to, as files of `public/` (`/es/guides/` → `public/es/guides/index.html`).
fn hreflang_targets(p: &Project) -> Vec<(String, String)> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let path = e.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|x| x == "html" || x == "xml") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&p.path("public"), &mut files);
    let mut targets = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let from = f
            .strip_prefix(p.path("public"))
            .unwrap()
            .to_string_lossy()
            .into_owned();
        for part in text.split("hreflang=\"").skip(1) {
            let Some(href) = part
                .split("href=\"")
                .nth(1)
                .and_then(|h| h.split('"').next())
            else {
                continue;
            };
            if let Some(path) = href.strip_prefix("https://example.org/") {
                targets.push((from.clone(), path.to_string()));
            }
        }
    }
    targets
}

/// QA Q123: with `untranslated: hide`, a Spanish list with nothing in it (a collection, a term)
/// is a page that says so in Spanish and leads to the English list; no `hreflang` (page head
/// or sitemap) leads to it, the sitemap leaves it out, search engines are told not to index it,
/// and the search page's links for readers without JavaScript lead past it.
#[test]
fn untranslated_hide_offers_no_empty_spanish_list_as_a_version() {
    let p = Project::bilingual();
    with_terms(&p, "hide");
    p.ok(&["build"]);
    let sitemap = p.read("public/sitemap.xml");
    for gone in [
        "es/guides/",
        "es/videos/",
        "es/topics/bargaining/",
        "es/audiences/managers/",
    ] {
        assert!(
            !sitemap.contains(&format!("https://example.org/{gone}\"")),
            "{gone} in the sitemap:\n{sitemap}"
        );
        assert!(
            !sitemap.contains(&format!("<loc>https://example.org/{gone}</loc>")),
            "{gone} in the sitemap:\n{sitemap}"
        );
    }
    // What Spanish has stays a version both ways, in the sitemap too.
    for kept in ["es/stories/", "es/topics/ubt-basics/", "es/topics/"] {
        assert!(
            sitemap.contains(&format!("<loc>https://example.org/{kept}</loc>")),
            "{kept} not in the sitemap:\n{sitemap}"
        );
    }
    // Every hreflang leads to a page that is there and may be indexed.
    let targets = hreflang_targets(&p);
    assert!(targets.len() > 20, "{targets:?}");
    for (from, path) in &targets {
        let file = if path.is_empty() || path.ends_with('/') {
            format!("public/{path}index.html")
        } else {
            format!("public/{path}")
        };
        assert!(p.exists(&file), "{from}: hreflang to {path}, not written");
        assert!(
            !p.read(&file).contains("noindex"),
            "{from}: hreflang to {path}, a page that says it has nothing in its language"
        );
    }
    // The English pages of those lists offer no Spanish version.
    for en in ["guides/index.html", "topics/bargaining/index.html"] {
        let page = p.read(&format!("public/{en}"));
        assert!(!page.contains("hreflang=\"es\""), "{en}: {page}");
    }
    // The empty Spanish pages say so in Spanish and lead to the English list.
    let guides = p.read("public/es/guides/index.html");
    assert!(
        guides.contains(
            "Todavía no hay guías prácticas en español. <a href=\"/guides/\" hreflang=\"en\">Vea la lista en inglés</a>."
        ),
        "{guides}"
    );
    assert!(
        guides.contains("<meta name=\"robots\" content=\"noindex\">"),
        "{guides}"
    );
    assert!(!guides.contains("rel=\"alternate\" hreflang"), "{guides}");
    let term = p.read("public/es/topics/bargaining/index.html");
    assert!(
        term.contains(
            "Todavía no hay páginas en español sobre <span lang=\"en\">Bargaining</span>."
        ),
        "{term}"
    );
    assert!(!term.contains("0 elementos"), "{term}");
    assert!(
        term.contains("<a href=\"/topics/bargaining/\" hreflang=\"en\">Vea la lista en inglés</a>"),
        "{term}"
    );
    // The Spanish list of topics lists only the topics with Spanish pages.
    let topics = p.read("public/es/topics/index.html");
    assert!(topics.contains("/es/topics/ubt-basics/"), "{topics}");
    assert!(!topics.contains("/es/topics/bargaining/"), "{topics}");
    // Without JavaScript the Spanish search page leads to the Spanish stories, and to the
    // English guides (marked) rather than to an empty Spanish list.
    let search = p.read("public/es/search/index.html");
    assert!(
        search.contains("<a href=\"/es/stories/\">historias</a>"),
        "{search}"
    );
    assert!(
        search.contains("<a href=\"/guides/\" hreflang=\"en\">guías prácticas</a>"),
        "{search}"
    );
    // With `show` every Spanish list is a version again.
    let cfg = p.read("site/config.yaml");
    p.write(
        "site/config.yaml",
        &cfg.replacen("untranslated: hide", "untranslated: show", 1),
    );
    p.ok(&["build"]);
    let sitemap = p.read("public/sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/es/guides/</loc>"),
        "{sitemap}"
    );
    assert!(!p.read("public/es/guides/index.html").contains("noindex"));
}

#[test]
fn sitemap_alternates_point_to_each_other_both_ways() {
    let p = Project::bilingual();
    with_terms(&p, "show");
    p.ok(&["build"]);
    let sitemap = p.read("public/sitemap.xml");
    assert!(
        sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""),
        "{sitemap}"
    );
    // url → its alternates (hreflang, href).
    let mut entries = std::collections::BTreeMap::new();
    for block in sitemap.split("<url>").skip(1) {
        let loc = block
            .split("<loc>")
            .nth(1)
            .and_then(|s| s.split("</loc>").next())
            .expect("a loc");
        let alts: Vec<(String, String)> = block
            .split("<xhtml:link rel=\"alternate\" hreflang=\"")
            .skip(1)
            .map(|s| {
                let (lang, rest) = s.split_once("\" href=\"").expect("href");
                (
                    lang.to_string(),
                    rest.split('"').next().unwrap_or("").to_string(),
                )
            })
            .collect();
        entries.insert(loc.to_string(), alts);
    }
    for page in [
        "https://example.org/es/",
        "https://example.org/es/stories/",
        "https://example.org/es/stories/first-story/",
        "https://example.org/es/topics/ubt-basics/",
        "https://example.org/stories/first-story/",
        "https://example.org/topics/",
    ] {
        let alts = entries
            .get(page)
            .unwrap_or_else(|| panic!("{page} not in {sitemap}"));
        assert!(
            alts.iter().any(|(_, h)| h == page),
            "{page} lists itself: {alts:?}"
        );
        assert!(
            alts.iter().any(|(l, _)| l == "x-default"),
            "{page}: {alts:?}"
        );
        for (lang, href) in alts {
            let back = entries
                .get(href)
                .unwrap_or_else(|| panic!("{href} ({lang}) not in the sitemap"));
            assert_eq!(back, alts, "{href} lists other alternates than {page}");
        }
    }
    // A page without translation has none.
    assert_eq!(
        entries["https://example.org/stories/second-story/"],
        Vec::new()
    );
}

#[test]
fn spanish_term_names_of_unknown_terms_are_errors() {
    let p = Project::bilingual();
    with_terms(&p, "show");
    let cfg = p.read("site/config.yaml").replace(
        "topics: {ubt-basics: Conceptos",
        "topics: {ubt-basic: Conceptos",
    );
    p.write(
        "site/config.yaml",
        &cfg.replace("untranslated: show", "untranslated: maybe"),
    );
    let o = p.fails(&["build"]);
    assert!(o.stderr.contains("`terms: topics: ubt-basic` of language `es` names a term that `taxonomies: topics:` does not define"), "{}", o.stderr);
    assert!(
        o.stderr.contains("did you mean `ubt-basics`?"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains("`untranslated: maybe` of language `es` is neither `show` nor `hide`"),
        "{}",
        o.stderr
    );
    // A name for a region with no page (regions are the region pages, checked once they are
    // read): at its line, with the region it may mean.
    let cfg = p
        .read("site/config.yaml")
        .replace("ubt-basic:", "ubt-basics:")
        .replace("untranslated: maybe", "untranslated: show")
        .replacen(
            "    terms:\n",
            "    terms:\n      regions:\n        colorado: Colorado\n        hawai: Hawái\n",
            1,
        );
    p.write("site/config.yaml", &cfg);
    let line = cfg
        .lines()
        .position(|l| l == "        hawai: Hawái")
        .unwrap()
        + 1;
    let o = p.fails(&["build"]);
    assert!(
        o.stderr.contains(&format!(
            "config.yaml:{line}:9: error: `terms: regions: hawai` of language `es` names a region that has no page in regions/"
        )),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("did you mean `hawaii`?"), "{}", o.stderr);
    assert_eq!(o.stderr.matches("error:").count(), 1, "{}", o.stderr);
}

/// Regions with no Spanish page are named in Spanish as config says (`terms: regions:`), on the
/// cards, in the regions table (leading to the English page, marked `hreflang` but not `lang`)
/// and in the search filters; a region with no name there stays English, marked `lang="en"`.
#[test]
fn regions_without_a_spanish_page_are_named_as_config_says() {
    let p = Project::bilingual();
    with_terms(&p, "show");
    let cfg = p.read("site/config.yaml").replacen(
        "    terms:\n",
        "    terms:\n      regions: {hawaii: Hawái}\n",
        1,
    );
    p.write("site/config.yaml", &cfg);
    p.append(
        "site/stories/first-story.es.md",
        "\n```{figures}\nregion: hawaii\n```\n\n```{figures}\nregion: colorado\n```\n",
    );
    p.ok(&["build"]);
    // The figures component names the region too.
    let story = p.read("public/es/stories/first-story/index.html");
    assert!(
        story.contains("<a href=\"/regions/hawaii/\">Hawái</a> en cifras"),
        "{story}"
    );
    assert!(
        story.contains(
            "<a href=\"/regions/colorado/\"><span lang=\"en\">Colorado</span></a> en cifras"
        ),
        "{story}"
    );
    let list = p.read("public/es/stories/index.html");
    assert!(
        list.contains("<span class=\"card-regions\">Hawái</span>"),
        "{list}"
    );
    assert!(
        list.contains("<span class=\"card-regions\"><span lang=\"en\">Colorado</span></span>"),
        "{list}"
    );
    let table = p.read("public/es/regions/index.html");
    assert!(
        table.contains("<a href=\"/regions/hawaii/\" hreflang=\"en\">Hawái</a>"),
        "{table}"
    );
    assert!(
        table.contains("<a href=\"/regions/colorado/\" hreflang=\"en\" lang=\"en\">Colorado</a>"),
        "{table}"
    );
    let m = p.read("public/es/search/index/manifest.json");
    assert!(
        m.contains("{\"slug\":\"hawaii\",\"label\":\"Hawái\""),
        "{m}"
    );
    // The English pages keep the English name.
    assert!(
        p.read("public/stories/index.html")
            .contains("<span class=\"card-regions\">Hawaii</span>")
    );
}

/// A translation shows the text fields it does not give itself in its original's words: each is
/// marked with the original's language (WCAG 3.1.2), and the fields it gives are not.
#[test]
fn text_a_translation_inherits_is_marked_with_the_original_language() {
    let p = Project::bilingual();
    // The story gives no author; the guide gives no duration; the practice gives its department
    // but not its team nor results; the video gives no transcript; the region its members in words.
    p.write(
        "site/guides/huddle.es.md",
        "---\ntitle: Cómo hacer una reunión breve\nsummary: Diez minutos, de pie.\n---\n## Reúna al equipo {#step-1}\n\nTodos de pie.\n\n## Revise el tablero {#step-2}\n\nLas medidas.\n",
    );
    p.write(
        "site/practices/huddle-board.es.md",
        "---\ntitle: Un tablero compartido\nsummary: Un tablero para todo el departamento.\ndepartment: Farmacia\n---\nEl equipo cambió las hojas por un tablero.\n",
    );
    p.write(
        "site/videos/basics-video.es.md",
        "---\ntitle: Conceptos básicos de los UBT\nsummary: Qué es un equipo de unidad.\n---\n",
    );
    let region = p.read("site/regions/hawaii.md").replacen(
        "members: 258000\n",
        "members: 258000\nmembers_display: about a quarter million\nserved_area: The islands of Oahu and Maui\n",
        1,
    );
    p.write("site/regions/hawaii.md", &region);
    p.write(
        "site/regions/hawaii.es.md",
        "---\ntitle: Hawái\nmembers_display: cerca de un cuarto de millón\n---\nEquipos en las islas.\n",
    );
    p.ok(&["build"]);
    let story = p.read("public/es/stories/first-story/index.html");
    assert!(
        story.contains(r#"<span class="author" lang="en">Pat Example</span>"#),
        "{story}"
    );
    // The story's video has a Spanish page: the story links to it, in Spanish.
    assert!(
        story.contains(r#"<p><a href="/es/videos/basics-video/">Conceptos básicos de los UBT</a>"#),
        "{story}"
    );
    let guide = p.read("public/es/guides/huddle/index.html");
    assert!(
        guide.contains(r#"<dd lang="en">10 minutes</dd>"#),
        "{guide}"
    );
    // Its tool has no Spanish page: its title and summary are marked, its link says so.
    assert!(
        guide.contains(r#"class="download-title" hreflang="en" lang="en">"#),
        "{guide}"
    );
    let practice = p.read("public/es/practices/huddle-board/index.html");
    assert!(practice.contains("<dd>Farmacia</dd>"), "{practice}");
    assert!(
        practice.contains(r#"<dd lang="en">Outpatient pharmacy UBT</dd>"#),
        "{practice}"
    );
    assert!(practice.contains(r#"<tbody lang="en">"#), "{practice}");
    let video = p.read("public/es/videos/basics-video/index.html");
    assert!(video.contains(r#"<span lang="en">3:45</span>"#), "{video}");
    assert!(
        video.contains(
            "<div class=\"prose\" lang=\"en\">\n      <p>A unit-based team brings together"
        ),
        "{video}"
    );
    let region = p.read("public/es/regions/hawaii/index.html");
    assert!(
        region.contains(r#"<p class="lede" lang="en">The islands of Oahu and Maui</p>"#),
        "{region}"
    );
    assert!(
        region.contains("<dd>cerca de un cuarto de millón</dd>"),
        "{region}"
    );
    // The Spanish national table: Hawaii's words are its Spanish page's; the other regions have
    // no Spanish page, and say so.
    let regions = p.read("public/es/regions/index.html");
    assert!(
        regions.contains(r#"<a href="/es/regions/hawaii/">Hawái</a><span class="served" lang="en">The islands of Oahu and Maui</span>"#),
        "{regions}"
    );
    assert!(
        regions.contains("cerca de un cuarto de millón"),
        "{regions}"
    );
    assert!(
        regions.contains(r#"<a href="/regions/colorado/" hreflang="en" lang="en">Colorado</a>"#),
        "{regions}"
    );
    // The chart's region names too: drawn, and in the list screen readers read instead of the
    // drawing (an SVG `<desc>` is plain text: it held "Colorado" unmarked).
    assert!(
        regions.contains(
            r#"<div class="bar-label"><span lang="en">Colorado</span> <span class="value">"#
        ),
        "{regions}"
    );
    for page in [&regions, &p.read("public/es/index.html")] {
        assert!(
            page.contains(r#"<li><span lang="en">Colorado</span>: "#),
            "{page}"
        );
        assert!(
            page.contains(r#"<div class="share-chart" aria-hidden="true">"#),
            "{page}"
        );
        assert!(!page.contains("<desc"), "{page}");
    }
    // The home page's region links too.
    assert!(
        p.read("public/es/index.html").contains(
            r#"<li><a href="/regions/colorado/" hreflang="en" lang="en">Colorado</a></li>"#
        ),
        "the Spanish home's region links"
    );
    // Nothing is marked on the English pages.
    for page in [
        "public/stories/first-story/index.html",
        "public/guides/huddle/index.html",
        "public/practices/huddle-board/index.html",
        "public/videos/basics-video/index.html",
        "public/regions/hawaii/index.html",
        "public/regions/index.html",
    ] {
        let html = p.read(page);
        assert!(!html.contains(r#" lang="en">"#), "{page}: {html}");
    }
}

/// The site title and description of `languages: es:` are the Spanish pages': in `<title>`, the
/// header and footer, the description and share meta tags, the share card's text and the Spanish
/// feed. The English pages keep the site's own.
#[test]
fn the_spanish_site_title_and_description_are_those_of_the_language() {
    let p = Project::bilingual();
    p.ok(&["build"]);
    let es = p.read("public/es/stories/first-story/index.html");
    for want in [
        "<title>La primera historia | Alianza de prueba</title>",
        r#"<meta property="og:site_name" content="Alianza de prueba">"#,
        r#"<span class="site-name">Alianza de prueba</span>"#,
        "Alianza de prueba. ",
    ] {
        assert!(es.contains(want), "{want:?} not in:\n{es}");
    }
    // The share card drawn for the page names the Spanish site (its alt text says what it shows).
    assert!(
        es.contains(r#"<meta property="og:image:alt" content="La primera historia (Historia, Alianza de prueba)">"#),
        "{es}"
    );
    let home = p.read("public/es/index.html");
    assert!(home.contains("<title>Alianza de prueba</title>"), "{home}");
    assert!(
        home.contains(r#"<meta name="description" content="Un sitio pequeño.">"#),
        "{home}"
    );
    let feed = p.read("public/es/stories/atom.xml");
    assert!(
        feed.contains("<title>Alianza de prueba: historias</title>"),
        "{feed}"
    );
    assert!(
        feed.contains("<subtitle>Un sitio pequeño.</subtitle>"),
        "{feed}"
    );
    assert!(
        feed.contains("<author><name>Alianza de prueba</name></author>"),
        "{feed}"
    );
    let en = p.read("public/stories/first-story/index.html");
    assert!(!en.contains("Alianza de prueba"), "{en}");
    assert!(!p.read("public/stories/atom.xml").contains("Alianza"));
}

/// A translation's related documents are in its language where translated, and never itself
/// (its original is related to it through their shared terms).
#[test]
fn a_translation_is_not_related_to_itself() {
    let p = Project::bilingual();
    p.write(
        "site/stories/second-story.es.md",
        "---\ntitle: La segunda historia\nsummary: Otra historia.\n---\nOtro equipo.\n",
    );
    p.ok(&["build"]);
    for (page, me) in [
        (
            "public/es/stories/first-story/index.html",
            "/es/stories/first-story/",
        ),
        (
            "public/es/stories/second-story/index.html",
            "/es/stories/second-story/",
        ),
    ] {
        let html = p.read(page);
        let related = html
            .split_once("id=\"related-title\"")
            .map_or("", |(_, r)| r);
        let related = related.split("</section>").next().unwrap_or_default();
        assert!(
            !related.contains(&format!("href=\"{me}\"")),
            "{page} lists itself: {related}"
        );
    }
    // Its related documents are still there (an untranslated one in English).
    let first = p.read("public/es/stories/first-story/index.html");
    assert!(first.contains("href=\"/stories/third-story/\""), "{first}");
}

/// An alias of a Spanish page redirects in Spanish (`<html lang="es">`, the theme's words).
#[test]
fn a_spanish_alias_redirects_in_spanish() {
    let p = Project::bilingual();
    p.write(
        "site/stories/first-story.es.md",
        "---\ntitle: La primera historia\nsummary: Una historia sobre un equipo.\naliases: [/es/historias/primera/]\n---\nUn equipo.\n",
    );
    p.ok(&["build"]);
    let html = p.read("public/es/historias/primera/index.html");
    assert!(html.contains("<html lang=\"es\">"), "{html}");
    assert!(
        html.contains("<title>Se movió: La primera historia</title>"),
        "{html}"
    );
    assert!(
        html.contains("<h1>Esta página cambió de dirección</h1>"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"/es/stories/first-story/\">La primera historia</a> está en su nueva dirección."),
        "{html}"
    );
    let en = p.read("public/old/first-story/index.html");
    assert!(en.contains("<html lang=\"en\">"), "{en}");
    assert!(en.contains("<h1>This page has moved</h1>"), "{en}");
}

/// QA Q35: a translation without its own `image_alt` shows its original's picture with the
/// original's alt, marked `lang="en"` on the page; a meta tag cannot be marked, so the share
/// alt (`og:image:alt`, `twitter:image:alt`) is left out rather than read with the Spanish voice.
#[test]
fn a_share_alt_in_another_language_is_left_out() {
    let p = Project::sample_site();
    let path = "site/stories/ive-got-your-back.es.md";
    let es = p.read(path);
    let own: String = es
        .lines()
        .filter(|l| !l.starts_with("image_alt:"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(own, es);
    p.write(path, &own);
    p.ok(&["build"]);
    let page = p.read("public/es/stories/ive-got-your-back/index.html");
    assert!(page.contains("<meta property=\"og:image\""), "{page}");
    assert!(!page.contains("og:image:alt"), "{page}");
    assert!(!page.contains("twitter:image:alt"), "{page}");
    let en = p.read("public/stories/ive-got-your-back/index.html");
    assert!(
        en.contains("<meta property=\"og:image:alt\" content=\""),
        "{en}"
    );
}

/// QA s16: a Spanish region page lists the Spanish version of its region's stories (it listed
/// their English originals); with `untranslated: hide`, neither a Spanish region page nor a
/// translation's related list shows untranslated English documents (they were shown, with their
/// label and date in English inside a block marked Spanish); with `show` they are there, marked
/// English, their label and date in Spanish.
#[test]
fn spanish_region_pages_and_related_lists_follow_the_language_and_hide() {
    let p = Project::bilingual();
    // Three Hawaii stories: the first translated, the other two not; all share a topic, so each
    // is in the others' related lists.
    p.write(
        "site/regions/hawaii.es.md",
        "---\ntitle: Hawái\n---\nEquipos de todas las islas.\n",
    );
    for (name, date) in [
        ("third-story", "2019-03-01"),
        ("fourth-story", "2019-04-01"),
    ] {
        p.write(
            &format!("site/stories/{name}.md"),
            &format!(
                "---\ntitle: The {name}\ndate: {date}\nsummary: A team in Hawaii.\ntopics: [ubt-basics]\nregions: [hawaii]\n---\nA team met.\n"
            ),
        );
    }
    let first = p.read("site/stories/first-story.md");
    assert!(first.contains("regions: [hawaii]"), "{first}");
    if !first.contains("ubt-basics") {
        p.write(
            "site/stories/first-story.md",
            &first.replacen(
                "regions: [hawaii]",
                "regions: [hawaii]\ntopics: [ubt-basics]",
                1,
            ),
        );
    }
    with_terms(&p, "show");
    p.ok(&["build"]);
    let region = p.read("public/es/regions/hawaii/index.html");
    assert!(
        region.contains("href=\"/es/stories/first-story/\""),
        "the Spanish version of the region's translated story: {region}"
    );
    assert!(
        !region.contains("href=\"/stories/first-story/\""),
        "not its English original: {region}"
    );
    // `show`: the untranslated ones too, marked English, their label and date in Spanish.
    assert!(
        region.contains("href=\"/stories/third-story/\""),
        "{region}"
    );
    assert!(region.contains("1 de marzo de 2019"), "{region}");
    let story = p.read("public/es/stories/first-story/index.html");
    assert!(story.contains("href=\"/stories/third-story/\""), "{story}");
    assert!(!story.contains(">March 1, 2019<"), "{story}");

    // `hide`: only Spanish documents, in lists and related lists alike.
    let cfg = p
        .read("site/config.yaml")
        .replacen("untranslated: show", "untranslated: hide", 1);
    p.write("site/config.yaml", &cfg);
    p.ok(&["build"]);
    let region = p.read("public/es/regions/hawaii/index.html");
    assert!(
        region.contains("href=\"/es/stories/first-story/\""),
        "{region}"
    );
    let story = p.read("public/es/stories/first-story/index.html");
    for page in [&region, &story] {
        for english in [
            "/stories/third-story/",
            "/stories/fourth-story/",
            "March 1, 2019",
        ] {
            assert!(!page.contains(english), "{english} in {page}");
        }
    }
}

/// The cards of a page's "related" section, as the addresses they lead to, in order.
fn related_links(page: &str) -> Vec<String> {
    let Some(start) = page.find("<section class=\"related\"") else {
        return Vec::new();
    };
    let section = &page[start..];
    let section = &section[..section.find("</section>").unwrap_or(section.len())];
    section
        .split("<li>")
        .skip(1)
        .filter_map(|card| {
            let at = card.find("href=\"")? + 6;
            let end = card[at..].find('"')?;
            Some(card[at..at + end].to_string())
        })
        .collect()
}

/// QA s17: a translation's related documents are chosen among the documents its language shows,
/// with the same scoring as an original's. With `untranslated: hide`, they were chosen among
/// every document and then cut to the translated ones, so a Spanish story whose best matches
/// were untranslated had a short related list or none (on a 10,000-document site, 671 of 1,239
/// Spanish stories kept one); and a translation's own original took one of its four places,
/// so even with `show` it had three where the English page had four.
#[test]
fn a_translations_related_list_is_chosen_among_what_its_language_shows() {
    let p = Project::bilingual();
    // Five Spanish stories, older, and five untranslated English ones, newer: all on the same
    // topic and region, so the English lists are the newest four.
    for n in 1..=5 {
        p.write(
            &format!("site/stories/old-{n}.md"),
            &format!(
                "---\ntitle: Old story {n}\ndate: 2010-0{n}-01\nsummary: A team in Colorado.\ntopics: [bargaining]\nregions: [colorado]\n---\nA team met.\n"
            ),
        );
        p.write(
            &format!("site/stories/old-{n}.es.md"),
            &format!(
                "---\ntitle: Historia antigua {n}\nsummary: Un equipo de Colorado.\n---\nUn equipo se reunió.\n"
            ),
        );
        p.write(
            &format!("site/stories/new-{n}.md"),
            &format!(
                "---\ntitle: New story {n}\ndate: 2020-0{n}-01\nsummary: A team in Colorado.\ntopics: [bargaining]\nregions: [colorado]\n---\nA team met.\n"
            ),
        );
    }
    with_terms(&p, "hide");
    p.ok(&["build"]);
    let english = related_links(&p.read("public/stories/old-1/index.html"));
    assert_eq!(
        english,
        [
            "/stories/new-5/",
            "/stories/new-4/",
            "/stories/new-3/",
            "/stories/new-2/"
        ],
        "the English page: the newest four"
    );
    let spanish = related_links(&p.read("public/es/stories/old-1/index.html"));
    assert_eq!(
        spanish,
        [
            "/es/stories/old-5/",
            "/es/stories/old-4/",
            "/es/stories/old-3/",
            "/es/stories/old-2/"
        ],
        "the Spanish page: the four best Spanish ones, not none"
    );

    // `show`: the same four as the English page, in the page's language where translated, and
    // four of them (its original is not one).
    let cfg = p
        .read("site/config.yaml")
        .replacen("untranslated: hide", "untranslated: show", 1);
    p.write("site/config.yaml", &cfg);
    p.write(
        "site/stories/new-5.es.md",
        "---\ntitle: Historia nueva 5\nsummary: Un equipo de Colorado.\n---\nUn equipo se reunió.\n",
    );
    p.write(
        "site/stories/new-3.es.md",
        "---\ntitle: Historia nueva 3\nsummary: Un equipo de Colorado.\n---\nUn equipo se reunió.\n",
    );
    p.ok(&["build"]);
    let english = related_links(&p.read("public/stories/new-5/index.html"));
    assert_eq!(
        english,
        [
            "/stories/new-4/",
            "/stories/new-3/",
            "/stories/new-2/",
            "/stories/new-1/"
        ]
    );
    let spanish_new = related_links(&p.read("public/es/stories/new-5/index.html"));
    assert_eq!(
        spanish_new,
        [
            "/stories/new-4/",
            "/es/stories/new-3/",
            "/stories/new-2/",
            "/stories/new-1/"
        ],
        "as the English page, each in Spanish where it is translated"
    );
}

/// QA s17: a translation's own `summary`, `image_caption` and `image_credit` are inline markdown
/// as its original's are (they were shown as written, `*asterisks*`, backticks and brackets
/// and all, where the English page had emphasis, code and links); one it takes from its
/// original is rendered too, and a broken link in it is reported once, in the original's file
/// where it is written.
#[test]
fn a_translations_summary_and_caption_keep_their_inline_markdown() {
    let p = Project::bilingual();
    let img = image::RgbImage::from_pixel(800, 450, image::Rgb([90, 140, 200]));
    let mut png = Vec::new();
    img.write_with_encoder(image::codecs::png::PngEncoder::new(&mut png))
        .unwrap();
    p.write_bytes("site/static/images/lead.png", &png);
    let english = "---\ntitle: Marked\ndate: 2020-02-02\nsummary: See [the guide](../guides/huddle.md), *twice*.\nimage: /images/lead.png\nimage_alt: A blue banner\nimage_caption: \"The board from [the huddle guide](../guides/huddle.md)\"\nimage_credit: Photo by *Ana*\n---\nBody.\n";
    p.write("site/stories/marked.md", english);
    p.write(
        "site/stories/marked.es.md",
        "---\ntitle: Marcado\nsummary: Vea [la guía](../guides/huddle.md), *dos veces*, y `lmp check`.\nimage_alt: Un cartel azul\nimage_caption: \"El tablero de **la guía**\"\n---\nTexto.\n",
    );
    p.ok(&["build", "--quiet"]);
    let html = p.read("public/es/stories/marked/index.html");
    for expected in [
        "<p class=\"lede\">Vea <a href=\"/guides/huddle/\" hreflang=\"en\">la guía</a>, <em>dos veces</em>, y <code>lmp check</code>.</p>",
        "El tablero de <strong>la guía</strong>",
        // The credit is the original's, in English, rendered as on the English page.
        "Photo by <em>Ana</em>",
        "<meta name=\"description\" content=\"Vea la guía, dos veces, y lmp check.\">",
    ] {
        assert!(html.contains(expected), "missing {expected:?} in\n{html}");
    }
    for raw in [
        "*dos veces*",
        "`lmp check`",
        "**la guía**",
        "*Ana*",
        "[la guía]",
    ] {
        assert!(!html.contains(raw), "{raw} as written in\n{html}");
    }
    // A broken link in the caption the translation takes from its original: one error, at its
    // place in the original's file.
    p.write(
        "site/stories/marked.es.md",
        "---\ntitle: Marcado\nsummary: Vea [la guía](../guides/nope-es.md).\nimage_alt: Un cartel azul\n---\nTexto.\n",
    );
    p.write(
        "site/stories/marked.md",
        &english.replace("(../guides/huddle.md)\"", "(../guides/gone.md)\""),
    );
    let o = p.fails(&["build"]);
    assert_eq!(
        o.errors()
            .iter()
            .map(|e| e.split(" does not exist").next().unwrap_or(e))
            .collect::<Vec<_>>(),
        [
            "site/stories/marked.es.md:3:14: error: broken link: ../guides/nope-es.md",
            "site/stories/marked.md:7:32: error: broken link: ../guides/gone.md",
        ],
        "{}",
        o.stderr
    );
}

/// QA s17: a figure of 1 is named in the singular in both languages ("Hospital: 1", not
/// "Hospitales: 1"; "1 de 1 equipo de unidad"), on a region's page, in its `figures`
/// component, on the regions page (the lede, the chart's text) and on the home page.
#[test]
fn a_figure_of_one_is_named_in_the_singular_in_both_languages() {
    let p = Project::bilingual();
    with_terms(&p, "show");
    // One region with teams: Hawaii, with one of everything.
    p.write(
        "site/regions/colorado.md",
        "---\ntitle: Colorado\nmembers: 541000\nmedical_offices: 34\nas_of: 2021-06-30\n---\nTeams in Colorado.\n",
    );
    p.write(
        "site/regions/hawaii.md",
        "---\ntitle: Hawaii\nmembers: 258000\nmedical_offices: 1\nhospitals: 1\nubts: 1\nhigh_performing_ubts: 1\nas_of: 2021-06-30\n---\nTeams across the islands.\n\n```{figures}\nregion: hawaii\n```\n",
    );
    p.write(
        "site/regions/hawaii.es.md",
        "---\ntitle: Hawái\n---\nEquipos de todas las islas.\n\n```{figures}\nregion: hawaii\n```\n",
    );
    p.ok(&["build", "--quiet"]);
    let en = p.read("public/regions/hawaii/index.html");
    let es = p.read("public/es/regions/hawaii/index.html");
    for (page, want, not) in [
        (
            &en,
            &[
                "<dt>Medical office</dt><dd>1</dd>",
                "<dt>Hospital</dt><dd>1</dd>",
                "<dt>Unit-based team</dt><dd>1</dd>",
                "<dt>High-performing team</dt><dd>1</dd>",
                "1 of 1 unit-based team (100%) is high performing.",
            ][..],
            &["Hospitals", "Medical offices</dt>", "of 1 unit-based teams"][..],
        ),
        (
            &es,
            &[
                "<dt>Consultorio médico</dt><dd>1</dd>",
                "<dt>Hospital</dt><dd>1</dd>",
                "<dt>Equipo de unidad</dt><dd>1</dd>",
                "<dt>Equipo de alto desempeño</dt><dd>1</dd>",
                "1 de 1 equipo de unidad (100 %) es de alto desempeño.",
            ][..],
            &["Hospitales", "Consultorios médicos</dt>", "de 1 equipos"][..],
        ),
    ] {
        for w in want {
            assert!(page.contains(w), "missing {w:?} in\n{page}");
        }
        for n in not {
            assert!(!page.contains(n), "{n:?} in\n{page}");
        }
    }
    let regions = p.read("public/es/regions/index.html");
    for w in [
        "trabajan en 1 región o función nacional de Kaiser Permanente",
        "(1 de 1 equipo)",
    ] {
        assert!(regions.contains(w), "missing {w:?} in\n{regions}");
    }
    let home = p.read("public/index.html");
    assert!(
        home.contains("<dt>Region or national function with teams</dt><dd>1</dd>"),
        "{home}"
    );
}

/// Hostile tester s17: `untranslated: maybe`, a term name of an unknown taxonomy and one of an
/// unknown term were reported at the `languages:` line, not at their own.
#[test]
fn a_wrong_language_setting_is_reported_at_its_line() {
    let p = Project::bilingual();
    p.append(
        "site/config.yaml",
        "    untranslated: maybe\n    terms:\n      tags:\n        x: X\n      topics:\n        ubt-basic: Conceptos\n",
    );
    let line = p.read("site/config.yaml").lines().count() - 5;
    let o = p.fails(&["build"]);
    assert!(
        o.stderr.contains(&format!("site/config.yaml:{line}:5: error: `untranslated: maybe` of language `es` is neither `show` nor `hide`")),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains(&format!(
            "site/config.yaml:{}:7: error: `terms: tags:` of language `es` is not a taxonomy",
            line + 2
        )),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains(&format!("site/config.yaml:{}:9: error: `terms: topics: ubt-basic` of language `es` names a term", line + 5)),
        "{}",
        o.stderr
    );
}

/// Hide s17, left: a broken absolute address (`/stories/nobody/`) in a field a translation
/// takes from its original was reported twice, at the original and again on the Spanish page as
/// a template's link with no line. Once, at the original's file:line:col, where it is fixed.
#[test]
fn a_broken_site_address_in_an_inherited_field_is_reported_once_at_the_original() {
    let p = Project::bilingual();
    let img = image::RgbImage::from_pixel(800, 450, image::Rgb([90, 140, 200]));
    let mut png = Vec::new();
    img.write_with_encoder(image::codecs::png::PngEncoder::new(&mut png))
        .unwrap();
    p.write_bytes("site/static/images/lead.png", &png);
    let file = "site/stories/first-story.md";
    let en = p.read(file);
    p.write(
        file,
        &en.replacen(
            "---\n",
            "---\nimage_credit: \"[Ana](/stories/nobody/) and [Bo](/stories/second-story/)\"\nimage: /images/lead.png\nimage_alt: A blue banner\n",
            1,
        ),
    );
    let o = p.fails(&["build"]);
    assert_eq!(
        o.errors(),
        [
            "site/stories/first-story.md:2:22: error: broken link: /stories/nobody/ is not a page or file of this site"
        ],
        "{}",
        o.stderr
    );
    // The translation's own credit with the same broken address: reported at the translation.
    let t = p.read("site/stories/first-story.es.md");
    p.write(
        "site/stories/first-story.es.md",
        &t.replacen(
            "---\n",
            "---\nimage_credit: \"[Ana](/stories/nobody/)\"\n",
            1,
        ),
    );
    let o = p.fails(&["build"]);
    assert_eq!(
        o.errors(),
        [
            "site/stories/first-story.es.md:2:22: error: broken link: /stories/nobody/ is not a page or file of this site",
            "site/stories/first-story.md:2:22: error: broken link: /stories/nobody/ is not a page or file of this site",
        ],
        "{}",
        o.stderr
    );
}

/// A warning about a field a translation takes from its original is the original's: once, at
/// the original's line, not again at the translation's line 1 (a credit with no picture was
/// reported at both).
#[test]
fn a_warning_about_an_inherited_field_is_given_once_at_the_original() {
    let p = Project::bilingual();
    let file = "site/stories/first-story.md";
    let en = p.read(file);
    p.write(
        file,
        &en.replacen(
            "---\n",
            "---\nimage_credit: Photo by Ana\nimage_focus: center\n",
            1,
        ),
    );
    let o = p.ok(&["build"]);
    for w in [
        "site/stories/first-story.md:2:15: warning: `image_credit` without `image`",
        "site/stories/first-story.md:3:14: warning: `image_focus` without `image`",
    ] {
        assert!(o.stderr.contains(w), "{w}: {}", o.stderr);
    }
    assert!(!o.stderr.contains("first-story.es.md"), "{}", o.stderr);
    // The translation's own credit, still with no picture: warned at the translation.
    let t = p.read("site/stories/first-story.es.md");
    p.write(
        "site/stories/first-story.es.md",
        &t.replacen("---\n", "---\nimage_credit: Foto de Ana\n", 1),
    );
    let o = p.ok(&["build"]);
    assert!(
        o.stderr.contains(
            "site/stories/first-story.es.md:2:15: warning: `image_credit` without `image`"
        ),
        "{}",
        o.stderr
    );
}

/// Fix s20: a title, summary or term name that starts in Hebrew or Arabic was laid out left to
/// right on an English or Spanish page (its `!` on the wrong side). Where a theme shows an
/// editor's text, it gets `dir="auto"` when the text has a right-to-left letter, and the
/// `<title>` isolates it (U+2068…U+2069); a page without such text is written as before.
#[test]
fn right_to_left_titles_and_names_are_laid_out_in_their_direction() {
    let p = Project::bilingual();
    with_terms(&p, "show");
    let before_en = {
        p.ok(&["build"]);
        p.read("public/stories/second-story/index.html")
    };
    assert!(!before_en.contains(" dir="), "{before_en}");
    let es = p.read("site/stories/first-story.es.md");
    p.write(
        "site/stories/first-story.es.md",
        &es.replace(
            "title: La primera historia",
            "title: \"שלום! La primera historia\"",
        )
        .replace(
            "summary: Una historia sobre un equipo.",
            "summary: \"مرحبا، una historia.\"",
        ),
    );
    let cfg = p.read("site/config.yaml");
    p.write(
        "site/config.yaml",
        &cfg.replace(
            "{ubt-basics: Conceptos básicos de los UBT}",
            "{ubt-basics: \"יסודות UBT\"}",
        ),
    );
    p.ok(&["build"]);
    let page = p.read("public/es/stories/first-story/index.html");
    for want in [
        "<title>\u{2068}שלום! La primera historia\u{2069} | ",
        "<h1 dir=\"auto\">שלום! La primera historia</h1>",
        "<p class=\"lede\" dir=\"auto\">",
        "aria-current=\"page\" dir=\"auto\">שלום! La primera historia</a>",
        "dir=\"auto\">יסודות UBT</a>",
    ] {
        assert!(page.contains(want), "{want}: {page}");
    }
    let list = p.read("public/es/stories/index.html");
    assert!(
        list.contains("<h2 class=\"card-title\" dir=\"auto\"><a href=\"/es/stories/first-story/\">שלום! La primera historia</a>")
            || list.contains("class=\"card-title\" dir=\"auto\"><a href=\"/es/stories/first-story/\""),
        "{list}"
    );
    assert!(
        list.contains("<p class=\"card-summary\" dir=\"auto\">"),
        "{list}"
    );
    let term = p.read("public/es/topics/ubt-basics/index.html");
    assert!(
        term.contains("<h1><span dir=\"auto\">יסודות UBT</span>"),
        "{term}"
    );
    // The English page beside them is written as it was.
    assert_eq!(p.read("public/stories/second-story/index.html"), before_en);
}

/// Session 24: the seeds give the regions' figures "as of June 2021" (LMP_FACTS.md), the figures
/// of a month; the sample site said "as of June 30, 2021" and "al 30 de junio de 2021", a day
/// the sources never name. A region's `as_of` is shown as its month and year, in each language's
/// words, on the region pages, the regions page, the home page and the `figures` component.
#[test]
fn region_figures_say_the_month_the_sources_give() {
    let p = Project::built_sample_site();
    let pages = [
        ("public/regions/hawaii/index.html", "as of June 2021"),
        ("public/regions/index.html", "as of June 2021"),
        ("public/index.html", "Team figures as of June 2021"),
        (
            "public/es/regions/northern-california/index.html",
            "a junio de 2021",
        ),
        ("public/es/regions/index.html", "a junio de 2021"),
        (
            "public/es/index.html",
            "Cifras de los equipos a junio de 2021",
        ),
    ];
    for (page, want) in pages {
        let html = p.read(page);
        assert!(html.contains(want), "{page}: no {want:?}");
        for day in ["June 30", "30 de junio", "al 30"] {
            assert!(!html.contains(day), "{page}: {day:?}");
        }
    }
}

/// Session 24, the Spanish list pages read as a Spanish-first reader: a term page said "4
/// elementos sobre Negociación" ("items"), an audience's "27 elementos sobre Gerentes" (pages
/// *for* managers, not about them), a series' "sobre Consejos de compañeros"; the list of topics
/// read its counts to a screen reader as "elemento" for 1 and nothing at all for more (the plural
/// was the pagination's word, empty in Spanish); and related pages were headed "Relacionado".
/// Each now says pages, with the preposition of its taxonomy, in English too.
#[test]
fn spanish_term_and_taxonomy_pages_count_pages_in_natural_words() {
    let p = Project::built_sample_site();
    let page = |path: &str| p.read(&format!("public/{path}/index.html"));
    let lede = |html: &str| -> String {
        let start = html.find("<p class=\"lede\">").expect("a lede");
        let end = start + html[start..].find("</p>").unwrap();
        html[start + 16..end].to_string()
    };
    let topic = page("es/topics/bargaining");
    assert_eq!(lede(&topic), "4 páginas sobre Negociación.");
    let audience = page("es/audiences/managers");
    assert!(
        lede(&audience).ends_with(" páginas para Gerentes."),
        "{}",
        lede(&audience)
    );
    let series = page("es/series/peer-advice");
    assert!(
        lede(&series).ends_with(" páginas de la serie Consejos de compañeros."),
        "{}",
        lede(&series)
    );
    assert!(
        lede(&page("topics/bargaining")).ends_with(" pages about Bargaining."),
        "{}",
        lede(&page("topics/bargaining"))
    );
    assert!(
        lede(&page("audiences/managers")).ends_with(" pages for Managers."),
        "{}",
        lede(&page("audiences/managers"))
    );
    let topics = page("es/topics");
    assert!(
        topics.contains(r#">Negociación</a> <span class="count">4<span class="visually-hidden"> páginas</span></span>"#),
        "{topics}"
    );
    assert!(
        !topics.contains(r#"<span class="visually-hidden"> </span>"#),
        "{topics}"
    );
    let story = page("es/stories/ive-got-your-back");
    assert!(
        story.contains(r#"<h2 id="related-title">Contenido relacionado</h2>"#),
        "{story}"
    );
    for html in [&topic, &audience, &series, &topics, &story] {
        assert!(!html.contains("elemento"), "{html}");
    }
}
