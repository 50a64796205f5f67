//! Tests of what authors write beyond CommonMark: GitHub alerts and sanitised raw HTML.

use super::*;

fn no_docs(_: &str) -> Option<String> {
    None
}

fn render_safe(body: &str) -> Rendered {
    render(body, &no_docs)
}

fn render_unsafe(body: &str) -> Rendered {
    render_with(
        body,
        &Env {
            resolve: &no_docs,
            unsafe_html: true,
            components: None,
            lang: "",
            link_lang: None,
        },
    )
}

#[test]
fn alerts_are_labelled_asides_with_a_visible_title() {
    for (marker, class, title) in [
        ("NOTE", "note", "Note"),
        ("TIP", "tip", "Tip"),
        ("IMPORTANT", "important", "Important"),
        ("WARNING", "warning", "Warning"),
        ("CAUTION", "caution", "Caution"),
    ] {
        let r = render_safe(&format!("> [!{marker}]\n> Bring the *huddle board*.\n"));
        assert_eq!(
            r.html,
            format!(
                "<aside class=\"callout callout-{class}\" aria-label=\"{title}\">\n<p class=\"callout-title\">{title}</p>\n<p>Bring the <em>huddle board</em>.</p>\n</aside>\n"
            )
        );
        assert!(r.text.contains("Bring the huddle board."), "{}", r.text);
    }
    // An ordinary quote stays a quote; an unknown marker is text.
    let r = render_safe("> [!NOPE]\n> text\n");
    assert!(r.html.starts_with("<blockquote>"), "{}", r.html);
    assert!(r.html.contains("[!NOPE]"), "{}", r.html);
}

#[test]
fn raw_html_is_sanitised_and_each_removal_located() {
    let body = "Intro.\n\n<div class=\"box\">\n<script>alert(1)</script>\n<p onclick=\"x()\">Hi</p>\n</div>\n\nA <a href=\"javascript:alert(1)\">link</a> and <iframe src=\"https://evil.example/\"></iframe>.\n";
    let r = render_safe(body);
    for gone in ["script", "onclick", "javascript", "iframe"] {
        assert!(!r.html.contains(gone), "{gone}: {}", r.html);
    }
    assert!(r.html.contains("<div class=\"box\">"), "{}", r.html);
    assert!(r.html.contains("<p>Hi</p>"), "{}", r.html);
    assert!(!r.text.contains("alert"), "{}", r.text);
    let at: Vec<(usize, usize, bool)> = r.notes.iter().map(|n| (n.line, n.col, n.error)).collect();
    assert_eq!(
        at,
        vec![(4, 1, false), (5, 1, false), (8, 3, false), (8, 46, false)],
        "{:#?}",
        r.notes
    );
    // Each note names what it removed (the four are in order, as located above).
    for (note, names) in r
        .notes
        .iter()
        .zip(["<script>", "onclick", "javascript:", "<iframe>"])
    {
        assert!(note.message.contains(names), "{names}: {}", note.message);
    }
}

#[test]
fn inline_script_text_is_dropped_until_its_end_tag() {
    let r = render_safe("Before <script>alert('x')</script> after.\n\nNext.\n");
    assert_eq!(r.html, "<p>Before  after.</p>\n<p>Next.</p>\n");
    // An unclosed element ends with its paragraph.
    let r = render_safe("Before <script>alert('x')\n\nNext.\n");
    assert_eq!(r.html, "<p>Before </p>\n<p>Next.</p>\n");
}

#[test]
fn raw_img_without_alt_is_an_error() {
    let r = render_safe("Look:\n\n<img src=\"/images/chart.png\">\n");
    assert_eq!(r.notes.len(), 1);
    assert!(r.notes[0].error);
    assert_eq!((r.notes[0].line, r.notes[0].col), (3, 1));
    let r = render_safe("<img src=\"/images/rule.png\" alt=\"\">\n");
    assert!(r.notes.is_empty());
}

/// QA Q121: `markdown.unsafe_html: true` copies raw HTML as written, but an `<img>` without
/// `alt` is still an error at its line and column, in a block (also split over lines) or inline;
/// one inside a comment or a script is not an image.
#[test]
fn raw_img_without_alt_is_an_error_with_unsafe_html_too() {
    let body = "Look:\n\n<div>\n<img\n  src=\"/images/chart.png\">\n</div>\n\nA <img src=\"/images/icon.png\"> inline, <img src=\"/a.png\" ALT=\"\"> decorative.\n\n<!-- <img src=\"/x.png\">\n-->\n<script>let s = \"<img src=x>\";</script>\n\n<p><img src=\"/images/ok.png\" alt=\"A chart\"></p>\n";
    let r = render_unsafe(body);
    // As written: nothing removed.
    assert!(
        r.html.contains("<img\n  src=\"/images/chart.png\">"),
        "{}",
        r.html
    );
    assert!(r.html.contains("<script>let s"), "{}", r.html);
    let at: Vec<(usize, usize, bool, &str)> = r
        .notes
        .iter()
        .map(|n| (n.line, n.col, n.error, n.message.as_str()))
        .collect();
    assert_eq!(
        at,
        [
            (4, 1, true, "image in raw HTML without alt text"),
            (8, 3, true, "image in raw HTML without alt text"),
        ],
        "{:?}",
        r.notes
    );
    assert!(r.notes[0].help.contains("alt=\""), "{:?}", r.notes[0]);
    // The same places as without `unsafe_html`.
    let safe: Vec<(usize, usize)> = render_safe(body)
        .notes
        .iter()
        .filter(|n| n.message == "image in raw HTML without alt text")
        .map(|n| (n.line, n.col))
        .collect();
    assert_eq!(safe, [(4, 1), (8, 3)]);
}

