//! Image checks, per document, each a diagnostic at the field or the markdown line: a lead or
//! body image that does not exist or is not an image (by content), missing alt text (an image is
//! decorative only when marked: `image_alt: ""` or `![""](…)`), alt text that is a file name or
//! too long, sources that are too big, images narrower than the text column, a bad focus point,
//! and a title the generated share card cannot draw (its font lacks the script); and, per SVG
//! file, what would make it unsafe to publish as it is ([`svg`]).

use super::{COLUMN_PX, Entry, Images, html::is_decorative, parse_focus, resolve_src};
use crate::content::Document;
use crate::diagnostics::{Diagnostic, Lines};
use crate::markdown::Rendered;

/// Alt text longer than this is a warning (screen readers read it in one breath).
pub(crate) const ALT_MAX: usize = 250;
/// Sources over this many pixels or bytes are a warning.
pub(crate) const MAX_PIXELS: u64 = 20_000_000;
pub(crate) const MAX_BYTES: u64 = 15 * 1024 * 1024;

/// Alt text that is a file name (`IMG_2041.jpg`, `DSC0001`, `photo.png`).
pub(crate) fn looks_like_file_name(alt: &str) -> bool {
    let a = alt.trim().to_ascii_lowercase();
    let exts = [
        ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".heic", ".avif",
    ];
    if exts.iter().any(|e| a.ends_with(e)) && !a.contains(' ') {
        return true;
    }
    let camera = [
        "img_",
        "img-",
        "dsc",
        "dscn",
        "pxl_",
        "screenshot",
        "image0",
        "photo_",
    ];
    !a.contains(' ')
        && camera.iter().any(|p| a.starts_with(p))
        && a.chars().any(|c| c.is_ascii_digit())
}

/// The error about an image that cannot be used, and its help line: "{path} is not an image:
/// {why}", or "is too large for lmp" for a picture over the pixels lmp decodes (QA s7 Q106: a
/// 108-megapixel phone photo was said not to be an image). `otherwise` is the help for a file
/// that is not an image at all.
pub(crate) fn unusable<'a>(path: &str, why: &str, otherwise: &'a str) -> (String, &'a str) {
    let message = if why.contains(super::codec::TOO_LARGE) {
        format!("{path} is too large for lmp: {why}")
    } else if why.contains(super::TOO_LONG) {
        format!("{path} is too long for lmp: {why}")
    } else {
        // "is not an image: it is a text file" (QA s13: "…, not an image" was said twice).
        let why = why.strip_suffix(", not an image").unwrap_or(why);
        format!("{path} is not an image: {why}")
    };
    (message, not_image_help(why, otherwise))
}

/// The help line of an image that cannot be used, by why (`otherwise` for a file that is not
/// an image at all).
fn not_image_help<'a>(why: &str, otherwise: &'a str) -> &'a str {
    if why.starts_with(super::codec::CUT_SHORT) {
        "the copy or upload of this file was interrupted: copy it again from the original"
    } else if why.contains(super::TOO_LONG) {
        "cut it into parts, each at most 65,535 px long, and show them one after another"
    } else if why.contains(super::codec::TOO_LARGE) {
        "export it smaller (2400 px wide is plenty for the web; a phone's 50- or 108-megapixel mode makes pictures this large)"
    } else if why.contains("HEIC") {
        "export it as JPEG (Photos: File → Export; on the iPhone, Settings → Camera → Formats → Most Compatible takes JPEG photos)"
    } else {
        otherwise
    }
}

/// Warnings about an alt text.
fn alt_warnings(alt: &str, at: &dyn Fn(String) -> Diagnostic) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if looks_like_file_name(alt) {
        out.push(at(format!("the alt text `{alt}` is a file name")).with_help(
            "describe what the picture shows for people who cannot see it, e.g. \"Three radiology technicians at a scanner\"",
        ));
    }
    let n = alt.chars().count();
    if n > ALT_MAX {
        out.push(at(format!("the alt text is {n} characters long")).with_help(format!(
            "keep alt text under {ALT_MAX} characters; put longer descriptions in the caption or the text"
        )));
    }
    out
}

