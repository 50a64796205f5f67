//! The link check over the output: every URL a reader can follow on every page must lead to a
//! file of the build (and a `#fragment` to an id on that page), whatever wrote it — markdown in
//! every link form, images, raw HTML, templates — with errors that point at the markdown
//! `file:line:col` or at the template, and a "did you mean".

use crate::harness::Project;

const STORY: &str = "---\ntitle: Links\ndate: 2020-01-01\nsummary: Every form of link.\ntopics: [ubt-basics]\n---\n";

fn story(p: &Project, body: &str) {
    p.write("site/stories/links.md", &format!("{STORY}{body}\n"));
}

/// Every form of a working link passes, in `build` and `check`.
#[test]
fn every_link_form_that_works_passes() {
    let p = Project::fixture("basic");
    story(
        &p,
        "[a](/guides/huddle/) [b](/guides/huddle) [c](/guides/huddle/index.html) \
         [d](../../guides/huddle/) [e](../../guides/huddle/#step-1) [f](/files/huddle-checklist.txt) \
         [g](https://example.org/guides/huddle/#step-1) [h](#what) [i](/) [j](/stories/page/2/) \
         [k](../guides/huddle.md#step-1) [l](mailto:a@example.org) [m](https://example.net/x)\n\n\
         ## What\n\n<a href=\"/guides/huddle/?from=story#step-1\">raw</a>",
    );
    p.ok(&["check"]);
    p.ok(&["build"]);
}

/// The forms of the issue: copied from the address bar, a missing file, a missing image in
/// markdown and in raw HTML, a missing id, a relative link written from the file's folder.
#[test]
fn broken_links_in_every_form_point_at_the_markdown() {
    let p = Project::fixture("basic");
    story(
        &p,
        "See [the huddle](/guides/hudle/) and [the PDF](/files/missing.pdf).\n\
         Up: [guides](../guides/). [Step 9](/guides/huddle/#step-9).\n\n\
         ![Chart](/images/wait-chart.png)\n\n\
         <img src=\"/images/raw.png\" alt=\"A chart\">\n\
         <p><a href=\"https://example.org/stories/nope/\">old</a></p>",
    );
    std::fs::create_dir_all(p.path("public")).unwrap();
    p.write("public/keep.txt", "previous build");
    let out = p.fails(&["build"]);
    let e = &out.stderr;
    for want in [
        "site/stories/links.md:7:5: error: broken link: /guides/hudle/ is not a page or file of this site",
        "= help: did you mean `/guides/huddle/`?",
        "site/stories/links.md:7:38: error: broken link: /files/missing.pdf is not a page or file of this site",
        "= help: put the file in the site's static folder as static/files/missing.pdf",
        "site/stories/links.md:8:5: error: broken link: ../guides/ is not a page or file of this site",
        "= help: a relative link is resolved from the page's address (/stories/links/), one folder below its file: write `../../guides/`",
        "site/stories/links.md:8:27: error: link to /guides/huddle/#step-9: there is no id `step-9` on that page",
        "site/stories/links.md:10:1: error: missing file: /images/wait-chart.png is not a page or file of this site",
        "site/stories/links.md:12:11: error: missing file: /images/raw.png is not a page or file of this site",
        "site/stories/links.md:13:13: error: broken link: https://example.org/stories/nope/ is not a page or file of this site",
        "Build failed: 7 errors",
    ] {
        assert!(e.contains(want), "missing {want:?} in:\n{e}");
    }
    assert_eq!(p.read("public/keep.txt"), "previous build");
    let check = p.run(&["check"]);
    assert_eq!(check.code, 1);
    assert!(
        check.stderr.contains("Check failed: 7 errors"),
        "{}",
        check.stderr
    );
}