/// An alert with nothing in it (`> [!NOTE]` alone, or its text after an empty line, outside
/// the quote) is an error at the marker that says how to write it; a full one says nothing.
#[test]
fn an_empty_alert_is_an_error_with_the_fix() {
    for (body, at) in [
        ("> [!NOTE]\n", (1, 1)),
        ("Intro.\n\n> [!WARNING]\n\nThe huddle moved.\n", (3, 1)),
        ("- item\n\n  > [!TIP]\n", (3, 3)),
    ] {
        let r = render_safe(body);
        let errors: Vec<(usize, usize, &str, &str)> = r
            .notes
            .iter()
            .filter(|n| n.error)
            .map(|n| (n.line, n.col, n.message.as_str(), n.help.as_str()))
            .collect();
        assert_eq!(errors.len(), 1, "{body:?}: {:?}", r.notes);
        let (line, col, message, help) = errors[0];
        assert_eq!((line, col), at, "{body:?}");
        assert!(message.contains("alert is empty"), "{message}");
        assert!(help.contains("each starting with `> `"), "{help}");
    }
    let r = render_safe("> [!NOTE]\n> Bring the board.\n");
    assert!(r.notes.is_empty(), "{:?}", r.notes);
}

/// Bullets pasted from Word (`•` and a tab or a space at the start of a line) are a list, not
/// one paragraph with `•` in it, with one warning per list that says how to write it; later
/// line:col on those lines stay where the author sees them. A `•` inside a sentence or in code
/// is text.
#[test]
fn word_bullets_become_a_list_with_a_warning() {
    let body = "Bring:\n•\tThe board\n• The *notes* and [x](missing.md)\n\nText • with a bullet.\n\n```\n• code\n```\n\n> ▪ quoted\n";
    let r = render_safe(body);
    assert!(
        r.html
            .starts_with("<p>Bring:</p>\n<ul>\n<li>The board</li>\n<li>The <em>notes</em> and "),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("<p>Text • with a bullet.</p>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("• code"), "{}", r.html);
    assert!(
        r.html.contains("<blockquote>\n<ul>\n<li>quoted</li>"),
        "{}",
        r.html
    );
    let warnings: Vec<(usize, usize, &str)> = r
        .notes
        .iter()
        .filter(|n| n.message.contains("pasted from Word"))
        .map(|n| (n.line, n.col, n.message.as_str()))
        .collect();
    assert_eq!(
        warnings,
        [
            (
                2,
                1,
                "a bullet `•` pasted from Word: these lines are shown as a list"
            ),
            (
                11,
                3,
                "a bullet `▪` pasted from Word: these lines are shown as a list"
            ),
        ],
        "{:?}",
        r.notes
    );
    assert!(r.notes.iter().all(|n| !n.error), "{:?}", r.notes);
    // The link on a converted line is where the author wrote it (line 3, column 19).
    let link = r.links.iter().find(|l| l.dest == "missing.md").unwrap();
    assert_eq!((link.line, link.col), (3, 19));
    // After a markdown list's item (a lazy continuation line): a list of its own.
    let r = render_safe("1. one\n• two\n");
    assert_eq!(
        r.html,
        "<ol>\n<li>one</li>\n</ol>\n<ul>\n<li>two</li>\n</ul>\n"
    );
    // Nothing pasted: nothing said, nothing changed.
    let r = render_safe("- a\n- b\n");
    assert!(r.notes.is_empty());
}

#[test]
fn unsafe_html_copies_raw_html_as_written() {
    let body = "<script>alert(1)</script>\n\nA <b onclick=\"x()\">b</b>.\n";
    let r = render_unsafe(body);
    assert!(r.html.contains("<script>alert(1)</script>"), "{}", r.html);
    assert!(r.html.contains("onclick"), "{}", r.html);
    assert!(r.notes.is_empty());
}

/// Markdown links, images and autolinks are URL attributes too: a `javascript:`, `data:` or
/// `vbscript:` destination (entity-encoded or not) is removed with a located warning; the text
/// (or the image's alt text) stays.
#[test]
fn markdown_links_and_images_with_script_urls_are_removed() {
    let body = "See [this](javascript:alert(1)) and [that](java&#115;cript:alert(1)).\n\n\
                ![A chart](data:image/svg+xml,<svg/onload=alert(1)>)\n\n\
                <vbscript:msgbox(1)> and [ok](https://example.org/) [mail](mailto:a@example.org)\n";
    let r = render_safe(body);
    for bad in ["javascript", "data:", "href=\"vbscript", "<img"] {
        assert!(!r.html.contains(bad), "{bad} in {}", r.html);
    }
    assert!(r.html.contains("<a>vbscript:msgbox(1)</a>"), "{}", r.html);
    assert!(r.html.contains("<a>this</a>"), "{}", r.html);
    assert!(r.html.contains("A chart"), "{}", r.html);
    assert!(
        r.html.contains("<a href=\"https://example.org/\">ok</a>"),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("href=\"mailto:a@example.org\""),
        "{}",
        r.html
    );
    let where_: Vec<(usize, usize, &str)> = r
        .notes
        .iter()
        .map(|n| (n.line, n.col, n.message.as_str()))
        .collect();
    assert_eq!(
        where_,
        [
            (1, 5, "removed the `javascript:` URL of a markdown link"),
            (1, 37, "removed the `javascript:` URL of a markdown link"),
            (3, 1, "removed the `data:` URL of a markdown image"),
            (5, 1, "removed the `vbscript:` URL of a markdown link"),
        ]
    );
    assert!(r.notes.iter().all(|n| !n.error));
    // `unsafe_html: true` keeps them as written.
    assert!(
        render_unsafe(body)
            .html
            .contains("href=\"javascript:alert(1)\"")
    );
}

/// The tags of `html` nest: every end tag closes the innermost open element, nothing is left
/// open, no link sits in a link, no block element sits in a paragraph or text-level element,
/// every `<details>` starts with its `<summary>` (what vnu checks of raw HTML's structure).
fn assert_well_nested(r: &Rendered, input: &str) {
    let html = r.html.as_str();
    // A `<details>` without `<summary>` is an error: that page is never published.
    let summary_checked = !r.notes.iter().any(|n| n.error);
    // The sanitiser's own element table (one list of what each element may hold); `input`
    // (a task's checkbox) and `source` come from markdown and components.
    use super::sanitize::{BLOCK, CLOSES_P, TEXT_ONLY, VOID, is};
    let void = |n: &str| is(n, VOID) || matches!(n, "input" | "source");
    let block = |n: &str| is(n, CLOSES_P) && is(n, BLOCK);
    let text_level = |n: &str| is(n, TEXT_ONLY);
    let mut stack: Vec<String> = Vec::new();
    let mut details_first = false;
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        let before = &rest[..lt];
        if summary_checked && details_first && !before.trim().is_empty() {
            panic!("text before <summary> in {html:?} from {input:?}");
        }
        rest = &rest[lt + 1..];
        let gt = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..gt];
        rest = rest.get(gt + 1..).unwrap_or("");
        let end = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let first = std::mem::take(&mut details_first);
        if void(&name) {
            continue;
        }
        if end {
            assert_eq!(
                stack.pop().as_deref(),
                Some(name.as_str()),
                "</{name}> does not close the innermost element in {html:?} from {input:?}"
            );
        } else {
            if let Some(parent) = stack.last() {
                assert!(
                    !(summary_checked && first && parent == "details" && name != "summary"),
                    "<details> without <summary> first in {html:?} from {input:?}"
                );
                assert!(
                    !(block(&name)
                        && stack
                            .iter()
                            .rev()
                            .find(|t| !matches!(t.as_str(), "a" | "ins" | "del"))
                            .is_some_and(|t| text_level(t))),
                    "<{name}> inside a text-level element in {html:?} from {input:?}"
                );
            }
            assert!(
                !(name == "a" && stack.iter().any(|t| t == "a")),
                "a link inside a link in {html:?} from {input:?}"
            );
            details_first = name == "details";
            stack.push(name);
        }
    }
    assert!(
        stack.is_empty(),
        "left open: {stack:?} in {html:?} from {input:?}"
    );
}