/// Warnings about a source's size, about an image narrower than the column, and about an
/// animation (only its first frame is published: QA s5 Q60).
fn size_warnings(path: &str, e: &Entry, at: &dyn Fn(String) -> Diagnostic) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let Entry::Raster(r) = e else {
        return out;
    };
    if r.frames > 1 {
        let what = match r.kind {
            super::codec::Kind::Png => "an animated PNG",
            super::codec::Kind::Webp => "an animated WebP",
            _ => "an animated GIF",
        };
        let more = if r.frames >= super::codec::FRAMES_COUNTED {
            " or more"
        } else {
            ""
        };
        out.push(
            at(format!(
                "{path} is {what} ({} frames{more}): only its first frame is shown",
                r.frames
            ))
            .with_help(
                "to show the motion, make it a short video (an MP4 with captions: a `{video}` in the text or a page in videos/); if the motion does not matter, save the frame you want as a still JPEG or PNG and use that",
            ),
        );
    }
    let mp = r.width as u64 * r.height as u64;
    if mp > MAX_PIXELS || r.bytes > MAX_BYTES {
        out.push(
            at(format!(
                "{path} is {}×{} pixels ({:.1} megapixels, {})",
                r.width,
                r.height,
                mp as f64 / 1e6,
                crate::util::human_size(r.bytes)
            ))
            .with_help(
                "export it at most 20 megapixels and 15 MB (2400 px wide is plenty for the web): big sources slow every cold build",
            ),
        );
    }
    if r.width < COLUMN_PX {
        out.push(
            at(format!(
                "{path} is {} px wide, narrower than the text column ({COLUMN_PX} px)",
                r.width
            ))
            .with_help(format!(
                "use a picture at least {} px wide (twice the column, for sharp phone screens)",
                COLUMN_PX * 2
            )),
        );
    }
    out
}

