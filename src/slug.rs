//! Slugs: the one slugifier of the code base, in two modes.
//!
//! - [`slugify`] (URL mode) makes the slugs of URLs and file names: file names, `slug:` values,
//!   taxonomy terms, `lmp new`. Only lowercase ASCII letters, digits and single dashes: letters of
//!   any script are transliterated with `deunicode` (`Über` → `uber`, `Straße` → `strasse`,
//!   `שלום` → `shlvm`), apostrophes vanish (`I've` → `ive`), anything else (symbols and emoji
//!   included: `🎉` is not spelled `tada`) separates words.
//! - [`anchor`] (anchor mode) makes heading ids. It keeps letters and digits of every script as
//!   they are (lowercased), drops punctuation without separating and gives `section` when nothing
//!   is left: the ids of existing pages (and links to them) must not change, and HTML ids may hold
//!   any letter.
//!
//! [`suggest`] turns anything into a valid URL slug for help lines, falling back to another name
//! (the file's) or `page-1`.

/// The longest slug `lmp new` writes (cut on a word boundary).
pub(crate) const MAX_NEW: usize = 80;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Url,
    Anchor,
}

/// The URL slug of a title or file name (may be empty).
pub(crate) fn slugify(s: &str) -> String {
    slug(s, Mode::Url)
}

/// The id of a heading from its plain text (never empty).
pub(crate) fn anchor(text: &str) -> String {
    let s = slug(text, Mode::Anchor);
    if s.is_empty() { "section".into() } else { s }
}

/// Whether `s` is a valid URL slug.
pub(crate) fn is_slug(s: &str) -> bool {
    !s.is_empty() && slugify(s) == s
}

/// A valid slug to suggest for `s`: its slug, else the slug of `fallback` (the file name), else
/// `page-1`.
pub(crate) fn suggest(s: &str, fallback: &str) -> String {
    [slugify(s), slugify(fallback)]
        .into_iter()
        .find(|x| !x.is_empty())
        .unwrap_or_else(|| "page-1".into())
}

/// Cut a slug to at most `max` bytes on a word boundary (a dash), or hard when the first word is
/// longer than that.
pub(crate) fn shorten(slug: &str, max: usize) -> String {
    if slug.len() <= max {
        return slug.to_string();
    }
    // A slug is ASCII, so every byte index is a char boundary.
    let head = &slug[..max];
    match head.rfind('-') {
        Some(i) if i > 0 && slug.as_bytes().get(max) != Some(&b'-') => head[..i].to_string(),
        _ => head.trim_end_matches('-').to_string(),
    }
}

struct Out {
    s: String,
    dash: bool,
}

impl Out {
    fn letter(&mut self, c: char) {
        if self.dash && !self.s.is_empty() {
            self.s.push('-');
        }
        self.dash = false;
        self.s.extend(c.to_lowercase());
    }
}

fn slug(s: &str, mode: Mode) -> String {
    let mut out = Out {
        s: String::with_capacity(s.len()),
        dash: false,
    };
    for c in s.chars() {
        match mode {
            Mode::Url if c.is_ascii() => url_ascii(c, &mut out),
            Mode::Url => match deunicode::deunicode_char(c) {
                // A symbol spelled out in words (`🎉` → `tada`, `™` → `tm`) is not part of the
                // title's words (QA Q60): it separates them, like other punctuation.
                Some(t) if !c.is_alphanumeric() && t.chars().any(|a| a.is_ascii_alphanumeric()) => {
                    out.dash = true
                }
                Some(t) => t.chars().for_each(|a| url_ascii(a, &mut out)),
                None => out.dash = true,
            },
            Mode::Anchor => {
                if c.is_alphanumeric() {
                    out.letter(c);
                } else if c.is_whitespace() || c == '-' || c == '_' {
                    out.dash = true;
                }
            }
        }
    }
    out.s
}

fn url_ascii(c: char, out: &mut Out) {
    if c.is_ascii_alphanumeric() {
        out.letter(c);
    } else if c != '\'' {
        // "I've" → "ive", not "i-ve"; everything else separates words.
        out.dash = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_slugs() {
        assert_eq!(slugify("Learning to lead"), "learning-to-lead");
        assert_eq!(slugify("I've Got Your Back"), "ive-got-your-back");
        assert_eq!(slugify("I’ve"), "ive");
        assert_eq!(
            slugify("  Fear, Technology & Reality!  "),
            "fear-technology-reality"
        );
        assert_eq!(slugify("Café 2018"), "cafe-2018");
        assert_eq!(slugify("Über"), "uber");
        assert_eq!(slugify("Straße"), "strasse");
        assert_eq!(slugify("ß"), "ss");
        assert!(is_slug(&slugify("שלום-👋")), "{}", slugify("שלום-👋"));
        assert!(!slugify("שלום-👋").is_empty());
        assert!(is_slug(&slugify("日本語 テキスト")));
        assert_eq!(slugify("?!"), "");
        // Symbols and emoji separate words; they are not spelled out (QA Q60).
        assert_eq!(slugify("Über 🎉 café"), "uber-cafe");
        assert_eq!(slugify("LMP™ news"), "lmp-news");
    }

    #[test]
    fn anchors_keep_every_script() {
        assert_eq!(anchor("Overview"), "overview");
        assert_eq!(anchor("  Step two: the plan!  "), "step-two-the-plan");
        assert_eq!(anchor("a - b & c__d"), "a-b-c-d");
        assert_eq!(anchor("Don’t stop"), "dont-stop");
        assert_eq!(anchor("Ünïcödé Straße"), "ünïcödé-straße");
        assert_eq!(anchor("日本語 テキスト"), "日本語-テキスト");
        assert_eq!(anchor("?!"), "section");
        assert_eq!(anchor(""), "section");
        assert_eq!(anchor("C++ & Rust 2024"), "c-rust-2024");
    }

    #[test]
    fn suggestions_are_always_slugs() {
        assert_eq!(suggest("Über uns", "x"), "uber-uns");
        assert_eq!(suggest("!!!", "my-file"), "my-file");
        assert_eq!(suggest("!!!", "???"), "page-1");
        for s in ["שלום-👋", "👋", "\u{0}\u{1f}", "ß", "-", "a--b", "Ω≈ç√∫"] {
            assert!(is_slug(&suggest(s, "")), "{s:?} → {}", suggest(s, ""));
        }
    }

    #[test]
    fn long_slugs_are_cut_on_a_word() {
        let long = "word-".repeat(40) + "end";
        let cut = shorten(&long, 80);
        assert!(cut.len() <= 80 && is_slug(&cut), "{cut}");
        assert!(cut.ends_with("word"));
        assert_eq!(shorten(&"a".repeat(100), 80), "a".repeat(80));
        assert_eq!(shorten("abc-def", 80), "abc-def");
        assert_eq!(shorten("abcd-efgh", 4), "abcd");
        assert_eq!(shorten("abcd-efgh", 6), "abcd");
    }
}