/// QA Q38: unbalanced raw HTML (an `<a>`, `<span>` or `<div>` never closed, stray end tags)
/// broke the page's HTML without a word. Each is closed or removed, with a warning where the
/// author wrote it.
#[test]
fn unbalanced_raw_html_is_closed_and_each_repair_located() {
    let body = "See <a href=\"/guides/\">the guides for more.\n\nNext paragraph with <span class=\"x\">an unclosed span.\n\n<div class=\"box\">\n\nA box that is never closed.\n";
    let r = render_safe(body);
    assert_well_nested(&r, body);
    assert_eq!(
        r.html,
        "<p>See <a href=\"/guides/\">the guides for more.</a></p>\n<p>Next paragraph with <span class=\"x\">an unclosed span.</span></p>\n<div class=\"box\">\n<p>A box that is never closed.</p>\n</div>"
    );
    let at: Vec<(usize, usize, bool)> = r.notes.iter().map(|n| (n.line, n.col, n.error)).collect();
    assert_eq!(
        at,
        [(1, 5, false), (3, 21, false), (5, 1, false)],
        "{:?}",
        r.notes
    );
    assert!(
        r.notes[0]
            .message
            .contains("`<a>` is not closed within its paragraph"),
        "{}",
        r.notes[0].message
    );
    assert!(
        r.notes[2].message.contains("`<div>` is never closed"),
        "{}",
        r.notes[2].message
    );
    assert!(r.notes[0].help.contains("`</a>`"), "{}", r.notes[0].help);

    // Stray end tags go, with a warning; a `<div>` may hold paragraphs across blocks.
    let body = "</div>\n\n<div class=\"box\">\n\nInside.\n\n</div>\n\nText</span> and </td></tr></table>\n";
    let r = render_safe(body);
    assert_well_nested(&r, body);
    assert!(
        r.html
            .contains("<div class=\"box\">\n<p>Inside.</p>\n</div>"),
        "{}",
        r.html
    );
    let at: Vec<(usize, usize)> = r.notes.iter().map(|n| (n.line, n.col)).collect();
    assert_eq!(
        at,
        [(1, 1), (9, 5), (9, 17), (9, 22), (9, 27)],
        "{:?}",
        r.notes
    );
    assert!(
        r.notes[0].message.contains("removed the end tag `</div>`"),
        "{}",
        r.notes[0].message
    );

    // Balanced raw HTML comes out as written, without a word.
    let body = "<details>\n<summary>More</summary>\n\nBody *text*.\n\n</details>\n\nA <span>b <em>c</em></span>.\n\n<table><tr><td>1<td>2</tr></table>\n";
    let r = render_safe(body);
    assert_well_nested(&r, body);
    assert!(r.notes.is_empty(), "{:?}", r.notes);

    // A link inside a link, a block inside a paragraph, a `<details>` without `<summary>`.
    let body = "A <a href=\"/x/\">x <a href=\"/y/\">y</a> z</a> and [md](/z/).\n\nB <a href=\"/x/\">[md](/z/)</a>.\n\nC <div>d</div> e.\n\n<details>\nNo summary.\n</details>\n";
    let r = render_safe(body);
    assert_well_nested(&r, body);
    let errors: Vec<&str> = r
        .notes
        .iter()
        .filter(|n| n.error)
        .map(|n| n.message.as_str())
        .collect();
    assert_eq!(
        errors,
        ["`<details>` without a `<summary>` first"],
        "{:?}",
        r.notes
    );
    assert!(r.html.contains("B <a href=\"/x/\">md</a>"), "{}", r.html);
    assert!(r.html.contains("<p>C d e.</p>"), "{}", r.html);

    // unsafe_html is the author's responsibility: copied as written.
    let r = render_unsafe("See <a href=\"/guides/\">the guides.\n");
    assert!(!r.html.contains("</a>"), "{}", r.html);
    assert!(r.notes.is_empty());
}

