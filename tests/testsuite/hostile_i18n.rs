//! Session 22, a hostile pass on translations (issue 16) as the editor of a two-language site
//! and as a reader of its Spanish or right-to-left pages: what the default language's words
//! standing in on another language's page are marked with (`lang`, and `dir` where the page
//! reads the other way), and the rest of what that pass found.

use crate::harness::Project;

/// The part of `page` from `start` on (for a message that shows where a check looked).
fn from<'a>(page: &'a str, start: &str) -> &'a str {
    page.find(start).map_or(page, |i| &page[i..])
}

/// The `basic` fixture with a second language `code` (its title and menu given or not) and one
/// translation, `stories/first-story.<code>.md`, its theme words copied from English.
fn with_language(code: &str, name: &str, menu: bool) -> Project {
    let p = Project::fixture("basic");
    let menu = if menu {
        format!("    title: {name}\n    menu:\n      - {{name: Historias, url: /stories/}}\n")
    } else {
        String::new()
    };
    p.append(
        "site/config.yaml",
        &format!("languages:\n  en: {{name: English}}\n  {code}:\n    name: {name}\n{menu}"),
    );
    p.write(
        &format!("site/stories/first-story.{code}.md"),
        "---\ntitle: القصة الأولى\nsummary: قصة عن فريق.\n---\nتعلم فريق في هاواي كيف يجتمع.\n",
    );
    if code != "es" {
        let en = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/lmp/i18n/en.yaml"),
        )
        .unwrap();
        p.write(&format!("site/i18n/{code}.yaml"), &en);
    }
    p
}

