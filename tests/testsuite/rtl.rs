//! Right-to-left text (Hebrew, Arabic) on pages of a left-to-right language, and sites with a
//! right-to-left language: where the theme marks the direction, and that a page without such
//! text is written as it was.

use crate::harness::Project;

/// The part of `page` from `start` on (for a message that shows where a check looked).
fn from<'a>(page: &'a str, start: &str) -> &'a str {
    page.find(start).map_or(page, |i| &page[i..])
}

/// Session 21: the theme calls `dir_auto` only on a page whose `rtl_text` is true (lmp tells it
/// from the titles, names and headings the page shows, once per page, and once per build for a
/// card or a term). Each value the theme marks, alone right-to-left on its page, still gets
/// `dir="auto"` there: a value `rtl_text` did not look at would lose it.
#[test]
fn each_marked_value_alone_makes_its_page_show_right_to_left_text() {
    struct Case {
        what: &'static str,
        edit: fn(&Project),
        page: &'static str,
        want: &'static str,
    }
    let cases = [
        Case {
            what: "a contents entry",
            edit: |p| {
                p.append(
                    "site/stories/first-story.md",
                    "\n## ما فعلوه بعد ذلك\n\nThey kept going.\n",
                );
            },
            page: "public/stories/first-story/index.html",
            want: " dir=\"auto\">ما فعلوه بعد ذلك</a></li>",
        },
        Case {
            what: "a story's video",
            edit: |p| {
                let v = p.read("site/videos/basics-video.md");
                p.write(
                    "site/videos/basics-video.md",
                    &v.replace("title: UBT basics", "title: \"أساسيات الفرق\""),
                );
            },
            page: "public/stories/first-story/index.html",
            want: " dir=\"auto\">أساسيات الفرق</a>",
        },
        Case {
            what: "the site's title",
            edit: |p| {
                let c = p.read("site/config.yaml");
                p.write(
                    "site/config.yaml",
                    &c.replace("title: Fixture Partnership", "title: \"שותפות הבדיקה\""),
                );
            },
            page: "public/stories/second-story/index.html",
            want: "<span class=\"site-name\" dir=\"auto\">שותפות הבדיקה</span>",
        },
        Case {
            what: "a region's row on the home page",
            edit: |p| {
                let r = p.read("site/regions/hawaii.md");
                p.write(
                    "site/regions/hawaii.md",
                    &r.replace("title: Hawaii", "title: \"הוואי\""),
                );
            },
            page: "public/index.html",
            want: " dir=\"auto\">הוואי</a></li>",
        },
        Case {
            what: "a term on a document and on its taxonomy's page",
            edit: |p| {
                let c = p.read("site/config.yaml");
                p.write(
                    "site/config.yaml",
                    &c.replace("name: Bargaining}", "name: \"مفاوضة\"}"),
                );
            },
            page: "public/stories/second-story/index.html",
            want: " dir=\"auto\">مفاوضة</a></li>",
        },
        Case {
            what: "a term on its taxonomy's page",
            edit: |p| {
                let c = p.read("site/config.yaml");
                p.write(
                    "site/config.yaml",
                    &c.replace("name: Bargaining}", "name: \"مفاوضة\"}"),
                );
            },
            page: "public/topics/index.html",
            want: " dir=\"auto\">مفاوضة</a> <span class=\"count\">",
        },
    ];
    let mut missing = Vec::new();
    for c in cases {
        let p = Project::fixture("basic");
        (c.edit)(&p);
        p.ok(&["build"]);
        let page = p.read(c.page);
        if !page.contains(c.want) {
            missing.push(format!(
                "{}: {} lacks {}\n{}",
                c.what,
                c.page,
                c.want,
                from(&page, "<body")
            ));
        }
        // The page about nothing right-to-left is written as before.
        let about = p.read("public/about/index.html");
        if c.what != "the site's title" {
            assert!(!about.contains(" dir="), "{}: {about}", c.what);
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n\n"));
}

/// Session 21: a paragraph (a quoted one too), heading, list item or table cell of a body whose text
/// starts in Arabic or Hebrew (a member's words quoted in an English story) gets `dir="auto"`,
/// so that its punctuation lands at its end, on the left; a block that starts in English, or
/// holds such a word further on, is written as before. A summary in markdown that starts in
/// Arabic is still one paragraph, the theme's (no `<p>` in a `<p>`). The page is one of the
/// hostile fixture's, which the validator and axe check in CI.
#[test]
fn body_blocks_that_start_right_to_left_are_laid_out_in_their_direction() {
    let p = Project::fixture("hostile-html");
    p.ok(&["build", "--quiet"]);
    let page = p.read("public/h21/index.html");
    let body = from(&page, "<div class=\"prose\">");
    for want in [
        "<p>The team asked members",
        "<p dir=\"auto\">قال أحد الأعضاء: «الشراكة تعني أن صوتي مسموع»!</p>",
        " dir=\"auto\">כותרת בעברית: מה למדנו?</h2>",
        "<p>A paragraph in English that quotes «مرحبا» in the middle",
        "<p dir=\"auto\">2024: عام الفرق!</p>",
        "<blockquote>\n<p dir=\"auto\">العمل معاً يجعلنا أقوى.</p>\n<p>A member in Oakland",
        "<li>English item</li>",
        "<li dir=\"auto\">بند باللغة العربية.</li>",
        "<li dir=\"auto\">פריט בעברית!</li>",
        "<li><p>First loose item.</p>",
        "<li><p dir=\"auto\">البند الثاني.</p>",
        "<th>Language</th>",
        "<td>Arabic</td>",
        "<td dir=\"auto\">مرحبا!</td>",
        "<td dir=\"auto\">עברית</td>",
        "<li><blockquote>\n<p dir=\"auto\">ציטוט בתוך רשימה.</p>",
        "<li dir=\"auto\">עם רשימה בפנים:<ul>\n<li dir=\"auto\">An English item inside.</li>",
    ] {
        assert!(body.contains(want), "{want}\n{body}");
    }
    assert!(
        page.contains("<p class=\"lede\" dir=\"auto\">اقتباس من عضو: <em>شكراً</em> للفريق.</p>"),
        "{page}"
    );
    // A paragraph whose first word is raw HTML with its own direction is left to it.
    let es = p.read("public/es/h01/index.html");
    assert!(
        es.contains("<p><span dir=\"rtl\" lang=\"he\">עברית</span> Pneumono"),
        "{es}"
    );
}

/// A site with Arabic beside English (`languages: ar:`), its theme words in `site/i18n/ar.yaml`.
fn with_arabic() -> Project {
    let p = Project::fixture("basic");
    p.append(
        "site/config.yaml",
        "languages:\n  en: {name: English}\n  ar:\n    name: العربية\n    title: شراكة الاختبار\n    description: موقع صغير.\n    menu:\n      - {name: القصص, url: /stories/}\n",
    );
    p.write(
        "site/stories/first-story.ar.md",
        "---\ntitle: القصة الأولى\nsummary: قصة عن فريق.\n---\nتعلم فريق في هاواي كيف يجتمع.\n",
    );
    let en = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/lmp/i18n/en.yaml"),
    )
    .unwrap();
    p.write("site/i18n/ar.yaml", &en);
    p
}

/// Session 21: a language written right to left declared in config.yaml gets pages that read
/// from the right: `<html lang="ar" dir="rtl">`; the language switch marks a link whose name
/// reads the other way than its page (`dir="rtl"` on "العربية" from an English page, `dir="ltr"`
/// on "English" from an Arabic one); the list's "newer"/"older" arrows point to the page's start
/// and end (→ newer, older ←). English pages are written as before.
#[test]
fn a_right_to_left_language_reads_from_the_right() {
    let p = with_arabic();
    p.ok(&["build"]);
    let ar = p.read("public/ar/stories/first-story/index.html");
    assert!(
        ar.starts_with("<!doctype html>\n<html lang=\"ar\" dir=\"rtl\" data-base=\"/\">"),
        "{ar}"
    );
    assert!(
        ar.contains("hreflang=\"en\" lang=\"en\" dir=\"ltr\" rel=\"alternate\">English</a>"),
        "{}",
        from(&ar, "<nav class=\"lang-switch")
    );
    // Its video, not translated, reads left to right.
    assert!(
        ar.contains(
            "<p lang=\"en\" dir=\"ltr\"><a href=\"/videos/basics-video/\" hreflang=\"en\">"
        ),
        "{}",
        from(&ar, "<main")
    );
    let en = p.read("public/stories/first-story/index.html");
    assert!(
        en.starts_with("<!doctype html>\n<html lang=\"en\" data-base=\"/\">"),
        "{en}"
    );
    assert!(
        en.contains("hreflang=\"ar\" lang=\"ar\" dir=\"rtl\" rel=\"alternate\">العربية</a>"),
        "{}",
        from(&en, "<nav class=\"lang-switch")
    );
    let list = p.read("public/ar/stories/index.html");
    // A story shown untranslated reads left to right, its label and date (in Arabic) from the
    // right.
    assert!(
        list.contains("<article class=\"card card-stories\" lang=\"en\" dir=\"ltr\">"),
        "{}",
        from(&list, "<main")
    );
    assert!(
        list.contains("<p class=\"card-meta\" lang=\"ar\" dir=\"rtl\">"),
        "{}",
        from(&list, "<main")
    );
    assert!(
        list.contains(" &larr;</a></li>"),
        "{}",
        from(&list, "<nav class=\"pagination")
    );
    assert!(
        !list.contains("&rarr;"),
        "{}",
        from(&list, "<nav class=\"pagination")
    );
    let second = p.read("public/ar/stories/page/2/index.html");
    assert!(
        second.contains("rel=\"prev\">&rarr; "),
        "{}",
        from(&second, "<nav class=\"pagination")
    );
    let en_list = p.read("public/stories/index.html");
    assert!(en_list.contains(" &rarr;</a></li>"), "{en_list}");
    // Its one `dir`: the switch's link to the Arabic list.
    assert_eq!(en_list.matches(" dir=").count(), 1, "{en_list}");
}

/// Session 21: the theme's stylesheets place things by the page's start and end (CSS logical
/// properties: `margin-inline-start`, `border-inline-start`, `text-align: start`), so that a
/// right-to-left page is the mirror of a left-to-right one (a quote's bar, the contents' indent,
/// a table's first column on the right). `left`/`right` is left only where both sides are equal.
#[test]
fn the_themes_stylesheets_place_things_by_start_and_end() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/lmp/static");
    let mut found = Vec::new();
    for css in ["css/lmp.css", "search/search.css"] {
        let text = std::fs::read_to_string(root.join(css)).unwrap();
        for (n, line) in text.lines().enumerate() {
            let physical = [
                "margin-left",
                "margin-right",
                "padding-left",
                "padding-right",
                "border-left",
                "border-right",
                "text-align: left",
                "text-align: right",
                "float: left",
                "float: right",
            ]
            .iter()
            .any(|p| line.contains(p));
            let offset = line.contains(" left:") != line.contains(" right:");
            if physical || offset {
                found.push(format!("{css}:{}: {line}", n + 1));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}
