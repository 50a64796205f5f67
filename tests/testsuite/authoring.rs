//! What authors write in markdown beyond CommonMark, through the real binary: GitHub alerts, raw
//! HTML sanitised by default (warnings at file:line:col; `markdown.unsafe_html` turns it off),
//! `<img>` alt checks.

use crate::harness::Project;

const STORY_HEAD: &str =
    "---\ntitle: Raw HTML\ndate: 2020-02-02\nsummary: Raw HTML in a story.\n---\n";

#[test]
fn alerts_render_as_labelled_callouts() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/alert.md",
        &format!("{STORY_HEAD}Intro.\n\n> [!WARNING]\n> Do not share patient details.\n"),
    );
    p.ok(&["build", "--quiet"]);
    let html = p.read("public/stories/alert/index.html");
    assert!(
        html.contains("<aside class=\"callout callout-warning\" aria-label=\"Warning\">\n<p class=\"callout-title\">Warning</p>\n<p>Do not share patient details.</p>\n</aside>"),
        "{html}"
    );
    assert!(!html.contains("[!WARNING]"), "{html}");
}

#[test]
fn unsafe_raw_html_is_removed_with_a_located_warning() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/raw.md",
        &format!(
            "{STORY_HEAD}Intro.\n\n<script>alert('x')</script>\n\nClick <a href=\"javascript:alert(1)\" onclick=\"steal()\">here</a>.\n"
        ),
    );
    let o = p.ok(&["build"]);
    let html = p.read("public/stories/raw/index.html");
    let body = html.split("<main").nth(1).unwrap_or_default();
    assert!(!body.contains("alert("), "{body}");
    assert!(!body.contains("onclick"), "{body}");
    assert!(body.contains("Click <a>here</a>."), "{body}");
    // Lines: 5 front matter lines, then "Intro." on line 6, the script on line 8, the link on 10.
    for expected in [
        "site/stories/raw.md:8:1: warning: raw HTML: removed the <script> element (and its content)",
        "site/stories/raw.md:10:7: warning: raw HTML: removed the `href` with a `javascript:` URL on <a>",
        "site/stories/raw.md:10:7: warning: raw HTML: removed the event handler `onclick` on <a>",
    ] {
        assert!(
            o.stderr.contains(expected),
            "missing {expected:?} in\n{}",
            o.stderr
        );
    }
}

#[test]
fn unsafe_html_in_config_keeps_raw_html() {
    let p = Project::fixture("basic");
    let cfg = p.read("site/config.yaml");
    p.write(
        "site/config.yaml",
        &format!("{cfg}markdown:\n  unsafe_html: true\n"),
    );
    p.write(
        "site/stories/raw.md",
        &format!("{STORY_HEAD}<script>console.log('kept')</script>\n"),
    );
    let o = p.ok(&["build"]);
    assert!(!o.stderr.contains("raw HTML"), "{}", o.stderr);
    let html = p.read("public/stories/raw/index.html");
    assert!(
        html.contains("<script>console.log('kept')</script>"),
        "{html}"
    );
    // A typo in the option is an error with a suggestion.
    p.write(
        "site/config.yaml",
        &format!("{cfg}markdown:\n  unsafe_htm: true\n"),
    );
    let o = p.fails(&["build"]);
    assert!(
        o.stderr.contains("unknown key `unsafe_htm` in `markdown`"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("did you mean `unsafe_html`?"),
        "{}",
        o.stderr
    );
}

/// QA Q121: `markdown.unsafe_html: true` keeps raw HTML as written, but not the checks every
/// image gets: a raw `<img>` without `alt` is still an error at its line and column, and a
/// missing `src` file is still a missing file there; the previous public/ is left as it was.
#[test]
fn unsafe_html_keeps_the_alt_and_file_checks_of_raw_images() {
    let p = Project::fixture("basic");
    let cfg = p.read("site/config.yaml");
    p.write(
        "site/config.yaml",
        &format!("{cfg}markdown:\n  unsafe_html: true\n"),
    );
    p.write(
        "site/stories/raw.md",
        &format!(
            "{STORY_HEAD}<div class=\"chart\">\n<img src=\"/images/wait-chart.png\">\n</div>\n\nThe logo <img src=\"/files/huddle-checklist.txt\" width=\"20\"> here.\n"
        ),
    );
    std::fs::create_dir_all(p.path("public")).unwrap();
    p.write("public/keep.txt", "previous build");
    for cmd in ["check", "build"] {
        let o = p.fails(&[cmd]);
        let e = &o.stderr;
        for want in [
            "site/stories/raw.md:7:1: error: image in raw HTML without alt text",
            "site/stories/raw.md:7:11: error: missing file: /images/wait-chart.png is not a page or file of this site",
            "site/stories/raw.md:10:10: error: image in raw HTML without alt text",
        ] {
            assert!(e.contains(want), "{cmd}: missing {want:?} in\n{e}");
        }
        assert!(e.contains("add alt=\""), "{e}");
        assert_eq!(o.errors().len(), 3, "{cmd}:\n{e}");
    }
    assert_eq!(p.read("public/keep.txt"), "previous build");
}

#[test]
fn raw_img_without_alt_fails_the_build() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/raw.md",
        &format!("{STORY_HEAD}Chart:\n\n<img src=\"/files/chart.png\">\n"),
    );
    let o = p.fails(&["build"]);
    assert!(
        o.stderr
            .contains("site/stories/raw.md:8:1: error: image in raw HTML without alt text"),
        "{}",
        o.stderr
    );
}