/// On an Arabic page, every English name standing in for one the site does not give in Arabic
/// (a story's series, author, terms and regions; a card's region line; the home page's regions,
/// its chart; a topic on its own page and in its lede and breadcrumb; the taxonomy's list; the
/// search page's offer to search the English pages) is
/// marked `lang="en" dir="ltr"`: with the page's direction, "UBT basics." and "Hawaii (2)" had
/// their punctuation on the wrong side (session 21's note left these). An English page, and an
/// Arabic term name on an Arabic page, are written as before.
#[test]
fn english_names_on_a_right_to_left_page_read_left_to_right() {
    let p = with_language("ar", "العربية", true);
    let washington = p.read("site/regions/washington.md");
    p.write(
        "site/regions/washington.md",
        &washington.replacen("---\n", "---\ncouncil_since: Q2 2019\n", 1),
    );
    p.write(
        "site/regions/washington.ar.md",
        "---\ntitle: واشنطن\nsummary: منطقة.\n---\nنص.\n",
    );
    p.ok(&["build", "--quiet"]);
    let checks: [(&str, &[&str]); 6] = [
        (
            "public/ar/regions/washington/index.html",
            &["<span lang=\"en\" dir=\"ltr\">Q2 2019</span>"],
        ),
        (
            "public/ar/search/index.html",
            &["<p class=\"search-elsewhere\" lang=\"en\" dir=\"ltr\" data-lang=\"en\">"],
        ),
        (
            "public/ar/stories/first-story/index.html",
            &[
                "<p class=\"kicker\"><span lang=\"en\" dir=\"ltr\">Peer Advice</span></p>",
                "<span class=\"author\" lang=\"en\" dir=\"ltr\">Pat Example</span>",
                "<a href=\"/regions/hawaii/\" lang=\"en\" dir=\"ltr\">Hawaii</a>",
                "<a href=\"/ar/topics/ubt-basics/\" lang=\"en\" dir=\"ltr\">UBT basics</a>",
                "<span class=\"card-regions\"><span lang=\"en\" dir=\"ltr\">Hawaii</span></span>",
            ],
        ),
        (
            "public/ar/index.html",
            &[
                "<li><span lang=\"en\" dir=\"ltr\">Colorado</span>: 73%",
                "<a href=\"/regions/hawaii/\" hreflang=\"en\" lang=\"en\" dir=\"ltr\">Hawaii</a>",
            ],
        ),
        (
            "public/ar/topics/index.html",
            &["<a href=\"/ar/topics/bargaining/\" lang=\"en\" dir=\"ltr\">Bargaining</a>"],
        ),
        (
            "public/ar/topics/ubt-basics/index.html",
            &[
                "<h1><span lang=\"en\" dir=\"ltr\">UBT basics</span></h1>",
                "about <span lang=\"en\" dir=\"ltr\">UBT basics</span>.",
                "aria-current=\"page\" lang=\"en\" dir=\"ltr\">UBT basics</a>",
            ],
        ),
    ];
    let mut missing = Vec::new();
    for (page, wants) in checks {
        let html = p.read(page);
        for want in wants {
            if !html.contains(want) {
                missing.push(format!("{page} lacks {want}\n{}", from(&html, "<body")));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n\n"));
    // No element has two `dir`s (an English name with an Arabic letter: `auto`, once).
    let c = p.read("site/config.yaml");
    p.write(
        "site/config.yaml",
        &c.replace("name: Bargaining}", "name: \"Bargaining مفاوضة\"}"),
    );
    p.ok(&["build", "--quiet"]);
    let topics = p.read("public/ar/topics/index.html");
    assert!(
        topics.contains(
            "<a href=\"/ar/topics/bargaining/\" lang=\"en\" dir=\"auto\">Bargaining مفاوضة</a>"
        ),
        "{}",
        from(&topics, "<main")
    );
    // An English page is written as before: its one `dir` is the switch's link to Arabic.
    let en = p.read("public/stories/first-story/index.html");
    assert_eq!(en.matches(" dir=").count(), 1, "{en}");
}

/// A language declared without `menu:` or `title:` shows the default language's (config.yaml),
/// and those are English words: a screen reader read "Stories" and "Fixture Partnership" on a
/// Spanish page with a Spanish voice. They are marked `lang="en"` (and `dir="ltr"` on an Arabic
/// page, on the 404 page's list of sections too); a language's own menu is not.
#[test]
fn a_language_without_its_own_menu_or_title_marks_the_english_words() {
    let p = with_language("es", "Español", false);
    p.ok(&["build", "--quiet"]);
    let es = p.read("public/es/index.html");
    for want in [
        "<li><a href=\"/es/stories/\" lang=\"en\">Stories</a></li>",
        "<li><a href=\"/es/regions/\" lang=\"en\">Regions</a></li>",
        "<span class=\"site-name\" lang=\"en\">Fixture Partnership</span>",
    ] {
        assert!(es.contains(want), "{want}\n{}", from(&es, "<body"));
    }
    let en = p.read("public/index.html");
    assert!(!en.contains("lang=\"en\">Stories"), "{en}");

    let p = with_language("ar", "العربية", false);
    p.ok(&["build", "--quiet"]);
    let ar = p.read("public/ar/404.html");
    assert_eq!(
        ar.matches("<a href=\"/ar/stories/\" lang=\"en\" dir=\"ltr\">Stories</a>")
            .count(),
        2,
        "{}",
        from(&ar, "<body")
    );

    let p = with_language("es", "Español", true);
    p.ok(&["build", "--quiet"]);
    let es = p.read("public/es/index.html");
    assert!(
        es.contains("<li><a href=\"/es/stories/\">Historias</a></li>"),
        "{}",
        from(&es, "<body")
    );
    assert!(!es.contains("site-name\" lang="), "{es}");
}

/// A figure's caption or a quote's attribution that starts in Arabic (in an English page) is laid
/// out in its own direction (`dir="auto"`), as the body's paragraphs are since session 21: its
/// `!` was at its start. The page is the hostile fixture's, which vnu and axe check in CI.
#[test]
fn a_caption_that_starts_right_to_left_reads_from_the_right() {
    let p = Project::fixture("hostile-html");
    p.ok(&["build", "--quiet"]);
    let page = p.read("public/h21/index.html");
    for want in [
        "<figcaption dir=\"auto\">قادة الفريق معاً، في المكتب!</figcaption>",
        "<figcaption dir=\"auto\">— عضوة في النقابة, <span class=\"role\">أوكلاند</span></figcaption>",
    ] {
        assert!(page.contains(want), "{want}\n{}", from(&page, "Captions"));
    }
    // An English caption is written as before.
    let h20 = p.read("public/h20/index.html");
    assert!(h20.contains("<figcaption>A caption"), "{h20}");
}

/// `lmp new story second-story --lang en` (or `EN`) on a site whose default language is English
/// said only "site/stories/second-story.md already exists" (session 21's note): now it says that
/// `en` is the default language, whose document that is, and how to start a translation. A new
/// title with `--lang en` still starts an English document; nothing is written either way.
#[test]
fn new_with_the_default_language_says_so() {
    let p = with_language("es", "Español", true);
    for lang in ["en", "EN"] {
        let o = p.fails(&["new", "story", "second-story", "--lang", lang]);
        assert!(
            o.stderr.starts_with(
                "error: `en` is the site's default language (English): site/stories/second-story.md is its document already"
            ),
            "{}",
            o.stderr
        );
        assert!(
            o.stderr.contains(
                "`lmp new story second-story --lang es` (the site's other languages are `es` (Español))"
            ),
            "{}",
            o.stderr
        );
    }
    assert!(!p.exists("site/stories/second-story.es.md"));
    p.ok(&["new", "story", "A brand new story", "--lang", "en"]);
    assert!(p.exists("site/stories/a-brand-new-story.md"));
}

/// `lmp check --translations` lists what an editor has still to translate; a language declared
/// without its own `title:`, `description:` or `menu:` shows the default language's on every
/// page, and the check said nothing of it (it named the terms with no name only). Now a warning
/// at the language's entry in config.yaml names them.
#[test]
fn check_translations_names_the_site_words_a_language_does_not_give() {
    let p = with_language("es", "Español", false);
    let o = p.ok(&["check", "--translations"]);
    let line = p
        .read("site/config.yaml")
        .lines()
        .position(|l| l == "  es:")
        .unwrap()
        + 1;
    assert!(
        o.stderr.contains(&format!(
            "site/config.yaml:{line}:3: warning: language `es` has no `title`, `description`, `menu` of its own: its pages show the English one"
        )),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("= help: write `title`, `description`, `menu` in Español under `languages: es:` in config.yaml"),
        "{}",
        o.stderr
    );
    let p = with_language("es", "Español", true);
    let o = p.ok(&["check", "--translations"]);
    assert!(
        o.stderr.contains(
            "warning: language `es` has no `description` of its own: its pages show the English one"
        ),
        "{}",
        o.stderr
    );
}

/// `pages/about.en.md` on an English site: the help said "rename the file to about.md; if
/// about.md is there already …, delete it", leaving the editor to look. lmp looks: with no
/// about.md, rename; with one, this file is a second copy, and renaming would replace it.
#[test]
fn a_file_named_with_the_default_language_is_told_whether_its_document_is_there() {
    let p = with_language("es", "Español", true);
    p.write(
        "site/pages/welcome.en.md",
        "---\ntitle: Welcome\nsummary: Hello.\n---\nText.\n",
    );
    p.write(
        "site/pages/about.en.md",
        "---\ntitle: About\nsummary: Us.\n---\nText.\n",
    );
    let o = p.fails(&["build"]);
    assert!(
        o.stderr.contains(
            "site/pages/welcome.en.md:1:1: error: `en` is the default language: its documents have no language suffix\n  = help: rename the file to welcome.md\n"
        ),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains(
            "site/pages/about.en.md:1:1: error: `en` is the default language: its documents have no language suffix\n  = help: about.md is there already: this file is another copy of that document: compare the two, keep the text you want in about.md, and delete this file (renaming it would replace about.md)\n"
        ),
        "{}",
        o.stderr
    );
}

/// A site's theme string with `{values}` lmp does not fill in (`date_format: "{dia} de {mes}"`,
/// the names translated) was published as it is: every Spanish date read "{dia} de {mes}", with
/// no word. Now it is an error at the value (with the one meant for a typo); one that leaves
/// out a value the text it replaces shows (`date_format: hoy`) is a warning. The same for a
/// language the theme has no words in, against the default language's text.
#[test]
fn a_theme_string_with_values_lmp_does_not_fill_in_is_an_error() {
    let p = with_language("es", "Español", true);
    p.write(
        "site/i18n/es.yaml",
        "by: Por\ndate_format: \"{dia} de {mes}\"\nlist_page_of: \"página {current} de {totl}\"\n",
    );
    let o = p.fails(&["build"]);
    assert!(
        o.stderr.contains("site/i18n/es.yaml:2:15: error: {dia}, {mes} in the theme string `date_format` (es) are not values lmp fills in: they would be shown as they are"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("site/i18n/es.yaml:3:36: error: {totl} in the theme string `list_page_of` (es) is not a value lmp fills in: it would be shown as it is"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("help: lmp fills in {current}, {total} in `list_page_of`, with these names in every language: did you mean `{total}`?"),
        "{}",
        o.stderr
    );
    p.write("site/i18n/es.yaml", "date_format: hoy\n");
    let o = p.ok(&["build"]);
    assert!(
        o.stderr.contains("site/i18n/es.yaml:1:14: warning: the theme string `date_format` (es) leaves out {day}, {month}, {year}: the text it replaces (\"{day} de {month} de {year}\") shows them"),
        "{}",
        o.stderr
    );
    // A language of the site's own: against the default language's words.
    let p = with_language("ar", "العربية", true);
    let ar = p.read("site/i18n/ar.yaml");
    p.write(
        "site/i18n/ar.yaml",
        &ar.replace(
            "date_format: \"{month} {day}, {year}\"",
            "date_format: \"{يوم} {month} {year}\"",
        ),
    );
    assert_ne!(p.read("site/i18n/ar.yaml"), ar);
    let o = p.fails(&["build"]);
    assert!(
        o.stderr
            .contains("{يوم} in the theme string `date_format` (ar) is not a value lmp fills in"),
        "{}",
        o.stderr
    );
}

/// A translation takes its original's topics, regions and other references: a story with no
/// topics warned "add `topics: [...]`" at its translation too (where `topics:` is an error), and
/// an unknown topic or region of the original was told again at the translation's line 1, which
/// does not hold it (and counted twice: "2 references in 2 files use the topic"). Each is told
/// once, at the original's line; a translation's own value, at its own.
#[test]
fn what_a_translation_takes_from_its_original_is_told_at_the_original_only() {
    let p = with_language("es", "Español", true);
    p.write(
        "site/stories/notopic.md",
        "---\ntitle: No topic\nsummary: A story.\ndate: 2020-01-01\n---\nText.\n",
    );
    p.write(
        "site/stories/notopic.es.md",
        "---\ntitle: Sin tema\nsummary: Una historia.\n---\nTexto.\n",
    );
    let o = p.ok(&["build"]);
    assert!(
        o.stderr
            .contains("site/stories/notopic.md:2:8: warning: this story has no topics"),
        "{}",
        o.stderr
    );
    assert!(!o.stderr.contains("notopic.es.md"), "{}", o.stderr);
    p.write(
        "site/stories/notopic.md",
        "---\ntitle: No topic\nsummary: A story.\ndate: 2020-01-01\ntopics: [nope]\nregions: [nowhere]\n---\nText.\n",
    );
    let o = p.fails(&["build"]);
    assert_eq!(
        o.errors(),
        [
            "site/stories/notopic.md:5:9: error: unknown topic `nope`",
            "site/stories/notopic.md:6:10: error: unknown region `nowhere`",
        ],
        "{}",
        o.stderr
    );
}

/// `stories/bundle.es.md` beside `stories/bundle/index.md` (an original in a folder of its own):
/// "stories/bundle.md does not exist, write the original first" sent the editor to write a
/// second English document. It says where the original is and where its translation goes
/// (next to it).
#[test]
fn a_translation_beside_a_folder_document_is_told_to_go_inside_it() {
    let p = with_language("es", "Español", true);
    p.write(
        "site/stories/bundle/index.md",
        "---\ntitle: Bundle\nsummary: A story.\ndate: 2020-01-01\ntopics: [bargaining]\n---\nText.\n",
    );
    p.write(
        "site/stories/bundle.es.md",
        "---\ntitle: Paquete\nsummary: Una historia.\n---\nTexto.\n",
    );
    let o = p.fails(&["build"]);
    assert!(
        o.stderr.contains("= help: its original is stories/bundle/index.md: a translation sits next to its original, in its folder: move this file to stories/bundle/index.es.md"),
        "{}",
        o.stderr
    );
    let text = p.read("site/stories/bundle.es.md");
    p.remove("site/stories/bundle.es.md");
    p.write("site/stories/bundle/index.es.md", &text);
    p.ok(&["build", "--quiet"]);
    assert!(
        p.read("public/es/stories/bundle/index.html")
            .contains("Paquete")
    );
    assert!(
        p.read("public/stories/bundle/index.html")
            .contains("Bundle")
    );
}

/// A document in a folder of its own (`stories/bundle/index.md`, its pictures beside it) is
/// published at its folder's address: it was `/stories/index/`, and a second such folder
/// collided with it. A collection's own `index.md` and other files in a folder keep their names.
#[test]
fn a_document_in_a_folder_of_its_own_is_named_by_its_folder() {
    let p = with_language("es", "Español", true);
    for (folder, title) in [("bundle", "Bundle"), ("other-bundle", "Other")] {
        p.write(
            &format!("site/stories/{folder}/index.md"),
            &format!("---\ntitle: {title}\nsummary: A story.\ndate: 2020-01-01\ntopics: [bargaining]\n---\nText.\n"),
        );
    }
    p.write(
        "site/stories/other-bundle/extra.md",
        "---\ntitle: Extra\nsummary: A story.\ndate: 2020-01-01\ntopics: [bargaining]\n---\nSee [the bundle](../bundle/index.md).\n",
    );
    p.ok(&["build", "--quiet"]);
    assert!(
        p.read("public/stories/bundle/index.html")
            .contains("Bundle")
    );
    assert!(
        p.read("public/stories/other-bundle/index.html")
            .contains("Other")
    );
    let extra = p.read("public/stories/extra/index.html");
    assert!(extra.contains("href=\"/stories/bundle/\""), "{extra}");
    assert!(!p.exists("public/stories/index/index.html"));
}

/// `lmp search --lang ES` was "unknown language `ES`, did you mean `es`?" where `lmp new --lang
/// ES` takes it: a language code is the same in any case (BCP 47). `EN` and `ALL` too.
#[test]
fn search_takes_a_language_code_in_any_case() {
    let p = Project::bilingual();
    p.ok(&["build", "--quiet"]);
    assert_eq!(
        p.search("primera", &["--lang", "ES"]),
        p.search("primera", &["--lang", "es"])
    );
    assert!(
        !p.search("primera", &["--lang", "es"]).is_empty(),
        "the Spanish story is found"
    );
    assert_eq!(
        p.search("huddle", &["--lang", "EN"]),
        p.search("huddle", &["--lang", "en"])
    );
    let o = p.ok(&["search", "first", "--lang", "All"]);
    assert!(o.stdout.contains("English (en)"), "{}", o.stdout);
}

/// Session 23: a translated page whose texts are all left to right (no `rtl_text`) marks the
/// English names standing in on it from `site.lang_attrs` (made once per build) rather than
/// the `lang_attrs` filter: the same attributes, `dir="ltr"` on an Arabic page, `lang="en"`
/// alone on a Spanish one, for its series, author and terms.
#[test]
fn english_names_on_a_page_without_right_to_left_text_are_marked_the_same() {
    for (code, name, dir) in [("ar", "العربية", " dir=\"ltr\""), ("es", "Español", "")] {
        let p = with_language(code, name, false);
        p.write(
            &format!("site/stories/first-story.{code}.md"),
            "---\ntitle: First story, translated\nsummary: A story about a team.\n---\nText.\n",
        );
        p.ok(&["build", "--quiet"]);
        let html = p.read(&format!("public/{code}/stories/first-story/index.html"));
        for want in [
            format!("<p class=\"kicker\"><span lang=\"en\"{dir}>Peer Advice</span></p>"),
            format!("<span class=\"author\" lang=\"en\"{dir}>Pat Example</span>"),
            format!("<a href=\"/regions/hawaii/\" lang=\"en\"{dir}>Hawaii</a>"),
            format!("<a href=\"/{code}/topics/ubt-basics/\" lang=\"en\"{dir}>UBT basics</a>"),
        ] {
            assert!(
                html.contains(&want),
                "{code}: lacks {want}\n{}",
                from(&html, "<body")
            );
        }
    }
}
/// Session 23. An original's `reviewed:` (or `updated:`) in the future (2099 typed for 2026)
/// marked its translation outdated until that day, with "set `reviewed:` to today's date", which
/// could not help; the date itself was not warned. Now it is warned, at its line, in any
/// document; and `lmp check --translations` leaves it out: the translation is not outdated
/// because of it (a translation's own future date no longer hides that it is, either).
#[test]
fn a_review_date_in_the_future_is_warned_and_does_not_make_a_translation_outdated() {
    let p = Project::bilingual();
    let en = p.read("site/stories/first-story.md");
    p.write(
        "site/stories/first-story.md",
        &en.replacen("title:", "reviewed: 2099-03-01\ntitle:", 1),
    );
    p.write(
        "site/stories/first-story.es.md",
        &p.read("site/stories/first-story.es.md").replacen(
            "title:",
            "reviewed: 2020-05-01\ntitle:",
            1,
        ),
    );
    let o = p.ok(&["check", "--translations"]);
    assert!(
        o.stderr.contains("site/stories/first-story.md:2:11: warning: `reviewed: 2099-03-01` is in the future (today is "),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains("): a page cannot have been checked on a day that has not come"),
        "{}",
        o.stderr
    );
    assert!(
        !o.stderr.contains("older than its original"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains(" documents translated, 0 outdated"),
        "{}",
        o.stderr
    );
    // The build says it too (not only the check of translations); `updated:` as well.
    p.write(
        "site/stories/first-story.md",
        &en.replacen("title:", "updated: 2099-03-01\ntitle:", 1),
    );
    let o = p.ok(&["build"]);
    assert!(
        o.stderr.contains("site/stories/first-story.md:2:10: warning: `updated: 2099-03-01` is in the future (today is "),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains("a page cannot have been changed on a day that has not come"),
        "{}",
        o.stderr
    );
    // A real change after the translation's review still makes it outdated; the
    // translation's own future date does not hide it (and is warned at its own line).
    p.write(
        "site/stories/first-story.md",
        &en.replacen("title:", "updated: 2021-03-01\ntitle:", 1),
    );
    p.write(
        "site/stories/first-story.es.md",
        &p.read("site/stories/first-story.es.md").replace(
            "reviewed: 2020-05-01",
            "reviewed: 2099-05-01\nupdated: 2020-05-01",
        ),
    );
    let o = p.ok(&["check", "--translations"]);
    assert!(
        o.stderr.contains(
            "site/stories/first-story.es.md:2:11: warning: `reviewed: 2099-05-01` is in the future"
        ),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("warning: this translation (2020-05-01) is older than its original, updated or reviewed 2021-03-01"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains(" documents translated, 1 outdated"),
        "{}",
        o.stderr
    );
}

/// Session 23: `prefix: ""` was said as "the prefix `` of language `es` is not one folder like
/// `/es/`", and `prefix: /` as "the prefix `/` …": said in words now.
#[test]
fn an_empty_or_top_folder_prefix_is_said_in_words() {
    for (prefix, said) in [
        (
            "\"\"",
            "error: the prefix of language `es` is empty: its pages need a folder of their own",
        ),
        (
            "/",
            "error: the prefix `/` of language `es` is the site's top folder, where the English pages are: its pages need a folder of their own",
        ),
    ] {
        let p = Project::fixture("basic");
        p.append(
            "site/config.yaml",
            &format!("languages:\n  en: {{name: English}}\n  es:\n    name: Español\n    prefix: {prefix}\n"),
        );
        let o = p.fails(&["build"]);
        assert!(o.stderr.contains(said), "{}", o.stderr);
        assert!(
            o.stderr
                .contains("help: write `prefix: /es/` or leave it out"),
            "{}",
            o.stderr
        );
        assert!(!o.stderr.contains("``"), "{}", o.stderr);
    }
}

/// Session 23 (left by session 22): a site address in a translation (`[guía](/guides/huddle/)`,
/// as copied from the original) led to the English page without a word, though
/// `/es/guides/huddle/` exists. The address stays as written (a site address names its page; a
/// `.md` link follows the page's language), and a warning at the link names both ways to link
/// the Spanish page. None for a page with no Spanish version, an address of the page's own
/// language, a file, or the same address in the English original.
#[test]
fn a_site_address_in_a_translation_with_a_version_in_its_language_is_warned() {
    let p = Project::bilingual();
    p.write(
        "site/guides/huddle.es.md",
        "---\ntitle: Cómo hacer una reunión breve\nsummary: Diez minutos, de pie.\n---\n## Reúna al equipo {#step-1}\n\nTodos.\n\n## Revise el tablero {#step-2}\n\nLas medidas.\n",
    );
    p.write(
        "site/stories/first-story.es.md",
        "---\ntitle: La primera historia\nsummary: Una historia sobre un equipo.\n---\nLea [la guía](/guides/huddle/#step-2), [la otra](/guides/huddle)\ny [la segunda](/stories/second-story/), [esta](/es/stories/first-story/), [la lista](/files/huddle-checklist.txt)\ny [la vieja](/old/first-story/).\n",
    );
    let about = p.read("site/pages/about.md");
    p.write(
        "site/pages/about.md",
        &format!("{about}\nRead [the guide](/guides/huddle/).\n"),
    );
    let o = p.ok(&["build"]);
    assert!(
        o.stderr.contains("site/stories/first-story.es.md:5:5: warning: link to /guides/huddle/#step-2: it leads to the page in English, and that page has a version in Español (/es/guides/huddle/#step-2)"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("= help: link `../guides/huddle.md#step-2` (a link to the .md file leads to the page in the language of the page it is on) or `/es/guides/huddle/#step-2`"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("site/stories/first-story.es.md:5:40: warning: link to /guides/huddle: it leads to the page in English"),
        "{}",
        o.stderr
    );
    // An alias of a page with a Spanish version: the same.
    assert!(
        o.stderr.contains("site/stories/first-story.es.md:7:3: warning: link to /old/first-story/: it leads to the page in English, and that page has a version in Español (/es/stories/first-story/)"),
        "{}",
        o.stderr
    );
    assert_eq!(
        o.stderr.matches("it leads to the page in English").count(),
        3,
        "{}",
        o.stderr
    );
    // The address is kept as written, and says its language.
    let es = p.read("public/es/stories/first-story/index.html");
    assert!(
        es.contains(r#"<a href="/guides/huddle/#step-2" hreflang="en">la guía</a>"#),
        "{es}"
    );
    // Linked the way the help says, quiet.
    p.write(
        "site/stories/first-story.es.md",
        "---\ntitle: La primera historia\nsummary: Una historia sobre un equipo.\n---\nLea [la guía](../guides/huddle.md#step-2) y [la otra](/es/guides/huddle/).\n",
    );
    let o = p.ok(&["build"]);
    assert!(!o.stderr.contains("it leads to the"), "{}", o.stderr);
}

/// Session 24 (left by session 23): the warning above could not be silenced, so a Spanish page
/// that sends readers to the English original on purpose ("lea el original en inglés") kept a
/// build from ever being warning-free. The English page is linked on purpose by its file named
/// with its language, `huddle.en.md` (as its translation is `huddle.es.md`): it leads to the
/// English page in every language, marked `hreflang="en"`, without a warning; the warning's help
/// names it. The same address written as a site address is still warned, and a `.en.md` link to
/// a file that is not there, or to a heading the English page does not have, is still an error.
#[test]
fn a_link_to_the_file_named_with_the_default_language_leads_to_it_on_purpose() {
    let p = Project::bilingual();
    p.write(
        "site/guides/huddle.es.md",
        "---\ntitle: Cómo hacer una reunión breve\nsummary: Diez minutos, de pie.\n---\n## Reúna al equipo {#step-1}\n\nTodos.\n\n## Revise el tablero {#step-2}\n\nLas medidas.\n",
    );
    p.write(
        "site/stories/first-story.es.md",
        "---\ntitle: La primera historia\nsummary: Una historia sobre un equipo.\n---\nLea [la guía](/guides/huddle/#step-2).\n\nLea [el original en inglés](../guides/huddle.en.md#step-2) o [la otra](../guides/huddle.en.md).\n",
    );
    let about = p.read("site/pages/about.md");
    p.write(
        "site/pages/about.md",
        &format!("{about}\nRead [the guide](../guides/huddle.en.md).\n"),
    );
    let o = p.ok(&["build"]);
    // The accidental one: warned, and told how to say it is on purpose.
    assert!(
        o.stderr.contains("site/stories/first-story.es.md:5:5: warning: link to /guides/huddle/#step-2: it leads to the page in English"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("to send readers to the page in English on purpose, link `../guides/huddle.en.md#step-2` (the file named with its language: no warning)"),
        "{}",
        o.stderr
    );
    assert_eq!(
        o.stderr.matches("warning:").count(),
        1,
        "only the site address is warned: {}",
        o.stderr
    );
    let es = p.read("public/es/stories/first-story/index.html");
    assert!(
        es.contains(r#"<a href="/guides/huddle/#step-2" hreflang="en">el original en inglés</a>"#),
        "{es}"
    );
    assert!(
        es.contains(r#"<a href="/guides/huddle/" hreflang="en">la otra</a>"#),
        "{es}"
    );
    // On an English page it is the page itself, as `huddle.md` is.
    let about = p.read("public/about/index.html");
    assert!(
        about.contains(r#"<a href="/guides/huddle/">the guide</a>"#),
        "{about}"
    );
    // Still checked as any link to a file.
    p.write(
        "site/stories/first-story.es.md",
        "---\ntitle: La primera historia\nsummary: Una historia sobre un equipo.\n---\nLea [el original](../guides/huddle.en.md#paso-2) y [otra](../guides/hudle.en.md).\n",
    );
    let o = p.fails(&["build"]);
    assert!(
        o.stderr.contains("site/stories/first-story.es.md:5:5: error: link to ../guides/huddle.en.md#paso-2: there is no heading `#paso-2` in that document"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains("error: broken link: ../guides/hudle.en.md does not exist"),
        "{}",
        o.stderr
    );
}

/// Session 23 (left by session 22): the regions chart's bars grew from the left on a
/// right-to-left page, against its text. On an Arabic page each bar starts at the right
/// (`x` = 100 % − its share); an English page's are drawn as before.
#[test]
fn the_chart_bars_grow_from_the_right_on_a_right_to_left_page() {
    let p = with_language("ar", "العربية", true);
    p.ok(&["build", "--quiet"]);
    let ar = p.read("public/ar/index.html");
    let chart = from(&ar, "<div class=\"share-chart\"");
    // Colorado: 73 % of its teams.
    assert!(
        chart.contains("<rect x=\"27%\" width=\"73%\" height=\"14\" rx=\"2\"></rect>"),
        "{chart}"
    );
    let total = from(chart, "bar-total");
    assert!(total.contains("<rect x=\""), "{total}");
    let en = p.read("public/index.html");
    let chart = from(&en, "<div class=\"share-chart\"");
    assert!(
        chart.contains("<rect width=\"73%\" height=\"14\" rx=\"2\"></rect>"),
        "{chart}"
    );
    assert!(!chart.contains(" x=\""), "{chart}");
}

/// Session 23, the sample site read as a Spanish-first reader: a link from a Spanish page to a
/// page that is only in English was not always said to be (docs/translations.md: "say so: (en
/// inglés)"); 16 such links in 5 pages (the guides' tools, "nuestra historia", the contact
/// page's regions) led to English pages without a word a sighted reader sees (`hreflang` is for
/// browsers and screen readers). Every one is said now: in its paragraph or table, or in the
/// one before or after it.
#[test]
fn the_sample_sites_spanish_pages_say_which_links_lead_to_english() {
    let site = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("site");
    let mut files = Vec::new();
    let mut dirs = vec![site.clone()];
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.to_string_lossy().ends_with(".es.md") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() >= 10, "{files:?}");
    let mut unsaid = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let blocks: Vec<&str> = text.split("\n\n").collect();
        for (b, block) in blocks.iter().enumerate() {
            for (i, _) in block.match_indices("](") {
                let rest = &block[i + 2..];
                let Some(end) = rest.find(')') else { continue };
                let dest = rest[..end].split('#').next().unwrap();
                if !dest.ends_with(".md") || dest.contains("://") {
                    continue;
                }
                // `x.en.md`: the English page on purpose (session 24), said as any other.
                let pinned = dest.strip_suffix(".en.md").map(|stem| format!("{stem}.md"));
                let target = file
                    .parent()
                    .unwrap()
                    .join(pinned.as_deref().unwrap_or(dest));
                let spanish = target.with_extension("es.md");
                if spanish.exists() && pinned.is_none() {
                    continue;
                }
                assert!(target.exists(), "{}: {dest}", file.display());
                let near = [b.checked_sub(1), Some(b), Some(b + 1)]
                    .into_iter()
                    .flatten()
                    .filter_map(|k| blocks.get(k))
                    .any(|k| k.contains("inglés"));
                if !near {
                    unsaid.push(format!(
                        "{}: {dest}",
                        file.strip_prefix(&site).unwrap().display()
                    ));
                }
            }
        }
    }
    assert!(
        unsaid.is_empty(),
        "links to English-only pages not said to be: {unsaid:#?}"
    );
}

/// Session 23: the Spanish regions table and chart listed the regions in the order of their
/// English names ("Colorado, Georgia, Hawái, Estados del Atlántico Medio, Funciones nacionales,
/// Norte de California…" on the sample site), where a reader looks for theirs alphabetically.
/// In Spanish they are in the order of their Spanish names, an accent read as its letter
/// (`Área` with `A`); the English page's order is as before.
#[test]
fn regions_are_listed_in_the_order_of_their_names_in_the_pages_language() {
    let p = Project::bilingual();
    p.append(
        "site/config.yaml",
        "    terms:\n      regions: {hawaii: Hawái, washington: Área de Puget Sound}\n",
    );
    p.ok(&["build", "--quiet"]);
    let order = |html: &str, names: &[&str]| -> Vec<usize> {
        let body = from(html, "<main");
        names
            .iter()
            .map(|n| body.find(n).unwrap_or(usize::MAX))
            .collect()
    };
    let es = p.read("public/es/regions/index.html");
    let at = order(&es, &[">Área de Puget Sound<", ">Colorado<", ">Hawái<"]);
    assert!(
        at[0] < at[1] && at[1] < at[2],
        "{at:?}\n{}",
        from(&es, "<main")
    );
    let en = p.read("public/regions/index.html");
    let at = order(&en, &[">Colorado<", ">Hawaii<", ">Washington<"]);
    assert!(
        at[0] < at[1] && at[1] < at[2],
        "{at:?}\n{}",
        from(&en, "<main")
    );
}

/// Session 24, a translation whose front matter tries to change a figure: a region whose
/// original gives `members` and no `members_display` had its Spanish page's own
/// `members_display: 259.000` published on the region page and the regions table, beside the
/// English "258,000". It is an error at the value now; the same figure written the Spanish
/// way (`258.000`, `258 mil`) is not.
#[test]
fn a_translations_members_in_words_must_be_the_originals_members() {
    let p = Project::bilingual();
    p.write(
        "site/regions/hawaii.es.md",
        "---\ntitle: Hawái\nsummary: Las islas.\nmembers_display: más de 259.000\n---\nLos equipos de las islas.\n",
    );
    let o = p.fails(&["build"]);
    assert!(
        o.stderr.contains("site/regions/hawaii.es.md:4:18: error: `members_display` gives another figure than the original's `members` (258000 in site/regions/hawaii.md)"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("help: remove `members_display:` (the page writes the original's `members` the way of its language)"),
        "{}",
        o.stderr
    );
    assert!(!p.exists("public/es/regions/hawaii/index.html"));
    for fine in ["258.000", "unos 258 mil"] {
        p.write(
            "site/regions/hawaii.es.md",
            &format!("---\ntitle: Hawái\nsummary: Las islas.\nmembers_display: {fine}\n---\nLos equipos de las islas.\n"),
        );
        p.ok(&["build"]);
        assert!(
            p.read("public/es/regions/hawaii/index.html").contains(fine),
            "{fine}"
        );
    }
}

/// Session 24: two Spanish pages with the same address (`slug: mi-historia` on both, or a
/// `slug:` that is another translation's address from its file name) were told to "give one of
/// them a different file name", which makes a translation the translation of nothing. The
/// help names the `slug:` of the translation.
#[test]
fn two_translations_at_one_address_are_told_to_change_the_slug() {
    let p = Project::bilingual();
    p.write(
        "site/stories/second-story.es.md",
        "---\ntitle: La segunda historia\nsummary: Otra historia.\nslug: first-story\n---\nOtro equipo.\n",
    );
    let o = p.fails(&["build"]);
    assert!(
        o.stderr.contains("site/stories/second-story.es.md:4:7: error: duplicate slug `first-story`: site/stories/first-story.es.md has it too"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("help: give this `es` translation another `slug:` (its file name must stay its original's, with `.es` before `.md`)"),
        "{}",
        o.stderr
    );
    assert!(!o.stderr.contains("different file name"), "{}", o.stderr);
}

/// Session 24, `lmp new … --lang es` as a translator uses it: the English headings were copied
/// without their ids, which come from their words, so translating "## Plan the test" made its id
/// `planifique-la-prueba`, and a Spanish page's link to `steps.md#plan-the-test` an error. The
/// new translation writes each heading's id out (`{#plan-the-test}`; a second heading of the same
/// words `{#plan-the-test-1}`, as the page has it), keeps an id written already, and leaves a
/// `#` line in fenced code alone: the translated headings keep the original's ids.
#[test]
fn a_new_translation_keeps_the_headings_ids_when_they_are_translated() {
    let p = Project::bilingual();
    p.write(
        "site/stories/steps.md",
        "---\ntitle: Steps\ndate: 2020-01-01\nsummary: The steps of a test.\n---\nIntro.\n\n## Plan the test\n\nText.\n\n```text\n# not a heading\n```\n\n## Plan the test\n\nAgain.\n\n### Do it {#do}\n\nDone.\n",
    );
    p.ok(&["new", "story", "steps", "--lang", "es"]);
    let es = p.read("site/stories/steps.es.md");
    for line in [
        "\n## Plan the test {#plan-the-test}\n",
        "\n## Plan the test {#plan-the-test-1}\n",
        "\n### Do it {#do}\n",
        "\n# not a heading\n",
    ] {
        assert_eq!(es.matches(line).count(), 1, "{line:?} in {es}");
    }
    assert!(es.contains("keep each heading's `{#…}`"), "{es}");
    // Translated, its headings keep the ids a Spanish page links to.
    let translated = es
        .replace("title: Steps", "title: Los pasos")
        .replace(
            "summary: The steps of a test.",
            "summary: Los pasos de una prueba.",
        )
        .replace("draft: true\n", "")
        .replace("Plan the test {#", "Planifique la prueba {#")
        .replace("Do it {#", "Hágala {#");
    p.write("site/stories/steps.es.md", &translated);
    p.write(
        "site/stories/first-story.es.md",
        "---\ntitle: La primera historia\nsummary: Una historia sobre un equipo.\n---\nVea [el plan](steps.md#plan-the-test) y [otra vez](steps.md#plan-the-test-1).\n",
    );
    p.ok(&["build"]);
    let page = p.read("public/es/stories/steps/index.html");
    assert!(page.contains(r#"id="plan-the-test-1""#), "{page}");
}

/// Session 24: an original renamed to a near name (`first-story.md` → `first-steps.md`) leaves
/// its translation the translation of nothing: an error at it that names the file to rename it
/// to (it said "name the file like its original", a rule to work out).
#[test]
fn a_translation_of_a_renamed_original_is_told_its_new_name() {
    let p = Project::bilingual();
    let original = p.read("site/stories/first-story.md");
    p.remove("site/stories/first-story.md");
    p.write("site/stories/first-steps.md", &original);
    let o = p.fails(&["build"]);
    assert!(
        o.stderr.contains("site/stories/first-story.es.md:1:1: error: this is a translation (`es`) of stories/first-story.md, which does not exist"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("help: did you mean a translation of stories/first-steps.md? Rename this file to first-steps.es.md"),
        "{}",
        o.stderr
    );
}
