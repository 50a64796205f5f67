//! Text direction: which letters are written right to left (Hebrew, Arabic and the other
//! scripts of bidirectional class R or AL), whether a text has one, and which way a text's first
//! strong letter goes. The theme's `dir_auto` and a page's `rtl_text` (src/render) and the
//! markdown writer's `dir="auto"` on a block that starts right to left use it.

/// A letter of a right-to-left script (Hebrew, Arabic, Syriac, Thaana, N'Ko, …): the blocks
/// whose letters are of bidirectional class R or AL.
pub(crate) fn is_rtl(c: char) -> bool {
    matches!(
        c as u32,
        0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF
    )
}

/// Whether `s` has a right-to-left letter (see [`is_rtl`]): a page shows right-to-left text
/// when a title, name or heading it shows has one (see `rtl_text` in docs/theme.md).
pub(crate) fn has_rtl(s: &str) -> bool {
    // Every such letter is written in UTF-8 from a lead byte 0xD6..=0xE0 (U+0580..U+0FFF), 0xEF
    // (U+F000..U+FFFF) or 0xF0 (U+10000..U+3FFFF). English and Spanish text (its accents lead
    // with 0xC3, its quotes and dashes with 0xE2) has none: told 32 bytes a step, in a loop the
    // compiler turns into vector compares; the letters are looked at only after such a byte.
    fn lead(b: u8) -> bool {
        b.wrapping_sub(0xD6) <= 0xE0 - 0xD6 || b == 0xEF || b == 0xF0
    }
    let bytes = s.as_bytes();
    let mut chunks = bytes.chunks_exact(32);
    let found = chunks.any(|c| c.iter().fold(false, |acc, &b| acc | lead(b)))
        || chunks.remainder().iter().any(|&b| lead(b));
    found && s.chars().any(is_rtl)
}

/// The direction a language is written in, from its code (BCP 47: `ar`, `he`, `fa-IR`,
/// `az-Arab`): "rtl" for Arabic, Hebrew, Persian, Urdu, Pashto, Sindhi, Kurdish (Sorani),
/// Uyghur, Dhivehi, Syriac, Yiddish, N'Ko, and any language with a right-to-left script subtag
/// (`-Arab`, `-Hebr`, `-Syrc`, `-Thaa`, `-Nkoo`, `-Adlm`, `-Rohg`); "ltr" otherwise (a
/// `-Latn`, `-Cyrl` … script subtag wins over the language: `ku-Latn`).
pub(crate) fn language_dir(code: &str) -> &'static str {
    // Lowercased into a buffer on the stack, not a new string: asked on every page that shows
    // a language (~14 M instructions of allocation at 2,003 translations, session 23). No code
    // in the lists below is longer than the buffer.
    fn lower<'b>(s: &str, buf: &'b mut [u8; 8]) -> &'b str {
        match buf.get_mut(..s.len()) {
            Some(b) => {
                b.copy_from_slice(s.as_bytes());
                b.make_ascii_lowercase();
                std::str::from_utf8(b).unwrap_or_default()
            }
            None => "",
        }
    }
    let mut buf = [0u8; 8];
    let mut parts = code.split(['-', '_']);
    let first = parts.next().unwrap_or_default();
    for p in parts {
        if p.len() == 4 && p.bytes().all(|b| b.is_ascii_alphabetic()) {
            return match lower(p, &mut buf) {
                "arab" | "hebr" | "syrc" | "thaa" | "nkoo" | "adlm" | "rohg" | "mand" | "samr" => {
                    "rtl"
                }
                _ => "ltr",
            };
        }
    }
    match lower(first, &mut buf) {
        "ar" | "arc" | "ckb" | "dv" | "fa" | "he" | "iw" | "ji" | "ps" | "sd" | "syr" | "ug"
        | "ur" | "yi" | "nqo" | "prs" | "pnb" | "skr" | "bal" | "glk" | "mzn" | "lrc" => "rtl",
        _ => "ltr",
    }
}