const EVERY_COMPONENT: &str = r#"Intro.

```{figure}
src: /images/clipboard.svg
alt: A checklist on a clipboard
caption: The zebrafish huddle checklist.
credit: Photo by the Hawaii team
```

```{details}
summary: How are shares computed?

High-performing teams divided by **all teams**, see [the guide](../guides/huddle.md).
```

```{quote}
by: Jane Doe
role: UBT co-lead

We fixed it *together*.
```

```{download}
file: /files/huddle-checklist.txt
label: Download the checklist
```

```{figures}
region: hawaii
```

```{figures}
region: national
```

```{video}
src: https://www.youtube.com/watch?v=abc123DEF45
title: UBT basics
duration: 3 minutes
```
"#;

#[test]
fn every_component_renders_from_its_theme_template() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/components.md",
        &format!("{STORY_HEAD}{EVERY_COMPONENT}"),
    );
    p.write(
        "site/static/images/clipboard.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"480\"><rect width=\"640\" height=\"480\"/></svg>",
    );
    p.ok(&["build", "--quiet"]);
    let html = p.read("public/stories/components/index.html");
    for expected in [
        "<img src=\"/images/clipboard.svg\" width=\"640\" height=\"480\" alt=\"A checklist on a clipboard\" loading=\"lazy\" decoding=\"async\">",
        "<figcaption>The zebrafish huddle checklist. <span class=\"credit\">Photo by the Hawaii team</span></figcaption>",
        "<summary>How are shares computed?</summary>",
        "<p>High-performing teams divided by <strong>all teams</strong>, see <a href=\"/guides/huddle/\">the guide</a>.</p>",
        "<p>We fixed it <em>together</em>.</p>",
        "<figcaption>— Jane Doe, <span class=\"role\">UBT co-lead</span></figcaption>",
        "Download the checklist <span class=\"file-meta\">(Text, 36 bytes)</span>",
        "<a href=\"/regions/hawaii/\">Hawaii</a> in figures",
        "<div><dt>Unit-based teams</dt><dd>60</dd></div>",
        "<div><dt>Share high performing</dt><dd>90%</dd></div>",
        "<a href=\"/regions/\">All regions</a> in figures",
        "<a class=\"facade\" href=\"https://www.youtube.com/watch?v=abc123DEF45\">",
        "Play “UBT basics”<span class=\"facade-where\"> on YouTube</span>",
    ] {
        assert!(html.contains(expected), "missing {expected:?} in\n{html}");
    }
    assert!(!html.contains("{figure}"), "{html}");
    // The caption and the details' body are in the search index.
    let o = p.ok(&["search", "zebrafish"]);
    assert!(o.stdout.contains("/stories/components/"), "{}", o.stdout);
}

#[test]
fn component_mistakes_are_located_errors_with_suggestions() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/bad.md",
        &format!(
            "{STORY_HEAD}```{{figur}}\nsrc: /x.png\n```\n\n```{{details}}\nsummery: Typo\nopen: maybe\n\nBody.\n```\n\n```{{download}}\nfile: /files/huddle-checklst.txt\nlabel: Get it\n```\n\n- A list\n\n  ```{{figures}}\n  region: hawai\n  ```\n\n```{{quote}}\nby: Someone\n```\n"
        ),
    );
    let o = p.fails(&["build"]);
    for (at, message, help) in [
        (
            "6:4",
            "unknown component `figur`",
            "did you mean `{figure}`?",
        ),
        (
            "10:4",
            "component `details` is missing its required argument `summary`",
            "`details` takes: `summary`, `open` (optional)",
        ),
        (
            "11:1",
            "unknown argument `summery` for component `details`",
            "did you mean `summary`?",
        ),
        (
            "12:7",
            "argument `open` of `details` must be true or false, found `maybe`",
            "true or false",
        ),
        (
            "18:7",
            "the file /files/huddle-checklst.txt does not exist",
            "did you mean `/files/huddle-checklist.txt`?",
        ),
        ("25:11", "unknown region `hawai`", "did you mean `hawaii`?"),
        (
            "28:4",
            "component `quote` needs text after its arguments",
            "leave a blank line",
        ),
    ] {
        let line = format!("site/stories/bad.md:{at}: error: {message}");
        assert!(
            o.stderr.contains(&line),
            "missing {line:?} in\n{}",
            o.stderr
        );
        assert!(
            o.stderr.contains(help),
            "missing help {help:?} in\n{}",
            o.stderr
        );
    }
}

