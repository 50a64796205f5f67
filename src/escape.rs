//! The crate's one HTML/XML escaper, one character-reference decoder and one percent-decoder: text, attribute, URL and whole-XML
//! escaping (markdown writer, sanitizer, media markup, feeds and sitemap) and `%XX` decoding
//! (links in markdown, the link check, `lmp serve`'s request paths, `url:` front matter).

/// Escape text content: `&`, `<`, `>`.
pub(crate) fn escape_text(out: &mut String, s: &str) {
    escape_into(out, s, Quotes::None);
}

/// Escape an attribute value (double-quoted): `&`, `<`, `>`, `"`.
pub(crate) fn escape_attr(out: &mut String, s: &str) {
    escape_into(out, s, Quotes::Double);
}

/// Escape for XML and HTML anywhere (content or attribute, either quote): `&`, `<`, `>`, `"`,
/// `'` (the feeds, the sitemap and alias pages).
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    escape_into(&mut out, s, Quotes::Both);
    out
}

/// [`escape`], written at the end of `out` (the sitemap writes its addresses so, without a
/// string for each).
pub(crate) fn escape_xml(out: &mut String, s: &str) {
    escape_into(out, s, Quotes::Both);
}

/// Which quotes [`escape_into`] escapes besides `&`, `<` and `>`.
#[derive(Clone, Copy, PartialEq)]
enum Quotes {
    None,
    Double,
    Both,
}

fn escape_into(out: &mut String, s: &str, quotes: Quotes) {
    // The bytes to escape are found with `memchr` (a vector search) rather than looked at one
    // by one: text and attribute values of every page pass here, and most have none (the byte
    // loop was 1.6 % of a build's instructions at 10,000 documents).
    let bytes = s.as_bytes();
    out.reserve(s.len());
    let mut last = 0;
    let mut put = |i: usize, out: &mut String| {
        let rep = match bytes[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    };
    let markup = memchr::memchr3_iter(b'&', b'<', b'>', bytes);
    match quotes {
        Quotes::None => markup.for_each(|i| put(i, out)),
        Quotes::Double => {
            merged(markup, memchr::memchr_iter(b'"', bytes)).for_each(|i| put(i, out))
        }
        Quotes::Both => {
            merged(markup, memchr::memchr2_iter(b'"', b'\'', bytes)).for_each(|i| put(i, out))
        }
    }
    out.push_str(&s[last..]);
}

/// The positions of two increasing sequences (of different bytes), in increasing order.
fn merged(
    a: impl Iterator<Item = usize>,
    b: impl Iterator<Item = usize>,
) -> impl Iterator<Item = usize> {
    let (mut a, mut b) = (a.peekable(), b.peekable());
    std::iter::from_fn(move || match (a.peek(), b.peek()) {
        (Some(x), Some(y)) if x < y => a.next(),
        (Some(_), Some(_)) | (None, _) => b.next(),
        (Some(_), None) => a.next(),
    })
}

/// Whether the `%` at `i` of `b` starts a `%XX` escape (a stray one is written `%25`, as
/// browsers read it; the validator rejects it).
fn starts_escape(b: &[u8], i: usize) -> bool {
    b.get(i) == Some(&b'%')
        && b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
        && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
}

/// `url` with what an address cannot hold percent-encoded (a space or another character the
/// URL standard forbids, a `%` not starting an escape), or `None` when it is fine as it is.
/// Spaces around it are left to browsers, which ignore them.
pub(crate) fn encode_url(url: &str) -> Option<String> {
    let t = url.trim_matches(|c: char| c.is_ascii_whitespace());
    let b = t.as_bytes();
    let bad = |i: usize| match b.get(i) {
        Some(b'%') => !starts_escape(b, i),
        Some(c) => {
            c.is_ascii_whitespace()
                || c.is_ascii_control()
                || matches!(c, b'"' | b'<' | b'>' | b'`' | b'{' | b'}' | b'|' | b'^')
        }
        None => false,
    };
    if !(0..b.len()).any(bad) {
        return None;
    }
    let mut out = String::with_capacity(t.len() + 8);
    let lead = url.len()
        - url
            .trim_start_matches(|c: char| c.is_ascii_whitespace())
            .len();
    out.push_str(&url[..lead]);
    for (i, c) in t.char_indices() {
        if c.is_ascii() && bad(i) {
            out.push_str(&format!("%{:02X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out.push_str(&url[lead + t.len()..]);
    Some(out)
}

/// Escape a URL for an `href`/`src` attribute: percent-encode what may not appear in a URL (spaces,
/// quotes, non-ASCII, control characters) and HTML-escape `&` and `'`. Existing `%XX` are kept.
pub(crate) fn escape_href(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let bytes = s.as_bytes();
    let mut last = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let safe = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'_'
                    | b'.'
                    | b'~'
                    | b'!'
                    | b'*'
                    | b'('
                    | b')'
                    | b';'
                    | b':'
                    | b'@'
                    | b'='
                    | b'+'
                    | b'$'
                    | b','
                    | b'/'
                    | b'?'
                    | b'#'
                    | b'['
                    | b']'
            )
            || starts_escape(bytes, i);
        if safe {
            continue;
        }
        // Only safe (ASCII) bytes lie between `last` and `i`, so this is always valid UTF-8.
        out.push_str(std::str::from_utf8(&bytes[last..i]).unwrap_or_default());
        match b {
            b'&' => out.push_str("&amp;"),
            b'\'' => out.push_str("&#x27;"),
            _ => {
                out.push('%');
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 15)]));
            }
        }
        last = i + 1;
    }
    out.push_str(std::str::from_utf8(&bytes[last..]).unwrap_or_default());
}

