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
    let o = p.run(&["build"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
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

#[test]
fn raw_img_without_alt_fails_the_build() {
    let p = Project::fixture("basic");
    p.write(
        "site/stories/raw.md",
        &format!("{STORY_HEAD}Chart:\n\n<img src=\"/files/chart.png\">\n"),
    );
    let o = p.run(&["build"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stderr
            .contains("site/stories/raw.md:8:1: error: image in raw HTML without alt text"),
        "{}",
        o.stderr
    );
}