#[test]
fn a_site_adds_and_overrides_components_in_its_templates() {
    let p = Project::fixture("basic");
    p.write(
        "site/templates/components/badge.html",
        "{% component badge(text: string, level: integer = 1) %}<span class=\"badge badge-{{ level }}\">{{ text }}</span>{% endcomponent badge %}\n",
    );
    p.write(
        "site/templates/components/quote.html",
        "{% component quote(by: string, @content: string = \"\") {\"body\": \"required\"} %}<blockquote class=\"mine\">{{ content | safe }}<p>{{ by }}</p></blockquote>{% endcomponent quote %}\n",
    );
    p.write(
        "site/stories/badge.md",
        &format!("{STORY_HEAD}```{{badge}}\ntext: New & <improved>\nlevel: 2\n```\n\n```{{quote}}\nby: Ann\n\nHello.\n```\n"),
    );
    p.ok(&["build", "--quiet"]);
    let html = p.read("public/stories/badge/index.html");
    assert!(
        html.contains("<span class=\"badge badge-2\">New &amp; &lt;improved&gt;</span>"),
        "{html}"
    );
    assert!(
        html.contains("<blockquote class=\"mine\"><p>Hello.</p>\n<p>Ann</p></blockquote>"),
        "{html}"
    );
    // Its arguments are checked like the theme's.
    p.write(
        "site/stories/badge.md",
        &format!("{STORY_HEAD}```{{badge}}\ntext: x\nlevel: high\n```\n"),
    );
    let o = p.run(&["build"]);
    assert!(o.stderr.contains("site/stories/badge.md:8:8: error: argument `level` of `badge` must be a whole number, found `high`"), "{}", o.stderr);
}

/// `lmp serve`'s incremental rebuilds re-render a component when what it reads changes although
/// the markdown did not: a region's figures, a static file's size, the component's template.
#[test]
fn components_follow_their_data_in_incremental_rebuilds() {
    use lmp::incremental::Incremental;
    use lmp::site::Options;
    let p = Project::fixture("basic");
    p.write(
        "site/stories/components.md",
        &format!("{STORY_HEAD}```{{figures}}\nregion: hawaii\n```\n\n```{{download}}\nfile: /files/huddle-checklist.txt\nlabel: Get it\n```\n"),
    );
    let site_dir = p.path("site");
    let opts = Options::new(&site_dir);
    let mut inc = Incremental::new(opts.clone());
    let check = |inc: &mut Incremental, changed: &str, expect: &str| {
        let b = inc
            .rebuild(&opts, &[site_dir.join(changed)])
            .unwrap_or_else(|f| panic!("{:?}", f.diagnostics));
        let full = lmp::build(&opts).unwrap_or_else(|f| panic!("{:?}", f.diagnostics));
        let page = "stories/components/index.html";
        let html = String::from_utf8_lossy(&b.read(page).unwrap().unwrap()).into_owned();
        assert!(
            html.contains(expect),
            "after {changed}: {expect:?} not in\n{html}"
        );
        let differ = crate::harness::output_differences(&b, &full);
        assert!(
            differ.is_empty(),
            "after changing {changed}, the incremental build differs from a full build: {differ:?}"
        );
    };
    inc.rebuild(&opts, &[])
        .unwrap_or_else(|f| panic!("{:?}", f.diagnostics));
    let region = p.read("site/regions/hawaii.md");
    p.write(
        "site/regions/hawaii.md",
        &region.replace("ubts: 60", "ubts: 61"),
    );
    check(&mut inc, "regions/hawaii.md", "<dd>61</dd>");
    p.write(
        "site/static/files/huddle-checklist.txt",
        &"x".repeat(24_000),
    );
    check(
        &mut inc,
        "static/files/huddle-checklist.txt",
        "(Text, 24 kB)",
    );
    p.write(
        "site/templates/components/download.html",
        "{% component download(file: string, label: string, @data: map = {}) {\"file\": \"file\"} %}<a href=\"{{ data.file.url }}\">{{ label }} [{{ data.file.size }}]</a>{% endcomponent download %}",
    );
    check(
        &mut inc,
        "templates/components/download.html",
        "Get it [24 kB]</a>",
    );
}

#[test]
fn edit_url_gives_every_document_an_edit_link() {
    let p = Project::fixture("basic");
    let cfg = p.read("site/config.yaml");
    p.write(
        "site/config.yaml",
        &format!("{cfg}edit_url: https://github.com/lmp/site/edit/main/site/{{path}}\n"),
    );
    p.ok(&["build", "--quiet"]);
    for (page, path) in [
        (
            "public/stories/first-story/index.html",
            "stories/first-story.md",
        ),
        ("public/guides/huddle/index.html", "guides/huddle.md"),
        ("public/regions/hawaii/index.html", "regions/hawaii.md"),
        ("public/about/index.html", "pages/about.md"),
    ] {
        let html = p.read(page);
        let link = format!(
            "<p class=\"edit-link\"><a href=\"https://github.com/lmp/site/edit/main/site/{path}\">Edit this page</a></p>"
        );
        assert!(html.contains(&link), "{page}: missing {link}\n{html}");
    }
    // Without `{path}` it is an error that says how to write it.
    p.write(
        "site/config.yaml",
        &format!("{cfg}edit_url: https://example.org/edit/main/site/\n"),
    );
    let o = p.fails(&["build"]);
    assert!(
        o.stderr
            .contains("`edit_url` must be an http(s) URL containing `{path}`"),
        "{}",
        o.stderr
    );
}