/// A link written by a template to a page that does not exist names the template and the page,
/// once for all the pages that show it.
#[test]
fn template_links_name_the_template() {
    let p = Project::fixture("basic");
    let theme_404 = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/lmp/templates/404.html"),
    )
    .unwrap();
    p.write(
        "site/templates/404.html",
        &theme_404.replace(
            "<li><a href=\"{{ site.home_url }}\">{{ t.not_found_home }}</a></li>",
            "<li><a href=\"{{ site.base_path }}old-contact/\">Contact</a></li>",
        ),
    );
    p.write(
        "site/templates/partials/toc.html",
        "<a href=\"/regions/hawai/\">Hawaii</a>",
    );
    let out = p.fails(&["check"]);
    let e = &out.stderr;
    let line = p
        .read("site/templates/404.html")
        .lines()
        .position(|l| l.contains("old-contact/"))
        .unwrap()
        + 1;
    assert!(
        e.contains(&format!("site/templates/404.html:{line}:")),
        "{e}"
    );
    assert!(
        e.contains("error: broken link: /old-contact/ is not a page or file of this site"),
        "{e}"
    );
    assert!(e.contains("(this template writes it on /404.html)"), "{e}");
    assert!(
        e.contains("site/templates/partials/toc.html:1:10: error: broken link: /regions/hawai/ is not a page or file of this site"),
        "{e}"
    );
    assert!(
        e.contains("did you mean `/regions/hawaii/`? (this template writes it on ")
            && e.contains(" pages, e.g. "),
        "{e}"
    );
}

/// QA Q120: a broken link in a site's own `templates/base.html` (which every page template
/// extends) is one error at the line of base.html that holds it, not one per page template at
/// the theme's files; whether written as an address or after `{{ site.base_path }}`.
#[test]
fn a_broken_link_in_an_overridden_base_template_is_reported_once_where_it_is_written() {
    let p = Project::fixture("basic");
    let theme_base = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/lmp/templates/base.html"),
    )
    .unwrap();
    let search = "<li><a href=\"{{ site.search_url }}\">{{ t.search }}</a></li>";
    assert!(theme_base.contains(search));
    let base = theme_base.replace(
        search,
        "<li><a href=\"/guides/hudle/\">Huddles</a></li>\n        <li><a href=\"{{ site.base_path }}old-contact/\">Contact</a></li>",
    );
    p.write("site/templates/base.html", &base);
    let at = |needle: &str| {
        base.lines()
            .enumerate()
            .find_map(|(i, l)| l.find(needle).map(|c| (i + 1, l[..c].chars().count() + 1)))
            .unwrap()
    };
    let (l1, c1) = at("/guides/hudle/");
    let (l2, c2) = at("old-contact/");
    for cmd in ["check", "build"] {
        let out = p.fails(&[cmd]);
        let e = &out.stderr;
        let first = format!(
            "site/templates/base.html:{l1}:{c1}: error: broken link: /guides/hudle/ is not a page or file of this site"
        );
        assert_eq!(e.matches(&first).count(), 1, "{e}");
        assert!(
            e.contains("did you mean `/guides/huddle/`? (this template writes it on "),
            "{e}"
        );
        let second = format!(
            "site/templates/base.html:{l2}:{c2}: error: broken link: /old-contact/ is not a page or file of this site"
        );
        assert_eq!(e.matches(&second).count(), 1, "{e}");
        assert!(!e.contains("<built-in theme>"), "{e}");
        assert!(e.contains(" failed: 2 errors"), "{e}");
    }
}

