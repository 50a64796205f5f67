//! End-to-end builds: outputs exist, determinism, failed builds leave the output alone, output
//! folder safety, drafts, sub-path base URLs, `check` and `new`.

use crate::harness::Project;

#[test]
fn basic_fixture_builds_every_kind_of_page() {
    let p = Project::fixture("basic");
    let o = p.ok(&["build"]);
    assert!(o.stderr.contains("Built "), "{}", o.stderr);
    assert!(
        o.stderr.contains(
            "3 stories, 1 guide, 1 practice, 1 tool, 1 video, 1 research, 3 regions, 1 page"
        ),
        "{}",
        o.stderr
    );
    for f in [
        "public/index.html",
        "public/stories/index.html",
        "public/stories/page/2/index.html",
        "public/stories/first-story/index.html",
        "public/guides/huddle/index.html",
        "public/practices/huddle-board/index.html",
        "public/tools/huddle-checklist/index.html",
        "public/videos/basics-video/index.html",
        "public/research/mit-2003/index.html",
        "public/regions/index.html",
        "public/regions/hawaii/index.html",
        "public/about/index.html",
        "public/topics/index.html",
        "public/topics/ubt-basics/index.html",
        "public/audiences/managers/index.html",
        "public/series/peer-advice/index.html",
        "public/search/index.html",
        "public/404.html",
        "public/stories/atom.xml",
        "public/sitemap.xml",
        "public/robots.txt",
        "public/old/first-story/index.html",
        "public/files/huddle-checklist.txt",
        "public/css/lmp.css",
    ] {
        assert!(p.exists(f), "{f} is missing");
    }
    // Drafts are not built; lists are newest first and paginated by 2.
    assert!(!p.exists("public/stories/draft-story/index.html"));
    let list = p.read("public/stories/index.html");
    let (a, b) = (
        list.find("The second story").unwrap(),
        list.find("The first story").unwrap(),
    );
    assert!(a < b, "newest first");
    assert!(!list.contains("The third story"), "page 1 holds 2 stories");
    assert!(
        p.read("public/stories/page/2/index.html")
            .contains("The third story")
    );
    // Alias redirect.
    let redirect = p.read("public/old/first-story/index.html");
    assert!(
        redirect.contains(r#"<meta http-equiv="refresh" content="0; url=/stories/first-story/">"#),
        "{redirect}"
    );
    assert!(
        redirect
            .contains(r#"<link rel="canonical" href="https://example.org/stories/first-story/">"#)
    );
    // Feed and sitemap.
    let feed = p.read("public/stories/atom.xml");
    assert!(feed.contains("<id>https://example.org/stories/second-story/</id>"));
    assert!(!feed.contains("draft-story"));
    let sitemap = p.read("public/sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/guides/huddle/</loc>"));
    assert!(
        p.read("public/robots.txt")
            .contains("Sitemap: https://example.org/sitemap.xml")
    );
}

#[test]
fn drafts_flag_includes_drafts() {
    let p = Project::fixture("basic");
    p.ok(&["build", "--drafts"]);
    assert!(p.exists("public/stories/draft-story/index.html"));
}

#[test]
fn publish_and_expiry_dates_exclude_documents() {
    let p = Project::fixture("basic");
    p.write("site/stories/later.md", "---\ntitle: Later\ndate: 2020-01-01\nsummary: s\ntopics: [ubt-basics]\npublish_date: 2999-01-01\n---\nSoon.\n");
    p.write("site/stories/gone.md", "---\ntitle: Gone\ndate: 2020-01-01\nsummary: s\ntopics: [ubt-basics]\nexpiry_date: 2000-01-01\n---\nOld.\n");
    let o = p.ok(&["build"]);
    assert!(!p.exists("public/stories/later/index.html"));
    assert!(!p.exists("public/stories/gone/index.html"));
    // QA Q30: not without a word (the fixture has one draft too).
    assert!(
        o.stderr.contains(
            "Left out: 1 draft (--drafts), 1 expired (--expired), 1 scheduled for later (--future)"
        ),
        "{}",
        o.stderr
    );
    p.ok(&["build", "--future", "--expired"]);
    assert!(p.exists("public/stories/later/index.html"));
    assert!(p.exists("public/stories/gone/index.html"));
}

/// Session 19: "Left out: N drafts" under "Checked 64 documents" counted draft translations too,
/// which the documents count does not: documents are counted as that line counts them, and
/// translations apart (a draft translation, the translation of a draft original, a scheduled
/// one), in `check` and `build`.
#[test]
fn left_out_counts_documents_as_checked_and_translations_apart() {
    let p = Project::bilingual();
    let es = p.read("site/stories/first-story.es.md");
    p.write(
        "site/stories/first-story.es.md",
        &es.replacen("---\n", "---\ndraft: true\n", 1),
    );
    p.write(
        "site/stories/draft-story.es.md",
        "---\ntitle: Un borrador\nsummary: Aún no.\ndraft: true\n---\nAún no.\n",
    );
    p.write("site/stories/later.md", "---\ntitle: Later\ndate: 2020-01-01\nsummary: s\ntopics: [ubt-basics]\npublish_date: 2999-01-01\n---\nSoon.\n");
    p.write(
        "site/stories/later.es.md",
        "---\ntitle: Más tarde\nsummary: Pronto.\n---\nPronto.\n",
    );
    for cmd in ["check", "build"] {
        let o = p.ok(&[cmd]);
        assert!(
            o.stderr.contains("\nLeft out: 1 draft (--drafts), 1 scheduled for later (--future); 3 translations: 2 drafts, 1 scheduled for later\n"),
            "{cmd}: {}",
            o.stderr
        );
    }
    // Only translations: each says its flag.
    p.remove("site/stories/draft-story.md");
    p.remove("site/stories/draft-story.es.md");
    p.remove("site/stories/later.md");
    p.remove("site/stories/later.es.md");
    let o = p.ok(&["check"]);
    assert!(
        o.stderr
            .contains("\nLeft out: 1 translation: 1 draft (--drafts)\n"),
        "{}",
        o.stderr
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let p = Project::fixture("basic");
    p.ok(&["build", "--out", "a"]);
    p.ok(&["build", "--out", "b"]);
    let (a, b) = (p.snapshot_dir("a"), p.snapshot_dir("b"));
    assert!(!a.is_empty());
    assert_eq!(a.len(), b.len());
    for ((pa, ba), (pb, bb)) in a.iter().zip(&b) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{pa} differs between two builds");
    }
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let p = Project::fixture("basic");
    p.ok(&["build"]);
    let before = p.snapshot_dir("public");
    p.write(
        "site/stories/broken.md",
        "---\ntitle: [unclosed\ndate: 2020-01-01\n---\n",
    );
    let o = p.fails(&["build"]);
    assert!(
        o.stderr
            .contains("site/stories/broken.md:2:8: error: invalid YAML in front matter: the `[` that starts the value of `title` is not closed"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("public was left as it was"),
        "{}",
        o.stderr
    );
    assert_eq!(
        before,
        p.snapshot_dir("public"),
        "public/ changed after a failed build"
    );
}

#[test]
fn unchanged_files_keep_their_mtime() {
    let p = Project::fixture("basic");
    p.ok(&["build"]);
    let m1 = std::fs::metadata(p.path("public/guides/huddle/index.html"))
        .unwrap()
        .modified()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    p.ok(&["build"]);
    let m2 = std::fs::metadata(p.path("public/guides/huddle/index.html"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(m1, m2);
}

#[test]
fn refuses_output_folders_that_hold_the_site_or_project() {
    let p = Project::fixture("basic");
    for out in [".", "site", "site/public", "site/stories"] {
        let o = p.run(&["build", "--out", out]);
        assert_eq!(o.code, 1, "--out {out} was accepted: {}", o.stderr);
        assert!(
            o.stderr.contains("refusing to write the output"),
            "{}",
            o.stderr
        );
    }
    assert!(p.exists("site/config.yaml") && p.exists("site/stories/first-story.md"));
}

#[test]
fn check_writes_nothing() {
    let p = Project::fixture("basic");
    let o = p.ok(&["check"]);
    assert!(o.stderr.contains("no errors"), "{}", o.stderr);
    assert!(!p.exists("public"));
}

#[test]
fn base_url_with_sub_path_prefixes_every_link() {
    let p = Project::fixture("basic");
    p.ok(&["build", "--base-url", "https://example.org/lmp/"]);
    let html = p.read("public/stories/first-story/index.html");
    assert!(html.contains(r#"href="/lmp/css/lmp."#), "{html}");
    assert!(
        html.contains(
            r#"<link rel="canonical" href="https://example.org/lmp/stories/first-story/">"#
        )
    );
    crate::links::assert_links_resolve(&p.path("public"), "/lmp/");
}

#[test]
fn works_without_a_theme_folder_beside_the_site() {
    // The fixture has no themes/ folder: the built-in theme is used.
    let p = Project::fixture("basic");
    assert!(!p.exists("themes"));
    p.ok(&["build"]);
    assert!(p.read("public/index.html").starts_with("<!doctype html>"));
}

#[test]
fn site_templates_and_static_files_override_the_theme() {
    let p = Project::fixture("basic");
    p.write(
        "site/templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<h1>Custom not found</h1>{% endblock %}",
    );
    p.write("site/static/css/lmp.css", "body{color:black}");
    p.ok(&["build"]);
    assert!(p.read("public/404.html").contains("Custom not found"));
    assert_eq!(p.read("public/css/lmp.css"), "body{color:black}");
}

/// Every `.html` page under `public/`, with its text.
fn html_pages(p: &Project) -> Vec<(String, String)> {
    p.tree("public")
        .into_iter()
        .filter(|(rel, _)| rel.ends_with(".html"))
        .map(|(rel, bytes)| (rel, String::from_utf8(bytes.unwrap_or_default()).unwrap()))
        .collect()
}

/// The pages of two builds are the same, page by page (a difference shows both sides).
fn assert_same_pages(before: &[(String, String)], after: &[(String, String)]) {
    assert_eq!(before.len(), after.len());
    for ((a, x), (b, y)) in before.iter().zip(after) {
        assert_eq!(a, b);
        assert!(x == y, "{a} differs:\n{x}\n---\n{y}");
    }
}

/// Lists write the card the theme's own `partials/card.html` drew once per document and
/// language (`card.drawn`) instead of running it for every list: the pages are the ones the
/// template gives when it runs for each card (a site's copy of it, which is not drawn ahead), in
/// both languages, with a title that says `{level}` itself (and with only the theme's templates
/// a card in a list is given to them as its drawing alone: the pages are the same); a site's own
/// card.html shows on every list (collection lists, terms, related documents, home, region
/// pages); and a site's own template reads every field of a drawn card.
#[test]
fn cards_drawn_once_are_what_the_card_template_draws_and_a_site_card_replaces_them() {
    let p = Project::bilingual();
    p.write(
        "site/stories/levels.md",
        "---\ntitle: Teams at every {level} & level\ndate: 2016-02-01\nsummary: A {level} story.\nregions: [hawaii]\ntopics: [ubt-basics]\n---\nBody.\n",
    );
    p.ok(&["build", "--quiet"]);
    let drawn = html_pages(&p);
    let list = &drawn
        .iter()
        .find(|(rel, _)| rel == "stories/index.html")
        .expect("the stories list")
        .1;
    assert!(
        list.contains(
            r#"<h2 class="card-title"><a href="/stories/levels/">Teams at every {level} &amp; level</a></h2>"#
        ),
        "{list}"
    );
    let theme = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("themes/lmp/templates/partials/card.html");
    let card = std::fs::read_to_string(theme).unwrap();
    p.write(
        "site/templates/partials/card.html",
        &format!("{card}{{# the site's copy: not the built-in file #}}"),
    );
    p.ok(&["build", "--quiet"]);
    assert_same_pages(&drawn, &html_pages(&p));
    p.write(
        "site/templates/partials/card.html",
        r#"<p class="site-card">{{ card.title }} at {{ level }}</p>"#,
    );
    p.ok(&["build", "--quiet"]);
    for (page, level) in [
        ("public/stories/index.html", 2),
        ("public/stories/page/2/index.html", 2),
        ("public/topics/ubt-basics/index.html", 2),
        ("public/index.html", 3),
        ("public/regions/hawaii/index.html", 3),
        ("public/es/stories/index.html", 2),
    ] {
        let html = p.read(page);
        assert!(
            html.contains(r#"<li><p class="site-card">"#)
                && html.contains(&format!(" at {level}</p></li>")),
            "{page}: {html}"
        );
        assert!(!html.contains("card-title"), "{page}: {html}");
    }
    let related = p.read("public/stories/first-story/index.html");
    assert!(
        related.contains(r#"<li><p class="site-card">The third story at 3</p></li>"#)
            && !related.contains("card-title"),
        "{related}"
    );
    // With only the theme's templates, a card in a list is its drawing alone (nothing else of it
    // is read); a site's template of its own reads every field of the same cards.
    std::fs::remove_file(p.path("site/templates/partials/card.html")).unwrap();
    let theme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/lmp/templates");
    let list = std::fs::read_to_string(theme.join("list.html")).unwrap();
    let own = list.replace(
        "{%- if items %}",
        r#"{% for card in items %}<p class="own">{{ card.title }}|{{ card.date }}|{{ card.collection_label }}</p>{% endfor %}{%- if items %}"#,
    );
    assert_ne!(own, list);
    p.write("site/templates/list.html", &own);
    p.ok(&["build", "--quiet"]);
    let html = p.read("public/stories/index.html");
    // Two cards on the page: the one that says `{level}` (not drawn) and a drawn one.
    assert!(
        html.contains(r#"<p class="own">Teams at every {level} &amp; level|2016-02-01|Story</p>"#)
            && html.matches(r#"<p class="own">"#).count() == 2
            && html.matches(r#"|Story</p>"#).count() == 2
            && !html.contains(r#"<p class="own">|"#)
            && !html.contains("||")
            && html.matches(r#"<h2 class="card-title">"#).count() == 2,
        "{html}"
    );
}

/// Pages write the main menu the theme's own `partials/menu.html` drew once per menu state
/// (`site.menu_drawn`: language, active items, the item that is the page itself) instead of
/// running its loop on every page: the pages are the ones the partial gives when it runs on each
/// page (a site's copy, which is not drawn ahead), in both languages, on a section's own page
/// (`aria-current="page"`), inside it (`"true"`) and elsewhere; a site's own menu.html shows on
/// every page, and a site's own base.html gets exactly what it writes.
#[test]
fn the_menu_drawn_once_is_what_the_menu_partial_draws_and_a_site_menu_replaces_it() {
    let p = Project::bilingual();
    p.ok(&["build", "--quiet"]);
    let drawn = html_pages(&p);
    let nav = |html: &str| {
        let at = html.find(r#"<nav class="site-nav""#).expect("the menu");
        html[at..at + html[at..].find("</nav>").unwrap()].to_string()
    };
    let page = |rel: &str| {
        drawn
            .iter()
            .find(|(r, _)| r == rel)
            .unwrap_or_else(|| panic!("{rel}"))
            .1
            .clone()
    };
    let stories = nav(&page("stories/index.html"));
    assert!(
        stories.contains(r#"<li><a href="/stories/" aria-current="page">Stories</a></li>"#)
            && stories.contains(r#"<li><a href="/regions/">Regions</a></li>"#),
        "{stories}"
    );
    let story = nav(&page("stories/first-story/index.html"));
    assert!(
        story.contains(r#"<li><a href="/stories/" aria-current="true">Stories</a></li>"#),
        "{story}"
    );
    let about = nav(&page("about/index.html"));
    assert!(
        about.contains(r#"<li><a href="/about/" aria-current="page">About</a></li>"#)
            && !about.contains(r#"aria-current="true""#),
        "{about}"
    );
    let es = nav(&page("es/stories/first-story/index.html"));
    assert!(
        es.contains(r#"<li><a href="/es/stories/" aria-current="true">Historias</a></li>"#),
        "{es}"
    );
    let theme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/lmp/templates");
    let menu = std::fs::read_to_string(theme.join("partials/menu.html")).unwrap();
    p.write(
        "site/templates/partials/menu.html",
        &format!("{{# the site's copy: not the built-in file #}}{menu}"),
    );
    p.ok(&["build", "--quiet"]);
    assert_same_pages(&drawn, &html_pages(&p));
    p.write(
        "site/templates/partials/menu.html",
        r#"<nav class="site-menu">{% for item in site.menu %}<a href="{{ item.url }}">{{ item.name }}</a>{% endfor %} at {{ page.url }}</nav>"#,
    );
    p.ok(&["build", "--quiet"]);
    for (rel, url) in [
        ("index.html", "/"),
        ("stories/index.html", "/stories/"),
        ("stories/first-story/index.html", "/stories/first-story/"),
        (
            "es/stories/first-story/index.html",
            "/es/stories/first-story/",
        ),
        ("404.html", "/404.html"),
    ] {
        let html = p.read(&format!("public/{rel}"));
        assert!(
            html.contains(r#"<nav class="site-menu"><a href="/"#)
                && html.contains(&format!(" at {url}</nav>"))
                && !html.contains("site-nav"),
            "{rel}: {html}"
        );
    }
    // A site's own base.html: what it writes, whether it draws the menu itself or not.
    let base = std::fs::read_to_string(theme.join("base.html")).unwrap();
    let inline = base.replace(
        r#"{% if site.menu_drawn %}{{ site.menu_drawn }}{% else %}{% include "partials/menu.html" %}{% endif %}"#,
        r#"<ul class="own-menu">{% for item in site.menu %}<li>{{ item.name }}{% if item.active %} (here){% endif %}</li>{% endfor %}</ul>"#,
    );
    assert_ne!(inline, base, "base.html writes the drawn menu");
    std::fs::remove_file(p.path("site/templates/partials/menu.html")).unwrap();
    p.write("site/templates/base.html", &inline);
    p.ok(&["build", "--quiet"]);
    let html = p.read("public/stories/first-story/index.html");
    assert!(
        html.contains(
            r#"<ul class="own-menu"><li>Stories (here)</li><li>Regions</li><li>About</li></ul>"#
        ) && !html.contains("site-nav"),
        "{html}"
    );
}

#[test]
fn theme_key_selects_a_theme_folder() {
    let p = Project::fixture("basic");
    let theme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/lmp");
    crate::harness::copy_dir(&theme, &p.path("mytheme"));
    p.write(
        "mytheme/templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<h1>Theme folder 404</h1>{% endblock %}",
    );
    let cfg = p.read("site/config.yaml");
    p.write("site/config.yaml", &format!("{cfg}theme: ../mytheme\n"));
    p.ok(&["build"]);
    assert!(p.read("public/404.html").contains("Theme folder 404"));
    // QA s17: the theme's files are named relative to where lmp runs, like the site's
    // (`mytheme/templates/404.html`, not `site/../mytheme/templates/404.html`).
    p.write(
        "mytheme/templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<h1>{{ nope( }}</h1>{% endblock %}",
    );
    let o = p.fails(&["build"]);
    assert!(
        o.stderr.contains("mytheme/templates/404.html:1:")
            && !o.stderr.contains("site/../")
            && !o.stderr.contains("site/.."),
        "{}",
        o.stderr
    );
    p.write("site/config.yaml", &format!("{cfg}theme: ../nowhere\n"));
    let o = p.run(&["build"]);
    assert_eq!(o.code, 1);
    let line = cfg.lines().count() + 1;
    assert!(
        o.stderr.contains(&format!(
            "site/config.yaml:{line}:8: error: the theme folder nowhere does not exist"
        )) && o
            .stderr
            .contains("help: `theme:` is a folder path relative to the site folder (site/)"),
        "{}",
        o.stderr
    );
    // QA Q79: Hugo's habit, `theme: NAME` for `themes/NAME` beside the site folder.
    crate::harness::copy_dir(&theme, &p.path("themes/mytheme"));
    p.write("site/config.yaml", &format!("{cfg}theme: mytheme\n"));
    let o = p.run(&["check"]);
    assert_eq!(o.code, 1);
    assert!(
        o.stderr.contains(&format!(
            "site/config.yaml:{line}:8: error: the theme folder site/mytheme does not exist"
        )) && o
            .stderr
            .contains("help: did you mean `theme: ../themes/mytheme`?"),
        "{}",
        o.stderr
    );
}

/// QA Q70: regions whose figures are as of different dates: the national totals are labelled
/// with the oldest date, and each region off the common date gets a warning at its `as_of`.
#[test]
fn national_totals_of_figures_as_of_different_dates_warn_and_say_the_oldest_date() {
    let p = Project::fixture("basic");
    let hawaii = p.read("site/regions/hawaii.md");
    p.write(
        "site/regions/hawaii.md",
        &hawaii.replace("as_of: 2021-06-30", "as_of: 2023-12-31"),
    );
    let o = p.ok(&["build"]);
    assert!(
        o.stderr.contains("site/regions/hawaii.md:8:8: warning: the national totals mix figures as of 2021-06-30 (colorado) and 2023-12-31 (hawaii): they are labelled \"as of 2021-06-30\", the oldest")
            && o.stderr.contains("help: give every region's figures as of the same date"),
        "{}",
        o.stderr
    );
    assert_eq!(
        o.stderr.matches("national totals mix").count(),
        1,
        "{}",
        o.stderr
    );
    for page in ["public/regions/index.html", "public/index.html"] {
        let html = p.read(page);
        assert!(html.contains("as of June 2021"), "{page}");
        assert!(!html.contains("December 2023"), "{page}");
    }
    // The same date everywhere again: no warning.
    p.write("site/regions/hawaii.md", &hawaii);
    let o = p.ok(&["build"]);
    assert!(!o.stderr.contains("national totals"), "{}", o.stderr);
}

#[test]
fn template_errors_are_located() {
    let p = Project::fixture("basic");
    p.write("site/templates/404.html", "{% extends \"base.html\" %}\n{% block main %}\n{{ page.title | nosuchfilter }}\n{% endblock %}");
    let o = p.fails(&["build"]);
    assert!(
        o.stderr.contains("site/templates/404.html:3:"),
        "{}",
        o.stderr
    );
}

#[test]
fn new_scaffolds_a_document_that_checks_after_filling_in() {
    let p = Project::fixture("basic");
    let o = p.ok(&["new", "story", "Learning to lead"]);
    assert_eq!(o.stdout.trim(), "site/stories/learning-to-lead.md");
    let text = p.read("site/stories/learning-to-lead.md");
    assert!(
        text.starts_with("---\ntitle: \"Learning to lead\"\n"),
        "{text}"
    );
    p.ok(&["check"]);
    let again = p.run(&["new", "story", "Learning to lead"]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("never overwrites"));
    let bad = p.run(&["new", "stroy", "x"]);
    assert_eq!(bad.code, 1);
    assert!(
        bad.stderr.contains("did you mean `story`?"),
        "{}",
        bad.stderr
    );
    for c in [
        "guide", "practice", "tool", "video", "research", "region", "page",
    ] {
        p.ok(&["new", c, &format!("New {c}")]);
    }
    // QA Q12: each scaffold checks as it is written: references name what the site has (the
    // first region, topic and audience; a file under static/files/), not made-up examples.
    let o = p.ok(&["check"]);
    assert!(!o.stderr.contains(": error:"), "{}", o.stderr);
    let practice = p.read("site/practices/new-practice.md");
    assert!(
        practice.contains("\nregion: colorado\n") && practice.contains("\ntopics: [ubt-basics]\n"),
        "{practice}"
    );
    let tool = p.read("site/tools/new-tool.md");
    assert!(
        tool.contains("\nfile: /files/huddle-checklist.txt\n"),
        "{tool}"
    );
    for (name, text) in [("practice", &practice), ("tool", &tool)] {
        for bad in ["some-slug", "my-slug", "example.pdf", "translation_of"] {
            assert!(!text.contains(bad), "{name} scaffold shows {bad}:\n{text}");
        }
    }
}

#[test]
fn config_adds_fields_and_collections() {
    let p = Project::fixture("basic");
    p.append(
        "site/config.yaml",
        "collections:\n  stories:\n    fields:\n      location: {type: string, required: true}\n  newsletters:\n    label: Newsletter\n    plural: Newsletters\n    fields:\n      issue: {type: integer, required: true}\n      date: {type: date, required: true}\n      topics: {type: terms, taxonomy: topics}\n",
    );
    // The added required field is now required on every story.
    let o = p.run(&["check"]);
    assert_eq!(o.code, 1);
    assert!(
        o.stderr
            .contains("site/stories/first-story.md:1:1: error: missing required field `location`"),
        "{}",
        o.stderr
    );
    for f in ["first-story", "second-story", "third-story", "draft-story"] {
        let t = p.read(&format!("site/stories/{f}.md"));
        p.write(
            &format!("site/stories/{f}.md"),
            &t.replacen("---\ntitle:", "---\nlocation: Oakland\ntitle:", 1),
        );
    }
    p.write("site/newsletters/insider-1.md", "---\ntitle: LMP Insider, issue 1\nissue: 1\ndate: 2019-03-01\ntopics: [bargaining]\n---\nThe first issue.\n");
    p.write("site/templates/newsletter.html", "{% extends \"base.html\" %}{% block main %}<h1>{{ doc.title }}</h1><p>Issue {{ doc.extra.issue }}</p>{% endblock %}");
    p.ok(&["build"]);
    assert!(
        p.read("public/newsletters/insider-1/index.html")
            .contains("<p>Issue 1</p>")
    );
    assert!(
        p.read("public/newsletters/index.html")
            .contains("LMP Insider, issue 1")
    );
    assert!(
        p.read("public/topics/bargaining/index.html")
            .contains("LMP Insider, issue 1")
    );
    // A mistake in a config-defined field is caught like any other.
    p.write(
        "site/newsletters/insider-2.md",
        "---\ntitle: Issue 2\nisue: 2\ndate: 2019-05-01\n---\nText.\n",
    );
    let o = p.run(&["build"]);
    assert!(
        o.stderr.contains(
            "site/newsletters/insider-2.md:3:1: error: unknown field `isue` in newsletters"
        ),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("did you mean `issue`?"), "{}", o.stderr);
    // `lmp new` knows the new collection.
    assert_eq!(
        p.ok(&["new", "newsletter", "Issue three"]).stdout.trim(),
        "site/newsletters/issue-three.md"
    );
    let text = p.read("site/newsletters/issue-three.md");
    assert!(text.contains("\nissue: 10\n"), "{text}");
}

#[test]
fn config_field_definitions_are_checked() {
    let p = Project::fixture("basic");
    p.append(
        "site/config.yaml",
        "collections:\n  stories:\n    fields:\n      title: {type: string}\n      rating: {type: numbr}\n  static:\n    fields: {}\n",
    );
    let o = p.run(&["check"]);
    assert_eq!(o.code, 1);
    assert!(
        o.stderr.contains("`stories` already has a field `title`"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("unknown field type `numbr`"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("`static` cannot be a collection name"),
        "{}",
        o.stderr
    );
}

#[test]
fn an_output_path_that_is_a_file_is_refused_and_kept() {
    let p = Project::fixture("basic");
    p.write("out.txt", "keep me");
    let o = p.fails(&["build", "--out", "out.txt"]);
    assert!(
        o.stderr.contains("out.txt exists and is not a folder"),
        "{}",
        o.stderr
    );
    assert_eq!(p.read("out.txt"), "keep me");
    // `touch public; lmp build`: the help named `--out public`, the file refused (QA s6).
    p.write("public", "touched");
    let o = p.fails(&["build"]);
    assert!(
        o.stderr.contains("public exists and is not a folder")
            && o.stderr.contains("delete or rename the file public")
            && o.stderr.contains("e.g. --out public-site"),
        "{}",
        o.stderr
    );
    assert_eq!(p.read("public"), "touched");
}

#[test]
fn only_pages_with_code_load_the_highlighting_stylesheet() {
    let p = Project::fixture("basic");
    p.ok(&["build"]);
    // `syntax.css` by its content-hashed name (`syntax.3f2a9c01d4.css`).
    let link = "href=\"/syntax.";
    // guides/huddle.md has a fenced code block; the other pages have none.
    assert!(p.read("public/guides/huddle/index.html").contains(link));
    for page in [
        "public/index.html",
        "public/stories/first-story/index.html",
        "public/stories/index.html",
        "public/search/index.html",
        "public/about/index.html",
    ] {
        assert!(!p.read(page).contains(link), "{page} links syntax.css");
    }
    assert!(p.exists("public/syntax.css"));
}

#[test]
fn every_document_template_extends_the_shared_doc_skeleton() {
    // A site that overrides `doc.html` changes every document page at once, while each
    // collection keeps its own blocks (kicker, facts, download, figures...).
    let p = Project::sample_site();
    let theme_doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/lmp/templates/doc.html"),
    )
    .unwrap();
    let marked = theme_doc.replace(
        "<h1{% if rtl_text %}{{ doc.title | dir_auto }}{% endif %}>{{ doc.title }}</h1>",
        "<h1 data-skeleton=\"site\"{% if rtl_text %}{{ doc.title | dir_auto }}{% endif %}>{{ doc.title }}</h1>",
    );
    assert_ne!(
        marked, theme_doc,
        "doc.html no longer has the title line this test marks"
    );
    p.write("site/templates/doc.html", &marked);
    p.ok(&["build"]);
    for (page, own) in [
        ("stories/fear-technology-and-reality", "class=\"byline\""),
        ("guides/find-tools", "class=\"doc doc-guide\""),
        (
            "practices/job-shadowing-across-departments",
            "Team-tested practice",
        ),
        ("tools/lmp-at-a-glance", "class=\"download\""),
        (
            "videos/how-to-find-how-to-guides",
            "id=\"transcript-title\"",
        ),
        (
            "research/evolving-healthcare-landscape-2016",
            "Outside research",
        ),
        ("regions/colorado", "class=\"doc doc-region\""),
        ("about", "class=\"doc doc-page doc-pages\""),
    ] {
        let html = p.read(&format!("public/{page}/index.html"));
        assert!(
            html.contains("<h1 data-skeleton=\"site\">"),
            "{page} does not extend doc.html"
        );
        assert!(html.contains(own), "{page} lost its own block: {own}");
    }
}

#[test]
fn a_site_without_documents_builds_with_a_plain_summary_line() {
    let p = Project::fixture("basic");
    for entry in std::fs::read_dir(p.path("site")).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().is_some_and(|n| n != "config.yaml") {
            if path.is_dir() {
                std::fs::remove_dir_all(&path).unwrap();
            } else {
                std::fs::remove_file(&path).unwrap();
            }
        }
    }
    let o = p.ok(&["build"]);
    assert!(o.stderr.contains("Built "), "{}", o.stderr);
    assert!(
        !o.stderr.contains("()"),
        "no empty parentheses: {}",
        o.stderr
    );
    let o = p.ok(&["check"]);
    assert!(o.stderr.contains("Checked 0 documents in "), "{}", o.stderr);
}

/// QA Q39: a region with `ubts: 0` has no high-performing share: the chart leaves it out
/// instead of drawing "Hawaii: %" (the table says "not reported").
#[test]
fn a_region_without_teams_has_no_bar_in_the_chart() {
    let p = Project::fixture("basic");
    let hawaii = p.read("site/regions/hawaii.md");
    p.write(
        "site/regions/hawaii.md",
        &hawaii
            .replace("ubts: 60\n", "ubts: 0\n")
            .replace("high_performing_ubts: 54\n", "high_performing_ubts: 0\n"),
    );
    p.ok(&["build"]);
    for page in ["public/regions/index.html", "public/index.html"] {
        let html = p.read(page);
        let chart = &html[html.find("<div class=\"share-chart\"").unwrap()..];
        let chart = &chart[..chart.find("</figure>").unwrap()];
        assert!(!chart.contains("Hawaii"), "{page}: {chart}");
        assert!(chart.contains("Colorado"), "{page}: {chart}");
        assert!(
            !chart.contains(">%<") && !chart.contains(": % "),
            "{page}: {chart}"
        );
    }
}

#[test]
fn verbose_check_and_serve_print_the_stage_table_of_build() {
    // QA Q56: `lmp -v check` printed no stage table, `lmp -v serve` one with wall times only.
    let p = Project::fixture("basic");
    let stages = |stderr: &str| -> Vec<String> {
        stderr
            .lines()
            .filter(|l| l.contains(" ms CPU") && l.contains("MiB peak RSS"))
            .map(|l| l.split_whitespace().next().unwrap_or("").to_string())
            .collect()
    };
    let b = p.ok(&["-v", "build"]);
    let c = p.ok(&["-v", "check"]);
    let built = stages(&b.stderr);
    assert!(
        built.contains(&"markdown+links".to_string()),
        "{}",
        b.stderr
    );
    let checked = stages(&c.stderr);
    assert!(
        checked.contains(&"markdown+links".to_string())
            && checked.contains(&"templates".to_string()),
        "{}",
        c.stderr
    );
    // `-v -q` (QA Q56: a usage error): the stage table, without warnings or the summary line.
    p.append("site/stories/first-story.md", "\n# A second title\n");
    assert!(p.ok(&["build"]).stderr.contains("warning"));
    let vq = p.ok(&["-v", "-q", "build"]);
    assert_eq!(stages(&vq.stderr), built, "{}", vq.stderr);
    assert!(
        !vq.stderr.contains("Built ") && !vq.stderr.contains("warning"),
        "{}",
        vq.stderr
    );
}

/// Issue 15: stylesheets and scripts are linked by names made from their content, so that a host
/// may cache them for a year: the same bytes give the same name (deterministic output), a changed
/// stylesheet a new name that every page links, and the search page's script imports the search
/// engine by its hashed name. The plain names are still written (templates of older themes).
#[test]
fn stylesheets_and_scripts_are_linked_by_content_hashed_names() {
    let p = Project::sample_site();
    crate::harness::share_image_cache(&p.path("site"));
    p.ok(&["build", "--quiet"]);
    let linked = |page: &str, prefix: &str, ext: &str| -> String {
        let html = p.read(page);
        let at = html
            .find(&format!("=\"/{prefix}"))
            .unwrap_or_else(|| panic!("{page} links /{prefix}…: {html}"));
        let rest = &html[at + 3..];
        let name = &rest[..rest.find('"').unwrap()];
        let hash = name
            .strip_prefix(prefix)
            .and_then(|n| n.strip_suffix(ext))
            .unwrap_or_else(|| panic!("{name}"));
        assert!(
            hash.len() == 10 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
            "{page}: {name} is not {prefix}<10 hex digits>{ext}"
        );
        name.to_string()
    };
    let css = linked("public/index.html", "css/lmp.", ".css");
    assert_eq!(css, linked("public/stories/index.html", "css/lmp.", ".css"));
    assert_eq!(
        p.read(&format!("public/{css}")),
        p.read("public/css/lmp.css")
    );
    let ui = linked("public/search/index.html", "search/search-ui.", ".js");
    let engine = linked("public/search/index.html", "search/engine.", ".js");
    assert!(
        p.read(&format!("public/{ui}")).contains(&format!(
            "from './{}'",
            engine.trim_start_matches("search/")
        )),
        "the search page's script imports the engine it preloads ({engine})"
    );
    assert_eq!(
        p.read(&format!("public/{engine}")),
        p.read("public/search/engine.js")
    );
    // The same input: the same names.
    p.ok(&["build", "--quiet"]);
    assert_eq!(css, linked("public/index.html", "css/lmp.", ".css"));
    // A changed stylesheet: a new name, linked by every page; the old one is gone.
    let theme_css = p.read("public/css/lmp.css");
    p.write(
        "site/static/css/lmp.css",
        &format!("{theme_css}\nbody {{ color: black }}\n"),
    );
    p.ok(&["build", "--quiet"]);
    let new = linked("public/index.html", "css/lmp.", ".css");
    assert_ne!(new, css);
    assert_eq!(new, linked("public/stories/index.html", "css/lmp.", ".css"));
    assert!(
        p.read(&format!("public/{new}"))
            .ends_with("body { color: black }\n")
    );
    assert!(!p.exists(&format!("public/{css}")));
}

/// A reader's browser asks for `/favicon.ico` on the first view of a site whose pages name no icon:
/// on a phone on metered data that is a wasted request and a 404 in the host's logs (QA Q133).
/// Every page of the sample site names the theme's icon, and the icon is published.
#[test]
fn every_page_names_an_icon_that_is_published() {
    let p = Project::sample_site();
    crate::harness::share_image_cache(&p.path("site"));
    p.ok(&["build", "--quiet"]);
    let public = p.path("public");
    let mut pages = Vec::new();
    let mut dirs = vec![public.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                pages.push(path);
            }
        }
    }
    let mut checked = 0;
    for page in &pages {
        let html = std::fs::read_to_string(page).unwrap();
        // Alias pages redirect at once and carry no theme head.
        if html.contains("http-equiv=\"refresh\"") {
            continue;
        }
        let at = html
            .find("<link rel=\"icon\" href=\"/")
            .unwrap_or_else(|| panic!("{} names no icon", page.display()));
        let rest = &html[at + "<link rel=\"icon\" href=\"/".len()..];
        let icon = &rest[..rest.find('"').unwrap()];
        assert!(
            public.join(icon).is_file(),
            "{} names the icon /{icon}, which is not published",
            page.display()
        );
        checked += 1;
    }
    assert!(checked > 100, "only {checked} pages checked");
}

/// A site with its own icon (an organisation's `favicon.ico` from its old site, or a PNG) had
/// the theme's LMP letters in every tab: the pages named the theme's `favicon.svg`, which a
/// browser prefers to `/favicon.ico`. The pages name the site's own icon, whatever its format;
/// a site's `favicon.svg` is first, and without one of its own the theme's.
#[test]
fn a_sites_own_icon_is_the_one_pages_name() {
    let p = Project::fixture("basic");
    let icon = |p: &Project| {
        let html = p.read("public/index.html");
        let at = html.find("<link rel=\"icon\"").expect("no icon link");
        html[at..at + html[at..].find('>').unwrap() + 1].to_string()
    };
    p.ok(&["build", "--quiet"]);
    assert_eq!(
        icon(&p),
        "<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">"
    );
    p.write_bytes(
        "site/static/favicon.ico",
        b"\0\0\x01\0\x01\0\x10\x10\0\0\x01\0 \0",
    );
    p.ok(&["build", "--quiet"]);
    assert_eq!(
        icon(&p),
        "<link rel=\"icon\" href=\"/favicon.ico\" type=\"image/x-icon\">"
    );
    assert!(p.exists("public/favicon.ico"));
    p.write(
        "site/static/favicon.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"/>",
    );
    p.ok(&["build", "--quiet"]);
    assert_eq!(
        icon(&p),
        "<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">"
    );
    assert!(p.read("public/favicon.svg").contains("viewBox=\"0 0 1 1\""));
}