/// QA s15: "Checked 64 documents …" (translations not counted) then "77 without a `reviewed:`
/// date" (translations counted): the second line says how many of them are translations.
#[test]
fn check_stale_says_how_many_never_reviewed_are_translations() {
    let p = Project::bilingual();
    let o = p.ok(&["check", "--stale", "12m"]);
    let line = o
        .stderr
        .lines()
        .find(|l| l.contains("without a `reviewed:` date"))
        .unwrap_or_else(|| panic!("{}", o.stderr));
    assert!(
        line.starts_with("0 documents not reviewed in the last 12 months; ")
            && line.ends_with(" without a `reviewed:` date (1 of them a translation)"),
        "{line}"
    );
}

#[test]
fn reviewed_shows_under_the_title_and_check_stale_warns() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/old.md",
        "---\ntitle: Old\ndate: 2019-02-02\nsummary: Reviewed long ago.\ntopics: [ubt-basics]\nreviewed: 2020-01-15\n---\nText.\n",
    );
    // Reviewed a month ago (a date after today is a warning of its own).
    p.write(
        "site/stories/fresh.md",
        &format!(
            "---\ntitle: Fresh\ndate: 2019-02-02\nsummary: Reviewed lately.\ntopics: [ubt-basics]\nreviewed: {}\n---\nText.\n",
            crate::rootcause::date_from_today(-30)
        ),
    );
    let o = p.ok(&["build"]);
    assert!(
        !o.stderr.contains("not reviewed"),
        "build does not warn: {}",
        o.stderr
    );
    let html = p.read("public/stories/old/index.html");
    let h1 = html.find("<h1>Old</h1>").expect("title");
    let reviewed = html
        .find("<p class=\"reviewed\">Last reviewed <time datetime=\"2020-01-15\">January 15, 2020</time></p>")
        .unwrap_or_else(|| panic!("no Last reviewed line in\n{html}"));
    assert!(reviewed > h1, "Last reviewed comes under the title");
    let o = p.ok(&["check", "--stale", "12m"]);
    assert!(
        o.stderr
            .contains("site/stories/old.md:6:11: warning: last reviewed January 15, 2020"),
        "{}",
        o.stderr
    );
    assert!(!o.stderr.contains("fresh.md"), "{}", o.stderr);
    assert!(
        o.stderr
            .contains("1 document not reviewed in the last 12 months"),
        "{}",
        o.stderr
    );
    let o = p.ok(&["check", "--stale", "1y"]);
    assert!(
        o.stderr.contains("site/stories/old.md:6:11: warning"),
        "{}",
        o.stderr
    );
    let o = p.run(&["check", "--stale", "12x"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains(
            "`12x` is not an age: write a number of months or years, such as 6m, 12m or 1y"
        ),
        "{}",
        o.stderr
    );
}

#[test]
fn printed_pages_carry_their_address_and_download_urls() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/dl.md",
        &format!("{STORY_HEAD}```{{download}}\nfile: /files/huddle-checklist.txt\nlabel: Get the checklist\n```\n"),
    );
    p.ok(&["build", "--quiet"]);
    let html = p.read("public/stories/dl/index.html");
    assert!(
        html.contains("<p class=\"print-only print-address\">https://example.org/stories/dl/</p>"),
        "{html}"
    );
    assert!(html.contains("<span class=\"print-only\">Get the checklist (Text, 36 bytes): https://example.org/files/huddle-checklist.txt</span>"), "{html}");
    let css = p.read("public/css/lmp.css");
    for rule in [
        "@page { margin:",
        ".print-only { display: inline; }",
        ".download .button, .component-download .button { display: none; }",
        "break-inside: avoid",
    ] {
        assert!(css.contains(rule), "print CSS lacks {rule:?}");
    }
}