/// The site path of a file (`/files/Guía rápida #2.pdf`, as its name is on disk) as an address:
/// every byte a URL path cannot hold as it is percent-encoded, `%`, `#` and `?` included (they
/// are part of the name, not an escape, a fragment or a query), non-ASCII too (as markdown links
/// are written). A space in a `src` or `href` is invalid HTML (the validator: "Illegal character
/// in path segment"). A name without such bytes comes back borrowed.
pub(crate) fn encode_path(path: &str) -> std::borrow::Cow<'_, str> {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let keep = |b: u8| {
        b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'_'
                    | b'.'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b':'
                    | b'@'
                    | b'/'
            )
    };
    if path.bytes().all(keep) {
        return std::borrow::Cow::Borrowed(path);
    }
    let mut out = String::with_capacity(path.len() + 16);
    for b in path.bytes() {
        if keep(b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Decode `%XX` escapes (`my%20file.md` → `my file.md`), leniently: a `%` that starts no valid
/// escape stays as it is, and the input comes back unchanged if the result would not be UTF-8.
pub(crate) fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    decode(s, false).unwrap_or_else(|| s.to_string())
}

/// Decode `%XX` escapes strictly: `None` when a `%` starts no valid escape or the result is not
/// UTF-8 (request paths, `url:` segments).
pub(crate) fn percent_decode_strict(s: &str) -> Option<String> {
    decode(s, true)
}

fn decode(s: &str, strict: bool) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let h = bytes.get(i + 1).copied().and_then(hex);
            let l = bytes.get(i + 2).copied().and_then(hex);
            if let (Some(h), Some(l)) = (h, l) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
            if strict {
                return None;
            }
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8(out).ok()
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// The crate's one HTML character-reference decoder: numeric references and the common named
/// ones, read as browsers read them (`&#0000115cript` is `s` + `cript`). Used for attribute
/// values (the sanitiser, so a value is escaped once when written; the link check, so it sees
/// what the browser sees) and for the text of raw HTML (search).
pub(crate) fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    const NAMED: &[(&str, char)] = &[
        ("amp", '&'),
        ("lt", '<'),
        ("gt", '>'),
        ("quot", '"'),
        ("apos", '\''),
        ("nbsp", '\u{a0}'),
        ("colon", ':'),
        ("tab", '\t'),
        ("newline", '\n'),
        ("sol", '/'),
        ("num", '#'),
        ("lpar", '('),
        ("rpar", ')'),
    ];
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        // A numeric reference takes only its digits (`&#0000115cript` is `s` + `cript`), as
        // browsers read it; a named one its letters and digits.
        let body_end = match rest.as_bytes().get(1) {
            Some(b'#') => {
                let hex = matches!(rest.as_bytes().get(2), Some(b'x' | b'X'));
                let from = if hex { 3 } else { 2 };
                rest[from..]
                    .find(|c: char| {
                        if hex {
                            !c.is_ascii_hexdigit()
                        } else {
                            !c.is_ascii_digit()
                        }
                    })
                    .map_or(rest.len(), |e| e + from)
            }
            _ => rest[1..]
                .find(|c: char| !c.is_ascii_alphanumeric())
                .map_or(rest.len(), |e| e + 1),
        };
        let body = &rest[1..body_end];
        let decoded = if let Some(num) = body.strip_prefix('#') {
            let n = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => num.parse::<u32>().ok(),
            };
            n.map(|n| char::from_u32(n).unwrap_or('\u{fffd}'))
        } else {
            NAMED
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(body))
                .map(|(_, c)| *c)
        };
        match decoded {
            Some(c) => {
                out.push(c);
                let semi = rest.as_bytes().get(body_end) == Some(&b';');
                rest = &rest[body_end + usize::from(semi)..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each byte to escape, replaced one by one: what [`escape_into`] must write.
    fn escaped_bytewise(s: &str, quotes: Quotes) -> String {
        let mut out = String::new();
        for c in s.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' if quotes != Quotes::None => out.push_str("&quot;"),
                '\'' if quotes == Quotes::Both => out.push_str("&#39;"),
                c => out.push(c),
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn escaping_replaces_exactly_the_special_characters(
            s in "([&<>\"'a é\n]|[a-z]{1,12}|[^\\x00]){0,40}",
            prefix in "[a-z<]{0,3}",
        ) {
            for q in [Quotes::None, Quotes::Double, Quotes::Both] {
                // Appends to what the output already holds.
                let mut out = prefix.clone();
                escape_into(&mut out, &s, q);
                proptest::prop_assert_eq!(out, format!("{prefix}{}", escaped_bytewise(&s, q)));
            }
        }
    }

    #[test]
    fn escapes() {
        let mut s = String::new();
        escape_text(&mut s, "a < b & \"c\"");
        assert_eq!(s, "a &lt; b &amp; \"c\"");
        s.clear();
        escape_attr(&mut s, "a\"b'");
        assert_eq!(s, "a&quot;b'");
        s.clear();
        escape_href(&mut s, "my file.md?a=1&b='x'#é\"");
        assert_eq!(s, "my%20file.md?a=1&amp;b=&#x27;x&#x27;#%C3%A9%22");
        assert_eq!(
            escape("<a href=\"x\">Tom's & co</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom&#39;s &amp; co&lt;/a&gt;"
        );
    }

    #[test]
    fn decodes() {
        assert_eq!(percent_decode("my%20file.md"), "my file.md");
        assert_eq!(percent_decode("caf%C3%A9"), "café");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%2"), "%zz%2");
        assert_eq!(percent_decode("%FF"), "%FF");
        assert_eq!(percent_decode("50%+%41"), "50%+A");
    }

    #[test]
    fn decodes_strictly() {
        assert_eq!(percent_decode_strict("a%20b").as_deref(), Some("a b"));
        assert_eq!(percent_decode_strict("caf%c3%a9").as_deref(), Some("café"));
        assert_eq!(percent_decode_strict("plain").as_deref(), Some("plain"));
        for bad in ["100%", "%2", "%zz", "%+1", "%FF", "a%-1"] {
            assert_eq!(percent_decode_strict(bad), None, "{bad}");
        }
    }

    #[test]
    fn decodes_character_references_as_browsers_do() {
        assert_eq!(
            decode_entities("a &amp; b &lt;c&gt; &quot;d&quot; &#39;"),
            "a & b <c> \"d\" '"
        );
        assert_eq!(
            decode_entities("java&#115;cript&colon;x &#x2F;y"),
            "javascript:x /y"
        );
        assert_eq!(decode_entities("&#0000115cript"), "script");
        assert_eq!(decode_entities("&nbsp;&#8212;&copy;&"), "\u{a0}—&copy;&");
        assert_eq!(decode_entities("&amp;lt;"), "&lt;");
    }
}
