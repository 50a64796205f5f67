//! A small scanner over the bytes of an output page (HTML, or the XML of the feed and sitemap):
//! it finds every id an anchor may point at and every URL a reader (or a feed reader, or a
//! crawler) can follow, without building a tree. It skips comments, `<script>` and `<style>`
//! bodies, and decodes character references in attribute values (with the sanitiser's decoder;
//! the two tag readers stay apart: this one is a lenient byte scanner over whole pages, the
//! sanitiser's a strict parser that rewrites every tag it keeps). A sitemap as lmp writes it is
//! read line by line instead (its URLs are all it has; see [`sitemap`]), with the same result.

use std::borrow::Cow;

use memchr::{memchr, memmem};

/// Where on a page a URL was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Attr {
    /// `href` (`<a>`, `<link>`, `<area>`).
    Href,
    /// `src`, `poster` or `data`: something the page loads (an image, a video, a script).
    Src,
    /// One candidate of a `srcset`.
    Srcset,
    /// `<form action>`.
    Action,
    /// The URL of `<meta http-equiv="refresh" content="0; url=…">`.
    Refresh,
    /// The text of a sitemap's `<loc>`.
    Loc,
}

impl Attr {
    /// Whether the target is loaded with the page (an image or media), rather than followed.
    pub(crate) fn is_embedded(self) -> bool {
        matches!(self, Attr::Src | Attr::Srcset)
    }
}

/// What [`scan`] found, in document order.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Found {
    /// The values of `id` attributes.
    pub ids: Vec<String>,
    /// The values of `name` on `<a>` (old-style anchors: link targets too, but not ids).
    pub names: Vec<String>,
    pub urls: Vec<(Attr, String)>,
    /// Per URL of `urls`, the byte offset of its attribute value (of the candidate in a
    /// `srcset`, of the `content` of a refresh, of the text of a `<loc>`), for pointing at it
    /// in a source file. Links of an escaped feed body carry the offset of the body.
    pub at: Vec<usize>,
}

/// Scan a page. Never fails: malformed markup ends the scan of that construct, not the page.
pub(crate) fn scan(page: &[u8]) -> Found {
    let mut found = Found::default();
    visit(page, &mut found);
    found
}