/// Every image diagnostic of document `d` whose rendered body is `r`.
pub(crate) fn check_doc(
    d: &Document,
    r: &Rendered,
    images: &Images,
    base_url: &str,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    out.extend(component_warnings(d, r, base_url));
    // A field a translation takes from its original is checked at the original, where it is
    // written and fixed: not again at the translation, at its line 1.
    let own = |key: &str| {
        d.translation
            .as_ref()
            .is_none_or(|t| t.own.contains_key(key))
    };
    if let Some(path) = d.common.image.as_ref().filter(|_| own("image")) {
        let err = |m: String| d.error_at("image", m);
        let warn = |m: String| d.warning_at("image", m);
        match images.get(path) {
            // A missing file is reported by the reference checks.
            None => {}
            Some(Entry::NotImage(why)) => {
                let (message, help) = unusable(
                    path,
                    why,
                    "use a JPEG, PNG, WebP or GIF photo (or an SVG drawing) under static/, e.g. `image: /images/team.jpg`",
                );
                out.push(err(format!("`image`: {message}")).with_help(help));
            }
            Some(e) => {
                out.extend(size_warnings(path, e, &warn));
                if let Entry::Raster(r) = e
                    && !super::fits_card(r)
                {
                    let instead = if images.cards.contains_key(&d.url) {
                        "the page is shared with a generated card instead"
                    } else {
                        "the page is shared without a picture"
                    };
                    out.push(
                        warn(format!(
                            "{path} ({}×{}) is too small for a share card: {instead}",
                            r.width, r.height
                        ))
                        .with_help(format!(
                            "social sites show a large picture only from about {} px across: use a lead image at least 1200 px wide to share the photo",
                            super::OG_MIN_WIDTH
                        )),
                    );
                }
            }
        }
    }
    if d.common.image.is_some()
        && own("image_alt")
        && let Some(alt) = &d.common.image_alt
    {
        out.extend(alt_warnings(alt, &|m| d.warning_at("image_alt", m)));
    }
    if let Some(f) = d.common.image_focus.as_ref().filter(|_| own("image_focus")) {
        if let Err(m) = parse_focus(f) {
            out.push(d.error_at("image_focus", format!("`image_focus`: {m}")).with_help(
                "write the point to keep in crops as `x% y%` from the top left (e.g. `50% 30%`), or `center`, `top`, `bottom`, `left`, `right`",
            ));
        } else if d.common.image.is_none() {
            out.push(
                d.warning_at("image_focus", "`image_focus` without `image`")
                    .with_help("add the `image:` it is for, or remove `image_focus`"),
            );
        }
    }
    for key in ["image_caption", "image_credit", "image_alt"] {
        let set = match key {
            "image_caption" => d.common.image_caption.is_some(),
            "image_credit" => d.common.image_credit.is_some(),
            _ => false,
        };
        if set && own(key) && d.common.image.is_none() {
            out.push(
                d.warning_at(key, format!("`{key}` without `image`"))
                    .with_help(format!("add the `image:` it is for, or remove `{key}`")),
            );
        }
    }
    if images.cards.contains_key(&d.url) {
        let missing = super::card::missing_glyphs(&d.common.title);
        if !missing.is_empty() {
            let shown = missing
                .iter()
                .take(5)
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let more = if missing.len() > 5 {
                format!(" and {} more", missing.len() - 5)
            } else {
                String::new()
            };
            let (message, help) = if missing.iter().any(|c| c.is_alphanumeric()) {
                (
                    format!(
                        "the share card leaves out the title: its font has no letter {shown}{more}"
                    ),
                    "the card's bundled font covers the Latin, Greek and Cyrillic scripts, so the card shows the site's name and the collection rather than empty boxes; give the page a lead `image:` to share a picture instead",
                )
            } else {
                (
                    format!(
                        "the share card leaves {shown}{more} out of the title: its font has no such sign"
                    ),
                    "the card shows the rest of the title; give the page a lead `image:` to share a picture instead",
                )
            };
            out.push(d.warning_at("title", message).with_help(help));
        }
    }
    // One line index for every picture's diagnostics (QA Q135); the text is read only for a
    // body that shows pictures (`serve` keeps it on disk: issue 15).
    if !r.links.iter().any(|l| l.is_image) {
        return out;
    }
    let text = d.whole_text();
    let lines = Lines::new(&text);
    let body = Body {
        path: &d.path,
        rel: &d.rel,
        body_line: d.body_line,
        lines: &lines,
    };
    out.extend(body_images(&body, &r.links, images));
    out
}

/// Where a body is: its file, its rel path, the file's line where the body starts, and the
/// file's lines.
pub(crate) struct Body<'a> {
    pub path: &'a std::path::Path,
    pub rel: &'a str,
    pub body_line: usize,
    pub lines: &'a Lines<'a>,
}

/// The diagnostics of the pictures of a body (`links`, as rendered): no alt text, an alt text
/// that is a file name or too long, a file that is not an image, too big or too narrow. Also
/// for a file whose front matter has errors (QA s11: the pipeline's `stub_notes`).
pub(crate) fn body_images(
    b: &Body<'_>,
    links: &[crate::markdown::Link],
    images: &Images,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let lines = b.lines;
    for l in links.iter().filter(|l| l.is_image) {
        let line = b.body_line + l.line - 1;
        let err = |m: String| Diagnostic::error(b.path, line, l.col, m).with_source_in(lines);
        let warn = |m: String| Diagnostic::warning(b.path, line, l.col, m).with_source_in(lines);
        let dest = l.dest.as_str();
        let external = dest.contains("://") || dest.starts_with("//") || dest.starts_with("data:");
        if l.alt.trim().is_empty() {
            // A `data:` URL can be 100 kB of base64 (QA Q57): shown cut.
            let shown = crate::diagnostics::shorten(dest, 80);
            out.push(err(format!("the image {shown} has no alt text")).with_help(
                "describe the picture between the brackets: `![Three nurses at the station](…)`; if it is purely decorative, write `![\"\"](…)`",
            ));
        } else if !is_decorative(&l.alt) {
            out.extend(alt_warnings(&l.alt, &warn));
        }
        if external {
            continue;
        }
        // A missing file or a path outside static/ is a broken link: the link check reports it.
        let Some(path) = resolve_src(b.rel, dest) else {
            continue;
        };
        match images.get(&path) {
            None => {}
            Some(Entry::NotImage(why)) => {
                let (message, help) = unusable(
                    dest,
                    why,
                    "use a JPEG, PNG, WebP or GIF photo, or an SVG drawing",
                );
                out.push(err(message).with_help(help));
            }
            Some(e) => out.extend(size_warnings(&path, e, &warn)),
        }
    }
    out
}