/// QA Q38: character references a page cannot hold (`&#0;`, a surrogate) and NUL in raw HTML
/// become U+FFFD, as pulldown-cmark does in paragraphs.
#[test]
fn raw_html_character_references_that_cannot_be_shown_become_u_fffd() {
    let body = "<div title=\"a&#0;b\">x &#0; y &#xD800; z &#x110000; &#13; ok &#233; &amp; &#x41;\u{0}</div>\n";
    let r = render_safe(body);
    assert_eq!(
        r.html,
        "<div title=\"a\u{fffd}b\">x \u{fffd} y \u{fffd} z \u{fffd} \u{fffd} ok &#233; &amp; &#x41;\u{fffd}</div>\n"
    );
}

/// QA Q38's fuzz: random mixes of block and inline raw HTML with markdown always come out
/// well nested.
#[test]
fn random_raw_html_always_comes_out_well_nested() {
    let pieces = [
        "<div>",
        "</div>",
        "<details>",
        "</details>",
        "<summary>S</summary>",
        "<span>",
        "</span>",
        "<a href=\"/x/\">",
        "</a>",
        "<table><tr><td>",
        "</td></tr></table>",
        "<td>",
        "</tr>",
        "<ul><li>",
        "<li>",
        "</ul>",
        "<p>",
        "</p>",
        "<em>",
        "</em>",
        "*em*",
        "[l](/y/)",
        "text",
        "\n\n",
        "\n",
        "- item\n",
        "> quote\n",
        "<br>",
        "&#0;",
        "<dl><dt>t<dd>d</dl>",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..400 {
        let mut body = String::new();
        for _ in 0..12 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            body.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            if seed % 3 == 0 {
                body.push(' ');
            }
        }
        let r = render_safe(&body);
        assert_well_nested(&r, &body);
    }
}

