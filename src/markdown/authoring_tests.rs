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
    assert!(!r.html.contains("script"), "{}", r.html);
    assert!(!r.html.contains("onclick"), "{}", r.html);
    assert!(!r.html.contains("javascript"), "{}", r.html);
    assert!(!r.html.contains("iframe"), "{}", r.html);
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
    assert!(
        r.notes[0].message.contains("<script>"),
        "{}",
        r.notes[0].message
    );
    assert!(
        r.notes[1].message.contains("onclick"),
        "{}",
        r.notes[1].message
    );
    assert!(
        r.notes[2].message.contains("javascript:"),
        "{}",
        r.notes[2].message
    );
    assert!(
        r.notes[3].message.contains("<iframe>"),
        "{}",
        r.notes[3].message
    );
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
