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