/// QA Q25: a `#` heading in the text (the page's title is the only one) and a skipped heading
/// level are warned about where they are written; a link with no text is an error there
/// (session 19: lmp cannot name it).
#[test]
fn heading_levels_are_warned_and_empty_links_are_errors() {
    let r = render_safe(
        "Intro.\n\n# A second h1\n\n## Fine\n\n#### Skipped\n\n[](/x/) and [ok](/y/).\n",
    );
    let got: Vec<(usize, usize, &str)> = r
        .notes
        .iter()
        .map(|n| (n.line, n.col, n.message.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                3,
                1,
                "a `#` heading in the text: the page's title is its only level-1 heading"
            ),
            (
                7,
                1,
                "the heading level jumps from `##` to `####`: written as a level-3 heading (`###`)"
            ),
            (
                9,
                1,
                "this link has no text a reader can click: a screen reader would say only \"link\""
            ),
        ]
    );
    assert_eq!(
        r.notes.iter().map(|n| n.error).collect::<Vec<_>>(),
        [false, false, true]
    );
    assert!(
        r.notes[2].help.contains("or remove the link"),
        "{}",
        r.notes[2].help
    );
    assert!(
        r.notes[1].help.starts_with("use `###` here"),
        "{}",
        r.notes[1].help
    );
    assert!(
        r.html.contains("<h3 id=\"skipped\">Skipped</h3>"),
        "{}",
        r.html
    );
    // Headings that step down one level at a time, and back up, are fine.
    let r = render_safe("## A\n\n### B\n\n#### C\n\n## D\n\n### E\n");
    assert!(r.notes.is_empty(), "{:?}", r.notes);
}

/// The (line, col, message) of each note of `r`.
fn notes_of(r: &Rendered) -> Vec<(usize, usize, &str)> {
    r.notes
        .iter()
        .map(|n| (n.line, n.col, n.message.as_str()))
        .collect()
}

/// QA Q25: a raw `<a>` with nothing a screen reader can say is an error, like an empty
/// markdown link; text, a picture's alt or an `aria-label` name it.
#[test]
fn empty_raw_links_are_errors() {
    let r = render_safe(
        "<a href=\"/x/\"></a> and <a href=\"/x/\"><img src=\"/i.png\" alt=\"\"></a>\n\n<a href=\"/x/\">ok</a> <a href=\"/x/\"><img src=\"/i.png\" alt=\"Team\"></a> <a href=\"/x/\" aria-label=\"Home\"></a> <a href=\"/x/\">*em*</a>\n",
    );
    assert_eq!(
        notes_of(&r),
        [
            (
                1,
                1,
                "this link has no text a reader can click: a screen reader would say only \"link\""
            ),
            (
                1,
                24,
                "this link has no text a reader can click: a screen reader would say only \"link\""
            ),
        ]
    );
    assert!(r.notes.iter().all(|n| n.error));
    // A link left open is closed at the end of its paragraph: empty, it is warned about too.
    let r = render_safe("Text <a href=\"/x/\">\n\nMore.\n");
    assert!(
        notes_of(&r).contains(&(
            1,
            6,
            "this link has no text a reader can click: a screen reader would say only \"link\""
        )),
        "{:?}",
        r.notes
    );
}

/// An `<a>` with no `href` is a place to link to, not a link (pages moved from an older site
/// keep `<a id="old-anchor"></a>`): empty, it is no error, and its id stays.
#[test]
fn an_empty_anchor_without_href_is_not_an_empty_link() {
    let r = render_safe("<a id=\"old-anchor\"></a>\n\nText <a id=\"here\"></a>and more.\n");
    assert!(r.notes.is_empty(), "{:?}", r.notes);
    assert!(r.html.contains("<a id=\"old-anchor\"></a>"), "{}", r.html);
    assert!(r.html.contains("<a id=\"here\"></a>"), "{}", r.html);
}

/// A raw `id` is a place a link may point at, as a heading's is: `[the top](#old-anchor)`
/// reaches `<a id="old-anchor"></a>` (the page's ids list it once, after the headings').
#[test]
fn ids_kept_from_raw_html_are_link_targets() {
    let r = render_safe(
        "## Steps\n\n<a id=\"old-anchor\"></a>\n\n<p id=\"step-2\">Two</p>\n\n<span id=\"steps\">dup</span>\n",
    );
    assert_eq!(r.ids, ["steps", "old-anchor", "step-2"]);
}

/// QA Q80: a raw `<a>` around a task list, a table or a component ("the whole card is a
/// link") would hold controls; it is closed before the block, with a warning at the `<a>`.
/// Around paragraphs it stays (that is valid HTML).
#[test]
fn a_raw_link_is_closed_before_a_block_that_may_hold_controls() {
    for block in [
        "- [ ] task\n",
        "| a | b |\n|---|---|\n| 1 | 2 |\n",
        "> quoted\n",
    ] {
        let body = format!("<a href=\"/guides/\">\n\nThe card.\n\n{block}\n</a>\n");
        let r = render_safe(&body);
        let html = &r.html;
        let a_end = html.find("</a>").expect(html);
        let block_at = html
            .find("<ul")
            .or_else(|| html.find("<table"))
            .or_else(|| html.find("<div"))
            .or_else(|| html.find("<blockquote"))
            .expect(html);
        assert!(a_end < block_at, "{html}");
        assert!(
            notes_of(&r).iter().any(|(l, c, m)| (*l, *c) == (1, 1)
                && m.starts_with(
                    "raw HTML: `<a>` cannot hold the list, table, quote or component"
                )),
            "{:?}",
            r.notes
        );
        assert_well_nested(&r, &body);
    }
    let body = "<a href=\"/guides/\">\n\nThe card.\n\nIts text.\n\n</a>\n";
    let r = render_safe(body);
    assert!(r.notes.is_empty(), "{:?}", r.notes);
    assert!(r.html.trim_end().ends_with("</a>"), "{}", r.html);
}