/// Which way the first strong letter of `s` goes: `Some(true)` right to left, `Some(false)` left
/// to right (a letter of any other script), `None` when `s` has no letter (digits, punctuation
/// and spaces are weak or neutral). The rule a browser applies to `dir="auto"`.
/// The markdown writer asks it of every block's first text (~30 M instructions at 10,000
/// documents with `block_dir`, session 21): the ASCII bytes before the first other one are told a
/// byte at a time (an ASCII letter goes left to right; no ASCII character is right to left), and
/// the characters are decoded only from the first byte that is not ASCII.
pub(crate) fn first_strong(s: &str) -> Option<bool> {
    let rest = match s
        .bytes()
        .position(|b| !b.is_ascii() || b.is_ascii_alphabetic())
    {
        None => return None,
        Some(i) if s.as_bytes()[i].is_ascii() => return Some(false),
        // Every byte before it is ASCII: `i` starts a character.
        Some(i) => &s[i..],
    };
    rest.chars().find_map(|c| {
        if is_rtl(c) {
            Some(true)
        } else if c.is_alphabetic() {
            Some(false)
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `has_rtl` (a byte pass 32 bytes a step, then the letters) agrees with looking at every
    /// letter, on texts of 0 to 99 letters whose one right-to-left letter (if any) falls anywhere,
    /// among letters on both sides of each block's edges (UTF-8 lead bytes 0xD5-0xF0).
    #[test]
    fn has_rtl_is_any_letter_rtl() {
        let plain = ['a', ' ', 'é', 'ñ', '“', '—', '…', 'ü'];
        let edges = [
            '\u{057F}',
            '\u{0580}',
            '\u{058F}',
            '\u{0590}',
            'ש',
            'م',
            '\u{07FF}',
            '\u{0800}',
            '\u{08FF}',
            '\u{0900}',
            '\u{0FFF}',
            '\u{FB1C}',
            '\u{FB1D}',
            '\u{FDFF}',
            '\u{FE00}',
            '\u{FE6F}',
            '\u{FE70}',
            '\u{FEFF}',
            '\u{FF01}',
            '\u{FFFD}',
            '\u{107FF}',
            '\u{10800}',
            '\u{10FFF}',
            '\u{11000}',
            '\u{1E7FF}',
            '\u{1E800}',
            '\u{1EFFF}',
            '\u{1F600}',
        ];
        let mut r = crate::util::rng(0x5eed_2026);
        let (mut with, mut without) = (0, 0);
        for _ in 0..20_000 {
            let len = r(100);
            let odd = r(len.max(1) + 1);
            let s: String = (0..len)
                .map(|i| {
                    if i == odd || r(40) == 0 {
                        edges[r(edges.len())]
                    } else {
                        plain[r(plain.len())]
                    }
                })
                .collect();
            let want = s.chars().any(is_rtl);
            assert_eq!(has_rtl(&s), want, "{s:?}");
            if want {
                with += 1;
            } else {
                without += 1;
            }
        }
        assert!(with > 2_000 && without > 2_000, "{with} {without}");
    }

    /// The first letter decides; digits, punctuation and spaces do not; none gives `None`.
    #[test]
    fn first_strong_is_the_first_letters_direction() {
        for (text, want) in [
            ("مرحبا, hello", Some(true)),
            ("Hello, مرحبا", Some(false)),
            ("2024: «שלום»!", Some(true)),
            ("— 12 (3)", None),
            ("", None),
            ("¡Hola! שלום", Some(false)),
            ("中文 עברית", Some(false)),
            ("12 ñandú", Some(false)),
            ("(1) «שלום»", Some(true)),
            ("  ... 2024", None),
            ("x", Some(false)),
            ("\u{200F}", None),
        ] {
            assert_eq!(first_strong(text), want, "{text}");
        }
    }

    /// The ASCII fast path gives what looking at every character gives, wherever the first
    /// letter (ASCII or not, either direction) falls among ASCII digits, spaces and punctuation
    /// and non-ASCII neutrals.
    #[test]
    fn first_strong_agrees_with_every_character() {
        let by_chars = |s: &str| {
            s.chars().find_map(|c| {
                if is_rtl(c) {
                    Some(true)
                } else if c.is_alphabetic() {
                    Some(false)
                } else {
                    None
                }
            })
        };
        let neutral = ['1', ' ', '(', '«', '—', '“', '\u{200F}', '.'];
        let strong = ['a', 'Z', 'é', 'ש', 'م', '中', 'Ω'];
        for n in 0..64usize {
            let lead: String = (0..n % 9)
                .map(|k| neutral[(n + k) % neutral.len()])
                .collect();
            for &c in &strong {
                for tail in ["", " b", " ש"] {
                    let s = format!("{lead}{c}{tail}");
                    assert_eq!(first_strong(&s), by_chars(&s), "{s:?}");
                }
            }
            assert_eq!(first_strong(&lead), by_chars(&lead), "{lead:?}");
        }
    }

    #[test]
    fn a_languages_direction_comes_from_its_code_and_script() {
        for (code, want) in [
            ("ar", "rtl"),
            ("he", "rtl"),
            ("fa-IR", "rtl"),
            ("ur", "rtl"),
            ("az-Arab", "rtl"),
            ("ku-Latn", "ltr"),
            ("ar-Latn", "ltr"),
            ("en", "ltr"),
            ("es", "ltr"),
            ("zh-Hant", "ltr"),
            ("art", "ltr"),
        ] {
            assert_eq!(language_dir(code), want, "{code}");
        }
    }
}
