//! Raw HTML in markdown, made safe: an allow-list of elements and attributes, applied tag by tag.
//!
//! Every tag is parsed and written out again by us (name lower-cased, attribute values quoted and
//! escaped), so nothing the author wrote reaches the page unless it is on the list. Text between
//! tags is copied; a `<` that does not start a tag we understand is escaped. Removed:
//! - `script`, `style`, `iframe`, `object`, `embed`, `template`, `noscript`, `frame(set)`,
//!   `applet`, `svg`, `math`, `textarea`, `select`, `title`, `xmp` — with their content;
//! - any other element not on the list (`form`, `input`, `button`, `video`, `link`, `meta`, …) —
//!   the tag only, its content stays;
//! - event handlers (`on…`), `style` and any attribute not on the list; URLs whose scheme is not
//!   `http`, `https`, `mailto` or `tel` (so `javascript:`, `data:`, `vbscript:`), decoded first so
//!   `java&#115;cript:` is caught too;
//! - `data-*` attributes whose value is an address with a scheme or a `//` host (any scheme:
//!   theme scripts read data attributes, e.g. the video facade frames its `data-player`);
//! - comments, doctypes, processing instructions and CDATA (silently: they never show).
//!
//! Each removal is reported as a [`Removal`] at its byte offset, for a warning at file:line:col.
//! `<img>` without an `alt` attribute is reported too (`alt=""` marks a decorative image).
//!
//! Why not `ammonia`: pulldown-cmark hands raw HTML over in pieces (each inline tag is its own
//! event, with markdown between an opening and its closing tag), and ammonia, which parses a whole
//! fragment with html5ever, would close the opening tag on its own; it also cannot say what it
//! removed, and authors need that warning with its position. See README.md ("Raw HTML").

use crate::escape::escape_attr;

/// One thing the sanitiser removed (or an `<img>` without alt), at a byte offset of its input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Removal {
    pub offset: usize,
    pub what: String,
    /// An error rather than a warning (a missing `alt`).
    pub error: bool,
}

/// Elements removed with everything inside them.
const DROP_WITH_CONTENT: &[&str] = &[
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "template",
    "noscript",
    "frame",
    "frameset",
    "applet",
    "svg",
    "math",
    "textarea",
    "select",
    "title",
    "xmp",
    "noembed",
    "noframes",
    "plaintext",
];

/// Elements kept (their attributes filtered).
const ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "address",
    "aside",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "picture",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "source",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Void elements: no end tag.
const VOID: &[&str] = &["br", "col", "hr", "img", "source", "wbr"];

/// Attributes allowed on every element (plus `aria-*` and `data-*`).
const GLOBAL_ATTRS: &[&str] = &[
    "class",
    "dir",
    "hidden",
    "id",
    "lang",
    "role",
    "title",
    "translate",
];

