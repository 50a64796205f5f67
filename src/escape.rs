//! The crate's one HTML/XML escaper and one percent-decoder: text, attribute, URL and whole-XML
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

/// Which quotes [`escape_into`] escapes besides `&`, `<` and `>`.
#[derive(Clone, Copy, PartialEq)]
enum Quotes {
    None,
    Double,
    Both,
}

fn escape_into(out: &mut String, s: &str, quotes: Quotes) {
    let bytes = s.as_bytes();
    let mut last = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' if quotes != Quotes::None => "&quot;",
            b'\'' if quotes == Quotes::Both => "&#39;",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
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
                    | b'%'
                    | b'['
                    | b']'
            );
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