/// What a scan finds, handed over one at a time as it is found (in document order), borrowed
/// from the page where it is written as it reads (no character reference): a caller that keeps
/// only some of it, or joins it, copies nothing else.
pub(crate) trait Visit<'p> {
    /// The value of an `id` attribute (not empty).
    fn id(&mut self, id: Cow<'p, str>);
    /// The value of `name` on an `<a>` (not empty).
    fn name(&mut self, name: Cow<'p, str>);
    /// A URL, and where it is written (see [`Found::at`]).
    fn url(&mut self, attr: Attr, url: Cow<'p, str>, at: usize);
}

impl<'p> Visit<'p> for Found {
    fn id(&mut self, id: Cow<'p, str>) {
        self.ids.push(id.into_owned());
    }
    fn name(&mut self, name: Cow<'p, str>) {
        self.names.push(name.into_owned());
    }
    fn url(&mut self, attr: Attr, url: Cow<'p, str>, at: usize) {
        self.urls.push((attr, url.into_owned()));
        self.at.push(at);
    }
}

/// [`scan`], handing what it finds to `found`.
pub(crate) fn visit<'p>(page: &'p [u8], found: &mut impl Visit<'p>) {
    if let Some(urls) = sitemap(page) {
        for (attr, url, at) in urls {
            found.url(attr, url, at);
        }
        return;
    }
    visit_tags(page, found);
}

/// What [`visit_tags`] finds in a sitemap written as `render::feeds` writes it (one `<loc>` or
/// one `<xhtml:link>` a line, nothing else with a URL), read line by line without the tag
/// reader: each URL as the tag reader gives it (decoded; a `<loc>`'s text trimmed, and left out
/// when empty), with its offset. `None` when the page is not such a sitemap: a line that is not
/// one `render::feeds` writes (then the page is read by the tag reader). With a second language
/// the sitemap is 2.5 times longer (each page's `hreflang` alternates, addresses of known
/// pages): its scan was ~45 million instructions of a 10,000-document build (issue 16).
pub(crate) fn sitemap(page: &[u8]) -> Option<Vec<(Attr, Cow<'_, str>, usize)>> {
    const DECL: &[u8] = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    const URLSET: &[u8] = b"<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">";
    const URLSET_XHTML: &[u8] = b"<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
        xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">";
    const INDEX: &[u8] = b"<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">";
    const ALTERNATE: &[u8] = b"    <xhtml:link rel=\"alternate\" hreflang=\"";
    let mut i = DECL.len();
    if !page.starts_with(DECL) {
        return None;
    }
    let mut urls = Vec::new();
    while i < page.len() {
        let end = memchr(b'\n', &page[i..]).map_or(page.len(), |e| i + e);
        let line = &page[i..end];
        if let Some(rest) = line
            .strip_prefix(b"  <url><loc>")
            .or_else(|| line.strip_prefix(b"  <sitemap><loc>"))
        {
            // `<loc>URL</loc>`, then `<lastmod>DATE</lastmod>`, then the end of the line, or
            // the `</url>` or `</sitemap>` that closes it.
            let v0 = end - rest.len();
            let e = memchr(b'<', rest)?;
            let rest = rest[e..].strip_prefix(b"</loc>")?;
            let rest = match rest.strip_prefix(b"<lastmod>") {
                Some(r) => r[memchr(b'<', r)?..].strip_prefix(b"</lastmod>")?,
                None => rest,
            };
            if !matches!(rest, b"" | b"</url>" | b"</sitemap>") {
                return None;
            }
            match decode(&page[v0..v0 + e]) {
                Cow::Borrowed(t) if !t.trim().is_empty() => {
                    urls.push((Attr::Loc, Cow::Borrowed(t.trim()), v0));
                }
                Cow::Owned(t) if !t.trim().is_empty() => {
                    urls.push((Attr::Loc, Cow::Owned(t.trim().to_string()), v0));
                }
                _ => {}
            }
        } else if let Some(rest) = line.strip_prefix(ALTERNATE) {
            // `hreflang="LANG" href="URL"/>`: no `"` in either (escaped).
            let rest = &rest[memchr(b'"', rest)?..];
            let rest = rest.strip_prefix(b"\" href=\"")?;
            let v0 = end - rest.len();
            let e = memchr(b'"', rest)?;
            if &rest[e..] != b"\"/>" {
                return None;
            }
            urls.push((Attr::Href, decode(&rest[..e]), v0));
        } else if !matches!(
            line,
            b"" | b"  </url>" | b"</urlset>" | b"</sitemapindex>" | URLSET | URLSET_XHTML | INDEX
        ) {
            return None;
        }
        i = end + 1;
    }
    Some(urls)
}

/// [`scan`] with the tag reader only (never [`sitemap`]'s line reader): what the two must agree
/// on, for tests.
#[cfg(test)]
pub(crate) fn scan_tags(page: &[u8]) -> Found {
    let mut found = Found::default();
    visit_tags(page, &mut found);
    found
}

/// [`visit`] with the tag reader.
fn visit_tags<'p>(page: &'p [u8], found: &mut impl Visit<'p>) {
    let mut i = 0;
    while let Some(at) = find_byte(page, i, b'<') {
        let s = at + 1;
        let rest = &page[s..];
        match rest.first() {
            Some(b'!') => {
                i = if rest.starts_with(b"!--") {
                    find(page, s + 3, b"-->").map_or(page.len(), |e| e + 3)
                } else if rest.starts_with(b"![CDATA[") {
                    find(page, s + 8, b"]]>").map_or(page.len(), |e| e + 3)
                } else {
                    memchr(b'>', rest).map_or(page.len(), |e| s + e + 1)
                };
            }
            Some(c) if c.is_ascii_alphabetic() => i = tag(page, s, found),
            _ => i = s,
        }
    }
}