/// Attributes allowed on some elements.
const ELEMENT_ATTRS: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang", "rel", "download", "type"]),
    ("blockquote", &["cite"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("data", &["value"]),
    ("del", &["cite", "datetime"]),
    ("details", &["open", "name"]),
    (
        "img",
        &[
            "src", "alt", "width", "height", "srcset", "sizes", "loading", "decoding",
        ],
    ),
    ("ins", &["cite", "datetime"]),
    ("li", &["value"]),
    ("ol", &["start", "reversed", "type"]),
    ("q", &["cite"]),
    (
        "source",
        &["srcset", "sizes", "type", "media", "width", "height"],
    ),
    ("td", &["colspan", "rowspan", "headers"]),
    ("th", &["colspan", "rowspan", "headers", "scope", "abbr"]),
    ("time", &["datetime"]),
];

/// Attributes whose value is a URL (or, for `srcset`, a list of them).
const URL_ATTRS: &[&str] = &["href", "src", "cite", "srcset"];

/// The state of the sanitiser across the pieces of one document.
#[derive(Debug, Default)]
pub(crate) struct Sanitizer {
    /// Inside an element dropped with its content: its name.
    skip: Option<String>,
    in_comment: bool,
}

impl Sanitizer {
    /// Inside an element whose content is dropped (markdown text there is dropped too).
    pub(crate) fn skipping(&self) -> bool {
        self.skip.is_some() || self.in_comment
    }

    /// Append the safe form of `html` to `out`; removals are reported at `base + offset`.
    pub(crate) fn clean(
        &mut self,
        html: &str,
        base: usize,
        out: &mut String,
        removed: &mut Vec<Removal>,
    ) {
        let b = html.as_bytes();
        let mut i = 0;
        let mut text_from = 0;
        let flush = |out: &mut String, from: usize, to: usize, skipping: bool| {
            if !skipping && from < to {
                out.push_str(&html[from..to]);
            }
        };
        while i < b.len() {
            if self.in_comment {
                match html[i..].find("-->") {
                    Some(end) => {
                        i += end + 3;
                        self.in_comment = false;
                        text_from = i;
                    }
                    None => return,
                }
                continue;
            }
            if b[i] == b'>' && self.skip.is_none() {
                flush(out, text_from, i, false);
                out.push_str("&gt;");
                i += 1;
                text_from = i;
                continue;
            }
            if b[i] != b'<' {
                i += 1;
                continue;
            }
            flush(out, text_from, i, self.skip.is_some());
            let rest = &html[i..];
            if rest.starts_with("<!--") {
                self.in_comment = true;
                i += 4;
                text_from = i;
                continue;
            }
            if rest.starts_with("<!") || rest.starts_with("<?") {
                // Doctype, CDATA, processing instruction: dropped up to the next `>`.
                let end = rest.find('>').map_or(b.len(), |e| i + e + 1);
                i = end;
                text_from = i;
                continue;
            }
            match parse_tag(rest) {
                Some(tag) => {
                    let at = base + i;
                    i += tag.len;
                    text_from = i;
                    self.tag(&tag, at, out, removed);
                }
                None => {
                    // Not a tag: the `<` is text.
                    if self.skip.is_none() {
                        out.push_str("&lt;");
                    }
                    i += 1;
                    text_from = i;
                }
            }
        }
        flush(out, text_from, b.len(), self.skipping());
    }

    fn tag(&mut self, tag: &Tag<'_>, at: usize, out: &mut String, removed: &mut Vec<Removal>) {
        let name = tag.name.to_ascii_lowercase();
        if let Some(skip) = &self.skip {
            if tag.end && *skip == name {
                self.skip = None;
            }
            return;
        }
        if DROP_WITH_CONTENT.contains(&name.as_str()) {
            if !tag.end {
                removed.push(Removal {
                    offset: at,
                    what: format!("<{name}> element (and its content)"),
                    error: false,
                });
                if !tag.self_closing {
                    self.skip = Some(name);
                }
            }
            return;
        }
        if !ELEMENTS.contains(&name.as_str()) {
            if !tag.end {
                removed.push(Removal {
                    offset: at,
                    what: format!("<{name}> tag (its text is kept)"),
                    error: false,
                });
            }
            return;
        }
        if tag.end {
            if !VOID.contains(&name.as_str()) {
                out.push_str("</");
                out.push_str(&name);
                out.push('>');
            }
            return;
        }
        out.push('<');
        out.push_str(&name);
        let allowed = ELEMENT_ATTRS
            .iter()
            .find(|(e, _)| *e == name)
            .map_or(&[][..], |(_, a)| *a);
        let mut has_alt = false;
        let mut seen: Vec<String> = Vec::new();
        for (attr, value) in &tag.attrs {
            let attr = attr.to_ascii_lowercase();
            if seen.contains(&attr) {
                continue;
            }
            seen.push(attr.clone());
            let ok_name = GLOBAL_ATTRS.contains(&attr.as_str())
                || allowed.contains(&attr.as_str())
                || ((attr.starts_with("aria-") || attr.starts_with("data-"))
                    && attr.len() > 5
                    && attr
                        .bytes()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.')));
            if !ok_name {
                let what = if attr.starts_with("on") {
                    format!("event handler `{attr}` on <{name}>")
                } else {
                    format!("`{attr}` attribute on <{name}>")
                };
                removed.push(Removal {
                    offset: at,
                    what,
                    error: false,
                });
                continue;
            }
            let value = value.as_deref().map(crate::escape::decode_entities);
            if URL_ATTRS.contains(&attr.as_str())
                && let Some(v) = &value
            {
                let urls: Vec<&str> = if attr == "srcset" {
                    v.split(',')
                        .filter_map(|c| c.split_whitespace().next())
                        .collect()
                } else {
                    vec![v.as_str()]
                };
                if let Some(bad) = urls.iter().find(|u| !safe_url(u)) {
                    let scheme = scheme_of(bad);
                    removed.push(Removal {
                        offset: at,
                        what: format!("`{attr}` with a `{scheme}:` URL on <{name}>"),
                        error: false,
                    });
                    continue;
                }
            }
            if attr.starts_with("data-")
                && let Some(v) = &value
                && leaves_the_page(v)
            {
                // Theme scripts read data attributes (the video facade loads `data-player` in
                // an iframe): from raw HTML, one must not name another site or a script URL.
                removed.push(Removal {
                    offset: at,
                    what: format!("`{attr}` holding an address on <{name}>"),
                    error: false,
                });
                continue;
            }
            if attr == "alt" {
                has_alt = true;
            }
            out.push(' ');
            out.push_str(&attr);
            if let Some(v) = &value {
                out.push_str("=\"");
                escape_attr(out, v);
                out.push('"');
            }
        }
        if name == "img" && !has_alt {
            removed.push(Removal {
                offset: at,
                what: "<img> has no `alt` attribute".into(),
                error: true,
            });
        }
        out.push('>');
    }
}

/// A parsed start or end tag.
struct Tag<'a> {
    name: &'a str,
    end: bool,
    self_closing: bool,
    attrs: Vec<(&'a str, Option<&'a str>)>,
    /// Bytes from `<` to `>` inclusive.
    len: usize,
}

/// Parse a tag at the start of `s` (which starts with `<`); `None` when it is not a whole tag.
fn parse_tag(s: &str) -> Option<Tag<'_>> {
    let b = s.as_bytes();
    let mut i = 1;
    let end = b.get(i) == Some(&b'/');
    if end {
        i += 1;
    }
    let name_start = i;
    if !b.get(i)?.is_ascii_alphabetic() {
        return None;
    }
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-') {
        i += 1;
    }
    let name = &s[name_start..i];
    let mut attrs = Vec::new();
    let mut self_closing = false;
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        match b.get(i)? {
            b'>' => {
                return Some(Tag {
                    name,
                    end,
                    self_closing,
                    attrs,
                    len: i + 1,
                });
            }
            b'/' => {
                self_closing = true;
                i += 1;
                continue;
            }
            _ => {}
        }
        self_closing = false;
        let a_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            if matches!(b[i], b'"' | b'\'' | b'<') {
                return None;
            }
            i += 1;
        }
        let attr = &s[a_start..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if b.get(i) == Some(&b'=') {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let value = match b.get(i)? {
                q @ (b'"' | b'\'') => {
                    let close = s[i + 1..].find(*q as char)?;
                    let v = &s[i + 1..i + 1 + close];
                    i += close + 2;
                    v
                }
                _ => {
                    let v_start = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    &s[v_start..i]
                }
            };
            attrs.push((attr, Some(value)));
        } else {
            attrs.push((attr, None));
        }
    }
}

