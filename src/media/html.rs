//! The body transform: every `<img>` of a rendered body (markdown images, components, raw HTML)
//! whose `src` is a local image becomes responsive markup (see [`super::view::picture_html`]).
//! An image alone in its paragraph with a title becomes a `<figure>` whose caption is the title.

use super::{Entry, Images, resolve_src};
use crate::config::Config;

/// Whether an alt text marks a markdown image as decorative: `![""](/images/rule.png)` (the
/// markdown renderer may have curled the quotes). Its near misses, `![" "](…)` and
/// `![""""](…)`, too (QA Q78: they were spoken as quote marks).
pub(crate) fn is_decorative(alt: &str) -> bool {
    let a = alt.replace("&quot;", "\"");
    let a = a.trim();
    a.chars().filter(|c| !c.is_whitespace()).count() >= 2
        && a.chars().all(|c| {
            c.is_whitespace()
                || matches!(
                    c,
                    '"' | '\'' | '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{2018}' | '\u{2019}'
                )
        })
}

/// `html` with its local images rewritten, or `None` when it has none.
pub(crate) fn transform(
    html: &str,
    doc_rel: &str,
    images: &Images,
    cfg: &Config,
) -> Option<String> {
    if !html.contains("<img") {
        return None;
    }
    let mut out = String::with_capacity(html.len() + 512);
    let mut rest = html;
    let mut changed = false;
    while let Some(i) = rest.find("<img") {
        let after = &rest[i + 4..];
        let Some(len) = tag_len(after) else { break };
        let inner = &after[..len];
        let tag_end = i + 4 + len + 1;
        let attrs = attrs(inner);
        let in_picture = unclosed_picture(&rest[..i])
            .or_else(|| unclosed_picture(&out))
            .unwrap_or(false);
        let replacement = (!in_picture)
            .then(|| replace(&attrs, doc_rel, images, cfg))
            .flatten();
        match replacement {
            Some((markup, title)) => {
                changed = true;
                let head = &rest[..i];
                let tail = &rest[tag_end..];
                let alone = head.ends_with("<p>") && tail.starts_with("</p>");
                match title.filter(|_| alone) {
                    Some(t) => {
                        out.push_str(&head[..head.len() - 3]);
                        out.push_str("<figure class=\"figure\">");
                        out.push_str(&markup);
                        out.push_str("<figcaption>");
                        crate::escape::escape_text(&mut out, &t);
                        out.push_str("</figcaption></figure>");
                        rest = &tail[4..];
                        continue;
                    }
                    None => {
                        out.push_str(head);
                        out.push_str(&markup);
                    }
                }
            }
            None => out.push_str(&rest[..tag_end]),
        }
        rest = &rest[tag_end..];
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// The responsive markup for an `<img>`'s attributes, and its title (the caption).
fn replace(
    attrs: &[(String, String)],
    doc_rel: &str,
    images: &Images,
    cfg: &Config,
) -> Option<(String, Option<String>)> {
    let get = |n: &str| attrs.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
    let raw = get("src")?;
    let path = resolve_src(doc_rel, raw).or_else(|| {
        // Already a site URL with the base path (`/lmp/images/x.jpg`).
        let src = crate::escape::percent_decode(raw.split(['?', '#']).next().unwrap_or(""));
        src.strip_prefix(cfg.base_path.trim_end_matches('/'))
            .filter(|p| p.starts_with('/'))
            .map(String::from)
    })?;
    if !matches!(images.get(&path), Some(Entry::Raster(_) | Entry::Svg(_))) {
        return None;
    }
    let alt = get("alt").unwrap_or("");
    let alt = if is_decorative(alt) { "" } else { alt };
    let title = get("title").map(String::from);
    let v = super::view::build(images, cfg, &path, alt, "", "", None)?;
    let mut markup = super::view::picture_html(&v, None, true);
    // Keep a class or id the author gave (raw HTML).
    for keep in ["class", "id"] {
        if let Some(val) = get(keep) {
            let mut a = format!("<img {keep}=\"");
            crate::escape::escape_attr(&mut a, val);
            a.push_str("\" ");
            markup = markup.replacen("<img ", &a, 1);
        }
    }
    Some((markup, title))
}

/// Whether `s` ends inside a `<picture>` (`None`: it has no picture tag at all).
fn unclosed_picture(s: &str) -> Option<bool> {
    match (s.rfind("<picture"), s.rfind("</picture>")) {
        (Some(o), Some(c)) => Some(o > c),
        (Some(_), None) => Some(true),
        (None, Some(_)) => Some(false),
        (None, None) => None,
    }
}

/// Length of a tag's inside up to its `>` (quotes respected), `None` if it never closes.
fn tag_len(s: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// Attributes of a tag's inside, names lowercased, character references in values decoded as
/// browsers do ([`crate::escape::decode_entities`]).
fn attrs(inner: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = inner.trim_end_matches('/').char_indices().peekable();
    let s = inner.trim_end_matches('/');
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(i, c)) = chars.peek() {
            if c.is_whitespace() || c == '=' {
                break;
            }
            end = i + c.len_utf8();
            chars.next();
        }
        let name = s[start..end].to_ascii_lowercase();
        while chars.peek().is_some_and(|(_, c)| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_some_and(|(_, c)| *c == '=') {
            chars.next();
            while chars.peek().is_some_and(|(_, c)| c.is_whitespace()) {
                chars.next();
            }
            let value = match chars.peek().copied() {
                Some((i, q)) if q == '"' || q == '\'' => {
                    chars.next();
                    let mut j = s.len();
                    for (k, c) in chars.by_ref() {
                        if c == q {
                            j = k;
                            break;
                        }
                    }
                    &s[i + 1..j]
                }
                Some((i, _)) => {
                    let mut j = s.len();
                    while let Some(&(k, c)) = chars.peek() {
                        if c.is_whitespace() {
                            j = k;
                            break;
                        }
                        chars.next();
                    }
                    &s[i..j]
                }
                None => "",
            };
            out.push((name, crate::escape::decode_entities(value)));
        } else {
            out.push((name, String::new()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    /// QA Q78: an alt made only of quotes (the decorative `""` with a space or doubled, curled
    /// or not) is decorative, not spoken as quote marks; a real alt is not.
    #[test]
    fn quotes_only_alt_is_decorative() {
        for alt in [
            "\"\"",
            "\u{201c}\u{201d}",
            "\u{201c} \u{201c}",
            "\u{201c}\u{201d}\u{201c}\u{201d}",
            "&quot;&quot;",
            "' '",
        ] {
            assert!(super::is_decorative(alt), "{alt}");
        }
        for alt in ["", "\"", "Team", "\"Team\""] {
            assert!(!super::is_decorative(alt), "{alt}");
        }
    }

    use super::*;

    #[test]
    fn attributes() {
        let a =
            attrs(r#" src="/a.jpg" alt="A &amp; B &#233;t&#xE9; &#x27;x&#39;" title='x' hidden"#);
        assert_eq!(
            a,
            vec![
                ("src".into(), "/a.jpg".into()),
                ("alt".into(), "A & B été 'x'".into()),
                ("title".into(), "x".into()),
                ("hidden".into(), String::new())
            ]
        );
        assert_eq!(tag_len(r#" alt="a > b">rest"#), Some(12));
    }
}