/// The first index from `from` of byte `b` in `hay`, as `memchr` finds it: the first 64 bytes
/// eight at a time (a word's bytes compared at once), then `memchr` for a longer stretch. The
/// next `<` of a page, the end of an attribute value and a `&` in one are mostly a few bytes
/// on, where a call to `memchr` cost more than the search (~65 instructions a call, 25 % of the
/// scan of a page).
#[inline]
fn find_byte(hay: &[u8], from: usize, b: u8) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let pattern = ONES * u64::from(b);
    let mut i = from;
    let near = hay.len().min(from.saturating_add(64));
    while i + 8 <= near {
        let mut word = [0u8; 8];
        word.copy_from_slice(&hay[i..i + 8]);
        let x = u64::from_le_bytes(word) ^ pattern;
        // A byte of `x` is zero where `hay` has `b`: the lowest flagged byte is the first such
        // (a borrow flags only bytes above a zero one).
        let zero = x.wrapping_sub(ONES) & !x & HIGH;
        if zero != 0 {
            return Some(i + (zero.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    if i >= hay.len() {
        return None;
    }
    if near < hay.len() {
        return memchr(b, &hay[i..]).map(|e| i + e);
    }
    hay[i..].iter().position(|&c| c == b).map(|e| i + e)
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memmem::find(hay.get(from..)?, needle).map(|e| from + e)
}

/// Byte classes of the tag reader: [`SPACE`] (ASCII whitespace as `u8::is_ascii_whitespace`
/// reads it), [`GT`] (`>`), [`SLASH`] (`/`), [`EQ`] (`=`): the loops over tag and attribute
/// names test one table entry per byte rather than five comparisons (a page is mostly tags).
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b' ' as usize] = SPACE;
    t[b'\t' as usize] = SPACE;
    t[b'\n' as usize] = SPACE;
    t[0x0c] = SPACE;
    t[b'\r' as usize] = SPACE;
    t[b'>' as usize] = GT;
    t[b'/' as usize] = SLASH;
    t[b'=' as usize] = EQ;
    t
};
const SPACE: u8 = 1;
const GT: u8 = 2;
const SLASH: u8 = 4;
const EQ: u8 = 8;

/// The first index from `i` whose byte is in none of the classes `class`, or `page.len()`.
#[inline]
fn skip_while(page: &[u8], mut i: usize, class: u8) -> usize {
    while i < page.len() && CLASS[page[i] as usize] & class != 0 {
        i += 1;
    }
    i
}

/// The first index from `i` whose byte is in one of the classes `stop`, or `page.len()`.
#[inline]
fn skip_until(page: &[u8], mut i: usize, stop: u8) -> usize {
    while i < page.len() && CLASS[page[i] as usize] & stop == 0 {
        i += 1;
    }
    i
}

/// The attributes the scan reads (any other is stepped over).
#[derive(Clone, Copy, PartialEq, Eq)]
enum AttrName {
    Id,
    Name,
    Href,
    Src,
    Poster,
    Data,
    Srcset,
    Action,
    HttpEquiv,
    Content,
    Type,
    XmlBase,
    Other,
}

/// Which of the attributes the scan reads `attr` is (ASCII case-insensitive).
fn attr_name(attr: &[u8]) -> AttrName {
    let candidates: &[(&[u8], AttrName)] = match attr.len() {
        2 => &[(b"id", AttrName::Id)],
        3 => &[(b"src", AttrName::Src)],
        4 => &[
            (b"href", AttrName::Href),
            (b"name", AttrName::Name),
            (b"data", AttrName::Data),
            (b"type", AttrName::Type),
        ],
        6 => &[
            (b"srcset", AttrName::Srcset),
            (b"poster", AttrName::Poster),
            (b"action", AttrName::Action),
        ],
        7 => &[(b"content", AttrName::Content)],
        8 => &[(b"xml:base", AttrName::XmlBase)],
        10 => &[(b"http-equiv", AttrName::HttpEquiv)],
        _ => &[],
    };
    candidates
        .iter()
        .find(|(n, _)| attr.eq_ignore_ascii_case(n))
        .map_or(AttrName::Other, |&(_, k)| k)
}

/// Scan the start tag whose name begins at `s`; returns where scanning goes on.
fn tag<'p>(page: &'p [u8], s: usize, found: &mut impl Visit<'p>) -> usize {
    let end_name = skip_until(page, s, SPACE | GT | SLASH);
    let name = &page[s..end_name];
    let is = |n: &[u8]| name.eq_ignore_ascii_case(n);
    let mut i = end_name;
    let mut refresh = false;
    // The last `content` value (decoded only when the tag turns out to be a refresh).
    let mut content: Option<(usize, usize)> = None;
    // An Atom `<content type="html" xml:base="…">`: its text is escaped HTML.
    let mut html_content = false;
    let mut xml_base: Option<Cow<'_, str>> = None;
    loop {
        i = skip_while(page, i, SPACE | SLASH);
        match page.get(i) {
            None => return page.len(),
            Some(b'>') => {
                i += 1;
                break;
            }
            _ => {}
        }
        let a0 = i;
        i = skip_until(page, i, SPACE | GT | SLASH | EQ);
        let attr = &page[a0..i];
        i = skip_while(page, i, SPACE);
        if page.get(i) != Some(&b'=') {
            if i == a0 {
                // A stray `=` or similar: step over it.
                i += 1;
            }
            continue;
        }
        i = skip_while(page, i + 1, SPACE);
        let (v0, v1) = match page.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let e = find_byte(page, i + 1, q).unwrap_or(page.len());
                let r = (i + 1, e);
                i = (e + 1).min(page.len());
                r
            }
            _ => {
                let v0 = i;
                i = skip_until(page, i, SPACE | GT);
                (v0, i)
            }
        };
        let value = &page[v0..v1];
        match attr_name(attr) {
            AttrName::Id => {
                let v = decode(value);
                if !v.is_empty() {
                    found.id(v);
                }
            }
            AttrName::Name if is(b"a") => {
                let v = decode(value);
                if !v.is_empty() {
                    found.name(v);
                }
            }
            AttrName::Href => found.url(Attr::Href, decode(value), v0),
            AttrName::Src | AttrName::Poster => found.url(Attr::Src, decode(value), v0),
            AttrName::Data if is(b"object") => found.url(Attr::Src, decode(value), v0),
            AttrName::Srcset => {
                let raw = lossy(value);
                let mut each = |u: Cow<'p, str>| {
                    // The candidate's own offset when it is written as it reads (no references).
                    let at = raw.find(&*u).map_or(v0, |o| v0 + o);
                    found.url(Attr::Srcset, u, at);
                };
                match decode(value) {
                    Cow::Borrowed(v) => srcset(v).into_iter().for_each(|u| each(Cow::Borrowed(u))),
                    Cow::Owned(v) => srcset(&v)
                        .into_iter()
                        .for_each(|u| each(Cow::Owned(u.to_string()))),
                }
            }
            AttrName::Action if is(b"form") => found.url(Attr::Action, decode(value), v0),
            AttrName::HttpEquiv if is(b"meta") => refresh = value.eq_ignore_ascii_case(b"refresh"),
            AttrName::Content if is(b"meta") => content = Some((v0, v1)),
            AttrName::Type if is(b"content") => html_content = value.eq_ignore_ascii_case(b"html"),
            AttrName::XmlBase => xml_base = Some(decode(value)),
            _ => {}
        }
    }
    if refresh
        && let Some((v0, v1)) = content
        && let Some(u) = refresh_url(&decode(&page[v0..v1]))
    {
        found.url(Attr::Refresh, Cow::Owned(u.to_string()), v0);
    }
    if is(b"script") || is(b"style") {
        // Raw text: skip to the end tag.
        let close: &[u8] = if is(b"script") {
            b"</script"
        } else {
            b"</style"
        };
        let mut j = i;
        while let Some(p) = memchr(b'<', &page[j..]) {
            let at = j + p;
            if page.len() >= at + close.len()
                && page[at..at + close.len()].eq_ignore_ascii_case(close)
            {
                return at;
            }
            j = at + 1;
        }
        return page.len();
    }
    if html_content {
        // The links of the escaped HTML, relative ones resolved against `xml:base` as a feed
        // reader does (its ids belong to the page, not the feed).
        let e = find(page, i, b"</content").unwrap_or(page.len());
        let html = decode(&page[i..e]);
        let base = xml_base.as_deref().and_then(|b| url::Url::parse(b).ok());
        for (attr, u) in scan(html.as_bytes()).urls {
            let relative = !u.starts_with('/') && !u.contains(':');
            let u = match &base {
                Some(b) if relative => b.join(&u).map_or(u, String::from),
                _ => u,
            };
            found.url(attr, Cow::Owned(u), i);
        }
        return e;
    }
    if is(b"loc") {
        let e = memchr(b'<', &page[i..]).map_or(page.len(), |e| i + e);
        let text = match decode(&page[i..e]) {
            Cow::Borrowed(t) => Cow::Borrowed(t.trim()),
            Cow::Owned(t) => Cow::Owned(t.trim().to_string()),
        };
        if !text.is_empty() {
            found.url(Attr::Loc, text, i);
        }
        return e;
    }
    i
}