/// QA Q38: unbalanced raw HTML (an `<a>`, `<span>` or `<div>` left open, stray end tags, `&#0;`)
/// passed without a word and broke the page's HTML (vnu: fatal errors). Each is repaired, with a
/// warning at the line and column the author wrote it; a `<details>` without `<summary>` is an
/// error, and the previous output stays as it was.
#[test]
fn unbalanced_raw_html_is_repaired_with_a_located_warning() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/unclosed.md",
        &format!(
            "{STORY_HEAD}See <a href=\"/stories/\">the stories for more.\n\nNext paragraph with <span class=\"x\">an unclosed span &#0;.\n\n</td></tr></table>\n\n<div class=\"box\">\n\nA box that is never closed.\n"
        ),
    );
    let o = p.ok(&["build"]);
    for expected in [
        "site/stories/unclosed.md:6:5: warning: raw HTML: `<a>` is not closed within its paragraph: closed it at the end of the paragraph",
        "site/stories/unclosed.md:8:21: warning: raw HTML: `<span>` is not closed within its paragraph",
        "site/stories/unclosed.md:10:1: warning: raw HTML: removed the end tag `</td>`: no `<td>` is open here",
        "site/stories/unclosed.md:10:6: warning: raw HTML: removed the end tag `</tr>`",
        "site/stories/unclosed.md:10:11: warning: raw HTML: removed the end tag `</table>`",
        "site/stories/unclosed.md:12:1: warning: raw HTML: `<div>` is never closed: closed it at the end of the text",
        "help: close it with `</a>` in the same paragraph",
    ] {
        assert!(
            o.stderr.contains(expected),
            "missing {expected:?} in\n{}",
            o.stderr
        );
    }
    let html = p.read("public/stories/unclosed/index.html");
    assert!(
        html.contains("<p>See <a href=\"/stories/\">the stories for more.</a></p>\n<p>Next paragraph with <span class=\"x\">an unclosed span \u{fffd}.</span></p>\n\n<div class=\"box\">\n<p>A box that is never closed.</p>\n</div>"),
        "{html}"
    );

    // A `<details>` whose first content is not its `<summary>` is an error; nothing is written.
    let before = p.snapshot_dir("public");
    p.write(
        "site/stories/details.md",
        &format!("{STORY_HEAD}Intro.\n\n<details>\nText before any summary.\n</details>\n"),
    );
    let o = p.fails(&["build"]);
    assert!(
        o.stderr.contains(
            "site/stories/details.md:8:1: error: `<details>` without a `<summary>` first"
        ),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains("help: put `<summary>What it is about</summary>` right after `<details>`"),
        "{}",
        o.stderr
    );
    assert_eq!(p.snapshot_dir("public"), before);
}

/// QA Q57: a Google Docs markdown export pastes pictures as `data:` URLs. Each is one error
/// that says so, at its line; the alt check reads the alt given; no URL fills the terminal.
#[test]
fn pictures_pasted_as_data_urls_are_one_short_error_each() {
    let p = Project::fixture("basic");
    let b64 = "QUJD".repeat(40_000);
    p.write(
        "site/stories/docs.md",
        &format!(
            "{STORY_HEAD}Intro.\n\n![][image1]\n\n![Team photo][image2]\n\n[image1]: <data:image/png;base64,{b64}>\n[image2]: <data:image/jpeg;base64,{b64}>\n"
        ),
    );
    let o = p.fails(&["check"]);
    for at in ["site/stories/docs.md:8:1", "site/stories/docs.md:10:1"] {
        assert!(
            o.stderr.contains(&format!(
                "{at}: error: this picture is pasted into the text (a `data:` URL of 161 kB), not linked to a file"
            )),
            "{}",
            &o.stderr[..o.stderr.len().min(3000)]
        );
    }
    assert!(
        o.stderr
            .contains("help: save the picture as a file under site/static/images/")
    );
    assert!(
        !o.stderr.contains("the image data:image/jpeg"),
        "{}",
        &o.stderr[..o.stderr.len().min(3000)]
    );
    assert!(o.stderr.len() < 4000, "{} bytes of output", o.stderr.len());
}

/// QA Q16: a component fence missing a brace (```` ```{figure ````) was silently a code block;
/// now an error at the fence. A code block whose language merely looks like a word stays code.
#[test]
fn a_component_fence_missing_a_brace_is_an_error() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/half.md",
        &format!(
            "{STORY_HEAD}```{{figure\nsrc: /x.png\n```\n\n```details}}\nsummary: S\n\nB.\n```\n\n```figure\nplain code\n```\n"
        ),
    );
    let o = p.fails(&["check"]);
    assert_eq!(
        o.errors(),
        [
            "site/stories/half.md:6:1: error: `{figure` misses a brace: this block would be shown as code, not as the `figure` component",
            "site/stories/half.md:10:1: error: `details}` misses a brace: this block would be shown as code, not as the `details` component",
        ],
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("write ```` ```{figure} ````"),
        "{}",
        o.stderr
    );
}