/// Where each `key: value` line of each ```` ```{name} ```` block of a document is: (component
/// name, key, value) → (line, column), in order, for warnings about component calls (which
/// do not keep their positions).
pub(crate) fn component_lines(text: &str) -> Vec<(String, String, String, usize, usize)> {
    let mut out = Vec::new();
    // Without a fence there is no block (most documents): one vector search each instead of
    // reading every line (0.7 % of a build's instructions at 10,000 documents).
    if memchr::memmem::find(text.as_bytes(), b"```").is_none()
        && memchr::memmem::find(text.as_bytes(), b"~~~").is_none()
    {
        return out;
    }
    let mut open: Option<(&str, String)> = None;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        match &open {
            None => {
                for f in ["```", "~~~"] {
                    if let Some(rest) = t.strip_prefix(f) {
                        let rest = rest.trim_start_matches(['`', '~']).trim();
                        if let Some(name) = rest.strip_prefix('{').and_then(|r| r.split('}').next())
                        {
                            open = Some((f, name.trim().to_string()));
                        }
                    }
                }
            }
            Some((f, _)) if t.starts_with(f) => open = None,
            Some((_, name)) => {
                if let Some((k, v)) = t.split_once(':') {
                    // The value's column in characters (where a wrong value is pointed at).
                    let before = line.len() - v.trim_start().len();
                    let col = line[..before].chars().count() + 1;
                    let v = v.trim().trim_matches(['"', '\'']);
                    out.push((
                        name.clone(),
                        k.trim().to_string(),
                        v.to_string(),
                        i + 1,
                        col,
                    ));
                }
            }
        }
    }
    out
}

/// Warnings about component calls, at their argument's line: a video file played by a
/// ```` ```{video} ```` without captions (WCAG 1.2.2; what the component published decides: a
/// `<video>` without a `<track>`), as for a video page's `src` (QA s5 Q49); a ```` ```{figure} ````
/// whose picture is on another site (hot-linked: not resized, no width and height, a request to
/// that site on every page view; QA s5); an address of the site itself (under `base_url`) is
/// not another site's: the component reads it as the site's own file.
fn component_warnings(d: &Document, r: &Rendered, base_url: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // The text is read only for a body that calls components (`serve` keeps it on disk).
    if r.calls.is_empty() {
        return out;
    }
    let text = d.whole_text();
    let lines = Lines::new(&text);
    let places = component_lines(&text);
    // Each (component, key, value) → its places in file order, taken one by one as the calls
    // come in the same order (QA s10: a scan of every place per warning made a file of many
    // videos without captions quadratic).
    type Arg = (String, String, String);
    let mut by_arg: std::collections::HashMap<Arg, std::collections::VecDeque<(usize, usize)>> =
        std::collections::HashMap::new();
    for (name, key, value, line, col) in places {
        by_arg
            .entry((name, key, value))
            .or_default()
            .push_back((line, col));
    }
    // Counted as one read of the file, and one step per warning.
    crate::diagnostics::work(text.len());
    let mut at = |name: &str, key: &str, value: &str| {
        crate::diagnostics::work(1);
        by_arg
            .get_mut(&(name.to_string(), key.to_string(), value.to_string()))
            .and_then(std::collections::VecDeque::pop_front)
            .unwrap_or((d.body_line, 1))
    };
    for c in &r.calls {
        let Ok(html) = &c.output else { continue };
        let src = c
            .args
            .get("src")
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        if c.name == "video" && html.contains("<video") && !html.contains("<track") {
            let (line, col) = at("video", "src", src);
            out.push(
                Diagnostic::warning(&d.path, line, col, format!("the video {src} has no captions"))
                    .with_help("add `captions: /captions/clip.vtt` (a WebVTT file under static/) to the component: readers who cannot hear the sound need them, and the transcript does not replace them while the video plays")
                    .with_source_in(&lines),
            );
        }
        if c.name == "figure"
            && (src.starts_with("https://") || src.starts_with("http://") || src.starts_with("//"))
            && crate::config::own_address(base_url, src).is_none()
        {
            let (line, col) = at("figure", "src", src);
            out.push(
                Diagnostic::warning(&d.path, line, col, format!("the picture {src} is on another site: it is shown as it is there"))
                    .with_help("save it under static/images/ and write its site path (`src: /images/photo.jpg`): lmp then resizes it for phones, gives it a width and height, and readers' browsers ask no other site for it")
                    .with_source_in(&lines),
            );
        }
    }
    out
}