/// Under a sub-path base URL, a root-relative link must carry the base path.
#[test]
fn sub_path_base_url() {
    let p = Project::fixture("basic");
    story(
        &p,
        "[ok](/lmp/guides/huddle/) [bad](/guides/huddle/) [rel](../../guides/huddle/)",
    );
    let out = p.fails(&["check", "--base-url", "https://example.org/lmp/"]);
    assert!(
        out.stderr.contains("site/stories/links.md:7:27: error: link to /guides/huddle/ leaves the site: it is published under /lmp/\n"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("help: write `/lmp/guides/huddle/`"));
    assert!(
        out.stderr.contains("Check failed: 1 error"),
        "{}",
        out.stderr
    );
    story(&p, "[ok](/lmp/guides/huddle/) [rel](../../guides/huddle/)");
    p.ok(&["build", "--base-url", "https://example.org/lmp/"]);
}

/// HTML files copied from `static/` are checked too, with errors at their own `file:line:col`;
/// the feed carries each story's body with `xml:base`, so its relative links work in feed
/// readers, and a broken link in a story is reported once (at the markdown), not again for the
/// feed.
#[test]
fn static_html_files_and_feed_bodies_are_checked() {
    let p = Project::fixture("basic");
    p.write(
        "site/static/handouts/huddle.html",
        "<!doctype html>\n<title>Handout</title>\n<p>See <a href=\"/guides/hudle/\">the guide</a>\n<img src=\"chart.png\" alt=\"Chart\">\n",
    );
    let out = p.fails(&["check"]);
    for want in [
        "site/static/handouts/huddle.html:3:17: error: broken link: /guides/hudle/ is not a page or file of this site",
        "= help: did you mean `/guides/huddle/`?",
        "site/static/handouts/huddle.html:4:11: error: missing file: chart.png is not a page or file of this site",
        "Check failed: 2 errors",
    ] {
        assert!(
            out.stderr.contains(want),
            "missing {want:?} in:\n{}",
            out.stderr
        );
    }
    p.write("site/static/handouts/chart.png", "png");
    p.write(
        "site/static/handouts/huddle.html",
        "<!doctype html>\n<title>Handout</title>\n<p>See <a href=\"/guides/huddle/\">the guide</a>\n<img src=\"chart.png\" alt=\"Chart\">\n",
    );
    // Relative and footnote links in a story: they work on the page and, through xml:base, in
    // the feed.
    story(
        &p,
        "Back to [the first](../first-story/) and a note.[^1]\n\n[^1]: The note.",
    );
    p.ok(&["build"]);
    let feed = p.read("public/stories/atom.xml");
    assert!(
        feed.contains("<content type=\"html\" xml:base=\"https://example.org/stories/links/\">"),
        "{feed}"
    );
    // A broken link in the story: one error, at the markdown.
    story(&p, "Back to [the first](../first-stry/).");
    let out = p.fails(&["check"]);
    assert!(
        out.stderr
            .contains("site/stories/links.md:7:9: error: broken link: ../first-stry/"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("Check failed: 1 error"),
        "{}",
        out.stderr
    );
}

/// `lmp serve` re-checks only the pages whose links or targets changed: deleting the file a
/// page links to must still be reported on the next rebuild, and restoring it clears the error.
#[test]
fn a_rebuild_reports_a_link_broken_by_deleting_its_target() {
    let p = Project::fixture("basic");
    p.write("site/static/files/agenda.txt", "agenda\n");
    story(&p, "Print [the agenda](/files/agenda.txt).");
    let opts = lmp::site::Options::new(p.path("site"));
    let mut inc = lmp::incremental::Incremental::new(opts.clone());
    assert!(inc.rebuild(&opts, &[]).is_ok());
    let target = p.path("site/static/files/agenda.txt");
    std::fs::remove_file(&target).unwrap();
    let failed = match inc.rebuild(&opts, std::slice::from_ref(&target)) {
        Ok(_) => panic!("the broken link was not reported"),
        Err(f) => f,
    };
    let msgs: Vec<String> = failed
        .diagnostics
        .iter()
        .map(|d| format!("{}:{} {}", d.path.display(), d.line, d.message))
        .collect();
    assert!(
        msgs.iter()
            .any(|m| m.contains("links.md:7 broken link: /files/agenda.txt")),
        "{msgs:#?}"
    );
    std::fs::write(&target, "agenda\n").unwrap();
    assert!(inc.rebuild(&opts, std::slice::from_ref(&target)).is_ok());
}

/// QA Q25: an id the page's template uses too (`<main id="main">`, the related list's
/// heading) breaks the skip link and links to it: an error where the markdown or raw HTML
/// writes it, a warning at a heading whose title happens to make it; vnu's "Duplicate ID".
#[test]
fn an_id_the_template_uses_too_is_reported_where_it_is_written() {
    let p = Project::fixture("basic");
    story(
        &p,
        "Intro.\n\n## Skip to it {#main}\n\n<p><span id=\"related-title\">x</span></p>\n\n## Main\n",
    );
    let o = p.fails(&["check"]);
    assert_eq!(
        o.errors(),
        [
            "site/stories/links.md:9:15: error: the id `main` is given to two elements of this page",
            "site/stories/links.md:11:10: error: the id `related-title` is given to two elements of this page",
        ],
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains("give yours another id, e.g. `main-section`"),
        "{}",
        o.stderr
    );
    // Without the explicit ids, the heading whose title makes `main` is a warning.
    story(&p, "Intro.\n\n## Main\n");
    let o = p.run(&["check"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stderr.contains("site/stories/links.md:9:1: warning: this heading's id `main` (made from its title) is given to another element of the page too"),
        "{}",
        o.stderr
    );
}

/// QA Q16: a missing `#fragment` in a link by address, with no id close to it, lists the ids
/// the target page's text makes (its headings), not the template's (`main`, `site-search-q`,
/// `toc-title`, … an author cannot mean).
#[test]
fn a_missing_fragment_lists_the_target_pages_headings() {
    let p = Project::fixture("basic");
    story(
        &p,
        "[The budget](/guides/huddle/#budget-talk) and [about](/about/#budget-talk)",
    );
    let out = p.fails(&["check"]);
    let e = &out.stderr;
    for want in [
        "site/stories/links.md:7:1: error: link to /guides/huddle/#budget-talk: there is no id `budget-talk` on that page",
        "= help: the ids on that page are: step-1, step-2",
        "site/stories/links.md:7:47: error: link to /about/#budget-talk: there is no id `budget-talk` on that page",
        "= help: the text of that page has no headings to link to: link the page without `#…`",
    ] {
        assert!(e.contains(want), "missing {want:?} in:\n{e}");
    }
    assert!(!e.contains("site-search-q"), "{e}");
}

/// QA Q52: `/es/guides/huddle/` for a page with no Spanish version (the English address with
/// `/es/` put in front) is told to link the page itself, not a look-alike Spanish address.
#[test]
fn a_language_prefix_on_an_untranslated_page_names_the_page() {
    let p = Project::fixture("basic");
    story(&p, "[La reunión](/es/guides/huddle/#step-1)");
    let out = p.fails(&["check"]);
    let e = &out.stderr;
    for want in [
        "site/stories/links.md:7:1: error: broken link: /es/guides/huddle/#step-1 is not a page or file of this site",
        "= help: there is no Spanish version of /guides/huddle/ yet: link `/guides/huddle/#step-1` (the page in its own language)",
    ] {
        assert!(e.contains(want), "missing {want:?} in:\n{e}");
    }
}

/// QA s11: another site's address written without `https://` (`www.kp.org`, `kp.org/about`)
/// is a file of this site to the browser; the help said to put a file `static/stories/links/
/// www.kp.org` in the static folder. Now it says to write `https://`.
#[test]
fn another_sites_address_without_https_says_to_write_it() {
    let p = Project::fixture("basic");
    story(
        &p,
        "See [KP](www.kp.org), [about](kp.org/about/) and [the checklist](checklist.pdf).",
    );
    let o = p.fails(&["check"]);
    for want in [
        "site/stories/links.md:7:5: error: broken link: www.kp.org is not a page or file of this site",
        "= help: an address on another site starts with `https://`: write `https://www.kp.org`",
        "= help: an address on another site starts with `https://`: write `https://kp.org/about/`",
        "= help: put the file in the site's static folder as static/stories/links/checklist.pdf",
    ] {
        assert!(
            o.stderr.contains(want),
            "missing {want:?} in:\n{}",
            o.stderr
        );
    }
}

/// QA s11: an address on another site whose form is wrong (no site name, no `//`, a space in
/// the site name, a port that is not a number) was reported only with `--external`, as "could
/// not be checked". Its form is known without the network: `check` says what is wrong at the
/// link, and a well-formed address of another site is still not asked about.
#[test]
fn a_malformed_address_of_another_site_is_reported_without_external() {
    let p = Project::fixture("basic");
    story(
        &p,
        "[a](https://) and [b](http://) and [c](https:///path)\n\n\
         [d](<https://exa mple.org/x>) and [e](https:www.kp.org/about/)\n\n\
         [f](https://www.kp.org:80a/) and [g](https://www..kp.org/) and [ok](https://www.kp.org/about/)",
    );
    let o = p.fails(&["check"]);
    for want in [
        "site/stories/links.md:7:1: error: link to https://: the address has no site name after `https://`",
        "site/stories/links.md:7:19: error: link to http://: the address has no site name after `http://`",
        "site/stories/links.md:7:36: error: link to https:///path: the address has no site name after `https://`",
        "site/stories/links.md:9:1: error: link to https://exa%20mple.org/x: the site name `exa mple.org` has a space",
        "site/stories/links.md:9:35: error: link to https:www.kp.org/about/: the address lacks the `//` after `https:`",
        "= help: write `https://www.kp.org/about/`",
        "site/stories/links.md:11:1: error: link to https://www.kp.org:80a/: `:80a` after the site name is not a port number",
        "site/stories/links.md:11:34: error: link to https://www..kp.org/: the site name `www..kp.org` has an empty part",
        "= help: a site name has only letters, digits, dots and dashes; copy the address from the browser's address bar",
    ] {
        assert!(
            o.stderr.contains(want),
            "missing {want:?} in:\n{}",
            o.stderr
        );
    }
    assert_eq!(o.stderr.matches("links.md:").count(), 7, "{}", o.stderr);
    assert!(
        !o.stderr.contains("https://www.kp.org/about/:"),
        "{}",
        o.stderr
    );
}

/// A web address typed in the text (`Visit https://www.kp.org`, `www.kp.org`) is a link, as on
/// GitHub; a malformed one is an error at its place without `--external`, like any other link.
#[test]
fn a_web_address_typed_in_the_text_is_a_link_and_checked() {
    let p = Project::fixture("basic");
    story(
        &p,
        "Visit https://www.kp.org/careers, or www.lmpartnership.org.\n\n\
         Typed wrong: https://www..kp.org/ubt and www.kp.org:80a/x today.\n\n\
         In code it stays text: `https://www..kp.org/`.",
    );
    let o = p.fails(&["check"]);
    for want in [
        "site/stories/links.md:9:14: error: link to https://www..kp.org/ubt: the site name `www..kp.org` has an empty part",
        "site/stories/links.md:9:42: error: link to https://www.kp.org:80a/x: `:80a` after the site name is not a port number",
    ] {
        assert!(
            o.stderr.contains(want),
            "missing {want:?} in:\n{}",
            o.stderr
        );
    }
    assert_eq!(o.stderr.matches("links.md:").count(), 2, "{}", o.stderr);

    story(
        &p,
        "Visit https://www.kp.org/careers, or www.lmpartnership.org.\n\n\
         In code it stays text: `https://www..kp.org/`.",
    );
    p.ok(&["build"]);
    let page = p.read("public/stories/links/index.html");
    assert!(
        page.contains(
            "Visit <a href=\"https://www.kp.org/careers\">https://www.kp.org/careers</a>, or <a href=\"https://www.lmpartnership.org\">www.lmpartnership.org</a>."
        ),
        "{page}"
    );
    assert!(page.contains("<code>https://www..kp.org/</code>"), "{page}");
}