/// QA Q71: a caption, a credit, a details summary and a quote's `by`/`role` are inline
/// markdown: emphasis and links are rendered (readers saw `[Photo](…)` as written), `.md` links
/// resolve, and a broken one is an error at the argument's line and column.
#[test]
fn component_captions_credits_and_summaries_are_inline_markdown_with_checked_links() {
    let p = Project::fixture("basic");
    p.write(
        "site/static/images/clipboard.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"480\"><rect width=\"640\" height=\"480\"/></svg>",
    );
    let body = "Intro.\n\n```{figure}\nsrc: /images/clipboard.svg\nalt: A checklist\ncaption: See [the guide](../guides/huddle.md), *twice*.\ncredit: Photo by [Ana](second-story.md)\n```\n\n```{details}\nsummary: A **bold** [link](../guides/nope.md)\n\nBody.\n```\n\n```{quote}\nby: [Ana](../guides/gone.md)\nrole: UBT co-lead, *Hawaii*\n\nWe fixed it.\n```\n";
    p.write("site/stories/components.md", &format!("{STORY_HEAD}{body}"));
    let o = p.fails(&["build"]);
    // Lines: 5 front matter lines; the caption is line 11, the summary 16, `by:` 22.
    assert_eq!(
        o.errors(),
        [
            "site/stories/components.md:16:21: error: broken link: ../guides/nope.md does not exist",
            "site/stories/components.md:22:5: error: broken link: ../guides/gone.md does not exist",
        ],
        "{}",
        o.stderr
    );
    p.write(
        "site/stories/components.md",
        &format!(
            "{STORY_HEAD}{}",
            body.replace("nope.md", "huddle.md")
                .replace("gone.md", "huddle.md")
        ),
    );
    p.ok(&["build", "--quiet"]);
    let html = p.read("public/stories/components/index.html");
    for expected in [
        "<figcaption>See <a href=\"/guides/huddle/\">the guide</a>, <em>twice</em>. <span class=\"credit\">Photo by <a href=\"/stories/second-story/\">Ana</a></span></figcaption>",
        // Session 19: a link in a summary is a control in a control (axe: nested-interactive):
        // its text only, with a warning; its address is still checked (above).
        "<summary>A <strong>bold</strong> link</summary>",
        "<figcaption>— <a href=\"/guides/huddle/\">Ana</a>, <span class=\"role\">UBT co-lead, <em>Hawaii</em></span></figcaption>",
    ] {
        assert!(html.contains(expected), "missing {expected:?} in\n{html}");
    }
}

/// QA Q33: a `{download}` of an empty file (a failed upload) is an error at its `file:`, not a
/// "(PDF, 0 bytes)" button.
#[test]
fn a_download_of_an_empty_file_is_an_error() {
    let p = Project::fixture("basic");
    p.write("site/static/files/empty.pdf", "");
    p.write(
        "site/stories/dl.md",
        &format!(
            "{STORY_HEAD}Intro.\n\n```{{download}}\nfile: /files/empty.pdf\nlabel: The form\n```\n"
        ),
    );
    let o = p.run(&["check"]);
    assert_eq!(
        o.errors(),
        [
            "site/stories/dl.md:9:7: error: /files/empty.pdf is empty (0 bytes): readers would download nothing"
        ],
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains("copy the real file over site/static/files/empty.pdf"),
        "{}",
        o.stderr
    );
}

/// QA s15: a component never closed would take the rest of the page inside it (a `{details}`
/// folds it away): an error at its fence, with the fix; a plain code block never closed stays a
/// warning (the rest is shown, as code).
#[test]
fn a_component_never_closed_is_an_error_at_its_fence() {
    let p = Project::fixture("basic");
    let body = "Intro.\n\n```{details}\nsummary: More\n\nA paragraph.\n\nAnother paragraph.\n";
    p.write("site/stories/open.md", &format!("{STORY_HEAD}{body}"));
    let o = p.fails(&["build"]);
    for expected in [
        "site/stories/open.md:8:1: error: the component `{details}` opened here is never closed, so everything after it, to the end of the page, would be inside it",
        "= help: add a line of three backticks where the component ends (the same three backticks that open it)",
    ] {
        assert!(
            o.stderr.contains(expected),
            "missing {expected:?} in\n{}",
            o.stderr
        );
    }
    assert!(!o.stderr.contains("shown as code"), "{}", o.stderr);
    // Closed, the same text builds with no warning about it.
    p.write(
        "site/stories/open.md",
        &format!("{STORY_HEAD}{body}```\n\nAfter it.\n"),
    );
    let o = p.ok(&["build"]);
    assert!(!o.stderr.contains("never closed"), "{}", o.stderr);
}

/// QA Q105: a code block inside a component opened with three backticks ends the component,
/// and the component's own closing fence then opens a code block to the end of the page:
/// both places are warned about, with the four-backtick fix.
#[test]
fn a_code_block_that_closes_its_component_is_warned() {
    let p = Project::fixture("basic");
    let body = "Intro.\n\n```{details}\nsummary: Show the code\n\nHere is YAML:\n\n```yaml\ntitle: x\n```\n\nAfter the code.\n```\n\nLast paragraph.\n";
    p.write("site/stories/fence.md", &format!("{STORY_HEAD}{body}"));
    let o = p.ok(&["check"]);
    // Lines: 5 front matter lines; the component opens at 8, the yaml fence is 13, the
    // stray closing fence 18.
    for expected in [
        "site/stories/fence.md:13:1: warning: this code block is inside `{details}`, opened with the same three backticks: its closing three backticks end the component there",
        "= help: open the component with four backticks instead (four backticks then `{details}`) and close it with four backticks, so a code block fits inside",
        "site/stories/fence.md:18:1: warning: the block opened here with three backticks is never closed, so the rest of the page is shown as code",
    ] {
        assert!(
            o.stderr.contains(expected),
            "missing {expected:?} in\n{}",
            o.stderr
        );
    }
    // Opened with four backticks, the same text is one component and no warning.
    let fixed = body
        .replace("```{details}", "````{details}")
        .replace("After the code.\n```", "After the code.\n````");
    p.write("site/stories/fence.md", &format!("{STORY_HEAD}{fixed}"));
    let o = p.ok(&["check"]);
    assert!(
        !o.stderr.contains("never closed") && !o.stderr.contains("inside `{details}`"),
        "{}",
        o.stderr
    );
}

