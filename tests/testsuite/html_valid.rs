//! Raw HTML the validator rejects for its structure, not its safety: each case is repaired where
//! the author wrote it, with a warning at its file:line:col that says what was changed and how
//! to write it right, so every page an editor writes is valid HTML5 (the hostile fixture of
//! `tests/a11y/vnu-hostile.sh` runs the validator on all of them).

use crate::harness::{Output, Project};

const PAGE_HEAD: &str = "---\ntitle: A page\nsummary: A summary.\n---\n";

fn build(p: &Project) -> Output {
    let o = p.run(&["build"]);
    assert_ne!(o.code, 101, "panicked:\n{}", o.stderr);
    assert_eq!(o.code, 0, "{}", o.stderr);
    o
}

/// A warning starting with `at` (`site/x.md:5:`) and containing `what`.
fn warned(o: &Output, at: &str, what: &str) {
    assert!(
        o.stderr
            .lines()
            .any(|l| l.starts_with(at) && l.contains("warning") && l.contains(what)),
        "no warning at {at} with {what:?}:\n{}",
        o.stderr
    );
}

/// A `<figure>` has one `<figcaption>`, first or last (vnu: "Element figcaption not allowed as
/// child of element figure in this context").
#[test]
fn a_figure_keeps_one_caption_first_or_last() {
    let p = Project::fixture("basic");
    p.write(
        "site/pages/fig.md",
        &format!(
            "{PAGE_HEAD}Intro.\n\n<figure>\n<figcaption>First</figcaption>\n<p>Body</p>\n<figcaption>Second</figcaption>\n</figure>\n\n<figure><p>Chart</p><figcaption>Last</figcaption><p>Source: LMP</p></figure>\n"
        ),
    );
    let o = build(&p);
    let page = p.read("public/fig/index.html");
    assert!(
        page.contains("<figure>\n<figcaption>First</figcaption>\n<p>Body</p>\nSecond\n</figure>"),
        "{page}"
    );
    assert!(
        page.contains(
            "<figure><p>Chart</p><figcaption>Last</figcaption></figure><p>Source: LMP</p>\n"
        ),
        "{page}"
    );
    assert_eq!(page.matches("<figcaption>").count(), 2, "{page}");
    warned(
        &o,
        "site/pages/fig.md:10:1:",
        "a second `<figcaption>` in one `<figure>`",
    );
    warned(
        &o,
        "site/pages/fig.md:13:50:",
        "closed the figure after its caption",
    );
    assert!(
        !o.stderr.contains("removed the end tag `</figure>`"),
        "{}",
        o.stderr
    );
}

/// A `<dl>` is terms each followed by a description (vnu: "Element dl is missing a required
/// instance of child element dd").
#[test]
fn a_term_without_description_and_a_description_without_term_are_completed() {
    let p = Project::fixture("basic");
    p.write(
        "site/pages/terms.md",
        &format!(
            "{PAGE_HEAD}<dl>\n<dt>Partnership</dt>\n</dl>\n\n<dl><dd>Only a description</dd></dl>\n\n<dl><div><dt>Team</dt></div></dl>\n\n<dl><dt>UBT</dt><dd>Unit-based team</dd></dl>\n"
        ),
    );
    let o = build(&p);
    let page = p.read("public/terms/index.html");
    for want in [
        "<dl>\n<dt>Partnership</dt>\n<dd></dd></dl>",
        "<dl><dt></dt><dd>Only a description</dd></dl>",
        "<dl><div><dt>Team</dt><dd></dd></div></dl>",
        "<dl><dt>UBT</dt><dd>Unit-based team</dd></dl>",
    ] {
        assert!(page.contains(want), "{want}: {page}");
    }
    warned(
        &o,
        "site/pages/terms.md:5:1:",
        "has no description (`<dd>`)",
    );
    warned(
        &o,
        "site/pages/terms.md:9:5:",
        "with no term (`<dt>`) before it",
    );
    warned(
        &o,
        "site/pages/terms.md:11:5:",
        "has no description (`<dd>`)",
    );
    assert!(!o.stderr.contains("terms.md:13:"), "{}", o.stderr);
}