/// The URLs of a `srcset` (image candidate strings, each `URL [descriptor]`, comma-separated).
pub(crate) fn srcset(value: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = value;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == ',');
        if rest.is_empty() {
            return out;
        }
        let end = rest
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let mut url = &rest[..end];
        let mut after = &rest[end..];
        if let Some(u) = url.strip_suffix(',') {
            // `a.png,b.png`: no descriptor, the comma ends the candidate.
            url = u.trim_end_matches(',');
        } else {
            // Skip the descriptors up to the next comma (none inside parentheses in practice).
            after = after.find(',').map_or("", |c| &after[c + 1..]);
        }
        if !url.is_empty() {
            out.push(url);
        }
        rest = after;
    }
}

/// `0; url=/x/` → `/x/`.
fn refresh_url(content: &str) -> Option<&str> {
    let (_, after) = content.split_once([';', ','])?;
    let after = after.trim_start();
    let lower = after.get(..4)?.to_ascii_lowercase();
    let after = if lower == "url=" { &after[4..] } else { after };
    let u = after.trim().trim_matches(|c| c == '\'' || c == '"');
    (!u.is_empty()).then_some(u)
}

/// An attribute value with its character references decoded: the sanitiser's decoder, so the
/// link check and the sanitiser read `java&#115;cript:` and `&#x2F;x` alike, as browsers do.
/// Most values (UTF-8 without a reference: what `decode_entities` returns as it is) are the
/// page's own bytes.
fn decode(v: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(v) {
        Ok(s) if find_byte(v, 0, b'&').is_none() => Cow::Borrowed(s),
        _ => Cow::Owned(crate::escape::decode_entities(&lossy(v))),
    }
}