/// QA Q71 (front matter): `summary`, `image_caption` and `image_credit` written in markdown are
/// rendered inline on the document's page (the lede, the lead picture's caption), their links
/// resolved and checked at their line of the front matter; cards, the feed and the description
/// meta tag get the plain text. (They were printed as written: `See [the guide](…)`, and a
/// broken link there passed.)
#[test]
fn front_matter_summary_and_caption_are_inline_markdown_with_checked_links() {
    let p = Project::fixture("basic");
    let img = image::RgbImage::from_pixel(800, 450, image::Rgb([90, 140, 200]));
    let mut png = Vec::new();
    img.write_with_encoder(image::codecs::png::PngEncoder::new(&mut png))
        .unwrap();
    p.write_bytes("site/static/images/lead.png", &png);
    let story = "---\ntitle: Marked\ndate: 2020-02-02\nsummary: See [the guide](../guides/nope.md), *twice*.\nimage: /images/lead.png\nimage_alt: A blue banner\nimage_caption: \"The board from [the huddle guide](../guides/gone.md)\"\nimage_credit: Photo by [Ana](/stories/nobody/)\n---\nBody.\n";
    p.write("site/stories/marked.md", story);
    let o = p.fails(&["build"]);
    let errors = o.errors();
    for expected in [
        "site/stories/marked.md:4:14: error: broken link: ../guides/nope.md does not exist",
        "site/stories/marked.md:7:32: error: broken link: ../guides/gone.md does not exist",
    ] {
        assert!(
            errors.iter().any(|e| e.starts_with(expected)),
            "no {expected:?} in {errors:#?}\n{}",
            o.stderr
        );
    }
    assert_eq!(errors.len(), 2, "{errors:#?}");
    // The credit's site address is checked with the page's other addresses (once the lead
    // picture is made, i.e. in a build without errors of the markdown pass).
    let story = story
        .replace("nope.md", "huddle.md")
        .replace("gone.md", "huddle.md");
    p.write("site/stories/marked.md", &story);
    let o = p.run(&["build"]);
    assert_eq!(
        o.errors(),
        [
            "site/stories/marked.md:8:30: error: broken link: /stories/nobody/ is not a page or file of this site"
        ],
        "{}",
        o.stderr
    );
    p.write(
        "site/stories/marked.md",
        &story.replace("/stories/nobody/", "second-story.md"),
    );
    p.ok(&["build", "--quiet"]);
    let html = p.read("public/stories/marked/index.html");
    for expected in [
        "<p class=\"lede\">See <a href=\"/guides/huddle/\">the guide</a>, <em>twice</em>.</p>",
        "The board from <a href=\"/guides/huddle/\">the huddle guide</a> <span class=\"credit\">Photo by <a href=\"/stories/second-story/\">Ana</a></span></figcaption>",
        "<meta name=\"description\" content=\"See the guide, twice.\">",
    ] {
        assert!(html.contains(expected), "missing {expected:?} in\n{html}");
    }
    let list = p.read("public/stories/index.html");
    assert!(
        list.contains("See the guide, twice.") && !list.contains("[the guide]"),
        "{list}"
    );
    let feed = p.read("public/stories/atom.xml");
    assert!(
        feed.contains("<summary>See the guide, twice.</summary>"),
        "{feed}"
    );
}

/// QA s13: a summary holding a web or email address and no other markdown stayed text on the
/// page, while a summary with other markdown got its address linked. Both are links on the
/// page now; cards and the description meta tag keep the plain text.
#[test]
fn an_address_typed_in_a_summary_is_a_link_on_the_page_with_or_without_other_markdown() {
    let p = Project::fixture("basic");
    for (summary, lede) in [
        (
            "Details at https://www.kp.org/careers.",
            "<p class=\"lede\">Details at <a href=\"https://www.kp.org/careers\">https://www.kp.org/careers</a>.</p>",
        ),
        (
            "Details at *www.kp.org*.",
            "<p class=\"lede\">Details at <em><a href=\"https://www.kp.org\">www.kp.org</a></em>.</p>",
        ),
        (
            "Write to lmp-feedback@kp.org.",
            "<p class=\"lede\">Write to <a href=\"mailto:lmp-feedback@kp.org\">lmp-feedback@kp.org</a>.</p>",
        ),
    ] {
        p.write(
            "site/stories/addr.md",
            &format!("---\ntitle: Addresses\ndate: 2020-02-02\nsummary: {summary}\n---\nBody.\n"),
        );
        p.ok(&["build", "--quiet"]);
        let html = p.read("public/stories/addr/index.html");
        assert!(
            html.contains(lede),
            "{summary}: missing {lede:?} in\n{html}"
        );
        let plain = summary.replace('*', "");
        let meta = format!("<meta name=\"description\" content=\"{plain}\">");
        assert!(
            html.contains(&meta),
            "{summary}: missing {meta:?} in\n{html}"
        );
        let list = p.read("public/stories/index.html");
        assert!(list.contains(&plain), "{summary}: the card: {list}");
    }
}