/// Without `datetime`, a `<time>`'s text must itself be a date or time (vnu: "The text content
/// of element time was not in the required format"); `<time>ayer</time>` on a Spanish page too.
#[test]
fn a_time_whose_text_is_no_date_loses_its_tags_in_both_languages() {
    let p = Project::bilingual();
    p.append(
        "site/stories/first-story.md",
        "\nMeet <time>yesterday</time>, <time>2020-01-01</time>, <time datetime=\"2020-01-02\">Thursday</time> and <time><b>2021</b></time>.\n",
    );
    p.append(
        "site/stories/first-story.es.md",
        "\nNos vimos <time>ayer</time>.\n",
    );
    let o = build(&p);
    let en = p.read("public/stories/first-story/index.html");
    assert!(
        en.contains("Meet yesterday, <time>2020-01-01</time>, <time datetime=\"2020-01-02\">Thursday</time> and <b>2021</b>.</p>"),
        "{en}"
    );
    let es = p.read("public/es/stories/first-story/index.html");
    assert!(es.contains("Nos vimos ayer.</p>"), "{es}");
    let line = |file: &str| p.read(file).lines().count();
    let en_line = line("site/stories/first-story.md");
    warned(
        &o,
        &format!("site/stories/first-story.md:{en_line}:6:"),
        "`<time>yesterday</time>`: without `datetime`",
    );
    warned(
        &o,
        &format!("site/stories/first-story.md:{en_line}:"),
        "may hold only a date or time, not other elements",
    );
    warned(
        &o,
        &format!(
            "site/stories/first-story.es.md:{}:11:",
            line("site/stories/first-story.es.md")
        ),
        "`<time>ayer</time>`",
    );
}

/// Attribute values the validator rejects, each repaired or removed with a warning at its line:
/// an address with a space or a stray `%` (encoded, as browsers read it), `hreflang` that is
/// no language code, a `type` that is no media type, `translate="maybe"`, `colspan` over 1000,
/// `scope="bogus"`, and `<data>` without `value` or `<bdo>` without `dir` (the tags go, the
/// text stays).
#[test]
fn attribute_values_the_validator_rejects_are_repaired() {
    let p = Project::fixture("basic");
    p.write(
        "site/pages/attrs.md",
        &format!(
            "{PAGE_HEAD}<a href=\"https://www.kp.org/my report.pdf\">a</a> <a href=\"https://www.kp.org/%zz\">b</a> <a href=\"https://example.org/\" hreflang=\"english\" type=\"not a type\">c</a>\n\n<span translate=\"maybe\">d</span> <data>e</data> <bdo>f</bdo> <bdo dir=\"rtl\">g</bdo> <a href=\"https://www.kp.org/x\" type=\"application/pdf\" hreflang=\"es-MX\">h</a>\n\n<table><tr><th scope=\"bogus\">i</th><td colspan=\"1001\">j</td></tr></table>\n"
        ),
    );
    let o = build(&p);
    let page = p.read("public/attrs/index.html");
    for want in [
        "<a href=\"https://www.kp.org/my%20report.pdf\">a</a>",
        "<a href=\"https://www.kp.org/%25zz\">b</a>",
        "<a href=\"https://example.org/\">c</a>",
        "<span>d</span> e f <bdo dir=\"rtl\">g</bdo>",
        "type=\"application/pdf\" hreflang=\"es-MX\">h</a>",
        "<th>i</th><td>j</td>",
    ] {
        assert!(page.contains(want), "{want}: {page}");
    }
    for (col, what) in [
        (
            1,
            "`href=\"https://www.kp.org/my report.pdf\"` on <a> holds a space",
        ),
        (50, "written `https://www.kp.org/%25zz`"),
        (89, "`hreflang=\"english\"`"),
        (89, "`type=\"not a type\"`"),
    ] {
        warned(&o, &format!("site/pages/attrs.md:5:{col}:"), what);
    }
    assert!(
        o.stderr.contains("did you mean `hreflang=\"en\"`?"),
        "{}",
        o.stderr
    );
    for (line, what) in [
        (7, "`translate=\"maybe\"`"),
        (7, "`<data>` without a valid `value`"),
        (7, "`<bdo>` without a valid `dir`"),
        (9, "`scope=\"bogus\"`"),
        (9, "`colspan=\"1001\"`"),
    ] {
        warned(&o, &format!("site/pages/attrs.md:{line}:"), what);
    }
}