/// QA Q78: attribute values browsers and screen readers cannot use are removed with a warning,
/// with the language code meant when the author wrote a language's name.
#[test]
fn invalid_lang_dir_and_numbers_in_raw_html_are_removed() {
    let r = render_safe(
        "<span lang=\"english\">hi</span> <span lang=\"español\">hola</span> <span lang=\"es-MX\">sí</span> <span dir=\"sideways\">x</span> <span dir=\"rtl\">y</span>\n\n<ol start=\"abc\" type=\"q\"><li>x</li></ol>\n\n<ol start=\"3\" type=\"i\"><li>y</li></ol>\n",
    );
    let msgs: Vec<(usize, usize, &str, &str)> = r
        .notes
        .iter()
        .map(|n| (n.line, n.col, n.message.as_str(), n.help.as_str()))
        .collect();
    let has = |line: usize, col: usize, what: &str, help: &str| {
        msgs.iter()
            .any(|m| (m.0, m.1) == (line, col) && m.2.contains(what) && m.3.contains(help))
    };
    assert!(
        has(1, 1, "`lang=\"english\"`", "did you mean `lang=\"en\"`?"),
        "{msgs:?}"
    );
    assert!(
        has(1, 32, "`lang=\"español\"`", "did you mean `lang=\"es\"`?"),
        "{msgs:?}"
    );
    assert!(
        has(1, 94, "`dir=\"sideways\"`", "`ltr`, `rtl` or `auto`"),
        "{msgs:?}"
    );
    assert!(has(3, 1, "`start=\"abc\"`", "whole number"), "{msgs:?}");
    assert!(
        has(3, 1, "`type=\"q\"`", "`1`, `a`, `A`, `i`, `I`"),
        "{msgs:?}"
    );
    assert_eq!(msgs.len(), 4 + 1, "{msgs:?}");
    assert!(
        !r.html.contains("english") && !r.html.contains("sideways"),
        "{}",
        r.html
    );
    for kept in ["lang=\"es-MX\"", "dir=\"rtl\"", "start=\"3\"", "type=\"i\""] {
        assert!(r.html.contains(kept), "{kept} in {}", r.html);
    }
}

/// QA Q39: two headings with the same explicit id: the second one's id is changed (links go
/// to the first), with a warning at it instead of silently.
#[test]
fn a_repeated_explicit_heading_id_is_warned() {
    let r = render_safe("## Step {#step}\n\nText.\n\n## Again {#step}\n");
    assert_eq!(r.ids, ["step", "step-1"]);
    assert_eq!(notes_of(&r).len(), 1, "{:?}", r.notes);
    let n = &r.notes[0];
    assert_eq!((n.line, n.col, n.error), (5, 1, false));
    assert!(
        n.message
            .contains("the id `step` is already used on this page")
            && n.help.contains("`{#step-1}`"),
        "{n:?}"
    );
}

/// QA Q92: link slips and other generators' syntax that markdown publishes as text are a
/// warning each, at the place they start, with the fix; in code they are left alone.
#[test]
fn link_slips_and_shortcodes_shown_as_text_are_warned() {
    let body = "A: [space](my story.md)\n\nB: [gap] (../guides/run-a-ubt-huddle.md)\n\nD: (reversed)[../guides/run-a-ubt-huddle.md]\n\nE: [[run-a-ubt-huddle]]\n\nH: ![img] (/images/huddle.jpg)\n\nR: [ref link][missing-ref]\n\n{{< youtube dQw4w9WgXcQ >}}\n\n{{% notice note %}}\nText\n{{% /notice %}}\n\nZ: {{ youtube(id=\"dQw4w9WgXcQ\") }}\n\n:::note\nA note\n:::\n\n`[gap] (../x.md)` and\n\n```\n[[wiki]] {{< figure >}}\n```\n\nFine: [a](<my story.md>), [t](x.md \"Title\"), [sic] (see above).\n";
    let r = render_safe(body);
    let notes: Vec<String> = r
        .notes
        .iter()
        .map(|n| format!("{}:{} {} / {}", n.line, n.col, n.message, n.help))
        .collect();
    let expected = [
        (
            "1:4 this link is shown as text: its address `my story.md` has a space",
            "rename the file without spaces (e.g. `my-story.md`)",
        ),
        (
            "3:4 this link is shown as text: there is a space between `]` and `(`",
            "remove the space: `[gap](../guides/run-a-ubt-huddle.md)`",
        ),
        (
            "5:4 this link is shown as text: its brackets are the wrong way round",
            "`[reversed](../guides/run-a-ubt-huddle.md)`",
        ),
        (
            "7:4 `[[run-a-ubt-huddle]]` is a wiki link",
            "`[run-a-ubt-huddle](../guides/run-a-ubt-huddle.md)`",
        ),
        (
            "9:4 this image is shown as text: there is a space between `]` and `(`",
            "`![img](/images/huddle.jpg)`",
        ),
        (
            "11:4 this link is shown as text: there is no link definition `[missing-ref]`",
            "add a line `[missing-ref]: ",
        ),
        (
            "13:1 `{{< youtube dQw4w9WgXcQ >}}` is a Hugo shortcode",
            "```{video}",
        ),
        (
            "15:1 `{{% notice note %}}` is a Hugo shortcode",
            "`> [!NOTE]`",
        ),
        (
            "19:4 `{{ youtube(id=\"dQw4w9WgXcQ\") }}` is a Zola shortcode",
            "```{video}",
        ),
        ("21:1 `:::note` is a Docusaurus admonition", "`> [!NOTE]`"),
    ];
    assert_eq!(notes.len(), expected.len(), "{notes:#?}");
    for (n, (start, help)) in notes.iter().zip(expected) {
        assert!(
            n.starts_with(start) && n.contains(help),
            "{n}\nwanted {start} … {help}"
        );
    }
    assert!(r.notes.iter().all(|n| !n.error));
}