/// `lmp serve`: a page whose summary (front matter, inline markdown) links to a document shows
/// that document's new address after its slug changes, as a full build does. (Bug fixed in
/// 54b2b77: the page's input key left the front matter HTML out, so `/about/` kept the old
/// address; only the randomized test had found it.)
#[test]
fn a_summary_link_follows_its_target_to_a_new_slug_in_serve() {
    use lmp::incremental::Incremental;
    use lmp::site::Options;
    let p = Project::fixture("basic");
    let about = p.read("site/pages/about.md").replace(
        "summary: About the fixture partnership.",
        "summary: About us; see [the huddle guide](../guides/huddle.md).",
    );
    p.write("site/pages/about.md", &about);
    let site_dir = p.path("site");
    let opts = Options::new(&site_dir);
    let mut inc = Incremental::new(opts.clone());
    let page = |b: &lmp::site::Built| {
        String::from_utf8_lossy(&b.read("about/index.html").unwrap().unwrap()).into_owned()
    };
    let first = inc
        .rebuild(&opts, &[])
        .unwrap_or_else(|f| panic!("{:?}", f.diagnostics));
    assert!(
        page(&first).contains("see <a href=\"/guides/huddle/\">the huddle guide</a>"),
        "{}",
        page(&first)
    );
    let guide = p.read("site/guides/huddle.md").replacen(
        "title: How to run a huddle\n",
        "title: How to run a huddle\nslug: team-huddle\n",
        1,
    );
    p.write("site/guides/huddle.md", &guide);
    let b = inc
        .rebuild(&opts, &[site_dir.join("guides/huddle.md")])
        .unwrap_or_else(|f| panic!("{:?}", f.diagnostics));
    let html = page(&b);
    assert!(
        html.contains("see <a href=\"/guides/team-huddle/\">the huddle guide</a>")
            && !html.contains("/guides/huddle/"),
        "/about/ after the guide's slug changed:\n{html}"
    );
    let full = lmp::build(&opts).unwrap_or_else(|f| panic!("{:?}", f.diagnostics));
    let differ = crate::harness::output_differences(&b, &full);
    assert!(
        differ.is_empty(),
        "the incremental build differs from a full build: {differ:?}"
    );
}

/// QA Q64: a site's override of a theme component that declares fewer arguments than the
/// theme's is a warning at the override naming them, and each document that gives one is told
/// that the override is why (it was "`figure` takes: `src`" at every story, nothing at the
/// override).
#[test]
fn a_component_override_that_drops_arguments_is_named_at_the_override() {
    let p = Project::fixture("basic");
    p.write(
        "site/static/images/clipboard.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"480\"><rect width=\"640\" height=\"480\"/></svg>",
    );
    p.write(
        "site/templates/components/figure.html",
        "{#- The site's own figure. -#}\n{% component figure(src: string, alt: string, @data: map = {}) {\"src\": \"image\"} %}<img src=\"{{ src }}\" alt=\"{{ alt }}\">{% endcomponent figure %}\n",
    );
    p.write(
        "site/stories/fig.md",
        &format!("{STORY_HEAD}Intro.\n\n```{{figure}}\nsrc: /images/clipboard.svg\nalt: A checklist\ncaption: The list\n```\n"),
    );
    let o = p.fails(&["check"]);
    assert!(
        o.stderr.contains("site/templates/components/figure.html:2:1: warning: this `figure` replaces the theme's and does not declare `caption`, `credit`, which the theme's `figure` takes"),
        "{}",
        o.stderr
    );
    assert_eq!(
        o.errors(),
        ["site/stories/fig.md:11:1: error: unknown argument `caption` for component `figure`"],
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("= help: site/templates/components/figure.html replaces the theme's `figure` and does not declare `caption`: add `caption` to its `{% component figure(…) %}` line"),
        "{}",
        o.stderr
    );
    // An override that declares every argument of the theme's is not warned about.
    p.write(
        "site/templates/components/figure.html",
        "{% component figure(src: string, alt: string, caption: string = \"\", credit: string = \"\", @data: map = {}) {\"src\": \"image\"} %}<img src=\"{{ src }}\" alt=\"{{ alt }}\">{% endcomponent figure %}\n",
    );
    let o = p.ok(&["check"]);
    assert!(!o.stderr.contains("replaces the theme's"), "{}", o.stderr);
}