/// The problems of an SVG file, which lmp publishes as it is: opened directly (not through
/// `<img>`) it is a document of the site's origin, so a script, an event handler (`onload=`), a
/// `javascript:` address or an embedded page in it runs as the site: each an error at its
/// line and column. A reference to another site (an image, a font, a stylesheet) makes the
/// reader's browser ask that site when the file is opened: a warning.
pub(crate) fn svg(bytes: &[u8], file: &std::path::Path) -> Vec<Diagnostic> {
    let text = String::from_utf8_lossy(bytes);
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    // One line index for every problem of the file (QA Q135).
    let lines = Lines::new(&text);
    let at = |i: usize| lines.line_col(i);
    let error = |i: usize, m: String| {
        let (line, col) = at(i);
        Diagnostic::error(file, line, col, m)
            .with_help("remove it: lmp publishes SVG files as they are, and opened on its own an SVG runs its scripts as a page of this site (draw the picture without them, or export it again as a plain SVG)")
            .with_source_in(&lines)
    };
    let warning = |i: usize, m: String| {
        let (line, col) = at(i);
        Diagnostic::warning(file, line, col, m)
            .with_help("put the file it needs under static/ and refer to it by its site path, or embed it in the SVG")
            .with_source_in(&lines)
    };
    let external = |v: &str| {
        let v = v.trim_start_matches(|c: char| c.is_whitespace() || c == '\'' || c == '"');
        v.starts_with("http:") || v.starts_with("https:") || v.starts_with("//")
    };
    let mut i = 0;
    while let Some(off) = lower.get(i..).and_then(|r| r.find('<')) {
        let start = i + off;
        let rest = lower.get(start..).unwrap_or_default();
        if rest.starts_with("<!--") {
            i = start + rest.find("-->").map_or(rest.len(), |e| e + 3);
            continue;
        }
        if rest.starts_with("<![cdata[") || rest.starts_with("<!") || rest.starts_with("<?") {
            i = start + 2;
            continue;
        }
        // The tag up to its `>`, quotes respected.
        let mut end = rest.len();
        let mut quote = None;
        for (j, c) in rest.char_indices().skip(1) {
            match (quote, c) {
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, '>') => {
                    end = j;
                    break;
                }
                _ => {}
            }
        }
        let tag = rest.get(1..end).unwrap_or_default();
        let name_len = tag
            .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
            .unwrap_or(tag.len());
        let name = tag.get(..name_len).unwrap_or_default();
        let local = name.rsplit(':').next().unwrap_or(name);
        if matches!(local, "script" | "iframe" | "embed" | "object" | "frame") {
            out.push(error(start, format!("the SVG has a `<{name}>` element")));
        }
        // Attributes: name, then an optional `=value`.
        let attrs = tag.get(name_len..).unwrap_or_default();
        let base = start + 1 + name_len;
        let b = attrs.as_bytes();
        let mut k = 0;
        while k < b.len() {
            if b.get(k)
                .is_some_and(|c| c.is_ascii_whitespace() || *c == b'/')
            {
                k += 1;
                continue;
            }
            let a0 = k;
            while k < b.len() && !b[k].is_ascii_whitespace() && b[k] != b'=' && b[k] != b'/' {
                k += 1;
            }
            let aname = attrs.get(a0..k).unwrap_or_default();
            while k < b.len() && b[k].is_ascii_whitespace() {
                k += 1;
            }
            let mut value = "";
            let mut v0 = k;
            if b.get(k) == Some(&b'=') {
                k += 1;
                while k < b.len() && b[k].is_ascii_whitespace() {
                    k += 1;
                }
                match b.get(k) {
                    Some(&q) if q == b'"' || q == b'\'' => {
                        v0 = k + 1;
                        let e = attrs
                            .get(v0..)
                            .and_then(|r| r.find(q as char))
                            .map_or(b.len(), |e| v0 + e);
                        value = attrs.get(v0..e).unwrap_or_default();
                        k = e + 1;
                    }
                    _ => {
                        v0 = k;
                        while k < b.len() && !b[k].is_ascii_whitespace() {
                            k += 1;
                        }
                        value = attrs.get(v0..k).unwrap_or_default();
                    }
                }
            }
            if aname.is_empty() {
                k += 1;
                continue;
            }
            if aname.starts_with("on") && aname.len() > 2 {
                out.push(error(
                    base + a0,
                    format!("the SVG has an event handler `{aname}=` (a script)"),
                ));
            }
            let decoded: String = crate::escape::decode_entities(value)
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            if decoded.starts_with("javascript:") || decoded.starts_with("vbscript:") {
                out.push(error(
                    base + v0,
                    format!("the SVG has a script address in `{aname}=`"),
                ));
            } else if matches!(aname.rsplit(':').next(), Some("href" | "src"))
                && external(value)
                && local != "a"
            {
                out.push(warning(
                    base + v0,
                    format!(
                        "the SVG loads `{}` from another site",
                        text.get(base + v0..base + v0 + value.len())
                            .unwrap_or(value)
                    ),
                ));
            }
        }
        i = start + end.max(1);
    }
    // Stylesheets: `@import` and `url(…)` of another site.
    for pat in ["@import", "url("] {
        let mut from = 0;
        while let Some(off) = lower.get(from..).and_then(|r| r.find(pat)) {
            let p = from + off;
            let after = lower.get(p + pat.len()..).unwrap_or_default();
            // `@import url(…)` is found as `url(`.
            let after = after.trim_start();
            if external(after) && !after.starts_with("url(") {
                out.push(warning(
                    p,
                    "the SVG's style loads a file from another site".to_string(),
                ));
            }
            from = p + pat.len();
        }
    }
    out.sort_by_key(|d| (d.line, d.col));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `key: value` lines of component blocks, fenced with backticks or tildes, at their line
    /// and column; none in a text without a fence, or with only code fences.
    #[test]
    fn component_lines_are_found_in_either_fence_and_only_there() {
        let text = "---\ntitle: x\n---\nIntro: not a call.\n\n```{video}\n  src: a.mp4\ncaptions: \"b.vtt\"\n```\n\n~~~~{figure}\nimage: c.jpg\n~~~~\n\n```yaml\nkey: value\n```\n";
        let row = |n: &str, k: &str, v: &str, line, col| {
            (n.to_string(), k.to_string(), v.to_string(), line, col)
        };
        assert_eq!(
            component_lines(text),
            [
                row("video", "src", "a.mp4", 7, 8),
                row("video", "captions", "b.vtt", 8, 11),
                row("figure", "image", "c.jpg", 12, 8),
            ]
        );
        assert!(component_lines("title: x\nkey: value {video}\n").is_empty());
        assert!(component_lines("~~~\nkey: value\n~~~\n").is_empty());
    }

    fn raster(width: u32, height: u32, bytes: u64) -> Entry {
        raster_of(super::super::codec::Kind::Jpeg, 1, width, height, bytes)
    }

    fn raster_of(
        kind: super::super::codec::Kind,
        frames: u32,
        width: u32,
        height: u32,
        bytes: u64,
    ) -> Entry {
        Entry::Raster(std::sync::Arc::new(super::super::Raster {
            kind,
            width,
            height,
            bytes,
            alpha: false,
            frames,
            colour: 0,
            digest: 0,
            ladder: Vec::new(),
        }))
    }

    fn warnings(e: &Entry) -> Vec<String> {
        let at = |m: String| Diagnostic::warning(std::path::Path::new("x.md"), 1, 1, m);
        size_warnings("/images/x.jpg", e, &at)
            .into_iter()
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn sources_over_20_megapixels_or_15_mb_and_narrow_images_are_warnings() {
        assert_eq!(warnings(&raster(2400, 1600, 900_000)), Vec::<String>::new());
        assert_eq!(
            warnings(&raster(3000, 2000, 16 * 1024 * 1024)),
            ["/images/x.jpg is 3000×2000 pixels (6.0 megapixels, 16.8 MB)"]
        );
        assert_eq!(
            warnings(&raster(6000, 4200, 3_000_000)),
            ["/images/x.jpg is 6000×4200 pixels (25.2 megapixels, 3.0 MB)"]
        );
        assert_eq!(
            warnings(&raster(600, 400, 50_000)),
            ["/images/x.jpg is 600 px wide, narrower than the text column (656 px)"]
        );
    }

    #[test]
    fn an_animated_image_is_a_warning_that_only_its_first_frame_is_shown() {
        use super::super::codec::Kind;
        assert_eq!(
            warnings(&raster_of(Kind::Gif, 3, 800, 600, 90_000)),
            ["/images/x.jpg is an animated GIF (3 frames): only its first frame is shown"]
        );
        assert_eq!(
            warnings(&raster_of(Kind::Webp, 1000, 800, 600, 90_000)),
            [
                "/images/x.jpg is an animated WebP (1000 frames or more): only its first frame is shown"
            ]
        );
        assert!(warnings(&raster_of(Kind::Gif, 1, 800, 600, 90_000)).is_empty());
    }

    #[test]
    fn file_name_alts() {
        assert!(looks_like_file_name("IMG_2041.jpg"));
        assert!(looks_like_file_name("DSC0001"));
        assert!(looks_like_file_name("team.png"));
        assert!(!looks_like_file_name("Three nurses at the station"));
        assert!(!looks_like_file_name("Image of a team in 2019"));
    }
}