/// ARIA the validator rejects, removed with a warning: an unknown `role` or `aria-*`, a value
/// a screen reader does not understand, a name (`aria-label`) on an element that cannot have
/// one (a `<span>`: screen readers ignore it), and a control's state (`aria-expanded`) on an
/// element that is no control. What ARIA allows stays.
#[test]
fn aria_the_validator_rejects_is_removed_and_the_rest_kept() {
    let p = Project::fixture("basic");
    p.write(
        "site/pages/aria.md",
        &format!(
            "{PAGE_HEAD}<span role=\"bogus\">a</span> <span aria-hidden=\"maybe\">b</span> <span aria-label=\"Label\">c</span> <span aria-expanded=\"false\">d</span> <span aria-bogus=\"x\">e</span>\n\n<section aria-label=\"Steps\">f</section>\n\n<span role=\"img\" aria-label=\"Chart\">g</span> <span aria-hidden=\"true\">h</span> <a href=\"/about/\" aria-current=\"page\">i</a>\n"
        ),
    );
    let o = build(&p);
    let page = p.read("public/aria/index.html");
    for want in [
        "<span>a</span> <span>b</span> <span>c</span> <span>d</span> <span>e</span>",
        "<section aria-label=\"Steps\">f</section>",
        "<span role=\"img\" aria-label=\"Chart\">g</span> <span aria-hidden=\"true\">h</span> <a href=\"/about/\" aria-current=\"page\">i</a>",
    ] {
        assert!(page.contains(want), "{want}: {page}");
    }
    for (col, what) in [
        (1, "`role=\"bogus\"` on <span> is not a role"),
        (29, "`aria-hidden=\"maybe\"` on <span> is not a value"),
        (64, "`aria-label` on <span>: screen readers do not read"),
        (98, "`aria-expanded` on <span> describes a control"),
        (135, "`aria-bogus` on <span> is not an ARIA attribute"),
    ] {
        warned(&o, &format!("site/pages/aria.md:5:{col}:"), what);
    }
    assert!(!o.stderr.contains("aria.md:7:"), "{}", o.stderr);
    assert!(!o.stderr.contains("aria.md:9:"), "{}", o.stderr);
}

/// A heading that skips a level (`##` then `####`, or a raw `<h5>` after them) is written one
/// level below the heading before it (vnu: "The heading h4 follows the heading h2, skipping 1
/// heading level"; screen reader users moving by levels miss it), with the warning saying so.
#[test]
fn a_heading_that_skips_a_level_is_written_one_level_down_in_both_languages() {
    let p = Project::bilingual();
    p.append(
        "site/stories/first-story.md",
        "\n## Two\n\n#### Four\n\n<h6>Raw six</h6>\n\n## Two again\n\n### Three\n",
    );
    p.append(
        "site/stories/first-story.es.md",
        "\n## Dos\n\n#### Cuatro\n",
    );
    let o = build(&p);
    let en = p.read("public/stories/first-story/index.html");
    for want in [
        "<h2 id=\"two\">Two</h2>",
        "<h3 id=\"four\">Four</h3>",
        "<h4>Raw six</h4>",
        "<h2 id=\"two-again\">Two again</h2>",
        "<h3 id=\"three\">Three</h3>",
    ] {
        assert!(en.contains(want), "{want}: {en}");
    }
    let es = p.read("public/es/stories/first-story/index.html");
    assert!(es.contains("<h3 id=\"cuatro\">Cuatro</h3>"), "{es}");
    let lines = p.read("site/stories/first-story.md").lines().count();
    warned(
        &o,
        &format!("site/stories/first-story.md:{}:1:", lines - 6),
        "written as a level-3 heading (`###`)",
    );
    warned(
        &o,
        &format!("site/stories/first-story.md:{}:1:", lines - 4),
        "`<h6>` after a level-3 heading skips a level: written `<h4>`",
    );
    warned(
        &o,
        &format!(
            "site/stories/first-story.es.md:{}:1:",
            p.read("site/stories/first-story.es.md").lines().count()
        ),
        "written as a level-3 heading",
    );
}