/// `v` as text, invalid UTF-8 replaced (U+FFFD), without a copy when it is valid.
fn lossy(v: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(v) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `find_byte` finds what `memchr` finds, from any start, near and far: on random bytes
    /// with the byte looked for rare and common, and past the ends.
    #[test]
    fn find_byte_is_memchr() {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for n in 0..4_000usize {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 200) as usize;
            let alphabet: &[u8] = if n % 2 == 0 {
                b"<a"
            } else {
                b"abcdefgh<\"\x80\xff\x3b\x3d"
            };
            let hay: Vec<u8> = (0..len)
                .map(|k| {
                    alphabet
                        [(x.rotate_left(k as u32 % 64) as usize).wrapping_add(k) % alphabet.len()]
                })
                .collect();
            let hay: Vec<u8> = if n % 3 == 0 {
                hay.iter()
                    .map(|&c| if c == b'<' { b'z' } else { c })
                    .collect()
            } else {
                hay
            };
            for from in [0, 1, 7, 8, 9, 63, 64, 65, len / 2, len, len + 3] {
                for b in [b'<', b'"', 0x80, b'z'] {
                    let want = hay.get(from..).and_then(|h| memchr(b, h)).map(|e| from + e);
                    assert_eq!(
                        find_byte(&hay, from, b),
                        want,
                        "{hay:?} from {from} byte {b}"
                    );
                }
            }
        }
    }

    fn urls(html: &str) -> Vec<(Attr, String)> {
        scan(html.as_bytes()).urls
    }

    #[test]
    fn finds_links_images_and_ids() {
        let f = scan(
            br#"<!doctype html><html><head><link rel="stylesheet" href="/css/a.css">
<meta http-equiv="refresh" content="0; url=/new/"></head>
<body><h2 id="step-1">x</h2><a name=old>y</a><A HREF='/x/?a=1&amp;b=2#f'>z</A>
<img src="/i.png" srcset="/i-400.webp 400w, /i-800.webp 800w" alt="">
<!-- <a href="/commented/"> -->
<script>if (a<b) { x = "<a href='/in-script/'>" }</script>
<form action="/search/"><input name="q"></form>
<video poster=/p.jpg><source src="/v.mp4"></video></body></html>"#,
        );
        assert_eq!(f.ids, ["step-1"]);
        assert_eq!(f.names, ["old"]);
        let u: Vec<&str> = f.urls.iter().map(|(_, u)| u.as_str()).collect();
        assert_eq!(
            u,
            [
                "/css/a.css",
                "/new/",
                "/x/?a=1&b=2#f",
                "/i.png",
                "/i-400.webp",
                "/i-800.webp",
                "/search/",
                "/p.jpg",
                "/v.mp4"
            ]
        );
        assert_eq!(f.urls[1].0, Attr::Refresh);
        assert_eq!(f.urls[4].0, Attr::Srcset);
    }

    #[test]
    fn attributes_are_read_in_any_case_and_order_and_only_on_their_elements() {
        let f = scan(
            b"<META CONTENT=\"0;URL='/r/'\" HTTP-EQUIV=\"Refresh\"><meta content=\"/not-a-link/\">\
              <div name=n data=/d ID=x action=/no><OBJECT DATA=/o></OBJECT><Form Action=/f/>\
              <a Name=y href=/&#x61;></a><img src=\"/caf\xc3\xa9.png\" SRCSET=\"/a.png 1x\">\
              <a href=\"/\xff&amp;x\"><p id=\"&#0000115;\">",
        );
        assert_eq!(f.ids, ["x", "s"]);
        assert_eq!(f.names, ["y"]);
        assert_eq!(
            f.urls,
            [
                (Attr::Refresh, "/r/".to_string()),
                (Attr::Src, "/o".into()),
                (Attr::Action, "/f/".into()),
                (Attr::Href, "/a".into()),
                (Attr::Src, "/caf\u{e9}.png".into()),
                (Attr::Srcset, "/a.png".into()),
                (Attr::Href, "/\u{fffd}&x".into()),
            ]
        );
        // The refresh's offset is its `content` value's.
        assert_eq!(f.at[0], "<META CONTENT=\"".len());
    }

    #[test]
    fn sitemap_locs_and_feed_links() {
        let u = urls(
            "<urlset><url><loc>https://e.org/a/</loc></url></urlset><feed><link href=\"https://e.org/\"/></feed>",
        );
        assert_eq!(
            u,
            [
                (Attr::Loc, "https://e.org/a/".to_string()),
                (Attr::Href, "https://e.org/".to_string())
            ]
        );
    }

    /// A file that starts as a sitemap but has a line `render::feeds` does not write is read
    /// by the tag reader, whole: the line reader gives up on it (a link, a comment, an
    /// attribute more, a `<loc>` not closed where lmp closes it), and what the scan finds is
    /// the tag reader's.
    #[test]
    fn a_sitemap_lmp_did_not_write_is_read_by_the_tag_reader() {
        let head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n";
        let good = "  <url><loc>https://e.org/a/</loc><lastmod>2026-01-02</lastmod>\n    <xhtml:link rel=\"alternate\" hreflang=\"es\" href=\"https://e.org/es/a/\"/>\n  </url>\n";
        let page = format!("{head}{good}</urlset>\n");
        assert!(sitemap(page.as_bytes()).is_some());
        assert_eq!(scan(page.as_bytes()), scan_tags(page.as_bytes()));
        for odd in [
            "  <url><loc>https://e.org/b/</loc></url><a href=\"/x/\">x</a>\n",
            "<!-- <url><loc>https://e.org/c/</loc></url> -->\n",
            "    <xhtml:link rel=\"alternate\" hreflang=\"es\" href=\"https://e.org/es/b/\" src=\"/y.png\"/>\n",
            "  <url><loc>https://e.org/d/</url>\n",
            "  <url><loc>https://e.org/e/</loc><lastmod>2026</lastmod></loc>\n",
            "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" id=\"z\">\n",
        ] {
            let page = format!("{head}{good}{odd}</urlset>\n");
            assert!(sitemap(page.as_bytes()).is_none(), "{odd}");
            assert_eq!(scan(page.as_bytes()), scan_tags(page.as_bytes()), "{odd}");
        }
        assert!(sitemap(b"<urlset><url><loc>https://e.org/a/</loc></url></urlset>").is_none());
    }

    #[test]
    fn srcset_forms() {
        assert_eq!(srcset("a.png 1x, b.png 2x"), ["a.png", "b.png"]);
        assert_eq!(srcset("a.png, b.png"), ["a.png", "b.png"]);
        assert_eq!(srcset("a,b.png 2x"), ["a,b.png"]);
        assert_eq!(srcset(" a.png "), ["a.png"]);
        assert!(srcset("").is_empty());
    }

    #[test]
    fn malformed_markup_never_panics() {
        for s in [
            "<",
            "<a",
            "<a href",
            "<a href=",
            "<a href=\"",
            "<!--",
            "<![CDATA[",
            "<script>",
            "<a =x>",
            "<a href=x",
            "&",
            "<a href='&#xZZ;&#99999999;&amp'>",
        ] {
            let _ = scan(s.as_bytes());
        }
        assert_eq!(
            urls("<a href='&#x2F;x&#47;'>"),
            [(Attr::Href, "/x/".into())]
        );
    }
}