#[cfg(test)]
mod svg_tests {
    use super::svg;

    fn problems(text: &str) -> Vec<String> {
        svg(text.as_bytes(), std::path::Path::new("site/static/x.svg"))
            .into_iter()
            .map(|d| {
                format!(
                    "{}:{}:{} {}",
                    if d.is_error() { "E" } else { "W" },
                    d.line,
                    d.col,
                    d.message
                )
            })
            .collect()
    }

    #[test]
    fn scripts_handlers_and_script_addresses_in_an_svg_are_errors() {
        let p = problems(
            "<svg xmlns='http://www.w3.org/2000/svg' onload=\"alert(1)\">\n<script>alert(2)</script>\n<a href=\"&#106;avascript:alert(3)\"><rect/></a>\n<SVG:SCRIPT>x</SVG:SCRIPT><foreignObject><iframe src='/x'></iframe></foreignObject></svg>",
        );
        assert_eq!(
            p,
            vec![
                "E:1:41 the SVG has an event handler `onload=` (a script)",
                "E:2:1 the SVG has a `<script>` element",
                "E:3:10 the SVG has a script address in `href=`",
                "E:4:1 the SVG has a `<svg:script>` element",
                "E:4:42 the SVG has a `<iframe>` element",
            ]
        );
    }

    #[test]
    fn references_to_other_sites_are_warnings_and_a_plain_svg_passes() {
        let p = problems(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n<image xlink:href=\"https://tracker.example/p.png\"/>\n<style>@import url(//fonts.example/f.css);</style><use href=\"#a\"/></svg>",
        );
        assert_eq!(
            p,
            vec![
                "W:2:20 the SVG loads `https://tracker.example/p.png` from another site",
                "W:3:16 the SVG's style loads a file from another site",
            ]
        );
        // The namespace declarations, a link to another site and a local reference are fine.
        assert!(problems("<?xml version='1.0'?><!-- <script> in a comment --><svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 10 10'><a href='https://example.org/'><circle r='3' fill='url(#g)'/></a><use href='#c'/></svg>").is_empty());
    }
}