/// Markdown addresses with a stray `%` and a picture whose file name has a space were published
/// as written (vnu: "Percentage is not followed by two hexadecimal digits", "Space is not
/// allowed"): they are written encoded, as browsers read them.
#[test]
fn markdown_addresses_and_picture_files_are_written_encoded() {
    let p = Project::fixture("basic");
    p.write(
        "site/static/images/team photo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"></svg>\n",
    );
    p.write(
        "site/pages/addr.md",
        &format!(
            "{PAGE_HEAD}[a](https://www.kp.org/100%zz) and [b](https://www.kp.org/100%25).\n\n![A team](</images/team photo.svg>)\n"
        ),
    );
    build(&p);
    let page = p.read("public/addr/index.html");
    assert!(
        page.contains("<a href=\"https://www.kp.org/100%25zz\">a</a> and <a href=\"https://www.kp.org/100%25\">b</a>"),
        "{page}"
    );
    assert!(page.contains("src=\"/images/team%20photo.svg\""), "{page}");
    assert!(!page.contains("team photo.svg"), "{page}");
}

/// Tables and elements the validator rejects for what they hold: a caption that is not first,
/// a late `<thead>`, a row with no cell, `headers` naming no header cell, an `<address>` in an
/// `<address>` or a heading in one, a `<dfn>` in a `<dfn>`: repaired with a warning. Body rows
/// after the `<tfoot>` (HTML 4's order) are an error: the footer would show in the middle.
#[test]
fn tables_and_nesting_the_validator_rejects_are_repaired() {
    let p = Project::fixture("basic");
    p.write(
        "site/pages/tables.md",
        &format!(
            "{PAGE_HEAD}<table><caption>Teams</caption><tr><th id=\"q1\">Q1</th></tr><tr><td headers=\"q1\">4</td><td headers=\"q9\">5</td></tr><tr></tr><thead><tr><th>Late</th></tr></thead></table>\n\n<table><tr><td>x</td></tr><caption>Late caption</caption></table>\n\n<address>Oakland <address>CA</address> <h2>Office</h2></address>\n\n<p><dfn>UBT <dfn>unit</dfn></dfn></p>\n"
        ),
    );
    let o = build(&p);
    let page = p.read("public/tables/index.html");
    for want in [
        "<table><caption>Teams</caption><tr><th id=\"q1\">Q1</th></tr><tr><td headers=\"q1\">4</td><td>5</td></tr><tr><th>Late</th></tr></table>",
        "<address>Oakland CA Office</address>",
        "<p><dfn>UBT unit</dfn></p>",
    ] {
        assert!(page.contains(want), "{want}: {page}");
    }
    for (col, what) in [
        (87, "`headers=\"q9\"` on <td> names `q9`"),
        (115, "a table row (`<tr>`) with no cell: removed it"),
        (124, "a `<thead>` after the table's rows or head"),
    ] {
        warned(&o, &format!("site/pages/tables.md:5:{col}:"), what);
    }
    warned(
        &o,
        "site/pages/tables.md:7:",
        "a `<caption>` that is not the first thing",
    );
    warned(
        &o,
        "site/pages/tables.md:9:18:",
        "`<address>` cannot go inside `<address>`",
    );
    warned(
        &o,
        "site/pages/tables.md:9:",
        "`<h2>` cannot go inside `<address>`",
    );
    warned(
        &o,
        "site/pages/tables.md:11:13:",
        "`<dfn>` cannot go inside `<dfn>`",
    );

    p.write(
        "site/pages/tables.md",
        &format!(
            "{PAGE_HEAD}<table><thead><tr><th>a</th></tr></thead><tfoot><tr><td>f</td></tr></tfoot><tbody><tr><td>x</td></tr></tbody></table>\n"
        ),
    );
    let o = p.run(&["build"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stderr.contains(
            "site/pages/tables.md:5:76: error: raw HTML: `<tbody>` after the table's `<tfoot>`"
        ),
        "{}",
        o.stderr
    );
}

/// Attributes given to a markdown heading (`## Title {key=value}`) went past the sanitiser:
/// `{onclick=alert(1)}` put an event handler on the page, and any other name or value was
/// published (vnu: "Attribute key not allowed on element h2"). They now follow raw HTML's
/// rules, with a warning; `{#id}`, `.class` and allowed attributes stay.
#[test]
fn markdown_heading_attributes_follow_the_raw_html_rules() {
    let p = Project::fixture("basic");
    p.write(
        "site/pages/attrs.md",
        &format!(
            "{PAGE_HEAD}## Click {{onclick=alert(1)}}\n\n## Keyed {{#keyed .big key=value style=color:red lang=english data-x=1 lang=es}}\n"
        ),
    );
    let o = build(&p);
    let page = p.read("public/attrs/index.html");
    assert!(page.contains("<h2 id=\"click\">Click</h2>"), "{page}");
    assert!(
        page.contains("<h2 id=\"keyed\" class=\"big\" data-x=\"1\" lang=\"es\">Keyed</h2>"),
        "{page}"
    );
    assert!(!page.contains("onclick"), "{page}");
    warned(
        &o,
        "site/pages/attrs.md:5:1:",
        "`onclick` on a markdown heading",
    );
    warned(
        &o,
        "site/pages/attrs.md:7:1:",
        "`key` on a markdown heading",
    );
    warned(
        &o,
        "site/pages/attrs.md:7:1:",
        "`style` on a markdown heading",
    );
    warned(&o, "site/pages/attrs.md:7:1:", "`lang=\"english\"` on <h2>");
}

/// A component's body goes on from the page's last heading: `####` in a `details` after the
/// page's title was published as h4 (vnu: "skipping 2 heading levels").
#[test]
fn headings_in_a_component_go_on_from_the_page() {
    let p = Project::fixture("basic");
    p.write(
        "site/pages/comp.md",
        &format!(
            "{PAGE_HEAD}Intro.\n\n```{{details}}\nsummary: More\n\n#### Deep\n\nText.\n```\n\n## Section\n\n```{{details}}\nsummary: Again\n\n### Fine\n\nText.\n```\n"
        ),
    );
    let o = build(&p);
    let page = p.read("public/comp/index.html");
    assert!(page.contains("<h2 id=\"deep\">Deep</h2>"), "{page}");
    assert!(page.contains("<h3 id=\"fine\">Fine</h3>"), "{page}");
    warned(
        &o,
        "site/pages/comp.md:10:1:",
        "written as a level-2 heading",
    );
}

/// The hostile fixture, whose every page `tests/a11y/vnu-hostile.sh` validates in CI, builds:
/// each of its mistakes is repaired with a warning, and none is left to fail the build.
#[test]
fn the_hostile_fixture_builds_with_warnings_only() {
    let p = Project::fixture("hostile-html");
    let o = build(&p);
    let warnings = o
        .stderr
        .lines()
        .filter(|l| l.contains(": warning: "))
        .count();
    assert!(warnings > 150, "{warnings} warnings:\n{}", o.stderr);
    for page in [
        "public/h01/index.html",
        "public/es/h01/index.html",
        "public/h20/index.html",
    ] {
        assert!(p.path(page).exists(), "{page}");
    }
}

/// What axe finds that an author causes and can fix (WCAG 2.1 AA), each with a warning at its
/// line: an empty heading (`##` alone, `<h3> </h3>`; it is left out of "On this page", where it
/// was a link with no text), a link inside a `<summary>` (nested controls: its tag is removed),
/// and `aria-controls` without a control. A note referenced twice has back links whose names
/// hold their visible number ("Back to reference 1, 2", WCAG 2.5.3).
#[test]
fn what_axe_finds_an_author_causes_is_warned_or_repaired() {
    let p = Project::fixture("basic");
    p.write(
        "site/pages/axe.md",
        &format!(
            "{PAGE_HEAD}## Real\n\n##\n\n<h3> </h3>\n\n<details><summary>See <a href=\"/about/\">about</a></summary>Body.</details>\n\n<span aria-controls=\"x\">c</span> A note[^n] and again[^n].\n\n[^n]: The note.\n"
        ),
    );
    let o = build(&p);
    let page = p.read("public/axe/index.html");
    assert!(!page.contains("href=\"#section\""), "{page}");
    assert!(page.contains("<summary>See about</summary>"), "{page}");
    assert!(page.contains("<span>c</span>"), "{page}");
    assert!(
        page.contains("aria-label=\"Back to reference 1, 2\">↩<sup>2</sup></a>"),
        "{page}"
    );
    warned(&o, "site/pages/axe.md:7:1:", "this heading has no text");
    warned(
        &o,
        "site/pages/axe.md:9:1:",
        "this `<h3>` heading has no text",
    );
    warned(
        &o,
        "site/pages/axe.md:11:23:",
        "a link inside a `<summary>`",
    );
    warned(&o, "site/pages/axe.md:13:1:", "`aria-controls` on <span>");
    assert!(!o.stderr.contains("axe.md:5:"), "{}", o.stderr);
}

/// A link with nothing a screen reader can say (`[](…)`, `<a href="…"></a>`, a link holding
/// only a picture with `alt=""`) is an error at its line and column, in English and Spanish:
/// lmp cannot name it without inventing words, and a warning left it on the page, announced
/// as "link" (axe: link-name). The failed build writes nothing.
#[test]
fn a_link_with_no_text_is_an_error() {
    let p = Project::bilingual();
    p.write(
        "site/pages/empty.md",
        &format!(
            "{PAGE_HEAD}[](../guides/huddle.md)\n\n<a href=\"/about/\"></a> and <a href=\"/about/\"> </a>\n\n<a href=\"/about/\"><img src=\"/files/x.png\" alt=\"\"></a>\n\n[![](/files/x.png)](/about/)\n\n<a href=\"/about/\">\n\n\n</a>\n\nNamed: [the guide](../guides/huddle.md), <a href=\"/about/\" aria-label=\"About\"></a>, [![The guide](/files/x.png)](/about/).\n"
        ),
    );
    p.write(
        "site/pages/about.es.md",
        "---\ntitle: Acerca de\nsummary: La alianza.\n---\nLea <a href=\"/es/\"></a> y [ ](../guides/huddle.md).\n",
    );
    let o = p.run(&["build"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    let at: Vec<&str> = o
        .errors()
        .iter()
        .filter(|l| l.contains("this link has no text a reader can click"))
        .map(|l| l.split(": error:").next().unwrap_or(""))
        .collect();
    assert_eq!(
        at,
        [
            "site/pages/about.es.md:5:5",
            "site/pages/about.es.md:5:27",
            "site/pages/empty.md:5:1",
            "site/pages/empty.md:7:1",
            "site/pages/empty.md:7:28",
            "site/pages/empty.md:9:1",
            "site/pages/empty.md:11:1",
            "site/pages/empty.md:13:1",
        ],
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("or remove the link"), "{}", o.stderr);
    assert!(!p.exists("public/empty/index.html"));
}

/// A link in a `{details}` component's `summary:` (markdown or raw `<a>`) would be a control
/// in a control (axe: nested-interactive): its text is kept, the link goes, with a warning at
/// the argument's line and column.
#[test]
fn a_link_in_a_details_summary_argument_keeps_its_text() {
    let p = Project::fixture("basic");
    p.write(
        "site/pages/sum.md",
        &format!(
            "{PAGE_HEAD}Intro.\n\n```{{details}}\nsummary: See [the guide](../guides/huddle.md) or <a href=\"/about/\">about</a>\n\nBody with [a link](../guides/huddle.md).\n```\n"
        ),
    );
    let o = build(&p);
    let page = p.read("public/sum/index.html");
    assert!(
        page.contains("<summary>See the guide or about</summary>"),
        "{page}"
    );
    assert!(
        page.contains("Body with <a href=\"/guides/huddle/\">a link</a>"),
        "{page}"
    );
    warned(&o, "site/pages/sum.md:8:14:", "a link in a `summary:`");
    warned(&o, "site/pages/sum.md:8:50:", "a link inside a `<summary>`");
}

/// `aria-hidden="true"` on an element holding a link or control hides from screen readers
/// what keyboard users still reach (axe: aria-hidden-focus): the attribute is removed with a
/// warning at the element, as the sanitiser removes other attributes that break the page;
/// on decoration (no link inside) it stays, and `unsafe_html: true` keeps it as written.
#[test]
fn aria_hidden_around_a_link_is_removed() {
    let p = Project::fixture("basic");
    let body = "<div aria-hidden=\"true\"><a href=\"/about/\">About</a></div>\n\n<span aria-hidden=\"true\">★</span> Stars.\n\n<a href=\"/about/\" aria-hidden=\"true\">Hidden link</a>\n\n<div aria-hidden=\"true\">\n\nSee [the guide](../guides/huddle.md).\n\n</div>\n\n<p><span aria-hidden=\"true\"><time><a href=\"/about/\">soon</a></time></span></p>\n";
    p.write("site/pages/hid.md", &format!("{PAGE_HEAD}{body}"));
    let o = build(&p);
    let page = p.read("public/hid/index.html");
    assert!(
        page.contains("<div><a href=\"/about/\">About</a></div>"),
        "{page}"
    );
    assert!(
        page.contains("<span aria-hidden=\"true\">★</span>"),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"/about/\">Hidden link</a>"),
        "{page}"
    );
    // The `<time>` (its mark in the output moved by the removal) loses its tags.
    assert!(
        page.contains("<p><span><a href=\"/about/\">soon</a></span></p>"),
        "{page}"
    );
    let body = page.split("<main").nth(1).unwrap_or_default();
    assert_eq!(body.matches("aria-hidden").count(), 1, "{page}");
    warned(
        &o,
        "site/pages/hid.md:5:1:",
        "`aria-hidden=\"true\"` on <div> hides the link",
    );
    warned(
        &o,
        "site/pages/hid.md:9:1:",
        "`aria-hidden=\"true\"` on <a> hides it",
    );
    warned(
        &o,
        "site/pages/hid.md:11:1:",
        "`aria-hidden=\"true\"` on <div> hides the link",
    );
    warned(
        &o,
        "site/pages/hid.md:17:4:",
        "`aria-hidden=\"true\"` on <span>",
    );
    assert!(!o.stderr.contains("hid.md:7:"), "{}", o.stderr);
    // Raw HTML copied as written: the author's choice.
    p.append("site/config.yaml", "markdown:\n  unsafe_html: true\n");
    let o = build(&p);
    assert!(!o.stderr.contains("aria-hidden"), "{}", o.stderr);
    let page = p.read("public/hid/index.html");
    assert!(
        page.contains("<div aria-hidden=\"true\"><a href=\"/about/\">About</a></div>"),
        "{page}"
    );
}

/// Pages moved from an older site keep raw anchors (`<a id="old-anchor"></a>`) and links to
/// them, on the page and from another one: they build (the anchor is no "link with no text",
/// and `#old-anchor` is found as a heading's id is), and a link to an id no element has is
/// still an error.
#[test]
fn links_reach_ids_written_in_raw_html() {
    let p = Project::fixture("basic");
    p.write(
        "site/pages/old.md",
        &format!(
            "{PAGE_HEAD}Jump to [the list](#old-anchor).\n\n<a id=\"old-anchor\"></a>\n\n<p id=\"step-2\">Step two.</p>\n"
        ),
    );
    p.write(
        "site/pages/other.md",
        &format!("{PAGE_HEAD}See [step two](old.md#step-2).\n"),
    );
    let o = build(&p);
    assert!(!o.stderr.contains("no text"), "{}", o.stderr);
    let page = p.read("public/old/index.html");
    assert!(page.contains("<a id=\"old-anchor\"></a>"), "{page}");
    assert!(page.contains("<p id=\"step-2\">"), "{page}");
    p.write(
        "site/pages/other.md",
        &format!("{PAGE_HEAD}See [step three](old.md#step-3).\n"),
    );
    let o = p.run(&["build"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stderr.contains("site/pages/other.md:5:5:"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("step-2"),
        "the ids it lists:\n{}",
        o.stderr
    );
}
