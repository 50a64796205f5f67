//! HTML and URL escaping for the writer.

/// Escape text content: `&`, `<`, `>`.
pub(crate) fn escape_text(out: &mut String, s: &str) {
    escape(out, s, false);
}

/// Escape an attribute value (double-quoted): `&`, `<`, `>`, `"`.
pub(crate) fn escape_attr(out: &mut String, s: &str) {
    escape(out, s, true);
}

fn escape(out: &mut String, s: &str, quote: bool) {
    let bytes = s.as_bytes();
    let mut last = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' if quote => "&quot;",
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

/// Decode `%XX` escapes (`my%20file.md` → `my file.md`); the input unchanged if the result would
/// not be UTF-8.
pub(crate) fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push(h << 4 | l);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
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
        escape_attr(&mut s, "a\"b");
        assert_eq!(s, "a&quot;b");
        s.clear();
        escape_href(&mut s, "my file.md?a=1&b='x'#é\"");
        assert_eq!(s, "my%20file.md?a=1&amp;b=&#x27;x&#x27;#%C3%A9%22");
    }

    #[test]
    fn decodes() {
        assert_eq!(percent_decode("my%20file.md"), "my file.md");
        assert_eq!(percent_decode("caf%C3%A9"), "café");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%2"), "%zz%2");
        assert_eq!(percent_decode("%FF"), "%FF");
    }
}