/// QA Q83: Word and Google Docs pastes. A non-breaking space after `##` is warned (the line is
/// not a heading); curly quotes around an address and an invisible character in it are
/// removed from the link, with a warning.
#[test]
fn word_pastes_in_headings_and_addresses_are_named() {
    let resolve = |p: &str| {
        (p == "../guides/run-a-ubt-huddle.md").then(|| "/guides/run-a-ubt-huddle/".to_string())
    };
    let body = "##\u{a0}Heading with NBSP\n\nSee [guide](“../guides/run-a-ubt-huddle.md”) and [zw](../guides/run-a-ubt-\u{200b}huddle.md).\n";
    let r = render(body, &resolve);
    let notes: Vec<String> = r
        .notes
        .iter()
        .map(|n| format!("{}:{} {} / {}", n.line, n.col, n.message, n.help))
        .collect();
    assert_eq!(notes.len(), 3, "{notes:#?}");
    assert!(notes[0].starts_with("1:1 `##` is followed by a non-breaking space, so this line is not a heading / type an ordinary space"), "{notes:#?}");
    assert!(
        notes[1].starts_with("3:5 the address is wrapped in curly quotes"),
        "{notes:#?}"
    );
    assert!(
        notes[1].ends_with("write the address as `../guides/run-a-ubt-huddle.md`"),
        "{notes:#?}"
    );
    assert!(
        notes[2].starts_with("3:50 the address has an invisible character"),
        "{notes:#?}"
    );
    assert_eq!(
        r.html.matches("href=\"/guides/run-a-ubt-huddle/\"").count(),
        2,
        "{}",
        r.html
    );
}

/// QA Q25: a raw `<h1>` is warned about like a markdown `#` heading.
#[test]
fn a_raw_h1_is_warned_like_a_markdown_one() {
    let r = render_safe("Intro.\n\n<h1>Second title</h1>\n\n<h2>Fine</h2>\n");
    let notes: Vec<String> = r
        .notes
        .iter()
        .map(|n| format!("{}:{} {} / {}", n.line, n.col, n.message, n.help))
        .collect();
    assert_eq!(
        notes,
        [
            "3:1 a raw `<h1>` in the text: the page's title is its only level-1 heading / use `<h2>` (or `##` in markdown) for a section of the page"
        ]
    );
    assert!(r.html.contains("<h1>Second title</h1>"), "{}", r.html);
}

/// QA Q104: PowerPoint's line break (U+000B) pasted into the text is warned about where it is.
#[test]
fn a_pasted_control_character_is_warned_where_it_is() {
    let r = render_safe("Intro.\n\nFirst line\u{b}second line.\n");
    let notes: Vec<String> = r
        .notes
        .iter()
        .map(|n| format!("{}:{} {}", n.line, n.col, n.message))
        .collect();
    assert_eq!(
        notes,
        [
            "3:11 an invisible control character (U+000B, a line break from PowerPoint or Word) is in the text: it is shown as �"
        ]
    );
}