/// The scheme of an unsafe URL, lower-cased, for messages (`javascript`).
pub(crate) fn scheme_of(url: &str) -> String {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    cleaned.split(':').next().unwrap_or("").to_ascii_lowercase()
}

/// Whether a value read as a URL leads off the page's own site or runs something: it has a
/// scheme (`https:`, `javascript:`) or starts with `//` (another host), once the tabs, line
/// breaks, spaces and control characters browsers ignore are gone.
fn leaves_the_page(value: &str) -> bool {
    let cleaned: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    if cleaned.starts_with("//")
        || cleaned.starts_with("\\\\")
        || cleaned.starts_with("/\\")
        || cleaned.starts_with("\\/")
    {
        return true;
    }
    let end = cleaned.find([':', '/', '?', '#']);
    end.is_some_and(|p| {
        cleaned.as_bytes().get(p) == Some(&b':')
            && cleaned[..p].starts_with(|c: char| c.is_ascii_alphabetic())
            && cleaned[..p]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    })
}

/// A URL is safe when it has no scheme (relative, `/`, `#`, `?`) or one of http, https, mailto,
/// tel. Control characters and whitespace are ignored, as browsers do.
pub(crate) fn safe_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    let scheme_end = cleaned.find([':', '/', '?', '#']);
    match scheme_end {
        Some(p) if cleaned.as_bytes().get(p) == Some(&b':') => {
            let scheme = cleaned[..p].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto" | "tel")
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(html: &str) -> (String, Vec<String>) {
        let mut s = Sanitizer::default();
        let mut out = String::new();
        let mut removed = Vec::new();
        s.clean(html, 0, &mut out, &mut removed);
        (out, removed.into_iter().map(|r| r.what).collect())
    }

    #[test]
    fn scripts_styles_iframes_are_removed_with_content() {
        let (out, removed) = clean(
            "<p>a</p><script>alert(1)</script><style>p{}</style><iframe src=\"https://x\"></iframe><p>b</p>",
        );
        assert_eq!(out, "<p>a</p><p>b</p>");
        assert_eq!(removed.len(), 3, "{removed:?}");
        assert!(removed[0].contains("<script>"));
    }

    #[test]
    fn event_handlers_style_and_javascript_urls_are_removed() {
        let (out, removed) = clean(
            "<a href=\"javascript:alert(1)\" onclick=\"x()\" style=\"color:red\" class=\"k\">x</a>",
        );
        assert_eq!(out, "<a class=\"k\">x</a>");
        assert_eq!(removed.len(), 3, "{removed:?}");
        let (out, removed) = clean("<a href=\"java&#115;cript&colon;alert(1)\">x</a>");
        assert_eq!(out, "<a>x</a>");
        assert!(removed[0].contains("javascript:"), "{removed:?}");
        let (out, _) = clean("<a href=\" JaVa\tScRiPt:alert(1)\">x</a>");
        assert_eq!(out, "<a>x</a>");
        let (out, _) = clean("<img alt=\"\" src=\"data:image/svg+xml,x\">");
        assert_eq!(out, "<img alt=\"\">");
    }

    #[test]
    fn allowed_markup_is_kept_and_rewritten_safely() {
        let (out, removed) = clean(
            "<details open><summary>More</summary><a href=\"/x/?a=1&amp;b=2\" title='say \"hi\"'>x</a></details>",
        );
        assert!(removed.is_empty(), "{removed:?}");
        assert_eq!(
            out,
            "<details open><summary>More</summary><a href=\"/x/?a=1&amp;b=2\" title=\"say &quot;hi&quot;\">x</a></details>"
        );
    }

    #[test]
    fn unknown_tags_go_but_their_text_stays() {
        let (out, removed) = clean("<form action=\"/x\"><button>Go</button></form> 1 < 2 > 0");
        assert_eq!(out, "Go 1 &lt; 2 &gt; 0");
        assert_eq!(removed.len(), 2);
    }

    #[test]
    fn img_without_alt_is_reported() {
        let mut s = Sanitizer::default();
        let (mut out, mut removed) = (String::new(), Vec::new());
        s.clean("<img src=\"/a.png\">", 10, &mut out, &mut removed);
        assert_eq!(out, "<img src=\"/a.png\">");
        assert_eq!(removed.len(), 1);
        assert!(removed[0].error);
        assert_eq!(removed[0].offset, 10);
    }

    #[test]
    fn state_carries_across_pieces() {
        let mut s = Sanitizer::default();
        let (mut out, mut removed) = (String::new(), Vec::new());
        s.clean("<script>", 0, &mut out, &mut removed);
        assert!(s.skipping());
        s.clean("alert(1)", 0, &mut out, &mut removed);
        s.clean("</script>", 0, &mut out, &mut removed);
        assert!(!s.skipping());
        s.clean("<!-- a", 0, &mut out, &mut removed);
        s.clean("b --><b>x</b>", 0, &mut out, &mut removed);
        assert_eq!(out, "<b>x</b>");
    }

    #[test]
    fn broken_tags_are_text() {
        let (out, _) = clean("<a href=\"x\" <script>alert(1)</script>");
        assert!(!out.contains("<script"), "{out}");
        let (out, _) = clean("<scr<script>ipt>alert(1)</script>");
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("alert"), "{out}");
    }

    /// The hostile review: each vector must come out with nothing a browser would run or load
    /// from a script URL. `dangerous` lists what must not survive (lower-cased output).
    fn assert_defused(html: &str, dangerous: &[&str]) {
        let (out, _) = clean(html);
        let lower = out.to_ascii_lowercase();
        // Text is harmless (every `<` in it is escaped); the tags we write are what matters.
        let tags: Vec<&str> = lower
            .match_indices('<')
            .map(|(i, _)| &lower[i..lower[i..].find('>').map_or(lower.len(), |e| i + e + 1)])
            .collect();
        for d in dangerous {
            assert!(
                !tags.iter().any(|t| t.contains(d)),
                "{html:?} let {d:?} through: {out:?}"
            );
        }
        // Whatever came out, every `<` starts a tag we wrote ourselves.
        for (i, _) in out.match_indices('<') {
            let rest = &lower[i + 1..];
            let name: String = rest
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            assert!(
                ELEMENTS.contains(&name.as_str()),
                "{html:?} gave a <{name}> tag: {out:?}"
            );
        }
    }

    #[test]
    fn hostile_event_handlers_in_every_form() {
        for v in [
            "<img src=x alt=\"\" onerror=alert(1)>",
            "<img src=x alt=\"\" ONERROR=\"alert(1)\">",
            "<img src=x alt=\"\"/onerror=alert(1)>",
            "<img src=x alt=\"\" onerror\t=\talert(1)>",
            "<details open ontoggle=alert(1)>x</details>",
            "<a href=/x onmouseover='alert(1)'>x</a>",
            "<p title=\"a\"onclick=\"alert(1)\">x</p>",
            "<div data-x=1 onfocus=alert(1) autofocus tabindex=0>x</div>",
        ] {
            assert_defused(
                v,
                &[
                    "onerror",
                    "ontoggle",
                    "onmouseover",
                    "onclick",
                    "onfocus",
                    "autofocus",
                ],
            );
        }
    }

    #[test]
    fn hostile_script_urls_in_every_url_attribute() {
        for attr in [
            "a href",
            "img alt=\"\" src",
            "img alt=\"\" srcset",
            "blockquote cite",
            "q cite",
            "del cite",
            "ins cite",
            "source srcset",
        ] {
            for url in [
                "javascript:alert(1)",
                "JaVaScRiPt:alert(1)",
                " \tjavascript:alert(1)",
                "java\nscript:alert(1)",
                "java&#115;cript:alert(1)",
                "java&#x73;cript&#x3A;alert(1)",
                "java&#0000115cript:alert(1)",
                "javascript&colon;alert(1)",
                "java&Tab;script:alert(1)",
                "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)",
                "vbscript:msgbox(1)",
                "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
                "DATA:image/svg+xml,<svg onload=alert(1)>",
            ] {
                for q in ["\"", "'", ""] {
                    if q.is_empty() && url.contains(char::is_whitespace) {
                        continue;
                    }
                    let v = format!("<{attr}={q}{url}{q}>x");
                    assert_defused(&v, &["javascript", "vbscript", "data:", "onload"]);
                }
            }
        }
        // A srcset whose second candidate is the bad one.
        assert_defused(
            "<img alt=\"\" srcset=\"/a.png 1x, javascript:alert(1) 2x\">",
            &["javascript"],
        );
    }

    #[test]
    fn hostile_elements_go_with_their_content() {
        for v in [
            "<svg onload=alert(1)><script>alert(1)</script></svg>",
            "<svg/onload=alert(1)>",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mtext></math>",
            "<style>@import 'javascript:alert(1)'; body{background:url(javascript:alert(1))}</style>",
            "<ScRiPt>alert(1)</sCrIpT>",
            "<script src=//evil.example/x.js></script>",
            "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
            "<object data=\"javascript:alert(1)\"></object>",
            "<embed src=\"javascript:alert(1)\">",
            "<template><script>alert(1)</script></template>",
            "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
        ] {
            assert_defused(
                v,
                &[
                    "alert(1)", "script", "svg", "math", "style", "iframe", "object", "embed",
                    "onerror",
                ],
            );
        }
    }

    #[test]
    fn hostile_base_form_meta_link_go() {
        for v in [
            "<base href=\"https://evil.example/\">",
            "<form action=\"https://evil.example/\"><input name=pw><button formaction=javascript:alert(1)>Go</button></form>",
            "<meta http-equiv=\"refresh\" content=\"0; url=javascript:alert(1)\">",
            "<link rel=stylesheet href=\"https://evil.example/x.css\">",
            "<a href=/x target=_blank rel=opener>x</a>",
            "<isindex action=javascript:alert(1)>",
        ] {
            assert_defused(
                v,
                &[
                    "evil.example",
                    "javascript",
                    "refresh",
                    "formaction",
                    "target",
                ],
            );
        }
    }

    #[test]
    fn hostile_unclosed_tags_comments_and_cdata() {
        for v in [
            "<a href=\"javascript:alert(1)\"",
            "<img src=x alt=\"\" onerror=\"alert(1)",
            "<script>alert(1)",
            "<!-- <script>alert(1)</script> -->",
            "<!-- --!><script>alert(1)</script> -->",
            "<!--><script>alert(1)</script> -->",
            "<!---->x<!-- a -- b --><img src=x onerror=alert(1)>",
            "<![CDATA[<script>alert(1)</script>]]>",
            "<![CDATA[><img src=x onerror=alert(1)>]]>",
            "<?xml version=\"1.0\"?><img src=x onerror=alert(1)>",
            "<!DOCTYPE html><img src=x onerror=alert(1)>",
            "<<script>alert(1)//<</script>",
            "<scr<script>ipt>alert(1)</scr</script>ipt>",
            "</script><script>alert(1)</script>",
            "<a href=\"/x\" <img src=x onerror=alert(1)>",
        ] {
            assert_defused(v, &["<script", "onerror", "javascript"]);
        }
    }

    #[test]
    fn hostile_nul_and_odd_bytes() {
        for v in [
            "<scr\0ipt>alert(1)</scr\0ipt>",
            "<a href=\"java\0script:alert(1)\">x</a>",
            "<a href=\"\u{1}javascript:alert(1)\">x</a>",
            "<img src=x alt=\"\" on\0error=alert(1)>",
            "<a\0href=javascript:alert(1)>x</a>",
            "<a href=\"\u{feff}javascript:alert(1)\">x</a>",
        ] {
            assert_defused(v, &["<script", "javascript", "onerror", "on\0error"]);
        }
    }

    #[test]
    fn hostile_attribute_quoting_cannot_break_out() {
        for v in [
            "<a href=/x\"onclick=alert(1)//>x</a>",
            "<a title='x\" onclick=\"alert(1)'>x</a>",
            "<a title=x`onclick=alert(1)>x</a>",
            "<p class=\"a&quot; onclick=&quot;alert(1)\">x</p>",
            "<img alt=\"x\" title=\"a\" title=\"javascript:alert(1)\" src=\"/a.png\">",
        ] {
            let (out, _) = clean(v);
            // The only attributes written are the allowed ones, each quoted by us.
            for part in out.split('<').skip(1) {
                let tag = part.split('>').next().unwrap_or("");
                let mut in_quote = false;
                let mut outside = String::new();
                for c in tag.chars() {
                    if c == '"' {
                        in_quote = !in_quote;
                    } else if !in_quote {
                        outside.push(c);
                    }
                }
                assert!(!outside.contains("onclick"), "{v:?} gave {out:?}");
            }
        }
    }

    /// QA Q34: raw HTML dressed as the theme's video facade must not hand its script an
    /// address to load (`javascript:` ran on the site's origin; another site's page was framed).
    #[test]
    fn hostile_data_attributes_cannot_feed_theme_scripts() {
        for v in [
            "javascript:parent.alert(1)",
            "https://evil.example/phish.html",
            "//evil.example/x",
            " \tJaVa&#x53;cript:alert(1)",
            "\\\\evil.example/x",
            "data:text/html,<script>alert(1)</script>",
        ] {
            let html = format!(
                "<div class=\"player player-facade\" data-player=\"{v}\" data-title=\"Our video\"><a class=\"facade\" href=\"https://www.youtube.com/watch?v=abc\">Play</a></div>"
            );
            let (out, removed) = clean(&html);
            assert!(!out.contains("data-player"), "{v}: {out}");
            assert!(out.contains("data-title=\"Our video\""), "{v}: {out}");
            assert_eq!(
                removed,
                ["`data-player` holding an address on <div>"],
                "{v}"
            );
        }
        // Data that is not an address stays.
        let (out, removed) = clean("<span data-time=\"10:30\" data-n=\"/stories/x/\">t</span>");
        assert_eq!(
            out,
            "<span data-time=\"10:30\" data-n=\"/stories/x/\">t</span>"
        );
        assert!(removed.is_empty(), "{removed:?}");
    }

    #[test]
    fn hostile_nested_links_keep_no_bad_url() {
        let (out, removed) = clean("<a href=\"/ok\"><a href=\"javascript:alert(1)\">x</a></a>");
        assert_eq!(out, "<a href=\"/ok\"><a>x</a></a>");
        assert_eq!(removed.len(), 1);
    }
}