/// QA Q111: a Google Docs paste (the clipboard's HTML) was published all in bold and as one
/// paragraph, with 7 warnings in sanitiser words. Docs' wrapper `<b … id="docs-internal-guid-…">`
/// is dropped, its paragraphs kept, its bold and italic spans written `<strong>`/`<em>`, and one
/// warning says what happened and how to paste.
#[test]
fn a_google_docs_paste_keeps_its_paragraphs_and_its_bold() {
    let body = "Intro.\n\n<meta charset=\"utf-8\"><b style=\"font-weight:normal;\" id=\"docs-internal-guid-5b0c1d2e-7fff-1234-abcd-0123456789ab\"><p dir=\"ltr\" style=\"line-height:1.38;margin-top:0pt;margin-bottom:0pt;\"><span style=\"font-size:11pt;font-family:Arial,sans-serif;color:#000000;font-weight:400;font-style:normal;\">First paragraph from Google Docs.</span></p><br><p dir=\"ltr\" style=\"line-height:1.38;\"><span style=\"font-size:11pt;font-weight:700;\">Bold part</span><span style=\"font-size:11pt;font-weight:400;\"> and normal part, </span><span style=\"font-size:11pt;font-weight:400;font-style:italic;\">italic</span></p></b>\n\nAfter.\n";
    let r = render_safe(body);
    assert_eq!(notes_of(&r).len(), 1, "{:?}", r.notes);
    assert_eq!((r.notes[0].line, r.notes[0].col), (3, 23), "at Docs' `<b`");
    assert_eq!(
        r.html,
        "<p>Intro.</p>\n<p><span>First paragraph from Google Docs.</span><br><br><strong>Bold part</strong><span> and normal part, </span><em>italic</em></p>\n<p>After.</p>\n"
    );
    // Pasted as a block of its own (starting with Docs' `<p>`), the paragraphs stay paragraphs.
    let r = render_safe(&body.replace("<meta charset=\"utf-8\">", "<p>x</p>\n"));
    assert!(
        r.html.contains("<p dir=\"ltr\"><span>First paragraph from Google Docs.</span></p><br><p dir=\"ltr\"><strong>Bold part</strong>"),
        "{}",
        r.html
    );
    assert_eq!(r.notes.len(), 1, "{:?}", r.notes);
    assert_eq!(r.notes.len(), 1, "{:?}", r.notes);
    assert_eq!((r.notes[0].line, r.notes[0].col), (4, 1), "at Docs' `<b`");
    assert!(!r.notes[0].error);
    assert!(
        r.notes[0]
            .message
            .starts_with("this text was pasted from Google Docs as HTML"),
        "{}",
        r.notes[0].message
    );
    assert!(
        r.notes[0].help.contains("Ctrl+Shift+V"),
        "{}",
        r.notes[0].help
    );
    // An ordinary `<b>` and a styled `<span>` outside a Docs paste are as before.
    let r = render_safe("<b id=\"x\">bold</b> <span style=\"font-weight:700\">s</span>\n");
    assert_eq!(r.html, "<p><b id=\"x\">bold</b> <span>s</span></p>\n");
    assert_eq!(r.notes.len(), 1, "{:?}", r.notes);
}

/// QA Q116: alert markers lmp does not know (`[!DANGER]`, `[!INFO]`) and a title on the
/// marker's line were published as literal text, silently: each is a warning with the fix.
#[test]
fn unknown_alert_markers_and_titles_on_the_marker_line_are_warned() {
    let r = render_safe(
        "> [!NOTE] Before the huddle\n> Bring the board.\n\n> [!INFO]\n> Info.\n\n> [!DANGER]\n> Careful.\n\n> [!TIP]\n> Fine.\n\nText [!NOTE] here.\n",
    );
    assert_eq!(
        notes_of(&r),
        [
            (
                1,
                3,
                "`Before the huddle` on the line of `[!NOTE]` makes the alert text"
            ),
            (4, 3, "`[!INFO]` is not an alert, so it is shown as text"),
            (7, 3, "`[!DANGER]` is not an alert, so it is shown as text"),
        ]
    );
    assert!(
        r.notes[0]
            .help
            .contains("`**Before the huddle**` on the next"),
        "{}",
        r.notes[0].help
    );
    // An unknown marker: the known one it is nearest to.
    for (note, fix) in r.notes[1..]
        .iter()
        .zip(["did you mean `[!NOTE]`?", "did you mean `[!CAUTION]`?"])
    {
        assert!(note.help.starts_with(fix), "{fix}: {}", note.help);
    }
}

/// A component written as a shortcode (`{download}` … `{/download}` with no fence) was published
/// as text, its arguments with it, without a word: a warning at the name, with the fenced form.
#[test]
fn a_component_without_its_fence_is_warned_at_its_name() {
    let r = render_safe(
        "Get the form.\n\n{download}\nfile: /files/form.pdf\ntitle: The form\n{/download}\n\nSets {a, b} and a {placeholder} are prose.\n",
    );
    assert_eq!(
        notes_of(&r),
        [(
            3,
            1,
            "`{download}` on a line of its own is shown as text: a component is a fenced block"
        )]
    );
    assert!(
        r.notes[0].help.contains("```{download}"),
        "{}",
        r.notes[0].help
    );
}

/// QA Q135: 30,000 inline code spans on one line (a pasted or generated page) cost a few passes
/// over the line, not one per span: the slips check read the line so far for each run of text
/// between two spans (0.98 s for 100,000 spans, ~50 s for 9 MB).
#[test]
fn many_code_spans_on_one_line_cost_a_few_passes_over_it() {
    let body = format!(
        "Intro • {}\n\n> {}\n",
        "`d` x ".repeat(30_000),
        "`q` • y ".repeat(10_000)
    );
    let before = crate::diagnostics::work_done();
    let r = render_safe(&body);
    let read = crate::diagnostics::work_done() - before;
    assert_eq!(r.text.matches('d').count(), 30_000);
    assert!(
        read < 10 * body.len(),
        "read {read} bytes for a {} byte body",
        body.len()
    );
}
